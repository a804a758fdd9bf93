//! `shifan login [--hours N]` and `shifan logout`: type the password once for a working day
//! (the session's rules: `shifan::service::session`; its file: `saved_session`).

use std::process::ExitCode;

use shifan::service::session::{DEFAULT_HOURS, now_secs, rfc3339};
use shifan::store::StoreError;

use super::CliResult;
use super::saved_session as saved;
use super::session::{Ctx, password};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How long the session lasts (hours, 1 to 24).
    #[arg(long, default_value_t = DEFAULT_HOURS)]
    pub hours: u32,
}

/// Check `--user`'s password (SHIFAN_PASSWORD or a prompt) and keep a session for it; a wrong
/// password writes nothing.
pub fn login(ctx: &Ctx, a: Args) -> CliResult {
    let Some(name) = &ctx.user else {
        return Err(Box::new(StoreError::LoginRequired));
    };
    let mut store = ctx.open_existing()?;
    let pw = password(&format!("{name} 的密码 / password: "), "SHIFAN_PASSWORD")?;
    let identity = saved::identity(&ctx.db);
    let (user, token) = store.open_session(&identity, name, &pw, a.hours, now_secs())?;
    let path = saved::write(&token)?;
    let until = rfc3339(token.expires);
    let file = path.display();
    if ctx.en() {
        println!(
            "logged in as {} until {until} (session file {file})",
            user.name
        );
    } else {
        println!(
            "已登录为 {}，会话有效至 {until}（会话文件 {file}）",
            user.name
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Delete `--user`'s session on this database.
pub fn logout(ctx: &Ctx) -> CliResult {
    let Some(name) = &ctx.user else {
        return Err(Box::new(StoreError::LoginRequired));
    };
    let had = saved::remove(&ctx.db, name)?;
    let text = match (had, ctx.en()) {
        (true, true) => format!("logged out: the session of {name} is deleted"),
        (true, false) => format!("已退出：{name} 的会话已删除"),
        (false, true) => format!("{name} had no session on this database"),
        (false, false) => format!("{name} 在此数据库上没有会话"),
    };
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}
