//! Document benchmark: `cargo bench --bench documents`.
//!
//! Renders the publicity notice for 100 units, 100 confirmation notices and 40 score sheets
//! (40 dossiers × 12 criteria each), and prints each time (median of 3 runs) and size. Aim:
//! all of it under one second, the notice under 300 KB. Where `soffice` is installed, it also
//! converts the same notice (as HTML) with `soffice --headless --convert-to pdf` and prints the
//! ratios.

use std::process::Command;
use std::time::{Duration, Instant};

use shifan::pdf::samples::{sample_confirmations, sample_publicity, sample_score_sheets};
use shifan::pdf::{
    Fonts, PublicityNotice, render_confirmation, render_publicity, render_score_sheet,
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

    let confirmations = sample_confirmations(100);
    let (confirm_time, sizes) = time(3, || {
        confirmations
            .iter()
            .map(|n| render_confirmation(n, &fonts).expect("renders").bytes.len())
            .collect::<Vec<_>>()
    });
    let total: usize = sizes.iter().sum();
    println!(
        "100 confirmation notices             {:>9.1?}  {} in all, {} each",
        confirm_time,
        kib(total),
        kib(total / sizes.len().max(1))
    );

    let sheets = sample_score_sheets(40, 40);
    let (sheet_time, sheet_stats) = time(3, || {
        sheets
            .iter()
            .map(|s| {
                let r = render_score_sheet(s, &fonts).expect("renders");
                (r.bytes.len(), r.pages)
            })
            .collect::<Vec<_>>()
    });
    let sheet_total: usize = sheet_stats.iter().map(|(b, _)| b).sum();
    println!(
        "40 score sheets (40 dossiers × 12)   {:>9.1?}  {} in all, {} pages each",
        sheet_time,
        kib(sheet_total),
        sheet_stats.first().map(|(_, p)| *p).unwrap_or(0)
    );

    let all = notice_time + confirm_time + sheet_time;
    println!(
        "all documents                        {:>9.1?}  (aim: under 1 s; notice under 300 KB: {})",
        all,
        if rendered.bytes.len() < 300_000 {
            "yes"
        } else {
            "NO"
        }
    );

    compare_with_soffice(&notice, notice_time, rendered.bytes.len());
}

fn compare_with_soffice(notice: &PublicityNotice, ours: Duration, our_size: usize) {
    let available = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        println!("soffice: not installed, no comparison");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("notice.html");
    std::fs::write(&html, notice_html(notice)).expect("write html");
    let start = Instant::now();
    let status = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&html)
        .output();
    let elapsed = start.elapsed();
    let pdf = dir.path().join("notice.pdf");
    match (status, std::fs::metadata(&pdf)) {
        (Ok(out), Ok(meta)) if out.status.success() => println!(
            "soffice --convert-to pdf, same notice {:>9.1?}  {}; ours is {:.1}× faster, {:.2}× the size",
            elapsed,
            kib(meta.len() as usize),
            elapsed.as_secs_f64() / ours.as_secs_f64(),
            our_size as f64 / meta.len() as f64
        ),
        _ => println!("soffice: conversion failed"),
    }
}

fn notice_html(notice: &PublicityNotice) -> String {
    let mut html = format!(
        "<html><head><meta charset=\"utf-8\"></head><body><h1>{}</h1>",
        notice.title
    );
    for paragraph in &notice.intro {
        html.push_str(&format!("<p>{paragraph}</p>"));
    }
    html.push_str(
        "<table border=\"1\"><tr><th>序号</th><th>省份</th><th>单位名称</th><th>类型</th></tr>",
    );
    for (i, e) in notice.entries.iter().enumerate() {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            e.province_name,
            e.applicant,
            e.type_name
        ));
    }
    html.push_str("</table></body></html>");
    html
}
