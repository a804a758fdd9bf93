//! The documents tab: the documents the logged-in user can make in the round's phase (a clerk
//! gets no exports), each with what it holds and the command that makes it; `Enter` generates
//! the selected one, `g` all of them, `f` chooses the output folder (shown as a full path). A
//! folder that already holds files is overwritten only after a warning answered with `y`.
//! Each generation is one audited step ([`Store::generate_documents`]), and its files are then
//! listed with their full paths ([`super::written`]).

use std::path::PathBuf;

use ratatui::crossterm::event::MouseEvent;
use ratatui::layout::Rect;

use crate::domain::Text;
use crate::domain::phase::Phase as RoundPhase;
use crate::domain::publicity::Publicity;
use crate::service::generation::{self, Batch, Generation};
use crate::store::{DocumentCounts, Store, StoreError};
use crate::tui::core::{Cx, Effect, Env};
use crate::tui::input::LineInput;
use crate::tui::keymap::{Action, Context};
use crate::tui::list::{FilteredList, ListMouse, inside, is_click};
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::clean;

pub use super::documents_view::view;
use super::documents_view::{block, layout};
use super::user;
use super::written::WrittenList;

/// The default output folder: this folder beside the database file.
pub const OUT_DIR: &str = "documents";

#[derive(Debug, Clone)]
pub struct DocumentsTab {
    pub phase: RoundPhase,
    pub publicity: Publicity,
    pub counts: DocumentCounts,
    /// What the user can generate now, in order; the row after the last is 「全部」.
    pub batches: Vec<Batch>,
    /// The rows: the batches, then 「全部」 (selected `batches.len()`); the shared list
    /// component gives the cursor, paging and the wheel.
    pub list: FilteredList,
    /// Where the documents are written, as an absolute path.
    pub folder: PathBuf,
    /// What waits for the confirm popup.
    pub pending: Option<Vec<Batch>>,
    /// The files of the last generation, shown until `Esc`.
    pub written: Option<WrittenList>,
    pub scroll: usize,
}

impl DocumentsTab {
    pub fn load(env: &Env, store: &Store) -> Result<Self, StoreError> {
        let actor = user(env)?;
        let folder = store
            .folder()
            .unwrap_or_else(|| PathBuf::from("."))
            .join(OUT_DIR);
        let batches = generation::available(store, &actor).map_err(|e| match e {
            crate::documents::DocumentError::Store(s) => s,
            other => StoreError::Corrupt(other.text()),
        })?;
        Ok(DocumentsTab {
            phase: store.round_phase()?,
            publicity: store.publicity(&actor)?,
            counts: store.document_counts(&actor)?,
            list: FilteredList::new(batches.len() + 1),
            batches,
            folder: generation::absolute(&folder),
            pending: None,
            written: None,
            scroll: 0,
        })
    }

    /// Where the keys go: the list, or the files written.
    pub fn context(&self) -> Context {
        if self.written.is_some() {
            Context::DocumentsWritten
        } else {
            Context::Documents
        }
    }

    /// The batches of the selected row.
    fn selected(&self) -> Vec<Batch> {
        match self.batches.get(self.list.selected) {
            Some(b) => vec![*b],
            None => self.batches.clone(),
        }
    }

    fn title_of(&self, batches: &[Batch]) -> Text {
        match batches {
            [b] => b.text(generation::publicity_is_draft(self.phase)),
            _ => Text::new("本阶段的全部文书", "every document of this phase"),
        }
    }

    pub fn handle(&mut self, action: Action, cx: &mut Cx) -> Transition {
        if let Some(w) = &mut self.written {
            if action == Action::Back {
                self.written = None;
            } else {
                w.handle(action);
            }
            return Transition::Stay;
        }
        match action {
            Action::ChooseFolder => Transition::Open(Popup::Input {
                purpose: InputPurpose::DocumentsFolder,
                input: LineInput::new(&self.folder.display().to_string()),
            }),
            Action::GenerateDocuments => self.ask(self.batches.clone(), cx),
            Action::GenerateSelected => self.ask(self.selected(), cx),
            Action::Up => self.moved(|l| l.up(1)),
            Action::Down => self.moved(|l| l.down(1)),
            Action::PageUp => self.moved(|l| l.up(10)),
            Action::PageDown => self.moved(|l| l.down(10)),
            _ => Transition::Stay,
        }
    }

    /// Before writing `batches`, ask what the folder already holds (answered in
    /// [`DocumentsTab::on_listed`]).
    fn ask(&mut self, batches: Vec<Batch>, cx: &mut Cx) -> Transition {
        self.pending = Some(batches);
        cx.ask(Effect::ListFolder {
            folder: self.folder.clone(),
        });
        Transition::Stay
    }

    /// The confirm popup before writing: a plain one into a new or empty folder (`existing`,
    /// its entries), a warning that needs `y` when the folder already holds files.
    pub fn on_listed(&mut self, folder: &std::path::Path, existing: &[String]) -> Transition {
        // Another folder was chosen meanwhile, or nothing waits.
        let Some(batches) = self.pending.as_ref().filter(|_| folder == self.folder) else {
            return Transition::Stay;
        };
        let what = self.title_of(batches);
        let folder = clean(&self.folder.display().to_string());
        if existing.is_empty() {
            return Transition::Open(Popup::Confirm {
                purpose: ConfirmPurpose::GenerateDocuments,
                question: Text::new(
                    format!("生成「{}」，写入文件夹 {folder}？", what.zh),
                    format!("Generate {} into the folder {folder}?", what.en),
                ),
            });
        }
        let n = existing.len();
        let some: Vec<&str> = existing.iter().take(3).map(String::as_str).collect();
        let some = clean(&some.join(", "));
        let more = if n > 3 { " …" } else { "" };
        Transition::Open(Popup::Confirm {
            purpose: ConfirmPurpose::OverwriteDocuments,
            question: Text::new(
                format!(
                    "注意：文件夹 {folder} 已有 {n} 项（{some}{more}）。生成「{}」将替换其中同名的文件，旧文件不再保留。按 y 替换，n 取消（可按 f 换一个文件夹）。",
                    what.zh
                ),
                format!(
                    "Warning: the folder {folder} already holds {n} entries ({some}{more}). Generating {} replaces the files of the same names; the old ones are not kept. Press y to replace, n to cancel (f chooses another folder).",
                    what.en
                ),
            ),
        })
    }

    /// A folder typed into the popup: relative paths are taken from the working folder.
    pub fn on_input(&mut self, env: &mut Env, purpose: InputPurpose, value: &str) -> Transition {
        if purpose != InputPurpose::DocumentsFolder {
            return Transition::Stay;
        }
        let value = value.trim();
        if value.is_empty() {
            env.error(Text::new(
                "请输入文件夹路径（未更改）",
                "type a folder path (unchanged)",
            ));
            return Transition::Stay;
        }
        self.folder = generation::absolute(std::path::Path::new(value));
        let shown = clean(&self.folder.display().to_string());
        env.info(Text::new(
            format!("输出文件夹：{shown}"),
            format!("output folder: {shown}"),
        ));
        Transition::Stay
    }

    /// Ask for what the confirm popup asked about to be generated, as one audited step
    /// (answered in [`DocumentsTab::on_written`]).
    pub fn on_confirm(&mut self, _env: &mut Env, purpose: ConfirmPurpose, cx: &mut Cx) {
        let force = match purpose {
            ConfirmPurpose::GenerateDocuments => false,
            ConfirmPurpose::OverwriteDocuments => true,
            _ => return,
        };
        let Some(batches) = self.pending.take() else {
            return;
        };
        cx.ask(Effect::GenerateDocuments {
            batches,
            folder: self.folder.clone(),
            force,
        });
    }

    /// The documents written: list the files and say where, or why nothing was written.
    pub fn on_written(
        &mut self,
        env: &mut Env,
        batches: &[Batch],
        result: Result<Box<Generation>, Text>,
    ) {
        let what = self.title_of(batches);
        match result {
            Ok(g) => {
                let g = *g;
                let n = g.files.len();
                let seq = g.audit_seq;
                let warn = g.warnings.len();
                let shown = clean(&g.folder.display().to_string());
                env.info(Text::new(
                    format!(
                        "已生成 {n} 个文件，写入 {shown}；审计日志第 {seq} 条{}",
                        if warn > 0 {
                            format!("；{warn} 个字符无字形，见 warnings.txt")
                        } else {
                            String::new()
                        }
                    ),
                    format!(
                        "wrote {n} files into {shown}; audit entry {seq}{}",
                        if warn > 0 {
                            format!("; {warn} characters have no glyph, see warnings.txt")
                        } else {
                            String::new()
                        }
                    ),
                ));
                self.written = Some(WrittenList {
                    generation: g,
                    what,
                    scroll: 0,
                });
            }
            Err(t) => env.error(Text::new(
                format!("生成失败：{}", t.zh),
                format!("could not write the documents: {}", t.en),
            )),
        }
    }

    fn moved(&mut self, f: impl FnOnce(&mut FilteredList)) -> Transition {
        f(&mut self.list);
        Transition::Stay
    }

    /// The mouse over the tab (`area`, as the view draws it): the wheel moves the cursor, a
    /// click on any line of a document selects it, a click on the selected one asks to
    /// generate it (the confirm popup, as `Enter`). Over the files written, the wheel scrolls.
    pub fn on_mouse(&mut self, env: &Env, ev: &MouseEvent, area: Rect, cx: &mut Cx) -> Transition {
        if let Some(w) = &mut self.written {
            w.on_mouse(env, ev, area);
            return Transition::Stay;
        }
        let inner = block(self, env).inner(area);
        if !inside(inner, ev) {
            return Transition::Stay;
        }
        if self.list.on_wheel(ev) || !is_click(ev) {
            return Transition::Stay;
        }
        let laid = layout(self, env, inner.width as usize);
        let first = laid.first(self.list.selected, inner.height as usize);
        let line = first + (ev.row - inner.y) as usize;
        match laid.row_at(line).and_then(|row| self.list.click(row)) {
            Some(ListMouse::Selected { again: true }) => self.ask(self.selected(), cx),
            _ => Transition::Stay,
        }
    }
}
