//! The criteria folder loads, and a broken one is refused with the file and the reason.

mod common;

use shifan::input::criteria::{CriteriaError, load_criteria};

fn copy_criteria(dir: &std::path::Path) {
    for e in std::fs::read_dir(common::root().join("criteria")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
}

#[test]
fn shipped_criteria_are_complete() {
    let c = common::criteria();
    assert_eq!(c.provinces.all().len(), 39);
    assert_eq!(c.provinces.all()[0].name, "北京市");
    assert!(c.provinces.by_key("XJBT").is_some());
    let ids: Vec<&str> = c.types.all().iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "information_service",
            "technology_application",
            "network_construction",
            "resource_integration",
            "overall_advancement",
            "other"
        ]
    );
    let total: f64 = c.rubric.criteria.iter().map(|k| k.max).sum();
    assert_eq!(total, 100.0);
    assert_eq!(
        (
            c.round.year,
            c.round.province_cap,
            c.round.target_units,
            c.round.copies_required
        ),
        (2026, 10, 100, 5)
    );
    assert_eq!(c.round.application_deadline.to_string(), "2026-05-31");
    let overall = c.types.by_id("overall_advancement").unwrap();
    assert!(
        overall
            .standard_zh
            .contains("12316服务热线在本区域内全面开通")
    );
    assert!(
        overall
            .evidence
            .iter()
            .any(|e| e.key == "hotline_12316_open" && e.gate)
    );
}

#[test]
fn rubric_that_does_not_add_up_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    copy_criteria(tmp.path());
    let rubric = std::fs::read_to_string(tmp.path().join("rubric.toml")).unwrap();
    std::fs::write(
        tmp.path().join("rubric.toml"),
        rubric.replacen("max = 10", "max = 11", 1),
    )
    .unwrap();
    let err = load_criteria(tmp.path()).unwrap_err();
    assert!(matches!(err, CriteriaError::Incoherent { .. }));
    assert!(
        err.to_string()
            .contains("rubric.toml: the criteria's maximum points add up to 101"),
        "{err}"
    );
}

#[test]
fn a_typo_in_round_toml_names_file_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    copy_criteria(tmp.path());
    let round = std::fs::read_to_string(tmp.path().join("round.toml")).unwrap();
    std::fs::write(
        tmp.path().join("round.toml"),
        round.replace("province_cap", "provence_cap"),
    )
    .unwrap();
    let err = load_criteria(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("round.toml"), "{err}");
    assert!(err.contains("line"), "{err}");
    assert!(err.contains("provence_cap"), "{err}");
}

#[test]
fn a_broken_criteria_file_is_named_in_the_interface_language() {
    let tmp = tempfile::tempdir().unwrap();
    copy_criteria(tmp.path());
    let round = std::fs::read_to_string(tmp.path().join("round.toml")).unwrap();
    std::fs::write(tmp.path().join("round.toml"), format!("{round}\nx = = 1\n")).unwrap();
    for (lang, want) in [("zh", "评审标准文件 "), ("en", "")] {
        let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_shifan"))
            .current_dir(common::root())
            .env_remove("SHIFAN_LANG")
            .env_remove("SHIFAN_CRITERIA")
            .args(["--lang", lang, "--criteria"])
            .arg(tmp.path())
            .args(["validate", "sample-applications/110000-beijing"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "{want}{}",
                tmp.path().join("round.toml").display()
            )),
            "{lang}: {err}"
        );
        assert!(err.contains("line"), "{lang}: {err}");
    }
}
