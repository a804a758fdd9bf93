//! The assignment tab: every dossier with its experts, each expert's load, running the
//! assignment (seed 1) with its report, and swapping one expert with a recorded reason.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::store::{AssignmentReport, Store, StoreError};
use crate::tui::core::Env;
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::lang::Lang;
use crate::tui::list::{Column, FilteredList, draw_table, filter_line};
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::screens::expert_list::filter_key;
use crate::tui::text::{clean, pad, pad_left, truncate};
use crate::tui::theme;

use super::{ask, user};

/// The seed the assignment is run with from the screen (as `shifan assign` by default).
pub const SEED: u64 = 1;

/// One dossier and its current experts.
#[derive(Debug, Clone)]
pub struct AssignRow {
    pub code: String,
    pub province_key: String,
    pub type_id: String,
    pub applicant: String,
    pub experts: Vec<String>,
}

/// A swap being entered through the popups.
#[derive(Debug, Clone, Default)]
pub struct SwapDraft {
    pub dossier: String,
    pub out: String,
    pub into: String,
}

#[derive(Debug, Clone)]
pub struct AssignmentTab {
    pub rows: Vec<AssignRow>,
    pub list: FilteredList,
    /// Current pairs per expert, by expert id.
    pub loads: Vec<(String, usize)>,
    pub per_dossier: usize,
    /// The report of the last run from this screen.
    pub report: Option<AssignmentReport>,
    pub draft: Option<SwapDraft>,
}

impl AssignmentTab {
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let actor = user(env)?;
        let mut experts: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut loads: BTreeMap<String, usize> = BTreeMap::new();
        for (d, e) in store.assignments(&actor)? {
            *loads.entry(e.clone()).or_default() += 1;
            experts.entry(d).or_default().push(e);
        }
        let rows: Vec<AssignRow> = store
            .dossier_index(&actor)?
            .into_iter()
            .map(|d| AssignRow {
                experts: experts.remove(&d.code).unwrap_or_default(),
                code: d.code,
                province_key: d.province_key,
                type_id: d.type_id,
                applicant: d.applicant,
            })
            .collect();
        Ok(AssignmentTab {
            list: FilteredList::new(rows.len()),
            rows,
            loads: loads.into_iter().collect(),
            per_dossier: env.criteria.round.experts_per_dossier as usize,
            report: None,
            draft: None,
        })
    }

    /// Reload from the store, keeping the filter, the selection and the report.
    fn reload(&mut self, env: &mut Env, store: &Store) {
        match AssignmentTab::load(env, store) {
            Ok(mut fresh) => {
                fresh.list.query = self.list.query.clone();
                fresh.list.selected = self.list.selected;
                fresh.report = self.report.take();
                fresh.refilter(env);
                *self = fresh;
            }
            Err(e) => env.store_error(&e),
        }
    }

    pub fn refilter(&mut self, env: &Env) {
        let rows = &self.rows;
        self.list.refilter(rows.len(), |i| {
            let r = &rows[i];
            format!(
                "{} {} {} {} {}",
                r.code,
                labels::province(&env.criteria, &r.province_key, Lang::Zh),
                labels::province(&env.criteria, &r.province_key, Lang::En),
                r.applicant,
                r.experts.join(" ")
            )
        });
    }

    pub fn handle(&mut self, env: &mut Env, action: Action, typed: Option<char>) -> Transition {
        if self.list.filtering {
            filter_key(&mut self.list, action, typed);
            self.refilter(env);
            return Transition::Stay;
        }
        match action {
            Action::Up => self.list.up(1),
            Action::Down => self.list.down(1),
            Action::PageUp => self.list.up(10),
            Action::PageDown => self.list.down(10),
            Action::Search => self.list.filtering = true,
            Action::RunAssignment => {
                return Transition::Open(Popup::Confirm {
                    purpose: ConfirmPurpose::Assign { seed: SEED },
                    question: Text::new(
                        format!(
                            "为全部申报书分配专家（随机种子 {SEED}）？已开始评分的分配保持不变。"
                        ),
                        format!(
                            "Assign experts to every dossier (seed {SEED})? Pairs with work started are kept."
                        ),
                    ),
                });
            }
            Action::Swap => {
                let Some(row) = self.list.current().and_then(|i| self.rows.get(i)) else {
                    env.error(Text::new("请先选择一份申报书", "select a dossier first"));
                    return Transition::Stay;
                };
                self.draft = Some(SwapDraft {
                    dossier: row.code.clone(),
                    ..SwapDraft::default()
                });
                let first = row.experts.first().cloned().unwrap_or_default();
                return ask(InputPurpose::SwapOut, &first);
            }
            _ => {}
        }
        Transition::Stay
    }

    pub fn on_input(&mut self, env: &mut Env, purpose: InputPurpose, value: &str) -> Transition {
        let Some(draft) = &mut self.draft else {
            return Transition::Stay;
        };
        let value = value.trim();
        if value.is_empty() {
            env.error(Text::new(
                "未填写，已取消调换",
                "left empty: swap cancelled",
            ));
            self.draft = None;
            return Transition::Stay;
        }
        match purpose {
            InputPurpose::SwapOut => {
                draft.out = value.to_string();
                ask(InputPurpose::SwapIn, "")
            }
            InputPurpose::SwapIn => {
                draft.into = value.to_string();
                ask(InputPurpose::SwapReason, "")
            }
            InputPurpose::SwapReason => {
                let d = draft.clone();
                self.draft = None;
                Transition::Open(Popup::Confirm {
                    question: Text::new(
                        format!(
                            "申报书 {}：以专家 {} 替换 {}，理由：{}",
                            d.dossier, d.into, d.out, value
                        ),
                        format!(
                            "Dossier {}: replace expert {} by {}, reason: {}",
                            d.dossier, d.out, d.into, value
                        ),
                    ),
                    purpose: ConfirmPurpose::Swap {
                        dossier: d.dossier,
                        out: d.out,
                        into: d.into,
                        reason: value.to_string(),
                    },
                })
            }
            _ => Transition::Stay,
        }
    }

    /// Perform a confirmed action; the flag says whether the round changed.
    pub fn on_confirm(
        &mut self,
        env: &mut Env,
        purpose: ConfirmPurpose,
        store: &mut Store,
    ) -> (Transition, bool) {
        let actor = match user(env) {
            Ok(u) => u,
            Err(e) => {
                env.store_error(&e);
                return (Transition::Stay, false);
            }
        };
        let criteria = env.criteria.clone();
        let done = match purpose {
            ConfirmPurpose::Assign { seed } => {
                store.assign(&criteria, &actor, seed).map(|report| {
                    env.info(Text::new(
                        format!(
                            "分配完成：{} 对，新增 {}，结束 {}，保留 {}；缺专家 {} 份",
                            report.pairs,
                            report.added,
                            report.ended,
                            report.kept,
                            report.shortfalls.len()
                        ),
                        format!(
                            "assigned: {} pairs, {} added, {} ended, {} kept; {} dossier(s) short",
                            report.pairs,
                            report.added,
                            report.ended,
                            report.kept,
                            report.shortfalls.len()
                        ),
                    ));
                    self.report = Some(report);
                })
            }
            ConfirmPurpose::Swap {
                dossier,
                out,
                into,
                reason,
            } => store
                .swap(&criteria, &actor, &dossier, &out, &into, &reason)
                .map(|()| {
                    env.info(Text::new(
                        format!("已调换：{dossier} {out} → {into}"),
                        format!("swapped: {dossier} {out} → {into}"),
                    ));
                }),
            _ => return (Transition::Stay, false),
        };
        match done {
            Ok(()) => {
                self.reload(env, store);
                (Transition::Stay, true)
            }
            Err(e) => {
                env.store_error(&e);
                (Transition::Stay, false)
            }
        }
    }
}

/// The report of the last run as lines.
fn report_lines(r: &AssignmentReport, env: &Env) -> Vec<String> {
    let mut out =
        vec![env.lang.pick(
        &format!(
            "上次分配（种子 {}）：{} 份申报书 × {} 位专家，{} 对；新增 {}，结束 {}",
            r.seed, r.dossiers, r.per_dossier, r.pairs, r.added, r.ended
        ),
        &format!(
            "Last run (seed {}): {} dossiers × {} experts, {} pairs; {} added, {} ended",
            r.seed, r.dossiers, r.per_dossier, r.pairs, r.added, r.ended
        ),
    )
    .to_string()];
    for s in &r.shortfalls {
        out.push(format!(
            "{} {}/{}: {}",
            s.dossier,
            s.eligible,
            s.needed,
            env.lang.text(&s.suggestion)
        ));
    }
    if !r.uncovered_types.is_empty() {
        let names: Vec<String> = r
            .uncovered_types
            .iter()
            .map(|t| labels::demo_type(&env.criteria, t, env.lang))
            .collect();
        out.push(format!(
            "{}{}",
            env.t("无专家覆盖的类型：", "types no expert covers: "),
            names.join(env.t("、", ", "))
        ));
    }
    if r.shortfalls.is_empty() && r.uncovered_types.is_empty() {
        out.push(
            env.t(
                "每份申报书都配齐了专家",
                "every dossier has all its experts",
            )
            .to_string(),
        );
    }
    out
}

/// The list (left), the experts' load (right) and the last report (bottom, `report_len`
/// lines, at most a third of the height).
fn panes(report_len: usize, area: Rect) -> [Rect; 3] {
    let report_h = if report_len == 0 {
        0
    } else {
        (report_len as u16 + 2).min(area.height / 3)
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(report_h)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(17)]).areas(top);
    [left, right, bottom]
}

/// The table and the filter line inside the list's border.
fn list_areas(left: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(1), Constraint::Length(1)])
        .areas(Block::bordered().inner(left))
}

impl AssignmentTab {
    /// The wheel and a click on the dossiers' list.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let report_len = self
            .report
            .as_ref()
            .map_or(0, |r| report_lines(r, env).len());
        let [left, _, _] = panes(report_len, area);
        let [table, _] = list_areas(left);
        self.list.on_mouse(ev, table);
    }
}

pub fn view(s: &AssignmentTab, env: &Env, f: &mut Frame, area: Rect) {
    let report = s.report.as_ref().map(|r| report_lines(r, env));
    let [left, right, bottom] = panes(report.as_ref().map_or(0, Vec::len), area);
    let full = s
        .rows
        .iter()
        .filter(|r| r.experts.len() >= s.per_dossier)
        .count();
    let block = Block::bordered().title(format!(
        " {} · {} {full}/{} ",
        env.t("申报书与评审专家", "Dossiers and experts"),
        env.t("已配齐", "full"),
        s.rows.len()
    ));
    f.render_widget(block, left);
    let [table, filter] = list_areas(left);
    let experts_w = (s.per_dossier * 4).saturating_sub(1).max(8);
    let fixed = 10 + 6 + 3 + experts_w + 4;
    let applicant_w = (table.width as usize).saturating_sub(fixed).max(4);
    let cols = [
        Column::left(env.t("编号", "Code"), 10),
        Column::left(env.t("省份", "Prov."), 6),
        Column::right(env.t("数", "n"), 3),
        Column::left(env.t("评审专家", "Experts"), experts_w),
        Column::left(env.t("申报单位", "Applicant"), applicant_w),
    ];
    draw_table(f, table, &cols, &s.list, |i| {
        let r = &s.rows[i];
        vec![
            clean(&r.code),
            labels::province(&env.criteria, &r.province_key, env.lang),
            format!("{}/{}", r.experts.len(), s.per_dossier),
            clean(&r.experts.join(" ")),
            clean(&r.applicant),
        ]
    });
    f.render_widget(
        Paragraph::new(filter_line(&s.list, s.list.visible.len(), s.rows.len())),
        filter,
    );
    let block = Block::bordered().title(env.t(" 专家负载 ", " Loads "));
    let inner = block.inner(right);
    f.render_widget(block, right);
    let w = inner.width as usize;
    let lines: Vec<Line> = if s.loads.is_empty() {
        vec![Line::styled(
            truncate(env.t("尚未分配", "none yet"), w),
            theme::dim(),
        )]
    } else {
        // Least and most first, then every expert, two to a line where they fit.
        let min = s.loads.iter().map(|(_, n)| *n).min().unwrap_or(0);
        let max = s.loads.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let mut out = vec![Line::styled(
            truncate(&format!("{} {min}–{max}", env.t("每人", "each")), w),
            theme::header(),
        )];
        let cell = |(e, n): &(String, usize)| {
            format!("{}{}", pad(&clean(e), 4), pad_left(&n.to_string(), 3))
        };
        let per_line = if w >= 15 { 2 } else { 1 };
        for chunk in s.loads.chunks(per_line) {
            let cells: Vec<String> = chunk.iter().map(cell).collect();
            out.push(Line::from(truncate(&cells.join(" "), w)));
        }
        out
    };
    f.render_widget(Paragraph::new(lines), inner);
    if let Some(lines) = report {
        let block = Block::bordered().title(env.t(" 分配报告 ", " Assignment report "));
        let inner = block.inner(bottom);
        f.render_widget(block, bottom);
        let w = inner.width as usize;
        let shown: Vec<Line> = lines
            .iter()
            .map(|l| Line::from(truncate(&clean(l), w)))
            .collect();
        f.render_widget(Paragraph::new(shown), inner);
    }
}
