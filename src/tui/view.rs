//! Drawing: a pure function of the state. Status bar on top, the screen, a message line and
//! the key hints at the bottom, popups over everything.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{Screen, State};
use super::keymap;
use super::popup;
use super::screens;
use super::text::{clean, truncate, width, wrap};
use super::theme;

/// The smallest window the screens are laid out for (columns, rows).
pub const MIN_SIZE: (u16, u16) = (60, 15);

/// Draw the whole interface.
pub fn view(state: &State, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(state, f, area);
        return;
    }
    let env = &state.env;
    // A long message (a refusal with its reason and what to do) takes up to three lines rather
    // than being cut at the window's edge; the last one is cut with an ellipsis if still longer.
    let message_lines = env.message.as_ref().map_or(Vec::new(), |m| {
        message_lines(&clean(env.lang.text(&m.text)), area.width as usize)
    });
    let [top, body, message, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message_lines.len().max(1) as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    status_bar(state, f, top);
    match &state.screen {
        Screen::Login(s) => screens::login::view(s, env, f, body),
        Screen::ExpertList(s) => screens::expert_list::view(s, env, f, body),
        Screen::Scoring(s) => screens::scoring::view(s, env, f, body),
        Screen::Official(s) => screens::official::view(s, env, f, body),
        Screen::Dashboard(s) => screens::dashboard::view(s, env, f, body),
    }
    if let Some(m) = &env.message {
        let style = if m.error { theme::error() } else { theme::ok() };
        let lines: Vec<Line> = message_lines
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect();
        f.render_widget(Paragraph::new(lines), message);
    }
    footer_hints(state, f, footer);
    if let Some(p) = &state.popup {
        popup::view(p, env.lang, f, body);
    }
}

/// The message wrapped to the window's width, at most [`MESSAGE_LINES`] lines.
fn message_lines(text: &str, w: usize) -> Vec<String> {
    let mut lines = wrap(text, w);
    if lines.len() > MESSAGE_LINES {
        let rest = lines[MESSAGE_LINES - 1..].join(" ");
        lines.truncate(MESSAGE_LINES - 1);
        lines.push(truncate(&rest, w));
    }
    lines
}

/// The most lines a message takes above the key hints.
const MESSAGE_LINES: usize = 3;

fn too_small(state: &State, f: &mut Frame, area: Rect) {
    let lang = state.env.lang;
    let msg = format!(
        "{} ({}×{})",
        lang.pick("窗口太小", "window too small"),
        MIN_SIZE.0,
        MIN_SIZE.1
    );
    let text = truncate(&msg, area.width as usize);
    f.render_widget(Paragraph::new(Line::styled(text, theme::error())), area);
}

fn status_bar(state: &State, f: &mut Frame, area: Rect) {
    let env = &state.env;
    let lang = env.lang;
    let who = match &env.user {
        Some(u) => format!("{}（{}）", clean(&u.name), lang.text(&u.role.label())),
        None => lang.pick("未登录", "not logged in").to_string(),
    };
    let round = &env.criteria.round;
    let title = lang.pick(&round.title_zh, &round.title_en);
    let phase = format!(
        "{}{}",
        lang.pick("阶段：", "phase: "),
        env.phase.label(lang)
    );
    let mut text = format!(" 示范 shifan │ {who} │ {phase} │ {title}");
    if !title.contains(&round.year.to_string()) {
        text.push_str(&format!(" {}", round.year));
    }
    let w = area.width as usize;
    let shown = truncate(&text, w);
    let pad = w.saturating_sub(width(&shown));
    let line = format!("{shown}{}", " ".repeat(pad));
    f.render_widget(Paragraph::new(Line::styled(line, theme::bar())), area);
}

/// The key hints of the context, as many as fit; help is always shown last.
fn footer_hints(state: &State, f: &mut Frame, area: Rect) {
    let lang = state.env.lang;
    let hints = keymap::hints(state.context(), lang);
    let (help, rest): (Vec<_>, Vec<_>) = hints
        .into_iter()
        .partition(|(_, _, action)| *action == keymap::Action::Help);
    let need = |k: &str, l: &str| width(k) + 1 + width(l) + 2;
    let reserve = help.first().map_or(0, |(k, l, _)| need(k, l));
    let max = (area.width as usize).saturating_sub(reserve);
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, label, _) in rest {
        if used + need(&keys, label) > max {
            break;
        }
        used += need(&keys, label);
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    for (keys, label, _) in help {
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
