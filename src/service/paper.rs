//! Paper score sheets keyed twice: the sheets both keyings agree on are stored and submitted in
//! one step (each with its audit entry naming both files and lines), inside the review phase,
//! on the expert's current assignment. A sheet already submitted with the same values is left
//! as it is (a second run after fixing a mismatch stores only what was missing); one submitted
//! with other values refuses the whole run, so that nothing is overwritten without a reopening.

use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::Text;
use crate::domain::access::{Action, User, check};
use crate::domain::paper::{PaperSheet, Reconciliation};
use crate::domain::phase::Step as PhaseStep;
use crate::domain::refusal::Refusal;
use crate::domain::scoring::submittable;
use crate::store::repo::{assignment as pairs, sheet};
use crate::store::{Store, StoreError};

use super::review::open_sheet;

/// What a run stored.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PaperOutcome {
    /// (expert, dossier) stored and submitted now.
    pub stored: Vec<(String, String)>,
    /// (expert, dossier) already stored with the same values.
    pub unchanged: Vec<(String, String)>,
}

fn same(stored: &crate::domain::scoring::Sheet, paper: &PaperSheet) -> bool {
    paper.points.iter().all(|(c, p)| stored.points(c) == *p)
        && stored.recommend == paper.recommend
        && stored
            .opinion
            .split_whitespace()
            .eq(paper.opinion.split_whitespace())
}

impl Store {
    /// Store the agreed sheets of `keyed` (ministry staff or clerks). `files` names the two
    /// keyed files for the audit entries. Refused whole when one sheet cannot be stored.
    pub fn enter_paper_sheets(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        files: (&str, &str),
        keyed: &Reconciliation,
    ) -> Result<PaperOutcome, StoreError> {
        check(actor, &Action::EnterPaperSheets)?;
        let groups = sheet::group_map(&criteria.rubric);
        self.step(None, |s| {
            s.permit(PhaseStep::Score)?;
            let mut out = PaperOutcome::default();
            for (p, second) in &keyed.agreed {
                let Some(id) = pairs::current_id(&s.tx, &p.dossier, &p.expert_id)? else {
                    return Err(Refusal::NotAssigned {
                        dossier: p.dossier.clone(),
                        expert: p.expert_id.clone(),
                    }
                    .into());
                };
                let submitted = sheet::load(&s.tx, id)?.and_then(|r| r.submitted_at);
                if submitted.is_some() {
                    let stored = sheet::sheet(&s.tx, id, &p.dossier, &p.expert_id)?;
                    if same(&stored, p) {
                        out.unchanged.push((p.expert_id.clone(), p.dossier.clone()));
                        continue;
                    }
                }
                // Refused here, with the reason, when the sheet is submitted with other values.
                let id = open_sheet(s, PhaseStep::Score, &p.dossier, &p.expert_id)?;
                let now = s.now.clone();
                for (criterion, points) in &p.points {
                    if let Some(points) = points {
                        sheet::set_score(
                            &s.tx, id, &p.dossier, &p.expert_id, criterion, *points, &now,
                        )?;
                    }
                }
                sheet::set_opinion(&s.tx, id, &p.opinion)?;
                if let Some(r) = p.recommend {
                    sheet::set_recommend(&s.tx, id, r)?;
                }
                sheet::keep_total(&s.tx, id, &groups)?;
                let current = sheet::sheet(&s.tx, id, &p.dossier, &p.expert_id)?;
                submittable(&current, &criteria.rubric)?;
                sheet::set_submitted(&s.tx, id, Some(&now))?;
                s.reseal("sheet", "assignment_id = ?1", &[&id])?;
                s.reseal("sheet_total", "assignment_id = ?1", &[&id])?;
                s.reseal("score", "assignment_id = ?1", &[&id])?;
                s.audit(
                    &actor.name,
                    "paper.sheet",
                    format!(
                        "{} {} total {} keyed twice: {}:{} and {}:{second}",
                        p.dossier,
                        p.expert_id,
                        current.total(),
                        files.0,
                        p.line,
                        files.1
                    ),
                );
                out.stored.push((p.expert_id.clone(), p.dossier.clone()));
            }
            if !out.stored.is_empty() || !keyed.mismatches.is_empty() {
                s.audit(
                    &actor.name,
                    "paper.import",
                    format!(
                        "{} and {}: {} stored, {} unchanged, {} mismatched or refused fields held back",
                        files.0,
                        files.1,
                        out.stored.len(),
                        out.unchanged.len(),
                        keyed.mismatches.len()
                    ),
                );
            }
            Ok(out)
        })
    }
}

/// A mismatch line in both languages, for the CLI and the TUI.
pub fn mismatch_text(criteria: &Criteria, m: &crate::domain::paper::Mismatch) -> Text {
    let (zh_field, en_field) = match m.field.as_str() {
        "sheet" => ("整张评分表".to_string(), "the whole sheet".to_string()),
        "recommend" => ("是否推荐".to_string(), "recommend".to_string()),
        "opinion" => ("评审意见".to_string(), "opinion".to_string()),
        id => criteria.rubric.criterion(id).map_or_else(
            || (id.to_string(), id.to_string()),
            |c| (c.name_zh.clone(), c.name_en.clone()),
        ),
    };
    let line = |l: Option<usize>| l.map_or_else(|| "—".to_string(), |l| l.to_string());
    // Keyed cells on one line each: a line break typed into an opinion (Alt+Enter in Excel)
    // shows as ␊ rather than breaking the listing.
    let clean = crate::terminal_text::clean;
    let (expert, dossier) = (clean(&m.expert_id), clean(&m.dossier));
    let (first, second) = (clean(&m.first), clean(&m.second));
    match &m.problem {
        Some(p) => Text::new(
            format!(
                "{expert} {dossier} {zh_field}：两份录入一致但不能保存（{}）；请核对纸质评分表",
                p.zh
            ),
            format!(
                "{expert} {dossier} {en_field}: both keyings agree but it cannot be stored ({}); check the paper sheet",
                p.en
            ),
        ),
        None => Text::new(
            format!(
                "{expert} {dossier} {zh_field}：第一份（第 {} 行）「{first}」，第二份（第 {} 行）「{second}」",
                line(m.first_line),
                line(m.second_line),
            ),
            format!(
                "{expert} {dossier} {en_field}: first keying (row {}) `{first}`, second (row {}) `{second}`",
                line(m.first_line),
                line(m.second_line),
            ),
        ),
    }
}

impl Store {
    /// The sheets still to key from paper: (expert, dossier) of every current assignment whose
    /// sheet is not submitted, of `experts` only when some are named, by expert then dossier
    /// (the order of the printed score sheets). Clerks and ministry staff.
    pub fn paper_sheets_to_key(
        &self,
        actor: &User,
        experts: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        check(actor, &Action::EnterPaperSheets)?;
        let mut rows: Vec<(String, String)> = sheet::current(&self.conn)?
            .into_iter()
            .filter(|s| !s.submitted && (experts.is_empty() || experts.contains(&s.expert_id)))
            .map(|s| (s.expert_id, s.dossier))
            .collect();
        rows.sort();
        Ok(rows)
    }
}
