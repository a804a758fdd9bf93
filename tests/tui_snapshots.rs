//! Snapshots of every screen and tab the demo round reaches (issue 12, item 8): each drawn on
//! ratatui's `TestBackend` at 80×24 and 120×40, in 中文 and English, its text compared with
//! `tests/snapshots/tui_snapshots__<screen>_<size>_<lang>.snap`.
//!
//! Deterministic: the round is built on a fixed today (`TODAY`), real clock times and the temp
//! folder's random name are replaced before comparing. After a change to a screen, review and
//! accept with `INSTA_UPDATE=always cargo test --test tui_snapshots` (or `cargo insta review`);
//! CI (`CI=true`) fails on a mismatch and writes nothing.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;
use tui_setup::send;

use ratatui::crossterm::event::KeyCode;
use shifan::store::Store;
use shifan::tui::app::{Msg, Screen, State};
use shifan::tui::lang::Lang;
use shifan::tui::screens::dashboard::Tab;
use shifan::tui::testing::{ch, chars, key, render};
use tui_setup::DEMO_PASSWORD;

/// The round's today for every snapshot (`SHIFAN_TODAY` in the tmux runs).
const TODAY: &str = "2026-06-20";
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

struct Round {
    dir: tempfile::TempDir,
    store: Store,
    criteria: shifan::domain::Criteria,
}

/// The demo round (`shifan demo`), built on `TODAY`.
fn demo() -> Round {
    let criteria = common::criteria();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("demo.db")).expect("store opens");
    store.set_today(TODAY.parse().expect("a date"));
    // Relative (tests run in the package's folder), so the batch paths the screens show are
    // the same in every checkout.
    let samples = std::path::Path::new("sample-applications");
    assert!(samples.is_dir(), "run from the package folder");
    shifan::demo::build(&criteria, &mut store, samples, 1).expect("demo round");
    Round {
        dir,
        store,
        criteria,
    }
}

fn login(r: &mut Round, name: &str) -> State {
    let mut state = State::new(r.criteria.clone(), Lang::Zh, &r.store);
    // The state is laid out for the larger window (panes follow the criterion at that size);
    // each snapshot draws it at both sizes.
    let mut keys = vec![Msg::Resize(120, 40)];
    keys.extend(chars(name));
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut r.store, keys);
    assert!(
        !matches!(state.screen, Screen::Login(_)),
        "{name} logged in: {:?}",
        state.env.message
    );
    state
}

/// `2026-12-02T06:18:07.123Z`-like times (the real clock, not the round's today) as `[time]`.
fn scrub_times(s: &str) -> String {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let date = (0..4).all(|k| digit(i + k))
            && b.get(i + 4) == Some(&b'-')
            && digit(i + 5)
            && digit(i + 6)
            && b.get(i + 7) == Some(&b'-')
            && digit(i + 8)
            && digit(i + 9);
        let time = date
            && matches!(b.get(i + 10), Some(b'T') | Some(b' '))
            && digit(i + 11)
            && digit(i + 12)
            && b.get(i + 13) == Some(&b':');
        if time {
            let mut j = i + 14;
            while b.get(j).is_some_and(|c| {
                c.is_ascii_digit() || matches!(c, b':' | b'.' | b'Z' | b'+' | b'-')
            }) {
                j += 1;
            }
            out.push_str("[time]");
            i = j;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The screen's text as a snapshot: temp folder and clock times replaced, trailing blanks cut.
fn text(r: &Round, state: &State, w: u16, h: u16) -> String {
    let tmp = r.dir.path().display().to_string();
    render(state, w, h)
        .into_iter()
        .map(|row| {
            scrub_times(&row.replace(&tmp, "[tmp]"))
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Snapshot the state as `screen_<w>x<h>_<lang>` at both sizes in both languages.
fn shots(r: &Round, state: &State, screen: &str) {
    for lang in [Lang::Zh, Lang::En] {
        let mut s = state.clone();
        s.env.lang = lang;
        let tag = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("{screen}_{w}x{h}_{tag}"), text(r, &s, w, h));
        }
    }
}

#[test]
fn scrubbing_replaces_clock_times_only() {
    assert_eq!(
        scrub_times("导入于 2026-12-02T06:18:07.5Z，截止 2026-06-30"),
        "导入于 [time]，截止 2026-06-30"
    );
    assert_eq!(scrub_times("at 2026-12-02 06:18 ok"), "at [time] ok");
}

#[test]
fn login_and_the_experts_screens() {
    let mut r = demo();
    let state = State::new(r.criteria.clone(), Lang::Zh, &r.store);
    shots(&r, &state, "login");

    let mut state = login(&mut r, "expert01");
    shots(&r, &state, "expert_list");
    // A quit asks first: a confirmation popup.
    send(&mut state, &mut r.store, [ch('q')]);
    shots(&r, &state, "confirm_quit");
    send(&mut state, &mut r.store, [ch('n')]);

    // The first unfinished sheet.
    send(&mut state, &mut r.store, [key(KeyCode::Enter)]);
    shots(&r, &state, "scoring");
    send(&mut state, &mut r.store, [ch('?')]);
    shots(&r, &state, "help_scoring");
    send(&mut state, &mut r.store, [key(KeyCode::Esc)]);
    send(&mut state, &mut r.store, chars("12"));
    shots(&r, &state, "scoring_refused_points");
    send(
        &mut state,
        &mut r.store,
        [key(KeyCode::Backspace), key(KeyCode::Enter)],
    );
    send(&mut state, &mut r.store, [ch('o')]);
    send(&mut state, &mut r.store, chars("基础扎实，队伍稳定。"));
    send(&mut state, &mut r.store, [key(KeyCode::Enter)]);
    send(&mut state, &mut r.store, chars("方案可行。"));
    shots(&r, &state, "opinion_editor");
    send(
        &mut state,
        &mut r.store,
        [key(KeyCode::Esc), key(KeyCode::Esc)],
    );
    send(&mut state, &mut r.store, [ch('s')]);
    shots(&r, &state, "summary");
    send(
        &mut state,
        &mut r.store,
        [key(KeyCode::Esc), key(KeyCode::Esc)],
    );

    // A submitted sheet (after the unfinished rows): its summary and criteria, read-only.
    let open = match &state.screen {
        Screen::ExpertList(l) => l.rows.iter().filter(|d| !d.submitted).count(),
        other => panic!("not the list: {other:?}"),
    };
    send(&mut state, &mut r.store, vec![key(KeyCode::Down); open]);
    send(&mut state, &mut r.store, [key(KeyCode::Enter)]);
    shots(&r, &state, "summary_read_only");
    send(&mut state, &mut r.store, [key(KeyCode::Esc)]);
    shots(&r, &state, "sheet_read_only");
}

#[test]
fn the_officials_screens() {
    let mut r = demo();
    let mut state = login(&mut r, "official-zhejiang");
    shots(&r, &state, "official_home");
    send(&mut state, &mut r.store, [key(KeyCode::Enter)]);
    shots(&r, &state, "official_dossier");

    let mut state = login(&mut r, "official-beijing");
    shots(&r, &state, "official_refused_home");
    send(&mut state, &mut r.store, [ch('r')]);
    shots(&r, &state, "official_refusal");

    // After the list is sealed and its publicity started: the province's results.
    let m = r.store.login("ministry", DEMO_PASSWORD).expect("ministry");
    r.store
        .propose(&r.criteria, &m, None, Some("演示：部分评分表未提交"))
        .expect("sealed");
    r.store
        .start_publicity(&r.criteria, &m, None)
        .expect("publicity");
    let state = login(&mut r, "official-zhejiang");
    shots(&r, &state, "official_results");
}

#[test]
fn the_ministrys_and_the_clerks_dashboard() {
    let mut r = demo();
    let mut state = login(&mut r, "ministry");
    for (tab, name) in [
        (Tab::Overview, "ministry_overview"),
        (Tab::Assignment, "ministry_assignment"),
        (Tab::Ranking, "ministry_ranking"),
        (Tab::Panel, "ministry_panel"),
        (Tab::Selection, "ministry_selection"),
        (Tab::Publicity, "ministry_publicity"),
        (Tab::Documents, "ministry_documents"),
    ] {
        let current = |s: &State| match &s.screen {
            Screen::Dashboard(d) => d.current(),
            other => panic!("not the dashboard: {other:?}"),
        };
        for _ in 0..7 {
            if current(&state) == tab {
                break;
            }
            send(&mut state, &mut r.store, [key(KeyCode::Tab)]);
        }
        assert_eq!(current(&state), tab);
        if tab == Tab::Panel {
            // The statistics and the band are computed on a thread: wait for them.
            let mut env = state.env.clone();
            if let Screen::Dashboard(d) = &mut state.screen {
                d.collect_panel(&mut env, Some(std::time::Duration::from_secs(120)));
            }
            state.env = env;
        }
        shots(&r, &state, name);
        if tab == Tab::Ranking {
            send(&mut state, &mut r.store, [key(KeyCode::Enter)]);
            shots(&r, &state, "ministry_explain");
            send(&mut state, &mut r.store, [key(KeyCode::Esc)]);
        }
        if tab == Tab::Panel {
            send(&mut state, &mut r.store, [ch('s')]);
            shots(&r, &state, "ministry_stats");
            send(&mut state, &mut r.store, [ch('s')]);
        }
    }
    send(&mut state, &mut r.store, [ch('?')]);
    shots(&r, &state, "help_documents");

    let mut state = login(&mut r, "clerk");
    shots(&r, &state, "clerk_overview");
    send(&mut state, &mut r.store, [key(KeyCode::Tab)]);
    shots(&r, &state, "clerk_documents");
}
