//! Races between processes on one demo database: many `shifan` processes started together
//! (threads released by a barrier), then the stored round checked for what no interleaving may
//! produce. Every step runs in one immediate transaction, so a step that loses a race waits
//! and then sees the winner's writes; none may fail with "database is locked".
//!
//! The figures (tries, outcomes, violations) are printed with `eprintln!`: run with
//! `cargo test --test races -- --nocapture` to see them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::thread;

use common::{criteria, root};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use shifan::demo::expert_account;

/// The date every process of these tests takes as today.
const TODAY: &str = "2026-08-31";

struct Round {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

fn demo_round() -> Round {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("race.db");
    let out = command(&db, None, &["demo"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Round { _dir: dir, db }
}

fn command(db: &Path, user: Option<&str>, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shifan"));
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env("SHIFAN_TODAY", TODAY)
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .arg("--db")
        .arg(db)
        .args(["--lang", "en"]);
    if let Some(u) = user {
        c.args(["--user", u]);
    }
    c.args(args);
    c
}

/// How one process ended.
#[derive(Debug, Clone)]
struct Ran {
    what: String,
    code: i32,
    stderr: String,
}

impl Ran {
    fn ok(&self) -> bool {
        self.code == 0
    }
}

fn ran(what: String, out: std::process::Output) -> Ran {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // No step may fail because another process holds the database.
    assert!(
        !stderr.contains("database is locked") && !stderr.contains("database table is locked"),
        "{what}: {stderr}"
    );
    Ran {
        what,
        code: out.status.code().unwrap_or(-1),
        stderr,
    }
}

/// One process, waited for.
fn run(db: &Path, user: &str, args: &[&str]) -> Ran {
    let out = command(db, Some(user), args).output().unwrap();
    ran(format!("{user} {args:?}"), out)
}

/// One process that must succeed.
fn must(db: &Path, user: &str, args: &[&str]) {
    let r = run(db, user, args);
    assert!(r.ok(), "{}: exit {}: {}", r.what, r.code, r.stderr);
}

/// Start every call at once (threads released together by a barrier), wait for all.
fn race(db: &Path, calls: &[(String, Vec<String>)]) -> Vec<Ran> {
    let barrier = Arc::new(Barrier::new(calls.len()));
    let handles: Vec<_> = calls
        .iter()
        .map(|(user, args)| {
            let barrier = Arc::clone(&barrier);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut cmd = command(db, Some(user), &args);
            let what = format!("{user} {args:?}");
            thread::spawn(move || {
                barrier.wait();
                ran(what, cmd.output().unwrap())
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn ts(s: &str) -> Timestamp {
    s.parse()
        .unwrap_or_else(|e| panic!("{s} is not a timestamp: {e}"))
}

fn audit_intact(db: &Path) {
    let r = run(db, "ministry", &["audit", "verify"]);
    assert!(r.ok(), "audit verify after the races: {}", r.stderr);
}

/// A valid number of points for criterion `c`, different for different `k`.
fn points(criteria: &shifan::domain::Criteria, c: &str, k: usize) -> String {
    let c = criteria.rubric.criteria.iter().find(|x| x.id == c).unwrap();
    (c.max - c.step * (k % 3) as f64).to_string()
}

#[test]
fn a_submit_racing_scores_on_its_sheet_locks_exactly_what_it_audits() {
    let r = demo_round();
    let db = &r.db;
    let criteria = criteria();
    let ids: Vec<String> = criteria
        .rubric
        .criteria
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let conn = Connection::open(db).unwrap();
    // Open sheets the demo left half done.
    let sheets: Vec<(i64, String, String)> = {
        let mut s = conn
            .prepare(
                "SELECT h.assignment_id, h.dossier_code, h.expert_id FROM sheet h
                 WHERE h.submitted_at IS NULL
                   AND EXISTS (SELECT 1 FROM score s WHERE s.assignment_id = h.assignment_id)
                 ORDER BY h.assignment_id LIMIT 8",
            )
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(sheets.len(), 8);
    let scored = |assignment: i64| -> Vec<String> {
        let mut s = conn
            .prepare("SELECT criterion FROM score WHERE assignment_id = ?1")
            .unwrap();
        s.query_map([assignment], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    // Finish each sheet but one criterion (and write its opinion), so that a submit racing
    // the last score may come too early; one thread per sheet.
    let mut last_missing: BTreeMap<i64, String> = BTreeMap::new();
    for (a, _, _) in &sheets {
        let missing: Vec<&String> = ids.iter().filter(|c| !scored(*a).contains(c)).collect();
        assert!(missing.len() >= 2, "{missing:?}");
        last_missing.insert(*a, missing.last().unwrap().to_string());
    }
    thread::scope(|s| {
        for (a, dossier, expert) in &sheets {
            let user = expert_account(expert);
            let todo: Vec<String> = ids
                .iter()
                .filter(|c| !scored(*a).contains(c) && **c != last_missing[a])
                .cloned()
                .collect();
            let criteria = &criteria;
            s.spawn(move || {
                for c in &todo {
                    let p = points(criteria, c, 1);
                    must(
                        db,
                        &user,
                        &[
                            "score",
                            "--dossier",
                            dossier,
                            "--criterion",
                            c,
                            "--points",
                            &p,
                        ],
                    );
                }
                must(
                    db,
                    &user,
                    &[
                        "opinion",
                        "--dossier",
                        dossier,
                        "--text",
                        "基础扎实，方案可行。",
                        "--recommend",
                        "yes",
                    ],
                );
            });
        }
    });

    let tries = 36;
    let (mut submitted, mut submit_refused, mut scores_saved, mut scores_refused) = (0, 0, 0, 0);
    let (mut late_scores, mut wrong_totals, mut lost_scores) = (0, 0, 0);
    for t in 0..tries {
        let (a, dossier, expert) = &sheets[t % sheets.len()];
        let user = expert_account(expert);
        // The first time round, the missing criterion is one of the three racing scores.
        let mut racing: Vec<String> = Vec::new();
        if t < sheets.len() {
            racing.push(last_missing[a].clone());
        }
        for c in ids.iter().skip(t % 5) {
            if racing.len() == 3 {
                break;
            }
            if !racing.contains(c) {
                racing.push(c.clone());
            }
        }
        // Each call with the score it saves (none for the submit).
        let mut calls: Vec<(String, Vec<String>)> =
            vec![(user.clone(), strings(&["submit", "--dossier", dossier]))];
        let mut saves: Vec<Option<(String, f64)>> = vec![None];
        for (k, c) in racing.iter().enumerate() {
            let p = points(&criteria, c, t + k);
            saves.push(Some((c.clone(), p.parse().unwrap())));
            calls.push((
                user.clone(),
                strings(&[
                    "score",
                    "--dossier",
                    dossier,
                    "--criterion",
                    c,
                    "--points",
                    &p,
                ]),
            ));
        }
        // Vary who is started first.
        let first = t % calls.len();
        calls.rotate_left(first);
        saves.rotate_left(first);
        let results = race(db, &calls);
        for (r, save) in results.iter().zip(&saves) {
            assert!(
                r.code == 0 || r.code == 1,
                "{}: exit {}: {}",
                r.what,
                r.code,
                r.stderr
            );
            match (save, r.ok()) {
                (None, true) => submitted += 1,
                (None, false) => {
                    // Only too early: the missing criterion not scored yet.
                    assert!(r.stderr.contains("not scored"), "{}", r.stderr);
                    submit_refused += 1
                }
                (Some(_), true) => scores_saved += 1,
                (Some(_), false) => {
                    // Only too late: the sheet submitted.
                    assert!(r.stderr.contains("is locked"), "{}", r.stderr);
                    scores_refused += 1
                }
            }
        }

        let submitted_at: Option<String> = conn
            .query_row(
                "SELECT submitted_at FROM sheet WHERE assignment_id = ?1",
                [a],
                |r| r.get(0),
            )
            .unwrap();
        let submit_ok = results
            .iter()
            .zip(&saves)
            .any(|(r, save)| save.is_none() && r.ok());
        assert_eq!(submit_ok, submitted_at.is_some(), "try {t}");
        let stored: Vec<(String, f64, String)> = {
            let mut s = conn
                .prepare("SELECT criterion, points, at FROM score WHERE assignment_id = ?1 ORDER BY rowid")
                .unwrap();
            s.query_map([a], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        // A score reported saved is stored (each racing score has its own criterion).
        for (r, save) in results.iter().zip(&saves) {
            if let (true, Some((c, p))) = (r.ok(), save)
                && !stored.iter().any(|(sc, sp, _)| sc == c && sp == p)
            {
                lost_scores += 1;
            }
        }
        if let Some(at) = &submitted_at {
            let at = ts(at);
            late_scores += stored.iter().filter(|(_, _, s)| ts(s) > at).count();
            let total: f64 = stored.iter().map(|(_, p, _)| p).sum();
            let detail: String = conn
                .query_row(
                    "SELECT detail FROM audit WHERE action = 'submit' AND actor = ?1 AND detail LIKE ?2 || ' total %'
                     ORDER BY seq DESC LIMIT 1",
                    params![user, dossier],
                    |r| r.get(0),
                )
                .unwrap();
            let audited: f64 = detail.rsplit_once(" total ").unwrap().1.parse().unwrap();
            if (audited - total).abs() > 1e-9 {
                wrong_totals += 1;
                eprintln!("try {t}: {dossier} {expert}: audited total {audited}, stored {total}");
            }
            must(
                db,
                "ministry",
                &[
                    "reopen",
                    "--dossier",
                    dossier,
                    "--expert",
                    expert,
                    "--reason",
                    "race test",
                ],
            );
        }
    }
    audit_intact(db);
    eprintln!(
        "submit vs 3 scores: {tries} tries; submit won {submitted}, refused {submit_refused}; \
         scores saved {scores_saved}, refused {scores_refused}; violations: {late_scores} scores \
         newer than their sheet's submission, {wrong_totals} audited totals differing from the \
         stored sheet, {lost_scores} saved scores lost"
    );
    assert_eq!(submitted + submit_refused, tries);
    assert_eq!(
        late_scores, 0,
        "scores dated after the submission of their sheet"
    );
    assert_eq!(
        wrong_totals, 0,
        "audited totals that are not the stored sheet's"
    );
    assert_eq!(lost_scores, 0, "scores reported saved but not stored");
}

/// An expert who may take `dossier` (other province, no declared conflict, never on it, no
/// recusal, not the applicant's unit), the `k`-th such by id.
fn replacement(conn: &Connection, dossier: &str, k: usize) -> String {
    conn.query_row(
        "SELECT e.id FROM expert e, dossier_identity d
         WHERE d.code = ?1 AND e.active = 1
           AND (e.province_key IS NULL OR e.province_key != d.province_key)
           AND e.avoid_units = '[]' AND e.avoid_provinces = '[]'
           AND instr(d.applicant_norm, e.affiliation) = 0 AND instr(e.affiliation, d.applicant_norm) = 0
           AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.dossier_code = d.code AND a.expert_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM recusal r WHERE r.dossier_code = d.code AND r.expert_id = e.id)
         ORDER BY e.id LIMIT 1 OFFSET ?2",
        params![dossier, k as i64],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_swap_racing_the_swapped_experts_scores_leaves_no_score_after_the_swap() {
    let r = demo_round();
    let db = &r.db;
    let criteria = criteria();
    let ids: Vec<String> = criteria
        .rubric
        .criteria
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let conn = Connection::open(db).unwrap();
    // Five chains: on each dossier, the expert with an open sheet is swapped out while scoring,
    // then the expert swapped in, and so on.
    let mut chains: Vec<(String, String)> = {
        let mut s = conn
            .prepare(
                "SELECT dossier_code, MIN(expert_id) FROM sheet WHERE submitted_at IS NULL
                 GROUP BY dossier_code ORDER BY dossier_code LIMIT 5",
            )
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(chains.len(), 5);
    let tries = 30;
    let (mut swaps, mut scores_saved, mut scores_refused) = (0, 0, 0);
    let (mut late_scores, mut still_current) = (0, 0);
    for t in 0..tries {
        let n = chains.len();
        let (dossier, out) = chains[t % n].clone();
        let into = replacement(&conn, &dossier, t % 3);
        let user = expert_account(&out);
        let c1 = &ids[t % ids.len()];
        let c2 = &ids[(t + 5) % ids.len()];
        let mut calls = vec![
            (
                "ministry".to_string(),
                strings(&[
                    "swap",
                    "--dossier",
                    &dossier,
                    "--out",
                    &out,
                    "--in",
                    &into,
                    "--reason",
                    "race test",
                ]),
            ),
            (
                user.clone(),
                strings(&[
                    "score",
                    "--dossier",
                    &dossier,
                    "--criterion",
                    c1,
                    "--points",
                    &points(&criteria, c1, t),
                ]),
            ),
            (
                user.clone(),
                strings(&[
                    "score",
                    "--dossier",
                    &dossier,
                    "--criterion",
                    c2,
                    "--points",
                    &points(&criteria, c2, t + 1),
                ]),
            ),
        ];
        calls.rotate_left(t % 3);
        for r in race(db, &calls) {
            if r.what.contains("\"swap\"") {
                assert!(r.ok(), "try {t}: {}: {}", r.what, r.stderr);
                swaps += 1;
            } else if r.ok() {
                scores_saved += 1;
            } else {
                assert_eq!(r.code, 1, "{}: {}", r.what, r.stderr);
                assert!(
                    r.stderr.contains("not assigned"),
                    "{}: {}",
                    r.what,
                    r.stderr
                );
                scores_refused += 1;
            }
        }
        let ended_at: String = conn
            .query_row(
                "SELECT ended_at FROM assignment WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_kind = 'swap'",
                [&dossier, &out],
                |r| r.get(0),
            )
            .unwrap();
        let ended = ts(&ended_at);
        let stamps: Vec<String> = {
            let mut s = conn
                .prepare("SELECT at FROM score WHERE dossier_code = ?1 AND expert_id = ?2")
                .unwrap();
            s.query_map([&dossier, &out], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        late_scores += stamps.iter().filter(|s| ts(s) > ended).count();
        let current: Option<i64> = conn
            .query_row(
                "SELECT id FROM assignment WHERE dossier_code = ?1 AND expert_id = ?2 AND ended_at IS NULL",
                [&dossier, &out],
                |r| r.get(0),
            )
            .optional()
            .unwrap();
        still_current += usize::from(current.is_some());
        chains[t % n] = (dossier, into);
    }
    audit_intact(db);
    eprintln!(
        "swap vs 2 scores of the expert swapped out: {tries} tries; {swaps} swaps; scores saved \
         {scores_saved}, refused {scores_refused}; violations: {late_scores} scores dated after \
         the swap, {still_current} experts still current after their swap"
    );
    assert_eq!(swaps, tries);
    assert_eq!(late_scores, 0, "scores dated after the swap ended the pair");
    assert_eq!(still_current, 0);
}

/// Two identical publicity steps at once, `rounds` times: exactly one succeeds each time, the
/// other is refused by the phase with `refusal`.
fn exactly_one(db: &Path, args: &[&str], refusal: &str) -> (usize, usize) {
    let calls = vec![
        ("ministry".to_string(), strings(args)),
        ("ministry".to_string(), strings(args)),
    ];
    let results = race(db, &calls);
    let won: Vec<&Ran> = results.iter().filter(|r| r.ok()).collect();
    let lost: Vec<&Ran> = results.iter().filter(|r| !r.ok()).collect();
    assert_eq!(won.len(), 1, "{args:?}: {results:?}");
    assert_eq!(lost[0].code, 1, "{:?}", lost[0]);
    assert!(
        lost[0].stderr.contains(refusal),
        "{args:?}: {}",
        lost[0].stderr
    );
    (won.len(), lost.len())
}

#[test]
fn two_publicity_steps_at_once_one_wins_the_other_is_refused_by_the_phase() {
    let r = demo_round();
    let db = &r.db;
    let conn = Connection::open(db).unwrap();
    let count = |action: &str| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM audit WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (mut races, mut won, mut refused) = (0, 0, 0);
    let mut tally = |(w, l): (usize, usize)| {
        races += 1;
        won += w;
        refused += l;
    };
    for round in 0..3 {
        tally(exactly_one(
            db,
            &[
                "publicity",
                "propose",
                "--on",
                "2026-08-14",
                "--accept-incomplete",
                "race test",
            ],
            "a list is already sealed",
        ));
        if round < 2 {
            must(
                db,
                "ministry",
                &[
                    "publicity",
                    "withdraw",
                    "--reason",
                    "race test",
                    "--on",
                    "2026-08-14",
                ],
            );
        }
    }
    tally(exactly_one(
        db,
        &["publicity", "start", "--on", "2026-08-17"],
        "the publicity has already started",
    ));
    tally(exactly_one(
        db,
        &["publicity", "confirm"],
        "already confirmed",
    ));
    let proposals = count("publicity.propose");
    let starts = count("publicity.start");
    let confirms = count("publicity.confirm");
    audit_intact(db);
    eprintln!(
        "two publicity steps at once: {races} races, {won} won, {refused} refused by the phase; \
         audited: {proposals} proposals, {starts} starts, {confirms} confirmations"
    );
    assert_eq!((proposals, starts, confirms), (3, 1, 1));
}
