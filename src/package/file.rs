//! The bytes of a remote scoring package (`.shifan`).
//!
//! ```text
//! SHIFAN-PACKAGE 1\n
//! <header, JSON, one line>\n
//! <body: the package's SQLite database, deflate-compressed>
//! <32 bytes: HMAC-SHA256 of everything before, keyed as below>
//! ```
//!
//! The key is `HMAC(salt, code)`, where `code` is the one-time code printed on the expert's
//! cover letter and `salt = HMAC(secret, id)` is made from a secret kept in the round's database
//! (the header carries the salt, so the expert's program can rewrite the package after each
//! change; only the round's database can make a salt, so only it issues packages). The header's
//! `check` lets the expert's program tell a mistyped code from a changed file.

use std::io::{Read, Write};

use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::domain::Text;
use crate::domain::package::{PackageRefusal, normalize_code};

type HmacSha256 = hmac::Hmac<Sha256>;

const MAGIC: &[u8] = b"SHIFAN-PACKAGE 1\n";
const MAC_LEN: usize = 32;
/// A package is a few hundred KB; a body past this is not one (and is not inflated).
const MAX_BODY: u64 = 512 * 1024 * 1024;

/// What the first line after the magic says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The package's id (random, 16 hex digits).
    pub id: String,
    pub expert_id: String,
    /// The expert's account in the package.
    pub account: String,
    /// When it was issued (RFC 3339).
    pub issued_at: String,
    /// `HMAC(secret, id)`, hex.
    pub salt: String,
    /// `HMAC(key, "check")`, hex, first 8 bytes: a mistyped code is named as such.
    pub check: String,
}

/// A package read from its bytes, not yet authenticated.
#[derive(Debug)]
pub struct Sealed {
    pub header: Header,
    /// Everything before the MAC.
    signed: Vec<u8>,
    body_at: usize,
    mac: Vec<u8>,
}

/// HMAC-SHA-256 of `parts` (concatenated) under `key` (packages, CLI sessions).
pub(crate) fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes a key of any length.
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

/// Bytes as lower-case hex (ids, salts, keys, the round's secret).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case or upper-case hex back to bytes; `None` if it is not hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The salt of package `id` from the round's secret.
pub fn salt(secret: &[u8], id: &str) -> String {
    hex(&hmac(secret, &[b"shifan package salt\0", id.as_bytes()]))
}

/// The authentication key of a package from its salt and the one-time code (as typed).
pub fn key(salt_hex: &str, code: &str) -> [u8; 32] {
    hmac(
        salt_hex.as_bytes(),
        &[b"shifan package key\0", normalize_code(code).as_bytes()],
    )
}

/// The header's check value for `key`.
pub fn check(key: &[u8]) -> String {
    hex(&hmac(key, &[b"check"])[..8])
}

/// The package's bytes: header, compressed `database`, MAC under `key`.
pub fn write(header: &Header, database: &[u8], key: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(
        serde_json::to_string(header)
            .expect("a header is plain strings")
            .as_bytes(),
    );
    out.push(b'\n');
    let mut z = flate2::write::DeflateEncoder::new(out, flate2::Compression::default());
    z.write_all(database).expect("writing to memory");
    let mut out = z.finish().expect("writing to memory");
    let mac = hmac(key, &[&out]);
    out.extend_from_slice(&mac);
    out
}

fn not_a_package(file: &str, zh: &str, en: &str) -> PackageRefusal {
    PackageRefusal::NotAPackage {
        file: file.to_string(),
        why: Text::new(zh, en),
    }
}

/// Read a package's parts (`file` names it in refusals); nothing is trusted yet.
pub fn read(file: &str, bytes: Vec<u8>) -> Result<Sealed, PackageRefusal> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err(not_a_package(
            file,
            "开头不是 SHIFAN-PACKAGE 1",
            "it does not start with SHIFAN-PACKAGE 1",
        ));
    };
    let Some(nl) = rest.iter().position(|b| *b == b'\n') else {
        return Err(not_a_package(file, "缺少包头", "no header line"));
    };
    let header: Header = serde_json::from_slice(&rest[..nl])
        .map_err(|_| not_a_package(file, "包头无法读取", "the header does not read"))?;
    let body_at = MAGIC.len() + nl + 1;
    if bytes.len() < body_at + MAC_LEN {
        return Err(not_a_package(
            file,
            "文件不完整（缺少认证码）",
            "the file is cut short (no authentication code)",
        ));
    }
    let mut signed = bytes;
    let mac = signed.split_off(signed.len() - MAC_LEN);
    Ok(Sealed {
        header,
        signed,
        body_at,
        mac,
    })
}

impl Sealed {
    /// Does `key` authenticate the bytes? Compared in constant time.
    pub fn authentic(&self, key: &[u8]) -> bool {
        let mut m =
            <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
        m.update(&self.signed);
        m.verify_slice(&self.mac).is_ok()
    }

    /// Open with the one-time code: a mistyped code and a changed file are told apart.
    pub fn open_with_code(self, file: &str, code: &str) -> Result<Opened, PackageRefusal> {
        let key = key(&self.header.salt, code);
        if check(&key) != self.header.check {
            return Err(PackageRefusal::WrongCode {
                file: file.to_string(),
            });
        }
        self.open_with_key(file, &key)
    }

    /// Open with the key the round's database kept.
    pub fn open_with_key(self, file: &str, key: &[u8]) -> Result<Opened, PackageRefusal> {
        if !self.authentic(key) {
            return Err(PackageRefusal::Altered {
                file: file.to_string(),
            });
        }
        let mut database = Vec::new();
        flate2::read::DeflateDecoder::new(&self.signed[self.body_at..])
            .take(MAX_BODY)
            .read_to_end(&mut database)
            .map_err(|_| not_a_package(file, "数据部分无法解压", "the body does not inflate"))?;
        if !database.starts_with(b"SQLite format 3\0") {
            return Err(not_a_package(
                file,
                "数据部分不是评分数据库",
                "the body is not a scoring database",
            ));
        }
        Ok(Opened {
            header: self.header,
            key: key.to_vec(),
            database,
        })
    }
}

/// An authenticated package: its header, key and database bytes.
#[derive(Debug)]
pub struct Opened {
    pub header: Header,
    pub key: Vec<u8>,
    pub database: Vec<u8>,
}

/// Parse a key kept as hex.
pub fn key_from_hex(s: &str) -> Option<Vec<u8>> {
    unhex(s).filter(|k| k.len() == 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(salt: &str, key: &[u8]) -> Header {
        Header {
            id: "0123456789abcdef".into(),
            expert_id: "E07".into(),
            account: "expert07".into(),
            issued_at: "2026-06-20T08:00:00Z".into(),
            salt: salt.into(),
            check: check(key),
        }
    }

    const DB: &[u8] = b"SQLite format 3\0 pretend pages";

    #[test]
    fn a_package_opens_with_its_code_and_refuses_a_changed_byte() {
        let salt = salt(b"round secret", "0123456789abcdef");
        let code = "ABCD-EFGH-JKMN-PQRS";
        let k = key(&salt, code);
        let bytes = write(&header(&salt, &k), DB, &k);
        let opened = read("p", bytes.clone())
            .unwrap()
            .open_with_code("p", "abcd efgh jkmn pqrs")
            .unwrap();
        assert_eq!(opened.database, DB);
        assert!(matches!(
            read("p", bytes.clone())
                .unwrap()
                .open_with_code("p", "ABCD-EFGH-JKMN-PQRT"),
            Err(PackageRefusal::WrongCode { .. })
        ));
        // Every byte after the magic is covered: header, body and MAC.
        for at in [MAGIC.len() + 3, bytes.len() - 40, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 1;
            let r = read("p", bad).and_then(|s| s.open_with_key("p", &k));
            assert!(
                matches!(
                    r,
                    Err(PackageRefusal::Altered { .. } | PackageRefusal::NotAPackage { .. })
                ),
                "byte {at}: {r:?}"
            );
        }
        // Another round's secret makes another salt, so another key.
        let other = key(&super::salt(b"other secret", "0123456789abcdef"), code);
        assert!(!read("p", bytes).unwrap().authentic(&other));
    }

    #[test]
    fn what_is_not_a_package_is_named_so() {
        for bytes in [b"hello".to_vec(), MAGIC.to_vec(), [MAGIC, b"{}\n"].concat()] {
            assert!(matches!(
                read("x.shifan", bytes),
                Err(PackageRefusal::NotAPackage { .. })
            ));
        }
    }
}
