//! Command-line interface: one file per subcommand.

mod assign;
mod audit;
mod demo;
mod experts;
mod export;
mod generate;
mod import;
mod notice;
mod publicity;
mod rank;
mod report;
mod review;
mod session;
mod status;
mod tui;
mod user;
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
    /// The database file.
    #[arg(long, global = true, env = "SHIFAN_DB", default_value = "shifan.db")]
    pub db: PathBuf,
    /// The account to act as (password from SHIFAN_PASSWORD or a prompt).
    #[arg(long, global = true, env = "SHIFAN_USER")]
    pub user: Option<String>,
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
    /// Accounts: add, list, change a password.
    #[command(subcommand)]
    User(user::Cmd),
    /// The expert roster: import, list.
    #[command(subcommand)]
    Experts(experts::Cmd),
    /// Assign experts to every stored dossier (hard rules, even loads, type coverage).
    Assign(assign::Args),
    /// Replace one expert on one dossier by another, with a recorded reason.
    Swap(assign::SwapArgs),
    /// (Expert) recuse yourself from a dossier; a replacement is assigned at once.
    Recuse(review::RecuseArgs),
    /// (Expert) the dossiers assigned to you and their state.
    Mine(review::MineArgs),
    /// Show one score sheet.
    Sheet(review::SheetArgs),
    /// (Expert) enter points for one criterion; saved at once.
    Score(review::ScoreArgs),
    /// (Expert) write the opinion and/or the recommendation.
    Opinion(review::OpinionArgs),
    /// (Expert) submit and lock a sheet.
    Submit(review::SubmitArgs),
    /// (Ministry) reopen a submitted sheet, with a reason.
    Reopen(review::ReopenArgs),
    /// Review progress per expert and per province.
    Progress(review::ProgressArgs),
    /// Aggregate and rank; `--explain D` prints one dossier's calculation sheet.
    Rank(rank::RankArgs),
    /// Select the list and the reserve under the round's constraints (or a what-if).
    Select(rank::SelectArgs),
    /// Publicity: propose, start, object, resolve, confirm, status.
    #[command(subcommand)]
    Publicity(publicity::Cmd),
    /// The audit log: verify the hash chain, or list it.
    #[command(subcommand)]
    Audit(audit::Cmd),
    /// The clerk's PDFs: the publicity notice, confirmation notices, score sheets.
    #[command(subcommand)]
    Notice(notice::Cmd),
    /// Export the ranking and selection with the full score breakdown (CSV, XLSX, JSON).
    Export(export::Args),
    /// Build the whole sample round in one go (demo data, demo accounts, password `demo`).
    Demo(demo::Args),
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
    let ctx = session::Ctx {
        criteria: load(&cli.criteria)?,
        criteria_dir: criteria_dir(&cli.criteria),
        lang: cli.lang,
        db: cli.db,
        user: cli.user,
    };
    let result = match cli.command {
        Some(Command::Validate(a)) => validate::run(&ctx.criteria, a, ctx.lang),
        Some(Command::Import(a)) => import::run(&ctx, a),
        Some(Command::Status(a)) => status::run(&ctx, a),
        Some(Command::Generate(a)) => generate::run(&ctx.criteria, &ctx.criteria_dir, a),
        Some(Command::User(c)) => user::run(&ctx, c),
        Some(Command::Experts(c)) => experts::run(&ctx, c),
        Some(Command::Assign(a)) => assign::run(&ctx, a),
        Some(Command::Swap(a)) => assign::swap(&ctx, a),
        Some(Command::Recuse(a)) => review::recuse(&ctx, a),
        Some(Command::Mine(a)) => review::mine(&ctx, a),
        Some(Command::Sheet(a)) => review::sheet(&ctx, a),
        Some(Command::Score(a)) => review::score(&ctx, a),
        Some(Command::Opinion(a)) => review::opinion(&ctx, a),
        Some(Command::Submit(a)) => review::submit(&ctx, a),
        Some(Command::Reopen(a)) => review::reopen(&ctx, a),
        Some(Command::Progress(a)) => review::progress(&ctx, a),
        Some(Command::Rank(a)) => rank::rank(&ctx, a),
        Some(Command::Select(a)) => rank::select(&ctx, a),
        Some(Command::Publicity(c)) => publicity::run(&ctx, c),
        Some(Command::Audit(c)) => audit::run(&ctx, c),
        Some(Command::Demo(a)) => demo::run(&ctx, a),
        Some(Command::Export(a)) => export::run(&ctx, a),
        Some(Command::Notice(c)) => notice::run(&ctx, c),
        Some(Command::Tui(a)) => tui::run(&ctx, a),
        None => tui::run_default(&ctx),
    };
    result.or_else(|e| refused(&ctx, e))
}

/// Map a store refusal to its message in the interface language and its exit code:
/// 3 for login problems and denials, 1 for a request the rules refuse.
fn refused(ctx: &session::Ctx, e: Box<dyn std::error::Error>) -> CliResult {
    use shifan::store::StoreError as S;
    let Some(se) = e.downcast_ref::<S>() else {
        return Err(e);
    };
    let (msg, code) = match se {
        S::Denied(d) => (d.text.get(ctx.lang.code()).to_string(), 3),
        S::BadLogin => (
            ctx.t("账号或密码错误", "wrong account name or password")
                .to_string(),
            3,
        ),
        S::LoginRequired => (
            ctx.t(
                "请先登录：--user 账号（密码由提示输入或 SHIFAN_PASSWORD 提供）",
                "log in first: --user NAME (password from the prompt or SHIFAN_PASSWORD)",
            )
            .to_string(),
            3,
        ),
        S::Publicity(p) => (p.text().get(ctx.lang.code()).to_string(), 1),
        S::Invalid(m) => (m.clone(), 1),
        _ => return Err(e),
    };
    eprintln!("shifan: {msg}");
    Ok(ExitCode::from(code))
}
