//! Ranking and selection over the stored sheets: the store gathers the submitted sheets of the
//! current assignments; [`crate::domain::ranking`] and [`crate::domain::selection`] decide.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Store, StoreError, audit};
use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::publicity::ListEntry;
use crate::domain::ranking::{
    DossierScores, Explanation, Ranking, RankingRules, SheetTotals, explain, rank,
};
use crate::domain::selection::{Candidate, Constraints, Selection, select};

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
}

impl SelectedRound {
    /// The selection as list entries: the proposed list in the ministry's province order (by
    /// rank within a province), and the reserve in rank order.
    pub fn list_entries(&self, criteria: &Criteria) -> (Vec<ListEntry>, Vec<ListEntry>) {
        let entry = |code: &String| {
            let row = self.round.ranking.row(code);
            ListEntry {
                code: code.clone(),
                province_key: row.map(|r| r.province_key.clone()).unwrap_or_default(),
                applicant: self.round.applicants.get(code).cloned().unwrap_or_default(),
                type_id: row.map(|r| r.type_id.clone()).unwrap_or_default(),
            }
        };
        let mut list: Vec<ListEntry> = self.selection.selected.iter().map(entry).collect();
        list.sort_by_key(|e| {
            (
                criteria.provinces.order(&e.province_key),
                self.round.ranking.row(&e.code).map_or(0, |r| r.rank),
            )
        });
        let reserve = self.selection.reserve.iter().map(entry).collect();
        (list, reserve)
    }
}

impl Store {
    /// Every current dossier with the submitted sheets of its current experts.
    pub(crate) fn dossier_scores(
        &self,
        criteria: &Criteria,
    ) -> Result<(Vec<DossierScores>, BTreeMap<String, String>), StoreError> {
        let dossiers = self.current_dossiers()?;
        let group_of: BTreeMap<&str, &str> = criteria
            .rubric
            .criteria
            .iter()
            .map(|c| (c.id.as_str(), c.group.as_str()))
            .collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.dossier_code, h.expert_id, COALESCE(h.recommend, 0), s.criterion, s.points
             FROM sheet h
             JOIN assignment a ON a.dossier_code = h.dossier_code AND a.expert_id = h.expert_id AND a.ended_at IS NULL
             JOIN score s ON s.dossier_code = h.dossier_code AND s.expert_id = h.expert_id
             WHERE h.submitted_at IS NOT NULL
             ORDER BY h.dossier_code, h.expert_id",
        )?;
        // dossier -> expert -> (recommend, group subtotals, total)
        type Acc = BTreeMap<String, BTreeMap<String, (bool, BTreeMap<String, f64>, f64)>>;
        let mut acc: Acc = BTreeMap::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (d, e, rec, c, p): (String, String, bool, String, f64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let entry = acc
                .entry(d)
                .or_default()
                .entry(e)
                .or_insert_with(|| (rec, BTreeMap::new(), 0.0));
            let group = group_of.get(c.as_str()).copied().unwrap_or("");
            *entry.1.entry(group.to_string()).or_default() += p;
            entry.2 += p;
        }
        let mut out = Vec::with_capacity(dossiers.len());
        let mut applicants = BTreeMap::new();
        for d in dossiers {
            let sheets = acc
                .remove(&d.code)
                .unwrap_or_default()
                .into_iter()
                .map(|(expert_id, (recommend, groups, total))| SheetTotals {
                    expert_id,
                    total,
                    group_subtotals: criteria
                        .rubric
                        .groups
                        .iter()
                        .map(|g| (g.id.clone(), groups.get(&g.id).copied().unwrap_or(0.0)))
                        .collect(),
                    recommend,
                })
                .collect();
            applicants.insert(d.code.clone(), d.applicant.clone());
            out.push(DossierScores {
                province_order: criteria.provinces.order(&d.province_key),
                code: d.code,
                province_key: d.province_key,
                provincial_rank: d.provincial_rank,
                type_id: d.type_id,
                sheets,
            });
        }
        Ok((out, applicants))
    }

    /// Rank every dossier on its submitted sheets (ministry staff).
    pub fn ranking(&self, criteria: &Criteria, actor: &User) -> Result<RankedRound, StoreError> {
        check(actor, &Action::Rank)?;
        self.ranking_unchecked(criteria)
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
        let anonymise = match &actor.role {
            Role::Official { province_key } => {
                let own = self
                    .current_dossiers()?
                    .iter()
                    .any(|d| d.code == code && &d.province_key == province_key);
                if !own {
                    check(actor, &Action::ViewProvince(""))?;
                }
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

    pub(crate) fn ranking_unchecked(&self, criteria: &Criteria) -> Result<RankedRound, StoreError> {
        let (scores, applicants) = self.dossier_scores(criteria)?;
        let rules = RankingRules::from_round(&criteria.round, criteria.tie_break_groups());
        Ok(RankedRound {
            ranking: rank(&scores, &rules),
            applicants,
        })
    }

    /// Select the list and the reserve under `constraints` (ministry staff). Nothing is
    /// stored: a what-if is a call with other constraints. With `record`, the decision is
    /// written to the audit log.
    pub fn selection(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        constraints: &Constraints,
        record: bool,
    ) -> Result<SelectedRound, StoreError> {
        check(actor, &Action::Select)?;
        let selected = self.selection_unchecked(criteria, constraints)?;
        if record {
            let tx = self.conn.transaction()?;
            audit::append(
                &tx,
                &actor.name,
                "select",
                &format!(
                    "{} selected, {} reserve, ranking {}",
                    selected.selection.selected.len(),
                    selected.selection.reserve.len(),
                    selected.round.ranking.inputs_hash
                ),
            )?;
            tx.commit()?;
        }
        Ok(selected)
    }

    pub(crate) fn selection_unchecked(
        &self,
        criteria: &Criteria,
        constraints: &Constraints,
    ) -> Result<SelectedRound, StoreError> {
        let round = self.ranking_unchecked(criteria)?;
        // Only dossiers of batches that passed every check are stored.
        let candidates: Vec<Candidate> = round
            .ranking
            .rows
            .iter()
            .map(|r| Candidate::from_ranked(r, true))
            .collect();
        let selection = select(&candidates, constraints);
        Ok(SelectedRound {
            round,
            constraints: constraints.clone(),
            selection,
        })
    }
}
