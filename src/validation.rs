//! Validation of a set of submissions: read every file, check it, check the round, and say for
//! each batch whether it may be imported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::domain::batch_checks::{BatchView, CheckedDossier, check_round};
use crate::domain::dossier::{Dossier, Submission};
use crate::domain::dossier_checks::{check_dossier, check_submission};
use crate::domain::{Code, Criteria, Finding, Text};
use crate::input::discover::Discovery;
use crate::input::encoding::{DecodeError, Encoding, decode};
use crate::input::read::{
    MAX_FILE_BYTES, ReadError, describe, name_is_utf8, path_text, read_capped,
};
use crate::input::source::SourceText;
use crate::input::{dossier, submission};

/// A file as read from disk: its exact bytes (stored on import) and the encoding found.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The path as the user named it.
    pub file: String,
    /// The bytes; empty once released (see [`LoadedFile::released`]).
    pub bytes: Vec<u8>,
    pub encoding: Option<Encoding>,
    /// Lower-case hex SHA-256 of the bytes, computed while reading (in parallel).
    pub sha256: String,
    /// The file on disk, to read its bytes again when they were released.
    pub path: PathBuf,
    /// The bytes were let go after the checks ([`validate_compact`]): the import reads them
    /// again and stores them only if they still hash to `sha256`.
    pub released: bool,
}

impl LoadedFile {
    fn new(path: &Path, file: String, bytes: Vec<u8>, encoding: Option<Encoding>) -> Self {
        let sha256 = crate::domain::audit::sha256_hex(&bytes);
        LoadedFile {
            file,
            bytes,
            encoding,
            sha256,
            path: path.to_path_buf(),
            released: false,
        }
    }

    /// The bytes as checked: kept, or read again and compared with the hash taken at the
    /// check. `Err` says in both languages why they cannot be had (the file changed, went or
    /// cannot be read since it was checked).
    pub fn checked_bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, Text> {
        if !self.released {
            return Ok(std::borrow::Cow::Borrowed(&self.bytes));
        }
        let file = &self.file;
        let bytes = read_capped(&self.path, MAX_FILE_BYTES).map_err(|e| {
            let (m, _) = describe(&e, file);
            Text::new(
                format!("检查之后无法再次读取：{}；请重新导入", m.zh),
                format!(
                    "cannot be read again after the checks: {}; import again",
                    m.en
                ),
            )
        })?;
        if crate::domain::audit::sha256_hex(&bytes) != self.sha256 {
            return Err(Text::new(
                format!("{file} 在检查之后被改动（内容与检查时不同），未导入；请重新导入"),
                format!(
                    "{file} changed after it was checked (its content differs), so it was not imported; import again"
                ),
            ));
        }
        Ok(std::borrow::Cow::Owned(bytes))
    }
}

/// A dossier file with what it parsed and resolved to.
#[derive(Debug, Clone)]
pub struct LoadedDossier {
    pub file: LoadedFile,
    pub dossier: Option<Dossier>,
    /// Index into the round's provinces.
    pub province: Option<usize>,
    /// Index into the round's types.
    pub demo_type: Option<usize>,
}

/// One province folder after validation.
#[derive(Debug, Clone)]
pub struct LoadedBatch {
    pub folder: String,
    pub submission_file: Option<LoadedFile>,
    pub submission: Option<Submission>,
    pub province: Option<usize>,
    pub dossiers: Vec<LoadedDossier>,
    pub errors: usize,
    pub warnings: usize,
}

impl LoadedBatch {
    /// A batch may be imported when it has its submission, a known province and no error.
    pub fn importable(&self) -> bool {
        self.errors == 0 && self.province.is_some() && self.submission.is_some()
    }
}

/// The outcome of validating a set.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub batches: Vec<LoadedBatch>,
    pub loose: Vec<LoadedDossier>,
    /// All findings, in the ministry's province order, then file and line.
    pub findings: Vec<Finding>,
    /// Things worth saying that are not findings (checks not run, files not read).
    pub notes: Vec<Text>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    pub fn dossier_count(&self) -> usize {
        self.batches.iter().map(|b| b.dossiers.len()).sum::<usize>() + self.loose.len()
    }
}

/// A path as shown and stored: byte-exact, non-UTF-8 bytes as `\xNN` (see [`path_text`]).
fn display(p: &Path) -> String {
    path_text(p)
}

/// Read a file and decode it; problems become findings.
fn load(path: &Path, findings: &mut Vec<Finding>) -> (LoadedFile, Option<SourceText>) {
    let file = display(path);
    if !name_is_utf8(path) {
        findings.push(Finding::new(
            Code::FileName,
            &file,
            None,
            "",
            Text::new(
                format!("文件名不是 UTF-8 编码，显示为转义形式 {file}（原字节保留）"),
                format!("the file name is not UTF-8; shown escaped as {file} (its bytes are kept)"),
            ),
            Text::new(
                "用 UTF-8 文件名重新保存（如「浙江-01.toml」或「dossier-01.toml」）",
                "save it under a UTF-8 name (such as dossier-01.toml)",
            ),
        ));
    }
    let bytes = match read_capped(path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            let code = match e {
                ReadError::NotRegular { .. } => Code::FileType,
                ReadError::TooLarge { .. } => Code::FileSize,
                ReadError::Io(_) => Code::Read,
            };
            let (message, hint) = describe(&e, &file);
            findings.push(Finding::new(code, &file, None, "", message, hint));
            return (LoadedFile::new(path, file, Vec::new(), None), None);
        }
    };
    match decode(&bytes) {
        Ok((text, encoding)) => {
            match encoding {
                Encoding::Gb18030 => findings.push(Finding::new(
                    Code::EncodingGb18030,
                    &file,
                    None,
                    "",
                    Text::new(
                        "文件为 GBK/GB18030 编码，已正确读取",
                        "the file is in GBK/GB18030; it was read as such",
                    ),
                    Text::new(
                        "今后请另存为 UTF-8 编码",
                        "please save it as UTF-8 next time",
                    ),
                )),
                Encoding::Utf8Bom => findings.push(Finding::new(
                    Code::EncodingBom,
                    &file,
                    None,
                    "",
                    Text::new(
                        "文件为带 BOM 的 UTF-8，已正确读取",
                        "the file is UTF-8 with a byte-order mark; it was read correctly",
                    ),
                    Text::new(
                        "可另存为不带 BOM 的 UTF-8",
                        "it may be saved as UTF-8 without BOM",
                    ),
                )),
                Encoding::Utf8 => {}
            }
            let src = SourceText::new(file.clone(), text);
            (
                LoadedFile::new(path, file, bytes, Some(encoding)),
                Some(src),
            )
        }
        Err(e) => {
            let (zh, en) = match e {
                DecodeError::Utf16 => (
                    "文件为 UTF-16 编码".to_string(),
                    "the file is in UTF-16".to_string(),
                ),
                DecodeError::Binary { offset } => (
                    format!("文件不是文本（第 {offset} 字节处为控制字符），可能已损坏或不是申报书"),
                    format!(
                        "the file is not text (control byte at offset {offset}); damaged, or not a dossier"
                    ),
                ),
                DecodeError::Malformed { offset } => (
                    format!(
                        "文件既不是 UTF-8 也不是 GB18030 文本（第 {offset} 字节起），可能被截断或损坏"
                    ),
                    format!(
                        "the file is neither UTF-8 nor GB18030 text (from byte {offset}); truncated or damaged"
                    ),
                ),
            };
            findings.push(Finding::new(
                Code::Encoding,
                &file,
                None,
                "",
                Text::new(zh, en),
                Text::new(
                    "用文本编辑器另存为 UTF-8 编码的 .toml 文件后重新报送",
                    "save it again as a UTF-8 .toml file from a text editor and resend",
                ),
            ));
            (LoadedFile::new(path, file, bytes, None), None)
        }
    }
}

/// Let go of what only a dossier's own checks needed: its bytes (read again at import) and
/// its texts, figures and evidence. What the round's checks and the import read stays: the
/// file, province, type, rank, applicant and provincial review.
fn release(d: &mut LoadedDossier) {
    if !d.file.bytes.is_empty() {
        d.file.bytes = Vec::new();
        d.file.released = true;
    }
    if let Some(x) = &mut d.dossier {
        x.texts = Vec::new();
        x.figures = Vec::new();
        x.evidence = Vec::new();
        x.other_type_case = None;
    }
}

fn load_dossier(criteria: &Criteria, path: &Path) -> (LoadedDossier, Vec<Finding>) {
    let mut findings = Vec::new();
    let (file, src) = load(path, &mut findings);
    let mut loaded = LoadedDossier {
        file,
        dossier: None,
        province: None,
        demo_type: None,
    };
    if let Some(src) = src {
        let (d, mut f) = dossier::read(&src);
        findings.append(&mut f);
        if let Some(d) = d {
            let mut v = check_dossier(criteria, &d);
            findings.append(&mut v.findings);
            loaded.province = v.province;
            loaded.demo_type = v.demo_type;
            loaded.dossier = Some(d);
        }
    }
    (loaded, findings)
}

/// Worker threads for reading files: all cores, or `SHIFAN_THREADS`.
fn threads() -> usize {
    std::env::var("SHIFAN_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// Map in parallel, keeping the order of `items`. The threads take short runs of items from a
/// shared counter, so one that drew quick files takes more rather than waiting: with a split
/// into fixed halves one core sat idle for the last 0.2 s of the 1.2 s that 30,000 files took.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_in_runs(items, 16, 32, f)
}

/// [`par_map`] for few, heavy items (documents): threads take one item at a time, and a
/// second thread starts from two items.
pub(crate) fn par_map_each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_in_runs(items, 1, 1, f)
}

/// Map in parallel, threads taking `run` items at a time from a shared counter, with at least
/// `per_thread` items for each thread started.
fn par_map_in_runs<T: Sync, R: Send>(
    items: &[T],
    run: usize,
    per_thread: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads().min(items.len() / per_thread).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    // Each thread keeps its results in one vector (runs of small vectors left between the
    // files' freed buffers raised the peak by a fifth) and the runs it took, in its order.
    // (start, length) of each run a thread took, and its results.
    type Taken<R> = (Vec<(usize, usize)>, Vec<R>);
    let taken: Vec<Taken<R>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let (mut runs, mut results) = (Vec::new(), Vec::new());
                    loop {
                        let start = next.fetch_add(run, Ordering::Relaxed);
                        let end = (start + run).min(items.len());
                        let Some(slice) = items.get(start..end).filter(|r| !r.is_empty()) else {
                            break;
                        };
                        runs.push((start, slice.len()));
                        results.extend(slice.iter().map(f));
                    }
                    (runs, results)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut order: Vec<(usize, usize, usize)> = Vec::new();
    let mut results = Vec::with_capacity(taken.len());
    for (t, (runs, r)) in taken.into_iter().enumerate() {
        order.extend(runs.into_iter().map(|(start, len)| (start, t, len)));
        results.push(r.into_iter());
    }
    order.sort_unstable();
    let mut out = Vec::with_capacity(items.len());
    for (_, t, len) in order {
        out.extend(results[t].by_ref().take(len));
    }
    out
}

fn load_batch(
    criteria: &Criteria,
    files: &crate::input::discover::BatchFiles,
    findings: &mut Vec<Finding>,
) -> LoadedBatch {
    let folder = display(&files.folder);
    let mut b = LoadedBatch {
        folder: folder.clone(),
        submission_file: None,
        submission: None,
        province: None,
        dossiers: Vec::new(),
        errors: 0,
        warnings: 0,
    };
    match &files.submission {
        Some(path) => {
            let (file, src) = load(path, findings);
            b.submission_file = Some(file);
            if let Some(src) = src {
                let (s, mut f) = submission::read(&src);
                findings.append(&mut f);
                if let Some(s) = s {
                    let (mut f, p) = check_submission(criteria, &s);
                    findings.append(&mut f);
                    b.province = p;
                    b.submission = Some(s);
                }
            }
        }
        None => findings.push(Finding::new(
            Code::NoSubmission,
            &folder,
            None,
            "",
            Text::new(
                format!(
                    "文件夹有 {} 份申报书，但缺少报送函 {}",
                    files.dossiers.len(),
                    submission::FILE_NAME
                ),
                format!(
                    "the folder holds {} dossiers but no {}",
                    files.dossiers.len(),
                    submission::FILE_NAME
                ),
            ),
            Text::new(
                format!(
                    "在该文件夹中加上 {}（province、department、sent_on、copies、contact）",
                    submission::FILE_NAME
                ),
                format!(
                    "add {} (province, department, sent_on, copies, contact) to the folder",
                    submission::FILE_NAME
                ),
            ),
        )),
    }
    for h in &files.hidden {
        let name = h
            .file_name()
            .map_or_else(String::new, |n| path_text(Path::new(n)));
        findings.push(Finding::new(
            Code::HiddenFile,
            &folder,
            None,
            "",
            Text::new(
                format!("隐藏的{}「{name}」（以 . 开头）未检查，也不会导入", if h.is_dir() { "文件夹" } else { "文件" }),
                format!("hidden {} \"{name}\" (its name starts with .) is not checked and will not be imported", if h.is_dir() { "folder" } else { "file" }),
            ),
            Text::new(
                "如是申报书，去掉文件名开头的点；否则从文件夹中删除",
                "if it is a dossier, drop the leading dot from its name; otherwise remove it from the folder",
            ),
        ));
    }
    for n in &files.nested {
        let name = n
            .file_name()
            .map_or_else(String::new, |n| path_text(Path::new(n)));
        findings.push(Finding::new(
            Code::NestedFolder,
            &folder,
            None,
            "",
            Text::new(
                format!("子文件夹「{name}」中的文件未检查，也不会导入：一个批次只包含省份文件夹本身的文件"),
                format!("the files in the folder \"{name}\" are not checked and will not be imported: a batch is its folder's own files"),
            ),
            Text::new(
                "把申报书移到 submission.toml 所在的文件夹，或删除该子文件夹",
                "move the dossiers beside submission.toml, or remove the folder",
            ),
        ));
    }
    if files.dossiers.is_empty() && files.submission.is_some() {
        findings.push(Finding::new(
            Code::EmptyBatch,
            &b.submission_file
                .as_ref()
                .map_or(folder.clone(), |f| f.file.clone()),
            None,
            "",
            Text::new(
                "报送函所在文件夹中没有申报书",
                "the submission's folder holds no dossier",
            ),
            Text::new(
                "把申报书 .toml 文件放在 submission.toml 旁边",
                "put the dossier .toml files beside submission.toml",
            ),
        ));
    }
    b
}

fn checked(d: &LoadedDossier) -> Option<CheckedDossier<'_>> {
    d.dossier.as_ref().map(|dossier| CheckedDossier {
        dossier,
        province: d.province,
        demo_type: d.demo_type,
    })
}

/// Validate everything that `discover` found.
pub fn validate(criteria: &Criteria, found: &Discovery) -> Report {
    validate_with(criteria, found, false)
}

/// [`validate`] in memory that does not grow with the files' size: each dossier file is
/// checked on its own and its bytes and texts let go at once ([`LoadedFile::released`]), so the
/// report keeps what the round's checks (duplicates across batches, cap, agreement) and the
/// import need. The findings are the same as [`validate`]'s. For `import`.
pub fn validate_compact(criteria: &Criteria, found: &Discovery) -> Report {
    validate_with(criteria, found, true)
}

fn validate_with(criteria: &Criteria, found: &Discovery, compact: bool) -> Report {
    let mut findings = Vec::new();
    let mut batches: Vec<LoadedBatch> = found
        .batches
        .iter()
        .map(|f| load_batch(criteria, f, &mut findings))
        .collect();
    // Dossier files are independent until the round checks: read and check them in parallel.
    let paths: Vec<(Option<usize>, &PathBuf)> = found
        .batches
        .iter()
        .enumerate()
        .flat_map(|(i, b)| b.dossiers.iter().map(move |p| (Some(i), p)))
        .chain(found.loose.iter().map(|p| (None, p)))
        .collect();
    let mut loose = Vec::new();
    let loaded = par_map(&paths, |(_, p)| {
        let (mut d, f) = load_dossier(criteria, p);
        if compact {
            release(&mut d);
        }
        (d, f)
    });
    for ((batch, _), (d, mut f)) in paths.iter().zip(loaded) {
        findings.append(&mut f);
        match batch {
            Some(i) => batches[*i].dossiers.push(d),
            None => loose.push(d),
        }
    }

    let file_lists: Vec<Vec<String>> = batches
        .iter()
        .map(|b| b.dossiers.iter().map(|d| d.file.file.clone()).collect())
        .collect();
    let views: Vec<BatchView> = batches
        .iter()
        .zip(&file_lists)
        .map(|(b, files)| BatchView {
            folder: &b.folder,
            submission: b.submission.as_ref(),
            province: b.province,
            dossier_files: files,
            dossiers: b.dossiers.iter().filter_map(checked).collect(),
        })
        .collect();
    let loose_checked: Vec<CheckedDossier> = loose.iter().filter_map(checked).collect();
    findings.extend(check_round(criteria, &views, &loose_checked));
    drop(views);

    // Attribute each finding to its batch (by file) for counts, province and ordering.
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, b) in batches.iter().enumerate() {
        owner.insert(&b.folder, i);
        if let Some(s) = &b.submission_file {
            owner.insert(&s.file, i);
        }
        for d in &b.dossiers {
            owner.insert(&d.file.file, i);
        }
    }
    let mut counts = vec![(0usize, 0usize); batches.len()];
    let mut keyed: Vec<(usize, Finding)> = findings
        .into_iter()
        .map(|mut f| {
            let batch = owner.get(f.file.as_str()).copied();
            let order = match batch {
                Some(i) => {
                    let c = &mut counts[i];
                    if f.is_error() {
                        c.0 += 1
                    } else {
                        c.1 += 1
                    }
                    batches[i].province.map_or(usize::MAX - 1, |p| {
                        f.province = Some(criteria.provinces.get(p).key.clone());
                        p
                    })
                }
                None => usize::MAX,
            };
            (order, f)
        })
        .collect();
    keyed.sort_by(|(oa, a), (ob, b)| {
        (oa, &a.file, a.line, a.column, a.code).cmp(&(ob, &b.file, b.line, b.column, b.code))
    });
    for (b, (e, w)) in batches.iter_mut().zip(counts) {
        b.errors = e;
        b.warnings = w;
    }
    batches.sort_by_key(|b| (b.province.unwrap_or(usize::MAX), b.folder.clone()));

    let mut notes = Vec::new();
    if !loose.is_empty() {
        notes.push(Text::new(
            format!("{} 份申报书单独检查：需要整批的检查（上限、截止日期、份数、与报送函省份一致）未运行", loose.len()),
            format!(
                "{} dossier file(s) checked on their own: the batch checks (cap, deadline, copies, province agreement) were not run",
                loose.len()
            ),
        ));
    }
    for p in &found.skipped {
        notes.push(Text::new(
            format!("{} 位于省份文件夹之外，不是申报书，未检查", display(p)),
            format!(
                "{} lies beside the province folders: not a dossier, not checked",
                display(p)
            ),
        ));
    }
    for p in &found.empty_folders {
        notes.push(Text::new(
            format!("{} 中没有 .toml 文件，未检查", display(p)),
            format!("{} holds no .toml file: not checked", display(p)),
        ));
    }
    Report {
        batches,
        loose,
        findings: keyed.into_iter().map(|(_, f)| f).collect(),
        notes,
    }
}

/// Discover and validate paths in compact memory ([`validate_compact`]).
pub fn validate_paths_compact(
    criteria: &Criteria,
    paths: &[PathBuf],
) -> Result<Report, crate::input::discover::DiscoverError> {
    let found = crate::input::discover::discover(paths)?;
    Ok(validate_compact(criteria, &found))
}

/// Convenience: discover and validate paths.
pub fn validate_paths(
    criteria: &Criteria,
    paths: &[PathBuf],
) -> Result<Report, crate::input::discover::DiscoverError> {
    let found = crate::input::discover::discover(paths)?;
    Ok(validate(criteria, &found))
}

#[cfg(test)]
mod tests {
    use super::{par_map, par_map_each};

    #[test]
    fn par_map_keeps_the_order_when_the_work_is_uneven() {
        // Items near the start are slow, so the threads take runs out of step with each other.
        let items: Vec<u64> = (0..2_000).collect();
        let f = |i: &u64| {
            let spins = if *i < 100 { 20_000 } else { 10 };
            (0..spins).fold(*i, |acc, k| acc.wrapping_mul(31).wrapping_add(k)) ^ (*i << 40)
        };
        let expected: Vec<u64> = items.iter().map(f).collect();
        assert_eq!(par_map(&items, f), expected);
        // Fewer items than one run each, and none.
        assert_eq!(par_map(&items[..40], f), expected[..40]);
        assert!(par_map(&items[..0], f).is_empty());
        // One at a time: a few heavy items, the first ones slowest.
        assert_eq!(par_map_each(&items[..7], f), expected[..7]);
        assert_eq!(par_map_each(&items[..1], f), expected[..1]);
        assert!(par_map_each(&items[..0], f).is_empty());
    }
}
