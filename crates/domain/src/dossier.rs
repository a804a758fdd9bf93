//! Dossiers (申报书) and submissions (报送函) as read from the provinces' files, before checks.
//!
//! Values keep where they stood in the file (`Located`), so every check can name the line.
//! Fields are `Option`: a missing field has already been reported by the reader.

use jiff::civil::Date;

use super::finding::Pos;
use super::text_rules::is_blank;

/// A value and where it stands in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// A `[type_evidence]` value, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum EvidenceValue {
    Bool(bool),
    Integer(i64),
    Text(String),
    List(Vec<String>),
    /// Anything else (a table, a date, a float): its TOML type name.
    Other(&'static str),
}

impl EvidenceValue {
    /// Whether the value "holds" for a gate: true, non-empty text or list, positive number.
    pub fn holds(&self) -> bool {
        match self {
            EvidenceValue::Bool(b) => *b,
            EvidenceValue::Integer(i) => *i > 0,
            EvidenceValue::Text(t) => !is_blank(t),
            EvidenceValue::List(l) => l.iter().any(|s| !is_blank(s)),
            EvidenceValue::Other(_) => false,
        }
    }
}

/// A person to contact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The applying unit (申报单位).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applicant {
    pub name: Option<Located<String>>,
    pub kind: Option<String>,
    pub county: Option<String>,
    pub credit_code: Option<Located<String>>,
    pub joint_with: Option<String>,
    pub contact: Contact,
}

/// One text of a dossier's sections, e.g. `foundation.infrastructure`.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionText {
    /// Field path, `section.key`.
    pub path: &'static str,
    pub value: String,
}

/// The provincial department's sign-off (审核意见).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProvincialReview {
    pub opinion: Option<String>,
    pub reviewer: Option<String>,
    pub reviewed_on: Option<Date>,
    /// Where the table starts.
    pub pos: Pos,
    /// Where `reviewed_on` stands, when given.
    pub reviewed_on_pos: Option<Pos>,
}

/// One dossier as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dossier {
    /// The file, as the user named it.
    pub file: String,
    pub province: Option<Located<String>>,
    pub demo_type: Option<Located<String>>,
    pub provincial_rank: Option<Located<i64>>,
    pub other_type_case: Option<Located<String>>,
    pub applicant: Applicant,
    /// Texts of foundation, team and work plan, in file-format order.
    pub texts: Vec<SectionText>,
    /// `[foundation.figures]`: name and non-negative value.
    pub figures: Vec<(String, u64)>,
    pub staff_count: Option<i64>,
    pub evidence: Vec<(Located<String>, EvidenceValue)>,
    pub review: Option<ProvincialReview>,
}

impl Dossier {
    pub fn applicant_name(&self) -> &str {
        self.applicant
            .name
            .as_ref()
            .map_or("", |n| n.value.as_str())
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|t| t.path == path)
            .map(|t| t.value.as_str())
    }
}

/// A province's cover letter (`submission.toml`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission {
    pub file: String,
    pub province: Option<Located<String>>,
    pub department: Option<String>,
    pub sent_on: Option<Located<Date>>,
    pub copies: Option<Located<i64>>,
    pub contact: Contact,
}
