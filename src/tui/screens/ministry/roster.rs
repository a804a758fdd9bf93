//! The assignment tab's roster (`e`): every expert with province, unit, expertise, declared
//! conflicts and progress, one line each, the way the assignment rules see them.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::domain::expert::Expert;
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::list::{inside, wheel};
use crate::tui::text::{clean, pad, truncate};
use crate::tui::theme;

/// The roster being read, and the first line shown.
#[derive(Debug, Clone, Default)]
pub struct RosterView {
    pub experts: Vec<Expert>,
    pub scroll: usize,
}

/// One expert as two lines: id, name, province, unit; then expertise and declared conflicts.
pub fn lines(e: &Expert, env: &Env) -> (String, String) {
    let sep = env.t("、", ", ");
    let province = e.province_key.as_deref().map_or_else(
        || "-".to_string(),
        |k| labels::province(&env.criteria, k, env.lang),
    );
    let expertise: Vec<String> = e
        .expertise
        .iter()
        .map(|t| labels::demo_type(&env.criteria, t, env.lang))
        .collect();
    let mut conflicts: Vec<String> = e.avoid_units.iter().map(|u| clean(u)).collect();
    conflicts.extend(
        e.avoid_provinces
            .iter()
            .map(|k| labels::province(&env.criteria, k, env.lang)),
    );
    let conflicts = if conflicts.is_empty() {
        env.t("无", "none").to_string()
    } else {
        conflicts.join(sep)
    };
    (
        format!(
            "{} {} {} {}{}",
            pad(&clean(&e.id), 4),
            pad(&clean(&e.name), 8),
            pad(&province, 8),
            clean(&e.affiliation),
            if e.active {
                ""
            } else {
                env.t("（不参加本轮）", " (inactive)")
            }
        ),
        format!(
            "     {}{}{}{}{}",
            env.t("专长：", "expertise: "),
            expertise.join(sep),
            env.t("；", "; "),
            env.t("声明回避：", "conflicts: "),
            conflicts,
        ),
    )
}

impl RosterView {
    /// The wheel over the roster drawn into `area` scrolls it
    /// [`WHEEL`](crate::tui::list::WHEEL) experts.
    pub fn on_mouse(&mut self, ev: &MouseEvent, area: Rect) {
        if !inside(Block::bordered().inner(area), ev) {
            return;
        }
        let max = self.experts.len().saturating_sub(1);
        if let Some(first) = wheel(self.scroll.min(max), ev, max) {
            self.scroll = first;
        }
    }
}

pub fn view(v: &RosterView, env: &Env, f: &mut Frame, area: Rect) {
    // Drawn over the assignment table: nothing of it may show through.
    f.render_widget(Clear, area);
    let block = Block::bordered().title(
        env.lang
            .pick(
                &format!(" 专家名单 {} 人 ", v.experts.len()),
                &format!(" Roster: {} experts ", v.experts.len()),
            )
            .to_string(),
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut out = vec![Line::styled(
        truncate(
            env.t("编号 姓名     省份     单位", "Id   Name     Province Unit"),
            w,
        ),
        theme::header(),
    )];
    for e in v.experts.iter().skip(v.scroll) {
        let (a, b) = lines(e, env);
        out.push(Line::from(truncate(&a, w)));
        out.push(Line::styled(truncate(&b, w), theme::dim()));
    }
    f.render_widget(Paragraph::new(out), inner);
}
