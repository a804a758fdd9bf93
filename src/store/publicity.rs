//! The publicity lifecycle in the store: the [`Publicity`] state machine kept as JSON in one
//! row, each step saved with its audit entry in one transaction.

use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, audit};
use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::publicity::{Change, ListEntry, Publicity, Resolution};
use crate::domain::selection::Constraints;
use crate::domain::working_days::Calendar;

impl Store {
    /// The publicity as stored (a fresh one before any step).
    pub(crate) fn load_publicity(&self) -> Result<Publicity, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT state FROM publicity WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        match json {
            None => Ok(Publicity::new()),
            Some(j) => serde_json::from_str(&j).map_err(|e| {
                StoreError::Invalid(format!("stored publicity state unreadable: {e}"))
            }),
        }
    }

    /// The publicity (ministry staff and clerks).
    pub fn publicity(&self, actor: &User) -> Result<Publicity, StoreError> {
        if actor.role != Role::Clerk {
            check(actor, &Action::Publicity)?;
        }
        self.load_publicity()
    }

    /// Apply one step to the stored publicity and save it with an audit entry.
    fn publicity_step<T>(
        &mut self,
        actor: &User,
        action: &str,
        step: impl FnOnce(&mut Publicity) -> Result<(T, String), StoreError>,
    ) -> Result<T, StoreError> {
        check(actor, &Action::Publicity)?;
        let mut p = self.load_publicity()?;
        let (out, detail) = step(&mut p)?;
        let json = serde_json::to_string(&p)
            .map_err(|e| StoreError::Invalid(format!("cannot save the publicity state: {e}")))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO publicity (id, state) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
            params![json],
        )?;
        audit::append(&tx, &actor.name, action, &detail)?;
        tx.commit()?;
        Ok(out)
    }

    /// Propose the list: the selection under the round's constraints is sealed (its hash is
    /// stored and returned) with its reserve list.
    pub fn propose(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        on: Date,
    ) -> Result<String, StoreError> {
        check(actor, &Action::Publicity)?;
        let constraints = Constraints::from_round(&criteria.round);
        let selected = self.selection_unchecked(criteria, &constraints)?;
        if selected.selection.selected.len() < constraints.target {
            return Err(StoreError::Invalid(format!(
                "only {} units can be selected of the {} wanted: finish the review (shifan progress) or check the constraints (shifan select)",
                selected.selection.selected.len(),
                constraints.target
            )));
        }
        let (list, reserve) = selected.list_entries(criteria);
        let hash_of_ranking = selected.round.ranking.inputs_hash.clone();
        self.publicity_step(actor, "publicity.propose", move |p| {
            let n = list.len();
            let hash = p
                .propose(list, reserve, on)
                .map_err(StoreError::Publicity)?;
            let detail = format!(
                "{n} units proposed on {on}, list sealed {hash}, ranking {hash_of_ranking}"
            );
            Ok((hash, detail))
        })
    }

    /// Start the publicity on `on`; returns the last day of the period.
    pub fn start_publicity(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        on: Date,
    ) -> Result<Date, StoreError> {
        let calendar = Calendar::new(&criteria.holidays);
        let days = criteria.round.publicity_working_days;
        self.publicity_step(actor, "publicity.start", |p| {
            let end = p
                .start(on, &calendar, days)
                .map_err(StoreError::Publicity)?;
            Ok((
                end,
                format!("publicity from {on} to {end} ({days} working days)"),
            ))
        })
    }

    /// Register an objection against a listed unit; returns its number.
    pub fn object(
        &mut self,
        actor: &User,
        code: &str,
        on: Date,
        objector: &str,
        summary: &str,
    ) -> Result<u32, StoreError> {
        self.publicity_step(actor, "publicity.object", |p| {
            let id = p
                .object(code, on, objector, summary)
                .map_err(StoreError::Publicity)?;
            Ok((
                id,
                format!("#{id} against {code} received {on} from {objector}: {summary}"),
            ))
        })
    }

    /// Decide an objection; an upheld one removes the unit and promotes the first reserve.
    pub fn resolve(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        id: u32,
        upheld: bool,
        note: &str,
    ) -> Result<Option<Change>, StoreError> {
        let resolution = if upheld {
            Resolution::Upheld {
                note: note.to_string(),
            }
        } else {
            Resolution::Rejected {
                note: note.to_string(),
            }
        };
        // A promoted reserve unit must keep the list within the round's limits.
        let max_province = criteria.round.selection.max_per_province as usize;
        let type_max: Vec<(String, usize)> = criteria
            .round
            .selection
            .type_limits
            .iter()
            .filter_map(|l| l.max.map(|m| (l.type_id.clone(), m as usize)))
            .collect();
        let fits = move |r: &ListEntry, rest: &[ListEntry]| {
            rest.iter()
                .filter(|e| e.province_key == r.province_key)
                .count()
                < max_province
                && type_max.iter().all(|(t, m)| {
                    *t != r.type_id || rest.iter().filter(|e| &e.type_id == t).count() < *m
                })
        };
        self.publicity_step(actor, "publicity.resolve", |p| {
            let change = p
                .resolve_within(id, resolution, fits)
                .map_err(StoreError::Publicity)?;
            let detail = match &change {
                Some(c) => format!(
                    "#{id} upheld: {} removed, {} promoted: {note}",
                    c.removed,
                    c.promoted.as_deref().unwrap_or("nobody (reserve empty)")
                ),
                None => format!(
                    "#{id} {}: {note}",
                    if upheld { "upheld" } else { "rejected" }
                ),
            };
            Ok((change, detail))
        })
    }

    /// Confirm the list after the period, with every objection resolved.
    pub fn confirm(&mut self, actor: &User, on: Date) -> Result<usize, StoreError> {
        self.publicity_step(actor, "publicity.confirm", |p| {
            p.confirm(on).map_err(StoreError::Publicity)?;
            let n = p.current_list().len();
            Ok((n, format!("{n} units confirmed on {on}")))
        })
    }
}
