//! `shifan scores import --first A.csv --second B.csv`: signed paper score sheets typed in by
//! two clerks; what both keyings agree on is stored and submitted, every disagreement is listed
//! and held back. Exit 0: every sheet stored (or already stored); 1: something held back.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;
use shifan::domain::paper::{Mismatch, reconcile};
use shifan::input::paper::read_keying;
use shifan::service::{PaperOutcome, mismatch_text};

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Store paper sheets keyed twice (CSV: expert, dossier, one column per criterion id or
    /// Chinese name, recommend, opinion): only sheets whose two keyings agree are stored.
    Import {
        /// The first clerk's keying.
        #[arg(long)]
        first: PathBuf,
        /// The second clerk's keying of the same sheets.
        #[arg(long)]
        second: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Serialize)]
struct Report<'a> {
    outcome: &'a PaperOutcome,
    mismatches: &'a [Mismatch],
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let Cmd::Import {
        first,
        second,
        format,
    } = cmd;
    let (a, b) = match (
        read_keying(&ctx.criteria, &first),
        read_keying(&ctx.criteria, &second),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            for e in [a.err(), b.err()].into_iter().flatten() {
                eprintln!("shifan: {}", e.text().get(ctx.lang.code()));
            }
            eprintln!(
                "shifan: {}",
                ctx.t("未保存任何评分表", "no sheet was stored")
            );
            return Ok(ExitCode::from(1));
        }
    };
    let keyed = reconcile(&ctx.criteria.rubric, &a, &b);
    let files = (first.display().to_string(), second.display().to_string());
    let outcome = store.enter_paper_sheets(&ctx.criteria, &actor, (&files.0, &files.1), &keyed)?;
    if format == Format::Json {
        super::out::json(&Report {
            outcome: &outcome,
            mismatches: &keyed.mismatches,
        })?;
    } else {
        if ctx.en() {
            println!(
                "{} sheets stored and submitted, {} already stored; {} fields held back",
                outcome.stored.len(),
                outcome.unchanged.len(),
                keyed.mismatches.len()
            );
        } else {
            println!(
                "已保存并提交 {} 张评分表，{} 张此前已保存；{} 处未保存",
                outcome.stored.len(),
                outcome.unchanged.len(),
                keyed.mismatches.len()
            );
        }
        for m in &keyed.mismatches {
            println!("  {}", mismatch_text(&ctx.criteria, m).get(ctx.lang.code()));
        }
        if !keyed.mismatches.is_empty() {
            println!(
                "{}",
                ctx.t(
                    "对照纸质评分表改正录入有误的文件后再运行一次：已保存的评分表不会重复保存",
                    "correct the keying that differs from the paper sheet and run again: sheets already stored are not stored twice",
                )
            );
        }
    }
    Ok(if keyed.mismatches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
