//! What the clerk prints: the sealed (or draft) list, the confirmed list and the score sheets,
//! each only for those who may print notices (clerks and ministry staff), with the audit head
//! at the time of printing.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, User, check};
use crate::domain::expert::Expert;
use crate::domain::publicity::{ListEntry, Outcome, Period, State, seal};
use crate::domain::refusal::Refusal;
use crate::domain::scoring::Sheet;
use crate::domain::selection::Constraints;
use crate::store::repo::publicity as repo;
use crate::store::{Store, StoreError};

/// The list a publicity notice prints.
#[derive(Debug, Clone, Serialize)]
pub struct PrintList {
    pub entries: Vec<ListEntry>,
    /// In promotion order.
    pub reserve: Vec<ListEntry>,
    /// The seal of the list (for a draft: what the seal would be).
    pub list_hash: String,
    /// The publicity period, once started.
    pub period: Option<(Date, Date)>,
    pub draft: bool,
    /// The audit head when the list was read, `SEQ:HASH`.
    pub audit_head: Option<String>,
}

/// The confirmed list, as the confirmation notices print it.
#[derive(Debug, Clone, Serialize)]
pub struct ConfirmedList {
    pub entries: Vec<ListEntry>,
    pub confirmed_on: Date,
    /// Codes of the units promoted after an upheld objection (their notice says 经递补和补充公示).
    pub promoted: Vec<String>,
    pub audit_head: Option<String>,
}

/// What the publicity did to the sealed list, as the result and supplementary notices print it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicityRecord {
    /// The main period, once started.
    pub main: Option<(Date, Date)>,
    /// The day the list was confirmed, once it was.
    pub confirmed_on: Option<Date>,
    /// The changes after upheld objections, in the order they were decided.
    pub changes: Vec<ListChange>,
    /// The sealed list's hash, once proposed.
    pub list_hash: Option<String>,
    pub audit_head: Option<String>,
}

/// One unit removed after an upheld objection and the unit that took its place.
#[derive(Debug, Clone, Serialize)]
pub struct ListChange {
    pub removed: ListEntry,
    /// The promoted unit; `None` while the place is unfilled.
    pub promoted: Option<ListEntry>,
    /// The promoted unit's supplementary period (补充公示), if it has one.
    pub supplementary: Option<(Date, Date)>,
}

impl Store {
    /// The publicity's changes to the sealed list (for the result and supplementary notices).
    pub fn publicity_record(&self, actor: &User) -> Result<PublicityRecord, StoreError> {
        check(actor, &Action::PrintNotices)?;
        let p = repo::load(&self.conn)?;
        let periods = p.periods();
        let find = |code: &str| -> Option<ListEntry> {
            p.proposed_list()
                .iter()
                .chain(p.reserve())
                .find(|e| e.code == code)
                .cloned()
        };
        let changes = p
            .changes()
            .iter()
            .filter_map(|c| {
                let removed = find(&c.removed)?;
                let promoted = match (&c.ministry, &c.unit, &c.promoted) {
                    (Some(m), _, _) => Some(m.unit.clone()),
                    (None, Some(u), _) => Some(u.clone()),
                    (None, None, Some(code)) => find(code),
                    (None, None, None) => None,
                };
                let supplementary = promoted.as_ref().and_then(|u| {
                    periods.iter().find_map(|period| match period {
                        Period::Supplementary(s) if s.code == u.code => Some((s.start, s.end)),
                        _ => None,
                    })
                });
                Some(ListChange {
                    removed,
                    promoted,
                    supplementary,
                })
            })
            .collect();
        let (main, confirmed_on) = match p.state() {
            State::InPublicity { start, end, .. } => (Some((*start, *end)), None),
            State::Confirmed { start, end, on, .. } => (Some((*start, *end)), Some(*on)),
            _ => (None, None),
        };
        Ok(PublicityRecord {
            main,
            confirmed_on,
            changes,
            list_hash: p.list_hash().map(str::to_string),
            audit_head: self.audit_head()?,
        })
    }

    /// The department that sent each province's current batch, as its `submission.toml`
    /// names it (the recommender printed on the confirmation notices), by province key.
    pub fn print_departments(&self, actor: &User) -> Result<BTreeMap<String, String>, StoreError> {
        check(actor, &Action::PrintNotices)?;
        let mut q = self
            .conn
            .prepare("SELECT province_key, department FROM batch WHERE replaced_at IS NULL")?;
        let rows = q.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (key, department) = row?;
            out.insert(key, department);
        }
        Ok(out)
    }

    /// The proposed, sealed list with its reserve; with `draft`, the current selection under
    /// the round's limits instead, whatever the phase.
    pub fn print_list(
        &self,
        criteria: &Criteria,
        actor: &User,
        draft: bool,
    ) -> Result<PrintList, StoreError> {
        check(actor, &Action::PrintNotices)?;
        let audit_head = self.audit_head()?;
        if draft {
            let s = self.selection_unchecked(criteria, &Constraints::from_criteria(criteria))?;
            let (entries, reserve) = s.list_entries(criteria);
            return Ok(PrintList {
                list_hash: seal(&entries),
                entries,
                reserve,
                period: None,
                draft: true,
                audit_head,
            });
        }
        let p = repo::load(&self.conn)?;
        let Some(hash) = p.list_hash() else {
            return Err(Refusal::NothingProposed.into());
        };
        Ok(PrintList {
            entries: p.proposed_list().to_vec(),
            reserve: p.reserve().to_vec(),
            list_hash: hash.to_string(),
            period: p.state().period(),
            draft: false,
            audit_head,
        })
    }

    /// The confirmed list (after `publicity confirm`), with the confirmation date.
    pub fn confirmed_list(&self, actor: &User) -> Result<ConfirmedList, StoreError> {
        check(actor, &Action::PrintNotices)?;
        let p = repo::load(&self.conn)?;
        match (p.state(), p.confirmed_list()) {
            (State::Confirmed { on, .. }, Some(entries)) => Ok(ConfirmedList {
                promoted: entries
                    .iter()
                    .filter(|e| p.outcome(&e.code) == Some(Outcome::Promoted))
                    .map(|e| e.code.clone())
                    .collect(),
                entries,
                confirmed_on: *on,
                audit_head: self.audit_head()?,
            }),
            _ => Err(Refusal::NotConfirmed {
                phase: self.round_phase()?.text(),
            }
            .into()),
        }
    }

    /// Every current sheet with its points, and the roster, for printing score sheets.
    pub fn print_sheets(&self, actor: &User) -> Result<(Vec<Sheet>, Vec<Expert>), StoreError> {
        check(actor, &Action::PrintNotices)?;
        Ok((self.sheets_unchecked()?, self.roster(None)?))
    }

    /// Applicant name per current dossier code (for printing).
    pub fn print_applicants(&self, actor: &User) -> Result<BTreeMap<String, String>, StoreError> {
        check(actor, &Action::PrintNotices)?;
        Ok(self
            .current_dossiers()?
            .into_iter()
            .map(|d| (d.code, d.applicant))
            .collect())
    }
}
