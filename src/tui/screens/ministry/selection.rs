//! The selection tab: the proposed list and the reserve under the round's constraints, the units
//! near the cut with the reason each was not selected, and a what-if panel: other constraints,
//! recomputed at once and never recorded.
//!
//! Once a list is sealed the tab never computes a fresh selection: it shows the sealed list, then
//! during publicity the list as it stands (units removed by an upheld objection marked
//! 异议成立撤销, the units promoted into their places 递补), then the confirmed list; the what-if
//! keys say they are closed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::phase::Phase as RoundPhase;
use crate::domain::publicity::Publicity;
use crate::domain::selection::Constraints;
use crate::store::{RankedRound, SelectedRound, Store, StoreError};
use crate::tui::core::{Cx, Effect, Env};
use crate::tui::keymap::Action;
use ratatui::crossterm::event::MouseEvent;

use crate::tui::list::{Column, inside, row_text, wheel};
use crate::tui::popup::InputPurpose;
use crate::tui::screens::Transition;
use crate::tui::text::truncate;
use crate::tui::theme;

use super::selection_lists::{Item, comparison_items, live_items, sealed_items};
use super::{ask, parse_count, scroll, user, what_if};

/// Units shown below the last selected rank, as "near the cut".
pub const NEAR_CUT: usize = 10;

/// What the tab shows.
#[derive(Debug, Clone)]
pub enum Shown {
    /// Before a list is sealed: the selection under the constraints shown.
    Live(SelectedRound),
    /// Once a list is sealed: the lists the publicity holds.
    Sealed(SealedLists),
}

/// The lists of a sealed round, with the (frozen) ranking for ranks and scores.
#[derive(Debug, Clone)]
pub struct SealedLists {
    /// Sealed, publicity or confirmed.
    pub phase: RoundPhase,
    pub publicity: Publicity,
    pub ranking: RankedRound,
}

#[derive(Debug, Clone)]
pub struct SelectionTab {
    /// round.toml's constraints.
    pub round: Constraints,
    /// The constraints shown (a what-if when they differ from the round's).
    pub constraints: Constraints,
    pub shown: Shown,
    pub scroll: usize,
    /// The proposed list under round.toml's constraints: what a what-if is compared with.
    pub base: Vec<String>,
}

impl SelectionTab {
    pub fn load(env: &Env, store: &mut Store) -> Result<Self, StoreError> {
        let round = Constraints::from_criteria(&env.criteria);
        let phase = store.round_phase()?;
        let shown = if phase.frozen() {
            let actor = user(env)?;
            Shown::Sealed(SealedLists {
                phase,
                publicity: store.publicity(&actor)?,
                ranking: store.ranking(&env.criteria, &actor)?,
            })
        } else {
            Shown::Live(compute(env, store, &round)?)
        };
        let base = match &shown {
            Shown::Live(s) => s.selection.selected.clone(),
            Shown::Sealed(_) => Vec::new(),
        };
        Ok(SelectionTab {
            constraints: round.clone(),
            round,
            shown,
            scroll: 0,
            base,
        })
    }

    /// The live selection; `None` once a list is sealed.
    pub fn live(&self) -> Option<&SelectedRound> {
        match &self.shown {
            Shown::Live(s) => Some(s),
            Shown::Sealed(_) => None,
        }
    }

    /// The sealed round's lists; `None` before a list is sealed.
    pub fn sealed(&self) -> Option<&SealedLists> {
        match &self.shown {
            Shown::Live(_) => None,
            Shown::Sealed(s) => Some(s),
        }
    }

    /// The constraints differ from round.toml's.
    pub fn what_if(&self) -> bool {
        self.constraints != self.round
    }

    /// Ask for the list under `c` (answered in [`SelectionTab::on_selected`]).
    fn apply(&mut self, env: &mut Env, cx: &mut Cx, c: Constraints) {
        if self.refuse_what_if(env) {
            return;
        }
        cx.ask(Effect::Select(c));
    }

    /// The list under `constraints` computed: show it from its top.
    pub fn on_selected(
        &mut self,
        env: &mut Env,
        constraints: Constraints,
        result: Result<Box<SelectedRound>, Text>,
    ) {
        // Sealed meanwhile: the sealed list stays.
        if self.sealed().is_some() {
            return;
        }
        match result {
            Ok(s) => {
                self.shown = Shown::Live(*s);
                self.constraints = constraints;
                self.scroll = 0;
            }
            Err(t) => env.error(t),
        }
    }

    /// Read again after another connection's commit, in the reader's place: the same
    /// what-if (while no list is sealed) and the same scroll.
    pub fn reload(env: &Env, store: &mut Store, old: &SelectionTab) -> Result<Self, StoreError> {
        let mut fresh = SelectionTab::load(env, store)?;
        if fresh.live().is_some() && old.what_if() {
            fresh.shown = Shown::Live(compute(env, store, &old.constraints)?);
            fresh.constraints = old.constraints.clone();
        }
        fresh.scroll = old.scroll.min(fresh.items(env).len().saturating_sub(1));
        Ok(fresh)
    }

    /// Once a list is sealed a what-if is closed: say so (true) instead of computing one.
    fn refuse_what_if(&self, env: &mut Env) -> bool {
        let Some(s) = self.sealed() else {
            return false;
        };
        let phase = s.phase.text();
        env.error(Text::new(
            format!(
                "当前阶段为「{}」：名单已封存，假设分析已关闭，本栏只显示封存的名单",
                phase.zh
            ),
            format!(
                "the round is in the {} phase: the list is sealed, what-ifs are closed and this tab shows the sealed list",
                phase.en
            ),
        ));
        true
    }

    pub fn handle(&mut self, env: &mut Env, action: Action, cx: &mut Cx) -> Transition {
        let c = &self.constraints;
        if matches!(
            action,
            Action::SetTarget
                | Action::SetReserve
                | Action::SetMaxPerProvince
                | Action::SetMaxPerType
                | Action::ResetConstraints
        ) && self.refuse_what_if(env)
        {
            return Transition::Stay;
        }
        match action {
            Action::SetTarget => ask(InputPurpose::Target, &c.target.to_string()),
            Action::SetReserve => ask(InputPurpose::Reserve, &c.reserve.to_string()),
            Action::SetMaxPerProvince => ask(
                InputPurpose::MaxPerProvince,
                &c.max_per_province.to_string(),
            ),
            Action::SetMaxPerType => ask(
                InputPurpose::MaxPerType,
                &what_if::limits_text(&self.round, c),
            ),
            Action::ResetConstraints => {
                let round = self.round.clone();
                self.apply(env, cx, round);
                env.info(Text::new(
                    "已恢复 round.toml 的约束",
                    "back to round.toml's constraints",
                ));
                Transition::Stay
            }
            a => {
                self.scroll = scroll(self.scroll, a, self.items(env).len());
                Transition::Stay
            }
        }
    }

    pub fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        cx: &mut Cx,
    ) -> Transition {
        if purpose == InputPurpose::MaxPerType {
            let value_t = value.trim();
            let c = if value_t.is_empty() {
                what_if::with_limits(&self.round, &self.constraints, Vec::new())
            } else if value_t.chars().all(|c| c.is_ascii_digit()) {
                let Some(max) = parse_count(env, value) else {
                    return ask(purpose, value);
                };
                let types: Vec<String> = env
                    .criteria
                    .types
                    .all()
                    .iter()
                    .map(|t| t.id.clone())
                    .collect();
                what_if::with_max_per_type(&self.round, &self.constraints, &types, Some(max))
            } else {
                match crate::domain::type_limit::parse_type_limits(&env.criteria.types, value_t) {
                    Ok(limits) => what_if::with_limits(&self.round, &self.constraints, limits),
                    Err(t) => {
                        env.error(t);
                        return ask(purpose, value);
                    }
                }
            };
            self.apply(env, cx, c);
            return Transition::Stay;
        }
        let Some(n) = parse_count(env, value) else {
            return ask(purpose, value);
        };
        let mut c = self.constraints.clone();
        match purpose {
            InputPurpose::Target => c.target = n,
            InputPurpose::Reserve => c.reserve = n,
            InputPurpose::MaxPerProvince => c.max_per_province = n,
            _ => return Transition::Stay,
        }
        self.apply(env, cx, c);
        Transition::Stay
    }

    fn items(&self, env: &Env) -> Vec<Item> {
        match &self.shown {
            Shown::Live(s) if self.what_if() => {
                // The count first, the lists, then which units come in and go out.
                let (mut out, detail) = comparison_items(self, s, env);
                let mut lists = live_items(s, env);
                let near = lists
                    .iter()
                    .rposition(|i| matches!(i, Item::Header(_)))
                    .unwrap_or(lists.len());
                let tail = lists.split_off(near);
                out.extend(lists);
                out.extend(detail);
                out.extend(tail);
                out
            }
            Shown::Live(s) => live_items(s, env),
            Shown::Sealed(s) => sealed_items(s, env),
        }
    }
}

fn compute(env: &Env, store: &mut Store, c: &Constraints) -> Result<SelectedRound, StoreError> {
    let actor = user(env)?;
    // Never recorded: the decision is taken when the list is proposed.
    store.selection(&env.criteria, &actor, c, false)
}

/// The panel's title, its style and its two lines.
fn panel(s: &SelectionTab, env: &Env) -> (&'static str, ratatui::style::Style, String, String) {
    let c = &s.constraints;
    match &s.shown {
        Shown::Sealed(sealed) => {
            let p = &sealed.publicity;
            let status = p.status();
            let hash = p.list_hash().unwrap_or("");
            let hash = hash.get(..16).unwrap_or(hash);
            let phase = sealed.phase.text();
            (
                env.t(
                    " 名单已封存（不再重新遴选） ",
                    " List sealed (no fresh selection) ",
                ),
                theme::header(),
                env.lang
                    .pick(
                        &format!(
                            "{} · 封存哈希 {hash}… · 当前名单 {} 个 · 备选剩余 {} 个",
                            phase.zh,
                            p.current_list().len(),
                            status.reserve_left
                        ),
                        &format!(
                            "{} · seal {hash}… · {} units listed · {} reserve left",
                            phase.en,
                            p.current_list().len(),
                            status.reserve_left
                        ),
                    )
                    .to_string(),
                env.t(
                    "名单已封存：假设分析（t/r/m/l/x）已关闭",
                    "the list is sealed: what-ifs (t/r/m/l/x) are closed",
                )
                .to_string(),
            )
        }
        Shown::Live(selected) => {
            let (title, style) = if s.what_if() {
                (
                    env.t(" 假设分析（不保存） ", " What-if (not saved) "),
                    theme::error(),
                )
            } else {
                (
                    env.t(" 约束（round.toml） ", " Constraints (round.toml) "),
                    theme::header(),
                )
            };
            let (n, r) = (
                selected.selection.selected.len(),
                selected.selection.reserve.len(),
            );
            let line1 = env
                .lang
                .pick(
                    &format!(
                        "名额 {} · 备选 {} · 每省上限 {} · 入选 {n} · 备选 {r}",
                        c.target, c.reserve, c.max_per_province,
                    ),
                    &format!(
                        "target {} · reserve {} · max per province {} · selected {n} · reserve {r}",
                        c.target, c.reserve, c.max_per_province,
                    ),
                )
                .to_string();
            let line2 = if s.what_if() {
                env.t(
                    "假设分析（不保存）：按 x 恢复 round.toml 的约束",
                    "what-if (not saved): x goes back to round.toml",
                )
            } else {
                env.t(
                    "t/r/m/l 修改约束作假设分析，不保存",
                    "t/r/m/l change a constraint for a what-if, never saved",
                )
            };
            (title, style, line1, line2.to_string())
        }
    }
}

/// The constraints panel and the list's pane of the tab's `area`.
fn panes(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(area)
}

/// The column titles' row and the list's rows inside the list's pane.
fn list_areas(list: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(0)])
        .areas(Block::bordered().inner(list))
}

impl SelectionTab {
    /// The wheel over the list (`area`, the tab as drawn) scrolls it
    /// [`WHEEL`](crate::tui::list::WHEEL) lines, no further than its last line at the
    /// bottom. Its rows are read, not chosen: a click does nothing.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let [_, list] = panes(area);
        let [_, rows] = list_areas(list);
        if !inside(list, ev) {
            return;
        }
        let max = self.items(env).len().saturating_sub(rows.height as usize);
        if let Some(first) = wheel(self.scroll.min(max), ev, max) {
            self.scroll = first;
        }
    }
}

pub fn view(s: &SelectionTab, env: &Env, f: &mut Frame, area: Rect) {
    let [top, list] = panes(area);
    let (title, style, line1, line2) = panel(s, env);
    let block = Block::bordered().title(Line::styled(title, style));
    let inner = block.inner(top);
    f.render_widget(block, top);
    let w = inner.width as usize;
    f.render_widget(
        Paragraph::new(vec![
            Line::from(truncate(&line1, w)),
            Line::styled(truncate(&line2, w), style),
        ]),
        inner,
    );
    f.render_widget(Block::bordered(), list);
    let [head, inner] = list_areas(list);
    let w = inner.width as usize;
    let outcome = match (&s.shown, env.lang) {
        (Shown::Live(_), _) => None,
        (Shown::Sealed(_), crate::tui::lang::Lang::Zh) => Some(12),
        (Shown::Sealed(_), crate::tui::lang::Lang::En) => Some(16),
    };
    let fixed = 4 + 10 + 6 + 8 + 6 + outcome.map_or(0, |o| o + 1) + 5;
    let applicant_w = w.saturating_sub(fixed).max(4);
    let mut cols = vec![
        Column::right(env.t("名次", "Rank"), 4),
        Column::left(env.t("编号", "Code"), 10),
        Column::left(env.t("省份", "Prov."), 6),
        Column::left(env.t("类型", "Type"), 8),
        Column::right(env.t("得分", "Score"), 6),
    ];
    if let Some(o) = outcome {
        cols.push(Column::left(env.t("结果", "Outcome"), o));
    }
    cols.push(Column::left(env.t("申报单位", "Applicant"), applicant_w));
    let titles: Vec<String> = cols.iter().map(|c| c.title.to_string()).collect();
    f.render_widget(
        Paragraph::new(Line::styled(row_text(&cols, &titles), theme::header())),
        head,
    );
    let items = s.items(env);
    let h = inner.height as usize;
    let first = s.scroll.min(items.len().saturating_sub(h));
    let lines: Vec<Line> = items
        .iter()
        .skip(first)
        .take(h)
        .map(|it| match it {
            Item::Header(t) => Line::styled(truncate(t, w), theme::header()),
            Item::Row(cells) => Line::from(row_text(&cols, cells)),
            Item::Note(t) => Line::from(truncate(t, w)),
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
