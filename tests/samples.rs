//! The shipped national sample set: `validate` reports exactly the defects that
//! `sample-applications/README.md` says were planted, and nothing else.

mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use common::*;
use shifan::input::experts::read_roster;

/// The planted defects as the README's table lists them: (code, folder/file).
fn planted_from_readme() -> BTreeSet<(String, String)> {
    let readme = std::fs::read_to_string(root().join("sample-applications/README.md")).unwrap();
    let section = readme
        .split("## Planted defects")
        .nth(1)
        .expect("README has a planted-defects section");
    let section = section.split("\n## ").next().unwrap();
    let mut planted = BTreeSet::new();
    for row in section.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() != 5 || !cells[0].chars().all(|c| c.is_ascii_digit()) {
            continue; // header or separator
        }
        let ticked = |cell: &str| -> Vec<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        };
        let folders = ticked(cells[2]);
        let files = ticked(cells[3]);
        assert_eq!(folders.len(), files.len(), "row {row}");
        let code = cells[4].split_whitespace().next().unwrap().to_string();
        for (folder, file) in folders.iter().zip(&files) {
            planted.insert((code.clone(), format!("{folder}/{file}")));
        }
    }
    planted
}

#[test]
fn validate_reports_exactly_the_planted_defects() {
    let planted = planted_from_readme();
    assert_eq!(planted.len(), 7, "six defects, the duplicate in two files");

    let report = validate(&criteria(), &root().join("sample-applications"));
    let found: BTreeSet<(String, String)> = report
        .findings
        .iter()
        .map(|f| {
            let file = f.file.replace('\\', "/");
            let rel = file
                .split("sample-applications/")
                .nth(1)
                .unwrap_or(&file)
                .to_string();
            (f.code.as_str().to_string(), rel)
        })
        .collect();
    assert_eq!(found, planted, "findings: {:#?}", report.findings);
    assert_eq!(report.findings.len(), 7, "no finding twice");
    assert_eq!(report.errors(), 6);
    assert_eq!(report.warnings(), 1);
    assert_eq!(report.dossier_count(), 300);
    assert_eq!(report.batches.len(), 39);
    let importable = report.batches.iter().filter(|b| b.importable()).count();
    assert_eq!(importable, 33);
}

#[test]
fn validate_binary_on_samples_exits_1_with_the_planted_codes() {
    let out = Command::cargo_bin("shifan")
        .unwrap()
        .current_dir(root())
        .args(["validate", "sample-applications", "--lang", "en"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for code in [
        "E-CAP",
        "E-LATE",
        "E-DUP-APPLICANT",
        "E-TYPE-STANDARD",
        "W-ENCODING-GB18030",
        "E-REVIEW-MISSING",
    ] {
        assert!(text.contains(code), "{code} missing from:\n{text}");
    }
}

#[test]
fn sample_roster_reads_with_every_type_covered() {
    let criteria = criteria();
    let experts = read_roster(&criteria, &root().join("sample-applications/experts.toml")).unwrap();
    assert_eq!(experts.len(), 40);
    for t in criteria.types.all() {
        let n = experts
            .iter()
            .filter(|e| e.expertise.iter().any(|x| x == &t.id))
            .count();
        assert!(n >= 11, "type {} covered by only {n} experts", t.id);
    }
}
