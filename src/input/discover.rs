//! Finding the batches in the paths a user names: a folder of province folders, one province
//! folder, or single dossier files.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::submission::FILE_NAME;

/// One province folder's files.
#[derive(Debug, Clone)]
pub struct BatchFiles {
    pub folder: PathBuf,
    /// `None` when the folder lacks `submission.toml`.
    pub submission: Option<PathBuf>,
    /// Dossier files, sorted by name.
    pub dossiers: Vec<PathBuf>,
}

/// What was found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub batches: Vec<BatchFiles>,
    /// Dossier files named on their own: checked without their batch.
    pub loose: Vec<PathBuf>,
    /// TOML files beside province folders in a set folder (e.g. `experts.toml`): not dossiers.
    pub skipped: Vec<PathBuf>,
}

/// A path that cannot be used at all (a usage error, exit code 2).
#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
    #[error("{path}: cannot read: {source}")]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: no submission folders or dossier files found")]
    Empty(PathBuf),
}

struct Listing {
    dirs: Vec<PathBuf>,
    tomls: Vec<PathBuf>,
}

fn list(dir: &Path) -> Result<Listing, DiscoverError> {
    let unreadable = |source| DiscoverError::Unreadable {
        path: dir.to_path_buf(),
        source,
    };
    let mut dirs = Vec::new();
    let mut tomls = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        if path.is_dir() {
            dirs.push(path);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        {
            tomls.push(path);
        }
    }
    dirs.sort();
    tomls.sort();
    Ok(Listing { dirs, tomls })
}

fn batch(folder: &Path, tomls: Vec<PathBuf>) -> BatchFiles {
    let (subs, dossiers): (Vec<PathBuf>, Vec<PathBuf>) = tomls
        .into_iter()
        .partition(|p| p.file_name().is_some_and(|n| n == FILE_NAME));
    BatchFiles {
        folder: folder.to_path_buf(),
        submission: subs.into_iter().next(),
        dossiers,
    }
}

/// Find batches and loose dossiers in the given paths.
pub fn discover(paths: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    let mut out = Discovery::default();
    for path in paths {
        if !path.exists() {
            return Err(DiscoverError::Missing(path.clone()));
        }
        if path.is_file() {
            out.loose.push(path.clone());
            continue;
        }
        let here = list(path)?;
        let is_batch = here
            .tomls
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == FILE_NAME));
        if is_batch || (here.dirs.is_empty() && !here.tomls.is_empty()) {
            out.batches.push(batch(path, here.tomls));
            continue;
        }
        let before = out.batches.len();
        for dir in &here.dirs {
            let sub = list(dir)?;
            if !sub.tomls.is_empty() {
                out.batches.push(batch(dir, sub.tomls));
            }
        }
        if out.batches.len() == before {
            return Err(DiscoverError::Empty(path.clone()));
        }
        out.skipped.extend(here.tomls);
    }
    Ok(out)
}
