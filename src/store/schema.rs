//! Schema migrations. Each entry moves the schema from version i to i + 1; `user_version`
//! records how many have run. Never edit a shipped migration: add a new one.

use rusqlite::Connection;

use super::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: submitted batches and their dossiers, with the exact bytes the provinces sent.
    "CREATE TABLE batch (
        id INTEGER PRIMARY KEY,
        province_key TEXT NOT NULL,
        folder TEXT NOT NULL,
        department TEXT NOT NULL,
        sent_on TEXT NOT NULL,
        copies INTEGER NOT NULL,
        submission_file TEXT NOT NULL,
        submission_encoding TEXT NOT NULL,
        submission_raw BLOB NOT NULL,
        submission_sha256 TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        warnings INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        replaced_at TEXT,
        replaced_by INTEGER REFERENCES batch(id)
    );
    CREATE UNIQUE INDEX batch_current ON batch(province_key) WHERE replaced_at IS NULL;
    CREATE TABLE dossier (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES batch(id),
        code TEXT NOT NULL,
        file TEXT NOT NULL,
        province_key TEXT NOT NULL,
        type_id TEXT NOT NULL,
        applicant TEXT NOT NULL,
        applicant_norm TEXT NOT NULL,
        credit_code TEXT,
        provincial_rank INTEGER,
        encoding TEXT NOT NULL,
        raw BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        UNIQUE (batch_id, code)
    );
    CREATE INDEX dossier_batch ON dossier(batch_id);",
    // 2: accounts, roster, assignment, scoring, publicity and the audit log.
    "CREATE TABLE account (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('ministry', 'expert', 'official', 'clerk')),
        expert_id TEXT,
        province_key TEXT,
        password_hash TEXT NOT NULL,
        demo INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE expert (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        affiliation TEXT NOT NULL,
        province_key TEXT,
        expertise TEXT NOT NULL,
        avoid_units TEXT NOT NULL,
        avoid_provinces TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE assignment (
        id INTEGER PRIMARY KEY,
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL REFERENCES expert(id),
        assigned_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        ended_at TEXT,
        ended_reason TEXT
    );
    CREATE UNIQUE INDEX assignment_current ON assignment(dossier_code, expert_id) WHERE ended_at IS NULL;
    CREATE TABLE recusal (
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (dossier_code, expert_id)
    );
    CREATE TABLE sheet (
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        opinion TEXT NOT NULL DEFAULT '',
        recommend INTEGER,
        submitted_at TEXT,
        PRIMARY KEY (dossier_code, expert_id)
    );
    CREATE TABLE score (
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        criterion TEXT NOT NULL,
        points REAL NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (dossier_code, expert_id, criterion)
    );
    CREATE TABLE publicity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );",
];

/// The schema version this program writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > VERSION {
        return Err(StoreError::TooNew {
            found,
            known: VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
