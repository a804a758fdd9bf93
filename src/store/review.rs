//! Expert review in the store: sheets and scores, each entry saved in its own transaction.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError};
use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::scoring::{Sheet, check_entry};

/// One dossier on an expert's list.
#[derive(Debug, Clone, Serialize)]
pub struct AssignedDossier {
    pub code: String,
    pub province_key: String,
    pub type_id: String,
    pub applicant: String,
    pub scored: usize,
    pub submitted: bool,
}

/// Review progress of one expert or one province.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressRow {
    pub key: String,
    pub assigned: usize,
    pub submitted: usize,
}

/// Progress of the whole review.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub experts: Vec<ProgressRow>,
    pub provinces: Vec<ProgressRow>,
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// The expert a sheet action acts for: an expert acts for themself.
fn sheet_owner(actor: &User) -> Result<&str, StoreError> {
    match &actor.role {
        Role::Expert { expert_id } => Ok(expert_id),
        _ => Err(StoreError::Invalid(format!(
            "{} is not an expert: only experts score",
            actor.name
        ))),
    }
}

impl Store {
    /// Experts currently assigned to a dossier.
    pub(crate) fn assigned_experts(&self, dossier: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT expert_id FROM assignment WHERE dossier_code = ?1 AND ended_at IS NULL ORDER BY expert_id")?;
        let rows = stmt
            .query_map([dossier], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(rows)
    }

    fn ensure_open_sheet(&self, dossier: &str, expert: &str) -> Result<(), StoreError> {
        if !self.assigned_experts(dossier)?.iter().any(|e| e == expert) {
            return Err(StoreError::Invalid(format!(
                "dossier {dossier} is not assigned to expert {expert}"
            )));
        }
        let submitted: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT submitted_at FROM sheet WHERE dossier_code = ?1 AND expert_id = ?2",
                [dossier, expert],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(Some(at)) = submitted {
            return Err(StoreError::Invalid(format!(
                "the sheet for {dossier} was submitted at {at} and is locked; ministry staff can reopen it"
            )));
        }
        Ok(())
    }

    /// The dossiers assigned to the acting expert, with their state.
    pub fn my_dossiers(&self, actor: &User) -> Result<Vec<AssignedDossier>, StoreError> {
        let expert = sheet_owner(actor)?;
        let mut stmt = self.conn.prepare(
            "SELECT a.dossier_code, d.province_key, d.type_id, d.applicant,
                    (SELECT COUNT(*) FROM score s WHERE s.dossier_code = a.dossier_code AND s.expert_id = a.expert_id),
                    (SELECT submitted_at IS NOT NULL FROM sheet h WHERE h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id)
             FROM assignment a
             JOIN dossier d ON d.code = a.dossier_code
             JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
             WHERE a.expert_id = ?1 AND a.ended_at IS NULL
             ORDER BY a.dossier_code",
        )?;
        let rows = stmt
            .query_map([expert], |r| {
                Ok(AssignedDossier {
                    code: r.get(0)?,
                    province_key: r.get(1)?,
                    type_id: r.get(2)?,
                    applicant: r.get(3)?,
                    scored: r.get::<_, i64>(4)? as usize,
                    submitted: r.get::<_, Option<bool>>(5)?.unwrap_or(false),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// One sheet: an expert reads only their own; ministry staff read any.
    pub fn sheet(&self, actor: &User, dossier: &str, expert: &str) -> Result<Sheet, StoreError> {
        match &actor.role {
            Role::Expert { expert_id } if expert_id == expert => {}
            _ => check(actor, &Action::ViewAllScores)?,
        }
        let mut sheet = Sheet {
            dossier: dossier.to_string(),
            expert_id: expert.to_string(),
            ..Sheet::default()
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT criterion, points FROM score WHERE dossier_code = ?1 AND expert_id = ?2",
        )?;
        sheet.scores = stmt
            .query_map([dossier, expert], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        if let Some((opinion, recommend, submitted)) = self
            .conn
            .query_row(
                "SELECT opinion, recommend, submitted_at IS NOT NULL FROM sheet WHERE dossier_code = ?1 AND expert_id = ?2",
                [dossier, expert],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<bool>>(1)?, r.get::<_, bool>(2)?)),
            )
            .optional()?
        {
            sheet.opinion = opinion;
            sheet.recommend = recommend;
            sheet.submitted = submitted;
        }
        Ok(sheet)
    }

    /// Enter points for one criterion on the acting expert's sheet (saved at once).
    pub fn set_score(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        dossier: &str,
        criterion: &str,
        points: f64,
    ) -> Result<(), StoreError> {
        let expert = sheet_owner(actor)?.to_string();
        check(actor, &Action::Score { expert_id: &expert })?;
        check_entry(&criteria.rubric, criterion, points)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.ensure_open_sheet(dossier, &expert)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sheet (dossier_code, expert_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![dossier, expert],
        )?;
        tx.execute(
            "INSERT INTO score (dossier_code, expert_id, criterion, points, at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (dossier_code, expert_id, criterion) DO UPDATE SET points = excluded.points, at = excluded.at",
            params![dossier, expert, criterion, points, now()],
        )?;
        super::audit::append(
            &tx,
            &actor.name,
            "score",
            &format!("{dossier} {criterion} = {points}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Write the opinion and/or the recommendation on the acting expert's sheet.
    pub fn set_opinion(
        &mut self,
        actor: &User,
        dossier: &str,
        opinion: Option<&str>,
        recommend: Option<bool>,
    ) -> Result<(), StoreError> {
        let expert = sheet_owner(actor)?.to_string();
        check(actor, &Action::Score { expert_id: &expert })?;
        self.ensure_open_sheet(dossier, &expert)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sheet (dossier_code, expert_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![dossier, expert],
        )?;
        if let Some(o) = opinion {
            tx.execute(
                "UPDATE sheet SET opinion = ?3 WHERE dossier_code = ?1 AND expert_id = ?2",
                params![dossier, expert, o],
            )?;
            super::audit::append(&tx, &actor.name, "opinion", &format!("{dossier}: {o}"))?;
        }
        if let Some(r) = recommend {
            tx.execute(
                "UPDATE sheet SET recommend = ?3 WHERE dossier_code = ?1 AND expert_id = ?2",
                params![dossier, expert, r],
            )?;
            super::audit::append(&tx, &actor.name, "recommend", &format!("{dossier}: {r}"))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Submit and lock the acting expert's sheet; refused while anything is missing.
    pub fn submit(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        dossier: &str,
    ) -> Result<(), StoreError> {
        let expert = sheet_owner(actor)?.to_string();
        check(actor, &Action::Score { expert_id: &expert })?;
        self.ensure_open_sheet(dossier, &expert)?;
        let sheet = self.sheet(actor, dossier, &expert)?;
        let missing = sheet.missing(&criteria.rubric);
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| m.text(&criteria.rubric).en)
                .collect::<Vec<_>>()
                .join("; ");
            return Err(StoreError::Invalid(format!(
                "cannot submit {dossier}: {list}"
            )));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE sheet SET submitted_at = ?3 WHERE dossier_code = ?1 AND expert_id = ?2",
            params![dossier, expert, now()],
        )?;
        super::audit::append(
            &tx,
            &actor.name,
            "submit",
            &format!("{dossier} total {}", sheet.total()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Reopen a submitted sheet (ministry staff, with a reason).
    pub fn reopen(
        &mut self,
        actor: &User,
        dossier: &str,
        expert: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        check(actor, &Action::ReopenSheet)?;
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "reopening a sheet needs a reason".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE sheet SET submitted_at = NULL WHERE dossier_code = ?1 AND expert_id = ?2 AND submitted_at IS NOT NULL",
            params![dossier, expert],
        )?;
        if n == 0 {
            return Err(StoreError::Invalid(format!(
                "no submitted sheet of {expert} for {dossier}"
            )));
        }
        super::audit::append(
            &tx,
            &actor.name,
            "reopen",
            &format!("{dossier} {expert}: {reason}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Review progress per expert and per province (ministry staff).
    pub fn progress(&self, actor: &User) -> Result<Progress, StoreError> {
        check(actor, &Action::ViewProgress)?;
        let rows = |sql: &str| -> Result<Vec<ProgressRow>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let out = stmt
                .query_map([], |r| {
                    Ok(ProgressRow {
                        key: r.get(0)?,
                        assigned: r.get::<_, i64>(1)? as usize,
                        submitted: r.get::<_, i64>(2)? as usize,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(out)
        };
        let experts = rows(
            "SELECT a.expert_id, COUNT(*), COUNT(h.submitted_at) FROM assignment a
             LEFT JOIN sheet h ON h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id
             WHERE a.ended_at IS NULL GROUP BY a.expert_id ORDER BY a.expert_id",
        )?;
        let provinces = rows(
            "SELECT d.province_key, COUNT(*), COUNT(h.submitted_at) FROM assignment a
             JOIN dossier d ON d.code = a.dossier_code
             JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
             LEFT JOIN sheet h ON h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id
             WHERE a.ended_at IS NULL GROUP BY d.province_key ORDER BY d.province_key",
        )?;
        Ok(Progress { experts, provinces })
    }

    /// Write demo sheets in one transaction, each audited as demo data under the expert's
    /// account name.
    pub(crate) fn store_demo_sheets(
        &mut self,
        sheets: &[Sheet],
        account_of: impl Fn(&str) -> String,
    ) -> Result<(), StoreError> {
        let at = now();
        let tx = self.conn.transaction()?;
        {
            let mut sheet_row = tx.prepare_cached(
                "INSERT INTO sheet (dossier_code, expert_id, opinion, recommend, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut score_row = tx.prepare_cached(
                "INSERT INTO score (dossier_code, expert_id, criterion, points, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for s in sheets {
                sheet_row.execute(params![
                    s.dossier,
                    s.expert_id,
                    s.opinion,
                    s.recommend,
                    s.submitted.then_some(&at)
                ])?;
                for (c, p) in &s.scores {
                    score_row.execute(params![s.dossier, s.expert_id, c, p, at])?;
                }
                super::audit::append(
                    &tx,
                    &account_of(&s.expert_id),
                    "demo.sheet",
                    &format!(
                        "{} {}: {} criteria, total {}{} (demo data)",
                        s.dossier,
                        s.expert_id,
                        s.scores.len(),
                        s.total(),
                        if s.submitted { ", submitted" } else { "" }
                    ),
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every sheet of the current assignments with its points (ministry staff): the full
    /// score breakdown, ordered by dossier and expert.
    pub fn all_sheets(&self, actor: &User) -> Result<Vec<Sheet>, StoreError> {
        check(actor, &Action::ViewAllScores)?;
        self.sheets_unchecked()
    }

    pub(crate) fn sheets_unchecked(&self) -> Result<Vec<Sheet>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.dossier_code, a.expert_id, h.opinion, h.recommend, h.submitted_at IS NOT NULL
             FROM assignment a LEFT JOIN sheet h ON h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id
             WHERE a.ended_at IS NULL ORDER BY a.dossier_code, a.expert_id",
        )?;
        let mut sheets = stmt
            .query_map([], |r| {
                Ok(Sheet {
                    dossier: r.get(0)?,
                    expert_id: r.get(1)?,
                    scores: Vec::new(),
                    opinion: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    recommend: r.get(3)?,
                    submitted: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut scores = self.conn.prepare(
            "SELECT dossier_code, expert_id, criterion, points FROM score ORDER BY dossier_code, expert_id",
        )?;
        let mut by_pair: std::collections::HashMap<(String, String), Vec<(String, f64)>> =
            std::collections::HashMap::new();
        let mut rows = scores.query([])?;
        while let Some(r) = rows.next()? {
            by_pair
                .entry((r.get(0)?, r.get(1)?))
                .or_default()
                .push((r.get(2)?, r.get(3)?));
        }
        for s in &mut sheets {
            if let Some(v) = by_pair.remove(&(s.dossier.clone(), s.expert_id.clone())) {
                s.scores = v;
            }
        }
        Ok(sheets)
    }
}
