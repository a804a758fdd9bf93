//! The publicity tab: where the publicity stands, every publicity period (main and
//! supplementary), the current list, the objections; proposing (with the reason to seal when
//! score sheets are still open), withdrawing a sealed list, starting, registering and deciding
//! objections, and confirming, each behind a confirmation. Dates default to the round's today
//! (`SHIFAN_TODAY` or the system's); a date the user types is checked by the store, which
//! refuses a future one (the message line says so).

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::publicity::{Phase, Publicity, Resolution};
use crate::store::{Store, StoreError};
use crate::tui::core::{Env, Stepped};
use crate::tui::keymap::Action;
use crate::tui::list::{Column, inside, row_text, wheel};
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::{clean, truncate, wrap};
use crate::tui::theme;

use super::{ask, parse_date, scroll, user};

/// An objection or a decision being entered through the popups.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub code: String,
    pub objector: String,
    pub summary: String,
    pub id: u32,
    pub upheld: bool,
}

#[derive(Debug, Clone)]
pub struct PublicityTab {
    pub publicity: Publicity,
    pub scroll: usize,
    pub draft: Draft,
    /// The round's today when the tab was loaded: the default of every date.
    pub today: Date,
}

fn confirm(purpose: ConfirmPurpose, zh: String, en: String) -> Transition {
    Transition::Open(Popup::Confirm {
        purpose,
        question: Text::new(zh, en),
    })
}

impl PublicityTab {
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let actor = user(env)?;
        Ok(PublicityTab {
            publicity: store.publicity(&actor)?,
            scroll: 0,
            draft: Draft::default(),
            today: store.today(),
        })
    }

    /// Read again after another connection's commit, in the reader's place (scroll, an
    /// objection or a decision being entered).
    pub fn reload(env: &Env, store: &Store, old: PublicityTab) -> Result<Self, StoreError> {
        let mut fresh = PublicityTab::load(env, store)?;
        fresh.scroll = old.scroll;
        fresh.draft = old.draft;
        Ok(fresh)
    }

    pub fn handle(&mut self, env: &mut Env, action: Action) -> Transition {
        let today = self.today;
        match action {
            Action::Propose => confirm(
                ConfirmPurpose::Propose {
                    on: today,
                    accept_incomplete: None,
                },
                format!("按 round.toml 的约束提出拟认定名单并封存（{today}）？"),
                format!("Propose the list under round.toml's constraints and seal it ({today})?"),
            ),
            Action::Withdraw => ask(InputPurpose::WithdrawReason, ""),
            Action::StartPublicity => ask(InputPurpose::StartDate, &today.to_string()),
            Action::Object => {
                self.draft = Draft::default();
                ask(InputPurpose::ObjectionCode, "")
            }
            Action::Resolve => {
                self.draft = Draft::default();
                let open = self
                    .publicity
                    .objections()
                    .iter()
                    .find(|o| o.resolution.is_none())
                    .map_or_else(String::new, |o| o.id.to_string());
                ask(InputPurpose::ResolveId, &open)
            }
            Action::ConfirmList => ask(InputPurpose::ConfirmDate, &today.to_string()),
            a => {
                let len = self.publicity.objections().len() + 8;
                self.scroll = scroll(self.scroll, a, len);
                let _ = env;
                Transition::Stay
            }
        }
    }

    pub fn on_input(&mut self, env: &mut Env, purpose: InputPurpose, value: &str) -> Transition {
        let v = value.trim();
        let date = |env: &mut Env| parse_date(env, v);
        let today = self.today;
        match purpose {
            InputPurpose::SealReason | InputPurpose::WithdrawReason if v.is_empty() => {
                env.error(Text::new(
                    "请填写理由（记录在案）",
                    "a reason is required (it is recorded)",
                ));
                ask(purpose, value)
            }
            InputPurpose::SealReason => confirm(
                ConfirmPurpose::Propose {
                    on: today,
                    accept_incomplete: Some(v.to_string()),
                },
                format!("评分表尚未全部提交，仍按 round.toml 的约束封存名单（{today}）？理由：{v}"),
                format!(
                    "Seal the list under round.toml's constraints although score sheets are open ({today})? Reason: {v}"
                ),
            ),
            InputPurpose::WithdrawReason => confirm(
                ConfirmPurpose::Withdraw {
                    reason: v.to_string(),
                    on: today,
                },
                format!("撤回已封存的名单（{today}），回到评审阶段？理由：{v}"),
                format!("Withdraw the sealed list ({today}) and go back to review? Reason: {v}"),
            ),
            InputPurpose::StartDate => match date(env) {
                Some(on) => confirm(
                    ConfirmPurpose::Start { on },
                    format!("自 {on} 起公示？"),
                    format!("Start the publicity on {on}?"),
                ),
                None => ask(purpose, value),
            },
            InputPurpose::ObjectionCode => {
                self.draft.code = v.to_string();
                ask(InputPurpose::Objector, "")
            }
            InputPurpose::Objector => {
                self.draft.objector = v.to_string();
                ask(InputPurpose::ObjectionSummary, "")
            }
            InputPurpose::ObjectionSummary => {
                self.draft.summary = v.to_string();
                ask(InputPurpose::ObjectionDate, &today.to_string())
            }
            InputPurpose::ObjectionDate => match date(env) {
                Some(on) => {
                    let d = &self.draft;
                    confirm(
                        ConfirmPurpose::Object {
                            code: d.code.clone(),
                            objector: d.objector.clone(),
                            summary: d.summary.clone(),
                            on,
                        },
                        format!(
                            "登记异议：{}，异议人 {}，{} 收到：{}",
                            d.code, d.objector, on, d.summary
                        ),
                        format!(
                            "Register an objection against {} from {}, received {}: {}",
                            d.code, d.objector, on, d.summary
                        ),
                    )
                }
                None => ask(purpose, value),
            },
            InputPurpose::ResolveId => match v.trim_start_matches('#').parse::<u32>() {
                Ok(id) => {
                    self.draft.id = id;
                    ask(InputPurpose::ResolveUpheld, "")
                }
                Err(_) => {
                    env.error(Text::new(
                        format!("异议编号应为数字：{v}"),
                        format!("an objection number is a number: {v}"),
                    ));
                    ask(purpose, value)
                }
            },
            InputPurpose::ResolveUpheld => {
                let upheld = match v.to_lowercase().as_str() {
                    "y" | "yes" | "upheld" | "成立" | "是" => true,
                    "n" | "no" | "rejected" | "不成立" | "否" => false,
                    _ => {
                        env.error(Text::new(
                            "请输入 y（成立）或 n（不成立）",
                            "type y (upheld) or n (rejected)",
                        ));
                        return ask(purpose, value);
                    }
                };
                self.draft.upheld = upheld;
                ask(InputPurpose::ResolveNote, "")
            }
            InputPurpose::ResolveNote => {
                let d = &self.draft;
                let (zh, en) = if d.upheld {
                    (
                        "成立（除名，按规则递补并补充公示）",
                        "upheld (unit removed, the next eligible unit promoted and published)",
                    )
                } else {
                    ("不成立", "rejected")
                };
                confirm(
                    ConfirmPurpose::Resolve {
                        id: d.id,
                        upheld: d.upheld,
                        note: v.to_string(),
                    },
                    format!("异议 #{}：{zh}。意见：{v}", d.id),
                    format!("Objection #{}: {en}. Note: {v}", d.id),
                )
            }
            InputPurpose::ConfirmDate => match date(env) {
                Some(on) => confirm(
                    ConfirmPurpose::ConfirmList { on },
                    format!("于 {on} 确认名单？确认后不可更改。"),
                    format!("Confirm the list on {on}? This is final."),
                ),
                None => ask(purpose, value),
            },
            _ => Transition::Stay,
        }
    }

    /// What a confirmed step gave; the flag says whether the round changed (the dashboard
    /// then reads it again, this tab afresh). Sealing refused for open sheets asks for the
    /// reason to seal anyway.
    pub fn on_stepped(
        &mut self,
        env: &mut Env,
        result: Result<Box<Stepped>, Text>,
    ) -> (Transition, bool) {
        match result.map(|s| *s) {
            Ok(Stepped::Said(text)) => {
                env.info(text);
                (Transition::Stay, true)
            }
            Ok(Stepped::SheetsOpen(why)) => {
                env.error(why);
                (ask(InputPurpose::SealReason, ""), false)
            }
            Ok(_) => (Transition::Stay, false),
            Err(t) => {
                env.error(t);
                (Transition::Stay, false)
            }
        }
    }
}

/// What sealing did, for the message line.
pub fn sealed_text(hash: &str, open: usize) -> Text {
    if open == 0 {
        return Text::new(
            format!("名单已提出并封存：{hash}"),
            format!("list proposed and sealed: {hash}"),
        );
    }
    Text::new(
        format!("名单已提出并封存：{hash}（{open}份评分表未提交，理由已记录）"),
        format!("list proposed and sealed: {hash} ({open} sheets open, reason recorded)"),
    )
}

/// An objection's state in words.
fn state_text(r: Option<&Resolution>) -> Text {
    match r {
        None => Text::new("待处理", "open"),
        Some(Resolution::Upheld { .. }) => Text::new("成立", "upheld"),
        Some(Resolution::Rejected { .. }) => Text::new("不成立", "rejected"),
    }
}

impl PublicityTab {
    /// The wheel over the tab (`area`, as drawn) scrolls the objections
    /// [`WHEEL`](crate::tui::list::WHEEL) rows (the one list it holds; its rows are read, a
    /// click does nothing).
    pub fn on_mouse(&mut self, ev: &MouseEvent, area: Rect) {
        if !inside(Block::bordered().inner(area), ev) {
            return;
        }
        let max = self.publicity.objections().len().saturating_sub(1);
        if let Some(first) = wheel(self.scroll.min(max), ev, max) {
            self.scroll = first;
        }
    }
}

pub fn view(s: &PublicityTab, env: &Env, f: &mut Frame, area: Rect) {
    let p = &s.publicity;
    let status = p.status();
    let block = Block::bordered().title(env.t(" 公示 ", " Publicity "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    // The periods get a line each below, so the summary leaves them out.
    let mut summary = status.clone();
    summary.periods.clear();
    let mut head: Vec<Line> = wrap(&clean(env.lang.text(&summary.text())), w)
        .into_iter()
        .take(4)
        .map(Line::from)
        .collect();
    for period in &status.periods {
        let (zh, en) = if s.today < period.start() {
            ("（未开始）", " (not started)")
        } else if s.today > period.end() {
            ("（已结束）", " (over)")
        } else {
            ("（进行中）", " (running)")
        };
        let t = period.text();
        let text = env
            .lang
            .pick(&format!("· {}{zh}", t.zh), &format!("· {}{en}", t.en))
            .to_string();
        head.push(Line::from(truncate(&clean(&text), w)));
    }
    if p.phase() == Phase::Proposed {
        head.push(Line::styled(
            truncate(
                env.t(
                    "名单已封存，尚未公示：s 开始公示，w 撤回（需理由）",
                    "sealed, not yet published: s starts the publicity, w withdraws it (reason required)",
                ),
                w,
            ),
            theme::dim(),
        ));
    }
    head.push(Line::from(truncate(
        &format!(
            "{}{} · {}{}",
            env.t("当前名单：", "current list: "),
            env.lang.pick(
                &format!("{}个单位", p.current_list().len()),
                &format!("{} units", p.current_list().len())
            ),
            env.t("封存哈希：", "seal: "),
            status.list_hash.as_deref().map_or_else(
                || env.t("（未封存）", "(not sealed)").to_string(),
                |h| { h.get(..16).unwrap_or(h).to_string() }
            )
        ),
        w,
    )));
    let head_h = head.len() as u16;
    let [top, list] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(1)]).areas(inner);
    f.render_widget(Paragraph::new(head), top);
    let summary_w = w.saturating_sub(3 + 10 + 10 + 8 + 6 + 5).max(4);
    let cols = [
        Column::right("#", 3),
        Column::left(env.t("申报书", "Dossier"), 10),
        Column::left(env.t("收到日期", "Received"), 10),
        Column::left(env.t("异议人", "Objector"), 8),
        Column::left(env.t("状态", "State"), 6),
        Column::left(env.t("摘要 / 处理意见", "Summary / note"), summary_w),
    ];
    let titles: Vec<String> = cols.iter().map(|c| c.title.to_string()).collect();
    let mut lines = vec![
        Line::styled(
            truncate(
                env.lang.pick(
                    &format!("异议（{}件）", p.objections().len()),
                    &format!("Objections ({})", p.objections().len()),
                ),
                w,
            ),
            theme::header(),
        ),
        Line::styled(row_text(&cols, &titles), theme::header()),
    ];
    if p.objections().is_empty() {
        lines.push(Line::styled(
            env.t("暂无异议", "no objections").to_string(),
            theme::dim(),
        ));
    }
    for o in p.objections().iter().skip(s.scroll) {
        let note = o.resolution.as_ref().map(|r| r.note()).unwrap_or("");
        let text = if note.is_empty() {
            o.summary.clone()
        } else {
            format!("{} / {note}", o.summary)
        };
        lines.push(Line::from(row_text(
            &cols,
            &[
                o.id.to_string(),
                clean(&o.code),
                o.received_on.to_string(),
                clean(&o.objector),
                env.lang
                    .text(&state_text(o.resolution.as_ref()))
                    .to_string(),
                clean(&text),
            ],
        )));
    }
    f.render_widget(Paragraph::new(lines), list);
}
