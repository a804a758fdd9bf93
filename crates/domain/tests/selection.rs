//! The exact selection against its definition: brute force over every subset of small rounds,
//! regressions on the demo round's 242 ranked candidates where the old walk (kept as
//! `old_walk`, the yardstick) missed lists that exist, and a 2021-style round of four types.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shifan_domain::selection::{
    Candidate, Constraints, Exclusion, Limit, NoPromotion, Selection, promotion, select,
};

mod old_walk;
use old_walk::old_walk;

// ---------------------------------------------------------------------------------------------
// Brute force: the definition, spelled out over every subset of the eligible units.
// ---------------------------------------------------------------------------------------------

/// A limit the brute force may drop (the same order as the selection tries them: the
/// per-province maximums, then each type maximum, then each type minimum, types in the order
/// the limits first name them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relax {
    Provinces,
    TypeMax(usize),
    TypeMin(usize),
}

/// A small round: eligible units in rank order (bit i of a mask is unit i), with their province
/// and type as indices.
struct Brute<'a> {
    units: Vec<&'a Candidate>,
    province: Vec<usize>,
    kind: Vec<usize>,
    /// Limited types first, in the order first written; then the others.
    types: Vec<String>,
    limited: usize,
    cap: Vec<usize>,
    hi: Vec<Option<usize>>,
    lo: Vec<usize>,
    c: &'a Constraints,
}

/// The limits of one question, with some dropped.
#[derive(Clone)]
struct Rules {
    cap: Vec<Option<usize>>,
    hi: Vec<Option<usize>>,
    lo: Vec<usize>,
}

fn rank_order(cs: &[Candidate]) -> Vec<&Candidate> {
    let mut v: Vec<&Candidate> = cs.iter().collect();
    v.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
    v
}

impl<'a> Brute<'a> {
    fn new(cs: &'a [Candidate], c: &'a Constraints) -> Self {
        let units: Vec<&Candidate> = rank_order(cs)
            .into_iter()
            .filter(|x| x.eligible())
            .collect();
        let mut types: Vec<String> = Vec::new();
        let mut hi: Vec<Option<usize>> = Vec::new();
        let mut lo: Vec<usize> = Vec::new();
        for (t, min, max) in &c.type_limits {
            let i = match types.iter().position(|u| u == t) {
                Some(i) => i,
                None => {
                    types.push(t.clone());
                    hi.push(None);
                    lo.push(0);
                    types.len() - 1
                }
            };
            lo[i] = lo[i].max(min.unwrap_or(0));
            hi[i] = match (hi[i], *max) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        let limited = types.len();
        let mut provinces: Vec<String> = Vec::new();
        let (mut province, mut kind) = (Vec::new(), Vec::new());
        for u in &units {
            if !types.contains(&u.type_id) {
                types.push(u.type_id.clone());
                hi.push(None);
                lo.push(0);
            }
            if !provinces.contains(&u.province_key) {
                provinces.push(u.province_key.clone());
            }
            province.push(provinces.iter().position(|p| *p == u.province_key).unwrap());
            kind.push(types.iter().position(|t| *t == u.type_id).unwrap());
        }
        let cap = provinces.iter().map(|p| c.max_for(p)).collect();
        Brute {
            units,
            province,
            kind,
            types,
            limited,
            cap,
            hi,
            lo,
            c,
        }
    }

    fn n(&self) -> usize {
        self.units.len()
    }

    fn all(&self) -> u32 {
        (1u32 << self.n()) - 1
    }

    fn rules(&self, lo: &[usize]) -> Rules {
        Rules {
            cap: self.cap.iter().map(|&c| Some(c)).collect(),
            hi: self.hi.clone(),
            lo: lo.to_vec(),
        }
    }

    fn keeps(&self, s: u32, r: &Rules) -> bool {
        // At most 4 provinces and 4 types in these rounds.
        let mut per_p = [0usize; 8];
        let mut per_t = [0usize; 8];
        for i in 0..self.n() {
            if s >> i & 1 == 1 {
                per_p[self.province[i]] += 1;
                per_t[self.kind[i]] += 1;
            }
        }
        per_p
            .iter()
            .zip(&r.cap)
            .all(|(&n, c)| c.is_none_or(|c| n <= c))
            && per_t
                .iter()
                .zip(&r.hi)
                .all(|(&n, h)| h.is_none_or(|h| n <= h))
            && per_t.iter().zip(&r.lo).all(|(&n, &l)| n >= l)
    }

    /// Some list S with forced ⊆ S ⊆ forced ∪ free, |S| in `size`, keeping `r`.
    fn exists(&self, forced: u32, free: u32, size: (usize, usize), r: &Rules) -> bool {
        let free = free & !forced;
        let mut sub = free;
        loop {
            let s = forced | sub;
            let k = s.count_ones() as usize;
            if k >= size.0 && k <= size.1 && self.keeps(s, r) {
                return true;
            }
            if sub == 0 {
                return false;
            }
            sub = (sub - 1) & free;
        }
    }

    /// Each minimum in the order written lowered to the most a list of at most `target` can
    /// hold with the maximums and the minimums before it.
    fn reachable(&self) -> Vec<usize> {
        let mut lo = vec![0; self.types.len()];
        for t in 0..self.limited {
            let mut best = 0;
            for v in (0..=self.lo[t]).rev() {
                lo[t] = v;
                if self.exists(0, self.all(), (0, self.c.target), &self.rules(&lo)) {
                    best = v;
                    break;
                }
            }
            lo[t] = best;
        }
        lo
    }

    fn without(&self, r: &Rules, relaxed: &[Relax]) -> Rules {
        let mut r = r.clone();
        for x in relaxed {
            match *x {
                Relax::Provinces => r.cap.iter_mut().for_each(|c| *c = None),
                Relax::TypeMax(t) => r.hi[t] = None,
                Relax::TypeMin(t) => r.lo[t] = 0,
            }
        }
        r
    }

    /// The deletion filter over the limits, maximums first, as documented.
    fn culprits(
        &self,
        forced: u32,
        free: u32,
        size: (usize, usize),
        r: &Rules,
    ) -> Option<Vec<Limit>> {
        let mut items = vec![Relax::Provinces];
        items.extend(
            (0..self.types.len())
                .filter(|&t| r.hi[t].is_some())
                .map(Relax::TypeMax),
        );
        items.extend(
            (0..self.types.len())
                .filter(|&t| r.lo[t] > 0)
                .map(Relax::TypeMin),
        );
        if !self.exists(forced, free, size, &self.without(r, &items)) {
            return None;
        }
        let mut blamed = items.clone();
        for x in &items {
            let trial: Vec<Relax> = blamed.iter().copied().filter(|y| y != x).collect();
            let relaxed: Vec<Relax> = items
                .iter()
                .copied()
                .filter(|y| !trial.contains(y))
                .collect();
            if !self.exists(forced, free, size, &self.without(r, &relaxed)) {
                blamed = trial;
            }
        }
        Some(
            blamed
                .iter()
                .map(|x| match *x {
                    Relax::Provinces => Limit::ProvinceMax {
                        max: self.c.max_per_province,
                        quotas: self.c.province_quotas.len(),
                    },
                    Relax::TypeMax(t) => Limit::TypeMax {
                        type_id: self.types[t].clone(),
                        max: r.hi[t].unwrap(),
                    },
                    Relax::TypeMin(t) => Limit::TypeMin {
                        type_id: self.types[t].clone(),
                        min: r.lo[t],
                    },
                })
                .collect(),
        )
    }

    /// (minimums kept, list size): the round's own when a list of the target keeps every limit.
    fn goal(&self) -> (Vec<usize>, usize) {
        let t = self.c.target;
        if self.exists(0, self.all(), (t, t), &self.rules(&self.lo)) {
            return (self.lo.clone(), t);
        }
        let lo = self.reachable();
        let k = (0..=t)
            .rev()
            .find(|&k| self.exists(0, self.all(), (k, k), &self.rules(&lo)))
            .unwrap();
        (lo, k)
    }

    /// The best list in rank order among all of size `k` that keep `lo` and the maximums: the
    /// one holding the best-ranked unit in which two lists differ.
    fn best(&self, lo: &[usize], k: usize) -> u32 {
        let rev = |s: u32| (0..self.n()).fold(0u32, |acc, i| acc << 1 | (s >> i & 1));
        let r = self.rules(lo);
        (0..=self.all())
            .filter(|&s| s.count_ones() as usize == k && self.keeps(s, &r))
            .max_by_key(|&s| rev(s))
            .unwrap()
    }

    fn codes(&self, s: u32) -> Vec<String> {
        (0..self.n())
            .filter(|i| s >> i & 1 == 1)
            .map(|i| self.units[i].code.clone())
            .collect()
    }

    /// The reasons the definition gives, walking the ranking: code → reason.
    fn reasons(&self, lo: &[usize], k: usize) -> BTreeMap<String, Exclusion> {
        let r = self.rules(lo);
        let mut out = BTreeMap::new();
        let mut kept = 0u32;
        for i in 0..self.n() {
            let u = self.units[i];
            let (p, t) = (self.province[i], self.kind[i]);
            let count = |pred: &dyn Fn(usize) -> bool| {
                (0..self.n())
                    .filter(|&j| kept >> j & 1 == 1 && pred(j))
                    .count()
            };
            let later = self.all() & !((1u32 << (i + 1)) - 1);
            let reason = if count(&|j| self.province[j] == p) >= self.cap[p] {
                Some(Exclusion::ProvinceFull {
                    province_key: u.province_key.clone(),
                    max: self.cap[p],
                })
            } else if let Some(max) = self.hi[t].filter(|&h| count(&|j| self.kind[j] == t) >= h) {
                Some(Exclusion::TypeFull {
                    type_id: u.type_id.clone(),
                    max,
                })
            } else if kept.count_ones() as usize >= k {
                Some(Exclusion::BelowCut)
            } else if self.exists(kept | 1 << i, later, (k, k), &r) {
                None
            } else {
                Some(Exclusion::WouldBreak {
                    units: k,
                    limits: self
                        .culprits(kept | 1 << i, later, (k, k), &r)
                        .unwrap_or_default(),
                })
            };
            match reason {
                Some(e) => {
                    out.insert(u.code.clone(), e);
                }
                None => kept |= 1 << i,
            }
        }
        out
    }
}

fn arb_round(max_units: usize) -> impl Strategy<Value = (Vec<Candidate>, Constraints)> {
    let units = prop::collection::vec(
        (0..4usize, 0..4usize, 0..10u8, any::<bool>()),
        0..=max_units,
    );
    // A maximum of 0 now and then (a what-if the checks refuse, but `select` must still answer).
    let max_per_province = prop_oneof![1 => Just(0usize), 9 => 1..5usize];
    let limits = prop::collection::vec(
        (
            0..4usize,
            prop::option::of(0..4usize),
            prop::option::of(0..6usize),
        ),
        0..4,
    );
    let quotas = prop::collection::vec((0..4usize, 1..4usize), 0..2);
    (
        units,
        0..9usize,
        0..4usize,
        max_per_province,
        limits,
        quotas,
    )
        .prop_map(
            |(units, target, reserve, max_per_province, limits, quotas)| {
                let cs = units
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, t, e, tie))| Candidate {
                        code: format!("C{i:02}"),
                        province_key: format!("p{p}"),
                        type_id: format!("t{t}"),
                        // Ties in rank, broken by code.
                        rank: if tie { i.saturating_sub(1) + 1 } else { i + 1 },
                        // One in ten fails its checks, one in ten is not recommended.
                        recommend_votes: if e == 1 { 1 } else { 3 },
                        sheets: 3,
                        passed_checks: e != 0,
                    })
                    .collect();
                let c = Constraints {
                    target,
                    reserve,
                    max_per_province,
                    type_limits: limits
                        .into_iter()
                        .map(|(t, min, max)| (format!("t{t}"), min, max))
                        .collect(),
                    province_quotas: quotas
                        .into_iter()
                        .map(|(p, m)| (format!("p{p}"), m))
                        .collect(),
                };
                (cs, c)
            },
        )
}

/// Rounds where a list of the target usually exists but the limits bind: 8–14 units, a target
/// of 2–7, 1–3 per province, one or two types with a minimum of 1–3 and perhaps a maximum.
fn arb_tight_round() -> impl Strategy<Value = (Vec<Candidate>, Constraints)> {
    let units = prop::collection::vec((0..4usize, 0..4usize, 0..10u8), 8..=14);
    let limits = prop::collection::vec((0..4usize, 1..4usize, prop::option::of(1..5usize)), 1..3);
    (units, 2..8usize, 1..4usize, limits).prop_map(|(units, target, max_per_province, limits)| {
        let cs = units
            .into_iter()
            .enumerate()
            .map(|(i, (p, t, e))| Candidate {
                code: format!("C{i:02}"),
                province_key: format!("p{p}"),
                type_id: format!("t{t}"),
                rank: i + 1,
                recommend_votes: if e == 1 { 1 } else { 3 },
                sheets: 3,
                passed_checks: true,
            })
            .collect();
        let c = Constraints {
            target,
            reserve: 2,
            max_per_province,
            type_limits: limits
                .into_iter()
                .map(|(t, min, max)| (format!("t{t}"), Some(min), max.map(|m| m.max(min))))
                .collect(),
            province_quotas: Vec::new(),
        };
        (cs, c)
    })
}

fn check_against_brute(cs: &[Candidate], c: &Constraints) -> Result<(), TestCaseError> {
    let s = select(cs, c);
    let b = Brute::new(cs, c);
    let (lo, k) = b.goal();
    let best = b.best(&lo, k);
    prop_assert_eq!(&s.selected, &b.codes(best), "the best list of {} units", k);
    // Lowered minimums: exactly those no list can meet, with what the list holds.
    let unmet: Vec<&str> = s
        .unmet_minimums
        .iter()
        .map(|(t, _, _)| t.as_str())
        .collect();
    let lowered: Vec<&str> = (0..b.limited)
        .filter(|&t| lo[t] < b.lo[t])
        .map(|t| b.types[t].as_str())
        .collect();
    prop_assert_eq!(unmet, lowered);
    match &s.infeasible {
        None => prop_assert_eq!(k, c.target),
        Some(why) => {
            prop_assert!(k < c.target || lo != b.lo);
            prop_assert_eq!(why.largest, k);
            // The maximums blamed for the size, as the definition finds them.
            if k < c.target {
                let blamed = b
                    .culprits(
                        0,
                        b.all(),
                        (c.target, c.target),
                        &b.rules(&vec![0; b.types.len()]),
                    )
                    .unwrap_or_default();
                let mut expected = vec![Limit::ListSize { units: c.target }];
                expected.extend(blamed);
                let got: Vec<Limit> = why
                    .limits
                    .iter()
                    .filter(|l| !matches!(l, Limit::TypeMin { .. }))
                    .cloned()
                    .collect();
                prop_assert_eq!(got, expected);
            }
        }
    }
    // Every reason, as the walk of the definition gives it.
    let reasons = b.reasons(&lo, k);
    for (code, _, e) in &s.excluded {
        let x = cs.iter().find(|x| &x.code == code).unwrap();
        if !x.passed_checks {
            prop_assert_eq!(e, &Exclusion::FailedChecks);
        } else if !x.recommended() {
            prop_assert!(
                matches!(e, Exclusion::NotRecommended { .. }),
                "not recommended"
            );
        } else {
            prop_assert_eq!(Some(e), reasons.get(code), "reason for {}", code);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The selection is the best list in rank order of the target size (or, when none exists,
    /// of the largest size with the minimums lowered as documented), and every reason is the
    /// one the definition gives.
    #[test]
    fn selection_is_the_best_feasible_list(round in arb_round(14)) {
        let (cs, c) = round;
        check_against_brute(&cs, &c)?;
    }

    /// The same on rounds where the limits bind but a list usually exists.
    #[test]
    fn selection_is_the_best_feasible_list_when_limits_bind(round in arb_tight_round()) {
        let (cs, c) = round;
        check_against_brute(&cs, &c)?;
    }

    /// Promotion: the best-ranked eligible unit neither listed nor barred whose addition keeps
    /// every limit, minimums as the selection holds them; otherwise the reason.
    #[test]
    fn promotion_is_the_best_unit_that_keeps_every_limit(
        round in arb_round(14),
        removed in prop::collection::vec(0..14usize, 1..3),
        extra_barred in prop::collection::vec(0..14usize, 0..3),
    ) {
        let (cs, c) = round;
        let s = select(&cs, &c);
        prop_assume!(!s.selected.is_empty());
        // Remove some units of the list (the first removal is the one being replaced).
        let gone: Vec<String> = removed.iter().map(|&i| s.selected[i % s.selected.len()].clone()).collect();
        let list: Vec<&str> = s.selected.iter().map(String::as_str).filter(|x| !gone.iter().any(|g| g == x)).collect();
        let mut barred: Vec<&str> = gone.iter().map(String::as_str).collect();
        barred.extend(extra_barred.iter().filter_map(|&i| cs.get(i)).map(|x| x.code.as_str()));
        let got = promotion(&cs, &list, &barred, &c);

        let b = Brute::new(&cs, &c);
        let lo = b.reachable();
        let r = b.rules(&lo);
        let forced = (0..b.n()).filter(|&i| list.contains(&b.units[i].code.as_str())).fold(0u32, |m, i| m | 1 << i);
        let pool: Vec<usize> = (0..b.n())
            .filter(|&i| forced >> i & 1 == 0 && !barred.contains(&b.units[i].code.as_str()))
            .collect();
        let expected = if list.len() >= c.target {
            Err(NoPromotion::ListFull { units: list.len(), target: c.target })
        } else if pool.is_empty() {
            Err(NoPromotion::NoneLeft)
        } else {
            match pool.iter().find(|&&i| b.keeps(forced | 1 << i, &r)) {
                Some(&i) => Ok(b.units[i].code.clone()),
                None => {
                    let free = pool.iter().fold(0u32, |m, &i| m | 1 << i);
                    let size = list.len() + 1;
                    Err(NoPromotion::WouldBreak {
                        limits: b.culprits(forced, free, (size, size), &r).unwrap(),
                        left: pool.len(),
                    })
                }
            }
        };
        prop_assert_eq!(got, expected);
    }
}

// ---------------------------------------------------------------------------------------------
// The demo round: 242 ranked candidates (tests/fixtures/demo_candidates.json).
// ---------------------------------------------------------------------------------------------

fn demo() -> Vec<Candidate> {
    let text = include_str!("fixtures/demo_candidates.json");
    let rows: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
    rows.iter()
        .map(|r| Candidate {
            code: r["code"].as_str().unwrap().into(),
            province_key: r["province_key"].as_str().unwrap().into(),
            type_id: r["type_id"].as_str().unwrap().into(),
            rank: r["rank"].as_u64().unwrap() as usize,
            recommend_votes: r["recommend_votes"].as_u64().unwrap() as usize,
            sheets: r["sheets"].as_u64().unwrap() as usize,
            passed_checks: true,
        })
        .collect()
}

fn limits(
    target: usize,
    max: usize,
    types: &[(&str, Option<usize>, Option<usize>)],
) -> Constraints {
    Constraints {
        target,
        reserve: 10,
        max_per_province: max,
        type_limits: types
            .iter()
            .map(|(t, a, b)| (t.to_string(), *a, *b))
            .collect(),
        province_quotas: Vec::new(),
    }
}

/// Counts of the list: per province and per type.
fn tally<'a>(
    cs: &'a [Candidate],
    codes: &[String],
) -> (BTreeMap<&'a str, usize>, BTreeMap<&'a str, usize>) {
    let (mut p, mut t) = (BTreeMap::new(), BTreeMap::new());
    for x in cs.iter().filter(|x| codes.contains(&x.code)) {
        *p.entry(x.province_key.as_str()).or_default() += 1;
        *t.entry(x.type_id.as_str()).or_default() += 1;
    }
    (p, t)
}

/// Every limit of `c` holds on `s`, the list is the target's size, and it is all eligible.
fn holds(cs: &[Candidate], c: &Constraints, s: &Selection) {
    assert_eq!(s.selected.len(), c.target);
    assert_eq!(s.infeasible, None);
    assert!(s.unmet_minimums.is_empty());
    let (p, t) = tally(cs, &s.selected);
    assert!(p.iter().all(|(k, &n)| n <= c.max_for(k)), "{p:?}");
    for (id, min, max) in &c.type_limits {
        let n = t.get(id.as_str()).copied().unwrap_or(0);
        assert!(
            min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
            "{id}: {n}"
        );
    }
    assert!(
        cs.iter()
            .filter(|x| s.selected.contains(&x.code))
            .all(Candidate::eligible)
    );
}

/// Target 30, one per province, `other` at least 3. The 30 best provinces' top units hold no
/// `other` unit; a list with 3 exists (three provinces give their own `other` unit instead).
/// The old walk held places only once the places left equalled the shortfall, by which point
/// the provinces of the `other` units were full: it picked none and reported the minimum unmet.
#[test]
fn demo_round_30_with_3_other_and_one_per_province() {
    let cs = demo();
    let c = limits(30, 1, &[("other", Some(3), None)]);
    let s = select(&cs, &c);
    holds(&cs, &c, &s);
    let (_, types) = tally(&cs, &s.selected);
    assert_eq!(types.get("other"), Some(&3));

    let old = old_walk(&cs, &c);
    let (_, old_types) = tally(&cs, &old.selected);
    assert_eq!(old_types.get("other"), None);
    assert_eq!(old.unmet_minimums, vec![("other".to_string(), 3, 0)]);
    // The units the minimum displaced say so.
    let displaced: Vec<&Exclusion> = s
        .excluded
        .iter()
        .filter(|(_, _, e)| matches!(e, Exclusion::WouldBreak { .. }))
        .map(|(_, _, e)| e)
        .collect();
    assert!(!displaced.is_empty());
    for e in displaced {
        let Exclusion::WouldBreak { units, limits } = e else {
            unreachable!()
        };
        assert_eq!(*units, 30);
        assert!(
            limits.contains(&Limit::TypeMin {
                type_id: "other".into(),
                min: 3
            }),
            "{limits:?}"
        );
    }
}

/// Target 98, at most 3 per province, `information_service` at most 10: a list of 98 exists.
/// The old walk filled provinces with information_service units it then had to turn away as
/// the type filled, and ran out of places at 96.
#[test]
fn demo_round_98_with_information_service_at_most_10() {
    let cs = demo();
    let c = limits(98, 3, &[("information_service", None, Some(10))]);
    let s = select(&cs, &c);
    holds(&cs, &c, &s);
    let old = old_walk(&cs, &c);
    assert_eq!(old.selected.len(), 96);
    // And 99 per the same limits is not possible: the selection says so and gives 98.
    let c99 = Constraints {
        target: 99,
        ..c.clone()
    };
    let s99 = select(&cs, &c99);
    let why = s99.infeasible.as_ref().unwrap();
    assert_eq!(why.largest, 98);
    assert_eq!(s99.selected.len(), 98);
    assert_eq!(why.limits[0], Limit::ListSize { units: 99 });
}

/// Promotion on the demo round with the shipped limits: removing an overall_advancement unit
/// when the list holds exactly the minimum brings in the best-ranked overall_advancement unit
/// that fits its province.
#[test]
fn demo_round_promotion_restores_the_minimum() {
    let cs = demo();
    let c = limits(
        100,
        4,
        &[
            ("other", None, Some(8)),
            ("overall_advancement", Some(10), None),
        ],
    );
    let s = select(&cs, &c);
    holds(&cs, &c, &s);
    // Make the minimum bind: what-if 25 overall_advancement units at least.
    let c = limits(
        100,
        4,
        &[
            ("other", None, Some(8)),
            ("overall_advancement", Some(25), None),
        ],
    );
    let s = select(&cs, &c);
    holds(&cs, &c, &s);
    let (_, types) = tally(&cs, &s.selected);
    assert_eq!(types.get("overall_advancement"), Some(&25));
    let oa =
        |code: &str| cs.iter().find(|x| x.code == code).unwrap().type_id == "overall_advancement";
    let removed = s.selected.iter().find(|x| oa(x)).unwrap().clone();
    let list: Vec<&str> = s
        .selected
        .iter()
        .map(String::as_str)
        .filter(|x| *x != removed)
        .collect();
    let promoted = promotion(&cs, &list, &[removed.as_str()], &c).unwrap();
    assert!(oa(&promoted));
    let mut after: Vec<String> = list.iter().map(|x| x.to_string()).collect();
    after.push(promoted.clone());
    let (p, t) = tally(&cs, &after);
    assert!(p.values().all(|&n| n <= 4));
    assert_eq!(t.get("overall_advancement"), Some(&25));
    // It is the best-ranked such unit: every better-ranked eligible unit off the list is either
    // of another type or in a full province.
    let rank = |code: &str| cs.iter().find(|x| x.code == code).unwrap().rank;
    for x in cs
        .iter()
        .filter(|x| x.eligible() && x.rank < rank(&promoted))
    {
        if list.contains(&x.code.as_str()) || x.code == removed {
            continue;
        }
        let in_p = list
            .iter()
            .filter(|c| {
                cs.iter()
                    .any(|y| &y.code == *c && y.province_key == x.province_key)
            })
            .count();
        assert!(
            x.type_id != "overall_advancement" || in_p >= 4,
            "{} could have come in",
            x.code
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A 2021-style round: four types with a share of the 100 each.
// ---------------------------------------------------------------------------------------------

/// A 2021-style round of about 250 candidates: 37 reporting units of 4–10 dossiers each (the
/// programme's cap is 10), scores drawn with a province effect, 45 % 生产型 (production), then
/// 经营型 (business), 服务型 (service) and 管理型 (management) 22/18/15 %, and one dossier in five
/// not recommended by a majority. Limits as the 2021 notice set them: production ≥ 55, business
/// ≤ 20, service ≤ 15, management ≤ 10, target 100; at most 3 per reporting unit. Seeded
/// (ChaCha8), so each seed is one fixed round.
fn round_2021(seed: u64) -> (Vec<Candidate>, Constraints) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<(f64, String, &str, bool)> = Vec::new();
    for p in 0..37 {
        for d in 0..rng.random_range(4..=10usize) {
            let r: f64 = rng.random_range(0.0..1.0);
            let t = match r {
                r if r < 0.45 => "production",
                r if r < 0.67 => "business",
                r if r < 0.85 => "service",
                _ => "management",
            };
            // Stronger provinces score higher on average, as in a real round.
            let score = 60.0 + (p % 7) as f64 * 2.0 + rng.random_range(0.0..30.0);
            let recommended = rng.random_range(0.0..1.0) < 0.8;
            rows.push((score, format!("P{p:02}-{d:02}"), t, recommended));
        }
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let cs: Vec<Candidate> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, code, t, recommended))| Candidate {
            code: code.clone(),
            province_key: code[..3].to_string(),
            type_id: t.to_string(),
            rank: i + 1,
            recommend_votes: if *recommended { 4 } else { 2 },
            sheets: 5,
            passed_checks: true,
        })
        .collect();
    let c = limits(
        100,
        3,
        &[
            ("production", Some(55), None),
            ("business", None, Some(20)),
            ("service", None, Some(15)),
            ("management", None, Some(10)),
        ],
    );
    (cs, c)
}

/// Eight seeded 2021-style rounds: the exact selection always reaches 100 with production ≥ 55
/// and every limit; the old walk falls short in two (seed 2: 96 with 51 production, seed 3: 97
/// with 52), because it holds places for production only at the end, when the provinces of the
/// production units left are full.
#[test]
fn a_2021_style_round_reaches_100_with_55_production() {
    let mut old_short = Vec::new();
    for seed in 0..8 {
        let (cs, c) = round_2021(seed);
        let s = select(&cs, &c);
        holds(&cs, &c, &s);
        let (_, types) = tally(&cs, &s.selected);
        assert!(types["production"] >= 55);
        let old = old_walk(&cs, &c);
        let (_, old_types) = tally(&cs, &old.selected);
        let old_production = old_types.get("production").copied().unwrap_or(0);
        println!(
            "seed {seed}: {} candidates; exact: {} selected, {} production; old walk: {} selected, {} production, unmet {:?}",
            cs.len(),
            s.selected.len(),
            types["production"],
            old.selected.len(),
            old_production,
            old.unmet_minimums
        );
        if old.selected.len() < 100 || old_production < 55 {
            old_short.push((seed, old.selected.len(), old_production));
        }
    }
    assert_eq!(old_short, vec![(2, 96, 51), (3, 97, 52)]);
}
