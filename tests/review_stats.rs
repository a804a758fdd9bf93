//! `shifan rank --stats` on the demo round: every expert and type panel has its figures, the
//! intervals are reproducible from the seed, and the cut they are read against is the
//! selection's last place. The formulas themselves are checked against hand-computed values in
//! `crates/domain/src/review_stats.rs`.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use serde_json::Value;

fn stats(db: &std::path::Path, seed: &str) -> Value {
    let out = common::shifan_as(db, "ministry", "2026-06-20")
        .args(["rank", "--stats", "--replicates", "60", "--seed", seed])
        .args(["--format", "json"])
        .output()
        .expect("shifan runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn review_statistics_of_the_demo_round() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let a = stats(&db, "7");
    let experts = a["stats"]["experts"].as_array().expect("experts");
    assert_eq!(experts.len(), 40, "every expert of the demo roster");
    for e in experts {
        let h = e["harshness"]
            .as_f64()
            .expect("every demo expert shares dossiers");
        assert!(h.abs() < 30.0, "{e}");
        let r = e["agreement"].as_f64().expect("enough shared dossiers");
        assert!((-1.0..=1.0).contains(&r), "{e}");
    }
    // Offsets are differences from co-reviewers: weighted by sheets they cancel out only
    // roughly, but their mean is near 0 and both signs occur.
    assert!(experts.iter().any(|e| e["harshness"].as_f64() < Some(0.0)));
    assert!(experts.iter().any(|e| e["harshness"].as_f64() > Some(0.0)));
    let panels = a["stats"]["panels"].as_array().expect("panels");
    assert_eq!(panels.len(), 6, "one per type with dossiers");
    for p in panels {
        let icc = p["icc1"].as_f64().expect("ICC(1)");
        assert!(icc > 0.0 && icc <= 1.0, "{p}");
    }
    let cut = a["stats"]["cut"].as_u64().expect("cut") as usize;
    assert!(
        cut >= 100,
        "the list holds 100 units, so its last place is at least 100"
    );
    let intervals = a["stats"]["intervals"].as_array().expect("intervals");
    for r in intervals {
        let (lo, hi) = (r["low"].as_u64().unwrap(), r["high"].as_u64().unwrap());
        assert!(lo <= hi, "{r}");
        let crosses = lo as usize <= cut && hi as usize > cut;
        assert_eq!(r["crosses_cut"].as_bool(), Some(crosses), "{r}");
    }
    assert!(
        intervals.iter().any(|r| r["crosses_cut"] == true),
        "the demo round has dossiers near the cut"
    );
    // Same seed, same intervals; the text output names the method in the user's language.
    assert_eq!(stats(&db, "7"), a);
    let text = common::shifan_as(&db, "ministry", "2026-06-20")
        .args(["rank", "--stats", "--replicates", "20"])
        .output()
        .expect("shifan runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("ICC(1), one-way random effects"), "{text}");
    assert!(text.contains("could fall on either side"), "{text}");
}
