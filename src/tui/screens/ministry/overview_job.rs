//! The overview's progress pane read off the drawing path on a large round (from
//! [`BACKGROUND_FROM`](super::ranking_job::BACKGROUND_FROM) dossiers on): progress per expert
//! and per province and the coverage are reads over every current pair, a good part of a
//! second at 30,000 dossiers. The dossiers per reporting unit are read at once, so the home
//! screen comes up at login; the pane says 「计算中…」 until its data arrives (or keeps the
//! last read on screen after a change).

use std::rc::Rc;
use std::time::Duration;

use crate::store::{Store, StoreError};
use crate::tui::core::Env;
use crate::tui::screens::dashboard::DashboardState;

use super::job::{Job, Poll};
use super::overview::{OverviewTab, Reviewed};

/// The progress pane being read.
pub type ReviewedJob = Job<Reviewed>;

impl Job<Reviewed> {
    /// Read the pane on a thread of its own; `None` in memory (the caller reads in place).
    pub fn start(env: &Env, store: &Store, total: i64) -> Result<Option<ReviewedJob>, StoreError> {
        Job::spawn("shifan-overview", env, store, move |env, s| {
            Reviewed::read(env, s, total)
        })
    }
}

/// The overview read for the logged-in user, its progress pane in the background from
/// `background_from` dossiers on (then the job to collect it from).
pub fn load(
    env: &Env,
    store: &Store,
    background_from: i64,
) -> Result<(OverviewTab, Option<ReviewedJob>), StoreError> {
    let mut tab = OverviewTab::load_counts(env, store)?;
    if tab.total >= background_from
        && Reviewed::shown_to(env)
        && let Some(job) = ReviewedJob::start(env, store, tab.total)?
    {
        tab.reading = true;
        return Ok((tab, Some(job)));
    }
    tab.set_reviewed(Reviewed::read(env, store, tab.total)?);
    Ok((tab, None))
}

impl DashboardState {
    /// Take the progress pane read in the background if it is ready (`wait`: up to that long).
    pub fn collect_reviewed(&mut self, env: &mut Env, wait: Option<Duration>) {
        let Some(job) = &self.reviewed_job else {
            return;
        };
        let poll = match wait {
            Some(t) => job.wait(t),
            None => job.poll(),
        };
        match poll {
            Poll::Running => {}
            Poll::Done(r) => {
                self.reviewed_job = None;
                self.overview.set_reviewed(*r);
            }
            Poll::Failed(e) => {
                self.reviewed_job = None;
                self.overview.reading = false;
                env.store_error(&e);
            }
        }
    }

    /// Read the overview again after a change, the last progress on screen until the new one
    /// is ready.
    pub fn reload_overview(&mut self, env: &Env, store: &Store) -> Result<OverviewTab, StoreError> {
        let (mut tab, job) = load(env, store, self.background_from)?;
        if job.is_some() {
            tab.progress = self.overview.progress.take();
            tab.coverage = self.overview.coverage.take();
            tab.overdue = std::mem::take(&mut self.overview.overdue);
        }
        self.reviewed_job = job.map(Rc::new);
        Ok(tab)
    }
}
