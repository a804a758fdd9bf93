//! `shifan experts import FILE`, `shifan experts list`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use shifan::input::experts::read_roster;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Load or update the roster from a TOML file (e.g. sample-applications/experts.toml).
    Import { file: PathBuf },
    /// List the roster.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Each expert's sheets submitted of those assigned, and whether they are overdue
    /// (past round.toml's review_deadline against today, SHIFAN_TODAY) — as the TUI's
    /// assignment tab shows them.
    Progress {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Who may replace an expert on DOSSIER: the eligible experts (lightest load first) and
    /// every other expert with the rule that keeps them out — the TUI's swap list.
    Candidates {
        dossier: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

/// One expert's progress as `experts progress` prints it.
#[derive(Debug, serde::Serialize)]
struct ProgressLine {
    expert: String,
    submitted: usize,
    assigned: usize,
    overdue: bool,
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    match cmd {
        Cmd::Import { file } => {
            let experts = match read_roster(&ctx.criteria, &file) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("shifan: {}", e.text().get(ctx.lang.code()));
                    return Ok(ExitCode::from(1));
                }
            };
            let (added, updated) = store.import_experts(&actor, &experts)?;
            if ctx.en() {
                println!(
                    "roster {}: {added} added, {updated} updated",
                    file.display()
                );
            } else {
                println!(
                    "专家名单 {}：新增 {added} 名，更新 {updated} 名",
                    file.display()
                );
            }
        }
        Cmd::List { format } => {
            let experts = store.experts(&actor)?;
            if format == Format::Json {
                super::out::json(&experts)?;
            } else {
                for e in &experts {
                    println!(
                        "{}  {}  {}  {}  {}",
                        e.id,
                        super::report::pad(&e.name, 8),
                        super::report::pad(&e.affiliation, 36),
                        e.province_key.as_deref().unwrap_or("-"),
                        e.expertise.join(",")
                    );
                }
            }
        }
        Cmd::Progress { format } => {
            let progress = store.progress(&actor)?;
            let late = ctx.criteria.round.review_overdue(store.today());
            let lines: Vec<ProgressLine> = progress
                .experts
                .iter()
                .map(|r| ProgressLine {
                    expert: r.key.clone(),
                    submitted: r.submitted,
                    assigned: r.assigned,
                    overdue: late && r.submitted < r.assigned,
                })
                .collect();
            if format == Format::Json {
                super::out::json(&lines)?;
            } else {
                for l in &lines {
                    let mark = match (l.overdue, ctx.en()) {
                        (true, true) => "  overdue",
                        (true, false) => "  逾期",
                        _ => "",
                    };
                    println!("{}  {}/{}{mark}", l.expert, l.submitted, l.assigned);
                }
            }
        }
        Cmd::Candidates { dossier, format } => {
            let list = store.swap_candidates(&ctx.criteria, &actor, &dossier)?;
            if format == Format::Json {
                super::out::json(&list)?;
            } else {
                for c in &list {
                    let why = match &c.reason {
                        None if ctx.en() => format!("eligible, reviews {}", c.load),
                        None => format!("可调入，现评 {} 份", c.load),
                        Some(t) => t.get(ctx.lang.code()).to_string(),
                    };
                    println!("{}  {}  {why}", c.expert_id, super::report::pad(&c.name, 8));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
