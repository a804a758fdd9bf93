//! Steps of remote scoring (函评) and the round around it, through the CLI, shared by the
//! package tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common;

pub const TODAY: &str = "2026-06-20";
/// Points for the 12 criteria, in the rubric's order (82 in all).
pub const POINTS: [(&str, &str); 12] = [
    ("infrastructure", "8"),
    ("technology", "7.5"),
    ("resource_integration", "8"),
    ("service_results", "9"),
    ("leadership_organisation", "6"),
    ("staff_stability", "5"),
    ("work_rules", "5"),
    ("plan_content", "6"),
    ("local_features", "5"),
    ("measures_feasibility", "6"),
    ("outlook", "4"),
    ("type_standard", "12.5"),
];

pub fn ministry(db: &Path, args: &[&str]) -> std::process::Output {
    common::shifan_as(db, "ministry", TODAY)
        .args(args)
        .output()
        .expect("runs")
}

pub fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `package export` for `expert` into `dir`: the package file and its code.
pub fn export(db: &Path, dir: &Path, expert: &str, name: &str) -> (PathBuf, String, Value) {
    let file = dir.join(name);
    let out = ok(ministry(
        db,
        &[
            "package",
            "export",
            "--expert",
            expert,
            "--out",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
    ));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let code = v["package"]["code"].as_str().expect("code").to_string();
    (file, code, v)
}

/// The expert's command in a package, with its code.
pub fn in_package(file: &Path, code: &str, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("shifan")
        .unwrap()
        .current_dir(std::env::temp_dir())
        .env("SHIFAN_TODAY", TODAY)
        .env("SHIFAN_PACKAGE_CODE", code)
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_PASSWORD")
        .env_remove("SHIFAN_DB")
        .args(["--lang", "en", "--package"])
        .arg(file)
        .args(args)
        .output()
        .expect("runs")
}

/// Score, write and submit one whole sheet in a package, through the CLI.
pub fn score_whole_sheet(file: &Path, code: &str, dossier: &str) {
    for (criterion, points) in POINTS {
        ok(in_package(
            file,
            code,
            &[
                "score",
                "--dossier",
                dossier,
                "--criterion",
                criterion,
                "--points",
                points,
            ],
        ));
    }
    ok(in_package(
        file,
        code,
        &[
            "opinion",
            "--dossier",
            dossier,
            "--text",
            "函评：材料翔实，建议推荐",
            "--recommend",
            "yes",
        ],
    ));
    ok(in_package(file, code, &["submit", "--dossier", dossier]));
}

/// (expert, dossier) of sheets still open, experts with the most first.
pub fn open_sheets(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).expect("db");
    let mut stmt = conn
        .prepare(
            "SELECT a.expert_id, a.dossier_code FROM assignment a
             LEFT JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL
             ORDER BY a.expert_id, a.dossier_code",
        )
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

pub fn audit_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("db");
    conn.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .expect("count")
}

pub fn submitted_total(db: &Path, expert: &str, dossier: &str) -> Option<f64> {
    let conn = rusqlite::Connection::open(db).expect("db");
    conn.query_row(
        "SELECT (SELECT SUM(points) FROM score s WHERE s.assignment_id = a.id)
         FROM assignment a JOIN sheet h ON h.assignment_id = a.id
         WHERE a.ended_at IS NULL AND h.submitted_at IS NOT NULL
           AND a.expert_id = ?1 AND a.dossier_code = ?2",
        [expert, dossier],
        |r| r.get(0),
    )
    .ok()
}

pub fn verify(db: &Path) {
    let out = ministry(db, &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
