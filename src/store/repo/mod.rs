//! Persistence: one small module per kind of stored record, with typed conversions. No rules
//! here: the services (`crate::service`) decide, inside the step that writes.

pub(crate) mod account;
pub(crate) mod assignment;
pub(crate) mod criteria;
pub(crate) mod dossier;
pub(crate) mod expert;
pub(crate) mod meta;
pub(crate) mod package;
pub(crate) mod panel;
pub(crate) mod publicity;
pub(crate) mod refusal;
pub(crate) mod sheet;
pub(crate) mod tie;
