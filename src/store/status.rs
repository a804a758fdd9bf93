//! What the database holds.

use serde::Serialize;

use super::{Store, StoreError};
use crate::domain::access::{Action, Role, User, check};

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
        let mut stmt = self.conn.prepare(
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
        let mut by_type = self
            .conn
            .prepare("SELECT type_id, COUNT(*) FROM dossier WHERE batch_id = ?1 GROUP BY type_id ORDER BY type_id")?;
        for b in &mut batches {
            b.types = by_type
                .query_map([b.batch_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
        }
        let replaced_batches = self.conn.query_row(
            "SELECT COUNT(*) FROM batch WHERE replaced_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let dossiers = batches.iter().map(|b| b.dossiers).sum();
        Ok(Status {
            schema_version: self.schema_version()?,
            batches,
            replaced_batches,
            dossiers,
        })
    }

    /// The stored bytes of a current dossier and their recorded hash, by dossier code: for
    /// ministry staff, the dossier's assigned experts and its province's official.
    pub fn dossier_raw(
        &self,
        actor: Option<&User>,
        code: &str,
    ) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        use rusqlite::OptionalExtension;
        if let Some(user) = self.setup_or(actor)? {
            let province: Option<String> = self
                .conn
                .query_row(
                    "SELECT d.province_key FROM dossier d JOIN batch b ON b.id = d.batch_id
                     WHERE d.code = ?1 AND b.replaced_at IS NULL",
                    [code],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(province) = province else {
                return Ok(None);
            };
            let experts = self.assigned_experts(code)?;
            check(
                &user,
                &Action::ReadDossier {
                    province_key: &province,
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
}
