//! `shifan publicity propose|start|object|resolve|confirm|status`

use std::process::ExitCode;

use clap::Subcommand;
use jiff::civil::Date;

use shifan::tui::text::clean;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Seal the selection under the round's limits as the proposed list (hash printed).
    /// Refused while assigned sheets are open, unless `--accept-incomplete` gives the reason.
    Propose {
        /// Date of the proposal (default today; never a future date).
        #[arg(long)]
        on: Option<Date>,
        /// Seal although assigned sheets are still open; the reason is recorded in the audit log
        /// and shown by `publicity status`.
        #[arg(long, value_name = "REASON")]
        accept_incomplete: Option<String>,
    },
    /// Withdraw the sealed list before its publicity starts (back to review), with a reason.
    Withdraw {
        #[arg(long)]
        reason: String,
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
    /// Decide an objection; an upheld one removes the unit and promotes the best-ranked
    /// eligible unit that keeps every limit (published in a supplementary period).
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
        /// Date of the decision (default today; never a future date).
        #[arg(long)]
        on: Option<Date>,
    },
    /// Put a unit of the ministry's choice on the list when an upheld objection left a place
    /// that no single unit could fill within the limits (published in a supplementary period).
    Promote {
        #[arg(long)]
        dossier: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        on: Option<Date>,
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
    let lang = ctx.lang.code();
    match cmd {
        Cmd::Propose {
            on,
            accept_incomplete,
        } => {
            let out = store.propose(c, &actor, on, accept_incomplete.as_deref())?;
            println!(
                "{} {}",
                ctx.t("拟认定名单已封存，摘要", "proposed list sealed:"),
                out.list_hash
            );
            println!(
                "{}",
                if ctx.en() {
                    format!(
                        "{} units, {} reserve; ranking {}",
                        out.units, out.reserve, out.ranking_hash
                    )
                } else {
                    format!(
                        "名单 {} 个单位，备选 {} 个；排名摘要 {}",
                        out.units, out.reserve, out.ranking_hash
                    )
                }
            );
            if out.open_sheets > 0 {
                println!(
                    "{}",
                    if ctx.en() {
                        format!(
                            "sealed with {} sheets still open (reason recorded)",
                            out.open_sheets
                        )
                    } else {
                        format!(
                            "封存时尚有 {} 份评分表未提交（理由已记录）",
                            out.open_sheets
                        )
                    }
                );
            }
            if !out.flagged_near_cut.is_empty() {
                println!(
                    "{}",
                    ctx.t(
                        "入选线上下10名内专家分歧较大的申报书：",
                        "dossiers flagged for disagreement within 10 places of the cut:"
                    )
                );
                for f in &out.flagged_near_cut {
                    println!(
                        "  {}  {} {}  {} {:.1}  {}",
                        f.code,
                        ctx.t("第", "rank"),
                        f.rank,
                        ctx.t("极差", "spread"),
                        f.spread,
                        if f.selected {
                            ctx.t("入选", "on the list")
                        } else {
                            ctx.t("未入选", "not on the list")
                        }
                    );
                }
            }
        }
        Cmd::Withdraw { reason, on } => {
            store.withdraw(&actor, &reason, on)?;
            println!(
                "{}",
                ctx.t(
                    "封存的名单已撤回，回到评审阶段",
                    "the sealed list is withdrawn: back to review"
                )
            );
        }
        Cmd::Start { on } => {
            let end = store.start_publicity(c, &actor, on)?;
            let p = store.publicity(&actor)?;
            let start = p.state().period().map_or(end, |(s, _)| s);
            println!(
                "{}",
                if ctx.en() {
                    format!(
                        "publicity from {start} to {end} ({} working days)",
                        c.round.publicity_working_days
                    )
                } else {
                    format!(
                        "公示期：{start} 至 {end}（{} 个工作日）",
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
            let id = store.object(&actor, &dossier, on, &by, &summary)?;
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
            on,
        } => {
            match store.resolve(c, &actor, id, upheld, &note, on)? {
                Some(change) => {
                    let promoted = match (&change.promoted, &change.no_promotion) {
                        (Some(p), _) => p.clone(),
                        (None, Some(why)) => why.text().get(lang).to_string(),
                        (None, None) => ctx.t("无", "nobody").to_string(),
                    };
                    println!(
                        "{}",
                        if ctx.en() {
                            format!(
                                "objection #{id} upheld: {} removed; promoted: {promoted}",
                                change.removed
                            )
                        } else {
                            format!("异议 #{id} 成立：撤销 {}；递补：{promoted}", change.removed)
                        }
                    );
                    let p = store.publicity(&actor)?;
                    if let Some(period) = p.periods().iter().find(|pd| {
                        change.promoted.is_some() && pd.code() == change.promoted.as_deref()
                    }) {
                        println!(
                            "{}",
                            if ctx.en() {
                                format!(
                                    "supplementary publicity of the promoted unit: {} to {}",
                                    period.start(),
                                    period.end()
                                )
                            } else {
                                format!("递补单位补充公示：{} 至 {}", period.start(), period.end())
                            }
                        );
                    } else if change.promoted.is_none() {
                        println!(
                        "{}",
                        ctx.t(
                            "没有单个单位能在各项限制内递补：请部里决定（shifan publicity promote --dossier 编号 --reason 理由），或不递补",
                            "no single unit can fill the place within the limits: ministry staff decide (shifan publicity promote --dossier D --reason R), or leave it"
                        )
                    );
                    }
                }
                None => println!("{} #{id}", ctx.t("已处理异议", "objection resolved:")),
            }
        }
        Cmd::Promote {
            dossier,
            reason,
            on,
        } => {
            store.promote(c, &actor, &dossier, &reason, on)?;
            println!(
                "{} {dossier}",
                ctx.t("已递补（补充公示）", "promoted (supplementary publicity):")
            );
        }
        Cmd::Confirm { on } => {
            let n = store.confirm(&actor, on)?;
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
                    "periods": p.periods(),
                    "incomplete": p.incomplete(),
                    "ranking_hash": p.ranking_hash(),
                    "withdrawals": p.withdrawals(),
                    "seal_intact": p.seal_intact(),
                });
                super::out::json(&out)?;
            } else {
                println!("{}", p.status().text().get(ctx.lang.code()));
                if let Some(i) = p.incomplete() {
                    println!(
                        "{}",
                        if ctx.en() {
                            format!(
                                "sealed with {} sheets open; reason: {}",
                                i.open_sheets,
                                clean(&i.reason)
                            )
                        } else {
                            format!(
                                "封存时有 {} 份评分表未提交；理由：{}",
                                i.open_sheets,
                                clean(&i.reason)
                            )
                        }
                    );
                }
                for o in p.objections() {
                    println!(
                        "  #{} {} {} {}: {} [{}]",
                        o.id,
                        o.code,
                        o.received_on,
                        clean(&o.objector),
                        clean(&o.summary),
                        o.resolution
                            .as_ref()
                            .map_or(ctx.t("未处理", "open").to_string(), |r| clean(r.note()))
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
