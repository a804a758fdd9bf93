//! The panel meeting tab (会评): the band — each dossier with why it is in, its rank, mean and
//! bootstrap interval, and the vote recorded —, and for the selected dossier every expert's
//! sheet (total, points per criterion, recommendation) and written opinion side by side
//! (stacked when the window is narrow). In the review phase `o` opens the meeting (the band is
//! recorded in the audit log) and `v` records a vote (for, against, note, then `y`); outside
//! it the tab is read-only and says why. `s` shows the review statistics (`stats.rs`).

use ratatui::Frame;
use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::panel::{BandEntry, BandReason};
use crate::domain::phase::{PhaseRefusal, Step};
use crate::domain::ranking::RankedDossier;
use crate::domain::refusal::reason_given;
use crate::service::{PanelRoom, PanelVote};
use crate::store::StoreError;
use crate::tui::core::{Env, Stepped};
use crate::tui::keymap::{Action, Context};
use crate::tui::list::{Column, FilteredList, WHEEL, draw_table, inside};
use crate::tui::phase::Phase;
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::{clean, truncate};
use crate::tui::theme;

use super::panel_sheets::detail_lines;
use super::{ask, parse_count, scroll};

/// Which of the tab's two views is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Band,
    Stats,
}

/// A vote being entered through the popups.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub code: String,
    pub votes_for: usize,
    pub votes_against: usize,
}

#[derive(Debug, Clone)]
pub struct PanelTab {
    pub room: PanelRoom,
    /// The band's rows.
    pub list: FilteredList,
    /// First line shown of the selected dossier's sheets and opinions.
    pub detail: usize,
    pub view: View,
    /// The statistics' expert table and list of dossiers across the lines.
    pub experts: FilteredList,
    pub crossing: FilteredList,
    pub draft: Draft,
    /// Votes may be recorded (the review phase); refreshed with the phase.
    pub review: bool,
    /// The phase, for saying why the tab is read-only.
    pub phase: Phase,
}

impl PanelTab {
    pub fn new(env: &Env, room: PanelRoom) -> Self {
        let n = room.band.entries.len();
        let experts = FilteredList::new(room.stats.stats.experts.len());
        let crossing = FilteredList::new(super::stats::crossing(&room).len());
        PanelTab {
            room,
            list: FilteredList::new(n),
            detail: 0,
            view: View::Band,
            experts,
            crossing,
            draft: Draft::default(),
            review: env.phase == Phase::Review,
            phase: env.phase,
        }
    }

    /// Keep the reader's place from the tab this one replaces: the view, the selected dossier
    /// (by code) and the scroll positions.
    pub fn carry_from(&mut self, old: &PanelTab) {
        self.view = old.view;
        if let Some(code) = old.current().map(|e| e.code.clone())
            && let Some(pos) = self.room.band.entries.iter().position(|e| e.code == code)
        {
            self.list.selected = pos;
            self.detail = old.detail;
        }
        self.experts.selected = old
            .experts
            .selected
            .min(self.experts.visible.len().saturating_sub(1));
        self.crossing.selected = old
            .crossing
            .selected
            .min(self.crossing.visible.len().saturating_sub(1));
        self.draft = old.draft.clone();
    }

    /// Follow the round's phase (read after every change).
    pub fn set_phase(&mut self, phase: Phase) {
        self.phase = phase;
        self.review = phase == Phase::Review;
    }

    pub fn context(&self) -> Context {
        match self.view {
            View::Stats => Context::Stats,
            View::Band if self.review => Context::Panel,
            View::Band => Context::PanelReadOnly,
        }
    }

    /// The selected band entry.
    pub fn current(&self) -> Option<&BandEntry> {
        self.list
            .current()
            .and_then(|i| self.room.band.entries.get(i))
    }

    /// The ranked row of a band dossier.
    pub fn row(&self, code: &str) -> Option<&RankedDossier> {
        self.room.rows.iter().find(|r| r.code == code)
    }

    /// The votes recorded on a dossier, oldest first (the latest counts).
    pub fn votes(&self, code: &str) -> Vec<&PanelVote> {
        self.room
            .band
            .votes
            .iter()
            .filter(|v| v.code == code)
            .collect()
    }

    /// Why votes cannot be recorded now (the phase refusal the store would give).
    pub fn read_only_reason(&self) -> Text {
        PhaseRefusal {
            step: Step::PanelVote,
            phase: domain_phase(self.phase),
        }
        .text()
    }

    pub fn handle(&mut self, env: &mut Env, action: Action) -> Transition {
        if self.view == View::Stats {
            return super::stats::handle(self, action);
        }
        match action {
            Action::Up => self.select(|l| l.up(1)),
            Action::Down => self.select(|l| l.down(1)),
            Action::PageUp | Action::PageDown => {
                self.detail = scroll(self.detail, action, self.detail_len(env));
            }
            Action::ToggleStats => self.view = View::Stats,
            Action::OpenBand if self.review => return self.ask_open(),
            Action::Vote if self.review => {
                let Some(e) = self.current() else {
                    env.error(Text::new(
                        "会评范围内没有申报书",
                        "there is no dossier in the band",
                    ));
                    return Transition::Stay;
                };
                self.draft = Draft {
                    code: e.code.clone(),
                    ..Draft::default()
                };
                return ask(InputPurpose::VotesFor, "");
            }
            Action::OpenBand | Action::Vote => env.error(self.read_only_reason()),
            _ => {}
        }
        Transition::Stay
    }

    fn select(&mut self, f: impl FnOnce(&mut FilteredList)) {
        let before = self.list.selected;
        f(&mut self.list);
        if self.list.selected != before {
            self.detail = 0;
        }
    }

    fn detail_len(&self, env: &Env) -> usize {
        let w = env.size.0.saturating_sub(2) as usize;
        self.current()
            .map_or(0, |e| detail_lines(self, e, env, w.max(1)).len())
    }

    fn ask_open(&self) -> Transition {
        let n = self.room.band.entries.len();
        let (zh, en) = match &self.room.opened {
            Some((on, by)) => (
                format!(
                    "会评已于 {on} 由 {by} 开会。按当前评分再次确定范围（{n} 份申报书）并记入审计日志？"
                ),
                format!(
                    "The meeting was opened on {on} by {by}. Record the band again as the sheets now stand ({n} dossiers) in the audit log?"
                ),
            ),
            None => (
                format!("开会：确定会评范围（{n} 份申报书）并记入审计日志？"),
                format!("Open the meeting: record the band ({n} dossiers) in the audit log?"),
            ),
        };
        Transition::Open(Popup::Confirm {
            purpose: ConfirmPurpose::PanelOpen,
            question: Text::new(zh, en),
        })
    }

    pub fn on_input(&mut self, env: &mut Env, purpose: InputPurpose, value: &str) -> Transition {
        let v = value.trim();
        match purpose {
            InputPurpose::VotesFor => match parse_count(env, v) {
                Some(n) => {
                    self.draft.votes_for = n;
                    ask(InputPurpose::VotesAgainst, "")
                }
                None => ask(purpose, value),
            },
            InputPurpose::VotesAgainst => match parse_count(env, v) {
                Some(n) => {
                    self.draft.votes_against = n;
                    ask(InputPurpose::VoteNote, "")
                }
                None => ask(purpose, value),
            },
            InputPurpose::VoteNote => {
                // The same rule the store applies, said before the confirmation.
                if let Err(e) = reason_given(Step::PanelVote, v) {
                    env.store_error(&StoreError::from(e));
                    return ask(purpose, value);
                }
                self.confirm_vote(v)
            }
            _ => Transition::Stay,
        }
    }

    fn confirm_vote(&self, note: &str) -> Transition {
        let d = &self.draft;
        let passed = d.votes_for > d.votes_against;
        let (zh_result, en_result) = if passed {
            ("会评通过", "passed")
        } else {
            ("会评未通过", "not passed")
        };
        let (zh_prev, en_prev) = match self.votes(&d.code).last() {
            Some(p) => (
                format!(
                    "（取代此前 {} 的表决 {}:{}）",
                    p.decided_on, p.votes_for, p.votes_against
                ),
                format!(
                    " (replacing the vote of {}, {}:{})",
                    p.decided_on, p.votes_for, p.votes_against
                ),
            ),
            None => (String::new(), String::new()),
        };
        Transition::Open(Popup::Confirm {
            purpose: ConfirmPurpose::PanelVote {
                code: d.code.clone(),
                votes_for: d.votes_for,
                votes_against: d.votes_against,
                note: note.to_string(),
            },
            question: Text::new(
                format!(
                    "记录 {} 的会评表决：赞成 {}，反对 {}——{zh_result}{zh_prev}。意见：{note}",
                    d.code, d.votes_for, d.votes_against
                ),
                format!(
                    "Record the panel's vote on {}: {} for, {} against — {en_result}{en_prev}. Note: {note}",
                    d.code, d.votes_for, d.votes_against
                ),
            ),
        })
    }

    /// What a confirmed opening or vote gave; the flag says whether the round changed (the
    /// other tabs reload; this one is updated in place).
    pub fn on_stepped(
        &mut self,
        env: &mut Env,
        purpose: &ConfirmPurpose,
        result: Result<Box<Stepped>, Text>,
    ) -> (Transition, bool) {
        match (purpose, result.map(|s| *s)) {
            (_, Err(t)) => {
                env.error(t);
                (Transition::Stay, false)
            }
            (ConfirmPurpose::PanelOpen, Ok(Stepped::PanelOpened { band, on, by })) => {
                let n = band.entries.len();
                self.room.opened = Some((on, by));
                self.room.band = band;
                env.info(Text::new(
                    format!("已开会：会评范围 {n} 份申报书已记入审计日志"),
                    format!("meeting opened: the band of {n} dossiers is in the audit log"),
                ));
                (Transition::Stay, false)
            }
            (
                ConfirmPurpose::PanelVote {
                    code,
                    votes_for,
                    votes_against,
                    ..
                },
                Ok(Stepped::Voted(votes)),
            ) => {
                match votes {
                    Ok(votes) => self.room.band.votes = votes,
                    Err(t) => env.error(t),
                }
                let passed = votes_for > votes_against;
                env.info(Text::new(
                    format!(
                        "已记录 {code}：赞成 {votes_for}，反对 {votes_against}——{}；名单按此遴选",
                        if passed { "会评通过" } else { "会评未通过" }
                    ),
                    format!(
                        "recorded {code}: {votes_for} for, {votes_against} against — {}; the selection honours it",
                        if passed { "passed" } else { "not passed" }
                    ),
                ));
                (Transition::Stay, true)
            }
            _ => (Transition::Stay, false),
        }
    }
}

fn domain_phase(p: Phase) -> crate::domain::phase::Phase {
    use crate::domain::phase::Phase as D;
    match p {
        Phase::Applications => D::Applications,
        Phase::Review => D::Review,
        Phase::Sealed => D::Sealed,
        Phase::Publicity => D::Publicity,
        Phase::Confirmed => D::Confirmed,
    }
}

/// The band's short reasons, for the table.
fn short_reasons(e: &BandEntry, env: &Env) -> String {
    e.reasons
        .iter()
        .map(|r| match r {
            BandReason::CrossesCut { .. } => env.t("跨入选线", "cut").to_string(),
            BandReason::CrossesReserve { .. } => env.t("跨备选线", "reserve").to_string(),
            BandReason::Spread { spread, .. } => {
                format!("{}{spread:.1}", env.t("分歧", "spread "))
            }
            BandReason::TiedAtCut { .. } => env.t("并列", "tie").to_string(),
        })
        .collect::<Vec<_>>()
        .join(env.t("、", ", "))
}

/// The vote recorded on a dossier, short: `通过 5:2`, `未表决`.
pub fn vote_label(votes: &[&PanelVote], env: &Env) -> String {
    match votes.last() {
        Some(v) if v.votes_for > v.votes_against => format!(
            "{} {}:{}",
            env.t("通过", "passed"),
            v.votes_for,
            v.votes_against
        ),
        Some(v) => format!(
            "{} {}:{}",
            env.t("未通过", "failed"),
            v.votes_for,
            v.votes_against
        ),
        None => env.t("未表决", "no vote").to_string(),
    }
}

/// The info line, the band's table and the selected dossier's sheets inside the tab's border.
fn areas(area: Rect, rows: usize) -> [Rect; 3] {
    let inner = Block::bordered().inner(area);
    let table = (rows as u16 + 1)
        .min((inner.height.saturating_sub(1)) * 2 / 5)
        .max(3);
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(table),
        Constraint::Min(1),
    ])
    .areas(inner)
}

impl PanelTab {
    /// The wheel and a click on the band select; the wheel over the sheets scrolls them.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        if self.view == View::Stats {
            super::stats::on_mouse(self, ev, area);
            return;
        }
        let [_, table, detail] = areas(area, self.room.band.entries.len());
        let before = self.list.selected;
        if self.list.on_mouse(ev, table).is_some() {
            if self.list.selected != before {
                self.detail = 0;
            }
            return;
        }
        if inside(detail, ev) {
            let len = self.detail_len(env);
            match ev.kind {
                MouseEventKind::ScrollDown => {
                    self.detail = (self.detail + WHEEL).min(len.saturating_sub(1));
                }
                MouseEventKind::ScrollUp => self.detail = self.detail.saturating_sub(WHEEL),
                _ => {}
            }
        }
    }
}

pub fn view(s: &PanelTab, env: &Env, f: &mut Frame, area: Rect) {
    if s.view == View::Stats {
        super::stats::view(s, env, f, area);
        return;
    }
    let b = &s.room.band;
    let block = Block::bordered().title(format!(
        " {} · {} {} ",
        env.t("会评", "Panel meeting"),
        b.entries.len(),
        env.t("份在范围内", "in the band")
    ));
    f.render_widget(block, area);
    let [info, table, detail] = areas(area, b.entries.len());
    let opened = match &s.room.opened {
        Some((on, by)) => match env.lang {
            crate::tui::lang::Lang::Zh => format!("已于 {on} 开会（{by}）"),
            crate::tui::lang::Lang::En => format!("opened {on} ({by})"),
        },
        None => env.t("尚未开会", "not opened yet").to_string(),
    };
    let mut line = match env.lang {
        crate::tui::lang::Lang::Zh => format!(
            "入选至第 {} 名 · 备选至第 {} 名 · {} 次重抽样，种子 {} · {opened}",
            b.cut, b.reserve_cut, b.replicates, b.seed
        ),
        crate::tui::lang::Lang::En => format!(
            "cut at rank {} · reserve to {} · {} replicates, seed {} · {opened}",
            b.cut, b.reserve_cut, b.replicates, b.seed
        ),
    };
    let style = if s.review {
        theme::dim()
    } else {
        line = format!(
            "{} {}",
            env.t("只读：", "read-only:"),
            env.lang.text(&s.read_only_reason())
        );
        theme::error()
    };
    f.render_widget(
        Paragraph::new(Line::styled(truncate(&line, info.width as usize), style)),
        info,
    );
    let titles = [
        env.t("名次", "Rank"),
        env.t("编号", "Code"),
        env.t("均分", "Mean"),
        env.t("排名区间", "Interval"),
        env.t("表决", "Vote"),
        env.t("列入原因", "Why in the band"),
    ];
    let w = [4, 10, 6, 9, 11];
    let fixed: usize = w.iter().sum::<usize>() + w.len();
    let cols = [
        Column::right(titles[0], w[0]),
        Column::left(titles[1], w[1]),
        Column::right(titles[2], w[2]),
        Column::right(titles[3], w[3]),
        Column::left(titles[4], w[4]),
        Column::left(titles[5], (table.width as usize).saturating_sub(fixed)),
    ];
    draw_table(f, table, &cols, &s.list, |i| {
        let e = &b.entries[i];
        let row = s.row(&e.code);
        let iv = s
            .room
            .stats
            .stats
            .intervals
            .iter()
            .find(|iv| iv.code == e.code);
        vec![
            e.rank.to_string(),
            clean(&e.code),
            row.map_or_else(String::new, |r| format!("{:.2}", r.trimmed_mean)),
            iv.map_or_else(String::new, |iv| format!("{}–{}", iv.low, iv.high)),
            vote_label(&s.votes(&e.code), env),
            short_reasons(e, env),
        ]
    });
    let Some(e) = s.current() else {
        f.render_widget(
            Paragraph::new(Line::styled(
                env.t(
                    "没有申报书的排名区间跨线、分歧或并列：无需会评",
                    "no dossier's interval crosses a line, none disagrees or ties: nothing to discuss",
                ),
                theme::dim(),
            )),
            detail,
        );
        return;
    };
    let lines = detail_lines(s, e, env, detail.width as usize);
    let h = detail.height as usize;
    let first = s.detail.min(lines.len().saturating_sub(h));
    f.render_widget(
        Paragraph::new(lines.into_iter().skip(first).take(h).collect::<Vec<_>>()),
        detail,
    );
}
