//! The ministry's and the clerk's dashboard on the demo round, driven through the real key map
//! and `update`, checked in the store and drawn at 80×24 in both languages.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use ratatui::crossterm::event::KeyCode;
use shifan::domain::publicity::Phase as PublicityPhase;
use shifan::store::Store;
use shifan::tui::app::{Command, Msg, Screen, State, update};
use shifan::tui::keymap::Context;
use shifan::tui::lang::Lang;
use shifan::tui::phase::Phase;
use shifan::tui::popup::Popup;
use shifan::tui::screens::dashboard::{DashboardState, Tab};
use shifan::tui::screens::ministry::ranking::SortBy;
use shifan::tui::testing::{ch, chars, key, render};
use shifan::tui::text::width;
use tui_setup::{DEMO_PASSWORD, DemoSetup, demo_setup};

fn send(state: &mut State, store: &mut Store, msgs: impl IntoIterator<Item = Msg>) -> Command {
    let mut last = Command::None;
    for m in msgs {
        last = update(state, m, store);
        if last == Command::Quit {
            break;
        }
    }
    last
}

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
    send(state, store, vec![key(KeyCode::Backspace); 40]);
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
            .selected
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

#[test]
fn publicity_through_the_popups_and_the_phase_follows() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    assert_eq!(state.env.phase, Phase::Review);
    assert!(snapshot(&state)[0].contains("phase: review"));
    goto(&mut state, &mut s.store, Tab::Publicity);
    let today = jiff::ZonedDateTime::now().date();

    // Confirming before anything is proposed is refused, in the current language.
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, &today.to_string());
    confirm(&mut state, &mut s.store);
    let (m, error) = message(&state);
    assert!(error, "{m}");
    assert!(m.contains("draft") || m.contains("confirm"), "{m}");

    // Propose.
    send(&mut state, &mut s.store, [ch('p')]);
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
    assert_eq!(state.env.phase, Phase::Publicity);
    assert!(snapshot(&state)[0].contains("phase: publicity"));
    // Start (default date: today).
    send(&mut state, &mut s.store, [ch('s')]);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    confirm(&mut state, &mut s.store);
    assert!(!message(&state).1, "{:?}", state.env.message);
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
    // Confirm before the period is over: refused; after it: done.
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, &today.to_string());
    confirm(&mut state, &mut s.store);
    assert!(message(&state).1, "{:?}", state.env.message);
    let later = today.checked_add(jiff::Span::new().days(30)).expect("date");
    send(&mut state, &mut s.store, [ch('c')]);
    answer(&mut state, &mut s.store, &later.to_string());
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
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("an unsubmitted sheet");
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
    // An unknown expert is refused by the store, shown in the message line.
    send(&mut state, &mut s.store, [ch('w')]);
    answer(&mut state, &mut s.store, &out);
    answer(&mut state, &mut s.store, "E99");
    answer(&mut state, &mut s.store, "test");
    confirm(&mut state, &mut s.store);
    let (m, error) = message(&state);
    assert!(error && m.contains("E99"), "{m}");
    // The real swap.
    send(&mut state, &mut s.store, [ch('w')]);
    answer(&mut state, &mut s.store, &out);
    answer(&mut state, &mut s.store, &into);
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
        assert!(all.contains(t("专家负载", "Loads")), "{all}");
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
        assert!(all.contains("shifan export --out DIR"), "{all}");
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
