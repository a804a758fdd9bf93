//! `shifan import PATH... [--db FILE] [--replace]`, and the default run on the samples.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use shifan::store::BatchOutcome;
use shifan::validation::validate_paths_compact;

use super::report::{print_import, print_json, print_report};
use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder of province folders, or province folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Replace a province's stored batch (the old one stays in history).
    #[arg(long)]
    pub replace: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(ctx: &Ctx, args: Args) -> CliResult {
    let (criteria, lang) = (&ctx.criteria, ctx.lang);
    let report =
        validate_paths_compact(criteria, &args.paths).map_err(super::validate::discover_failure)?;
    let mut store = ctx.open()?;
    let user = ctx.login_if_needed(&store)?;
    let results = store.import_pinning(
        criteria,
        &ctx.criteria_files,
        &report,
        args.replace,
        user.as_ref(),
    )?;
    match args.format {
        Format::Json => print_json(criteria, &report, Some(&results))?,
        Format::Text => {
            print_report(criteria, &report, lang);
            print_import(criteria, &results, lang);
        }
    }
    let all_in = results.iter().all(|r| {
        matches!(
            r.outcome,
            BatchOutcome::Imported { .. }
                | BatchOutcome::Replaced { .. }
                | BatchOutcome::Unchanged { .. }
        )
    });
    Ok(if all_in && report.errors() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `shifan` with no subcommand (for now): check `sample-applications/` and import it into
/// `shifan.db`, printing the report and a summary.
pub fn run_default(ctx: &Ctx) -> CliResult {
    let samples = Path::new("sample-applications");
    let samples = if samples.exists() {
        samples.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(samples)
    };
    let args = Args {
        paths: vec![samples],
        replace: false,
        format: Format::Text,
    };
    run(ctx, args)?;
    // The samples carry planted defects on purpose: showing them is the point, not a failure.
    Ok(ExitCode::SUCCESS)
}
