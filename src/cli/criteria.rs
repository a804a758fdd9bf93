//! `shifan criteria show|update DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use shifan::input::criteria::{parse_criteria, read_criteria_files};

use super::CliResult;
use super::session::Ctx;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The criteria the round runs with: pinned in the database, or the folder's before the
    /// first import; their digest.
    Show,
    /// Replace the round's pinned criteria with a folder's (ministry staff). Before the review
    /// any change; from the review on only holidays.toml and round.toml's [publicity_contact].
    Update {
        /// The criteria folder with the new files.
        dir: PathBuf,
    },
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    match cmd {
        Cmd::Show => {
            let pinned = if ctx.db.exists() {
                ctx.open_existing()?.pinned_criteria()?
            } else {
                Default::default()
            };
            let (files, from) = if pinned.is_empty() {
                (
                    &ctx.criteria_files,
                    format!(
                        "{} {}",
                        ctx.t("（尚未固定）目录", "(not pinned yet) folder"),
                        ctx.criteria_dir.display()
                    ),
                )
            } else {
                (
                    &pinned,
                    ctx.t("已固定在数据库中", "pinned in the database")
                        .to_string(),
                )
            };
            println!("{from}");
            for (name, text) in files {
                println!(
                    "  {name}  sha256 {}",
                    shifan::store::sha256_hex(text.as_bytes())
                );
            }
            println!(
                "{} {}",
                ctx.t("摘要", "digest"),
                shifan::store::criteria_digest(files)
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Update { dir } => {
            let files = read_criteria_files(&dir)?;
            // The new files must load and fit together before anything is stored.
            parse_criteria(&dir, &files)?;
            let mut store = ctx.open_existing()?;
            let actor = ctx.login(&store)?;
            let diffs = store.update_criteria(&actor, &files)?;
            println!("{}", ctx.t("评选设置已更新：", "criteria updated:"));
            for d in diffs {
                println!("  {d}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
