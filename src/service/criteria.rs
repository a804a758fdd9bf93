//! The round's criteria, pinned at the first import: every later step uses the stored copy. An
//! update is audited; once the review has started only holidays and contact details may change.

use std::collections::BTreeMap;

use crate::domain::access::{Action, User, check};
use crate::domain::phase::{Phase, Step as PhaseStep};
use crate::domain::refusal::Refusal;
use crate::input::criteria::criteria_differences;
use crate::store::repo::criteria as pinned;
use crate::store::{Store, StoreError};

/// What may change after the review started: holidays, and the publicity contact details.
fn restricted_view(name: &str, text: &str) -> Option<toml::Table> {
    if name == "holidays.toml" {
        return None;
    }
    let mut t = text.parse::<toml::Table>().ok()?;
    if name == "round.toml" {
        t.remove("publicity_contact");
    }
    Some(t)
}

impl Store {
    /// The criteria files pinned to the round (empty before the first import).
    pub fn pinned_criteria(&self) -> Result<BTreeMap<String, String>, StoreError> {
        pinned::load(&self.conn)
    }

    /// Replace the round's criteria by `files` (ministry staff). Before the review any change;
    /// from the review on only `holidays.toml` and round.toml's `[publicity_contact]`.
    /// Returns the differences applied.
    pub fn update_criteria(
        &mut self,
        actor: &User,
        files: &BTreeMap<String, String>,
    ) -> Result<Vec<String>, StoreError> {
        check(actor, &Action::UpdateCriteria)?;
        self.step(None, |s| {
            let phase = s.permit(PhaseStep::UpdateCriteria)?;
            let stored = pinned::load(&s.tx)?;
            if stored == *files {
                return Err(Refusal::CriteriaUnchanged.into());
            }
            let differences = criteria_differences(&stored, files, 40);
            if phase != Phase::Applications && !stored.is_empty() {
                let names: std::collections::BTreeSet<&String> =
                    stored.keys().chain(files.keys()).collect();
                let not_allowed: Vec<String> = names
                    .into_iter()
                    .filter(|n| {
                        let a = stored.get(*n).map(|t| restricted_view(n, t));
                        let b = files.get(*n).map(|t| restricted_view(n, t));
                        a != b
                    })
                    .flat_map(|n| {
                        let only = |m: &BTreeMap<String, String>| {
                            m.get(n)
                                .map(|t| BTreeMap::from([(n.clone(), t.clone())]))
                                .unwrap_or_default()
                        };
                        criteria_differences(&only(&stored), &only(files), 12)
                            .into_iter()
                            .filter(|d| !d.contains("publicity_contact"))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if !not_allowed.is_empty() {
                    return Err(Refusal::CriteriaChangeNotAllowed {
                        phase: phase.text(),
                        differences: not_allowed,
                    }
                    .into());
                }
            }
            pinned::save(&s.tx, files)?;
            for name in stored.keys().filter(|n| !files.contains_key(*n)) {
                s.unseal("criteria_file", name)?;
            }
            s.reseal("criteria_file", "1", &[])?;
            s.audit(
                &actor.name,
                "criteria.update",
                format!(
                    "criteria updated, digest {}: {}",
                    pinned::digest(files),
                    differences.join("; ")
                ),
            );
            Ok(differences)
        })
    }
}
