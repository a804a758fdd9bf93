//! Remote scoring packages issued (`package`): what was sent and whether it came back.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::domain::package::Issued;
use crate::store::StoreError;

/// One assignment as it was sent in a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Sent {
    pub assignment_id: i64,
    pub code: String,
    pub dossier_sha256: String,
    /// [`sheet_digest`] of the expert's sheet when the package was issued.
    pub sheet_digest: String,
}

/// One package row.
#[derive(Debug, Clone)]
pub(crate) struct PackageRow {
    pub id: String,
    pub expert_id: String,
    pub mac_key: String,
    pub sent: Vec<Sent>,
}

/// A sheet's state as one string: opinion, recommendation, lock and points (by criterion).
pub(crate) fn sheet_digest(s: &crate::domain::scoring::Sheet) -> String {
    let mut scores = s.scores.clone();
    scores.sort_by(|a, b| a.0.cmp(&b.0));
    let text = serde_json::json!({
        "opinion": s.opinion,
        "recommend": s.recommend,
        "submitted": s.submitted,
        "scores": scores,
    })
    .to_string();
    crate::domain::audit::sha256_hex(text.as_bytes())
}

fn row(
    r: &rusqlite::Row,
) -> rusqlite::Result<(String, String, String, String, String, Option<String>)> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn typed(
    (id, expert_id, _issued_at, mac_key, sent, _returned_at): (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    ),
) -> Result<PackageRow, StoreError> {
    let sent = serde_json::from_str(&sent).map_err(|_| {
        StoreError::corrupt(
            format!("评分包 {id} 的下发记录无法读取"),
            format!("the record of what package {id} sent does not read"),
        )
    })?;
    Ok(PackageRow {
        id,
        expert_id,
        mac_key,
        sent,
    })
}

const COLUMNS: &str = "id, expert_id, issued_at, mac_key, sent, returned_at";

/// Every package issued, in the order issued.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Issued>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM package ORDER BY n"))?;
    let rows = stmt.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, expert_id, issued_at, _, _, returned_at)| Issued {
            id,
            expert_id,
            issued_at,
            returned_at,
        })
        .collect())
}

pub(crate) fn find(conn: &Connection, id: &str) -> Result<Option<PackageRow>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM package WHERE id = ?1"),
        [id],
        row,
    )
    .optional()?
    .map(typed)
    .transpose()
}

/// Record a package issued.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert(
    conn: &Connection,
    id: &str,
    expert_id: &str,
    now: &str,
    on: &str,
    actor: &str,
    mac_key: &str,
    sent: &[Sent],
    file_sha256: &str,
) -> Result<(), StoreError> {
    let sent = serde_json::to_string(sent).unwrap_or_default();
    conn.execute(
        "INSERT INTO package (id, n, expert_id, issued_at, issued_on, actor, mac_key, sent, file_sha256)
         VALUES (?1, (SELECT COALESCE(MAX(n), 0) + 1 FROM package), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, expert_id, now, on, actor, mac_key, sent, file_sha256],
    )?;
    Ok(())
}

/// Record a package's return taken.
pub(crate) fn returned(
    conn: &Connection,
    id: &str,
    now: &str,
    file_sha256: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE package SET returned_at = ?2, returned_sha256 = ?3 WHERE id = ?1",
        params![id, now, file_sha256],
    )?;
    Ok(())
}

/// The round's package secret, made (32 random bytes, hex) the first time it is needed.
pub(crate) fn secret(conn: &Connection) -> Result<String, StoreError> {
    super::meta::secret(conn, "package_secret")
}
