//! `shifan tie list|decide`: ties the published tie-break chain leaves open.

use std::process::ExitCode;

use clap::Subcommand;
use shifan::domain::selection::Constraints;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Dossiers the published chain (aggregate, group subtotals, provincial rank) leaves tied;
    /// those whose order decides the list or the reserve must be decided before sealing.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Record the ministry's order for tied dossiers (best first), with the reason (audited).
    Decide {
        /// Dossier codes, best first, comma-separated: `330000-01,320000-04`.
        #[arg(long, value_delimiter = ',', required = true)]
        order: Vec<String>,
        #[arg(long)]
        reason: String,
    },
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    match cmd {
        Cmd::List { format } => {
            let s = store.selection(
                &ctx.criteria,
                &actor,
                &Constraints::from_criteria(&ctx.criteria),
                false,
            )?;
            if format == Format::Json {
                let out = serde_json::json!({
                    "ties": s.round.ranking.ties,
                    "undecided_at_the_cut": s.undecided_ties,
                });
                super::out::json(&out)?;
                return Ok(ExitCode::SUCCESS);
            }
            if s.round.ranking.ties.is_empty() {
                println!(
                    "{}",
                    ctx.t(
                        "没有按公布规则无法区分的并列",
                        "no ties left open by the published chain"
                    )
                );
            }
            for g in &s.round.ranking.ties {
                let at_cut = s.undecided_ties.contains(&g.codes);
                println!(
                    "  {} {}  {}{}",
                    ctx.t("第", "from rank"),
                    g.first_rank,
                    g.codes.join(" = "),
                    match (g.decided, at_cut) {
                        (true, _) => ctx.t("（部里已决定）", " (decided by the ministry)"),
                        (false, true) => ctx.t(
                            "（跨越入选线或备选线：封存前须决定）",
                            " (straddles the cut or the reserve boundary: decide before sealing)"
                        ),
                        (false, false) => ctx.t("（不影响名单）", " (does not change the list)"),
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Decide { order, reason } => {
            store.decide_tie(&ctx.criteria, &actor, &order, &reason)?;
            println!(
                "{} {}",
                ctx.t("已记录部里决定的先后：", "the ministry's order recorded:"),
                order.join(" > ")
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
