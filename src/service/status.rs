//! What the database holds, and the read-only views the screens use.

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::domain::access::{Action, Role, User, check};
use crate::domain::phase::Phase;
use crate::store::repo::{assignment as pairs, criteria as pinned, dossier};
use crate::store::{CurrentDossier, Store, StoreError};

/// One current batch.
#[derive(Debug, Clone, Serialize)]
pub struct BatchStatus {
    pub batch_id: i64,
    pub province: String,
    pub dossiers: i64,
    pub imported_at: String,
    pub sent_on: String,
    pub content_sha256: String,
    /// Dossiers per type id.
    pub types: Vec<(String, i64)>,
}

/// The whole database at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub schema_version: i64,
    pub batches: Vec<BatchStatus>,
    pub replaced_batches: i64,
    pub dossiers: i64,
    /// Dossiers withdrawn by their province (no longer in its current batch).
    pub withdrawn: i64,
    /// Where the round stands.
    pub phase: Phase,
    /// Digest of the criteria pinned to the round (`None` before the first import).
    pub criteria_digest: Option<String>,
    /// The audit log's head, `SEQ:HASH`.
    pub audit_head: Option<String>,
}

/// One current dossier of a province, as listed for its official.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceDossier {
    pub code: String,
    pub type_id: String,
    pub applicant: String,
    pub provincial_rank: Option<i64>,
    pub file: String,
}

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
    /// Who may act without an account: nobody, once the database has accounts.
    pub(crate) fn setup_or(&self, actor: Option<&User>) -> Result<Option<User>, StoreError> {
        match actor {
            Some(u) => Ok(Some(u.clone())),
            None if self.has_accounts()? => Err(StoreError::LoginRequired),
            None => Ok(None),
        }
    }

    /// What the database holds: the national view, or an official's own province. Without an
    /// actor only while the database has no accounts yet (setting up).
    pub fn status(&self, actor: Option<&User>) -> Result<Status, StoreError> {
        let mut status = self.status_unchecked()?;
        if let Some(user) = self.setup_or(actor)? {
            match &user.role {
                Role::Official { province_key } => {
                    check(&user, &Action::ViewProvince(province_key))?;
                    status.batches.retain(|b| &b.province == province_key);
                    status.dossiers = status.batches.iter().map(|b| b.dossiers).sum();
                }
                _ => check(&user, &Action::ViewStatus)?,
            }
        }
        Ok(status)
    }

    pub(crate) fn status_unchecked(&self) -> Result<Status, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let mut stmt = tx.prepare(
            "SELECT b.id, b.province_key, b.imported_at, b.sent_on, b.content_sha256,
                    (SELECT COUNT(*) FROM dossier d WHERE d.batch_id = b.id)
             FROM batch b WHERE b.replaced_at IS NULL",
        )?;
        let mut batches = stmt
            .query_map([], |r| {
                Ok(BatchStatus {
                    batch_id: r.get(0)?,
                    province: r.get(1)?,
                    imported_at: r.get(2)?,
                    sent_on: r.get(3)?,
                    content_sha256: r.get(4)?,
                    dossiers: r.get(5)?,
                    types: Vec::new(),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut by_type = tx.prepare(
            "SELECT type_id, COUNT(*) FROM dossier WHERE batch_id = ?1 GROUP BY type_id ORDER BY type_id",
        )?;
        for b in &mut batches {
            b.types = by_type
                .query_map([b.batch_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
        }
        let replaced_batches = tx.query_row(
            "SELECT COUNT(*) FROM batch WHERE replaced_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let withdrawn = tx.query_row(
            "SELECT COUNT(*) FROM dossier_identity WHERE withdrawn_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let files = pinned::load(&tx)?;
        let head: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let dossiers = batches.iter().map(|b| b.dossiers).sum();
        Ok(Status {
            schema_version: self.schema_version()?,
            batches,
            replaced_batches,
            dossiers,
            withdrawn,
            phase: crate::store::step::round_phase(&tx)?,
            criteria_digest: (!files.is_empty()).then(|| pinned::digest(&files)),
            audit_head: head.map(|(s, h)| format!("{s}:{h}")),
        })
    }

    /// The stored bytes of a current dossier and their recorded hash, by dossier code: for
    /// ministry staff, the dossier's assigned experts and its province's official.
    pub fn dossier_raw(
        &self,
        actor: Option<&User>,
        code: &str,
    ) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        if let Some(user) = self.setup_or(actor)? {
            let Some(d) = dossier::current_one(&self.conn, code)? else {
                return Ok(None);
            };
            let experts = pairs::experts_of(&self.conn, code)?;
            check(
                &user,
                &Action::ReadDossier {
                    province_key: &d.province_key,
                    assigned_expert_ids: &experts,
                },
            )?;
        }
        Ok(self
            .conn
            .query_row(
                "SELECT d.raw, d.sha256 FROM dossier d JOIN batch b ON b.id = d.batch_id
                 WHERE d.code = ?1 AND b.replaced_at IS NULL",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The phase of the round. Needs no role: it tells nothing but the stage.
    pub fn round_phase(&self) -> Result<Phase, StoreError> {
        crate::store::step::round_phase(&self.conn)
    }

    /// The current (not replaced) dossiers of one reporting unit, by provincial rank then code.
    pub fn province_dossiers(
        &self,
        actor: &User,
        province_key: &str,
    ) -> Result<Vec<ProvinceDossier>, StoreError> {
        check(actor, &Action::ViewProvince(province_key))?;
        let mut stmt = self.conn.prepare(
            "SELECT d.code, d.type_id, d.applicant, d.provincial_rank, d.file
             FROM dossier d JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
             WHERE d.province_key = ?1
             ORDER BY d.provincial_rank IS NULL, d.provincial_rank, d.code",
        )?;
        let rows = stmt
            .query_map([province_key], |r| {
                Ok(ProvinceDossier {
                    code: r.get(0)?,
                    type_id: r.get(1)?,
                    applicant: r.get(2)?,
                    provincial_rank: r.get(3)?,
                    file: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Whether any expert has ever been assigned (the review has started).
    pub fn assignments_exist(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM assignment)", [], |r| r.get(0))?)
    }

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
             LEFT JOIN sheet h ON h.assignment_id = a.id
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
