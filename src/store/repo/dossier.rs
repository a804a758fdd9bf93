//! Batches (one province's submission), dossier versions (the exact bytes sent) and dossier
//! identities (the stable code of an applicant within its province).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::domain::identity::KnownDossier;
use crate::store::StoreError;

/// A stored dossier of a current (not replaced) batch, as later stages need it.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentDossier {
    pub code: String,
    pub province_key: String,
    pub type_id: String,
    pub applicant: String,
    pub provincial_rank: Option<i64>,
    /// SHA-256 of the bytes of the current version.
    #[serde(skip)]
    pub sha256: String,
}

/// The dossiers of the current batches, by code.
pub(crate) fn current(conn: &Connection) -> Result<Vec<CurrentDossier>, StoreError> {
    let mut stmt = conn.prepare_cached(
        // The covering index (schema 5): the rows' stored bytes are not read.
        "SELECT d.code, d.province_key, d.type_id, d.applicant, d.provincial_rank, d.sha256
         FROM dossier d INDEXED BY dossier_ranking
         JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
         ORDER BY d.code",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(CurrentDossier {
                code: r.get(0)?,
                province_key: r.get(1)?,
                type_id: r.get(2)?,
                applicant: r.get(3)?,
                provincial_rank: r.get(4)?,
                sha256: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One current dossier by code.
pub(crate) fn current_one(
    conn: &Connection,
    code: &str,
) -> Result<Option<CurrentDossier>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT d.code, d.province_key, d.type_id, d.applicant, d.provincial_rank, d.sha256
             FROM dossier d JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
             WHERE d.code = ?1",
            [code],
            |r| {
                Ok(CurrentDossier {
                    code: r.get(0)?,
                    province_key: r.get(1)?,
                    type_id: r.get(2)?,
                    applicant: r.get(3)?,
                    provincial_rank: r.get(4)?,
                    sha256: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// The province's current batch: (id, content hash).
pub(crate) fn current_batch(
    conn: &Connection,
    province_key: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, content_sha256 FROM batch WHERE province_key = ?1 AND replaced_at IS NULL",
            [province_key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Every code the province was ever given, with the hash of its current version.
pub(crate) fn known(
    conn: &Connection,
    province_key: &str,
) -> Result<Vec<KnownDossier>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.code, i.number, i.applicant_norm, i.credit_code,
                (SELECT d.sha256 FROM dossier d JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
                 WHERE d.code = i.code)
         FROM dossier_identity i WHERE i.province_key = ?1 ORDER BY i.number",
    )?;
    let rows = stmt
        .query_map([province_key], |r| {
            Ok(KnownDossier {
                code: r.get(0)?,
                number: r.get(1)?,
                applicant_norm: r.get(2)?,
                credit_code: r.get(3)?,
                current_sha256: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The fields of a new batch row.
pub(crate) struct NewBatch<'a> {
    pub province_key: &'a str,
    pub folder: &'a str,
    pub department: &'a str,
    pub sent_on: String,
    pub copies: i64,
    pub submission_file: &'a str,
    pub submission_encoding: &'a str,
    pub submission_raw: &'a [u8],
    pub submission_sha256: &'a str,
    pub content_sha256: &'a str,
    pub warnings: i64,
    pub imported_at: &'a str,
}

pub(crate) fn insert_batch(conn: &Connection, b: &NewBatch) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO batch (province_key, folder, department, sent_on, copies, submission_file,
            submission_encoding, submission_raw, submission_sha256, content_sha256, warnings, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            b.province_key,
            b.folder,
            b.department,
            b.sent_on,
            b.copies,
            b.submission_file,
            b.submission_encoding,
            b.submission_raw,
            b.submission_sha256,
            b.content_sha256,
            b.warnings,
            b.imported_at,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Mark `old` replaced (before the new batch is stored: one current batch per province).
pub(crate) fn retire_batch(conn: &Connection, old: i64, at: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE batch SET replaced_at = ?1 WHERE id = ?2",
        params![at, old],
    )?;
    Ok(())
}

/// Record which batch replaced `old`.
pub(crate) fn set_replaced_by(conn: &Connection, old: i64, new: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE batch SET replaced_by = ?1 WHERE id = ?2",
        params![new, old],
    )?;
    Ok(())
}

/// The fields of a new dossier version.
pub(crate) struct NewDossier<'a> {
    pub code: &'a str,
    pub file: &'a str,
    pub province_key: &'a str,
    pub type_id: &'a str,
    pub applicant: &'a str,
    pub applicant_norm: &'a str,
    pub credit_code: Option<&'a str>,
    pub provincial_rank: Option<i64>,
    pub encoding: &'a str,
    pub raw: &'a [u8],
    pub sha256: &'a str,
}

pub(crate) fn insert_dossier(
    conn: &Connection,
    batch_id: i64,
    d: &NewDossier,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO dossier (batch_id, code, file, province_key, type_id, applicant, applicant_norm,
            credit_code, provincial_rank, encoding, raw, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    stmt.execute(params![
        batch_id,
        d.code,
        d.file,
        d.province_key,
        d.type_id,
        d.applicant,
        d.applicant_norm,
        d.credit_code,
        d.provincial_rank,
        d.encoding,
        d.raw,
        d.sha256,
    ])?;
    Ok(())
}

/// A new code of the province.
pub(crate) fn insert_identity(
    conn: &Connection,
    code: &str,
    province_key: &str,
    number: u32,
    applicant_norm: &str,
    credit_code: Option<&str>,
    first_batch: i64,
) -> Result<(), StoreError> {
    // Once per dossier at import: the statement is prepared once, not for every row.
    conn.prepare_cached(
        "INSERT INTO dossier_identity (code, province_key, number, applicant_norm, credit_code, first_batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![code, province_key, number, applicant_norm, credit_code, first_batch])?;
    Ok(())
}

/// Record the applicant's current name and credit code, and whether it is withdrawn.
pub(crate) fn update_identity(
    conn: &Connection,
    code: &str,
    applicant_norm: &str,
    credit_code: Option<&str>,
    withdrawn_at: Option<&str>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE dossier_identity SET applicant_norm = ?2, credit_code = COALESCE(?3, credit_code), withdrawn_at = ?4 WHERE code = ?1",
    )?
    .execute(params![code, applicant_norm, credit_code, withdrawn_at])?;
    Ok(())
}

pub(crate) fn withdraw_identity(conn: &Connection, code: &str, at: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE dossier_identity SET withdrawn_at = ?2 WHERE code = ?1",
        params![code, at],
    )?;
    Ok(())
}
