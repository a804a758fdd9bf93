//! Drawing the assignment tab: the dossiers with their experts, the report of the last run,
//! each expert's progress, and the pick list or the roster open over them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::store::AssignmentReport;
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::list::{Column, draw_table, filter_line};
use crate::tui::text::{clean, pad, pad_left, truncate};
use crate::tui::theme;

use super::assignment::{AssignmentTab, ExpertProgress};

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
    let experts_w = (s.per_dossier * 4).saturating_sub(1).max(8);
    let fixed = 10 + 6 + 3 + experts_w + 4;
    let applicant_w = (table.width as usize).saturating_sub(fixed).max(4);
    let cols = [
        Column::left(env.t("编号", "Code"), 10),
        Column::left(env.t("省份", "Prov."), 6),
        Column::right(env.t("数", "n"), 3),
        Column::left(env.t("评审专家", "Experts"), experts_w),
        Column::left(env.t("申报单位", "Applicant"), applicant_w),
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
    let lines: Vec<Line> = rows
        .iter()
        .map(|p| {
            let text = format!(
                "{}{}{}",
                pad(&clean(&p.expert), 4),
                pad_left(&format!("{}/{}", p.submitted, p.assigned), 7),
                if p.overdue {
                    env.t(" 逾期", " late")
                } else {
                    ""
                }
            );
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
