//! The harness's checks against stand-in binaries that misbehave on purpose: each kind of
//! failure must be found, counted and saved; a well-behaved stand-in must pass; the same case
//! seed must give the same mutations. (Run with `cargo test -p shifan-fuzz`.)

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A stand-in for shifan: a shell script whose behaviour is chosen by FAKE_MODE.
const FAKE: &str = r#"#!/bin/sh
sub=""; json=0; db=""
while [ $# -gt 0 ]; do
  case "$1" in
    validate|import|status) sub="$1" ;;
    --format) shift; [ "$1" = json ] && json=1 ;;
    --db) shift; db="$1" ;;
  esac
  shift
done
[ -n "$db" ] && [ "$sub" = import ] && : > "$db"
case "$FAKE_MODE:$sub:$json" in
  panic:validate:0) echo "thread 'main' panicked at src/input/read.rs:1:1: boom" >&2; exit 101 ;;
  hang:validate:0) exec sleep 30 ;;
  controls:validate:0) printf 'unknown province "\033]0;pwned\007"\n'; exit 0 ;;
  mismatch:validate:1) echo '{"errors": 2, "importable_batches": []}'; exit 0 ;;
  mismatch:validate:0) exit 0 ;;
  half:import:1) echo '{"errors": 1, "importable_batches": [], "import": [{"folder": "input/x", "province": "330000", "outcome": "rejected", "errors": 1}]}'; exit 1 ;;
  half:import:0) exit 1 ;;
  half:status:1) echo '{"batches": [{"province": "330000", "dossiers": 3}], "dossiers": 3}'; exit 0 ;;
  badjson:validate:1) echo '{"errors": 0,'; exit 0 ;;
esac
case "$sub:$json" in
  validate:1|import:1) echo '{"errors": 0, "importable_batches": [], "import": []}' ;;
  status:1) echo '{"batches": [], "dossiers": 0}' ;;
  *) echo "ok" ;;
esac
exit 0
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("shifan-fuzz-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn fake(dir: &Path) -> PathBuf {
    let p = dir.join("fake-shifan");
    fs::write(&p, FAKE).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    p
}

fn harness(mode: &str, dir: &Path, extra: &[&str]) -> Output {
    let ws = workspace();
    Command::new(env!("CARGO_BIN_EXE_shifan-fuzz"))
        .env("FAKE_MODE", mode)
        .arg("--shifan")
        .arg(fake(dir))
        .arg("--samples")
        .arg(ws.join("sample-applications"))
        .arg("--criteria")
        .arg(ws.join("criteria"))
        .arg("--out")
        .arg(dir.join("out"))
        .args(["--timeout", "1", "--all-every", "1000"])
        .args(extra)
        .output()
        .unwrap()
}

/// The count the summary gives for one kind of failure.
fn count(stdout: &str, kind: &str) -> u64 {
    stdout
        .lines()
        .find_map(|l| {
            let mut w = l.split_whitespace();
            (w.next() == Some(kind)).then(|| w.next()?.parse().ok())?
        })
        .unwrap_or_else(|| panic!("no {kind} line in:\n{stdout}"))
}

fn saved(dir: &Path, kind: &str) -> Vec<PathBuf> {
    fs::read_dir(dir.join("out"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(kind))
                .collect()
        })
        .unwrap_or_default()
}

fn finds(mode: &str, kind: &str) {
    let dir = scratch(mode);
    let out = harness(mode, &dir, &["--cases", "2", "--seed", "5"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("cases run: 2"), "{stdout}");
    assert_eq!(count(&stdout, kind), 2, "{stdout}");
    let cases = saved(&dir, kind);
    assert_eq!(cases.len(), 2, "{stdout}");
    let text = fs::read_to_string(cases[0].join("case.txt")).unwrap();
    assert!(text.contains(&format!("- {kind} (run ")), "{text}");
    assert!(text.contains("mutations:\n  - "), "{text}");
    assert!(cases[0].join("input").is_dir());
    assert!(cases[0].join("criteria/round.toml").is_file());
    assert!(cases[0].join("repro.sh").is_file());
    // The harness never prints a raw control itself.
    assert!(!out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_panic_is_found() {
    finds("panic", "panic");
}

#[test]
fn a_hang_is_killed_and_found() {
    let started = std::time::Instant::now();
    finds("hang", "hang");
    // Two cases, one hanging run each, killed after 1 s: not 30 s of sleep.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn raw_controls_in_human_output_are_found() {
    finds("controls", "controls");
}

#[test]
fn errors_with_exit_zero_are_found() {
    finds("mismatch", "exit-mismatch");
}

#[test]
fn a_half_import_is_found() {
    finds("half", "half-import");
}

#[test]
fn broken_json_is_found() {
    finds("badjson", "bad-json");
}

#[test]
fn a_well_behaved_binary_passes() {
    let dir = scratch("ok");
    let out = harness("ok", &dir, &["--cases", "5", "--seed", "9"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("failing cases: 0"), "{stdout}");
    assert!(saved(&dir, "").is_empty());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_case_seed_replays_the_same_mutations() {
    let dir = scratch("replay");
    let a = harness("ok", &dir, &["--replay", "0xfeed"]);
    let b = harness("ok", &dir, &["--replay", "0xfeed"]);
    let c = harness("ok", &dir, &["--replay", "0xbeef"]);
    let lines = |o: &Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| l.starts_with("  - ") || l.starts_with("folders:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(
        !lines(&a).is_empty(),
        "{}",
        String::from_utf8_lossy(&a.stdout)
    );
    assert_eq!(lines(&a), lines(&b));
    assert_ne!(lines(&a), lines(&c));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn bad_arguments_are_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_shifan-fuzz"))
        .args(["--skip-check", "nonsense"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown check nonsense"));
}
