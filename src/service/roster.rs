//! The expert roster: load or update it, list it.

use crate::domain::access::{Action, Role, User, check};
use crate::domain::expert::Expert;
use crate::store::repo::expert;
use crate::store::{Store, StoreError};

impl Store {
    /// Load or update the roster (ministry staff). Experts not in the file stay as they are, so
    /// past assignments keep their names.
    pub fn import_experts(
        &mut self,
        actor: &User,
        experts: &[Expert],
    ) -> Result<(usize, usize), StoreError> {
        check(actor, &Action::ImportExperts)?;
        self.step(None, |s| {
            let (mut added, mut updated) = (0, 0);
            for e in experts {
                if expert::upsert(&s.tx, e)? {
                    updated += 1;
                } else {
                    added += 1;
                }
                s.reseal("expert", "id = ?1", &[&e.id])?;
            }
            s.audit(
                &actor.name,
                "experts.import",
                format!("{added} added, {updated} updated"),
            );
            Ok((added, updated))
        })
    }

    /// The roster (ministry staff; an expert sees only their own entry).
    pub fn experts(&self, actor: &User) -> Result<Vec<Expert>, StoreError> {
        let own = match &actor.role {
            Role::Expert { expert_id } => Some(expert_id.clone()),
            _ => {
                check(actor, &Action::Assign)?;
                None
            }
        };
        expert::load(&self.conn, own.as_deref())
    }

    /// The roster without an access check, for the library's own use.
    pub(crate) fn roster(&self, only: Option<&str>) -> Result<Vec<Expert>, StoreError> {
        expert::load(&self.conn, only)
    }
}
