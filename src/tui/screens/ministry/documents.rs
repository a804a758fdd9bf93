//! The documents tab: the documents the logged-in user can make in the round's phase (a clerk
//! gets no exports), each with what it holds and the command that makes it; `Enter` generates
//! the selected one, `g` all of them, `f` chooses the output folder (shown as a full path). A
//! folder that already holds files is overwritten only after a warning answered with `y`.
//! Each generation is one audited step ([`Store::generate_documents`]), and its files are then
//! listed with their full paths ([`super::written`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::phase::Phase as RoundPhase;
use crate::domain::publicity::{Phase, Publicity};
use crate::service::generation::{self, Batch};
use crate::store::{DocumentCounts, Store, StoreError};
use crate::tui::core::Env;
use crate::tui::input::LineInput;
use crate::tui::keymap::{Action, Context};
use crate::tui::labels;
use crate::tui::popup::{ConfirmPurpose, InputPurpose, Popup};
use crate::tui::screens::Transition;
use crate::tui::text::{clean, truncate};
use crate::tui::theme;

use super::written::WrittenList;
use super::{scroll, user};

/// The default output folder: this folder beside the database file.
pub const OUT_DIR: &str = "documents";

#[derive(Debug, Clone)]
pub struct DocumentsTab {
    pub phase: RoundPhase,
    pub publicity: Publicity,
    pub counts: DocumentCounts,
    /// What the user can generate now, in order; the row after the last is 「全部」.
    pub batches: Vec<Batch>,
    /// The selected row (`batches.len()` for all).
    pub cursor: usize,
    /// Where the documents are written, as an absolute path.
    pub folder: PathBuf,
    /// What waits for the confirm popup.
    pub pending: Option<Vec<Batch>>,
    /// The files of the last generation, shown until `Esc`.
    pub written: Option<WrittenList>,
    pub scroll: usize,
}

/// One document: what it is, its state, and the command that writes it.
struct Doc {
    title: String,
    detail: Vec<String>,
    command: &'static str,
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
            cursor: 0,
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
        match self.batches.get(self.cursor) {
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

    pub fn handle(&mut self, env: &Env, action: Action) -> Transition {
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
            Action::GenerateDocuments => self.ask(self.batches.clone()),
            Action::GenerateSelected => self.ask(self.selected()),
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                self.cursor = scroll(self.cursor, action, self.batches.len() + 1);
                let _ = env;
                Transition::Stay
            }
            _ => Transition::Stay,
        }
    }

    /// The confirm popup before writing: a plain one into a new or empty folder, a warning
    /// that needs `y` when the folder already holds files.
    fn ask(&mut self, batches: Vec<Batch>) -> Transition {
        let what = self.title_of(&batches);
        let folder = clean(&self.folder.display().to_string());
        let existing = generation::names_in(&self.folder);
        self.pending = Some(batches);
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

    /// Generate what the confirm popup asked about, as one audited step; the files written are
    /// listed afterwards and the outcome goes to the message line.
    pub fn on_confirm(
        &mut self,
        env: &mut Env,
        purpose: ConfirmPurpose,
        store: &mut Store,
    ) -> Transition {
        let force = match purpose {
            ConfirmPurpose::GenerateDocuments => false,
            ConfirmPurpose::OverwriteDocuments => true,
            _ => return Transition::Stay,
        };
        let Some(batches) = self.pending.take() else {
            return Transition::Stay;
        };
        let actor = match user(env) {
            Ok(u) => u,
            Err(e) => {
                env.store_error(&e);
                return Transition::Stay;
            }
        };
        let what = self.title_of(&batches);
        let ids: Vec<&str> = batches.iter().map(|b| b.id()).collect();
        let today = store.today();
        let criteria = env.criteria.clone();
        let folder = self.folder.clone();
        match store.generate_documents(&actor, &ids.join(", "), &folder, force, |s| {
            generation::render(&criteria, s, &actor, &batches, today)
        }) {
            Ok(g) => {
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
            Err(e) => {
                let t = e.text();
                env.error(Text::new(
                    format!("生成失败：{}", t.zh),
                    format!("could not write the documents: {}", t.en),
                ))
            }
        }
        Transition::Stay
    }

    fn docs(&self, env: &Env) -> Vec<Doc> {
        let p = &self.publicity;
        let t = |zh: &str, en: &str| env.t(zh, en).to_string();
        let list = p.current_list();
        let sealed = match p.phase() {
            Phase::Draft => t(
                "草稿：名单尚未提出，内容会随评审变化",
                "draft: no list proposed yet, it changes with the review",
            ),
            _ => env
                .lang
                .pick(
                    &format!(
                        "拟认定名单 {} 个单位，封存哈希 {}",
                        list.len(),
                        p.list_hash().unwrap_or("")
                    ),
                    &format!(
                        "{} units, sealed {}",
                        list.len(),
                        p.list_hash().unwrap_or("")
                    ),
                )
                .to_string(),
        };
        let mut per_unit: BTreeMap<usize, (String, usize)> = BTreeMap::new();
        for e in &list {
            let order = env.criteria.provinces.order(&e.province_key);
            per_unit
                .entry(order)
                .or_insert_with(|| (e.province_key.clone(), 0))
                .1 += 1;
        }
        let confirmation = if p.phase() == Phase::Confirmed {
            let mut d = vec![
                env.lang
                    .pick(
                        &format!("每个报送单位一份，共 {} 份：", per_unit.len()),
                        &format!("one per reporting unit, {} in all:", per_unit.len()),
                    )
                    .to_string(),
            ];
            d.extend(per_unit.values().map(|(k, n)| {
                env.lang
                    .pick(
                        &format!(
                            "  {} {} 个单位",
                            labels::province(&env.criteria, k, env.lang),
                            n
                        ),
                        &format!(
                            "  {}: {} units",
                            labels::province(&env.criteria, k, env.lang),
                            n
                        ),
                    )
                    .to_string()
            }));
            d
        } else {
            vec![t(
                "名单确认后生成（每个报送单位一份）",
                "produced once the list is confirmed (one per reporting unit)",
            )]
        };
        let c = &self.counts;
        let reserve = match p.phase() {
            Phase::Draft => t("备选名单（附件）：草稿", "reserve list (annex): draft"),
            _ => env
                .lang
                .pick(
                    &format!("备选名单（附件）{} 个单位", p.reserve().len()),
                    &format!("reserve list (annex): {} units", p.reserve().len()),
                )
                .to_string(),
        };
        self.batches
            .iter()
            .map(|b| match b {
                Batch::PublicityNotice => Doc {
                    title: t("公示通知（拟认定名单）", "Publicity notice (proposed list)"),
                    detail: vec![sealed.clone(), reserve.clone()],
                    command: "shifan notice publicity --out DIR",
                },
                Batch::ConfirmationNotices => Doc {
                    title: t("认定通知", "Confirmation notices"),
                    detail: confirmation.clone(),
                    command: "shifan notice confirmation --out DIR",
                },
                Batch::ScoreSheets => Doc {
                    title: t("专家评分表", "Expert score sheets"),
                    detail: vec![
                        env.lang
                            .pick(
                                &format!(
                                    "每位专家一份，共 {} 份（评分表 {}，已提交 {}）",
                                    c.experts, c.sheets, c.submitted
                                ),
                                &format!(
                                    "one per expert, {} in all ({} sheets, {} submitted)",
                                    c.experts, c.sheets, c.submitted
                                ),
                            )
                            .to_string(),
                    ],
                    command: "shifan notice score-sheets --out DIR",
                },
                Batch::Exports => Doc {
                    title: t("数据导出", "Data exports"),
                    detail: vec!["ranking.csv · scores.csv · round.xlsx · round.json".to_string()],
                    command: "shifan export --out DIR",
                },
            })
            .collect()
    }
}

pub fn view(s: &DocumentsTab, env: &Env, f: &mut Frame, area: Rect) {
    if let Some(w) = &s.written {
        super::written::view(w, env, f, area);
        return;
    }
    let phase = match s.phase {
        RoundPhase::Applications => env.t("申报", "applications"),
        RoundPhase::Review => env.t("评审", "review"),
        RoundPhase::Sealed => env.t("名单已封存", "list sealed"),
        RoundPhase::Publicity => env.t("公示", "publicity"),
        RoundPhase::Confirmed => env.t("已认定", "confirmed"),
    };
    let block = Block::bordered().title(format!(
        " {}{} ",
        env.t("可生成的文书 · 阶段：", "Documents you can make · phase: "),
        phase
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    // The folder in full: a long path wraps, it is never cut.
    let label = env.t("输出文件夹（f 更改）：", "Output folder (f changes it): ");
    lines.push(Line::styled(truncate(label, w), theme::dim()));
    for l in
        super::written::path_lines(&clean(&s.folder.display().to_string()), w.saturating_sub(2))
    {
        lines.push(Line::styled(format!("  {l}"), theme::key()));
    }
    lines.push(Line::from(""));
    // Where each row starts, to keep the selected one in view.
    let mut starts = Vec::new();
    let marker = |i: usize| if i == s.cursor { "▶ " } else { "  " };
    for (i, d) in s.docs(env).into_iter().enumerate() {
        starts.push(lines.len());
        let style = if i == s.cursor {
            theme::selected()
        } else {
            theme::header()
        };
        lines.push(Line::styled(
            truncate(&format!("{}{}. {}", marker(i), i + 1, d.title), w),
            style,
        ));
        for l in d.detail {
            lines.push(Line::from(truncate(&format!("     {}", clean(&l)), w)));
        }
        let label = env.t("     命令：", "     command: ");
        lines.push(Line::from(vec![
            Span::raw(label.to_string()),
            Span::styled(
                truncate(d.command, w.saturating_sub(crate::tui::text::width(label))),
                theme::key(),
            ),
        ]));
    }
    let all = s.batches.len();
    starts.push(lines.len());
    lines.push(Line::styled(
        truncate(
            &format!(
                "{}{}",
                marker(all),
                env.t(
                    "全部生成（以上各项，记为一条审计记录）",
                    "All of the above (one audit entry)"
                )
            ),
            w,
        ),
        if s.cursor == all {
            theme::selected()
        } else {
            theme::header()
        },
    ));
    let h = inner.height as usize;
    let sel = starts.get(s.cursor).copied().unwrap_or(0);
    // The selected row stays in view: the list scrolls only as far as it must.
    // The whole selected document (title, details, command), or its start when taller.
    let end = starts.get(s.cursor + 1).copied().unwrap_or(lines.len());
    let first = end.saturating_sub(h).min(sel);
    let first = first.min(lines.len().saturating_sub(h));
    let shown: Vec<Line> = lines.into_iter().skip(first).collect();
    f.render_widget(Paragraph::new(shown), inner);
}
