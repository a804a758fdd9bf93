//! The one trait every screen implements, so `app` dispatches keys, popup answers, pastes,
//! the mouse and drawing once (`state.screen.component_mut().on_action(..)`), not once per
//! screen and per kind of message.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;

use crate::tui::core::{Cx, Done, Env};
use crate::tui::keymap::{Action, Context};
use crate::tui::popup::{ConfirmPurpose, InputPurpose};

use super::dashboard::DashboardState;
use super::expert_list::ExpertListState;
use super::login::LoginState;
use super::official::OfficialState;
use super::scoring::ScoringState;
use super::{Screen, Transition};

/// A screen: where its keys go, how it answers each message, and how it is drawn.
///
/// `body` in `on_mouse` and `area` in `view` are the same rectangle (the screen's part of the
/// window, from `core::body_area`), so a screen can hit-test a click with the layout it draws.
pub trait Component {
    /// The key-map context of the screen (which keys mean what, the footer, the help).
    fn context(&self) -> Context;

    /// A key resolved to an action (`typed` is the character for `Action::Type`).
    fn on_action(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition;

    /// The text typed into a popup the screen opened.
    fn on_input(
        &mut self,
        _env: &mut Env,
        _purpose: InputPurpose,
        _value: &str,
        _cx: &mut Cx,
    ) -> Transition {
        Transition::Stay
    }

    /// A confirmation the screen asked for was answered `y`.
    fn on_confirm(&mut self, _env: &mut Env, _purpose: ConfirmPurpose, _cx: &mut Cx) -> Transition {
        Transition::Stay
    }

    /// Pasted text, into the focused field (line breaks kept where the field is multi-line).
    fn on_paste(&mut self, _env: &mut Env, _text: &str) {}

    /// A mouse event; `body` is where the screen is drawn.
    fn on_mouse(
        &mut self,
        _env: &mut Env,
        _ev: MouseEvent,
        _body: Rect,
        _cx: &mut Cx,
    ) -> Transition {
        Transition::Stay
    }

    /// The result of an effect the screen asked for.
    fn on_done(&mut self, _env: &mut Env, _done: Done, _cx: &mut Cx) -> Transition {
        Transition::Stay
    }

    /// Draw the screen into `area`; pure (nothing is written to the state).
    fn view(&self, env: &Env, f: &mut Frame, area: Rect);

    /// Work typed but not saved (an opinion being edited, points not yet entered): Ctrl-C asks
    /// before quitting instead of leaving at once.
    fn unsaved(&self) -> bool {
        false
    }
}

impl Screen {
    /// The screen in front as a component.
    pub fn component(&self) -> &dyn Component {
        match self {
            Screen::Login(s) => s,
            Screen::ExpertList(s) => s,
            Screen::Scoring(s) => s.as_ref(),
            Screen::Official(s) => s.as_ref(),
            Screen::Dashboard(s) => s.as_ref(),
        }
    }

    pub fn component_mut(&mut self) -> &mut dyn Component {
        match self {
            Screen::Login(s) => s,
            Screen::ExpertList(s) => s,
            Screen::Scoring(s) => s.as_mut(),
            Screen::Official(s) => s.as_mut(),
            Screen::Dashboard(s) => s.as_mut(),
        }
    }
}

impl Component for LoginState {
    fn context(&self) -> Context {
        LoginState::context(self)
    }

    fn on_action(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        // The editing keys every field shares (Home, End, Ctrl-U, Ctrl-W).
        if matches!(
            action,
            Action::CursorHome | Action::CursorEnd | Action::ClearToStart | Action::DeleteWordBack
        ) {
            self.focused().edit(action, typed);
            return Transition::Stay;
        }
        self.handle(env, action, typed, cx)
    }

    fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        LoginState::on_done(self, env, done, cx)
    }

    fn on_paste(&mut self, _env: &mut Env, text: &str) {
        self.focused().insert_str(text);
    }

    fn view(&self, env: &Env, f: &mut Frame, area: Rect) {
        super::login::view(self, env, f, area);
    }
}

impl Component for ExpertListState {
    fn context(&self) -> Context {
        if self.list.filtering {
            Context::Filter
        } else {
            Context::ExpertList
        }
    }

    fn on_action(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        self.handle(env, action, typed, cx)
    }

    fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        _cx: &mut Cx,
    ) -> Transition {
        ExpertListState::on_input(self, env, purpose, value)
    }

    fn on_confirm(&mut self, env: &mut Env, purpose: ConfirmPurpose, cx: &mut Cx) -> Transition {
        ExpertListState::on_confirm(self, env, purpose, cx)
    }

    fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        ExpertListState::on_done(self, env, done, cx)
    }

    fn on_paste(&mut self, env: &mut Env, text: &str) {
        if self.list.filtering {
            self.list.query.insert_str(text);
            self.refilter(env);
        }
    }

    fn on_mouse(&mut self, env: &mut Env, ev: MouseEvent, body: Rect, cx: &mut Cx) -> Transition {
        ExpertListState::on_mouse(self, env, ev, body, cx)
    }

    fn view(&self, env: &Env, f: &mut Frame, area: Rect) {
        super::expert_list::view(self, env, f, area);
    }
}

impl Component for ScoringState {
    fn context(&self) -> Context {
        if self.editing_opinion() {
            Context::OpinionEditor
        } else if self.read_only() && self.summary {
            Context::SummaryReadOnly
        } else if self.read_only() {
            Context::SheetReadOnly
        } else if self.summary {
            Context::Summary
        } else {
            Context::Scoring
        }
    }

    fn on_action(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        self.handle(env, action, typed, cx)
    }

    fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        cx: &mut Cx,
    ) -> Transition {
        ScoringState::on_input(self, env, purpose, value, cx)
    }

    fn on_confirm(&mut self, _env: &mut Env, purpose: ConfirmPurpose, cx: &mut Cx) -> Transition {
        ScoringState::on_confirm(self, purpose, cx)
    }

    fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        ScoringState::on_done(self, env, done, cx)
    }

    fn on_paste(&mut self, env: &mut Env, text: &str) {
        self.paste(env, text);
    }

    fn on_mouse(&mut self, env: &mut Env, ev: MouseEvent, body: Rect, _cx: &mut Cx) -> Transition {
        ScoringState::on_mouse(self, env, ev, body)
    }

    fn view(&self, env: &Env, f: &mut Frame, area: Rect) {
        super::scoring::view(self, env, f, area);
    }

    fn unsaved(&self) -> bool {
        self.opinion.as_ref().is_some_and(|e| e.changed()) || !self.entry.value().trim().is_empty()
    }
}

impl Component for OfficialState {
    fn context(&self) -> Context {
        OfficialState::context(self)
    }

    fn on_action(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        self.handle(env, action, typed, cx)
    }

    fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        cx: &mut Cx,
    ) -> Transition {
        OfficialState::on_input(self, env, purpose, value, cx)
    }

    fn on_done(&mut self, env: &mut Env, done: Done, _cx: &mut Cx) -> Transition {
        OfficialState::on_done(self, env, done)
    }

    fn on_paste(&mut self, env: &mut Env, text: &str) {
        self.paste(text, env);
    }

    fn on_mouse(&mut self, env: &mut Env, ev: MouseEvent, body: Rect, _cx: &mut Cx) -> Transition {
        OfficialState::on_mouse(self, env, ev, body)
    }

    fn view(&self, env: &Env, f: &mut Frame, area: Rect) {
        super::official::view(self, env, f, area);
    }
}

impl Component for DashboardState {
    fn context(&self) -> Context {
        DashboardState::context(self)
    }

    fn on_action(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        self.handle(env, action, typed, cx)
    }

    fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        cx: &mut Cx,
    ) -> Transition {
        DashboardState::on_input(self, env, purpose, value, cx)
    }

    fn on_confirm(&mut self, env: &mut Env, purpose: ConfirmPurpose, cx: &mut Cx) -> Transition {
        DashboardState::on_confirm(self, env, purpose, cx)
    }

    fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        DashboardState::on_done(self, env, done, cx)
    }

    fn on_paste(&mut self, env: &mut Env, text: &str) {
        self.paste(env, text);
    }

    fn on_mouse(&mut self, env: &mut Env, ev: MouseEvent, body: Rect, cx: &mut Cx) -> Transition {
        DashboardState::on_mouse(self, env, ev, body, cx)
    }

    fn view(&self, env: &Env, f: &mut Frame, area: Rect) {
        super::dashboard::view(self, env, f, area);
    }
}
