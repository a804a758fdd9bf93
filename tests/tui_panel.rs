//! The ministry's panel tab (会评) on the demo round, driven through the real key map and
//! `update`: the band as `shifan panel status` gives it, the sheets and opinions of the selected
//! dossier, the review statistics, opening the meeting and recording a vote (checked through
//! the CLI's `panel status --format json` and the audit log), and the refusals — an empty note,
//! a phase that moved on under the screen, read-only outside the review — in both languages.

mod common;
#[path = "common/tmux.rs"]
mod tmux;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;
use serde_json::Value;
use shifan::store::Store;
use shifan::tui::app::{Screen, State};
use shifan::tui::keymap::Context;
use shifan::tui::lang::Lang;
use shifan::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use shifan::tui::screens::dashboard::{DashboardState, Tab};
use shifan::tui::screens::ministry::panel::View;
use shifan::tui::testing::{ch, chars, click, key, render, wheel_down};
use tui_setup::{DEMO_PASSWORD, DemoSetup, demo_setup};

/// Fewer draws than the default 500 keep the debug build quick; the CLI is asked for the same.
const REPLICATES: usize = 60;

fn login(s: &mut DemoSetup, lang: Lang) -> State {
    let mut state = State::new(s.criteria.clone(), lang, &s.store);
    let mut keys = vec![shifan::tui::app::Msg::Resize(120, 40)];
    keys.extend(chars("ministry"));
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    match &mut state.screen {
        Screen::Dashboard(d) => d.panel_replicates = REPLICATES,
        other => panic!("not the dashboard: {other:?}"),
    }
    state
}

fn dash(state: &State) -> &DashboardState {
    match &state.screen {
        Screen::Dashboard(d) => d,
        other => panic!("not the dashboard: {other:?}"),
    }
}

/// Tab to the panel tab and wait for its thread.
fn open_panel(state: &mut State, store: &mut Store) {
    for _ in 0..dash(state).tabs.len() {
        if dash(state).current() == Tab::Panel {
            break;
        }
        send(state, store, [key(KeyCode::Tab)]);
    }
    assert_eq!(dash(state).current(), Tab::Panel);
    wait(state);
}

fn wait(state: &mut State) {
    let mut env = state.env.clone();
    if let Screen::Dashboard(d) = &mut state.screen {
        d.collect_panel(&mut env, Some(Duration::from_secs(120)));
    }
    state.env = env;
    assert!(!dash(state).panel_busy());
    assert!(dash(state).panel.is_some(), "{:?}", state.env.message);
}

fn message(state: &State) -> (String, bool) {
    state
        .env
        .message
        .as_ref()
        .map_or((String::new(), false), |m| {
            (state.env.lang.text(&m.text).to_string(), m.error)
        })
}

fn asks(state: &State, purpose: InputPurpose) {
    match &state.popup {
        Some(Popup::Input { purpose: p, .. }) => assert_eq!(*p, purpose),
        other => panic!("expected a {purpose:?} popup, got {other:?}"),
    }
}

fn answer(state: &mut State, store: &mut Store, text: &str) {
    let mut keys = chars(text);
    keys.push(key(KeyCode::Enter));
    send(state, store, keys);
}

fn cli_json(db: &std::path::Path, args: &[&str]) -> Value {
    let out = common::shifan_as(db, "ministry", "2026-06-20")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn status(db: &std::path::Path) -> Value {
    cli_json(
        db,
        &[
            "panel",
            "status",
            "--replicates",
            &REPLICATES.to_string(),
            "--format",
            "json",
        ],
    )
}

fn screen(state: &State, w: u16, h: u16) -> String {
    render(state, w, h).join("\n")
}

#[test]
fn the_band_the_sheets_and_the_statistics_are_those_of_the_cli() {
    let mut s = demo_setup();
    let cli = status(&s.db);
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, lang);
        open_panel(&mut state, &mut s.store);
        let tab = dash(&state).panel.as_ref().expect("panel");
        let codes: Vec<&str> = tab
            .room
            .band
            .entries
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        let cli_codes: Vec<&str> = cli["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["code"].as_str().expect("code"))
            .collect();
        assert!(!codes.is_empty());
        assert_eq!(codes, cli_codes, "the band is the CLI's");
        assert_eq!(tab.room.band.cut as u64, cli["cut"].as_u64().unwrap());
        assert_eq!(dash(&state).context(), Context::Panel);
        // The first rows of the band, with their rank, interval and reason.
        let first = &tab.room.band.entries[0];
        let iv = tab
            .room
            .stats
            .stats
            .intervals
            .iter()
            .find(|i| i.code == first.code)
            .expect("interval");
        let text = screen(&state, 120, 40);
        let row = text
            .lines()
            .find(|l| l.contains(&first.code) && l.contains(&format!("{}–{}", iv.low, iv.high)))
            .unwrap_or_else(|| panic!("{text}"));
        let (cut, no_vote) = match lang {
            Lang::Zh => ("跨入选线", "未表决"),
            Lang::En => ("cut", "no vote"),
        };
        assert!(row.contains(cut) && row.contains(no_vote), "{row}");
        assert!(
            row.trim_start_matches('│')
                .trim_start()
                .starts_with(&first.rank.to_string())
        );
        // The selected dossier's sheets side by side at 120 columns: every expert's id on one
        // row, every criterion's name once, the totals and the opinions.
        let sheets: Vec<_> = tab
            .room
            .sheets
            .iter()
            .filter(|x| x.dossier == first.code)
            .collect();
        assert!(sheets.len() >= 3, "{sheets:?}");
        let heads = text
            .lines()
            .find(|l| sheets.iter().all(|x| l.contains(&x.expert_id)))
            .unwrap_or_else(|| panic!("the experts side by side:\n{text}"));
        assert!(heads.contains(match lang {
            Lang::Zh => "已提交",
            Lang::En => "submitted",
        }));
        let total_label = match lang {
            Lang::Zh => "总分",
            Lang::En => "Total",
        };
        let totals = text
            .lines()
            .find(|l| l.contains(&format!("│{total_label}")) || l.contains(total_label))
            .expect("totals row");
        for x in &sheets {
            let t = shifan::tui::text::points(x.total());
            assert!(totals.contains(&t), "{t} in {totals}");
        }
        // At 80×24 the sheets are stacked: one expert's header line each.
        let narrow = screen(&state, 80, 24);
        assert!(
            narrow
                .lines()
                .any(|l| l.contains(&format!("{} · ", sheets[0].expert_id))),
            "{narrow}"
        );
        // The statistics view: ICC(1) per type and the expert table.
        send(&mut state, &mut s.store, [ch('s')]);
        assert_eq!(dash(&state).context(), Context::Stats);
        let text = screen(&state, 80, 24);
        assert!(text.contains("ICC(1)"), "{text}");
        let tab = dash(&state).panel.as_ref().expect("panel");
        let e01 = &tab.room.stats.stats.experts[0];
        let offset = format!("{:+.2}", e01.harshness.expect("harshness"));
        assert!(
            text.lines()
                .any(|l| l.contains(&e01.expert_id) && l.contains(&offset)),
            "{text}"
        );
        let icc = tab.room.stats.stats.panels[0].icc1.expect("icc");
        assert!(text.contains(&format!("{icc:.3}")), "{text}");
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert_eq!(dash(&state).context(), Context::Panel);
    }
}

#[test]
fn a_vote_is_recorded_after_y_and_shows_in_the_cli_and_the_audit() {
    let mut s = demo_setup();
    let mut state = login(&mut s, Lang::En);
    open_panel(&mut state, &mut s.store);
    // Open the meeting: the band goes to the audit log.
    send(&mut state, &mut s.store, [ch('o')]);
    assert!(matches!(
        &state.popup,
        Some(Popup::Confirm {
            purpose: ConfirmPurpose::PanelOpen,
            ..
        })
    ));
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(
        state.popup.is_some(),
        "Enter alone does not open the meeting"
    );
    send(&mut state, &mut s.store, [ch('y')]);
    let (m, error) = message(&state);
    assert!(!error && m.contains("meeting opened"), "{m}");
    assert!(screen(&state, 120, 40).contains("opened 20"));
    // The second dossier of the band: for 4, against 3, a note; then y.
    send(&mut state, &mut s.store, [key(KeyCode::Down)]);
    let code = dash(&state)
        .panel
        .as_ref()
        .and_then(|p| p.current())
        .map(|e| e.code.clone())
        .expect("selected");
    send(&mut state, &mut s.store, [ch('v')]);
    asks(&state, InputPurpose::VotesFor);
    answer(&mut state, &mut s.store, "four");
    assert!(message(&state).1, "not a number");
    asks(&state, InputPurpose::VotesFor);
    // The field keeps what was typed, to be corrected.
    send(
        &mut state,
        &mut s.store,
        (0..4).map(|_| key(KeyCode::Backspace)),
    );
    answer(&mut state, &mut s.store, "4");
    asks(&state, InputPurpose::VotesAgainst);
    answer(&mut state, &mut s.store, "3");
    asks(&state, InputPurpose::VoteNote);
    // An empty note is refused by the rule the store applies, and asked again.
    answer(&mut state, &mut s.store, "  ");
    let (m, error) = message(&state);
    assert!(error && m.contains("reason"), "{m}");
    asks(&state, InputPurpose::VoteNote);
    answer(&mut state, &mut s.store, "示范效果突出，会评同意列入");
    match &state.popup {
        Some(Popup::Confirm { question, .. }) => {
            assert!(question.en.contains(&code) && question.en.contains("4 for, 3 against"))
        }
        other => panic!("a confirmation: {other:?}"),
    }
    send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
    assert!(state.popup.is_some(), "Enter alone records nothing");
    assert!(status(&s.db)["votes"].as_array().unwrap().is_empty());
    send(&mut state, &mut s.store, [ch('y')]);
    let (m, error) = message(&state);
    assert!(!error && m.contains(&format!("recorded {code}")), "{m}");
    // In the database, as the CLI reads it, and in the audit log.
    let st = status(&s.db);
    let votes = st["votes"].as_array().expect("votes");
    assert_eq!(votes.len(), 1);
    assert_eq!(votes[0]["code"], code.as_str());
    assert_eq!(votes[0]["votes_for"], 4);
    assert_eq!(votes[0]["votes_against"], 3);
    assert_eq!(votes[0]["note"], "示范效果突出，会评同意列入");
    let audit: Vec<(String, String)> = {
        let conn = s.store.connection();
        let mut stmt = conn
            .prepare("SELECT action, detail FROM audit WHERE action LIKE 'panel.%' ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[0].0, "panel.open");
    assert!(audit[0].1.contains(&code));
    assert_eq!(audit[1].0, "panel.vote");
    assert!(
        audit[1]
            .1
            .contains(&format!("{code}: 4 for, 3 against (passed)"))
    );
    // The screen shows it: in the band's row and in the dossier's pane.
    let text = screen(&state, 120, 40);
    let row = text
        .lines()
        .find(|l| l.contains(&code) && l.contains("passed 4:3"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(!row.is_empty());
    assert!(text.contains("4 for, 3 against — passed"), "{text}");
    // A second vote on it says which vote it replaces.
    send(&mut state, &mut s.store, [ch('v')]);
    answer(&mut state, &mut s.store, "2");
    answer(&mut state, &mut s.store, "5");
    answer(&mut state, &mut s.store, "复议");
    match &state.popup {
        Some(Popup::Confirm { question, .. }) => {
            assert!(
                question.en.contains("replacing the vote"),
                "{}",
                question.en
            )
        }
        other => panic!("a confirmation: {other:?}"),
    }
    send(&mut state, &mut s.store, [ch('n')]);
    assert_eq!(status(&s.db)["votes"].as_array().unwrap().len(), 1);
}

#[test]
fn a_vote_after_the_list_was_sealed_elsewhere_is_refused_and_the_tab_turns_read_only() {
    let mut s = demo_setup();
    for lang in [Lang::Zh, Lang::En] {
        let mut state = login(&mut s, lang);
        open_panel(&mut state, &mut s.store);
        if lang == Lang::En {
            // Sealed by the Chinese pass: read-only from the start, and says why.
            assert_eq!(dash(&state).context(), Context::PanelReadOnly);
            let text = screen(&state, 80, 24);
            assert!(text.contains("read-only"), "{text}");
            assert!(text.contains("cannot record a panel vote"), "{text}");
            send(&mut state, &mut s.store, [ch('v')]);
            assert!(state.popup.is_none(), "no vote outside the review");
            continue;
        }
        send(&mut state, &mut s.store, [ch('v')]);
        answer(&mut state, &mut s.store, "5");
        answer(&mut state, &mut s.store, "0");
        answer(&mut state, &mut s.store, "一致同意");
        // Meanwhile another session seals the list.
        let out = common::shifan_as(&s.db, "ministry", "2026-06-20")
            .args([
                "publicity",
                "propose",
                "--accept-incomplete",
                "演示数据：部分评分表按设计未完成",
            ])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        send(&mut state, &mut s.store, [ch('y')]);
        let (m, error) = message(&state);
        assert!(error, "{m}");
        assert!(m.contains("不能记录会评表决"), "{m}");
        assert!(status(&s.db)["votes"].as_array().unwrap().is_empty());
        // The next tick sees the other connection's commit: read-only now.
        std::thread::sleep(Duration::from_millis(1100));
        send(&mut state, &mut s.store, [shifan::tui::app::Msg::Tick]);
        assert_eq!(dash(&state).context(), Context::PanelReadOnly);
        wait(&mut state);
        assert!(screen(&state, 80, 24).contains("只读"));
    }
}

#[test]
fn the_mouse_selects_a_band_row_and_scrolls_the_sheets() {
    let mut s = demo_setup();
    let mut state = login(&mut s, Lang::Zh);
    open_panel(&mut state, &mut s.store);
    let text = render(&state, 120, 40);
    let third = dash(&state).panel.as_ref().unwrap().room.band.entries[2]
        .code
        .clone();
    let y = text
        .iter()
        .position(|l| l.contains(&third))
        .expect("third row drawn") as u16;
    send(&mut state, &mut s.store, [click(10, y)]);
    let tab = dash(&state).panel.as_ref().unwrap();
    assert_eq!(tab.current().map(|e| e.code.as_str()), Some(third.as_str()));
    assert_eq!(tab.detail, 0);
    send(&mut state, &mut s.store, [wheel_down(10, 35)]);
    assert!(dash(&state).panel.as_ref().unwrap().detail > 0);
    send(&mut state, &mut s.store, [ch('s')]);
    assert_eq!(dash(&state).panel.as_ref().unwrap().view, View::Stats);
    // A click on the dossiers across the lines selects there.
    let text = render(&state, 120, 40);
    let y = text
        .iter()
        .position(|l| l.contains(&third) && l.contains("入选线"))
        .expect("drawn") as u16;
    let x = text[y as usize].find(&third).map_or(60, |b| {
        shifan::tui::text::width(&text[y as usize][..b]) as u16
    });
    send(&mut state, &mut s.store, [click(x, y)]);
    let tab = dash(&state).panel.as_ref().unwrap();
    let crossing = shifan::tui::screens::ministry::stats::crossing(&tab.room);
    assert_eq!(crossing[tab.crossing.selected].code, third);
    // Both views draw in any window without panicking.
    for view in [View::Stats, View::Band] {
        if let Screen::Dashboard(d) = &mut state.screen {
            d.panel.as_mut().unwrap().view = view;
        }
        for (w, h) in [(1, 1), (10, 4), (30, 8), (80, 24), (200, 60)] {
            render(&state, w, h);
        }
    }
}

/// Ministry staff record a vote in the real terminal (tmux, 80×24): the panel tab computes on
/// its thread, `v` asks for, against and the note, Enter alone leaves the confirmation open,
/// `y` records; the CLI then reads the vote. Skips, saying so, without tmux.
#[test]
fn the_ministry_records_a_vote_in_the_real_terminal() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the tmux end-to-end test did not run"
        );
        return;
    }
    let demo = demo_setup();
    let db = demo.db.clone();
    drop(demo.store);
    let first = cli_json(&db, &["panel", "status", "--format", "json"])["entries"][0]["code"]
        .as_str()
        .expect("a band")
        .to_string();
    let tmux = tmux::Tmux::new("panel-vote");
    let cmd = format!(
        "'{}' --criteria '{}' tui --db '{}'",
        env!("CARGO_BIN_EXE_shifan"),
        common::root().join("criteria").display(),
        db.display()
    );
    tmux.start("tui", 80, 24, &[("SHIFAN_TODAY", "2026-06-20")], &cmd);
    tmux.wait_for("tui", &["登录"]);
    tmux.type_text("tui", "ministry");
    tmux.send("tui", &["Tab"]);
    tmux.type_text("tui", tui_setup::DEMO_PASSWORD);
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["概况", "会评"]);
    tmux.send("tui", &["Tab", "Tab", "Tab"]);
    tmux.wait_for("tui", &["份在范围内", &first, "记录表决"]);
    tmux.type_text("tui", "v");
    tmux.wait_for("tui", &["赞成票数"]);
    tmux.type_text("tui", "3");
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["反对票数"]);
    tmux.type_text("tui", "4");
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["会评意见"]);
    tmux.type_text("tui", "区间过宽，暂不列入");
    tmux.send("tui", &["Enter"]);
    tmux.wait_for("tui", &["请确认", "y 确认"]);
    tmux.send("tui", &["Enter"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tmux.screen("tui").contains("请确认"),
        "Enter alone records nothing"
    );
    tmux.type_text("tui", "y");
    tmux.wait_for("tui", &["已记录", "未通过 3:4"]);
    tmux.type_text("tui", "q");
    tmux.wait_for("tui", &["请确认"]);
    tmux.type_text("tui", "y");
    assert!(
        tmux.wait_gone("tui"),
        "the TUI quit:\n{}",
        tmux.screen("tui")
    );
    let st = status(&db);
    let votes = st["votes"].as_array().expect("votes");
    assert_eq!(votes.len(), 1, "{st}");
    assert_eq!(votes[0]["code"], first.as_str());
    assert_eq!(votes[0]["votes_for"], 3);
    assert_eq!(votes[0]["votes_against"], 4);
    assert_eq!(votes[0]["note"], "区间过宽，暂不列入");
}
