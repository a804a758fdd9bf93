//! Helpers for tests and benchmarks: keys as messages, a buffer as text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use unicode_width::UnicodeWidthStr;

use super::app::{Msg, State};
use super::view::view;

/// A key press as a message.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A character key press.
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// A mouse event at column `x`, row `y` (0-based, as crossterm reports them).
pub fn mouse(kind: MouseEventKind, x: u16, y: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    })
}

/// A left click at column `x`, row `y`.
pub fn click(x: u16, y: u16) -> Msg {
    mouse(MouseEventKind::Down(MouseButton::Left), x, y)
}

/// One turn of the wheel towards the user (down the list) at column `x`, row `y`.
pub fn wheel_down(x: u16, y: u16) -> Msg {
    mouse(MouseEventKind::ScrollDown, x, y)
}

/// One turn of the wheel away from the user (up the list) at column `x`, row `y`.
pub fn wheel_up(x: u16, y: u16) -> Msg {
    mouse(MouseEventKind::ScrollUp, x, y)
}

/// Each character of `s` as a key press.
pub fn chars(s: &str) -> Vec<Msg> {
    s.chars().map(ch).collect()
}

/// The rows of a buffer as the terminal would show them: a wide character's hidden
/// neighbour cell is skipped, so display columns match `unicode-width` of the row text.
pub fn buffer_lines(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            let mut row = String::new();
            let mut x = area.left();
            while x < area.right() {
                let sym = buf[(x, y)].symbol();
                row.push_str(sym);
                x += (sym.width() as u16).max(1);
            }
            row
        })
        .collect()
}

/// Draw the state on a `w`×`h` test terminal and return its rows.
pub fn render(state: &State, w: u16, h: u16) -> Vec<String> {
    // The test backend cannot fail (its error type is `Infallible`).
    let Ok(mut t) = Terminal::new(TestBackend::new(w, h));
    let Ok(_) = t.draw(|f| view(state, f));
    buffer_lines(t.backend().buffer())
}

/// The display column at which `needle` starts in `row`, if it is there.
pub fn column_of(row: &str, needle: &str) -> Option<usize> {
    row.find(needle).map(|i| row[..i].width())
}
