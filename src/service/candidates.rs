//! Who may take a dossier's place in a swap: every expert of the roster with the reason the
//! domain's assignment rules keep them out, or their current load when they may (CLI
//! `experts candidates`, the TUI's swap list). Read only; the swap itself re-checks in its own
//! transaction.

use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, User, check};
use crate::domain::assignment::{ExpertProfile, exclusion};
use crate::domain::finding::Text;
use crate::domain::refusal::Refusal;
use crate::store::repo::assignment as pairs;
use crate::store::repo::{dossier, expert};
use crate::store::{Store, StoreError};

use super::assignment::profile;

/// One expert of the roster as a possible replacement on one dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub expert_id: String,
    pub name: String,
    pub province_key: Option<String>,
    /// Whether the expert covers the dossier's type.
    pub covers_type: bool,
    /// Dossiers the expert currently reviews.
    pub load: usize,
    /// Why the expert may not take the place; `None` when they may.
    pub reason: Option<Text>,
}

impl Candidate {
    pub fn eligible(&self) -> bool {
        self.reason.is_none()
    }
}

impl Store {
    /// (dossier, expert) of every current pair whose sheet is submitted (ministry staff): what
    /// may be reopened, and who may not be swapped out.
    pub fn submitted_pairs(
        &self,
        actor: &User,
    ) -> Result<std::collections::BTreeSet<(String, String)>, StoreError> {
        check(actor, &Action::ViewProgress)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             JOIN sheet s ON s.assignment_id = a.id
             WHERE a.ended_at IS NULL AND s.submitted_at IS NOT NULL",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every expert of the roster for `dossier_code`: the eligible ones first (type covered,
    /// then lightest load), then the others, each with the rule that keeps them out.
    pub fn swap_candidates(
        &self,
        criteria: &Criteria,
        actor: &User,
        dossier_code: &str,
    ) -> Result<Vec<Candidate>, StoreError> {
        check(actor, &Action::SwapExpert)?;
        let d = dossier::current_one(&self.conn, dossier_code)?.ok_or_else(|| {
            Refusal::UnknownDossier {
                code: dossier_code.to_string(),
            }
        })?;
        let on = pairs::experts_of(&self.conn, dossier_code)?;
        let barred = pairs::barred(&self.conn)?;
        let active = self.active_pairs()?;
        let dp = profile(criteria, &d);
        let mut out: Vec<Candidate> = expert::load(&self.conn, None)?
            .iter()
            .map(|e| {
                let recused = barred.contains(&(dossier_code.to_string(), e.id.clone()));
                let reason = if on.contains(&e.id) {
                    Some(Text::new(
                        "已是本申报书的评审专家。",
                        "Already reviews this dossier.",
                    ))
                } else {
                    exclusion(&ExpertProfile::from(e), &dp, recused).map(|x| x.text())
                };
                Candidate {
                    expert_id: e.id.clone(),
                    name: e.name.clone(),
                    province_key: e.province_key.clone(),
                    covers_type: e.expertise.contains(&d.type_id),
                    load: active.iter().filter(|(_, x)| *x == e.id).count(),
                    reason,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.eligible()
                .cmp(&a.eligible())
                .then(b.covers_type.cmp(&a.covers_type))
                .then(a.load.cmp(&b.load))
                .then(a.expert_id.cmp(&b.expert_id))
        });
        Ok(out)
    }
}
