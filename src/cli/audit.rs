//! `shifan audit verify|log`

use std::process::ExitCode;

use clap::Subcommand;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Check the hash chain: names every edited or deleted entry. Exit 1 when any.
    Verify {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print the log.
    Log {
        /// Only the last N entries.
        #[arg(long)]
        last: Option<usize>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    match cmd {
        Cmd::Verify { format } => {
            let (n, problems) = store.verify_audit(&actor)?;
            if format == Format::Json {
                let out = serde_json::json!({ "entries": n, "intact": problems.is_empty(), "problems": problems });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else if problems.is_empty() {
                println!(
                    "{}",
                    if ctx.en() {
                        format!("audit log intact: {n} entries, hash chain verified")
                    } else {
                        format!("审计日志完整：共 {n} 条，哈希链校验通过")
                    }
                );
            } else {
                println!(
                    "{}",
                    if ctx.en() {
                        format!(
                            "audit log damaged: {} problem(s) in {n} entries",
                            problems.len()
                        )
                    } else {
                        format!("审计日志被改动：{n} 条中发现 {} 处问题", problems.len())
                    }
                );
                for p in &problems {
                    println!("  {}", p.text().get(ctx.lang.code()));
                }
            }
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Log { last, format } => {
            let log = store.audit_log(&actor)?;
            let skip = last.map_or(0, |n| log.len().saturating_sub(n));
            let shown = &log[skip..];
            if format == Format::Json {
                println!("{}", serde_json::to_string_pretty(shown)?);
            } else {
                for e in shown {
                    println!(
                        "{:>6}  {}  {}  {}  {}",
                        e.seq,
                        e.at.get(..19).unwrap_or(&e.at),
                        e.actor,
                        e.action,
                        e.detail
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
