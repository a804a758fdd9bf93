//! The ministry's recorded orders for dossiers the published tie-break chain left tied.

use rusqlite::{Connection, params};

use crate::domain::ranking::TieDecision;
use crate::store::StoreError;

pub(crate) fn all(conn: &Connection) -> Result<Vec<TieDecision>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT codes, reason FROM tie_decision ORDER BY id")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(codes, reason)| {
            let order: Vec<String> = serde_json::from_str(&codes).map_err(|_| {
                StoreError::corrupt(
                    format!("保存的并列决定无法读取：{codes}"),
                    format!("a stored tie decision cannot be read: {codes}"),
                )
            })?;
            Ok(TieDecision { order, reason })
        })
        .collect()
}

pub(crate) fn insert(
    conn: &Connection,
    order: &[String],
    reason: &str,
    on: &str,
    actor: &str,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO tie_decision (codes, reason, decided_on, actor) VALUES (?1, ?2, ?3, ?4)",
        params![
            serde_json::to_string(order).unwrap_or_default(),
            reason,
            on,
            actor
        ],
    )?;
    Ok(conn.last_insert_rowid())
}
