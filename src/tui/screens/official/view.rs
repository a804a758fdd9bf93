//! Drawing the official's screen: the province's dossiers with the banner and the detail of
//! the selected one, and a stored dossier read-only. The findings' side is in
//! `findings_view`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::publicity::{Outcome, Phase as PublicityPhase};
use crate::store::{BatchRefusal, ProvinceDossier};
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::list::{Column, draw_table, filter_line, fit_widths};
use crate::tui::text::{clean, truncate, width, wrap};
use crate::tui::theme;

use super::super::dossier_view;
use super::findings_view::{file, findings, refusal};
use super::{Mode, OfficialState};

pub fn view(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
    match s.mode {
        Mode::Dossiers => dossiers(s, env, f, area),
        Mode::Findings => findings(s, env, f, area),
        Mode::File => file(s, env, f, area),
        Mode::Refusal => refusal(s, env, f, area),
        Mode::Dossier => stored(s, env, f, area),
    }
}

/// `2026-06-10T08:30:12.5Z` as `2026-06-10 08:30` (UTC, as stored).
pub(super) fn when(at: &str) -> String {
    let t = at.replacen('T', " ", 1);
    clean(t.get(..16).unwrap_or(&t))
}

/// What the refusal's banner says: when, how many errors and their codes.
pub(super) fn refusal_summary(r: &BatchRefusal, env: &Env) -> String {
    let errors = r.findings.iter().filter(|f| f.is_error()).count();
    let mut codes: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let codes = codes.join(", ");
    let at = when(&r.refused_at);
    env.lang
        .pick(
            &format!("✗ 本省批次于 {at}（UTC）在全国导入时被拒收：{errors} 个错误（{codes}），未入库"),
            &format!(
                "✗ The province's batch was refused at the national import on {at} UTC: {errors} errors ({codes}); nothing stored"
            ),
        )
        .to_string()
}

/// The refusal banner over the dossiers' table (none when the batch was never refused).
pub(super) fn banner(s: &OfficialState, env: &Env, width: usize) -> Vec<Line<'static>> {
    s.refusals.first().map_or_else(Vec::new, |r| {
        let mut text = wrap(&refusal_summary(r, env), width);
        text.truncate(2);
        let mut lines: Vec<Line> = text
            .into_iter()
            .map(|l| Line::styled(l, theme::error()))
            .collect();
        lines.push(Line::styled(
            truncate(
                env.t(
                    "按 r 查看拒收原因（文件、行、字段、问题与改法）",
                    "press r for the reasons (file, line, field, problem and fix)",
                ),
                width,
            ),
            theme::dim(),
        ));
        lines
    })
}

/// The selected dossier's objections, spelt out below the table once the list is sealed.
pub(super) fn detail(s: &OfficialState, env: &Env) -> Option<String> {
    // Once the list is sealed, the outcome and the objections take the file's place, and the
    // selected dossier's objections are spelt out below the table.
    s.results.as_ref().and_then(|(_, rows)| {
        let r = s.list.current().and_then(|i| rows.get(i))?.as_ref()?;
        let text: Vec<String> = r
            .objections
            .iter()
            .map(|o| {
                let note = if o.note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", clean(&o.note))
                };
                let status = env.lang.text(&o.status);
                match env.lang {
                    crate::tui::lang::Lang::Zh => {
                        format!("异议 #{}（{} 收到）：{status}{note}", o.id, o.received_on)
                    }
                    crate::tui::lang::Lang::En => format!(
                        "Objection #{} (received {}): {status}{note}",
                        o.id, o.received_on
                    ),
                }
            })
            .collect();
        (!text.is_empty()).then(|| text.join(env.t("；", "; ")))
    })
}

/// Banner, table and filter line inside the dossiers' border, and the objections' two lines
/// under the table when there are any (the view and the mouse share it).
pub(super) fn dossiers_areas(
    banner_len: usize,
    detail: bool,
    inner: Rect,
) -> ([Rect; 3], Option<Rect>) {
    let [top, table, filter] = Layout::vertical([
        Constraint::Length(banner_len as u16),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let (table, detail_area) = if detail {
        let [t, d] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(table);
        (t, Some(d))
    } else {
        (table, None)
    };
    ([top, table, filter], detail_area)
}

pub(super) fn dossiers(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
    let cap = env.criteria.round.province_cap as usize;
    let n = s.dossiers.len();
    let province = labels::province(&env.criteria, &s.province_key, env.lang);
    let stage = s.results.as_ref().map_or("", |(phase, _)| match phase {
        PublicityPhase::Draft => "",
        PublicityPhase::Proposed => {
            env.t(" · 名单已封存，待公示", " · list sealed, not yet public")
        }
        PublicityPhase::InPublicity => env.t(" · 正在公示", " · in publicity"),
        PublicityPhase::Confirmed => env.t(" · 名单已确认", " · list confirmed"),
    });
    let title = format!(
        " {province} — {} {n}/{cap}{stage} ",
        env.t("已入库申报书 / 上限", "stored dossiers / cap")
    );
    let block = Block::bordered().title(title).border_style(if n > cap {
        theme::error()
    } else {
        Style::default()
    });
    let inner = block.inner(area);
    f.render_widget(block, area);
    let banner = banner(s, env, inner.width as usize);
    let detail = detail(s, env);
    let ([top, table, filter], detail_area) = dossiers_areas(banner.len(), detail.is_some(), inner);
    f.render_widget(Paragraph::new(banner), top);
    if let (Some(text), Some(area)) = (&detail, detail_area) {
        let lines: Vec<Line> = wrap(text, area.width as usize)
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, theme::dim()))
            .collect();
        f.render_widget(Paragraph::new(lines), area);
    }
    let w = table.width as usize;
    let last = if s.results.is_some() {
        [
            Column::left(env.t("结果", "Outcome"), 12),
            Column::left(env.t("异议", "Objections"), 10),
        ]
    } else {
        [Column::left(env.t("文件", "File"), 16), Column::left("", 0)]
    };
    let [last0, last1] = last;
    let mut cols = vec![
        Column::right(env.t("排序", "Rank"), 4),
        Column::left(env.t("编号", "Code"), 9),
        Column::left(env.t("类型", "Type"), 12),
        Column::left(env.t("申报单位", "Applicant"), 0),
        last0,
    ];
    if s.results.is_some() {
        cols.push(last1);
    }
    // Each column as wide as what it holds (the file name up to 24). When the applicant's
    // longest name (between 20 and 40 columns) does not fit, the type gives way first (to 12,
    // still telling the types apart), then the file name (to 11), then the type again (to 8):
    // the unit's name is what an official reads the list by.
    let file_name =
        |d: &ProvinceDossier| clean(d.file.rsplit(['/', '\\']).next().unwrap_or(&d.file));
    let want: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| match i {
            2 => labels::widest_type(&env.criteria, env.lang).max(width(c.title)),
            4 if s.results.is_none() => s
                .dossiers
                .iter()
                .map(|d| width(&file_name(d)))
                .max()
                .unwrap_or(0)
                .clamp(width(c.title), 24),
            _ => c.width,
        })
        .collect();
    let applicant = s
        .dossiers
        .iter()
        .map(|d| width(&clean(&d.applicant)))
        .max()
        .unwrap_or(0)
        .clamp(20, 40);
    let give_way: &[(usize, usize)] = if s.results.is_none() {
        &[(2, 12), (4, 11), (2, 8)]
    } else {
        &[(2, 8)]
    };
    for (c, w) in cols
        .iter_mut()
        .zip(fit_widths(&want, 3, applicant, w, give_way))
    {
        c.width = w;
    }
    draw_table(f, table, &cols, &s.list, |i| {
        let d = &s.dossiers[i];
        let mut row = vec![
            d.provincial_rank
                .map_or_else(String::new, |r| r.to_string()),
            clean(&d.code),
            labels::demo_type(&env.criteria, &d.type_id, env.lang),
            clean(&d.applicant),
        ];
        match &s.results {
            Some((_, rows)) => {
                let r = rows.get(i).and_then(Option::as_ref);
                // Short in the table (the objection's line below says why it was removed).
                row.push(r.map_or_else(String::new, |r| match r.outcome {
                    Some(Outcome::RemovedUpheld) => env.t("异议成立撤销", "removed").to_string(),
                    _ => env.lang.text(&r.text).to_string(),
                }));
                row.push(
                    r.and_then(|r| r.objections.last())
                        .map_or_else(String::new, |o| {
                            let n = r.map_or(0, |r| r.objections.len());
                            format!("{n} {}", env.lang.text(&o.status))
                        }),
                );
            }
            None => row.push(file_name(d)),
        }
        row
    });
    if n == 0 && table.height > 1 {
        f.render_widget(
            Paragraph::new(Line::styled(
                if s.refusals.is_empty() {
                    env.t(
                        "数据库中尚无本省申报书；按 f 复查本省文件夹",
                        "No dossiers of this province stored yet; press f to check a folder",
                    )
                } else {
                    env.t(
                        "本省批次被拒收，数据库中没有本省申报书；改正后重新报送，按 f 可先复查",
                        "The batch was refused: nothing of this province is stored; correct it and send it again (f checks a folder first)",
                    )
                },
                theme::dim(),
            )),
            Rect {
                y: table.y + 1,
                height: 1,
                ..table
            },
        );
    }
    f.render_widget(
        Paragraph::new(filter_line(&s.list, s.list.visible.len(), n)),
        filter,
    );
}

pub(super) fn stored(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
    let Some(v) = &s.stored else {
        return;
    };
    let name = v.dossier.as_ref().map_or("", |d| d.applicant_name());
    let block = Block::bordered();
    let inner = block.inner(area);
    let lines = dossier_view::lines(
        v.dossier.as_ref(),
        &v.raw,
        &env.criteria,
        &v.type_id,
        env.lang,
        inner.width as usize,
    );
    let h = inner.height as usize;
    let max = lines.len().saturating_sub(h);
    let first = v.scroll.min(max);
    let title = format!(
        " {} {} {} · {}–{}/{} · {} ",
        env.t("申报书", "Dossier"),
        clean(&v.code),
        clean(name),
        (first + 1).min(lines.len()),
        (first + h).min(lines.len()),
        lines.len(),
        env.t("只读", "read-only"),
    );
    let block = block.title(truncate(&title, area.width.saturating_sub(2) as usize));
    f.render_widget(block, area);
    let shown: Vec<Line> = lines.into_iter().skip(first).take(h).collect();
    f.render_widget(Paragraph::new(shown), inner);
}
