//! The panel meeting (会评): which dossiers it discusses (the band) and why. A dossier is in
//! the band when its bootstrap rank interval ([`crate::review_stats`]) crosses the cut (the last
//! place on the list) or the reserve boundary, when its experts disagree by the round's
//! disagreement threshold or more (flagged for spread), or when it is tied at the cut (a tie
//! group that holds places on both sides of it). The panel's votes then go to
//! [`crate::selection::select_with_panel`].

use serde::Serialize;

use crate::Text;
use crate::ranking::Ranking;
use crate::review_stats::RankInterval;

/// Why a dossier is in the band.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BandReason {
    CrossesCut {
        low: usize,
        high: usize,
        cut: usize,
    },
    CrossesReserve {
        low: usize,
        high: usize,
        reserve_cut: usize,
    },
    Spread {
        spread: f64,
        threshold: f64,
    },
    TiedAtCut {
        with: Vec<String>,
    },
}

impl BandReason {
    pub fn text(&self) -> Text {
        match self {
            BandReason::CrossesCut { low, high, cut } => Text::new(
                format!("排名区间 {low}–{high} 跨过入选线（第 {cut} 名）"),
                format!("rank interval {low}–{high} crosses the cut (rank {cut})"),
            ),
            BandReason::CrossesReserve {
                low,
                high,
                reserve_cut,
            } => Text::new(
                format!("排名区间 {low}–{high} 跨过备选线（第 {reserve_cut} 名）"),
                format!("rank interval {low}–{high} crosses the reserve line (rank {reserve_cut})"),
            ),
            BandReason::Spread { spread, threshold } => Text::new(
                format!("专家分歧大：极差 {spread:.1} ≥ {threshold}"),
                format!("experts disagree: spread {spread:.1} ≥ {threshold}"),
            ),
            BandReason::TiedAtCut { with } => Text::new(
                format!("在入选线上与 {} 并列", with.join("、")),
                format!("tied at the cut with {}", with.join(", ")),
            ),
        }
    }
}

/// One dossier of the band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandEntry {
    pub code: String,
    pub rank: usize,
    pub reasons: Vec<BandReason>,
}

/// The band, in rank order. `cut`: rank of the last dossier on the list; `reserve_cut`: rank of
/// the last on the reserve (0: no reserve).
pub fn band(
    ranking: &Ranking,
    intervals: &[RankInterval],
    cut: usize,
    reserve_cut: usize,
) -> Vec<BandEntry> {
    let mut out = Vec::new();
    for row in &ranking.rows {
        let mut reasons = Vec::new();
        if let Some(iv) = intervals.iter().find(|i| i.code == row.code) {
            if iv.low <= cut && iv.high > cut {
                reasons.push(BandReason::CrossesCut {
                    low: iv.low,
                    high: iv.high,
                    cut,
                });
            } else if reserve_cut > cut && iv.low <= reserve_cut && iv.high > reserve_cut {
                reasons.push(BandReason::CrossesReserve {
                    low: iv.low,
                    high: iv.high,
                    reserve_cut,
                });
            }
        }
        if row.flagged {
            reasons.push(BandReason::Spread {
                spread: row.spread,
                threshold: ranking.rules.disagreement_threshold,
            });
        }
        for tie in &ranking.ties {
            let last = tie.first_rank + tie.codes.len() - 1;
            if tie.first_rank <= cut && last > cut && tie.codes.contains(&row.code) {
                reasons.push(BandReason::TiedAtCut {
                    with: tie
                        .codes
                        .iter()
                        .filter(|c| **c != row.code)
                        .cloned()
                        .collect(),
                });
            }
        }
        if !reasons.is_empty() {
            out.push(BandEntry {
                code: row.code.clone(),
                rank: row.rank,
                reasons,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ranking::{DossierScores, RankingRules, SheetTotals, rank};

    fn dossier(code: &str, totals: &[f64]) -> DossierScores {
        DossierScores {
            code: code.into(),
            province_key: "P".into(),
            type_id: "t".into(),
            sheets: totals
                .iter()
                .enumerate()
                .map(|(i, t)| SheetTotals {
                    expert_id: format!("E{i}").into(),
                    total: *t,
                    group_subtotals: vec![],
                    recommend: true,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_band_names_why_each_dossier_is_in_it() {
        let ds = [
            dossier("D1", &[95.0, 95.0, 95.0]),
            dossier("D2", &[80.0, 80.0, 80.0]),
            dossier("D3", &[80.0, 80.0, 80.0]),
            dossier("D4", &[90.0, 60.0, 75.0]),
            dossier("D5", &[40.0, 40.0, 40.0]),
        ];
        let rules = RankingRules {
            standardise: false,
            disagreement_threshold: 20.0,
            trim_from: 5,
            tie_break_groups: vec![],
            decisions: vec![],
        };
        let ranking = rank(&ds, &rules);
        // D2 and D3 tie at places 2–3; with the cut at 2 they are tied at the cut.
        let iv = |code: &str, low, high| RankInterval {
            code: code.into(),
            rank: ranking.row(code).unwrap().rank,
            low,
            high,
            crosses_cut: false,
        };
        let intervals = [
            iv("D1", 1, 1),
            iv("D2", 2, 3),
            iv("D3", 2, 3),
            iv("D4", 2, 4),
            iv("D5", 5, 5),
        ];
        let b = band(&ranking, &intervals, 2, 4);
        let codes: Vec<&str> = b.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["D2", "D3", "D4"]);
        let d4 = &b[2].reasons;
        assert!(matches!(
            d4[0],
            BandReason::CrossesCut {
                low: 2,
                high: 4,
                cut: 2
            }
        ));
        assert!(matches!(d4[1], BandReason::Spread { .. }), "spread 30 ≥ 20");
        assert!(
            b[0].reasons.iter().any(
                |r| matches!(r, BandReason::TiedAtCut { with } if with == &["D3".to_string()])
            )
        );
        assert!(b[0].reasons[0].text().zh.contains("入选线"));
    }
}
