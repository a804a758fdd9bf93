//! Who runs a command: the database, the account (`--user`), and its password
//! (`SHIFAN_PASSWORD` for scripts, otherwise a prompt).

use std::io::IsTerminal;
use std::path::PathBuf;

use std::collections::BTreeMap;

use shifan::domain::Criteria;
use shifan::domain::access::User;
use shifan::store::{Store, StoreError};

use super::saved_session as saved;
use super::{Failure, Lang};

/// Everything a subcommand needs besides its own arguments.
pub struct Ctx {
    pub criteria: Criteria,
    pub criteria_dir: PathBuf,
    /// The texts `criteria` was read from (the round's pinned copy once there is one).
    pub criteria_files: BTreeMap<String, String>,
    pub lang: Lang,
    pub db: PathBuf,
    pub user: Option<String>,
    /// The command only reads the database: it is opened read-only ([`open_store`]).
    pub read_only: bool,
    /// `--package FILE`: the expert works in a scoring package instead of the database.
    pub package: Option<PackageSession>,
}

/// A scoring package opened with its code: the store on its database (taken by the command),
/// and what logs the expert in.
pub struct PackageSession {
    /// The package file's name, as the status bar shows it.
    pub file_name: String,
    pub header: shifan::package::Header,
    pub code: String,
    pub store: std::cell::RefCell<Option<Store>>,
}

impl PackageSession {
    fn take(&self) -> Result<Store, StoreError> {
        self.store.borrow_mut().take().ok_or_else(|| {
            StoreError::PackageFile(shifan::domain::Text::new(
                "评分包已被打开",
                "the package is open already",
            ))
        })
    }
}

/// Open the database at `path`: for a command that only reads, read-only (works in a folder the
/// user cannot write; a schema that needs upgrading is upgraded the usual way, which writes);
/// otherwise for writing, created and upgraded as needed.
pub fn open_store(path: &std::path::Path, read_only: bool) -> Result<Store, StoreError> {
    if !read_only {
        return Store::open(path);
    }
    match Store::open_read_only(path) {
        Err(StoreError::NeedsUpgrade { .. }) => Store::open(path),
        other => other,
    }
}

/// The password of `name`: `SHIFAN_PASSWORD`, or asked for on the terminal.
pub fn password(prompt: &str, var: &str) -> Result<String, Box<dyn std::error::Error>> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            format!("没有终端可以询问密码：请设置 {var}"),
            format!("no terminal to ask for the password: set {var}"),
        ));
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        Failure::usage(
            format!("无法读取密码：{e}"),
            format!("cannot read the password: {e}"),
        )
    })
}

impl Ctx {
    pub fn en(&self) -> bool {
        self.lang == Lang::En
    }

    /// Pick the Chinese or the English text.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.en() { en } else { zh }
    }

    /// Open the database, creating it when missing (read-only when it exists and the command
    /// only reads).
    pub fn open(&self) -> Result<Store, StoreError> {
        if let Some(p) = &self.package {
            return p.take();
        }
        open_store(&self.db, self.read_only && self.db.exists())
    }

    /// Open an existing database.
    pub fn open_existing(&self) -> Result<Store, Box<dyn std::error::Error>> {
        if let Some(p) = &self.package {
            return Ok(p.take()?);
        }
        if !self.db.exists() {
            let d = self.db.display();
            return Err(Failure::usage(
                format!(
                    "{d}：没有该数据库（请先运行 shifan import 或 shifan demo，或用 --db 文件 指定）"
                ),
                format!(
                    "{d}: no such database (run `shifan import` or `shifan demo` first, or give --db FILE)"
                ),
            ));
        }
        Ok(open_store(&self.db, self.read_only)?)
    }

    /// Log in as `--user`; required. `SHIFAN_PASSWORD` when set; else the session
    /// `shifan login` left for this database and account, when it is still valid; else the
    /// prompt (a script without one is told to set the variable or run `shifan login`).
    pub fn login(&self, store: &Store) -> Result<User, Box<dyn std::error::Error>> {
        if let Some(p) = &self.package {
            let code = shifan::domain::package::normalize_code(&p.code);
            return Ok(store.login(&p.header.account, &code)?);
        }
        let Some(name) = &self.user else {
            return Err(Box::new(StoreError::LoginRequired));
        };
        if std::env::var_os("SHIFAN_PASSWORD").is_none() {
            match saved::resume(&self.db, store, name) {
                Ok(Some(user)) => return Ok(user),
                Ok(None) => {}
                Err(e) if std::io::stdin().is_terminal() => {
                    // The reason, then the usual prompt.
                    if let Some(se) = e.downcast_ref::<StoreError>() {
                        eprintln!("shifan: {}", se.text().get(self.lang.code()));
                    }
                }
                Err(e) => return Err(e),
            }
            if !std::io::stdin().is_terminal() {
                return Err(Failure::usage(
                    format!(
                        "没有终端可以询问密码：请设置 SHIFAN_PASSWORD，或先运行 shifan login --user {name}"
                    ),
                    format!(
                        "no terminal to ask for the password: set SHIFAN_PASSWORD, or run `shifan login --user {name}` first"
                    ),
                ));
            }
        }
        let pw = password(&format!("{name} 的密码 / password: "), "SHIFAN_PASSWORD")?;
        Ok(store.login(name, &pw)?)
    }

    /// Log in as `--user`, or nobody while the database has no accounts yet (setting up).
    pub fn login_if_needed(
        &self,
        store: &Store,
    ) -> Result<Option<User>, Box<dyn std::error::Error>> {
        if self.user.is_none() && !store.has_accounts()? {
            return Ok(None);
        }
        self.login(store).map(Some)
    }
}
