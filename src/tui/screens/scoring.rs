//! The scoring walkthrough: the dossier on the left, the current criterion on the right.
//! Every entry is saved at once, so quitting half-way loses nothing; reopening resumes at the
//! first criterion without points.

use std::cell::Cell;

use crate::tui::list::{WHEEL, inside};
use ratatui::Frame;
use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::access::User;
use crate::domain::dossier::Dossier;
use crate::domain::rubric::Criterion;
use crate::domain::scoring::{Sheet, check_entry};
use crate::input::encoding::decode;
use crate::input::source::SourceText;
use crate::store::{Store, StoreError};

use crate::tui::core::Env;
use crate::tui::input::LineInput;
use crate::tui::keymap::Action;
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::{Screen, Transition};
use crate::tui::text::{clean, pad, pad_left, points, truncate, wrap};
use crate::tui::theme;

use super::dossier_view;
use super::expert_list::{ExpertListState, locked_text, recusal_confirm, recuse};
use super::opinion::{self, OpinionEditor};

/// One open sheet.
#[derive(Debug, Clone)]
pub struct ScoringState {
    pub code: String,
    pub type_id: String,
    pub dossier: Option<Dossier>,
    /// The decoded file, shown as is if it no longer parses.
    pub raw: String,
    pub sheet: Sheet,
    /// Index of the current criterion in the rubric.
    pub current: usize,
    /// The points being typed.
    pub entry: LineInput,
    /// The summary is shown instead of the criterion.
    pub summary: bool,
    /// First dossier line shown (left half) or summary line shown.
    pub scroll: usize,
    pub summary_scroll: usize,
    /// First guidance line shown for the current criterion (`[` and `]`).
    pub guidance_scroll: usize,
    /// The largest useful scroll, as found by the last draw.
    pub max_scroll: Cell<usize>,
    /// The dossier pane's inner width and height at the last draw (0 before the first).
    pub pane: Cell<(u16, u16)>,
    /// The expert's list as it was when the sheet was opened: cursor and filter come back.
    pub list: Option<Box<ExpertListState>>,
    /// The opinion editor, while open (`o`).
    pub opinion: Option<OpinionEditor>,
}

/// Why typed points cannot be saved, naming the criterion by its rubric heading. `done` is
/// false while typing (a lone `.` may still become `.5`), true on saving or leaving the field.
pub fn entry_problem(c: &Criterion, typed: &str, done: bool) -> Option<Text> {
    let typed = typed.trim();
    let (zh, en) = (clean(&c.name_zh), clean(&c.name_en));
    if typed.is_empty() || (!done && typed == ".") {
        return None;
    }
    let v = match typed.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            return Some(Text::new(
                format!("「{zh}」：「{typed}」不是分数"),
                format!("{en}: \"{typed}\" is not a number of points"),
            ));
        }
    };
    let max = points(c.max);
    if v > c.max {
        return Some(Text::new(
            format!("「{zh}」超过满分 {max}"),
            format!("{en}: more than the maximum {max}"),
        ));
    }
    let decimals = typed.split('.').nth(1).map_or(0, str::len);
    let steps = v / c.step;
    if decimals > step_decimals(c.step) || (steps - steps.round()).abs() > 1e-9 {
        let step = points(c.step);
        return Some(Text::new(
            format!("「{zh}」按 {step} 分一档打分，{typed} 不行"),
            format!("{en}: points go in steps of {step}, not {typed}"),
        ));
    }
    None
}

/// The dossier sections a criterion's guidance says to read, most precise first: the type
/// standard for the type-fit group, else `section.key` and `section` from "Read [section] key".
pub fn reads(c: &Criterion) -> Vec<String> {
    if c.group == "type_fit" {
        return vec!["type_standard".into(), "type_evidence".into()];
    }
    let g = c.guidance_en.as_str();
    let word = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|ch| ch.is_ascii_lowercase() || *ch == '_')
            .collect()
    };
    let Some(open) = g.find('[') else {
        return Vec::new();
    };
    let Some(len) = g[open..].find(']') else {
        return Vec::new();
    };
    let section = &g[open + 1..open + len];
    let after = word(&g[open + len + 1..]);
    let first = g.strip_prefix("Read ").map(word).unwrap_or_default();
    let mut out = Vec::new();
    for w in [after, first] {
        if !w.is_empty() {
            out.push(format!("{section}.{w}"));
        }
    }
    out.push(section.to_string());
    out
}

fn user(env: &Env) -> Result<User, StoreError> {
    env.user.clone().ok_or(StoreError::LoginRequired)
}

fn expert_id(u: &User) -> &str {
    match &u.role {
        crate::domain::access::Role::Expert { expert_id } => expert_id,
        _ => "",
    }
}

/// Decimal places a step allows (0.5 → 1, 0.25 → 2, 1 → 0).
fn step_decimals(step: f64) -> usize {
    let s = points(step);
    s.split('.').nth(1).map_or(0, str::len)
}

impl ScoringState {
    /// Open a dossier's sheet at its first unscored criterion (the summary when all are scored).
    pub fn open(env: &Env, store: &Store, code: &str) -> Result<ScoringState, StoreError> {
        let u = user(env)?;
        let sheet = store.sheet(&u, code, expert_id(&u))?;
        let Some((bytes, _)) = store.dossier_raw(Some(&u), code)? else {
            return Err(crate::domain::refusal::Refusal::UnknownDossier {
                code: code.to_string(),
            }
            .into());
        };
        let text = decode(&bytes)
            .map_or_else(|_| String::from_utf8_lossy(&bytes).into_owned(), |(t, _)| t);
        let (dossier, _) = crate::input::dossier::read(&SourceText::new(code, text.clone()));
        let type_id = dossier
            .as_ref()
            .and_then(|d| d.demo_type.as_ref())
            .and_then(|t| env.criteria.types.resolve(&t.value))
            .map_or_else(String::new, |t| t.id.clone());
        let rubric = &env.criteria.rubric;
        let next = sheet.next_unscored(rubric);
        let current = next
            .and_then(|c| rubric.criteria.iter().position(|d| d.id == c.id))
            .unwrap_or(0);
        Ok(ScoringState {
            code: code.to_string(),
            type_id,
            dossier,
            raw: text,
            summary: next.is_none(),
            sheet,
            current,
            entry: LineInput::default(),
            scroll: 0,
            summary_scroll: 0,
            guidance_scroll: 0,
            max_scroll: Cell::new(0),
            pane: Cell::new((0, 0)),
            list: None,
            opinion: None,
        })
    }

    /// The sheet is submitted: it opens read-only.
    pub fn read_only(&self) -> bool {
        self.sheet.submitted
    }

    /// Scroll the dossier pane to the section the current criterion reads (when known and
    /// the pane has been drawn once).
    fn follow(&mut self, env: &Env) {
        let (w, h) = self.pane.get();
        let Some(c) = self.criterion(env) else {
            return;
        };
        if w == 0 {
            return;
        }
        let laid = dossier_view::layout(
            self.dossier.as_ref(),
            &self.raw,
            &env.criteria,
            &self.type_id,
            env.lang,
            w as usize,
        );
        if let Some(at) = reads(c).iter().find_map(|k| laid.anchor(k)) {
            let max = laid.lines.len().saturating_sub(h as usize);
            self.scroll = at.min(max);
        }
    }

    /// One page of the dossier pane (its height, less one line kept for context).
    fn page(&self) -> usize {
        (self.pane.get().1 as usize).saturating_sub(1).max(1)
    }

    fn criterion<'e>(&self, env: &'e Env) -> Option<&'e Criterion> {
        env.criteria.rubric.criteria.get(self.current)
    }

    fn reload(&mut self, env: &Env, store: &Store) -> Result<(), StoreError> {
        let u = user(env)?;
        self.sheet = store.sheet(&u, &self.code, expert_id(&u))?;
        Ok(())
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        store: &mut Store,
    ) -> Transition {
        if let Some(editor) = &mut self.opinion {
            match editor.handle(env, action, typed) {
                opinion::Outcome::Stay => {}
                opinion::Outcome::Close => self.opinion = None,
                opinion::Outcome::Save(text) => self.save_opinion(env, store, &text),
            }
            return Transition::Stay;
        }
        match action {
            Action::Type => {
                if let Some(c) = typed {
                    self.type_char(env, c);
                }
            }
            Action::DeleteChar => {
                self.entry.backspace();
                self.recheck(env);
            }
            // The points field takes the editing keys every field has (Home, End, ←, →,
            // Ctrl-U, Ctrl-W); a submitted sheet has no field.
            Action::CursorLeft
            | Action::CursorRight
            | Action::CursorHome
            | Action::CursorEnd
            | Action::ClearToStart
            | Action::DeleteWordBack
                if !self.read_only() =>
            {
                self.entry.edit(action, None);
                self.recheck(env);
            }
            Action::SaveScore => self.save(env, store),
            Action::GuidanceDown => self.guidance_scroll += 3,
            Action::GuidanceUp => self.guidance_scroll = self.guidance_scroll.saturating_sub(3),
            Action::NextCriterion if self.summary => self.summary_scroll += 1,
            Action::PrevCriterion if self.summary => {
                self.summary_scroll = self.summary_scroll.saturating_sub(1);
            }
            Action::NextCriterion => self.leave(env, store, self.current + 1),
            Action::PrevCriterion => self.leave(env, store, self.current.saturating_sub(1)),
            Action::PageDown | Action::Down if !self.summary => {
                self.scroll = (self.scroll + self.page()).min(self.max_scroll.get());
            }
            Action::PageUp | Action::Up if !self.summary => {
                self.scroll = self.scroll.saturating_sub(self.page());
            }
            Action::Down => self.summary_scroll += 1,
            Action::Up => self.summary_scroll = self.summary_scroll.saturating_sub(1),
            Action::PageDown => self.summary_scroll += 10,
            Action::PageUp => self.summary_scroll = self.summary_scroll.saturating_sub(10),
            Action::Opinion if self.sheet.submitted => env.error(locked_text()),
            Action::Opinion => self.opinion = Some(OpinionEditor::new(&self.sheet.opinion)),
            Action::Recommend => self.recommend(env, store, true),
            Action::NotRecommend => self.recommend(env, store, false),
            Action::Summary => self.open_summary(env, store),
            Action::Submit => return self.ask_submit(env),
            Action::Recuse if self.sheet.submitted => env.error(locked_text()),
            Action::Recuse => {
                return Transition::Open(Popup::Input {
                    purpose: InputPurpose::RecusalReason,
                    input: LineInput::default(),
                });
            }
            Action::Back if self.summary => self.summary = false,
            Action::Back => return self.leave_sheet(env, store),
            _ => {}
        }
        Transition::Stay
    }

    fn go(&mut self, env: &Env, to: usize) {
        let n = env.criteria.rubric.criteria.len();
        let to = to.min(n.saturating_sub(1));
        let moved = to != self.current;
        self.current = to;
        self.entry.clear();
        self.guidance_scroll = 0;
        if moved {
            self.follow(env);
        }
    }

    /// Leave the field for criterion `to` (↓, ↑, Tab): typed points are saved first when valid;
    /// when not, the expert stays on the field with the reason (nothing typed is dropped).
    fn leave(&mut self, env: &mut Env, store: &mut Store, to: usize) {
        if self.commit(env, store).is_ok() {
            let message = env.message.clone();
            self.go(env, to);
            env.message = message;
        }
    }

    /// The summary, once the typed points are saved (or with the reason they are not).
    fn open_summary(&mut self, env: &mut Env, store: &mut Store) {
        if self.commit(env, store).is_ok() {
            self.summary = true;
            self.summary_scroll = 0;
        }
    }

    /// Back to the list (Esc, q), once the typed points are saved; refused points keep the
    /// expert on the field with the reason.
    fn leave_sheet(&mut self, env: &mut Env, store: &mut Store) -> Transition {
        match self.commit(env, store) {
            Ok(_) => self.back_to_list(env, store),
            Err(()) => Transition::Stay,
        }
    }

    /// Why the typed points are refused, if they are (while typing).
    fn problem(&self, env: &Env, done: bool) -> Option<Text> {
        self.criterion(env)
            .and_then(|c| entry_problem(c, self.entry.value(), done))
    }

    /// Say at once what is wrong with the field as it now reads.
    fn recheck(&self, env: &mut Env) {
        if let Some(t) = self.problem(env, false) {
            env.error(t);
        }
    }

    /// Take a typed character of the points. The field keeps what was typed; what can no
    /// longer be valid (above the maximum, off the step) is refused on the spot, by name.
    fn type_char(&mut self, env: &mut Env, c: char) {
        if self.read_only() {
            env.error(locked_text());
            return;
        }
        if self.entry.value().chars().count() >= ENTRY_MAX {
            return;
        }
        self.entry.insert(c);
        self.recheck(env);
    }

    /// Save the typed points, if any: `Ok(Some(points))` when saved, `Ok(None)` when the field
    /// is empty (or holds what is stored), `Err(())` when refused (the reason is in the message
    /// line and the field keeps its text).
    fn commit(&mut self, env: &mut Env, store: &mut Store) -> Result<Option<f64>, ()> {
        let typed = self.entry.value().trim().to_string();
        if typed.is_empty() || self.read_only() {
            return Ok(None);
        }
        let Some(crit) = self.criterion(env).cloned() else {
            return Ok(None);
        };
        if let Some(t) = entry_problem(&crit, &typed, true) {
            env.error(t);
            return Err(());
        }
        let v = typed.parse::<f64>().map_err(|_| ())?;
        if self.sheet.points(&crit.id) == Some(v) {
            self.entry.clear();
            return Ok(None);
        }
        if let Err(e) = check_entry(&env.criteria.rubric, &crit.id, v) {
            env.error(e.text());
            return Err(());
        }
        let result = user(env).and_then(|u| {
            store.set_score(&env.criteria, &u, &self.code, &crit.id, v)?;
            self.reload(env, store)
        });
        if let Err(e) = result {
            env.store_error(&e);
            return Err(());
        }
        self.entry.clear();
        env.info(Text::new(
            format!("已保存：{} = {}", crit.name_zh, points(v)),
            format!("saved: {} = {}", crit.name_en, points(v)),
        ));
        Ok(Some(v))
    }

    fn save(&mut self, env: &mut Env, store: &mut Store) {
        if self.read_only() {
            env.error(locked_text());
            return;
        }
        let Some(crit) = self.criterion(env).cloned() else {
            return;
        };
        if self.entry.value().trim().is_empty() {
            env.error(Text::new(
                format!("请先输入「{}」的分数", clean(&crit.name_zh)),
                format!("type the points for {} first", clean(&crit.name_en)),
            ));
            return;
        }
        let before = self.sheet.points(&crit.id);
        let v = match self.commit(env, store) {
            Ok(Some(v)) => v,
            Ok(None) => before.unwrap_or_default(),
            Err(()) => return,
        };
        let n = env.criteria.rubric.criteria.len();
        if self.current + 1 < n {
            self.current += 1;
        } else if let Some(i) = self
            .sheet
            .next_unscored(&env.criteria.rubric)
            .and_then(|c| {
                env.criteria
                    .rubric
                    .criteria
                    .iter()
                    .position(|d| d.id == c.id)
            })
        {
            self.current = i;
        }
        self.guidance_scroll = 0;
        self.follow(env);
        let all = self
            .sheet
            .missing(&env.criteria.rubric)
            .iter()
            .all(|m| !matches!(m, crate::domain::scoring::Missing::Criterion(_)));
        let saved = Text::new(
            format!("已保存：{} = {}", crit.name_zh, points(v)),
            format!("saved: {} = {}", crit.name_en, points(v)),
        );
        if all {
            env.info(Text::new(
                format!("{}。各项均已评分：o 写意见，y/n 推荐，s 汇总提交", saved.zh),
                format!(
                    "{}. All criteria scored: o opinion, y/n recommend, s summary",
                    saved.en
                ),
            ));
        } else {
            env.info(saved);
        }
    }

    fn recommend(&mut self, env: &mut Env, store: &mut Store, yes: bool) {
        if self.sheet.submitted {
            env.error(locked_text());
            return;
        }
        let result = user(env).and_then(|u| {
            store.set_opinion(&u, &self.code, None, Some(yes))?;
            self.reload(env, store)
        });
        match result {
            Ok(()) => env.info(if yes {
                Text::new("已选择：推荐", "set: recommend")
            } else {
                Text::new("已选择：不推荐", "set: do not recommend")
            }),
            Err(e) => env.store_error(&e),
        }
    }

    fn ask_submit(&mut self, env: &mut Env) -> Transition {
        if self.sheet.submitted {
            env.error(locked_text());
            return Transition::Stay;
        }
        let missing = self.sheet.missing(&env.criteria.rubric);
        if let Some(first) = missing.first() {
            let t = first.text(&env.criteria.rubric);
            env.error(Text::new(
                format!("尚不能提交（缺 {} 项）：{}", missing.len(), t.zh),
                format!("cannot submit yet ({} missing): {}", missing.len(), t.en),
            ));
            return Transition::Stay;
        }
        let total = points(self.sheet.total());
        Transition::Open(Popup::Confirm {
            purpose: ConfirmPurpose::Submit,
            question: Text::new(
                format!(
                    "提交申报书 {} 的评分表（合计 {total} 分）？提交后不能再修改。",
                    self.code
                ),
                format!(
                    "Submit the sheet for {} (total {total} points)? It cannot be changed afterwards.",
                    self.code
                ),
            ),
        })
    }

    /// The keys go to the opinion editor.
    /// The wheel over the dossier pane scrolls it ([`WHEEL`] lines); on the summary it
    /// scrolls the summary. The opinion editor takes no mouse.
    pub fn on_mouse(&mut self, _env: &mut Env, ev: MouseEvent, body: Rect) -> Transition {
        if self.opinion.is_some() {
            return Transition::Stay;
        }
        let down = match ev.kind {
            MouseEventKind::ScrollDown => true,
            MouseEventKind::ScrollUp => false,
            _ => return Transition::Stay,
        };
        if self.summary {
            self.summary_scroll = if down {
                self.summary_scroll + WHEEL
            } else {
                self.summary_scroll.saturating_sub(WHEEL)
            };
        } else if inside(panes(body)[0], &ev) {
            self.scroll = if down {
                (self.scroll + WHEEL).min(self.max_scroll.get())
            } else {
                self.scroll.saturating_sub(WHEEL)
            };
        }
        Transition::Stay
    }

    pub fn editing_opinion(&self) -> bool {
        self.opinion.is_some()
    }

    /// Pasted text: into the opinion editor when it is open (line breaks kept).
    pub fn paste(&mut self, env: &mut Env, text: &str) {
        if let Some(editor) = &mut self.opinion {
            editor.paste(env, text);
        }
    }

    /// Store the edited opinion (one step, audited) and close the editor; on a refusal the
    /// editor stays open with the reason, so nothing typed is lost.
    fn save_opinion(&mut self, env: &mut Env, store: &mut Store, text: &str) {
        let result = user(env).and_then(|u| {
            store.set_opinion(&u, &self.code, Some(text), None)?;
            self.reload(env, store)
        });
        match result {
            Ok(()) => {
                self.opinion = None;
                env.info(Text::new("评审意见已保存", "opinion saved"));
            }
            Err(e) => env.store_error(&e),
        }
    }

    pub fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        store: &mut Store,
    ) -> Transition {
        match purpose {
            InputPurpose::Opinion => {
                let result = user(env).and_then(|u| {
                    store.set_opinion(&u, &self.code, Some(value.trim()), None)?;
                    self.reload(env, store)
                });
                match result {
                    Ok(()) => env.info(Text::new("评审意见已保存", "opinion saved")),
                    Err(e) => env.store_error(&e),
                }
                Transition::Stay
            }
            InputPurpose::RecusalReason => recusal_confirm(env, &self.code, value),
            _ => Transition::Stay,
        }
    }

    pub fn on_confirm(
        &mut self,
        env: &mut Env,
        purpose: ConfirmPurpose,
        store: &mut Store,
    ) -> Transition {
        match purpose {
            ConfirmPurpose::Submit => {
                let result = user(env).and_then(|u| store.submit(&env.criteria, &u, &self.code));
                match result {
                    Ok(()) => {
                        let code = self.code.clone();
                        let t = self.back_to_list(env, store);
                        env.info(Text::new(
                            format!("评分表已提交：{code}"),
                            format!("sheet submitted: {code}"),
                        ));
                        t
                    }
                    Err(e) => {
                        env.store_error(&e);
                        Transition::Stay
                    }
                }
            }
            ConfirmPurpose::Recuse { reason } => {
                if recuse(env, store, &self.code, &reason) {
                    let message = env.message.clone();
                    let t = self.back_to_list(env, store);
                    env.message = message;
                    t
                } else {
                    Transition::Stay
                }
            }
            _ => Transition::Stay,
        }
    }
}

impl ScoringState {
    /// Back to the expert's list, reloaded, with the cursor and filter it had.
    fn back_to_list(&mut self, env: &mut Env, store: &Store) -> Transition {
        let list = match self.list.take() {
            Some(mut l) => l.reload(env, store).map(|()| *l),
            None => ExpertListState::load(env, store),
        };
        match list {
            Ok(s) => Transition::Goto(Screen::ExpertList(s)),
            Err(e) => {
                env.store_error(&e);
                Transition::Stay
            }
        }
    }
}

/// The most characters the points field takes.
const ENTRY_MAX: usize = 8;

/// The dossier pane (left) and the criterion with the sheet (right).
fn panes(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
}

pub fn view(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    if s.summary {
        summary(s, env, f, area);
        if let Some(e) = &s.opinion {
            opinion::view(e, &s.code, env, f, area);
        }
        return;
    }
    let [left, right] = panes(area);
    dossier(s, env, f, left);
    let [crit, sheet] = Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(right);
    criterion(s, env, f, crit);
    sheet_state(s, env, f, sheet);
    if let Some(e) = &s.opinion {
        opinion::view(e, &s.code, env, f, area);
    }
}

fn dossier(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let name = s.dossier.as_ref().map_or("", |d| d.applicant_name());
    let title = format!(
        " {} {} {} ",
        env.t("申报书", "Dossier"),
        s.code,
        clean(name)
    );
    let inner = Block::bordered().inner(area);
    let lines = dossier_view::lines(
        s.dossier.as_ref(),
        &s.raw,
        &env.criteria,
        &s.type_id,
        env.lang,
        inner.width as usize,
    );
    let max = lines.len().saturating_sub(inner.height as usize);
    s.max_scroll.set(max);
    s.pane.set((inner.width, inner.height));
    let first = s.scroll.min(max);
    let position = format!(
        " {} {}/{} ",
        env.t("行", "line"),
        (first + 1).min(lines.len()),
        lines.len()
    );
    let room = (area.width as usize).saturating_sub(4 + crate::tui::text::width(&position));
    let block = Block::bordered()
        .title(truncate(&title, room))
        .title_bottom(Line::from(position).right_aligned());
    f.render_widget(block, area);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

fn criterion(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let n = rubric.criteria.len();
    let title = format!(" {} {}/{n} ", env.t("评分项", "Criterion"), s.current + 1);
    let mut block = Block::bordered().title(title);
    if s.read_only() {
        // Short, so it fits beside the title in the right half at 80 columns.
        block = block.title(Line::styled(
            env.t(" 已提交 · 只读 ", " submitted "),
            theme::ok(),
        ));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(c) = rubric.criteria.get(s.current) else {
        return;
    };
    let w = inner.width as usize;
    let group = rubric
        .groups
        .iter()
        .find(|g| g.id == c.group)
        .map_or(c.group.as_str(), |g| env.t(&g.name_zh, &g.name_en));
    let stored = s.sheet.points(&c.id).map_or_else(
        || env.t("未评分", "not scored").to_string(),
        |p| format!("{}{}", env.t("已评：", "scored: "), points(p)),
    );
    let field_w = ENTRY_MAX;
    let (shown, cursor) = s.entry.visible(field_w, None);
    let label = env.t("分数：", "Points: ");
    let problem = s.problem(env, false);
    let field = if s.read_only() {
        Line::styled(
            format!(
                "{label}{}",
                env.t("（已提交，不能修改）", "(submitted, locked)")
            ),
            theme::dim(),
        )
    } else if problem.is_some() {
        Line::styled(format!("{label}[{}]", pad(&shown, field_w)), theme::error())
    } else {
        Line::from(format!("{label}[{}]", pad(&shown, field_w)))
    };
    let below = match &problem {
        Some(t) => Line::styled(truncate(env.lang.text(t), w), theme::error()),
        None => Line::from(""),
    };
    let mut lines = vec![
        Line::styled(truncate(&clean(group), w), theme::dim()),
        Line::styled(
            truncate(&clean(env.t(&c.name_zh, &c.name_en)), w),
            theme::header(),
        ),
        Line::from(truncate(
            &format!(
                "{} {} · {} {}",
                env.t("满分", "max"),
                points(c.max),
                env.t("步长", "step"),
                points(c.step)
            ),
            w,
        )),
        Line::from(truncate(&stored, w)),
        field,
        below,
    ];
    let guidance = wrap(&clean(env.t(&c.guidance_zh, &c.guidance_en)), w);
    let room = (inner.height as usize).saturating_sub(lines.len());
    // `[` and `]` page through guidance longer than the room left; the last page stays in view.
    let first = s.guidance_scroll.min(guidance.len().saturating_sub(room));
    let more_below = first + room < guidance.len();
    for (i, l) in guidance.into_iter().skip(first).take(room).enumerate() {
        let l = if more_below && i + 1 == room {
            truncate(&format!("{l}……"), w)
        } else {
            l
        };
        lines.push(Line::styled(l, Style::default()));
    }
    if (first > 0 || more_below) && problem.is_none() {
        lines[5] = Line::styled(
            truncate(
                env.t("（[ ] 翻阅评分说明）", "([ ] scroll the guidance)"),
                w,
            ),
            theme::dim(),
        );
    }
    f.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + crate::tui::text::width(label) as u16 + 1 + cursor as u16;
    let y = inner.y + 4;
    if !s.sheet.submitted && x < inner.right() && y < inner.bottom() {
        f.set_cursor_position((x, y));
    }
}

fn recommend_label(env: &Env, r: Option<bool>) -> &'static str {
    match r {
        Some(true) => env.t("推荐", "recommend"),
        Some(false) => env.t("不推荐", "do not recommend"),
        None => env.t("未选择", "not chosen"),
    }
}

fn sheet_state(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let scored = rubric
        .criteria
        .iter()
        .filter(|c| s.sheet.points(&c.id).is_some())
        .count();
    let opinion = if s.sheet.opinion.trim().is_empty() {
        env.t("未填写", "none")
    } else {
        env.t("已填写", "written")
    };
    let w = area.width.saturating_sub(2) as usize;
    let lines = vec![
        Line::from(truncate(
            &format!(
                "{} {scored}/{} · {} {}",
                env.t("已评", "scored"),
                rubric.criteria.len(),
                env.t("合计", "total"),
                points(s.sheet.total())
            ),
            w,
        )),
        Line::from(truncate(
            &format!(
                "{} {opinion} · {} {}{}",
                env.t("意见", "opinion"),
                env.t("推荐", "recommend"),
                recommend_label(env, s.sheet.recommend),
                if s.sheet.submitted {
                    env.t(" · 已提交", " · submitted")
                } else {
                    ""
                }
            ),
            w,
        )),
    ];
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(env.t(" 评分表 ", " Sheet "))),
        area,
    );
}

/// The sheet at a glance before submitting.
fn summary(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let title = format!(" {} {} ", env.t("评分汇总", "Summary"), s.code);
    let mut block = Block::bordered().title(title);
    if s.read_only() {
        block = block.title(Line::styled(
            env.t(" 已提交 · 只读 ", " submitted · read-only "),
            theme::ok(),
        ));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let name_w = w.saturating_sub(14).max(8);
    let mut lines: Vec<Line> = Vec::new();
    let subtotals = s.sheet.group_subtotals(rubric);
    for g in &rubric.groups {
        let max: f64 = rubric
            .criteria
            .iter()
            .filter(|c| c.group == g.id)
            .map(|c| c.max)
            .sum();
        let sub = subtotals
            .iter()
            .find(|(id, _)| *id == g.id)
            .map_or(0.0, |(_, p)| *p);
        lines.push(Line::styled(
            format!(
                "{}│{}",
                pad(&clean(env.t(&g.name_zh, &g.name_en)), name_w),
                pad_left(&format!("{}/{}", points(sub), points(max)), 12)
            ),
            theme::header(),
        ));
        for c in rubric.criteria.iter().filter(|c| c.group == g.id) {
            let p = s
                .sheet
                .points(&c.id)
                .map_or_else(|| "—".to_string(), points);
            let style = if s.sheet.points(&c.id).is_none() {
                theme::error()
            } else {
                Style::default()
            };
            lines.push(Line::styled(
                format!(
                    "{}│{}",
                    pad(
                        &format!("  {}", clean(env.t(&c.name_zh, &c.name_en))),
                        name_w
                    ),
                    pad_left(&format!("{p}/{}", points(c.max)), 12)
                ),
                style,
            ));
        }
    }
    lines.push(Line::styled(
        format!(
            "{}│{}",
            pad(env.t("合计", "Total"), name_w),
            pad_left(
                &format!("{}/{}", points(s.sheet.total()), points(rubric.total)),
                12
            )
        ),
        theme::header(),
    ));
    lines.push(Line::from(""));
    lines.push(Line::styled(
        env.t("评审意见：", "Opinion:").to_string(),
        theme::key(),
    ));
    if s.sheet.opinion.trim().is_empty() {
        lines.push(Line::styled(
            env.t("（未填写）", "(none)").to_string(),
            theme::error(),
        ));
    } else {
        // The opinion's own line breaks are kept (each line wrapped to the pane).
        for l in wrap(&crate::terminal_text::clean_lines(&s.sheet.opinion), w) {
            lines.push(Line::from(l));
        }
    }
    lines.push(Line::from(format!(
        "{}{}",
        env.t("是否推荐：", "Recommendation: "),
        recommend_label(env, s.sheet.recommend)
    )));
    let missing = s.sheet.missing(rubric);
    if s.sheet.submitted {
        lines.push(Line::styled(
            env.t("已提交", "Submitted").to_string(),
            theme::ok(),
        ));
    } else if missing.is_empty() {
        lines.push(Line::styled(
            env.t("可以提交：按 Enter", "Ready: press Enter to submit")
                .to_string(),
            theme::ok(),
        ));
    } else {
        for m in &missing {
            lines.push(Line::styled(
                truncate(env.lang.text(&m.text(rubric)), w),
                theme::error(),
            ));
        }
    }
    let max = lines.len().saturating_sub(inner.height as usize);
    let first = s.summary_scroll.min(max);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}
