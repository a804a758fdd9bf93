//! Random, truncated and binary files never panic: they give findings.

mod common;

use proptest::prelude::*;
use shifan::input::source::SourceText;
use shifan::input::{dossier, encoding, submission};

fn read_any(bytes: &[u8]) -> usize {
    match encoding::decode(bytes) {
        Ok((text, _)) => {
            let src = SourceText::new("x.toml", text);
            let (_, f1) = dossier::read(&src);
            let (_, f2) = submission::read(&src);
            f1.len() + f2.len()
        }
        Err(_) => 1,
    }
}

fn valid_dossier() -> Vec<u8> {
    std::fs::read(common::fixture("valid/zhejiang/deqing.toml")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        read_any(&bytes);
    }

    #[test]
    fn truncated_dossiers_never_panic(cut in 0usize..2000) {
        let bytes = valid_dossier();
        let cut = cut.min(bytes.len());
        read_any(&bytes[..cut]);
    }

    #[test]
    fn corrupted_dossiers_never_panic(pos in 0usize..2000, byte in any::<u8>()) {
        let mut bytes = valid_dossier();
        let pos = pos % bytes.len();
        bytes[pos] = byte;
        read_any(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        read_any(text.as_bytes());
    }
}

#[test]
fn truncated_and_binary_files_in_a_batch_are_errors_with_the_file_named() {
    let c = common::criteria();
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::edited_batch(tmp.path(), "", |t| t.to_string());
    let bytes = valid_dossier();
    std::fs::write(dir.join("cut.toml"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(
        dir.join("image.toml"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0],
    )
    .unwrap();
    let r = common::validate(&c, &dir);
    let errs: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| {
            (
                f.code.as_str(),
                f.file.rsplit('/').next().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        errs.contains(&("E-ENCODING", "image.toml".to_string())),
        "{errs:?}"
    );
    assert!(errs.iter().any(|(_, f)| f == "cut.toml"), "{errs:?}");
    assert!(!r.batches[0].importable());
}

/// Format and control characters (a sample of Cf and Cc, as the fuzzer planted them).
const INVISIBLE: &[char] = &[
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{2060}',
    '\u{00AD}',
    '\u{FEFF}',
    '\u{200E}',
    '\u{200F}',
    '\u{202A}',
    '\u{202B}',
    '\u{202C}',
    '\u{202D}',
    '\u{202E}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{061C}',
    '\u{180E}',
    '\u{1}',
    '\u{1B}',
    '\u{7F}',
    '\u{85}',
    '\u{9B}',
    '\u{E0001}',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// However many invisible characters are planted, wherever, the name compares the same.
    #[test]
    fn invisible_characters_never_change_a_normalised_name(
        name in "[\\u{4E00}-\\u{9FA5}（）()A-Za-z ]{1,30}",
        planted in proptest::collection::vec((any::<proptest::sample::Index>(), 0usize..INVISIBLE.len()), 1..6),
    ) {
        let mut chars: Vec<char> = name.chars().collect();
        for (at, c) in &planted {
            let i = at.index(chars.len() + 1);
            chars.insert(i, INVISIBLE[*c]);
        }
        let hidden: String = chars.into_iter().collect();
        let norm = shifan::domain::names::normalise_name;
        prop_assert_eq!(norm(&hidden), norm(&name));
        let (found, usable) = shifan::domain::text_rules::check_text("f", None, "applicant.name", &hidden, true);
        if shifan::domain::text_rules::is_blank(&name) {
            prop_assert!(!usable);
        } else {
            prop_assert!(usable);
            prop_assert!(found.iter().any(|f| f.code.as_str() == "W-INVISIBLE-CHAR"));
        }
    }
}
