//! Ministry staff's and the clerk's home: tabs over the round's steps. Ministry staff see every
//! tab; the clerk sees the overview and the documents. Each tab is its own file under
//! `ministry/`, loaded when first shown and reloaded after a change to the round.

use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Tabs;

use crate::domain::access::Role;
use crate::store::{Store, StoreError};

use crate::tui::core::Env;
use crate::tui::keymap::{Action, Context};
use crate::tui::list::{inside, tab_at};
use crate::tui::popup::{ConfirmPurpose, InputPurpose};
use crate::tui::screens::Transition;
use crate::tui::theme;

use super::ministry::assignment::AssignmentTab;
use super::ministry::assignment_job::{self, AssignmentJob};
use super::ministry::documents::DocumentsTab;
use super::ministry::overview::OverviewTab;
use super::ministry::overview_job::{self, ReviewedJob};
use super::ministry::panel::PanelTab;
use super::ministry::panel_job::{self, PanelJob};
use super::ministry::publicity::PublicityTab;
use super::ministry::ranking::RankingTab;
use super::ministry::ranking_job::{self, Poll, RankingJob};
use super::ministry::refresh::Refresh;
use super::ministry::selection::SelectionTab;
use std::rc::Rc;

/// A tab of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Assignment,
    Ranking,
    /// The panel meeting (会评) and the review statistics.
    Panel,
    Selection,
    Publicity,
    Documents,
}

impl Tab {
    pub fn title(self) -> (&'static str, &'static str) {
        match self {
            Tab::Overview => ("概况", "Overview"),
            Tab::Assignment => ("分配", "Assignment"),
            Tab::Ranking => ("排名", "Ranking"),
            Tab::Panel => ("会评", "Panel"),
            Tab::Selection => ("遴选", "Selection"),
            Tab::Publicity => ("公示", "Publicity"),
            Tab::Documents => ("文书", "Documents"),
        }
    }
}

const MINISTRY_TABS: &[Tab] = &[
    Tab::Overview,
    Tab::Assignment,
    Tab::Ranking,
    Tab::Panel,
    Tab::Selection,
    Tab::Publicity,
    Tab::Documents,
];
const CLERK_TABS: &[Tab] = &[Tab::Overview, Tab::Documents];

/// The dashboard: the tabs the role may see, and each tab's state once loaded.
#[derive(Debug, Clone)]
pub struct DashboardState {
    pub tabs: &'static [Tab],
    pub tab: usize,
    pub overview: OverviewTab,
    pub assignment: Option<AssignmentTab>,
    pub ranking: Option<Box<RankingTab>>,
    pub selection: Option<Box<SelectionTab>>,
    pub publicity: Option<PublicityTab>,
    pub documents: Option<DocumentsTab>,
    /// Watches the database for other connections' commits (see `ministry::refresh`).
    pub refresh: Refresh,
    /// The ranking being computed in the background (large rounds, `ministry::ranking_job`).
    pub ranking_job: Option<Rc<RankingJob>>,
    /// The assignment tab being read in the background (large rounds,
    /// `ministry::assignment_job`).
    pub assignment_job: Option<Rc<AssignmentJob>>,
    /// The overview's progress pane being read in the background (`ministry::overview_job`).
    pub reviewed_job: Option<Rc<ReviewedJob>>,
    /// The panel tab (会评 and the statistics), once computed.
    pub panel: Option<Box<PanelTab>>,
    /// The panel's material being computed (`ministry::panel_job`).
    pub panel_job: Option<Rc<PanelJob>>,
    /// Bootstrap draws for the panel's intervals (as `shifan panel status --replicates`).
    pub panel_replicates: usize,
    /// Ticks seen: the spinner's frame.
    pub spin: usize,
    /// From this many stored dossiers on, the ranking is computed in the background.
    pub background_from: i64,
}

impl DashboardState {
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let user = env.user.as_ref().ok_or(StoreError::LoginRequired)?;
        let tabs = if user.role == Role::Clerk {
            CLERK_TABS
        } else {
            MINISTRY_TABS
        };
        let (overview, reviewed_job) =
            overview_job::load(env, store, ranking_job::BACKGROUND_FROM)?;
        let mut d = DashboardState {
            tabs,
            tab: 0,
            overview,
            reviewed_job: reviewed_job.map(Rc::new),
            assignment: None,
            ranking: None,
            selection: None,
            publicity: None,
            documents: None,
            refresh: Refresh::new(store),
            ranking_job: None,
            assignment_job: None,
            panel: None,
            panel_job: None,
            panel_replicates: panel_job::REPLICATES,
            spin: 0,
            background_from: ranking_job::BACKGROUND_FROM,
        };
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

    /// Whether the ranking is being computed in the background.
    pub fn ranking_busy(&self) -> bool {
        self.ranking_job.is_some()
    }

    /// The tab in front.
    pub fn current(&self) -> Tab {
        self.tabs.get(self.tab).copied().unwrap_or(Tab::Overview)
    }

    /// Where the keys go.
    pub fn context(&self) -> Context {
        match self.current() {
            Tab::Overview if self.overview.refusals.open => Context::Sublist,
            Tab::Overview if self.overview.list.filtering => Context::Filter,
            Tab::Overview => Context::Dashboard,
            Tab::Assignment => match &self.assignment {
                Some(a) if a.sublist().is_some() => a.sublist().unwrap_or(Context::Assignment),
                Some(a) if a.list.filtering => Context::Filter,
                _ => Context::Assignment,
            },
            Tab::Ranking => match &self.ranking {
                Some(r) if r.list.filtering => Context::Filter,
                Some(r) if r.explain.is_some() => Context::Explain,
                _ => Context::Ranking,
            },
            Tab::Panel => self
                .panel
                .as_ref()
                .map_or(Context::PanelReadOnly, |p| p.context()),
            Tab::Selection => Context::Selection,
            Tab::Publicity => Context::Publicity,
            Tab::Documents => self
                .documents
                .as_ref()
                .map_or(Context::Documents, DocumentsTab::context),
        }
    }

    /// Switch to `tab` (an index into `tabs`), loading it if needed.
    pub fn show(&mut self, env: &mut Env, store: &mut Store, tab: usize) {
        self.tab = tab;
        if let Err(e) = self.ensure_loaded(env, store) {
            env.store_error(&e);
        }
    }

    fn ensure_loaded(&mut self, env: &mut Env, store: &mut Store) -> Result<(), StoreError> {
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
        super::ministry::refresh::reload_front(self, env, store);
        if let Err(e) = self.ensure_loaded(env, store) {
            env.store_error(&e);
        }
        if env.message.as_ref().is_none_or(|m| !m.error) {
            env.message = message;
        }
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        store: &mut Store,
    ) -> Transition {
        self.collect_ranking(env, None);
        self.collect_assignment(env, None);
        self.collect_reviewed(env, None);
        self.collect_panel(env, None);
        let ctx = self.context();
        if ctx != Context::Filter && ctx != Context::Explain {
            let n = self.tabs.len();
            match action {
                Action::NextTab => {
                    self.show(env, store, (self.tab + 1) % n);
                    return Transition::Stay;
                }
                Action::PrevTab => {
                    self.show(env, store, (self.tab + n - 1) % n);
                    return Transition::Stay;
                }
                _ => {}
            }
        }
        match self.current() {
            Tab::Overview => self.overview.handle(env, action, typed),
            Tab::Assignment => match &mut self.assignment {
                Some(t) => t.handle(env, action, typed, store),
                None => Transition::Stay,
            },
            Tab::Ranking => match &mut self.ranking {
                Some(t) => t.handle(env, action, typed, store),
                None => Transition::Stay,
            },
            Tab::Panel => match &mut self.panel {
                Some(t) => t.handle(env, action),
                None => Transition::Stay,
            },
            Tab::Selection => match &mut self.selection {
                Some(t) => t.handle(env, action, store),
                None => Transition::Stay,
            },
            Tab::Publicity => match &mut self.publicity {
                Some(t) => t.handle(env, action),
                None => Transition::Stay,
            },
            Tab::Documents => match &mut self.documents {
                Some(t) => t.handle(action),
                None => Transition::Stay,
            },
        }
    }

    /// Pasted text, into the focused search field.
    pub fn paste(&mut self, env: &Env, text: &str) {
        match self.current() {
            Tab::Overview if self.overview.list.filtering => {
                self.overview.list.query.insert_str(text);
                self.overview.refilter(env);
            }
            Tab::Assignment => {
                if let Some(t) = self.assignment.as_mut().filter(|t| t.list.filtering) {
                    t.list.query.insert_str(text);
                    t.refilter(env);
                }
            }
            Tab::Ranking => {
                if let Some(t) = self.ranking.as_mut().filter(|t| t.list.filtering) {
                    t.list.query.insert_str(text);
                    t.refilter();
                }
            }
            _ => {}
        }
    }

    pub fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        store: &mut Store,
    ) -> Transition {
        match self.current() {
            Tab::Assignment => match &mut self.assignment {
                Some(t) => t.on_input(env, purpose, value),
                None => Transition::Stay,
            },
            Tab::Ranking => match &mut self.ranking {
                Some(t) => t.on_input(env, purpose, value),
                None => Transition::Stay,
            },
            Tab::Panel => match &mut self.panel {
                Some(t) => t.on_input(env, purpose, value),
                None => Transition::Stay,
            },
            Tab::Selection => match &mut self.selection {
                Some(t) => t.on_input(env, purpose, value, store),
                None => Transition::Stay,
            },
            Tab::Publicity => match &mut self.publicity {
                Some(t) => t.on_input(env, purpose, value),
                None => Transition::Stay,
            },
            Tab::Documents => match &mut self.documents {
                Some(t) => t.on_input(env, purpose, value),
                None => Transition::Stay,
            },
            _ => Transition::Stay,
        }
    }

    pub fn on_confirm(
        &mut self,
        env: &mut Env,
        purpose: ConfirmPurpose,
        store: &mut Store,
    ) -> Transition {
        let (t, changed) = match self.current() {
            Tab::Assignment => match &mut self.assignment {
                Some(t) => t.on_confirm(env, purpose, store),
                None => (Transition::Stay, false),
            },
            Tab::Panel => match &mut self.panel {
                Some(t) => t.on_confirm(env, purpose, store),
                None => (Transition::Stay, false),
            },
            Tab::Publicity => match &mut self.publicity {
                Some(t) => t.on_confirm(env, purpose, store),
                None => (Transition::Stay, false),
            },
            Tab::Documents => match &mut self.documents {
                Some(t) => (t.on_confirm(env, purpose, store), false),
                None => (Transition::Stay, false),
            },
            _ => (Transition::Stay, false),
        };
        if changed {
            // Keep the tab's own message (the outcome) over any reload message.
            let message = env.message.clone();
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
        t
    }
}

/// The tab titles' row and the tab's body.
fn areas(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area)
}

impl DashboardState {
    /// The tab titles in the user's language.
    fn titles<'e>(&self, env: &'e Env) -> Vec<&'e str> {
        self.tabs
            .iter()
            .map(|t| {
                let (zh, en) = t.title();
                env.t(zh, en)
            })
            .collect()
    }

    /// A click on a tab title switches to it; the rest goes to the tab in front.
    pub fn on_mouse(
        &mut self,
        env: &mut Env,
        ev: MouseEvent,
        area: Rect,
        store: &mut Store,
    ) -> Transition {
        let [tabs, body] = areas(area);
        if ev.kind == MouseEventKind::Down(MouseButton::Left) && inside(tabs, &ev) {
            let ctx = self.context();
            if ctx != Context::Filter
                && ctx != Context::Explain
                && let Some(i) = tab_at(&self.titles(env), tabs, ev.column)
                && i != self.tab
            {
                self.show(env, store, i);
            }
            return Transition::Stay;
        }
        match self.current() {
            Tab::Overview => self.overview.on_mouse(env, &ev, body),
            Tab::Assignment => {
                if let Some(t) = &mut self.assignment {
                    t.on_mouse(env, &ev, body);
                }
            }
            Tab::Ranking => {
                if let Some(t) = &mut self.ranking {
                    t.on_mouse(env, &ev, body);
                }
            }
            Tab::Selection => {
                if let Some(t) = &mut self.selection {
                    t.on_mouse(env, &ev, body);
                }
            }
            Tab::Publicity => {
                if let Some(t) = &mut self.publicity {
                    t.on_mouse(&ev, body);
                }
            }
            Tab::Documents => {
                if let Some(t) = &mut self.documents {
                    return t.on_mouse(env, &ev, body);
                }
            }
            Tab::Panel => {
                if let Some(t) = &mut self.panel {
                    t.on_mouse(env, &ev, body);
                }
            }
        }
        Transition::Stay
    }
}

pub fn view(s: &DashboardState, env: &Env, f: &mut Frame, area: Rect) {
    let [tabs, body] = areas(area);
    let titles = s.titles(env);
    f.render_widget(
        Tabs::new(titles)
            .select(s.tab)
            .highlight_style(theme::selected()),
        tabs,
    );
    let ministry = super::ministry::placeholder;
    match s.current() {
        Tab::Overview => super::ministry::overview::view(&s.overview, env, f, body),
        Tab::Assignment => match (&s.assignment, &s.assignment_job) {
            (Some(t), _) => super::ministry::assignment::view(t, env, f, body),
            (None, Some(job)) => {
                let text = assignment_job::busy_text(s.spin, job.started.elapsed());
                busy(Tab::Assignment, &text, env, f, body);
            }
            (None, None) => ministry(Tab::Assignment, env, f, body),
        },
        Tab::Ranking => match (&s.ranking, &s.ranking_job) {
            (Some(t), _) => super::ministry::ranking::view(t, env, f, body),
            (None, Some(job)) => {
                let text = ranking_job::busy_text(s.spin, job.started.elapsed());
                busy(Tab::Ranking, &text, env, f, body);
            }
            (None, None) => ministry(Tab::Ranking, env, f, body),
        },
        Tab::Panel => match (&s.panel, &s.panel_job) {
            (Some(t), _) => super::ministry::panel::view(t, env, f, body),
            (None, Some(job)) => busy(
                Tab::Panel,
                &panel_job::busy_text(s.spin, job.started.elapsed()),
                env,
                f,
                body,
            ),
            (None, None) => ministry(Tab::Panel, env, f, body),
        },
        Tab::Selection => match &s.selection {
            Some(t) => super::ministry::selection::view(t, env, f, body),
            None => ministry(Tab::Selection, env, f, body),
        },
        Tab::Publicity => match &s.publicity {
            Some(t) => super::ministry::publicity::view(t, env, f, body),
            None => ministry(Tab::Publicity, env, f, body),
        },
        Tab::Documents => match &s.documents {
            Some(t) => super::ministry::documents::view(t, env, f, body),
            None => ministry(Tab::Documents, env, f, body),
        },
    }
}

/// A tab while its data is computed in the background: `text` says so.
fn busy(tab: Tab, text: &crate::domain::Text, env: &Env, f: &mut Frame, area: Rect) {
    use ratatui::widgets::{Block, Paragraph};
    let (zh, en) = tab.title();
    let block = Block::bordered().title(format!(" {} ", env.t(zh, en)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    f.render_widget(
        Paragraph::new(crate::tui::text::truncate(
            env.lang.text(text),
            inner.width as usize,
        ))
        .style(theme::dim()),
        inner,
    );
}
