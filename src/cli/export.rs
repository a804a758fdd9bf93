//! `shifan export --out DIR`: the ranking and selection with the full score breakdown as
//! CSV, XLSX and JSON (see [`shifan::export::files`]; the dashboard's `g` writes the same).

use std::path::PathBuf;
use std::process::ExitCode;

use shifan::export::{ExportError, files};

use super::CliResult;
use super::session::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write ranking.csv, scores.csv, round.xlsx and round.json into.
    #[arg(long)]
    pub out: PathBuf,
}

/// Store refusals keep their own exit codes and messages (see `cli::refused`).
fn lift(e: ExportError) -> Box<dyn std::error::Error> {
    match e {
        ExportError::Store(s) => s,
        other => Box::new(other),
    }
}

pub fn run(ctx: &Ctx, a: Args) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let written = files(&ctx.criteria, &mut store, &actor, ctx.lang.code()).map_err(lift)?;
    std::fs::create_dir_all(&a.out)?;
    for f in &written {
        let path = a.out.join(f.name);
        std::fs::write(&path, &f.bytes)?;
        println!("{}  {} bytes", path.display(), f.bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}
