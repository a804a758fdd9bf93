//! Widths of text from the fonts' advance widths, and the split of a line into runs of one face.

use super::fonts::{FaceRole, Fonts};

/// The face and size asked for a piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub(crate) face: FaceRole,
    /// Font size, in pt.
    pub(crate) size: f32,
}

impl Style {
    pub(crate) const fn new(face: FaceRole, size: f32) -> Self {
        Self { face, size }
    }
}

/// A stretch of text drawn in one face.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub(crate) face: FaceRole,
    pub(crate) text: String,
    /// Width, in pt.
    pub(crate) width: f32,
}

/// Width of `ch` in pt: from the face that will draw it; a character no face has is drawn as
/// the wanted face's empty box, taken as one em.
pub(crate) fn char_width(fonts: &Fonts, style: Style, ch: char) -> f32 {
    let em = fonts
        .resolve(style.face, ch)
        .and_then(|face| fonts.advance(face, ch))
        .unwrap_or(1.0);
    em * style.size
}

/// Width of `text` in pt.
pub(crate) fn text_width(fonts: &Fonts, style: Style, text: &str) -> f32 {
    text.chars().map(|ch| char_width(fonts, style, ch)).sum()
}

/// Splits `text` into runs of one face each. Characters no face has stay in the wanted face
/// (they print as its empty box); [`missing_chars`] reports them.
pub(crate) fn runs(fonts: &Fonts, style: Style, text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for ch in text.chars() {
        let face = fonts.resolve(style.face, ch).unwrap_or(style.face);
        let width = fonts.advance(face, ch).unwrap_or(1.0) * style.size;
        match out.last_mut() {
            Some(run) if run.face == face => {
                run.text.push(ch);
                run.width += width;
            }
            _ => out.push(Run {
                face,
                text: ch.to_string(),
                width,
            }),
        }
    }
    out
}

/// The characters of `text` that no shipped face has, each once, in order of appearance.
pub(crate) fn missing_chars(fonts: &Fonts, text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for ch in text.chars() {
        if !fonts.covers(ch) && !out.contains(&ch) {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn fonts() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::load_default().expect("fonts in assets/fonts"))
    }

    const BODY: Style = Style::new(FaceRole::Body, 16.0);

    #[test]
    fn chinese_characters_are_one_em_wide() {
        assert_eq!(text_width(fonts(), BODY, "农业农村局"), 80.0);
        assert_eq!(
            char_width(fonts(), Style::new(FaceRole::Title, 22.0), '公'),
            22.0
        );
    }

    #[test]
    fn ascii_is_narrower_than_chinese() {
        let digits = text_width(fonts(), BODY, "2026");
        assert!(digits > 16.0 && digits < 64.0, "{digits}");
    }

    #[test]
    fn characters_outside_gb2312_switch_to_the_fallback_face() {
        let runs = runs(fonts(), BODY, "西安市鄠邑区");
        let faces: Vec<(FaceRole, &str)> = runs.iter().map(|r| (r.face, r.text.as_str())).collect();
        assert_eq!(
            faces,
            [
                (FaceRole::Body, "西安市"),
                (FaceRole::Plain, "鄠"),
                (FaceRole::Body, "邑区")
            ]
        );
        let total: f32 = runs.iter().map(|r| r.width).sum();
        assert_eq!(total, text_width(fonts(), BODY, "西安市鄠邑区"));
        for ch in ['埇', '浉', '硚'] {
            assert_eq!(
                fonts().resolve(FaceRole::Body, ch),
                Some(FaceRole::Plain),
                "{ch}"
            );
        }
    }

    #[test]
    fn missing_characters_are_listed_once() {
        assert_eq!(
            missing_chars(fonts(), "成都𠀀区𠀀\u{E000}"),
            ['𠀀', '\u{E000}']
        );
        assert!(missing_chars(fonts(), "西安市鄠邑区，（2026）").is_empty());
        // A missing character still takes room: the empty box, one em.
        assert_eq!(char_width(fonts(), BODY, '𠀀'), 16.0);
    }
}
