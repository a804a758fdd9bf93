//! Recusal (回避): an expert steps back from a dossier with a reason. The assignment ends; the
//! replacement is chosen by the assignment step, not here.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::domain::access::{Action, Role, User, check};

impl Store {
    /// Record the acting expert's recusal from `dossier` and end their current assignment to it.
    /// Refused without a reason, for a dossier not assigned to them, or once their sheet is
    /// submitted. Partial scores stay stored (the audit log keeps the history).
    pub fn recuse(&mut self, actor: &User, dossier: &str, reason: &str) -> Result<(), StoreError> {
        let Role::Expert { expert_id } = &actor.role else {
            return Err(StoreError::Invalid(format!(
                "{} is not an expert: only experts recuse themselves",
                actor.name
            )));
        };
        let expert = expert_id.clone();
        check(actor, &Action::Recuse { expert_id: &expert })?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid("a recusal needs a reason".into()));
        }
        let now = jiff::Timestamp::now().to_string();
        let tx = self.conn.transaction()?;
        let assigned: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM assignment WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL)",
            params![dossier, expert],
            |r| r.get(0),
        )?;
        if !assigned {
            return Err(StoreError::Invalid(format!(
                "dossier {dossier} is not assigned to expert {expert}"
            )));
        }
        let submitted: Option<Option<String>> = tx
            .query_row(
                "SELECT submitted_at FROM sheet WHERE dossier_code = ?1 AND expert_id = ?2",
                params![dossier, expert],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(Some(at)) = submitted {
            return Err(StoreError::Invalid(format!(
                "the sheet for {dossier} was submitted at {at}: too late to recuse"
            )));
        }
        tx.execute(
            "INSERT INTO recusal (dossier_code, expert_id, reason, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (dossier_code, expert_id) DO UPDATE SET reason = excluded.reason, at = excluded.at",
            params![dossier, expert, reason, now],
        )?;
        tx.execute(
            "UPDATE assignment SET ended_at = ?3, ended_reason = ?4
             WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL",
            params![dossier, expert, now, format!("recusal: {reason}")],
        )?;
        super::audit::append(&tx, &actor.name, "recuse", &format!("{dossier}: {reason}"))?;
        tx.commit()?;
        Ok(())
    }

    /// The reason an expert gave for recusing from a dossier, if they did.
    pub fn recusal_reason(
        &self,
        dossier: &str,
        expert: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT reason FROM recusal WHERE dossier_code = ?1 AND expert_id = ?2",
                params![dossier, expert],
                |r| r.get(0),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_assignment() -> (Store, User) {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO expert (id, name, affiliation, expertise, avoid_units, avoid_provinces)
                 VALUES ('E01', '唐强', 'x', '[]', '[]', '[]');
                 INSERT INTO assignment (dossier_code, expert_id, assigned_at, reason)
                 VALUES ('330000-01', 'E01', '2026-06-01', 'test');",
            )
            .unwrap();
        let u = User {
            name: "e01".into(),
            role: Role::Expert {
                expert_id: "E01".into(),
            },
        };
        (store, u)
    }

    #[test]
    fn a_recusal_needs_a_reason_and_a_current_assignment() {
        let (mut store, u) = store_with_assignment();
        assert!(store.recuse(&u, "330000-01", "  ").is_err());
        assert!(store.recuse(&u, "330000-02", "conflict").is_err());
        let ministry = User {
            name: "admin".into(),
            role: Role::Ministry,
        };
        assert!(store.recuse(&ministry, "330000-01", "conflict").is_err());
        store.recuse(&u, "330000-01", "曾参与该项目").unwrap();
        assert!(store.assigned_experts("330000-01").unwrap().is_empty());
        assert_eq!(
            store.recusal_reason("330000-01", "E01").unwrap().as_deref(),
            Some("曾参与该项目")
        );
        // Once ended, the assignment cannot be recused again.
        assert!(store.recuse(&u, "330000-01", "again").is_err());
    }

    #[test]
    fn a_submitted_sheet_cannot_be_recused() {
        let (mut store, u) = store_with_assignment();
        store
            .conn
            .execute(
                "INSERT INTO sheet (dossier_code, expert_id, submitted_at) VALUES ('330000-01', 'E01', '2026-06-02')",
                [],
            )
            .unwrap();
        let e = store.recuse(&u, "330000-01", "late").unwrap_err();
        assert!(e.to_string().contains("too late"), "{e}");
        assert_eq!(store.assigned_experts("330000-01").unwrap(), vec!["E01"]);
    }
}
