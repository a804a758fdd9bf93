//! The sheet's update: keys, popup answers, paste and mouse; saves go to the store.

use crate::tui::list::{WHEEL, inside};
use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::domain::Text;
use crate::domain::scoring::check_entry;
use crate::store::Store;

use crate::tui::core::Env;
use crate::tui::input::LineInput;
use crate::tui::keymap::Action;
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::{Screen, Transition};
use crate::tui::text::{clean, points};

use super::view::{ENTRY_MAX, panes};
use super::*;
use crate::tui::screens::expert_list::{ExpertListState, locked_text, recusal_confirm, recuse};
use crate::tui::screens::opinion::{self, OpinionEditor};

impl ScoringState {
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

    /// Leave the field for criterion `to` (↓, ↑, Tab): typed points are saved first when valid;
    /// when not, the expert stays on the field with the reason (nothing typed is dropped).
    pub(super) fn leave(&mut self, env: &mut Env, store: &mut Store, to: usize) {
        if self.commit(env, store).is_ok() {
            let message = env.message.clone();
            self.go(env, to);
            env.message = message;
        }
    }

    /// The summary, once the typed points are saved (or with the reason they are not).
    pub(super) fn open_summary(&mut self, env: &mut Env, store: &mut Store) {
        if self.commit(env, store).is_ok() {
            self.summary = true;
            self.summary_scroll = 0;
        }
    }

    /// Back to the list (Esc, q), once the typed points are saved; refused points keep the
    /// expert on the field with the reason.
    pub(super) fn leave_sheet(&mut self, env: &mut Env, store: &mut Store) -> Transition {
        match self.commit(env, store) {
            Ok(_) => self.back_to_list(env, store),
            Err(()) => Transition::Stay,
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

    /// Save the typed points, if any: `Ok(Some(points))` when saved, `Ok(None)` when the field
    /// is empty (or holds what is stored), `Err(())` when refused (the reason is in the message
    /// line and the field keeps its text).
    pub(super) fn commit(&mut self, env: &mut Env, store: &mut Store) -> Result<Option<f64>, ()> {
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

    pub(super) fn save(&mut self, env: &mut Env, store: &mut Store) {
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

    pub(super) fn recommend(&mut self, env: &mut Env, store: &mut Store, yes: bool) {
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

    /// Store the edited opinion (one step, audited) and close the editor; on a refusal the
    /// editor stays open with the reason, so nothing typed is lost.
    pub(super) fn save_opinion(&mut self, env: &mut Env, store: &mut Store, text: &str) {
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
    pub(super) fn back_to_list(&mut self, env: &mut Env, store: &Store) -> Transition {
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
