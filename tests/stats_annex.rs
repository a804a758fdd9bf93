//! The review-quality annex (`shifan notice stats --out DIR`) on the demo round, read back with
//! poppler: every expert id with the figures `rank --stats --format json` gives (as the listing
//! rounds them), every type's ICC(1), the dossiers whose interval crosses the cut, the method,
//! the seed and the replicates; fonts embedded as subsets; the generation audited; ministry
//! staff only.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use serde_json::Value;

/// The number after `"key": ` that follows `anchor` in the JSON text, parsed by the standard
/// library (correctly rounded: serde_json's own parser may be one unit off in the last place,
/// which flips a figure that sits on a rounding tie, such as -9.075).
fn raw_number(json: &str, anchor: &str, key: &str) -> f64 {
    let from = json
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor} in the JSON"));
    let rest = &json[from..];
    let at = rest.find(&format!("\"{key}\": ")).expect("key") + key.len() + 4;
    let end = rest[at..].find([',', '\n', '}']).expect("end");
    rest[at..at + end].trim().parse().expect("a number")
}

const SEED: &str = "11";
const REPLICATES: &str = "40";

#[test]
fn the_annex_prints_what_the_statistics_hold() {
    let demo = tui_setup::demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let json = common::shifan_as(&db, "ministry", "2026-06-20")
        .args([
            "rank",
            "--stats",
            "--seed",
            SEED,
            "--replicates",
            REPLICATES,
        ])
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(json.status.success());
    let stats: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let raw = String::from_utf8_lossy(&json.stdout).to_string();

    let out = demo.dir.path().join("annex");
    let run = common::shifan_as(&db, "ministry", "2026-06-20")
        .args([
            "notice",
            "stats",
            "--seed",
            SEED,
            "--replicates",
            REPLICATES,
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(said.contains("recorded as audit entry"), "{said}");
    let pdf = out.join("review-stats-annex.pdf");
    assert!(
        !out.join("warnings.txt").exists(),
        "every glyph is in a shipped font"
    );
    let text = common::tool("pdftotext", &[], &pdf);
    let layout = common::tool("pdftotext", &["-layout"], &pdf);
    // pdftotext may break a long line anywhere; compare without white space.
    let flat: String = text.split_whitespace().collect();
    for part in [
        "附件",
        "2026年全国农村信息化示范单位评审质量统计",
        "ICC(1)：单向随机效应、单个评分者的组内相关系数",
        "随机种子11，重抽样40次",
        "shifanrank--stats--seed11--replicates40",
    ] {
        assert!(flat.contains(part), "{part} in:\n{text}");
    }
    assert!(
        flat.contains("种子11·重抽样40次"),
        "the footer names the seed:\n{text}"
    );
    assert!(
        flat.contains(&format!(
            "排名输入摘要：{}",
            stats["inputs_hash"].as_str().unwrap()
        )),
        "{text}"
    );
    let experts = stats["stats"]["experts"].as_array().unwrap();
    assert_eq!(experts.len(), 40);
    for e in experts {
        let id = e["expert_id"].as_str().unwrap();
        let anchor = format!("\"expert_id\": \"{id}\"");
        let h = format!("{:+.2}", raw_number(&raw, &anchor, "harshness"));
        let r = format!("{:+.2}", raw_number(&raw, &anchor, "agreement"));
        // One table row (pdftotext -layout keeps it on one line): 序号, id, name, sheets,
        // shared, offset, agreement.
        let row = layout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(id))
            .unwrap_or_default();
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cells.len() == 7
                && cells[3].parse::<u64>().ok() == e["sheets"].as_u64()
                && cells[5] == h
                && cells[6] == r,
            "{id}: {h} {r} in {row:?}"
        );
    }
    let panels = stats["stats"]["panels"].as_array().unwrap();
    assert!(panels.len() >= 5);
    for p in panels {
        let icc = format!(
            "{:.3}",
            p["icc1"].as_f64().expect("every demo panel has one")
        );
        assert!(
            text.contains(&icc),
            "ICC(1) {icc} of {}:\n{text}",
            p["type_id"]
        );
    }
    let cut = stats["stats"]["cut"].as_u64().unwrap();
    assert!(flat.contains(&format!("入选至第{cut}名")), "{text}");
    let crossing: Vec<&Value> = stats["stats"]["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["crosses_cut"].as_bool() == Some(true))
        .collect();
    assert!(
        !crossing.is_empty(),
        "the demo round has dossiers near the cut"
    );
    for i in &crossing {
        let code = i["code"].as_str().unwrap();
        let range = format!("{}–{}", i["low"], i["high"]);
        assert!(
            text.contains(code) && text.contains(&range),
            "{code} {range} in:\n{text}"
        );
    }

    let fonts = common::tool("pdffonts", &[], &pdf);
    let lines: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(lines.len() >= 3, "{fonts}");
    for line in lines {
        let name = line.split_whitespace().next().unwrap();
        assert_eq!(name.chars().nth(6), Some('+'), "not a subset: {line}");
        assert!(line.contains(" yes yes yes "), "not embedded: {line}");
    }

    // The generation is one audit entry; a clerk may not print the statistics.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit WHERE action = 'documents.generate' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(detail.contains("review-stats-annex"), "{detail}");
    let clerk_out = demo.dir.path().join("clerk");
    let clerk = common::shifan_as(&db, "clerk", "2026-06-20")
        .args(["notice", "stats", "--out"])
        .arg(&clerk_out)
        .output()
        .expect("runs");
    assert!(!clerk.status.success());
    assert!(!clerk_out.join("review-stats-annex.pdf").exists());
}

#[test]
fn every_document_of_the_round_includes_the_annex_for_the_ministry_only() {
    let mut demo = tui_setup::demo_setup();
    let date = jiff::civil::date(2026, 6, 20);
    let ministry = demo.store.login("ministry", "demo").expect("login");
    let dir = demo.dir.path().join("all");
    let written =
        shifan::documents::write_all(&demo.criteria, &mut demo.store, &ministry, &dir, date)
            .expect("written");
    assert!(
        written.files.iter().any(|f| f == "review-stats-annex.pdf"),
        "{:?}",
        written.files
    );
    let text = common::tool("pdftotext", &[], &dir.join("review-stats-annex.pdf"));
    let flat: String = text.split_whitespace().collect();
    assert!(
        flat.contains("种子2026·重抽样500次"),
        "the default seed and replicates of rank --stats:\n{text}"
    );
    let clerk = demo.store.login("clerk", "demo").expect("login");
    let dir = demo.dir.path().join("clerk");
    let written = shifan::documents::write_all(&demo.criteria, &mut demo.store, &clerk, &dir, date)
        .expect("written");
    assert!(
        !written.files.iter().any(|f| f.contains("stats")),
        "{:?}",
        written.files
    );
}
