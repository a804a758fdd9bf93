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
        } else {
            // Without the demo no account could log in: create the first ministry account.
            match first_account(ctx, &mut store) {
                Ok(Some(name)) => println!(
                    "{}",
                    ctx.t(
                        &format!("已创建部级账号 {name}，请用它登录"),
                        &format!("ministry account {name} created: log in with it")
                    )
                ),
                Ok(None) => return Ok(ExitCode::from(1)),
                Err(e) => return Err(e),
            }
        }
    }
    shifan::tui::run(store, ctx.criteria.clone(), lang(ctx.lang))?;
    Ok(ExitCode::SUCCESS)
}

/// Ask for the first (ministry) account on the terminal: its name, and its password twice.
/// `None` when the user gives up (an empty name, or passwords that differ three times); the
/// account is created as one audited step, as `shifan user add` does.
fn first_account(
    ctx: &Ctx,
    store: &mut Store,
) -> Result<Option<String>, Box<dyn std::error::Error>> {
    println!(
        "{}",
        ctx.t(
            "不载入示例：先创建第一个部级账号（之后可用 shifan user add 添加其他账号）。直接回车放弃。",
            "No demo: create the first ministry account now (add others later with shifan user add). Enter alone gives up."
        )
    );
    print!("{}", ctx.t("账号名：", "Account name: "));
    std::io::stdout().flush()?;
    let mut name = String::new();
    std::io::stdin().lock().read_line(&mut name)?;
    let name = name.trim().to_string();
    if name.is_empty() {
        eprintln!(
            "{}",
            ctx.t(
                "shifan：未创建账号。用 shifan user add 创建第一个部级账号后再启动",
                "shifan: no account created. Create the first ministry account with shifan user add, then start again"
            )
        );
        return Ok(None);
    }
    for _ in 0..3 {
        let first = rpassword::prompt_password(ctx.t("密码：", "Password: "))?;
        let again = rpassword::prompt_password(ctx.t("再输入一次密码：", "Password again: "))?;
        if first != again {
            eprintln!(
                "{}",
                ctx.t(
                    "两次输入的密码不一致，请重新输入",
                    "the passwords differ; try again"
                )
            );
            continue;
        }
        match store.add_account(
            None,
            &name,
            &shifan::domain::access::Role::Ministry,
            &first,
            false,
        ) {
            Ok(()) => return Ok(Some(name)),
            Err(e) => {
                eprintln!("shifan: {}", e.text().get(ctx.lang.code()));
            }
        }
    }
    eprintln!(
        "{}",
        ctx.t("shifan：未创建账号", "shifan: no account created")
    );
    Ok(None)
}
