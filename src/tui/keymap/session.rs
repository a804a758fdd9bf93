//! The keys of the first-account form and the login.

use super::Context as C;
use super::{Action, Binding, Key, b};
use ratatui::crossterm::event::KeyCode as K;

/// First account.
pub const FIRST_ACCOUNT: &[Binding] = &[
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
];

/// Login.
pub const LOGIN: &[Binding] = &[
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
];
