//! Remote scoring packages (函评) on the demo round, through the CLI as the ministry and an
//! expert would use them: what a package holds (one expert's dossiers and sheets, nothing of
//! anyone else), scoring in it offline with `--package`, the cover letter with the code, and
//! the returns refused — altered, foreign, superseded, returned twice, changed on the server,
//! outside the review phase — each naming the file and storing nothing.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use std::path::{Path, PathBuf};

use serde_json::Value;

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

fn ministry(db: &Path, args: &[&str]) -> std::process::Output {
    common::shifan_as(db, "ministry", TODAY)
        .args(args)
        .output()
        .expect("runs")
}

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `package export` for `expert` into `dir`: the package file and its code.
fn export(db: &Path, dir: &Path, expert: &str, name: &str) -> (PathBuf, String, Value) {
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
fn in_package(file: &Path, code: &str, args: &[&str]) -> std::process::Output {
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
fn score_whole_sheet(file: &Path, code: &str, dossier: &str) {
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
fn open_sheets(db: &Path) -> Vec<(String, String)> {
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

fn audit_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("db");
    conn.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .expect("count")
}

fn submitted_total(db: &Path, expert: &str, dossier: &str) -> Option<f64> {
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

fn verify(db: &Path) {
    let out = ministry(db, &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_package_holds_one_experts_work_is_scored_offline_and_comes_back_once() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let dir = demo.dir.path();
    let (expert, dossier) = open_sheets(&db).into_iter().next().expect("an open sheet");
    let (file, code, issued) = export(&db, dir, &expert, "E.shifan");
    let size = std::fs::metadata(&file).unwrap().len();
    assert_eq!(issued["bytes"].as_u64(), Some(size));

    // What is inside: this expert's rows only, sealed in the package's own first entry.
    let (names, assigned): (Vec<String>, Vec<String>) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let names = conn
            .prepare("SELECT name FROM expert WHERE id <> ?1")
            .unwrap()
            .query_map([&expert], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let assigned = conn
            .prepare("SELECT dossier_code FROM assignment WHERE expert_id = ?1 AND ended_at IS NULL ORDER BY dossier_code")
            .unwrap()
            .query_map([&expert], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        (names, assigned)
    };
    let opened = shifan::package::file::read("E.shifan", std::fs::read(&file).unwrap())
        .unwrap()
        .open_with_code("E.shifan", &code.to_lowercase())
        .expect("the code opens it, however typed");
    let inside = String::from_utf8_lossy(&opened.database).into_owned();
    for n in &names {
        assert!(
            !inside.contains(n.as_str()),
            "another expert's name {n} is in the package"
        );
    }
    let pkg = shifan::store::Store::open_bytes(&opened.database, None).unwrap();
    let conn = pkg.connection();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("SELECT COUNT(*) FROM expert"), 1);
    assert_eq!(one("SELECT COUNT(*) FROM account"), 1);
    assert_eq!(
        one(&format!(
            "SELECT COUNT(*) FROM assignment WHERE expert_id <> '{expert}'"
        )),
        0
    );
    assert_eq!(
        one(&format!(
            "SELECT COUNT(*) FROM sheet WHERE expert_id <> '{expert}'"
        )),
        0
    );
    assert_eq!(one("SELECT COUNT(*) FROM dossier"), assigned.len() as i64);
    assert_eq!(
        one("SELECT COUNT(*) FROM panel_vote") + one("SELECT COUNT(*) FROM package"),
        0
    );
    assert_eq!(one("SELECT COUNT(*) FROM audit"), 1);
    assert_eq!(
        one("SELECT COUNT(*) FROM criteria_file WHERE name IN ('rubric.toml', 'types.toml')"),
        2,
        "the rubric with its guidance and the type standards travel with it"
    );
    drop(pkg);

    // The expert, offline: the same commands with --package, JSON included.
    let mine: Value =
        serde_json::from_str(&ok(in_package(&file, &code, &["mine", "--format", "json"]))).unwrap();
    let codes: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, assigned);
    let wrong = in_package(&file, "0000-0000-0000-0000", &["mine"]);
    assert_eq!(wrong.status.code(), Some(1));
    let why = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        why.contains("E.shifan") && why.contains("code does not open"),
        "{why}"
    );
    let refused = in_package(
        &file,
        &code,
        &[
            "score",
            "--dossier",
            &dossier,
            "--criterion",
            "infrastructure",
            "--points",
            "11",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("outside 0–10"));
    let before = std::fs::read(&file).unwrap();
    score_whole_sheet(&file, &code, &dossier);
    assert_ne!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is written after each change"
    );
    let sheet: Value = serde_json::from_str(&ok(in_package(
        &file,
        &code,
        &["sheet", "--dossier", &dossier, "--format", "json"],
    )))
    .unwrap();
    assert_eq!(sheet["submitted"], true, "{sheet}");
    let recuse = in_package(
        &file,
        &code,
        &["recuse", "--dossier", &dossier, "--reason", "x"],
    );
    assert!(String::from_utf8_lossy(&recuse.stderr).contains("tell the ministry"));
    // Nothing reaches the round until the package comes back.
    assert_eq!(submitted_total(&db, &expert, &dossier), None);

    // The ministry takes it back once.
    let entries = audit_count(&db);
    let back = ok(ministry(
        &db,
        &[
            "package",
            "import",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
    ));
    let back: Value = serde_json::from_str(&back).unwrap();
    assert_eq!(back["merged"], serde_json::json!([dossier]));
    assert_eq!(back["submitted"], serde_json::json!([dossier]));
    assert_eq!(submitted_total(&db, &expert, &dossier), Some(82.0));
    assert_eq!(
        audit_count(&db),
        entries + 2,
        "one entry per sheet, one for the return"
    );
    let again = ministry(&db, &["package", "import", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    let why = String::from_utf8_lossy(&again.stderr);
    assert!(
        why.contains("imported already") && why.contains("E.shifan"),
        "{why}"
    );
    assert_eq!(audit_count(&db), entries + 2);
    verify(&db);

    // The cover letter carries the code, the file and the expert, in embedded fonts.
    let letter = dir.join("E-letter.pdf");
    let text = common::tool("pdftotext", &["-layout"], &letter).replace(char::is_whitespace, "");
    assert!(text.contains(&code), "{text}");
    assert!(
        text.contains("E.shifan") && text.contains("shifan--package"),
        "{text}"
    );
    let info = common::tool("pdfinfo", &[], &letter);
    assert!(
        info.contains("Pages:           1"),
        "the 落款 stays on the letter's page: {info}"
    );
    let fonts = common::tool("pdffonts", &[], &letter);
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "{fonts}"
    );
}

#[test]
fn returns_that_cannot_be_trusted_are_refused_whole() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let dir = demo.dir.path();
    let open = open_sheets(&db);
    let mut experts: Vec<String> = open.iter().map(|(e, _)| e.clone()).collect();
    experts.dedup();
    assert!(
        experts.len() >= 3,
        "the demo round leaves sheets open with several experts"
    );
    let first = |e: &str| open.iter().find(|(x, _)| x == e).unwrap().1.clone();

    // Altered: one byte changed after the expert scored.
    let (a, ka, _) = export(&db, dir, &experts[0], "a.shifan");
    score_whole_sheet(&a, &ka, &first(&experts[0]));
    let mut bytes = std::fs::read(&a).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let altered = dir.join("a-altered.shifan");
    std::fs::write(&altered, &bytes).unwrap();
    let entries = audit_count(&db);
    let out = ministry(&db, &["package", "import", altered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("a-altered.shifan") && why.contains("does not match its authentication code"),
        "{why}"
    );
    assert_eq!(audit_count(&db), entries, "nothing stored");
    assert_eq!(submitted_total(&db, &experts[0], &first(&experts[0])), None);

    // Superseded: a second package to the same expert; the first no longer comes back.
    let (_a2, _, _) = export(&db, dir, &experts[0], "a2.shifan");
    let out = ministry(&db, &["package", "import", a.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("was superseded by"));

    // Changed on the server meanwhile: a sheet scored online after the package was issued.
    let (b, kb, _) = export(&db, dir, &experts[1], "b.shifan");
    score_whole_sheet(&b, &kb, &first(&experts[1]));
    let account: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT name FROM account WHERE expert_id = ?1",
            [&experts[1]],
            |r| r.get(0),
        )
        .unwrap();
    ok(common::shifan_as(&db, &account, TODAY)
        .args([
            "opinion",
            "--dossier",
            &first(&experts[1]),
            "--text",
            "线上补充意见",
        ])
        .output()
        .unwrap());
    let out = ministry(&db, &["package", "import", b.to_str().unwrap()]);
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("changed on the server after the package was issued"),
        "{why}"
    );

    // Foreign: a package from another round's database.
    let other = tui_setup::demo_setup();
    let other_db = other.db.clone();
    drop(other.store);
    let (f, _, _) = export(&other_db, dir, &experts[2], "foreign.shifan");
    let out = ministry(&db, &["package", "import", f.to_str().unwrap()]);
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("was not issued by this round's database"),
        "{why}"
    );

    // Not a package at all.
    let junk = dir.join("junk.shifan");
    std::fs::write(&junk, b"hello").unwrap();
    let out = ministry(&db, &["package", "import", junk.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a scoring package"));

    // Outside the review phase: sealed after the package went out.
    let (c, kc, _) = export(&db, dir, &experts[2], "c.shifan");
    score_whole_sheet(&c, &kc, &first(&experts[2]));
    ok(common::shifan_as(&db, "ministry", "2026-07-31")
        .args([
            "publicity",
            "propose",
            "--accept-incomplete",
            "测试：封存后不再接收评分包",
        ])
        .output()
        .unwrap());
    let entries = audit_count(&db);
    let out = common::shifan_as(&db, "ministry", "2026-07-31")
        .args(["package", "import", c.to_str().unwrap()])
        .output()
        .unwrap();
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("cannot import a scoring package in the list sealed phase"),
        "{why}"
    );
    assert_eq!(audit_count(&db), entries);
    let out = common::shifan_as(&db, "ministry", "2026-07-31")
        .args(["package", "export", "--expert", &experts[2], "--out"])
        .arg(dir.join("late.shifan"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot issue a scoring package"));
    verify(&db);
}
