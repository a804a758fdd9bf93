//! Drawing: a pure function of the state. Status bar on top, the screen, a message line and
//! the key hints at the bottom, popups over everything.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::State;
use super::core::layout;
use super::keymap;
use super::lang::Lang;
use super::popup;
use super::text::{clean, truncate, width};
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
    let ([top, body, message, footer], message_lines) = layout(env, area);
    status_bar(state, f, top);
    state.screen.component().view(env, f, body);
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
        Some(u) => {
            let label = u.role.label();
            let role = lang.text(&label);
            match lang {
                Lang::Zh => format!("{}（{role}）", clean(&u.name)),
                Lang::En => format!("{} · {role}", clean(&u.name)),
            }
        }
        None => lang.pick("未登录", "not logged in").to_string(),
    };
    // Working in a scoring package, offline: said before who, so it is never cut.
    let who = match &env.package {
        Some(file) => format!(
            "{}{} │ {who}",
            lang.pick("评分包 ", "package "),
            clean(file)
        ),
        None => who,
    };
    let round = &env.criteria.round;
    let mut title = lang.pick(&round.title_zh, &round.title_en).to_string();
    if !title.contains(&round.year.to_string()) {
        title.push_str(&format!(" {}", round.year));
    }
    let phase = format!(
        "{}{}",
        lang.pick("阶段：", "phase: "),
        env.phase.label(lang)
    );
    // The round's title is the first to go when the bar is narrow: who and the phase matter
    // more, and a title cut mid-word reads as a different round.
    let w = area.width as usize;
    let full = format!(" 示范 shifan │ {who} │ {phase} │ {title}");
    let text = if width(&full) <= w {
        full
    } else {
        format!(" 示范 shifan │ {who} │ {phase}")
    };
    let shown = truncate(&text, w);
    let pad = w.saturating_sub(width(&shown));
    let line = format!("{shown}{}", " ".repeat(pad));
    f.render_widget(Paragraph::new(Line::styled(line, theme::bar())), area);
}

/// The key hints of the context, as many whole hints as fit in priority (key map) order; help
/// comes last, as `? 更多` / `? more` when some hints were left out.
fn footer_hints(state: &State, f: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for (i, (keys, label)) in footer(state.context(), state.env.lang, area.width as usize)
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            spans.push(Span::raw(HINT_GAP));
        }
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Space between two hints.
const HINT_GAP: &str = "  ";

/// The footer of `ctx` in `w` columns: (keys, label) pairs, built from the live key map.
pub fn footer(ctx: keymap::Context, lang: super::lang::Lang, w: usize) -> Vec<(String, String)> {
    let hints = keymap::hints(ctx, lang);
    let (help, rest): (Vec<_>, Vec<_>) = hints
        .into_iter()
        .partition(|(_, _, action)| *action == keymap::Action::Help);
    let need = |k: &str, l: &str| width(k) + 1 + width(l);
    let total = |items: &[(String, String)]| {
        items.iter().map(|(k, l)| need(k, l)).sum::<usize>()
            + HINT_GAP.len() * items.len().saturating_sub(1)
    };
    let mut all: Vec<(String, String)> = rest
        .iter()
        .map(|(k, l, _)| (k.clone(), l.to_string()))
        .collect();
    all.extend(help.iter().map(|(k, l, _)| (k.clone(), l.to_string())));
    if total(&all) <= w {
        return all;
    }
    // Not everything fits: the help key says there is more, and the hints before it stop at
    // the first that does not fit whole (so the order stays the key map's priority).
    let more = match help.first() {
        Some((k, _, _)) => (k.clone(), lang.pick("更多", "more").to_string()),
        None => ("…".to_string(), String::new()),
    };
    let reserve = need(&more.0, &more.1) + HINT_GAP.len();
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, l, _) in rest {
        let mut next = out.clone();
        next.push((k, l.to_string()));
        if total(&next) + reserve > w {
            break;
        }
        out = next;
    }
    if more.1.is_empty() {
        // No help key in this context: a bare ellipsis marks the cut.
        if let Some(last) = out.last_mut() {
            last.1.push_str("  …");
        }
    } else if need(&more.0, &more.1) <= w {
        out.push(more);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{Context, hints};
    use crate::tui::lang::Lang;

    const CONTEXTS: &[Context] = &[
        Context::Login,
        Context::FirstAccount,
        Context::FirstAccountOrDemo,
        Context::DocumentsWritten,
        Context::ExpertList,
        Context::Scoring,
        Context::Summary,
        Context::OfficialDossiers,
        Context::Findings,
        Context::FileView,
        Context::Dashboard,
        Context::Assignment,
        Context::Ranking,
        Context::Explain,
        Context::Selection,
        Context::Publicity,
        Context::Documents,
        Context::Filter,
        Context::TextPopup,
        Context::Confirm,
        Context::Help,
    ];

    fn text(items: &[(String, String)]) -> String {
        items
            .iter()
            .map(|(k, l)| format!("{k} {l}"))
            .collect::<Vec<_>>()
            .join(HINT_GAP)
    }

    #[test]
    fn footer_keeps_whole_hints_in_priority_order_and_says_more() {
        for &ctx in CONTEXTS {
            for lang in [Lang::Zh, Lang::En] {
                let all = hints(ctx, lang);
                for w in [60, 80, 120] {
                    let got = footer(ctx, lang, w);
                    let shown = text(&got);
                    assert!(width(&shown) <= w, "{ctx:?} {lang:?} {w}: {shown}");
                    let more = lang.pick("更多", "more");
                    let cut = got
                        .last()
                        .is_some_and(|(_, l)| l == more || l.ends_with('…'));
                    let non_help: Vec<_> = all
                        .iter()
                        .filter(|(_, _, a)| *a != keymap::Action::Help)
                        .collect();
                    // The hints shown are the first ones of the key map, whole.
                    for (i, (k, l)) in got.iter().enumerate() {
                        if l == more {
                            assert_eq!(i, got.len() - 1);
                            continue;
                        }
                        if let Some((ek, el, a)) = non_help.get(i) {
                            assert_eq!(k, ek, "{ctx:?} {lang:?} {w}");
                            assert!(l.trim_end_matches("  …") == *el, "{ctx:?} {l}");
                            let _ = a;
                        } else {
                            // Help, last, when everything fits.
                            assert!(!cut && i == got.len() - 1, "{ctx:?} {lang:?} {w}");
                        }
                    }
                    if !cut {
                        assert_eq!(got.len(), all.len(), "{ctx:?} {lang:?} {w}: {shown}");
                    }
                }
            }
        }
    }

    #[test]
    fn footer_of_the_scoring_screen_at_60_columns_is_cut_with_more() {
        let got = text(&footer(Context::Scoring, Lang::En, 60));
        assert!(got.ends_with("? more"), "{got}");
        assert!(
            got.starts_with("0-9 . type points  Enter save points"),
            "{got}"
        );
        let zh = text(&footer(Context::Publicity, Lang::Zh, 120));
        assert!(zh.contains("p 提出名单"), "{zh}");
    }
}
