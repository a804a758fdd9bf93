//! Importing validated batches: each batch whole in one transaction, or not at all.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, sha256_hex};
use crate::domain::Criteria;
use crate::domain::access::{Action, User, check};
use crate::domain::names::{fold, normalise_name};
use crate::validation::{LoadedBatch, Report};

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
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

impl Store {
    /// Store every importable batch of a validated report. A batch for a province that already
    /// has one is stored only with `replace`; identical content is left as it is.
    pub fn import(
        &mut self,
        criteria: &Criteria,
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
        let now = jiff::Timestamp::now().to_string();
        let mut results = Vec::new();
        // One checkpoint after the whole import instead of one every 1000 pages: each
        // checkpoint syncs the file, and that, not SQLite's work, dominated large imports.
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let stored =
            self.import_batches(criteria, report, replace, &actor_name, &now, &mut results);
        self.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        stored?;
        Ok(results)
    }

    fn import_batches(
        &mut self,
        criteria: &Criteria,
        report: &Report,
        replace: bool,
        actor_name: &str,
        now: &str,
        results: &mut Vec<ImportResult>,
    ) -> Result<(), StoreError> {
        for b in &report.batches {
            let province = b.province.map(|p| criteria.provinces.get(p).key.clone());
            let outcome = match (&province, b.importable()) {
                (Some(key), true) => {
                    self.import_batch(criteria, b, key, replace, now, actor_name)?
                }
                _ => BatchOutcome::Rejected {
                    errors: b.errors.max(1),
                },
            };
            results.push(ImportResult {
                folder: b.folder.clone(),
                province,
                outcome,
            });
        }
        Ok(())
    }

    fn import_batch(
        &mut self,
        criteria: &Criteria,
        b: &LoadedBatch,
        key: &str,
        replace: bool,
        now: &str,
        actor: &str,
    ) -> Result<BatchOutcome, StoreError> {
        let (Some(sub_file), Some(sub)) = (&b.submission_file, &b.submission) else {
            return Ok(BatchOutcome::Rejected { errors: 1 });
        };
        // Each file is hashed once; the batch's hash is the hash of its files' hashes.
        let sub_sha = sub_file.sha256.clone();
        let shas: Vec<&String> = b.dossiers.iter().map(|d| &d.file.sha256).collect();
        let content = sha256_hex(
            shas.iter()
                .fold(sub_sha.clone(), |acc, h| acc + h.as_str())
                .as_bytes(),
        );
        let tx = self.conn.transaction()?;
        let current: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, content_sha256 FROM batch WHERE province_key = ?1 AND replaced_at IS NULL",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match &current {
            Some((id, sha)) if *sha == content => {
                return Ok(BatchOutcome::Unchanged { batch_id: *id });
            }
            Some((id, _)) if !replace => {
                return Ok(BatchOutcome::AlreadyImported { batch_id: *id });
            }
            Some((id, _)) => {
                tx.execute(
                    "UPDATE batch SET replaced_at = ?1 WHERE id = ?2",
                    params![now, id],
                )?;
            }
            None => {}
        }
        tx.execute(
            "INSERT INTO batch (province_key, folder, department, sent_on, copies, submission_file,
                submission_encoding, submission_raw, submission_sha256, content_sha256, warnings, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                key,
                b.folder,
                sub.department.as_deref().unwrap_or(""),
                sub.sent_on.as_ref().map(|d| d.value.to_string()).unwrap_or_default(),
                sub.copies.as_ref().map_or(0, |c| c.value),
                file_name(&sub_file.file),
                sub_file.encoding.map_or("", |e| e.as_str()),
                sub_file.bytes,
                sub_sha,
                content,
                b.warnings as i64,
                now,
            ],
        )?;
        let batch_id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO dossier (batch_id, code, file, province_key, type_id, applicant, applicant_norm,
                    credit_code, provincial_rank, encoding, raw, sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for (i, (d, sha)) in b.dossiers.iter().zip(&shas).enumerate() {
                let (Some(dossier), Some(t)) = (&d.dossier, d.demo_type) else {
                    // An importable batch has every dossier parsed and typed; be safe anyway.
                    return Ok(BatchOutcome::Rejected { errors: 1 });
                };
                let name = dossier.applicant_name();
                insert.execute(params![
                    batch_id,
                    format!("{key}-{:02}", i + 1),
                    file_name(&d.file.file),
                    key,
                    criteria.types.all()[t].id,
                    name,
                    normalise_name(name),
                    dossier
                        .applicant
                        .credit_code
                        .as_ref()
                        .map(|c| fold(&c.value).to_ascii_uppercase()),
                    dossier.provincial_rank.as_ref().map(|r| r.value),
                    d.file.encoding.map_or("", |e| e.as_str()),
                    d.file.bytes,
                    sha,
                ])?;
            }
        }
        super::audit::append(
            &tx,
            actor,
            if current.is_some() {
                "import.replace"
            } else {
                "import"
            },
            &format!(
                "{key}: batch {batch_id}, {} dossiers, content {content}",
                b.dossiers.len()
            ),
        )?;
        if let Some((old, _)) = &current {
            tx.execute(
                "UPDATE batch SET replaced_by = ?1 WHERE id = ?2",
                params![batch_id, old],
            )?;
        }
        tx.commit()?;
        Ok(match current {
            Some((old, _)) => BatchOutcome::Replaced {
                batch_id,
                replaced: old,
                dossiers: b.dossiers.len(),
            },
            None => BatchOutcome::Imported {
                batch_id,
                dossiers: b.dossiers.len(),
            },
        })
    }
}
