//! Batches refused at the national import, with the findings that refused them, so that the
//! province's official can read why (the batch itself is not stored).

use rusqlite::{Connection, params};
use serde_json::Value;

use crate::domain::{Code, Finding, Severity, Text};
use crate::store::StoreError;

/// One refused import of a province's batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRefusal {
    pub id: i64,
    pub province_key: String,
    /// The folder as the ministry named it at import.
    pub folder: String,
    /// When the import refused it (RFC 3339 timestamp).
    pub refused_at: String,
    pub actor: String,
    /// The findings that refused it (errors first), each with file, line, field and fix.
    pub findings: Vec<Finding>,
}

pub(crate) fn insert(
    conn: &Connection,
    province_key: &str,
    folder: &str,
    at: &str,
    actor: &str,
    findings: &[Finding],
) -> Result<i64, StoreError> {
    let json = serde_json::to_string(findings).map_err(|e| {
        StoreError::corrupt(
            format!("拒收记录无法写出：{e}"),
            format!("a refusal cannot be written: {e}"),
        )
    })?;
    conn.execute(
        "INSERT INTO refusal (province_key, folder, refused_at, actor, findings)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![province_key, folder, at, actor, json],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Every refusal of the round, newest first (the ministry's overview).
pub(crate) fn all(conn: &Connection) -> Result<Vec<BatchRefusal>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.province_key FROM refusal r GROUP BY r.province_key ORDER BY r.province_key",
    )?;
    let provinces: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for p in provinces {
        out.extend(since_current(conn, &p)?);
    }
    out.sort_by(|a, b| b.refused_at.cmp(&a.refused_at).then(b.id.cmp(&a.id)));
    Ok(out)
}

/// The province's refusals after its current batch was imported (all of them when it has
/// none), newest first.
pub(crate) fn since_current(
    conn: &Connection,
    province_key: &str,
) -> Result<Vec<BatchRefusal>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.province_key, r.folder, r.refused_at, r.actor, r.findings
         FROM refusal r
         WHERE r.province_key = ?1
           AND r.refused_at > COALESCE((SELECT b.imported_at FROM batch b
                 WHERE b.province_key = ?1 AND b.replaced_at IS NULL), '')
         ORDER BY r.refused_at DESC, r.id DESC",
    )?;
    let rows: Vec<(i64, String, String, String, String, String)> = stmt
        .query_map([province_key], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, province_key, folder, refused_at, actor, json)| {
            let findings = findings_from_json(&json).ok_or_else(|| {
                StoreError::corrupt(
                    format!("保存的拒收记录 {id} 无法读取"),
                    format!("the stored refusal {id} cannot be read"),
                )
            })?;
            Ok(BatchRefusal {
                id,
                province_key,
                folder,
                refused_at,
                actor,
                findings,
            })
        })
        .collect()
}

/// Findings as `serde_json` wrote them (the domain's `Finding` only serializes).
fn findings_from_json(json: &str) -> Option<Vec<Finding>> {
    let v: Value = serde_json::from_str(json).ok()?;
    v.as_array()?.iter().map(finding_from_json).collect()
}

fn finding_from_json(v: &Value) -> Option<Finding> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let text = |k: &str| -> Option<Text> {
        let t = v.get(k)?;
        Some(Text::new(t.get("zh")?.as_str()?, t.get("en")?.as_str()?))
    };
    let num = |k: &str| v.get(k).and_then(Value::as_u64).map(|n| n as u32);
    let code_str = s("code")?;
    let code = *Code::ALL.iter().find(|c| c.as_str() == code_str)?;
    let severity = match s("severity")?.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => return None,
    };
    Some(Finding {
        severity,
        code,
        file: s("file")?,
        line: num("line"),
        column: num("column"),
        field: s("field").unwrap_or_default(),
        province: s("province"),
        message: text("message")?,
        hint: text("hint")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_round_trip_through_json() {
        let f = Finding {
            severity: Severity::Error,
            code: Code::DupStored,
            file: "a/b.toml".into(),
            line: Some(3),
            column: None,
            field: "applicant.name".into(),
            province: Some("110000".into()),
            message: Text::new("重复", "duplicate"),
            hint: Text::new("删去", "remove it"),
        };
        let json = serde_json::to_string(std::slice::from_ref(&f)).unwrap();
        assert_eq!(findings_from_json(&json), Some(vec![f]));
        assert_eq!(findings_from_json("[{\"code\":\"E-NOPE\"}]"), None);
        assert_eq!(findings_from_json("not json"), None);
    }
}
