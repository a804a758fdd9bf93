//! The model, the messages and `update`: the Elm-style core of the TUI. Drawing is in `view`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::domain::access::{Role, User};
use crate::domain::{Criteria, Text};
use crate::store::{Store, StoreError};

use super::keymap::{self, Action, Context};
use super::lang::Lang;
use super::phase::{Phase, phase};
use super::popup::{self, Popup};
use super::screens::dashboard::DashboardState;
use super::screens::expert_list::ExpertListState;
use super::screens::login::LoginState;
use super::screens::official::OfficialState;
use super::screens::scoring::ScoringState;

/// What happened: a key, pasted text, a new window size, or a clock tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick,
}

/// What the runner should do after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    None,
    Quit,
}

/// A one-line message under the screen (cleared by the next key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: Text,
    pub error: bool,
}

/// What every screen shares: language, round, who is logged in, the phase, the message line.
#[derive(Debug, Clone)]
pub struct Env {
    pub lang: Lang,
    pub criteria: Criteria,
    pub user: Option<User>,
    pub phase: Phase,
    pub message: Option<Message>,
}

impl Env {
    pub fn info(&mut self, text: Text) {
        self.message = Some(Message { text, error: false });
    }

    pub fn error(&mut self, text: Text) {
        self.message = Some(Message { text, error: true });
    }

    /// Report a store failure in the message line.
    pub fn store_error(&mut self, e: &StoreError) {
        self.error(store_error_text(e));
    }

    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
}

/// A store failure in both languages.
pub fn store_error_text(e: &StoreError) -> Text {
    e.text()
}

/// The screen in front.
#[derive(Debug, Clone)]
pub enum Screen {
    Login(LoginState),
    ExpertList(ExpertListState),
    Scoring(Box<ScoringState>),
    Official(Box<OfficialState>),
    Dashboard(Box<DashboardState>),
}

/// The whole model of the TUI.
#[derive(Debug, Clone)]
pub struct State {
    pub env: Env,
    pub screen: Screen,
    pub popup: Option<Popup>,
}

/// What a screen asks for after handling an action.
#[derive(Debug)]
pub enum Transition {
    Stay,
    Goto(Screen),
    Open(Popup),
    Quit,
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
            },
            screen: Screen::Login(LoginState::for_store(store)),
            popup: None,
        }
    }

    /// Where the keys go now.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Help { .. }) => return Context::Help,
            Some(Popup::Confirm { .. }) => return Context::Confirm,
            Some(Popup::Input { .. }) => return Context::TextPopup,
            None => {}
        }
        match &self.screen {
            Screen::Login(s) => s.context(),
            Screen::ExpertList(s) if s.list.filtering => Context::Filter,
            Screen::ExpertList(_) => Context::ExpertList,
            Screen::Scoring(s) if s.editing_opinion() => Context::OpinionEditor,
            Screen::Scoring(s) if s.read_only() && s.summary => Context::SummaryReadOnly,
            Screen::Scoring(s) if s.read_only() => Context::SheetReadOnly,
            Screen::Scoring(s) if s.summary => Context::Summary,
            Screen::Scoring(_) => Context::Scoring,
            Screen::Official(s) => s.context(),
            Screen::Dashboard(s) => s.context(),
        }
    }
}

/// The home screen of a logged-in user's role.
pub fn home(env: &mut Env, store: &Store) -> Result<Screen, StoreError> {
    let Some(user) = env.user.clone() else {
        return Ok(Screen::Login(LoginState::for_store(store)));
    };
    env.phase = phase(store);
    Ok(match &user.role {
        Role::Expert { .. } => Screen::ExpertList(ExpertListState::load(env, store)?),
        Role::Official { province_key } => {
            Screen::Official(Box::new(OfficialState::load(env, store, province_key)?))
        }
        Role::Ministry | Role::Clerk => {
            Screen::Dashboard(Box::new(DashboardState::load(env, store)?))
        }
    })
}

/// Apply one message to the model; database writes happen here, each in its own transaction.
pub fn update(state: &mut State, msg: Msg, store: &mut Store) -> Command {
    match msg {
        Msg::Key(ev) => on_key(state, ev, store),
        Msg::Paste(text) => {
            on_paste(state, &text);
            Command::None
        }
        Msg::Tick => {
            if let Screen::Dashboard(d) = &mut state.screen {
                d.tick(&mut state.env, store, std::time::Instant::now());
            }
            Command::None
        }
        Msg::Resize(..) => Command::None,
    }
}

fn on_paste(state: &mut State, text: &str) {
    if let Some(Popup::Input { input, .. }) = &mut state.popup {
        input.insert_str(text);
        return;
    }
    match &mut state.screen {
        Screen::Login(s) => s.focused().insert_str(text),
        Screen::ExpertList(s) if s.list.filtering => {
            s.list.query.insert_str(text);
            s.refilter(&state.env);
        }
        Screen::Dashboard(s) => s.paste(&state.env, text),
        Screen::Scoring(s) => s.paste(&mut state.env, text),
        Screen::Official(s) => s.paste(text, &state.env),
        _ => {}
    }
}

fn on_key(state: &mut State, ev: KeyEvent, store: &mut Store) -> Command {
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
        Action::Quit if ev.code == KeyCode::Char('c') || state.env.user.is_none() => {
            return Command::Quit;
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
            state.env.phase = phase(store);
            state.screen = Screen::Login(LoginState::for_store(store));
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
            popup::Outcome::Input(purpose, value) => screen_input(state, purpose, &value, store),
            popup::Outcome::Confirmed(purpose) => screen_confirm(state, purpose, store),
        }
    } else {
        let env = &mut state.env;
        match &mut state.screen {
            // The editing keys every field shares (Home, End, Ctrl-U, Ctrl-W).
            Screen::Login(s)
                if matches!(
                    action,
                    Action::CursorHome
                        | Action::CursorEnd
                        | Action::ClearToStart
                        | Action::DeleteWordBack
                ) =>
            {
                s.focused().edit(action, typed);
                Transition::Stay
            }
            Screen::Login(s) => s.handle(env, action, typed, store),
            Screen::ExpertList(s) => s.handle(env, action, typed, store),
            Screen::Scoring(s) => s.handle(env, action, typed, store),
            Screen::Official(s) => s.handle(env, action, typed, store),
            Screen::Dashboard(s) => s.handle(env, action, typed, store),
        }
    };
    apply(state, transition)
}

fn screen_input(
    state: &mut State,
    purpose: popup::InputPurpose,
    value: &str,
    store: &mut Store,
) -> Transition {
    let env = &mut state.env;
    match &mut state.screen {
        Screen::ExpertList(s) => s.on_input(env, purpose, value),
        Screen::Scoring(s) => s.on_input(env, purpose, value, store),
        Screen::Official(s) => s.on_input(env, purpose, value),
        Screen::Dashboard(s) => s.on_input(env, purpose, value, store),
        _ => Transition::Stay,
    }
}

fn screen_confirm(
    state: &mut State,
    purpose: popup::ConfirmPurpose,
    store: &mut Store,
) -> Transition {
    if purpose == popup::ConfirmPurpose::Quit {
        return Transition::Quit;
    }
    let env = &mut state.env;
    match &mut state.screen {
        Screen::ExpertList(s) => s.on_confirm(env, purpose, store),
        Screen::Scoring(s) => s.on_confirm(env, purpose, store),
        Screen::Dashboard(s) => s.on_confirm(env, purpose, store),
        _ => Transition::Stay,
    }
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
