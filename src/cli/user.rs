//! `shifan user add|list|passwd`

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use shifan::domain::access::Role;

use super::session::{Ctx, password};
use super::{CliResult, Failure, Format};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleKind {
    Ministry,
    Expert,
    Official,
    Clerk,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create an account (the very first one must be ministry staff and needs no login). The
    /// new password comes from SHIFAN_NEW_PASSWORD or a prompt.
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: RoleKind,
        /// The roster id of an expert account (e.g. E07).
        #[arg(long)]
        expert: Option<String>,
        /// The reporting unit of an official (key, code, or name).
        #[arg(long)]
        province: Option<String>,
    },
    /// List the accounts (ministry staff).
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Change a password: your own, or (ministry staff) anyone's. The new password comes from
    /// SHIFAN_NEW_PASSWORD or a prompt.
    Passwd { name: Option<String> },
}

fn new_password(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    let p = password(
        &format!("{name} 的新密码 / new password: "),
        "SHIFAN_NEW_PASSWORD",
    )?;
    if std::env::var("SHIFAN_NEW_PASSWORD").is_err() {
        let again = password("再输入一次 / again: ", "SHIFAN_NEW_PASSWORD")?;
        if again != p {
            return Err(Failure::usage(
                "两次输入的密码不同",
                "the two passwords differ",
            ));
        }
    }
    Ok(p)
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> CliResult {
    let mut store = ctx.open()?;
    match cmd {
        Cmd::Add {
            name,
            role,
            expert,
            province,
        } => {
            let role = match role {
                RoleKind::Ministry => Role::Ministry,
                RoleKind::Clerk => Role::Clerk,
                RoleKind::Expert => Role::Expert {
                    expert_id: expert.ok_or_else(|| {
                        Failure::usage(
                            "专家账号须指定 --expert 编号",
                            "an expert account needs --expert ID",
                        )
                    })?,
                },
                RoleKind::Official => {
                    let written = province.ok_or_else(|| {
                        Failure::usage(
                            "省级账号须指定 --province 省份",
                            "an official account needs --province",
                        )
                    })?;
                    let key = ctx
                        .criteria
                        .provinces
                        .all()
                        .iter()
                        .find(|p| p.key == written || p.name == written || p.short == written)
                        .map(|p| p.key.clone())
                        .ok_or_else(|| {
                            Failure::usage(
                                format!("provinces.toml 中没有申报地区「{written}」"),
                                format!("no reporting unit \"{written}\" in provinces.toml"),
                            )
                        })?;
                    Role::Official { province_key: key }
                }
            };
            let actor = ctx.login_if_needed(&store)?;
            let pw = new_password(&name)?;
            store.add_account(actor.as_ref(), &name, &role, &pw, false)?;
            println!(
                "{} {name} ({})",
                ctx.t("已创建账号", "account created:"),
                role.label().get(ctx.lang.code())
            );
        }
        Cmd::List { format } => {
            let actor = ctx.login(&store)?;
            let list = store.accounts(&actor)?;
            if format == Format::Json {
                super::out::json(&list)?;
            } else {
                for a in &list {
                    println!(
                        "{}  {}{}",
                        super::report::pad(&a.name, 22),
                        a.role.label().get(ctx.lang.code()),
                        if a.demo {
                            ctx.t("  【演示】", "  [demo]")
                        } else {
                            ""
                        }
                    );
                }
            }
        }
        Cmd::Passwd { name } => {
            let actor = ctx.login(&store)?;
            let name = name.unwrap_or_else(|| actor.name.clone());
            let pw = new_password(&name)?;
            store.set_password(&actor, &name, &pw)?;
            println!("{} {name}", ctx.t("已修改密码：", "password changed for"));
        }
    }
    Ok(ExitCode::SUCCESS)
}
