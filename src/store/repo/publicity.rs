//! The publicity state: one row holding the [`Publicity`] state machine as JSON.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::publicity::Publicity;
use crate::store::StoreError;

/// The publicity as stored (a fresh one before any step). Unreadable JSON is an error: a
/// damaged state is never read as "nothing proposed".
pub(crate) fn load(conn: &Connection) -> Result<Publicity, StoreError> {
    let json: Option<String> = conn
        .query_row("SELECT state FROM publicity WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    match json {
        None => Ok(Publicity::new()),
        Some(j) => serde_json::from_str(&j).map_err(|e| {
            StoreError::corrupt(
                format!("保存的公示状态无法读取：{e}"),
                format!("the stored publicity state is unreadable: {e}"),
            )
        }),
    }
}

/// Save the publicity (the caller reseals the row).
pub(crate) fn save(conn: &Connection, p: &Publicity) -> Result<(), StoreError> {
    let json = serde_json::to_string(p).map_err(|e| {
        StoreError::corrupt(
            format!("公示状态无法保存：{e}"),
            format!("cannot save the publicity state: {e}"),
        )
    })?;
    conn.execute(
        "INSERT INTO publicity (id, state) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
        params![json],
    )?;
    Ok(())
}
