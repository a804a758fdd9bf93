//! Under the documents tab, after a generation: every file written, with its full path, the
//! folder and the audit entry that records it (scrollable; `Esc` goes back to the list).

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::service::generation::Generation;
use crate::tui::core::Env;
use crate::tui::keymap::Action;
use crate::tui::list::{inside, wheel};
use crate::tui::text::{clean, wrap};
use crate::tui::theme;

/// Lines one PgUp/PgDn moves.
const PAGE: usize = 10;

/// The outcome of one generation, as listed.
#[derive(Debug, Clone)]
pub struct WrittenList {
    pub generation: Generation,
    /// What was generated, in both languages (e.g. 「专家评分表」).
    pub what: crate::domain::Text,
    /// First line shown.
    pub scroll: usize,
}

impl WrittenList {
    /// Scroll by a line or a page of 10 lines: `update` does not know the pane's height (the
    /// view is pure), and 10 lines is less than the pane shows at 80×24, so paging never skips
    /// a file.
    pub fn handle(&mut self, action: Action) {
        let max = self.generation.files.len() * 3 + 12;
        self.scroll = match action {
            Action::Up => self.scroll.saturating_sub(1),
            Action::Down => (self.scroll + 1).min(max),
            Action::PageUp => self.scroll.saturating_sub(PAGE),
            Action::PageDown => (self.scroll + PAGE).min(max),
            _ => self.scroll,
        };
    }

    /// The wheel over the list (`area`, as the view draws it) scrolls it [`WHEEL`](crate::tui::list::WHEEL) lines, no
    /// further than its last line at the bottom of the pane.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let inner = frame().inner(area);
        if !inside(inner, ev) {
            return;
        }
        let max = self
            .lines(env, inner.width as usize)
            .len()
            .saturating_sub(inner.height as usize);
        if let Some(first) = wheel(self.scroll.min(max), ev, max) {
            self.scroll = first;
        }
    }

    /// The lines, wrapped to `w` columns: a full path is never cut.
    pub fn lines(&self, env: &Env, w: usize) -> Vec<Line<'static>> {
        let g = &self.generation;
        let what = env.lang.text(&self.what).to_string();
        let folder = clean(&g.folder.display().to_string());
        let mut out: Vec<Line<'static>> = Vec::new();
        let push = |out: &mut Vec<Line<'static>>, text: String, style: Option<Style>| {
            for l in wrap(&text, w.max(1)) {
                out.push(match style {
                    Some(s) => Line::styled(l, s),
                    None => Line::from(l),
                });
            }
        };
        push(
            &mut out,
            env.lang
                .pick(
                    &format!("已生成「{what}」：{} 个文件，写入文件夹", g.files.len()),
                    &format!("{what}: {} files written into the folder", g.files.len()),
                )
                .to_string(),
            Some(theme::header()),
        );
        for l in path_lines(&folder, w) {
            out.push(Line::styled(l, theme::key()));
        }
        push(
            &mut out,
            env.lang
                .pick(
                    &format!(
                        "记入审计日志第 {} 条；文书页脚的审计头 {}",
                        g.audit_seq,
                        g.printed_head.as_deref().unwrap_or("—")
                    ),
                    &format!(
                        "recorded as audit entry {}; audit head in the footers {}",
                        g.audit_seq,
                        g.printed_head.as_deref().unwrap_or("—")
                    ),
                )
                .to_string(),
            Some(theme::dim()),
        );
        if !g.warnings.is_empty() {
            push(
                &mut out,
                env.lang
                    .pick(
                        &format!("{} 个字符无字形，见 warnings.txt", g.warnings.len()),
                        &format!(
                            "{} characters have no glyph, see warnings.txt",
                            g.warnings.len()
                        ),
                    )
                    .to_string(),
                Some(theme::error()),
            );
        }
        push(&mut out, String::new(), None);
        for f in &g.files {
            out.extend(
                path_lines(&clean(&f.path.display().to_string()), w)
                    .into_iter()
                    .map(Line::from),
            );
        }
        out
    }
}

/// A path cut into lines of at most `w` columns at any character, so that every character
/// (a space included) stays where it is and nothing is lost.
pub fn path_lines(path: &str, w: usize) -> Vec<String> {
    let w = w.max(2);
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in path.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w {
            out.push(String::new());
            used = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
        used += cw;
    }
    out
}

/// The border around the files written (its title is drawn in `view`).
fn frame() -> Block<'static> {
    Block::bordered()
}

pub fn view(s: &WrittenList, env: &Env, f: &mut Frame, area: Rect) {
    let block = frame().title(env.t(" 已写入的文件 ", " Files written "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = s.lines(env, inner.width as usize);
    let first = s
        .scroll
        .min(lines.len().saturating_sub(inner.height as usize));
    let shown: Vec<Line> = lines.into_iter().skip(first).collect();
    f.render_widget(Paragraph::new(shown), inner);
}
