//! Live refresh of the dashboard: SQLite's change counter (`PRAGMA data_version`) is read on
//! the runner's tick, at most once per [`Refresh::every`]; when another connection committed
//! (an expert's submit through the CLI, another ministry session), the dashboard reloads what
//! it shows. This connection's own writes do not move the counter: the tabs reload themselves
//! after those.

use std::time::{Duration, Instant};

use crate::store::Store;
use crate::tui::core::Env;
use crate::tui::screens::dashboard::{DashboardState, Tab};

use super::publicity::PublicityTab;
use super::selection::SelectionTab;

/// How often the counter is read while the dashboard is open.
pub const EVERY: Duration = Duration::from_secs(1);

/// The counter last seen and when it was read.
#[derive(Debug, Clone)]
pub struct Refresh {
    seen: Option<i64>,
    checked: Instant,
    /// The least time between two reads of the counter.
    pub every: Duration,
}

impl Refresh {
    /// Start watching from the store's counter now.
    pub fn new(store: &Store) -> Refresh {
        Refresh {
            seen: store.data_version().ok(),
            checked: Instant::now(),
            every: EVERY,
        }
    }

    /// Nothing seen yet: the first read of the counter only starts the watch (a dashboard
    /// built without a store, as in the update tests).
    pub fn unwatched() -> Refresh {
        Refresh {
            seen: None,
            checked: Instant::now(),
            every: EVERY,
        }
    }

    /// Whether another connection committed since the last look; reads the counter only when
    /// `every` has passed since the last read (`now` is the tick's time).
    pub fn changed(&mut self, store: &Store, now: Instant) -> bool {
        if now.saturating_duration_since(self.checked) < self.every {
            return false;
        }
        self.checked = now;
        // A failed read (a busy file) is tried again on the next tick, not reported each second.
        let Ok(v) = store.data_version() else {
            return false;
        };
        let changed = self.seen.is_some_and(|s| s != v);
        self.seen = Some(v);
        changed
    }
}

/// Reload the tab in front for [`DashboardState::round_changed`] to keep: the assignment tab
/// (filter, selection; in the background on a large round) unless a list is open over it; the ranking recomputed (in the
/// background on a large round) and taking over the reader's place; the selection tab (the
/// same what-if) and the publicity tab read again in the reader's place (scroll, an objection
/// being entered). The documents tab reads files, not the round's data, and stays.
pub fn reload_front(d: &mut DashboardState, env: &mut Env, store: &mut Store) {
    match d.current() {
        // In the background on a large round: the tab on screen stays until the new one is
        // ready, which then takes over the reader's place.
        Tab::Assignment => {
            if d.assignment.as_ref().is_some_and(|a| a.pick.is_none())
                && let Err(e) = d.load_assignment(env, store)
            {
                env.store_error(&e);
            }
        }
        // The old ranking stays on screen until the new one is ready, which then takes over
        // the reader's place (sort, filters, selection, an open calculation sheet).
        Tab::Ranking => d.recompute_ranking(env, store),
        // As the ranking: the band on screen stays until the new one is ready.
        Tab::Panel => {
            if d.panel_job.is_none() {
                d.start_panel(env, store);
            }
        }
        Tab::Selection => {
            if let Some(old) = d.selection.take() {
                match SelectionTab::reload(env, store, &old) {
                    Ok(fresh) => d.selection = Some(Box::new(fresh)),
                    Err(e) => env.store_error(&e),
                }
            }
        }
        Tab::Publicity => {
            if let Some(old) = d.publicity.take() {
                match PublicityTab::reload(env, store, old) {
                    Ok(fresh) => d.publicity = Some(fresh),
                    Err(e) => env.store_error(&e),
                }
            }
        }
        Tab::Overview | Tab::Documents => {}
    }
}
