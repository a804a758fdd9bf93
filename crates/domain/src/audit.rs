//! The audit log's hash chain: each entry's hash covers its content and the previous entry's
//! hash, so an edited, deleted or reordered row shows up when the chain is verified.
//!
//! The chain cannot by itself reveal that the newest entries were cut off the end; keep the
//! latest head (`SEQ:HASH`) somewhere else (a printed notice carries it) to catch that.
//!
//! Version 2 entries also record the date the step claims (`on`, which may be a past date such
//! as an objection received by post) and the digests of the data tables the step changed
//! (`state`), so that verifying the chain also verifies the data (see the store's row seals).

use std::fmt::Write;

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::finding::Text;

/// The `prev_hash` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Version tags hashed in front of every entry, so one encoding cannot collide with another.
const ENCODING_TAG: &[u8] = b"shifan-audit-v1";
const ENCODING_TAG_V2: &[u8] = b"shifan-audit-v2";

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log, from 1 without gaps.
    pub seq: i64,
    /// When, as an RFC 3339 timestamp.
    pub at: String,
    /// Who (account name).
    pub actor: String,
    /// What kind of change, e.g. `publicity.start`.
    pub action: String,
    /// The change itself, free text or JSON.
    pub detail: String,
    /// Encoding version: 1 (written before schema 3) or 2.
    #[serde(default = "v1")]
    pub version: i64,
    /// The date the step claims (version 2), `YYYY-MM-DD`.
    #[serde(default)]
    pub on: Option<String>,
    /// Digests of the data tables the step changed, as JSON `{"table": "hex", …}` (version 2).
    #[serde(default)]
    pub state: Option<String>,
    /// The hash of the previous entry ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// [`entry_hash`] of this entry's fields.
    pub hash: String,
}

fn v1() -> i64 {
    1
}

impl AuditEntry {
    /// The hash of the entry's content, by its version.
    pub fn computed_hash(&self) -> String {
        match self.version {
            1 => entry_hash(
                self.seq,
                &self.at,
                &self.actor,
                &self.action,
                &self.detail,
                &self.prev_hash,
            ),
            _ => entry_hash_v2(&EntryFields {
                seq: self.seq,
                at: &self.at,
                on: self.on.as_deref().unwrap_or(""),
                actor: &self.actor,
                action: &self.action,
                detail: &self.detail,
                state: self.state.as_deref().unwrap_or(""),
                prev_hash: &self.prev_hash,
            }),
        }
    }

    /// Whether `hash` matches the entry's content.
    pub fn is_intact(&self) -> bool {
        self.hash == self.computed_hash()
    }

    /// The head as printed and given back to `audit verify --head`: `SEQ:HASH`.
    pub fn head(&self) -> String {
        format!("{}:{}", self.seq, self.hash)
    }
}

/// The fields a version 2 entry hashes.
#[derive(Debug, Clone, Copy)]
pub struct EntryFields<'a> {
    pub seq: i64,
    /// RFC 3339 timestamp of the real time.
    pub at: &'a str,
    /// The date the step claims, `YYYY-MM-DD`.
    pub on: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
    /// JSON digests of the tables changed, or empty.
    pub state: &'a str,
    pub prev_hash: &'a str,
}

/// The hash of a version 2 entry: SHA-256 over the v2 tag and each field preceded by its length.
pub fn entry_hash_v2(f: &EntryFields) -> String {
    let seq = f.seq.to_string();
    let fields: [&[u8]; 9] = [
        ENCODING_TAG_V2,
        seq.as_bytes(),
        f.at.as_bytes(),
        f.on.as_bytes(),
        f.actor.as_bytes(),
        f.action.as_bytes(),
        f.detail.as_bytes(),
        f.state.as_bytes(),
        f.prev_hash.as_bytes(),
    ];
    length_prefixed_hash(&fields)
}

fn length_prefixed_hash(fields: &[&[u8]]) -> String {
    let mut buf = Vec::with_capacity(fields.iter().map(|f| f.len() + 8).sum());
    for f in fields {
        buf.extend_from_slice(&(f.len() as u64).to_be_bytes());
        buf.extend_from_slice(f);
    }
    sha256_hex(&buf)
}

/// A head written `SEQ:HASH`, as `audit head` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

impl std::str::FromStr for Head {
    type Err = Text;
    fn from_str(s: &str) -> Result<Head, Text> {
        let bad = || {
            Text::new(
                format!("审计头应写作 序号:哈希（如 120:3fa9…，共64位十六进制），而不是「{s}」"),
                format!("a head is written SEQ:HASH (e.g. 120:3fa9…, 64 hex digits), not \"{s}\""),
            )
        };
        let (seq, hash) = s.trim().split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.parse().map_err(|_| bad())?;
        let hash = hash.to_ascii_lowercase();
        if seq < 1 || hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Head { seq, hash })
    }
}

/// Check a log against a head recorded elsewhere: the entry must still be there with that hash.
pub fn check_head(entries: &[AuditEntry], head: &Head) -> Option<AuditProblem> {
    let last = entries.iter().map(|e| e.seq).max().unwrap_or(0);
    match entries.iter().find(|e| e.seq == head.seq) {
        Some(e) if e.hash == head.hash => None,
        Some(_) => Some(AuditProblem {
            seq: head.seq,
            kind: ProblemKind::HeadMismatch,
        }),
        None => Some(AuditProblem {
            seq: head.seq,
            kind: ProblemKind::CutBelowHead { last },
        }),
    }
}

/// Lower-case hex SHA-256 of `bytes` (64 characters).
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            // Writing to a String cannot fail.
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The hash of an entry: lower-case hex SHA-256 over a version tag and each field preceded by
/// its length in bytes (8 bytes, big-endian), so no two different entries encode alike.
pub fn entry_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let seq = seq.to_string();
    let fields: [&[u8]; 7] = [
        ENCODING_TAG,
        seq.as_bytes(),
        at.as_bytes(),
        actor.as_bytes(),
        action.as_bytes(),
        detail.as_bytes(),
        prev_hash.as_bytes(),
    ];
    length_prefixed_hash(&fields)
}

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// The entry's hash does not match its content: it was edited.
    Edited,
    /// The entry's `prev_hash` is not the previous entry's hash: a row before it was deleted,
    /// reordered, or edited with its hash recomputed.
    BrokenLink,
    /// Entries `missing_from..=missing_to` are absent: deleted.
    Gap { missing_from: i64, missing_to: i64 },
    /// The head recorded elsewhere names this entry, but its hash differs: the log was rewritten.
    HeadMismatch,
    /// The head recorded elsewhere names this entry, but the log ends at `last`: cut back.
    CutBelowHead { last: i64 },
}

/// A problem found in the chain, at entry `seq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    /// The entry where the problem shows.
    pub seq: i64,
    #[serde(flatten)]
    pub kind: ProblemKind,
}

impl AuditProblem {
    /// The problem in both languages.
    pub fn text(&self) -> Text {
        let seq = self.seq;
        match &self.kind {
            ProblemKind::Edited => Text::new(
                format!("第{seq}条记录的内容与其哈希不符：该记录被修改过"),
                format!("entry {seq}: its content does not match its hash (the entry was edited)"),
            ),
            ProblemKind::BrokenLink => Text::new(
                format!(
                    "第{seq}条记录的前一哈希与上一条记录不符：之前的记录被删除、调换顺序或被修改后重新计算了哈希"
                ),
                format!(
                    "entry {seq}: its previous-entry hash does not match the entry before it (an earlier entry was deleted, reordered, or edited and re-hashed)"
                ),
            ),
            ProblemKind::Gap {
                missing_from,
                missing_to,
            } => {
                let (zh, en) = if missing_from == missing_to {
                    (
                        format!("第{missing_from}条"),
                        format!("entry {missing_from} is"),
                    )
                } else {
                    (
                        format!("第{missing_from}至{missing_to}条"),
                        format!("entries {missing_from} to {missing_to} are"),
                    )
                };
                Text::new(
                    format!("第{seq}条记录之前缺少{zh}记录：已被删除"),
                    format!("before entry {seq}, {en} missing (deleted)"),
                )
            }
            ProblemKind::HeadMismatch => Text::new(
                format!("另行记录的审计头指向第{seq}条，但该条的哈希已不同：日志被改写过"),
                format!(
                    "the head recorded elsewhere names entry {seq}, whose hash is now different: the log was rewritten"
                ),
            ),
            ProblemKind::CutBelowHead { last } => Text::new(
                format!(
                    "另行记录的审计头为第{seq}条，但日志只到第{last}条：第{}条起的记录被截去",
                    last + 1
                ),
                format!(
                    "the head recorded elsewhere is entry {seq}, but the log ends at entry {last}: entries from {} on were cut off",
                    last + 1
                ),
            ),
        }
    }
}

/// Check the chain, walking the entries in `seq` order (the slice need not be sorted).
///
/// Reports, per entry: `Edited` when its hash does not match its content; `Gap` when `seq` does
/// not follow the previous one (or the first is not 1); otherwise `BrokenLink` when its
/// `prev_hash` is not the previous entry's stored hash (or [`GENESIS`] for the first). A gap and
/// a broken link at the same entry have one cause, so only the gap is reported. An empty log has
/// no problems.
pub fn verify(entries: &[AuditEntry]) -> Vec<AuditProblem> {
    let mut sorted: Vec<&AuditEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.seq);
    let mut problems = Vec::new();
    let mut prev: Option<&AuditEntry> = None;
    for e in sorted {
        if !e.is_intact() {
            problems.push(AuditProblem {
                seq: e.seq,
                kind: ProblemKind::Edited,
            });
        }
        let (expected_seq, expected_prev) = match prev {
            Some(p) => (p.seq.saturating_add(1), p.hash.as_str()),
            None => (1, GENESIS),
        };
        if e.seq > expected_seq {
            problems.push(AuditProblem {
                seq: e.seq,
                kind: ProblemKind::Gap {
                    missing_from: expected_seq,
                    missing_to: e.seq - 1,
                },
            });
        } else if e.prev_hash != expected_prev || e.seq < expected_seq {
            // `seq < expected` is a duplicate or a first seq below 1: the order is broken.
            problems.push(AuditProblem {
                seq: e.seq,
                kind: ProblemKind::BrokenLink,
            });
        }
        prev = Some(e);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A correct chain of `n` entries.
    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for seq in 1..=n {
            let prev_hash = out
                .last()
                .map_or(GENESIS.to_string(), |e: &AuditEntry| e.hash.clone());
            let at = format!("2026-08-0{seq}T09:00:00Z");
            let actor = "ministry".to_string();
            let action = "publicity.object".to_string();
            let detail = format!("objection #{seq}");
            let hash = entry_hash(seq, &at, &actor, &action, &detail, &prev_hash);
            out.push(AuditEntry {
                seq,
                at,
                actor,
                action,
                detail,
                version: 1,
                on: None,
                state: None,
                prev_hash,
                hash,
            });
        }
        out
    }

    fn problem(seq: i64, kind: ProblemKind) -> AuditProblem {
        AuditProblem { seq, kind }
    }

    #[test]
    fn genesis_is_64_zeros() {
        assert_eq!(GENESIS.len(), 64);
        assert!(GENESIS.chars().all(|c| c == '0'));
    }

    #[test]
    fn clean_chain_of_five_verifies() {
        let log = chain(5);
        assert_eq!(verify(&log), vec![]);
        assert!(log.iter().all(|e| e.hash.len() == 64));
        assert_eq!(verify(&[]), vec![]);
    }

    #[test]
    fn order_of_the_slice_does_not_matter() {
        let mut log = chain(5);
        log.reverse();
        assert_eq!(verify(&log), vec![]);
    }

    #[test]
    fn edited_detail_names_that_entry() {
        let mut log = chain(5);
        log[2].detail = "objection #3 (rejected)".to_string();
        assert_eq!(verify(&log), vec![problem(3, ProblemKind::Edited)]);
    }

    #[test]
    fn deleted_entry_reports_a_gap_at_the_next() {
        let mut log = chain(5);
        log.remove(2);
        assert_eq!(
            verify(&log),
            vec![problem(
                4,
                ProblemKind::Gap {
                    missing_from: 3,
                    missing_to: 3
                }
            )]
        );
    }

    #[test]
    fn deleted_first_entry_reports_a_gap() {
        let mut log = chain(3);
        log.remove(0);
        assert_eq!(
            verify(&log),
            vec![problem(
                2,
                ProblemKind::Gap {
                    missing_from: 1,
                    missing_to: 1
                }
            )]
        );
    }

    #[test]
    fn edited_and_rehashed_entry_is_caught_by_the_next_link() {
        let mut log = chain(5);
        let e = &mut log[2];
        e.detail = "objection #3 (rejected)".to_string();
        e.hash = entry_hash(e.seq, &e.at, &e.actor, &e.action, &e.detail, &e.prev_hash);
        assert_eq!(verify(&log), vec![problem(4, ProblemKind::BrokenLink)]);
    }

    #[test]
    fn swapped_rows_are_caught() {
        let mut log = chain(5);
        // Swap the contents of entries 2 and 3 but keep their seq numbers.
        let (a, b) = (log[1].clone(), log[2].clone());
        log[1] = AuditEntry { seq: 2, ..b };
        log[2] = AuditEntry { seq: 3, ..a };
        let found = verify(&log);
        assert!(found.contains(&problem(2, ProblemKind::Edited)));
        assert!(found.contains(&problem(3, ProblemKind::Edited)));
    }

    #[test]
    fn hash_fields_are_unambiguous() {
        // Moving a character from one field to the next must change the hash.
        assert_ne!(
            entry_hash(1, "a", "bc", "d", "e", GENESIS),
            entry_hash(1, "ab", "c", "d", "e", GENESIS)
        );
        assert_ne!(
            entry_hash(12, "a", "b", "c", "d", GENESIS),
            entry_hash(1, "2a", "b", "c", "d", GENESIS)
        );
    }

    #[test]
    fn problem_texts_name_the_entries() {
        let gap = problem(
            6,
            ProblemKind::Gap {
                missing_from: 3,
                missing_to: 5,
            },
        )
        .text();
        assert_eq!(
            gap.en,
            "before entry 6, entries 3 to 5 are missing (deleted)"
        );
        assert_eq!(gap.zh, "第6条记录之前缺少第3至5条记录：已被删除");
        assert!(
            problem(3, ProblemKind::Edited)
                .text()
                .en
                .contains("entry 3")
        );
        assert!(
            problem(4, ProblemKind::BrokenLink)
                .text()
                .zh
                .contains("第4条")
        );
    }

    #[test]
    fn version_2_entries_cover_the_claimed_date_and_the_state() {
        let mut log = chain(2);
        let prev = log[1].hash.clone();
        let fields = EntryFields {
            seq: 3,
            at: "2026-08-10T09:00:00Z",
            on: "2026-08-07",
            actor: "ministry",
            action: "publicity.object",
            detail: "#1",
            state: r#"{"publicity":"ab"}"#,
            prev_hash: &prev,
        };
        let hash = entry_hash_v2(&fields);
        log.push(AuditEntry {
            seq: 3,
            at: fields.at.into(),
            actor: fields.actor.into(),
            action: fields.action.into(),
            detail: fields.detail.into(),
            version: 2,
            on: Some(fields.on.into()),
            state: Some(fields.state.into()),
            prev_hash: prev,
            hash,
        });
        assert_eq!(verify(&log), vec![]);
        let mut dated = log.clone();
        dated[2].on = Some("2026-08-06".into());
        assert_eq!(verify(&dated), vec![problem(3, ProblemKind::Edited)]);
        let mut restated = log.clone();
        restated[2].state = Some(r#"{"publicity":"ac"}"#.into());
        assert_eq!(verify(&restated), vec![problem(3, ProblemKind::Edited)]);
    }

    #[test]
    fn a_head_recorded_elsewhere_catches_a_log_cut_back_or_rewritten() {
        let log = chain(5);
        let head: Head = log[4].head().parse().unwrap();
        assert_eq!(check_head(&log, &head), None);
        let cut = &log[..3];
        assert_eq!(verify(cut), vec![], "a cut log verifies on its own");
        let p = check_head(cut, &head).unwrap();
        assert_eq!(p.kind, ProblemKind::CutBelowHead { last: 3 });
        assert!(
            p.text().en.contains("entries from 4 on were cut off"),
            "{}",
            p.text().en
        );
        let mut other = chain(5);
        other[4].detail = "rewritten".into();
        other[4].hash = other[4].computed_hash();
        assert_eq!(
            check_head(&other, &head).unwrap().kind,
            ProblemKind::HeadMismatch
        );
        assert!("12:xyz".parse::<Head>().is_err());
        assert!("abc".parse::<Head>().is_err());
    }
}
