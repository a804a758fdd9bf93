//! `shifan notice publicity|supplementary|confirmation|result|score-sheets|stats --out DIR`:
//! the clerk's PDFs, and the ministry's review-quality annex.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use jiff::civil::Date;
use shifan::documents::{self, Document, DocumentError};
use shifan::domain::access::User;
use shifan::pdf::Fonts;
use shifan::store::Store;

use super::CliResult;
use super::session::Ctx;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The publicity notice of the proposed (sealed) list, with the reserve list as an annex.
    Publicity {
        #[arg(long)]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing those of the same names.
        #[arg(long)]
        force: bool,
        /// Print the current selection instead, marked 「草稿」 on every page.
        #[arg(long)]
        draft: bool,
        /// Date of the notice: the day it is issued (default today).
        #[arg(long)]
        date: Option<Date>,
        /// First day of the period, before the publicity has started (default: the notice's
        /// date). A day off (weekend or holiday in holidays.toml) moves to the next working
        /// day, and the command says so.
        #[arg(long)]
        start: Option<Date>,
    },
    /// The supplementary publicity notice (补充公示) of each unit promoted after an upheld
    /// objection, with its supplementary period.
    Supplementary {
        #[arg(long)]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing those of the same names.
        #[arg(long)]
        force: bool,
        /// Date of the notices: the day they are issued (default today).
        #[arg(long)]
        date: Option<Date>,
    },
    /// The result notice (关于公布…名单的通知) of the confirmed list, with the changes since
    /// the publicity.
    Result {
        #[arg(long)]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing those of the same names.
        #[arg(long)]
        force: bool,
        /// Date of the notice: the day it is issued (default today).
        #[arg(long)]
        date: Option<Date>,
    },
    /// One confirmation notice per unit of the confirmed list.
    Confirmation {
        #[arg(long)]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing those of the same names.
        #[arg(long)]
        force: bool,
        /// Date of the notices: the day they are issued (default today).
        #[arg(long)]
        date: Option<Date>,
    },
    /// One score sheet per expert, to sign.
    ScoreSheets {
        #[arg(long)]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing those of the same names.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        date: Option<Date>,
    },
    /// The review-quality annex (评审质量统计) for the ministry: each expert's harshness and
    /// agreement, each type's ICC(1), the dossiers whose bootstrap rank interval crosses the
    /// cut or the reserve line, with the seed and replicates (ministry staff).
    Stats {
        #[arg(long)]
        out: PathBuf,
        /// Write into a folder that already holds files, replacing those of the same names.
        #[arg(long)]
        force: bool,
        /// Date printed on the annex (default today).
        #[arg(long)]
        date: Option<Date>,
        /// The bootstrap's seed (the same seed gives the same intervals).
        #[arg(long, default_value_t = shifan::service::DEFAULT_SEED)]
        seed: u64,
        /// Bootstrap replicates.
        #[arg(long, default_value_t = shifan::service::DEFAULT_REPLICATES)]
        replicates: usize,
    },
}

/// Render, write into `out` (new or empty unless `force`, never through a symbolic link) and
/// record the generation as one audit entry ([`Store::generate_documents`]).
fn generate(
    ctx: &Ctx,
    store: &mut Store,
    actor: &User,
    what: &str,
    out: &Path,
    force: bool,
    render: impl FnOnce(&mut Store) -> Result<Vec<Document>, DocumentError>,
) -> CliResult {
    let g = match store.generate_documents(actor, what, out, force, render) {
        Ok(g) => g,
        Err(DocumentError::Folder(e)) => return Err(super::folder_failure(e)),
        Err(e) => return Err(lift(e)),
    };
    for f in &g.files {
        println!(
            "{}  {} {}  {} KB",
            f.path.display(),
            f.pages,
            ctx.t("页", "pages"),
            f.bytes.div_ceil(1024)
        );
    }
    println!(
        "{}",
        ctx.t(
            &format!(
                "已生成 {} 个文件，写入 {}；记入审计日志第 {} 条",
                g.files.len(),
                g.folder.display(),
                g.audit_seq
            ),
            &format!(
                "wrote {} files into {}; recorded as audit entry {}",
                g.files.len(),
                g.folder.display(),
                g.audit_seq
            ),
        )
    );
    for w in &g.warnings {
        eprintln!("{w}");
    }
    for (name, note) in &g.notes {
        eprintln!("{name}: {}", ctx.t(&note.zh, &note.en));
    }
    Ok(if g.warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Store refusals keep their own exit codes and messages (see `cli::refused`).
fn lift(e: DocumentError) -> Box<dyn std::error::Error> {
    match e {
        DocumentError::Store(s) => Box::new(s),
        other => Box::new(other),
    }
}

// The render closures return `DocumentError` as the library functions they call do (it carries
// the store's refusals whole, with their exit codes); boxing it here alone would gain nothing.
#[allow(clippy::result_large_err)]
pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let fonts = Fonts::load_default()?;
    let c = &ctx.criteria;
    let today = store.today();
    match cmd {
        Cmd::Publicity {
            out,
            force,
            draft,
            date,
            start,
        } => {
            let what = if draft {
                "publicity-notice (draft)"
            } else {
                "publicity-notice"
            };
            generate(ctx, &mut store, &actor, what, &out, force, |s| {
                let date = date.unwrap_or(today);
                Ok(vec![documents::publicity(
                    c, s, &actor, &fonts, draft, date, start,
                )?])
            })
        }
        Cmd::Supplementary { out, force, date } => generate(
            ctx,
            &mut store,
            &actor,
            "supplementary-notices",
            &out,
            force,
            |s| documents::supplementary(c, s, &actor, &fonts, date.unwrap_or(today)),
        ),
        Cmd::Confirmation { out, force, date } => generate(
            ctx,
            &mut store,
            &actor,
            "confirmation-notices",
            &out,
            force,
            |s| documents::confirmations(c, s, &actor, &fonts, Some(date.unwrap_or(today))),
        ),
        Cmd::Result { out, force, date } => {
            generate(ctx, &mut store, &actor, "result-notice", &out, force, |s| {
                Ok(vec![documents::result(
                    c,
                    s,
                    &actor,
                    &fonts,
                    date.unwrap_or(today),
                )?])
            })
        }
        Cmd::Stats {
            out,
            force,
            date,
            seed,
            replicates,
        } => generate(
            ctx,
            &mut store,
            &actor,
            "review-stats-annex",
            &out,
            force,
            |s| {
                Ok(vec![documents::stats_annex(
                    c,
                    s,
                    &actor,
                    &fonts,
                    date.unwrap_or(today),
                    seed,
                    replicates,
                )?])
            },
        ),
        Cmd::ScoreSheets { out, force, date } => {
            generate(ctx, &mut store, &actor, "score-sheets", &out, force, |s| {
                documents::score_sheets(c, s, &actor, &fonts, date.unwrap_or(today))
            })
        }
    }
}
