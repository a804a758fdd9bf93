//! `shifan backup --out FILE [--force]`: a consistent copy of the database while others write
//! (SQLite's online backup), checked, moved into place whole; never through a symlink.

use std::path::PathBuf;
use std::process::ExitCode;

use super::session::Ctx;
use super::{CliResult, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to write (a new file; an existing one only with --force; never a symlink).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace an existing file at --out.
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// No login: whoever can open the database file can copy it anyway, so the file system's
/// permissions decide (docs/deployment.md); a nightly job then needs no password.
pub fn run(ctx: &Ctx, a: Args) -> CliResult {
    let store = ctx.open_existing()?;
    let r = match store.backup_to(&a.out, a.force) {
        Ok(r) => r,
        Err(shifan::store::BackupError::Store(e)) => return Err(Box::new(e)),
        Err(e) => {
            eprintln!("shifan: {}", e.text().get(ctx.lang.code()));
            return Ok(ExitCode::from(1));
        }
    };
    if a.format == Format::Json {
        super::out::json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    let head = r.head.as_deref().unwrap_or("-");
    if ctx.en() {
        println!(
            "backup written: {} ({} bytes, {} pages), a consistent copy of {}; integrity checked",
            r.out.display(),
            r.bytes,
            r.pages,
            ctx.db.display()
        );
        println!(
            "audit head of the copy: {head}  (check it later: shifan audit verify --head {head})"
        );
    } else {
        println!(
            "备份已写入：{}（{} 字节，{} 页），为 {} 的一致副本；完整性检查通过",
            r.out.display(),
            r.bytes,
            r.pages,
            ctx.db.display()
        );
        println!("副本的审计头：{head}（日后核对：shifan audit verify --head {head}）");
    }
    Ok(ExitCode::SUCCESS)
}
