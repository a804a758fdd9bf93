//! The TUI driven through its real key map and `update`, on a real SQLite store, and drawn on
//! ratatui's `TestBackend`.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shifan::store::Store;
use shifan::tui::app::{Command, Msg, Screen, State, update};
use shifan::tui::keymap::Context;
use shifan::tui::lang::Lang;
use shifan::tui::popup::Popup;
use shifan::tui::screens::official::Mode;
use shifan::tui::testing::{ch, chars, column_of, key, render};
use shifan::tui::text::width;
use tui_setup::{PASSWORD, Setup, setup};

fn login(s: &mut Setup, name: &str, lang: Lang) -> State {
    let mut state = State::new(s.criteria.clone(), lang, &s.store);
    let mut keys = chars(name);
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

fn scoring(state: &State) -> &shifan::tui::screens::scoring::ScoringState {
    match &state.screen {
        Screen::Scoring(s) => s,
        other => panic!("not on the scoring screen: {other:?}"),
    }
}

fn message(state: &State) -> (String, bool) {
    state
        .env
        .message
        .as_ref()
        .map_or((String::new(), false), |m| (m.text.en.clone(), m.error))
}

fn stored_points(store: &Store, code: &str, criterion: &str) -> Option<f64> {
    store
        .connection()
        .query_row(
            "SELECT points FROM score WHERE dossier_code = ?1 AND expert_id = 'E01' AND criterion = ?2",
            [code, criterion],
            |r| r.get(0),
        )
        .ok()
}

/// Display columns of every `│` in a row.
fn separators(row: &str) -> Vec<usize> {
    row.char_indices()
        .filter(|(_, c)| *c == '│')
        .map(|(i, _)| width(&row[..i]))
        .collect()
}

#[test]
fn an_expert_scores_a_whole_sheet_across_two_sessions_and_submits() {
    let mut s = setup();
    let ids: Vec<String> = s
        .criteria
        .rubric
        .criteria
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let code = s.assigned[0].clone();

    // First session: three entries, one refusal, one correction, then quit half-way.
    let mut state = login(&mut s, "e01", Lang::Zh);
    match &state.screen {
        Screen::ExpertList(l) => assert_eq!(l.rows.len(), 3),
        other => panic!("expert home expected, got {other:?}"),
    }
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert_eq!(scoring(&state).code, code);
    assert_eq!(scoring(&state).current, 0);
    send(&mut state, &mut s.store, [ch('8'), key(KeyCode::Enter)]);
    assert_eq!(stored_points(&s.store, &code, &ids[0]), Some(8.0));
    assert_eq!(scoring(&state).current, 1);

    // 12 > 10: the field keeps "12" and refuses it on the spot, by the criterion's name.
    send(&mut state, &mut s.store, [ch('1'), ch('2')]);
    assert_eq!(scoring(&state).entry.value(), "12");
    let (m, error) = message(&state);
    assert!(error && m.contains("more than the maximum 10"), "{m}");
    // 7.25 is off the 0.5 step: kept as typed, refused.
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Backspace), key(KeyCode::Backspace)],
    );
    send(&mut state, &mut s.store, chars("7.25"));
    assert_eq!(scoring(&state).entry.value(), "7.25");
    assert!(
        message(&state).0.contains("steps of 0.5"),
        "{:?}",
        message(&state)
    );
    // Refused on Enter too, and nothing is stored.
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(message(&state).1);
    assert_eq!(stored_points(&s.store, &code, &ids[1]), None);
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Backspace), key(KeyCode::Backspace)],
    );
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert_eq!(stored_points(&s.store, &code, &ids[1]), Some(7.0));
    // Correct the first entry.
    send(
        &mut state,
        &mut s.store,
        [key(KeyCode::Up), key(KeyCode::Up)],
    );
    assert_eq!(scoring(&state).current, 0);
    send(
        &mut state,
        &mut s.store,
        [ch('9'), ch('.'), ch('5'), key(KeyCode::Enter)],
    );
    assert_eq!(stored_points(&s.store, &code, &ids[0]), Some(9.5));
    send(&mut state, &mut s.store, [key(KeyCode::Down)]);
    assert_eq!(scoring(&state).current, 2);
    send(&mut state, &mut s.store, [ch('6'), key(KeyCode::Enter)]);
    // Quit half-way: back to the list, then quit.
    assert_eq!(send(&mut state, &mut s.store, [ch('q')]), Command::None);
    assert!(matches!(state.screen, Screen::ExpertList(_)));
    // From the home screen `q` asks first (y leaves).
    assert_eq!(send(&mut state, &mut s.store, [ch('q')]), Command::None);
    assert_eq!(state.context(), Context::Confirm);
    assert_eq!(send(&mut state, &mut s.store, [ch('y')]), Command::Quit);
    drop(state);

    // Second session on a reopened store: resumes at the first unscored criterion.
    s.store = tui_setup::reopen(&s.db);
    let mut state = login(&mut s, "e01", Lang::En);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert_eq!(scoring(&state).current, 3);
    assert!(!scoring(&state).summary);
    // Submitting now is refused with what is missing.
    send(&mut state, &mut s.store, [ch('s'), key(KeyCode::Enter)]);
    assert!(state.popup.is_none());
    assert!(
        message(&state).0.contains("cannot submit"),
        "{:?}",
        message(&state)
    );
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    for c in &s.criteria.rubric.criteria[3..] {
        let p = shifan::tui::text::points(c.max - c.step);
        send(&mut state, &mut s.store, chars(&p));
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        assert_eq!(
            stored_points(&s.store, &code, &c.id),
            Some(c.max - c.step),
            "{}",
            c.id
        );
    }
    assert!(
        message(&state).0.contains("All criteria scored"),
        "{:?}",
        message(&state)
    );
    // The opinion, in Chinese, typed into the opinion editor and saved with Ctrl-S.
    send(&mut state, &mut s.store, [ch('o')]);
    assert_eq!(state.context(), Context::OpinionEditor);
    send(&mut state, &mut s.store, chars("基础扎实，方案可行。"));
    send(
        &mut state,
        &mut s.store,
        [Msg::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        ))],
    );
    assert_eq!(state.context(), Context::Scoring);
    send(&mut state, &mut s.store, [ch('n'), ch('y')]);
    // Summary, submit, confirm.
    send(&mut state, &mut s.store, [ch('s')]);
    assert_eq!(state.context(), Context::Summary);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(matches!(state.popup, Some(Popup::Confirm { .. })));
    send(&mut state, &mut s.store, [ch('y')]);
    assert!(
        matches!(state.screen, Screen::ExpertList(_)),
        "{:?}",
        state.env.message
    );
    assert!(message(&state).0.contains("submitted"));

    // What SQLite holds.
    let conn = s.store.connection();
    let n: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM score WHERE dossier_code = ?1 AND expert_id = 'E01'",
            [&code],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n as usize, ids.len());
    assert_eq!(stored_points(&s.store, &code, &ids[0]), Some(9.5));
    assert_eq!(stored_points(&s.store, &code, &ids[1]), Some(7.0));
    assert_eq!(stored_points(&s.store, &code, &ids[2]), Some(6.0));
    let (opinion, recommend, submitted): (String, bool, bool) = conn
        .query_row(
            "SELECT opinion, recommend, submitted_at IS NOT NULL FROM sheet WHERE dossier_code = ?1 AND expert_id = 'E01'",
            [&code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(opinion, "基础扎实，方案可行。");
    assert!(recommend && submitted);
    // The other expert's sheet is untouched.
    let other: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM score WHERE expert_id = 'E02'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(other, 0);

    // A submitted sheet opens read-only, at its summary.
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(scoring(&state).summary && scoring(&state).sheet.submitted);
    send(&mut state, &mut s.store, [key(KeyCode::Esc), ch('5')]);
    assert!(message(&state).0.contains("locked"));
}

#[test]
fn an_expert_recuses_with_a_reason() {
    let mut s = setup();
    let code = s.assigned[1].clone();
    let mut state = login(&mut s, "e01", Lang::Zh);
    send(&mut state, &mut s.store, [key(KeyCode::Down), ch('x')]);
    assert_eq!(state.context(), Context::TextPopup);
    // An empty reason is refused.
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(state.popup.is_none() && message(&state).1);
    send(&mut state, &mut s.store, [ch('x')]);
    send(&mut state, &mut s.store, chars("本人曾参与该单位项目"));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(matches!(state.popup, Some(Popup::Confirm { .. })));
    send(&mut state, &mut s.store, [ch('y')]);
    match &state.screen {
        Screen::ExpertList(l) => {
            assert_eq!(l.rows.len(), 2);
            assert!(l.rows.iter().all(|r| r.code != code));
        }
        other => panic!("{other:?}"),
    }
    let conn = s.store.connection();
    let reason: String = conn
        .query_row(
            "SELECT reason FROM recusal WHERE dossier_code = ?1 AND expert_id = 'E01'",
            [&code],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "本人曾参与该单位项目");
    let ended: String = conn
        .query_row(
            "SELECT ended_reason FROM assignment WHERE dossier_code = ?1 AND expert_id = 'E01'",
            [&code],
            |r| r.get(0),
        )
        .unwrap();
    assert!(ended.contains("本人曾参与"));
    let audited: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'recuse'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn wrong_password_is_refused_and_language_switches() {
    let mut s = setup();
    let mut state = State::new(s.criteria.clone(), Lang::Zh, &s.store);
    let mut keys = chars("e01");
    keys.push(key(KeyCode::Enter));
    keys.extend(chars("wrong"));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(matches!(state.screen, Screen::Login(_)));
    assert!(message(&state).1);
    let rows = render(&state, 80, 24);
    assert!(
        rows.iter().any(|r| r.contains("账号或密码错误")),
        "{rows:#?}"
    );
    // F2 switches the language on the login screen ('L' would be typed).
    send(&mut state, &mut s.store, [key(KeyCode::F(2))]);
    assert_eq!(state.env.lang, Lang::En);
    let rows = render(&state, 80, 24);
    assert!(rows.iter().any(|r| r.contains("Password")), "{rows:#?}");
}

#[test]
fn search_filters_the_list() {
    let mut s = setup();
    let mut state = login(&mut s, "e01", Lang::Zh);
    let target = s.assigned[2].clone();
    send(&mut state, &mut s.store, [ch('/')]);
    assert_eq!(state.context(), Context::Filter);
    send(&mut state, &mut s.store, chars(&target));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    match &state.screen {
        Screen::ExpertList(l) => {
            assert_eq!(l.list.visible.len(), 1);
            assert_eq!(l.rows[l.list.visible[0]].code, target);
        }
        other => panic!("{other:?}"),
    }
    let rows = render(&state, 80, 24);
    assert!(rows.iter().any(|r| r.contains(&format!("/{target}"))));
    // Esc while filtering clears the filter.
    send(&mut state, &mut s.store, [ch('/'), key(KeyCode::Esc)]);
    match &state.screen {
        Screen::ExpertList(l) => assert_eq!(l.list.visible.len(), 3),
        other => panic!("{other:?}"),
    }
}

fn assert_aligned(rows: &[String], first: usize, last: usize) {
    let expected = separators(&rows[first]);
    assert!(expected.len() >= 3, "{:?}", rows[first]);
    for r in &rows[first..=last] {
        assert_eq!(separators(r), expected, "row {r:?}");
        assert_eq!(width(r), 80, "row {r:?}");
    }
}

fn snapshot(state: &State) -> Vec<String> {
    let rows = render(state, 80, 24);
    assert_eq!(rows.len(), 24);
    if std::env::var_os("SHIFAN_SHOW_SCREENS").is_some() {
        eprintln!("{}\n", rows.join("\n"));
    }
    rows
}

#[test]
fn every_screen_draws_at_80x24_in_chinese_and_english() {
    let mut s = setup();
    for lang in [Lang::Zh, Lang::En] {
        let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        // Login.
        let state = State::new(s.criteria.clone(), lang, &s.store);
        let rows = snapshot(&state);
        assert!(rows[0].contains(t("未登录", "not logged in")), "{rows:#?}");
        assert!(
            rows[0].contains(t("阶段：评审", "phase: review")),
            "{}",
            rows[0]
        );
        assert!(rows.iter().any(|r| r.contains(t("账号", "Account"))));
        assert!(rows[23].contains(t("登录", "log in")), "{}", rows[23]);

        // Expert list: status bar, title with progress, aligned CJK columns, footer.
        let mut state = login(&mut s, "e01", lang);
        let rows = snapshot(&state);
        assert!(rows[0].contains("e01") && rows[0].contains(t("评审专家 E01", "expert E01")));
        assert!(
            rows[1].contains(t("我的申报书", "My dossiers")),
            "{}",
            rows[1]
        );
        assert!(
            rows[1].contains(t("已提交 0/3", "submitted 0/3")),
            "{}",
            rows[1]
        );
        assert!(rows[2].contains(t("申报单位", "Applicant")));
        assert!(
            rows[3].contains(&s.assigned[0]) && rows[3].contains("0/12"),
            "{}",
            rows[3]
        );
        assert_aligned(&rows, 2, 5);
        // Help is the last hint, or `? 更多` when the hints do not all fit (中文 at 80 columns,
        // since the list's `o 排序`).
        assert!(
            rows[23].contains(t("打开", "open"))
                && (rows[23].contains(t("? 帮助", "? help"))
                    || rows[23].contains(t("? 更多", "? more"))),
            "{}",
            rows[23]
        );

        // Help popup from the key map.
        send(&mut state, &mut s.store, [ch('?')]);
        let rows = snapshot(&state);
        assert!(
            rows.iter()
                .any(|r| r.contains(t("帮助（按键）", "Help (keys)")))
        );
        assert!(rows.iter().any(|r| r.contains("Ctrl-C")));
        assert!(rows.iter().any(|r| r.contains(t("申请回避", "recuse"))));
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert!(state.popup.is_none());

        // Scoring: the dossier's sections on the left, the criterion on the right.
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(
            all.contains(t("一、工作基础", "1. Work foundation")),
            "{all}"
        );
        assert!(all.contains(t("评分项 1/12", "Criterion 1/12")), "{all}");
        assert!(
            all.contains(t("信息基础设施", "Information infrastructure")),
            "{all}"
        );
        assert!(
            all.contains(t("满分 10 · 步长 0.5", "max 10 · step 0.5")),
            "{all}"
        );
        assert!(all.contains(t("保存分数", "save points")), "{all}");
        // The right panel's border stands at one display column on every body row.
        for r in &rows[2..17] {
            let seps = separators(r);
            assert!(
                seps.contains(&0) && seps.contains(&43) && seps.contains(&44) && seps.contains(&79),
                "{r:?}"
            );
        }
        assert_eq!(column_of(&rows[1], "┐┌"), Some(43), "{}", rows[1]);
        for r in &rows[1..22] {
            assert_eq!(width(r), 80, "{r:?}");
        }
        // Later sections after scrolling.
        send(&mut state, &mut s.store, vec![key(KeyCode::PageDown); 10]);
        let all = snapshot(&state).join("\n");
        assert!(all.contains(t("五、主要数据", "5. Figures")), "{all}");

        // Summary and the confirm popup.
        send(&mut state, &mut s.store, [ch('s')]);
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(all.contains(t("评分汇总", "Summary")), "{all}");
        assert!(all.contains(t("合计", "Total")), "{all}");
        let summary_rows: Vec<&String> = rows.iter().filter(|r| r.contains("/10")).collect();
        let cols: Vec<Vec<usize>> = summary_rows.iter().map(|r| separators(r)).collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{summary_rows:#?}");
        send(
            &mut state,
            &mut s.store,
            [key(KeyCode::Esc), key(KeyCode::Esc)],
        );

        // Recusal reason popup.
        send(&mut state, &mut s.store, [ch('x')]);
        send(&mut state, &mut s.store, chars("回避"));
        let all = snapshot(&state).join("\n");
        assert!(all.contains(t("回避理由", "Reason for recusal")) && all.contains("回避"));
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);

        // Official: dossiers against the cap.
        let state = login(&mut s, "official", lang);
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(all.contains(t("浙江", "Zhejiang")), "{all}");
        assert!(all.contains("10/10") || all.contains("/10"), "{all}");
        assert!(all.contains(t("复查文件夹", "re-check folder")), "{all}");
        assert_aligned(&rows, 2, 6);

        // Dashboard: the overview and every tab (tests/tui_ministry.rs has the details).
        let mut state = login(&mut s, "admin", lang);
        let rows = snapshot(&state);
        let all = rows.join("\n");
        assert!(all.contains(t("概况", "Overview")), "{all}");
        assert!(all.contains(t("评审进度", "Review progress")), "{all}");
        assert!(all.contains("0/6"), "{all}");
        assert!(all.contains(t("天津", "Tianjin")), "{all}");
        assert_aligned(&rows, 3, 8);
        for (zh, en) in [
            ("分配", "Assignment"),
            ("排名", "Ranking"),
            ("遴选", "Selection"),
            ("公示", "Publicity"),
            ("文书", "Documents"),
        ] {
            send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
            let rows = snapshot(&state);
            let all = rows.join("\n");
            assert!(rows[1].contains(&format!(" {} ", t(zh, en))), "{all}");
            assert!(
                !all.contains(t("未能读取", "could not be read")),
                "{all}\n{:?}",
                state.env.message
            );
        }
        let state = login(&mut s, "clerk", lang);
        let all = snapshot(&state).join("\n");
        assert!(
            all.contains(t("本角色不查看评审进度", "not shown for this role")),
            "{all}"
        );
    }
}

#[test]
fn the_official_rechecks_a_folder_and_opens_a_finding() {
    let mut s = setup();
    let mut state = login(&mut s, "official", Lang::En);
    // The official's own province (Zhejiang), with a planted typo: a finding with a line.
    let tmp = tempfile::tempdir().unwrap();
    let folder = common::edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replacen("[team]", "[team]\nstaf_count = 3", 1)
    });
    send(&mut state, &mut s.store, [ch('f')]);
    send(
        &mut state,
        &mut s.store,
        [Msg::Paste(folder.display().to_string())],
    );
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    let (findings, first_with_line) = match &state.screen {
        Screen::Official(o) => {
            assert_eq!(o.mode, Mode::Findings, "{:?}", state.env.message);
            let i = o.findings.iter().position(|f| f.line.is_some());
            (o.findings.clone(), i.expect("a finding with a line"))
        }
        other => panic!("{other:?}"),
    };
    assert!(!findings.is_empty());
    let rows = snapshot(&state);
    assert!(rows.join("\n").contains(findings[0].code.as_str()));
    send(
        &mut state,
        &mut s.store,
        vec![key(KeyCode::Down); first_with_line],
    );
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    let f = &findings[first_with_line];
    match &state.screen {
        Screen::Official(o) => {
            assert_eq!(o.mode, Mode::File);
            assert_eq!(
                o.file.as_ref().and_then(|v| v.target),
                f.line.map(|l| l as usize)
            );
        }
        other => panic!("{other:?}"),
    }
    let rows = snapshot(&state);
    let line = f.line.unwrap_or(0);
    assert!(
        rows.iter().any(|r| r.contains(&format!("{line} ▶"))),
        "line {line} marked: {rows:#?}"
    );
    send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
    assert_eq!(state.context(), Context::Findings);
}

#[test]
fn control_characters_in_a_dossier_never_reach_the_screen() {
    let mut s = setup();
    let code = s.assigned[0].clone();
    // Plant ESC sequences and a bell in the stored dossier text.
    let raw: Vec<u8> = s
        .store
        .connection()
        .query_row("SELECT raw FROM dossier WHERE code = ?1", [&code], |r| {
            r.get(0)
        })
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let evil = text.replacen(
        "infrastructure = \"",
        "infrastructure = \"\\u001b[2J\\u001b]0;pwned\\u0007",
        1,
    );
    assert_ne!(evil, text);
    s.store
        .connection()
        .execute(
            "UPDATE dossier SET raw = ?1 WHERE code = ?2",
            rusqlite::params![evil.as_bytes(), code],
        )
        .unwrap();
    let mut state = login(&mut s, "e01", Lang::Zh);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    let rows = snapshot(&state);
    let all = rows.join("\n");
    assert!(!all.chars().any(|c| c.is_control() && c != '\n'), "{all:?}");
    assert!(all.contains("␛[2J"), "{all}");
}

#[test]
fn tiny_windows_never_panic() {
    let mut s = setup();
    let mut states = vec![State::new(s.criteria.clone(), Lang::Zh, &s.store)];
    let mut expert = login(&mut s, "e01", Lang::En);
    states.push(expert.clone());
    send(&mut expert, &mut s.store, [key(KeyCode::Enter)]);
    states.push(expert.clone());
    send(&mut expert, &mut s.store, [ch('s')]);
    states.push(expert.clone());
    send(&mut expert, &mut s.store, [ch('?')]);
    states.push(expert.clone());
    states.push(login(&mut s, "official", Lang::Zh));
    states.push(login(&mut s, "admin", Lang::Zh));
    for state in &states {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (10, 3),
            (20, 5),
            (59, 14),
            (60, 15),
            (61, 16),
            (80, 24),
            (200, 60),
        ] {
            let rows = render(state, w, h);
            if (w, h) == (10, 3) {
                assert!(
                    rows[0].contains("窗口太小") || rows[0].contains("window t"),
                    "{rows:?}"
                );
            }
        }
    }
    // Resize and tick messages change nothing and never fail.
    let mut state = states.remove(2);
    assert_eq!(
        update(&mut state, Msg::Resize(10, 3), &mut s.store),
        Command::None
    );
    assert_eq!(update(&mut state, Msg::Tick, &mut s.store), Command::None);
    // Key releases are ignored.
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = ratatui::crossterm::event::KeyEventKind::Release;
    assert_eq!(
        update(&mut state, Msg::Key(release), &mut s.store),
        Command::None
    );
}

#[test]
fn long_guidance_pages_with_brackets_at_80x24() {
    let mut s = setup();
    let mut state = login(&mut s, "e01", Lang::En);
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    let guidance = s.criteria.rubric.criteria[0].guidance_en.clone();
    let tail: String = guidance
        .split_whitespace()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join(" ");
    let before = render(&state, 80, 24).join("\n");
    assert!(before.contains("([ ] scroll the guidance)"), "{before}");
    assert!(
        !before.contains(&tail),
        "the end of the guidance fits already: {before}"
    );
    send(&mut state, &mut s.store, vec![ch(']'); 20]);
    let after = render(&state, 80, 24).join("\n");
    assert!(
        after.contains(&tail),
        "'{tail}' not shown after paging: {after}"
    );
    // Back to the start, and a new criterion starts at the top of its guidance.
    send(&mut state, &mut s.store, vec![ch('['); 20]);
    assert_eq!(scoring(&state).guidance_scroll, 0);
    send(&mut state, &mut s.store, vec![ch(']'); 2]);
    send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
    assert_eq!(scoring(&state).guidance_scroll, 0);
}
