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

// The ministry's and the clerk's remaining tabs on the demo round (issue 12, item 5).

use shifan::tui::keymap::Context;
use shifan::tui::popup::ConfirmPurpose;
use shifan::tui::screens::dashboard::DashboardState;

fn demo_login(d: &mut tui_setup::DemoSetup, name: &str, lang: Lang, (w, h): (u16, u16)) -> State {
    let mut state = State::new(d.criteria.clone(), lang, &d.store);
    let mut keys = vec![Msg::Resize(w, h)];
    keys.extend(chars(name));
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(tui_setup::DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut d.store, keys);
    assert!(matches!(state.screen, Screen::Dashboard(_)), "{name}");
    state
}

fn dash(state: &State) -> &DashboardState {
    match &state.screen {
        Screen::Dashboard(d) => d,
        other => panic!("not on the dashboard: {other:?}"),
    }
}

fn goto(state: &mut State, d: &mut tui_setup::DemoSetup, tab: Tab) {
    for _ in 0..dash(state).tabs.len() {
        if dash(state).current() == tab {
            return;
        }
        send(state, &mut d.store, [key(KeyCode::Tab)]);
    }
    assert_eq!(dash(state).current(), tab);
}

fn doc_cursor(state: &State) -> usize {
    dash(state)
        .documents
        .as_ref()
        .expect("the documents tab")
        .list
        .selected
}

#[test]
fn a_click_on_any_line_of_a_document_selects_it_and_again_asks_to_generate_it() {
    let mut d = tui_setup::demo_setup();
    for lang in [Lang::Zh, Lang::En] {
        for size in SIZES {
            let mut state = demo_login(&mut d, "clerk", lang, size);
            goto(&mut state, &mut d, Tab::Documents);
            let rows = dash(&state)
                .documents
                .as_ref()
                .map_or(0, |t| t.batches.len());
            assert!(
                rows >= 2,
                "{lang:?} {size:?}: the clerk has {rows} documents"
            );
            assert_eq!(doc_cursor(&state), 0);
            let lines = render(&state, size.0, size.1);
            let (x, y) = find(&lines, "2. ");
            // The line under the title (its details) belongs to the same document.
            send(&mut state, &mut d.store, [click(x, y + 1)]);
            assert_eq!(doc_cursor(&state), 1, "{lang:?} {size:?}");
            let after = render(&state, size.0, size.1);
            assert!(
                after.iter().any(|l| l.contains("▶ 2. ")),
                "the marker moved"
            );
            // 「全部」, the row after the documents.
            let all = if lang == Lang::Zh {
                "全部生成"
            } else {
                "All of the above"
            };
            let (ax, ay) = find(&after, all);
            send(&mut state, &mut d.store, [click(ax, ay)]);
            assert_eq!(doc_cursor(&state), rows);
            // The wheel moves the cursor three rows.
            send(&mut state, &mut d.store, [wheel_up(ax, ay)]);
            assert_eq!(doc_cursor(&state), rows.saturating_sub(3));
            send(&mut state, &mut d.store, [wheel_down(ax, ay)]);
            assert_eq!(doc_cursor(&state), rows);
            // The status bar and the tab row select nothing.
            send(&mut state, &mut d.store, [click(1, 0), wheel_up(1, 0)]);
            assert_eq!(doc_cursor(&state), rows);
            // A click on the selected row asks, as Enter does; nothing is written yet.
            let now = render(&state, size.0, size.1);
            let (ax, ay) = find(&now, all);
            send(&mut state, &mut d.store, [click(ax, ay)]);
            match &state.popup {
                Some(Popup::Confirm { purpose, .. }) => assert!(
                    matches!(
                        purpose,
                        ConfirmPurpose::GenerateDocuments | ConfirmPurpose::OverwriteDocuments
                    ),
                    "{purpose:?}"
                ),
                other => panic!("{lang:?} {size:?}: a confirmation: {other:?}"),
            }
            // Under the popup the mouse does nothing.
            send(&mut state, &mut d.store, [click(x, y), wheel_up(x, y)]);
            assert_eq!(doc_cursor(&state), rows);
            assert!(state.popup.is_some());
            send(&mut state, &mut d.store, [key(KeyCode::Char('n'))]);
            assert!(state.popup.is_none());
        }
    }
}

#[test]
fn the_wheel_scrolls_the_files_written_and_stops_at_the_last() {
    let mut d = tui_setup::demo_setup();
    let out = d.dir.path().join("mouse-docs");
    let mut state = demo_login(&mut d, "clerk", Lang::En, (80, 24));
    goto(&mut state, &mut d, Tab::Documents);
    send(&mut state, &mut d.store, [key(KeyCode::Char('f'))]);
    send(&mut state, &mut d.store, vec![key(KeyCode::Backspace); 300]);
    send(&mut state, &mut d.store, chars(&out.display().to_string()));
    send(
        &mut state,
        &mut d.store,
        [key(KeyCode::Enter), key(KeyCode::End)],
    );
    // The last row is 「全部」: every document of the phase.
    send(&mut state, &mut d.store, vec![key(KeyCode::Down); 10]);
    send(&mut state, &mut d.store, [key(KeyCode::Enter)]);
    send(&mut state, &mut d.store, [key(KeyCode::Char('y'))]);
    assert_eq!(
        state.context(),
        Context::DocumentsWritten,
        "{:?}",
        state.env.message
    );
    let scroll = |st: &State| {
        dash(st)
            .documents
            .as_ref()
            .and_then(|t| t.written.as_ref())
            .map_or(0, |w| w.scroll)
    };
    let files = dash(&state)
        .documents
        .as_ref()
        .and_then(|t| t.written.as_ref())
        .map_or(0, |w| w.generation.files.len());
    assert!(files > 20, "one score sheet per expert: {files} files");
    let before = render(&state, 80, 24);
    send(&mut state, &mut d.store, [wheel_down(10, 10)]);
    assert_eq!(scroll(&state), 3);
    let after = render(&state, 80, 24);
    assert_eq!(after[3], before[6], "the list moved up three lines");
    // Far down: the last file ends on the pane's last line, and no further.
    send(&mut state, &mut d.store, vec![wheel_down(10, 10); 200]);
    let end = render(&state, 80, 24);
    let last = scroll(&state);
    send(&mut state, &mut d.store, [wheel_down(10, 10)]);
    assert_eq!(scroll(&state), last, "stopped");
    let last_file = dash(&state)
        .documents
        .as_ref()
        .and_then(|t| t.written.as_ref())
        .and_then(|w| w.generation.files.last())
        .map(|f| f.path.display().to_string())
        .expect("a file");
    let name = last_file
        .rsplit('/')
        .next()
        .unwrap_or(&last_file)
        .to_string();
    let tail = &name[name.len().saturating_sub(12)..];
    assert!(
        end.iter().any(|l| l.contains(tail)),
        "{tail}:\n{}",
        end.join("\n")
    );
    send(&mut state, &mut d.store, [wheel_up(10, 10)]);
    assert_eq!(scroll(&state), last - 3);
}

#[test]
fn a_pick_list_or_the_roster_over_the_assignment_table_takes_the_mouse() {
    let mut d = tui_setup::demo_setup();
    let mut state = demo_login(&mut d, "ministry", Lang::Zh, (120, 40));
    goto(&mut state, &mut d, Tab::Assignment);
    let assignment = |st: &State| dash(st).assignment.clone().expect("assignment tab");
    let lines = render(&state, 120, 40);
    let second = {
        let a = assignment(&state);
        a.rows[a.list.visible[1]].code.clone()
    };
    let (x, y) = find(&lines, &second);
    // `w` lists the first dossier's experts over the table.
    send(&mut state, &mut d.store, [key(KeyCode::Char('w'))]);
    assert_eq!(state.context(), Context::Pick, "{:?}", state.env.message);
    let items = assignment(&state).pick.map_or(0, |p| p.items.len());
    assert!(items >= 3, "{items}");
    let over = render(&state, 120, 40);
    let second_expert = assignment(&state).pick.map(|p| p.items[1].expert.clone());
    let (px, py) = find(&over, &second_expert.expect("an expert"));
    send(&mut state, &mut d.store, [click(px, py)]);
    let a = assignment(&state);
    assert_eq!(
        a.pick.map(|p| p.list.selected),
        Some(1),
        "the pick's second row"
    );
    assert_eq!(a.list.selected, 0, "the table under it did not move");
    send(&mut state, &mut d.store, [wheel_up(px, py)]);
    assert_eq!(assignment(&state).pick.map(|p| p.list.selected), Some(0));
    // A click where the second dossier was drawn lands on the pick list drawn over it.
    send(&mut state, &mut d.store, [click(x, y)]);
    assert_eq!(
        assignment(&state).list.selected,
        0,
        "the table did not move"
    );
    assert_eq!(state.context(), Context::Pick);
    // The roster: the wheel reads on, the table stays.
    send(
        &mut state,
        &mut d.store,
        [key(KeyCode::Esc), key(KeyCode::Char('e'))],
    );
    assert_eq!(state.context(), Context::Sublist);
    send(&mut state, &mut d.store, [wheel_down(x, y), click(x, y)]);
    let a = assignment(&state);
    assert_eq!(a.roster.map(|r| r.scroll), Some(3));
    assert_eq!(a.list.selected, 0);
    // Closed, the same click selects the second dossier.
    send(&mut state, &mut d.store, [key(KeyCode::Esc), click(x, y)]);
    assert_eq!(assignment(&state).list.selected, 1);
}

#[test]
fn the_wheel_scrolls_the_refusals_the_selection_and_a_calculation_sheet() {
    let mut d = tui_setup::demo_setup();
    let mut state = demo_login(&mut d, "ministry", Lang::En, (80, 24));
    // The overview's refusals, shown in place of the provinces' list.
    send(&mut state, &mut d.store, [key(KeyCode::Char('r'))]);
    send(&mut state, &mut d.store, [wheel_down(10, 10), click(10, 6)]);
    assert_eq!(dash(&state).overview.refusals.scroll, 3);
    assert_eq!(dash(&state).overview.list.selected, 0, "the list under it");
    send(
        &mut state,
        &mut d.store,
        [wheel_up(10, 10), key(KeyCode::Esc)],
    );
    assert_eq!(dash(&state).overview.refusals.scroll, 0);
    // The selection: its list scrolls, the constraints panel above it does not.
    goto(&mut state, &mut d, Tab::Selection);
    let sel = |st: &State| dash(st).selection.as_ref().map_or(99, |t| t.scroll);
    send(&mut state, &mut d.store, [wheel_down(10, 3)]);
    assert_eq!(sel(&state), 0, "over the constraints");
    let before = render(&state, 80, 24);
    send(&mut state, &mut d.store, [wheel_down(10, 12)]);
    assert_eq!(sel(&state), 3);
    let after = render(&state, 80, 24);
    assert_eq!(after[9], before[12], "the rows moved up three lines");
    send(&mut state, &mut d.store, vec![wheel_down(10, 12); 400]);
    let max = sel(&state);
    send(&mut state, &mut d.store, [wheel_down(10, 12)]);
    assert_eq!(sel(&state), max, "stops with the last row at the bottom");
    // A calculation sheet over the ranking.
    goto(&mut state, &mut d, Tab::Ranking);
    send(&mut state, &mut d.store, [key(KeyCode::Enter)]);
    assert_eq!(state.context(), Context::Explain);
    let explain = |st: &State| {
        dash(st)
            .ranking
            .as_ref()
            .and_then(|r| r.explain.as_ref())
            .map_or(99, |e| e.scroll)
    };
    send(
        &mut state,
        &mut d.store,
        [wheel_down(10, 10), click(10, 10)],
    );
    assert_eq!(explain(&state), 3);
    assert_eq!(
        dash(&state).ranking.as_ref().map(|r| r.list.selected),
        Some(0)
    );
}

#[test]
fn the_wheel_scrolls_the_objections_and_not_under_a_popup() {
    let mut d = tui_setup::demo_setup();
    let m = d
        .store
        .login("ministry", tui_setup::DEMO_PASSWORD)
        .expect("ministry");
    d.store
        .propose(&d.criteria, &m, None, Some("演示：部分评分表未提交"))
        .expect("sealed");
    d.store
        .start_publicity(&d.criteria, &m, None)
        .expect("publicity");
    let codes: Vec<String> = d
        .store
        .publicity(&m)
        .expect("publicity")
        .proposed_list()
        .iter()
        .take(6)
        .map(|e| e.code.clone())
        .collect();
    for (i, code) in codes.iter().enumerate() {
        d.store
            .object(&m, code, None, &format!("异议人{i}"), "申报数据与实际不符")
            .expect("objection");
    }
    for lang in [Lang::Zh, Lang::En] {
        let mut state = demo_login(&mut d, "ministry", lang, (80, 24));
        goto(&mut state, &mut d, Tab::Publicity);
        let scroll = |st: &State| dash(st).publicity.as_ref().map_or(99, |t| t.scroll);
        let lines = render(&state, 80, 24);
        let (x, y) = find(&lines, "异议人0");
        send(&mut state, &mut d.store, [wheel_down(x, y)]);
        assert_eq!(scroll(&state), 3, "{lang:?}");
        let after = render(&state, 80, 24).join("\n");
        assert!(
            !after.contains("异议人0") && after.contains("异议人3"),
            "{after}"
        );
        // At most to the last objection, and back.
        send(&mut state, &mut d.store, vec![wheel_down(x, y); 5]);
        assert_eq!(scroll(&state), 5);
        send(&mut state, &mut d.store, [wheel_up(x, y), wheel_up(x, y)]);
        assert_eq!(scroll(&state), 0);
        // `o` asks for the unit objected to: under that popup the wheel does nothing.
        send(&mut state, &mut d.store, [key(KeyCode::Char('o'))]);
        assert!(matches!(state.popup, Some(Popup::Input { .. })));
        send(&mut state, &mut d.store, [wheel_down(x, y)]);
        assert_eq!(scroll(&state), 0);
    }
}
