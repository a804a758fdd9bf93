//! The model and `update`: the Elm-style core of the TUI. The message types live in the leaf
//! module `core`; drawing is in `view`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEvent};

use crate::domain::{Criteria, Text};
use crate::store::Store;

use super::core::body_area;
use super::keymap::{self, Action, Context};
use super::lang::Lang;
use super::phase::phase;
use super::popup::{self, Popup};
use super::screens::login::LoginState;

pub use super::core::{Command, Env, Message, Msg, store_error_text};
use super::core::{Cx, Effect};
pub use super::runtime::update;
pub use super::screens::{Screen, Transition, home};

/// The whole model of the TUI.
#[derive(Debug, Clone)]
pub struct State {
    pub env: Env,
    pub screen: Screen,
    pub popup: Option<Popup>,
}

impl State {
    /// A new session at the login screen, Chinese by default.
    pub fn new(criteria: Criteria, lang: Lang, store: &Store) -> State {
        State {
            env: Env {
                lang,
                criteria,
                user: None,
                phase: phase(store),
                message: None,
                size: (80, 24),
                package: None,
            },
            screen: Screen::Login(LoginState::for_store(store)),
            popup: None,
        }
    }

    /// A session with `user` logged in, at their home screen (the login screen if it cannot
    /// be loaded, with the reason).
    pub fn logged_in(
        criteria: Criteria,
        lang: Lang,
        store: &Store,
        user: crate::domain::access::User,
    ) -> State {
        let mut state = State::new(criteria, lang, store);
        state.env.user = Some(user);
        match super::screens::home(&mut state.env, store) {
            Ok(screen) => state.screen = screen,
            Err(e) => {
                state.env.user = None;
                state.env.error(e.text());
            }
        }
        state
    }

    /// Where the keys go now.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Help { .. }) => return Context::Help,
            Some(Popup::Confirm { .. }) => return Context::Confirm,
            Some(Popup::Input { .. }) => return Context::TextPopup,
            None => {}
        }
        self.screen.component().context()
    }
}

/// Apply one message to the model and say which effects it asks for; the runtime
/// (`runtime::update`) carries them out. Pure: with `Cx::pure()` no database is needed.
pub fn step(state: &mut State, msg: Msg, cx: &mut Cx) -> Command {
    match msg {
        Msg::Key(ev) => on_key(state, ev, cx),
        Msg::Paste(text) => {
            on_paste(state, &text);
            Command::None
        }
        Msg::Resize(w, h) => {
            state.env.size = (w, h);
            Command::None
        }
        Msg::Mouse(ev) => on_mouse(state, ev, cx),
        Msg::Done(done) => {
            let t = state
                .screen
                .component_mut()
                .on_done(&mut state.env, done, cx);
            apply(state, t)
        }
        Msg::Tick => {
            // The dashboard's live refresh and its background ranking (`ministry::refresh`,
            // `ministry::ranking_job`).
            if let super::screens::Screen::Dashboard(_) = &state.screen {
                cx.ask(Effect::Refresh);
            }
            Command::None
        }
    }
}

fn on_paste(state: &mut State, text: &str) {
    if let Some(Popup::Input { input, .. }) = &mut state.popup {
        input.insert_str(text);
        return;
    }
    state.screen.component_mut().on_paste(&mut state.env, text);
}

/// The mouse: over a popup it does nothing (keys answer popups); otherwise the screen in front
/// hit-tests it against the layout it draws.
fn on_mouse(state: &mut State, ev: MouseEvent, cx: &mut Cx) -> Command {
    if state.popup.is_some() {
        return Command::None;
    }
    let body = body_area(&state.env);
    let t = state
        .screen
        .component_mut()
        .on_mouse(&mut state.env, ev, body, cx);
    apply(state, t)
}

fn on_key(state: &mut State, ev: KeyEvent, cx: &mut Cx) -> Command {
    if ev.kind == KeyEventKind::Release {
        return Command::None;
    }
    let ctx = state.context();
    let Some(action) = keymap::resolve(ctx, &ev) else {
        return Command::None;
    };
    let typed = match ev.code {
        KeyCode::Char(c) => Some(c),
        _ => None,
    };
    state.env.message = None;
    match action {
        // Ctrl-C leaves at once; `q` (and Esc on the login screen) asks first once someone is
        // logged in, so `q q` from a deep screen does not end a day's session by accident.
        Action::Quit
            if (ev.code == KeyCode::Char('c') && !state.screen.component().unsaved())
                || state.env.user.is_none() =>
        {
            return Command::Quit;
        }
        // Ctrl-C over unsaved work asks, like q, and says what would be lost.
        Action::Quit if ev.code == KeyCode::Char('c') => {
            state.popup = Some(Popup::Confirm {
                purpose: popup::ConfirmPurpose::Quit,
                question: Text::new(
                    "退出 shifan？正在输入的分数或评审意见尚未保存，退出将丢失。",
                    "Quit shifan? The points or opinion being typed are not saved and would be lost.",
                ),
            });
            return Command::None;
        }
        Action::Quit => {
            state.popup = Some(Popup::Confirm {
                purpose: popup::ConfirmPurpose::Quit,
                question: Text::new(
                    "退出 shifan？已保存的工作都在数据库中。",
                    "Quit shifan? Everything saved is in the database.",
                ),
            });
            return Command::None;
        }
        // Everything is saved step by step, so logging out loses nothing.
        Action::LogOut if state.popup.is_none() => {
            state.env.user = None;
            cx.ask(Effect::LogOut);
            state.env.info(Text::new(
                "已注销：可用其他账号登录",
                "logged out: log in with another account",
            ));
            return Command::None;
        }
        // A home screen has no level above it: say how to leave instead of doing nothing.
        Action::Back if state.popup.is_none() && keymap::TOP.contains(&ctx) => {
            state.env.info(Text::new(
                "已在首页：q 退出，Ctrl-C 立即退出",
                "this is the home screen: q quits, Ctrl-C quits at once",
            ));
            return Command::None;
        }
        Action::ToggleLang => {
            state.env.lang = state.env.lang.toggled();
            return Command::None;
        }
        Action::Help => {
            state.popup = Some(Popup::Help {
                under: ctx,
                scroll: 0,
            });
            return Command::None;
        }
        _ => {}
    }
    let transition = if let Some(p) = state.popup.take() {
        match popup::handle(p, action, typed) {
            popup::Outcome::Keep(p) => {
                state.popup = Some(p);
                Transition::Stay
            }
            popup::Outcome::Close => Transition::Stay,
            popup::Outcome::Input(purpose, value) => screen_input(state, purpose, &value, cx),
            popup::Outcome::Confirmed(purpose) => screen_confirm(state, purpose, cx),
        }
    } else {
        state
            .screen
            .component_mut()
            .on_action(&mut state.env, action, typed, cx)
    };
    apply(state, transition)
}

fn screen_input(
    state: &mut State,
    purpose: popup::InputPurpose,
    value: &str,
    cx: &mut Cx,
) -> Transition {
    state
        .screen
        .component_mut()
        .on_input(&mut state.env, purpose, value, cx)
}

fn screen_confirm(state: &mut State, purpose: popup::ConfirmPurpose, cx: &mut Cx) -> Transition {
    if purpose == popup::ConfirmPurpose::Quit {
        return Transition::Quit;
    }
    state
        .screen
        .component_mut()
        .on_confirm(&mut state.env, purpose, cx)
}

fn apply(state: &mut State, t: Transition) -> Command {
    match t {
        Transition::Stay => {}
        Transition::Goto(s) => state.screen = s,
        Transition::Open(p) => state.popup = Some(p),
        Transition::Quit => return Command::Quit,
    }
    Command::None
}
