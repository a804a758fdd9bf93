//! What the selection tab lists, line by line: the sealed lists (with each unit's outcome in
//! publicity), the live list with the reserve and the units near the cut, and a what-if's
//! comparison with the base list.

use crate::domain::Text;
use crate::domain::phase::Phase as RoundPhase;
use crate::domain::publicity::Outcome;
use crate::store::{RankedRound, SelectedRound};
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::text::clean;

use super::selection::{NEAR_CUT, SealedLists, SelectionTab};
use super::what_if;

/// One line of the tab's list.
pub(super) enum Item {
    Header(String),
    Row(Vec<String>),
    Note(String),
}

/// The cells of one ranked unit: rank, code, province, type, score, applicant.
fn unit_cells(env: &Env, round: &RankedRound, code: &str) -> Vec<String> {
    let crit = &env.criteria;
    let r = round.ranking.row(code);
    vec![
        r.map_or_else(String::new, |r| r.rank.to_string()),
        clean(code),
        r.map_or_else(String::new, |r| {
            labels::province(crit, &r.province_key, env.lang)
        }),
        r.map_or_else(String::new, |r| {
            labels::demo_type(crit, &r.type_id, env.lang)
        }),
        r.map_or_else(String::new, |r| format!("{:.2}", r.aggregate)),
        round
            .applicants
            .get(code)
            .map_or_else(String::new, |a| clean(a)),
    ]
}

/// A unit's outcome as the sealed view's column shows it (short in English).
fn outcome_label(env: &Env, o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::Selected) => env.t("入选", "selected"),
        Some(Outcome::RemovedUpheld) => env.t("异议成立撤销", "removed (upheld)"),
        Some(Outcome::Promoted) => env.t("递补", "promoted"),
        Some(Outcome::Reserve) => env.t("备选", "reserve"),
        None => env.t("未入选", "not selected"),
    }
}

/// A sealed view's row: the unit's cells with its outcome before the applicant.
fn sealed_row(env: &Env, s: &SealedLists, code: &str) -> Item {
    let mut cells = unit_cells(env, &s.ranking, code);
    let applicant = cells.pop().unwrap_or_default();
    cells.push(outcome_label(env, s.publicity.outcome(code)).to_string());
    cells.push(applicant);
    Item::Row(cells)
}

/// The sealed list, then (in publicity and once confirmed) each removed unit in its place
/// followed by the unit promoted into it, then the reserve units not promoted.
pub(super) fn sealed_items(s: &SealedLists, env: &Env) -> Vec<Item> {
    let p = &s.publicity;
    let current = p.current_list();
    let removed = p.changes().len();
    let promoted = p.changes().iter().filter(|c| !c.is_unfilled()).count();
    let n = current.len();
    let title = match s.phase {
        RoundPhase::Confirmed => Text::new(
            format!("已认定名单（{n}个；异议成立撤销{removed}个，递补{promoted}个）"),
            format!(
                "Confirmed list ({n}; {removed} removed on an upheld objection, {promoted} promoted)"
            ),
        ),
        RoundPhase::Publicity => Text::new(
            format!("公示中的名单（当前{n}个；异议成立撤销{removed}个，递补{promoted}个）"),
            format!(
                "List in publicity ({n} now; {removed} removed on an upheld objection, {promoted} promoted)"
            ),
        ),
        _ => Text::new(
            format!("已封存的拟认定名单（{n}个）"),
            format!("Sealed list ({n})"),
        ),
    };
    let title = env.lang.text(&title).to_string();
    let mut out = vec![Item::Header(title)];
    for e in p.proposed_list() {
        out.push(sealed_row(env, s, &e.code));
        // The units that took this place in turn.
        let mut place = e.code.as_str();
        while let Some(filler) = p
            .changes()
            .iter()
            .find(|c| c.removed == place)
            .and_then(|c| c.filled_by())
        {
            out.push(sealed_row(env, s, filler));
            place = filler;
        }
    }
    let filled: Vec<&str> = p.changes().iter().filter_map(|c| c.filled_by()).collect();
    let reserve: Vec<&str> = p
        .reserve()
        .iter()
        .map(|e| e.code.as_str())
        .filter(|c| !filled.contains(c))
        .collect();
    out.push(Item::Header(
        env.lang
            .pick(
                &format!("备选名单（{}个）", reserve.len()),
                &format!("Reserve list ({})", reserve.len()),
            )
            .to_string(),
    ));
    out.extend(reserve.into_iter().map(|c| sealed_row(env, s, c)));
    out
}

/// The live selection: the list, the reserve, the units near the cut with their reasons.
pub(super) fn live_items(selected: &SelectedRound, env: &Env) -> Vec<Item> {
    let crit = &env.criteria;
    let ranking = &selected.round.ranking;
    let sel = &selected.selection;
    let row = |code: &String| unit_cells(env, &selected.round, code);
    let mut out = vec![Item::Header(
        env.lang
            .pick(
                &format!("拟认定名单（{}个）", sel.selected.len()),
                &format!("Proposed list ({})", sel.selected.len()),
            )
            .to_string(),
    )];
    out.extend(sel.selected.iter().map(|c| Item::Row(row(c))));
    out.push(Item::Header(
        env.lang
            .pick(
                &format!("备选名单（{}个）", sel.reserve.len()),
                &format!("Reserve list ({})", sel.reserve.len()),
            )
            .to_string(),
    ));
    out.extend(sel.reserve.iter().map(|c| Item::Row(row(c))));
    let last = sel
        .selected
        .iter()
        .filter_map(|c| ranking.row(c).map(|r| r.rank))
        .max()
        .unwrap_or(0);
    out.push(Item::Header(
        env.t("线附近未入选", "Near the cut, not selected")
            .to_string(),
    ));
    for (code, rank, why) in &sel.excluded {
        if *rank > last + NEAR_CUT {
            continue;
        }
        let province = ranking
            .row(code)
            .map(|r| labels::province(crit, &r.province_key, env.lang))
            .unwrap_or_default();
        let text = why.text(*rank, &province, |t| {
            Text::new(
                labels::demo_type(crit, t, crate::tui::lang::Lang::Zh),
                labels::demo_type(crit, t, crate::tui::lang::Lang::En),
            )
        });
        out.push(Item::Note(format!(
            "{} {}",
            clean(code),
            clean(env.lang.text(&text))
        )));
    }
    for (t, min, got) in &sel.unmet_minimums {
        out.push(Item::Note(
            env.lang
                .pick(
                    &format!(
                        "{}未达下限：{got}/{min}",
                        labels::demo_type(crit, t, env.lang)
                    ),
                    &format!(
                        "{} below its minimum: {got}/{min}",
                        labels::demo_type(crit, t, env.lang)
                    ),
                )
                .to_string(),
        ));
    }
    out
}

/// A what-if against the base list: its type limit and the counts in and out (shown first),
/// and the units that come in and go out (shown after the lists).
pub(super) fn comparison_items(
    tab: &SelectionTab,
    s: &SelectedRound,
    env: &Env,
) -> (Vec<Item>, Vec<Item>) {
    let cmp = what_if::compare(&tab.base, &s.selection.selected);
    let mut out = Vec::new();
    if let Some(max) = what_if::max_per_type(&tab.round, &tab.constraints) {
        out.push(Item::Note(
            env.lang
                .pick(
                    &format!("假设：每类型至多 {max} 个（另加 round.toml 的类型约束）"),
                    &format!(
                        "what-if: at most {max} per type (on top of round.toml's type limits)"
                    ),
                )
                .to_string(),
        ));
    } else if !what_if::extra_limits(&tab.round, &tab.constraints).is_empty() {
        let text = what_if::limits_text(&tab.round, &tab.constraints);
        out.push(Item::Note(
            env.lang
                .pick(
                    &format!("假设：类型限额 {text}（另加 round.toml 的类型约束）"),
                    &format!("what-if: type limits {text} (on top of round.toml's)"),
                )
                .to_string(),
        ));
    }
    out.push(Item::Header(
        env.lang
            .pick(
                &format!(
                    "与基准名单相比：调入 {} 个，调出 {} 个",
                    cmp.came_in.len(),
                    cmp.went_out.len()
                ),
                &format!(
                    "Against the base list: {} in, {} out",
                    cmp.came_in.len(),
                    cmp.went_out.len()
                ),
            )
            .to_string(),
    ));
    let mark = |sign: &str, code: &String| {
        let mut cells = unit_cells(env, &s.round, code);
        if let Some(first) = cells.first_mut() {
            *first = format!("{sign}{first}");
        }
        Item::Row(cells)
    };
    if cmp.came_in.is_empty() && cmp.went_out.is_empty() {
        out.push(Item::Note(
            env.t(
                "名单不变（顺序或备选可能不同）",
                "the same list (order or reserve may differ)",
            )
            .to_string(),
        ));
        return (out, Vec::new());
    }
    let mut detail = vec![Item::Header(
        env.lang
            .pick(
                &format!(
                    "调入（+）{} 个，调出（-）{} 个",
                    cmp.came_in.len(),
                    cmp.went_out.len()
                ),
                &format!(
                    "In (+) {}, out (-) {}",
                    cmp.came_in.len(),
                    cmp.went_out.len()
                ),
            )
            .to_string(),
    )];
    detail.extend(cmp.came_in.iter().map(|c| mark("+", c)));
    detail.extend(cmp.went_out.iter().map(|c| mark("-", c)));
    (out, detail)
}
