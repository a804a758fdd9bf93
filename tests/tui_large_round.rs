//! The ministry's number columns at the scale of a 30,000-dossier round (issue 14 item 6): the
//! overview's totals, its progress pane, the assignment tab's experts and counts and the
//! ranking's five-digit ranks (from 10000 on) are drawn whole at 80×24 and 120×40, in Chinese and English.
//! The demo round's tabs are given a large round's figures, so what is tested is the drawing.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::crossterm::event::KeyCode;
use shifan::store::{Progress, ProgressRow};
use shifan::tui::app::{Screen, State};
use shifan::tui::lang::Lang;
use shifan::tui::list::FilteredList;
use shifan::tui::screens::dashboard::{DashboardState, Tab};
use shifan::tui::screens::ministry::assignment::ExpertProgress;
use shifan::tui::screens::ministry::overview::{Overdue, ProvinceRow};
use shifan::tui::screens::ministry::ranking::RankingTab;
use shifan::tui::testing::{chars, key, render};
use shifan::tui::text::width;
use tui_setup::{DEMO_PASSWORD, DemoSetup, demo_setup};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn login(s: &mut DemoSetup) -> State {
    let mut state = State::new(s.criteria.clone(), Lang::Zh, &s.store);
    let mut keys = chars("ministry");
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(matches!(state.screen, Screen::Dashboard(_)));
    state
}

fn dash(state: &mut State) -> &mut DashboardState {
    match &mut state.screen {
        Screen::Dashboard(d) => d,
        other => panic!("not the dashboard: {other:?}"),
    }
}

fn goto(state: &mut State, s: &mut DemoSetup, tab: Tab) {
    for _ in 0..10 {
        if dash(state).current() == tab {
            return;
        }
        send(state, &mut s.store, [key(KeyCode::Tab)]);
    }
    assert_eq!(dash(state).current(), tab);
}

/// Display columns of the `│` separators in a row.
fn separators(row: &str) -> Vec<usize> {
    row.char_indices()
        .filter(|(_, c)| *c == '│')
        .map(|(i, _)| width(&row[..i]))
        .collect()
}

fn row_with<'a>(screen: &'a [String], needle: &str) -> &'a String {
    screen
        .iter()
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("a row with {needle:?}:\n{}", screen.join("\n")))
}

#[test]
fn the_overviews_totals_of_five_digits_are_drawn_whole() {
    let mut s = demo_setup();
    let mut state = login(&mut s);
    let types = s.criteria.types.all().len();
    // 37 units × 800 dossiers, half of each unit's in the first type: 29600 and 14800.
    let rows: Vec<ProvinceRow> = s
        .criteria
        .provinces
        .all()
        .iter()
        .take(37)
        .map(|p| {
            let mut per_type = vec![400 / (types as i64 - 1); types];
            per_type[0] = 400;
            per_type[types - 1] += 400 - per_type[1..].iter().sum::<i64>();
            ProvinceRow {
                key: p.key.clone(),
                dossiers: 800,
                per_type,
            }
        })
        .collect();
    let total: i64 = rows.iter().map(|r| r.dossiers).sum();
    let type_totals: Vec<i64> = (0..types)
        .map(|i| rows.iter().map(|r| r.per_type[i]).sum())
        .collect();
    assert_eq!(total, 37 * 800);
    assert_eq!(type_totals[0], 14800);
    let experts: Vec<ProgressRow> = (1..=300)
        .map(|i| ProgressRow {
            key: format!("G{i:04}"),
            assigned: 493,
            submitted: if i <= 3 { 400 } else { 493 },
        })
        .collect();
    {
        let o = &mut dash(&mut state).overview;
        o.list = FilteredList::new(rows.len());
        o.rows = rows;
        o.total = total;
        o.type_totals = type_totals.clone();
        o.coverage = Some((29600, 29600));
        o.overdue = (1..=3)
            .map(|i| Overdue {
                expert: format!("G{i:04}"),
                outstanding: 93,
                assigned: 493,
            })
            .collect();
        o.progress = Some(Progress {
            experts,
            provinces: Vec::new(),
        });
    }
    for lang in [Lang::Zh, Lang::En] {
        state.env.lang = lang;
        let name = lang.pick("全国合计", "Total");
        for (w, h) in SIZES {
            let screen = render(&state, w, h);
            let shown = screen.join("\n");
            let totals = row_with(&screen, name);
            // Split at the separators; the list's left border makes the first cell empty.
            let cells: Vec<&str> = totals.split('│').skip(1).map(str::trim).collect();
            // The name, 29600 and every type's total, each whole in its own cell.
            assert!(
                cells[0].ends_with(name),
                "{lang:?} {w}×{h}: {totals}\n{shown}"
            );
            assert_eq!(cells[1], "29600", "{lang:?} {w}×{h}: {totals}\n{shown}");
            for (i, n) in type_totals.iter().enumerate() {
                assert_eq!(cells[2 + i], n.to_string(), "{lang:?} {w}×{h}: {totals}");
            }
            // The totals row under the header's columns.
            let header = row_with(&screen, lang.pick("省份", "Province"));
            assert_eq!(
                separators(header),
                separators(totals),
                "{lang:?} {w}×{h}:\n{shown}"
            );
            // The progress pane: the figures whole, ids and counts apart.
            assert!(
                shown.contains("147621/147900"),
                "{lang:?} {w}×{h}:\n{shown}"
            );
            assert!(shown.contains("29600/29600"), "{lang:?} {w}×{h}:\n{shown}");
            assert!(shown.contains("G0001 93 "), "{lang:?} {w}×{h}:\n{shown}");
        }
    }
}

#[test]
fn the_assignment_tab_keeps_a_large_rounds_ids_and_counts_apart() {
    let mut s = demo_setup();
    let mut state = login(&mut s);
    goto(&mut state, &mut s, Tab::Assignment);
    {
        let a = dash(&mut state)
            .assignment
            .as_mut()
            .expect("the assignment tab");
        let per = a.per_dossier;
        for (i, r) in a.rows.iter_mut().enumerate() {
            r.experts = (0..per)
                .map(|e| format!("G{:04}", 1 + (i * 7 + e) % 300))
                .collect();
        }
        a.progress = (1..=300)
            .map(|i| ExpertProgress {
                expert: format!("G{i:04}"),
                submitted: if i == 1 { 400 } else { 493 },
                assigned: 493,
                overdue: i == 1,
            })
            .collect();
        a.list.selected = 0;
    }
    let first: Vec<String> = dash(&mut state).assignment.as_ref().expect("tab").rows[0]
        .experts
        .clone();
    for lang in [Lang::Zh, Lang::En] {
        state.env.lang = lang;
        for (w, h) in SIZES {
            let screen = render(&state, w, h);
            let shown = screen.join("\n");
            // The overdue expert first, id and figures apart.
            assert!(
                shown.contains("G0001 400/493"),
                "{lang:?} {w}×{h}:\n{shown}"
            );
            assert!(
                shown.contains("G0002 493/493"),
                "{lang:?} {w}×{h}:\n{shown}"
            );
            if w == 120 {
                // Room for the five experts' ids whole.
                assert!(
                    shown.contains(&first.join(" ")),
                    "{lang:?} {w}×{h}:\n{shown}"
                );
            }
        }
    }
}

#[test]
fn five_digit_ranks_are_drawn_whole() {
    let mut s = demo_setup();
    let mut state = login(&mut s);
    goto(&mut state, &mut s, Tab::Ranking);
    let env = state.env.clone();
    {
        let d = dash(&mut state);
        let mut round = d.ranking.as_ref().expect("the ranking tab").round.clone();
        for (i, r) in round.ranking.rows.iter_mut().enumerate() {
            r.rank = 10_000 + i;
        }
        let mut tab = RankingTab::from_round(&env, round);
        tab.list.selected = 0;
        d.ranking = Some(Box::new(tab));
    }
    let code = dash(&mut state)
        .ranking
        .as_ref()
        .expect("tab")
        .round
        .ranking
        .rows[0]
        .code
        .clone();
    for lang in [Lang::Zh, Lang::En] {
        state.env.lang = lang;
        for (w, h) in SIZES {
            let screen = render(&state, w, h);
            let row = row_with(&screen, &code);
            let cells: Vec<&str> = row.split('│').skip(1).map(str::trim).collect();
            assert_eq!(
                cells[0],
                "10000",
                "{lang:?} {w}×{h}: {row}\n{}",
                screen.join("\n")
            );
            assert_eq!(cells[1], code, "{lang:?} {w}×{h}: {row}");
        }
    }
}

#[test]
fn guangdong_and_guangxi_are_told_apart_in_english_at_80_columns() {
    // Issue 12: English columns cut both 广东 and 广西 to "Guang…" while the name had room.
    let mut s = demo_setup();
    let mut state = login(&mut s);
    state.env.lang = Lang::En;
    for tab in [Tab::Overview, Tab::Assignment, Tab::Ranking] {
        goto(&mut state, &mut s, tab);
        for (w, h) in SIZES {
            for name in ["Guangdong", "Guangxi"] {
                // Bring a row of the province into view with the search.
                send(&mut state, &mut s.store, [shifan::tui::testing::ch('/')]);
                send(&mut state, &mut s.store, chars(name));
                send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
                let screen = render(&state, w, h);
                let shown = screen.join("\n");
                assert!(
                    screen
                        .iter()
                        .any(|r| r.split('│').any(|c| c.trim() == name)),
                    "{tab:?} {w}×{h}: a cell reads {name:?} whole:\n{shown}"
                );
                assert!(!shown.contains("Guang…"), "{tab:?} {w}×{h}:\n{shown}");
                send(&mut state, &mut s.store, [shifan::tui::testing::ch('/')]);
                send(&mut state, &mut s.store, vec![key(KeyCode::Backspace); 12]);
                send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
            }
        }
    }
}
