//! Provincial-level reporting units (省级申报单位) and how names people write resolve to them.

use serde::Deserialize;

use super::names::fold;

/// What kind of reporting unit this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceKind {
    Province,
    AutonomousRegion,
    Municipality,
    PlannedCity,
    Corps,
    StateFarm,
}

/// One reporting unit, as listed in `criteria/provinces.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    /// Stable key stored in the database (the GB/T 2260 code where one exists).
    pub key: String,
    /// GB/T 2260 code, where there is one.
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    pub short: String,
    /// One-character abbreviation: never resolved (ambiguous), only offered in hints.
    #[serde(default)]
    pub abbr: Option<String>,
    pub name_en: String,
    /// A shorter English name for tight columns (XPCC); the English name when absent.
    #[serde(default)]
    pub short_en: Option<String>,
    pub kind: ProvinceKind,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Province {
    /// The English name for tight columns: `short_en`, else the English name.
    pub fn short_name_en(&self) -> &str {
        self.short_en.as_deref().unwrap_or(&self.name_en)
    }
}

/// How a name resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Full name, short name, code, key or alias: index into the list.
    Exact(usize),
    /// A truncated form such as 广西壮族 that fits exactly one unit.
    Truncated(usize),
    /// No unit; maybe a unit that the text hints at (an abbreviation such as 桂).
    Unknown { hint: Option<usize> },
}

/// All reporting units, in the ministry's standard order.
#[derive(Debug, Clone)]
pub struct Provinces {
    list: Vec<Province>,
}

impl Provinces {
    pub fn new(list: Vec<Province>) -> Self {
        Provinces { list }
    }

    pub fn all(&self) -> &[Province] {
        &self.list
    }

    pub fn get(&self, index: usize) -> &Province {
        &self.list[index]
    }

    /// The unit with this key.
    pub fn by_key(&self, key: &str) -> Option<(usize, &Province)> {
        self.list.iter().enumerate().find(|(_, p)| p.key == key)
    }

    /// Position in the standard order (for sorting), by key; unknown keys last.
    pub fn order(&self, key: &str) -> usize {
        self.by_key(key).map_or(usize::MAX, |(i, _)| i)
    }

    /// Resolve a name, short name, code or alias as written in a file.
    pub fn resolve(&self, written: &str) -> Resolution {
        let s = fold(written);
        if s.is_empty() {
            return Resolution::Unknown { hint: None };
        }
        let exact = self.list.iter().position(|p| {
            p.name == s
                || p.short == s
                || p.key == s
                || p.code.as_deref() == Some(s.as_str())
                || p.aliases.contains(&s)
        });
        if let Some(i) = exact {
            return Resolution::Exact(i);
        }
        // A truncated full name (广西壮族 for 广西壮族自治区), if it fits exactly one unit.
        if s.chars().count() >= 2 {
            let fits: Vec<usize> = (0..self.list.len())
                .filter(|&i| self.list[i].name.starts_with(&s))
                .collect();
            if let [i] = fits[..] {
                return Resolution::Truncated(i);
            }
        }
        let hint = self
            .list
            .iter()
            .position(|p| p.abbr.as_deref() == Some(s.as_str()) || s.starts_with(&p.short));
        Resolution::Unknown { hint }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(key: &str, name: &str, short: &str, abbr: &str) -> Province {
        Province {
            key: key.into(),
            code: Some(key.into()),
            name: name.into(),
            short: short.into(),
            abbr: Some(abbr.into()),
            name_en: String::new(),
            short_en: None,
            kind: ProvinceKind::Province,
            aliases: vec![],
        }
    }

    fn sample() -> Provinces {
        Provinces::new(vec![
            unit("150000", "内蒙古自治区", "内蒙古", "蒙"),
            unit("450000", "广西壮族自治区", "广西", "桂"),
            unit("330000", "浙江省", "浙江", "浙"),
            unit("330200", "宁波市", "宁波", ""),
        ])
    }

    #[test]
    fn names_short_names_and_codes_resolve_alike() {
        let p = sample();
        for w in [
            "内蒙古自治区",
            "内蒙古",
            "150000",
            " 内蒙古 ",
            "１５００００",
        ] {
            assert_eq!(p.resolve(w), Resolution::Exact(0), "{w}");
        }
        assert_eq!(p.resolve("广西壮族"), Resolution::Truncated(1));
        assert_eq!(p.resolve("桂"), Resolution::Unknown { hint: Some(1) });
        assert_eq!(p.resolve("火星省"), Resolution::Unknown { hint: None });
        assert_eq!(p.resolve("宁波"), Resolution::Exact(3));
    }
}
