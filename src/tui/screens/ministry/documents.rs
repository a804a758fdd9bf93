//! The documents tab: for the round's phase, every document that will be produced and the
//! command that produces it; `g` writes them all into `documents/` (PDFs, and the exports for
//! ministry staff).

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::phase::Phase as RoundPhase;
use crate::domain::publicity::{Phase, Publicity};
use crate::store::{DocumentCounts, Store, StoreError};
use crate::tui::app::{Env, Transition};
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::popup::{ConfirmPurpose, Popup};
use crate::tui::text::{clean, truncate};
use crate::tui::theme;

/// Where `g` writes the documents: this folder beside the database file.
pub const OUT_DIR: &str = "documents";

use super::{scroll, user};

#[derive(Debug, Clone)]
pub struct DocumentsTab {
    pub phase: RoundPhase,
    pub publicity: Publicity,
    pub counts: DocumentCounts,
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
        Ok(DocumentsTab {
            phase: store.round_phase()?,
            publicity: store.publicity(&actor)?,
            counts: store.document_counts(&actor)?,
            scroll: 0,
        })
    }

    pub fn handle(&mut self, env: &Env, action: Action) -> Transition {
        if action == Action::GenerateDocuments {
            let dir = OUT_DIR;
            return Transition::Open(Popup::Confirm {
                purpose: ConfirmPurpose::GenerateDocuments,
                question: Text::new(
                    format!("生成本阶段的全部文书，写入数据库旁的文件夹 {dir}/？"),
                    format!(
                        "Write every document of this phase into the folder {dir}/ beside the database?"
                    ),
                ),
            });
        }
        let _ = env;
        self.scroll = scroll(self.scroll, action, 200);
        Transition::Stay
    }

    /// Write the documents (after the confirm popup); the outcome goes to the message line.
    pub fn on_confirm(
        &mut self,
        env: &mut Env,
        purpose: ConfirmPurpose,
        store: &mut Store,
    ) -> Transition {
        if purpose != ConfirmPurpose::GenerateDocuments {
            return Transition::Stay;
        }
        let actor = match user(env) {
            Ok(u) => u,
            Err(e) => {
                env.store_error(&e);
                return Transition::Stay;
            }
        };
        let today = store.today();
        match crate::documents::write_all(
            &env.criteria,
            store,
            &actor,
            &store.folder().unwrap_or_default().join(OUT_DIR),
            today,
        ) {
            Ok(out) => {
                let warn = out.warnings.len();
                env.info(Text::new(
                    format!(
                        "已生成 {} 个文件，写入 {OUT_DIR}/{}",
                        out.files.len(),
                        if warn > 0 {
                            format!("；{warn} 个字符无字形，见 {OUT_DIR}/warnings.txt")
                        } else {
                            String::new()
                        }
                    ),
                    format!(
                        "wrote {} files into {OUT_DIR}/{}",
                        out.files.len(),
                        if warn > 0 {
                            format!("; {warn} characters have no glyph, see {OUT_DIR}/warnings.txt")
                        } else {
                            String::new()
                        }
                    ),
                ));
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
        vec![
            Doc {
                title: t("公示通知（拟认定名单）", "Publicity notice (proposed list)"),
                detail: vec![sealed],
                command: "shifan notice publicity --out DIR",
            },
            Doc {
                title: t("备选名单（附件）", "Reserve list (annex)"),
                detail: vec![match p.phase() {
                    Phase::Draft => t("草稿", "draft"),
                    _ => env
                        .lang
                        .pick(
                            &format!("{} 个单位", p.reserve().len()),
                            &format!("{} units", p.reserve().len()),
                        )
                        .to_string(),
                }],
                command: "shifan notice publicity --out DIR",
            },
            Doc {
                title: t("认定通知", "Confirmation notices"),
                detail: confirmation,
                command: "shifan notice confirmation --out DIR",
            },
            Doc {
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
            Doc {
                title: t("数据导出", "Data exports"),
                detail: vec!["ranking.csv · scores.csv · round.xlsx · round.json".to_string()],
                command: "shifan export --out DIR",
            },
        ]
    }
}

pub fn view(s: &DocumentsTab, env: &Env, f: &mut Frame, area: Rect) {
    let phase = match s.phase {
        RoundPhase::Applications => env.t("申报", "applications"),
        RoundPhase::Review => env.t("评审", "review"),
        RoundPhase::Sealed => env.t("名单已封存", "list sealed"),
        RoundPhase::Publicity => env.t("公示", "publicity"),
        RoundPhase::Confirmed => env.t("已认定", "confirmed"),
    };
    let block = Block::bordered().title(format!(
        " {}{} ",
        env.t("将生成的文书 · 阶段：", "Documents to produce · phase: "),
        phase
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, d) in s.docs(env).into_iter().enumerate() {
        lines.push(Line::styled(
            truncate(&format!("{}. {}", i + 1, d.title), w),
            theme::header(),
        ));
        for l in d.detail {
            lines.push(Line::from(truncate(&format!("   {}", clean(&l)), w)));
        }
        let label = env.t("   命令：", "   command: ");
        lines.push(Line::from(vec![
            Span::raw(label.to_string()),
            Span::styled(
                truncate(d.command, w.saturating_sub(crate::tui::text::width(label))),
                theme::key(),
            ),
        ]));
    }
    let first = s
        .scroll
        .min(lines.len().saturating_sub(inner.height as usize));
    let shown: Vec<Line> = lines.into_iter().skip(first).collect();
    f.render_widget(Paragraph::new(shown), inner);
}
