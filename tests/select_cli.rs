//! The exact selection through the binary on the demo round: the cases the old walk missed
//! select what the definition says, what-ifs that cannot hold are refused, and an upheld
//! objection promotes a unit that keeps every limit, type minimums included.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::*;
use serde_json::Value;

fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("round.db");
    let out = shifan(&db).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn shifan(db: &Path) -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env("SHIFAN_TODAY", "2026-08-31")
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_CRITERIA")
        .arg("--db")
        .arg(db)
        .args(["--lang", "en"]);
    c
}

fn select(db: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let out = shifan(db)
        .args(["--user", "ministry", "select", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v)
}

/// Per province and per type counts of the selected codes.
fn counts(v: &Value) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let rows = v["round"]["ranking"]["rows"].as_array().unwrap();
    let mut p = BTreeMap::new();
    let mut t = BTreeMap::new();
    for code in v["selection"]["selected"].as_array().unwrap() {
        let row = rows.iter().find(|r| r["code"] == *code).unwrap();
        *p.entry(row["province_key"].as_str().unwrap().to_string())
            .or_default() += 1;
        *t.entry(row["type_id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    (p, t)
}

#[test]
fn the_cases_the_old_walk_missed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());

    // 30 units, one per province, at least 3 of 其他类型: the old walk picked 0 others.
    let (code, v) = select(
        &db,
        &[
            "--target",
            "30",
            "--max-per-province",
            "1",
            "--type-limit",
            "other:3:",
        ],
    );
    assert_eq!(code, Some(0), "{}", v["selection"]);
    let (p, t) = counts(&v);
    assert_eq!(v["selection"]["selected"].as_array().unwrap().len(), 30);
    assert!(p.values().all(|&n| n <= 1), "{p:?}");
    assert_eq!(t.get("other"), Some(&3), "{t:?}");
    assert!(
        v["selection"]["unmet_minimums"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // 98 units, at most 3 per province, 信息服务型 at most 10: the old walk selected 96.
    let (code, v) = select(
        &db,
        &[
            "--target",
            "98",
            "--max-per-province",
            "3",
            "--type-limit",
            "information_service::10",
        ],
    );
    assert_eq!(code, Some(0), "{}", v["selection"]);
    let (p, t) = counts(&v);
    assert_eq!(v["selection"]["selected"].as_array().unwrap().len(), 98);
    assert!(p.values().all(|&n| n <= 3), "{p:?}");
    assert!(
        t.get("information_service").copied().unwrap_or(0) <= 10,
        "{t:?}"
    );
}

#[test]
fn what_ifs_that_cannot_hold_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    for (args, says) in [
        (vec!["--type-limit", "other:5:2"], "min"),
        (vec!["--target", "0"], "target"),
        (vec!["--max-per-province", "0"], "max"),
    ] {
        let out = shifan(&db)
            .args(["--user", "ministry", "select"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("the limits cannot hold together") && err.contains(says),
            "{args:?}: {err}"
        );
    }
}

/// 整体推进型 has its minimum (10) exactly on the sealed list: removing one of them promotes
/// an 整体推进型 unit, even when better-ranked units of other types are off the list.
#[test]
fn a_promotion_keeps_a_type_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    // A copy of the criteria where the list must hold exactly as many 整体推进型 as the round's
    // own selection gives, so the minimum binds.
    let (_, base) = select(&db, &[]);
    let (_, t) = counts(&base);
    let oa = t.get("overall_advancement").copied().unwrap_or(0);
    assert!(oa >= 10, "{t:?}");
    let crit = dir.path().join("criteria");
    std::fs::create_dir_all(&crit).unwrap();
    for e in std::fs::read_dir(root().join("criteria")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), crit.join(e.file_name())).unwrap();
    }
    let round = crit.join("round.toml");
    let text = std::fs::read_to_string(&round).unwrap();
    let text = text.replacen(
        "type = \"overall_advancement\"\nmin = 10",
        &format!("type = \"overall_advancement\"\nmin = {oa}"),
        1,
    );
    assert!(text.contains(&format!("min = {oa}")), "round.toml changed");
    std::fs::write(&round, text).unwrap();
    let db2 = dir.path().join("binding.db");
    let out = Command::cargo_bin("shifan")
        .unwrap()
        .current_dir(root())
        .env("SHIFAN_TODAY", "2026-08-31")
        .env_remove("SHIFAN_CRITERIA")
        .arg("--criteria")
        .arg(&crit)
        .arg("--db")
        .arg(&db2)
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s2 = |args: &[&str], code: i32| {
        let out = shifan(&db2)
            .args(["--user", "ministry"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    s2(
        &[
            "publicity",
            "propose",
            "--on",
            "2026-07-31",
            "--accept-incomplete",
            "demo",
        ],
        0,
    );
    s2(&["publicity", "start", "--on", "2026-08-03"], 0);
    let status: Value =
        serde_json::from_str(&s2(&["publicity", "status", "--format", "json"], 0)).unwrap();
    let list = status["current_list"].as_array().unwrap();
    let oa_on_list: Vec<&Value> = list
        .iter()
        .filter(|e| e["type_id"] == "overall_advancement")
        .collect();
    assert_eq!(oa_on_list.len(), oa, "the minimum binds");
    let victim = oa_on_list[0]["code"].as_str().unwrap();
    s2(
        &[
            "publicity",
            "object",
            "--dossier",
            victim,
            "--by",
            "李四",
            "--summary",
            "数据不实",
            "--on",
            "2026-08-04",
        ],
        0,
    );
    s2(
        &[
            "publicity",
            "resolve",
            "--id",
            "1",
            "--upheld",
            "--note",
            "属实",
            "--on",
            "2026-08-05",
        ],
        0,
    );
    let status: Value =
        serde_json::from_str(&s2(&["publicity", "status", "--format", "json"], 0)).unwrap();
    let promoted = status["changes"][0]["promoted"].as_str().unwrap();
    let list = status["current_list"].as_array().unwrap();
    let entry = list.iter().find(|e| e["code"] == promoted).unwrap();
    assert_eq!(entry["type_id"], "overall_advancement", "{entry}");
    let oa_after = list
        .iter()
        .filter(|e| e["type_id"] == "overall_advancement")
        .count();
    assert_eq!(oa_after, oa, "the list keeps its 整体推进型 minimum");
    // The promoted unit is published from the next working day: an objection against it
    // in that period is taken, not refused as "not on the list" or "late".
    s2(
        &[
            "publicity",
            "object",
            "--dossier",
            promoted,
            "--by",
            "王五",
            "--summary",
            "补充公示期异议",
            "--on",
            "2026-08-10",
        ],
        0,
    );
}
