//! Every kind of bad input in the contract gives an error naming the file, line and field.

mod common;

use common::*;
use shifan::domain::Severity;

#[test]
fn the_valid_fixture_is_clean() {
    let c = criteria();
    let r = validate(&c, &fixture("valid/zhejiang"));
    assert_eq!(r.findings, vec![], "{:#?}", r.findings);
    assert_eq!(r.dossier_count(), 2);
    assert!(r.batches[0].importable());
}

/// What, file edited, from, to, expected code, expected field, expected line.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<u32>,
);

const CASES: &[Case] = &[
    (
        "syntax",
        "deqing.toml",
        "staff_count = 26",
        "staff_count = 26 26",
        "E-SYNTAX",
        "",
        Some(29),
    ),
    (
        "full-width digits bare",
        "deqing.toml",
        "staff_count = 26",
        "staff_count = ２６",
        "E-SYNTAX",
        "",
        Some(29),
    ),
    (
        "wrong type",
        "deqing.toml",
        "staff_count = 26",
        "staff_count = true",
        "E-VALUE-TYPE",
        "team.staff_count",
        Some(29),
    ),
    (
        "text where number",
        "deqing.toml",
        "villages_covered = 137",
        "villages_covered = \"很多\"",
        "E-VALUE-TYPE",
        "foundation.figures.villages_covered",
        Some(21),
    ),
    (
        "negative figure",
        "deqing.toml",
        "villages_covered = 137",
        "villages_covered = -3",
        "E-VALUE-RANGE",
        "foundation.figures.villages_covered",
        Some(21),
    ),
    (
        "zero staff",
        "deqing.toml",
        "staff_count = 26",
        "staff_count = 0",
        "E-VALUE-RANGE",
        "team.staff_count",
        Some(29),
    ),
    (
        "missing field",
        "deqing.toml",
        "technology = \"建成县级农业物联网平台，接入水产养殖和设施蔬菜基地42个。\"\n",
        "",
        "E-MISSING-FIELD",
        "foundation.technology",
        None,
    ),
    (
        "empty text",
        "deqing.toml",
        "outlook = \"探索数字乡村一张图，为全省提供可复制的县域样板。\"",
        "outlook = \"  \"",
        "E-EMPTY-TEXT",
        "work_plan.outlook",
        Some(36),
    ),
    (
        "unknown type",
        "deqing.toml",
        "type = \"overall_advancement\"",
        "type = \"整体推进\"",
        "E-UNKNOWN-TYPE",
        "type",
        Some(2),
    ),
    (
        "other without case",
        "deqing.toml",
        "type = \"overall_advancement\"",
        "type = \"other\"",
        "E-OTHER-NO-CASE",
        "other_type_case",
        Some(4),
    ),
    (
        "12316 hotline denied",
        "deqing.toml",
        "hotline_12316_open = true",
        "hotline_12316_open = false",
        "E-TYPE-STANDARD",
        "type_evidence.hotline_12316_open",
        Some(39),
    ),
    (
        "12316 hotline absent",
        "deqing.toml",
        "hotline_12316_open = true\n",
        "",
        "E-TYPE-STANDARD",
        "type_evidence.hotline_12316_open",
        None,
    ),
    (
        "technology not allowed",
        "anji.toml",
        "\"iot\"]",
        "\"blockchain\"]",
        "E-VALUE-CHOICE",
        "type_evidence.technologies",
        Some(29),
    ),
    (
        "unknown province",
        "deqing.toml",
        "province = \"浙江\"",
        "province = \"浙西省\"",
        "E-UNKNOWN-PROVINCE",
        "province",
        Some(1),
    ),
    (
        "province disagrees",
        "deqing.toml",
        "province = \"浙江\"",
        "province = \"江苏省\"",
        "E-PROVINCE-MISMATCH",
        "province",
        Some(1),
    ),
    (
        "credit check char",
        "deqing.toml",
        "113305210026135675",
        "113305210026135676",
        "E-CREDIT-CODE",
        "applicant.credit_code",
        Some(10),
    ),
    (
        "credit length",
        "deqing.toml",
        "113305210026135675",
        "11330521002613",
        "E-CREDIT-CODE",
        "applicant.credit_code",
        Some(10),
    ),
    (
        "late",
        "submission.toml",
        "sent_on = 2026-05-28",
        "sent_on = 2026-06-02",
        "E-LATE",
        "sent_on",
        Some(3),
    ),
    (
        "date as text",
        "submission.toml",
        "sent_on = 2026-05-28",
        "sent_on = \"2026年5月28日\"",
        "E-VALUE-TYPE",
        "sent_on",
        Some(3),
    ),
    (
        "few copies",
        "submission.toml",
        "copies = 5",
        "copies = 3",
        "E-COPIES",
        "copies",
        Some(4),
    ),
    (
        "no review",
        "anji.toml",
        "[provincial_review]\nopinion = \"经审核，同意推荐。\"\n",
        "[provincial_review]\n",
        "E-REVIEW-MISSING",
        "provincial_review",
        Some(32),
    ),
    (
        "rank repeated",
        "deqing.toml",
        "provincial_rank = 1",
        "provincial_rank = 2",
        "E-RANK-DUP",
        "provincial_rank",
        Some(3),
    ),
    (
        "same applicant",
        "anji.toml",
        "安吉县白茶产业协会信息中心",
        "德清县 农业农村局",
        "E-DUP-APPLICANT",
        "applicant.name",
        Some(6),
    ),
    (
        "same credit code",
        "anji.toml",
        "kind = \"public_institution\"",
        "kind = \"public_institution\"\ncredit_code = \"113305210026135675\"",
        "E-DUP-CREDIT-CODE",
        "applicant.credit_code",
        Some(8),
    ),
    (
        "bad applicant kind",
        "anji.toml",
        "kind = \"public_institution\"",
        "kind = \"协会\"",
        "E-VALUE-CHOICE",
        "applicant.kind",
        Some(7),
    ),
];

#[test]
fn every_bad_input_names_file_line_and_field() {
    let c = criteria();
    for (what, file, from, to, code, field, line) in CASES {
        let tmp = tempfile::tempdir().unwrap();
        let dir = edited_batch(tmp.path(), file, |t| {
            assert!(t.contains(from), "{what}: fixture lacks {from:?}");
            t.replacen(from, to, 1)
        });
        let r = validate(&c, &dir);
        let hit = r.findings.iter().find(|f| f.code.as_str() == *code);
        let Some(hit) = hit else {
            panic!("{what}: expected {code}, got {:#?}", r.findings)
        };
        assert_eq!(hit.severity, Severity::Error, "{what}");
        assert!(
            hit.file.ends_with(file),
            "{what}: file {} should end with {file}",
            hit.file
        );
        assert_eq!(hit.field, *field, "{what}");
        if line.is_some() {
            assert_eq!(hit.line, *line, "{what}: {hit:?}");
        }
        assert!(
            !hit.message.zh.is_empty() && !hit.message.en.is_empty() && !hit.hint.en.is_empty(),
            "{what}"
        );
        assert!(
            !r.batches[0].importable(),
            "{what}: a batch with an error must not be importable"
        );
    }
}

#[test]
fn unknown_keys_warn_with_did_you_mean() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace("infrastructure =", "infrastructur =")
    });
    let r = validate(&c, &dir);
    let w = r
        .findings
        .iter()
        .find(|f| f.code.as_str() == "W-UNKNOWN-KEY")
        .expect("a warning");
    assert_eq!(w.field, "foundation.infrastructur");
    assert!(
        w.hint.en.contains("did you mean \"infrastructure\""),
        "{}",
        w.hint.en
    );
    // The real key is now missing: that is the error.
    assert!(codes(&r.findings).contains(&"E-MISSING-FIELD"));
}

#[test]
fn evidence_of_another_type_warns() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace(
            "reaches_villages = true",
            "reaches_villages = true\nwebsite_count = 3",
        )
    });
    let r = validate(&c, &dir);
    assert_eq!(codes(&r.findings), vec!["W-EVIDENCE-OTHER-TYPE"]);
    assert!(r.batches[0].importable(), "warnings do not block");
}

#[test]
fn quoted_full_width_number_is_read_with_a_warning_not_misread() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace("staff_count = 26", "staff_count = \"２６\"")
    });
    let r = validate(&c, &dir);
    assert_eq!(codes(&r.findings), vec!["W-NUMBER-AS-TEXT"]);
    assert!(r.findings[0].message.en.contains("read as the number 26"));
    let d = r.batches[0]
        .dossiers
        .iter()
        .find(|d| d.file.file.ends_with("deqing.toml"))
        .unwrap();
    assert_eq!(d.dossier.as_ref().unwrap().staff_count, Some(26));
    // Mixed forms that are not one number are refused, not truncated.
    let dir = edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace("staff_count = 26", "staff_count = \"2６人\"")
    });
    let r = validate(&c, &dir);
    assert_eq!(codes(&r.findings), vec!["E-VALUE-TYPE"]);
}

#[test]
fn gb18030_bom_and_crlf_are_read_and_reported() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "deqing.toml", |t| t.replace('\n', "\r\n"));
    let deqing = std::fs::read_to_string(dir.join("deqing.toml")).unwrap();
    let deqing = deqing.replace("德清县农业农村局", "西安市鄠邑区农业农村局");
    let (gb, _, bad) = encoding_rs::GB18030.encode(&deqing);
    assert!(!bad);
    std::fs::write(dir.join("deqing.toml"), &gb).unwrap();
    let anji = std::fs::read(dir.join("anji.toml")).unwrap();
    std::fs::write(
        dir.join("anji.toml"),
        [&[0xEF, 0xBB, 0xBF][..], &anji].concat(),
    )
    .unwrap();
    let r = validate(&c, &dir);
    let mut got = codes(&r.findings);
    got.sort();
    assert_eq!(got, vec!["W-ENCODING-BOM", "W-ENCODING-GB18030"]);
    let d = r.batches[0]
        .dossiers
        .iter()
        .find(|d| d.file.file.ends_with("deqing.toml"))
        .unwrap();
    assert_eq!(
        d.dossier.as_ref().unwrap().applicant_name(),
        "西安市鄠邑区农业农村局"
    );
}

#[test]
fn province_forms_resolve_and_truncated_warns() {
    let c = criteria();
    for (written, expect) in [
        ("浙江省", vec![]),
        ("浙江", vec![]),
        ("330000", vec![]),
        ("浙", vec!["E-UNKNOWN-PROVINCE"]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = edited_batch(tmp.path(), "deqing.toml", |t| {
            t.replace("province = \"浙江\"", &format!("province = \"{written}\""))
        });
        let r = validate(&c, &dir);
        assert_eq!(codes(&r.findings), expect, "{written}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "submission.toml", |t| {
        t.replace("province = \"浙江省\"", "province = \"内蒙古\"")
    });
    let r = validate(&c, &dir);
    assert_eq!(
        codes(&r.findings)
            .iter()
            .filter(|c| **c == "E-PROVINCE-MISMATCH")
            .count(),
        2
    );
}

#[test]
fn cap_names_province_count_and_files() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "", |t| t.to_string());
    let base = std::fs::read_to_string(dir.join("anji.toml")).unwrap();
    for i in 0..10 {
        let t = base
            .replace(
                "provincial_rank = 2",
                &format!("provincial_rank = {}", i + 3),
            )
            .replace(
                "安吉县白茶产业协会信息中心",
                &format!("安吉县第{i}茶叶合作社"),
            );
        std::fs::write(dir.join(format!("extra-{i:02}.toml")), t).unwrap();
    }
    let r = validate(&c, &dir);
    assert_eq!(codes(&r.findings), vec!["E-CAP"]);
    let f = &r.findings[0];
    assert!(f.file.ends_with("submission.toml"));
    assert!(
        f.message.zh.contains("浙江省报送 12 份"),
        "{}",
        f.message.zh
    );
    assert!(f.message.en.contains("extra-09.toml") && f.message.en.contains("deqing.toml"));
}

#[test]
fn folder_without_submission_is_an_error_naming_it() {
    let c = criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = edited_batch(tmp.path(), "", |t| t.to_string());
    std::fs::remove_file(dir.join("submission.toml")).unwrap();
    let r = validate(&c, &dir);
    let f = r
        .findings
        .iter()
        .find(|f| f.code.as_str() == "E-NO-SUBMISSION")
        .expect("E-NO-SUBMISSION");
    assert!(f.file.ends_with("zhejiang"));
    assert!(f.message.en.contains("submission.toml"));
}

#[test]
fn a_single_dossier_is_checked_alone_with_a_note() {
    let c = criteria();
    let r = validate(&c, &fixture("valid/zhejiang/deqing.toml"));
    assert_eq!(r.findings, vec![]);
    assert_eq!(r.loose.len(), 1);
    assert!(
        r.notes[0]
            .en
            .contains("batch checks (cap, deadline, copies, province agreement) were not run")
    );
}

#[test]
fn every_finding_code_is_documented_in_checks_md() {
    let doc = std::fs::read_to_string(root().join("docs/checks.md")).unwrap();
    for code in shifan::domain::Code::ALL {
        let row = format!(
            "| {} | {} |",
            code.as_str(),
            match code.severity() {
                shifan::domain::Severity::Error => "error",
                shifan::domain::Severity::Warning => "warning",
            }
        );
        assert!(doc.contains(&row), "docs/checks.md lacks the row {row}");
    }
}
