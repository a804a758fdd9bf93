//! Ranking (排名): the experts' totals for each dossier aggregated, disagreement flagged, the
//! dossiers ordered, and a calculation sheet ([`explain`]) for any one of them.
//!
//! Totals, subtotals and trimmed means are points on the rubric's 100-point scale. The
//! standardised figure is *not* points awarded: it is a z-score placed on the points scale for
//! comparison, and it can exceed the rubric's maximum (the calculation sheet prints it as a
//! unitless 标准化值 / standardised value).
//!
//! The order is the published chain: the aggregate (higher first), the mean subtotals of the
//! rules' tie-break groups over the sheets the aggregate kept (higher first), the province's own
//! rank (lower first, none last). Dossiers that chain leaves tied are ordered by the ministry's
//! recorded [`TieDecision`]s; where none applies the tie stays *unresolved* and is reported in
//! [`Ranking::ties`] (listed by code only so that the output is deterministic; the code decides
//! nothing).
//!
//! [`rank`] is a pure function of its inputs: the same dossiers and rules give the same rows and
//! the same [`Ranking::inputs_hash`], whatever order the dossiers and sheets come in (they are
//! put in a canonical order first, so even the floating-point sums are taken in the same order).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::finding::Text;
use super::round::RoundSettings;

/// Two aggregates (points) at most this far apart are equal, and the tie-break chain decides.
pub const TIE_EPSILON: f64 = 1e-9;

/// The usual threshold (sheets) from which the highest and the lowest total are dropped: the
/// default of `trim_from_sheets` in the round settings.
pub const DEFAULT_TRIM_FROM: usize = 5;

/// The lowest threshold (sheets) that makes sense: dropping two of two sheets would leave none.
/// A lower [`RankingRules::trim_from`] counts as this.
pub const MIN_TRIM_FROM: usize = 3;

/// A standard deviation (points) below this counts as zero: the expert gave every dossier the
/// same total, so their z-scores say nothing.
const SD_FLOOR: f64 = 1e-12;

/// The names of the tie-break steps recorded in [`RankedDossier::tie_break`] besides the
/// tie-break group ids.
pub mod tie_step {
    /// The province's own rank decided (lower first, none last).
    pub const PROVINCIAL_RANK: &str = "provincial_rank";
    /// The published chain left the pair tied and a ministry [`super::TieDecision`] ordered it.
    pub const MINISTRY_DECISION: &str = "ministry_decision";
    /// The published chain left the pair tied and no decision orders it: listed by code only,
    /// awaiting the ministry's decision.
    pub const UNRESOLVED: &str = "unresolved";
    /// Equal aggregate (0): the dossier with sheets comes before the one without.
    pub const SHEETS: &str = "sheets";
    /// Neither dossier has a submitted sheet: they are not ranked on figures and are listed by
    /// code.
    pub const NO_SHEETS: &str = "no_sheets";
}

/// A rubric group id as ranking holds it: shared, since every sheet of a round names the same
/// few groups (a round of 30,000 dossiers holds 600,000 subtotals).
pub type GroupId = std::sync::Arc<str>;

/// An expert id as ranking holds it: shared, since a few hundred experts write every sheet.
pub type ExpertId = std::sync::Arc<str>;

/// One submitted score sheet, reduced to what ranking needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetTotals {
    pub expert_id: ExpertId,
    /// Total of the sheet, points (0–100).
    pub total: f64,
    /// Subtotal per rubric group id (`foundation`, `team`, …), points.
    pub group_subtotals: Vec<(GroupId, f64)>,
    /// The expert recommends the unit.
    pub recommend: bool,
}

/// One dossier with its submitted sheets.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DossierScores {
    pub code: String,
    pub province_key: String,
    /// Position of the province in the ministry's standard province order (0-based).
    pub province_order: usize,
    /// The province's own ranking of this dossier (1 = its first choice), if it gave one.
    pub provincial_rank: Option<i64>,
    pub type_id: String,
    /// Lower-case hex SHA-256 of the dossier's stored content, when the caller knows it; it
    /// enters [`Ranking::inputs_hash`] so that the fingerprint covers what the experts scored.
    pub content_sha256: Option<String>,
    pub sheets: Vec<SheetTotals>,
}

/// The ministry's recorded order for dossiers the published chain left tied (部里决定的先后).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieDecision {
    /// Dossier codes, best first.
    pub order: Vec<String>,
    /// Why the ministry ordered them so, as recorded.
    pub reason: String,
}

/// How totals are aggregated and ties broken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankingRules {
    /// Rank on the standardised figure rather than the plain trimmed mean.
    pub standardise: bool,
    /// Spread of expert totals (points) from which a dossier is flagged for discussion.
    pub disagreement_threshold: f64,
    /// From this many sheets on, one highest and one lowest total are dropped (sheets; below
    /// [`MIN_TRIM_FROM`] counts as [`MIN_TRIM_FROM`]).
    pub trim_from: usize,
    /// Rubric group ids whose mean subtotals break ties, in order (higher first).
    pub tie_break_groups: Vec<String>,
    /// The ministry's decisions for ties the published chain leaves, in the order they were
    /// recorded (an earlier decision wins over a later one that contradicts it).
    pub decisions: Vec<TieDecision>,
}

impl RankingRules {
    /// The round's rules, with the given tie-break groups (usually foundation, team, work_plan)
    /// and no ministry decisions.
    pub fn from_round(round: &RoundSettings, tie_break_groups: Vec<String>) -> Self {
        RankingRules {
            standardise: round.standardise_scores,
            disagreement_threshold: round.disagreement_threshold,
            trim_from: usize::try_from(round.trim_from_sheets).unwrap_or(usize::MAX),
            tie_break_groups,
            decisions: Vec::new(),
        }
    }

    /// The same rules with the ministry's recorded tie decisions (replacing any given before).
    pub fn with_decisions(mut self, decisions: Vec<TieDecision>) -> Self {
        self.decisions = decisions;
        self
    }

    /// The threshold actually applied, sheets: [`RankingRules::trim_from`], at least
    /// [`MIN_TRIM_FROM`].
    pub fn trim_threshold(&self) -> usize {
        self.trim_from.max(MIN_TRIM_FROM)
    }
}

/// Which end of a dossier's totals a sheet was dropped from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Extreme {
    Highest,
    Lowest,
}

impl Extreme {
    fn text(self) -> Text {
        match self {
            Extreme::Highest => Text::new("去掉最高分", "highest, dropped"),
            Extreme::Lowest => Text::new("去掉最低分", "lowest, dropped"),
        }
    }

    fn end(self) -> Text {
        match self {
            Extreme::Highest => Text::new("最高", "highest"),
            Extreme::Lowest => Text::new("最低", "lowest"),
        }
    }
}

/// One sheet as the ranking used it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetFigures {
    pub expert_id: ExpertId,
    /// Total as entered, points.
    pub total: f64,
    /// z-score of the total among all of this expert's sheets (0 when the expert has fewer than
    /// two sheets or gave every sheet the same total).
    pub z: f64,
    /// The standardised value of the total: overall mean + z × overall sd. On the points scale
    /// but not points awarded; it can exceed the rubric's maximum.
    pub standardised: f64,
    pub recommend: bool,
    /// Dropped from the plain trimmed mean, and at which end.
    pub dropped: Option<Extreme>,
    /// Dropped from the standardised trimmed mean, and at which end.
    pub dropped_standardised: Option<Extreme>,
}

/// One dossier's place in the ranking, with every figure that put it there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedDossier {
    /// 1-based position in the ranking.
    pub rank: usize,
    pub code: String,
    pub province_key: String,
    pub province_order: usize,
    pub provincial_rank: Option<i64>,
    pub type_id: String,
    /// Trimmed mean of the totals, points (plain mean below the rules' trim threshold).
    pub trimmed_mean: f64,
    /// Trimmed mean of the standardised values (unitless standardised value on the points
    /// scale, not points awarded; can exceed the rubric's maximum).
    pub standardised: f64,
    /// The figure ranked on: `standardised` or `trimmed_mean` per the rules.
    pub aggregate: f64,
    /// Highest minus lowest total, points.
    pub spread: f64,
    /// Population standard deviation of the totals, points.
    pub std_dev: f64,
    /// `spread` reached the disagreement threshold: the panel should discuss the dossier.
    pub flagged: bool,
    /// Sheets counted (0: no figures, ranked last with every figure 0).
    pub sheets: usize,
    /// Sheets that recommend the unit.
    pub recommend_votes: usize,
    /// Mean subtotal per tie-break group, in the rules' order, points, over the sheets the
    /// aggregate kept (for the standardised aggregate, those kept by the standardised trim).
    pub group_means: Vec<(GroupId, f64)>,
    /// What put this dossier before the next one when their aggregates are equal: a group id,
    /// `provincial_rank`, `ministry_decision`, `unresolved` (tied; listed by code until the
    /// ministry decides), `sheets` (a dossier with sheets before one without) or `no_sheets`
    /// (neither has sheets). See [`tie_step`].
    pub tie_break: Option<String>,
    /// The recorded reason of the ministry decision, when `tie_break` is `ministry_decision`.
    pub tie_reason: Option<String>,
    /// The sheets, ordered by expert id.
    pub figures: Vec<SheetFigures>,
}

/// A run of dossiers with sheets, of equal aggregate, that the published chain could not order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TieGroup {
    /// The dossiers, in the order displayed.
    pub codes: Vec<String>,
    /// Rank of the first of them.
    pub first_rank: usize,
    /// The ministry's decisions order every neighbouring pair of the run (its order is theirs,
    /// not the code's).
    pub decided: bool,
}

/// Why a [`TieDecision`] was not applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WhyIgnored {
    /// It names fewer than two dossiers.
    TooFewCodes,
    /// It names a dossier twice.
    RepeatedCode { code: String },
    /// It names a code that is not in the ranking.
    UnknownCode { code: String },
    /// It names a code that more than one ranked dossier carries.
    AmbiguousCode { code: String },
    /// It names a dossier the published chain did not leave tied (or one without sheets).
    NotTied { code: String },
    /// It names dossiers from two different ties: the published chain already orders them.
    DifferentTies { first: String, other: String },
    /// It puts `first` before `second`, and earlier decisions put `second` before `first`.
    ContradictsEarlier { first: String, second: String },
}

impl WhyIgnored {
    /// The reason as a sentence in each language.
    pub fn text(&self) -> Text {
        match self {
            WhyIgnored::TooFewCodes => Text::new(
                "决定至少要列出两份申报书",
                "a decision must name at least two dossiers",
            ),
            WhyIgnored::RepeatedCode { code } => Text::new(
                format!("决定重复列出申报书 {code}"),
                format!("the decision names dossier {code} twice"),
            ),
            WhyIgnored::UnknownCode { code } => Text::new(
                format!("排名中没有申报书 {code}"),
                format!("dossier {code} is not in the ranking"),
            ),
            WhyIgnored::AmbiguousCode { code } => Text::new(
                format!("排名中有多份申报书编号为 {code}"),
                format!("more than one ranked dossier has the code {code}"),
            ),
            WhyIgnored::NotTied { code } => Text::new(
                format!("申报书 {code} 没有与其他申报书并列，先后已由公布的规则决定"),
                format!("dossier {code} is not tied: the published rules already place it"),
            ),
            WhyIgnored::DifferentTies { first, other } => Text::new(
                format!("申报书 {first} 与 {other} 不在同一并列组，先后已由公布的规则决定"),
                format!(
                    "dossiers {first} and {other} are not tied with each other: the published rules already order them"
                ),
            ),
            WhyIgnored::ContradictsEarlier { first, second } => Text::new(
                format!("此前的决定已将 {second} 排在 {first} 之前"),
                format!("an earlier decision already puts {second} before {first}"),
            ),
        }
    }
}

/// A ministry decision the ranking did not apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IgnoredDecision {
    /// Its position in [`RankingRules::decisions`].
    pub index: usize,
    pub decision: TieDecision,
    pub why: WhyIgnored,
}

/// The ordered dossiers and a fingerprint of everything that produced them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub rows: Vec<RankedDossier>,
    /// Lower-case hex SHA-256 of a canonical text of all inputs and rules (see [`rank`]).
    pub inputs_hash: String,
    pub rules: RankingRules,
    /// Mean of all sheet totals in the round, points (the centre of the standardised scale).
    pub overall_mean: f64,
    /// Population standard deviation of all sheet totals, points (the unit of the standardised
    /// scale).
    pub overall_sd: f64,
    /// Every run of dossiers with sheets the published chain left tied, in rank order, decided
    /// or not.
    pub ties: Vec<TieGroup>,
    /// The decisions in the rules that were not applied, and why, in the rules' order.
    pub ignored_decisions: Vec<IgnoredDecision>,
}

impl Ranking {
    /// The row of one dossier.
    pub fn row(&self, code: &str) -> Option<&RankedDossier> {
        self.rows.iter().find(|r| r.code == code)
    }
}

/// Mean of the totals (points), dropping one highest and one lowest from `trim_from` sheets on
/// (a `trim_from` below [`MIN_TRIM_FROM`] counts as [`MIN_TRIM_FROM`]); 0 for no totals.
pub fn trimmed_mean(totals: &[f64], trim_from: usize) -> f64 {
    trim(totals, trim_from).0
}

/// The trimmed mean and, when something was dropped, the indices of the lowest and highest.
/// Among equal values the lowest dropped is the first, the highest dropped the last.
fn trim(values: &[f64], trim_from: usize) -> (f64, Option<(usize, usize)>) {
    if values.is_empty() {
        return (0.0, None);
    }
    if values.len() < trim_from.max(MIN_TRIM_FROM) {
        return (mean(values), None);
    }
    // The first of the lowest and the last of the highest (the ends of a stable sort by value),
    // found without sorting: this runs twice for every dossier.
    let (mut lo, mut hi) = (0, 0);
    for (i, v) in values.iter().enumerate() {
        if v.total_cmp(&values[lo]).is_lt() {
            lo = i;
        }
        if v.total_cmp(&values[hi]).is_ge() {
            hi = i;
        }
    }
    let kept = || {
        values
            .iter()
            .enumerate()
            .filter(move |&(i, _)| i != lo && i != hi)
            .map(|(_, v)| *v)
    };
    (mean_of(kept(), kept().count()), Some((lo, hi)))
}

fn mean(values: &[f64]) -> f64 {
    mean_of(values.iter().copied(), values.len())
}

/// The mean of the `n` values `values` yields, summed in their order; 0 for none.
fn mean_of(values: impl Iterator<Item = f64>, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        values.sum::<f64>() / n as f64
    }
}

/// Mean and population standard deviation, two-pass; `(0, 0)` for no values.
fn mean_sd(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let m = mean(values);
    let var = values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64;
    (m, var.sqrt())
}

/// One expert's totals over the whole round.
struct ExpertStats {
    n: usize,
    mean: f64,
    sd: f64,
}

impl ExpertStats {
    fn z(&self, x: f64) -> f64 {
        if self.n < 2 || self.sd < SD_FLOOR {
            0.0
        } else {
            (x - self.mean) / self.sd
        }
    }
}

fn cmp_subtotals(a: &[(GroupId, f64)], b: &[(GroupId, f64)]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = x.0.cmp(&y.0).then(x.1.total_cmp(&y.1));
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

fn cmp_sheet(a: &SheetTotals, b: &SheetTotals) -> Ordering {
    a.expert_id
        .cmp(&b.expert_id)
        .then(a.total.total_cmp(&b.total))
        .then(a.recommend.cmp(&b.recommend))
        .then_with(|| cmp_subtotals(&a.group_subtotals, &b.group_subtotals))
}

fn cmp_dossier(a: &DossierScores, b: &DossierScores) -> Ordering {
    a.code
        .cmp(&b.code)
        .then_with(|| a.province_key.cmp(&b.province_key))
        .then_with(|| a.type_id.cmp(&b.type_id))
        .then(a.province_order.cmp(&b.province_order))
        .then(a.provincial_rank.cmp(&b.provincial_rank))
        .then_with(|| a.content_sha256.cmp(&b.content_sha256))
        .then_with(|| {
            for (x, y) in a.sheets.iter().zip(&b.sheets) {
                let o = cmp_sheet(x, y);
                if o != Ordering::Equal {
                    return o;
                }
            }
            a.sheets.len().cmp(&b.sheets.len())
        })
}

/// A dossier whose sheets (by expert id) and subtotals (by group id) are already in canonical
/// order: it can be borrowed as it is.
fn is_canonical(d: &DossierScores) -> bool {
    d.sheets
        .windows(2)
        .all(|w| cmp_sheet(&w[0], &w[1]) != Ordering::Greater)
        && d.sheets.iter().all(|s| {
            s.group_subtotals
                .windows(2)
                .all(|w| w[0].0.cmp(&w[1].0).then(w[0].1.total_cmp(&w[1].1)) != Ordering::Greater)
        })
}

/// The inputs in canonical order: dossiers by code, sheets by expert id, subtotals by group id.
/// A dossier already in canonical order inside (as the store reads them) is borrowed, not
/// copied; the sorts are stable, so the result is the same either way.
fn canonical(dossiers: &[DossierScores]) -> Vec<Cow<'_, DossierScores>> {
    let mut out: Vec<Cow<'_, DossierScores>> = dossiers
        .iter()
        .map(|d| {
            if is_canonical(d) {
                Cow::Borrowed(d)
            } else {
                let mut d = d.clone();
                for s in &mut d.sheets {
                    s.group_subtotals
                        .sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
                }
                d.sheets.sort_by(cmp_sheet);
                Cow::Owned(d)
            }
        })
        .collect();
    if !out
        .windows(2)
        .all(|w| cmp_dossier(&w[0], &w[1]) != Ordering::Greater)
    {
        out.sort_by(|a, b| cmp_dossier(a, b));
    }
    out
}

/// A number for the canonical text: fixed 6 decimals, and 0 never printed as `-0`, written
/// into `t`.
///
/// Scores are given in tenths of a point, so most figures are a whole number of tenths: those
/// are written from integers (the value nearest to n/10 prints as n/10 followed by zeros, since
/// it is within far less than 5e-7 of it, below 1e8); any other value goes through `{:.6}`.
fn push_fixed(t: &mut String, v: f64) {
    if v == 0.0 {
        t.push_str("0.000000");
        return;
    }
    let tenths = (v * 10.0).round();
    if tenths.abs() < 1e9 && tenths / 10.0 == v {
        // Below 1e8 points a double is within 1e-8 of the n/10 it is nearest to; |tenths| < 1e9
        // fits an i64 and the conversion is lossless.
        #[allow(clippy::cast_possible_truncation)]
        let n = tenths as i64;
        if n < 0 {
            t.push('-');
        }
        let n = n.unsigned_abs();
        push_uint(t, n / 10);
        t.push('.');
        t.push(char::from(b'0' + (n % 10) as u8));
        t.push_str("00000");
    } else {
        let _ = write!(t, "{v:.6}");
    }
}

/// `n` in decimal, as `{}` writes it, without the formatting machinery (the inputs hash writes
/// a few hundred thousand of them).
fn push_uint(t: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        t.push(char::from(d));
    }
}

/// `s` as `{:?}` writes it: quoted, escaped. Codes, keys and ids are plain ASCII, which `{:?}`
/// writes as they are between quotes; anything else goes through `{:?}` itself.
fn push_quoted(t: &mut String, s: &str) {
    if s.bytes()
        .all(|b| (b == b' ' || b.is_ascii_graphic()) && !matches!(b, b'"' | b'\\' | b'\''))
    {
        t.push('"');
        t.push_str(s);
        t.push('"');
    } else {
        let _ = write!(t, "{s:?}");
    }
}

/// A number for the canonical text (see [`push_fixed`]).
fn fixed(v: f64) -> String {
    let mut s = String::with_capacity(12);
    push_fixed(&mut s, v);
    s
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// SHA-256 of the canonical text described at [`rank`], fed to the hash line by line (the text
/// of a whole round is never held at once).
fn hash_inputs(canon: &[Cow<'_, DossierScores>], rules: &RankingRules) -> String {
    let mut hasher = sha2::Sha256::new();
    let mut t = String::with_capacity(512);
    let _ = writeln!(t, "shifan ranking inputs v2");
    let _ = writeln!(
        t,
        "rules standardise={} disagreement_threshold={} trim_from={} tie_break_groups={:?}",
        rules.standardise,
        fixed(rules.disagreement_threshold),
        rules.trim_from,
        rules.tie_break_groups
    );
    for d in &rules.decisions {
        let _ = writeln!(t, "decision order={:?} reason={:?}", d.order, d.reason);
    }
    hasher.update(t.as_bytes());
    for d in canon {
        t.clear();
        t.push_str("dossier code=");
        push_quoted(&mut t, &d.code);
        t.push_str(" province_key=");
        push_quoted(&mut t, &d.province_key);
        t.push_str(" province_order=");
        push_uint(&mut t, d.province_order as u64);
        t.push_str(" provincial_rank=");
        match d.provincial_rank {
            Some(r) => {
                if r < 0 {
                    t.push('-');
                }
                push_uint(&mut t, r.unsigned_abs());
            }
            None => t.push('-'),
        }
        t.push_str(" type_id=");
        push_quoted(&mut t, &d.type_id);
        if let Some(sha) = &d.content_sha256 {
            t.push_str(" content_sha256=");
            push_quoted(&mut t, sha);
        }
        t.push('\n');
        for s in &d.sheets {
            t.push_str("sheet expert_id=");
            push_quoted(&mut t, &s.expert_id);
            t.push_str(" total=");
            push_fixed(&mut t, s.total);
            t.push_str(if s.recommend {
                " recommend=true groups=["
            } else {
                " recommend=false groups=["
            });
            for (i, (g, v)) in s.group_subtotals.iter().enumerate() {
                if i > 0 {
                    t.push(',');
                }
                push_quoted(&mut t, g);
                t.push(':');
                push_fixed(&mut t, *v);
            }
            t.push_str("]\n");
        }
        hasher.update(t.as_bytes());
    }
    hex(&hasher.finalize())
}

/// The figures of one dossier. Sheets whose total is not a finite number (a validated sheet never
/// has one) are left out of every figure; a non-finite subtotal counts as 0.
fn figures(
    d: &DossierScores,
    experts: &FxHashMap<&str, ExpertStats>,
    overall: (f64, f64),
    rules: &RankingRules,
    tie_groups: &[GroupId],
) -> RankedDossier {
    let sheets: Vec<&SheetTotals> = d.sheets.iter().filter(|s| s.total.is_finite()).collect();
    let totals: Vec<f64> = sheets.iter().map(|s| s.total).collect();
    let zs: Vec<f64> = sheets
        .iter()
        .map(|s| experts.get(&*s.expert_id).map_or(0.0, |e| e.z(s.total)))
        .collect();
    let std_totals: Vec<f64> = zs.iter().map(|z| overall.0 + z * overall.1).collect();
    let (trimmed, dropped) = trim(&totals, rules.trim_from);
    let (standardised, dropped_std) = trim(&std_totals, rules.trim_from);
    let mark = |dropped: Option<(usize, usize)>, i: usize| match dropped {
        Some((lo, _)) if lo == i => Some(Extreme::Lowest),
        Some((_, hi)) if hi == i => Some(Extreme::Highest),
        _ => None,
    };
    let figures = sheets
        .iter()
        .enumerate()
        .map(|(i, s)| SheetFigures {
            expert_id: s.expert_id.clone(),
            total: s.total,
            z: zs[i],
            standardised: std_totals[i],
            recommend: s.recommend,
            dropped: mark(dropped, i),
            dropped_standardised: mark(dropped_std, i),
        })
        .collect();
    let (spread, std_dev) = if totals.is_empty() {
        (0.0, 0.0)
    } else {
        let max = totals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = totals.iter().copied().fold(f64::INFINITY, f64::min);
        (max - min, mean_sd(&totals).1)
    };
    // The tie-break compares the same sheets the aggregate counted: a sheet dropped as an
    // extreme must not come back through its subtotals.
    let aggregate_dropped = if rules.standardise {
        dropped_std
    } else {
        dropped
    };
    let kept: Vec<&SheetTotals> = sheets
        .iter()
        .enumerate()
        .filter(|&(i, _)| mark(aggregate_dropped, i).is_none())
        .map(|(_, s)| *s)
        .collect();
    let group_means = tie_groups
        .iter()
        .map(|g| {
            let subs = kept.iter().map(|s| {
                s.group_subtotals
                    .iter()
                    .find(|(id, _)| id == g)
                    .map_or(0.0, |(_, v)| if v.is_finite() { *v } else { 0.0 })
            });
            (g.clone(), mean_of(subs, kept.len()))
        })
        .collect();
    RankedDossier {
        rank: 0,
        code: d.code.clone(),
        province_key: d.province_key.clone(),
        province_order: d.province_order,
        provincial_rank: d.provincial_rank,
        type_id: d.type_id.clone(),
        trimmed_mean: trimmed,
        standardised,
        aggregate: if rules.standardise {
            standardised
        } else {
            trimmed
        },
        spread,
        std_dev,
        // A hair of tolerance so that a spread of 80.3 − 60.3 still meets a threshold of 20.
        flagged: !totals.is_empty() && spread >= rules.disagreement_threshold - TIE_EPSILON,
        sheets: sheets.len(),
        recommend_votes: sheets.iter().filter(|s| s.recommend).count(),
        group_means,
        tie_break: None,
        tie_reason: None,
        figures,
    }
}

/// A step of the published tie-break chain after the aggregate.
enum Step<'g> {
    Group(&'g str),
    ProvincialRank,
}

impl Step<'_> {
    fn name(&self) -> String {
        match self {
            Step::Group(g) => (*g).to_string(),
            Step::ProvincialRank => tie_step::PROVINCIAL_RANK.to_string(),
        }
    }
}

/// A mean subtotal on a 1e-9 grid, so that the comparison is a total order with the same
/// tolerance as the aggregates (`+ 0.0` turns −0 into 0).
fn grid(v: f64) -> f64 {
    (v * 1e9).round() + 0.0
}

/// The published chain between two dossiers of equal aggregate, and the step that decided;
/// `(Equal, None)` when it leaves them tied.
fn published<'g>(
    a: &RankedDossier,
    b: &RankedDossier,
    groups: &'g [String],
) -> (Ordering, Option<Step<'g>>) {
    published_by(
        |i| chain_mean(a, i),
        |i| chain_mean(b, i),
        provincial_key(a),
        provincial_key(b),
        groups,
    )
}

/// The mean of the chain's group `i` of a dossier on its grid (0 when it has none).
fn chain_mean(d: &RankedDossier, i: usize) -> f64 {
    d.group_means.get(i).map_or(0.0, |x| grid(x.1))
}

/// The provincial rank as the chain compares it: a rank before none, then the lower first.
fn provincial_key(d: &RankedDossier) -> (bool, Option<i64>) {
    (d.provincial_rank.is_none(), d.provincial_rank)
}

/// [`published`] on the chain's values of two dossiers however they are held: the group means
/// on their grid (`ga(i)`, `gb(i)` for group `i` of `groups`), then the provincial rank keys.
fn published_by<'g>(
    ga: impl Fn(usize) -> f64,
    gb: impl Fn(usize) -> f64,
    pa: (bool, Option<i64>),
    pb: (bool, Option<i64>),
    groups: &'g [String],
) -> (Ordering, Option<Step<'g>>) {
    for (i, g) in groups.iter().enumerate() {
        let o = gb(i).total_cmp(&ga(i));
        if o != Ordering::Equal {
            return (o, Some(Step::Group(g)));
        }
    }
    match pa.cmp(&pb) {
        Ordering::Equal => (Ordering::Equal, None),
        o => (o, Some(Step::ProvincialRank)),
    }
}

/// Reorder `rows` so that row `k` is the one that was at `by[k]` (`by` a permutation), each row
/// moved along its cycle by swaps.
fn permute<T>(rows: &mut [T], by: &[usize]) {
    let mut done = vec![false; rows.len()];
    for start in 0..rows.len() {
        let mut k = start;
        while !done[k] {
            done[k] = true;
            let from = by[k];
            if from == start {
                break;
            }
            rows.swap(k, from);
            k = from;
        }
    }
}

/// The published chain, then the code: a total order that lists tied dossiers deterministically.
fn listing(a: &RankedDossier, b: &RankedDossier, groups: &[String]) -> Ordering {
    published(a, b, groups).0.then_with(|| a.code.cmp(&b.code))
}

/// The accepted decisions within one tie: edges between positions of the tie (listing order),
/// each with the index of the decision that set it.
#[derive(Default)]
struct TieGraph {
    succ: HashMap<usize, Vec<usize>>,
    edge: HashMap<(usize, usize), usize>,
}

impl TieGraph {
    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = HashSet::from([from]);
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            for &y in self.succ.get(&x).map_or(&[][..], Vec::as_slice) {
                if seen.insert(y) {
                    stack.push(y);
                }
            }
        }
        false
    }

    fn add(&mut self, from: usize, to: usize, decision: usize) {
        if let std::collections::hash_map::Entry::Vacant(e) = self.edge.entry((from, to)) {
            e.insert(decision);
            self.succ.entry(from).or_default().push(to);
        }
    }

    /// The positions in an order that respects every edge, taking the earliest listed position
    /// whenever the edges leave a choice.
    fn order(&self, n: usize) -> Vec<usize> {
        let mut indegree = vec![0usize; n];
        for &(_, to) in self.edge.keys() {
            indegree[to] += 1;
        }
        let mut ready: BTreeSet<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
        let mut out = Vec::with_capacity(n);
        while let Some(x) = ready.pop_first() {
            out.push(x);
            for &y in self.succ.get(&x).map_or(&[][..], Vec::as_slice) {
                indegree[y] -= 1;
                if indegree[y] == 0 {
                    ready.insert(y);
                }
            }
        }
        out
    }
}

/// Check one decision against the ties and the decisions accepted before it; on success, the
/// tie it orders and its codes as positions within that tie.
fn check_decision(
    d: &TieDecision,
    rows_of: &HashMap<&str, Vec<usize>>,
    tie_of: &[Option<usize>],
    spans: &[Range<usize>],
    graphs: &[TieGraph],
) -> Result<(usize, Vec<usize>), WhyIgnored> {
    if d.order.len() < 2 {
        return Err(WhyIgnored::TooFewCodes);
    }
    let mut seen = HashSet::new();
    if let Some(c) = d.order.iter().find(|c| !seen.insert(c.as_str())) {
        return Err(WhyIgnored::RepeatedCode { code: c.clone() });
    }
    let mut at = Vec::with_capacity(d.order.len());
    for code in &d.order {
        let row = match rows_of.get(code.as_str()).map(Vec::as_slice) {
            None | Some([]) => return Err(WhyIgnored::UnknownCode { code: code.clone() }),
            Some([row]) => *row,
            Some(_) => return Err(WhyIgnored::AmbiguousCode { code: code.clone() }),
        };
        match tie_of.get(row).copied().flatten() {
            Some(t) => at.push((t, row)),
            None => return Err(WhyIgnored::NotTied { code: code.clone() }),
        }
    }
    let tie = at[0].0;
    if let Some(k) = at.iter().position(|&(t, _)| t != tie) {
        return Err(WhyIgnored::DifferentTies {
            first: d.order[0].clone(),
            other: d.order[k].clone(),
        });
    }
    let pos: Vec<usize> = at.iter().map(|&(_, row)| row - spans[tie].start).collect();
    for i in 0..pos.len() {
        for j in i + 1..pos.len() {
            if graphs[tie].reaches(pos[j], pos[i]) {
                return Err(WhyIgnored::ContradictsEarlier {
                    first: d.order[i].clone(),
                    second: d.order[j].clone(),
                });
            }
        }
    }
    Ok((tie, pos))
}

/// Order the rows and number them; record each tie-break step; report the ties the published
/// chain left and the decisions not applied.
///
/// Dossiers with sheets first; aggregate descending; within a run of aggregates each at most
/// [`TIE_EPSILON`] from the previous one, the published chain ([`published`]). A stretch of such
/// a run that the published chain leaves equal is a tie, first listed by code; the accepted
/// decisions then reorder it (an order that respects every accepted decision, keeping the code
/// order wherever they leave a choice).
fn order(
    rows: &mut [RankedDossier],
    rules: &RankingRules,
) -> (Vec<TieGroup>, Vec<IgnoredDecision>) {
    let groups = &rules.tie_break_groups;
    // Sorted by position, then moved once: a row is a few hundred bytes, and a stable sort
    // of the rows themselves would move each one many times.
    // The comparison reads a compact copy of what it compares (the rows are large and read in
    // no order): dossiers with sheets first, the aggregate, then `listing` on the chain's
    // values copied out (group means on their grid, provincial rank) and the row's code.
    let k = groups.len();
    let chain: Vec<f64> = rows
        .iter()
        .flat_map(|r| (0..k).map(|i| chain_mean(r, i)))
        .collect();
    let head: Vec<(bool, f64, (bool, Option<i64>))> = rows
        .iter()
        .map(|r| (r.sheets > 0, r.aggregate, provincial_key(r)))
        .collect();
    let mut by: Vec<usize> = (0..rows.len()).collect();
    by.sort_by(|&i, &j| {
        let (a, b) = (&head[i], &head[j]);
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then_with(|| {
                published_by(|g| chain[i * k + g], |g| chain[j * k + g], a.2, b.2, groups).0
            })
            .then_with(|| rows[i].code.cmp(&rows[j].code))
    });
    permute(rows, &by);
    let same_run = |a: &RankedDossier, b: &RankedDossier| {
        (a.sheets > 0) == (b.sheets > 0) && (a.aggregate - b.aggregate).abs() <= TIE_EPSILON
    };
    let mut run = vec![0usize; rows.len()];
    for i in 1..rows.len() {
        run[i] = if same_run(&rows[i - 1], &rows[i]) {
            run[i - 1]
        } else {
            run[i - 1] + 1
        };
    }
    let mut start = 0;
    for i in 1..=rows.len() {
        if i == rows.len() || run[i] != run[start] {
            rows[start..i].sort_by(|a, b| listing(a, b, groups));
            start = i;
        }
    }

    // The ties: stretches of a run of dossiers with sheets that the published chain leaves
    // equal (equality there is exact on the grid, so such dossiers sit next to each other).
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=rows.len() {
        let tied = i < rows.len()
            && rows[i].sheets > 0
            && run[i] == run[i - 1]
            && published(&rows[i - 1], &rows[i], groups).0 == Ordering::Equal;
        if !tied {
            if i - start > 1 && rows[start].sheets > 0 {
                spans.push(start..i);
            }
            start = i;
        }
    }
    let mut tie_of: Vec<Option<usize>> = vec![None; rows.len()];
    for (t, s) in spans.iter().enumerate() {
        for slot in &mut tie_of[s.clone()] {
            *slot = Some(t);
        }
    }

    // Only a decision looks dossiers up by code (most rounds record none).
    let mut rows_of: HashMap<&str, Vec<usize>> = HashMap::new();
    if !rules.decisions.is_empty() {
        for (i, r) in rows.iter().enumerate() {
            rows_of.entry(r.code.as_str()).or_default().push(i);
        }
    }
    let mut graphs: Vec<TieGraph> = spans.iter().map(|_| TieGraph::default()).collect();
    let mut ignored = Vec::new();
    for (k, d) in rules.decisions.iter().enumerate() {
        match check_decision(d, &rows_of, &tie_of, &spans, &graphs) {
            Ok((t, pos)) => {
                for w in pos.windows(2) {
                    graphs[t].add(w[0], w[1], k);
                }
            }
            Err(why) => ignored.push(IgnoredDecision {
                index: k,
                decision: d.clone(),
                why,
            }),
        }
    }

    // Reorder each tie as decided, and note for each row the decision (if any) that put it
    // before the next one.
    let mut decided_by: Vec<Option<usize>> = vec![None; rows.len()];
    let mut ties = Vec::with_capacity(spans.len());
    for (s, g) in spans.iter().zip(&graphs) {
        let order = g.order(s.len());
        let listed: Vec<RankedDossier> = rows[s.clone()].to_vec();
        for (slot, &p) in order.iter().enumerate() {
            rows[s.start + slot] = listed[p].clone();
        }
        for (slot, w) in order.windows(2).enumerate() {
            decided_by[s.start + slot] = g.edge.get(&(w[0], w[1])).copied();
        }
        ties.push(TieGroup {
            codes: rows[s.clone()].iter().map(|r| r.code.clone()).collect(),
            first_rank: s.start + 1,
            decided: decided_by[s.start..s.end - 1].iter().all(Option::is_some),
        });
    }

    for i in 0..rows.len() {
        let (tie, reason) = match rows.get(i + 1) {
            Some(_) if tie_of[i].is_some() && tie_of[i] == tie_of[i + 1] => match decided_by[i] {
                Some(k) => (
                    Some(tie_step::MINISTRY_DECISION.to_string()),
                    rules.decisions.get(k).map(|d| d.reason.clone()),
                ),
                None => (Some(tie_step::UNRESOLVED.to_string()), None),
            },
            Some(next) if run[i] == run[i + 1] => {
                let step = published(&rows[i], next, groups).1.map(|s| s.name());
                let fallback = if rows[i].sheets == 0 {
                    tie_step::NO_SHEETS
                } else {
                    // Unreachable: dossiers with sheets left equal are in one tie.
                    tie_step::UNRESOLVED
                };
                (step.or_else(|| Some(fallback.to_string())), None)
            }
            Some(next) if (rows[i].aggregate - next.aggregate).abs() <= TIE_EPSILON => {
                (Some(tie_step::SHEETS.to_string()), None)
            }
            _ => (None, None),
        };
        rows[i].rank = i + 1;
        rows[i].tie_break = tie;
        rows[i].tie_reason = reason;
    }
    (ties, ignored)
}

/// Rank the dossiers.
///
/// For each dossier: the trimmed mean of its totals (one highest and one lowest dropped from
/// [`RankingRules::trim_threshold`] sheets on); the standardised figure (each total turned into
/// a z-score among all of its expert's sheets in the round, put on the points scale as overall
/// mean + z × overall sd of all totals, then trimmed the same way); spread and population
/// standard deviation, flagged from the disagreement threshold on.
///
/// Order (the published chain): aggregate descending, then the mean subtotals of
/// `tie_break_groups` over the sheets the aggregate kept (higher first), then the provincial rank
/// (lower first, none last). Dossiers without sheets come last, with every figure 0.
///
/// Dossiers with sheets that the chain leaves equal form a [`TieGroup`]. The ministry's
/// decisions are taken in the order of [`RankingRules::decisions`]; one is applied when
/// - it names at least two dossiers, none twice, each code carried by exactly one ranked dossier;
/// - every dossier it names is in the same tie (naming a dossier outside any tie, or dossiers of
///   two ties, conflicts with the published chain);
/// - it does not contradict an earlier applied decision (put a pair in the opposite order,
///   directly or through other decisions).
///
/// Otherwise it is listed in [`Ranking::ignored_decisions`] and orders nothing. Within a tie an
/// applied decision puts each dossier it names before the ones it names after it
/// (`tie_break = "ministry_decision"`); where no decision orders a neighbouring pair, the pair is
/// listed by code and marked `unresolved`; the tie is `decided` when no pair is.
///
/// [`Ranking::inputs_hash`] is the SHA-256 of this UTF-8 text, one item per line, strings in
/// Rust debug form (quoted, escaped, so no value can break a line or pass for another), numbers
/// with 6 decimals:
/// ```text
/// shifan ranking inputs v2
/// rules standardise=B disagreement_threshold=X trim_from=N tie_break_groups=["g", …]
/// decision order=["code", …] reason="…"            (one per decision, in the rules' order)
/// dossier code="…" province_key="…" province_order=N provincial_rank=N|- type_id="…"[ content_sha256="…"]
/// sheet expert_id="…" total=X recommend=B groups=["g":X,…]   (the dossier's sheets)
/// ```
/// Dossiers come in canonical order (by code, then every other field), sheets by expert id,
/// subtotals by group id; ` content_sha256=…` is present only when known. `trim_from` is written
/// as given, before [`MIN_TRIM_FROM`] is applied.
pub fn rank(dossiers: &[DossierScores], rules: &RankingRules) -> Ranking {
    let canon = canonical(dossiers);
    // The inputs hash reads the same inputs as the figures and changes none of them: on a
    // second core it costs the ranking nothing (a tenth of its time at 30,000 dossiers). The
    // same hash inline where no thread can be had.
    let (inputs_hash, (rows, overall, ties, ignored_decisions)) = std::thread::scope(|s| {
        let hashing = std::thread::Builder::new()
            .name("shifan-inputs-hash".into())
            .spawn_scoped(s, || hash_inputs(&canon, rules));
        let ranked = rank_rows(&canon, rules);
        let hash = match hashing {
            Ok(h) => h
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => hash_inputs(&canon, rules),
        };
        (hash, ranked)
    });
    Ranking {
        rows,
        inputs_hash,
        rules: rules.clone(),
        overall_mean: overall.0,
        overall_sd: overall.1,
        ties,
        ignored_decisions,
    }
}

/// The figures and order of the canonical dossiers: rows, (overall mean, sd), ties and
/// ignored decisions.
type RankedRows = (
    Vec<RankedDossier>,
    (f64, f64),
    Vec<TieGroup>,
    Vec<IgnoredDecision>,
);

fn rank_rows(canon: &[Cow<'_, DossierScores>], rules: &RankingRules) -> RankedRows {
    let usable = || {
        canon
            .iter()
            .flat_map(|d| d.sheets.iter())
            .filter(|s| s.total.is_finite())
    };
    let all: Vec<f64> = usable().map(|s| s.total).collect();
    let overall = mean_sd(&all);

    // Looked up twice per sheet: a fast hash (the keys are the round's own expert ids).
    let mut per_expert: FxHashMap<&str, Vec<f64>> = FxHashMap::default();
    for s in usable() {
        per_expert.entry(&*s.expert_id).or_default().push(s.total);
    }
    let experts: FxHashMap<&str, ExpertStats> = per_expert
        .into_iter()
        .map(|(id, totals)| {
            let (mean, sd) = mean_sd(&totals);
            let n = totals.len();
            (id, ExpertStats { n, mean, sd })
        })
        .collect();

    let tie_groups: Vec<GroupId> = rules
        .tie_break_groups
        .iter()
        .map(|g| GroupId::from(g.as_str()))
        .collect();
    let mut rows: Vec<RankedDossier> = canon
        .iter()
        .map(|d| figures(d, &experts, overall, rules, &tie_groups))
        .collect();
    let (ties, ignored_decisions) = order(&mut rows, rules);
    (rows, overall, ties, ignored_decisions)
}

/// One sheet on a calculation sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainedSheet {
    /// The expert id, or 专家A / Expert A … (by sorted expert id) when anonymised.
    pub label: Text,
    /// Total, points.
    pub total: f64,
    /// Standardised value of the total (on the points scale, not points awarded).
    pub standardised: f64,
    pub recommend: bool,
    pub dropped: Option<Extreme>,
    pub dropped_standardised: Option<Extreme>,
    /// Counted in the aggregate and in the tie-break means (not dropped by the trim of the
    /// figure ranked on).
    pub counted: bool,
}

/// How one dossier's place came about: the calculation sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub code: String,
    pub rank: usize,
    /// Dossiers ranked in all.
    pub of: usize,
    pub sheets: Vec<ExplainedSheet>,
    /// Points.
    pub trimmed_mean: f64,
    /// Standardised value (on the points scale, not points awarded; can exceed the rubric's
    /// maximum).
    pub standardised: f64,
    /// The figure ranked on: points when `standardise` is false, a standardised value otherwise.
    pub aggregate: f64,
    /// The aggregate is the standardised figure.
    pub standardise: bool,
    /// Mean and population sd of all totals in the round, points.
    pub overall_mean: f64,
    pub overall_sd: f64,
    /// Points.
    pub spread: f64,
    /// Points.
    pub std_dev: f64,
    /// Points.
    pub threshold: f64,
    pub flagged: bool,
    pub recommend_votes: usize,
    /// The tie-break step against the next dossier, and that dossier's code.
    pub tie_break: Option<(String, String)>,
    pub inputs_hash: String,
    /// From this many sheets on the highest and the lowest are dropped (the rules' threshold as
    /// applied), sheets.
    pub trim_from: usize,
    /// Mean subtotal per tie-break group over the counted sheets, points.
    pub group_means: Vec<(String, f64)>,
    /// The reason recorded with the ministry decision, when `tie_break` is `ministry_decision`.
    pub tie_reason: Option<String>,
}

fn expert_label(i: usize, id: &str, anonymise: bool) -> Text {
    if !anonymise {
        return Text::new(id, id);
    }
    let letter = u8::try_from(i)
        .ok()
        .filter(|&i| i < 26)
        .map_or_else(|| (i + 1).to_string(), |i| char::from(b'A' + i).to_string());
    Text::new(format!("专家{letter}"), format!("Expert {letter}"))
}

/// The calculation sheet of one dossier; `None` for a code not in the ranking. With `anonymise`
/// the experts are labelled 专家A / Expert A … in the order of their sorted ids.
pub fn explain(ranking: &Ranking, code: &str, anonymise: bool) -> Option<Explanation> {
    let i = ranking.rows.iter().position(|r| r.code == code)?;
    let r = &ranking.rows[i];
    let tie_break = r
        .tie_break
        .clone()
        .zip(ranking.rows.get(i + 1).map(|n| n.code.clone()));
    let standardise = ranking.rules.standardise;
    Some(Explanation {
        code: r.code.clone(),
        rank: r.rank,
        of: ranking.rows.len(),
        sheets: r
            .figures
            .iter()
            .enumerate()
            .map(|(k, f)| ExplainedSheet {
                label: expert_label(k, &f.expert_id, anonymise),
                total: f.total,
                standardised: f.standardised,
                recommend: f.recommend,
                dropped: f.dropped,
                dropped_standardised: f.dropped_standardised,
                counted: if standardise {
                    f.dropped_standardised.is_none()
                } else {
                    f.dropped.is_none()
                },
            })
            .collect(),
        trimmed_mean: r.trimmed_mean,
        standardised: r.standardised,
        aggregate: r.aggregate,
        standardise,
        overall_mean: ranking.overall_mean,
        overall_sd: ranking.overall_sd,
        spread: r.spread,
        std_dev: r.std_dev,
        threshold: ranking.rules.disagreement_threshold,
        flagged: r.flagged,
        recommend_votes: r.recommend_votes,
        tie_break,
        inputs_hash: ranking.inputs_hash.clone(),
        trim_from: ranking.rules.trim_threshold(),
        group_means: r
            .group_means
            .iter()
            .map(|(g, m)| (g.to_string(), *m))
            .collect(),
        tie_reason: r.tie_reason.clone(),
    })
}

fn step_text(step: &str) -> Text {
    match step {
        tie_step::PROVINCIAL_RANK => Text::new("省级推荐排序", "the provincial rank"),
        tie_step::SHEETS => Text::new("有无评分表", "having score sheets"),
        g => Text::new(
            format!("「{g}」小计平均分"),
            format!("the mean \"{g}\" subtotal"),
        ),
    }
}

/// Recorded text for a line of its own: control characters (a newline, ESC …) become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Explanation {
    /// The calculation sheet as lines of text, in `zh` or `en` (anything else is Chinese).
    /// Totals, subtotals and trimmed means are printed as points (分); standardised figures as a
    /// unitless 标准化值 / standardised value, since they are not points awarded and can exceed
    /// the rubric's maximum.
    pub fn lines(&self, lang: &str) -> Vec<String> {
        let en = lang == "en";
        let pick = |t: Text| t.get(lang).to_string();
        let mut out = Vec::new();
        out.push(pick(Text::new(
            format!("计算单：申报书 {}", self.code),
            format!("Calculation sheet: dossier {}", self.code),
        )));
        out.push(pick(Text::new(
            format!("排名：第{}名（共{}份）", self.rank, self.of),
            format!("Rank: {} of {}", self.rank, self.of),
        )));
        if self.sheets.is_empty() {
            out.push(pick(Text::new(
                "尚无提交的评分表，排在最后",
                "No submitted score sheets: ranked last",
            )));
        } else {
            out.push(pick(Text::new(
                "专家评分（原始为分；标准化值不是得分，无单位）：",
                "Expert totals (raw in points; standardised values are not points):",
            )));
        }
        for s in &self.sheets {
            let mark = |d: Option<Extreme>| {
                d.map_or_else(String::new, |e| {
                    if en {
                        format!(" [{}]", e.text().en)
                    } else {
                        format!("〔{}〕", e.text().zh)
                    }
                })
            };
            out.push(pick(Text::new(
                format!(
                    "  {}：原始 {:.2} 分{}；标准化值 {:.2}{}；{}",
                    s.label.zh,
                    s.total,
                    mark(s.dropped),
                    s.standardised,
                    mark(s.dropped_standardised),
                    if s.recommend { "推荐" } else { "不推荐" }
                ),
                format!(
                    "  {}: raw {:.2} points{}; standardised value {:.2}{}; {}",
                    s.label.en,
                    s.total,
                    mark(s.dropped),
                    s.standardised,
                    mark(s.dropped_standardised),
                    if s.recommend {
                        "recommends"
                    } else {
                        "does not recommend"
                    }
                ),
            )));
        }
        if !self.sheets.is_empty() {
            self.figure_lines(&pick, &mut out);
        }
        out.push(pick(self.tie_text()));
        out.push(pick(Text::new(
            format!("输入指纹（SHA-256）：{}", self.inputs_hash),
            format!("Inputs fingerprint (SHA-256): {}", self.inputs_hash),
        )));
        out
    }

    /// The lines from the means to the votes (only for a dossier with sheets).
    fn figure_lines(&self, pick: &dyn Fn(Text) -> String, out: &mut Vec<String>) {
        let n = self.trim_from;
        out.push(pick(if self.sheets.len() >= n {
            Text::new(
                format!(
                    "去掉最高分和最低分后平均（{n}份起去掉）：{:.2} 分",
                    self.trimmed_mean
                ),
                format!(
                    "Trimmed mean (highest and lowest dropped from {n} sheets on): {:.2} points",
                    self.trimmed_mean
                ),
            )
        } else {
            Text::new(
                format!(
                    "平均（不足{n}份，不去掉最高分和最低分）：{:.2} 分",
                    self.trimmed_mean
                ),
                format!(
                    "Mean (fewer than {n} sheets, nothing dropped): {:.2} points",
                    self.trimmed_mean
                ),
            )
        }));
        out.push(pick(Text::new(
            format!(
                "标准化平均：标准化值 {:.2}（不是得分：每份总分先换算为该专家全部评分中的 z 值，再按 全体平均 {:.2} 分 + z × 全体标准差 {:.2} 分 放到百分制刻度上比较，可高于满分）",
                self.standardised, self.overall_mean, self.overall_sd
            ),
            format!(
                "Standardised mean: standardised value {:.2} (not points awarded: each total as a z-score among its expert's totals, placed on the points scale as overall mean {:.2} points + z × overall sd {:.2} points for comparison; it can exceed the rubric's maximum)",
                self.standardised, self.overall_mean, self.overall_sd
            ),
        )));
        out.push(pick(if self.standardise {
            Text::new(
                format!("排名依据：标准化平均，标准化值 {:.2}", self.aggregate),
                format!(
                    "Ranked on: standardised mean, standardised value {:.2}",
                    self.aggregate
                ),
            )
        } else {
            Text::new(
                format!(
                    "排名依据：去掉最高分和最低分后平均 {:.2} 分",
                    self.aggregate
                ),
                format!("Ranked on: trimmed mean, {:.2} points", self.aggregate),
            )
        }));
        out.push(pick(self.counted_text()));
        if !self.group_means.is_empty() {
            let zh: Vec<String> = self
                .group_means
                .iter()
                .map(|(g, v)| format!("「{g}」{v:.2} 分"))
                .collect();
            let en: Vec<String> = self
                .group_means
                .iter()
                .map(|(g, v)| format!("\"{g}\" {v:.2} points"))
                .collect();
            out.push(pick(Text::new(
                format!(
                    "并列时比较的小计平均（计入排名的评分表）：{}",
                    zh.join("；")
                ),
                format!(
                    "Mean subtotals compared in a tie (sheets counted in the ranking): {}",
                    en.join("; ")
                ),
            )));
        }
        out.push(pick(Text::new(
            format!(
                "分差（最高−最低）：{:.2} 分；标准差：{:.2} 分；阈值 {:.2} 分：{}",
                self.spread,
                self.std_dev,
                self.threshold,
                if self.flagged {
                    "已标记，提交专家组讨论"
                } else {
                    "未标记"
                }
            ),
            format!(
                "Spread (highest − lowest): {:.2} points; standard deviation: {:.2} points; threshold {:.2} points: {}",
                self.spread,
                self.std_dev,
                self.threshold,
                if self.flagged {
                    "flagged for panel discussion"
                } else {
                    "not flagged"
                }
            ),
        )));
        out.push(pick(Text::new(
            format!("推荐票：{}/{}", self.recommend_votes, self.sheets.len()),
            format!(
                "Recommended by: {} of {}",
                self.recommend_votes,
                self.sheets.len()
            ),
        )));
    }

    /// Which sheets the figure ranked on counted, and which it dropped.
    fn counted_text(&self) -> Text {
        let dropped_of = |s: &ExplainedSheet| {
            if self.standardise {
                s.dropped_standardised
            } else {
                s.dropped
            }
        };
        let kept: Vec<&ExplainedSheet> = self.sheets.iter().filter(|s| s.counted).collect();
        let dropped: Vec<(&ExplainedSheet, Extreme)> = self
            .sheets
            .iter()
            .filter_map(|s| dropped_of(s).map(|e| (s, e)))
            .collect();
        if dropped.is_empty() {
            return Text::new(
                format!("计入排名的评分表：全部{}份（未去掉）", self.sheets.len()),
                format!(
                    "Sheets counted in the ranking: all {} (none dropped)",
                    self.sheets.len()
                ),
            );
        }
        let kept_zh: Vec<&str> = kept.iter().map(|s| s.label.zh.as_str()).collect();
        let kept_en: Vec<&str> = kept.iter().map(|s| s.label.en.as_str()).collect();
        let dropped_zh: Vec<String> = dropped
            .iter()
            .map(|(s, e)| format!("{}（{}）", s.label.zh, e.end().zh))
            .collect();
        let dropped_en: Vec<String> = dropped
            .iter()
            .map(|(s, e)| format!("{} ({})", s.label.en, e.end().en))
            .collect();
        Text::new(
            format!(
                "计入排名的评分表：{}；去掉：{}",
                kept_zh.join("、"),
                dropped_zh.join("、")
            ),
            format!(
                "Sheets counted in the ranking: {}; dropped: {}",
                kept_en.join(", "),
                dropped_en.join(", ")
            ),
        )
    }

    /// The tie-break against the next dossier.
    fn tie_text(&self) -> Text {
        match &self.tie_break {
            Some((step, next)) if step == tie_step::UNRESOLVED => Text::new(
                format!("与下一名并列，尚待部里决定先后（下一名：{next}；暂按编号列出）"),
                format!(
                    "Tied with the next dossier: awaiting the ministry's decision (next: {next}; listed by code meanwhile)"
                ),
            ),
            Some((step, next)) if step == tie_step::MINISTRY_DECISION => {
                let reason = one_line(self.tie_reason.as_deref().unwrap_or(""));
                Text::new(
                    format!("与下一名 {next} 并列，由部里决定先后。理由：{reason}"),
                    format!(
                        "Tied with the next dossier {next}: ordered by the ministry's decision. Reason: {reason}"
                    ),
                )
            }
            Some((step, next)) if step == tie_step::NO_SHEETS => Text::new(
                format!("与下一名 {next} 均无评分表，按编号列出"),
                format!(
                    "Neither this nor the next dossier {next} has score sheets: listed by code"
                ),
            ),
            Some((step, next)) => {
                let s = step_text(step);
                let (zh, en) = if self.standardise {
                    ("排名分数（标准化值）相同", "Equal standardised value")
                } else {
                    ("排名分数相同", "Equal aggregate")
                };
                Text::new(
                    format!("与下一名 {next} {zh}，由{}决定先后", s.zh),
                    format!("{en} with the next dossier {next}: ordered by {}", s.en),
                )
            }
            None => Text::new("与下一名无并列", "No tie with the next dossier"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sheet(expert: &str, total: f64) -> SheetTotals {
        SheetTotals {
            expert_id: expert.into(),
            total,
            group_subtotals: Vec::new(),
            recommend: true,
        }
    }

    fn dossier(code: &str, sheets: Vec<SheetTotals>) -> DossierScores {
        DossierScores {
            code: code.into(),
            province_key: "330000".into(),
            province_order: 10,
            provincial_rank: None,
            type_id: "information_service".into(),
            content_sha256: None,
            sheets,
        }
    }

    fn rules(standardise: bool) -> RankingRules {
        RankingRules {
            standardise,
            disagreement_threshold: 20.0,
            trim_from: DEFAULT_TRIM_FROM,
            tie_break_groups: vec!["foundation".into(), "team".into(), "work_plan".into()],
            decisions: Vec::new(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn codes(r: &Ranking) -> Vec<&str> {
        r.rows.iter().map(|r| r.code.as_str()).collect()
    }

    /// Five sheets 81, 92, 72, 84, 60: drop 92 (highest) and 60 (lowest);
    /// (81 + 72 + 84) / 3 = 237 / 3 = 79 (the plain mean would be 389 / 5 = 77.8).
    #[test]
    fn trimmed_mean_of_five_sheets_drops_one_highest_and_one_lowest() {
        assert!(close(
            trimmed_mean(&[81.0, 92.0, 72.0, 84.0, 60.0], 5),
            79.0
        ));
        let d = dossier(
            "D1",
            vec![
                sheet("e1", 81.0),
                sheet("e2", 92.0),
                sheet("e3", 72.0),
                sheet("e4", 84.0),
                sheet("e5", 60.0),
            ],
        );
        let r = rank(&[d], &rules(false));
        let row = &r.rows[0];
        assert!(close(row.trimmed_mean, 79.0));
        assert!(close(row.aggregate, 79.0));
        let dropped: Vec<_> = row.figures.iter().map(|f| f.dropped).collect();
        assert_eq!(
            dropped,
            vec![
                None,
                Some(Extreme::Highest),
                None,
                None,
                Some(Extreme::Lowest)
            ]
        );
        // Equal extremes: exactly one of each end is dropped. 80, 80, 70, 90, 90:
        // drop one 70 and one 90 → (80 + 80 + 90) / 3 = 83.333…
        assert!(close(
            trimmed_mean(&[80.0, 80.0, 70.0, 90.0, 90.0], 5),
            250.0 / 3.0
        ));
    }

    /// Three sheets 70, 80, 96: nothing dropped; (70 + 80 + 96) / 3 = 246 / 3 = 82.
    #[test]
    fn trimmed_mean_of_three_sheets_is_the_plain_mean() {
        assert!(close(trimmed_mean(&[70.0, 80.0, 96.0], 5), 82.0));
        assert!(close(trimmed_mean(&[], 5), 0.0));
        let r = rank(
            &[dossier(
                "D1",
                vec![sheet("e1", 70.0), sheet("e2", 80.0), sheet("e3", 96.0)],
            )],
            &rules(false),
        );
        assert!(close(r.rows[0].trimmed_mean, 82.0));
        assert!(r.rows[0].figures.iter().all(|f| f.dropped.is_none()));
    }

    /// Harsh expert H scored D1 = 66 and D2 = 54: mean 60, sd √((36 + 36) / 2) = 6, so z = +1, −1.
    /// Lenient expert L scored D3 = 82 and D4 = 70: mean 76, sd 6, so z = +1, −1.
    /// All four totals: mean (66 + 54 + 82 + 70) / 4 = 68; deviations −2, −14, 14, 2;
    /// squares 4 + 196 + 196 + 4 = 400; sd √(400 / 4) = 10.
    /// Standardised: z = +1 → 68 + 10 = 78; z = −1 → 68 − 10 = 58.
    /// Raw order D3 82, D4 70, D1 66, D2 54 (H's best is below L's worst); standardised, H's best
    /// (D1) ties L's best (D3) at 78. Nothing in the published chain tells them apart (no
    /// subtotals, no provincial rank), so both pairs are unresolved ties, listed by code only:
    /// D1, D3, D2, D4, with ties [D1, D3] from rank 1 and [D2, D4] from rank 3, undecided.
    #[test]
    fn standardisation_puts_a_harsh_experts_best_level_with_a_lenient_experts_best() {
        let ds = vec![
            dossier("D1", vec![sheet("H", 66.0)]),
            dossier("D2", vec![sheet("H", 54.0)]),
            dossier("D3", vec![sheet("L", 82.0)]),
            dossier("D4", vec![sheet("L", 70.0)]),
        ];
        let plain = rank(&ds, &rules(false));
        assert_eq!(codes(&plain), vec!["D3", "D4", "D1", "D2"]);
        assert!(close(plain.overall_mean, 68.0));
        assert!(close(plain.overall_sd, 10.0));

        let std = rank(&ds, &rules(true));
        assert_eq!(codes(&std), vec!["D1", "D3", "D2", "D4"]);
        let fig = |code: &str| {
            let r = std.row(code).unwrap();
            (r.figures[0].z, r.standardised, r.trimmed_mean, r.aggregate)
        };
        assert_eq!(fig("D1"), (1.0, 78.0, 66.0, 78.0));
        assert_eq!(fig("D3"), (1.0, 78.0, 82.0, 78.0));
        assert_eq!(fig("D2"), (-1.0, 58.0, 54.0, 58.0));
        assert_eq!(fig("D4"), (-1.0, 58.0, 70.0, 58.0));
        assert_eq!(std.rows[0].tie_break.as_deref(), Some("unresolved"));
        assert_eq!(std.rows[1].tie_break, None);
        assert_eq!(std.rows[2].tie_break.as_deref(), Some("unresolved"));
        let ties: Vec<_> = std
            .ties
            .iter()
            .map(|t| (t.codes.clone(), t.first_rank, t.decided))
            .collect();
        assert_eq!(
            ties,
            vec![
                (vec!["D1".to_string(), "D3".to_string()], 1, false),
                (vec!["D2".to_string(), "D4".to_string()], 3, false),
            ]
        );
        // Plain: 82, 70, 66, 54, no ties.
        assert!(plain.ties.is_empty());
        // Both figures are always there, whichever is ranked on.
        assert!(close(plain.row("D1").unwrap().standardised, 78.0));
    }

    /// An expert with a single sheet, or the same total everywhere, gets z = 0, i.e. the overall
    /// mean. One dossier, five experts with one sheet each (81, 92, 72, 84, 60): every
    /// standardised total is the overall mean 389 / 5 = 77.8, and so is the standardised figure.
    #[test]
    fn an_expert_with_one_sheet_or_no_spread_standardises_to_the_overall_mean() {
        let d = dossier(
            "D1",
            vec![
                sheet("e1", 81.0),
                sheet("e2", 92.0),
                sheet("e3", 72.0),
                sheet("e4", 84.0),
                sheet("e5", 60.0),
            ],
        );
        let r = rank(&[d], &rules(true));
        assert!(r.rows[0].figures.iter().all(|f| f.z == 0.0));
        assert!(close(r.rows[0].standardised, 77.8));
        // Same total on two dossiers: sd 0, z = 0 → both at the overall mean 75.
        let r = rank(
            &[
                dossier("A", vec![sheet("x", 75.0)]),
                dossier("B", vec![sheet("x", 75.0)]),
            ],
            &rules(true),
        );
        assert!(r.rows.iter().all(|r| close(r.standardised, 75.0)));
    }

    /// Totals 70 and 90: spread 20 = threshold → flagged; population sd √((100 + 100) / 2) = 10.
    /// Totals 70 and 89.5: spread 19.5 < 20 → not flagged. Also 80.3 − 60.3 (not exactly 20 in
    /// floating point) meets the threshold.
    #[test]
    fn disagreement_is_flagged_from_the_threshold_on() {
        let r = rank(
            &[
                dossier("A", vec![sheet("e1", 70.0), sheet("e2", 90.0)]),
                dossier("B", vec![sheet("e1", 70.0), sheet("e2", 89.5)]),
                dossier("C", vec![sheet("e1", 60.3), sheet("e2", 80.3)]),
            ],
            &rules(false),
        );
        let a = r.row("A").unwrap();
        assert!(close(a.spread, 20.0) && close(a.std_dev, 10.0) && a.flagged);
        let b = r.row("B").unwrap();
        assert!(close(b.spread, 19.5) && !b.flagged);
        assert!(r.row("C").unwrap().flagged);
    }

    fn with_groups(mut d: DossierScores, groups: &[(&str, f64)]) -> DossierScores {
        for s in &mut d.sheets {
            s.group_subtotals = groups
                .iter()
                .map(|(g, v)| (GroupId::from(*g), *v))
                .collect();
        }
        d
    }

    /// All at 80. Z1 has foundation 30 against A1's 28 → Z1 first although its code is later.
    /// B1 and C1 have equal foundation (28) but team 20 vs 18 → C1 (team 20) before B1.
    /// A1 vs C1: foundation 28 = 28, team 18 < 20 → C1 before A1; A1 vs B1 equal in every
    /// group: an unresolved tie, listed by code. Order: Z1 (foundation over C1), C1 (team over A1),
    /// A1 (unresolved with B1), B1; the only tie is [A1, B1] from rank 3.
    #[test]
    fn a_group_subtotal_breaks_a_tie() {
        let d = |code: &str, f: f64, t: f64| {
            with_groups(
                dossier(code, vec![sheet("e1", 80.0)]),
                &[("foundation", f), ("team", t), ("work_plan", 80.0 - f - t)],
            )
        };
        let r = rank(
            &[
                d("A1", 28.0, 18.0),
                d("Z1", 30.0, 18.0),
                d("C1", 28.0, 20.0),
                d("B1", 28.0, 18.0),
            ],
            &rules(false),
        );
        assert_eq!(codes(&r), vec!["Z1", "C1", "A1", "B1"]);
        let ties: Vec<_> = r.rows.iter().map(|r| r.tie_break.as_deref()).collect();
        assert_eq!(
            ties,
            vec![Some("foundation"), Some("team"), Some("unresolved"), None]
        );
        assert_eq!(
            r.ties,
            vec![TieGroup {
                codes: vec!["A1".into(), "B1".into()],
                first_rank: 3,
                decided: false,
            }]
        );
    }

    /// Equal aggregates and subtotals: provincial rank 1 before 2 before none, codes aside.
    #[test]
    fn the_provincial_rank_breaks_a_tie_and_a_missing_rank_comes_last() {
        let d = |code: &str, pr: Option<i64>| DossierScores {
            provincial_rank: pr,
            ..dossier(code, vec![sheet("e1", 80.0)])
        };
        let r = rank(
            &[d("A", None), d("B", Some(2)), d("C", Some(1))],
            &rules(false),
        );
        assert_eq!(codes(&r), vec!["C", "B", "A"]);
        let ties: Vec<_> = r.rows.iter().map(|r| r.tie_break.as_deref()).collect();
        assert_eq!(
            ties,
            vec![Some("provincial_rank"), Some("provincial_rank"), None]
        );
    }

    /// Everything equal but the code: an unresolved tie, listed by ascending code (the code
    /// decides nothing). A different aggregate records no step. An aggregate within 1e-9 counts
    /// as equal: 80 + 1e-12 still ties with 80.
    #[test]
    fn an_equal_published_chain_is_an_unresolved_tie_listed_by_code() {
        let r = rank(
            &[
                dossier("D2", vec![sheet("e1", 80.0)]),
                dossier("D1", vec![sheet("e1", 80.0 + 1e-12)]),
                dossier("D3", vec![sheet("e1", 79.5)]),
            ],
            &rules(false),
        );
        assert_eq!(codes(&r), vec!["D1", "D2", "D3"]);
        let ties: Vec<_> = r.rows.iter().map(|r| r.tie_break.as_deref()).collect();
        assert_eq!(ties, vec![Some("unresolved"), None, None]);
        assert_eq!(r.ties.len(), 1);
        assert_eq!(r.ties[0].codes, vec!["D1", "D2"]);
        assert_eq!(
            r.rows.iter().map(|r| r.rank).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn a_dossier_without_sheets_is_ranked_last_with_zero_figures() {
        let r = rank(
            &[
                dossier("A", vec![]),
                dossier("B", vec![sheet("e1", 0.0)]),
                dossier("C", vec![sheet("e1", f64::NAN)]),
            ],
            &rules(true),
        );
        assert_eq!(codes(&r), vec!["B", "A", "C"]);
        for row in &r.rows[1..] {
            assert_eq!(row.sheets, 0);
            assert_eq!(
                (row.aggregate, row.trimmed_mean, row.standardised),
                (0.0, 0.0, 0.0)
            );
            assert!(!row.flagged);
        }
        // B scored 0 ties on aggregate with the sheetless A, and having a sheet decides.
        assert_eq!(r.rows[0].tie_break.as_deref(), Some("sheets"));
        // The two without sheets are listed by code; they are not a tie for the ministry.
        assert_eq!(r.rows[1].tie_break.as_deref(), Some("no_sheets"));
        assert!(r.ties.is_empty());
        assert!(r.rows.iter().all(|r| !r.aggregate.is_nan()));
    }

    fn sample() -> Vec<DossierScores> {
        vec![
            with_groups(
                dossier("D1", vec![sheet("e2", 81.0), sheet("e1", 77.5)]),
                &[("team", 20.0), ("foundation", 30.0)],
            ),
            DossierScores {
                provincial_rank: Some(3),
                ..dossier("D2", vec![sheet("e1", 64.0), sheet("e3", 70.0)])
            },
            dossier("D3", vec![sheet("e3", 90.0), sheet("e2", 58.5)]),
        ]
    }

    #[test]
    fn the_inputs_hash_ignores_order_and_sees_every_change() {
        let base = rank(&sample(), &rules(true));
        assert_eq!(base.inputs_hash.len(), 64);
        assert!(base.inputs_hash.chars().all(|c| c.is_ascii_hexdigit()));

        let mut shuffled = sample();
        shuffled.reverse();
        for d in &mut shuffled {
            d.sheets.reverse();
            for s in &mut d.sheets {
                s.group_subtotals.reverse();
            }
        }
        let again = rank(&shuffled, &rules(true));
        assert_eq!(again.inputs_hash, base.inputs_hash);
        assert_eq!(again.rows, base.rows);

        let mut changed = sample();
        changed[2].sheets[1].total = 59.0;
        assert_ne!(rank(&changed, &rules(true)).inputs_hash, base.inputs_hash);
        let mut changed = sample();
        changed[0].sheets[0].group_subtotals[0].1 = 20.5;
        assert_ne!(rank(&changed, &rules(true)).inputs_hash, base.inputs_hash);
        let mut changed = sample();
        changed[1].sheets[0].recommend = false;
        assert_ne!(rank(&changed, &rules(true)).inputs_hash, base.inputs_hash);
        assert_ne!(rank(&sample(), &rules(false)).inputs_hash, base.inputs_hash);
    }

    /// Experts e9, e1, e5, e3, e7 gave 60, 81, 72, 92, 84. Sorted by id: e1 81 (A), e3 92 (B),
    /// e5 72 (C), e7 84 (D), e9 60 (E). B is dropped as highest, E as lowest;
    /// mean (81 + 72 + 84) / 3 = 79; spread 92 − 60 = 32 ≥ 20 → flagged; 5 of 5 recommend.
    /// A second dossier D0 has one sheet of 61 from e0. Every expert has one sheet, so every z is 0
    /// and every standardised total is the overall mean (389 + 61) / 6 = 75; among equal
    /// standardised totals the first (A) is dropped as lowest and the last (E) as highest.
    #[test]
    fn explain_anonymises_the_experts_and_shows_the_calculation() {
        let d = dossier(
            "D1",
            vec![
                sheet("e9", 60.0),
                sheet("e1", 81.0),
                sheet("e5", 72.0),
                sheet("e3", 92.0),
                sheet("e7", 84.0),
            ],
        );
        let r = rank(&[d, dossier("D0", vec![sheet("e0", 61.0)])], &rules(false));
        assert!(explain(&r, "nope", true).is_none());
        let x = explain(&r, "D1", true).unwrap();
        let labels: Vec<&str> = x.sheets.iter().map(|s| s.label.zh.as_str()).collect();
        assert_eq!(labels, vec!["专家A", "专家B", "专家C", "专家D", "专家E"]);
        assert_eq!(x.sheets[1].label.en, "Expert B");
        let totals: Vec<f64> = x.sheets.iter().map(|s| s.total).collect();
        assert_eq!(totals, vec![81.0, 92.0, 72.0, 84.0, 60.0]);
        assert_eq!(x.sheets[1].dropped, Some(Extreme::Highest));
        assert_eq!(x.sheets[4].dropped, Some(Extreme::Lowest));
        assert!(close(x.trimmed_mean, 79.0) && close(x.spread, 32.0) && x.flagged);
        assert_eq!((x.rank, x.of, x.recommend_votes), (1, 2, 5));

        let zh = x.lines("zh");
        let en = x.lines("en");
        for lines in [&zh, &en] {
            // The last line is the hex fingerprint, which may well contain "e1".
            let body = &lines[..lines.len() - 1];
            assert!(body.iter().all(|l| !l.contains("e1") && !l.contains("e9")));
        }
        assert!(
            zh.contains(&"  专家B：原始 92.00 分〔去掉最高分〕；标准化值 75.00；推荐".to_string())
        );
        assert!(
            zh.contains(&"  专家A：原始 81.00 分；标准化值 75.00〔去掉最低分〕；推荐".to_string())
        );
        assert!(zh.contains(&"去掉最高分和最低分后平均（5份起去掉）：79.00 分".to_string()));
        assert!(
            zh.contains(
                &"计入排名的评分表：专家A、专家C、专家D；去掉：专家B（最高）、专家E（最低）"
                    .to_string()
            )
        );
        assert!(en.contains(
            &"Sheets counted in the ranking: Expert A, Expert C, Expert D; dropped: Expert B (highest), Expert E (lowest)"
                .to_string()
        ));
        let counted: Vec<bool> = x.sheets.iter().map(|s| s.counted).collect();
        assert_eq!(counted, vec![true, false, true, true, false]);
        assert_eq!(x.trim_from, 5);
        assert!(
            zh.iter()
                .any(|l| l.starts_with("分差（最高−最低）：32.00 分")
                    && l.ends_with("已标记，提交专家组讨论"))
        );
        assert!(en.contains(
            &"Trimmed mean (highest and lowest dropped from 5 sheets on): 79.00 points".to_string()
        ));
        assert!(
            en.iter()
                .any(|l| l.starts_with("  Expert E: raw 60.00 points [lowest, dropped]"))
        );
        assert_eq!(en[1], "Rank: 1 of 2");

        let named = explain(&r, "D1", false).unwrap();
        assert_eq!(named.sheets[0].label.en, "e1");
    }

    fn arb_dossiers() -> impl Strategy<Value = Vec<DossierScores>> {
        let sheet = (0..6usize, 0..201u32, 0..61u32, any::<bool>()).prop_map(|(e, t, f, rec)| {
            SheetTotals {
                expert_id: format!("e{e}").into(),
                total: f64::from(t) * 0.5,
                group_subtotals: vec![("foundation".into(), f64::from(f) * 0.5)],
                recommend: rec,
            }
        });
        prop::collection::vec(
            (
                prop::collection::vec(sheet, 0..7),
                prop::option::of(1..4i64),
            ),
            0..25,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (sheets, pr))| DossierScores {
                    provincial_rank: pr,
                    ..dossier(&format!("D{i:02}"), sheets)
                })
                .collect()
        })
    }

    /// The canonical text and hash as they were written before the streaming hash (one text for
    /// the whole round, every number through `{:.6}`): the reference the hash must still equal.
    fn reference_hash(dossiers: &[DossierScores], rules: &RankingRules) -> String {
        let old = |v: f64| {
            if v == 0.0 {
                "0.000000".to_string()
            } else {
                format!("{v:.6}")
            }
        };
        let mut canon = dossiers.to_vec();
        for d in &mut canon {
            for s in &mut d.sheets {
                s.group_subtotals
                    .sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
            }
            d.sheets.sort_by(cmp_sheet);
        }
        canon.sort_by(cmp_dossier);
        let mut t = String::new();
        let _ = writeln!(t, "shifan ranking inputs v2");
        let _ = writeln!(
            t,
            "rules standardise={} disagreement_threshold={} trim_from={} tie_break_groups={:?}",
            rules.standardise,
            old(rules.disagreement_threshold),
            rules.trim_from,
            rules.tie_break_groups
        );
        for d in &rules.decisions {
            let _ = writeln!(t, "decision order={:?} reason={:?}", d.order, d.reason);
        }
        for d in &canon {
            let rank = d
                .provincial_rank
                .map_or_else(|| "-".to_string(), |r| r.to_string());
            let _ = write!(
                t,
                "dossier code={:?} province_key={:?} province_order={} provincial_rank={} type_id={:?}",
                d.code, d.province_key, d.province_order, rank, d.type_id
            );
            if let Some(sha) = &d.content_sha256 {
                let _ = write!(t, " content_sha256={sha:?}");
            }
            t.push('\n');
            for s in &d.sheets {
                let groups: Vec<String> = s
                    .group_subtotals
                    .iter()
                    .map(|(g, v)| format!("{g:?}:{}", old(*v)))
                    .collect();
                let _ = writeln!(
                    t,
                    "sheet expert_id={:?} total={} recommend={} groups=[{}]",
                    s.expert_id,
                    old(s.total),
                    s.recommend,
                    groups.join(",")
                );
            }
        }
        hex(&sha2::Sha256::digest(t.as_bytes()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The integer path of the canonical text's numbers writes exactly what `{:.6}` writes.
        #[test]
        fn fixed_matches_the_formatter(
            tenths in -2_000_000i64..2_000_000,
            sums in proptest::collection::vec(0i64..101, 0..12),
            any in proptest::num::f64::NORMAL,
        ) {
            let old = |v: f64| if v == 0.0 { "0.000000".to_string() } else { format!("{v:.6}") };
            #[allow(clippy::cast_precision_loss)]
            let v = tenths as f64 / 10.0;
            prop_assert_eq!(fixed(v), old(v));
            // Sums of tenths as a sheet adds them up (not always a whole number of tenths).
            #[allow(clippy::cast_precision_loss)]
            let sum: f64 = sums.iter().map(|&p| p as f64 * 0.1).sum();
            prop_assert_eq!(fixed(sum), old(sum));
            prop_assert_eq!(fixed(any), old(any));
            prop_assert_eq!(fixed(-0.0), old(-0.0));
        }

        /// The trim without a sort drops the same two sheets and gives the same bits as the
        /// stable sort it replaced (ties included: points come in halves).
        #[test]
        fn trim_matches_the_sorting_trim(
            halves in proptest::collection::vec(0u32..41, 0..10),
            trim_from in 0usize..8,
        ) {
            let values: Vec<f64> = halves.iter().map(|&h| f64::from(h) * 0.5 + 0.1).collect();
            let old = |values: &[f64]| -> (f64, Option<(usize, usize)>) {
                if values.is_empty() {
                    return (0.0, None);
                }
                if values.len() < trim_from.max(MIN_TRIM_FROM) {
                    return (mean(values), None);
                }
                let mut idx: Vec<usize> = (0..values.len()).collect();
                idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
                let (lo, hi) = (idx[0], idx[idx.len() - 1]);
                let kept: Vec<f64> = values
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != lo && i != hi)
                    .map(|(_, v)| *v)
                    .collect();
                (mean(&kept), Some((lo, hi)))
            };
            let (m, ends) = trim(&values, trim_from);
            let (m_old, ends_old) = old(&values);
            prop_assert_eq!(m.to_bits(), m_old.to_bits());
            prop_assert_eq!(ends, ends_old);
        }

        /// Moving rows along a permutation's cycles puts each where the permutation says.
        #[test]
        fn permute_moves_each_row_to_its_place(
            by in (0usize..60).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle()),
        ) {
            let before: Vec<usize> = (0..by.len()).map(|i| i * 10).collect();
            let mut rows = before.clone();
            permute(&mut rows, &by);
            let wanted: Vec<usize> = by.iter().map(|&i| before[i]).collect();
            prop_assert_eq!(rows, wanted);
        }

        /// The canonical text's strings and integers are written exactly as `{:?}` and `{}`
        /// write them, for any string (quotes, backslashes, controls, CJK) and any integer.
        #[test]
        fn quoted_and_uint_match_the_formatter(
            text in "\\PC*",
            ascii in "[ -~]{0,40}",
            n in any::<u64>(),
        ) {
            for s in [&text, &ascii] {
                let mut t = String::new();
                push_quoted(&mut t, s);
                prop_assert_eq!(t, format!("{s:?}"));
            }
            let mut t = String::new();
            push_uint(&mut t, n);
            prop_assert_eq!(t, n.to_string());
        }

        #[test]
        fn ranking_is_ordered_finite_and_independent_of_input_order(
            ds in arb_dossiers(),
            standardise in any::<bool>(),
        ) {
            let r = rank(&ds, &rules(standardise));
            prop_assert_eq!(r.rows.len(), ds.len());
            for (i, row) in r.rows.iter().enumerate() {
                prop_assert_eq!(row.rank, i + 1);
                prop_assert!(row.aggregate.is_finite() && row.standardised.is_finite());
                prop_assert!(row.trimmed_mean.is_finite() && row.std_dev.is_finite());
            }
            for w in r.rows.windows(2) {
                prop_assert!(w[0].sheets > 0 || w[1].sheets == 0);
                if w[0].sheets > 0 && w[1].sheets > 0 {
                    prop_assert!(w[0].aggregate >= w[1].aggregate - TIE_EPSILON);
                }
            }
            let mut shuffled = ds.clone();
            shuffled.reverse();
            for d in &mut shuffled {
                d.sheets.reverse();
            }
            prop_assert_eq!(&rank(&shuffled, &rules(standardise)), &r);
            prop_assert_eq!(&r.inputs_hash, &reference_hash(&ds, &rules(standardise)));
            prop_assert_eq!(&r.inputs_hash, &reference_hash(&shuffled, &rules(standardise)));
            // The foundation mean is over the sheets the aggregate kept, and only those.
            for d in canonical(&ds) {
                let row = r.row(&d.code).unwrap();
                let usable: Vec<&SheetTotals> =
                    d.sheets.iter().filter(|s| s.total.is_finite()).collect();
                let kept: Vec<f64> = usable
                    .iter()
                    .zip(&row.figures)
                    .filter(|(_, f)| {
                        if standardise { f.dropped_standardised } else { f.dropped }.is_none()
                    })
                    .map(|(s, _)| s.group_subtotals[0].1)
                    .collect();
                let dropped = if row.sheets >= DEFAULT_TRIM_FROM { 2 } else { 0 };
                prop_assert_eq!(kept.len(), row.sheets - dropped);
                prop_assert!((row.group_means[0].1 - mean(&kept)).abs() < 1e-9);
            }
        }
    }

    /// 30,000 dossiers × 5 sheets from 300 experts (500 sheets each).
    #[test]
    #[ignore = "timing smoke: cargo test --release --lib ranking -- --ignored --nocapture"]
    fn timing_smoke_30000_dossiers() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let ds: Vec<DossierScores> = (0..30_000usize)
            .map(|i| DossierScores {
                code: format!("D{i:05}"),
                province_key: format!("P{:02}", i % 32),
                province_order: i % 32,
                provincial_rank: Some((i % 10) as i64 + 1),
                type_id: format!("T{}", i % 6),
                content_sha256: None,
                sheets: (0..5)
                    .map(|k| {
                        let f = (next() % 61) as f64 * 0.5;
                        let t = (next() % 41) as f64 * 0.5;
                        let w = (next() % 61) as f64 * 0.5;
                        SheetTotals {
                            expert_id: format!("E{:03}", (i * 5 + k) % 300).into(),
                            total: f + t + w,
                            group_subtotals: vec![
                                ("foundation".into(), f),
                                ("team".into(), t),
                                ("work_plan".into(), w),
                            ],
                            recommend: next() % 3 != 0,
                        }
                    })
                    .collect(),
            })
            .collect();
        let start = std::time::Instant::now();
        let r = rank(&ds, &rules(true));
        let took = start.elapsed();
        println!("ranked {} dossiers × 5 sheets in {took:?}", r.rows.len());
        assert_eq!(r.rows.len(), 30_000);
        assert!(
            r.rows
                .windows(2)
                .all(|w| w[0].aggregate >= w[1].aggregate - TIE_EPSILON)
        );
    }
}
