//! The selection honours the panel meeting (会评): voted out means excluded with the votes,
//! voted in means taken first while every limit still allows, the reserve stays in rank order.

use shifan_domain::selection::{
    Candidate, Constraints, Exclusion, PanelVerdict, select, select_with_panel,
};

fn cand(code: &str, province: &str, type_id: &str, rank: usize) -> Candidate {
    Candidate {
        code: code.into(),
        province_key: province.into(),
        type_id: type_id.into(),
        rank,
        recommend_votes: 5,
        sheets: 5,
        passed_checks: true,
    }
}

fn verdict(code: &str, votes_for: usize, votes_against: usize) -> PanelVerdict {
    PanelVerdict {
        code: code.into(),
        votes_for,
        votes_against,
    }
}

fn round() -> (Vec<Candidate>, Constraints) {
    // Six units, three on the list, two on the reserve, at most two per province.
    let cs = vec![
        cand("A1", "A", "t", 1),
        cand("A2", "A", "t", 2),
        cand("B1", "B", "t", 3),
        cand("A3", "A", "t", 4),
        cand("B2", "B", "t", 5),
        cand("C1", "C", "t", 6),
    ];
    let c = Constraints {
        target: 3,
        reserve: 2,
        max_per_province: 2,
        type_limits: vec![],
        province_quotas: vec![],
    };
    (cs, c)
}

#[test]
fn no_verdicts_is_the_plain_selection() {
    let (cs, c) = round();
    assert_eq!(select_with_panel(&cs, &c, &[]), select(&cs, &c));
    assert_eq!(select(&cs, &c).selected, ["A1", "A2", "B1"]);
}

#[test]
fn voted_out_is_excluded_and_never_on_the_reserve() {
    let (cs, c) = round();
    let s = select_with_panel(&cs, &c, &[verdict("B1", 2, 5), verdict("B2", 3, 3)]);
    assert_eq!(
        s.selected,
        ["A1", "A2", "C1"],
        "B1 out; B2 tied 3:3 is not passed"
    );
    assert_eq!(
        s.reserve,
        ["A3"],
        "B2 (3:3, not passed) is not on the reserve"
    );
    let why = s.excluded.iter().find(|e| e.0 == "B1").map(|e| &e.2);
    assert_eq!(
        why,
        Some(&Exclusion::PanelRejected {
            votes_for: 2,
            votes_against: 5
        })
    );
}

#[test]
fn voted_in_comes_first_only_where_the_limits_allow() {
    let (cs, c) = round();
    // A3 (rank 4) and C1 (rank 6) voted in: taken first, then A1; A2 is kept out by province
    // A's maximum of two and B1 by the list being full.
    let s = select_with_panel(&cs, &c, &[verdict("C1", 6, 1), verdict("A3", 5, 2)]);
    assert_eq!(s.selected, ["A1", "A3", "C1"], "listed in rank order");
    assert_eq!(s.reserve, ["A2", "B1"], "the reserve in rank order");
    let why = s.excluded.iter().find(|e| e.0 == "A2").map(|e| &e.2);
    assert!(
        matches!(why, Some(Exclusion::ProvinceFull { .. })),
        "{why:?}"
    );
}
