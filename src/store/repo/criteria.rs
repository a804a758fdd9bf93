//! The round's criteria as pinned at the first import: every file's text and hash.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

use crate::domain::audit::sha256_hex;
use crate::store::StoreError;

/// The pinned files, by name (empty before the first import).
pub(crate) fn load(conn: &Connection) -> Result<BTreeMap<String, String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT name, text, sha256 FROM criteria_file ORDER BY name")?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = BTreeMap::new();
    for (name, text, sha) in rows {
        if sha256_hex(text.as_bytes()) != sha {
            return Err(StoreError::corrupt(
                format!("保存的评选设置 {name} 与其哈希不符：请运行 shifan audit verify"),
                format!(
                    "the pinned criteria file {name} does not match its hash: run shifan audit verify"
                ),
            ));
        }
        out.insert(name, text);
    }
    Ok(out)
}

/// The pinned files' hashes, by name (cheap: no text is read or hashed).
pub(crate) fn hashes(conn: &Connection) -> Result<BTreeMap<String, String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT name, sha256 FROM criteria_file")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The hashes of a set of files, by name, as [`hashes`] gives them.
pub(crate) fn hashes_of(files: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(n, t)| (n.clone(), sha256_hex(t.as_bytes())))
        .collect()
}

/// Replace the pinned files by `files`.
pub(crate) fn save(conn: &Connection, files: &BTreeMap<String, String>) -> Result<(), StoreError> {
    conn.execute("DELETE FROM criteria_file", [])?;
    let mut stmt =
        conn.prepare_cached("INSERT INTO criteria_file (name, text, sha256) VALUES (?1, ?2, ?3)")?;
    for (name, text) in files {
        stmt.execute(params![name, text, sha256_hex(text.as_bytes())])?;
    }
    Ok(())
}

/// The digest of a set of criteria files: SHA-256 over each name and text, length-prefixed.
pub fn digest(files: &BTreeMap<String, String>) -> String {
    let mut buf = Vec::new();
    for (name, text) in files {
        for f in [name.as_bytes(), text.as_bytes()] {
            buf.extend_from_slice(&(f.len() as u64).to_be_bytes());
            buf.extend_from_slice(f);
        }
    }
    sha256_hex(&buf)
}
