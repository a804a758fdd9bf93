//! Refusals: a step the rules do not allow, with what stands in the way and what to do, in both
//! interface languages. Every store step that says no says it with one of these (or with a
//! [`crate::access::Denied`], a [`crate::phase::PhaseRefusal`] or a
//! [`crate::publicity::PublicityError`]), so no English-only text reaches the Chinese interface.

use jiff::civil::Date;
use serde::Serialize;

use super::finding::Text;
use super::phase::{PhaseRefusal, Step};

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// The phase does not allow the step.
    Phase(PhaseRefusal),
    /// A step that is recorded with its reasons was given none.
    ReasonRequired {
        step: Step,
    },
    /// A date after today (`--on`): a step may record a past date, never a future one.
    FutureDate {
        on: Date,
        today: Date,
    },
    /// No dossiers are stored.
    NoDossiers,
    /// No experts in the roster.
    NoExperts,
    FirstAccountMustBeMinistry,
    /// An account needs a name and a password.
    EmptyNameOrPassword,
    AccountExists {
        name: String,
    },
    NoAccount {
        name: String,
    },
    /// Only experts score, and only on their own sheets.
    NotAnExpert {
        user: String,
    },
    UnknownDossier {
        code: String,
    },
    UnknownExpert {
        id: String,
    },
    NotAssigned {
        dossier: String,
        expert: String,
    },
    AlreadyAssigned {
        dossier: String,
        expert: String,
    },
    /// The sheet is submitted and locked.
    SheetLocked {
        dossier: String,
        at: String,
    },
    /// The expert to swap out has submitted; the sheet must be reopened first.
    SwapSubmitted {
        dossier: String,
        expert: String,
    },
    NoSubmittedSheet {
        dossier: String,
        expert: String,
    },
    /// The sheet cannot be submitted yet.
    SheetIncomplete {
        dossier: String,
        missing: Vec<Text>,
    },
    /// A points entry the rubric does not allow.
    Points {
        text: Text,
    },
    /// The incoming expert may not review the dossier.
    ExpertExcluded {
        expert: String,
        dossier: String,
        rule: Text,
    },
    /// Sealing refused while sheets are open (`--accept-incomplete REASON` seals anyway).
    OpenSheets {
        open: usize,
        /// (expert id, open sheets), most first.
        by_expert: Vec<(String, usize)>,
        /// Dossiers with fewer experts than the round asks.
        short_of_experts: usize,
    },
    /// Fewer units can be selected than the target.
    ListShort {
        selected: usize,
        target: usize,
        why: Option<Text>,
    },
    /// Dossiers the published tie-break chain left tied straddle the cut or the reserve
    /// boundary: the ministry must decide their order first.
    UndecidedTies {
        groups: Vec<Vec<String>>,
    },
    /// A tie decision the ranking would not apply (not tied after the published chain, or
    /// against an earlier decision).
    NotTied {
        codes: Vec<String>,
        why: Text,
    },
    /// What-if options or round settings that cannot hold together.
    Constraints {
        problems: Vec<Text>,
    },
    /// Printing the sealed list before any list was proposed.
    NothingProposed,
    /// Printing confirmation notices before the list is confirmed.
    NotConfirmed {
        phase: Text,
    },
    /// The criteria folder given differs from the round's pinned criteria.
    CriteriaDiffer {
        differences: Vec<String>,
    },
    /// A criteria update that changes more than the phase allows.
    CriteriaChangeNotAllowed {
        phase: Text,
        differences: Vec<String>,
    },
    /// The criteria folder given is the round's pinned copy already.
    CriteriaUnchanged,
    /// A remote scoring package refused (函评).
    Package(crate::package::PackageRefusal),
}

fn lines(items: &[String]) -> String {
    items.join("; ")
}

impl Refusal {
    /// The refusal in both languages.
    pub fn text(&self) -> Text {
        use Refusal as R;
        match self {
            R::Phase(p) => p.text(),
            R::Package(p) => p.text(),
            R::ReasonRequired { step } => {
                let s = step.text();
                Text::new(
                    format!("{}须写明理由（--reason），理由将记入审计日志", s.zh),
                    format!(
                        "to {} give a reason (--reason); it is recorded in the audit log",
                        s.en
                    ),
                )
            }
            R::FutureDate { on, today } => Text::new(
                format!("日期 {on} 晚于今天（{today}）：可以补记过去的日期，不能记未来的日期"),
                format!(
                    "{on} is after today ({today}): a step may record a past date, never a future one"
                ),
            ),
            R::NoDossiers => Text::new(
                "数据库中尚无申报书：请先导入各省报送的批次（shifan import）",
                "no dossiers stored: import the provinces' batches first (shifan import)",
            ),
            R::NoExperts => Text::new(
                "尚无专家名单：请先导入（shifan experts import 文件）",
                "no experts: import the roster first (shifan experts import FILE)",
            ),
            R::FirstAccountMustBeMinistry => Text::new(
                "第一个账号必须是部里工作人员账号（--role ministry）",
                "the first account must be a ministry account (--role ministry)",
            ),
            R::EmptyNameOrPassword => Text::new(
                "账号须有名称和非空密码",
                "an account needs a name and a non-empty password",
            ),
            R::AccountExists { name } => Text::new(
                format!("账号「{name}」已存在"),
                format!("account \"{name}\" already exists"),
            ),
            R::NoAccount { name } => Text::new(
                format!("没有账号「{name}」"),
                format!("no account \"{name}\""),
            ),
            R::NotAnExpert { user } => Text::new(
                format!("{user} 不是评审专家：只有专家评分"),
                format!("{user} is not an expert: only experts score"),
            ),
            R::UnknownDossier { code } => Text::new(
                format!("没有申报书 {code}"),
                format!("no stored dossier {code}"),
            ),
            R::UnknownExpert { id } => Text::new(
                format!("专家名单中没有 {id}"),
                format!("no expert {id} in the roster"),
            ),
            R::NotAssigned { dossier, expert } => Text::new(
                format!("申报书 {dossier} 未分配给专家 {expert}"),
                format!("dossier {dossier} is not assigned to expert {expert}"),
            ),
            R::AlreadyAssigned { dossier, expert } => Text::new(
                format!("专家 {expert} 已在评审申报书 {dossier}"),
                format!("expert {expert} is already assigned to {dossier}"),
            ),
            R::SheetLocked { dossier, at } => Text::new(
                format!("申报书 {dossier} 的评分表已于 {at} 提交并锁定；如需修改，请部里退回"),
                format!(
                    "the sheet for {dossier} was submitted at {at} and is locked; ministry staff can reopen it"
                ),
            ),
            R::SwapSubmitted { dossier, expert } => Text::new(
                format!("专家 {expert} 已提交申报书 {dossier} 的评分表；如须作废，请先退回"),
                format!(
                    "expert {expert} has submitted the sheet for {dossier}; reopen it first if it must be discarded"
                ),
            ),
            R::NoSubmittedSheet { dossier, expert } => Text::new(
                format!("专家 {expert} 没有已提交的申报书 {dossier} 评分表"),
                format!("no submitted sheet of {expert} for {dossier}"),
            ),
            R::SheetIncomplete { dossier, missing } => {
                let zh: Vec<String> = missing.iter().map(|m| m.zh.clone()).collect();
                let en: Vec<String> = missing.iter().map(|m| m.en.clone()).collect();
                Text::new(
                    format!("申报书 {dossier} 的评分表尚不能提交：{}", zh.join("；")),
                    format!("cannot submit {dossier}: {}", lines(&en)),
                )
            }
            R::Points { text } => text.clone(),
            R::ExpertExcluded {
                expert,
                dossier,
                rule,
            } => Text::new(
                format!("专家 {expert} 不能评审 {dossier}：{}", rule.zh),
                format!("expert {expert} may not review {dossier}: {}", rule.en),
            ),
            R::OpenSheets {
                open,
                by_expert,
                short_of_experts,
            } => {
                let who: Vec<String> = by_expert
                    .iter()
                    .take(12)
                    .map(|(e, n)| format!("{e} ({n})"))
                    .collect();
                let more = by_expert.len().saturating_sub(12);
                let (more_zh, more_en) = if more > 0 {
                    (
                        format!(" 等{}位专家", by_expert.len()),
                        format!(" and {more} more"),
                    )
                } else {
                    (String::new(), String::new())
                };
                let (short_zh, short_en) = if *short_of_experts > 0 {
                    (
                        format!("；另有 {short_of_experts} 份申报书专家人数不足（shifan assign）"),
                        format!(
                            "; {short_of_experts} dossiers have fewer experts than the round asks (shifan assign)"
                        ),
                    )
                } else {
                    (String::new(), String::new())
                };
                Text::new(
                    format!(
                        "尚有 {open} 份已分配的评分表未提交：{}{more_zh}{short_zh}。请先完成评审（shifan progress），或写明理由后封存（--accept-incomplete 理由）",
                        who.join("、")
                    ),
                    format!(
                        "{open} assigned sheets are not submitted: {}{more_en}{short_en}. Finish the review first (shifan progress), or seal anyway with a recorded reason (--accept-incomplete REASON)",
                        who.join(", ")
                    ),
                )
            }
            R::ListShort {
                selected,
                target,
                why,
            } => {
                let (wz, we) = why.as_ref().map_or((String::new(), String::new()), |w| {
                    (format!("：{}", w.zh), format!(": {}", w.en))
                });
                Text::new(
                    format!(
                        "只能选出 {selected} 个单位（目标 {target} 个）{wz}。请完成评审（shifan progress）或检查限制条件（shifan select）"
                    ),
                    format!(
                        "only {selected} units can be selected of the {target} wanted{we}. Finish the review (shifan progress) or check the limits (shifan select)"
                    ),
                )
            }
            R::UndecidedTies { groups } => {
                let g: Vec<String> = groups.iter().map(|g| g.join(" = ")).collect();
                Text::new(
                    format!(
                        "以下申报书按公布的排序规则仍然并列，且跨越入选线或备选线：{}。请部里决定先后并写明理由（shifan tie decide --order 编号,编号 --reason 理由）后再封存",
                        g.join("；")
                    ),
                    format!(
                        "these dossiers remain tied after the published tie-break chain and straddle the cut or the reserve boundary: {}. Ministry staff decide their order with a reason (shifan tie decide --order CODE,CODE --reason R) before sealing",
                        lines(&g)
                    ),
                )
            }
            R::NotTied { codes, why } => Text::new(
                format!(
                    "不能记录 {} 的先后：{}。只能对按公布的排序规则无法区分的申报书决定先后",
                    codes.join("、"),
                    why.zh
                ),
                format!(
                    "cannot record an order for {}: {}. Only dossiers the published tie-break chain cannot order may be decided",
                    codes.join(", "),
                    why.en
                ),
            ),
            R::Constraints { problems } => {
                let zh: Vec<String> = problems.iter().map(|p| p.zh.clone()).collect();
                let en: Vec<String> = problems.iter().map(|p| p.en.clone()).collect();
                Text::new(
                    format!("限制条件不能同时成立：{}", zh.join("；")),
                    format!("the limits cannot hold together: {}", lines(&en)),
                )
            }
            R::NothingProposed => Text::new(
                "尚未提出拟认定名单：请部里先提出（shifan publicity propose），或用 --draft 打印当前遴选结果",
                "no list has been proposed yet: ministry staff propose it with `shifan publicity propose`; or print the current selection with --draft",
            ),
            R::NotConfirmed { phase } => Text::new(
                format!(
                    "名单尚未认定（当前阶段：{}）；认定通知在 shifan publicity confirm 之后打印",
                    phase.zh
                ),
                format!(
                    "the list is not confirmed yet (phase: {}); confirmation notices are printed after `shifan publicity confirm`",
                    phase.en
                ),
            ),
            R::CriteriaDiffer { differences } => Text::new(
                format!(
                    "所给评选设置与本轮已固定的设置不同：{}。本轮使用数据库中保存的设置；如需修改，请用 shifan criteria update 目录",
                    differences.join("；")
                ),
                format!(
                    "the criteria folder differs from the round's pinned criteria: {}. The round uses its stored copy; to change it use `shifan criteria update DIR`",
                    lines(differences)
                ),
            ),
            R::CriteriaChangeNotAllowed { phase, differences } => Text::new(
                format!(
                    "「{}」阶段只能更新节假日（holidays.toml）和公示联系人（round.toml 的 [publicity_contact]），不能更改：{}",
                    phase.zh,
                    differences.join("；")
                ),
                format!(
                    "in the {} phase only holidays (holidays.toml) and contact details (round.toml [publicity_contact]) may change, not: {}",
                    phase.en,
                    lines(differences)
                ),
            ),
            R::CriteriaUnchanged => Text::new(
                "所给评选设置与本轮已保存的设置相同，无需更新",
                "the folder holds the round's criteria already: nothing to update",
            ),
        }
    }
}

impl From<PhaseRefusal> for Refusal {
    fn from(p: PhaseRefusal) -> Self {
        Refusal::Phase(p)
    }
}

/// Check that a reason was given for a recorded step.
pub fn reason_given(step: Step, reason: &str) -> Result<(), Refusal> {
    if reason.trim().is_empty() {
        Err(Refusal::ReasonRequired { step })
    } else {
        Ok(())
    }
}

/// The date a step records: `on` when given and not after today, else today.
pub fn claimed_date(on: Option<Date>, today: Date) -> Result<Date, Refusal> {
    match on {
        Some(d) if d > today => Err(Refusal::FutureDate { on: d, today }),
        Some(d) => Ok(d),
        None => Ok(today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_step_may_record_the_past_but_never_the_future() {
        let today = date(2026, 8, 10);
        assert_eq!(claimed_date(None, today), Ok(today));
        assert_eq!(
            claimed_date(Some(date(2026, 8, 7)), today),
            Ok(date(2026, 8, 7))
        );
        let r = claimed_date(Some(date(2026, 8, 11)), today).unwrap_err();
        assert!(r.text().zh.contains("未来"));
        assert!(r.text().en.contains("never a future one"));
    }

    #[test]
    fn reasons_are_required_and_said_in_both_languages() {
        let r = reason_given(Step::Swap, "  ").unwrap_err();
        assert_eq!(
            r.text().en,
            "to swap an expert give a reason (--reason); it is recorded in the audit log"
        );
        assert!(r.text().zh.starts_with("调换专家须写明理由"));
        assert!(reason_given(Step::Swap, "conflict of interest").is_ok());
    }

    #[test]
    fn open_sheets_name_the_experts() {
        let r = Refusal::OpenSheets {
            open: 27,
            by_expert: vec![("E03".into(), 4), ("E07".into(), 2)],
            short_of_experts: 0,
        };
        let t = r.text();
        assert!(t.en.starts_with("27 assigned sheets are not submitted: E03 (4), E07 (2)."));
        assert!(t.zh.contains("E03 (4)、E07 (2)"));
        assert!(t.en.contains("--accept-incomplete"));
    }
}
