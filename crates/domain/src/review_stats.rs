//! Review statistics (评审质量统计): how each expert scores against the co-reviewers of the same
//! dossiers, how far the experts of a type panel agree, and how sure each dossier's rank is.
//!
//! - **Harshness** of an expert: the mean, over the expert's sheets on dossiers that have at
//!   least one other sheet, of (the expert's total − the mean total of the other sheets of that
//!   dossier), points. Negative: harsher than the co-reviewers.
//! - **Agreement** of an expert: Pearson's correlation between the expert's totals and the mean
//!   totals of the co-reviewers on the same dossiers (at least three such dossiers, else none).
//! - **Panel agreement** of a type: ICC(1), the one-way random-effects intraclass correlation
//!   for a single rater (Shrout & Fleiss 1979, case 1), with k₀ for unequal sheet counts
//!   (Snedecor & Cochran): each dossier is scored by different experts, which is the design
//!   ICC(1) is for (Kendall's W needs every expert to rank every dossier, which no panel does).
//! - **Rank interval** of a dossier: a seeded bootstrap. Each replicate draws, for every
//!   dossier, as many sheets as it has, with replacement, from its own sheets, and ranks the
//!   whole round again under the round's rules ([`crate::ranking::rank`]); the interval is the
//!   2.5th to 97.5th percentile of the dossier's ranks. The generator is ChaCha8 seeded from
//!   the given seed, so the same inputs and seed give the same intervals on every machine.

use std::collections::{BTreeMap, HashMap};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::Text;
use crate::ranking::{DossierScores, RankingRules, rank};

/// One expert's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpertFigures {
    pub expert_id: String,
    /// Submitted sheets counted.
    pub sheets: usize,
    /// Sheets on dossiers with at least one other sheet (what harshness is computed over).
    pub shared: usize,
    /// Mean offset against co-reviewers, points (None without a shared dossier).
    pub harshness: Option<f64>,
    /// Pearson's r against the co-reviewers' means (None below three shared dossiers or when
    /// either side does not vary).
    pub agreement: Option<f64>,
}

/// One type panel's agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelFigures {
    pub type_id: String,
    /// Dossiers with at least one sheet.
    pub dossiers: usize,
    pub sheets: usize,
    /// ICC(1) (None with fewer than two dossiers of two sheets or more, or no variance).
    pub icc1: Option<f64>,
}

/// One dossier's rank and its bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankInterval {
    pub code: String,
    /// Its rank in the round's ranking.
    pub rank: usize,
    /// 2.5th percentile of the bootstrap ranks (best end).
    pub low: usize,
    /// 97.5th percentile (worst end).
    pub high: usize,
    /// The interval holds ranks on both sides of the cut: within it, the dossier could be in or
    /// out.
    pub crosses_cut: bool,
}

/// Everything the statistics say about a round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewStats {
    pub experts: Vec<ExpertFigures>,
    pub panels: Vec<PanelFigures>,
    pub intervals: Vec<RankInterval>,
    /// The rank of the last dossier in (the cut the intervals are read against).
    pub cut: usize,
    pub replicates: usize,
    pub seed: u64,
}

/// The name of the panel-agreement method, for printing beside the figures.
pub fn panel_method() -> Text {
    Text::new(
        "ICC(1)：单向随机效应、单个评分者的组内相关系数（每份申报书评分表数不等时用 k₀）",
        "ICC(1), one-way random effects, single rater (k0 for unequal sheet counts)",
    )
}

/// The name of the interval method.
pub fn interval_method() -> Text {
    Text::new(
        "对每份申报书的评分表有放回重抽样（ChaCha8 定种子），取名次的 2.5%–97.5% 分位",
        "seeded bootstrap of each dossier's sheets (ChaCha8), 2.5th–97.5th percentile of ranks",
    )
}

/// Every expert's harshness and agreement, by expert id.
pub fn experts(dossiers: &[DossierScores]) -> Vec<ExpertFigures> {
    // expert -> (own total, co-reviewers' mean) per shared dossier; and sheet counts.
    let mut pairs: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in dossiers {
        let sheets: Vec<_> = d.sheets.iter().filter(|s| s.total.is_finite()).collect();
        let sum: f64 = sheets.iter().map(|s| s.total).sum();
        for s in &sheets {
            *counts.entry(&s.expert_id).or_default() += 1;
            if sheets.len() > 1 {
                let others = (sum - s.total) / (sheets.len() - 1) as f64;
                pairs
                    .entry(&s.expert_id)
                    .or_default()
                    .push((s.total, others));
            }
        }
    }
    counts
        .into_iter()
        .map(|(id, n)| {
            let own = pairs.get(id).map(Vec::as_slice).unwrap_or(&[]);
            let harshness = (!own.is_empty())
                .then(|| own.iter().map(|(a, b)| a - b).sum::<f64>() / own.len() as f64);
            let agreement = if own.len() >= 3 { pearson(own) } else { None };
            ExpertFigures {
                expert_id: id.to_string(),
                sheets: n,
                shared: own.len(),
                harshness,
                agreement,
            }
        })
        .collect()
}

/// Pearson's correlation of the pairs; None when either side has no variance.
fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    let (ma, mb) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (a, b) in pairs {
        sab += (a - ma) * (b - mb);
        saa += (a - ma).powi(2);
        sbb += (b - mb).powi(2);
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

/// ICC(1) of each type panel, in the order the types first appear by code.
pub fn panels(dossiers: &[DossierScores]) -> Vec<PanelFigures> {
    let mut by_type: BTreeMap<&str, Vec<Vec<f64>>> = BTreeMap::new();
    for d in dossiers {
        let totals: Vec<f64> = d
            .sheets
            .iter()
            .map(|s| s.total)
            .filter(|t| t.is_finite())
            .collect();
        if !totals.is_empty() {
            by_type.entry(&d.type_id).or_default().push(totals);
        }
    }
    by_type
        .into_iter()
        .map(|(type_id, groups)| PanelFigures {
            type_id: type_id.to_string(),
            dossiers: groups.len(),
            sheets: groups.iter().map(Vec::len).sum(),
            icc1: icc1(&groups),
        })
        .collect()
}

/// ICC(1) over groups of ratings (one group per dossier); groups of one sheet are left out
/// (they carry no within-dossier information).
pub fn icc1(groups: &[Vec<f64>]) -> Option<f64> {
    let groups: Vec<&Vec<f64>> = groups.iter().filter(|g| g.len() >= 2).collect();
    let n = groups.len();
    if n < 2 {
        return None;
    }
    let total: usize = groups.iter().map(|g| g.len()).sum();
    let big_n = total as f64;
    let grand = groups.iter().flat_map(|g| g.iter()).sum::<f64>() / big_n;
    let (mut ssb, mut ssw) = (0.0, 0.0);
    for g in &groups {
        let m = g.iter().sum::<f64>() / g.len() as f64;
        ssb += g.len() as f64 * (m - grand).powi(2);
        ssw += g.iter().map(|x| (x - m).powi(2)).sum::<f64>();
    }
    let msb = ssb / (n - 1) as f64;
    let msw = ssw / (total - n) as f64;
    let k0 = (big_n
        - groups
            .iter()
            .map(|g| (g.len() * g.len()) as f64)
            .sum::<f64>()
            / big_n)
        / (n - 1) as f64;
    let denom = msb + (k0 - 1.0) * msw;
    (denom > 0.0).then(|| (msb - msw) / denom)
}

/// Bootstrap rank intervals for every ranked dossier with sheets, in rank order. `cut` is the
/// rank of the last dossier in (the selection's last place); `replicates` at least 1.
pub fn rank_intervals(
    dossiers: &[DossierScores],
    rules: &RankingRules,
    cut: usize,
    replicates: usize,
    seed: u64,
) -> Vec<RankInterval> {
    let base = rank(dossiers, rules);
    let replicates = replicates.max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Dossiers in code order, so that the draws do not depend on the caller's order.
    let mut order: Vec<&DossierScores> = dossiers.iter().collect();
    order.sort_by(|a, b| a.code.cmp(&b.code));
    let mut ranks: HashMap<String, Vec<usize>> = HashMap::new();
    let mut sample: Vec<DossierScores> = order.iter().map(|d| (*d).clone()).collect();
    for _ in 0..replicates {
        for (d, s) in order.iter().zip(sample.iter_mut()) {
            let n = d.sheets.len();
            for slot in s.sheets.iter_mut() {
                *slot = d.sheets[rng.random_range(0..n)].clone();
            }
        }
        for row in rank(&sample, rules).rows {
            ranks.entry(row.code).or_default().push(row.rank);
        }
    }
    base.rows
        .iter()
        .filter(|r| r.sheets > 0)
        .map(|r| {
            let mut rs = ranks.remove(&r.code).unwrap_or_default();
            rs.sort_unstable();
            let low = percentile(&rs, 0.025).unwrap_or(r.rank);
            let high = percentile(&rs, 0.975).unwrap_or(r.rank);
            RankInterval {
                code: r.code.clone(),
                rank: r.rank,
                low,
                high,
                crosses_cut: low <= cut && high > cut,
            }
        })
        .collect()
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[usize], p: f64) -> Option<usize> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    Some(sorted[i])
}

/// All three, for a round whose cut is `cut`.
pub fn review_stats(
    dossiers: &[DossierScores],
    rules: &RankingRules,
    cut: usize,
    replicates: usize,
    seed: u64,
) -> ReviewStats {
    ReviewStats {
        experts: experts(dossiers),
        panels: panels(dossiers),
        intervals: rank_intervals(dossiers, rules, cut, replicates, seed),
        cut,
        replicates: replicates.max(1),
        seed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ranking::SheetTotals;

    fn dossier(code: &str, type_id: &str, sheets: &[(&str, f64)]) -> DossierScores {
        DossierScores {
            code: code.into(),
            province_key: "P".into(),
            type_id: type_id.into(),
            sheets: sheets
                .iter()
                .map(|(e, t)| SheetTotals {
                    expert_id: (*e).into(),
                    total: *t,
                    group_subtotals: vec![],
                    recommend: true,
                })
                .collect(),
            ..Default::default()
        }
    }

    fn rules() -> RankingRules {
        RankingRules {
            standardise: false,
            disagreement_threshold: 20.0,
            trim_from: 5,
            tie_break_groups: vec![],
            decisions: vec![],
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// By hand: D1 = A 80, B 70, C 90; D2 = A 60, B 50.
    /// A: D1 80 − (70+90)/2 = 0, D2 60 − 50 = 10 → 5. B: 70 − 85 = −15, 50 − 60 = −10 → −12.5.
    /// C: 90 − 75 = 15.
    #[test]
    fn harshness_is_the_mean_offset_against_co_reviewers() {
        let ds = [
            dossier("D1", "t", &[("A", 80.0), ("B", 70.0), ("C", 90.0)]),
            dossier("D2", "t", &[("A", 60.0), ("B", 50.0)]),
            dossier("D3", "t", &[("C", 40.0)]),
        ];
        let e = experts(&ds);
        let by = |id: &str| e.iter().find(|x| x.expert_id == id).unwrap();
        assert!(close(by("A").harshness.unwrap(), 5.0));
        assert!(close(by("B").harshness.unwrap(), -12.5));
        assert!(close(by("C").harshness.unwrap(), 15.0));
        assert_eq!((by("C").sheets, by("C").shared), (2, 1));
        assert_eq!(by("A").agreement, None, "two shared dossiers are too few");
    }

    /// A's totals 80, 60, 70 against co-reviewer means 75, 55, 65: r = 1; reversed: r = −1.
    #[test]
    fn agreement_is_pearson_against_the_co_reviewers_means() {
        let ds = [
            dossier("D1", "t", &[("A", 80.0), ("B", 75.0)]),
            dossier("D2", "t", &[("A", 60.0), ("B", 55.0)]),
            dossier("D3", "t", &[("A", 70.0), ("B", 65.0)]),
            dossier("D4", "t", &[("C", 60.0), ("D", 80.0)]),
            dossier("D5", "t", &[("C", 80.0), ("D", 60.0)]),
            dossier("D6", "t", &[("C", 70.0), ("D", 70.0)]),
        ];
        let e = experts(&ds);
        let by = |id: &str| e.iter().find(|x| x.expert_id == id).unwrap();
        assert!(close(by("A").agreement.unwrap(), 1.0));
        assert!(close(by("C").agreement.unwrap(), -1.0));
    }

    /// By hand: D1 [80, 70, 90], D2 [60, 50]. N = 5, grand mean 70, means 80 and 55.
    /// SSB = 3·10² + 2·15² = 750 (df 1), SSW = 200 + 50 = 250 (df 3, MSW = 250/3).
    /// k0 = (5 − 13/5) / 1 = 2.4. ICC(1) = (750 − 83.33) / (750 + 1.4 · 83.33) = 10/13.
    #[test]
    fn icc1_matches_the_hand_computed_value() {
        let icc = icc1(&[vec![80.0, 70.0, 90.0], vec![60.0, 50.0]]).unwrap();
        assert!(close(icc, 10.0 / 13.0), "{icc}");
        // Perfect agreement inside dossiers, different dossiers: 1.
        assert!(close(
            icc1(&[vec![80.0, 80.0], vec![60.0, 60.0]]).unwrap(),
            1.0
        ));
        // One dossier is not a panel.
        assert_eq!(icc1(&[vec![80.0, 70.0]]), None);
        let ds = [
            dossier("D1", "a", &[("A", 80.0), ("B", 70.0), ("C", 90.0)]),
            dossier("D2", "a", &[("A", 60.0), ("B", 50.0)]),
            dossier("D3", "b", &[("A", 60.0)]),
        ];
        let p = panels(&ds);
        assert_eq!(p.len(), 2);
        assert!(close(p[0].icc1.unwrap(), 10.0 / 13.0));
        assert_eq!((p[1].type_id.as_str(), p[1].icc1), ("b", None));
    }

    #[test]
    fn rank_intervals_are_reproducible_and_honest() {
        // D1 and D4 are sure (all sheets equal, far apart); D2 and D3 overlap around the cut.
        let ds = [
            dossier("D1", "t", &[("A", 95.0), ("B", 95.0), ("C", 95.0)]),
            dossier("D2", "t", &[("A", 70.0), ("B", 80.0), ("C", 75.0)]),
            dossier("D3", "t", &[("A", 78.0), ("B", 68.0), ("C", 74.0)]),
            dossier("D4", "t", &[("A", 40.0), ("B", 40.0), ("C", 40.0)]),
        ];
        let a = rank_intervals(&ds, &rules(), 2, 400, 7);
        let b = rank_intervals(&ds, &rules(), 2, 400, 7);
        assert_eq!(a, b, "same inputs and seed, same intervals");
        let by = |id: &str| a.iter().find(|x| x.code == id).unwrap();
        assert_eq!((by("D1").low, by("D1").high), (1, 1));
        assert_eq!((by("D4").low, by("D4").high), (4, 4));
        assert!(!by("D1").crosses_cut && !by("D4").crosses_cut);
        assert_eq!((by("D2").low, by("D2").high), (2, 3));
        assert!(by("D2").crosses_cut && by("D3").crosses_cut);
        // The order of the input does not change the draws.
        let mut rev = ds.to_vec();
        rev.reverse();
        assert_eq!(rank_intervals(&rev, &rules(), 2, 400, 7), a);
    }
}
