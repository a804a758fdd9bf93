//! `shifan validate PATH...`

use std::path::PathBuf;
use std::process::ExitCode;

use shifan::domain::Criteria;
use shifan::input::discover::DiscoverError;
use shifan::validation::validate_paths;

use super::report::{print_json, print_report};
use super::{CliResult, Failure, Format, Lang};

/// A path that cannot be used at all, as a usage error in both languages (exit code 2).
pub(super) fn discover_failure(e: DiscoverError) -> Box<dyn std::error::Error> {
    let t = e.text();
    Failure::usage(t.zh, t.en)
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder of province folders, one province folder, or dossier files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(criteria: &Criteria, args: Args, lang: Lang) -> CliResult {
    let report = validate_paths(criteria, &args.paths).map_err(discover_failure)?;
    match args.format {
        Format::Json => print_json(criteria, &report, None)?,
        Format::Text => print_report(criteria, &report, lang),
    }
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
