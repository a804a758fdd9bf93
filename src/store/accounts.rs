//! Accounts: argon2id password hashes, roles, login.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError};
use crate::domain::access::{Action, Role, User, check};

/// One account as listed (never with its hash).
#[derive(Debug, Clone, Serialize)]
pub struct AccountInfo {
    pub name: String,
    pub role: Role,
    pub demo: bool,
    pub created_at: String,
}

fn hash(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Password(e.to_string()))
}

fn role_from(kind: &str, expert_id: Option<String>, province_key: Option<String>) -> Role {
    match (kind, expert_id, province_key) {
        ("expert", Some(expert_id), _) => Role::Expert { expert_id },
        ("official", _, Some(province_key)) => Role::Official { province_key },
        ("clerk", _, _) => Role::Clerk,
        _ => Role::Ministry,
    }
}

fn role_columns(role: &Role) -> (Option<&str>, Option<&str>) {
    match role {
        Role::Expert { expert_id } => (Some(expert_id), None),
        Role::Official { province_key } => (None, Some(province_key)),
        _ => (None, None),
    }
}

impl Store {
    /// Whether any account exists (the first one may be created without logging in).
    pub fn has_accounts(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM account)", [], |r| r.get(0))?)
    }

    /// Create an account. `actor` is `None` only for the very first (ministry) account.
    pub fn add_account(
        &mut self,
        actor: Option<&User>,
        name: &str,
        role: &Role,
        password: &str,
        demo: bool,
    ) -> Result<(), StoreError> {
        match actor {
            Some(u) => check(u, &Action::ManageUsers)?,
            None if self.has_accounts()? => return Err(StoreError::LoginRequired),
            None if *role != Role::Ministry => {
                return Err(StoreError::Invalid(
                    "the first account must be a ministry account".into(),
                ));
            }
            None => {}
        }
        if name.trim().is_empty() || password.is_empty() {
            return Err(StoreError::Invalid(
                "an account needs a name and a non-empty password".into(),
            ));
        }
        let (expert_id, province_key) = role_columns(role);
        let h = hash(password)?;
        let now = jiff::Timestamp::now().to_string();
        let tx = self.conn.transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM account WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::Invalid(format!(
                "account \"{name}\" already exists"
            )));
        }
        tx.execute(
            "INSERT INTO account (name, role, expert_id, province_key, password_hash, demo, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![name, role.kind(), expert_id, province_key, h, demo, now],
        )?;
        let actor_name = actor.map_or("(first account)", |u| u.name.as_str());
        super::audit::append(
            &tx,
            actor_name,
            "account.add",
            &format!("{name} as {}", role.kind()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Check a name and password; the user on success.
    pub fn login(&self, name: &str, password: &str) -> Result<User, StoreError> {
        let row: Option<(String, Option<String>, Option<String>, String)> = self
            .conn
            .query_row(
                "SELECT role, expert_id, province_key, password_hash FROM account WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((kind, expert_id, province_key, stored)) = row else {
            return Err(StoreError::BadLogin);
        };
        Argon2::default()
            .verify_password(password.as_bytes(), stored.as_str())
            .map_err(|_| StoreError::BadLogin)?;
        Ok(User {
            name: name.to_string(),
            role: role_from(&kind, expert_id, province_key),
        })
    }

    /// All accounts (ministry only).
    pub fn accounts(&self, actor: &User) -> Result<Vec<AccountInfo>, StoreError> {
        check(actor, &Action::ManageUsers)?;
        let mut stmt = self.conn.prepare("SELECT name, role, expert_id, province_key, demo, created_at FROM account ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AccountInfo {
                    name: r.get(0)?,
                    role: role_from(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?),
                    demo: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Change a password: one's own, or anyone's for ministry staff.
    pub fn set_password(
        &mut self,
        actor: &User,
        name: &str,
        password: &str,
    ) -> Result<(), StoreError> {
        if actor.name != name {
            check(actor, &Action::ManageUsers)?;
        }
        if password.is_empty() {
            return Err(StoreError::Invalid("the password must not be empty".into()));
        }
        let h = hash(password)?;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE account SET password_hash = ?1 WHERE name = ?2",
            params![h, name],
        )?;
        if n == 0 {
            return Err(StoreError::Invalid(format!("no account \"{name}\"")));
        }
        super::audit::append(&tx, &actor.name, "account.passwd", name)?;
        tx.commit()?;
        Ok(())
    }

    /// Create many accounts with one password (one hash computed, as for the demo accounts).
    pub fn add_accounts(
        &mut self,
        actor: &User,
        accounts: &[(String, Role)],
        password: &str,
        demo: bool,
    ) -> Result<(), StoreError> {
        check(actor, &Action::ManageUsers)?;
        let h = hash(password)?;
        let now = jiff::Timestamp::now().to_string();
        let tx = self.conn.transaction()?;
        for (name, role) in accounts {
            let (expert_id, province_key) = role_columns(role);
            tx.execute(
                "INSERT INTO account (name, role, expert_id, province_key, password_hash, demo, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![name, role.kind(), expert_id, province_key, h, demo, now],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::Invalid(format!("account \"{name}\" already exists"))
                }
                e => e.into(),
            })?;
            super::audit::append(
                &tx,
                &actor.name,
                "account.add",
                &format!(
                    "{name} as {}{}",
                    role.kind(),
                    if demo { " (demo)" } else { "" }
                ),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A value of the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
