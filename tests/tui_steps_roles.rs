//! Pure update tests for the login, the official's screen and the ministry's dashboard (issue
//! 12, item 7): keys go through the real key map and `app::step` with `Cx::pure()`; what the
//! screens ask for comes back as effects, and the answers are fed back as `Msg::Done` by
//! hand, as the runtime would after the store. No SQLite file is opened here.

mod common;

use std::collections::BTreeSet;

use ratatui::crossterm::event::KeyCode;
use shifan::domain::Text;
use shifan::domain::access::{Role, User};
use shifan::domain::publicity::Publicity;
use shifan::store::{Candidate, ProvinceDossier};
use shifan::tui::app::{Command, Env, Msg, Screen, State, step};
use shifan::tui::core::{Cx, Done, Effect, Stepped};
use shifan::tui::lang::Lang;
use shifan::tui::list::FilteredList;
use shifan::tui::phase::Phase;
use shifan::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use shifan::tui::screens::dashboard::{DashboardState, MINISTRY_TABS, Tab};
use shifan::tui::screens::login::LoginState;
use shifan::tui::screens::ministry::assignment::{AssignRow, AssignmentTab};
use shifan::tui::screens::ministry::overview::OverviewTab;
use shifan::tui::screens::ministry::publicity::{Draft, PublicityTab};
use shifan::tui::screens::ministry::refresh::Refresh;
use shifan::tui::screens::ministry::swap::Stage;
use shifan::tui::screens::official::{Mode, OfficialState};
use shifan::tui::testing::{chars, key};

fn env(lang: Lang, user: Option<User>) -> Env {
    Env {
        lang,
        criteria: common::criteria(),
        user,
        phase: Phase::Review,
        message: None,
        size: (120, 40),
        package: None,
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

fn done(state: &mut State, d: Done) -> Vec<Effect> {
    steps(state, [Msg::Done(d)])
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

// ---- Login ----

fn at_login(lang: Lang) -> State {
    State {
        env: env(lang, None),
        screen: Screen::Login(LoginState::default()),
        popup: None,
    }
}

fn login_keys(name: &str, password: &str) -> Vec<Msg> {
    let mut keys = chars(name);
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(password));
    keys.push(key(KeyCode::Enter));
    keys
}

#[test]
fn login_asks_the_runtime_and_a_refusal_clears_the_password_in_the_users_language() {
    let mut state = at_login(Lang::Zh);
    let fx = steps(&mut state, login_keys("ministry", "secret"));
    assert_eq!(
        fx,
        vec![Effect::LogIn {
            name: "ministry".into(),
            password: "secret".into()
        }]
    );
    assert!(state.env.user.is_none(), "not logged in before the answer");
    let fx = done(
        &mut state,
        Done::LoggedIn(Err(Text::new(
            "账号或密码错误",
            "wrong account name or password",
        ))),
    );
    assert!(fx.is_empty());
    assert_eq!(message(&state), ("账号或密码错误".into(), true));
    let Screen::Login(l) = &state.screen else {
        panic!("still at the login");
    };
    assert_eq!(l.password.value(), "", "the password is cleared");
    assert_eq!(l.name.value(), "ministry", "the name is kept");
}

#[test]
fn an_accepted_login_sets_the_user_and_asks_for_the_home_screen() {
    let mut state = at_login(Lang::En);
    steps(&mut state, login_keys("e01", "pw"));
    let user = User {
        name: "e01".into(),
        role: Role::Expert {
            expert_id: "E01".into(),
        },
    };
    let fx = done(&mut state, Done::LoggedIn(Ok(user.clone())));
    assert_eq!(fx, vec![Effect::GoHome]);
    assert_eq!(state.env.user, Some(user));
}

#[test]
fn an_empty_account_name_asks_nothing_of_the_store() {
    let mut state = at_login(Lang::En);
    let fx = steps(&mut state, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert!(fx.is_empty());
    assert_eq!(message(&state), ("type the account name".into(), true));
}

#[test]
fn the_first_account_form_asks_to_create_it_then_goes_home() {
    let mut state = at_login(Lang::Zh);
    state.screen = Screen::Login(LoginState {
        setup: Some(Default::default()),
        ..LoginState::default()
    });
    let mut keys = chars("ministry");
    keys.push(key(KeyCode::Enter));
    keys.extend(chars("pw1"));
    keys.push(key(KeyCode::Enter));
    keys.extend(chars("pw1"));
    keys.push(key(KeyCode::Enter));
    let fx = steps(&mut state, keys);
    assert_eq!(
        fx,
        vec![Effect::CreateFirstAccount {
            name: "ministry".into(),
            password: "pw1".into()
        }]
    );
    let user = User {
        name: "ministry".into(),
        role: Role::Ministry,
    };
    let fx = done(
        &mut state,
        Done::FirstAccount {
            name: "ministry".into(),
            result: Ok(user.clone()),
        },
    );
    assert_eq!(fx, vec![Effect::GoHome]);
    assert_eq!(state.env.user, Some(user));
    assert!(message(&state).0.contains("已创建部级账号 ministry"));
}

// ---- The official ----

fn official_user() -> User {
    User {
        name: "official-zhejiang".into(),
        role: Role::Official {
            province_key: "330000".into(),
        },
    }
}

fn at_official(lang: Lang) -> State {
    let dossiers = vec![
        ProvinceDossier {
            code: "330000-001".into(),
            type_id: "county".into(),
            applicant: "安吉县".into(),
            provincial_rank: Some(1),
            file: "anji.toml".into(),
        },
        ProvinceDossier {
            code: "330000-002".into(),
            type_id: "county".into(),
            applicant: "德清县".into(),
            provincial_rank: Some(2),
            file: "deqing.toml".into(),
        },
    ];
    State {
        env: env(lang, Some(official_user())),
        screen: Screen::Official(Box::new(OfficialState::new(
            "330000",
            dossiers,
            Vec::new(),
            None,
        ))),
        popup: None,
    }
}

fn official(state: &State) -> &OfficialState {
    match &state.screen {
        Screen::Official(o) => o,
        other => panic!("not the official's screen: {other:?}"),
    }
}

#[test]
fn enter_on_a_stored_dossier_asks_for_it_and_the_answer_opens_it_read_only() {
    let mut state = at_official(Lang::Zh);
    let fx = steps(&mut state, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert_eq!(
        fx,
        vec![Effect::ReadDossier {
            code: "330000-002".into()
        }]
    );
    assert_eq!(official(&state).mode, Mode::Dossiers, "nothing read yet");
    let bytes = std::fs::read(common::fixture("valid/zhejiang/anji.toml")).expect("fixture");
    done(
        &mut state,
        Done::DossierRead {
            code: "330000-002".into(),
            result: Ok(Some(bytes)),
        },
    );
    let o = official(&state);
    assert_eq!(o.mode, Mode::Dossier);
    assert_eq!(
        o.stored.as_ref().map(|s| s.code.as_str()),
        Some("330000-002")
    );
}

#[test]
fn a_dossier_no_longer_stored_says_so_in_both_languages() {
    for (lang, want) in [
        (Lang::Zh, "申报书 330000-001 已不在数据库中"),
        (Lang::En, "dossier 330000-001 is no longer stored"),
    ] {
        let mut state = at_official(lang);
        steps(&mut state, [key(KeyCode::Enter)]);
        done(
            &mut state,
            Done::DossierRead {
                code: "330000-001".into(),
                result: Ok(None),
            },
        );
        let (text, error) = message(&state);
        assert!(error && text.contains(want), "{text}");
        assert_eq!(official(&state).mode, Mode::Dossiers);
    }
}

#[test]
fn recheck_asks_for_the_folder_and_shows_the_findings_it_gets_back() {
    let mut state = at_official(Lang::En);
    let folder = common::fixture("valid/zhejiang");
    let folder = folder.to_string_lossy().to_string();
    let mut keys = vec![key(KeyCode::Char('f'))];
    keys.extend(chars(&folder));
    keys.push(key(KeyCode::Enter));
    let fx = steps(&mut state, keys);
    assert_eq!(
        fx,
        vec![Effect::Recheck {
            folder: folder.clone()
        }]
    );
    // What the runtime would answer, checked without a store.
    let report = common::validate(&state.env.criteria, std::path::Path::new(&folder));
    let errors = report.errors();
    done(
        &mut state,
        Done::Rechecked {
            folder: folder.clone(),
            result: Ok(Box::new(report)),
        },
    );
    assert_eq!(official(&state).mode, Mode::Findings);
    let (text, error) = message(&state);
    assert!(
        !error && text.contains(&format!("{errors} errors")),
        "{text}"
    );
    // A folder that cannot be checked says why, in the user's language.
    state.env.lang = Lang::Zh;
    done(
        &mut state,
        Done::Rechecked {
            folder,
            result: Err(Text::new("文件夹不存在", "no such folder")),
        },
    );
    assert_eq!(message(&state), ("无法复查：文件夹不存在".into(), true));
}

// ---- The ministry's dashboard ----

fn ministry_user() -> User {
    User {
        name: "ministry".into(),
        role: Role::Ministry,
    }
}

fn at_dashboard(lang: Lang) -> State {
    let env = env(lang, Some(ministry_user()));
    let d = DashboardState::new(
        MINISTRY_TABS,
        OverviewTab::empty(&env),
        Refresh::unwatched(),
    );
    State {
        env,
        screen: Screen::Dashboard(Box::new(d)),
        popup: None,
    }
}

fn dash(state: &State) -> &DashboardState {
    match &state.screen {
        Screen::Dashboard(d) => d,
        other => panic!("not the dashboard: {other:?}"),
    }
}

fn dash_mut(state: &mut State) -> &mut DashboardState {
    match &mut state.screen {
        Screen::Dashboard(d) => d,
        other => panic!("not the dashboard: {other:?}"),
    }
}

#[test]
fn a_tab_switch_asks_for_the_tab_and_the_tick_for_the_refresh() {
    let mut state = at_dashboard(Lang::Zh);
    let fx = steps(&mut state, [key(KeyCode::Tab)]);
    assert_eq!(fx, vec![Effect::ShowTab]);
    assert_eq!(dash(&state).current(), Tab::Assignment);
    assert!(dash(&state).assignment.is_none(), "read by the runtime");
    assert_eq!(steps(&mut state, [Msg::Tick]), vec![Effect::Refresh]);
}

/// The assignment tab with one dossier and its experts E01, E02 (E01's sheet submitted).
fn assignment_tab(env: &Env) -> AssignmentTab {
    let rows = vec![AssignRow {
        code: "330000-001".into(),
        province_key: "330000".into(),
        type_id: "county".into(),
        applicant: "安吉县".into(),
        experts: vec!["E01".into(), "E02".into()],
    }];
    AssignmentTab {
        list: FilteredList::new(rows.len()),
        rows,
        loads: vec![("E01".into(), 1), ("E02".into(), 1)],
        per_dossier: env.criteria.round.experts_per_dossier as usize,
        report: None,
        draft: None,
        progress: Vec::new(),
        submitted: BTreeSet::from([("330000-001".to_string(), "E01".to_string())]),
        pick: None,
        roster: None,
        reopening: None,
    }
}

fn on_assignment(lang: Lang) -> State {
    let mut state = at_dashboard(lang);
    let tab = assignment_tab(&state.env);
    let d = dash_mut(&mut state);
    d.tab = 1;
    d.assignment = Some(tab);
    state
}

fn candidate(id: &str, reason: Option<Text>) -> Candidate {
    Candidate {
        expert_id: id.into(),
        name: format!("专家{id}"),
        province_key: Some("110000".into()),
        covers_type: true,
        load: 3,
        reason,
    }
}

#[test]
fn a_swap_asks_for_the_candidates_then_for_the_step_and_reads_the_round_again() {
    let mut state = on_assignment(Lang::En);
    // w: who leaves; E01 has submitted, so the cursor starts on E02.
    let fx = steps(&mut state, [key(KeyCode::Char('w')), key(KeyCode::Enter)]);
    assert_eq!(
        fx,
        vec![Effect::SwapCandidates {
            dossier: "330000-001".into(),
            out: "E02".into()
        }]
    );
    let barred = Text::new("与申报单位同省，须回避", "same province as the applicant");
    done(
        &mut state,
        Done::SwapCandidates {
            dossier: "330000-001".into(),
            out: "E02".into(),
            result: Ok(vec![
                candidate("E07", None),
                candidate("E09", Some(barred.clone())),
            ]),
        },
    );
    let pick = dash(&state)
        .assignment
        .as_ref()
        .and_then(|a| a.pick.clone());
    let pick = pick.expect("the second stage is open");
    assert_eq!(pick.stage, Stage::SwapIn { out: "E02".into() });
    // Choosing the barred one says why and asks nothing.
    let fx = steps(&mut state, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert!(fx.is_empty());
    assert_eq!(message(&state), (barred.en.clone(), true));
    // The eligible one: a reason, then y.
    let mut keys = vec![key(KeyCode::Up), key(KeyCode::Enter)];
    keys.extend(chars("E02 is abroad"));
    keys.push(key(KeyCode::Enter));
    assert!(steps(&mut state, keys).is_empty());
    assert!(matches!(state.popup, Some(Popup::Confirm { .. })));
    let fx = steps(&mut state, [key(KeyCode::Char('y'))]);
    let purpose = ConfirmPurpose::Swap {
        dossier: "330000-001".into(),
        out: "E02".into(),
        into: "E07".into(),
        reason: "E02 is abroad".into(),
    };
    assert_eq!(fx, vec![Effect::RoundStep(purpose.clone())]);
    let fx = done(
        &mut state,
        Done::Stepped {
            purpose,
            result: Ok(Box::new(Stepped::Said(Text::new(
                "已调换：330000-001 E02 → E07",
                "swapped: 330000-001 E02 → E07",
            )))),
        },
    );
    assert_eq!(fx, vec![Effect::RoundChanged], "the round is read again");
    assert_eq!(
        message(&state),
        ("swapped: 330000-001 E02 → E07".into(), false)
    );
}

#[test]
fn a_refused_assignment_says_why_and_reads_nothing_again() {
    let mut state = on_assignment(Lang::Zh);
    let fx = steps(
        &mut state,
        [key(KeyCode::Char('a')), key(KeyCode::Char('y'))],
    );
    let purpose = ConfirmPurpose::Assign { seed: 1 };
    assert_eq!(fx, vec![Effect::RoundStep(purpose.clone())]);
    let fx = done(
        &mut state,
        Done::Stepped {
            purpose,
            result: Err(Text::new("名单已封存，不能再分配", "the list is sealed")),
        },
    );
    assert!(fx.is_empty());
    assert_eq!(message(&state), ("名单已封存，不能再分配".into(), true));
}

#[test]
fn the_roster_is_asked_for_and_opens_over_the_table() {
    let mut state = on_assignment(Lang::En);
    assert_eq!(
        steps(&mut state, [key(KeyCode::Char('e'))]),
        vec![Effect::ReadRoster]
    );
    assert!(
        dash(&state)
            .assignment
            .as_ref()
            .is_some_and(|a| a.roster.is_none())
    );
    done(&mut state, Done::Roster(Ok(Vec::new())));
    assert!(
        dash(&state)
            .assignment
            .as_ref()
            .is_some_and(|a| a.roster.is_some())
    );
}

fn on_publicity(lang: Lang) -> State {
    let mut state = at_dashboard(lang);
    let today = "2026-07-01".parse().expect("a date");
    let d = dash_mut(&mut state);
    d.tab = MINISTRY_TABS
        .iter()
        .position(|t| *t == Tab::Publicity)
        .expect("the publicity tab");
    d.publicity = Some(PublicityTab {
        publicity: Publicity::default(),
        scroll: 0,
        draft: Draft::default(),
        today,
    });
    state
}

#[test]
fn sealing_with_open_sheets_asks_for_the_reason_and_a_seal_reads_the_round_again() {
    let mut state = on_publicity(Lang::Zh);
    let fx = steps(
        &mut state,
        [key(KeyCode::Char('p')), key(KeyCode::Char('y'))],
    );
    let on = "2026-07-01".parse().expect("a date");
    let purpose = ConfirmPurpose::Propose {
        on,
        accept_incomplete: None,
    };
    assert_eq!(fx, vec![Effect::RoundStep(purpose.clone())]);
    let fx = done(
        &mut state,
        Done::Stepped {
            purpose: purpose.clone(),
            result: Ok(Box::new(Stepped::SheetsOpen(Text::new(
                "尚有 3 份评分表未提交",
                "3 score sheets are still open",
            )))),
        },
    );
    assert!(fx.is_empty(), "nothing sealed, nothing read again");
    assert_eq!(message(&state), ("尚有 3 份评分表未提交".into(), true));
    assert!(matches!(
        state.popup,
        Some(Popup::Input {
            purpose: InputPurpose::SealReason,
            ..
        })
    ));
    state.popup = None;
    let fx = done(
        &mut state,
        Done::Stepped {
            purpose,
            result: Ok(Box::new(Stepped::Said(Text::new(
                "名单已封存",
                "the list is sealed",
            )))),
        },
    );
    assert_eq!(fx, vec![Effect::RoundChanged]);
    assert_eq!(message(&state), ("名单已封存".into(), false));
}

fn on_documents(lang: Lang) -> State {
    use shifan::service::generation::Batch;
    use shifan::tui::screens::ministry::documents::DocumentsTab;
    let mut state = at_dashboard(lang);
    let d = dash_mut(&mut state);
    d.tab = MINISTRY_TABS
        .iter()
        .position(|t| *t == Tab::Documents)
        .expect("the documents tab");
    let batches = vec![Batch::PublicityNotice, Batch::ScoreSheets];
    d.documents = Some(DocumentsTab {
        phase: shifan::domain::phase::Phase::Review,
        publicity: Publicity::default(),
        counts: Default::default(),
        list: FilteredList::new(batches.len() + 1),
        batches,
        folder: std::path::PathBuf::from("/srv/round/documents"),
        pending: None,
        written: None,
        scroll: 0,
    });
    state
}

#[test]
fn generating_documents_looks_in_the_folder_first_and_warns_before_replacing() {
    use shifan::service::generation::Batch;
    let folder = std::path::PathBuf::from("/srv/round/documents");
    // An empty folder: a plain confirmation, then the generation is asked for.
    let mut state = on_documents(Lang::En);
    let fx = steps(&mut state, [key(KeyCode::Enter)]);
    assert_eq!(
        fx,
        vec![Effect::ListFolder {
            folder: folder.clone()
        }]
    );
    assert!(
        state.popup.is_none(),
        "nothing asked before the folder is seen"
    );
    done(
        &mut state,
        Done::FolderListed {
            folder: folder.clone(),
            names: Vec::new(),
        },
    );
    assert!(matches!(
        state.popup,
        Some(Popup::Confirm {
            purpose: ConfirmPurpose::GenerateDocuments,
            ..
        })
    ));
    let fx = steps(&mut state, [key(KeyCode::Char('y'))]);
    assert_eq!(
        fx,
        vec![Effect::GenerateDocuments {
            batches: vec![Batch::PublicityNotice],
            folder: folder.clone(),
            force: false
        }]
    );
    // A failure says so, in the user's language.
    state.env.lang = Lang::Zh;
    done(
        &mut state,
        Done::DocumentsWritten {
            batches: vec![Batch::PublicityNotice],
            result: Err(Text::new("磁盘已满", "disk full")),
        },
    );
    assert_eq!(message(&state), ("生成失败：磁盘已满".into(), true));

    // A folder with files: the warning names them, and y replaces (force).
    let mut state = on_documents(Lang::Zh);
    steps(&mut state, [key(KeyCode::Char('g'))]);
    done(
        &mut state,
        Done::FolderListed {
            folder: folder.clone(),
            names: vec!["publicity-notice.pdf".into()],
        },
    );
    let Some(Popup::Confirm { purpose, question }) = &state.popup else {
        panic!("a confirmation: {:?}", state.popup);
    };
    assert_eq!(*purpose, ConfirmPurpose::OverwriteDocuments);
    assert!(
        question.zh.contains("publicity-notice.pdf"),
        "{}",
        question.zh
    );
    let fx = steps(&mut state, [key(KeyCode::Char('y'))]);
    assert_eq!(
        fx,
        vec![Effect::GenerateDocuments {
            batches: vec![Batch::PublicityNotice, Batch::ScoreSheets],
            folder,
            force: true
        }]
    );
}
