//! The terminal interface (ratatui), Elm-style: a `State`, `update(&mut State, Msg, &mut Store)`
//! that returns a `Command`, and `view(&State, &mut Frame)`, a pure drawing of the state.
//! Keys go through one key map (`keymap`), from which the footer and the help popup are built.
//! The domain knows nothing of this module.

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

pub use app::{Command, Msg, Screen, State, update};
pub use error::TuiError;
pub use lang::Lang;
pub use run::{Ending, run};
pub use view::view;
