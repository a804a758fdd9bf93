//! Mutations of dossier and submission files, each described in words so a saved case can be
//! read without running anything. All choices come from the case's seeded RNG.

use std::ffi::OsString;
use std::fs;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Invisible and direction-changing characters, and controls, as raw text.
const HOSTILE_RAW: &[&str] = &[
    "\u{200B}",
    "\u{200D}",
    "\u{2060}",
    "\u{00AD}",
    "\u{FEFF}",
    "\u{200E}",
    "\u{202E}",
    "\u{2066}",
    "\u{202E}txt.exe\u{202C}",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]8;;http://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{7}",
    "\u{9b}31m",
    "\u{85}",
    "\u{8d}",
    "\r",
    "\u{0}",
    "\u{7f}",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+1-1",
    "@SUM(A1)",
    "１２３",
    "𠀀𪚥",
    "\u{301}\u{301}\u{301}",
];

/// The same, written as TOML escapes, so that they pass the TOML parser and reach the checks.
const HOSTILE_ESCAPED: &[&str] = &[
    "\\u200B",
    "\\u200D\\u2060\\u00AD",
    "\\uFEFF",
    "\\u202E",
    "\\u001B[2J\\u001B[H",
    "\\u001B]0;pwned\\u0007",
    "\\u0007",
    "\\u009B31m",
    "\\u0085",
    "\\r\\n",
    "\\u0000",
    "\\b\\b\\b",
];

const HUGE_NUMBERS: &[&str] = &[
    "99999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "-1",
    "0",
    "-0",
    "1e400",
    "1.5",
    "nan",
    "inf",
    "0x7fffffff",
    "0o777",
    "0b1",
    "1_000_000",
    "4294967296",
    "2147483648",
];

const BAD_DATES: &[&str] = &[
    "2026-02-30",
    "2026-02-29",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "9999-12-31",
    "1970-01-01",
    "2026-05-20T25:00:00",
    "2026-05-20T08:00:00+08:00",
    "2026-06-01",
    "2027-01-01",
    "\"2026-05-20\"",
    "2026-5-20",
    "２０２６-０５-２０",
];

const WRONG_TYPES: &[&str] = &[
    "{}",
    "[]",
    "true",
    "\"\"",
    "\"  \"",
    "\"\\u200B\"",
    "\"\\u200B\\u200E\\u202E\"",
    "1.0",
    "[1, \"a\", true]",
    "{ name = 1 }",
];

const SWAP_VALUES: &[&str] = &[
    "\"other\"",
    "\"其他类型\"",
    "\"整体推进型\"",
    "\"information_service\"",
    "\"unknown_type\"",
    "\"北京\"",
    "\"河北省\"",
    "\"130000\"",
    "\"999999\"",
    "\"新疆生产建设兵团\"",
    "\"government\"",
    "\"enterprise \"",
    "\"113305210026135675\"",
    "\"91110000600037341L\"",
    "\"ＡＢＣ\"",
];

/// File names a province's tools (or an attacker) might produce; always ending `.toml`.
fn hostile_names() -> Vec<Vec<u8>> {
    vec![
        b"dossier-\xff\xfe.toml".to_vec(),
        b"dossier-\xe4\xb8.toml".to_vec(),
        "dossier-\u{1b}[31mred.toml".as_bytes().to_vec(),
        "dossier-\u{1b}]0;title\u{7}.toml".as_bytes().to_vec(),
        "dossier-\u{202E}lmot.toml".as_bytes().to_vec(),
        "申报书 第01号.toml".as_bytes().to_vec(),
        "dossier\nnewline.toml".as_bytes().to_vec(),
        "dossier-\u{9b}c1.toml".as_bytes().to_vec(),
        "dossier-\u{200B}.toml".as_bytes().to_vec(),
        format!("{}.toml", "长".repeat(80)).into_bytes(),
    ]
}

/// Shows a text with every control, format and non-ASCII-space character escaped, so that the
/// harness itself never prints a raw ESC or bidi control.
pub fn visible(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let cp = c as u32;
        let hide = c.is_control()
            || matches!(cp, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0xAD | 0x61C);
        if hide {
            out.push_str(&format!("\\u{{{cp:X}}}"));
        } else {
            out.push(c);
        }
    }
    out
}

pub fn visible_bytes(b: &[u8]) -> String {
    let mut out = String::new();
    for chunk in b.utf8_chunks() {
        out.push_str(&visible(chunk.valid()));
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Byte offsets of the starts of lines.
fn line_starts(b: &[u8]) -> Vec<usize> {
    let mut v = vec![0];
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' && i + 1 < b.len() {
            v.push(i + 1);
        }
    }
    v
}

fn line_range(b: &[u8], starts: &[usize], i: usize) -> (usize, usize) {
    let s = starts[i];
    let e = starts.get(i + 1).copied().unwrap_or(b.len());
    (s, e)
}

/// A `key = value` line: (line number from 1, key, value start, value end) with the value
/// ending before a trailing comment-free newline.
struct ValueLine {
    line: usize,
    key: String,
    start: usize,
    end: usize,
}

fn value_lines(b: &[u8]) -> Vec<ValueLine> {
    let starts = line_starts(b);
    let mut out = Vec::new();
    for i in 0..starts.len() {
        let (s, e) = line_range(b, &starts, i);
        let line = &b[s..e];
        let Some(eq) = line.iter().position(|&c| c == b'=') else {
            continue;
        };
        let key = String::from_utf8_lossy(&line[..eq]).trim().to_string();
        if key.is_empty()
            || !key
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-')
        {
            continue;
        }
        let mut vs = s + eq + 1;
        while vs < e && b[vs] == b' ' {
            vs += 1;
        }
        let mut ve = e;
        while ve > vs && matches!(b[ve - 1], b'\n' | b'\r' | b' ') {
            ve -= 1;
        }
        if ve > vs {
            out.push(ValueLine {
                line: i + 1,
                key,
                start: vs,
                end: ve,
            });
        }
    }
    out
}

fn splice(b: &mut Vec<u8>, start: usize, end: usize, with: &[u8]) {
    b.splice(start..end, with.iter().copied());
}

/// Random text of `n` characters, Chinese and ASCII mixed.
fn long_text(rng: &mut ChaCha8Rng, n: usize) -> String {
    let alphabet: Vec<char> = "农业信息化示范单位服务平台建设abcXYZ0123 ，。"
        .chars()
        .collect();
    (0..n).map(|_| *pick(rng, &alphabet)).collect()
}

/// A char boundary inside a quoted string value, or None.
fn inside_string(rng: &mut ChaCha8Rng, b: &[u8], v: &ValueLine) -> Option<usize> {
    if b.get(v.start) != Some(&b'"') || v.end - v.start < 2 {
        return None;
    }
    let text = std::str::from_utf8(&b[v.start + 1..v.end - 1]).ok()?;
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    Some(v.start + 1 + *pick(rng, &bounds))
}

/// Applies one content mutation to `bytes`; returns its description.
fn mutate_bytes(rng: &mut ChaCha8Rng, bytes: &mut Vec<u8>) -> String {
    let values = value_lines(bytes);
    let strings: Vec<&ValueLine> = values.iter().filter(|v| bytes[v.start] == b'"').collect();
    let ints: Vec<&ValueLine> = values
        .iter()
        .filter(|v| bytes[v.start..v.end].iter().all(|c| c.is_ascii_digit()))
        .collect();
    let dates: Vec<&ValueLine> = values
        .iter()
        .filter(|v| {
            let t = &bytes[v.start..v.end];
            t.len() == 10 && t[4] == b'-' && t[7] == b'-'
        })
        .collect();
    let len = bytes.len();
    match rng.random_range(0..22u32) {
        0 if len > 0 => {
            let at = rng.random_range(0..len);
            let bit = rng.random_range(0..8u32);
            bytes[at] ^= 1 << bit;
            format!("bit {bit} of byte {at} flipped")
        }
        1 => {
            let at = rng.random_range(0..=len);
            let n = rng.random_range(1..9usize);
            let ins: Vec<u8> = (0..n).map(|_| rng.random::<u8>()).collect();
            splice(bytes, at, at, &ins);
            format!("bytes {} inserted at {at}", visible_bytes(&ins))
        }
        2 if len > 0 => {
            let at = rng.random_range(0..len);
            let n = rng.random_range(1..33usize).min(len - at);
            splice(bytes, at, at + n, &[]);
            format!("{n} bytes deleted at {at}")
        }
        3 => {
            let at = rng.random_range(0..=len);
            bytes.truncate(at);
            format!("truncated to {at} bytes")
        }
        4 | 5 if len > 0 => {
            let starts = line_starts(bytes);
            let i = rng.random_range(0..starts.len());
            let (s, e) = line_range(bytes, &starts, i);
            if rng.random_bool(0.5) {
                let mut line = bytes[s..e].to_vec();
                if line.last() != Some(&b'\n') {
                    line.insert(0, b'\n');
                }
                let j = rng.random_range(0..starts.len());
                let at = starts[j];
                splice(bytes, at, at, &line);
                format!("line {} duplicated before line {}", i + 1, j + 1)
            } else {
                splice(bytes, s, e, &[]);
                format!("line {} deleted", i + 1)
            }
        }
        6 if values.len() >= 2 => {
            let a = rng.random_range(0..values.len());
            let mut c = rng.random_range(0..values.len());
            if c == a {
                c = (a + 1) % values.len();
            }
            let (x, y) = if a < c { (a, c) } else { (c, a) };
            let (vx, vy) = (&values[x], &values[y]);
            let tx = bytes[vx.start..vx.end].to_vec();
            let ty = bytes[vy.start..vy.end].to_vec();
            splice(bytes, vy.start, vy.end, &tx);
            splice(bytes, vx.start, vx.end, &ty);
            format!(
                "values of `{}` (line {}) and `{}` (line {}) swapped",
                vx.key, vx.line, vy.key, vy.line
            )
        }
        7 | 8 if !strings.is_empty() => {
            let v = *pick(rng, &strings);
            let Some(at) = inside_string(rng, bytes, v) else {
                return mutate_bytes(rng, bytes);
            };
            let escaped = rng.random_bool(0.4);
            let payload = if escaped {
                *pick(rng, HOSTILE_ESCAPED)
            } else {
                *pick(rng, HOSTILE_RAW)
            };
            if rng.random_bool(0.25) {
                // The whole value becomes the payload (a required text of only invisible chars).
                let q = format!("\"{payload}\"");
                splice(bytes, v.start, v.end, q.as_bytes());
                format!(
                    "`{}` (line {}) set to {} {}",
                    v.key,
                    v.line,
                    if escaped { "escaped" } else { "raw" },
                    visible(payload)
                )
            } else {
                splice(bytes, at, at, payload.as_bytes());
                format!(
                    "{} {} inserted into `{}` (line {})",
                    if escaped { "escaped" } else { "raw" },
                    visible(payload),
                    v.key,
                    v.line
                )
            }
        }
        9 if !ints.is_empty() || !values.is_empty() => {
            let v = if ints.is_empty() {
                pick(rng, &values)
            } else {
                *pick(rng, &ints)
            };
            let n = *pick(rng, HUGE_NUMBERS);
            splice(bytes, v.start, v.end, n.as_bytes());
            format!("`{}` (line {}) set to {n}", v.key, v.line)
        }
        10 if !strings.is_empty() => {
            let v = *pick(rng, &strings);
            let n = *pick(rng, &[10_000usize, 10_000, 33_000, 100_000, 1_000_000]);
            let text = format!("\"{}\"", long_text(rng, n));
            splice(bytes, v.start, v.end, text.as_bytes());
            format!("`{}` (line {}) set to a {n}-character text", v.key, v.line)
        }
        11 if !ints.is_empty() || !dates.is_empty() => {
            let v = if dates.is_empty() || (!ints.is_empty() && rng.random_bool(0.5)) {
                *pick(rng, &ints)
            } else {
                *pick(rng, &dates)
            };
            let all = rng.random_bool(0.5);
            let text = String::from_utf8_lossy(&bytes[v.start..v.end]).into_owned();
            let mut done_one = false;
            let wide: String = text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) if all || !done_one => {
                        done_one = true;
                        char::from_u32(0xFF10 + d).unwrap_or(c)
                    }
                    _ => c,
                })
                .collect();
            let quoted = if rng.random_bool(0.3) {
                format!("\"{wide}\"")
            } else {
                wide.clone()
            };
            splice(bytes, v.start, v.end, quoted.as_bytes());
            format!(
                "`{}` (line {}) written with full-width digits: {quoted}",
                v.key, v.line
            )
        }
        12 => match std::str::from_utf8(bytes) {
            Ok(text) => {
                let kind = rng.random_range(0..3u32);
                let (enc, name): (Vec<u8>, &str) = match kind {
                    0 => (
                        encoding_rs::GB18030.encode(text).0.into_owned(),
                        "re-saved in GB18030",
                    ),
                    1 => {
                        let mut e = vec![0x84, 0x31, 0x95, 0x33];
                        e.extend_from_slice(&encoding_rs::GB18030.encode(text).0);
                        (e, "re-saved in GB18030 with its BOM (84 31 95 33)")
                    }
                    _ => {
                        let mut e = vec![0xFF, 0xFE];
                        for u in text.encode_utf16() {
                            e.extend_from_slice(&u.to_le_bytes());
                        }
                        (e, "re-saved in UTF-16LE with BOM")
                    }
                };
                *bytes = enc;
                name.to_string()
            }
            Err(_) => mutate_bytes(rng, bytes),
        },
        13 => {
            let seqs: &[&[u8]] = &[
                b"\xff",
                b"\xc0\x80",
                b"\xed\xa0\x80",
                b"\xe4\xb8",
                b"\x80",
                b"\xf8\x88\x80\x80\x80",
            ];
            let seq = *pick(rng, seqs);
            let at = match strings.is_empty() {
                false => {
                    let v = *pick(rng, &strings);
                    inside_string(rng, bytes, v).unwrap_or(v.start)
                }
                true => rng.random_range(0..=len),
            };
            splice(bytes, at, at, seq);
            format!("invalid UTF-8 {} inserted at byte {at}", visible_bytes(seq))
        }
        14 => {
            let depth = *pick(rng, &[64usize, 1_000, 10_000, 100_000]);
            let (text, what) = match rng.random_range(0..3u32) {
                0 => (
                    format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
                    "array",
                ),
                1 => (
                    format!("{}1{}", "{ a = ".repeat(depth), " }".repeat(depth)),
                    "inline table",
                ),
                _ => ("[".repeat(depth), "unclosed array"),
            };
            if !values.is_empty() && rng.random_bool(0.5) {
                let v = pick(rng, &values);
                splice(bytes, v.start, v.end, text.as_bytes());
                format!(
                    "`{}` (line {}) set to a {what} nested {depth} deep",
                    v.key, v.line
                )
            } else {
                let line = format!("\ndeep = {text}\n");
                let at = line_starts(bytes).get(1).copied().unwrap_or(0);
                splice(bytes, at, at, line.as_bytes());
                format!("`deep = ` {what} nested {depth} deep inserted near the top")
            }
        }
        15 => {
            let headers = [
                "[applicant]",
                "[foundation]",
                "[provincial_review]",
                "[type_evidence]",
                "[team]",
            ];
            let h = *pick(rng, &headers);
            let extra = format!("\n{h}\nname = \"重复\"\n");
            bytes.extend_from_slice(extra.as_bytes());
            format!("table {h} appended again with a key")
        }
        16 if !dates.is_empty() => {
            let v = *pick(rng, &dates);
            let d = *pick(rng, BAD_DATES);
            splice(bytes, v.start, v.end, d.as_bytes());
            format!("`{}` (line {}) set to {d}", v.key, v.line)
        }
        17 => match rng.random_range(0..3u32) {
            0 => {
                splice(bytes, 0, 0, b"\xef\xbb\xbf");
                "UTF-8 BOM prepended".to_string()
            }
            1 => {
                let crlf: Vec<u8> = bytes
                    .iter()
                    .flat_map(|&c| {
                        if c == b'\n' {
                            vec![b'\r', b'\n']
                        } else {
                            vec![c]
                        }
                    })
                    .collect();
                *bytes = crlf;
                "line ends changed to CRLF".to_string()
            }
            _ => {
                for c in bytes.iter_mut() {
                    if *c == b'\n' {
                        *c = b'\r';
                    }
                }
                "line ends changed to CR only".to_string()
            }
        },
        18 if !values.is_empty() => {
            let v = pick(rng, &values);
            let w = *pick(rng, SWAP_VALUES);
            splice(bytes, v.start, v.end, w.as_bytes());
            format!("`{}` (line {}) set to {}", v.key, v.line, visible(w))
        }
        19 => {
            bytes.clear();
            "emptied".to_string()
        }
        20 if !values.is_empty() => {
            let v = pick(rng, &values);
            let w = *pick(rng, WRONG_TYPES);
            splice(bytes, v.start, v.end, w.as_bytes());
            format!("`{}` (line {}) set to {}", v.key, v.line, visible(w))
        }
        21 if !values.is_empty() => {
            let v = pick(rng, &values);
            let line = format!(
                "\n{} = {}\n",
                v.key,
                String::from_utf8_lossy(&bytes[v.start..v.end])
            );
            bytes.extend_from_slice(line.as_bytes());
            format!("key `{}` (line {}) repeated at the end", v.key, v.line)
        }
        _ => mutate_bytes(rng, bytes),
    }
}

/// The `.toml` files of the case's folders, sorted so the same seed picks the same file.
pub fn toml_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(dirs) = fs::read_dir(root) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = dirs
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let Ok(files) = fs::read_dir(&d) else {
            continue;
        };
        let mut files: Vec<PathBuf> = files
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "toml") && p.is_file() && !p.is_symlink()
            })
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."))
            })
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

fn rel(root: &Path, p: &Path) -> String {
    visible_bytes(
        p.strip_prefix(root)
            .unwrap_or(p)
            .as_os_str()
            .as_encoded_bytes(),
    )
}

/// Files that are not regular files, or are hidden or nested, where a dossier is expected
/// (only with `--special-files`: some of them hang or exhaust an unguarded reader).
fn special_file(
    rng: &mut ChaCha8Rng,
    root: &Path,
    dir: &Path,
    dossier: &Path,
) -> std::io::Result<String> {
    let what = match rng.random_range(0..9u32) {
        0 => {
            let p = dir.join("fifo.toml");
            let ok = std::process::Command::new("mkfifo")
                .arg(&p)
                .status()?
                .success();
            if !ok {
                return Err(std::io::Error::other("mkfifo failed"));
            }
            format!("FIFO {} made", rel(root, &p))
        }
        1 => {
            let p = dir.join("zero.toml");
            std::os::unix::fs::symlink("/dev/zero", &p)?;
            format!("{} made a symlink to /dev/zero", rel(root, &p))
        }
        2 => {
            let p = dir.join("null.toml");
            std::os::unix::fs::symlink("/dev/null", &p)?;
            format!("{} made a symlink to /dev/null", rel(root, &p))
        }
        3 => {
            let p = dir.join("dangling.toml");
            std::os::unix::fs::symlink("does-not-exist.toml", &p)?;
            format!("{} made a dangling symlink", rel(root, &p))
        }
        4 => {
            let p = dir.join("linked.toml");
            std::os::unix::fs::symlink(dossier, &p)?;
            format!("{} made a symlink to {}", rel(root, &p), rel(root, dossier))
        }
        5 => {
            let p = dir.join("socket.toml");
            drop(std::os::unix::net::UnixListener::bind(&p)?);
            format!("socket {} made", rel(root, &p))
        }
        6 => {
            let p = dir.join("folder.toml");
            fs::create_dir_all(&p)?;
            format!("folder {} made", rel(root, &p))
        }
        7 => {
            let p = dir.join(".hidden.toml");
            fs::copy(dossier, &p)?;
            format!("{} copied to hidden {}", rel(root, dossier), rel(root, &p))
        }
        _ => {
            let p = dir.join("nested").join("dossier-nested.toml");
            fs::create_dir_all(dir.join("nested"))?;
            fs::copy(dossier, &p)?;
            format!("{} copied to nested {}", rel(root, dossier), rel(root, &p))
        }
    };
    Ok(what)
}

/// Applies one mutation to the tree under `root` (a file's content, or the files themselves).
pub fn mutate_tree(rng: &mut ChaCha8Rng, root: &Path, special: bool) -> std::io::Result<String> {
    let files = toml_files(root);
    if files.is_empty() {
        return Ok("nothing to mutate".to_string());
    }
    let subs: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "submission.toml"))
        .collect();
    let dossiers: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "submission.toml"))
        .collect();
    let roll = rng.random_range(0..100u32);
    if special && roll >= 94 && !dossiers.is_empty() {
        let dossier = *pick(rng, &dossiers);
        let dir = dossier.parent().unwrap_or(root);
        return special_file(rng, root, dir, dossier);
    }
    if roll < 5 && !dossiers.is_empty() {
        // Rename a dossier to a hostile name.
        let from = *pick(rng, &dossiers);
        let names = hostile_names();
        let name = pick(rng, &names).clone();
        let to = from.with_file_name(OsString::from_vec(name));
        fs::rename(from, &to)?;
        return Ok(format!("{} renamed to {}", rel(root, from), rel(root, &to)));
    }
    if roll < 9 && !dossiers.is_empty() {
        // Copy a dossier into another folder: the same applicant twice in the round.
        let from = *pick(rng, &dossiers);
        let dirs: Vec<PathBuf> = subs
            .iter()
            .filter_map(|s| s.parent().map(Path::to_path_buf))
            .collect();
        let dir = pick(rng, &dirs);
        let to = dir.join(format!("copied-{}.toml", rng.random_range(0..1000u32)));
        fs::copy(from, &to)?;
        return Ok(format!("{} copied to {}", rel(root, from), rel(root, &to)));
    }
    let target = if roll < 30 && !subs.is_empty() {
        *pick(rng, &subs)
    } else {
        pick(rng, &files)
    };
    let mut bytes = fs::read(target)?;
    let what = mutate_bytes(rng, &mut bytes);
    fs::write(target, &bytes)?;
    Ok(format!("{}: {what}", rel(root, target)))
}
