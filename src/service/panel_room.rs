//! What the ministry's panel screen (会评) shows, read in one go: the review statistics, the
//! band with the votes recorded, the ranked rows of the band's dossiers, their experts' sheets
//! and opinions, and when the band was last opened. One read transaction, so the figures, the
//! band and the sheets all describe the same state of the round.

use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, User, check};
use crate::domain::ranking::RankedDossier;
use crate::domain::scoring::Sheet;
use crate::store::repo::{panel, sheet};
use crate::store::{Store, StoreError};

pub use crate::store::repo::panel::PanelVote;

use super::panel::{PanelBand, band_from};
use super::review_stats::{RoundStats, stats_and_ranking};

/// The panel meeting's material.
#[derive(Debug, Clone, Serialize)]
pub struct PanelRoom {
    pub stats: RoundStats,
    pub band: PanelBand,
    /// The ranked rows of the band's dossiers, in the band's (rank) order.
    pub rows: Vec<RankedDossier>,
    /// The current sheets of the band's dossiers (submitted or not), by dossier and expert.
    pub sheets: Vec<Sheet>,
    /// The last `panel open`: its date and who opened it (None: the band was never opened).
    pub opened: Option<(String, String)>,
}

impl Store {
    /// The statistics, the band and its sheets (ministry staff), `replicates` bootstrap draws
    /// from `seed` as in `shifan rank --stats` and `shifan panel status`.
    pub fn panel_room(
        &self,
        criteria: &Criteria,
        actor: &User,
        replicates: usize,
        seed: u64,
    ) -> Result<PanelRoom, StoreError> {
        check(actor, &Action::Rank)?;
        check(actor, &Action::Select)?;
        check(actor, &Action::ViewAllScores)?;
        let tx = self.connection().unchecked_transaction()?;
        let (stats, ranking) = stats_and_ranking(&tx, criteria, replicates, seed)?;
        let band = band_from(&stats, &ranking, panel::all(&tx)?, seed)?;
        let rows = band
            .entries
            .iter()
            .filter_map(|e| ranking.row(&e.code).cloned())
            .collect();
        let sheets = sheet::current(&tx)?
            .into_iter()
            .filter(|s| band.entries.iter().any(|e| e.code == s.dossier))
            .collect();
        Ok(PanelRoom {
            opened: panel::last_open(&tx)?,
            stats,
            band,
            rows,
            sheets,
        })
    }

    /// Every panel vote recorded, oldest first (ministry staff).
    pub fn panel_votes(&self, actor: &User) -> Result<Vec<PanelVote>, StoreError> {
        check(actor, &Action::Select)?;
        panel::all(self.connection())
    }
}
