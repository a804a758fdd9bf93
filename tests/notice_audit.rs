//! `shifan notice …` through the real binary: each run is one `documents.generate` audit entry
//! naming the folder and every file's SHA-256, a refused run records nothing, and
//! `shifan audit verify` still finds the log intact.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-08-31";

fn shifan(db: &Path, user: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shifan"));
    c.current_dir(common::root())
        .env("SHIFAN_PASSWORD", "demo")
        .env("SHIFAN_TODAY", TODAY)
        .env_remove("SHIFAN_USER")
        .args(["--lang", "en", "--db"])
        .arg(db);
    if let Some(u) = user {
        c.args(["--user", u]);
    }
    c.args(args).output().expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The `documents.generate` entries: (seq, actor, detail).
fn generations(db: &Path) -> Vec<(i64, String, String)> {
    let conn = rusqlite::Connection::open(db).expect("db");
    let mut stmt = conn
        .prepare(
            "SELECT seq, actor, detail FROM audit WHERE action = 'documents.generate' ORDER BY seq",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_notice_command_writes_one_audit_entry_with_each_files_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = shifan(&db, None, &["demo"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(generations(&db).is_empty());

    // Score sheets: one file per expert, all in one entry.
    let sheets = dir.path().join("sheets");
    let out = shifan(
        &db,
        Some("clerk"),
        &["notice", "score-sheets", "--out", sheets.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let g = generations(&db);
    assert_eq!(g.len(), 1, "{g:?}");
    let (seq, actor, detail) = &g[0];
    assert_eq!(actor, "clerk");
    assert!(detail.starts_with("score-sheets into "), "{detail}");
    assert!(detail.contains(&sheets.display().to_string()), "{detail}");
    let mut files: Vec<String> = std::fs::read_dir(&sheets)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 40);
    assert!(detail.contains("40 files:"), "{detail}");
    for f in &files {
        let sha = shifan::store::sha256_hex(&std::fs::read(sheets.join(f)).unwrap());
        assert!(
            detail.contains(&format!("{f} sha256 {sha}")),
            "{f}: {detail}"
        );
    }
    // The command says where, in full, and which entry records it.
    let said = text(&out);
    assert!(
        said.contains(&format!(
            "wrote 40 files into {}; recorded as audit entry {seq}",
            sheets.display()
        )),
        "{said}"
    );
    // The sheets print the head before that entry in their footers.
    assert!(
        detail.contains(&format!("printed at audit head {}:", seq - 1)),
        "{detail}"
    );

    // A draft publicity notice: one more entry, one file.
    let notice = dir.path().join("notice");
    let out = shifan(
        &db,
        Some("clerk"),
        &[
            "notice",
            "publicity",
            "--draft",
            "--out",
            notice.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let g = generations(&db);
    assert_eq!(g.len(), 2);
    assert!(
        g[1].2.starts_with("publicity-notice (draft) into "),
        "{}",
        g[1].2
    );
    assert!(
        g[1].2
            .contains("1 files: publicity-notice-draft.pdf sha256 ")
    );

    // Refused runs record nothing: a folder that holds files without --force, and the sealed
    // notice before any list is proposed (which leaves no folder behind).
    let out = shifan(
        &db,
        Some("clerk"),
        &["notice", "score-sheets", "--out", sheets.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--force"), "{}", text(&out));
    let never = dir.path().join("never");
    let out = shifan(
        &db,
        Some("clerk"),
        &["notice", "publicity", "--out", never.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!never.exists());
    assert_eq!(generations(&db).len(), 2);

    // --force replaces the sheets: a third entry; the log is intact.
    let out = shifan(
        &db,
        Some("clerk"),
        &[
            "notice",
            "score-sheets",
            "--out",
            sheets.to_str().unwrap(),
            "--force",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(generations(&db).len(), 3);
    let out = shifan(&db, Some("ministry"), &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out));
}
