//! The folder an export or a set of notices is written into (`shifan export --out DIR`,
//! `shifan notice … --out DIR`, the dashboard's `documents/`).
//!
//! Nothing written here follows a symbolic link: the folder itself may not be one, and each file
//! is created anew (`O_CREAT | O_EXCL`), so a link planted under a file's name can never redirect
//! the write to its target. A folder that already holds files is refused unless the caller
//! forces it (`--force`, or the dashboard after its confirm popup); then only the files being
//! written are replaced (the old entry, a link included, is removed, never written through).
//! Every error names the path, in both languages.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::domain::Text;

/// Why a folder or a file in it could not be written.
#[derive(Debug, Error)]
pub enum OutFolderError {
    #[error("{0}: is a symbolic link; give the folder itself")]
    FolderIsLink(PathBuf),
    #[error("{0}: exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error(
        "{0}: the folder is not empty ({1} entries); choose an empty or new folder, or add --force to replace the files written"
    )]
    NotEmpty(PathBuf, usize),
    #[error("{0}: exists and is a folder, not a file")]
    FileIsFolder(PathBuf),
    #[error("{0}: appeared while writing; nothing was overwritten")]
    Appeared(PathBuf),
    #[error("cannot {what} {path}: {error}")]
    Io {
        path: PathBuf,
        what: &'static str,
        error: std::io::Error,
    },
}

impl OutFolderError {
    /// The failure in both languages, with the path.
    pub fn text(&self) -> Text {
        use OutFolderError as E;
        match self {
            E::FolderIsLink(p) => {
                let p = p.display();
                Text::new(
                    format!("{p}：是符号链接；请直接给出文件夹"),
                    format!("{p}: is a symbolic link; give the folder itself"),
                )
            }
            E::NotAFolder(p) => {
                let p = p.display();
                Text::new(
                    format!("{p}：已存在且不是文件夹"),
                    format!("{p}: exists and is not a folder"),
                )
            }
            E::NotEmpty(p, n) => {
                let p = p.display();
                Text::new(
                    format!(
                        "{p}：文件夹不是空的（{n} 项）；请换一个空的或新的文件夹，或加 --force 替换要写入的文件"
                    ),
                    format!(
                        "{p}: the folder is not empty ({n} entries); choose an empty or new folder, or add --force to replace the files written"
                    ),
                )
            }
            E::FileIsFolder(p) => {
                let p = p.display();
                Text::new(
                    format!("{p}：已存在且是文件夹，不是文件"),
                    format!("{p}: exists and is a folder, not a file"),
                )
            }
            E::Appeared(p) => {
                let p = p.display();
                Text::new(
                    format!("{p}：写入时被他人创建；未覆盖任何内容"),
                    format!("{p}: appeared while writing; nothing was overwritten"),
                )
            }
            E::Io { path, what, error } => {
                let p = path.display();
                let zh = match *what {
                    "create" => "无法创建",
                    "read" => "无法读取",
                    "remove" => "无法删除",
                    _ => "无法写入",
                };
                Text::new(
                    format!("{zh} {p}：{error}"),
                    format!("cannot {what} {p}: {error}"),
                )
            }
        }
    }

    /// A refusal of the folder as given (a usage problem), rather than a failed write.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, OutFolderError::Io { .. })
    }
}

fn io(path: &Path, what: &'static str) -> impl FnOnce(std::io::Error) -> OutFolderError {
    let path = path.to_path_buf();
    move |error| OutFolderError::Io { path, what, error }
}

/// A folder checked and ready to write into.
#[derive(Debug)]
pub struct OutFolder {
    dir: PathBuf,
    force: bool,
}

impl OutFolder {
    /// Check `dir` (create it when missing): not a symbolic link, a folder, and empty unless
    /// `force`.
    pub fn prepare(dir: &Path, force: bool) -> Result<OutFolder, OutFolderError> {
        match std::fs::symlink_metadata(dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(OutFolderError::FolderIsLink(dir.to_path_buf()));
            }
            Ok(m) if !m.is_dir() => return Err(OutFolderError::NotAFolder(dir.to_path_buf())),
            Ok(_) => {
                let entries = std::fs::read_dir(dir).map_err(io(dir, "read"))?.count();
                if entries > 0 && !force {
                    return Err(OutFolderError::NotEmpty(dir.to_path_buf(), entries));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io(dir, "create"))?;
            }
            // Its parent is a file, or cannot be searched: the folder cannot be made there.
            Err(e) => return Err(io(dir, "create")(e)),
        }
        Ok(OutFolder {
            dir: dir.to_path_buf(),
            force,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Write one file, created anew: an existing entry of that name (a link included) is
    /// replaced only when forced, by removing it first, and never written through.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, OutFolderError> {
        let path = self.dir.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => return Err(OutFolderError::FileIsFolder(path)),
            Ok(_) if !self.force => return Err(OutFolderError::Appeared(path)),
            Ok(_) => std::fs::remove_file(&path).map_err(io(&path, "remove"))?,
            Err(_) => {}
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    OutFolderError::Appeared(path.clone())
                } else {
                    io(&path, "write")(e)
                }
            })?;
        file.write_all(bytes).map_err(io(&path, "write"))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_under_a_file_name_is_replaced_and_its_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("precious.txt");
        std::fs::write(&target, "keep").unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, out.join("a.csv")).unwrap();
        #[cfg(not(unix))]
        std::fs::write(out.join("a.csv"), "old").unwrap();
        let e = OutFolder::prepare(&out, false).unwrap_err();
        assert!(matches!(e, OutFolderError::NotEmpty(_, 1)), "{e}");
        assert!(e.text().zh.contains("--force") && e.text().en.contains(&*out.to_string_lossy()));
        let f = OutFolder::prepare(&out, true).unwrap();
        f.write("a.csv", b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "new");
        assert!(
            !std::fs::symlink_metadata(out.join("a.csv"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
