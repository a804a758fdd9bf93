//! A panel on one server (issue 11, items 4 and 7): failed logins cost the same whether or not
//! the account exists, a failed `shifan demo` leaves nothing behind, and `shifan backup` makes a
//! consistent, verifiable copy while others write.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use shifan::domain::access::Role;
use shifan::store::{Store, StoreError};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn a_failed_login_takes_as_long_for_an_unknown_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("login.db")).unwrap();
    store
        .add_account(None, "ministry", &Role::Ministry, "right-password", false)
        .unwrap();
    // Interleaved, so that load from other processes hits both kinds alike; the median of
    // several tries each.
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let t = Instant::now();
        let r = store.login("ministry", "wrong-password");
        known.push(t.elapsed());
        assert!(matches!(r, Err(StoreError::BadLogin)), "{r:?}");
        let t = Instant::now();
        let r = store.login("nobody", "wrong-password");
        unknown.push(t.elapsed());
        // The same answer as a wrong password: nothing tells the two apart.
        assert!(matches!(r, Err(StoreError::BadLogin)), "{r:?}");
    }
    let (k, u) = (median(known), median(unknown));
    eprintln!(
        "failed login, median of 9: existing account {:.1} ms, unknown account {:.1} ms",
        k.as_secs_f64() * 1000.0,
        u.as_secs_f64() * 1000.0
    );
    assert!(
        u.as_secs_f64() >= 0.5 * k.as_secs_f64(),
        "an unknown account fails in {u:?}, an existing one in {k:?}: the difference tells which names exist"
    );
}

fn shifan(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shifan"));
    c.arg("--criteria")
        .arg(common::root().join("criteria"))
        .arg("--db")
        .arg(db)
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_PASSWORD")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_CRITERIA");
    c
}

fn demo(db: &Path, samples: &Path, lang: &str) -> Output {
    shifan(db)
        .args(["--lang", lang, "demo", "--samples"])
        .arg(samples)
        .output()
        .expect("the binary runs")
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A sample set that fails midway: two provinces import, then the roster is missing.
fn samples_without_roster(dir: &Path) -> PathBuf {
    let samples = dir.join("samples");
    for p in ["110000-beijing", "330000-zhejiang"] {
        copy_dir(
            &common::root().join("sample-applications").join(p),
            &samples.join(p),
        );
    }
    samples
}

#[test]
fn a_demo_that_fails_midway_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let samples = samples_without_roster(dir.path());
    let db = dir.path().join("demo.db");
    for lang in ["zh", "en"] {
        let out = demo(&db, &samples, lang);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(err.contains("experts.toml"), "the message names the file: {err}");
        if lang == "zh" {
            assert!(err.contains("无法读取专家名单"), "{err}");
        }
        // No half database, no temporary file: only the sample folder is there.
        assert_eq!(listing(dir.path()), vec!["samples".to_string()], "{err}");
    }
}

#[test]
fn a_demo_into_a_missing_folder_names_the_path_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("no-such-folder").join("demo.db");
    let out = demo(&db, &common::root().join("sample-applications"), "en");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains("--db FILE"), "says how to fix it: {err}");
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn a_demo_over_a_database_with_data_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let imported = shifan(&db)
        .arg("import")
        .arg(common::root().join("sample-applications/330000-zhejiang"))
        .output()
        .unwrap();
    assert!(imported.status.success(), "{imported:?}");
    let before = std::fs::read(&db).unwrap();
    let names = listing(dir.path());
    let out = demo(&db, &common::root().join("sample-applications"), "zh");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(err.contains("数据库中已有数据"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file is unchanged");
    assert_eq!(listing(dir.path()), names);
}

#[test]
fn a_demo_that_succeeds_leaves_one_whole_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = demo(&db, &common::root().join("sample-applications"), "en");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(listing(dir.path()), vec!["demo.db".to_string()]);
    let verify = shifan(&db)
        .args(["--user", "ministry", "audit", "verify"])
        .env("SHIFAN_PASSWORD", "demo")
        .output()
        .unwrap();
    assert!(verify.status.success(), "{verify:?}");
    let store = Store::open(&db).unwrap();
    let sheets: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM sheet", [], |r| r.get(0))
        .unwrap();
    assert!(sheets > 1000, "{sheets} sheets");
}
