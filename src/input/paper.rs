//! Reading one keying of paper score sheets, as a spreadsheet saves it: CSV (UTF-8 or GB18030)
//! or an Excel workbook (.xlsx, its first worksheet; see [`super::paper_xlsx`]), told apart by
//! their content, so a mislabelled file is still read as what it is. The layout is that of the
//! printed score sheet: a header row `expert, dossier, <one column per criterion>, recommend,
//! opinion`, then one row per signed sheet. A criterion column is headed by its id
//! (`infrastructure`) or its Chinese name (信息基础设施); `recommend` takes 是/否, yes/no, y/n,
//! 1/0. A row holding nothing but its expert and dossier is a sheet not keyed in this file
//! (the template prefills every open sheet). Every refusal names the file, the worksheet, the row and column as the spreadsheet shows
//! them (row 3, column F) and the field, and says how to fix it; quoted cells are shown with
//! their control characters made visible ([`crate::terminal_text::clean`]).

use std::path::Path;

use crate::domain::paper::PaperSheet;
use crate::domain::{Criteria, Text};
use crate::terminal_text::clean;

/// Why a keyed file cannot be read; nothing of it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperError {
    pub file: String,
    /// The worksheet (XLSX only).
    pub sheet: Option<String>,
    /// Row as the spreadsheet numbers it (1-based; the CSV's record).
    pub row: Option<usize>,
    /// Column (0-based: 0 is A) and the field it holds (zh name, en id).
    pub column: Option<Box<(usize, Text)>>,
    pub text: Text,
}

/// `A` for 0, `Z` for 25, `AA` for 26: the column letters a spreadsheet shows.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl PaperError {
    /// The refusal in both languages, naming the file, worksheet, row, column and field.
    pub fn text(&self) -> Text {
        let (mut zh, mut en) = (self.file.clone(), self.file.clone());
        match (&self.sheet, self.row) {
            (Some(sheet), row) => {
                let sheet = clean(sheet);
                zh.push_str(&format!(" 工作表「{sheet}」"));
                en.push_str(&format!(", sheet {sheet}"));
                if let Some(r) = row {
                    zh.push_str(&format!("第 {r} 行"));
                    en.push_str(&format!(", row {r}"));
                }
            }
            (None, Some(r)) => {
                zh.push_str(&format!(":{r}"));
                en.push_str(&format!(":{r}"));
            }
            (None, None) => {}
        }
        if let Some(c) = &self.column {
            let (col, field) = &**c;
            let letter = column_letter(*col);
            if self.sheet.is_some() {
                zh.push_str(&format!(" {letter} 列（{}）", field.zh));
                en.push_str(&format!(", column {letter} ({})", field.en));
            } else {
                zh.push_str(&format!("（{letter} 列，{}）", field.zh));
                en.push_str(&format!(" (column {letter}, {})", field.en));
            }
        }
        Text::new(
            format!("{zh}：{}", self.text.zh),
            format!("{en}: {}", self.text.en),
        )
    }
}

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    /// A cell that cannot be a value here (a date, a formula error): why, and how to fix it.
    Refused(Text),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(v) => format!("{v}"),
            Cell::Refused(_) => String::new(),
        }
    }
}

/// The rows of a keying: (row number as the spreadsheet shows it, cells from column A).
pub(crate) struct Grid {
    pub sheet: Option<String>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

fn recommend(v: &str) -> Option<Option<bool>> {
    match v.trim().to_lowercase().as_str() {
        "" => Some(None),
        "是" | "推荐" | "yes" | "y" | "1" | "true" => Some(Some(true)),
        "否" | "不推荐" | "no" | "n" | "0" | "false" => Some(Some(false)),
        _ => None,
    }
}

/// Points typed as text: full-width digits and point (８．５, from a Chinese input method)
/// count as their ASCII forms.
fn parse_points(v: &str) -> Option<f64> {
    let ascii: String = v
        .chars()
        .map(|c| match c {
            '０'..='９' | '．' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    ascii.trim().parse::<f64>().ok().filter(|p| p.is_finite())
}

/// Read one keying, CSV or XLSX by its content. Cells are trimmed; an empty criterion cell is
/// kept as empty (the comparison reports it).
pub fn read_keying(criteria: &Criteria, path: &Path) -> Result<Vec<PaperSheet>, PaperError> {
    let file = path.display().to_string();
    let bytes =
        super::read::read_capped(path, super::read::MAX_FILE_BYTES).map_err(|e| PaperError {
            file: file.clone(),
            sheet: None,
            row: None,
            column: None,
            text: super::read::describe(&e, &file).0,
        })?;
    let grid = if bytes.starts_with(b"PK\x03\x04") {
        super::paper_xlsx::grid(&file, &bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(PaperError {
            file,
            sheet: None,
            row: None,
            column: None,
            text: Text::new(
                "这是旧版 Excel 97-2003 工作簿（.xls），无法读取：请在 Excel 中另存为「Excel 工作簿（.xlsx）」或 CSV",
                "this is an old Excel 97-2003 workbook (.xls), which is not read: save it in Excel as \"Excel Workbook (.xlsx)\" or as CSV",
            ),
        });
    } else {
        csv_grid(&file, &bytes)?
    };
    sheets_of(criteria, &file, grid)
}

fn csv_grid(file: &str, bytes: &[u8]) -> Result<Grid, PaperError> {
    let err = |row: Option<usize>, zh: String, en: String| PaperError {
        file: file.to_string(),
        sheet: None,
        row,
        column: None,
        text: Text::new(zh, en),
    };
    let (text, _) = super::encoding::decode(bytes).map_err(|e| {
        err(
            None,
            format!("不是文本文件（{e:?}）：请另存为 CSV（UTF-8）或 Excel 工作簿（.xlsx）"),
            format!(
                "not a text file ({e:?}): save it as CSV (UTF-8) or as an Excel workbook (.xlsx)"
            ),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            err(
                Some(i + 1),
                format!("CSV 格式错误：{e}"),
                format!("not valid CSV: {e}"),
            )
        })?;
        rows.push((i + 1, record.iter().map(|c| Cell::Text(c.into())).collect()));
    }
    Ok(Grid { sheet: None, rows })
}

const IDENTITY: [(&str, &str); 4] = [
    ("expert", "专家"),
    ("dossier", "申报书"),
    ("recommend", "是否推荐"),
    ("opinion", "评审意见"),
];

/// The header names the template writes (the Chinese ones the reader also accepts), in order.
pub fn template_header(criteria: &Criteria) -> Vec<String> {
    let mut h: Vec<String> = IDENTITY[..2].iter().map(|(_, zh)| zh.to_string()).collect();
    h.extend(criteria.rubric.criteria.iter().map(|c| c.name_zh.clone()));
    h.extend(IDENTITY[2..].iter().map(|(_, zh)| zh.to_string()));
    h
}

/// The sheets of a grid: the first non-empty row is the header.
fn sheets_of(criteria: &Criteria, file: &str, grid: Grid) -> Result<Vec<PaperSheet>, PaperError> {
    let sheet = grid.sheet.clone();
    let err = |row: Option<usize>, column: Option<Box<(usize, Text)>>, zh: String, en: String| {
        PaperError {
            file: file.to_string(),
            sheet: sheet.clone(),
            row,
            column,
            text: Text::new(zh, en),
        }
    };
    let empty = |cells: &[Cell]| cells.iter().all(|c| c.text().is_empty());
    let mut rows = grid.rows.iter().filter(|(_, cells)| !empty(cells));
    let Some((header_row, header)) = rows.next() else {
        return Err(err(
            None,
            None,
            "文件是空的：第一行应为表头 expert, dossier, 各评分项, recommend, opinion".into(),
            "the file is empty: the first row must be the header expert, dossier, the criteria, recommend, opinion".into(),
        ));
    };
    let header_row = *header_row;
    let names: Vec<String> = header.iter().map(Cell::text).collect();
    let column = |name: &str| names.iter().position(|h| h == name);
    let need = |col: Option<usize>, name: &str| {
        col.ok_or_else(|| {
            err(
                Some(header_row),
                None,
                format!("表头缺少「{name}」列：第一行应为 expert, dossier, 各评分项, recommend, opinion（或用 shifan scores template 生成的表头）"),
                format!("the header has no `{name}` column: the first row must be expert, dossier, the criteria, recommend, opinion (or the header `shifan scores template` writes)"),
            )
        })
    };
    let mut fixed = Vec::new();
    for (en, zh) in IDENTITY {
        fixed.push(need(column(en).or_else(|| column(zh)), en)?);
    }
    let [expert_col, dossier_col, recommend_col, opinion_col] =
        [fixed[0], fixed[1], fixed[2], fixed[3]];
    let rubric = &criteria.rubric;
    let mut criterion_cols = Vec::new();
    for c in &rubric.criteria {
        let col = column(&c.id).or_else(|| column(&c.name_zh));
        criterion_cols.push((c, need(col, &c.id)?));
    }
    let extra: Vec<String> = names
        .iter()
        .filter(|h| {
            !h.is_empty()
                && !IDENTITY.iter().any(|(en, zh)| h == en || h == zh)
                && !rubric
                    .criteria
                    .iter()
                    .any(|c| &c.id == *h || &c.name_zh == *h)
        })
        .map(|h| clean(h))
        .collect();
    if !extra.is_empty() {
        return Err(err(
            Some(header_row),
            None,
            format!(
                "表头有未知的列：{}；请删去或改为评分项的 id",
                extra.join(", ")
            ),
            format!(
                "unknown header columns: {}; remove them or use the criteria ids",
                extra.join(", ")
            ),
        ));
    }
    let field = |col: usize| -> Text {
        if let Some((c, _)) = criterion_cols.iter().find(|(_, k)| *k == col) {
            return Text::new(c.name_zh.clone(), c.id.clone());
        }
        let i = fixed.iter().position(|k| *k == col).unwrap_or(0);
        Text::new(IDENTITY[i].1, IDENTITY[i].0)
    };
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (row, cells) in rows {
        let row = *row;
        let at = |col: usize| Some(Box::new((col, field(col))));
        let cell = |col: usize| -> Result<String, PaperError> {
            match cells.get(col) {
                Some(Cell::Refused(why)) => {
                    Err(err(Some(row), at(col), why.zh.clone(), why.en.clone()))
                }
                Some(c) => Ok(c.text()),
                None => Ok(String::new()),
            }
        };
        // A row with only its expert and dossier (as the template prefills every open sheet)
        // is a sheet not keyed in this file, not an empty sheet.
        let keyed = cells.iter().enumerate().any(|(col, c)| {
            col != expert_col && col != dossier_col && !c.text().is_empty()
                || matches!(c, Cell::Refused(_))
        });
        if !keyed {
            continue;
        }
        let expert = cell(expert_col)?;
        let dossier = cell(dossier_col)?;
        for (col, v) in [(expert_col, &expert), (dossier_col, &dossier)] {
            if v.is_empty() {
                return Err(err(
                    Some(row),
                    at(col),
                    "为空：每行填写一张评分表的专家编号（expert）和申报书编号（dossier）".into(),
                    "empty: each row is one sheet, with its expert and dossier".into(),
                ));
            }
        }
        let (e, d) = (clean(&expert), clean(&dossier));
        if let Some(first) = seen.insert((expert.clone(), dossier.clone()), row) {
            return Err(err(
                Some(row),
                None,
                format!(
                    "{e} 对 {d} 的评分表已在第 {first} 行录入：每张评分表只录一行，请删去重复的一行"
                ),
                format!(
                    "the sheet of {e} on {d} was already keyed on row {first}: one row per sheet, delete the repeated one"
                ),
            ));
        }
        let mut points = Vec::new();
        for (c, col) in &criterion_cols {
            let p = match cells.get(*col) {
                Some(Cell::Number(v)) if v.is_finite() => Some(*v),
                _ => {
                    let v = cell(*col)?;
                    if v.is_empty() {
                        None
                    } else {
                        Some(parse_points(&v).ok_or_else(|| {
                            let v = clean(&v);
                            err(
                                Some(row),
                                at(*col),
                                format!("「{v}」不是分数：请填数字，如 8 或 7.5（满分 {}）", c.max),
                                format!("`{v}` is not points: write a number such as 8 or 7.5 (at most {})", c.max),
                            )
                        })?)
                    }
                }
            };
            points.push((c.id.clone(), p));
        }
        let r = cell(recommend_col)?;
        let recommend = recommend(&r).ok_or_else(|| {
            let r = clean(&r);
            err(
                Some(row),
                at(recommend_col),
                format!("「{r}」无法识别：请填 是 或 否"),
                format!("`{r}` is not yes or no: write 是/否 or yes/no"),
            )
        })?;
        out.push(PaperSheet {
            expert_id: expert,
            dossier,
            points,
            recommend,
            opinion: cell(opinion_col)?,
            line: row,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_shows_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(5), "F");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn full_width_points_are_read() {
        assert_eq!(parse_points("８．５"), Some(8.5));
        assert_eq!(parse_points(" 7 "), Some(7.0));
        assert_eq!(parse_points("九"), None);
        assert_eq!(parse_points("inf"), None);
    }

    #[test]
    fn a_refusal_names_file_sheet_row_column_and_field() {
        let e = PaperError {
            file: "b.xlsx".into(),
            sheet: Some("评分表".into()),
            row: Some(3),
            column: Some(Box::new((5, Text::new("服务成效", "service_results")))),
            text: Text::new("「九」不是分数", "`九` is not points"),
        };
        assert_eq!(
            e.text().en,
            "b.xlsx, sheet 评分表, row 3, column F (service_results): `九` is not points"
        );
        assert_eq!(
            e.text().zh,
            "b.xlsx 工作表「评分表」第 3 行 F 列（服务成效）：「九」不是分数"
        );
        let csv = PaperError {
            sheet: None,
            file: "b.csv".into(),
            ..e
        };
        assert_eq!(
            csv.text().en,
            "b.csv:3 (column F, service_results): `九` is not points"
        );
    }
}
