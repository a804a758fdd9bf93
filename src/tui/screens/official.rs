//! A provincial official's home: the province's stored dossiers against the cap (each opens
//! read-only), why the province's batch was refused at the national import, and a re-check of
//! a folder on disk with the findings and the file at each finding's line.

use ratatui::Frame;
use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Criteria;
use crate::domain::dossier::Dossier;
use crate::domain::publicity::{Outcome, Phase as PublicityPhase};
use crate::domain::{Finding, Severity, Text};
use crate::input::encoding::decode;
use crate::input::source::SourceText;
use crate::store::{BatchRefusal, ProvinceDossier, ProvinceResult, Store, StoreError};
use crate::validation::Report;

use crate::tui::core::{Cx, Done, Effect, Env};
use crate::tui::input::LineInput;
use crate::tui::keymap::{Action, Context};
use crate::tui::labels;
use crate::tui::list::{Column, FilteredList, draw_table, filter_line, fit_widths};
use crate::tui::popup::{InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::{clean, pad, truncate, width, wrap};
use crate::tui::theme;

use super::dossier_view;
use super::expert_list::filter_key;

/// Which part of the official's screen is in front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dossiers,
    Findings,
    File,
    /// The findings of the latest refusal of the province's batch at import.
    Refusal,
    /// A stored dossier, read-only.
    Dossier,
}

/// A stored dossier opened read-only (the view the experts score beside).
#[derive(Debug, Clone)]
pub struct StoredDossier {
    pub code: String,
    pub type_id: String,
    pub dossier: Option<Dossier>,
    pub raw: String,
    /// First line shown.
    pub scroll: usize,
    /// Lines at the narrowest pane (80 columns): scrolling stops there; the view clamps to
    /// the last page of the actual width.
    pub max_scroll: usize,
}

/// A file shown at a finding's place.
#[derive(Debug, Clone)]
pub struct FileView {
    pub file: String,
    pub lines: Vec<String>,
    /// 1-based line of the finding, if known.
    pub target: Option<usize>,
    pub field: String,
    pub scroll: usize,
}

/// The official's screen.
#[derive(Debug, Clone)]
pub struct OfficialState {
    pub province_key: String,
    pub dossiers: Vec<ProvinceDossier>,
    pub list: FilteredList,
    pub mode: Mode,
    pub folder: String,
    pub findings: Vec<Finding>,
    pub notes: Vec<Text>,
    pub findings_list: FilteredList,
    pub file: Option<FileView>,
    /// Refusals of the province's batch at import since its current batch, newest first.
    pub refusals: Vec<BatchRefusal>,
    pub refusal_list: FilteredList,
    pub stored: Option<StoredDossier>,
    /// Once the list is sealed: the publicity's stage and each dossier's outcome with the
    /// objections against it, in the order of `dossiers`.
    pub results: Option<(PublicityPhase, Vec<Option<ProvinceResult>>)>,
}

impl OfficialState {
    pub fn load(env: &Env, store: &Store, province_key: &str) -> Result<Self, StoreError> {
        let user = env.user.as_ref().ok_or(StoreError::LoginRequired)?;
        let dossiers = store.province_dossiers(user, province_key)?;
        let refusals = store.province_refusals(user, province_key)?;
        let results = store
            .province_results(user, province_key)?
            .map(|(phase, rows)| {
                let by_code: Vec<Option<ProvinceResult>> = dossiers
                    .iter()
                    .map(|d| rows.iter().find(|r| r.code == d.code).cloned())
                    .collect();
                (phase, by_code)
            });
        Ok(OfficialState::new(
            province_key,
            dossiers,
            refusals,
            results,
        ))
    }

    /// The screen over what was read of the province (the update tests build it so).
    pub fn new(
        province_key: &str,
        dossiers: Vec<ProvinceDossier>,
        refusals: Vec<BatchRefusal>,
        results: Option<(PublicityPhase, Vec<Option<ProvinceResult>>)>,
    ) -> Self {
        OfficialState {
            results,
            refusal_list: FilteredList::new(refusals.first().map_or(0, |r| r.findings.len())),
            refusals,
            stored: None,
            province_key: province_key.to_string(),
            list: FilteredList::new(dossiers.len()),
            dossiers,
            mode: Mode::Dossiers,
            folder: String::new(),
            findings: Vec::new(),
            notes: Vec::new(),
            findings_list: FilteredList::new(0),
            file: None,
        }
    }

    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Dossiers if self.list.filtering => Context::Filter,
            Mode::Findings if self.findings_list.filtering => Context::Filter,
            Mode::Refusal if self.refusal_list.filtering => Context::Filter,
            Mode::Dossiers => Context::OfficialDossiers,
            Mode::Findings => Context::Findings,
            Mode::Refusal => Context::Refusal,
            Mode::File | Mode::Dossier => Context::FileView,
        }
    }

    fn active_list(&mut self) -> &mut FilteredList {
        match self.mode {
            Mode::Findings | Mode::File => &mut self.findings_list,
            Mode::Refusal => &mut self.refusal_list,
            Mode::Dossiers | Mode::Dossier => &mut self.list,
        }
    }

    /// The findings of the latest refusal (none when the batch was never refused).
    pub fn refusal_findings(&self) -> &[Finding] {
        self.refusals.first().map_or(&[], |r| r.findings.as_slice())
    }

    fn refilter(&mut self, env: &Env) {
        match self.mode {
            Mode::Dossiers | Mode::Dossier => {
                let rows = &self.dossiers;
                self.list.refilter(rows.len(), |i| {
                    let d = &rows[i];
                    format!(
                        "{} {} {} {}",
                        d.code,
                        d.applicant,
                        d.file,
                        labels::demo_type(&env.criteria, &d.type_id, env.lang)
                    )
                });
            }
            Mode::Findings | Mode::File => {
                let lang = env.lang;
                self.findings_list.refilter(self.findings.len(), |i| {
                    finding_text(&self.findings[i], lang)
                });
            }
            Mode::Refusal => {
                let lang = env.lang;
                let rows = self.refusals.first().map_or(&[][..], |r| &r.findings[..]);
                self.refusal_list
                    .refilter(rows.len(), |i| finding_text(&rows[i], lang));
            }
        }
    }

    /// The wheel moves the cursor of the list in front (dossiers, findings, refusal reasons).
    pub fn on_mouse(&mut self, env: &mut Env, ev: MouseEvent, body: Rect) -> Transition {
        match self.mode {
            // The file views scroll by keys; their list's cursor stays where it was.
            Mode::File | Mode::Dossier => {}
            Mode::Dossiers => {
                let inner = Block::bordered().inner(body);
                let banner = banner(self, env, inner.width as usize).len();
                let ([_, table, _], _) = dossiers_areas(banner, detail(self, env).is_some(), inner);
                self.list.on_mouse(&ev, table);
            }
            Mode::Findings | Mode::Refusal => {
                self.active_list().on_wheel(&ev);
            }
        }
        Transition::Stay
    }

    pub fn paste(&mut self, text: &str, env: &Env) {
        let list = self.active_list();
        if list.filtering {
            list.query.insert_str(text);
            self.refilter(env);
        }
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        if self.active_list().filtering {
            filter_key(self.active_list(), action, typed);
            self.refilter(env);
            return Transition::Stay;
        }
        if self.mode == Mode::File {
            if let Some(v) = &mut self.file {
                let max = v.lines.len().saturating_sub(1);
                match action {
                    Action::Up => v.scroll = v.scroll.saturating_sub(1),
                    Action::Down => v.scroll = (v.scroll + 1).min(max),
                    Action::PageUp => v.scroll = v.scroll.saturating_sub(10),
                    Action::PageDown => v.scroll = (v.scroll + 10).min(max),
                    Action::Back => self.mode = Mode::Findings,
                    _ => {}
                }
            }
            return Transition::Stay;
        }
        if self.mode == Mode::Dossier {
            if let Some(v) = &mut self.stored {
                let max = v.max_scroll;
                match action {
                    Action::Up => v.scroll = v.scroll.saturating_sub(1),
                    Action::Down => v.scroll = (v.scroll + 1).min(max),
                    Action::PageUp => v.scroll = v.scroll.saturating_sub(10),
                    Action::PageDown => v.scroll = (v.scroll + 10).min(max),
                    Action::Back => self.mode = Mode::Dossiers,
                    _ => {}
                }
            }
            return Transition::Stay;
        }
        match action {
            Action::Up => self.active_list().up(1),
            Action::Down => self.active_list().down(1),
            Action::PageUp => self.active_list().up(10),
            Action::PageDown => self.active_list().down(10),
            Action::Search => self.active_list().filtering = true,
            Action::Back => self.mode = Mode::Dossiers,
            Action::RecheckFolder => {
                return Transition::Open(Popup::Input {
                    purpose: InputPurpose::Folder,
                    input: LineInput::new(&self.folder),
                });
            }
            Action::Open if self.mode == Mode::Findings => self.open_file(cx),
            Action::Open if self.mode == Mode::Dossiers => self.open_dossier(cx),
            Action::Refusals if self.mode == Mode::Dossiers => {
                if self.refusals.is_empty() {
                    env.info(Text::new(
                        "本省批次在全国导入时没有被拒收",
                        "the province's batch was not refused at the national import",
                    ));
                } else {
                    self.mode = Mode::Refusal;
                }
            }
            _ => {}
        }
        Transition::Stay
    }

    pub fn on_input(
        &mut self,
        env: &mut Env,
        purpose: InputPurpose,
        value: &str,
        cx: &mut Cx,
    ) -> Transition {
        if purpose == InputPurpose::Folder {
            self.recheck(env, value.trim(), cx);
        }
        Transition::Stay
    }

    /// Ask for a folder to be validated with the same checks as the ministry's import
    /// (answered by `Done::Rechecked`, [`OfficialState::on_done`]).
    pub fn recheck(&mut self, env: &mut Env, folder: &str, cx: &mut Cx) {
        self.folder = folder.to_string();
        if folder.is_empty() {
            env.error(Text::new("请输入文件夹路径", "type a folder path"));
            return;
        }
        cx.ask(Effect::Recheck {
            folder: folder.to_string(),
        });
    }

    /// The answers to what the screen asked for: a folder checked, a stored dossier read, a
    /// file read at a finding.
    pub fn on_done(&mut self, env: &mut Env, done: Done) -> Transition {
        match done {
            Done::Rechecked { folder, result } if folder == self.folder => {
                self.rechecked(env, result)
            }
            Done::DossierRead { code, result } => self.dossier_read(env, &code, result),
            Done::FileRead { path, result } => self.file_read(env, &path, result),
            _ => {}
        }
        Transition::Stay
    }

    /// A folder checked: its findings in front, or why it may not or could not be checked.
    fn rechecked(&mut self, env: &mut Env, result: Result<Box<Report>, Text>) {
        match result {
            Ok(report) => {
                let report = *report;
                if let Some(why) = foreign(&env.criteria, &self.province_key, &report) {
                    // Nothing of the folder is kept: not its findings, not its notes.
                    env.error(why);
                    return;
                }
                let (errors, warnings) = (report.errors(), report.warnings());
                self.findings = report.findings;
                self.notes = report.notes;
                self.findings_list = FilteredList::new(self.findings.len());
                self.mode = Mode::Findings;
                env.info(Text::new(
                    format!(
                        "复查完成：{} 份申报书，{errors} 个错误，{warnings} 个警告",
                        report_dossiers(&report.batches, &report.loose)
                    ),
                    format!(
                        "checked: {} dossiers, {errors} errors, {warnings} warnings",
                        report_dossiers(&report.batches, &report.loose)
                    ),
                ));
            }
            Err(t) => env.error(Text::new(
                format!("无法复查：{}", t.zh),
                format!("cannot check: {}", t.en),
            )),
        }
    }

    /// Ask for the selected stored dossier (shown read-only once read).
    fn open_dossier(&mut self, cx: &mut Cx) {
        if let Some(d) = self.list.current().and_then(|i| self.dossiers.get(i)) {
            cx.ask(Effect::ReadDossier {
                code: d.code.clone(),
            });
        }
    }

    /// A stored dossier read: show it read-only.
    fn dossier_read(&mut self, env: &mut Env, code: &str, result: Result<Option<Vec<u8>>, Text>) {
        let Some(d) = self.dossiers.iter().find(|d| d.code == code) else {
            return;
        };
        let bytes = match result {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return env.error(Text::new(
                    format!("申报书 {} 已不在数据库中（批次可能已被替换）", clean(code)),
                    format!(
                        "dossier {} is no longer stored (its batch may have been replaced)",
                        clean(code)
                    ),
                ));
            }
            Err(t) => return env.error(t),
        };
        let raw = decode(&bytes)
            .map_or_else(|_| String::from_utf8_lossy(&bytes).into_owned(), |(t, _)| t);
        let (dossier, _) = crate::input::dossier::read(&SourceText::new(code, raw.clone()));
        let max_scroll = dossier_view::lines(
            dossier.as_ref(),
            &raw,
            &env.criteria,
            &d.type_id,
            env.lang,
            78,
        )
        .len()
        .saturating_sub(1);
        self.stored = Some(StoredDossier {
            max_scroll,
            code: code.to_string(),
            type_id: d.type_id.clone(),
            dossier,
            raw,
            scroll: 0,
        });
        self.mode = Mode::Dossier;
    }

    /// Ask for the file of the selected finding (only findings of an accepted re-check are
    /// listed, so the file is the official's own).
    fn open_file(&mut self, cx: &mut Cx) {
        if let Some(f) = self
            .findings_list
            .current()
            .and_then(|i| self.findings.get(i))
        {
            cx.ask(Effect::ReadFile {
                path: f.file.clone(),
            });
        }
    }

    /// The finding's file read: show it at the finding's line.
    fn file_read(&mut self, env: &mut Env, path: &str, result: Result<String, Text>) {
        let Some(f) = self
            .findings_list
            .current()
            .and_then(|i| self.findings.get(i))
            .filter(|f| f.file == path)
        else {
            return;
        };
        let text = match result {
            Ok(text) => text,
            Err(t) => return env.error(t),
        };
        let lines: Vec<String> = text.lines().map(clean).collect();
        // Without a line, look for the field's key.
        let target = f.line.map(|l| l as usize).or_else(|| {
            let key = f.field.rsplit('.').next().unwrap_or("");
            if key.is_empty() {
                return None;
            }
            lines
                .iter()
                .position(|l| {
                    l.trim_start().starts_with(&format!("{key} "))
                        || l.trim_start().starts_with(&format!("{key}="))
                })
                .map(|i| i + 1)
        });
        self.file = Some(FileView {
            file: f.file.clone(),
            scroll: target.map_or(0, |t| t.saturating_sub(4)),
            lines,
            target,
            field: f.field.clone(),
        });
        self.mode = Mode::File;
    }
}

/// Why an official of `own` may not see a re-check of this folder: its submission or one of its
/// dossiers names another reporting unit, or nothing in it names the official's own. `None`:
/// the folder is the official's province's.
pub fn foreign(criteria: &Criteria, own: &str, report: &Report) -> Option<Text> {
    let provinces = &criteria.provinces;
    let own_name = provinces
        .by_key(own)
        .map_or((own.to_string(), own.to_string()), |(_, p)| {
            (p.name.clone(), p.name_en.clone())
        });
    let mut named_own = false;
    let claims = report
        .batches
        .iter()
        .flat_map(|b| {
            let sub = b
                .submission_file
                .as_ref()
                .map_or(b.folder.as_str(), |f| f.file.as_str());
            std::iter::once((sub, b.province)).chain(
                b.dossiers
                    .iter()
                    .map(|d| (d.file.file.as_str(), d.province)),
            )
        })
        .chain(
            report
                .loose
                .iter()
                .map(|d| (d.file.file.as_str(), d.province)),
        );
    for (file, unit) in claims {
        let Some(p) = unit else {
            continue;
        };
        let p = provinces.get(p);
        if p.key == own {
            named_own = true;
            continue;
        }
        return Some(Text::new(
            format!(
                "不能复查：{} 属于{}，不是{}。省级账号只能复查本省的材料",
                clean(file),
                p.name,
                own_name.0
            ),
            format!(
                "cannot check: {} belongs to {}, not {}. An official checks only the own province's files",
                clean(file),
                p.name_en,
                own_name.1
            ),
        ));
    }
    if named_own {
        return None;
    }
    Some(Text::new(
        format!(
            "不能复查：文件夹中没有任何文件写明属于{}（submission.toml 或申报书的 province）",
            own_name.0
        ),
        format!(
            "cannot check: nothing in the folder says it belongs to {} (province in submission.toml or a dossier)",
            own_name.1
        ),
    ))
}

fn report_dossiers(
    batches: &[crate::validation::LoadedBatch],
    loose: &[crate::validation::LoadedDossier],
) -> usize {
    batches.iter().map(|b| b.dossiers.len()).sum::<usize>() + loose.len()
}

fn finding_text(f: &Finding, lang: crate::tui::lang::Lang) -> String {
    format!(
        "{} {} {} {}",
        f.code.as_str(),
        f.place(),
        f.field,
        lang.text(&f.message)
    )
}

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
fn when(at: &str) -> String {
    let t = at.replacen('T', " ", 1);
    clean(t.get(..16).unwrap_or(&t))
}

/// What the refusal's banner says: when, how many errors and their codes.
fn refusal_summary(r: &BatchRefusal, env: &Env) -> String {
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
fn banner(s: &OfficialState, env: &Env, width: usize) -> Vec<Line<'static>> {
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
fn detail(s: &OfficialState, env: &Env) -> Option<String> {
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
fn dossiers_areas(banner_len: usize, detail: bool, inner: Rect) -> ([Rect; 3], Option<Rect>) {
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

fn dossiers(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
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
    // The type as wide as its longest name, giving way (to 8) only when the applicant's name
    // would get under 20 columns.
    let want: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 2 {
                labels::widest_type(&env.criteria, env.lang).max(width(c.title))
            } else {
                c.width
            }
        })
        .collect();
    for (c, w) in cols.iter_mut().zip(fit_widths(&want, 3, 20, w, &[(2, 8)])) {
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
            None => row.push(clean(d.file.rsplit(['/', '\\']).next().unwrap_or(&d.file))),
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

fn findings(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
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

fn file(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
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

fn refusal(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
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

fn stored(s: &OfficialState, env: &Env, f: &mut Frame, area: Rect) {
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

/// A table of findings (severity, code, file:line, message) as both the re-check and the
/// refusal show them; `code_width` columns for the code.
fn findings_table(
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
