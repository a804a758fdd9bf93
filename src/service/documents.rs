//! What the clerk prints: the sealed (or draft) list, the confirmed list and the score sheets,
//! each only for those who may print notices (clerks and ministry staff), with the audit head
//! at the time of printing.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, User, check};
use crate::domain::expert::Expert;
use crate::domain::publicity::{ListEntry, Outcome, State, seal};
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

impl Store {
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
