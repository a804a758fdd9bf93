//! Review benchmark: `cargo bench --bench review [-- DOSSIERS EXPERTS]`.
//!
//! Whole process, from the store: a generated set of DOSSIERS (37 units) with a generated
//! roster of EXPERTS is scored by `shifan demo --samples`, then `shifan rank --top 20` and
//! `shifan select --what-if` run as processes (median of 3, each with its own peak memory from
//! `wait4`), against the yardstick measured in the same run: the bare single-thread TOML parse
//! of the same set. Beside it, in this process, ranking from the kept sheet totals against
//! ranking summed from every score row (the way before schema 5) on the same store.
//!
//! A synthetic national round (default 30,000 dossiers from 37 reporting units, 300 experts,
//! 5 reviews each): times the assignment, the ranking (trimmed means, standardisation,
//! tie-breaks, inputs hash) and the selection of the 100, each the median of 3 runs.
//! There is no outside baseline for assignment and ranking; the figures are absolute, with the
//! rate per review pair. The selection (exact: a flow check per unit considered) and the
//! promotion are timed beside the old walk down the ranking (`old_walk`, kept in
//! crates/domain/tests/old_walk as a yardstick, not the product) on the same candidates in the
//! same run, under round.toml's limits and under a binding type minimum.

use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shifan::domain::assignment::{AssignmentInput, DossierProfile, ExpertProfile, assign};
use shifan::domain::ranking::{DossierScores, RankingRules, SheetTotals, rank};
use shifan::domain::selection::{Candidate, Constraints, Selection, promotion, select};
use shifan::input::criteria::load_criteria;

#[path = "../crates/domain/tests/old_walk/mod.rs"]
mod old_walk;

#[path = "whole/mod.rs"]
mod whole;

/// Ranking and selection whole process from a scored store of `n_dossiers`.
fn from_the_store(n_dossiers: usize, n_experts: usize) {
    use whole::{all_files, bare_parse, binary, median_run, mib};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let criteria_dir = root.join("criteria");
    let criteria = load_criteria(&criteria_dir).expect("criteria");
    let units = 37.min(criteria.provinces.all().len());
    let per = n_dossiers.div_ceil(units);
    let tmp = tempfile::tempdir().expect("tmp");
    let set = tmp.path().join("set");
    shifan::generate::write_set(&criteria, &criteria_dir, &set, units, per, 7).expect("generate");
    shifan::generate::write_roster(&criteria, &set, units, n_experts, 7).expect("roster");
    let lifted = shifan::generate::lifted_criteria_dir(&set);
    let db = tmp.path().join("round.db");
    let shifan = |args: &[&str]| {
        let mut c = std::process::Command::new(binary());
        c.arg("--criteria")
            .arg(&lifted)
            .arg("--db")
            .arg(&db)
            .arg("--lang")
            .arg("en")
            .args(args)
            .env("SHIFAN_USER", "ministry")
            .env("SHIFAN_PASSWORD", shifan::demo::DEMO_PASSWORD)
            .env_remove("SHIFAN_DB")
            .env_remove("SHIFAN_CRITERIA");
        c
    };
    let demo = whole::run(
        shifan(&["demo", "--samples", set.to_str().expect("utf-8 path")]).env_remove("SHIFAN_USER"),
    );
    assert!(demo.ok, "demo failed: {}", demo.stdout);
    let files = all_files(&set);
    let (bare, _) = whole::median(3, || bare_parse(&files, 1));
    println!(
        "scored round from the store: {} files, built by `shifan demo --samples` in {:.1} s (peak {:.0} MiB)",
        files.len(),
        demo.wall.as_secs_f64(),
        mib(demo.peak_kib)
    );
    println!(
        "  yardstick: bare TOML parse, 1 thread {:>8.1} ms",
        bare.as_secs_f64() * 1e3
    );
    for (name, args) in [
        ("shifan rank --top 20", vec!["rank", "--top", "20"]),
        ("shifan select --what-if", vec!["select", "--what-if"]),
    ] {
        let r = median_run(3, |_| shifan(&args));
        println!(
            "  {name:<24} {:>8.1} ms  {:.2}x the parse   peak {:.0} MiB",
            r.wall.as_secs_f64() * 1e3,
            r.wall.as_secs_f64() / bare.as_secs_f64(),
            mib(r.peak_kib)
        );
    }
    let store = shifan::store::Store::open(&db).expect("store");
    let m = store
        .login("ministry", shifan::demo::DEMO_PASSWORD)
        .expect("login");
    let lifted_criteria = load_criteria(&lifted).expect("criteria");
    let (kept, a) = median(3, || store.ranking(&lifted_criteria, &m).expect("rank"));
    let (summed, b) = median(3, || {
        store
            .ranking_from_scores(&lifted_criteria, &m)
            .expect("rank")
    });
    assert_eq!(a.ranking.inputs_hash, b.ranking.inputs_hash);
    println!(
        "  in process: ranking from kept totals {:>8.1} ms, summed from every score {:>8.1} ms ({:.2}x); same inputs hash",
        kept.as_secs_f64() * 1e3,
        summed.as_secs_f64() * 1e3,
        kept.as_secs_f64() / summed.as_secs_f64()
    );
}

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
    whole::launcher();
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n_dossiers = args.first().copied().unwrap_or(30_000);
    let n_experts = args.get(1).copied().unwrap_or(300);
    from_the_store(n_dossiers, n_experts);
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
                content_sha256: None,
                sheets: es
                    .iter()
                    .map(|&e| {
                        let total = (q + harsh[e] + rng.random_range(-5.0..5.0)).clamp(0.0, 100.0);
                        SheetTotals {
                            expert_id: experts[e].id.as_str().into(),
                            total,
                            group_subtotals: groups
                                .iter()
                                .map(|g| (g.as_str().into(), total / groups.len() as f64))
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
    let round = Constraints::from_criteria(&criteria);
    let mut binding = round.clone();
    // A what-if whose minimum binds: 40 of 100 overall_advancement units, where about a sixth of
    // the ranking is of that type, so the walk must hold places for it deep into the ranking.
    for l in &mut binding.type_limits {
        if l.0 == "overall_advancement" {
            l.1 = Some(40);
        }
    }
    for (name, c) in [("round.toml", &round), ("binding minimum", &binding)] {
        let limits: Vec<String> = c
            .type_limits
            .iter()
            .map(|(t, min, max)| match (min, max) {
                (Some(a), Some(b)) => format!("{a} ≤ {t} ≤ {b}"),
                (Some(a), None) => format!("{t} ≥ {a}"),
                (None, Some(b)) => format!("{t} ≤ {b}"),
                (None, None) => t.clone(),
            })
            .collect();
        println!(
            "  selection, {name}: {} of {} candidates, at most {} per province, {}",
            c.target,
            candidates.len(),
            c.max_per_province,
            limits.join(", ")
        );
        let (t_select, selection) = median(3, || select(&candidates, c));
        let (t_old, old) = median(3, || old_walk::old_walk(&candidates, c));
        let of = |s: &[String], t: &str| {
            s.iter()
                .filter(|code| type_of(&candidates, code) == Some(t))
                .count()
        };
        println!(
            "    exact      {:>8.2} ms  ({} selected, {} reserve, {} overall_advancement, {} other{})",
            t_select.as_secs_f64() * 1e3,
            selection.selected.len(),
            selection.reserve.len(),
            of(&selection.selected, "overall_advancement"),
            of(&selection.selected, "other"),
            if selection.infeasible.is_some() {
                ", no list of the target"
            } else {
                ""
            }
        );
        println!(
            "    old walk   {:>8.2} ms  ({} selected, {} overall_advancement, {} other, {} minimums unmet)  exact / old = {:.1}×",
            t_old.as_secs_f64() * 1e3,
            old.selected.len(),
            of(&old.selected, "overall_advancement"),
            of(&old.selected, "other"),
            old.unmet_minimums.len(),
            t_select.as_secs_f64() / t_old.as_secs_f64().max(1e-9)
        );
        bench_promotion(&candidates, c, &selection);
    }
}

/// The type of the candidate with this code.
fn type_of<'a>(candidates: &'a [Candidate], code: &str) -> Option<&'a str> {
    candidates
        .iter()
        .find(|x| x.code == code)
        .map(|x| x.type_id.as_str())
}

/// Promotion after the best-ranked overall_advancement unit on the list is removed (the case
/// where a binding minimum decides who comes in).
fn bench_promotion(candidates: &[Candidate], c: &Constraints, selection: &Selection) {
    let Some(removed) = selection
        .selected
        .iter()
        .find(|code| type_of(candidates, code) == Some("overall_advancement"))
    else {
        println!("    promotion  (no overall_advancement unit on the list)");
        return;
    };
    let list: Vec<&str> = selection
        .selected
        .iter()
        .map(String::as_str)
        .filter(|code| code != removed)
        .collect();
    let barred = [removed.as_str()];
    let (t, promoted) = median(3, || promotion(candidates, &list, &barred, c));
    let rank = |code: &str| candidates.iter().find(|x| x.code == code).map(|x| x.rank);
    println!(
        "    promotion  {:>8.2} ms  ({removed} removed → {})",
        t.as_secs_f64() * 1e3,
        match &promoted {
            Ok(code) => format!(
                "{code}, rank {}, {}",
                rank(code).unwrap_or(0),
                type_of(candidates, code).unwrap_or("")
            ),
            Err(e) => format!("nobody: {e}"),
        }
    );
}
