//! The scoring walkthrough: the dossier on the left, the current criterion on the right.
//! Every entry is saved at once, so quitting half-way loses nothing; reopening resumes at the
//! first criterion without points.
//!
//! Split in three: `state` (the sheet's state and the rules an entry meets), `update` (keys,
//! popup answers, paste, mouse) and `view` (drawing, pure: pane sizes come from `env.size`).

mod state;
mod update;
mod view;

pub use state::*;
pub use view::view;
