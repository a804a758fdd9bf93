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
