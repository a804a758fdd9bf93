//! Detecting and decoding the text encodings provinces send: UTF-8 (with or without BOM) and
//! GBK/GB18030, as saved by Chinese Windows tools.

use serde::Serialize;

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// UTF-16 (a BOM says so): must be saved as UTF-8.
    Utf16,
    /// Control bytes (NUL and friends) that no text file holds: at byte offset.
    Binary { offset: usize },
    /// Neither valid UTF-8 nor valid GB18030: first bad byte offset of the UTF-8 attempt.
    Malformed { offset: usize },
}

/// Decode a file's bytes: BOM, then strict UTF-8, then strict GB18030. Line ends are kept as they
/// are (TOML accepts CRLF).
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::Utf16);
    }
    if let Some(offset) = first_control(bytes) {
        return Err(DecodeError::Binary { offset });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match simdutf8::compat::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), Encoding::Utf8Bom)),
            Err(e) => Err(DecodeError::Malformed {
                offset: e.valid_up_to() + 3,
            }),
        };
    }
    match simdutf8::compat::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Encoding::Utf8)),
        Err(e) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| (s.into_owned(), Encoding::Gb18030))
            .ok_or(DecodeError::Malformed {
                offset: e.valid_up_to(),
            }),
    }
}

/// A control byte that text never holds (NUL, other C0 controls but tab, LF and CR, DEL).
fn is_control(b: u8) -> bool {
    // `&` and `|`, not `&&` and `||`: no branch per byte, so the block test below vectorises.
    ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7F)
}

/// The offset of the first control byte. Texts have none: 64 bytes are tested at a time, and
/// only a block that holds one is searched byte by byte (ten times faster than searching all).
fn first_control(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for block in bytes.chunks(64) {
        if block.iter().fold(false, |any, &b| any | is_control(b)) {
            return block.iter().position(|&b| is_control(b)).map(|i| at + i);
        }
        at += block.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_gb18030_are_read() {
        let text = "name = \"鄠邑区农业农村局\"\n";
        assert_eq!(
            decode(text.as_bytes()),
            Ok((text.to_string(), Encoding::Utf8))
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom), Ok((text.to_string(), Encoding::Utf8Bom)));
        let (gb, _, bad) = encoding_rs::GB18030.encode(text);
        assert!(!bad);
        assert_ne!(&gb[..], text.as_bytes());
        assert_eq!(decode(&gb), Ok((text.to_string(), Encoding::Gb18030)));
    }

    #[test]
    fn the_first_control_byte_is_found_in_any_block() {
        let text = "名称 = \"农业农村局\"\t# 注\r\n".repeat(40);
        assert_eq!(first_control(text.as_bytes()), None);
        for at in [0, 1, 63, 64, 65, 500, text.len() - 1] {
            for bad in [0u8, 1, 0x1B, 0x1F, 0x7F] {
                let mut b = text.clone().into_bytes();
                b[at] = bad;
                let slow = b.iter().position(|&c| {
                    c == 0 || (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r')) || c == 0x7F
                });
                assert_eq!(first_control(&b), slow, "byte {bad:#x} at {at}");
                assert_eq!(first_control(&b), Some(at));
            }
        }
    }

    #[test]
    fn binary_and_utf16_are_refused() {
        assert_eq!(decode(b"a = 1\0\0"), Err(DecodeError::Binary { offset: 5 }));
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0]), Err(DecodeError::Utf16));
        // A lone lead byte at the end: not UTF-8, not GB18030.
        assert!(matches!(
            decode(b"a = \"\x81"),
            Err(DecodeError::Malformed { .. })
        ));
    }
}
