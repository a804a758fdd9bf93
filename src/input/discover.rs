//! Finding the batches in the paths a user names: a folder of province folders, one province
//! folder, or single dossier files.
//!
//! Nothing is skipped without a word: hidden `.toml` files and hidden or nested folders inside
//! a province folder are listed (and reported by validation as W-HIDDEN-FILE and
//! W-NESTED-FOLDER); folders of a set that hold no `.toml` file are listed too.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::read::path_text;
use super::submission::FILE_NAME;
use crate::domain::Text;

/// One province folder's files.
#[derive(Debug, Clone)]
pub struct BatchFiles {
    pub folder: PathBuf,
    /// `None` when the folder lacks `submission.toml`.
    pub submission: Option<PathBuf>,
    /// Dossier files, sorted by name.
    pub dossiers: Vec<PathBuf>,
    /// Hidden entries (`.name.toml`, `.folder`) of the folder: not read.
    pub hidden: Vec<PathBuf>,
    /// Folders inside the folder: not read (a batch is one folder's own files).
    pub nested: Vec<PathBuf>,
}

/// What was found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub batches: Vec<BatchFiles>,
    /// Dossier files named on their own: checked without their batch.
    pub loose: Vec<PathBuf>,
    /// TOML files beside province folders in a set folder (e.g. `experts.toml`): not dossiers.
    pub skipped: Vec<PathBuf>,
    /// Folders of a set folder that hold no `.toml` file (or only hidden ones): not batches.
    pub empty_folders: Vec<PathBuf>,
}

/// A path that cannot be used at all (a usage error, exit code 2).
#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error("{}: no such file or folder", path_text(.0))]
    Missing(PathBuf),
    #[error("{}: cannot read: {source}", path_text(path))]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: no submission folders or dossier files found", path_text(.0))]
    Empty(PathBuf),
    /// A folder with only subfolders, none of which holds a `.toml` file: dossiers nested too
    /// deep (e.g. `set/330000/2026/*.toml`).
    #[error(
        "{}: no submission.toml or dossier .toml files in it or in its folders ({}); a province folder must hold its submission.toml and dossiers directly",
        path_text(path),
        nested.iter().map(|p| path_text(p)).collect::<Vec<_>>().join(", ")
    )]
    OnlyNested { path: PathBuf, nested: Vec<PathBuf> },
}

impl DiscoverError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        match self {
            DiscoverError::Missing(p) => Text::new(
                format!("{}：文件或文件夹不存在", path_text(p)),
                self.to_string(),
            ),
            DiscoverError::Unreadable { path, source } => Text::new(
                format!(
                    "{}：无法读取：{}",
                    path_text(path),
                    crate::input::read::io_reason(source).zh
                ),
                self.to_string(),
            ),
            DiscoverError::Empty(p) => Text::new(
                format!("{}：没有找到报送文件夹或申报书文件", path_text(p)),
                self.to_string(),
            ),
            DiscoverError::OnlyNested { path, nested } => Text::new(
                format!(
                    "{}：其中及其子文件夹（{}）都没有 submission.toml 或申报书 .toml 文件；省份文件夹应直接存放报送函和申报书",
                    path_text(path),
                    nested
                        .iter()
                        .map(|p| path_text(p))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                self.to_string(),
            ),
        }
    }
}

#[derive(Default)]
struct Listing {
    dirs: Vec<PathBuf>,
    tomls: Vec<PathBuf>,
    hidden: Vec<PathBuf>,
}

fn is_toml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

fn list(dir: &Path) -> Result<Listing, DiscoverError> {
    let unreadable = |source| DiscoverError::Unreadable {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Listing::default();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        // `metadata` follows a symlink: a link to a folder is a folder; anything else named
        // `*.toml` (a FIFO, a device, a dangling link) is a file, refused when read. The
        // listing's own type is enough for everything that is not a link (no call per file).
        let is_dir = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => std::fs::metadata(&path).is_ok_and(|m| m.is_dir()),
        };
        let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
        if hidden {
            if is_dir || is_toml(&path) {
                out.hidden.push(path);
            }
            continue;
        }
        if is_dir {
            out.dirs.push(path);
        } else if is_toml(&path) {
            out.tomls.push(path);
        }
    }
    out.dirs.sort();
    out.tomls.sort();
    out.hidden.sort();
    Ok(out)
}

fn batch(folder: &Path, here: Listing) -> BatchFiles {
    let (subs, dossiers): (Vec<PathBuf>, Vec<PathBuf>) = here
        .tomls
        .into_iter()
        .partition(|p| p.file_name().is_some_and(|n| n == FILE_NAME));
    BatchFiles {
        folder: folder.to_path_buf(),
        submission: subs.into_iter().next(),
        dossiers,
        hidden: here.hidden,
        nested: here.dirs,
    }
}

/// Find batches and loose dossiers in the given paths.
pub fn discover(paths: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    let mut out = Discovery::default();
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(DiscoverError::Missing(path.clone()));
        }
        // Anything but a folder is a dossier file given on its own (a FIFO or a device too:
        // reading refuses it by name, without opening it for long).
        if !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            out.loose.push(path.clone());
            continue;
        }
        let here = list(path)?;
        let is_batch = here
            .tomls
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == FILE_NAME));
        if is_batch || (here.dirs.is_empty() && !here.tomls.is_empty()) {
            out.batches.push(batch(path, here));
            continue;
        }
        let before = out.batches.len();
        let mut empty = Vec::new();
        for dir in &here.dirs {
            let sub = list(dir)?;
            if sub.tomls.is_empty() {
                empty.push(dir.clone());
            } else {
                out.batches.push(batch(dir, sub));
            }
        }
        if out.batches.len() == before {
            if !here.tomls.is_empty() {
                // Dossiers beside folders that hold none: the folder is one batch (without
                // its submission.toml, reported as such) and its folders are nested.
                out.batches.push(batch(path, here));
                continue;
            }
            if here.dirs.is_empty() {
                return Err(DiscoverError::Empty(path.clone()));
            }
            return Err(DiscoverError::OnlyNested {
                path: path.clone(),
                nested: here.dirs,
            });
        }
        out.empty_folders.extend(empty);
        out.skipped.extend(here.tomls);
    }
    Ok(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_and_everything_else_is_told_apart_by_the_listing() {
        let tmp = tempfile::tempdir().expect("tmp");
        let set = tmp.path().join("set");
        let real = tmp.path().join("zhejiang");
        std::fs::create_dir_all(&real).expect("dir");
        std::fs::write(real.join(FILE_NAME), "").expect("write");
        std::fs::write(real.join("a.toml"), "").expect("write");
        std::fs::create_dir_all(set.join("jiangsu")).expect("dir");
        std::fs::write(set.join("jiangsu").join(FILE_NAME), "").expect("write");
        std::fs::write(set.join("jiangsu").join("b.toml"), "").expect("write");
        std::fs::write(set.join("experts.toml"), "").expect("write");
        // A link to a folder is a batch; a link to a file named .toml is a file.
        std::os::unix::fs::symlink(&real, set.join("zhejiang")).expect("link");
        std::os::unix::fs::symlink(real.join("a.toml"), set.join("linked.toml")).expect("link");
        let found = discover(std::slice::from_ref(&set)).expect("discover");
        let folders: Vec<_> = found.batches.iter().map(|b| b.folder.clone()).collect();
        assert_eq!(folders, [set.join("jiangsu"), set.join("zhejiang")]);
        assert_eq!(
            found.batches[1].dossiers,
            [set.join("zhejiang").join("a.toml")]
        );
        assert_eq!(
            found.skipped,
            [set.join("experts.toml"), set.join("linked.toml")]
        );
    }
}
