//! What the ranking records: the inputs fingerprint (v2 canonical text, covering the trim
//! threshold, the ministry's decisions and dossier content hashes) and the calculation sheet
//! (a standardised value is never printed as points).

use sha2::Digest;
use shifan_domain::ranking::{
    DossierScores, RankingRules, SheetTotals, TieDecision, explain, rank,
};

fn sheet(expert: &str, total: f64) -> SheetTotals {
    SheetTotals {
        expert_id: expert.into(),
        total,
        group_subtotals: Vec::new(),
        recommend: true,
    }
}

fn dossier(code: &str, sheets: Vec<SheetTotals>) -> DossierScores {
    DossierScores {
        code: code.into(),
        province_key: "330000".into(),
        province_order: 10,
        type_id: "information_service".into(),
        sheets,
        ..Default::default()
    }
}

fn rules(standardise: bool) -> RankingRules {
    RankingRules {
        standardise,
        disagreement_threshold: 20.0,
        trim_from: 5,
        tie_break_groups: vec!["foundation".into()],
        decisions: Vec::new(),
    }
}

fn decision(order: &[&str], reason: &str) -> TieDecision {
    TieDecision {
        order: order.iter().map(|c| c.to_string()).collect(),
        reason: reason.into(),
    }
}

fn sha256_hex(text: &str) -> String {
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fingerprint is the SHA-256 of the canonical text exactly as documented at `rank`.
#[test]
fn the_inputs_hash_is_the_documented_v2_text() {
    let mut d1 = dossier("D1", vec![sheet("e1", 80.5)]);
    d1.sheets[0].group_subtotals = vec![("foundation".into(), 30.0)];
    d1.provincial_rank = Some(2);
    d1.content_sha256 = Some("ab12".into());
    let d2 = dossier("D2", Vec::new());
    let r = RankingRules {
        trim_from: 4,
        ..rules(false)
    }
    .with_decisions(vec![decision(&["D1", "D2"], "理由\n第二行")]);
    let text = concat!(
        "shifan ranking inputs v2\n",
        "rules standardise=false disagreement_threshold=20.000000 trim_from=4 tie_break_groups=[\"foundation\"]\n",
        "decision order=[\"D1\", \"D2\"] reason=\"理由\\n第二行\"\n",
        "dossier code=\"D1\" province_key=\"330000\" province_order=10 provincial_rank=2 type_id=\"information_service\" content_sha256=\"ab12\"\n",
        "sheet expert_id=\"e1\" total=80.500000 recommend=true groups=[\"foundation\":30.000000]\n",
        "dossier code=\"D2\" province_key=\"330000\" province_order=10 provincial_rank=- type_id=\"information_service\"\n",
    );
    assert_eq!(rank(&[d2, d1], &r).inputs_hash, sha256_hex(text));
}

fn sample() -> Vec<DossierScores> {
    vec![
        DossierScores {
            content_sha256: Some("aa".into()),
            ..dossier("D1", vec![sheet("e1", 80.0), sheet("e2", 78.0)])
        },
        dossier("D2", vec![sheet("e1", 80.0), sheet("e2", 78.0)]),
        dossier("D3", vec![sheet("e2", 70.0)]),
    ]
}

#[test]
fn the_inputs_hash_changes_with_the_trim_threshold_decisions_and_content() {
    let base = rank(&sample(), &rules(false));
    let hash = |ds: &[DossierScores], r: &RankingRules| rank(ds, r).inputs_hash;

    // The threshold, even where it changes no figure (no dossier has 4 or 6 sheets).
    for trim_from in [3, 4, 6] {
        let r = RankingRules {
            trim_from,
            ..rules(false)
        };
        assert_ne!(
            hash(&sample(), &r),
            base.inputs_hash,
            "trim_from {trim_from}"
        );
        if trim_from > 3 {
            assert_eq!(rank(&sample(), &r).rows, base.rows);
        }
    }

    // A decision; its reason; the order it gives; the order decisions were recorded in.
    let one = rules(false).with_decisions(vec![decision(&["D1", "D2"], "覆盖面")]);
    let decided = rank(&sample(), &one);
    assert_ne!(decided.inputs_hash, base.inputs_hash);
    let other_reason = rules(false).with_decisions(vec![decision(&["D1", "D2"], "覆盖面广")]);
    assert_ne!(hash(&sample(), &other_reason), decided.inputs_hash);
    let reversed = rules(false).with_decisions(vec![decision(&["D2", "D1"], "覆盖面")]);
    assert_ne!(hash(&sample(), &reversed), decided.inputs_hash);
    let two = [decision(&["D1", "D2"], "一"), decision(&["D2", "D1"], "二")];
    let ab = rules(false).with_decisions(two.to_vec());
    let ba = rules(false).with_decisions(two.iter().rev().cloned().collect());
    assert_ne!(hash(&sample(), &ab), hash(&sample(), &ba));
    // ... and the later of two contradicting decisions is the one ignored.
    assert_eq!(rank(&sample(), &ab).rows[0].code, "D1");
    assert_eq!(rank(&sample(), &ba).rows[0].code, "D2");

    // Content hashes: added, changed, removed.
    let mut changed = sample();
    changed[0].content_sha256 = Some("ab".into());
    assert_ne!(hash(&changed, &rules(false)), base.inputs_hash);
    changed[0].content_sha256 = None;
    assert_ne!(hash(&changed, &rules(false)), base.inputs_hash);
    changed[1].content_sha256 = Some("aa".into());
    assert_ne!(hash(&changed, &rules(false)), base.inputs_hash);

    // Still independent of the order the dossiers and sheets come in.
    let mut shuffled = sample();
    shuffled.reverse();
    for d in &mut shuffled {
        d.sheets.reverse();
    }
    let again = rank(&shuffled, &one);
    assert_eq!(again.inputs_hash, decided.inputs_hash);
    assert_eq!(again, decided);
}

/// Expert H gave D1 84 and D2 46 (z +1, −1); expert L gave D3 100 and D4 94 (z +1, −1). All
/// totals: mean 81, sd √((9 + 1225 + 361 + 169) / 4) = 21. Standardised values 81 ± 21: D1 and
/// D3 at 102, above the rubric's 100 points; D2 and D4 at 60.
fn harsh_and_lenient() -> Vec<DossierScores> {
    vec![
        dossier("D1", vec![sheet("H", 84.0)]),
        dossier("D2", vec![sheet("H", 46.0)]),
        dossier("D3", vec![sheet("L", 100.0)]),
        dossier("D4", vec![sheet("L", 94.0)]),
    ]
}

/// Every number printed with a points unit (分 or points) in a line, with the unit.
fn numbers_as_points(line: &str) -> Vec<(f64, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            let rest: String = chars[i..].iter().collect();
            let rest = rest.trim_start();
            if (rest.starts_with('分') || rest.starts_with("points"))
                && let Ok(v) = number.parse::<f64>()
            {
                out.push((v, rest.chars().take(6).collect()));
            }
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn a_standardised_value_above_the_maximum_is_never_printed_as_points() {
    for standardise in [true, false] {
        let r = rank(&harsh_and_lenient(), &rules(standardise));
        assert!((r.row("D1").unwrap().standardised - 102.0).abs() < 1e-9);
        for code in ["D1", "D2", "D3", "D4"] {
            let x = explain(&r, code, true).unwrap();
            for lang in ["zh", "en"] {
                for line in x.lines(lang) {
                    for (v, unit) in numbers_as_points(&line) {
                        assert!(v <= 100.0, "{code} {lang}: {v} {unit} in {line:?}");
                    }
                }
            }
        }
        let x = explain(&r, "D3", true).unwrap();
        let zh = x.lines("zh");
        let en = x.lines("en");
        assert!(zh.contains(&"  专家A：原始 100.00 分；标准化值 102.00；推荐".to_string()));
        assert!(en.contains(
            &"  Expert A: raw 100.00 points; standardised value 102.00; recommends".to_string()
        ));
        // The sheet says what the standardised value is.
        assert!(
            zh.iter()
                .any(|l| l.starts_with("标准化平均：标准化值 102.00（不是得分")
                    && l.contains("全体平均 81.00 分 + z × 全体标准差 21.00 分")
                    && l.contains("可高于满分"))
        );
        assert!(en.iter().any(|l| {
            l.starts_with("Standardised mean: standardised value 102.00 (not points awarded")
                && l.contains("can exceed the rubric's maximum")
        }));
        if standardise {
            assert!(zh.contains(&"排名依据：标准化平均，标准化值 102.00".to_string()));
            assert!(
                en.contains(&"Ranked on: standardised mean, standardised value 102.00".to_string())
            );
        } else {
            assert!(zh.contains(&"排名依据：去掉最高分和最低分后平均 100.00 分".to_string()));
        }
    }
}

/// Scripts read `--explain --format json`: the fields they knew are still there, beside the new.
#[test]
fn the_explanation_keeps_its_fields_and_adds_the_new_ones() {
    let r = rank(&harsh_and_lenient(), &rules(true));
    let x = explain(&r, "D1", true).unwrap();
    let json = serde_json::to_value(&x).unwrap();
    for key in [
        "code",
        "rank",
        "of",
        "sheets",
        "trimmed_mean",
        "standardised",
        "aggregate",
        "standardise",
        "overall_mean",
        "overall_sd",
        "spread",
        "std_dev",
        "threshold",
        "flagged",
        "recommend_votes",
        "tie_break",
        "inputs_hash",
        "trim_from",
        "group_means",
        "tie_reason",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["tie_break"], serde_json::json!(["unresolved", "D3"]));
    assert_eq!(json["trim_from"], 5);
    let sheet = &json["sheets"][0];
    for key in [
        "label",
        "total",
        "standardised",
        "recommend",
        "dropped",
        "dropped_standardised",
        "counted",
    ] {
        assert!(sheet.get(key).is_some(), "sheets[0].{key}");
    }
    let ranking = serde_json::to_value(&r).unwrap();
    assert_eq!(
        ranking["ties"][0],
        serde_json::json!({"codes": ["D1", "D3"], "first_rank": 1, "decided": false})
    );
    assert_eq!(ranking["ignored_decisions"], serde_json::json!([]));
}

/// A recorded reason is shown on one line: a newline or an escape sequence in it cannot break
/// the sheet or reach the terminal.
#[test]
fn a_decision_reason_is_printed_on_one_line() {
    let r = rank(
        &harsh_and_lenient(),
        &rules(true).with_decisions(vec![decision(&["D3", "D1"], "第一行\n\u{1b}[31m第二行")]),
    );
    assert_eq!(r.rows[0].code, "D3");
    let x = explain(&r, "D3", true).unwrap();
    assert_eq!(x.tie_reason.as_deref(), Some("第一行\n\u{1b}[31m第二行"));
    for lang in ["zh", "en"] {
        let lines = x.lines(lang);
        assert!(lines.iter().all(|l| !l.chars().any(char::is_control)));
        assert!(
            lines.iter().any(|l| l.ends_with("第一行  [31m第二行")),
            "{lines:#?}"
        );
    }
}
