//! The keys every screen shares: lists, field editing, going back and leaving, and what works
//! everywhere.

use super::Context as C;
use super::contexts::*;
use super::{Action, Binding, Key, b};
use ratatui::crossterm::event::KeyCode as K;

/// Lists (moving, paging, searching).
pub const LIST_KEYS: &[Binding] = &[
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
];

/// Field editing.
pub const FIELD_EDITING: &[Binding] = &[
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
];

/// Leaving.
pub const LEAVING: &[Binding] = &[
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
];

/// Everywhere (help, language, quitting).
pub const EVERYWHERE_KEYS: &[Binding] = &[
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
