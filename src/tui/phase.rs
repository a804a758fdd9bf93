//! The round's phase, shown in the status bar.

use crate::domain::phase::Phase as RoundPhase;
use crate::store::Store;

use super::lang::Lang;

/// Where the round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Applications,
    Review,
    Sealed,
    Publicity,
    Confirmed,
}

impl Phase {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Phase::Applications => lang.pick("申报", "applications"),
            Phase::Review => lang.pick("评审", "review"),
            Phase::Sealed => lang.pick("名单已封存", "list sealed"),
            Phase::Publicity => lang.pick("公示", "publicity"),
            Phase::Confirmed => lang.pick("已认定", "confirmed"),
        }
    }
}

/// The phase from what the store holds (any role; applications when it cannot be read).
pub fn phase(store: &Store) -> Phase {
    match store.round_phase() {
        Ok(RoundPhase::Review) => Phase::Review,
        Ok(RoundPhase::Sealed) => Phase::Sealed,
        Ok(RoundPhase::Publicity) => Phase::Publicity,
        Ok(RoundPhase::Confirmed) => Phase::Confirmed,
        Ok(RoundPhase::Applications) | Err(_) => Phase::Applications,
    }
}
