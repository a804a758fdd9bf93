//! `shifan status`

use std::process::ExitCode;

use super::session::Ctx;
use super::{CliResult, Format, Lang};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(ctx: &Ctx, args: Args) -> CliResult {
    let (criteria, lang) = (&ctx.criteria, ctx.lang);
    let store = ctx.open_existing()?;
    let user = ctx.login_if_needed(&store)?;
    let status = store.status(user.as_ref())?;
    if args.format == Format::Json {
        super::out::json(&status)?;
        return Ok(ExitCode::SUCCESS);
    }
    let en = lang == Lang::En;
    let mut batches = status.batches.clone();
    batches.sort_by_key(|b| criteria.provinces.order(&b.province));
    println!(
        "{} {}  (schema {})",
        if en { "Database" } else { "数据库" },
        ctx.db.display(),
        status.schema_version
    );
    for b in &batches {
        let name = criteria
            .provinces
            .by_key(&b.province)
            .map_or(b.province.clone(), |(_, p)| {
                if en {
                    p.name_en.clone()
                } else {
                    p.name.clone()
                }
            });
        let types = b
            .types
            .iter()
            .map(|(t, n)| {
                let label = criteria.types.by_id(t).map_or(t.as_str(), |ty| {
                    if en {
                        ty.id.as_str()
                    } else {
                        ty.name_zh.as_str()
                    }
                });
                format!("{label} {n}")
            })
            .collect::<Vec<_>>()
            .join(" · ");
        println!(
            "  {}  {:>3}  {}  {}  sha256 {}",
            super::report::pad(&name, super::report::province_width(criteria, lang)),
            b.dossiers,
            b.imported_at.get(..19).unwrap_or(&b.imported_at),
            types,
            &b.content_sha256[..12]
        );
    }
    if en {
        println!(
            "{} batches, {} dossiers; {} replaced batches kept in history",
            batches.len(),
            status.dossiers,
            status.replaced_batches
        );
    } else {
        println!(
            "共 {} 个省份批次、{} 份申报书；历史中保留被替换批次 {} 个",
            batches.len(),
            status.dossiers,
            status.replaced_batches
        );
    }
    let phase = status.phase.text();
    println!(
        "{} {}",
        ctx.t("当前阶段：", "phase:"),
        phase.get(lang.code())
    );
    if let Some(d) = &status.criteria_digest {
        println!(
            "{} {d}",
            ctx.t(
                "本轮评选设置（已固定）摘要",
                "the round's pinned criteria, digest"
            )
        );
    }
    if status.withdrawn > 0 {
        println!(
            "{} {}",
            ctx.t("已撤回的申报书：", "dossiers withdrawn by their province:"),
            status.withdrawn
        );
    }
    if let Some(h) = &status.audit_head {
        println!("{} {h}", ctx.t("审计日志头", "audit head"));
    }
    Ok(ExitCode::SUCCESS)
}
