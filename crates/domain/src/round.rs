//! This year's round settings (`criteria/round.toml`): caps, targets, dates, contacts.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer};

/// Limits on one type's count in the final list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeLimit {
    #[serde(rename = "type")]
    pub type_id: String,
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub max: Option<u32>,
}

/// Constraints on the final list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionRules {
    /// Units one reporting unit may have in the final list.
    pub max_per_province: u32,
    #[serde(default, rename = "type_limit")]
    pub type_limits: Vec<TypeLimit>,
}

/// Who issues the notices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name_zh: String,
    pub name_en: String,
    pub programme_doc: String,
}

/// Where objections during publicity go.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub person: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub email: String,
}

/// The settings of one round.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundSettings {
    pub year: i16,
    pub title_zh: String,
    pub title_en: String,
    /// Dossiers one reporting unit may send.
    pub province_cap: u32,
    /// Units the ministry determines.
    pub target_units: u32,
    #[serde(deserialize_with = "toml_date")]
    pub application_deadline: Date,
    /// Paper copies each submission must send.
    pub copies_required: u32,
    pub experts_per_dossier: u32,
    /// Length of the publicity period, in working days.
    pub publicity_working_days: u32,
    pub reserve_size: u32,
    /// Rank on the standardised figure instead of the plain trimmed mean.
    pub standardise_scores: bool,
    /// From this many submitted sheets on, the highest and the lowest total are dropped
    /// (去掉一个最高分和一个最低分). At least 3.
    #[serde(default = "default_trim_from_sheets")]
    pub trim_from_sheets: u32,
    /// Spread of expert totals (points) at which a dossier is flagged for discussion.
    pub disagreement_threshold: f64,
    /// Rubric group ids whose subtotals break ties, in order, before the province's own rank
    /// and the dossier code. Empty: every rubric group in file order.
    #[serde(default)]
    pub tie_break: Vec<String>,
    pub selection: SelectionRules,
    pub issuer: Issuer,
    pub publicity_contact: Contact,
}

fn default_trim_from_sheets() -> u32 {
    5
}

/// Deserialize a date written `2026-05-31`: a TOML local date or a `YYYY-MM-DD` string.
///
/// TOML readers hand a date to serde as a one-entry map whose value is the date's text (the
/// `toml` crate's datetime protocol); the domain reads that text without depending on a TOML
/// library, and refuses a time or an offset.
pub fn toml_date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    struct DateVisitor;
    impl<'de> serde::de::Visitor<'de> for DateVisitor {
        type Value = Date;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a date such as 2026-05-31, without a time")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
            let ok = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
            if !ok {
                return Err(E::custom(
                    "expected a date such as 2026-05-31, without a time",
                ));
            }
            v.parse::<Date>().map_err(E::custom)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
            let Some((_, text)) = map.next_entry::<String, String>()? else {
                return Err(serde::de::Error::custom("expected a date such as 2026-05-31"));
            };
            self.visit_str(&text)
        }
    }
    d.deserialize_any(DateVisitor)
}

impl RoundSettings {
    /// Check the numbers make sense together; each problem as one sentence.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.province_cap == 0 {
            out.push("province_cap must be at least 1".to_string());
        }
        if self.target_units == 0 {
            out.push("target_units must be at least 1".to_string());
        }
        if self.trim_from_sheets < 3 {
            out.push(format!(
                "trim_from_sheets is {}: dropping the highest and the lowest needs at least 3 sheets",
                self.trim_from_sheets
            ));
        }
        if self.experts_per_dossier == 0 {
            out.push("experts_per_dossier must be at least 1".to_string());
        }
        if self.selection.max_per_province == 0 {
            out.push("selection.max_per_province must be at least 1".to_string());
        }
        for l in &self.selection.type_limits {
            if let (Some(min), Some(max)) = (l.min, l.max)
                && min > max
            {
                out.push(format!(
                    "selection.type_limit for \"{}\": min {min} > max {max}",
                    l.type_id
                ));
            }
        }
        out
    }
}
