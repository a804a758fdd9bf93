//! The audit log: listing it, its head, and verifying the chain and the data it covers.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use serde::Serialize;

use crate::domain::access::{Action, User, check};
use crate::domain::audit::{AuditEntry, AuditProblem, Head, ProblemKind, check_head, verify};
use crate::store::seal::{DataProblem, text_of, verify_data};
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

/// The log as stored. Each value is read whatever its type (an entry edited outside the program
/// may hold a blob or a number where text belongs): such an entry then fails its hash and is
/// reported as edited, instead of stopping the check.
fn entries(conn: &rusqlite::Connection) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, detail, prev_hash, hash, version, on_date, state FROM audit ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let text = |i: usize| r.get_ref(i).map(text_of);
            let optional = |i: usize| {
                r.get_ref(i)
                    .map(|v| (v != ValueRef::Null).then(|| text_of(v)))
            };
            Ok(AuditEntry {
                seq: r.get(0)?,
                at: text(1)?,
                actor: text(2)?,
                action: text(3)?,
                detail: text(4)?,
                prev_hash: text(5)?,
                hash: text(6)?,
                // An unreadable version is no known encoding (its hash cannot match as v1).
                version: match r.get_ref(7)? {
                    ValueRef::Integer(v) => v,
                    _ => 0,
                },
                on: optional(8)?,
                state: optional(9)?,
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
        // The version says how an entry is hashed and is not itself hashed: one that names no
        // known encoding was edited (`verify` would hash it as version 2).
        for e in log.iter().filter(|e| !matches!(e.version, 1 | 2)) {
            if !chain
                .iter()
                .any(|p| p.seq == e.seq && p.kind == ProblemKind::Edited)
            {
                chain.push(AuditProblem {
                    seq: e.seq,
                    kind: ProblemKind::Edited,
                });
            }
        }
        chain.sort_by_key(|p| p.seq);
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
