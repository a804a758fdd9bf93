//! Assignment (分配): which experts review which dossier, under the recusal (回避) rules.
//!
//! The hard rules live in [`exclusion`]: an expert never reviews a dossier that any of them
//! forbids. Within them, [`assign`] pursues two soft goals: every dossier has at least one expert
//! whose expertise covers its type, and the experts' loads are as even as the rules allow
//! (max − min ≤ 1 whenever some assignment achieves it). A plan is a pure function of its input
//! and seed: ties are broken by a seeded hash of (dossier, expert), never by hash-map order.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::expert::Expert;
use super::finding::Text;
use super::names::normalise_name;

/// Characters (after [`normalise_name`]) the shorter of two unit names needs before "one name
/// contains the other" counts as the same unit. Shorter names such as 浙江大学 (4) would match
/// too many unrelated units (浙江大学出版社…), so only equality counts for them.
pub const MIN_CONTAINED_CHARS: usize = 6;

/// An expert as the assignment sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ExpertProfile {
    /// Stable id from the roster.
    pub id: String,
    /// Key of the reporting unit (province) the expert works in, if any.
    pub province_key: Option<String>,
    /// Work unit, as written (display form).
    pub affiliation: String,
    /// Type ids the expert knows well.
    pub expertise: Vec<String>,
    /// Applicant units the expert declared a conflict with, names as written.
    pub avoid_units: Vec<String>,
    /// Reporting units (keys) the expert declared a conflict with.
    pub avoid_provinces: Vec<String>,
    /// Whether the expert takes part in this round.
    pub active: bool,
}

impl From<&Expert> for ExpertProfile {
    fn from(e: &Expert) -> Self {
        ExpertProfile {
            id: e.id.clone(),
            province_key: e.province_key.clone(),
            affiliation: e.affiliation.clone(),
            expertise: e.expertise.clone(),
            avoid_units: e.avoid_units.clone(),
            avoid_provinces: e.avoid_provinces.clone(),
            active: e.active,
        }
    }
}

/// A dossier as the assignment sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DossierProfile {
    /// Stable dossier code.
    pub code: String,
    /// Key of the reporting unit (province) that submitted the dossier.
    pub province_key: String,
    /// Demonstration type id.
    pub type_id: String,
    /// Applicant unit, display name as declared.
    pub applicant: String,
    /// Display name of the province, for suggestions; the key is shown when empty.
    pub province_name: Text,
    /// Display name of the type, for suggestions; the id is shown when empty.
    pub type_name: Text,
}

/// Why an expert may not review a dossier (a hard rule). The order of the variants is the order
/// in which the rules are checked: when several hold, the first one is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exclusion {
    /// The expert works in the dossier's province (回避本省).
    SameProvince,
    /// The expert works for the applicant unit (回避本单位).
    OwnUnit,
    /// The expert declared a conflict with the applicant unit.
    DeclaredUnit,
    /// The expert declared a conflict with the dossier's province.
    DeclaredProvince,
    /// The expert recused themselves from this dossier.
    Recused,
    /// The expert does not take part in this round.
    Inactive,
}

impl Exclusion {
    /// Every rule, in checking order.
    pub const ALL: [Exclusion; 6] = [
        Exclusion::SameProvince,
        Exclusion::OwnUnit,
        Exclusion::DeclaredUnit,
        Exclusion::DeclaredProvince,
        Exclusion::Recused,
        Exclusion::Inactive,
    ];

    /// Stable code, e.g. `same_province` (stored and shown in reports).
    pub fn as_str(self) -> &'static str {
        match self {
            Exclusion::SameProvince => "same_province",
            Exclusion::OwnUnit => "own_unit",
            Exclusion::DeclaredUnit => "declared_unit",
            Exclusion::DeclaredProvince => "declared_province",
            Exclusion::Recused => "recused",
            Exclusion::Inactive => "inactive",
        }
    }

    /// The rule as one sentence in both languages.
    pub fn text(&self) -> Text {
        match self {
            Exclusion::SameProvince => Text::new(
                "专家与申报单位属于同一省份（回避本省）。",
                "The expert works in the dossier's own province.",
            ),
            Exclusion::OwnUnit => Text::new(
                "专家就职于申报单位（回避本单位）。",
                "The expert works for the applicant unit.",
            ),
            Exclusion::DeclaredUnit => Text::new(
                "专家已声明与该申报单位存在利害关系。",
                "The expert declared a conflict with the applicant unit.",
            ),
            Exclusion::DeclaredProvince => Text::new(
                "专家已声明回避该省份。",
                "The expert declared a conflict with the dossier's province.",
            ),
            Exclusion::Recused => Text::new(
                "专家已申请回避该申报书。",
                "The expert recused themselves from this dossier.",
            ),
            Exclusion::Inactive => Text::new(
                "专家本轮未参加评审（已停用）。",
                "The expert does not take part in this round.",
            ),
        }
    }

    /// How a count of experts kept away by this rule reads in a suggestion.
    fn count_phrase(self, n: usize) -> (String, String) {
        match self {
            Exclusion::SameProvince => (
                format!("本省专家{n}名"),
                format!("{n} from the same province"),
            ),
            Exclusion::OwnUnit => (
                format!("申报单位专家{n}名"),
                format!("{n} from the applicant unit"),
            ),
            Exclusion::DeclaredUnit => (
                format!("声明回避该单位的专家{n}名"),
                format!("{n} with a declared conflict with the unit"),
            ),
            Exclusion::DeclaredProvince => (
                format!("声明回避该省的专家{n}名"),
                format!("{n} with a declared conflict with the province"),
            ),
            Exclusion::Recused => (format!("已申请回避的专家{n}名"), format!("{n} recused")),
            Exclusion::Inactive => (format!("停用专家{n}名"), format!("{n} inactive")),
        }
    }
}

impl Serialize for Exclusion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Whether two normalised unit names denote the same unit: they are equal, or one contains the
/// other and the shorter has at least [`MIN_CONTAINED_CHARS`] characters (so 德清县农业农村局
/// matches 浙江省德清县农业农村局). Empty names never match.
fn same_unit(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= MIN_CONTAINED_CHARS && long.contains(short)
}

/// An expert's names normalised once, for checking many dossiers.
struct PreparedExpert<'a> {
    expert: &'a ExpertProfile,
    affiliation: String,
    avoid_units: BTreeSet<String>,
}

impl<'a> PreparedExpert<'a> {
    fn new(expert: &'a ExpertProfile) -> Self {
        PreparedExpert {
            expert,
            affiliation: normalise_name(&expert.affiliation),
            avoid_units: expert
                .avoid_units
                .iter()
                .map(|u| normalise_name(u))
                .filter(|u| !u.is_empty())
                .collect(),
        }
    }

    /// The first hard rule that keeps this expert from the dossier; `applicant` is the dossier's
    /// normalised applicant name.
    fn exclusion(&self, d: &DossierProfile, applicant: &str, recused: bool) -> Option<Exclusion> {
        let e = self.expert;
        if e.province_key.as_deref() == Some(d.province_key.as_str()) {
            Some(Exclusion::SameProvince)
        } else if same_unit(&self.affiliation, applicant) {
            Some(Exclusion::OwnUnit)
        } else if !applicant.is_empty() && self.avoid_units.contains(applicant) {
            Some(Exclusion::DeclaredUnit)
        } else if e.avoid_provinces.contains(&d.province_key) {
            Some(Exclusion::DeclaredProvince)
        } else if recused {
            Some(Exclusion::Recused)
        } else if !e.active {
            Some(Exclusion::Inactive)
        } else {
            None
        }
    }
}

/// The first hard rule that keeps expert `e` from dossier `d`, or `None` when `e` may review
/// `d`. `recused` says whether `e` recused themselves from `d`.
///
/// The rules, in checking order: same province; own unit (affiliation and applicant equal after
/// [`normalise_name`], or one contains the other and the shorter has at least
/// [`MIN_CONTAINED_CHARS`] characters); a declared conflict with the unit (normalised names equal);
/// a declared conflict with the province; recused; inactive.
pub fn exclusion(e: &ExpertProfile, d: &DossierProfile, recused: bool) -> Option<Exclusion> {
    PreparedExpert::new(e).exclusion(d, &normalise_name(&d.applicant), recused)
}

/// What [`assign`] works on.
#[derive(Debug, Clone, Copy)]
pub struct AssignmentInput<'a> {
    /// The roster; plans refer to experts by index into this slice.
    pub experts: &'a [ExpertProfile],
    /// The dossiers; plans refer to dossiers by index into this slice.
    pub dossiers: &'a [DossierProfile],
    /// Experts wanted on each dossier.
    pub per_dossier: usize,
    /// Seed for tie-breaking: the same input and seed give the same plan.
    pub seed: u64,
    /// (dossier code, expert id): the expert recused themselves from the dossier.
    pub recusals: &'a [(String, String)],
    /// (dossier code, expert id) pairs already fixed (e.g. submitted score sheets); they stay in
    /// the plan and count towards load, unless a hard rule forbids them (see
    /// [`Plan::rejected_keeps`]).
    pub keep: &'a [(String, String)],
}

/// A dossier that cannot get the experts it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// Index into the dossiers.
    pub dossier: usize,
    /// Experts needed (per dossier, or 1 for a replacement).
    pub needed: usize,
    /// Experts that may review it under the hard rules.
    pub eligible: usize,
    /// How many experts each rule kept away (each expert counted once, under the first rule
    /// that applies); only rules that kept someone away, in checking order.
    pub excluded: Vec<(Exclusion, usize)>,
    /// Why, and the smallest fix.
    pub suggestion: Text,
}

/// A pair of [`AssignmentInput::keep`] that could not be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RejectedKeep {
    /// Index into `keep`.
    pub keep: usize,
    /// The hard rule the pair breaks; `None` when its dossier code or expert id is unknown.
    pub reason: Option<Exclusion>,
}

/// The result of [`assign`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// One entry per dossier, in dossier order: (dossier index, expert indices sorted).
    pub pairs: Vec<(usize, Vec<usize>)>,
    /// Dossiers per expert, by expert index.
    pub load: Vec<usize>,
    /// Dossiers with fewer eligible experts than needed, in dossier order.
    pub shortfalls: Vec<Shortfall>,
    /// Dossiers (ascending) none of whose assigned experts covers the dossier's type,
    /// including dossiers with no expert at all.
    pub uncovered_types: Vec<usize>,
    /// Kept pairs that were dropped, in `keep` order.
    pub rejected_keeps: Vec<RejectedKeep>,
}

/// A seed turned into a salt for [`mix`].
fn salt(seed: u64) -> u64 {
    ChaCha8Rng::seed_from_u64(seed).random::<u64>()
}

/// A pseudo-random tie-break for the pair (a, b): a seeded SplitMix64 finaliser. Independent of
/// the order in which pairs are looked at, so plans do not depend on iteration order.
fn mix(salt: u64, a: usize, b: usize) -> u64 {
    let mut z = salt
        ^ (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64)
            .wrapping_add(1)
            .wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The set bits of a bit set.
fn bits(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            if rest == 0 {
                return None;
            }
            let b = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            Some(w * 64 + b)
        })
    })
}

fn has_bit(words: &[u64], i: usize) -> bool {
    words.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

fn set_bit(words: &mut [u64], i: usize) {
    if let Some(w) = words.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

fn clear_bit(words: &mut [u64], i: usize) {
    if let Some(w) = words.get_mut(i / 64) {
        *w &= !(1 << (i % 64));
    }
}

/// A 64-bit set of the characters of a name: `a` can only contain `b` when `b`'s set is a
/// subset of `a`'s. A cheap filter before substring search.
fn char_bloom(s: &str) -> u64 {
    s.chars().fold(0, |acc, c| {
        acc | 1 << ((c as u32).wrapping_mul(0x9E37_79B9) >> 26)
    })
}

/// A normalised unit name with what the containment filter needs.
struct UnitName {
    text: String,
    bloom: u64,
}

impl UnitName {
    fn new(text: String) -> Self {
        UnitName {
            bloom: char_bloom(&text),
            text,
        }
    }

    fn same_unit(&self, other: &UnitName) -> bool {
        let (short, long) = if self.text.len() <= other.text.len() {
            (self, other)
        } else {
            (other, self)
        };
        // Equal names pass the filter; containment needs the short name's characters.
        if short.text.len() < long.text.len() && short.bloom & !long.bloom != 0 {
            return false;
        }
        same_unit(&short.text, &long.text)
    }
}

/// Position of `key` in an interner, adding it if new.
fn intern<K: Ord>(map: &mut BTreeMap<K, usize>, key: K) -> usize {
    let next = map.len();
    *map.entry(key).or_insert(next)
}

/// Everything the hard rules need, turned into small integers once, plus the eligibility bit
/// set of every dossier. Built in O(D·E) cheap steps and O(A·F) name comparisons (A distinct
/// applicants, F distinct affiliations).
struct Context<'a> {
    experts: usize,
    /// Words of one expert bit set.
    words: usize,
    dossier_by_code: BTreeMap<&'a str, Vec<usize>>,
    expert_by_id: BTreeMap<&'a str, Vec<usize>>,
    e_province: Vec<Option<usize>>,
    e_affiliation: Vec<Option<usize>>,
    /// Applicant ids, sorted.
    e_avoid_units: Vec<Vec<usize>>,
    /// Province ids, sorted.
    e_avoid_provinces: Vec<Vec<usize>>,
    e_active: Vec<bool>,
    d_province: Vec<usize>,
    d_applicant: Vec<usize>,
    d_type: Vec<usize>,
    /// Expert indices, sorted.
    d_recused: Vec<Vec<usize>>,
    /// Per applicant id: the affiliation ids that denote the same unit, sorted.
    applicant_units: Vec<Vec<usize>>,
    /// Per type id: bit set of the experts whose expertise covers it.
    coverers: Vec<u64>,
    /// Per dossier: bit set of the experts that may review it.
    eligible: Vec<u64>,
    eligible_count: Vec<usize>,
}

impl<'a> Context<'a> {
    fn new(input: &AssignmentInput<'a>) -> Self {
        let experts: &'a [ExpertProfile] = input.experts;
        let dossiers: &'a [DossierProfile] = input.dossiers;
        let n = experts.len();
        let words = n.div_ceil(64);

        let mut dossier_by_code: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (i, d) in dossiers.iter().enumerate() {
            dossier_by_code.entry(d.code.as_str()).or_default().push(i);
        }
        let mut expert_by_id: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (i, e) in experts.iter().enumerate() {
            expert_by_id.entry(e.id.as_str()).or_default().push(i);
        }

        // Only names that occur on a dossier can ever match, so the interners are built from
        // the dossiers and the experts' names are looked up in them.
        let mut provinces: BTreeMap<&'a str, usize> = BTreeMap::new();
        let mut types: BTreeMap<&'a str, usize> = BTreeMap::new();
        let mut applicants: BTreeMap<String, usize> = BTreeMap::new();
        let mut d_province = Vec::with_capacity(dossiers.len());
        let mut d_type = Vec::with_capacity(dossiers.len());
        let mut d_applicant = Vec::with_capacity(dossiers.len());
        for d in dossiers {
            d_province.push(intern(&mut provinces, d.province_key.as_str()));
            d_type.push(intern(&mut types, d.type_id.as_str()));
            d_applicant.push(intern(&mut applicants, normalise_name(&d.applicant)));
        }

        let mut affiliations: BTreeMap<String, usize> = BTreeMap::new();
        let mut coverers = vec![0u64; types.len() * words];
        let mut e_province = Vec::with_capacity(n);
        let mut e_affiliation = Vec::with_capacity(n);
        let mut e_avoid_units = Vec::with_capacity(n);
        let mut e_avoid_provinces = Vec::with_capacity(n);
        for (i, e) in experts.iter().enumerate() {
            e_province.push(
                e.province_key
                    .as_deref()
                    .and_then(|k| provinces.get(k).copied()),
            );
            let affiliation = normalise_name(&e.affiliation);
            e_affiliation.push(if affiliation.is_empty() {
                None
            } else {
                Some(intern(&mut affiliations, affiliation))
            });
            let mut avoid: Vec<usize> = e
                .avoid_units
                .iter()
                .filter_map(|u| {
                    let u = normalise_name(u);
                    if u.is_empty() {
                        None
                    } else {
                        applicants.get(&u).copied()
                    }
                })
                .collect();
            avoid.sort_unstable();
            avoid.dedup();
            e_avoid_units.push(avoid);
            let mut avoid: Vec<usize> = e
                .avoid_provinces
                .iter()
                .filter_map(|p| provinces.get(p.as_str()).copied())
                .collect();
            avoid.sort_unstable();
            avoid.dedup();
            e_avoid_provinces.push(avoid);
            for t in &e.expertise {
                if let Some(&t) = types.get(t.as_str()) {
                    set_bit(&mut coverers[t * words..(t + 1) * words], i);
                }
            }
        }

        // Applicant names against affiliations, each distinct pair once.
        let mut applicant_names: Vec<(usize, UnitName)> = applicants
            .into_iter()
            .map(|(name, id)| (id, UnitName::new(name)))
            .collect();
        applicant_names.sort_unstable_by_key(|(id, _)| *id);
        let mut affiliation_names: Vec<(usize, UnitName)> = affiliations
            .into_iter()
            .map(|(name, id)| (id, UnitName::new(name)))
            .collect();
        affiliation_names.sort_unstable_by_key(|(id, _)| *id);
        let applicant_units: Vec<Vec<usize>> = applicant_names
            .iter()
            .map(|(_, a)| {
                affiliation_names
                    .iter()
                    .filter(|(_, f)| a.same_unit(f))
                    .map(|(id, _)| *id)
                    .collect()
            })
            .collect();

        let mut d_recused: Vec<Vec<usize>> = vec![Vec::new(); dossiers.len()];
        for (code, id) in input.recusals {
            if let (Some(ds), Some(es)) = (
                dossier_by_code.get(code.as_str()),
                expert_by_id.get(id.as_str()),
            ) {
                for &d in ds {
                    d_recused[d].extend(es.iter().copied());
                }
            }
        }
        for r in &mut d_recused {
            r.sort_unstable();
            r.dedup();
        }

        // Eligibility row by row from bit masks, O(D·E/64) plus the few declared conflicts;
        // `rule` gives the same answer pair by pair (checked in the tests).
        let mut province_excluded = vec![0u64; provinces.len() * words];
        let mut affiliation_experts: Vec<Vec<usize>> = vec![Vec::new(); affiliation_names.len()];
        let mut applicant_avoiders: Vec<Vec<usize>> = vec![Vec::new(); applicant_names.len()];
        let mut active = vec![0u64; words];
        for (e, expert) in experts.iter().enumerate() {
            if expert.active {
                set_bit(&mut active, e);
            }
            for &p in e_province[e].iter().chain(&e_avoid_provinces[e]) {
                set_bit(&mut province_excluded[p * words..(p + 1) * words], e);
            }
            if let Some(f) = e_affiliation[e] {
                affiliation_experts[f].push(e);
            }
            for &a in &e_avoid_units[e] {
                applicant_avoiders[a].push(e);
            }
        }
        let mut eligible = vec![0u64; dossiers.len() * words];
        let mut eligible_count = vec![0usize; dossiers.len()];
        for d in 0..dossiers.len() {
            let row = &mut eligible[d * words..(d + 1) * words];
            let p = d_province[d];
            for (w, r) in row.iter_mut().enumerate() {
                *r = active[w] & !province_excluded[p * words + w];
            }
            let a = d_applicant[d];
            let unit = applicant_units[a]
                .iter()
                .flat_map(|&f| &affiliation_experts[f]);
            for &e in unit.chain(&applicant_avoiders[a]).chain(&d_recused[d]) {
                clear_bit(row, e);
            }
            eligible_count[d] = row.iter().map(|w| w.count_ones() as usize).sum();
        }

        Context {
            experts: n,
            words,
            dossier_by_code,
            expert_by_id,
            e_province,
            e_affiliation,
            e_avoid_units,
            e_avoid_provinces,
            e_active: experts.iter().map(|e| e.active).collect(),
            d_province,
            d_applicant,
            d_type,
            d_recused,
            applicant_units,
            coverers,
            eligible,
            eligible_count,
        }
    }

    /// The first hard rule keeping expert `e` from dossier `d` (same order as [`exclusion`]).
    fn rule(&self, e: usize, d: usize) -> Option<Exclusion> {
        let province = self.d_province[d];
        let applicant = self.d_applicant[d];
        if self.e_province[e] == Some(province) {
            Some(Exclusion::SameProvince)
        } else if self.e_affiliation[e]
            .is_some_and(|f| self.applicant_units[applicant].binary_search(&f).is_ok())
        {
            Some(Exclusion::OwnUnit)
        } else if self.e_avoid_units[e].binary_search(&applicant).is_ok() {
            Some(Exclusion::DeclaredUnit)
        } else if self.e_avoid_provinces[e].binary_search(&province).is_ok() {
            Some(Exclusion::DeclaredProvince)
        } else if self.d_recused[d].binary_search(&e).is_ok() {
            Some(Exclusion::Recused)
        } else if !self.e_active[e] {
            Some(Exclusion::Inactive)
        } else {
            None
        }
    }

    fn row(&self, d: usize) -> &[u64] {
        &self.eligible[d * self.words..(d + 1) * self.words]
    }

    fn coverers_of(&self, d: usize) -> &[u64] {
        let t = self.d_type[d];
        &self.coverers[t * self.words..(t + 1) * self.words]
    }

    fn covers(&self, e: usize, d: usize) -> bool {
        has_bit(self.coverers_of(d), e)
    }

    /// How many experts each rule keeps from dossier `d`.
    fn excluded(&self, d: usize) -> Vec<(Exclusion, usize)> {
        let mut counts = [0usize; Exclusion::ALL.len()];
        for r in (0..self.experts).filter_map(|e| self.rule(e, d)) {
            counts[r as usize] += 1;
        }
        nonzero_counts(&counts)
    }
}

fn nonzero_counts(counts: &[usize; Exclusion::ALL.len()]) -> Vec<(Exclusion, usize)> {
    Exclusion::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|(r, n)| (*r, *n))
        .collect()
}

/// The assignment being built: who is on which dossier, both ways round.
struct State {
    /// Per dossier: experts on it.
    on: Vec<Vec<usize>>,
    /// Per dossier: experts fixed on it (a subset of `on`), never moved.
    kept: Vec<Vec<usize>>,
    /// Per expert: dossiers they are on; its length is the expert's load.
    by_expert: Vec<Vec<usize>>,
}

impl State {
    fn load(&self, e: usize) -> usize {
        self.by_expert[e].len()
    }

    fn add(&mut self, d: usize, e: usize) {
        self.on[d].push(e);
        self.by_expert[e].push(d);
    }

    /// Moves dossier `d` from expert `from` to expert `to`.
    fn move_dossier(&mut self, d: usize, from: usize, to: usize) {
        if let Some(slot) = self.on[d].iter_mut().find(|e| **e == from) {
            *slot = to;
        }
        if let Some(i) = self.by_expert[from].iter().position(|x| *x == d) {
            self.by_expert[from].swap_remove(i);
        }
        self.by_expert[to].push(d);
    }

    fn movable(&self, d: usize, e: usize) -> bool {
        !self.kept[d].contains(&e)
    }

    /// Whether `e` is the only expert on `d` whose expertise covers its type.
    fn sole_coverer(&self, ctx: &Context, d: usize, e: usize) -> bool {
        ctx.covers(e, d)
            && !self.on[d]
                .iter()
                .any(|&other| other != e && ctx.covers(other, d))
    }
}

/// Scratch space of the path searches, allocated once.
struct Search {
    visited: Vec<u64>,
    /// (previous expert, dossier moved from it), or `NONE` for a start.
    parent: Vec<(usize, usize)>,
    queue: VecDeque<usize>,
    scratch: Vec<u64>,
    /// Dossiers looked at by `run` so far: the measure of work spent.
    scans: usize,
}

const NONE: usize = usize::MAX;

impl Search {
    fn new(ctx: &Context) -> Self {
        Search {
            visited: vec![0; ctx.words],
            parent: vec![(NONE, NONE); ctx.experts],
            queue: VecDeque::new(),
            scratch: vec![0; ctx.words],
            scans: 0,
        }
    }

    fn start(&mut self) {
        self.visited.fill(0);
        self.queue.clear();
    }

    fn add_start(&mut self, e: usize) {
        set_bit(&mut self.visited, e);
        self.parent[e] = (NONE, NONE);
        self.queue.push_back(e);
    }

    /// Breadth-first search over "move one of x's dossiers to y" steps, from the queued starts,
    /// never through dossier `avoid`. Returns the first expert reached for which `is_target`
    /// holds. With `safe`, no step takes the only covering expert off a dossier unless a covering
    /// expert takes its place.
    fn run(
        &mut self,
        ctx: &Context,
        st: &State,
        avoid: usize,
        safe: bool,
        is_target: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        while let Some(x) = self.queue.pop_front() {
            for &d in &st.by_expert[x] {
                self.scans += 1;
                if d == avoid || !st.movable(d, x) {
                    continue;
                }
                let row = ctx.row(d);
                for (w, s) in self.scratch.iter_mut().enumerate() {
                    *s = row[w] & !self.visited[w];
                }
                for &y in &st.on[d] {
                    clear_bit(&mut self.scratch, y);
                }
                if safe && st.sole_coverer(ctx, d, x) {
                    for (s, c) in self.scratch.iter_mut().zip(ctx.coverers_of(d)) {
                        *s &= c;
                    }
                }
                for y in bits(&self.scratch) {
                    set_bit(&mut self.visited, y);
                    self.parent[y] = (x, d);
                    if is_target(y) {
                        return Some(y);
                    }
                    self.queue.push_back(y);
                }
            }
        }
        None
    }

    /// Applies the moves that lead to `target`; returns the start of the path.
    fn apply(&self, st: &mut State, target: usize) -> usize {
        let mut y = target;
        loop {
            let (x, d) = self.parent[y];
            if x == NONE {
                return y;
            }
            st.move_dossier(d, x, y);
            y = x;
        }
    }
}

/// Evens out the loads: moves one dossier slot at a time along a chain of experts, from an
/// expert with load h to one with load ≤ h − 2, while such a chain exists. Each step lowers the
/// sum of squared loads, and when no step is left that sum is minimal, which also makes the
/// maximum load as small and the minimum as large as the rules allow (so max − min ≤ 1 whenever
/// that is possible). Chains that keep every dossier's type coverage are tried first.
fn balance(ctx: &Context, st: &mut State, search: &mut Search) {
    loop {
        let mut levels: Vec<usize> = st.by_expert.iter().map(Vec::len).collect();
        levels.sort_unstable();
        levels.dedup();
        let Some(&min) = levels.first() else {
            return;
        };
        let mut moved = false;
        'levels: for &h in levels.iter().rev() {
            if h < min + 2 {
                break;
            }
            for safe in [true, false] {
                search.start();
                for e in 0..ctx.experts {
                    if st.load(e) == h {
                        search.add_start(e);
                    }
                }
                if let Some(target) = search.run(ctx, st, NONE, safe, |y| st.load(y) + 2 <= h) {
                    search.apply(st, target);
                    moved = true;
                    break 'levels;
                }
            }
        }
        if !moved {
            return;
        }
    }
}

/// Upper bound on the work of [`improve_coverage`], in dossiers looked at by its path searches
/// (each costs E/64 word operations), so that rosters where little can be improved still finish
/// quickly. Deterministic: it counts work, not time.
const COVERAGE_BUDGET: usize = 20_000_000;

/// Gives dossiers without a covering expert one, without making the loads less even: a covering
/// expert y joins dossier d in place of expert x, and y hands one of its other dossiers along a
/// chain that ends at x (or at an expert less loaded than x). Chains never take a dossier's only
/// covering expert away.
fn improve_coverage(
    ctx: &Context,
    st: &mut State,
    search: &mut Search,
    order: &[usize],
    salt: u64,
) {
    let mut budget = COVERAGE_BUDGET;
    // (type, province, load of the expert to replace) already searched in vain since the last
    // change: the covering experts that could step in are then much the same, so searching
    // again would very likely fail again.
    let mut failed: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
    for &d in order {
        if budget == 0 {
            return;
        }
        if st.on[d].iter().any(|&e| ctx.covers(e, d)) {
            continue;
        }
        // The movable expert to replace: the most loaded, ties by the seeded order.
        let Some(&x) = st.on[d]
            .iter()
            .filter(|&&e| st.movable(d, e))
            .max_by_key(|&&e| (st.load(e), mix(salt, d, e)))
        else {
            continue;
        };
        let key = (ctx.d_type[d], ctx.d_province[d], st.load(x));
        if failed.contains(&key) {
            continue;
        }
        search.start();
        search.scans = 0;
        let mut starts = 0;
        let mut direct: Option<usize> = None;
        for (w, s) in search.scratch.iter_mut().enumerate() {
            *s = ctx.row(d)[w] & ctx.coverers_of(d)[w];
        }
        for &y in &st.on[d] {
            clear_bit(&mut search.scratch, y);
        }
        let candidates: Vec<usize> = bits(&search.scratch).collect();
        for y in candidates {
            let key = (st.load(y), mix(salt, d, y));
            if key.0 < st.load(x) && direct.is_none_or(|b| key < (st.load(b), mix(salt, d, b))) {
                direct = Some(y);
            }
            search.add_start(y);
            starts += 1;
        }
        if starts == 0 {
            continue;
        }
        if let Some(y) = direct {
            st.move_dossier(d, x, y);
            failed.clear();
            continue;
        }
        let x_load = st.load(x);
        let on_d = &st.on[d];
        let found = search.run(ctx, st, d, true, |z| {
            (on_d.contains(&z) && st.movable(d, z)) || st.load(z) < x_load
        });
        budget = budget.saturating_sub(search.scans);
        match found {
            Some(z) => {
                // The chain ends on a movable expert of d (who leaves it) or on one less loaded
                // than x (x leaves; a kept expert of d may be that one, and stays).
                let leaving = if st.on[d].contains(&z) && st.movable(d, z) {
                    z
                } else {
                    x
                };
                let y = search.apply(st, z);
                st.move_dossier(d, leaving, y);
                failed.clear();
            }
            None => {
                failed.insert(key);
            }
        }
    }
}

/// English plural of "expert".
fn experts_en(n: usize) -> String {
    if n == 1 {
        "1 expert".to_string()
    } else {
        format!("{n} experts")
    }
}

/// The suggestion of a shortfall: why the dossier lacks experts and the smallest fix.
fn suggestion(
    d: &DossierProfile,
    needed: usize,
    eligible: usize,
    excluded: &[(Exclusion, usize)],
    replacing: bool,
) -> Text {
    let or_key = |name: &str, key: &str| {
        if name.is_empty() {
            key.to_string()
        } else {
            name.to_string()
        }
    };
    let province_zh = or_key(&d.province_name.zh, &d.province_key);
    let province_en = or_key(&d.province_name.en, &d.province_key);
    let type_zh = or_key(&d.type_name.zh, &d.type_id);
    let type_en = or_key(&d.type_name.en, &d.type_id);
    let missing = needed.saturating_sub(eligible);

    let (need_zh, need_en) = if replacing {
        (
            format!("需要{needed}名替换专家"),
            format!("needs {} as a replacement", experts_en(needed)),
        )
    } else {
        (
            format!("需要{needed}名专家"),
            format!("needs {}", experts_en(needed)),
        )
    };
    let (have_zh, have_en) = if eligible == 0 {
        (
            "没有可回避合规的专家".to_string(),
            "none can review it without a conflict".to_string(),
        )
    } else {
        (
            format!("只有{eligible}名可回避合规"),
            format!("only {eligible} can review it without a conflict"),
        )
    };
    let (why_zh, why_en) = if excluded.is_empty() {
        (String::new(), String::new())
    } else {
        let (zh, en): (Vec<String>, Vec<String>) =
            excluded.iter().map(|(r, n)| r.count_phrase(*n)).unzip();
        (
            format!("（{}被排除）", zh.join("、")),
            format!(" (excluded: {})", en.join(", ")),
        )
    };
    let mut zh = format!(
        "{province_zh}·{}：{need_zh}，{have_zh}{why_zh}；最少需再邀请{missing}名非{province_zh}、具备{type_zh}专长的专家",
        d.applicant
    );
    let mut en = format!(
        "{province_en} · {}: {need_en}, {have_en}{why_en}; invite at least {missing} more {} from outside {province_en} with {type_en} expertise",
        d.applicant,
        if missing == 1 { "expert" } else { "experts" }
    );
    // Inactive experts are counted only when no other rule applies: they would be eligible.
    if let Some((_, n)) = excluded.iter().find(|(r, _)| *r == Exclusion::Inactive) {
        zh.push_str(&format!(
            "（停用专家中有{n}名无回避冲突，恢复其参评可相应少邀请）"
        ));
        en.push_str(&format!(
            " ({n} inactive with no conflict could be reactivated instead)"
        ));
    }
    Text::new(zh, en)
}

/// Assigns `per_dossier` experts to every dossier under the hard rules (see [`exclusion`]).
///
/// Kept pairs are placed first. Then dossiers are filled most-constrained first (fewest eligible
/// experts), each slot taking the eligible expert with the lowest load, a covering expert going
/// first while the dossier has none (it may run one dossier ahead of the others), ties broken by
/// a seeded hash. Chains of moves then even out the loads (max − min ≤ 1 whenever the rules allow
/// it) and, without unbalancing them, give covering experts to dossiers that lack one. Dossiers
/// with fewer eligible experts than needed get them all and a [`Shortfall`].
///
/// O(D·E) for the eligibility and greedy steps; 30,000 dossiers × 300 experts take well under a
/// second in release builds.
pub fn assign(input: &AssignmentInput) -> Plan {
    let ctx = Context::new(input);
    let n_dossiers = input.dossiers.len();
    let per = input.per_dossier;
    let salt = salt(input.seed);
    let mut st = State {
        on: vec![Vec::new(); n_dossiers],
        kept: vec![Vec::new(); n_dossiers],
        by_expert: vec![Vec::new(); ctx.experts],
    };

    let mut rejected_keeps = Vec::new();
    for (i, (code, id)) in input.keep.iter().enumerate() {
        let (Some(ds), Some(es)) = (
            ctx.dossier_by_code.get(code.as_str()),
            ctx.expert_by_id.get(id.as_str()),
        ) else {
            rejected_keeps.push(RejectedKeep {
                keep: i,
                reason: None,
            });
            continue;
        };
        let mut reason = None;
        for &d in ds {
            for &e in es {
                match ctx.rule(e, d) {
                    Some(r) => {
                        reason.get_or_insert(r);
                    }
                    None if !st.on[d].contains(&e) => {
                        st.add(d, e);
                        st.kept[d].push(e);
                    }
                    None => {}
                }
            }
        }
        if let Some(r) = reason {
            rejected_keeps.push(RejectedKeep {
                keep: i,
                reason: Some(r),
            });
        }
    }

    let mut order: Vec<usize> = (0..n_dossiers).collect();
    order.sort_by_cached_key(|&d| (ctx.eligible_count[d], mix(salt, d, NONE)));

    // One dossier's candidates (load, covers its type, tie-break, expert), made once per
    // dossier: loads only change for the experts taken, who leave the list. Keys are packed
    // into one integer so that the scan for the smallest stays a tight loop.
    let mut candidates: Vec<(usize, bool, u64, usize)> = Vec::with_capacity(ctx.experts);
    let mut keys: Vec<u128> = Vec::with_capacity(ctx.experts);
    let pack = |(load, covers, tie, _): &(usize, bool, u64, usize), covered: bool| {
        // A covering expert goes one dossier ahead while the dossier has none.
        let level = (*load + usize::from(!*covers || covered)) as u128;
        (level << 65) | (u128::from(!*covers) << 64) | u128::from(*tie)
    };
    for &d in &order {
        let need = per.saturating_sub(st.on[d].len());
        if need == 0 {
            continue;
        }
        let mut covered = st.on[d].iter().any(|&e| ctx.covers(e, d));
        let coverers = ctx.coverers_of(d);
        candidates.clear();
        candidates.extend(
            bits(ctx.row(d))
                .filter(|e| !st.on[d].contains(e))
                .map(|e| (st.load(e), has_bit(coverers, e), mix(salt, d, e), e)),
        );
        keys.clear();
        keys.extend(candidates.iter().map(|c| pack(c, covered)));
        for _ in 0..need {
            let mut best: Option<(u128, usize)> = None;
            for (i, &k) in keys.iter().enumerate() {
                if best.is_none_or(|(b, _)| k < b) {
                    best = Some((k, i));
                }
            }
            let Some((_, i)) = best else {
                break;
            };
            keys.swap_remove(i);
            let (_, covers, _, e) = candidates.swap_remove(i);
            st.add(d, e);
            if covers && !covered {
                covered = true;
                keys.clear();
                keys.extend(candidates.iter().map(|c| pack(c, covered)));
            }
        }
    }

    let mut search = Search::new(&ctx);
    balance(&ctx, &mut st, &mut search);
    improve_coverage(&ctx, &mut st, &mut search, &order, salt);

    let shortfalls = (0..n_dossiers)
        .filter(|&d| ctx.eligible_count[d] < per)
        .map(|d| {
            let excluded = ctx.excluded(d);
            Shortfall {
                dossier: d,
                needed: per,
                eligible: ctx.eligible_count[d],
                suggestion: suggestion(
                    &input.dossiers[d],
                    per,
                    ctx.eligible_count[d],
                    &excluded,
                    false,
                ),
                excluded,
            }
        })
        .collect();
    let uncovered_types = (0..n_dossiers)
        .filter(|&d| !st.on[d].iter().any(|&e| ctx.covers(e, d)))
        .collect();
    let load = st.by_expert.iter().map(Vec::len).collect();
    let pairs = st
        .on
        .into_iter()
        .enumerate()
        .map(|(d, mut es)| {
            es.sort_unstable();
            (d, es)
        })
        .collect();
    Plan {
        pairs,
        load,
        shortfalls,
        uncovered_types,
        rejected_keeps,
    }
}

/// One expert to take `leaving_expert`'s place on `dossier` (indices into the input): eligible
/// under the hard rules, not already on the dossier in `plan`, and not the leaving expert.
/// Prefers experts whose expertise covers the dossier's type, then the lowest load in `plan`,
/// then a seeded hash. When nobody qualifies, the [`Shortfall`] says why (needed 1).
pub fn replacement(
    input: &AssignmentInput,
    plan: &Plan,
    dossier: usize,
    leaving_expert: usize,
) -> Result<usize, Shortfall> {
    let Some(d) = input.dossiers.get(dossier) else {
        return Err(Shortfall {
            dossier,
            needed: 1,
            eligible: 0,
            excluded: Vec::new(),
            suggestion: Text::new(
                format!("没有序号为{dossier}的申报书"),
                format!("there is no dossier number {dossier}"),
            ),
        });
    };
    let on: &[usize] = plan
        .pairs
        .iter()
        .find(|(i, _)| *i == dossier)
        .map_or(&[], |(_, es)| es.as_slice());
    let recused: BTreeSet<&str> = input
        .recusals
        .iter()
        .filter(|(code, _)| *code == d.code)
        .map(|(_, id)| id.as_str())
        .collect();
    let applicant = normalise_name(&d.applicant);
    let salt = salt(input.seed);
    let mut counts = [0usize; Exclusion::ALL.len()];
    let mut best: Option<((bool, usize, u64), usize)> = None;
    for (i, e) in input.experts.iter().enumerate() {
        if i == leaving_expert || on.contains(&i) {
            continue;
        }
        match PreparedExpert::new(e).exclusion(d, &applicant, recused.contains(e.id.as_str())) {
            Some(r) => counts[r as usize] += 1,
            None => {
                let covers = e.expertise.contains(&d.type_id);
                let load = plan.load.get(i).copied().unwrap_or(0);
                let key = (!covers, load, mix(salt, dossier, i));
                if best.as_ref().is_none_or(|(k, _)| key < *k) {
                    best = Some((key, i));
                }
            }
        }
    }
    match best {
        Some((_, i)) => Ok(i),
        None => {
            let excluded = nonzero_counts(&counts);
            Err(Shortfall {
                dossier,
                needed: 1,
                eligible: 0,
                suggestion: suggestion(d, 1, 0, &excluded, true),
                excluded,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::seq::IndexedRandom;

    const TYPES: [&str; 6] = [
        "information_service",
        "technology_application",
        "network_construction",
        "resource_integration",
        "overall_advancement",
        "other",
    ];

    fn expert(
        id: &str,
        province: Option<&str>,
        affiliation: &str,
        expertise: &[&str],
    ) -> ExpertProfile {
        ExpertProfile {
            id: id.to_string(),
            province_key: province.map(str::to_string),
            affiliation: affiliation.to_string(),
            expertise: expertise.iter().map(|t| t.to_string()).collect(),
            avoid_units: Vec::new(),
            avoid_provinces: Vec::new(),
            active: true,
        }
    }

    fn dossier(code: &str, province: &str, type_id: &str, applicant: &str) -> DossierProfile {
        DossierProfile {
            code: code.to_string(),
            province_key: province.to_string(),
            type_id: type_id.to_string(),
            applicant: applicant.to_string(),
            ..DossierProfile::default()
        }
    }

    fn input<'a>(
        experts: &'a [ExpertProfile],
        dossiers: &'a [DossierProfile],
        per_dossier: usize,
        seed: u64,
    ) -> AssignmentInput<'a> {
        AssignmentInput {
            experts,
            dossiers,
            per_dossier,
            seed,
            recusals: &[],
            keep: &[],
        }
    }

    fn recused(input: &AssignmentInput, d: usize, e: usize) -> bool {
        input
            .recusals
            .iter()
            .any(|(c, i)| *c == input.dossiers[d].code && *i == input.experts[e].id)
    }

    /// Experts that may review dossier `d`, by the public rule.
    fn eligible(input: &AssignmentInput, d: usize) -> Vec<usize> {
        (0..input.experts.len())
            .filter(|&e| {
                exclusion(&input.experts[e], &input.dossiers[d], recused(input, d, e)).is_none()
            })
            .collect()
    }

    fn hard_rules_hold(input: &AssignmentInput, plan: &Plan) -> bool {
        plan.pairs.iter().all(|(d, es)| {
            es.iter().all(|&e| {
                exclusion(
                    &input.experts[e],
                    &input.dossiers[*d],
                    recused(input, *d, e),
                )
                .is_none()
            })
        })
    }

    // ---- the hard rules ----

    #[test]
    fn same_province_is_excluded() {
        let d = dossier("D1", "330000", "overall_advancement", "德清县农业农村局");
        let e = expert("E1", Some("330000"), "浙江大学", &[]);
        assert_eq!(exclusion(&e, &d, false), Some(Exclusion::SameProvince));
        let e = expert("E2", Some("320000"), "南京农业大学", &[]);
        assert_eq!(exclusion(&e, &d, false), None);
        // An expert without a province is never from the dossier's province.
        let e = expert("E3", None, "中国农业科学院", &[]);
        assert_eq!(exclusion(&e, &d, false), None);
    }

    #[test]
    fn own_unit_matches_after_normalisation() {
        let d = dossier(
            "D1",
            "110000",
            "information_service",
            "农信通（北京）科技有限公司",
        );
        for affiliation in [
            "农信通(北京)科技有限公司",
            "农信通【北京】科技 有限公司",
            "农信通［北京］科技　有限公司",
            " 农信通 (北京) 科技有限公司 ",
        ] {
            let e = expert("E", Some("320000"), affiliation, &[]);
            assert_eq!(
                exclusion(&e, &d, false),
                Some(Exclusion::OwnUnit),
                "{affiliation}"
            );
        }
        let d = dossier("D2", "110000", "information_service", "ＡＢＣ　农业合作社");
        let e = expert("E", Some("320000"), "abc农业合作社", &[]);
        assert_eq!(exclusion(&e, &d, false), Some(Exclusion::OwnUnit));
        let e = expert("E", Some("320000"), "ABD农业合作社", &[]);
        assert_eq!(exclusion(&e, &d, false), None);
    }

    #[test]
    fn own_unit_containment_needs_six_characters() {
        let d = dossier(
            "D1",
            "330000",
            "overall_advancement",
            "浙江省德清县农业农村局",
        );
        // 德清县农业农村局: 8 characters, contained in the applicant's name.
        let e = expert("E1", Some("320000"), "德清县农业农村局", &[]);
        assert_eq!(exclusion(&e, &d, false), Some(Exclusion::OwnUnit));
        // The other way round: the applicant's name inside a longer affiliation.
        let d2 = dossier("D2", "330000", "overall_advancement", "德清县农业农村局");
        let e = expert("E2", Some("320000"), "浙江省德清县农业农村局信息中心", &[]);
        assert_eq!(exclusion(&e, &d2, false), Some(Exclusion::OwnUnit));
        // 农业农村局: 5 characters, too short to count.
        let e = expert("E3", Some("320000"), "农业农村局", &[]);
        assert_eq!(exclusion(&e, &d, false), None);
        // Exactly 6 characters counts.
        let d3 = dossier("D3", "330000", "other", "湖州市德清县农业站");
        let e = expert("E4", Some("320000"), "德清县农业站", &[]);
        assert_eq!(exclusion(&e, &d3, false), Some(Exclusion::OwnUnit));
        // Empty names never match anything.
        let e = expert("E5", Some("320000"), "", &[]);
        let d4 = dossier("D4", "330000", "other", "");
        assert_eq!(exclusion(&e, &d4, false), None);
    }

    #[test]
    fn declared_unit_matches_normalised_names() {
        let d = dossier("D1", "330000", "other", "安吉县（白茶）专业合作社");
        let mut e = expert("E1", Some("320000"), "南京农业大学", &[]);
        e.avoid_units = vec!["安吉县(白茶)专业 合作社".to_string()];
        assert_eq!(exclusion(&e, &d, false), Some(Exclusion::DeclaredUnit));
        e.avoid_units = vec!["安吉县白茶专业合作社".to_string()];
        assert_eq!(
            exclusion(&e, &d, false),
            None,
            "brackets are folded, not dropped"
        );
    }

    #[test]
    fn declared_province_recused_and_inactive() {
        let d = dossier("D1", "330000", "other", "德清县农业农村局");
        let mut e = expert("E1", Some("320000"), "南京农业大学", &[]);
        e.avoid_provinces = vec!["330000".to_string()];
        assert_eq!(exclusion(&e, &d, false), Some(Exclusion::DeclaredProvince));
        let e = expert("E2", Some("320000"), "南京农业大学", &[]);
        assert_eq!(exclusion(&e, &d, true), Some(Exclusion::Recused));
        let mut e = expert("E3", Some("320000"), "南京农业大学", &[]);
        e.active = false;
        assert_eq!(exclusion(&e, &d, false), Some(Exclusion::Inactive));
    }

    #[test]
    fn first_rule_wins_and_codes_are_stable() {
        let d = dossier("D1", "330000", "other", "德清县农业农村局");
        let mut e = expert("E1", Some("330000"), "德清县农业农村局", &[]);
        e.active = false;
        assert_eq!(exclusion(&e, &d, true), Some(Exclusion::SameProvince));
        e.province_key = None;
        assert_eq!(exclusion(&e, &d, true), Some(Exclusion::OwnUnit));
        e.affiliation = "别处".to_string();
        assert_eq!(exclusion(&e, &d, true), Some(Exclusion::Recused));
        let codes: Vec<&str> = Exclusion::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            codes,
            [
                "same_province",
                "own_unit",
                "declared_unit",
                "declared_province",
                "recused",
                "inactive"
            ]
        );
        for r in Exclusion::ALL {
            let t = r.text();
            assert!(!t.zh.is_empty() && !t.en.is_empty());
        }
        assert_eq!(
            serde_json::to_string(&Exclusion::OwnUnit).ok().as_deref(),
            Some("\"own_unit\"")
        );
    }

    // ---- assign ----

    #[test]
    fn assign_never_uses_excluded_experts() {
        let dossiers = vec![
            dossier("D1", "330000", "overall_advancement", "德清县农业农村局"),
            dossier(
                "D2",
                "320000",
                "information_service",
                "江苏省农业科学院（南京）",
            ),
        ];
        let mut experts = vec![
            expert("same", Some("330000"), "浙江大学", &["overall_advancement"]),
            expert(
                "own",
                Some("110000"),
                " 德清县 农业农村局",
                &["overall_advancement"],
            ),
            expert("declared", Some("110000"), "中国农业大学", &[]),
            expert("avoid-prov", Some("110000"), "北京农学院", &[]),
            expert("recused", Some("110000"), "农业农村部信息中心", &[]),
            expert("inactive", Some("110000"), "中国农业科学院", &[]),
            expert(
                "ok1",
                Some("440000"),
                "华南农业大学",
                &["overall_advancement"],
            ),
            expert(
                "ok2",
                Some("510000"),
                "四川农业大学",
                &["information_service"],
            ),
        ];
        experts[2].avoid_units = vec![
            "德清县农业农村局".to_string(),
            "江苏省农业科学院(南京)".to_string(),
        ];
        experts[3].avoid_provinces = vec!["330000".to_string(), "320000".to_string()];
        experts[5].active = false;
        let recusals = vec![
            ("D1".to_string(), "recused".to_string()),
            ("D2".to_string(), "recused".to_string()),
        ];
        let input = AssignmentInput {
            recusals: &recusals,
            ..input(&experts, &dossiers, 5, 7)
        };
        let plan = assign(&input);
        assert!(hard_rules_hold(&input, &plan));
        assert_eq!(plan.pairs[0], (0, vec![6, 7]));
        assert_eq!(plan.pairs[1], (1, vec![0, 1, 6, 7]));
        assert_eq!(plan.load, vec![1, 1, 0, 0, 0, 0, 2, 2]);
        assert_eq!(plan.shortfalls.len(), 2);
        assert_eq!(
            plan.shortfalls[0].excluded,
            vec![
                (Exclusion::SameProvince, 1),
                (Exclusion::OwnUnit, 1),
                (Exclusion::DeclaredUnit, 1),
                (Exclusion::DeclaredProvince, 1),
                (Exclusion::Recused, 1),
                (Exclusion::Inactive, 1),
            ]
        );
        assert!(plan.uncovered_types.is_empty());
    }

    #[test]
    fn shortfall_suggestion_counts_missing_experts() {
        let d = DossierProfile {
            province_name: Text::new("浙江省", "Zhejiang"),
            type_name: Text::new("整体推进型", "overall advancement"),
            ..dossier("D1", "330000", "overall_advancement", "德清县农业农村局")
        };
        let mut experts: Vec<ExpertProfile> = (0..12)
            .map(|i| {
                expert(
                    &format!("zj{i}"),
                    Some("330000"),
                    &format!("浙江单位{i}"),
                    &[],
                )
            })
            .collect();
        experts.push(expert("own", Some("110000"), "德清县农业农村局", &[]));
        for i in 0..3 {
            experts.push(expert(
                &format!("ok{i}"),
                Some("320000"),
                &format!("江苏单位{i}"),
                &[],
            ));
        }
        let dossiers = [d];
        let plan = assign(&input(&experts, &dossiers, 5, 1));
        assert_eq!(plan.pairs[0].1, vec![13, 14, 15]);
        let s = &plan.shortfalls[0];
        assert_eq!((s.dossier, s.needed, s.eligible), (0, 5, 3));
        assert_eq!(
            s.excluded,
            vec![(Exclusion::SameProvince, 12), (Exclusion::OwnUnit, 1)]
        );
        assert_eq!(
            s.suggestion.zh,
            "浙江省·德清县农业农村局：需要5名专家，只有3名可回避合规（本省专家12名、申报单位专家1名被排除）；\
             最少需再邀请2名非浙江省、具备整体推进型专长的专家"
        );
        assert_eq!(
            s.suggestion.en,
            "Zhejiang · 德清县农业农村局: needs 5 experts, only 3 can review it without a conflict \
             (excluded: 12 from the same province, 1 from the applicant unit); invite at least 2 \
             more experts from outside Zhejiang with overall advancement expertise"
        );
        assert_eq!(plan.uncovered_types, vec![0]);
    }

    #[test]
    fn shortfall_mentions_inactive_experts_that_could_return() {
        let d = dossier("D1", "330000", "other", "德清县农业农村局");
        let mut experts = vec![
            expert("a", Some("110000"), "甲", &[]),
            expert("b", Some("120000"), "乙", &[]),
        ];
        experts[1].active = false;
        let plan = assign(&input(&experts, &[d], 3, 1));
        let s = &plan.shortfalls[0];
        assert_eq!((s.needed, s.eligible), (3, 1));
        assert_eq!(s.excluded, vec![(Exclusion::Inactive, 1)]);
        assert!(
            s.suggestion
                .zh
                .contains("最少需再邀请2名非330000、具备other专长的专家")
        );
        assert!(s.suggestion.zh.contains("停用专家中有1名无回避冲突"));
        assert!(s.suggestion.en.contains("1 inactive with no conflict"));
    }

    #[test]
    fn same_seed_same_plan_other_seeds_differ() {
        let round = random_round(42, 40, 6, 150, Mode::General);
        let input = round.input(4, 9);
        let a = assign(&input);
        let b = assign(&input);
        assert_eq!(a, b);
        let differs = (10..20).any(|seed| assign(&round.input(4, seed)).pairs != a.pairs);
        assert!(differs, "ten other seeds all gave the same plan");
    }

    #[test]
    fn kept_pairs_stay_and_bad_keeps_are_rejected() {
        let dossiers: Vec<DossierProfile> = (0..6)
            .map(|i| dossier(&format!("D{i}"), "330000", "other", &format!("单位{i}")))
            .collect();
        let experts: Vec<ExpertProfile> = (0..6)
            .map(|i| {
                expert(
                    &format!("E{i}"),
                    Some(if i == 5 { "330000" } else { "110000" }),
                    &format!("专家单位{i}"),
                    &[],
                )
            })
            .collect();
        let keep = vec![
            ("D0".to_string(), "E0".to_string()),
            ("D0".to_string(), "E0".to_string()),
            ("D1".to_string(), "E0".to_string()),
            ("D1".to_string(), "E5".to_string()),
            ("D9".to_string(), "E1".to_string()),
            ("D2".to_string(), "E9".to_string()),
        ];
        let input = AssignmentInput {
            keep: &keep,
            ..input(&experts, &dossiers, 2, 3)
        };
        let plan = assign(&input);
        assert!(plan.pairs[0].1.contains(&0));
        assert!(plan.pairs[1].1.contains(&0));
        assert!(hard_rules_hold(&input, &plan));
        assert_eq!(
            plan.rejected_keeps,
            vec![
                RejectedKeep {
                    keep: 3,
                    reason: Some(Exclusion::SameProvince)
                },
                RejectedKeep {
                    keep: 4,
                    reason: None
                },
                RejectedKeep {
                    keep: 5,
                    reason: None
                },
            ]
        );
        // 12 slots over the 5 eligible experts: loads 2 or 3.
        let usable = &plan.load[..5];
        assert_eq!(usable.iter().sum::<usize>(), 12);
        assert!(usable.iter().max().unwrap_or(&0) - usable.iter().min().unwrap_or(&0) <= 1);
    }

    #[test]
    fn loads_are_even_on_a_dense_roster() {
        let dossiers: Vec<DossierProfile> = (0..97)
            .map(|i| {
                dossier(
                    &format!("D{i}"),
                    ["a", "b", "c"][i % 3],
                    TYPES[i % 5],
                    &format!("单位{i}"),
                )
            })
            .collect();
        let experts: Vec<ExpertProfile> = (0..23)
            .map(|i| {
                expert(
                    &format!("E{i}"),
                    Some(["a", "b", "c", "d"][i % 4]),
                    &format!("专家单位{i}"),
                    &[TYPES[i % 5]],
                )
            })
            .collect();
        let plan = assign(&input(&experts, &dossiers, 5, 11));
        let max = plan.load.iter().max().copied().unwrap_or(0);
        let min = plan.load.iter().min().copied().unwrap_or(0);
        assert!(max - min <= 1, "{:?}", plan.load);
        assert!(plan.pairs.iter().all(|(_, es)| es.len() == 5));
        assert!(
            plan.uncovered_types.is_empty(),
            "{:?}",
            plan.uncovered_types
        );
    }

    #[test]
    fn balance_follows_chains() {
        // A may only take d0 and d1; C only d1. Starting from A:{d0,d1,d2}... is impossible, so
        // start from A:{d0,d1}, B:{d2}, C:{} with B able to take d1 and C only d2: A gives d1 to
        // B only if B gives d2 to C — a chain of two moves.
        let dossiers = vec![
            dossier("d0", "p", "other", "u0"),
            dossier("d1", "p", "other", "u1"),
            dossier("d2", "p", "other", "u2"),
        ];
        let mut experts = vec![
            expert("A", Some("x"), "甲", &[]),
            expert("B", Some("y"), "乙", &[]),
            expert("C", Some("z"), "丙", &[]),
        ];
        experts[0].avoid_units = vec!["u2".to_string()];
        experts[2].avoid_units = vec!["u0".to_string(), "u1".to_string()];
        experts[1].avoid_units = vec!["u0".to_string()];
        let input = input(&experts, &dossiers, 1, 0);
        let ctx = Context::new(&input);
        let mut st = State {
            on: vec![vec![0], vec![0], vec![1]],
            kept: vec![Vec::new(); 3],
            by_expert: vec![vec![0, 1], vec![2], Vec::new()],
        };
        let mut search = Search::new(&ctx);
        balance(&ctx, &mut st, &mut search);
        assert_eq!(st.on, vec![vec![0], vec![1], vec![2]]);
        assert_eq!((st.load(0), st.load(1), st.load(2)), (1, 1, 1));
    }

    #[test]
    fn coverage_swaps_keep_loads() {
        // d0 (type X) has A, who does not cover X; C covers X but sits on d1 (type Y), which A
        // may take. Swapping gives d0 coverage and leaves both loads at 1.
        let dossiers = vec![dossier("d0", "p", "X", "u0"), dossier("d1", "p", "Y", "u1")];
        let experts = vec![
            expert("A", Some("q"), "甲", &[]),
            expert("C", Some("r"), "丙", &["X"]),
        ];
        let input = input(&experts, &dossiers, 1, 0);
        let ctx = Context::new(&input);
        let mut st = State {
            on: vec![vec![0], vec![1]],
            kept: vec![Vec::new(); 2],
            by_expert: vec![vec![0], vec![1]],
        };
        let mut search = Search::new(&ctx);
        improve_coverage(&ctx, &mut st, &mut search, &[0, 1], 0);
        assert_eq!(st.on, vec![vec![1], vec![0]]);
        // And assign finds it from scratch.
        let plan = assign(&input);
        assert_eq!(plan.pairs, vec![(0, vec![1]), (1, vec![0])]);
        assert_eq!(plan.uncovered_types, vec![1]);
    }

    #[test]
    fn covering_experts_are_preferred() {
        // 20 dossiers of each of two types, 2 slots each, 10 experts: 8 dossiers per expert.
        for (coverers, uncovered) in [(3, 0), (2, 8)] {
            let dossiers: Vec<DossierProfile> = (0..40)
                .map(|i| dossier(&format!("D{i}"), "p", TYPES[i % 2], &format!("单位{i}")))
                .collect();
            let experts: Vec<ExpertProfile> = (0..10)
                .map(|i| {
                    let expertise: &[&str] = if i < coverers {
                        &TYPES[..1]
                    } else if i < 2 * coverers {
                        &TYPES[1..2]
                    } else {
                        &[]
                    };
                    expert(
                        &format!("E{i}"),
                        Some("q"),
                        &format!("专家单位{i}"),
                        expertise,
                    )
                })
                .collect();
            let plan = assign(&input(&experts, &dossiers, 2, 5));
            assert!(plan.load.iter().all(|&l| l == 8), "{:?}", plan.load);
            // With 2 covering experts per type, their 16 slots cover at most 16 of 20 dossiers:
            // balance comes first, and no covering slot is wasted on a covered dossier.
            assert_eq!(
                plan.uncovered_types.len(),
                uncovered,
                "{:?}",
                plan.uncovered_types
            );
        }
    }

    // ---- replacement ----

    #[test]
    fn replacement_respects_rules_and_prefers_lower_load() {
        let dossiers = vec![dossier("D1", "330000", "other", "德清县农业农村局")];
        let mut experts = vec![
            expert("leaving", Some("110000"), "甲", &[]),
            expert("same", Some("330000"), "乙", &[]),
            expert("own", Some("110000"), "德清县农业农村局", &[]),
            expert("busy", Some("120000"), "丙", &[]),
            expert("free", Some("130000"), "丁", &[]),
            expert("on", Some("140000"), "戊", &[]),
            expert("recused", Some("150000"), "己", &[]),
        ];
        experts[2].active = true;
        let recusals = vec![("D1".to_string(), "recused".to_string())];
        let input = AssignmentInput {
            recusals: &recusals,
            ..input(&experts, &dossiers, 2, 0)
        };
        let plan = Plan {
            pairs: vec![(0, vec![0, 5])],
            load: vec![4, 0, 0, 6, 2, 1, 0],
            shortfalls: Vec::new(),
            uncovered_types: vec![0],
            rejected_keeps: Vec::new(),
        };
        assert_eq!(replacement(&input, &plan, 0, 0), Ok(4));
        let plan = Plan {
            load: vec![4, 0, 0, 1, 2, 1, 0],
            ..plan
        };
        assert_eq!(replacement(&input, &plan, 0, 0), Ok(3));
    }

    #[test]
    fn replacement_prefers_covering_expert() {
        let dossiers = vec![dossier(
            "D1",
            "330000",
            "overall_advancement",
            "德清县农业农村局",
        )];
        let experts = vec![
            expert("leaving", Some("110000"), "甲", &["overall_advancement"]),
            expert("idle", Some("120000"), "乙", &[]),
            expert("expert", Some("130000"), "丙", &["overall_advancement"]),
        ];
        let input = input(&experts, &dossiers, 1, 0);
        let plan = Plan {
            pairs: vec![(0, vec![0])],
            load: vec![3, 0, 9],
            shortfalls: Vec::new(),
            uncovered_types: Vec::new(),
            rejected_keeps: Vec::new(),
        };
        assert_eq!(replacement(&input, &plan, 0, 0), Ok(2));
    }

    #[test]
    fn replacement_without_candidates_is_a_shortfall() {
        let dossiers = vec![DossierProfile {
            province_name: Text::new("浙江省", "Zhejiang"),
            ..dossier("D1", "330000", "other", "德清县农业农村局")
        }];
        let experts = vec![
            expert("leaving", Some("110000"), "甲", &[]),
            expert("same", Some("330000"), "乙", &[]),
            expert("same2", Some("330000"), "丙", &[]),
        ];
        let input = input(&experts, &dossiers, 1, 0);
        let plan = assign(&input);
        let err = replacement(&input, &plan, 0, 0).err();
        let Some(s) = err else {
            panic!("expected a shortfall");
        };
        assert_eq!((s.needed, s.eligible), (1, 0));
        assert_eq!(s.excluded, vec![(Exclusion::SameProvince, 2)]);
        assert!(
            s.suggestion
                .zh
                .contains("需要1名替换专家，没有可回避合规的专家（本省专家2名被排除）")
        );
        assert!(s.suggestion.zh.contains("最少需再邀请1名非浙江省"));
        assert!(replacement(&input, &plan, 7, 0).is_err());
    }

    // ---- random rounds ----

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum Mode {
        /// Random provinces, affiliations, declared conflicts, recusals, inactive experts.
        General,
        /// As `General`, with kept pairs (some of them invalid).
        Keeps,
        /// At least 3 provinces, no conflicts but the province rule, everyone active.
        Dense,
    }

    struct Round {
        experts: Vec<ExpertProfile>,
        dossiers: Vec<DossierProfile>,
        recusals: Vec<(String, String)>,
        keep: Vec<(String, String)>,
    }

    impl Round {
        fn input(&self, per_dossier: usize, seed: u64) -> AssignmentInput<'_> {
            AssignmentInput {
                experts: &self.experts,
                dossiers: &self.dossiers,
                per_dossier,
                seed,
                recusals: &self.recusals,
                keep: &self.keep,
            }
        }
    }

    /// The same unit name as someone else might type it: full-width digits and brackets,
    /// lower-case Latin letters, stray spaces.
    fn variant(name: &str, rng: &mut ChaCha8Rng) -> String {
        let mut out: String = name
            .chars()
            .map(|c| match c {
                '(' if rng.random_bool(0.5) => '（',
                ')' if rng.random_bool(0.5) => '）',
                '0'..='9' if rng.random_bool(0.5) => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                'A'..='Z' if rng.random_bool(0.5) => c.to_ascii_lowercase(),
                c => c,
            })
            .collect();
        if rng.random_bool(0.3) {
            out.push(*[' ', '\u{3000}'].choose(rng).unwrap_or(&' '));
            out.insert(0, ' ');
        }
        out
    }

    fn random_round(
        seed: u64,
        n_experts: usize,
        n_provinces: usize,
        n_dossiers: usize,
        mode: Mode,
    ) -> Round {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n_provinces = if mode == Mode::Dense {
            n_provinces.max(3)
        } else {
            n_provinces
        };
        let provinces: Vec<String> = (0..n_provinces).map(|p| format!("P{p}")).collect();
        let pool: Vec<String> = (0..(n_dossiers * 3 / 4).max(1))
            .map(|i| format!("第{i}示范合作社(CO{i})"))
            .collect();
        let pick = |rng: &mut ChaCha8Rng, v: &[String]| v.choose(rng).cloned().unwrap_or_default();
        let dossiers: Vec<DossierProfile> = (0..n_dossiers)
            .map(|i| {
                let applicant = pick(&mut rng, &pool);
                DossierProfile {
                    code: format!("D{i}"),
                    province_key: pick(&mut rng, &provinces),
                    type_id: TYPES[rng.random_range(0..TYPES.len())].to_string(),
                    applicant: variant(&applicant, &mut rng),
                    ..DossierProfile::default()
                }
            })
            .collect();
        let experts: Vec<ExpertProfile> = (0..n_experts)
            .map(|i| {
                let expertise = TYPES
                    .iter()
                    .filter(|_| rng.random_bool(0.3))
                    .map(|t| t.to_string())
                    .collect();
                if mode == Mode::Dense {
                    return ExpertProfile {
                        id: format!("E{i}"),
                        province_key: Some(provinces[i % provinces.len()].clone()),
                        affiliation: format!("专家单位{i}研究所"),
                        expertise,
                        avoid_units: Vec::new(),
                        avoid_provinces: Vec::new(),
                        active: true,
                    };
                }
                let affiliation = match rng.random_range(0..10) {
                    0 | 1 => variant(&pick(&mut rng, &pool), &mut rng),
                    2 => format!("省农业科学院{}", pick(&mut rng, &pool)),
                    _ => format!("专家单位{i}研究所"),
                };
                ExpertProfile {
                    id: format!("E{i}"),
                    province_key: if rng.random_bool(0.1) {
                        None
                    } else {
                        Some(pick(&mut rng, &provinces))
                    },
                    affiliation,
                    expertise,
                    avoid_units: (0..rng.random_range(0..3))
                        .map(|_| {
                            let name = pick(&mut rng, &pool);
                            variant(&name, &mut rng)
                        })
                        .collect(),
                    avoid_provinces: if rng.random_bool(0.2) {
                        vec![pick(&mut rng, &provinces)]
                    } else {
                        Vec::new()
                    },
                    active: rng.random_bool(0.9),
                }
            })
            .collect();
        let mut recusals = Vec::new();
        let mut keep = Vec::new();
        if mode != Mode::Dense {
            for _ in 0..rng.random_range(0..=n_dossiers / 4 + 1) {
                recusals.push((
                    format!("D{}", rng.random_range(0..n_dossiers + 1)),
                    format!("E{}", rng.random_range(0..n_experts)),
                ));
            }
        }
        if mode == Mode::Keeps {
            for _ in 0..rng.random_range(1..=n_dossiers / 2 + 1) {
                keep.push((
                    format!("D{}", rng.random_range(0..n_dossiers + 1)),
                    format!("E{}", rng.random_range(0..n_experts + 1)),
                ));
            }
        }
        Round {
            experts,
            dossiers,
            recusals,
            keep,
        }
    }

    /// Dinic's max flow, for the balance oracle.
    struct Flow {
        adj: Vec<Vec<usize>>,
        to: Vec<usize>,
        cap: Vec<i64>,
    }

    impl Flow {
        fn new(n: usize) -> Self {
            Flow {
                adj: vec![Vec::new(); n],
                to: Vec::new(),
                cap: Vec::new(),
            }
        }

        fn edge(&mut self, u: usize, v: usize, c: i64) {
            self.adj[u].push(self.to.len());
            self.to.push(v);
            self.cap.push(c);
            self.adj[v].push(self.to.len());
            self.to.push(u);
            self.cap.push(0);
        }

        fn max_flow(&mut self, s: usize, t: usize) -> i64 {
            let mut total = 0;
            loop {
                let mut level = vec![usize::MAX; self.adj.len()];
                level[s] = 0;
                let mut queue = VecDeque::from([s]);
                while let Some(u) = queue.pop_front() {
                    for &id in &self.adj[u] {
                        let v = self.to[id];
                        if self.cap[id] > 0 && level[v] == usize::MAX {
                            level[v] = level[u] + 1;
                            queue.push_back(v);
                        }
                    }
                }
                if level[t] == usize::MAX {
                    return total;
                }
                let mut next = vec![0; self.adj.len()];
                loop {
                    let f = self.push(s, t, i64::MAX, &level, &mut next);
                    if f == 0 {
                        break;
                    }
                    total += f;
                }
            }
        }

        fn push(&mut self, u: usize, t: usize, f: i64, level: &[usize], next: &mut [usize]) -> i64 {
            if u == t {
                return f;
            }
            while next[u] < self.adj[u].len() {
                let id = self.adj[u][next[u]];
                let v = self.to[id];
                if self.cap[id] > 0 && level[v] == level[u] + 1 {
                    let got = self.push(v, t, f.min(self.cap[id]), level, next);
                    if got > 0 {
                        self.cap[id] -= got;
                        self.cap[id ^ 1] += got;
                        return got;
                    }
                }
                next[u] += 1;
            }
            0
        }
    }

    /// Whether some assignment (no keeps) gives every dossier min(per, eligible) experts and
    /// every usable expert (eligible somewhere) a load of L or L + 1, L = ⌊slots / usable⌋.
    /// Lower bounds via the usual circulation transformation.
    fn balance_feasible(input: &AssignmentInput, usable: &[usize]) -> bool {
        let lists: Vec<Vec<usize>> = (0..input.dossiers.len())
            .map(|d| eligible(input, d))
            .collect();
        let demand: Vec<usize> = lists
            .iter()
            .map(|l| l.len().min(input.per_dossier))
            .collect();
        let slots: usize = demand.iter().sum();
        if usable.is_empty() {
            return true;
        }
        let low = (slots / usable.len()) as i64;
        let (s, t, ss, tt) = (0, 1, 2, 3);
        let n_d = lists.len();
        let node_e = |e: usize| 4 + n_d + e;
        let mut flow = Flow::new(4 + n_d + input.experts.len());
        let mut excess = vec![0i64; 4 + n_d + input.experts.len()];
        for (d, l) in lists.iter().enumerate() {
            // s -> d with lower = upper = demand.
            excess[4 + d] += demand[d] as i64;
            excess[s] -= demand[d] as i64;
            for &e in l {
                flow.edge(4 + d, node_e(e), 1);
            }
        }
        for &e in usable {
            flow.edge(node_e(e), t, 1);
            excess[t] += low;
            excess[node_e(e)] -= low;
        }
        flow.edge(t, s, i64::MAX / 4);
        let mut need = 0;
        for (v, &x) in excess.iter().enumerate() {
            if x > 0 {
                flow.edge(ss, v, x);
                need += x;
            } else if x < 0 {
                flow.edge(v, tt, -x);
            }
        }
        flow.max_flow(ss, tt) == need
    }

    /// Every promise of a plan, checked against the public rule.
    fn check_plan(input: &AssignmentInput, plan: &Plan) -> Result<(), TestCaseError> {
        let n_e = input.experts.len();
        prop_assert_eq!(plan.pairs.len(), input.dossiers.len());
        prop_assert_eq!(plan.load.len(), n_e);
        let mut load = vec![0; n_e];
        let mut shortfalls = Vec::new();
        let mut uncovered = Vec::new();
        for (i, (d, es)) in plan.pairs.iter().enumerate() {
            prop_assert_eq!(i, *d);
            prop_assert!(
                es.windows(2).all(|w| w[0] < w[1]),
                "twice on one dossier: {:?}",
                es
            );
            for &e in es {
                let rule = exclusion(
                    &input.experts[e],
                    &input.dossiers[*d],
                    recused(input, *d, e),
                );
                prop_assert!(rule.is_none(), "expert {} on dossier {}: {:?}", e, d, rule);
                load[e] += 1;
            }
            let kept: BTreeSet<usize> = input
                .keep
                .iter()
                .filter(|(c, _)| *c == input.dossiers[*d].code)
                .flat_map(|(_, id)| (0..n_e).filter(move |&e| input.experts[e].id == *id))
                .filter(|&e| {
                    exclusion(
                        &input.experts[e],
                        &input.dossiers[*d],
                        recused(input, *d, e),
                    )
                    .is_none()
                })
                .collect();
            prop_assert!(
                kept.iter().all(|e| es.contains(e)),
                "kept pair dropped: d={} es={:?} kept={:?} keep={:?}",
                d,
                es,
                kept,
                input
                    .keep
                    .iter()
                    .filter(|(c, _)| *c == input.dossiers[*d].code)
                    .collect::<Vec<_>>()
            );
            let n_eligible = eligible(input, *d).len();
            prop_assert_eq!(es.len(), n_eligible.min(input.per_dossier).max(kept.len()));
            if n_eligible < input.per_dossier {
                shortfalls.push(*d);
            }
            if !es.iter().any(|&e| {
                input.experts[e]
                    .expertise
                    .contains(&input.dossiers[*d].type_id)
            }) {
                uncovered.push(*d);
            }
        }
        prop_assert_eq!(&load, &plan.load);
        prop_assert_eq!(&uncovered, &plan.uncovered_types);
        prop_assert_eq!(
            plan.shortfalls
                .iter()
                .map(|s| s.dossier)
                .collect::<Vec<_>>(),
            shortfalls
        );
        for s in &plan.shortfalls {
            let total: usize = s.excluded.iter().map(|(_, n)| n).sum();
            prop_assert_eq!(total + s.eligible, n_e);
            prop_assert_eq!(s.needed, input.per_dossier);
            let missing = format!("最少需再邀请{}名", s.needed - s.eligible);
            prop_assert!(s.suggestion.zh.contains(&missing));
        }
        for (i, (code, id)) in input.keep.iter().enumerate() {
            let ds: Vec<usize> = (0..input.dossiers.len())
                .filter(|&d| input.dossiers[d].code == *code)
                .collect();
            let es: Vec<usize> = (0..n_e).filter(|&e| input.experts[e].id == *id).collect();
            let bad = ds.is_empty()
                || es.is_empty()
                || ds.iter().any(|&d| {
                    es.iter().any(|&e| {
                        exclusion(&input.experts[e], &input.dossiers[d], recused(input, d, e))
                            .is_some()
                    })
                });
            prop_assert_eq!(bad, plan.rejected_keeps.iter().any(|r| r.keep == i));
        }
        Ok(())
    }

    /// Usable experts (eligible for some dossier), and max − min of their loads.
    fn spread(input: &AssignmentInput, plan: &Plan) -> (Vec<usize>, usize) {
        let usable: Vec<usize> = (0..input.experts.len())
            .filter(|&e| {
                (0..input.dossiers.len()).any(|d| {
                    exclusion(&input.experts[e], &input.dossiers[d], recused(input, d, e)).is_none()
                })
            })
            .collect();
        let loads: Vec<usize> = usable.iter().map(|&e| plan.load[e]).collect();
        let spread =
            loads.iter().max().copied().unwrap_or(0) - loads.iter().min().copied().unwrap_or(0);
        (usable, spread)
    }

    #[test]
    fn balance_oracle_sees_infeasible_rosters() {
        // B may only review d0: loads 5/5 over 10 dossiers cannot happen, 9/1 is the best.
        let dossiers: Vec<DossierProfile> = (0..10)
            .map(|i| dossier(&format!("d{i}"), "p", "other", &format!("u{i}")))
            .collect();
        let mut experts = vec![
            expert("A", Some("q"), "甲", &[]),
            expert("B", Some("r"), "乙", &[]),
        ];
        experts[1].avoid_units = (1..10).map(|i| format!("u{i}")).collect();
        let sparse = input(&experts, &dossiers, 1, 0);
        assert!(!balance_feasible(&sparse, &[0, 1]));
        assert_eq!(assign(&sparse).load, vec![9, 1]);
        experts[1].avoid_units.truncate(4);
        let dense = input(&experts, &dossiers, 1, 0);
        assert!(balance_feasible(&dense, &[0, 1]));
        assert_eq!(assign(&dense).load, vec![5, 5]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn random_rounds_keep_every_rule(
            gen_seed in any::<u64>(),
            seed in any::<u64>(),
            n_experts in 5usize..=60,
            n_provinces in 1usize..=8,
            n_dossiers in 1usize..=200,
            per in 1usize..=5,
            mode in prop_oneof![Just(Mode::General), Just(Mode::Keeps), Just(Mode::Dense)],
        ) {
            let round = random_round(gen_seed, n_experts, n_provinces, n_dossiers, mode);
            let input = round.input(per, seed);
            let ctx = Context::new(&input);
            for d in 0..n_dossiers {
                for e in 0..n_experts {
                    let public = exclusion(&round.experts[e], &round.dossiers[d], recused(&input, d, e));
                    prop_assert_eq!(ctx.rule(e, d), public);
                    prop_assert_eq!(has_bit(ctx.row(d), e), public.is_none());
                }
            }
            let plan = assign(&input);
            check_plan(&input, &plan)?;
            if mode != Mode::Keeps {
                let (usable, spread) = spread(&input, &plan);
                if spread > 1 {
                    prop_assert!(!balance_feasible(&input, &usable), "spread {} though balance is feasible", spread);
                }
            }
        }
    }

    #[test]
    fn dense_rounds_are_balanced() {
        // When every dossier has enough eligible experts, a dense roster must end up even
        // wherever the oracle says it can be; most such rounds can.
        let mut feasible = 0;
        let mut enough = 0;
        for i in 0..60u64 {
            let n_d = 1 + (i as usize * 37) % 200;
            let round = random_round(
                i,
                5 + (i as usize * 13) % 56,
                3 + (i as usize) % 6,
                n_d,
                Mode::Dense,
            );
            let per = 1 + (i as usize) % 5;
            let input = round.input(per, i);
            if (0..n_d).any(|d| eligible(&input, d).len() < per) {
                continue;
            }
            enough += 1;
            let plan = assign(&input);
            let (usable, spread) = spread(&input, &plan);
            if balance_feasible(&input, &usable) {
                feasible += 1;
                assert!(spread <= 1, "round {i}: spread {spread}");
            }
        }
        assert!(
            enough >= 40 && feasible * 10 >= enough * 8,
            "{feasible} of {enough}"
        );
    }

    /// A round of the national size: 30,000 dossiers, 300 experts, 5 each.
    #[test]
    #[ignore]
    fn timing_30000_by_300() {
        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let provinces: Vec<String> = (0..36).map(|p| format!("{}0000", 11 + p)).collect();
        let dossiers: Vec<DossierProfile> = (0..30_000)
            .map(|i| DossierProfile {
                code: format!("D{i:05}"),
                province_key: provinces[i % 36].clone(),
                type_id: TYPES[rng.random_range(0..TYPES.len())].to_string(),
                applicant: format!("第{i}号县（区）农业农村局"),
                ..DossierProfile::default()
            })
            .collect();
        let experts: Vec<ExpertProfile> = (0..300)
            .map(|i| ExpertProfile {
                id: format!("E{i:03}"),
                province_key: provinces.choose(&mut rng).cloned(),
                affiliation: if i % 50 == 0 {
                    format!("第{}号县(区)农业农村局", i * 97)
                } else {
                    format!("专家单位{i}研究院")
                },
                expertise: TYPES
                    .iter()
                    .filter(|_| rng.random_bool(0.3))
                    .map(|t| t.to_string())
                    .collect(),
                avoid_units: (0..rng.random_range(0..4))
                    .map(|_| format!("第{}号县(区)农业农村局", rng.random_range(0..30_000)))
                    .collect(),
                avoid_provinces: if rng.random_bool(0.05) {
                    vec![provinces[i % 36].clone()]
                } else {
                    Vec::new()
                },
                active: rng.random_bool(0.97),
            })
            .collect();
        let recusals: Vec<(String, String)> = (0..500)
            .map(|_| {
                (
                    format!("D{:05}", rng.random_range(0..30_000)),
                    format!("E{:03}", rng.random_range(0..300)),
                )
            })
            .collect();
        let input = AssignmentInput {
            experts: &experts,
            dossiers: &dossiers,
            per_dossier: 5,
            seed: 1,
            recusals: &recusals,
            keep: &[],
        };
        let start = std::time::Instant::now();
        let plan = assign(&input);
        let elapsed = start.elapsed();
        let active: Vec<usize> = (0..300)
            .filter(|&e| experts[e].active)
            .map(|e| plan.load[e])
            .collect();
        println!(
            "assign 30000 x 300 x 5: {elapsed:?}; active loads {}..{}; uncovered {}; shortfalls {}",
            active.iter().min().unwrap_or(&0),
            active.iter().max().unwrap_or(&0),
            plan.uncovered_types.len(),
            plan.shortfalls.len()
        );
        assert!(plan.pairs.iter().all(|(_, es)| es.len() == 5));
    }

    /// The national size on rosters that make the repair passes work hard: (0) one province
    /// holds half the dossiers and 40% of the experts; (1) two thirds of the dossiers are of a
    /// type only 10% of the experts cover; (2) every expert avoids about 80% of the provinces;
    /// (3) all experts come from 3 provinces.
    #[test]
    #[ignore]
    fn timing_hard_rosters() {
        for scenario in 0..4 {
            let mut rng = ChaCha8Rng::seed_from_u64(scenario);
            let provinces: Vec<String> = (0..36).map(|p| format!("{}0000", 11 + p)).collect();
            let dossiers: Vec<DossierProfile> = (0..30_000)
                .map(|i| DossierProfile {
                    code: format!("D{i:05}"),
                    province_key: if scenario == 0 && i % 2 == 0 {
                        provinces[0].clone()
                    } else {
                        provinces[i % 36].clone()
                    },
                    type_id: if scenario == 1 && i % 3 != 0 {
                        TYPES[0].to_string()
                    } else {
                        TYPES[rng.random_range(0..TYPES.len())].to_string()
                    },
                    applicant: format!("第{i}号县（区）农业农村局"),
                    ..DossierProfile::default()
                })
                .collect();
            let experts: Vec<ExpertProfile> = (0..300)
                .map(|i| ExpertProfile {
                    id: format!("E{i:03}"),
                    province_key: if scenario == 0 && i % 5 < 2 {
                        Some(provinces[0].clone())
                    } else if scenario == 3 {
                        Some(provinces[i % 3].clone())
                    } else {
                        provinces.choose(&mut rng).cloned()
                    },
                    affiliation: format!("专家单位{i}研究院"),
                    expertise: if scenario == 1 {
                        if i % 10 == 0 {
                            vec![TYPES[0].to_string()]
                        } else {
                            vec![TYPES[1 + i % 5].to_string()]
                        }
                    } else {
                        TYPES
                            .iter()
                            .filter(|_| rng.random_bool(0.3))
                            .map(|t| t.to_string())
                            .collect()
                    },
                    avoid_units: Vec::new(),
                    avoid_provinces: if scenario == 2 {
                        provinces
                            .iter()
                            .filter(|_| rng.random_bool(0.8))
                            .cloned()
                            .collect()
                    } else {
                        Vec::new()
                    },
                    active: true,
                })
                .collect();
            let input = AssignmentInput {
                experts: &experts,
                dossiers: &dossiers,
                per_dossier: 5,
                seed: 1,
                recusals: &[],
                keep: &[],
            };
            let start = std::time::Instant::now();
            let plan = assign(&input);
            println!(
                "scenario {scenario}: {:?} loads {}..{} uncovered {} shortfalls {}",
                start.elapsed(),
                plan.load.iter().min().unwrap_or(&0),
                plan.load.iter().max().unwrap_or(&0),
                plan.uncovered_types.len(),
                plan.shortfalls.len()
            );
            let max = plan.load.iter().max().copied().unwrap_or(0);
            let min = plan.load.iter().min().copied().unwrap_or(0);
            assert!(max - min <= 1, "scenario {scenario}: loads {min}..{max}");
        }
    }
}
