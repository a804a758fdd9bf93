//! The interface language, switched at run time (Chinese by default).

use crate::domain::Text;

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Pick the string of this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The text of this language.
    pub fn text(self, t: &Text) -> &str {
        self.pick(&t.zh, &t.en)
    }

    pub fn toggled(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// `"zh"` or `"en"`.
    pub fn code(self) -> &'static str {
        self.pick("zh", "en")
    }
}
