//! `shifan scores import --first A.csv --second B.xlsx`: signed paper score sheets typed in by
//! two clerks (each in CSV or an Excel workbook, told apart by content); what both keyings agree
//! on is stored and submitted, every disagreement is listed and held back. Exit 0: every sheet
//! stored (or already stored); 1: something held back.
//!
//! `shifan scores template --out FILE.xlsx [--expert E07 …]`: the empty workbook to key into,
//! one row per open sheet.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;
use shifan::domain::paper::{Mismatch, reconcile};
use shifan::input::paper::read_keying;
use shifan::out_folder::OutFolder;
use shifan::service::{PaperOutcome, mismatch_text};

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Store paper sheets keyed twice (CSV or XLSX: expert, dossier, one column per criterion id
    /// or Chinese name, recommend, opinion): only sheets whose two keyings agree are stored.
    Import {
        /// The first clerk's keying (.csv or .xlsx).
        #[arg(long)]
        first: PathBuf,
        /// The second clerk's keying of the same sheets (.csv or .xlsx).
        #[arg(long)]
        second: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Write the empty XLSX workbook to key paper sheets into: the header row and one row per
    /// open sheet (assigned, not submitted), expert and dossier filled in.
    Template {
        /// The workbook to write (.xlsx).
        #[arg(long)]
        out: PathBuf,
        /// Only these experts' sheets (those who scored on paper); repeat for several.
        #[arg(long = "expert")]
        experts: Vec<String>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
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
    let (first, second, format) = match cmd {
        Cmd::Import {
            first,
            second,
            format,
        } => (first, second, format),
        Cmd::Template {
            out,
            experts,
            force,
        } => return template(ctx, &store, &actor, &out, &experts, force),
    };
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

fn template(
    ctx: &Ctx,
    store: &shifan::store::Store,
    actor: &shifan::domain::access::User,
    out: &Path,
    experts: &[String],
    force: bool,
) -> CliResult {
    let rows = store.paper_sheets_to_key(actor, experts)?;
    let missing: Vec<&str> = experts
        .iter()
        .filter(|e| !rows.iter().any(|(x, _)| x == *e))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        return Err(super::Failure::usage(
            format!(
                "{list} 没有待录入的评分表（未分配申报书，或评分表均已提交）：请核对专家编号；未写入文件"
            ),
            format!(
                "{list}: no sheet to key (no dossier assigned, or every sheet submitted): check the expert ids; no file was written"
            ),
        ));
    }
    let name = out.file_name().map(|n| n.to_string_lossy().to_string());
    let Some(name) = name.filter(|n| n.to_lowercase().ends_with(".xlsx")) else {
        return Err(super::Failure::usage(
            format!(
                "{}：模板是 Excel 工作簿，文件名应以 .xlsx 结尾",
                out.display()
            ),
            format!(
                "{}: the template is an Excel workbook; give a file name ending in .xlsx",
                out.display()
            ),
        ));
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !force && std::fs::symlink_metadata(out).is_ok() {
        return Err(super::Failure::usage(
            format!("{} 已存在：换一个文件名，或加 --force 替换", out.display()),
            format!(
                "{} exists: choose another name, or add --force to replace it",
                out.display()
            ),
        ));
    }
    let bytes = shifan::paper_template::workbook(&ctx.criteria, &rows)?;
    // Never written through a link planted under the name (see out_folder).
    let folder = OutFolder::prepare(dir, true).map_err(super::folder_failure)?;
    let path = folder.write(&name, &bytes).map_err(super::folder_failure)?;
    let experts_n = rows
        .iter()
        .map(|(e, _)| e)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if ctx.en() {
        println!(
            "{}: {} open sheets of {} experts, one row each; key them, then `shifan scores import --first A.xlsx --second B.xlsx`",
            path.display(),
            rows.len(),
            experts_n
        );
    } else {
        println!(
            "{}：{} 位专家的 {} 张待录入评分表，每张一行；两位录入员分别录入后运行 shifan scores import --first A.xlsx --second B.xlsx",
            path.display(),
            experts_n,
            rows.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
