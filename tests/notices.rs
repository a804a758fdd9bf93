//! The clerk's documents from a real round: the PDFs match the database exactly.

mod common;

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use common::*;
use serde_json::Value;

fn shifan(db: &Path, user: &str) -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env_remove("SHIFAN_USER")
        .args(["--lang", "en", "--db"])
        .arg(db)
        .args(["--user", user]);
    c
}

fn run(db: &Path, user: &str, args: &[&str], code: i32) -> String {
    let out = shifan(db, user).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{user} {args:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn tool(program: &str, args: &[&str], path: &Path) -> String {
    let mut cmd = Process::new(program);
    cmd.args(args).arg(path);
    if program == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed (poppler-utils, qpdf): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The text of a PDF in content order (`-raw`: a table cell's lines stay together), with all
/// white space removed (names may wrap inside table cells).
fn squeezed_text(path: &Path) -> String {
    tool("pdftotext", &["-raw", "-enc", "UTF-8"], path)
        .split_whitespace()
        .collect::<String>()
}

fn check_pdf(path: &Path) {
    let fonts = tool("pdffonts", &[], path);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(cols[0].chars().nth(6) == Some('+'), "not a subset: {line}");
        assert!(
            line.contains(" yes yes yes "),
            "not embedded as a subset with ToUnicode: {line}"
        );
    }
    tool("qpdf", &["--check"], path);
}

#[test]
fn the_printed_notices_match_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = Command::cargo_bin("shifan")
        .unwrap()
        .current_dir(root())
        .arg("--db")
        .arg(&db)
        .arg("demo")
        .output()
        .unwrap();
    assert!(out.status.success());
    let docs = dir.path().join("docs");
    let docs_s = docs.to_str().unwrap();

    // Before a list is proposed: the command says so and how; a draft prints the selection.
    let refused = run(&db, "clerk", &["notice", "publicity", "--out", docs_s], 1);
    assert!(refused.contains("shifan publicity propose"), "{refused}");
    run(
        &db,
        "clerk",
        &[
            "notice",
            "publicity",
            "--draft",
            "--out",
            docs_s,
            "--date",
            "2026-07-30",
        ],
        0,
    );
    let draft = docs.join("publicity-notice-draft.pdf");
    check_pdf(&draft);
    let pages = tool("pdftotext", &["-enc", "UTF-8"], &draft);
    let n_pages = pages.matches('\u{c}').count();
    assert!(n_pages >= 3);
    assert_eq!(pages.matches("草稿").count(), n_pages, "草稿 on every page");

    // The sealed list: every unit name exactly, the hash on the printout.
    let sealed = run(
        &db,
        "ministry",
        &["publicity", "propose", "--on", "2026-07-31"],
        0,
    );
    let hash = sealed.split_whitespace().last().unwrap().to_string();
    run(
        &db,
        "clerk",
        &[
            "notice",
            "publicity",
            "--out",
            docs_s,
            "--date",
            "2026-07-31",
            "--start",
            "2026-08-03",
        ],
        0,
    );
    let notice = docs.join("publicity-notice.pdf");
    check_pdf(&notice);
    let text = squeezed_text(&notice);
    let status: Value = serde_json::from_str(&run(
        &db,
        "ministry",
        &["publicity", "status", "--format", "json"],
        0,
    ))
    .unwrap();
    let listed = status["current_list"].as_array().unwrap();
    assert_eq!(listed.len(), 100);
    for e in listed.iter().chain(status["reserve"].as_array().unwrap()) {
        let name: String = e["applicant"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .collect();
        assert!(text.contains(&name), "{name} missing from the notice");
    }
    assert!(
        text.contains(&hash),
        "the sealed hash {hash} is not printed"
    );
    assert!(text.contains("2026年8月3日至8月7日"), "period");
    assert!(
        text.contains("王明") && text.contains("xxhc@agri.gov.cn"),
        "contacts"
    );
    assert!(!text.contains("草稿"));

    // Confirmation notices only once the list is confirmed: one per unit, named in it.
    let early = run(
        &db,
        "clerk",
        &["notice", "confirmation", "--out", docs_s],
        1,
    );
    assert!(early.contains("not confirmed"), "{early}");
    run(
        &db,
        "ministry",
        &["publicity", "start", "--on", "2026-08-03"],
        0,
    );
    run(
        &db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-10"],
        0,
    );
    run(
        &db,
        "clerk",
        &["notice", "confirmation", "--out", docs_s],
        0,
    );
    let confirmations: Vec<_> = std::fs::read_dir(&docs)
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with("confirmation-"))
        .collect();
    assert_eq!(confirmations.len(), 100);
    let first = &listed[0];
    let path = docs.join(format!(
        "confirmation-{}.pdf",
        first["code"].as_str().unwrap()
    ));
    check_pdf(&path);
    let name: String = first["applicant"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(squeezed_text(&path).contains(&name));

    // Score sheets: one per expert, with every dossier of theirs.
    run(
        &db,
        "clerk",
        &["notice", "score-sheets", "--out", docs_s],
        0,
    );
    let sheet = docs.join("score-sheet-E02.pdf");
    check_pdf(&sheet);
    let text = squeezed_text(&sheet);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut q = conn
        .prepare("SELECT dossier_code FROM assignment WHERE expert_id = 'E02' AND ended_at IS NULL")
        .unwrap();
    let codes: Vec<String> = q
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!codes.is_empty());
    for c in &codes {
        assert!(text.contains(c.as_str()), "{c} missing from E02's sheet");
    }
    assert!(text.contains("专家签名"));
    // Experts and officials do not print.
    run(
        &db,
        "expert01",
        &["notice", "score-sheets", "--out", docs_s],
        3,
    );
    run(
        &db,
        "official-zhejiang",
        &["notice", "publicity", "--out", docs_s],
        3,
    );
}
