//! The panel meeting (会评) over the stored round: the band (recomputed from the sheets, with
//! the statistics' seeded intervals), the votes recorded one step each (review phase only,
//! audited), and the selection that honours the latest vote per dossier
//! ([`crate::domain::selection::select_with_panel`], used by every selection of the store).

use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, User, check};
use crate::domain::panel::{BandEntry, band};
use crate::domain::phase::Step as PhaseStep;
use crate::domain::refusal::{Refusal, reason_given};
use crate::store::repo::dossier;
use crate::store::repo::panel::{self, PanelVote};
use crate::store::{Store, StoreError};

use crate::domain::ranking::Ranking;

use super::review_stats::{RoundStats, stats_and_ranking};

/// The band with the votes recorded so far.
#[derive(Debug, Clone, Serialize)]
pub struct PanelBand {
    pub entries: Vec<BandEntry>,
    pub votes: Vec<PanelVote>,
    pub cut: usize,
    pub reserve_cut: usize,
    pub inputs_hash: String,
    pub replicates: usize,
    pub seed: u64,
}

/// The band of what `conn` sees, with the votes recorded.
fn band_of(
    conn: &rusqlite::Connection,
    criteria: &Criteria,
    replicates: usize,
    seed: u64,
) -> Result<PanelBand, StoreError> {
    let (stats, ranking) = stats_and_ranking(conn, criteria, replicates, seed)?;
    band_from(&stats, &ranking, panel::all(conn)?, seed)
}

/// The band of statistics already computed with the ranking they were read from (the panel
/// screen reads both in one go).
pub(crate) fn band_from(
    stats: &RoundStats,
    ranking: &Ranking,
    votes: Vec<PanelVote>,
    seed: u64,
) -> Result<PanelBand, StoreError> {
    Ok(PanelBand {
        entries: band(
            ranking,
            &stats.stats.intervals,
            stats.stats.cut,
            stats.reserve_cut,
        ),
        votes,
        cut: stats.stats.cut,
        reserve_cut: stats.reserve_cut,
        inputs_hash: ranking.inputs_hash.clone(),
        replicates: stats.stats.replicates,
        seed,
    })
}

impl Store {
    /// The band as the sheets stand (ministry staff).
    pub fn panel_band(
        &self,
        criteria: &Criteria,
        actor: &User,
        replicates: usize,
        seed: u64,
    ) -> Result<PanelBand, StoreError> {
        check(actor, &Action::Select)?;
        let tx = self.connection().unchecked_transaction()?;
        band_of(&tx, criteria, replicates, seed)
    }

    /// Open the meeting: the band is recorded in the audit log with the ranking it was read
    /// from (review phase only).
    pub fn panel_open(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        replicates: usize,
        seed: u64,
    ) -> Result<PanelBand, StoreError> {
        check(actor, &Action::Select)?;
        // The band audited is the one read in the transaction that records it.
        self.step(None, |s| {
            s.permit(PhaseStep::PanelVote)?;
            let b = band_of(&s.tx, criteria, replicates, seed)?;
            s.audit(
                &actor.name,
                "panel.open",
                format!(
                    "band of {} (cut {}, reserve to {}, {} replicates, seed {}, ranking {}): {}",
                    b.entries.len(),
                    b.cut,
                    b.reserve_cut,
                    b.replicates,
                    b.seed,
                    b.inputs_hash,
                    b.entries
                        .iter()
                        .map(|e| e.code.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            );
            Ok(b)
        })
    }

    /// Record the panel's vote on a ranked dossier (ministry staff, review phase, with a note).
    /// A later vote on the same dossier replaces the earlier one in the selection.
    pub fn panel_vote(
        &mut self,
        actor: &User,
        code: &str,
        votes: (usize, usize),
        note: &str,
    ) -> Result<(), StoreError> {
        check(actor, &Action::Select)?;
        reason_given(PhaseStep::PanelVote, note)?;
        self.step(None, |s| {
            s.permit(PhaseStep::PanelVote)?;
            if dossier::current_one(&s.tx, code)?.is_none() {
                return Err(Refusal::UnknownDossier {
                    code: code.to_string(),
                }
                .into());
            }
            let on = s.on.to_string();
            let id = panel::insert(&s.tx, code, votes, note, &on, &actor.name)?;
            s.reseal("panel_vote", "id = ?1", &[&id])?;
            s.audit(
                &actor.name,
                "panel.vote",
                format!(
                    "{code}: {} for, {} against ({}): {note}",
                    votes.0,
                    votes.1,
                    if votes.0 > votes.1 {
                        "passed"
                    } else {
                        "not passed"
                    }
                ),
            );
            Ok(())
        })
    }
}
