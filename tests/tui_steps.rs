//! Pure update tests (issue 12, item 7): keys go through the real key map and `app::step`
//! with no database (`Cx::pure()`); what the expert's list and sheet ask for come back as effects,
//! and the results fed back as `Msg::Done` change them. No SQLite file is opened here.

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
        package: None,
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

// The scoring screen (issue 12, item 7): pure too. Every write comes back as an effect; the
// results are fed back as `Msg::Done` by hand, as the runtime would after the store.

use shifan::domain::scoring::Sheet;
use shifan::tui::popup::ConfirmPurpose;
use shifan::tui::screens::scoring::ScoringState;

const SHEET_CODE: &str = "330000-001";

/// E01's sheet for the Anji fixture dossier, read from the fixture file (no store).
fn on_sheet(sheet: Sheet, lang: Lang) -> State {
    let mut state = on_list(&[SHEET_CODE], lang);
    let text = std::fs::read_to_string(common::fixture("valid/zhejiang/anji.toml"))
        .expect("the fixture dossier reads");
    let s = ScoringState::from_text(&state.env, SHEET_CODE, text, sheet);
    state.screen = Screen::Scoring(Box::new(s));
    state
}

fn empty_sheet() -> Sheet {
    Sheet {
        dossier: SHEET_CODE.into(),
        expert_id: "E01".into(),
        ..Sheet::default()
    }
}

/// Every criterion at its maximum, with an opinion and a recommendation.
fn full_sheet(submitted: bool) -> Sheet {
    let c = common::criteria();
    Sheet {
        scores: c
            .rubric
            .criteria
            .iter()
            .map(|c| (c.id.clone(), c.max))
            .collect(),
        opinion: "材料扎实".into(),
        recommend: Some(true),
        submitted,
        ..empty_sheet()
    }
}

fn sheet(state: &State) -> &ScoringState {
    match &state.screen {
        Screen::Scoring(s) => s,
        other => panic!("not on the sheet: {other:?}"),
    }
}

fn is_error(state: &State) -> bool {
    state.env.message.as_ref().is_some_and(|m| m.error)
}

#[test]
fn typing_1_1_on_a_10_point_criterion_is_refused_on_the_spot_by_name() {
    for (lang, want) in [
        (Lang::Zh, "「信息基础设施」超过满分 10"),
        (
            Lang::En,
            "Information infrastructure: more than the maximum 10",
        ),
    ] {
        let mut state = on_sheet(empty_sheet(), lang);
        assert_eq!(
            sheet(&state).current,
            0,
            "the first criterion: infrastructure"
        );
        assert!(steps(&mut state, chars("1")).is_empty());
        assert!(state.env.message.is_none(), "1 alone is fine");
        assert!(steps(&mut state, chars("1")).is_empty());
        assert_eq!(sheet(&state).entry.value(), "11");
        assert_eq!(message(&state), want);
        assert!(is_error(&state));
        // Neither Enter nor ↓ asks the store for a refused entry; the text stays.
        for k in [KeyCode::Enter, KeyCode::Down, KeyCode::Esc] {
            assert!(steps(&mut state, [key(k)]).is_empty(), "{k:?}");
            assert_eq!(sheet(&state).entry.value(), "11");
            assert_eq!(sheet(&state).current, 0);
            assert_eq!(message(&state), want);
        }
        assert!(matches!(state.screen, Screen::Scoring(_)));
    }
}

#[test]
fn leaving_a_field_with_valid_points_asks_to_save_them_and_moves_once_stored() {
    let mut state = on_sheet(empty_sheet(), Lang::Zh);
    let fx = steps(&mut state, [key(KeyCode::Char('7')), key(KeyCode::Down)]);
    assert_eq!(
        fx,
        vec![Effect::SaveScore {
            code: SHEET_CODE.into(),
            criterion: "infrastructure".into(),
            points: 7.0
        }]
    );
    assert_eq!(
        sheet(&state).current,
        0,
        "not moved before the store answers"
    );
    let mut stored = empty_sheet();
    stored.scores.push(("infrastructure".into(), 7.0));
    let fx = steps(
        &mut state,
        [Msg::Done(Done::ScoreSaved {
            code: SHEET_CODE.into(),
            criterion: "infrastructure".into(),
            points: 7.0,
            result: Ok(stored.clone()),
        })],
    );
    assert!(fx.is_empty());
    assert_eq!(sheet(&state).current, 1);
    assert_eq!(sheet(&state).entry.value(), "");
    assert_eq!(sheet(&state).sheet, stored);
    assert_eq!(message(&state), "已保存：信息基础设施 = 7");
    // Moving over an empty field asks nothing.
    assert!(steps(&mut state, [key(KeyCode::Down)]).is_empty());
    assert_eq!(sheet(&state).current, 2);
    // Esc with points: saved, then the list is asked for, then shown.
    let fx = steps(&mut state, [key(KeyCode::Char('5')), key(KeyCode::Esc)]);
    assert!(matches!(&fx[..], [Effect::SaveScore { points, .. }] if *points == 5.0));
    let fx = steps(
        &mut state,
        [Msg::Done(Done::ScoreSaved {
            code: SHEET_CODE.into(),
            criterion: "resource_integration".into(),
            points: 5.0,
            result: Ok(stored),
        })],
    );
    assert_eq!(fx, vec![Effect::ReloadList]);
    steps(
        &mut state,
        [Msg::Done(Done::ListLoaded(Ok(ListRows {
            rows: vec![row(SHEET_CODE, false)],
            today: jiff::civil::date(2026, 6, 20),
        })))],
    );
    assert_eq!(selected_code(&state), SHEET_CODE);
}

#[test]
fn a_refusal_from_the_store_keeps_the_typed_points_and_shows_the_reason() {
    let mut state = on_sheet(empty_sheet(), Lang::En);
    for k in [KeyCode::Down, KeyCode::Enter, KeyCode::Char('s')] {
        let mut msgs = chars("7");
        msgs.push(key(k));
        let fx = steps(&mut state, msgs);
        assert_eq!(fx.len(), 1, "{k:?}: one save asked");
        let fx = steps(
            &mut state,
            [Msg::Done(Done::ScoreSaved {
                code: SHEET_CODE.into(),
                criterion: "infrastructure".into(),
                points: 7.0,
                result: Err(Text::new("函评已结束", "the written review is closed")),
            })],
        );
        assert!(fx.is_empty(), "{k:?}");
        assert_eq!(message(&state), "the written review is closed", "{k:?}");
        assert!(is_error(&state));
        assert_eq!(
            sheet(&state).entry.value(),
            "7",
            "{k:?}: nothing typed is lost"
        );
        assert_eq!(sheet(&state).current, 0, "{k:?}");
        assert!(!sheet(&state).summary, "{k:?}");
        assert!(sheet(&state).after_save.is_none(), "{k:?}");
        steps(&mut state, [key(KeyCode::Backspace)]);
    }
}

#[test]
fn a_submitted_sheet_is_read_only_and_asks_for_nothing() {
    let mut state = on_sheet(full_sheet(true), Lang::Zh);
    assert!(sheet(&state).read_only());
    for m in [
        key(KeyCode::Esc), // the summary first: all scored
        key(KeyCode::Char('5')),
        key(KeyCode::Char('y')),
        key(KeyCode::Char('n')),
        key(KeyCode::Char('o')),
        key(KeyCode::Char('x')),
        key(KeyCode::Enter),
        key(KeyCode::Down),
    ] {
        assert!(steps(&mut state, [m.clone()]).is_empty(), "{m:?}");
        assert!(state.popup.is_none(), "{m:?}");
        assert!(sheet(&state).opinion.is_none(), "{m:?}");
        assert_eq!(sheet(&state).entry.value(), "", "{m:?}");
    }
    steps(&mut state, [key(KeyCode::Char('5'))]);
    assert!(
        message(&state).contains("已提交并锁定"),
        "{}",
        message(&state)
    );
}

#[test]
fn submit_needs_y_then_the_store_answer_goes_back_to_the_list() {
    let mut state = on_sheet(full_sheet(false), Lang::En);
    assert!(sheet(&state).summary, "all scored: the summary");
    assert!(steps(&mut state, [key(KeyCode::Enter)]).is_empty());
    assert!(matches!(
        state.popup,
        Some(Popup::Confirm {
            purpose: ConfirmPurpose::Submit,
            ..
        })
    ));
    // Enter does not confirm an irreversible step; n closes the question.
    assert!(steps(&mut state, [key(KeyCode::Enter)]).is_empty());
    assert!(steps(&mut state, [key(KeyCode::Char('n'))]).is_empty());
    assert!(state.popup.is_none());
    steps(&mut state, [key(KeyCode::Enter)]);
    let fx = steps(&mut state, [key(KeyCode::Char('y'))]);
    assert_eq!(
        fx,
        vec![Effect::Submit {
            code: SHEET_CODE.into()
        }]
    );
    // A refusal stays on the sheet with the reason.
    let refused = Msg::Done(Done::Submitted {
        code: SHEET_CODE.into(),
        result: Err(Text::new("缺评审意见", "the opinion is missing")),
    });
    assert!(steps(&mut state, [refused]).is_empty());
    assert_eq!(message(&state), "the opinion is missing");
    assert!(matches!(state.screen, Screen::Scoring(_)));
    // Stored: the list is asked for and shown, saying so.
    let ok = Msg::Done(Done::Submitted {
        code: SHEET_CODE.into(),
        result: Ok(()),
    });
    assert_eq!(steps(&mut state, [ok]), vec![Effect::ReloadList]);
    steps(
        &mut state,
        [Msg::Done(Done::ListLoaded(Ok(ListRows {
            rows: vec![row(SHEET_CODE, true)],
            today: jiff::civil::date(2026, 6, 20),
        })))],
    );
    assert_eq!(selected_code(&state), SHEET_CODE);
    assert_eq!(message(&state), format!("sheet submitted: {SHEET_CODE}"));
}

#[test]
fn a_refused_opinion_keeps_the_editor_open_with_the_text() {
    let mut state = on_sheet(empty_sheet(), Lang::Zh);
    steps(&mut state, [key(KeyCode::Char('o'))]);
    steps(&mut state, chars("很好"));
    let fx = steps(
        &mut state,
        [Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            KeyCode::Char('s'),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        ))],
    );
    assert_eq!(
        fx,
        vec![Effect::SetOpinion {
            code: SHEET_CODE.into(),
            opinion: Some("很好".into()),
            recommend: None
        }]
    );
    let done = |result| {
        Msg::Done(Done::OpinionSet {
            code: SHEET_CODE.into(),
            opinion: Some("很好".into()),
            recommend: None,
            result,
        })
    };
    steps(&mut state, [done(Err(Text::new("函评已结束", "closed")))]);
    assert_eq!(message(&state), "函评已结束");
    assert!(sheet(&state).opinion.is_some(), "the editor stays open");
    let mut stored = empty_sheet();
    stored.opinion = "很好".into();
    steps(&mut state, [done(Ok(stored))]);
    assert!(sheet(&state).opinion.is_none());
    assert_eq!(sheet(&state).sheet.opinion, "很好");
    assert_eq!(message(&state), "评审意见已保存");
}
