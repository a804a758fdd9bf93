//! `shifan export --out DIR`: the ranking and selection with the full score breakdown as
//! CSV, XLSX and JSON (see [`shifan::export::files`]; the dashboard's `g` writes the same).

use std::path::PathBuf;
use std::process::ExitCode;

use shifan::export::{ExportError, files};
use shifan::out_folder::OutFolder;

use super::CliResult;
use super::session::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write ranking.csv, scores.csv, round.xlsx and round.json into: new or empty
    /// (a symbolic link is refused, and no file is ever written through one).
    #[arg(long)]
    pub out: PathBuf,
    /// Write into a folder that already holds files, replacing those of the same names.
    #[arg(long)]
    pub force: bool,
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
    let folder = OutFolder::prepare(&a.out, a.force).map_err(super::folder_failure)?;
    for f in &written {
        let path = folder
            .write(f.name, &f.bytes)
            .map_err(super::folder_failure)?;
        println!("{}  {} bytes", path.display(), f.bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}
