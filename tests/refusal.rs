//! A batch refused at the national import is recorded for its province: when, by whom and
//! the findings that refused it, sealed and audited, readable by that province's official only.

mod common;

use common::*;
use shifan::domain::access::Role;
use shifan::store::{BatchOutcome, Store};

/// A copy of the Zhejiang fixture sent by Jiangsu (the same two applicants).
fn jiangsu(root: &std::path::Path) -> std::path::PathBuf {
    let dir = edited_batch(root, "deqing.toml", |t| {
        t.replace("province = \"浙江\"", "province = \"江苏省\"")
    });
    for f in ["submission.toml", "anji.toml"] {
        let p = dir.join(f);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            t.replace("浙江省", "江苏省")
                .replace("province = \"330000\"", "province = \"320000\""),
        )
        .unwrap();
    }
    dir
}

fn setup(store: &mut Store) -> shifan::domain::access::User {
    store
        .add_account(None, "ministry", &Role::Ministry, "pw-ministry", false)
        .unwrap();
    let m = store.login("ministry", "pw-ministry").unwrap();
    for (name, key) in [("official-js", "320000"), ("official-zj", "330000")] {
        store
            .add_account(
                Some(&m),
                name,
                &Role::Official {
                    province_key: key.into(),
                },
                "pw-official",
                false,
            )
            .unwrap();
    }
    m
}

#[test]
fn a_duplicate_batch_refused_at_import_is_stored_with_its_findings_for_its_province() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    let m = setup(&mut store);
    let zj = validate(&c, &fixture("valid/zhejiang"));
    let res = store.import(&c, &zj, false, Some(&m)).unwrap();
    assert!(matches!(res[0].outcome, BatchOutcome::Imported { .. }));

    let js = jiangsu(&tmp.path().join("js"));
    let r = validate(&c, &js);
    assert_eq!(r.errors(), 0, "{:#?}", r.findings);
    let res = store.import(&c, &r, false, Some(&m)).unwrap();
    assert!(matches!(
        res[0].outcome,
        BatchOutcome::Rejected { errors: 2 }
    ));
    drop(store);

    // Read back from the file, as the official.
    let store = Store::open(&db).unwrap();
    let official = store.login("official-js", "pw-official").unwrap();
    let refusals = store.province_refusals(&official, "320000").unwrap();
    assert_eq!(refusals.len(), 1, "{refusals:#?}");
    let refusal = &refusals[0];
    assert_eq!(refusal.province_key, "320000");
    assert_eq!(refusal.actor, "ministry");
    assert!(refusal.folder.ends_with("zhejiang"), "{}", refusal.folder);
    assert!(!refusal.refused_at.is_empty());
    let codes: Vec<&str> = refusal.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["E-DUP-STORED", "E-DUP-STORED"]);
    // Each finding keeps its place, message and fix in both languages.
    let f = &refusal.findings[0];
    assert!(f.file.ends_with(".toml"), "{}", f.file);
    assert!(!f.field.is_empty());
    assert!(f.message.zh.contains("浙江"), "{}", f.message.zh);
    assert!(f.message.en.contains("Zhejiang"), "{}", f.message.en);
    assert!(!f.hint.zh.is_empty() && !f.hint.en.is_empty());

    // Another province's official may not read it; Zhejiang has none of its own.
    let zj_official = store.login("official-zj", "pw-official").unwrap();
    assert!(store.province_refusals(&zj_official, "320000").is_err());
    assert!(
        store
            .province_refusals(&zj_official, "330000")
            .unwrap()
            .is_empty()
    );

    // The refusal is sealed and in the audit log: the data verifies, an edit is caught.
    let report = store.verify_audit(&m, None).unwrap();
    assert!(report.intact(), "{report:?}");
    let detail: String = store
        .connection()
        .query_row(
            "SELECT detail FROM audit WHERE action = 'import.refuse'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        detail.contains("320000") && detail.contains("E-DUP-STORED"),
        "{detail}"
    );
    store
        .connection()
        .execute("UPDATE refusal SET findings = '[]'", [])
        .unwrap();
    let report = store.verify_audit(&m, None).unwrap();
    assert!(!report.intact());
    assert!(
        report
            .data
            .iter()
            .any(|p| format!("{p:?}").contains("refusal")),
        "{report:?}"
    );
}

#[test]
fn a_batch_refused_by_validation_is_recorded_and_forgotten_once_a_batch_is_stored() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.db");
    let mut store = Store::open(&db).unwrap();
    let m = setup(&mut store);
    let bad = edited_batch(&tmp.path().join("bad"), "anji.toml", |t| {
        t.replace("staff_count = 9", "staff_count = -1")
    });
    let r = validate(&c, &bad);
    assert!(r.errors() > 0);
    let res = store.import(&c, &r, false, Some(&m)).unwrap();
    assert!(matches!(res[0].outcome, BatchOutcome::Rejected { .. }));
    let official = store.login("official-zj", "pw-official").unwrap();
    let refusals = store.province_refusals(&official, "330000").unwrap();
    assert_eq!(refusals.len(), 1);
    // The batch's own findings, errors first, as validation gave them.
    let mut expected: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.code.as_str())
        .collect();
    expected.sort();
    let mut got: Vec<&str> = refusals[0]
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.code.as_str())
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert!(refusals[0].findings[0].is_error());
    assert!(refusals[0].findings.iter().all(|f| f.file.contains("anji")
        || f.file.contains("deqing")
        || f.file.contains("submission")));

    // The corrected batch is stored: the old refusal no longer stands for the province.
    let good = validate(&c, &fixture("valid/zhejiang"));
    let res = store.import(&c, &good, false, Some(&m)).unwrap();
    assert!(
        matches!(res[0].outcome, BatchOutcome::Imported { .. }),
        "{res:?}"
    );
    assert!(
        store
            .province_refusals(&official, "330000")
            .unwrap()
            .is_empty()
    );
    assert!(store.verify_audit(&m, None).unwrap().intact());
}
