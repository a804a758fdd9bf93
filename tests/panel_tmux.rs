//! A panel on one server, end to end: eight experts logged in at once, each in the real TUI in
//! its own tmux session (as each would be over ssh), all against one database file. Round by
//! round every expert types the points of the next criterion and presses Enter at nearly the
//! same moment; every screen must move on to the next criterion. Then the database is checked:
//! every score typed is stored with the value typed, each sheet's total is the sum typed, each
//! score has its audit entry, and `shifan audit verify` finds the chain and the data intact.
//! Skips, saying so, without tmux.

mod common;
#[path = "common/tmux.rs"]
mod tmux;

use tmux::Tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use shifan::domain::access::Role;
use shifan::input::experts::read_roster;
use shifan::store::Store;
use shifan::validation::validate_paths;

const PASSWORD: &str = "panel-2026";
const EXPERTS: usize = 8;

/// The sample round with the sample roster, every dossier assigned, accounts e01..e08.
fn round(dir: &Path) -> PathBuf {
    let criteria = common::criteria();
    let db = dir.join("panel.db");
    let mut store = Store::open(&db).expect("store opens");
    let samples = common::root().join("sample-applications");
    let report = validate_paths(&criteria, std::slice::from_ref(&samples)).expect("samples");
    store
        .import(&criteria, &report, false, None)
        .expect("import");
    store
        .add_account(None, "admin", &Role::Ministry, PASSWORD, false)
        .expect("first account");
    let admin = store.login("admin", PASSWORD).expect("admin logs in");
    let roster = read_roster(&criteria, &samples.join("experts.toml")).expect("roster");
    store
        .import_experts(&admin, &roster)
        .expect("roster import");
    let accounts: Vec<(String, Role)> = (1..=EXPERTS)
        .map(|i| {
            (
                format!("e{i:02}"),
                Role::Expert {
                    expert_id: format!("E{i:02}"),
                },
            )
        })
        .collect();
    store
        .add_accounts(&admin, &accounts, PASSWORD, false)
        .expect("accounts");
    store.assign(&criteria, &admin, 1).expect("assignment");
    db
}

/// The points expert `e` types for criterion `i`: on the step, within the range, different per
/// expert and criterion.
fn points_for(e: usize, i: usize) -> String {
    let c = &common::criteria().rubric.criteria[i];
    let steps_down = ((e + i) % 4) as f64;
    let v = (c.max - c.step * steps_down).max(0.0);
    format!("{v}")
}

#[test]
fn eight_experts_score_at_once_in_eight_terminals_and_nothing_is_lost() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the panel tmux test did not run"
        );
        return;
    }
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = round(dir.path());
    let criteria = common::criteria();
    let n = criteria.rubric.criteria.len();
    let bin = env!("CARGO_BIN_EXE_shifan");
    let tmux = Tmux::new("panel");
    let sessions: Vec<String> = (1..=EXPERTS).map(|i| format!("e{i:02}")).collect();
    let cmd = format!(
        "'{bin}' --criteria '{}' tui --db '{}'",
        common::root().join("criteria").display(),
        db.display()
    );
    for s in &sessions {
        tmux.start(s, 100, 30, &[], &cmd);
    }
    // Everyone logs in, then opens the first dossier of their list.
    for s in &sessions {
        tmux.wait_for(s, &["登录"]);
        tmux.type_text(s, s);
        tmux.send(s, &["Tab"]);
        tmux.type_text(s, PASSWORD);
        tmux.send(s, &["Enter"]);
    }
    for s in &sessions {
        tmux.wait_for(s, &["我的申报书"]);
        tmux.send(s, &["Enter"]);
    }
    for s in &sessions {
        tmux.wait_for(s, &[&format!("评分项 1/{n}")]);
    }
    // Round by round: all type, all press Enter, then every screen must have moved on.
    for i in 0..n {
        for (e, s) in sessions.iter().enumerate() {
            tmux.type_text(s, &points_for(e + 1, i));
        }
        for s in &sessions {
            tmux.send(s, &["Enter"]);
        }
        for (e, s) in sessions.iter().enumerate() {
            let saved = format!("= {}", points_for(e + 1, i));
            if i + 1 < n {
                tmux.wait_for(s, &[&format!("评分项 {}/{n}", i + 2), "已保存", &saved]);
            } else {
                tmux.wait_for(s, &["各项均已评分", &saved]);
            }
        }
    }
    // Everyone leaves: back to the list, then quit.
    for s in &sessions {
        tmux.type_text(s, "q");
    }
    for s in &sessions {
        tmux.wait_for(s, &["我的申报书"]);
        tmux.type_text(s, "q");
    }
    // Quitting from the list asks first; y leaves.
    for s in &sessions {
        tmux.wait_for(s, &["退出 shifan？"]);
        tmux.type_text(s, "y");
    }
    let t = Instant::now();
    while sessions.iter().any(|s| tmux.alive(s)) && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    for s in &sessions {
        assert!(!tmux.alive(s), "{s} quit on q:\n{}", tmux.screen(s));
    }

    // Every score typed is stored, on one sheet per expert, with the value typed.
    let conn = rusqlite::Connection::open(&db).expect("db opens");
    for e in 1..=EXPERTS {
        let expert = format!("E{e:02}");
        let mut stmt = conn
            .prepare(
                "SELECT s.dossier_code, s.criterion, s.points FROM score s
                 JOIN assignment a ON a.id = s.assignment_id AND a.ended_at IS NULL
                 WHERE s.expert_id = ?1",
            )
            .unwrap();
        let rows: Vec<(String, String, f64)> = stmt
            .query_map([&expert], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), n, "{expert}: {rows:?}");
        let dossiers: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(dossiers.len(), 1, "{expert} scored one sheet: {dossiers:?}");
        let mut total = 0.0;
        let mut expected = 0.0;
        for (i, c) in criteria.rubric.criteria.iter().enumerate() {
            let typed: f64 = points_for(e, i).parse().unwrap();
            let stored = rows
                .iter()
                .find(|r| r.1 == c.id)
                .unwrap_or_else(|| panic!("{expert} {}: not stored", c.id));
            assert_eq!(stored.2, typed, "{expert} {}", c.id);
            total += stored.2;
            expected += typed;
        }
        assert!(
            (total - expected).abs() < 1e-9,
            "{expert}: total {total} vs {expected}"
        );
        let logged: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM audit WHERE actor = ?1 AND action = 'score'",
                [format!("e{e:02}")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(logged, n as i64, "{expert}: one audit entry per score");
    }
    drop(conn);
    let verify = Command::new(bin)
        .arg("--criteria")
        .arg(common::root().join("criteria"))
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "--user", "admin", "audit", "verify"])
        .env("SHIFAN_PASSWORD", PASSWORD)
        .env_remove("SHIFAN_USER")
        .output()
        .expect("the binary runs");
    assert!(verify.status.success(), "{verify:?}");
    assert!(
        String::from_utf8_lossy(&verify.stdout).contains("audit log intact"),
        "{verify:?}"
    );
    eprintln!(
        "{EXPERTS} experts × {n} scores typed at once in tmux: all stored, audit intact, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// `shifan` on a terminal with an empty database offers the demo round in its first-account
/// form (Ctrl-D); when the demo fails
/// midway (here: a sample set whose roster is missing, found in the current folder), the
/// database is left empty, as it was, with nothing beside it.
#[test]
fn a_demo_accepted_in_the_terminal_that_fails_leaves_the_database_empty() {
    if !tmux::available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the panel tmux test did not run"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // The demo takes `sample-applications/` from the current folder: two provinces, no roster.
    for p in ["110000-beijing", "330000-zhejiang"] {
        let to = dir.path().join("sample-applications").join(p);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(common::root().join("sample-applications").join(p)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data.join("fresh.db");
    let tmux = Tmux::new("panel-demo");
    let cmd = format!(
        "cd '{}' && '{}' --criteria '{}' --db '{}'",
        dir.path().display(),
        env!("CARGO_BIN_EXE_shifan"),
        common::root().join("criteria").display(),
        db.display()
    );
    tmux.start("demo", 100, 30, &[], &cmd);
    // Keep the screen once the program has ended, to read its message.
    let out = tmux.run(&["set-option", "-t", "demo", "remain-on-exit", "on"]);
    assert!(out.status.success(), "{out:?}");
    // The login screen is the first-account form, offering the demo on this empty database.
    tmux.wait_for("demo", &["创建第一个账号", "载入演示数据"]);
    tmux.send("demo", &["C-d"]);
    let screen = tmux.wait_for("demo", &["无法读取专家名单"]);
    assert!(screen.contains("experts.toml"), "{screen}");
    // The empty database the program opened before asking, nothing else: no half round.
    let names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["fresh.db".to_string()], "{screen}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    for table in ["account", "batch", "dossier", "audit"] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table} is empty");
    }
}
