//! shifan-fuzz: copies the sample applications to a temporary folder, mutates dossier and
//! submission files, and runs the real `shifan` binary on them as a user would (`validate`,
//! `import` into a fresh database, `status`), checking what must hold whatever the input.
//!
//! ```sh
//! cargo build --release
//! cargo run -p shifan-fuzz --release -- --minutes 5
//! cargo run -p shifan-fuzz --release -- --cases 200 --seed 7
//! cargo run -p shifan-fuzz --release -- --replay 0x1234abcd   # one saved case again
//! ```

mod check;
mod exec;
mod json;
mod mutate;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use check::Failure;
use exec::Run;
use mutate::visible;

const USAGE: &str = "\
shifan-fuzz: mutation harness over the real shifan binary

USAGE: shifan-fuzz [--minutes M | --cases N] [--seed S] [options]
       shifan-fuzz --replay CASE_SEED [options]

  --minutes M        run for M minutes (default 1 when --cases is not given)
  --cases N          run N cases
  --seed S           master seed (default: from the clock; printed)
  --replay SEED      run one case again from its case seed (printed and saved with each failure)
  --shifan PATH      the binary (default: target/release/shifan of this workspace)
  --samples DIR      the sample applications (default: sample-applications/)
  --criteria DIR     the criteria folder (default: criteria/)
  --out DIR          where failing cases are saved (default: target/fuzz-out)
  --timeout SECS     a run longer than this is killed and called a hang (default 10)
  --today DATE       SHIFAN_TODAY for every run (default 2026-06-10)
  --keep N           cases saved per kind of failure (default 10)
  --skip-check KIND  do not count KIND as a failure (repeatable), e.g. controls
  --all-every N      about one case in N uses every reporting unit (default 12)
  --special-files    also make FIFOs, sockets, symlinks (to /dev/zero, /dev/null, a dossier,
                     nowhere), folders, hidden and nested files named *.toml
  --memory-mb MB     address-space limit of each shifan run (ulimit -v; 0 = none; default 4096)
";

struct Options {
    minutes: Option<f64>,
    cases: Option<u64>,
    seed: u64,
    replay: Option<u64>,
    shifan: PathBuf,
    samples: PathBuf,
    criteria: PathBuf,
    out: PathBuf,
    timeout: Duration,
    today: String,
    keep: usize,
    skip: Vec<String>,
    all_every: u32,
    special: bool,
    memory_mb: u64,
}

fn parse_u64(s: &str) -> Result<u64, String> {
    let r = match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse(),
    };
    r.map_err(|e| format!("not a number: {s} ({e})"))
}

fn options() -> Result<Options, String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let workspace = fs::canonicalize(&workspace).unwrap_or(workspace);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let mut o = Options {
        minutes: None,
        cases: None,
        seed: clock,
        replay: None,
        shifan: target.join("release/shifan"),
        samples: workspace.join("sample-applications"),
        criteria: workspace.join("criteria"),
        out: target.join("fuzz-out"),
        timeout: Duration::from_secs(10),
        today: "2026-06-10".to_string(),
        keep: 10,
        skip: Vec::new(),
        all_every: 12,
        special: false,
        memory_mb: 4096,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "-h" || a == "--help" {
            return Err(String::new());
        }
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--minutes" => o.minutes = Some(val()?.parse().map_err(|e| format!("--minutes: {e}"))?),
            "--cases" => o.cases = Some(parse_u64(&val()?)?),
            "--seed" => o.seed = parse_u64(&val()?)?,
            "--replay" => o.replay = Some(parse_u64(&val()?)?),
            "--shifan" => o.shifan = PathBuf::from(val()?),
            "--samples" => o.samples = PathBuf::from(val()?),
            "--criteria" => o.criteria = PathBuf::from(val()?),
            "--out" => o.out = PathBuf::from(val()?),
            "--timeout" => o.timeout = Duration::from_secs(parse_u64(&val()?)?),
            "--today" => o.today = val()?,
            "--keep" => o.keep = parse_u64(&val()?)? as usize,
            "--skip-check" => {
                let k = val()?;
                if !check::KINDS.contains(&k.as_str()) {
                    return Err(format!("unknown check {k}; one of {:?}", check::KINDS));
                }
                o.skip.push(k)
            }
            "--all-every" => o.all_every = parse_u64(&val()?)?.max(1) as u32,
            "--special-files" => o.special = true,
            "--memory-mb" => o.memory_mb = parse_u64(&val()?)?,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    if o.minutes.is_none() && o.cases.is_none() {
        o.minutes = Some(1.0);
    }
    Ok(o)
}

/// The seed of case `i` of a run with master seed `seed` (splitmix64).
fn case_seed(seed: u64, i: u64) -> u64 {
    let mut z = seed.wrapping_add(i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for e in fs::read_dir(from)? {
        let e = e?;
        let ty = e.file_type()?;
        let dest = to.join(e.file_name());
        if ty.is_dir() {
            copy_tree(&e.path(), &dest)?;
        } else if ty.is_file() {
            fs::copy(e.path(), dest)?;
        } else if ty.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(e.path())?, dest)?;
        } else if ty.is_fifo() {
            std::process::Command::new("mkfifo").arg(dest).status()?;
        }
        // Sockets are not copied (a saved case lists them among its mutations).
    }
    Ok(())
}

/// The reporting units' folders of the samples (those with a cover letter), sorted.
fn unit_folders(samples: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = fs::read_dir(samples)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("submission.toml").is_file())
        .collect();
    v.sort();
    Ok(v)
}

struct Case {
    seed: u64,
    folders: Vec<String>,
    mutations: Vec<String>,
    runs: Vec<Run>,
    failures: Vec<Failure>,
    /// accepted (no errors), rejected (errors found), unreadable (exit 2).
    outcome: &'static str,
    imported: usize,
}

struct Ctx<'a> {
    o: &'a Options,
    units: Vec<PathBuf>,
    work: PathBuf,
    criteria: PathBuf,
}

fn run_case(ctx: &Ctx, seed: u64) -> std::io::Result<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dir = ctx.work.join("case");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    let input = dir.join("input");
    fs::create_dir_all(&input)?;

    let n = ctx.units.len();
    let mut idx: Vec<usize> = (0..n).collect();
    let take = if rng.random_range(0..ctx.o.all_every) == 0 {
        n
    } else {
        rng.random_range(1..=4usize).min(n)
    };
    for i in 0..take {
        let j = rng.random_range(i..n);
        idx.swap(i, j);
    }
    let mut chosen: Vec<usize> = idx[..take].to_vec();
    chosen.sort();
    let mut folders = Vec::new();
    for &i in &chosen {
        let name = ctx.units[i].file_name().unwrap_or_default();
        copy_tree(&ctx.units[i], &input.join(name))?;
        folders.push(name.to_string_lossy().into_owned());
    }
    let count = match rng.random_range(0..8u32) {
        0..=3 => 1,
        4 | 5 => 2,
        _ => rng.random_range(3..=6),
    };
    let mut mutations = Vec::new();
    for _ in 0..count {
        mutations.push(mutate::mutate_tree(&mut rng, &input, ctx.o.special)?);
    }

    let o = ctx.o;
    let crit = ctx.criteria.to_string_lossy().into_owned();
    let lang = if rng.random_bool(0.5) { "zh" } else { "en" };
    let sh = |args: &[&str]| exec::run(&o.shifan, &dir, args, &o.today, o.timeout, o.memory_mb);
    let mut runs = Vec::new();
    let mut failures = Vec::new();

    // 0: validate, human output.
    runs.push(sh(&[
        "--criteria",
        &crit,
        "--lang",
        lang,
        "validate",
        "input",
    ]));
    check::process(&runs[0], 0, &[0, 1, 2], &mut failures);
    check::human(&runs[0], 0, &mut failures);
    // 1: validate, JSON.
    runs.push(sh(&[
        "--criteria",
        &crit,
        "validate",
        "input",
        "--format",
        "json",
    ]));
    check::process(&runs[1], 1, &[0, 1, 2], &mut failures);
    if let Some(v) = check::parsed(&runs[1], 1, &mut failures) {
        check::validate_json(&runs[1], 1, &v, &mut failures);
    }
    if runs[0].code != runs[1].code && !runs[0].timed_out && !runs[1].timed_out {
        failures.push(Failure {
            kind: "exit-mismatch",
            run: 1,
            detail: format!(
                "validate exits {:?} in text, {:?} in JSON",
                runs[0].code, runs[1].code
            ),
        });
    }
    let outcome = match runs[1].code {
        Some(0) => "accepted",
        Some(1) => "rejected",
        Some(2) => "unreadable",
        _ => "broken",
    };

    // 2, 3: import (JSON) into a fresh database, then what it holds.
    runs.push(sh(&[
        "--criteria",
        &crit,
        "--db",
        "a.db",
        "import",
        "input",
        "--format",
        "json",
    ]));
    check::process(&runs[2], 2, &[0, 1, 2], &mut failures);
    let results = check::parsed(&runs[2], 2, &mut failures)
        .map(|v| {
            check::import_json(&runs[2], 2, &v, &mut failures);
            check::import_results(&v)
        })
        .unwrap_or_default();
    // An import killed or refused before it created the database leaves none: status then
    // says so (exit 2), and nothing may have been reported imported.
    let made_a = dir.join("a.db").exists();
    runs.push(sh(&[
        "--criteria",
        &crit,
        "--db",
        "a.db",
        "status",
        "--format",
        "json",
    ]));
    check::process(
        &runs[3],
        3,
        if made_a { &[0] } else { &[0, 2] },
        &mut failures,
    );
    let mut held_a = BTreeMap::new();
    if let Some(v) = check::parsed(&runs[3], 3, &mut failures) {
        held_a = check::stored(&v);
        let total = v.get("dossiers").and_then(json::Json::as_u64);
        check::no_half_import(&dir, &results, &held_a, total, 3, &mut failures);
    } else if !made_a {
        check::no_half_import(&dir, &results, &held_a, Some(0), 3, &mut failures);
    }
    let imported = results.iter().filter(|r| r.outcome == "imported").count();

    // 4, 5: the same import with human output into another fresh database.
    runs.push(sh(&[
        "--criteria",
        &crit,
        "--lang",
        lang,
        "--db",
        "b.db",
        "import",
        "input",
    ]));
    check::process(&runs[4], 4, &[0, 1, 2], &mut failures);
    check::human(&runs[4], 4, &mut failures);
    if runs[4].code != runs[2].code && !runs[4].timed_out && !runs[2].timed_out {
        failures.push(Failure {
            kind: "exit-mismatch",
            run: 4,
            detail: format!(
                "import exits {:?} in text, {:?} in JSON",
                runs[4].code, runs[2].code
            ),
        });
    }
    let made_b = dir.join("b.db").exists();
    runs.push(sh(&[
        "--criteria",
        &crit,
        "--db",
        "b.db",
        "status",
        "--format",
        "json",
    ]));
    check::process(
        &runs[5],
        5,
        if made_b { &[0] } else { &[0, 2] },
        &mut failures,
    );
    if let Some(v) = check::parsed(&runs[5], 5, &mut failures) {
        let held_b = check::stored(&v);
        if held_b != held_a && runs[3].code == Some(0) {
            failures.push(Failure {
                kind: "nondeterministic",
                run: 5,
                detail: format!("the same import stored {held_a:?}, then {held_b:?}"),
            });
        }
    }

    failures.retain(|f| !o.skip.iter().any(|k| k == f.kind));
    Ok(Case {
        seed,
        folders,
        mutations,
        runs,
        failures,
        outcome,
        imported,
    })
}

/// Saves a failing case: the mutated input, what was done, every command and its output.
fn save(ctx: &Ctx, case: &Case, kind: &str) -> std::io::Result<PathBuf> {
    let dir = ctx.o.out.join(format!("{kind}-{:016x}", case.seed));
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    copy_tree(&ctx.work.join("case/input"), &dir.join("input"))?;
    // The runs used a copy of the criteria that goes away with the harness: keep one beside the
    // input, and write the commands with it, so the case folder is complete.
    copy_tree(&ctx.criteria, &dir.join("criteria"))?;
    let crit = ctx.criteria.to_string_lossy().into_owned();
    let line = |r: &Run| r.line.replace(&crit, "criteria");
    let mut t = String::new();
    let _ = writeln!(t, "case seed: 0x{:016x}", case.seed);
    // The mutations depend on these options too: the replay line repeats them.
    let mut flags = String::new();
    if ctx.o.special {
        flags.push_str(" --special-files");
    }
    if ctx.o.all_every != 12 {
        let _ = write!(flags, " --all-every {}", ctx.o.all_every);
    }
    let _ = writeln!(
        t,
        "replay:    cargo run -p shifan-fuzz --release -- --replay 0x{:016x}{flags} --timeout {}",
        case.seed,
        ctx.o.timeout.as_secs()
    );
    let _ = writeln!(t, "binary:    {}", ctx.o.shifan.display());
    let _ = writeln!(t, "folders:   {}", case.folders.join(", "));
    let _ = writeln!(t, "outcome:   {}", case.outcome);
    let _ = writeln!(
        t,
        "limits:    {} s per run, address space {} MB (0 = none)",
        ctx.o.timeout.as_secs(),
        ctx.o.memory_mb
    );
    let _ = writeln!(t, "\nmutations:");
    for m in &case.mutations {
        let _ = writeln!(t, "  - {m}");
    }
    let _ = writeln!(t, "\nfailures:");
    for f in &case.failures {
        let _ = writeln!(t, "  - {} (run {}): {}", f.kind, f.run, f.detail);
    }
    let _ = writeln!(
        t,
        "\nruns (in the case folder, with input/ and a fresh a.db / b.db):"
    );
    for (i, r) in case.runs.iter().enumerate() {
        let _ = writeln!(
            t,
            "  {i}: {}\n     exit {:?}{}{} in {:.0} ms",
            line(r),
            r.code,
            r.signal
                .map(|s| format!(", signal {s}"))
                .unwrap_or_default(),
            if r.timed_out {
                ", killed (timeout)"
            } else {
                ""
            },
            r.elapsed.as_secs_f64() * 1000.0
        );
        fs::write(dir.join(format!("run{i}.stdout")), &r.stdout)?;
        fs::write(dir.join(format!("run{i}.stderr")), &r.stderr)?;
    }
    fs::write(dir.join("case.txt"), t)?;
    let mut sh = String::from(
        "#!/bin/sh\n# Runs the case's commands again by hand, in this folder.\ncd \"$(dirname \"$0\")\"\nrm -f a.db* b.db*\n",
    );
    for r in &case.runs {
        let _ = writeln!(sh, "{}; echo \"exit $?\"", line(r));
    }
    fs::write(dir.join("repro.sh"), sh)?;
    Ok(dir)
}

/// A failure's detail cut for the progress line (the case folder has it whole).
fn short(s: &str) -> String {
    let v = visible(s);
    match v.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &v[..i]),
        None => v,
    }
}

fn main() -> ExitCode {
    let mut o = match options() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("shifan-fuzz: {e}\n");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    o.shifan = fs::canonicalize(&o.shifan).unwrap_or(o.shifan);
    if !o.shifan.is_file() {
        eprintln!(
            "shifan-fuzz: no binary at {} (run `cargo build --release` first, or pass --shifan)",
            o.shifan.display()
        );
        return ExitCode::from(2);
    }
    match fuzz(&o) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("shifan-fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

fn fuzz(o: &Options) -> std::io::Result<bool> {
    let work = std::env::temp_dir().join(format!("shifan-fuzz-{}", std::process::id()));
    if work.exists() {
        fs::remove_dir_all(&work)?;
    }
    let criteria = work.join("criteria");
    copy_tree(&o.criteria, &criteria)?;
    let ctx = Ctx {
        o,
        units: unit_folders(&o.samples)?,
        work,
        criteria,
    };
    if ctx.units.is_empty() {
        return Err(std::io::Error::other(format!(
            "no reporting unit folders in {}",
            o.samples.display()
        )));
    }
    fs::create_dir_all(&o.out)?;
    let started = Instant::now();
    let deadline = o.minutes.map(|m| Duration::from_secs_f64(m * 60.0));
    match o.replay {
        Some(_) => println!("shifan-fuzz: replaying one case"),
        None => println!(
            "shifan-fuzz: seed 0x{:016x}, {}, binary {}",
            o.seed,
            match (o.cases, o.minutes) {
                (Some(n), _) => format!("{n} cases"),
                (None, Some(m)) => format!("{m} minutes"),
                _ => String::new(),
            },
            o.shifan.display()
        ),
    }
    let mut outcomes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
    let mut saved: BTreeMap<&str, Vec<PathBuf>> = BTreeMap::new();
    let mut failing = 0u64;
    let mut batches_imported = 0usize;
    let mut slowest = Duration::ZERO;
    let mut last_progress = Instant::now();
    let mut i = 0u64;
    loop {
        if o.replay.is_some() && i == 1 {
            break;
        }
        if o.replay.is_none() {
            if o.cases.is_some_and(|n| i >= n) {
                break;
            }
            if deadline.is_some_and(|d| started.elapsed() >= d) {
                break;
            }
        }
        let seed = o.replay.unwrap_or_else(|| case_seed(o.seed, i));
        let case = run_case(&ctx, seed)?;
        i += 1;
        *outcomes.entry(case.outcome).or_default() += 1;
        batches_imported += case.imported;
        for r in &case.runs {
            slowest = slowest.max(r.elapsed);
        }
        if o.replay.is_some() {
            println!("folders: {}", case.folders.join(", "));
            for m in &case.mutations {
                println!("  - {m}");
            }
            println!("outcome: {}", case.outcome);
        }
        if !case.failures.is_empty() {
            failing += 1;
            // Most severe first (the order of check::KINDS).
            let rank = |k: &str| {
                check::KINDS
                    .iter()
                    .position(|x| *x == k)
                    .unwrap_or(usize::MAX)
            };
            let mut case_kinds: Vec<&'static str> = case.failures.iter().map(|f| f.kind).collect();
            case_kinds.sort_by_key(|k| rank(k));
            case_kinds.dedup();
            for k in &case_kinds {
                *kinds.entry(k).or_default() += 1;
            }
            let first = case_kinds[0];
            let list = saved.entry(first).or_default();
            if list.len() < o.keep || o.replay.is_some() {
                let dir = save(&ctx, &case, first)?;
                println!(
                    "FAIL case 0x{:016x}: {} -> {}",
                    case.seed,
                    case.failures
                        .iter()
                        .map(|f| format!("{} ({})", f.kind, short(&f.detail)))
                        .collect::<Vec<_>>()
                        .join("; "),
                    dir.display()
                );
                list.push(dir);
            }
        }
        if last_progress.elapsed() >= Duration::from_secs(15) {
            last_progress = Instant::now();
            println!(
                "[{:>5.1} min] {i} cases, {failing} failing, {}",
                started.elapsed().as_secs_f64() / 60.0,
                outcomes
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let _ = fs::remove_dir_all(&ctx.work);

    println!("\n== shifan-fuzz summary ==");
    let seed = match o.replay {
        Some(c) => format!("case seed 0x{c:016x}"),
        None => format!("seed 0x{:016x}", o.seed),
    };
    println!(
        "cases run: {i} in {:.1} min ({seed})",
        started.elapsed().as_secs_f64() / 60.0
    );
    println!(
        "outcomes:  {}",
        outcomes
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "batches imported: {batches_imported}; slowest run {:.0} ms",
        slowest.as_secs_f64() * 1000.0
    );
    println!("failing cases: {failing}");
    for k in check::KINDS {
        let n = kinds.get(k).copied().unwrap_or(0);
        let skipped = if o.skip.iter().any(|s| s == k) {
            " (not checked)"
        } else {
            ""
        };
        println!("  {k:<17} {n}{skipped}");
    }
    if !saved.is_empty() {
        println!("saved in {}:", o.out.display());
        for dirs in saved.values() {
            for d in dirs {
                println!("  {}", d.display());
            }
        }
    }
    Ok(failing == 0)
}
