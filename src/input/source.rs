//! A decoded file and the mapping from byte offsets to line and column.

use crate::domain::Pos;

/// A decoded text file.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The file as the user named it.
    pub file: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    pub fn new(file: impl Into<String>, text: String) -> Self {
        // memchr finds the line ends many bytes at a time (`match_indices` went a byte at a time).
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        SourceText {
            file: file.into(),
            text,
            line_starts,
        }
    }

    /// Line and column (1-based, column in characters) of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// The text of a 1-based line, without its line end.
    pub fn line(&self, line: u32) -> &str {
        let i = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(i).copied().unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let s = SourceText::new("f", "a = 1\nname = \"鄠邑\" x\r\n".to_string());
        assert_eq!(s.pos(0), Pos { line: 1, column: 1 });
        let x = s.text.find(" x").unwrap() + 1;
        assert_eq!(
            s.pos(x),
            Pos {
                line: 2,
                column: 13
            }
        );
        assert_eq!(s.line(2), "name = \"鄠邑\" x");
    }
}
