//! A tmux driver for the end-to-end tests: our own server on our own socket, one session per
//! terminal, keys sent as a person would type them, the screen read back with capture-pane.

#![allow(dead_code)]

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Our own tmux server (killed when dropped), holding any number of sessions.
pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    /// A server on a socket named after the test and the process.
    pub fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("shifan-{name}-{}", std::process::id()),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Start `cmd` in a detached session of `w`×`h` cells, with a UTF-8 locale and `env` set.
    pub fn start(&self, session: &str, w: u16, h: u16, env: &[(&str, &str)], cmd: &str) {
        let (w, h) = (w.to_string(), h.to_string());
        let mut args = vec![
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            &w,
            "-y",
            &h,
            "-e",
            "LANG=C.UTF-8",
        ];
        let pairs: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for p in &pairs {
            args.push("-e");
            args.push(p);
        }
        args.push(cmd);
        let out = self.run(&args);
        assert!(out.status.success(), "tmux new-session: {out:?}");
    }

    pub fn send(&self, session: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", session];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "send-keys {keys:?} to {session}: {out:?}"
        );
    }

    /// Literal text (no key-name lookup).
    pub fn type_text(&self, session: &str, text: &str) {
        self.send(session, &["-l", text]);
    }

    pub fn screen(&self, session: &str) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn alive(&self, session: &str) -> bool {
        self.run(&["has-session", "-t", session]).status.success()
    }

    /// Poll the screen until it shows every needle (20 s at most).
    pub fn wait_for(&self, session: &str, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(session);
            if needles.iter().all(|n| s.contains(n)) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{session}: waited 20 s for {needles:?}; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until the program in `session` has ended (10 s at most); true when it has.
    pub fn wait_gone(&self, session: &str) -> bool {
        let start = Instant::now();
        while self.alive(session) && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(100));
        }
        !self.alive(session)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Our own server on our own socket only.
        let _ = self.run(&["kill-server"]);
    }
}

/// Whether tmux can run here; the tests say SKIPPED and return when it cannot.
pub fn available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}
