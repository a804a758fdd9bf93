//! Shared by the import and review benches: the yardstick (a bare `toml` parse of every file
//! of a set, on N threads) and whole-process runs of the real binary with their own peak
//! memory (`wait4`'s `ru_maxrss` of that child alone).
//!
//! A child's `ru_maxrss` starts from the resident size of the process that spawned it (Linux
//! carries the old image's high-water mark across `exec`): spawned straight from a bench that
//! holds 144 MiB, every child "peaked" at 144 MiB at least. So each run is spawned by a small
//! launcher — this bench binary started afresh with [`LAUNCH`], before it holds anything —
//! which waits for the child and reports its figures ([`launcher`]).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Every `.toml` file under `root`.
pub fn all_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Read every file and parse it with `toml::from_str::<toml::Table>`, on `threads` threads.
pub fn bare_parse(files: &[PathBuf], threads: usize) -> usize {
    let one = |fs: &[PathBuf]| -> usize {
        fs.iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                toml::from_str::<toml::Table>(&text).map_or(0, |t| t.len())
            })
            .sum()
    };
    if threads <= 1 {
        return one(files);
    }
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let hs: Vec<_> = files
            .chunks(chunk)
            .map(|c| s.spawn(move || one(c)))
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("parse thread"))
            .sum()
    })
}

/// The median of `runs` timings of `f`, with its last result.
pub fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = std::hint::black_box(f());
        times.push(t.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

/// One whole run of a process: wall time, its own peak resident memory (KiB), exit status.
pub struct Run {
    pub wall: Duration,
    pub peak_kib: i64,
    pub ok: bool,
    pub stdout: String,
}

/// The first argument that makes a bench binary the launcher of one run (see the module).
pub const LAUNCH: &str = "--shifan-bench-launch";
/// The line the launcher ends its output with: wall time (ns), peak (KiB), exit status.
const MEASURED: &str = "shifan-bench-measured";

/// Called first in every bench's `main`: when started as a launcher (`LAUNCH PROGRAM ARGS…`),
/// run the program with this process's environment and output, wait for it, print the
/// [`MEASURED`] line and exit. Otherwise return at once.
pub fn launcher() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_none_or(|a| a != LAUNCH) {
        return;
    }
    let [_, program, rest @ ..] = args.as_slice() else {
        eprintln!("{LAUNCH} needs a program to run");
        std::process::exit(2);
    };
    let (wall, peak_kib, status) = spawn_and_wait(Command::new(program).args(rest));
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "\n{MEASURED} {} {peak_kib} {status}", wall.as_nanos());
    let _ = out.flush();
    std::process::exit(0);
}

/// Spawn `cmd` (output inherited), wait for it with `wait4`: its wall time, its own peak
/// resident memory (KiB) and its exit status (-1 when it did not exit normally).
// The child is waited for by `wait4`, which `Child::wait` cannot replace (no rusage).
#[allow(clippy::zombie_processes)]
fn spawn_and_wait(cmd: &mut Command) -> (Duration, i64, i32) {
    let t = Instant::now();
    let child = cmd.spawn().expect("spawn the binary");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for this child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for (the Child handle is dropped unwaited).
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    assert_eq!(r, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (wall, usage.ru_maxrss, code)
}

/// Write out what earlier runs left in the page cache (their databases, a generated set), so
/// that the kernel's writeback of it does not fall inside the next run's time: on 2 cores it
/// took CPU and disk from the import measured after it.
pub fn settle() {
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

/// The median time of `runs` runs of `f`, each after [`settle`] (not timed), with its last result.
pub fn median_settled<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        settle();
        let t = Instant::now();
        let out = std::hint::black_box(f());
        times.push(t.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

/// Run `cmd` to the end through the launcher, after [`settle`], with its wall time and its own
/// peak RSS.
pub fn run(cmd: &mut Command) -> Run {
    settle();
    let mut launch = Command::new(std::env::current_exe().expect("the bench binary"));
    launch
        .arg(LAUNCH)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => launch.env(key, v),
            None => launch.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        launch.current_dir(dir);
    }
    let out = launch
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("run the launcher");
    let text = String::from_utf8_lossy(&out.stdout);
    let (stdout, measured) = text
        .rsplit_once(&format!("\n{MEASURED} "))
        .expect("the launcher's figures");
    let figures: Vec<i64> = measured
        .split_whitespace()
        .map(|f| f.parse().expect("a figure"))
        .collect();
    let [wall_ns, peak_kib, status] = figures[..] else {
        panic!("the launcher's figures: {measured}");
    };
    Run {
        wall: Duration::from_nanos(wall_ns as u64),
        peak_kib,
        ok: status == 0,
        stdout: stdout.to_string(),
    }
}

/// The median run of `runs` runs of the command `make` builds (by wall time).
pub fn median_run(runs: usize, mut make: impl FnMut(usize) -> Command) -> Run {
    let mut all: Vec<Run> = (0..runs).map(|i| run(&mut make(i))).collect();
    all.sort_by_key(|r| r.wall);
    all.swap_remove(all.len() / 2)
}

/// This process's own peak resident memory so far (VmHWM), KiB.
pub fn own_peak_kib() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// The binary cargo builds beside the bench.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_shifan"))
}

pub fn mib(kib: i64) -> f64 {
    kib as f64 / 1024.0
}
