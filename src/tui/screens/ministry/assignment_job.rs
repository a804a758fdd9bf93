//! The assignment tab read off the drawing path on a large round (from
//! [`BACKGROUND_FROM`](super::ranking_job::BACKGROUND_FROM) dossiers on): every dossier with its experts and every expert's load is
//! a read of all the round's pairs, seconds at 30,000 dossiers. The dashboard draws a
//! "计算中…" line meanwhile (keys and the mouse reach nothing); a tab read again after another
//! connection's commit stays on screen until the new one is ready, which then takes over the
//! reader's place.

use std::rc::Rc;
use std::time::Duration;

use crate::domain::Text;
use crate::store::{Store, StoreError};
use crate::tui::core::Env;
use crate::tui::screens::dashboard::DashboardState;

use super::assignment::AssignmentTab;
use super::job::{Job, Poll};

/// The assignment tab being read.
pub type AssignmentJob = Job<AssignmentTab>;

impl Job<AssignmentTab> {
    /// Read the tab on a thread of its own; `None` in memory (the caller reads in place).
    pub fn start(env: &Env, store: &Store) -> Result<Option<AssignmentJob>, StoreError> {
        Job::spawn("shifan-assignment", env, store, |env, s| {
            AssignmentTab::load(env, s)
        })
    }
}

impl DashboardState {
    /// (Re)read the assignment tab: in place on a small round; from `background_from`
    /// dossiers on in the background, the tab shown so far (if any) staying until then.
    pub fn load_assignment(&mut self, env: &mut Env, store: &Store) -> Result<(), StoreError> {
        if self.overview.total >= self.background_from
            && let Some(job) = AssignmentJob::start(env, store)?
        {
            self.assignment_job = Some(Rc::new(job));
            return Ok(());
        }
        let fresh = AssignmentTab::load(env, store)?;
        self.take_assignment(env, fresh);
        Ok(())
    }

    /// Take the tab read in the background if it is ready (`wait`: up to that long).
    pub fn collect_assignment(&mut self, env: &mut Env, wait: Option<Duration>) {
        let Some(job) = &self.assignment_job else {
            return;
        };
        let poll = match wait {
            Some(t) => job.wait(t),
            None => job.poll(),
        };
        match poll {
            Poll::Running => {}
            Poll::Done(fresh) => {
                self.assignment_job = None;
                self.take_assignment(env, *fresh);
            }
            Poll::Failed(e) => {
                self.assignment_job = None;
                env.store_error(&e);
            }
        }
    }

    /// Whether the assignment tab is being read in the background.
    pub fn assignment_busy(&self) -> bool {
        self.assignment_job.is_some()
    }

    /// Show `fresh`, in the reader's place on the tab it replaces.
    fn take_assignment(&mut self, env: &Env, mut fresh: AssignmentTab) {
        if let Some(old) = self.assignment.take() {
            fresh.carry_from(env, old, true);
        }
        self.assignment = Some(fresh);
    }
}

/// The line shown while the tab is read.
pub fn busy_text(spin: usize, elapsed: Duration) -> Text {
    super::job::busy_text(
        spin,
        elapsed,
        &Text::new(
            "申报书与专家就绪后自动显示",
            "the dossiers and experts show when ready",
        ),
    )
}
