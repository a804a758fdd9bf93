//! Drawing the assignment tab: the dossiers with their experts, the report of the last run,
//! each expert's progress, and the pick list or the roster open over them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::store::AssignmentReport;
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::list::{Column, draw_table, filter_line, fit_widths};
use crate::tui::text::{clean, pad, pad_left, truncate, width};
use crate::tui::theme;

use super::assignment::{AssignRow, AssignmentTab, ExpertProgress};

/// The report of the last run as lines.
pub(super) fn report_lines(r: &AssignmentReport, env: &Env) -> Vec<String> {
    let mut out =
        vec![env.lang.pick(
        &format!(
            "上次分配（种子 {}）：{} 份申报书 × {} 位专家，{} 对；新增 {}，结束 {}",
            r.seed, r.dossiers, r.per_dossier, r.pairs, r.added, r.ended
        ),
        &format!(
            "Last run (seed {}): {} dossiers × {} experts, {} pairs; {} added, {} ended",
            r.seed, r.dossiers, r.per_dossier, r.pairs, r.added, r.ended
        ),
    )
    .to_string()];
    for s in &r.shortfalls {
        out.push(format!(
            "{} {}/{}: {}",
            s.dossier,
            s.eligible,
            s.needed,
            env.lang.text(&s.suggestion)
        ));
    }
    if !r.uncovered_types.is_empty() {
        let names: Vec<String> = r
            .uncovered_types
            .iter()
            .map(|t| labels::demo_type(&env.criteria, t, env.lang))
            .collect();
        out.push(format!(
            "{}{}",
            env.t("无专家覆盖的类型：", "types no expert covers: "),
            names.join(env.t("、", ", "))
        ));
    }
    if r.shortfalls.is_empty() && r.uncovered_types.is_empty() {
        out.push(
            env.t(
                "每份申报书都配齐了专家",
                "every dossier has all its experts",
            )
            .to_string(),
        );
    }
    out
}

/// The list (left), the experts' load (right) and the last report (bottom, `report_len`
/// lines, at most a third of the height).
pub(super) fn panes(report_len: usize, area: Rect) -> [Rect; 3] {
    let report_h = if report_len == 0 {
        0
    } else {
        (report_len as u16 + 2).min(area.height / 3)
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(report_h)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(19)]).areas(top);
    [left, right, bottom]
}

/// The table and the filter line inside the list's border.
pub(super) fn list_areas(left: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(1), Constraint::Length(1)])
        .areas(Block::bordered().inner(left))
}

pub fn view(s: &AssignmentTab, env: &Env, f: &mut Frame, area: Rect) {
    let report = s.report.as_ref().map(|r| report_lines(r, env));
    let [left, right, bottom] = panes(report.as_ref().map_or(0, Vec::len), area);
    let full = s
        .rows
        .iter()
        .filter(|r| r.experts.len() >= s.per_dossier)
        .count();
    let block = Block::bordered().title(format!(
        " {} · {} {full}/{} ",
        env.t("申报书与评审专家", "Dossiers and experts"),
        env.t("已配齐", "full"),
        s.rows.len()
    ));
    f.render_widget(block, left);
    let [table, filter] = list_areas(left);
    // Every column as wide as what it holds (codes, 5/5, the experts' ids of a 300-expert
    // roster, Guangdong and Guangxi both whole); when tight the province gives way to 9
    // columns, then the experts to 3 × 4, then the province to 6, while the applicant would
    // have fewer than 14.
    let titles = [
        env.t("编号", "Code"),
        env.t("省份", "Prov."),
        env.t("数", "n"),
        env.t("评审专家", "Experts"),
        env.t("申报单位", "Applicant"),
    ];
    // Measured without building the cells (a 30,000-dossier round is measured every frame).
    let widest = |f: &dyn Fn(&AssignRow) -> usize| s.rows.iter().map(f).max().unwrap_or(0);
    let per = s.per_dossier.to_string();
    let want = [
        widest(&|r| width(&r.code)).max(width(titles[0])),
        labels::widest_province(&env.criteria, env.lang).max(width(titles[1])),
        (widest(&|r| width(&r.experts.len().to_string())) + 1 + width(&per)).max(width(titles[2])),
        widest(&|r| {
            r.experts
                .iter()
                .map(|e| width(e) + 1)
                .sum::<usize>()
                .saturating_sub(1)
        })
        .max((s.per_dossier * 4).saturating_sub(1))
        .max(width(titles[3])),
        0,
    ];
    let w = fit_widths(
        &want,
        4,
        14,
        table.width as usize,
        &[(1, 9), (3, 11), (1, 6)],
    );
    let cols = [
        Column::left(titles[0], w[0]),
        Column::left(titles[1], w[1]),
        Column::right(titles[2], w[2]),
        Column::left(titles[3], w[3]),
        Column::left(titles[4], w[4]),
    ];
    draw_table(f, table, &cols, &s.list, |i| {
        let r = &s.rows[i];
        vec![
            clean(&r.code),
            labels::province(&env.criteria, &r.province_key, env.lang),
            format!("{}/{}", r.experts.len(), s.per_dossier),
            clean(&r.experts.join(" ")),
            clean(&r.applicant),
        ]
    });
    f.render_widget(
        Paragraph::new(filter_line(&s.list, s.list.visible.len(), s.rows.len())),
        filter,
    );
    progress_pane(s, env, f, right);
    if let Some(p) = &s.pick {
        super::swap::view(p, env, f, left);
    }
    if let Some(r) = &s.roster {
        // Over the list and the progress pane.
        let both = Rect {
            width: left.width + right.width,
            ..left
        };
        super::roster::view(r, env, f, both);
    }
    if let Some(lines) = report {
        let block = Block::bordered().title(env.t(" 分配报告 ", " Assignment report "));
        let inner = block.inner(bottom);
        f.render_widget(block, bottom);
        let w = inner.width as usize;
        let shown: Vec<Line> = lines
            .iter()
            .map(|l| Line::from(truncate(&clean(l), w)))
            .collect();
        f.render_widget(Paragraph::new(shown), inner);
    }
}

/// Each expert's sheets submitted / assigned, the overdue ones first and marked.
fn progress_pane(s: &AssignmentTab, env: &Env, f: &mut Frame, area: Rect) {
    let late = s.progress.iter().filter(|p| p.overdue).count();
    let title = if late > 0 {
        env.lang
            .pick(
                &format!(" 进度·逾期 {late} "),
                &format!(" Progress·{late} late "),
            )
            .to_string()
    } else {
        env.t(" 专家进度 ", " Progress ").to_string()
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    if s.progress.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(
                truncate(env.t("尚未分配", "none yet"), w),
                theme::dim(),
            )),
            inner,
        );
        return;
    }
    let mut rows: Vec<&ExpertProgress> = s.progress.iter().collect();
    rows.sort_by_key(|p| (!p.overdue, p.submitted == p.assigned, p.expert.clone()));
    // The id and the figures as wide as the widest of them, a space between (a 300-expert
    // roster's G0001 and a large round's 493/493 never run together).
    let figures = |p: &ExpertProgress| format!("{}/{}", p.submitted, p.assigned);
    let id_w = rows
        .iter()
        .map(|p| width(&clean(&p.expert)))
        .max()
        .unwrap_or(0);
    let fig_w = rows.iter().map(|p| width(&figures(p))).max().unwrap_or(0);
    let lines: Vec<Line> = rows
        .iter()
        .map(|p| {
            let mut text = format!(
                "{} {}",
                pad(&clean(&p.expert), id_w),
                pad_left(&figures(p), fig_w)
            );
            // The word only where it fits whole; the row is red and the title counts them.
            let late = env.t(" 逾期", " late");
            if p.overdue && width(&text) + width(late) <= w {
                text.push_str(late);
            }
            let style = if p.overdue {
                theme::error()
            } else if p.submitted == p.assigned {
                theme::ok()
            } else {
                ratatui::style::Style::default()
            };
            Line::styled(truncate(&text, w), style)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
