//! A one-line text field: CJK-safe editing by characters, shown by display width.

use super::text::{clean, width};

/// The contents of a text field and its cursor (in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    value: String,
    cursor: usize,
}

impl LineInput {
    pub fn new(value: &str) -> Self {
        let value = clean(value);
        let cursor = value.chars().count();
        LineInput { value, cursor }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Insert a character at the cursor; control characters are refused.
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    /// Insert pasted text (line breaks become spaces, control characters are dropped).
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(if c == '\n' || c == '\r' { ' ' } else { c });
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    /// What to draw in a field `w` columns wide, and the cursor's column in it. Long values
    /// scroll so the cursor stays visible; `mask` hides every character (passwords).
    pub fn visible(&self, w: usize, mask: Option<char>) -> (String, usize) {
        let shown: String = match mask {
            Some(m) => std::iter::repeat_n(m, self.value.chars().count()).collect(),
            None => self.value.clone(),
        };
        let chars: Vec<char> = shown.chars().collect();
        let before: String = chars[..self.cursor.min(chars.len())].iter().collect();
        let w = w.max(1);
        // Drop characters from the left until the cursor fits.
        let mut start = 0;
        let mut cur = width(&before);
        while cur >= w && start < chars.len() {
            cur -= unicode_width::UnicodeWidthChar::width(chars[start]).unwrap_or(0);
            start += 1;
        }
        let mut out = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            let cw = unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            if used + cw > w {
                break;
            }
            out.push(*c);
            used += cw;
        }
        (out, cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_character_and_shows_by_width() {
        let mut i = LineInput::default();
        for c in "基础扎实".chars() {
            i.insert(c);
        }
        i.left();
        i.backspace();
        assert_eq!(i.value(), "基础实");
        i.insert('\u{1b}');
        assert_eq!(i.value(), "基础实");
        assert_eq!(i.visible(20, None), ("基础实".to_string(), 4));
        assert_eq!(i.visible(20, Some('*')).0, "***");
        let long = LineInput::new("浙江省长兴县农产品质量安全检测站");
        let (shown, cur) = long.visible(10, None);
        assert!(width(&shown) <= 10);
        assert!(cur < 10);
    }
}
