//! The SQLite store: one file, WAL mode, schema versioned with `PRAGMA user_version`.

mod accounts;
mod assignment;
mod audit;
mod dashboard;
mod documents;
mod import;
mod overview;
mod phase;
mod publicity;
mod ranking;
mod review;
mod roster;
mod schema;
mod status;

use std::path::Path;

use rusqlite::Connection;
use thiserror::Error;

pub use accounts::AccountInfo;
pub use assignment::{AssignmentReport, CurrentDossier, RecusalOutcome, ShortfallRow};
pub use dashboard::DocumentCounts;
pub use documents::PrintList;
pub use import::{BatchOutcome, ImportResult};
pub use overview::ProvinceDossier;
pub use phase::RoundPhase;
pub use ranking::{RankedRound, SelectedRound};
pub use review::{AssignedDossier, Progress, ProgressRow};
pub use status::{BatchStatus, Status};

/// Store failures.
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
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Publicity(crate::domain::publicity::PublicityError),
    #[error(
        "the database has schema version {found}, newer than this program knows ({known}); use a newer shifan"
    )]
    TooNew { found: i64, known: i64 },
}

/// An open database.
pub struct Store {
    conn: Connection,
}

pub use crate::domain::audit::sha256_hex;

impl Store {
    /// Open (or create) a database file and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        Self::setup(conn)
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Store, StoreError> {
        // Dossiers are stored whole (a few KB each): larger pages mean fewer overflow pages.
        // Only takes effect on a new, empty file (before WAL is switched on).
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store { conn };
        schema::migrate(&mut store.conn)?;
        Ok(store)
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

    /// Raw connection, for tests that inspect the file.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
