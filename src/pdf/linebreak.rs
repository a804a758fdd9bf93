//! Chinese line breaking: a break may fall between any two Chinese characters, except that
//! closing punctuation never starts a line and opening punctuation never ends one (kinsoku,
//! 避头尾); runs of ASCII (numbers, phone numbers, e-mail addresses) break only at spaces, unless
//! one is longer than a whole line.

/// One line of broken text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BrokenLine {
    pub(crate) text: String,
    /// Width, in the unit of the width function (pt in practice).
    pub(crate) width: f32,
}

/// Characters that must not start a line.
const NO_LINE_START: &str = "，。、；：？！）」』】》〉〕］｝〗”’…—·%‰℃°,.;:!?)]}>～";
/// Characters that must not end a line.
const NO_LINE_END: &str = "（「『【《〈〔［｛〖“‘([{<";

/// Slack for floating-point sums of advances.
const EPSILON: f32 = 0.01;

fn no_line_start(ch: char) -> bool {
    NO_LINE_START.contains(ch)
}

fn no_line_end(ch: char) -> bool {
    NO_LINE_END.contains(ch)
}

/// A piece of text that stays on one line (unless it is longer than a line).
#[derive(Debug)]
struct Cluster {
    text: String,
    width: f32,
    space: bool,
}

fn clusters(text: &str, width_of: &impl Fn(char) -> f32) -> Vec<Cluster> {
    // First tokens: a space, an ASCII word, or one other character.
    let mut tokens: Vec<Cluster> = Vec::new();
    for ch in text.chars() {
        let width = width_of(ch);
        if ch == ' ' {
            tokens.push(Cluster {
                text: ch.to_string(),
                width,
                space: true,
            });
            continue;
        }
        let ascii_word = ch.is_ascii_graphic();
        match tokens.last_mut() {
            Some(last)
                if ascii_word
                    && !last.space
                    && last
                        .text
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_graphic()) =>
            {
                last.text.push(ch);
                last.width += width;
            }
            _ => tokens.push(Cluster {
                text: ch.to_string(),
                width,
                space: false,
            }),
        }
    }
    // Then glue: closing punctuation to what precedes it, opening punctuation to what follows.
    let mut out: Vec<Cluster> = Vec::new();
    for token in tokens {
        let glue = match out.last() {
            Some(prev) if !prev.space && !token.space => {
                token.text.chars().next().is_some_and(no_line_start)
                    || prev.text.chars().last().is_some_and(no_line_end)
            }
            _ => false,
        };
        match out.last_mut() {
            Some(prev) if glue => {
                prev.text.push_str(&token.text);
                prev.width += token.width;
            }
            _ => out.push(token),
        }
    }
    out
}

/// Breaks `text` into lines: the first at most `first_width` wide (a paragraph's indent makes
/// it narrower), the others at most `width`. `width_of` gives each character's advance.
pub(crate) fn break_lines(
    text: &str,
    first_width: f32,
    width: f32,
    width_of: impl Fn(char) -> f32,
) -> Vec<BrokenLine> {
    let mut lines: Vec<BrokenLine> = Vec::new();
    let mut current = BrokenLine {
        text: String::new(),
        width: 0.0,
    };
    let space_width = width_of(' ');
    let available = |lines: &Vec<BrokenLine>| if lines.is_empty() { first_width } else { width };

    for cluster in clusters(text, &width_of) {
        if cluster.space && current.text.is_empty() {
            continue;
        }
        if current.width + cluster.width <= available(&lines) + EPSILON {
            current.text.push_str(&cluster.text);
            current.width += cluster.width;
            continue;
        }
        if cluster.space {
            finish_line(&mut lines, &mut current, space_width);
            continue;
        }
        if !current.text.is_empty() {
            finish_line(&mut lines, &mut current, space_width);
        }
        if cluster.width <= available(&lines) + EPSILON {
            current.text = cluster.text;
            current.width = cluster.width;
            continue;
        }
        // Longer than a whole line: cut it character by character.
        for ch in cluster.text.chars() {
            let w = width_of(ch);
            // Closing punctuation stays on the line it closes, even a little too wide.
            if current.width + w > available(&lines) + EPSILON
                && !current.text.is_empty()
                && !no_line_start(ch)
            {
                finish_line(&mut lines, &mut current, space_width);
            }
            current.text.push(ch);
            current.width += w;
        }
    }
    if !current.text.is_empty() || lines.is_empty() {
        finish_line(&mut lines, &mut current, space_width);
    }
    lines
}

fn finish_line(lines: &mut Vec<BrokenLine>, current: &mut BrokenLine, space_width: f32) {
    let mut line = std::mem::replace(
        current,
        BrokenLine {
            text: String::new(),
            width: 0.0,
        },
    );
    while line.text.ends_with(' ') {
        line.text.pop();
        line.width -= space_width;
    }
    lines.push(line);
}

/// Breaks a title into as few lines as `width` allows, with the lines as even as possible (a
/// symmetric shape, as GB/T 9704 asks for titles).
pub(crate) fn balanced_lines(
    text: &str,
    width: f32,
    width_of: impl Fn(char) -> f32 + Copy,
) -> Vec<BrokenLine> {
    let greedy = break_lines(text, width, width, width_of);
    if greedy.len() <= 1 {
        return greedy;
    }
    let count = greedy.len();
    let total: f32 = text.chars().map(width_of).sum();
    let (mut low, mut high) = (total / count as f32, width);
    for _ in 0..24 {
        let mid = (low + high) / 2.0;
        if break_lines(text, mid, mid, width_of).len() <= count {
            high = mid;
        } else {
            low = mid;
        }
    }
    break_lines(text, high, high, width_of)
}

/// Words of titles that a line break must not cut (longest first wins where they overlap).
const TITLE_WORDS: &[&str] = &[
    "按递补顺序排列",
    "信息化",
    "示范单位",
    "拟认定",
    "评分表",
    "关于",
    "公布",
    "认定",
    "全国",
    "农村",
    "名单",
    "公示",
    "通知",
    "补充",
    "备选",
    "评审",
    "专家",
];

/// The pieces of a title that stay on one line: each of `keep` (a unit's name), a number with
/// the 年 after it (「2026年」), the words of [`TITLE_WORDS`]; every other character is a piece
/// of its own. Punctuation sticks to its neighbour as in [`break_lines`].
pub(crate) fn title_words(text: &str, keep: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(first) = rest.chars().next() {
        let kept = keep
            .iter()
            .chain(TITLE_WORDS)
            .filter(|word| !word.is_empty() && rest.starts_with(**word))
            .max_by_key(|word| word.len());
        let length = if let Some(word) = kept {
            word.len()
        } else if first.is_ascii_digit() {
            let digits = rest
                .find(|ch: char| !ch.is_ascii_digit())
                .unwrap_or(rest.len());
            if rest[digits..].starts_with('年') {
                digits + '年'.len_utf8()
            } else {
                digits
            }
        } else if first.is_ascii_graphic() {
            rest.find(|ch: char| !ch.is_ascii_graphic())
                .unwrap_or(rest.len())
        } else {
            first.len_utf8()
        };
        let (word, tail) = rest.split_at(length);
        let glue = words.last().is_some_and(|prev| {
            word.chars().next().is_some_and(no_line_start)
                || prev.chars().last().is_some_and(no_line_end)
        });
        match words.last_mut() {
            Some(prev) if glue => prev.push_str(word),
            _ => words.push(word.to_string()),
        }
        rest = tail;
    }
    words
}

/// Greedy lines of whole words at most `width` wide; a word longer than a line is cut.
fn word_lines(
    words: &[String],
    width: f32,
    width_of: impl Fn(char) -> f32 + Copy,
) -> Vec<BrokenLine> {
    let mut lines: Vec<BrokenLine> = Vec::new();
    let mut current = BrokenLine {
        text: String::new(),
        width: 0.0,
    };
    for word in words {
        let w: f32 = word.chars().map(width_of).sum();
        if current.width + w <= width + EPSILON {
            current.text.push_str(word);
            current.width += w;
            continue;
        }
        if !current.text.is_empty() {
            lines.push(std::mem::replace(
                &mut current,
                BrokenLine {
                    text: String::new(),
                    width: 0.0,
                },
            ));
        }
        if w <= width + EPSILON {
            current = BrokenLine {
                text: word.clone(),
                width: w,
            };
        } else {
            let mut cut = break_lines(word, width, width, width_of);
            current = cut.pop().unwrap_or(BrokenLine {
                text: String::new(),
                width: 0.0,
            });
            lines.extend(cut);
        }
    }
    if !current.text.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Breaks a title, made of `words` that are never cut (see [`title_words`]), into as few
/// lines as `width` allows, the lines as even as possible.
pub(crate) fn balanced_words(
    words: &[String],
    width: f32,
    width_of: impl Fn(char) -> f32 + Copy,
) -> Vec<BrokenLine> {
    let greedy = word_lines(words, width, width_of);
    if greedy.len() <= 1 {
        return greedy;
    }
    let count = greedy.len();
    let total: f32 = words.iter().flat_map(|w| w.chars()).map(width_of).sum();
    // Never narrower than the widest word that fits a line: it would be cut.
    let widest = words
        .iter()
        .map(|w| w.chars().map(width_of).sum::<f32>())
        .filter(|w| *w <= width + EPSILON)
        .fold(0.0_f32, f32::max);
    let (mut low, mut high) = ((total / count as f32).max(widest), width);
    for _ in 0..24 {
        let mid = (low + high) / 2.0;
        if word_lines(words, mid, width_of).len() <= count {
            high = mid;
        } else {
            low = mid;
        }
    }
    word_lines(words, high, width_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chinese characters 1 wide, ASCII 0.5 wide.
    fn unit(ch: char) -> f32 {
        if ch.is_ascii() { 0.5 } else { 1.0 }
    }

    fn texts(lines: &[BrokenLine]) -> Vec<&str> {
        lines.iter().map(|line| line.text.as_str()).collect()
    }

    #[test]
    fn fills_lines_with_chinese_characters() {
        let lines = break_lines("一二三四五六七八九", 4.0, 4.0, unit);
        assert_eq!(texts(&lines), ["一二三四", "五六七八", "九"]);
        assert_eq!(lines[0].width, 4.0);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let lines = break_lines("一二三四，五六", 4.0, 4.0, unit);
        assert_eq!(texts(&lines), ["一二三", "四，五六"]);
        let lines = break_lines("一二三四。」五", 4.0, 4.0, unit);
        assert_eq!(texts(&lines), ["一二三", "四。」五"]);
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        let lines = break_lines("一二三「四五」", 4.0, 4.0, unit);
        assert_eq!(texts(&lines), ["一二三", "「四五」"]);
        let lines = break_lines("一二三（2026年）", 4.0, 4.0, unit);
        assert_eq!(lines[0].text, "一二三");
        assert!(lines[1].text.starts_with("（2026"));
    }

    #[test]
    fn ascii_words_stay_whole() {
        let lines = break_lines("电话010-59193000", 6.0, 6.0, unit);
        assert_eq!(texts(&lines), ["电话", "010-59193000"]);
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let lines = break_lines("abcdefghij", 2.0, 2.0, unit);
        assert_eq!(texts(&lines), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_cut_word_keeps_its_closing_bracket() {
        let lines = break_lines("(10)", 1.5, 1.5, unit);
        assert_eq!(texts(&lines), ["(10)"]);
    }

    #[test]
    fn spaces_break_and_vanish_at_line_ends() {
        let lines = break_lines("ab cd ef", 1.5, 1.5, unit);
        assert_eq!(texts(&lines), ["ab", "cd", "ef"]);
    }

    #[test]
    fn the_first_line_may_be_narrower() {
        let lines = break_lines("一二三四五六", 2.0, 4.0, unit);
        assert_eq!(texts(&lines), ["一二", "三四五六"]);
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(texts(&break_lines("", 4.0, 4.0, unit)), [""]);
    }

    #[test]
    fn no_line_breaks_against_kinsoku_in_a_long_paragraph() {
        let text = "公示期间，任何单位或个人对拟认定名单有异议的，可以书面形式向我司提出（须写明真实姓名），\
                    并提供必要的证明材料。「匿名」、冒名或逾期提出的异议不予受理。";
        for width in 3..20 {
            let lines = break_lines(text, width as f32, width as f32, unit);
            assert_eq!(
                lines.iter().map(|l| l.text.as_str()).collect::<String>(),
                text
            );
            for line in &lines {
                assert!(line.width <= width as f32 + EPSILON, "{line:?}");
                let first = line.text.chars().next().unwrap_or(' ');
                let last = line.text.chars().last().unwrap_or(' ');
                assert!(!no_line_start(first), "{width}: {:?}", line.text);
                assert!(!no_line_end(last), "{width}: {:?}", line.text);
            }
        }
    }

    #[test]
    fn titles_break_into_even_lines() {
        let title = "关于2026年全国农村信息化示范单位拟认定名单的公示";
        let lines = balanced_lines(title, 20.0, unit);
        assert_eq!(lines.len(), 2);
        let (a, b) = (lines[0].width, lines[1].width);
        assert!((a - b).abs() <= 1.0, "{lines:?}");
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<String>(),
            title
        );
    }

    #[test]
    fn titles_break_between_words_only() {
        let name = "北大荒农垦集团有限公司红星农场";
        let title = format!("关于认定{name}为2026年全国农村信息化示范单位的通知");
        let words = title_words(&title, &[name]);
        assert!(words.contains(&name.to_string()), "{words:?}");
        assert!(words.contains(&"2026年".to_string()), "{words:?}");
        assert!(words.contains(&"示范单位".to_string()), "{words:?}");
        for width in 15..30 {
            let lines = balanced_words(&words, width as f32, unit);
            assert_eq!(
                lines.iter().map(|l| l.text.as_str()).collect::<String>(),
                title
            );
            for line in &lines {
                assert!(line.width <= width as f32 + EPSILON, "{lines:?}");
            }
            let joined: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
            for word in [name, "2026年", "示范单位", "信息化"] {
                assert!(
                    joined.iter().any(|l| l.contains(word)),
                    "{width}: {joined:?}"
                );
            }
        }
    }

    #[test]
    fn title_punctuation_sticks_to_its_word() {
        let words = title_words("名单（按递补顺序排列）", &[]);
        assert_eq!(words, ["名单", "（按递补顺序排列）"]);
    }
}
