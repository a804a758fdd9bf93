//! shifan-domain: the pure types and rules of the programme. No files, no SQL, no terminal:
//! the compiler holds that, since this crate depends on none of them.

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
pub mod flow;
pub mod identity;
pub mod names;
pub mod package;
pub mod panel;
pub mod paper;
pub mod phase;
pub mod province;
pub mod publicity;
pub mod ranking;
pub mod refusal;
pub mod review_stats;
pub mod round;
pub mod rubric;
pub mod scoring;
pub mod sealing;
pub mod selection;
pub mod text_rules;
pub mod type_limit;
pub mod working_days;

pub use criteria::Criteria;
pub use finding::{Code, Finding, Pos, Severity, Text};
