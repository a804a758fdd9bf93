//! The binary as a user runs it: exit codes, report text, JSON, languages.

mod common;

use assert_cmd::Command;
use common::*;

fn shifan() -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root());
    c
}

#[test]
fn validate_clean_batch_exits_0() {
    let out = shifan()
        .args(["validate", "tests/fixtures/valid/zhejiang"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("== 浙江省"), "{text}");
    assert!(text.contains("整体推进型 1"), "{text}");
}

#[test]
fn validate_error_exits_1_and_names_file_field_and_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace("hotline_12316_open = true", "hotline_12316_open = false")
    });
    let out = shifan()
        .args(["validate", "--lang", "en"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("E-TYPE-STANDARD"), "{text}");
    assert!(text.contains("deqing.toml:39:1"), "{text}");
    assert!(
        text.contains("[type_evidence.hotline_12316_open]"),
        "{text}"
    );
    assert!(text.contains("fix:"), "{text}");
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = shifan()
        .args(["validate", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/folder"));
    let out = shifan().args(["validate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_lists_findings_with_codes_and_places() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "submission.toml", |t| {
        t.replace("copies = 5", "copies = 2")
    });
    let out = shifan()
        .args(["validate", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "E-COPIES");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["field"], "copies");
    assert_eq!(f["line"], 4);
    assert_eq!(f["province"], "330000");
    assert!(f["message"]["zh"].as_str().unwrap().contains("一式 5 份"));
}

#[test]
fn import_then_status_on_a_db_file() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("round.db");
    let out = shifan()
        .args(["import", "tests/fixtures/valid/zhejiang", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("已导入 2 份"));
    let out = shifan()
        .args(["status", "--format", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dossiers"], 2);
    let out = shifan()
        .args(["status", "--lang", "en", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Zhejiang"));
}
