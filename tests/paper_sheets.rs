//! Paper score sheets keyed twice (`shifan scores import --first --second`) on the demo round:
//! the sheet both keyings agree on is stored and submitted, the mismatched one is listed by
//! expert, dossier and criterion and nothing of it is stored until the keying is corrected; a
//! file that cannot be read names its line and column and stores nothing; the audit verifies.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use std::path::Path;

const HEADER: &str = "expert,dossier,infrastructure,technology,resource_integration,service_results,leadership_organisation,staff_stability,work_rules,plan_content,local_features,measures_feasibility,outlook,type_standard,recommend,opinion";

fn open_sheets(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).expect("db");
    let mut stmt = conn
        .prepare(
            "SELECT a.expert_id, a.dossier_code FROM assignment a
             LEFT JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM score s WHERE s.assignment_id = a.id)
             ORDER BY a.expert_id, a.dossier_code LIMIT 2",
        )
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
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

fn scores(db: &Path, expert: &str, dossier: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("db");
    conn.query_row(
        "SELECT COUNT(*) FROM score s JOIN assignment a ON a.id = s.assignment_id
         WHERE a.ended_at IS NULL AND a.expert_id = ?1 AND a.dossier_code = ?2",
        [expert, dossier],
        |r| r.get(0),
    )
    .expect("count")
}

#[test]
fn only_what_both_keyings_agree_on_is_stored() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let open = open_sheets(&db);
    assert_eq!(open.len(), 2, "the demo round leaves sheets open");
    let ((e1, d1), (e2, d2)) = (open[0].clone(), open[1].clone());
    let row = |e: &str, d: &str, last: &str| {
        format!("{e},{d},8,7.5,8,9,6,5,5,6,5,6,4,{last},是,材料翔实 建议推荐")
    };
    let dir = demo.dir.path();
    let (a, b) = (dir.join("first.csv"), dir.join("second.csv"));
    std::fs::write(
        &a,
        format!(
            "{HEADER}\n{}\n{}\n",
            row(&e1, &d1, "12.5"),
            row(&e2, &d2, "11")
        ),
    )
    .unwrap();
    std::fs::write(
        &b,
        format!(
            "{HEADER}\n{}\n{}\n",
            row(&e1, &d1, "12.5"),
            row(&e2, &d2, "1.1")
        ),
    )
    .unwrap();
    let run = || {
        common::shifan_as(&db, "clerk", "2026-06-20")
            .args(["scores", "import", "--first"])
            .arg(&a)
            .arg("--second")
            .arg(&b)
            .output()
            .expect("runs")
    };
    let out = run();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("1 sheets stored and submitted"), "{text}");
    assert!(
        text.contains(&format!("{e2} {d2}")) && text.contains("`11`") && text.contains("`1.1`"),
        "the mismatch names expert, dossier and both values:\n{text}"
    );
    assert_eq!(submitted_total(&db, &e1, &d1), Some(82.0));
    assert_eq!(
        scores(&db, &e2, &d2),
        0,
        "nothing of the mismatched sheet is stored"
    );

    // Corrected: the second run stores the rest and leaves the first sheet as it was.
    std::fs::write(
        &b,
        format!(
            "{HEADER}\n{}\n{}\n",
            row(&e1, &d1, "12.5"),
            row(&e2, &d2, "11")
        ),
    )
    .unwrap();
    let out = run();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("1 sheets stored and submitted, 1 already stored"),
        "{text}"
    );
    assert_eq!(submitted_total(&db, &e2, &d2), Some(80.5));

    // An expert may not enter paper sheets; the audit log holds and verifies every step.
    let expert = common::shifan_as(&db, "expert01", "2026-06-20")
        .args(["scores", "import", "--first"])
        .arg(&a)
        .arg("--second")
        .arg(&b)
        .output()
        .expect("runs");
    assert!(!expert.status.success());
    let verify = common::shifan_as(&db, "ministry", "2026-06-20")
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'paper.sheet'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn a_keying_that_cannot_be_read_names_line_and_column_and_stores_nothing() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let open = open_sheets(&db);
    let (e, d) = open[0].clone();
    let dir = demo.dir.path();
    let (a, b) = (dir.join("first.csv"), dir.join("second.csv"));
    let good = format!("{e},{d},8,7.5,8,9,6,5,5,6,5,6,4,12,是,好");
    std::fs::write(&a, format!("{HEADER}\n{good}\n")).unwrap();
    std::fs::write(
        &b,
        format!("{HEADER}\n{e},{d},8,7.5,8,九,6,5,5,6,5,6,4,12,是,好\n"),
    )
    .unwrap();
    let out = common::shifan_as(&db, "clerk", "2026-06-20")
        .args(["scores", "import", "--first"])
        .arg(&a)
        .arg("--second")
        .arg(&b)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("second.csv:2"), "{err}");
    assert!(
        err.contains("service_results") && err.contains("`九`"),
        "{err}"
    );
    assert!(err.contains("no sheet was stored"), "{err}");
    assert_eq!(scores(&db, &e, &d), 0);
}
