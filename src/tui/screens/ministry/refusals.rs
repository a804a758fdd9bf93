//! The overview's list of batches refused at the national import (`r`): which province, which
//! folder, when, and every error with its way forward. The batches themselves are not stored;
//! the refusals are (see `store::repo::refusal`), until a later batch of the province is stored.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::store::BatchRefusal;
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::list::{inside, wheel};
use crate::tui::text::{clean, truncate, wrap};
use crate::tui::theme;

/// The refusals as the overview shows them, and where the reader is.
#[derive(Debug, Clone, Default)]
pub struct RefusalsView {
    pub refusals: Vec<BatchRefusal>,
    /// Shown in place of the table (`r` opens, Esc closes).
    pub open: bool,
    /// First line shown.
    pub scroll: usize,
}

impl RefusalsView {
    /// The line under the overview's table: how many batches were refused, and the key.
    pub fn summary(&self, env: &Env) -> String {
        if self.refusals.is_empty() {
            env.t(
                "  仅存无错误批次；导入时无拒收",
                "  only clean batches are stored; none refused",
            )
            .to_string()
        } else {
            env.lang
                .pick(
                    &format!("  导入时拒收 {} 批：r 查看原因", self.refusals.len()),
                    &format!(
                        "  {} batch(es) refused at import: r for why",
                        self.refusals.len()
                    ),
                )
                .to_string()
        }
    }
}

/// Every refusal, then its errors with the way forward, wrapped to `w` columns.
pub fn lines(v: &RefusalsView, env: &Env, w: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if v.refusals.is_empty() {
        out.push(Line::styled(
            truncate(
                env.t("导入时没有拒收的批次", "no batch was refused at import"),
                w,
            ),
            theme::dim(),
        ));
        return out;
    }
    for r in &v.refusals {
        let errors: Vec<_> = r.findings.iter().filter(|f| f.is_error()).collect();
        let day = r.refused_at.get(..10).unwrap_or(&r.refused_at);
        out.push(Line::styled(
            truncate(
                &format!(
                    "{}  {}  {}  {}",
                    labels::province(&env.criteria, &r.province_key, env.lang),
                    clean(&r.folder),
                    day,
                    env.lang.pick(
                        &format!("{} 项错误", errors.len()),
                        &format!("{} error(s)", errors.len())
                    )
                ),
                w,
            ),
            theme::header(),
        ));
        for f in errors {
            let place = f.place();
            let text = format!(
                "· {} {}{}",
                clean(env.lang.text(&f.message)),
                if place.is_empty() { "" } else { "— " },
                clean(&place)
            );
            for l in wrap(&text, w.saturating_sub(2).max(1)) {
                out.push(Line::from(format!("  {l}")));
            }
            let hint = format!("→ {}", clean(env.lang.text(&f.hint)));
            for l in wrap(&hint, w.saturating_sub(4).max(1)) {
                out.push(Line::styled(format!("    {l}"), theme::dim()));
            }
        }
    }
    out
}

impl RefusalsView {
    /// The wheel over the refusals drawn into `area` scrolls them
    /// [`WHEEL`](crate::tui::list::WHEEL) lines, no further than the last at the bottom.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let inner = Block::bordered().inner(area);
        if !inside(inner, ev) {
            return;
        }
        let max = lines(self, env, inner.width as usize)
            .len()
            .saturating_sub(inner.height as usize);
        if let Some(first) = wheel(self.scroll.min(max), ev, max) {
            self.scroll = first;
        }
    }
}

pub fn view(v: &RefusalsView, env: &Env, f: &mut Frame, area: Rect) {
    let block = Block::bordered().title(
        env.lang
            .pick(
                &format!(" 导入时拒收的批次 {} ", v.refusals.len()),
                &format!(" Batches refused at import {} ", v.refusals.len()),
            )
            .to_string(),
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let all = lines(v, env, inner.width as usize);
    let shown: Vec<Line> = all.into_iter().skip(v.scroll).collect();
    f.render_widget(Paragraph::new(shown), inner);
}
