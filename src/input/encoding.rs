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
    if let Some(offset) = bytes
        .iter()
        .position(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F)
    {
        return Err(DecodeError::Binary { offset });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), Encoding::Utf8Bom)),
            Err(e) => Err(DecodeError::Malformed {
                offset: e.valid_up_to() + 3,
            }),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Encoding::Utf8)),
        Err(e) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| (s.into_owned(), Encoding::Gb18030))
            .ok_or(DecodeError::Malformed {
                offset: e.valid_up_to(),
            }),
    }
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
