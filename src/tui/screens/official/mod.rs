//! A provincial official's home: the province's stored dossiers against the cap (each opens
//! read-only), why the province's batch was refused at the national import, and a re-check of
//! a folder on disk with the findings and the file at each finding's line.
//!
//! Here the state and the keys (what is asked of the runtime); `answers` takes what comes
//! back (a folder checked, a dossier or a file read); `view` and `findings_view` draw it.

use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

use crate::domain::dossier::Dossier;
use crate::domain::publicity::Phase as PublicityPhase;
use crate::domain::{Finding, Text};
use crate::store::{BatchRefusal, ProvinceDossier, ProvinceResult, Store, StoreError};

use crate::tui::core::{Cx, Done, Effect, Env};
use crate::tui::input::LineInput;
use crate::tui::keymap::{Action, Context};
use crate::tui::labels;
use crate::tui::list::FilteredList;
use crate::tui::popup::{InputPurpose, Popup};
use crate::tui::screens::Transition;

use super::expert_list::filter_key;

mod answers;
mod findings_view;
mod view;

pub use answers::foreign;
use findings_view::finding_text;
pub use view::view;
use view::{banner, detail, dossiers_areas};

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

    /// Ask for the selected stored dossier (shown read-only once read).
    fn open_dossier(&mut self, cx: &mut Cx) {
        if let Some(d) = self.list.current().and_then(|i| self.dossiers.get(i)) {
            cx.ask(Effect::ReadDossier {
                code: d.code.clone(),
            });
        }
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
}
