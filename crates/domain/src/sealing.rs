//! What must hold before a list is sealed, beyond the phase: the review is complete (or the
//! ministry accepts it incomplete with a reason), no tie that the published chain left open
//! decides who is in, and the dossiers the experts disagreed on near the cut are named.

use std::collections::BTreeSet;

use serde::Serialize;

use super::ranking::Ranking;
use super::selection::{Candidate, Constraints, PanelVerdict, Selection, select_with_panel};

/// Places above and below the cut within which flagged dossiers are listed before sealing.
pub const NEAR_CUT: usize = 10;

/// A dossier flagged for discussion (spread of expert totals at the threshold or more) near the
/// cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlaggedNearCut {
    pub code: String,
    pub rank: usize,
    /// Highest minus lowest total, points.
    pub spread: f64,
    pub selected: bool,
}

/// The rank of the last unit on the list (0 for an empty list).
pub fn cut_rank(ranking: &Ranking, selection: &Selection) -> usize {
    selection
        .selected
        .iter()
        .filter_map(|c| ranking.row(c).map(|r| r.rank))
        .max()
        .unwrap_or(0)
}

/// Flagged dossiers ranked within [`NEAR_CUT`] places of the cut, in rank order.
pub fn flagged_near_cut(ranking: &Ranking, selection: &Selection) -> Vec<FlaggedNearCut> {
    let cut = cut_rank(ranking, selection);
    let selected: BTreeSet<&str> = selection.selected.iter().map(String::as_str).collect();
    ranking
        .rows
        .iter()
        .filter(|r| r.flagged && r.rank + NEAR_CUT >= cut && r.rank <= cut + NEAR_CUT)
        .map(|r| FlaggedNearCut {
            code: r.code.clone(),
            rank: r.rank,
            spread: r.spread,
            selected: selected.contains(r.code.as_str()),
        })
        .collect()
}

/// The rank after which no order of the dossiers can change the list or the reserve
/// (`usize::MAX` when that cannot be said): the list is full at its target, every limit was
/// kept (no infeasibility), and the reserve is full; then the walk down the ranking has taken
/// its last unit by this rank and every later unit is turned away by counts that no longer
/// change, with no look at what comes after it, and the reserve is the first eligible units
/// turned away. A tie that starts after this rank cannot decide anything, so it need not be
/// tried (a round of 30,000 dossiers has hundreds of ties, nearly all far below the cut).
fn settled_after(
    candidates: &[Candidate],
    constraints: &Constraints,
    selection: &Selection,
) -> usize {
    let full = selection.infeasible.is_none()
        && selection.selected.len() == constraints.target
        && selection.reserve.len() == constraints.reserve;
    if !full {
        return usize::MAX;
    }
    let placed: BTreeSet<&str> = selection
        .selected
        .iter()
        .chain(&selection.reserve)
        .map(String::as_str)
        .collect();
    candidates
        .iter()
        .filter(|c| placed.contains(c.code.as_str()))
        .map(|c| c.rank)
        .max()
        .unwrap_or(usize::MAX)
}

/// Groups of dossiers the published tie-break chain left tied (and the ministry has not
/// ordered) whose order decides who is on the list or on the reserve: moving any one of them to
/// the head of its group changes the selection (`selection`, made under `constraints` and the
/// panel meeting's `verdicts`, each move selected the same way).
pub fn undecided_ties(
    ranking: &Ranking,
    candidates: &[Candidate],
    constraints: &Constraints,
    verdicts: &[PanelVerdict],
    selection: &Selection,
) -> Vec<Vec<String>> {
    let settled = settled_after(candidates, constraints, selection);
    // A unit the panel voted in is walked first, out of rank order: its tie is always tried.
    let voted_in = |code: &String| verdicts.iter().any(|v| v.code == *code && v.passed());
    ranking
        .ties
        .iter()
        .filter(|g| !g.decided && g.codes.len() > 1)
        .filter(|g| g.first_rank <= settled || g.codes.iter().any(voted_in))
        .filter(|g| {
            let mut ranks: Vec<usize> = candidates
                .iter()
                .filter(|c| g.codes.contains(&c.code))
                .map(|c| c.rank)
                .collect();
            ranks.sort_unstable();
            g.codes.iter().any(|first| {
                // The group's ranks given out again with `first` at the head.
                let order: Vec<&String> = std::iter::once(first)
                    .chain(g.codes.iter().filter(|c| *c != first))
                    .collect();
                let moved: Vec<Candidate> = candidates
                    .iter()
                    .map(|c| {
                        let mut c = c.clone();
                        if let Some(k) = order.iter().position(|o| **o == c.code) {
                            c.rank = ranks.get(k).copied().unwrap_or(c.rank);
                        }
                        c
                    })
                    .collect();
                let other = select_with_panel(&moved, constraints, verdicts);
                let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<String>>();
                set(&other.selected) != set(&selection.selected)
                    || set(&other.reserve) != set(&selection.reserve)
            })
        })
        .map(|g| g.codes.clone())
        .collect()
}
