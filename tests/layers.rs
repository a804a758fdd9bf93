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

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn screens_do_not_import_the_app_module() {
    // `app` dispatches to the screens; a screen that imports `app` back closes a circle.
    // Screens take `Env` and the message types from the leaf module `tui::core`.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/screens");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(
        files.len() > 12,
        "the screens were read ({} files)",
        files.len()
    );
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            assert!(
                !(code.contains("tui::app") || code.contains("super::app")),
                "{}:{}: a screen imports the app module: {line}",
                path.display(),
                n + 1
            );
        }
    }
}

#[test]
fn the_tui_core_module_is_a_leaf() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/core.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("pub enum Msg"), "core.rs was read");
    for line in text.lines().filter(|l| l.trim_start().starts_with("use ")) {
        for banned in ["screens", "app", "view", "run"] {
            assert!(
                !line.contains(&format!("::{banned}")),
                "src/tui/core.rs must stay a leaf: {line}"
            );
        }
    }
}

#[test]
fn the_tui_draws_through_shared_references_only() {
    // `view(&State, ..)` is pure: no `Cell` or `RefCell` in the TUI through which drawing could
    // write state behind a shared reference (issue 12: "`view` writes a `Cell`").
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(files.len() > 30, "the TUI was read ({} files)", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            assert!(
                !(code.contains("Cell<") || code.contains("RefCell") || code.contains("cell::")),
                "{}:{}: interior mutability in the TUI: {line}",
                path.display(),
                n + 1
            );
        }
    }
}
