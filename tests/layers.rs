//! The layers the compiler holds: the domain crate depends on nothing that reaches files, SQL,
//! the terminal, PDFs or TOML, and its sources never touch the file system, the environment,
//! the clock or processes. A dependency that crosses the layer fails here by name.

use std::path::Path;

const FORBIDDEN_CRATES: &[&str] = &[
    "rusqlite",
    "ratatui",
    "crossterm",
    "printpdf",
    "lopdf",
    "toml",
    "csv",
    "rust_xlsxwriter",
    "rust-xlsxwriter",
    "libc",
];

const FORBIDDEN_CALLS: &[&str] = &[
    "std::fs",
    "std::env",
    "std::net",
    "std::process",
    "std::io::stdin",
    "SystemTime",
    "Timestamp::now",
    "Zoned::now",
    "ZonedDateTime::now",
];

#[test]
fn the_domain_crate_depends_only_on_pure_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("crates/domain/Cargo.toml")).unwrap();
    let deps: Vec<&str> = manifest
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    assert!(deps.contains(&"serde"), "the manifest was read: {deps:?}");
    for c in FORBIDDEN_CRATES {
        assert!(
            !deps.contains(c),
            "crates/domain/Cargo.toml depends on {c}, which belongs to an outer layer"
        );
    }
}

#[test]
fn the_domain_sources_touch_no_files_clock_or_environment() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/domain/src");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for call in FORBIDDEN_CALLS {
                assert!(
                    !line.contains(call),
                    "{}:{}: {call} in the domain: {line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
    assert!(files > 10, "the domain sources were read ({files} files)");
}
