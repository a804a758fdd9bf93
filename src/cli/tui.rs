//! `shifan tui`: the terminal interface.

use std::path::PathBuf;
use std::process::ExitCode;

use shifan::domain::Criteria;
use shifan::store::Store;

use super::{CliResult, Lang};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database file (created if missing).
    #[arg(long, default_value = "shifan.db")]
    pub db: PathBuf,
}

pub fn run(criteria: Criteria, args: Args, lang: Lang) -> CliResult {
    let store = Store::open(&args.db)?;
    let lang = match lang {
        Lang::Zh => shifan::tui::Lang::Zh,
        Lang::En => shifan::tui::Lang::En,
    };
    shifan::tui::run(store, criteria, lang)?;
    Ok(ExitCode::SUCCESS)
}
