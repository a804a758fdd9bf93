//! Ministry staff's and the clerk's home: what the database holds now, review progress, and
//! the panels of the steps still to come (assignment, ranking, selection, publicity, documents).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Gauge, Paragraph, Tabs};

use crate::domain::access::{Action as Permission, check};
use crate::store::{Progress, Store, StoreError};

use crate::tui::app::{Env, Transition};
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::list::{Column, FilteredList, draw_table, filter_line};
use crate::tui::text::{clean, pad, truncate};
use crate::tui::theme;

use super::expert_list::filter_key;

/// One reporting unit's stored dossiers.
#[derive(Debug, Clone)]
pub struct ProvinceRow {
    pub key: String,
    pub dossiers: i64,
    /// Count per type, in the criteria's type order.
    pub per_type: Vec<i64>,
}

/// The dashboard.
#[derive(Debug, Clone)]
pub struct DashboardState {
    pub tab: usize,
    pub rows: Vec<ProvinceRow>,
    pub list: FilteredList,
    pub total: i64,
    /// `None` where the role may not see progress (the clerk).
    pub progress: Option<Progress>,
}

/// Tab titles; the first is the overview, the others are placeholders for now.
const TABS: &[(&str, &str)] = &[
    ("概况", "Overview"),
    ("分配", "Assignment"),
    ("排名", "Ranking"),
    ("遴选", "Selection"),
    ("公示", "Publicity"),
    ("文书", "Documents"),
];

/// What each coming panel will hold (zh, en).
const PLANNED: &[&[(&str, &str)]] = &[
    &[],
    &[
        (
            "为每份申报书分配评审专家（回避规则、负载均衡、类型覆盖）",
            "Assign experts to every dossier (recusal rules, balanced loads, type coverage)",
        ),
        (
            "回避后自动替补，调换专家",
            "Automatic replacement after a recusal; swapping an expert",
        ),
        (
            "每位专家的分配与进度",
            "Each expert's assignments and progress",
        ),
    ],
    &[
        (
            "按去掉最高分和最低分后的平均分排名",
            "Ranking by trimmed mean (highest and lowest dropped)",
        ),
        ("标准化分数对照", "Standardised scores alongside"),
        (
            "专家分歧较大的申报书提示",
            "Dossiers where experts disagree widely",
        ),
    ],
    &[
        (
            "拟认定名单（每省上限、类型比例）",
            "Proposed list (per-province cap, type shares)",
        ),
        ("备选名单", "Reserve list"),
    ],
    &[
        ("公示期（按工作日计算）", "Publicity period (working days)"),
        ("异议登记与处理", "Objections: record and resolve"),
        ("认定", "Confirmation"),
    ],
    &[
        (
            "通知、专家评分表、公示名单 PDF",
            "Notices, expert score sheets and the publicity list as PDF",
        ),
        ("打印与核对", "Printing and checking"),
    ],
];

impl DashboardState {
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let user = env.user.as_ref().ok_or(StoreError::LoginRequired)?;
        check(user, &Permission::ViewStatus)?;
        let status = store.status(Some(user))?;
        let types = env.criteria.types.all();
        let mut rows: Vec<ProvinceRow> = status
            .batches
            .iter()
            .map(|b| ProvinceRow {
                key: b.province.clone(),
                dossiers: b.dossiers,
                per_type: types
                    .iter()
                    .map(|t| {
                        b.types
                            .iter()
                            .find(|(id, _)| *id == t.id)
                            .map_or(0, |(_, n)| *n)
                    })
                    .collect(),
            })
            .collect();
        rows.sort_by_key(|r| env.criteria.provinces.order(&r.key));
        let progress = if check(user, &Permission::ViewProgress).is_ok() {
            Some(store.progress(user)?)
        } else {
            None
        };
        Ok(DashboardState {
            tab: 0,
            list: FilteredList::new(rows.len()),
            total: status.dossiers,
            rows,
            progress,
        })
    }

    pub fn refilter(&mut self, env: &Env) {
        let rows = &self.rows;
        self.list.refilter(rows.len(), |i| {
            format!(
                "{} {} {}",
                rows[i].key,
                labels::province(&env.criteria, &rows[i].key, crate::tui::lang::Lang::Zh),
                labels::province(&env.criteria, &rows[i].key, crate::tui::lang::Lang::En)
            )
        });
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        _store: &mut Store,
    ) -> Transition {
        if self.list.filtering {
            filter_key(&mut self.list, action, typed);
            self.refilter(env);
            return Transition::Stay;
        }
        match action {
            Action::NextTab => self.tab = (self.tab + 1) % TABS.len(),
            Action::PrevTab => self.tab = (self.tab + TABS.len() - 1) % TABS.len(),
            Action::Up => self.list.up(1),
            Action::Down => self.list.down(1),
            Action::PageUp => self.list.up(10),
            Action::PageDown => self.list.down(10),
            Action::Search => {
                self.tab = 0;
                self.list.filtering = true;
            }
            _ => {}
        }
        Transition::Stay
    }
}

pub fn view(s: &DashboardState, env: &Env, f: &mut Frame, area: Rect) {
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let titles: Vec<&str> = TABS.iter().map(|(zh, en)| env.t(zh, en)).collect();
    f.render_widget(
        Tabs::new(titles)
            .select(s.tab)
            .highlight_style(theme::selected()),
        tabs,
    );
    if s.tab == 0 {
        overview(s, env, f, body);
    } else {
        planned(s.tab, env, f, body);
    }
}

fn overview(s: &DashboardState, env: &Env, f: &mut Frame, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(30)]).areas(area);
    let title = format!(
        " {} {} · {} {} ",
        env.t("已入库", "Stored"),
        s.total,
        env.t("报送单位", "reporting units"),
        s.rows.len()
    );
    let block = Block::bordered().title(title);
    let inner = block.inner(left);
    f.render_widget(block, left);
    let [table, filter] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let types = env.criteria.types.all();
    let type_titles: Vec<String> = types
        .iter()
        .map(|t| {
            if env.lang == crate::tui::lang::Lang::Zh {
                t.name_zh.chars().take(2).collect()
            } else {
                t.id.chars().take(4).collect()
            }
        })
        .collect();
    let name_w = (table.width as usize)
        .saturating_sub(5 + types.len() * 5)
        .clamp(6, 14);
    let mut cols = vec![
        Column::left(env.t("省份", "Province"), name_w),
        Column::right(env.t("合计", "All"), 4),
    ];
    for t in &type_titles {
        cols.push(Column::right(t, 4));
    }
    draw_table(f, table, &cols, &s.list, |i| {
        let r = &s.rows[i];
        let mut cells = vec![
            labels::province(&env.criteria, &r.key, env.lang),
            r.dossiers.to_string(),
        ];
        cells.extend(r.per_type.iter().map(|n| n.to_string()));
        cells
    });
    f.render_widget(
        Paragraph::new(filter_line(&s.list, s.list.visible.len(), s.rows.len())),
        filter,
    );
    progress(s, env, f, right);
}

fn progress(s: &DashboardState, env: &Env, f: &mut Frame, area: Rect) {
    let block = Block::bordered().title(env.t(" 评审进度 ", " Review progress "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let Some(p) = &s.progress else {
        f.render_widget(
            Paragraph::new(Line::styled(
                truncate(env.t("本角色不查看评审进度", "not shown for this role"), w),
                theme::dim(),
            )),
            inner,
        );
        return;
    };
    let assigned: usize = p.experts.iter().map(|r| r.assigned).sum();
    let submitted: usize = p.experts.iter().map(|r| r.submitted).sum();
    if inner.height < 2 {
        return;
    }
    let [label, gauge, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(Line::from(truncate(
            &format!(
                "{} {submitted}/{assigned}",
                env.t("已提交评分表", "sheets submitted")
            ),
            w,
        ))),
        label,
    );
    let ratio = if assigned == 0 {
        0.0
    } else {
        submitted as f64 / assigned as f64
    };
    f.render_widget(
        Gauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(format!("{:.0}%", ratio * 100.0))
            .gauge_style(theme::ok()),
        gauge,
    );
    let mut lines = vec![Line::styled(
        env.t("按专家：", "By expert:").to_string(),
        theme::header(),
    )];
    if p.experts.is_empty() {
        lines.push(Line::styled(
            env.t("尚未分配", "nothing assigned yet").to_string(),
            theme::dim(),
        ));
    }
    let bar_w = w.saturating_sub(4 + 1 + 6).max(1);
    for r in &p.experts {
        let filled = (r.submitted * bar_w)
            .checked_div(r.assigned)
            .unwrap_or(0)
            .min(bar_w);
        lines.push(Line::from(format!(
            "{} {}{} {}",
            pad(&clean(&r.key), 4),
            "█".repeat(filled),
            "░".repeat(bar_w - filled),
            truncate(&format!("{}/{}", r.submitted, r.assigned), 6)
        )));
    }
    f.render_widget(Paragraph::new(lines), rest);
}

fn planned(tab: usize, env: &Env, f: &mut Frame, area: Rect) {
    let (zh, en) = TABS[tab];
    let block = Block::bordered().title(format!(" {} ", env.t(zh, en)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![
        Line::styled(
            truncate(env.t("此处将提供：", "Coming here:"), w),
            theme::header(),
        ),
        Line::from(""),
    ];
    for (zh, en) in PLANNED.get(tab).copied().unwrap_or(&[]) {
        lines.push(Line::from(truncate(&format!("· {}", env.t(zh, en)), w)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
