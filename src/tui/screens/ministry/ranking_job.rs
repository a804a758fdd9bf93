//! The ranking tab's data computed off the drawing path on a large round: a thread with its own
//! read-only connection ranks the round and builds the tab (search text, sort order), while the
//! dashboard draws a "计算中…" line. The tab is then kept (cached) until the data changes: the
//! dashboard drops it on its own writes and when the live refresh sees another connection's
//! commit (`refresh.rs`).

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::domain::Text;
use crate::store::{Store, StoreError};
use crate::tui::core::Env;

use super::ranking::RankingTab;
use super::user;

/// From this many stored dossiers on, the ranking is computed in the background.
pub const BACKGROUND_FROM: i64 = 2_000;

/// A ranking being computed.
#[derive(Debug)]
pub struct RankingJob {
    rx: Receiver<Result<RankingTab, StoreError>>,
    pub started: Instant,
}

/// What the job has to say.
#[derive(Debug)]
pub enum Poll {
    Running,
    Done(Box<RankingTab>),
    Failed(StoreError),
}

impl RankingJob {
    /// Start ranking on a thread of its own; `None` when the store has no file to open a second
    /// connection on (in memory), and the caller ranks in place.
    pub fn start(env: &Env, store: &Store) -> Result<Option<RankingJob>, StoreError> {
        let Some(path) = store.file_path() else {
            return Ok(None);
        };
        let actor = user(env)?;
        let env = env.clone();
        let today = store.today();
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("shifan-ranking".into())
            .spawn(move || {
                let result = Store::open_read_only(&path).and_then(|mut s| {
                    s.set_today(today);
                    let round = s.ranking(&env.criteria, &actor)?;
                    Ok(RankingTab::from_round(&env, round))
                });
                // The dashboard may have gone (logged out): nobody to tell.
                let _ = tx.send(result);
            })
            .map_err(|e| {
                StoreError::corrupt(
                    format!("无法启动排名计算：{e}"),
                    format!("the ranking cannot be started: {e}"),
                )
            })?;
        Ok(Some(RankingJob {
            rx,
            started: Instant::now(),
        }))
    }

    /// Whether the ranking is ready, without waiting.
    pub fn poll(&self) -> Poll {
        match self.rx.try_recv() {
            Ok(Ok(tab)) => Poll::Done(Box::new(tab)),
            Ok(Err(e)) => Poll::Failed(e),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => Poll::Failed(StoreError::corrupt(
                "排名计算意外中止",
                "the ranking stopped unexpectedly",
            )),
        }
    }

    /// Wait up to `timeout` for the ranking (tests and the benchmark).
    pub fn wait(&self, timeout: Duration) -> Poll {
        match self.rx.recv_timeout(timeout) {
            Ok(Ok(tab)) => Poll::Done(Box::new(tab)),
            Ok(Err(e)) => Poll::Failed(e),
            Err(_) => Poll::Running,
        }
    }
}

/// The line shown while the ranking is computed: a spinner frame and the time so far.
pub fn busy_text(spin: usize, elapsed: Duration) -> Text {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let c = FRAMES[spin % FRAMES.len()];
    let s = elapsed.as_secs_f64();
    Text::new(
        format!("{c} 计算中…（{s:.1} 秒）排名就绪后自动显示"),
        format!("{c} computing… ({s:.1} s) the ranking shows when ready"),
    )
}
