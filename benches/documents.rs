//! Document benchmark: `cargo bench --bench documents`.
//!
//! Two parts, not to be compared with each other:
//! 1. In process, fonts already loaded: the sample publicity notice for 100 units, 100
//!    confirmation notices and 40 score sheets (40 dossiers × 12 criteria each).
//! 2. Whole processes, as a clerk runs them: a demo round is built with the release binary and
//!    each `shifan notice …` command is timed from start to exit (median of 5), so font loading
//!    and the database are counted. The clerk logs in once (`shifan login`, as README says)
//!    and the commands use the session; the publicity notice and `shifan publicity status`
//!    (what every command pays before any document) are also timed with `SHIFAN_PASSWORD`, so
//!    the cost of the argon2id check is shown. Where `soffice` is installed, the same
//!    publicity notice (its full text, extracted from our PDF with `pdftotext -layout`, as
//!    HTML) is converted by whole `soffice --headless --convert-to pdf` processes (after one
//!    untimed run that builds its profile), paired run by run with ours, and the ratio of the
//!    medians is printed. Aims: the notice at least 40× faster than soffice, the documents of
//!    a round (publicity notice, result notice, 100 confirmations, every score sheet) under
//!    300 ms together.
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use shifan::pdf::samples::{sample_confirmations, sample_publicity, sample_score_sheets};
use shifan::pdf::{
    Fonts, render_confirmation, render_confirmations, render_publicity, render_score_sheet,
    render_score_sheets,
};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Median time of `runs` calls, and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        times.push(start.elapsed());
        last = Some(value);
    }
    (median(times), last.expect("at least one run"))
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn main() {
    println!("1. in process, fonts loaded once (not comparable with whole processes)");
    let start = Instant::now();
    let fonts = Fonts::load_default().expect("fonts in assets/fonts");
    println!(
        "load fonts (once per process)        {:>9.1?}",
        start.elapsed()
    );

    let notice = sample_publicity(100);
    let (notice_time, rendered) = time(3, || {
        render_publicity(&notice, &fonts).expect("notice renders")
    });
    println!(
        "publicity notice, 100 units          {:>9.1?}  {} pages, {}",
        notice_time,
        rendered.pages,
        kib(rendered.bytes.len())
    );

    // As `shifan notice confirmation` and `score-sheets` write them: together, sharing one cut
    // of each face, side by side on the cores; and one at a time, each cutting its own fonts.
    let confirmations = sample_confirmations(100);
    let (confirm_time, sizes) = time(3, || {
        render_confirmations(&confirmations, &fonts)
            .expect("renders")
            .iter()
            .map(|r| r.bytes.len())
            .collect::<Vec<_>>()
    });
    let total: usize = sizes.iter().sum();
    let (one_by_one, _) = time(3, || {
        for n in &confirmations {
            render_confirmation(n, &fonts).expect("renders");
        }
    });
    println!(
        "100 confirmation notices             {:>9.1?}  {} in all, {} each; one at a time {:.1?}",
        confirm_time,
        kib(total),
        kib(total / sizes.len().max(1)),
        one_by_one
    );

    let sheets = sample_score_sheets(40, 40);
    let (sheet_time, sheet_stats) = time(3, || {
        render_score_sheets(&sheets, &fonts)
            .expect("renders")
            .iter()
            .map(|r| (r.bytes.len(), r.pages))
            .collect::<Vec<_>>()
    });
    let sheet_total: usize = sheet_stats.iter().map(|(b, _)| b).sum();
    let (one_by_one, _) = time(3, || {
        for s in &sheets {
            render_score_sheet(s, &fonts).expect("renders");
        }
    });
    println!(
        "40 score sheets (40 dossiers × 12)   {:>9.1?}  {} in all, {} pages each; one at a time {:.1?}",
        sheet_time,
        kib(sheet_total),
        sheet_stats.first().map(|(_, p)| *p).unwrap_or(0),
        one_by_one
    );

    let all = notice_time + confirm_time + sheet_time;
    println!(
        "all documents, in process            {:>9.1?}  (notice under 200 KB: {})",
        all,
        if rendered.bytes.len() < 200_000 {
            "yes"
        } else {
            "NO"
        }
    );

    whole_processes();
}

const BIN: &str = env!("CARGO_BIN_EXE_shifan");
const TODAY: &str = "2026-08-31";

/// How a timed command logs in.
#[derive(Clone, Copy)]
enum Auth<'a> {
    /// `SHIFAN_PASSWORD`: the argon2id check in every command.
    Password,
    /// The session `shifan login` left in this runtime folder.
    Session(&'a Path),
}

fn shifan(db: &Path, user: &str, args: &[&str]) -> Command {
    shifan_with(Auth::Password, db, user, args)
}

fn shifan_with(auth: Auth, db: &Path, user: &str, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    match auth {
        Auth::Password => c.env("SHIFAN_PASSWORD", "demo"),
        Auth::Session(run) => c.env_remove("SHIFAN_PASSWORD").env("XDG_RUNTIME_DIR", run),
    };
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SHIFAN_TODAY", TODAY)
        .env_remove("SHIFAN_USER")
        .args(["--lang", "en", "--db"])
        .arg(db)
        .args(["--user", user])
        .args(args);
    c
}

fn must(mut c: Command) -> String {
    let out = c.output().expect("runs");
    // Exit 1 with a PDF written is a warning (sample contacts), not a failure.
    assert!(
        out.status.success() || out.status.code() == Some(1) && !out.stdout.is_empty(),
        "{c:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The demo round of README, proposed, published, one objection upheld, confirmed.
fn build_round(db: &Path) {
    must({
        let mut c = Command::new(BIN);
        c.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("SHIFAN_TODAY", TODAY)
            .arg("--db")
            .arg(db)
            .arg("demo");
        c
    });
    let steps: [(&str, &[&str]); 2] = [
        (
            "ministry",
            &[
                "publicity",
                "propose",
                "--on",
                "2026-07-31",
                "--accept-incomplete",
                "演示数据：部分评分表按设计未完成",
            ],
        ),
        ("ministry", &["publicity", "start", "--on", "2026-08-03"]),
    ];
    for (user, args) in steps {
        must(shifan(db, user, args));
    }
    let status = must(shifan(
        db,
        "ministry",
        &["publicity", "status", "--format", "json"],
    ));
    let status: serde_json::Value = serde_json::from_str(&status).expect("json");
    let victim = status["current_list"][5]["code"]
        .as_str()
        .expect("a code")
        .to_string();
    must(shifan(
        db,
        "ministry",
        &[
            "publicity",
            "object",
            "--dossier",
            &victim,
            "--by",
            "李四",
            "--summary",
            "服务数据不实",
            "--on",
            "2026-08-05",
        ],
    ));
    must(shifan(
        db,
        "ministry",
        &[
            "publicity",
            "resolve",
            "--id",
            "1",
            "--upheld",
            "--note",
            "经核实",
            "--on",
            "2026-08-07",
        ],
    ));
    must(shifan(
        db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-17"],
    ));
}

/// Median of 5 whole runs of `shifan notice KIND --out DIR --force`.
fn time_notice(auth: Auth, db: &Path, out: &Path, kind: &str) -> Duration {
    let out = out.to_str().expect("utf-8 path");
    let (elapsed, _) = time(5, || {
        must(shifan_with(
            auth,
            db,
            "clerk",
            &["notice", kind, "--out", out, "--force"],
        ))
    });
    elapsed
}

fn whole_processes() {
    println!("2. whole processes of the release binary on the demo round (median of 5)");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("round.db");
    build_round(&db);
    // The clerk logs in once; the session lives in this folder.
    let run = dir.path().join("run");
    std::fs::create_dir(&run).expect("runtime folder");
    let session = Auth::Session(&run);
    must({
        let mut c = shifan(&db, "clerk", &["login"]);
        c.env("XDG_RUNTIME_DIR", &run);
        c
    });
    // What every command pays before any document: start, open the store, log in, read the
    // round; with the password (argon2id, m = 19 MiB, t = 2: deliberately slow) or the
    // session.
    let status = |auth| {
        time(5, || {
            must(shifan_with(
                auth,
                &db,
                "clerk",
                &["publicity", "status", "--format", "json"],
            ))
        })
        .0
    };
    let (with_password, with_session) = (status(Auth::Password), status(session));
    println!(
        "shifan publicity status        {with_session:>9.1?}  with the session; {with_password:.1?} with SHIFAN_PASSWORD (the argon2id check)"
    );
    let mut round = Duration::ZERO;
    let mut notice_time = Duration::ZERO;
    for (kind, label, in_round) in [
        ("publicity", "publicity notice, 100 units", true),
        ("supplementary", "supplementary notice", false),
        ("result", "result notice, 100 units", true),
        ("confirmation", "100 confirmation notices", true),
        ("score-sheets", "every score sheet", true),
    ] {
        let out = dir.path().join(kind);
        let elapsed = time_notice(session, &db, &out, kind);
        let files: Vec<u64> = std::fs::read_dir(&out)
            .map(|files| {
                files
                    .flatten()
                    .filter_map(|f| f.metadata().ok())
                    .map(|m| m.len())
                    .collect()
            })
            .unwrap_or_default();
        let bytes: u64 = files.iter().sum();
        println!(
            "shifan notice {kind:<14} {:>9.1?}  {label}: {} file(s), {}; {:.1?} over the status command",
            elapsed,
            files.len(),
            kib(bytes as usize),
            elapsed.saturating_sub(with_session)
        );
        if kind == "publicity" {
            notice_time = elapsed;
            let password = time_notice(Auth::Password, &db, &out, kind);
            println!(
                "shifan notice publicity        {password:>9.1?}  the same with SHIFAN_PASSWORD instead of the session"
            );
        }
        if in_round {
            round += elapsed;
        }
    }
    println!(
        "the round's documents          {:>9.1?}  publicity + result + confirmations + score sheets, with the session (aim: under 300 ms: {})",
        round,
        if round < Duration::from_millis(300) {
            "yes"
        } else {
            "NO"
        }
    );
    compare_with_soffice(
        &db,
        &run,
        &dir.path().join("publicity/publicity-notice.pdf"),
        notice_time,
    );
}

/// Whole `soffice --headless --convert-to pdf` runs of the same notice's text, paired with
/// whole runs of ours.
fn compare_with_soffice(db: &Path, run: &Path, ours_pdf: &Path, _single: Duration) {
    let available = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        println!("soffice: not installed, no comparison");
        return;
    }
    let text = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(ours_pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for the comparison");
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("notice.html");
    std::fs::write(&html, text_html(&text)).expect("write html");
    let out = dir.path().join("ours");
    let out_s = out.to_str().expect("utf-8 path").to_string();
    // One untimed run first: soffice's first start in a fresh profile builds the profile.
    let warm = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&html)
        .output();
    if !warm.is_ok_and(|o| o.status.success()) {
        println!("soffice: conversion failed");
        return;
    }
    // Ours with the session (as a clerk runs it after `shifan login`) and with the password,
    // each paired run by run with a whole soffice run.
    let (mut ours, mut ours_password, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    let notice = ["notice", "publicity", "--out", out_s.as_str(), "--force"];
    for _ in 0..5 {
        let start = Instant::now();
        must(shifan_with(Auth::Session(run), db, "clerk", &notice));
        ours.push(start.elapsed());
        let start = Instant::now();
        must(shifan_with(Auth::Password, db, "clerk", &notice));
        ours_password.push(start.elapsed());
        let start = Instant::now();
        let converted = Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&html)
            .output();
        theirs.push(start.elapsed());
        if !converted.is_ok_and(|o| o.status.success()) {
            println!("soffice: conversion failed");
            return;
        }
    }
    let (ours, ours_password, theirs) = (median(ours), median(ours_password), median(theirs));
    println!(
        "soffice --convert-to pdf, same text  {:>9.1?}  ours {:.1?} with the session: {:.1}× faster (aim: 40×); {:.1?} with SHIFAN_PASSWORD: {:.1}×",
        theirs,
        ours,
        theirs.as_secs_f64() / ours.as_secs_f64(),
        ours_password,
        theirs.as_secs_f64() / ours_password.as_secs_f64()
    );
}

/// The notice's text, page by page, as HTML paragraphs (the same words soffice has to set).
fn text_html(text: &str) -> String {
    let mut html = String::from("<html><head><meta charset=\"utf-8\"></head><body>");
    for page in text.split('\u{c}') {
        for line in page.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let escaped = line
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            html.push_str(&format!("<p>{escaped}</p>"));
        }
        html.push_str("<p style=\"page-break-after: always\"></p>");
    }
    html.push_str("</body></html>");
    html
}
