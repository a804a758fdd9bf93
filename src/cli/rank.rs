//! `shifan rank [--explain D]`, `shifan select [what-if options]`

use std::process::ExitCode;

use shifan::domain::Text;
use shifan::domain::selection::Constraints;

use unicode_width::UnicodeWidthStr;

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
    /// Review statistics instead: each expert's harshness and agreement, each type panel's
    /// ICC(1), and bootstrap rank intervals against the cut.
    #[arg(long)]
    pub stats: bool,
    /// With --stats: the bootstrap's seed (the same seed gives the same intervals).
    #[arg(long, default_value_t = shifan::service::DEFAULT_SEED, requires = "stats")]
    pub seed: u64,
    /// With --stats: bootstrap replicates.
    #[arg(long, default_value_t = shifan::service::DEFAULT_REPLICATES, requires = "stats")]
    pub replicates: usize,
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

/// The display width of a column: its widest cell or its header (CJK characters count two).
fn column_width<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> usize {
    cells
        .map(|c| c.width())
        .chain([header.width()])
        .max()
        .unwrap_or(0)
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
    if a.stats {
        return super::stats::print(ctx, &store, &actor, a.replicates, a.seed, a.format);
    }
    // The process ends after printing: freeing a large round's rows one by one (a tenth of
    // the time at 30,000 dossiers) would do nothing for anyone.
    let round = std::mem::ManuallyDrop::new(store.ranking(&ctx.criteria, &actor)?);
    let ranking = &round.ranking;
    if a.format == Format::Json {
        super::out::json(&*round)?;
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
    // Columns as wide as the widest name shown (display width: a CJK character is two
    // columns), so long names such as 新疆生产建设兵团 keep the rows in line.
    let rows: Vec<_> = ranking
        .rows
        .iter()
        .take(a.top.unwrap_or(usize::MAX))
        .map(|r| {
            (
                r,
                province_name(ctx, &r.province_key),
                type_text(ctx, &r.type_id).get(ctx.lang.code()).to_string(),
            )
        })
        .collect();
    let (h_code, h_prov, h_type) = (
        ctx.t("编号", "dossier"),
        ctx.t("省份", "province"),
        ctx.t("类型", "type"),
    );
    let code_w = column_width(h_code, rows.iter().map(|(r, _, _)| r.code.as_str()));
    let prov_w = column_width(h_prov, rows.iter().map(|(_, p, _)| p.as_str()));
    let type_w = column_width(h_type, rows.iter().map(|(_, _, t)| t.as_str()));
    let figures = [
        ctx.t("去极值均分", "trimmed"),
        ctx.t("标准化值", "standard."),
        ctx.t("极差", "spread"),
        ctx.t("份数", "sh."),
        ctx.t("推荐", "rec."),
    ];
    let [w_mean, w_std, w_spread, w_sheets, w_rec] = [
        figures[0].width().max(8),
        figures[1].width().max(8),
        figures[2].width().max(5),
        figures[3].width().max(2),
        figures[4].width().max(2),
    ];
    let right = |s: &str, w: usize| format!("{}{s}", " ".repeat(w.saturating_sub(s.width())));
    println!(
        "{}  {}  {}  {}  {}  {}  {}  {} {}   {}",
        ctx.t("名次", "rank"),
        pad(h_code, code_w),
        pad(h_prov, prov_w),
        pad(h_type, type_w),
        right(figures[0], w_mean),
        right(figures[1], w_std),
        right(figures[2], w_spread + 1),
        right(figures[3], w_sheets),
        right(figures[4], w_rec + 1),
        ctx.t("申报单位", "applicant")
    );
    for (r, province, ty) in &rows {
        println!(
            "{:>4}  {}  {}  {}  {:>w_mean$.2}  {:>w_std$.2}  {:>w_spread$.1}{}  {:>w_sheets$}  {:>w_rec$}   {}",
            r.rank,
            pad(&r.code, code_w),
            pad(province, prov_w),
            pad(ty, type_w),
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
            let limit = shifan::domain::type_limit::parse_type_limit(&ctx.criteria.types, l)
                .map_err(|t| {
                    super::Failure::usage(
                        format!("--type-limit {}", t.zh),
                        format!("--type-limit {}", t.en),
                    )
                })?;
            c.type_limits.push(limit);
        }
    }
    Ok((c, what_if))
}

pub fn select(ctx: &Ctx, a: SelectArgs) -> CliResult {
    let (constraints, what_if) = constraints(ctx, &a)?;
    let mut store = ctx.open_existing()?;
    let actor = ctx.login(&store)?;
    // Not freed: the process ends after printing (see `rank`).
    let s = std::mem::ManuallyDrop::new(store.selection(
        &ctx.criteria,
        &actor,
        &constraints,
        !what_if,
    )?);
    if a.format == Format::Json {
        super::out::json(&*s)?;
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
    let listed: Vec<(&String, String, String)> = sel
        .selected
        .iter()
        .map(|code| {
            let r = row(code);
            (
                code,
                province_name(ctx, r.map_or("", |r| &r.province_key)),
                type_text(ctx, r.map_or("", |r| &r.type_id))
                    .get(lang)
                    .to_string(),
            )
        })
        .collect();
    let code_w = column_width("", listed.iter().map(|(c, _, _)| c.as_str()));
    let prov_w = column_width("", listed.iter().map(|(_, p, _)| p.as_str()));
    let type_w = column_width("", listed.iter().map(|(_, _, t)| t.as_str()));
    for (i, (code, province, ty)) in listed.iter().enumerate() {
        println!(
            "{:>3}. {}  {}  {}  {}",
            i + 1,
            pad(code, code_w),
            pad(province, prov_w),
            pad(ty, type_w),
            s.round.applicants.get(*code).map_or("", String::as_str)
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
