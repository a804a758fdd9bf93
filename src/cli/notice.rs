//! `shifan notice publicity|supplementary|confirmation|result|score-sheets --out DIR`: the
//! clerk's PDFs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use jiff::civil::Date;
use shifan::documents::{self, Document, DocumentError};
use shifan::out_folder::OutFolder;
use shifan::pdf::Fonts;

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
}

/// Write the documents into `out`: new or empty unless `force`, never through a symbolic link.
fn write(ctx: &Ctx, out: &Path, force: bool, docs: &[Document]) -> CliResult {
    let folder = OutFolder::prepare(out, force).map_err(super::folder_failure)?;
    let mut warned = false;
    for d in docs {
        let path = folder
            .write(&d.name, &d.bytes)
            .map_err(super::folder_failure)?;
        println!(
            "{}  {} {}  {} KB",
            path.display(),
            d.pages,
            ctx.t("页", "pages"),
            d.bytes.len().div_ceil(1024)
        );
        for w in &d.warnings {
            eprintln!("{}: {w}", d.name);
            warned = true;
        }
        for note in &d.notes {
            eprintln!("{}: {}", d.name, ctx.t(&note.zh, &note.en));
        }
    }
    Ok(if warned {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Store refusals keep their own exit codes and messages (see `cli::refused`).
fn lift(e: DocumentError) -> Box<dyn std::error::Error> {
    match e {
        DocumentError::Store(s) => Box::new(s),
        other => Box::new(other),
    }
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let fonts = Fonts::load_default()?;
    let c = &ctx.criteria;
    match cmd {
        Cmd::Publicity {
            out,
            force,
            draft,
            date,
            start,
        } => {
            let doc = documents::publicity(
                c,
                &store,
                &actor,
                &fonts,
                draft,
                date.unwrap_or_else(|| store.today()),
                start,
            )
            .map_err(lift)?;
            write(ctx, &out, force, &[doc])
        }
        Cmd::Supplementary { out, force, date } => {
            let date = date.unwrap_or_else(|| store.today());
            let docs = documents::supplementary(c, &store, &actor, &fonts, date).map_err(lift)?;
            write(ctx, &out, force, &docs)
        }
        Cmd::Confirmation { out, force, date } => {
            let date = Some(date.unwrap_or_else(|| store.today()));
            let docs = documents::confirmations(c, &store, &actor, &fonts, date).map_err(lift)?;
            write(ctx, &out, force, &docs)
        }
        Cmd::Result { out, force, date } => {
            let date = date.unwrap_or_else(|| store.today());
            let doc = documents::result(c, &store, &actor, &fonts, date).map_err(lift)?;
            write(ctx, &out, force, &[doc])
        }
        Cmd::ScoreSheets { out, force, date } => {
            let docs = documents::score_sheets(
                c,
                &store,
                &actor,
                &fonts,
                date.unwrap_or_else(|| store.today()),
            )
            .map_err(lift)?;
            write(ctx, &out, force, &docs)
        }
    }
}
