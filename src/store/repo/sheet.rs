//! Score sheets: one per assignment (so a sheet set aside stays with the pair that wrote it),
//! with its points per criterion.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::ranking::{GroupId, SheetTotals};
use crate::domain::rubric::Rubric;
use crate::domain::scoring::Sheet;
use crate::store::StoreError;

/// The state of one sheet row.
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetRow {
    pub opinion: String,
    pub recommend: Option<bool>,
    pub submitted_at: Option<String>,
}

pub(crate) fn load(conn: &Connection, assignment: i64) -> Result<Option<SheetRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT opinion, recommend, submitted_at FROM sheet WHERE assignment_id = ?1",
            [assignment],
            |r| {
                Ok(SheetRow {
                    opinion: r.get(0)?,
                    recommend: r.get(1)?,
                    submitted_at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

pub(crate) fn scores(conn: &Connection, assignment: i64) -> Result<Vec<(String, f64)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT criterion, points FROM score WHERE assignment_id = ?1 ORDER BY rowid",
    )?;
    let rows = stmt
        .query_map([assignment], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The sheet of an assignment as the domain sees it.
pub(crate) fn sheet(
    conn: &Connection,
    assignment: i64,
    dossier: &str,
    expert: &str,
) -> Result<Sheet, StoreError> {
    let row = load(conn, assignment)?.unwrap_or_default();
    Ok(Sheet {
        dossier: dossier.to_string(),
        expert_id: expert.to_string(),
        scores: scores(conn, assignment)?,
        opinion: row.opinion,
        recommend: row.recommend,
        submitted: row.submitted_at.is_some(),
    })
}

/// Make sure the assignment has its sheet row.
pub(crate) fn ensure(
    conn: &Connection,
    assignment: i64,
    dossier: &str,
    expert: &str,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sheet (assignment_id, dossier_code, expert_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    stmt.execute(params![assignment, dossier, expert])?;
    Ok(())
}

pub(crate) fn set_score(
    conn: &Connection,
    assignment: i64,
    dossier: &str,
    expert: &str,
    criterion: &str,
    points: f64,
    at: &str,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO score (assignment_id, dossier_code, expert_id, criterion, points, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (assignment_id, criterion) DO UPDATE SET points = excluded.points, at = excluded.at",
    )?;
    stmt.execute(params![assignment, dossier, expert, criterion, points, at])?;
    Ok(())
}

pub(crate) fn set_opinion(
    conn: &Connection,
    assignment: i64,
    opinion: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sheet SET opinion = ?2 WHERE assignment_id = ?1",
        params![assignment, opinion],
    )?;
    Ok(())
}

pub(crate) fn set_recommend(conn: &Connection, assignment: i64, r: bool) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sheet SET recommend = ?2 WHERE assignment_id = ?1",
        params![assignment, r],
    )?;
    Ok(())
}

pub(crate) fn set_submitted(
    conn: &Connection,
    assignment: i64,
    at: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sheet SET submitted_at = ?2 WHERE assignment_id = ?1",
        params![assignment, at],
    )?;
    Ok(())
}

/// Every sheet of the current assignments with its points, by dossier and expert.
pub(crate) fn current(conn: &Connection) -> Result<Vec<Sheet>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.dossier_code, a.expert_id, h.opinion, h.recommend, h.submitted_at IS NOT NULL
         FROM assignment a LEFT JOIN sheet h ON h.assignment_id = a.id
         WHERE a.ended_at IS NULL ORDER BY a.dossier_code, a.expert_id",
    )?;
    let mut ids = Vec::new();
    let mut sheets = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Sheet {
                    dossier: r.get(1)?,
                    expert_id: r.get(2)?,
                    scores: Vec::new(),
                    opinion: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    recommend: r.get(4)?,
                    submitted: r.get::<_, Option<bool>>(5)?.unwrap_or(false),
                },
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|(id, s)| {
            ids.push(id);
            s
        })
        .collect::<Vec<_>>();
    let mut scores = conn.prepare(
        "SELECT s.assignment_id, s.criterion, s.points FROM score s
         JOIN assignment a ON a.id = s.assignment_id AND a.ended_at IS NULL ORDER BY s.rowid",
    )?;
    let mut by_id: HashMap<i64, Vec<(String, f64)>> = HashMap::new();
    let mut rows = scores.query([])?;
    while let Some(r) = rows.next()? {
        by_id
            .entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?));
    }
    for (s, id) in sheets.iter_mut().zip(&ids) {
        if let Some(v) = by_id.remove(id) {
            s.scores = v;
        }
    }
    Ok(sheets)
}

/// The submitted sheets of one current dossier reduced to what ranking needs, by expert id.
pub(crate) struct Submitted {
    pub dossier: String,
    /// Each sheet's subtotals are those of the `group_ids` given to [`submitted`], in that
    /// order, points (0 for a group the sheet has no score in).
    pub sheets: Vec<SheetTotals>,
}

/// Criterion id → group id of a rubric.
pub(crate) fn group_map(rubric: &Rubric) -> BTreeMap<String, String> {
    rubric
        .criteria
        .iter()
        .map(|c| (c.id.clone(), c.group.clone()))
        .collect()
}

/// The total and group subtotals of points, summed in the order given (points of a criterion
/// outside the rubric count towards the group "").
fn sums<'a>(
    points: impl Iterator<Item = (&'a str, f64)>,
    group_of: &BTreeMap<String, String>,
) -> (f64, BTreeMap<String, f64>) {
    let mut total = 0.0;
    let mut groups: BTreeMap<String, f64> = BTreeMap::new();
    for (c, p) in points {
        let g = group_of.get(c).map_or("", String::as_str);
        *groups.entry(g.to_string()).or_default() += p;
        total += p;
    }
    (total, groups)
}

/// Group subtotals as stored in `sheet_total.groups`: `id=points` lines by group id, points in
/// Rust's shortest round-trip form.
fn groups_text(groups: &BTreeMap<String, f64>) -> String {
    groups.iter().map(|(g, p)| format!("{g}={p}\n")).collect()
}

/// The subtotals of a `sheet_total.groups` text for `group_ids` (in that order; a group the
/// text does not name is 0, a group the ids do not name is left out); `None` when it does not
/// read (a row edited outside the program: ranking then sums the scores, and `audit verify`
/// names the row).
fn parse_groups(text: &str, group_ids: &[GroupId]) -> Option<Vec<(GroupId, f64)>> {
    let mut out: Vec<(GroupId, f64)> = group_ids.iter().map(|g| (g.clone(), 0.0)).collect();
    for l in text.lines() {
        let (g, p) = l.rsplit_once('=')?;
        let p: f64 = p.parse().ok()?;
        if let Some(slot) = out.iter_mut().find(|(id, _)| &**id == g) {
            slot.1 = p;
        }
    }
    Some(out)
}

/// Keep the sheet's total and group subtotals from its scores, in the step that wrote them.
/// The caller reseals `sheet_total` for the assignment.
pub(crate) fn keep_total(
    conn: &Connection,
    assignment: i64,
    group_of: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let points = scores(conn, assignment)?;
    let (total, groups) = sums(points.iter().map(|(c, p)| (c.as_str(), *p)), group_of);
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sheet_total (assignment_id, total, groups) VALUES (?1, ?2, ?3)
         ON CONFLICT (assignment_id) DO UPDATE SET total = excluded.total, groups = excluded.groups",
    )?;
    stmt.execute(params![assignment, total, groups_text(&groups)])?;
    Ok(())
}

/// The submitted sheets of the current assignments, by dossier in code order and then by expert
/// id (byte order, as Rust orders strings), read from the kept totals (one row per sheet) with the
/// subtotals of `group_ids`; a sheet without a readable kept total (a database upgraded
/// without a pinned rubric) has its scores summed instead.
/// Room made for a dossier's sheets at once (the programme's panels are five experts).
const SHEETS_PER_DOSSIER: usize = 5;

pub(crate) fn submitted(
    conn: &Connection,
    group_of: &BTreeMap<String, String>,
    group_ids: &[GroupId],
) -> Result<Vec<Submitted>, StoreError> {
    // The partial unique index `assignment_current (dossier_code, expert_id)` gives the order.
    // (Three scans in table order joined here by id were tried: 5 % more instructions.)
    let mut stmt = conn.prepare_cached(
        "SELECT a.dossier_code, a.expert_id, COALESCE(h.recommend, 0), a.id, t.total, t.groups
         FROM assignment a
         JOIN sheet h ON h.assignment_id = a.id
         LEFT JOIN sheet_total t ON t.assignment_id = a.id
         WHERE a.ended_at IS NULL AND h.submitted_at IS NOT NULL
         ORDER BY a.dossier_code, a.expert_id",
    )?;
    let mut out: Vec<Submitted> = Vec::new();
    // A few hundred experts write every sheet: one shared id each.
    let mut experts: HashMap<String, crate::domain::ranking::ExpertId> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let expert = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let expert_id = match experts.get(expert) {
            Some(id) => id.clone(),
            None => {
                let id = crate::domain::ranking::ExpertId::from(expert);
                experts.insert(expert.to_string(), id.clone());
                id
            }
        };
        let kept = match (r.get::<_, Option<f64>>(4)?, r.get_ref(5)?.as_str_or_null()) {
            (Some(total), Ok(Some(text))) => parse_groups(text, group_ids).map(|g| (total, g)),
            _ => None,
        };
        let (total, group_subtotals) = match kept {
            Some(k) => k,
            None => {
                let points = scores(conn, r.get(3)?)?;
                let (total, groups) = sums(points.iter().map(|(c, p)| (c.as_str(), *p)), group_of);
                let subtotals = group_ids
                    .iter()
                    .map(|g| (g.clone(), groups.get(&**g).copied().unwrap_or(0.0)))
                    .collect();
                (total, subtotals)
            }
        };
        let sheet = SheetTotals {
            expert_id,
            total,
            group_subtotals,
            recommend: r.get(2)?,
        };
        // One code per dossier, not one per sheet.
        let code = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        match out.last_mut() {
            Some(Submitted { dossier, sheets }) if dossier == code => sheets.push(sheet),
            _ => {
                let mut sheets = Vec::with_capacity(SHEETS_PER_DOSSIER);
                sheets.push(sheet);
                out.push(Submitted {
                    dossier: code.to_string(),
                    sheets,
                });
            }
        }
    }
    Ok(out)
}

/// One submitted sheet summed from its scores: expert, recommendation, total, group subtotals.
pub(crate) type Summed = (String, bool, f64, BTreeMap<String, f64>);

/// Points of one sheet in the order read: recommendation, (criterion, points).
type Points = (bool, Vec<(String, f64)>);

/// The submitted sheets as [`submitted`] read them before schema 5: every score row summed
/// (kept as the yardstick of the scale tests and the review bench).
pub(crate) fn submitted_from_scores(
    conn: &Connection,
    group_of: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Vec<Summed>>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.dossier_code, a.expert_id, COALESCE(h.recommend, 0), s.criterion, s.points
         FROM assignment a
         JOIN sheet h ON h.assignment_id = a.id
         JOIN score s ON s.assignment_id = a.id
         WHERE a.ended_at IS NULL AND h.submitted_at IS NOT NULL
         ORDER BY a.dossier_code, a.expert_id, s.rowid",
    )?;
    let mut acc: BTreeMap<String, BTreeMap<String, Points>> = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (d, e, rec, c, p): (String, String, bool, String, f64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        acc.entry(d)
            .or_default()
            .entry(e)
            .or_insert_with(|| (rec, Vec::new()))
            .1
            .push((c, p));
    }
    Ok(acc
        .into_iter()
        .map(|(d, m)| {
            let v = m
                .into_iter()
                .map(|(e, (rec, pts))| {
                    let (t, g) = sums(pts.iter().map(|(c, p)| (c.as_str(), *p)), group_of);
                    (e, rec, t, g)
                })
                .collect();
            (d, v)
        })
        .collect())
}

/// Current pairs of current dossiers whose sheet is not submitted: (dossier, expert).
pub(crate) fn open(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.dossier_code, a.expert_id FROM assignment a
         JOIN dossier d ON d.code = a.dossier_code
         JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
         LEFT JOIN sheet h ON h.assignment_id = a.id
         WHERE a.ended_at IS NULL AND h.submitted_at IS NULL
         ORDER BY a.expert_id, a.dossier_code",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
