//! Running the shifan binary with a deadline: a run that outlives it is killed and called a hang.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Output kept per stream; the rest is read and dropped so the child never blocks on a full pipe.
const KEEP_BYTES: usize = 16 << 20;

#[derive(Debug, Clone)]
pub struct Run {
    /// The command line, for the case file.
    pub line: String,
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
}

impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

fn drain(mut r: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = KEEP_BYTES.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        kept
    })
}

/// Runs `bin args` in `dir` with the round's fixed date; kills it after `timeout`.
/// With `memory_mb` > 0 the run's address space is limited (`ulimit -v` in a shell that then
/// execs the binary, so the process killed on timeout is shifan itself).
pub fn run(
    bin: &Path,
    dir: &Path,
    args: &[&str],
    today: &str,
    timeout: Duration,
    memory_mb: u64,
) -> Run {
    let line = format!("SHIFAN_TODAY={today} {} {}", bin.display(), args.join(" "));
    let started = Instant::now();
    let mut cmd = if memory_mb > 0 {
        let mut c = Command::new("/bin/sh");
        c.arg("-c")
            .arg(format!(
                "ulimit -v {} && exec \"$0\" \"$@\"",
                memory_mb * 1024
            ))
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .current_dir(dir)
        .env("SHIFAN_TODAY", today)
        .env("RUST_BACKTRACE", "1")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_PASSWORD")
        .env_remove("SHIFAN_CRITERIA")
        // Its own process group, so a hang is killed with anything it started.
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Run {
                line,
                code: None,
                signal: None,
                timed_out: false,
                stdout: Vec::new(),
                stderr: format!("shifan-fuzz: cannot start the binary: {e}").into_bytes(),
                elapsed: started.elapsed(),
            };
        }
    };
    let out = child.stdout.take().map(drain);
    let err = child.stderr.take().map(drain);
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if started.elapsed() >= timeout => {
                timed_out = true;
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let elapsed = started.elapsed();
    let stdout = out.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = err.and_then(|h| h.join().ok()).unwrap_or_default();
    Run {
        line,
        code: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        timed_out,
        stdout,
        stderr,
        elapsed,
    }
}
