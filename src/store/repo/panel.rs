//! The panel meeting's votes (`panel_vote`).

use rusqlite::{Connection, params};

use crate::domain::selection::PanelVerdict;
use crate::store::StoreError;

/// One recorded vote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PanelVote {
    pub id: i64,
    pub code: String,
    pub votes_for: usize,
    pub votes_against: usize,
    pub note: String,
    pub decided_on: String,
    pub actor: String,
}

/// Every vote, oldest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<PanelVote>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, votes_for, votes_against, note, decided_on, actor FROM panel_vote ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(PanelVote {
                id: r.get(0)?,
                code: r.get(1)?,
                votes_for: usize::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                votes_against: usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                note: r.get(4)?,
                decided_on: r.get(5)?,
                actor: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The verdict in force per dossier: its latest vote.
pub(crate) fn verdicts(conn: &Connection) -> Result<Vec<PanelVerdict>, StoreError> {
    let mut latest: std::collections::BTreeMap<String, PanelVerdict> = Default::default();
    for v in all(conn)? {
        latest.insert(
            v.code.clone(),
            PanelVerdict {
                code: v.code,
                votes_for: v.votes_for,
                votes_against: v.votes_against,
            },
        );
    }
    Ok(latest.into_values().collect())
}

pub(crate) fn insert(
    conn: &Connection,
    code: &str,
    votes: (usize, usize),
    note: &str,
    on: &str,
    actor: &str,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO panel_vote (code, votes_for, votes_against, note, decided_on, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            code,
            i64::try_from(votes.0).unwrap_or(i64::MAX),
            i64::try_from(votes.1).unwrap_or(i64::MAX),
            note,
            on,
            actor
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// When the band was last opened (`panel open`): the audit entry's round date (its clock time
/// when it has none) and who opened it.
pub(crate) fn last_open(conn: &Connection) -> Result<Option<(String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(on_date, at), actor FROM audit WHERE action = 'panel.open' ORDER BY seq DESC LIMIT 1",
    )?;
    let mut rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.next().transpose()?)
}
