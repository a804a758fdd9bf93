//! Work done off the drawing path on a large round: a thread with its own read-only connection
//! builds a tab's data while the dashboard draws a "计算中…" line; the dashboard polls it on the
//! runner's tick. The ranking (`ranking_job`) and the assignment tab (`assignment_job`) use it.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::domain::Text;
use crate::store::{Store, StoreError};
use crate::tui::core::Env;

/// A tab's data being built in the background.
#[derive(Debug)]
pub struct Job<T> {
    rx: Receiver<Result<T, StoreError>>,
    pub started: Instant,
}

/// What the job has to say.
#[derive(Debug)]
pub enum Poll<T> {
    Running,
    Done(Box<T>),
    Failed(StoreError),
}

impl<T: Send + 'static> Job<T> {
    /// Run `work` on a thread of its own named `name`, over a read-only connection to the
    /// store's file (with the store's today); `None` when the store has no file to open a
    /// second connection on (in memory), and the caller does the work in place.
    pub fn spawn(
        name: &str,
        env: &Env,
        store: &Store,
        work: impl FnOnce(&Env, &mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<Option<Job<T>>, StoreError> {
        let Some(path) = store.file_path() else {
            return Ok(None);
        };
        let env = env.clone();
        let today = store.today();
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let result = Store::open_read_only(&path).and_then(|mut s| {
                    s.set_today(today);
                    work(&env, &mut s)
                });
                // The dashboard may have gone (logged out): nobody to tell.
                let _ = tx.send(result);
            })
            .map_err(|e| {
                StoreError::corrupt(
                    format!("无法启动后台计算：{e}"),
                    format!("the background work cannot be started: {e}"),
                )
            })?;
        Ok(Some(Job {
            rx,
            started: Instant::now(),
        }))
    }

    /// Whether the data is ready, without waiting.
    pub fn poll(&self) -> Poll<T> {
        match self.rx.try_recv() {
            Ok(Ok(tab)) => Poll::Done(Box::new(tab)),
            Ok(Err(e)) => Poll::Failed(e),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => Poll::Failed(StoreError::corrupt(
                "后台计算意外中止",
                "the background work stopped unexpectedly",
            )),
        }
    }

    /// Wait up to `timeout` for the data (tests and the benchmark).
    pub fn wait(&self, timeout: Duration) -> Poll<T> {
        match self.rx.recv_timeout(timeout) {
            Ok(Ok(tab)) => Poll::Done(Box::new(tab)),
            Ok(Err(e)) => Poll::Failed(e),
            Err(_) => Poll::Running,
        }
    }
}

/// The line shown while a tab's data is built: a spinner frame, the time so far, and what
/// then happens (`then`, e.g. "the ranking shows when ready").
pub fn busy_text(spin: usize, elapsed: Duration, then: &Text) -> Text {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let c = FRAMES[spin % FRAMES.len()];
    let s = elapsed.as_secs_f64();
    Text::new(
        format!("{c} 计算中…（{s:.1} 秒）{}", then.zh),
        format!("{c} computing… ({s:.1} s) {}", then.en),
    )
}
