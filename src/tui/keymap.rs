//! The one key map. Footer hints and the help popup are built from this table, and `update`
//! resolves keys through it, so the three never drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::lang::Lang;

/// Where the keyboard focus is; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Login,
    /// The login screen on a database with no accounts but with data: the first-account form.
    FirstAccount,
    /// The first-account form on an empty database, where the demo round may be loaded.
    FirstAccountOrDemo,
    ExpertList,
    /// Scoring one criterion of a sheet.
    Scoring,
    /// The sheet's summary before submitting.
    Summary,
    /// A submitted sheet's criteria, open read-only.
    SheetReadOnly,
    /// A submitted sheet's summary, read-only.
    SummaryReadOnly,
    OfficialDossiers,
    Findings,
    FileView,
    /// The findings of a batch refused at the national import (official).
    Refusal,
    /// The dashboard's overview tab (ministry staff and clerks).
    Dashboard,
    /// The dashboard's assignment tab.
    Assignment,
    /// The dashboard's ranking tab.
    Ranking,
    /// A dossier's calculation sheet, opened from the ranking.
    Explain,
    /// A list opened over a dashboard tab to read (import refusals, the roster).
    Sublist,
    /// A list opened over a dashboard tab to choose from (swap: who goes out, who comes in;
    /// reopen: whose sheet).
    Pick,
    /// The dashboard's selection tab (with the what-if panel).
    Selection,
    /// The dashboard's publicity tab.
    Publicity,
    /// The dashboard's documents tab.
    Documents,
    /// The panel meeting tab (会评) in the review phase: the band, the sheets, the votes.
    Panel,
    /// The panel meeting tab outside the review phase: read-only.
    PanelReadOnly,
    /// The panel tab's review statistics (harshness, agreement, ICC(1), rank intervals).
    Stats,
    /// The files a generation wrote, listed under the documents tab.
    DocumentsWritten,
    /// Typing a `/` search filter on a list.
    Filter,
    /// A popup with a text field (recusal reason, folder path).
    TextPopup,
    /// The multi-line opinion editor over the scoring screen.
    OpinionEditor,
    Confirm,
    Help,
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Log out: back to the login screen, for another account.
    LogOut,
    Back,
    Help,
    ToggleLang,
    Up,
    Down,
    PageUp,
    PageDown,
    Open,
    Search,
    NextField,
    /// A printable character for the focused field.
    Type,
    DeleteChar,
    CursorLeft,
    CursorRight,
    /// Field editing: delete from the start of the field to the cursor (Ctrl-U).
    ClearToStart,
    /// Field editing: delete the word before the cursor (Ctrl-W).
    DeleteWordBack,
    /// Field editing: cursor to the start (Home, Ctrl-A).
    CursorHome,
    /// Field editing: cursor to the end (End, Ctrl-E).
    CursorEnd,
    /// Multi-line field: a line break (Enter).
    NewLine,
    /// Field editing: delete the character under the cursor (Delete).
    DeleteForward,
    /// Multi-line field: save and close (Ctrl-S).
    SaveText,
    Accept,
    Cancel,
    Confirm,
    SaveScore,
    NextCriterion,
    PrevCriterion,
    Opinion,
    Recommend,
    NotRecommend,
    Summary,
    Submit,
    Recuse,
    RecheckFolder,
    /// The official: why the province's batch was refused at the national import.
    Refusals,
    NextTab,
    PrevTab,
    /// Run the expert assignment (seed 1).
    RunAssignment,
    /// Swap one expert of the selected dossier.
    Swap,
    /// The assignment tab: the roster (province, unit, expertise, declared conflicts).
    Roster,
    /// The assignment tab: reopen a submitted sheet of the selected dossier.
    Reopen,
    /// Cycle the ranking's sort column.
    CycleSort,
    /// Cycle the ranking's province filter.
    FilterProvince,
    /// Cycle the ranking's type filter.
    FilterType,
    /// Type the ranking's province filter.
    ChooseProvince,
    /// Type the ranking's type filter.
    ChooseType,
    /// What-if: the number of units to select.
    SetTarget,
    /// What-if: the size of the reserve list.
    SetReserve,
    /// What-if: units one province may have.
    SetMaxPerProvince,
    /// What-if: back to round.toml's constraints.
    ResetConstraints,
    /// What-if: the most units of each type on the list.
    SetMaxPerType,
    Propose,
    /// Withdraw the sealed list before its publicity starts (reason recorded).
    Withdraw,
    StartPublicity,
    Object,
    Resolve,
    ConfirmList,
    /// Write the documents of the current phase as PDFs (and the exports).
    GenerateDocuments,
    /// Write the selected document of the documents tab.
    GenerateSelected,
    /// Choose the folder the documents are written into.
    ChooseFolder,
    /// The panel tab: open the meeting (record the band in the audit log).
    OpenBand,
    /// The panel tab: record the panel's vote on the selected dossier.
    Vote,
    /// The panel tab: switch between the band and the review statistics.
    ToggleStats,
    /// The first-account form on an empty database: load the demo round instead.
    LoadDemo,
    /// Scroll the criterion's guidance.
    GuidanceDown,
    GuidanceUp,
}

/// A key, as written in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    /// `0`–`9` and `.` (points).
    Digits,
}

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (self, ev.code) {
            (Key::Char(c), KeyCode::Char(d)) => !ctrl && c == d,
            (Key::Ctrl(c), KeyCode::Char(d)) => {
                ev.modifiers.contains(KeyModifiers::CONTROL) && c.eq_ignore_ascii_case(&d)
            }
            (Key::Digits, KeyCode::Char(d)) => !ctrl && (d.is_ascii_digit() || d == '.'),
            (Key::Code(c), code) => c == code,
            _ => false,
        }
    }

    /// How the key is shown in hints and help.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Digits => "0-9 .".into(),
            Key::Code(code) => match code {
                KeyCode::Up => "↑".into(),
                KeyCode::Down => "↓".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "S-Tab".into(),
                KeyCode::Backspace => "Bksp".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::Delete => "Del".into(),
                KeyCode::F(n) => format!("F{n}"),
                other => format!("{other:?}"),
            },
        }
    }
}

/// One row of the key map.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub zh: &'static str,
    pub en: &'static str,
    pub contexts: &'static [Context],
    /// Shown in the footer (all bindings are shown in help).
    pub hint: bool,
}

impl Binding {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// The keys as shown: `↑/k`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join("/")
    }
}

use Context as C;
use KeyCode as K;

/// The dashboard's tabs.
const TABS: &[Context] = &[
    C::Dashboard,
    C::Assignment,
    C::Ranking,
    C::Panel,
    C::PanelReadOnly,
    C::Stats,
    C::Selection,
    C::Publicity,
    C::Documents,
];
/// Contexts where letters are commands (not typed into a field).
const COMMAND: &[Context] = &[
    C::Sublist,
    C::Pick,
    C::ExpertList,
    C::Scoring,
    C::Summary,
    C::SheetReadOnly,
    C::SummaryReadOnly,
    C::OfficialDossiers,
    C::Findings,
    C::FileView,
    C::Refusal,
    C::Dashboard,
    C::Assignment,
    C::Ranking,
    C::Explain,
    C::Panel,
    C::PanelReadOnly,
    C::Stats,
    C::Selection,
    C::Publicity,
    C::Documents,
    C::DocumentsWritten,
];
const LISTS: &[Context] = &[
    C::ExpertList,
    C::OfficialDossiers,
    C::Findings,
    C::Refusal,
    C::Dashboard,
    C::Assignment,
    C::Ranking,
];
const SCROLLING: &[Context] = &[
    C::Sublist,
    C::Pick,
    C::SummaryReadOnly,
    C::ExpertList,
    C::OfficialDossiers,
    C::Findings,
    C::FileView,
    C::Refusal,
    C::Dashboard,
    C::Assignment,
    C::Ranking,
    C::Explain,
    C::Panel,
    C::PanelReadOnly,
    C::Stats,
    C::Selection,
    C::Publicity,
    C::Documents,
    C::DocumentsWritten,
    C::Summary,
    C::Help,
];
/// The home screens of the roles: `Esc` has no level to go back to there.
pub const TOP: &[Context] = &[
    C::ExpertList,
    C::OfficialDossiers,
    C::Dashboard,
    C::Assignment,
    C::Ranking,
    C::Panel,
    C::PanelReadOnly,
    C::Stats,
    C::Selection,
    C::Publicity,
    C::Documents,
];
/// Contexts where unbound printable characters are typed into a field.
const FIELDS: &[Context] = &[
    C::Login,
    C::FirstAccount,
    C::FirstAccountOrDemo,
    C::Filter,
    C::TextPopup,
    C::OpinionEditor,
];
/// Contexts with a field that takes the editing keys (the points field takes digits only).
const EDITING: &[Context] = &[
    C::Login,
    C::FirstAccount,
    C::FirstAccountOrDemo,
    C::Filter,
    C::TextPopup,
    C::OpinionEditor,
    C::Scoring,
];
const EVERYWHERE: &[Context] = &[
    C::Sublist,
    C::Pick,
    C::Login,
    C::FirstAccount,
    C::FirstAccountOrDemo,
    C::ExpertList,
    C::Scoring,
    C::Summary,
    C::SheetReadOnly,
    C::SummaryReadOnly,
    C::OfficialDossiers,
    C::Findings,
    C::FileView,
    C::Refusal,
    C::Dashboard,
    C::Assignment,
    C::Ranking,
    C::Explain,
    C::Panel,
    C::PanelReadOnly,
    C::Stats,
    C::Selection,
    C::Publicity,
    C::Documents,
    C::DocumentsWritten,
    C::Filter,
    C::TextPopup,
    C::OpinionEditor,
    C::Confirm,
    C::Help,
];

const fn b(
    keys: &'static [Key],
    action: Action,
    zh: &'static str,
    en: &'static str,
    contexts: &'static [Context],
    hint: bool,
) -> Binding {
    Binding {
        keys,
        action,
        zh,
        en,
        contexts,
        hint,
    }
}

/// The key map. Earlier rows win when two match in one context.
pub const KEYMAP: &[Binding] = &[
    // Popups first: they take keys before the screen beneath.
    // An irreversible step needs `y`: Enter alone does nothing there (see `popup::handle`).
    b(
        &[Key::Char('y')],
        Action::Confirm,
        "确认",
        "confirm",
        &[C::Confirm],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Accept,
        "确认（可撤销的操作）",
        "confirm (reversible steps)",
        &[C::Confirm],
        false,
    ),
    b(
        &[Key::Char('n'), Key::Code(K::Esc)],
        Action::Cancel,
        "取消",
        "cancel",
        &[C::Confirm],
        true,
    ),
    b(
        &[Key::Code(K::Esc), Key::Char('?'), Key::Char('q')],
        Action::Back,
        "关闭帮助",
        "close help",
        &[C::Help],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Accept,
        "确定",
        "accept",
        &[C::TextPopup, C::Filter],
        true,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Cancel,
        "取消",
        "cancel",
        &[C::TextPopup],
        true,
    ),
    // The opinion editor: Enter is a line break, Ctrl-S saves.
    b(
        &[Key::Ctrl('s')],
        Action::SaveText,
        "保存意见",
        "save opinion",
        &[C::OpinionEditor],
        true,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Cancel,
        "关闭",
        "close",
        &[C::OpinionEditor],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::NewLine,
        "换行",
        "new line",
        &[C::OpinionEditor],
        true,
    ),
    b(
        &[Key::Code(K::Up)],
        Action::Up,
        "上一行",
        "line up",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::Down)],
        Action::Down,
        "下一行",
        "line down",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::PageUp)],
        Action::PageUp,
        "上一页",
        "page up",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::PageDown)],
        Action::PageDown,
        "下一页",
        "page down",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::Delete)],
        Action::DeleteForward,
        "删除光标处字符",
        "delete at cursor",
        &[C::OpinionEditor],
        false,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Cancel,
        "清除筛选",
        "clear filter",
        &[C::Filter],
        true,
    ),
    // The first account (a database with no accounts).
    b(
        &[Key::Code(K::Tab), Key::Code(K::Up), Key::Code(K::Down)],
        Action::NextField,
        "下一项",
        "next field",
        &[C::FirstAccount, C::FirstAccountOrDemo],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Accept,
        "下一项/创建并登录",
        "next / create and log in",
        &[C::FirstAccount, C::FirstAccountOrDemo],
        true,
    ),
    b(
        &[Key::Ctrl('d'), Key::Code(K::F(3))],
        Action::LoadDemo,
        "载入演示数据",
        "load the demo",
        &[C::FirstAccountOrDemo],
        true,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Quit,
        "退出",
        "quit",
        &[C::FirstAccount, C::FirstAccountOrDemo],
        true,
    ),
    // Login.
    b(
        &[Key::Code(K::Tab), Key::Code(K::Up), Key::Code(K::Down)],
        Action::NextField,
        "切换输入框",
        "next field",
        &[C::Login],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Accept,
        "登录",
        "log in",
        &[C::Login],
        true,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Quit,
        "退出",
        "quit",
        &[C::Login],
        true,
    ),
    // A submitted sheet: read, page through, nothing to change (digits say it is locked).
    b(
        &[Key::Code(K::Down), Key::Code(K::Tab)],
        Action::NextCriterion,
        "下一项",
        "next",
        &[C::SheetReadOnly],
        true,
    ),
    b(
        &[Key::Code(K::Up), Key::Code(K::BackTab)],
        Action::PrevCriterion,
        "上一项",
        "previous",
        &[C::SheetReadOnly],
        true,
    ),
    b(
        &[Key::Char('s')],
        Action::Summary,
        "汇总",
        "summary",
        &[C::SheetReadOnly],
        true,
    ),
    b(
        &[Key::Digits],
        Action::Type,
        "已提交，只读",
        "submitted, read-only",
        &[C::SheetReadOnly, C::SummaryReadOnly],
        false,
    ),
    // Scoring one criterion.
    b(
        &[Key::Digits],
        Action::Type,
        "输入分数",
        "type points",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::SaveScore,
        "保存分数",
        "save points",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Char(']')],
        Action::GuidanceDown,
        "说明下翻",
        "guidance down",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Char('[')],
        Action::GuidanceUp,
        "说明上翻",
        "guidance up",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Code(K::Down), Key::Code(K::Tab)],
        Action::NextCriterion,
        "下一项",
        "next criterion",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::Up), Key::Code(K::BackTab)],
        Action::PrevCriterion,
        "上一项",
        "previous criterion",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::PageDown)],
        Action::PageDown,
        "申报书下翻",
        "scroll dossier down",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Code(K::PageUp)],
        Action::PageUp,
        "申报书上翻",
        "scroll dossier up",
        &[C::Scoring, C::SheetReadOnly],
        false,
    ),
    b(
        &[Key::Char('o')],
        Action::Opinion,
        "评审意见",
        "opinion",
        &[C::Scoring, C::Summary],
        true,
    ),
    b(
        &[Key::Char('y')],
        Action::Recommend,
        "推荐",
        "recommend",
        &[C::Scoring, C::Summary],
        true,
    ),
    b(
        &[Key::Char('n')],
        Action::NotRecommend,
        "不推荐",
        "do not recommend",
        &[C::Scoring, C::Summary],
        true,
    ),
    b(
        &[Key::Char('s')],
        Action::Summary,
        "汇总",
        "summary",
        &[C::Scoring],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Submit,
        "提交",
        "submit",
        &[C::Summary],
        true,
    ),
    b(
        &[Key::Char('x')],
        Action::Recuse,
        "申请回避",
        "recuse",
        &[C::Scoring, C::ExpertList],
        true,
    ),
    // Dashboard tabs: their own commands first, so the footer shows them first.
    b(
        &[Key::Char('a')],
        Action::RunAssignment,
        "分配专家",
        "assign",
        &[C::Assignment],
        true,
    ),
    b(
        &[Key::Char('w')],
        Action::Swap,
        "调换专家",
        "swap expert",
        &[C::Assignment],
        true,
    ),
    b(
        &[Key::Char('e')],
        Action::Roster,
        "专家名单",
        "roster",
        &[C::Assignment],
        true,
    ),
    b(
        &[Key::Char('o')],
        Action::Reopen,
        "重开评分表",
        "reopen sheet",
        &[C::Assignment],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Open,
        "选定",
        "choose",
        &[C::Pick],
        true,
    ),
    b(
        &[Key::Code(K::Esc), Key::Char('q')],
        Action::Back,
        "返回",
        "back",
        &[C::Sublist, C::Pick],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Open,
        "计算单",
        "explain",
        &[C::Ranking],
        true,
    ),
    b(
        &[Key::Char('o')],
        Action::CycleSort,
        "排序",
        "sort",
        &[C::Ranking, C::ExpertList],
        true,
    ),
    b(
        &[Key::Char('p')],
        Action::FilterProvince,
        "按省份",
        "province",
        &[C::Ranking],
        true,
    ),
    b(
        &[Key::Char('t')],
        Action::FilterType,
        "按类型",
        "type",
        &[C::Ranking],
        true,
    ),
    b(
        &[Key::Char('P')],
        Action::ChooseProvince,
        "输入省份",
        "type a province",
        &[C::Ranking],
        false,
    ),
    b(
        &[Key::Char('T')],
        Action::ChooseType,
        "输入类型",
        "type a type",
        &[C::Ranking],
        false,
    ),
    b(
        &[Key::Char('v')],
        Action::Vote,
        "记录表决",
        "record a vote",
        &[C::Panel],
        true,
    ),
    b(
        &[Key::Char('o')],
        Action::OpenBand,
        "开会（记录范围）",
        "open the meeting",
        &[C::Panel],
        true,
    ),
    b(
        &[Key::Char('s')],
        Action::ToggleStats,
        "评审统计",
        "statistics",
        &[C::Panel, C::PanelReadOnly],
        true,
    ),
    b(
        &[Key::Char('s'), Key::Code(K::Esc)],
        Action::ToggleStats,
        "返回会评范围",
        "back to the band",
        &[C::Stats],
        true,
    ),
    b(
        &[Key::Code(K::PageDown)],
        Action::PageDown,
        "评分表与意见下翻",
        "sheets and opinions down",
        &[C::Panel, C::PanelReadOnly],
        false,
    ),
    b(
        &[Key::Code(K::PageUp)],
        Action::PageUp,
        "评分表与意见上翻",
        "sheets and opinions up",
        &[C::Panel, C::PanelReadOnly],
        false,
    ),
    b(
        &[Key::Char('t')],
        Action::SetTarget,
        "名额",
        "target",
        &[C::Selection],
        true,
    ),
    b(
        &[Key::Char('r')],
        Action::SetReserve,
        "备选数",
        "reserve",
        &[C::Selection],
        true,
    ),
    b(
        &[Key::Char('m')],
        Action::SetMaxPerProvince,
        "每省上限",
        "per province",
        &[C::Selection],
        true,
    ),
    b(
        &[Key::Char('l')],
        Action::SetMaxPerType,
        "每类上限",
        "per type",
        &[C::Selection],
        true,
    ),
    b(
        &[Key::Char('x')],
        Action::ResetConstraints,
        "恢复约束",
        "reset",
        &[C::Selection],
        true,
    ),
    b(
        &[Key::Char('p')],
        Action::Propose,
        "提出名单",
        "propose",
        &[C::Publicity],
        true,
    ),
    b(
        &[Key::Char('w')],
        Action::Withdraw,
        "撤回名单",
        "withdraw",
        &[C::Publicity],
        true,
    ),
    b(
        &[Key::Char('s')],
        Action::StartPublicity,
        "开始公示",
        "start",
        &[C::Publicity],
        true,
    ),
    b(
        &[Key::Char('o')],
        Action::Object,
        "登记异议",
        "objection",
        &[C::Publicity],
        true,
    ),
    b(
        &[Key::Char('r')],
        Action::Resolve,
        "处理异议",
        "resolve",
        &[C::Publicity],
        true,
    ),
    b(
        &[Key::Char('c')],
        Action::ConfirmList,
        "确认名单",
        "confirm",
        &[C::Publicity],
        true,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::GenerateSelected,
        "生成所选",
        "generate selected",
        &[C::Documents],
        true,
    ),
    b(
        &[Key::Char('g')],
        Action::GenerateDocuments,
        "全部生成",
        "generate all",
        &[C::Documents],
        true,
    ),
    b(
        &[Key::Char('f')],
        Action::ChooseFolder,
        "输出文件夹",
        "folder",
        &[C::Documents],
        true,
    ),
    b(
        &[Key::Code(K::Esc), Key::Char('q')],
        Action::Back,
        "返回文书列表",
        "back to the documents",
        &[C::DocumentsWritten],
        true,
    ),
    b(
        &[Key::Code(K::Esc), Key::Char('q')],
        Action::Back,
        "返回排名",
        "back to ranking",
        &[C::Explain],
        true,
    ),
    // Lists.
    b(
        &[Key::Code(K::Up), Key::Char('k')],
        Action::Up,
        "上移",
        "up",
        SCROLLING,
        false,
    ),
    b(
        &[Key::Code(K::Down), Key::Char('j')],
        Action::Down,
        "下移",
        "down",
        SCROLLING,
        false,
    ),
    b(
        &[Key::Code(K::PageUp)],
        Action::PageUp,
        "上一页",
        "page up",
        SCROLLING,
        false,
    ),
    b(
        &[Key::Code(K::PageDown)],
        Action::PageDown,
        "下一页",
        "page down",
        SCROLLING,
        false,
    ),
    b(
        &[Key::Code(K::Enter)],
        Action::Open,
        "打开",
        "open",
        &[C::ExpertList, C::Findings, C::OfficialDossiers],
        true,
    ),
    b(
        &[Key::Char('/')],
        Action::Search,
        "搜索",
        "search",
        LISTS,
        true,
    ),
    b(
        &[Key::Char('f')],
        Action::RecheckFolder,
        "复查文件夹",
        "re-check folder",
        &[C::OfficialDossiers, C::Findings, C::Refusal],
        true,
    ),
    b(
        &[Key::Char('r')],
        Action::Refusals,
        "拒收原因",
        "refusal reasons",
        &[C::OfficialDossiers, C::Dashboard],
        true,
    ),
    b(
        &[Key::Code(K::Tab), Key::Code(K::Right)],
        Action::NextTab,
        "下一栏",
        "next tab",
        TABS,
        true,
    ),
    b(
        &[Key::Code(K::BackTab), Key::Code(K::Left)],
        Action::PrevTab,
        "上一栏",
        "previous tab",
        TABS,
        false,
    ),
    // Field editing.
    b(
        &[Key::Code(K::Backspace)],
        Action::DeleteChar,
        "删除",
        "delete",
        &[
            C::Login,
            C::Filter,
            C::TextPopup,
            C::OpinionEditor,
            C::Scoring,
        ],
        false,
    ),
    b(
        &[Key::Code(K::Left)],
        Action::CursorLeft,
        "光标左移",
        "cursor left",
        EDITING,
        false,
    ),
    b(
        &[Key::Code(K::Right)],
        Action::CursorRight,
        "光标右移",
        "cursor right",
        EDITING,
        false,
    ),
    b(
        &[Key::Code(K::Home), Key::Ctrl('a')],
        Action::CursorHome,
        "光标到行首",
        "cursor to start",
        EDITING,
        false,
    ),
    b(
        &[Key::Code(K::End), Key::Ctrl('e')],
        Action::CursorEnd,
        "光标到行尾",
        "cursor to end",
        EDITING,
        false,
    ),
    b(
        &[Key::Ctrl('u')],
        Action::ClearToStart,
        "删除光标前全部",
        "delete to start",
        EDITING,
        false,
    ),
    b(
        &[Key::Ctrl('w')],
        Action::DeleteWordBack,
        "删除前一个词",
        "delete word back",
        EDITING,
        false,
    ),
    // Going back and leaving.
    b(
        &[Key::Code(K::Esc), Key::Char('q')],
        Action::Back,
        "返回",
        "back",
        &[
            C::Scoring,
            C::Summary,
            C::SheetReadOnly,
            C::SummaryReadOnly,
            C::Findings,
            C::FileView,
            C::Refusal,
        ],
        true,
    ),
    b(
        &[Key::Code(K::Esc)],
        Action::Back,
        "返回",
        "back",
        TOP,
        false,
    ),
    b(
        &[Key::Char('u')],
        Action::LogOut,
        "注销（换账号）",
        "log out",
        TOP,
        true,
    ),
    b(
        &[Key::Char('q')],
        Action::Quit,
        "退出",
        "quit",
        &[
            C::ExpertList,
            C::OfficialDossiers,
            C::Dashboard,
            C::Assignment,
            C::Ranking,
            C::Panel,
            C::PanelReadOnly,
            C::Stats,
            C::Selection,
            C::Publicity,
            C::Documents,
        ],
        true,
    ),
    // Everywhere.
    b(
        &[Key::Char('?'), Key::Code(K::F(1))],
        Action::Help,
        "帮助",
        "help",
        COMMAND,
        true,
    ),
    b(
        &[Key::Code(K::F(1))],
        Action::Help,
        "帮助",
        "help",
        &[
            C::Login,
            C::FirstAccount,
            C::FirstAccountOrDemo,
            C::OpinionEditor,
        ],
        true,
    ),
    b(
        &[Key::Char('L'), Key::Code(K::F(2))],
        Action::ToggleLang,
        "中/英",
        "中/EN",
        COMMAND,
        true,
    ),
    b(
        &[Key::Code(K::F(2))],
        Action::ToggleLang,
        "中/英",
        "中/EN",
        &[
            C::Login,
            C::FirstAccount,
            C::FirstAccountOrDemo,
            C::OpinionEditor,
        ],
        true,
    ),
    b(
        &[Key::Ctrl('c')],
        Action::Quit,
        "立即退出",
        "quit now",
        EVERYWHERE,
        false,
    ),
];

/// Contexts where an unbound printable character is typed into a field.
fn types_text(ctx: Context) -> bool {
    FIELDS.contains(&ctx)
}

/// What a key does in a context, if anything.
pub fn resolve(ctx: Context, ev: &KeyEvent) -> Option<Action> {
    if let Some(b) = KEYMAP
        .iter()
        .find(|b| b.contexts.contains(&ctx) && b.keys.iter().any(|k| k.matches(ev)))
    {
        return Some(b.action);
    }
    match ev.code {
        KeyCode::Char(c)
            if types_text(ctx)
                && !c.is_control()
                && !ev
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Type)
        }
        _ => None,
    }
}

/// Every binding that applies in a context, in table order.
pub fn bindings(ctx: Context) -> impl Iterator<Item = &'static Binding> {
    KEYMAP.iter().filter(move |b| b.contexts.contains(&ctx))
}

/// The footer: the hinted bindings of a context, each as its first key, its label and action.
pub fn hints(ctx: Context, lang: Lang) -> Vec<(String, &'static str, Action)> {
    bindings(ctx)
        .filter(|b| b.hint)
        .map(|b| {
            let key = b.keys.first().map_or_else(String::new, |k| k.label());
            (key, b.label(lang), b.action)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn letters_are_commands_in_lists_and_text_in_fields() {
        let q = key(KeyCode::Char('q'));
        assert_eq!(resolve(Context::ExpertList, &q), Some(Action::Quit));
        assert_eq!(resolve(Context::Login, &q), Some(Action::Type));
        assert_eq!(resolve(Context::Filter, &q), Some(Action::Type));
        let d = key(KeyCode::Char('7'));
        assert_eq!(resolve(Context::Scoring, &d), Some(Action::Type));
        assert_eq!(resolve(Context::Scoring, &key(KeyCode::Char('z'))), None);
        let shift_l = KeyEvent::new(KeyCode::Char('L'), KeyModifiers::SHIFT);
        assert_eq!(
            resolve(Context::Dashboard, &shift_l),
            Some(Action::ToggleLang)
        );
        let w = key(KeyCode::Char('w'));
        assert_eq!(resolve(Context::Publicity, &w), Some(Action::Withdraw));
        assert_eq!(resolve(Context::Assignment, &w), Some(Action::Swap));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(Context::Login, &ctrl_c), Some(Action::Quit));
        assert_eq!(resolve(Context::TextPopup, &ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn every_context_has_a_way_out_and_hints() {
        for ctx in EVERYWHERE {
            assert!(
                bindings(*ctx)
                    .any(|b| matches!(b.action, Action::Quit | Action::Back | Action::Cancel)),
                "{ctx:?}"
            );
            assert!(!hints(*ctx, Lang::Zh).is_empty(), "{ctx:?}");
        }
    }
}
