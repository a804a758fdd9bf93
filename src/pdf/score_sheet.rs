//! The expert's score sheet (专家评分表): every dossier the expert reviewed with the points per
//! criterion, the total and the recommendation, then the written comments, and a signature line.
//! Landscape A4, as GB/T 9704 allows for wide tables.

use jiff::civil::Date;

use super::fonts::{FaceRole, Fonts};
use super::layout::{
    Align, Column, Composer, Decorations, LaidOut, PageGeometry, Row, TITLE, Table,
};
use super::measure::{Style, text_width as measure};
use super::notices::{audit_note, chinese_date, unit_context};
use super::{PdfError, Rendered};
use crate::validation::par_map_each;

/// A criterion as printed in the header.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionHeader {
    pub name: String,
    /// Maximum points.
    pub max_points: f64,
}

/// One dossier's line on the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// Dossier code, e.g. 「61-003」.
    pub code: String,
    pub applicant: String,
    /// Points per criterion, in the order of [`ScoreSheet::criteria`]; `None` when not scored.
    pub scores: Vec<Option<f64>>,
    /// Total points, if complete.
    pub total: Option<f64>,
    /// The expert's written comment (评审意见).
    pub comment: String,
    /// Whether the expert recommends the unit; `None` when not decided.
    pub recommend: Option<bool>,
}

/// One expert's score sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSheet {
    /// E.g. 「2026年全国农村信息化示范单位评审专家评分表」.
    pub title: String,
    pub expert_name: String,
    pub expert_id: String,
    pub criteria: Vec<CriterionHeader>,
    pub rows: Vec<ScoreRow>,
    /// Issuing office, written into the PDF's metadata.
    pub issuer: String,
    /// Date printed on the sheet (the review date).
    pub date: Date,
    pub draft: bool,
    /// The audit log's head when the sheet was printed, `SEQ:HASH`, at the foot of every page.
    pub audit_head: Option<String>,
}

/// Points without needless decimals: 10, 8.5, 7.25.
fn points(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

fn optional_points(value: Option<f64>) -> String {
    value.map(points).unwrap_or_default()
}

/// Renders one expert's score sheet.
pub fn render_score_sheet(sheet: &ScoreSheet, fonts: &Fonts) -> Result<Rendered, PdfError> {
    lay_out(sheet, fonts)?.write_alone(fonts)
}

/// Renders the score sheets of a round side by side, sharing the cut fonts (each file holds
/// the glyphs of all the sheets: see [`LaidOut::write_all`]).
pub fn render_score_sheets(
    sheets: &[ScoreSheet],
    fonts: &Fonts,
) -> Result<Vec<Rendered>, PdfError> {
    let laid_out = par_map_each(sheets, |sheet| lay_out(sheet, fonts))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    LaidOut::write_all(laid_out, fonts)
}

fn lay_out(sheet: &ScoreSheet, fonts: &Fonts) -> Result<LaidOut, PdfError> {
    let geometry = PageGeometry::a4_landscape();
    let mut c = Composer::new(fonts, geometry);
    let expert = format!("专家「{}」", sheet.expert_name);
    let small = Style::new(FaceRole::Body, 12.0);
    let pitch = small.size * 1.6;
    c.title(&sheet.title, TITLE, "标题");
    c.paragraph(
        &format!(
            "专家姓名：{}　　专家编号：{}　　评审日期：{}　　共{}份申报书",
            sheet.expert_name,
            sheet.expert_id,
            chinese_date(sheet.date),
            sheet.rows.len()
        ),
        Style::new(FaceRole::Body, 14.0),
        0,
        Align::Left,
        14.0 * 1.8,
        &expert,
    );
    let legend: Vec<String> = sheet
        .criteria
        .iter()
        .enumerate()
        .map(|(index, criterion)| {
            format!(
                "{}.{}（{}分）",
                index + 1,
                criterion.name,
                points(criterion.max_points)
            )
        })
        .collect();
    c.paragraph(
        &format!("评分项：{}。", legend.join("；")),
        small,
        0,
        Align::Justify,
        pitch,
        "评分项",
    );
    c.space(4.0);
    c.table(&scores_table(fonts, geometry.text_width, sheet))?;
    c.space(pitch);
    c.flush_left("评审意见", Style::new(FaceRole::Heading, 14.0), "评审意见");
    let signature = Style::new(FaceRole::Body, 14.0);
    let mut comments = comments_table(geometry.text_width, sheet);
    // The signature line stays on the page of the last comment.
    comments.keep_with_last = 2.0 * pitch + 2.0 * signature.size;
    c.table(&comments)?;
    c.space(2.0 * pitch);
    c.signature_line(&[("专家签名：", 10.0), ("日期：", 8.0)], signature);

    let mut footer = format!(
        "{} · 专家{}（{}）",
        sheet.title, sheet.expert_name, sheet.expert_id
    );
    if let Some(head) = &sheet.audit_head {
        footer.push_str(" · ");
        footer.push_str(&audit_note(head));
    }
    let decorations = Decorations {
        footer_note: Some(footer),
        draft: sheet.draft,
    };
    Ok(c.laid_out(&decorations, &sheet.title, &sheet.issuer))
}

/// Padding of a cell on both sides (4 pt each) and a little air, in pt.
const CELL_SLACK: f32 = 8.0 + 3.0;

/// The width a column needs for its header (each line of it) and every cell, with padding.
fn column_width(fonts: &Fonts, header: Style, body: Style, title: &str, cells: &[String]) -> f32 {
    let head = title
        .split('\n')
        .map(|line| measure(fonts, header, line))
        .fold(0.0_f32, f32::max);
    cells
        .iter()
        .map(|cell| measure(fonts, body, cell))
        .fold(head, f32::max)
        + CELL_SLACK
}

/// 序号 | 编号 | 申报单位 | 1 … n | 总分 | 推荐; every column but the unit's name as wide as its
/// widest cell (「12.5」 never wraps), the name takes the rest.
fn scores_table(fonts: &Fonts, text_width: f32, sheet: &ScoreSheet) -> Table {
    let body = Style::new(FaceRole::Body, 10.5);
    let header = Style::new(FaceRole::Heading, 10.5);
    let n = sheet.criteria.len();
    let cells: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .map(|row| {
            (0..n)
                .map(|i| optional_points(row.scores.get(i).copied().flatten()))
                .collect()
        })
        .collect();
    let numbers: Vec<String> = (1..=sheet.rows.len()).map(|i| i.to_string()).collect();
    let codes: Vec<String> = sheet.rows.iter().map(|r| r.code.clone()).collect();
    let totals: Vec<String> = sheet
        .rows
        .iter()
        .map(|r| optional_points(r.total))
        .collect();
    let width = |title: &str, cells: &[String]| column_width(fonts, header, body, title, cells);
    let fixed = [
        ("序号", width("序号", &numbers)),
        ("编号", width("编号", &codes)),
        ("总分", width("总分", &totals)),
        ("推荐", width("推荐", &["是".to_string()])),
    ];
    let fixed_width: f32 = fixed.iter().map(|(_, w)| w).sum();
    let titles: Vec<String> = sheet
        .criteria
        .iter()
        .enumerate()
        .map(|(index, item)| format!("{}\n({})", index + 1, points(item.max_points)))
        .collect();
    let widths: Vec<f32> = titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let column: Vec<String> = cells.iter().map(|row| row[i].clone()).collect();
            // At least 「10.5」 wide, so that the columns look alike.
            width(title, &column).max(measure(fonts, body, "10.5") + CELL_SLACK)
        })
        .collect();
    let applicant = text_width - fixed_width - widths.iter().sum::<f32>();

    let column = |title: String, width: f32, align: Align| Column {
        title,
        width,
        align,
    };
    let mut columns = vec![
        column(fixed[0].0.into(), fixed[0].1, Align::Center),
        column(fixed[1].0.into(), fixed[1].1, Align::Center),
        column("申报单位".into(), applicant, Align::Left),
    ];
    for (title, width) in titles.into_iter().zip(widths) {
        columns.push(column(title, width, Align::Center));
    }
    columns.push(column(fixed[2].0.into(), fixed[2].1, Align::Center));
    columns.push(column(fixed[3].0.into(), fixed[3].1, Align::Center));

    let rows = sheet
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let mut cells = vec![
                (index + 1).to_string(),
                row.code.clone(),
                row.applicant.clone(),
            ];
            cells.extend(
                (0..sheet.criteria.len())
                    .map(|i| optional_points(row.scores.get(i).copied().flatten())),
            );
            cells.push(optional_points(row.total));
            cells.push(recommend_text(row.recommend).to_string());
            Row {
                cells,
                context: unit_context(&row.applicant),
            }
        })
        .collect();
    Table {
        columns,
        rows,
        body,
        header,
        keep_with_last: 0.0,
    }
}

fn recommend_text(recommend: Option<bool>) -> &'static str {
    match recommend {
        Some(true) => "是",
        Some(false) => "否",
        None => "",
    }
}

/// 序号 | 编号 | 申报单位 | 评审意见
fn comments_table(text_width: f32, sheet: &ScoreSheet) -> Table {
    let body = Style::new(FaceRole::Body, 10.5);
    let header = Style::new(FaceRole::Heading, 10.5);
    let number = 2.6 * body.size + 6.0;
    let code = 6.0 * body.size + 6.0;
    let applicant = 16.0 * body.size + 8.0;
    let comment = text_width - number - code - applicant;
    let columns = vec![
        Column {
            title: "序号".into(),
            width: number,
            align: Align::Center,
        },
        Column {
            title: "编号".into(),
            width: code,
            align: Align::Center,
        },
        Column {
            title: "申报单位".into(),
            width: applicant,
            align: Align::Left,
        },
        Column {
            title: "评审意见".into(),
            width: comment,
            align: Align::Left,
        },
    ];
    let rows = sheet
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| Row {
            cells: vec![
                (index + 1).to_string(),
                row.code.clone(),
                row.applicant.clone(),
                row.comment.clone(),
            ],
            context: unit_context(&row.applicant),
        })
        .collect();
    Table {
        columns,
        rows,
        body,
        header,
        keep_with_last: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_drop_needless_decimals() {
        assert_eq!(points(10.0), "10");
        assert_eq!(points(8.5), "8.5");
        assert_eq!(points(7.25), "7.25");
        assert_eq!(points(0.0), "0");
        assert_eq!(optional_points(None), "");
    }
}
