//! Command-line interface: one file per subcommand.

// Every line the CLI prints goes through the terminal sanitiser (`out`): these shadow the
// standard macros in this module and every submodule declared below, so none can be forgotten.
// JSON is printed with `out::json`.
macro_rules! println {
    () => { $crate::cli::out::stdout(::std::format_args!(""), true) };
    ($($arg:tt)*) => { $crate::cli::out::stdout(::std::format_args!($($arg)*), true) };
}
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::out::stdout(::std::format_args!($($arg)*), false) };
}
macro_rules! eprintln {
    () => { $crate::cli::out::stderr(::std::format_args!(""), true) };
    ($($arg:tt)*) => { $crate::cli::out::stderr(::std::format_args!($($arg)*), true) };
}
#[allow(unused_macros)]
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::cli::out::stderr(::std::format_args!($($arg)*), false) };
}

pub mod out;

mod assign;
mod audit;
mod backup;
mod criteria;
mod demo;
mod experts;
mod export;
mod generate;
mod import;
mod login;
mod notice;
mod package;
mod panel;
mod publicity;
mod rank;
mod report;
mod review;
mod saved_session;
mod scores;
mod session;
mod stats;
mod status;
mod tie;
mod tui;
mod user;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use shifan::domain::{Criteria, Text};
use shifan::input::criteria::{criteria_differences, parse_criteria, read_criteria_files};

/// Result of a subcommand: an exit code, or an error that is a usage problem (exit 2).
pub type CliResult = Result<ExitCode, Box<dyn std::error::Error>>;

/// A failure of the command line itself, with its text in both languages and its exit code.
#[derive(Debug)]
pub struct Failure {
    pub text: Text,
    pub code: u8,
}

impl Failure {
    pub fn usage(zh: impl Into<String>, en: impl Into<String>) -> Box<dyn std::error::Error> {
        Box::new(Failure {
            text: Text::new(zh, en),
            code: 2,
        })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.text.en)
    }
}

impl std::error::Error for Failure {}

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
    /// The criteria folder (provinces, types, rubric, round, holidays; default `criteria/`).
    /// Once a round's first batch is imported its criteria are pinned in the database and used
    /// from there: a folder given here that differs is refused (`shifan criteria update DIR`
    /// changes them).
    #[arg(long, global = true, env = "SHIFAN_CRITERIA")]
    pub criteria: Option<PathBuf>,
    /// Interface language.
    #[arg(long, global = true, value_enum, default_value = "zh")]
    pub lang: Lang,
    /// The database file.
    #[arg(long, global = true, env = "SHIFAN_DB", default_value = "shifan.db")]
    pub db: PathBuf,
    /// The account to act as (password from SHIFAN_PASSWORD or a prompt).
    #[arg(long, global = true, env = "SHIFAN_USER")]
    pub user: Option<String>,
    /// (Expert) work in a scoring package (函评) instead of the database: the TUI, or `mine`,
    /// `sheet`, `score`, `opinion`, `submit`. Its one-time code from SHIFAN_PACKAGE_CODE or a
    /// prompt. The file is written again after every change.
    #[arg(long, global = true, env = "SHIFAN_PACKAGE")]
    pub package: Option<PathBuf>,
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
    /// Check the password once and keep a session (default 8 hours): later commands with
    /// --user and no SHIFAN_PASSWORD use it instead of asking.
    Login(login::Args),
    /// Delete the session `shifan login` kept for --user on this database.
    Logout,
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
    /// Paper score sheets keyed twice by clerks: store what both keyings agree on.
    #[command(subcommand)]
    Scores(scores::Cmd),
    /// (Ministry) reopen a submitted sheet, with a reason.
    Reopen(review::ReopenArgs),
    /// Review progress per expert and per province.
    Progress(review::ProgressArgs),
    /// Aggregate and rank; `--explain D` prints one dossier's calculation sheet.
    Rank(rank::RankArgs),
    /// Select the list and the reserve under the round's constraints (or a what-if).
    Select(rank::SelectArgs),
    /// Remote scoring packages (函评): issue one to an expert, import its return, list them.
    #[command(subcommand)]
    Package(package::Cmd),
    /// The panel meeting (会评): open the borderline band, record votes, show the status.
    #[command(subcommand)]
    Panel(panel::Cmd),
    /// Publicity: propose, start, object, resolve, confirm, status.
    #[command(subcommand)]
    Publicity(publicity::Cmd),
    /// The audit log: verify the chain and the data it covers, print its head, or list it.
    #[command(subcommand)]
    Audit(audit::Cmd),
    /// The round's pinned criteria: show their digest, or update them.
    #[command(subcommand)]
    Criteria(criteria::Cmd),
    /// Ties the published tie-break chain leaves open: list them, or record the ministry's order.
    #[command(subcommand)]
    Tie(tie::Cmd),
    /// The clerk's PDFs: the publicity notice, confirmation notices, score sheets.
    #[command(subcommand)]
    Notice(notice::Cmd),
    /// Export the ranking and selection with the full score breakdown (CSV, XLSX, JSON).
    Export(export::Args),
    /// Build the whole sample round in one go (demo data, demo accounts, password `demo`).
    Demo(demo::Args),
    /// Open the terminal interface (log in, review, check a province, see the round).
    Tui(tui::Args),
    /// A consistent copy of the database while others write (SQLite online backup).
    Backup(backup::Args),
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

/// The criteria a command runs with, the folder named for them, and the texts they were read
/// from.
pub(crate) struct Resolved {
    criteria: Criteria,
    dir: PathBuf,
    files: std::collections::BTreeMap<String, String>,
}

/// The criteria a command runs with: the round's pinned copy once its database has one (a
/// `--criteria` folder that differs is refused), else the folder's.
fn resolve_criteria(cli: &Cli) -> Result<Resolved, Box<dyn std::error::Error>> {
    let dir = criteria_dir(cli.criteria.as_deref().unwrap_or(Path::new("criteria")));
    let uses_db = !matches!(
        cli.command,
        Some(Command::Validate(_)) | Some(Command::Generate(_))
    );
    if uses_db && cli.db.exists() {
        let store = session::open_store(&cli.db, reads_only(&cli.command))?;
        let pinned = store.pinned_criteria()?;
        if !pinned.is_empty() {
            if cli.criteria.is_some() {
                let given = read_criteria_files(&dir)?;
                if given != pinned {
                    return Err(Box::new(shifan::store::StoreError::Refused(
                        shifan::domain::refusal::Refusal::CriteriaDiffer {
                            differences: criteria_differences(&pinned, &given, 12),
                        },
                    )));
                }
            }
            let criteria = parse_criteria(Path::new("(pinned criteria)"), &pinned)?;
            return Ok(Resolved {
                criteria,
                dir,
                files: pinned,
            });
        }
    }
    let files = read_criteria_files(&dir)?;
    let criteria = parse_criteria(&dir, &files)?;
    Ok(Resolved {
        criteria,
        dir,
        files,
    })
}

/// Commands that only read the database: it is opened read-only for them, so they also work on
/// a database in a folder the user cannot write (an export or a notice writes only its files).
fn reads_only(command: &Option<Command>) -> bool {
    use audit::Cmd as A;
    matches!(
        command,
        Some(
            Command::Status(_)
                | Command::Rank(_)
                | Command::Mine(_)
                | Command::Sheet(_)
                | Command::Progress(_)
                | Command::Export(_)
                | Command::Audit(A::Verify { .. } | A::Head | A::Log { .. })
                | Command::Experts(experts::Cmd::List { .. })
                | Command::User(user::Cmd::List { .. })
                | Command::Publicity(publicity::Cmd::Status { .. })
                | Command::Tie(tie::Cmd::List { .. })
                | Command::Criteria(criteria::Cmd::Show)
        )
    )
}

pub fn run(cli: Cli) -> CliResult {
    let lang = cli.lang;
    let read_only = reads_only(&cli.command);
    let (resolved, package) = match &cli.package {
        Some(path) => match package::open_for_expert(&cli, path) {
            Ok((r, p)) => (r, Some(p)),
            Err(e) => return refused(lang, &cli.db, e),
        },
        None => match resolve_criteria(&cli) {
            Ok(c) => (c, None),
            Err(e) => return refused(lang, &cli.db, e),
        },
    };
    let ctx = session::Ctx {
        criteria: resolved.criteria,
        criteria_dir: resolved.dir,
        criteria_files: resolved.files,
        lang,
        db: cli.db,
        user: cli.user,
        read_only,
        package,
    };
    let result = match cli.command {
        Some(Command::Validate(a)) => validate::run(&ctx.criteria, a, ctx.lang),
        Some(Command::Import(a)) => import::run(&ctx, a),
        Some(Command::Status(a)) => status::run(&ctx, a),
        Some(Command::Generate(a)) => generate::run(&ctx.criteria, &ctx.criteria_dir, a),
        Some(Command::Login(a)) => login::login(&ctx, a),
        Some(Command::Logout) => login::logout(&ctx),
        Some(Command::User(c)) => user::run(&ctx, c),
        Some(Command::Experts(c)) => experts::run(&ctx, c),
        Some(Command::Scores(c)) => scores::run(&ctx, c),
        Some(Command::Panel(c)) => panel::run(&ctx, c),
        Some(Command::Package(c)) => package::run(&ctx, c),
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
        Some(Command::Criteria(c)) => criteria::run(&ctx, c),
        Some(Command::Tie(c)) => tie::run(&ctx, c),
        Some(Command::Demo(a)) => demo::run(&ctx, a),
        Some(Command::Export(a)) => export::run(&ctx, a),
        Some(Command::Notice(c)) => notice::run(&ctx, c),
        Some(Command::Tui(a)) => tui::run(&ctx, a),
        Some(Command::Backup(a)) => backup::run(&ctx, a),
        None => tui::run_default(&ctx),
    };
    result.or_else(|e| refused(lang, &ctx.db, e))
}

/// A folder refused (exit 2: choose another, or `--force`) or a file that could not be
/// written (exit 1), with the path, in both languages.
pub fn folder_failure(e: shifan::out_folder::OutFolderError) -> Box<dyn std::error::Error> {
    Box::new(Failure {
        text: e.text(),
        code: if e.is_refusal() { 2 } else { 1 },
    })
}

/// A write refused by the file system: who may write is the deployment's decision.
fn not_writable(db: &std::path::Path) -> Text {
    let db = shifan::terminal_text::clean(&db.display().to_string());
    Text::new(
        format!(
            "不能写入数据库 {db}：本账号对该文件或其所在文件夹没有写权限。只读的命令（status、rank、export 等）仍可使用；要评分或办理，请管理员把本账号加入数据库文件夹所属的组，并以 umask 007 创建文件（见 docs/deployment.md）"
        ),
        format!(
            "cannot write the database {db}: this account may not write the file or its folder. Read-only commands (status, rank, export …) still work; to score or act, ask the administrator to add this account to the group that owns the database folder, with files created under umask 007 (see docs/deployment.md)"
        ),
    )
}

/// Map a refusal to its message in the interface language and its exit code: 3 for login
/// problems and denials, 1 for a request the rules refuse, 2 for usage.
fn refused(lang: Lang, db: &std::path::Path, e: Box<dyn std::error::Error>) -> CliResult {
    use shifan::store::StoreError as S;
    let (text, code) = if let Some(f) = e.downcast_ref::<Failure>() {
        (f.text.clone(), f.code)
    } else if let Some(se) = e.downcast_ref::<S>() {
        let code = match se {
            S::Denied(_) | S::BadLogin | S::LoginRequired | S::Session(_) => 3,
            S::Refused(_)
            | S::Publicity(_)
            | S::Corrupt(_)
            | S::BadToday(_)
            | S::TooNew { .. }
            | S::BadVersion { .. }
            | S::NeedsUpgrade { .. }
            | S::UnmergedLog(_)
            | S::PackageFile(_) => 1,
            S::Sqlite(_) | S::Password(_) => 2,
        };
        match se {
            S::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ReadOnly =>
            {
                (not_writable(db), 1)
            }
            _ => (se.text(), code),
        }
    } else if let Some(c) = e.downcast_ref::<shifan::input::criteria::CriteriaError>() {
        (c.text(), 2)
    } else if let Some(d) = e.downcast_ref::<shifan::documents::DocumentError>() {
        (d.text(), 1)
    } else if let Some(x) = e.downcast_ref::<shifan::export::ExportError>() {
        (x.text(), 1)
    } else if let Some(p) = e.downcast_ref::<shifan::pdf::PdfError>() {
        (
            Text::new(
                format!("无法生成PDF：{p}"),
                format!("cannot make the PDF: {p}"),
            ),
            1,
        )
    } else if let Some(io) = e.downcast_ref::<std::io::Error>() {
        (
            Text::new(
                format!("输入输出错误：{io}"),
                format!("input/output error: {io}"),
            ),
            1,
        )
    } else {
        return Err(e);
    };
    eprintln!("shifan: {}", text.get(lang.code()));
    Ok(ExitCode::from(code))
}
