//! The empty keying workbook a clerk types paper score sheets into (`shifan scores template`):
//! one worksheet 「评分表」 in the layout [`crate::input::paper::read_keying`] reads, the header
//! row (专家, 申报书, one column per criterion by its Chinese name, 是否推荐, 评审意见) and one
//! row per open sheet with its expert and dossier filled in. Excel itself then holds back what
//! the reader would refuse: points outside 0..max (the step is checked at import, as in the
//! scoring screen), a recommendation other than 是/否; the id columns are text, so that a code
//! such as 「3-12」 is never turned into a date.

use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook, XlsxError};

use crate::domain::Criteria;
use crate::input::paper::template_header;

/// The worksheet's name (what refusals at import name).
pub const SHEET: &str = "评分表";

/// Rows below the filled ones that keep the checks, for sheets added by hand.
const SPARE_ROWS: u32 = 50;

/// The workbook's bytes: `rows` are (expert id, dossier code), in the order to key them.
pub fn workbook(criteria: &Criteria, rows: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let header = template_header(criteria);
    let criteria_n = criteria.rubric.criteria.len() as u16;
    let (recommend_col, opinion_col) = (2 + criteria_n, 3 + criteria_n);
    let last = rows.len() as u32 + SPARE_ROWS;
    for (c, h) in header.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, h, &bold)?;
        let width = unicode_width::UnicodeWidthStr::width(h.as_str()).max(6);
        sheet.set_column_width(c, width as f64 + 2.0)?;
    }
    for c in [0, 1, recommend_col] {
        sheet.set_column_format(c, &text)?;
    }
    sheet.set_column_format(opinion_col, &text.clone().set_text_wrap())?;
    sheet.set_column_width(opinion_col, 60.0)?;
    for (i, (expert, dossier)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string_with_format(r, 0, expert, &text)?;
        sheet.write_string_with_format(r, 1, dossier, &text)?;
    }
    for (i, c) in criteria.rubric.criteria.iter().enumerate() {
        let col = 2 + i as u16;
        let rule = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, c.max))
            .set_input_title(format!("{}（满分 {}）", c.name_zh, c.max))?
            .set_input_message(format!("0 至 {} 分，按 {} 分一档", c.max, c.step))?
            .set_error_title("分数超出范围")?
            .set_error_message(format!("「{}」只能填 0 至 {} 分", c.name_zh, c.max))?;
        sheet.add_data_validation(1, col, last, col, &rule)?;
    }
    let yes_no = DataValidation::new()
        .allow_list_strings(&["是", "否"])?
        .set_error_message("是否推荐只能填「是」或「否」")?;
    sheet.add_data_validation(1, recommend_col, last, recommend_col, &yes_no)?;
    sheet.set_freeze_panes(1, 2)?;
    book.save_to_buffer()
}
