//! The popups' keys: help, confirmations and text popups take keys before the screen beneath.

use super::Context as C;
use super::{Action, Binding, Key, b};
use ratatui::crossterm::event::KeyCode as K;

/// Popups.
pub const POPUPS: &[Binding] = &[
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
];
