//! The expert's scoring screen (issue 12, item 1), driven through the real key map and
//! `update` on a real SQLite store, and drawn on ratatui's `TestBackend` at 80×24 and 120×40
//! in both languages. Each "Why" case of the issue is a regression test here.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shifan::domain::access::{Role, User};
use shifan::store::Store;
use shifan::tui::app::{Msg, Screen, State};
use shifan::tui::keymap::{self, Action, Context};
use shifan::tui::lang::Lang;
use shifan::tui::popup::Popup;
use shifan::tui::screens::scoring::ScoringState;
use shifan::tui::testing::{ch, chars, key, render};
use tui_setup::{PASSWORD, Setup, setup};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn login(s: &mut Setup, lang: Lang) -> State {
    let mut state = State::new(s.criteria.clone(), lang, &s.store);
    let mut keys = chars("e01");
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(
        matches!(state.screen, Screen::ExpertList(_)),
        "e01 logged in: {:?}",
        state.env.message
    );
    state
}

fn scoring(state: &State) -> &ScoringState {
    match &state.screen {
        Screen::Scoring(s) => s,
        other => panic!("not on the scoring screen: {other:?}"),
    }
}

fn list_selected(state: &State) -> usize {
    match &state.screen {
        Screen::ExpertList(l) => l.list.selected,
        other => panic!("not on the list: {other:?}"),
    }
}

/// The message line in the state's language, and whether it is an error.
fn message(state: &State) -> (String, bool) {
    state
        .env
        .message
        .as_ref()
        .map_or((String::new(), false), |m| {
            (state.env.lang.text(&m.text).to_string(), m.error)
        })
}

fn stored(store: &Store, code: &str, criterion: &str) -> Option<f64> {
    store
        .connection()
        .query_row(
            "SELECT points FROM score WHERE dossier_code = ?1 AND expert_id = 'E01' AND criterion = ?2",
            [code, criterion],
            |r| r.get(0),
        )
        .ok()
}

fn score_audits(store: &Store) -> i64 {
    store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'score'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(-1)
}

fn index_of(s: &Setup, id: &str) -> usize {
    s.criteria
        .rubric
        .criteria
        .iter()
        .position(|c| c.id == id)
        .unwrap_or_else(|| panic!("criterion {id} in the rubric"))
}

/// Open the first dossier and move (empty fields) to criterion `to`.
fn open_at(state: &mut State, store: &mut Store, to: usize) {
    open_at_size(state, store, to, (120, 40));
}

/// As `open_at`, on a window of the given size (the pane follows the criterion at that size).
fn open_at_size(state: &mut State, store: &mut Store, to: usize, (w, h): (u16, u16)) {
    // The runner sends the window's size first; the panes are laid out from it.
    send(state, store, [Msg::Resize(w, h), key(KeyCode::Enter)]);
    assert_eq!(scoring(state).current, 0);
    send(state, store, (0..to).map(|_| key(KeyCode::Down)));
    assert_eq!(scoring(state).current, to);
}

fn screen_text(state: &State, w: u16, h: u16) -> String {
    render(state, w, h).join("\n")
}

#[test]
fn typing_1_1_on_a_10_point_criterion_shows_11_and_refuses_it_by_name() {
    for lang in [Lang::Zh, Lang::En] {
        let mut s = setup();
        let code = s.assigned[0].clone();
        let mut state = login(&mut s, lang);
        open_at(&mut state, &mut s.store, 0);
        send(&mut state, &mut s.store, [ch('1')]);
        assert!(state.env.message.is_none(), "1 alone is fine");
        send(&mut state, &mut s.store, [ch('1')]);
        assert_eq!(scoring(&state).entry.value(), "11");
        let (m, error) = message(&state);
        let want = match lang {
            Lang::Zh => "「信息基础设施」超过满分 10",
            Lang::En => "Information infrastructure: more than the maximum 10",
        };
        assert!(error && m == want, "{m}");
        assert!(!m.contains("infrastructure」"), "no raw TOML id: {m}");
        // Drawn: the field shows 11 and the reason stays under it.
        for (w, h) in SIZES {
            let screen = screen_text(&state, w, h);
            assert!(screen.contains("[11"), "{w}x{h}:\n{screen}");
            let reason = match lang {
                Lang::Zh => "超过满分 10",
                Lang::En => "more than the maximum 10",
            };
            assert!(screen.contains(reason), "{w}x{h}:\n{screen}");
        }
        // Enter saves nothing and says why; the field keeps its text.
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        assert_eq!(stored(&s.store, &code, "infrastructure"), None);
        assert_eq!(message(&state), (want.to_string(), true));
        assert_eq!(scoring(&state).entry.value(), "11");
        assert_eq!(scoring(&state).current, 0);
        // Corrected, it saves.
        send(
            &mut state,
            &mut s.store,
            [key(KeyCode::Backspace), key(KeyCode::Enter)],
        );
        assert_eq!(stored(&s.store, &code, "infrastructure"), Some(1.0));
        assert_eq!(scoring(&state).current, 1);
    }
}

#[test]
fn eight_on_a_6_point_criterion_shows_8_and_the_refusal() {
    let mut s = setup();
    let at = index_of(&s, "staff_stability");
    let mut state = login(&mut s, Lang::En);
    open_at(&mut state, &mut s.store, at);
    send(&mut state, &mut s.store, [ch('8')]);
    assert_eq!(scoring(&state).entry.value(), "8");
    assert_eq!(
        message(&state),
        ("Stable staff: more than the maximum 6".to_string(), true)
    );
    for (w, h) in SIZES {
        let screen = screen_text(&state, w, h);
        assert!(screen.contains("[8 "), "{w}x{h}:\n{screen}");
    }
    // Off the step, in Chinese, by name.
    state.env.lang = Lang::Zh;
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Backspace), ch('5'), ch('.'), ch('2')],
    );
    assert_eq!(scoring(&state).entry.value(), "5.2");
    let (m, error) = message(&state);
    assert!(
        error && m.starts_with("「人员队伍稳定」") && m.contains("0.5"),
        "{m}"
    );
}

#[test]
fn leaving_a_field_saves_valid_points_one_transaction_each() {
    let mut s = setup();
    let code = s.assigned[0].clone();
    let mut state = login(&mut s, Lang::Zh);
    open_at(&mut state, &mut s.store, 0);
    let before = score_audits(&s.store);
    // ↓ saves 7 and moves on.
    send(&mut state, &mut s.store, [ch('7'), key(KeyCode::Down)]);
    assert_eq!(stored(&s.store, &code, "infrastructure"), Some(7.0));
    assert_eq!(scoring(&state).current, 1);
    assert!(
        message(&state).0.contains("已保存"),
        "{:?}",
        message(&state)
    );
    // Tab saves 6.5.
    send(&mut state, &mut s.store, chars("6.5"));
    send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
    assert_eq!(stored(&s.store, &code, "technology"), Some(6.5));
    assert_eq!(scoring(&state).current, 2);
    // ↑ saves 5 and goes back.
    send(&mut state, &mut s.store, [ch('5'), key(KeyCode::Up)]);
    assert_eq!(stored(&s.store, &code, "resource_integration"), Some(5.0));
    assert_eq!(scoring(&state).current, 1);
    // Esc saves 8 (over the stored 6.5) and goes back to the list.
    send(&mut state, &mut s.store, [ch('8'), key(KeyCode::Esc)]);
    assert_eq!(stored(&s.store, &code, "technology"), Some(8.0));
    assert!(matches!(state.screen, Screen::ExpertList(_)));
    // Moving over empty fields saves nothing: four saves, four audited steps.
    assert_eq!(score_audits(&s.store) - before, 4);
}

#[test]
fn leaving_a_field_with_refused_points_keeps_the_expert_there_with_the_reason() {
    let mut s = setup();
    let code = s.assigned[0].clone();
    let mut state = login(&mut s, Lang::En);
    open_at(&mut state, &mut s.store, 0);
    send(&mut state, &mut s.store, chars("11"));
    for k in [
        key(KeyCode::Down),
        key(KeyCode::Tab),
        key(KeyCode::Up),
        key(KeyCode::BackTab),
        key(KeyCode::Esc),
        ch('s'),
    ] {
        send(&mut state, &mut s.store, [k.clone()]);
        assert_eq!(scoring(&state).current, 0, "{k:?}");
        assert!(!scoring(&state).summary, "{k:?}");
        assert_eq!(scoring(&state).entry.value(), "11", "{k:?}");
        assert_eq!(
            message(&state),
            (
                "Information infrastructure: more than the maximum 10".to_string(),
                true
            ),
            "{k:?}"
        );
    }
    assert_eq!(stored(&s.store, &code, "infrastructure"), None);
    // "." alone is refused when leaving too (not dropped, not saved as 0).
    send(
        &mut state,
        &mut s.store,
        [
            key(KeyCode::Backspace),
            key(KeyCode::Backspace),
            ch('.'),
            key(KeyCode::Down),
        ],
    );
    assert_eq!(scoring(&state).current, 0);
    assert!(message(&state).0.contains("not a number"));
    assert_eq!(stored(&s.store, &code, "infrastructure"), None);
}

fn submit_first_sheet(s: &mut Setup) -> String {
    let code = s.assigned[0].clone();
    submit_sheet(s, &code, "很好");
    code
}

/// E01 gives full points on every criterion of `code`, writes `opinion`, and submits.
fn submit_sheet(s: &mut Setup, code: &str, opinion: &str) {
    let u = User {
        name: "e01".into(),
        role: Role::Expert {
            expert_id: "E01".into(),
        },
    };
    for c in &s.criteria.rubric.criteria {
        s.store
            .set_score(&s.criteria, &u, code, &c.id, c.max)
            .expect("score");
    }
    s.store
        .set_opinion(&u, code, Some(opinion), Some(true))
        .expect("opinion");
    s.store.submit(&s.criteria, &u, code).expect("submit");
}

#[test]
fn a_submitted_sheet_opens_read_only() {
    let mut s = setup();
    let code = submit_first_sheet(&mut s);
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, lang);
        // Unfinished sheets come first: the submitted one is the last row.
        send(
            &mut state,
            &mut s.store,
            [key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Enter)],
        );
        assert!(scoring(&state).sheet.submitted);
        // It opens at its summary, read-only.
        assert!(scoring(&state).summary);
        assert_eq!(state.context(), Context::SummaryReadOnly);
        // The footer offers no Enter, no submit and no editing, on the summary or the criteria.
        for ctx in [Context::SummaryReadOnly, Context::SheetReadOnly] {
            let hints = keymap::hints(ctx, lang);
            assert!(
                hints.iter().all(|(k, _, a)| k != "Enter"
                    && !matches!(
                        a,
                        Action::Submit
                            | Action::SaveScore
                            | Action::Opinion
                            | Action::Recommend
                            | Action::NotRecommend
                            | Action::Recuse
                    )),
                "{ctx:?}: {hints:?}"
            );
        }
        // ↓ scrolls the summary (it does not move to a criterion).
        send(&mut state, &mut s.store, [key(KeyCode::Down)]);
        assert!(scoring(&state).summary);
        assert_eq!(scoring(&state).summary_scroll, 1);
        for summary in [true, false] {
            if !summary {
                send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
                assert!(!scoring(&state).summary);
                assert_eq!(state.context(), Context::SheetReadOnly);
            }
            for (w, h) in SIZES {
                let rows = render(&state, w, h);
                let screen = rows.join("\n");
                let mark = match lang {
                    Lang::Zh => "已提交",
                    Lang::En => "ubmitted",
                };
                assert!(screen.contains(mark), "{w}x{h}:\n{screen}");
                let footer = rows.last().cloned().unwrap_or_default();
                assert!(
                    !footer.contains("Enter") && !footer.contains(" 提交"),
                    "{w}x{h} footer: {footer}"
                );
                assert!(!screen.contains("按 Enter"), "{w}x{h}:\n{screen}");
                assert!(!screen.contains("press Enter"), "{w}x{h}:\n{screen}");
            }
        }
        // Nothing can be changed: digits, Enter, o, y, n and x leave the sheet as it is.
        send(&mut state, &mut s.store, [ch('5')]);
        assert!(message(&state).1);
        assert!(scoring(&state).entry.value().is_empty());
        send(
            &mut state,
            &mut s.store,
            [key(KeyCode::Enter), ch('o'), ch('n'), ch('x')],
        );
        assert!(state.popup.is_none(), "{:?}", state.popup);
        assert_eq!(stored(&s.store, &code, "infrastructure"), Some(10.0));
        // ↓ reads on through the criteria.
        send(&mut state, &mut s.store, [key(KeyCode::Down)]);
        assert_eq!(scoring(&state).current, 1);
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert!(matches!(state.screen, Screen::ExpertList(_)));
    }
    let recommend: bool = s
        .store
        .connection()
        .query_row(
            "SELECT recommend FROM sheet WHERE dossier_code = ?1 AND expert_id = 'E01'",
            [&code],
            |r| r.get(0),
        )
        .expect("sheet");
    assert!(recommend, "n did not change the recommendation");
}

#[test]
fn the_list_cursor_stays_after_a_sheet_and_x_recuses_that_row() {
    let mut s = setup();
    let second = s.assigned[1].clone();
    let mut state = login(&mut s, Lang::Zh);
    send(&mut state, &mut s.store, [key(KeyCode::Down)]);
    assert_eq!(list_selected(&state), 1);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert_eq!(scoring(&state).code, second);
    send(&mut state, &mut s.store, [ch('7'), key(KeyCode::Enter)]);
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert_eq!(list_selected(&state), 1, "the cursor stays on the row");
    // x now acts on that row, not on the first.
    send(&mut state, &mut s.store, [ch('x')]);
    send(&mut state, &mut s.store, chars("曾为该单位提供咨询"));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(matches!(state.popup, Some(Popup::Confirm { .. })));
    send(&mut state, &mut s.store, [ch('y')]);
    let recused: String = s
        .store
        .connection()
        .query_row(
            "SELECT dossier_code FROM recusal WHERE expert_id = 'E01'",
            [],
            |r| r.get(0),
        )
        .expect("one recusal");
    assert_eq!(recused, second);
    // The filter comes back too.
    let mut state = login(&mut s, Lang::En);
    let first = s.assigned[0].clone();
    send(&mut state, &mut s.store, [ch('/')]);
    send(&mut state, &mut s.store, chars(&first));
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    assert_eq!(scoring(&state).code, first);
    send(&mut state, &mut s.store, [ch('q')]);
    match &state.screen {
        Screen::ExpertList(l) => {
            assert_eq!(l.list.query.value(), first);
            assert_eq!(l.list.visible.len(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_type_standard_is_beside_the_dossier_on_criterion_12() {
    let mut s = setup();
    let last = s.criteria.rubric.criteria.len() - 1;
    assert_eq!(s.criteria.rubric.criteria[last].group, "type_fit");
    for (lang, (w, h)) in [Lang::Zh, Lang::En]
        .into_iter()
        .flat_map(|l| SIZES.map(|size| (l, size)))
    {
        let mut state = login(&mut s, lang);
        open_at_size(&mut state, &mut s.store, last, (w, h));
        let t = s
            .criteria
            .types
            .by_id(&scoring(&state).type_id)
            .expect("the dossier's type")
            .clone();
        let (heading, standard) = match lang {
            Lang::Zh => ("类型标准：", t.standard_zh.clone()),
            Lang::En => ("Type standard: ", t.standard_en.clone()),
        };
        let opening: String = standard.chars().take(8).collect();
        // The pane jumped to the standard when criterion 12 came up (at the top of the pane,
        // or as far down as the dossier scrolls).
        let rows = render(&state, w, h);
        let screen = rows.join("\n");
        let st = scoring(&state);
        assert!(
            rows.iter().take(4).any(|r| r.contains(heading))
                || (st.scroll == st.max_scroll(&state.env) && screen.contains(heading)),
            "{w}x{h}:\n{screen}"
        );
        assert!(screen.contains(&opening), "{w}x{h}:\n{screen}");
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    }
}

#[test]
fn the_dossier_pane_shows_its_position_and_pages_by_its_height() {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in SIZES {
            let mut s = setup();
            let mut state = login(&mut s, lang);
            // The runner sends the window's size before the first frame.
            send(
                &mut state,
                &mut s.store,
                [Msg::Resize(w, h), key(KeyCode::Enter)],
            );
            let rows = render(&state, w, h);
            let (pane_w, pane_h) = scoring(&state).pane(&state.env);
            assert!(pane_w > 0 && pane_h > 0);
            let label = match lang {
                Lang::Zh => "行",
                Lang::En => "line",
            };
            let total = scoring(&state).max_scroll(&state.env) + pane_h as usize;
            let at = |rows: &[String]| -> usize {
                let row = rows
                    .iter()
                    .find(|r| r.contains(&format!(" {label} ")) && r.contains(&format!("/{total}")))
                    .unwrap_or_else(|| panic!("{w}x{h} no position:\n{}", rows.join("\n")));
                let i = row.find(&format!(" {label} ")).unwrap_or(0) + label.len() + 2;
                row[i..]
                    .split('/')
                    .next()
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0)
            };
            let first = at(&rows);
            assert_eq!(first, scoring(&state).scroll + 1);
            send(&mut state, &mut s.store, [key(KeyCode::PageDown)]);
            let rows = render(&state, w, h);
            let page = pane_h as usize - 1;
            let want = (first - 1 + page).min(scoring(&state).max_scroll(&state.env)) + 1;
            assert_eq!(at(&rows), want, "{w}x{h}");
            assert!(want > first + 10 || want == total - pane_h as usize + 1);
            send(&mut state, &mut s.store, [key(KeyCode::PageUp)]);
            assert_eq!(at(&render(&state, w, h)), first, "{w}x{h}");
        }
    }
}

#[test]
fn the_dossier_pane_follows_the_criterion_it_reads() {
    let mut s = setup();
    let mut state = login(&mut s, Lang::En);
    open_at(&mut state, &mut s.store, 0);
    // Work rules read "[team] rules": the pane starts at that subsection's heading.
    let rules = index_of(&s, "work_rules");
    send(
        &mut state,
        &mut s.store,
        (0..rules).map(|_| key(KeyCode::Down)),
    );
    let rows = render(&state, 120, 40);
    assert!(
        rows.iter().take(4).any(|r| r.contains("【Rules】")),
        "{}",
        rows.join("\n")
    );
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn opinion_of(store: &Store, code: &str) -> String {
    store
        .connection()
        .query_row(
            "SELECT opinion FROM sheet WHERE dossier_code = ?1 AND expert_id = 'E01'",
            [code],
            |r| r.get(0),
        )
        .unwrap_or_default()
}

fn audits(store: &Store, action: &str) -> i64 {
    store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap_or(-1)
}

#[test]
fn the_opinion_is_written_on_several_lines_saved_with_them_and_reopened_with_them() {
    for lang in [Lang::Zh, Lang::En] {
        let mut s = setup();
        let code = s.assigned[0].clone();
        let mut state = login(&mut s, lang);
        open_at(&mut state, &mut s.store, 0);
        send(&mut state, &mut s.store, [ch('o')]);
        assert_eq!(state.context(), Context::OpinionEditor);
        // Typed: Enter is a line break, not "save"; letters are text, not commands.
        send(&mut state, &mut s.store, chars("基础扎实，队伍稳定。"));
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        send(&mut state, &mut s.store, chars("quit? no: y n s x"));
        assert_eq!(state.context(), Context::OpinionEditor);
        // Pasted text keeps its line breaks (CRLF too).
        send(
            &mut state,
            &mut s.store,
            [Msg::Paste("\r\n方案可行\r\n建议推荐".into())],
        );
        let want = "基础扎实，队伍稳定。\nquit? no: y n s x\n方案可行\n建议推荐";
        assert_eq!(
            opinion_of(&s.store, &code),
            "",
            "nothing saved before Ctrl-S"
        );
        for (w, h) in SIZES {
            let screen = screen_text(&state, w, h);
            for line in want.lines() {
                assert!(screen.contains(line), "{w}x{h}:\n{screen}");
            }
            let footer = render(&state, w, h).last().cloned().unwrap_or_default();
            assert!(footer.starts_with("Ctrl-S"), "{w}x{h}: {footer}");
        }
        let before = audits(&s.store, "opinion");
        send(&mut state, &mut s.store, [ctrl('s')]);
        assert_eq!(state.context(), Context::Scoring, "{:?}", state.env.message);
        assert_eq!(opinion_of(&s.store, &code), want);
        assert_eq!(audits(&s.store, "opinion"), before + 1, "one audited step");
        // Reopened: the editor shows the saved lines, each on its own row.
        send(&mut state, &mut s.store, [ch('o')]);
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            let at: Vec<usize> = want
                .lines()
                .map(|l| {
                    rows.iter()
                        .position(|r| r.contains(l))
                        .unwrap_or_else(|| panic!("{l} at {w}x{h}:\n{}", rows.join("\n")))
                })
                .collect();
            assert!(at.windows(2).all(|p| p[1] == p[0] + 1), "{w}x{h}: {at:?}");
        }
        // The summary shows the lines too.
        send(&mut state, &mut s.store, [key(KeyCode::Esc), ch('s')]);
        assert_eq!(state.context(), Context::Summary);
        let screen = screen_text(&state, 120, 40);
        assert!(
            screen.contains("方案可行") && screen.contains("建议推荐"),
            "{screen}"
        );
        // The same store read back from disk holds the line breaks.
        let again = tui_setup::reopen(&s.db);
        assert_eq!(opinion_of(&again, &code), want);
    }
}

#[test]
fn esc_with_unsaved_opinion_warns_then_discards() {
    let mut s = setup();
    let code = s.assigned[0].clone();
    let mut state = login(&mut s, Lang::Zh);
    open_at(&mut state, &mut s.store, 0);
    send(&mut state, &mut s.store, [ch('o')]);
    send(&mut state, &mut s.store, chars("草稿"));
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert_eq!(
        state.context(),
        Context::OpinionEditor,
        "first Esc only warns"
    );
    let (m, error) = message(&state);
    assert!(error && m.contains("Ctrl-S"), "{m}");
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert_eq!(state.context(), Context::Scoring);
    assert_eq!(opinion_of(&s.store, &code), "");
    // Unchanged, Esc closes at once.
    send(&mut state, &mut s.store, [ch('o'), key(KeyCode::Esc)]);
    assert_eq!(state.context(), Context::Scoring);
}

#[test]
fn the_opinion_editor_moves_by_row_and_edits_by_line() {
    let mut s = setup();
    let code = s.assigned[0].clone();
    let mut state = login(&mut s, Lang::En);
    open_at(&mut state, &mut s.store, 0);
    send(&mut state, &mut s.store, [ch('o')]);
    send(
        &mut state,
        &mut s.store,
        [Msg::Paste("第一行 first\n第二行".into())],
    );
    // Up to the first row, End, Ctrl-W (deletes "first"), Home, Delete (deletes 第).
    send(
        &mut state,
        &mut s.store,
        [
            key(KeyCode::Up),
            key(KeyCode::End),
            ctrl('w'),
            key(KeyCode::Home),
            key(KeyCode::Delete),
        ],
    );
    // Down to the second row, Ctrl-U (deletes it to the start), then text.
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Down), key(KeyCode::End), ctrl('u')],
    );
    send(&mut state, &mut s.store, chars("ok"));
    send(&mut state, &mut s.store, [ctrl('s')]);
    // Ctrl-W took the word "first", not the space before it.
    assert_eq!(opinion_of(&s.store, &code), "一行 \nok");
}

#[test]
fn the_points_field_takes_home_end_ctrl_u_and_ctrl_w() {
    for lang in [Lang::Zh, Lang::En] {
        let mut s = setup();
        let code = s.assigned[0].clone();
        let mut state = login(&mut s, lang);
        open_at(&mut state, &mut s.store, 0);
        // 5, Home, 1: the 1 goes before the 5 ("15", refused by name on the spot).
        send(
            &mut state,
            &mut s.store,
            [ch('5'), key(KeyCode::Home), ch('1')],
        );
        assert_eq!(scoring(&state).entry.value(), "15");
        assert!(message(&state).1);
        for (w, h) in SIZES {
            assert!(screen_text(&state, w, h).contains("[15"), "{w}x{h}");
        }
        // End, Backspace: "1"; saved.
        send(
            &mut state,
            &mut s.store,
            [
                key(KeyCode::End),
                key(KeyCode::Backspace),
                key(KeyCode::Enter),
            ],
        );
        assert_eq!(stored(&s.store, &code, "infrastructure"), Some(1.0));
        // On the next criterion: Ctrl-U clears the field, Ctrl-W too; ← → move in it.
        send(&mut state, &mut s.store, chars("99"));
        send(&mut state, &mut s.store, [ctrl('u')]);
        assert_eq!(scoring(&state).entry.value(), "");
        send(&mut state, &mut s.store, chars("7.5"));
        send(&mut state, &mut s.store, [ctrl('w')]);
        assert_eq!(scoring(&state).entry.value(), "");
        send(
            &mut state,
            &mut s.store,
            [
                ch('6'),
                key(KeyCode::Left),
                ch('.'),
                key(KeyCode::Right),
                ch('5'),
            ],
        );
        assert_eq!(scoring(&state).entry.value(), ".65");
        send(&mut state, &mut s.store, [ctrl('a'), ctrl('e')]);
        send(&mut state, &mut s.store, [key(KeyCode::Backspace)]);
        assert_eq!(scoring(&state).entry.value(), ".6");
        send(&mut state, &mut s.store, [ctrl('u')]);
        send(&mut state, &mut s.store, chars("6.5"));
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        let second = &s.criteria.rubric.criteria[1].id;
        assert_eq!(stored(&s.store, &code, second), Some(6.5));
    }
}

fn list_codes(state: &State) -> Vec<String> {
    match &state.screen {
        Screen::ExpertList(l) => l
            .list
            .visible
            .iter()
            .map(|&i| l.rows[i].code.clone())
            .collect(),
        other => panic!("not on the list: {other:?}"),
    }
}

/// The row of each code on the drawn screen, top to bottom.
fn drawn_order(state: &State, w: u16, h: u16, codes: &[String]) -> Vec<usize> {
    let rows = render(state, w, h);
    codes
        .iter()
        .map(|c| {
            rows.iter()
                .position(|r| r.contains(c.as_str()))
                .unwrap_or_else(|| panic!("{c} at {w}x{h}:\n{}", rows.join("\n")))
        })
        .collect()
}

#[test]
fn my_list_puts_unfinished_first_and_o_cycles_the_sort_keeping_the_cursor() {
    let mut s = setup();
    let first = submit_first_sheet(&mut s);
    let (a, b) = (s.assigned[1].clone(), s.assigned[2].clone());
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, lang);
        assert_eq!(
            list_codes(&state),
            vec![a.clone(), b.clone(), first.clone()]
        );
        for (w, h) in SIZES {
            let at = drawn_order(&state, w, h, &list_codes(&state));
            assert!(at.windows(2).all(|p| p[0] < p[1]), "{w}x{h}: {at:?}");
            let rows = render(&state, w, h);
            let footer = rows.last().cloned().unwrap_or_default();
            let hint = lang.pick("o 排序", "o sort");
            assert!(footer.contains(hint), "{w}x{h}: {footer}");
            let order = lang.pick("排序：未完成优先", "sort: unfinished first");
            assert!(rows.join("\n").contains(order), "{w}x{h}");
        }
        // On the submitted row (the last), o: by code; the cursor stays on that dossier.
        send(
            &mut state,
            &mut s.store,
            [key(KeyCode::Down), key(KeyCode::Down)],
        );
        send(&mut state, &mut s.store, [ch('o')]);
        assert_eq!(list_codes(&state), s.assigned);
        assert_eq!(list_selected(&state), 0, "the cursor followed {first}");
        assert_eq!(
            message(&state).0,
            lang.pick("排序：按编号", "sort: by code")
        );
        for (w, h) in SIZES {
            let at = drawn_order(&state, w, h, &s.assigned);
            assert!(at.windows(2).all(|p| p[0] < p[1]), "{w}x{h}: {at:?}");
        }
        // o: by type (then code); o: back to unfinished first.
        send(&mut state, &mut s.store, [ch('o')]);
        let mut by_type: Vec<(String, String)> = match &state.screen {
            Screen::ExpertList(l) => l
                .rows
                .iter()
                .map(|r| (r.type_id.clone(), r.code.clone()))
                .collect(),
            _ => unreachable!(),
        };
        by_type.sort();
        let want: Vec<String> = by_type.into_iter().map(|(_, c)| c).collect();
        assert_eq!(list_codes(&state), want);
        send(&mut state, &mut s.store, [ch('o')]);
        assert_eq!(
            list_codes(&state),
            vec![a.clone(), b.clone(), first.clone()]
        );
    }
}

#[test]
fn my_list_shows_the_review_deadline_and_overdue_in_red() {
    let mut s = setup();
    let deadline = s
        .criteria
        .round
        .review_deadline
        .expect("round.toml sets review_deadline");
    for (today, zh, en, red) in [
        (
            deadline
                .checked_sub(jiff::Span::new().days(10))
                .expect("date"),
            "还剩 10 天",
            "10 days left",
            false,
        ),
        (deadline, "今天截止", "due today", false),
        (
            deadline
                .checked_add(jiff::Span::new().days(3))
                .expect("date"),
            "已逾期 3 天",
            "overdue by 3 days",
            true,
        ),
    ] {
        s.store.set_today(today);
        for lang in [Lang::Zh, Lang::En] {
            let state = login(&mut s, lang);
            for (w, h) in SIZES {
                let Ok(mut t) = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h));
                let Ok(_) = t.draw(|f| shifan::tui::view(&state, f));
                let buf = t.backend().buffer().clone();
                let rows = shifan::tui::testing::buffer_lines(&buf);
                let want = format!("{} {deadline}", lang.pick("评审截止", "review deadline"));
                let (y, row) = rows
                    .iter()
                    .enumerate()
                    .find(|(_, r)| r.contains(&want))
                    .unwrap_or_else(|| panic!("{today} {w}x{h}:\n{}", rows.join("\n")));
                assert_eq!(y, 1, "on the list's top border");
                let days = lang.pick(zh, en);
                assert!(row.contains(days), "{today} {w}x{h}: {row}");
                // A cell of the deadline ("评" / the "v" of "review": in no other part
                // of that border): red when overdue.
                let mark = lang.pick("评", "v");
                let x = (0..w)
                    .find(|&x| buf[(x, 1)].symbol() == mark)
                    .expect("deadline drawn");
                let fg = buf[(x, 1)].fg;
                assert_eq!(
                    fg == ratatui::style::Color::Red,
                    red,
                    "{today} {w}x{h}: {fg:?}"
                );
            }
        }
    }
    // Once every sheet is in, the deadline no longer presses.
    for code in s.assigned.clone() {
        submit_sheet(&mut s, &code, "好");
    }
    let state = login(&mut s, Lang::Zh);
    let screen = screen_text(&state, 80, 24);
    assert!(
        screen.contains("已全部提交") && !screen.contains("逾期"),
        "{screen}"
    );
}

/// Ctrl-C leaves at once, except over points typed but not saved: then it asks, names what
/// would be lost, and `n` keeps the expert where they were with the typed points.
#[test]
fn ctrl_c_over_unsaved_points_asks_first() {
    use shifan::tui::app::Command;
    let ctrl_c = || Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let mut s = setup();
    let mut state = login(&mut s, Lang::En);
    open_at(&mut state, &mut s.store, 0);
    send(&mut state, &mut s.store, [ch('7')]);
    assert_eq!(send(&mut state, &mut s.store, [ctrl_c()]), Command::None);
    match &state.popup {
        Some(Popup::Confirm { question, .. }) => {
            assert!(
                question.en.contains("not saved and would be lost"),
                "{question:?}"
            )
        }
        other => panic!("Ctrl-C asks first: {other:?}"),
    }
    let screen = screen_text(&state, 80, 24);
    assert!(screen.contains("Quit shifan?"), "{screen}");
    send(&mut state, &mut s.store, [ch('n')]);
    assert!(state.popup.is_none());
    assert_eq!(
        scoring(&state).entry.value(),
        "7",
        "the typed points are kept"
    );
    // Saved, nothing is unsaved: Ctrl-C quits at once.
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert_eq!(send(&mut state, &mut s.store, [ctrl_c()]), Command::Quit);
}
