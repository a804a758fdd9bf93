//! `shifan panel open | vote | status`: the panel meeting (会评) on the borderline band.

use std::process::ExitCode;

use clap::Subcommand;
use shifan::service::PanelBand;

use super::report::pad;
use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Define the band (rank interval across the cut or the reserve line, spread flag, tied at
    /// the cut), list each dossier with why it is in, and record it in the audit log.
    Open {
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        #[arg(long, default_value_t = 500)]
        replicates: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Record the panel's vote on a dossier (passed: more for than against).
    Vote {
        #[arg(long)]
        dossier: String,
        #[arg(long = "for")]
        votes_for: usize,
        #[arg(long)]
        against: usize,
        /// What the panel said (required; recorded in the audit log).
        #[arg(long, visible_alias = "reason")]
        note: String,
    },
    /// The band and the votes recorded.
    Status {
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        #[arg(long, default_value_t = 500)]
        replicates: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

fn print(ctx: &Ctx, b: &PanelBand) {
    if ctx.en() {
        println!(
            "panel band: {} dossiers (cut at rank {}, reserve to rank {}; {} replicates, seed {}; ranking {})",
            b.entries.len(),
            b.cut,
            b.reserve_cut,
            b.replicates,
            b.seed,
            b.inputs_hash
        );
    } else {
        println!(
            "会评范围：{} 份申报书（入选至第 {} 名，备选至第 {} 名；{} 次重抽样，种子 {}；排名 {}）",
            b.entries.len(),
            b.cut,
            b.reserve_cut,
            b.replicates,
            b.seed,
            b.inputs_hash
        );
    }
    for e in &b.entries {
        let vote = b.votes.iter().rev().find(|v| v.code == e.code);
        let decided = match vote {
            Some(v) if v.votes_for > v.votes_against => format!(
                "{} {}:{}",
                ctx.t("会评通过", "passed"),
                v.votes_for,
                v.votes_against
            ),
            Some(v) => format!(
                "{} {}:{}",
                ctx.t("会评未通过", "not passed"),
                v.votes_for,
                v.votes_against
            ),
            None => ctx.t("未表决", "not voted").to_string(),
        };
        let reasons: Vec<String> = e
            .reasons
            .iter()
            .map(|r| r.text().get(ctx.lang.code()).to_string())
            .collect();
        println!(
            "{:>4}  {}  {}  {}",
            e.rank,
            pad(&e.code, 10),
            pad(&decided, 16),
            reasons.join(ctx.t("；", "; "))
        );
    }
    let outside: Vec<_> = b
        .votes
        .iter()
        .filter(|v| !b.entries.iter().any(|e| e.code == v.code))
        .collect();
    for v in outside {
        println!(
            "      {}  {} {}:{}  {}",
            pad(&v.code, 10),
            ctx.t("已表决（不在当前范围内）", "voted (not in the band now)"),
            v.votes_for,
            v.votes_against,
            v.note
        );
    }
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let open = matches!(cmd, Cmd::Open { .. });
    match cmd {
        Cmd::Open {
            seed,
            replicates,
            format,
        }
        | Cmd::Status {
            seed,
            replicates,
            format,
        } => {
            let b = if open {
                store.panel_open(&ctx.criteria, &actor, replicates, seed)?
            } else {
                store.panel_band(&ctx.criteria, &actor, replicates, seed)?
            };
            if format == Format::Json {
                super::out::json(&b)?;
            } else {
                print(ctx, &b);
            }
        }
        Cmd::Vote {
            dossier,
            votes_for,
            against,
            note,
        } => {
            store.panel_vote(&actor, &dossier, (votes_for, against), &note)?;
            let passed = votes_for > against;
            if ctx.en() {
                println!(
                    "{dossier}: {votes_for} for, {against} against — {}; the selection honours it",
                    if passed { "passed" } else { "not passed" }
                );
            } else {
                println!(
                    "{dossier}：赞成 {votes_for}，反对 {against}——{}；名单按此遴选",
                    if passed {
                        "会评通过"
                    } else {
                        "会评未通过"
                    }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
