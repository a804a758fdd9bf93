//! Text that reaches the terminal: control characters made harmless, widths measured in terminal
//! columns (CJK characters take two), padding and truncation by display width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Control and bidi characters made visible: the one rule the CLI shares
/// ([`crate::terminal_text`]).
pub use crate::terminal_text::clean;

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    s.width()
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Cut `s` to at most `max` columns; an ellipsis marks a cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Exactly `w` columns: truncated, then padded with spaces on the right.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = truncate(s, w);
    let n = w.saturating_sub(width(&out));
    out.extend(std::iter::repeat_n(' ', n));
    out
}

/// Exactly `w` columns, right-aligned (numbers).
pub fn pad_left(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let n = w.saturating_sub(width(&t));
    let mut out: String = std::iter::repeat_n(' ', n).collect();
    out.push_str(&t);
    out
}

/// Break `s` into lines of at most `w` columns. Chinese breaks between any two characters;
/// runs of Latin letters and digits stay whole unless longer than a line. Existing line breaks
/// are kept; an empty input gives one empty line.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for token in tokens(para.trim_end_matches('\r')) {
            let tw = width(token);
            if used + tw > w && !line.is_empty() {
                let mut full = std::mem::take(&mut line);
                used = 0;
                // Line-breaking rules of Chinese text (禁则): closing punctuation never starts
                // a line and an opening bracket never ends one, so one character moves down.
                let closing = token.chars().next().is_some_and(no_line_start);
                let opening = full.chars().last().is_some_and(no_line_end);
                if (closing || opening)
                    && full.chars().count() > 1
                    && let Some(last) = full.pop()
                {
                    line.push(last);
                    used = char_width(last);
                }
                out.push(full.trim_end_matches(' ').to_string());
                if token == " " && line.is_empty() {
                    continue;
                }
            }
            if tw <= w {
                line.push_str(token);
                used += tw;
                continue;
            }
            // A word longer than a line: break it by characters.
            for c in token.chars() {
                let cw = char_width(c);
                if used + cw > w && !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        out.push(line);
    }
    out
}

/// Punctuation that must not begin a line (。，、；：？！ and closing brackets).
fn no_line_start(c: char) -> bool {
    "。，、；：？！）」』》〉】〕…·%,.;:?!)]}".contains(c)
}

/// Brackets that must not end a line.
fn no_line_end(c: char) -> bool {
    "（「『《〈【〔([{".contains(c)
}

/// Words of narrow non-space characters, and every other character on its own.
fn tokens(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let word = |c: char| !c.is_whitespace() && char_width(c) == 1 && c.is_ascii();
        let end = if word(first) {
            rest.find(|c: char| !word(c)).unwrap_or(rest.len())
        } else {
            first.len_utf8()
        };
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some(token)
    })
}

/// Format points without a needless ".0" (8 → "8", 7.5 → "7.5").
pub fn points(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as i64)
    } else {
        let s = format!("{p:.2}");
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_pass() {
        let s = clean("a\u{1b}[31mred\u{7}\u{9b}x\u{202e}y");
        assert!(!s.chars().any(|c| c.is_control()));
        assert!(s.contains("␛[31mred"));
        assert!(!s.contains('\u{202e}'));
        assert_eq!(clean("浙江\t省"), "浙江 省");
    }

    #[test]
    fn widths_count_columns_not_chars() {
        assert_eq!(width("浙江省"), 6);
        assert_eq!(pad("浙江省", 8), "浙江省  ");
        assert_eq!(width(&pad("长兴县农产品质量安全检测站", 9)), 9);
        assert_eq!(truncate("长兴县农产品", 7), "长兴县…");
        assert_eq!(pad_left("7.5", 5), "  7.5");
        assert_eq!(wrap("浙江省长兴县", 5), vec!["浙江", "省长", "兴县"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("read the dossier", 9), vec!["read the", "dossier"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(
            wrap("看[foundation]一节", 8),
            vec!["看", "[foundat", "ion]一节"]
        );
        // 禁则: 。 and ， never start a line, （ never ends one.
        assert_eq!(wrap("浙江省长兴。", 5), vec!["浙江", "省长", "兴。"]);
        assert_eq!(wrap("甲乙，丙丁", 4), vec!["甲", "乙，", "丙丁"]);
        assert_eq!(wrap("甲（乙丙", 4), vec!["甲", "（乙", "丙"]);
        assert_eq!(points(8.0), "8");
        assert_eq!(points(7.5), "7.5");
    }
}
