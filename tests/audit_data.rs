//! Tampering with a real demo round's SQLite file outside the program, with plain SQL, and what
//! `shifan audit verify` says about it: every change named by table and key, in JSON and in the
//! text of both languages, with exit code 1. Also: accounts and roster rows that do not make
//! sense fail closed (never a role, never "no conflicts").

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::root;
use rusqlite::{Connection, params};
use serde_json::Value;
use sha2::Digest as _;

struct Round {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

/// A fresh demo round in its own folder.
fn demo_round() -> Round {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("round.db");
    let out = shifan(&db, None, "en").arg("demo").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Round { _dir: dir, db }
}

fn shifan(db: &Path, user: Option<&str>, lang: &str) -> Command {
    let mut c = Command::cargo_bin("shifan").unwrap();
    c.current_dir(root())
        .env("SHIFAN_PASSWORD", "demo")
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_TODAY")
        .arg("--db")
        .arg(db)
        .args(["--lang", lang]);
    if let Some(u) = user {
        c.args(["--user", u]);
    }
    c
}

/// (exit code, stdout, stderr)
fn run(db: &Path, user: &str, lang: &str, args: &[&str]) -> (i32, String, String) {
    let out = shifan(db, Some(user), lang).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A connection outside the program, with foreign keys off (the bundled SQLite turns them on
/// by default).
fn outside(db: &Path) -> Connection {
    let c = Connection::open(db).unwrap();
    c.pragma_update(None, "foreign_keys", "OFF").unwrap();
    let fk: i64 = c
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 0, "the tampering connection runs with foreign keys off");
    c
}

fn one<T: rusqlite::types::FromSql>(c: &Connection, sql: &str) -> T {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// `audit verify` three times: JSON, Chinese text, English text.
struct Verify {
    code: i32,
    json: Value,
    zh: String,
    en: String,
}

fn verify(db: &Path, head: Option<&str>) -> Verify {
    let mut args = vec!["audit", "verify"];
    if let Some(h) = head {
        args.extend(["--head", h]);
    }
    let mut json_args = args.clone();
    json_args.extend(["--format", "json"]);
    let (code, out, err) = run(db, "ministry", "en", &json_args);
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let (zh_code, zh, _) = run(db, "ministry", "zh", &args);
    let (en_code, en, _) = run(db, "ministry", "en", &args);
    assert_eq!(code, zh_code, "same verdict in JSON and Chinese text\n{zh}");
    assert_eq!(code, en_code, "same verdict in JSON and English text\n{en}");
    Verify { code, json, zh, en }
}

/// The data problems of a report as (kind, table, key); `seals_rewritten` has no key.
fn data_problems(json: &Value) -> BTreeSet<(String, String, String)> {
    json["data_problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_string(),
                p["table"].as_str().unwrap().to_string(),
                p["key"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn chain_kinds(json: &Value) -> Vec<String> {
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The phrase each kind of data problem is told with, (zh, en).
fn phrase(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "changed" => ("在程序之外被修改", "changed outside the program"),
        "inserted" => ("在程序之外插入", "inserted outside the program"),
        "deleted" => ("在程序之外被删除", "deleted outside the program"),
        "raw_changed" => ("原始文件与其哈希不符", "do not match their recorded hash"),
        "seals_rewritten" => ("在程序之外被改写", "rewritten outside the program"),
        k => panic!("unknown kind {k}"),
    }
}

/// The report fails (exit 1, not intact) and names exactly `expected`, in JSON and on one line
/// of each language's text with the table, the key and what happened.
fn assert_names(v: &Verify, expected: &[(&str, &str, &str)]) {
    assert_eq!(v.code, 1, "verify must fail\n{}", v.en);
    assert_eq!(v.json["intact"], false);
    let want: BTreeSet<(String, String, String)> = expected
        .iter()
        .map(|(k, t, key)| (k.to_string(), t.to_string(), key.to_string()))
        .collect();
    assert_eq!(data_problems(&v.json), want, "{}", v.json);
    assert!(v.zh.contains("审计核验未通过"), "{}", v.zh);
    assert!(v.en.contains("audit check failed"), "{}", v.en);
    for (kind, table, key) in expected {
        let (zh_phrase, en_phrase) = phrase(kind);
        let (zh_name, en_name) = if *kind == "seals_rewritten" {
            (format!("表 {table} 的行封存"), format!("table {table}: "))
        } else {
            (
                format!("表 {table} 的行 {key} "),
                format!("table {table}, row {key}: "),
            )
        };
        assert!(
            v.zh.lines()
                .any(|l| l.contains(&zh_name) && l.contains(zh_phrase)),
            "no Chinese line names {kind} {table} {key}:\n{}",
            v.zh
        );
        assert!(
            v.en.lines()
                .any(|l| l.contains(&en_name) && l.contains(en_phrase)),
            "no English line names {kind} {table} {key}:\n{}",
            v.en
        );
    }
}

/// The key `seal.rs` names a score row by.
fn score_key(c: &Connection, rowid: i64) -> String {
    c.query_row(
        "SELECT dossier_code || '/' || expert_id || '/' || criterion || '#' || assignment_id FROM score WHERE rowid = ?1",
        [rowid],
        |r| r.get(0),
    )
    .unwrap()
}

/// A submitted score row: (rowid, key, points).
fn a_submitted_score(c: &Connection) -> (i64, String, f64) {
    let (rowid, points): (i64, f64) = c
        .query_row(
            "SELECT s.rowid, s.points FROM score s JOIN sheet h ON h.assignment_id = s.assignment_id
             WHERE h.submitted_at IS NOT NULL ORDER BY s.dossier_code, s.expert_id, s.criterion LIMIT 1 OFFSET 100",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (rowid, score_key(c, rowid), points)
}

#[test]
fn an_untouched_round_verifies_intact_and_takes_its_head() {
    let r = demo_round();
    let db = &r.db;
    let v = verify(db, None);
    assert_eq!(v.code, 0, "{}", v.en);
    assert_eq!(v.json["intact"], true);
    assert!(v.json["problems"].as_array().unwrap().is_empty());
    assert!(v.json["data_problems"].as_array().unwrap().is_empty());
    assert!(v.json["rows"].as_u64().unwrap() > 10_000, "{}", v.json);
    assert!(v.zh.contains("审计日志完整"), "{}", v.zh);
    assert!(v.en.contains("audit log intact"), "{}", v.en);

    let (code, head, _) = run(db, "ministry", "en", &["audit", "head"]);
    assert_eq!(code, 0);
    let head = head.trim().to_string();
    assert_eq!(v.json["head"], head.as_str());
    let v = verify(db, Some(&head));
    assert_eq!(v.code, 0, "{}", v.en);
    assert!(v.en.contains("the head given is in the log"), "{}", v.en);
    assert!(v.zh.contains("所给审计头仍在日志中"), "{}", v.zh);

    // The right entry with another hash: the log was rewritten.
    let (seq, hash) = head.split_once(':').unwrap();
    let other = format!("{seq}:{}", "0".repeat(64));
    assert_ne!(hash, "0".repeat(64));
    let v = verify(db, Some(&other));
    assert_eq!(v.code, 1);
    assert_eq!(chain_kinds(&v.json), ["head_mismatch"]);
    assert!(v.en.contains(&format!("names entry {seq}")), "{}", v.en);
    assert!(v.zh.contains(&format!("指向第{seq}条")), "{}", v.zh);

    // A head that is not SEQ:HASH is a usage error.
    for bad in [
        "",
        "12",
        "abc",
        "12:xyz",
        &format!("0:{hash}"),
        &format!("-3:{hash}"),
        &format!("{seq}:{}", &hash[1..]),
        &format!("{seq}:{hash}0"),
    ] {
        let arg = format!("--head={bad}");
        let (code, _, err) = run(db, "ministry", "en", &["audit", "verify", &arg]);
        assert_eq!(code, 2, "--head {bad:?}: {err}");
        assert!(err.contains("SEQ:HASH"), "--head {bad:?}: {err}");
        let (code, _, err) = run(db, "ministry", "zh", &["audit", "verify", &arg]);
        assert_eq!(code, 2, "--head {bad:?}: {err}");
        assert!(err.contains("序号:哈希"), "--head {bad:?}: {err}");
    }
}

#[test]
fn a_changed_score_is_named() {
    let r = demo_round();
    let c = outside(&r.db);
    let (rowid, key, points) = a_submitted_score(&c);
    let new = if points >= 1.0 {
        points - 1.0
    } else {
        points + 1.0
    };
    c.execute(
        "UPDATE score SET points = ?1 WHERE rowid = ?2",
        params![new, rowid],
    )
    .unwrap();
    drop(c);
    assert_names(&verify(&r.db, None), &[("changed", "score", &key)]);
}

#[test]
fn an_expert_made_ministry_is_named_and_never_acts_as_ministry() {
    let r = demo_round();
    let db = &r.db;
    let c = outside(db);
    c.execute(
        "UPDATE account SET role = 'ministry', expert_id = NULL WHERE name = 'expert07'",
        [],
    )
    .unwrap();
    drop(c);
    assert_names(&verify(db, None), &[("changed", "account", "expert07")]);
    // A row that makes sense but is not the one the program wrote does not log in.
    for lang in ["zh", "en"] {
        let (code, out, err) = run(db, "expert07", lang, &["user", "list"]);
        assert!(
            code == 1 || code == 3,
            "expert07 acted as ministry (exit {code}):\n{out}{err}"
        );
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("expert07"), "{err}");
    }

    // With its expert id left, the row does not make sense: it fails closed too.
    let c = outside(db);
    c.execute(
        "UPDATE account SET role = 'ministry', expert_id = 'E07' WHERE name = 'expert07'",
        [],
    )
    .unwrap();
    drop(c);
    for lang in ["zh", "en"] {
        let (code, out, err) = run(db, "expert07", lang, &["user", "list"]);
        assert!(code == 1 || code == 3, "exit {code}:\n{out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("expert07"), "{err}");
        // And it cannot act as the expert either.
        let (code, out, err) = run(db, "expert07", lang, &["mine"]);
        assert!(code == 1 || code == 3, "exit {code}:\n{out}{err}");
        assert!(err.contains("expert07"), "{err}");
    }
    let (_, _, err) = run(db, "expert07", "en", &["user", "list"]);
    assert!(err.contains("cannot log in"), "{err}");
    let (_, _, err) = run(db, "expert07", "zh", &["user", "list"]);
    assert!(err.contains("不能登录"), "{err}");
    // Listing the accounts names the row that does not make sense; the others still log in.
    let (code, out, err) = run(db, "ministry", "en", &["user", "list"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("expert07"), "{err}");
    let (code, _, err) = run(db, "expert08", "en", &["mine"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_copied_password_hash_is_named_and_does_not_log_in() {
    let r = demo_round();
    let db = &r.db;
    let c = outside(db);
    let (mine, theirs): (String, String) = c
        .query_row(
            "SELECT (SELECT password_hash FROM account WHERE name = 'expert07'),
                    (SELECT password_hash FROM account WHERE name = 'ministry')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_ne!(mine, theirs, "the two accounts have different hashes");
    c.execute(
        "UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE name = 'ministry')
         WHERE name = 'expert07'",
        [],
    )
    .unwrap();
    drop(c);
    assert_names(&verify(db, None), &[("changed", "account", "expert07")]);
    // The copied hash opens nothing.
    let (code, out, err) = run(db, "expert07", "en", &["mine"]);
    assert!(code == 1 || code == 3, "exit {code}:\n{out}{err}");
    assert!(err.contains("expert07"), "{err}");
}

#[test]
fn deleted_sheets_are_named_row_by_row() {
    let r = demo_round();
    let c = outside(&r.db);
    let dossier: String = one(
        &c,
        "SELECT dossier_code FROM sheet WHERE submitted_at IS NOT NULL ORDER BY dossier_code LIMIT 1 OFFSET 40",
    );
    let keys = |sql: &str| -> Vec<String> {
        let mut s = c.prepare(sql).unwrap();
        s.query_map([&dossier], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let sheets = keys(
        "SELECT dossier_code || '/' || expert_id || '#' || assignment_id FROM sheet WHERE dossier_code = ?1",
    );
    let scores = keys(
        "SELECT dossier_code || '/' || expert_id || '/' || criterion || '#' || assignment_id FROM score WHERE dossier_code = ?1",
    );
    assert!(sheets.len() >= 3 && scores.len() >= 3 * 12, "{sheets:?}");
    assert_eq!(
        c.execute("DELETE FROM score WHERE dossier_code = ?1", [&dossier])
            .unwrap(),
        scores.len()
    );
    assert_eq!(
        c.execute("DELETE FROM sheet WHERE dossier_code = ?1", [&dossier])
            .unwrap(),
        sheets.len()
    );
    drop(c);
    let mut expected: Vec<(&str, &str, &str)> = Vec::new();
    expected.extend(sheets.iter().map(|k| ("deleted", "sheet", k.as_str())));
    expected.extend(scores.iter().map(|k| ("deleted", "score", k.as_str())));
    assert_names(&verify(&r.db, None), &expected);
}

#[test]
fn a_renamed_applicant_is_named() {
    let r = demo_round();
    let c = outside(&r.db);
    let (id, key): (i64, String) = c
        .query_row(
            "SELECT id, code || '@batch' || batch_id FROM dossier ORDER BY id LIMIT 1 OFFSET 17",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    c.execute(
        "UPDATE dossier SET applicant = applicant || '（改）' WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(c);
    assert_names(&verify(&r.db, None), &[("changed", "dossier", &key)]);
}

#[test]
fn changed_raw_bytes_are_named() {
    let r = demo_round();
    let c = outside(&r.db);
    let (id, key): (i64, String) = c
        .query_row(
            "SELECT id, code || '@batch' || batch_id FROM dossier ORDER BY id LIMIT 1 OFFSET 23",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The bytes change, their recorded hash (which the row seal covers) does not.
    let bytes = |c: &Connection| -> (Vec<u8>, String) {
        c.query_row("SELECT raw, sha256 FROM dossier WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    let (raw, sha) = bytes(&c);
    assert_eq!(shifan::store::sha256_hex(&raw), sha);
    c.execute(
        "UPDATE dossier SET raw = CAST(raw || X'0A' AS BLOB) WHERE id = ?1",
        [id],
    )
    .unwrap();
    let (raw2, sha2) = bytes(&c);
    assert_eq!(raw2.len(), raw.len() + 1);
    assert_eq!(sha, sha2);
    drop(c);
    assert_names(&verify(&r.db, None), &[("raw_changed", "dossier", &key)]);
}

#[test]
fn an_inserted_score_is_named() {
    let r = demo_round();
    let c = outside(&r.db);
    // A criterion still missing on an open sheet.
    let (assignment, dossier, expert): (i64, String, String) = c
        .query_row(
            "SELECT assignment_id, dossier_code, expert_id FROM sheet h WHERE submitted_at IS NULL
             AND EXISTS (SELECT 1 FROM score s WHERE s.assignment_id = h.assignment_id)
             ORDER BY assignment_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let criterion = common::criteria()
        .rubric
        .criteria
        .iter()
        .map(|c| c.id.clone())
        .find(|id| {
            !c.query_row(
                "SELECT EXISTS (SELECT 1 FROM score WHERE assignment_id = ?1 AND criterion = ?2)",
                params![assignment, id],
                |r| r.get::<_, bool>(0),
            )
            .unwrap()
        })
        .unwrap();
    c.execute(
        "INSERT INTO score (assignment_id, dossier_code, expert_id, criterion, points, at)
         VALUES (?1, ?2, ?3, ?4, 5.0, '2026-01-01T00:00:00Z')",
        params![assignment, dossier, expert, criterion],
    )
    .unwrap();
    drop(c);
    let key = format!("{dossier}/{expert}/{criterion}#{assignment}");
    assert_names(&verify(&r.db, None), &[("inserted", "score", &key)]);
}

#[test]
fn a_log_cut_back_is_caught_without_a_head_and_against_one() {
    let r = demo_round();
    let db = &r.db;
    let (code, head, _) = run(db, "ministry", "en", &["audit", "head"]);
    assert_eq!(code, 0);
    let head = head.trim().to_string();
    let c = outside(db);
    let max: i64 = one(&c, "SELECT MAX(seq) FROM audit");
    assert_eq!(
        head,
        format!(
            "{max}:{}",
            one::<String>(
                &c,
                "SELECT hash FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)"
            )
        )
    );
    // The tables whose latest digest lies in the entries cut.
    let cut_tables: BTreeSet<String> = {
        let mut s = c
            .prepare("SELECT state FROM audit WHERE seq > ?1 AND state IS NOT NULL")
            .unwrap();
        s.query_map([max - 50], |r| r.get::<_, String>(0))
            .unwrap()
            .flat_map(|st| {
                let m: serde_json::Map<String, Value> = serde_json::from_str(&st.unwrap()).unwrap();
                m.keys().cloned().collect::<Vec<_>>()
            })
            .collect()
    };
    assert!(cut_tables.contains("score"), "{cut_tables:?}");
    assert_eq!(
        c.execute("DELETE FROM audit WHERE seq > ?1", [max - 50])
            .unwrap(),
        50
    );
    drop(c);

    // Without a head: the chain itself is fine, the data's digests are gone.
    let v = verify(db, None);
    assert!(chain_kinds(&v.json).is_empty(), "{}", v.json);
    let expected: Vec<(&str, &str, &str)> = cut_tables
        .iter()
        .map(|t| ("seals_rewritten", t.as_str(), ""))
        .collect();
    assert_names(&v, &expected);

    assert!(
        v.en.contains("the audit log records no digest for its row seals: entries were cut off"),
        "{}",
        v.en
    );
    assert!(
        v.zh.contains("没有记录的摘要：日志的记录被截去"),
        "{}",
        v.zh
    );

    // Against the head taken before the cut.
    let v = verify(db, Some(&head));
    assert_eq!(v.code, 1);
    let problems = v.json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{}", v.json);
    assert_eq!(problems[0]["kind"], "cut_below_head");
    assert_eq!(problems[0]["seq"], max);
    assert_eq!(problems[0]["last"], max - 50);
    assert!(
        v.en.contains(&format!(
            "the head recorded elsewhere is entry {max}, but the log ends at entry {}",
            max - 50
        )),
        "{}",
        v.en
    );
    assert!(
        v.zh.contains(&format!(
            "另行记录的审计头为第{max}条，但日志只到第{}条",
            max - 50
        )),
        "{}",
        v.zh
    );
}

// ---- rows and their seals rewritten together ----

/// A row's seal the way `src/store/seal.rs` computes it: SHA-256 over a tag, the table name and
/// each column's type and value.
fn row_seal(table: &str, values: &[rusqlite::types::Value]) -> String {
    use rusqlite::types::Value as V;
    let mut buf: Vec<u8> = b"shifan-row-v1\0".to_vec();
    buf.extend_from_slice(&(table.len() as u64).to_be_bytes());
    buf.extend_from_slice(table.as_bytes());
    for v in values {
        match v {
            V::Null => buf.push(0),
            V::Integer(i) => {
                buf.push(1);
                buf.extend_from_slice(&i.to_be_bytes());
            }
            V::Real(f) => {
                buf.push(2);
                buf.extend_from_slice(&f.to_bits().to_be_bytes());
            }
            V::Text(t) => {
                buf.push(3);
                buf.extend_from_slice(&(t.len() as u64).to_be_bytes());
                buf.extend_from_slice(t.as_bytes());
            }
            V::Blob(b) => {
                buf.push(4);
                buf.extend_from_slice(&(b.len() as u64).to_be_bytes());
                buf.extend_from_slice(b);
            }
        }
    }
    shifan::store::sha256_hex(&buf)
}

const SCORE_COLUMNS: &str = "assignment_id, dossier_code, expert_id, criterion, points, at";

fn score_values(c: &Connection, rowid: i64) -> Vec<rusqlite::types::Value> {
    c.query_row(
        &format!("SELECT {SCORE_COLUMNS} FROM score WHERE rowid = ?1"),
        [rowid],
        |r| (0..6).map(|i| r.get(i)).collect(),
    )
    .unwrap()
}

fn stored_seal(c: &Connection, table: &str, key: &str) -> String {
    c.query_row(
        "SELECT hash FROM row_seal WHERE tbl = ?1 AND key = ?2",
        [table, key],
        |r| r.get(0),
    )
    .unwrap()
}

/// A table's digest as `seal.rs` adds it up: the sum modulo 2^256 of one hash per sealed row.
fn table_digest(c: &Connection, table: &str) -> String {
    let mut sum = [0u8; 32];
    let mut s = c
        .prepare("SELECT key, hash FROM row_seal WHERE tbl = ?1")
        .unwrap();
    let rows = s
        .query_map([table], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .unwrap();
    for row in rows {
        let (key, hash) = row.unwrap();
        let mut buf = Vec::new();
        for f in [
            b"shifan-seal-v1".as_slice(),
            table.as_bytes(),
            key.as_bytes(),
            hash.as_bytes(),
        ] {
            buf.extend_from_slice(&(f.len() as u64).to_be_bytes());
            buf.extend_from_slice(f);
        }
        let e: [u8; 32] = sha2::Sha256::digest(&buf).into();
        let mut carry = 0u16;
        for i in (0..32).rev() {
            let v = u16::from(sum[i]) + u16::from(e[i]) + carry;
            sum[i] = (v & 0xff) as u8;
            carry = v >> 8;
        }
    }
    sum.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_row_rewritten_with_its_seal_is_caught_by_the_digest_and_a_log_rewritten_too_by_the_head() {
    let r = demo_round();
    let db = &r.db;
    let (_, head, _) = run(db, "ministry", "en", &["audit", "head"]);
    let head = head.trim().to_string();
    let c = outside(db);
    let (rowid, key, points) = a_submitted_score(&c);
    // The test computes seals exactly as the program does (else what follows proves nothing).
    assert_eq!(
        row_seal("score", &score_values(&c, rowid)),
        stored_seal(&c, "score", &key)
    );
    let recorded: String = one(
        &c,
        "SELECT json_extract(state, '$.score') FROM audit WHERE json_extract(state, '$.score') IS NOT NULL ORDER BY seq DESC LIMIT 1",
    );
    assert_eq!(table_digest(&c, "score"), recorded);

    // The row and its seal, rewritten together.
    let new = if points >= 1.0 {
        points - 1.0
    } else {
        points + 1.0
    };
    c.execute(
        "UPDATE score SET points = ?1 WHERE rowid = ?2",
        params![new, rowid],
    )
    .unwrap();
    let seal = row_seal("score", &score_values(&c, rowid));
    c.execute(
        "UPDATE row_seal SET hash = ?1 WHERE tbl = 'score' AND key = ?2",
        params![seal, key],
    )
    .unwrap();
    drop(c);
    // The row matches its (new) seal; the seals no longer add up to the digest the log holds.
    assert_names(&verify(db, None), &[("seals_rewritten", "score", "")]);

    // The digest in the log rewritten as well, and its entry re-hashed (with every later one):
    // only a head kept elsewhere can tell.
    let c = outside(db);
    let digest = table_digest(&c, "score");
    let seq: i64 = one(
        &c,
        "SELECT seq FROM audit WHERE json_extract(state, '$.score') IS NOT NULL ORDER BY seq DESC LIMIT 1",
    );
    c.execute(
        "UPDATE audit SET state = json_set(state, '$.score', ?1) WHERE seq = ?2",
        params![digest, seq],
    )
    .unwrap();
    type Entry = (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
    );
    let entries: Vec<Entry> = {
        let mut s = c
            .prepare("SELECT seq, at, actor, action, detail, prev_hash, hash, version, on_date, state FROM audit WHERE seq >= ?1 - 1 ORDER BY seq")
            .unwrap();
        s.query_map([seq], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let mut prev = entries[0].6.clone();
    for e in &entries[1..] {
        assert_eq!(e.7, 2);
        let hash = shifan::domain::audit::entry_hash_v2(&shifan::domain::audit::EntryFields {
            seq: e.0,
            at: &e.1,
            on: e.8.as_deref().unwrap_or(""),
            actor: &e.2,
            action: &e.3,
            detail: &e.4,
            state: e.9.as_deref().unwrap_or(""),
            prev_hash: &prev,
        });
        c.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            params![prev, hash, e.0],
        )
        .unwrap();
        prev = hash;
    }
    drop(c);
    let v = verify(db, None);
    assert_eq!(
        v.code, 0,
        "rewritten throughout, only a head can tell:\n{}",
        v.en
    );
    let v = verify(db, Some(&head));
    assert_eq!(v.code, 1, "{}", v.en);
    assert_eq!(chain_kinds(&v.json), ["head_mismatch"], "{}", v.json);
    assert!(data_problems(&v.json).is_empty());
    assert!(v.en.contains("the log was rewritten"), "{}", v.en);
    assert!(v.zh.contains("日志被改写过"), "{}", v.zh);
}

#[test]
fn a_seal_changed_alone_and_a_row_deleted_with_its_seal_are_caught() {
    let r = demo_round();
    let c = outside(&r.db);
    let (_, key, _) = a_submitted_score(&c);
    c.execute(
        "UPDATE row_seal SET hash = ?1 WHERE tbl = 'score' AND key = ?2",
        params!["0".repeat(64), key],
    )
    .unwrap();
    drop(c);
    assert_names(
        &verify(&r.db, None),
        &[("changed", "score", &key), ("seals_rewritten", "score", "")],
    );

    let r = demo_round();
    let c = outside(&r.db);
    let (assignment, key): (i64, String) = c
        .query_row(
            "SELECT assignment_id, dossier_code || '/' || expert_id || '#' || assignment_id FROM sheet
             WHERE submitted_at IS NOT NULL ORDER BY assignment_id LIMIT 1 OFFSET 7",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    c.execute("DELETE FROM sheet WHERE assignment_id = ?1", [assignment])
        .unwrap();
    c.execute(
        "DELETE FROM row_seal WHERE tbl = 'sheet' AND key = ?1",
        [&key],
    )
    .unwrap();
    drop(c);
    assert_names(&verify(&r.db, None), &[("seals_rewritten", "sheet", "")]);
}

// ---- rows that do not make sense fail closed ----

#[test]
fn an_expert_account_without_an_expert_id_cannot_log_in() {
    let r = demo_round();
    let c = outside(&r.db);
    c.execute(
        "UPDATE account SET expert_id = NULL WHERE name = 'expert12'",
        [],
    )
    .unwrap();
    drop(c);
    for lang in ["zh", "en"] {
        let (code, out, err) = run(&r.db, "expert12", lang, &["mine"]);
        assert_ne!(code, 0, "{out}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("expert12"), "{err}");
        assert!(
            err.contains(if lang == "en" {
                "cannot log in"
            } else {
                "不能登录"
            }),
            "{err}"
        );
    }
    assert_names(&verify(&r.db, None), &[("changed", "account", "expert12")]);
}

#[test]
fn a_malformed_roster_entry_stops_the_assignment_naming_the_expert() {
    let r = demo_round();
    let db = &r.db;
    let before: i64 = one(&outside(db), "SELECT COUNT(*) FROM assignment");
    let c = outside(db);
    c.execute(
        "UPDATE expert SET avoid_units = 'not json' WHERE id = 'E07'",
        [],
    )
    .unwrap();
    drop(c);
    for lang in ["zh", "en"] {
        let (code, out, err) = run(db, "ministry", lang, &["assign"]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(err.contains("E07") && err.contains("avoid_units"), "{err}");
        let (code, out, err) = run(db, "ministry", lang, &["experts", "list"]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(err.contains("E07") && err.contains("avoid_units"), "{err}");
    }
    let (_, _, err) = run(db, "ministry", "en", &["assign"]);
    assert!(err.contains("cannot be read"), "{err}");
    let (_, _, err) = run(db, "ministry", "zh", &["assign"]);
    assert!(err.contains("无法读取"), "{err}");
    // Nothing was assigned on the strength of "no conflicts".
    let after: i64 = one(&outside(db), "SELECT COUNT(*) FROM assignment");
    assert_eq!(before, after);
    assert_names(&verify(db, None), &[("changed", "expert", "E07")]);
}

#[test]
fn values_of_another_type_are_reported_not_fatal() {
    // Bytes stored as text: the dossier's bytes are no longer what was recorded.
    let r = demo_round();
    let c = outside(&r.db);
    let key: String = one(
        &c,
        "SELECT code || '@batch' || batch_id FROM dossier WHERE id = 5",
    );
    c.execute(
        "UPDATE dossier SET raw = CAST(raw AS TEXT) WHERE id = 5",
        [],
    )
    .unwrap();
    // A seal that is not text.
    let (_, score, _) = a_submitted_score(&c);
    c.execute(
        "UPDATE row_seal SET hash = CAST(hash || 'x' AS BLOB) WHERE tbl = 'score' AND key = ?1",
        [&score],
    )
    .unwrap();
    drop(c);
    assert_names(
        &verify(&r.db, None),
        &[
            ("raw_changed", "dossier", &key),
            ("changed", "score", &score),
            ("seals_rewritten", "score", ""),
        ],
    );

    // Audit entries holding bytes that are not UTF-8, or a version that names no encoding.
    let r = demo_round();
    let c = outside(&r.db);
    c.execute("UPDATE audit SET detail = X'FF41' WHERE seq = 6", [])
        .unwrap();
    c.execute("UPDATE audit SET version = 'x' WHERE seq = 9", [])
        .unwrap();
    c.execute("UPDATE audit SET version = 3 WHERE seq = 11", [])
        .unwrap();
    c.execute(
        "UPDATE audit SET state = CAST(state AS BLOB) WHERE seq = (SELECT MAX(seq) FROM audit)",
        [],
    )
    .unwrap();
    drop(c);
    let v = verify(&r.db, None);
    assert_eq!(v.code, 1, "{}", v.en);
    let edited: Vec<i64> = v.json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["kind"], "edited", "{p}");
            p["seq"].as_i64().unwrap()
        })
        .collect();
    // The last entry's state as a blob holds the same text: nothing to report there.
    assert_eq!(edited, [6, 9, 11], "{}", v.json);
    assert!(data_problems(&v.json).is_empty(), "{}", v.json);
    for seq in [6, 9, 11] {
        assert!(
            v.en.contains(&format!("entry {seq}: its content does not match its hash")),
            "{}",
            v.en
        );
        assert!(
            v.zh.contains(&format!("第{seq}条记录的内容与其哈希不符")),
            "{}",
            v.zh
        );
    }
}
