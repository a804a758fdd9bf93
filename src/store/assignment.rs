//! Expert assignment in the store: plans come from [`crate::domain::assignment`]; the store
//! records them, with a reason for every pair started or ended, and audits each change.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, audit};
use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::assignment::{
    AssignmentInput, DossierProfile, ExpertProfile, Plan, assign, exclusion, replacement,
};
use crate::domain::finding::Text;

/// A stored dossier of a current (not replaced) batch, as later stages need it.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentDossier {
    pub code: String,
    pub province_key: String,
    pub type_id: String,
    pub applicant: String,
    pub provincial_rank: Option<i64>,
}

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
    /// Pairs kept because the expert had started or submitted the sheet.
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

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

pub(crate) fn profile(criteria: &Criteria, d: &CurrentDossier) -> DossierProfile {
    let province_name = criteria.province_text(&d.province_key);
    let type_name = criteria.type_text(&d.type_id);
    DossierProfile {
        code: d.code.clone(),
        province_key: d.province_key.clone(),
        type_id: d.type_id.clone(),
        applicant: d.applicant.clone(),
        province_name,
        type_name,
    }
}

/// Digest of a set of pairs, order-independent.
fn digest(pairs: &BTreeSet<(String, String)>) -> String {
    let text: String = pairs.iter().map(|(d, e)| format!("{d}\t{e}\n")).collect();
    super::sha256_hex(text.as_bytes())
}

impl Store {
    /// The dossiers of the current batches, in province order then code.
    pub(crate) fn current_dossiers(&self) -> Result<Vec<CurrentDossier>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.code, d.province_key, d.type_id, d.applicant, d.provincial_rank
             FROM dossier d JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
             ORDER BY d.code",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(CurrentDossier {
                    code: r.get(0)?,
                    province_key: r.get(1)?,
                    type_id: r.get(2)?,
                    applicant: r.get(3)?,
                    provincial_rank: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// (dossier, expert) pairs currently assigned.
    pub(crate) fn active_pairs(&self) -> Result<BTreeSet<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT dossier_code, expert_id FROM assignment WHERE ended_at IS NULL",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<BTreeSet<_>, _>>()?;
        Ok(rows)
    }

    /// Active pairs on which the expert has entered anything.
    fn started_pairs(&self) -> Result<BTreeSet<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             WHERE a.ended_at IS NULL AND (
                EXISTS (SELECT 1 FROM score s WHERE s.dossier_code = a.dossier_code AND s.expert_id = a.expert_id)
                OR EXISTS (SELECT 1 FROM sheet h WHERE h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id))",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<BTreeSet<_>, _>>()?;
        Ok(rows)
    }

    fn recusal_pairs(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT dossier_code, expert_id FROM recusal ORDER BY dossier_code")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Assign the round's number of experts to every stored dossier (ministry staff).
    /// Deterministic for a seed. Pairs on which an expert has started work are kept; other
    /// current pairs may be re-planned, each ended pair recorded with its reason.
    pub fn assign(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        seed: u64,
    ) -> Result<AssignmentReport, StoreError> {
        check(actor, &Action::Assign)?;
        let dossiers: Vec<DossierProfile> = self
            .current_dossiers()?
            .iter()
            .map(|d| profile(criteria, d))
            .collect();
        if dossiers.is_empty() {
            return Err(StoreError::Invalid(
                "no dossiers stored: import the provinces' batches first".into(),
            ));
        }
        let roster = self.roster(None)?;
        if roster.is_empty() {
            return Err(StoreError::Invalid(
                "no experts: import the roster first (shifan experts import FILE)".into(),
            ));
        }
        let experts: Vec<ExpertProfile> = roster.iter().map(ExpertProfile::from).collect();
        let recusals = self.recusal_pairs()?;
        let keep: Vec<(String, String)> = self.started_pairs()?.into_iter().collect();
        let per = criteria.round.experts_per_dossier as usize;
        let input = AssignmentInput {
            experts: &experts,
            dossiers: &dossiers,
            per_dossier: per,
            seed,
            recusals: &recusals,
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
        let active = self.active_pairs()?;
        let at = now();
        let tx = self.conn.transaction()?;
        let mut ended = 0;
        {
            let mut end = tx.prepare_cached(
                "UPDATE assignment SET ended_at = ?3, ended_reason = ?4
                 WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL",
            )?;
            for (d, e) in active.difference(&planned) {
                ended += end.execute(params![d, e, at, format!("re-planned (seed {seed})")])?;
            }
            let mut add = tx.prepare_cached(
                "INSERT INTO assignment (dossier_code, expert_id, assigned_at, reason) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (d, e) in planned.difference(&active) {
                add.execute(params![d, e, at, format!("plan (seed {seed})")])?;
            }
        }
        let added = planned.difference(&active).count();
        let digest = digest(&planned);
        audit::append(
            &tx,
            &actor.name,
            "assign",
            &format!(
                "seed {seed}, {per} per dossier: {} pairs, {added} added, {ended} ended, digest {digest}",
                planned.len()
            ),
        )?;
        tx.commit()?;
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
    }

    /// The current pairs (ministry staff).
    pub fn assignments(&self, actor: &User) -> Result<Vec<(String, String)>, StoreError> {
        check(actor, &Action::Assign)?;
        Ok(self.active_pairs()?.into_iter().collect())
    }

    fn submitted(&self, dossier: &str, expert: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT submitted_at IS NOT NULL FROM sheet WHERE dossier_code = ?1 AND expert_id = ?2",
                [dossier, expert],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }

    fn dossier_profile(
        &self,
        criteria: &Criteria,
        code: &str,
    ) -> Result<DossierProfile, StoreError> {
        self.current_dossiers()?
            .iter()
            .find(|d| d.code == code)
            .map(|d| profile(criteria, d))
            .ok_or_else(|| StoreError::Invalid(format!("no stored dossier {code}")))
    }

    /// Replace one expert on one dossier by another, with a recorded reason (ministry staff).
    pub fn swap(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        dossier: &str,
        out: &str,
        into: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        check(actor, &Action::SwapExpert)?;
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a swap needs a reason (--reason), which is recorded".into(),
            ));
        }
        let d = self.dossier_profile(criteria, dossier)?;
        let on = self.assigned_experts(dossier)?;
        if !on.iter().any(|e| e == out) {
            return Err(StoreError::Invalid(format!(
                "expert {out} is not assigned to {dossier} (assigned: {})",
                on.join(", ")
            )));
        }
        if on.iter().any(|e| e == into) {
            return Err(StoreError::Invalid(format!(
                "expert {into} is already assigned to {dossier}"
            )));
        }
        if self.submitted(dossier, out)? {
            return Err(StoreError::Invalid(format!(
                "expert {out} has submitted the sheet for {dossier}; reopen it first if it must be discarded"
            )));
        }
        let roster = self.roster(Some(into))?;
        let Some(incoming) = roster.first() else {
            return Err(StoreError::Invalid(format!(
                "no expert {into} in the roster"
            )));
        };
        let recused = self
            .recusal_pairs()?
            .iter()
            .any(|(c, e)| c == dossier && e == into);
        if let Some(rule) = exclusion(&ExpertProfile::from(incoming), &d, recused) {
            return Err(StoreError::Invalid(format!(
                "expert {into} may not review {dossier}: {}",
                rule.text().en
            )));
        }
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE assignment SET ended_at = ?3, ended_reason = ?4 WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL",
            params![dossier, out, at, format!("swapped for {into}: {reason}")],
        )?;
        tx.execute(
            "INSERT INTO assignment (dossier_code, expert_id, assigned_at, reason) VALUES (?1, ?2, ?3, ?4)",
            params![dossier, into, at, format!("swapped in for {out}: {reason}")],
        )?;
        audit::append(
            &tx,
            &actor.name,
            "assign.swap",
            &format!("{dossier}: {out} -> {into}: {reason}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The acting expert recuses themselves from a dossier (回避); a replacement is assigned
    /// at once when one may review it.
    pub fn recuse(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        dossier: &str,
        reason: &str,
    ) -> Result<RecusalOutcome, StoreError> {
        let expert_id = match &actor.role {
            Role::Expert { expert_id } => expert_id.clone(),
            _ => String::new(),
        };
        check(
            actor,
            &Action::Recuse {
                expert_id: &expert_id,
            },
        )?;
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a recusal needs a reason (--reason), which is recorded".into(),
            ));
        }
        if !self.assigned_experts(dossier)?.contains(&expert_id) {
            return Err(StoreError::Invalid(format!(
                "dossier {dossier} is not assigned to expert {expert_id}"
            )));
        }
        if self.submitted(dossier, &expert_id)? {
            return Err(StoreError::Invalid(format!(
                "the sheet for {dossier} is submitted; ask ministry staff to reopen it before recusing"
            )));
        }
        let dossiers: Vec<DossierProfile> = self
            .current_dossiers()?
            .iter()
            .map(|d| profile(criteria, d))
            .collect();
        let experts: Vec<ExpertProfile> =
            self.roster(None)?.iter().map(ExpertProfile::from).collect();
        let mut recusals = self.recusal_pairs()?;
        recusals.push((dossier.to_string(), expert_id.clone()));
        let active = self.active_pairs()?;
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
        let mut pairs: Vec<(usize, Vec<usize>)> =
            (0..dossiers.len()).map(|d| (d, vec![])).collect();
        let mut load = vec![0; experts.len()];
        for (d, e) in &active {
            if let (Some(&di), Some(&ei)) = (d_index.get(d.as_str()), e_index.get(e.as_str())) {
                pairs[di].1.push(ei);
                load[ei] += 1;
            }
        }
        let plan = Plan {
            pairs,
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
            recusals: &recusals,
            keep: &[],
        };
        let (Some(&di), Some(&ei)) = (d_index.get(dossier), e_index.get(expert_id.as_str())) else {
            return Err(StoreError::Invalid(format!("no stored dossier {dossier}")));
        };
        let found = replacement(&input, &plan, di, ei);
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO recusal (dossier_code, expert_id, reason, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO UPDATE SET reason = excluded.reason, at = excluded.at",
            params![dossier, expert_id, reason, at],
        )?;
        tx.execute(
            "UPDATE assignment SET ended_at = ?3, ended_reason = ?4 WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL",
            params![dossier, expert_id, at, format!("recused: {reason}")],
        )?;
        audit::append(
            &tx,
            &actor.name,
            "recuse",
            &format!("{dossier} {expert_id}: {reason}"),
        )?;
        let outcome = match found {
            Ok(r) => {
                let id = experts[r].id.clone();
                tx.execute(
                    "INSERT INTO assignment (dossier_code, expert_id, assigned_at, reason) VALUES (?1, ?2, ?3, ?4)",
                    params![dossier, id, at, format!("replaces {expert_id} (recused)")],
                )?;
                audit::append(
                    &tx,
                    &actor.name,
                    "assign.replace",
                    &format!("{dossier}: {expert_id} -> {id} (recusal)"),
                )?;
                RecusalOutcome {
                    dossier: dossier.to_string(),
                    expert_id,
                    replacement: Some(id),
                    shortfall: None,
                }
            }
            Err(s) => RecusalOutcome {
                dossier: dossier.to_string(),
                expert_id,
                replacement: None,
                shortfall: Some(s.suggestion),
            },
        };
        tx.commit()?;
        Ok(outcome)
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
