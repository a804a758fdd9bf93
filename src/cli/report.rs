//! Printing a validation report: grouped by province, totals per type, then findings.

use std::collections::BTreeMap;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use shifan::domain::{Criteria, Finding};
use shifan::store::{BatchOutcome, ImportResult};
use shifan::validation::{LoadedDossier, Report};

use super::Lang;

/// Pad to a display width (CJK characters count two columns).
pub fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The display width of the longest reporting unit's name, for aligned columns (at most 24:
/// a few long English names overflow rather than widen every row).
pub fn province_width(criteria: &Criteria, lang: Lang) -> usize {
    criteria
        .provinces
        .all()
        .iter()
        .map(|p| {
            if lang == Lang::En {
                p.name_en.width()
            } else {
                p.name.width()
            }
        })
        .max()
        .unwrap_or(16)
        .min(24)
}

fn type_counts<'a>(
    criteria: &Criteria,
    dossiers: impl IntoIterator<Item = &'a LoadedDossier>,
    lang: Lang,
) -> String {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    let mut unknown = 0;
    for d in dossiers {
        match d.demo_type {
            Some(t) => *counts.entry(t).or_default() += 1,
            None => unknown += 1,
        }
    }
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(t, n)| {
            let ty = &criteria.types.all()[*t];
            format!(
                "{} {n}",
                if lang == Lang::En {
                    &ty.id
                } else {
                    &ty.name_zh
                }
            )
        })
        .collect();
    if unknown > 0 {
        parts.push(format!(
            "{} {unknown}",
            if lang == Lang::En {
                "unreadable/unknown"
            } else {
                "无法识别"
            }
        ));
    }
    parts.join(" · ")
}

fn print_finding(f: &Finding, lang: Lang) {
    let l = lang.code();
    let mark = if f.is_error() { "✗" } else { "!" };
    let field = if f.field.is_empty() {
        String::new()
    } else {
        format!("  [{}]", f.field)
    };
    println!("  {mark} {:<22} {}{field}", f.code.as_str(), f.place());
    println!("      {}", f.message.get(l));
    let label = if lang == Lang::En { "fix" } else { "修改" };
    println!("      {label}: {}", f.hint.get(l));
}

/// The human-readable report.
pub fn print_report(criteria: &Criteria, report: &Report, lang: Lang) {
    let en = lang == Lang::En;
    for b in &report.batches {
        let name = b.province.map_or_else(
            || {
                if en {
                    "(unknown province)".to_string()
                } else {
                    "（省份不明）".to_string()
                }
            },
            |p| {
                let unit = criteria.provinces.get(p);
                if en {
                    unit.name_en.clone()
                } else {
                    unit.name.clone()
                }
            },
        );
        let state = match (b.errors, en) {
            (0, false) => "可导入".to_string(),
            (0, true) => "importable".to_string(),
            (n, false) => format!("{n} 个错误，不能导入"),
            (n, true) => format!("{n} error(s): not importable"),
        };
        let count = if en {
            format!("{} dossiers", b.dossiers.len())
        } else {
            format!("{} 份", b.dossiers.len())
        };
        println!(
            "== {}  {}  {}  [{}]",
            pad(&name, province_width(criteria, lang)),
            count,
            type_counts(criteria, &b.dossiers, lang),
            state
        );
        // The batch's files once, not a search of its dossiers for every finding.
        let files: std::collections::HashSet<&str> = std::iter::once(b.folder.as_str())
            .chain(b.submission_file.iter().map(|s| s.file.as_str()))
            .chain(b.dossiers.iter().map(|d| d.file.file.as_str()))
            .collect();
        for f in report
            .findings
            .iter()
            .filter(|f| files.contains(f.file.as_str()))
        {
            print_finding(f, lang);
        }
    }
    if !report.loose.is_empty() {
        println!(
            "== {}",
            if en {
                "single dossier files"
            } else {
                "单独检查的申报书"
            }
        );
        for f in report
            .findings
            .iter()
            .filter(|f| report.loose.iter().any(|d| d.file.file == f.file))
        {
            print_finding(f, lang);
        }
    }
    for n in &report.notes {
        println!("  · {}", n.get(lang.code()));
    }
    print_summary(criteria, report, lang);
}

fn print_summary(criteria: &Criteria, report: &Report, lang: Lang) {
    let en = lang == Lang::En;
    // Counted where they are: a copy of 30,000 dossiers took longer than the printing.
    let all = || {
        report
            .batches
            .iter()
            .flat_map(|b| b.dossiers.iter())
            .chain(report.loose.iter())
    };
    let clean = report.batches.iter().filter(|b| b.importable()).count();
    println!();
    if en {
        println!(
            "Summary: {} submissions, {} dossiers ({}); {} errors, {} warnings; {} of {} batches can be imported",
            report.batches.len(),
            report.dossier_count(),
            type_counts(criteria, all(), lang),
            report.errors(),
            report.warnings(),
            clean,
            report.batches.len()
        );
    } else {
        println!(
            "汇总：{} 份报送、{} 份申报书（{}）；错误 {} 个、警告 {} 个；{} 个批次中 {} 个可导入",
            report.batches.len(),
            report.dossier_count(),
            type_counts(criteria, all(), lang),
            report.errors(),
            report.warnings(),
            report.batches.len(),
            clean
        );
    }
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *by_code.entry(f.code.as_str()).or_default() += 1;
    }
    if !by_code.is_empty() {
        let list = by_code
            .iter()
            .map(|(c, n)| format!("{c} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        println!("{} {list}", if en { "Findings:" } else { "问题：" });
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    submissions: usize,
    dossiers: usize,
    errors: usize,
    warnings: usize,
    importable_batches: Vec<&'a str>,
    findings: &'a [Finding],
    notes: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    import: Option<&'a [ImportResult]>,
}

/// The report (and import results, if any) as JSON on standard output.
pub fn print_json(
    criteria: &Criteria,
    report: &Report,
    import: Option<&[ImportResult]>,
) -> Result<(), serde_json::Error> {
    let importable = report
        .batches
        .iter()
        .filter(|b| b.importable())
        .filter_map(|b| b.province.map(|p| criteria.provinces.get(p).key.as_str()))
        .collect();
    let out = JsonReport {
        submissions: report.batches.len(),
        dossiers: report.dossier_count(),
        errors: report.errors(),
        warnings: report.warnings(),
        importable_batches: importable,
        findings: &report.findings,
        notes: report.notes.iter().map(|n| n.en.as_str()).collect(),
        import,
    };
    super::out::json(&out)?;
    Ok(())
}

/// What import did with each batch.
pub fn print_import(criteria: &Criteria, results: &[ImportResult], lang: Lang) {
    let en = lang == Lang::En;
    println!();
    println!("{}", if en { "Import:" } else { "导入结果：" });
    for r in results {
        let name = r
            .province
            .as_deref()
            .and_then(|k| criteria.provinces.by_key(k))
            .map_or(r.folder.clone(), |(_, p)| {
                if en {
                    p.name_en.clone()
                } else {
                    p.name.clone()
                }
            });
        let what = match (&r.outcome, en) {
            (BatchOutcome::Imported { dossiers, .. }, false) => format!("已导入 {dossiers} 份"),
            (BatchOutcome::Imported { dossiers, .. }, true) => {
                format!("imported, {dossiers} dossiers")
            }
            (
                BatchOutcome::Replaced {
                    dossiers, replaced, ..
                },
                false,
            ) => format!("已替换（原批次 #{replaced} 保留在历史中），{dossiers} 份"),
            (
                BatchOutcome::Replaced {
                    dossiers, replaced, ..
                },
                true,
            ) => format!("replaced (batch #{replaced} kept in history), {dossiers} dossiers"),
            (BatchOutcome::Unchanged { .. }, false) => "与库中批次相同，未改动".to_string(),
            (BatchOutcome::Unchanged { .. }, true) => {
                "same as the stored batch, left as it is".to_string()
            }
            (BatchOutcome::AlreadyImported { batch_id }, false) => {
                format!("该省已有批次 #{batch_id}，内容不同：如需替换请加 --replace")
            }
            (BatchOutcome::AlreadyImported { batch_id }, true) => format!(
                "already has batch #{batch_id} with other content: use --replace to replace it"
            ),
            // Errors found at import (against the stored round) are listed just below; the
            // others were printed with the check above.
            (BatchOutcome::Rejected { errors }, false) => {
                let at = if r.findings.is_empty() {
                    "见上"
                } else {
                    "见下"
                };
                format!("未导入：有 {errors} 个错误（{at}）")
            }
            (BatchOutcome::Rejected { errors }, true) => {
                let at = if r.findings.is_empty() {
                    "above"
                } else {
                    "below"
                };
                format!("not imported: {errors} error(s), see {at}")
            }
        };
        println!("  {}  {what}", pad(&name, province_width(criteria, lang)));
        for f in &r.findings {
            print_finding(f, lang);
        }
        if let BatchOutcome::Replaced { changes, .. } = &r.outcome {
            for c in changes.iter().filter(|c| c.change != "unchanged") {
                let kind = match (c.change.as_str(), en) {
                    ("changed", false) => "内容有变：原评分表搁置保留，由原专家重新评分",
                    ("changed", true) => {
                        "changed: sheets set aside (kept), the same experts score it again"
                    }
                    ("new", false) => "新申报单位：新编号，需分配专家（shifan assign）",
                    ("new", true) => "new applicant: new code, needs experts (shifan assign)",
                    ("returned", false) => "曾撤回的申报单位重新报送：沿用原编号",
                    ("returned", true) => "a withdrawn applicant sent again: its old code",
                    ("withdrawn", false) => "不在新批次中：撤回，评分表保留",
                    (_, false) => "撤回",
                    (_, true) => "no longer in the batch: withdrawn, sheets kept",
                };
                let sheets = if c.sheets_set_aside > 0 {
                    if en {
                        format!(" ({} sheets set aside)", c.sheets_set_aside)
                    } else {
                        format!("（搁置评分表 {} 份）", c.sheets_set_aside)
                    }
                } else {
                    String::new()
                };
                println!(
                    "      {}  {}  {kind}{sheets}",
                    pad(&c.code, 10),
                    shifan::tui::text::clean(&c.applicant)
                );
            }
            let unchanged = changes.iter().filter(|c| c.change == "unchanged").count();
            println!(
                "      {}",
                if en {
                    format!("{unchanged} dossiers unchanged, kept with their sheets")
                } else {
                    format!("{unchanged} 份申报书未变，评分表保留")
                }
            );
        }
    }
}
