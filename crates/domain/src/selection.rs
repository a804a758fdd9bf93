//! Selection (遴选): the proposed list (拟认定名单) and the reserve list (备选) taken from the
//! ranking under the round's limits, with one stated reason for every unit left out.
//!
//! The list is exact: among all lists of the target size made of eligible units that keep every
//! limit (each province's maximum or quota, each type's minimum and maximum), [`select`] takes
//! the one that is best in rank order (see its documentation and `docs/criteria-format.md`,
//! "Selection: the definition"). Whether a complete list still exists is decided by a flow with
//! lower bounds ([`crate::flow`]) on the eligible units counted per province × type cell.
//!
//! [`select`] and [`promotion`] are pure functions of the candidates and the constraints: a
//! what-if ("what if each province could have 5?") is simply another call with other
//! [`Constraints`], and nothing is stored or changed by it.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::criteria::Criteria;
use super::finding::Text;
use super::flow::{Bounded, Network, circulation_exists};
use super::province::Resolution;
use super::ranking::RankedDossier;

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

/// What the final list must respect, resolved to unit counts and province keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constraints {
    /// Units on the proposed list.
    pub target: usize,
    /// Units on the reserve list.
    pub reserve: usize,
    /// Units one province may have on the proposed list, unless `province_quotas` names it.
    pub max_per_province: usize,
    /// Per type id: the least and the most units of that type on the proposed list. Several
    /// entries for one type: the strictest of each bound holds.
    pub type_limits: Vec<(String, Option<usize>, Option<usize>)>,
    /// Per province key: the most units that province may have on the proposed list (名额),
    /// instead of `max_per_province`.
    pub province_quotas: Vec<(String, usize)>,
}

impl Constraints {
    /// The constraints of a round: round.toml's `[selection]` with shares turned into counts for
    /// the target (a minimum rounds up, a maximum down) and quotas resolved to province keys.
    /// A quota whose province does not resolve is left out (`Criteria::problems` refuses it at
    /// load).
    pub fn from_criteria(criteria: &Criteria) -> Self {
        let round = &criteria.round;
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        let target = round.target_units;
        Constraints {
            target: n(target),
            reserve: n(round.reserve_size),
            max_per_province: n(round.selection.max_per_province),
            type_limits: round
                .selection
                .type_limits
                .iter()
                .map(|l| {
                    (
                        l.type_id.clone(),
                        l.min_units(target).map(n),
                        l.max_units(target).map(n),
                    )
                })
                .collect(),
            province_quotas: round
                .selection
                .province_quotas
                .iter()
                .filter_map(|q| match criteria.provinces.resolve(&q.province) {
                    Resolution::Exact(i) => Some((criteria.provinces.get(i).key.clone(), n(q.max))),
                    _ => None,
                })
                .collect(),
        }
    }

    /// The most units province `province_key` may have on the list: its quota, or the general
    /// maximum.
    pub fn max_for(&self, province_key: &str) -> usize {
        self.province_quotas
            .iter()
            .find(|(k, _)| k == province_key)
            .map_or(self.max_per_province, |(_, m)| *m)
    }

    /// Constraints that cannot make sense together (a what-if typed by hand), each in both
    /// languages: a target or a maximum of 0, a minimum above its maximum, minimums adding up
    /// to more than the target, a province given two quotas. Types and provinces are named by
    /// their ids and keys.
    pub fn problems(&self) -> Vec<Text> {
        let mut out = Vec::new();
        if self.target == 0 {
            out.push(Text::new(
                "目标数须至少为1个",
                "the target must be at least 1 unit",
            ));
        }
        if self.max_per_province == 0 {
            out.push(Text::new(
                "每省最多入选数须至少为1个",
                "the maximum per province must be at least 1 unit",
            ));
        }
        for (i, (key, max)) in self.province_quotas.iter().enumerate() {
            if *max == 0 {
                out.push(Text::new(
                    format!("{key}的名额须至少为1个"),
                    format!("the quota of {key} must be at least 1 unit"),
                ));
            }
            if self.province_quotas[..i].iter().any(|(k, _)| k == key) {
                out.push(Text::new(
                    format!("{key}有两个名额，只能写一个"),
                    format!("{key} is given two quotas; give one"),
                ));
            }
        }
        let merged = merged_limits(self);
        let mut min_sum: usize = 0;
        for (t, r) in &merged {
            if let Some(max) = r.max
                && r.min > max
            {
                out.push(Text::new(
                    format!("类型{t}：最少{}个多于最多{max}个", r.min),
                    format!(
                        "type {t}: the minimum of {} is more than the maximum of {max}",
                        r.min
                    ),
                ));
            }
            min_sum = min_sum.saturating_add(r.min);
        }
        if min_sum > self.target {
            out.push(Text::new(
                format!("各类型最少数合计{min_sum}个，多于目标{}个", self.target),
                format!(
                    "the type minimums add up to {min_sum} units, more than the target of {}",
                    self.target
                ),
            ));
        }
        out
    }
}

/// One limit of the list, as named in a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "limit", rename_all = "snake_case")]
pub enum Limit {
    /// The list's size (units).
    ListSize { units: usize },
    /// The per-province maximum (units), with the number of provinces that have a quota instead.
    ProvinceMax { max: usize, quotas: usize },
    /// A type's maximum (units).
    TypeMax { type_id: String, max: usize },
    /// A type's minimum (units).
    TypeMin { type_id: String, min: usize },
}

impl Limit {
    /// The limit in a few words, e.g. 整体推进型≥10 / overall advancement ≥ 10.
    pub fn text(&self, type_name: impl Fn(&str) -> Text) -> Text {
        match self {
            Limit::ListSize { units } => Text::new(format!("{units}个"), format!("{units} units")),
            Limit::ProvinceMax { max, quotas: 0 } => Text::new(
                format!("每省最多{max}个"),
                format!("at most {max} per province"),
            ),
            Limit::ProvinceMax { max, quotas } => Text::new(
                format!("每省最多{max}个（{quotas}个省份另有名额）"),
                format!("at most {max} per province ({quotas} with their own quota)"),
            ),
            Limit::TypeMax { type_id, max } => {
                let t = type_name(type_id);
                Text::new(format!("{}≤{max}", t.zh), format!("{} ≤ {max}", t.en))
            }
            Limit::TypeMin { type_id, min } => {
                let t = type_name(type_id);
                Text::new(format!("{}≥{min}", t.zh), format!("{} ≥ {min}", t.en))
            }
        }
    }
}

/// Several limits as one phrase: 甲、乙 / "a and b" (`and` is the English conjunction).
fn join(limits: &[Limit], type_name: &impl Fn(&str) -> Text, and: &str) -> Text {
    let texts: Vec<Text> = limits.iter().map(|l| l.text(type_name)).collect();
    let zh: Vec<&str> = texts.iter().map(|t| t.zh.as_str()).collect();
    let en: Vec<&str> = texts.iter().map(|t| t.en.as_str()).collect();
    let en = match en.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => en.concat(),
    };
    Text::new(zh.join("、"), en)
}

/// Why a unit is not on the proposed list: the first reason that applied, in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Exclusion {
    /// The dossier did not pass the formal checks.
    FailedChecks,
    /// Not recommended by a majority of its sheets.
    NotRecommended { votes: usize, sheets: usize },
    /// Its province already had its maximum (or quota) on the list when the unit's turn came.
    ProvinceFull { province_key: String, max: usize },
    /// Its type already had its maximum on the list when the unit's turn came.
    TypeFull { type_id: String, max: usize },
    /// Taking the unit would leave no list of `units` units that keeps these limits: limits
    /// that together rule it out, none of them superfluous, type minimums named rather than
    /// maximums where either would do.
    WouldBreak { units: usize, limits: Vec<Limit> },
    /// The list was full before the unit's turn.
    BelowCut,
    /// The panel meeting (会评) voted the unit out.
    PanelRejected {
        votes_for: usize,
        votes_against: usize,
    },
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
            Exclusion::WouldBreak { units, limits } => would_break(*units, limits, &type_name),
            Exclusion::BelowCut => (
                "拟认定名单已满".to_string(),
                "the proposed list was already full".to_string(),
            ),
            Exclusion::PanelRejected {
                votes_for,
                votes_against,
            } => (
                format!("会评未通过（赞成{votes_for}，反对{votes_against}）"),
                format!(
                    "not passed by the panel meeting ({votes_for} for, {votes_against} against)"
                ),
            ),
        };
        Text::new(
            format!("第{rank}名，未入选：{zh}"),
            format!("rank {rank}, not selected: {en}"),
        )
    }
}

/// "Taking it leaves no list of `units` units that keeps these limits", in both languages.
fn would_break(
    units: usize,
    limits: &[Limit],
    type_name: &impl Fn(&str) -> Text,
) -> (String, String) {
    let (zh_act, en_act) = ("入选将使", "taking it");
    let (mins, maxima): (Vec<Limit>, Vec<Limit>) = limits
        .iter()
        .cloned()
        .partition(|l| matches!(l, Limit::TypeMin { .. }));
    let together = if limits.len() > 1 { "同时" } else { "" };
    match (mins.is_empty(), maxima.is_empty()) {
        (false, true) => {
            let m = join(&mins, type_name, "and");
            (
                format!("{zh_act}{}无法{together}满足", m.zh),
                format!(
                    "{en_act} leaves no list of {units} units that meets {}",
                    m.en
                ),
            )
        }
        (false, false) => {
            let m = join(&mins, type_name, "and");
            let x = join(&maxima, type_name, "and");
            (
                format!("{zh_act}{}在{}的限制下无法满足", m.zh, x.zh),
                format!(
                    "{en_act} leaves no list of {units} units that meets {} within {}",
                    m.en, x.en
                ),
            )
        }
        (true, false) => {
            let x = join(&maxima, type_name, "and");
            (
                format!("{zh_act}名单在{}的限制下无法选满{units}个", x.zh),
                format!("{en_act} leaves no list of {units} units within {}", x.en),
            )
        }
        (true, true) => (
            format!("{zh_act}名单无法选满{units}个"),
            format!("{en_act} leaves no list of {units} units"),
        ),
    }
}

/// Why no list of the target size keeps every limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Infeasibility {
    /// Units the constraints ask for.
    pub target: usize,
    /// The most units a list can have while keeping every limit that can hold; the list
    /// selected has this many.
    pub largest: usize,
    /// Eligible units among the candidates.
    pub eligible: usize,
    /// The limits that cannot all hold: the list's size with the maximums that keep every list
    /// below it, none of them superfluous (when `largest < target`; none named when there are
    /// too few eligible units), and each type minimum no list can meet (as set; see `lowered`).
    pub limits: Vec<Limit>,
    /// Per type minimum that cannot be met: type id and the most units of it a list can hold
    /// (the minimum the selection keeps instead).
    pub lowered: Vec<(String, usize)>,
}

impl Infeasibility {
    /// What cannot hold, as one or two sentences; `type_name` gives a type's name from its id.
    pub fn text(&self, type_name: impl Fn(&str) -> Text) -> Text {
        let mut zh = Vec::new();
        let mut en = Vec::new();
        let (t, k) = (self.target, self.largest);
        if k < t {
            let maxima: Vec<Limit> = self
                .limits
                .iter()
                .filter(|l| matches!(l, Limit::ProvinceMax { .. } | Limit::TypeMax { .. }))
                .cloned()
                .collect();
            if maxima.is_empty() {
                zh.push(format!(
                    "合格单位只有{}个，无法选出{t}个，最多可选{k}个",
                    self.eligible
                ));
                en.push(format!(
                    "only {} units are eligible: no list of {t}; the largest has {k}",
                    self.eligible
                ));
            } else {
                let x = join(&maxima, &type_name, "and");
                zh.push(format!("{t}个与{}无法同时满足，最多可选{k}个", x.zh));
                en.push(format!(
                    "{t} units and {} cannot all hold; the largest list that keeps them has {k}",
                    x.en
                ));
            }
        }
        for l in &self.limits {
            if let Limit::TypeMin { type_id, min } = l {
                let most = self
                    .lowered
                    .iter()
                    .find(|(id, _)| id == type_id)
                    .map_or(0, |(_, m)| *m);
                let name = type_name(type_id);
                zh.push(format!(
                    "{}≥{min}无法满足，合格单位在其他限制下至多{most}个",
                    name.zh
                ));
                en.push(format!(
                    "{} ≥ {min} cannot be met: the eligible units allow at most {most} within the other limits",
                    name.en
                ));
            }
        }
        Text::new(
            format!("拟认定名单无法满足全部限制：{}", zh.join("；")),
            format!("no list keeps every limit: {}", en.join("; ")),
        )
    }
}

/// The outcome of a selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selection {
    /// The proposed list: codes in rank order.
    pub selected: Vec<String>,
    /// The reserve list: the next eligible units not selected, codes in rank order (the order in
    /// which they would be considered for promotion).
    pub reserve: Vec<String>,
    /// Every candidate not on the proposed list (reserve units included), in rank order, with its
    /// rank and the reason.
    pub excluded: Vec<(String, usize, Exclusion)>,
    /// Type minimums no list can meet: type id, minimum as set, units selected (the most any list
    /// can hold).
    pub unmet_minimums: Vec<(String, usize, usize)>,
    /// Set when no list of the target size keeps every limit: what cannot hold and the largest
    /// size that can.
    pub infeasible: Option<Infeasibility>,
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

/// Why no unit can be promoted: the ministry decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NoPromotion {
    /// The list already has the target's units (or more).
    #[error("the list already has {units} units, the target is {target}")]
    ListFull { units: usize, target: usize },
    /// Codes on the list that are not among the candidates.
    #[error("units on the list are not in the ranking: {}", .codes.join(", "))]
    UnknownUnits { codes: Vec<String> },
    /// No eligible unit is left that is not on the list and was not removed.
    #[error("no eligible unit is left")]
    NoneLeft,
    /// Each of the `left` eligible units left would break these limits: limits that together
    /// rule every one out, none of them superfluous (type minimums named rather than maximums
    /// where either would do).
    #[error("each of the {left} eligible units left would break a limit: {limits:?}")]
    WouldBreak { limits: Vec<Limit>, left: usize },
}

impl NoPromotion {
    /// The reason in both languages, ending with the ministry deciding; `type_name` gives a
    /// type's name from its id.
    pub fn text(&self, type_name: impl Fn(&str) -> Text) -> Text {
        let (zh, en) = match self {
            NoPromotion::ListFull { units, target } => (
                format!("名单已有{units}个，已达目标{target}个"),
                format!("the list already has {units} units, the target is {target}"),
            ),
            NoPromotion::UnknownUnits { codes } => (
                format!("名单上的{}不在排名中", codes.join("、")),
                format!("{} on the list are not in the ranking", codes.join(", ")),
            ),
            NoPromotion::NoneLeft => (
                "没有剩余的合格单位".to_string(),
                "no eligible unit is left".to_string(),
            ),
            NoPromotion::WouldBreak { limits, left } => {
                let (mins, maxima): (Vec<Limit>, Vec<Limit>) = limits
                    .iter()
                    .cloned()
                    .partition(|l| matches!(l, Limit::TypeMin { .. }));
                let m = join(&mins, &type_name, "and");
                let x = join(&maxima, &type_name, "and");
                match (mins.is_empty(), maxima.is_empty()) {
                    (false, true) if *left == 1 => (
                        format!("剩余的1个合格单位递补无法使{}得到满足", m.zh),
                        format!("the one eligible unit left does not restore {}", m.en),
                    ),
                    (false, true) => (
                        format!(
                            "剩余{left}个合格单位中，任何一个递补都无法使{}得到满足",
                            m.zh
                        ),
                        format!("none of the {left} eligible units left restores {}", m.en),
                    ),
                    (false, false) => (
                        format!(
                            "剩余{left}个合格单位中，任何一个递补都无法在{}的限制下使{}得到满足",
                            x.zh, m.zh
                        ),
                        format!(
                            "none of the {left} eligible units left restores {} within {}",
                            m.en, x.en
                        ),
                    ),
                    _ => (
                        format!("剩余{left}个合格单位递补均将超出{}", x.zh),
                        format!(
                            "each of the {left} eligible units left would exceed {}",
                            x.en
                        ),
                    ),
                }
            }
        };
        Text::new(
            format!("无法递补：{zh}，由农业部决定"),
            format!("no unit can be promoted: {en}; the ministry decides"),
        )
    }
}

/// A type's bounds merged over its entries: the strictest of each.
#[derive(Debug, Clone, Copy, Default)]
struct Range {
    min: usize,
    max: Option<usize>,
}

/// The type limits merged per type id, in the order each type is first written.
fn merged_limits(c: &Constraints) -> Vec<(&str, Range)> {
    let mut out: Vec<(&str, Range)> = Vec::new();
    for (t, min, max) in &c.type_limits {
        let i = match out.iter().position(|(u, _)| u == t) {
            Some(i) => i,
            None => {
                out.push((t, Range::default()));
                out.len() - 1
            }
        };
        let r = &mut out[i].1;
        r.min = r.min.max(min.unwrap_or(0));
        r.max = match (r.max, *max) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    out
}

/// The round as the feasibility checks see it: provinces and types as indices, units counted
/// per province × type cell (`p * types + t`).
struct Model {
    type_ids: Vec<String>,
    province_keys: Vec<String>,
    type_index: HashMap<String, usize>,
    province_index: HashMap<String, usize>,
    /// Per province: its maximum (units).
    cap: Vec<usize>,
    /// Per type: its maximum as set (units), if any.
    hi: Vec<Option<usize>>,
    /// Per type: its minimum as set (units).
    lo: Vec<usize>,
    /// Types with a limit, in the order first written (indices).
    limited: Vec<usize>,
    general_max: usize,
    quotas: usize,
}

impl Model {
    /// The model of `c` over the provinces and types of `units` (and the types the limits name).
    fn new(c: &Constraints, units: &[&Candidate]) -> Self {
        let merged = merged_limits(c);
        let mut type_ids: Vec<String> = merged.iter().map(|(t, _)| t.to_string()).collect();
        let mut type_index: HashMap<String, usize> = type_ids
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i))
            .collect();
        let mut province_keys: Vec<String> = Vec::new();
        let mut province_index: HashMap<String, usize> = HashMap::new();
        for u in units {
            if !type_index.contains_key(&u.type_id) {
                type_index.insert(u.type_id.clone(), type_ids.len());
                type_ids.push(u.type_id.clone());
            }
            if !province_index.contains_key(&u.province_key) {
                province_index.insert(u.province_key.clone(), province_keys.len());
                province_keys.push(u.province_key.clone());
            }
        }
        let nt = type_ids.len();
        let mut hi = vec![None; nt];
        let mut lo = vec![0; nt];
        for (i, (_, r)) in merged.iter().enumerate() {
            hi[i] = r.max;
            lo[i] = r.min;
        }
        Model {
            cap: province_keys.iter().map(|k| c.max_for(k)).collect(),
            type_ids,
            province_keys,
            type_index,
            province_index,
            hi,
            lo,
            limited: (0..merged.len()).collect(),
            general_max: c.max_per_province,
            quotas: c.province_quotas.len(),
        }
    }

    fn types(&self) -> usize {
        self.type_ids.len()
    }

    fn cells(&self) -> usize {
        self.province_keys.len() * self.types()
    }

    /// The cell of a unit in the model.
    fn cell(&self, u: &Candidate) -> Option<(usize, usize)> {
        let p = *self.province_index.get(&u.province_key)?;
        let t = *self.type_index.get(&u.type_id)?;
        Some((p, t))
    }
}

/// Units per cell: on the list for certain (`forced`) and still to choose from (`free`).
#[derive(Debug, Clone)]
struct Cells {
    forced: Vec<usize>,
    free: Vec<usize>,
}

/// The limits one check applies (copies, so that a check can relax some of them).
#[derive(Debug, Clone)]
struct Bounds {
    /// Per province, `None`: no maximum.
    cap: Vec<Option<usize>>,
    /// Per type, `None`: no maximum.
    hi: Vec<Option<usize>>,
    /// Per type.
    lo: Vec<usize>,
    /// The list's size: at least, at most.
    size: (usize, usize),
}

impl Bounds {
    fn of(m: &Model, lo: Vec<usize>, size: (usize, usize)) -> Self {
        Bounds {
            cap: m.cap.iter().map(|&c| Some(c)).collect(),
            hi: m.hi.clone(),
            lo,
            size,
        }
    }
}

/// A limit a check may drop to find out which limits rule a choice out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relax {
    Provinces,
    TypeMax(usize),
    TypeMin(usize),
}

impl Bounds {
    fn without(&self, relaxed: &[Relax]) -> Bounds {
        let mut b = self.clone();
        for r in relaxed {
            match *r {
                Relax::Provinces => b.cap.iter_mut().for_each(|c| *c = None),
                Relax::TypeMax(t) => b.hi[t] = None,
                Relax::TypeMin(t) => b.lo[t] = 0,
            }
        }
        b
    }
}

/// Feasibility checks on one model, reusing the network's buffers.
struct Checker<'m> {
    m: &'m Model,
    net: Network,
    edges: Vec<Bounded>,
}

impl<'m> Checker<'m> {
    fn new(m: &'m Model) -> Self {
        Checker {
            m,
            net: Network::default(),
            edges: Vec::new(),
        }
    }

    /// Whether a list exists that holds every `forced` unit, takes the rest from `free`, and
    /// keeps `b`.
    ///
    /// The network: source → type [min, max], type → province per cell [forced, forced + free],
    /// province → sink [0, maximum], sink → source [size]; a list is a circulation.
    fn feasible(&mut self, cells: &Cells, b: &Bounds) -> bool {
        let m = self.m;
        let (nt, np) = (m.types(), m.province_keys.len());
        let (size_lo, size_hi) = b.size;
        if size_lo > size_hi {
            return false;
        }
        let big = u64::try_from(size_hi).unwrap_or(u64::MAX);
        let w = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        let (source, sink) = (0, 1);
        let type_node = |t: usize| 2 + t;
        let province_node = |p: usize| 2 + nt + p;
        self.edges.clear();
        for t in 0..nt {
            self.edges.push(Bounded {
                from: source,
                to: type_node(t),
                lo: w(b.lo[t]),
                hi: b.hi[t].map_or(big, |h| w(h).min(big)),
            });
        }
        for p in 0..np {
            for t in 0..nt {
                let i = p * nt + t;
                let (f, a) = (cells.forced[i], cells.free[i]);
                if f + a > 0 {
                    self.edges.push(Bounded {
                        from: type_node(t),
                        to: province_node(p),
                        lo: w(f),
                        hi: w(f + a),
                    });
                }
            }
            self.edges.push(Bounded {
                from: province_node(p),
                to: sink,
                lo: 0,
                hi: b.cap[p].map_or(big, |c| w(c).min(big)),
            });
        }
        self.edges.push(Bounded {
            from: sink,
            to: source,
            lo: w(size_lo),
            hi: big,
        });
        circulation_exists(2 + nt + np, &self.edges, &mut self.net)
    }

    /// Limits that together rule out a list under `b` (known to have none), none of them
    /// superfluous: with only them imposed no list exists, and dropping any one of them lets one
    /// exist. A deletion filter that tries the maximums first, so that minimums are named where
    /// either would do. `None` when even dropping every limit but the size leaves no list (too
    /// few units).
    fn culprits(&mut self, cells: &Cells, b: &Bounds) -> Option<Vec<Relax>> {
        let m = self.m;
        let mut items = vec![Relax::Provinces];
        items.extend(
            (0..m.types())
                .filter(|&t| b.hi[t].is_some())
                .map(Relax::TypeMax),
        );
        items.extend((0..m.types()).filter(|&t| b.lo[t] > 0).map(Relax::TypeMin));
        if !self.feasible(cells, &b.without(&items)) {
            return None;
        }
        // `blamed`: the limits still imposed. Invariant: imposing exactly them is infeasible.
        let mut blamed = items.clone();
        for x in &items {
            let trial: Vec<Relax> = blamed.iter().copied().filter(|y| y != x).collect();
            let relaxed: Vec<Relax> = items
                .iter()
                .copied()
                .filter(|y| !trial.contains(y))
                .collect();
            if !self.feasible(cells, &b.without(&relaxed)) {
                blamed = trial;
            }
        }
        Some(blamed)
    }

    fn limits(&self, relax: &[Relax], b: &Bounds) -> Vec<Limit> {
        let m = self.m;
        relax
            .iter()
            .map(|r| match *r {
                Relax::Provinces => Limit::ProvinceMax {
                    max: m.general_max,
                    quotas: m.quotas,
                },
                Relax::TypeMax(t) => Limit::TypeMax {
                    type_id: m.type_ids[t].clone(),
                    max: b.hi[t].unwrap_or(0),
                },
                Relax::TypeMin(t) => Limit::TypeMin {
                    type_id: m.type_ids[t].clone(),
                    min: b.lo[t],
                },
            })
            .collect()
    }
}

/// Candidates in rank order, ties in rank by code.
fn in_rank_order(candidates: &[Candidate]) -> Vec<&Candidate> {
    let mut order: Vec<&Candidate> = candidates.iter().collect();
    order.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
    order
}

/// The minimums a list can meet: each type's minimum in the order written, lowered to the most
/// a list of at most `target` units can hold while keeping the maximums and the minimums before
/// it (with every eligible unit free).
fn reachable_minimums(ck: &mut Checker, all: &Cells, target: usize) -> Vec<usize> {
    let m = ck.m;
    let mut b = Bounds::of(m, vec![0; m.types()], (0, target));
    for &t in &m.limited {
        let want = m.lo[t];
        b.lo[t] = want;
        if want == 0 || ck.feasible(all, &b) {
            continue;
        }
        // 0 is reachable (the minimums before held); find the most that is, by bisection.
        let (mut ok, mut bad) = (0, want);
        while bad - ok > 1 {
            let mid = ok + (bad - ok) / 2;
            b.lo[t] = mid;
            if ck.feasible(all, &b) {
                ok = mid;
            } else {
                bad = mid;
            }
        }
        b.lo[t] = ok;
    }
    b.lo
}

/// The most units (at most `target`) a list can have under `b` (minimums reachable).
fn largest_size(ck: &mut Checker, all: &Cells, b: &Bounds, target: usize) -> usize {
    let at_least = |ck: &mut Checker, k: usize| {
        let mut b = b.clone();
        b.size = (k, target);
        ck.feasible(all, &b)
    };
    if at_least(ck, target) {
        return target;
    }
    let (mut ok, mut bad) = (0, target);
    while bad - ok > 1 {
        let mid = ok + (bad - ok) / 2;
        if at_least(ck, mid) {
            ok = mid;
        } else {
            bad = mid;
        }
    }
    ok
}

/// Units per cell of `units` (all free).
fn count_cells(m: &Model, units: &[&Candidate]) -> Cells {
    let mut cells = Cells {
        forced: vec![0; m.cells()],
        free: vec![0; m.cells()],
    };
    for u in units {
        if let Some((p, t)) = m.cell(u) {
            cells.free[p * m.types() + t] += 1;
        }
    }
    cells
}

/// Select the proposed list and the reserve list.
///
/// **The list.** Among all lists of exactly `target` eligible units ([`Candidate::eligible`])
/// that keep every limit (each province's maximum or quota, each type's minimum and maximum),
/// the best in rank order: of two lists, the one holding the best-ranked unit that is in one and
/// not the other. Equivalently, the ranking is walked (ties in rank by code) and a unit is kept
/// exactly when a complete list that keeps every limit still exists with it, using only it, the
/// units already kept and the units not yet considered; each such check is a flow with lower
/// bounds over province × type cells.
///
/// **When no such list exists** (`infeasible` says why): each type minimum that no list can meet
/// (together with the minimums written before it) is lowered to the most a list can hold and
/// reported in `unmet_minimums`; the list is then the best of the largest size that keeps every
/// maximum and the minimums as lowered.
///
/// **The reasons.** A unit left out failed the checks, was not recommended, found its province
/// or its type at its maximum or the list full, or taking it would have left no complete list:
/// then [`Exclusion::WouldBreak`] names the fewest limits that together rule it out (type
/// minimums where they suffice).
///
/// **The reserve.** The next `reserve` eligible units not selected, in rank order, whatever their
/// province or type: a unit of a full province comes in when a unit of its province leaves. The
/// unit actually promoted is decided by [`promotion`].
///
/// Pure: a what-if is another call with other [`Constraints`].
pub fn select(candidates: &[Candidate], c: &Constraints) -> Selection {
    select_with_panel(candidates, c, &[])
}

/// The panel meeting's (会评) decision on one dossier of the band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelVerdict {
    pub code: String,
    pub votes_for: usize,
    pub votes_against: usize,
}

impl PanelVerdict {
    /// Passed: more votes for than against.
    pub fn passed(&self) -> bool {
        self.votes_for > self.votes_against
    }
}

/// [`select`] honouring the panel meeting's decisions: a unit voted out is excluded
/// ([`Exclusion::PanelRejected`]) and never on the reserve; units voted in are taken first, in
/// rank order, each only if every limit still allows it (otherwise excluded with the limit's
/// reason, as any unit); the rest follow in rank order. The reserve stays in rank order.
pub fn select_with_panel(
    candidates: &[Candidate],
    c: &Constraints,
    verdicts: &[PanelVerdict],
) -> Selection {
    let verdict = |code: &str| verdicts.iter().find(|v| v.code == code);
    let rejected = |x: &Candidate| verdict(&x.code).is_some_and(|v| !v.passed());
    let mut order = in_rank_order(candidates);
    // Stable: voted in first, each group in rank order.
    order.sort_by_key(|x| !verdict(&x.code).is_some_and(PanelVerdict::passed));
    let eligible: Vec<&Candidate> = order
        .iter()
        .copied()
        .filter(|x| x.eligible() && !rejected(x))
        .collect();
    let m = Model::new(c, &eligible);
    let mut ck = Checker::new(&m);
    let all = count_cells(&m, &eligible);
    let target = c.target;

    let full = Bounds::of(&m, m.lo.clone(), (target, target));
    let (bounds, infeasible) = if ck.feasible(&all, &full) {
        (full, None)
    } else {
        let lo = reachable_minimums(&mut ck, &all, target);
        let lowered: Vec<usize> = m
            .limited
            .iter()
            .copied()
            .filter(|&t| lo[t] < m.lo[t])
            .collect();
        let reach = Bounds::of(&m, lo, (0, target));
        let largest = largest_size(&mut ck, &all, &reach, target);
        let mut limits = Vec::new();
        if largest < target {
            limits.push(Limit::ListSize { units: target });
            let mut b = reach.clone();
            b.size = (target, target);
            // Only the maximums are blamed for the size: the minimums, as lowered, never keep a
            // list short (a flow that meets them can always be augmented to the largest size).
            let mins: Vec<Relax> = (0..m.types()).map(Relax::TypeMin).collect();
            let b = b.without(&mins);
            if let Some(found) = ck.culprits(&all, &b) {
                limits.extend(ck.limits(&found, &b));
            }
        }
        limits.extend(lowered.iter().map(|&t| Limit::TypeMin {
            type_id: m.type_ids[t].clone(),
            min: m.lo[t],
        }));
        let why = Infeasibility {
            target,
            largest,
            eligible: eligible.len(),
            limits,
            lowered: lowered
                .iter()
                .map(|&t| (m.type_ids[t].clone(), reach.lo[t]))
                .collect(),
        };
        let mut b = reach;
        b.size = (largest, largest);
        (b, Some(why))
    };

    let size = bounds.size.1;
    let nt = m.types();
    let mut cells = all;
    let mut blocked = vec![false; m.cells()];
    let mut in_province = vec![0usize; m.province_keys.len()];
    let mut of_type = vec![0usize; nt];
    let mut selected: Vec<&Candidate> = Vec::new();
    let mut excluded: Vec<(&Candidate, Exclusion)> = Vec::new();
    for &cand in &order {
        let cell = if let Some(v) = verdict(&cand.code).filter(|v| !v.passed()) {
            Err(Exclusion::PanelRejected {
                votes_for: v.votes_for,
                votes_against: v.votes_against,
            })
        } else if !cand.passed_checks {
            Err(Exclusion::FailedChecks)
        } else if !cand.recommended() {
            Err(Exclusion::NotRecommended {
                votes: cand.recommend_votes,
                sheets: cand.sheets,
            })
        } else {
            m.cell(cand).ok_or(Exclusion::BelowCut)
        };
        let (p, t) = match cell {
            Ok(pt) => pt,
            Err(e) => {
                excluded.push((cand, e));
                continue;
            }
        };
        let i = p * nt + t;
        cells.free[i] -= 1;
        let reason = if in_province[p] >= m.cap[p] {
            Some(Exclusion::ProvinceFull {
                province_key: cand.province_key.clone(),
                max: m.cap[p],
            })
        } else if let Some(max) = m.hi[t].filter(|&h| of_type[t] >= h) {
            Some(Exclusion::TypeFull {
                type_id: cand.type_id.clone(),
                max,
            })
        } else if selected.len() >= size {
            Some(Exclusion::BelowCut)
        } else {
            cells.forced[i] += 1;
            // A cell once ruled out stays ruled out: later states only force more units in
            // and leave fewer to choose from.
            let fits = !blocked[i] && ck.feasible(&cells, &bounds);
            let reason = (!fits).then(|| {
                blocked[i] = true;
                let limits = ck
                    .culprits(&cells, &bounds)
                    .map(|r| ck.limits(&r, &bounds))
                    .unwrap_or_default();
                Exclusion::WouldBreak {
                    units: size,
                    limits,
                }
            });
            if !fits {
                cells.forced[i] -= 1;
            }
            reason
        };
        match reason {
            Some(e) => excluded.push((cand, e)),
            None => {
                selected.push(cand);
                in_province[p] += 1;
                of_type[t] += 1;
            }
        }
    }

    // In rank order whatever the walk's order was (voted-in units first).
    selected.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
    excluded.sort_by(|a, b| {
        a.0.rank
            .cmp(&b.0.rank)
            .then_with(|| a.0.code.cmp(&b.0.code))
    });
    let reserve = excluded
        .iter()
        .map(|(cand, _)| *cand)
        .filter(|cand| cand.eligible() && !rejected(cand))
        .take(c.reserve)
        .map(|cand| cand.code.clone())
        .collect();
    let unmet_minimums = m
        .limited
        .iter()
        .filter(|&&t| bounds.lo[t] < m.lo[t])
        .map(|&t| (m.type_ids[t].clone(), m.lo[t], of_type[t]))
        .collect();
    Selection {
        selected: selected.iter().map(|cand| cand.code.clone()).collect(),
        reserve,
        excluded: excluded
            .into_iter()
            .map(|(cand, e)| (cand.code.clone(), cand.rank, e))
            .collect(),
        unmet_minimums,
        infeasible,
    }
}

/// The unit to promote when an upheld objection removes a unit from the list (递补).
///
/// `list`: the codes on the list after the removal; `barred`: the codes removed by objections
/// (never promoted again). The answer is the best-ranked eligible unit not on the list and not
/// barred whose addition keeps every limit: each province's maximum or quota, each type's
/// maximum, and each type's minimum as [`select`] holds it for these candidates and constraints
/// (the minimum as set, or as lowered when the eligible units cannot meet it). The list with the
/// unit may not exceed the target. When no single unit can restore the limits, [`NoPromotion`]
/// says why and the ministry decides.
pub fn promotion(
    candidates: &[Candidate],
    list: &[&str],
    barred: &[&str],
    c: &Constraints,
) -> Result<String, NoPromotion> {
    let order = in_rank_order(candidates);
    let listed: HashSet<&str> = list.iter().copied().collect();
    let barred: HashSet<&str> = barred.iter().copied().collect();
    // The candidate of each listed code (the best-ranked one should a code repeat).
    let mut on: HashMap<&str, &Candidate> = HashMap::new();
    for x in &order {
        if listed.contains(x.code.as_str()) {
            on.entry(x.code.as_str()).or_insert(x);
        }
    }
    let unknown: Vec<String> = list
        .iter()
        .filter(|code| !on.contains_key(**code))
        .map(|code| code.to_string())
        .collect();
    if !unknown.is_empty() {
        return Err(NoPromotion::UnknownUnits { codes: unknown });
    }
    if list.len() >= c.target {
        return Err(NoPromotion::ListFull {
            units: list.len(),
            target: c.target,
        });
    }
    let on: Vec<&Candidate> = list
        .iter()
        .filter_map(|code| on.get(code).copied())
        .collect();
    let eligible: Vec<&Candidate> = order.iter().copied().filter(|x| x.eligible()).collect();
    let mut units = eligible.clone();
    units.extend(on.iter().copied());
    let m = Model::new(c, &units);
    let mut ck = Checker::new(&m);
    let lo = reachable_minimums(&mut ck, &count_cells(&m, &eligible), c.target);

    let pool: Vec<&Candidate> = eligible
        .iter()
        .copied()
        .filter(|x| !listed.contains(x.code.as_str()) && !barred.contains(x.code.as_str()))
        .collect();
    let nt = m.types();
    let mut cells = count_cells(&m, &pool);
    for u in &on {
        if let Some((p, t)) = m.cell(u) {
            cells.forced[p * nt + t] += 1;
        }
    }
    let b = Bounds::of(&m, lo, (list.len() + 1, list.len() + 1));
    if pool.is_empty() {
        return Err(NoPromotion::NoneLeft);
    }
    if !ck.feasible(&cells, &b) {
        return Err(match ck.culprits(&cells, &b) {
            Some(r) => NoPromotion::WouldBreak {
                limits: ck.limits(&r, &b),
                left: pool.len(),
            },
            None => NoPromotion::NoneLeft,
        });
    }
    let mut blocked = vec![false; m.cells()];
    for u in &pool {
        let Some((p, t)) = m.cell(u) else { continue };
        let i = p * nt + t;
        if blocked[i] {
            continue;
        }
        cells.free[i] -= 1;
        cells.forced[i] += 1;
        if ck.feasible(&cells, &b) {
            return Ok(u.code.clone());
        }
        blocked[i] = true;
        cells.forced[i] -= 1;
    }
    // Not reached: a list of one more unit exists, so one of the units left completes it.
    Err(NoPromotion::NoneLeft)
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
            province_quotas: Vec::new(),
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

    fn oa_min(min: usize) -> Limit {
        Limit::TypeMin {
            type_id: "oa".into(),
            min,
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
        assert_eq!(s.infeasible, None);
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

    /// Target 4, overall_advancement (oa) at least 2; oa units rank 5 and 6. By the definition:
    /// every list of 4 with 2 oa holds ranks 5 and 6, and the best two others are ranks 1, 2.
    /// Walking: ranks 1, 2 kept; taking rank 3 (or 4) would leave one place for two oa units,
    /// so it is out for the minimum; rank 7 finds the list full. Reserve 2: ranks 3 and 4.
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
        let held = Exclusion::WouldBreak {
            units: 4,
            limits: vec![oa_min(2)],
        };
        assert_eq!(reason(&s, "R003"), &held);
        assert_eq!(reason(&s, "R004"), &held);
        assert_eq!(reason(&s, "R007"), &Exclusion::BelowCut);
        assert_eq!(s.reserve, vec!["R003", "R004"]);
        assert!(s.unmet_minimums.is_empty());
        let t = reason(&s, "R003").text(3, "", names);
        assert_eq!(t.zh, "第3名，未入选：入选将使整体推进型≥2无法满足");
        assert_eq!(
            t.en,
            "rank 3, not selected: taking it leaves no list of 4 units that meets overall advancement ≥ 2"
        );
    }

    /// Target 3, one per province, oa at least 1; the only oa unit (rank 4) is in province a,
    /// whose rank 1 comes first. Every list of 3 with an oa unit holds rank 4 and so not rank 1;
    /// the best is ranks 2, 3, 4 (computed by hand from the definition). The old walk kept rank
    /// 1, found province a full when rank 4 came, and reported the minimum unmet.
    #[test]
    fn a_minimum_can_take_the_place_of_a_better_unit_of_its_province() {
        let cs = vec![
            cand(1, "a", "x"),
            cand(2, "b", "x"),
            cand(3, "c", "x"),
            cand(4, "a", "oa"),
            cand(5, "d", "x"),
        ];
        let c = Constraints {
            type_limits: vec![("oa".into(), Some(1), None)],
            ..constraints(3, 2, 1)
        };
        let s = select(&cs, &c);
        assert_eq!(s.selected, vec!["R002", "R003", "R004"]);
        // Both limits rule rank 1 out: the minimum, and the maximum that keeps rank 4 out of a.
        let e = reason(&s, "R001");
        assert_eq!(
            e,
            &Exclusion::WouldBreak {
                units: 3,
                limits: vec![Limit::ProvinceMax { max: 1, quotas: 0 }, oa_min(1)],
            }
        );
        assert_eq!(
            e.text(1, "", names).zh,
            "第1名，未入选：入选将使整体推进型≥1在每省最多1个的限制下无法满足"
        );
        assert_eq!(
            e.text(1, "", names).en,
            "rank 1, not selected: taking it leaves no list of 3 units that meets overall advancement ≥ 1 within at most 1 per province"
        );
        assert_eq!(reason(&s, "R005"), &Exclusion::BelowCut);
        assert_eq!(s.reserve, vec!["R001", "R005"]);
        assert!(s.unmet_minimums.is_empty());
        assert_eq!(s.infeasible, None);
    }

    /// Minimum 3 oa but only one eligible oa unit (rank 4): the minimum is lowered to 1, the most
    /// any list holds, and a list of 4 with it exists: ranks 1, 2, 3, 4 (by hand).
    #[test]
    fn a_minimum_that_cannot_be_met_is_reported_and_lowered() {
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
        let why = s.infeasible.as_ref().unwrap();
        assert_eq!(why.largest, 4);
        assert_eq!(why.limits, vec![oa_min(3)]);
        assert_eq!(why.lowered, vec![("oa".to_string(), 1)]);
        assert_eq!(
            why.text(names).zh,
            "拟认定名单无法满足全部限制：整体推进型≥3无法满足，合格单位在其他限制下至多1个"
        );
    }

    /// Target 4, one per province, three provinces with eligible units: the largest list has 3
    /// units, and the per-province maximum is named as what keeps it short.
    #[test]
    fn a_target_no_list_reaches_gives_the_largest_list_and_the_limits() {
        let cs = vec![
            cand(1, "a", "x"),
            cand(2, "a", "x"),
            cand(3, "b", "x"),
            cand(4, "c", "x"),
        ];
        let s = select(&cs, &constraints(4, 5, 1));
        assert_eq!(s.selected, vec!["R001", "R003", "R004"]);
        let why = s.infeasible.as_ref().unwrap();
        assert_eq!(why.largest, 3);
        assert_eq!(
            why.limits,
            vec![
                Limit::ListSize { units: 4 },
                Limit::ProvinceMax { max: 1, quotas: 0 }
            ]
        );
        assert_eq!(
            why.text(names).en,
            "no list keeps every limit: 4 units and at most 1 per province cannot all hold; the largest list that keeps them has 3"
        );
        assert_eq!(s.reserve, vec!["R002"]);
        // Too few eligible units: nothing but the count to blame.
        let s = select(&cs, &constraints(6, 0, 4));
        let why = s.infeasible.unwrap();
        assert_eq!((why.largest, why.eligible), (4, 4));
        assert_eq!(why.limits, vec![Limit::ListSize { units: 6 }]);
        assert_eq!(s.selected.len(), 4);
    }

    /// A quota overrides the general maximum for its province, up or down.
    #[test]
    fn a_province_quota_overrides_the_general_maximum() {
        let cs = vec![
            cand(1, "bt", "x"),
            cand(2, "bt", "x"),
            cand(3, "bt", "x"),
            cand(4, "zj", "x"),
            cand(5, "zj", "x"),
            cand(6, "zj", "x"),
            cand(7, "js", "x"),
        ];
        let c = Constraints {
            province_quotas: vec![("bt".into(), 1), ("zj".into(), 3)],
            ..constraints(5, 0, 2)
        };
        assert_eq!(c.max_for("bt"), 1);
        assert_eq!(c.max_for("js"), 2);
        let s = select(&cs, &c);
        assert_eq!(s.selected, vec!["R001", "R004", "R005", "R006", "R007"]);
        assert_eq!(
            reason(&s, "R002"),
            &Exclusion::ProvinceFull {
                province_key: "bt".into(),
                max: 1
            }
        );
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

    /// Target 2, max 2 per province, reserve 3. Selected ranks 1, 2 (a, a). Reserve: the next
    /// eligible units in rank order: rank 3 (a, full: it comes in if a unit of a leaves), rank 4
    /// is not recommended, ranks 5 and 6; rank 7 is beyond the reserve size.
    #[test]
    fn the_reserve_takes_the_next_eligible_units() {
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
        assert_eq!(s.reserve, vec!["R003", "R005", "R006"]);
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

    /// Maximums can rule a unit out together: target 2, one per province, x at most 1. Taking
    /// rank 1 (a, x) leaves only rank 3 (b, x) for b, over the x maximum, and rank 2 (a, y) in
    /// a, over a's maximum: no list of 2. The list is ranks 2, 3; both maximums are named.
    #[test]
    fn maximums_that_rule_a_unit_out_together_are_named() {
        let cs = vec![cand(1, "a", "x"), cand(2, "a", "y"), cand(3, "b", "x")];
        let c = Constraints {
            type_limits: vec![("x".into(), None, Some(1))],
            ..constraints(2, 0, 1)
        };
        let s = select(&cs, &c);
        assert_eq!(s.selected, vec!["R002", "R003"]);
        let e = reason(&s, "R001");
        assert_eq!(
            e,
            &Exclusion::WouldBreak {
                units: 2,
                limits: vec![
                    Limit::ProvinceMax { max: 1, quotas: 0 },
                    Limit::TypeMax {
                        type_id: "x".into(),
                        max: 1
                    }
                ]
            }
        );
        let t = e.text(1, "", names);
        assert_eq!(
            t.zh,
            "第1名，未入选：入选将使名单在每省最多1个、x≤1的限制下无法选满2个"
        );
        assert_eq!(
            t.en,
            "rank 1, not selected: taking it leaves no list of 2 units within at most 1 per province and x ≤ 1"
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
        assert_eq!(base.reserve, vec!["R003"]);
        let what_if = select(&cs, &constraints(3, 1, 3));
        assert_eq!(what_if.selected, vec!["R001", "R002", "R003"]);
        assert_eq!(what_if.reserve, vec!["R004"]);
        assert_eq!(select(&cs, &constraints(3, 1, 2)), base);
    }

    /// Constraints typed as a what-if are checked as round.toml is.
    #[test]
    fn what_if_constraints_that_cannot_hold_are_named() {
        let c = Constraints {
            type_limits: vec![
                ("oa".into(), Some(5), Some(3)),
                ("other".into(), Some(4), None),
            ],
            province_quotas: vec![("bt".into(), 0)],
            ..constraints(0, 0, 0)
        };
        let en: Vec<String> = c.problems().into_iter().map(|t| t.en).collect();
        assert_eq!(
            en,
            vec![
                "the target must be at least 1 unit",
                "the maximum per province must be at least 1 unit",
                "the quota of bt must be at least 1 unit",
                "type oa: the minimum of 5 is more than the maximum of 3",
                "the type minimums add up to 9 units, more than the target of 0",
            ]
        );
        assert_eq!(c.problems()[0].zh, "目标数须至少为1个");
        assert!(constraints(1, 0, 1).problems().is_empty());
    }

    /// Promotion: the list after rank 2 (oa) is removed holds ranks 1, 5; oa at least 1.
    /// Rank 3 (x) would leave no oa; rank 4 (oa, province a already at its 1) is over a's
    /// maximum; rank 6 (oa, f) keeps every limit.
    #[test]
    fn promotion_takes_the_best_unit_that_keeps_every_limit() {
        let cs = vec![
            cand(1, "a", "x"),
            cand(2, "b", "oa"),
            cand(3, "c", "x"),
            cand(4, "a", "oa"),
            cand(5, "d", "x"),
            cand(6, "f", "oa"),
        ];
        let c = Constraints {
            type_limits: vec![("oa".into(), Some(1), None)],
            ..constraints(3, 3, 1)
        };
        assert_eq!(
            promotion(&cs, &["R001", "R005"], &["R002"], &c),
            Ok("R006".to_string())
        );
        // Rank 6 removed as well: only rank 4 could restore the minimum, and a is full.
        let none = promotion(&cs, &["R001", "R005"], &["R002", "R006"], &c).unwrap_err();
        assert_eq!(
            none,
            NoPromotion::WouldBreak {
                limits: vec![Limit::ProvinceMax { max: 1, quotas: 0 }, oa_min(1)],
                left: 2
            }
        );
        assert_eq!(
            none.text(names).zh,
            "无法递补：剩余2个合格单位中，任何一个递补都无法在每省最多1个的限制下使整体推进型≥1得到满足，由农业部决定"
        );
        // Rank 4 removed too: no oa unit is left at all.
        let none = promotion(&cs, &["R001", "R005"], &["R002", "R004", "R006"], &c).unwrap_err();
        assert_eq!(
            none,
            NoPromotion::WouldBreak {
                limits: vec![oa_min(1)],
                left: 1
            }
        );
        assert_eq!(
            none.text(names).en,
            "no unit can be promoted: the one eligible unit left does not restore overall advancement ≥ 1; the ministry decides"
        );
        assert_eq!(
            promotion(
                &cs,
                &["R001", "R005"],
                &["R002", "R003", "R004", "R006"],
                &c
            ),
            Err(NoPromotion::NoneLeft)
        );
        assert_eq!(
            promotion(&cs, &["R001", "R005", "R003"], &[], &c),
            Err(NoPromotion::ListFull {
                units: 3,
                target: 3
            })
        );
        assert_eq!(
            promotion(&cs, &["R001", "R099"], &[], &c),
            Err(NoPromotion::UnknownUnits {
                codes: vec!["R099".into()]
            })
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
            prop::collection::vec((0..6usize, 0..6usize), 0..3),
        )
            .prop_map(
                |(target, reserve, max_per_province, limits, quotas)| Constraints {
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
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Larger rounds than brute force can check (tests/selection.rs does that): every limit
        /// that can hold holds, the list is as long as `infeasible` says, the reserve is the
        /// next eligible units, and the result does not depend on the input order.
        #[test]
        fn selection_keeps_every_limit_and_is_deterministic(
            cs in arb_candidates(),
            c in arb_constraints(),
        ) {
            let s = select(&cs, &c);
            let expected_len = s.infeasible.as_ref().map_or(c.target, |w| w.largest);
            prop_assert_eq!(s.selected.len(), expected_len);
            prop_assert!(s.reserve.len() <= c.reserve);
            let by_code: HashMap<&str, &Candidate> =
                cs.iter().map(|x| (x.code.as_str(), x)).collect();
            let mut per_province: HashMap<&str, usize> = HashMap::new();
            let mut per_type: HashMap<&str, usize> = HashMap::new();
            for code in &s.selected {
                let x = by_code[code.as_str()];
                prop_assert!(x.eligible());
                *per_province.entry(&x.province_key).or_default() += 1;
                *per_type.entry(&x.type_id).or_default() += 1;
            }
            for (p, n) in &per_province {
                prop_assert!(*n <= c.max_for(p));
            }
            for (t, r) in merged_limits(&c) {
                let n = per_type.get(t).copied().unwrap_or(0);
                prop_assert!(r.max.is_none_or(|m| n <= m));
                let unmet = s.unmet_minimums.iter().any(|(u, _, _)| u == t);
                prop_assert!(n >= r.min || unmet, "{} has {} < {}", t, n, r.min);
            }
            // The reserve: the first eligible units not selected, in rank order.
            let mut order: Vec<&Candidate> = cs.iter().collect();
            order.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
            let next: Vec<String> = order
                .iter()
                .filter(|x| x.eligible() && !s.selected.contains(&x.code))
                .take(c.reserve)
                .map(|x| x.code.clone())
                .collect();
            prop_assert_eq!(&s.reserve, &next);
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
