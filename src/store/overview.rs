//! Read-only views for the screens: one province's dossiers, whether the review has started.

use serde::Serialize;

use super::{Store, StoreError};
use crate::domain::access::{Action, User, check};

/// One current dossier of a province, as listed for its official.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceDossier {
    pub code: String,
    pub type_id: String,
    pub applicant: String,
    pub provincial_rank: Option<i64>,
    pub file: String,
}

impl Store {
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
}
