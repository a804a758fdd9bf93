//! What the clerk prints: the sealed (or draft) list, the confirmed list and the score sheets,
//! each only for those who may print notices (clerks and ministry staff).

use jiff::civil::Date;
use serde::Serialize;

use super::{Store, StoreError};
use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::expert::Expert;
use crate::domain::publicity::{ListEntry, State, seal};
use crate::domain::scoring::Sheet;
use crate::domain::selection::Constraints;

/// The list a publicity notice prints.
#[derive(Debug, Clone, Serialize)]
pub struct PrintList {
    pub entries: Vec<ListEntry>,
    pub reserve: Vec<ListEntry>,
    /// The seal of the list (for a draft: what the seal would be).
    pub list_hash: String,
    /// The publicity period, once started.
    pub period: Option<(Date, Date)>,
    pub draft: bool,
}

fn may_print(actor: &User) -> Result<(), StoreError> {
    if actor.role == Role::Ministry {
        return Ok(());
    }
    Ok(check(actor, &Action::PrintNotices)?)
}

impl Store {
    /// The proposed, sealed list with its reserve; with `draft`, the current selection under
    /// the round's constraints instead, whatever the phase.
    pub fn print_list(
        &self,
        criteria: &Criteria,
        actor: &User,
        draft: bool,
    ) -> Result<PrintList, StoreError> {
        may_print(actor)?;
        if draft {
            let s =
                self.selection_unchecked(criteria, &Constraints::from_round(&criteria.round))?;
            let (entries, reserve) = s.list_entries(criteria);
            return Ok(PrintList {
                list_hash: seal(&entries),
                entries,
                reserve,
                period: None,
                draft: true,
            });
        }
        let p = self.load_publicity()?;
        let Some(hash) = p.list_hash() else {
            return Err(StoreError::Invalid(
                "no list has been proposed yet: ministry staff propose it with `shifan publicity propose`; or print the current selection with --draft".into(),
            ));
        };
        Ok(PrintList {
            entries: p.proposed_list().to_vec(),
            reserve: p.reserve().to_vec(),
            list_hash: hash.to_string(),
            period: p.state().period(),
            draft: false,
        })
    }

    /// The confirmed list (after `publicity confirm`), with the confirmation date.
    pub fn confirmed_list(&self, actor: &User) -> Result<(Vec<ListEntry>, Date), StoreError> {
        may_print(actor)?;
        let p = self.load_publicity()?;
        match p.state() {
            State::Confirmed { on, .. } => Ok((p.current_list(), *on)),
            _ => Err(StoreError::Invalid(format!(
                "the list is not confirmed yet (phase: {}); confirmation notices are printed after `shifan publicity confirm`",
                p.phase().text().en
            ))),
        }
    }

    /// Every current sheet with its points, and the roster, for printing score sheets.
    pub fn print_sheets(&self, actor: &User) -> Result<(Vec<Sheet>, Vec<Expert>), StoreError> {
        may_print(actor)?;
        Ok((self.sheets_unchecked()?, self.roster(None)?))
    }

    /// Applicant name per current dossier code (for printing).
    pub fn print_applicants(
        &self,
        actor: &User,
    ) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        may_print(actor)?;
        Ok(self
            .current_dossiers()?
            .into_iter()
            .map(|d| (d.code, d.applicant))
            .collect())
    }
}
