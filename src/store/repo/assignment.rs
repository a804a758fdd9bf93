//! Assignments (which expert reviews which dossier), with where each pair came from and why it
//! ended, and recusals.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::StoreError;

/// Where a pair came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The assignment plan.
    Plan,
    /// A swap by ministry staff (a manual decision: kept by later plans).
    Swap,
    /// The replacement of an expert who recused (kept by later plans).
    Replacement,
    /// The same expert again after the dossier changed in a replaced batch.
    Reassign,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Plan => "plan",
            Origin::Swap => "swap",
            Origin::Replacement => "replacement",
            Origin::Reassign => "reassign",
        }
    }
}

/// Why a pair ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Re-planned by a later assignment run (never a pair with work on it).
    Replan,
    /// Swapped out by ministry staff: the expert does not come back to the dossier by a plan.
    Swap,
    Recusal,
    /// The dossier changed in a replaced batch: the sheet is set aside, kept.
    Changed,
    /// The dossier left its province's batch.
    Withdrawn,
}

impl Ended {
    fn as_str(self) -> &'static str {
        match self {
            Ended::Replan => "replan",
            Ended::Swap => "swap",
            Ended::Recusal => "recusal",
            Ended::Changed => "changed",
            Ended::Withdrawn => "withdrawn",
        }
    }
}

type Pairs = BTreeSet<(String, String)>;

fn pairs(conn: &Connection, sql: &str) -> Result<Pairs, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Pairs, _>>()?;
    Ok(rows)
}

/// (dossier, expert) pairs currently assigned, of current dossiers.
pub(crate) fn active(conn: &Connection) -> Result<Pairs, StoreError> {
    pairs(
        conn,
        "SELECT dossier_code, expert_id FROM assignment WHERE ended_at IS NULL",
    )
}

/// Current pairs a plan must keep: work started on them, or a manual decision made them.
pub(crate) fn kept(conn: &Connection) -> Result<Pairs, StoreError> {
    pairs(
        conn,
        "SELECT a.dossier_code, a.expert_id FROM assignment a
         WHERE a.ended_at IS NULL AND (a.origin IN ('swap', 'replacement', 'reassign')
            OR EXISTS (SELECT 1 FROM sheet h WHERE h.assignment_id = a.id))",
    )
}

/// Pairs a plan must never make: recusals, and experts swapped out of a dossier.
pub(crate) fn barred(conn: &Connection) -> Result<Pairs, StoreError> {
    pairs(
        conn,
        "SELECT dossier_code, expert_id FROM recusal
         UNION SELECT dossier_code, expert_id FROM assignment WHERE ended_kind = 'swap'",
    )
}

/// Experts currently assigned to a dossier, by id.
pub(crate) fn experts_of(conn: &Connection, dossier: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT expert_id FROM assignment WHERE dossier_code = ?1 AND ended_at IS NULL ORDER BY expert_id",
    )?;
    let rows = stmt
        .query_map([dossier], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}

/// The current assignment id of a pair.
pub(crate) fn current_id(
    conn: &Connection,
    dossier: &str,
    expert: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id FROM assignment WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL",
            [dossier, expert],
            |r| r.get(0),
        )
        .optional()?)
}

/// Start a pair; its id.
pub(crate) fn start(
    conn: &Connection,
    dossier: &str,
    expert: &str,
    at: &str,
    origin: Origin,
    reason: &str,
) -> Result<i64, StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO assignment (dossier_code, expert_id, assigned_at, reason, origin) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    stmt.execute(params![dossier, expert, at, reason, origin.as_str()])?;
    Ok(conn.last_insert_rowid())
}

/// End a current pair; its id when there was one.
pub(crate) fn end(
    conn: &Connection,
    dossier: &str,
    expert: &str,
    at: &str,
    kind: Ended,
    reason: &str,
) -> Result<Option<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "UPDATE assignment SET ended_at = ?3, ended_reason = ?4, ended_kind = ?5
         WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL RETURNING id",
    )?;
    Ok(stmt
        .query_row(params![dossier, expert, at, reason, kind.as_str()], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Record a recusal.
pub(crate) fn recuse(
    conn: &Connection,
    dossier: &str,
    expert: &str,
    reason: &str,
    at: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO recusal (dossier_code, expert_id, reason, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET reason = excluded.reason, at = excluded.at",
        params![dossier, expert, reason, at],
    )?;
    Ok(())
}
