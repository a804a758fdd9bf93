//! The scoring walkthrough: the dossier on the left, the current criterion on the right.
//! Every entry is saved at once, so quitting half-way loses nothing; reopening resumes at the
//! first criterion without points.
//!
//! Split in four: `state` (the sheet's state and the rules an entry meets), `update` (keys,
//! popup answers, paste, mouse: pure, every write asked of the runtime as an `Effect`),
//! `done` (the results the runtime feeds back) and `view` (drawing, pure: pane sizes come
//! from `env.size`).

mod done;
mod state;
mod update;
mod view;

pub use state::*;
pub use view::view;
