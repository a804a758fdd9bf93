//! The `[selection]` limits the ministry writes in round.toml: counts or shares, province quotas,
//! the checks at load, and the resolved [`Constraints`]. The round settings are given as JSON
//! here (the domain reads no TOML; the serde shape is the same).

use shifan_domain::Criteria;
use shifan_domain::criteria::Holidays;
use shifan_domain::demo_type::{DemoType, DemoTypes};
use shifan_domain::province::{Province, Provinces};
use shifan_domain::round::RoundSettings;
use shifan_domain::rubric::Rubric;
use shifan_domain::selection::Constraints;

fn round(selection: serde_json::Value) -> Result<RoundSettings, serde_json::Error> {
    serde_json::from_value(serde_json::json!({
        "year": 2026, "title_zh": "全国农村信息化示范单位", "title_en": "Rural informatization",
        "province_cap": 10, "target_units": 100, "application_deadline": "2026-05-31",
        "copies_required": 5, "experts_per_dossier": 5, "publicity_working_days": 5,
        "reserve_size": 10, "standardise_scores": false, "disagreement_threshold": 20.0,
        "selection": selection,
        "issuer": { "name_zh": "农业部", "name_en": "Ministry", "programme_doc": "农市发" },
        "publicity_contact": { "person": "张三", "phone": "010-59192000",
            "address": "北京市朝阳区", "postcode": "100125", "email": "a@example.cn" }
    }))
}

fn criteria(round: RoundSettings) -> Criteria {
    let province = |key: &str, name: &str, short: &str| -> Province {
        serde_json::from_value(serde_json::json!({
            "key": key, "name": name, "short": short, "name_en": short, "kind": "province"
        }))
        .unwrap()
    };
    let mut provinces: Vec<Province> = (0..30)
        .map(|i| province(&format!("P{i:02}"), &format!("第{i}省"), &format!("省{i}")))
        .collect();
    provinces.push(province("XJBT", "新疆生产建设兵团", "兵团"));
    let kind = |id: &str, zh: &str| -> DemoType {
        serde_json::from_value(serde_json::json!({
            "id": id, "name_zh": zh, "name_en": id, "standard_zh": "…", "standard_en": "…"
        }))
        .unwrap()
    };
    let rubric: Rubric = serde_json::from_value(serde_json::json!({
        "total": 10.0,
        "group": [{ "id": "foundation", "name_zh": "工作基础", "name_en": "Foundation" }],
        "criterion": [{ "id": "a", "group": "foundation", "name_zh": "甲", "name_en": "a",
            "max": 10.0, "step": 1.0, "guidance_zh": "…", "guidance_en": "…" }]
    }))
    .unwrap();
    Criteria {
        provinces: Provinces::new(provinces),
        types: DemoTypes::new(vec![
            kind("production", "生产型"),
            kind("business", "经营型"),
            kind("other", "其他类型"),
        ]),
        rubric,
        round,
        holidays: Holidays::default(),
    }
}

/// Shares become counts for the target (a minimum rounds up, a maximum down; 0.55 × 100 is 55,
/// not 56 from the float's last bit), and a quota named by its full or short name resolves to
/// its key.
#[test]
fn shares_and_quotas_resolve_to_counts_and_keys() {
    let r = round(serde_json::json!({
        "max_per_province": 4,
        "type_limit": [
            { "type": "production", "min_share": 0.55 },
            { "type": "business", "max_share": 0.205, "min": 3 },
            { "type": "other", "max": 8 }
        ],
        "province_quota": [
            { "province": "新疆生产建设兵团", "max": 2 },
            { "province": "省3", "max": 6 }
        ]
    }))
    .unwrap();
    let c = criteria(r);
    assert_eq!(c.problems(), Vec::<String>::new());
    let k = Constraints::from_criteria(&c);
    assert_eq!(
        k,
        Constraints {
            target: 100,
            reserve: 10,
            max_per_province: 4,
            type_limits: vec![
                ("production".into(), Some(55), None),
                ("business".into(), Some(3), Some(20)),
                ("other".into(), None, Some(8)),
            ],
            province_quotas: vec![("XJBT".into(), 2), ("P03".into(), 6)],
        }
    );
    assert_eq!(k.max_for("XJBT"), 2);
    assert_eq!(k.max_for("P03"), 6);
    assert_eq!(k.max_for("P04"), 4);
    assert!(k.problems().is_empty());
    // A share of a target that does not divide: min 0.333 of 100 is 33.3 → 34, max → 33.
    let r = round(serde_json::json!({
        "max_per_province": 4,
        "type_limit": [{ "type": "production", "min_share": 0.333 },
                       { "type": "business", "max_share": 0.333 }]
    }))
    .unwrap();
    let k = Constraints::from_criteria(&criteria(r));
    assert_eq!(k.type_limits[0].1, Some(34));
    assert_eq!(k.type_limits[1].2, Some(33));
}

/// Every bad `[selection]` is refused at load, each with its own sentence.
#[test]
fn bad_limits_are_refused_at_load() {
    let cases: &[(serde_json::Value, &str)] = &[
        (
            serde_json::json!({ "max_per_province": 0 }),
            "round.toml: selection.max_per_province must be at least 1",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "other", "min": 9, "max": 8 }] }),
            "round.toml: selection.type_limit for \"other\": min 9 > max 8 (units of a list of 100)",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "other", "min_share": 0.2, "max_share": 0.1 }] }),
            "round.toml: selection.type_limit for \"other\": min 20 > max 10 (units of a list of 100)",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "other", "max_share": 1.5 }] }),
            "round.toml: selection.type_limit for \"other\": max_share 1.5 is not a share between 0 and 1",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "other", "min_share": -0.1 }] }),
            "round.toml: selection.type_limit for \"other\": min_share -0.1 is not a share between 0 and 1",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "other", "min": 5, "min_share": 0.05 }] }),
            "round.toml: selection.type_limit for \"other\": gives both min and min_share; write one of them",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "production", "min_share": 0.6 },
                               { "type": "business", "min": 41 }] }),
            "round.toml: selection: the type minimums add up to 101 units, more than the 100 to select",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "other", "max": 8 }, { "type": "other", "min": 1 }] }),
            "round.toml: selection.type_limit for \"other\": the type has two type_limit entries; write one",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "type_limit": [{ "type": "network", "max": 8 }] }),
            "round.toml: selection.type_limit names type \"network\", which types.toml does not define",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "province_quota": [{ "province": "火星", "max": 2 }] }),
            "round.toml: selection.province_quota names \"火星\", which provinces.toml does not define",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "province_quota": [{ "province": "兵团", "max": 2 },
                                   { "province": "XJBT", "max": 3 }] }),
            "round.toml: selection.province_quota names 新疆生产建设兵团 twice; write one quota",
        ),
        (
            serde_json::json!({ "max_per_province": 4,
                "province_quota": [{ "province": "兵团", "max": 0 }] }),
            "round.toml: selection.province_quota for \"兵团\": max must be at least 1",
        ),
        (
            serde_json::json!({ "max_per_province": 3 }),
            "round.toml: the per-province maximums allow at most 93 units in all, fewer than target_units 100",
        ),
    ];
    for (selection, expected) in cases {
        let c = criteria(round(selection.clone()).unwrap());
        assert_eq!(c.problems(), vec![expected.to_string()], "{selection}");
    }
    // target_units 0 is refused by the round itself.
    let mut r = round(serde_json::json!({ "max_per_province": 4 })).unwrap();
    r.target_units = 0;
    assert!(
        r.problems()
            .contains(&"target_units must be at least 1".to_string())
    );
}

/// A misspelt key is an error, not silently ignored.
#[test]
fn unknown_keys_are_refused() {
    let e = round(serde_json::json!({ "max_per_province": 4,
        "type_limit": [{ "type": "other", "min_shares": 0.1 }] }))
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `min_shares`"), "{e}");
    let e = round(serde_json::json!({ "max_per_province": 4,
        "province_quota": [{ "province": "兵团", "quota": 2 }] }))
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `quota`"), "{e}");
}
