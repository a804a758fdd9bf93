//! The ranking tab: every dossier by rank with its figures, sortable, searchable, filtered by
//! province and type; Enter opens the dossier's calculation sheet. Only the visible rows are
//! drawn, so 30,000 rows stay fast.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::province::Resolution;
use crate::domain::ranking::{Explanation, RankedDossier, explain};
use crate::store::{RankedRound, Store, StoreError};
use crate::tui::core::Env;
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::lang::Lang;
use crate::tui::list::{Column, FilteredList, draw_table, filter_line, fit_widths, inside, wheel};
use crate::tui::popup::InputPurpose;
use crate::tui::screens::Transition;
use crate::tui::screens::expert_list::filter_key;
use crate::tui::text::{clean, truncate, width, wrap};
use crate::tui::theme;

use super::{ask, scroll, user};

/// The column the ranking is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Rank,
    /// Province order, then rank.
    Province,
    /// Widest spread first.
    Spread,
}

impl SortBy {
    fn next(self) -> SortBy {
        match self {
            SortBy::Rank => SortBy::Province,
            SortBy::Province => SortBy::Spread,
            SortBy::Spread => SortBy::Rank,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SortBy::Rank => lang.pick("名次", "rank"),
            SortBy::Province => lang.pick("省份", "province"),
            SortBy::Spread => lang.pick("极差", "spread"),
        }
    }
}

/// A calculation sheet being read.
#[derive(Debug, Clone)]
pub struct ExplainView {
    pub explanation: Explanation,
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub struct RankingTab {
    pub round: RankedRound,
    /// Lower-case search text per row (code, province names, type names, applicant), made at
    /// the first search (building it for 30,000 rows kept the ranking off the screen longer).
    hay: Vec<String>,
    /// Lower-case province and type names in both languages, by province key and type id.
    names: std::collections::HashMap<String, String>,
    /// Row indices in the current sort order.
    order: Vec<usize>,
    pub list: FilteredList,
    pub sort: SortBy,
    pub province: Option<String>,
    pub type_id: Option<String>,
    /// Provinces and types present in the ranking, in the criteria's order.
    provinces: Vec<String>,
    types: Vec<String>,
    pub explain: Option<ExplainView>,
    /// The widest rank and the widest code (display columns), measured once over every row
    /// so that the columns hold a 30,000-dossier round's ranks whole and do not jump on a filter.
    rank_w: usize,
    code_w: usize,
}

impl RankingTab {
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let actor = user(env)?;
        let round = store.ranking(&env.criteria, &actor)?;
        Ok(RankingTab::from_round(env, round))
    }

    /// The tab over a ranking already computed (also used by the benchmark).
    pub fn from_round(env: &Env, round: RankedRound) -> Self {
        let c = &env.criteria;
        let names = c
            .provinces
            .all()
            .iter()
            .map(|p| {
                let zh = labels::province(c, &p.key, Lang::Zh);
                let en = labels::province(c, &p.key, Lang::En);
                (p.key.clone(), format!("{zh} {en}").to_lowercase())
            })
            .chain(c.types.all().iter().map(|t| {
                let zh = labels::demo_type(c, &t.id, Lang::Zh);
                let en = labels::demo_type(c, &t.id, Lang::En);
                (t.id.clone(), format!("{zh} {en}").to_lowercase())
            }))
            .collect();
        let provinces: Vec<String> = c
            .provinces
            .all()
            .iter()
            .map(|p| p.key.clone())
            .filter(|k| round.ranking.rows.iter().any(|r| &r.province_key == k))
            .collect();
        let types: Vec<String> = c
            .types
            .all()
            .iter()
            .map(|t| t.id.clone())
            .filter(|id| round.ranking.rows.iter().any(|r| &r.type_id == id))
            .collect();
        let n = round.ranking.rows.len();
        let rows = &round.ranking.rows;
        let rank_w = rows
            .iter()
            .map(|r| r.rank)
            .max()
            .map_or(1, |m| width(&m.to_string()));
        let code_w = rows
            .iter()
            .map(|r| width(&clean(&r.code)))
            .max()
            .unwrap_or(0);
        let mut tab = RankingTab {
            round,
            hay: Vec::new(),
            names,
            order: (0..n).collect(),
            list: FilteredList::new(n),
            sort: SortBy::Rank,
            province: None,
            type_id: None,
            provinces,
            types,
            explain: None,
            rank_w,
            code_w,
        };
        tab.resort();
        tab
    }

    /// Take over the reader's place from the tab this one replaces (a reload after another
    /// connection changed the data): sort, filters, search, the selected dossier, and an open
    /// calculation sheet, recomputed on the new figures.
    pub fn carry_from(&mut self, old: &RankingTab) {
        self.sort = old.sort;
        self.province = old.province.clone();
        self.type_id = old.type_id.clone();
        self.list.query = old.list.query.clone();
        self.list.filtering = old.list.filtering;
        let code = old
            .list
            .current()
            .and_then(|i| old.rows().get(i))
            .map(|r| r.code.clone());
        self.resort();
        if let Some(code) = code {
            let rows = &self.round.ranking.rows;
            if let Some(pos) = self.list.visible.iter().position(|&i| rows[i].code == code) {
                self.list.selected = pos;
            }
        }
        if let Some(v) = &old.explain {
            self.explain =
                explain(&self.round.ranking, &v.explanation.code, false).map(|explanation| {
                    ExplainView {
                        explanation,
                        scroll: v.scroll,
                    }
                });
        }
    }

    fn rows(&self) -> &[RankedDossier] {
        &self.round.ranking.rows
    }

    fn resort(&mut self) {
        let rows = &self.round.ranking.rows;
        let mut order: Vec<usize> = (0..rows.len()).collect();
        match self.sort {
            SortBy::Rank => order.sort_by_key(|&i| rows[i].rank),
            SortBy::Province => order.sort_by_key(|&i| (rows[i].province_order, rows[i].rank)),
            SortBy::Spread => order.sort_by(|&a, &b| {
                rows[b]
                    .spread
                    .total_cmp(&rows[a].spread)
                    .then(rows[a].rank.cmp(&rows[b].rank))
            }),
        }
        self.order = order;
        self.refilter();
    }

    /// The search text of every row.
    fn haystack(&self) -> Vec<String> {
        let name = |k: &str| self.names.get(k).map_or("", String::as_str);
        self.round
            .ranking
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {}",
                    r.code.to_lowercase(),
                    name(&r.province_key),
                    name(&r.type_id),
                    self.round
                        .applicants
                        .get(&r.code)
                        .map_or(String::new(), |s| s.to_lowercase())
                )
            })
            .collect()
    }

    /// Apply the sort order, the province and type filters and the search query.
    pub fn refilter(&mut self) {
        let q = self.list.query.value().to_lowercase();
        if !q.is_empty() && self.hay.len() != self.round.ranking.rows.len() {
            self.hay = self.haystack();
        }
        let rows = &self.round.ranking.rows;
        self.list.visible = self
            .order
            .iter()
            .copied()
            .filter(|&i| {
                let r = &rows[i];
                self.province.as_ref().is_none_or(|p| &r.province_key == p)
                    && self.type_id.as_ref().is_none_or(|t| &r.type_id == t)
                    && (q.is_empty() || self.hay[i].contains(&q))
            })
            .collect();
        self.list.selected = self
            .list
            .selected
            .min(self.list.visible.len().saturating_sub(1));
    }

    /// A key on the tab: sorting, filters, the calculation sheet (all in memory).
    pub fn on_key(&mut self, env: &mut Env, action: Action, typed: Option<char>) -> Transition {
        if self.list.filtering {
            filter_key(&mut self.list, action, typed);
            self.refilter();
            return Transition::Stay;
        }
        if let Some(view) = &mut self.explain {
            // Lines wrap when drawn; the view keeps the last page in sight.
            let len = view.explanation.lines(env.lang.code()).len() * 2;
            match action {
                Action::Back => self.explain = None,
                a => view.scroll = scroll(view.scroll, a, len),
            }
            return Transition::Stay;
        }
        match action {
            Action::Up => self.list.up(1),
            Action::Down => self.list.down(1),
            Action::PageUp => self.list.up(10),
            Action::PageDown => self.list.down(10),
            Action::Search => self.list.filtering = true,
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.list.selected = 0;
                self.resort();
            }
            Action::FilterProvince => {
                self.province = cycle(&self.provinces, self.province.take());
                self.list.selected = 0;
                self.refilter();
            }
            Action::FilterType => {
                self.type_id = cycle(&self.types, self.type_id.take());
                self.list.selected = 0;
                self.refilter();
            }
            Action::ChooseProvince => {
                let current = self.province.as_ref().map_or_else(String::new, |p| {
                    labels::province(&env.criteria, p, env.lang)
                });
                return ask(InputPurpose::RankingProvince, &current);
            }
            Action::ChooseType => {
                let current = self.type_id.as_ref().map_or_else(String::new, |t| {
                    labels::demo_type(&env.criteria, t, env.lang)
                });
                return ask(InputPurpose::RankingType, &current);
            }
            Action::Open => {
                let Some(row) = self.list.current().and_then(|i| self.rows().get(i)) else {
                    return Transition::Stay;
                };
                match explain(&self.round.ranking, &row.code, false) {
                    Some(explanation) => {
                        self.explain = Some(ExplainView {
                            explanation,
                            scroll: 0,
                        })
                    }
                    None => env.error(Text::new(
                        format!("{} 没有计算单", row.code),
                        format!("no calculation sheet for {}", row.code),
                    )),
                }
            }
            _ => {}
        }
        Transition::Stay
    }
}

impl RankingTab {
    /// A province or type filter typed into a popup: a name (Chinese or English), short name or
    /// code; empty shows all.
    pub fn on_input(&mut self, env: &mut Env, purpose: InputPurpose, value: &str) -> Transition {
        let v = value.trim();
        let c = &env.criteria;
        let found = match purpose {
            InputPurpose::RankingProvince => {
                let key = if v.is_empty() {
                    None
                } else {
                    match c.provinces.resolve(v) {
                        Resolution::Exact(i) | Resolution::Truncated(i) => {
                            Some(c.provinces.get(i).key.clone())
                        }
                        Resolution::Unknown { .. } => c
                            .provinces
                            .all()
                            .iter()
                            .find(|p| p.name_en.eq_ignore_ascii_case(v))
                            .map(|p| p.key.clone()),
                    }
                };
                let ok = v.is_empty() || key.is_some();
                if ok {
                    self.province = key;
                }
                ok
            }
            InputPurpose::RankingType => {
                let id = if v.is_empty() {
                    None
                } else {
                    c.types
                        .resolve(v)
                        .or_else(|| {
                            c.types
                                .all()
                                .iter()
                                .find(|t| t.name_en.eq_ignore_ascii_case(v))
                        })
                        .map(|t| t.id.clone())
                };
                let ok = v.is_empty() || id.is_some();
                if ok {
                    self.type_id = id;
                }
                ok
            }
            _ => return Transition::Stay,
        };
        if !found {
            env.error(Text::new(
                format!("没有这个名称：{v}"),
                format!("no such name: {v}"),
            ));
            return ask(purpose, value);
        }
        self.list.selected = 0;
        self.refilter();
        Transition::Stay
    }
}

/// The next value after `current` (none → first → … → last → none).
fn cycle(values: &[String], current: Option<String>) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(c) => values
            .iter()
            .position(|v| *v == c)
            .and_then(|i| values.get(i + 1))
            .cloned(),
    }
}

/// The info line, the table and the filter line inside the tab's border.
fn areas(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(Block::bordered().inner(area))
}

impl RankingTab {
    /// The wheel and a click on the ranking; over a calculation sheet the wheel scrolls it.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        match &mut self.explain {
            Some(e) => e.on_mouse(env, ev, area),
            None => {
                let [_, table, _] = areas(area);
                self.list.on_mouse(ev, table);
            }
        }
    }
}

impl ExplainView {
    /// The calculation sheet's lines wrapped to `w` columns.
    fn wrapped(&self, env: &Env, w: usize) -> Vec<String> {
        self.explanation
            .lines(env.lang.code())
            .iter()
            .flat_map(|l| wrap(&clean(l), w))
            .collect()
    }

    /// The wheel over the sheet drawn into `area` scrolls it
    /// [`WHEEL`](crate::tui::list::WHEEL) lines, no further than the last at the bottom.
    fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect) {
        let inner = Block::bordered().inner(area);
        if !inside(inner, ev) {
            return;
        }
        let max = self
            .wrapped(env, inner.width as usize)
            .len()
            .saturating_sub(inner.height as usize);
        if let Some(first) = wheel(self.scroll.min(max), ev, max) {
            self.scroll = first;
        }
    }
}

pub fn view(s: &RankingTab, env: &Env, f: &mut Frame, area: Rect) {
    if let Some(e) = &s.explain {
        explain_view(e, env, f, area);
        return;
    }
    let hash = &s.round.ranking.inputs_hash;
    let block = Block::bordered().title(format!(
        " {} · {} {} ",
        env.t("排名", "Ranking"),
        env.t("输入哈希", "inputs hash"),
        hash.get(..16).unwrap_or(hash)
    ));
    f.render_widget(block, area);
    let [info, table, filter] = areas(area);
    let all = env.t("全部", "all");
    let province = s.province.as_ref().map_or_else(
        || all.to_string(),
        |p| labels::province(&env.criteria, p, env.lang),
    );
    let type_name = s.type_id.as_ref().map_or_else(
        || all.to_string(),
        |t| labels::demo_type(&env.criteria, t, env.lang),
    );
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(
                &format!(
                    "{}{} · {}{} · {}{} · {}",
                    env.t("排序：", "sort: "),
                    s.sort.label(env.lang),
                    env.t("省份：", "province: "),
                    province,
                    env.t("类型：", "type: "),
                    type_name,
                    env.t("⚑ 专家分歧大", "⚑ experts disagree")
                ),
                info.width as usize,
            ),
            theme::dim(),
        )),
        info,
    );
    // Province and type as wide as their longest names (广西 and 广东 never both "Guang…");
    // when tight, the province gives way to 9 columns (Guangdong whole), then the type to 8,
    // then the province to 6, and only while the applicant would have fewer than 14 columns.
    let titles = [
        env.t("名次", "Rank"),
        env.t("编号", "Code"),
        env.t("省份", "Prov."),
        env.t("类型", "Type"),
        env.t("均分", "Mean"),
        env.t("标准分", "Std"),
        env.t("极差", "Spread"),
        env.t("表", "Sh"),
        env.t("荐", "Re"),
        env.t("申报单位", "Applicant"),
    ];
    let want = [
        s.rank_w.max(width(titles[0])),
        s.code_w.max(width(titles[1])),
        labels::widest_province(&env.criteria, env.lang).max(width(titles[2])),
        labels::widest_type(&env.criteria, env.lang).max(width(titles[3])),
        6,
        6,
        6,
        2,
        2,
        0,
    ];
    let w = fit_widths(
        &want,
        9,
        14,
        table.width as usize,
        &[(2, 9), (3, 8), (2, 6)],
    );
    let cols: Vec<Column> = titles
        .iter()
        .zip(&w)
        .enumerate()
        .map(|(i, (t, w))| {
            if matches!(i, 1 | 2 | 3 | 9) {
                Column::left(t, *w)
            } else {
                Column::right(t, *w)
            }
        })
        .collect();
    let rows = s.rows();
    draw_table(f, table, &cols, &s.list, |i| {
        let r = &rows[i];
        vec![
            r.rank.to_string(),
            clean(&r.code),
            labels::province(&env.criteria, &r.province_key, env.lang),
            labels::demo_type(&env.criteria, &r.type_id, env.lang),
            format!("{:.2}", r.trimmed_mean),
            format!("{:.2}", r.standardised),
            format!("{}{:.1}", if r.flagged { "⚑" } else { "" }, r.spread),
            r.sheets.to_string(),
            r.recommend_votes.to_string(),
            s.round
                .applicants
                .get(&r.code)
                .map_or_else(String::new, |a| clean(a)),
        ]
    });
    f.render_widget(
        Paragraph::new(filter_line(&s.list, s.list.visible.len(), rows.len())),
        filter,
    );
}

fn explain_view(e: &ExplainView, env: &Env, f: &mut Frame, area: Rect) {
    let block = Block::bordered().title(format!(
        " {} {} ",
        env.t("计算单", "Calculation sheet"),
        clean(&e.explanation.code)
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let wrapped = e.wrapped(env, w);
    let h = inner.height as usize;
    let first = e.scroll.min(wrapped.len().saturating_sub(h));
    let lines: Vec<Line> = wrapped
        .into_iter()
        .skip(first)
        .take(h)
        .map(Line::from)
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
