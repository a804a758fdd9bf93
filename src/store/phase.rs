//! The round's phase for every role: read from the stored publicity's stage and whether any
//! expert was assigned. Only the phase is returned, never list data.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{Store, StoreError};

/// Where the round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundPhase {
    /// Dossiers are being received; no expert assigned yet.
    Applications,
    /// Experts assigned, no list proposed yet.
    Review,
    /// A list is proposed (sealed) or in its publicity period.
    Publicity,
    /// The list is confirmed.
    Confirmed,
}

impl Store {
    /// The phase of the round. Needs no role: it tells nothing but the stage.
    pub fn round_phase(&self) -> Result<RoundPhase, StoreError> {
        // The publicity is stored as JSON; its `state` is tagged by `phase` (`domain::publicity`).
        let stage: Option<String> = self
            .conn
            .query_row(
                "SELECT json_extract(state, '$.state.phase') FROM publicity WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(match stage.as_deref() {
            Some("proposed" | "in_publicity") => RoundPhase::Publicity,
            Some("confirmed") => RoundPhase::Confirmed,
            _ if self.assignments_exist()? => RoundPhase::Review,
            _ => RoundPhase::Applications,
        })
    }
}
