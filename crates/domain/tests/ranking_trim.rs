//! Trimming as the panel applies it: from the round's `trim_from_sheets` on, one highest and one
//! lowest total are dropped, and the tie-break compares the same kept sheets. Every expected
//! figure is computed by hand in the comments.

use shifan_domain::ranking::{
    DossierScores, Extreme, RankingRules, SheetTotals, explain, rank, trimmed_mean,
};
use shifan_domain::round::RoundSettings;

fn sheet(expert: &str, total: f64, foundation: f64) -> SheetTotals {
    SheetTotals {
        expert_id: expert.into(),
        total,
        group_subtotals: vec![("foundation".into(), foundation)],
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

fn rules(standardise: bool, trim_from: usize) -> RankingRules {
    RankingRules {
        standardise,
        disagreement_threshold: 20.0,
        trim_from,
        tie_break_groups: vec!["foundation".into(), "team".into(), "work_plan".into()],
        decisions: Vec::new(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The round settings as `round.toml` would give them (JSON here: the domain reads no TOML).
fn round(trim_from_sheets: Option<u32>) -> RoundSettings {
    let mut v = serde_json::json!({
        "year": 2026, "title_zh": "全国农村信息化示范单位", "title_en": "Rural informatization",
        "province_cap": 10, "target_units": 100, "application_deadline": "2026-05-31",
        "copies_required": 2, "experts_per_dossier": 5, "publicity_working_days": 7,
        "reserve_size": 10, "standardise_scores": false, "disagreement_threshold": 20.0,
        "tie_break": ["foundation", "team", "work_plan"],
        "selection": { "max_per_province": 10 },
        "issuer": { "name_zh": "农业部", "name_en": "Ministry", "programme_doc": "农市便函" },
        "publicity_contact": { "person": "张三", "phone": "010-59192000",
            "address": "北京市朝阳区", "postcode": "100125", "email": "a@example.cn" }
    });
    if let Some(n) = trim_from_sheets {
        v["trim_from_sheets"] = n.into();
    }
    serde_json::from_value(v).unwrap()
}

/// One table, by hand:
/// - 3 sheets 70, 80, 96: below 4 and 5 → (70 + 80 + 96) / 3 = 82; from 3 on → drop 70 and 96 → 80.
/// - 4 sheets 70, 80, 90, 96: from 4 → drop 70 and 96 → (80 + 90) / 2 = 85; below 5 → 336 / 4 = 84.
/// - 5 sheets 81, 92, 72, 84, 60: from 4 or 5 → drop 60 and 92 → (81 + 72 + 84) / 3 = 79.
/// - 6 sheets 60, 72, 81, 84, 92, 99: from 4 or 5 → drop 60 and 99 → 329 / 4 = 82.25.
const CASES: &[(&[f64], usize, f64, bool)] = &[
    (&[70.0, 80.0, 96.0], 3, 80.0, true),
    (&[70.0, 80.0, 96.0], 4, 82.0, false),
    (&[70.0, 80.0, 96.0], 5, 82.0, false),
    (&[70.0, 80.0, 90.0, 96.0], 4, 85.0, true),
    (&[70.0, 80.0, 90.0, 96.0], 5, 84.0, false),
    (&[81.0, 92.0, 72.0, 84.0, 60.0], 4, 79.0, true),
    (&[81.0, 92.0, 72.0, 84.0, 60.0], 5, 79.0, true),
    (&[60.0, 72.0, 81.0, 84.0, 92.0, 99.0], 4, 82.25, true),
    (&[60.0, 72.0, 81.0, 84.0, 92.0, 99.0], 5, 82.25, true),
];

#[test]
fn trimming_starts_at_the_rules_threshold() {
    for &(totals, trim_from, expected, trims) in CASES {
        let what = format!("{} sheets, trim from {trim_from}", totals.len());
        assert!(
            close(trimmed_mean(totals, trim_from), expected),
            "trimmed_mean, {what}"
        );

        let sheets = totals
            .iter()
            .enumerate()
            .map(|(i, &t)| sheet(&format!("e{i}"), t, 0.0))
            .collect();
        let r = rank(&[dossier("D1", sheets)], &rules(false, trim_from));
        let row = &r.rows[0];
        assert!(close(row.trimmed_mean, expected), "rank, {what}");
        assert!(close(row.aggregate, expected), "aggregate, {what}");
        let dropped: Vec<_> = row.figures.iter().filter_map(|f| f.dropped).collect();
        if trims {
            // Exactly one at each end: the lowest and the highest total.
            let lo = totals.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = totals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let at = |e| row.figures.iter().find(|f| f.dropped == Some(e)).unwrap();
            assert_eq!(dropped.len(), 2, "{what}");
            assert_eq!(at(Extreme::Lowest).total, lo, "{what}");
            assert_eq!(at(Extreme::Highest).total, hi, "{what}");
        } else {
            assert!(dropped.is_empty(), "{what}");
        }

        // The calculation sheet names the threshold of the rules, not a constant.
        let x = explain(&r, "D1", true).unwrap();
        assert_eq!(x.trim_from, trim_from);
        let zh = x.lines("zh");
        let en = x.lines("en");
        if trims {
            let line = format!("去掉最高分和最低分后平均（{trim_from}份起去掉）：{expected:.2} 分");
            assert!(zh.contains(&line), "{what}: {zh:#?}");
            let line = format!(
                "Trimmed mean (highest and lowest dropped from {trim_from} sheets on): {expected:.2} points"
            );
            assert!(en.contains(&line), "{what}: {en:#?}");
        } else {
            let line = format!("平均（不足{trim_from}份，不去掉最高分和最低分）：{expected:.2} 分");
            assert!(zh.contains(&line), "{what}: {zh:#?}");
            let n = totals.len();
            let line = format!("Sheets counted in the ranking: all {n} (none dropped)");
            assert!(en.contains(&line), "{what}: {en:#?}");
        }
    }
}

/// Dropping two of two sheets would leave nothing: a threshold below 3 counts as 3.
/// 70 and 80 → 75 even with trim_from 1 or 2; 70, 80, 96 with trim_from 2 → 80 (as from 3).
#[test]
fn a_threshold_below_three_counts_as_three() {
    assert!(close(trimmed_mean(&[70.0, 80.0], 1), 75.0));
    assert!(close(trimmed_mean(&[70.0, 80.0], 2), 75.0));
    assert!(close(trimmed_mean(&[70.0], 0), 70.0));
    assert!(close(trimmed_mean(&[70.0, 80.0, 96.0], 2), 80.0));
    assert_eq!(rules(false, 1).trim_threshold(), 3);
    assert_eq!(rules(false, 6).trim_threshold(), 6);
}

#[test]
fn the_rules_take_the_threshold_from_the_round() {
    let groups = vec!["foundation".to_string()];
    let r = RankingRules::from_round(&round(None), groups.clone());
    assert_eq!(r.trim_from, 5);
    assert!(r.decisions.is_empty());
    let r = RankingRules::from_round(&round(Some(4)), groups);
    assert_eq!(r.trim_from, 4);
    assert_eq!(r.tie_break_groups, vec!["foundation"]);
    assert!(!r.standardise && close(r.disagreement_threshold, 20.0));
}

/// Plain trimmed mean, five sheets each, trim from 5; experts all different.
/// A: totals 80, 80, 80, 90, 70; foundation 30, 30, 30, 32, 28.
/// B: totals 80, 80, 80, 90, 70; foundation 29, 29, 29, 40, 28.
/// Both drop 90 (highest) and 70 (lowest): aggregate (80 + 80 + 80) / 3 = 80, a tie.
/// Foundation over the kept sheets: A (30 + 30 + 30) / 3 = 30, B 29 → A first.
/// Over every sheet it would have been A (90 + 32 + 28) / 5 = 30, B (87 + 40 + 28) / 5 = 31 → B
/// first: B's dropped highest sheet would have won the tie through its subtotal.
#[test]
fn the_tie_break_compares_the_kept_sheets_only() {
    let a = dossier(
        "A",
        vec![
            sheet("a1", 80.0, 30.0),
            sheet("a2", 80.0, 30.0),
            sheet("a3", 80.0, 30.0),
            sheet("a4", 90.0, 32.0),
            sheet("a5", 70.0, 28.0),
        ],
    );
    let b = dossier(
        "B",
        vec![
            sheet("b1", 80.0, 29.0),
            sheet("b2", 80.0, 29.0),
            sheet("b3", 80.0, 29.0),
            sheet("b4", 90.0, 40.0),
            sheet("b5", 70.0, 28.0),
        ],
    );
    let r = rank(&[b, a], &rules(false, 5));
    let codes: Vec<&str> = r.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec!["A", "B"]);
    assert!(close(r.rows[0].aggregate, 80.0) && close(r.rows[1].aggregate, 80.0));
    assert_eq!(&*r.rows[0].group_means[0].0, "foundation");
    assert!(close(r.rows[0].group_means[0].1, 30.0));
    assert!(close(r.rows[1].group_means[0].1, 29.0));
    assert_eq!(r.rows[0].tie_break.as_deref(), Some("foundation"));
    assert!(r.ties.is_empty());

    let zh = explain(&r, "B", true).unwrap().lines("zh");
    assert!(
        zh.contains(
            &"并列时比较的小计平均（计入排名的评分表）：「foundation」29.00 分；「team」0.00 分；「work_plan」0.00 分"
                .to_string()
        ),
        "{zh:#?}"
    );
    let en = explain(&r, "A", true).unwrap().lines("en");
    assert!(
        en.contains(
            &"Equal aggregate with the next dossier B: ordered by the mean \"foundation\" subtotal"
                .to_string()
        )
    );
}

/// Standardised aggregate, five experts per dossier each with a single sheet: every z is 0, so
/// every standardised value is the overall mean and A and B tie. Among equal standardised values
/// the trim drops the first (lowest) and the last (highest) by expert id: a1 and a5, b1 and b5.
/// Foundation over those kept: A (30 + 30 + 30) / 3 = 30; B (29 + 29 + 29) / 3 = 29 → A first.
/// The plain trim drops other sheets (by total: A's a3 = 70 and a1 = 90), which must not count
/// here; and over every sheet B would lead with (10 + 87 + 60) / 5 = 31.4 against A's 30.
#[test]
fn the_standardised_tie_break_compares_the_sheets_the_standardised_trim_kept() {
    let a = dossier(
        "A",
        vec![
            sheet("a1", 90.0, 40.0),
            sheet("a2", 80.0, 30.0),
            sheet("a3", 70.0, 30.0),
            sheet("a4", 85.0, 30.0),
            sheet("a5", 75.0, 20.0),
        ],
    );
    let b = dossier(
        "B",
        vec![
            sheet("b1", 80.0, 10.0),
            sheet("b2", 80.0, 29.0),
            sheet("b3", 80.0, 29.0),
            sheet("b4", 80.0, 29.0),
            sheet("b5", 80.0, 60.0),
        ],
    );
    let r = rank(&[b, a], &rules(true, 5));
    let codes: Vec<&str> = r.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec!["A", "B"]);
    let a = r.row("A").unwrap();
    let dropped_std: Vec<_> = a.figures.iter().map(|f| f.dropped_standardised).collect();
    assert_eq!(
        dropped_std,
        vec![
            Some(Extreme::Lowest),
            None,
            None,
            None,
            Some(Extreme::Highest)
        ]
    );
    assert_eq!(a.figures[2].dropped, Some(Extreme::Lowest));
    assert!(close(a.group_means[0].1, 30.0));
    assert!(close(r.row("B").unwrap().group_means[0].1, 29.0));
    assert_eq!(a.tie_break.as_deref(), Some("foundation"));

    let x = explain(&r, "A", true).unwrap();
    let counted: Vec<bool> = x.sheets.iter().map(|s| s.counted).collect();
    assert_eq!(counted, vec![false, true, true, true, false]);
    assert!(x.lines("zh").contains(
        &"计入排名的评分表：专家B、专家C、专家D；去掉：专家A（最低）、专家E（最高）".to_string()
    ));
}
