//! Accounts: name, role (with its expert id or province), argon2id password hash.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::access::Role;
use crate::store::{StoreError, seal};

/// One account row.
#[derive(Debug, Clone)]
pub(crate) struct AccountRow {
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub demo: bool,
    pub created_at: String,
}

/// The role a row describes. A row that does not make sense (an expert without an expert id,
/// an official without a province, an unknown role, stray columns) is an error: accounts fail
/// closed, they never fall back to a role.
pub(crate) fn role_from(
    name: &str,
    kind: &str,
    expert_id: Option<String>,
    province_key: Option<String>,
) -> Result<Role, StoreError> {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    match (kind, expert_id, province_key) {
        ("ministry", e, p) if blank(&e) && blank(&p) => Ok(Role::Ministry),
        ("clerk", e, p) if blank(&e) && blank(&p) => Ok(Role::Clerk),
        ("expert", Some(expert_id), p) if !expert_id.trim().is_empty() && blank(&p) => {
            Ok(Role::Expert { expert_id })
        }
        ("official", e, Some(province_key)) if blank(&e) && !province_key.trim().is_empty() => {
            Ok(Role::Official { province_key })
        }
        (kind, ..) => Err(StoreError::corrupt(
            format!("账号「{name}」的角色记录不成立（{kind}），不能登录：请部里检查该账号"),
            format!(
                "account \"{name}\" has a role row that does not make sense ({kind}) and cannot log in: ministry staff should check it"
            ),
        )),
    }
}

pub(crate) fn role_columns(role: &Role) -> (Option<&str>, Option<&str>) {
    match role {
        Role::Expert { expert_id } => (Some(expert_id), None),
        Role::Official { province_key } => (None, Some(province_key)),
        _ => (None, None),
    }
}

pub(crate) fn exists_any(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM account)", [], |r| r.get(0))?)
}

pub(crate) fn exists(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM account WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

type Raw = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    bool,
    String,
);

fn row(r: &rusqlite::Row) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn typed(raw: Raw) -> Result<AccountRow, StoreError> {
    let (name, kind, expert_id, province_key, password_hash, demo, created_at) = raw;
    let role = role_from(&name, &kind, expert_id, province_key)?;
    Ok(AccountRow {
        name,
        role,
        password_hash,
        demo,
        created_at,
    })
}

const COLUMNS: &str = "name, role, expert_id, province_key, password_hash, demo, created_at";

/// The account to log in as. Besides making sense, the row must be the one the program wrote:
/// a row changed outside the program (a role, an expert id, a password hash copied from another
/// account) matches no seal and cannot log in, even when it reads as a valid role.
pub(crate) fn find(conn: &Connection, name: &str) -> Result<Option<AccountRow>, StoreError> {
    let raw = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM account WHERE name = ?1"),
            [name],
            row,
        )
        .optional()?;
    let Some(account) = raw.map(typed).transpose()? else {
        return Ok(None);
    };
    if !seal::row_matches_seal(conn, "account", name)? {
        return Err(StoreError::corrupt(
            format!(
                "账号「{name}」的记录与程序写入的不符（在程序之外被修改），不能登录：请部里核查（shifan audit verify）"
            ),
            format!(
                "account \"{name}\" is not as the program wrote it (changed outside the program) and cannot log in: ministry staff should check it (shifan audit verify)"
            ),
        ));
    }
    Ok(Some(account))
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<AccountRow>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM account ORDER BY name"))?;
    let raws = stmt.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(typed).collect()
}

pub(crate) fn insert(
    conn: &Connection,
    name: &str,
    role: &Role,
    password_hash: &str,
    demo: bool,
    now: &str,
) -> Result<(), StoreError> {
    let (expert_id, province_key) = role_columns(role);
    conn.execute(
        "INSERT INTO account (name, role, expert_id, province_key, password_hash, demo, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![name, role.kind(), expert_id, province_key, password_hash, demo, now],
    )?;
    Ok(())
}

pub(crate) fn set_password(
    conn: &Connection,
    name: &str,
    password_hash: &str,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "UPDATE account SET password_hash = ?1 WHERE name = ?2",
        params![password_hash, name],
    )? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_that_do_not_make_sense_fail_closed() {
        assert!(matches!(
            role_from("m", "ministry", None, None),
            Ok(Role::Ministry)
        ));
        assert!(role_from("e", "expert", None, None).is_err());
        assert!(role_from("e", "expert", Some(" ".into()), None).is_err());
        assert!(role_from("o", "official", None, None).is_err());
        assert!(role_from("x", "superuser", None, None).is_err());
        assert!(role_from("m", "ministry", Some("E01".into()), None).is_err());
        let t = role_from("e", "expert", None, None).unwrap_err().text();
        assert!(t.zh.contains("不能登录") && t.en.contains("cannot log in"));
    }
}
