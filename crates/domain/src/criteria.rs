//! Everything a round is configured by: provinces, types, rubric, round settings, holidays.

use jiff::civil::Date;
use serde::Deserialize;

use super::finding::Text;

use super::demo_type::DemoTypes;
use super::province::Provinces;
use super::round::{RoundSettings, toml_date};
use super::rubric::Rubric;

/// A public holiday or an adjusted working day (调休).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Day {
    #[serde(deserialize_with = "toml_date")]
    pub date: Date,
    pub name: String,
}

/// Days off and weekend working days, for working-day arithmetic.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holidays {
    #[serde(default, rename = "holiday")]
    pub holidays: Vec<Day>,
    #[serde(default, rename = "workday")]
    pub workdays: Vec<Day>,
}

/// The whole configuration of a round, as loaded from a criteria folder.
#[derive(Debug, Clone)]
pub struct Criteria {
    pub provinces: Provinces,
    pub types: DemoTypes,
    pub rubric: Rubric,
    pub round: RoundSettings,
    pub holidays: Holidays,
}

impl Criteria {
    /// A reporting unit's full name in both languages; the key itself when unknown.
    pub fn province_text(&self, key: &str) -> Text {
        self.provinces.by_key(key).map_or_else(
            || Text::new(key, key),
            |(_, p)| Text::new(p.name.clone(), p.name_en.clone()),
        )
    }

    /// A demonstration type's name in both languages; the id itself when unknown.
    pub fn type_text(&self, id: &str) -> Text {
        self.types.by_id(id).map_or_else(
            || Text::new(id, id),
            |t| Text::new(t.name_zh.clone(), t.name_en.clone()),
        )
    }

    /// The published tie-break chain of rubric groups (round.toml, or every group in order).
    pub fn tie_break_groups(&self) -> Vec<String> {
        if self.round.tie_break.is_empty() {
            self.rubric.groups.iter().map(|g| g.id.clone()).collect()
        } else {
            self.round.tie_break.clone()
        }
    }

    /// Cross-file coherence problems (each one sentence, naming the file).
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .rubric
            .problems()
            .into_iter()
            .map(|p| format!("rubric.toml: {p}"))
            .collect();
        out.extend(
            self.round
                .problems()
                .into_iter()
                .map(|p| format!("round.toml: {p}")),
        );
        for l in &self.round.selection.type_limits {
            if self.types.by_id(&l.type_id).is_none() {
                out.push(format!(
                    "round.toml: selection.type_limit names type \"{}\", which types.toml does not define",
                    l.type_id
                ));
            }
        }
        // The province quotas name reporting units as written; each must resolve to exactly one.
        let mut quota_keys: Vec<&str> = Vec::new();
        for q in &self.round.selection.province_quotas {
            match self.provinces.resolve(&q.province) {
                crate::province::Resolution::Exact(i) => {
                    let p = self.provinces.get(i);
                    if quota_keys.contains(&p.key.as_str()) {
                        out.push(format!(
                            "round.toml: selection.province_quota names {} twice; write one quota",
                            p.name
                        ));
                    }
                    quota_keys.push(&p.key);
                }
                crate::province::Resolution::Truncated(i) => out.push(format!(
                    "round.toml: selection.province_quota names \"{}\": write the full name {}",
                    q.province,
                    self.provinces.get(i).name
                )),
                crate::province::Resolution::Unknown { .. } => out.push(format!(
                    "round.toml: selection.province_quota names \"{}\", which provinces.toml does not define",
                    q.province
                )),
            }
        }
        // The per-province maximums (and quotas) must leave room for the target at all.
        let room: u64 = self
            .provinces
            .all()
            .iter()
            .map(|p| {
                let quota = self.round.selection.province_quotas.iter().find(|q| {
                    matches!(self.provinces.resolve(&q.province),
                        crate::province::Resolution::Exact(i) if self.provinces.get(i).key == p.key)
                });
                u64::from(quota.map_or(self.round.selection.max_per_province, |q| q.max))
            })
            .sum();
        // (A maximum of 0 is refused on its own above.)
        if self.round.selection.max_per_province > 0
            && !self.provinces.all().is_empty()
            && room < u64::from(self.round.target_units)
        {
            out.push(format!(
                "round.toml: the per-province maximums allow at most {room} units in all, fewer than target_units {}",
                self.round.target_units
            ));
        }
        for g in &self.round.tie_break {
            if !self.rubric.groups.iter().any(|r| &r.id == g) {
                out.push(format!(
                    "round.toml: tie_break names group \"{g}\", which rubric.toml does not define"
                ));
            }
        }
        let provinces = self.provinces.all();
        if provinces.is_empty() {
            out.push("provinces.toml: no [[province]] entries".to_string());
        }
        for (i, p) in provinces.iter().enumerate() {
            for q in &provinces[..i] {
                let names_p = [&p.key, &p.name, &p.short];
                let names_q = [&q.key, &q.name, &q.short];
                if let Some(n) = names_p.iter().find(|n| names_q.contains(n)) {
                    out.push(format!(
                        "provinces.toml: \"{n}\" is used by both {} and {}",
                        q.name, p.name
                    ));
                }
            }
        }
        let types = self.types.all();
        if types.is_empty() {
            out.push("types.toml: no [[type]] entries".to_string());
        }
        for (i, t) in types.iter().enumerate() {
            if types[..i]
                .iter()
                .any(|u| u.id == t.id || u.name_zh == t.name_zh)
            {
                out.push(format!(
                    "types.toml: type \"{}\" ({}) is defined twice",
                    t.id, t.name_zh
                ));
            }
        }
        out
    }
}
