//! Scale work, checked at small scale on real stores: the totals kept with each sheet (schema 5)
//! equal the sum of its scores after every kind of write, and ranking from them equals ranking
//! from the scores (same rows, same inputs hash) on the demo round; a generated roster covers
//! every type and scores a generated set through `shifan demo --samples`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;
use shifan::demo::DEMO_PASSWORD;
use shifan::domain::Criteria;
use shifan::store::Store;

/// Every sheet's kept total and group subtotals against the sum of its score rows; returns how
/// many sheets were compared.
fn totals_match_scores(db: &Path, criteria: &Criteria) -> usize {
    let c = Connection::open(db).unwrap();
    let group_of: BTreeMap<&str, &str> = criteria
        .rubric
        .criteria
        .iter()
        .map(|k| (k.id.as_str(), k.group.as_str()))
        .collect();
    let mut sums: BTreeMap<i64, (f64, BTreeMap<String, f64>)> = BTreeMap::new();
    let mut stmt = c
        .prepare(
            "SELECT h.assignment_id, s.criterion, s.points FROM sheet h
             LEFT JOIN score s ON s.assignment_id = h.assignment_id",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let id: i64 = r.get(0).unwrap();
        let e = sums.entry(id).or_default();
        if let Some(crit) = r.get::<_, Option<String>>(1).unwrap() {
            let p: f64 = r.get(2).unwrap();
            e.0 += p;
            *e.1.entry(group_of[crit.as_str()].to_string()).or_default() += p;
        }
    }
    let mut stmt = c
        .prepare("SELECT assignment_id, total, groups FROM sheet_total")
        .unwrap();
    let kept: BTreeMap<i64, (f64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // A sheet row with no score yet (opinion only) may have no kept total; every sheet with
    // scores has one, and it is right.
    for (id, (t, g)) in &sums {
        if g.is_empty() {
            continue;
        }
        let (total, groups) = kept
            .get(id)
            .unwrap_or_else(|| panic!("assignment {id}: no kept total"));
        assert_eq!(total, t, "assignment {id}: total");
        let text: String = g.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        assert_eq!(groups, &text, "assignment {id}: group subtotals");
    }
    kept.len()
}

/// Ranking from the kept totals equals ranking from every score: rows and inputs hash.
fn ranking_matches_scores(store: &Store, criteria: &Criteria) -> String {
    let m = store.login("ministry", DEMO_PASSWORD).unwrap();
    let kept = store.ranking(criteria, &m).unwrap().ranking;
    let summed = store.ranking_from_scores(criteria, &m).unwrap().ranking;
    assert_eq!(kept.inputs_hash, summed.inputs_hash);
    assert_eq!(kept, summed);
    kept.inputs_hash
}

fn demo_store(dir: &Path, criteria: &Criteria) -> (Store, std::path::PathBuf) {
    let files =
        shifan::input::criteria::read_criteria_files(&common::root().join("criteria")).unwrap();
    let path = dir.join("demo.db");
    let mut store = Store::open(&path).unwrap();
    shifan::demo::build_pinning(
        criteria,
        &files,
        &mut store,
        &common::root().join("sample-applications"),
        1,
    )
    .unwrap();
    (store, path)
}

#[test]
fn kept_totals_equal_the_scores_after_every_kind_of_write_and_rank_the_same() {
    let c = common::criteria();
    let dir = tempfile::tempdir().unwrap();
    let (mut store, db) = demo_store(dir.path(), &c);

    // The demo's sheets (one step for all of them).
    assert!(totals_match_scores(&db, &c) > 1000);
    let h0 = ranking_matches_scores(&store, &c);

    // An expert scores a dossier left open, criterion by criterion, and submits it.
    let e = store.login("expert01", DEMO_PASSWORD).unwrap();
    let open = store
        .my_dossiers(&e)
        .unwrap()
        .into_iter()
        .find(|d| d.scored == 0 && !d.submitted)
        .expect("expert01 has dossiers not started");
    for (i, k) in c.rubric.criteria.iter().enumerate() {
        store
            .set_score(
                &c,
                &e,
                &open.code,
                &k.id,
                if i % 2 == 0 { k.max } else { 0.0 },
            )
            .unwrap();
        if i == 2 {
            assert_eq!(totals_match_scores(&db, &c), totals_match_scores(&db, &c));
        }
    }
    store
        .set_opinion(&e, &open.code, Some("材料翔实，建议认定。"), Some(true))
        .unwrap();
    store.submit(&c, &e, &open.code).unwrap();
    totals_match_scores(&db, &c);
    let h1 = ranking_matches_scores(&store, &c);
    assert_ne!(h0, h1, "the new sheet enters the ranking");

    // The ministry reopens it; the expert changes a score and submits again.
    let m = store.login("ministry", DEMO_PASSWORD).unwrap();
    store
        .reopen(&m, &open.code, "E01", "复核：第一项分数有误")
        .unwrap();
    totals_match_scores(&db, &c);
    let h2 = ranking_matches_scores(&store, &c);
    assert_ne!(h1, h2, "a reopened sheet leaves the ranking");
    let first = &c.rubric.criteria[0];
    store
        .set_score(&c, &e, &open.code, &first.id, first.max - first.step)
        .unwrap();
    totals_match_scores(&db, &c);
    store.submit(&c, &e, &open.code).unwrap();
    let h3 = ranking_matches_scores(&store, &c);
    assert_ne!(h1, h3, "the changed score counts");

    // A province replaces its batch with one dossier changed: its sheets are set aside with
    // their pairs (kept, totals and all) and leave the ranking.
    let folder: std::path::PathBuf = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT b.folder FROM batch b WHERE b.replaced_at IS NULL
             AND (SELECT COUNT(*) FROM dossier d WHERE d.batch_id = b.id) > 1 ORDER BY b.id LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
        .into();
    let copy = dir.path().join("resent").join(folder.file_name().unwrap());
    std::fs::create_dir_all(&copy).unwrap();
    let mut changed = false;
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for p in names {
        let mut text = std::fs::read_to_string(&p).unwrap();
        let name = p.file_name().unwrap().to_owned();
        if !changed && name != "submission.toml" && text.contains("[provincial_review]") {
            text = text.replacen(
                "[provincial_review]",
                "[provincial_review]\n# 重新报送：补充说明\n",
                1,
            );
            text = text.replacen("opinion = \"", "opinion = \"（补充材料后）", 1);
            changed = true;
        }
        std::fs::write(copy.join(name), text).unwrap();
    }
    assert!(changed);
    let sheets_before: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM sheet_total", [], |r| r.get(0))
        .unwrap();
    let resent = common::validate(&c, &copy);
    assert_eq!(resent.errors(), 0, "{:#?}", resent.findings);
    let out = store.import(&c, &resent, true, Some(&m)).unwrap();
    let set_aside: usize = out
        .iter()
        .map(|r| match &r.outcome {
            shifan::store::BatchOutcome::Replaced { changes, .. } => {
                changes.iter().map(|c| c.sheets_set_aside).sum::<usize>()
            }
            o => panic!("{o:?}"),
        })
        .sum();
    assert!(set_aside > 0, "{out:#?}");
    let sheets_after: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM sheet_total", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        sheets_before, sheets_after,
        "set-aside sheets keep their totals"
    );
    totals_match_scores(&db, &c);
    let h4 = ranking_matches_scores(&store, &c);
    assert_ne!(h3, h4, "the set-aside sheets leave the ranking");

    // Selection reads the same kept totals; every row and total is still sealed.
    let constraints = shifan::domain::selection::Constraints::from_criteria(&c);
    let sel = store.selection(&c, &m, &constraints, false).unwrap();
    assert_eq!(sel.round.ranking.inputs_hash, h4);
    let report = store.verify_audit(&m, None).unwrap();
    assert!(report.intact(), "{report:#?}");
}

#[test]
fn a_kept_total_edited_outside_the_program_is_named_by_audit_verify() {
    let c = common::criteria();
    let dir = tempfile::tempdir().unwrap();
    let (store, db) = demo_store(dir.path(), &c);
    let m = store.login("ministry", DEMO_PASSWORD).unwrap();
    assert!(store.verify_audit(&m, None).unwrap().intact());
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE sheet_total SET total = total + 10 WHERE assignment_id = (SELECT MIN(assignment_id) FROM sheet_total)",
            [],
        )
        .unwrap();
    let report = store.verify_audit(&m, None).unwrap();
    assert!(!report.intact());
    let text = format!("{report:?}");
    assert!(text.contains("sheet_total"), "{text}");
}

#[test]
fn a_generated_roster_covers_every_type_and_scores_a_generated_set() {
    let c = common::criteria();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("set");
    let bin = env!("CARGO_BIN_EXE_shifan");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(bin)
            .args(args)
            .current_dir(common::root())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let set = out.to_str().unwrap();
    run(&[
        "generate",
        set,
        "--provinces",
        "6",
        "--per-province",
        "12",
        "--seed",
        "3",
        "--experts",
        "30",
        "--lang",
        "en",
    ]);
    let roster = shifan::input::experts::read_roster(&c, &out.join("experts.toml")).unwrap();
    assert_eq!(roster.len(), 30);
    for t in c.types.all() {
        assert!(
            roster.iter().any(|e| e.expertise.contains(&t.id)),
            "type {} not covered",
            t.id
        );
    }
    let lifted = shifan::generate::lifted_criteria_dir(&out);
    let db = dir.path().join("big.db");
    let printed = run(&[
        "--criteria",
        lifted.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "demo",
        "--samples",
        set,
        "--lang",
        "en",
    ]);
    assert!(printed.contains("72 dossiers stored"), "{printed}");
    let lifted_criteria = shifan::input::criteria::load_criteria(&lifted).unwrap();
    let store = Store::open(&db).unwrap();
    assert!(totals_match_scores(&db, &lifted_criteria) > 300);
    ranking_matches_scores(&store, &lifted_criteria);
}

/// The display width of `line` up to the end of its first figure with two decimals (the
/// trimmed mean), or of the header up to the end of its trimmed-mean title.
fn width_to_mean(line: &str, title: &str) -> Option<usize> {
    use unicode_width::UnicodeWidthStr;
    if let Some(i) = line.find(title) {
        return Some(line[..i + title.len()].width());
    }
    let mut at = 0;
    for tok in line.split(' ') {
        let end = at + tok.len();
        let figure = tok.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.len() == 2
        });
        if figure {
            return Some(line[..end].width());
        }
        at = end + 1;
    }
    None
}

#[test]
fn rank_and_select_columns_line_up_by_display_width_for_long_province_names() {
    let c = common::criteria();
    let dir = tempfile::tempdir().unwrap();
    let (store, db) = demo_store(dir.path(), &c);
    drop(store);
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_shifan"))
            .arg("--db")
            .arg(&db)
            .args(["--user", "ministry"])
            .args(args)
            .env("SHIFAN_PASSWORD", DEMO_PASSWORD)
            .env_remove("SHIFAN_DB")
            .env_remove("SHIFAN_CRITERIA")
            .current_dir(common::root())
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    let out = run(&["rank"]);
    let lines: Vec<&str> = out
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let header = lines[0];
    let want = width_to_mean(header, "去极值均分").expect("header");
    let rows: Vec<&str> = lines[1..]
        .iter()
        .copied()
        .take_while(|l| {
            let b = l.as_bytes();
            b.len() > 6
                && b[..4].iter().all(|c| c.is_ascii_digit() || *c == b' ')
                && b[3].is_ascii_digit()
                && &b[4..6] == b"  "
        })
        .collect();
    assert!(rows.len() > 200, "{out}");
    let long = [
        "新疆生产建设兵团",
        "北大荒农垦集团有限公司",
        "新疆维吾尔自治区",
    ];
    assert!(
        rows.iter().any(|r| long.iter().any(|n| r.contains(n))),
        "a long name is ranked: {out}"
    );
    for r in &rows {
        assert_eq!(width_to_mean(r, "去极值均分"), Some(want), "{header}\n{r}");
    }
    // The selection's list: the applicant column starts at the same display width.
    let sel = run(&["select", "--what-if"]);
    let listed: Vec<&str> = sel
        .lines()
        .skip_while(|l| !l.starts_with("入选"))
        .skip(1)
        .take_while(|l| !l.contains("备选名单"))
        .collect();
    assert!(listed.len() >= 50, "{sel}");
    use unicode_width::UnicodeWidthStr;
    // Up to the applicant: the last run of two spaces ends the padded type column.
    let starts: std::collections::BTreeSet<usize> = listed
        .iter()
        .map(|l| l[..l.rfind("  ").unwrap() + 2].width())
        .collect();
    assert_eq!(starts.len(), 1, "{starts:?}\n{sel}");
}
