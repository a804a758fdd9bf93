//! `shifan publicity propose|start|object|resolve|confirm|status`

use std::process::ExitCode;

use clap::Subcommand;
use jiff::civil::Date;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Seal the selection under the round's constraints as the proposed list (hash printed).
    Propose {
        /// Date of the proposal (default today).
        #[arg(long)]
        on: Option<Date>,
    },
    /// Publish the list: the period ends N working days later (round.toml, holidays.toml).
    Start {
        #[arg(long)]
        on: Option<Date>,
    },
    /// Register an objection against a listed unit.
    Object {
        #[arg(long)]
        dossier: String,
        /// Who objects (named: anonymous objections are not accepted).
        #[arg(long)]
        by: String,
        #[arg(long)]
        summary: String,
        /// Date received (default today).
        #[arg(long)]
        on: Option<Date>,
    },
    /// Decide an objection; an upheld one removes the unit and promotes the first reserve.
    Resolve {
        #[arg(long)]
        id: u32,
        #[arg(
            long,
            conflicts_with = "rejected",
            required_unless_present = "rejected"
        )]
        upheld: bool,
        #[arg(long)]
        rejected: bool,
        /// The reasons, recorded.
        #[arg(long)]
        note: String,
    },
    /// Confirm the list once the period is over and every objection resolved.
    Confirm {
        #[arg(long)]
        on: Option<Date>,
    },
    /// Where the publicity stands, the list and the objections.
    Status {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let c = &ctx.criteria;
    match cmd {
        Cmd::Propose { on } => {
            let hash = store.propose(c, &actor, Ctx::date_or_today(on))?;
            println!(
                "{} {hash}",
                ctx.t("拟认定名单已封存，摘要", "proposed list sealed:")
            );
        }
        Cmd::Start { on } => {
            let on = Ctx::date_or_today(on);
            let end = store.start_publicity(c, &actor, on)?;
            println!(
                "{}",
                if ctx.en() {
                    format!(
                        "publicity from {on} to {end} ({} working days)",
                        c.round.publicity_working_days
                    )
                } else {
                    format!(
                        "公示期：{on} 至 {end}（{} 个工作日）",
                        c.round.publicity_working_days
                    )
                }
            );
        }
        Cmd::Object {
            dossier,
            by,
            summary,
            on,
        } => {
            let id = store.object(&actor, &dossier, Ctx::date_or_today(on), &by, &summary)?;
            println!(
                "{} #{id} ({dossier})",
                ctx.t("已登记异议", "objection registered")
            );
        }
        Cmd::Resolve {
            id,
            upheld,
            rejected: _,
            note,
        } => match store.resolve(c, &actor, id, upheld, &note)? {
            Some(change) => println!(
                "{}",
                if ctx.en() {
                    format!(
                        "objection #{id} upheld: {} removed, {} promoted from the reserve",
                        change.removed,
                        change
                            .promoted
                            .as_deref()
                            .unwrap_or("nobody (reserve empty)")
                    )
                } else {
                    format!(
                        "异议 #{id} 成立：撤销 {}，递补 {}",
                        change.removed,
                        change.promoted.as_deref().unwrap_or("无（备选名单已用完）")
                    )
                }
            ),
            None => println!("{} #{id}", ctx.t("已处理异议", "objection resolved:")),
        },
        Cmd::Confirm { on } => {
            let n = store.confirm(&actor, Ctx::date_or_today(on))?;
            println!(
                "{} {n}",
                ctx.t("名单已确认，单位数", "list confirmed; units:")
            );
        }
        Cmd::Status { format } => {
            let p = store.publicity(&actor)?;
            if format == Format::Json {
                let out = serde_json::json!({
                    "status": p.status(),
                    "state": p.state(),
                    "current_list": p.current_list(),
                    "reserve": p.reserve(),
                    "objections": p.objections(),
                    "changes": p.changes(),
                    "seal_intact": p.seal_intact(),
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("{}", p.status().text().get(ctx.lang.code()));
                for o in p.objections() {
                    println!(
                        "  #{} {} {} {}: {} [{}]",
                        o.id,
                        o.code,
                        o.received_on,
                        o.objector,
                        o.summary,
                        o.resolution
                            .as_ref()
                            .map_or(ctx.t("未处理", "open"), |r| r.note())
                    );
                }
                if !p.seal_intact() {
                    println!(
                        "{}",
                        ctx.t(
                            "警告：封存名单与摘要不符！",
                            "WARNING: the sealed list no longer matches its hash!"
                        )
                    );
                    return Ok(ExitCode::from(1));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
