//! Normalising names for matching: applicants, provinces, keys typed by people.

use unicode_normalization::UnicodeNormalization;

use super::text_rules::is_invisible;

/// Normalise a unit name for duplicate detection: format and control characters removed
/// (zero-width, joiners, soft hyphen, BOM, bidi controls: see [`crate::text_rules`]), NFKC
/// (full-width forms to ASCII), no white space at all, every kind of bracket folded to `(` `)`,
/// Latin letters upper-cased. Display text is never changed; this is only for comparing.
pub fn normalise_name(name: &str) -> String {
    // Invisible characters go before and after NFKC: NFKC maps none to a visible one, but
    // decomposition could expose one.
    name.chars()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .nfkc()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .map(|c| match c {
            '（' | '【' | '〔' | '[' | '［' | '〖' | '{' | '｛' | '《' | '〈' => '(',
            '）' | '】' | '〕' | ']' | '］' | '〗' | '}' | '｝' | '》' | '〉' => ')',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// A credit code as compared for duplicates: invisible characters and white space removed,
/// NFKC, upper-case.
pub fn normalise_credit_code(code: &str) -> String {
    fold(
        &code
            .chars()
            .filter(|c| !is_invisible(*c) && !c.is_whitespace())
            .collect::<String>(),
    )
    .to_ascii_uppercase()
}

/// NFKC and trimmed: for names typed by people (province names, type names, codes).
pub fn fold(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_string()
}

/// Whether `s` holds full-width ASCII forms (U+FF01..U+FF5E) or the ideographic space.
pub fn has_full_width(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}')
}

/// The known name closest to `given` (by edit distance), when it is close enough to be a likely
/// typo. Used for "did you mean" hints.
pub fn closest<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(given, k), k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(2) && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_spaces_and_full_width_fold() {
        assert_eq!(
            normalise_name("农信通（北京）科技有限公司"),
            normalise_name("农信通(北京)科技 有限公司")
        );
        assert_eq!(normalise_name("ＡＢＣ　农场"), "ABC农场");
        assert_ne!(
            normalise_name("德清县农业农村局"),
            normalise_name("德清县农业局")
        );
    }

    #[test]
    fn invisible_characters_do_not_hide_a_duplicate() {
        let plain = normalise_name("德清县农业农村局");
        for c in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{00AD}', '\u{FEFF}', '\u{200E}',
            '\u{200F}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{1}', '\u{1B}',
            '\u{7F}', '\u{9B}',
        ] {
            let hidden = format!("德清{c}县农业{c}农村局{c}");
            assert_eq!(normalise_name(&hidden), plain, "U+{:04X}", c as u32);
        }
        assert_eq!(
            normalise_credit_code("1133\u{200B}05210026135675\u{FEFF}"),
            normalise_credit_code("113305210026135675")
        );
        assert_eq!(normalise_credit_code("ｍａ１ "), "MA1");
    }

    #[test]
    fn closest_suggests_typos_only() {
        let keys = ["infrastructure", "technology", "service_results"];
        assert_eq!(closest("infrastructur", keys), Some("infrastructure"));
        assert_eq!(closest("technolgy", keys), Some("technology"));
        assert_eq!(closest("zzz", keys), None);
    }
}
