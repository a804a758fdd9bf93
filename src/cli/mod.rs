//! Command-line interface: one file per subcommand.

mod generate;
mod import;
mod report;
mod status;
mod tui;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use shifan::domain::Criteria;
use shifan::input::criteria::load_criteria;

/// Result of a subcommand: an exit code, or an error that is a usage problem (exit 2).
pub type CliResult = Result<ExitCode, Box<dyn std::error::Error>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// 示范 shifan: national selection of rural informatization demonstration units.
#[derive(Debug, Parser)]
#[command(name = "shifan", version, about)]
pub struct Cli {
    /// The criteria folder (provinces, types, rubric, round, holidays).
    #[arg(
        long,
        global = true,
        env = "SHIFAN_CRITERIA",
        default_value = "criteria"
    )]
    pub criteria: PathBuf,
    /// Interface language.
    #[arg(long, global = true, value_enum, default_value = "zh")]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check submissions and dossiers; writes nothing. Exit 0: no errors, 1: errors, 2: usage.
    Validate(validate::Args),
    /// Validate, then store each error-free province batch in the database.
    Import(import::Args),
    /// Show what the database holds.
    Status(status::Args),
    /// Write a large valid synthetic set of submissions (for benchmarks).
    Generate(generate::Args),
    /// Open the terminal interface (log in, review, check a province, see the round).
    Tui(tui::Args),
}

/// The criteria folder: as given, or the one shipped beside the sources when the default is
/// not found in the current folder.
pub fn criteria_dir(given: &Path) -> PathBuf {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(given);
    if !given.exists() && given.is_relative() && shipped.exists() {
        shipped
    } else {
        given.to_path_buf()
    }
}

pub fn load(given: &Path) -> Result<Criteria, Box<dyn std::error::Error>> {
    Ok(load_criteria(&criteria_dir(given))?)
}

pub fn run(cli: Cli) -> CliResult {
    let lang = cli.lang;
    match cli.command {
        Some(Command::Validate(a)) => validate::run(&load(&cli.criteria)?, a, lang),
        Some(Command::Import(a)) => import::run(&load(&cli.criteria)?, a, lang),
        Some(Command::Status(a)) => status::run(&load(&cli.criteria)?, a, lang),
        Some(Command::Generate(a)) => {
            generate::run(&load(&cli.criteria)?, &criteria_dir(&cli.criteria), a)
        }
        Some(Command::Tui(a)) => tui::run(load(&cli.criteria)?, a, lang),
        None => import::run_default(&load(&cli.criteria)?, lang),
    }
}
