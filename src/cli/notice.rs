//! `shifan notice publicity|confirmation|score-sheets --out DIR`: the clerk's PDFs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use jiff::civil::Date;
use shifan::documents::{self, Document, DocumentError};
use shifan::pdf::Fonts;

use super::CliResult;
use super::session::Ctx;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The publicity notice of the proposed (sealed) list, with the reserve list as an annex.
    Publicity {
        #[arg(long)]
        out: PathBuf,
        /// Print the current selection instead, marked 「草稿」 on every page.
        #[arg(long)]
        draft: bool,
        /// Date of the notice (default today).
        #[arg(long)]
        date: Option<Date>,
        /// First day of the period, before the publicity has started (default: the next
        /// working day).
        #[arg(long)]
        start: Option<Date>,
    },
    /// One confirmation notice per unit of the confirmed list.
    Confirmation {
        #[arg(long)]
        out: PathBuf,
        /// Date of the notices (default: the confirmation day).
        #[arg(long)]
        date: Option<Date>,
    },
    /// One score sheet per expert, to sign.
    ScoreSheets {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        date: Option<Date>,
    },
}

fn write(ctx: &Ctx, out: &PathBuf, docs: &[Document]) -> CliResult {
    std::fs::create_dir_all(out)?;
    let mut warned = false;
    for d in docs {
        let path = out.join(&d.name);
        std::fs::write(&path, &d.bytes)?;
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
            write(ctx, &out, &[doc])
        }
        Cmd::Confirmation { out, date } => {
            let docs = documents::confirmations(c, &store, &actor, &fonts, date).map_err(lift)?;
            write(ctx, &out, &docs)
        }
        Cmd::ScoreSheets { out, date } => {
            let docs = documents::score_sheets(
                c,
                &store,
                &actor,
                &fonts,
                date.unwrap_or_else(|| store.today()),
            )
            .map_err(lift)?;
            write(ctx, &out, &docs)
        }
    }
}
