//! Importing validated batches: each batch whole in one step, or not at all. Dossiers keep
//! their codes across re-sent batches (`crate::domain::identity`); during review a replaced
//! batch keeps every unchanged dossier with its sheets, sets aside the sheets of a changed one
//! (kept, audited) and gives it to the same experts again, and withdraws a dossier that
//! disappeared.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::access::{Action, User, check};
use crate::domain::batch_checks::{StoredApplicant, check_against_stored};
use crate::domain::identity::{IncomingDossier, Matched, identify};
use crate::domain::names::{normalise_credit_code, normalise_name};
use crate::domain::phase::{Phase, Step as PhaseStep};
use crate::domain::refusal::Refusal;
use crate::domain::{Criteria, Finding};
use crate::store::checkpoint::Checkpointer;
use crate::store::repo::assignment::{Ended, Origin};
use crate::store::repo::{assignment, criteria as pinned, dossier, refusal};
use crate::store::step::Step;
use crate::store::{Store, StoreError, sha256_hex};
use crate::validation::{LoadedBatch, Report};

/// What a replaced batch did to one dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierChange {
    pub code: String,
    pub applicant: String,
    /// `unchanged`, `changed`, `returned`, `new` or `withdrawn`.
    pub change: String,
    /// Sheets set aside (changed or withdrawn dossiers).
    pub sheets_set_aside: usize,
    /// Experts given the dossier again (changed dossiers, during review).
    pub reassigned: usize,
}

/// What happened to one batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum BatchOutcome {
    Imported {
        batch_id: i64,
        dossiers: usize,
    },
    /// Imported with `--replace`; the earlier batch stays in history.
    Replaced {
        batch_id: i64,
        replaced: i64,
        dossiers: usize,
        /// One line per dossier of the old and the new batch.
        changes: Vec<DossierChange>,
    },
    /// The same bytes are already the current batch.
    Unchanged {
        batch_id: i64,
    },
    /// The province already has a batch with other content; `--replace` is needed.
    AlreadyImported {
        batch_id: i64,
    },
    /// The batch has errors (or no submission / no known province): nothing stored.
    Rejected {
        errors: usize,
    },
}

/// One batch's result.
#[derive(Debug, Clone, Serialize)]
pub struct ImportResult {
    pub folder: String,
    pub province: Option<String>,
    #[serde(flatten)]
    pub outcome: BatchOutcome,
    /// Errors found at import, against what is already stored (E-DUP-STORED): the batch is
    /// then rejected. Validation cannot see them: they need the database.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

/// The last part of a path as shown (`input::read::path_text`). On Unix only `/` separates:
/// a backslash there is part of a name, or of the `\xNN` escape of a non-UTF-8 byte.
fn file_name(path: &str) -> &str {
    let seps: &[char] = if cfg!(windows) { &['/', '\\'] } else { &['/'] };
    path.rsplit(seps).next().unwrap_or(path)
}

impl Store {
    /// [`Store::import_pinning`] without criteria files to pin (tests, tools).
    pub fn import(
        &mut self,
        criteria: &Criteria,
        report: &Report,
        replace: bool,
        actor: Option<&User>,
    ) -> Result<Vec<ImportResult>, StoreError> {
        self.import_pinning(criteria, &BTreeMap::new(), report, replace, actor)
    }

    /// Store every importable batch of a validated report, each in one step. A batch for a
    /// province that already has one is stored only with `replace`; identical content is left
    /// as it is. The first import pins `criteria_files` (the criteria folder's texts) to the
    /// round; later imports must come with the same criteria.
    pub fn import_pinning(
        &mut self,
        criteria: &Criteria,
        criteria_files: &BTreeMap<String, String>,
        report: &Report,
        replace: bool,
        actor: Option<&User>,
    ) -> Result<Vec<ImportResult>, StoreError> {
        let actor_name = match actor {
            Some(u) => {
                check(u, &Action::ImportDossiers)?;
                u.name.clone()
            }
            None if self.has_accounts()? => return Err(StoreError::LoginRequired),
            None => "(setup, no accounts yet)".to_string(),
        };
        // Refuse the whole import at once when the phase forbids it (each step checks again).
        let phase = crate::store::step::round_phase(&self.conn)?;
        crate::domain::phase::permit(PhaseStep::Import, phase)?;
        let mut results = Vec::new();
        // One checkpoint after the whole import instead of one every 1000 pages: each
        // checkpoint syncs the file, and that, not SQLite's work, dominated large imports.
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // Meanwhile a second connection copies each committed batch from the log into the file,
        // on the core the writer leaves idle (SQLite lets a checkpoint run beside a writer).
        let checkpointer = Checkpointer::start(self.file_path());
        let run = Run {
            criteria,
            criteria_files,
            given: pinned::hashes_of(criteria_files),
            report,
            replace,
            actor: &actor_name,
            checkpointer: &checkpointer,
        };
        let stored = self.import_batches(&run, &mut results);
        checkpointer.finish();
        self.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        stored?;
        Ok(results)
    }

    /// The refusals of the province's batches at import since its current batch was stored
    /// (all of them when none is), newest first.
    pub fn province_refusals(
        &self,
        actor: &User,
        province_key: &str,
    ) -> Result<Vec<refusal::BatchRefusal>, StoreError> {
        check(actor, &Action::ViewProvince(province_key))?;
        refusal::since_current(&self.conn, province_key)
    }

    /// The batches refused at import that no later stored batch of the same province replaced,
    /// newest first (ministry staff and the clerk: the overview).
    pub fn refusals(&self, actor: &User) -> Result<Vec<refusal::BatchRefusal>, StoreError> {
        check(actor, &Action::ViewStatus)?;
        refusal::all(&self.conn)
    }

    fn import_batches(
        &mut self,
        run: &Run<'_>,
        results: &mut Vec<ImportResult>,
    ) -> Result<(), StoreError> {
        let report = run.report;
        // Batches this import stored: the set's own duplicates were found by validation (E-DUP-*
        // across batches), so each batch is checked only against what others stored.
        let mut stored_here: Vec<i64> = Vec::new();
        // The batches' bytes as checked (read again when validation let them go), each still
        // matching its checked hash: read one batch ahead on another thread while this one
        // stores the batch before, so that at most two batches' bytes are held.
        std::thread::scope(|scope| -> Result<(), StoreError> {
            let (ahead, bytes) = std::sync::mpsc::sync_channel(1);
            let reader = std::thread::Builder::new()
                .name("shifan-import-read".into())
                .spawn_scoped(scope, move || {
                    for b in &report.batches {
                        if ahead.send(checked_bytes(b)).is_err() {
                            return;
                        }
                    }
                });
            let mut ahead = reader.is_ok().then_some(bytes);
            for b in &report.batches {
                let raws = match ahead.as_ref().map(std::sync::mpsc::Receiver::recv) {
                    Some(Ok(raws)) => raws,
                    // No reader thread (or it stopped): read here.
                    _ => {
                        ahead = None;
                        checked_bytes(b)
                    }
                };
                self.import_one(run, b, raws, results, &mut stored_here)?;
            }
            Ok(())
        })
    }

    /// Import batch `b` of the report, its checked bytes `raws` read (empty when it is not
    /// importable), recording its result.
    fn import_one(
        &mut self,
        run: &Run<'_>,
        b: &LoadedBatch,
        raws: Vec<Result<std::borrow::Cow<'_, [u8]>, crate::domain::Text>>,
        results: &mut Vec<ImportResult>,
        stored_here: &mut Vec<i64>,
    ) -> Result<(), StoreError> {
        let (criteria, criteria_files, given) = (run.criteria, run.criteria_files, &run.given);
        let (report, replace, actor) = (run.report, run.replace, run.actor);
        let province = b.province.map(|p| criteria.provinces.get(p).key.clone());
        let mut findings = Vec::new();
        let outcome = match (&province, b.importable()) {
            (Some(key), true) => {
                let changed = changed_files(b, &raws);
                self.step(None, |s| {
                    if !changed.is_empty() {
                        findings = changed.clone();
                        record_refusal(s, key, &b.folder, &findings, actor)?;
                        return Ok(BatchOutcome::Rejected {
                            errors: findings.len(),
                        });
                    }
                    // Inside the step: another import committed before this one is seen,
                    // and none can commit between the check and the write.
                    findings = stored_duplicates(s, criteria, b, key, stored_here)?;
                    if !findings.is_empty() {
                        record_refusal(s, key, &b.folder, &findings, actor)?;
                        return Ok(BatchOutcome::Rejected {
                            errors: findings.len(),
                        });
                    }
                    pin_criteria(s, criteria_files, given, actor)?;
                    let raws: Vec<&[u8]> = raws
                        .iter()
                        .map(|r| r.as_ref().map_or(&[][..], |c| c.as_ref()))
                        .collect();
                    import_batch(s, criteria, b, &raws, key, replace, actor)
                })?
            }
            (Some(key), false) => {
                // Refused by validation: its findings are recorded for the province.
                let own = batch_findings(report, b, key);
                self.step(None, |s| record_refusal(s, key, &b.folder, &own, actor))?;
                BatchOutcome::Rejected {
                    errors: b.errors.max(1),
                }
            }
            (None, _) => BatchOutcome::Rejected {
                errors: b.errors.max(1),
            },
        };
        match &outcome {
            BatchOutcome::Imported { batch_id, .. } | BatchOutcome::Replaced { batch_id, .. } => {
                stored_here.push(*batch_id);
                run.checkpointer.committed();
            }
            _ => {}
        }
        results.push(ImportResult {
            folder: b.folder.clone(),
            province,
            outcome,
            findings,
        });
        Ok(())
    }
}

/// What every batch of one import is stored with.
struct Run<'a> {
    criteria: &'a Criteria,
    criteria_files: &'a BTreeMap<String, String>,
    /// The hashes of `criteria_files`, computed once.
    given: BTreeMap<String, String>,
    report: &'a Report,
    replace: bool,
    actor: &'a str,
    checkpointer: &'a Checkpointer,
}

/// The bytes of each dossier of `b` as checked (`LoadedFile::checked_bytes`), read on the
/// validation's threads; none for a batch that is not to be stored.
fn checked_bytes(b: &LoadedBatch) -> Vec<Result<std::borrow::Cow<'_, [u8]>, crate::domain::Text>> {
    if b.province.is_none() || !b.importable() {
        return Vec::new();
    }
    let at: Vec<usize> = (0..b.dossiers.len()).collect();
    crate::validation::par_map(&at, |i| b.dossiers[*i].file.checked_bytes())
}

/// An E-READ error for each dossier of `b` whose bytes could not be had again as checked.
fn changed_files(
    b: &LoadedBatch,
    raws: &[Result<std::borrow::Cow<'_, [u8]>, crate::domain::Text>],
) -> Vec<Finding> {
    b.dossiers
        .iter()
        .zip(raws)
        .filter_map(|(d, r)| {
            let message = r.as_ref().err()?.clone();
            Some(Finding::new(
                crate::domain::Code::Read,
                &d.file.file,
                None,
                "",
                message,
                crate::domain::Text::new(
                    "报送期间请勿改动文件；确认文件内容后重新运行 shifan import",
                    "leave the files alone while they are imported; check the file and run shifan import again",
                ),
            ))
        })
        .collect()
}

/// The findings of the report that belong to batch `b` of province `key`: those on its
/// files, and those naming the province; errors first.
fn batch_findings(report: &Report, b: &LoadedBatch, key: &str) -> Vec<Finding> {
    let files: std::collections::BTreeSet<&str> = b
        .submission_file
        .iter()
        .map(|f| f.file.as_str())
        .chain(b.dossiers.iter().map(|d| d.file.file.as_str()))
        .collect();
    let under = |file: &str| {
        file.strip_prefix(b.folder.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '\\']))
    };
    let mut own: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| {
            files.contains(f.file.as_str()) || under(&f.file) || f.province.as_deref() == Some(key)
        })
        .cloned()
        .collect();
    own.sort_by_key(|f| f.severity);
    own
}

/// Store the refusal of a batch of `key` with its findings, sealed and audited in step `s`.
fn record_refusal(
    s: &mut Step,
    key: &str,
    folder: &str,
    findings: &[Finding],
    actor: &str,
) -> Result<(), StoreError> {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let codes: std::collections::BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.code.as_str())
        .collect();
    let id = refusal::insert(&s.tx, key, folder, &s.now, actor, findings)?;
    s.reseal("refusal", "id = ?1", &[&id])?;
    s.audit(
        actor,
        "import.refuse",
        format!(
            "batch of {key} refused at import: {folder}, {errors} errors ({})",
            codes.into_iter().collect::<Vec<_>>().join(", ")
        ),
    );
    Ok(())
}

/// Applicants of the batch already stored (in a current batch) for another reporting unit,
/// leaving out the batches `skip` (stored by this import, already checked against this batch
/// by validation).
fn stored_duplicates(
    s: &Step,
    criteria: &Criteria,
    b: &LoadedBatch,
    key: &str,
    skip: &[i64],
) -> Result<Vec<Finding>, StoreError> {
    // The other provinces' current batches first, then their dossiers through the batch
    // index: a join the planner runs from `dossier` would read every stored row (one page
    // each, the raw text beside it) for every batch imported.
    let batches: Vec<i64> =
        s.tx.prepare_cached(
            "SELECT id FROM batch WHERE replaced_at IS NULL AND province_key <> ?1 ORDER BY id",
        )?
        .query_map([key], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?
        .into_iter()
        .filter(|id| !skip.contains(id))
        .collect();
    let mut stmt = s.tx.prepare_cached(
        "SELECT code, province_key, applicant, applicant_norm, credit_code, file
         FROM dossier WHERE batch_id = ?1 AND province_key <> ?2",
    )?;
    let mut stored = Vec::new();
    for batch in batches {
        let rows = stmt.query_map(rusqlite::params![batch, key], |r| {
            Ok(StoredApplicant {
                code: r.get(0)?,
                province_key: r.get(1)?,
                applicant: r.get(2)?,
                applicant_norm: r.get(3)?,
                credit_code: r.get(4)?,
                file: r.get(5)?,
            })
        })?;
        for row in rows {
            stored.push(row?);
        }
    }
    stored.sort_by(|a, b| a.code.cmp(&b.code));
    if stored.is_empty() {
        return Ok(Vec::new());
    }
    let dossiers: Vec<_> = b
        .dossiers
        .iter()
        .filter_map(|d| d.dossier.as_ref())
        .collect();
    Ok(check_against_stored(criteria, key, &dossiers, &stored))
}

/// Pin the criteria at the first import; refuse other criteria later. `given` holds the hashes
/// of `files`, computed once per import.
fn pin_criteria(
    s: &mut Step,
    files: &BTreeMap<String, String>,
    given: &BTreeMap<String, String>,
    actor: &str,
) -> Result<(), StoreError> {
    let stored = pinned::hashes(&s.tx)?;
    if stored.is_empty() {
        if files.is_empty() {
            return Ok(());
        }
        pinned::save(&s.tx, files)?;
        s.reseal("criteria_file", "1", &[])?;
        s.audit(
            actor,
            "criteria.pin",
            format!(
                "criteria pinned to the round: {} files, digest {}",
                files.len(),
                pinned::digest(files)
            ),
        );
        return Ok(());
    }
    if !files.is_empty() && stored != *given {
        let texts = pinned::load(&s.tx)?;
        return Err(Refusal::CriteriaDiffer {
            differences: crate::input::criteria::criteria_differences(&texts, files, 12),
        }
        .into());
    }
    Ok(())
}

fn import_batch(
    s: &mut Step,
    criteria: &Criteria,
    b: &LoadedBatch,
    raws: &[&[u8]],
    key: &str,
    replace: bool,
    actor: &str,
) -> Result<BatchOutcome, StoreError> {
    let (Some(sub_file), Some(sub)) = (&b.submission_file, &b.submission) else {
        return Ok(BatchOutcome::Rejected { errors: 1 });
    };
    // Each file is hashed once; the batch's hash is the hash of its files' hashes.
    let content = sha256_hex(
        b.dossiers
            .iter()
            .fold(sub_file.sha256.clone(), |acc, d| {
                acc + d.file.sha256.as_str()
            })
            .as_bytes(),
    );
    let current = dossier::current_batch(&s.tx, key)?;
    match &current {
        Some((id, sha)) if *sha == content => {
            return Ok(BatchOutcome::Unchanged { batch_id: *id });
        }
        Some((id, _)) if !replace => {
            return Ok(BatchOutcome::AlreadyImported { batch_id: *id });
        }
        _ => {}
    }
    let phase = s.permit(if current.is_some() {
        PhaseStep::Replace
    } else {
        PhaseStep::Import
    })?;
    // Every dossier of an importable batch is parsed and typed; be safe anyway.
    let mut parsed = Vec::with_capacity(b.dossiers.len());
    for d in &b.dossiers {
        let (Some(dossier), Some(t)) = (&d.dossier, d.demo_type) else {
            return Ok(BatchOutcome::Rejected { errors: 1 });
        };
        parsed.push((d, dossier, criteria.types.all()[t].id.clone()));
    }
    let incoming: Vec<IncomingDossier> = parsed
        .iter()
        .map(|(d, dossier, _)| IncomingDossier {
            applicant_norm: normalise_name(dossier.applicant_name()),
            credit_code: dossier
                .applicant
                .credit_code
                .as_ref()
                .map(|c| normalise_credit_code(&c.value)),
            sha256: d.file.sha256.clone(),
        })
        .collect();
    let known = dossier::known(&s.tx, key)?;
    let identity = identify(key, &known, &incoming);
    if let Some((old, _)) = &current {
        dossier::retire_batch(&s.tx, *old, &s.now)?;
    }

    let batch_id = dossier::insert_batch(
        &s.tx,
        &dossier::NewBatch {
            province_key: key,
            folder: &b.folder,
            department: sub.department.as_deref().unwrap_or(""),
            sent_on: sub
                .sent_on
                .as_ref()
                .map(|d| d.value.to_string())
                .unwrap_or_default(),
            copies: sub.copies.as_ref().map_or(0, |c| c.value),
            submission_file: file_name(&sub_file.file),
            submission_encoding: sub_file.encoding.map_or("", |e| e.as_str()),
            submission_raw: &sub_file.bytes,
            submission_sha256: &sub_file.sha256,
            content_sha256: &content,
            warnings: b.warnings as i64,
            imported_at: &s.now,
        },
    )?;
    if let Some((old, _)) = &current {
        dossier::set_replaced_by(&s.tx, *old, batch_id)?;
        s.reseal("batch", "id = ?1", &[old])?;
    }
    s.reseal("batch", "id = ?1", &[&batch_id])?;

    let mut changes = Vec::new();
    for (((d, parsed_dossier, type_id), (inc, m)), raw) in parsed
        .iter()
        .zip(incoming.iter().zip(&identity.dossiers))
        .zip(raws)
    {
        let code = m.code().to_string();
        match m {
            Matched::New { number, .. } => {
                dossier::insert_identity(
                    &s.tx,
                    &code,
                    key,
                    *number,
                    &inc.applicant_norm,
                    inc.credit_code.as_deref(),
                    batch_id,
                )?;
            }
            _ => dossier::update_identity(
                &s.tx,
                &code,
                &inc.applicant_norm,
                inc.credit_code.as_deref(),
                None,
            )?,
        }
        let name = parsed_dossier.applicant_name();
        dossier::insert_dossier(
            &s.tx,
            batch_id,
            &dossier::NewDossier {
                code: &code,
                file: file_name(&d.file.file),
                province_key: key,
                type_id,
                applicant: name,
                applicant_norm: &inc.applicant_norm,
                credit_code: inc.credit_code.as_deref(),
                provincial_rank: parsed_dossier.provincial_rank.as_ref().map(|r| r.value),
                encoding: d.file.encoding.map_or("", |e| e.as_str()),
                raw,
                sha256: &d.file.sha256,
            },
        )?;
        let (change, set_aside, reassigned) = match m {
            Matched::Unchanged { .. } => ("unchanged", 0, 0),
            Matched::Changed { .. } => {
                let (n, r) = set_aside(s, &code, phase, actor, true)?;
                ("changed", n, r)
            }
            Matched::Returned { .. } => ("returned", 0, 0),
            Matched::New { .. } => ("new", 0, 0),
        };
        changes.push(DossierChange {
            code,
            applicant: name.to_string(),
            change: change.to_string(),
            sheets_set_aside: set_aside,
            reassigned,
        });
    }
    s.reseal("dossier", "batch_id = ?1", &[&batch_id])?;
    // One pass over the batch's identities rather than one statement per dossier.
    s.reseal(
        "dossier_identity",
        "code IN (SELECT code FROM dossier WHERE batch_id = ?1)",
        &[&batch_id],
    )?;
    for code in &identity.withdrawn {
        dossier::withdraw_identity(&s.tx, code, &s.now)?;
        s.reseal("dossier_identity", "code = ?1", &[code])?;
        let (n, _) = set_aside(s, code, phase, actor, false)?;
        let applicant = known
            .iter()
            .find(|k| &k.code == code)
            .map(|k| k.applicant_norm.clone())
            .unwrap_or_default();
        changes.push(DossierChange {
            code: code.clone(),
            applicant,
            change: "withdrawn".to_string(),
            sheets_set_aside: n,
            reassigned: 0,
        });
    }
    let count = |c: &str| changes.iter().filter(|d| d.change == c).count();
    let summary = format!(
        "{} unchanged, {} changed, {} new, {} returned, {} withdrawn",
        count("unchanged"),
        count("changed"),
        count("new"),
        count("returned"),
        count("withdrawn")
    );
    s.audit(
        actor,
        if current.is_some() {
            "import.replace"
        } else {
            "import"
        },
        format!(
            "{key}: batch {batch_id}, {} dossiers, content {content}{}",
            b.dossiers.len(),
            if current.is_some() {
                format!("; {summary}")
            } else {
                String::new()
            }
        ),
    );
    Ok(match current {
        Some((old, _)) => BatchOutcome::Replaced {
            batch_id,
            replaced: old,
            dossiers: b.dossiers.len(),
            changes,
        },
        None => BatchOutcome::Imported {
            batch_id,
            dossiers: b.dossiers.len(),
        },
    })
}

/// End the current pairs of a dossier that changed or left its batch; their sheets stay, set
/// aside with their pair. A changed dossier goes to the same experts again during review.
/// Returns (sheets set aside, experts given it again).
fn set_aside(
    s: &mut Step,
    code: &str,
    phase: Phase,
    actor: &str,
    again: bool,
) -> Result<(usize, usize), StoreError> {
    let experts = assignment::experts_of(&s.tx, code)?;
    let (kind, why) = if again {
        (
            Ended::Changed,
            "the dossier changed in the province's replaced batch: sheet set aside",
        )
    } else {
        (
            Ended::Withdrawn,
            "the dossier is no longer in the province's batch: withdrawn",
        )
    };
    let mut set_aside = 0;
    let mut reassigned = 0;
    for e in &experts {
        if let Some(id) = assignment::end(&s.tx, code, e, &s.now, kind, why)? {
            s.reseal("assignment", "id = ?1", &[&id])?;
            let had_sheet: bool = s.tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM sheet WHERE assignment_id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            set_aside += usize::from(had_sheet);
        }
        if again && phase == Phase::Review {
            let id = assignment::start(
                &s.tx,
                code,
                e,
                &s.now,
                Origin::Reassign,
                "the dossier changed: to score again",
            )?;
            s.reseal("assignment", "id = ?1", &[&id])?;
            reassigned += 1;
        }
    }
    if !experts.is_empty() {
        s.audit(
            actor,
            if again {
                "assign.set_aside"
            } else {
                "assign.withdrawn"
            },
            format!(
                "{code}: {} pairs ended ({set_aside} sheets set aside, kept){}",
                experts.len(),
                if reassigned > 0 {
                    format!(", {reassigned} experts to score the new version")
                } else {
                    String::new()
                }
            ),
        );
    }
    Ok((set_aside, reassigned))
}
