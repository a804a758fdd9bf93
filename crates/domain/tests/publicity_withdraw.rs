//! Withdrawing a sealed list before publicity, and what a seal records (the ranking it came
//! from; an acceptance of open score sheets).

use jiff::civil::date;
use shifan_domain::publicity::{
    Incomplete, ListEntry, Outcome, Phase, Publicity, PublicityError, SealRecord, State, Step,
    Withdrawal, seal,
};
use shifan_domain::working_days::Calendar;

fn entry(code: &str) -> ListEntry {
    ListEntry {
        code: code.to_string(),
        province_key: format!("{}0000", &code[..2]),
        applicant: format!("申报单位{code}"),
        type_id: "information_service".to_string(),
    }
}

fn first_list() -> Vec<ListEntry> {
    vec![entry("230001"), entry("230002"), entry("110001")]
}

fn incomplete_record() -> SealRecord {
    SealRecord {
        ranking_hash: "r1".to_string(),
        incomplete: Some(Incomplete {
            open_sheets: 3,
            reason: "三位专家因病无法评分，部里决定按已提交评分表排名".to_string(),
        }),
    }
}

fn out_of_order(step: Step, phase: Phase) -> PublicityError {
    PublicityError::OutOfOrder { step, phase }
}

#[test]
fn the_seal_records_the_ranking_and_the_incomplete_acceptance() {
    let mut p = Publicity::new();
    assert!(
        p.propose(
            first_list(),
            vec![entry("120001")],
            date(2026, 7, 31),
            incomplete_record()
        )
        .is_ok()
    );
    assert_eq!(p.ranking_hash(), Some("r1"));
    assert_eq!(
        p.incomplete().map(|i| i.open_sheets),
        Some(3),
        "the open sheets are kept"
    );
    let status = p.status();
    assert_eq!(status.incomplete, p.incomplete().cloned());
    assert_eq!(
        status.text().en,
        "the publicity has a sealed list that is not yet published; sealed with 3 score sheet(s) \
         still open, accepted because: 三位专家因病无法评分，部里决定按已提交评分表排名; \
         3 units listed, 1 reserve units left; 0 objection(s) (0 open); 0 change(s) to the list"
    );
    assert!(
        status
            .text()
            .zh
            .contains("；封存时尚有3份评分表未提交，部里接受的理由：三位专家因病无法评分")
    );
    // The record survives publication and confirmation.
    assert!(p.start(date(2026, 8, 3), &Calendar::default(), 5).is_ok());
    assert_eq!(p.confirm(date(2026, 8, 10)), Ok(()));
    assert_eq!(p.ranking_hash(), Some("r1"));
    assert!(p.incomplete().is_some());
    assert!(
        p.status()
            .text()
            .en
            .contains("sealed with 3 score sheet(s) still open")
    );
}

#[test]
fn a_complete_seal_says_nothing_about_open_sheets() {
    let mut p = Publicity::new();
    let record = SealRecord {
        ranking_hash: "r1".to_string(),
        incomplete: None,
    };
    assert!(
        p.propose(first_list(), vec![], date(2026, 7, 31), record)
            .is_ok()
    );
    assert_eq!(p.incomplete(), None);
    assert!(!p.status().text().en.contains("score sheet"));
}

#[test]
fn withdraw_then_propose_anew() {
    let mut p = Publicity::new();
    assert_eq!(
        p.withdraw("名单有误", date(2026, 7, 31)),
        Err(out_of_order(Step::Withdraw, Phase::Draft))
    );
    let first_hash = p
        .propose(
            first_list(),
            vec![entry("120001")],
            date(2026, 7, 31),
            incomplete_record(),
        )
        .unwrap();
    assert_eq!(
        p.withdraw(" ", date(2026, 8, 3)),
        Err(PublicityError::EmptyWithdrawalReason)
    );
    assert_eq!(
        p.withdraw("名单有误", date(2026, 7, 30)),
        Err(PublicityError::WithdrawBeforeProposal {
            on: date(2026, 7, 30),
            proposed_at: date(2026, 7, 31)
        })
    );
    assert_eq!(p.phase(), Phase::Proposed);

    let withdrawal = Withdrawal {
        list_hash: first_hash.clone(),
        proposed_at: date(2026, 7, 31),
        withdrawn_on: date(2026, 8, 3),
        reason: "评分表补交后重新排名".to_string(),
        ranking_hash: Some("r1".to_string()),
    };
    assert_eq!(
        p.withdraw(" 评分表补交后重新排名 ", date(2026, 8, 3)),
        Ok(withdrawal.clone())
    );
    // Back to draft, with nothing of the withdrawn seal left but its record.
    assert_eq!(p.state(), &State::Draft);
    assert!(p.proposed_list().is_empty());
    assert!(p.reserve().is_empty());
    assert_eq!(p.list_hash(), None);
    assert_eq!(p.ranking_hash(), None);
    assert_eq!(p.incomplete(), None);
    assert_eq!(p.outcome("230001"), None);
    assert_eq!(p.withdrawals(), std::slice::from_ref(&withdrawal));
    assert_eq!(
        p.status().text().en,
        "the publicity is a draft (no list proposed yet); 1 sealed list(s) withdrawn before"
    );
    assert_eq!(
        p.start(date(2026, 8, 4), &Calendar::default(), 5),
        Err(out_of_order(Step::Start, Phase::Draft))
    );

    // A later proposal seals anew, from the new ranking.
    let second_list = vec![entry("230001"), entry("120001"), entry("110001")];
    let second = SealRecord {
        ranking_hash: "r2".to_string(),
        incomplete: None,
    };
    assert_eq!(
        p.propose(
            second_list.clone(),
            vec![entry("230002")],
            date(2026, 8, 4),
            second
        ),
        Ok(seal(&second_list))
    );
    assert_ne!(p.list_hash(), Some(first_hash.as_str()));
    assert_eq!(p.ranking_hash(), Some("r2"));
    assert_eq!(p.incomplete(), None);
    assert_eq!(p.withdrawals(), [withdrawal]);
    assert_eq!(p.outcome("230002"), Some(Outcome::Reserve));

    // Once published, the list is no longer withdrawn.
    assert_eq!(
        p.start(date(2026, 8, 5), &Calendar::default(), 5),
        Ok(date(2026, 8, 11))
    );
    let refused = p.withdraw("重新遴选", date(2026, 8, 6));
    assert_eq!(
        refused,
        Err(out_of_order(Step::Withdraw, Phase::InPublicity))
    );
    assert_eq!(
        refused.err().map(|e| e.text().zh).unwrap_or_default(),
        "公示正在公示，不能撤回已封存的名单：已公示的名单不能撤回，只能因异议成立而变更"
    );

    // The history is stored with the state.
    let json = serde_json::to_string(&p).unwrap();
    let back: Publicity = serde_json::from_str(&json).unwrap();
    assert_eq!(back.withdrawals(), p.withdrawals());
    assert_eq!(back, p);
}

#[test]
fn a_sealed_list_is_replaced_only_through_a_withdrawal() {
    let mut p = Publicity::new();
    let record = || SealRecord {
        ranking_hash: "r1".to_string(),
        incomplete: None,
    };
    assert!(
        p.propose(first_list(), vec![], date(2026, 7, 31), record())
            .is_ok()
    );
    let refused = p.propose(first_list(), vec![], date(2026, 8, 1), record());
    assert_eq!(refused, Err(out_of_order(Step::Propose, Phase::Proposed)));
    assert_eq!(
        refused.err().map(|e| e.text().zh).unwrap_or_default(),
        "公示名单已封存但尚未开始公示，不能提出拟认定名单：如需重新提出，请先撤回已封存的名单并写明理由"
    );
    assert!(p.withdrawals().is_empty());
}
