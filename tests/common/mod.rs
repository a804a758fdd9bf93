//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use shifan::domain::{Criteria, Finding};
use shifan::input::criteria::load_criteria;
use shifan::validation::{Report, validate_paths};

/// The real binary, run from the checkout as `user` of a demo round (password `demo`) on
/// `today`, in English.
pub fn shifan_as(db: &Path, user: &str, today: &str) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env("SHIFAN_TODAY", today)
        .env_remove("SHIFAN_USER")
        .args(["--lang", "en", "--db"])
        .arg(db)
        .args(["--user", user]);
    c
}

/// A poppler or qpdf tool run on `path`; its standard output (pdftotext writes there).
pub fn tool(program: &str, args: &[&str], path: &Path) -> String {
    let mut cmd = std::process::Command::new(program);
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

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn criteria() -> Criteria {
    load_criteria(&root().join("criteria")).expect("the shipped criteria load")
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Copy the valid Zhejiang fixture batch into a temp folder, apply `edit` to one file's text,
/// and return the folder.
pub fn edited_batch(dir: &Path, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let src = fixture("valid/zhejiang");
    let dst = dir.join("zhejiang");
    std::fs::create_dir_all(&dst).unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let text = if name == file { edit(&text) } else { text };
        std::fs::write(dst.join(&name), text).unwrap();
    }
    dst
}

pub fn validate(criteria: &Criteria, path: &Path) -> Report {
    validate_paths(criteria, &[path.to_path_buf()]).expect("path exists")
}

pub fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}
