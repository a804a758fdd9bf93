//! Review benchmark: `cargo bench --bench review [-- DOSSIERS EXPERTS]`.
//!
//! A synthetic national round (default 30,000 dossiers from 37 reporting units, 300 experts,
//! 5 reviews each): times the assignment, the ranking (trimmed means, standardisation,
//! tie-breaks, inputs hash) and the selection of the 100, each the median of 3 runs.
//! There is no outside baseline for these steps; the figures are absolute, with the rate per
//! review pair.

use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shifan::domain::assignment::{AssignmentInput, DossierProfile, ExpertProfile, assign};
use shifan::domain::ranking::{DossierScores, RankingRules, SheetTotals, rank};
use shifan::domain::selection::{Candidate, Constraints, select};
use shifan::input::criteria::load_criteria;

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        times.push(t.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n_dossiers = args.first().copied().unwrap_or(30_000);
    let n_experts = args.get(1).copied().unwrap_or(300);
    let criteria =
        load_criteria(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("criteria"))
            .expect("criteria load");
    let provinces: Vec<String> = criteria
        .provinces
        .all()
        .iter()
        .take(37)
        .map(|p| p.key.clone())
        .collect();
    let types: Vec<String> = criteria.types.all().iter().map(|t| t.id.clone()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let experts: Vec<ExpertProfile> = (0..n_experts)
        .map(|i| ExpertProfile {
            id: format!("E{i:03}"),
            province_key: Some(provinces[rng.random_range(0..provinces.len())].clone()),
            affiliation: format!("某大学信息学院{i}"),
            expertise: (0..rng.random_range(1..=3usize))
                .map(|_| types[rng.random_range(0..types.len())].clone())
                .collect(),
            avoid_units: Vec::new(),
            avoid_provinces: Vec::new(),
            active: true,
        })
        .collect();
    let dossiers: Vec<DossierProfile> = (0..n_dossiers)
        .map(|i| {
            let p = &provinces[i % provinces.len()];
            DossierProfile {
                code: format!("{p}-{:04}", i / provinces.len() + 1),
                province_key: p.clone(),
                type_id: types[rng.random_range(0..types.len())].clone(),
                applicant: format!("{p}某县农业农村局{i}"),
                ..DossierProfile::default()
            }
        })
        .collect();
    let per = criteria.round.experts_per_dossier as usize;
    let input = AssignmentInput {
        experts: &experts,
        dossiers: &dossiers,
        per_dossier: per,
        seed: 1,
        recusals: &[],
        keep: &[],
    };
    let (t_assign, plan) = median(3, || assign(&input));
    let pairs: usize = plan.pairs.iter().map(|(_, es)| es.len()).sum();
    let (lo, hi) = (
        plan.load.iter().min().copied().unwrap_or(0),
        plan.load.iter().max().copied().unwrap_or(0),
    );
    println!("synthetic round: {n_dossiers} dossiers, {n_experts} experts, {per} per dossier");
    println!(
        "  assignment  {:>8.1} ms  ({pairs} pairs, load {lo}..{hi}, {} without type coverage, {:.2} µs per pair)",
        t_assign.as_secs_f64() * 1e3,
        plan.uncovered_types.len(),
        t_assign.as_secs_f64() * 1e6 / pairs.max(1) as f64
    );

    let groups: Vec<String> = criteria
        .rubric
        .groups
        .iter()
        .map(|g| g.id.clone())
        .collect();
    let harsh: Vec<f64> = (0..n_experts)
        .map(|_| rng.random_range(-8.0..6.0))
        .collect();
    let scores: Vec<DossierScores> = plan
        .pairs
        .iter()
        .map(|(d, es)| {
            let q: f64 = rng.random_range(50.0..95.0);
            DossierScores {
                code: dossiers[*d].code.clone(),
                province_key: dossiers[*d].province_key.clone(),
                province_order: criteria.provinces.order(&dossiers[*d].province_key),
                provincial_rank: Some((*d / provinces.len()) as i64 + 1),
                type_id: dossiers[*d].type_id.clone(),
                sheets: es
                    .iter()
                    .map(|&e| {
                        let total = (q + harsh[e] + rng.random_range(-5.0..5.0)).clamp(0.0, 100.0);
                        SheetTotals {
                            expert_id: experts[e].id.clone(),
                            total,
                            group_subtotals: groups
                                .iter()
                                .map(|g| (g.clone(), total / groups.len() as f64))
                                .collect(),
                            recommend: total >= 60.0,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let rules = RankingRules::from_round(&criteria.round, criteria.tie_break_groups());
    let (t_rank, ranking) = median(3, || rank(&scores, &rules));
    println!(
        "  ranking     {:>8.1} ms  ({} sheets, {} flagged, inputs hash {}…)",
        t_rank.as_secs_f64() * 1e3,
        pairs,
        ranking.rows.iter().filter(|r| r.flagged).count(),
        &ranking.inputs_hash[..12]
    );
    let candidates: Vec<Candidate> = ranking
        .rows
        .iter()
        .map(|r| Candidate::from_ranked(r, true))
        .collect();
    let constraints = Constraints::from_round(&criteria.round);
    let (t_select, selection) = median(3, || select(&candidates, &constraints));
    println!(
        "  selection   {:>8.1} ms  ({} selected, {} reserve)",
        t_select.as_secs_f64() * 1e3,
        selection.selected.len(),
        selection.reserve.len()
    );
}
