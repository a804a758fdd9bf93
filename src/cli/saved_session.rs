//! Where `shifan login` keeps a session: one file per database and account, readable by the OS
//! user only (mode 0600, in a folder of mode 0700), under `$XDG_RUNTIME_DIR/shifan/` (a tmpfs
//! the system empties at logout) or else `~/.local/state/shifan/sessions/`. Whether a session
//! is taken is decided by [`shifan::service::session::judge`], not here.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use shifan::domain::access::User;
use shifan::service::session::{SessionRefusal, SessionToken, now_secs};
use shifan::store::{Store, StoreError, sha256_hex};

use crate::cli::Failure;

/// The folder sessions are kept in, if the environment names one.
fn folder() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| {
        let p = PathBuf::from(v);
        p.is_absolute().then_some(p)
    };
    if let Some(run) = std::env::var_os("XDG_RUNTIME_DIR").and_then(absolute) {
        return Some(run.join("shifan"));
    }
    std::env::var_os("HOME")
        .and_then(absolute)
        .map(|h| h.join(".local/state/shifan/sessions"))
}

/// The database's identity: its canonical path (a database not yet there: its folder's
/// canonical path and its name).
pub fn identity(db: &Path) -> String {
    if let Ok(p) = std::fs::canonicalize(db) {
        return p.display().to_string();
    }
    let parent = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
    dir.join(db.file_name().unwrap_or_default())
        .display()
        .to_string()
}

/// The session file of `account` on the database `identity`: named from a hash of both, so
/// neither shows in the name.
fn file_for(identity: &str, account: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = folder().ok_or_else(|| {
        Failure::usage(
            "无处保存会话：XDG_RUNTIME_DIR 和 HOME 均未设置",
            "nowhere to keep the session: neither XDG_RUNTIME_DIR nor HOME is set",
        )
    })?;
    let key = sha256_hex(format!("{identity}\0{account}").as_bytes());
    Ok(dir.join(format!("{}.session", &key[..32])))
}

/// Write the session for `token`, replacing any; the file is made with mode 0600 and moved
/// into place whole. Returns its path.
pub fn write(token: &SessionToken) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = file_for(&token.database, &token.account)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let tmp = dir.join(format!(".{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    // The umask cannot widen 0600, but a narrower one could not matter; set it exactly.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(serde_json::to_string(token)?.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Delete the session of `account` on `db`; whether there was one.
pub fn remove(db: &Path, account: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let path = file_for(&identity(db), account)?;
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Box::new(e)),
    }
}

/// The user the saved session of `name` on `db` logs in: `None` when there is none; an error
/// with the reason when there is one that is not taken (the file is then deleted: it can never
/// become valid again).
pub fn resume(
    db: &Path,
    store: &Store,
    name: &str,
) -> Result<Option<User>, Box<dyn std::error::Error>> {
    if folder().is_none() {
        return Ok(None);
    }
    let identity = identity(db);
    let path = file_for(&identity, name)?;
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Box::new(e)),
    };
    let refuse = |r: SessionRefusal| -> Result<Option<User>, Box<dyn std::error::Error>> {
        let _ = std::fs::remove_file(&path);
        Err(Box::new(StoreError::Session(r)))
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if !meta.file_type().is_file() || meta.uid() != me {
        return refuse(SessionRefusal::Unreadable);
    }
    if meta.mode() & 0o077 != 0 {
        return refuse(SessionRefusal::Exposed {
            mode: meta.mode() & 0o777,
        });
    }
    let token: SessionToken = match std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        Some(t) => t,
        None => return refuse(SessionRefusal::Unreadable),
    };
    match store.resume_session(&token, &identity, name, now_secs()) {
        Ok(user) => Ok(Some(user)),
        Err(StoreError::Session(r)) => refuse(r),
        Err(e) => Err(Box::new(e)),
    }
}
