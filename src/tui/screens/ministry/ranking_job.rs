//! The ranking tab's data computed off the drawing path on a large round: a thread with its own
//! read-only connection ranks the round and builds the tab (search text, sort order), while the
//! dashboard draws a "计算中…" line. The tab is then kept (cached) until the data changes: the
//! dashboard drops it on its own writes and when the live refresh sees another connection's
//! commit (`refresh.rs`).

use std::time::Duration;

use crate::domain::Text;
use crate::store::{Store, StoreError};
use crate::tui::core::Env;

use super::job::Job;
pub use super::job::Poll;
use super::ranking::RankingTab;
use super::user;

/// From this many stored dossiers on, the ranking (and the assignment tab) is computed in the
/// background.
pub const BACKGROUND_FROM: i64 = 2_000;

/// A ranking being computed.
pub type RankingJob = Job<RankingTab>;

impl Job<RankingTab> {
    /// Start ranking on a thread of its own; `None` when the store has no file to open a second
    /// connection on (in memory), and the caller ranks in place.
    pub fn start(env: &Env, store: &Store) -> Result<Option<RankingJob>, StoreError> {
        let actor = user(env)?;
        Job::spawn("shifan-ranking", env, store, move |env, s| {
            let round = s.ranking(&env.criteria, &actor)?;
            Ok(RankingTab::from_round(env, round))
        })
    }
}

/// The line shown while the ranking is computed: a spinner frame and the time so far.
pub fn busy_text(spin: usize, elapsed: Duration) -> Text {
    super::job::busy_text(
        spin,
        elapsed,
        &Text::new("排名就绪后自动显示", "the ranking shows when ready"),
    )
}
