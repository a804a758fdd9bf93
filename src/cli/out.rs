//! Where the CLI prints. `println!`, `print!`, `eprintln!` and `eprint!` are shadowed in the
//! whole `cli` module tree (see `cli/mod.rs`) by macros that land here, so every human-readable
//! line passes [`shifan::terminal_text::clean_lines`]: a dossier, the roster, an opinion or a
//! file name can never clear the screen, retitle the window or reverse text. JSON goes through
//! [`json`], which keeps its values exact.

use std::fmt::Arguments;
use std::io::Write;

use shifan::terminal_text::{clean_lines, escape_json};

fn text(args: Arguments, newline: bool) -> String {
    let mut s = match args.as_str() {
        Some(s) => clean_lines(s),
        None => clean_lines(&args.to_string()),
    };
    if newline {
        s.push('\n');
    }
    s
}

/// Print to stdout, cleaned. A failed write (the reader went away) is not a panic.
pub fn stdout(args: Arguments, newline: bool) {
    let _ = std::io::stdout()
        .lock()
        .write_all(text(args, newline).as_bytes());
}

/// Print to stderr, cleaned.
pub fn stderr(args: Arguments, newline: bool) {
    let _ = std::io::stderr()
        .lock()
        .write_all(text(args, newline).as_bytes());
}

/// Print a value as pretty JSON on stdout: exact values (a parser reads back what was
/// serialised), with C1 and bidi controls written as `\u` escapes rather than raw.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), serde_json::Error> {
    let mut s = escape_json(&serde_json::to_string_pretty(value)?);
    s.push('\n');
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
    Ok(())
}
