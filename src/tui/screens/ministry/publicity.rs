//! The publicity tab: where the publicity stands, the current list, the objections; proposing,
//! starting, registering and deciding objections, and confirming, each behind a confirmation.

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::publicity::{Publicity, Resolution};
use crate::store::{Store, StoreError};
use crate::tui::app::{Env, Transition};
use crate::tui::keymap::Action;
use crate::tui::list::{Column, row_text};
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::text::{clean, truncate, wrap};
use crate::tui::theme;

use super::{ask, parse_date, scroll, today, user};

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
        })
    }

    pub fn handle(&mut self, env: &mut Env, action: Action) -> Transition {
        let today = today();
        match action {
            Action::Propose => confirm(
                ConfirmPurpose::Propose { on: today },
                format!("按 round.toml 的约束提出拟认定名单并封存（{today}）？"),
                format!("Propose the list under round.toml's constraints and seal it ({today})?"),
            ),
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
        match purpose {
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
                ask(InputPurpose::ObjectionDate, &today().to_string())
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
                        "成立（除名，首位备选递补）",
                        "upheld (unit removed, first reserve promoted)",
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

    /// Perform a confirmed step; the flag says whether the round changed.
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
        let criteria = &env.criteria;
        let done: Result<Text, StoreError> = match purpose {
            ConfirmPurpose::Propose { on } => {
                store
                    .propose(criteria, &actor, Some(on), None)
                    .map(|out| {
                        let hash = out.list_hash;
                        Text::new(
                            format!("名单已提出并封存：{hash}"),
                            format!("list proposed and sealed: {hash}"),
                        )
                    })
            }
            ConfirmPurpose::Start { on } => {
                store
                    .start_publicity(criteria, &actor, Some(on))
                    .map(|end: Date| {
                        Text::new(
                            format!("公示期 {on} 至 {end}"),
                            format!("publicity from {on} to {end}"),
                        )
                    })
            }
            ConfirmPurpose::Object {
                code,
                objector,
                summary,
                on,
            } => store
                .object(&actor, &code, Some(on), &objector, &summary)
                .map(|id| {
                    Text::new(
                        format!("异议 #{id} 已登记"),
                        format!("objection #{id} registered"),
                    )
                }),
            ConfirmPurpose::Resolve { id, upheld, note } => store
                .resolve(criteria, &actor, id, upheld, &note, None)
                .map(|change| match change {
                    Some(c) => {
                        let p = c.promoted.unwrap_or_else(|| "—".into());
                        Text::new(
                            format!("异议 #{id} 成立：{} 除名，{p} 递补", c.removed),
                            format!(
                                "objection #{id} upheld: {} removed, {p} promoted",
                                c.removed
                            ),
                        )
                    }
                    None => Text::new(
                        format!("异议 #{id} 已处理"),
                        format!("objection #{id} decided"),
                    ),
                }),
            ConfirmPurpose::ConfirmList { on } => store.confirm(&actor, Some(on)).map(|n| {
                Text::new(
                    format!("名单已确认：{n} 个单位（{on}）"),
                    format!("list confirmed: {n} units ({on})"),
                )
            }),
            _ => return (Transition::Stay, false),
        };
        match done {
            Ok(text) => {
                env.info(text);
                match PublicityTab::load(env, store) {
                    Ok(fresh) => *self = fresh,
                    Err(e) => env.store_error(&e),
                }
                (Transition::Stay, true)
            }
            Err(e) => {
                env.store_error(&e);
                (Transition::Stay, false)
            }
        }
    }
}

/// An objection's state in words.
fn state_text(r: Option<&Resolution>) -> Text {
    match r {
        None => Text::new("待处理", "open"),
        Some(Resolution::Upheld { .. }) => Text::new("成立", "upheld"),
        Some(Resolution::Rejected { .. }) => Text::new("不成立", "rejected"),
    }
}

pub fn view(s: &PublicityTab, env: &Env, f: &mut Frame, area: Rect) {
    let p = &s.publicity;
    let status = p.status();
    let block = Block::bordered().title(env.t(" 公示 ", " Publicity "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut head: Vec<Line> = wrap(&clean(env.lang.text(&status.text())), w)
        .into_iter()
        .take(3)
        .map(Line::from)
        .collect();
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
