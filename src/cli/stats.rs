//! `shifan rank --stats`: the review statistics (评审质量统计) in text or JSON.

use std::process::ExitCode;

use shifan::domain::access::User;
use shifan::store::Store;

use super::report::pad;
use super::session::Ctx;
use super::{CliResult, Format};

fn pad_left(s: &str, w: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    format!("{}{s}", " ".repeat(w.saturating_sub(s.width())))
}

fn figure(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{x:+.decimals$}"))
}

pub fn print(
    ctx: &Ctx,
    store: &Store,
    actor: &User,
    replicates: usize,
    seed: u64,
    format: Format,
) -> CliResult {
    let round = store.review_stats(&ctx.criteria, actor, replicates, seed)?;
    if format == Format::Json {
        super::out::json(&round)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = &round.stats;
    println!(
        "{} {}",
        ctx.t(
            "评审质量统计 · 排名输入摘要",
            "review statistics · ranking inputs hash"
        ),
        round.inputs_hash
    );
    println!();
    println!(
        "{}",
        ctx.t(
            "专家：偏差 = 与同一申报书其他专家平均总分之差的平均（负数为偏严），一致性 = 与其他专家平均分的 Pearson 相关系数",
            "experts: offset (harshness) = mean difference from the other experts' mean total on the same dossiers (negative: harsher); agreement = Pearson's r against the others' means",
        )
    );
    println!(
        "{}  {}  {}  {}  {}",
        pad(ctx.t("专家", "expert"), 6),
        pad_left(ctx.t("份数", "sh."), 4),
        pad_left(ctx.t("共评", "shr."), 4),
        pad_left(ctx.t("偏差", "offset"), 8),
        pad_left(ctx.t("一致", "agree"), 6)
    );
    for e in &s.experts {
        println!(
            "{}  {:>4}  {:>4}  {:>8}  {:>6}",
            pad(&e.expert_id, 6),
            e.sheets,
            e.shared,
            figure(e.harshness, 2),
            figure(e.agreement, 2)
        );
    }
    println!();
    println!(
        "{}{}",
        ctx.t("类型组的评分一致性：", "type panels' agreement: "),
        round.panel_method.get(ctx.lang.code())
    );
    let mut panels: Vec<_> = s.panels.iter().collect();
    panels.sort_by_key(|p| {
        ctx.criteria
            .types
            .all()
            .iter()
            .position(|t| t.id == p.type_id)
            .unwrap_or(usize::MAX)
    });
    let names: Vec<String> = panels
        .iter()
        .map(|p| {
            ctx.criteria
                .type_text(&p.type_id)
                .get(ctx.lang.code())
                .to_string()
        })
        .collect();
    let name_w = names
        .iter()
        .map(|n| unicode_width::UnicodeWidthStr::width(n.as_str()))
        .max()
        .unwrap_or(0);
    for (p, name) in panels.into_iter().zip(&names) {
        println!(
            "{}  {:>4} {}  {:>4} {}  ICC(1) {}",
            pad(name, name_w),
            p.dossiers,
            ctx.t("份申报书", "dossiers"),
            p.sheets,
            ctx.t("份评分表", "sheets"),
            p.icc1
                .map_or_else(|| "—".to_string(), |x| format!("{x:.3}"))
        );
    }
    println!();
    let uncertain: Vec<_> = s
        .intervals
        .iter()
        .filter(|r| r.crosses_cut || (r.low <= round.reserve_cut && r.high > round.reserve_cut))
        .collect();
    if ctx.en() {
        println!(
            "rank intervals ({}; {} replicates, seed {}): cut at rank {}, reserve to rank {}; {} dossiers could fall on either side",
            round.interval_method.get(ctx.lang.code()),
            s.replicates,
            s.seed,
            s.cut,
            round.reserve_cut,
            uncertain.len()
        );
    } else {
        println!(
            "排名区间（{}；{} 次重抽样，种子 {}）：入选至第 {} 名，备选至第 {} 名；{} 份申报书的区间跨越分界",
            round.interval_method.get(ctx.lang.code()),
            s.replicates,
            s.seed,
            s.cut,
            round.reserve_cut,
            uncertain.len()
        );
    }
    for r in &uncertain {
        let side = if r.crosses_cut {
            ctx.t("跨入选线", "crosses the cut")
        } else {
            ctx.t("跨备选线", "crosses the reserve line")
        };
        println!(
            "{:>4}  {}  {:>4}–{:<4}  {side}",
            r.rank,
            pad(&r.code, 10),
            r.low,
            r.high
        );
    }
    Ok(ExitCode::SUCCESS)
}
