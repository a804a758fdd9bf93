//! Nothing is hard-coded: a 2017-style round with six types and a cap of 8 runs from its own
//! criteria folder.

mod common;

use common::*;
use shifan::input::criteria::load_criteria;

#[test]
fn a_round_with_six_types_and_another_cap() {
    let c2017 = load_criteria(&fixture("criteria-2017")).expect("2017 criteria load");
    assert_eq!(c2017.types.all().len(), 6);
    assert_eq!(c2017.round.province_cap, 8);
    assert!(c2017.types.by_id("other").is_none());

    let tmp = tempfile::tempdir().unwrap();
    // A type that exists only in 2017.
    let dir = edited_batch(tmp.path(), "deqing.toml", |t| {
        t.replace("type = \"overall_advancement\"", "type = \"电子商务型\"")
            .replace(
                "hotline_12316_open = true\nexpert_team = true\nreaches_villages = true",
                "online_sales_platform = true",
            )
            .replace("2026-", "2017-")
    });
    std::fs::write(
        dir.join("submission.toml"),
        std::fs::read_to_string(dir.join("submission.toml"))
            .unwrap()
            .replace("2026-", "2017-"),
    )
    .unwrap();
    std::fs::write(
        dir.join("anji.toml"),
        std::fs::read_to_string(dir.join("anji.toml"))
            .unwrap()
            .replace("2026-", "2017-"),
    )
    .unwrap();
    let r = validate(&c2017, &dir);
    assert_eq!(codes(&r.findings), Vec::<&str>::new(), "{:#?}", r.findings);
    let ty = r.batches[0]
        .dossiers
        .iter()
        .find_map(|d| d.demo_type.filter(|_| d.file.file.ends_with("deqing.toml")))
        .unwrap();
    assert_eq!(c2017.types.all()[ty].id, "e_commerce");

    // The same files under the 2026 rules: the type is unknown there.
    let c2026 = criteria();
    let r = validate(&c2026, &dir);
    assert!(codes(&r.findings).contains(&"E-UNKNOWN-TYPE"));

    // The cap comes from the round: 9 dossiers pass 2026 (cap 10) but not 2017 (cap 8).
    let base = std::fs::read_to_string(dir.join("anji.toml")).unwrap();
    for i in 0..7 {
        let t = base
            .replace(
                "provincial_rank = 2",
                &format!("provincial_rank = {}", i + 3),
            )
            .replace(
                "安吉县白茶产业协会信息中心",
                &format!("安吉县第{i}茶叶合作社"),
            );
        std::fs::write(dir.join(format!("extra-{i}.toml")), t).unwrap();
    }
    assert!(codes(&validate(&c2017, &dir).findings).contains(&"E-CAP"));
    assert!(!codes(&validate(&c2026, &dir).findings).contains(&"E-CAP"));
}
