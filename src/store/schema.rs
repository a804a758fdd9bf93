//! Schema migrations. Each entry moves the schema from version i to i + 1; `user_version`
//! records how many have run. Never edit a shipped migration: add a new one. The schema is
//! described in `docs/schema.md`.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::StoreError;
use super::seal::{Ledger, SEALED};
use super::step::{append, last_entry};

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
    // 3: stable dossier identity with foreign keys from every record that hangs on a dossier;
    // sheets and scores per assignment (a sheet set aside stays with the pair that wrote it);
    // where each pair came from and why it ended; pinned criteria; the ministry's tie
    // decisions; row seals and table digests; audit entries with the claimed date and state.
    // The old tables are renamed, rebuilt and copied (foreign keys are off meanwhile); the
    // identities are filled in by `identities_from_codes` before the copy.
    "DROP INDEX dossier_batch;
    DROP INDEX assignment_current;
    ALTER TABLE dossier RENAME TO dossier_v2;
    ALTER TABLE assignment RENAME TO assignment_v2;
    ALTER TABLE recusal RENAME TO recusal_v2;
    ALTER TABLE sheet RENAME TO sheet_v2;
    ALTER TABLE score RENAME TO score_v2;
    CREATE TABLE dossier_identity (
        code TEXT PRIMARY KEY,
        province_key TEXT NOT NULL,
        number INTEGER NOT NULL CHECK (number >= 1),
        applicant_norm TEXT NOT NULL,
        credit_code TEXT,
        first_batch INTEGER NOT NULL REFERENCES batch(id),
        withdrawn_at TEXT,
        UNIQUE (province_key, number)
    );
    CREATE TABLE dossier (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES batch(id),
        code TEXT NOT NULL REFERENCES dossier_identity(code),
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
    CREATE INDEX dossier_batch ON dossier(batch_id);
    CREATE INDEX dossier_code ON dossier(code);
    CREATE TABLE assignment (
        id INTEGER PRIMARY KEY,
        dossier_code TEXT NOT NULL REFERENCES dossier_identity(code),
        expert_id TEXT NOT NULL REFERENCES expert(id),
        assigned_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('plan', 'swap', 'replacement', 'reassign')),
        ended_at TEXT,
        ended_reason TEXT,
        ended_kind TEXT CHECK (ended_kind IN ('replan', 'swap', 'recusal', 'changed', 'withdrawn')),
        CHECK ((ended_at IS NULL) = (ended_kind IS NULL)),
        UNIQUE (id, dossier_code, expert_id)
    );
    CREATE UNIQUE INDEX assignment_current ON assignment(dossier_code, expert_id) WHERE ended_at IS NULL;
    CREATE INDEX assignment_expert ON assignment(expert_id, dossier_code);
    CREATE TABLE recusal (
        dossier_code TEXT NOT NULL REFERENCES dossier_identity(code),
        expert_id TEXT NOT NULL REFERENCES expert(id),
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (dossier_code, expert_id)
    );
    CREATE TABLE sheet (
        assignment_id INTEGER PRIMARY KEY,
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        opinion TEXT NOT NULL DEFAULT '',
        recommend INTEGER CHECK (recommend IN (0, 1)),
        submitted_at TEXT,
        FOREIGN KEY (assignment_id, dossier_code, expert_id)
            REFERENCES assignment(id, dossier_code, expert_id)
    );
    CREATE TABLE score (
        assignment_id INTEGER NOT NULL REFERENCES sheet(assignment_id),
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        criterion TEXT NOT NULL,
        points REAL NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (assignment_id, criterion),
        FOREIGN KEY (assignment_id, dossier_code, expert_id)
            REFERENCES assignment(id, dossier_code, expert_id)
    );
    CREATE TABLE criteria_file (
        name TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE tie_decision (
        id INTEGER PRIMARY KEY,
        codes TEXT NOT NULL,
        reason TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        actor TEXT NOT NULL
    );
    CREATE TABLE row_seal (
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        hash TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (tbl, key)
    ) WITHOUT ROWID;
    CREATE TABLE seal_digest (
        tbl TEXT PRIMARY KEY,
        digest TEXT NOT NULL
    );
    ALTER TABLE audit ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE audit ADD COLUMN on_date TEXT;
    ALTER TABLE audit ADD COLUMN state TEXT;
    -- rust: identities_from_codes
    INSERT INTO dossier SELECT * FROM dossier_v2;
    INSERT INTO assignment SELECT id, dossier_code, expert_id, assigned_at, reason,
        CASE WHEN reason LIKE 'swapped in for%' THEN 'swap'
             WHEN reason LIKE 'replaces %' THEN 'replacement' ELSE 'plan' END,
        ended_at, ended_reason,
        CASE WHEN ended_at IS NULL THEN NULL
             WHEN ended_reason LIKE 'swapped for%' THEN 'swap'
             WHEN ended_reason LIKE 'recused%' THEN 'recusal' ELSE 'replan' END
        FROM assignment_v2;
    INSERT INTO recusal SELECT * FROM recusal_v2;
    INSERT INTO sheet
        SELECT (SELECT a.id FROM assignment a WHERE a.dossier_code = s.dossier_code AND a.expert_id = s.expert_id
                ORDER BY a.ended_at IS NULL DESC, a.id DESC LIMIT 1),
               s.dossier_code, s.expert_id, s.opinion, s.recommend, s.submitted_at
        FROM sheet_v2 s
        WHERE EXISTS (SELECT 1 FROM assignment a WHERE a.dossier_code = s.dossier_code AND a.expert_id = s.expert_id);
    INSERT INTO score
        SELECT h.assignment_id, s.dossier_code, s.expert_id, s.criterion, s.points, s.at
        FROM score_v2 s JOIN sheet h ON h.dossier_code = s.dossier_code AND h.expert_id = s.expert_id;
    DROP TABLE score_v2;
    DROP TABLE sheet_v2;
    DROP TABLE recusal_v2;
    DROP TABLE assignment_v2;
    DROP TABLE dossier_v2;",
    // 4: batches refused at the national import, with their findings (JSON), so the province's
    // official can read why; the batch itself is still not stored.
    "CREATE TABLE refusal (
        id INTEGER PRIMARY KEY,
        province_key TEXT NOT NULL,
        folder TEXT NOT NULL,
        refused_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        findings TEXT NOT NULL
    );
    CREATE INDEX refusal_province ON refusal(province_key, refused_at);",
    // 5: each sheet's total and group subtotals, kept with its scores in every step that writes
    // them, so ranking reads one row per sheet; filled from the stored scores at the upgrade
    // (with the pinned rubric) by `sheet_totals_from_scores`. A covering index lets ranking read
    // the current dossiers without their stored bytes.
    "CREATE TABLE sheet_total (
        assignment_id INTEGER PRIMARY KEY REFERENCES sheet(assignment_id),
        total REAL NOT NULL,
        groups TEXT NOT NULL
    );
    CREATE INDEX dossier_ranking ON dossier(batch_id, code, province_key, type_id, applicant, provincial_rank, sha256, applicant_norm, credit_code, file);
    -- rust: sheet_totals_from_scores",
    // 6: the panel meeting's (会评) votes; the latest vote on a dossier is the one the selection
    // honours, the earlier ones stay as evidence.
    "CREATE TABLE panel_vote (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL,
        votes_for INTEGER NOT NULL,
        votes_against INTEGER NOT NULL,
        note TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        actor TEXT NOT NULL
    );
    CREATE INDEX panel_vote_code ON panel_vote(code, id);",
    // 7: remote scoring packages (函评) issued to experts: the key their authentication code is
    // checked with, what was sent (per assignment: dossier hash and sheet digest), and when the
    // return was taken. `n` keeps the order of issue.
    "CREATE TABLE package (
        id TEXT PRIMARY KEY,
        n INTEGER NOT NULL UNIQUE,
        expert_id TEXT NOT NULL REFERENCES expert(id),
        issued_at TEXT NOT NULL,
        issued_on TEXT NOT NULL,
        actor TEXT NOT NULL,
        mac_key TEXT NOT NULL,
        sent TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        returned_at TEXT,
        returned_sha256 TEXT
    );
    CREATE INDEX package_expert ON package(expert_id, n);",
];

/// The schema version this program writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// A version this program can open: not newer than [`VERSION`], never negative.
pub fn check_version(found: i64) -> Result<(), StoreError> {
    if found < 0 {
        return Err(StoreError::BadVersion { found });
    }
    if found > VERSION {
        return Err(StoreError::TooNew {
            found,
            known: VERSION,
        });
    }
    Ok(())
}

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    check_version(found)?;
    if found == VERSION {
        return Ok(());
    }
    // Tables are rebuilt with their foreign keys: checking is off meanwhile (it cannot change
    // inside a transaction) and the whole database is checked before the commit.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.pragma_update(None, "legacy_alter_table", "ON")?;
    let done = run(conn);
    conn.pragma_update(None, "legacy_alter_table", "OFF")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    done
}

fn run(conn: &mut Connection) -> Result<(), StoreError> {
    // One writer migrates; others opening the file at the same time wait, then see it done.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let had_data = found >= 2 && has_round_data(&tx)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        for part in sql.split("-- rust: identities_from_codes") {
            tx.execute_batch(part)?;
            if part.contains("ALTER TABLE audit ADD COLUMN state") {
                identities_from_codes(&tx)?;
            }
        }
        if sql.contains("-- rust: sheet_totals_from_scores") {
            sheet_totals_from_scores(&tx, found >= 3 && had_data)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    let violations: i64 =
        tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?;
    if violations > 0 {
        return Err(StoreError::corrupt(
            format!("升级数据库结构时发现 {violations} 处外键不一致，未作改动"),
            format!(
                "upgrading the schema found {violations} foreign-key violations; nothing was changed"
            ),
        ));
    }
    if found < 3 && had_data {
        seal_everything(&tx, found)?;
    }
    tx.commit()?;
    Ok(())
}

/// Schema 5 keeps each sheet's total and group subtotals. An older database gets them from its
/// stored scores, grouped by the rubric pinned to the round; without a pinned rubric (tests and
/// tools import without pinning) no row is written and ranking sums those sheets' scores. When
/// the database was already sealed (schema 3 on), the new rows are sealed in one audit entry.
fn sheet_totals_from_scores(conn: &Connection, seal: bool) -> Result<(), StoreError> {
    let rubric: Option<String> = conn
        .query_row(
            "SELECT text FROM criteria_file WHERE name = 'rubric.toml'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(rubric) = rubric else {
        return Ok(());
    };
    let Ok(rubric) = toml::from_str::<crate::domain::rubric::Rubric>(&rubric) else {
        // The pinned rubric was checked when pinned; one that no longer reads leaves the sums
        // to ranking, which reads the scores then.
        return Ok(());
    };
    let group_of = super::repo::sheet::group_map(&rubric);
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT assignment_id FROM sheet ORDER BY assignment_id")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    for id in &ids {
        super::repo::sheet::keep_total(conn, *id, &group_of)?;
    }
    if !seal || ids.is_empty() {
        return Ok(());
    }
    let (last, mut prev) = last_entry(conn)?;
    let mut ledger = Ledger::default();
    ledger.reseal(conn, last + 1, "sheet_total", "1", &[])?;
    let state = ledger.finish(conn)?;
    let now = jiff::Timestamp::now().to_string();
    let today = super::Clock::from_env()
        .map_or_else(|_| jiff::ZonedDateTime::now().date(), |c| c.today())
        .to_string();
    append(
        conn,
        last + 1,
        &mut prev,
        &now,
        &today,
        &[(
            "(schema upgrade)".to_string(),
            "schema.migrate".to_string(),
            format!(
                "schema 4 -> 5: totals and group subtotals of {} sheets kept from their scores",
                ids.len()
            ),
        )],
        state.as_deref(),
    )
}

fn has_round_data(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM batch) OR EXISTS (SELECT 1 FROM account) OR EXISTS (SELECT 1 FROM expert)",
        [],
        |r| r.get(0),
    )?)
}

/// The number at the end of an old position code `KEY-NN`.
fn number_of(code: &str) -> Option<u32> {
    code.rsplit_once('-').and_then(|(_, n)| n.parse().ok())
}

/// Schema 2 gave codes by file position; schema 3 keeps one identity per code, taken from the
/// code's version in the current batch (or its latest one). Codes whose number cannot be read
/// get the next free number of their province.
fn identities_from_codes(conn: &Connection) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(
        "SELECT d.code, d.province_key, d.applicant_norm, d.credit_code,
                (SELECT MIN(batch_id) FROM dossier_v2 x WHERE x.code = d.code),
                b.replaced_at IS NULL, b.replaced_at
         FROM dossier_v2 d JOIN batch b ON b.id = d.batch_id
         ORDER BY d.code, b.replaced_at IS NULL, d.batch_id",
    )?;
    type Row = (
        String,
        String,
        String,
        Option<String>,
        i64,
        bool,
        Option<String>,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    // The last row per code is its current (or latest) version.
    let mut latest: BTreeMap<String, Row> = BTreeMap::new();
    for r in rows {
        latest.insert(r.0.clone(), r);
    }
    let mut next: BTreeMap<String, u32> = BTreeMap::new();
    for (code, r) in &latest {
        let n = number_of(code).unwrap_or(0);
        let e = next.entry(r.1.clone()).or_insert(0);
        *e = (*e).max(n);
    }
    let mut insert = conn.prepare(
        "INSERT INTO dossier_identity (code, province_key, number, applicant_norm, credit_code, first_batch, withdrawn_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (code, (_, province, norm, credit, first, current, replaced_at)) in latest {
        let number = match number_of(&code) {
            Some(n) if n >= 1 => n,
            _ => {
                let e = next.entry(province.clone()).or_insert(0);
                *e += 1;
                *e
            }
        };
        let withdrawn = if current { None } else { replaced_at };
        insert.execute(rusqlite::params![
            code, province, number, norm, credit, first, withdrawn
        ])?;
    }
    Ok(())
}

/// An old database's rows are sealed as they are at the upgrade, in one audit entry.
fn seal_everything(conn: &Connection, from: i64) -> Result<(), StoreError> {
    let (last, mut prev) = last_entry(conn)?;
    let mut ledger = Ledger::default();
    let mut counts = Vec::new();
    for s in SEALED {
        ledger.reseal(conn, last + 1, s.table, "1", &[])?;
        let n: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM {}", s.table), [], |r| {
            r.get(0)
        })?;
        counts.push(format!("{} {n}", s.table));
    }
    let state = ledger.finish(conn)?;
    let now = jiff::Timestamp::now().to_string();
    // The round's today (SHIFAN_TODAY when set); an unreadable value is refused when the store
    // opens, so the system's date stands in here.
    let today = super::Clock::from_env()
        .map_or_else(|_| jiff::ZonedDateTime::now().date(), |c| c.today())
        .to_string();
    append(
        conn,
        last + 1,
        &mut prev,
        &now,
        &today,
        &[(
            "(schema upgrade)".to_string(),
            "schema.migrate".to_string(),
            format!(
                "schema {from} -> {VERSION}: rows sealed as found: {}",
                counts.join(", ")
            ),
        )],
        state.as_deref(),
    )
}
