//! Pure update tests (issue 12, item 7): keys go through the real key map and `app::step`
//! with no database (`Cx::pure()`); what the expert's list asks for comes back as effects,
//! and the results fed back as `Msg::Done` change the list. No SQLite file is opened here.

mod common;

use ratatui::crossterm::event::KeyCode;
use shifan::domain::Text;
use shifan::domain::access::{Role, User};
use shifan::store::AssignedDossier;
use shifan::tui::app::{Command, Env, Msg, Screen, State, step};
use shifan::tui::core::{Cx, Done, Effect, ListRows};
use shifan::tui::lang::Lang;
use shifan::tui::phase::Phase;
use shifan::tui::popup::Popup;
use shifan::tui::screens::expert_list::ExpertListState;
use shifan::tui::testing::{chars, click, key, render, wheel_down};

fn row(code: &str, submitted: bool) -> AssignedDossier {
    AssignedDossier {
        code: code.into(),
        province_key: "330000".into(),
        type_id: "county".into(),
        applicant: format!("申报单位 {code}"),
        scored: 0,
        submitted,
    }
}

/// An expert on their list of `codes`, at 120×40, built without a store.
fn on_list(codes: &[&str], lang: Lang) -> State {
    let env = Env {
        lang,
        criteria: common::criteria(),
        user: Some(User {
            name: "e01".into(),
            role: Role::Expert {
                expert_id: "E01".into(),
            },
        }),
        phase: Phase::Review,
        message: None,
        size: (120, 40),
    };
    let rows = codes.iter().map(|c| row(c, false)).collect();
    let list = ExpertListState::from_rows(&env, rows);
    State {
        env,
        screen: Screen::ExpertList(list),
        popup: None,
    }
}

/// Feed messages with no store; the effects asked for, in order.
fn steps(state: &mut State, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    let mut all = Vec::new();
    for m in msgs {
        let mut cx = Cx::pure();
        assert_eq!(step(state, m, &mut cx), Command::None);
        all.extend(cx.effects);
    }
    all
}

fn selected_code(state: &State) -> String {
    match &state.screen {
        Screen::ExpertList(l) => l.selected().map(|d| d.code.clone()).unwrap_or_default(),
        other => panic!("not on the list: {other:?}"),
    }
}

fn message(state: &State) -> String {
    state
        .env
        .message
        .as_ref()
        .map(|m| state.env.lang.text(&m.text).to_string())
        .unwrap_or_default()
}

#[test]
fn enter_asks_to_open_the_selected_sheet() {
    let mut state = on_list(&["A01", "A02", "A03"], Lang::Zh);
    let fx = steps(&mut state, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert_eq!(fx, vec![Effect::OpenSheet { code: "A02".into() }]);
    assert!(
        matches!(state.screen, Screen::ExpertList(_)),
        "the runtime opens it"
    );
}

#[test]
fn recusal_asks_for_a_reason_then_y_asks_the_runtime() {
    let mut state = on_list(&["A01", "A02", "A03"], Lang::En);
    let mut msgs = vec![key(KeyCode::Down), key(KeyCode::Char('x'))];
    msgs.extend(chars("former employer"));
    msgs.push(key(KeyCode::Enter));
    assert!(steps(&mut state, msgs).is_empty(), "nothing yet");
    assert!(matches!(state.popup, Some(Popup::Confirm { .. })));
    // Enter alone does not confirm an irreversible step.
    assert!(steps(&mut state, [key(KeyCode::Enter)]).is_empty());
    let fx = steps(&mut state, [key(KeyCode::Char('y'))]);
    assert_eq!(
        fx,
        vec![Effect::Recuse {
            code: "A02".into(),
            reason: "former employer".into()
        }]
    );
}

#[test]
fn an_empty_recusal_reason_is_refused_without_an_effect() {
    let mut state = on_list(&["A01"], Lang::Zh);
    let fx = steps(&mut state, [key(KeyCode::Char('x')), key(KeyCode::Enter)]);
    assert!(fx.is_empty());
    assert!(
        message(&state).contains("回避须说明理由"),
        "{}",
        message(&state)
    );
}

#[test]
fn a_recusal_done_reports_and_reloads_and_the_cursor_lands_on_the_next_row() {
    let mut state = on_list(&["A01", "A02", "A03"], Lang::Zh);
    steps(&mut state, [key(KeyCode::Down)]);
    let fx = steps(
        &mut state,
        [Msg::Done(Done::Recused {
            code: "A02".into(),
            result: Ok(Some("E07".into())),
        })],
    );
    assert_eq!(fx, vec![Effect::ReloadList]);
    assert!(message(&state).contains("E07"), "{}", message(&state));
    let today = jiff::civil::date(2026, 6, 20);
    let fx = steps(
        &mut state,
        [Msg::Done(Done::ListLoaded(Ok(ListRows {
            rows: vec![row("A01", false), row("A03", false)],
            today,
        })))],
    );
    assert!(fx.is_empty());
    assert_eq!(
        selected_code(&state),
        "A03",
        "the row that took A02's place"
    );
}

#[test]
fn a_failed_recusal_says_why_in_the_users_language_and_does_not_reload() {
    let mut state = on_list(&["A01"], Lang::En);
    let fx = steps(
        &mut state,
        [Msg::Done(Done::Recused {
            code: "A01".into(),
            result: Err(Text::new(
                "已提交，不能回避",
                "already submitted, no recusal",
            )),
        })],
    );
    assert!(fx.is_empty());
    assert_eq!(message(&state), "already submitted, no recusal");
    assert!(state.env.message.as_ref().is_some_and(|m| m.error));
}

#[test]
fn a_reload_keeps_the_cursor_on_its_dossier() {
    let mut state = on_list(&["A01", "A02", "A03"], Lang::Zh);
    steps(&mut state, [key(KeyCode::Down), key(KeyCode::Down)]);
    assert_eq!(selected_code(&state), "A03");
    // A01 was submitted meanwhile: it sorts after the open ones, A03 keeps the cursor.
    let mut rows = vec![row("A01", true), row("A02", false), row("A03", false)];
    rows[0].scored = 12;
    steps(
        &mut state,
        [Msg::Done(Done::ListLoaded(Ok(ListRows {
            rows,
            today: jiff::civil::date(2026, 6, 20),
        })))],
    );
    assert_eq!(selected_code(&state), "A03");
}

#[test]
fn the_filter_narrows_the_list_and_enter_opens_the_match() {
    let mut state = on_list(&["A01", "A02", "B03"], Lang::Zh);
    let mut msgs = vec![key(KeyCode::Char('/'))];
    msgs.extend(chars("B0"));
    msgs.push(key(KeyCode::Enter));
    assert!(steps(&mut state, msgs).is_empty());
    assert_eq!(selected_code(&state), "B03");
    let fx = steps(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(fx, vec![Effect::OpenSheet { code: "B03".into() }]);
}

#[test]
fn mouse_on_the_pure_list_selects_and_opens_with_effects() {
    let mut state = on_list(&["A01", "A02", "A03", "A04", "A05"], Lang::Zh);
    let lines = render(&state, 120, 40);
    let y = lines
        .iter()
        .position(|l| l.contains("A04"))
        .expect("A04 drawn") as u16;
    assert!(steps(&mut state, [click(20, y)]).is_empty());
    assert_eq!(selected_code(&state), "A04");
    assert_eq!(
        steps(&mut state, [click(20, y)]),
        vec![Effect::OpenSheet { code: "A04".into() }]
    );
    steps(&mut state, [wheel_down(20, y)]);
    assert_eq!(
        selected_code(&state),
        "A05",
        "the wheel stops at the last row"
    );
}

#[test]
fn log_out_clears_the_user_and_asks_the_runtime_for_the_login_screen() {
    let mut state = on_list(&["A01"], Lang::Zh);
    let fx = steps(&mut state, [key(KeyCode::Char('u'))]);
    assert!(state.env.user.is_none());
    assert_eq!(fx, vec![Effect::LogOut]);
}
