//! Text from dossiers, the roster, opinions, file names or a user, made harmless before it
//! reaches a terminal: the one rule the TUI and the CLI share.
//!
//! A control character could drive the terminal (ESC and CSI sequences clear the screen or move
//! the cursor, OSC retitles the window, BEL rings), and a bidirectional control can reorder what
//! the reader sees. Each is replaced by a visible stand-in, so the text still shows that something
//! was there: C0 controls by their "control pictures" (␛ ␇ …, one column each), DEL by ␡, C1
//! controls and bidi controls by `<U+XXXX>`. An escape sequence thus prints as plain text
//! (`␛[2J`, `␛]0;title␇`), never as a command.

/// Bidirectional controls: marks (LRM, RLM, ALM), embeddings and overrides (U+202A–U+202E) and
/// isolates (U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// A character that must not reach a terminal as it is: C0 (including ESC, BEL, CR), DEL, C1
/// (U+0080–U+009F) and bidi controls.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn push_visible(out: &mut String, c: char) {
    match c {
        // U+2400.. "control pictures": ␀ ␁ … ␛ …, one column wide.
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => out.push('\u{2421}'),
        c => out.push_str(&format!("<U+{:04X}>", c as u32)),
    }
}

/// One line of text (a TUI cell, a field): every unsafe character visible, a tab a space, a
/// line break shown as ␊.
pub fn clean(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            c if is_unsafe(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Text of several lines (what the CLI prints): like [`clean`], but line breaks (`\n`) and tabs
/// stay as they are. A carriage return is shown (␍): it could overwrite the start of a line.
pub fn clean_lines(s: &str) -> String {
    if !s.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if is_unsafe(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// JSON text as printed to a terminal: serde escapes C0 controls already; C1 and bidi controls
/// are left raw by it, so they are written as `\uXXXX` escapes here. Outside strings JSON is
/// ASCII, so this changes no value: a reader parses exactly what was serialised.
pub fn escape_json(json: &str) -> String {
    if !json.chars().any(is_unsafe) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            // Whitespace between tokens (pretty printing) is not inside a string: serde never
            // writes a raw control inside one.
            '\n' | '\t' | '\r' => out.push(c),
            c if is_unsafe(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}[2J\u{1b}]0;title\u{7}b\u{9b}31m\u{85}c\u{202e}d\u{2066}e\u{200e}\u{200f}\u{61c}\r\u{7f}";

    fn raw_free(s: &str) -> bool {
        !s.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t')
    }

    #[test]
    fn every_control_and_bidi_character_is_made_visible() {
        let s = clean(HOSTILE);
        assert!(!s.chars().any(is_unsafe), "{s:?}");
        assert_eq!(
            s,
            "a␛[2J␛]0;title␇b<U+009B>31m<U+0085>c<U+202E>d<U+2066>e<U+200E><U+200F><U+061C>␍␡"
        );
        assert_eq!(clean("浙江\t省\n"), "浙江 省␊");
        assert_eq!(clean("长兴县"), "长兴县");
    }

    #[test]
    fn lines_keep_their_breaks_and_nothing_else() {
        let s = clean_lines(&format!("{HOSTILE}\n\tnext"));
        assert!(raw_free(&s), "{s:?}");
        assert!(s.ends_with("␍␡\n\tnext"));
        assert_eq!(clean_lines("一\n二"), "一\n二");
    }

    #[test]
    fn json_escapes_parse_back_to_the_same_value() {
        let v = serde_json::json!({ "name": HOSTILE, "n": [1, 2] });
        let text = escape_json(&serde_json::to_string_pretty(&v).unwrap());
        assert!(raw_free(&text), "{text:?}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
