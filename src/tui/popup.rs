//! Popups: they take keys before the screen beneath (help, confirmations, text fields).

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::domain::Text;

use super::input::LineInput;
use super::keymap::Action;
use super::lang::Lang;
use super::screens::help;
use super::text::{clean, wrap};
use super::theme;
use unicode_width::UnicodeWidthStr;

/// What a text popup asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    Opinion,
    RecusalReason,
    Folder,
    SwapOut,
    SwapIn,
    SwapReason,
    /// Why a submitted sheet is reopened (recorded).
    ReopenReason,
    Target,
    Reserve,
    MaxPerProvince,
    /// What-if: the most units of each type (empty: round.toml's type limits).
    MaxPerType,
    StartDate,
    ObjectionCode,
    Objector,
    ObjectionSummary,
    ObjectionDate,
    ResolveId,
    ResolveUpheld,
    ResolveNote,
    ConfirmDate,
    RankingProvince,
    RankingType,
    /// Why the ministry seals the list while score sheets are still open (recorded).
    SealReason,
    /// Why the sealed list is withdrawn (recorded).
    WithdrawReason,
    /// The folder the documents tab writes into.
    DocumentsFolder,
    /// The panel's votes for the selected dossier.
    VotesFor,
    /// The panel's votes against.
    VotesAgainst,
    /// What the panel said (recorded with the vote).
    VoteNote,
}

impl InputPurpose {
    fn title(self, lang: Lang) -> &'static str {
        match self {
            InputPurpose::Opinion => lang.pick("评审意见", "Opinion"),
            InputPurpose::RecusalReason => lang.pick("回避理由", "Reason for recusal"),
            InputPurpose::Folder => lang.pick("复查文件夹（路径）", "Re-check folder (path)"),
            InputPurpose::SwapOut => lang.pick("调出的专家编号", "Outgoing expert id"),
            InputPurpose::SwapIn => lang.pick("调入的专家编号", "Incoming expert id"),
            InputPurpose::SwapReason => lang.pick("调换理由（记录在案）", "Reason (recorded)"),
            InputPurpose::ReopenReason => lang.pick(
                "重开评分表的理由（记录在案）",
                "Reason to reopen the sheet (recorded)",
            ),
            InputPurpose::Target => lang.pick("假设：拟认定名额", "What-if: units to select"),
            InputPurpose::Reserve => lang.pick("假设：备选名单数", "What-if: reserve size"),
            InputPurpose::MaxPerProvince => {
                lang.pick("假设：每省上限", "What-if: maximum per province")
            }
            InputPurpose::MaxPerType => lang.pick(
                "假设：每类型上限，或 类型:最少:最多,…（留空 = 按 round.toml）",
                "What-if: most per type, or TYPE:MIN:MAX,… (empty: round.toml's)",
            ),
            InputPurpose::StartDate => {
                lang.pick("公示开始日期（YYYY-MM-DD）", "Publicity start (YYYY-MM-DD)")
            }
            InputPurpose::ObjectionCode => {
                lang.pick("异议针对的申报书编号", "Dossier code objected to")
            }
            InputPurpose::Objector => lang.pick("异议人", "Objector"),
            InputPurpose::ObjectionSummary => lang.pick("异议内容摘要", "Summary of the objection"),
            InputPurpose::ObjectionDate => {
                lang.pick("收到日期（YYYY-MM-DD）", "Received on (YYYY-MM-DD)")
            }
            InputPurpose::ResolveId => lang.pick("异议编号", "Objection number"),
            InputPurpose::ResolveUpheld => lang.pick(
                "异议成立？y 成立（除名，递补）/ n 不成立",
                "Upheld? y upheld (unit removed) / n rejected",
            ),
            InputPurpose::ResolveNote => lang.pick("处理意见", "Decision note"),
            InputPurpose::RankingProvince => {
                lang.pick("按省份筛选（空 = 全部）", "Province filter (empty = all)")
            }
            InputPurpose::RankingType => {
                lang.pick("按类型筛选（空 = 全部）", "Type filter (empty = all)")
            }
            InputPurpose::ConfirmDate => {
                lang.pick("确认日期（YYYY-MM-DD）", "Confirmation date (YYYY-MM-DD)")
            }
            InputPurpose::SealReason => {
                lang.pick("封存理由（评分未完成）", "Reason to seal with sheets open")
            }
            InputPurpose::WithdrawReason => {
                lang.pick("撤回理由（记录在案）", "Reason to withdraw (recorded)")
            }
            InputPurpose::DocumentsFolder => lang.pick(
                "文书输出文件夹（路径）",
                "Output folder for the documents (path)",
            ),
            InputPurpose::VotesFor => lang.pick("会评表决：赞成票数", "Panel vote: votes for"),
            InputPurpose::VotesAgainst => {
                lang.pick("会评表决：反对票数", "Panel vote: votes against")
            }
            InputPurpose::VoteNote => lang.pick(
                "会评意见（必填，记录在案）",
                "What the panel said (required, recorded)",
            ),
        }
    }
}

/// What a confirmation is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmPurpose {
    Submit,
    Recuse {
        reason: String,
    },
    /// Run the assignment with this seed.
    Assign {
        seed: u64,
    },
    Swap {
        dossier: String,
        out: String,
        into: String,
        reason: String,
    },
    /// Seal the list on `on`; with `accept_incomplete`, although score sheets are open.
    Propose {
        on: Date,
        accept_incomplete: Option<String>,
    },
    /// Withdraw the sealed list on `on`.
    Withdraw {
        reason: String,
        on: Date,
    },
    Start {
        on: Date,
    },
    Object {
        code: String,
        objector: String,
        summary: String,
        on: Date,
    },
    Resolve {
        id: u32,
        upheld: bool,
        note: String,
    },
    ConfirmList {
        on: Date,
    },
    /// Reopen the submitted sheet of `expert` on `dossier`.
    Reopen {
        dossier: String,
        expert: String,
        reason: String,
    },
    /// Open the panel meeting: record the band in the audit log.
    PanelOpen,
    /// Record the panel's vote on a dossier.
    PanelVote {
        code: String,
        votes_for: usize,
        votes_against: usize,
        note: String,
    },
    /// Write the documents of the current phase into a folder.
    GenerateDocuments,
    /// Write the documents into a folder that already holds files (only `y`).
    OverwriteDocuments,
    /// Leave the application from a home screen.
    Quit,
}

impl ConfirmPurpose {
    /// Whether only `y` confirms. Every step that writes a record nobody can take back (a
    /// submitted sheet, a sealed list, an assignment …) needs `y`, so an Enter meant for the
    /// screen beneath does not take it; writing the documents again and leaving take Enter too.
    pub fn needs_y(&self) -> bool {
        !matches!(
            self,
            ConfirmPurpose::GenerateDocuments | ConfirmPurpose::Quit
        )
    }

    /// The keys line of the popup.
    pub fn keys(&self, lang: Lang) -> &'static str {
        if self.needs_y() {
            lang.pick("y 确认 / n 取消", "y confirm / n cancel")
        } else {
            lang.pick(
                "y/Enter 确认 / n/Esc 取消",
                "y/Enter confirm / n/Esc cancel",
            )
        }
    }
}

/// An open popup.
#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    /// The key map of the context beneath.
    Help {
        under: super::keymap::Context,
        scroll: usize,
    },
    Confirm {
        purpose: ConfirmPurpose,
        question: Text,
    },
    Input {
        purpose: InputPurpose,
        input: LineInput,
    },
}

/// What a key did to a popup.
#[derive(Debug)]
pub enum Outcome {
    Keep(Popup),
    Close,
    Input(InputPurpose, String),
    Confirmed(ConfirmPurpose),
}

/// Handle one action in a popup.
pub fn handle(p: Popup, action: Action, typed: Option<char>) -> Outcome {
    match p {
        Popup::Help { under, scroll } => match action {
            Action::Back => Outcome::Close,
            Action::Up => Outcome::Keep(Popup::Help {
                under,
                scroll: scroll.saturating_sub(1),
            }),
            Action::Down => Outcome::Keep(Popup::Help {
                under,
                scroll: scroll + 1,
            }),
            Action::PageUp => Outcome::Keep(Popup::Help {
                under,
                scroll: scroll.saturating_sub(10),
            }),
            Action::PageDown => Outcome::Keep(Popup::Help {
                under,
                scroll: scroll + 10,
            }),
            _ => Outcome::Keep(Popup::Help { under, scroll }),
        },
        Popup::Confirm { purpose, question } => match action {
            Action::Confirm => Outcome::Confirmed(purpose),
            Action::Accept if !purpose.needs_y() => Outcome::Confirmed(purpose),
            Action::Cancel => Outcome::Close,
            _ => Outcome::Keep(Popup::Confirm { purpose, question }),
        },
        Popup::Input { purpose, mut input } => match action {
            Action::Accept => Outcome::Input(purpose, input.value().to_string()),
            Action::Cancel => Outcome::Close,
            edit => {
                input.edit(edit, typed);
                Outcome::Keep(Popup::Input { purpose, input })
            }
        },
    }
}

/// A rectangle of `w`×`h` centred in `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Blank `r` for a popup. A wide (CJK) character of the screen beneath that starts just left
/// of `r` would cover the popup's left border in the terminal (and its hidden half would be
/// cleared alone), so the whole pair is blanked; a wide character cut by the right edge loses
/// its left half to `Clear` and its right half is blanked too.
pub fn clear(f: &mut Frame, r: Rect) {
    let buf = f.buffer_mut();
    let area = buf.area;
    let r = r.intersection(area);
    if r.is_empty() {
        return;
    }
    for y in r.top()..r.bottom() {
        if r.left() > area.left() {
            let cell = &mut buf[(r.left() - 1, y)];
            if cell.symbol().width() > 1 {
                cell.reset();
            }
        }
        // The cell under the right border that starts a wide character hides the first
        // column right of the popup: blank that one as well.
        let last = r.right() - 1;
        if r.right() < area.right() && buf[(last, y)].symbol().width() > 1 {
            buf[(r.right(), y)].reset();
        }
    }
    f.render_widget(Clear, r);
}

/// Draw the popup over the screen.
pub fn view(p: &Popup, lang: Lang, f: &mut Frame, area: Rect) {
    match p {
        Popup::Help { under, scroll } => help::view(*under, *scroll, lang, f, area),
        Popup::Confirm { question, purpose } => {
            let w = area.width.saturating_sub(4).min(60);
            let body = wrap(&clean(lang.text(question)), w.saturating_sub(2) as usize);
            let h = (body.len() as u16 + 4).min(area.height);
            let r = centered(area, w, h);
            let mut lines: Vec<Line> = body.into_iter().map(Line::from).collect();
            lines.push(Line::from(""));
            lines.push(Line::styled(purpose.keys(lang), theme::key()));
            clear(f, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(Block::bordered().title(lang.pick("请确认", "Confirm"))),
                r,
            );
        }
        Popup::Input { purpose, input } => {
            let w = area.width.saturating_sub(4).min(70);
            let r = centered(area, w, 5);
            let inner_w = w.saturating_sub(2) as usize;
            let (shown, cursor) = input.visible(inner_w.saturating_sub(1), None);
            let lines = vec![
                Line::from(shown),
                Line::from(""),
                Line::styled(
                    lang.pick("Enter 确定    Esc 取消", "Enter accept    Esc cancel"),
                    theme::key(),
                ),
            ];
            clear(f, r);
            f.render_widget(
                Paragraph::new(lines).block(Block::bordered().title(purpose.title(lang))),
                r,
            );
            if r.width > 2 && r.height > 2 {
                f.set_cursor_position((r.x + 1 + cursor as u16, r.y + 1));
            }
        }
    }
}
