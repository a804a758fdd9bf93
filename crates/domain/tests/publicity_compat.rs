//! A publicity state stored by the code before supplementary publicity, withdrawals and seal
//! records existed must still load: databases hold it as JSON. The literals below were written
//! by that code (commit 0eddfc5) and are kept verbatim.

use jiff::civil::date;
use shifan_domain::Text;
use shifan_domain::publicity::{
    ListEntry, Outcome, Period, Phase, Publicity, PublicityError, Resolution, State, seal,
};
use shifan_domain::working_days::Calendar;

/// Proposed on 2026-07-31, not yet published.
const PROPOSED: &str = r#"{"state":{"phase":"proposed","list_hash":"5fd014ecd64bd7a12dac5214dc53901c6452da32ee4cca887daf9ffabf25e4bd","proposed_at":"2026-07-31"},"list":[{"code":"230001","province_key":"230000","applicant":"大庆市农委","type_id":"information_service"},{"code":"230002","province_key":"230000","applicant":"宝清县农村合作经济经营管理总站","type_id":"network_construction"},{"code":"230003","province_key":"230000","applicant":"萝北县科学技术与信息产业局","type_id":"information_service"}],"reserve":[{"code":"110009","province_key":"110000","applicant":"北京市某区农业农村局","type_id":"network_construction"},{"code":"120009","province_key":"120000","applicant":"天津市某区农业农村委","type_id":"information_service"}],"objections":[],"changes":[]}"#;

/// Published 2026-08-03 to 2026-08-07: objection #1 against 230002 upheld (reserve unit 110009
/// promoted), #2 rejected, #3 against the promoted unit still open.
const IN_PUBLICITY: &str = r#"{"state":{"phase":"in_publicity","list_hash":"5fd014ecd64bd7a12dac5214dc53901c6452da32ee4cca887daf9ffabf25e4bd","proposed_at":"2026-07-31","start":"2026-08-03","end":"2026-08-07"},"list":[{"code":"230001","province_key":"230000","applicant":"大庆市农委","type_id":"information_service"},{"code":"230002","province_key":"230000","applicant":"宝清县农村合作经济经营管理总站","type_id":"network_construction"},{"code":"230003","province_key":"230000","applicant":"萝北县科学技术与信息产业局","type_id":"information_service"}],"reserve":[{"code":"110009","province_key":"110000","applicant":"北京市某区农业农村局","type_id":"network_construction"},{"code":"120009","province_key":"120000","applicant":"天津市某区农业农村委","type_id":"information_service"}],"objections":[{"id":1,"code":"230002","received_on":"2026-08-04","objector":"张三","summary":"数据不实","resolution":{"decision":"upheld","note":"材料造假属实"}},{"id":2,"code":"230001","received_on":"2026-08-05","objector":"某单位","summary":"重复申报","resolution":{"decision":"rejected","note":"经核实，反映情况不属实"}},{"id":3,"code":"110009","received_on":"2026-08-06","objector":"李四","summary":"材料不全","resolution":null}],"changes":[{"removed":"230002","promoted":"110009","objection":1}]}"#;

/// The same, with #3 rejected and the list confirmed on 2026-08-10.
const CONFIRMED: &str = r#"{"state":{"phase":"confirmed","list_hash":"5fd014ecd64bd7a12dac5214dc53901c6452da32ee4cca887daf9ffabf25e4bd","proposed_at":"2026-07-31","start":"2026-08-03","end":"2026-08-07","on":"2026-08-10"},"list":[{"code":"230001","province_key":"230000","applicant":"大庆市农委","type_id":"information_service"},{"code":"230002","province_key":"230000","applicant":"宝清县农村合作经济经营管理总站","type_id":"network_construction"},{"code":"230003","province_key":"230000","applicant":"萝北县科学技术与信息产业局","type_id":"information_service"}],"reserve":[{"code":"110009","province_key":"110000","applicant":"北京市某区农业农村局","type_id":"network_construction"},{"code":"120009","province_key":"120000","applicant":"天津市某区农业农村委","type_id":"information_service"}],"objections":[{"id":1,"code":"230002","received_on":"2026-08-04","objector":"张三","summary":"数据不实","resolution":{"decision":"upheld","note":"材料造假属实"}},{"id":2,"code":"230001","received_on":"2026-08-05","objector":"某单位","summary":"重复申报","resolution":{"decision":"rejected","note":"经核实，反映情况不属实"}},{"id":3,"code":"110009","received_on":"2026-08-06","objector":"李四","summary":"材料不全","resolution":{"decision":"rejected","note":"经核实，材料齐全"}}],"changes":[{"removed":"230002","promoted":"110009","objection":1}]}"#;

/// Two units, one reserve unit; published 2026-08-03 to 2026-08-07; both objections upheld, the
/// second with the reserve used up (the list shrank to one unit).
const RESERVE_USED_UP: &str = r#"{"state":{"phase":"in_publicity","list_hash":"7ba130a7023a4bf06a268f4e3844e6ce0067495c7ceba13686e4a627588f1c19","proposed_at":"2026-07-31","start":"2026-08-03","end":"2026-08-07"},"list":[{"code":"230001","province_key":"230000","applicant":"大庆市农委","type_id":"information_service"},{"code":"230002","province_key":"230000","applicant":"宝清县农村合作经济经营管理总站","type_id":"network_construction"}],"reserve":[{"code":"110009","province_key":"110000","applicant":"北京市某区农业农村局","type_id":"network_construction"}],"objections":[{"id":1,"code":"230002","received_on":"2026-08-04","objector":"张三","summary":"数据不实","resolution":{"decision":"upheld","note":"材料造假属实"}},{"id":2,"code":"230001","received_on":"2026-08-05","objector":"某单位","summary":"重复申报","resolution":{"decision":"upheld","note":"重复申报属实"}}],"changes":[{"removed":"230002","promoted":"110009","objection":1},{"removed":"230001","promoted":null,"objection":2}]}"#;

const DRAFT: &str =
    r#"{"state":{"phase":"draft"},"list":[],"reserve":[],"objections":[],"changes":[]}"#;

fn load(json: &str) -> Publicity {
    serde_json::from_str(json).unwrap()
}

fn codes(p: &Publicity) -> Vec<String> {
    p.current_list().into_iter().map(|e| e.code).collect()
}

#[test]
fn an_old_draft_loads() {
    let p = load(DRAFT);
    assert_eq!(p.phase(), Phase::Draft);
    assert!(p.proposed_list().is_empty());
    assert_eq!(p.list_hash(), None);
}

#[test]
fn an_old_proposed_state_loads_with_its_seal() {
    let p = load(PROPOSED);
    assert_eq!(p.phase(), Phase::Proposed);
    assert_eq!(
        p.state(),
        &State::Proposed {
            list_hash: seal(p.proposed_list()),
            proposed_at: date(2026, 7, 31),
        }
    );
    assert!(p.seal_intact());
    assert_eq!(codes(&p), ["230001", "230002", "230003"]);
    let reserve: Vec<&str> = p.reserve().iter().map(|e| e.code.as_str()).collect();
    assert_eq!(reserve, ["110009", "120009"]);
}

#[test]
fn an_old_state_in_publicity_loads_with_its_objections_and_changes() {
    let p = load(IN_PUBLICITY);
    assert_eq!(p.phase(), Phase::InPublicity);
    assert_eq!(
        p.state().period(),
        Some((date(2026, 8, 3), date(2026, 8, 7)))
    );
    assert!(p.seal_intact());
    // The promoted reserve unit took the removed unit's place.
    assert_eq!(codes(&p), ["230001", "110009", "230003"]);
    assert_eq!(p.changes().len(), 1);
    assert_eq!(p.changes()[0].removed, "230002");
    assert_eq!(p.changes()[0].promoted.as_deref(), Some("110009"));
    assert_eq!(p.changes()[0].objection, 1);
    let o = p.objections();
    assert_eq!(o.len(), 3);
    assert_eq!(
        o[0].resolution,
        Some(Resolution::Upheld {
            note: "材料造假属实".to_string()
        })
    );
    assert_eq!(o[2].code, "110009");
    assert_eq!(o[2].resolution, None);
    assert_eq!(p.status().open_objections, 1);
}

#[test]
fn an_old_confirmed_state_loads() {
    let p = load(CONFIRMED);
    assert_eq!(p.phase(), Phase::Confirmed);
    assert!(matches!(p.state(), State::Confirmed { on, .. } if *on == date(2026, 8, 10)));
    assert_eq!(codes(&p), ["230001", "110009", "230003"]);
    assert_eq!(p.status().confirmed_on, Some(date(2026, 8, 10)));
}

// What the old states mean under the new rules.

#[test]
fn old_states_have_no_seal_record_withdrawals_or_supplementary_periods() {
    for json in [PROPOSED, IN_PUBLICITY, CONFIRMED] {
        let p = load(json);
        assert_eq!(p.ranking_hash(), None);
        assert_eq!(p.incomplete(), None);
        assert!(p.withdrawals().is_empty());
        assert!(p.periods().iter().all(|q| matches!(q, Period::Main { .. })));
    }
    let p = load(IN_PUBLICITY);
    assert_eq!(
        p.periods(),
        [Period::Main {
            start: date(2026, 8, 3),
            end: date(2026, 8, 7)
        }]
    );
    assert_eq!(p.changes()[0].unit, None);
    assert_eq!(p.changes()[0].filled_by(), Some("110009"));
    assert_eq!(p.objections()[0].resolved_on, None);
    // The status line reads as it did.
    assert_eq!(
        p.status().text().en,
        "the publicity is in its publicity period (period 2026-08-03 to 2026-08-07); \
         3 units listed, 1 reserve units left; 3 objection(s) (1 open); 1 change(s) to the list"
    );
}

/// A unit promoted before supplementary publicity existed was published with the main period
/// and keeps it: objections against it are taken until the main period's end, as they were.
#[test]
fn an_old_promoted_unit_keeps_the_main_period() {
    let mut p = load(IN_PUBLICITY);
    assert_eq!(
        p.object("110009", date(2026, 8, 7), "王五", "数据不实"),
        Ok(4)
    );
    assert_eq!(
        p.object("110009", date(2026, 8, 10), "赵六", "数据不实"),
        Err(PublicityError::LateObjection {
            received_on: date(2026, 8, 10),
            end: date(2026, 8, 7)
        })
    );
    // The open objections are decided with the new step and the list is confirmed as before.
    for id in [3, 4] {
        let decided = p.resolve(
            id,
            Resolution::Rejected {
                note: "经核实，材料齐全".to_string(),
            },
            date(2026, 8, 10),
            &Calendar::default(),
            5,
            |_, _| -> Result<ListEntry, Text> { panic!("a rejection promotes nobody") },
        );
        assert_eq!(decided, Ok(None));
    }
    assert_eq!(p.confirm(date(2026, 8, 10)), Ok(()));
    let confirmed: Vec<String> = p
        .confirmed_list()
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(confirmed, ["230001", "110009", "230003"]);
}

#[test]
fn outcomes_of_an_old_confirmed_state() {
    let p = load(CONFIRMED);
    assert_eq!(p.outcome("230001"), Some(Outcome::Selected));
    assert_eq!(p.outcome("230002"), Some(Outcome::RemovedUpheld));
    assert_eq!(p.outcome("110009"), Some(Outcome::Promoted));
    assert_eq!(p.outcome("120009"), Some(Outcome::Reserve));
    assert_eq!(p.outcome("440001"), None);
    assert_eq!(load(DRAFT).outcome("230001"), None);
}

/// An old change with no promoted unit (the reserve was used up) is a place left unfilled: the
/// ministry may now fill it, and the unit gets its supplementary period.
#[test]
fn an_old_unfilled_place_can_be_filled_by_the_ministry() {
    let mut p = load(RESERVE_USED_UP);
    assert_eq!(codes(&p), ["110009"]);
    assert_eq!(p.status().unfilled, 1);
    assert_eq!(p.changes()[1].no_promotion, None);
    let unit = ListEntry {
        code: "120009".to_string(),
        province_key: "120000".to_string(),
        applicant: "天津市某区农业农村委".to_string(),
        type_id: "information_service".to_string(),
    };
    // Decided Friday 08-07: published Monday 08-10 to Friday 08-14.
    let period = p
        .promote(
            unit,
            "部里研究决定递补",
            date(2026, 8, 7),
            &Calendar::default(),
            5,
        )
        .unwrap();
    assert_eq!(
        (period.start, period.end),
        (date(2026, 8, 10), date(2026, 8, 14))
    );
    assert_eq!(period.objection, 2);
    assert_eq!(codes(&p), ["120009", "110009"]);
    assert_eq!(
        p.confirm(date(2026, 8, 10)),
        Err(PublicityError::SupplementaryNotOver {
            on: date(2026, 8, 10),
            code: "120009".to_string(),
            end: date(2026, 8, 14)
        })
    );
    assert_eq!(p.confirm(date(2026, 8, 17)), Ok(()));
}
