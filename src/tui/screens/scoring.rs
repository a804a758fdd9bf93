//! The scoring walkthrough: the dossier on the left, the current criterion on the right.
//! Every entry is saved at once, so quitting half-way loses nothing; reopening resumes at the
//! first criterion without points.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::access::User;
use crate::domain::dossier::Dossier;
use crate::domain::rubric::Criterion;
use crate::domain::scoring::{Sheet, check_entry};
use crate::input::encoding::decode;
use crate::input::source::SourceText;
use crate::store::{Store, StoreError};

use crate::tui::app::{Env, Screen, Transition};
use crate::tui::input::LineInput;
use crate::tui::keymap::Action;
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::text::{clean, pad, pad_left, points, truncate, wrap};
use crate::tui::theme;

use super::dossier_view;
use super::expert_list::{ExpertListState, locked_text, recusal_confirm, recuse};

/// One open sheet.
#[derive(Debug, Clone)]
pub struct ScoringState {
    pub code: String,
    pub type_id: String,
    pub dossier: Option<Dossier>,
    /// The decoded file, shown as is if it no longer parses.
    pub raw: String,
    pub sheet: Sheet,
    /// Index of the current criterion in the rubric.
    pub current: usize,
    /// The points being typed.
    pub entry: LineInput,
    /// The summary is shown instead of the criterion.
    pub summary: bool,
    /// First dossier line shown (left half) or summary line shown.
    pub scroll: usize,
    pub summary_scroll: usize,
    /// First guidance line shown for the current criterion (`[` and `]`).
    pub guidance_scroll: usize,
    /// The largest useful scroll, as found by the last draw.
    pub max_scroll: Cell<usize>,
}

fn user(env: &Env) -> Result<User, StoreError> {
    env.user.clone().ok_or(StoreError::LoginRequired)
}

fn expert_id(u: &User) -> &str {
    match &u.role {
        crate::domain::access::Role::Expert { expert_id } => expert_id,
        _ => "",
    }
}

/// Decimal places a step allows (0.5 → 1, 0.25 → 2, 1 → 0).
fn step_decimals(step: f64) -> usize {
    let s = points(step);
    s.split('.').nth(1).map_or(0, str::len)
}

impl ScoringState {
    /// Open a dossier's sheet at its first unscored criterion (the summary when all are scored).
    pub fn open(env: &Env, store: &Store, code: &str) -> Result<ScoringState, StoreError> {
        let u = user(env)?;
        let sheet = store.sheet(&u, code, expert_id(&u))?;
        let Some((bytes, _)) = store.dossier_raw(Some(&u), code)? else {
            return Err(crate::domain::refusal::Refusal::UnknownDossier {
                code: code.to_string(),
            }
            .into());
        };
        let text = decode(&bytes)
            .map_or_else(|_| String::from_utf8_lossy(&bytes).into_owned(), |(t, _)| t);
        let (dossier, _) = crate::input::dossier::read(&SourceText::new(code, text.clone()));
        let type_id = dossier
            .as_ref()
            .and_then(|d| d.demo_type.as_ref())
            .and_then(|t| env.criteria.types.resolve(&t.value))
            .map_or_else(String::new, |t| t.id.clone());
        let rubric = &env.criteria.rubric;
        let next = sheet.next_unscored(rubric);
        let current = next
            .and_then(|c| rubric.criteria.iter().position(|d| d.id == c.id))
            .unwrap_or(0);
        Ok(ScoringState {
            code: code.to_string(),
            type_id,
            dossier,
            raw: text,
            summary: next.is_none(),
            sheet,
            current,
            entry: LineInput::default(),
            scroll: 0,
            summary_scroll: 0,
            guidance_scroll: 0,
            max_scroll: Cell::new(0),
        })
    }

    fn criterion<'e>(&self, env: &'e Env) -> Option<&'e Criterion> {
        env.criteria.rubric.criteria.get(self.current)
    }

    fn reload(&mut self, env: &Env, store: &Store) -> Result<(), StoreError> {
        let u = user(env)?;
        self.sheet = store.sheet(&u, &self.code, expert_id(&u))?;
        Ok(())
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        store: &mut Store,
    ) -> Transition {
        match action {
            Action::Type => {
                if let Some(c) = typed {
                    self.type_char(env, c);
                }
            }
            Action::DeleteChar => self.entry.backspace(),
            Action::SaveScore => self.save(env, store),
            Action::GuidanceDown => self.guidance_scroll += 3,
            Action::GuidanceUp => self.guidance_scroll = self.guidance_scroll.saturating_sub(3),
            Action::NextCriterion => self.go(env, self.current + 1),
            Action::PrevCriterion => self.go(env, self.current.saturating_sub(1)),
            Action::PageDown | Action::Down if !self.summary => {
                self.scroll = (self.scroll + 10).min(self.max_scroll.get());
            }
            Action::PageUp | Action::Up if !self.summary => {
                self.scroll = self.scroll.saturating_sub(10);
            }
            Action::Down => self.summary_scroll += 1,
            Action::Up => self.summary_scroll = self.summary_scroll.saturating_sub(1),
            Action::PageDown => self.summary_scroll += 10,
            Action::PageUp => self.summary_scroll = self.summary_scroll.saturating_sub(10),
            Action::Opinion if self.sheet.submitted => env.error(locked_text()),
            Action::Opinion => {
                return Transition::Open(Popup::Input {
                    purpose: InputPurpose::Opinion,
                    input: LineInput::new(&self.sheet.opinion),
                });
            }
            Action::Recommend => self.recommend(env, store, true),
            Action::NotRecommend => self.recommend(env, store, false),
            Action::Summary => {
                self.summary = true;
                self.summary_scroll = 0;
            }
            Action::Submit => return self.ask_submit(env),
            Action::Recuse if self.sheet.submitted => env.error(locked_text()),
            Action::Recuse => {
                return Transition::Open(Popup::Input {
                    purpose: InputPurpose::RecusalReason,
                    input: LineInput::default(),
                });
            }
            Action::Back if self.summary => self.summary = false,
            Action::Back => return back_to_list(env, store),
            _ => {}
        }
        Transition::Stay
    }

    fn go(&mut self, env: &Env, to: usize) {
        let n = env.criteria.rubric.criteria.len();
        self.current = to.min(n.saturating_sub(1));
        self.entry.clear();
        self.guidance_scroll = 0;
    }

    /// Take a typed character of the points, refusing at once what can no longer be valid:
    /// above the maximum, or more decimals than the step allows.
    fn type_char(&mut self, env: &mut Env, c: char) {
        if self.sheet.submitted {
            env.error(locked_text());
            return;
        }
        let Some(crit) = self.criterion(env).cloned() else {
            return;
        };
        let current = self.entry.value();
        if c == '.' && current.contains('.') {
            env.error(Text::new(
                "分数只能有一个小数点",
                "points take one decimal point",
            ));
            return;
        }
        let candidate = format!("{current}{c}");
        if let Ok(v) = candidate.parse::<f64>() {
            let decimals = candidate.split('.').nth(1).map_or(0, str::len);
            let refuse = v > crit.max || decimals > step_decimals(crit.step);
            if refuse && let Err(e) = check_entry(&env.criteria.rubric, &crit.id, v) {
                env.error(e.text());
                return;
            }
        }
        self.entry.insert(c);
    }

    fn save(&mut self, env: &mut Env, store: &mut Store) {
        if self.sheet.submitted {
            env.error(locked_text());
            return;
        }
        let Some(crit) = self.criterion(env).cloned() else {
            return;
        };
        let typed = self.entry.value().trim().to_string();
        if typed.is_empty() {
            env.error(Text::new("请先输入分数", "type the points first"));
            return;
        }
        let v = match typed.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                env.error(Text::new(
                    format!("「{typed}」不是分数"),
                    format!("\"{typed}\" is not a number of points"),
                ));
                return;
            }
        };
        if let Err(e) = check_entry(&env.criteria.rubric, &crit.id, v) {
            env.error(e.text());
            return;
        }
        let result = user(env).and_then(|u| {
            store.set_score(&env.criteria, &u, &self.code, &crit.id, v)?;
            self.reload(env, store)
        });
        if let Err(e) = result {
            env.store_error(&e);
            return;
        }
        self.entry.clear();
        let n = env.criteria.rubric.criteria.len();
        if self.current + 1 < n {
            self.current += 1;
        } else if let Some(i) = self
            .sheet
            .next_unscored(&env.criteria.rubric)
            .and_then(|c| {
                env.criteria
                    .rubric
                    .criteria
                    .iter()
                    .position(|d| d.id == c.id)
            })
        {
            self.current = i;
        }
        let all = self
            .sheet
            .missing(&env.criteria.rubric)
            .iter()
            .all(|m| !matches!(m, crate::domain::scoring::Missing::Criterion(_)));
        let saved = Text::new(
            format!("已保存：{} = {}", crit.name_zh, points(v)),
            format!("saved: {} = {}", crit.name_en, points(v)),
        );
        if all {
            env.info(Text::new(
                format!("{}。各项均已评分：o 写意见，y/n 推荐，s 汇总提交", saved.zh),
                format!(
                    "{}. All criteria scored: o opinion, y/n recommend, s summary",
                    saved.en
                ),
            ));
        } else {
            env.info(saved);
        }
    }

    fn recommend(&mut self, env: &mut Env, store: &mut Store, yes: bool) {
        if self.sheet.submitted {
            env.error(locked_text());
            return;
        }
        let result = user(env).and_then(|u| {
            store.set_opinion(&u, &self.code, None, Some(yes))?;
            self.reload(env, store)
        });
        match result {
            Ok(()) => env.info(if yes {
                Text::new("已选择：推荐", "set: recommend")
            } else {
                Text::new("已选择：不推荐", "set: do not recommend")
            }),
            Err(e) => env.store_error(&e),
        }
    }

    fn ask_submit(&mut self, env: &mut Env) -> Transition {
        if self.sheet.submitted {
            env.error(locked_text());
            return Transition::Stay;
        }
        let missing = self.sheet.missing(&env.criteria.rubric);
        if let Some(first) = missing.first() {
            let t = first.text(&env.criteria.rubric);
            env.error(Text::new(
                format!("尚不能提交（缺 {} 项）：{}", missing.len(), t.zh),
                format!("cannot submit yet ({} missing): {}", missing.len(), t.en),
            ));
            return Transition::Stay;
        }
        let total = points(self.sheet.total());
        Transition::Open(Popup::Confirm {
            purpose: ConfirmPurpose::Submit,
            question: Text::new(
                format!(
                    "提交申报书 {} 的评分表（合计 {total} 分）？提交后不能再修改。",
                    self.code
                ),
                format!(
                    "Submit the sheet for {} (total {total} points)? It cannot be changed afterwards.",
                    self.code
                ),
            ),
        })
    }

    pub fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        store: &mut Store,
    ) -> Transition {
        match purpose {
            InputPurpose::Opinion => {
                let result = user(env).and_then(|u| {
                    store.set_opinion(&u, &self.code, Some(value.trim()), None)?;
                    self.reload(env, store)
                });
                match result {
                    Ok(()) => env.info(Text::new("评审意见已保存", "opinion saved")),
                    Err(e) => env.store_error(&e),
                }
                Transition::Stay
            }
            InputPurpose::RecusalReason => recusal_confirm(env, &self.code, value),
            _ => Transition::Stay,
        }
    }

    pub fn on_confirm(
        &mut self,
        env: &mut Env,
        purpose: ConfirmPurpose,
        store: &mut Store,
    ) -> Transition {
        match purpose {
            ConfirmPurpose::Submit => {
                let result = user(env).and_then(|u| store.submit(&env.criteria, &u, &self.code));
                match result {
                    Ok(()) => {
                        let code = self.code.clone();
                        let t = back_to_list(env, store);
                        env.info(Text::new(
                            format!("评分表已提交：{code}"),
                            format!("sheet submitted: {code}"),
                        ));
                        t
                    }
                    Err(e) => {
                        env.store_error(&e);
                        Transition::Stay
                    }
                }
            }
            ConfirmPurpose::Recuse { reason } => {
                if recuse(env, store, &self.code, &reason) {
                    let message = env.message.clone();
                    let t = back_to_list(env, store);
                    env.message = message;
                    t
                } else {
                    Transition::Stay
                }
            }
            _ => Transition::Stay,
        }
    }
}

fn back_to_list(env: &mut Env, store: &Store) -> Transition {
    match ExpertListState::load(env, store) {
        Ok(s) => Transition::Goto(Screen::ExpertList(s)),
        Err(e) => {
            env.store_error(&e);
            Transition::Stay
        }
    }
}

pub fn view(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    if s.summary {
        summary(s, env, f, area);
        return;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    dossier(s, env, f, left);
    let [crit, sheet] = Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(right);
    criterion(s, env, f, crit);
    sheet_state(s, env, f, sheet);
}

fn dossier(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let name = s.dossier.as_ref().map_or("", |d| d.applicant_name());
    let title = format!(
        " {} {} {} ",
        env.t("申报书", "Dossier"),
        s.code,
        clean(name)
    );
    let block = Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = dossier_view::lines(
        s.dossier.as_ref(),
        &s.raw,
        &env.criteria,
        &s.type_id,
        env.lang,
        inner.width as usize,
    );
    let max = lines.len().saturating_sub(inner.height as usize);
    s.max_scroll.set(max);
    let first = s.scroll.min(max);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

fn criterion(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let n = rubric.criteria.len();
    let title = format!(" {} {}/{n} ", env.t("评分项", "Criterion"), s.current + 1);
    let block = Block::bordered().title(title);
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
    let field_w = 8;
    let (shown, cursor) = s.entry.visible(field_w, None);
    let label = env.t("分数：", "Points: ");
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
        Line::from(format!("{label}[{}]", pad(&shown, field_w))),
        Line::from(""),
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
    if first > 0 || more_below {
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

fn recommend_label(env: &Env, r: Option<bool>) -> &'static str {
    match r {
        Some(true) => env.t("推荐", "recommend"),
        Some(false) => env.t("不推荐", "do not recommend"),
        None => env.t("未选择", "not chosen"),
    }
}

fn sheet_state(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
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
fn summary(s: &ScoringState, env: &Env, f: &mut Frame, area: Rect) {
    let rubric = &env.criteria.rubric;
    let title = format!(" {} {} ", env.t("评分汇总", "Summary"), s.code);
    let block = Block::bordered().title(title);
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
        for l in wrap(&clean(&s.sheet.opinion), w) {
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
