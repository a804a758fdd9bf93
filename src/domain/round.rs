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
    pub standardise_scores: bool,
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

/// Deserialize a TOML date (or a `YYYY-MM-DD` string) into a civil date.
pub fn toml_date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let dt = toml::value::Datetime::deserialize(d)?;
    match dt.date {
        Some(day) if dt.time.is_none() => {
            Date::new(day.year as i16, day.month as i8, day.day as i8)
                .map_err(serde::de::Error::custom)
        }
        _ => Err(serde::de::Error::custom(
            "expected a date such as 2026-05-31, without a time",
        )),
    }
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
