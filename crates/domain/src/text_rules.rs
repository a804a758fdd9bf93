//! Rules for the texts of dossiers and submissions: invisible characters, blank texts, lengths.
//!
//! "Invisible" means Unicode format characters (general category Cf: zero-width space and
//! joiners, word joiner, soft hyphen, byte-order mark, bidirectional marks, embeddings,
//! overrides and isolates, …) and control characters (Cc: C0, DEL, C1). They show as nothing,
//! or reorder what is shown, so two names that look the same may differ only by them.

use unicode_general_category::{GeneralCategory, get_general_category};

use super::finding::{Code, Finding, Pos, Text};

/// Whether `c` is a format (Cf) or control (Cc) character. Tab, line feed and carriage return
/// are controls too, but they are layout, not hidden content: see [`is_hidden`].
pub fn is_invisible(c: char) -> bool {
    // Fast path for what dossiers are made of: printable ASCII, CJK ideographs and CJK
    // punctuation and full-width forms hold no Cf or Cc character.
    if matches!(c, ' '..='~' | '\u{3000}'..='\u{9FFF}' | '\u{FF01}'..='\u{FFEF}') {
        return false;
    }
    matches!(
        get_general_category(c),
        GeneralCategory::Format | GeneralCategory::Control
    )
}

/// An invisible character that a text should not hold: every Cf and Cc except tab, line feed
/// and carriage return (which multi-line texts hold on purpose).
pub fn is_hidden(c: char) -> bool {
    is_invisible(c) && !matches!(c, '\t' | '\n' | '\r')
}

/// `s` without any format or control character (for comparing, never for display).
pub fn strip_invisible(s: &str) -> String {
    s.chars().filter(|c| !is_invisible(*c)).collect()
}

/// Whether `s` holds nothing but white space and invisible characters.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// The hidden characters of `s`: (1-based character position, character), at most `limit`.
pub fn hidden_chars(s: &str, limit: usize) -> Vec<(usize, char)> {
    s.chars()
        .enumerate()
        .filter(|(_, c)| is_hidden(*c))
        .take(limit)
        .map(|(i, c)| (i + 1, c))
        .collect()
}

/// A character as `U+200B` (and its name when it is a common one).
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{200B}' => " ZERO WIDTH SPACE",
        '\u{200C}' => " ZERO WIDTH NON-JOINER",
        '\u{200D}' => " ZERO WIDTH JOINER",
        '\u{2060}' => " WORD JOINER",
        '\u{00AD}' => " SOFT HYPHEN",
        '\u{FEFF}' => " BYTE ORDER MARK",
        '\u{200E}' => " LEFT-TO-RIGHT MARK",
        '\u{200F}' => " RIGHT-TO-LEFT MARK",
        '\u{202A}'..='\u{202E}' => " BIDI EMBEDDING/OVERRIDE",
        '\u{2066}'..='\u{2069}' => " BIDI ISOLATE",
        '\u{1B}' => " ESCAPE",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Characters a unit or person name may hold: a few dozen. The longest unit names in the
/// national registers (full enterprise names with their branch) run to about 50 characters;
/// 64 leaves room for those and stops a pasted paragraph. Counted in characters, not bytes.
pub const NAME_MAX_CHARS: usize = 64;
/// Characters a phone number or similar short field may hold.
pub const SHORT_MAX_CHARS: usize = 64;
/// Characters an e-mail address may hold (RFC 5321's path limit).
pub const EMAIL_MAX_CHARS: usize = 254;
/// Characters a long text (a section of the dossier, the review opinion) may hold: the paper
/// form gives each section about a page, 1,500–3,000 characters; 5,000 leaves a margin and
/// stays well under a spreadsheet cell's 32,767.
pub const TEXT_MAX_CHARS: usize = 5_000;

/// The most characters the field at `path` (e.g. `applicant.name`) may hold.
pub fn max_chars(path: &str) -> usize {
    let key = path.rsplit('.').next().unwrap_or(path);
    match key {
        "email" => EMAIL_MAX_CHARS,
        "phone" => SHORT_MAX_CHARS,
        "name" | "county" | "joint_with" | "kind" | "department" | "reviewer" | "province"
        | "type" | "credit_code" => NAME_MAX_CHARS,
        _ => TEXT_MAX_CHARS,
    }
}

/// Whether [`check_text`] finds nothing in `value` (and it may be used): the quick test for the
/// usual case, which needs neither the field's full name (only its last part, `key`, sets the
/// limit) nor its position.
pub fn text_is_clean(key: &str, value: &str, required: bool) -> bool {
    let max = max_chars(key);
    !(required && is_blank(value))
        && value.chars().take(max + 1).count() <= max
        && !value.chars().any(is_hidden)
}

/// Check one text value as read from `file` at `pos`: blank when `required` (E-EMPTY-TEXT),
/// too long (E-TEXT-LENGTH), hidden characters (W-INVISIBLE-CHAR). Returns the findings and
/// whether the value may be used (not blank when required, not too long).
pub fn check_text(
    file: &str,
    pos: Option<Pos>,
    field: &str,
    value: &str,
    required: bool,
) -> (Vec<Finding>, bool) {
    let mut out = Vec::new();
    let hidden = hidden_chars(value, 3);
    if required && is_blank(value) {
        let (zh, en) = if value.is_empty() || hidden.is_empty() {
            (
                format!("「{field}」不能为空"),
                format!("\"{field}\" must not be empty"),
            )
        } else {
            (
                format!(
                    "「{field}」只有空白和不可见字符（如 {}），视为空",
                    describe(hidden[0].1)
                ),
                format!(
                    "\"{field}\" holds only white space and invisible characters (such as {}): it is empty",
                    describe(hidden[0].1)
                ),
            )
        };
        out.push(Finding::new(
            Code::EmptyText,
            file,
            pos,
            field,
            Text::new(zh, en),
            Text::new("填写实际内容", "write the actual content"),
        ));
        return (out, false);
    }
    let max = max_chars(field);
    // Counting stops past the limit: a 4-million-character name costs no more than a short one.
    let n = value.chars().take(max + 1).count();
    if n > max {
        let total = value.chars().count();
        out.push(Finding::new(
            Code::TextLength,
            file,
            pos,
            field,
            Text::new(
                format!("「{field}」有 {total} 个字符，超过上限 {max} 个"),
                format!("\"{field}\" has {total} characters, over the limit of {max}"),
            ),
            Text::new(
                format!("缩写到 {max} 个字符以内；详细内容请写在相应的说明部分"),
                format!("shorten it to at most {max} characters; put the details in the matching section"),
            ),
        ));
        return (out, false);
    }
    if !hidden.is_empty() {
        let list = hidden
            .iter()
            .map(|(i, c)| format!("{}@{i}", describe(*c)))
            .collect::<Vec<_>>()
            .join(", ");
        let count = value.chars().filter(|c| is_hidden(*c)).count();
        out.push(Finding::new(
            Code::InvisibleChar,
            file,
            pos,
            field,
            Text::new(
                format!(
                    "「{field}」含 {count} 个不可见字符（格式或控制字符：{list}，@ 后为第几个字符），比较名称时已忽略"
                ),
                format!(
                    "\"{field}\" holds {count} invisible character(s) (format or control: {list}; @ gives the character position); they are ignored when names are compared"
                ),
            ),
            Text::new(
                "删除这些字符：通常来自网页或文字处理软件的复制粘贴",
                "delete them: they usually come from copying out of a web page or a word processor",
            ),
        ));
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The quick test says "clean" exactly when the full check finds nothing and lets the
        /// value be used, for every kind of field (its limit comes from the last part).
        #[test]
        fn the_quick_test_agrees_with_the_check(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("农".to_string()),
                    Just(" ".to_string()),
                    Just("\u{200B}".to_string()),
                    Just("\u{3000}".to_string()),
                    Just("a".to_string()),
                    Just("\u{202E}".to_string()),
                    Just("x".repeat(60)),
                ],
                0..12,
            ),
            key in prop_oneof![Just("name"), Just("email"), Just("phone"), Just("summary")],
            required in any::<bool>(),
        ) {
            let value: String = parts.concat();
            let (found, usable) = check_text("f.toml", None, &format!("applicant.{key}"), &value, required);
            prop_assert_eq!(text_is_clean(key, &value, required), found.is_empty() && usable);
        }
    }

    #[test]
    fn format_and_control_characters_are_invisible() {
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{00AD}',
            '\u{FEFF}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202E}',
            '\u{2066}',
            '\u{2069}',
            '\u{0}',
            '\u{1B}',
            '\u{7F}',
            '\u{85}',
            '\u{9B}',
            '\u{E0001}',
        ] {
            assert!(is_invisible(c), "{}", describe(c));
            assert!(is_hidden(c), "{}", describe(c));
        }
        for c in ['a', '农', ' ', '\u{3000}', '（', '-', '·'] {
            assert!(!is_invisible(c), "{}", describe(c));
        }
        assert!(is_invisible('\n') && !is_hidden('\n'));
    }

    #[test]
    fn the_fast_path_agrees_with_the_category_table() {
        let ranges = [0..0x300u32, 0x2FF0..0xA000, 0xFE00..0x10000];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let table = matches!(
                get_general_category(c),
                GeneralCategory::Format | GeneralCategory::Control
            );
            assert_eq!(is_invisible(c), table, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn blank_means_only_spaces_and_invisible() {
        assert!(is_blank(""));
        assert!(is_blank(" \u{3000}\t"));
        assert!(is_blank("\u{200B}\u{200D}\u{FEFF}\u{202E} \u{2066}"));
        assert!(!is_blank("\u{200B}农"));
        assert_eq!(strip_invisible("德\u{200B}清\u{00AD}县\u{202E}"), "德清县");
    }

    #[test]
    fn check_text_reports_blank_long_and_hidden() {
        let (f, ok) = check_text("f", None, "team.rules", "\u{200B}\u{200F} ", true);
        assert!(!ok);
        assert_eq!(f[0].code, Code::EmptyText);
        assert!(f[0].message.en.contains("U+200B"), "{:?}", f[0].message);

        let long = "农".repeat(NAME_MAX_CHARS + 1);
        let (f, ok) = check_text("f", None, "applicant.name", &long, true);
        assert!(!ok);
        assert_eq!(f[0].code, Code::TextLength);
        assert!(
            f[0].message
                .en
                .contains("65 characters, over the limit of 64")
        );
        let (f, ok) = check_text("f", None, "applicant.name", &"农".repeat(64), true);
        assert!(ok && f.is_empty());
        let (f, ok) = check_text("f", None, "work_plan.content", &"农".repeat(5000), true);
        assert!(ok && f.is_empty());
        let (f, _) = check_text("f", None, "work_plan.content", &"农".repeat(5001), true);
        assert!(f[0].message.zh.contains("超过上限 5000 个"));

        let (f, ok) = check_text("f", None, "applicant.name", "德清\u{2060}县", true);
        assert!(ok);
        assert_eq!(f[0].code, Code::InvisibleChar);
        assert!(
            f[0].message.en.contains("U+2060 WORD JOINER@3"),
            "{}",
            f[0].message.en
        );
        // Line ends in a long text are not hidden content.
        let (f, ok) = check_text("f", None, "team.rules", "一\n二\r\n三", true);
        assert!(ok && f.is_empty());
    }
}
