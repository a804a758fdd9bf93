//! Ties the published chain (aggregate, tie-break group means, provincial rank) leaves: reported
//! as [`TieGroup`]s, `unresolved` until the ministry records a [`TieDecision`], never settled by
//! the dossier code; decisions that do not fit are ignored and reported.

use proptest::prelude::*;
use shifan_domain::ranking::{
    DossierScores, RankingRules, SheetTotals, TIE_EPSILON, TieDecision, TieGroup, WhyIgnored,
    explain, rank,
};

fn sheet(expert: &str, total: f64) -> SheetTotals {
    SheetTotals {
        expert_id: expert.into(),
        total,
        group_subtotals: Vec::new(),
        recommend: true,
    }
}

fn dossier(code: &str, total: f64) -> DossierScores {
    DossierScores {
        code: code.into(),
        province_key: "330000".into(),
        province_order: 10,
        type_id: "information_service".into(),
        sheets: vec![sheet("e1", total)],
        ..Default::default()
    }
}

fn rules() -> RankingRules {
    RankingRules {
        standardise: false,
        disagreement_threshold: 20.0,
        trim_from: 5,
        tie_break_groups: vec!["foundation".into(), "team".into(), "work_plan".into()],
        decisions: Vec::new(),
    }
}

fn decision(order: &[&str], reason: &str) -> TieDecision {
    TieDecision {
        order: order.iter().map(|c| c.to_string()).collect(),
        reason: reason.into(),
    }
}

fn codes(r: &shifan_domain::ranking::Ranking) -> Vec<&str> {
    r.rows.iter().map(|r| r.code.as_str()).collect()
}

fn steps(r: &shifan_domain::ranking::Ranking) -> Vec<Option<&str>> {
    r.rows.iter().map(|r| r.tie_break.as_deref()).collect()
}

/// T0 at 90; X1, X2, X3 all at 80 with nothing else to tell them apart; L9 at 70.
fn three_tied() -> Vec<DossierScores> {
    vec![
        dossier("X3", 80.0),
        dossier("L9", 70.0),
        dossier("X1", 80.0),
        dossier("T0", 90.0),
        dossier("X2", 80.0),
    ]
}

fn tie(codes: &[&str], first_rank: usize, decided: bool) -> TieGroup {
    TieGroup {
        codes: codes.iter().map(|c| c.to_string()).collect(),
        first_rank,
        decided,
    }
}

#[test]
fn a_tie_the_published_chain_leaves_is_unresolved_and_reported() {
    let r = rank(&three_tied(), &rules());
    assert_eq!(codes(&r), vec!["T0", "X1", "X2", "X3", "L9"]);
    assert_eq!(
        steps(&r),
        vec![None, Some("unresolved"), Some("unresolved"), None, None]
    );
    assert_eq!(r.ties, vec![tie(&["X1", "X2", "X3"], 2, false)]);
    assert!(r.ignored_decisions.is_empty());
    assert!(r.rows.iter().all(|r| r.tie_reason.is_none()));

    let x = explain(&r, "X1", false).unwrap();
    assert_eq!(x.tie_break, Some(("unresolved".into(), "X2".into())));
    let zh = x.lines("zh");
    let en = x.lines("en");
    assert!(
        zh.iter()
            .any(|l| l.starts_with("与下一名并列，尚待部里决定先后")),
        "{zh:#?}"
    );
    assert!(
        en.iter()
            .any(|l| l.starts_with("Tied with the next dossier: awaiting the ministry's decision")),
        "{en:#?}"
    );
    // The code is not presented as a tie-break step.
    assert!(zh.iter().all(|l| !l.contains("申报书编号决定")));
    assert!(
        en.iter()
            .all(|l| !l.contains("ordered by the dossier code"))
    );
    // The last of the tie is not tied with the next (a lower aggregate).
    let x = explain(&r, "X3", false).unwrap();
    assert_eq!(x.tie_break, None);
}

/// The same pair ordered by a decision one way, then the other: the decision, not the code, puts
/// one before the other, and the reason is on the calculation sheet.
#[test]
fn a_ministry_decision_orders_a_tie_in_either_direction() {
    let ds = vec![dossier("D2", 80.0), dossier("D1", 80.0)];
    let undecided = rank(&ds, &rules());
    assert_eq!(codes(&undecided), vec!["D1", "D2"]);
    assert_eq!(undecided.ties, vec![tie(&["D1", "D2"], 1, false)]);

    let r = rank(
        &ds,
        &rules().with_decisions(vec![decision(&["D2", "D1"], "D2 已带动 30 个村")]),
    );
    assert_eq!(codes(&r), vec!["D2", "D1"]);
    assert_eq!(steps(&r), vec![Some("ministry_decision"), None]);
    assert_eq!(r.rows[0].tie_reason.as_deref(), Some("D2 已带动 30 个村"));
    assert_eq!(r.ties, vec![tie(&["D2", "D1"], 1, true)]);
    assert!(r.ignored_decisions.is_empty());
    let x = explain(&r, "D2", true).unwrap();
    assert_eq!(x.tie_reason.as_deref(), Some("D2 已带动 30 个村"));
    assert!(
        x.lines("zh")
            .contains(&"与下一名 D1 并列，由部里决定先后。理由：D2 已带动 30 个村".to_string())
    );
    assert!(x.lines("en").contains(
        &"Tied with the next dossier D1: ordered by the ministry's decision. Reason: D2 已带动 30 个村"
            .to_string()
    ));

    // The other way round: the order is the same as the code's, but now it is decided.
    let r = rank(
        &ds,
        &rules().with_decisions(vec![decision(&["D1", "D2"], "D1 覆盖面更广")]),
    );
    assert_eq!(codes(&r), vec!["D1", "D2"]);
    assert_eq!(steps(&r), vec![Some("ministry_decision"), None]);
    assert_eq!(r.ties, vec![tie(&["D1", "D2"], 1, true)]);
    assert_ne!(r.inputs_hash, undecided.inputs_hash);
}

#[test]
fn a_decision_orders_all_of_a_tie_or_part_of_it() {
    let r = rank(
        &three_tied(),
        &rules().with_decisions(vec![decision(&["X3", "X1", "X2"], "全体")]),
    );
    assert_eq!(codes(&r), vec!["T0", "X3", "X1", "X2", "L9"]);
    assert_eq!(
        steps(&r),
        vec![
            None,
            Some("ministry_decision"),
            Some("ministry_decision"),
            None,
            None
        ]
    );
    assert_eq!(r.ties, vec![tie(&["X3", "X1", "X2"], 2, true)]);
    assert_eq!(
        r.rows.iter().map(|r| r.rank).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );

    // Only X2 before X1: X3 stays unordered against them, listed by code where the decision
    // leaves a choice (X2, then X1, then X3), and the tie is not decided.
    let r = rank(
        &three_tied(),
        &rules().with_decisions(vec![decision(&["X2", "X1"], "部分")]),
    );
    assert_eq!(codes(&r), vec!["T0", "X2", "X1", "X3", "L9"]);
    assert_eq!(
        steps(&r),
        vec![
            None,
            Some("ministry_decision"),
            Some("unresolved"),
            None,
            None
        ]
    );
    assert_eq!(r.ties, vec![tie(&["X2", "X1", "X3"], 2, false)]);

    // Two decisions together order all three: X2 before X3, then X3 before X1.
    let r = rank(
        &three_tied(),
        &rules().with_decisions(vec![
            decision(&["X3", "X1"], "第二条"),
            decision(&["X2", "X3"], "第一条"),
        ]),
    );
    assert_eq!(codes(&r), vec!["T0", "X2", "X3", "X1", "L9"]);
    assert_eq!(r.ties, vec![tie(&["X2", "X3", "X1"], 2, true)]);
    assert_eq!(r.rows[1].tie_reason.as_deref(), Some("第一条"));
    assert_eq!(r.rows[2].tie_reason.as_deref(), Some("第二条"));
}

/// Decisions that do not fit a tie change nothing and are listed with the reason: the rows and
/// ties are those without them.
#[test]
fn a_decision_that_does_not_fit_a_tie_is_ignored_and_reported() {
    let mut ds = three_tied();
    // Y1 and Y2 tie at 60, a second tie; E0 has no sheets.
    ds.push(dossier("Y1", 60.0));
    ds.push(dossier("Y2", 60.0));
    ds.push(DossierScores {
        sheets: Vec::new(),
        ..dossier("E0", 0.0)
    });
    let base = rank(&ds, &rules());
    assert_eq!(
        base.ties,
        vec![
            tie(&["X1", "X2", "X3"], 2, false),
            tie(&["Y1", "Y2"], 6, false)
        ]
    );

    let bad = vec![
        decision(&["X1"], "一份"),
        decision(&["X2", "X1", "X2"], "重复"),
        decision(&["X1", "ZZ"], "没有这份"),
        // T0 is first on its own: not tied with anything.
        decision(&["X1", "T0"], "不并列"),
        // L9 is below the tie on its aggregate: the published chain orders it.
        decision(&["L9", "X1"], "违背公布规则"),
        decision(&["X3", "E0"], "无评分表"),
        decision(&["Y2", "X1"], "两个并列组"),
    ];
    let r = rank(&ds, &rules().with_decisions(bad.clone()));
    assert_eq!(r.rows, base.rows);
    assert_eq!(r.ties, base.ties);
    let why: Vec<(usize, WhyIgnored)> = r
        .ignored_decisions
        .iter()
        .map(|i| (i.index, i.why.clone()))
        .collect();
    let code = |c: &str| c.to_string();
    assert_eq!(
        why,
        vec![
            (0, WhyIgnored::TooFewCodes),
            (1, WhyIgnored::RepeatedCode { code: code("X2") }),
            (2, WhyIgnored::UnknownCode { code: code("ZZ") }),
            (3, WhyIgnored::NotTied { code: code("T0") }),
            (4, WhyIgnored::NotTied { code: code("L9") }),
            (5, WhyIgnored::NotTied { code: code("E0") }),
            (
                6,
                WhyIgnored::DifferentTies {
                    first: code("Y2"),
                    other: code("X1")
                }
            ),
        ]
    );
    for (i, ig) in r.ignored_decisions.iter().enumerate() {
        assert_eq!(ig.decision, bad[i]);
        assert!(!ig.why.text().zh.is_empty() && !ig.why.text().en.is_empty());
    }
    assert_eq!(
        WhyIgnored::NotTied { code: code("T0") }.text().en,
        "dossier T0 is not tied: the published rules already place it"
    );
}

/// A decision must not overturn the published chain: D1 has the higher foundation mean, so a
/// decision putting D2 first names dossiers that are not tied and is ignored.
#[test]
fn a_decision_against_the_published_chain_is_ignored() {
    let with_foundation = |code: &str, f: f64| {
        let mut d = dossier(code, 80.0);
        d.sheets[0].group_subtotals = vec![("foundation".into(), f)];
        d
    };
    let ds = vec![with_foundation("D1", 30.0), with_foundation("D2", 28.0)];
    let r = rank(
        &ds,
        &rules().with_decisions(vec![decision(&["D2", "D1"], "想改")]),
    );
    assert_eq!(codes(&r), vec!["D1", "D2"]);
    assert_eq!(r.rows[0].tie_break.as_deref(), Some("foundation"));
    assert!(r.ties.is_empty());
    assert_eq!(
        r.ignored_decisions[0].why,
        WhyIgnored::NotTied { code: "D2".into() }
    );
}

/// Decisions are taken in the order recorded: a later one that would reverse a pair an earlier
/// one ordered (directly, or through others) is ignored.
#[test]
fn a_decision_contradicting_an_earlier_one_is_ignored() {
    let r = rank(
        &three_tied(),
        &rules().with_decisions(vec![
            decision(&["X1", "X2"], "一"),
            decision(&["X2", "X3"], "二"),
            decision(&["X3", "X1"], "三：成环"),
            decision(&["X2", "X1"], "四：相反"),
        ]),
    );
    assert_eq!(codes(&r), vec!["T0", "X1", "X2", "X3", "L9"]);
    assert_eq!(r.ties, vec![tie(&["X1", "X2", "X3"], 2, true)]);
    let why: Vec<(usize, WhyIgnored)> = r
        .ignored_decisions
        .iter()
        .map(|i| (i.index, i.why.clone()))
        .collect();
    assert_eq!(
        why,
        vec![
            (
                2,
                WhyIgnored::ContradictsEarlier {
                    first: "X3".into(),
                    second: "X1".into()
                }
            ),
            (
                3,
                WhyIgnored::ContradictsEarlier {
                    first: "X2".into(),
                    second: "X1".into()
                }
            ),
        ]
    );
}

/// The standardised aggregate ties the same way. Expert H gave D1 84 and D2 46 (mean 65, sd 19,
/// z ±1); expert L gave D3 100 and D4 94 (mean 97, sd 3, z ±1). All totals: mean 81, sd
/// √((9 + 1225 + 361 + 169) / 4) = √441 = 21. Standardised values 81 ± 21: D1 and D3 at 102,
/// D2 and D4 at 60: two unresolved ties.
#[test]
fn standardised_values_tie_and_a_decision_orders_them() {
    let ds = vec![
        DossierScores {
            sheets: vec![sheet("H", 84.0)],
            ..dossier("D1", 0.0)
        },
        DossierScores {
            sheets: vec![sheet("H", 46.0)],
            ..dossier("D2", 0.0)
        },
        DossierScores {
            sheets: vec![sheet("L", 100.0)],
            ..dossier("D3", 0.0)
        },
        DossierScores {
            sheets: vec![sheet("L", 94.0)],
            ..dossier("D4", 0.0)
        },
    ];
    let std = RankingRules {
        standardise: true,
        ..rules()
    };
    let r = rank(&ds, &std);
    assert_eq!(codes(&r), vec!["D1", "D3", "D2", "D4"]);
    assert!((r.rows[0].standardised - 102.0).abs() < 1e-9);
    assert_eq!(
        r.ties,
        vec![tie(&["D1", "D3"], 1, false), tie(&["D2", "D4"], 3, false)]
    );
    let r = rank(
        &ds,
        &std.with_decisions(vec![decision(&["D4", "D2"], "D4 更完整")]),
    );
    assert_eq!(codes(&r), vec!["D1", "D3", "D4", "D2"]);
    assert_eq!(
        r.ties,
        vec![tie(&["D1", "D3"], 1, false), tie(&["D4", "D2"], 3, true)]
    );
}

/// Dossiers with few distinct values (so that ties are common), and picks for decisions: each
/// either names random codes or orders members of one of the ties the published chain leaves.
type Pick = (bool, usize, Vec<usize>);

fn arb_case() -> impl Strategy<Value = (Vec<DossierScores>, Vec<Pick>)> {
    let sheet = (0..4usize, 0..2u32, 0..2u32).prop_map(|(e, t, f)| SheetTotals {
        expert_id: format!("e{e}").into(),
        total: 70.0 + f64::from(t) * 5.0,
        group_subtotals: vec![("foundation".into(), 20.0 + f64::from(f) * 5.0)],
        recommend: true,
    });
    let dossiers = prop::collection::vec(
        (
            prop::collection::vec(sheet, 0..3),
            prop::option::weighted(0.2, 1..3i64),
        ),
        0..14,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (sheets, pr))| DossierScores {
                provincial_rank: pr,
                sheets,
                ..dossier(&format!("D{i:02}"), 0.0)
            })
            .collect::<Vec<_>>()
    });
    let picks = prop::collection::vec(
        (
            prop::bool::weighted(0.2),
            0..8usize,
            prop::collection::vec(0..16usize, 1..5),
        ),
        0..6,
    );
    (dossiers, picks)
}

/// The decisions the picks describe, against the ties of `ties_of`.
fn decisions(picks: &[Pick], ties_of: &shifan_domain::ranking::Ranking) -> Vec<TieDecision> {
    picks
        .iter()
        .enumerate()
        .map(|(k, (random, t, members))| {
            let order = match ties_of.ties.get(t % ties_of.ties.len().max(1)) {
                // Distinct members: the tie rotated, maybe reversed, cut to at least two.
                Some(g) if !random => {
                    let n = g.codes.len();
                    let mut codes = g.codes.clone();
                    codes.rotate_left(members[0] % n);
                    if members.len() % 2 == 0 {
                        codes.reverse();
                    }
                    codes.truncate(2 + members.get(1).map_or(n, |m| m % (n - 1)));
                    codes
                }
                _ => members.iter().map(|i| format!("D{i:02}")).collect(),
            };
            TieDecision {
                order,
                reason: format!("理由{k}"),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Whatever the dossiers and decisions: the same ranking in any input order; the ties are
    /// runs of rows with sheets the published chain leaves equal; only pairs inside a tie carry
    /// `ministry_decision` or `unresolved`, and no pair is ever put down to the code; every
    /// applied decision's order holds; a tie is decided exactly when all its pairs are.
    #[test]
    fn ties_and_decisions_hold_together((ds, picks) in arb_case(), standardise in any::<bool>()) {
        // Without the decisions: the ties the decisions are drawn from.
        let plain = rank(&ds, &RankingRules { standardise, ..rules() });
        let decisions = decisions(&picks, &plain);
        let decided = RankingRules { standardise, ..rules() }.with_decisions(decisions.clone());
        let r = rank(&ds, &decided);

        let mut shuffled = ds.clone();
        shuffled.reverse();
        for d in &mut shuffled {
            d.sheets.reverse();
        }
        prop_assert_eq!(&rank(&shuffled, &decided), &r);

        let mut in_tie: Vec<Option<usize>> = vec![None; r.rows.len()];
        for (t, g) in r.ties.iter().enumerate() {
            prop_assert!(g.codes.len() >= 2);
            for (k, code) in g.codes.iter().enumerate() {
                let i = g.first_rank - 1 + k;
                prop_assert_eq!(&r.rows[i].code, code);
                prop_assert!(in_tie[i].is_none());
                in_tie[i] = Some(t);
                let (a, b) = (&r.rows[g.first_rank - 1], &r.rows[i]);
                prop_assert!(b.sheets > 0);
                prop_assert!((a.aggregate - b.aggregate).abs() <= TIE_EPSILON * g.codes.len() as f64);
                prop_assert_eq!(a.provincial_rank, b.provincial_rank);
                prop_assert!((a.group_means[0].1 - b.group_means[0].1).abs() < 1e-9);
            }
            let all_decided = (0..g.codes.len() - 1)
                .all(|k| r.rows[g.first_rank - 1 + k].tie_break.as_deref() == Some("ministry_decision"));
            prop_assert_eq!(g.decided, all_decided);
        }
        for (i, row) in r.rows.iter().enumerate() {
            let step = row.tie_break.as_deref();
            prop_assert!(step != Some("code"));
            let paired = i + 1 < r.rows.len() && in_tie[i].is_some() && in_tie[i] == in_tie[i + 1];
            let tie_step = matches!(step, Some("ministry_decision") | Some("unresolved"));
            prop_assert_eq!(paired, tie_step, "row {}: {:?}", i, step);
            prop_assert_eq!(row.tie_reason.is_some(), step == Some("ministry_decision"));
        }
        let ignored: Vec<usize> = r.ignored_decisions.iter().map(|d| d.index).collect();
        for (k, d) in decisions.iter().enumerate() {
            if ignored.contains(&k) {
                continue;
            }
            let ranks: Vec<usize> = d.order.iter().map(|c| r.row(c).unwrap().rank).collect();
            prop_assert!(ranks.windows(2).all(|w| w[0] < w[1]), "decision {} {:?}", k, ranks);
        }
        // Without the decisions, the same ties in the same places, undecided.
        let places = |r: &shifan_domain::ranking::Ranking| -> Vec<(usize, usize)> {
            r.ties.iter().map(|t| (t.first_rank, t.codes.len())).collect()
        };
        prop_assert_eq!(places(&plain), places(&r));
        prop_assert!(plain.ties.iter().all(|t| !t.decided));
    }
}
