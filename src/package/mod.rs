//! Remote scoring packages (函评) on the expert's computer: a package file opened with its
//! one-time code becomes the database the usual scoring screens and commands work on, held in
//! memory; after every step that commits, the file is written again (to a temporary file
//! beside it, then renamed over it), so a crash loses nothing entered.

pub mod file;

use std::path::{Path, PathBuf};

use crate::domain::Text;
use crate::domain::package::PackageRefusal;
use crate::domain::refusal::Refusal;
use crate::store::{Store, StoreError};

pub use file::Header;

fn file_error(path: &Path, zh: &str, en: &str, e: &std::io::Error) -> StoreError {
    let p = path.display();
    StoreError::PackageFile(Text::new(
        format!("{p}：{zh}（{e}）"),
        format!("{p}: {en} ({e})"),
    ))
}

/// Read a package file's bytes.
pub fn read_file(path: &Path) -> Result<Vec<u8>, StoreError> {
    std::fs::read(path)
        .map_err(|e| file_error(path, "无法读取评分包", "cannot read the package", &e))
}

/// Write `bytes` over `path` through a temporary file in the same folder.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut tmp: PathBuf = path.to_path_buf();
    tmp.as_mut_os_string().push(".saving");
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        file_error(
            path,
            "无法写回评分包，刚才的修改未写入文件",
            "cannot write the package back; the last change is not in the file",
            &e,
        )
    })
}

/// Open the package at `path` with the one-time `code`: the store on its database, which
/// writes the file again after each step, and the package's header.
pub fn open(path: &Path, code: &str) -> Result<(Store, Header), StoreError> {
    let name = path.display().to_string();
    let refused = |p: PackageRefusal| StoreError::Refused(Refusal::Package(p));
    let opened = file::read(&name, read_file(path)?)
        .and_then(|s| s.open_with_code(&name, code))
        .map_err(refused)?;
    let header = opened.header.clone();
    let (path_buf, key, h) = (path.to_path_buf(), opened.key.clone(), header.clone());
    let saver: crate::store::Saver =
        Box::new(move |db: &[u8]| replace(&path_buf, &file::write(&h, db, &key)));
    let store = Store::open_bytes(&opened.database, Some(saver)).map_err(|e| {
        refused(PackageRefusal::NotAPackage {
            file: name.clone(),
            why: e.text(),
        })
    })?;
    Ok((store, header))
}
