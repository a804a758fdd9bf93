//! The sheet's update: keys, popup answers, paste and mouse. Pure: every write is asked of
//! the runtime as an `Effect` (save points, opinion, recommendation, submit, recuse) and its
//! result comes back through `on_done` (`done.rs`).

use crate::tui::list::{WHEEL, inside};
use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::domain::Text;
use crate::domain::scoring::check_entry;

use crate::tui::core::{Cx, Effect, Env};
use crate::tui::input::LineInput;
use crate::tui::keymap::Action;
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::{clean, points};

use super::view::{ENTRY_MAX, panes};
use super::*;
use crate::tui::screens::expert_list::{locked_text, recusal_confirm};
use crate::tui::screens::opinion::{self, OpinionEditor};

/// What became of the typed points when leaving their field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Commit {
    /// Nothing to save (an empty field, or the points already stored): go on at once.
    Nothing,
    /// Asked of the runtime (`Effect::SaveScore`): go on when `Done::ScoreSaved` says stored.
    Asked,
    /// Refused on the spot; the reason is in the message line and the field keeps its text.
    Refused,
}

impl ScoringState {
    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        if let Some(editor) = &mut self.opinion {
            match editor.handle(env, action, typed) {
                opinion::Outcome::Stay => {}
                opinion::Outcome::Close => self.opinion = None,
                opinion::Outcome::Save(text) => self.set_opinion(cx, Some(text), None),
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
            Action::SaveScore => self.save(env, cx),
            Action::GuidanceDown => self.guidance_scroll += 3,
            Action::GuidanceUp => self.guidance_scroll = self.guidance_scroll.saturating_sub(3),
            Action::NextCriterion if self.summary => self.summary_scroll += 1,
            Action::PrevCriterion if self.summary => {
                self.summary_scroll = self.summary_scroll.saturating_sub(1);
            }
            Action::NextCriterion => self.leave(env, cx, AfterSave::Go(self.current + 1)),
            Action::PrevCriterion => {
                self.leave(env, cx, AfterSave::Go(self.current.saturating_sub(1)));
            }
            Action::PageDown | Action::Down if !self.summary => {
                self.scroll = (self.scroll + self.page(env)).min(self.max_scroll(env));
            }
            Action::PageUp | Action::Up if !self.summary => {
                self.scroll = self.scroll.saturating_sub(self.page(env));
            }
            Action::Down => self.summary_scroll += 1,
            Action::Up => self.summary_scroll = self.summary_scroll.saturating_sub(1),
            Action::PageDown => self.summary_scroll += 10,
            Action::PageUp => self.summary_scroll = self.summary_scroll.saturating_sub(10),
            Action::Opinion if self.sheet.submitted => env.error(locked_text()),
            Action::Opinion => self.opinion = Some(OpinionEditor::new(&self.sheet.opinion)),
            Action::Recommend => self.recommend(env, cx, true),
            Action::NotRecommend => self.recommend(env, cx, false),
            Action::Summary => self.leave(env, cx, AfterSave::Summary),
            Action::Submit => return self.ask_submit(env),
            Action::Recuse if self.sheet.submitted => env.error(locked_text()),
            Action::Recuse => {
                return Transition::Open(Popup::Input {
                    purpose: InputPurpose::RecusalReason,
                    input: LineInput::default(),
                });
            }
            Action::Back if self.summary => self.summary = false,
            Action::Back => self.leave(env, cx, AfterSave::List),
            _ => {}
        }
        Transition::Stay
    }

    pub(super) fn go(&mut self, env: &Env, to: usize) {
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

    /// Leave the field (↓, ↑, Tab, `s`, Esc): typed points are asked to be saved first when
    /// valid and `then` happens once they are stored; refused points keep the expert on the
    /// field with the reason (nothing typed is dropped).
    pub(super) fn leave(&mut self, env: &mut Env, cx: &mut Cx, then: AfterSave) {
        match self.commit(env, cx) {
            Commit::Nothing => self.then(env, cx, then),
            Commit::Asked => self.after_save = Some(then),
            Commit::Refused => {}
        }
    }

    /// Go on after leaving a field (its points saved, or none to save). The message line is
    /// kept ("saved: …" stays under the next criterion).
    pub(super) fn then(&mut self, env: &mut Env, cx: &mut Cx, then: AfterSave) {
        match then {
            AfterSave::Go(to) => {
                let message = env.message.clone();
                self.go(env, to);
                env.message = message;
            }
            AfterSave::Summary => {
                self.summary = true;
                self.summary_scroll = 0;
            }
            AfterSave::List => cx.ask(Effect::ReloadList),
            AfterSave::Advance => self.advance(env),
        }
    }

    /// Why the typed points are refused, if they are (while typing).
    pub(super) fn problem(&self, env: &Env, done: bool) -> Option<Text> {
        self.criterion(env)
            .and_then(|c| entry_problem(c, self.entry.value(), done))
    }

    /// Say at once what is wrong with the field as it now reads.
    pub(super) fn recheck(&self, env: &mut Env) {
        if let Some(t) = self.problem(env, false) {
            env.error(t);
        }
    }

    /// Take a typed character of the points. The field keeps what was typed; what can no
    /// longer be valid (above the maximum, off the step) is refused on the spot, by name.
    pub(super) fn type_char(&mut self, env: &mut Env, c: char) {
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

    /// Ask to save the typed points, if any (see [`Commit`]). What the rubric refuses is
    /// refused here, by name, before anything reaches the store.
    pub(super) fn commit(&mut self, env: &mut Env, cx: &mut Cx) -> Commit {
        let typed = self.entry.value().trim().to_string();
        if typed.is_empty() || self.read_only() {
            return Commit::Nothing;
        }
        let Some(crit) = self.criterion(env).cloned() else {
            return Commit::Nothing;
        };
        if let Some(t) = entry_problem(&crit, &typed, true) {
            env.error(t);
            return Commit::Refused;
        }
        let Ok(v) = typed.parse::<f64>() else {
            return Commit::Refused;
        };
        if self.sheet.points(&crit.id) == Some(v) {
            self.entry.clear();
            return Commit::Nothing;
        }
        if let Err(e) = check_entry(&env.criteria.rubric, &crit.id, v) {
            env.error(e.text());
            return Commit::Refused;
        }
        cx.ask(Effect::SaveScore {
            code: self.code.clone(),
            criterion: crit.id.clone(),
            points: v,
        });
        Commit::Asked
    }

    /// Enter: save the typed points and go to the next criterion.
    pub(super) fn save(&mut self, env: &mut Env, cx: &mut Cx) {
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
        self.leave(env, cx, AfterSave::Advance);
    }

    /// After Enter saved the current criterion's points: the next criterion (or the first
    /// unscored one after the last), saying what was saved and whether all are scored.
    pub(super) fn advance(&mut self, env: &mut Env) {
        let Some(crit) = self.criterion(env).cloned() else {
            return;
        };
        let v = self.sheet.points(&crit.id).unwrap_or_default();
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
        let saved = saved_text(&crit, v);
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

    pub(super) fn recommend(&mut self, env: &mut Env, cx: &mut Cx, yes: bool) {
        if self.sheet.submitted {
            env.error(locked_text());
            return;
        }
        self.set_opinion(cx, None, Some(yes));
    }

    /// Ask to write the opinion and/or the recommendation (answered in `on_done`).
    pub(super) fn set_opinion(
        &mut self,
        cx: &mut Cx,
        opinion: Option<String>,
        recommend: Option<bool>,
    ) {
        cx.ask(Effect::SetOpinion {
            code: self.code.clone(),
            opinion,
            recommend,
        });
    }

    pub(super) fn ask_submit(&mut self, env: &mut Env) -> Transition {
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
    pub fn on_mouse(&mut self, env: &mut Env, ev: MouseEvent, body: Rect) -> Transition {
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
                (self.scroll + WHEEL).min(self.max_scroll(env))
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

    pub fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        cx: &mut Cx,
    ) -> Transition {
        match purpose {
            InputPurpose::Opinion => {
                self.set_opinion(cx, Some(value.trim().to_string()), None);
                Transition::Stay
            }
            InputPurpose::RecusalReason => recusal_confirm(env, &self.code, value),
            _ => Transition::Stay,
        }
    }

    /// `y` on a confirmation: submitting or recusing is asked of the runtime.
    pub fn on_confirm(&mut self, purpose: ConfirmPurpose, cx: &mut Cx) -> Transition {
        let code = self.code.clone();
        match purpose {
            ConfirmPurpose::Submit => cx.ask(Effect::Submit { code }),
            ConfirmPurpose::Recuse { reason } => cx.ask(Effect::Recuse { code, reason }),
            _ => {}
        }
        Transition::Stay
    }
}

/// "saved: criterion = points" in both languages.
pub(super) fn saved_text(crit: &crate::domain::rubric::Criterion, v: f64) -> Text {
    Text::new(
        format!("已保存：{} = {}", crit.name_zh, points(v)),
        format!("saved: {} = {}", crit.name_en, points(v)),
    )
}
