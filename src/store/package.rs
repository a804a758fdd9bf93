//! The database inside a remote scoring package: the round's schema holding only what one
//! expert scores with — the pinned criteria (rubric with its guidance, type standards,
//! provinces), the phase, the expert's own roster row and account, the dossiers assigned to
//! them (exact bytes and hashes, with their batches' records), and their own sheets so far.
//! Nothing of any other expert is copied: the tables are filled from a list of what to take,
//! never by deleting from a copy. Every row is sealed in the package's first audit entry.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::seal::{Ledger, SEALED};
use super::step::append;
use super::{Store, StoreError};
use crate::domain::access::Role;

/// What goes into a package besides the copied rows.
pub(crate) struct Contents<'a> {
    pub id: &'a str,
    pub expert_id: &'a str,
    pub account: &'a str,
    /// The argon2 hash of the one-time code: the expert logs in with it.
    pub password_hash: &'a str,
    pub actor: &'a str,
    pub now: &'a str,
    pub on: &'a str,
    /// The criteria the round runs with (its pinned copy once there is one), pinned in the
    /// package: the rubric with its guidance, the type standards, the provinces.
    pub criteria_files: &'a std::collections::BTreeMap<String, String>,
}

/// Tables copied, in the order their foreign keys need, with the rows taken (`?1` is the
/// expert's id). Batches are the provinces' submission records (no expert's data); a
/// dossier's identity names its first batch, so all of them are taken.
const TAKEN: &[(&str, &str)] = &[
    ("publicity", "?1 IS NOT NULL"),
    ("expert", "id = ?1"),
    ("batch", "?1 IS NOT NULL"),
    (
        "dossier_identity",
        "code IN (SELECT dossier_code FROM assignment WHERE expert_id = ?1 AND ended_at IS NULL)",
    ),
    (
        "dossier",
        "code IN (SELECT dossier_code FROM assignment WHERE expert_id = ?1 AND ended_at IS NULL)
         AND batch_id IN (SELECT id FROM batch WHERE replaced_at IS NULL)",
    ),
    ("assignment", "expert_id = ?1 AND ended_at IS NULL"),
    (
        "sheet",
        "assignment_id IN (SELECT id FROM assignment WHERE expert_id = ?1 AND ended_at IS NULL)",
    ),
    (
        "score",
        "assignment_id IN (SELECT id FROM assignment WHERE expert_id = ?1 AND ended_at IS NULL)",
    ),
    (
        "sheet_total",
        "assignment_id IN (SELECT id FROM assignment WHERE expert_id = ?1 AND ended_at IS NULL)",
    ),
];

/// Copy the rows of `table` matching `filter` from `from` into the same table of `to`.
fn copy(
    from: &Connection,
    to: &Connection,
    table: &str,
    filter: &str,
    expert: &str,
) -> Result<usize, StoreError> {
    let mut select = from.prepare(&format!("SELECT * FROM {table} WHERE {filter}"))?;
    let names: Vec<String> = select.column_names().map(str::to_string).collect();
    let mut insert = to.prepare(&format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        vec!["?"; names.len()].join(", ")
    ))?;
    let mut rows = select.query([expert])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let values = (0..names.len())
            .map(|i| r.get::<_, Value>(i))
            .collect::<Result<Vec<_>, _>>()?;
        insert.execute(params_from_iter(values))?;
        n += 1;
    }
    Ok(n)
}

/// Build the package's database from the round's (`from`, inside the issuing step) and return
/// its bytes.
pub(crate) fn build(from: &Connection, c: &Contents) -> Result<Vec<u8>, StoreError> {
    let mut pkg = Store::open_in_memory()?;
    let conn = pkg.conn.transaction()?;
    super::repo::criteria::save(&conn, c.criteria_files)?;
    let mut counts = vec![format!("criteria_file {}", c.criteria_files.len())];
    for (table, filter) in TAKEN {
        let n = copy(from, &conn, table, filter, c.expert_id)?;
        counts.push(format!("{table} {n}"));
    }
    super::repo::account::insert(
        &conn,
        c.account,
        &Role::Expert {
            expert_id: c.expert_id.to_string(),
        },
        c.password_hash,
        false,
        c.now,
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('package', ?1), ('package_expert', ?2)",
        [c.id, c.expert_id],
    )?;
    let mut ledger = Ledger::default();
    for s in SEALED {
        ledger.reseal(&conn, 1, s.table, "1", &[])?;
    }
    let state = ledger.finish(&conn)?;
    let mut prev = crate::domain::audit::GENESIS.to_string();
    append(
        &conn,
        1,
        &mut prev,
        c.now,
        c.on,
        &[(
            c.actor.to_string(),
            "package.issue".to_string(),
            format!(
                "package {} for expert {}: {}",
                c.id,
                c.expert_id,
                counts.join(", ")
            ),
        )],
        state.as_deref(),
    )?;
    conn.commit()?;
    pkg.to_bytes()
}

/// The package a database is, if it is one (`meta` key `package`).
pub(crate) fn package_id(conn: &Connection) -> Result<Option<String>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = 'package'", [], |r| {
            r.get(0)
        })
        .optional()?)
}
