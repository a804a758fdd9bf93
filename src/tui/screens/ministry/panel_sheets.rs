//! The selected band dossier as the panel reads it: its figures, why it is in the band, the
//! votes recorded, then every expert's sheet and opinion — side by side in columns, one per
//! expert, when each column can have [`SIDE_BY_SIDE`] columns, else one expert after another.
//! Built as lines so the pane scrolls and the tests read it as text.

use ratatui::style::Style;
use ratatui::text::Line;

use crate::domain::panel::BandEntry;
use crate::domain::scoring::Sheet;
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::list::SEP;
use crate::tui::text::{clean, pad, pad_left, points, truncate, width, wrap};
use crate::tui::theme;

use super::panel::PanelTab;

/// The least width of an expert's column for the sheets to stand side by side.
pub const SIDE_BY_SIDE: usize = 16;

/// The widest the criterion names' column gets when side by side.
const LABEL: usize = 14;

fn wrapped(text: &str, w: usize, style: Style, out: &mut Vec<Line<'static>>) {
    for l in wrap(&clean(text), w.max(1)) {
        out.push(Line::styled(l, style));
    }
}

/// An opinion's lines (its own line breaks kept), each wrapped to `w`.
fn opinion_lines(opinion: &str, w: usize) -> Vec<String> {
    let text = opinion.trim();
    if text.is_empty() {
        return vec!["—".into()];
    }
    text.lines()
        .flat_map(|l| wrap(&clean(l), w.max(1)))
        .collect()
}

fn recommend(s: &Sheet, env: &Env) -> String {
    match s.recommend {
        Some(true) => env.t("推荐", "recommends").into(),
        Some(false) => env.t("不推荐", "does not recommend").into(),
        None => "—".into(),
    }
}

fn state(s: &Sheet, env: &Env) -> &'static str {
    if s.submitted {
        env.t("已提交", "submitted")
    } else {
        env.t("未提交", "open")
    }
}

/// Every line of the dossier's pane at `w` columns.
pub fn detail_lines(tab: &PanelTab, e: &BandEntry, env: &Env, w: usize) -> Vec<Line<'static>> {
    let c = &env.criteria;
    let mut out = Vec::new();
    let row = tab.row(&e.code);
    let iv = tab
        .room
        .stats
        .stats
        .intervals
        .iter()
        .find(|iv| iv.code == e.code);
    let mut head = clean(&e.code);
    if let Some(r) = row {
        head.push_str(&format!(
            " · {} · {}",
            labels::province(c, &r.province_key, env.lang),
            labels::demo_type(c, &r.type_id, env.lang)
        ));
    }
    head.push_str(&match env.lang {
        crate::tui::lang::Lang::Zh => format!(" · 第 {} 名", e.rank),
        crate::tui::lang::Lang::En => format!(" · rank {}", e.rank),
    });
    if let Some(r) = row {
        head.push_str(&format!(
            " · {} {:.2} · {} {:.1}",
            env.t("均分", "mean"),
            r.trimmed_mean,
            env.t("极差", "spread"),
            r.spread
        ));
    }
    if let Some(iv) = iv {
        head.push_str(&format!(
            " · {} {}–{}",
            env.t("排名区间", "interval"),
            iv.low,
            iv.high
        ));
    }
    wrapped(&head, w, theme::header(), &mut out);
    for r in &e.reasons {
        wrapped(
            &format!("· {}", env.lang.text(&r.text())),
            w,
            Style::default(),
            &mut out,
        );
    }
    let votes = tab.votes(&e.code);
    if votes.is_empty() {
        wrapped(
            env.t("未表决", "no vote recorded"),
            w,
            theme::dim(),
            &mut out,
        );
    }
    for v in &votes {
        let passed = v.votes_for > v.votes_against;
        let text = match env.lang {
            crate::tui::lang::Lang::Zh => format!(
                "表决 {}（{}）：赞成 {}，反对 {}——{}。{}",
                v.decided_on,
                v.actor,
                v.votes_for,
                v.votes_against,
                if passed {
                    "会评通过"
                } else {
                    "会评未通过"
                },
                v.note
            ),
            crate::tui::lang::Lang::En => format!(
                "vote {} ({}): {} for, {} against — {}. {}",
                v.decided_on,
                v.actor,
                v.votes_for,
                v.votes_against,
                if passed { "passed" } else { "not passed" },
                v.note
            ),
        };
        wrapped(&text, w, theme::ok(), &mut out);
    }
    out.push(Line::from(""));
    let sheets: Vec<&Sheet> = tab
        .room
        .sheets
        .iter()
        .filter(|s| s.dossier == e.code)
        .collect();
    if sheets.is_empty() {
        wrapped(
            env.t("没有评分表", "no score sheets"),
            w,
            theme::dim(),
            &mut out,
        );
        return out;
    }
    let n = sheets.len();
    let label = c
        .rubric
        .criteria
        .iter()
        .map(|k| width(env.t(&k.name_zh, &k.name_en)))
        .max()
        .unwrap_or(0)
        .clamp(4, LABEL);
    let col = w.saturating_sub(label + n) / n;
    if col >= SIDE_BY_SIDE {
        side_by_side(&sheets, env, label, col, &mut out);
    } else {
        stacked(&sheets, env, w, &mut out);
    }
    out
}

/// One row of the grid: the label, then one cell per expert.
fn grid_row(label: &str, lw: usize, cells: &[String], col: usize, right: bool) -> String {
    let mut s = pad(&truncate(label, lw), lw);
    for c in cells {
        s.push_str(SEP);
        let c = truncate(c, col);
        s.push_str(&if right {
            pad_left(&c, col)
        } else {
            pad(&c, col)
        });
    }
    s
}

fn side_by_side(sheets: &[&Sheet], env: &Env, lw: usize, col: usize, out: &mut Vec<Line<'static>>) {
    let c = &env.criteria;
    let heads: Vec<String> = sheets
        .iter()
        .map(|s| format!("{} {}", clean(&s.expert_id), state(s, env)))
        .collect();
    out.push(Line::styled(
        grid_row(env.t("专家", "Expert"), lw, &heads, col, false),
        theme::header(),
    ));
    for k in &c.rubric.criteria {
        let cells: Vec<String> = sheets
            .iter()
            .map(|s| s.points(&k.id).map_or_else(|| "—".into(), points))
            .collect();
        out.push(Line::from(grid_row(
            env.t(&k.name_zh, &k.name_en),
            lw,
            &cells,
            col,
            true,
        )));
    }
    let totals: Vec<String> = sheets.iter().map(|s| points(s.total())).collect();
    out.push(Line::styled(
        grid_row(env.t("总分", "Total"), lw, &totals, col, true),
        theme::header(),
    ));
    let rec: Vec<String> = sheets.iter().map(|s| recommend(s, env)).collect();
    out.push(Line::from(grid_row(
        env.t("是否推荐", "Recommend"),
        lw,
        &rec,
        col,
        true,
    )));
    let opinions: Vec<Vec<String>> = sheets
        .iter()
        .map(|s| opinion_lines(&s.opinion, col))
        .collect();
    let depth = opinions.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..depth {
        let cells: Vec<String> = opinions
            .iter()
            .map(|o| o.get(i).cloned().unwrap_or_default())
            .collect();
        let label = if i == 0 {
            env.t("评审意见", "Opinion")
        } else {
            ""
        };
        out.push(Line::from(grid_row(label, lw, &cells, col, false)));
    }
}

fn stacked(sheets: &[&Sheet], env: &Env, w: usize, out: &mut Vec<Line<'static>>) {
    let c = &env.criteria;
    for s in sheets {
        let head = format!(
            "{} · {} {} · {} · {}",
            clean(&s.expert_id),
            env.t("总分", "total"),
            points(s.total()),
            recommend(s, env),
            state(s, env)
        );
        wrapped(&head, w, theme::header(), out);
        let scores: Vec<String> = c
            .rubric
            .criteria
            .iter()
            .map(|k| {
                format!(
                    "{} {}",
                    env.t(&k.name_zh, &k.name_en),
                    s.points(&k.id).map_or_else(|| "—".into(), points)
                )
            })
            .collect();
        for l in wrap(&scores.join(" · "), w.saturating_sub(2).max(1)) {
            out.push(Line::from(format!("  {l}")));
        }
        let inner = w.saturating_sub(2).max(1);
        let opinion = match s.opinion.trim() {
            "" => "—",
            o => o,
        };
        let labelled = format!("{}{opinion}", env.t("评审意见：", "opinion: "));
        for l in opinion_lines(&labelled, inner) {
            out.push(Line::from(format!("  {l}")));
        }
        out.push(Line::from(""));
    }
}
