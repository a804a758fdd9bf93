//! The expert-review round through the binary, as ministry staff, experts, officials and clerks
//! run it: demo round, scoring, recusal, swap, ranking, selection, publicity, audit.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::*;
use serde_json::Value;

struct Round {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

fn demo_round() -> Round {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = shifan(&db, None).args(["demo"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Round { _dir: dir, db }
}

fn shifan(db: &Path, user: Option<&str>) -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        // The scripted round runs in summer 2026: every `--on` date is before this day.
        .env("SHIFAN_TODAY", "2026-08-31")
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_CRITERIA")
        .arg("--db")
        .arg(db)
        .args(["--lang", "en"]);
    if let Some(u) = user {
        c.args(["--user", u]);
    }
    c
}

/// Run, expect `code`, return stdout.
fn run(db: &Path, user: &str, args: &[&str], code: i32) -> String {
    let out = shifan(db, Some(user)).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{user} {args:?}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn json(db: &Path, user: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&run(db, user, &a, 0)).unwrap()
}

fn sql<T: rusqlite::types::FromSql>(db: &Path, q: &str) -> T {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(q, [], |r| r.get(0)).unwrap()
}

#[test]
fn the_sample_round_runs_to_a_confirmed_list_of_100_within_every_constraint() {
    let r = demo_round();
    let db = &r.db;
    let criteria = criteria();

    // Assignment: every current dossier has 5 experts, none breaking a hard rule.
    let progress = json(db, "ministry", &["progress"]);
    let loads: Vec<u64> = progress["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["assigned"].as_u64().unwrap())
        .collect();
    assert_eq!(loads.len(), 40);
    assert!(
        loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
        "{loads:?}"
    );
    let per_dossier: i64 = sql(
        db,
        "SELECT MIN(n) FROM (SELECT COUNT(*) n FROM assignment WHERE ended_at IS NULL GROUP BY dossier_code)",
    );
    assert_eq!(per_dossier, 5);
    let same_province: i64 = sql(
        db,
        "SELECT COUNT(*) FROM assignment a JOIN dossier d ON d.code = a.dossier_code
         JOIN expert e ON e.id = a.expert_id WHERE a.ended_at IS NULL AND e.province_key = d.province_key",
    );
    assert_eq!(same_province, 0);

    // An expert finishes a sheet the demo left half done.
    let (dossier, expert): (String, String) = {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row(
            "SELECT dossier_code, expert_id FROM sheet WHERE submitted_at IS NULL ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let account = shifan::demo::expert_account(&expert);
    for c in &criteria.rubric.criteria {
        run(
            db,
            &account,
            &[
                "score",
                "--dossier",
                &dossier,
                "--criterion",
                &c.id,
                "--points",
                &(c.max - c.step).to_string(),
            ],
            0,
        );
    }
    run(db, &account, &["submit", "--dossier", &dossier], 1); // no opinion yet
    run(
        db,
        &account,
        &[
            "opinion",
            "--dossier",
            &dossier,
            "--text",
            "基础较好，建议认定。",
            "--recommend",
            "yes",
        ],
        0,
    );
    run(db, &account, &["submit", "--dossier", &dossier], 0);
    let total: f64 = sql(
        db,
        &format!(
            "SELECT SUM(points) FROM score WHERE dossier_code = '{dossier}' AND expert_id = '{expert}'"
        ),
    );
    let expected: f64 = criteria
        .rubric
        .criteria
        .iter()
        .map(|c| c.max - c.step)
        .sum();
    assert!((total - expected).abs() < 1e-9);
    // Locked once submitted; ministry reopens with a reason.
    let c0 = &criteria.rubric.criteria[0].id;
    run(
        db,
        &account,
        &[
            "score",
            "--dossier",
            &dossier,
            "--criterion",
            c0,
            "--points",
            "1",
        ],
        1,
    );
    run(
        db,
        "ministry",
        &[
            "reopen",
            "--dossier",
            &dossier,
            "--expert",
            &expert,
            "--reason",
            "typo in criterion 1",
        ],
        0,
    );
    run(
        db,
        &account,
        &[
            "score",
            "--dossier",
            &dossier,
            "--criterion",
            c0,
            "--points",
            "1",
        ],
        0,
    );
    run(db, &account, &["submit", "--dossier", &dossier], 0);

    // Ranking: reproducible, hash printed, explain anonymises on request.
    let r1 = json(db, "ministry", &["rank"]);
    let r2 = json(db, "ministry", &["rank"]);
    assert_eq!(r1["ranking"]["inputs_hash"], r2["ranking"]["inputs_hash"]);
    assert_eq!(r1["ranking"]["rows"], r2["ranking"]["rows"]);
    let top = r1["ranking"]["rows"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let explain = run(
        db,
        "ministry",
        &["rank", "--explain", &top, "--anonymise"],
        0,
    );
    assert!(explain.contains("Expert A"), "{explain}");
    assert!(!explain.contains("E0"), "{explain}");

    // Selection under the round's constraints, and a what-if that changes nothing stored.
    let sel = json(db, "ministry", &["select"]);
    let selected: Vec<String> = sel["selection"]["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(selected.len(), 100);
    let what_if = json(
        db,
        "ministry",
        &["select", "--max-per-province", "3", "--target", "90"],
    );
    assert_eq!(
        what_if["selection"]["selected"].as_array().unwrap().len(),
        90
    );

    // Publicity: propose (refused while sheets are open, then sealed with the reason
    // recorded), start, one upheld objection with its supplementary publicity, confirm.
    let open = shifan(db, Some("ministry"))
        .args(["publicity", "propose", "--on", "2026-07-31"])
        .output()
        .unwrap();
    assert_eq!(open.status.code(), Some(1));
    let why = String::from_utf8_lossy(&open.stderr);
    assert!(
        why.contains("assigned sheets are not submitted") && why.contains("--accept-incomplete"),
        "{why}"
    );
    let sealed = run(
        db,
        "ministry",
        &[
            "publicity",
            "propose",
            "--on",
            "2026-07-31",
            "--accept-incomplete",
            "演示数据：部分评分表按设计未完成",
        ],
        0,
    );
    assert!(sealed.contains("sealed"), "{sealed}");
    let status = run(db, "ministry", &["publicity", "status"], 0);
    assert!(
        status.contains("sealed with 26 sheets open; reason: 演示数据：部分评分表按设计未完成"),
        "{status}"
    );
    run(
        db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-20"],
        1,
    ); // out of order
    let period = run(
        db,
        "ministry",
        &["publicity", "start", "--on", "2026-08-03"],
        0,
    );
    assert!(period.contains("2026-08-03 to 2026-08-07"), "{period}");
    let victim = selected[17].clone();
    run(
        db,
        "ministry",
        &[
            "publicity",
            "object",
            "--dossier",
            &victim,
            "--by",
            "李四",
            "--summary",
            "服务数据不实",
            "--on",
            "2026-08-05",
        ],
        0,
    );
    run(
        db,
        "ministry",
        &[
            "publicity",
            "object",
            "--dossier",
            &victim,
            "--by",
            "王五",
            "--summary",
            "迟到",
            "--on",
            "2026-08-10",
        ],
        1,
    ); // late
    run(
        db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-10"],
        1,
    ); // objection open
    let resolved = run(
        db,
        "ministry",
        &[
            "publicity",
            "resolve",
            "--id",
            "1",
            "--upheld",
            "--note",
            "经核实，数据不实",
            "--on",
            "2026-08-07",
        ],
        0,
    );
    assert!(resolved.contains("promoted"), "{resolved}");
    // The promoted unit is published from the next working day (Monday) for 5 working days.
    assert!(
        resolved.contains("supplementary publicity of the promoted unit: 2026-08-10 to 2026-08-14"),
        "{resolved}"
    );
    run(
        db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-10"],
        1,
    ); // the supplementary period runs until 2026-08-14
    run(
        db,
        "ministry",
        &["publicity", "confirm", "--on", "2026-08-17"],
        0,
    );

    let status = json(db, "ministry", &["publicity", "status"]);
    assert_eq!(status["state"]["phase"], "confirmed");
    assert_eq!(status["seal_intact"], true);
    let list = status["current_list"].as_array().unwrap();
    assert_eq!(list.len(), 100);
    let codes: Vec<&str> = list.iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&victim.as_str()));
    let promoted = status["changes"][0]["promoted"].as_str().unwrap();
    assert!(codes.contains(&promoted));
    // The promoted unit is the best-ranked eligible unit off the list that keeps every limit:
    // every reserve unit ranked above it would break one.
    let reserve: Vec<&str> = sel["selection"]["reserve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let at = reserve.iter().position(|c| *c == promoted);
    assert!(
        at.is_some(),
        "{promoted} is on the reserve annex {reserve:?}"
    );
    // Every constraint of round.toml holds on the final list.
    let mut per_province: BTreeMap<&str, u32> = BTreeMap::new();
    let mut per_type: BTreeMap<&str, u32> = BTreeMap::new();
    for e in list {
        *per_province
            .entry(e["province_key"].as_str().unwrap())
            .or_default() += 1;
        *per_type.entry(e["type_id"].as_str().unwrap()).or_default() += 1;
    }
    let rules = &criteria.round.selection;
    assert!(
        per_province.values().all(|&n| n <= rules.max_per_province),
        "{per_province:?}"
    );
    for l in &rules.type_limits {
        let n = per_type.get(l.type_id.as_str()).copied().unwrap_or(0);
        assert!(
            l.min.is_none_or(|m| n >= m) && l.max.is_none_or(|m| n <= m),
            "{} {n}",
            l.type_id
        );
    }
    // Every unit on the list was recommended by a majority of its submitted sheets.
    for code in &codes {
        let row = r1["ranking"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == *code)
            .unwrap();
        assert!(row["recommend_votes"].as_u64().unwrap() * 2 > row["sheets"].as_u64().unwrap());
    }

    // The whole history is in an intact audit chain.
    let audit = json(db, "ministry", &["audit", "verify"]);
    assert_eq!(audit["intact"], true);
    let actions: Vec<String> = {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut s = conn.prepare("SELECT DISTINCT action FROM audit").unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    for a in [
        "import",
        "experts.import",
        "assign",
        "score",
        "submit",
        "reopen",
        "select",
        "publicity.propose",
        "publicity.resolve",
        "publicity.confirm",
    ] {
        assert!(
            actions.iter().any(|x| x == a),
            "no audit entry {a}: {actions:?}"
        );
    }
}

#[test]
fn audit_verify_names_an_edited_and_a_deleted_row() {
    let r = demo_round();
    let db = &r.db;
    run(db, "ministry", &["audit", "verify"], 0);
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        "UPDATE audit SET detail = detail || ' (edited)' WHERE seq = 7",
        [],
    )
    .unwrap();
    drop(conn);
    let out = json_code(db, &["audit", "verify"], 1);
    assert_eq!(out["intact"], false);
    let seqs: Vec<u64> = out["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs.first(), Some(&7), "{out}");
    let text = run(db, "ministry", &["audit", "verify"], 1);
    assert!(
        text.contains("entry 7: its content does not match its hash"),
        "{text}"
    );

    let r2 = demo_round();
    let conn = rusqlite::Connection::open(&r2.db).unwrap();
    conn.execute("DELETE FROM audit WHERE seq = 12", [])
        .unwrap();
    drop(conn);
    let text = run(&r2.db, "ministry", &["audit", "verify"], 1);
    assert!(text.contains("entry 12 is"), "{text}");
}

fn json_code(db: &Path, args: &[&str], code: i32) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&run(db, "ministry", &a, code)).unwrap()
}

#[test]
fn every_command_refuses_the_roles_that_may_not_run_it() {
    let r = demo_round();
    let db = &r.db;
    let (dossier, expert): (String, String) = {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row(
            "SELECT dossier_code, expert_id FROM assignment WHERE ended_at IS NULL ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let other_expert = if expert == "E01" {
        "expert02"
    } else {
        "expert01"
    };
    let ministry_only: Vec<Vec<&str>> = vec![
        vec!["user", "list"],
        vec!["experts", "import", "sample-applications/experts.toml"],
        vec!["import", "sample-applications"],
        vec!["assign"],
        vec![
            "swap",
            "--dossier",
            &dossier,
            "--out",
            &expert,
            "--in",
            "E40",
            "--reason",
            "x",
        ],
        vec![
            "reopen",
            "--dossier",
            &dossier,
            "--expert",
            &expert,
            "--reason",
            "x",
        ],
        vec!["progress"],
        vec!["rank"],
        vec!["rank", "--explain", &dossier],
        vec!["select"],
        vec!["select", "--what-if"],
        vec!["publicity", "propose"],
        vec!["publicity", "start"],
        vec![
            "publicity",
            "object",
            "--dossier",
            &dossier,
            "--by",
            "x",
            "--summary",
            "x",
        ],
        vec![
            "publicity",
            "resolve",
            "--id",
            "1",
            "--upheld",
            "--note",
            "x",
        ],
        vec!["publicity", "confirm"],
        vec!["audit", "verify"],
        vec!["audit", "log"],
    ];
    for args in &ministry_only {
        for user in ["expert01", "official-zhejiang", "clerk"] {
            // The clerk may read the publicity status, nothing else here.
            let out = shifan(db, Some(user)).args(args).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(3),
                "{user} {args:?} was not refused"
            );
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("not allowed"), "{user} {args:?}: {err}");
        }
    }
    // Scoring is the assigned expert's alone: not the ministry, not another expert.
    let c0 = criteria().rubric.criteria[0].id.clone();
    let scoring: Vec<Vec<&str>> = vec![
        vec![
            "score",
            "--dossier",
            &dossier,
            "--criterion",
            &c0,
            "--points",
            "5",
        ],
        vec!["opinion", "--dossier", &dossier, "--text", "x"],
        vec!["submit", "--dossier", &dossier],
        vec!["recuse", "--dossier", &dossier, "--reason", "x"],
        vec!["sheet", "--dossier", &dossier, "--expert", &expert],
    ];
    for args in &scoring {
        for user in ["official-zhejiang", "clerk", other_expert] {
            let out = shifan(db, Some(user)).args(args).output().unwrap();
            assert_ne!(out.status.code(), Some(0), "{user} {args:?} was allowed");
        }
    }
    for args in &scoring[..4] {
        let out = shifan(db, Some("ministry")).args(args).output().unwrap();
        assert_ne!(out.status.code(), Some(0), "ministry {args:?} was allowed");
    }
    // An expert never reads another expert's sheet; ministry staff may.
    let out = shifan(db, Some(other_expert))
        .args(["sheet", "--dossier", &dossier, "--expert", &expert])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    run(
        db,
        "ministry",
        &["sheet", "--dossier", &dossier, "--expert", &expert],
        0,
    );
    // A sheet of a pair that was never assigned is not an empty sheet: it is refused by name.
    let other_expert_id: String = rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT id FROM expert WHERE id NOT IN \
             (SELECT expert_id FROM assignment WHERE dossier_code = ?1) ORDER BY id LIMIT 1",
            [&dossier],
            |r| r.get(0),
        )
        .unwrap();
    let other_expert_id = other_expert_id.as_str();
    let unassigned = shifan(db, Some("ministry"))
        .args(["sheet", "--dossier", &dossier, "--expert", other_expert_id])
        .output()
        .unwrap();
    assert_eq!(unassigned.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unassigned.stderr);
    assert!(
        err.contains(&format!("is not assigned to expert {other_expert_id}")),
        "{err}"
    );
    // An official sees only their own province in the status.
    let st = json(db, "official-zhejiang", &["status"]);
    let provinces: Vec<&str> = st["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["province"].as_str().unwrap())
        .collect();
    assert_eq!(provinces, vec!["330000"]);
    // An official may read the calculation sheet of their own province's dossier, anonymised.
    let ex = run(
        db,
        "official-zhejiang",
        &["rank", "--explain", "330000-01"],
        0,
    );
    assert!(ex.contains("Expert A") && !ex.contains("E0"), "{ex}");
    // The library itself refuses: dossier text only for its experts, its official, the ministry.
    let store = shifan::store::Store::open(db).unwrap();
    let official = store.login("official-zhejiang", "demo").unwrap();
    assert!(
        store
            .dossier_raw(Some(&official), "330000-01")
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        store.dossier_raw(Some(&official), &dossier),
        Err(shifan::store::StoreError::Denied(_))
    ));
    let reviewer = store
        .login(&shifan::demo::expert_account(&expert), "demo")
        .unwrap();
    assert!(
        store
            .dossier_raw(Some(&reviewer), &dossier)
            .unwrap()
            .is_some()
    );
    let stranger = store.login(other_expert, "demo").unwrap();
    assert!(store.dossier_raw(Some(&stranger), &dossier).is_err());
    assert!(matches!(
        store.dossier_raw(None, &dossier),
        Err(shifan::store::StoreError::LoginRequired)
    ));
    drop(store);
    // Wrong password and no login are refused too.
    let out = shifan(db, Some("ministry"))
        .env("SHIFAN_PASSWORD", "wrong")
        .args(["rank"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let out = shifan(db, None).args(["rank"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    // Nothing above changed the data: the chain holds and no score was written by them.
    run(db, "ministry", &["audit", "verify"], 0);
}

#[test]
fn recusal_brings_a_replacement_and_a_swap_keeps_the_hard_rules() {
    let r = demo_round();
    let db = &r.db;
    let (dossier, expert, province): (String, String, String) = {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row(
            "SELECT a.dossier_code, a.expert_id, d.province_key FROM assignment a JOIN dossier d ON d.code = a.dossier_code
             WHERE a.ended_at IS NULL AND NOT EXISTS (SELECT 1 FROM sheet h WHERE h.dossier_code = a.dossier_code
             AND h.expert_id = a.expert_id AND h.submitted_at IS NOT NULL)
             AND EXISTS (SELECT 1 FROM expert e WHERE e.province_key = d.province_key) ORDER BY 1, 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    let account = shifan::demo::expert_account(&expert);
    let out = run(
        db,
        &account,
        &[
            "recuse",
            "--dossier",
            &dossier,
            "--reason",
            "曾为该单位提供咨询",
        ],
        0,
    );
    assert!(out.contains("replacement"), "{out}");
    let on: i64 = sql(
        db,
        &format!(
            "SELECT COUNT(*) FROM assignment WHERE dossier_code = '{dossier}' AND ended_at IS NULL"
        ),
    );
    assert_eq!(on, 5);
    let still: i64 = sql(
        db,
        &format!(
            "SELECT COUNT(*) FROM assignment WHERE dossier_code = '{dossier}' AND expert_id = '{expert}' AND ended_at IS NULL"
        ),
    );
    assert_eq!(still, 0);
    let reason: String = sql(
        db,
        &format!(
            "SELECT reason FROM recusal WHERE dossier_code = '{dossier}' AND expert_id = '{expert}'"
        ),
    );
    assert_eq!(reason, "曾为该单位提供咨询");
    // The recused expert is not brought back by a new assignment run.
    run(db, "ministry", &["assign", "--seed", "9"], 0);
    let back: i64 = sql(
        db,
        &format!(
            "SELECT COUNT(*) FROM assignment WHERE dossier_code = '{dossier}' AND expert_id = '{expert}' AND ended_at IS NULL"
        ),
    );
    assert_eq!(back, 0);

    // A swap to an expert of the dossier's own province is refused with the rule.
    let same: String = sql(
        db,
        &format!("SELECT id FROM expert WHERE province_key = '{province}' LIMIT 1"),
    );
    let current: String = sql(db, &format!(
        "SELECT a.expert_id FROM assignment a WHERE a.dossier_code = '{dossier}' AND a.ended_at IS NULL AND NOT EXISTS
         (SELECT 1 FROM sheet h WHERE h.dossier_code = a.dossier_code AND h.expert_id = a.expert_id AND h.submitted_at IS NOT NULL) LIMIT 1"
    ));
    let out = shifan(db, Some("ministry"))
        .args([
            "swap",
            "--dossier",
            &dossier,
            "--out",
            &current,
            "--in",
            &same,
            "--reason",
            "load",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("own province"));
    // A swap to an eligible expert is recorded with its reason.
    let eligible: String = sql(db, &format!(
        "SELECT e.id FROM expert e WHERE e.province_key <> '{province}' AND e.avoid_provinces NOT LIKE '%{province}%'
         AND e.id NOT IN (SELECT expert_id FROM assignment WHERE dossier_code = '{dossier}')
         AND e.id NOT IN (SELECT expert_id FROM recusal WHERE dossier_code = '{dossier}') ORDER BY e.id LIMIT 1"
    ));
    run(
        db,
        "ministry",
        &[
            "swap",
            "--dossier",
            &dossier,
            "--out",
            &current,
            "--in",
            &eligible,
            "--reason",
            "专家出差",
        ],
        0,
    );
    let ended: String = sql(
        db,
        &format!(
            "SELECT ended_reason FROM assignment WHERE dossier_code = '{dossier}' AND expert_id = '{current}' AND ended_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        ),
    );
    assert!(ended.contains("专家出差"), "{ended}");
    run(db, "ministry", &["audit", "verify"], 0);
}

#[test]
fn first_account_setup_and_password_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    // The first account needs no login but must be ministry staff.
    let out = shifan(&db, None)
        .env("SHIFAN_NEW_PASSWORD", "s3cret")
        .args(["user", "add", "clerk1", "--role", "clerk"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = shifan(&db, None)
        .env("SHIFAN_NEW_PASSWORD", "s3cret")
        .args(["user", "add", "wang", "--role", "ministry"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // From now on every command needs a login.
    let out = shifan(&db, None)
        .env("SHIFAN_NEW_PASSWORD", "x")
        .args(["user", "add", "li", "--role", "clerk"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let ok = shifan(&db, Some("wang"))
        .env("SHIFAN_PASSWORD", "s3cret")
        .env("SHIFAN_NEW_PASSWORD", "pw-li")
        .args([
            "user",
            "add",
            "li",
            "--role",
            "official",
            "--province",
            "浙江",
        ])
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let hash: String = sql(&db, "SELECT password_hash FROM account WHERE name = 'li'");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let key: String = sql(&db, "SELECT province_key FROM account WHERE name = 'li'");
    assert_eq!(key, "330000");
    let changed = shifan(&db, Some("li"))
        .env("SHIFAN_PASSWORD", "pw-li")
        .env("SHIFAN_NEW_PASSWORD", "pw-li-2")
        .args(["user", "passwd"])
        .output()
        .unwrap();
    assert_eq!(changed.status.code(), Some(0));
    let old = shifan(&db, Some("li"))
        .env("SHIFAN_PASSWORD", "pw-li")
        .args(["status"])
        .output()
        .unwrap();
    assert_eq!(old.status.code(), Some(3));
}

#[test]
fn assign_names_the_dossiers_it_cannot_staff_and_the_smallest_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("small.db");
    let roster = dir.path().join("experts.toml");
    // Three experts, one of them from Zhejiang itself: two may review Zhejiang's dossiers.
    let mut text = String::new();
    for (id, province) in [("E01", "北京市"), ("E02", "上海市"), ("E03", "浙江省")] {
        text.push_str(&format!(
            "[[expert]]\nid = \"{id}\"\nname = \"专家{id}\"\naffiliation = \"某大学{id}\"\nprovince = \"{province}\"\nexpertise = [\"overall_advancement\"]\navoid_units = []\navoid_provinces = []\n\n"
        ));
    }
    std::fs::write(&roster, text).unwrap();
    let first = shifan(&db, None)
        .env("SHIFAN_NEW_PASSWORD", "pw")
        .args(["user", "add", "m", "--role", "ministry"])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let as_m = |args: &[&str]| {
        shifan(&db, Some("m"))
            .env("SHIFAN_PASSWORD", "pw")
            .args(args)
            .output()
            .unwrap()
    };
    let fixture = fixture("valid/zhejiang");
    assert_eq!(
        as_m(&["import", fixture.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(
        as_m(&["experts", "import", roster.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let out = as_m(&["assign"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("330000-01"), "{text}");
    assert!(text.contains("only 2 can review it"), "{text}");
    assert!(text.contains("1 from the same province"), "{text}");
    assert!(
        text.contains("invite at least 3 more experts from outside Zhejiang"),
        "{text}"
    );
    // The two eligible experts are assigned all the same; the Zhejiang expert is not.
    let on: i64 = sql(
        &db,
        "SELECT COUNT(*) FROM assignment WHERE ended_at IS NULL AND expert_id = 'E03'",
    );
    assert_eq!(on, 0);
    let on: i64 = sql(
        &db,
        "SELECT COUNT(*) FROM assignment WHERE ended_at IS NULL",
    );
    assert_eq!(on, 4);
}

#[test]
fn export_writes_the_ranking_and_every_score_as_csv_xlsx_and_json() {
    let r = demo_round();
    let db = &r.db;
    let out = tempfile::tempdir().unwrap();
    run(
        db,
        "ministry",
        &["export", "--out", out.path().to_str().unwrap()],
        0,
    );
    let rank = json(db, "ministry", &["rank"]);
    let rows = rank["ranking"]["rows"].as_array().unwrap();

    let mut csv = csv::Reader::from_path(out.path().join("ranking.csv")).unwrap();
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (rec, row) in records.iter().zip(rows) {
        assert_eq!(&rec[1], row["code"].as_str().unwrap());
        assert_eq!(
            rec[0].parse::<u64>().unwrap(),
            row["rank"].as_u64().unwrap()
        );
    }
    let selected = records
        .iter()
        .filter(|r| &r[r.len() - 2] == "selected")
        .count();
    assert_eq!(selected, 100);
    let near_cut = records
        .iter()
        .find(|r| &r[r.len() - 2] == "not selected")
        .unwrap();
    assert!(
        near_cut[near_cut.len() - 1].starts_with("rank "),
        "{near_cut:?}"
    );

    let mut scores = csv::Reader::from_path(out.path().join("scores.csv")).unwrap();
    let n_pairs: i64 = sql(db, "SELECT COUNT(*) FROM assignment WHERE ended_at IS NULL");
    let score_rows: Vec<csv::StringRecord> = scores.records().map(Result::unwrap).collect();
    assert_eq!(score_rows.len() as i64, n_pairs);
    let points: f64 = sql(
        db,
        "SELECT SUM(points) FROM score s JOIN assignment a ON a.dossier_code = s.dossier_code AND a.expert_id = s.expert_id AND a.ended_at IS NULL",
    );
    let n_criteria = criteria().rubric.criteria.len();
    let csv_points: f64 = score_rows
        .iter()
        .flat_map(|r| (2..2 + n_criteria).filter_map(move |i| r[i].parse::<f64>().ok()))
        .sum();
    assert!(
        (points - csv_points).abs() < 1e-6,
        "{points} vs {csv_points}"
    );

    let file = std::fs::File::open(out.path().join("round.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    let first = rank["applicants"][rows[0]["code"].as_str().unwrap()]
        .as_str()
        .unwrap();
    assert!(strings.contains(first), "{first} not in the workbook");
    assert!(zip.by_name("xl/worksheets/sheet2.xml").is_ok());

    let json: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("round.json")).unwrap()).unwrap();
    assert_eq!(json["inputs_hash"], rank["ranking"]["inputs_hash"]);
    assert_eq!(json["selected"].as_array().unwrap().len(), 100);
    assert_eq!(json["scores"].as_array().unwrap().len() as i64, n_pairs);
}
