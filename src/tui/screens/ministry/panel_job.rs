//! The panel tab's material ([`crate::service::PanelRoom`]: statistics, band, sheets) computed
//! off the drawing path: the bootstrap ranks the round hundreds of times, which takes seconds,
//! so a thread with its own read-only connection computes it while the tab shows a
//! "计算中…" line (on a store with no file, in memory, it is computed in place). The result is
//! kept until the data changes: the dashboard drops it on its own writes (other than a vote or
//! an opening from this tab, which update it in place) and recomputes it when the live refresh
//! sees another connection's commit (`refresh.rs`).

use std::rc::Rc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::service::PanelRoom;
use crate::store::{Store, StoreError};
use crate::tui::core::Env;
use crate::tui::screens::dashboard::DashboardState;

use super::panel::PanelTab;
use super::user;

/// Bootstrap draws and seed, as `shifan panel status` and `shifan rank --stats` default to.
pub const REPLICATES: usize = 500;
pub const SEED: u64 = 2026;

/// The material being computed.
#[derive(Debug)]
pub struct PanelJob {
    rx: Receiver<Result<PanelRoom, StoreError>>,
    pub started: Instant,
}

impl PanelJob {
    /// Start on a thread of its own; `None` when the store has no file (the caller computes in
    /// place).
    pub fn start(
        env: &Env,
        store: &Store,
        replicates: usize,
    ) -> Result<Option<PanelJob>, StoreError> {
        let Some(path) = store.file_path() else {
            return Ok(None);
        };
        let actor = user(env)?;
        let criteria = env.criteria.clone();
        let today = store.today();
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("shifan-panel".into())
            .spawn(move || {
                let result = Store::open_read_only(&path).and_then(|mut s| {
                    s.set_today(today);
                    s.panel_room(&criteria, &actor, replicates, SEED)
                });
                // The dashboard may have gone (logged out): nobody to tell.
                let _ = tx.send(result);
            })
            .map_err(|e| {
                StoreError::corrupt(
                    format!("无法启动评审统计计算：{e}"),
                    format!("the statistics cannot be started: {e}"),
                )
            })?;
        Ok(Some(PanelJob {
            rx,
            started: Instant::now(),
        }))
    }

    /// The result if ready (`wait`: up to that long); `None` while running.
    fn take(&self, wait: Option<Duration>) -> Option<Result<PanelRoom, StoreError>> {
        match wait {
            Some(t) => self.rx.recv_timeout(t).ok(),
            None => match self.rx.try_recv() {
                Ok(r) => Some(r),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => Some(Err(StoreError::corrupt(
                    "评审统计计算意外中止",
                    "the statistics stopped unexpectedly",
                ))),
            },
        }
    }
}

impl DashboardState {
    /// Compute the panel tab's material: on a thread when the store has a file, else in
    /// place. The tab on screen (if any) stays until the new material is ready.
    pub fn start_panel(&mut self, env: &mut Env, store: &Store) {
        match PanelJob::start(env, store, self.panel_replicates) {
            Ok(Some(job)) => self.panel_job = Some(Rc::new(job)),
            Ok(None) => {
                let room = user(env).and_then(|actor| {
                    store.panel_room(&env.criteria, &actor, self.panel_replicates, SEED)
                });
                self.take_panel(env, room);
            }
            Err(e) => env.store_error(&e),
        }
    }

    /// Take the computed material if it is ready (`wait`: up to that long).
    pub fn collect_panel(&mut self, env: &mut Env, wait: Option<Duration>) {
        let Some(job) = &self.panel_job else {
            return;
        };
        if let Some(result) = job.take(wait) {
            self.panel_job = None;
            self.take_panel(env, result);
        }
    }

    fn take_panel(&mut self, env: &mut Env, room: Result<PanelRoom, StoreError>) {
        match room {
            Ok(room) => {
                let mut tab = PanelTab::new(env, room);
                if let Some(old) = &self.panel {
                    tab.carry_from(old);
                }
                self.panel = Some(Box::new(tab));
            }
            Err(e) => env.store_error(&e),
        }
    }

    /// Whether the panel's material is being computed.
    pub fn panel_busy(&self) -> bool {
        self.panel_job.is_some()
    }
}

/// The line shown while the material is computed: a spinner frame and the time so far.
pub fn busy_text(spin: usize, elapsed: Duration) -> crate::domain::Text {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let c = FRAMES[spin % FRAMES.len()];
    let s = elapsed.as_secs_f64();
    crate::domain::Text::new(
        format!("{c} 计算中…（{s:.1} 秒）评审统计与会评范围就绪后自动显示"),
        format!("{c} computing… ({s:.1} s) the statistics and the band show when ready"),
    )
}
