//! The documents tab as drawn: each document the user can make, with what it holds and the
//! command that writes it, one row of several lines each (`layout`, shared by the view and
//! the mouse).

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::domain::phase::Phase as RoundPhase;
use crate::domain::publicity::Phase;
use crate::service::generation::Batch;
use crate::tui::core::Env;
use crate::tui::labels;
use crate::tui::text::{clean, truncate};
use crate::tui::theme;

use super::documents::DocumentsTab;

/// One document: what it is, its state, and the command that writes it.
pub(super) struct Doc {
    title: String,
    detail: Vec<String>,
    command: &'static str,
}

impl DocumentsTab {
    pub(super) fn docs(&self, env: &Env) -> Vec<Doc> {
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
                Batch::StatsAnnex => Doc {
                    title: t("评审质量统计（附件）", "Review statistics (annex)"),
                    detail: vec![t(
                        "专家宽严与一致性、各类型 ICC(1)、跨线申报书的排名区间",
                        "expert offsets and agreement, ICC(1) per type, intervals across lines",
                    )],
                    command: "shifan notice stats --out DIR",
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

/// The tab's lines at width `w` (the folder, then each document with its details and command,
/// then 「全部」) and the line each row starts on; the view draws them and the mouse hit-tests
/// against them.
pub struct Laid {
    pub lines: Vec<Line<'static>>,
    /// The first line of each row (the documents, then 「全部」).
    pub starts: Vec<usize>,
}

impl Laid {
    /// The first line shown in `h` lines: the whole selected row (title, details, command)
    /// stays in view, or its start when taller; the list scrolls only as far as it must.
    pub fn first(&self, cursor: usize, h: usize) -> usize {
        let sel = self.starts.get(cursor).copied().unwrap_or(0);
        let end = self
            .starts
            .get(cursor + 1)
            .copied()
            .unwrap_or(self.lines.len());
        end.saturating_sub(h)
            .min(sel)
            .min(self.lines.len().saturating_sub(h))
    }

    /// The row drawn on line `line` (counted from the first line of the list), if any.
    pub fn row_at(&self, line: usize) -> Option<usize> {
        if line >= self.lines.len() {
            return None;
        }
        self.starts.iter().rposition(|&s| s <= line)
    }
}

/// The list's block: the view draws its border, the mouse hit-tests inside it.
pub fn block(s: &DocumentsTab, env: &Env) -> Block<'static> {
    let phase = match s.phase {
        RoundPhase::Applications => env.t("申报", "applications"),
        RoundPhase::Review => env.t("评审", "review"),
        RoundPhase::Sealed => env.t("名单已封存", "list sealed"),
        RoundPhase::Publicity => env.t("公示", "publicity"),
        RoundPhase::Confirmed => env.t("已认定", "confirmed"),
    };
    Block::bordered().title(format!(
        " {}{} ",
        env.t("可生成的文书 · 阶段：", "Documents you can make · phase: "),
        phase
    ))
}

pub fn layout(s: &DocumentsTab, env: &Env, w: usize) -> Laid {
    let cursor = s.list.selected;
    let mut lines: Vec<Line<'static>> = Vec::new();
    // The folder in full: a long path wraps, it is never cut.
    let label = env.t("输出文件夹（f 更改）：", "Output folder (f changes it): ");
    lines.push(Line::styled(truncate(label, w), theme::dim()));
    for l in
        super::written::path_lines(&clean(&s.folder.display().to_string()), w.saturating_sub(2))
    {
        lines.push(Line::styled(format!("  {l}"), theme::key()));
    }
    lines.push(Line::from(""));
    let mut starts = Vec::new();
    let marker = |i: usize| if i == cursor { "▶ " } else { "  " };
    for (i, d) in s.docs(env).into_iter().enumerate() {
        starts.push(lines.len());
        let style = if i == cursor {
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
        if cursor == all {
            theme::selected()
        } else {
            theme::header()
        },
    ));
    Laid { lines, starts }
}

pub fn view(s: &DocumentsTab, env: &Env, f: &mut Frame, area: Rect) {
    if let Some(w) = &s.written {
        super::written::view(w, env, f, area);
        return;
    }
    let block = block(s, env);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let laid = layout(s, env, inner.width as usize);
    let first = laid.first(s.list.selected, inner.height as usize);
    let shown: Vec<Line> = laid.lines.into_iter().skip(first).collect();
    f.render_widget(Paragraph::new(shown), inner);
}
