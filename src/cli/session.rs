//! Who runs a command: the database, the account (`--user`), and its password
//! (`SHIFAN_PASSWORD` for scripts, otherwise a prompt).

use std::io::IsTerminal;
use std::path::PathBuf;

use shifan::domain::Criteria;
use shifan::domain::access::User;
use shifan::store::{Store, StoreError};

use super::Lang;

/// Everything a subcommand needs besides its own arguments.
pub struct Ctx {
    pub criteria: Criteria,
    pub criteria_dir: PathBuf,
    pub lang: Lang,
    pub db: PathBuf,
    pub user: Option<String>,
}

/// The password of `name`: `SHIFAN_PASSWORD`, or asked for on the terminal.
pub fn password(prompt: &str, var: &str) -> Result<String, StoreError> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(StoreError::Invalid(format!(
            "no terminal to ask for the password: set {var}"
        )));
    }
    rpassword::prompt_password(prompt).map_err(|e| StoreError::Invalid(e.to_string()))
}

impl Ctx {
    pub fn en(&self) -> bool {
        self.lang == Lang::En
    }

    /// Pick the Chinese or the English text.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.en() { en } else { zh }
    }

    /// Open the database, creating it when missing.
    pub fn open(&self) -> Result<Store, StoreError> {
        Store::open(&self.db)
    }

    /// Open an existing database.
    pub fn open_existing(&self) -> Result<Store, StoreError> {
        if !self.db.exists() {
            return Err(StoreError::Invalid(format!(
                "{}: no such database (run `shifan import` or `shifan demo` first, or give --db FILE)",
                self.db.display()
            )));
        }
        Store::open(&self.db)
    }

    /// Log in as `--user`; required.
    pub fn login(&self, store: &Store) -> Result<User, StoreError> {
        let Some(name) = &self.user else {
            return Err(StoreError::LoginRequired);
        };
        let pw = password(&format!("{name} 的密码 / password: "), "SHIFAN_PASSWORD")?;
        store.login(name, &pw)
    }

    /// Log in as `--user`, or nobody while the database has no accounts yet (setting up).
    pub fn login_if_needed(&self, store: &Store) -> Result<Option<User>, StoreError> {
        if self.user.is_none() && !store.has_accounts()? {
            return Ok(None);
        }
        self.login(store).map(Some)
    }

    /// A date option, or today.
    pub fn date_or_today(on: Option<jiff::civil::Date>) -> jiff::civil::Date {
        on.unwrap_or_else(|| jiff::ZonedDateTime::now().date())
    }
}
