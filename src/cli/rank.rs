//! `shifan rank [--explain D]`, `shifan select [what-if options]`

use std::process::ExitCode;

use shifan::domain::Text;
use shifan::domain::selection::Constraints;

use super::report::pad;
use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, clap::Args)]
pub struct RankArgs {
    /// Print the calculation sheet of one dossier.
    #[arg(long)]
    pub explain: Option<String>,
    /// Show experts as A, B, C… (the form shown to anyone but ministry staff).
    #[arg(long)]
    pub anonymise: bool,
    /// Show only the first N rows.
    #[arg(long)]
    pub top: Option<usize>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct SelectArgs {
    /// What-if: units on the list (default: round.toml).
    #[arg(long)]
    pub target: Option<usize>,
    /// What-if: units on the reserve list.
    #[arg(long)]
    pub reserve: Option<usize>,
    /// What-if: units one province may have on the list.
    #[arg(long)]
    pub max_per_province: Option<usize>,
    /// What-if: a type's share, TYPE:MIN:MAX (either may be empty), replacing round.toml's
    /// limits; repeat for several types.
    #[arg(long = "type-limit")]
    pub type_limits: Vec<String>,
    /// Run without recording the decision (implied by any option above).
    #[arg(long)]
    pub what_if: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

fn province_name(ctx: &Ctx, key: &str) -> String {
    ctx.criteria
        .province_text(key)
        .get(ctx.lang.code())
        .to_string()
}

fn type_text(ctx: &Ctx, id: &str) -> Text {
    ctx.criteria.type_text(id)
}

pub fn rank(ctx: &Ctx, a: RankArgs) -> CliResult {
    let store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    if let Some(code) = &a.explain {
        let Some(ex) = store.explain(&ctx.criteria, &actor, code, a.anonymise)? else {
            eprintln!(
                "shifan: {} {code}",
                ctx.t("没有该申报书：", "no such dossier:")
            );
            return Ok(ExitCode::from(1));
        };
        if a.format == Format::Json {
            super::out::json(&ex)?;
        } else {
            for l in ex.lines(ctx.lang.code()) {
                println!("{l}");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let round = store.ranking(&ctx.criteria, &actor)?;
    let ranking = &round.ranking;
    if a.format == Format::Json {
        super::out::json(&round)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {}   {}",
        ctx.t("排名输入摘要", "ranking inputs hash"),
        ranking.inputs_hash,
        if ranking.rules.standardise {
            ctx.t("按标准化分排名", "ranked on standardised scores")
        } else {
            ctx.t("按去极值平均分排名", "ranked on trimmed means")
        }
    );
    println!(
        "{}",
        ctx.t(
            "名次  编号        省份          类型        去极值均分 标准化值  极差  份数 推荐  申报单位",
            "rank  dossier     province      type        trimmed   standard. spread sh. rec.  applicant"
        )
    );
    for r in ranking.rows.iter().take(a.top.unwrap_or(usize::MAX)) {
        println!(
            "{:>4}  {}  {}  {}  {:>8.2}  {:>8.2}  {:>5.1}{} {:>2}  {:>2}   {}",
            r.rank,
            pad(&r.code, 10),
            pad(&province_name(ctx, &r.province_key), 12),
            pad(
                type_text(ctx, &r.type_id).get(ctx.lang.code()),
                if ctx.en() { 21 } else { 10 }
            ),
            r.trimmed_mean,
            r.standardised,
            r.spread,
            if r.flagged { "!" } else { " " },
            r.sheets,
            r.recommend_votes,
            round.applicants.get(&r.code).map_or("", String::as_str)
        );
    }
    let flagged = ranking.rows.iter().filter(|r| r.flagged).count();
    println!(
        "{}",
        if ctx.en() {
            format!(
                "{flagged} dossiers flagged (!) for panel discussion: spread ≥ {}",
                ranking.rules.disagreement_threshold
            )
        } else {
            format!(
                "{flagged} 份申报书专家分歧较大（!，极差 ≥ {}），需专家组讨论",
                ranking.rules.disagreement_threshold
            )
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn constraints(
    ctx: &Ctx,
    a: &SelectArgs,
) -> Result<(Constraints, bool), Box<dyn std::error::Error>> {
    let mut c = Constraints::from_criteria(&ctx.criteria);
    let mut what_if = a.what_if;
    if let Some(t) = a.target {
        c.target = t;
        what_if = true;
    }
    if let Some(r) = a.reserve {
        c.reserve = r;
        what_if = true;
    }
    if let Some(m) = a.max_per_province {
        c.max_per_province = m;
        what_if = true;
    }
    if !a.type_limits.is_empty() {
        what_if = true;
        c.type_limits.clear();
        for l in &a.type_limits {
            let parts: Vec<&str> = l.split(':').collect();
            let [t, min, max] = parts[..] else {
                return Err(super::Failure::usage(
                    format!("--type-limit {l}：应写作 类型:最少:最多，例如 other::8"),
                    format!("--type-limit {l}: write TYPE:MIN:MAX, e.g. other::8"),
                ));
            };
            if ctx.criteria.types.by_id(t).is_none() {
                return Err(super::Failure::usage(
                    format!("--type-limit {l}：types.toml 中没有类型 \"{t}\""),
                    format!("--type-limit {l}: no type \"{t}\" in types.toml"),
                ));
            }
            let num = |s: &str| -> Result<Option<usize>, Box<dyn std::error::Error>> {
                if s.is_empty() {
                    Ok(None)
                } else {
                    s.parse().map(Some).map_err(|_| {
                        super::Failure::usage(
                            format!("--type-limit {l}：\"{s}\" 不是数字"),
                            format!("--type-limit {l}: \"{s}\" is not a number"),
                        )
                    })
                }
            };
            c.type_limits.push((t.to_string(), num(min)?, num(max)?));
        }
    }
    Ok((c, what_if))
}

pub fn select(ctx: &Ctx, a: SelectArgs) -> CliResult {
    let (constraints, what_if) = constraints(ctx, &a)?;
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    let s = store.selection(&ctx.criteria, &actor, &constraints, !what_if)?;
    if a.format == Format::Json {
        super::out::json(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sel = &s.selection;
    let lang = ctx.lang.code();
    if what_if {
        println!(
            "{}",
            ctx.t("【假设分析，不保存】", "[what-if: nothing recorded]")
        );
    }
    println!(
        "{}",
        if ctx.en() {
            format!(
                "selected {} of {} wanted; reserve {}; at most {} per province; ranking {}",
                sel.selected.len(),
                constraints.target,
                sel.reserve.len(),
                constraints.max_per_province,
                s.round.ranking.inputs_hash
            )
        } else {
            format!(
                "入选 {} 个（目标 {} 个）；备选 {} 个；每省最多 {} 个；排名摘要 {}",
                sel.selected.len(),
                constraints.target,
                sel.reserve.len(),
                constraints.max_per_province,
                s.round.ranking.inputs_hash
            )
        }
    );
    let row = |code: &str| s.round.ranking.row(code);
    for (i, code) in sel.selected.iter().enumerate() {
        let r = row(code);
        println!(
            "{:>3}. {}  {}  {}  {}",
            i + 1,
            pad(code, 10),
            pad(&province_name(ctx, r.map_or("", |r| &r.province_key)), 12),
            pad(type_text(ctx, r.map_or("", |r| &r.type_id)).get(lang), 10),
            s.round.applicants.get(code).map_or("", String::as_str)
        );
    }
    println!("{}", ctx.t("— 备选名单 —", "— reserve list —"));
    for (i, code) in sel.reserve.iter().enumerate() {
        println!(
            "{:>3}. {}  {}",
            i + 1,
            pad(code, 10),
            s.round.applicants.get(code).map_or("", String::as_str)
        );
    }
    // Every exclusion near the cut: ranked above the last selected unit or within 10 below.
    let last = sel
        .selected
        .iter()
        .filter_map(|c| row(c).map(|r| r.rank))
        .max()
        .unwrap_or(0);
    println!(
        "{}",
        ctx.t("— 临界未入选说明 —", "— near the cut, not selected —")
    );
    for (code, rank, why) in sel.excluded.iter().filter(|(_, r, _)| *r <= last + 10) {
        let prov = province_name(ctx, row(code).map_or("", |r| &r.province_key));
        let text = why.text(*rank, &prov, |t| type_text(ctx, t));
        println!("  {}  {}", pad(code, 10), text.get(lang));
    }
    for (t, min, got) in &sel.unmet_minimums {
        println!(
            "{}",
            if ctx.en() {
                format!("type {t}: minimum {min} not met ({got} eligible units selected)")
            } else {
                format!(
                    "类型 {}：最低 {min} 个未满足（仅 {got} 个）",
                    type_text(ctx, t).zh
                )
            }
        );
    }
    if let Some(inf) = &sel.infeasible {
        println!("{}", inf.text(|t| type_text(ctx, t)).get(lang));
    }
    let flagged = shifan::domain::sealing::flagged_near_cut(&s.round.ranking, sel);
    if !flagged.is_empty() {
        println!(
            "{}",
            ctx.t(
                "— 入选线上下10名内专家分歧较大（封存前请专家组讨论）—",
                "— flagged for disagreement within 10 places of the cut (for the panel before sealing) —"
            )
        );
        for f in &flagged {
            println!(
                "  {}  {} {}  {} {:.1}  {}",
                pad(&f.code, 10),
                ctx.t("第", "rank"),
                f.rank,
                ctx.t("极差", "spread"),
                f.spread,
                if f.selected {
                    ctx.t("入选", "selected")
                } else {
                    ctx.t("未入选", "not selected")
                }
            );
        }
    }
    for g in &s.undecided_ties {
        println!(
            "{} {}",
            ctx.t(
                "按公布规则仍并列、且决定入选或备选的申报书（封存前须由部里决定先后：shifan tie decide）：",
                "tied after the published chain, deciding the list or the reserve (the ministry decides before sealing: shifan tie decide):"
            ),
            g.join(" = ")
        );
    }
    Ok(
        if sel.selected.len() == constraints.target
            && sel.unmet_minimums.is_empty()
            && s.undecided_ties.is_empty()
        {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}
