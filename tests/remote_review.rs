//! Review as the programme runs it, end to end on the demo round: five experts score at home
//! through packages (one package altered and refused, one returned twice and refused the
//! second time), two on paper keyed twice (one mismatch listed, then resolved), the others
//! online; the panel meeting opens the borderline band and two votes change the list; the list
//! is sealed, published and confirmed with both votes in it; `audit verify` holds throughout.

mod common;
#[path = "common/package_steps.rs"]
mod package_steps;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use package_steps::*;

const HEADER: &str = "expert,dossier,infrastructure,technology,resource_integration,service_results,leadership_organisation,staff_stability,work_rules,plan_content,local_features,measures_feasibility,outlook,type_standard,recommend,opinion";

fn json(db: &Path, today: &str, args: &[&str]) -> Value {
    let out = ok(common::shifan_as(db, "ministry", today)
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs"));
    serde_json::from_str(&out).expect("JSON")
}

fn account_of(db: &Path, expert: &str) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT name FROM account WHERE expert_id = ?1",
            [expert],
            |r| r.get(0),
        )
        .expect("the expert has an account")
}

fn paper_row(expert: &str, dossier: &str, last: &str) -> String {
    let points: Vec<&str> = POINTS[..11].iter().map(|(_, p)| *p).collect();
    format!(
        "{expert},{dossier},{},{last},是,纸质评分表：材料翔实",
        points.join(",")
    )
}

#[test]
fn packages_paper_and_the_panel_meeting_make_the_confirmed_list() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let dir = demo.dir.path();
    let mut by_expert: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (e, d) in open_sheets(&db) {
        by_expert.entry(e).or_default().push(d);
    }
    let experts: Vec<String> = by_expert.keys().cloned().collect();
    assert!(
        experts.len() >= 7,
        "the demo round leaves sheets open with seven experts or more"
    );
    let (remote, rest) = experts.split_at(5);
    let (paper, online) = rest.split_at(2);

    // 函评: five packages out, each scored at home through the CLI.
    let mut packages = Vec::new();
    for (i, e) in remote.iter().enumerate() {
        let (file, code, issued) = export(&db, dir, e, &format!("p{i}.shifan"));
        for d in &by_expert[e] {
            score_whole_sheet(&file, &code, d);
        }
        packages.push((file, issued));
    }
    verify(&db);
    // One comes back altered: refused, nothing stored; the expert's own file then goes in.
    let mut bytes = std::fs::read(&packages[0].0).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 1;
    let altered = dir.join("p0-altered.shifan");
    std::fs::write(&altered, bytes).unwrap();
    let entries = audit_count(&db);
    let out = ministry(&db, &["package", "import", altered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("p0-altered.shifan"));
    assert_eq!(audit_count(&db), entries);
    for (file, _) in &packages {
        ok(ministry(
            &db,
            &["package", "import", file.to_str().unwrap()],
        ));
    }
    // One is returned twice: the second is refused.
    let twice = ministry(&db, &["package", "import", packages[1].0.to_str().unwrap()]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("imported already"));
    for e in remote {
        for d in &by_expert[e] {
            assert_eq!(submitted_total(&db, e, d), Some(82.0), "{e} {d}");
        }
    }
    verify(&db);

    // Paper: two experts' sheets keyed twice; one mismatch held back, then resolved.
    let rows: Vec<(String, String)> = paper
        .iter()
        .flat_map(|e| by_expert[e].iter().map(move |d| (e.clone(), d.clone())))
        .collect();
    let keyed = |last_of_final: &str| -> String {
        let mut text = format!("{HEADER}\n");
        for (i, (e, d)) in rows.iter().enumerate() {
            let last = if i + 1 == rows.len() {
                last_of_final
            } else {
                "12.5"
            };
            text.push_str(&paper_row(e, d, last));
            text.push('\n');
        }
        text
    };
    let (first, second) = (dir.join("first.csv"), dir.join("second.csv"));
    std::fs::write(&first, keyed("12.5")).unwrap();
    std::fs::write(&second, keyed("1.25")).unwrap();
    let import = || {
        common::shifan_as(&db, "clerk", TODAY)
            .args(["scores", "import", "--first"])
            .arg(&first)
            .arg("--second")
            .arg(&second)
            .output()
            .expect("runs")
    };
    let out = import();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let (me, md) = rows.last().unwrap();
    assert!(
        text.contains(&format!("{me} {md}")) && text.contains("`1.25`"),
        "{text}"
    );
    assert_eq!(
        submitted_total(&db, me, md),
        None,
        "the mismatched sheet is held back"
    );
    std::fs::write(&second, keyed("12.5")).unwrap();
    let out = import();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for (e, d) in &rows {
        assert_eq!(submitted_total(&db, e, d), Some(82.0), "{e} {d}");
    }
    verify(&db);

    // The others finish online.
    for e in online {
        let account = account_of(&db, e);
        for d in &by_expert[e] {
            for (criterion, points) in POINTS {
                ok(common::shifan_as(&db, &account, TODAY)
                    .args([
                        "score",
                        "--dossier",
                        d,
                        "--criterion",
                        criterion,
                        "--points",
                    ])
                    .arg(points)
                    .output()
                    .unwrap());
            }
            ok(common::shifan_as(&db, &account, TODAY)
                .args([
                    "opinion",
                    "--dossier",
                    d,
                    "--text",
                    "线上评审意见",
                    "--recommend",
                    "no",
                ])
                .output()
                .unwrap());
            ok(common::shifan_as(&db, &account, TODAY)
                .args(["submit", "--dossier", d])
                .output()
                .unwrap());
        }
    }
    assert!(open_sheets(&db).is_empty(), "every sheet is submitted");

    // 会评: the band, then one vote out of the list and one into it.
    let band = json(&db, TODAY, &["panel", "open", "--replicates", "60"]);
    let cut = band["cut"].as_u64().unwrap() as usize;
    let entries = band["entries"].as_array().unwrap().clone();
    assert!(!entries.is_empty());
    let selected = |s: &Value| -> Vec<String> {
        s["selection"]["selected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let base = selected(&json(&db, TODAY, &["select", "--what-if"]));
    let code = |e: &Value| e["code"].as_str().unwrap().to_string();
    let out_code = entries
        .iter()
        .map(code)
        .find(|c| base.contains(c))
        .expect("a band unit on the list");
    let in_code = entries
        .iter()
        .filter(|e| e["rank"].as_u64().unwrap() as usize > cut)
        .map(code)
        .find(|c| !base.contains(c))
        .expect("a band unit below the cut");
    for (c, f, a, note) in [
        (&out_code, "1", "8", "会上复核：服务数据支撑不足"),
        (&in_code, "8", "1", "会上复核：地方特色突出"),
    ] {
        ok(ministry(
            &db,
            &[
                "panel",
                "vote",
                "--dossier",
                c,
                "--for",
                f,
                "--against",
                a,
                "--note",
                note,
            ],
        ));
    }
    let after = json(&db, TODAY, &["select", "--what-if"]);
    let list = selected(&after);
    assert!(!list.contains(&out_code), "voted out leaves the list");
    assert!(
        list.contains(&in_code),
        "voted in joins it (the limits allow it here)"
    );
    verify(&db);

    // Sealed, published, confirmed: the confirmed list shows both votes.
    let later = "2026-08-31";
    ok(common::shifan_as(&db, "ministry", later)
        .args(["publicity", "propose", "--on", "2026-07-31"])
        .output()
        .unwrap());
    ok(common::shifan_as(&db, "ministry", later)
        .args(["publicity", "start", "--on", "2026-08-03"])
        .output()
        .unwrap());
    ok(common::shifan_as(&db, "ministry", later)
        .args(["publicity", "confirm", "--on", "2026-08-10"])
        .output()
        .unwrap());
    let status = json(&db, later, &["publicity", "status"]);
    assert_eq!(status["state"]["phase"], "confirmed");
    let confirmed: Vec<String> = status["current_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(confirmed.len(), 100);
    assert!(!confirmed.contains(&out_code) && confirmed.contains(&in_code));
    let verify_out = common::shifan_as(&db, "ministry", later)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(
        verify_out.status.success(),
        "{}",
        String::from_utf8_lossy(&verify_out.stdout)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |action: &str| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM audit WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count("package.issue"), 5);
    assert_eq!(count("package.return"), 5);
    assert_eq!(count("panel.vote"), 2);
    assert_eq!(count("paper.sheet") as usize, rows.len());
}
