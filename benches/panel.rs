//! Panel benchmark: `cargo bench --bench panel [-- EXPERTS SCORES PAUSE_MS]`.
//!
//! A panel scoring at once on one database file, the way the TUI saves a score: the sample
//! applications imported, a roster of EXPERTS (default 50), an assignment, one account per
//! expert; then each expert, in its own thread with its own `Store` connection and logged in as
//! itself (argon2 at login, before the clock starts), saves SCORES (default 60) points on its
//! own sheets through `Store::set_score` — one immediate transaction per score with its audit
//! entry and row seals, as `src/tui/screens/scoring.rs` does on Enter — and reloads its sheet
//! (`Store::sheet`), as the screen does after saving.
//!
//! Printed per run: p50, p99 and max latency of the save alone and of save + reload, the
//! errors, the wall time and the rate. Three runs, each on its own copy of the same round (made
//! with `Store::backup_to`):
//! - yardstick: the same scores of every expert saved one after another by one thread (no
//!   other writer: the cost of the step itself);
//! - at once, hammering: every expert in its own thread, no pause between scores (saturation:
//!   latency is then mostly waiting for the others' steps);
//! - at once, typing: the same with a pause of 0..2×PAUSE_MS (default 100 ms) between scores,
//!   still far faster than experts read and type (one score every few seconds each).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shifan::domain::Criteria;
use shifan::domain::access::{Role, User};
use shifan::input::criteria::load_criteria;
use shifan::input::experts::read_roster;
use shifan::store::Store;
use shifan::validation::validate_paths;

const PASSWORD: &str = "panel-pw";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A roster of `n` fictitious experts, every type in their expertise, from no province (so no
/// province is avoided and every dossier can take anyone).
fn roster_toml(criteria: &Criteria, n: usize) -> String {
    let types: Vec<String> = criteria
        .types
        .all()
        .iter()
        .map(|t| format!("\"{}\"", t.id))
        .collect();
    let mut s = String::new();
    for i in 1..=n {
        s.push_str(&format!(
            "[[expert]]\nid = \"E{i:02}\"\nname = \"评审专家{i:02}\"\naffiliation = \"农业信息研究所第{i}研究室\"\nprovince = \"北京市\"\nexpertise = [{}]\navoid_units = []\navoid_provinces = []\n\n",
            types.join(", ")
        ));
    }
    s
}

/// An expert's cells: (dossier, criterion, two valid values to alternate).
type Cells = Vec<(String, String, [f64; 2])>;

/// The round's database and each expert's (account, cells).
type Round = (PathBuf, Vec<(String, Cells)>);

/// The round: samples imported, roster, accounts, assignment.
fn setup(
    criteria: &Criteria,
    dir: &Path,
    experts: usize,
    scores: usize,
) -> Result<Round, Box<dyn std::error::Error>> {
    let db = dir.join("panel.db");
    let mut store = Store::open(&db)?;
    let samples = root().join("sample-applications");
    let report = validate_paths(criteria, std::slice::from_ref(&samples))?;
    store.import(criteria, &report, false, None)?;
    store.add_account(None, "admin", &Role::Ministry, PASSWORD, false)?;
    let admin = store.login("admin", PASSWORD)?;
    let roster_file = dir.join("experts.toml");
    std::fs::write(&roster_file, roster_toml(criteria, experts))?;
    let roster = read_roster(criteria, &roster_file)?;
    store.import_experts(&admin, &roster)?;
    let accounts: Vec<(String, Role)> = roster
        .iter()
        .map(|e| {
            (
                e.id.to_lowercase(),
                Role::Expert {
                    expert_id: e.id.clone(),
                },
            )
        })
        .collect();
    store.add_accounts(&admin, &accounts, PASSWORD, false)?;
    let plan = store.assign(criteria, &admin, 1)?;
    let mut per_expert = Vec::new();
    for e in &roster {
        let mut cells = Vec::new();
        for (d, _) in plan.assignments.iter().filter(|(_, x)| *x == e.id) {
            for c in &criteria.rubric.criteria {
                let lower = ((c.max - c.step) / c.step).round() * c.step;
                cells.push((d.clone(), c.id.clone(), [c.max, lower.max(0.0)]));
            }
        }
        cells.truncate(scores);
        per_expert.push((e.id.to_lowercase(), cells));
    }
    Ok((db, per_expert))
}

/// One save: (save alone, save + reload), or the error.
type Sample = Result<(Duration, Duration), String>;

fn save(
    store: &mut Store,
    criteria: &Criteria,
    user: &User,
    cell: &(String, String, [f64; 2]),
    pass: usize,
) -> Sample {
    let Role::Expert { expert_id } = &user.role else {
        return Err("not an expert".into());
    };
    let t = Instant::now();
    store
        .set_score(criteria, user, &cell.0, &cell.1, cell.2[pass % 2])
        .map_err(|e| e.to_string())?;
    let saved = t.elapsed();
    store
        .sheet(user, &cell.0, expert_id)
        .map_err(|e| e.to_string())?;
    Ok((saved, t.elapsed()))
}

struct Run {
    samples: Vec<Sample>,
    wall: Duration,
}

fn alone(
    criteria: &Criteria,
    db: &Path,
    experts: &[(String, Cells)],
) -> Result<Run, Box<dyn std::error::Error>> {
    let mut store = Store::open(db)?;
    let users: Vec<User> = experts
        .iter()
        .map(|(name, _)| store.login(name, PASSWORD))
        .collect::<Result<_, _>>()?;
    let start = Instant::now();
    let mut samples = Vec::new();
    for ((_, cells), user) in experts.iter().zip(&users) {
        for cell in cells {
            samples.push(save(&mut store, criteria, user, cell, 1));
        }
    }
    Ok(Run {
        samples,
        wall: start.elapsed(),
    })
}

fn at_once(criteria: &Criteria, db: &Path, experts: &[(String, Cells)], pause_ms: u64) -> Run {
    let barrier = Arc::new(Barrier::new(experts.len() + 1));
    // Logins one at a time (each argon2 check takes 19 MiB), before the clock starts.
    let login = Arc::new(Mutex::new(()));
    let handles: Vec<_> = experts
        .iter()
        .enumerate()
        .map(|(i, (name, cells))| {
            let (barrier, login) = (Arc::clone(&barrier), Arc::clone(&login));
            let (criteria, db, name, cells) = (
                criteria.clone(),
                db.to_path_buf(),
                name.clone(),
                cells.clone(),
            );
            std::thread::spawn(move || -> Vec<Sample> {
                let opened = {
                    let _one = login.lock().unwrap_or_else(|p| p.into_inner());
                    Store::open(&db).map_err(|e| e.to_string()).and_then(|s| {
                        s.login(&name, PASSWORD)
                            .map(|u| (s, u))
                            .map_err(|e| e.to_string())
                    })
                };
                barrier.wait();
                let (mut store, user) = match opened {
                    Ok(x) => x,
                    Err(e) => return vec![Err(format!("open/login {name}: {e}"))],
                };
                let mut rng = ChaCha8Rng::seed_from_u64(i as u64);
                cells
                    .iter()
                    .map(|cell| {
                        if pause_ms > 0 {
                            std::thread::sleep(Duration::from_millis(
                                rng.random_range(0..=2 * pause_ms),
                            ));
                        }
                        save(&mut store, &criteria, &user, cell, 0)
                    })
                    .collect()
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let samples = handles
        .into_iter()
        .flat_map(|h| {
            h.join()
                .unwrap_or_else(|_| vec![Err("a thread panicked".into())])
        })
        .collect();
    Run {
        samples,
        wall: start.elapsed(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// Prints the run's figures; returns (p50, p99) of the save alone, ms.
fn report(label: &str, run: &Run) -> (f64, f64) {
    let ok: Vec<&(Duration, Duration)> =
        run.samples.iter().filter_map(|s| s.as_ref().ok()).collect();
    let errors: Vec<&String> = run
        .samples
        .iter()
        .filter_map(|s| s.as_ref().err())
        .collect();
    let mut saves: Vec<Duration> = ok.iter().map(|s| s.0).collect();
    let mut whole: Vec<Duration> = ok.iter().map(|s| s.1).collect();
    saves.sort();
    whole.sort();
    let (p50, p99) = (percentile(&saves, 0.50), percentile(&saves, 0.99));
    println!(
        "{label:<26} {:>6} scores  save p50 {p50:6.2} ms  p99 {p99:6.2} ms  max {:7.2} ms | save+reload p50 {:6.2}  p99 {:6.2}  max {:7.2} ms | errors {} | {:.2} s, {:.0} scores/s",
        run.samples.len(),
        percentile(&saves, 1.0),
        percentile(&whole, 0.50),
        percentile(&whole, 0.99),
        percentile(&whole, 1.0),
        errors.len(),
        run.wall.as_secs_f64(),
        ok.len() as f64 / run.wall.as_secs_f64(),
    );
    if let Some(e) = errors.first() {
        println!("{:<26} first error: {e}", "");
    }
    (p50, p99)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let experts = args.first().copied().unwrap_or(50) as usize;
    let scores = args.get(1).copied().unwrap_or(60) as usize;
    let pause = args.get(2).copied().unwrap_or(100);
    let criteria = load_criteria(&root().join("criteria"))?;
    let dir = tempfile::tempdir()?;
    let (db, per_expert) = setup(&criteria, dir.path(), experts, scores)?;
    let total: usize = per_expert.iter().map(|(_, c)| c.len()).sum();
    println!(
        "{experts} experts, {total} scores ({scores} each at most), one connection each, on {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let source = Store::open(&db)?;
    let copy = |name: &str| -> Result<PathBuf, Box<dyn std::error::Error>> {
        let p = dir.path().join(name);
        source.backup_to(&p, false)?;
        Ok(p)
    };
    let (yard, hammer, typing) = (copy("alone.db")?, copy("hammer.db")?, copy("typing.db")?);
    drop(source);

    let (base50, base99) = report(
        "yardstick: one at a time",
        &alone(&criteria, &yard, &per_expert)?,
    );
    let (_, h99) = report(
        "at once, no pause",
        &at_once(&criteria, &hammer, &per_expert, 0),
    );
    let label = format!("at once, pause ~{pause} ms");
    let (t50, t99) = report(&label, &at_once(&criteria, &typing, &per_expert, pause));
    println!(
        "p99 at once / p50 alone: {:.1}x without pause, {:.1}x with pause; p50 with pause / p50 alone: {:.1}x (yardstick p99 {base99:.2} ms)",
        h99 / base50,
        t99 / base50,
        t50 / base50
    );
    for (label, db) in [("hammer", &hammer), ("typing", &typing)] {
        let store = Store::open(db)?;
        let admin = store.login("admin", PASSWORD)?;
        let audit = store.verify_audit(&admin, None)?;
        println!(
            "{label}: audit {} ({} entries, {} rows checked)",
            if audit.intact() {
                "intact"
            } else {
                "NOT intact"
            },
            audit.entries,
            audit.rows
        );
    }
    Ok(())
}
