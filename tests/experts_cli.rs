//! `shifan experts progress` and `shifan experts candidates`: the CLI side of the assignment
//! tab's progress and swap list, on a real demo round, through the binary.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use common::shifan_as;

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("json")
}

#[test]
fn experts_progress_counts_sheets_and_marks_the_overdue_after_the_deadline() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    let conn = demo.store.connection();
    let (submitted, assigned): (i64, i64) = conn
        .query_row(
            "SELECT SUM(h.submitted_at IS NOT NULL), COUNT(*) FROM assignment a
             LEFT JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND a.expert_id = 'E01'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("E01's counts");
    assert!(submitted < assigned, "the demo leaves E01 sheets open");
    let before = shifan_as(&db, "ministry", "2026-06-20")
        .args(["experts", "progress", "--format", "json"])
        .assert()
        .success();
    let v = json(&before.get_output().stdout);
    let rows = v.as_array().expect("a list");
    assert_eq!(rows.len(), 40);
    let e01 = rows.iter().find(|r| r["expert"] == "E01").expect("E01");
    assert_eq!(e01["submitted"], submitted);
    assert_eq!(e01["assigned"], assigned);
    assert_eq!(e01["overdue"], false, "before review_deadline 2026-06-30");
    let after = shifan_as(&db, "ministry", "2026-07-01")
        .args(["experts", "progress", "--format", "json"])
        .assert()
        .success();
    let v = json(&after.get_output().stdout);
    for r in v.as_array().expect("a list") {
        let open = r["submitted"].as_i64() < r["assigned"].as_i64();
        assert_eq!(r["overdue"].as_bool(), Some(open), "{r}");
    }
    let text = shifan_as(&db, "ministry", "2026-07-01")
        .args(["experts", "progress"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(
        text.lines().any(|l| l.starts_with("E01 ")
            && l.contains(&format!("{submitted}/{assigned}"))
            && l.contains("overdue")),
        "{text}"
    );
    // Experts may not read the others' progress.
    shifan_as(&db, "expert01", "2026-06-20")
        .args(["experts", "progress"])
        .assert()
        .failure();
}

#[test]
fn experts_candidates_lists_the_eligible_and_why_each_other_is_out() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    let conn = demo.store.connection();
    let (dossier, province): (String, String) = conn
        .query_row(
            "SELECT d.code, d.province_key FROM dossier d
             WHERE EXISTS (SELECT 1 FROM expert e WHERE e.province_key = d.province_key)
             ORDER BY 1 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a dossier whose province has an expert");
    let on: Vec<String> = conn
        .prepare("SELECT expert_id FROM assignment WHERE dossier_code = ?1 AND ended_at IS NULL")
        .and_then(|mut s| {
            s.query_map([&dossier], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()
        })
        .expect("its experts");
    let local: Vec<String> = conn
        .prepare("SELECT id FROM expert WHERE province_key = ?1")
        .and_then(|mut s| {
            s.query_map([&province], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()
        })
        .expect("local experts");
    let out = shifan_as(&db, "ministry", "2026-06-20")
        .args(["experts", "candidates", &dossier, "--format", "json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let rows = v.as_array().expect("a list");
    assert_eq!(rows.len(), 40, "every expert of the roster");
    // Eligible first.
    let first_out = rows
        .iter()
        .position(|r| !r["reason"].is_null())
        .expect("some out");
    assert!(rows[first_out..].iter().all(|r| !r["reason"].is_null()));
    for r in rows {
        let id = r["expert_id"].as_str().expect("id").to_string();
        if on.contains(&id) {
            assert!(
                r["reason"]["en"]
                    .as_str()
                    .is_some_and(|t| t.contains("Already")),
                "{r}"
            );
        } else if local.contains(&id) {
            assert!(
                r["reason"]["en"]
                    .as_str()
                    .is_some_and(|t| t.contains("own province")),
                "{r}"
            );
            assert!(
                r["reason"]["zh"]
                    .as_str()
                    .is_some_and(|t| t.contains("回避本省")),
                "{r}"
            );
        }
    }
    // The text form, in English, names the rule.
    let text = shifan_as(&db, "ministry", "2026-06-20")
        .args(["experts", "candidates", &dossier])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(text.contains("eligible, reviews"), "{text}");
    assert!(text.contains(&format!("{} ", local[0])), "{text}");
    // An unknown dossier is refused with its code.
    let bad = shifan_as(&db, "ministry", "2026-06-20")
        .args(["experts", "candidates", "999999-99"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&bad.get_output().stderr).into_owned();
    assert!(err.contains("999999-99"), "{err}");
}
