//! A newcomer on a database with no accounts, through the real key map and `update` against real
//! SQLite files: the login screen is a form for the first ministry account (name, password,
//! password again), offering the demo round only while the database is empty; the account it
//! creates is the audited step of `shifan user add` and logs in, then and later.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shifan::domain::access::Role;
use shifan::store::Store;
use shifan::tui::app::{Command, Msg, Screen, State};
use shifan::tui::keymap::Context;
use shifan::tui::lang::Lang;
use shifan::tui::testing::{ch, chars, key, render};
use shifan::validation::validate_paths;
use tui_setup::send;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn empty_store(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("empty.db")).expect("store")
}

/// A database holding the sample applications but no accounts (as after a first import).
fn imported_store(dir: &tempfile::TempDir) -> Store {
    let criteria = common::criteria();
    let mut store = Store::open(&dir.path().join("imported.db")).expect("store");
    let samples = common::root().join("sample-applications");
    let report = validate_paths(&criteria, &[samples]).expect("samples");
    store
        .import(&criteria, &report, false, None)
        .expect("import");
    assert!(!store.has_accounts().unwrap());
    store
}

fn message(state: &State, lang: Lang) -> (String, bool) {
    state
        .env
        .message
        .as_ref()
        .map_or((String::new(), false), |m| {
            (
                if lang == Lang::En {
                    m.text.en.clone()
                } else {
                    m.text.zh.clone()
                },
                m.error,
            )
        })
}

/// Fill the three fields (Tab between them) and press Enter on the last.
fn fill(state: &mut State, store: &mut Store, name: &str, pw: &str, again: &str) -> Command {
    let mut keys = chars(name);
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(pw));
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(again));
    keys.push(key(KeyCode::Enter));
    send(state, store, keys)
}

fn account_entries(store: &Store) -> Vec<(String, String)> {
    let conn = store.connection();
    let mut stmt = conn
        .prepare("SELECT actor, detail FROM audit WHERE action = 'account.add' ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn an_empty_database_shows_the_first_account_form_with_the_demo_offer() {
    let dir = tempfile::tempdir().unwrap();
    let store = empty_store(&dir);
    let db = dir.path().join("empty.db").display().to_string();
    for (lang, title, field, demo) in [
        (
            Lang::Zh,
            "创建第一个账号",
            "再次输入密码",
            "Ctrl-D：载入演示数据",
        ),
        (
            Lang::En,
            "Create the first account",
            "Password again",
            "Ctrl-D: load the demo round",
        ),
    ] {
        let state = State::new(common::criteria(), lang, &store);
        assert_eq!(state.context(), Context::FirstAccountOrDemo);
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            let screen = rows.join("\n");
            assert!(screen.contains(title), "{w}x{h}: {screen}");
            assert!(screen.contains(field), "{w}x{h}: {screen}");
            let joined: String = rows
                .iter()
                .map(|r| r.trim_matches(|c| c == '│' || c == ' '))
                .collect();
            assert!(
                joined.contains(&db),
                "the database named in full: {w}x{h}: {screen}"
            );
            assert!(
                joined.replace(' ', "").contains(&demo.replace(' ', "")),
                "{w}x{h}: {screen}"
            );
        }
    }
}

#[test]
fn the_first_account_form_creates_an_account_that_logs_in() {
    for lang in [Lang::Zh, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = empty_store(&dir);
        let mut state = State::new(common::criteria(), lang, &store);
        fill(&mut state, &mut store, "chief", "s3cret-pw", "s3cret-pw");
        let (text, error) = message(&state, lang);
        assert!(!error, "{text}");
        assert!(text.contains("chief"), "{text}");
        assert!(matches!(state.screen, Screen::Dashboard(_)), "{text}");
        let user = state.env.user.clone().expect("logged in");
        assert_eq!(user.name, "chief");
        assert_eq!(user.role, Role::Ministry);
        // The audited step of `shifan user add`.
        assert_eq!(
            account_entries(&store),
            [(
                "(first account)".to_string(),
                "chief as ministry".to_string()
            )]
        );
        // Log out: now the ordinary login, where the new account logs in again.
        send(&mut state, &mut store, [ch('u')]);
        assert_eq!(state.context(), Context::Login);
        let mut keys = chars("chief");
        keys.push(key(KeyCode::Tab));
        keys.extend(chars("s3cret-pw"));
        keys.push(key(KeyCode::Enter));
        send(&mut state, &mut store, keys);
        assert!(matches!(state.screen, Screen::Dashboard(_)));
        // And a fresh session on the same file opens on the login, not the form.
        let again = State::new(common::criteria(), lang, &store);
        assert_eq!(again.context(), Context::Login);
        let report = store
            .verify_audit(&user, None)
            .expect("verify the audit log");
        assert!(report.intact());
    }
}

#[test]
fn mismatched_passwords_and_an_empty_name_are_refused_in_both_languages() {
    for (lang, differ, no_name) in [
        (Lang::Zh, "两次输入的密码不一致", "请输入账号名"),
        (
            Lang::En,
            "the two passwords differ",
            "type the account name",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = empty_store(&dir);
        let mut state = State::new(common::criteria(), lang, &store);
        fill(
            &mut state,
            &mut store,
            "chief",
            "one-password",
            "another-one",
        );
        let (text, error) = message(&state, lang);
        assert!(error && text.contains(differ), "{text}");
        assert!(!store.has_accounts().unwrap(), "no account created");
        assert!(account_entries(&store).is_empty());
        match &state.screen {
            Screen::Login(l) => {
                let s = l.setup.as_ref().expect("still the form");
                assert_eq!(s.name.value(), "chief", "the name is kept");
                assert_eq!(s.password.value(), "", "both passwords cleared");
                assert_eq!(s.again.value(), "");
                assert_eq!(s.focus, 1, "back on the password");
            }
            _ => panic!("still on the form"),
        }
        for (w, h) in SIZES {
            let screen = render(&state, w, h).join("\n");
            assert!(screen.contains(differ), "{w}x{h}: {screen}");
        }
        // Typed twice the same, it goes through.
        let mut keys = chars("same-pw");
        keys.push(key(KeyCode::Tab));
        keys.extend(chars("same-pw"));
        keys.push(key(KeyCode::Enter));
        send(&mut state, &mut store, keys);
        assert!(
            matches!(state.screen, Screen::Dashboard(_)),
            "{:?}",
            state.env.message
        );

        // An empty name is refused and the focus goes back to it.
        let dir = tempfile::tempdir().unwrap();
        let mut store = empty_store(&dir);
        let mut state = State::new(common::criteria(), lang, &store);
        fill(&mut state, &mut store, "", "pw", "pw");
        let (text, error) = message(&state, lang);
        assert!(error && text.contains(no_name), "{text}");
        assert!(!store.has_accounts().unwrap());
    }
}

#[test]
fn a_database_with_data_but_no_accounts_offers_the_first_account_not_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = imported_store(&dir);
    for (lang, no_demo) in [
        (Lang::Zh, "不提供演示数据"),
        (Lang::En, "demo round is not offered"),
    ] {
        let mut state = State::new(common::criteria(), lang, &store);
        assert_eq!(state.context(), Context::FirstAccount);
        for (w, h) in SIZES {
            let screen = render(&state, w, h).join("\n");
            assert!(!screen.contains("Ctrl-D"), "{w}x{h}: {screen}");
            let joined: String = screen.replace(['│', ' ', '\n'], "");
            assert!(
                joined.contains(&no_demo.replace(' ', "")),
                "{w}x{h}: {screen}"
            );
        }
        // Ctrl-D is not bound here: it neither leaves nor writes.
        assert_eq!(send(&mut state, &mut store, [ctrl('d')]), Command::None);
        assert!(matches!(state.screen, Screen::Login(_)));
        assert!(!store.has_accounts().unwrap());
    }
    // The form creates the account here too.
    let mut state = State::new(common::criteria(), Lang::En, &store);
    fill(&mut state, &mut store, "admin", "pw-1", "pw-1");
    assert!(
        matches!(state.screen, Screen::Dashboard(_)),
        "{:?}",
        state.env.message
    );
}

#[test]
fn ctrl_d_on_an_empty_database_ends_the_session_to_build_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(&dir);
    let mut state = State::new(common::criteria(), Lang::Zh, &store);
    assert_eq!(send(&mut state, &mut store, [ctrl('d')]), Command::Quit);
    match &state.screen {
        Screen::Login(l) => assert!(l.demo_requested()),
        _ => panic!("the login screen"),
    }
    // Nothing was written by the TUI itself: the runner builds the demo all or nothing.
    assert!(!store.has_accounts().unwrap());
}
