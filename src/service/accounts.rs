//! Accounts: create, log in (argon2id), list, change a password.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::domain::access::{Action, Role, User, check};
use crate::domain::refusal::Refusal;
use crate::store::repo::account;
use crate::store::{Store, StoreError};

/// One account as listed (never with its hash).
#[derive(Debug, Clone, Serialize)]
pub struct AccountInfo {
    pub name: String,
    pub role: Role,
    pub demo: bool,
    pub created_at: String,
}

pub(crate) fn hash(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Password(e.to_string()))
}

/// A hash no password matches, verified for unknown names so that a failed login takes as long
/// whether or not the account exists. Its parameters are those [`hash`] uses (a unit test holds
/// it: if the defaults change, so must this).
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2hpZmFuLWR1bW15LXNhbHQ$TmcU1uK3jLfNvJ8mpKv1qYqIuDq6tqXUhYyvQ0Zr1Ao";

impl Store {
    /// Whether any account exists (the first one may be created without logging in).
    pub fn has_accounts(&self) -> Result<bool, StoreError> {
        account::exists_any(&self.conn)
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
        if let Some(u) = actor {
            check(u, &Action::ManageUsers)?;
        }
        if name.trim().is_empty() || password.is_empty() {
            return Err(Refusal::EmptyNameOrPassword.into());
        }
        let h = hash(password)?;
        self.step(None, |s| {
            match actor {
                None if account::exists_any(&s.tx)? => return Err(StoreError::LoginRequired),
                None if *role != Role::Ministry => {
                    return Err(Refusal::FirstAccountMustBeMinistry.into());
                }
                _ => {}
            }
            if account::exists(&s.tx, name)? {
                return Err(Refusal::AccountExists {
                    name: name.to_string(),
                }
                .into());
            }
            account::insert(&s.tx, name, role, &h, demo, &s.now)?;
            s.reseal("account", "name = ?1", &[&name])?;
            let actor_name = actor.map_or("(first account)", |u| u.name.as_str());
            s.audit(
                actor_name,
                "account.add",
                format!("{name} as {}", role.kind()),
            );
            Ok(())
        })
    }

    /// Check a name and password; the user on success. A row that does not make sense is an
    /// error, never a role.
    pub fn login(&self, name: &str, password: &str) -> Result<User, StoreError> {
        let Some(row) = account::find(&self.conn, name)? else {
            let _ = Argon2::default().verify_password(
                password.as_bytes(),
                &argon2::PasswordHash::new(DUMMY_HASH)
                    .map_err(|e| StoreError::Password(e.to_string()))?,
            );
            return Err(StoreError::BadLogin);
        };
        let parsed = argon2::PasswordHash::new(&row.password_hash).map_err(|_| {
            StoreError::corrupt(
                format!("账号「{name}」的密码记录无法读取，不能登录：请部里重设密码"),
                format!("account \"{name}\" has an unreadable password hash and cannot log in: ministry staff should reset it"),
            )
        })?;
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .map_err(|_| StoreError::BadLogin)?;
        Ok(User {
            name: row.name,
            role: row.role,
        })
    }

    /// All accounts (ministry only).
    pub fn accounts(&self, actor: &User) -> Result<Vec<AccountInfo>, StoreError> {
        check(actor, &Action::ManageUsers)?;
        Ok(account::all(&self.conn)?
            .into_iter()
            .map(|a| AccountInfo {
                name: a.name,
                role: a.role,
                demo: a.demo,
                created_at: a.created_at,
            })
            .collect())
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
            return Err(Refusal::EmptyNameOrPassword.into());
        }
        let h = hash(password)?;
        self.step(None, |s| {
            if !account::set_password(&s.tx, name, &h)? {
                return Err(Refusal::NoAccount {
                    name: name.to_string(),
                }
                .into());
            }
            s.reseal("account", "name = ?1", &[&name])?;
            s.audit(&actor.name, "account.passwd", name);
            Ok(())
        })
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
        self.step(None, |s| {
            for (name, role) in accounts {
                if account::exists(&s.tx, name)? {
                    return Err(Refusal::AccountExists { name: name.clone() }.into());
                }
                account::insert(&s.tx, name, role, &h, demo, &s.now)?;
                s.reseal("account", "name = ?1", &[name])?;
                s.audit(
                    &actor.name,
                    "account.add",
                    format!(
                        "{name} as {}{}",
                        role.kind(),
                        if demo { " (demo)" } else { "" }
                    ),
                );
            }
            Ok(())
        })
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
            rusqlite::params![key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let dummy = argon2::PasswordHash::new(DUMMY_HASH).expect("the dummy hash parses");
        let real_text = hash("some password").expect("hashing works");
        let real = argon2::PasswordHash::new(&real_text).expect("a real hash parses");
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        let params = |h: &argon2::PasswordHash| {
            argon2::Params::try_from(h).map(|p| (p.m_cost(), p.t_cost(), p.p_cost()))
        };
        assert_eq!(params(&dummy).ok(), params(&real).ok());
        assert!(params(&dummy).is_ok());
        assert_eq!(
            dummy.hash.map(|h| h.len()),
            real.hash.map(|h| h.len()),
            "same output length"
        );
    }
}
