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
        assert!(
            err.contains("experts.toml"),
            "the message names the file: {err}"
        );
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

fn backup(db: &Path, out: &Path, extra: &[&str]) -> Output {
    shifan(db)
        .args(["--lang", "en", "backup", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("the binary runs")
}

fn verify(db: &Path) -> Output {
    shifan(db)
        .args(["--lang", "en", "--user", "ministry", "audit", "verify"])
        .env("SHIFAN_PASSWORD", "demo")
        .output()
        .expect("the binary runs")
}

fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("round.db");
    let out = demo(&db, &common::root().join("sample-applications"), "en");
    assert!(out.status.success(), "{out:?}");
    db
}

/// The (dossier, criterion) cells the writer fills, in order, and the two values it alternates.
struct Plan {
    cells: Vec<(String, String, [f64; 2])>,
}

impl Plan {
    /// The points of every cell after the first `k` writes (`None`: never written).
    fn after(&self, k: usize) -> Vec<Option<f64>> {
        let n = self.cells.len();
        (0..n)
            .map(|i| {
                if k <= i {
                    return None;
                }
                // The last write to cell i is write j = i + n * m with the largest m, j < k.
                let m = (k - 1 - i) / n;
                Some(self.cells[i].2[m % 2])
            })
            .collect()
    }
}

#[test]
fn a_backup_while_an_expert_keeps_scoring_is_one_consistent_state() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let criteria = common::criteria();
    // expert01's untouched dossiers (the demo leaves a few).
    let open: Vec<String> = {
        let store = Store::open(&db).unwrap();
        let mut stmt = store
            .connection()
            .prepare(
                "SELECT a.dossier_code FROM assignment a WHERE a.expert_id = 'E01' AND a.ended_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM score s WHERE s.assignment_id = a.id) ORDER BY a.dossier_code",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(open.len() >= 2, "{open:?}");
    let plan = Arc::new(Plan {
        cells: open
            .iter()
            .flat_map(|d| {
                criteria.rubric.criteria.iter().map(move |c| {
                    (
                        d.clone(),
                        c.id.clone(),
                        [c.max, ((c.max - c.step) / c.step).round() * c.step],
                    )
                })
            })
            .collect(),
    });
    let base: i64 = Store::open(&db)
        .unwrap()
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE actor = 'expert01' AND action = 'score'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (db, plan, stop, written) = (
            db.clone(),
            Arc::clone(&plan),
            Arc::clone(&stop),
            Arc::clone(&written),
        );
        let criteria = criteria.clone();
        std::thread::spawn(move || -> Result<(), String> {
            let mut store = Store::open(&db).map_err(|e| e.to_string())?;
            let expert = store.login("expert01", "demo").map_err(|e| e.to_string())?;
            let n = plan.cells.len();
            let mut j = 0;
            while !stop.load(Ordering::SeqCst) {
                let (d, c, v) = &plan.cells[j % n];
                store
                    .set_score(&criteria, &expert, d, c, v[(j / n) % 2])
                    .map_err(|e| format!("write {j}: {e}"))?;
                j += 1;
                written.store(j, Ordering::SeqCst);
            }
            Ok(())
        })
    };

    let mut seen = Vec::new();
    for b in 0..6 {
        // Let the writer get ahead between backups.
        let start = written.load(Ordering::SeqCst);
        let t = Instant::now();
        while written.load(Ordering::SeqCst) < start + 5 && t.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let out = dir.path().join(format!("backup{b}.db"));
        let r = backup(&db, &out, &[]);
        assert!(r.status.success(), "backup {b}: {r:?}");
        assert!(
            String::from_utf8_lossy(&r.stdout).contains("audit head of the copy"),
            "{r:?}"
        );
        // Only the copy: no temporary file, no log beside it.
        let v = verify(&out);
        assert!(v.status.success(), "backup {b} verifies: {v:?}");
        let copy = rusqlite::Connection::open(&out).unwrap();
        let k: i64 = copy
            .query_row(
                "SELECT COUNT(*) FROM audit WHERE actor = 'expert01' AND action = 'score'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let k = (k - base) as usize;
        let stored: Vec<Option<f64>> = plan
            .cells
            .iter()
            .map(|(d, c, _)| {
                copy.query_row(
                    "SELECT s.points FROM score s JOIN assignment a ON a.id = s.assignment_id
                     WHERE a.ended_at IS NULL AND s.dossier_code = ?1 AND s.expert_id = 'E01' AND s.criterion = ?2",
                    [d, c],
                    |r| r.get(0),
                )
                .ok()
            })
            .collect();
        // The copy holds exactly the first k writes, and the log says k.
        assert_eq!(stored, plan.after(k), "backup {b}: {k} writes logged");
        let total: f64 = stored.iter().flatten().sum();
        let expected: f64 = plan.after(k).iter().flatten().sum();
        assert!(
            (total - expected).abs() < 1e-9,
            "sheet totals: {total} vs {expected}"
        );
        seen.push(k);
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap().unwrap();
    let total_written = written.load(Ordering::SeqCst);
    eprintln!("backups taken after {seen:?} of {total_written} writes");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "the writer went on between backups: {seen:?}"
    );
    let leftovers: Vec<String> = listing(dir.path())
        .into_iter()
        .filter(|n| n.starts_with('.') || n.starts_with("backup") && !n.ends_with(".db"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(verify(&db).status.success());
}

#[test]
fn a_backup_never_overwrites_nor_follows_a_symlink() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let out = dir.path().join("nightly.db");
    assert!(backup(&db, &out, &[]).status.success());
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o007, 0, "not readable by others: {mode:o}");

    // An existing file: refused, unchanged; replaced with --force.
    std::fs::write(&out, b"yesterday").unwrap();
    let r = backup(&db, &out, &[]);
    assert_eq!(r.status.code(), Some(1), "{r:?}");
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("--force"),
        "{r:?}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"yesterday");
    let r = backup(&db, &out, &["--force"]);
    assert!(r.status.success(), "{r:?}");
    assert!(verify(&out).status.success());

    // A symlink: refused even with --force; its target neither created nor changed.
    let target = dir.path().join("elsewhere.txt");
    std::fs::write(&target, b"keep me").unwrap();
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dangling = dir.path().join("dangling.db");
    std::os::unix::fs::symlink(dir.path().join("nowhere.db"), &dangling).unwrap();
    for l in [&link, &dangling] {
        for extra in [&[][..], &["--force"][..]] {
            let r = backup(&db, l, extra);
            assert_eq!(r.status.code(), Some(1), "{r:?}");
            let err = String::from_utf8_lossy(&r.stderr);
            assert!(
                err.contains("symbolic link") && err.contains(&l.display().to_string()),
                "{err}"
            );
        }
    }
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    assert!(!dir.path().join("nowhere.db").exists());

    // The database itself, even with --force; a missing folder is named; in Chinese too.
    let r = backup(&db, &db, &["--force"]);
    assert_eq!(r.status.code(), Some(1), "{r:?}");
    let missing = dir.path().join("no-such").join("b.db");
    let r = shifan(&db)
        .args(["backup", "--out"])
        .arg(&missing)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{r:?}");
    assert!(
        err.contains(&missing.display().to_string()) && err.contains("无法写入备份"),
        "{err}"
    );
    assert!(verify(&db).status.success());
}
