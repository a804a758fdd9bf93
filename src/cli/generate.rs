//! `shifan generate OUT --provinces N --per-province M --seed S [--experts K]`

use std::path::PathBuf;
use std::process::ExitCode;

use shifan::domain::Criteria;

use super::CliResult;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder (created; must be empty or absent).
    pub out: PathBuf,
    /// How many reporting units (the first N of provinces.toml).
    #[arg(long, default_value_t = 37)]
    pub provinces: usize,
    /// Dossiers per reporting unit (above the round's cap, a criteria folder with the cap lifted
    /// is written beside OUT as OUT.criteria).
    #[arg(long, default_value_t = 10)]
    pub per_province: usize,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Also write OUT/experts.toml, a roster of this many fictitious experts covering every
    /// type (for `shifan experts import`, or `shifan demo --samples OUT` to score the set).
    #[arg(long)]
    pub experts: Option<usize>,
}

pub fn run(criteria: &Criteria, criteria_dir: &std::path::Path, args: Args) -> CliResult {
    let stats = shifan::generate::write_set(
        criteria,
        criteria_dir,
        &args.out,
        args.provinces,
        args.per_province,
        args.seed,
    )?;
    if let Some(n) = args.experts {
        shifan::generate::write_roster(criteria, &args.out, args.provinces, n, args.seed)?;
        println!(
            "wrote a roster of {n} experts to {}",
            args.out.join("experts.toml").display()
        );
    }
    if args.per_province > criteria.round.province_cap as usize {
        let dir = shifan::generate::lifted_criteria_dir(&args.out);
        println!(
            "more than the cap of {} per province: validate with --criteria {}",
            criteria.round.province_cap,
            dir.display()
        );
    }
    println!(
        "wrote {} submissions, {} dossiers, {} bytes to {}",
        stats.submissions,
        stats.dossiers,
        stats.bytes,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
