//! Selection (遴选): the proposed list (拟认定名单) and the reserve list (备选) taken from the
//! ranking under the round's constraints, with one stated reason for every unit left out.
//!
//! [`select`] is a pure function of the candidates and the constraints: a what-if ("what if each
//! province could have 5?") is simply another call with other [`Constraints`], and nothing is
//! stored or changed by it.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::finding::Text;
use super::ranking::RankedDossier;
use super::round::RoundSettings;

/// A ranked dossier as selection sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub code: String,
    pub province_key: String,
    pub type_id: String,
    /// 1-based position in the ranking.
    pub rank: usize,
    /// Sheets that recommend the unit.
    pub recommend_votes: usize,
    /// Sheets counted.
    pub sheets: usize,
    /// The dossier passed the formal checks.
    pub passed_checks: bool,
}

impl Candidate {
    /// A ranked dossier as a candidate, with the outcome of its checks.
    pub fn from_ranked(row: &RankedDossier, passed_checks: bool) -> Self {
        Candidate {
            code: row.code.clone(),
            province_key: row.province_key.clone(),
            type_id: row.type_id.clone(),
            rank: row.rank,
            recommend_votes: row.recommend_votes,
            sheets: row.sheets,
            passed_checks,
        }
    }

    /// A majority of the experts recommend the unit (more than half of its sheets).
    pub fn recommended(&self) -> bool {
        self.recommend_votes.saturating_mul(2) > self.sheets
    }

    /// May be selected at all: passed the checks and recommended by a majority.
    pub fn eligible(&self) -> bool {
        self.passed_checks && self.recommended()
    }
}

/// What the final list must respect (unit counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constraints {
    /// Units on the proposed list.
    pub target: usize,
    /// Units on the reserve list.
    pub reserve: usize,
    /// Units one province may have on the proposed list.
    pub max_per_province: usize,
    /// Per type id: the least and the most units of that type on the proposed list.
    pub type_limits: Vec<(String, Option<usize>, Option<usize>)>,
}

impl Constraints {
    /// The constraints of the round's settings.
    pub fn from_round(round: &RoundSettings) -> Self {
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        Constraints {
            target: n(round.target_units),
            reserve: n(round.reserve_size),
            max_per_province: n(round.selection.max_per_province),
            type_limits: round
                .selection
                .type_limits
                .iter()
                .map(|l| (l.type_id.clone(), l.min.map(n), l.max.map(n)))
                .collect(),
        }
    }
}

/// Why a unit is not on the proposed list: the first reason that applied, in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Exclusion {
    /// The dossier did not pass the formal checks.
    FailedChecks,
    /// Not recommended by a majority of its sheets.
    NotRecommended { votes: usize, sheets: usize },
    /// Its province already had its maximum on the list when the unit's turn came.
    ProvinceFull { province_key: String, max: usize },
    /// Its type already had its maximum on the list when the unit's turn came.
    TypeFull { type_id: String, max: usize },
    /// The places left were held for these types, still below their minimum.
    SlotsHeldForTypeMinimum { types: Vec<String> },
    /// The list was full before the unit's turn.
    BelowCut,
}

impl Exclusion {
    /// The reason as one sentence, e.g. 第97名，未入选：浙江省已达上限4个. `province_name` is the
    /// name of the unit's province; `type_name` gives a type's name from its id.
    pub fn text(&self, rank: usize, province_name: &str, type_name: impl Fn(&str) -> Text) -> Text {
        let (zh, en) = match self {
            Exclusion::FailedChecks => (
                "未通过形式审查".to_string(),
                "did not pass the dossier checks".to_string(),
            ),
            Exclusion::NotRecommended { votes, sheets } => (
                format!("推荐票{votes}/{sheets}，未过半数"),
                format!("recommended by {votes} of {sheets} experts, not a majority"),
            ),
            Exclusion::ProvinceFull { max, .. } => (
                format!("{province_name}已达上限{max}个"),
                format!("{province_name} already has its maximum of {max}"),
            ),
            Exclusion::TypeFull { type_id, max } => {
                let t = type_name(type_id);
                (
                    format!("{}已达上限{max}个", t.zh),
                    format!("{} already has its maximum of {max}", t.en),
                )
            }
            Exclusion::SlotsHeldForTypeMinimum { types } => {
                let names: Vec<Text> = types.iter().map(|t| type_name(t)).collect();
                let zh: Vec<&str> = names.iter().map(|t| t.zh.as_str()).collect();
                let en: Vec<&str> = names.iter().map(|t| t.en.as_str()).collect();
                (
                    format!("剩余名额须留给未达下限的类型（{}）", zh.join("、")),
                    format!(
                        "the places left are held for types below their minimum ({})",
                        en.join(", ")
                    ),
                )
            }
            Exclusion::BelowCut => (
                "拟认定名单已满".to_string(),
                "the proposed list was already full".to_string(),
            ),
        };
        Text::new(
            format!("第{rank}名，未入选：{zh}"),
            format!("rank {rank}, not selected: {en}"),
        )
    }
}

/// The outcome of a selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selection {
    /// The proposed list: codes in rank order.
    pub selected: Vec<String>,
    /// The reserve list: codes in rank order.
    pub reserve: Vec<String>,
    /// Every candidate not on the proposed list (reserve units included), in rank order, with its
    /// rank and the reason.
    pub excluded: Vec<(String, usize, Exclusion)>,
    /// Type minimums the eligible units could not fill: type id, minimum, units selected.
    pub unmet_minimums: Vec<(String, usize, usize)>,
}

impl Selection {
    /// Why a unit is not on the proposed list; `None` when it is (or is unknown).
    pub fn exclusion(&self, code: &str) -> Option<&Exclusion> {
        self.excluded
            .iter()
            .find(|(c, _, _)| c == code)
            .map(|(_, _, e)| e)
    }
}

/// Type limits merged per type id (several entries for one type: the strictest of each).
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

/// One pass down the ranking under the given minimums.
struct Walk<'a> {
    selected: Vec<&'a Candidate>,
    excluded: Vec<(&'a Candidate, Exclusion)>,
    per_province: HashMap<&'a str, usize>,
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
        excluded: Vec::new(),
        per_province: HashMap::new(),
        per_type: HashMap::new(),
    };
    for &cand in order {
        let in_province = w
            .per_province
            .get(cand.province_key.as_str())
            .copied()
            .unwrap_or(0);
        let of_type = w.per_type.get(cand.type_id.as_str()).copied().unwrap_or(0);
        let type_max = limits.get(cand.type_id.as_str()).and_then(|l| l.max);
        let reason = if !cand.passed_checks {
            Some(Exclusion::FailedChecks)
        } else if !cand.recommended() {
            Some(Exclusion::NotRecommended {
                votes: cand.recommend_votes,
                sheets: cand.sheets,
            })
        } else if in_province >= c.max_per_province {
            Some(Exclusion::ProvinceFull {
                province_key: cand.province_key.clone(),
                max: c.max_per_province,
            })
        } else if let Some(max) = type_max.filter(|&m| of_type >= m) {
            Some(Exclusion::TypeFull {
                type_id: cand.type_id.clone(),
                max,
            })
        } else if w.selected.len() >= c.target {
            Some(Exclusion::BelowCut)
        } else {
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
            // Accepting a unit of any other type would leave fewer places than unmet minimums.
            (remaining <= held && !fills_a_minimum).then(|| Exclusion::SlotsHeldForTypeMinimum {
                types: unmet.iter().map(|(t, _)| t.to_string()).collect(),
            })
        };
        match reason {
            Some(r) => w.excluded.push((cand, r)),
            None => {
                w.selected.push(cand);
                *w.per_province.entry(&cand.province_key).or_default() += 1;
                *w.per_type.entry(&cand.type_id).or_default() += 1;
            }
        }
    }
    w
}

/// Select the proposed list and the reserve list.
///
/// Candidates are taken in rank order (then code). A unit is accepted unless it failed the checks,
/// is not recommended by a majority of its sheets, its province or its type already has its
/// maximum, or accepting it would leave fewer places than the types still below their minimum
/// need (when places left equal the sum of unmet minimums, only units of those types are taken).
/// The walk stops filling at `target`.
///
/// A minimum that the eligible units cannot fill does not hold places forever: the walk is
/// repeated with that minimum lowered to what it reached, until nothing changes, so the places go
/// to the next units in rank order; the shortfall is reported in `unmet_minimums` (against the
/// minimum as set).
///
/// The reserve list: the eligible units not selected, in rank order, each of which would keep
/// within the province and type maxima if it alone were added to the proposed list (a reserve
/// unit comes in for one withdrawn unit, so the check is not cumulative: two reserve units may
/// share a province). Type minimums are not considered; when a reserve unit is called in, calling
/// `select` again without the withdrawn unit gives the exact answer. A unit passed over because
/// places were held for a type minimum ranks above the cut and, if it fits, heads the reserve.
///
/// Pure: a what-if is another call with other [`Constraints`].
pub fn select(candidates: &[Candidate], c: &Constraints) -> Selection {
    let mut order: Vec<&Candidate> = candidates.iter().collect();
    order.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
    let limits = limits(c);
    // A minimum above the maximum can never be met: hold places only up to the maximum.
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

    let fits = |cand: &Candidate| {
        let in_province = w
            .per_province
            .get(cand.province_key.as_str())
            .copied()
            .unwrap_or(0);
        let of_type = w.per_type.get(cand.type_id.as_str()).copied().unwrap_or(0);
        let type_max = limits.get(cand.type_id.as_str()).and_then(|l| l.max);
        in_province < c.max_per_province && type_max.is_none_or(|m| of_type < m)
    };
    let reserve = w
        .excluded
        .iter()
        .map(|(cand, _)| *cand)
        .filter(|cand| cand.eligible() && fits(cand))
        .take(c.reserve)
        .map(|cand| cand.code.clone())
        .collect();

    let unmet_minimums = limits
        .iter()
        .filter_map(|(&t, l)| {
            let min = l.min?;
            let got = w.per_type.get(t).copied().unwrap_or(0);
            (got < min).then(|| (t.to_string(), min, got))
        })
        .collect();

    Selection {
        selected: w.selected.iter().map(|cand| cand.code.clone()).collect(),
        reserve,
        excluded: w
            .excluded
            .into_iter()
            .map(|(cand, e)| (cand.code.clone(), cand.rank, e))
            .collect(),
        unmet_minimums,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Candidate at `rank` (code R001…), recommended by 5 of 5, checks passed.
    fn cand(rank: usize, province: &str, type_id: &str) -> Candidate {
        Candidate {
            code: format!("R{rank:03}"),
            province_key: province.into(),
            type_id: type_id.into(),
            rank,
            recommend_votes: 5,
            sheets: 5,
            passed_checks: true,
        }
    }

    fn constraints(target: usize, reserve: usize, max_per_province: usize) -> Constraints {
        Constraints {
            target,
            reserve,
            max_per_province,
            type_limits: Vec::new(),
        }
    }

    fn reason<'s>(s: &'s Selection, code: &str) -> &'s Exclusion {
        s.exclusion(code).unwrap()
    }

    fn names(id: &str) -> Text {
        match id {
            "other" => Text::new("其他类型", "other"),
            "overall_advancement" | "oa" => Text::new("整体推进型", "overall advancement"),
            _ => Text::new(id, id),
        }
    }

    /// Target 3, at most 2 per province. Ranks 1, 2 from 浙江 (zj) fill its two places; rank 3
    /// from zj is turned away (ProvinceFull); rank 4 (js) completes the list.
    #[test]
    fn a_province_at_its_maximum_is_passed_over() {
        let cs = vec![
            cand(1, "zj", "t"),
            cand(2, "zj", "t"),
            cand(3, "zj", "t"),
            cand(4, "js", "t"),
        ];
        let s = select(&cs, &constraints(3, 0, 2));
        assert_eq!(s.selected, vec!["R001", "R002", "R004"]);
        let e = reason(&s, "R003");
        assert_eq!(
            e,
            &Exclusion::ProvinceFull {
                province_key: "zj".into(),
                max: 2
            }
        );
        let t = e.text(3, "浙江省", names);
        assert_eq!(t.zh, "第3名，未入选：浙江省已达上限2个");
        assert_eq!(
            t.en,
            "rank 3, not selected: 浙江省 already has its maximum of 2"
        );
    }

    /// Target 3, `other` at most 1: rank 1 (other) in, rank 2 (other) TypeFull, ranks 3, 4 in.
    #[test]
    fn a_type_at_its_maximum_is_passed_over() {
        let cs = vec![
            cand(1, "a", "other"),
            cand(2, "b", "other"),
            cand(3, "c", "x"),
            cand(4, "d", "x"),
        ];
        let c = Constraints {
            type_limits: vec![("other".into(), None, Some(1))],
            ..constraints(3, 0, 4)
        };
        let s = select(&cs, &c);
        assert_eq!(s.selected, vec!["R001", "R003", "R004"]);
        assert_eq!(
            reason(&s, "R002"),
            &Exclusion::TypeFull {
                type_id: "other".into(),
                max: 1
            }
        );
        assert_eq!(
            reason(&s, "R002").text(2, "", names).zh,
            "第2名，未入选：其他类型已达上限1个"
        );
    }

    /// Target 4, overall_advancement (oa) at least 2; oa units rank 5 and 6.
    /// Ranks 1, 2 in (4 places left ≥ 2 held, then 3 > 2 held). At rank 3: 2 places left = 2
    /// held, so rank 3 and 4 (type x) are held back; ranks 5, 6 (oa) fill the minimum.
    /// Reserve 2: rank 3 and rank 4 (they fit every maximum) — above the cut, passed over.
    #[test]
    fn a_type_minimum_holds_places() {
        let cs = vec![
            cand(1, "a", "x"),
            cand(2, "b", "x"),
            cand(3, "c", "x"),
            cand(4, "d", "x"),
            cand(5, "e", "oa"),
            cand(6, "f", "oa"),
            cand(7, "g", "x"),
        ];
        let c = Constraints {
            type_limits: vec![("oa".into(), Some(2), None)],
            ..constraints(4, 2, 4)
        };
        let s = select(&cs, &c);
        assert_eq!(s.selected, vec!["R001", "R002", "R005", "R006"]);
        assert_eq!(
            reason(&s, "R003"),
            &Exclusion::SlotsHeldForTypeMinimum {
                types: vec!["oa".into()]
            }
        );
        assert_eq!(reason(&s, "R007"), &Exclusion::BelowCut);
        assert_eq!(s.reserve, vec!["R003", "R004"]);
        assert!(s.unmet_minimums.is_empty());
        assert_eq!(
            reason(&s, "R003").text(3, "", names).en,
            "rank 3, not selected: the places left are held for types below their minimum (overall advancement)"
        );
    }

    /// Minimum 3 oa but only one eligible oa unit (rank 4). First pass holds places and ends
    /// with 2 of 4; the minimum is lowered to 1 and the walk repeated: ranks 1, 2, 3, 4.
    #[test]
    fn a_minimum_that_cannot_be_met_is_reported_and_releases_its_places() {
        let mut ineligible = cand(5, "e", "oa");
        ineligible.passed_checks = false;
        let cs = vec![
            cand(1, "a", "x"),
            cand(2, "b", "x"),
            cand(3, "c", "x"),
            cand(4, "d", "oa"),
            ineligible,
            cand(6, "f", "x"),
        ];
        let c = Constraints {
            type_limits: vec![("oa".into(), Some(3), None)],
            ..constraints(4, 1, 4)
        };
        let s = select(&cs, &c);
        assert_eq!(s.selected, vec!["R001", "R002", "R003", "R004"]);
        assert_eq!(s.unmet_minimums, vec![("oa".to_string(), 3, 1)]);
        assert_eq!(s.reserve, vec!["R006"]);
    }

    /// Rank 1 failed its checks; rank 2 has 2 of 4 votes (not more than half) — both out even
    /// though they rank highest; rank 3 has 3 of 5 (a majority) and is in.
    #[test]
    fn failed_checks_and_not_recommended_units_are_excluded() {
        let mut failed = cand(1, "a", "x");
        failed.passed_checks = false;
        failed.recommend_votes = 0; // failed checks is reported first
        let mut split = cand(2, "b", "x");
        (split.recommend_votes, split.sheets) = (2, 4);
        let mut majority = cand(3, "c", "x");
        majority.recommend_votes = 3;
        let s = select(
            &[failed, split, majority, cand(4, "d", "x")],
            &constraints(2, 5, 4),
        );
        assert_eq!(s.selected, vec!["R003", "R004"]);
        assert_eq!(reason(&s, "R001"), &Exclusion::FailedChecks);
        assert_eq!(
            reason(&s, "R002"),
            &Exclusion::NotRecommended {
                votes: 2,
                sheets: 4
            }
        );
        assert!(s.reserve.is_empty());
        assert_eq!(
            reason(&s, "R002").text(2, "", names).zh,
            "第2名，未入选：推荐票2/4，未过半数"
        );
        assert_eq!(
            reason(&s, "R001").text(1, "", names).en,
            "rank 1, not selected: did not pass the dossier checks"
        );
    }

    /// Target 2, max 2 per province, reserve 3. Selected ranks 1, 2 (a, a). Reserve: rank 3 (a)
    /// does not fit (a is full), rank 4 not recommended, ranks 5 (b), 6 (b), 7 (c) fit — each
    /// alone; rank 8 is beyond the reserve size.
    #[test]
    fn the_reserve_takes_the_next_eligible_units_that_fit() {
        let mut no = cand(4, "b", "x");
        no.recommend_votes = 1;
        let cs = vec![
            cand(1, "a", "x"),
            cand(2, "a", "x"),
            cand(3, "a", "x"),
            no,
            cand(5, "b", "x"),
            cand(6, "b", "x"),
            cand(7, "c", "x"),
            cand(8, "d", "x"),
        ];
        let s = select(&cs, &constraints(2, 3, 2));
        assert_eq!(s.selected, vec!["R001", "R002"]);
        assert_eq!(s.reserve, vec!["R005", "R006", "R007"]);
        assert_eq!(s.excluded.len(), 6);
        assert_eq!(reason(&s, "R008"), &Exclusion::BelowCut);
    }

    /// Near the cut of a 3-unit list: rank 3 (zj, province full), rank 4 (other, type full),
    /// rank 5 in, rank 6 below the cut, and a province-full unit after the cut still says so.
    #[test]
    fn exclusions_near_the_cut_give_the_first_reason() {
        let cs = vec![
            cand(1, "zj", "x"),
            cand(2, "js", "other"),
            cand(3, "zj", "x"),
            cand(4, "ah", "other"),
            cand(5, "sd", "x"),
            cand(6, "hn", "x"),
            cand(7, "zj", "x"),
        ];
        let c = Constraints {
            type_limits: vec![("other".into(), None, Some(1))],
            ..constraints(3, 0, 1)
        };
        let s = select(&cs, &c);
        assert_eq!(s.selected, vec!["R001", "R002", "R005"]);
        let texts: Vec<String> = s
            .excluded
            .iter()
            .map(|(_, rank, e)| {
                let province = if *rank == 3 || *rank == 7 {
                    "浙江省"
                } else {
                    ""
                };
                e.text(*rank, province, names).zh
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                "第3名，未入选：浙江省已达上限1个",
                "第4名，未入选：其他类型已达上限1个",
                "第6名，未入选：拟认定名单已满",
                "第7名，未入选：浙江省已达上限1个",
            ]
        );
    }

    /// What-if: with 2 per province zj takes ranks 1, 2 and rank 3 is passed over; allowing 3
    /// per province takes ranks 1–3. The first call's result is unchanged by the second.
    #[test]
    fn a_what_if_is_another_call_with_other_constraints() {
        let cs = vec![
            cand(1, "zj", "x"),
            cand(2, "zj", "x"),
            cand(3, "zj", "x"),
            cand(4, "js", "x"),
        ];
        let base = select(&cs, &constraints(3, 1, 2));
        assert_eq!(base.selected, vec!["R001", "R002", "R004"]);
        assert_eq!(base.reserve, Vec::<String>::new());
        let what_if = select(&cs, &constraints(3, 1, 3));
        assert_eq!(what_if.selected, vec!["R001", "R002", "R003"]);
        assert_eq!(what_if.reserve, vec!["R004"]);
        assert_eq!(select(&cs, &constraints(3, 1, 2)), base);
    }

    #[test]
    fn constraints_come_from_the_round() {
        use crate::round::{Contact, Issuer, RoundSettings, SelectionRules, TypeLimit};
        let limit = |t: &str, min, max| TypeLimit {
            type_id: t.into(),
            min,
            max,
        };
        let round = RoundSettings {
            year: 2026,
            title_zh: String::new(),
            title_en: String::new(),
            province_cap: 10,
            target_units: 100,
            application_deadline: jiff::civil::date(2026, 5, 31),
            copies_required: 5,
            experts_per_dossier: 5,
            publicity_working_days: 5,
            reserve_size: 10,
            standardise_scores: true,
            trim_from_sheets: 5,
            disagreement_threshold: 20.0,
            tie_break: Vec::new(),
            selection: SelectionRules {
                max_per_province: 4,
                type_limits: vec![
                    limit("other", None, Some(8)),
                    limit("overall_advancement", Some(10), None),
                ],
            },
            issuer: Issuer {
                name_zh: String::new(),
                name_en: String::new(),
                programme_doc: String::new(),
            },
            publicity_contact: Contact {
                person: String::new(),
                phone: String::new(),
                address: String::new(),
                postcode: String::new(),
                email: String::new(),
            },
        };
        assert_eq!(
            Constraints::from_round(&round),
            Constraints {
                target: 100,
                reserve: 10,
                max_per_province: 4,
                type_limits: vec![
                    ("other".into(), None, Some(8)),
                    ("overall_advancement".into(), Some(10), None),
                ],
            }
        );
    }

    fn arb_candidates() -> impl Strategy<Value = Vec<Candidate>> {
        prop::collection::vec(
            (0..6usize, 0..4usize, 0..6usize, 0..6usize, any::<bool>()),
            0..60,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (p, t, votes, sheets, ok))| Candidate {
                    code: format!("C{i:03}"),
                    province_key: format!("p{p}"),
                    type_id: format!("t{t}"),
                    // Some ranks repeat, as a careless caller might pass.
                    rank: i / 2 + 1,
                    recommend_votes: votes.min(sheets),
                    sheets,
                    passed_checks: ok || i % 3 != 0,
                })
                .collect()
        })
    }

    fn arb_constraints() -> impl Strategy<Value = Constraints> {
        (
            0..30usize,
            0..10usize,
            0..6usize,
            prop::collection::vec(
                (
                    0..4usize,
                    prop::option::of(0..8usize),
                    prop::option::of(0..8usize),
                ),
                0..4,
            ),
        )
            .prop_map(|(target, reserve, max_per_province, limits)| Constraints {
                target,
                reserve,
                max_per_province,
                type_limits: limits
                    .into_iter()
                    .map(|(t, min, max)| (format!("t{t}"), min, max))
                    .collect(),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn selection_keeps_every_limit_and_is_deterministic(
            cs in arb_candidates(),
            c in arb_constraints(),
        ) {
            let s = select(&cs, &c);
            prop_assert!(s.selected.len() <= c.target);
            prop_assert!(s.reserve.len() <= c.reserve);
            let by_code: HashMap<&str, &Candidate> =
                cs.iter().map(|x| (x.code.as_str(), x)).collect();
            let lim = limits(&c);
            let mut per_province: HashMap<&str, usize> = HashMap::new();
            let mut per_type: HashMap<&str, usize> = HashMap::new();
            for code in &s.selected {
                let x = by_code[code.as_str()];
                prop_assert!(x.eligible());
                *per_province.entry(&x.province_key).or_default() += 1;
                *per_type.entry(&x.type_id).or_default() += 1;
            }
            prop_assert!(per_province.values().all(|&n| n <= c.max_per_province));
            for (t, n) in &per_type {
                if let Some(max) = lim.get(t).and_then(|l| l.max) {
                    prop_assert!(*n <= max);
                }
            }
            for code in &s.reserve {
                let x = by_code[code.as_str()];
                prop_assert!(x.eligible());
                prop_assert!(!s.selected.contains(code));
                // Each reserve unit alone would keep within the maxima.
                prop_assert!(per_province.get(x.province_key.as_str()).copied().unwrap_or(0) < c.max_per_province);
                if let Some(max) = lim.get(x.type_id.as_str()).and_then(|l| l.max) {
                    prop_assert!(per_type.get(x.type_id.as_str()).copied().unwrap_or(0) < max);
                }
            }
            // Every candidate is either selected or excluded, exactly once.
            prop_assert_eq!(s.selected.len() + s.excluded.len(), cs.len());
            // Deterministic, and independent of the input order.
            prop_assert_eq!(&select(&cs, &c), &s);
            let mut reversed = cs.clone();
            reversed.reverse();
            prop_assert_eq!(&select(&reversed, &c), &s);
        }
    }
}
