//! Output that must not hurt whoever reads it: text from dossiers, the roster, opinions, account
//! names and file names never reaches the terminal as raw control or bidi characters (while
//! `--format json` keeps it exact); spreadsheets never run a cell as a formula; files are written
//! without following symlinks or silently overwriting; read-only commands work on a database in
//! a folder the user cannot write.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::*;
use serde_json::Value;

/// What a hostile dossier may carry: a screen clear (CSI), a window title (OSC ended by BEL), a
/// C1 CSI and a right-to-left override. As TOML escapes, and as the text they stand for.
const HOSTILE_TOML: &str = r"\u001B[2J\u001B]0;title\u0007\u009B31m\u202E";
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;title\u{7}\u{9b}31m\u{202e}";
/// The characters that must never reach the terminal raw.
const RAW: [char; 4] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'];

const TODAY: &str = "2026-06-20";

fn shifan(db: &Path) -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env("SHIFAN_NEW_PASSWORD", "demo-demo-demo")
        .env("SHIFAN_TODAY", TODAY)
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_CRITERIA")
        .arg("--db")
        .arg(db);
    c
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// The sample set with the hostile text before every applicant's name, every expert's name and
/// affiliation.
fn hostile_samples(dir: &Path) -> PathBuf {
    let samples = dir.join("samples");
    copy_dir(&root().join("sample-applications"), &samples);
    for province in std::fs::read_dir(&samples).unwrap() {
        let province = province.unwrap().path();
        if !province.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&province).unwrap() {
            let f = f.unwrap().path();
            // Some samples are in GBK: those keep their names.
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let edited = text.replacen(
                "[applicant]\nname = \"",
                &format!("[applicant]\nname = \"{HOSTILE_TOML}"),
                1,
            );
            std::fs::write(&f, edited).unwrap();
        }
    }
    let roster = samples.join("experts.toml");
    let text = std::fs::read_to_string(&roster)
        .unwrap()
        .replace("\nname = \"", &format!("\nname = \"{HOSTILE_TOML}"))
        .replace(
            "\naffiliation = \"",
            &format!("\naffiliation = \"{HOSTILE_TOML}"),
        );
    std::fs::write(&roster, text).unwrap();
    samples
}

/// Run, and check that neither stream carries a raw control or bidi character; stdout.
fn clean_run(c: &mut Command, what: &str) -> (Option<i32>, String, String) {
    let out = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    for (name, s) in [("stdout", &stdout), ("stderr", &stderr)] {
        let raw: Vec<char> = s.chars().filter(|c| RAW.contains(c)).collect();
        assert!(raw.is_empty(), "{what}: raw {raw:?} on {name}:\n{s}");
    }
    (out.status.code(), stdout, stderr)
}

/// The hostile text as the sanitiser shows it.
fn shown(s: &str) -> bool {
    s.contains("␛[2J␛]0;title␇<U+009B>31m<U+202E>")
}

#[test]
fn hostile_text_reaches_the_terminal_only_as_visible_stand_ins() {
    let tmp = tempfile::tempdir().unwrap();
    let samples = hostile_samples(tmp.path());
    let db = tmp.path().join("round.db");

    // A dossier file whose name carries the hostile text, with an error that names it.
    let bad = tmp.path().join("bad");
    let dir = edited_batch(&bad, "deqing.toml", |t| {
        t.replace("hotline_12316_open = true", "hotline_12316_open = false")
    });
    std::fs::rename(
        dir.join("deqing.toml"),
        dir.join(format!("deqing{HOSTILE}.toml")),
    )
    .unwrap();
    for (lang, cmd) in [("zh", "validate"), ("en", "validate"), ("en", "import")] {
        let (code, stdout, _) = clean_run(
            shifan(&tmp.path().join("bad.db"))
                .args(["--lang", lang, cmd])
                .arg(&dir),
            cmd,
        );
        assert_eq!(code, Some(1), "{cmd}: {stdout}");
        assert!(shown(&stdout), "{cmd} names the file: {stdout}");
    }
    // The same in JSON: the file name exactly.
    let out = shifan(&tmp.path().join("bad.db"))
        .args(["validate", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(RAW));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.to_string()
            .contains(&serde_json::to_string(HOSTILE).unwrap()[1..20])
    );
    let files: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["file"].as_str().map(String::from))
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.contains(&format!("deqing{HOSTILE}.toml"))),
        "{files:?}"
    );

    // Import a batch with hostile applicant names: the report and the stored round.
    let (code, stdout, _) = clean_run(
        shifan(&tmp.path().join("one.db"))
            .args(["import"])
            .arg(samples.join("330000-zhejiang")),
        "import",
    );
    assert_eq!(code, Some(0), "{stdout}");

    // The whole round from the hostile samples.
    let (code, stdout, stderr) = clean_run(
        shifan(&db).args(["demo", "--samples"]).arg(&samples),
        "demo",
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // An account and an opinion with the hostile text.
    let (code, _, stderr) = clean_run(
        shifan(&db).args([
            "--user",
            "ministry",
            "user",
            "add",
            &format!("clerk{HOSTILE}"),
            "--role",
            "clerk",
        ]),
        "user add",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let mine: Value = serde_json::from_slice(
        &shifan(&db)
            .args(["--user", "expert01", "mine", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let open = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["submitted"] == false)
        .expect("expert01 has an open sheet");
    assert!(
        open["applicant"].as_str().unwrap().starts_with(HOSTILE),
        "JSON keeps the applicant exactly: {open}"
    );
    let dossier = open["code"].as_str().unwrap().to_string();
    let opinion = format!("意见{HOSTILE}完");
    let (code, _, stderr) = clean_run(
        shifan(&db).args([
            "--user",
            "expert01",
            "opinion",
            "--dossier",
            &dossier,
            "--text",
            &opinion,
        ]),
        "opinion",
    );
    assert_eq!(code, Some(0), "{stderr}");

    // Every human-readable view, in both languages: nothing raw, the hostile text visible.
    let views: Vec<(&str, Vec<&str>, bool)> = vec![
        ("ministry", vec!["status"], false),
        ("ministry", vec!["rank"], true),
        ("ministry", vec!["rank", "--explain", &dossier], false),
        ("ministry", vec!["select"], true),
        ("ministry", vec!["experts", "list"], true),
        ("ministry", vec!["audit", "log"], true),
        ("ministry", vec!["audit", "verify"], false),
        ("ministry", vec!["user", "list"], true),
        ("ministry", vec!["publicity", "status"], false),
        ("ministry", vec!["progress"], false),
        ("ministry", vec!["assign"], false),
        ("expert01", vec!["mine"], true),
        ("expert01", vec!["sheet", "--dossier", &dossier], true),
    ];
    for (user, args, must_show) in &views {
        for lang in ["zh", "en"] {
            let what = format!("{lang} {args:?}");
            let (_, stdout, stderr) = clean_run(
                shifan(&db)
                    .args(["--lang", lang, "--user", user])
                    .args(args),
                &what,
            );
            if *must_show {
                assert!(shown(&stdout), "{what} shows the text:\n{stdout}\n{stderr}");
            }
        }
    }
    // An error that quotes a value: a dossier code not assigned to the expert.
    let (code, _, stderr) = clean_run(
        shifan(&db).args([
            "--user",
            "expert01",
            "opinion",
            "--dossier",
            &format!("X{HOSTILE}"),
            "--text",
            "x",
        ]),
        "opinion error",
    );
    assert_ne!(code, Some(0));
    assert!(shown(&stderr), "{stderr}");

    // JSON views keep the values exact (parsed back, byte for byte), with no raw character.
    for (user, args, needle) in [
        ("ministry", vec!["experts", "list"], HOSTILE.to_string()),
        ("ministry", vec!["rank"], HOSTILE.to_string()),
        ("ministry", vec!["user", "list"], format!("clerk{HOSTILE}")),
        ("ministry", vec!["audit", "log"], format!("clerk{HOSTILE}")),
        (
            "expert01",
            vec!["sheet", "--dossier", &dossier],
            opinion.clone(),
        ),
    ] {
        let what = format!("json {args:?}");
        let (code, stdout, _) = clean_run(
            shifan(&db)
                .args(["--user", user])
                .args(&args)
                .args(["--format", "json"]),
            &what,
        );
        assert_eq!(code, Some(0), "{what}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        assert!(contains_exact(&v, &needle), "{what}: {stdout}");
    }
}

/// Some string in `v` contains `needle` exactly.
fn contains_exact(v: &Value, needle: &str) -> bool {
    match v {
        Value::String(s) => s.contains(needle),
        Value::Array(a) => a.iter().any(|x| contains_exact(x, needle)),
        Value::Object(o) => o.values().any(|x| contains_exact(x, needle)),
        _ => false,
    }
}

/// Printing JSON by hand (`println!` of `to_string_pretty`) would pass it through the
/// terminal sanitiser and change its values: the CLI prints JSON only with `out::json`.
#[test]
fn the_cli_prints_json_only_through_its_json_writer() {
    for e in std::fs::read_dir(root().join("src/cli")).unwrap() {
        let path = e.unwrap().path();
        if path.file_name().is_some_and(|n| n == "out.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for bad in [
            "to_string_pretty",
            "io::stdout().write",
            "io::stderr().write",
        ] {
            assert!(
                !text.contains(bad),
                "{}: prints around the sanitiser ({bad})",
                path.display()
            );
        }
    }
}

/// A demo round (ministry password `demo`) in `dir`.
fn demo_round(dir: &Path) -> PathBuf {
    let db = dir.join("round.db");
    let out = shifan(&db).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// `shifan export` or `shifan notice publicity --draft` into `out`, with extra arguments.
fn write_into(
    db: &Path,
    which: &str,
    lang: &str,
    out: &Path,
    extra: &[&str],
) -> std::process::Output {
    let mut c = shifan(db);
    c.args(["--lang", lang]);
    match which {
        "export" => c.args(["--user", "ministry", "export"]),
        _ => c.args(["--user", "ministry", "notice", "publicity", "--draft"]),
    };
    c.arg("--out").arg(out).args(extra).output().unwrap()
}

#[cfg(unix)]
#[test]
fn export_and_notice_never_write_through_a_link_nor_into_a_full_folder_unasked() {
    let tmp = tempfile::tempdir().unwrap();
    let db = demo_round(tmp.path());
    let precious = tmp.path().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    for (which, file) in [
        ("export", "ranking.csv"),
        ("notice", "publicity-notice-draft.pdf"),
    ] {
        // A folder holding a link under the name of a file about to be written.
        let out = tmp.path().join(format!("{which}-out"));
        std::fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(&precious, out.join(file)).unwrap();
        for lang in ["zh", "en"] {
            let o = write_into(&db, which, lang, &out, &[]);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{which} {lang}: {err}");
            assert!(
                err.contains(&*out.to_string_lossy()),
                "names the folder: {err}"
            );
            assert!(err.contains("--force"), "{err}");
            assert!(
                err.contains(if lang == "zh" {
                    "不是空的"
                } else {
                    "not empty"
                }),
                "{err}"
            );
        }
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
        // Forced: the link is replaced by the file, its target untouched.
        let o = write_into(&db, which, "zh", &out, &["--force"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
        let m = std::fs::symlink_metadata(out.join(file)).unwrap();
        assert!(m.file_type().is_file() && m.len() > 100, "{which}: {m:?}");

        // The folder itself a link (to an empty folder): refused, naming it.
        let real = tmp.path().join(format!("{which}-real"));
        std::fs::create_dir(&real).unwrap();
        let link = tmp.path().join(format!("{which}-link"));
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let o = write_into(&db, which, "en", &link, &["--force"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&*link.to_string_lossy()) && err.contains("symbolic link"),
            "{err}"
        );
        assert_eq!(std::fs::read_dir(&real).unwrap().count(), 0);

        // A file where the folder should be, and a folder that cannot be made: the path named.
        let o = write_into(&db, which, "zh", &precious, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&*precious.to_string_lossy()) && err.contains("不是文件夹"),
            "{err}"
        );
        let under_file = precious.join("sub");
        let o = write_into(&db, which, "en", &under_file, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&*under_file.to_string_lossy()) && err.contains("cannot create"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");

        // A new folder, and an empty one, are written without --force.
        let new = tmp.path().join(format!("{which}-new/deeper"));
        assert!(write_into(&db, which, "zh", &new, &[]).status.success());
        assert!(new.join(file).is_file());
    }
}

/// How to run the binary as a user whom file permissions bind: `Some(None)` directly (not
/// root), `Some(Some(setpriv))` as nobody through setpriv (root), `None` when neither works.
fn unprivileged() -> Option<Option<PathBuf>> {
    let uid = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(None);
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())?;
    Some(Some(setpriv))
}

#[test]
fn read_only_commands_work_on_a_wal_database_in_a_folder_nobody_may_write() {
    let Some(runner) = unprivileged() else {
        eprintln!("skipped: running as root without setpriv, permissions would not bind");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let db = demo_round(&folder);
    // The last writer closed: no -wal or -shm is left, and none can be made.
    let before: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before.len(), 1, "{before:?}");
    let bytes = std::fs::read(&db).unwrap();
    use std::os::unix::fs::PermissionsExt;
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    std::fs::set_permissions(&exports, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_shifan"));
    let run = |args: &[&str]| {
        let mut c = match &runner {
            None => std::process::Command::new(&bin),
            Some(setpriv) => {
                let mut c = std::process::Command::new(setpriv);
                c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                    .arg(&bin);
                c
            }
        };
        c.current_dir(root())
            .env("SHIFAN_PASSWORD", "demo")
            .env("SHIFAN_TODAY", TODAY)
            .env_remove("SHIFAN_USER")
            .env_remove("SHIFAN_DB")
            .env_remove("SHIFAN_CRITERIA")
            .arg("--db")
            .arg(&db)
            .args(["--lang", "en", "--user", "ministry"])
            .args(args)
            .output()
            .unwrap()
    };
    // A write is refused here: the permissions bind whoever runs the commands.
    let refused = run(&["user", "add", "x", "--role", "clerk"]);
    assert!(!refused.status.success());
    // … and says which database and what to do, not SQLite's bare "readonly database".
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains(&format!("cannot write the database {}", db.display()))
            && err.contains("docs/deployment.md"),
        "{err}"
    );
    let out_dir = exports.join("round");
    let out_s = out_dir.to_str().unwrap().to_string();
    for args in [
        vec!["status"],
        vec!["rank"],
        vec!["audit", "verify"],
        vec!["audit", "log", "--last", "3"],
        vec!["experts", "list"],
        vec!["publicity", "status"],
        vec!["export", "--out", &out_s],
    ] {
        let o = run(&args);
        assert!(
            o.status.success(),
            "{args:?} ({}):\n{}\n{}",
            if runner.is_some() {
                "as nobody via setpriv"
            } else {
                "as this user"
            },
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stdout.is_empty(), "{args:?}");
    }
    let verified = String::from_utf8_lossy(&run(&["audit", "verify"]).stdout).to_string();
    assert!(
        verified.contains("intact") || verified.contains("verified"),
        "{verified}"
    );
    assert!(out_dir.join("round.json").is_file());
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let after: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(after, before, "nothing created beside the database");
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "the database unchanged"
    );
}

#[test]
fn a_wal_with_unmerged_changes_in_a_folder_nobody_may_write_is_refused_not_misread() {
    let Some(runner) = unprivileged() else {
        eprintln!("skipped: running as root without setpriv, permissions would not bind");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let db = demo_round(tmp.path());
    // A writer with its changes still in the -wal (as after a crash): copy the pair, no -shm.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'x')", [])
        .unwrap();
    let folder = tmp.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let copy = folder.join("round.db");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::copy(tmp.path().join("round.db-wal"), folder.join("round.db-wal")).unwrap();
    drop(conn);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_shifan"));
    let mut c = match &runner {
        None => std::process::Command::new(&bin),
        Some(setpriv) => {
            let mut c = std::process::Command::new(setpriv);
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&bin);
            c
        }
    };
    let o = c
        .current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env_remove("SHIFAN_DB")
        .arg("--db")
        .arg(&copy)
        .args(["--lang", "en", "--user", "ministry", "status"])
        .output()
        .unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&*copy.to_string_lossy()) && err.contains("-wal"),
        "{err}"
    );
}

#[test]
fn a_read_only_open_never_creates_or_changes_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("none.db");
    assert!(shifan::store::Store::open_read_only(&missing).is_err());
    assert!(!missing.exists(), "not created");
    let db = demo_round(tmp.path());
    let store = shifan::store::Store::open_read_only(&db).unwrap();
    let e = store
        .connection()
        .execute("DELETE FROM audit", [])
        .unwrap_err();
    assert!(e.to_string().contains("readonly"), "{e}");
    let ministry = store.login("ministry", "demo").unwrap();
    assert!(store.status(Some(&ministry)).unwrap().dossiers > 0);
}

#[test]
fn a_negative_or_newer_schema_version_is_a_clear_error_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let db = demo_round(tmp.path());
    for (version, zh, en) in [
        (-1, "不是 shifan 数据库", "not a shifan database"),
        (-2147483648, "不是 shifan 数据库", "not a shifan database"),
        (999, "高于本程序所知", "newer than this program knows"),
    ] {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", version).unwrap();
        drop(conn);
        // A read-only command and a writing one.
        for args in [vec!["status"], vec!["user", "add", "x", "--role", "clerk"]] {
            for (lang, text) in [("zh", zh), ("en", en)] {
                let o = shifan(&db)
                    .args(["--lang", lang, "--user", "ministry"])
                    .args(&args)
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&o.stderr);
                assert_eq!(o.status.code(), Some(1), "{version} {args:?}: {err}");
                assert!(
                    err.contains(&version.to_string()) && err.contains(text),
                    "{err}"
                );
            }
        }
    }
}

#[test]
fn publicity_texts_from_users_reach_the_terminal_only_as_visible_stand_ins() {
    let tmp = tempfile::tempdir().unwrap();
    let db = demo_round(tmp.path());
    let run = |args: &[&str]| {
        let (code, stdout, stderr) = clean_run(
            shifan(&db)
                .env("SHIFAN_TODAY", "2026-08-31")
                .args(["--user", "ministry"])
                .args(args),
            &format!("{args:?}"),
        );
        assert_eq!(code, Some(0), "{args:?}: {stdout}{stderr}");
        stdout
    };
    let reason = format!("理由{HOSTILE}");
    run(&[
        "publicity",
        "propose",
        "--on",
        "2026-07-31",
        "--accept-incomplete",
        &reason,
    ]);
    run(&["publicity", "start", "--on", "2026-08-03"]);
    let status: Value =
        serde_json::from_str(&run(&["publicity", "status", "--format", "json"])).unwrap();
    let victim = status["current_list"][3]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let by = format!("李四{HOSTILE}");
    let summary = format!("不实{HOSTILE}");
    run(&[
        "publicity",
        "object",
        "--dossier",
        &victim,
        "--by",
        &by,
        "--summary",
        &summary,
        "--on",
        "2026-08-05",
    ]);
    for lang in ["zh", "en"] {
        let text = run(&["--lang", lang, "publicity", "status"]);
        assert!(shown(&text), "{lang}: {text}");
        let log = run(&["--lang", lang, "audit", "log", "--last", "5"]);
        assert!(shown(&log), "{lang}: {log}");
    }
    let status: Value =
        serde_json::from_str(&run(&["publicity", "status", "--format", "json"])).unwrap();
    for needle in [&by, &summary, &reason] {
        assert!(contains_exact(&status, needle), "{needle:?}: {status}");
    }
}

#[test]
fn a_bad_value_on_the_command_line_is_quoted_safely_in_the_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = clean_run(
        shifan(&tmp.path().join("x.db")).args([
            "score",
            "--dossier",
            "x",
            "--criterion",
            "y",
            "--points",
            &format!("1{HOSTILE}"),
        ]),
        "clap error",
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("--points") && stderr.contains("<U+009B>31m<U+202E>"),
        "{stderr}"
    );
    // Help still goes to stdout, exit 0.
    let out = shifan(&tmp.path().join("x.db"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}
