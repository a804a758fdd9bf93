//! The sheet's drawing: dossier pane, criterion, sheet state and summary.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::tui::core::Env;
use crate::tui::text::{clean, pad, pad_left, points, truncate, wrap};
use crate::tui::theme;

use super::*;
use crate::tui::screens::dossier_view;
use crate::tui::screens::opinion;

/// The most characters the points field takes.
pub(super) const ENTRY_MAX: usize = 8;

/// The dossier pane (left) and the criterion with the sheet (right).
pub(super) fn panes(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
}

pub fn view(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    if s.summary {
        summary(s, env, f, area);
        if let Some(e) = &s.opinion {
            opinion::view(e, &s.code, env, f, area);
        }
        return;
    }
    let [left, right] = panes(area);
    dossier(s, env, f, left);
    let [crit, sheet] = Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(right);
    criterion(s, env, f, crit);
    sheet_state(s, env, f, sheet);
    if let Some(e) = &s.opinion {
        opinion::view(e, &s.code, env, f, area);
    }
}

pub(super) fn dossier(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let name = s.dossier.as_ref().map_or("", |d| d.applicant_name());
    let title = format!(
        " {} {} {} ",
        env.t("申报书", "Dossier"),
        s.code,
        clean(name)
    );
    let inner = Block::bordered().inner(area);
    let lines = dossier_view::lines(
        s.dossier.as_ref(),
        &s.raw,
        &env.criteria,
        &s.type_id,
        env.lang,
        inner.width as usize,
    );
    let max = lines.len().saturating_sub(inner.height as usize);
    let first = s.scroll.min(max);
    let position = format!(
        " {} {}/{} ",
        env.t("行", "line"),
        (first + 1).min(lines.len()),
        lines.len()
    );
    let room = (area.width as usize).saturating_sub(4 + crate::tui::text::width(&position));
    let block = Block::bordered()
        .title(truncate(&title, room))
        .title_bottom(Line::from(position).right_aligned());
    f.render_widget(block, area);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

pub(super) fn criterion(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let n = rubric.criteria.len();
    let title = format!(" {} {}/{n} ", env.t("评分项", "Criterion"), s.current + 1);
    let mut block = Block::bordered().title(title);
    if s.read_only() {
        // Short, so it fits beside the title in the right half at 80 columns.
        block = block.title(Line::styled(
            env.t(" 已提交 · 只读 ", " submitted "),
            theme::ok(),
        ));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(c) = rubric.criteria.get(s.current) else {
        return;
    };
    let w = inner.width as usize;
    let group = rubric
        .groups
        .iter()
        .find(|g| g.id == c.group)
        .map_or(c.group.as_str(), |g| env.t(&g.name_zh, &g.name_en));
    let stored = s.sheet.points(&c.id).map_or_else(
        || env.t("未评分", "not scored").to_string(),
        |p| format!("{}{}", env.t("已评：", "scored: "), points(p)),
    );
    let field_w = ENTRY_MAX;
    let (shown, cursor) = s.entry.visible(field_w, None);
    let label = env.t("分数：", "Points: ");
    let problem = s.problem(env, false);
    let field = if s.read_only() {
        Line::styled(
            format!(
                "{label}{}",
                env.t("（已提交，不能修改）", "(submitted, locked)")
            ),
            theme::dim(),
        )
    } else if problem.is_some() {
        Line::styled(format!("{label}[{}]", pad(&shown, field_w)), theme::error())
    } else {
        Line::from(format!("{label}[{}]", pad(&shown, field_w)))
    };
    let below = match &problem {
        Some(t) => Line::styled(truncate(env.lang.text(t), w), theme::error()),
        None => Line::from(""),
    };
    let mut lines = vec![
        Line::styled(truncate(&clean(group), w), theme::dim()),
        Line::styled(
            truncate(&clean(env.t(&c.name_zh, &c.name_en)), w),
            theme::header(),
        ),
        Line::from(truncate(
            &format!(
                "{} {} · {} {}",
                env.t("满分", "max"),
                points(c.max),
                env.t("步长", "step"),
                points(c.step)
            ),
            w,
        )),
        Line::from(truncate(&stored, w)),
        field,
        below,
    ];
    let guidance = wrap(&clean(env.t(&c.guidance_zh, &c.guidance_en)), w);
    let room = (inner.height as usize).saturating_sub(lines.len());
    // `[` and `]` page through guidance longer than the room left; the last page stays in view.
    let first = s.guidance_scroll.min(guidance.len().saturating_sub(room));
    let more_below = first + room < guidance.len();
    for (i, l) in guidance.into_iter().skip(first).take(room).enumerate() {
        let l = if more_below && i + 1 == room {
            truncate(&format!("{l}……"), w)
        } else {
            l
        };
        lines.push(Line::styled(l, Style::default()));
    }
    if (first > 0 || more_below) && problem.is_none() {
        lines[5] = Line::styled(
            truncate(
                env.t("（[ ] 翻阅评分说明）", "([ ] scroll the guidance)"),
                w,
            ),
            theme::dim(),
        );
    }
    f.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + crate::tui::text::width(label) as u16 + 1 + cursor as u16;
    let y = inner.y + 4;
    if !s.sheet.submitted && x < inner.right() && y < inner.bottom() {
        f.set_cursor_position((x, y));
    }
}

pub(super) fn recommend_label(env: &Env, r: Option<bool>) -> &'static str {
    match r {
        Some(true) => env.t("推荐", "recommend"),
        Some(false) => env.t("不推荐", "do not recommend"),
        None => env.t("未选择", "not chosen"),
    }
}

pub(super) fn sheet_state(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let scored = rubric
        .criteria
        .iter()
        .filter(|c| s.sheet.points(&c.id).is_some())
        .count();
    let opinion = if s.sheet.opinion.trim().is_empty() {
        env.t("未填写", "none")
    } else {
        env.t("已填写", "written")
    };
    let w = area.width.saturating_sub(2) as usize;
    let lines = vec![
        Line::from(truncate(
            &format!(
                "{} {scored}/{} · {} {}",
                env.t("已评", "scored"),
                rubric.criteria.len(),
                env.t("合计", "total"),
                points(s.sheet.total())
            ),
            w,
        )),
        Line::from(truncate(
            &format!(
                "{} {opinion} · {} {}{}",
                env.t("意见", "opinion"),
                env.t("推荐", "recommend"),
                recommend_label(env, s.sheet.recommend),
                if s.sheet.submitted {
                    env.t(" · 已提交", " · submitted")
                } else {
                    ""
                }
            ),
            w,
        )),
    ];
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(env.t(" 评分表 ", " Sheet "))),
        area,
    );
}

/// The sheet at a glance before submitting.
pub(super) fn summary(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let title = format!(" {} {} ", env.t("评分汇总", "Summary"), s.code);
    let mut block = Block::bordered().title(title);
    if s.read_only() {
        block = block.title(Line::styled(
            env.t(" 已提交 · 只读 ", " submitted · read-only "),
            theme::ok(),
        ));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let name_w = w.saturating_sub(14).max(8);
    let mut lines: Vec<Line> = Vec::new();
    let subtotals = s.sheet.group_subtotals(rubric);
    for g in &rubric.groups {
        let max: f64 = rubric
            .criteria
            .iter()
            .filter(|c| c.group == g.id)
            .map(|c| c.max)
            .sum();
        let sub = subtotals
            .iter()
            .find(|(id, _)| *id == g.id)
            .map_or(0.0, |(_, p)| *p);
        lines.push(Line::styled(
            format!(
                "{}│{}",
                pad(&clean(env.t(&g.name_zh, &g.name_en)), name_w),
                pad_left(&format!("{}/{}", points(sub), points(max)), 12)
            ),
            theme::header(),
        ));
        for c in rubric.criteria.iter().filter(|c| c.group == g.id) {
            let p = s
                .sheet
                .points(&c.id)
                .map_or_else(|| "—".to_string(), points);
            let style = if s.sheet.points(&c.id).is_none() {
                theme::error()
            } else {
                Style::default()
            };
            lines.push(Line::styled(
                format!(
                    "{}│{}",
                    pad(
                        &format!("  {}", clean(env.t(&c.name_zh, &c.name_en))),
                        name_w
                    ),
                    pad_left(&format!("{p}/{}", points(c.max)), 12)
                ),
                style,
            ));
        }
    }
    lines.push(Line::styled(
        format!(
            "{}│{}",
            pad(env.t("合计", "Total"), name_w),
            pad_left(
                &format!("{}/{}", points(s.sheet.total()), points(rubric.total)),
                12
            )
        ),
        theme::header(),
    ));
    lines.push(Line::from(""));
    lines.push(Line::styled(
        env.t("评审意见：", "Opinion:").to_string(),
        theme::key(),
    ));
    if s.sheet.opinion.trim().is_empty() {
        lines.push(Line::styled(
            env.t("（未填写）", "(none)").to_string(),
            theme::error(),
        ));
    } else {
        // The opinion's own line breaks are kept (each line wrapped to the pane).
        for l in wrap(&crate::terminal_text::clean_lines(&s.sheet.opinion), w) {
            lines.push(Line::from(l));
        }
    }
    lines.push(Line::from(format!(
        "{}{}",
        env.t("是否推荐：", "Recommendation: "),
        recommend_label(env, s.sheet.recommend)
    )));
    let missing = s.sheet.missing(rubric);
    if s.sheet.submitted {
        lines.push(Line::styled(
            env.t("已提交", "Submitted").to_string(),
            theme::ok(),
        ));
    } else if missing.is_empty() {
        lines.push(Line::styled(
            env.t("可以提交：按 Enter", "Ready: press Enter to submit")
                .to_string(),
            theme::ok(),
        ));
    } else {
        for m in &missing {
            lines.push(Line::styled(
                truncate(env.lang.text(&m.text(rubric)), w),
                theme::error(),
            ));
        }
    }
    let max = lines.len().saturating_sub(inner.height as usize);
    let first = s.summary_scroll.min(max);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}
