//! A multi-line text field (the expert's opinion): edited by characters, wrapped by display
//! width (CJK takes two columns), scrolled within its box. Enter inserts a line break and
//! pasted text keeps its line breaks; what is stored is exactly the text with its `\n`s.
//!
//! The state is plain data. Moving up and down, and scrolling, depend on the box's size, which
//! the caller passes in (`Size`): the editor never reads the terminal.

use unicode_width::UnicodeWidthChar;

use super::keymap::Action;

/// The box's inner size in columns and rows.
pub type Size = (u16, u16);

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The action was an edit and was applied.
    Done,
    /// Text was refused (in part, for a paste) because the field is full.
    Full,
    /// Not an editing action.
    NotAnEdit,
}

/// The text, the cursor (in characters from the start) and the first row shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextArea {
    chars: Vec<char>,
    cursor: usize,
    /// First visual row in the box.
    scroll: usize,
    /// The most characters the text may hold (line breaks count).
    max_chars: usize,
}

/// One visual row: characters `start..end` of the text (without the line break).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    start: usize,
    end: usize,
    /// The last row of its line (a line break or the end of the text follows).
    last: bool,
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Line breaks as `\n`; tabs as a space; other control characters (ESC and friends) dropped.
fn normalise(s: &str) -> Vec<char> {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            // Zero-width format characters (bidi overrides …) would move text on screen.
            c if crate::domain::text_rules::is_hidden(c) => None,
            c => Some(c),
        })
        .collect()
}

impl TextArea {
    /// A field holding `value` (cleaned as a paste is), the cursor at its end.
    pub fn new(value: &str, max_chars: usize) -> TextArea {
        let mut chars = normalise(value);
        chars.truncate(max_chars);
        let cursor = chars.len();
        TextArea {
            chars,
            cursor,
            scroll: 0,
            max_chars,
        }
    }

    /// The text, line breaks as `\n`.
    pub fn value(&self) -> String {
        self.chars.iter().collect()
    }

    /// Characters held, and the most allowed.
    pub fn count(&self) -> (usize, usize) {
        (self.chars.len(), self.max_chars)
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The visual rows at width `w` (at least one, even for an empty text).
    fn rows(&self, w: usize) -> Vec<Row> {
        let w = w.max(1);
        let mut rows = Vec::new();
        let mut start = 0;
        let mut used = 0;
        for (i, &c) in self.chars.iter().enumerate() {
            if c == '\n' {
                rows.push(Row {
                    start,
                    end: i,
                    last: true,
                });
                start = i + 1;
                used = 0;
                continue;
            }
            let cw = char_width(c);
            // A row holds at least one character, so a window narrower than a CJK
            // character still makes progress.
            if used + cw > w && i > start {
                rows.push(Row {
                    start,
                    end: i,
                    last: false,
                });
                start = i;
                used = 0;
            }
            used += cw;
        }
        rows.push(Row {
            start,
            end: self.chars.len(),
            last: true,
        });
        // A full last row leaves no column for the cursor at its end: give it a row of its own.
        let n = rows.len();
        if let Some(r) = rows.last().copied()
            && self.width_of(r.start, r.end) >= w
            && r.end > r.start
        {
            rows[n - 1].last = false;
            rows.push(Row {
                start: r.end,
                end: r.end,
                last: true,
            });
        }
        rows
    }

    fn width_of(&self, from: usize, to: usize) -> usize {
        self.chars[from..to].iter().map(|&c| char_width(c)).sum()
    }

    /// The row the cursor is on: inside a row, or at the end of the last row of its line.
    fn cursor_row(&self, rows: &[Row]) -> usize {
        rows.iter()
            .position(|r| {
                r.start <= self.cursor && (self.cursor < r.end || (self.cursor == r.end && r.last))
            })
            .unwrap_or(rows.len().saturating_sub(1))
    }

    /// Insert one character at the cursor; control characters other than a line break are
    /// ignored. `Full` when the field holds its maximum.
    pub fn insert(&mut self, c: char) -> Edit {
        let c = match c {
            '\r' | '\n' => '\n',
            '\t' => ' ',
            c if c.is_control() || crate::domain::text_rules::is_hidden(c) => return Edit::Done,
            c => c,
        };
        if self.chars.len() >= self.max_chars {
            return Edit::Full;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
        Edit::Done
    }

    /// Insert pasted text, line breaks kept; what does not fit is dropped (`Full`).
    pub fn insert_str(&mut self, s: &str) -> Edit {
        let new = normalise(s);
        let room = self.max_chars.saturating_sub(self.chars.len());
        let full = new.len() > room;
        let taken: Vec<char> = new.into_iter().take(room).collect();
        let n = taken.len();
        self.chars.splice(self.cursor..self.cursor, taken);
        self.cursor += n;
        if full { Edit::Full } else { Edit::Done }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    /// Delete the character under the cursor (Delete).
    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    /// Start of the cursor's line (up to the previous line break).
    fn line_start(&self) -> usize {
        self.chars[..self.cursor]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |i| i + 1)
    }

    /// End of the cursor's line (before the next line break).
    fn line_end(&self) -> usize {
        self.chars[self.cursor..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(self.chars.len(), |i| self.cursor + i)
    }

    /// Cursor to the start of its line (Home, Ctrl-A).
    pub fn home(&mut self) {
        self.cursor = self.line_start();
    }

    /// Cursor to the end of its line (End, Ctrl-E).
    pub fn end(&mut self) {
        self.cursor = self.line_end();
    }

    /// Delete from the start of the line to the cursor (Ctrl-U); at a line's start, join it
    /// to the line above, as Backspace does.
    pub fn clear_to_line_start(&mut self) {
        let from = self.line_start();
        if from == self.cursor {
            self.backspace();
            return;
        }
        self.chars.drain(from..self.cursor);
        self.cursor = from;
    }

    /// Delete the word before the cursor (Ctrl-W): spaces, then back to the previous space,
    /// never past the start of the line (at a line's start, the line break goes).
    pub fn delete_word_back(&mut self) {
        let floor = self.line_start();
        if floor == self.cursor {
            self.backspace();
            return;
        }
        let mut start = self.cursor;
        while start > floor && self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > floor && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        self.chars.drain(start..self.cursor);
        self.cursor = start;
    }

    /// The character index on `row` at display column `col` (or the row's end).
    fn at_column(&self, row: Row, col: usize) -> usize {
        let mut used = 0;
        for i in row.start..row.end {
            let cw = char_width(self.chars[i]);
            if used + cw > col {
                return i;
            }
            used += cw;
        }
        // The end of a wrapped row is the start of the next one: stay on this row.
        if row.last || row.end == row.start {
            row.end
        } else {
            row.end - 1
        }
    }

    /// Move `n` visual rows up (negative) or down at width `w`, keeping the display column.
    pub fn vertical(&mut self, n: isize, w: usize) {
        let rows = self.rows(w);
        let at = self.cursor_row(&rows);
        let row = rows[at];
        let col = self.width_of(row.start, self.cursor);
        let to = (at as isize + n).clamp(0, rows.len() as isize - 1) as usize;
        if to == at {
            // On the first or last row: to the very start or end, as most editors do.
            self.cursor = if n < 0 { 0 } else { self.chars.len() };
            return;
        }
        self.cursor = self.at_column(rows[to], col);
    }

    /// Apply an editing action of the key map in a box of `size`; the box scrolls so the
    /// cursor stays in view.
    pub fn edit(&mut self, action: Action, typed: Option<char>, size: Size) -> Edit {
        let (w, h) = (size.0 as usize, size.1 as usize);
        let result = match action {
            Action::Type => match typed {
                Some(c) => self.insert(c),
                None => Edit::Done,
            },
            Action::NewLine => self.insert('\n'),
            Action::DeleteChar => {
                self.backspace();
                Edit::Done
            }
            Action::DeleteForward => {
                self.delete();
                Edit::Done
            }
            Action::CursorLeft => {
                self.left();
                Edit::Done
            }
            Action::CursorRight => {
                self.right();
                Edit::Done
            }
            Action::CursorHome => {
                self.home();
                Edit::Done
            }
            Action::CursorEnd => {
                self.end();
                Edit::Done
            }
            Action::ClearToStart => {
                self.clear_to_line_start();
                Edit::Done
            }
            Action::DeleteWordBack => {
                self.delete_word_back();
                Edit::Done
            }
            Action::Up => {
                self.vertical(-1, w);
                Edit::Done
            }
            Action::Down => {
                self.vertical(1, w);
                Edit::Done
            }
            Action::PageUp => {
                self.vertical(-(h.saturating_sub(1).max(1) as isize), w);
                Edit::Done
            }
            Action::PageDown => {
                self.vertical(h.saturating_sub(1).max(1) as isize, w);
                Edit::Done
            }
            _ => return Edit::NotAnEdit,
        };
        self.keep_visible(size);
        result
    }

    /// Scroll so the cursor's row is inside a box of `size`.
    pub fn keep_visible(&mut self, size: Size) {
        self.scroll = self.first_row(size);
    }

    /// The first row to show in a box of `size`: the stored scroll, moved just enough to show
    /// the cursor (a resized box may need it).
    fn first_row(&self, size: Size) -> usize {
        let rows = self.rows(size.0 as usize);
        let at = self.cursor_row(&rows);
        let h = (size.1 as usize).max(1);
        let max = rows.len().saturating_sub(h);
        let mut first = self.scroll.min(max);
        if at < first {
            first = at;
        } else if at >= first + h {
            first = at + 1 - h;
        }
        first
    }

    /// What to draw in a box of `size`: its rows of text and the cursor's (column, row) in it.
    pub fn view(&self, size: Size) -> (Vec<String>, (u16, u16)) {
        let w = size.0 as usize;
        let rows = self.rows(w);
        let first = self.first_row(size);
        let at = self.cursor_row(&rows);
        let shown = rows
            .iter()
            .skip(first)
            .take((size.1 as usize).max(1))
            .map(|r| self.chars[r.start..r.end].iter().collect())
            .collect();
        let col = self.width_of(rows[at].start, self.cursor);
        (shown, (col as u16, (at - first) as u16))
    }

    /// Visual rows at width `w` (the position shown beside the box).
    pub fn row_count(&self, w: u16) -> usize {
        self.rows(w as usize).len()
    }

    /// The cursor's visual row at width `w`, from 0.
    pub fn cursor_row_at(&self, w: u16) -> usize {
        self.cursor_row(&self.rows(w as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> TextArea {
        let mut t = TextArea::new("", 100);
        for c in s.chars() {
            t.insert(c);
        }
        t
    }

    #[test]
    fn wraps_by_display_width_over_cjk() {
        // 8 columns: four CJK characters per row, or eight ASCII letters.
        let t = TextArea::new("基础设施完善队伍稳定\nabcdefghij", 100);
        let (rows, _) = t.view((8, 10));
        assert_eq!(rows, vec!["基础设施", "完善队伍", "稳定", "abcdefgh", "ij"]);
        // 7 columns: a CJK character never straddles the edge.
        let (rows, _) = t.view((7, 10));
        assert_eq!(rows[0], "基础设");
        assert!(rows.iter().all(|r| crate::tui::text::width(r) <= 7));
    }

    #[test]
    fn the_cursor_sits_by_display_column_and_gets_its_own_row_after_a_full_one() {
        let t = TextArea::new("基础设施", 100);
        // The last row is full (8 of 8 columns): the cursor goes to a new row.
        let (rows, cursor) = t.view((8, 5));
        assert_eq!(rows, vec!["基础设施", ""]);
        assert_eq!(cursor, (0, 1));
        let mut t = TextArea::new("ab基础", 100);
        t.left();
        assert_eq!(t.view((20, 5)).1, (4, 0));
    }

    #[test]
    fn enter_and_paste_keep_line_breaks_and_control_characters_are_dropped() {
        let mut t = typed("第一行");
        t.edit(Action::NewLine, None, (20, 5));
        t.insert_str("第二行\r\n第三行\u{1b}[31m\t完");
        assert_eq!(t.value(), "第一行\n第二行\n第三行[31m 完");
        let (rows, cursor) = t.view((20, 5));
        assert_eq!(rows, vec!["第一行", "第二行", "第三行[31m 完"]);
        assert_eq!(cursor, (13, 2));
    }

    #[test]
    fn up_and_down_move_by_visual_row_keeping_the_column() {
        // Rows at 8 columns: "基础设施" "完善" / "ab" / "abcdefgh" "xy"
        let mut t = TextArea::new("基础设施完善\nab\nabcdefghxy", 100);
        t.cursor = 2; // before 设 (column 4 of row 0)
        t.vertical(1, 8); // row 1 ("完善"), column 4: its end
        assert_eq!(t.cursor, 6);
        t.vertical(1, 8); // row 2 ("ab"), column 4: its end
        assert_eq!(t.cursor, 9);
        t.vertical(1, 8); // row 3, column 2 (the column of "ab"'s end)
        assert_eq!(t.cursor, 12);
        t.vertical(1, 8); // row 4 ("xy"), column 2: its end
        assert_eq!(t.cursor, 20);
        t.vertical(1, 8); // last row: to the end
        assert_eq!(t.cursor, 20);
        t.vertical(-1, 8);
        assert_eq!(t.cursor, 12);
        // From a wide character's column, up into ASCII lands on the same column.
        let mut u = TextArea::new("abcdef\n基础设", 100);
        u.cursor = 9; // before 设: column 4
        u.vertical(-1, 20);
        assert_eq!(u.cursor, 4);
        u.vertical(-1, 20);
        assert_eq!(u.cursor, 0);
    }

    #[test]
    fn home_end_ctrl_u_and_ctrl_w_work_on_the_cursors_line() {
        let mut t = TextArea::new("第一行\n基础 扎实 good\n末行", 100);
        t.cursor = 12; // after "go"
        t.end();
        assert_eq!(t.cursor, 14);
        t.delete_word_back();
        assert_eq!(t.value(), "第一行\n基础 扎实 \n末行");
        t.delete_word_back();
        assert_eq!(t.value(), "第一行\n基础 \n末行");
        t.home();
        assert_eq!(t.cursor, 4);
        // At a line's start, Ctrl-W and Ctrl-U join the line to the one above.
        t.delete_word_back();
        assert_eq!(t.value(), "第一行基础 \n末行");
        t.end();
        t.clear_to_line_start();
        assert_eq!(t.value(), "\n末行");
        assert_eq!(t.cursor, 0);
        t.right();
        t.right();
        t.clear_to_line_start();
        assert_eq!(t.value(), "\n行");
    }

    #[test]
    fn backspace_and_delete_at_the_edges() {
        let mut t = TextArea::new("ab\ncd", 100);
        t.cursor = 3;
        t.backspace();
        assert_eq!(t.value(), "abcd");
        t.delete();
        assert_eq!(t.value(), "abd");
        t.cursor = 0;
        t.backspace();
        assert_eq!(t.value(), "abd");
        t.cursor = 3;
        t.delete();
        assert_eq!(t.value(), "abd");
    }

    #[test]
    fn the_limit_refuses_typing_and_cuts_a_paste() {
        let mut t = TextArea::new("", 5);
        assert_eq!(t.insert_str("一二三"), Edit::Done);
        assert_eq!(t.insert_str("四五六七"), Edit::Full);
        assert_eq!(t.value(), "一二三四五");
        assert_eq!(t.insert('x'), Edit::Full);
        assert_eq!(t.edit(Action::NewLine, None, (10, 3)), Edit::Full);
        assert_eq!(t.count(), (5, 5));
        t.backspace();
        assert_eq!(t.insert('x'), Edit::Done);
        // A stored text longer than the limit is cut when opened, never shown half-edited.
        assert_eq!(TextArea::new("abcdefg", 3).value(), "abc");
    }

    #[test]
    fn the_box_scrolls_to_keep_the_cursor_in_view() {
        let text: String = (1..=10).map(|i| format!("第{i}行\n")).collect();
        let mut t = TextArea::new(text.trim_end(), 200);
        // Cursor at the end (row 9) in a 3-row box: rows 7–9 shown.
        t.keep_visible((20, 3));
        let (rows, cursor) = t.view((20, 3));
        assert_eq!(rows, vec!["第8行", "第9行", "第10行"]);
        assert_eq!(cursor.1, 2);
        for _ in 0..4 {
            t.edit(Action::Up, None, (20, 3));
        }
        let (rows, cursor) = t.view((20, 3));
        assert_eq!(rows[0], "第6行");
        assert_eq!(cursor.1, 0);
        t.edit(Action::PageUp, None, (20, 3));
        assert_eq!(t.view((20, 3)).0[0], "第4行");
        assert_eq!(t.edit(Action::Quit, None, (20, 3)), Edit::NotAnEdit);
        // A box too narrow for a CJK character still lays out one per row.
        assert_eq!(
            TextArea::new("基础", 10).view((1, 5)).0,
            vec!["基", "础", ""]
        );
    }
}
