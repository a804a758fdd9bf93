//! What must hold for every run, whatever the input: no panic, no hang, no raw control reaching
//! a terminal, an exit status that agrees with the report, and no half-imported batch.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::exec::Run;
use crate::json::{self, Json};
use crate::mutate::visible;

/// The kinds of failure, as named in the summary and in saved case folders.
pub const KINDS: &[&str] = &[
    "panic",
    "crash",
    "hang",
    "exit-code",
    "controls",
    "bad-json",
    "exit-mismatch",
    "report-mismatch",
    "half-import",
    "nondeterministic",
];

#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: &'static str,
    /// Which run (index into the case's runs).
    pub run: usize,
    pub detail: String,
}

/// Panic, crash, hang and unknown exit codes, for any run.
pub fn process(run: &Run, index: usize, allowed: &[i32], out: &mut Vec<Failure>) {
    let mut fail = |kind, detail: String| {
        out.push(Failure {
            kind,
            run: index,
            detail,
        })
    };
    let stderr = run.stderr_text();
    if run.timed_out {
        fail(
            "hang",
            format!("killed after {:.1} s", run.elapsed.as_secs_f64()),
        );
        return;
    }
    if run.code == Some(101) || stderr.contains("panicked") {
        let at = stderr
            .lines()
            .find(|l| l.contains("panicked"))
            .unwrap_or("exit code 101");
        fail("panic", visible(at));
    } else if let Some(sig) = run.signal {
        let why = stderr
            .lines()
            .find(|l| l.contains("memory allocation") || l.contains("overflow"))
            .map(|l| format!(": {}", visible(l)))
            .unwrap_or_default();
        fail("crash", format!("killed by signal {sig}{why}"));
    } else if run.code.is_none() {
        fail("crash", "no exit status".to_string());
    } else if let Some(c) = run.code.filter(|c| !allowed.contains(c)) {
        fail(
            "exit-code",
            format!("exit code {c}, expected one of {allowed:?}"),
        );
    }
}

/// The first character a terminal would act on rather than show: C0 controls other than tab
/// and newline, DEL, C1 controls and bidi controls; bytes that are not UTF-8 count too.
pub fn first_control(bytes: &[u8]) -> Option<String> {
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            let cp = c as u32;
            let bad = (cp < 0x20 && c != '\t' && c != '\n')
                || (0x7F..=0x9F).contains(&cp)
                || matches!(cp, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0x061C);
            if bad {
                let at = offset + i;
                let from = at.saturating_sub(60);
                let to = (at + 60).min(bytes.len());
                let context = String::from_utf8_lossy(&bytes[from..to]);
                return Some(format!("U+{cp:04X} at byte {at}: …{}…", visible(&context)));
            }
        }
        offset += chunk.valid().len();
        if let Some(&b) = chunk.invalid().first() {
            return Some(format!("byte 0x{b:02X} that is not UTF-8 at byte {offset}"));
        }
        offset += chunk.invalid().len();
    }
    None
}

/// Human output: nothing that drives the terminal.
pub fn human(run: &Run, index: usize, out: &mut Vec<Failure>) {
    for (name, bytes) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(what) = first_control(bytes) {
            out.push(Failure {
                kind: "controls",
                run: index,
                detail: format!("{name}: {what}"),
            });
        }
    }
}

/// Parses a run's JSON stdout (only when it exited 0 or 1: exit 2 prints an error instead).
pub fn parsed(run: &Run, index: usize, out: &mut Vec<Failure>) -> Option<Json> {
    if !matches!(run.code, Some(0 | 1)) || run.timed_out {
        return None;
    }
    match json::parse(&run.stdout_text()) {
        Ok(v) => Some(v),
        Err(e) => {
            out.push(Failure {
                kind: "bad-json",
                run: index,
                detail: e,
            });
            None
        }
    }
}

fn num(v: &Json, key: &str) -> Option<u64> {
    v.get(key).and_then(Json::as_u64)
}

/// `validate --format json`: errors => exit 1, none => exit 0.
pub fn validate_json(run: &Run, index: usize, v: &Json, out: &mut Vec<Failure>) {
    let Some(errors) = num(v, "errors") else {
        out.push(Failure {
            kind: "bad-json",
            run: index,
            detail: "no `errors` count".to_string(),
        });
        return;
    };
    let expected = if errors > 0 { 1 } else { 0 };
    if run.code != Some(expected) {
        out.push(Failure {
            kind: "exit-mismatch",
            run: index,
            detail: format!("{errors} errors reported, exit code {:?}", run.code),
        });
    }
}

/// One batch as import reported it.
#[derive(Debug)]
pub struct Imported {
    pub folder: String,
    pub province: Option<String>,
    pub outcome: String,
    pub dossiers: Option<u64>,
}

pub fn import_results(v: &Json) -> Vec<Imported> {
    v.get("import")
        .and_then(Json::as_arr)
        .unwrap_or(&[])
        .iter()
        .map(|r| Imported {
            folder: r
                .get("folder")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string(),
            province: r.get("province").and_then(Json::as_str).map(str::to_string),
            outcome: r
                .get("outcome")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string(),
            dossiers: num(r, "dossiers"),
        })
        .collect()
}

/// `import --format json` into a fresh database: the exit status, and the report's importable
/// batches against what was imported.
pub fn import_json(run: &Run, index: usize, v: &Json, out: &mut Vec<Failure>) {
    let errors = num(v, "errors").unwrap_or(0);
    let results = import_results(v);
    let all_in = results.iter().all(|r| r.outcome == "imported");
    let expected = if all_in && errors == 0 { 0 } else { 1 };
    if run.code != Some(expected) {
        out.push(Failure {
            kind: "exit-mismatch",
            run: index,
            detail: format!(
                "{errors} errors, {} of {} batches imported, exit code {:?}",
                results.iter().filter(|r| r.outcome == "imported").count(),
                results.len(),
                run.code
            ),
        });
    }
    let importable: Vec<&str> = v
        .get("importable_batches")
        .and_then(Json::as_arr)
        .unwrap_or(&[])
        .iter()
        .filter_map(Json::as_str)
        .collect();
    let mut imported: Vec<&str> = results
        .iter()
        .filter(|r| r.outcome == "imported")
        .filter_map(|r| r.province.as_deref())
        .collect();
    let mut importable_sorted = importable.clone();
    imported.sort();
    importable_sorted.sort();
    if imported != importable_sorted {
        out.push(Failure {
            kind: "report-mismatch",
            run: index,
            detail: format!(
                "validation called {importable_sorted:?} importable, import stored {imported:?}"
            ),
        });
    }
}

/// Province -> dossiers stored, from `status --format json`.
pub fn stored(v: &Json) -> BTreeMap<String, u64> {
    v.get("batches")
        .and_then(Json::as_arr)
        .unwrap_or(&[])
        .iter()
        .filter_map(|b| {
            Some((
                b.get("province")?.as_str()?.to_string(),
                num(b, "dossiers")?,
            ))
        })
        .collect()
}

/// Dossier files on disk in a batch folder (every `.toml` but the cover letter).
fn dossier_files(case_dir: &Path, folder: &str) -> Option<u64> {
    let dir = fs::read_dir(case_dir.join(folder)).ok()?;
    Some(
        dir.flatten()
            .filter(|e| e.path().is_file())
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .filter(|e| e.file_name() != "submission.toml")
            // Hidden files are not dossiers (the contract: reported as notes, not read).
            .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b"."))
            .count() as u64,
    )
}

/// After an import into a fresh database: every batch reported imported is stored whole (all
/// its files), every other batch left no dossier behind.
pub fn no_half_import(
    case_dir: &Path,
    results: &[Imported],
    status: &BTreeMap<String, u64>,
    total: Option<u64>,
    index: usize,
    out: &mut Vec<Failure>,
) {
    let mut fail = |detail: String| {
        out.push(Failure {
            kind: "half-import",
            run: index,
            detail,
        })
    };
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for r in results.iter().filter(|r| r.outcome == "imported") {
        let Some(p) = &r.province else {
            fail(format!(
                "{} imported without a province",
                visible(&r.folder)
            ));
            continue;
        };
        let n = r.dossiers.unwrap_or(0);
        *expected.entry(p.clone()).or_default() += n;
        if let Some(files) = dossier_files(case_dir, &r.folder)
            && files != n
        {
            fail(format!(
                "{}: {files} dossier files on disk, {n} imported",
                visible(&r.folder)
            ));
        }
    }
    for (p, n) in &expected {
        match status.get(p) {
            Some(s) if s == n => {}
            Some(s) => fail(format!(
                "{p}: import said {n} dossiers, the database holds {s}"
            )),
            None => fail(format!(
                "{p}: import said imported, the database holds none"
            )),
        }
    }
    for (p, s) in status {
        if !expected.contains_key(p) {
            let why = results
                .iter()
                .filter(|r| r.province.as_deref() == Some(p))
                .map(|r| r.outcome.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            fail(format!(
                "{p}: not imported ({why}), yet the database holds {s} dossiers"
            ));
        }
    }
    let sum: u64 = expected.values().sum();
    if let Some(t) = total
        && t != sum
    {
        fail(format!("status counts {t} dossiers, {sum} were imported"));
    }
}
