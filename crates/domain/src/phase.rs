//! The round's phases as one state machine: applications → review → sealed (proposed list) →
//! publicity → confirmed, and which step may run in which phase.
//!
//! Once a list is sealed, nothing that feeds the ranking may change (scores, opinions,
//! submissions, reopenings, recusals, swaps, assignments, imports): the list the ministry
//! publishes is the list the scores earned. Before publicity starts the ministry may withdraw the
//! sealed list, which takes the round back to review.

use serde::Serialize;

use super::finding::Text;

/// Where the round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Dossiers are being received; no expert assigned yet.
    Applications,
    /// Experts assigned and scoring; no list sealed.
    Review,
    /// A list is proposed and sealed, not yet published.
    Sealed,
    /// The sealed list is published: objections are received and decided.
    Publicity,
    /// The list is final.
    Confirmed,
}

impl Phase {
    /// The phase of a round from what it holds: the publicity's stage and whether any expert
    /// was ever assigned.
    pub fn of(publicity: super::publicity::Phase, assigned: bool) -> Phase {
        use super::publicity::Phase as P;
        match publicity {
            P::Confirmed => Phase::Confirmed,
            P::InPublicity => Phase::Publicity,
            P::Proposed => Phase::Sealed,
            P::Draft if assigned => Phase::Review,
            P::Draft => Phase::Applications,
        }
    }

    /// The phase's name.
    pub fn text(self) -> Text {
        match self {
            Phase::Applications => Text::new("申报", "applications"),
            Phase::Review => Text::new("评审", "review"),
            Phase::Sealed => Text::new("名单已封存", "list sealed"),
            Phase::Publicity => Text::new("公示", "publicity"),
            Phase::Confirmed => Text::new("已认定", "confirmed"),
        }
    }

    /// Whether the inputs of the ranking are frozen (a list is sealed or further on).
    pub fn frozen(self) -> bool {
        self >= Phase::Sealed
    }
}

/// A step of the round, as the phase rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Store a province's first batch.
    Import,
    /// Replace a province's stored batch with a new one.
    Replace,
    Assign,
    Swap,
    Recuse,
    Score,
    Opinion,
    Submit,
    Reopen,
    /// Record the ministry's order for dossiers the published tie-break chain left tied.
    DecideTie,
    /// Record the panel meeting's (会评) vote on a dossier.
    PanelVote,
    /// Issue a remote scoring package (函评) to an expert.
    IssuePackage,
    /// Take back a remote scoring package's sheets.
    ReturnPackage,
    Propose,
    Withdraw,
    StartPublicity,
    Object,
    Resolve,
    /// Put a unit of the ministry's choice on the list after an upheld objection left a place
    /// that no single unit could fill within the limits.
    Promote,
    Confirm,
    /// Change the round's criteria (a restricted change after review has started).
    UpdateCriteria,
}

impl Step {
    /// The step as a verb phrase.
    pub fn text(self) -> Text {
        match self {
            Step::Import => Text::new("导入申报材料", "import dossiers"),
            Step::Replace => Text::new("替换已导入的批次", "replace a stored batch"),
            Step::Assign => Text::new("分配专家", "assign experts"),
            Step::Swap => Text::new("调换专家", "swap an expert"),
            Step::Recuse => Text::new("申请回避", "recuse"),
            Step::Score => Text::new("评分", "score"),
            Step::Opinion => Text::new("填写评审意见", "write an opinion"),
            Step::Submit => Text::new("提交评分表", "submit a sheet"),
            Step::Reopen => Text::new("退回评分表", "reopen a sheet"),
            Step::DecideTie => Text::new("决定并列名次", "decide a tie"),
            Step::PanelVote => Text::new("记录会评表决", "record a panel vote"),
            Step::IssuePackage => Text::new("下发函评评分包", "issue a scoring package"),
            Step::ReturnPackage => Text::new("导入函评评分包", "import a scoring package"),
            Step::Propose => Text::new("提出并封存拟认定名单", "propose and seal the list"),
            Step::Withdraw => Text::new("撤回封存的名单", "withdraw the sealed list"),
            Step::StartPublicity => Text::new("开始公示", "start the publicity"),
            Step::Object => Text::new("登记异议", "register an objection"),
            Step::Resolve => Text::new("处理异议", "resolve an objection"),
            Step::Promote => Text::new("递补单位", "promote a unit"),
            Step::Confirm => Text::new("确认名单", "confirm the list"),
            Step::UpdateCriteria => Text::new("更新评选设置", "update the criteria"),
        }
    }

    /// The phases in which the step may run.
    pub fn phases(self) -> &'static [Phase] {
        use Phase::*;
        match self {
            Step::Import | Step::Replace | Step::Assign | Step::DecideTie => {
                &[Applications, Review]
            }
            Step::Swap
            | Step::Recuse
            | Step::Score
            | Step::Opinion
            | Step::Submit
            | Step::Reopen
            | Step::PanelVote
            | Step::IssuePackage
            | Step::ReturnPackage
            | Step::Propose => &[Review],
            Step::Withdraw | Step::StartPublicity => &[Sealed],
            Step::Object | Step::Resolve | Step::Promote => &[Publicity],
            Step::Confirm => &[Publicity],
            Step::UpdateCriteria => &[Applications, Review, Sealed, Publicity, Confirmed],
        }
    }
}

/// A step refused because of the phase: names the phase and says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseRefusal {
    pub step: Step,
    pub phase: Phase,
}

impl PhaseRefusal {
    /// What to do instead, for this step in this phase.
    fn instead(&self) -> Text {
        use Phase as P;
        use Step as S;
        match (self.step, self.phase) {
            (_, P::Sealed) if self.step.feeds_ranking() => Text::new(
                "名单封存后评审结果不再变动；如确需修改，请部里先撤回封存的名单（shifan publicity withdraw --reason 理由）",
                "the review is frozen once the list is sealed; if it must change, ministry staff first withdraw the sealed list (shifan publicity withdraw --reason R)",
            ),
            (_, P::Publicity) if self.step.feeds_ranking() => Text::new(
                "公示期间名单只能因异议成立而变更（shifan publicity object / resolve）",
                "during publicity the list changes only through an upheld objection (shifan publicity object / resolve)",
            ),
            (_, P::Confirmed) if self.step.feeds_ranking() => Text::new(
                "名单已经认定，本轮评审结果不再变动",
                "the list is confirmed: this round's review no longer changes",
            ),
            (
                S::Swap
                | S::Recuse
                | S::Score
                | S::Opinion
                | S::Submit
                | S::Reopen
                | S::IssuePackage
                | S::ReturnPackage,
                P::Applications,
            ) => Text::new(
                "尚未分配专家：请部里先分配（shifan assign）",
                "no experts are assigned yet: ministry staff assign them first (shifan assign)",
            ),
            (S::Propose, P::Applications) => Text::new(
                "请先分配专家并完成评审（shifan assign）",
                "assign the experts and finish the review first (shifan assign)",
            ),
            (S::Propose, P::Sealed) => Text::new(
                "名单已经封存；如需重新封存，请先撤回（shifan publicity withdraw --reason 理由）",
                "a list is already sealed; to seal another, withdraw it first (shifan publicity withdraw --reason R)",
            ),
            (S::Propose | S::Withdraw, P::Publicity) => Text::new(
                "公示已经开始，名单只能因异议成立而变更",
                "the publicity has started: the list changes only through an upheld objection",
            ),
            (S::Propose | S::Withdraw | S::StartPublicity, P::Confirmed) => {
                Text::new("名单已经认定", "the list is already confirmed")
            }
            (S::Withdraw | S::StartPublicity, P::Applications | P::Review) => Text::new(
                "尚未封存名单：请先提出并封存（shifan publicity propose）",
                "no list is sealed: propose and seal it first (shifan publicity propose)",
            ),
            (S::StartPublicity, P::Publicity) => {
                Text::new("公示已经开始", "the publicity has already started")
            }
            (S::Object | S::Resolve | S::Promote | S::Confirm, P::Applications | P::Review) => {
                Text::new(
                    "请先提出名单并开始公示",
                    "propose the list and start the publicity first",
                )
            }
            (S::Object | S::Resolve | S::Promote | S::Confirm, P::Sealed) => Text::new(
                "请先开始公示（shifan publicity start）",
                "start the publicity first (shifan publicity start)",
            ),
            (S::Object | S::Resolve | S::Promote, P::Confirmed) => Text::new(
                "名单认定后不再受理或处理异议",
                "objections are closed once the list is confirmed",
            ),
            (S::Confirm, P::Confirmed) => {
                Text::new("名单已经认定", "the list is already confirmed")
            }
            _ => Text::new(
                "此阶段不能进行该操作",
                "this step is not allowed in this phase",
            ),
        }
    }

    /// The refusal in both languages.
    pub fn text(&self) -> Text {
        let (s, p, i) = (self.step.text(), self.phase.text(), self.instead());
        Text::new(
            format!("当前阶段为「{}」，不能{}：{}", p.zh, s.zh, i.zh),
            format!("cannot {} in the {} phase: {}", s.en, p.en, i.en),
        )
    }
}

impl Step {
    /// Whether the step changes what the ranking is computed from.
    pub fn feeds_ranking(self) -> bool {
        matches!(
            self,
            Step::Import
                | Step::Replace
                | Step::Assign
                | Step::Swap
                | Step::Recuse
                | Step::Score
                | Step::Opinion
                | Step::Submit
                | Step::Reopen
                | Step::DecideTie
                | Step::PanelVote
                | Step::ReturnPackage
        )
    }
}

/// May `step` run in `phase`?
pub fn permit(step: Step, phase: Phase) -> Result<(), PhaseRefusal> {
    if step.phases().contains(&phase) {
        Ok(())
    } else {
        Err(PhaseRefusal { step, phase })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_PHASES: [Phase; 5] = [
        Phase::Applications,
        Phase::Review,
        Phase::Sealed,
        Phase::Publicity,
        Phase::Confirmed,
    ];

    #[test]
    fn nothing_that_feeds_the_ranking_runs_once_sealed() {
        for step in [
            Step::Import,
            Step::Replace,
            Step::Assign,
            Step::Swap,
            Step::Recuse,
            Step::Score,
            Step::Opinion,
            Step::Submit,
            Step::Reopen,
            Step::DecideTie,
        ] {
            for phase in [Phase::Sealed, Phase::Publicity, Phase::Confirmed] {
                let r = permit(step, phase).unwrap_err();
                let t = r.text();
                assert!(t.zh.contains(&phase.text().zh), "{t:?}");
                assert!(t.en.contains(&phase.text().en), "{t:?}");
            }
        }
        // Scoring in a sealed round says how to go back.
        let t = permit(Step::Score, Phase::Sealed).unwrap_err().text();
        assert!(t.en.contains("publicity withdraw"), "{}", t.en);
        assert!(t.zh.contains("撤回"), "{}", t.zh);
    }

    #[test]
    fn each_publicity_step_has_its_one_phase() {
        let allowed = |s: Step| -> Vec<Phase> {
            ALL_PHASES
                .iter()
                .copied()
                .filter(|p| permit(s, *p).is_ok())
                .collect()
        };
        assert_eq!(allowed(Step::Propose), vec![Phase::Review]);
        assert_eq!(allowed(Step::Withdraw), vec![Phase::Sealed]);
        assert_eq!(allowed(Step::StartPublicity), vec![Phase::Sealed]);
        assert_eq!(allowed(Step::Object), vec![Phase::Publicity]);
        assert_eq!(allowed(Step::Confirm), vec![Phase::Publicity]);
        assert_eq!(
            allowed(Step::Import),
            vec![Phase::Applications, Phase::Review]
        );
        assert_eq!(allowed(Step::UpdateCriteria).len(), 5);
    }

    #[test]
    fn the_phase_follows_the_publicity_and_the_assignment() {
        use crate::publicity::Phase as P;
        assert_eq!(Phase::of(P::Draft, false), Phase::Applications);
        assert_eq!(Phase::of(P::Draft, true), Phase::Review);
        assert_eq!(Phase::of(P::Proposed, true), Phase::Sealed);
        assert_eq!(Phase::of(P::InPublicity, true), Phase::Publicity);
        assert_eq!(Phase::of(P::Confirmed, true), Phase::Confirmed);
        assert!(Phase::Sealed.frozen() && !Phase::Review.frozen());
    }

    #[test]
    fn every_refusal_reads_in_both_languages() {
        for phase in ALL_PHASES {
            for step in [
                Step::Import,
                Step::Score,
                Step::Propose,
                Step::Withdraw,
                Step::StartPublicity,
                Step::Object,
                Step::Confirm,
            ] {
                if let Err(r) = permit(step, phase) {
                    let t = r.text();
                    assert!(!t.zh.is_empty() && !t.en.is_empty());
                    assert!(!t.zh.contains("cannot"), "{}", t.zh);
                }
            }
        }
    }
}
