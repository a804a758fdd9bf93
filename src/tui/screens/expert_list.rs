//! An expert's home: the dossiers assigned to them, with progress.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::access::User;
use crate::store::{AssignedDossier, Store, StoreError};

use crate::tui::core::{Cx, Done, Effect, Env, ListRows};
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::list::{Column, FilteredList, ListMouse, draw_table, filter_line};
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::clean;
use crate::tui::theme;

use super::my_list::{Deadline, MySort};

/// The expert's list of assigned dossiers.
#[derive(Debug, Clone)]
pub struct ExpertListState {
    pub rows: Vec<AssignedDossier>,
    pub list: FilteredList,
    /// Criteria on a sheet (for "scored / total").
    pub criteria_count: usize,
    pub sort: MySort,
    /// The round's today when the list was loaded (for the review deadline).
    pub today: Option<jiff::civil::Date>,
}

fn user(env: &Env) -> Result<&User, StoreError> {
    env.user.as_ref().ok_or(StoreError::LoginRequired)
}

impl ExpertListState {
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let rows = store.my_dossiers(user(env)?)?;
        let mut s = Self::from_rows(env, rows);
        s.today = Some(store.today());
        Ok(s)
    }

    /// A list over given rows (also used by the benchmark).
    pub fn from_rows(env: &Env, mut rows: Vec<AssignedDossier>) -> Self {
        let sort = MySort::default();
        sort.sort(&mut rows);
        let list = FilteredList::new(rows.len());
        ExpertListState {
            rows,
            list,
            criteria_count: env.criteria.rubric.criteria.len(),
            sort,
            today: None,
        }
    }

    /// The next sort order; the cursor stays on the dossier it was on.
    fn cycle_sort(&mut self, env: &mut Env) {
        let code = self.selected().map(|d| d.code.clone());
        self.sort = self.sort.next();
        self.sort.sort(&mut self.rows);
        self.refilter(env);
        self.select_code(code.as_deref());
        env.info(self.sort.label());
    }

    /// Where the review stands against round.toml's `review_deadline`, if it sets one.
    pub fn deadline(&self, env: &Env) -> Option<Deadline> {
        let on = env.criteria.round.review_deadline?;
        let today = self.today?;
        let open = self.rows.iter().filter(|r| !r.submitted).count();
        Some(Deadline::new(on, today, open))
    }

    /// Reload from the store, keeping the filter and the cursor on its dossier.
    pub fn reload(&mut self, env: &Env, store: &Store) -> Result<(), StoreError> {
        let rows = store.my_dossiers(user(env)?)?;
        self.set_rows(
            env,
            ListRows {
                rows,
                today: store.today(),
            },
        );
        Ok(())
    }

    /// New rows, keeping the filter and the cursor on its dossier (a submitted sheet moves
    /// down in the first sort order; the cursor goes with it). A dossier that left the list
    /// (a recusal) leaves the cursor at its row, on the next one.
    pub fn set_rows(&mut self, env: &Env, loaded: ListRows) {
        let code = self.selected().map(|d| d.code.clone());
        self.rows = loaded.rows;
        self.sort.sort(&mut self.rows);
        self.today = Some(loaded.today);
        self.refilter(env);
        self.select_code(code.as_deref());
    }

    /// Put the cursor on `code` if it is listed.
    fn select_code(&mut self, code: Option<&str>) {
        let rows = &self.rows;
        if let Some(at) = code.and_then(|c| {
            self.list
                .visible
                .iter()
                .position(|&i| rows.get(i).is_some_and(|d| d.code == c))
        }) {
            self.list.selected = at;
        }
    }

    pub fn refilter(&mut self, env: &Env) {
        let rows = &self.rows;
        self.list.refilter(rows.len(), |i| {
            let r = &rows[i];
            format!(
                "{} {} {} {} {}",
                r.code,
                r.applicant,
                labels::province(&env.criteria, &r.province_key, env.lang),
                labels::demo_type(&env.criteria, &r.type_id, env.lang),
                r.type_id
            )
        });
    }

    pub fn selected(&self) -> Option<&AssignedDossier> {
        self.list.current().and_then(|i| self.rows.get(i))
    }

    /// A key: pure; opening a sheet is asked of the runtime (`Effect::OpenSheet`).
    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
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
            Action::CycleSort => self.cycle_sort(env),
            Action::Open => {
                if let Some(code) = self.selected().map(|d| d.code.clone()) {
                    cx.ask(Effect::OpenSheet { code });
                }
            }
            Action::Recuse => {
                if let Some(d) = self.selected() {
                    if d.submitted {
                        env.error(locked_text());
                    } else {
                        return Transition::Open(Popup::Input {
                            purpose: InputPurpose::RecusalReason,
                            input: Default::default(),
                        });
                    }
                }
            }
            _ => {}
        }
        Transition::Stay
    }

    /// The wheel moves the cursor; a click selects a row, a click on the selected row opens it.
    pub fn on_mouse(
        &mut self,
        env: &mut Env,
        ev: MouseEvent,
        body: Rect,
        cx: &mut Cx,
    ) -> Transition {
        let [table, _] = areas(body);
        match self.list.on_mouse(&ev, table) {
            Some(ListMouse::Selected { again: true }) if !self.list.filtering => {
                self.handle(env, Action::Open, None, cx)
            }
            _ => Transition::Stay,
        }
    }

    pub fn on_input(&mut self, env: &mut Env, purpose: InputPurpose, value: &str) -> Transition {
        match (purpose, self.selected()) {
            (InputPurpose::RecusalReason, Some(d)) => recusal_confirm(env, &d.code, value),
            _ => Transition::Stay,
        }
    }

    /// A recusal confirmed: asked of the runtime (`Effect::Recuse`).
    pub fn on_confirm(
        &mut self,
        _env: &mut Env,
        purpose: ConfirmPurpose,
        cx: &mut Cx,
    ) -> Transition {
        if let (ConfirmPurpose::Recuse { reason }, Some(code)) =
            (purpose, self.selected().map(|d| d.code.clone()))
        {
            cx.ask(Effect::Recuse { code, reason });
        }
        Transition::Stay
    }

    /// A recusal's outcome (then the list is read again), or the list read again.
    pub fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        match done {
            Done::Recused { code, result } => match result {
                Ok(replacement) => {
                    env.info(recused_text(&code, replacement.as_deref()));
                    cx.ask(Effect::ReloadList);
                }
                Err(e) => env.error(e),
            },
            Done::ListLoaded(Ok(rows)) => self.set_rows(env, rows),
            Done::ListLoaded(Err(e)) => env.error(e),
            // Other screens' results; none is asked for from the list.
            _ => {}
        }
        Transition::Stay
    }
}

/// Keys while typing a `/` filter.
pub fn filter_key(list: &mut FilteredList, action: Action, typed: Option<char>) {
    match action {
        Action::Type => {
            if let Some(c) = typed {
                list.query.insert(c);
            }
        }
        Action::DeleteChar => list.query.backspace(),
        Action::CursorLeft => list.query.left(),
        Action::CursorRight => list.query.right(),
        Action::Accept => list.filtering = false,
        Action::Cancel => {
            list.query.clear();
            list.filtering = false;
        }
        other => {
            list.query.edit(other, typed);
        }
    }
}

pub fn locked_text() -> Text {
    Text::new(
        "该评分表已提交并锁定，如需修改请联系部里工作人员",
        "this sheet is submitted and locked; ministry staff can reopen it",
    )
}

/// After a reason is typed: ask to confirm (an empty reason is refused).
pub fn recusal_confirm(env: &mut Env, code: &str, reason: &str) -> Transition {
    let reason = reason.trim();
    if reason.is_empty() {
        env.error(Text::new("回避须说明理由", "a recusal needs a reason"));
        return Transition::Stay;
    }
    Transition::Open(Popup::Confirm {
        purpose: ConfirmPurpose::Recuse {
            reason: reason.to_string(),
        },
        question: Text::new(
            format!("确认回避申报书 {code}？理由：{reason}。回避后该申报书将从您的列表中移除。"),
            format!("Recuse from dossier {code}? Reason: {reason}. It will leave your list."),
        ),
    })
}

/// What the message line says after a recusal.
pub fn recused_text(code: &str, replacement: Option<&str>) -> Text {
    match replacement {
        Some(r) => Text::new(
            format!("已申请回避 {code}，已由专家 {r} 替换"),
            format!("recused from {code}; expert {r} takes your place"),
        ),
        None => Text::new(
            format!("已申请回避 {code}，暂无可替换专家，部里将另行安排"),
            format!(
                "recused from {code}; nobody could replace you yet, the ministry will arrange it"
            ),
        ),
    }
}

/// The table and the filter line inside the screen's border (the view and the mouse share it).
fn areas(area: Rect) -> [Rect; 2] {
    let inner = Block::bordered().inner(area);
    Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner)
}

pub fn view(s: &ExpertListState, env: &Env, f: &mut Frame, area: Rect) {
    let lang = env.lang;
    let submitted = s.rows.iter().filter(|r| r.submitted).count();
    let title = format!(
        " {} — {} {submitted}/{} ",
        env.t("我的申报书", "My dossiers"),
        env.t("已提交", "submitted"),
        s.rows.len()
    );
    let mut block = Block::bordered().title(title);
    if let Some(d) = s.deadline(env) {
        let style = if d.overdue() {
            theme::error()
        } else {
            theme::dim()
        };
        block =
            block.title(Line::styled(format!(" {} ", lang.text(&d.text())), style).right_aligned());
    }
    block = block.title_bottom(
        Line::styled(format!(" {} ", lang.text(&s.sort.label())), theme::dim()).right_aligned(),
    );
    f.render_widget(block, area);
    let [table, filter] = areas(area);
    let w = table.width as usize;
    let fixed = 9 + 6 + 12 + 7 + 6 + 5;
    let cols = [
        Column::left(env.t("编号", "Code"), 9),
        Column::left(env.t("省份", "Prov."), 6),
        Column::left(env.t("类型", "Type"), 12),
        Column::left(
            env.t("申报单位", "Applicant"),
            w.saturating_sub(fixed).max(6),
        ),
        Column::right(env.t("已评", "Scored"), 7),
        Column::left(env.t("提交", "Sent"), 6),
    ];
    let total = s.criteria_count;
    draw_table(f, table, &cols, &s.list, |i| {
        let r = &s.rows[i];
        vec![
            clean(&r.code),
            labels::province(&env.criteria, &r.province_key, lang),
            labels::demo_type(&env.criteria, &r.type_id, lang),
            clean(&r.applicant),
            format!("{}/{total}", r.scored),
            if r.submitted {
                env.t("✓ 已交", "✓ yes").to_string()
            } else {
                env.t("—", "—").to_string()
            },
        ]
    });
    if s.rows.is_empty() {
        let empty = Paragraph::new(Line::styled(
            env.t(
                "暂无分配给您的申报书",
                "No dossiers are assigned to you yet",
            ),
            theme::dim(),
        ));
        if table.height > 1 {
            f.render_widget(
                empty,
                Rect {
                    y: table.y + 1,
                    height: 1,
                    ..table
                },
            );
        }
    }
    f.render_widget(
        Paragraph::new(filter_line(&s.list, s.list.visible.len(), s.rows.len())),
        filter,
    );
    if s.list.filtering {
        let (_, cur) = s.list.query.visible(filter.width as usize, None);
        f.set_cursor_position((filter.x + 1 + cur as u16, filter.y));
    }
}
