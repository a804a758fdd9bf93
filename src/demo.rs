//! The demo round (`shifan demo`): the sample set, the roster, demo accounts, an assignment and
//! plausible scores, so the whole programme can be shown end to end. Everything it creates is
//! marked as demo data (accounts flagged `demo`, `meta.demo = true`, audit entries say so).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use crate::domain::access::Role;
use crate::domain::rubric::Rubric;
use crate::domain::scoring::Sheet;
use crate::domain::{Criteria, Text};
use crate::input::experts::{RosterError, read_roster};
use crate::store::{Store, StoreError};
use crate::validation::validate_paths_compact;

/// Dossiers the first expert (`expert01`) has not started in the demo.
pub const LEFT_OPEN: usize = 4;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "demo";

#[derive(Debug, Error)]
pub enum DemoError {
    #[error(
        "the database already holds data; the demo needs an empty one (give another --db FILE)"
    )]
    NotEmpty,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error("cannot read the sample set {0}: {1}")]
    Samples(String, String),
    /// The database file could not be written where asked.
    #[error(
        "{path}: cannot write the demo database ({error}); choose a writable folder with --db FILE"
    )]
    Target { path: String, error: String },
}

impl DemoError {
    /// The failure in both languages.
    pub fn text(&self) -> Text {
        match self {
            DemoError::NotEmpty => Text::new(
                "数据库中已有数据；演示需要一个空数据库（请用 --db 文件 另指定）",
                self.to_string(),
            ),
            DemoError::Store(e) => e.text(),
            DemoError::Roster(e) => e.text(),
            DemoError::Samples(path, e) => Text::new(
                format!("无法读取示例申报材料 {path}：{e}"),
                self.to_string(),
            ),
            DemoError::Target { path, error } => Text::new(
                format!(
                    "{path}：无法写入演示数据库（{error}）；请用 --db 文件 指定一个可写的文件夹"
                ),
                self.to_string(),
            ),
        }
    }
}

/// The temporary name of the demo database being built beside its target, removed (with any
/// log beside it) on drop: after a failure the half-built file goes; after success the name is
/// gone already (renamed) or the database lives on under the target (hard link).
struct Building {
    temp: PathBuf,
}

impl Building {
    fn remove(&self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.temp.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

impl Drop for Building {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Build the demo round into the database file `target`, all or nothing: it is built in a
/// temporary file beside `target` and moved into place only when complete, so a demo that fails
/// midway (a bad sample set, a full disk, a kill) leaves `target` as it was. An existing
/// `target` must be an empty database (no accounts, no dossiers); one that holds data is
/// refused untouched.
pub fn build_file(
    criteria: &Criteria,
    criteria_files: &BTreeMap<String, String>,
    target: &Path,
    samples: &Path,
    seed: u64,
) -> Result<DemoSummary, DemoError> {
    let target_error = |e: &dyn std::fmt::Display| DemoError::Target {
        path: target.display().to_string(),
        error: e.to_string(),
    };
    let existed = std::fs::symlink_metadata(target).is_ok();
    if existed {
        let store = Store::open(target)?;
        if store.has_accounts()? || store.status_unchecked()?.dossiers > 0 {
            return Err(DemoError::NotEmpty);
        }
        drop(store);
        // The last connection to close removes the log: one still there means another program
        // has the database open, and the file must not be replaced under it.
        let mut wal = target.as_os_str().to_owned();
        wal.push("-wal");
        if Path::new(&wal).exists() {
            return Err(target_error(&"the database is open in another program"));
        }
    }
    let name = target
        .file_name()
        .ok_or_else(|| target_error(&"not a file name"))?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".demo-{}", std::process::id()));
    let building = Building {
        temp: folder.join(temp_name),
    };
    building.remove();
    // Created here, never through a link someone left in the way.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&building.temp)
        .map_err(|e| target_error(&e))?;
    let summary = {
        let mut store = Store::open(&building.temp)?;
        let summary = build_pinning(criteria, criteria_files, &mut store, samples, seed)?;
        // Everything into the main file, so that moving it moves the whole database.
        store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(StoreError::from)?;
        summary
    };
    if existed {
        std::fs::rename(&building.temp, target).map_err(|e| target_error(&e))?;
    } else {
        // Never over a file that appeared meanwhile: a hard link fails if the name is taken.
        std::fs::hard_link(&building.temp, target).map_err(|e| target_error(&e))?;
    }
    drop(building);
    Ok(summary)
}

/// What the demo built.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoSummary {
    /// (account name, role label in English).
    pub accounts: Vec<(String, String)>,
    pub dossiers: usize,
    pub batches_rejected: usize,
    pub experts: usize,
    pub pairs: usize,
    pub submitted: usize,
    pub in_progress: usize,
    /// Sheets not started at all.
    pub not_started: usize,
}

/// The account name of an expert id: `E07` → `expert07`.
pub fn expert_account(expert_id: &str) -> String {
    let digits: String = expert_id.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        format!("expert-{}", expert_id.to_lowercase())
    } else {
        format!("expert{digits}")
    }
}

/// The account name of a reporting unit's official: `official-` and the sample folder's name
/// after the key (`330000-zhejiang` → `official-zhejiang`), or the key.
pub fn official_account(key: &str, folder: Option<&str>) -> String {
    let slug = folder
        .and_then(|f| f.split_once('-').map(|(_, s)| s.to_string()))
        .unwrap_or_else(|| key.to_lowercase());
    format!("official-{slug}")
}

/// Round to the rubric step, within [0, max].
fn on_step(x: f64, max: f64, step: f64) -> f64 {
    ((x / step).round() * step).clamp(0.0, max)
}

const OPINIONS_STRONG: &[&str] = &[
    "工作基础扎实，信息化服务覆盖面广，队伍稳定，方案目标明确、措施可行，建议认定。",
    "示范特色鲜明，平台运行稳定，服务成效有数据支撑，具有较好的推广价值。",
    "组织保障有力，资源整合成效明显，下一步工作计划具体，建议列入示范单位。",
];
const OPINIONS_MIDDLE: &[&str] = &[
    "具备一定工作基础，但服务成效数据不够充分，工作方案的进度安排需细化。",
    "队伍建设较好，信息化应用有一定成效，示范带动作用有待进一步体现。",
    "材料基本完整，类型标准总体符合，建议补充运行维护经费保障说明。",
];
const OPINIONS_WEAK: &[&str] = &[
    "工作基础较薄弱，服务覆盖范围有限，方案可操作性不强，暂不建议认定。",
    "与所报类型标准的契合度不高，成效数据缺乏佐证，不建议推荐。",
];

/// Plausible sheets for the given (dossier, expert) pairs: each dossier has a quality, each
/// expert a harshness, each criterion some noise; about one dossier in 25 gets one expert far
/// off the others (a strong disagreement); about one sheet in 60 is left half done.
pub fn demo_sheets(rubric: &Rubric, pairs: &[(String, String)], seed: u64) -> Vec<Sheet> {
    use std::collections::BTreeMap;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut quality: BTreeMap<&str, f64> = BTreeMap::new();
    let mut harshness: BTreeMap<&str, f64> = BTreeMap::new();
    let mut outlier: BTreeMap<&str, bool> = BTreeMap::new();
    for (d, e) in pairs {
        quality
            .entry(d)
            .or_insert_with(|| 0.52 + 0.42 * rng.random::<f64>());
        outlier.entry(d).or_insert_with(|| rng.random_bool(0.04));
        harshness
            .entry(e)
            .or_insert_with(|| -0.09 + 0.16 * rng.random::<f64>());
    }
    let mut first_of: BTreeMap<&str, &str> = BTreeMap::new();
    for (d, e) in pairs {
        first_of.entry(d).or_insert(e);
    }
    pairs
        .iter()
        .map(|(d, e)| {
            let mut level = quality[d.as_str()] + harshness[e.as_str()];
            if outlier[d.as_str()] && first_of[d.as_str()] == e.as_str() {
                level -= 0.35;
            }
            let unfinished = rng.random_bool(1.0 / 60.0);
            let scores: Vec<(String, f64)> = rubric
                .criteria
                .iter()
                .take(if unfinished {
                    rubric.criteria.len() / 2
                } else {
                    usize::MAX
                })
                .map(|c| {
                    let noise = (rng.random::<f64>() - 0.5) * 0.16;
                    (
                        c.id.clone(),
                        on_step(c.max * (level + noise), c.max, c.step),
                    )
                })
                .collect();
            let total: f64 = scores.iter().map(|(_, p)| p).sum();
            let (bank, recommend) = if total >= 78.0 {
                (OPINIONS_STRONG, true)
            } else if total >= 62.0 {
                (OPINIONS_MIDDLE, true)
            } else {
                (OPINIONS_WEAK, false)
            };
            let opinion = bank[rng.random_range(0..bank.len())].to_string();
            Sheet {
                dossier: d.clone(),
                expert_id: e.clone(),
                scores,
                opinion: if unfinished { String::new() } else { opinion },
                recommend: if unfinished { None } else { Some(recommend) },
                submitted: !unfinished,
            }
        })
        .collect()
}

/// Build the whole demo round in an empty store (criteria not pinned: tests and tools).
pub fn build(
    criteria: &Criteria,
    store: &mut Store,
    samples: &Path,
    seed: u64,
) -> Result<DemoSummary, DemoError> {
    build_pinning(criteria, &BTreeMap::new(), store, samples, seed)
}

/// Build the whole demo round in an empty store, pinning `criteria_files` to it.
pub fn build_pinning(
    criteria: &Criteria,
    criteria_files: &BTreeMap<String, String>,
    store: &mut Store,
    samples: &Path,
    seed: u64,
) -> Result<DemoSummary, DemoError> {
    if store.has_accounts()? || store.status_unchecked()?.dossiers > 0 {
        return Err(DemoError::NotEmpty);
    }
    store.set_meta("demo", "true")?;
    store.add_account(None, "ministry", &Role::Ministry, DEMO_PASSWORD, true)?;
    let ministry = store.login("ministry", DEMO_PASSWORD)?;

    let report = validate_paths_compact(criteria, &[samples.to_path_buf()])
        .map_err(|e| DemoError::Samples(samples.display().to_string(), e.to_string()))?;
    let results =
        store.import_pinning(criteria, criteria_files, &report, false, Some(&ministry))?;
    let batches_rejected = results
        .iter()
        .filter(|r| matches!(r.outcome, crate::store::BatchOutcome::Rejected { .. }))
        .count();

    let roster = read_roster(criteria, &samples.join("experts.toml"))?;
    store.import_experts(&ministry, &roster)?;

    let mut accounts: Vec<(String, Role)> = vec![("clerk".to_string(), Role::Clerk)];
    accounts.extend(roster.iter().map(|e| {
        (
            expert_account(&e.id),
            Role::Expert {
                expert_id: e.id.clone(),
            },
        )
    }));
    let folders: Vec<String> = std::fs::read_dir(samples)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    for p in criteria.provinces.all() {
        let folder = folders
            .iter()
            .find(|f| f.split_once('-').is_some_and(|(k, _)| k == p.key));
        accounts.push((
            official_account(&p.key, folder.map(String::as_str)),
            Role::Official {
                province_key: p.key.clone(),
            },
        ));
    }
    store.add_accounts(&ministry, &accounts, DEMO_PASSWORD, true)?;

    let plan = store.assign(criteria, &ministry, seed)?;
    // The first expert keeps a few dossiers untouched, so that logging in as `expert01`
    // shows the scoring walkthrough with work still to do.
    let first = roster.first().map(|e| e.id.clone()).unwrap_or_default();
    let mut left_open = 0;
    let sheets: Vec<Sheet> = demo_sheets(&criteria.rubric, &plan.assignments, seed)
        .into_iter()
        .filter(|s| {
            let open = s.expert_id == first && left_open < LEFT_OPEN;
            left_open += usize::from(open);
            !open
        })
        .collect();
    store.store_demo_sheets(&criteria.rubric, &sheets, expert_account)?;

    let mut listed = vec![("ministry".to_string(), "ministry".to_string())];
    listed.extend(accounts.iter().map(|(n, r)| (n.clone(), r.label().en)));
    Ok(DemoSummary {
        accounts: listed,
        dossiers: plan.dossiers,
        batches_rejected,
        experts: plan.experts,
        pairs: plan.pairs,
        submitted: sheets.iter().filter(|s| s.submitted).count(),
        in_progress: sheets.iter().filter(|s| !s.submitted).count(),
        not_started: left_open,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names() {
        assert_eq!(expert_account("E07"), "expert07");
        assert_eq!(
            official_account("330000", Some("330000-zhejiang")),
            "official-zhejiang"
        );
        assert_eq!(official_account("XJBT", None), "official-xjbt");
    }
}
