//! The clerk's documents tab on the demo round, through the real key map and `update` against a
//! real SQLite file: the output folder shown in full, one document or all, the overwrite
//! warning that needs `y`, the files written listed with their full paths, and one
//! `documents.generate` audit entry per generation that `audit verify` accepts.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyCode;
use shifan::domain::access::{Role, User};
use shifan::service::generation::AUDIT_ACTION;
use shifan::store::Store;
use shifan::tui::app::{Screen, State};
use shifan::tui::keymap::Context;
use shifan::tui::lang::Lang;
use shifan::tui::popup::{ConfirmPurpose, Popup};
use shifan::tui::screens::dashboard::{DashboardState, Tab};
use shifan::tui::screens::ministry::documents::DocumentsTab;
use shifan::tui::testing::{ch, chars, key, render};
use tui_setup::{DEMO_PASSWORD, DemoSetup, demo_setup, send};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn login(s: &mut DemoSetup, name: &str, lang: Lang) -> State {
    let mut state = State::new(s.criteria.clone(), lang, &s.store);
    let mut keys = chars(name);
    keys.push(key(KeyCode::Tab));
    keys.extend(chars(DEMO_PASSWORD));
    keys.push(key(KeyCode::Enter));
    send(&mut state, &mut s.store, keys);
    assert!(
        matches!(state.screen, Screen::Dashboard(_)),
        "{name} logged in"
    );
    state
}

fn dash(state: &State) -> &DashboardState {
    match &state.screen {
        Screen::Dashboard(d) => d,
        _ => panic!("not on the dashboard"),
    }
}

fn docs(state: &State) -> &DocumentsTab {
    dash(state)
        .documents
        .as_ref()
        .expect("documents tab loaded")
}

/// The clerk on the documents tab.
fn clerk_on_documents(s: &mut DemoSetup, lang: Lang) -> State {
    let mut state = login(s, "clerk", lang);
    send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
    assert_eq!(dash(&state).current(), Tab::Documents);
    state
}

fn message(state: &State) -> (String, bool) {
    state
        .env
        .message
        .as_ref()
        .map_or((String::new(), false), |m| (m.text.en.clone(), m.error))
}

/// The `documents.generate` entries: (actor, detail).
fn generations(store: &Store) -> Vec<(String, String)> {
    let conn = store.connection();
    let mut stmt = conn
        .prepare("SELECT actor, detail FROM audit WHERE action = ?1 ORDER BY seq")
        .unwrap();
    stmt.query_map([AUDIT_ACTION], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn ministry() -> User {
    User {
        name: "ministry".into(),
        role: Role::Ministry,
    }
}

fn set_folder(state: &mut State, store: &mut Store, folder: &Path) {
    send(state, store, [ch('f')]);
    assert!(
        matches!(state.popup, Some(Popup::Input { .. })),
        "f opens the folder field"
    );
    // Ctrl-U clears the default path, then the new one is typed.
    send(
        state,
        store,
        [shifan::tui::app::Msg::Key(
            ratatui::crossterm::event::KeyEvent::new(
                KeyCode::Char('u'),
                ratatui::crossterm::event::KeyModifiers::CONTROL,
            ),
        )],
    );
    send(state, store, chars(&folder.display().to_string()));
    send(state, store, [key(KeyCode::Enter)]);
    assert!(state.popup.is_none());
    assert_eq!(docs(state).folder, folder);
}

#[test]
fn the_output_folder_is_shown_in_full_at_both_sizes_in_both_languages() {
    let mut s = demo_setup();
    let default = s.dir.path().join("documents");
    for lang in [Lang::Zh, Lang::En] {
        let mut state = clerk_on_documents(&mut s, lang);
        assert_eq!(docs(&state).folder, default);
        assert!(docs(&state).folder.is_absolute());
        for (w, h) in SIZES {
            let screen = render(&state, w, h).join("\n");
            assert!(
                screen.contains(&default.display().to_string()),
                "{w}x{h} {lang:?}: {screen}"
            );
            // No exports for a clerk: neither the command nor round.json.
            assert!(!screen.contains("shifan export"), "{screen}");
            assert!(!screen.contains("round.json"), "{screen}");
        }
        // A folder longer than the window wraps onto the next lines; nothing of it is cut.
        let long = s
            .dir
            .path()
            .join("a-rather-long-folder-name-for-the-printed-documents-of-the-round")
            .join("second-level-folder-with-another-long-name");
        set_folder(&mut state, &mut s.store, &long);
        for (w, h) in SIZES {
            let rows = render(&state, w, h);
            let inner: String = rows
                .iter()
                .map(|r| r.trim_matches(|c| c == '│' || c == ' '))
                .collect::<Vec<_>>()
                .join("");
            assert!(
                inner.contains(&long.display().to_string()),
                "{w}x{h}: {}",
                rows.join("\n")
            );
        }
    }
}

#[test]
fn one_document_gives_one_file_and_one_audit_entry_and_overwriting_needs_y() {
    let mut s = demo_setup();
    let out = s.dir.path().join("one");
    for lang in [Lang::En, Lang::Zh] {
        let _ = std::fs::remove_dir_all(&out);
        let before = generations(&s.store).len();
        let mut state = clerk_on_documents(&mut s, lang);
        set_folder(&mut state, &mut s.store, &out);
        // The first row is the publicity notice (a draft in the review phase).
        assert_eq!(docs(&state).list.selected, 0);
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        match &state.popup {
            Some(Popup::Confirm { purpose, question }) => {
                assert_eq!(*purpose, ConfirmPurpose::GenerateDocuments);
                assert!(question.en.contains(&out.display().to_string()));
                assert!(question.zh.contains(&out.display().to_string()));
            }
            other => panic!("a confirm popup: {other:?}"),
        }
        send(&mut state, &mut s.store, [ch('y')]);
        let (text, error) = message(&state);
        assert!(!error, "{text}");
        assert_eq!(files_in(&out), ["publicity-notice-draft.pdf"]);
        let entries = generations(&s.store);
        assert_eq!(entries.len(), before + 1, "one audit entry");
        let (actor, detail) = entries.last().unwrap();
        assert_eq!(actor, "clerk");
        let bytes = std::fs::read(out.join("publicity-notice-draft.pdf")).unwrap();
        let sha = shifan::store::sha256_hex(&bytes);
        assert!(detail.contains("publicity-notice"), "{detail}");
        assert!(detail.contains(&out.display().to_string()), "{detail}");
        assert!(
            detail.contains(&format!("publicity-notice-draft.pdf sha256 {sha}")),
            "{detail}"
        );
        // The files written are listed with their full paths.
        assert_eq!(state.context(), Context::DocumentsWritten);
        let path = out.join("publicity-notice-draft.pdf").display().to_string();
        for (w, h) in SIZES {
            let screen = render(&state, w, h).join("\n");
            assert!(screen.contains(&path), "{w}x{h}: {screen}");
        }
        send(&mut state, &mut s.store, [key(KeyCode::Esc)]);
        assert_eq!(state.context(), Context::Documents);

        // Again into the same folder: a warning that names the folder and needs `y`.
        let modified = std::fs::metadata(out.join("publicity-notice-draft.pdf"))
            .unwrap()
            .modified()
            .unwrap();
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        match &state.popup {
            Some(Popup::Confirm { purpose, question }) => {
                assert_eq!(*purpose, ConfirmPurpose::OverwriteDocuments);
                assert!(purpose.needs_y());
                assert!(
                    question.en.contains("already holds 1 entries"),
                    "{question:?}"
                );
                assert!(question.zh.contains("已有 1 项"), "{question:?}");
                assert!(question.en.contains(&out.display().to_string()));
            }
            other => panic!("an overwrite warning: {other:?}"),
        }
        for (w, h) in SIZES {
            let screen = render(&state, w, h).join("\n");
            let want = if lang == Lang::En {
                "y confirm / n cancel"
            } else {
                "y 确认 / n 取消"
            };
            assert!(screen.contains(want), "{w}x{h}: {screen}");
        }
        // Enter alone does nothing; `n` cancels; nothing was written or recorded.
        send(&mut state, &mut s.store, [key(KeyCode::Enter)]);
        assert!(matches!(state.popup, Some(Popup::Confirm { .. })));
        send(&mut state, &mut s.store, [ch('n')]);
        assert!(state.popup.is_none());
        assert_eq!(generations(&s.store).len(), before + 1);
        assert_eq!(
            std::fs::metadata(out.join("publicity-notice-draft.pdf"))
                .unwrap()
                .modified()
                .unwrap(),
            modified
        );
        // `y` replaces it: a second entry.
        send(&mut state, &mut s.store, [key(KeyCode::Enter), ch('y')]);
        assert!(!message(&state).1, "{:?}", state.env.message);
        assert_eq!(generations(&s.store).len(), before + 2);
        assert_eq!(files_in(&out), ["publicity-notice-draft.pdf"]);
    }
    let report = s.store.verify_audit(&ministry(), None).expect("verify");
    assert!(report.intact(), "{:?} {:?}", report.chain, report.data);
}

#[test]
fn all_documents_are_listed_with_their_full_paths_after_one_audit_entry() {
    let mut s = demo_setup();
    let before = generations(&s.store).len();
    let mut state = clerk_on_documents(&mut s, Lang::Zh);
    let out = docs(&state).folder.clone();
    // The last row is 「全部」; `g` does the same from anywhere in the list.
    send(&mut state, &mut s.store, [ch('g')]);
    send(&mut state, &mut s.store, [ch('y')]);
    let (text, error) = message(&state);
    assert!(!error, "{text}");
    let files = files_in(&out);
    let sheets = files
        .iter()
        .filter(|f| f.starts_with("score-sheet-"))
        .count();
    assert_eq!(sheets, 40);
    assert!(files.contains(&"publicity-notice-draft.pdf".to_string()));
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".csv") || f.ends_with(".json"))
    );
    assert!(
        text.contains(&format!("wrote {} files", files.len())),
        "{text}"
    );
    assert!(text.contains(&out.display().to_string()), "{text}");
    let entries = generations(&s.store);
    assert_eq!(entries.len(), before + 1);
    let detail = &entries.last().unwrap().1;
    assert!(
        detail.contains(&format!("{} files:", files.len())),
        "{detail}"
    );
    for f in &files {
        let sha = shifan::store::sha256_hex(&std::fs::read(out.join(f)).unwrap());
        assert!(detail.contains(&format!("{f} sha256 {sha}")), "{f}");
    }
    // Every file's full path appears while scrolling the list (both sizes).
    for (w, h) in SIZES {
        let mut seen = String::new();
        let mut st = state.clone();
        for _ in 0..20 {
            seen.push_str(&render(&st, w, h).join("\n"));
            send(&mut st, &mut s.store, [key(KeyCode::PageDown)]);
        }
        for f in &files {
            let p: PathBuf = out.join(f);
            assert!(
                seen.contains(&p.display().to_string()),
                "{w}x{h}: {f} listed"
            );
        }
    }
    let report = s.store.verify_audit(&ministry(), None).expect("verify");
    assert!(report.intact(), "{:?} {:?}", report.chain, report.data);
}

/// The export file names a documents row lists (`ranking.csv · scores.csv · …`).
fn screen_row_files(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.contains("ranking.csv"))
        .flat_map(|l| l.split(['·', ' ', '│']))
        .map(str::trim)
        .filter(|w| w.contains('.') && !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A clerk gets the documents, not the exports: the list names no export file (no
/// `round.json`, no ranking.csv) at either size, in either language.
#[test]
fn the_clerks_list_names_no_exports_at_both_sizes_in_both_languages() {
    let mut s = demo_setup();
    for lang in [Lang::Zh, Lang::En] {
        let state = clerk_on_documents(&mut s, lang);
        assert!(!docs(&state).batches.is_empty());
        for (w, h) in SIZES {
            let screen = render(&state, w, h).join("\n");
            for name in ["round.json", "ranking.csv", "scores.csv", "round.xlsx"] {
                assert!(
                    !screen.contains(name),
                    "{name} at {w}x{h} {lang:?}:\n{screen}"
                );
            }
            assert!(
                !screen.contains("Data exports") && !screen.contains("数据导出"),
                "{screen}"
            );
        }
    }
}

#[test]
fn the_selected_row_moves_and_the_ministry_also_gets_the_exports() {
    let mut s = demo_setup();
    let mut state = login(&mut s, "ministry", Lang::En);
    for _ in 0..dash(&state).tabs.len() {
        if dash(&state).current() == Tab::Documents {
            break;
        }
        send(&mut state, &mut s.store, [key(KeyCode::Tab)]);
    }
    let out = s.dir.path().join("exports-only");
    set_folder(&mut state, &mut s.store, &out);
    let n = docs(&state).batches.len();
    assert_eq!(n, 4, "{:?}", docs(&state).batches);
    // Down to the exports (the last document row, after the review statistics annex), and
    // generate that one only.
    send(&mut state, &mut s.store, vec![key(KeyCode::Down); n - 2]);
    let screen = render(&state, 80, 24).join("\n");
    assert!(
        screen.contains("▶ 3. Review statistics (annex)"),
        "{screen}"
    );
    send(&mut state, &mut s.store, [key(KeyCode::Down)]);
    let screen = render(&state, 80, 24).join("\n");
    assert!(screen.contains("▶ 4. Data exports"), "{screen}");
    let named = screen_row_files(&render(&state, 120, 40).join("\n"));
    send(&mut state, &mut s.store, [key(KeyCode::Enter), ch('y')]);
    assert!(!message(&state).1, "{:?}", state.env.message);
    let files = files_in(&out);
    assert!(files.contains(&"ranking.csv".to_string()), "{files:?}");
    // Every file the row named is written (the row once named round.json, which was not).
    assert!(!named.is_empty());
    for f in &named {
        assert!(files.contains(f), "{f} named but not written: {files:?}");
    }
    assert!(!files.iter().any(|f| f.ends_with(".pdf")), "{files:?}");
    let (actor, detail) = generations(&s.store).pop().unwrap();
    assert_eq!(actor, "ministry");
    assert!(detail.starts_with("exports into "), "{detail}");
}

#[test]
// The render closures return the library's `DocumentError` (128 bytes, the store's refusals whole).
#[allow(clippy::result_large_err)]
fn a_generation_during_which_the_round_changes_is_refused_and_not_recorded() {
    let mut s = demo_setup();
    let clerk = User {
        name: "clerk".into(),
        role: Role::Clerk,
    };
    let out = s.dir.path().join("raced");
    let before = generations(&s.store).len();
    let criteria = s.criteria.clone();
    let today = s.store.today();
    // Another step lands between reading the round and recording the generation (here from
    // inside the render, which is where another process's step could interleave).
    let result = s
        .store
        .generate_documents(&clerk, "publicity-notice", &out, false, |st| {
            st.add_account(Some(&ministry()), "late-clerk", &Role::Clerk, "pw", false)
                .map_err(shifan::documents::DocumentError::Store)?;
            shifan::service::generation::render(
                &criteria,
                st,
                &clerk,
                &[shifan::service::generation::Batch::PublicityNotice],
                today,
            )
        });
    match result {
        Err(e @ shifan::documents::DocumentError::RoundChanged(_)) => {
            let t = e.text();
            assert!(t.en.contains("generate them again"), "{}", t.en);
            assert!(t.zh.contains("请重新生成"), "{}", t.zh);
        }
        other => panic!("refused: {other:?}"),
    }
    assert_eq!(generations(&s.store).len(), before, "nothing recorded");
    // Someone who may not print notices (an expert) is refused before anything is written.
    let expert = User {
        name: "expert01".into(),
        role: Role::Expert {
            expert_id: "E01".into(),
        },
    };
    let refused = s.store.generate_documents(
        &expert,
        "score-sheets",
        &s.dir.path().join("no"),
        false,
        |_| Ok(Vec::new()),
    );
    assert!(refused.is_err());
    assert!(!s.dir.path().join("no").exists());
    let report = s.store.verify_audit(&ministry(), None).expect("verify");
    assert!(report.intact(), "{:?} {:?}", report.chain, report.data);
}
