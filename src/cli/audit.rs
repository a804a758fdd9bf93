//! `shifan audit verify|log`

use std::process::ExitCode;

use clap::Subcommand;

use shifan::domain::audit::Head;
use shifan::terminal_text::clean;

use super::session::Ctx;
use super::{CliResult, Failure, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Check the hash chain (every edited or deleted entry), every row of the round's data
    /// against its seal (a row inserted, changed or deleted outside the program, by table and
    /// key) and, with `--head`, that the log still holds a head recorded elsewhere. Exit 1 when
    /// anything is wrong.
    Verify {
        /// A head recorded earlier (`shifan audit head`, or printed on a notice): `SEQ:HASH`.
        #[arg(long)]
        head: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print the head of the log, `SEQ:HASH`, to keep somewhere else.
    Head,
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
        Cmd::Verify { head, format } => {
            let head = match head.as_deref().map(str::parse::<Head>).transpose() {
                Ok(h) => h,
                Err(t) => return Err(Failure::usage(t.zh, t.en)),
            };
            let r = store.verify_audit(&actor, head.as_ref())?;
            let lang = ctx.lang.code();
            if format == Format::Json {
                let out = serde_json::json!({
                    "entries": r.entries,
                    "rows": r.rows,
                    "intact": r.intact(),
                    "problems": r.chain,
                    "data_problems": r.data,
                    "head": r.head,
                });
                super::out::json(&out)?;
            } else if r.intact() {
                println!(
                    "{}",
                    if ctx.en() {
                        format!(
                            "audit log intact: {} entries, hash chain verified; {} data rows match their seals{}",
                            r.entries,
                            r.rows,
                            if head.is_some() {
                                "; the head given is in the log"
                            } else {
                                ""
                            }
                        )
                    } else {
                        format!(
                            "审计日志完整：共 {} 条，哈希链校验通过；{} 行数据与封存一致{}",
                            r.entries,
                            r.rows,
                            if head.is_some() {
                                "；所给审计头仍在日志中"
                            } else {
                                ""
                            }
                        )
                    }
                );
            } else {
                let n = r.chain.len() + r.data.len();
                println!(
                    "{}",
                    if ctx.en() {
                        format!(
                            "audit check failed: {n} problem(s) ({} entries, {} data rows)",
                            r.entries, r.rows
                        )
                    } else {
                        format!(
                            "审计核验未通过：发现 {n} 处问题（日志 {} 条，数据 {} 行）",
                            r.entries, r.rows
                        )
                    }
                );
                for p in &r.chain {
                    println!("  {}", clean(p.text().get(lang)));
                }
                for p in &r.data {
                    println!("  {}", clean(p.text().get(lang)));
                }
            }
            if let (Some(h), Format::Text) = (&r.head, format) {
                println!("{} {h}", ctx.t("审计日志头", "head"));
            }
            Ok(if r.intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Head => {
            match store.audit_head()? {
                Some(h) => println!("{h}"),
                None => println!("{}", ctx.t("审计日志为空", "the audit log is empty")),
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Log { last, format } => {
            let log = store.audit_log(&actor)?;
            let skip = last.map_or(0, |n| log.len().saturating_sub(n));
            let shown = &log[skip..];
            if format == Format::Json {
                super::out::json(shown)?;
            } else {
                for e in shown {
                    println!(
                        "{:>6}  {}  {}  {}  {}  {}",
                        e.seq,
                        e.at.get(..19).unwrap_or(&e.at),
                        e.on.as_deref().unwrap_or("          "),
                        clean(&e.actor),
                        e.action,
                        clean(&e.detail)
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
