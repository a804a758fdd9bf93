//! Expert assignment: plans come from [`crate::domain::assignment`]; each step records the
//! pairs started and ended with their reasons, and audits them. Re-running the plan keeps every
//! manual decision: swaps, recusals with their replacements, and pairs with work on them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::assignment::{
    AssignmentInput, DossierProfile, ExpertProfile, Plan, assign, exclusion, replacement,
};
use crate::domain::finding::Text;
use crate::domain::phase::Step as PhaseStep;
use crate::domain::refusal::{Refusal, reason_given};
use crate::store::repo::assignment::{self as pairs, Ended, Origin};
use crate::store::repo::{dossier, expert, sheet};
use crate::store::{CurrentDossier, Store, StoreError};

/// A dossier that cannot get all its experts, and the smallest fix.
#[derive(Debug, Clone, Serialize)]
pub struct ShortfallRow {
    pub dossier: String,
    pub needed: usize,
    pub eligible: usize,
    pub suggestion: Text,
}

/// What `assign` did.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentReport {
    pub seed: u64,
    pub per_dossier: usize,
    pub dossiers: usize,
    pub experts: usize,
    pub pairs: usize,
    /// Pairs started by this run.
    pub added: usize,
    /// Pairs ended by this run (re-planned, never ones with work on them).
    pub ended: usize,
    /// Pairs kept because work started on them or a manual decision (swap, replacement after
    /// a recusal, a changed dossier given back) made them.
    pub kept: usize,
    /// (expert id, dossiers) for every active expert.
    pub load: Vec<(String, usize)>,
    pub shortfalls: Vec<ShortfallRow>,
    /// Dossiers none of whose experts has expertise in the dossier's type.
    pub uncovered_types: Vec<String>,
    /// (dossier, expert) of every current pair.
    pub assignments: Vec<(String, String)>,
    /// SHA-256 of the sorted pairs, also written to the audit log.
    pub digest: String,
}

/// The outcome of a recusal.
#[derive(Debug, Clone, Serialize)]
pub struct RecusalOutcome {
    pub dossier: String,
    pub expert_id: String,
    /// The expert who takes the place, if one may.
    pub replacement: Option<String>,
    /// Why nobody could take the place, and the smallest fix.
    pub shortfall: Option<Text>,
}

pub(crate) fn profile(criteria: &Criteria, d: &CurrentDossier) -> DossierProfile {
    DossierProfile {
        code: d.code.clone(),
        province_key: d.province_key.clone(),
        type_id: d.type_id.clone(),
        applicant: d.applicant.clone(),
        province_name: criteria.province_text(&d.province_key),
        type_name: criteria.type_text(&d.type_id),
    }
}

/// Digest of a set of pairs, order-independent.
fn digest(pairs: &BTreeSet<(String, String)>) -> String {
    let text: String = pairs.iter().map(|(d, e)| format!("{d}\t{e}\n")).collect();
    crate::store::sha256_hex(text.as_bytes())
}

fn expert_of(actor: &User) -> String {
    match &actor.role {
        Role::Expert { expert_id } => expert_id.clone(),
        _ => String::new(),
    }
}

impl Store {
    /// The dossiers of the current batches, by code.
    pub(crate) fn current_dossiers(&self) -> Result<Vec<CurrentDossier>, StoreError> {
        dossier::current(&self.conn)
    }

    /// (dossier, expert) pairs currently assigned.
    pub(crate) fn active_pairs(&self) -> Result<BTreeSet<(String, String)>, StoreError> {
        pairs::active(&self.conn)
    }

    /// Assign the round's number of experts to every stored dossier (ministry staff), in one
    /// step. Deterministic for a seed. Kept: pairs with work on them and every manual decision
    /// (swaps, replacements after recusals); never made again: recusals and swapped-out pairs.
    pub fn assign(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        seed: u64,
    ) -> Result<AssignmentReport, StoreError> {
        check(actor, &Action::Assign)?;
        let per = criteria.round.experts_per_dossier as usize;
        self.step(None, |s| {
            s.permit(PhaseStep::Assign)?;
            let dossiers: Vec<DossierProfile> = dossier::current(&s.tx)?
                .iter()
                .map(|d| profile(criteria, d))
                .collect();
            if dossiers.is_empty() {
                return Err(Refusal::NoDossiers.into());
            }
            let roster = expert::load(&s.tx, None)?;
            if roster.is_empty() {
                return Err(Refusal::NoExperts.into());
            }
            let experts: Vec<ExpertProfile> = roster.iter().map(ExpertProfile::from).collect();
            let barred: Vec<(String, String)> = pairs::barred(&s.tx)?.into_iter().collect();
            let keep: Vec<(String, String)> = pairs::kept(&s.tx)?.into_iter().collect();
            let input = AssignmentInput {
                experts: &experts,
                dossiers: &dossiers,
                per_dossier: per,
                seed,
                recusals: &barred,
                keep: &keep,
            };
            let plan = assign(&input);
            let planned: BTreeSet<(String, String)> = plan
                .pairs
                .iter()
                .flat_map(|(d, es)| {
                    es.iter()
                        .map(|&e| (dossiers[*d].code.clone(), experts[e].id.clone()))
                })
                .collect();
            let active = pairs::active(&s.tx)?;
            let mut ended = 0;
            let now = s.now.clone();
            for (d, e) in active.difference(&planned) {
                if let Some(id) = pairs::end(
                    &s.tx,
                    d,
                    e,
                    &now,
                    Ended::Replan,
                    &format!("re-planned (seed {seed})"),
                )? {
                    s.reseal("assignment", "id = ?1", &[&id])?;
                    ended += 1;
                }
            }
            let mut added = 0;
            for (d, e) in planned.difference(&active) {
                let id = pairs::start(
                    &s.tx,
                    d,
                    e,
                    &now,
                    Origin::Plan,
                    &format!("plan (seed {seed})"),
                )?;
                s.reseal("assignment", "id = ?1", &[&id])?;
                added += 1;
            }
            let digest = digest(&planned);
            s.audit(
                &actor.name,
                "assign",
                format!(
                    "seed {seed}, {per} per dossier: {} pairs, {added} added, {ended} ended, {} kept, digest {digest}",
                    planned.len(),
                    keep.len()
                ),
            );
            Ok(report(
                &plan,
                &dossiers,
                &experts,
                seed,
                per,
                planned,
                added,
                ended,
                keep.len(),
                digest,
            ))
        })
    }

    /// The current pairs (ministry staff).
    pub fn assignments(&self, actor: &User) -> Result<Vec<(String, String)>, StoreError> {
        check(actor, &Action::Assign)?;
        Ok(self.active_pairs()?.into_iter().collect())
    }

    /// How many dossiers have at least `per` current experts (ministry staff): the overview's
    /// coverage, counted in SQL rather than over every pair.
    pub fn dossiers_with_experts(&self, actor: &User, per: usize) -> Result<usize, StoreError> {
        check(actor, &Action::Assign)?;
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM (SELECT dossier_code FROM assignment WHERE ended_at IS NULL
             GROUP BY dossier_code HAVING COUNT(*) >= ?1)",
            [i64::try_from(per).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Replace one expert on one dossier by another, with a recorded reason (ministry staff).
    /// A later assignment run keeps the swap and never gives the dossier back to `out`.
    pub fn swap(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        dossier_code: &str,
        out: &str,
        into: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        check(actor, &Action::SwapExpert)?;
        reason_given(PhaseStep::Swap, reason)?;
        self.step(None, |s| {
            s.permit(PhaseStep::Swap)?;
            let d = dossier::current_one(&s.tx, dossier_code)?.ok_or_else(|| {
                Refusal::UnknownDossier {
                    code: dossier_code.to_string(),
                }
            })?;
            let on = pairs::experts_of(&s.tx, dossier_code)?;
            if !on.iter().any(|e| e == out) {
                return Err(Refusal::NotAssigned {
                    dossier: dossier_code.to_string(),
                    expert: out.to_string(),
                }
                .into());
            }
            if on.iter().any(|e| e == into) {
                return Err(Refusal::AlreadyAssigned {
                    dossier: dossier_code.to_string(),
                    expert: into.to_string(),
                }
                .into());
            }
            let leaving = pairs::current_id(&s.tx, dossier_code, out)?;
            if let Some(id) = leaving
                && sheet::load(&s.tx, id)?.is_some_and(|h| h.submitted_at.is_some())
            {
                return Err(Refusal::SwapSubmitted {
                    dossier: dossier_code.to_string(),
                    expert: out.to_string(),
                }
                .into());
            }
            let roster = expert::load(&s.tx, Some(into))?;
            let Some(incoming) = roster.first() else {
                return Err(Refusal::UnknownExpert {
                    id: into.to_string(),
                }
                .into());
            };
            let barred = pairs::barred(&s.tx)?;
            let recused = barred.contains(&(dossier_code.to_string(), into.to_string()));
            if let Some(rule) = exclusion(
                &ExpertProfile::from(incoming),
                &profile(criteria, &d),
                recused,
            ) {
                return Err(Refusal::ExpertExcluded {
                    expert: into.to_string(),
                    dossier: dossier_code.to_string(),
                    rule: rule.text(),
                }
                .into());
            }
            let now = s.now.clone();
            if let Some(id) = pairs::end(
                &s.tx,
                dossier_code,
                out,
                &now,
                Ended::Swap,
                &format!("swapped for {into}: {reason}"),
            )? {
                s.reseal("assignment", "id = ?1", &[&id])?;
            }
            let id = pairs::start(
                &s.tx,
                dossier_code,
                into,
                &now,
                Origin::Swap,
                &format!("swapped in for {out}: {reason}"),
            )?;
            s.reseal("assignment", "id = ?1", &[&id])?;
            s.audit(
                &actor.name,
                "assign.swap",
                format!("{dossier_code}: {out} -> {into}: {reason}"),
            );
            Ok(())
        })
    }

    /// The acting expert recuses themselves from a dossier (回避); a replacement is assigned
    /// at once when one may review it.
    pub fn recuse(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        dossier_code: &str,
        reason: &str,
    ) -> Result<RecusalOutcome, StoreError> {
        let expert_id = expert_of(actor);
        check(
            actor,
            &Action::Recuse {
                expert_id: &expert_id,
            },
        )?;
        reason_given(PhaseStep::Recuse, reason)?;
        self.step(None, |s| {
            s.permit(PhaseStep::Recuse)?;
            if crate::store::package::package_id(&s.tx)?.is_some() {
                return Err(Refusal::Package(
                    crate::domain::package::PackageRefusal::RecuseByLetter,
                )
                .into());
            }
            let Some(assignment) = pairs::current_id(&s.tx, dossier_code, &expert_id)? else {
                return Err(Refusal::NotAssigned {
                    dossier: dossier_code.to_string(),
                    expert: expert_id.clone(),
                }
                .into());
            };
            if let Some(at) = sheet::load(&s.tx, assignment)?.and_then(|h| h.submitted_at) {
                return Err(Refusal::SheetLocked {
                    dossier: dossier_code.to_string(),
                    at,
                }
                .into());
            }
            let dossiers: Vec<DossierProfile> = dossier::current(&s.tx)?
                .iter()
                .map(|d| profile(criteria, d))
                .collect();
            let experts: Vec<ExpertProfile> = expert::load(&s.tx, None)?
                .iter()
                .map(ExpertProfile::from)
                .collect();
            let mut barred: Vec<(String, String)> = pairs::barred(&s.tx)?.into_iter().collect();
            barred.push((dossier_code.to_string(), expert_id.clone()));
            let active = pairs::active(&s.tx)?;
            let d_index: BTreeMap<&str, usize> = dossiers
                .iter()
                .enumerate()
                .map(|(i, d)| (d.code.as_str(), i))
                .collect();
            let e_index: BTreeMap<&str, usize> = experts
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.as_str(), i))
                .collect();
            let mut plan_pairs: Vec<(usize, Vec<usize>)> =
                (0..dossiers.len()).map(|d| (d, vec![])).collect();
            let mut load = vec![0; experts.len()];
            for (d, e) in &active {
                if let (Some(&di), Some(&ei)) = (d_index.get(d.as_str()), e_index.get(e.as_str())) {
                    plan_pairs[di].1.push(ei);
                    load[ei] += 1;
                }
            }
            let plan = Plan {
                pairs: plan_pairs,
                load,
                shortfalls: Vec::new(),
                uncovered_types: Vec::new(),
                rejected_keeps: Vec::new(),
            };
            let input = AssignmentInput {
                experts: &experts,
                dossiers: &dossiers,
                per_dossier: criteria.round.experts_per_dossier as usize,
                seed: 0,
                recusals: &barred,
                keep: &[],
            };
            let (Some(&di), Some(&ei)) =
                (d_index.get(dossier_code), e_index.get(expert_id.as_str()))
            else {
                return Err(Refusal::UnknownDossier {
                    code: dossier_code.to_string(),
                }
                .into());
            };
            let found = replacement(&input, &plan, di, ei);
            let now = s.now.clone();
            pairs::recuse(&s.tx, dossier_code, &expert_id, reason, &now)?;
            s.reseal(
                "recusal",
                "dossier_code = ?1 AND expert_id = ?2",
                &[&dossier_code, &expert_id],
            )?;
            if let Some(id) = pairs::end(
                &s.tx,
                dossier_code,
                &expert_id,
                &now,
                Ended::Recusal,
                &format!("recused: {reason}"),
            )? {
                s.reseal("assignment", "id = ?1", &[&id])?;
            }
            s.audit(
                &actor.name,
                "recuse",
                format!("{dossier_code} {expert_id}: {reason}"),
            );
            Ok(match found {
                Ok(r) => {
                    let id = experts[r].id.clone();
                    let pair = pairs::start(
                        &s.tx,
                        dossier_code,
                        &id,
                        &now,
                        Origin::Replacement,
                        &format!("replaces {expert_id} (recused)"),
                    )?;
                    s.reseal("assignment", "id = ?1", &[&pair])?;
                    s.audit(
                        &actor.name,
                        "assign.replace",
                        format!("{dossier_code}: {expert_id} -> {id} (recusal)"),
                    );
                    RecusalOutcome {
                        dossier: dossier_code.to_string(),
                        expert_id: expert_id.clone(),
                        replacement: Some(id),
                        shortfall: None,
                    }
                }
                Err(short) => RecusalOutcome {
                    dossier: dossier_code.to_string(),
                    expert_id: expert_id.clone(),
                    replacement: None,
                    shortfall: Some(short.suggestion),
                },
            })
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    plan: &Plan,
    dossiers: &[DossierProfile],
    experts: &[ExpertProfile],
    seed: u64,
    per: usize,
    planned: BTreeSet<(String, String)>,
    added: usize,
    ended: usize,
    kept: usize,
    digest: String,
) -> AssignmentReport {
    AssignmentReport {
        seed,
        per_dossier: per,
        dossiers: dossiers.len(),
        experts: experts.iter().filter(|e| e.active).count(),
        pairs: planned.len(),
        added,
        ended,
        kept,
        load: experts
            .iter()
            .zip(&plan.load)
            .filter(|(e, _)| e.active)
            .map(|(e, &n)| (e.id.clone(), n))
            .collect(),
        shortfalls: plan
            .shortfalls
            .iter()
            .map(|s| ShortfallRow {
                dossier: dossiers[s.dossier].code.clone(),
                needed: s.needed,
                eligible: s.eligible,
                suggestion: s.suggestion.clone(),
            })
            .collect(),
        uncovered_types: plan
            .uncovered_types
            .iter()
            .map(|&d| dossiers[d].code.clone())
            .collect(),
        assignments: planned.into_iter().collect(),
        digest,
    }
}
