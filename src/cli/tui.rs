//! `shifan tui` and `shifan` with no subcommand: the terminal interface.

use std::path::Path;
use std::process::ExitCode;

use shifan::store::Store;
use shifan::tui::Ending;

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
    session(ctx, ctx.open()?)
}

/// `shifan` with no subcommand. On a terminal: the TUI on the default database (on one with no
/// accounts it offers, in a form, the first ministry account, or the demo round when the
/// database is empty). Without a terminal (scripts, CI): the check and import of
/// `sample-applications/` with its report.
pub fn run_default(ctx: &Ctx) -> CliResult {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        if ctx.package.is_some() {
            return Err(super::Failure::usage(
                "评分包需在终端中打开；脚本中请使用 mine、sheet、score、opinion、submit 加 --package",
                "a package opens in a terminal; in scripts use mine, sheet, score, opinion, submit with --package",
            ));
        }
        return super::import::run_default(ctx);
    }
    session(ctx, ctx.open()?)
}

/// Run the TUI until the user quits. When the first-account form asks for the demo round, the
/// TUI has closed the database; the demo is built all or nothing beside it and moved into
/// place ([`shifan::demo::build_file`]), and the TUI starts again on it.
fn session(ctx: &Ctx, store: Store) -> CliResult {
    if let Some(p) = &ctx.package {
        let user = ctx.login(&store)?;
        shifan::tui::run_as(
            store,
            ctx.criteria.clone(),
            lang(ctx.lang),
            user,
            p.file_name.clone(),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut store = store;
    loop {
        match shifan::tui::run(store, ctx.criteria.clone(), lang(ctx.lang))? {
            Ending::Quit => return Ok(ExitCode::SUCCESS),
            Ending::LoadDemo => {
                println!(
                    "{}",
                    ctx.t(
                        &format!("正在载入演示数据到 {} …", ctx.db.display()),
                        &format!("loading the demo round into {} …", ctx.db.display()),
                    )
                );
                let samples = Path::new("sample-applications");
                let samples = if samples.exists() {
                    samples.to_path_buf()
                } else {
                    Path::new(env!("CARGO_MANIFEST_DIR")).join(samples)
                };
                if let Err(e) = shifan::demo::build_file(
                    &ctx.criteria,
                    &ctx.criteria_files,
                    &ctx.db,
                    &samples,
                    1,
                ) {
                    eprintln!("shifan: {}", e.text().get(ctx.lang.code()));
                    return Ok(ExitCode::from(1));
                }
                store = Store::open(&ctx.db)?;
            }
        }
    }
}
