//! The leaf of the TUI: the messages, the shared environment, what a screen asks for
//! (`Transition`) and what it asks the runtime to do (`Effect`). It imports nothing from
//! `app` or `screens`, so every screen can depend on it without a circle.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::access::User;
use crate::domain::expert::Expert;
use crate::domain::scoring::Sheet;
use crate::domain::selection::Constraints;
use crate::domain::{Criteria, Text};
use crate::service::generation::{Batch, Generation};
use crate::service::{PanelBand, PanelVote};
use crate::store::{AssignedDossier, AssignmentReport, Candidate, SelectedRound, StoreError};
use crate::validation::Report;
use jiff::civil::Date;
use std::path::PathBuf;

use ratatui::layout::{Constraint, Layout, Rect};

use super::lang::Lang;
use super::phase::Phase;
use super::popup::{ConfirmPurpose, Popup};
use super::text::{clean, truncate, wrap};

/// What happened: a key, pasted text, a new window size, a clock tick, the mouse, or the
/// result of an effect the runtime carried out.
#[derive(Debug, Clone)]
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
    /// Log in with an account name and password (answered by `Done::LoggedIn`).
    LogIn { name: String, password: String },
    /// Create the first ministry account on a database with none, as one audited step, and
    /// log in with it (answered by `Done::FirstAccount`).
    CreateFirstAccount { name: String, password: String },
    /// Show the logged-in user's home screen (after a login).
    GoHome,
    /// The official: read a stored dossier of the province to show it read-only (answered
    /// by `Done::DossierRead`).
    ReadDossier { code: String },
    /// The official: check a folder on disk with the national import's checks (answered by
    /// `Done::Rechecked`).
    Recheck { folder: String },
    /// The official: read a re-checked file to show it at a finding (answered by
    /// `Done::FileRead`).
    ReadFile { path: String },
    /// The dashboard: read the tab in front if it has not been read yet (a tab switch).
    ShowTab,
    /// The dashboard's clock tick: take what the background reads finished and, when another
    /// connection committed, read again what is shown (`ministry::refresh`).
    Refresh,
    /// The dashboard: carry out a step on the round the user confirmed (assign, swap,
    /// reopen, open the panel, a vote, seal, withdraw, start publicity, an objection, a
    /// decision, confirm), answered by `Done::Stepped`.
    RoundStep(ConfirmPurpose),
    /// The dashboard, after its own step: read the round again (the other tabs are dropped,
    /// the one in front read again in the reader's place).
    RoundChanged,
    /// The assignment tab: the roster (answered by `Done::Roster`).
    ReadRoster,
    /// The assignment tab's swap: every expert as a replacement for `out` on `dossier`, with
    /// the rule that keeps each ineligible one out (answered by `Done::SwapCandidates`).
    SwapCandidates { dossier: String, out: String },
    /// The selection tab: the proposed list under `constraints` (answered by
    /// `Done::Selected`).
    Select(Constraints),
    /// The documents tab: what `folder` already holds, before asking to write into it
    /// (answered by `Done::FolderListed`).
    ListFolder { folder: PathBuf },
    /// The documents tab: generate `batches` into `folder` as one audited step (`force`:
    /// overwrite a previous set), answered by `Done::DocumentsWritten`.
    GenerateDocuments {
        batches: Vec<Batch>,
        folder: PathBuf,
        force: bool,
    },
}

/// An expert's list as read from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRows {
    pub rows: Vec<AssignedDossier>,
    pub today: Date,
}

/// The result of an effect, fed back to the screen in front.
#[derive(Debug, Clone)]
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
    /// A login: the user, or why the store refused it.
    LoggedIn(Result<User, Text>),
    /// The first account created and logged in with (its name), or why not.
    FirstAccount {
        name: String,
        result: Result<User, Text>,
    },
    /// A stored dossier's bytes (`None`: no longer stored), or why it could not be read.
    DossierRead {
        code: String,
        result: Result<Option<Vec<u8>>, Text>,
    },
    /// A folder checked: the report, or why it could not be checked.
    Rechecked {
        folder: String,
        result: Result<Box<Report>, Text>,
    },
    /// A re-checked file's text, or why it could not be read.
    FileRead {
        path: String,
        result: Result<String, Text>,
    },
    /// A step on the round carried out (what it gave), or why it was refused.
    Stepped {
        purpose: ConfirmPurpose,
        result: Result<Box<Stepped>, Text>,
    },
    /// The roster, or why it could not be read.
    Roster(Result<Vec<Expert>, Text>),
    /// The replacements for `out` on `dossier`, or why they could not be read.
    SwapCandidates {
        dossier: String,
        out: String,
        result: Result<Vec<Candidate>, Text>,
    },
    /// The proposed list under `constraints`, or why it could not be computed.
    Selected {
        constraints: Constraints,
        result: Result<Box<SelectedRound>, Text>,
    },
    /// The entries `folder` holds (none when it does not exist).
    FolderListed { folder: PathBuf, names: Vec<String> },
    /// The documents written, or why not.
    DocumentsWritten {
        batches: Vec<Batch>,
        result: Result<Box<Generation>, Text>,
    },
}

/// What a step on the round gave, for the tab that asked.
#[derive(Debug, Clone)]
pub enum Stepped {
    /// The assignment ran: its report.
    Assigned(AssignmentReport),
    /// An expert swapped, a sheet reopened, an objection registered…: what to say.
    Said(Text),
    /// The panel meeting opened: its band, the day and who opened it.
    PanelOpened {
        band: PanelBand,
        on: String,
        by: String,
    },
    /// A vote recorded: the votes as stored afterwards (or why they could not be read).
    Voted(Result<Vec<PanelVote>, Text>),
    /// Sealing refused because score sheets are still open: the refusal (the tab asks for
    /// the reason to seal anyway).
    SheetsOpen(Text),
}

/// What an update may use besides the state: the effects it asks for. No screen reaches the
/// store: the runtime carries the effects out and feeds each result back as `Msg::Done`, so
/// an update test builds it with [`Cx::pure`] and needs no database.
#[derive(Debug, Default)]
pub struct Cx {
    pub effects: Vec<Effect>,
}

impl Cx {
    /// Nothing asked for yet.
    pub fn pure() -> Cx {
        Cx::default()
    }

    /// Ask the runtime for an effect.
    pub fn ask(&mut self, effect: Effect) {
        self.effects.push(effect);
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
