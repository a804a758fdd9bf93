//! The help popup: every key of the current context, from the key map.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::tui::keymap::{self, Context};
use crate::tui::lang::Lang;
use crate::tui::popup::centered;
use crate::tui::text::{pad, truncate};
use crate::tui::theme;

/// Help lines for a context: `keys  label`, keys padded to one width.
pub fn lines(ctx: Context, lang: Lang, width: usize) -> Vec<Line<'static>> {
    let rows: Vec<(String, &str)> = keymap::bindings(ctx)
        .map(|b| (b.keys_label(), b.label(lang)))
        .collect();
    let key_w = rows
        .iter()
        .map(|(k, _)| crate::tui::text::width(k))
        .max()
        .unwrap_or(0)
        .min(width / 2);
    rows.into_iter()
        .map(|(k, label)| {
            Line::from(vec![
                Span::styled(pad(&k, key_w), theme::key()),
                Span::raw("  "),
                Span::raw(truncate(label, width.saturating_sub(key_w + 2))),
            ])
        })
        .collect()
}

pub fn view(under: Context, scroll: usize, lang: Lang, f: &mut Frame, area: Rect) {
    let w = area.width.saturating_sub(4).min(56);
    let h = area.height.saturating_sub(2);
    let r = centered(area, w, h);
    let inner_w = w.saturating_sub(2) as usize;
    let all = lines(under, lang, inner_w);
    let body = h.saturating_sub(2) as usize;
    let first = scroll.min(all.len().saturating_sub(body));
    let shown: Vec<Line> = all.into_iter().skip(first).take(body).collect();
    crate::tui::popup::clear(f, r);
    f.render_widget(
        Paragraph::new(shown)
            .block(Block::bordered().title(lang.pick(" 帮助（按键） ", " Help (keys) "))),
        r,
    );
}
