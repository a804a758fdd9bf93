//! Normalising names for matching: applicants, provinces, keys typed by people.

use unicode_normalization::UnicodeNormalization;

/// Normalise a unit name for duplicate detection: NFKC (full-width forms to ASCII), no white
/// space at all, every kind of bracket folded to `(` `)`, Latin letters upper-cased.
/// Display text is never changed; this is only for comparing.
pub fn normalise_name(name: &str) -> String {
    name.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' | '【' | '〔' | '[' | '［' | '〖' | '{' | '｛' | '《' | '〈' => '(',
            '）' | '】' | '〕' | ']' | '］' | '〗' | '}' | '｝' | '》' | '〉' => ')',
            c => c.to_ascii_uppercase(),
        })
        .collect()
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
    fn closest_suggests_typos_only() {
        let keys = ["infrastructure", "technology", "service_results"];
        assert_eq!(closest("infrastructur", keys), Some("infrastructure"));
        assert_eq!(closest("technolgy", keys), Some("technology"));
        assert_eq!(closest("zzz", keys), None);
    }
}
