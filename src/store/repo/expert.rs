//! The expert roster: each expert's expertise and declared conflicts as JSON lists.

use rusqlite::{Connection, params};

use crate::domain::expert::Expert;
use crate::store::StoreError;

fn list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

/// A stored JSON list; malformed data is an error (never read as "no declared conflicts").
fn unlist(id: &str, column: &str, s: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(s).map_err(|_| {
        StoreError::corrupt(
            format!("专家 {id} 的「{column}」记录无法读取：{s}"),
            format!("expert {id}: the stored {column} cannot be read: {s}"),
        )
    })
}

type Raw = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    bool,
);

/// The roster (or one expert), by id.
pub(crate) fn load(conn: &Connection, only: Option<&str>) -> Result<Vec<Expert>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, affiliation, province_key, expertise, avoid_units, avoid_provinces, active
         FROM expert WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
    )?;
    let raws: Vec<Raw> = stmt
        .query_map([only], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    raws.into_iter()
        .map(
            |(id, name, affiliation, province_key, exp, units, provs, active)| {
                Ok(Expert {
                    expertise: unlist(&id, "expertise", &exp)?,
                    avoid_units: unlist(&id, "avoid_units", &units)?,
                    avoid_provinces: unlist(&id, "avoid_provinces", &provs)?,
                    id,
                    name,
                    affiliation,
                    province_key,
                    active,
                })
            },
        )
        .collect()
}

/// Insert or update one expert; whether it existed.
pub(crate) fn upsert(conn: &Connection, e: &Expert) -> Result<bool, StoreError> {
    let existed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM expert WHERE id = ?1)",
        [&e.id],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO expert (id, name, affiliation, province_key, expertise, avoid_units, avoid_provinces, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, affiliation = excluded.affiliation,
            province_key = excluded.province_key, expertise = excluded.expertise,
            avoid_units = excluded.avoid_units, avoid_provinces = excluded.avoid_provinces, active = 1",
        params![
            e.id,
            e.name,
            e.affiliation,
            e.province_key,
            list(&e.expertise),
            list(&e.avoid_units),
            list(&e.avoid_provinces)
        ],
    )?;
    Ok(existed)
}
