//! `shifan export --out DIR`: the ranking and selection with the full score breakdown as
//! CSV, XLSX and JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use shifan::domain::selection::Constraints;
use shifan::export::{ranking_table, scores_table, xlsx};

use super::CliResult;
use super::session::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write ranking.csv, scores.csv, round.xlsx and round.json into.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(ctx: &Ctx, a: Args) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let constraints = Constraints::from_criteria(&ctx.criteria);
    let selected = store.selection(&ctx.criteria, &actor, &constraints, false)?;
    let sheets = store.all_sheets(&actor)?;
    let lang = ctx.lang.code();
    let ranking = ranking_table(&ctx.criteria, &selected, lang);
    let scores = scores_table(&ctx.criteria, &sheets, lang);
    std::fs::create_dir_all(&a.out)?;
    let files = [
        ("ranking.csv", ranking.csv()?),
        ("scores.csv", scores.csv()?),
        ("round.xlsx", xlsx(&[&ranking, &scores])?),
        (
            "round.json",
            serde_json::to_vec_pretty(&serde_json::json!({
                "inputs_hash": selected.round.ranking.inputs_hash,
                "constraints": selected.constraints,
                "selected": selected.selection.selected,
                "reserve": selected.selection.reserve,
                "ranking": ranking.json(),
                "scores": scores.json(),
            }))?,
        ),
    ];
    for (name, bytes) in &files {
        let path = a.out.join(name);
        std::fs::write(&path, bytes)?;
        println!("{}  {} bytes", path.display(), bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}
