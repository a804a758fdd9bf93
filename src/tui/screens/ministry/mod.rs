//! The dashboard's tabs for ministry staff and the clerk, one file each, and what they share.

pub mod assignment;
pub mod assignment_job;
mod assignment_view;
pub mod documents;
pub mod documents_view;
pub mod job;
pub mod overview;
pub mod overview_job;
pub mod panel;
pub mod panel_job;
pub mod panel_sheets;
pub mod publicity;
pub mod ranking;
pub mod ranking_job;
pub mod reading;
pub mod refresh;
pub mod refusals;
pub mod roster;
pub mod selection;
mod selection_lists;
pub mod stats;
pub mod swap;
pub mod what_if;
pub mod written;

use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::access::User;
use crate::store::StoreError;
use crate::tui::core::Env;
use crate::tui::input::LineInput;
use crate::tui::popup::{InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::truncate;
use crate::tui::theme;

use super::dashboard::Tab;

/// The logged-in user, or the error to show.
pub fn user(env: &Env) -> Result<User, StoreError> {
    env.user.clone().ok_or(StoreError::LoginRequired)
}

/// A date typed as YYYY-MM-DD, or the message to show.
pub fn parse_date(env: &mut Env, value: &str) -> Option<Date> {
    match value.trim().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            env.error(crate::domain::Text::new(
                format!("日期格式应为 YYYY-MM-DD：{}", value.trim()),
                format!("a date is written YYYY-MM-DD: {}", value.trim()),
            ));
            None
        }
    }
}

/// A whole number typed into a field, or the message to show.
pub fn parse_count(env: &mut Env, value: &str) -> Option<usize> {
    match value.trim().parse::<usize>() {
        Ok(n) => Some(n),
        Err(_) => {
            env.error(crate::domain::Text::new(
                format!("应为非负整数：{}", value.trim()),
                format!("a whole number is expected: {}", value.trim()),
            ));
            None
        }
    }
}

/// Open a text popup, pre-filled with `value`.
pub fn ask(purpose: InputPurpose, value: &str) -> Transition {
    Transition::Open(Popup::Input {
        purpose,
        input: LineInput::new(value),
    })
}

/// A tab whose data could not be loaded (the reason is in the message line).
pub fn placeholder(tab: Tab, env: &Env, f: &mut Frame, area: Rect) {
    let (zh, en) = tab.title();
    let block = Block::bordered().title(format!(" {} ", env.t(zh, en)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(
                env.t(
                    "未能读取（见下方消息）",
                    "could not be read (see the message below)",
                ),
                inner.width as usize,
            ),
            theme::dim(),
        )),
        inner,
    );
}

/// Scroll position for a list of `len` lines shown `height` at a time.
pub fn scroll(pos: usize, action: crate::tui::keymap::Action, len: usize) -> usize {
    use crate::tui::keymap::Action;
    let max = len.saturating_sub(1);
    match action {
        Action::Up => pos.saturating_sub(1),
        Action::Down => (pos + 1).min(max),
        Action::PageUp => pos.saturating_sub(10),
        Action::PageDown => (pos + 10).min(max),
        _ => pos,
    }
}
