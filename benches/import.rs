//! Import benchmark: `cargo bench --bench import [-- DOSSIERS]`.
//!
//! Generates a synthetic national set (default 37 units × 811 ≈ 30,000 dossiers) in a temp
//! folder, then measures in the same run, each the median of 3, each run after `sync` (so that
//! the writeback of the set and of earlier runs' databases falls inside none of them):
//! - the yardstick: read every file and parse it with `toml::from_str::<toml::Table>` (bare
//!   parsing), on 1 thread and on 2;
//! - import in this process (compact validation, then every batch stored in a fresh SQLite
//!   file), with `SHIFAN_THREADS=1` against the 1-thread yardstick and `=2` against the 2-thread
//!   one;
//! - the whole `shifan import` process (all cores) against the 1-thread yardstick, with the
//!   process's own peak memory (`wait4` `ru_maxrss`, through a small launcher: see
//!   `whole/mod.rs`).

#[path = "whole/mod.rs"]
mod whole;

use std::path::Path;
use std::time::{Duration, Instant};

use shifan::input::criteria::load_criteria;
use shifan::store::Store;
use shifan::validation::validate_paths_compact;
use whole::{all_files, bare_parse, binary, median_run, median_settled, mib, own_peak_kib};

fn import_in_process(criteria_dir: &Path, set: &Path, tmp: &Path, tag: &str) -> (Duration, usize) {
    let criteria = load_criteria(criteria_dir).expect("criteria");
    let paths = vec![set.to_path_buf()];
    let mut n = 0;
    median_settled(3, || {
        n += 1;
        let report = validate_paths_compact(&criteria, &paths).expect("set");
        let mut store = Store::open(&tmp.join(format!("{tag}{n}.db"))).expect("db");
        store
            .import(&criteria, &report, false, None)
            .expect("import");
        store.status(None).expect("status").dossiers as usize
    })
}

fn main() {
    whole::launcher();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
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
    let files = all_files(&set);
    let (bare1, _) = median_settled(3, || bare_parse(&files, 1));
    let (bare2, _) = median_settled(3, || bare_parse(&files, 2));
    println!(
        "yardstick: bare TOML parse of {} files  1 thread {:>7.1} ms   2 threads {:>7.1} ms",
        files.len(),
        bare1.as_secs_f64() * 1e3,
        bare2.as_secs_f64() * 1e3
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    // SAFETY: no other thread runs while the variable is set; validation reads it later.
    unsafe { std::env::set_var("SHIFAN_THREADS", "1") };
    let (one, stored) = import_in_process(&lifted, &set, tmp.path(), "a");
    unsafe { std::env::set_var("SHIFAN_THREADS", "2") };
    let (two, _) = import_in_process(&lifted, &set, tmp.path(), "b");
    unsafe { std::env::remove_var("SHIFAN_THREADS") };
    println!(
        "import in process, 1 thread  {:>7.1} ms   {:.2}x the 1-thread parse ({stored} dossiers stored)",
        ms(one),
        one.as_secs_f64() / bare1.as_secs_f64()
    );
    println!(
        "import in process, 2 threads {:>7.1} ms   {:.2}x the 2-thread parse",
        ms(two),
        two.as_secs_f64() / bare2.as_secs_f64()
    );
    println!(
        "  (this bench process, peak {:.0} MiB so far)",
        mib(own_peak_kib())
    );
    let run = median_run(3, |i| {
        let mut c = std::process::Command::new(binary());
        c.arg("--criteria")
            .arg(&lifted)
            .arg("--db")
            .arg(tmp.path().join(format!("whole{i}.db")))
            .arg("--lang")
            .arg("en")
            .arg("import")
            .arg(&set)
            .env_remove("SHIFAN_USER")
            .env_remove("SHIFAN_DB")
            .env_remove("SHIFAN_CRITERIA")
            .env_remove("SHIFAN_THREADS");
        c
    });
    assert!(run.ok, "shifan import failed: {}", run.stdout);
    println!(
        "shifan import, whole process {:>7.1} ms   {:.2}x the 1-thread parse   peak {:.0} MiB ({:.1}x the input bytes)",
        ms(run.wall),
        run.wall.as_secs_f64() / bare1.as_secs_f64(),
        mib(run.peak_kib),
        run.peak_kib as f64 * 1024.0 / stats.bytes as f64
    );
}
