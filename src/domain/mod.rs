//! Pure domain types and rules: no files, no SQL, no terminal.

pub mod access;
pub mod assignment;
pub mod audit;
pub mod batch_checks;
pub mod credit_code;
pub mod criteria;
pub mod demo_type;
pub mod dossier;
pub mod dossier_checks;
pub mod expert;
pub mod finding;
pub mod names;
pub mod province;
pub mod publicity;
pub mod ranking;
pub mod round;
pub mod rubric;
pub mod scoring;
pub mod selection;
pub mod working_days;

pub use criteria::Criteria;
pub use finding::{Code, Finding, Pos, Severity, Text};
