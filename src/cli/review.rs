//! The expert's sheet from the command line: `mine`, `sheet`, `score`, `opinion`, `submit`,
//! `recuse`; ministry staff's `reopen` and `progress`.

use std::process::ExitCode;

use clap::ValueEnum;
use shifan::domain::access::Role;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, clap::Args)]
pub struct MineArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct SheetArgs {
    #[arg(long)]
    pub dossier: String,
    /// Whose sheet (ministry staff); an expert sees their own.
    #[arg(long)]
    pub expert: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    #[arg(long)]
    pub dossier: String,
    /// Criterion id from criteria/rubric.toml.
    #[arg(long)]
    pub criterion: String,
    #[arg(long)]
    pub points: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, clap::Args)]
pub struct OpinionArgs {
    #[arg(long)]
    pub dossier: String,
    /// The written opinion.
    #[arg(long)]
    pub text: Option<String>,
    /// Recommend the unit or not.
    #[arg(long, value_enum)]
    pub recommend: Option<YesNo>,
}

#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    #[arg(long)]
    pub dossier: String,
}

#[derive(Debug, clap::Args)]
pub struct RecuseArgs {
    #[arg(long)]
    pub dossier: String,
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, clap::Args)]
pub struct ReopenArgs {
    #[arg(long)]
    pub dossier: String,
    #[arg(long)]
    pub expert: String,
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, clap::Args)]
pub struct ProgressArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn mine(ctx: &Ctx, a: MineArgs) -> CliResult {
    let store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let list = store.my_dossiers(&actor)?;
    if a.format == Format::Json {
        super::out::json(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    let n = ctx.criteria.rubric.criteria.len();
    let done = list.iter().filter(|d| d.submitted).count();
    println!("{} {done}/{}", ctx.t("已提交", "submitted"), list.len());
    for d in &list {
        println!(
            "{}  {:>2}/{n}  {}  {}",
            d.code,
            d.scored,
            if d.submitted {
                ctx.t("已提交", "submitted")
            } else {
                ctx.t("评分中", "open     ")
            },
            d.applicant
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn sheet(ctx: &Ctx, a: SheetArgs) -> CliResult {
    let store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let expert = match (&actor.role, a.expert) {
        (_, Some(e)) => e,
        (Role::Expert { expert_id }, None) => expert_id.clone(),
        _ => {
            return Err(super::Failure::usage(
                "请用 --expert 编号 指定专家",
                "give the expert: --expert ID",
            ));
        }
    };
    let sheet = store.sheet(&actor, &a.dossier, &expert)?;
    if a.format == Format::Json {
        super::out::json(&sheet)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rubric = &ctx.criteria.rubric;
    for c in &rubric.criteria {
        let name = if ctx.en() { &c.name_en } else { &c.name_zh };
        let p = sheet
            .points(&c.id)
            .map_or("-".to_string(), |p| p.to_string());
        println!("{}  {:>5} / {}", super::report::pad(name, 30), p, c.max);
    }
    // The sum of no points is -0.0 in floating point: shown as 0.
    println!("{} {}", ctx.t("合计", "total"), sheet.total() + 0.0);
    println!("{} {}", ctx.t("评审意见：", "opinion:"), sheet.opinion);
    println!(
        "{} {}",
        ctx.t("是否推荐：", "recommend:"),
        match sheet.recommend {
            Some(true) => ctx.t("推荐", "yes"),
            Some(false) => ctx.t("不推荐", "no"),
            None => "-",
        }
    );
    for m in sheet.missing(rubric) {
        println!("  · {}", m.text(rubric).get(ctx.lang.code()));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn score(ctx: &Ctx, a: ScoreArgs) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    store.set_score(&ctx.criteria, &actor, &a.dossier, &a.criterion, a.points)?;
    println!(
        "{} {} {} = {}",
        ctx.t("已保存", "saved"),
        a.dossier,
        a.criterion,
        a.points
    );
    Ok(ExitCode::SUCCESS)
}

pub fn opinion(ctx: &Ctx, a: OpinionArgs) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    store.set_opinion(
        &actor,
        &a.dossier,
        a.text.as_deref(),
        a.recommend.map(|r| r == YesNo::Yes),
    )?;
    println!("{} {}", ctx.t("已保存", "saved"), a.dossier);
    Ok(ExitCode::SUCCESS)
}

pub fn submit(ctx: &Ctx, a: SubmitArgs) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    store.submit(&ctx.criteria, &actor, &a.dossier)?;
    println!(
        "{} {}",
        ctx.t("已提交并锁定", "submitted and locked:"),
        a.dossier
    );
    Ok(ExitCode::SUCCESS)
}

pub fn recuse(ctx: &Ctx, a: RecuseArgs) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let out = store.recuse(&ctx.criteria, &actor, &a.dossier, &a.reason)?;
    match (&out.replacement, &out.shortfall) {
        (Some(r), _) => println!(
            "{} {}: {} -> {r}",
            ctx.t("已回避，替换专家", "recused; replacement on"),
            out.dossier,
            out.expert_id
        ),
        (None, Some(s)) => println!(
            "{} {}",
            ctx.t(
                "已回避，但无可替换专家：",
                "recused, but nobody may replace you:"
            ),
            s.get(ctx.lang.code())
        ),
        (None, None) => println!("{}", ctx.t("已回避", "recused")),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reopen(ctx: &Ctx, a: ReopenArgs) -> CliResult {
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    store.reopen(&actor, &a.dossier, &a.expert, &a.reason)?;
    println!(
        "{} {} {}",
        ctx.t("已退回评分表", "sheet reopened:"),
        a.dossier,
        a.expert
    );
    Ok(ExitCode::SUCCESS)
}

pub fn progress(ctx: &Ctx, a: ProgressArgs) -> CliResult {
    let store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let p = store.progress(&actor)?;
    if a.format == Format::Json {
        super::out::json(&p)?;
        return Ok(ExitCode::SUCCESS);
    }
    let total: usize = p.experts.iter().map(|r| r.assigned).sum();
    let done: usize = p.experts.iter().map(|r| r.submitted).sum();
    println!(
        "{} {done}/{total}",
        ctx.t("已提交评分表", "sheets submitted")
    );
    println!("{}", ctx.t("— 专家 —", "— experts —"));
    for r in &p.experts {
        println!(
            "{}  {:>3}/{:<3}{}",
            r.key,
            r.submitted,
            r.assigned,
            if r.submitted < r.assigned { " …" } else { "" }
        );
    }
    println!("{}", ctx.t("— 省份 —", "— provinces —"));
    for r in &p.provinces {
        let name = ctx
            .criteria
            .provinces
            .by_key(&r.key)
            .map_or(r.key.clone(), |(_, pr)| {
                if ctx.en() {
                    pr.name_en.clone()
                } else {
                    pr.name.clone()
                }
            });
        println!(
            "{}  {:>3}/{}",
            super::report::pad(
                &name,
                super::report::province_width(&ctx.criteria, ctx.lang)
            ),
            r.submitted,
            r.assigned
        );
    }
    Ok(ExitCode::SUCCESS)
}
