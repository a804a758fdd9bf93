//! The audit log: listing it, its head, and verifying the chain and the data it covers.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::access::{Action, User, check};
use crate::domain::audit::{AuditEntry, AuditProblem, Head, check_head, verify};
use crate::store::seal::{DataProblem, verify_data};
use crate::store::{Store, StoreError};

/// What `audit verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub entries: usize,
    /// Data rows checked against their seals.
    pub rows: usize,
    /// Problems in the chain itself (and against the head given).
    pub chain: Vec<AuditProblem>,
    /// Rows inserted, changed or deleted outside the program, and rewritten seals.
    pub data: Vec<DataProblem>,
    /// The head now, `SEQ:HASH`.
    pub head: Option<String>,
}

impl AuditReport {
    pub fn intact(&self) -> bool {
        self.chain.is_empty() && self.data.is_empty()
    }
}

fn entries(conn: &rusqlite::Connection) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, detail, prev_hash, hash, version, on_date, state FROM audit ORDER BY seq",
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
                version: r.get(7)?,
                on: r.get(8)?,
                state: r.get(9)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

impl Store {
    /// The whole audit log in order (ministry only).
    pub fn audit_log(&self, actor: &User) -> Result<Vec<AuditEntry>, StoreError> {
        check(actor, &Action::VerifyAudit)?;
        entries(&self.conn)
    }

    /// The head of the log: its last entry's `SEQ:HASH` (printed on every notice). Anyone
    /// logged in may read it: it reveals nothing but a hash.
    pub fn audit_head(&self) -> Result<Option<String>, StoreError> {
        let (seq, hash) = crate::store::step::last_entry(&self.conn)?;
        Ok((seq > 0).then(|| format!("{seq}:{hash}")))
    }

    /// Check the chain, the data against its seals, and the log against a head recorded
    /// elsewhere (ministry only).
    pub fn verify_audit(
        &self,
        actor: &User,
        head: Option<&Head>,
    ) -> Result<AuditReport, StoreError> {
        check(actor, &Action::VerifyAudit)?;
        let tx = self.conn.unchecked_transaction()?;
        let log = entries(&tx)?;
        let mut chain = verify(&log);
        if let Some(h) = head
            && let Some(p) = check_head(&log, h)
        {
            chain.push(p);
        }
        // The digests the log recorded last, per table.
        let mut recorded: HashMap<String, (String, i64)> = HashMap::new();
        for e in &log {
            let Some(state) = &e.state else { continue };
            let Ok(map) = serde_json::from_str::<HashMap<String, String>>(state) else {
                continue;
            };
            for (t, d) in map {
                recorded.insert(t, (d, e.seq));
            }
        }
        let (rows, data) = verify_data(&tx, &recorded)?;
        Ok(AuditReport {
            entries: log.len(),
            rows,
            chain,
            data,
            head: log.last().map(AuditEntry::head),
        })
    }
}
