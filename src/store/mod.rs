//! The SQLite store: one file, WAL mode, schema versioned with `PRAGMA user_version`.
//!
//! The store is persistence: `repo` holds one small module per kind of record, with typed
//! conversions; `step` opens the one immediate transaction a step runs in, with its row seals
//! (`seal`) and audit entries. The rules live in the domain; the services (`crate::service`)
//! run each step: load, let the domain decide, write and audit, in one transaction.

mod backup;
pub(crate) mod checkpoint;
mod clock;
pub(crate) mod package;
pub(crate) mod repo;
mod schema;
pub(crate) mod seal;
pub(crate) mod step;

use std::path::Path;

use rusqlite::Connection;
use thiserror::Error;

pub use backup::{BackupError, BackupReport};
pub use clock::{Clock, TODAY_VAR};
pub use repo::criteria::digest as criteria_digest;
pub use repo::dossier::CurrentDossier;
pub use repo::refusal::BatchRefusal;
pub use seal::DataProblem;

// The services' types, where callers have always found them.
pub use crate::service::{
    AccountInfo, AssignedDossier, AssignmentReport, AuditReport, BatchOutcome, BatchStatus,
    Candidate, ConfirmedList, DocumentCounts, DossierChange, ImportResult, ObjectionStatus,
    PrintList, Progress, ProgressRow, ProposeOutcome, ProvinceDossier, ProvinceResult, RankedRound,
    RecusalOutcome, SelectedRound, ShortfallRow, Status, UnitOutcome,
};

use crate::domain::Text;
use crate::domain::phase::PhaseRefusal;
use crate::domain::refusal::Refusal;

/// Store failures, each with its text in both languages ([`StoreError::text`]).
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", .0.text.en)]
    Denied(#[from] crate::domain::access::Denied),
    #[error("wrong account name or password")]
    BadLogin,
    #[error("log in first (--user NAME, password from the prompt or SHIFAN_PASSWORD)")]
    LoginRequired,
    #[error("password hashing failed: {0}")]
    Password(String),
    /// The rules refuse the step.
    #[error("{}", .0.text().en)]
    Refused(Refusal),
    #[error("{}", .0.text().en)]
    Publicity(crate::domain::publicity::PublicityError),
    /// Stored data that does not make sense: never guessed around.
    #[error("{}", .0.en)]
    Corrupt(Text),
    /// `SHIFAN_TODAY` is not a date.
    #[error("SHIFAN_TODAY={0} is not a date: write it YYYY-MM-DD")]
    BadToday(String),
    #[error(
        "the database has schema version {found}, newer than this program knows ({known}); use a newer shifan"
    )]
    TooNew { found: i64, known: i64 },
    /// A `user_version` no shifan ever writes (negative): not a shifan database, or damaged.
    #[error(
        "the database has schema version {found}, which no shifan writes: not a shifan database, or a damaged one; restore a backup"
    )]
    BadVersion { found: i64 },
    /// A read-only command found a database that must be upgraded first (which writes).
    #[error(
        "the database has schema version {found}; this program needs {known}: run a writing command once (e.g. `shifan status` with write access to the folder) to upgrade it"
    )]
    NeedsUpgrade { found: i64, known: i64 },
    /// A read-only open of a WAL database that left changes in its `-wal` file, in a folder
    /// where the index (`-shm`) cannot be made: read as it is, the file would miss them.
    #[error(
        "{0}: the database has changes in its write-ahead log (-wal) and its folder cannot be written: ask someone who may write the folder to run `shifan status` once, or copy the database with its -wal file elsewhere"
    )]
    UnmergedLog(String),
    /// A scoring package's file could not be read or written.
    #[error("{}", .0.en)]
    PackageFile(Text),
    /// A CLI session (`shifan login`) that is not taken.
    #[error("{}", .0.text().en)]
    Session(crate::service::session::SessionRefusal),
}

impl StoreError {
    pub(crate) fn corrupt(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
        StoreError::Corrupt(Text::new(zh, en))
    }

    /// The failure in both languages.
    pub fn text(&self) -> Text {
        match self {
            StoreError::Sqlite(e) => {
                Text::new(format!("数据库错误：{e}"), format!("database error: {e}"))
            }
            StoreError::Denied(d) => d.text.clone(),
            StoreError::BadLogin => Text::new("账号或密码错误", "wrong account name or password"),
            StoreError::LoginRequired => Text::new(
                "请先登录：--user 账号（密码由提示输入或 SHIFAN_PASSWORD 提供，或先运行 shifan login --user 账号）",
                "log in first: --user NAME (password from the prompt or SHIFAN_PASSWORD, or run `shifan login --user NAME` once)",
            ),
            StoreError::Password(e) => Text::new(
                format!("密码处理失败：{e}"),
                format!("password hashing failed: {e}"),
            ),
            StoreError::Refused(r) => r.text(),
            StoreError::Publicity(p) => p.text(),
            StoreError::Corrupt(t) | StoreError::PackageFile(t) => t.clone(),
            StoreError::Session(r) => r.text(),
            StoreError::BadToday(v) => Text::new(
                format!("SHIFAN_TODAY={v} 不是日期：应写作 YYYY-MM-DD"),
                format!("SHIFAN_TODAY={v} is not a date: write it YYYY-MM-DD"),
            ),
            StoreError::TooNew { found, known } => Text::new(
                format!("数据库结构版本为 {found}，高于本程序所知的 {known}：请使用更新的 shifan"),
                format!(
                    "the database has schema version {found}, newer than this program knows ({known}); use a newer shifan"
                ),
            ),
            StoreError::BadVersion { found } => Text::new(
                format!(
                    "数据库结构版本为 {found}，任何版本的 shifan 都不会写入此值：这不是 shifan 数据库或已损坏；请恢复备份"
                ),
                format!(
                    "the database has schema version {found}, which no shifan writes: not a shifan database, or a damaged one; restore a backup"
                ),
            ),
            StoreError::UnmergedLog(p) => Text::new(
                format!(
                    "{p}：数据库的预写日志（-wal）中有尚未合并的修改，而其文件夹不可写入：请有写入权限的人运行一次 shifan status，或将数据库连同 -wal 文件复制到别处"
                ),
                format!(
                    "{p}: the database has changes in its write-ahead log (-wal) and its folder cannot be written: ask someone who may write the folder to run `shifan status` once, or copy the database with its -wal file elsewhere"
                ),
            ),
            StoreError::NeedsUpgrade { found, known } => Text::new(
                format!(
                    "数据库结构版本为 {found}，本程序需要 {known}：请先在可写入该文件夹的情况下运行一次写入命令（如 shifan status）以升级"
                ),
                format!(
                    "the database has schema version {found}; this program needs {known}: run a writing command once (e.g. `shifan status` with write access to the folder) to upgrade it"
                ),
            ),
        }
    }
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        StoreError::Refused(r)
    }
}

impl From<PhaseRefusal> for StoreError {
    fn from(p: PhaseRefusal) -> Self {
        StoreError::Refused(Refusal::Phase(p))
    }
}

impl From<crate::domain::publicity::PublicityError> for StoreError {
    fn from(p: crate::domain::publicity::PublicityError) -> Self {
        StoreError::Publicity(p)
    }
}

/// `path` as an SQLite `file:` URI (every byte outside the unreserved set percent-encoded), as
/// immutable when `immutable`.
fn uri(path: &Path, immutable: bool) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().replace('\\', "/").into_bytes();
    let mut out = String::from("file:");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str(if immutable {
        "?mode=ro&immutable=1"
    } else {
        "?mode=ro"
    });
    out
}

/// How long a step waits for the others' steps before it fails with "database is locked".
const BUSY_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The busy handler: try again after a short sleep, until [`BUSY_LIMIT`]. A step holds the
/// write lock for a fraction of a millisecond; SQLite's own timeout handler sleeps ever longer
/// (up to 100 ms a try), so under many writers the unlucky one slept on while others got in.
/// Sleeps of 0.25 to 2 ms keep every waiter close to the lock. `cargo bench --bench panel`, 50
/// experts saving at once on 2 cores, before → after: with ~100 ms between an expert's saves,
/// p99 8.8–14.9 → 3.7–5.8 ms, max 20–58 → 17–18 ms; saving without pause, p99 334–338 →
/// 230–258 ms, max 1.46 s → 0.53–0.74 s (the rest is 50 busy threads sharing 2 cores).
fn busy_wait() -> impl FnMut(i32) -> bool + Send + 'static {
    let mut since = std::time::Instant::now();
    move |count: i32| {
        if count == 0 {
            since = std::time::Instant::now();
        }
        if since.elapsed() >= BUSY_LIMIT {
            return false;
        }
        let micros = 250 * (1 + u64::from(count.clamp(0, 7) as u32));
        std::thread::sleep(std::time::Duration::from_micros(micros));
        true
    }
}

/// Called with the database's bytes after each step commits (a package's file is rewritten).
pub type Saver = Box<dyn FnMut(&[u8]) -> Result<(), StoreError> + Send>;

/// An open database.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) clock: Clock,
    /// For a database held in memory (a scoring package): where each committed step goes.
    pub(crate) saver: Option<Saver>,
}

pub use crate::domain::audit::sha256_hex;

impl Store {
    /// Open (or create) a database file and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // Switching a new file to WAL can report "database is locked" at once, without waiting
        // for the busy timeout, while another process does the same: try again, briefly.
        let mut tries = 0;
        loop {
            let conn = Connection::open(path)?;
            match Self::setup(conn) {
                Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)))
                    if f.code == rusqlite::ErrorCode::DatabaseBusy && tries < 100 =>
                {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    /// Open an existing database for reading only: nothing is created, migrated or written, and
    /// it works in a folder the user cannot write. A WAL database needs its `-shm` index: when
    /// that cannot be created there (and none is left from a writer), the file is opened as
    /// immutable (`immutable=1`), which is what it is to this reader. A schema older than this
    /// program's is refused ([`StoreError::NeedsUpgrade`]): upgrading writes.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let first = Connection::open_with_flags(uri(path, false), flags)
            .map_err(StoreError::from)
            .and_then(Self::setup_read_only);
        match first {
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)))
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly
                ) =>
            {
                // Immutable means the -wal is not read: refuse rather than miss its changes.
                let mut wal = path.as_os_str().to_owned();
                wal.push("-wal");
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::UnmergedLog(path.display().to_string()));
                }
                Self::setup_read_only(Connection::open_with_flags(uri(path, true), flags)?)
            }
            other => other,
        }
    }

    fn setup_read_only(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Reading the version is the first read: it fails here when the -shm cannot be made.
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        schema::check_version(found)?;
        if found < schema::VERSION {
            return Err(StoreError::NeedsUpgrade {
                found,
                known: schema::VERSION,
            });
        }
        let clock = Clock::from_env().map_err(StoreError::BadToday)?;
        Ok(Store {
            conn,
            clock,
            saver: None,
        })
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store, StoreError> {
        // Steps are short; a writer waits for another's step rather than failing. Set first:
        // switching a new file to WAL takes a lock another process may hold.
        conn.busy_handler(Some(busy_wait()))?;
        // Dossiers are stored whole (a few KB each): larger pages mean fewer overflow pages.
        // Only takes effect on a new, empty file (before WAL is switched on).
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let clock = Clock::from_env().map_err(StoreError::BadToday)?;
        let mut store = Store {
            conn,
            clock,
            saver: None,
        };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// A database held in memory, read from `bytes` (a scoring package's); `saver` gets its
    /// bytes after every step that commits, so nothing entered lives only in memory.
    pub fn open_bytes(bytes: &[u8], saver: Option<Saver>) -> Result<Store, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), false)?;
        let mut store = Self::setup(conn)?;
        store.saver = saver;
        Ok(store)
    }

    /// The database's bytes, as a file would hold them.
    pub fn to_bytes(&mut self) -> Result<Vec<u8>, StoreError> {
        Ok(self.conn.serialize(rusqlite::MAIN_DB)?.to_vec())
    }

    /// After a step committed: hand the bytes to the saver, if there is one.
    pub(crate) fn saved(&mut self) -> Result<(), StoreError> {
        if self.saver.is_none() {
            return Ok(());
        }
        let bytes = self.to_bytes()?;
        match &mut self.saver {
            Some(save) => save(&bytes),
            None => Ok(()),
        }
    }

    /// Stop the clock at `today` (tests and demos; the CLI takes `SHIFAN_TODAY`).
    pub fn set_today(&mut self, today: jiff::civil::Date) {
        self.clock = Clock::fixed(today);
    }

    /// Today, as the round's steps see it.
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.today()
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The journal mode in force (`wal` for a file database).
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?)
    }

    /// The folder of the database file (`None` in memory).
    pub fn folder(&self) -> Option<std::path::PathBuf> {
        let path = std::path::Path::new(self.conn.path()?);
        path.parent().map(std::path::Path::to_path_buf)
    }

    /// SQLite's change counter for this connection (`PRAGMA data_version`): it changes when
    /// another connection (another process, another expert's submit) commits. Watched by the
    /// TUI's live refresh; this connection's own writes do not change it.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// The database file (`None` in memory), so a background reader can open its own connection.
    pub fn file_path(&self) -> Option<std::path::PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// Raw connection, for tests that inspect the file.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
