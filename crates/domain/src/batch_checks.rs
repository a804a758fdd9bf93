//! Checks across a batch and across the whole round: cap, agreement, duplicates.

use std::collections::HashMap;

use super::criteria::Criteria;
use super::dossier::{Dossier, Submission};
use super::finding::{Code, Finding, Text};
use super::names::{normalise_credit_code, normalise_name};
use super::text_rules::strip_invisible;

/// A dossier after its own checks, with what its province and type resolved to.
#[derive(Debug, Clone, Copy)]
pub struct CheckedDossier<'a> {
    pub dossier: &'a Dossier,
    pub province: Option<usize>,
    pub demo_type: Option<usize>,
}

/// One province's batch as the round checks see it.
#[derive(Debug, Clone)]
pub struct BatchView<'a> {
    pub folder: &'a str,
    pub submission: Option<&'a Submission>,
    /// The submission's province, resolved.
    pub province: Option<usize>,
    /// Every dossier file of the folder, readable or not (the cap counts files sent).
    pub dossier_files: &'a [String],
    pub dossiers: Vec<CheckedDossier<'a>>,
}

/// Run the checks that need more than one file. `loose` are dossier files given on their own.
pub fn check_round(
    criteria: &Criteria,
    batches: &[BatchView],
    loose: &[CheckedDossier],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let provinces = &criteria.provinces;
    let cap = criteria.round.province_cap as usize;
    let mut seen_province: HashMap<usize, &str> = HashMap::new();
    for b in batches {
        let sub_file = b.submission.map_or(b.folder, |s| s.file.as_str());
        if let Some(p) = b.province {
            let unit = provinces.get(p);
            if let Some(first) = seen_province.get(&p) {
                out.push(Finding::new(
                    Code::DupSubmission,
                    sub_file,
                    b.submission
                        .and_then(|s| s.province.as_ref().map(|l| l.pos)),
                    "province",
                    Text::new(
                        format!("{}已由 {first} 报送，同一省份只能有一份报送", unit.name),
                        format!(
                            "{} is already submitted by {first}; one submission per province",
                            unit.name_en
                        ),
                    ),
                    Text::new(
                        "合并为一个文件夹，或更正 province",
                        "merge the two folders into one, or correct province",
                    ),
                ));
            } else {
                seen_province.insert(p, sub_file);
            }
            for d in &b.dossiers {
                if let Some(q) = d.province.filter(|q| *q != p) {
                    let pos = d.dossier.province.as_ref().map(|l| l.pos);
                    out.push(Finding::new(
                        Code::ProvinceMismatch,
                        &d.dossier.file,
                        pos,
                        "province",
                        Text::new(
                            format!(
                                "申报书省份为{}，与报送函的{}不一致",
                                provinces.get(q).name,
                                unit.name
                            ),
                            format!(
                                "the dossier says {}, its submission says {}",
                                provinces.get(q).name_en,
                                unit.name_en
                            ),
                        ),
                        Text::new(
                            format!(
                                "由{}报送的申报书，province 应为「{}」",
                                unit.name, unit.name
                            ),
                            format!(
                                "a dossier sent by {} must say province = \"{}\"",
                                unit.name_en, unit.name
                            ),
                        ),
                    ));
                }
            }
        }
        if b.dossier_files.len() > cap {
            let who = b
                .province
                .map_or(b.folder, |p| provinces.get(p).name.as_str());
            let who_en = b
                .province
                .map_or(b.folder, |p| provinces.get(p).name_en.as_str());
            let files = b.dossier_files.join(", ");
            out.push(Finding::new(
                Code::Cap,
                sub_file,
                None,
                "",
                Text::new(
                    format!(
                        "{who}报送 {} 份申报书，超过每省 {cap} 个的上限：{files}",
                        b.dossier_files.len()
                    ),
                    format!(
                        "{who_en} sends {} dossiers, over the cap of {cap}: {files}",
                        b.dossier_files.len()
                    ),
                ),
                Text::new(
                    format!(
                        "省级审核后最多报送 {cap} 份；撤回 {} 份后重新报送",
                        b.dossier_files.len() - cap
                    ),
                    format!(
                        "send at most {cap} after the provincial review; withdraw {} and resubmit",
                        b.dossier_files.len() - cap
                    ),
                ),
            ));
        }
        if let Some(sent) = b.submission.and_then(|s| s.sent_on.as_ref()) {
            for d in &b.dossiers {
                let Some(r) = &d.dossier.review else {
                    continue;
                };
                let Some(on) = r.reviewed_on.filter(|on| *on > sent.value) else {
                    continue;
                };
                out.push(Finding::new(
                    Code::ReviewAfterSent,
                    &d.dossier.file,
                    r.reviewed_on_pos.or(Some(r.pos)),
                    "provincial_review.reviewed_on",
                    Text::new(
                        format!(
                            "省级审核日期 {on} 晚于报送函的报送日期 {}：报送时尚未审核",
                            sent.value
                        ),
                        format!(
                            "reviewed on {on}, after the batch was sent on {} ({sub_file}): it was sent unreviewed",
                            sent.value
                        ),
                    ),
                    Text::new(
                        "省级审核须在报送之前：核对 reviewed_on 与 submission.toml 的 sent_on",
                        "the provincial review comes before sending: check reviewed_on and sent_on in submission.toml",
                    ),
                ));
            }
        }
        let mut ranks: HashMap<i64, &str> = HashMap::new();
        for d in &b.dossiers {
            let Some(r) = &d.dossier.provincial_rank else {
                continue;
            };
            if let Some(first) = ranks.get(&r.value) {
                out.push(Finding::new(
                    Code::RankDup,
                    &d.dossier.file,
                    Some(r.pos),
                    "provincial_rank",
                    Text::new(
                        format!("推荐次序 {} 与 {first} 重复", r.value),
                        format!("provincial_rank {} is also used by {first}", r.value),
                    ),
                    Text::new(
                        "同一报送内推荐次序不能重复：1、2、3……",
                        "ranks must be unique within a submission: 1, 2, 3, ...",
                    ),
                ));
            } else {
                ranks.insert(r.value, &d.dossier.file);
            }
        }
    }
    let all: Vec<&Dossier> = batches
        .iter()
        .flat_map(|b| b.dossiers.iter().map(|d| d.dossier))
        .chain(loose.iter().map(|d| d.dossier))
        .collect();
    duplicates(&all, &mut out);
    out
}

fn duplicates(all: &[&Dossier], out: &mut Vec<Finding>) {
    let mut by_name: HashMap<String, Vec<&Dossier>> = HashMap::new();
    let mut by_code: HashMap<String, Vec<&Dossier>> = HashMap::new();
    for d in all {
        if let Some(n) = &d.applicant.name {
            let key = normalise_name(&n.value);
            if !key.is_empty() {
                by_name.entry(key).or_default().push(d);
            }
        }
        if let Some(c) = &d.applicant.credit_code {
            let key = normalise_credit_code(&c.value);
            if !key.is_empty() {
                by_code.entry(key).or_default().push(d);
            }
        }
    }
    let mut groups: Vec<(bool, Vec<&Dossier>)> = by_name
        .into_values()
        .map(|g| (true, g))
        .chain(by_code.into_values().map(|g| (false, g)))
        .filter(|(_, g)| g.len() > 1)
        .collect();
    groups.sort_by(|a, b| a.1[0].file.cmp(&b.1[0].file));
    for (is_name, group) in groups {
        for d in &group {
            let others = group
                .iter()
                .filter(|o| o.file != d.file)
                .map(|o| o.file.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let f = if is_name {
                // Grouped by name, so the name is there; skip rather than panic regardless.
                let Some(n) = d.applicant.name.as_ref() else {
                    continue;
                };
                Finding::new(
                    Code::DupApplicant,
                    &d.file,
                    Some(n.pos),
                    "applicant.name",
                    Text::new(
                        format!("申报单位「{}」在本轮重复申报，另见：{others}", n.value),
                        format!(
                            "applicant \"{}\" applies more than once this round; also in: {others}",
                            n.value
                        ),
                    ),
                    Text::new(
                        "同一单位只能申报一次：与相关省级农业部门协商后保留一份",
                        "a unit may apply once: agree with the other province's department which dossier stays",
                    ),
                )
            } else {
                let Some(c) = d.applicant.credit_code.as_ref() else {
                    continue;
                };
                Finding::new(
                    Code::DupCreditCode,
                    &d.file,
                    Some(c.pos),
                    "applicant.credit_code",
                    Text::new(
                        format!(
                            "统一社会信用代码 {} 在本轮重复出现，另见：{others}",
                            c.value
                        ),
                        format!(
                            "credit code {} appears more than once this round; also in: {others}",
                            c.value
                        ),
                    ),
                    Text::new(
                        "同一单位只能申报一次；如代码抄错，请按证照更正",
                        "a unit may apply once; if the code was miscopied, correct it from the licence",
                    ),
                )
            };
            out.push(f);
        }
    }
}

/// A dossier already stored for the round, as the stored-duplicate check sees it.
#[derive(Debug, Clone)]
pub struct StoredApplicant {
    pub code: String,
    /// Key of its reporting unit.
    pub province_key: String,
    /// The applicant's name as stored (display form).
    pub applicant: String,
    /// Its [`normalise_name`] as stored at its import. Rows stored before invisible characters
    /// were removed by it may still hold some: they are removed again here.
    pub applicant_norm: String,
    pub credit_code: Option<String>,
    /// The file it was imported from (its name).
    pub file: String,
}

/// Dossiers of a batch for `province_key` whose applicant (normalised name or credit code) is
/// already stored for another reporting unit: one E-DUP-STORED per match, naming the stored
/// dossier's code, its province and file, and the new file. Stored dossiers of the batch's own
/// province are not compared (a replaced batch is not a duplicate of itself).
pub fn check_against_stored(
    criteria: &Criteria,
    province_key: &str,
    dossiers: &[&Dossier],
    stored: &[StoredApplicant],
) -> Vec<Finding> {
    let mut by_name: HashMap<String, Vec<&StoredApplicant>> = HashMap::new();
    let mut by_code: HashMap<String, Vec<&StoredApplicant>> = HashMap::new();
    for s in stored.iter().filter(|s| s.province_key != province_key) {
        // Cheaper than normalising every stored name again (NFKC on every row of the round for
        // every batch). For rows stored by this version it is the identical key; for older rows
        // it differs only where a combining mark follows an invisible character.
        let n = strip_invisible(&s.applicant_norm);
        if !n.is_empty() {
            by_name.entry(n).or_default().push(s);
        }
        if let Some(c) = s.credit_code.as_deref().map(normalise_credit_code)
            && !c.is_empty()
        {
            by_code.entry(c).or_default().push(s);
        }
    }
    let unit = |key: &str| {
        criteria
            .provinces
            .by_key(key)
            .map_or((key.to_string(), key.to_string()), |(_, p)| {
                (p.name.clone(), p.name_en.clone())
            })
    };
    let mut out = Vec::new();
    for d in dossiers {
        let mut seen: Vec<&str> = Vec::new();
        let name_hits = d
            .applicant
            .name
            .as_ref()
            .map(|n| normalise_name(&n.value))
            .and_then(|n| by_name.get(&n))
            .into_iter()
            .flatten()
            .map(|s| (true, *s));
        let code_hits = d
            .applicant
            .credit_code
            .as_ref()
            .map(|c| normalise_credit_code(&c.value))
            .and_then(|c| by_code.get(&c))
            .into_iter()
            .flatten()
            .map(|s| (false, *s));
        for (by_name, s) in name_hits.chain(code_hits) {
            if seen.contains(&s.code.as_str()) {
                continue;
            }
            seen.push(&s.code);
            let (zh_unit, en_unit) = unit(&s.province_key);
            let (field, pos, what_zh, what_en) = if by_name {
                (
                    "applicant.name",
                    d.applicant.name.as_ref().map(|n| n.pos),
                    format!("申报单位「{}」", d.applicant_name()),
                    format!("applicant \"{}\"", d.applicant_name()),
                )
            } else {
                let c = d
                    .applicant
                    .credit_code
                    .as_ref()
                    .map_or("", |c| c.value.as_str());
                (
                    "applicant.credit_code",
                    d.applicant.credit_code.as_ref().map(|c| c.pos),
                    format!("统一社会信用代码 {c}"),
                    format!("credit code {c}"),
                )
            };
            out.push(Finding::new(
                Code::DupStored,
                &d.file,
                pos,
                field,
                Text::new(
                    format!(
                        "{what_zh}已由{zh_unit}申报并入库：申报书 {}（文件 {}，单位「{}」）；本文件 {} 不能再次申报",
                        s.code, s.file, s.applicant, d.file
                    ),
                    format!(
                        "{what_en} is already stored for {en_unit}: dossier {} (file {}, applicant \"{}\"); {} cannot apply again",
                        s.code, s.file, s.applicant, d.file
                    ),
                ),
                Text::new(
                    format!("同一单位只能申报一次：与{zh_unit}农业农村部门协商后保留一份，撤回另一份"),
                    format!("a unit may apply once: agree with {en_unit}'s department which dossier stays, and withdraw the other"),
                ),
            ));
        }
    }
    out
}
