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
    assert_eq!(store.schema_version().unwrap(), 3);
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
