//! Loading a criteria folder (provinces, types, rubric, round, holidays) with clear errors.

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

fn load<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<T, CriteriaError> {
    let file = dir.join(name);
    let text = std::fs::read_to_string(&file).map_err(|source| CriteriaError::Read {
        file: file.clone(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| CriteriaError::Parse {
        file,
        message: e.to_string().trim_end().to_string(),
    })
}

/// Load and check the five files of a criteria folder. `holidays.toml` may be absent.
pub fn load_criteria(dir: &Path) -> Result<Criteria, CriteriaError> {
    let provinces: ProvincesFile = load(dir, "provinces.toml")?;
    let types: TypesFile = load(dir, "types.toml")?;
    let rubric: Rubric = load(dir, "rubric.toml")?;
    let round: RoundSettings = load(dir, "round.toml")?;
    let holidays: Holidays = if dir.join("holidays.toml").exists() {
        load(dir, "holidays.toml")?
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
