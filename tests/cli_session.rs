//! `shifan login` / `logout`: the password typed once, later commands without it, and every way
//! a kept session stops being taken — each refused with its reason (the real binary, a real
//! database, the session folder in a temporary XDG_RUNTIME_DIR).

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::root;

/// A database with a ministry account (password `pw-ministry`) and a clerk (`pw-clerk`), and a
/// session folder of its own.
struct Round {
    _dir: tempfile::TempDir,
    db: PathBuf,
    run: PathBuf,
}

impl Round {
    fn new() -> Round {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("round.db");
        let run = dir.path().join("run");
        std::fs::create_dir(&run).unwrap();
        let r = Round { _dir: dir, db, run };
        r.make_accounts(&r.db);
        r
    }

    fn make_accounts(&self, db: &Path) {
        let out = self
            .cmd(None)
            .arg("--db")
            .arg(db)
            .args(["user", "add", "ministry", "--role", "ministry"])
            .env("SHIFAN_NEW_PASSWORD", "pw-ministry")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let out = self
            .cmd(Some("pw-ministry"))
            .arg("--db")
            .arg(db)
            .args([
                "--user", "ministry", "user", "add", "clerk", "--role", "clerk",
            ])
            .env("SHIFAN_NEW_PASSWORD", "pw-clerk")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }

    /// The binary in English with this round's session folder; `password` as SHIFAN_PASSWORD.
    fn cmd(&self, password: Option<&str>) -> Command {
        self.cmd_in("en", password)
    }

    fn cmd_in(&self, lang: &str, password: Option<&str>) -> Command {
        let mut c = Command::cargo_bin("shifan").unwrap();
        c.current_dir(root())
            .env("XDG_RUNTIME_DIR", &self.run)
            .env_remove("SHIFAN_PASSWORD")
            .env_remove("SHIFAN_NEW_PASSWORD")
            .env_remove("SHIFAN_USER")
            .env_remove("SHIFAN_DB")
            .args(["--lang", lang]);
        if let Some(p) = password {
            c.env("SHIFAN_PASSWORD", p);
        }
        c
    }

    /// `args` on the round's database as `user`: exit code and everything printed.
    fn as_user(&self, user: &str, password: Option<&str>, args: &[&str]) -> (i32, String) {
        let out = self
            .cmd(password)
            .arg("--db")
            .arg(&self.db)
            .args(["--user", user])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    fn login(&self, user: &str, password: &str) -> (i32, String) {
        self.as_user(user, Some(password), &["login"])
    }

    /// A command ministry staff only may run, without a password.
    fn list_users(&self) -> (i32, String) {
        self.as_user("ministry", None, &["user", "list"])
    }

    fn session_files(&self) -> Vec<PathBuf> {
        let dir = self.run.join("shifan");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "session"))
            .collect()
    }

    fn the_session_file(&self) -> PathBuf {
        let files = self.session_files();
        assert_eq!(files.len(), 1, "{files:?}");
        files[0].clone()
    }
}

#[test]
fn after_login_a_command_needs_no_password_and_the_file_is_the_users_only() {
    let r = Round::new();
    let (code, before) = r.list_users();
    assert_eq!(code, 2, "no session, no terminal, no password: {before}");
    assert!(before.contains("shifan login"), "{before}");

    let (code, out) = r.login("ministry", "pw-ministry");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("logged in as ministry until"), "{out}");
    let file = r.the_session_file();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let folder = std::fs::metadata(r.run.join("shifan")).unwrap();
    assert_eq!(folder.permissions().mode() & 0o777, 0o700);
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        !name.contains("ministry") && !name.contains("round"),
        "{name}"
    );

    let (code, out) = r.list_users();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("clerk"), "{out}");

    // The session is the ministry's: the clerk still needs a password.
    let (code, out) = r.as_user("clerk", None, &["status"]);
    assert_eq!(code, 2, "{out}");

    // SHIFAN_PASSWORD still wins, even a wrong one.
    let (code, out) = r.as_user("ministry", Some("wrong"), &["user", "list"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("wrong account name or password"), "{out}");
}

#[test]
fn a_wrong_password_writes_no_session() {
    let r = Round::new();
    let (code, out) = r.login("ministry", "not-it");
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("wrong account name or password"), "{out}");
    assert!(r.session_files().is_empty());
    let (code, out) = r.as_user("ministry", Some("pw-ministry"), &["login", "--hours", "0"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("--hours 0 is not allowed"), "{out}");
    assert!(r.session_files().is_empty());
}

#[test]
fn an_expired_session_is_refused_with_its_reason() {
    let r = Round::new();
    assert_eq!(r.login("ministry", "pw-ministry").0, 0);
    let file = r.the_session_file();
    let mut token: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    token["expires"] = serde_json::json!(1_700_000_000_i64);
    std::fs::write(&file, token.to_string()).unwrap();
    let (code, out) = r.list_users();
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("the session expired at 2023-11-14T22:13:20Z: log in again"),
        "{out}"
    );
    assert!(r.session_files().is_empty(), "a dead session is deleted");
    // In Chinese too.
    assert_eq!(r.login("ministry", "pw-ministry").0, 0);
    let file = r.the_session_file();
    let mut token: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    token["expires"] = serde_json::json!(1_700_000_000_i64);
    std::fs::write(&file, token.to_string()).unwrap();
    let out = r
        .cmd_in("zh", None)
        .arg("--db")
        .arg(&r.db)
        .args(["--user", "ministry", "user", "list"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("会话已于 2023-11-14T22:13:20Z 过期"), "{err}");
}

#[test]
fn a_session_with_a_longer_life_written_in_is_refused() {
    let r = Round::new();
    assert_eq!(r.login("ministry", "pw-ministry").0, 0);
    let file = r.the_session_file();
    let mut token: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let e = token["expires"].as_i64().unwrap();
    token["expires"] = serde_json::json!(e + 3600);
    std::fs::write(&file, token.to_string()).unwrap();
    let (code, out) = r.list_users();
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("was not made by this database"), "{out}");
}

#[test]
fn a_password_change_ends_the_session() {
    let r = Round::new();
    assert_eq!(r.login("ministry", "pw-ministry").0, 0);
    let (code, out) = r
        .cmd(Some("pw-ministry"))
        .arg("--db")
        .arg(&r.db)
        .args(["--user", "ministry", "user", "passwd"])
        .env("SHIFAN_NEW_PASSWORD", "pw-new")
        .output()
        .map(|o| (o.status.code().unwrap_or(-1), format!("{o:?}")))
        .unwrap();
    assert_eq!(code, 0, "{out}");
    let (code, out) = r.list_users();
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("the account's password was changed since the login"),
        "{out}"
    );
    // A new login with the new password is taken.
    assert_eq!(r.login("ministry", "pw-new").0, 0);
    assert_eq!(r.list_users().0, 0);
}

#[test]
fn an_account_no_longer_there_ends_the_session() {
    // The program has no command that disables an account; one removed from the database
    // (outside the program) is what a session must not outlive.
    let r = Round::new();
    assert_eq!(r.login("clerk", "pw-clerk").0, 0);
    assert_eq!(r.as_user("clerk", None, &["status"]).0, 0);
    let conn = rusqlite::Connection::open(&r.db).unwrap();
    conn.execute("DELETE FROM account WHERE name = 'clerk'", [])
        .unwrap();
    drop(conn);
    let (code, out) = r.as_user("clerk", None, &["status"]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("the account \"clerk\" no longer exists"),
        "{out}"
    );
}

#[test]
fn another_database_at_the_same_path_refuses_the_session() {
    let r = Round::new();
    assert_eq!(r.login("ministry", "pw-ministry").0, 0);
    // The round's file replaced by another round's, same accounts and passwords.
    std::fs::rename(&r.db, r.db.with_extension("old")).unwrap();
    for ext in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(r.db.with_extension(ext));
    }
    r.make_accounts(&r.db);
    let (code, out) = r.list_users();
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("was not made by this database"), "{out}");
}

#[test]
fn a_session_file_others_can_read_is_void() {
    let r = Round::new();
    assert_eq!(r.login("ministry", "pw-ministry").0, 0);
    let file = r.the_session_file();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, out) = r.list_users();
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("could be read by others (mode 644)"), "{out}");
    assert!(r.session_files().is_empty());
}

#[test]
fn logout_deletes_the_session() {
    let r = Round::new();
    assert_eq!(r.login("ministry", "pw-ministry").0, 0);
    let (code, out) = r.as_user("ministry", None, &["logout"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("logged out"), "{out}");
    assert!(r.session_files().is_empty());
    let (code, out) = r.list_users();
    assert_eq!(code, 2, "{out}");
    let (code, out) = r.as_user("ministry", None, &["logout"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("had no session"), "{out}");
}
