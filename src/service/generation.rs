//! One generation of documents as one audited step, shared by `shifan notice …` and the
//! dashboard's documents tab: the documents are rendered from the round as the audit head
//! shows it, written into a folder (new or empty unless forced, never through a symbolic
//! link: [`crate::out_folder`]), and then one immediate transaction reads the head again after
//! the write lock and appends one `documents.generate` entry naming what was generated, the
//! folder, every file's SHA-256 and the head printed in the footers. Every change to the round
//! is audited, so an unchanged head means the files show the round as it is; a head that
//! moved meanwhile is refused ([`DocumentError::RoundChanged`]) and nothing is recorded.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use crate::documents::{self, Document, DocumentError};
use crate::domain::access::{Action, Role, User, check};
use crate::domain::phase::Phase;
use crate::domain::{Criteria, Text};
use crate::out_folder::OutFolder;
use crate::store::Store;
use crate::store::step::last_entry;

/// The audit action of a generation.
pub const AUDIT_ACTION: &str = "documents.generate";

/// A set of documents that is generated together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Batch {
    /// The publicity notice (a draft before a list is sealed).
    PublicityNotice,
    /// One confirmation notice per unit of the confirmed list.
    ConfirmationNotices,
    /// One score sheet per expert with a current sheet.
    ScoreSheets,
    /// The annex 评审质量统计 of `shifan notice stats` (ministry staff only, once experts are
    /// assigned).
    StatsAnnex,
    /// The data exports of `shifan export` (ministry staff only).
    Exports,
}

impl Batch {
    /// The name recorded in the audit log.
    pub fn id(self) -> &'static str {
        match self {
            Batch::PublicityNotice => "publicity-notice",
            Batch::ConfirmationNotices => "confirmation-notices",
            Batch::ScoreSheets => "score-sheets",
            Batch::StatsAnnex => "stats-annex",
            Batch::Exports => "exports",
        }
    }

    /// The name shown to the user.
    pub fn text(self, draft: bool) -> Text {
        match self {
            Batch::PublicityNotice if draft => {
                Text::new("公示通知（草稿）", "Publicity notice (draft)")
            }
            Batch::PublicityNotice => Text::new("公示通知", "Publicity notice"),
            Batch::ConfirmationNotices => Text::new("认定通知", "Confirmation notices"),
            Batch::ScoreSheets => Text::new("专家评分表", "Expert score sheets"),
            Batch::StatsAnnex => Text::new("评审质量统计", "Review statistics annex"),
            Batch::Exports => Text::new("数据导出", "Data exports"),
        }
    }
}

/// What `actor` can generate in the round's phase, in order: the publicity notice (a draft
/// until a list is sealed), the confirmation notices once confirmed, the score sheets once
/// experts are assigned, and for ministry staff the exports. Clerks get no exports.
pub fn available(store: &Store, actor: &User) -> Result<Vec<Batch>, DocumentError> {
    check(actor, &Action::PrintNotices).map_err(crate::store::StoreError::from)?;
    let phase = store.round_phase()?;
    let mut out = vec![Batch::PublicityNotice];
    if phase == Phase::Confirmed {
        out.push(Batch::ConfirmationNotices);
    }
    let sheets = store.document_counts(actor)?.sheets > 0;
    if sheets {
        out.push(Batch::ScoreSheets);
    }
    if actor.role == Role::Ministry {
        if sheets {
            out.push(Batch::StatsAnnex);
        }
        out.push(Batch::Exports);
    }
    Ok(out)
}

/// Whether the publicity notice of this phase is a draft (no list sealed yet).
pub fn publicity_is_draft(phase: Phase) -> bool {
    !matches!(phase, Phase::Sealed | Phase::Publicity | Phase::Confirmed)
}

/// Render the documents of `batches` as the dashboard makes them (dated `date`, the notice's
/// period from the next working day), in Chinese.
pub fn render(
    criteria: &Criteria,
    store: &mut Store,
    actor: &User,
    batches: &[Batch],
    date: Date,
) -> Result<Vec<Document>, DocumentError> {
    let fonts = crate::pdf::Fonts::load_default()?;
    let draft = publicity_is_draft(store.round_phase()?);
    let mut docs = Vec::new();
    for b in batches {
        match b {
            Batch::PublicityNotice => docs.push(documents::publicity(
                criteria, store, actor, &fonts, draft, date, None,
            )?),
            Batch::ConfirmationNotices => docs.extend(documents::confirmations(
                criteria, store, actor, &fonts, None,
            )?),
            Batch::ScoreSheets => docs.extend(documents::score_sheets(
                criteria, store, actor, &fonts, date,
            )?),
            Batch::StatsAnnex => docs.push(documents::stats_annex(
                criteria,
                store,
                actor,
                &fonts,
                date,
                crate::service::DEFAULT_SEED,
                crate::service::DEFAULT_REPLICATES,
            )?),
            Batch::Exports => {
                let files =
                    crate::export::files(criteria, store, actor, "zh").map_err(|e| match e {
                        crate::export::ExportError::Store(s) => DocumentError::Store(*s),
                        other => DocumentError::Export(other),
                    })?;
                docs.extend(files.into_iter().map(|f| Document {
                    name: f.name.to_string(),
                    bytes: f.bytes,
                    pages: 0,
                    warnings: Vec::new(),
                    notes: Vec::new(),
                }));
            }
        }
    }
    Ok(docs)
}

/// The names of the entries already in `folder`, sorted (none when it does not exist), for
/// the overwrite warning.
pub fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The folder as an absolute path (relative to the working folder), without resolving links.
pub fn absolute(folder: &Path) -> PathBuf {
    std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf())
}

/// One file a generation wrote.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedFile {
    /// Full path.
    pub path: PathBuf,
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
    /// Pages (0 for an export).
    pub pages: usize,
}

/// What one generation wrote and where it was recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Generation {
    /// The folder, as an absolute path.
    pub folder: PathBuf,
    pub files: Vec<GeneratedFile>,
    /// Characters no shipped font has, `FILE: …` one each (also in `warnings.txt`).
    pub warnings: Vec<String>,
    /// What the clerk should know before issuing a file (sample contacts, a start moved off a
    /// day off): the file's name and the note in both languages.
    pub notes: Vec<(String, crate::domain::Text)>,
    /// The audit head the documents print in their footers (`SEQ:HASH`).
    pub printed_head: Option<String>,
    /// The seq of the `documents.generate` entry.
    pub audit_seq: i64,
}

impl Store {
    /// Generate documents as one audited step: `render` makes them from the round as it is
    /// now, they are written into `folder` (new or empty unless `force`), and one audit entry
    /// records `what`, the folder, each file's SHA-256 and the head printed in the footers.
    /// Refused when the head moved while the documents were made (nothing is recorded then;
    /// generate again). Only those who may print notices may generate.
    pub fn generate_documents(
        &mut self,
        actor: &User,
        what: &str,
        folder: &Path,
        force: bool,
        render: impl FnOnce(&mut Store) -> Result<Vec<Document>, DocumentError>,
    ) -> Result<Generation, DocumentError> {
        check(actor, &Action::PrintNotices).map_err(crate::store::StoreError::from)?;
        let folder = absolute(folder);
        let printed = self.audit_head()?;
        let mut docs = render(self)?;
        let warnings: Vec<String> = docs
            .iter()
            .flat_map(|d| d.warnings.iter().map(move |w| format!("{}: {w}", d.name)))
            .collect();
        let notes: Vec<(String, crate::domain::Text)> = docs
            .iter()
            .flat_map(|d| d.notes.iter().map(move |n| (d.name.clone(), n.clone())))
            .collect();
        if !warnings.is_empty() {
            docs.push(Document {
                name: "warnings.txt".into(),
                bytes: warnings.join("\n").into_bytes(),
                pages: 0,
                warnings: Vec::new(),
                notes: Vec::new(),
            });
        }
        // After rendering: a refused step (no list proposed …) leaves no folder behind.
        let out = OutFolder::prepare(&folder, force)?;
        // Written and hashed side by side: 100 files of 5 MB in all took 6–17 ms on one core.
        let files = crate::validation::par_map_each(&docs, |d| {
            out.write(&d.name, &d.bytes).map(|path| GeneratedFile {
                path,
                sha256: crate::domain::audit::sha256_hex(&d.bytes),
                bytes: d.bytes.len(),
                pages: d.pages,
            })
        })
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        let detail = detail(what, &folder, printed.as_deref(), &docs, &files);
        let recorded = self.step(None, |s| {
            let (seq, hash) = last_entry(&s.tx)?;
            let now = (seq > 0).then(|| format!("{seq}:{hash}"));
            if now != printed {
                return Ok(Err(now));
            }
            s.audit(&actor.name, AUDIT_ACTION, detail);
            Ok(Ok(seq + 1))
        })?;
        match recorded {
            Ok(audit_seq) => Ok(Generation {
                folder,
                files,
                warnings,
                notes,
                printed_head: printed,
                audit_seq,
            }),
            Err(now) => Err(DocumentError::RoundChanged(Box::new((
                printed.unwrap_or_default(),
                now.unwrap_or_default(),
            )))),
        }
    }
}

/// The audit entry's detail: `WHAT into FOLDER (printed at head H): N files: NAME sha256 …; …`.
fn detail(
    what: &str,
    folder: &Path,
    printed: Option<&str>,
    docs: &[Document],
    files: &[GeneratedFile],
) -> String {
    let list: Vec<String> = docs
        .iter()
        .zip(files)
        .map(|(d, f)| format!("{} sha256 {}", d.name, f.sha256))
        .collect();
    format!(
        "{what} into {} (printed at audit head {}): {} files: {}",
        folder.display(),
        printed.unwrap_or("none"),
        files.len(),
        list.join("; ")
    )
}
