//! The cells of a keying saved as an Excel workbook (.xlsx): its first worksheet, read cell by
//! cell (calamine's streaming reader), so that a stray cell far down or to the right costs one
//! entry, not a grid up to it. Numbers stay numbers; a cell Excel turned into a date, or a
//! formula that failed (#VALUE!), is refused where it is read, with how to fix it.
//!
//! The file is at most [`super::read::MAX_FILE_BYTES`] packed; before calamine unpacks it, the
//! sizes its parts declare are added up and a workbook that would unpack past
//! [`MAX_UNPACKED_BYTES`] is refused, so that a small file cannot fill the memory.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::paper::{Cell, Grid, PaperError};
use crate::domain::Text;

/// What the parts of a workbook may declare unpacked, in bytes (a full round's sheets keyed in
/// one workbook stay far below it).
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// Cells read from one worksheet at most (a round has a few thousand sheets of about twenty
/// cells).
const MAX_CELLS: usize = 500_000;

/// Columns a keying may use (the layout has about twenty).
const MAX_COLUMNS: u32 = 256;

fn refused(file: &str, sheet: Option<String>, zh: String, en: String) -> PaperError {
    PaperError {
        file: file.to_string(),
        sheet,
        row: None,
        column: None,
        text: Text::new(zh, en),
    }
}

fn unpacked_size(bytes: &[u8]) -> Result<u64, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        // The central directory's size, whether or not the entry has a data descriptor.
        let size = zip.by_index_raw(i).map_err(|e| e.to_string())?.size();
        total = total.saturating_add(size);
    }
    Ok(total)
}

fn cell(value: &DataRef<'_>) -> Option<Cell> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
            Cell::Refused(Text::new(
                "单元格是日期或时间（Excel 会把「8-5」「3/4」之类自动改成日期）：请把该单元格设为「文本」或「数值」格式后重新填写",
                "the cell holds a date or time (Excel turns what looks like 8-5 or 3/4 into a date): format the cell as Text or Number and type the value again",
            ))
        }
        DataRef::Error(e) => Cell::Refused(Text::new(
            format!("单元格是公式错误 {e}：请直接填写数值，不要用公式"),
            format!("the cell is a formula error {e}: type the value itself, not a formula"),
        )),
    })
}

/// The first worksheet's cells, row by row (row numbers as Excel shows them).
pub(crate) fn grid(file: &str, bytes: &[u8]) -> Result<Grid, PaperError> {
    let not_workbook = |e: String| {
        refused(
            file,
            None,
            format!(
                "不是可读取的 Excel 工作簿（{e}）：请在 Excel 中另存为「Excel 工作簿（.xlsx）」或 CSV；加密的工作簿请先取消密码"
            ),
            format!(
                "not a readable Excel workbook ({e}): save it in Excel as \"Excel Workbook (.xlsx)\" or as CSV; remove the password of an encrypted one"
            ),
        )
    };
    let unpacked = unpacked_size(bytes).map_err(&not_workbook)?;
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(refused(
            file,
            None,
            format!(
                "工作簿解压后达 {} MB，超过上限 {} MB：请只保留评分表一个工作表，删去图片和其他内容",
                unpacked / (1024 * 1024),
                MAX_UNPACKED_BYTES / (1024 * 1024)
            ),
            format!(
                "the workbook unpacks to {} MB, above the limit of {} MB: keep only the score sheet worksheet, without pictures or anything else",
                unpacked / (1024 * 1024),
                MAX_UNPACKED_BYTES / (1024 * 1024)
            ),
        ));
    }
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| not_workbook(e.to_string()))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(not_workbook("no worksheet".into()));
    };
    let sheet = Some(name.clone());
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| not_workbook(e.to_string()))?;
    let mut rows: BTreeMap<u32, BTreeMap<u32, Cell>> = BTreeMap::new();
    let mut count = 0usize;
    loop {
        let next = reader.next_cell().map_err(|e| {
            refused(
                file,
                sheet.clone(),
                format!("工作表无法读取（{e}）：请在 Excel 中打开后重新保存"),
                format!("the worksheet cannot be read ({e}): open it in Excel and save it again"),
            )
        })?;
        let Some(c) = next else { break };
        let Some(value) = cell(c.get_value()) else {
            continue;
        };
        count += 1;
        if count > MAX_CELLS {
            return Err(refused(
                file,
                sheet,
                format!("工作表超过 {MAX_CELLS} 个非空单元格：每行只录一张评分表，请删去其他内容"),
                format!(
                    "the worksheet has more than {MAX_CELLS} cells that are not empty: one row per sheet, remove anything else"
                ),
            ));
        }
        let (r, col) = c.get_position();
        if col >= MAX_COLUMNS {
            return Err(PaperError {
                row: Some(r as usize + 1),
                column: Some(Box::new((
                    col as usize,
                    Text::new("表外", "outside the layout"),
                ))),
                ..refused(
                    file,
                    sheet,
                    "评分表之外的单元格有内容：请删去该单元格".into(),
                    "a cell far outside the score sheet's columns holds something: delete it"
                        .into(),
                )
            });
        }
        rows.entry(r).or_default().insert(col, value);
    }
    let rows = rows
        .into_iter()
        .map(|(r, cells)| {
            let width = cells.keys().next_back().map_or(0, |c| *c as usize + 1);
            let mut line = vec![Cell::Text(String::new()); width];
            for (c, v) in cells {
                line[c as usize] = v;
            }
            (r as usize + 1, line)
        })
        .collect();
    Ok(Grid { sheet, rows })
}
