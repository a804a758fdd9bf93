//! The one key map. Footer hints and the help popup are built from this table, and `update`
//! resolves keys through it, so the three never drift apart.
//!
//! The types (`Context`, `Action`, `Key`, `Binding`) and the lookups are here; the rows are
//! grouped by who uses them: `popups`, `session` (first account, login), `expert` (opinion
//! editor, sheets), `ministry` (the dashboard's tabs), `common` (lists, fields, leaving,
//! everywhere), over the context groups of `contexts`. [`KEYMAP`] joins them in order.

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

mod common;
mod contexts;
mod expert;
mod ministry;
mod popups;
mod session;

use contexts::FIELDS;
pub use contexts::TOP;

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

/// The key map, group after group in this order. Earlier rows win when two match in one
/// context: popups first, then each screen's own keys, then the shared ones.
pub static KEYMAP: std::sync::LazyLock<Vec<Binding>> = std::sync::LazyLock::new(|| {
    [
        popups::POPUPS,
        expert::OPINION_EDITOR,
        session::FIRST_ACCOUNT,
        session::LOGIN,
        expert::SHEET_READ_ONLY,
        expert::SCORING,
        ministry::DASHBOARD,
        common::LIST_KEYS,
        common::FIELD_EDITING,
        common::LEAVING,
        common::EVERYWHERE_KEYS,
    ]
    .concat()
});

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
    use super::contexts::EVERYWHERE;
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
