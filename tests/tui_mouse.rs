//! The mouse on the real app (issue 12, item 5): the wheel scrolls lists and the dossier pane,
//! a click selects a row, a click on a tab title switches tab. Driven through `update` on a
//! real SQLite store and drawn on ratatui's `TestBackend`, with the click positions read off
//! the drawn buffer (not computed from the layout code under test).

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::crossterm::event::KeyCode;
use shifan::tui::app::{Msg, Screen, State};
use shifan::tui::lang::Lang;
use shifan::tui::popup::Popup;
use shifan::tui::screens::dashboard::Tab;
use shifan::tui::testing::{chars, click, column_of, key, render, wheel_down, wheel_up};
use tui_setup::{PASSWORD, Setup, setup};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn login(s: &mut Setup, name: &str, lang: Lang, (w, h): (u16, u16)) -> State {
    let mut state = State::new(s.criteria.clone(), lang, &s.store);
    let mut keys = vec![Msg::Resize(w, h)];
    keys.extend(chars(name));
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(
        !matches!(state.screen, Screen::Login(_)),
        "{name} logged in: {:?}",
        state.env.message
    );
    state
}

fn list_selected(state: &State) -> usize {
    match &state.screen {
        Screen::ExpertList(l) => l.list.selected,
        other => panic!("not on the list: {other:?}"),
    }
}

/// The (column, row) where `needle` is drawn.
fn find(lines: &[String], needle: &str) -> (u16, u16) {
    lines
        .iter()
        .enumerate()
        .find_map(|(y, l)| column_of(l, needle).map(|x| (x as u16, y as u16)))
        .unwrap_or_else(|| panic!("{needle} is drawn:\n{}", lines.join("\n")))
}

#[test]
fn a_click_selects_an_experts_row_and_a_second_click_opens_it() {
    for lang in [Lang::Zh, Lang::En] {
        for size in SIZES {
            let mut s = setup();
            let mut state = login(&mut s, "e01", lang, size);
            assert_eq!(list_selected(&state), 0);
            let third = s.assigned[2].clone();
            let lines = render(&state, size.0, size.1);
            let (x, y) = find(&lines, &third);
            send(&mut state, &mut s.store, [click(x + 2, y)]);
            assert_eq!(list_selected(&state), 2, "{lang:?} {size:?}: the third row");
            // The highlight moved with it: the drawn row is the selected one.
            let after = render(&state, size.0, size.1);
            assert_eq!(find(&after, &third).1, y, "the rows did not move");
            // The header row and the status bar select nothing.
            let (hx, hy) = find(&lines, if lang == Lang::Zh { "编号" } else { "Code" });
            send(&mut state, &mut s.store, [click(hx, hy), click(1, 0)]);
            assert_eq!(list_selected(&state), 2);
            assert!(matches!(state.screen, Screen::ExpertList(_)));
            // A second click on the selected row opens its sheet.
            send(&mut state, &mut s.store, [click(x + 2, y)]);
            match &state.screen {
                Screen::Scoring(sc) => assert_eq!(sc.code, third),
                other => panic!("{lang:?} {size:?}: the sheet opened: {other:?}"),
            }
        }
    }
}

#[test]
fn the_wheel_moves_the_experts_cursor_and_stops_at_the_ends() {
    let mut s = setup();
    let mut state = login(&mut s, "e01", Lang::Zh, (120, 40));
    let lines = render(&state, 120, 40);
    let (x, y) = find(&lines, &s.assigned[0]);
    send(&mut state, &mut s.store, [wheel_down(x, y)]);
    assert_eq!(
        list_selected(&state),
        2,
        "three rows a turn, kept on the list"
    );
    send(&mut state, &mut s.store, [wheel_down(x, y)]);
    assert_eq!(list_selected(&state), 2, "the last row stays the last");
    send(&mut state, &mut s.store, [wheel_up(x, y)]);
    assert_eq!(list_selected(&state), 0);
    // Outside the list (the status bar) the wheel does nothing.
    send(&mut state, &mut s.store, [wheel_down(1, 0)]);
    assert_eq!(list_selected(&state), 0);
}

#[test]
fn the_mouse_does_not_act_under_a_popup() {
    let mut s = setup();
    let mut state = login(&mut s, "e01", Lang::Zh, (120, 40));
    let lines = render(&state, 120, 40);
    let (x, y) = find(&lines, &s.assigned[1]);
    // `x` asks for a recusal reason: a popup over the list.
    send(&mut state, &mut s.store, [key(KeyCode::Char('x'))]);
    assert!(matches!(state.popup, Some(Popup::Input { .. })));
    send(&mut state, &mut s.store, [click(x, y), wheel_down(x, y)]);
    assert_eq!(
        list_selected(&state),
        0,
        "the row under the popup was not picked"
    );
    assert!(state.popup.is_some(), "the popup is still open");
}

#[test]
fn the_wheel_scrolls_the_dossier_pane_not_the_criterion() {
    for lang in [Lang::Zh, Lang::En] {
        let mut s = setup();
        let mut state = login(&mut s, "e01", lang, (120, 40));
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        let scroll = |st: &State| match &st.screen {
            Screen::Scoring(sc) => sc.scroll,
            other => panic!("not on the sheet: {other:?}"),
        };
        let lines = render(&state, 120, 40);
        let before = scroll(&state);
        let pos = if lang == Lang::Zh { " 行 " } else { " line " };
        let (_, py) = find(&lines, pos);
        // Over the right pane (the criterion) nothing scrolls.
        send(&mut state, &mut s.store, [wheel_down(110, 10)]);
        assert_eq!(scroll(&state), before);
        send(&mut state, &mut s.store, [wheel_down(10, 10)]);
        assert_eq!(scroll(&state), before + 3, "{lang:?}: three lines a turn");
        let after = render(&state, 120, 40);
        let shown = &after[py as usize];
        assert!(
            shown.contains(&format!("{} ", before + 4))
                || shown.contains(&format!("{}/", before + 4)),
            "the position follows: {shown}"
        );
        send(
            &mut state,
            &mut s.store,
            [wheel_up(10, 10), wheel_up(10, 10)],
        );
        assert_eq!(scroll(&state), before.saturating_sub(3));
    }
}

#[test]
fn a_click_on_a_tab_title_switches_tab() {
    for lang in [Lang::Zh, Lang::En] {
        for size in SIZES {
            let mut s = setup();
            let mut state = login(&mut s, "admin", lang, size);
            let current = |st: &State| match &st.screen {
                Screen::Dashboard(d) => d.current(),
                other => panic!("not on the dashboard: {other:?}"),
            };
            assert_eq!(current(&state), Tab::Overview);
            let lines = render(&state, size.0, size.1);
            for tab in [Tab::Ranking, Tab::Assignment, Tab::Overview] {
                let (zh, en) = tab.title();
                let (x, y) = find(&lines, if lang == Lang::Zh { zh } else { en });
                assert_eq!(y, 1, "the tab titles are the row under the status bar");
                send(&mut state, &mut s.store, [click(x + 1, y)]);
                assert_eq!(current(&state), tab, "{lang:?} {size:?}");
            }
        }
    }
}

#[test]
fn a_click_selects_a_province_in_the_overview_and_the_wheel_scrolls_it() {
    let mut s = setup();
    let mut state = login(&mut s, "admin", Lang::Zh, (120, 40));
    let selected = |st: &State| match &st.screen {
        Screen::Dashboard(d) => d.overview.list.selected,
        other => panic!("not on the dashboard: {other:?}"),
    };
    let lines = render(&state, 120, 40);
    let rows = match &state.screen {
        Screen::Dashboard(d) => d.overview.list.visible.len(),
        _ => unreachable!(),
    };
    assert!(rows >= 2, "the samples hold two provinces or more ({rows})");
    let (hx, hy) = find(&lines, "省份");
    send(&mut state, &mut s.store, [click(hx, hy + 2)]);
    assert_eq!(selected(&state), 1, "the second province's row");
    send(&mut state, &mut s.store, [wheel_up(hx, hy + 2)]);
    assert_eq!(selected(&state), 0);
}

#[test]
fn on_the_demo_round_a_tab_click_works_for_ministry_staff() {
    let mut d = tui_setup::demo_setup();
    let mut state = State::new(d.criteria.clone(), Lang::En, &d.store);
    let mut keys = vec![Msg::Resize(120, 40)];
    keys.extend(chars("ministry"));
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(tui_setup::DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut d.store, keys);
    let lines = render(&state, 120, 40);
    let (x, y) = find(&lines, "Ranking");
    send(&mut state, &mut d.store, [click(x + 1, y)]);
    match &state.screen {
        Screen::Dashboard(db) => assert_eq!(db.current(), Tab::Ranking, "{:?}", state.popup),
        other => panic!("not on the dashboard: {other:?}"),
    }
}

#[test]
fn a_click_selects_an_officials_dossier_and_the_wheel_moves_the_cursor() {
    for lang in [Lang::Zh, Lang::En] {
        let mut s = setup();
        let mut state = login(&mut s, "official", lang, (120, 40));
        let selected = |st: &State| match &st.screen {
            Screen::Official(o) => o.list.selected,
            other => panic!("not on the official's screen: {other:?}"),
        };
        let lines = render(&state, 120, 40);
        let (x, y) = find(&lines, &s.assigned[1]);
        send(&mut state, &mut s.store, [click(x, y)]);
        assert_eq!(selected(&state), 1, "{lang:?}: the second dossier's row");
        send(&mut state, &mut s.store, [wheel_up(x, y)]);
        assert_eq!(selected(&state), 0);
        send(&mut state, &mut s.store, [wheel_down(x, y)]);
        assert!(selected(&state) >= 2, "three rows a turn (or the last)");
    }
}
