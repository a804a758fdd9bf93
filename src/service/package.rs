//! Remote scoring packages (函评): issuing one to an expert, and taking its return. Each is one
//! step that checks and writes, audited; a return is taken whole or not at all.

use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::access::{Action, Role, User, check};
use crate::domain::audit::sha256_hex;
use crate::domain::package::{PackageRefusal, code_from_bytes, judge_return};
use crate::domain::phase::Step as PhaseStep;
use crate::domain::refusal::Refusal;
use crate::domain::scoring::{check_entry, submittable};
use crate::package::file;
use crate::store::repo::package::{self as repo, Sent, sheet_digest};
use crate::store::repo::{assignment as pairs, dossier, expert, sheet};
use crate::store::{Store, StoreError};

/// A package issued: its file's bytes and the one-time code, shown once.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedPackage {
    pub id: String,
    pub expert_id: String,
    pub expert_name: String,
    /// The account the expert logs in with inside the package.
    pub account: String,
    /// The one-time code (printed on the cover letter; never stored).
    pub code: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub file_sha256: String,
    /// The dossiers sent.
    pub dossiers: Vec<String>,
    /// Of those, sheets already begun or submitted on the server.
    pub sheets_begun: usize,
}

/// What a package's return brought.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PackageReturn {
    pub id: String,
    pub expert_id: String,
    /// Sheets stored from the package (changed since it was issued).
    pub merged: Vec<String>,
    /// Of those, the ones submitted in the package.
    pub submitted: Vec<String>,
    /// Sheets the expert left as they were sent.
    pub unchanged: Vec<String>,
}

fn refuse(p: PackageRefusal) -> StoreError {
    StoreError::Refused(Refusal::Package(p))
}

/// The account the expert logs in with: theirs in the round, or their expert id.
fn account_of(conn: &rusqlite::Connection, expert_id: &str) -> Result<String, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT name FROM account WHERE role = 'expert' AND expert_id = ?1 ORDER BY name LIMIT 1",
            [expert_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| expert_id.to_string()))
}

impl Store {
    /// Issue a package to `expert_id` (ministry staff, review phase): the dossiers assigned to
    /// them now and their own sheets so far. A later package supersedes this one.
    pub fn issue_package(
        &mut self,
        actor: &User,
        criteria_files: &std::collections::BTreeMap<String, String>,
        expert_id: &str,
    ) -> Result<IssuedPackage, StoreError> {
        check(actor, &Action::RemotePackages)?;
        self.step(None, |s| {
            s.permit(PhaseStep::IssuePackage)?;
            let Some(e) = expert::load(&s.tx, Some(expert_id))?.into_iter().next() else {
                return Err(Refusal::UnknownExpert {
                    id: expert_id.to_string(),
                }
                .into());
            };
            let assigned: Vec<(i64, String)> = {
                let mut stmt = s.tx.prepare(
                    "SELECT id, dossier_code FROM assignment WHERE expert_id = ?1 AND ended_at IS NULL ORDER BY dossier_code",
                )?;
                stmt.query_map([expert_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?
            };
            if assigned.is_empty() {
                return Err(refuse(PackageRefusal::NothingAssigned {
                    expert: expert_id.to_string(),
                }));
            }
            let mut sent = Vec::new();
            let mut begun = 0;
            for (id, code) in &assigned {
                let Some(d) = dossier::current_one(&s.tx, code)? else {
                    return Err(Refusal::UnknownDossier { code: code.clone() }.into());
                };
                let sh = sheet::sheet(&s.tx, *id, code, expert_id)?;
                if !sh.scores.is_empty() || sh.submitted || !sh.opinion.is_empty() {
                    begun += 1;
                }
                sent.push(Sent {
                    assignment_id: *id,
                    code: code.clone(),
                    dossier_sha256: d.sha256.clone(),
                    sheet_digest: sheet_digest(&sh),
                });
            }
            let secret = repo::secret(&s.tx)?;
            let id = file::hex(&rand::random::<[u8; 8]>());
            let code = code_from_bytes(&rand::random::<[u8; 10]>());
            let salt = file::salt(secret.as_bytes(), &id);
            let key = file::key(&salt, &code);
            let account = account_of(&s.tx, expert_id)?;
            let password_hash =
                super::accounts::hash(&crate::domain::package::normalize_code(&code))?;
            let database = crate::store::package::build(
                &s.tx,
                &crate::store::package::Contents {
                    id: &id,
                    expert_id,
                    account: &account,
                    password_hash: &password_hash,
                    actor: &actor.name,
                    now: &s.now,
                    on: &s.on.to_string(),
                    criteria_files,
                },
            )?;
            let header = file::Header {
                id: id.clone(),
                expert_id: expert_id.to_string(),
                account: account.clone(),
                issued_at: s.now.clone(),
                salt,
                check: file::check(&key),
            };
            let bytes = file::write(&header, &database, &key);
            let file_sha256 = sha256_hex(&bytes);
            let (now, on) = (s.now.clone(), s.on.to_string());
            repo::insert(
                &s.tx,
                &id,
                expert_id,
                &now,
                &on,
                &actor.name,
                &file::hex(&key),
                &sent,
                &file_sha256,
            )?;
            s.reseal("package", "id = ?1", &[&id])?;
            s.audit(
                &actor.name,
                "package.issue",
                format!(
                    "package {id} to expert {expert_id}: {} dossiers ({}), {begun} sheets begun; file {} bytes, sha256 {file_sha256}",
                    sent.len(),
                    sent.iter().map(|x| x.code.as_str()).collect::<Vec<_>>().join(" "),
                    bytes.len()
                ),
            );
            Ok(IssuedPackage {
                id,
                expert_id: expert_id.to_string(),
                expert_name: e.name,
                account,
                code,
                file_sha256,
                dossiers: sent.into_iter().map(|x| x.code).collect(),
                sheets_begun: begun,
                bytes,
            })
        })
    }

    /// Take the return of a package (ministry staff, review phase), read from `bytes` (`file`
    /// names it in refusals). Taken only when it is the latest package of its expert, not
    /// taken before, authentic, for the dossiers sent, with its own log intact, while the
    /// expert's sheets on the server were left as sent; then every sheet the expert changed is
    /// stored, each checked as if typed, in one step.
    pub fn return_package(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        file: &str,
        bytes: Vec<u8>,
    ) -> Result<PackageReturn, StoreError> {
        check(actor, &Action::RemotePackages)?;
        let file_sha256 = sha256_hex(&bytes);
        let sealed = file::read(file, bytes).map_err(refuse)?;
        let groups = sheet::group_map(&criteria.rubric);
        self.step(None, |s| {
            s.permit(PhaseStep::ReturnPackage)?;
            let header = sealed.header.clone();
            // Authenticated first, so that a changed byte anywhere (the header too) reads as
            // what it is; then which return this is.
            let Some(row) = repo::find(&s.tx, &header.id)? else {
                return Err(refuse(PackageRefusal::Foreign {
                    file: file.to_string(),
                    id: header.id.clone(),
                }));
            };
            let key = file::key_from_hex(&row.mac_key).ok_or_else(|| {
                StoreError::corrupt(
                    format!("评分包 {} 的密钥记录无法读取", row.id),
                    format!("the key kept for package {} does not read", row.id),
                )
            })?;
            let opened = sealed.open_with_key(file, &key).map_err(refuse)?;
            judge_return(&repo::all(&s.tx)?, file, &header.id, &header.expert_id)
                .map_err(refuse)?;
            let pkg = Store::open_bytes(&opened.database, None).map_err(|e| {
                refuse(PackageRefusal::NotAPackage {
                    file: file.to_string(),
                    why: e.text(),
                })
            })?;
            if crate::store::package::package_id(&pkg.conn)?.as_deref() != Some(&row.id) {
                return Err(refuse(PackageRefusal::NotAPackage {
                    file: file.to_string(),
                    why: crate::domain::Text::new(
                        "数据库与包头不符",
                        "its database is not the one its header names",
                    ),
                }));
            }
            let log = pkg.verify_audit(
                &User {
                    name: actor.name.clone(),
                    role: Role::Ministry,
                },
                None,
            )?;
            if !log.intact() {
                return Err(refuse(PackageRefusal::BrokenLog {
                    file: file.to_string(),
                    problem: crate::domain::Text::new(
                        format!(
                            "{} 处链条问题，{} 处数据问题",
                            log.chain.len(),
                            log.data.len()
                        ),
                        format!(
                            "{} chain problems, {} data problems",
                            log.chain.len(),
                            log.data.len()
                        ),
                    ),
                }));
            }
            let expert_id = row.expert_id.clone();
            // Every sheet in the package must be one that was sent.
            let carried: Vec<(i64, String, String)> = {
                let mut stmt = pkg
                    .conn
                    .prepare("SELECT assignment_id, dossier_code, expert_id FROM sheet")?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<Result<_, _>>()?
            };
            for (id, code, e) in &carried {
                if e != &expert_id || !row.sent.iter().any(|x| x.assignment_id == *id) {
                    return Err(refuse(PackageRefusal::NotSent {
                        file: file.to_string(),
                        code: code.clone(),
                    }));
                }
            }
            let mut out = PackageReturn {
                id: row.id.clone(),
                expert_id: expert_id.clone(),
                ..PackageReturn::default()
            };
            let now = s.now.clone();
            for x in &row.sent {
                let fail = |p: fn(String, String) -> PackageRefusal| {
                    refuse(p(file.to_string(), x.code.clone()))
                };
                if pairs::current_id(&s.tx, &x.code, &expert_id)? != Some(x.assignment_id) {
                    return Err(fail(|file, code| PackageRefusal::NoLongerAssigned {
                        file,
                        code,
                    }));
                }
                let here = dossier::current_one(&s.tx, &x.code)?.map(|d| d.sha256);
                let (there_sha, there_raw): (String, Vec<u8>) = pkg
                    .conn
                    .query_row(
                        "SELECT d.sha256, d.raw FROM dossier d JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL WHERE d.code = ?1",
                        [&x.code],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .map_err(|_| fail(|file, code| PackageRefusal::DossierChanged { file, code }))?;
                if here.as_deref() != Some(&x.dossier_sha256)
                    || there_sha != x.dossier_sha256
                    || sha256_hex(&there_raw) != x.dossier_sha256
                {
                    return Err(fail(|file, code| PackageRefusal::DossierChanged {
                        file,
                        code,
                    }));
                }
                let ours = sheet::sheet(&s.tx, x.assignment_id, &x.code, &expert_id)?;
                if sheet_digest(&ours) != x.sheet_digest {
                    return Err(fail(|file, code| PackageRefusal::SheetChangedHere {
                        file,
                        code,
                    }));
                }
                let theirs = sheet::sheet(&pkg.conn, x.assignment_id, &x.code, &expert_id)?;
                if sheet_digest(&theirs) == x.sheet_digest {
                    out.unchanged.push(x.code.clone());
                    continue;
                }
                let bad = |problem: crate::domain::Text| {
                    refuse(PackageRefusal::BadSheet {
                        file: file.to_string(),
                        code: x.code.clone(),
                        problem,
                    })
                };
                if ours.submitted {
                    return Err(bad(crate::domain::Text::new(
                        "下发时该评分表已提交锁定，不能更改",
                        "the sheet was submitted and locked when the package was issued and cannot change",
                    )));
                }
                for (criterion, points) in &theirs.scores {
                    check_entry(&criteria.rubric, criterion, *points)
                        .map_err(|e| bad(e.text()))?;
                }
                if theirs.submitted {
                    submittable(&theirs, &criteria.rubric).map_err(|r| bad(r.text()))?;
                }
                let there_row = sheet::load(&pkg.conn, x.assignment_id)?.unwrap_or_default();
                let id = x.assignment_id;
                sheet::ensure(&s.tx, id, &x.code, &expert_id)?;
                for (criterion, _) in &ours.scores {
                    if theirs.points(criterion).is_none() {
                        s.tx.execute(
                            "DELETE FROM score WHERE assignment_id = ?1 AND criterion = ?2",
                            rusqlite::params![id, criterion],
                        )?;
                        s.unseal(
                            "score",
                            &format!("{}/{expert_id}/{criterion}#{id}", x.code),
                        )?;
                    }
                }
                for (criterion, points) in &theirs.scores {
                    sheet::set_score(&s.tx, id, &x.code, &expert_id, criterion, *points, &now)?;
                }
                sheet::set_opinion(&s.tx, id, &theirs.opinion)?;
                if let Some(r) = theirs.recommend {
                    sheet::set_recommend(&s.tx, id, r)?;
                }
                if theirs.submitted {
                    sheet::set_submitted(&s.tx, id, Some(&now))?;
                }
                sheet::keep_total(&s.tx, id, &groups)?;
                s.reseal("sheet", "assignment_id = ?1", &[&id])?;
                s.reseal("sheet_total", "assignment_id = ?1", &[&id])?;
                s.reseal("score", "assignment_id = ?1", &[&id])?;
                s.audit(
                    &actor.name,
                    "package.sheet",
                    format!(
                        "{} {expert_id} total {} from package {}{}",
                        x.code,
                        theirs.total(),
                        row.id,
                        match &there_row.submitted_at {
                            Some(at) => format!(", submitted in the package at {at}"),
                            None => ", not submitted".to_string(),
                        }
                    ),
                );
                if theirs.submitted {
                    out.submitted.push(x.code.clone());
                }
                out.merged.push(x.code.clone());
            }
            repo::returned(&s.tx, &row.id, &now, &file_sha256)?;
            s.reseal("package", "id = ?1", &[&row.id])?;
            s.audit(
                &actor.name,
                "package.return",
                format!(
                    "package {} from expert {expert_id} ({file}, sha256 {file_sha256}): {} sheets stored ({} submitted), {} unchanged",
                    row.id,
                    out.merged.len(),
                    out.submitted.len(),
                    out.unchanged.len()
                ),
            );
            Ok(out)
        })
    }
}

impl Store {
    /// Every package issued, in the order issued (ministry staff).
    pub fn packages(
        &self,
        actor: &User,
    ) -> Result<Vec<crate::domain::package::Issued>, StoreError> {
        check(actor, &Action::RemotePackages)?;
        repo::all(&self.conn)
    }
}
