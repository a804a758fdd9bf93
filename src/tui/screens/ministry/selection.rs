//! The selection tab: the proposed list and the reserve under the round's constraints, the units
//! near the cut with the reason each was not selected, and a what-if panel: other constraints,
//! recomputed at once and never recorded.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::selection::Constraints;
use crate::store::{SelectedRound, Store, StoreError};
use crate::tui::app::{Env, Transition};
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::list::{Column, row_text};
use crate::tui::popup::InputPurpose;
use crate::tui::text::{clean, truncate};
use crate::tui::theme;

use super::{ask, parse_count, scroll, user};

/// Units shown below the last selected rank, as "near the cut".
pub const NEAR_CUT: usize = 10;

#[derive(Debug, Clone)]
pub struct SelectionTab {
    /// round.toml's constraints.
    pub round: Constraints,
    /// The constraints shown (a what-if when they differ from the round's).
    pub constraints: Constraints,
    pub selected: SelectedRound,
    pub scroll: usize,
}

/// One line of the tab's list.
enum Item {
    Header(String),
    Row(Vec<String>),
    Note(String),
}

impl SelectionTab {
    pub fn load(env: &Env, store: &mut Store) -> Result<Self, StoreError> {
        let round = Constraints::from_criteria(&env.criteria);
        let selected = compute(env, store, &round)?;
        Ok(SelectionTab {
            constraints: round.clone(),
            round,
            selected,
            scroll: 0,
        })
    }

    /// The constraints differ from round.toml's.
    pub fn what_if(&self) -> bool {
        self.constraints != self.round
    }

    fn apply(&mut self, env: &mut Env, store: &mut Store, c: Constraints) {
        match compute(env, store, &c) {
            Ok(s) => {
                self.selected = s;
                self.constraints = c;
                self.scroll = 0;
            }
            Err(e) => env.store_error(&e),
        }
    }

    pub fn handle(&mut self, env: &mut Env, action: Action, store: &mut Store) -> Transition {
        let c = &self.constraints;
        match action {
            Action::SetTarget => ask(InputPurpose::Target, &c.target.to_string()),
            Action::SetReserve => ask(InputPurpose::Reserve, &c.reserve.to_string()),
            Action::SetMaxPerProvince => ask(
                InputPurpose::MaxPerProvince,
                &c.max_per_province.to_string(),
            ),
            Action::ResetConstraints => {
                let round = self.round.clone();
                self.apply(env, store, round);
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
        store: &mut Store,
    ) -> Transition {
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
        self.apply(env, store, c);
        Transition::Stay
    }

    fn items(&self, env: &Env) -> Vec<Item> {
        let crit = &env.criteria;
        let ranking = &self.selected.round.ranking;
        let sel = &self.selected.selection;
        let row = |code: &String| -> Vec<String> {
            let r = ranking.row(code);
            vec![
                r.map_or_else(String::new, |r| r.rank.to_string()),
                clean(code),
                r.map_or_else(String::new, |r| {
                    labels::province(crit, &r.province_key, env.lang)
                }),
                r.map_or_else(String::new, |r| {
                    labels::demo_type(crit, &r.type_id, env.lang)
                }),
                r.map_or_else(String::new, |r| format!("{:.2}", r.aggregate)),
                self.selected
                    .round
                    .applicants
                    .get(code)
                    .map_or_else(String::new, |a| clean(a)),
            ]
        };
        let mut out = vec![Item::Header(
            env.lang
                .pick(
                    &format!("拟认定名单（{}个）", sel.selected.len()),
                    &format!("Proposed list ({})", sel.selected.len()),
                )
                .to_string(),
        )];
        out.extend(sel.selected.iter().map(|c| Item::Row(row(c))));
        out.push(Item::Header(
            env.lang
                .pick(
                    &format!("备选名单（{}个）", sel.reserve.len()),
                    &format!("Reserve list ({})", sel.reserve.len()),
                )
                .to_string(),
        ));
        out.extend(sel.reserve.iter().map(|c| Item::Row(row(c))));
        let last = sel
            .selected
            .iter()
            .filter_map(|c| ranking.row(c).map(|r| r.rank))
            .max()
            .unwrap_or(0);
        out.push(Item::Header(
            env.t("线附近未入选", "Near the cut, not selected")
                .to_string(),
        ));
        for (code, rank, why) in &sel.excluded {
            if *rank > last + NEAR_CUT {
                continue;
            }
            let province = ranking
                .row(code)
                .map(|r| labels::province(crit, &r.province_key, env.lang))
                .unwrap_or_default();
            let text = why.text(*rank, &province, |t| {
                Text::new(
                    labels::demo_type(crit, t, crate::tui::lang::Lang::Zh),
                    labels::demo_type(crit, t, crate::tui::lang::Lang::En),
                )
            });
            out.push(Item::Note(format!(
                "{} {}",
                clean(code),
                clean(env.lang.text(&text))
            )));
        }
        for (t, min, got) in &sel.unmet_minimums {
            out.push(Item::Note(
                env.lang
                    .pick(
                        &format!(
                            "{}未达下限：{got}/{min}",
                            labels::demo_type(crit, t, env.lang)
                        ),
                        &format!(
                            "{} below its minimum: {got}/{min}",
                            labels::demo_type(crit, t, env.lang)
                        ),
                    )
                    .to_string(),
            ));
        }
        out
    }
}

fn compute(env: &Env, store: &mut Store, c: &Constraints) -> Result<SelectedRound, StoreError> {
    let actor = user(env)?;
    // Never recorded: the decision is taken when the list is proposed.
    store.selection(&env.criteria, &actor, c, false)
}

pub fn view(s: &SelectionTab, env: &Env, f: &mut Frame, area: Rect) {
    let [panel, list] = Layout::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(area);
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
    let block = Block::bordered().title(Line::styled(title, style));
    let inner = block.inner(panel);
    f.render_widget(block, panel);
    let c = &s.constraints;
    let w = inner.width as usize;
    let line1 = env
        .lang
        .pick(
            &format!(
                "名额 {} · 备选 {} · 每省上限 {} · 入选 {} · 备选 {}",
                c.target,
                c.reserve,
                c.max_per_province,
                s.selected.selection.selected.len(),
                s.selected.selection.reserve.len()
            ),
            &format!(
                "target {} · reserve {} · max per province {} · selected {} · reserve {}",
                c.target,
                c.reserve,
                c.max_per_province,
                s.selected.selection.selected.len(),
                s.selected.selection.reserve.len()
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
            "t/r/m 修改约束作假设分析，不保存",
            "t/r/m change a constraint for a what-if, never saved",
        )
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::from(truncate(&line1, w)),
            Line::styled(truncate(line2, w), style),
        ]),
        inner,
    );
    let block = Block::bordered();
    let inner = block.inner(list);
    f.render_widget(block, list);
    let w = inner.width as usize;
    let applicant_w = w.saturating_sub(4 + 10 + 6 + 8 + 6 + 5).max(4);
    let cols = [
        Column::right(env.t("名次", "Rank"), 4),
        Column::left(env.t("编号", "Code"), 10),
        Column::left(env.t("省份", "Prov."), 6),
        Column::left(env.t("类型", "Type"), 8),
        Column::right(env.t("得分", "Score"), 6),
        Column::left(env.t("申报单位", "Applicant"), applicant_w),
    ];
    let [head, inner] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
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
