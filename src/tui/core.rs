//! The leaf of the TUI: the messages, the shared environment, what a screen asks for
//! (`Transition`) and what it asks the runtime to do (`Effect`). It imports nothing from
//! `app` or `screens`, so every screen can depend on it without a circle.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::access::User;
use crate::domain::scoring::Sheet;
use crate::domain::{Criteria, Text};
use crate::store::{AssignedDossier, Store, StoreError};
use jiff::civil::Date;

use ratatui::layout::{Constraint, Layout, Rect};

use super::lang::Lang;
use super::phase::Phase;
use super::popup::Popup;
use super::text::{clean, truncate, wrap};

/// What happened: a key, pasted text, a new window size, a clock tick, the mouse, or the
/// result of an effect the runtime carried out.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick,
    Mouse(MouseEvent),
    Done(Done),
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

/// What every screen shares: language, round, who is logged in, the phase, the message line
/// and the terminal's size (columns, rows; the runner sends a `Resize` before the first frame).
#[derive(Debug, Clone)]
pub struct Env {
    pub lang: Lang,
    pub criteria: Criteria,
    pub user: Option<User>,
    pub phase: Phase,
    pub message: Option<Message>,
    pub size: (u16, u16),
    /// The scoring package being worked in (its file name), when not on the round's database.
    pub package: Option<String>,
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

/// What a screen asks for after handling a message; `S` is the screen type
/// (`screens::Transition` fixes it to `screens::Screen`).
#[derive(Debug)]
pub enum Transition<S> {
    Stay,
    Goto(S),
    Open(Popup),
    Quit,
}

/// What a screen asks the runtime to do. The runtime (`tui::runtime`) carries it out against
/// the store and feeds the result back as `Msg::Done`, so a screen's update needs no database.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Recuse the logged-in expert from a dossier, with a reason.
    Recuse { code: String, reason: String },
    /// Read the logged-in expert's list again (answered by `Done::ListLoaded`).
    ReloadList,
    /// Open a dossier's calculation sheet from the expert's list (the list goes with it, so
    /// the sheet goes back to it with the cursor where it was).
    OpenSheet { code: String },
    /// Back to the login screen (the user is already cleared).
    LogOut,
    /// Enter `points` for `criterion` on the logged-in expert's sheet for `code` (one audited
    /// step), then read the sheet again (answered by `Done::ScoreSaved`).
    SaveScore {
        code: String,
        criterion: String,
        points: f64,
    },
    /// Write the opinion and/or the recommendation on the expert's sheet, then read the sheet
    /// again (answered by `Done::OpinionSet`).
    SetOpinion {
        code: String,
        opinion: Option<String>,
        recommend: Option<bool>,
    },
    /// Submit and lock the expert's sheet (answered by `Done::Submitted`).
    Submit { code: String },
}

/// An expert's list as read from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRows {
    pub rows: Vec<AssignedDossier>,
    pub today: Date,
}

/// The result of an effect, fed back to the screen in front.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    /// A recusal: the expert who took the place (if anyone), or why it failed.
    Recused {
        code: String,
        result: Result<Option<String>, Text>,
    },
    /// The expert's list, or why it could not be read.
    ListLoaded(Result<ListRows, Text>),
    /// Points entered: the sheet as stored afterwards, or why the store refused them.
    ScoreSaved {
        code: String,
        criterion: String,
        points: f64,
        result: Result<Sheet, Text>,
    },
    /// The opinion and/or the recommendation written (the sheet afterwards), or why not.
    OpinionSet {
        code: String,
        opinion: Option<String>,
        recommend: Option<bool>,
        result: Result<Sheet, Text>,
    },
    /// A sheet submitted, or why it was refused.
    Submitted {
        code: String,
        result: Result<(), Text>,
    },
}

/// What an update may use besides the state: the effects it asks for and, for the screens not
/// yet pure (login, official, dashboard), the store itself (`with_store`, a bridge).
/// Pure tests build it with [`Cx::pure`]: a screen that still reaches for the store then does
/// nothing.
pub struct Cx<'a> {
    store: Option<&'a mut Store>,
    pub effects: Vec<Effect>,
}

impl<'a> Cx<'a> {
    pub fn new(store: Option<&'a mut Store>) -> Self {
        Cx {
            store,
            effects: Vec::new(),
        }
    }

    /// No store: only effects.
    pub fn pure() -> Cx<'static> {
        Cx {
            store: None,
            effects: Vec::new(),
        }
    }

    /// Ask the runtime for an effect.
    pub fn ask(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// The store, for a screen that still writes it inside its update.
    pub fn store(&mut self) -> Option<&mut Store> {
        self.store.as_deref_mut()
    }

    /// Run `f` with the store, for a screen not yet pure; without one (a pure test) nothing
    /// happens and the screen stays.
    pub fn with_store<S>(&mut self, f: impl FnOnce(&mut Store) -> Transition<S>) -> Transition<S> {
        self.store().map_or(Transition::Stay, f)
    }
}

/// The rows and columns the screen in front is drawn into, for a window of `env.size`: below
/// the status bar, above the message line and the key hints. The mouse handlers hit-test
/// against it, so it is the same rectangle `view` draws the screen into.
pub fn body_area(env: &Env) -> Rect {
    let area = Rect::new(0, 0, env.size.0, env.size.1);
    layout(env, area).0[1]
}

/// Status bar, body, message lines and footer for a window `area`, and the message's lines.
/// A long message (a refusal with its reason and what to do) takes up to three lines rather
/// than being cut at the window's edge; the last one is cut with an ellipsis if still longer.
pub fn layout(env: &Env, area: Rect) -> ([Rect; 4], Vec<String>) {
    let message_lines = env.message.as_ref().map_or(Vec::new(), |m| {
        message_lines(&clean(env.lang.text(&m.text)), area.width as usize)
    });
    let areas: [Rect; 4] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message_lines.len().max(1) as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    (areas, message_lines)
}

/// The message wrapped to the window's width, at most [`MESSAGE_LINES`] lines.
fn message_lines(text: &str, w: usize) -> Vec<String> {
    let mut lines = wrap(text, w);
    if lines.len() > MESSAGE_LINES {
        let rest = lines[MESSAGE_LINES - 1..].join(" ");
        lines.truncate(MESSAGE_LINES - 1);
        lines.push(truncate(&rest, w));
    }
    lines
}

/// The most lines a message takes above the key hints.
const MESSAGE_LINES: usize = 3;
