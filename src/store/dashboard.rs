//! Read-only figures for the ministry's and the clerk's screens: every current dossier with its
//! experts, and the counts of the documents to print.

use serde::Serialize;

use super::{CurrentDossier, Store, StoreError};
use crate::domain::access::{Action, User, check};

/// What the clerk will print: how many of each document the round needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DocumentCounts {
    /// Experts with at least one current assignment: one score sheet booklet each.
    pub experts: usize,
    /// Sheets of the current assignments.
    pub sheets: usize,
    /// Sheets submitted.
    pub submitted: usize,
}

impl Store {
    /// Every dossier of the current batches, by code (ministry staff).
    pub fn dossier_index(&self, actor: &User) -> Result<Vec<CurrentDossier>, StoreError> {
        check(actor, &Action::Assign)?;
        self.current_dossiers()
    }

    /// Counts of the documents to produce (those who print notices: clerks and ministry staff).
    pub fn document_counts(&self, actor: &User) -> Result<DocumentCounts, StoreError> {
        check(actor, &Action::PrintNotices)?;
        let (experts, sheets, submitted): (i64, i64, i64) = self.conn.query_row(
            "SELECT COUNT(DISTINCT a.expert_id), COUNT(*), COUNT(h.submitted_at) FROM assignment a
             LEFT JOIN sheet h ON h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id
             WHERE a.ended_at IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let n = |v: i64| usize::try_from(v).unwrap_or(0);
        Ok(DocumentCounts {
            experts: n(experts),
            sheets: n(sheets),
            submitted: n(submitted),
        })
    }
}
