//! `shifan package export|import|list` (ministry staff), and `--package FILE` for the expert:
//! remote scoring (函评).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use shifan::input::criteria::parse_criteria;
use shifan::pdf::{Fonts, PackageLetter, render_package_letter};

use super::session::{Ctx, PackageSession, password};
use super::{Cli, CliResult, Command, Failure, Format, Resolved};

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Issue a package to one expert: their dossiers, the rubric and type standards, their own
    /// sheets so far; prints the one-time code and writes the cover letter (PDF) beside it.
    Export {
        #[arg(long)]
        expert: String,
        /// The package file to write (e.g. E07.shifan).
        #[arg(long)]
        out: PathBuf,
        /// The cover letter with the code (default: beside the package, `…-letter.pdf`).
        #[arg(long)]
        letter: Option<PathBuf>,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Take back a package the expert returned: stored whole or not at all.
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The packages issued, with their state.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    if ctx.package.is_some() {
        return Err(not_in_package());
    }
    match cmd {
        Cmd::Export {
            expert,
            out,
            letter,
            force,
            format,
        } => export(ctx, &expert, &out, letter, force, format),
        Cmd::Import { file, format } => import(ctx, &file, format),
        Cmd::List { format } => list(ctx, format),
    }
}

fn not_in_package() -> Box<dyn std::error::Error> {
    Failure::usage(
        "使用 --package 时只能运行终端界面或 mine、sheet、score、opinion、submit",
        "with --package only the TUI and mine, sheet, score, opinion, submit run",
    )
}

fn exists_refusal(path: &Path) -> Box<dyn std::error::Error> {
    let p = shifan::terminal_text::clean(&path.display().to_string());
    Failure::usage(
        format!("{p} 已存在：请换一个文件名，或加 --force 覆盖"),
        format!("{p} exists: choose another name, or add --force to overwrite"),
    )
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::write(path, bytes).map_err(|e| {
        let p = shifan::terminal_text::clean(&path.display().to_string());
        Box::new(Failure {
            text: shifan::domain::Text::new(
                format!("无法写入 {p}：{e}"),
                format!("cannot write {p}: {e}"),
            ),
            code: 1,
        }) as Box<dyn std::error::Error>
    })
}

fn default_letter(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or_else(|| "package".into(), |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-letter.pdf"))
}

fn export(
    ctx: &Ctx,
    expert: &str,
    out: &Path,
    letter: Option<PathBuf>,
    force: bool,
    format: Format,
) -> CliResult {
    let letter = letter.unwrap_or_else(|| default_letter(out));
    for p in [out, letter.as_path()] {
        if p.exists() && !force {
            return Err(exists_refusal(p));
        }
    }
    // Fonts first: a package is not issued without the letter that carries its code.
    let fonts = Fonts::load_default()?;
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let issued = store.issue_package(&actor, &ctx.criteria_files, expert)?;
    let file_name = out
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let round = &ctx.criteria.round;
    let rendered = render_package_letter(
        &PackageLetter {
            expert_name: issued.expert_name.clone(),
            expert_id: issued.expert_id.clone(),
            file_name,
            package_id: issued.id.clone(),
            file_sha256: issued.file_sha256.clone(),
            dossiers: issued.dossiers.len(),
            code: issued.code.clone(),
            deadline: round.review_deadline,
            round_title: round.title_zh.clone(),
            issuer: round.issuer.name_zh.clone(),
            date: store.today(),
        },
        &fonts,
    )?;
    write(out, &issued.bytes)?;
    write(&letter, &rendered.bytes)?;
    if format == Format::Json {
        super::out::json(&serde_json::json!({
            "package": issued,
            "file": out.display().to_string(),
            "bytes": issued.bytes.len(),
            "letter": letter.display().to_string(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {} → {} ({} {}, {} bytes)",
        ctx.t("已下发评分包", "package issued"),
        issued.id,
        out.display(),
        issued.dossiers.len(),
        ctx.t("份申报书", "dossiers"),
        issued.bytes.len()
    );
    if ctx.en() {
        println!("one-time code: {}", issued.code);
        println!(
            "cover letter (with the code; send it apart from the package): {}",
            letter.display()
        );
    } else {
        println!("一次性验证码：{}", issued.code);
        println!("附函（含验证码，请与评分包分开寄送）：{}", letter.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn import(ctx: &Ctx, file: &Path, format: Format) -> CliResult {
    let bytes = shifan::package::read_file(file)?;
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let name = file.display().to_string();
    let back = store.return_package(&ctx.criteria, &actor, &name, bytes)?;
    if format == Format::Json {
        super::out::json(&back)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {} ({}): {} {}, {} {}, {} {}",
        ctx.t("已导入评分包", "package imported"),
        back.id,
        back.expert_id,
        back.merged.len(),
        ctx.t("张评分表已保存", "sheets stored"),
        back.submitted.len(),
        ctx.t("张已提交", "submitted"),
        back.unchanged.len(),
        ctx.t("张未改动", "unchanged"),
    );
    for code in &back.merged {
        let state = if back.submitted.contains(code) {
            ctx.t("已提交", "submitted")
        } else {
            ctx.t("评分中", "open")
        };
        println!("  {code}  {state}");
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Ctx, format: Format) -> CliResult {
    let store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let all = store.packages(&actor)?;
    if format == Format::Json {
        super::out::json(&all)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, p) in all.iter().enumerate() {
        let superseded = all[i + 1..].iter().any(|q| q.expert_id == p.expert_id);
        let state = match (&p.returned_at, superseded) {
            (Some(at), _) => format!("{} {at}", ctx.t("已导入", "imported")),
            (None, true) => ctx.t("已被取代", "superseded").to_string(),
            (None, false) => ctx.t("待发回", "out").to_string(),
        };
        println!("{}  {}  {}  {state}", p.id, p.expert_id, p.issued_at);
    }
    Ok(ExitCode::SUCCESS)
}

/// `--package FILE`: only the expert's commands run; the package is opened with its code
/// (SHIFAN_PACKAGE_CODE or a prompt) and its pinned criteria are the command's.
pub(crate) fn open_for_expert(
    cli: &Cli,
    path: &Path,
) -> Result<(Resolved, PackageSession), Box<dyn std::error::Error>> {
    let allowed = matches!(
        cli.command,
        None | Some(
            Command::Mine(_)
                | Command::Sheet(_)
                | Command::Score(_)
                | Command::Opinion(_)
                | Command::Submit(_)
                | Command::Recuse(_)
                | Command::Tui(_)
        )
    );
    if !allowed {
        return Err(not_in_package());
    }
    let code = password("一次性验证码 / one-time code: ", "SHIFAN_PACKAGE_CODE")?;
    let (store, header) = shifan::package::open(path, &code)?;
    let files = store.pinned_criteria()?;
    let criteria = parse_criteria(Path::new("(package criteria)"), &files)?;
    Ok((
        Resolved {
            criteria,
            dir: PathBuf::from("(package)"),
            files,
        },
        PackageSession {
            file_name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            header,
            code,
            store: RefCell::new(Some(store)),
        },
    ))
}
