//! The panel meeting (会评) on the demo round: the band is opened and audited, a vote out takes
//! a unit off the list with "会评未通过", a vote in puts a borderline unit on it, both in one
//! audited step each, refused outside the review phase and without a note; audit verify holds.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use serde_json::Value;

fn json(db: &std::path::Path, args: &[&str]) -> Value {
    let out = common::shifan_as(db, "ministry", "2026-06-20")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn run(db: &std::path::Path, user: &str, args: &[&str]) -> std::process::Output {
    common::shifan_as(db, user, "2026-06-20")
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn two_votes_change_the_list_and_the_audit_verifies() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let band = json(&db, &["panel", "open", "--replicates", "60"]);
    let cut = band["cut"].as_u64().expect("cut") as usize;
    let entries = band["entries"].as_array().expect("entries");
    assert!(!entries.is_empty(), "the demo round has a borderline band");
    for e in entries {
        assert!(!e["reasons"].as_array().unwrap().is_empty(), "{e}");
    }
    let before = json(&db, &["select", "--what-if"]);
    let selected = |s: &Value| -> Vec<String> {
        s["selection"]["selected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let list = selected(&before);
    // One band unit on the list, one just below the cut.
    let on = entries
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .find(|c| list.iter().any(|l| l == c))
        .expect("a band unit on the list")
        .to_string();
    let off = entries
        .iter()
        .find(|e| {
            e["rank"].as_u64().unwrap() as usize > cut
                && !list.iter().any(|l| l == e["code"].as_str().unwrap())
        })
        .map(|e| e["code"].as_str().unwrap().to_string());
    assert!(off.is_some(), "the demo's band reaches below the cut");

    let out = run(
        &db,
        "ministry",
        &[
            "panel",
            "vote",
            "--dossier",
            &on,
            "--for",
            "2",
            "--against",
            "7",
            "--note",
            "会上复核，不推荐",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(off) = &off {
        let out = run(
            &db,
            "ministry",
            &[
                "panel",
                "vote",
                "--dossier",
                off,
                "--for",
                "7",
                "--against",
                "2",
                "--note",
                "特色突出",
            ],
        );
        assert!(out.status.success());
    }
    let after = json(&db, &["select", "--what-if"]);
    let new_list = selected(&after);
    assert!(!new_list.contains(&on), "voted out leaves the list");
    let why = after["selection"]["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == on.as_str())
        .expect("listed as excluded");
    assert_eq!(why[2]["reason"], "panel_rejected", "{why}");
    if let Some(off) = &off {
        let in_list = new_list.contains(off);
        let excluded = after["selection"]["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e[0] == off.as_str())
            .cloned();
        assert!(
            in_list || excluded.is_some_and(|e| e[2]["reason"] != "below_cut"),
            "voted in: on the list, or kept out by a named limit"
        );
    }
    let text = String::from_utf8_lossy(&run(&db, "ministry", &["select", "--what-if"]).stdout)
        .into_owned();
    assert!(
        text.contains("not passed by the panel meeting (2 for, 7 against)"),
        "{text}"
    );

    // No note, an expert, or an unknown dossier: refused, nothing written.
    assert!(
        !run(
            &db,
            "ministry",
            &[
                "panel",
                "vote",
                "--dossier",
                &on,
                "--for",
                "1",
                "--against",
                "0",
                "--note",
                " "
            ]
        )
        .status
        .success()
    );
    assert!(
        !run(
            &db,
            "expert01",
            &[
                "panel",
                "vote",
                "--dossier",
                &on,
                "--for",
                "1",
                "--against",
                "0",
                "--note",
                "x"
            ]
        )
        .status
        .success()
    );
    assert!(
        !run(
            &db,
            "ministry",
            &[
                "panel",
                "vote",
                "--dossier",
                "NOPE",
                "--for",
                "1",
                "--against",
                "0",
                "--note",
                "x"
            ]
        )
        .status
        .success()
    );
    let status = json(&db, &["panel", "status", "--replicates", "60"]);
    assert_eq!(
        status["votes"].as_array().unwrap().len(),
        1 + usize::from(off.is_some())
    );
    let verify = run(&db, "ministry", &["audit", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let actions: Vec<String> = conn
        .prepare("SELECT action FROM audit WHERE action LIKE 'panel.%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(actions[0], "panel.open");
    assert_eq!(actions.len(), 2 + usize::from(off.is_some()));
}
