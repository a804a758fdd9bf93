//! What every user meets, whatever the role: popups over Chinese text, the footer's key hints,
//! text-field editing keys, confirmations that need `y`, and `Esc`/`q` going back one level.
//! Driven through the real key map and `update` on real SQLite stores, drawn on `TestBackend`.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use shifan::domain::Text;
use shifan::store::Store;
use shifan::tui::app::{Command, Msg, Screen, State};
use shifan::tui::input::LineInput;
use shifan::tui::keymap::{self, Action, Context};
use shifan::tui::lang::Lang;
use shifan::tui::popup::{self, ConfirmPurpose, InputPurpose, Popup};
use shifan::tui::screens::dashboard::{DashboardState, Tab};
use shifan::tui::testing::{buffer_lines, ch, chars, column_of, key, render};
use shifan::tui::text::width;
use tui_setup::{DEMO_PASSWORD, PASSWORD, demo_setup, setup};

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn login(state: &mut State, store: &mut Store, name: &str, password: &str) {
    let mut keys = chars(name);
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(password));
    keys.push(key(KeyCode::Enter));
    send(state, store, keys);
    assert!(
        !matches!(state.screen, Screen::Login(_)),
        "{name} logged in: {:?}",
        state.env.message
    );
}

fn dash(state: &State) -> &DashboardState {
    match &state.screen {
        Screen::Dashboard(d) => d,
        other => panic!("not the dashboard: {other:?}"),
    }
}

fn goto(state: &mut State, store: &mut Store, tab: Tab) {
    for _ in 0..dash(state).tabs.len() {
        if dash(state).current() == tab {
            return;
        }
        send(state, store, [key(KeyCode::Tab)]);
    }
    assert_eq!(dash(state).current(), tab);
}

fn input_value(state: &State) -> String {
    match &state.popup {
        Some(Popup::Input { input, .. }) => input.value().to_string(),
        other => panic!("no text popup: {other:?}"),
    }
}

/// The screen beneath: every row full of 壹 (a character no popup text uses), the odd rows
/// shifted by one column so that their wide characters start at odd columns.
fn draw_over_chinese(w: u16, h: u16, p: &Popup, lang: Lang) -> (ratatui::buffer::Buffer, Rect) {
    let Ok(mut t) = Terminal::new(TestBackend::new(w, h));
    let mut popup_area = Rect::default();
    let Ok(_) = t.draw(|f| {
        let area = f.area();
        let lines: Vec<Line> = (0..h)
            .map(|y| {
                let lead = if y % 2 == 1 { " " } else { "" };
                Line::from(format!("{lead}{}", "壹".repeat(w as usize)))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), area);
        popup::view(p, lang, f, area);
        popup_area = area;
    });
    (t.backend().buffer().clone(), popup_area)
}

/// The popup's rectangle: the cells whose symbol is a corner of its border.
fn border_rect(buf: &ratatui::buffer::Buffer) -> Rect {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if buf[(x, y)].symbol() == "┌" {
                let right = (x..area.right())
                    .find(|&rx| buf[(rx, y)].symbol() == "┐")
                    .expect("top right corner");
                let bottom = (y..area.bottom())
                    .find(|&by| buf[(x, by)].symbol() == "└")
                    .expect("bottom left corner");
                return Rect::new(x, y, right - x + 1, bottom - y + 1);
            }
        }
    }
    panic!("no popup border drawn:\n{}", buffer_lines(buf).join("\n"));
}

#[test]
fn popups_over_chinese_keep_both_borders_and_nothing_bleeds_through() {
    let confirm = Popup::Confirm {
        purpose: ConfirmPurpose::Submit,
        question: Text::new(
            "提交评分表？提交后不能修改。",
            "Submit the sheet? It locks.",
        ),
    };
    let input = Popup::Input {
        purpose: InputPurpose::Opinion,
        input: LineInput::new("基础扎实"),
    };
    let help = Popup::Help {
        under: Context::Ranking,
        scroll: 0,
    };
    let mut odd_left_edges = 0;
    for p in [&confirm, &input, &help] {
        for lang in [Lang::Zh, Lang::En] {
            // Odd and even widths put the popup's left edge at odd and even columns.
            for (w, h) in [(80, 24), (81, 24), (83, 25), (120, 40), (61, 15)] {
                let (buf, _) = draw_over_chinese(w, h, p, lang);
                let r = border_rect(&buf);
                if r.x % 2 == 1 {
                    odd_left_edges += 1;
                }
                let rows = buffer_lines(&buf);
                for y in r.top()..r.bottom() {
                    let row = &rows[y as usize];
                    let (left, right) = match y {
                        _ if y == r.top() => ("┌", "┐"),
                        _ if y == r.bottom() - 1 => ("└", "┘"),
                        _ => ("│", "│"),
                    };
                    // The borders are in the buffer and also where the terminal shows them:
                    // no wide character of the screen beneath covers them.
                    assert_eq!(buf[(r.left(), y)].symbol(), left, "{p:?} {w}x{h} row {y}");
                    assert_eq!(buf[(r.right() - 1, y)].symbol(), right, "{w}x{h} row {y}");
                    let cols: Vec<usize> = row
                        .char_indices()
                        .filter(|(_, c)| c.to_string() == left || c.to_string() == right)
                        .map(|(i, _)| width(&row[..i]))
                        .collect();
                    assert!(
                        cols.contains(&(r.left() as usize)),
                        "{w}x{h} row {y}: left border not at column {}: {row}",
                        r.left()
                    );
                    assert!(
                        cols.contains(&(r.right() as usize - 1)),
                        "{w}x{h} row {y}: right border not at column {}: {row}",
                        r.right() - 1
                    );
                    assert!(width(row) <= w as usize, "{row}");
                    // Nothing of the screen beneath inside the popup.
                    for x in r.left()..r.right() {
                        assert_ne!(buf[(x, y)].symbol(), "壹", "{p:?} {w}x{h} at {x},{y}");
                    }
                    // A wide character of the screen beneath never starts just left of the
                    // popup (it would cover the border).
                    if r.left() > 0 {
                        assert!(width(buf[(r.left() - 1, y)].symbol()) <= 1, "{w}x{h} {y}");
                    }
                }
                // Outside the popup the screen beneath is still drawn.
                assert!(rows[0].contains("壹"));
            }
        }
    }
    assert!(odd_left_edges > 0, "no popup edge fell at an odd column");
}

#[test]
fn the_confirm_popup_says_y_confirm_n_cancel() {
    let p = Popup::Confirm {
        purpose: ConfirmPurpose::ConfirmList {
            on: jiff::civil::date(2026, 8, 10),
        },
        question: Text::new("确认名单？", "Confirm the list?"),
    };
    let (buf, _) = draw_over_chinese(80, 24, &p, Lang::Zh);
    let all = buffer_lines(&buf).join("\n");
    assert!(all.contains("y 确认 / n 取消"), "{all}");
    let (buf, _) = draw_over_chinese(80, 24, &p, Lang::En);
    let all = buffer_lines(&buf).join("\n");
    assert!(all.contains("y confirm / n cancel"), "{all}");
}

/// Check the last row of a render is the footer: whole hints of the live key map, in its
/// order, ending with the help key as `? 更多` / `? more` when some were left out.
fn check_footer(state: &State, w: u16, h: u16) -> String {
    let rows = render(state, w, h);
    let footer = rows[h as usize - 1].trim_end().to_string();
    let lang = state.env.lang;
    let ctx = state.context();
    let all = keymap::hints(ctx, lang);
    assert!(width(&footer) <= w as usize, "{ctx:?} {w}: {footer}");
    let mut shown = 0;
    let mut rest = footer.as_str();
    for (k, l, a) in &all {
        if *a == Action::Help {
            continue;
        }
        let hint = format!("{k} {l}");
        if let Some(i) = rest.find(&hint) {
            shown += 1;
            rest = &rest[i + hint.len()..];
        } else {
            break;
        }
    }
    let non_help = all.iter().filter(|x| x.2 != Action::Help).count();
    let has_help = all.iter().any(|x| x.2 == Action::Help);
    if shown < non_help {
        // Cut: nothing after the last whole hint but the "more" marker.
        let more = lang.pick("更多", "more");
        let tail = rest.trim();
        assert!(
            tail == format!("? {more}") || tail == format!("F1 {more}") || tail == "…",
            "{ctx:?} {lang:?} {w}: cut footer ends with {tail:?}: {footer}"
        );
    } else if has_help {
        let label = lang.pick("帮助", "help");
        assert!(footer.ends_with(label), "{ctx:?} {w}: {footer}");
    }
    assert!(shown > 0, "{ctx:?} {lang:?} {w}: {footer}");
    footer
}

#[test]
fn footer_hints_are_whole_in_priority_order_at_60_80_120_columns() {
    let mut s = setup();
    let mut seen_more = 0;
    for lang in [Lang::Zh, Lang::En] {
        let mut state = State::new(s.criteria.clone(), lang, &s.store);
        for w in [60, 80, 120] {
            check_footer(&state, w, 24);
        }
        login(&mut state, &mut s.store, "e01", PASSWORD);
        assert_eq!(state.context(), Context::ExpertList);
        for w in [60, 80, 120] {
            check_footer(&state, w, 24);
        }
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        assert_eq!(state.context(), Context::Scoring);
        for w in [60, 80, 120] {
            let f = check_footer(&state, w, 24);
            if f.ends_with(lang.pick("? 更多", "? more")) {
                seen_more += 1;
            }
        }
        send(&mut state, &mut s.store, [ch('s')]);
        assert_eq!(state.context(), Context::Summary);
        for w in [60, 80, 120] {
            check_footer(&state, w, 24);
        }
    }
    let mut d = demo_setup();
    for lang in [Lang::Zh, Lang::En] {
        let mut state = State::new(d.criteria.clone(), lang, &d.store);
        login(&mut state, &mut d.store, "ministry", DEMO_PASSWORD);
        for tab in [
            Tab::Overview,
            Tab::Assignment,
            Tab::Ranking,
            Tab::Selection,
            Tab::Publicity,
        ] {
            goto(&mut state, &mut d.store, tab);
            for w in [60, 80, 120] {
                let f = check_footer(&state, w, 24);
                if f.ends_with(lang.pick("? 更多", "? more")) {
                    seen_more += 1;
                }
            }
        }
    }
    // At 60 and 80 columns the scoring screen and the busier tabs do not fit whole.
    assert!(seen_more >= 4, "{seen_more}");
}

#[test]
fn the_footer_of_the_scoring_screen_at_80x24_is_cut_between_hints() {
    let mut s = setup();
    let mut state = State::new(s.criteria.clone(), Lang::En, &s.store);
    login(&mut state, &mut s.store, "e01", PASSWORD);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    let footer = check_footer(&state, 80, 24);
    assert!(footer.ends_with("? more"), "{footer}");
    assert!(
        footer.starts_with("0-9 . type points  Enter save points"),
        "{footer}"
    );
    // At 120 columns more whole hints fit, still in the key map's order.
    let wide = check_footer(&state, 120, 24);
    assert!(
        wide.starts_with(footer.trim_end_matches("? more").trim_end()),
        "{wide}"
    );
    assert!(width(&wide) > width(&footer), "{wide}");
    // The expert's list fits whole at 120 columns, and then help is named.
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    let list = check_footer(&state, 120, 24);
    assert!(list.ends_with("? help"), "{list}");
}

#[test]
fn text_fields_take_home_end_ctrl_u_ctrl_w_through_the_key_map() {
    let mut s = setup();
    let mut state = State::new(s.criteria.clone(), Lang::Zh, &s.store);
    // The login field.
    send(&mut state, &mut s.store, chars("abc def"));
    send(&mut state, &mut s.store, [ctrl('w')]);
    let name = |st: &State| match &st.screen {
        Screen::Login(l) => l.name.value().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(name(&state), "abc ");
    send(&mut state, &mut s.store, [key(KeyCode::Home), ch('x')]);
    assert_eq!(name(&state), "xabc ");
    send(&mut state, &mut s.store, [ctrl('e'), ch('y')]);
    assert_eq!(name(&state), "xabc y");
    send(
        &mut state,
        &mut s.store,
        [ctrl('a'), key(KeyCode::End), ctrl('u')],
    );
    assert_eq!(name(&state), "");
    login(&mut state, &mut s.store, "e01", PASSWORD);

    // A text popup (recusal reason), with Chinese: the cursor is drawn by display width.
    send(&mut state, &mut s.store, [ch('x')]);
    assert_eq!(state.context(), Context::TextPopup);
    send(&mut state, &mut s.store, chars("曾参与 该单位项目"));
    send(&mut state, &mut s.store, [ctrl('w')]);
    assert_eq!(input_value(&state), "曾参与 ");
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Home), ch('本'), ch('人')],
    );
    assert_eq!(input_value(&state), "本人曾参与 ");
    let Ok(mut t) = Terminal::new(TestBackend::new(80, 24));
    let Ok(_) = t.draw(|f| shifan::tui::view::view(&state, f));
    let rows = buffer_lines(t.backend().buffer());
    let row = rows
        .iter()
        .position(|r| r.contains("本人曾参与"))
        .expect("field drawn");
    let field_x = column_of(&rows[row], "本人曾参与").expect("field") as u16;
    let Ok(pos) = t.get_cursor_position();
    assert_eq!(
        (pos.x, pos.y),
        (field_x + 4, row as u16),
        "after 本人 (4 columns)"
    );
    send(&mut state, &mut s.store, [key(KeyCode::End), ctrl('u')]);
    assert_eq!(input_value(&state), "");
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert!(state.popup.is_none());

    // The `/` filter of a list: Ctrl-U empties it and the list shows every row again.
    let rows_before = match &state.screen {
        Screen::ExpertList(l) => l.list.visible.len(),
        other => panic!("{other:?}"),
    };
    send(&mut state, &mut s.store, [ch('/')]);
    send(&mut state, &mut s.store, chars("zzzz"));
    let visible = |st: &State| match &st.screen {
        Screen::ExpertList(l) => (l.list.visible.len(), l.list.query.value().to_string()),
        other => panic!("{other:?}"),
    };
    assert_eq!(visible(&state).0, 0);
    send(&mut state, &mut s.store, [ctrl('u')]);
    assert_eq!(visible(&state), (rows_before, String::new()));
}

#[test]
fn irreversible_confirmations_need_y_and_enter_alone_does_nothing() {
    let mut s = setup();
    let code = s.assigned[1].clone();
    let mut state = State::new(s.criteria.clone(), Lang::Zh, &s.store);
    login(&mut state, &mut s.store, "e01", PASSWORD);
    let recused = |store: &Store| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM recusal WHERE dossier_code = ?1",
                [&code],
                |r| r.get(0),
            )
            .unwrap_or(-1)
    };
    let ask = |state: &mut State, store: &mut Store| {
        send(state, store, [ch('x')]);
        send(state, store, chars("本人曾参与该单位项目"));
        send(state, store, [key(KeyCode::Enter)]);
        assert_eq!(state.context(), Context::Confirm, "{:?}", state.env.message);
    };
    send(&mut state, &mut s.store, [key(KeyCode::Down)]);
    ask(&mut state, &mut s.store);
    let shown = render(&state, 80, 24).join("\n");
    assert!(shown.contains("y 确认 / n 取消"), "{shown}");
    // Enter, twice: nothing happens, the question stays.
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    assert_eq!(state.context(), Context::Confirm);
    assert_eq!(recused(&s.store), 0);
    // n cancels; Esc cancels.
    send(&mut state, &mut s.store, [ch('n')]);
    assert!(state.popup.is_none());
    assert_eq!(recused(&s.store), 0);
    ask(&mut state, &mut s.store);
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert!(state.popup.is_none());
    assert_eq!(recused(&s.store), 0);
    // y does it.
    ask(&mut state, &mut s.store);
    send(&mut state, &mut s.store, [ch('y')]);
    assert_eq!(recused(&s.store), 1);

    // The ministry's confirmation of the list: Enter does nothing there either.
    let mut d = demo_setup();
    let mut state = State::new(d.criteria.clone(), Lang::En, &d.store);
    login(&mut state, &mut d.store, "ministry", DEMO_PASSWORD);
    goto(&mut state, &mut d.store, Tab::Publicity);
    send(&mut state, &mut d.store, [ch('c')]);
    assert!(matches!(state.popup, Some(Popup::Input { .. })));
    send(&mut state, &mut d.store, [ctrl('u')]);
    send(&mut state, &mut d.store, chars("2026-08-10"));
    send(&mut state, &mut d.store, [key(KeyCode::Enter)]);
    assert!(
        matches!(
            state.popup,
            Some(Popup::Confirm {
                purpose: ConfirmPurpose::ConfirmList { .. },
                ..
            })
        ),
        "{:?}",
        state.popup
    );
    let audit = |store: &Store| -> i64 {
        store
            .connection()
            .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
            .unwrap_or(-1)
    };
    let before = audit(&d.store);
    send(&mut state, &mut d.store, [key(KeyCode::Enter)]);
    assert_eq!(state.context(), Context::Confirm);
    assert_eq!(state.env.message, None, "Enter did nothing");
    send(&mut state, &mut d.store, [ch('n')]);
    assert!(state.popup.is_none());
    assert_eq!(state.env.message, None);
    assert_eq!(audit(&d.store), before);
}

#[test]
fn esc_and_q_go_back_one_level_and_quitting_from_home_asks() {
    let mut d = demo_setup();
    let mut state = State::new(d.criteria.clone(), Lang::Zh, &d.store);
    login(&mut state, &mut d.store, "ministry", DEMO_PASSWORD);
    goto(&mut state, &mut d.store, Tab::Ranking);
    // q q from a calculation sheet: back to the ranking, then the question, not the exit.
    send(&mut state, &mut d.store, [key(KeyCode::Enter)]);
    assert_eq!(state.context(), Context::Explain);
    assert_eq!(send(&mut state, &mut d.store, [ch('q')]), Command::None);
    assert_eq!(state.context(), Context::Ranking);
    assert_eq!(send(&mut state, &mut d.store, [ch('q')]), Command::None);
    assert_eq!(state.context(), Context::Confirm);
    let shown = render(&state, 80, 24).join("\n");
    assert!(shown.contains("退出 shifan？"), "{shown}");
    assert_eq!(send(&mut state, &mut d.store, [ch('n')]), Command::None);
    assert_eq!(state.context(), Context::Ranking);
    // Esc on the calculation sheet goes back too; Esc on a home tab says how to leave.
    send(&mut state, &mut d.store, [key(KeyCode::Enter)]);
    assert_eq!(state.context(), Context::Explain);
    send(&mut state, &mut d.store, [key(KeyCode::Esc)]);
    assert_eq!(state.context(), Context::Ranking);
    assert_eq!(
        send(&mut state, &mut d.store, [key(KeyCode::Esc)]),
        Command::None
    );
    assert_eq!(state.context(), Context::Ranking);
    let m = state.env.message.clone().expect("a hint");
    assert!(m.text.zh.contains("q 退出") && m.text.en.contains("q quits"));
    // `q`, then y, leaves; Ctrl-C leaves at once.
    send(&mut state, &mut d.store, [ch('q')]);
    assert_eq!(send(&mut state, &mut d.store, [ch('y')]), Command::Quit);
    let mut state = State::new(d.criteria.clone(), Lang::Zh, &d.store);
    login(&mut state, &mut d.store, "ministry", DEMO_PASSWORD);
    assert_eq!(send(&mut state, &mut d.store, [ctrl('c')]), Command::Quit);

    // An expert: Esc and q from the sheet go back to the list, Esc on the list stays.
    let mut s = setup();
    let mut state = State::new(s.criteria.clone(), Lang::En, &s.store);
    // Nobody logged in: Esc on the login screen leaves without asking.
    let mut fresh = State::new(s.criteria.clone(), Lang::En, &s.store);
    assert_eq!(
        send(&mut fresh, &mut s.store, [key(KeyCode::Esc)]),
        Command::Quit
    );
    login(&mut state, &mut s.store, "e01", PASSWORD);
    send(&mut state, &mut s.store, [key(KeyCode::Enter), ch('s')]);
    assert_eq!(state.context(), Context::Summary);
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert_eq!(state.context(), Context::Scoring);
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert_eq!(state.context(), Context::ExpertList);
    assert_eq!(
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]),
        Command::None
    );
    assert_eq!(state.context(), Context::ExpertList);
    send(&mut state, &mut s.store, [key(KeyCode::Enter), ch('q')]);
    assert_eq!(state.context(), Context::ExpertList);
    assert_eq!(send(&mut state, &mut s.store, [ch('q')]), Command::None);
    assert_eq!(state.context(), Context::Confirm);
    assert_eq!(
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]),
        Command::None
    );
    assert_eq!(state.context(), Context::ExpertList);
}

#[test]
fn u_logs_out_from_every_home_screen_and_another_account_logs_in() {
    let mut d = demo_setup();
    let mut state = State::new(d.criteria.clone(), Lang::Zh, &d.store);
    login(&mut state, &mut d.store, "ministry", DEMO_PASSWORD);
    for tab in [
        Tab::Overview,
        Tab::Assignment,
        Tab::Ranking,
        Tab::Selection,
        Tab::Publicity,
        Tab::Documents,
    ] {
        goto(&mut state, &mut d.store, tab);
        assert_eq!(send(&mut state, &mut d.store, [ch('u')]), Command::None);
        assert_eq!(state.context(), Context::Login, "{tab:?}");
        assert!(state.env.user.is_none());
        let shown = render(&state, 80, 24).join("\n");
        assert!(shown.contains("已注销"), "{shown}");
        assert!(shown.contains("未登录"), "{shown}");
        login(&mut state, &mut d.store, "ministry", DEMO_PASSWORD);
    }
    // Switch user: the clerk logs in on the same session and sees the clerk's dashboard.
    send(&mut state, &mut d.store, [ch('u')]);
    login(&mut state, &mut d.store, "clerk", DEMO_PASSWORD);
    let user = state.env.user.clone().expect("clerk");
    assert_eq!(user.role, shifan::domain::access::Role::Clerk);
    assert_eq!(dash(&state).tabs.len(), 2);

    // The expert's list too; `u` typed into a text field stays a letter.
    let mut s = setup();
    let mut state = State::new(s.criteria.clone(), Lang::En, &s.store);
    send(&mut state, &mut s.store, [ch('u')]);
    match &state.screen {
        Screen::Login(l) => assert_eq!(l.name.value(), "u"),
        other => panic!("{other:?}"),
    }
    send(&mut state, &mut s.store, [key(KeyCode::Backspace)]);
    login(&mut state, &mut s.store, "e01", PASSWORD);
    send(&mut state, &mut s.store, [ch('/'), ch('u')]);
    assert_eq!(state.context(), Context::Filter);
    send(&mut state, &mut s.store, [key(KeyCode::Esc), ch('u')]);
    assert_eq!(state.context(), Context::Login);
    assert!(render(&state, 80, 24).join("\n").contains("logged out"));
}
