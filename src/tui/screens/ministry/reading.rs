//! How the dashboard reads the round: its first reading at login, a tab's first visit, the
//! reading again after its own step or another connection's commit (`refresh`), and the
//! ranking computed in the background. Only the runtime calls what takes a `Store` here: a
//! tab's update asks for `Effect::ShowTab`, `Effect::RoundChanged` or `Effect::Refresh`.

use std::rc::Rc;

use crate::domain::access::Role;
use crate::store::{Store, StoreError};
use crate::tui::core::Env;
use crate::tui::screens::dashboard::{CLERK_TABS, DashboardState, MINISTRY_TABS, Tab};

use super::documents::DocumentsTab;
use super::overview::OverviewTab;
use super::overview_job;
use super::panel_job;
use super::publicity::PublicityTab;
use super::ranking::RankingTab;
use super::ranking_job::{self, Poll, RankingJob};
use super::refresh::Refresh;
use super::selection::SelectionTab;

impl DashboardState {
    /// A dashboard over `tabs` at the overview, no other tab read yet (what the update
    /// tests build, with [`OverviewTab::empty`] and [`Refresh::unwatched`]).
    pub fn new(tabs: &'static [Tab], overview: OverviewTab, refresh: Refresh) -> Self {
        DashboardState {
            tabs,
            tab: 0,
            overview,
            reviewed_job: None,
            assignment: None,
            ranking: None,
            selection: None,
            publicity: None,
            documents: None,
            refresh,
            ranking_job: None,
            assignment_job: None,
            panel: None,
            panel_job: None,
            panel_replicates: panel_job::REPLICATES,
            spin: 0,
            background_from: ranking_job::BACKGROUND_FROM,
        }
    }

    /// The dashboard of the logged-in ministry staff or clerk, at the overview.
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let user = env.user.as_ref().ok_or(StoreError::LoginRequired)?;
        let tabs = if user.role == Role::Clerk {
            CLERK_TABS
        } else {
            MINISTRY_TABS
        };
        let (overview, reviewed_job) =
            overview_job::load(env, store, ranking_job::BACKGROUND_FROM)?;
        let mut d = DashboardState::new(tabs, overview, Refresh::new(store));
        d.reviewed_job = reviewed_job.map(Rc::new);
        // On a large round, rank ahead in the background: the ranking tab is then ready (or
        // nearly) on its first visit. A failure here is reported when the tab is shown.
        if d.tabs.contains(&Tab::Ranking) && d.overview.total >= d.background_from {
            d.ranking_job = RankingJob::start(env, store).ok().flatten().map(Rc::new);
        }
        Ok(d)
    }

    /// Take the background ranking if it is ready (`wait`: up to that long).
    pub fn collect_ranking(&mut self, env: &mut Env, wait: Option<std::time::Duration>) {
        let Some(job) = &self.ranking_job else {
            return;
        };
        let poll = match wait {
            Some(t) => job.wait(t),
            None => job.poll(),
        };
        match poll {
            Poll::Running => {}
            Poll::Done(mut tab) => {
                if let Some(old) = &self.ranking {
                    tab.carry_from(old);
                }
                self.ranking = Some(tab);
                self.ranking_job = None;
            }
            Poll::Failed(e) => {
                self.ranking_job = None;
                env.store_error(&e);
            }
        }
    }

    /// Compute the ranking again after another connection changed the data, keeping the one on
    /// screen until the new one is ready (in the background on a large round).
    pub fn recompute_ranking(&mut self, env: &mut Env, store: &Store) {
        let job = if self.overview.total >= self.background_from {
            RankingJob::start(env, store)
        } else {
            Ok(None)
        };
        match job {
            Ok(Some(j)) => self.ranking_job = Some(Rc::new(j)),
            Ok(None) => match RankingTab::load(env, store) {
                Ok(mut tab) => {
                    if let Some(old) = &self.ranking {
                        tab.carry_from(old);
                    }
                    self.ranking = Some(Box::new(tab));
                }
                Err(e) => env.store_error(&e),
            },
            Err(e) => env.store_error(&e),
        }
    }

    /// Read the tab in front if it has not been read yet (`Effect::ShowTab`, after a tab
    /// switch); a failure goes to the message line.
    pub fn load_front(&mut self, env: &mut Env, store: &mut Store) {
        if let Err(e) = self.ensure_loaded(env, store) {
            env.store_error(&e);
        }
    }

    /// After the dashboard's own step (`Effect::RoundChanged`): read the round again, the
    /// assignment tab the dashboard's way (in the background on a large round) and the
    /// publicity tab afresh; the step's outcome stays in the message line over any reload
    /// message.
    pub fn after_step(&mut self, env: &mut Env, store: &mut Store) {
        let message = env.message.clone();
        if self.current() == Tab::Publicity {
            self.publicity = None;
        }
        self.round_changed(env, store);
        if self.current() == Tab::Assignment
            && let Err(e) = self.load_assignment(env, store)
        {
            env.store_error(&e);
        }
        if env.message.as_ref().is_none_or(|m| !m.error) {
            env.message = message;
        }
    }

    pub(crate) fn ensure_loaded(
        &mut self,
        env: &mut Env,
        store: &mut Store,
    ) -> Result<(), StoreError> {
        match self.current() {
            Tab::Overview => {}
            Tab::Assignment if self.assignment.is_none() && self.assignment_job.is_none() => {
                self.load_assignment(env, store)?;
            }
            Tab::Ranking if self.ranking.is_none() && self.ranking_job.is_none() => {
                let job = if self.overview.total >= self.background_from {
                    RankingJob::start(env, store)?
                } else {
                    None
                };
                match job {
                    Some(j) => self.ranking_job = Some(Rc::new(j)),
                    None => self.ranking = Some(Box::new(RankingTab::load(env, store)?)),
                }
            }
            Tab::Panel if self.panel.is_none() && self.panel_job.is_none() => {
                self.start_panel(env, store);
            }
            Tab::Selection if self.selection.is_none() => {
                self.selection = Some(Box::new(SelectionTab::load(env, store)?));
            }
            Tab::Publicity if self.publicity.is_none() => {
                self.publicity = Some(PublicityTab::load(env, store)?);
            }
            Tab::Documents if self.documents.is_none() => {
                self.documents = Some(DocumentsTab::load(env, store)?);
            }
            _ => {}
        }
        Ok(())
    }

    /// After a change to the round: drop every loaded tab but the one in front, reload that one
    /// and the overview, and refresh the phase.
    pub fn round_changed(&mut self, env: &mut Env, store: &mut Store) {
        env.phase = crate::tui::phase::phase(store);
        let keep = self.current();
        if keep != Tab::Assignment {
            self.assignment = None;
        }
        // Read before the change: stale.
        self.assignment_job = None;
        if keep != Tab::Ranking {
            self.ranking = None;
        }
        // A ranking computed before the change is stale.
        self.ranking_job = None;
        if keep != Tab::Panel {
            self.panel = None;
        }
        self.panel_job = None;
        if let Some(p) = self.panel.as_mut() {
            p.set_phase(env.phase);
        }
        if keep != Tab::Selection {
            self.selection = None;
        }
        if keep != Tab::Publicity {
            self.publicity = None;
        }
        // The chosen output folder outlives the reload.
        let folder = self.documents.take().map(|d| d.folder);
        match self.reload_overview(env, store) {
            Ok(o) => {
                let filter = self.overview.list.query.clone();
                let (open, scroll) = (self.overview.refusals.open, self.overview.refusals.scroll);
                let selected = self.overview.list.selected;
                self.overview = o;
                self.overview.list.query = filter;
                self.overview.refilter(env);
                // A reload (live refresh) leaves the reader where they were.
                self.overview.list.selected =
                    selected.min(self.overview.list.visible.len().saturating_sub(1));
                self.overview.refusals.open = open;
                self.overview.refusals.scroll = scroll;
            }
            Err(e) => env.store_error(&e),
        }
        if let Err(e) = self.ensure_loaded(env, store) {
            env.store_error(&e);
        }
        if let (Some(d), Some(folder)) = (self.documents.as_mut(), folder) {
            d.folder = folder;
        }
    }

    /// The runner's tick: when another connection changed the database, reload what is shown
    /// (the tab in front keeps its place where it can).
    pub fn tick(&mut self, env: &mut Env, store: &mut Store, now: std::time::Instant) {
        self.spin = self.spin.wrapping_add(1);
        self.collect_ranking(env, None);
        self.collect_assignment(env, None);
        self.collect_reviewed(env, None);
        self.collect_panel(env, None);
        if !self.refresh.changed(store, now) {
            return;
        }
        let message = env.message.clone();
        self.round_changed(env, store);
        super::refresh::reload_front(self, env, store);
        if let Err(e) = self.ensure_loaded(env, store) {
            env.store_error(&e);
        }
        if env.message.as_ref().is_none_or(|m| !m.error) {
            env.message = message;
        }
    }
}
