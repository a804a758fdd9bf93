//! This year's round settings (`criteria/round.toml`): caps, targets, dates, contacts.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer};

/// Limits on one type's count in the final list, each bound written either as a count of units
/// (`min`, `max`) or as a share of the target (`min_share`, `max_share`, between 0 and 1), not
/// both. A share becomes a count for the target: a minimum rounds up, a maximum rounds down.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeLimit {
    #[serde(rename = "type")]
    pub type_id: String,
    /// The least units of the type on the list.
    #[serde(default)]
    pub min: Option<u32>,
    /// The most units of the type on the list.
    #[serde(default)]
    pub max: Option<u32>,
    /// The least units, as a share of the target (0–1).
    #[serde(default)]
    pub min_share: Option<f64>,
    /// The most units, as a share of the target (0–1).
    #[serde(default)]
    pub max_share: Option<f64>,
}

/// A share of `target` as units, rounded up or down. A product within 1e-9 of a whole number is
/// that number, so that 0.55 × 100 is 55 and not 56.
fn share_units(share: f64, target: u32, up: bool) -> u32 {
    let x = share * f64::from(target);
    let near = x.round();
    let v = if (x - near).abs() < 1e-9 {
        near
    } else if up {
        x.ceil()
    } else {
        x.floor()
    };
    // `as` saturates (and maps NaN to 0); shares outside 0–1 are refused at load anyway.
    v as u32
}

impl TypeLimit {
    /// The minimum in units for a list of `target` units: the count, or the share rounded up.
    pub fn min_units(&self, target: u32) -> Option<u32> {
        self.min
            .or_else(|| self.min_share.map(|s| share_units(s, target, true)))
    }

    /// The maximum in units for a list of `target` units: the count, or the share rounded down.
    pub fn max_units(&self, target: u32) -> Option<u32> {
        self.max
            .or_else(|| self.max_share.map(|s| share_units(s, target, false)))
    }
}

/// A reporting unit's own quota (名额) on the final list, instead of `max_per_province`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceQuota {
    /// The reporting unit as written: its key, full name or short name (provinces.toml).
    pub province: String,
    /// Units it may have on the final list.
    pub max: u32,
}

/// Constraints on the final list (the ministry's policy for the year, not the programme's rule).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionRules {
    /// Units one reporting unit may have in the final list, unless a quota says otherwise.
    pub max_per_province: u32,
    #[serde(default, rename = "type_limit")]
    pub type_limits: Vec<TypeLimit>,
    #[serde(default, rename = "province_quota")]
    pub province_quotas: Vec<ProvinceQuota>,
}

impl SelectionRules {
    /// Problems of the `[selection]` section for a list of `target` units, each one sentence.
    /// Type and province names are checked against their files by `Criteria::problems`.
    pub fn problems(&self, target: u32) -> Vec<String> {
        let mut out = Vec::new();
        if self.max_per_province == 0 {
            out.push("selection.max_per_province must be at least 1".to_string());
        }
        let mut min_sum: u64 = 0;
        for (i, l) in self.type_limits.iter().enumerate() {
            let at = format!("selection.type_limit for \"{}\"", l.type_id);
            if self.type_limits[..i].iter().any(|o| o.type_id == l.type_id) {
                out.push(format!(
                    "{at}: the type has two type_limit entries; write one"
                ));
            }
            for (name, count, share) in [
                ("min", l.min.is_some(), l.min_share),
                ("max", l.max.is_some(), l.max_share),
            ] {
                if count && share.is_some() {
                    out.push(format!(
                        "{at}: gives both {name} and {name}_share; write one of them"
                    ));
                }
                if let Some(s) = share.filter(|s| !(0.0..=1.0).contains(s)) {
                    out.push(format!(
                        "{at}: {name}_share {s} is not a share between 0 and 1"
                    ));
                }
            }
            let (min, max) = (l.min_units(target), l.max_units(target));
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                out.push(format!(
                    "{at}: min {min} > max {max} (units of a list of {target})"
                ));
            }
            min_sum += u64::from(min.unwrap_or(0));
        }
        if min_sum > u64::from(target) {
            out.push(format!(
                "selection: the type minimums add up to {min_sum} units, more than the {target} to select"
            ));
        }
        for q in &self.province_quotas {
            if q.max == 0 {
                out.push(format!(
                    "selection.province_quota for \"{}\": max must be at least 1",
                    q.province
                ));
            }
        }
        out
    }
}

/// Who issues the notices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name_zh: String,
    pub name_en: String,
    pub programme_doc: String,
    /// 文号 of the confirmation letters (信函格式), e.g. 「农市信函〔{year}〕{n}号」: `{year}` is
    /// the round's year, `{n}` the unit's number among the letters (`letter_number_first` for
    /// the first unit of the confirmed list in province order, then one up per unit).
    #[serde(default = "default_letter_number")]
    pub letter_number: String,
    /// The number `{n}` of the first confirmation letter.
    #[serde(default = "default_letter_number_first")]
    pub letter_number_first: u32,
    /// 文号 of the result notice (关于公布…名单的通知, 文件格式), e.g. 「农市发〔{year}〕{n}号」:
    /// `{year}` is the round's year, `{n}` is `result_number_n`.
    #[serde(default = "default_result_number")]
    pub result_number: String,
    /// The number `{n}` of the result notice, as the office's register of documents gives it.
    #[serde(default = "default_result_number_n")]
    pub result_number_n: u32,
}

fn default_letter_number() -> String {
    "农市信函〔{year}〕{n}号".to_string()
}

fn default_letter_number_first() -> u32 {
    1
}

fn default_result_number() -> String {
    "农市发〔{year}〕{n}号".to_string()
}

fn default_result_number_n() -> u32 {
    1
}

impl Issuer {
    /// The 文号 of the `index`-th confirmation letter (0 = the first) of the round of `year`.
    pub fn letter_number_for(&self, year: i16, index: usize) -> String {
        let n = u64::from(self.letter_number_first) + index as u64;
        self.letter_number
            .replace("{year}", &year.to_string())
            .replace("{n}", &n.to_string())
    }

    /// The 文号 of the result notice of the round of `year`.
    pub fn result_number_for(&self, year: i16) -> String {
        self.result_number
            .replace("{year}", &year.to_string())
            .replace("{n}", &self.result_number_n.to_string())
    }
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
    /// First day of the application period (the day the round's notice is issued); a
    /// submission sent earlier is flagged (W-SENT-EARLY). Optional: rounds set before this
    /// field existed have none, and that check is not run.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub application_opens: Option<Date>,
    #[serde(deserialize_with = "toml_date")]
    pub application_deadline: Date,
    /// Last day for the experts' score sheets (评审截止): shown on each expert's list with the
    /// days left, overdue after it. Optional: without it no deadline is shown.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub review_deadline: Option<Date>,
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
                return Err(serde::de::Error::custom(
                    "expected a date such as 2026-05-31",
                ));
            };
            self.visit_str(&text)
        }
    }
    d.deserialize_any(DateVisitor)
}

/// [`toml_date`] for an optional field (absent: `None`, with `#[serde(default)]`).
pub fn toml_date_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    toml_date(d).map(Some)
}

impl RoundSettings {
    /// Whether `today` is past the review deadline (an expert with sheets not submitted is then
    /// overdue); never without a deadline.
    pub fn review_overdue(&self, today: Date) -> bool {
        self.review_deadline.is_some_and(|d| today > d)
    }

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
        if let Some(opens) = self.application_opens
            && opens > self.application_deadline
        {
            out.push(format!(
                "application_opens {opens} is after application_deadline {}",
                self.application_deadline
            ));
        }
        if let Some(review) = self.review_deadline
            && review <= self.application_deadline
        {
            out.push(format!(
                "review_deadline {review} is not after application_deadline {}",
                self.application_deadline
            ));
        }
        if self.experts_per_dossier == 0 {
            out.push("experts_per_dossier must be at least 1".to_string());
        }
        out.extend(self.selection.problems(self.target_units));
        out
    }
}

#[cfg(test)]
mod letter_number_tests {
    use super::Issuer;

    fn issuer(extra: &str) -> Issuer {
        let text = format!(
            r#"{{"name_zh": "农业部市场与经济信息司", "name_en": "MEID", "programme_doc": "《通知》"{extra}}}"#
        );
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn the_default_letter_number_counts_from_one() {
        let i = issuer("");
        assert_eq!(i.letter_number_for(2026, 0), "农市信函〔2026〕1号");
        assert_eq!(i.letter_number_for(2026, 99), "农市信函〔2026〕100号");
    }

    #[test]
    fn a_round_sets_its_own_form_and_first_number() {
        let i =
            issuer(r#", "letter_number": "农市函字〔{year}〕第{n}号", "letter_number_first": 31"#);
        assert_eq!(i.letter_number_for(2027, 2), "农市函字〔2027〕第33号");
    }

    #[test]
    fn the_result_notice_has_its_own_number() {
        assert_eq!(issuer("").result_number_for(2026), "农市发〔2026〕1号");
        let i = issuer(r#", "result_number": "农市信发〔{year}〕{n}号", "result_number_n": 17"#);
        assert_eq!(i.result_number_for(2027), "农市信发〔2027〕17号");
    }
}
