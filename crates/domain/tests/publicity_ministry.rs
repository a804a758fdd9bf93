//! When the promoting rule finds no single unit that restores the round's limits, the change is
//! recorded without a unit and with the rule's reason, and the ministry decides: it may put a
//! unit of its choice in the place (`promote`), which is then published on its own.
//!
//! Calendar built for the test: 2026-10-01..07 are holidays, Saturday 2026-10-10 is an adjusted
//! working day; the round publishes for 7 working days.

use jiff::civil::date;
use shifan_domain::Text;
use shifan_domain::criteria::{Day, Holidays};
use shifan_domain::publicity::{
    ListEntry, MinistryPromotion, Outcome, Phase, Publicity, PublicityError, Reason, Resolution,
    SealRecord, Step,
};
use shifan_domain::working_days::Calendar;

const WORKING_DAYS: u32 = 7;

fn calendar() -> Calendar {
    let day = |date, name: &str| Day {
        date,
        name: name.to_string(),
    };
    Calendar::new(&Holidays {
        holidays: (1..=7).map(|d| day(date(2026, 10, d), "国庆节")).collect(),
        workdays: vec![day(date(2026, 10, 10), "国庆节调休")],
    })
}

fn entry(code: &str, province: &str, type_id: &str) -> ListEntry {
    ListEntry {
        code: code.to_string(),
        province_key: province.to_string(),
        applicant: format!("申报单位{code}"),
        type_id: type_id.to_string(),
    }
}

fn list() -> Vec<ListEntry> {
    vec![
        entry("230001", "230000", "overall_advancement"),
        entry("230002", "230000", "network_construction"),
        entry("230003", "230000", "information_service"),
    ]
}

/// The ministry's choice: a unit of another province, not on the reserve.
fn chosen() -> ListEntry {
    entry("350007", "350000", "overall_advancement")
}

fn no_single_unit() -> Text {
    Text::new(
        "没有单个单位能使整体推进型不低于下限且各省不超过上限",
        "no single unit keeps overall advancement at its minimum with every province within its cap",
    )
}

/// Sealed Monday 09-14, published 09-15 to 09-23 (7 working days); objection #1 against
/// 230001 upheld on Wednesday 09-16 with no unit to promote.
fn place_left_unfilled() -> Publicity {
    let mut p = Publicity::new();
    let record = SealRecord {
        ranking_hash: "9f3c".to_string(),
        incomplete: None,
    };
    let reserve = vec![entry("110009", "110000", "information_service")];
    assert!(
        p.propose(list(), reserve, date(2026, 9, 14), record)
            .is_ok()
    );
    assert_eq!(
        p.start(date(2026, 9, 15), &calendar(), WORKING_DAYS),
        Ok(date(2026, 9, 23))
    );
    // The ministry cannot promote while no place is unfilled.
    assert_eq!(
        p.promote(
            chosen(),
            "部里研究决定",
            date(2026, 9, 15),
            &calendar(),
            WORKING_DAYS
        ),
        Err(PublicityError::NoUnfilledPlace)
    );
    assert_eq!(
        p.object("230001", date(2026, 9, 15), "张三", "数据不实"),
        Ok(1)
    );
    let change = p.resolve(
        1,
        Resolution::Upheld {
            note: "数据不实属实".to_string(),
        },
        date(2026, 9, 16),
        &calendar(),
        WORKING_DAYS,
        |_, _| Err(no_single_unit()),
    );
    let change = change.unwrap().unwrap();
    assert_eq!(change.promoted, None);
    assert_eq!(change.unit, None);
    assert_eq!(change.no_promotion, Some(Reason::from(no_single_unit())));
    assert!(change.is_unfilled());
    p
}

#[test]
fn no_promotion_possible_records_the_reason_and_shortens_the_list() {
    let p = place_left_unfilled();
    let current: Vec<String> = p.current_list().into_iter().map(|e| e.code).collect();
    assert_eq!(current, ["230002", "230003"]);
    // No unit was published, so no supplementary period.
    assert_eq!(p.periods().len(), 1);
    let status = p.status();
    assert_eq!(status.unfilled, 1);
    assert_eq!(status.reserve_left, 1);
    assert!(status.text().zh.ends_with("；1个名额空缺，待部里决定递补"));
    assert_eq!(
        p.changes()[0].no_promotion.as_ref().map(Reason::text),
        Some(no_single_unit())
    );
}

#[test]
fn the_ministry_fills_the_place_and_the_unit_gets_its_own_period() {
    let mut p = place_left_unfilled();
    let cal = calendar();
    let reason = "部长办公会研究决定递补";
    let promote = |p: &mut Publicity, unit: ListEntry, reason: &str, on| {
        p.promote(unit, reason, on, &cal, WORKING_DAYS)
    };
    assert_eq!(
        promote(&mut p, chosen(), "  ", date(2026, 9, 24)),
        Err(PublicityError::EmptyPromotionReason)
    );
    assert_eq!(
        promote(&mut p, list()[1].clone(), reason, date(2026, 9, 24)),
        Err(PublicityError::PromotedAlreadyListed {
            code: "230002".to_string()
        })
    );
    assert_eq!(
        promote(&mut p, list()[0].clone(), reason, date(2026, 9, 24)),
        Err(PublicityError::PromotedWasRemoved {
            code: "230001".to_string()
        })
    );
    assert_eq!(
        promote(&mut p, chosen(), reason, date(2026, 9, 15)),
        Err(PublicityError::PromotionBeforeDecision {
            on: date(2026, 9, 15),
            objection: 1,
            resolved_on: date(2026, 9, 16),
        })
    );
    assert_eq!(
        promote(
            &mut p,
            entry(" ", "350000", "overall_advancement"),
            reason,
            date(2026, 9, 24)
        ),
        Err(PublicityError::EmptyCode {
            applicant: "申报单位 ".to_string()
        })
    );
    assert_eq!(p.status().unfilled, 1);

    // Decided Thursday 09-24: published from Friday 09-25: 25, 28, 29, 30, (10-01..07
    // holidays), 10-08, 10-09, 10-10 (adjusted Saturday) → Saturday 10-10.
    let period = promote(&mut p, chosen(), &format!(" {reason} "), date(2026, 9, 24)).unwrap();
    assert_eq!(period.code, "350007");
    assert_eq!(period.objection, 1);
    assert_eq!(
        (period.start, period.end),
        (date(2026, 9, 25), date(2026, 10, 10))
    );
    assert_eq!(p.periods().len(), 2);
    // The chosen unit takes the removed unit's place.
    let current: Vec<String> = p.current_list().into_iter().map(|e| e.code).collect();
    assert_eq!(current, ["350007", "230002", "230003"]);
    let change = &p.changes()[0];
    assert_eq!(
        change.ministry,
        Some(MinistryPromotion {
            unit: chosen(),
            reason: reason.to_string(),
            on: date(2026, 9, 24),
        })
    );
    // The rule's reason stays on record beside the ministry's decision.
    assert_eq!(change.no_promotion, Some(Reason::from(no_single_unit())));
    assert_eq!(change.filled_by(), Some("350007"));
    assert_eq!(p.status().unfilled, 0);
    assert_eq!(
        promote(
            &mut p,
            entry("350008", "350000", "overall_advancement"),
            reason,
            date(2026, 9, 24)
        ),
        Err(PublicityError::NoUnfilledPlace)
    );

    // Objections against the chosen unit: within its own period only.
    assert_eq!(
        p.object("350007", date(2026, 9, 24), "李四", "材料不全"),
        Err(PublicityError::ObjectionBeforeSupplementary {
            code: "350007".to_string(),
            received_on: date(2026, 9, 24),
            start: date(2026, 9, 25),
        })
    );
    assert_eq!(
        p.object("350007", date(2026, 10, 10), "李四", "材料不全"),
        Ok(2)
    );
    assert_eq!(
        p.object("350007", date(2026, 10, 11), "王五", "材料不全"),
        Err(PublicityError::LateForSupplementary {
            code: "350007".to_string(),
            received_on: date(2026, 10, 11),
            end: date(2026, 10, 10),
        })
    );
    let decided = p.resolve(
        2,
        Resolution::Rejected {
            note: "经核实，材料齐全".to_string(),
        },
        date(2026, 10, 12),
        &cal,
        WORKING_DAYS,
        |_, _| Err(Text::new("不应调用", "not to be called")),
    );
    assert_eq!(decided, Ok(None));
    assert_eq!(
        p.confirm(date(2026, 10, 10)),
        Err(PublicityError::SupplementaryNotOver {
            on: date(2026, 10, 10),
            code: "350007".to_string(),
            end: date(2026, 10, 10),
        })
    );
    assert_eq!(p.confirm(date(2026, 10, 12)), Ok(()));
    assert_eq!(p.outcome("350007"), Some(Outcome::Promoted));
    assert_eq!(p.outcome("230001"), Some(Outcome::RemovedUpheld));
    assert_eq!(p.outcome("110009"), Some(Outcome::Reserve));
}

#[test]
fn the_ministry_promotes_only_in_publicity() {
    let mut p = Publicity::new();
    let refused = p.promote(
        chosen(),
        "部里研究决定",
        date(2026, 9, 24),
        &calendar(),
        WORKING_DAYS,
    );
    assert_eq!(
        refused,
        Err(PublicityError::OutOfOrder {
            step: Step::Promote,
            phase: Phase::Draft
        })
    );
    assert_eq!(
        refused.err().map(|e| e.text().en).unwrap_or_default(),
        "cannot promote a unit while the publicity is a draft (no list proposed yet): \
         propose the list and start the publicity period first"
    );
}

#[test]
fn a_list_may_be_confirmed_with_a_place_left_unfilled() {
    // The ministry may decide to leave the place: the status says so until then.
    let mut p = place_left_unfilled();
    assert_eq!(p.confirm(date(2026, 9, 24)), Ok(()));
    assert_eq!(p.confirmed_list().map(|l| l.len()), Some(2));
    assert!(
        p.status()
            .text()
            .en
            .ends_with("; 1 place(s) unfilled, for the ministry to decide")
    );
}
