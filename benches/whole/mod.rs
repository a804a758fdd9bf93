//! Shared by the import and review benches: the yardstick (a bare `toml` parse of every file
//! of a set, on N threads) and whole-process runs of the real binary with their own peak
//! memory (`wait4`'s `ru_maxrss` of that child alone).
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

/// Run `cmd` to the end, timing it and reading the child's own peak RSS from `wait4`.
// The child is waited for by `wait4`, which `Child::wait` cannot replace (no rusage).
#[allow(clippy::zombie_processes)]
pub fn run(cmd: &mut Command) -> Run {
    let t = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("spawn the binary");
    let pid = child.id() as libc::pid_t;
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout {
        use std::io::Read;
        let _ = out.read_to_string(&mut stdout);
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for this child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for (the Child handle is dropped unwaited).
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    assert_eq!(r, pid, "wait4");
    Run {
        wall,
        peak_kib: usage.ru_maxrss,
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        stdout,
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
