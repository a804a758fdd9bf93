//! What can stop the TUI.

use thiserror::Error;

use crate::store::StoreError;

/// TUI failures: the terminal, or the store at start-up.
#[derive(Debug, Error)]
pub enum TuiError {
    #[error("terminal error: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}
