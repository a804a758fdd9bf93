//! The expert roster in the store.

use rusqlite::params;

use super::{Store, StoreError};
use crate::domain::access::{Action, User, check};
use crate::domain::expert::Expert;

fn list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

fn unlist(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

impl Store {
    /// Load or update the roster (ministry staff). Experts not in the file stay as they are, so
    /// past assignments keep their names.
    pub fn import_experts(
        &mut self,
        actor: &User,
        experts: &[Expert],
    ) -> Result<(usize, usize), StoreError> {
        check(actor, &Action::ImportExperts)?;
        let tx = self.conn.transaction()?;
        let mut added = 0;
        let mut updated = 0;
        {
            let mut upsert = tx.prepare(
                "INSERT INTO expert (id, name, affiliation, province_key, expertise, avoid_units, avoid_provinces, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, affiliation = excluded.affiliation,
                    province_key = excluded.province_key, expertise = excluded.expertise,
                    avoid_units = excluded.avoid_units, avoid_provinces = excluded.avoid_provinces, active = 1",
            )?;
            for e in experts {
                let existed: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM expert WHERE id = ?1)",
                    [&e.id],
                    |r| r.get(0),
                )?;
                upsert.execute(params![
                    e.id,
                    e.name,
                    e.affiliation,
                    e.province_key,
                    list(&e.expertise),
                    list(&e.avoid_units),
                    list(&e.avoid_provinces)
                ])?;
                if existed { updated += 1 } else { added += 1 }
            }
        }
        super::audit::append(
            &tx,
            &actor.name,
            "experts.import",
            &format!("{added} added, {updated} updated"),
        )?;
        tx.commit()?;
        Ok((added, updated))
    }

    /// The roster (ministry staff; an expert sees only their own entry).
    pub fn experts(&self, actor: &User) -> Result<Vec<Expert>, StoreError> {
        let own = match &actor.role {
            crate::domain::access::Role::Expert { expert_id } => Some(expert_id.clone()),
            _ => {
                check(actor, &Action::Assign)?;
                None
            }
        };
        self.roster(own.as_deref())
    }

    /// The roster without an access check, for the library's own use (assignment).
    pub(crate) fn roster(&self, only: Option<&str>) -> Result<Vec<Expert>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, affiliation, province_key, expertise, avoid_units, avoid_provinces, active
             FROM expert WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([only], |r| {
                Ok(Expert {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    affiliation: r.get(2)?,
                    province_key: r.get(3)?,
                    expertise: unlist(&r.get::<_, String>(4)?),
                    avoid_units: unlist(&r.get::<_, String>(5)?),
                    avoid_provinces: unlist(&r.get::<_, String>(6)?),
                    active: r.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
