//! Ranking and selection over the stored sheets: the store gathers the submitted sheets of the
//! current assignments; [`crate::domain::ranking`] and [`crate::domain::selection`] decide.
//! Once a list is sealed, the selection shown is the sealed one (see `crate::service::publicity`).

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::phase::Step as PhaseStep;
use crate::domain::publicity::ListEntry;
use crate::domain::ranking::{
    DossierScores, Explanation, GroupId, Ranking, RankingRules, SheetTotals, TieDecision, explain,
    rank,
};
use crate::domain::refusal::{Refusal, reason_given};
use crate::domain::sealing::undecided_ties;
use crate::domain::selection::{Candidate, Constraints, Selection, select_with_panel};
use crate::store::repo::{dossier, panel, sheet, tie};
use crate::store::{Store, StoreError};

/// A ranking with the names needed to show it.
#[derive(Debug, Clone, Serialize)]
pub struct RankedRound {
    pub ranking: Ranking,
    /// Applicant name per dossier code.
    pub applicants: BTreeMap<String, String>,
}

/// A selection with the ranking it was made from.
#[derive(Debug, Clone, Serialize)]
pub struct SelectedRound {
    pub round: RankedRound,
    pub constraints: Constraints,
    pub selection: Selection,
    /// Groups of dossiers left tied by the published chain whose order decides the list or the
    /// reserve: the ministry decides them (`shifan tie decide`) before the list can be sealed.
    pub undecided_ties: Vec<Vec<String>>,
}

impl SelectedRound {
    /// The selection as list entries: the proposed list in the ministry's province order (by
    /// rank within a province), and the reserve in promotion (rank) order.
    pub fn list_entries(&self, criteria: &Criteria) -> (Vec<ListEntry>, Vec<ListEntry>) {
        let mut list: Vec<ListEntry> = self
            .selection
            .selected
            .iter()
            .map(|c| self.round.entry(c))
            .collect();
        list.sort_by_key(|e| {
            (
                criteria.provinces.order(&e.province_key),
                self.round.ranking.row(&e.code).map_or(0, |r| r.rank),
            )
        });
        let reserve = self
            .selection
            .reserve
            .iter()
            .map(|c| self.round.entry(c))
            .collect();
        (list, reserve)
    }
}

impl RankedRound {
    /// One ranked dossier as a list entry.
    pub fn entry(&self, code: &str) -> ListEntry {
        let row = self.ranking.row(code);
        ListEntry {
            code: code.to_string(),
            province_key: row.map(|r| r.province_key.clone()).unwrap_or_default(),
            applicant: self.applicants.get(code).cloned().unwrap_or_default(),
            type_id: row.map(|r| r.type_id.clone()).unwrap_or_default(),
        }
    }

    /// The ranking's rows as selection candidates (only dossiers of batches that passed every
    /// check are stored).
    pub fn candidates(&self) -> Vec<Candidate> {
        self.ranking
            .rows
            .iter()
            .map(|r| Candidate::from_ranked(r, true))
            .collect()
    }
}

/// Every current dossier with the submitted sheets of its current experts, read from the
/// totals kept with each sheet (one row per sheet; see `docs/schema.md`, schema 5).
pub(crate) fn dossier_scores(
    conn: &Connection,
    criteria: &Criteria,
) -> Result<(Vec<DossierScores>, BTreeMap<String, String>), StoreError> {
    let group_of = sheet::group_map(&criteria.rubric);
    let group_ids = canonical_groups(criteria);
    let sheets = sheet::submitted(conn, &group_of, &group_ids)?;
    assemble(
        conn,
        criteria,
        sheets.into_iter().map(|s| (s.dossier, s.sheets)),
    )
}

/// [`dossier_scores`] as it was before schema 5: every score row of every submitted sheet
/// read and summed. The yardstick the kept totals are tested and measured against.
pub(crate) fn dossier_scores_from_scores(
    conn: &Connection,
    criteria: &Criteria,
) -> Result<(Vec<DossierScores>, BTreeMap<String, String>), StoreError> {
    let group_of = sheet::group_map(&criteria.rubric);
    let group_ids = canonical_groups(criteria);
    let acc = sheet::submitted_from_scores(conn, &group_of)?;
    let sheets = acc.into_iter().map(|(code, v)| {
        let group_ids = &group_ids;
        let sheets = v
            .into_iter()
            .map(move |(expert_id, recommend, total, groups)| {
                let group_subtotals = group_ids
                    .iter()
                    .map(|g| (g.clone(), groups.get(&**g).copied().unwrap_or(0.0)))
                    .collect();
                SheetTotals {
                    expert_id: expert_id.into(),
                    total,
                    group_subtotals,
                    recommend,
                }
            })
            .collect();
        (code, sheets)
    });
    assemble(conn, criteria, sheets)
}

/// The rubric's group ids in id order, the ranking's canonical order, so that the domain can
/// take each dossier as it is instead of copying it to sort it (the order does not change a
/// figure).
fn canonical_groups(criteria: &Criteria) -> Vec<GroupId> {
    let mut group_ids: Vec<GroupId> = criteria
        .rubric
        .groups
        .iter()
        .map(|g| GroupId::from(g.id.as_str()))
        .collect();
    group_ids.sort_unstable();
    group_ids
}

/// The current dossiers (by code) joined with the `sheets` of each dossier, which come in code
/// order, each dossier's by expert id; the sheets of a dossier that is not current are left out.
fn assemble(
    conn: &Connection,
    criteria: &Criteria,
    sheets: impl Iterator<Item = (String, Vec<SheetTotals>)>,
) -> Result<(Vec<DossierScores>, BTreeMap<String, String>), StoreError> {
    let dossiers = dossier::current(conn)?;
    let mut sheets = sheets.peekable();
    let mut out = Vec::with_capacity(dossiers.len());
    let mut applicants = BTreeMap::new();
    for d in dossiers {
        // Both run in code order: skip sheets of codes before this one, take this one's.
        while sheets.next_if(|(code, _)| *code < d.code).is_some() {}
        let own = sheets
            .next_if(|(code, _)| *code == d.code)
            .map(|(_, own)| own)
            .unwrap_or_default();
        applicants.insert(d.code.clone(), d.applicant);
        out.push(DossierScores {
            province_order: criteria.provinces.order(&d.province_key),
            code: d.code,
            province_key: d.province_key,
            provincial_rank: d.provincial_rank,
            type_id: d.type_id,
            content_sha256: Some(d.sha256),
            sheets: own,
        });
    }
    Ok((out, applicants))
}

/// The ranking of what `conn` sees, with the ministry's recorded tie decisions.
pub(crate) fn ranked(conn: &Connection, criteria: &Criteria) -> Result<RankedRound, StoreError> {
    let (scores, applicants) = dossier_scores(conn, criteria)?;
    let rules = RankingRules::from_round(&criteria.round, criteria.tie_break_groups())
        .with_decisions(tie::all(conn)?);
    Ok(RankedRound {
        ranking: rank(&scores, &rules),
        applicants,
    })
}

/// The selection under `constraints` of what `conn` sees.
pub(crate) fn selected(
    conn: &Connection,
    criteria: &Criteria,
    constraints: &Constraints,
) -> Result<SelectedRound, StoreError> {
    let round = ranked(conn, criteria)?;
    let candidates = round.candidates();
    let verdicts = panel::verdicts(conn)?;
    let selection = select_with_panel(&candidates, constraints, &verdicts);
    let undecided_ties = undecided_ties(
        &round.ranking,
        &candidates,
        constraints,
        &verdicts,
        &selection,
    );
    Ok(SelectedRound {
        round,
        constraints: constraints.clone(),
        selection,
        undecided_ties,
    })
}

impl Store {
    /// Rank every dossier on its submitted sheets (ministry staff).
    pub fn ranking(&self, criteria: &Criteria, actor: &User) -> Result<RankedRound, StoreError> {
        check(actor, &Action::Rank)?;
        self.ranking_unchecked(criteria)
    }

    pub(crate) fn ranking_unchecked(&self, criteria: &Criteria) -> Result<RankedRound, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        ranked(&tx, criteria)
    }

    /// The ranking summed from every score row, as before schema 5 kept each sheet's totals
    /// (ministry staff): the yardstick that the kept totals are checked and measured against.
    pub fn ranking_from_scores(
        &self,
        criteria: &Criteria,
        actor: &User,
    ) -> Result<RankedRound, StoreError> {
        check(actor, &Action::Rank)?;
        let tx = self.conn.unchecked_transaction()?;
        let (scores, applicants) = dossier_scores_from_scores(&tx, criteria)?;
        let rules = RankingRules::from_round(&criteria.round, criteria.tie_break_groups())
            .with_decisions(tie::all(&tx)?);
        Ok(RankedRound {
            ranking: rank(&scores, &rules),
            applicants,
        })
    }

    /// One dossier's calculation sheet: for ministry staff with the experts' ids, for the
    /// official of the dossier's province with experts shown as A, B, C…
    pub fn explain(
        &self,
        criteria: &Criteria,
        actor: &User,
        code: &str,
        anonymise: bool,
    ) -> Result<Option<Explanation>, StoreError> {
        let province = dossier::current_one(&self.conn, code)?.map(|d| d.province_key);
        let anonymise = match &actor.role {
            Role::Official { .. } => {
                check(
                    actor,
                    &Action::ExplainDossier {
                        province_key: province.as_deref().unwrap_or(""),
                    },
                )?;
                true
            }
            _ => {
                check(actor, &Action::Rank)?;
                anonymise
            }
        };
        let round = self.ranking_unchecked(criteria)?;
        Ok(explain(&round.ranking, code, anonymise))
    }

    /// Select the list and the reserve under `constraints` (ministry staff). Nothing is
    /// stored: a what-if is a call with other constraints. With `record`, the decision is
    /// written to the audit log. Constraints that cannot hold together are refused.
    pub fn selection(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        constraints: &Constraints,
        record: bool,
    ) -> Result<SelectedRound, StoreError> {
        check(actor, &Action::Select)?;
        let problems = constraints.problems();
        if !problems.is_empty() {
            return Err(Refusal::Constraints { problems }.into());
        }
        if !record {
            return self.selection_unchecked(criteria, constraints);
        }
        self.step(None, |s| {
            let out = selected(&s.tx, criteria, constraints)?;
            s.audit(
                &actor.name,
                "select",
                format!(
                    "{} selected, {} reserve, ranking {}",
                    out.selection.selected.len(),
                    out.selection.reserve.len(),
                    out.round.ranking.inputs_hash
                ),
            );
            Ok(out)
        })
    }

    pub(crate) fn selection_unchecked(
        &self,
        criteria: &Criteria,
        constraints: &Constraints,
    ) -> Result<SelectedRound, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        selected(&tx, criteria, constraints)
    }

    /// Record the ministry's order for dossiers the published tie-break chain leaves tied
    /// (`order`: best first), with a reason; refused for dossiers that are not so tied.
    pub fn decide_tie(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        order: &[String],
        reason: &str,
    ) -> Result<(), StoreError> {
        check(actor, &Action::Select)?;
        reason_given(PhaseStep::DecideTie, reason)?;
        self.step(None, |s| {
            s.permit(PhaseStep::DecideTie)?;
            // The decision must order dossiers the chain leaves tied, without contradicting an
            // earlier one: rank with it and see whether it was applied.
            let (scores, _) = dossier_scores(&s.tx, criteria)?;
            let mut decisions = tie::all(&s.tx)?;
            let index = decisions.len();
            decisions.push(TieDecision {
                order: order.to_vec(),
                reason: reason.to_string(),
            });
            let rules = RankingRules::from_round(&criteria.round, criteria.tie_break_groups())
                .with_decisions(decisions);
            let ranking = rank(&scores, &rules);
            if let Some(ignored) = ranking.ignored_decisions.iter().find(|i| i.index == index) {
                return Err(Refusal::NotTied {
                    codes: order.to_vec(),
                    why: ignored.why.text(),
                }
                .into());
            }
            let on = s.on.to_string();
            let id = tie::insert(&s.tx, order, reason, &on, &actor.name)?;
            s.reseal("tie_decision", "id = ?1", &[&id])?;
            s.audit(
                &actor.name,
                "tie.decide",
                format!("{} (best first): {reason}", order.join(" > ")),
            );
            Ok(())
        })
    }
}
