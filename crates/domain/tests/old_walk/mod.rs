//! The selection as it was before the exact one (commit 421fc0b and earlier), kept only as a
//! yardstick for tests and the benchmark: it walks down the ranking and holds places for a type
//! minimum only once the places left equal the shortfall, so it misses lists that exist.
//! Not the product: `shifan_domain::selection::select` is.
//!
//! The includer provides `Candidate` and `Constraints` from `selection` in its parent module
//! (`use shifan_domain::selection::{Candidate, Constraints};` or the `shifan::domain` path).

use std::collections::{BTreeMap, HashMap};

use super::{Candidate, Constraints};

/// What the old walk chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldSelection {
    /// Codes in rank order.
    pub selected: Vec<String>,
    /// Type id, minimum as set, units selected.
    pub unmet_minimums: Vec<(String, usize, usize)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Limit {
    min: Option<usize>,
    max: Option<usize>,
}

fn limits(c: &Constraints) -> BTreeMap<&str, Limit> {
    let mut out: BTreeMap<&str, Limit> = BTreeMap::new();
    for (t, min, max) in &c.type_limits {
        let l = out.entry(t).or_default();
        l.min = l.min.max(*min);
        l.max = match (l.max, *max) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    out
}

struct Walk<'a> {
    selected: Vec<&'a Candidate>,
    per_type: HashMap<&'a str, usize>,
}

fn walk<'a>(
    order: &[&'a Candidate],
    c: &Constraints,
    limits: &BTreeMap<&str, Limit>,
    mins: &BTreeMap<&str, usize>,
) -> Walk<'a> {
    let mut w = Walk {
        selected: Vec::new(),
        per_type: HashMap::new(),
    };
    let mut per_province: HashMap<&str, usize> = HashMap::new();
    for &cand in order {
        let in_province = per_province
            .get(cand.province_key.as_str())
            .copied()
            .unwrap_or(0);
        let of_type = w.per_type.get(cand.type_id.as_str()).copied().unwrap_or(0);
        let type_max = limits.get(cand.type_id.as_str()).and_then(|l| l.max);
        let out = !cand.eligible()
            || in_province >= c.max_per_province
            || type_max.is_some_and(|m| of_type >= m)
            || w.selected.len() >= c.target
            || {
                let unmet: Vec<(&str, usize)> = mins
                    .iter()
                    .filter_map(|(&t, &m)| {
                        let got = w.per_type.get(t).copied().unwrap_or(0);
                        m.checked_sub(got).filter(|&n| n > 0).map(|n| (t, n))
                    })
                    .collect();
                let held: usize = unmet.iter().map(|(_, n)| n).sum();
                let remaining = c.target - w.selected.len();
                let fills_a_minimum = unmet.iter().any(|(t, _)| *t == cand.type_id);
                remaining <= held && !fills_a_minimum
            };
        if !out {
            w.selected.push(cand);
            *per_province.entry(&cand.province_key).or_default() += 1;
            *w.per_type.entry(&cand.type_id).or_default() += 1;
        }
    }
    w
}

/// The old selection: the walk, repeated with each unmet minimum lowered to what it reached
/// until nothing changes.
pub fn old_walk(candidates: &[Candidate], c: &Constraints) -> OldSelection {
    let mut order: Vec<&Candidate> = candidates.iter().collect();
    order.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
    let limits = limits(c);
    let mut mins: BTreeMap<&str, usize> = limits
        .iter()
        .filter_map(|(&t, l)| {
            let m = l.min?;
            Some((t, l.max.map_or(m, |max| m.min(max))))
        })
        .filter(|&(_, m)| m > 0)
        .collect();
    let w = loop {
        let w = walk(&order, c, &limits, &mins);
        let mut changed = false;
        for (t, m) in mins.iter_mut() {
            let got = w.per_type.get(t).copied().unwrap_or(0);
            if got < *m {
                *m = got;
                changed = true;
            }
        }
        if !changed {
            break w;
        }
    };
    let unmet_minimums = limits
        .iter()
        .filter_map(|(&t, l)| {
            let min = l.min?;
            let got = w.per_type.get(t).copied().unwrap_or(0);
            (got < min).then(|| (t.to_string(), min, got))
        })
        .collect();
    OldSelection {
        selected: w.selected.iter().map(|x| x.code.clone()).collect(),
        unmet_minimums,
    }
}
