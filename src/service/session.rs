//! CLI sessions: `shifan login` checks the password once (argon2, the costly part of a short
//! command) and hands back a token; later commands present the token instead of the password.
//! Everything a token must satisfy — made by this database, for this account, not expired, the
//! account still there with the password it had — is checked here, in [`judge`], and nowhere
//! else. Where the token is kept (a file only the OS user can read) is the CLI's business.
//!
//! A token carries two MACs keyed by the round's session secret (`meta` key `session_secret`,
//! made on the first login): `seal` over (database, account, expiry, nonce) tells a token of
//! this database from one of another or an altered one; `mac` over the same and the account's
//! current password hash goes stale when the password changes. Both must hold.

use serde::{Deserialize, Serialize};

use crate::domain::Text;
use crate::domain::access::User;
use crate::package::file::{hex, hmac, unhex};
use crate::store::repo::{account, meta};
use crate::store::{Store, StoreError};

/// A session lasts this long unless `--hours` says otherwise (hours).
pub const DEFAULT_HOURS: u32 = 8;
/// The longest session `--hours` may ask for (hours): a working day and its evening.
pub const MAX_HOURS: u32 = 24;
/// The token format's version.
const VERSION: u32 = 1;

/// What `shifan login` writes and later commands present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionToken {
    pub version: u32,
    /// The database's identity: its canonical path.
    pub database: String,
    pub account: String,
    /// When the session ends (seconds since 1970-01-01 UTC).
    pub expires: i64,
    /// 16 random bytes, hex: two logins never make the same token.
    pub nonce: String,
    /// HMAC(secret, database, account, expiry, nonce), hex.
    pub seal: String,
    /// HMAC(secret, database, account, expiry, nonce, password hash), hex.
    pub mac: String,
}

/// Why a session is not taken (the command then asks for the password, or a script is told
/// to run `shifan login`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionRefusal {
    /// `--hours` outside 1..=[`MAX_HOURS`].
    Hours { given: u32 },
    /// The file is not a session this program wrote.
    Unreadable,
    /// The session file may be read by others than its owner (its mode, octal).
    Exposed { mode: u32 },
    /// Made for another database file.
    OtherDatabase { made_for: String },
    /// Made for another account than `--user`.
    OtherAccount { made_for: String },
    /// Past its end (RFC 3339, UTC).
    Expired { at: String },
    /// The database at this path did not make it: replaced by another round's, or the token
    /// was altered.
    NotThisDatabase,
    /// The account's password changed since the login.
    PasswordChanged,
    /// The account no longer exists.
    AccountGone { name: String },
}

impl SessionRefusal {
    /// The reason in both languages, with what to do.
    pub fn text(&self) -> Text {
        let (zh, en) = match self {
            SessionRefusal::Hours { given } => {
                return Text::new(
                    format!("--hours {given} 不可用：会话时长为 1 至 {MAX_HOURS} 小时"),
                    format!("--hours {given} is not allowed: a session lasts 1 to {MAX_HOURS} hours"),
                );
            }
            SessionRefusal::Unreadable => (
                "会话文件无法读取（不是本程序写入的会话）".to_string(),
                "the session file cannot be read (not a session this program wrote)".to_string(),
            ),
            SessionRefusal::Exposed { mode } => (
                format!("会话文件可被他人读取（权限 {mode:o}），已作废"),
                format!("the session file could be read by others (mode {mode:o}) and is void"),
            ),
            SessionRefusal::OtherDatabase { made_for } => (
                format!("会话是为另一个数据库（{made_for}）建立的"),
                format!("the session was made for another database ({made_for})"),
            ),
            SessionRefusal::OtherAccount { made_for } => (
                format!("会话属于另一个账号（{made_for}）"),
                format!("the session belongs to another account ({made_for})"),
            ),
            SessionRefusal::Expired { at } => (
                format!("会话已于 {at} 过期"),
                format!("the session expired at {at}"),
            ),
            SessionRefusal::NotThisDatabase => (
                "会话不是由此数据库建立的（该路径的数据库已被替换，或会话文件被改动）".to_string(),
                "the session was not made by this database (the database at this path was replaced, or the session file was altered)".to_string(),
            ),
            SessionRefusal::PasswordChanged => (
                "登录后该账号的密码已更改".to_string(),
                "the account's password was changed since the login".to_string(),
            ),
            SessionRefusal::AccountGone { name } => (
                format!("账号「{name}」已不存在"),
                format!("the account \"{name}\" no longer exists"),
            ),
        };
        Text::new(
            format!("{zh}：请重新登录（shifan login --user 账号）"),
            format!("{en}: log in again (shifan login --user NAME)"),
        )
    }
}

/// The fields both MACs cover, each length-prefixed so no two tokens read alike.
fn fields<'a>(
    database: &'a str,
    account: &'a str,
    expires: &'a [u8; 8],
    nonce: &'a str,
) -> [&'a [u8]; 4] {
    [
        database.as_bytes(),
        account.as_bytes(),
        expires.as_slice(),
        nonce.as_bytes(),
    ]
}

fn mac_over(secret: &[u8], label: &[u8], parts: &[&[u8]]) -> String {
    let mut framed: Vec<Vec<u8>> = vec![label.to_vec()];
    for p in parts {
        framed.push((p.len() as u64).to_le_bytes().to_vec());
        framed.push(p.to_vec());
    }
    let refs: Vec<&[u8]> = framed.iter().map(Vec::as_slice).collect();
    hex(&hmac(secret, &refs))
}

fn seal_of(secret: &[u8], database: &str, account: &str, expires: i64, nonce: &str) -> String {
    let e = expires.to_le_bytes();
    mac_over(
        secret,
        b"shifan session seal\0",
        &fields(database, account, &e, nonce),
    )
}

fn mac_of(
    secret: &[u8],
    database: &str,
    account: &str,
    expires: i64,
    nonce: &str,
    password_hash: &str,
) -> String {
    let e = expires.to_le_bytes();
    let mut parts = fields(database, account, &e, nonce).to_vec();
    parts.push(password_hash.as_bytes());
    mac_over(secret, b"shifan session\0", &parts)
}

/// Equal, in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// What a token is checked against.
pub struct Expected<'a> {
    pub database: &'a str,
    pub account: &'a str,
    /// Seconds since 1970-01-01 UTC.
    pub now: i64,
    /// The round's session secret; `None` if this database never made a session.
    pub secret: Option<&'a [u8]>,
    /// The account's current password hash; `None` if the account no longer exists.
    pub password_hash: Option<&'a str>,
}

/// Whether `token` opens a session: the one check every use of a session goes through.
pub fn judge(token: &SessionToken, x: &Expected) -> Result<(), SessionRefusal> {
    if token.version != VERSION || unhex(&token.nonce).is_none_or(|n| n.len() != 16) {
        return Err(SessionRefusal::Unreadable);
    }
    if token.database != x.database {
        return Err(SessionRefusal::OtherDatabase {
            made_for: token.database.clone(),
        });
    }
    if token.account != x.account {
        return Err(SessionRefusal::OtherAccount {
            made_for: token.account.clone(),
        });
    }
    // Expiry first: an expired token is refused as such, whatever else it says.
    if x.now >= token.expires {
        return Err(SessionRefusal::Expired {
            at: rfc3339(token.expires),
        });
    }
    let Some(secret) = x.secret else {
        return Err(SessionRefusal::NotThisDatabase);
    };
    let seal = seal_of(
        secret,
        &token.database,
        &token.account,
        token.expires,
        &token.nonce,
    );
    if !same(&seal, &token.seal) {
        return Err(SessionRefusal::NotThisDatabase);
    }
    let Some(hash) = x.password_hash else {
        return Err(SessionRefusal::AccountGone {
            name: token.account.clone(),
        });
    };
    let mac = mac_of(
        secret,
        &token.database,
        &token.account,
        token.expires,
        &token.nonce,
        hash,
    );
    if !same(&mac, &token.mac) {
        return Err(SessionRefusal::PasswordChanged);
    }
    Ok(())
}

/// Seconds since 1970 as RFC 3339 UTC (to the second).
pub fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| secs.to_string())
}

/// Now, in seconds since 1970-01-01 UTC (the system clock; `SHIFAN_TODAY` does not move it).
pub fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

const SECRET_KEY: &str = "session_secret";

/// The session secret as kept (hex) back to bytes.
fn unhex_secret(kept: &str) -> Result<Vec<u8>, StoreError> {
    unhex(kept).ok_or_else(|| {
        StoreError::corrupt(
            "数据库中的会话密钥无法读取：请部里核查",
            "the database's session secret cannot be read: ministry staff should check it",
        )
    })
}

impl Store {
    /// The round's session secret, if a session was ever made here.
    fn session_secret(&self) -> Result<Option<Vec<u8>>, StoreError> {
        meta::get(&self.conn, SECRET_KEY)?
            .map(|s| unhex_secret(&s))
            .transpose()
    }

    /// Log in with a password and make a session of `hours` for `database` (its canonical
    /// path). The round's session secret is made on the first login.
    pub fn open_session(
        &mut self,
        database: &str,
        name: &str,
        password: &str,
        hours: u32,
        now: i64,
    ) -> Result<(User, SessionToken), StoreError> {
        if !(1..=MAX_HOURS).contains(&hours) {
            return Err(StoreError::Session(SessionRefusal::Hours { given: hours }));
        }
        let user = self.login(name, password)?;
        let secret = match self.session_secret()? {
            Some(s) => s,
            None => self.step(None, |s| unhex_secret(&meta::secret(&s.tx, SECRET_KEY)?))?,
        };
        let hash = account::find(&self.conn, name)?
            .map(|a| a.password_hash)
            .ok_or(StoreError::BadLogin)?;
        let expires = now + i64::from(hours) * 3600;
        let nonce = hex(&rand::random::<[u8; 16]>());
        let token = SessionToken {
            version: VERSION,
            database: database.to_string(),
            account: user.name.clone(),
            expires,
            seal: seal_of(&secret, database, &user.name, expires, &nonce),
            mac: mac_of(&secret, database, &user.name, expires, &nonce, &hash),
            nonce,
        };
        Ok((user, token))
    }

    /// The user a session logs in, if [`judge`] takes it; the account is read the way a
    /// password login reads it (a row changed outside the program is refused the same way).
    pub fn resume_session(
        &self,
        token: &SessionToken,
        database: &str,
        name: &str,
        now: i64,
    ) -> Result<User, StoreError> {
        let secret = self.session_secret()?;
        let row = account::find(&self.conn, name)?;
        judge(
            token,
            &Expected {
                database,
                account: name,
                now,
                secret: secret.as_deref(),
                password_hash: row.as_ref().map(|r| r.password_hash.as_str()),
            },
        )
        .map_err(StoreError::Session)?;
        let row = row.ok_or(StoreError::BadLogin)?;
        Ok(User {
            name: row.name,
            role: row.role,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    const DB: &str = "/srv/round/shifan.db";

    fn token(expires: i64) -> SessionToken {
        let nonce = "00112233445566778899aabbccddeeff".to_string();
        SessionToken {
            version: VERSION,
            database: DB.into(),
            account: "clerk".into(),
            expires,
            seal: seal_of(SECRET, DB, "clerk", expires, &nonce),
            mac: mac_of(SECRET, DB, "clerk", expires, &nonce, HASH),
            nonce,
        }
    }

    fn expected(now: i64) -> Expected<'static> {
        Expected {
            database: DB,
            account: "clerk",
            now,
            secret: Some(SECRET),
            password_hash: Some(HASH),
        }
    }

    #[test]
    fn a_fresh_token_opens_the_session() {
        assert_eq!(judge(&token(1000), &expected(999)), Ok(()));
    }

    #[test]
    fn each_condition_is_refused_with_its_reason() {
        let t = token(1000);
        assert!(matches!(
            judge(&t, &expected(1000)),
            Err(SessionRefusal::Expired { .. })
        ));
        let other_db = Expected {
            database: "/elsewhere/shifan.db",
            ..expected(0)
        };
        assert!(matches!(
            judge(&t, &other_db),
            Err(SessionRefusal::OtherDatabase { .. })
        ));
        let other_account = Expected {
            account: "ministry",
            ..expected(0)
        };
        assert!(matches!(
            judge(&t, &other_account),
            Err(SessionRefusal::OtherAccount { .. })
        ));
        let other_secret = Expected {
            secret: Some(b"another round's secret, 32 bytes"),
            ..expected(0)
        };
        assert_eq!(
            judge(&t, &other_secret),
            Err(SessionRefusal::NotThisDatabase)
        );
        let no_secret = Expected {
            secret: None,
            ..expected(0)
        };
        assert_eq!(judge(&t, &no_secret), Err(SessionRefusal::NotThisDatabase));
        let new_password = Expected {
            password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$bmV3"),
            ..expected(0)
        };
        assert_eq!(
            judge(&t, &new_password),
            Err(SessionRefusal::PasswordChanged)
        );
        let gone = Expected {
            password_hash: None,
            ..expected(0)
        };
        assert!(matches!(
            judge(&t, &gone),
            Err(SessionRefusal::AccountGone { .. })
        ));
    }

    #[test]
    fn an_altered_token_is_refused() {
        let mut later = token(1000);
        later.expires = 5000;
        assert_eq!(
            judge(&later, &expected(2000)),
            Err(SessionRefusal::NotThisDatabase)
        );
        let mut renamed = token(1000);
        renamed.account = "ministry".into();
        let as_ministry = Expected {
            account: "ministry",
            ..expected(0)
        };
        assert_eq!(
            judge(&renamed, &as_ministry),
            Err(SessionRefusal::NotThisDatabase)
        );
        let mut bad_nonce = token(1000);
        bad_nonce.nonce = "zz".into();
        assert_eq!(
            judge(&bad_nonce, &expected(0)),
            Err(SessionRefusal::Unreadable)
        );
    }

    #[test]
    fn every_refusal_speaks_both_languages_and_says_to_log_in() {
        for r in [
            SessionRefusal::Unreadable,
            SessionRefusal::Exposed { mode: 0o644 },
            SessionRefusal::Expired { at: rfc3339(0) },
            SessionRefusal::NotThisDatabase,
            SessionRefusal::PasswordChanged,
        ] {
            let t = r.text();
            assert!(t.zh.contains("shifan login"), "{}", t.zh);
            assert!(t.en.contains("shifan login"), "{}", t.en);
            assert!(!t.zh.is_ascii());
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
