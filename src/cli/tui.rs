//! `shifan tui` and `shifan` with no subcommand: the terminal interface.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use shifan::store::Store;

use super::session::Ctx;
use super::{CliResult, Lang};

#[derive(Debug, clap::Args)]
pub struct Args {}

fn lang(l: Lang) -> shifan::tui::Lang {
    match l {
        Lang::Zh => shifan::tui::Lang::Zh,
        Lang::En => shifan::tui::Lang::En,
    }
}

pub fn run(ctx: &Ctx, _args: Args) -> CliResult {
    let store = ctx.open()?;
    shifan::tui::run(store, ctx.criteria.clone(), lang(ctx.lang))?;
    Ok(ExitCode::SUCCESS)
}

/// `shifan` with no subcommand. On a terminal: the TUI on the default database, offering the
/// demo round first when the database is empty. Without a terminal (scripts, CI): the check
/// and import of `sample-applications/` with its report.
pub fn run_default(ctx: &Ctx) -> CliResult {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return super::import::run_default(ctx);
    }
    let mut store = ctx.open()?;
    if !store.has_accounts()? {
        print!(
            "{}",
            ctx.t(
                "数据库 为空。载入示例申报材料、专家名单、演示账号（密码 demo）和演示评分？[Y/n] ",
                "The database is empty. Load the sample applications, the roster, demo accounts (password demo) and demo scores? [Y/n] "
            )
            .replace("数据库 ", &format!("数据库 {} ", ctx.db.display()))
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !answer.trim().to_lowercase().starts_with('n') {
            let samples = Path::new("sample-applications");
            let samples = if samples.exists() {
                samples.to_path_buf()
            } else {
                Path::new(env!("CARGO_MANIFEST_DIR")).join(samples)
            };
            // All or nothing: built beside the (empty) database and moved into place.
            drop(store);
            if let Err(e) =
                shifan::demo::build_file(&ctx.criteria, &ctx.criteria_files, &ctx.db, &samples, 1)
            {
                eprintln!("shifan: {}", e.text().get(ctx.lang.code()));
                return Ok(ExitCode::from(1));
            }
            store = Store::open(&ctx.db)?;
        }
    }
    shifan::tui::run(store, ctx.criteria.clone(), lang(ctx.lang))?;
    Ok(ExitCode::SUCCESS)
}
