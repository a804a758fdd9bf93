//! Accounts' roles and what each may do. Checked in the library, not only in screens: every
//! store query that hands out data takes the acting user and asks here first.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::finding::Text;

/// A user's role in the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Ministry staff (部里工作人员): runs the round.
    Ministry,
    /// An expert reviewer, linked to a roster entry.
    Expert { expert_id: String },
    /// A provincial official, bound to one reporting unit.
    Official { province_key: String },
    /// A clerk: prints notices.
    Clerk,
}

impl Role {
    /// Stable name stored in the database.
    pub fn kind(&self) -> &'static str {
        match self {
            Role::Ministry => "ministry",
            Role::Expert { .. } => "expert",
            Role::Official { .. } => "official",
            Role::Clerk => "clerk",
        }
    }

    pub fn label(&self) -> Text {
        match self {
            Role::Ministry => Text::new("部里工作人员", "ministry staff"),
            Role::Expert { expert_id } => Text::new(
                format!("评审专家 {expert_id}"),
                format!("expert {expert_id}"),
            ),
            Role::Official { province_key } => Text::new(
                format!("省级农业部门（{province_key}）"),
                format!("provincial official ({province_key})"),
            ),
            Role::Clerk => Text::new("文书", "clerk"),
        }
    }
}

/// A logged-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub name: String,
    pub role: Role,
}

/// Something a user asks to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<'a> {
    ManageUsers,
    ImportDossiers,
    ImportExperts,
    /// See the round's status (counts, batches).
    ViewStatus,
    /// See one province's dossiers and their check results.
    ViewProvince(&'a str),
    /// Read one dossier assigned to an expert, or of a province.
    ReadDossier {
        province_key: &'a str,
        assigned_expert_ids: &'a [String],
    },
    Assign,
    SwapExpert,
    /// Enter or submit scores on one expert's sheet.
    Score {
        expert_id: &'a str,
    },
    Recuse {
        expert_id: &'a str,
    },
    ReopenSheet,
    /// Store signed paper score sheets keyed in twice (ministry staff and clerks).
    EnterPaperSheets,
    /// Issue remote scoring packages (函评) and take their returns (ministry staff).
    RemotePackages,
    /// Read one expert's sheet: the expert's own, or any for ministry staff.
    ReadSheet {
        expert_id: &'a str,
    },
    /// Read one dossier's calculation sheet: ministry staff, or the official of its province
    /// (anonymised).
    ExplainDossier {
        province_key: &'a str,
    },
    /// See the publicity: the list, its periods and objections (ministry staff and clerks).
    ViewPublicity,
    /// Change the round's pinned criteria.
    UpdateCriteria,
    /// See every expert's scores and names.
    ViewAllScores,
    ViewProgress,
    Rank,
    Select,
    Publicity,
    PrintNotices,
    VerifyAudit,
}

/// A refusal, with the reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{user} ({role}) may not {what}")]
pub struct Denied {
    pub user: String,
    pub role: String,
    pub what: String,
    pub text: Text,
}

fn describe(a: &Action) -> (&'static str, &'static str) {
    match a {
        Action::ManageUsers => ("管理账号", "manage accounts"),
        Action::ImportDossiers => ("导入申报材料", "import dossiers"),
        Action::ImportExperts => ("导入专家名单", "import the expert roster"),
        Action::ViewStatus => ("查看全国情况", "view the national status"),
        Action::ViewProvince(_) => ("查看该省申报书", "view that province's dossiers"),
        Action::ReadDossier { .. } => ("阅读该申报书", "read that dossier"),
        Action::Assign => ("分配专家", "assign experts"),
        Action::SwapExpert => ("调换专家", "swap an expert"),
        Action::Score { .. } => ("在该评分表上打分", "score on that sheet"),
        Action::Recuse { .. } => ("替他人申请回避", "recuse on someone else's behalf"),
        Action::ReopenSheet => ("退回已提交的评分表", "reopen a submitted sheet"),
        Action::EnterPaperSheets => ("录入纸质评分表", "enter paper score sheets"),
        Action::RemotePackages => ("下发或导入函评评分包", "issue or import scoring packages"),
        Action::ReadSheet { .. } => ("查看该专家的评分表", "read that expert's sheet"),
        Action::ExplainDossier { .. } => (
            "查看该申报书的计算单",
            "read that dossier's calculation sheet",
        ),
        Action::ViewPublicity => ("查看公示情况", "view the publicity"),
        Action::UpdateCriteria => ("更新评选设置", "update the round's criteria"),
        Action::ViewAllScores => ("查看所有专家的评分", "see all experts' scores"),
        Action::ViewProgress => ("查看评审进度", "view review progress"),
        Action::Rank => ("计算排名", "rank the dossiers"),
        Action::Select => ("遴选名单", "select the list"),
        Action::Publicity => ("办理公示", "run the publicity steps"),
        Action::PrintNotices => ("打印通知", "print notices"),
        Action::VerifyAudit => ("核验审计日志", "verify the audit log"),
    }
}

/// May `user` do `action`?
pub fn check(user: &User, action: &Action) -> Result<(), Denied> {
    let allowed = match (&user.role, action) {
        (Role::Ministry, Action::Score { .. } | Action::Recuse { .. }) => false,
        (Role::Ministry, _) => true,
        (
            Role::Expert { expert_id },
            Action::Score { expert_id: e }
            | Action::Recuse { expert_id: e }
            | Action::ReadSheet { expert_id: e },
        ) => expert_id == e,
        (
            Role::Expert { expert_id },
            Action::ReadDossier {
                assigned_expert_ids,
                ..
            },
        ) => assigned_expert_ids.contains(expert_id),
        (
            Role::Official { province_key },
            Action::ViewProvince(p) | Action::ExplainDossier { province_key: p },
        ) => province_key == p,
        (
            Role::Official { province_key },
            Action::ReadDossier {
                province_key: p, ..
            },
        ) => province_key == p,
        (
            Role::Clerk,
            Action::PrintNotices
            | Action::ViewStatus
            | Action::ViewPublicity
            | Action::EnterPaperSheets,
        ) => true,
        _ => false,
    };
    if allowed {
        return Ok(());
    }
    let (zh, en) = describe(action);
    let role = user.role.label();
    Err(Denied {
        user: user.name.clone(),
        role: role.en.clone(),
        what: en.to_string(),
        text: Text::new(
            format!("无权操作：{}（{}）不能{zh}", user.name, role.zh),
            format!("not allowed: {} ({}) may not {en}", user.name, role.en),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(role: Role) -> User {
        User {
            name: "x".into(),
            role,
        }
    }

    #[test]
    fn experts_score_only_their_own_sheets_and_read_only_assigned_dossiers() {
        let e = u(Role::Expert {
            expert_id: "E01".into(),
        });
        assert!(check(&e, &Action::Score { expert_id: "E01" }).is_ok());
        assert!(check(&e, &Action::Score { expert_id: "E02" }).is_err());
        let mine = vec!["E01".to_string()];
        let other = vec!["E02".to_string()];
        assert!(
            check(
                &e,
                &Action::ReadDossier {
                    province_key: "330000",
                    assigned_expert_ids: &mine
                }
            )
            .is_ok()
        );
        assert!(
            check(
                &e,
                &Action::ReadDossier {
                    province_key: "330000",
                    assigned_expert_ids: &other
                }
            )
            .is_err()
        );
        assert!(check(&e, &Action::ViewAllScores).is_err());
        assert!(check(&e, &Action::Rank).is_err());
    }

    #[test]
    fn officials_see_only_their_province() {
        let o = u(Role::Official {
            province_key: "330000".into(),
        });
        assert!(check(&o, &Action::ViewProvince("330000")).is_ok());
        let d = check(&o, &Action::ViewProvince("320000")).unwrap_err();
        assert!(d.text.zh.contains("无权操作"));
        assert!(check(&o, &Action::Assign).is_err());
    }

    #[test]
    fn ministry_runs_the_round_but_does_not_score() {
        let m = u(Role::Ministry);
        for a in [
            Action::Assign,
            Action::Rank,
            Action::Select,
            Action::Publicity,
            Action::ReopenSheet,
            Action::ViewAllScores,
        ] {
            assert!(check(&m, &a).is_ok(), "{a:?}");
        }
        assert!(check(&m, &Action::Score { expert_id: "E01" }).is_err());
        let c = u(Role::Clerk);
        assert!(check(&c, &Action::PrintNotices).is_ok());
        assert!(check(&c, &Action::ViewAllScores).is_err());
        assert!(check(&c, &Action::ViewPublicity).is_ok());
        assert!(check(&c, &Action::Publicity).is_err());
    }

    #[test]
    fn the_special_cases_are_rules_here() {
        let e = u(Role::Expert {
            expert_id: "E01".into(),
        });
        assert!(check(&e, &Action::ReadSheet { expert_id: "E01" }).is_ok());
        assert!(check(&e, &Action::ReadSheet { expert_id: "E02" }).is_err());
        assert!(check(&u(Role::Ministry), &Action::ReadSheet { expert_id: "E02" }).is_ok());
        let o = u(Role::Official {
            province_key: "330000".into(),
        });
        let own = Action::ExplainDossier {
            province_key: "330000",
        };
        assert!(check(&o, &own).is_ok());
        assert!(
            check(
                &o,
                &Action::ExplainDossier {
                    province_key: "320000"
                }
            )
            .is_err()
        );
        assert!(check(&u(Role::Clerk), &own).is_err());
        assert!(check(&o, &Action::ViewPublicity).is_err());
        assert!(check(&u(Role::Ministry), &Action::UpdateCriteria).is_ok());
        assert!(check(&e, &Action::UpdateCriteria).is_err());
    }
}
