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
    }
    Ok(ExitCode::SUCCESS)
}
