//! Walking a spanned TOML tree by hand: every value read checks its type, every table reports
//! keys it does not know, and every problem becomes a finding with file, line, column and field.

use std::ops::Range;

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::source::SourceText;
use crate::domain::names::{closest, fold, has_full_width};
use crate::domain::text_rules::check_text;
use crate::domain::{Code, Finding, Pos, Text};

/// A table being read, with its field-path prefix and where it starts.
pub struct Tbl<'t, 'i> {
    pub table: &'t DeTable<'i>,
    /// `""` for the document, `"applicant."` for `[applicant]`.
    pub prefix: String,
    pub pos: Pos,
}

/// Reads values out of one parsed file and collects findings.
pub struct Walker<'s> {
    pub src: &'s SourceText,
    pub findings: Vec<Finding>,
}

fn type_name(v: &DeValue) -> (&'static str, &'static str) {
    match v {
        DeValue::String(_) => ("文字", "text"),
        DeValue::Integer(_) => ("整数", "an integer"),
        DeValue::Float(_) => ("小数", "a decimal number"),
        DeValue::Boolean(_) => ("布尔值", "a boolean"),
        DeValue::Datetime(_) => ("日期时间", "a date/time"),
        DeValue::Array(_) => ("列表", "a list"),
        DeValue::Table(_) => ("表", "a table"),
    }
}

/// The TOML type name of a value, for evidence values of unexpected shape.
pub fn toml_type(v: &DeValue) -> &'static str {
    type_name(v).1
}

/// Integer value of a TOML integer literal, if it fits in i64.
pub fn int_value(v: &DeValue) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

impl<'s> Walker<'s> {
    pub fn new(src: &'s SourceText) -> Self {
        Walker {
            src,
            findings: Vec::new(),
        }
    }

    pub fn pos(&self, span: &Range<usize>) -> Pos {
        self.src.pos(span.start)
    }

    fn push(&mut self, code: Code, pos: Option<Pos>, field: &str, msg: Text, hint: Text) {
        self.findings
            .push(Finding::new(code, &self.src.file, pos, field, msg, hint));
    }

    /// Parse the document; a syntax error becomes one finding (with a hint for the usual
    /// causes: full-width digits or punctuation, unquoted text).
    pub fn parse(&mut self) -> Option<Spanned<DeTable<'s>>> {
        match DeTable::parse(&self.src.text) {
            Ok(t) => Some(t),
            Err(e) => {
                let pos = e.span().map(|s| self.src.pos(s.start));
                let line = pos.map_or("", |p| self.src.line(p.line));
                let message = e.message().trim().replace('\n', "; ");
                let hint = if has_full_width(line) || line.contains(['“', '”', '＝', '，']) {
                    Text::new(
                        "此行含全角字符：数字、等号、引号须为半角（如 26、=、\"），中文内容须放在半角双引号内",
                        "this line holds full-width characters: digits, = and quotes must be half-width (26, =, \"); Chinese text goes inside half-width double quotes",
                    )
                } else {
                    Text::new(
                        "检查此行的引号、方括号和等号；文字须写在双引号内，日期写作 2026-05-28",
                        "check the quotes, brackets and = on this line; text goes in double quotes, dates as 2026-05-28",
                    )
                };
                self.push(
                    Code::Syntax,
                    pos,
                    "",
                    Text::new(
                        format!("TOML 语法错误：{message}"),
                        format!("TOML syntax error: {message}"),
                    ),
                    hint,
                );
                None
            }
        }
    }

    /// Report keys of `t` that are not in `known` (with "did you mean" when one is close).
    pub fn unknown_keys(&mut self, t: &Tbl, known: &[&str]) {
        for (k, _) in t.table.iter() {
            let key: &str = k.get_ref();
            if known.contains(&key) {
                continue;
            }
            let field = format!("{}{key}", t.prefix);
            let hint = match closest(key, known.iter().copied()) {
                Some(n) => Text::new(format!("是否指「{n}」？"), format!("did you mean \"{n}\"?")),
                None => Text::new(
                    format!("可用的键：{}", known.join(", ")),
                    format!("known keys: {}", known.join(", ")),
                ),
            };
            let pos = Some(self.pos(&k.span()));
            self.push(
                Code::UnknownKey,
                pos,
                &field,
                Text::new(
                    format!("未知的键「{field}」，已忽略"),
                    format!("unknown key \"{field}\", ignored"),
                ),
                hint,
            );
        }
    }

    fn missing(&mut self, t: &Tbl, key: &str, example: &str) {
        let field = format!("{}{key}", t.prefix);
        let section = t.prefix.trim_end_matches('.');
        let (zh, en) = if section.is_empty() {
            (
                format!("缺少必填项「{field}」"),
                format!("required field \"{field}\" is missing"),
            )
        } else {
            (
                format!("[{section}] 缺少必填项「{key}」"),
                format!("[{section}] lacks the required field \"{key}\""),
            )
        };
        self.push(
            Code::MissingField,
            Some(t.pos),
            &field,
            Text::new(zh, en),
            Text::new(
                format!("加上：{key} = {example}"),
                format!("add: {key} = {example}"),
            ),
        );
    }

    fn wrong_type(
        &mut self,
        field: &str,
        v: &Spanned<DeValue>,
        want_zh: &str,
        want_en: &str,
        example: &str,
    ) {
        let (got_zh, got_en) = type_name(v.get_ref());
        let pos = Some(self.pos(&v.span()));
        let key = field.rsplit('.').next().unwrap_or(field);
        self.push(
            Code::ValueType,
            pos,
            field,
            Text::new(
                format!("「{field}」应为{want_zh}，实为{got_zh}"),
                format!("\"{field}\" must be {want_en}, not {got_en}"),
            ),
            Text::new(
                format!("例如：{key} = {example}"),
                format!("for example: {key} = {example}"),
            ),
        );
    }

    /// A sub-table; `None` (reported when required) if absent or not a table.
    pub fn table<'t, 'i>(
        &mut self,
        t: &Tbl<'t, 'i>,
        key: &str,
        required: bool,
    ) -> Option<Tbl<'t, 'i>> {
        let field = || format!("{}{key}", t.prefix);
        match t.table.get(key) {
            None => {
                if required {
                    let hint = format!("[{}]", field());
                    self.missing(t, key, &hint);
                }
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::Table(inner) => Some(Tbl {
                    table: inner,
                    prefix: format!("{}.", field()),
                    pos: self.pos(&v.span()),
                }),
                _ => {
                    self.wrong_type(&field(), v, "表", "a table", &format!("[{}]", field()));
                    None
                }
            },
        }
    }

    /// A text value. Required texts must be present and not blank.
    pub fn text(&mut self, t: &Tbl, key: &str, required: bool) -> Option<Spanned<String>> {
        let field = || format!("{}{key}", t.prefix);
        let Some(v) = t.table.get(key) else {
            if required {
                self.missing(t, key, "\"…\"");
            }
            return None;
        };
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(
                &field(),
                v,
                "文字（加双引号）",
                "text (in double quotes)",
                "\"…\"",
            );
            return None;
        };
        // Blank (spaces and invisible characters only), too long, hidden characters; the field
        // named and placed only when something is found.
        if crate::domain::text_rules::text_is_clean(key, s, required) {
            return Some(Spanned::new(v.span(), s.to_string()));
        }
        let pos = Some(self.pos(&v.span()));
        let (mut found, usable) = check_text(&self.src.file, pos, &field(), s, required);
        self.findings.append(&mut found);
        if !usable {
            return None;
        }
        Some(Spanned::new(v.span(), s.to_string()))
    }

    /// An integer, at least `min`. A quoted number ("26", "２６") is read with a warning.
    pub fn int(&mut self, t: &Tbl, key: &str, required: bool, min: i64) -> Option<Spanned<i64>> {
        let field = || format!("{}{key}", t.prefix);
        let Some(v) = t.table.get(key) else {
            if required {
                self.missing(t, key, "12");
            }
            return None;
        };
        let pos = Some(self.pos(&v.span()));
        let n = match v.get_ref() {
            DeValue::Integer(_) => match int_value(v.get_ref()) {
                Some(n) => n,
                None => {
                    self.wrong_type(&field(), v, "整数", "an integer", "12");
                    return None;
                }
            },
            DeValue::String(s) => match fold(s).replace([',', '_'], "").parse::<i64>() {
                Ok(n) => {
                    let field = field();
                    let full = has_full_width(s);
                    self.push(
                        Code::NumberAsText,
                        pos,
                        &field,
                        Text::new(
                            format!(
                                "「{field}」写成了{}文字「{s}」，已按数字 {n} 读取",
                                if full { "全角" } else { "" }
                            ),
                            format!(
                                "\"{field}\" is {}text \"{s}\"; read as the number {n}",
                                if full { "full-width " } else { "" }
                            ),
                        ),
                        Text::new(
                            format!("去掉引号，用半角数字：{key} = {n}"),
                            format!("drop the quotes, half-width digits: {key} = {n}"),
                        ),
                    );
                    n
                }
                Err(_) => {
                    self.wrong_type(&field(), v, "整数", "an integer", "12");
                    return None;
                }
            },
            _ => {
                self.wrong_type(&field(), v, "整数", "an integer", "12");
                return None;
            }
        };
        if n < min {
            let field = field();
            self.push(
                Code::ValueRange,
                pos,
                &field,
                Text::new(
                    format!("「{field}」为 {n}，不能小于 {min}"),
                    format!("\"{field}\" is {n}; it must be at least {min}"),
                ),
                Text::new(
                    format!("填写不小于 {min} 的整数"),
                    format!("write a whole number of at least {min}"),
                ),
            );
            return None;
        }
        Some(Spanned::new(v.span(), n))
    }

    /// A TOML date (2026-05-28, no quotes, no time).
    pub fn date(&mut self, t: &Tbl, key: &str, required: bool) -> Option<Spanned<Date>> {
        let field = || format!("{}{key}", t.prefix);
        let Some(v) = t.table.get(key) else {
            if required {
                self.missing(t, key, "2026-05-28");
            }
            return None;
        };
        let date = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => Date::new(d.year as i16, d.month as i8, d.day as i8).ok(),
                _ => None,
            },
            _ => None,
        };
        if date.is_none() {
            let example = match v.get_ref() {
                DeValue::String(s) => guess_date(s).unwrap_or_else(|| "2026-05-28".to_string()),
                _ => "2026-05-28".to_string(),
            };
            self.wrong_type(
                &field(),
                v,
                "日期（不加引号）",
                "a date (no quotes)",
                &example,
            );
        }
        date.map(|d| Spanned::new(v.span(), d))
    }

    /// A boolean.
    pub fn boolean(&mut self, t: &Tbl, key: &str) -> Option<bool> {
        let v = t.table.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                let field = format!("{}{key}", t.prefix);
                self.wrong_type(&field, v, "布尔值", "a boolean", "true");
                None
            }
        }
    }
}

/// Turn a date written as text (2026年5月28日, 2026/5/28, "2026-05-28") into the TOML form,
/// for the hint.
fn guess_date(s: &str) -> Option<String> {
    let digits: Vec<i16> = fold(s)
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match digits[..] {
        [y, m, d] => Date::new(y, m as i8, d as i8).ok().map(|d| d.to_string()),
        _ => None,
    }
}
