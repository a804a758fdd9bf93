//! The review-quality annex (评审质量统计) for the ministry: how each expert scored against the
//! co-reviewers of the same dossiers, how far each type panel agreed (ICC(1), named with its
//! method), and which dossiers' bootstrap rank intervals cross the cut or the reserve line,
//! with the seed and replicate count that reproduce them. A4 portrait after GB/T 9704: 「附件」
//! top left, the title centred, 「一、」 headings in 黑体, body text indented two characters,
//! tables in 10.5 pt, the audit head and the seed at the foot of every page. The figures are
//! printed as `shifan rank --stats` prints them (offsets to two decimals with their sign, ICC(1)
//! to three), so the annex and the listing can be compared line by line.

use jiff::civil::Date;

use super::fonts::{FaceRole, Fonts};
use super::layout::{Align, Column, Composer, Decorations, PageGeometry, Row, TITLE, Table};
use super::measure::{Style, text_width};
use super::notices::{audit_note, chinese_date, unit_context};
use super::{PdfError, Rendered};

/// One expert's line.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertLine {
    pub id: String,
    pub name: String,
    /// Submitted sheets counted.
    pub sheets: usize,
    /// Sheets on dossiers another expert also scored.
    pub shared: usize,
    /// Mean offset against the co-reviewers, points (negative: harsher).
    pub harshness: Option<f64>,
    /// Pearson's r against the co-reviewers' means.
    pub agreement: Option<f64>,
}

/// One type panel's line.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelLine {
    /// The type's name as printed, e.g. 「信息服务型」.
    pub type_name: String,
    pub dossiers: usize,
    pub sheets: usize,
    pub icc1: Option<f64>,
}

/// A dossier whose interval crosses a boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalLine {
    pub rank: usize,
    pub code: String,
    pub applicant: String,
    /// Best and worst rank of the interval.
    pub low: usize,
    pub high: usize,
    /// Crosses the cut (else the reserve line).
    pub crosses_cut: bool,
}

/// The annex's data.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsAnnex {
    /// E.g. 「2026年全国农村信息化示范单位评审质量统计」.
    pub title: String,
    pub issuer: String,
    pub date: Date,
    /// The ranking's inputs hash (identifies the sheets the figures are computed from).
    pub inputs_hash: String,
    /// The panel-agreement and interval methods, as the statistics name them.
    pub panel_method: String,
    pub interval_method: String,
    pub experts: Vec<ExpertLine>,
    pub panels: Vec<PanelLine>,
    /// Dossiers ranked.
    pub dossiers: usize,
    /// Rank of the last unit in, and of the last reserve unit (0 without a reserve).
    pub cut: usize,
    pub reserve_cut: usize,
    pub uncertain: Vec<IntervalLine>,
    pub seed: u64,
    pub replicates: usize,
    /// The audit log's head when printed, `SEQ:HASH`.
    pub audit_head: Option<String>,
    /// Marks every page 「草稿」 (sheets still open: the figures can change).
    pub draft: bool,
}

/// An offset with its sign, two decimals: 「+1.27」, 「-7.34」 (as `rank --stats`).
pub fn offset(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{x:+.2}"))
}

/// An ICC(1), three decimals (as `rank --stats`).
pub fn icc(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{x:.3}"))
}

const HEADING: Style = Style::new(FaceRole::Heading, 16.0);
const CELL: Style = Style::new(FaceRole::Body, 10.5);
const CELL_HEADER: Style = Style::new(FaceRole::Heading, 10.5);
/// Padding of a cell on both sides and a little air, in pt.
const SLACK: f32 = 8.0 + 4.0;

/// Columns as wide as their widest cell or title; the column `stretch` takes what is left.
fn table(
    fonts: &Fonts,
    text_width_pt: f32,
    titles: &[(&str, Align)],
    rows: Vec<Row>,
    stretch: usize,
) -> Table {
    let mut widths: Vec<f32> = titles
        .iter()
        .enumerate()
        .map(|(i, (title, _))| {
            rows.iter()
                .filter_map(|r| r.cells.get(i))
                .map(|cell| text_width(fonts, CELL, cell))
                .fold(text_width(fonts, CELL_HEADER, title), f32::max)
                + SLACK
        })
        .collect();
    let others: f32 = widths
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != stretch)
        .map(|(_, w)| w)
        .sum();
    // The stretching column wraps its text (a unit's name) into what the others leave.
    widths[stretch] = (text_width_pt - others).max(4.0 * CELL.size);
    let columns = titles
        .iter()
        .zip(widths)
        .map(|((title, align), width)| Column {
            title: title.to_string(),
            width,
            align: *align,
        })
        .collect();
    Table {
        columns,
        rows,
        body: CELL,
        header: CELL_HEADER,
        keep_with_last: 0.0,
    }
}

fn row(cells: Vec<String>, context: String) -> Row {
    Row { cells, context }
}

/// A 「一、」 heading kept on the page of what follows it: the heading, a table's header and
/// its first rows (or two lines of text).
fn heading(c: &mut Composer<'_>, text: &str) {
    let row = 2.0 * (CELL.size * 1.5 + 6.0);
    c.keep_room(c.pitch() + 3.0 * row);
    c.flush_left(text, HEADING, "标题");
}

/// Renders the annex.
pub fn render_stats_annex(annex: &StatsAnnex, fonts: &Fonts) -> Result<Rendered, PdfError> {
    let geometry = PageGeometry::a4_portrait();
    let width = geometry.text_width;
    let mut c = Composer::new(fonts, geometry);
    c.flush_left("附件", HEADING, "附件");
    c.space(c.pitch() / 2.0);
    c.title(&annex.title, TITLE, "标题");
    c.space(c.pitch() / 2.0);
    let sheets: usize = annex.experts.iter().map(|e| e.sheets).sum();
    c.body(
        &format!(
            "本统计依据截至{}已提交的{sheets}张评分表，涉及{}位专家、{}份申报书，供审定拟认定名单时参考，不改变任何分数和名次。",
            chinese_date(annex.date),
            annex.experts.len(),
            annex.dossiers,
        ),
        "正文",
    );
    // The hash on a line of its own, small enough not to break.
    c.flush_left(
        &format!("排名输入摘要：{}", annex.inputs_hash),
        Style::new(FaceRole::Body, 10.5),
        "排名输入摘要",
    );

    heading(&mut c, "一、统计方法");
    c.body(
        "评分偏差：专家在与其他专家共同评审的申报书上，本人总分与其他专家平均总分之差的平均值，单位为分；负数表示评分偏严，正数表示偏宽。",
        "正文",
    );
    c.body(
        "一致性：专家总分与其他专家平均总分之间的 Pearson 相关系数，共评申报书不少于3份时计算。",
        "正文",
    );
    c.body(
        &format!("类型组评分一致性：{}。", annex.panel_method),
        "正文",
    );
    c.body(
        &format!(
            "排名区间：{}；随机种子 {}，重抽样 {} 次。输入的评分表和种子相同，结果即相同，可用 shifan rank --stats --seed {} --replicates {} 复核。",
            annex.interval_method, annex.seed, annex.replicates, annex.seed, annex.replicates
        ),
        "正文",
    );

    heading(&mut c, "二、专家评分偏差与一致性");
    let rows = annex
        .experts
        .iter()
        .enumerate()
        .map(|(i, e)| {
            row(
                vec![
                    (i + 1).to_string(),
                    e.id.clone(),
                    e.name.clone(),
                    e.sheets.to_string(),
                    e.shared.to_string(),
                    offset(e.harshness),
                    offset(e.agreement),
                ],
                format!("专家「{}」", e.name),
            )
        })
        .collect();
    let titles = [
        ("序号", Align::Center),
        ("专家编号", Align::Center),
        ("姓名", Align::Left),
        ("评分表", Align::Center),
        ("共评", Align::Center),
        ("评分偏差", Align::Center),
        ("一致性", Align::Center),
    ];
    c.table(&table(fonts, width, &titles, rows, 2))?;
    c.space(c.pitch() / 2.0);

    heading(&mut c, "三、各类型评分一致性");
    let rows = annex
        .panels
        .iter()
        .map(|p| {
            row(
                vec![
                    p.type_name.clone(),
                    p.dossiers.to_string(),
                    p.sheets.to_string(),
                    icc(p.icc1),
                ],
                format!("类型「{}」", p.type_name),
            )
        })
        .collect();
    let titles = [
        ("示范类型", Align::Left),
        ("申报书", Align::Center),
        ("评分表", Align::Center),
        ("ICC(1)", Align::Center),
    ];
    c.table(&table(fonts, width, &titles, rows, 0))?;
    c.space(c.pitch() / 2.0);

    heading(&mut c, "四、排名区间跨越分界的申报书");
    let reserve = if annex.reserve_cut > annex.cut {
        format!("，备选至第{}名", annex.reserve_cut)
    } else {
        String::new()
    };
    let crossing = annex.uncertain.iter().filter(|u| u.crosses_cut).count();
    c.body(
        &format!(
            "按现行规则入选至第{}名{reserve}。以下{}份申报书的排名区间跨越分界，其中{crossing}份跨越入选线：在评分表的抽样误差之内，可能入选也可能落选，宜提请会评讨论。",
            annex.cut,
            annex.uncertain.len()
        ),
        "正文",
    );
    if !annex.uncertain.is_empty() {
        let rows = annex
            .uncertain
            .iter()
            .map(|u| {
                row(
                    vec![
                        u.rank.to_string(),
                        u.code.clone(),
                        u.applicant.clone(),
                        format!("{}–{}", u.low, u.high),
                        if u.crosses_cut {
                            "入选线"
                        } else {
                            "备选线"
                        }
                        .to_string(),
                    ],
                    unit_context(&u.applicant),
                )
            })
            .collect();
        let titles = [
            ("名次", Align::Center),
            ("编号", Align::Center),
            ("申报单位", Align::Left),
            ("排名区间", Align::Center),
            ("跨越", Align::Center),
        ];
        c.table(&table(fonts, width, &titles, rows, 2))?;
    }

    // No 落款: an attachment carries none; the covering document it is attached to does.

    let mut footer = format!(
        "评审质量统计 · 种子 {} · 重抽样 {} 次",
        annex.seed, annex.replicates
    );
    if let Some(head) = &annex.audit_head {
        footer.push_str(" · ");
        footer.push_str(&audit_note(head));
    }
    let decorations = Decorations {
        footer_note: Some(footer),
        draft: annex.draft,
    };
    c.render(&decorations, &annex.title, &annex.issuer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_the_listing_prints_them() {
        assert_eq!(offset(Some(-7.336538)), "-7.34");
        assert_eq!(offset(Some(1.2741)), "+1.27");
        assert_eq!(offset(None), "—");
        assert_eq!(icc(Some(0.41269)), "0.413");
        assert_eq!(icc(None), "—");
    }
}
