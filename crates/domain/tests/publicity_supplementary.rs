//! Supplementary publicity (补充公示) end to end: a unit promoted after an upheld objection is
//! published for the round's working days from the first working day after the decision, and the
//! list is confirmed only once every period has ended and every objection is decided.
//!
//! Dates are worked out by hand on a calendar built for the test: 2026-09-25 (Friday) and
//! 2026-10-01..07 are holidays, Saturday 2026-10-10 is an adjusted working day; the round
//! publishes for 7 working days.

use jiff::civil::{Date, date};
use shifan_domain::Text;
use shifan_domain::criteria::{Day, Holidays};
use shifan_domain::publicity::{
    Change, ListEntry, Outcome, Period, Publicity, PublicityError, Resolution, SealRecord,
    SupplementaryPeriod,
};
use shifan_domain::working_days::Calendar;

const WORKING_DAYS: u32 = 7;

fn calendar() -> Calendar {
    let day = |date, name: &str| Day {
        date,
        name: name.to_string(),
    };
    let mut holidays = vec![day(date(2026, 9, 25), "中秋节")];
    holidays.extend((1..=7).map(|d| day(date(2026, 10, d), "国庆节")));
    Calendar::new(&Holidays {
        holidays,
        workdays: vec![day(date(2026, 10, 10), "国庆节调休")],
    })
}

fn entry(code: &str, province: &str, applicant: &str, type_id: &str) -> ListEntry {
    ListEntry {
        code: code.to_string(),
        province_key: province.to_string(),
        applicant: applicant.to_string(),
        type_id: type_id.to_string(),
    }
}

/// A, B, C on the list; X and Y on the reserve.
fn a() -> ListEntry {
    entry("230001", "230000", "大庆市农委", "information_service")
}
fn b() -> ListEntry {
    entry(
        "230002",
        "230000",
        "宝清县农村合作经济经营管理总站",
        "network_construction",
    )
}
fn c() -> ListEntry {
    entry(
        "230003",
        "230000",
        "萝北县科学技术与信息产业局",
        "technology_application",
    )
}
fn x() -> ListEntry {
    entry(
        "110009",
        "110000",
        "北京市某区农业农村局",
        "information_service",
    )
}
fn y() -> ListEntry {
    entry(
        "120009",
        "120000",
        "天津市某区农业农村委",
        "information_service",
    )
}

fn codes(list: &[ListEntry]) -> Vec<String> {
    list.iter().map(|e| e.code.clone()).collect()
}

fn upheld() -> Resolution {
    Resolution::Upheld {
        note: "经核实，申报材料数据不实".to_string(),
    }
}

fn rejected() -> Resolution {
    Resolution::Rejected {
        note: "经核实，反映情况不属实".to_string(),
    }
}

/// Sealed Monday 09-14, published Tuesday 09-15: 15, 16, 17, 18, 21, 22, 23 → Wednesday 09-23.
fn published() -> Publicity {
    let mut p = Publicity::new();
    let record = SealRecord {
        ranking_hash: "9f3c".to_string(),
        incomplete: None,
    };
    assert!(
        p.propose(
            vec![a(), b(), c()],
            vec![x(), y()],
            date(2026, 9, 14),
            record
        )
        .is_ok()
    );
    assert_eq!(
        p.start(date(2026, 9, 15), &calendar(), WORKING_DAYS),
        Ok(date(2026, 9, 23))
    );
    p
}

fn reject(p: &mut Publicity, id: u32, on: Date) {
    let decided = p.resolve(id, rejected(), on, &calendar(), WORKING_DAYS, |_, _| {
        Err(Text::new("不应调用", "not to be called"))
    });
    assert_eq!(decided, Ok(None));
}

/// Objection #1 against A (received 09-16) upheld on Friday 09-18; the rule promotes X.
/// X is published from Monday 09-21: 21, 22, 23, 24, (25 holiday), 28, 29, 30 → Wednesday 09-30.
fn x_promoted() -> Publicity {
    let mut p = published();
    assert_eq!(
        p.object("230001", date(2026, 9, 16), "张三", "数据不实"),
        Ok(1)
    );
    let mut asked = None;
    let change = p.resolve(
        1,
        upheld(),
        date(2026, 9, 18),
        &calendar(),
        WORKING_DAYS,
        |list, removed| {
            asked = Some((codes(list), removed.to_vec()));
            Ok(x())
        },
    );
    assert_eq!(
        asked,
        Some((
            vec!["230002".to_string(), "230003".to_string()],
            vec!["230001".to_string()]
        ))
    );
    assert_eq!(
        change,
        Ok(Some(Change {
            removed: "230001".to_string(),
            promoted: Some("110009".to_string()),
            objection: 1,
            unit: Some(x()),
            no_promotion: None,
            ministry: None,
        }))
    );
    p
}

#[test]
fn a_promoted_unit_is_published_from_the_next_working_day_and_holds_confirmation() {
    let mut p = x_promoted();
    assert_eq!(codes(&p.current_list()), ["110009", "230002", "230003"]);
    assert_eq!(
        p.periods(),
        [
            Period::Main {
                start: date(2026, 9, 15),
                end: date(2026, 9, 23)
            },
            Period::Supplementary(SupplementaryPeriod {
                code: "110009".to_string(),
                objection: 1,
                start: date(2026, 9, 21),
                end: date(2026, 9, 30),
            }),
        ]
    );
    let status = p.status().text();
    assert!(
        status.en.starts_with(
            "the publicity is in its publicity period (period 2026-09-15 to 2026-09-23; \
             supplementary period for 110009: 2026-09-21 to 2026-09-30)"
        ),
        "{}",
        status.en
    );
    assert!(
        status
            .zh
            .starts_with("公示正在公示（公示期2026年9月15日至2026年9月23日；110009补充公示期2026年9月21日至2026年9月30日）"),
        "{}",
        status.zh
    );

    // Against X: before its period (the day it was promoted), after it, then within it.
    let before = p.object("110009", date(2026, 9, 18), "李四", "材料不全");
    assert_eq!(
        before,
        Err(PublicityError::ObjectionBeforeSupplementary {
            code: "110009".to_string(),
            received_on: date(2026, 9, 18),
            start: date(2026, 9, 21),
        })
    );
    let text = before.err().map(|e| e.text()).unwrap_or_default();
    assert!(
        text.en
            .contains("supplementary publicity period, which starts on 2026-09-21")
    );
    assert!(
        text.zh.contains("补充公示期开始日2026年9月21日"),
        "{}",
        text.zh
    );
    assert_eq!(
        p.object("110009", date(2026, 10, 1), "李四", "材料不全"),
        Err(PublicityError::LateForSupplementary {
            code: "110009".to_string(),
            received_on: date(2026, 10, 1),
            end: date(2026, 9, 30),
        })
    );
    assert_eq!(
        p.object("110009", date(2026, 9, 21), "李四", "材料不全"),
        Ok(2)
    );
    assert_eq!(
        p.object("110009", date(2026, 9, 30), "某合作社", "重复申报"),
        Ok(3)
    );
    // B was published in the main period, which is over; X's period does not reopen it.
    assert_eq!(
        p.object("230002", date(2026, 9, 24), "王五", "数据不实"),
        Err(PublicityError::LateObjection {
            received_on: date(2026, 9, 24),
            end: date(2026, 9, 23),
        })
    );

    // Confirmation waits for the main period, then X's, then the open objections.
    assert_eq!(
        p.confirm(date(2026, 9, 23)),
        Err(PublicityError::PeriodNotOver {
            on: date(2026, 9, 23),
            end: date(2026, 9, 23)
        })
    );
    for on in [date(2026, 9, 24), date(2026, 9, 30)] {
        let err = p.confirm(on);
        assert_eq!(
            err,
            Err(PublicityError::SupplementaryNotOver {
                on,
                code: "110009".to_string(),
                end: date(2026, 9, 30),
            })
        );
        let text = err.err().map(|e| e.text()).unwrap_or_default();
        assert!(text.en.contains("of unit 110009 runs until 2026-09-30"));
        assert!(text.zh.contains("单位110009的补充公示期至2026年9月30日"));
    }
    assert_eq!(
        p.confirm(date(2026, 10, 8)),
        Err(PublicityError::OpenObjections { ids: vec![2, 3] })
    );
    reject(&mut p, 2, date(2026, 10, 8));
    assert_eq!(
        p.confirm(date(2026, 10, 8)),
        Err(PublicityError::OpenObjections { ids: vec![3] })
    );
    reject(&mut p, 3, date(2026, 10, 8));
    assert_eq!(p.confirm(date(2026, 10, 8)), Ok(()));

    let confirmed = p.confirmed_list().map(|l| codes(&l));
    assert_eq!(
        confirmed,
        Some(vec![
            "110009".to_string(),
            "230002".to_string(),
            "230003".to_string()
        ])
    );
    assert_eq!(p.outcome("230001"), Some(Outcome::RemovedUpheld));
    assert_eq!(p.outcome("110009"), Some(Outcome::Promoted));
    assert_eq!(p.outcome("230002"), Some(Outcome::Selected));
    assert_eq!(p.outcome("120009"), Some(Outcome::Reserve));
    assert_eq!(p.outcome("440001"), None);
    let resolved: Vec<Option<Date>> = p.objections().iter().map(|o| o.resolved_on).collect();
    assert_eq!(
        resolved,
        [
            Some(date(2026, 9, 18)),
            Some(date(2026, 10, 8)),
            Some(date(2026, 10, 8))
        ]
    );
}

#[test]
fn a_promoted_unit_removed_in_turn_leads_to_another_promotion() {
    let mut p = x_promoted();
    assert_eq!(
        p.object("110009", date(2026, 9, 21), "李四", "材料不全"),
        Ok(2)
    );
    // Upheld on Tuesday 09-22; the rule gets X removed too and promotes Y, published from
    // Wednesday 09-23: 23, 24, (25 holiday), 28, 29, 30, (10-01..07 holidays), 10-08, 10-09.
    let mut asked = None;
    let change = p.resolve(
        2,
        upheld(),
        date(2026, 9, 22),
        &calendar(),
        WORKING_DAYS,
        |list, removed| {
            asked = Some((codes(list), removed.to_vec()));
            Ok(y())
        },
    );
    assert_eq!(
        asked,
        Some((
            vec!["230002".to_string(), "230003".to_string()],
            vec!["230001".to_string(), "110009".to_string()]
        ))
    );
    assert_eq!(
        change.ok().flatten().and_then(|c| c.promoted),
        Some("120009".to_string())
    );
    assert_eq!(codes(&p.current_list()), ["120009", "230002", "230003"]);
    assert_eq!(
        p.periods().last(),
        Some(&Period::Supplementary(SupplementaryPeriod {
            code: "120009".to_string(),
            objection: 2,
            start: date(2026, 9, 23),
            end: date(2026, 10, 9),
        }))
    );
    assert_eq!(p.periods().len(), 3);

    assert_eq!(
        p.object("110009", date(2026, 9, 22), "王五", "数据不实"),
        Err(PublicityError::NotOnList {
            code: "110009".to_string()
        })
    );
    assert_eq!(
        p.object("120009", date(2026, 9, 22), "王五", "数据不实"),
        Err(PublicityError::ObjectionBeforeSupplementary {
            code: "120009".to_string(),
            received_on: date(2026, 9, 22),
            start: date(2026, 9, 23),
        })
    );
    assert_eq!(
        p.object("120009", date(2026, 10, 9), "王五", "数据不实"),
        Ok(3)
    );
    // The adjusted Saturday is a working day, but after the period's last day.
    assert_eq!(
        p.object("120009", date(2026, 10, 10), "赵六", "数据不实"),
        Err(PublicityError::LateForSupplementary {
            code: "120009".to_string(),
            received_on: date(2026, 10, 10),
            end: date(2026, 10, 9),
        })
    );

    // X's period ended on 09-30; Y's runs to 10-09 and is the one named.
    assert_eq!(
        p.confirm(date(2026, 10, 9)),
        Err(PublicityError::SupplementaryNotOver {
            on: date(2026, 10, 9),
            code: "120009".to_string(),
            end: date(2026, 10, 9),
        })
    );
    assert_eq!(
        p.confirm(date(2026, 10, 12)),
        Err(PublicityError::OpenObjections { ids: vec![3] })
    );
    reject(&mut p, 3, date(2026, 10, 12));
    assert_eq!(p.confirm(date(2026, 10, 12)), Ok(()));
    assert_eq!(p.outcome("230001"), Some(Outcome::RemovedUpheld));
    assert_eq!(p.outcome("110009"), Some(Outcome::RemovedUpheld));
    assert_eq!(p.outcome("120009"), Some(Outcome::Promoted));
    assert_eq!(p.status().reserve_left, 0);
}

#[test]
fn an_objection_upheld_against_an_already_removed_unit_changes_nothing() {
    let mut p = published();
    assert_eq!(
        p.object("230001", date(2026, 9, 16), "张三", "数据不实"),
        Ok(1)
    );
    assert_eq!(
        p.object("230001", date(2026, 9, 17), "李四", "重复申报"),
        Ok(2)
    );
    assert!(
        p.resolve(
            1,
            upheld(),
            date(2026, 9, 18),
            &calendar(),
            WORKING_DAYS,
            |_, _| Ok(x())
        )
        .is_ok()
    );
    let second = p.resolve(
        2,
        upheld(),
        date(2026, 9, 18),
        &calendar(),
        WORKING_DAYS,
        |_, _| -> Result<ListEntry, Text> { panic!("nothing to replace") },
    );
    assert_eq!(second, Ok(None));
    assert_eq!(p.changes().len(), 1);
    assert_eq!(p.periods().len(), 2);
}

#[test]
fn periods_serialize_with_their_kind() {
    let p = x_promoted();
    let json = serde_json::to_string(&p.periods()).unwrap();
    assert_eq!(
        json,
        r#"[{"kind":"main","start":"2026-09-15","end":"2026-09-23"},{"kind":"supplementary","code":"110009","objection":1,"start":"2026-09-21","end":"2026-09-30"}]"#
    );
    let back: Vec<Period> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p.periods());
    let stored: Publicity = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(stored, p);
}
