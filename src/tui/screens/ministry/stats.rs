//! The panel tab's second view: the review statistics (评审质量统计), as `shifan rank --stats`
//! prints them — each type panel's ICC(1), each expert's harshness (mean offset against the
//! co-reviewers, points) and agreement (Pearson's r), and the dossiers whose bootstrap rank
//! interval crosses the cut or the reserve line. `↑↓` scroll the experts, `PgUp PgDn` the
//! dossiers; `s` goes back to the band.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::review_stats::RankInterval;
use crate::service::PanelRoom;
use crate::tui::core::Env;
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::lang::Lang;
use crate::tui::list::{Column, draw_table, row_text};
use crate::tui::screens::Transition;
use crate::tui::text::{clean, truncate};
use crate::tui::theme;

use super::panel::{PanelTab, View};

/// The dossiers whose interval crosses the cut or the reserve line, in rank order.
pub fn crossing(room: &PanelRoom) -> Vec<&RankInterval> {
    let reserve = room.stats.reserve_cut;
    let mut v: Vec<&RankInterval> = room
        .stats
        .stats
        .intervals
        .iter()
        .filter(|r| r.crosses_cut || (r.low <= reserve && r.high > reserve))
        .collect();
    v.sort_by_key(|r| r.rank);
    v
}

pub fn handle(tab: &mut PanelTab, action: Action) -> Transition {
    match action {
        Action::ToggleStats => tab.view = View::Band,
        Action::Up => tab.experts.up(1),
        Action::Down => tab.experts.down(1),
        Action::PageUp => tab.crossing.up(10),
        Action::PageDown => tab.crossing.down(10),
        _ => {}
    }
    Transition::Stay
}

fn figure(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{x:+.decimals$}"))
}

/// Info, method, types' table, and the experts' and dossiers' tables side by side.
fn areas(area: Rect, types: usize) -> [Rect; 5] {
    let inner = Block::bordered().inner(area);
    let [info, method, panels, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(types as u16 + 1),
        Constraint::Min(1),
    ])
    .areas(inner);
    let [experts, _, crossing] = Layout::horizontal([
        Constraint::Length(36),
        Constraint::Length(2),
        Constraint::Min(1),
    ])
    .areas(rest);
    [info, method, panels, experts, crossing]
}

pub fn on_mouse(tab: &mut PanelTab, ev: &MouseEvent, area: Rect) {
    let [_, _, _, experts, crossing] = areas(area, tab.room.stats.stats.panels.len());
    if tab.experts.on_mouse(ev, experts).is_none() {
        tab.crossing.on_mouse(ev, crossing);
    }
}

pub fn view(tab: &PanelTab, env: &Env, f: &mut Frame, area: Rect) {
    let room = &tab.room;
    let s = &room.stats.stats;
    let hash = &room.stats.inputs_hash;
    f.render_widget(
        Block::bordered().title(format!(
            " {} · {} {} ",
            env.t("评审质量统计", "Review statistics"),
            env.t("输入哈希", "inputs hash"),
            hash.get(..16).unwrap_or(hash)
        )),
        area,
    );
    let [info, method, panels, experts, crossing_area] = areas(area, s.panels.len());
    let crossing = crossing(room);
    let line = match env.lang {
        Lang::Zh => format!(
            "入选至第 {} 名，备选至第 {} 名 · {} 次重抽样，种子 {} · {} 份申报书的区间跨线",
            s.cut,
            room.stats.reserve_cut,
            s.replicates,
            s.seed,
            crossing.len()
        ),
        Lang::En => format!(
            "cut at rank {}, reserve to {} · {} replicates, seed {} · {} intervals cross a line",
            s.cut,
            room.stats.reserve_cut,
            s.replicates,
            s.seed,
            crossing.len()
        ),
    };
    let dim = |text: &str, r: Rect| {
        Paragraph::new(Line::styled(truncate(text, r.width as usize), theme::dim()))
    };
    f.render_widget(dim(&line, info), info);
    f.render_widget(
        dim(
            &format!(
                "{}{}",
                env.t("类型组一致性：", "type panels' agreement: "),
                env.lang.text(&room.stats.panel_method)
            ),
            method,
        ),
        method,
    );
    // The type panels in the criteria's order.
    let mut order: Vec<_> = s.panels.iter().collect();
    order.sort_by_key(|p| {
        env.criteria
            .types
            .all()
            .iter()
            .position(|t| t.id == p.type_id)
            .unwrap_or(usize::MAX)
    });
    let type_w = labels::widest_type(&env.criteria, env.lang).clamp(6, 28);
    let pcols = [
        Column::left(env.t("类型", "Type"), type_w),
        Column::right(env.t("申报书", "Dossiers"), 8),
        Column::right(env.t("评分表", "Sheets"), 7),
        Column::right("ICC(1)", 7),
    ];
    let titles: Vec<String> = pcols.iter().map(|c| c.title.to_string()).collect();
    let mut lines = vec![Line::styled(row_text(&pcols, &titles), theme::header())];
    for p in order {
        lines.push(Line::from(row_text(
            &pcols,
            &[
                labels::demo_type(&env.criteria, &p.type_id, env.lang),
                p.dossiers.to_string(),
                p.sheets.to_string(),
                p.icc1
                    .map_or_else(|| "—".to_string(), |x| format!("{x:.3}")),
            ],
        )));
    }
    f.render_widget(Paragraph::new(lines), panels);
    let ecols = [
        Column::left(env.t("专家", "Expert"), 8),
        Column::right(env.t("份数", "Sheets"), 6),
        Column::right(env.t("共评", "Shared"), 6),
        Column::right(env.t("偏差", "Offset"), 7),
        Column::right(env.t("一致", "Agree"), 5),
    ];
    draw_table(f, experts, &ecols, &tab.experts, |i| {
        let e = &s.experts[i];
        vec![
            clean(&e.expert_id),
            e.sheets.to_string(),
            e.shared.to_string(),
            figure(e.harshness, 2),
            figure(e.agreement, 2),
        ]
    });
    let fixed = 4 + 10 + 9 + 3;
    let ccols = [
        Column::right(env.t("名次", "Rank"), 4),
        Column::left(env.t("编号", "Code"), 10),
        Column::right(env.t("排名区间", "Interval"), 9),
        Column::left(
            env.t("跨越", "Crosses"),
            (crossing_area.width as usize).saturating_sub(fixed),
        ),
    ];
    draw_table(f, crossing_area, &ccols, &tab.crossing, |i| {
        let r = crossing[i];
        vec![
            r.rank.to_string(),
            clean(&r.code),
            format!("{}–{}", r.low, r.high),
            if r.crosses_cut {
                env.t("入选线", "the cut").to_string()
            } else {
                env.t("备选线", "the reserve line").to_string()
            },
        ]
    });
}
