//! Drawing the findings: a re-check's, a refusal's, and the file at a finding's line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::{Finding, Severity};
use crate::tui::core::Env;
use crate::tui::list::{Column, FilteredList, draw_table, filter_line};
use crate::tui::text::{clean, pad, truncate, wrap};
use crate::tui::theme;

use super::OfficialState;
use super::view::when;

pub(super) fn finding_text(f: &Finding, lang: crate::tui::lang::Lang) -> String {
    format!(
        "{} {} {} {}",
        f.code.as_str(),
        f.place(),
        f.field,
        lang.text(&f.message)
    )
}

pub(super) fn findings(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
    let errors = s.findings.iter().filter(|f| f.is_error()).count();
    let title = format!(
        " {} {} — {} {errors} · {} {} ",
        env.t("复查", "Check of"),
        clean(&s.folder),
        env.t("错误", "errors"),
        env.t("警告", "warnings"),
        s.findings.len() - errors
    );
    let block = Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let notes = s.notes.len().min(3) as u16;
    let [table, notes_area, filter] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(notes),
        Constraint::Length(1),
    ])
    .areas(inner);
    let w = table.width as usize;
    findings_table(f, env, table, &s.findings_list, &s.findings, 20);
    if s.findings.is_empty() && table.height > 1 {
        f.render_widget(
            Paragraph::new(Line::styled(
                env.t("没有发现问题", "No problems found"),
                theme::ok(),
            )),
            Rect {
                y: table.y + 1,
                height: 1,
                ..table
            },
        );
    }
    let note_lines: Vec<Line> = s
        .notes
        .iter()
        .take(3)
        .map(|n| Line::styled(truncate(&clean(env.lang.text(n)), w), theme::dim()))
        .collect();
    f.render_widget(Paragraph::new(note_lines), notes_area);
    f.render_widget(
        Paragraph::new(filter_line(
            &s.findings_list,
            s.findings_list.visible.len(),
            s.findings.len(),
        )),
        filter,
    );
}

pub(super) fn file(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
    let Some(v) = &s.file else {
        return;
    };
    let finding = s.findings_list.current().and_then(|i| s.findings.get(i));
    let title = format!(
        " {}{} {} ",
        clean(&v.file),
        v.target.map_or_else(String::new, |t| format!(":{t}")),
        clean(&v.field)
    );
    let block = Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    let w = inner.width as usize;
    if let Some(x) = finding {
        let lines = vec![
            Line::styled(
                truncate(&clean(env.lang.text(&x.message)), w),
                theme::error(),
            ),
            Line::styled(truncate(&clean(env.lang.text(&x.hint)), w), theme::dim()),
        ];
        f.render_widget(Paragraph::new(lines), head);
    }
    let h = body.height as usize;
    let first = v.scroll.min(v.lines.len().saturating_sub(1));
    let num_w = v.lines.len().to_string().len().max(3);
    let lines: Vec<Line> = v
        .lines
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, l)| {
            let here = v.target == Some(i + 1);
            let text = format!("{:>num_w$} {} {}", i + 1, if here { "▶" } else { "│" }, l);
            let text = truncate(&text, w);
            if here {
                Line::styled(pad(&text, w), theme::selected())
            } else {
                Line::from(text)
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), body);
}

pub(super) fn refusal(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
    let Some(r) = s.refusals.first() else {
        return;
    };
    let rows = &r.findings;
    let errors = rows.iter().filter(|f| f.is_error()).count();
    let title = format!(
        " {} {} · {} — {} {errors} · {} {} ",
        env.t("全国导入拒收", "Refused at import:"),
        clean(&r.folder),
        when(&r.refused_at),
        env.t("错误", "errors"),
        env.t("警告", "warnings"),
        rows.len() - errors
    );
    let block = Block::bordered()
        .title(truncate(&title, area.width.saturating_sub(2) as usize))
        .border_style(theme::error());
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    // The current finding in full: place, field, problem and fix, wrapped.
    let detail: Vec<Line> = s
        .refusal_list
        .current()
        .and_then(|i| rows.get(i))
        .map_or_else(Vec::new, |x| {
            let mut lines = Vec::new();
            // A long absolute path wraps: the line number and the field are never cut off.
            let place = format!("{}{}", env.t("位置：", "Place: "), clean(&x.place()));
            for l in wrap(&place, w).into_iter().take(2) {
                lines.push(Line::styled(l, theme::key()));
            }
            if !x.field.is_empty() {
                let field = format!("{}{}", env.t("字段：", "Field: "), clean(&x.field));
                lines.push(Line::styled(truncate(&field, w), theme::key()));
            }
            for l in wrap(&clean(env.lang.text(&x.message)), w)
                .into_iter()
                .take(3)
            {
                lines.push(Line::styled(l, theme::error()));
            }
            let fix = format!(
                "{}{}",
                env.t("改法：", "Fix: "),
                clean(env.lang.text(&x.hint))
            );
            for l in wrap(&fix, w).into_iter().take(3) {
                lines.push(Line::styled(l, theme::dim()));
            }
            lines
        });
    let room = inner.height.saturating_sub(4);
    let detail_h = (detail.len() as u16 + 1).min(room);
    let [table, detail_area, filter] = Layout::vertical([
        Constraint::Min(2),
        Constraint::Length(detail_h),
        Constraint::Length(1),
    ])
    .areas(inner);
    findings_table(f, env, table, &s.refusal_list, rows, 16);
    let mut lines = vec![Line::from("─".repeat(w))];
    lines.extend(detail);
    f.render_widget(Paragraph::new(lines), detail_area);
    f.render_widget(
        Paragraph::new(filter_line(
            &s.refusal_list,
            s.refusal_list.visible.len(),
            rows.len(),
        )),
        filter,
    );
}

/// A table of findings (severity, code, file:line, message) as both the re-check and the
/// refusal show them; `code_width` columns for the code.
pub(super) fn findings_table(
    f: &mut Frame,
    env: &Env,
    area: Rect,
    list: &FilteredList,
    findings: &[Finding],
    code_width: usize,
) {
    let fixed = 2 + code_width + 22 + 3;
    let cols = [
        Column::left("", 2),
        Column::left(env.t("代码", "Code"), code_width),
        Column::left(env.t("位置", "Place"), 22),
        Column::left(
            env.t("问题", "Problem"),
            (area.width as usize).saturating_sub(fixed).max(6),
        ),
    ];
    draw_table(f, area, &cols, list, |i| {
        let x = &findings[i];
        let place = x.place();
        let short = place.rsplit(['/', '\\']).next().unwrap_or(&place);
        vec![
            if x.severity == Severity::Error {
                "✗".into()
            } else {
                "!".into()
            },
            x.code.as_str().to_string(),
            clean(short),
            clean(env.lang.text(&x.message)),
        ]
    });
}
