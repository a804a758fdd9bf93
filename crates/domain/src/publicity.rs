//! The publicity (公示) of the proposed list, as a state machine:
//! draft → proposed (list sealed) → in publicity (objections registered and resolved) → confirmed.
//!
//! The proposed list is never edited: an upheld objection is recorded as a [`Change`] (unit
//! removed, first unused reserve unit promoted), and [`Publicity::current_list`] applies the
//! changes in order, so the sealed hash stays checkable and every change stays traceable.

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

/// An objection received during the publicity period.
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
}

/// A change to the list caused by an upheld objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Code of the unit removed.
    pub removed: String,
    /// Code of the reserve unit that took its place; `None` when the reserve was used up.
    pub promoted: Option<String>,
    /// The upheld objection.
    pub objection: u32,
}

/// Where the publicity stands, with what each stage fixed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum State {
    /// Nothing proposed yet.
    #[default]
    Draft,
    /// The list is sealed with `list_hash` but not yet published.
    Proposed {
        list_hash: String,
        proposed_at: Date,
    },
    /// The list is published; objections are received from `start` to `end` (both included).
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

    /// The publicity period, once started.
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
    Start,
    Object,
    Resolve,
    Confirm,
}

impl Step {
    /// The step as a verb phrase.
    pub fn text(self) -> Text {
        match self {
            Step::Propose => Text::new("提出拟认定名单", "propose a list"),
            Step::Start => Text::new("开始公示", "start the publicity period"),
            Step::Object => Text::new("登记异议", "register an objection"),
            Step::Resolve => Text::new("处理异议", "resolve an objection"),
            Step::Confirm => Text::new("确认名单", "confirm the list"),
        }
    }
}

/// What must happen before `step` can be taken in `phase`.
fn needed(step: Step, phase: Phase) -> Text {
    use Phase as P;
    use Step as S;
    match (step, phase) {
        (S::Propose, P::InPublicity) => Text::new(
            "公示中的名单只能因异议成立而变更",
            "the published list changes only through an upheld objection",
        ),
        (S::Propose, P::Confirmed) | (S::Confirm, P::Confirmed) => {
            Text::new("名单已经确认", "the list is already final")
        }
        (S::Start, P::Draft) => Text::new(
            "请先提出并封存拟认定名单",
            "propose and seal the list first",
        ),
        (S::Start, P::InPublicity) => Text::new("公示已经开始", "it has already started"),
        (S::Start, P::Confirmed) => Text::new("公示已经结束", "the publicity is over"),
        (S::Object | S::Resolve, P::Draft) => Text::new(
            "请先提出名单并开始公示",
            "propose the list and start the publicity period first",
        ),
        (S::Object | S::Resolve, P::Proposed) => {
            Text::new("请先开始公示", "start the publicity period first")
        }
        (S::Object | S::Resolve, P::Confirmed) => Text::new(
            "名单确认后不再受理或处理异议",
            "objections are closed once the list is confirmed",
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
        "cannot confirm on {on}: the publicity period runs until {end}; confirm after that day"
    )]
    PeriodNotOver { on: Date, end: Date },
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
            E::PeriodNotOver { on, end } => format!(
                "不能在{}确认：公示期至{}，请在此后确认",
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
    /// The publicity period (first and last day), once started.
    pub period: Option<(Date, Date)>,
    /// The day the list was confirmed.
    pub confirmed_on: Option<Date>,
    /// Units on the current list.
    pub listed: usize,
    /// Reserve units not yet promoted.
    pub reserve_left: usize,
    pub objections: usize,
    pub open_objections: usize,
    /// Changes made to the list by upheld objections.
    pub changes: usize,
}

impl Status {
    /// One line in both languages.
    pub fn text(&self) -> Text {
        let p = self.phase.text();
        let mut zh = format!("公示{}", p.zh);
        let mut en = format!("the publicity {}", p.en);
        if let Some((start, end)) = &self.period {
            zh.push_str(&format!("（公示期{}至{}）", zh_date(start), zh_date(end)));
            en.push_str(&format!(" (period {start} to {end})"));
        }
        if let Some(on) = &self.confirmed_on {
            zh.push_str(&format!("，{}确认", zh_date(on)));
            en.push_str(&format!(", confirmed on {on}"));
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
        Text::new(zh, en)
    }
}

/// The publicity of one round's proposed list, with its objections and changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Publicity {
    state: State,
    /// The list as proposed and sealed (never edited afterwards).
    list: Vec<ListEntry>,
    /// Units to promote, in order, when an objection against a listed unit is upheld.
    reserve: Vec<ListEntry>,
    objections: Vec<Objection>,
    changes: Vec<Change>,
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

    /// Propose and seal the list with its reserve on day `at`; returns the seal.
    ///
    /// Allowed while nothing is published (draft, or proposed again to correct the list).
    pub fn propose(
        &mut self,
        list: Vec<ListEntry>,
        reserve: Vec<ListEntry>,
        at: Date,
    ) -> Result<String, PublicityError> {
        if !matches!(self.phase(), Phase::Draft | Phase::Proposed) {
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
        let list_hash = seal(&list);
        self.list = list;
        self.reserve = reserve;
        self.state = State::Proposed {
            list_hash: list_hash.clone(),
            proposed_at: at,
        };
        Ok(list_hash)
    }

    /// Publish the list on day `on` for `working_days` working days; returns the last day of
    /// the period. If `on` is not a working day the period's working days begin on the next one.
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

    /// Register an objection to unit `code` received on `received_on`; returns its number.
    ///
    /// Only objections received within the period, against a unit on the current list, from a
    /// named objector and with a summary are accepted. An objection received in time may be
    /// registered after the period ended, as long as the list is not confirmed.
    pub fn object(
        &mut self,
        code: &str,
        received_on: Date,
        objector: &str,
        summary: &str,
    ) -> Result<u32, PublicityError> {
        let State::InPublicity { start, end, .. } = self.state else {
            return Err(self.refuse(Step::Object));
        };
        if received_on < start {
            return Err(PublicityError::ObjectionBeforeStart { received_on, start });
        }
        if received_on > end {
            return Err(PublicityError::LateObjection { received_on, end });
        }
        if !self.current_list().iter().any(|e| e.code == code) {
            return Err(PublicityError::NotOnList {
                code: code.to_string(),
            });
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
        });
        Ok(id)
    }

    /// Decide objection `id`. An upheld objection removes its unit from the list and promotes
    /// the first reserve unit not yet promoted into its place; the change is returned (`None`
    /// when the list did not change: rejected, or the unit was already removed).
    pub fn resolve(
        &mut self,
        id: u32,
        resolution: Resolution,
    ) -> Result<Option<Change>, PublicityError> {
        self.resolve_within(id, resolution, |_, _| true)
    }

    /// As [`Publicity::resolve`], promoting the first reserve unit not yet promoted for which
    /// `fits(unit, list without the removed unit)` holds, so that the list keeps the round's
    /// limits (e.g. a province's maximum); reserve units that do not fit are passed over.
    pub fn resolve_within(
        &mut self,
        id: u32,
        resolution: Resolution,
        fits: impl Fn(&ListEntry, &[ListEntry]) -> bool,
    ) -> Result<Option<Change>, PublicityError> {
        if self.phase() != Phase::InPublicity {
            return Err(self.refuse(Step::Resolve));
        }
        if resolution.note().trim().is_empty() {
            return Err(PublicityError::EmptyNote { id });
        }
        let current = self.current_list();
        let removed_code = self
            .objections
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.code.clone());
        let remaining: Vec<ListEntry> = current
            .iter()
            .filter(|e| Some(&e.code) != removed_code.as_ref())
            .cloned()
            .collect();
        let next_reserve = self
            .reserve
            .iter()
            .find(|r| {
                !self
                    .changes
                    .iter()
                    .any(|c| c.promoted.as_ref() == Some(&r.code))
                    && !current.iter().any(|e| e.code == r.code)
                    && fits(r, &remaining)
            })
            .map(|r| r.code.clone());
        let objection = self
            .objections
            .iter_mut()
            .find(|o| o.id == id)
            .ok_or(PublicityError::UnknownObjection { id })?;
        if objection.resolution.is_some() {
            return Err(PublicityError::AlreadyResolved { id });
        }
        let change = match &resolution {
            Resolution::Upheld { .. } if current.iter().any(|e| e.code == objection.code) => {
                Some(Change {
                    removed: objection.code.clone(),
                    promoted: next_reserve,
                    objection: id,
                })
            }
            _ => None,
        };
        objection.resolution = Some(resolution);
        if let Some(c) = &change {
            self.changes.push(c.clone());
        }
        Ok(change)
    }

    /// Make the list final on day `on`: only after the period ended and with every objection
    /// resolved.
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

    /// The list as it stands: the proposed list with every change applied in order (a promoted
    /// unit takes the removed unit's place).
    pub fn current_list(&self) -> Vec<ListEntry> {
        let mut list = self.list.clone();
        for c in &self.changes {
            let Some(i) = list.iter().position(|e| e.code == c.removed) else {
                continue;
            };
            let promoted = c
                .promoted
                .as_ref()
                .and_then(|p| self.reserve.iter().find(|r| &r.code == p));
            match promoted {
                Some(r) => list[i] = r.clone(),
                None => {
                    list.remove(i);
                }
            }
        }
        list
    }

    /// A summary of where the publicity stands.
    pub fn status(&self) -> Status {
        let promoted = self.changes.iter().filter(|c| c.promoted.is_some()).count();
        let confirmed_on = match &self.state {
            State::Confirmed { on, .. } => Some(*on),
            _ => None,
        };
        Status {
            phase: self.phase(),
            list_hash: self.list_hash().map(str::to_string),
            period: self.state.period(),
            confirmed_on,
            listed: self.current_list().len(),
            reserve_left: self.reserve.len().saturating_sub(promoted),
            objections: self.objections.len(),
            open_objections: self
                .objections
                .iter()
                .filter(|o| o.resolution.is_none())
                .count(),
            changes: self.changes.len(),
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

    /// Proposed on Friday 07-31, published Monday 08-03 for 5 working days (to Friday 08-07).
    fn in_publicity() -> Publicity {
        let mut p = Publicity::new();
        assert!(p.propose(list(), reserve(), date(2026, 7, 31)).is_ok());
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

    #[test]
    fn a_promotion_passes_over_reserve_units_that_do_not_fit() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230001", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        // Only units of province 120000 fit (say 110000 is at its maximum).
        let change = p
            .resolve_within(1, upheld(), |r, rest| {
                r.province_key == "120000" && !rest.iter().any(|e| e.code == "230001")
            })
            .unwrap()
            .unwrap();
        assert_eq!(change.promoted.as_deref(), Some("120009"));
        let codes: Vec<String> = p.current_list().iter().map(|e| e.code.clone()).collect();
        assert!(codes.contains(&"120009".to_string()));
        assert!(!codes.contains(&"230001".to_string()));
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

    #[test]
    fn happy_path() {
        let mut p = Publicity::new();
        assert_eq!(p.phase(), Phase::Draft);
        let hash = p.propose(list(), reserve(), date(2026, 7, 31));
        assert_eq!(hash, Ok(seal(&list())));
        assert_eq!(p.phase(), Phase::Proposed);
        let end = p.start(date(2026, 8, 3), &Calendar::default(), 5);
        assert_eq!(end, Ok(date(2026, 8, 7)));
        assert_eq!(
            p.object("230002", date(2026, 8, 7), "张三", "数据不实"),
            Ok(1)
        );
        assert_eq!(p.resolve(1, rejected()), Ok(None));
        assert_eq!(p.confirm(date(2026, 8, 10)), Ok(()));
        assert_eq!(p.phase(), Phase::Confirmed);
        assert_eq!(p.current_list(), list());
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
        assert!(p.propose(list(), reserve(), date(2026, 7, 31)).is_ok());
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
        assert_eq!(p.resolve(1, rejected()), Ok(None));
        let err = p.confirm(date(2026, 8, 10));
        assert_eq!(err, Err(PublicityError::OpenObjections { ids: vec![2] }));
        let text = err.err().map(|e| e.text()).unwrap_or_default();
        assert_eq!(
            text.en,
            "cannot confirm: objection(s) #2 still open; resolve them first"
        );
        assert_eq!(p.resolve(2, rejected()), Ok(None));
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
            p.propose(list(), reserve(), date(2026, 8, 11)),
            Err(out_of_order(Step::Propose, Phase::Confirmed))
        );
        assert_eq!(
            p.resolve(1, upheld()),
            Err(out_of_order(Step::Resolve, Phase::Confirmed))
        );
    }

    #[test]
    fn upheld_objection_promotes_the_first_reserve_and_keeps_the_length() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        let change = Change {
            removed: "230002".to_string(),
            promoted: Some("110009".to_string()),
            objection: 1,
        };
        assert_eq!(p.resolve(1, upheld()), Ok(Some(change.clone())));
        assert_eq!(codes(&p.current_list()), ["230001", "110009", "230003"]);
        assert_eq!(p.changes(), [change]);
        // The sealed list is untouched; the change is recorded beside it.
        assert_eq!(p.proposed_list(), list());
        assert!(p.seal_intact());

        // A second upheld objection takes the next unused reserve unit.
        assert_eq!(
            p.object("230001", date(2026, 8, 5), "李四", "重复申报"),
            Ok(2)
        );
        let second = p.resolve(2, upheld());
        assert_eq!(
            second.ok().flatten().and_then(|c| c.promoted),
            Some("120009".to_string())
        );
        assert_eq!(codes(&p.current_list()), ["120009", "110009", "230003"]);
        assert_eq!(p.status().reserve_left, 0);

        // With the reserve used up, the list shrinks.
        assert_eq!(
            p.object("230003", date(2026, 8, 6), "王五", "数据不实"),
            Ok(3)
        );
        let third = p.resolve(3, upheld());
        assert_eq!(
            third,
            Ok(Some(Change {
                removed: "230003".to_string(),
                promoted: None,
                objection: 3
            }))
        );
        assert_eq!(codes(&p.current_list()), ["120009", "110009"]);
    }

    #[test]
    fn objection_to_a_promoted_unit_is_accepted() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        assert!(p.resolve(1, upheld()).is_ok());
        assert_eq!(
            p.object("110009", date(2026, 8, 5), "李四", "数据不实"),
            Ok(2)
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
        assert_eq!(p.resolve(1, rejected()), Ok(None));
        assert_eq!(p.current_list(), list());
        assert!(p.changes().is_empty());
        assert_eq!(p.status().reserve_left, 2);
        assert_eq!(p.objections()[0].resolution, Some(rejected()));
    }

    #[test]
    fn resolving_twice_unknown_or_without_a_note_is_refused() {
        let mut p = in_publicity();
        assert_eq!(
            p.object("230002", date(2026, 8, 4), "张三", "数据不实"),
            Ok(1)
        );
        assert_eq!(
            p.resolve(
                1,
                Resolution::Upheld {
                    note: " ".to_string()
                }
            ),
            Err(PublicityError::EmptyNote { id: 1 })
        );
        assert_eq!(
            p.resolve(9, rejected()),
            Err(PublicityError::UnknownObjection { id: 9 })
        );
        assert_eq!(p.resolve(1, rejected()), Ok(None));
        assert_eq!(
            p.resolve(1, upheld()),
            Err(PublicityError::AlreadyResolved { id: 1 })
        );
        assert_eq!(p.current_list(), list());
    }

    #[test]
    fn propose_checks_the_list() {
        let mut p = Publicity::new();
        let day = date(2026, 7, 31);
        assert_eq!(
            p.propose(vec![], reserve(), day),
            Err(PublicityError::EmptyList)
        );
        assert_eq!(
            p.propose(list(), vec![entry("230001", "230000", "大庆市农委")], day),
            Err(PublicityError::DuplicateCode {
                code: "230001".to_string()
            })
        );
        assert_eq!(
            p.propose(vec![entry(" ", "230000", "大庆市农委")], vec![], day),
            Err(PublicityError::EmptyCode {
                applicant: "大庆市农委".to_string()
            })
        );
        assert_eq!(p.phase(), Phase::Draft);
        // A sealed but unpublished list may be proposed again.
        assert!(p.propose(list(), reserve(), day).is_ok());
        let fewer = list()[..2].to_vec();
        assert_eq!(p.propose(fewer.clone(), reserve(), day), Ok(seal(&fewer)));
    }

    #[test]
    fn start_checks_the_period() {
        let mut p = Publicity::new();
        assert!(p.propose(list(), reserve(), date(2026, 7, 31)).is_ok());
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
        assert!(p.resolve(1, upheld()).is_ok());
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(json.contains("\"phase\":\"in_publicity\""), "{json}");
        assert!(json.contains("\"end\":\"2026-08-07\""), "{json}");
        let back: Result<Publicity, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(p));
    }

    #[test]
    fn every_error_has_both_languages() {
        let errors = [
            out_of_order(Step::Confirm, Phase::Proposed),
            PublicityError::EmptyList,
            PublicityError::AnonymousObjection,
            PublicityError::OpenObjections { ids: vec![1, 3] },
            PublicityError::PeriodNotOver {
                on: date(2026, 8, 6),
                end: date(2026, 8, 7),
            },
        ];
        for e in errors {
            let t = e.text();
            assert!(!t.zh.is_empty() && !t.en.is_empty(), "{e:?}");
            assert_eq!(t.en, e.to_string());
        }
        assert_eq!(
            PublicityError::OpenObjections { ids: vec![1, 3] }.text().zh,
            "不能确认：异议#1, #3尚未处理，请先处理"
        );
    }
}
