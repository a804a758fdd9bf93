//! The ministry's and the clerk's dashboard on the demo round, driven through the real key map
//! and `update`, checked in the store and drawn at 80×24 in both languages.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::crossterm::event::KeyCode;
use shifan::domain::publicity::Phase as PublicityPhase;
use shifan::store::Store;
use shifan::tui::app::{Screen, State};
use shifan::tui::keymap::Context;
use shifan::tui::lang::Lang;
use shifan::tui::phase::Phase;
use shifan::tui::popup::{InputPurpose, Popup};
use shifan::tui::screens::dashboard::{DashboardState, Tab};
use shifan::tui::screens::ministry::ranking::SortBy;
use shifan::tui::testing::{ch, chars, column_of, key, render};
use shifan::tui::text::width;
use tui_setup::{DEMO_PASSWORD, DemoSetup, demo_setup};

fn login(s: &mut DemoSetup, name: &str, lang: Lang) -> State {
    let mut state = State::new(s.criteria.clone(), lang, &s.store);
    let mut keys = chars(name);
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(
        matches!(state.screen, Screen::Dashboard(_)),
        "{name} on the dashboard: {:?}",
        state.env.message
    );
    state
}

fn dash(state: &State) -> &DashboardState {
    match &state.screen {
        Screen::Dashboard(d) => d,
        other => panic!("not the dashboard: {other:?}"),
    }
}

/// Tab to `tab` with the Tab key.
fn goto(state: &mut State, store: &mut Store, tab: Tab) {
    for _ in 0..dash(state).tabs.len() {
        if dash(state).current() == tab {
            return;
        }
        send(state, store, [key(KeyCode::Tab)]);
    }
    assert_eq!(dash(state).current(), tab);
}

fn message(state: &State) -> (String, bool) {
    state
        .env
        .message
        .as_ref()
        .map_or((String::new(), false), |m| (m.text.en.clone(), m.error))
}

/// Type `value` into the open text popup (replacing what is there) and press Enter.
fn answer(state: &mut State, store: &mut Store, value: &str) {
    assert!(
        matches!(state.popup, Some(Popup::Input { .. })),
        "a text popup is open: {:?} {:?}",
        state.popup,
        state.env.message
    );
    send(state, store, vec![key(KeyCode::Backspace); 100]);
    send(state, store, chars(value));
    send(state, store, [key(KeyCode::Enter)]);
}

fn confirm(state: &mut State, store: &mut Store) {
    assert!(
        matches!(state.popup, Some(Popup::Confirm { .. })),
        "a confirm popup is open: {:?} {:?}",
        state.popup,
        state.env.message
    );
    send(state, store, [ch('y')]);
}

fn picked(state: &State) -> &shifan::tui::screens::ministry::swap::Pick {
    dash(state)
        .assignment
        .as_ref()
        .and_then(|a| a.pick.as_ref())
        .expect("a pick list is open")
}

/// Move the open pick list onto `expert` and press Enter.
fn pick(state: &mut State, store: &mut Store, expert: &str) {
    let p = picked(state);
    let at = p
        .items
        .iter()
        .position(|i| i.expert == expert)
        .unwrap_or_else(|| panic!("{expert} is listed: {:?}", p.items));
    let from = p.list.selected;
    send(state, store, vec![key(KeyCode::Up); from]);
    send(state, store, vec![key(KeyCode::Down); at]);
    assert_eq!(picked(state).list.selected, at);
    send(state, store, [key(KeyCode::Enter)]);
}

fn separators(row: &str) -> Vec<usize> {
    row.char_indices()
        .filter(|(_, c)| *c == '│')
        .map(|(i, _)| width(&row[..i]))
        .collect()
}

fn snapshot(state: &State) -> Vec<String> {
    let rows = render(state, 80, 24);
    assert_eq!(rows.len(), 24);
    if std::env::var_os("SHIFAN_SHOW_SCREENS").is_some() {
        eprintln!("{}\n", rows.join("\n"));
    }
    rows
}

/// The table whose header row holds `header`: that row and the `n` rows below it have their
/// column separators at the same display columns (at least `min` of them), and fill 80 columns.
fn aligned_table(rows: &[String], header: &str, n: usize, min: usize) {
    let Some(first) = rows.iter().position(|r| r.contains(header)) else {
        panic!("no header {header:?}: {rows:#?}");
    };
    let expected = separators(&rows[first]);
    assert!(expected.len() >= min, "{:?}", rows[first]);
    for r in &rows[first..=first + n] {
        assert_eq!(width(r), 80, "row {r:?}");
        // A section title inside the table has only the block's borders.
        if separators(r) == [0, 79] {
            continue;
        }
        assert_eq!(separators(r), expected, "row {r:?}");
        assert_eq!(width(r), 80, "row {r:?}");
    }
}

fn audit_count(store: &Store, action: &str) -> i64 {
    store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .expect("audit count")
}

#[test]
fn ranking_search_sort_and_explain() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Ranking);
    assert_eq!(state.context(), Context::Ranking);
    let (total, code) = {
        let r = dash(&state).ranking.as_ref().expect("ranking loaded");
        let i = r.list.visible[5];
        (r.list.visible.len(), r.round.ranking.rows[i].code.clone())
    };
    assert!(total > 100, "{total}");
    // Search by code.
    send(&mut state, &mut s.store, [ch('/')]);
    assert_eq!(state.context(), Context::Filter);
    send(&mut state, &mut s.store, chars(&code));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    {
        let r = dash(&state).ranking.as_ref().expect("ranking");
        assert_eq!(r.list.visible.len(), 1);
    }
    let all = snapshot(&state).join("\n");
    assert!(all.contains(&code), "{all}");
    // Explain.
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert_eq!(state.context(), Context::Explain);
    let all = snapshot(&state).join("\n");
    assert!(
        all.contains(&format!("Calculation sheet: dossier {code}")),
        "{all}"
    );
    assert!(all.contains("Rank: 6 of"), "{all}");
    send(&mut state, &mut s.store, [ch('L')]);
    let all = snapshot(&state).join("\n");
    assert!(all.contains(&format!("计算单：申报书 {code}")), "{all}");
    send(&mut state, &mut s.store, [key(KeyCode::Esc), ch('L')]);
    assert_eq!(state.context(), Context::Ranking);
    // Clear the search, sort by spread: widest first.
    send(&mut state, &mut s.store, [ch('/'), key(KeyCode::Esc)]);
    send(&mut state, &mut s.store, [ch('o'), ch('o')]);
    {
        let r = dash(&state).ranking.as_ref().expect("ranking");
        assert_eq!(r.sort, SortBy::Spread);
        assert_eq!(r.list.visible.len(), total);
        let spreads: Vec<f64> = r
            .list
            .visible
            .iter()
            .map(|&i| r.round.ranking.rows[i].spread)
            .collect();
        assert!(spreads.windows(2).all(|w| w[0] >= w[1]));
    }
    let all = snapshot(&state).join("\n");
    assert!(all.contains("sort: spread"), "{all}");
    assert!(all.contains('⚑'), "the widest spreads are flagged: {all}");
    // Province filter, then type filter.
    send(&mut state, &mut s.store, [ch('o'), ch('p')]);
    {
        let r = dash(&state).ranking.as_ref().expect("ranking");
        let p = r.province.clone().expect("a province");
        assert!(!r.list.visible.is_empty());
        assert!(
            r.list
                .visible
                .iter()
                .all(|&i| r.round.ranking.rows[i].province_key == p)
        );
    }
    send(&mut state, &mut s.store, [ch('t')]);
    {
        let r = dash(&state).ranking.as_ref().expect("ranking");
        let t = r.type_id.clone().expect("a type");
        assert!(
            r.list
                .visible
                .iter()
                .all(|&i| r.round.ranking.rows[i].type_id == t)
        );
    }
    let first = {
        let r = dash(&state).ranking.as_ref().expect("ranking");
        r.province.clone().expect("a province")
    };
    let name = shifan::tui::labels::province(&s.criteria, &first, Lang::En);
    let all = snapshot(&state).join("\n");
    assert!(all.contains(&format!("province: {name}")), "{all}");
}

#[test]
fn selection_what_if_changes_the_count_and_records_nothing() {
    let mut s = demo_setup();
    let before = audit_count(&s.store, "select");
    let mut state = login(&mut s, "ministry", Lang::Zh);
    goto(&mut state, &mut s.store, Tab::Selection);
    let count = |state: &State| {
        dash(state)
            .selection
            .as_ref()
            .expect("selection")
            .live()
            .expect("a live selection before sealing")
            .selection
            .selected
            .len()
    };
    assert_eq!(count(&state), 100);
    let all = snapshot(&state).join("\n");
    assert!(all.contains("拟认定名单（100个）"), "{all}");
    assert!(!all.contains("假设分析（不保存）"), "{all}");
    send(&mut state, &mut s.store, [ch('t')]);
    answer(&mut state, &mut s.store, "60");
    assert_eq!(count(&state), 60);
    let all = snapshot(&state).join("\n");
    assert!(all.contains("假设分析（不保存）"), "{all}");
    assert!(all.contains("拟认定名单（60个）"), "{all}");
    // A bad number is refused and asked again.
    send(&mut state, &mut s.store, [ch('m')]);
    answer(&mut state, &mut s.store, "abc");
    assert!(message(&state).1);
    assert!(matches!(state.popup, Some(Popup::Input { .. })));
    answer(&mut state, &mut s.store, "2");
    assert_eq!(
        dash(&state)
            .selection
            .as_ref()
            .expect("selection")
            .constraints
            .max_per_province,
        2
    );
    // Reset to round.toml.
    send(&mut state, &mut s.store, [ch('x')]);
    assert_eq!(count(&state), 100);
    assert_eq!(audit_count(&s.store, "select"), before, "nothing recorded");
}

fn date(s: &str) -> jiff::civil::Date {
    s.parse().expect("a date")
}

/// The popup open is a text field for `purpose`.
fn asks(state: &State, purpose: InputPurpose) {
    assert!(
        matches!(&state.popup, Some(Popup::Input { purpose: p, .. }) if *p == purpose),
        "{purpose:?} is asked: {:?} {:?}",
        state.popup,
        state.env.message
    );
}

/// On the publicity tab: `p`, confirm; refused because the demo leaves sheets open, so the
/// reason is asked, and the list is sealed with it.
fn seal_with_open_sheets(state: &mut State, store: &mut Store) {
    send(state, store, [ch('p')]);
    confirm(state, store);
    let (m, error) = message(state);
    assert!(error && m.contains("not submitted"), "{m}");
    asks(state, InputPurpose::SealReason);
    // An empty reason is asked again.
    answer(state, store, "");
    assert!(message(state).1);
    asks(state, InputPurpose::SealReason);
    answer(state, store, "演示数据：部分评分表按设计未完成");
    confirm(state, store);
    let (m, error) = message(state);
    assert!(
        !error && m.contains("sealed") && m.contains("sheets open"),
        "{m}"
    );
}

#[test]
fn publicity_through_the_popups_and_the_phase_follows() {
    let mut s = demo_setup();
    // A Monday: the main period runs 2026-08-03 to 2026-08-07.
    s.store.set_today(date("2026-08-03"));
    let mut state = login(&mut s, "ministry", Lang::En);
    assert_eq!(state.env.phase, Phase::Review);
    assert!(snapshot(&state)[0].contains("phase: review"));
    goto(&mut state, &mut s.store, Tab::Publicity);

    // Confirming before anything is proposed is refused, in the current language.
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, "2026-08-03");
    confirm(&mut state, &mut s.store);
    let (m, error) = message(&state);
    assert!(error, "{m}");
    assert!(m.contains("draft") || m.contains("confirm"), "{m}");

    // Propose: refused while sheets are open, then sealed with the reason given.
    seal_with_open_sheets(&mut state, &mut s.store);
    assert_eq!(state.env.phase, Phase::Sealed);
    assert!(snapshot(&state)[0].contains("phase: list sealed"));
    let p = s.store.publicity(&ministry()).expect("publicity");
    assert_eq!(p.phase(), PublicityPhase::Proposed);
    assert_eq!(
        p.incomplete().map(|i| i.reason.as_str()),
        Some("演示数据：部分评分表按设计未完成")
    );
    let all = snapshot(&state).join("\n");
    assert!(all.contains("w withdraws it"), "{all}");

    // Withdraw (reason required, confirmed): back to review; then seal again.
    send(&mut state, &mut s.store, [ch('w')]);
    asks(&state, InputPurpose::WithdrawReason);
    answer(&mut state, &mut s.store, "");
    asks(&state, InputPurpose::WithdrawReason);
    answer(&mut state, &mut s.store, "重新核对评分");
    confirm(&mut state, &mut s.store);
    assert!(
        message(&state).0.contains("withdrawn"),
        "{:?}",
        state.env.message
    );
    assert_eq!(state.env.phase, Phase::Review);
    let p = s.store.publicity(&ministry()).expect("publicity");
    assert_eq!(p.phase(), PublicityPhase::Draft);
    assert_eq!(p.withdrawals().len(), 1);
    assert_eq!(p.withdrawals()[0].reason, "重新核对评分");
    assert_eq!(audit_count(&s.store, "publicity.withdraw"), 1);
    seal_with_open_sheets(&mut state, &mut s.store);
    assert_eq!(state.env.phase, Phase::Sealed);

    // Start (default date: the round's today).
    send(&mut state, &mut s.store, [ch('s')]);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    assert_eq!(state.env.phase, Phase::Publicity);
    assert!(snapshot(&state)[0].contains("phase: publicity"));
    let p = s.store.publicity(&ministry()).expect("publicity");
    assert_eq!(p.phase(), PublicityPhase::InPublicity);
    let target = p.current_list()[3].code.clone();
    // Object.
    send(&mut state, &mut s.store, [ch('o')]);
    answer(&mut state, &mut s.store, &target);
    answer(&mut state, &mut s.store, "张三");
    answer(&mut state, &mut s.store, "申报材料数据不实");
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    let all = snapshot(&state).join("\n");
    assert!(all.contains(&target) && all.contains("open"), "{all}");
    // Resolve upheld (the open objection's number is offered).
    send(&mut state, &mut s.store, [ch('r')]);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    answer(&mut state, &mut s.store, "y");
    answer(&mut state, &mut s.store, "经核实，异议成立");
    confirm(&mut state, &mut s.store);
    assert!(
        message(&state).0.contains("upheld"),
        "{:?}",
        state.env.message
    );
    let p = s.store.publicity(&ministry()).expect("publicity");
    let promoted = p.changes()[0].promoted.clone().expect("a unit promoted");
    // Both periods show: the main one running, the promoted unit's from the next working day.
    let all = snapshot(&state).join("\n");
    assert!(
        all.contains("· period 2026-08-03 to 2026-08-07 (running)"),
        "{all}"
    );
    assert!(
        all.contains(&format!(
            "· supplementary period for {promoted}: 2026-08-04 to 2026-08-10 (not started)"
        )),
        "{all}"
    );
    // Confirm before the periods are over: refused; a future date: refused by the store, and
    // the message says so; once the day has come: done.
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, "2026-08-07");
    confirm(&mut state, &mut s.store);
    let (m, error) = message(&state);
    assert!(error && m.contains("after today"), "{m}");
    send(&mut state, &mut s.store, [ch('c')]);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    confirm(&mut state, &mut s.store);
    assert!(message(&state).1, "{:?}", state.env.message);
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, "2026-08-11");
    confirm(&mut state, &mut s.store);
    let (m, error) = message(&state);
    assert!(error && m.contains("never a future one"), "{m}");
    s.store.set_today(date("2026-08-11"));
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, "2026-08-11");
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    assert_eq!(state.env.phase, Phase::Confirmed);
    assert!(snapshot(&state)[0].contains("phase: confirmed"));

    let all = snapshot(&state).join("\n");
    assert!(
        all.contains("is confirmed") && all.contains("Objections (1)"),
        "{all}"
    );
    assert!(all.contains("upheld"), "{all}");
    assert!(all.contains("(over)"), "{all}");
    // The documents now include one confirmation notice per reporting unit.
    goto(&mut state, &mut s.store, Tab::Documents);
    let all = snapshot(&state).join("\n");
    assert!(all.contains("one per reporting unit,"), "{all}");
    assert!(all.contains("phase: confirmed"), "{all}");

    let p = s.store.publicity(&ministry()).expect("publicity");
    assert_eq!(p.phase(), PublicityPhase::Confirmed);
    let list = p.current_list();
    assert_eq!(list.len(), 100);
    assert!(!list.iter().any(|e| e.code == target));
    assert!(list.iter().any(|e| e.code == promoted));
}

#[test]
fn once_sealed_the_selection_tab_shows_the_sealed_list_and_refuses_a_what_if() {
    let mut s = demo_setup();
    s.store.set_today(date("2026-08-03"));
    let before = audit_count(&s.store, "select");
    for lang in [Lang::Zh, Lang::En] {
        let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        let mut state = login(&mut s, "ministry", lang);
        if lang == Lang::Zh {
            goto(&mut state, &mut s.store, Tab::Publicity);
            // The refusals and the popups speak English in the checks; the screen is checked below.
            send(&mut state, &mut s.store, [ch('L')]);
            seal_with_open_sheets(&mut state, &mut s.store);
            send(&mut state, &mut s.store, [ch('L')]);
        }
        let sealed = s.store.publicity(&ministry()).expect("publicity");
        let list = sealed.proposed_list().to_vec();
        goto(&mut state, &mut s.store, Tab::Selection);
        {
            let tab = dash(&state).selection.as_ref().expect("selection");
            assert!(tab.live().is_none(), "never a fresh selection once sealed");
            let shown = tab.sealed().expect("the sealed lists");
            assert_eq!(shown.publicity.list_hash(), sealed.list_hash());
        }
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(
            all.contains(t("phase: 名单已封存", "phase: list sealed"))
                || all.contains(t("名单已封存", "list sealed")),
            "{all}"
        );
        assert!(
            all.contains(t(
                "名单已封存（不再重新遴选）",
                "List sealed (no fresh selection)"
            )),
            "{all}"
        );
        assert!(
            all.contains(t("已封存的拟认定名单（100个）", "Sealed list (100)")),
            "{all}"
        );
        assert!(
            all.contains(t(
                "名单已封存：假设分析（t/r/m/l/x）已关闭",
                "the list is sealed: what-ifs (t/r/m/l/x) are closed"
            )),
            "{all}"
        );
        let hash = sealed.list_hash().expect("sealed");
        assert!(all.contains(&hash[..16]), "{all}");
        // The sealed list in its order, each marked selected, columns aligned.
        let header = rows
            .iter()
            .position(|r| r.contains(t("申报单位", "Applicant")))
            .expect("header");
        for (i, e) in list.iter().take(5).enumerate() {
            let row = &rows[header + 2 + i];
            assert!(row.contains(&e.code), "{} in {row:?}", e.code);
            assert!(row.contains(t("│入选", "│selected")), "{row:?}");
        }
        aligned_table(&rows, t("申报单位", "Applicant"), 6, 7);
        for r in &rows {
            assert_eq!(width(r), 80, "{r:?}");
        }
        // Every what-if key says it is closed; nothing changes, nothing is asked.
        for k in ['t', 'r', 'm', 'x'] {
            state.env.message = None;
            send(&mut state, &mut s.store, [ch(k)]);
            assert!(state.popup.is_none(), "{k}: {:?}", state.popup);
            let m = state.env.message.as_ref().expect("a message");
            assert!(m.error, "{k}");
            assert!(
                m.text.zh.contains("假设分析已关闭") && m.text.en.contains("what-ifs are closed"),
                "{k}: {:?}",
                m.text
            );
            let tab = dash(&state).selection.as_ref().expect("selection");
            assert!(tab.live().is_none() && !tab.what_if());
        }
        let all = snapshot(&state).join("\n");
        assert!(
            all.contains(t("假设分析已关闭", "what-ifs are closed")),
            "the message line: {all}"
        );
    }
    assert_eq!(audit_count(&s.store, "select"), before, "nothing recorded");

    // In publicity the list as it stands: the removed unit in its place marked, the promoted
    // one right after it; once confirmed, the confirmed list.
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Publicity);
    send(&mut state, &mut s.store, [ch('s'), key(KeyCode::Enter)]);
    confirm(&mut state, &mut s.store);
    let p = s.store.publicity(&ministry()).expect("publicity");
    let victim = p.proposed_list()[2].code.clone();
    send(&mut state, &mut s.store, [ch('o')]);
    answer(&mut state, &mut s.store, &victim);
    answer(&mut state, &mut s.store, "李四");
    answer(&mut state, &mut s.store, "服务数据不实");
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    confirm(&mut state, &mut s.store);
    send(&mut state, &mut s.store, [ch('r'), key(KeyCode::Enter)]);
    answer(&mut state, &mut s.store, "y");
    answer(&mut state, &mut s.store, "经核实，数据不实");
    confirm(&mut state, &mut s.store);
    let p = s.store.publicity(&ministry()).expect("publicity");
    let promoted = p.changes()[0].promoted.clone().expect("promoted");
    goto(&mut state, &mut s.store, Tab::Selection);
    for lang in [Lang::En, Lang::Zh] {
        let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(
            all.contains(t(
                "公示中的名单（当前100个；异议成立撤销1个，递补1个）",
                "List in publicity (100 now; 1 removed on an upheld objection, 1 promoted)"
            )),
            "{all}"
        );
        let at = rows
            .iter()
            .position(|r| r.contains(&victim))
            .expect("the removed unit is shown");
        assert!(
            rows[at].contains(t("│异议成立撤销", "│removed (upheld)")),
            "{:?}",
            rows[at]
        );
        assert!(rows[at + 1].contains(&promoted), "{:?}", rows[at + 1]);
        assert!(
            rows[at + 1].contains(t("│递补", "│promoted")),
            "{:?}",
            rows[at + 1]
        );
        aligned_table(&rows, t("申报单位", "Applicant"), 6, 7);
        send(&mut state, &mut s.store, [ch('L')]);
    }
    s.store.set_today(date("2026-08-11"));
    goto(&mut state, &mut s.store, Tab::Publicity);
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, "2026-08-11");
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    goto(&mut state, &mut s.store, Tab::Selection);
    let all = snapshot(&state).join("\n");
    assert!(
        all.contains("Confirmed list (100; 1 removed on an upheld objection, 1 promoted)"),
        "{all}"
    );
    send(&mut state, &mut s.store, [ch('t')]);
    assert!(state.popup.is_none());
    assert!(
        message(&state).0.contains("confirmed phase"),
        "{:?}",
        state.env.message
    );

    // The dashboard's g writes the same exports as `shifan export`: the publicity's outcomes.
    goto(&mut state, &mut s.store, Tab::Documents);
    send(&mut state, &mut s.store, [ch('g')]);
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    let out = s.dir.path().join("documents");
    let csv = std::fs::read_to_string(out.join("ranking.csv")).expect("ranking.csv");
    let line = |code: &str| {
        csv.lines()
            .find(|l| l.split(',').nth(1) == Some(code))
            .unwrap_or_else(|| panic!("{code} in ranking.csv"))
            .to_string()
    };
    assert!(
        line(&victim).contains(",异议成立撤销,"),
        "{}",
        line(&victim)
    );
    assert!(line(&promoted).contains(",递补,"), "{}", line(&promoted));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("round.json")).expect("round.json"))
            .expect("json");
    assert_eq!(json["phase"], "confirmed");
    assert_eq!(json["confirmed"].as_array().map(Vec::len), Some(100));
    assert!(out.join(format!("confirmation-{promoted}.pdf")).is_file());
}

fn ministry() -> shifan::domain::access::User {
    shifan::domain::access::User {
        name: "ministry".into(),
        role: shifan::domain::access::Role::Ministry,
    }
}

#[test]
fn assignment_swap_through_the_popups_records_the_reason() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Assignment);
    // A dossier with an expert who has not submitted (a swap needs an unsubmitted sheet).
    let (dossier, out): (String, String) = s
        .store
        .connection()
        .query_row(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             LEFT JOIN sheet h ON h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL
               AND EXISTS (SELECT 1 FROM expert e JOIN dossier d ON d.code = a.dossier_code
                           WHERE e.province_key = d.province_key)
             ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an unsubmitted sheet, on a dossier whose province has an expert");
    let province: String = s
        .store
        .connection()
        .query_row(
            "SELECT province_key FROM dossier WHERE code = ?1",
            [&dossier],
            |r| r.get(0),
        )
        .expect("province");
    // An expert who may review it: not on it, not from its province.
    let into: String = s
        .store
        .connection()
        .query_row(
            "SELECT e.id FROM expert e WHERE e.province_key <> ?2
             AND e.id NOT IN (SELECT expert_id FROM assignment WHERE dossier_code = ?1)
             ORDER BY e.id LIMIT 1",
            [&dossier, &province],
            |r| r.get(0),
        )
        .expect("an eligible expert");
    send(&mut state, &mut s.store, [ch('/')]);
    send(&mut state, &mut s.store, chars(&dossier));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    // `w` lists the dossier's experts; choose `out`.
    send(&mut state, &mut s.store, [ch('w')]);
    assert_eq!(state.context(), Context::Pick);
    pick(&mut state, &mut s.store, &out);
    // Then every expert of the roster, the ineligible ones with the rule that keeps them out.
    let items = picked(&state).items.clone();
    assert!(items.len() > 30, "{items:?}");
    let barred = items
        .iter()
        .find(|i| i.reason.as_ref().is_some_and(|r| !r.en.contains("Already")))
        .expect("an expert a rule keeps out is listed, with the rule");
    let rule = barred.reason.clone().expect("reason").en;
    let same = barred.expert.clone();
    // Those on the dossier are listed as such.
    assert!(
        items
            .iter()
            .filter(|i| i.reason.as_ref().is_some_and(|r| r.en.contains("Already")))
            .count()
            >= 2,
        "{items:?}"
    );
    let screen = render(&state, 80, 24).join("\n");
    assert!(screen.contains("eligible)"), "{screen}");
    // Choosing them shows the reason at once, before anything is typed.
    pick(&mut state, &mut s.store, &same);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&state, w, h).join("\n");
        assert!(
            screen.contains(&format!("{same} ")) && screen.contains('✗'),
            "{screen}"
        );
    }
    let (m, error) = message(&state);
    assert!(error && m == rule, "{m}");
    assert!(state.popup.is_none());
    assert_eq!(state.context(), Context::Pick);
    // The real swap.
    pick(&mut state, &mut s.store, &into);
    answer(&mut state, &mut s.store, "专家出差，无法按期评审");
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    let reason: String = s
        .store
        .connection()
        .query_row(
            "SELECT ended_reason FROM assignment WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NOT NULL",
            [&dossier, &out],
            |r| r.get(0),
        )
        .expect("ended pair");
    assert!(reason.contains("专家出差，无法按期评审"), "{reason}");
    let row = {
        let a = dash(&state).assignment.as_ref().expect("assignment");
        let i = a.list.current().expect("row");
        a.rows[i].clone()
    };
    assert_eq!(row.code, dossier);
    assert!(row.experts.contains(&into) && !row.experts.contains(&out));
}

#[test]
fn every_tab_draws_at_80x24_in_chinese_and_english() {
    let mut s = demo_setup();
    for lang in [Lang::Zh, Lang::En] {
        let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        let mut state = login(&mut s, "ministry", lang);
        // Overview.
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(all.contains(t("评审进度", "Review progress")), "{all}");
        assert!(all.contains(t("全国合计", "Total")), "{all}");
        assert!(all.contains(t("专家已配齐", "fully assigned")), "{all}");
        assert!(all.contains(t("逾期专家", "Overdue experts")), "{all}");
        assert!(all.contains(t("报送单位", "units")), "{all}");
        aligned_table(&rows, t("省份", "Province"), 5, 8);
        // Assignment.
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(
            all.contains(t("申报书与评审专家", "Dossiers and experts")),
            "{all}"
        );
        assert!(all.contains(t("进度", "Progress")), "{all}");
        assert!(all.contains(t("调换专家", "swap expert")), "{all}");
        assert!(all.contains("5/5"), "{all}");
        aligned_table(&rows, t("│编号", "│Code"), 5, 6);
        // Run the assignment again: the report shows.
        send(&mut state, &mut s.store, [ch('a')]);
        confirm(&mut state, &mut s.store);
        let all = snapshot(&state).join("\n");
        assert!(all.contains(t("分配报告", "Assignment report")), "{all}");
        // Ranking.
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(all.contains(t("输入哈希", "inputs hash")), "{all}");
        assert!(all.contains(t("标准分", "Std")), "{all}");
        assert!(all.contains(t("计算单", "explain")), "{all}");
        aligned_table(&rows, t("标准分", "Std"), 5, 10);
        // The panel meeting (its statistics computed on a thread).
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        let mut env = state.env.clone();
        if let Screen::Dashboard(d) = &mut state.screen {
            d.collect_panel(&mut env, Some(std::time::Duration::from_secs(120)));
        }
        state.env = env;
        let all = snapshot(&state).join("\n");
        assert!(all.contains(t("份在范围内", "in the band")), "{all}");
        assert!(all.contains(t("记录表决", "record a vote")), "{all}");
        // Selection.
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(
            all.contains(t("约束（round.toml）", "Constraints (round.toml)")),
            "{all}"
        );
        assert!(all.contains(t("拟认定名单", "Proposed list")), "{all}");
        assert!(all.contains(t("名额", "target")), "{all}");
        aligned_table(&rows, t("申报单位", "Applicant"), 5, 6);
        // Near the cut, with reasons.
        send(&mut state, &mut s.store, vec![key(KeyCode::PageDown); 11]);
        let all = snapshot(&state).join("\n");
        assert!(all.contains(t("线附近未入选", "Near the cut")), "{all}");
        assert!(all.contains(t("未入选", "not selected")), "{all}");
        // Publicity.
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        let all = snapshot(&state).join("\n");
        assert!(all.contains(t("草稿阶段", "is a draft")), "{all}");
        assert!(all.contains(t("提出名单", "propose")), "{all}");
        assert!(all.contains(t("暂无异议", "no objections")), "{all}");
        // Documents.
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        let all = snapshot(&state).join("\n");
        assert!(all.contains("shifan notice publicity --out DIR"), "{all}");
        assert!(all.contains(t("草稿", "draft")), "{all}");
        assert!(
            all.contains(t("专家评分表", "Expert score sheets")),
            "{all}"
        );
        for r in snapshot(&state) {
            assert_eq!(width(&r), 80, "{r:?}");
        }
        // Help lists the tab's keys.
        send(&mut state, &mut s.store, [key(KeyCode::BackTab), ch('?')]);
        let all = snapshot(&state).join("\n");
        assert!(all.contains(t("确认名单", "confirm")), "{all}");
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);

        // The clerk: overview without progress, and documents.
        let mut state = login(&mut s, "clerk", lang);
        assert_eq!(dash(&state).tabs, &[Tab::Overview, Tab::Documents]);
        let all = snapshot(&state).join("\n");
        assert!(
            all.contains(t("本角色不查看评审进度", "not shown for this role")),
            "{all}"
        );
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        assert_eq!(dash(&state).current(), Tab::Documents);
        let all = snapshot(&state).join("\n");
        // A clerk gets no exports: the tab lists only what the clerk can make.
        assert!(!all.contains("shifan export --out DIR"), "{all}");
        assert!(all.contains(t("每位专家一份", "one per expert")), "{all}");
        assert!(state.env.message.is_none(), "{:?}", state.env.message);
    }
}

#[test]
fn every_tab_survives_tiny_and_huge_windows() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::Zh);
    let mut states = vec![state.clone()];
    for _ in 1..dash(&state).tabs.len() {
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
        states.push(state.clone());
    }
    goto(&mut state, &mut s.store, Tab::Ranking);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert_eq!(state.context(), Context::Explain);
    states.push(state.clone());
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    goto(&mut state, &mut s.store, Tab::Publicity);
    send(&mut state, &mut s.store, [ch('o')]);
    states.push(state.clone());
    for state in &states {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (20, 5),
            (59, 14),
            (60, 15),
            (61, 16),
            (80, 24),
            (240, 70),
        ] {
            let rows = render(state, w, h);
            assert_eq!(rows.len(), h as usize);
        }
    }
}

#[test]
fn the_phase_reads_applications_before_any_assignment() {
    let store = Store::open_in_memory().expect("store");
    assert_eq!(
        store.round_phase().expect("phase"),
        shifan::domain::phase::Phase::Applications
    );
    assert_eq!(shifan::tui::phase::phase(&store), Phase::Applications);
}

#[test]
fn ranking_filters_typed_into_a_popup() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::Zh);
    goto(&mut state, &mut s.store, Tab::Ranking);
    send(&mut state, &mut s.store, [ch('P')]);
    answer(&mut state, &mut s.store, "浙江");
    send(&mut state, &mut s.store, [ch('T')]);
    answer(&mut state, &mut s.store, "Technology application");
    {
        let r = dash(&state).ranking.as_ref().expect("ranking");
        assert_eq!(r.province.as_deref(), Some("330000"));
        assert_eq!(r.type_id.as_deref(), Some("technology_application"));
        assert!(!r.list.visible.is_empty());
    }
    let all = snapshot(&state).join("\n");
    assert!(
        all.contains("省份：浙江") && all.contains("类型：技术应用型"),
        "{all}"
    );
    // An unknown name is refused and asked again; empty shows all.
    send(&mut state, &mut s.store, [ch('P')]);
    answer(&mut state, &mut s.store, "火星");
    assert!(message(&state).1);
    answer(&mut state, &mut s.store, "");
    assert_eq!(
        dash(&state).ranking.as_ref().expect("ranking").province,
        None
    );
}

#[test]
fn the_clerk_generates_the_documents_of_the_phase_from_the_documents_tab() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "clerk", Lang::En);
    goto(&mut state, &mut s.store, Tab::Documents);
    send(&mut state, &mut s.store, [ch('g')]);
    confirm(&mut state, &mut s.store);
    let (text, error) = message(&state);
    assert!(!error, "{text}");
    let out = s.dir.path().join("documents");
    // Review phase: the draft notice and one score sheet per expert; no exports for a clerk.
    assert!(out.join("publicity-notice-draft.pdf").is_file(), "{text}");
    let sheets = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with("score-sheet-"))
        .count();
    assert_eq!(sheets, 40);
    assert!(!out.join("ranking.csv").exists());
    assert!(
        text.contains(&format!("wrote {} files", sheets + 1)),
        "{text}"
    );
}

#[test]
fn the_login_screen_of_the_demo_round_shows_the_demo_logins() {
    let s = demo_setup();
    for (lang, want) in [(Lang::En, "password demo"), (Lang::Zh, "密码均为 demo")] {
        let state = State::new(s.criteria.clone(), lang, &s.store);
        let screen = render(&state, 80, 24).join("\n");
        assert!(screen.contains(want), "{screen}");
    }
}

fn overview_submitted(state: &State) -> usize {
    let p = dash(state).overview.progress.as_ref().expect("progress");
    p.experts.iter().map(|r| r.submitted).sum()
}

/// As `expert_id`, through its own connection: full points on every criterion, an opinion,
/// submitted.
fn submit_elsewhere(s: &DemoSetup, dossier: &str, expert_id: &str) {
    use shifan::domain::access::{Role, User};
    let mut other = Store::open(&s.db).expect("a second connection");
    let u = User {
        name: "someone".into(),
        role: Role::Expert {
            expert_id: expert_id.into(),
        },
    };
    for c in &s.criteria.rubric.criteria {
        other
            .set_score(&s.criteria, &u, dossier, &c.id, c.max)
            .expect("score");
    }
    other
        .set_opinion(&u, dossier, Some("材料翔实"), Some(true))
        .expect("opinion");
    other.submit(&s.criteria, &u, dossier).expect("submit");
}

fn open_sheet(store: &Store) -> (String, String) {
    store
        .connection()
        .query_row(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an open sheet")
}

#[test]
fn a_submit_by_another_connection_appears_after_the_refresh_tick() {
    use shifan::tui::app::{Msg, Screen};
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::Zh);
    let before = overview_submitted(&state);
    // The reader is on the second province, reading the import refusals.
    send(&mut state, &mut s.store, [key(KeyCode::Down), ch('r')]);
    let (dossier, expert) = open_sheet(&s.store);
    submit_elsewhere(&s, &dossier, &expert);
    // Nothing moves before a tick looks.
    assert_eq!(overview_submitted(&state), before);
    // A tick within the second does not read the counter.
    send(&mut state, &mut s.store, [Msg::Tick]);
    assert_eq!(overview_submitted(&state), before);
    // Once the second has passed (made zero here), the tick sees the other commit and reloads.
    if let Screen::Dashboard(d) = &mut state.screen {
        d.refresh.every = std::time::Duration::ZERO;
    }
    send(&mut state, &mut s.store, [Msg::Tick]);
    assert_eq!(overview_submitted(&state), before + 1);
    // The reload leaves them where they were.
    assert!(dash(&state).overview.refusals.open);
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert_eq!(dash(&state).overview.list.selected, 1);
    let screen = render(&state, 80, 24).join("\n");
    assert!(
        screen.contains(&format!("已提交评分表 {}/", before + 1)),
        "{screen}"
    );
    // The assignment tab in front reloads in place too.
    goto(&mut state, &mut s.store, Tab::Assignment);
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Down), key(KeyCode::Down)],
    );
    let selected = dash(&state).assignment.as_ref().map(|a| a.list.selected);
    let (d2, e2) = open_sheet(&s.store);
    submit_elsewhere(&s, &d2, &e2);
    send(&mut state, &mut s.store, [Msg::Tick]);
    let a = dash(&state).assignment.as_ref().expect("assignment");
    assert!(a.submitted.contains(&(d2.clone(), e2.clone())));
    assert_eq!(Some(a.list.selected), selected);
    assert_eq!(overview_submitted(&state), before + 2);
    // The dashboard's own writes do not count as another's (no reload loop).
    send(&mut state, &mut s.store, [Msg::Tick, Msg::Tick]);
    assert_eq!(overview_submitted(&state), before + 2);
}

#[test]
fn the_overview_lists_the_batches_refused_at_import_with_their_reasons() {
    let mut s = demo_setup();
    let refused: i64 = s
        .store
        .connection()
        .query_row("SELECT COUNT(*) FROM refusal", [], |r| r.get(0))
        .expect("refusals");
    assert_eq!(refused, 6, "the demo refuses 6 batches");
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, "ministry", lang);
        assert_eq!(dash(&state).overview.refusals.refusals.len(), 6);
        let home = render(&state, 80, 24).join("\n");
        let hint = if lang == Lang::Zh {
            "导入时拒收 6 批：r 查看原因"
        } else {
            "6 batch(es) refused at import: r for why"
        };
        assert!(home.contains(hint), "{home}");
        send(&mut state, &mut s.store, [ch('r')]);
        assert_eq!(state.context(), Context::Sublist);
        let first = dash(&state).overview.refusals.refusals[0].clone();
        let error = first
            .findings
            .iter()
            .find(|f| f.is_error())
            .expect("an error refused it");
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&state, w, h).join("\n");
            let title = if lang == Lang::Zh {
                "导入时拒收的批次 6"
            } else {
                "Batches refused at import 6"
            };
            assert!(screen.contains(title), "{screen}");
            let province = shifan::tui::labels::province(&s.criteria, &first.province_key, lang);
            assert!(screen.contains(&province), "{screen}");
            // The reason's first words, in the chosen language, and its way forward.
            let msg: String = lang.text(&error.message).chars().take(6).collect();
            assert!(screen.contains(&msg), "{msg:?} in {screen}");
            assert!(screen.contains('→'), "{screen}");
            if lang == Lang::Zh {
                assert!(!screen.contains("error(s)"), "{screen}");
            }
        }
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert_eq!(state.context(), Context::Dashboard);
    }
}

#[test]
fn the_assignment_tab_shows_progress_and_the_overdue_experts() {
    let mut s = demo_setup();
    // Before the review deadline (2026-06-30) nobody is overdue.
    s.store.set_today(date("2026-06-20"));
    let mut state = login(&mut s, "ministry", Lang::Zh);
    goto(&mut state, &mut s.store, Tab::Assignment);
    let a = dash(&state).assignment.as_ref().expect("assignment");
    assert!(!a.progress.is_empty());
    assert!(a.progress.iter().all(|p| !p.overdue));
    // After it, everyone with sheets outstanding is.
    s.store.set_today(date("2026-07-01"));
    let mut state = login(&mut s, "ministry", Lang::Zh);
    goto(&mut state, &mut s.store, Tab::Assignment);
    let a = dash(&state).assignment.as_ref().expect("assignment");
    let progress = s.store.progress(&ministry()).expect("progress");
    for r in &progress.experts {
        let p = a
            .progress
            .iter()
            .find(|p| p.expert == r.key)
            .expect("every expert");
        assert_eq!((p.submitted, p.assigned), (r.submitted, r.assigned));
        assert_eq!(p.overdue, r.submitted < r.assigned, "{}", r.key);
    }
    let late: Vec<_> = a.progress.iter().filter(|p| p.overdue).collect();
    assert!(!late.is_empty(), "the demo leaves sheets open");
    let first = late[0].clone();
    let line = format!("{}/{}", first.submitted, first.assigned);
    for (lang, word, title) in [(Lang::Zh, "逾期", "进度·逾期"), (Lang::En, "late", "late")]
    {
        state.env.lang = lang;
        for (w, h) in [(80, 24), (120, 40)] {
            let rows = render(&state, w, h);
            let row = rows
                .iter()
                .find(|r| r.contains(&first.expert) && r.contains(&line))
                .unwrap_or_else(|| panic!("{} {line}: {rows:#?}", first.expert));
            assert!(row.contains(word), "{row}");
            assert!(rows.iter().any(|r| r.contains(title)), "{rows:#?}");
        }
    }
}

#[test]
fn the_roster_shows_province_unit_expertise_and_conflicts() {
    let mut s = demo_setup();
    let experts = s.store.experts(&ministry()).expect("roster");
    let declared = experts
        .iter()
        .find(|e| !e.avoid_units.is_empty() || !e.avoid_provinces.is_empty())
        .expect("an expert who declared a conflict")
        .clone();
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, "ministry", lang);
        goto(&mut state, &mut s.store, Tab::Assignment);
        send(&mut state, &mut s.store, [ch('e')]);
        assert_eq!(state.context(), Context::Sublist);
        // Scroll to the expert who declared a conflict.
        let at = experts
            .iter()
            .position(|e| e.id == declared.id)
            .unwrap_or(0);
        send(&mut state, &mut s.store, vec![key(KeyCode::Down); at]);
        let rows = render(&state, 120, 40);
        let screen = rows.join("\n");
        assert!(screen.contains(&declared.name), "{screen}");
        // Drawn over the table with nothing of it showing through.
        let under = if lang == Lang::Zh {
            "申报单位"
        } else {
            "Applicant"
        };
        assert!(!screen.contains(under), "{screen}");
        let conflict = if let Some(u) = declared.avoid_units.first() {
            u.chars().take(4).collect::<String>()
        } else {
            shifan::tui::labels::province(&s.criteria, &declared.avoid_provinces[0], lang)
        };
        assert!(screen.contains(&conflict), "{conflict} in {screen}");
        let label = if lang == Lang::Zh {
            "声明回避："
        } else {
            "conflicts: "
        };
        assert!(screen.contains(label), "{screen}");
        if let Some(t) = declared.expertise.first() {
            let t = shifan::tui::labels::demo_type(&s.criteria, t, lang);
            assert!(screen.contains(&t), "{t} in {screen}");
        }
        // It draws at 80×24 too, and Esc goes back to the table.
        assert_eq!(render(&state, 80, 24).len(), 24);
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert_eq!(state.context(), Context::Assignment);
    }
}

#[test]
fn reopen_a_submitted_sheet_from_the_assignment_tab() {
    let mut s = demo_setup();
    let (dossier, expert): (String, String) = s
        .store
        .connection()
        .query_row(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NOT NULL ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a submitted sheet");
    let audits = audit_count(&s.store, "reopen");
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Assignment);
    send(&mut state, &mut s.store, [ch('/')]);
    send(&mut state, &mut s.store, chars(&dossier));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    send(&mut state, &mut s.store, [ch('o')]);
    assert_eq!(state.context(), Context::Pick);
    // A sheet still open is refused at once, with the reason.
    if let Some(open) = picked(&state).items.iter().find(|i| i.reason.is_some()) {
        let open = open.expert.clone();
        pick(&mut state, &mut s.store, &open);
        let (m, error) = message(&state);
        assert!(error && m.contains("nothing to reopen"), "{m}");
    }
    pick(&mut state, &mut s.store, &expert);
    asks(&state, InputPurpose::ReopenReason);
    answer(&mut state, &mut s.store, "分数录入有误，需更正");
    // Enter alone does not reopen: it needs `y`.
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    let still: Option<String> = s
        .store
        .connection()
        .query_row(
            "SELECT h.submitted_at FROM sheet h JOIN assignment a ON a.id = h.assignment_id
             WHERE a.dossier_code = ?1 AND a.expert_id = ?2 AND a.ended_at IS NULL",
            [&dossier, &expert],
            |r| r.get(0),
        )
        .expect("sheet");
    assert!(still.is_some());
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    let now: Option<String> = s
        .store
        .connection()
        .query_row(
            "SELECT h.submitted_at FROM sheet h JOIN assignment a ON a.id = h.assignment_id
             WHERE a.dossier_code = ?1 AND a.expert_id = ?2 AND a.ended_at IS NULL",
            [&dossier, &expert],
            |r| r.get(0),
        )
        .expect("sheet");
    assert_eq!(now, None, "reopened");
    assert_eq!(audit_count(&s.store, "reopen"), audits + 1);
    let a = dash(&state).assignment.as_ref().expect("assignment");
    assert!(!a.submitted.contains(&(dossier.clone(), expert.clone())));

    // On a large round the tab is read again in the background after its own step: the old
    // tab stays on screen (with the outcome in the message line) until the new one is in.
    use shifan::tui::app::Screen;
    let (dossier2, expert2): (String, String) = s
        .store
        .connection()
        .query_row(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NOT NULL AND a.dossier_code <> ?1
             ORDER BY 1, 2 LIMIT 1",
            [&dossier],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("another submitted sheet");
    if let Screen::Dashboard(d) = &mut state.screen {
        d.background_from = 0;
    }
    send(&mut state, &mut s.store, [ch('/')]);
    send(&mut state, &mut s.store, vec![key(KeyCode::Backspace); 20]);
    send(&mut state, &mut s.store, chars(&dossier2));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    send(&mut state, &mut s.store, [ch('o')]);
    pick(&mut state, &mut s.store, &expert2);
    answer(&mut state, &mut s.store, "复核");
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    assert!(
        dash(&state).assignment_busy(),
        "read again in the background"
    );
    let old = dash(&state).assignment.as_ref().expect("the old tab stays");
    assert!(old.submitted.contains(&(dossier2.clone(), expert2.clone())));
    assert!(old.draft.is_none() && old.pick.is_none());
    if let Screen::Dashboard(d) = &mut state.screen {
        let mut env = state.env.clone();
        d.collect_assignment(&mut env, Some(std::time::Duration::from_secs(30)));
    }
    let a = dash(&state).assignment.as_ref().expect("read");
    assert!(!a.submitted.contains(&(dossier2.clone(), expert2)));
    assert_eq!(a.list.query.value(), dossier2, "the filter kept");
}

#[test]
fn on_a_large_round_the_ranking_is_computed_in_the_background_and_kept() {
    use shifan::tui::app::{Msg, Screen};
    let mut s = demo_setup();
    // The demo round is small: lower the threshold so its ranking takes the background path
    // a 2,000-dossier round takes.
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, "ministry", lang);
        if let Screen::Dashboard(d) = &mut state.screen {
            d.background_from = 0;
        }
        goto(&mut state, &mut s.store, Tab::Ranking);
        assert!(dash(&state).ranking_busy(), "computing in the background");
        assert!(dash(&state).ranking.is_none());
        let screen = render(&state, 80, 24).join("\n");
        let busy = if lang == Lang::Zh {
            "计算中…"
        } else {
            "computing…"
        };
        assert!(screen.contains(busy), "{screen}");
        // The thread's own read connection ranks the round; the tab takes it when ready.
        if let Screen::Dashboard(d) = &mut state.screen {
            let mut env = state.env.clone();
            d.collect_ranking(&mut env, Some(std::time::Duration::from_secs(30)));
        }
        let d = dash(&state);
        assert!(!d.ranking_busy());
        let tab = d.ranking.as_ref().expect("ranked");
        let direct = s
            .store
            .ranking(&s.criteria, &ministry())
            .expect("ranking in place");
        assert_eq!(tab.round.ranking.rows.len(), direct.ranking.rows.len());
        assert_eq!(
            tab.round
                .ranking
                .rows
                .iter()
                .map(|r| &r.code)
                .collect::<Vec<_>>(),
            direct
                .ranking
                .rows
                .iter()
                .map(|r| &r.code)
                .collect::<Vec<_>>()
        );
        let screen = render(&state, 80, 24).join("\n");
        assert!(!screen.contains(busy), "{screen}");
        // Cached: leaving and coming back does not compute again.
        goto(&mut state, &mut s.store, Tab::Selection);
        goto(&mut state, &mut s.store, Tab::Ranking);
        assert!(!dash(&state).ranking_busy());
        assert!(dash(&state).ranking.is_some());
        // Until another connection changes the data: then it is computed again.
        let (dossier, expert) = open_sheet(&s.store);
        submit_elsewhere(&s, &dossier, &expert);
        if let Screen::Dashboard(d) = &mut state.screen {
            d.refresh.every = std::time::Duration::ZERO;
        }
        send(&mut state, &mut s.store, [Msg::Tick]);
        assert!(dash(&state).ranking_busy(), "stale: computed again");
        if let Screen::Dashboard(d) = &mut state.screen {
            let mut env = state.env.clone();
            d.collect_ranking(&mut env, Some(std::time::Duration::from_secs(30)));
        }
        assert!(dash(&state).ranking.is_some());
    }
}

#[test]
fn a_what_if_with_a_type_limit_shows_what_comes_in_and_goes_out() {
    let mut s = demo_setup();
    for lang in [Lang::En, Lang::Zh] {
        let mut state = login(&mut s, "ministry", lang);
        goto(&mut state, &mut s.store, Tab::Selection);
        let base = dash(&state)
            .selection
            .as_ref()
            .and_then(|t| t.live().map(|l| l.selection.selected.clone()))
            .expect("a live selection");
        send(&mut state, &mut s.store, [ch('l')]);
        asks(&state, InputPurpose::MaxPerType);
        answer(&mut state, &mut s.store, "15");
        let tab = dash(&state).selection.as_ref().expect("selection");
        assert!(tab.what_if(), "{:?}", state.env.message);
        let now = tab.live().expect("live").clone();
        // At most 15 of each type on the what-if's list.
        let mut per_type = std::collections::BTreeMap::new();
        for c in &now.selection.selected {
            let t = now.round.ranking.row(c).expect("ranked").type_id.clone();
            *per_type.entry(t).or_insert(0) += 1;
        }
        assert!(per_type.values().all(|&n| n <= 15), "{per_type:?}");
        let came_in: Vec<&String> = now
            .selection
            .selected
            .iter()
            .filter(|c| !base.contains(c))
            .collect();
        let went_out: Vec<&String> = base
            .iter()
            .filter(|c| !now.selection.selected.contains(c))
            .collect();
        assert!(
            !went_out.is_empty(),
            "a limit of 15 per type changes the list"
        );
        let rows = render(&state, 120, 40);
        let screen = rows.join("\n");
        let head = if lang == Lang::Zh {
            format!(
                "与基准名单相比：调入 {} 个，调出 {} 个",
                came_in.len(),
                went_out.len()
            )
        } else {
            format!(
                "Against the base list: {} in, {} out",
                came_in.len(),
                went_out.len()
            )
        };
        assert!(screen.contains(&head), "{screen}");
        // After the lists, each unit in (+) and out (-): page down to the first one out.
        let sign = format!(
            "-{}",
            now.round.ranking.row(went_out[0]).expect("ranked").rank
        );
        let mut found = None;
        for _ in 0..40 {
            let rows = render(&state, 120, 40);
            found = rows
                .iter()
                .find(|r| r.contains(went_out[0].as_str()) && r.contains(&sign))
                .cloned();
            if found.is_some() {
                break;
            }
            send(&mut state, &mut s.store, [key(KeyCode::PageDown)]);
        }
        assert!(found.is_some(), "{} out, marked {sign}", went_out[0]);
        assert_eq!(render(&state, 80, 24).len(), 24);
        // Limits per type, by name or id: the most of one type, the fewest of another.
        send(&mut state, &mut s.store, [ch('l')]);
        asks(&state, InputPurpose::MaxPerType);
        answer(
            &mut state,
            &mut s.store,
            "信息服务型::10, overall_advancement:22:",
        );
        assert!(
            !state.env.message.as_ref().is_some_and(|m| m.error),
            "{:?}",
            state.env.message
        );
        let tab = dash(&state).selection.as_ref().expect("selection");
        assert!(tab.what_if(), "{:?}", state.env.message);
        let now = tab.live().expect("live").clone();
        let count = |t: &str| {
            now.selection
                .selected
                .iter()
                .filter(|c| now.round.ranking.row(c).expect("ranked").type_id == t)
                .count()
        };
        assert!(count("information_service") <= 10);
        assert!(
            count("overall_advancement") >= 22,
            "{}",
            count("overall_advancement")
        );
        let screen = render(&state, 120, 40).join("\n");
        let note = if lang == Lang::Zh {
            "假设：类型限额 information_service::10, overall_advancement:22:"
        } else {
            "what-if: type limits information_service::10, overall_advancement:22:"
        };
        assert!(screen.contains(note), "{screen}");
        // A type that does not exist is named, and the field asks again with the text kept.
        send(&mut state, &mut s.store, [ch('l')]);
        answer(&mut state, &mut s.store, "nope::3");
        asks(&state, InputPurpose::MaxPerType);
        assert!(state.env.message.as_ref().is_some_and(|m| m.error));
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        // Empty goes back to round.toml's type limits.
        send(&mut state, &mut s.store, [ch('l')]);
        answer(&mut state, &mut s.store, "");
        let tab = dash(&state).selection.as_ref().expect("selection");
        assert!(!tab.what_if());
        assert_eq!(tab.live().expect("live").selection.selected, base);
    }
}

#[test]
fn a_refresh_keeps_the_ranking_readers_place() {
    use shifan::tui::app::{Msg, Screen};
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Ranking);
    // Sorted by province, the fourth row, its calculation sheet open.
    send(&mut state, &mut s.store, [ch('o')]);
    send(&mut state, &mut s.store, vec![key(KeyCode::Down); 3]);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    let code = {
        let r = dash(&state).ranking.as_ref().expect("ranking");
        assert_eq!(r.sort, SortBy::Province);
        r.explain
            .as_ref()
            .expect("calculation sheet")
            .explanation
            .code
            .clone()
    };
    let (dossier, expert) = open_sheet(&s.store);
    submit_elsewhere(&s, &dossier, &expert);
    if let Screen::Dashboard(d) = &mut state.screen {
        d.refresh.every = std::time::Duration::ZERO;
    }
    let before = dash(&state)
        .ranking
        .as_ref()
        .map(|r| {
            r.round
                .ranking
                .rows
                .iter()
                .find(|x| x.code == dossier)
                .map(|x| x.sheets)
        })
        .expect("ranking");
    send(&mut state, &mut s.store, [Msg::Tick]);
    let r = dash(&state).ranking.as_ref().expect("ranking");
    // The new figures (one more sheet on the submitted dossier) …
    let after = r
        .round
        .ranking
        .rows
        .iter()
        .find(|x| x.code == dossier)
        .map(|x| x.sheets);
    assert_ne!(before, after, "the ranking was computed again");
    // … and the reader where they were.
    assert_eq!(r.sort, SortBy::Province);
    assert_eq!(
        r.explain.as_ref().map(|e| e.explanation.code.clone()),
        Some(code)
    );
    assert_eq!(state.context(), Context::Explain);
}

#[test]
fn on_a_large_round_the_assignment_tab_is_read_in_the_background_and_keeps_the_readers_place() {
    use shifan::tui::app::{Msg, Screen};
    let mut s = demo_setup();
    let wait = |state: &mut State| {
        if let Screen::Dashboard(d) = &mut state.screen {
            let mut env = state.env.clone();
            d.collect_assignment(&mut env, Some(std::time::Duration::from_secs(30)));
            state.env = env;
        }
    };
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, "ministry", lang);
        // The demo round is small: lower the threshold to the path a 2,000-dossier round takes.
        if let Screen::Dashboard(d) = &mut state.screen {
            d.background_from = 0;
        }
        goto(&mut state, &mut s.store, Tab::Assignment);
        assert!(dash(&state).assignment_busy(), "read in the background");
        assert!(dash(&state).assignment.is_none());
        let screen = render(&state, 80, 24).join("\n");
        let busy = if lang == Lang::Zh {
            "申报书与专家就绪后自动显示"
        } else {
            "the dossiers and experts show when ready"
        };
        assert!(screen.contains(busy), "{screen}");
        // Keys reach nothing meanwhile (and do not wait for it). A key collects a tab that is
        // ready, so on an idle machine the read may land between the two keys: only while it
        // is still running must the keys have reached nothing.
        send(&mut state, &mut s.store, [key(KeyCode::Down), ch('a')]);
        if dash(&state).assignment_busy() {
            assert!(state.popup.is_none());
        } else if state.popup.is_some() {
            send(&mut state, &mut s.store, [ch('n')]);
        }
        wait(&mut state);
        let d = dash(&state);
        assert!(!d.assignment_busy());
        let tab = d.assignment.as_ref().expect("read");
        let direct =
            shifan::tui::screens::ministry::assignment::AssignmentTab::load(&state.env, &s.store)
                .expect("read in place");
        assert_eq!(tab.rows.len(), direct.rows.len());
        assert_eq!(tab.loads, direct.loads);
        assert!(!render(&state, 80, 24).join("\n").contains(busy));
        // The reader filters to a dossier with an open sheet.
        let (dossier, expert) = open_sheet(&s.store);
        send(&mut state, &mut s.store, [ch('/')]);
        send(&mut state, &mut s.store, chars(&dossier));
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        let submitted = |st: &State, e: &str| {
            dash(st)
                .assignment
                .as_ref()
                .and_then(|a| {
                    a.progress
                        .iter()
                        .find(|p| p.expert == e)
                        .map(|p| p.submitted)
                })
                .unwrap_or(usize::MAX)
        };
        let before = submitted(&state, &expert);
        // Another connection submits: read again in the background, the old tab on screen.
        submit_elsewhere(&s, &dossier, &expert);
        if let Screen::Dashboard(d) = &mut state.screen {
            d.refresh.every = std::time::Duration::ZERO;
        }
        send(&mut state, &mut s.store, [Msg::Tick]);
        assert!(dash(&state).assignment_busy(), "stale: read again");
        assert_eq!(
            submitted(&state, &expert),
            before,
            "the old tab stays meanwhile"
        );
        assert!(render(&state, 80, 24).join("\n").contains(&dossier));
        wait(&mut state);
        let a = dash(&state).assignment.as_ref().expect("read again");
        assert_eq!(a.list.query.value(), dossier, "the filter kept");
        assert_eq!(a.list.visible.len(), 1);
        assert_eq!(submitted(&state, &expert), before + 1, "the new data");
    }
}

#[test]
fn on_a_large_round_the_overviews_progress_is_read_in_the_background() {
    use shifan::tui::app::{Msg, Screen};
    use shifan::tui::screens::ministry::overview::Reviewed;
    use shifan::tui::screens::ministry::overview_job;
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    let rows = |p: &shifan::store::Progress| {
        p.experts
            .iter()
            .chain(&p.provinces)
            .map(|r| (r.key.clone(), r.assigned, r.submitted))
            .collect::<Vec<_>>()
    };
    let in_place = rows(
        dash(&state)
            .overview
            .progress
            .as_ref()
            .expect("read in place at login"),
    );
    // The path a 2,000-dossier round takes at login: the counts at once, the pane later.
    let (tab, job) = overview_job::load(&state.env, &s.store, 0).expect("overview");
    let job = job.expect("a background read (the store has a file)");
    assert!(tab.reading && tab.progress.is_none());
    assert_eq!(
        tab.total,
        dash(&state).overview.total,
        "the counts are there at once"
    );
    if let Screen::Dashboard(d) = &mut state.screen {
        d.overview = tab;
        d.reviewed_job = Some(std::rc::Rc::new(job));
        d.background_from = 0;
    }
    let screen = render(&state, 80, 24).join("\n");
    assert!(screen.contains("computing…"), "{screen}");
    assert!(
        screen.contains("Total"),
        "the table is drawn meanwhile:\n{screen}"
    );
    let wait = |state: &mut State| {
        if let Screen::Dashboard(d) = &mut state.screen {
            let mut env = state.env.clone();
            d.collect_reviewed(&mut env, Some(std::time::Duration::from_secs(30)));
            state.env = env;
        }
    };
    wait(&mut state);
    assert!(!dash(&state).overview.reading);
    assert_eq!(
        dash(&state).overview.progress.as_ref().map(rows),
        Some(in_place)
    );
    let direct = Reviewed::read(&state.env, &s.store, dash(&state).overview.total).expect("read");
    assert_eq!(dash(&state).overview.coverage, direct.coverage);
    assert_eq!(dash(&state).overview.overdue, direct.overdue);
    let screen = render(&state, 80, 24).join("\n");
    assert!(!screen.contains("computing…"), "{screen}");
    // Another connection submits: read again, the last progress on screen meanwhile.
    let before = overview_submitted(&state);
    let (dossier, expert) = open_sheet(&s.store);
    submit_elsewhere(&s, &dossier, &expert);
    if let Screen::Dashboard(d) = &mut state.screen {
        d.refresh.every = std::time::Duration::ZERO;
    }
    send(&mut state, &mut s.store, [Msg::Tick]);
    assert!(
        dash(&state).overview.reading,
        "read again in the background"
    );
    assert_eq!(
        overview_submitted(&state),
        before,
        "the last read stays meanwhile"
    );
    wait(&mut state);
    assert_eq!(overview_submitted(&state), before + 1);
}

#[test]
fn a_refresh_keeps_the_selection_readers_place_and_what_if() {
    use shifan::tui::app::{Msg, Screen};
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Selection);
    // A what-if (80 units), read from its second page.
    send(&mut state, &mut s.store, [ch('t')]);
    answer(&mut state, &mut s.store, "80");
    send(&mut state, &mut s.store, [key(KeyCode::PageDown)]);
    send(&mut state, &mut s.store, vec![key(KeyCode::Down); 3]);
    let scroll = dash(&state).selection.as_ref().map(|t| t.scroll);
    assert_eq!(scroll, Some(13));
    let (dossier, expert) = open_sheet(&s.store);
    let sheets = |state: &State| {
        dash(state).selection.as_ref().and_then(|t| {
            t.live()?
                .round
                .ranking
                .rows
                .iter()
                .find(|r| r.code == dossier)
                .map(|r| r.sheets)
        })
    };
    let before = sheets(&state);
    submit_elsewhere(&s, &dossier, &expert);
    if let Screen::Dashboard(d) = &mut state.screen {
        d.refresh.every = std::time::Duration::ZERO;
    }
    send(&mut state, &mut s.store, [Msg::Tick]);
    assert_ne!(sheets(&state), before, "the selection was read again");
    let t = dash(&state).selection.as_ref().expect("selection");
    assert_eq!(t.scroll, 13, "the reader's place is kept");
    assert!(t.what_if(), "and the what-if");
    assert_eq!(t.constraints.target, 80);
}

#[test]
fn a_refresh_keeps_the_publicity_readers_place() {
    use shifan::domain::access::{Role, User};
    use shifan::tui::app::{Msg, Screen};
    let mut s = demo_setup();
    s.store.set_today(date("2026-08-03"));
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Publicity);
    seal_with_open_sheets(&mut state, &mut s.store);
    send(&mut state, &mut s.store, vec![key(KeyCode::Down); 5]);
    assert_eq!(dash(&state).publicity.as_ref().map(|p| p.scroll), Some(5));
    // Another ministry session starts the publicity.
    let mut other = Store::open(&s.db).expect("a second connection");
    let ministry = User {
        name: "ministry".into(),
        role: Role::Ministry,
    };
    other
        .start_publicity(&s.criteria, &ministry, Some(date("2026-08-03")))
        .expect("publicity starts");
    if let Screen::Dashboard(d) = &mut state.screen {
        d.refresh.every = std::time::Duration::ZERO;
    }
    send(&mut state, &mut s.store, [Msg::Tick]);
    let p = dash(&state).publicity.as_ref().expect("publicity");
    assert_eq!(
        p.publicity.phase(),
        PublicityPhase::InPublicity,
        "the tab was read again"
    );
    assert_eq!(p.scroll, 5, "the reader's place is kept");
}

/// The text inside the pick list's box (the left pane, drawn over the table), row by row:
/// the columns between its borders, found from the corner at the end of its title row.
fn pick_box_text(screen: &[String], title: &str) -> String {
    let top = screen
        .iter()
        .position(|r| r.contains(title))
        .unwrap_or_else(|| panic!("the pick list's title {title:?}: {}", screen.join("\n")));
    let right = column_of(&screen[top], "┐").expect("the box's corner");
    let mut out = String::new();
    for row in &screen[top + 1..] {
        if row.starts_with('└') {
            break;
        }
        let mut col = 0;
        for c in row.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if col >= 1 && col + w <= right {
                out.push(c);
            }
            col += w;
        }
    }
    out
}

#[test]
fn the_swap_list_shows_the_whole_reason_of_the_row_under_the_cursor_at_80_columns() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    goto(&mut state, &mut s.store, Tab::Assignment);
    // A dossier with an expert who has not submitted (that one leaves), whose province has
    // an expert (kept out by a rule with a long reason).
    let (dossier, out): (String, String) = s
        .store
        .connection()
        .query_row(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             LEFT JOIN sheet h ON h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL
               AND EXISTS (SELECT 1 FROM expert e JOIN dossier d ON d.code = a.dossier_code
                           WHERE e.province_key = d.province_key)
             ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an unsubmitted sheet, on a dossier whose province has an expert");
    send(&mut state, &mut s.store, [ch('/')]);
    send(&mut state, &mut s.store, chars(&dossier));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    send(&mut state, &mut s.store, [ch('w')]);
    pick(&mut state, &mut s.store, &out);
    // The ineligible expert with the longest reason.
    let items = picked(&state).items.clone();
    let (at, barred) = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.reason.is_some())
        .max_by_key(|(_, i)| {
            i.reason
                .as_ref()
                .map_or(0, |r| width(&r.zh).max(width(&r.en)))
        })
        .expect("an ineligible expert");
    let reason = barred.reason.clone().expect("a reason");
    let start = picked(&state).list.selected;
    let moves = if at >= start {
        vec![key(KeyCode::Down); at - start]
    } else {
        vec![key(KeyCode::Up); start - at]
    };
    send(&mut state, &mut s.store, moves);
    assert_eq!(picked(&state).list.selected, at);
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for (lang, text, title) in [
        (Lang::En, &reason.en, "who replaces"),
        (Lang::Zh, &reason.zh, "替换"),
    ] {
        state.env.lang = lang;
        state.env.message = None;
        let label = lang.pick(&barred.label.zh, &barred.label.en).to_string();
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&state, w, h);
            if w == 80 {
                // The row itself cuts the reason at this width.
                let row = screen
                    .iter()
                    .find(|r| r.contains(&label))
                    .unwrap_or_else(|| panic!("{label:?}: {}", screen.join("\n")));
                assert!(!squeeze(row).contains(&squeeze(text)), "{row}");
            }
            let inside = squeeze(&pick_box_text(&screen, title));
            assert!(
                inside.contains(&squeeze(text)),
                "{lang:?} {w}×{h}: the whole reason {text:?} is in the list:\n{}",
                screen.join("\n")
            );
        }
    }
}
