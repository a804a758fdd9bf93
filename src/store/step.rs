//! One step of the round: one immediate (write-locking) transaction that reads what it checks,
//! lets the domain decide, writes, seals the rows it wrote and appends its audit entries.
//! Nothing is checked outside the transaction that writes, so no interleaving of processes can
//! break a rule: a second process's step waits for the first to commit, then sees its writes.

use jiff::civil::Date;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::repo::publicity as publicity_repo;
use super::seal::Ledger;
use super::{Store, StoreError};
use crate::domain::audit::{EntryFields, GENESIS, entry_hash_v2};
use crate::domain::phase::{self, Phase};
use crate::domain::refusal::claimed_date;

/// An open step.
pub(crate) struct Step<'c> {
    pub tx: Transaction<'c>,
    /// The date the step claims (`--on`, or today).
    pub on: Date,
    /// The real time the step started, RFC 3339.
    pub now: String,
    /// The seq the step's first audit entry will have.
    first_seq: i64,
    prev_hash: String,
    ledger: Ledger,
    entries: Vec<(String, String, String)>,
}

impl Step<'_> {
    /// The round's phase, read inside the step.
    pub fn phase(&self) -> Result<Phase, StoreError> {
        round_phase(&self.tx)
    }

    /// Refuse unless `step` may run in the current phase.
    pub fn permit(&self, step: phase::Step) -> Result<Phase, StoreError> {
        let p = self.phase()?;
        phase::permit(step, p)?;
        Ok(p)
    }

    /// Queue an audit entry (written at commit, in order).
    pub fn audit(&mut self, actor: &str, action: &str, detail: impl Into<String>) {
        self.entries
            .push((actor.to_string(), action.to_string(), detail.into()));
    }

    /// Seal the rows of `table` matching `filter` as they now are.
    pub fn reseal(
        &mut self,
        table: &'static str,
        filter: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<(), StoreError> {
        self.ledger
            .reseal(&self.tx, self.first_seq, table, filter, args)
    }

    /// Remove the seal of a deleted row.
    pub fn unseal(&mut self, table: &'static str, key: &str) -> Result<(), StoreError> {
        self.ledger.unseal(&self.tx, table, key)
    }

    /// Append the audit entries (the last one carries the digests of the tables changed) and
    /// commit. A step that changed something must have audited it.
    pub fn commit(self) -> Result<(), StoreError> {
        let Step {
            tx,
            on,
            now,
            first_seq,
            mut prev_hash,
            ledger,
            entries,
            ..
        } = self;
        let state = ledger.finish(&tx)?;
        if entries.is_empty() && state.is_some() {
            return Err(StoreError::corrupt(
                "程序错误：改动未记入审计日志",
                "program error: a change without an audit entry",
            ));
        }
        append(
            &tx,
            first_seq,
            &mut prev_hash,
            &now,
            &on.to_string(),
            &entries,
            state.as_deref(),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Append entries from `first_seq` on, chained to `prev_hash`; the last carries `state`.
pub(crate) fn append(
    conn: &Connection,
    first_seq: i64,
    prev_hash: &mut String,
    now: &str,
    on: &str,
    entries: &[(String, String, String)],
    state: Option<&str>,
) -> Result<(), StoreError> {
    let last = entries.len().saturating_sub(1);
    for (i, (actor, action, detail)) in entries.iter().enumerate() {
        let seq = first_seq + i as i64;
        let st = if i == last { state } else { None };
        let hash = entry_hash_v2(&EntryFields {
            seq,
            at: now,
            on,
            actor,
            action,
            detail,
            state: st.unwrap_or(""),
            prev_hash,
        });
        conn.execute(
            "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash, version, on_date, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 2, ?8, ?9)",
            params![seq, now, actor, action, detail, &*prev_hash, hash, on, st],
        )?;
        *prev_hash = hash;
    }
    Ok(())
}

/// The last entry's seq and hash (0 and the genesis hash for an empty log).
pub(crate) fn last_entry(conn: &Connection) -> Result<(i64, String), StoreError> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok((0, GENESIS.to_string())),
            e => Err(e),
        })?)
}

/// The round's phase from what a connection sees.
pub(crate) fn round_phase(conn: &Connection) -> Result<Phase, StoreError> {
    let publicity = publicity_repo::load(conn)?;
    let assigned: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM assignment)", [], |r| r.get(0))?;
    Ok(Phase::of(publicity.phase(), assigned))
}

impl Store {
    /// Open a step claiming the date `on` (never after today).
    pub(crate) fn begin(&mut self, on: Option<Date>) -> Result<Step<'_>, StoreError> {
        let today = self.clock.today();
        let on = claimed_date(on, today)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The time is read once the write lock is held, so steps that waited for each other are
        // dated in the order they committed.
        let now = self.clock.now();
        let (last, prev_hash) = last_entry(&tx)?;
        Ok(Step {
            tx,
            on,
            now,
            first_seq: last + 1,
            prev_hash,
            ledger: Ledger::default(),
            entries: Vec::new(),
        })
    }

    /// Run `f` as one step: committed when it returns `Ok`, rolled back otherwise.
    pub(crate) fn step<T>(
        &mut self,
        on: Option<Date>,
        f: impl FnOnce(&mut Step) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut s = self.begin(on)?;
        let out = f(&mut s)?;
        s.commit()?;
        self.saved()?;
        Ok(out)
    }
}
