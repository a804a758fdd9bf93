//! Review statistics over the stored sheets (ministry staff): the domain computes them
//! ([`crate::domain::review_stats`]); the cut is the last place of the selection under the
//! round's own limits, the reserve boundary the last place of its reserve.

use rusqlite::Connection;
use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::Text;
use crate::domain::access::{Action, User, check};
use crate::domain::ranking::{Ranking, RankingRules};
use crate::domain::review_stats::{ReviewStats, interval_method, panel_method, review_stats};
use crate::domain::selection::{Constraints, select};
use crate::store::repo::tie;
use crate::store::{Store, StoreError};

use super::ranking::{RankedRound, dossier_scores};

/// The bootstrap's seed when none is given (`rank --stats`, `notice stats`, the documents).
pub const DEFAULT_SEED: u64 = 2026;
/// Bootstrap replicates when none are given.
pub const DEFAULT_REPLICATES: usize = 500;

/// The statistics with what they were read against.
#[derive(Debug, Clone, Serialize)]
pub struct RoundStats {
    pub stats: ReviewStats,
    /// Rank of the last reserve unit (0 without a reserve).
    pub reserve_cut: usize,
    pub panel_method: Text,
    pub interval_method: Text,
    /// The ranking the intervals are around (its inputs hash identifies the sheets used).
    pub inputs_hash: String,
}

impl Store {
    /// Harshness and agreement per expert, ICC(1) per type panel, and bootstrap rank intervals
    /// (`replicates` draws from `seed`) read against the selection's cut (ministry staff).
    pub fn review_stats(
        &self,
        criteria: &Criteria,
        actor: &User,
        replicates: usize,
        seed: u64,
    ) -> Result<RoundStats, StoreError> {
        check(actor, &Action::Rank)?;
        let tx = self.connection().unchecked_transaction()?;
        Ok(stats_and_ranking(&tx, criteria, replicates, seed)?.0)
    }
}

/// The statistics of what `conn` sees, with the ranking they were read from (one read of the
/// sheets for both).
pub(crate) fn stats_and_ranking(
    conn: &Connection,
    criteria: &Criteria,
    replicates: usize,
    seed: u64,
) -> Result<(RoundStats, Ranking), StoreError> {
    let (scores, applicants) = dossier_scores(conn, criteria)?;
    let rules = RankingRules::from_round(&criteria.round, criteria.tie_break_groups())
        .with_decisions(tie::all(conn)?);
    let round = RankedRound {
        ranking: crate::domain::ranking::rank(&scores, &rules),
        applicants,
    };
    let selection = select(&round.candidates(), &Constraints::from_criteria(criteria));
    let last = |codes: &[String]| {
        codes
            .iter()
            .filter_map(|c| round.ranking.row(c).map(|r| r.rank))
            .max()
            .unwrap_or(0)
    };
    let cut = last(&selection.selected);
    let stats = RoundStats {
        stats: review_stats(&scores, &rules, cut, replicates, seed),
        reserve_cut: last(&selection.reserve),
        panel_method: panel_method(),
        interval_method: interval_method(),
        inputs_hash: round.ranking.inputs_hash.clone(),
    };
    Ok((stats, round.ranking))
}
