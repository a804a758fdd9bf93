//! Reading one keying of paper score sheets (CSV, UTF-8 or GB18030, as a spreadsheet saves it):
//! a header row `expert, dossier, <one column per criterion>, recommend, opinion`, then one row
//! per signed sheet. A criterion column is headed by its id (`infrastructure`) or its Chinese
//! name (信息基础设施), as on the printed score sheet; `recommend` takes 是/否, yes/no, y/n, 1/0.
//! Every refusal names the file, the line and the column, and says how to fix it.

use std::path::Path;

use crate::domain::paper::PaperSheet;
use crate::domain::{Criteria, Text};

/// Why a keyed file cannot be read; nothing of it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperError {
    pub file: String,
    pub line: Option<usize>,
    pub text: Text,
}

impl PaperError {
    /// The refusal in both languages, naming the file and line.
    pub fn text(&self) -> Text {
        let at = match self.line {
            Some(l) => format!("{}:{l}", self.file),
            None => self.file.clone(),
        };
        Text::new(
            format!("{at}：{}", self.text.zh),
            format!("{at}: {}", self.text.en),
        )
    }
}

fn recommend(v: &str) -> Option<Option<bool>> {
    match v.trim().to_lowercase().as_str() {
        "" => Some(None),
        "是" | "推荐" | "yes" | "y" | "1" | "true" => Some(Some(true)),
        "否" | "不推荐" | "no" | "n" | "0" | "false" => Some(Some(false)),
        _ => None,
    }
}

/// Read one keying. Cells are trimmed; an empty criterion cell is kept as empty (the
/// comparison reports it).
pub fn read_keying(criteria: &Criteria, path: &Path) -> Result<Vec<PaperSheet>, PaperError> {
    let file = path.display().to_string();
    let err = |line: Option<usize>, zh: String, en: String| PaperError {
        file: file.clone(),
        line,
        text: Text::new(zh, en),
    };
    let bytes =
        super::read::read_capped(path, super::read::MAX_FILE_BYTES).map_err(|e| PaperError {
            file: file.clone(),
            line: None,
            text: super::read::describe(&e, &file).0,
        })?;
    let (text, _) = super::encoding::decode(&bytes).map_err(|e| {
        err(
            None,
            format!("不是文本文件（{e:?}）：请另存为 CSV（UTF-8）"),
            format!("not a text file ({e:?}): save it as CSV (UTF-8)"),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(err(
                Some(1),
                format!("CSV 格式错误：{e}"),
                format!("not valid CSV: {e}"),
            ));
        }
        None => {
            return Err(err(
                None,
                "文件是空的：第一行应为表头 expert, dossier, 各评分项, recommend, opinion".into(),
                "the file is empty: the first row must be the header expert, dossier, the criteria, recommend, opinion".into(),
            ));
        }
    };
    let rubric = &criteria.rubric;
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let need = |col: Option<usize>, name: &str| {
        col.ok_or_else(|| {
            err(
                Some(1),
                format!("表头缺少「{name}」列：第一行应为 expert, dossier, 各评分项, recommend, opinion"),
                format!("the header has no `{name}` column: the first row must be expert, dossier, the criteria, recommend, opinion"),
            )
        })
    };
    let expert_col = need(column("expert").or_else(|| column("专家")), "expert")?;
    let dossier_col = need(column("dossier").or_else(|| column("申报书")), "dossier")?;
    let recommend_col = need(
        column("recommend").or_else(|| column("是否推荐")),
        "recommend",
    )?;
    let opinion_col = need(column("opinion").or_else(|| column("评审意见")), "opinion")?;
    let mut criterion_cols = Vec::new();
    for c in &rubric.criteria {
        let col = column(&c.id).or_else(|| column(&c.name_zh));
        criterion_cols.push((c, need(col, &c.id)?));
    }
    let known = criterion_cols.len() + 4;
    if header.len() > known {
        let extra: Vec<&str> = header
            .iter()
            .filter(|h| {
                let h = h.trim();
                ![
                    "expert",
                    "专家",
                    "dossier",
                    "申报书",
                    "recommend",
                    "是否推荐",
                    "opinion",
                    "评审意见",
                ]
                .contains(&h)
                    && !rubric.criteria.iter().any(|c| c.id == h || c.name_zh == h)
            })
            .collect();
        return Err(err(
            Some(1),
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
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (i, record) in records.enumerate() {
        let line = i + 2;
        let row = record.map_err(|e| {
            err(
                Some(line),
                format!("CSV 格式错误：{e}"),
                format!("not valid CSV: {e}"),
            )
        })?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |col: usize| row.get(col).unwrap_or("").trim().to_string();
        let expert = cell(expert_col);
        let dossier = cell(dossier_col);
        if expert.is_empty() || dossier.is_empty() {
            return Err(err(
                Some(line),
                "专家编号或申报书编号为空：每行填写一张评分表的 expert 和 dossier".into(),
                "expert or dossier is empty: each row is one sheet, with its expert and dossier"
                    .into(),
            ));
        }
        if let Some(first) = seen.insert((expert.clone(), dossier.clone()), line) {
            return Err(err(
                Some(line),
                format!("{expert} 对 {dossier} 的评分表已在第 {first} 行录入：每张评分表只录一行"),
                format!(
                    "the sheet of {expert} on {dossier} was already keyed on line {first}: one row per sheet"
                ),
            ));
        }
        let mut points = Vec::new();
        for (c, col) in &criterion_cols {
            let v = cell(*col);
            let p = if v.is_empty() {
                None
            } else {
                Some(v.parse::<f64>().ok().filter(|p| p.is_finite()).ok_or_else(|| {
                    err(
                        Some(line),
                        format!("「{}」列的「{v}」不是分数：请填数字，如 8 或 7.5", c.name_zh),
                        format!("column {}: `{v}` is not points: write a number such as 8 or 7.5", c.id),
                    )
                })?)
            };
            points.push((c.id.clone(), p));
        }
        let r = cell(recommend_col);
        let recommend = recommend(&r).ok_or_else(|| {
            err(
                Some(line),
                format!("recommend 列的「{r}」无法识别：请填 是 或 否"),
                format!("column recommend: `{r}` is not yes or no: write 是/否 or yes/no"),
            )
        })?;
        out.push(PaperSheet {
            expert_id: expert,
            dossier,
            points,
            recommend,
            opinion: cell(opinion_col),
            line,
        });
    }
    Ok(out)
}
