//! A consistent copy of the database while others write (`shifan backup --out FILE`), with
//! SQLite's online backup API.
//!
//! The whole file is copied in one backup step, so the copy is one snapshot: the step holds a
//! read transaction on the source, which in WAL mode never blocks the experts' writes (they go
//! on into the log meanwhile). The copy is written to a temporary file beside `out`, checked
//! (`PRAGMA integrity_check`, foreign keys), and only then moved into place: a backup that fails
//! leaves no half file, and an existing file is replaced only with `force`. A symlink at `out`
//! is never followed.
//!
//! A backup is not a decision of the round and only reads the database: it is not audited (an
//! entry would also be missing from the copy it describes). The head of the copy's audit log is
//! returned instead, for the operator's log, and `shifan audit verify --head` checks it later.

use std::ffi::OsString;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use thiserror::Error;

use super::{Store, StoreError};
use crate::domain::Text;

/// What a backup wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupReport {
    /// The file written.
    pub out: PathBuf,
    /// Its size, bytes.
    pub bytes: u64,
    /// Database pages copied.
    pub pages: i64,
    /// The head of the copy's audit log, `SEQ:HASH` (`None`: the log is empty).
    pub head: Option<String>,
}

/// Why a backup was not written; nothing is left at `out` (or it is as it was).
#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{0}: the file exists; give another --out FILE, or --force to replace it")]
    Exists(String),
    #[error("{0}: is a symbolic link; a backup never follows one (give the real path)")]
    Symlink(String),
    #[error("{0}: is not a regular file; give a file name for --out")]
    NotAFile(String),
    #[error("{0}: is the database being backed up; give another --out FILE")]
    SameFile(String),
    #[error("{0}: is a database in use (its -wal or -shm file is there); give another --out FILE")]
    InUse(String),
    #[error("{path}: cannot write the backup ({error}); check the folder exists and is writable")]
    Write { path: String, error: String },
    #[error("{path}: the copy failed its check ({problem}); the backup was not written")]
    Check { path: String, problem: String },
    #[error("the database stayed busy for {0} s; try again when fewer writers are at work")]
    Busy(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> Self {
        BackupError::Store(StoreError::Sqlite(e))
    }
}

impl BackupError {
    /// The failure in both languages.
    pub fn text(&self) -> Text {
        let en = self.to_string();
        let zh = match self {
            BackupError::Exists(p) => {
                format!("{p}：文件已存在；请用 --out 文件 另指定，或加 --force 覆盖")
            }
            BackupError::Symlink(p) => {
                format!("{p}：是符号链接；备份从不跟随符号链接（请给出实际路径）")
            }
            BackupError::NotAFile(p) => format!("{p}：不是普通文件；--out 应给出文件名"),
            BackupError::SameFile(p) => {
                format!("{p}：就是要备份的数据库本身；请用 --out 文件 另指定")
            }
            BackupError::InUse(p) => format!(
                "{p}：是正在使用的数据库（旁边有 -wal 或 -shm 文件）；请用 --out 文件 另指定"
            ),
            BackupError::Write { path, error } => {
                format!("{path}：无法写入备份（{error}）；请检查文件夹存在且可写")
            }
            BackupError::Check { path, problem } => {
                format!("{path}：备份副本未通过检查（{problem}），未写入备份")
            }
            BackupError::Busy(s) => {
                format!("数据库持续繁忙 {s} 秒；请在写入较少时重试")
            }
            BackupError::Store(e) => return e.text(),
        };
        Text::new(zh, en)
    }
}

/// `path` with `suffix` appended to its file name (`a.db` → `a.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The temporary name of the copy being written, removed on drop (after a rename it is gone
/// already; after a hard link the copy lives on under `out`).
struct Partial {
    path: PathBuf,
}

impl Drop for Partial {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&self.path, suffix));
        }
    }
}

/// How long a backup waits for a source that stays locked (seconds).
const BUSY_LIMIT: u64 = 60;

impl Store {
    /// Copy the whole database, as one consistent snapshot, to the new file `out` (replaced only
    /// with `force`; never through a symlink). See the module documentation.
    pub fn backup_to(&self, out: &Path, force: bool) -> Result<BackupReport, BackupError> {
        let shown = out.display().to_string();
        let write_error = |e: &dyn std::fmt::Display| BackupError::Write {
            path: shown.clone(),
            error: e.to_string(),
        };
        let existing = std::fs::symlink_metadata(out).ok();
        if let Some(m) = &existing {
            if m.file_type().is_symlink() {
                return Err(BackupError::Symlink(shown));
            }
            if !m.is_file() {
                return Err(BackupError::NotAFile(shown));
            }
            if let Some(source) = self.conn.path().map(Path::new)
                && same_file(source, m)
            {
                return Err(BackupError::SameFile(shown));
            }
            if !force {
                return Err(BackupError::Exists(shown));
            }
            if with_suffix(out, "-wal").exists() || with_suffix(out, "-shm").exists() {
                return Err(BackupError::InUse(shown));
            }
        }
        let name = out
            .file_name()
            .ok_or_else(|| BackupError::NotAFile(shown.clone()))?;
        let folder = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut temp_name = OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".backup-{}", std::process::id()));
        let partial = Partial {
            path: folder.join(temp_name),
        };
        // A leftover of an earlier run of this same process id, never anyone's link: removed,
        // then created exclusively (O_EXCL does not follow a symlink).
        let _ = std::fs::remove_file(&partial.path);
        // Never readable by others whatever the umask: it holds the password hashes.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o660)
            .open(&partial.path)
            .map_err(|e| write_error(&e))?;

        let mut dest = Connection::open(&partial.path).map_err(|e| write_error(&e))?;
        let pages = {
            let backup = Backup::new(&self.conn, &mut dest).map_err(|e| write_error(&e))?;
            let start = std::time::Instant::now();
            loop {
                // -1: every page in one step, one read transaction on the source: a snapshot.
                match backup.step(-1).map_err(|e| write_error(&e))? {
                    StepResult::Done => break,
                    _ => {
                        if start.elapsed() > Duration::from_secs(BUSY_LIMIT) {
                            return Err(BackupError::Busy(BUSY_LIMIT));
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
            }
            i64::from(backup.progress().pagecount)
        };
        // The copy keeps no log beside it: one self-contained file.
        dest.pragma_update(None, "journal_mode", "DELETE")
            .map_err(|e| write_error(&e))?;
        let check: String = dest.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(BackupError::Check {
                path: shown,
                problem: check,
            });
        }
        let fk: i64 = dest.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?;
        if fk > 0 {
            return Err(BackupError::Check {
                path: shown,
                problem: format!("{fk} foreign-key violations"),
            });
        }
        let head = audit_head(&dest)?;
        drop(dest);
        let file = std::fs::File::open(&partial.path).map_err(|e| write_error(&e))?;
        file.sync_all().map_err(|e| write_error(&e))?;
        let bytes = file.metadata().map_err(|e| write_error(&e))?.len();
        drop(file);

        if existing.is_some() {
            // --force: replaces the file (rename never follows a symlink at `out`).
            std::fs::rename(&partial.path, out).map_err(|e| write_error(&e))?;
        } else {
            // Never over a file (or link) that appeared meanwhile: a hard link fails if the
            // name is taken.
            std::fs::hard_link(&partial.path, out).map_err(|e| write_error(&e))?;
        }
        // The temporary name goes (after a hard link the copy lives on under `out`).
        drop(partial);
        if let Ok(dir) = std::fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(BackupReport {
            out: out.to_path_buf(),
            bytes,
            pages,
            head,
        })
    }
}

/// The head of a copy's audit log, `SEQ:HASH`; `None` when the log is empty or absent.
fn audit_head(conn: &Connection) -> Result<Option<String>, BackupError> {
    let has_audit: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit')",
        [],
        |r| r.get(0),
    )?;
    if !has_audit {
        return Ok(None);
    }
    let (seq, hash) = super::step::last_entry(conn)?;
    Ok((seq > 0).then(|| format!("{seq}:{hash}")))
}

/// Whether `a` is the file `b` describes (same device and inode).
fn same_file(a: &Path, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(a).is_ok_and(|m| m.dev() == b.dev() && m.ino() == b.ino())
}
