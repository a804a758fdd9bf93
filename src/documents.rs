//! The round's documents: what the store holds, put into the shapes the PDF engine prints
//! (the publicity notice, one confirmation notice per unit, one score sheet per expert).

use std::collections::BTreeMap;

use jiff::civil::Date;
use thiserror::Error;

use crate::domain::Criteria;
use crate::domain::Text;
use crate::domain::access::User;
use crate::domain::publicity::ListEntry as Listed;
use crate::domain::working_days::Calendar;
use crate::pdf::{
    ConfirmationNotice, Contact, CriterionHeader, Fonts, GlyphWarning, ListEntry, PdfError,
    PublicityNotice, PublicityPeriod, ResultNotice, ScoreRow, ScoreSheet, publicity_intro,
    render_confirmations, render_publicity, render_result, render_score_sheets,
};
use crate::store::{Store, StoreError};

mod stats;
pub use stats::{FILE as STATS_ANNEX_FILE, stats_annex};

#[derive(Debug, Error)]
pub enum DocumentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error("no working day found after {0} in the calendar")]
    NoWorkingDay(Date),
    /// `notice supplementary` with no promoted unit in a supplementary period.
    #[error("no unit was promoted into a supplementary publicity: there is nothing to publish")]
    NoPromotion,
    #[error("cannot write {0}: {1}")]
    Write(String, std::io::Error),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    /// The folder or a file in it (never written through a symbolic link).
    #[error(transparent)]
    Folder(#[from] crate::out_folder::OutFolderError),
    /// The audit head moved while the documents were made: they show an older round.
    /// (printed head, head now), boxed to keep the error small.
    #[error(
        "the round changed while the documents were made (audit head {}, now {}); nothing was recorded: generate them again",
        .0.0,
        .0.1
    )]
    RoundChanged(Box<(String, String)>),
}

impl DocumentError {
    /// The failure in both languages (a store refusal keeps its own text).
    pub fn text(&self) -> crate::domain::Text {
        use crate::domain::Text;
        match self {
            DocumentError::Store(e) => e.text(),
            DocumentError::Pdf(e) => Text::new(
                format!("无法生成PDF：{e}"),
                format!("cannot make the PDF: {e}"),
            ),
            DocumentError::NoPromotion => Text::new(
                "没有经递补进入补充公示的单位，无需印发补充公示：异议成立并递补后再运行本命令",
                "no unit was promoted into a supplementary publicity, so there is nothing to \
                 publish: run this after an upheld objection has promoted a unit",
            ),
            DocumentError::NoWorkingDay(d) => Text::new(
                format!("日历中 {d} 之后没有工作日：请检查 holidays.toml"),
                format!("no working day found after {d} in the calendar: check holidays.toml"),
            ),
            DocumentError::Write(path, e) => Text::new(
                format!("无法写入 {path}：{e}"),
                format!("cannot write {path}: {e}"),
            ),
            DocumentError::Export(e) => {
                Text::new(format!("无法导出：{e}"), format!("cannot export: {e}"))
            }
            DocumentError::Folder(e) => e.text(),
            DocumentError::RoundChanged(heads) => {
                let (printed, now) = &**heads;
                Text::new(
                    format!(
                        "生成期间评选数据有变动（审计头 {printed}，现为 {now}）；未记入审计日志：请重新生成"
                    ),
                    format!(
                        "the round changed while the documents were made (audit head {printed}, now {now}); nothing was recorded: generate them again"
                    ),
                )
            }
        }
    }
}

/// What [`write_all`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub files: Vec<String>,
    /// Characters no shipped font has, one line each (also in `warnings.txt`).
    pub warnings: Vec<String>,
}

/// Every document of the round's phase, into `dir`, dated `date`: the publicity notice (a
/// draft before a list is proposed), the supplementary notices of promoted units, the
/// confirmation notices and the result notice once confirmed, the score sheets once experts
/// are assigned (each with the audit head at the time of printing), and for ministry staff the
/// review-quality annex once experts are assigned and the exports ([`crate::export::files`],
/// as `shifan export` writes them). Files of an earlier run
/// are replaced; nothing is written through a symbolic link ([`crate::out_folder`]).
pub fn write_all(
    criteria: &Criteria,
    store: &mut Store,
    actor: &User,
    dir: &std::path::Path,
    date: Date,
) -> Result<Written, DocumentError> {
    use crate::domain::access::Role;
    use crate::domain::phase::Phase as RoundPhase;
    let fonts = Fonts::load_default()?;
    let phase = store.round_phase()?;
    let proposed = matches!(
        phase,
        RoundPhase::Sealed | RoundPhase::Publicity | RoundPhase::Confirmed
    );
    let mut docs = vec![publicity(
        criteria, store, actor, &fonts, !proposed, date, None,
    )?];
    if matches!(phase, RoundPhase::Publicity | RoundPhase::Confirmed) {
        match supplementary(criteria, store, actor, &fonts, date) {
            Ok(notices) => docs.extend(notices),
            Err(DocumentError::NoPromotion) => {}
            Err(e) => return Err(e),
        }
    }
    if phase == RoundPhase::Confirmed {
        docs.extend(confirmations(criteria, store, actor, &fonts, Some(date))?);
        docs.push(result(criteria, store, actor, &fonts, date)?);
    }
    docs.extend(score_sheets(criteria, store, actor, &fonts, date)?);
    if actor.role == Role::Ministry && phase != RoundPhase::Applications {
        // The review-quality annex, with the seed `rank --stats` uses by default.
        docs.push(stats_annex(
            criteria,
            store,
            actor,
            &fonts,
            date,
            crate::service::DEFAULT_SEED,
            crate::service::DEFAULT_REPLICATES,
        )?);
    }
    let mut out = Written::default();
    // Replacing the files of an earlier run is what the dashboard's confirm popup asked for;
    // a link planted under a file's name is replaced, never written through.
    let folder = crate::out_folder::OutFolder::prepare(dir, true)?;
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), DocumentError> {
        folder.write(name, bytes)?;
        out.files.push(name.to_string());
        Ok(())
    };
    for d in &docs {
        put(&d.name, &d.bytes)?;
    }
    if actor.role == Role::Ministry {
        // The same files as `shifan export`, in Chinese.
        let files = crate::export::files(criteria, store, actor, "zh").map_err(|e| match e {
            crate::export::ExportError::Store(s) => DocumentError::Store(*s),
            other => DocumentError::Export(other),
        })?;
        for f in files {
            put(f.name, &f.bytes)?;
        }
    }
    let warnings: Vec<String> = docs
        .iter()
        .flat_map(|d| d.warnings.iter().map(move |w| format!("{}: {w}", d.name)))
        .collect();
    if !warnings.is_empty() {
        put("warnings.txt", warnings.join("\n").as_bytes())?;
    }
    out.warnings = warnings;
    Ok(out)
}

/// One produced file.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name, e.g. `publicity-notice.pdf`.
    pub name: String,
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<GlyphWarning>,
    /// What the clerk should know before issuing it (sample contacts, a start moved off a day
    /// off), in both languages.
    pub notes: Vec<Text>,
}

impl Document {
    /// A rendered PDF as the file `name`.
    fn pdf(name: String, rendered: crate::pdf::Rendered, notes: Vec<Text>) -> Self {
        Self {
            name,
            bytes: rendered.bytes,
            pages: rendered.pages,
            warnings: rendered.warnings,
            notes,
        }
    }
}

fn entry(criteria: &Criteria, e: &Listed) -> ListEntry {
    let province = criteria.province_text(&e.province_key).zh;
    let short = criteria
        .provinces
        .by_key(&e.province_key)
        .map_or_else(|| province.clone(), |(_, p)| p.short.clone());
    ListEntry {
        province_name: province,
        province_short: short,
        applicant: e.applicant.clone(),
        type_name: criteria.type_text(&e.type_id).zh,
    }
}

/// The sample contact shipped in `criteria/round.toml` (person, phone, e-mail).
const SAMPLE_CONTACT: (&str, &str, &str) = ("王明", "010-59193000", "xxhc@agri.gov.cn");

/// The contact block of the round, marked 「示例联系人」 while it still holds the shipped sample
/// details, with the warning to print.
fn contact(criteria: &Criteria, notes: &mut Vec<Text>) -> Contact {
    let c = &criteria.round.publicity_contact;
    let sample = (c.person.as_str(), c.phone.as_str(), c.email.as_str()) == SAMPLE_CONTACT;
    if sample {
        notes.push(Text::new(
            "criteria/round.toml 的 [publicity_contact] 仍是示例联系人（王明、010-59193000）：通知上已标注「示例联系人」；请填写实际联系人、电话和邮箱后重新生成",
            "[publicity_contact] in criteria/round.toml still holds the sample contact (王明, 010-59193000): the notice marks it 「示例联系人」; fill in the real person, phone and e-mail and print again",
        ));
    }
    Contact {
        person: c.person.clone(),
        phone: c.phone.clone(),
        address: c.address.clone(),
        postcode: c.postcode.clone(),
        email: c.email.clone(),
        sample,
    }
}

/// The first working day on or after `wanted`; a day off moves on, with a note.
fn working_start(
    calendar: &Calendar,
    wanted: Date,
    notes: &mut Vec<Text>,
) -> Result<Date, DocumentError> {
    let start = calendar
        .next_working_day(wanted)
        .ok_or(DocumentError::NoWorkingDay(wanted))?;
    if start != wanted {
        notes.push(Text::new(
            format!("{wanted} 不是工作日：公示期从下一个工作日 {start} 开始"),
            format!("{wanted} is not a working day: the period starts on the next one, {start}"),
        ));
    }
    Ok(start)
}

/// The publicity notice of the sealed list (or, with `draft`, of the current selection, marked
/// 「草稿」 on every page). Before the publicity starts, the period printed runs from `start`
/// (default: the notice's `date`) for the round's number of working days; a start on a day off
/// moves to the next working day (with a note).
pub fn publicity(
    criteria: &Criteria,
    store: &Store,
    actor: &User,
    fonts: &Fonts,
    draft: bool,
    date: Date,
    start: Option<Date>,
) -> Result<Document, DocumentError> {
    let list = store.print_list(criteria, actor, draft)?;
    let calendar = Calendar::new(&criteria.holidays);
    let days = criteria.round.publicity_working_days;
    let mut notes = Vec::new();
    let (start, end) = match list.period {
        Some(p) => p,
        None => {
            let start = working_start(&calendar, start.unwrap_or(date), &mut notes)?;
            let end = calendar
                .checked_add_working_days(start, days)
                .ok_or(DocumentError::NoWorkingDay(start))?;
            (start, end)
        }
    };
    let round = &criteria.round;
    let entries: Vec<ListEntry> = list.entries.iter().map(|e| entry(criteria, e)).collect();
    let contact = contact(criteria, &mut notes);
    let notice = PublicityNotice {
        title: format!("关于{}拟认定名单的公示", round.title_zh),
        intro: publicity_intro(&round.issuer.programme_doc, &round.title_zh, &entries),
        period: PublicityPeriod {
            start,
            end,
            working_days: days,
        },
        contact,
        list_title: format!("{}拟认定名单", round.title_zh),
        entries,
        reserve_title: format!("{}备选名单（按递补顺序排列）", round.title_zh),
        reserve: list.reserve.iter().map(|e| entry(criteria, e)).collect(),
        list_hash: list.list_hash,
        audit_head: list.audit_head,
        issuer: round.issuer.name_zh.clone(),
        date,
        draft: list.draft,
        supplementary: false,
    };
    let r = render_publicity(&notice, fonts)?;
    let name = if list.draft {
        "publicity-notice-draft.pdf"
    } else {
        "publicity-notice.pdf"
    };
    Ok(Document::pdf(name.into(), r, notes))
}

/// One confirmation notice per unit of the confirmed list, dated `date` (the day they are
/// issued; `None`: the confirmation day), each naming the department that recommended the
/// unit (its batch's `submission.toml`).
pub fn confirmations(
    criteria: &Criteria,
    store: &Store,
    actor: &User,
    fonts: &Fonts,
    date: Option<Date>,
) -> Result<Vec<Document>, DocumentError> {
    let confirmed = store.confirmed_list(actor)?;
    let departments = store.print_departments(actor)?;
    let confirmed_on = confirmed.confirmed_on;
    let round = &criteria.round;
    let notices: Vec<ConfirmationNotice> = confirmed
        .entries
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let printed = entry(criteria, e);
            let recommender = departments
                .get(&e.province_key)
                .filter(|d| !d.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| format!("{}农业农村主管部门", printed.province_name));
            ConfirmationNotice {
                applicant: printed.applicant,
                recommender,
                province_name: printed.province_name,
                type_name: printed.type_name,
                round_title: round.title_zh.clone(),
                programme_doc: round.issuer.programme_doc.clone(),
                document_number: Some(round.issuer.letter_number_for(round.year, index)),
                issuer: round.issuer.name_zh.clone(),
                date: date.unwrap_or(confirmed_on),
                draft: false,
                promoted: confirmed.promoted.contains(&e.code),
                audit_head: confirmed.audit_head.clone(),
            }
        })
        .collect();
    let rendered = render_confirmations(&notices, fonts)?;
    Ok(confirmed
        .entries
        .iter()
        .zip(rendered)
        .map(|(e, r)| Document::pdf(format!("confirmation-{}.pdf", e.code), r, Vec::new()))
        .collect())
}

/// One score sheet per expert with at least one current dossier.
pub fn score_sheets(
    criteria: &Criteria,
    store: &Store,
    actor: &User,
    fonts: &Fonts,
    date: Date,
) -> Result<Vec<Document>, DocumentError> {
    let (sheets, roster) = store.print_sheets(actor)?;
    let applicants = store.print_applicants(actor)?;
    let audit_head = store.audit_head()?;
    let mut by_expert: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for s in &sheets {
        by_expert.entry(s.expert_id.as_str()).or_default().push(s);
    }
    let rubric = &criteria.rubric;
    let headers: Vec<CriterionHeader> = rubric
        .criteria
        .iter()
        .map(|c| CriterionHeader {
            name: c.name_zh.clone(),
            max_points: c.max,
        })
        .collect();
    let printed: Vec<ScoreSheet> = by_expert
        .into_iter()
        .map(|(id, list)| {
            let name = roster
                .iter()
                .find(|e| e.id == id)
                .map_or(id.to_string(), |e| e.name.clone());
            let rows = list
                .iter()
                .map(|s| {
                    let scores: Vec<Option<f64>> =
                        rubric.criteria.iter().map(|c| s.points(&c.id)).collect();
                    ScoreRow {
                        code: s.dossier.clone(),
                        applicant: applicants.get(&s.dossier).cloned().unwrap_or_default(),
                        total: scores.iter().all(Option::is_some).then(|| s.total()),
                        scores,
                        comment: s.opinion.clone(),
                        recommend: s.recommend,
                    }
                })
                .collect();
            ScoreSheet {
                title: format!("{}评审专家评分表", criteria.round.title_zh),
                expert_name: name,
                expert_id: id.to_string(),
                criteria: headers.clone(),
                rows,
                issuer: criteria.round.issuer.name_zh.clone(),
                date,
                draft: list.iter().any(|s| !s.submitted),
                audit_head: audit_head.clone(),
            }
        })
        .collect();
    let rendered = render_score_sheets(&printed, fonts)?;
    Ok(printed
        .iter()
        .zip(rendered)
        .map(|(sheet, r)| {
            Document::pdf(
                format!("score-sheet-{}.pdf", sheet.expert_id),
                r,
                Vec::new(),
            )
        })
        .collect())
}

/// 「2026年8月3日至8月7日」.
fn period_zh(start: Date, end: Date) -> String {
    let end_text = if end.year() == start.year() {
        format!("{}月{}日", end.month(), end.day())
    } else {
        zh_date(end)
    };
    format!("{}至{end_text}", zh_date(start))
}

fn zh_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// 「甲、乙和丙」.
fn zh_series(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}

/// The result notice (关于公布…名单的通知) of the confirmed list, dated `date`: the list in the
/// ministry's province order as its attachment, and a paragraph with the changes since the
/// publicity (units removed after an upheld objection, units promoted after a supplementary
/// publicity).
pub fn result(
    criteria: &Criteria,
    store: &Store,
    actor: &User,
    fonts: &Fonts,
    date: Date,
) -> Result<Document, DocumentError> {
    let confirmed = store.confirmed_list(actor)?;
    let record = store.publicity_record(actor)?;
    let round = &criteria.round;
    // The standard province order: a promoted unit takes its own province's place, not the
    // removed unit's.
    let mut listed: Vec<&Listed> = confirmed.entries.iter().collect();
    listed.sort_by_key(|e| criteria.provinces.order(&e.province_key));
    let entries: Vec<ListEntry> = listed.into_iter().map(|e| entry(criteria, e)).collect();
    let mut paragraphs = Vec::new();
    let publicity = match record.main {
        Some((start, end)) => format!("公示（{}）", period_zh(start, end)),
        None => "公示".to_string(),
    };
    let first = entries
        .first()
        .map_or_else(String::new, |e| e.applicant.clone());
    paragraphs.push(format!(
        "根据{}要求，经各地申报、省级农业部门审核推荐、专家评审和{publicity}，决定认定{first}等{}个单位为{}。现将名单予以公布（见附件）。",
        round.issuer.programme_doc,
        entries.len(),
        round.title_zh
    ));
    let removed: Vec<String> = record
        .changes
        .iter()
        .map(|c| format!("「{}」", c.removed.applicant))
        .collect();
    if removed.is_empty() {
        paragraphs.push("公示期间，拟认定名单未作调整。".to_string());
    } else {
        let mut text = format!(
            "公示期间，经核实，对{}提出的异议成立，不予认定。",
            zh_series(&removed)
        );
        for c in &record.changes {
            if let Some(p) = &c.promoted {
                let period = c.supplementary.map_or_else(String::new, |(start, end)| {
                    format!("（{}）", period_zh(start, end))
                });
                text.push_str(&format!(
                    "按备选名单递补「{}」，经补充公示{period}，予以认定。",
                    p.applicant
                ));
            }
        }
        paragraphs.push(text);
    }
    paragraphs.push(
        "希望各示范单位珍惜荣誉，发挥示范带动作用；各级农业部门要加强指导和服务，认真总结推广示范单位的经验做法，推动农村信息化建设不断取得新成效。"
            .to_string(),
    );
    let notice = ResultNotice {
        title: format!("关于公布{}名单的通知", round.title_zh),
        addressee: RESULT_ADDRESSEE.to_string(),
        paragraphs,
        list_title: format!("{}名单", round.title_zh),
        entries,
        document_number: Some(round.issuer.result_number_for(round.year)),
        issuer: round.issuer.name_zh.clone(),
        date,
        audit_head: confirmed.audit_head,
    };
    let r = render_result(&notice, fonts)?;
    Ok(Document::pdf("result-notice.pdf".into(), r, Vec::new()))
}

/// 主送机关 of the result notice: the reporting units of the round.
const RESULT_ADDRESSEE: &str = "各省、自治区、直辖市及计划单列市农业农村（农牧）厅（局、委），新疆生产建设兵团农业农村局，北大荒农垦集团有限公司、广东省农垦总局";

/// One supplementary publicity notice (补充公示) per unit promoted into a supplementary period,
/// dated `date`, with its period and the same objection paragraph as the publicity notice.
pub fn supplementary(
    criteria: &Criteria,
    store: &Store,
    actor: &User,
    fonts: &Fonts,
    date: Date,
) -> Result<Vec<Document>, DocumentError> {
    let record = store.publicity_record(actor)?;
    let round = &criteria.round;
    let calendar = Calendar::new(&criteria.holidays);
    let days = round.publicity_working_days;
    let mut docs = Vec::new();
    for change in &record.changes {
        let (Some(unit), Some((start, end))) = (&change.promoted, change.supplementary) else {
            continue;
        };
        let mut notes = Vec::new();
        let printed = entry(criteria, unit);
        let main = record.main.map_or_else(String::new, |(start, end)| {
            format!("于{}", period_zh(start, end))
        });
        let intro = vec![format!(
            "根据{}要求，我司{main}对{}拟认定名单进行了公示。经核实，对「{}」提出的异议成立，不予认定。按备选名单递补顺序，拟认定「{}」为{}。现予以补充公示。",
            round.issuer.programme_doc,
            round.title_zh,
            change.removed.applicant,
            printed.applicant,
            round.title_zh
        )];
        let working_days = match calendar.working_days_between(start, end) {
            0 => days,
            n => n,
        };
        let notice = PublicityNotice {
            title: format!("关于{}递补单位的补充公示", round.title_zh),
            intro,
            period: PublicityPeriod {
                start,
                end,
                working_days,
            },
            contact: contact(criteria, &mut notes),
            list_title: format!("{}递补单位名单", round.title_zh),
            entries: vec![printed],
            reserve_title: String::new(),
            reserve: Vec::new(),
            list_hash: record.list_hash.clone().unwrap_or_default(),
            audit_head: record.audit_head.clone(),
            issuer: round.issuer.name_zh.clone(),
            date,
            draft: false,
            supplementary: true,
        };
        let r = render_publicity(&notice, fonts)?;
        docs.push(Document::pdf(
            format!("supplementary-notice-{}.pdf", unit.code),
            r,
            notes,
        ));
    }
    if docs.is_empty() {
        return Err(DocumentError::NoPromotion);
    }
    Ok(docs)
}
