//! Remote scoring packages (函评) on the demo round, through the CLI as the ministry and an
//! expert would use them: what a package holds (one expert's dossiers and sheets, nothing of
//! anyone else), scoring in it offline with `--package`, the cover letter with the code, and
//! the returns refused — altered, foreign, superseded, returned twice, changed on the server,
//! outside the review phase — each naming the file and storing nothing.

mod common;
#[path = "common/package_steps.rs"]
mod package_steps;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use serde_json::Value;

use package_steps::*;

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

    // A byte of the header changed (the expert it names): the same refusal.
    let original = std::fs::read(&a).unwrap();
    let nl = original.iter().position(|b| *b == b'\n').unwrap() + 1;
    let header_end = nl + original[nl..].iter().position(|b| *b == b'\n').unwrap();
    let header = String::from_utf8(original[nl..header_end].to_vec()).unwrap();
    let renamed = header.replace(
        &format!("\"expert_id\":\"{}\"", experts[0]),
        &format!("\"expert_id\":\"{}\"", experts[1]),
    );
    assert_ne!(renamed, header);
    let forged = [&original[..nl], renamed.as_bytes(), &original[header_end..]].concat();
    let forged_file = dir.join("a-forged.shifan");
    std::fs::write(&forged_file, forged).unwrap();
    let out = ministry(&db, &["package", "import", forged_file.to_str().unwrap()]);
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("a-forged.shifan") && why.contains("does not match its authentication code"),
        "{why}"
    );
    assert_eq!(audit_count(&db), entries);

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
