//! The terminal interface (ratatui), Elm-style. The domain knows nothing of this module.
//!
//! # How the TUI is put together
//!
//! - `core` (a leaf: imports nothing from `app`, `screens`, `view` or `run`): `Msg` (Key,
//!   Paste, Resize, Tick, Mouse, Done), `Command`, `Message`, `Env` (language, criteria, user,
//!   phase, message line, terminal `size`), `Transition<S>`, `Effect` (what a screen asks the
//!   runtime to do), `Done` (its result, fed back as `Msg::Done`) and `Cx` (the effects asked
//!   for; no screen reaches the store).
//! - `screens/mod.rs`: the `Screen` enum, `home()` and `type Transition =
//!   core::Transition<Screen>`. `screens/component.rs`: the one `Component` trait (context,
//!   on_action, on_input, on_confirm, on_paste, on_mouse, on_done, view) that every screen
//!   implements; `Screen::component()` / `component_mut()` give the screen in front.
//! - `app`: `State` and `step(state, msg, cx)`, which handles the global keys (quit, log out,
//!   language, help, popups) and dispatches everything else once through the trait.
//! - `runtime::update(state, msg, store)`: calls `step`, carries out the effects against the
//!   store (`runtime/session.rs` the login's and the official's, `runtime/round.rs` the
//!   dashboard's) and feeds each `Done` back. `run` owns the terminal (mouse capture on, released on
//!   exit and on panic) and sends a `Resize` before the first frame.
//! - `view`: draws the state; pure. `core::body_area(env)` is the rectangle a screen is drawn
//!   into, so `on_mouse` can hit-test with the same layout functions its view uses.
//! - `list::FilteredList`: cursor, `/` filter, paging, mouse (wheel moves the cursor, a click
//!   selects a row; `click(pos)` for rows of several lines, as the documents tab's) for every
//!   list; `list::wheel` scrolls a pane that is read, not chosen from; `list::tab_at`
//!   hit-tests tab titles.
//!
//! # Writing a screen (e.g. a new tab under `screens/ministry/`)
//!
//! 1. A file with the screen's state struct; import `crate::tui::core::{Cx, Env, ..}` and
//!    `crate::tui::screens::Transition`, never `crate::tui::app` (`tests/layers.rs` checks).
//! 2. Key handling takes an `Action` from the key map (`keymap/`: add the context in
//!    `keymap/mod.rs` and its bindings in the group file of its screen; the footer and the help come from it; keep README's key tables in step).
//! 3. Instead of writing to the store in the handler, ask: `cx.ask(Effect::..)`, add the
//!    effect to `core::Effect`, carry it out in `runtime::carry_out` and answer the
//!    `Done` in `on_done`. Then its tests run with `Cx::pure()` and no database
//!    (`tests/tui_steps.rs`, `tests/tui_steps_roles.rs`).
//! 4. Split the layout into small functions (`fn areas(area) -> [Rect; N]`) used by both the
//!    view and `on_mouse`; call `list.on_mouse(&ev, table)` for each list.
//! 5. Implement `Component` for it (or dispatch to it from its parent, as the dashboard does
//!    for its tabs) and add it to `Screen` if it is a screen of its own.
//!
//! Every screen is pure: login (and the first account), the official's screen, the dashboard
//! with its tabs (a tab's first reading, the live refresh and every step on the round are
//! effects), the expert's list and the scoring sheet (`scoring/done.rs` answers its own).
//! What a tab reads from the store lives in its `load` (and `ministry/reading.rs`), called
//! only by the runtime.

pub mod app;
pub mod core;
pub mod error;
pub mod input;
pub mod keymap;
pub mod labels;
pub mod lang;
pub mod list;
pub mod phase;
pub mod popup;
pub mod run;
pub mod runtime;
pub mod screens;
pub mod testing;
pub mod text;
pub mod textarea;
pub mod theme;
pub mod view;

pub use app::{Command, Msg, Screen, State, step, update};
pub use error::TuiError;
pub use lang::Lang;
pub use run::{Ending, run, run_as};
pub use view::view;
