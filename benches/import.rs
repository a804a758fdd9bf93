//! Import benchmark: `cargo bench --bench import [-- DOSSIERS]`.
//!
//! Generates a synthetic national set (default 37 units × 811 ≈ 30,000 dossiers) in a temp
//! folder, then times, each as the median of 3 runs:
//! - baseline: read every file and parse it with `toml::from_str::<toml::Table>` (bare parsing);
//! - validate: read, decode, parse with spans, check every rule of the round;
//! - import: validate, then store every batch in a fresh SQLite file (raw bytes + SHA-256).
//!
//! It prints each time and its ratio to the baseline, then the same for the 300 samples.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shifan::input::criteria::load_criteria;
use shifan::input::discover::discover;
use shifan::store::Store;
use shifan::validation::validate;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn all_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out
}

fn bare_parse(files: &[PathBuf]) -> usize {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            toml::from_str::<toml::Table>(&text).map_or(0, |t| t.len())
        })
        .sum()
}

fn spanned_parse(files: &[PathBuf]) -> usize {
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap_or_default();
            let text = shifan::input::encoding::decode(&bytes)
                .map(|(t, _)| t)
                .unwrap_or_default();
            toml::de::DeTable::parse(&text).map_or(0, |t| t.get_ref().len())
        })
        .sum()
}

fn measure(label: &str, criteria_dir: &Path, set: &Path, runs: usize) {
    let criteria = load_criteria(criteria_dir).expect("criteria");
    let files = all_files(set);
    let paths = vec![set.to_path_buf()];
    let base = time(runs, || bare_parse(&files));
    let spanned = time(runs, || spanned_parse(&files));
    let check = time(runs, || {
        let found = discover(&paths).expect("set");
        validate(&criteria, &found)
    });
    let tmp = tempfile::tempdir().expect("tmp");
    let mut n = 0;
    let mut stored = 0;
    let import = time(runs, || {
        n += 1;
        let found = discover(&paths).expect("set");
        let report = validate(&criteria, &found);
        let mut store = Store::open(&tmp.path().join(format!("b{n}.db"))).expect("db");
        let res = store
            .import(&criteria, &report, false, None)
            .expect("import");
        stored = store.status(None).expect("status").dossiers;
        res.len()
    });
    let ratio = |d: Duration| d.as_secs_f64() / base.as_secs_f64();
    println!("{label}: {} files, {} dossiers stored", files.len(), stored);
    println!(
        "  read + decode + spanned parse {:>6.1} ms   {:.2}x baseline",
        spanned.as_secs_f64() * 1e3,
        ratio(spanned)
    );
    println!(
        "  baseline bare TOML parse   {:>9.1} ms",
        base.as_secs_f64() * 1e3
    );
    println!(
        "  validate (all checks)      {:>9.1} ms   {:.2}x baseline",
        check.as_secs_f64() * 1e3,
        ratio(check)
    );
    println!(
        "  import (validate + SQLite) {:>9.1} ms   {:.2}x baseline",
        import.as_secs_f64() * 1e3,
        ratio(import)
    );
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(30_000);
    let criteria_dir = root.join("criteria");
    let criteria = load_criteria(&criteria_dir).expect("criteria");
    let units = 37.min(criteria.provinces.all().len());
    let per = target.div_ceil(units);
    let tmp = tempfile::tempdir().expect("tmp");
    let set = tmp.path().join("set");
    let t = Instant::now();
    let stats = shifan::generate::write_set(&criteria, &criteria_dir, &set, units, per, 7)
        .expect("generate");
    println!(
        "generated {} dossiers ({:.1} MB) in {:.1} s",
        stats.dossiers,
        stats.bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let lifted = shifan::generate::lifted_criteria_dir(&set);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    measure(&format!("synthetic set, {cores} threads"), &lifted, &set, 3);
    // SAFETY: no other thread runs while the variable is set; validation reads it later.
    unsafe { std::env::set_var("SHIFAN_THREADS", "1") };
    measure("synthetic set, 1 thread", &lifted, &set, 3);
    unsafe { std::env::remove_var("SHIFAN_THREADS") };
    let samples = root.join("sample-applications");
    if samples.exists() {
        measure("sample-applications", &criteria_dir, &samples, 5);
    }
}
