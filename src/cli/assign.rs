//! `shifan assign`, `shifan swap`

use std::process::ExitCode;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seed of the tie-breaks: the same data and seed give the same assignment.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct SwapArgs {
    #[arg(long)]
    pub dossier: String,
    /// The expert leaving the dossier.
    #[arg(long = "out")]
    pub out: String,
    /// The expert taking the place.
    #[arg(long = "in")]
    pub into: String,
    /// Why (recorded with the change).
    #[arg(long)]
    pub reason: String,
}

pub fn run(ctx: &Ctx, args: Args) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let r = store.assign(&ctx.criteria, &actor, args.seed)?;
    if args.format == Format::Json {
        super::out::json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    let loads: Vec<usize> = r.load.iter().map(|(_, n)| *n).collect();
    let (min, max) = (
        loads.iter().min().copied().unwrap_or(0),
        loads.iter().max().copied().unwrap_or(0),
    );
    if ctx.en() {
        println!(
            "{} dossiers, {} active experts, {} per dossier (seed {}): {} pairs ({} new, {} ended, {} kept with work on them)",
            r.dossiers, r.experts, r.per_dossier, r.seed, r.pairs, r.added, r.ended, r.kept
        );
        println!(
            "load per expert: {min} to {max} dossiers; digest {}",
            r.digest
        );
    } else {
        println!(
            "申报书 {} 份，专家 {} 名，每份 {} 名（种子 {}）：共 {} 个评审对（新增 {}，撤销 {}，因已开始评分保留 {}）",
            r.dossiers, r.experts, r.per_dossier, r.seed, r.pairs, r.added, r.ended, r.kept
        );
        println!("每名专家评审 {min}–{max} 份；分配摘要 {}", r.digest);
    }
    for (e, n) in &r.load {
        print!("{e}:{n} ");
    }
    println!();
    for s in &r.shortfalls {
        println!(
            "{} {}: {}",
            ctx.t("缺专家", "short of experts"),
            s.dossier,
            s.suggestion.get(ctx.lang.code())
        );
    }
    if !r.uncovered_types.is_empty() {
        println!(
            "{} {}",
            ctx.t(
                "以下申报书无熟悉该类型的专家：",
                "no expert with the dossier's type expertise:"
            ),
            r.uncovered_types.join(", ")
        );
    }
    Ok(if r.shortfalls.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn swap(ctx: &Ctx, a: SwapArgs) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    store.swap(
        &ctx.criteria,
        &actor,
        &a.dossier,
        &a.out,
        &a.into,
        &a.reason,
    )?;
    println!(
        "{} {}: {} -> {}",
        ctx.t("已调换专家", "expert swapped on"),
        a.dossier,
        a.out,
        a.into
    );
    Ok(ExitCode::SUCCESS)
}
