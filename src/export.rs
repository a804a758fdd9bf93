//! Exports of the ranking and the selection with the full score breakdown, as CSV, XLSX and
//! JSON, for other tools and for the ministry's own spreadsheets.
//!
//! Before a list is sealed the outcome column is the current selection (入选 / 备选第N位 /
//! 未入选 with the reason). Once a list is sealed it is what the publicity made of each unit
//! (入选 / 异议成立撤销 / 递补 / 备选 / 未入选), never a fresh selection. [`files`] builds every
//! file for `shifan export` and the dashboard's `g` alike.

use serde::Serialize;
use thiserror::Error;

use crate::domain::access::User;
use crate::domain::publicity::{Outcome, Publicity};
use crate::domain::scoring::Sheet;
use crate::domain::selection::Constraints;
use crate::domain::{Criteria, Text};
use crate::store::{SelectedRound, Store, StoreError};

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Reading the round (boxed: a store error is large).
    #[error(transparent)]
    Store(Box<StoreError>),
}

impl ExportError {
    /// The failure in both languages (a store refusal keeps its own text).
    pub fn text(&self) -> Text {
        match self {
            ExportError::Csv(e) => Text::new(
                format!("无法生成 CSV：{e}"),
                format!("cannot write the CSV: {e}"),
            ),
            ExportError::Xlsx(e) => Text::new(
                format!("无法生成电子表格：{e}"),
                format!("cannot write the spreadsheet: {e}"),
            ),
            ExportError::Json(e) => Text::new(
                format!("无法生成 JSON：{e}"),
                format!("cannot write the JSON: {e}"),
            ),
            ExportError::Store(e) => e.text(),
        }
    }
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(Box::new(e))
    }
}

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Number(f64),
    Flag(bool),
    Empty,
}

/// Excel's limit on the text of one cell, in UTF-16 code units.
pub const CELL_LIMIT: usize = 32_767;

/// What ends a text cut to [`CELL_LIMIT`] (the full text stays in `round.json`).
pub const CUT_MARKER: &str = "…[截断/truncated]";

/// `s` as a spreadsheet may hold it: whole when within [`CELL_LIMIT`], else cut at a character
/// boundary and ended by [`CUT_MARKER`], the whole within the limit.
pub fn within_cell_limit(s: &str) -> std::borrow::Cow<'_, str> {
    let units = |t: &str| t.encode_utf16().count();
    if units(s) <= CELL_LIMIT {
        return std::borrow::Cow::Borrowed(s);
    }
    let room = CELL_LIMIT - units(CUT_MARKER);
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
    }
    std::borrow::Cow::Owned(format!("{}{CUT_MARKER}", &s[..end]))
}

/// A text a spreadsheet program would run as a formula (or a DDE command) when it starts with
/// one of these; such a cell gets a leading apostrophe, the usual neutraliser.
fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A number as written: `-0` (the sum of no points) is 0.
fn number(n: f64) -> f64 {
    n + 0.0
}

impl Cell {
    /// The cell as CSV text: a text is kept as text (a formula-like start neutralised, cut to
    /// the cell limit), numbers as numbers, flags 是/否 in Chinese, yes/no in English.
    fn csv(&self, en: bool) -> String {
        match self {
            Cell::Text(s) => {
                let s = within_cell_limit(s);
                if looks_like_formula(&s) {
                    format!("'{s}")
                } else {
                    s.into_owned()
                }
            }
            Cell::Number(n) => format!("{}", number(*n)),
            Cell::Flag(b) => flag(*b, en).to_string(),
            Cell::Empty => String::new(),
        }
    }
}

fn flag(b: bool, en: bool) -> &'static str {
    match (b, en) {
        (true, false) => "是",
        (false, false) => "否",
        (true, true) => "yes",
        (false, true) => "no",
    }
}

/// A table: named columns (`keys` for JSON, `headers` as shown) and rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    /// Headers and flags in English (else Chinese: 是/否).
    pub en: bool,
    pub keys: Vec<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The rows as JSON objects keyed by column key: texts whole (never cut), flags as booleans.
    pub fn json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        self.keys
                            .iter()
                            .zip(r)
                            .map(|(k, c)| {
                                let c = match c {
                                    Cell::Number(n) => Cell::Number(number(*n)),
                                    other => other.clone(),
                                };
                                (k.clone(), serde_json::to_value(c).unwrap_or_default())
                            })
                            .collect(),
                    )
                })
                .collect(),
        )
    }

    /// CSV in UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese.
    pub fn csv(&self) -> Result<Vec<u8>, ExportError> {
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        w.write_record(&self.headers)?;
        for r in &self.rows {
            w.write_record(r.iter().map(|c| c.csv(self.en)))?;
        }
        w.into_inner()
            .map_err(|e| ExportError::Csv(csv::Error::from(e.into_error())))
    }
}

/// Several tables as the sheets of one workbook.
pub fn xlsx(tables: &[&Table]) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(&t.name)?;
        for (c, h) in t.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
            let width = t
                .rows
                .iter()
                .filter_map(|r| match r.get(c) {
                    Some(Cell::Text(s)) => Some(unicode_width::UnicodeWidthStr::width(s.as_str())),
                    _ => None,
                })
                .chain([unicode_width::UnicodeWidthStr::width(h.as_str()), 8])
                .max()
                .unwrap_or(8)
                .min(60);
            sheet.set_column_width(c as u16, width as f64 + 1.0)?;
        }
        for (i, r) in t.rows.iter().enumerate() {
            let row = i as u32 + 1;
            for (c, cell) in r.iter().enumerate() {
                let col = c as u16;
                match cell {
                    // Strings stay strings (never a formula), cut to Excel's limit.
                    Cell::Text(s) => sheet.write_string(row, col, within_cell_limit(s))?,
                    Cell::Number(n) => sheet.write_number(row, col, number(*n))?,
                    Cell::Flag(b) => sheet.write_string(row, col, flag(*b, t.en))?,
                    Cell::Empty => sheet,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cells: Vec<Cell>, en: bool) -> Table {
        Table {
            name: "t".into(),
            en,
            keys: (0..cells.len()).map(|i| format!("k{i}")).collect(),
            headers: (0..cells.len()).map(|i| format!("h{i}")).collect(),
            rows: vec![cells],
        }
    }

    fn csv_row(t: &Table) -> Vec<String> {
        let bytes = t.csv().unwrap();
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        r.records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn text_cells_that_start_a_formula_are_neutralised_and_numbers_are_not() {
        let t = table(
            vec![
                Cell::Text("=1+2".into()),
                Cell::Text("+86 571".into()),
                Cell::Text("-1.5".into()),
                Cell::Text("@SUM(A1)".into()),
                Cell::Text("\tx".into()),
                Cell::Text("\rx".into()),
                Cell::Text("a=b".into()),
                Cell::Number(-1.5),
                Cell::Number(-0.0),
                Cell::Flag(true),
                Cell::Flag(false),
                Cell::Empty,
            ],
            false,
        );
        assert_eq!(
            csv_row(&t),
            [
                "'=1+2",
                "'+86 571",
                "'-1.5",
                "'@SUM(A1)",
                "'\tx",
                "'\rx",
                "a=b",
                "-1.5",
                "0",
                "是",
                "否",
                ""
            ]
        );
        let en = table(vec![Cell::Flag(true), Cell::Flag(false)], true);
        assert_eq!(csv_row(&en), ["yes", "no"]);
        // JSON keeps texts and flags as they are.
        assert_eq!(t.json()[0]["k0"], "=1+2");
        assert_eq!(t.json()[0]["k9"], true);
        assert_eq!(t.json()[0]["k8"], 0.0);
        assert!(xlsx(&[&t]).is_ok());
    }

    #[test]
    fn a_text_over_the_cell_limit_is_cut_with_a_marker_within_the_limit() {
        assert_eq!(within_cell_limit("短"), "短");
        let exact = "a".repeat(CELL_LIMIT);
        assert_eq!(within_cell_limit(&exact), exact);
        // Characters outside the BMP take two UTF-16 units: the cut never splits one.
        let long = "😀".repeat(20_000);
        let cut = within_cell_limit(&long);
        assert!(cut.ends_with(CUT_MARKER));
        assert!(cut.encode_utf16().count() <= CELL_LIMIT);
        assert!(cut.encode_utf16().count() >= CELL_LIMIT - 1);
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The ranking with each dossier's outcome: in the selection `s`, or once a list is sealed
/// (`sealed`: the publicity holding it), in the publicity.
pub fn ranking_table(
    criteria: &Criteria,
    s: &SelectedRound,
    sealed: Option<&Publicity>,
    lang: &str,
) -> Table {
    let en = lang == "en";
    let h = |zh: &str, e: &str| if en { e.to_string() } else { zh.to_string() };
    let ranking = &s.round.ranking;
    let groups: Vec<String> = ranking
        .rows
        .first()
        .map(|r| r.group_means.iter().map(|(g, _)| g.to_string()).collect())
        .unwrap_or_default();
    let group_name = |id: &str| {
        criteria
            .rubric
            .groups
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| {
                if en {
                    g.name_en.clone()
                } else {
                    g.name_zh.clone()
                }
            })
    };
    let mut keys: Vec<String> = [
        "rank",
        "code",
        "province",
        "type",
        "applicant",
        "trimmed_mean",
        "standardised",
        "aggregate",
        "spread",
        "std_dev",
        "flagged",
        "sheets",
        "recommend_votes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut headers = vec![
        h("名次", "rank"),
        h("编号", "dossier"),
        h("省份", "province"),
        h("类型", "type"),
        h("申报单位", "applicant"),
        h("去极值平均分", "trimmed mean"),
        h("标准化值", "standardised"),
        h("排名依据分", "aggregate"),
        h("极差", "spread"),
        h("标准差", "standard deviation"),
        h("需讨论", "flagged"),
        h("评分表数", "sheets"),
        h("推荐票数", "recommend votes"),
    ];
    for g in &groups {
        keys.push(format!("mean_{g}"));
        headers.push(if en {
            format!("mean {}", group_name(g))
        } else {
            format!("{}平均分", group_name(g))
        });
    }
    keys.extend(["outcome".to_string(), "reason".to_string()]);
    headers.extend([h("遴选结果", "outcome"), h("说明", "reason")]);
    let rows = ranking
        .rows
        .iter()
        .map(|r| {
            let province = criteria
                .province_text(&r.province_key)
                .get(lang)
                .to_string();
            let type_text = |id: &str| criteria.type_text(id);
            let not_selected = || {
                let why = s
                    .selection
                    .exclusion(&r.code)
                    .map(|e| e.text(r.rank, &province, type_text).get(lang).to_string())
                    .unwrap_or_default();
                (h("未入选", "not selected"), why)
            };
            let (outcome, reason) = if let Some(p) = sealed {
                match p.outcome(&r.code) {
                    Some(o) => (
                        o.text().get(lang).to_string(),
                        publicity_reason(p, &r.code, o).get(lang).to_string(),
                    ),
                    None => not_selected(),
                }
            } else if s.selection.selected.contains(&r.code) {
                (h("入选", "selected"), String::new())
            } else if let Some(i) = s.selection.reserve.iter().position(|c| c == &r.code) {
                (
                    if en {
                        format!("reserve {}", i + 1)
                    } else {
                        format!("备选第{}位", i + 1)
                    },
                    String::new(),
                )
            } else {
                not_selected()
            };
            let mut row = vec![
                Cell::Number(r.rank as f64),
                Cell::Text(r.code.clone()),
                Cell::Text(province.clone()),
                Cell::Text(type_text(&r.type_id).get(lang).to_string()),
                Cell::Text(s.round.applicants.get(&r.code).cloned().unwrap_or_default()),
                Cell::Number(round2(r.trimmed_mean)),
                Cell::Number(round2(r.standardised)),
                Cell::Number(round2(r.aggregate)),
                Cell::Number(round2(r.spread)),
                Cell::Number(round2(r.std_dev)),
                Cell::Flag(r.flagged),
                Cell::Number(r.sheets as f64),
                Cell::Number(r.recommend_votes as f64),
            ];
            for g in &groups {
                row.push(
                    r.group_means
                        .iter()
                        .find(|(x, _)| **x == **g)
                        .map_or(Cell::Empty, |(_, v)| Cell::Number(round2(*v))),
                );
            }
            row.push(Cell::Text(outcome));
            row.push(Cell::Text(reason));
            row
        })
        .collect();
    Table {
        name: h("排名与遴选", "ranking"),
        en,
        keys,
        headers,
        rows,
    }
}

/// Why a unit has its outcome in the publicity: the upheld objection that removed it, the unit
/// whose place it took (and its supplementary period), its place on the reserve.
fn publicity_reason(p: &Publicity, code: &str, outcome: Outcome) -> Text {
    let none = || Text::new("", "");
    match outcome {
        Outcome::Selected => none(),
        Outcome::RemovedUpheld => {
            let Some(c) = p.changes().iter().find(|c| c.removed == code) else {
                return none();
            };
            let o = p.objections().iter().find(|o| o.id == c.objection);
            let note = o
                .and_then(|o| o.resolution.as_ref())
                .map_or("", |r| r.note());
            let (zh_on, en_on) = match o.and_then(|o| o.resolved_on) {
                Some(d) => (format!("（{d}）"), format!(" on {d}")),
                None => (String::new(), String::new()),
            };
            Text::new(
                format!("异议 #{} 成立{zh_on}：{note}", c.objection),
                format!("objection #{} upheld{en_on}: {note}", c.objection),
            )
        }
        Outcome::Promoted => {
            let Some(c) = p.changes().iter().find(|c| c.filled_by() == Some(code)) else {
                return none();
            };
            let mut zh = format!("接替 {}（异议 #{} 成立）", c.removed, c.objection);
            let mut en = format!(
                "in place of {} (objection #{} upheld)",
                c.removed, c.objection
            );
            if let Some(m) = &c.ministry {
                zh.push_str(&format!("，部里决定：{}", m.reason));
                en.push_str(&format!(", the ministry's choice: {}", m.reason));
            }
            if let Some(period) = p.periods().iter().find(|pd| pd.code() == Some(code)) {
                let t = period.text();
                zh.push_str(&format!("；{}", t.zh));
                en.push_str(&format!("; {}", t.en));
            }
            Text::new(zh, en)
        }
        Outcome::Reserve => match p.reserve().iter().position(|e| e.code == code) {
            Some(i) => Text::new(format!("备选第{}位", i + 1), format!("reserve {}", i + 1)),
            None => none(),
        },
    }
}

/// One exported file.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// `ranking.csv`, `scores.csv`, `round.xlsx` or `round.json`.
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Every export of the round as it stands (ministry staff), headers and outcomes in `lang`
/// (`zh` or `en`): `ranking.csv` and `scores.csv` (UTF-8 with BOM), `round.xlsx` with both as
/// sheets, and `round.json`.
///
/// `round.json` holds `phase`, `list_hash` (the seal, once sealed), `inputs_hash`,
/// `constraints`, `selected` and `reserve` (codes: before sealing the current selection; once
/// sealed the list as it stands and the reserve units not promoted), `sealed` (the proposed
/// list), `current` (the list as it stands), `confirmed` (the list once confirmed, else
/// null), `objections` (with the objector: this is the ministry's own file), `changes`,
/// `periods` (main and supplementary), `audit_head` (`SEQ:HASH` when exported), `ranking` and
/// `scores` (the two tables' rows).
pub fn files(
    criteria: &Criteria,
    store: &mut Store,
    actor: &User,
    lang: &str,
) -> Result<Vec<ExportFile>, ExportError> {
    let constraints = Constraints::from_criteria(criteria);
    let selected = store.selection(criteria, actor, &constraints, false)?;
    let sheets = store.all_sheets(actor)?;
    let publicity = store.publicity(actor)?;
    let phase = store.round_phase()?;
    let audit_head = store.audit_head()?;
    let sealed = publicity.list_hash().is_some().then_some(&publicity);
    let ranking = ranking_table(criteria, &selected, sealed, lang);
    let scores = scores_table(criteria, &sheets, lang);
    let (listed, reserve): (Vec<String>, Vec<String>) = match sealed {
        Some(p) => {
            let filled: Vec<&str> = p.changes().iter().filter_map(|c| c.filled_by()).collect();
            (
                p.current_list().into_iter().map(|e| e.code).collect(),
                p.reserve()
                    .iter()
                    .filter(|e| !filled.contains(&e.code.as_str()))
                    .map(|e| e.code.clone())
                    .collect(),
            )
        }
        None => (
            selected.selection.selected.clone(),
            selected.selection.reserve.clone(),
        ),
    };
    let json = serde_json::json!({
        "phase": phase,
        "list_hash": publicity.list_hash(),
        "inputs_hash": selected.round.ranking.inputs_hash,
        "constraints": selected.constraints,
        "selected": listed,
        "reserve": reserve,
        "sealed": sealed.map(|p| p.proposed_list()),
        "current": sealed.map(|p| p.current_list()),
        "confirmed": publicity.confirmed_list(),
        "objections": publicity.objections(),
        "changes": publicity.changes(),
        "periods": publicity.periods(),
        "audit_head": audit_head,
        "ranking": ranking.json(),
        "scores": scores.json(),
    });
    Ok(vec![
        ExportFile {
            name: "ranking.csv",
            bytes: ranking.csv()?,
        },
        ExportFile {
            name: "scores.csv",
            bytes: scores.csv()?,
        },
        ExportFile {
            name: "round.xlsx",
            bytes: xlsx(&[&ranking, &scores])?,
        },
        ExportFile {
            name: "round.json",
            bytes: serde_json::to_vec_pretty(&json)?,
        },
    ])
}

/// Every sheet with its points per criterion: the full score breakdown.
pub fn scores_table(criteria: &Criteria, sheets: &[Sheet], lang: &str) -> Table {
    let en = lang == "en";
    let h = |zh: &str, e: &str| if en { e.to_string() } else { zh.to_string() };
    let mut keys = vec!["code".to_string(), "expert".to_string()];
    let mut headers = vec![h("编号", "dossier"), h("专家", "expert")];
    for c in &criteria.rubric.criteria {
        keys.push(c.id.clone());
        headers.push(format!(
            "{}（{}）",
            if en { &c.name_en } else { &c.name_zh },
            c.max
        ));
    }
    keys.extend(["total", "recommend", "submitted", "opinion"].map(String::from));
    headers.extend([
        h("合计", "total"),
        h("推荐", "recommend"),
        h("已提交", "submitted"),
        h("评审意见", "opinion"),
    ]);
    let rows = sheets
        .iter()
        .map(|s| {
            let mut row = vec![
                Cell::Text(s.dossier.clone()),
                Cell::Text(s.expert_id.clone()),
            ];
            for c in &criteria.rubric.criteria {
                row.push(s.points(&c.id).map_or(Cell::Empty, Cell::Number));
            }
            row.push(Cell::Number(s.total()));
            row.push(s.recommend.map_or(Cell::Empty, Cell::Flag));
            row.push(Cell::Flag(s.submitted));
            row.push(Cell::Text(s.opinion.clone()));
            row
        })
        .collect();
    Table {
        name: h("评分明细", "scores"),
        en,
        keys,
        headers,
        rows,
    }
}
