//! The publicity (公示) of the proposed list, as a state machine:
//! draft → proposed (list sealed; may be withdrawn back to draft) → in publicity (objections
//! registered and resolved) → confirmed.
//!
//! The proposed list is never edited: an upheld objection is recorded as a [`Change`] (unit
//! removed, the unit the caller's promoting rule chose put in its place, or the place left for the
//! ministry to fill), and [`Publicity::current_list`] applies the changes in order, so the sealed
//! hash stays checkable and every change stays traceable. A promoted unit is published on its own
//! (补充公示) for the round's number of working days; objections against it are taken within that
//! supplementary period, and the list is confirmed only once every period has ended.

use std::fmt::Write;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::audit::sha256_hex;
use super::finding::Text;
use super::working_days::Calendar;

/// One unit on the proposed list or the reserve list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The dossier code of the unit.
    pub code: String,
    /// Key of the reporting unit (province, city with separate planning status, …).
    pub province_key: String,
    /// The applicant unit's name.
    pub applicant: String,
    /// The demonstration type id.
    pub type_id: String,
}

/// The seal of a list: lower-case hex SHA-256 of one line per entry, in order,
/// `code|province_key|applicant|type_id\n`. A `\`, `|`, line feed or carriage return inside a
/// field is escaped (`\\`, `\|`, `\n`, `\r`) so no two different lists share a text.
pub fn seal(list: &[ListEntry]) -> String {
    let mut text = String::new();
    for e in list {
        let fields = [&e.code, &e.province_key, &e.applicant, &e.type_id];
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                text.push('|');
            }
            for c in f.chars() {
                match c {
                    '\\' => text.push_str("\\\\"),
                    '|' => text.push_str("\\|"),
                    '\n' => text.push_str("\\n"),
                    '\r' => text.push_str("\\r"),
                    c => text.push(c),
                }
            }
        }
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// A text in both languages that can be stored: [`Text`] is only serialized, while a reason kept
/// in the publicity state must also load back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reason {
    pub zh: String,
    pub en: String,
}

impl Reason {
    /// The reason as an interface text.
    pub fn text(&self) -> Text {
        Text::new(self.zh.clone(), self.en.clone())
    }
}

impl From<Text> for Reason {
    fn from(t: Text) -> Self {
        Reason { zh: t.zh, en: t.en }
    }
}

/// How an objection was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Resolution {
    /// The objection holds: the unit leaves the list.
    Upheld { note: String },
    /// The objection does not hold: the list stays as it is.
    Rejected { note: String },
}

impl Resolution {
    /// The reasons given.
    pub fn note(&self) -> &str {
        match self {
            Resolution::Upheld { note } | Resolution::Rejected { note } => note,
        }
    }
}

/// An objection received during a publicity period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    /// Number of the objection, from 1.
    pub id: u32,
    /// Code of the unit objected to.
    pub code: String,
    /// The day the objection reached the ministry.
    pub received_on: Date,
    /// The named individual or unit (confidential: never print it in a notice).
    pub objector: String,
    /// What is objected to and the evidence offered.
    pub summary: String,
    /// `None` while open.
    pub resolution: Option<Resolution>,
    /// The day the objection was decided; `None` while open, and in states stored before the
    /// decision date was recorded.
    #[serde(default)]
    pub resolved_on: Option<Date>,
}

/// The ministry's own choice of a unit for a place an upheld objection left unfilled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinistryPromotion {
    /// The unit put on the list.
    pub unit: ListEntry,
    /// Why the ministry chose it.
    pub reason: String,
    /// The day of the decision.
    pub on: Date,
}

/// A change to the list caused by an upheld objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Code of the unit removed.
    pub removed: String,
    /// Code of the unit promoted into its place when the objection was decided; `None` when no
    /// single unit could restore the round's limits ([`Change::no_promotion`] says why; in states
    /// stored before that was recorded, the reserve was used up).
    pub promoted: Option<String>,
    /// The upheld objection.
    pub objection: u32,
    /// The promoted unit. `None` in states stored before promotions came from the caller: the
    /// unit is then the reserve entry whose code is `promoted`.
    #[serde(default)]
    pub unit: Option<ListEntry>,
    /// Why no unit was promoted, as the promoting rule said.
    #[serde(default)]
    pub no_promotion: Option<Reason>,
    /// The unit the ministry later put in the place left unfilled ([`Publicity::promote`]).
    #[serde(default)]
    pub ministry: Option<MinistryPromotion>,
}

impl Change {
    /// The unit that took the removed unit's place: promoted when the objection was decided, or
    /// later by the ministry; `None` while the place is unfilled.
    fn filler<'a>(&'a self, reserve: &'a [ListEntry]) -> Option<&'a ListEntry> {
        if let Some(m) = &self.ministry {
            return Some(&m.unit);
        }
        match (&self.unit, &self.promoted) {
            (Some(u), _) => Some(u),
            (None, Some(code)) => reserve.iter().find(|r| &r.code == code),
            (None, None) => None,
        }
    }

    /// Code of the unit that took the removed unit's place (promoted at the decision or by the
    /// ministry); `None` while the place is unfilled.
    pub fn filled_by(&self) -> Option<&str> {
        match &self.ministry {
            Some(m) => Some(&m.unit.code),
            None => self.promoted.as_deref(),
        }
    }

    /// Whether the place is still waiting for the ministry's decision.
    pub fn is_unfilled(&self) -> bool {
        self.filled_by().is_none()
    }
}

/// The publicity of one promoted unit (补充公示): objections against it are received from `start`
/// to `end` (both included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplementaryPeriod {
    /// Code of the promoted unit.
    pub code: String,
    /// The upheld objection whose change promoted it (see [`Change::objection`]).
    pub objection: u32,
    /// The first working day after the promotion was decided.
    pub start: Date,
    /// The last day: `start` plus the round's working days, less one (working days).
    pub end: Date,
}

/// A publicity period: the main one, of every unit on the sealed list, or a supplementary one, of
/// one promoted unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Main { start: Date, end: Date },
    Supplementary(SupplementaryPeriod),
}

impl Period {
    /// The first day objections are received.
    pub fn start(&self) -> Date {
        match self {
            Period::Main { start, .. } => *start,
            Period::Supplementary(s) => s.start,
        }
    }

    /// The last day objections are received.
    pub fn end(&self) -> Date {
        match self {
            Period::Main { end, .. } => *end,
            Period::Supplementary(s) => s.end,
        }
    }

    /// The promoted unit a supplementary period publishes; `None` for the main period.
    pub fn code(&self) -> Option<&str> {
        match self {
            Period::Main { .. } => None,
            Period::Supplementary(s) => Some(&s.code),
        }
    }

    /// 「公示期2026年8月3日至2026年8月7日」 / "period 2026-08-03 to 2026-08-07"; a
    /// supplementary one names its unit: 「110009补充公示期…」 / "supplementary period for
    /// 110009: …".
    pub fn text(&self) -> Text {
        let (start, end) = (self.start(), self.end());
        match self.code() {
            None => Text::new(
                format!("公示期{}至{}", zh_date(&start), zh_date(&end)),
                format!("period {start} to {end}"),
            ),
            Some(code) => Text::new(
                format!("{code}补充公示期{}至{}", zh_date(&start), zh_date(&end)),
                format!("supplementary period for {code}: {start} to {end}"),
            ),
        }
    }
}

/// The ministry sealed the list while score sheets were still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incomplete {
    /// Score sheets not yet submitted at sealing (at least 1).
    pub open_sheets: usize,
    /// Why the ministry accepted the incomplete scoring.
    pub reason: String,
}

/// What a seal records besides the list: where the list came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealRecord {
    /// The inputs hash of the ranking the list was made from.
    pub ranking_hash: String,
    /// Set when the ministry sealed while score sheets were still open.
    pub incomplete: Option<Incomplete>,
}

/// A sealed list withdrawn before publicity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// The seal of the withdrawn list.
    pub list_hash: String,
    /// The day it was sealed.
    pub proposed_at: Date,
    /// The day it was withdrawn.
    pub withdrawn_on: Date,
    /// Why it was withdrawn.
    pub reason: String,
    /// The inputs hash of the ranking it was made from, when the seal recorded one.
    #[serde(default)]
    pub ranking_hash: Option<String>,
}

/// What became of one unit, for exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 入选: on the sealed list and still on the current list.
    Selected,
    /// 异议成立撤销: removed from the list by an upheld objection.
    RemovedUpheld,
    /// 递补: promoted into a place and still on the current list.
    Promoted,
    /// 备选: on the reserve, never promoted.
    Reserve,
}

impl Outcome {
    /// The label in both languages.
    pub fn text(self) -> Text {
        match self {
            Outcome::Selected => Text::new("入选", "selected"),
            Outcome::RemovedUpheld => Text::new("异议成立撤销", "removed (objection upheld)"),
            Outcome::Promoted => Text::new("递补", "promoted"),
            Outcome::Reserve => Text::new("备选", "reserve"),
        }
    }
}

/// Where the publicity stands, with what each stage fixed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum State {
    /// Nothing proposed yet (or the sealed list was withdrawn).
    #[default]
    Draft,
    /// The list is sealed with `list_hash` but not yet published.
    Proposed {
        list_hash: String,
        proposed_at: Date,
    },
    /// The list is published; objections against units on the sealed list are received from
    /// `start` to `end` (both included), the main period.
    InPublicity {
        list_hash: String,
        proposed_at: Date,
        start: Date,
        end: Date,
    },
    /// The list is final since `on`.
    Confirmed {
        list_hash: String,
        proposed_at: Date,
        start: Date,
        end: Date,
        on: Date,
    },
}

impl State {
    /// The stage without its data.
    pub fn phase(&self) -> Phase {
        match self {
            State::Draft => Phase::Draft,
            State::Proposed { .. } => Phase::Proposed,
            State::InPublicity { .. } => Phase::InPublicity,
            State::Confirmed { .. } => Phase::Confirmed,
        }
    }

    fn list_hash(&self) -> Option<&str> {
        match self {
            State::Draft => None,
            State::Proposed { list_hash, .. }
            | State::InPublicity { list_hash, .. }
            | State::Confirmed { list_hash, .. } => Some(list_hash),
        }
    }

    /// The main publicity period (first and last day), once started.
    pub fn period(&self) -> Option<(Date, Date)> {
        match self {
            State::InPublicity { start, end, .. } | State::Confirmed { start, end, .. } => {
                Some((*start, *end))
            }
            _ => None,
        }
    }
}

/// The stage of the publicity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Draft,
    Proposed,
    InPublicity,
    Confirmed,
}

impl Phase {
    /// The stage as a predicate: "the publicity is …" / 「公示…」.
    pub fn text(self) -> Text {
        match self {
            Phase::Draft => Text::new(
                "尚处于草稿阶段（未提出拟认定名单）",
                "is a draft (no list proposed yet)",
            ),
            Phase::Proposed => Text::new(
                "名单已封存但尚未开始公示",
                "has a sealed list that is not yet published",
            ),
            Phase::InPublicity => Text::new("正在公示", "is in its publicity period"),
            Phase::Confirmed => Text::new("已确认名单", "is confirmed"),
        }
    }
}

/// A step of the lifecycle, for errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Propose,
    Withdraw,
    Start,
    Object,
    Resolve,
    Promote,
    Confirm,
}

impl Step {
    /// The step as a verb phrase.
    pub fn text(self) -> Text {
        match self {
            Step::Propose => Text::new("提出拟认定名单", "propose a list"),
            Step::Withdraw => Text::new("撤回已封存的名单", "withdraw the sealed list"),
            Step::Start => Text::new("开始公示", "start the publicity period"),
            Step::Object => Text::new("登记异议", "register an objection"),
            Step::Resolve => Text::new("处理异议", "resolve an objection"),
            Step::Promote => Text::new("递补单位", "promote a unit"),
            Step::Confirm => Text::new("确认名单", "confirm the list"),
        }
    }
}

/// What must happen before `step` can be taken in `phase`.
fn needed(step: Step, phase: Phase) -> Text {
    use Phase as P;
    use Step as S;
    match (step, phase) {
        (S::Propose, P::Proposed) => Text::new(
            "如需重新提出，请先撤回已封存的名单并写明理由",
            "withdraw it first, giving the reason",
        ),
        (S::Propose, P::InPublicity) => Text::new(
            "公示中的名单只能因异议成立而变更",
            "the published list changes only through an upheld objection",
        ),
        (S::Propose | S::Withdraw | S::Confirm, P::Confirmed) => {
            Text::new("名单已经确认", "the list is already final")
        }
        (S::Withdraw, P::Draft) => Text::new(
            "没有已封存的名单可以撤回",
            "no list is sealed, so there is nothing to withdraw",
        ),
        (S::Withdraw, P::InPublicity) => Text::new(
            "已公示的名单不能撤回，只能因异议成立而变更",
            "a published list is not withdrawn; it changes only through upheld objections",
        ),
        (S::Start, P::Draft) => Text::new(
            "请先提出并封存拟认定名单",
            "propose and seal the list first",
        ),
        (S::Start, P::InPublicity) => Text::new("公示已经开始", "it has already started"),
        (S::Start, P::Confirmed) => Text::new("公示已经结束", "the publicity is over"),
        (S::Object | S::Resolve | S::Promote, P::Draft) => Text::new(
            "请先提出名单并开始公示",
            "propose the list and start the publicity period first",
        ),
        (S::Object | S::Resolve | S::Promote, P::Proposed) => {
            Text::new("请先开始公示", "start the publicity period first")
        }
        (S::Object | S::Resolve, P::Confirmed) => Text::new(
            "名单确认后不再受理或处理异议",
            "objections are closed once the list is confirmed",
        ),
        (S::Promote, P::Confirmed) => Text::new(
            "名单已经确认，不再递补",
            "the list is final; no unit is promoted any more",
        ),
        (S::Confirm, P::Draft) => Text::new(
            "请先提出名单、开始公示并待公示期满",
            "propose the list, start the publicity period and let it end first",
        ),
        (S::Confirm, P::Proposed) => Text::new(
            "请先开始公示并待公示期满",
            "start the publicity period and let it end first",
        ),
        _ => Text::new("此时不能进行该操作", "this step is not allowed now"),
    }
}

fn out_of_order(step: &Step, phase: &Phase) -> Text {
    let (s, p, n) = (step.text(), phase.text(), needed(*step, *phase));
    Text::new(
        format!("公示{}，不能{}：{}", p.zh, s.zh, n.zh),
        format!("cannot {} while the publicity {}: {}", s.en, p.en, n.en),
    )
}

/// A date the Chinese way: 「2026年8月7日」.
fn zh_date(d: &Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn id_list(ids: &[u32]) -> String {
    ids.iter().fold(String::new(), |mut s, id| {
        if !s.is_empty() {
            s.push_str(", ");
        }
        // Writing to a String cannot fail.
        let _ = write!(s, "#{id}");
        s
    })
}

/// A step refused: each message says what stands in the way and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PublicityError {
    #[error("{}", out_of_order(.step, .phase).en)]
    OutOfOrder { step: Step, phase: Phase },
    #[error("the proposed list is empty: propose at least one unit")]
    EmptyList,
    #[error(
        "a unit on the list or reserve ({applicant}) has no code: give every unit its dossier code"
    )]
    EmptyCode { applicant: String },
    #[error("unit {code} appears more than once on the list and reserve: list each unit once")]
    DuplicateCode { code: String },
    #[error(
        "the seal does not name the ranking the list was made from: give the ranking's inputs hash"
    )]
    EmptyRankingHash,
    #[error(
        "an incomplete acceptance must count the open score sheets (at least one); leave it out when every sheet is submitted"
    )]
    IncompleteWithoutOpenSheets,
    #[error(
        "sealing while score sheets are still open needs a reason: record why the ministry accepts the incomplete scoring"
    )]
    EmptyIncompleteReason,
    #[error("withdrawing the sealed list needs a reason: record why it is withdrawn")]
    EmptyWithdrawalReason,
    #[error(
        "cannot withdraw on {on}: the list was sealed on {proposed_at}; withdraw on or after that day"
    )]
    WithdrawBeforeProposal { on: Date, proposed_at: Date },
    #[error("the publicity period must last at least one working day")]
    ZeroWorkingDays,
    #[error(
        "cannot start the publicity on {on}: the list was proposed on {proposed_at}; start on or after that day"
    )]
    StartBeforeProposal { on: Date, proposed_at: Date },
    #[error(
        "a period of {working_days} working days from {on} runs past the last date the calendar knows"
    )]
    PeriodOutOfRange { on: Date, working_days: u32 },
    #[error(
        "an objection received on {received_on} predates the publicity period, which starts on {start}"
    )]
    ObjectionBeforeStart { received_on: Date, start: Date },
    #[error(
        "an objection received on {received_on} is late: the publicity period ended on {end}, and late objections are not accepted"
    )]
    LateObjection { received_on: Date, end: Date },
    #[error(
        "an objection to unit {code} received on {received_on} predates its supplementary publicity period, which starts on {start}: a promoted unit is objected to within its own period"
    )]
    ObjectionBeforeSupplementary {
        code: String,
        received_on: Date,
        start: Date,
    },
    #[error(
        "an objection to unit {code} received on {received_on} is late: its supplementary publicity period ended on {end}, and late objections are not accepted"
    )]
    LateForSupplementary {
        code: String,
        received_on: Date,
        end: Date,
    },
    #[error(
        "unit {code} is not on the list in publicity: objections can only concern listed units"
    )]
    NotOnList { code: String },
    #[error(
        "the objector is not named: anonymous objections are not accepted (an individual signs with their real name, a unit affixes its seal)"
    )]
    AnonymousObjection,
    #[error("the objection has no summary: record what is objected to and the evidence offered")]
    EmptySummary,
    #[error("there is no objection #{id}")]
    UnknownObjection { id: u32 },
    #[error("objection #{id} is already resolved; a decision is not changed afterwards")]
    AlreadyResolved { id: u32 },
    #[error("the resolution of objection #{id} needs a note giving the reasons")]
    EmptyNote { id: u32 },
    #[error(
        "objection #{id} cannot be decided on {on}: it was received on {received_on}; decide on or after that day"
    )]
    DecisionBeforeReceipt {
        id: u32,
        on: Date,
        received_on: Date,
    },
    #[error("unit {code} is already on the list: promote a unit that is not listed")]
    PromotedAlreadyListed { code: String },
    #[error(
        "unit {code} was removed by an upheld objection and does not return to the list: promote another unit"
    )]
    PromotedWasRemoved { code: String },
    #[error(
        "no upheld objection has left a place unfilled: the ministry promotes a unit only into such a place"
    )]
    NoUnfilledPlace,
    #[error("the ministry's promotion needs a reason: record why this unit is put on the list")]
    EmptyPromotionReason,
    #[error(
        "cannot promote on {on}: objection #{objection}, which left the place unfilled, was decided on {resolved_on}; promote on or after that day"
    )]
    PromotionBeforeDecision {
        on: Date,
        objection: u32,
        resolved_on: Date,
    },
    #[error(
        "cannot confirm on {on}: the publicity period runs until {end}; confirm after that day"
    )]
    PeriodNotOver { on: Date, end: Date },
    #[error(
        "cannot confirm on {on}: the supplementary publicity period of unit {code} runs until {end}; confirm after that day"
    )]
    SupplementaryNotOver { on: Date, code: String, end: Date },
    #[error("cannot confirm: objection(s) {} still open; resolve them first", id_list(.ids))]
    OpenObjections { ids: Vec<u32> },
}

impl PublicityError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        use PublicityError as E;
        let zh = match self {
            E::OutOfOrder { step, phase } => return out_of_order(step, phase),
            E::EmptyList => "拟认定名单为空：请至少提出一个单位".to_string(),
            E::EmptyCode { applicant } => {
                format!(
                    "名单或备选名单中的单位（{applicant}）没有编号：请为每个单位填写申报材料编号"
                )
            }
            E::DuplicateCode { code } => {
                format!("单位{code}在名单和备选名单中出现了不止一次：每个单位只能列一次")
            }
            E::EmptyRankingHash => {
                "封存记录未注明名单所依据的排名：请提供排名输入的摘要".to_string()
            }
            E::IncompleteWithoutOpenSheets => {
                "接受未完成评分时须写明未提交的评分表份数（至少1份）；评分表全部提交时不必填写"
                    .to_string()
            }
            E::EmptyIncompleteReason => {
                "尚有评分表未提交时封存名单须写明理由：请说明部里为何接受未完成的评分".to_string()
            }
            E::EmptyWithdrawalReason => "撤回已封存的名单须写明理由".to_string(),
            E::WithdrawBeforeProposal { on, proposed_at } => format!(
                "不能在{}撤回：名单于{}封存，请在当日或之后撤回",
                zh_date(on),
                zh_date(proposed_at)
            ),
            E::ZeroWorkingDays => "公示期至少应为1个工作日".to_string(),
            E::StartBeforeProposal { on, proposed_at } => format!(
                "不能从{}开始公示：名单于{}提出，公示应在当日或之后开始",
                zh_date(on),
                zh_date(proposed_at)
            ),
            E::PeriodOutOfRange { on, working_days } => format!(
                "从{}起{working_days}个工作日的公示期超出了日历范围",
                zh_date(on)
            ),
            E::ObjectionBeforeStart { received_on, start } => format!(
                "该异议收到于{}，早于公示期开始日{}",
                zh_date(received_on),
                zh_date(start)
            ),
            E::LateObjection { received_on, end } => format!(
                "该异议收到于{}，已逾期：公示期于{}结束，逾期异议不予受理",
                zh_date(received_on),
                zh_date(end)
            ),
            E::ObjectionBeforeSupplementary {
                code,
                received_on,
                start,
            } => format!(
                "对单位{code}的异议收到于{}，早于其补充公示期开始日{}：对递补单位的异议应在其补充公示期内提出",
                zh_date(received_on),
                zh_date(start)
            ),
            E::LateForSupplementary {
                code,
                received_on,
                end,
            } => format!(
                "对单位{code}的异议收到于{}，已逾期：其补充公示期于{}结束，逾期异议不予受理",
                zh_date(received_on),
                zh_date(end)
            ),
            E::NotOnList { code } => {
                format!("单位{code}不在公示名单中：只能对公示名单中的单位提出异议")
            }
            E::AnonymousObjection => {
                "未署名：匿名异议不予受理（个人须署真实姓名，单位须加盖公章）".to_string()
            }
            E::EmptySummary => "异议没有内容摘要：请记录异议事项和所附证据".to_string(),
            E::UnknownObjection { id } => format!("没有第{id}号异议"),
            E::AlreadyResolved { id } => format!("第{id}号异议已处理，处理结论不再更改"),
            E::EmptyNote { id } => format!("第{id}号异议的处理结论需要写明理由"),
            E::DecisionBeforeReceipt {
                id,
                on,
                received_on,
            } => format!(
                "第{id}号异议不能在{}处理：该异议收到于{}，请在当日或之后处理",
                zh_date(on),
                zh_date(received_on)
            ),
            E::PromotedAlreadyListed { code } => {
                format!("单位{code}已在名单中：请递补不在名单中的单位")
            }
            E::PromotedWasRemoved { code } => {
                format!("单位{code}已因异议成立被撤销，不能重回名单：请递补其他单位")
            }
            E::NoUnfilledPlace => {
                "没有因异议成立而空缺的名额：部里只能在出现空缺时递补单位".to_string()
            }
            E::EmptyPromotionReason => "部里递补单位须写明理由：请说明为何选定该单位".to_string(),
            E::PromotionBeforeDecision {
                on,
                objection,
                resolved_on,
            } => format!(
                "不能在{}递补：造成空缺的第{objection}号异议于{}处理，请在当日或之后递补",
                zh_date(on),
                zh_date(resolved_on)
            ),
            E::PeriodNotOver { on, end } => format!(
                "不能在{}确认：公示期至{}，请在此后确认",
                zh_date(on),
                zh_date(end)
            ),
            E::SupplementaryNotOver { on, code, end } => format!(
                "不能在{}确认：单位{code}的补充公示期至{}，请在此后确认",
                zh_date(on),
                zh_date(end)
            ),
            E::OpenObjections { ids } => {
                format!("不能确认：异议{}尚未处理，请先处理", id_list(ids))
            }
        };
        Text::new(zh, self.to_string())
    }
}

/// A summary of where the publicity stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub phase: Phase,
    /// The seal of the proposed list, once proposed.
    pub list_hash: Option<String>,
    /// The main publicity period (first and last day), once started.
    pub period: Option<(Date, Date)>,
    /// Every publicity period, main first, then one per promoted unit in order of promotion.
    pub periods: Vec<Period>,
    /// The day the list was confirmed.
    pub confirmed_on: Option<Date>,
    /// Set when the list was sealed while score sheets were still open.
    pub incomplete: Option<Incomplete>,
    /// Units on the current list.
    pub listed: usize,
    /// Reserve units not yet promoted.
    pub reserve_left: usize,
    pub objections: usize,
    pub open_objections: usize,
    /// Changes made to the list by upheld objections.
    pub changes: usize,
    /// Places left unfilled by upheld objections, waiting for the ministry's decision.
    pub unfilled: usize,
    /// Sealed lists withdrawn before publicity.
    pub withdrawals: usize,
}

impl Status {
    /// One line in both languages.
    pub fn text(&self) -> Text {
        let p = self.phase.text();
        let mut zh = format!("公示{}", p.zh);
        let mut en = format!("the publicity {}", p.en);
        if !self.periods.is_empty() {
            let texts: Vec<Text> = self.periods.iter().map(Period::text).collect();
            let join = |lang: fn(&Text) -> &str, sep: &str| {
                texts.iter().map(lang).collect::<Vec<_>>().join(sep)
            };
            zh.push_str(&format!("（{}）", join(|t| &t.zh, "；")));
            en.push_str(&format!(" ({})", join(|t| &t.en, "; ")));
        }
        if let Some(on) = &self.confirmed_on {
            zh.push_str(&format!("，{}确认", zh_date(on)));
            en.push_str(&format!(", confirmed on {on}"));
        }
        if let Some(i) = &self.incomplete {
            zh.push_str(&format!(
                "；封存时尚有{}份评分表未提交，部里接受的理由：{}",
                i.open_sheets, i.reason
            ));
            en.push_str(&format!(
                "; sealed with {} score sheet(s) still open, accepted because: {}",
                i.open_sheets, i.reason
            ));
        }
        if self.phase != Phase::Draft {
            zh.push_str(&format!(
                "；名单{}个单位，备选剩余{}个；异议{}件（未处理{}件）；名单变更{}处",
                self.listed, self.reserve_left, self.objections, self.open_objections, self.changes
            ));
            en.push_str(&format!(
                "; {} units listed, {} reserve units left; {} objection(s) ({} open); {} change(s) to the list",
                self.listed, self.reserve_left, self.objections, self.open_objections, self.changes
            ));
        }
        if self.unfilled > 0 {
            zh.push_str(&format!("；{}个名额空缺，待部里决定递补", self.unfilled));
            en.push_str(&format!(
                "; {} place(s) unfilled, for the ministry to decide",
                self.unfilled
            ));
        }
        if self.withdrawals > 0 {
            zh.push_str(&format!("；此前撤回封存名单{}次", self.withdrawals));
            en.push_str(&format!(
                "; {} sealed list(s) withdrawn before",
                self.withdrawals
            ));
        }
        Text::new(zh, en)
    }
}

/// The period of a unit promoted on day `on`: `working_days` working days from the first working
/// day after `on`.
fn supplementary_dates(
    on: Date,
    calendar: &Calendar,
    working_days: u32,
) -> Result<(Date, Date), PublicityError> {
    if working_days == 0 {
        return Err(PublicityError::ZeroWorkingDays);
    }
    let out_of_range = PublicityError::PeriodOutOfRange { on, working_days };
    let start = on
        .tomorrow()
        .ok()
        .and_then(|d| calendar.next_working_day(d))
        .ok_or(out_of_range.clone())?;
    let end = calendar
        .checked_add_working_days(start, working_days)
        .ok_or(out_of_range)?;
    Ok((start, end))
}

/// The publicity of one round's proposed list, with its objections and changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Publicity {
    state: State,
    /// The list as proposed and sealed (never edited afterwards).
    list: Vec<ListEntry>,
    /// The caller's reserve list, in promotion order, as printed in the notice.
    reserve: Vec<ListEntry>,
    objections: Vec<Objection>,
    changes: Vec<Change>,
    /// What the seal recorded besides the list; `None` before proposal and in states stored
    /// before seals recorded it.
    #[serde(default)]
    seal_record: Option<SealRecord>,
    /// One period per promoted unit, in order of promotion (the main period is in `state`).
    #[serde(default)]
    supplementary: Vec<SupplementaryPeriod>,
    /// Sealed lists withdrawn before publicity, oldest first.
    #[serde(default)]
    withdrawals: Vec<Withdrawal>,
}

impl Publicity {
    /// A publicity with nothing proposed.
    pub fn new() -> Self {
        Publicity::default()
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn phase(&self) -> Phase {
        self.state.phase()
    }

    /// The list as proposed and sealed.
    pub fn proposed_list(&self) -> &[ListEntry] {
        &self.list
    }

    /// The caller's reserve list, in promotion order.
    pub fn reserve(&self) -> &[ListEntry] {
        &self.reserve
    }

    pub fn objections(&self) -> &[Objection] {
        &self.objections
    }

    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The seal of the proposed list, once proposed.
    pub fn list_hash(&self) -> Option<&str> {
        self.state.list_hash()
    }

    /// The inputs hash of the ranking the sealed list was made from; `None` before proposal and
    /// in states stored before seals recorded it.
    pub fn ranking_hash(&self) -> Option<&str> {
        self.seal_record.as_ref().map(|r| r.ranking_hash.as_str())
    }

    /// Set when the ministry sealed the list while score sheets were still open.
    pub fn incomplete(&self) -> Option<&Incomplete> {
        self.seal_record
            .as_ref()
            .and_then(|r| r.incomplete.as_ref())
    }

    /// Sealed lists withdrawn before publicity, oldest first.
    pub fn withdrawals(&self) -> &[Withdrawal] {
        &self.withdrawals
    }

    /// Every publicity period: the main one first (once started), then one per promoted unit in
    /// order of promotion.
    pub fn periods(&self) -> Vec<Period> {
        let main = self
            .state
            .period()
            .map(|(start, end)| Period::Main { start, end });
        main.into_iter()
            .chain(
                self.supplementary
                    .iter()
                    .cloned()
                    .map(Period::Supplementary),
            )
            .collect()
    }

    /// Whether the stored proposed list still matches its seal (true before proposal).
    pub fn seal_intact(&self) -> bool {
        self.state.list_hash().is_none_or(|h| h == seal(&self.list))
    }

    fn refuse(&self, step: Step) -> PublicityError {
        PublicityError::OutOfOrder {
            step,
            phase: self.phase(),
        }
    }

    /// Propose and seal the list with the caller's reserve (in promotion order) on day `at`;
    /// `record` says which ranking the list came from and whether score sheets were still open.
    /// Returns the seal.
    ///
    /// Allowed only in draft: a sealed list is replaced only after [`Publicity::withdraw`], so
    /// that every seal stays on record.
    pub fn propose(
        &mut self,
        list: Vec<ListEntry>,
        reserve: Vec<ListEntry>,
        at: Date,
        record: SealRecord,
    ) -> Result<String, PublicityError> {
        if self.phase() != Phase::Draft {
            return Err(self.refuse(Step::Propose));
        }
        if list.is_empty() {
            return Err(PublicityError::EmptyList);
        }
        let all: Vec<&ListEntry> = list.iter().chain(&reserve).collect();
        for (i, e) in all.iter().enumerate() {
            if e.code.trim().is_empty() {
                return Err(PublicityError::EmptyCode {
                    applicant: e.applicant.clone(),
                });
            }
            if all[..i].iter().any(|o| o.code == e.code) {
                return Err(PublicityError::DuplicateCode {
                    code: e.code.clone(),
                });
            }
        }
        if record.ranking_hash.trim().is_empty() {
            return Err(PublicityError::EmptyRankingHash);
        }
        let incomplete = match record.incomplete {
            None => None,
            Some(i) if i.open_sheets == 0 => {
                return Err(PublicityError::IncompleteWithoutOpenSheets);
            }
            Some(i) if i.reason.trim().is_empty() => {
                return Err(PublicityError::EmptyIncompleteReason);
            }
            Some(i) => Some(Incomplete {
                open_sheets: i.open_sheets,
                reason: i.reason.trim().to_string(),
            }),
        };
        let list_hash = seal(&list);
        self.list = list;
        self.reserve = reserve;
        self.seal_record = Some(SealRecord {
            ranking_hash: record.ranking_hash.trim().to_string(),
            incomplete,
        });
        self.state = State::Proposed {
            list_hash: list_hash.clone(),
            proposed_at: at,
        };
        Ok(list_hash)
    }

    /// Withdraw the sealed, unpublished list on day `on` for `reason`, back to draft; the seal is
    /// kept in [`Publicity::withdrawals`] and a later [`Publicity::propose`] seals anew.
    pub fn withdraw(&mut self, reason: &str, on: Date) -> Result<Withdrawal, PublicityError> {
        let State::Proposed {
            list_hash,
            proposed_at,
        } = &self.state
        else {
            return Err(self.refuse(Step::Withdraw));
        };
        if reason.trim().is_empty() {
            return Err(PublicityError::EmptyWithdrawalReason);
        }
        if on < *proposed_at {
            return Err(PublicityError::WithdrawBeforeProposal {
                on,
                proposed_at: *proposed_at,
            });
        }
        let withdrawal = Withdrawal {
            list_hash: list_hash.clone(),
            proposed_at: *proposed_at,
            withdrawn_on: on,
            reason: reason.trim().to_string(),
            ranking_hash: self.ranking_hash().map(str::to_string),
        };
        self.withdrawals.push(withdrawal.clone());
        self.state = State::Draft;
        self.list.clear();
        self.reserve.clear();
        self.seal_record = None;
        Ok(withdrawal)
    }

    /// Publish the list on day `on` for `working_days` working days; returns the last day of
    /// the main period. If `on` is not a working day the period's working days begin on the next
    /// one.
    pub fn start(
        &mut self,
        on: Date,
        calendar: &Calendar,
        working_days: u32,
    ) -> Result<Date, PublicityError> {
        let State::Proposed {
            list_hash,
            proposed_at,
        } = &self.state
        else {
            return Err(self.refuse(Step::Start));
        };
        if working_days == 0 {
            return Err(PublicityError::ZeroWorkingDays);
        }
        if on < *proposed_at {
            return Err(PublicityError::StartBeforeProposal {
                on,
                proposed_at: *proposed_at,
            });
        }
        let end = calendar
            .checked_add_working_days(on, working_days)
            .ok_or(PublicityError::PeriodOutOfRange { on, working_days })?;
        self.state = State::InPublicity {
            list_hash: list_hash.clone(),
            proposed_at: *proposed_at,
            start: on,
            end,
        };
        Ok(end)
    }

    /// The period that published unit `code`: its supplementary period if it was promoted, else
    /// the main one. A unit promoted in a state stored before supplementary publicity existed
    /// has no period of its own and keeps the main one, as it did then.
    fn period_of(&self, code: &str) -> Option<Period> {
        match self.supplementary.iter().rev().find(|s| s.code == code) {
            Some(s) => Some(Period::Supplementary(s.clone())),
            None => self
                .state
                .period()
                .map(|(start, end)| Period::Main { start, end }),
        }
    }

    /// Register an objection to unit `code` received on `received_on`; returns its number.
    ///
    /// Only objections against a unit on the current list, received within the period that
    /// published it (the main period for a unit on the sealed list, its supplementary period for
    /// a promoted one), from a named objector and with a summary are accepted. An objection
    /// received in time may be registered after the period ended, as long as the list is not
    /// confirmed.
    pub fn object(
        &mut self,
        code: &str,
        received_on: Date,
        objector: &str,
        summary: &str,
    ) -> Result<u32, PublicityError> {
        if self.phase() != Phase::InPublicity {
            return Err(self.refuse(Step::Object));
        }
        if !self.current_list().iter().any(|e| e.code == code) {
            return Err(PublicityError::NotOnList {
                code: code.to_string(),
            });
        }
        match self.period_of(code) {
            Some(Period::Main { start, end }) => {
                if received_on < start {
                    return Err(PublicityError::ObjectionBeforeStart { received_on, start });
                }
                if received_on > end {
                    return Err(PublicityError::LateObjection { received_on, end });
                }
            }
            Some(Period::Supplementary(s)) => {
                if received_on < s.start {
                    return Err(PublicityError::ObjectionBeforeSupplementary {
                        code: s.code,
                        received_on,
                        start: s.start,
                    });
                }
                if received_on > s.end {
                    return Err(PublicityError::LateForSupplementary {
                        code: s.code,
                        received_on,
                        end: s.end,
                    });
                }
            }
            // In publicity the main period always exists.
            None => return Err(self.refuse(Step::Object)),
        }
        if objector.trim().is_empty() {
            return Err(PublicityError::AnonymousObjection);
        }
        if summary.trim().is_empty() {
            return Err(PublicityError::EmptySummary);
        }
        let id = self.objections.iter().map(|o| o.id).max().unwrap_or(0) + 1;
        self.objections.push(Objection {
            id,
            code: code.to_string(),
            received_on,
            objector: objector.trim().to_string(),
            summary: summary.trim().to_string(),
            resolution: None,
            resolved_on: None,
        });
        Ok(id)
    }

    /// Codes removed by upheld objections so far, in order.
    fn removed_codes(&self) -> Vec<String> {
        self.changes.iter().map(|c| c.removed.clone()).collect()
    }

    /// Refuse a unit for promotion that is unnamed, already listed or was removed.
    fn check_promotable(
        unit: &ListEntry,
        list: &[ListEntry],
        removed: &[String],
    ) -> Result<(), PublicityError> {
        if unit.code.trim().is_empty() {
            return Err(PublicityError::EmptyCode {
                applicant: unit.applicant.clone(),
            });
        }
        if list.iter().any(|e| e.code == unit.code) {
            return Err(PublicityError::PromotedAlreadyListed {
                code: unit.code.clone(),
            });
        }
        if removed.contains(&unit.code) {
            return Err(PublicityError::PromotedWasRemoved {
                code: unit.code.clone(),
            });
        }
        Ok(())
    }

    /// Decide objection `id` on day `on`; returns the change to the list (`None` when the list
    /// did not change: rejected, or the unit was already removed).
    ///
    /// An upheld objection against a unit on the current list removes it and asks `promote` for
    /// the unit to put in its place, passing the list after the removal and the codes removed by
    /// upheld objections so far (this one included). The returned unit is published for
    /// `working_days` working days from the first working day after `on` (补充公示). When
    /// `promote` says why no single unit can restore the round's limits, the change is recorded
    /// with no unit and that reason, and the ministry decides ([`Publicity::promote`]).
    pub fn resolve(
        &mut self,
        id: u32,
        resolution: Resolution,
        on: Date,
        calendar: &Calendar,
        working_days: u32,
        promote: impl FnOnce(&[ListEntry], &[String]) -> Result<ListEntry, Text>,
    ) -> Result<Option<Change>, PublicityError> {
        if self.phase() != Phase::InPublicity {
            return Err(self.refuse(Step::Resolve));
        }
        if resolution.note().trim().is_empty() {
            return Err(PublicityError::EmptyNote { id });
        }
        let objection = self
            .objections
            .iter()
            .find(|o| o.id == id)
            .ok_or(PublicityError::UnknownObjection { id })?;
        if objection.resolution.is_some() {
            return Err(PublicityError::AlreadyResolved { id });
        }
        if on < objection.received_on {
            return Err(PublicityError::DecisionBeforeReceipt {
                id,
                on,
                received_on: objection.received_on,
            });
        }
        let code = objection.code.clone();
        let current = self.current_list();
        // Everything is decided before anything is written, so a refusal leaves no trace.
        let mut period = None;
        let change = match &resolution {
            Resolution::Upheld { .. } if current.iter().any(|e| e.code == code) => {
                let remaining: Vec<ListEntry> =
                    current.into_iter().filter(|e| e.code != code).collect();
                let mut removed = self.removed_codes();
                removed.push(code.clone());
                let mut change = Change {
                    removed: code,
                    promoted: None,
                    objection: id,
                    unit: None,
                    no_promotion: None,
                    ministry: None,
                };
                match promote(&remaining, &removed) {
                    Ok(unit) => {
                        Self::check_promotable(&unit, &remaining, &removed)?;
                        let (start, end) = supplementary_dates(on, calendar, working_days)?;
                        period = Some(SupplementaryPeriod {
                            code: unit.code.clone(),
                            objection: id,
                            start,
                            end,
                        });
                        change.promoted = Some(unit.code.clone());
                        change.unit = Some(unit);
                    }
                    Err(why) => change.no_promotion = Some(why.into()),
                }
                Some(change)
            }
            _ => None,
        };
        if let Some(o) = self.objections.iter_mut().find(|o| o.id == id) {
            o.resolution = Some(resolution);
            o.resolved_on = Some(on);
        }
        if let Some(c) = &change {
            self.changes.push(c.clone());
        }
        self.supplementary.extend(period);
        Ok(change)
    }

    /// The ministry's decision on day `on` to put `unit` on the list, for `reason`, in the first
    /// place an upheld objection left unfilled; the unit is published for `working_days` working
    /// days from the first working day after `on`. Returns that supplementary period.
    pub fn promote(
        &mut self,
        unit: ListEntry,
        reason: &str,
        on: Date,
        calendar: &Calendar,
        working_days: u32,
    ) -> Result<SupplementaryPeriod, PublicityError> {
        if self.phase() != Phase::InPublicity {
            return Err(self.refuse(Step::Promote));
        }
        if reason.trim().is_empty() {
            return Err(PublicityError::EmptyPromotionReason);
        }
        let index = self
            .changes
            .iter()
            .position(Change::is_unfilled)
            .ok_or(PublicityError::NoUnfilledPlace)?;
        let objection = self.changes[index].objection;
        let resolved_on = self
            .objections
            .iter()
            .find(|o| o.id == objection)
            .and_then(|o| o.resolved_on);
        if let Some(resolved_on) = resolved_on.filter(|d| on < *d) {
            return Err(PublicityError::PromotionBeforeDecision {
                on,
                objection,
                resolved_on,
            });
        }
        Self::check_promotable(&unit, &self.current_list(), &self.removed_codes())?;
        let (start, end) = supplementary_dates(on, calendar, working_days)?;
        let period = SupplementaryPeriod {
            code: unit.code.clone(),
            objection,
            start,
            end,
        };
        self.changes[index].ministry = Some(MinistryPromotion {
            unit,
            reason: reason.trim().to_string(),
            on,
        });
        self.supplementary.push(period.clone());
        Ok(period)
    }

    /// Make the list final on day `on`: only after every period (main and supplementary) ended
    /// and with every objection resolved. A place left unfilled does not hold confirmation: the
    /// ministry may decide to leave it so.
    pub fn confirm(&mut self, on: Date) -> Result<(), PublicityError> {
        let State::InPublicity {
            list_hash,
            proposed_at,
            start,
            end,
        } = &self.state
        else {
            return Err(self.refuse(Step::Confirm));
        };
        if on <= *end {
            return Err(PublicityError::PeriodNotOver { on, end: *end });
        }
        // Name the running period that ends last: the day after it is when confirmation can be.
        if let Some(s) = self
            .supplementary
            .iter()
            .filter(|s| on <= s.end)
            .max_by_key(|s| s.end)
        {
            return Err(PublicityError::SupplementaryNotOver {
                on,
                code: s.code.clone(),
                end: s.end,
            });
        }
        let open: Vec<u32> = self
            .objections
            .iter()
            .filter(|o| o.resolution.is_none())
            .map(|o| o.id)
            .collect();
        if !open.is_empty() {
            return Err(PublicityError::OpenObjections { ids: open });
        }
        self.state = State::Confirmed {
            list_hash: list_hash.clone(),
            proposed_at: *proposed_at,
            start: *start,
            end: *end,
            on,
        };
        Ok(())
    }

    /// The list as it stands: the proposed list with every change applied in order (the unit
    /// that filled a place, by the promoting rule or the ministry, takes the removed unit's
    /// place; an unfilled place shortens the list).
    pub fn current_list(&self) -> Vec<ListEntry> {
        let mut list = self.list.clone();
        for c in &self.changes {
            let Some(i) = list.iter().position(|e| e.code == c.removed) else {
                continue;
            };
            match c.filler(&self.reserve) {
                Some(u) => list[i] = u.clone(),
                None => {
                    list.remove(i);
                }
            }
        }
        list
    }

    /// The current list once confirmed; `None` before.
    pub fn confirmed_list(&self) -> Option<Vec<ListEntry>> {
        match self.state {
            State::Confirmed { .. } => Some(self.current_list()),
            _ => None,
        }
    }

    /// What became of unit `code` so far; `None` when it is neither on the list nor on the
    /// reserve (the caller shows 未入选 / not selected), and before any list is proposed.
    pub fn outcome(&self, code: &str) -> Option<Outcome> {
        if self.phase() == Phase::Draft {
            return None;
        }
        if self.changes.iter().any(|c| c.removed == code) {
            return Some(Outcome::RemovedUpheld);
        }
        if self.current_list().iter().any(|e| e.code == code) {
            return Some(if self.list.iter().any(|e| e.code == code) {
                Outcome::Selected
            } else {
                Outcome::Promoted
            });
        }
        self.reserve
            .iter()
            .any(|e| e.code == code)
            .then_some(Outcome::Reserve)
    }

    /// A summary of where the publicity stands.
    pub fn status(&self) -> Status {
        let promoted: Vec<&str> = self.changes.iter().filter_map(Change::filled_by).collect();
        let confirmed_on = match &self.state {
            State::Confirmed { on, .. } => Some(*on),
            _ => None,
        };
        Status {
            phase: self.phase(),
            list_hash: self.list_hash().map(str::to_string),
            period: self.state.period(),
            periods: self.periods(),
            confirmed_on,
            incomplete: self.incomplete().cloned(),
            listed: self.current_list().len(),
            reserve_left: self
                .reserve
                .iter()
                .filter(|r| !promoted.contains(&r.code.as_str()))
                .count(),
            objections: self.objections.len(),
            open_objections: self
                .objections
                .iter()
                .filter(|o| o.resolution.is_none())
                .count(),
            changes: self.changes.len(),
            unfilled: self.changes.iter().filter(|c| c.is_unfilled()).count(),
            withdrawals: self.withdrawals.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn entry(code: &str, province: &str, applicant: &str) -> ListEntry {
        ListEntry {
            code: code.to_string(),
            province_key: province.to_string(),
            applicant: applicant.to_string(),
            type_id: "county".to_string(),
        }
    }

    fn list() -> Vec<ListEntry> {
        vec![
            entry("230001", "230000", "大庆市农委"),
            entry("230002", "230000", "宝清县农村合作经济经营管理总站"),
            entry("230003", "230000", "萝北县科学技术与信息产业局"),
        ]
    }

    fn reserve() -> Vec<ListEntry> {
        vec![
            entry("110009", "110000", "北京市某区农业农村局"),
            entry("120009", "120000", "天津市某区农业农村委"),
        ]
    }

    fn record() -> SealRecord {
        SealRecord {
            ranking_hash: "ab12".to_string(),
            incomplete: None,
        }
    }

    /// Proposed on Friday 07-31, published Monday 08-03 for 5 working days (to Friday 08-07).
    fn in_publicity() -> Publicity {
        let mut p = Publicity::new();
        assert!(
            p.propose(list(), reserve(), date(2026, 7, 31), record())
                .is_ok()
        );
        assert_eq!(
            p.start(date(2026, 8, 3), &Calendar::default(), 5),
            Ok(date(2026, 8, 7))
        );
        p
    }

    fn codes(list: &[ListEntry]) -> Vec<&str> {
        list.iter().map(|e| e.code.as_str()).collect()
    }

    fn out_of_order(step: Step, phase: Phase) -> PublicityError {
        PublicityError::OutOfOrder { step, phase }
    }

    /// A stand-in for the selection solver's rule: the first reserve unit neither listed nor
    /// removed.
    fn next_reserve(
        reserve: Vec<ListEntry>,
    ) -> impl FnOnce(&[ListEntry], &[String]) -> Result<ListEntry, Text> {
        move |list, removed| {
            reserve
                .into_iter()
                .find(|r| !list.iter().any(|e| e.code == r.code) && !removed.contains(&r.code))
                .ok_or(Text::new("备选名单已用完", "the reserve is used up"))
        }
    }

    /// Decide objection `id` on `on` with the round's 5 working days and [`next_reserve`].
    fn decide(
        p: &mut Publicity,
        id: u32,
        resolution: Resolution,
        on: Date,
    ) -> Result<Option<Change>, PublicityError> {
        let reserve = p.reserve().to_vec();
        p.resolve(
            id,
            resolution,
            on,
            &Calendar::default(),
            5,
            next_reserve(reserve),
        )
    }

    fn upheld() -> Resolution {
        Resolution::Upheld {
            note: "材料造假属实".to_string(),
        }
    }

    fn rejected() -> Resolution {
        Resolution::Rejected {
            note: "经核实，反映情况不属实".to_string(),
        }
    }

    // Replaces the test of the old built-in rule that passed over reserve units not fitting the
    // maximums: the rule now lives with the caller, which gets the list after the removal and the
    // removed codes, and may return a unit that is not on the reserve (e.g. of a province that
    // was full until this removal).
    #[test]
    fn resolve_promotes_the_unit_the_caller_returns() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230001", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        let mut seen = None;
        let newcomer = entry("230011", "230000", "绥化市农业农村局");
        let change = p
            .resolve(
                1,
                upheld(),
                date(2026, 8, 5),
                &Calendar::default(),
                5,
                |l, r| {
                    seen = Some((codes(l).join(","), r.to_vec()));
                    Ok(newcomer.clone())
                },
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            seen,
            Some(("230002,230003".to_string(), vec!["230001".to_string()]))
        );
        assert_eq!(change.promoted.as_deref(), Some("230011"));
        assert_eq!(change.unit.as_ref(), Some(&newcomer));
        assert_eq!(codes(&p.current_list()), ["230011", "230002", "230003"]);
        assert_eq!(p.objections()[0].resolved_on, Some(date(2026, 8, 5)));
        // Decided on Wednesday 08-05: published Thursday 08-06 to Wednesday 08-12.
        assert_eq!(
            p.periods()[1],
            Period::Supplementary(SupplementaryPeriod {
                code: "230011".to_string(),
                objection: 1,
                start: date(2026, 8, 6),
                end: date(2026, 8, 12),
            })
        );
        // The reserve was not used.
        assert_eq!(p.status().reserve_left, 2);
    }

    #[test]
    fn a_unit_the_caller_returns_must_be_new_to_the_list() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230001", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        let cal = Calendar::default();
        let day = date(2026, 8, 5);
        assert_eq!(
            p.resolve(1, upheld(), day, &cal, 5, |_, _| Ok(list()[1].clone())),
            Err(PublicityError::PromotedAlreadyListed {
                code: "230002".to_string()
            })
        );
        assert_eq!(
            p.resolve(1, upheld(), day, &cal, 5, |_, _| Ok(list()[0].clone())),
            Err(PublicityError::PromotedWasRemoved {
                code: "230001".to_string()
            })
        );
        assert_eq!(
            p.resolve(1, upheld(), day, &cal, 0, |_, _| Ok(reserve()[0].clone())),
            Err(PublicityError::ZeroWorkingDays)
        );
        // Nothing was written by the refusals.
        assert_eq!(p.objections()[0].resolution, None);
        assert!(p.changes().is_empty());
        assert_eq!(p.periods().len(), 1);
    }

    #[test]
    fn happy_path() {
        let mut p = Publicity::new();
        assert_eq!(p.phase(), Phase::Draft);
        let hash = p.propose(list(), reserve(), date(2026, 7, 31), record());
        assert_eq!(hash, Ok(seal(&list())));
        assert_eq!(p.phase(), Phase::Proposed);
        let end = p.start(date(2026, 8, 3), &Calendar::default(), 5);
        assert_eq!(end, Ok(date(2026, 8, 7)));
        assert_eq!(
            p.object("230002", date(2026, 8, 7), "张三", "数据不实"),
            Ok(1)
        );
        assert_eq!(decide(&mut p, 1, rejected(), date(2026, 8, 7)), Ok(None));
        assert_eq!(p.confirm(date(2026, 8, 10)), Ok(()));
        assert_eq!(p.phase(), Phase::Confirmed);
        assert_eq!(p.current_list(), list());
        assert_eq!(p.confirmed_list(), Some(list()));
        assert!(p.seal_intact());
        let status = p.status();
        assert_eq!(status.period, Some((date(2026, 8, 3), date(2026, 8, 7))));
        assert_eq!(status.confirmed_on, Some(date(2026, 8, 10)));
        assert_eq!(
            (status.listed, status.objections, status.open_objections),
            (3, 1, 0)
        );
        assert_eq!(
            status.text().en,
            "the publicity is confirmed (period 2026-08-03 to 2026-08-07), confirmed on 2026-08-10; \
             3 units listed, 2 reserve units left; 1 objection(s) (0 open); 0 change(s) to the list"
        );
    }

    #[test]
    fn start_before_propose_is_refused() {
        let mut p = Publicity::new();
        let err = p.start(date(2026, 8, 3), &Calendar::default(), 5);
        assert_eq!(err, Err(out_of_order(Step::Start, Phase::Draft)));
        let text = out_of_order(Step::Start, Phase::Draft).text();
        assert_eq!(
            text.en,
            "cannot start the publicity period while the publicity is a draft (no list proposed yet): \
             propose and seal the list first"
        );
        assert_eq!(
            text.zh,
            "公示尚处于草稿阶段（未提出拟认定名单），不能开始公示：请先提出并封存拟认定名单"
        );
        assert_eq!(p.phase(), Phase::Draft);
    }

    #[test]
    fn object_before_start_is_refused() {
        let mut p = Publicity::new();
        assert!(
            p.propose(list(), reserve(), date(2026, 7, 31), record())
                .is_ok()
        );
        let err = p.object("230001", date(2026, 8, 3), "张三", "数据不实");
        assert_eq!(err, Err(out_of_order(Step::Object, Phase::Proposed)));
        assert!(p.objections().is_empty());
    }

    #[test]
    fn object_after_end_is_refused_quoting_the_end() {
        let mut p = in_publicity();
        let err = p.object("230001", date(2026, 8, 10), "张三", "数据不实");
        assert_eq!(
            err,
            Err(PublicityError::LateObjection {
                received_on: date(2026, 8, 10),
                end: date(2026, 8, 7)
            })
        );
        let text = err.err().map(|e| e.text()).unwrap_or_default();
        assert!(text.en.contains("ended on 2026-08-07"), "{}", text.en);
        assert!(text.en.contains("late objections are not accepted"));
        assert!(text.zh.contains("2026年8月7日"), "{}", text.zh);
        // Received on the last day but registered later: still accepted.
        assert_eq!(
            p.object("230001", date(2026, 8, 7), "李四", "数据不实"),
            Ok(1)
        );
    }

    #[test]
    fn objection_before_the_period_is_refused() {
        let mut p = in_publicity();
        let err = p.object("230001", date(2026, 8, 2), "张三", "数据不实");
        assert_eq!(
            err,
            Err(PublicityError::ObjectionBeforeStart {
                received_on: date(2026, 8, 2),
                start: date(2026, 8, 3)
            })
        );
    }

    #[test]
    fn anonymous_unlisted_or_empty_objections_are_refused() {
        let mut p = in_publicity();
        let day = date(2026, 8, 4);
        assert_eq!(
            p.object("230001", day, "  ", "数据不实"),
            Err(PublicityError::AnonymousObjection)
        );
        assert_eq!(
            p.object("110009", day, "张三", "数据不实"),
            Err(PublicityError::NotOnList {
                code: "110009".to_string()
            })
        );
        assert_eq!(
            p.object("230001", day, "张三", ""),
            Err(PublicityError::EmptySummary)
        );
        assert!(p.objections().is_empty());
    }

    #[test]
    fn confirm_before_end_is_refused() {
        let mut p = in_publicity();
        assert_eq!(
            p.confirm(date(2026, 8, 7)),
            Err(PublicityError::PeriodNotOver {
                on: date(2026, 8, 7),
                end: date(2026, 8, 7)
            })
        );
        let mut q = Publicity::new();
        assert_eq!(
            q.confirm(date(2026, 8, 10)),
            Err(out_of_order(Step::Confirm, Phase::Draft))
        );
        assert_eq!(p.phase(), Phase::InPublicity);
        assert_eq!(p.confirmed_list(), None);
    }

    #[test]
    fn confirm_with_an_open_objection_is_refused() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230001", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        assert_eq!(
            p.object("230003", date(2026, 8, 5), "某单位", "重复申报"),
            Ok(2)
        );
        assert_eq!(decide(&mut p, 1, rejected(), date(2026, 8, 6)), Ok(None));
        let err = p.confirm(date(2026, 8, 10));
        assert_eq!(err, Err(PublicityError::OpenObjections { ids: vec![2] }));
        let text = err.err().map(|e| e.text()).unwrap_or_default();
        assert_eq!(
            text.en,
            "cannot confirm: objection(s) #2 still open; resolve them first"
        );
        assert_eq!(decide(&mut p, 2, rejected(), date(2026, 8, 10)), Ok(None));
        assert_eq!(p.confirm(date(2026, 8, 10)), Ok(()));
    }

    #[test]
    fn steps_after_confirmation_are_refused() {
        let mut p = in_publicity();
        assert_eq!(p.confirm(date(2026, 8, 10)), Ok(()));
        assert_eq!(
            p.object("230001", date(2026, 8, 5), "张三", "数据不实"),
            Err(out_of_order(Step::Object, Phase::Confirmed))
        );
        assert_eq!(
            p.propose(list(), reserve(), date(2026, 8, 11), record()),
            Err(out_of_order(Step::Propose, Phase::Confirmed))
        );
        assert_eq!(
            decide(&mut p, 1, upheld(), date(2026, 8, 11)),
            Err(out_of_order(Step::Resolve, Phase::Confirmed))
        );
        assert_eq!(
            p.promote(
                reserve()[0].clone(),
                "部务会决定",
                date(2026, 8, 11),
                &Calendar::default(),
                5
            ),
            Err(out_of_order(Step::Promote, Phase::Confirmed))
        );
        assert_eq!(
            p.withdraw("重新遴选", date(2026, 8, 11)),
            Err(out_of_order(Step::Withdraw, Phase::Confirmed))
        );
    }

    // Was: the publicity itself promoted the first reserve unit, and the list shrank when the
    // reserve ran out. Now the caller's rule picks the unit (here: the first reserve unit left),
    // and when it has none the change records why, leaving the place for the ministry.
    #[test]
    fn upheld_objections_promote_the_callers_unit_and_keep_the_length() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        let change = Change {
            removed: "230002".to_string(),
            promoted: Some("110009".to_string()),
            objection: 1,
            unit: Some(reserve()[0].clone()),
            no_promotion: None,
            ministry: None,
        };
        assert_eq!(
            decide(&mut p, 1, upheld(), date(2026, 8, 4)),
            Ok(Some(change.clone()))
        );
        assert_eq!(codes(&p.current_list()), ["230001", "110009", "230003"]);
        assert_eq!(p.changes(), [change]);
        // The sealed list is untouched; the change is recorded beside it.
        assert_eq!(p.proposed_list(), list());
        assert!(p.seal_intact());

        assert_eq!(
            p.object("230001", date(2026, 8, 5), "李四", "重复申报"),
            Ok(2)
        );
        let second = decide(&mut p, 2, upheld(), date(2026, 8, 5));
        assert_eq!(
            second.ok().flatten().and_then(|c| c.promoted),
            Some("120009".to_string())
        );
        assert_eq!(codes(&p.current_list()), ["120009", "110009", "230003"]);
        assert_eq!(p.status().reserve_left, 0);

        // The rule has no unit left: the change records its reason and the list is short.
        assert_eq!(
            p.object("230003", date(2026, 8, 6), "王五", "数据不实"),
            Ok(3)
        );
        let third = decide(&mut p, 3, upheld(), date(2026, 8, 6));
        assert_eq!(
            third,
            Ok(Some(Change {
                removed: "230003".to_string(),
                promoted: None,
                objection: 3,
                unit: None,
                no_promotion: Some(Reason {
                    zh: "备选名单已用完".to_string(),
                    en: "the reserve is used up".to_string()
                }),
                ministry: None,
            }))
        );
        assert_eq!(codes(&p.current_list()), ["120009", "110009"]);
        assert_eq!(p.status().unfilled, 1);
        assert!(
            p.status()
                .text()
                .en
                .ends_with("; 1 place(s) unfilled, for the ministry to decide")
        );
    }

    // Was: accepted on any day of the main period. A promoted unit is now published on its own,
    // so objections against it are taken within its supplementary period only.
    #[test]
    fn objection_to_a_promoted_unit_is_taken_within_its_own_period() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        // Decided on Tuesday 08-04: 110009 is published Wednesday 08-05 to Tuesday 08-11.
        assert!(decide(&mut p, 1, upheld(), date(2026, 8, 4)).is_ok());
        assert_eq!(
            p.object("110009", date(2026, 8, 4), "李四", "数据不实"),
            Err(PublicityError::ObjectionBeforeSupplementary {
                code: "110009".to_string(),
                received_on: date(2026, 8, 4),
                start: date(2026, 8, 5),
            })
        );
        assert_eq!(
            p.object("110009", date(2026, 8, 5), "李四", "数据不实"),
            Ok(2)
        );
        // After the main period's end but within its own.
        assert_eq!(
            p.object("110009", date(2026, 8, 11), "王五", "数据不实"),
            Ok(3)
        );
        assert_eq!(
            p.object("110009", date(2026, 8, 12), "赵六", "数据不实"),
            Err(PublicityError::LateForSupplementary {
                code: "110009".to_string(),
                received_on: date(2026, 8, 12),
                end: date(2026, 8, 11),
            })
        );
        assert_eq!(
            p.object("230002", date(2026, 8, 5), "李四", "数据不实"),
            Err(PublicityError::NotOnList {
                code: "230002".to_string()
            })
        );
    }

    #[test]
    fn rejected_objection_changes_nothing() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        assert_eq!(
            p.resolve(
                1,
                rejected(),
                date(2026, 8, 5),
                &Calendar::default(),
                5,
                |_, _| -> Result<ListEntry, Text> { panic!("a rejection promotes nobody") }
            ),
            Ok(None)
        );
        assert_eq!(p.current_list(), list());
        assert!(p.changes().is_empty());
        assert_eq!(p.periods().len(), 1);
        assert_eq!(p.status().reserve_left, 2);
        assert_eq!(p.objections()[0].resolution, Some(rejected()));
        assert_eq!(p.objections()[0].resolved_on, Some(date(2026, 8, 5)));
    }

    #[test]
    fn resolving_twice_unknown_early_or_without_a_note_is_refused() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        let day = date(2026, 8, 5);
        assert_eq!(
            decide(
                &mut p,
                1,
                Resolution::Upheld {
                    note: " ".to_string()
                },
                day
            ),
            Err(PublicityError::EmptyNote { id: 1 })
        );
        assert_eq!(
            decide(&mut p, 9, rejected(), day),
            Err(PublicityError::UnknownObjection { id: 9 })
        );
        assert_eq!(
            decide(&mut p, 1, rejected(), date(2026, 8, 3)),
            Err(PublicityError::DecisionBeforeReceipt {
                id: 1,
                on: date(2026, 8, 3),
                received_on: date(2026, 8, 4)
            })
        );
        assert_eq!(decide(&mut p, 1, rejected(), day), Ok(None));
        assert_eq!(
            decide(&mut p, 1, upheld(), day),
            Err(PublicityError::AlreadyResolved { id: 1 })
        );
        assert_eq!(p.current_list(), list());
    }

    #[test]
    fn propose_checks_the_list_and_the_record() {
        let mut p = Publicity::new();
        let day = date(2026, 7, 31);
        assert_eq!(
            p.propose(vec![], reserve(), day, record()),
            Err(PublicityError::EmptyList)
        );
        assert_eq!(
            p.propose(
                list(),
                vec![entry("230001", "230000", "大庆市农委")],
                day,
                record()
            ),
            Err(PublicityError::DuplicateCode {
                code: "230001".to_string()
            })
        );
        assert_eq!(
            p.propose(
                vec![entry(" ", "230000", "大庆市农委")],
                vec![],
                day,
                record()
            ),
            Err(PublicityError::EmptyCode {
                applicant: "大庆市农委".to_string()
            })
        );
        let no_ranking = SealRecord {
            ranking_hash: " ".to_string(),
            incomplete: None,
        };
        assert_eq!(
            p.propose(list(), reserve(), day, no_ranking),
            Err(PublicityError::EmptyRankingHash)
        );
        let incomplete = |open_sheets, reason: &str| SealRecord {
            ranking_hash: "ab12".to_string(),
            incomplete: Some(Incomplete {
                open_sheets,
                reason: reason.to_string(),
            }),
        };
        assert_eq!(
            p.propose(list(), reserve(), day, incomplete(0, "专家因病")),
            Err(PublicityError::IncompleteWithoutOpenSheets)
        );
        assert_eq!(
            p.propose(list(), reserve(), day, incomplete(2, " ")),
            Err(PublicityError::EmptyIncompleteReason)
        );
        assert_eq!(p.phase(), Phase::Draft);
        assert!(
            p.propose(
                list(),
                reserve(),
                day,
                incomplete(2, " 两位专家因病未能评分 ")
            )
            .is_ok()
        );
        assert_eq!(p.ranking_hash(), Some("ab12"));
        assert_eq!(
            p.incomplete(),
            Some(&Incomplete {
                open_sheets: 2,
                reason: "两位专家因病未能评分".to_string()
            })
        );
        // Was: a sealed but unpublished list could be proposed again in place. A seal is now
        // replaced only through a withdrawal with its reason, so no seal goes unrecorded.
        let fewer = list()[..2].to_vec();
        assert_eq!(
            p.propose(fewer.clone(), reserve(), day, record()),
            Err(out_of_order(Step::Propose, Phase::Proposed))
        );
        assert!(p.withdraw("名单有误", day).is_ok());
        assert_eq!(
            p.propose(fewer.clone(), reserve(), day, record()),
            Ok(seal(&fewer))
        );
    }

    #[test]
    fn start_checks_the_period() {
        let mut p = Publicity::new();
        assert!(
            p.propose(list(), reserve(), date(2026, 7, 31), record())
                .is_ok()
        );
        let c = Calendar::default();
        assert_eq!(
            p.start(date(2026, 8, 3), &c, 0),
            Err(PublicityError::ZeroWorkingDays)
        );
        assert_eq!(
            p.start(date(2026, 7, 30), &c, 5),
            Err(PublicityError::StartBeforeProposal {
                on: date(2026, 7, 30),
                proposed_at: date(2026, 7, 31)
            })
        );
        // Published on a Saturday: the five working days run Monday to Friday.
        assert_eq!(p.start(date(2026, 8, 1), &c, 5), Ok(date(2026, 8, 7)));
        assert_eq!(
            p.start(date(2026, 8, 3), &c, 5),
            Err(out_of_order(Step::Start, Phase::InPublicity))
        );
    }

    #[test]
    fn supplementary_dates_start_after_the_decision_and_stay_in_range() {
        let c = Calendar::default();
        // Decided on Friday 08-07: Monday 08-10 to Friday 08-14.
        assert_eq!(
            supplementary_dates(date(2026, 8, 7), &c, 5),
            Ok((date(2026, 8, 10), date(2026, 8, 14)))
        );
        // Decided on a Sunday: one working day, Monday.
        assert_eq!(
            supplementary_dates(date(2026, 8, 9), &c, 1),
            Ok((date(2026, 8, 10), date(2026, 8, 10)))
        );
        assert_eq!(
            supplementary_dates(Date::MAX, &c, 1),
            Err(PublicityError::PeriodOutOfRange {
                on: Date::MAX,
                working_days: 1
            })
        );
    }

    #[test]
    fn seal_changes_with_any_entry_and_not_when_resealed() {
        let base = list();
        let hash = seal(&base);
        assert_eq!(hash.len(), 64);
        assert_eq!(seal(&list()), hash);
        let edits: [fn(&mut ListEntry); 4] = [
            |e| e.code.push('9'),
            |e| e.province_key = "230100".to_string(),
            |e| e.applicant.push('局'),
            |e| e.type_id = "city".to_string(),
        ];
        for edit in edits {
            for i in 0..base.len() {
                let mut changed = base.clone();
                edit(&mut changed[i]);
                assert_ne!(seal(&changed), hash, "entry {i}");
            }
        }
        let mut swapped = base.clone();
        swapped.swap(0, 1);
        assert_ne!(seal(&swapped), hash);
        assert_ne!(seal(&base[..2]), hash);
    }

    #[test]
    fn seal_escapes_separators() {
        let a = vec![entry("1|2", "3", "x")];
        let b = vec![entry("1", "2|3", "x")];
        assert_ne!(seal(&a), seal(&b));
        let c = vec![entry("1", "2", "x\n4|5|y|z")];
        let d = vec![entry("1", "2", "x"), entry("4", "5", "y")];
        assert_ne!(seal(&c), seal(&d));
    }

    #[test]
    fn round_trips_through_json() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        assert!(decide(&mut p, 1, upheld(), date(2026, 8, 4)).is_ok());
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(json.contains("\"phase\":\"in_publicity\""), "{json}");
        assert!(json.contains("\"end\":\"2026-08-07\""), "{json}");
        assert!(json.contains("\"ranking_hash\":\"ab12\""), "{json}");
        assert!(json.contains("\"resolved_on\":\"2026-08-04\""), "{json}");
        let back: Result<Publicity, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(p));
    }

    #[test]
    fn outcome_labels_and_serde_names() {
        let all = [
            (Outcome::Selected, "入选", "selected", "\"selected\""),
            (
                Outcome::RemovedUpheld,
                "异议成立撤销",
                "removed (objection upheld)",
                "\"removed_upheld\"",
            ),
            (Outcome::Promoted, "递补", "promoted", "\"promoted\""),
            (Outcome::Reserve, "备选", "reserve", "\"reserve\""),
        ];
        for (o, zh, en, json) in all {
            assert_eq!(o.text(), Text::new(zh, en));
            assert_eq!(serde_json::to_string(&o).unwrap(), json);
            assert_eq!(serde_json::from_str::<Outcome>(json).unwrap(), o);
        }
    }

    #[test]
    fn every_error_has_both_languages() {
        let d = date(2026, 8, 6);
        let code = "110009".to_string();
        let errors = [
            out_of_order(Step::Confirm, Phase::Proposed),
            out_of_order(Step::Withdraw, Phase::InPublicity),
            out_of_order(Step::Promote, Phase::Draft),
            out_of_order(Step::Propose, Phase::Proposed),
            PublicityError::EmptyList,
            PublicityError::AnonymousObjection,
            PublicityError::OpenObjections { ids: vec![1, 3] },
            PublicityError::PeriodNotOver {
                on: d,
                end: date(2026, 8, 7),
            },
            PublicityError::EmptyRankingHash,
            PublicityError::IncompleteWithoutOpenSheets,
            PublicityError::EmptyIncompleteReason,
            PublicityError::EmptyWithdrawalReason,
            PublicityError::WithdrawBeforeProposal {
                on: d,
                proposed_at: d,
            },
            PublicityError::ObjectionBeforeSupplementary {
                code: code.clone(),
                received_on: d,
                start: d,
            },
            PublicityError::LateForSupplementary {
                code: code.clone(),
                received_on: d,
                end: d,
            },
            PublicityError::DecisionBeforeReceipt {
                id: 1,
                on: d,
                received_on: d,
            },
            PublicityError::PromotedAlreadyListed { code: code.clone() },
            PublicityError::PromotedWasRemoved { code: code.clone() },
            PublicityError::NoUnfilledPlace,
            PublicityError::EmptyPromotionReason,
            PublicityError::PromotionBeforeDecision {
                on: d,
                objection: 1,
                resolved_on: d,
            },
            PublicityError::SupplementaryNotOver {
                on: d,
                code: code.clone(),
                end: d,
            },
        ];
        for e in errors {
            let t = e.text();
            assert!(!t.zh.is_empty() && !t.en.is_empty(), "{e:?}");
            assert_eq!(t.en, e.to_string());
            // No English reaches the Chinese message beyond codes and numbers.
            assert!(
                !t.zh.chars().any(|c| c.is_ascii_alphabetic()),
                "{e:?}: {}",
                t.zh
            );
        }
        assert_eq!(
            PublicityError::OpenObjections { ids: vec![1, 3] }.text().zh,
            "不能确认：异议#1, #3尚未处理，请先处理"
        );
        assert_eq!(
            out_of_order(Step::Propose, Phase::Proposed).text().en,
            "cannot propose a list while the publicity has a sealed list that is not yet published: \
             withdraw it first, giving the reason"
        );
    }
}
