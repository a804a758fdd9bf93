//! Ministry staff's and the clerk's home: tabs over the round's steps. Ministry staff see every
//! tab; the clerk sees the overview and the documents. Each tab is its own file under
//! `ministry/`, loaded when first shown and reloaded after a change to the round.

use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Tabs;

use crate::tui::core::{Cx, Done, Effect, Env};
use crate::tui::keymap::{Action, Context};
use crate::tui::list::{inside, tab_at};
use crate::tui::popup::{ConfirmPurpose, InputPurpose};
use crate::tui::screens::Transition;
use crate::tui::theme;

use super::ministry::assignment::AssignmentTab;
use super::ministry::assignment_job::{self, AssignmentJob};
use super::ministry::documents::DocumentsTab;
use super::ministry::overview::OverviewTab;
use super::ministry::overview_job::ReviewedJob;
use super::ministry::panel::PanelTab;
use super::ministry::panel_job::{self, PanelJob};
use super::ministry::publicity::PublicityTab;
use super::ministry::ranking::RankingTab;
use super::ministry::ranking_job::{self, RankingJob};
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

pub const MINISTRY_TABS: &[Tab] = &[
    Tab::Overview,
    Tab::Assignment,
    Tab::Ranking,
    Tab::Panel,
    Tab::Selection,
    Tab::Publicity,
    Tab::Documents,
];
pub const CLERK_TABS: &[Tab] = &[Tab::Overview, Tab::Documents];

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

    /// Show `tab` (an index into `tabs`) and ask for it to be read if it is not yet.
    pub fn show(&mut self, tab: usize, cx: &mut Cx) {
        self.tab = tab;
        cx.ask(Effect::ShowTab);
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
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
                    self.show((self.tab + 1) % n, cx);
                    return Transition::Stay;
                }
                Action::PrevTab => {
                    self.show((self.tab + n - 1) % n, cx);
                    return Transition::Stay;
                }
                _ => {}
            }
        }
        match self.current() {
            Tab::Overview => self.overview.handle(env, action, typed),
            Tab::Assignment => match &mut self.assignment {
                Some(t) => t.handle(env, action, typed, cx),
                None => Transition::Stay,
            },
            Tab::Ranking => match &mut self.ranking {
                Some(t) => t.on_key(env, action, typed),
                None => Transition::Stay,
            },
            Tab::Panel => match &mut self.panel {
                Some(t) => t.handle(env, action),
                None => Transition::Stay,
            },
            Tab::Selection => match &mut self.selection {
                Some(t) => t.handle(env, action, cx),
                None => Transition::Stay,
            },
            Tab::Publicity => match &mut self.publicity {
                Some(t) => t.handle(env, action),
                None => Transition::Stay,
            },
            Tab::Documents => match &mut self.documents {
                Some(t) => t.handle(action, cx),
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
        cx: &mut Cx,
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
                Some(t) => t.on_input(env, purpose, value, cx),
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

    /// A confirmed step: the tab in front asks the runtime for it (`Effect::RoundStep`, or
    /// the documents' generation); the outcome comes back to [`DashboardState::on_done`].
    pub fn on_confirm(
        &mut self,
        env: &mut Env,
        purpose: ConfirmPurpose,
        cx: &mut Cx,
    ) -> Transition {
        use ConfirmPurpose as P;
        let ours = match self.current() {
            Tab::Assignment => matches!(
                purpose,
                P::Assign { .. } | P::Swap { .. } | P::Reopen { .. }
            ),
            Tab::Panel => matches!(purpose, P::PanelOpen | P::PanelVote { .. }),
            Tab::Publicity => matches!(
                purpose,
                P::Propose { .. }
                    | P::Withdraw { .. }
                    | P::Start { .. }
                    | P::Object { .. }
                    | P::Resolve { .. }
                    | P::ConfirmList { .. }
            ),
            Tab::Documents => {
                if let Some(t) = &mut self.documents {
                    t.on_confirm(env, purpose, cx);
                }
                return Transition::Stay;
            }
            _ => false,
        };
        if ours {
            cx.ask(Effect::RoundStep(purpose));
        }
        Transition::Stay
    }

    /// The answer to an effect the dashboard asked for, to the tab that asked; after a step
    /// that changed the round, the round is read again (`Effect::RoundChanged`).
    pub fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        match done {
            Done::Stepped { purpose, result } => {
                let (t, changed) = match self.current() {
                    Tab::Assignment => match &mut self.assignment {
                        Some(a) => a.on_stepped(env, result),
                        None => (Transition::Stay, false),
                    },
                    Tab::Panel => match &mut self.panel {
                        Some(p) => p.on_stepped(env, &purpose, result),
                        None => (Transition::Stay, false),
                    },
                    Tab::Publicity => match &mut self.publicity {
                        Some(p) => p.on_stepped(env, result),
                        None => (Transition::Stay, false),
                    },
                    _ => (Transition::Stay, false),
                };
                if changed {
                    cx.ask(Effect::RoundChanged);
                }
                t
            }
            Done::Roster(result) => {
                if let Some(a) = &mut self.assignment {
                    a.on_roster(env, result);
                }
                Transition::Stay
            }
            Done::SwapCandidates {
                dossier,
                out,
                result,
            } => {
                if let Some(a) = &mut self.assignment {
                    a.on_candidates(env, &dossier, &out, result);
                }
                Transition::Stay
            }
            Done::Selected {
                constraints,
                result,
            } => {
                if let Some(s) = &mut self.selection {
                    s.on_selected(env, constraints, result);
                }
                Transition::Stay
            }
            Done::FolderListed { folder, names } => match &mut self.documents {
                Some(d) => d.on_listed(&folder, &names),
                None => Transition::Stay,
            },
            Done::DocumentsWritten { batches, result } => {
                if let Some(d) = &mut self.documents {
                    d.on_written(env, &batches, result);
                }
                Transition::Stay
            }
            _ => Transition::Stay,
        }
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
        cx: &mut Cx,
    ) -> Transition {
        let [tabs, body] = areas(area);
        if ev.kind == MouseEventKind::Down(MouseButton::Left) && inside(tabs, &ev) {
            let ctx = self.context();
            if ctx != Context::Filter
                && ctx != Context::Explain
                && let Some(i) = tab_at(&self.titles(env), tabs, ev.column)
                && i != self.tab
            {
                self.show(i, cx);
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
                    return t.on_mouse(env, &ev, body, cx);
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
