//! Old databases migrate: a schema-2 file (built here with the two old migrations, which never
//! change) holding a small round — a replaced batch, a swap, a recusal, sheets and scores keyed
//! by (dossier code, expert), an old-format publicity state and a v1 audit chain — opens as
//! schema 3 with identities, sheets per assignment, pair origins and end kinds, every row sealed
//! by one `schema.migrate` entry, and the program works on it. And a new file opened by many at
//! once never fails.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::thread;

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use rusqlite::{Connection, params};
use shifan::domain::audit::{GENESIS, Head, entry_hash};
use shifan::domain::phase::Phase;
use shifan::domain::publicity::{ListEntry, seal};
use shifan::store::{Store, sha256_hex};

/// Migration 1 of `src/store/schema.rs`, verbatim.
const MIGRATION_1: &str = "CREATE TABLE batch (
        id INTEGER PRIMARY KEY,
        province_key TEXT NOT NULL,
        folder TEXT NOT NULL,
        department TEXT NOT NULL,
        sent_on TEXT NOT NULL,
        copies INTEGER NOT NULL,
        submission_file TEXT NOT NULL,
        submission_encoding TEXT NOT NULL,
        submission_raw BLOB NOT NULL,
        submission_sha256 TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        warnings INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        replaced_at TEXT,
        replaced_by INTEGER REFERENCES batch(id)
    );
    CREATE UNIQUE INDEX batch_current ON batch(province_key) WHERE replaced_at IS NULL;
    CREATE TABLE dossier (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES batch(id),
        code TEXT NOT NULL,
        file TEXT NOT NULL,
        province_key TEXT NOT NULL,
        type_id TEXT NOT NULL,
        applicant TEXT NOT NULL,
        applicant_norm TEXT NOT NULL,
        credit_code TEXT,
        provincial_rank INTEGER,
        encoding TEXT NOT NULL,
        raw BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        UNIQUE (batch_id, code)
    );
    CREATE INDEX dossier_batch ON dossier(batch_id);";

/// Migration 2 of `src/store/schema.rs`, verbatim.
const MIGRATION_2: &str = "CREATE TABLE account (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('ministry', 'expert', 'official', 'clerk')),
        expert_id TEXT,
        province_key TEXT,
        password_hash TEXT NOT NULL,
        demo INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE expert (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        affiliation TEXT NOT NULL,
        province_key TEXT,
        expertise TEXT NOT NULL,
        avoid_units TEXT NOT NULL,
        avoid_provinces TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE assignment (
        id INTEGER PRIMARY KEY,
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL REFERENCES expert(id),
        assigned_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        ended_at TEXT,
        ended_reason TEXT
    );
    CREATE UNIQUE INDEX assignment_current ON assignment(dossier_code, expert_id) WHERE ended_at IS NULL;
    CREATE TABLE recusal (
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (dossier_code, expert_id)
    );
    CREATE TABLE sheet (
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        opinion TEXT NOT NULL DEFAULT '',
        recommend INTEGER,
        submitted_at TEXT,
        PRIMARY KEY (dossier_code, expert_id)
    );
    CREATE TABLE score (
        dossier_code TEXT NOT NULL,
        expert_id TEXT NOT NULL,
        criterion TEXT NOT NULL,
        points REAL NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (dossier_code, expert_id, criterion)
    );
    CREATE TABLE publicity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );";

const PASSWORD: &str = "old-round-pw";
const REPLACED_AT: &str = "2026-06-20T10:00:00Z";

const ZJ_01: &str = "杭州市余杭区农业农村局";
const ZJ_02: &str = "浙江省农业科学院数字农业研究所";
const ZJ_03: &str = "安吉县白茶产业协会";

/// Points per sheet: (dossier, expert) -> the points of the rubric's criteria, in order, entered
/// (a sheet set aside or still open has only the first few).
fn points_of(criteria: &shifan::domain::Criteria, k: usize, entered: usize) -> Vec<(String, f64)> {
    criteria
        .rubric
        .criteria
        .iter()
        .enumerate()
        .take(entered)
        .map(|(i, c)| (c.id.clone(), c.max - c.step * ((i + k) % 3) as f64))
        .collect()
}

/// The old round's sheets: (dossier, expert, points entered, submitted).
fn old_sheets() -> Vec<(&'static str, &'static str, usize, bool)> {
    vec![
        ("330000-01", "E01", 12, true),
        ("330000-01", "E02", 5, false), // set aside by the swap
        ("330000-01", "E03", 12, true),
        ("330000-02", "E01", 12, true),
        ("330000-02", "E02", 2, false), // set aside by the recusal
        ("330000-02", "E03", 7, false), // still open
    ]
}

/// A schema-2 database holding the round, as the old program left it.
fn old_round(path: &Path) {
    let criteria = common::criteria();
    let c = Connection::open(path).unwrap();
    c.execute_batch(MIGRATION_1).unwrap();
    c.execute_batch(MIGRATION_2).unwrap();
    c.pragma_update(None, "user_version", 2).unwrap();

    // Zhejiang's first batch (three dossiers), replaced by a second one (two).
    for (id, imported, replaced_at) in [
        (1, "2026-06-12T09:00:00Z", Some(REPLACED_AT)),
        (2, REPLACED_AT, None),
    ] {
        let submission =
            format!("department = \"浙江省农业农村厅\"\nsent_on = 2026-06-1{id}\ncopies = 1\n");
        c.execute(
            "INSERT INTO batch (id, province_key, folder, department, sent_on, copies, submission_file,
                submission_encoding, submission_raw, submission_sha256, content_sha256, warnings,
                imported_at, replaced_at)
             VALUES (?1, '330000', 'zhejiang', '浙江省农业农村厅', ?2, 1, 'submission.toml', 'utf-8', ?3, ?4, ?5, 0, ?6, ?7)",
            params![
                id,
                format!("2026-06-1{id}"),
                submission.as_bytes(),
                sha256_hex(submission.as_bytes()),
                sha256_hex(format!("batch {id}").as_bytes()),
                imported,
                replaced_at
            ],
        )
        .unwrap();
        if id == 2 {
            c.execute("UPDATE batch SET replaced_by = 2 WHERE id = 1", [])
                .unwrap();
        }
    }
    let dossiers = [
        (1, "330000-01", ZJ_01, "information_service", 1),
        (1, "330000-02", ZJ_02, "technology_application", 2),
        (1, "330000-03", ZJ_03, "other", 3),
        (2, "330000-01", ZJ_01, "information_service", 1),
        (2, "330000-02", ZJ_02, "technology_application", 2),
    ];
    for (i, (batch, code, applicant, type_id, rank)) in dossiers.iter().enumerate() {
        let raw = format!(
            "applicant = \"{applicant}\"\ntype = \"{type_id}\"\nprovincial_rank = {rank}\n# version of batch {batch}\n"
        );
        c.execute(
            "INSERT INTO dossier (id, batch_id, code, file, province_key, type_id, applicant, applicant_norm,
                credit_code, provincial_rank, encoding, raw, sha256)
             VALUES (?1, ?2, ?3, ?4, '330000', ?5, ?6, ?6, NULL, ?7, 'utf-8', ?8, ?9)",
            params![
                i as i64 + 1,
                batch,
                code,
                format!("{rank:02}.toml"),
                type_id,
                applicant,
                rank,
                raw.as_bytes(),
                sha256_hex(raw.as_bytes())
            ],
        )
        .unwrap();
    }

    for (id, name, affiliation, province) in [
        ("E01", "唐强", "中国农业科学院农业信息研究所", "110000"),
        ("E02", "王敏", "上海市农业科学院", "310000"),
        ("E03", "李华", "南京农业大学信息管理学院", "320000"),
    ] {
        c.execute(
            "INSERT INTO expert (id, name, affiliation, province_key, expertise, avoid_units, avoid_provinces, active)
             VALUES (?1, ?2, ?3, ?4, '[\"information_service\",\"technology_application\"]', '[]', '[]', 1)",
            params![id, name, affiliation, province],
        )
        .unwrap();
    }
    let hash = Argon2::default()
        .hash_password(PASSWORD.as_bytes())
        .unwrap()
        .to_string();
    for (name, role, expert) in [
        ("ministry", "ministry", None),
        ("expert01", "expert", Some("E01")),
        ("expert02", "expert", Some("E02")),
        ("expert03", "expert", Some("E03")),
    ] {
        c.execute(
            "INSERT INTO account (name, role, expert_id, province_key, password_hash, demo, created_at)
             VALUES (?1, ?2, ?3, NULL, ?4, 0, '2026-06-01T08:00:00Z')",
            params![name, role, expert, hash],
        )
        .unwrap();
    }

    // Pairs: E02 swapped out of 330000-01 for E03; E02 recused from 330000-02, E03 replaced them.
    let t = "2026-06-21T09:00:00Z";
    let ended = "2026-06-25T15:00:00Z";
    for (id, dossier, expert, reason, ended_at, ended_reason) in [
        (1, "330000-01", "E01", "plan (seed 1)", None, None),
        (
            2,
            "330000-01",
            "E02",
            "plan (seed 1)",
            Some(ended),
            Some("swapped for E03: 工作调动"),
        ),
        (
            3,
            "330000-01",
            "E03",
            "swapped in for E02: 工作调动",
            None,
            None,
        ),
        (4, "330000-02", "E01", "plan (seed 1)", None, None),
        (
            5,
            "330000-02",
            "E02",
            "plan (seed 1)",
            Some(ended),
            Some("recused: 曾参与该单位项目"),
        ),
        (6, "330000-02", "E03", "replaces E02 (recused)", None, None),
    ] {
        c.execute(
            "INSERT INTO assignment (id, dossier_code, expert_id, assigned_at, reason, ended_at, ended_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, dossier, expert, t, reason, ended_at, ended_reason],
        )
        .unwrap();
    }
    c.execute(
        "INSERT INTO recusal (dossier_code, expert_id, reason, at) VALUES ('330000-02', 'E02', '曾参与该单位项目', ?1)",
        [ended],
    )
    .unwrap();
    for (k, (dossier, expert, entered, submitted)) in old_sheets().into_iter().enumerate() {
        c.execute(
            "INSERT INTO sheet (dossier_code, expert_id, opinion, recommend, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                dossier,
                expert,
                if submitted { "基础较好，建议认定。" } else { "" },
                submitted.then_some(1),
                submitted.then_some("2026-06-28T11:00:00Z")
            ],
        )
        .unwrap();
        for (criterion, p) in points_of(&criteria, k, entered) {
            c.execute(
                "INSERT INTO score (dossier_code, expert_id, criterion, points, at) VALUES (?1, ?2, ?3, ?4, '2026-06-27T10:00:00Z')",
                params![dossier, expert, criterion, p],
            )
            .unwrap();
        }
    }

    // The publicity as the old code stored it: a list proposed and sealed, not yet published.
    let entry = |code: &str, applicant: &str, type_id: &str| ListEntry {
        code: code.into(),
        province_key: "330000".into(),
        applicant: applicant.into(),
        type_id: type_id.into(),
    };
    let list = [entry("330000-01", ZJ_01, "information_service")];
    let reserve = [entry("330000-02", ZJ_02, "technology_application")];
    let state = serde_json::json!({
        "state": {"phase": "proposed", "list_hash": seal(&list), "proposed_at": "2026-07-31"},
        "list": list.iter().map(|e| serde_json::json!({
            "code": e.code, "province_key": e.province_key, "applicant": e.applicant, "type_id": e.type_id
        })).collect::<Vec<_>>(),
        "reserve": reserve.iter().map(|e| serde_json::json!({
            "code": e.code, "province_key": e.province_key, "applicant": e.applicant, "type_id": e.type_id
        })).collect::<Vec<_>>(),
        "objections": [],
        "changes": []
    });
    c.execute(
        "INSERT INTO publicity (id, state) VALUES (1, ?1)",
        [state.to_string()],
    )
    .unwrap();
    c.execute("INSERT INTO meta (key, value) VALUES ('demo', '0')", [])
        .unwrap();

    // The old audit chain (v1 hashes).
    let mut prev = GENESIS.to_string();
    for (seq, (at, actor, action, detail)) in [
        (
            "2026-06-01T08:00:00Z",
            "(first account)",
            "account.add",
            "ministry as ministry",
        ),
        (
            "2026-06-12T09:00:00Z",
            "ministry",
            "import",
            "330000: batch 1, 3 dossiers",
        ),
        (
            "2026-06-20T10:00:00Z",
            "ministry",
            "import.replace",
            "330000: batch 2 replaces batch 1, 2 dossiers",
        ),
        (
            "2026-06-21T09:00:00Z",
            "ministry",
            "assign",
            "seed 1, 3 per dossier",
        ),
        (
            "2026-06-25T15:00:00Z",
            "ministry",
            "assign.swap",
            "330000-01: E02 -> E03: 工作调动",
        ),
        (
            "2026-06-25T15:00:00Z",
            "expert02",
            "recuse",
            "330000-02: 曾参与该单位项目",
        ),
        (
            "2026-07-31T16:00:00Z",
            "ministry",
            "publicity.propose",
            "list sealed",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let seq = seq as i64 + 1;
        let hash = entry_hash(seq, at, actor, action, detail, &prev);
        c.execute(
            "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![seq, at, actor, action, detail, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
}

fn rows<T: rusqlite::types::FromSql>(c: &Connection, sql: &str) -> Vec<T> {
    let mut s = c.prepare(sql).unwrap();
    s.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_schema_2_round_migrates_to_schema_3_sealed_and_working() {
    let criteria = common::criteria();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_round(&path);
    let old_head = {
        let c = Connection::open(&path).unwrap();
        let (seq, hash): (i64, String) = c
            .query_row(
                "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        format!("{seq}:{hash}")
    };

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    let c = store.connection();

    // Identities: the code's number, the batch that first brought it; the code the second
    // batch no longer holds is withdrawn as of the replacement.
    type Identity = (String, String, i64, String, i64, Option<String>);
    let identities: Vec<Identity> = {
        let mut s = c
            .prepare("SELECT code, province_key, number, applicant_norm, first_batch, withdrawn_at FROM dossier_identity ORDER BY code")
            .unwrap();
        s.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let id = |code: &str, n: i64, norm: &str, withdrawn: Option<&str>| -> Identity {
        (
            code.into(),
            "330000".into(),
            n,
            norm.into(),
            1,
            withdrawn.map(String::from),
        )
    };
    assert_eq!(
        identities,
        [
            id("330000-01", 1, ZJ_01, None),
            id("330000-02", 2, ZJ_02, None),
            id("330000-03", 3, ZJ_03, Some(REPLACED_AT)),
        ]
    );
    let dossiers: Vec<String> = rows(c, "SELECT code || '@' || batch_id FROM dossier ORDER BY id");
    assert_eq!(
        dossiers,
        [
            "330000-01@1",
            "330000-02@1",
            "330000-03@1",
            "330000-01@2",
            "330000-02@2"
        ]
    );

    // Where each pair came from and why it ended.
    let pairs: Vec<String> = rows(
        c,
        "SELECT id || ' ' || dossier_code || ' ' || expert_id || ' ' || origin || ' ' || coalesce(ended_kind, '-') FROM assignment ORDER BY id",
    );
    assert_eq!(
        pairs,
        [
            "1 330000-01 E01 plan -",
            "2 330000-01 E02 plan swap",
            "3 330000-01 E03 swap -",
            "4 330000-02 E01 plan -",
            "5 330000-02 E02 plan recusal",
            "6 330000-02 E03 replacement -",
        ]
    );

    // Every sheet and score on the assignment of its pair, nothing lost.
    let sheets: Vec<String> = rows(
        c,
        "SELECT dossier_code || ' ' || expert_id || ' #' || assignment_id || ' ' || (SELECT COUNT(*) FROM score s WHERE s.assignment_id = h.assignment_id)
         || ' ' || (submitted_at IS NOT NULL) FROM sheet h ORDER BY dossier_code, expert_id",
    );
    let expected: Vec<String> = old_sheets()
        .iter()
        .enumerate()
        .map(|(i, (d, e, n, s))| format!("{d} {e} #{} {n} {}", i + 1, i32::from(*s)))
        .collect();
    assert_eq!(sheets, expected);
    let misattached: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM score s JOIN assignment a ON a.id = s.assignment_id
             WHERE a.dossier_code != s.dossier_code OR a.expert_id != s.expert_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(misattached, 0);
    let scores: i64 = c
        .query_row("SELECT COUNT(*) FROM score", [], |r| r.get(0))
        .unwrap();
    assert_eq!(scores, old_sheets().iter().map(|s| s.2 as i64).sum::<i64>());
    let violations: i64 = c
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
    let old_tables: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE name LIKE '%_v2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old_tables, 0);

    // One audit entry seals the round as found; the old chain and the data verify.
    let actions: Vec<String> = rows(
        c,
        "SELECT action || ' v' || version FROM audit ORDER BY seq",
    );
    assert_eq!(actions.len(), 8);
    assert!(
        actions[..7].iter().all(|a| a.ends_with(" v1")),
        "{actions:?}"
    );
    assert_eq!(actions[7], "schema.migrate v2");
    let sealed: i64 = c
        .query_row("SELECT COUNT(*) FROM row_seal", [], |r| r.get(0))
        .unwrap();
    let ministry = store.login("ministry", PASSWORD).unwrap();
    let report = store.verify_audit(&ministry, None).unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.entries, 8);
    assert_eq!(report.rows as i64, sealed);
    // 2 batches, 3 identities, 5 dossiers, 3 experts, 4 accounts, 6 pairs, 1 recusal, 6 sheets,
    // the scores, 1 publicity.
    assert_eq!(sealed, 2 + 3 + 5 + 3 + 4 + 6 + 1 + 6 + scores + 1);
    let head: Head = old_head.parse().unwrap();
    assert!(store.verify_audit(&ministry, Some(&head)).unwrap().intact());

    // The program works on it: the old publicity loads, the ranking counts the submitted sheets
    // of current pairs only (not the ones set aside), the status sees the withdrawn dossier.
    let status = store.status(Some(&ministry)).unwrap();
    assert_eq!(status.schema_version, 7);
    assert_eq!(status.phase, Phase::Sealed);
    assert_eq!(status.dossiers, 2);
    assert_eq!(status.withdrawn, 1);
    assert_eq!(status.replaced_batches, 1);
    let p = store.publicity(&ministry).unwrap();
    assert!(p.seal_intact());
    let ranked = store.ranking(&criteria, &ministry).unwrap();
    let by_code: BTreeMap<&str, (usize, f64)> = ranked
        .ranking
        .rows
        .iter()
        .map(|r| (r.code.as_str(), (r.sheets, r.trimmed_mean)))
        .collect();
    let total = |k: usize| {
        points_of(&criteria, k, 12)
            .iter()
            .map(|(_, p)| p)
            .sum::<f64>()
    };
    assert_eq!(
        by_code.keys().copied().collect::<Vec<_>>(),
        ["330000-01", "330000-02"]
    );
    assert_eq!(by_code["330000-01"].0, 2);
    assert!((by_code["330000-01"].1 - (total(0) + total(2)) / 2.0).abs() < 1e-9);
    assert_eq!(by_code["330000-02"].0, 1);
    assert!((by_code["330000-02"].1 - total(3)).abs() < 1e-9);

    // Steps run on it: withdraw the old sealed list, the expert still open scores on the pair
    // that replaced the recused one; the log and the data still verify.
    store
        .withdraw(&ministry, "schema upgrade test", None)
        .unwrap();
    assert_eq!(store.round_phase().unwrap(), Phase::Review);
    let e03 = store.login("expert03", PASSWORD).unwrap();
    let last = &criteria.rubric.criteria[11];
    store
        .set_score(&criteria, &e03, "330000-02", &last.id, last.max)
        .unwrap();
    let on_pair: i64 = store
        .connection()
        .query_row(
            "SELECT assignment_id FROM score WHERE dossier_code = '330000-02' AND expert_id = 'E03' AND criterion = ?1",
            [&last.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(on_pair, 6);
    let report = store.verify_audit(&ministry, Some(&head)).unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.entries, 10);
    drop(store);

    // Opening again migrates nothing more.
    let store = Store::open(&path).unwrap();
    let n: i64 = store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'schema.migrate'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}

/// Open `path` from `n` threads at once, each then reading the status: the failures.
fn open_at_once(path: &Path, n: usize) -> Vec<String> {
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let path = path.to_path_buf();
            thread::spawn(move || -> Result<i64, String> {
                barrier.wait();
                let store = Store::open(&path).map_err(|e| e.to_string())?;
                let status = store.status(None).map_err(|e| e.to_string());
                match status {
                    Ok(s) => Ok(s.schema_version),
                    // An old round has accounts: log in first.
                    Err(_) => {
                        let u = store
                            .login("ministry", PASSWORD)
                            .map_err(|e| e.to_string())?;
                        store
                            .status(Some(&u))
                            .map(|s| s.schema_version)
                            .map_err(|e| e.to_string())
                    }
                }
            })
        })
        .collect();
    handles
        .into_iter()
        .filter_map(|h| match h.join().unwrap() {
            Ok(7) => None,
            Ok(v) => Some(format!("schema {v}")),
            Err(e) => Some(e),
        })
        .collect()
}

/// Province folders of the samples without planted defects: each imports on its own, in any
/// order (河北 is not one: its dossier-07 repeats a 北京 applicant, refused once 北京 is stored).
const CLEAN_PROVINCES: [&str; 10] = [
    "110000-beijing",
    "120000-tianjin",
    "340000-anhui",
    "140000-shanxi",
    "150000-neimenggu",
    "210000-liaoning",
    "220000-jilin",
    "310000-shanghai",
    "320000-jiangsu",
    "330000-zhejiang",
];

fn shifan(path: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_shifan"));
    c.arg("--criteria")
        .arg(common::root().join("criteria"))
        .arg("--db")
        .arg(path)
        .args(["--lang", "en"])
        .env_remove("SHIFAN_USER")
        .env_remove("SHIFAN_DB")
        .env_remove("SHIFAN_CRITERIA");
    c
}

/// Ten processes of the real binary, started together, each importing one province into the
/// new file `path` (the first to open it creates the schema); the failures (exit code, stderr).
fn processes_at_once(path: &Path) -> Vec<String> {
    let samples = common::root().join("sample-applications");
    let children: Vec<_> = CLEAN_PROVINCES
        .iter()
        .map(|p| {
            shifan(path)
                .arg("import")
                .arg(samples.join(p))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the binary starts")
        })
        .collect();
    children
        .into_iter()
        .filter_map(|c| {
            let out = c.wait_with_output().expect("the binary ends");
            (!out.status.success()).then(|| {
                format!(
                    "{}: {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                )
            })
        })
        .collect()
}

/// The case of issue 11: 10 processes opening a new database at once, 10 times over (it was 62
/// failures of 100, "table … already exists"): 10 imports of 10 provinces started together on a
/// new file; and 10 threads of one process opening another new file.
#[test]
fn a_new_file_opened_by_ten_at_once_never_fails() {
    let rounds = 10;
    let mut failures = Vec::new();
    for i in 0..rounds {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("fresh{i}.db"));
        failures.extend(processes_at_once(&path));
        let threads = dir.path().join(format!("threads{i}.db"));
        failures.extend(open_at_once(&threads, 10));
        // Both files came out whole.
        for path in [&path, &threads] {
            let store = Store::open(path).unwrap();
            assert_eq!(store.schema_version().unwrap(), 7);
            assert_eq!(store.journal_mode().unwrap(), "wal");
        }
        let store = Store::open(&threads).unwrap();
        let entries: i64 = store
            .connection()
            .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
            .unwrap();
        assert_eq!(entries, 0, "a new file has nothing to seal");
        // Every process's batch is stored, and the chain and the data verify.
        let store = Store::open(&path).unwrap();
        let batches: i64 = store
            .connection()
            .query_row(
                "SELECT COUNT(*) FROM batch WHERE replaced_at IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(batches, CLEAN_PROVINCES.len() as i64, "round {i}");
        let ministry = shifan::domain::access::User {
            name: "ministry".into(),
            role: shifan::domain::access::Role::Ministry,
        };
        let report = store.verify_audit(&ministry, None).unwrap();
        assert!(report.intact(), "round {i}: {report:?}");
    }
    eprintln!(
        "fresh file opened by 10 processes at once, {rounds} times, and by 10 threads at once, {rounds} times: {} failures of {}",
        failures.len(),
        rounds * 20
    );
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn an_old_file_opened_by_ten_at_once_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_round(&path);
    let failures = open_at_once(&path, 10);
    eprintln!(
        "schema-2 file opened by 10 threads at once: {} failures of 10",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:?}");
    let store = Store::open(&path).unwrap();
    let n: i64 = store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'schema.migrate'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    let ministry = store.login("ministry", PASSWORD).unwrap();
    assert!(store.verify_audit(&ministry, None).unwrap().intact());
}

#[test]
fn a_schema_3_round_migrates_to_schema_4_and_records_refusals() {
    let c = common::criteria();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .add_account(
                None,
                "ministry",
                &shifan::domain::access::Role::Ministry,
                "pw",
                false,
            )
            .unwrap();
        let m = store.login("ministry", "pw").unwrap();
        let zj = common::validate(&c, &common::fixture("valid/zhejiang"));
        store.import(&c, &zj, false, Some(&m)).unwrap();
    }
    // Back to schema 3 as shipped: no refusal table.
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "DROP TABLE refusal; DROP TABLE sheet_total; DROP INDEX dossier_ranking;
             DROP TABLE panel_vote; DROP TABLE package;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    let m = store.login("ministry", "pw").unwrap();
    assert!(store.verify_audit(&m, None).unwrap().intact());
    assert_eq!(store.status(Some(&m)).unwrap().dossiers, 2);
    // The same batch again from another reporting unit is refused, and the refusal kept.
    let other = dir.path().join("other");
    let js = common::edited_batch(&other, "submission.toml", |t| {
        t.replace("浙江省", "江苏省")
            .replace("province = \"330000\"", "province = \"320000\"")
    });
    for f in ["anji.toml", "deqing.toml"] {
        let p = js.join(f);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            t.replace("province = \"浙江\"", "province = \"江苏省\"")
                .replace("浙江省", "江苏省")
                .replace("province = \"330000\"", "province = \"320000\""),
        )
        .unwrap();
    }
    let r = common::validate(&c, &js);
    store.import(&c, &r, false, Some(&m)).unwrap();
    let refusals = store.province_refusals(&m, "320000").unwrap();
    assert_eq!(refusals.len(), 1, "{:#?}", r.findings);
    assert!(store.verify_audit(&m, None).unwrap().intact());
}

/// Every sheet's kept total and group subtotals against the sum of its score rows.
fn totals_match_scores(c: &Connection, criteria: &shifan::domain::Criteria) -> usize {
    let group_of: BTreeMap<&str, &str> = criteria
        .rubric
        .criteria
        .iter()
        .map(|k| (k.id.as_str(), k.group.as_str()))
        .collect();
    let mut sums: BTreeMap<i64, (f64, BTreeMap<String, f64>)> = BTreeMap::new();
    let mut stmt = c
        .prepare("SELECT h.assignment_id, s.criterion, s.points FROM sheet h LEFT JOIN score s ON s.assignment_id = h.assignment_id")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let id: i64 = r.get(0).unwrap();
        let e = sums.entry(id).or_default();
        if let Some(crit) = r.get::<_, Option<String>>(1).unwrap() {
            let p: f64 = r.get(2).unwrap();
            e.0 += p;
            *e.1.entry(group_of[crit.as_str()].to_string()).or_default() += p;
        }
    }
    let kept: Vec<(i64, f64, String)> = {
        let mut stmt = c
            .prepare("SELECT assignment_id, total, groups FROM sheet_total ORDER BY assignment_id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(kept.len(), sums.len(), "one kept total per sheet");
    for (id, total, groups) in &kept {
        let (t, g) = &sums[id];
        assert_eq!(total, t, "assignment {id}");
        let text: String = g.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        assert_eq!(groups, &text, "assignment {id}");
    }
    kept.len()
}

#[test]
fn a_schema_4_round_migrates_to_schema_5_with_totals_from_its_scores() {
    let c = common::criteria();
    let files =
        shifan::input::criteria::read_criteria_files(&common::root().join("criteria")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let ranking_before = {
        let mut store = Store::open(&path).unwrap();
        shifan::demo::build_pinning(
            &c,
            &files,
            &mut store,
            &common::root().join("sample-applications"),
            1,
        )
        .unwrap();
        let m = store
            .login("ministry", shifan::demo::DEMO_PASSWORD)
            .unwrap();
        store.ranking_from_scores(&c, &m).unwrap().ranking
    };
    // Back to schema 4 as shipped: no kept totals, no covering index.
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "DROP TABLE sheet_total; DROP INDEX dossier_ranking; DROP TABLE panel_vote; DROP TABLE package;
             DELETE FROM row_seal WHERE tbl = 'sheet_total';
             DELETE FROM seal_digest WHERE tbl = 'sheet_total';
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    let m = store
        .login("ministry", shifan::demo::DEMO_PASSWORD)
        .unwrap();
    let report = store.verify_audit(&m, None).unwrap();
    assert!(report.intact(), "{report:#?}");
    let conn = Connection::open(&path).unwrap();
    let n = totals_match_scores(&conn, &c);
    let sheets: usize = conn
        .query_row("SELECT COUNT(*) FROM sheet", [], |r| r.get::<_, i64>(0))
        .unwrap() as usize;
    assert!(
        n > 1000 && n == sheets,
        "{n} kept totals for {sheets} sheets"
    );
    let last: String = conn
        .query_row(
            "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(last.starts_with("schema 4 -> 5"), "{last}");
    let after = store.ranking(&c, &m).unwrap().ranking;
    assert_eq!(after.inputs_hash, ranking_before.inputs_hash);
    assert_eq!(after.rows, ranking_before.rows);
}
