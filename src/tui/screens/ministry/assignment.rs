//! The assignment tab: every dossier with its experts, each expert's load, running the
//! assignment (seed 1) with its report, and swapping one expert with a recorded reason.

use std::collections::{BTreeMap, BTreeSet};

use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;

use crate::domain::Text;
use crate::domain::expert::Expert;
use crate::store::{AssignmentReport, Candidate, Store, StoreError};
use crate::tui::core::{Cx, Effect, Env, Stepped};
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::lang::Lang;
use crate::tui::list::FilteredList;
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::screens::expert_list::filter_key;

use super::assignment_view::{list_areas, panes, report_lines};
use super::roster::RosterView;
use super::swap::{Outcome, Pick, Stage};
use super::{ask, user};

/// One expert's sheets on the assignment tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertProgress {
    pub expert: String,
    pub submitted: usize,
    pub assigned: usize,
    /// Sheets outstanding after round.toml's `review_deadline` (against the round's today).
    pub overdue: bool,
}

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
    /// Sheets submitted / assigned per expert, in id order.
    pub progress: Vec<ExpertProgress>,
    /// (dossier, expert) of the submitted sheets.
    pub submitted: BTreeSet<(String, String)>,
    /// A pick list open over the table (swap, reopen).
    pub pick: Option<Pick>,
    /// The roster, when open over the table (`e`).
    pub roster: Option<RosterView>,
    /// The sheet chosen for reopening, waiting for its reason.
    pub reopening: Option<(String, String)>,
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
        let late = env.criteria.round.review_overdue(store.today());
        let progress = store
            .progress(&actor)?
            .experts
            .into_iter()
            .map(|r| ExpertProgress {
                overdue: late && r.submitted < r.assigned,
                expert: r.key,
                submitted: r.submitted,
                assigned: r.assigned,
            })
            .collect();
        Ok(AssignmentTab {
            progress,
            submitted: store.submitted_pairs(&actor)?,
            pick: None,
            roster: None,
            reopening: None,
            list: FilteredList::new(rows.len()),
            rows,
            loads: loads.into_iter().collect(),
            per_dossier: env.criteria.round.experts_per_dossier as usize,
            report: None,
            draft: None,
        })
    }

    /// Take over the reader's place from the tab shown before this one was read: filter,
    /// selection, report, and with `open` the pick list, roster or swap being entered over it
    /// (a tab read in the background arrives while the reader works on the old one).
    pub fn carry_from(&mut self, env: &Env, old: AssignmentTab, open: bool) {
        self.list.query = old.list.query;
        self.list.selected = old.list.selected;
        self.report = old.report;
        if open {
            self.pick = old.pick;
            self.roster = old.roster;
            self.draft = old.draft;
            self.reopening = old.reopening;
        }
        // Refiltering keeps the selection within the rows that pass.
        self.refilter(env);
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

    /// Where the keys go: a list open over the table, else the table.
    pub fn sublist(&self) -> Option<crate::tui::keymap::Context> {
        use crate::tui::keymap::Context;
        if self.pick.is_some() {
            Some(Context::Pick)
        } else if self.roster.is_some() {
            Some(Context::Sublist)
        } else {
            None
        }
    }

    fn current_row(&self, env: &mut Env) -> Option<AssignRow> {
        let row = self.list.current().and_then(|i| self.rows.get(i)).cloned();
        if row.is_none() {
            env.error(Text::new("请先选择一份申报书", "select a dossier first"));
        }
        row
    }

    /// A key on the open pick list: the next step of a swap or a reopen.
    fn on_pick(&mut self, env: &mut Env, action: Action, cx: &mut Cx) -> Transition {
        let Some(pick) = self.pick.as_mut() else {
            return Transition::Stay;
        };
        let chosen = match pick.handle(env, action) {
            Outcome::Stay => return Transition::Stay,
            Outcome::Close => {
                self.pick = None;
                return Transition::Stay;
            }
            Outcome::Chosen(e) => e,
        };
        let dossier = pick.dossier.clone();
        match pick.stage.clone() {
            // The list of replacements comes back as `Done::SwapCandidates`
            // ([`AssignmentTab::on_candidates`]); the outgoing list stays until then.
            Stage::SwapOut => {
                cx.ask(Effect::SwapCandidates {
                    dossier,
                    out: chosen,
                });
                Transition::Stay
            }
            Stage::SwapIn { out } => {
                self.pick = None;
                self.draft = Some(SwapDraft {
                    dossier,
                    out,
                    into: chosen,
                });
                ask(InputPurpose::SwapReason, "")
            }
            Stage::Reopen => {
                self.pick = None;
                self.reopening = Some((dossier, chosen));
                ask(InputPurpose::ReopenReason, "")
            }
        }
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        if self.pick.is_some() {
            return self.on_pick(env, action, cx);
        }
        if let Some(r) = self.roster.as_mut() {
            match action {
                Action::Back => self.roster = None,
                _ => r.scroll = super::scroll(r.scroll, action, r.experts.len()),
            }
            return Transition::Stay;
        }
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
            Action::Swap | Action::Reopen => {
                let Some(row) = self.current_row(env) else {
                    return Transition::Stay;
                };
                if row.experts.is_empty() {
                    env.error(Text::new(
                        format!("申报书 {} 尚未分配专家：先按 a 分配", row.code),
                        format!("dossier {} has no experts yet: assign first (a)", row.code),
                    ));
                    return Transition::Stay;
                }
                self.pick = Some(if action == Action::Swap {
                    Pick::swap_out(&row.code, &row.experts, &self.submitted)
                } else {
                    Pick::reopen(&row.code, &row.experts, &self.submitted)
                });
            }
            Action::Roster => cx.ask(Effect::ReadRoster),
            _ => {}
        }
        Transition::Stay
    }

    pub fn on_input(&mut self, env: &mut Env, purpose: InputPurpose, value: &str) -> Transition {
        if purpose == InputPurpose::ReopenReason {
            let Some((dossier, expert)) = self.reopening.take() else {
                return Transition::Stay;
            };
            let reason = value.trim();
            if reason.is_empty() {
                env.error(Text::new(
                    "重开评分表须写明理由：已取消",
                    "reopening a sheet needs a reason: cancelled",
                ));
                return Transition::Stay;
            }
            return Transition::Open(Popup::Confirm {
                question: Text::new(
                    format!(
                        "重开申报书 {dossier} 专家 {expert} 已提交的评分表？专家可再修改并重新提交。理由：{reason}"
                    ),
                    format!(
                        "Reopen the submitted sheet of expert {expert} on dossier {dossier}? The expert can change and submit it again. Reason: {reason}"
                    ),
                ),
                purpose: ConfirmPurpose::Reopen {
                    dossier,
                    expert,
                    reason: reason.to_string(),
                },
            });
        }
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

    /// The roster read for `e`: open it over the table.
    pub fn on_roster(&mut self, env: &mut Env, result: Result<Vec<Expert>, Text>) {
        match result {
            Ok(experts) => self.roster = Some(RosterView { experts, scroll: 0 }),
            Err(t) => env.error(t),
        }
    }

    /// The replacements for `out` on `dossier`: the pick list's second stage (the reason
    /// each ineligible one is out beside it).
    pub fn on_candidates(
        &mut self,
        env: &mut Env,
        dossier: &str,
        out: &str,
        result: Result<Vec<Candidate>, Text>,
    ) {
        // The swap was left meanwhile.
        if self
            .pick
            .as_ref()
            .is_none_or(|p| p.dossier != dossier || p.stage != Stage::SwapOut)
        {
            return;
        }
        match result {
            Ok(candidates) => self.pick = Some(Pick::swap_in(dossier, out, candidates)),
            Err(t) => {
                self.pick = None;
                env.error(t);
            }
        }
    }

    /// What a confirmed assignment, swap or reopening gave; the flag says whether the round
    /// changed (the dashboard then reads the tab again, in the background on a large round,
    /// and this one stays on screen until then, with the step's outcome in the message line).
    pub fn on_stepped(
        &mut self,
        env: &mut Env,
        result: Result<Box<Stepped>, Text>,
    ) -> (Transition, bool) {
        match result.map(|s| *s) {
            Ok(Stepped::Assigned(report)) => {
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
            }
            Ok(Stepped::Said(text)) => env.info(text),
            Ok(_) => return (Transition::Stay, false),
            Err(t) => {
                env.error(t);
                return (Transition::Stay, false);
            }
        }
        self.pick = None;
        self.draft = None;
        self.reopening = None;
        (Transition::Stay, true)
    }
}

impl AssignmentTab {
    /// The wheel and a click on the dossiers' list.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let report_len = self
            .report
            .as_ref()
            .map_or(0, |r| report_lines(r, env).len());
        let [left, right, _] = panes(report_len, area);
        // A pick list or the roster drawn over the table takes the mouse; nothing under it
        // moves.
        if let Some(p) = &mut self.pick {
            p.on_mouse(env, ev, left);
        } else if let Some(r) = &mut self.roster {
            let both = Rect {
                width: left.width + right.width,
                ..left
            };
            r.on_mouse(ev, both);
        } else {
            let [table, _] = list_areas(left);
            self.list.on_mouse(ev, table);
        }
    }
}

pub use super::assignment_view::view;
