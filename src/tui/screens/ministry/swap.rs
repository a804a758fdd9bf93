//! The assignment tab's pick lists: who goes out of a dossier and who comes in for a swap, and
//! whose submitted sheet to reopen. Every expert is listed; the ones the rules keep out are
//! shown dimmed with the reason, and choosing one shows that reason at once, before anything
//! is typed. The store's swap and reopen re-check everything in their own transaction.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::list::{FilteredList, inside, is_click, offset};

use crate::domain::Text;
use crate::store::Candidate;
use crate::tui::core::Env;
use crate::tui::keymap::Action;
use crate::tui::text::{clean, pad, truncate, wrap};
use crate::tui::theme;

/// What the list is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Swap, first step: which of the dossier's experts leaves.
    SwapOut,
    /// Swap, second step: who replaces `out`.
    SwapIn { out: String },
    /// Whose submitted sheet on the dossier is reopened.
    Reopen,
}

/// One row: an expert, a short description, and why they cannot be chosen (if so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub expert: String,
    pub label: Text,
    pub reason: Option<Text>,
}

/// A pick list over the assignment tab.
#[derive(Debug, Clone)]
pub struct Pick {
    pub dossier: String,
    pub stage: Stage,
    pub items: Vec<Item>,
    /// The cursor over `items` (the shared list component: paging, the mouse).
    pub list: FilteredList,
}

/// What a key did to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    /// An eligible expert was chosen.
    Chosen(String),
}

impl Pick {
    fn new(dossier: &str, stage: Stage, items: Vec<Item>) -> Pick {
        // Start on the first one that may be chosen.
        let mut list = FilteredList::new(items.len());
        list.selected = items.iter().position(|i| i.reason.is_none()).unwrap_or(0);
        Pick {
            dossier: dossier.to_string(),
            stage,
            items,
            list,
        }
    }

    /// The dossier's experts, those with a submitted sheet kept from leaving.
    pub fn swap_out(
        dossier: &str,
        experts: &[String],
        submitted: &BTreeSet<(String, String)>,
    ) -> Pick {
        let items = by_sheet(dossier, experts, submitted, |e, done| {
            done.then(|| {
                Text::new(
                    format!("{e} 的评分表已提交，不能调出；如需调换，先按 o 重开"),
                    format!(
                        "{e} has submitted the sheet and cannot be swapped out; reopen it first (o)"
                    ),
                )
            })
        });
        Pick::new(dossier, Stage::SwapOut, items)
    }

    /// Every expert of the roster as a replacement for `out`, with the rule that keeps each
    /// ineligible one out (the domain's assignment rules, as the store read them).
    pub fn swap_in(dossier: &str, out: &str, candidates: Vec<Candidate>) -> Pick {
        let items = candidates
            .into_iter()
            .map(|c| {
                let cover = if c.covers_type {
                    Text::new("，熟悉本类型", ", knows the type")
                } else {
                    Text::new("", "")
                };
                Item {
                    label: Text::new(
                        format!("{} 现评 {} 份{}", clean(&c.name), c.load, cover.zh),
                        format!("{} reviews {}{}", clean(&c.name), c.load, cover.en),
                    ),
                    expert: c.expert_id,
                    reason: c.reason,
                }
            })
            .collect();
        Pick::new(
            dossier,
            Stage::SwapIn {
                out: out.to_string(),
            },
            items,
        )
    }

    /// The dossier's experts; only a submitted sheet can be reopened.
    pub fn reopen(
        dossier: &str,
        experts: &[String],
        submitted: &BTreeSet<(String, String)>,
    ) -> Pick {
        let items = by_sheet(dossier, experts, submitted, |e, done| {
            (!done).then(|| {
                Text::new(
                    format!("{e} 的评分表尚未提交，专家仍可修改，无需重开"),
                    format!("{e} has not submitted the sheet: it is still open, nothing to reopen"),
                )
            })
        });
        Pick::new(dossier, Stage::Reopen, items)
    }

    /// A key on the list; choosing an ineligible row puts its reason in the message line.
    pub fn handle(&mut self, env: &mut Env, action: Action) -> Outcome {
        match action {
            Action::Up => self.list.up(1),
            Action::Down => self.list.down(1),
            Action::PageUp => self.list.up(10),
            Action::PageDown => self.list.down(10),
            Action::Back => return Outcome::Close,
            Action::Open => match self.items.get(self.list.selected) {
                Some(Item {
                    reason: Some(r), ..
                }) => env.error(r.clone()),
                Some(i) => return Outcome::Chosen(i.expert.clone()),
                None => env.error(Text::new("没有可选的专家", "no expert to choose")),
            },
            _ => {}
        }
        Outcome::Stay
    }

    fn title(&self, env: &Env) -> String {
        let d = &self.dossier;
        let t = match &self.stage {
            Stage::SwapOut => Text::new(
                format!(" 调换 {d}：选择调出的专家 "),
                format!(" Swap on {d}: who leaves "),
            ),
            Stage::SwapIn { out } => {
                let n = self.items.iter().filter(|i| i.reason.is_none()).count();
                Text::new(
                    format!(" {d}：替换 {out} 的专家（可选 {n} 位） "),
                    format!(" {d}: who replaces {out} ({n} eligible) "),
                )
            }
            Stage::Reopen => Text::new(
                format!(" 重开 {d} 的评分表：选择专家 "),
                format!(" Reopen a sheet of {d}: whose "),
            ),
        };
        env.lang.text(&t).to_string()
    }
}

impl Pick {
    /// The mouse over the list drawn into `area`: the wheel moves the cursor
    /// [`WHEEL`](crate::tui::list::WHEEL) rows, a click selects the row under it (Enter
    /// chooses, as from the keys, so an ineligible one still says why).
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let [inner, _] = areas(self, env, Block::bordered().inner(area));
        if !inside(inner, ev) {
            return;
        }
        if !self.list.on_wheel(ev) && is_click(ev) {
            let first = offset(self.list.selected, inner.height as usize);
            self.list.click(first + (ev.row - inner.y) as usize);
        }
    }
}

/// The rows, and under them the detail of the row under the cursor: the whole reason it is
/// out, wrapped (a row cuts it at the list's width). The detail's height is that of the
/// longest reason in the list, so the rows do not move as the cursor does; a list with no
/// reason has none.
fn areas(p: &Pick, env: &Env, inner: Rect) -> [Rect; 2] {
    let w = inner.width as usize;
    let longest = p
        .items
        .iter()
        .filter_map(|i| {
            i.reason
                .as_ref()
                .map(|r| reason_lines(&i.expert, r, env, w).len())
        })
        .max();
    // A rule above the reason; the rows keep at least half the height.
    let h = longest.map_or(0, |n| n + 1).min(inner.height as usize / 2) as u16;
    Layout::vertical([Constraint::Min(1), Constraint::Length(h)]).areas(inner)
}

/// Why `expert` is out, wrapped to `w` columns.
fn reason_lines(expert: &str, reason: &Text, env: &Env, w: usize) -> Vec<String> {
    let sep = env.t("：", ": ");
    wrap(
        &format!("✗ {}{sep}{}", clean(expert), clean(env.lang.text(reason))),
        w,
    )
}

/// The list over `area`, the selected row highlighted and kept in view, and the reason of
/// the row under the cursor whole beneath it.
pub fn view(p: &Pick, env: &Env, f: &mut Frame, area: Rect) {
    f.render_widget(Clear, area);
    let block = Block::bordered().title(p.title(env));
    let [inner, detail] = areas(p, env, block.inner(area));
    f.render_widget(block, area);
    let h = inner.height as usize;
    if h == 0 {
        return;
    }
    let w = inner.width as usize;
    let first = offset(p.list.selected, h);
    let lines: Vec<Line> = p
        .items
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, item)| {
            let head = format!(
                "{} {}",
                pad(&clean(&item.expert), 4),
                env.lang.text(&item.label)
            );
            let text = match &item.reason {
                None => head,
                Some(r) => format!("{}  ✗ {}", head, env.lang.text(r)),
            };
            let style = if i == p.list.selected {
                theme::selected()
            } else if item.reason.is_some() {
                theme::dim()
            } else {
                ratatui::style::Style::default()
            };
            Line::from(Span::styled(truncate(&text, w), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
    if detail.height == 0 {
        return;
    }
    let mut lines = vec![Line::styled("─".repeat(w), theme::dim())];
    match p.items.get(p.list.selected) {
        Some(Item {
            expert,
            reason: Some(r),
            ..
        }) => lines.extend(
            reason_lines(expert, r, env, w)
                .into_iter()
                .map(|l| Line::styled(l, theme::error())),
        ),
        Some(item) => lines.push(Line::styled(
            truncate(
                env.lang.text(&Text::new(
                    format!("✓ {} 可选：Enter 选定", clean(&item.expert)),
                    format!("✓ {} may be chosen: Enter", clean(&item.expert)),
                )),
                w,
            ),
            theme::dim(),
        )),
        None => {}
    }
    f.render_widget(Paragraph::new(lines), detail);
}

/// The dossier's experts labelled by their sheet's state; `refuse(expert, submitted)` says why
/// one cannot be chosen.
fn by_sheet(
    dossier: &str,
    experts: &[String],
    submitted: &BTreeSet<(String, String)>,
    refuse: impl Fn(&str, bool) -> Option<Text>,
) -> Vec<Item> {
    experts
        .iter()
        .map(|e| {
            let done = submitted.contains(&(dossier.to_string(), e.clone()));
            Item {
                expert: e.clone(),
                label: if done {
                    Text::new("已提交", "submitted")
                } else {
                    Text::new("未提交", "not submitted")
                },
                reason: refuse(e, done),
            }
        })
        .collect()
}
