//! The round's phase, shown in the status bar.

use crate::store::Store;

use super::lang::Lang;

/// Where the round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Applications,
    Review,
    Publicity,
    Confirmed,
}

impl Phase {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Phase::Applications => lang.pick("申报", "applications"),
            Phase::Review => lang.pick("评审", "review"),
            Phase::Publicity => lang.pick("公示", "publicity"),
            Phase::Confirmed => lang.pick("已认定", "confirmed"),
        }
    }
}

/// The phase from what the store holds. Stub: review once any assignment exists, else
/// applications; publicity and confirmation are to be read from the publicity state.
pub fn phase(store: &Store) -> Phase {
    match store.assignments_exist() {
        Ok(true) => Phase::Review,
        _ => Phase::Applications,
    }
}
