//! A one-line text field: CJK-safe editing by characters, shown by display width.

use super::keymap::Action;
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

    /// Cursor to the start of the field (Home, Ctrl-A).
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Cursor to the end of the field (End, Ctrl-E).
    pub fn end(&mut self) {
        self.cursor = self.value.chars().count();
    }

    /// Delete everything before the cursor (Ctrl-U); what follows it stays.
    pub fn clear_to_start(&mut self) {
        let at = self.byte_at(self.cursor);
        self.value.replace_range(..at, "");
        self.cursor = 0;
    }

    /// Delete the word before the cursor (Ctrl-W): the spaces just before it, then back to
    /// the previous space. A run of CJK without spaces counts as one word, as in a shell.
    pub fn delete_word_back(&mut self) {
        let chars: Vec<char> = self.value.chars().collect();
        let mut start = self.cursor.min(chars.len());
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let from = self.byte_at(start);
        let to = self.byte_at(self.cursor);
        self.value.replace_range(from..to, "");
        self.cursor = start;
    }

    /// Apply an editing action of the key map; false when the action is not an edit.
    pub fn edit(&mut self, action: Action, typed: Option<char>) -> bool {
        match action {
            Action::Type => {
                if let Some(c) = typed {
                    self.insert(c);
                }
            }
            Action::DeleteChar => self.backspace(),
            Action::CursorLeft => self.left(),
            Action::CursorRight => self.right(),
            Action::CursorHome => self.home(),
            Action::CursorEnd => self.end(),
            Action::ClearToStart => self.clear_to_start(),
            Action::DeleteWordBack => self.delete_word_back(),
            _ => return false,
        }
        true
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

    fn typed(s: &str) -> LineInput {
        let mut i = LineInput::default();
        i.insert_str(s);
        i
    }

    #[test]
    fn home_end_and_cursor_column_by_display_width() {
        let mut i = typed("浙江ab省");
        i.home();
        assert_eq!(i.visible(20, None).1, 0);
        i.insert('X');
        assert_eq!(i.value(), "X浙江ab省");
        i.end();
        // X (1) + 浙江 (4) + ab (2) + 省 (2) = 9 columns before the cursor.
        assert_eq!(i.visible(20, None).1, 9);
        i.insert('!');
        assert_eq!(i.value(), "X浙江ab省!");
        i.left();
        i.left();
        // Cursor before 省: X浙江ab is 7 columns.
        assert_eq!(i.visible(20, None).1, 7);
    }

    #[test]
    fn ctrl_u_deletes_to_the_start_and_keeps_the_rest() {
        let mut i = typed("长兴县 农业局");
        for _ in 0..3 {
            i.left();
        }
        i.clear_to_start();
        assert_eq!(i.value(), "农业局");
        assert_eq!(i.visible(20, None).1, 0);
        let mut j = typed("abc");
        j.clear_to_start();
        assert_eq!(j.value(), "");
        j.clear_to_start();
        assert_eq!(j.value(), "");
    }

    #[test]
    fn ctrl_w_deletes_one_word_back() {
        let mut i = typed("基础 扎实  good");
        i.delete_word_back();
        assert_eq!(i.value(), "基础 扎实  ");
        i.delete_word_back();
        assert_eq!(i.value(), "基础 ");
        i.delete_word_back();
        assert_eq!(i.value(), "");
        i.delete_word_back();
        assert_eq!(i.value(), "");
        // In the middle (after "two"): only the word before the cursor goes.
        let mut j = typed("one two three");
        for _ in 0..6 {
            j.left();
        }
        j.delete_word_back();
        assert_eq!(j.value(), "one  three");
        assert_eq!(j.visible(40, None).1, 4);
    }

    #[test]
    fn edit_maps_the_key_map_actions() {
        let mut i = typed("ab");
        assert!(i.edit(Action::CursorHome, None));
        assert!(i.edit(Action::Type, Some('中')));
        assert_eq!(i.value(), "中ab");
        assert!(i.edit(Action::CursorEnd, None));
        assert!(i.edit(Action::DeleteWordBack, None));
        assert_eq!(i.value(), "");
        assert!(!i.edit(Action::Quit, None));
    }
}
