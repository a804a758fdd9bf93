//! The round's documents: what the store holds, put into the shapes the PDF engine prints
//! (the publicity notice, one confirmation notice per unit, one score sheet per expert).

use std::collections::BTreeMap;

use jiff::civil::Date;
use thiserror::Error;

use crate::domain::Criteria;
use crate::domain::access::User;
use crate::domain::publicity::ListEntry as Listed;
use crate::domain::working_days::Calendar;
use crate::pdf::{
    ConfirmationNotice, Contact, CriterionHeader, Fonts, GlyphWarning, ListEntry, PdfError,
    PublicityNotice, PublicityPeriod, ScoreRow, ScoreSheet, publicity_intro, render_confirmation,
    render_publicity, render_score_sheet,
};
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum DocumentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error("no working day found after {0} in the calendar")]
    NoWorkingDay(Date),
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

/// Every document of the round's phase, into `dir`: the publicity notice (a draft before a
/// list is proposed), the confirmation notices once confirmed, the score sheets once experts
/// are assigned (each with the audit head at the time of printing), and for ministry staff the
/// exports ([`crate::export::files`], as `shifan export` writes them). Files of an earlier run
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
    if phase == RoundPhase::Confirmed {
        docs.extend(confirmations(criteria, store, actor, &fonts, None)?);
    }
    docs.extend(score_sheets(criteria, store, actor, &fonts, date)?);
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
}

fn entry(criteria: &Criteria, e: &Listed) -> ListEntry {
    ListEntry {
        province_name: criteria.province_text(&e.province_key).zh,
        applicant: e.applicant.clone(),
        type_name: criteria.type_text(&e.type_id).zh,
    }
}

/// The publicity notice of the sealed list (or, with `draft`, of the current selection, marked
/// 「草稿」 on every page). Before the publicity starts, the period printed runs from `start`
/// (default: the first working day after `date`) for the round's number of working days.
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
    let (start, end) = match list.period {
        Some(p) => p,
        None => {
            let start = match start {
                Some(s) => s,
                None => calendar
                    .next_working_day(date)
                    .ok_or(DocumentError::NoWorkingDay(date))?,
            };
            let end = calendar
                .checked_add_working_days(start, days)
                .ok_or(DocumentError::NoWorkingDay(start))?;
            (start, end)
        }
    };
    let round = &criteria.round;
    let entries: Vec<ListEntry> = list.entries.iter().map(|e| entry(criteria, e)).collect();
    let c = &round.publicity_contact;
    let notice = PublicityNotice {
        title: format!("关于{}拟认定名单的公示", round.title_zh),
        intro: publicity_intro(&round.issuer.programme_doc, &round.title_zh, &entries),
        period: PublicityPeriod {
            start,
            end,
            working_days: days,
        },
        contact: Contact {
            person: c.person.clone(),
            phone: c.phone.clone(),
            address: c.address.clone(),
            postcode: c.postcode.clone(),
            email: c.email.clone(),
        },
        list_title: format!("{}拟认定名单", round.title_zh),
        entries,
        reserve_title: format!("{}备选名单（按递补顺序排列）", round.title_zh),
        reserve: list.reserve.iter().map(|e| entry(criteria, e)).collect(),
        list_hash: list.list_hash,
        audit_head: list.audit_head,
        issuer: round.issuer.name_zh.clone(),
        date,
        draft: list.draft,
    };
    let r = render_publicity(&notice, fonts)?;
    Ok(Document {
        name: if list.draft {
            "publicity-notice-draft.pdf".into()
        } else {
            "publicity-notice.pdf".into()
        },
        bytes: r.bytes,
        pages: r.pages,
        warnings: r.warnings,
    })
}

/// One confirmation notice per unit of the confirmed list, dated the confirmation day unless
/// `date` is given.
pub fn confirmations(
    criteria: &Criteria,
    store: &Store,
    actor: &User,
    fonts: &Fonts,
    date: Option<Date>,
) -> Result<Vec<Document>, DocumentError> {
    let confirmed = store.confirmed_list(actor)?;
    let confirmed_on = confirmed.confirmed_on;
    let round = &criteria.round;
    confirmed
        .entries
        .iter()
        .map(|e| {
            let printed = entry(criteria, e);
            let notice = ConfirmationNotice {
                applicant: printed.applicant,
                province_name: printed.province_name,
                type_name: printed.type_name,
                round_title: round.title_zh.clone(),
                programme_doc: round.issuer.programme_doc.clone(),
                document_number: None,
                issuer: round.issuer.name_zh.clone(),
                date: date.unwrap_or(confirmed_on),
                draft: false,
                promoted: confirmed.promoted.contains(&e.code),
                audit_head: confirmed.audit_head.clone(),
            };
            let r = render_confirmation(&notice, fonts)?;
            Ok(Document {
                name: format!("confirmation-{}.pdf", e.code),
                bytes: r.bytes,
                pages: r.pages,
                warnings: r.warnings,
            })
        })
        .collect()
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
    by_expert
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
            let sheet = ScoreSheet {
                title: format!("{}评审专家评分表", criteria.round.title_zh),
                expert_name: name,
                expert_id: id.to_string(),
                criteria: headers.clone(),
                rows,
                issuer: criteria.round.issuer.name_zh.clone(),
                date,
                draft: list.iter().any(|s| !s.submitted),
                audit_head: audit_head.clone(),
            };
            let r = render_score_sheet(&sheet, fonts)?;
            Ok(Document {
                name: format!("score-sheet-{id}.pdf"),
                bytes: r.bytes,
                pages: r.pages,
                warnings: r.warnings,
            })
        })
        .collect()
}
