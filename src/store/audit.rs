//! The audit log: every change appended in the same transaction, hash-chained.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError};
use crate::domain::access::{Action, User, check};
use crate::domain::audit::{AuditEntry, AuditProblem, GENESIS, entry_hash, verify};

/// Append one entry, chained to the last one. Call inside the transaction of the change.
pub(crate) fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), StoreError> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = last.map_or((1, GENESIS.to_string()), |(s, h)| (s + 1, h));
    let at = jiff::Timestamp::now().to_string();
    let hash = entry_hash(seq, &at, actor, action, detail, &prev);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, at, actor, action, detail, prev, hash],
    )?;
    Ok(())
}

impl Store {
    /// The whole audit log in order (ministry only).
    pub fn audit_log(&self, actor: &User) -> Result<Vec<AuditEntry>, StoreError> {
        check(actor, &Action::VerifyAudit)?;
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                    prev_hash: r.get(5)?,
                    hash: r.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Check the chain: every edited or deleted row is named.
    pub fn verify_audit(&self, actor: &User) -> Result<(usize, Vec<AuditProblem>), StoreError> {
        let log = self.audit_log(actor)?;
        Ok((log.len(), verify(&log)))
    }
}
