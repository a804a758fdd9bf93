//! End to end: the built binary in a detached tmux session (100×30), keys sent as a person
//! would type them, then the database checked with rusqlite. Skips, saying so, without tmux.

mod common;
#[path = "common/tui_setup.rs"]
mod tui_setup;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session.as_str()];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "send-keys {keys:?}: {out:?}");
    }

    /// Send literal text (no key-name lookup).
    fn type_text(&self, text: &str) {
        self.send(&["-l", text]);
    }

    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn alive(&self) -> bool {
        self.run(&["has-session", "-t", &self.session])
            .status
            .success()
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited 20 s for {needle:?}; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Our own server on our own socket only.
        let _ = self.run(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn an_expert_scores_one_criterion_in_the_real_terminal() {
    if !tmux_available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the tmux end-to-end test did not run"
        );
        return;
    }
    let s = tui_setup::setup();
    let code = s.assigned[0].clone();
    let db = s.db.clone();
    drop(s.store);
    let bin = env!("CARGO_BIN_EXE_shifan");
    let criteria = common::root().join("criteria");
    let tmux = Tmux {
        socket: format!("shifan-test-{}", std::process::id()),
        session: "tui".into(),
    };
    let cmd = format!(
        "'{bin}' --criteria '{}' tui --db '{}'",
        criteria.display(),
        db.display()
    );
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "tui",
        "-x",
        "100",
        "-y",
        "30",
        "-e",
        "LANG=C.UTF-8",
        &cmd,
    ]);
    assert!(out.status.success(), "tmux new-session: {out:?}");
    tmux.wait_for("登录");
    tmux.type_text("e01");
    tmux.send(&["Tab"]);
    tmux.type_text(tui_setup::PASSWORD);
    tmux.send(&["Enter"]);
    let list = tmux.wait_for("我的申报书");
    assert!(list.contains(&code), "{list}");
    tmux.send(&["Enter"]);
    tmux.wait_for("评分项 1/12");
    tmux.type_text("8.5");
    tmux.send(&["Enter"]);
    let saved = tmux.wait_for("已保存");
    assert!(saved.contains("评分项 2/12"), "{saved}");
    // Back to the list, then quit (asked first, y leaves).
    tmux.type_text("q");
    tmux.wait_for("我的申报书");
    tmux.type_text("q");
    tmux.wait_for("退出 shifan？");
    tmux.type_text("y");
    let start = Instant::now();
    while tmux.alive() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!tmux.alive(), "the TUI quit on q:\n{}", tmux.screen());

    let conn = rusqlite::Connection::open(&db).expect("db opens");
    let first = &common::criteria().rubric.criteria[0].id;
    let points: f64 = conn
        .query_row(
            "SELECT points FROM score WHERE dossier_code = ?1 AND expert_id = 'E01' AND criterion = ?2",
            [&code, first],
            |r| r.get(0),
        )
        .expect("the score is stored");
    assert_eq!(points, 8.5);
}
