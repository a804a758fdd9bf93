//! Reading the expert roster (`experts.toml`).

use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

use crate::domain::expert::Expert;
use crate::domain::province::Resolution;
use crate::domain::{Criteria, Text};

/// Why a roster cannot be used; every message names the file (and line where known).
#[derive(Debug, Error)]
pub enum RosterError {
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {}", message.en)]
    Invalid { file: String, message: Text },
}

impl RosterError {
    /// The failure in both languages, naming the file.
    pub fn text(&self) -> Text {
        match self {
            RosterError::Read { file, source } => Text::new(
                format!("无法读取专家名单 {file}：{source}"),
                format!("cannot read the roster {file}: {source}"),
            ),
            RosterError::Invalid { file, message } => Text::new(
                format!("专家名单 {file} 有误：{}", message.zh),
                format!("the roster {file} cannot be used: {}", message.en),
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpert {
    id: String,
    name: String,
    affiliation: String,
    province: String,
    #[serde(default)]
    expertise: Vec<String>,
    #[serde(default)]
    avoid_units: Vec<String>,
    #[serde(default)]
    avoid_provinces: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoster {
    expert: Vec<RawExpert>,
}

/// Read and check a roster: provinces and types must resolve, ids must be unique.
pub fn read_roster(criteria: &Criteria, path: &Path) -> Result<Vec<Expert>, RosterError> {
    let file = path.display().to_string();
    let invalid = |message: Text| RosterError::Invalid {
        file: file.clone(),
        message,
    };
    // A roster is a ministry file, but read as safely as a province's: a FIFO or a device named
    // experts.toml is refused instead of hanging the import.
    let bytes =
        super::read::read_capped(path, super::read::MAX_FILE_BYTES).map_err(|e| match e {
            super::read::ReadError::Io(source) => RosterError::Read {
                file: file.clone(),
                source,
            },
            other => invalid(super::read::describe(&other, &file).0),
        })?;
    let (text, _) = super::encoding::decode(&bytes).map_err(|e| {
        invalid(Text::new(
            format!("不是文本文件（{e:?}）：请存为 UTF-8"),
            format!("not a text file ({e:?}): save it as UTF-8"),
        ))
    })?;
    let raw: RawRoster = toml::from_str(&text).map_err(|e: toml::de::Error| {
        let m = e.to_string().trim_end().to_string();
        invalid(Text::new(format!("TOML 格式错误：{m}"), m))
    })?;
    let resolve = |written: &str, what: &str, id: &str| match criteria.provinces.resolve(written) {
        Resolution::Exact(i) | Resolution::Truncated(i) => {
            Ok(criteria.provinces.get(i).key.clone())
        }
        Resolution::Unknown { .. } => Err(invalid(Text::new(
            format!("专家 {id}：{what} 「{written}」不是 criteria/provinces.toml 中的省份"),
            format!(
                "expert {id}: {what} \"{written}\" is not a province in criteria/provinces.toml"
            ),
        ))),
    };
    let mut out: Vec<Expert> = Vec::with_capacity(raw.expert.len());
    for r in raw.expert {
        if out.iter().any(|e| e.id == r.id) {
            return Err(invalid(Text::new(
                format!("专家编号「{}」出现两次：每位专家一个编号", r.id),
                format!("expert id \"{}\" appears twice: one id per expert", r.id),
            )));
        }
        let mut expertise = Vec::new();
        for t in &r.expertise {
            let ty = criteria.types.resolve(t).ok_or_else(|| {
                invalid(Text::new(
                    format!("专家 {}：专长「{t}」不是本轮的示范类型", r.id),
                    format!(
                        "expert {}: expertise \"{t}\" is not a type of this round",
                        r.id
                    ),
                ))
            })?;
            expertise.push(ty.id.clone());
        }
        let avoid_provinces = r
            .avoid_provinces
            .iter()
            .map(|p| resolve(p, "avoid_provinces", &r.id))
            .collect::<Result<_, _>>()?;
        out.push(Expert {
            province_key: Some(resolve(&r.province, "province", &r.id)?),
            id: r.id,
            name: r.name,
            affiliation: r.affiliation,
            expertise,
            avoid_units: r.avoid_units,
            avoid_provinces,
            active: true,
        });
    }
    Ok(out)
}
