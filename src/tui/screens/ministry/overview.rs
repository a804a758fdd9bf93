//! The overview tab: dossiers stored per reporting unit and type, with totals; review progress,
//! assignment coverage and the experts with sheets outstanding (ministry staff only).

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Gauge, Paragraph};

use crate::domain::access::{Action as Permission, check};
use crate::store::{Progress, Store, StoreError};
use crate::tui::core::Env;
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::lang::Lang;
use crate::tui::list::{Column, FilteredList, draw_table, filter_line, fit_widths, row_text};
use crate::tui::screens::Transition;
use crate::tui::screens::expert_list::filter_key;
use crate::tui::text::{clean, pad, pad_left, truncate, width};
use crate::tui::theme;

/// One reporting unit's stored dossiers.
#[derive(Debug, Clone)]
pub struct ProvinceRow {
    pub key: String,
    pub dossiers: i64,
    /// Count per type, in the criteria's type order.
    pub per_type: Vec<i64>,
}

/// An expert with sheets not yet submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub expert: String,
    pub outstanding: usize,
    pub assigned: usize,
}

/// The overview.
#[derive(Debug, Clone)]
pub struct OverviewTab {
    pub rows: Vec<ProvinceRow>,
    pub list: FilteredList,
    pub total: i64,
    /// Dossiers per type, in the criteria's type order.
    pub type_totals: Vec<i64>,
    /// Reporting units in the criteria.
    pub reporting_units: usize,
    /// `None` where the role may not see progress (the clerk).
    pub progress: Option<Progress>,
    /// Dossiers with the full number of experts, and all dossiers (ministry staff).
    pub coverage: Option<(usize, usize)>,
    /// Experts with sheets outstanding, most outstanding first.
    pub overdue: Vec<Overdue>,
    /// The progress pane is being read in the background (what it shows, if anything, is the
    /// last read).
    pub reading: bool,
    /// Batches refused at import, with their reasons (`r`).
    pub refusals: super::refusals::RefusalsView,
}

/// What the progress pane shows: review progress, coverage and the overdue experts, read in
/// one go (in the background on a large round: `overview_job`).
#[derive(Debug, Clone, Default)]
pub struct Reviewed {
    pub progress: Option<Progress>,
    pub coverage: Option<(usize, usize)>,
    pub overdue: Vec<Overdue>,
}

impl Reviewed {
    /// Read for the logged-in user: what their role may see (nothing for the clerk). `total`
    /// is the dossiers stored (coverage's denominator).
    pub fn read(env: &Env, store: &Store, total: i64) -> Result<Reviewed, StoreError> {
        let user = env.user.as_ref().ok_or(StoreError::LoginRequired)?;
        let progress = if check(user, &Permission::ViewProgress).is_ok() {
            Some(store.progress(user)?)
        } else {
            None
        };
        let coverage = if check(user, &Permission::Assign).is_ok() {
            let per = env.criteria.round.experts_per_dossier as usize;
            let full = store.dossiers_with_experts(user, per)?;
            Some((full, usize::try_from(total).unwrap_or(0)))
        } else {
            None
        };
        let mut overdue: Vec<Overdue> = progress
            .iter()
            .flat_map(|p| &p.experts)
            .filter(|r| r.assigned > r.submitted)
            .map(|r| Overdue {
                expert: r.key.clone(),
                outstanding: r.assigned - r.submitted,
                assigned: r.assigned,
            })
            .collect();
        overdue.sort_by(|a, b| {
            b.outstanding
                .cmp(&a.outstanding)
                .then_with(|| a.expert.cmp(&b.expert))
        });
        Ok(Reviewed {
            progress,
            coverage,
            overdue,
        })
    }

    /// Whether the role sees a progress pane at all (ministry staff, not the clerk).
    pub fn shown_to(env: &Env) -> bool {
        env.user
            .as_ref()
            .is_some_and(|u| check(u, &Permission::ViewProgress).is_ok())
    }
}

impl OverviewTab {
    /// The whole tab, read in place.
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let mut tab = Self::load_counts(env, store)?;
        tab.set_reviewed(Reviewed::read(env, store, tab.total)?);
        Ok(tab)
    }

    /// The dossiers per reporting unit and type and the refusals (quick at any size); the
    /// progress pane is filled by [`Self::set_reviewed`].
    pub fn load_counts(env: &Env, store: &Store) -> Result<Self, StoreError> {
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
        let type_totals = (0..types.len())
            .map(|i| rows.iter().map(|r| r.per_type[i]).sum())
            .collect();
        Ok(OverviewTab {
            list: FilteredList::new(rows.len()),
            total: status.dossiers,
            rows,
            type_totals,
            reporting_units: env.criteria.provinces.all().len(),
            progress: None,
            coverage: None,
            overdue: Vec::new(),
            reading: false,
            refusals: super::refusals::RefusalsView {
                refusals: store.refusals(user)?,
                ..Default::default()
            },
        })
    }

    /// No dossier stored, nothing read: the overview of a dashboard built without a store
    /// (the update tests).
    pub fn empty(env: &Env) -> Self {
        let types = env.criteria.types.all().len();
        OverviewTab {
            list: FilteredList::new(0),
            total: 0,
            rows: Vec::new(),
            type_totals: vec![0; types],
            reporting_units: env.criteria.provinces.all().len(),
            progress: None,
            coverage: None,
            overdue: Vec::new(),
            reading: false,
            refusals: super::refusals::RefusalsView::default(),
        }
    }

    /// Fill the progress pane.
    pub fn set_reviewed(&mut self, r: Reviewed) {
        self.progress = r.progress;
        self.coverage = r.coverage;
        self.overdue = r.overdue;
        self.reading = false;
    }

    pub fn refilter(&mut self, env: &Env) {
        let rows = &self.rows;
        self.list.refilter(rows.len(), |i| {
            format!(
                "{} {} {}",
                rows[i].key,
                labels::province(&env.criteria, &rows[i].key, Lang::Zh),
                labels::province(&env.criteria, &rows[i].key, Lang::En)
            )
        });
    }

    pub fn handle(&mut self, env: &mut Env, action: Action, typed: Option<char>) -> Transition {
        if self.refusals.open {
            let v = &mut self.refusals;
            match action {
                Action::Back => v.open = false,
                _ => v.scroll = super::scroll(v.scroll, action, usize::MAX),
            }
            return Transition::Stay;
        }
        if self.list.filtering {
            filter_key(&mut self.list, action, typed);
            self.refilter(env);
            return Transition::Stay;
        }
        match action {
            Action::Up => self.list.up(1),
            Action::Down => self.list.down(1),
            Action::PageUp => self.list.up(10),
            Action::PageDown => self.list.down(10),
            Action::Search => self.list.filtering = true,
            Action::Refusals => {
                self.refusals.open = true;
                self.refusals.scroll = 0;
            }
            _ => {}
        }
        Transition::Stay
    }
}

/// The provinces' list (left) and the progress pane (right).
fn panes(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Min(40), Constraint::Length(30)]).areas(area)
}

/// The table, the totals row and the filter line inside the list's border.
fn list_areas(left: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(Block::bordered().inner(left))
}

impl OverviewTab {
    /// The wheel and a click on the provinces' list; with the refusals shown in its place,
    /// the wheel scrolls them and the list under them does not move.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let [left, _] = panes(area);
        if self.refusals.open {
            self.refusals.on_mouse(env, ev, left);
            return;
        }
        let [table, _, _] = list_areas(left);
        self.list.on_mouse(ev, table);
    }
}

pub fn view(s: &OverviewTab, env: &Env, f: &mut Frame, area: Rect) {
    let [left, right] = panes(area);
    let title = format!(
        " {} {} · {} {}/{} ",
        env.t("已入库", "Stored"),
        s.total,
        env.t("报送单位", "units"),
        s.rows.len(),
        s.reporting_units
    );
    if s.refusals.open {
        super::refusals::view(&s.refusals, env, f, left);
        progress(s, env, f, right);
        return;
    }
    let block = Block::bordered().title(title);
    f.render_widget(block, left);
    let [table, totals, filter] = list_areas(left);
    let types = env.criteria.types.all();
    let type_titles: Vec<String> = types
        .iter()
        .map(|t| {
            if env.lang == Lang::Zh {
                t.name_zh.chars().take(2).collect()
            } else {
                t.name_en.chars().take(4).collect()
            }
        })
        .collect();
    let all_title = env.t("合计", "All");
    let total_name = env.t("全国合计", "Total");
    let names: Vec<String> = s
        .rows
        .iter()
        .map(|r| labels::province(&env.criteria, &r.key, env.lang))
        .collect();
    let w = number_widths(s, &names, total_name, all_title, &type_titles, table.width);
    let mut cols = vec![
        Column::left(env.t("省份", "Province"), w[0]),
        Column::right(all_title, w[1]),
    ];
    for (t, w) in type_titles.iter().zip(&w[2..]) {
        cols.push(Column::right(t, *w));
    }
    draw_table(f, table, &cols, &s.list, |i| {
        let r = &s.rows[i];
        let mut cells = vec![names[i].clone(), r.dossiers.to_string()];
        cells.extend(r.per_type.iter().map(|n| n.to_string()));
        cells
    });
    let mut cells = vec![total_name.to_string(), s.total.to_string()];
    cells.extend(s.type_totals.iter().map(|n| n.to_string()));
    f.render_widget(
        Paragraph::new(Line::styled(row_text(&cols, &cells), theme::header())),
        totals,
    );
    let mut line = filter_line(&s.list, s.list.visible.len(), s.rows.len());
    let refused = !s.refusals.refusals.is_empty();
    line.spans.push(ratatui::text::Span::styled(
        s.refusals.summary(env),
        if refused {
            theme::error()
        } else {
            theme::dim()
        },
    ));
    f.render_widget(Paragraph::new(line), filter);
    progress(s, env, f, right);
}

/// The columns' widths (display columns): the name, 合计, then one per type. Each number
/// column is as wide as its widest number (the totals row included) or its title; the name
/// column as its longest name. When the table is narrower than that (80 columns, a large round):
/// first the name column gives way down to 8 columns (全国合计 whole), then the type titles are
/// cut down to their numbers' width, then the name goes under 8. A number is never cut while
/// the name column has a column left.
fn number_widths(
    s: &OverviewTab,
    names: &[String],
    total_name: &str,
    all_title: &str,
    type_titles: &[String],
    table_width: u16,
) -> Vec<usize> {
    let digits = |n: i64| width(&n.to_string());
    let name_want = names
        .iter()
        .map(|n| width(n))
        .chain([width(total_name)])
        .max()
        .unwrap_or(0);
    let all_digits = s
        .rows
        .iter()
        .map(|r| digits(r.dossiers))
        .chain([digits(s.total)])
        .max()
        .unwrap_or(1);
    let type_digits: Vec<usize> = (0..type_titles.len())
        .map(|i| {
            s.rows
                .iter()
                .filter_map(|r| r.per_type.get(i).copied())
                .chain(s.type_totals.get(i).copied())
                .map(digits)
                .max()
                .unwrap_or(1)
        })
        .collect();
    let mut want = vec![name_want, all_digits.max(width(all_title))];
    want.extend(
        type_titles
            .iter()
            .zip(&type_digits)
            .map(|(t, d)| width(t).max(*d)),
    );
    let give_way: Vec<(usize, usize)> = type_digits
        .iter()
        .enumerate()
        .map(|(i, d)| (i + 2, *d))
        .collect();
    let mut w = fit_widths(&want, 0, name_want.min(8), table_width as usize, &give_way);
    w[0] = w[0].min(name_want);
    w
}

fn progress(s: &OverviewTab, env: &Env, f: &mut Frame, area: Rect) {
    let block = Block::bordered().title(env.t(" 评审进度 ", " Review progress "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let Some(p) = &s.progress else {
        let text = if s.reading {
            env.t(
                "计算中…评审进度就绪后自动显示",
                "computing… the progress shows when ready",
            )
        } else {
            env.t("本角色不查看评审进度", "not shown for this role")
        };
        f.render_widget(
            Paragraph::new(Line::styled(truncate(text, w), theme::dim())),
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
    // The figures whole: a shorter label where the long one would push them out (a large
    // round's six-digit counts in 28 columns).
    let figures = format!("{submitted}/{assigned}");
    let long = env.t("已提交评分表", "sheets submitted");
    let label_text = if width(long) + 1 + width(&figures) <= w {
        long
    } else {
        env.t("已提交", "submitted")
    };
    f.render_widget(
        Paragraph::new(Line::from(truncate(&format!("{label_text} {figures}"), w))),
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
    let mut lines = Vec::new();
    if let Some((full, all)) = s.coverage {
        lines.push(Line::from(truncate(
            &format!("{} {full}/{all}", env.t("专家已配齐", "fully assigned")),
            w,
        )));
    }
    lines.push(Line::styled(
        truncate(
            env.t("逾期专家（未交评分表）：", "Overdue experts (sheets due):"),
            w,
        ),
        theme::header(),
    ));
    if p.experts.is_empty() {
        lines.push(Line::styled(
            env.t("尚未分配", "nothing assigned yet").to_string(),
            theme::dim(),
        ));
    } else if s.overdue.is_empty() {
        lines.push(Line::styled(
            env.t("无，均已提交", "none, all submitted").to_string(),
            theme::ok(),
        ));
    }
    // The expert and count columns as wide as what they hold (the expert at most half the pane).
    let expert_w = s
        .overdue
        .iter()
        .map(|o| width(&clean(&o.expert)))
        .max()
        .unwrap_or(0)
        .min(w / 2);
    let count_w = s
        .overdue
        .iter()
        .map(|o| width(&o.outstanding.to_string()))
        .max()
        .unwrap_or(0);
    for o in &s.overdue {
        lines.push(Line::from(truncate(
            &format!(
                "{} {} {}",
                pad(&clean(&o.expert), expert_w),
                pad_left(&o.outstanding.to_string(), count_w),
                env.lang.pick(
                    &format!("份未交（共{}）", o.assigned),
                    &format!("due (of {})", o.assigned)
                )
            ),
            w,
        )));
    }
    f.render_widget(Paragraph::new(lines), rest);
}
