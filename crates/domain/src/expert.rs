//! Experts (专家) of the review panel, as listed in the roster.

use serde::{Deserialize, Serialize};

/// One expert of the roster, with declared conflicts (回避).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expert {
    pub id: String,
    pub name: String,
    pub affiliation: String,
    /// Key of the reporting unit the expert works in.
    pub province_key: Option<String>,
    /// Type ids the expert knows well.
    pub expertise: Vec<String>,
    /// Applicant units the expert declared a conflict with (names as written).
    pub avoid_units: Vec<String>,
    /// Reporting units (keys) the expert declared a conflict with.
    pub avoid_provinces: Vec<String>,
    pub active: bool,
}
