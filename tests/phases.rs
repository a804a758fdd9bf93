//! A round nobody can change underfoot, through the binary on real SQLite files: phases that
//! freeze the ranking's inputs once sealed, the completeness gate, the clock, stable dossier
//! identity across re-sent batches, manual assignment decisions that survive a re-run, criteria
//! pinned to the round, and refusals in the interface's language.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::*;
use serde_json::Value;

struct Round {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn shifan(db: &Path, user: Option<&str>, today: &str, lang: &str) -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env("SHIFAN_TODAY", today)
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_CRITERIA")
        .arg("--db")
        .arg(db)
        .args(["--lang", lang]);
    if let Some(u) = user {
        c.args(["--user", u]);
    }
    c
}

/// Run on `today` in English, expect `code`, return stdout and stderr.
fn run_on(db: &Path, user: &str, today: &str, args: &[&str], code: i32) -> (String, String) {
    run_lang(db, user, today, "en", args, code)
}

fn run_lang(
    db: &Path,
    user: &str,
    today: &str,
    lang: &str,
    args: &[&str],
    code: i32,
) -> (String, String) {
    let out = shifan(db, Some(user), today, lang)
        .args(args)
        .output()
        .unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{user} {args:?} on {today}\nstdout: {o}\nstderr: {e}"
    );
    (o, e)
}

const JULY: &str = "2026-07-31";

fn run(db: &Path, user: &str, args: &[&str], code: i32) -> (String, String) {
    run_on(db, user, JULY, args, code)
}

fn json(db: &Path, user: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&run(db, user, &a, 0).0).unwrap()
}

fn demo_round() -> Round {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = shifan(&db, None, JULY, "en").arg("demo").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Round { dir, db }
}

fn sql<T: rusqlite::types::FromSql>(db: &Path, q: &str) -> T {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(q, [], |r| r.get(0)).unwrap()
}

/// (dossier, expert) of a current pair whose sheet is not submitted, and the expert's account.
fn open_sheet(db: &Path) -> (String, String, String) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let (d, e): (String, String) = conn
        .query_row(
            "SELECT a.dossier_code, a.expert_id FROM assignment a
             LEFT JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND h.submitted_at IS NULL ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let account = shifan::demo::expert_account(&e);
    (d, e, account)
}

fn ranking_hash(db: &Path) -> String {
    json(db, "ministry", &["rank"])["ranking"]["inputs_hash"]
        .as_str()
        .unwrap()
        .to_string()
}

fn seal(db: &Path) -> String {
    let (out, _) = run(
        db,
        "ministry",
        &[
            "publicity",
            "propose",
            "--accept-incomplete",
            "demo: some sheets are left open on purpose",
        ],
        0,
    );
    out
}

/// Once sealed, nothing that feeds the ranking changes: every such step is refused naming the
/// phase and what to do; the ranking's inputs hash stays; withdrawing goes back to review.
#[test]
fn a_sealed_list_freezes_everything_that_feeds_the_ranking() {
    let r = demo_round();
    let db = &r.db;
    let (dossier, expert, account) = open_sheet(db);
    let c0 = criteria().rubric.criteria[0].id.clone();
    let score = |code| {
        run(
            db,
            &account,
            &[
                "score",
                "--dossier",
                &dossier,
                "--criterion",
                &c0,
                "--points",
                "1",
            ],
            code,
        )
    };
    score(0);
    seal(db);
    let sealed_hash = ranking_hash(db);
    let status = json(db, "ministry", &["publicity", "status"]);
    assert_eq!(status["ranking_hash"], sealed_hash.as_str());

    let (_, why) = score(1);
    assert!(
        why.contains("cannot score in the list sealed phase") && why.contains("publicity withdraw"),
        "{why}"
    );
    let refused: Vec<(&str, Vec<&str>)> = vec![
        (
            account.as_str(),
            vec![
                "opinion",
                "--dossier",
                &dossier,
                "--text",
                "好",
                "--recommend",
                "yes",
            ],
        ),
        (account.as_str(), vec!["submit", "--dossier", &dossier]),
        (
            account.as_str(),
            vec!["recuse", "--dossier", &dossier, "--reason", "conflict"],
        ),
        ("ministry", vec!["assign"]),
        (
            "ministry",
            vec![
                "swap",
                "--dossier",
                &dossier,
                "--out",
                &expert,
                "--in",
                "E40",
                "--reason",
                "r",
            ],
        ),
        (
            "ministry",
            vec![
                "reopen",
                "--dossier",
                &dossier,
                "--expert",
                &expert,
                "--reason",
                "r",
            ],
        ),
        (
            "ministry",
            vec!["import", "--replace", "sample-applications/330000-zhejiang"],
        ),
    ];
    for (user, args) in &refused {
        let (_, why) = run(db, user, args, 1);
        assert!(why.contains("list sealed phase"), "{args:?}: {why}");
    }
    // The same refusal in Chinese names the phase and what to do, without English.
    let (_, zh) = run_lang(
        db,
        &account,
        JULY,
        "zh",
        &[
            "score",
            "--dossier",
            &dossier,
            "--criterion",
            &c0,
            "--points",
            "2",
        ],
        1,
    );
    assert!(zh.contains("当前阶段为「名单已封存」，不能评分"), "{zh}");
    assert!(zh.contains("撤回") && !zh.contains("cannot"), "{zh}");
    assert_eq!(ranking_hash(db), sealed_hash, "nothing changed underfoot");

    // Withdraw needs a reason; then the round is back in review and scoring works again.
    run(
        db,
        "ministry",
        &["publicity", "withdraw", "--reason", " "],
        1,
    );
    run(
        db,
        "ministry",
        &[
            "publicity",
            "withdraw",
            "--reason",
            "a sheet must be finished",
        ],
        0,
    );
    assert_eq!(json(db, "ministry", &["status"])["phase"], "review");
    score(0);
    let status = json(db, "ministry", &["publicity", "status"]);
    assert_eq!(
        status["withdrawals"][0]["reason"],
        "a sheet must be finished"
    );

    // Sealed again and published: withdrawing is refused; after confirmation, scoring is
    // still refused and the ranking still reproduces the sealed hash.
    seal(db);
    let sealed_again = ranking_hash(db);
    run_on(db, "ministry", "2026-08-03", &["publicity", "start"], 0);
    run_on(
        db,
        "ministry",
        "2026-08-04",
        &["publicity", "withdraw", "--reason", "too late"],
        1,
    );
    run_on(db, "ministry", "2026-08-10", &["publicity", "confirm"], 0);
    let (_, why) = run_on(
        db,
        &account,
        "2026-08-11",
        &[
            "score",
            "--dossier",
            &dossier,
            "--criterion",
            &c0,
            "--points",
            "3",
        ],
        1,
    );
    assert!(why.contains("confirmed phase"), "{why}");
    assert_eq!(ranking_hash(db), sealed_again);
    let status = json(db, "ministry", &["publicity", "status"]);
    assert_eq!(status["ranking_hash"], sealed_again.as_str());
}

/// Sealing is refused while assigned sheets are open, naming how many and whose; with
/// `--accept-incomplete` the reason is recorded in the audit log and the status.
#[test]
fn the_completeness_gate_names_the_open_sheets() {
    let r = demo_round();
    let db = &r.db;
    let open: i64 = sql(
        db,
        "SELECT COUNT(*) FROM assignment a LEFT JOIN sheet h ON h.assignment_id = a.id
         WHERE a.ended_at IS NULL AND h.submitted_at IS NULL",
    );
    let e01: i64 = sql(
        db,
        "SELECT COUNT(*) FROM assignment a LEFT JOIN sheet h ON h.assignment_id = a.id
         WHERE a.ended_at IS NULL AND h.submitted_at IS NULL AND a.expert_id = 'E01'",
    );
    let (_, why) = run(db, "ministry", &["publicity", "propose"], 1);
    assert!(
        why.contains(&format!(
            "{open} assigned sheets are not submitted: E01 ({e01})"
        )),
        "{why}"
    );
    assert_eq!(json(db, "ministry", &["status"])["phase"], "review");
    let (out, _) = run(
        db,
        "ministry",
        &[
            "publicity",
            "propose",
            "--accept-incomplete",
            "专家E01因病无法完成，部里决定按已交评分封存",
        ],
        0,
    );
    assert!(
        out.contains(&format!("sealed with {open} sheets still open")),
        "{out}"
    );
    let (status, _) = run_lang(db, "ministry", JULY, "zh", &["publicity", "status"], 0);
    assert!(
        status.contains(&format!(
            "封存时有 {open} 份评分表未提交；理由：专家E01因病无法完成，部里决定按已交评分封存"
        )),
        "{status}"
    );
    let log: Value = json(db, "ministry", &["audit", "log", "--last", "1"]);
    let detail = log[0]["detail"].as_str().unwrap();
    assert!(detail.contains("accepted: 专家E01因病无法完成"), "{detail}");
}

/// Every step takes today from the clock: `--on` may be past, never future; confirmation waits
/// until today is past the period; each audit entry has the real time and the claimed date.
#[test]
fn the_clock_decides_what_may_be_recorded() {
    let r = demo_round();
    let db = &r.db;
    let today = "2026-08-03";
    let propose = |on: &str, code| {
        run_on(
            db,
            "ministry",
            today,
            &[
                "publicity",
                "propose",
                "--on",
                on,
                "--accept-incomplete",
                "demo",
            ],
            code,
        )
    };
    let (_, why) = propose("2026-08-04", 1);
    assert!(
        why.contains("2026-08-04 is after today (2026-08-03)"),
        "{why}"
    );
    propose("2026-08-03", 0);
    run_on(db, "ministry", today, &["publicity", "start"], 0);
    let status = json(db, "ministry", &["publicity", "status"]);
    assert_eq!(status["state"]["start"], "2026-08-03");
    assert_eq!(status["state"]["end"], "2026-08-07");
    // Confirmation typed with a later date is refused: the date cannot be in the future.
    let (_, why) = run_on(
        db,
        "ministry",
        "2026-08-05",
        &["publicity", "confirm", "--on", "2026-08-10"],
        1,
    );
    assert!(why.contains("never a future one"), "{why}");
    // On the last day of the period, still refused.
    run_on(db, "ministry", "2026-08-07", &["publicity", "confirm"], 1);
    // An objection received by post on the 6th, registered on the 10th.
    let code = status["current_list"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    run_on(
        db,
        "ministry",
        "2026-08-10",
        &[
            "publicity",
            "object",
            "--dossier",
            &code,
            "--by",
            "张三",
            "--summary",
            "邮寄异议",
            "--on",
            "2026-08-06",
        ],
        0,
    );
    run_on(
        db,
        "ministry",
        "2026-08-10",
        &[
            "publicity",
            "resolve",
            "--id",
            "1",
            "--rejected",
            "--note",
            "经核实不成立",
        ],
        0,
    );
    run_on(db, "ministry", "2026-08-10", &["publicity", "confirm"], 0);
    let log: Value = json(db, "ministry", &["audit", "log", "--last", "3"]);
    let object = &log[0];
    assert_eq!(object["action"], "publicity.object");
    assert_eq!(object["on"], "2026-08-06", "the claimed date");
    let real: jiff::Timestamp = object["at"].as_str().unwrap().parse().unwrap();
    let now = jiff::Timestamp::now();
    assert!(
        (now.as_second() - real.as_second()).abs() < 600,
        "the real time of the step: {real}"
    );
    assert_eq!(log[2]["action"], "publicity.confirm");
    assert_eq!(log[2]["on"], "2026-08-10");
    // A date that is not a date is refused before anything runs.
    let out = shifan(db, Some("ministry"), "08/10/2026", "en")
        .args(["publicity", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SHIFAN_TODAY=08/10/2026 is not a date"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Codes and applicants of the current dossiers of a province.
fn codes(db: &Path, province: &str) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut s = conn
        .prepare(
            "SELECT d.code, d.applicant FROM dossier d JOIN batch b ON b.id = d.batch_id
             AND b.replaced_at IS NULL WHERE d.province_key = ?1 ORDER BY d.code",
        )
        .unwrap();
    s.query_map([province], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Scores of the current sheets of one dossier: (expert, criterion, points).
fn scores_of(db: &Path, code: &str) -> Vec<(String, String, f64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut s = conn
        .prepare(
            "SELECT s.expert_id, s.criterion, s.points FROM score s
             JOIN assignment a ON a.id = s.assignment_id AND a.ended_at IS NULL
             WHERE s.dossier_code = ?1 ORDER BY 1, 2",
        )
        .unwrap();
    s.query_map([code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// 浙江 re-sends its batch during review with one file renamed (so the files come in another
/// order): every dossier keeps its code and its sheets. Then one dossier changed (its sheets set
/// aside, the same experts score it again), one dropped (withdrawn) and one new applicant (a new
/// number, never a reused one). After sealing, replace is refused.
#[test]
fn a_re_sent_batch_keeps_every_dossier_with_its_sheets() {
    let r = demo_round();
    let db = &r.db;
    let zj = "330000";
    let before = codes(db, zj);
    assert_eq!(before.len(), 10);
    let scored_before: Vec<_> = before.iter().map(|(c, _)| scores_of(db, c)).collect();
    assert!(scored_before.iter().all(|s| !s.is_empty()));

    // 1. Renamed: dossier-01.toml becomes zz-changxing.toml, so it is read last.
    let resent = r.dir.path().join("resend1/330000-zhejiang");
    copy_dir(&root().join("sample-applications/330000-zhejiang"), &resent);
    std::fs::rename(resent.join("dossier-01.toml"), resent.join("zz-moved.toml")).unwrap();
    let (out, _) = run(
        db,
        "ministry",
        &["import", "--replace", resent.to_str().unwrap()],
        0,
    );
    assert!(
        out.contains("10 dossiers unchanged, kept with their sheets"),
        "{out}"
    );
    assert_eq!(codes(db, zj), before, "every code keeps its applicant");
    for ((c, _), s) in before.iter().zip(&scored_before) {
        assert_eq!(&scores_of(db, c), s, "{c} keeps its scores");
    }

    // 2. One changed, one dropped, one new.
    let changed_code = before[1].0.clone();
    let dropped_code = before[2].0.clone();
    let changed_file = resent.join("dossier-02.toml");
    let text = std::fs::read_to_string(&changed_file).unwrap();
    std::fs::write(
        &changed_file,
        text.replace("staff_count = 41", "staff_count = 42"),
    )
    .unwrap();
    std::fs::remove_file(resent.join("dossier-03.toml")).unwrap();
    let new_text = std::fs::read_to_string(resent.join("dossier-04.toml"))
        .unwrap()
        .replace(&before[3].1, "桐乡市数字乡村服务中心")
        .replace("credit_code = \"", "credit_code = \"X");
    // A valid credit code is needed: keep the original one's shape but make it another unit's
    // by dropping the credit code line altogether.
    let new_text: String = new_text
        .lines()
        .filter(|l| !l.trim_start().starts_with("credit_code"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(resent.join("dossier-11.toml"), new_text).unwrap();
    std::fs::remove_file(resent.join("dossier-04.toml")).unwrap();
    let experts_before: i64 = sql(
        db,
        &format!(
            "SELECT COUNT(*) FROM assignment WHERE dossier_code = '{changed_code}' AND ended_at IS NULL"
        ),
    );
    let hash_before = ranking_hash(db);
    let (out, err) = shifan(db, Some("ministry"), JULY, "en")
        .args(["import", "--replace", resent.to_str().unwrap()])
        .output()
        .map(|o| {
            (
                String::from_utf8_lossy(&o.stdout).to_string(),
                String::from_utf8_lossy(&o.stderr).to_string(),
            )
        })
        .unwrap();
    assert!(
        out.contains(changed_code.as_str())
            && out.contains("changed: sheets set aside (kept), the same experts score it again"),
        "{out}{err}"
    );
    assert!(
        out.contains("no longer in the batch: withdrawn"),
        "{out}{err}"
    );
    assert!(out.contains("new applicant: new code"), "{out}{err}");
    let after = codes(db, zj);
    assert!(!after.iter().any(|(c, _)| *c == dropped_code), "{after:?}");
    assert!(
        after
            .iter()
            .any(|(c, a)| c == "330000-11" && a == "桐乡市数字乡村服务中心"),
        "the new applicant gets number 11, never a reused one: {after:?}"
    );
    let withdrawn: Option<String> = sql(
        db,
        &format!("SELECT withdrawn_at FROM dossier_identity WHERE code = '{dropped_code}'"),
    );
    assert!(withdrawn.is_some());
    // The changed dossier's old sheets are kept, set aside; the same experts have it again,
    // with fresh sheets.
    let set_aside: i64 = sql(
        db,
        &format!(
            "SELECT COUNT(*) FROM sheet h JOIN assignment a ON a.id = h.assignment_id
             WHERE a.dossier_code = '{changed_code}' AND a.ended_kind = 'changed'"
        ),
    );
    assert_eq!(set_aside, experts_before);
    let again: i64 = sql(
        db,
        &format!(
            "SELECT COUNT(*) FROM assignment WHERE dossier_code = '{changed_code}'
             AND ended_at IS NULL AND origin = 'reassign'"
        ),
    );
    assert_eq!(again, experts_before);
    assert!(scores_of(db, &changed_code).is_empty());
    // The untouched dossiers keep their sheets.
    assert_eq!(scores_of(db, &before[0].0), scored_before[0]);
    assert_ne!(ranking_hash(db), hash_before);
    let verify = json(db, "ministry", &["audit", "verify"]);
    assert_eq!(verify["intact"], true, "{verify}");

    // After sealing, replace is refused.
    seal(db);
    std::fs::write(
        &changed_file,
        text.replace("staff_count = 41", "staff_count = 43"),
    )
    .unwrap();
    let (_, why) = run(
        db,
        "ministry",
        &["import", "--replace", resent.to_str().unwrap()],
        1,
    );
    assert!(why.contains("list sealed phase"), "{why}");
}

/// Re-running the assignment keeps a recorded swap and a recusal's replacement, and never gives
/// the dossier back to the expert swapped out or recused.
#[test]
fn re_running_the_assignment_keeps_manual_decisions() {
    let r = demo_round();
    let db = &r.db;
    // expert01's untouched dossiers: a swap on one, a recusal on another.
    let conn = rusqlite::Connection::open(db).unwrap();
    let untouched: Vec<String> = conn
        .prepare(
            "SELECT a.dossier_code FROM assignment a LEFT JOIN sheet h ON h.assignment_id = a.id
             WHERE a.ended_at IS NULL AND a.expert_id = 'E01' AND h.assignment_id IS NULL
             ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    assert!(untouched.len() >= 2, "{untouched:?}");
    let (swapped, recused) = (&untouched[0], &untouched[1]);
    let on_swapped: Vec<String> = json(db, "ministry", &["progress"])["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_string())
        .collect();
    // An expert who may take the place: try from the end of the roster.
    let mut into = None;
    for candidate in on_swapped.iter().rev() {
        let out = shifan(db, Some("ministry"), JULY, "en")
            .args([
                "swap",
                "--dossier",
                swapped,
                "--out",
                "E01",
                "--in",
                candidate,
                "--reason",
                "E01 declared a late conflict",
            ])
            .output()
            .unwrap();
        if out.status.success() {
            into = Some(candidate.clone());
            break;
        }
    }
    let into = into.expect("someone may take the place");
    run(
        db,
        "expert01",
        &[
            "recuse",
            "--dossier",
            recused,
            "--reason",
            "former employer",
        ],
        0,
    );
    let replacement: String = sql(
        db,
        &format!(
            "SELECT expert_id FROM assignment WHERE dossier_code = '{recused}' AND ended_at IS NULL AND origin = 'replacement'"
        ),
    );
    run(db, "ministry", &["assign", "--seed", "7"], 0);
    let current = |d: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.prepare(
            "SELECT expert_id FROM assignment WHERE dossier_code = ?1 AND ended_at IS NULL ORDER BY 1",
        )
        .unwrap()
        .query_map([d], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let s = current(swapped);
    assert!(
        s.contains(&into) && !s.contains(&"E01".to_string()),
        "{s:?}"
    );
    let c = current(recused);
    assert!(
        c.contains(&replacement) && !c.contains(&"E01".to_string()),
        "{c:?}"
    );
}

fn criteria_copy(dir: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let to = dir.join("criteria-copy");
    copy_dir(&root().join("criteria"), &to);
    let round = to.join("round.toml");
    let text = std::fs::read_to_string(&round).unwrap();
    std::fs::write(&round, edit(&text)).unwrap();
    to
}

/// The round's criteria are pinned at the first import: another folder is refused with what
/// differs; `criteria update` changes them, freely before the review and only holidays and
/// contacts after.
#[test]
fn criteria_are_pinned_to_the_round() {
    let r = demo_round();
    let db = &r.db;
    let status = json(db, "ministry", &["status"]);
    let digest = status["criteria_digest"].as_str().unwrap().to_string();
    assert_eq!(digest.len(), 64);
    seal(db);
    let one_day = criteria_copy(r.dir.path(), |t| {
        t.replace("publicity_working_days = 5", "publicity_working_days = 1")
    });
    let out = shifan(db, Some("ministry"), JULY, "en")
        .arg("--criteria")
        .arg(&one_day)
        .args(["publicity", "start"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("differs from the round's pinned criteria")
            && why.contains("round.toml: publicity_working_days 5 → 1"),
        "{why}"
    );
    assert_eq!(json(db, "ministry", &["status"])["phase"], "sealed");
    // The same folder as pinned is accepted.
    let same = shifan(db, Some("ministry"), JULY, "en")
        .args(["--criteria", "criteria", "status"])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));

    // Updates: the contact phone may change in any phase; the target may not after review.
    let phone = criteria_copy(&r.dir.path().join("p"), |t| {
        t.replace("phone = \"010-59193000\"", "phone = \"010-59193123\"")
    });
    let (out, _) = run(
        db,
        "ministry",
        &["criteria", "update", phone.to_str().unwrap()],
        0,
    );
    assert!(out.contains("publicity_contact.phone"), "{out}");
    assert_ne!(
        json(db, "ministry", &["status"])["criteria_digest"],
        digest.as_str()
    );
    let target = criteria_copy(&r.dir.path().join("t"), |t| {
        t.replace("target_units = 100", "target_units = 90")
            .replace("phone = \"010-59193000\"", "phone = \"010-59193123\"")
    });
    let (_, why) = run(
        db,
        "ministry",
        &["criteria", "update", target.to_str().unwrap()],
        1,
    );
    assert!(why.contains("round.toml: target_units 100 → 90"), "{why}");
    let log: Value = json(db, "ministry", &["audit", "log", "--last", "1"]);
    assert_eq!(log[0]["action"], "criteria.update");
    run(
        db,
        "clerk",
        &["criteria", "update", phone.to_str().unwrap()],
        3,
    );
}

/// Refusals reach the Chinese interface in Chinese.
#[test]
fn refusals_speak_the_interface_language() {
    let r = demo_round();
    let db = &r.db;
    let (dossier, _, account) = open_sheet(db);
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (&account, vec!["submit", "--dossier", &dossier]),
        (
            &account,
            vec![
                "score",
                "--dossier",
                &dossier,
                "--criterion",
                "infrastructure",
                "--points",
                "99",
            ],
        ),
        (
            &account,
            vec!["recuse", "--dossier", "110000-01", "--reason", "x"],
        ),
        (
            "ministry",
            vec![
                "swap",
                "--dossier",
                "NOPE",
                "--out",
                "E01",
                "--in",
                "E02",
                "--reason",
                "r",
            ],
        ),
        ("ministry", vec!["publicity", "start"]),
        ("ministry", vec!["publicity", "propose"]),
        (
            "ministry",
            vec![
                "tie",
                "decide",
                "--order",
                "110000-01,120000-01",
                "--reason",
                "r",
            ],
        ),
        ("ministry", vec!["select", "--type-limit", "other:5:2"]),
        ("ministry", vec!["select", "--target", "0"]),
        ("clerk", vec!["notice", "publicity", "--out", "/tmp/never"]),
    ];
    for (user, args) in &cases {
        let out = shifan(db, Some(user), JULY, "zh")
            .args(args)
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let msg = err.trim_start_matches("shifan: ");
        assert!(
            msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{args:?}: {err}"
        );
        for english in ["cannot", "not ", " the ", "must", "no such"] {
            assert!(
                !msg.contains(english),
                "{args:?}: English in Chinese: {err}"
            );
        }
    }
}
