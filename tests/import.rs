//! Import stores whole batches in a real SQLite file, never half of one.

mod common;

use common::*;
use shifan::store::{BatchOutcome, Store, sha256_hex};

#[test]
fn import_stores_batch_with_raw_bytes_in_wal_mode() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let r = validate(&c, &fixture("valid/zhejiang"));
    let mut store = Store::open(&db).unwrap();
    let res = store.import(&c, &r, false, None).unwrap();
    assert!(
        matches!(res[0].outcome, BatchOutcome::Imported { dossiers: 2, .. }),
        "{res:?}"
    );
    assert_eq!(store.journal_mode().unwrap(), "wal");
    assert_eq!(store.schema_version().unwrap(), 7);
    drop(store);

    // Reopen the file: what is stored is byte for byte what was sent.
    let store = Store::open(&db).unwrap();
    let status = store.status(None).unwrap();
    assert_eq!(status.dossiers, 2);
    assert_eq!(status.batches[0].province, "330000");
    let sent = std::fs::read(fixture("valid/zhejiang/anji.toml")).unwrap();
    let (raw, sha) = store.dossier_raw(None, "330000-01").unwrap().unwrap();
    assert_eq!(raw, sent);
    assert_eq!(sha, sha256_hex(&sent));
}

#[test]
fn a_batch_with_an_error_is_not_stored_at_all() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "anji.toml", |t| {
        t.replace("hotline", "x")
            .replace("staff_count = 9", "staff_count = -1")
    });
    let r = validate(&c, &dir);
    let mut store = Store::open(&tmp.path().join("t.db")).unwrap();
    let res = store.import(&c, &r, false, None).unwrap();
    assert!(matches!(res[0].outcome, BatchOutcome::Rejected { .. }));
    let n: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM dossier", [], |r| r.get(0))
        .unwrap();
    let b: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM batch", [], |r| r.get(0))
        .unwrap();
    assert_eq!((n, b), (0, 0));
}

#[test]
fn replace_needs_the_flag_and_keeps_history() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("t.db")).unwrap();
    let first = validate(&c, &fixture("valid/zhejiang"));
    store.import(&c, &first, false, None).unwrap();
    // Same bytes again: unchanged.
    let again = store.import(&c, &first, false, None).unwrap();
    assert!(matches!(again[0].outcome, BatchOutcome::Unchanged { .. }));
    // Changed content: refused without --replace.
    let dir = edited_batch(tmp.path(), "anji.toml", |t| {
        t.replace("staff_count = 9", "staff_count = 11")
    });
    let second = validate(&c, &dir);
    let res = store.import(&c, &second, false, None).unwrap();
    assert!(matches!(
        res[0].outcome,
        BatchOutcome::AlreadyImported { .. }
    ));
    let res = store.import(&c, &second, true, None).unwrap();
    let BatchOutcome::Replaced {
        replaced, batch_id, ..
    } = res[0].outcome
    else {
        panic!("{res:?}")
    };
    let status = store.status(None).unwrap();
    assert_eq!(status.batches.len(), 1);
    assert_eq!(status.batches[0].batch_id, batch_id);
    assert_eq!(status.replaced_batches, 1);
    let old: i64 = store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM dossier WHERE batch_id = ?1",
            [replaced],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old, 2, "the replaced batch's dossiers stay in history");
}

/// A copy of the Zhejiang fixture sent by `province`, its Deqing dossier renamed `deqing`.
fn sent_by(root: &std::path::Path, province: &str, deqing: &str) -> std::path::PathBuf {
    let dir = edited_batch(root, "deqing.toml", |t| {
        t.replace("province = \"浙江\"", &format!("province = \"{province}\""))
            .replace("德清县农业农村局", deqing)
    });
    for f in ["submission.toml", "anji.toml"] {
        let p = dir.join(f);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            t.replace("浙江省", province).replace(
                "province = \"330000\"",
                &format!("province = \"{province}\""),
            ),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_later_import_of_an_applicant_stored_for_another_province_is_rejected_whole() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    let zj = validate(&c, &fixture("valid/zhejiang"));
    let res = store.import(&c, &zj, false, None).unwrap();
    assert!(matches!(res[0].outcome, BatchOutcome::Imported { .. }));
    let audit_before: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap();

    // Jiangsu, the next day: its two dossiers are Zhejiang's applicants again, one with a
    // soft hyphen inside the name (the credit codes are the same too).
    let js = sent_by(&tmp.path().join("js"), "江苏省", "德清县农业\u{00AD}农村局");
    let r = validate(&c, &js);
    assert_eq!(r.errors(), 0, "{:#?}", r.findings);
    let res = store.import(&c, &r, false, None).unwrap();
    assert!(
        matches!(res[0].outcome, BatchOutcome::Rejected { errors: 2 }),
        "{res:?}"
    );
    let codes: Vec<&str> = res[0].findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes,
        ["E-DUP-STORED", "E-DUP-STORED"],
        "{:#?}",
        res[0].findings
    );
    assert!(
        res[0].findings.iter().any(|f| f
            .message
            .en
            .contains("already stored for Zhejiang: dossier 330000-")),
        "{:#?}",
        res[0].findings
    );
    // Nothing of the batch written: no batch, no dossier; only its refusal (tests/refusal.rs).
    let conn = store.connection();
    let n = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        n("SELECT COUNT(*) FROM batch WHERE province_key = '320000'"),
        0
    );
    assert_eq!(
        n("SELECT COUNT(*) FROM dossier WHERE province_key = '320000'"),
        0
    );
    assert_eq!(n("SELECT COUNT(*) FROM audit"), audit_before + 1);
    assert_eq!(
        n("SELECT COUNT(*) FROM audit WHERE action = 'import.refuse'"),
        1
    );
}

/// What an import did, without the batch ids and times: outcome kind, dossiers, findings.
fn outcomes(res: &[shifan::store::ImportResult]) -> Vec<String> {
    res.iter()
        .map(|r| {
            let o = match &r.outcome {
                BatchOutcome::Imported { dossiers, .. } => format!("imported {dossiers}"),
                BatchOutcome::Rejected { errors } => format!("rejected {errors}"),
                o => format!("{o:?}"),
            };
            format!("{} {:?} {o} {:?}", r.folder, r.province, codes(&r.findings))
        })
        .collect()
}

#[test]
fn a_compact_import_of_many_batches_gives_the_same_findings_and_store_as_before() {
    let c = criteria();
    let samples = root().join("sample-applications");
    let tmp = tempfile::tempdir().unwrap();
    let full = validate(&c, &samples);
    let compact =
        shifan::validation::validate_paths_compact(&c, std::slice::from_ref(&samples)).unwrap();
    // The same findings, in the same order, and the same batches importable.
    assert_eq!(
        format!("{:?}", full.findings),
        format!("{:?}", compact.findings)
    );
    assert!(full.batches.len() > 30);
    assert_eq!(
        full.batches
            .iter()
            .map(|b| (b.importable(), b.errors))
            .collect::<Vec<_>>(),
        compact
            .batches
            .iter()
            .map(|b| (b.importable(), b.errors))
            .collect::<Vec<_>>()
    );
    // The compact report let the dossiers' bytes go.
    assert!(
        compact
            .batches
            .iter()
            .flat_map(|b| &b.dossiers)
            .all(|d| d.file.bytes.is_empty() && d.file.released)
    );
    let mut a = Store::open(&tmp.path().join("full.db")).unwrap();
    let mut b = Store::open(&tmp.path().join("compact.db")).unwrap();
    let ra = a.import(&c, &full, false, None).unwrap();
    let rb = b.import(&c, &compact, false, None).unwrap();
    assert_eq!(outcomes(&ra), outcomes(&rb));
    // Byte for byte the same dossiers stored.
    let rows = |p: &str| -> Vec<(String, String, Vec<u8>)> {
        let c = rusqlite::Connection::open(tmp.path().join(p)).unwrap();
        let mut s = c
            .prepare("SELECT code, sha256, raw FROM dossier ORDER BY code")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let stored = rows("compact.db");
    assert!(stored.len() > 200);
    assert_eq!(rows("full.db"), stored);
    for (code, sha, raw) in &stored {
        assert_eq!(&sha256_hex(raw), sha, "{code}");
    }
}

#[test]
fn a_file_changed_after_the_checks_is_refused_with_its_batch_and_named() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "anji.toml", |t| t.to_string());
    let report =
        shifan::validation::validate_paths_compact(&c, std::slice::from_ref(&dir)).unwrap();
    assert_eq!(report.errors(), 0);
    // Between the checks and the store, a dossier is edited.
    let anji = dir.join("anji.toml");
    let text = std::fs::read_to_string(&anji).unwrap();
    std::fs::write(&anji, format!("{text}\n# 改动\n")).unwrap();
    let mut store = Store::open(&tmp.path().join("t.db")).unwrap();
    let res = store.import(&c, &report, false, None).unwrap();
    assert!(
        matches!(res[0].outcome, BatchOutcome::Rejected { errors: 1 }),
        "{res:?}"
    );
    assert_eq!(codes(&res[0].findings), vec!["E-READ"]);
    let f = &res[0].findings[0];
    assert!(f.file.ends_with("anji.toml"), "{f:?}");
    assert!(f.message.zh.contains("检查之后被改动"), "{f:?}");
    assert!(
        f.message.en.contains("changed after it was checked"),
        "{f:?}"
    );
    assert_eq!(
        store.status(None).unwrap().dossiers,
        0,
        "nothing of the batch stored"
    );
}
