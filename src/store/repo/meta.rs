//! The round's own settings kept in `meta` (key → text).

use rusqlite::{Connection, OptionalExtension};

use crate::store::StoreError;

/// The value of `key`, if kept.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// A secret of the round under `key` (32 random bytes, hex), made the first time it is needed;
/// when another connection made it meanwhile, the first one made is kept and returned.
pub(crate) fn secret(conn: &Connection, key: &str) -> Result<String, StoreError> {
    if let Some(s) = get(conn, key)? {
        return Ok(s);
    }
    let made = crate::package::file::hex(&rand::random::<[u8; 32]>());
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        [key, &made],
    )?;
    Ok(get(conn, key)?.unwrap_or(made))
}
