//! The round's steps as services over the store: each loads what it checks, lets the domain
//! decide and writes with its audit entries, in one immediate transaction
//! ([`crate::store::step`]). The methods are on [`crate::store::Store`], the handle every
//! caller (CLI, TUI, documents) holds.

mod accounts;
mod assignment;
mod audit;
mod candidates;
mod criteria;
mod documents;
/// Generating documents as one audited step (CLI and TUI).
pub mod generation;
mod import;
mod package;
mod panel;
mod panel_room;
mod paper;
mod publicity;
mod ranking;
mod review;
mod review_stats;
mod roster;
/// CLI sessions: log in once, later commands without the password.
pub mod session;
mod status;

pub use accounts::AccountInfo;
pub use assignment::{AssignmentReport, RecusalOutcome, ShortfallRow};
pub use audit::AuditReport;
pub use candidates::Candidate;
pub use documents::{ConfirmedList, PrintList};
pub use import::{BatchOutcome, DossierChange, ImportResult};
pub use package::{IssuedPackage, PackageReturn};
pub use panel::PanelBand;
pub use panel_room::{PanelRoom, PanelVote};
pub use paper::{PaperOutcome, mismatch_text};
pub use publicity::{ObjectionStatus, ProposeOutcome, ProvinceResult, UnitOutcome};
pub use ranking::{RankedRound, SelectedRound};
pub use review::{AssignedDossier, Progress, ProgressRow};
pub use review_stats::{DEFAULT_REPLICATES, DEFAULT_SEED, RoundStats};
pub use status::{BatchStatus, DocumentCounts, ProvinceDossier, Status};
