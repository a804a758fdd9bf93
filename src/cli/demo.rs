//! `shifan demo [--db FILE]`: the whole sample round, labelled as demo data; all or nothing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use shifan::demo::{DEMO_PASSWORD, build_file};

use super::CliResult;
use super::session::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sample set (with experts.toml).
    #[arg(long, default_value = "sample-applications")]
    pub samples: PathBuf,
    /// Seed of the assignment and the demo scores.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(ctx: &Ctx, a: Args) -> CliResult {
    let samples = if a.samples.exists() {
        a.samples
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(&a.samples)
    };
    // Built beside the target and moved into place when complete: a failure leaves nothing.
    let s = match build_file(
        &ctx.criteria,
        &ctx.criteria_files,
        &ctx.db,
        &samples,
        a.seed,
    ) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("shifan: {}", e.text().get(ctx.lang.code()));
            return Ok(ExitCode::from(1));
        }
    };
    if ctx.en() {
        println!(
            "DEMO DATA in {} (fictitious units, demo accounts):",
            ctx.db.display()
        );
        println!(
            "  {} dossiers stored ({} batches refused for their planted defects), {} experts, {} review pairs",
            s.dossiers, s.batches_rejected, s.experts, s.pairs
        );
        println!(
            "  {} sheets submitted, {} in progress, {} not started (expert01 has work to do)",
            s.submitted, s.in_progress, s.not_started
        );
        println!(
            "  {} accounts, all with password \"{DEMO_PASSWORD}\":",
            s.accounts.len()
        );
    } else {
        println!(
            "【演示数据】已写入 {}（单位均为虚构，账号为演示账号）：",
            ctx.db.display()
        );
        println!(
            "  存入申报书 {} 份（{} 个批次因埋设问题未导入），专家 {} 名，评审对 {} 个",
            s.dossiers, s.batches_rejected, s.experts, s.pairs
        );
        println!(
            "  已提交评分表 {} 份，评分中 {} 份，未开始 {} 份（expert01 尚有待评材料）",
            s.submitted, s.in_progress, s.not_started
        );
        println!(
            "  演示账号 {} 个，密码均为 \"{DEMO_PASSWORD}\"：",
            s.accounts.len()
        );
    }
    let names: Vec<&str> = s.accounts.iter().map(|(n, _)| n.as_str()).collect();
    for chunk in names.chunks(8) {
        println!("    {}", chunk.join("  "));
    }
    Ok(ExitCode::SUCCESS)
}
