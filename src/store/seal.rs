//! Row seals: the audit log covers the data, not only itself.
//!
//! Every row of the tables the round's decisions depend on has a seal (`row_seal`): the
//! SHA-256 of its table name and column values, written by the program in the transaction that
//! writes the row. Each table also has a digest: the sum, modulo 2^256, of one hash per sealed
//! row (an additive multiset hash, so a step updates it in constant time per row). The audit
//! entry of every step records the new digests of the tables it changed, inside its own hash.
//!
//! Verifying then finds, per table: a row whose values no longer match its seal (changed), a row
//! without a seal (inserted), a seal without a row (deleted), a dossier whose stored bytes no
//! longer match their recorded hash, and seals that were themselves rewritten (the table's digest
//! no longer matches the one the audit log recorded). Rewriting the audit log to match is caught
//! by a head (`SEQ:HASH`) recorded elsewhere: every printed notice carries one.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::Digest as _;

use super::StoreError;
use crate::domain::Text;
use crate::domain::audit::sha256_hex;

/// One sealed table: how its key reads and which columns its seal covers.
pub(crate) struct Sealed {
    pub table: &'static str,
    /// SQL expression of the row's key, as named in reports.
    pub key: &'static str,
    /// Columns covered by the seal (large blobs are covered through their hash column).
    pub columns: &'static str,
    /// A blob column and the column holding its SHA-256 (lower-case hex), checked on verify.
    pub raw: Option<(&'static str, &'static str)>,
}

/// Every table the round's decisions depend on.
pub(crate) const SEALED: &[Sealed] = &[
    Sealed {
        table: "account",
        key: "name",
        columns: "name, role, expert_id, province_key, password_hash, demo, created_at",
        raw: None,
    },
    Sealed {
        table: "expert",
        key: "id",
        columns: "id, name, affiliation, province_key, expertise, avoid_units, avoid_provinces, active",
        raw: None,
    },
    Sealed {
        table: "batch",
        key: "id",
        columns: "id, province_key, folder, department, sent_on, copies, submission_file, submission_encoding, submission_sha256, content_sha256, warnings, imported_at, replaced_at, replaced_by",
        raw: Some(("submission_raw", "submission_sha256")),
    },
    Sealed {
        table: "dossier_identity",
        key: "code",
        columns: "code, province_key, number, applicant_norm, credit_code, first_batch, withdrawn_at",
        raw: None,
    },
    Sealed {
        table: "dossier",
        key: "code || '@batch' || batch_id",
        columns: "id, batch_id, code, file, province_key, type_id, applicant, applicant_norm, credit_code, provincial_rank, encoding, sha256",
        raw: Some(("raw", "sha256")),
    },
    Sealed {
        table: "assignment",
        key: "dossier_code || '/' || expert_id || '#' || id",
        columns: "id, dossier_code, expert_id, assigned_at, reason, origin, ended_at, ended_reason, ended_kind",
        raw: None,
    },
    Sealed {
        table: "recusal",
        key: "dossier_code || '/' || expert_id",
        columns: "dossier_code, expert_id, reason, at",
        raw: None,
    },
    Sealed {
        table: "sheet",
        key: "dossier_code || '/' || expert_id || '#' || assignment_id",
        columns: "assignment_id, dossier_code, expert_id, opinion, recommend, submitted_at",
        raw: None,
    },
    Sealed {
        table: "score",
        key: "dossier_code || '/' || expert_id || '/' || criterion || '#' || assignment_id",
        columns: "assignment_id, dossier_code, expert_id, criterion, points, at",
        raw: None,
    },
    Sealed {
        table: "sheet_total",
        key: "assignment_id",
        columns: "assignment_id, total, groups",
        raw: None,
    },
    Sealed {
        table: "tie_decision",
        key: "id",
        columns: "id, codes, reason, decided_on, actor",
        raw: None,
    },
    Sealed {
        table: "panel_vote",
        key: "id",
        columns: "id, code, votes_for, votes_against, note, decided_on, actor",
        raw: None,
    },
    Sealed {
        table: "package",
        key: "id",
        columns: "id, n, expert_id, issued_at, issued_on, actor, mac_key, sent, file_sha256, returned_at, returned_sha256",
        raw: None,
    },
    Sealed {
        table: "publicity",
        key: "id",
        columns: "id, state",
        raw: None,
    },
    Sealed {
        table: "refusal",
        key: "id",
        columns: "id, province_key, folder, refused_at, actor, findings",
        raw: None,
    },
    Sealed {
        table: "criteria_file",
        key: "name",
        columns: "name, text, sha256",
        raw: None,
    },
];

pub(crate) fn spec(table: &str) -> Option<&'static Sealed> {
    SEALED.iter().find(|s| s.table == table)
}

/// A table digest: 256 bits, added and subtracted modulo 2^256.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Digest([u8; 32]);

impl Digest {
    fn of(bytes: &[u8]) -> Digest {
        Digest(sha2::Sha256::digest(bytes).into())
    }

    fn add(&mut self, o: &Digest) {
        let mut carry = 0u16;
        for i in (0..32).rev() {
            let s = u16::from(self.0[i]) + u16::from(o.0[i]) + carry;
            self.0[i] = (s & 0xff) as u8;
            carry = s >> 8;
        }
    }

    fn sub(&mut self, o: &Digest) {
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let mut d = i16::from(self.0[i]) - i16::from(o.0[i]) - borrow;
            borrow = 0;
            if d < 0 {
                d += 256;
                borrow = 1;
            }
            self.0[i] = d as u8;
        }
    }

    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn parse(hex: &str) -> Option<Digest> {
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Digest(out))
    }
}

/// The element one sealed row adds to its table's digest.
fn element(table: &str, key: &str, seal: &str) -> Digest {
    let mut buf = Vec::with_capacity(table.len() + key.len() + seal.len() + 40);
    for f in [
        b"shifan-seal-v1".as_slice(),
        table.as_bytes(),
        key.as_bytes(),
        seal.as_bytes(),
    ] {
        buf.extend_from_slice(&(f.len() as u64).to_be_bytes());
        buf.extend_from_slice(f);
    }
    Digest::of(&buf)
}

/// The seal of one row: SHA-256 over the table name and each column's type and value.
fn row_seal(table: &str, row: &rusqlite::Row, n: usize) -> Result<String, rusqlite::Error> {
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    buf.extend_from_slice(b"shifan-row-v1\0");
    buf.extend_from_slice(&(table.len() as u64).to_be_bytes());
    buf.extend_from_slice(table.as_bytes());
    for i in 0..n {
        match row.get_ref(i)? {
            ValueRef::Null => buf.push(0),
            ValueRef::Integer(v) => {
                buf.push(1);
                buf.extend_from_slice(&v.to_be_bytes());
            }
            ValueRef::Real(v) => {
                buf.push(2);
                buf.extend_from_slice(&v.to_bits().to_be_bytes());
            }
            ValueRef::Text(t) => {
                buf.push(3);
                buf.extend_from_slice(&(t.len() as u64).to_be_bytes());
                buf.extend_from_slice(t);
            }
            ValueRef::Blob(b) => {
                buf.push(4);
                buf.extend_from_slice(&(b.len() as u64).to_be_bytes());
                buf.extend_from_slice(b);
            }
        }
    }
    Ok(sha256_hex(&buf))
}

/// A stored value as text, whatever its type: rows edited outside the program may hold a blob,
/// a number or bytes that are not UTF-8 where text belongs, and verifying must report them,
/// not fail on them.
pub(crate) fn text_of(v: ValueRef) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(b) | ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// (key, seal) of the rows of `s` matching `filter` (an SQL condition; `1` for all).
fn rows(
    conn: &Connection,
    s: &Sealed,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<(String, String)>, StoreError> {
    let n = s.columns.split(',').count();
    let sql = format!(
        "SELECT {}, CAST(({}) AS TEXT) FROM {} WHERE {filter}",
        s.columns, s.key, s.table
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut q = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = q.next()? {
        let key = text_of(r.get_ref(n)?);
        out.push((key, row_seal(s.table, r, n)?));
    }
    Ok(out)
}

/// Whether the row of `table` whose key is `key` is still the one the program sealed: `false`
/// when its values no longer match the seal, when it has no seal, or when there is no such row.
pub(crate) fn row_matches_seal(
    conn: &Connection,
    table: &'static str,
    key: &str,
) -> Result<bool, StoreError> {
    let Some(s) = spec(table) else {
        return Ok(false);
    };
    let fresh = rows(conn, s, &format!("CAST(({}) AS TEXT) = ?1", s.key), &[&key])?;
    let sealed: Option<String> = conn
        .query_row(
            "SELECT hash FROM row_seal WHERE tbl = ?1 AND key = ?2",
            params![table, key],
            |r| Ok(text_of(r.get_ref(0)?)),
        )
        .optional()?;
    Ok(matches!((fresh.as_slice(), sealed), ([(_, seal)], Some(h)) if *seal == h))
}

/// The digests of the tables a step changed, kept while the step runs.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    digests: BTreeMap<&'static str, Digest>,
}

impl Ledger {
    fn digest(
        &mut self,
        conn: &Connection,
        table: &'static str,
    ) -> Result<&mut Digest, StoreError> {
        if !self.digests.contains_key(table) {
            let stored: Option<String> = conn
                .query_row(
                    "SELECT digest FROM seal_digest WHERE tbl = ?1",
                    [table],
                    |r| r.get(0),
                )
                .optional()?;
            let d = match stored {
                None => Digest::default(),
                Some(h) => Digest::parse(&h).ok_or_else(|| {
                    StoreError::corrupt(
                        format!("seal_digest 表中 {table} 的摘要无法读取"),
                        format!("the digest of {table} in seal_digest is unreadable"),
                    )
                })?,
            };
            self.digests.insert(table, d);
        }
        // Inserted just above when missing.
        self.digests
            .get_mut(table)
            .ok_or_else(|| StoreError::corrupt("摘要丢失", "digest missing"))
    }

    /// Seal again the rows of `table` matching `filter`, after the step wrote them.
    pub fn reseal(
        &mut self,
        conn: &Connection,
        seq: i64,
        table: &'static str,
        filter: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<(), StoreError> {
        let Some(s) = spec(table) else {
            return Err(StoreError::corrupt(
                format!("{table} 不是受封存的表"),
                format!("{table} is not a sealed table"),
            ));
        };
        let fresh = rows(conn, s, filter, args)?;
        let mut old_stmt =
            conn.prepare_cached("SELECT hash FROM row_seal WHERE tbl = ?1 AND key = ?2")?;
        let mut put = conn.prepare_cached(
            "INSERT INTO row_seal (tbl, key, hash, seq) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tbl, key) DO UPDATE SET hash = excluded.hash, seq = excluded.seq",
        )?;
        let mut changes: Vec<(Option<Digest>, Digest)> = Vec::new();
        for (key, seal) in &fresh {
            let old: Option<String> = old_stmt
                .query_row(params![table, key], |r| r.get(0))
                .optional()?;
            if old.as_deref() == Some(seal.as_str()) {
                continue;
            }
            put.execute(params![table, key, seal, seq])?;
            changes.push((
                old.map(|o| element(table, key, &o)),
                element(table, key, seal),
            ));
        }
        let d = self.digest(conn, table)?;
        for (old, new) in changes {
            if let Some(o) = old {
                d.sub(&o);
            }
            d.add(&new);
        }
        Ok(())
    }

    /// Remove the seal of a row the step deleted.
    pub fn unseal(
        &mut self,
        conn: &Connection,
        table: &'static str,
        key: &str,
    ) -> Result<(), StoreError> {
        let old: Option<String> = conn
            .query_row(
                "DELETE FROM row_seal WHERE tbl = ?1 AND key = ?2 RETURNING hash",
                params![table, key],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(o) = old {
            let e = element(table, key, &o);
            self.digest(conn, table)?.sub(&e);
        }
        Ok(())
    }

    /// Save the digests and return them as the audit entry's state (`{"table": "hex"}`), or
    /// `None` when the step sealed nothing.
    pub fn finish(self, conn: &Connection) -> Result<Option<String>, StoreError> {
        if self.digests.is_empty() {
            return Ok(None);
        }
        let mut state = BTreeMap::new();
        for (t, d) in &self.digests {
            conn.execute(
                "INSERT INTO seal_digest (tbl, digest) VALUES (?1, ?2)
                 ON CONFLICT (tbl) DO UPDATE SET digest = excluded.digest",
                params![t, d.hex()],
            )?;
            state.insert(*t, d.hex());
        }
        Ok(Some(serde_json::to_string(&state).unwrap_or_default()))
    }
}

/// What is wrong with the data, found by [`verify_data`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DataProblem {
    /// The row's values no longer match its seal.
    Changed { table: String, key: String },
    /// A row the program never sealed.
    Inserted { table: String, key: String },
    /// A sealed row that is gone.
    Deleted { table: String, key: String },
    /// Stored bytes that no longer match their recorded hash.
    RawChanged { table: String, key: String },
    /// The table's seals no longer add up to the digest the audit log recorded (at entry
    /// `seq`; 0 when no entry recorded one): the seals themselves were rewritten, or the log cut.
    SealsRewritten { table: String, seq: i64 },
}

impl DataProblem {
    /// The problem in both languages.
    pub fn text(&self) -> Text {
        match self {
            DataProblem::Changed { table, key } => Text::new(
                format!("表 {table} 的行 {key} 在程序之外被修改"),
                format!("table {table}, row {key}: changed outside the program"),
            ),
            DataProblem::Inserted { table, key } => Text::new(
                format!("表 {table} 的行 {key} 不是程序写入的（在程序之外插入）"),
                format!("table {table}, row {key}: inserted outside the program"),
            ),
            DataProblem::Deleted { table, key } => Text::new(
                format!("表 {table} 的行 {key} 在程序之外被删除"),
                format!("table {table}, row {key}: deleted outside the program"),
            ),
            DataProblem::RawChanged { table, key } => Text::new(
                format!("表 {table} 的行 {key} 保存的原始文件与其哈希不符"),
                format!(
                    "table {table}, row {key}: the stored bytes do not match their recorded hash"
                ),
            ),
            // No entry recorded a digest: seq 0 names no entry.
            DataProblem::SealsRewritten { table, seq: 0 } => Text::new(
                format!(
                    "表 {table} 的行封存在审计日志中没有记录的摘要：日志的记录被截去，或数据连同封存在程序之外被改写"
                ),
                format!(
                    "table {table}: the audit log records no digest for its row seals: entries were cut off the log, or data and seals were rewritten outside the program"
                ),
            ),
            DataProblem::SealsRewritten { table, seq } => Text::new(
                format!(
                    "表 {table} 的行封存与审计日志第{seq}条记录的摘要不符：数据连同封存在程序之外被改写"
                ),
                format!(
                    "table {table}: its row seals no longer match the digest recorded at audit entry {seq}: data and seals were rewritten outside the program"
                ),
            ),
        }
    }
}

/// Check every sealed table against its seals, and the seals against the digests the audit log
/// recorded last (`recorded`: table → (digest, seq of the entry)).
pub(crate) fn verify_data(
    conn: &Connection,
    recorded: &HashMap<String, (String, i64)>,
) -> Result<(usize, Vec<DataProblem>), StoreError> {
    let mut problems = Vec::new();
    let mut checked = 0;
    for s in SEALED {
        let actual: HashMap<String, String> = rows(conn, s, "1", &[])?.into_iter().collect();
        checked += actual.len();
        let mut stmt = conn.prepare_cached("SELECT key, hash FROM row_seal WHERE tbl = ?1")?;
        let seals: HashMap<String, String> = stmt
            .query_map([s.table], |r| {
                Ok((text_of(r.get_ref(0)?), text_of(r.get_ref(1)?)))
            })?
            .collect::<Result<_, _>>()?;
        let mut found: Vec<DataProblem> = Vec::new();
        for (key, seal) in &actual {
            match seals.get(key) {
                None => found.push(DataProblem::Inserted {
                    table: s.table.into(),
                    key: key.clone(),
                }),
                Some(h) if h != seal => found.push(DataProblem::Changed {
                    table: s.table.into(),
                    key: key.clone(),
                }),
                Some(_) => {}
            }
        }
        for key in seals.keys().filter(|k| !actual.contains_key(*k)) {
            found.push(DataProblem::Deleted {
                table: s.table.into(),
                key: key.clone(),
            });
        }
        if let Some((blob, hash_col)) = s.raw {
            let sql = format!(
                "SELECT CAST(({}) AS TEXT), {blob}, {hash_col} FROM {}",
                s.key, s.table
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let key = text_of(r.get_ref(0)?);
                // Bytes stored as anything but a blob were rewritten outside the program.
                let intact = match (r.get_ref(1)?, r.get_ref(2)?) {
                    (ValueRef::Blob(bytes), ValueRef::Text(h)) => sha256_hex(bytes).as_bytes() == h,
                    _ => false,
                };
                if !intact {
                    found.push(DataProblem::RawChanged {
                        table: s.table.into(),
                        key,
                    });
                }
            }
        }
        // The seals add up to the digest the log recorded, or they were rewritten too.
        let mut sum = Digest::default();
        for (key, h) in &seals {
            sum.add(&element(s.table, key, h));
        }
        let expected = recorded.get(s.table);
        let matches = match expected {
            Some((d, _)) => *d == sum.hex(),
            None => seals.is_empty(),
        };
        if !matches {
            found.push(DataProblem::SealsRewritten {
                table: s.table.into(),
                seq: expected.map_or(0, |(_, seq)| *seq),
            });
        }
        found.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        problems.extend(found);
    }
    Ok((checked, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_add_and_subtract_modulo_2_256() {
        let a = Digest::of(b"a");
        let b = Digest::of(b"b");
        let mut d = Digest::default();
        d.add(&a);
        d.add(&b);
        d.sub(&a);
        assert_eq!(d, b);
        let mut order = Digest::default();
        order.add(&b);
        order.add(&a);
        let mut other = Digest::default();
        other.add(&a);
        other.add(&b);
        assert_eq!(order, other, "the digest does not depend on order");
        assert_eq!(Digest::parse(&a.hex()), Some(a));
        let mut wrap = Digest([0xff; 32]);
        wrap.add(&Digest({
            let mut one = [0u8; 32];
            one[31] = 1;
            one
        }));
        assert_eq!(wrap, Digest::default());
    }
}
