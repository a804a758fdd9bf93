//! Loading a criteria folder (provinces, types, rubric, round, holidays) with clear errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

use crate::domain::criteria::{Criteria, Holidays};
use crate::domain::demo_type::{DemoType, DemoTypes};
use crate::domain::province::{Province, Provinces};
use crate::domain::round::RoundSettings;
use crate::domain::rubric::Rubric;

/// Why a criteria folder cannot be used.
#[derive(Debug, Error)]
pub enum CriteriaError {
    #[error("cannot read {file}: {source}")]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {message}")]
    Parse { file: PathBuf, message: String },
    #[error("criteria in {dir} do not fit together:\n  - {}", problems.join("\n  - "))]
    Incoherent { dir: PathBuf, problems: Vec<String> },
}

impl CriteriaError {
    /// The failure in both languages, naming the file or folder. The parser's own detail (and
    /// the list of problems) is quoted as the TOML reader and the domain give it.
    pub fn text(&self) -> crate::domain::Text {
        use crate::domain::Text;
        match self {
            CriteriaError::Read { file, source } => Text::new(
                format!("无法读取评审标准文件 {}：{source}", file.display()),
                format!("cannot read {}: {source}", file.display()),
            ),
            CriteriaError::Parse { file, message } => Text::new(
                format!("评审标准文件 {} 有误：{message}", file.display()),
                format!("{}: {message}", file.display()),
            ),
            CriteriaError::Incoherent { dir, problems } => Text::new(
                format!(
                    "{} 中的评审标准互不一致：\n  - {}",
                    dir.display(),
                    problems.join("\n  - ")
                ),
                self.to_string(),
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvincesFile {
    province: Vec<Province>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypesFile {
    #[serde(rename = "type")]
    types: Vec<DemoType>,
}

/// The files of a criteria folder. `holidays.toml` may be absent.
pub const FILES: &[&str] = &[
    "provinces.toml",
    "types.toml",
    "rubric.toml",
    "round.toml",
    "holidays.toml",
];

/// The text of every criteria file of a folder, by file name (as pinned in a round's database).
pub fn read_criteria_files(dir: &Path) -> Result<BTreeMap<String, String>, CriteriaError> {
    let mut out = BTreeMap::new();
    for name in FILES {
        let file = dir.join(name);
        if *name == "holidays.toml" && !file.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&file).map_err(|source| CriteriaError::Read {
            file: file.clone(),
            source,
        })?;
        out.insert((*name).to_string(), text);
    }
    Ok(out)
}

fn parse<T: DeserializeOwned>(
    dir: &Path,
    files: &BTreeMap<String, String>,
    name: &str,
) -> Result<T, CriteriaError> {
    let file = dir.join(name);
    let Some(text) = files.get(name) else {
        return Err(CriteriaError::Parse {
            file,
            message: "missing".to_string(),
        });
    };
    toml::from_str(text).map_err(|e| CriteriaError::Parse {
        file,
        message: e.to_string().trim_end().to_string(),
    })
}

/// Load and check the five files of a criteria folder. `holidays.toml` may be absent.
pub fn load_criteria(dir: &Path) -> Result<Criteria, CriteriaError> {
    parse_criteria(dir, &read_criteria_files(dir)?)
}

/// Parse and check criteria files given by name (`dir` only names them in errors).
pub fn parse_criteria(
    dir: &Path,
    files: &BTreeMap<String, String>,
) -> Result<Criteria, CriteriaError> {
    let provinces: ProvincesFile = parse(dir, files, "provinces.toml")?;
    let types: TypesFile = parse(dir, files, "types.toml")?;
    let rubric: Rubric = parse(dir, files, "rubric.toml")?;
    let round: RoundSettings = parse(dir, files, "round.toml")?;
    let holidays: Holidays = if files.contains_key("holidays.toml") {
        parse(dir, files, "holidays.toml")?
    } else {
        Holidays::default()
    };
    let criteria = Criteria {
        provinces: Provinces::new(provinces.province),
        types: DemoTypes::new(types.types),
        rubric,
        round,
        holidays,
    };
    let problems = criteria.problems();
    if problems.is_empty() {
        Ok(criteria)
    } else {
        Err(CriteriaError::Incoherent {
            dir: dir.to_path_buf(),
            problems,
        })
    }
}

/// How two sets of criteria files differ: one line per file added or removed, and per changed
/// TOML key (dotted path, old → new), at most `limit` lines.
pub fn criteria_differences(
    pinned: &BTreeMap<String, String>,
    given: &BTreeMap<String, String>,
    limit: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&String> = pinned.keys().chain(given.keys()).collect();
    for name in names {
        match (pinned.get(name), given.get(name)) {
            (Some(_), None) => out.push(format!("{name}: missing")),
            (None, Some(_)) => out.push(format!("{name}: added")),
            (Some(a), Some(b)) if a != b => {
                let (ta, tb) = (a.parse::<toml::Table>().ok(), b.parse::<toml::Table>().ok());
                match (ta, tb) {
                    (Some(ta), Some(tb)) => {
                        let before = out.len();
                        diff_values(
                            name,
                            "",
                            &toml::Value::Table(ta),
                            &toml::Value::Table(tb),
                            &mut out,
                        );
                        if out.len() == before {
                            out.push(format!("{name}: comments or layout"));
                        }
                    }
                    _ => out.push(format!("{name}: changed")),
                }
            }
            _ => {}
        }
    }
    if out.len() > limit {
        let more = out.len() - limit;
        out.truncate(limit);
        out.push(format!("… {more} more"));
    }
    out
}

fn short(v: &toml::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn diff_values(file: &str, path: &str, a: &toml::Value, b: &toml::Value, out: &mut Vec<String>) {
    use toml::Value as V;
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (V::Table(ta), V::Table(tb)) => {
            let keys: std::collections::BTreeSet<&String> = ta.keys().chain(tb.keys()).collect();
            for k in keys {
                match (ta.get(k), tb.get(k)) {
                    (Some(x), Some(y)) => diff_values(file, &join(k), x, y, out),
                    (Some(x), None) => {
                        out.push(format!("{file}: {} {} → (none)", join(k), short(x)))
                    }
                    (None, Some(y)) => {
                        out.push(format!("{file}: {} (none) → {}", join(k), short(y)))
                    }
                    (None, None) => {}
                }
            }
        }
        (V::Array(xa), V::Array(xb)) if xa.len() == xb.len() => {
            for (i, (x, y)) in xa.iter().zip(xb).enumerate() {
                diff_values(file, &format!("{path}[{i}]"), x, y, out);
            }
        }
        (x, y) if x != y => out.push(format!("{file}: {path} {} → {}", short(x), short(y))),
        _ => {}
    }
}
