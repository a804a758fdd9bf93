//! The runner: owns the terminal, turns terminal events into messages, and always gives the
//! terminal back (on quit, on error, and on panic through ratatui's hook), with the mouse
//! released.

use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;

use crate::domain::Criteria;
use crate::store::Store;

use super::app::{Command, Msg, State, update};
use super::error::TuiError;
use super::lang::Lang;
use super::view::view;

/// How often a tick is sent while no key comes.
const TICK: Duration = Duration::from_millis(250);
/// The tick while a background computation runs, so its result shows soon after it is ready.
const BUSY_TICK: Duration = Duration::from_millis(50);

/// Restores the terminal when dropped, so early returns and `?` leave it usable.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        release_mouse();
        ratatui::restore();
    }
}

/// Stop reporting mouse events (else the shell receives them as text after the TUI ends).
fn release_mouse() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
}

/// Why the TUI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Quit,
    /// The first-account form of an empty database asked for the demo round: the caller
    /// builds it (all or nothing, with the database closed) and starts the TUI again.
    LoadDemo,
}

/// Run the TUI on the current terminal until the user quits.
pub fn run(store: Store, criteria: Criteria, lang: Lang) -> Result<Ending, TuiError> {
    let state = State::new(criteria, lang, &store);
    run_state(store, state)
}

/// Run the TUI in a scoring package (named `package` in the status bar) with `user` logged in
/// already: the package was opened with its code.
pub fn run_as(
    store: Store,
    criteria: Criteria,
    lang: Lang,
    user: crate::domain::access::User,
    package: String,
) -> Result<Ending, TuiError> {
    let mut state = State::logged_in(criteria, lang, &store, user);
    state.env.package = Some(package);
    run_state(store, state)
}

fn run_state(mut store: Store, mut state: State) -> Result<Ending, TuiError> {
    // `try_init` enters raw mode and the alternate screen and installs a panic hook that
    // restores the terminal before the panic message is printed.
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    // ratatui's hook restores the screen on a panic; release the mouse before it.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        hook(info);
    }));
    execute!(std::io::stdout(), EnableMouseCapture)?;
    // The screens lay out panes (and hit-test clicks) from the size: send it first.
    let size = terminal.size()?;
    update(&mut state, Msg::Resize(size.width, size.height), &mut store);
    loop {
        terminal.draw(|f| view(&state, f))?;
        let busy = matches!(&state.screen, super::app::Screen::Dashboard(d) if d.ranking_busy());
        let msg = if event::poll(if busy { BUSY_TICK } else { TICK })? {
            match event::read()? {
                Event::Key(k) => Msg::Key(k),
                Event::Paste(s) => Msg::Paste(s),
                Event::Resize(w, h) => Msg::Resize(w, h),
                Event::Mouse(m) => Msg::Mouse(m),
                _ => continue,
            }
        } else {
            Msg::Tick
        };
        if update(&mut state, msg, &mut store) == Command::Quit {
            return Ok(match &state.screen {
                super::app::Screen::Login(l) if l.demo_requested() => Ending::LoadDemo,
                _ => Ending::Quit,
            });
        }
    }
}
