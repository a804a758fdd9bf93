//! The publicity steps: propose (seal), withdraw, start, object, resolve (with promotion and its
//! supplementary publicity), promote, confirm. Each is one step: the phase, the completeness of
//! the review, the ties at the cut and the promotion's limits are checked inside the
//! transaction that writes the new state.

use serde::Serialize;

use crate::domain::Criteria;
use crate::domain::Text;
use crate::domain::access::{Action, User, check};
use crate::domain::phase::Step as PhaseStep;
use crate::domain::publicity::{
    Change, Incomplete, ListEntry, Outcome, Phase as PublicityPhase, Publicity, Resolution,
    SealRecord,
};
use crate::domain::refusal::{Refusal, reason_given};
use crate::domain::sealing::{FlaggedNearCut, flagged_near_cut};
use crate::domain::selection::{Constraints, promotion};
use crate::domain::working_days::Calendar;
use crate::store::repo::{publicity as repo, sheet};
use crate::store::step::Step;
use crate::store::{Store, StoreError};

use super::ranking::{RankedRound, ranked, selected};

/// What sealing the list did.
#[derive(Debug, Clone, Serialize)]
pub struct ProposeOutcome {
    /// The seal of the proposed list.
    pub list_hash: String,
    /// The ranking's inputs hash the list was made from.
    pub ranking_hash: String,
    pub units: usize,
    pub reserve: usize,
    /// Dossiers the experts disagreed on within ten places of the cut.
    pub flagged_near_cut: Vec<FlaggedNearCut>,
    /// Sheets still open when the ministry sealed anyway (with `accept_incomplete`).
    pub open_sheets: usize,
}

/// One unit's outcome in the round, for exports.
#[derive(Debug, Clone, Serialize)]
pub struct UnitOutcome {
    pub code: String,
    /// `None`: not selected (未入选).
    pub outcome: Option<Outcome>,
    pub text: Text,
}

fn publicity_step<T>(
    s: &mut Step,
    f: impl FnOnce(&mut Publicity, &mut Step) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut p = repo::load(&s.tx)?;
    let out = f(&mut p, s)?;
    repo::save(&s.tx, &p)?;
    s.reseal("publicity", "id = 1", &[])?;
    Ok(out)
}

/// How complete the review is when sealing.
struct Completeness {
    /// Assigned sheets not submitted.
    open: usize,
    /// (expert id, open sheets), most first.
    by_expert: Vec<(String, usize)>,
    /// Dossiers with fewer experts than the round asks.
    short: usize,
}

/// The open sheets of the current assignments, counted per expert (most first), and the
/// dossiers short of experts.
fn completeness(s: &Step, per_dossier: usize) -> Result<Completeness, StoreError> {
    let open = sheet::open(&s.tx)?;
    let mut by: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, e) in &open {
        *by.entry(e.clone()).or_default() += 1;
    }
    let mut by_expert: Vec<(String, usize)> = by.into_iter().collect();
    by_expert.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let short: i64 = s.tx.query_row(
        "SELECT COUNT(*) FROM dossier d JOIN batch b ON b.id = d.batch_id AND b.replaced_at IS NULL
         WHERE (SELECT COUNT(*) FROM assignment a WHERE a.dossier_code = d.code AND a.ended_at IS NULL) < ?1",
        [per_dossier as i64],
        |r| r.get(0),
    )?;
    Ok(Completeness {
        open: open.len(),
        by_expert,
        short: usize::try_from(short).unwrap_or(0),
    })
}

/// The ranking as sealed: recomputed (nothing that feeds it may change once sealed) and checked
/// against the hash recorded at the seal.
fn sealed_ranking(s: &Step, criteria: &Criteria, p: &Publicity) -> Result<RankedRound, StoreError> {
    let round = ranked(&s.tx, criteria)?;
    match p.ranking_hash() {
        Some(h) if h != round.ranking.inputs_hash => Err(StoreError::corrupt(
            format!(
                "排名的输入与封存时不同（封存时 {h}，现在 {}）：请运行 shifan audit verify",
                round.ranking.inputs_hash
            ),
            format!(
                "the ranking's inputs differ from those sealed ({h} then, {} now): run shifan audit verify",
                round.ranking.inputs_hash
            ),
        )),
        _ => Ok(round),
    }
}

/// The unit to promote after `removed` leaves: the best-ranked eligible unit not on the list
/// and never removed whose addition keeps every limit, type minimums included.
fn promote_from(
    criteria: &Criteria,
    round: &RankedRound,
    constraints: &Constraints,
    list: &[ListEntry],
    barred: &[String],
) -> Result<ListEntry, Text> {
    let candidates = round.candidates();
    let on: Vec<&str> = list.iter().map(|e| e.code.as_str()).collect();
    let barred: Vec<&str> = barred.iter().map(String::as_str).collect();
    promotion(&candidates, &on, &barred, constraints)
        .map(|code| round.entry(&code))
        .map_err(|n| n.text(|t| criteria.type_text(t)))
}

impl Store {
    /// The publicity (ministry staff and clerks).
    pub fn publicity(&self, actor: &User) -> Result<Publicity, StoreError> {
        check(actor, &Action::ViewPublicity)?;
        repo::load(&self.conn)
    }

    /// Seal the list: the selection under the round's limits, with its reserve, on `on` (today
    /// by default). Refused while assigned sheets are open (unless `accept_incomplete` gives the
    /// reason to seal anyway, recorded), while the list falls short of the target, and while a
    /// tie the published chain left open decides who is in.
    pub fn propose(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        on: Option<jiff::civil::Date>,
        accept_incomplete: Option<&str>,
    ) -> Result<ProposeOutcome, StoreError> {
        check(actor, &Action::Publicity)?;
        if let Some(r) = accept_incomplete {
            reason_given(PhaseStep::Propose, r)?;
        }
        let constraints = Constraints::from_criteria(criteria);
        self.step(on, |s| {
            s.permit(PhaseStep::Propose)?;
            let Completeness {
                open,
                by_expert,
                short,
            } = completeness(s, criteria.round.experts_per_dossier as usize)?;
            if (open > 0 || short > 0) && accept_incomplete.is_none() {
                return Err(Refusal::OpenSheets {
                    open,
                    by_expert,
                    short_of_experts: short,
                }
                .into());
            }
            let sel = selected(&s.tx, criteria, &constraints)?;
            if sel.selection.selected.len() < constraints.target {
                return Err(Refusal::ListShort {
                    selected: sel.selection.selected.len(),
                    target: constraints.target,
                    why: sel
                        .selection
                        .infeasible
                        .as_ref()
                        .map(|i| i.text(|t| criteria.type_text(t))),
                }
                .into());
            }
            if !sel.undecided_ties.is_empty() {
                return Err(Refusal::UndecidedTies {
                    groups: sel.undecided_ties.clone(),
                }
                .into());
            }
            let flagged = flagged_near_cut(&sel.round.ranking, &sel.selection);
            let (list, reserve) = sel.list_entries(criteria);
            let ranking_hash = sel.round.ranking.inputs_hash.clone();
            let incomplete = accept_incomplete.map(|r| Incomplete {
                open_sheets: open + short,
                reason: r.trim().to_string(),
            });
            let on = s.on;
            let (units, reserve_n) = (list.len(), reserve.len());
            let hash = publicity_step(s, |p, _| {
                Ok(p.propose(
                    list,
                    reserve,
                    on,
                    SealRecord {
                        ranking_hash: ranking_hash.clone(),
                        incomplete: incomplete.clone(),
                    },
                )?)
            })?;
            let flagged_codes: Vec<String> = flagged.iter().map(|f| f.code.clone()).collect();
            s.audit(
                &actor.name,
                "publicity.propose",
                format!(
                    "{units} units proposed on {on}, list sealed {hash}, ranking {ranking_hash}{}{}",
                    match &incomplete {
                        Some(i) => format!(
                            "; sealed with {} sheets open, accepted: {}",
                            i.open_sheets, i.reason
                        ),
                        None => String::new(),
                    },
                    if flagged_codes.is_empty() {
                        String::new()
                    } else {
                        format!("; flagged near the cut: {}", flagged_codes.join(", "))
                    }
                ),
            );
            Ok(ProposeOutcome {
                list_hash: hash,
                ranking_hash,
                units,
                reserve: reserve_n,
                flagged_near_cut: flagged,
                open_sheets: if accept_incomplete.is_some() { open } else { 0 },
            })
        })
    }

    /// Withdraw the sealed list before its publicity starts, with a reason: back to review.
    pub fn withdraw(
        &mut self,
        actor: &User,
        reason: &str,
        on: Option<jiff::civil::Date>,
    ) -> Result<(), StoreError> {
        check(actor, &Action::Publicity)?;
        reason_given(PhaseStep::Withdraw, reason)?;
        self.step(on, |s| {
            s.permit(PhaseStep::Withdraw)?;
            let on = s.on;
            let hash = publicity_step(s, |p, _| {
                let h = p.list_hash().unwrap_or_default().to_string();
                p.withdraw(reason, on)?;
                Ok(h)
            })?;
            s.audit(
                &actor.name,
                "publicity.withdraw",
                format!("sealed list {hash} withdrawn on {on}: {reason}"),
            );
            Ok(())
        })
    }

    /// Start the publicity on `on` (today by default); returns the last day of the period.
    pub fn start_publicity(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        on: Option<jiff::civil::Date>,
    ) -> Result<jiff::civil::Date, StoreError> {
        check(actor, &Action::Publicity)?;
        let calendar = Calendar::new(&criteria.holidays);
        let days = criteria.round.publicity_working_days;
        self.step(on, |s| {
            s.permit(PhaseStep::StartPublicity)?;
            let on = s.on;
            let end = publicity_step(s, |p, _| Ok(p.start(on, &calendar, days)?))?;
            s.audit(
                &actor.name,
                "publicity.start",
                format!("publicity from {on} to {end} ({days} working days)"),
            );
            Ok(end)
        })
    }

    /// Register an objection against a listed unit, received on `on` (today by default; a past
    /// date for one received by post); returns its number.
    pub fn object(
        &mut self,
        actor: &User,
        code: &str,
        on: Option<jiff::civil::Date>,
        objector: &str,
        summary: &str,
    ) -> Result<u32, StoreError> {
        check(actor, &Action::Publicity)?;
        self.step(on, |s| {
            s.permit(PhaseStep::Object)?;
            let on = s.on;
            let id = publicity_step(s, |p, _| Ok(p.object(code, on, objector, summary)?))?;
            s.audit(
                &actor.name,
                "publicity.object",
                format!("#{id} against {code} received {on} from {objector}: {summary}"),
            );
            Ok(id)
        })
    }

    /// Decide an objection on `on` (today by default). An upheld one removes the unit and
    /// promotes the best-ranked eligible unit whose addition keeps every limit; the promoted
    /// unit is published in a supplementary period from the next working day.
    pub fn resolve(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        id: u32,
        upheld: bool,
        note: &str,
        on: Option<jiff::civil::Date>,
    ) -> Result<Option<Change>, StoreError> {
        check(actor, &Action::Publicity)?;
        let resolution = if upheld {
            Resolution::Upheld {
                note: note.to_string(),
            }
        } else {
            Resolution::Rejected {
                note: note.to_string(),
            }
        };
        let calendar = Calendar::new(&criteria.holidays);
        let days = criteria.round.publicity_working_days;
        let constraints = Constraints::from_criteria(criteria);
        self.step(on, |s| {
            s.permit(PhaseStep::Resolve)?;
            let on = s.on;
            let current = repo::load(&s.tx)?;
            let round = sealed_ranking(s, criteria, &current)?;
            // Units the panel meeting voted out are never promoted either.
            let voted_out: Vec<String> = crate::store::repo::panel::verdicts(&s.tx)?
                .into_iter()
                .filter(|v| !v.passed())
                .map(|v| v.code)
                .collect();
            let change = publicity_step(s, |p, _| {
                Ok(
                    p.resolve(id, resolution, on, &calendar, days, |list, barred| {
                        let mut barred = barred.to_vec();
                        barred.extend(voted_out.iter().cloned());
                        promote_from(criteria, &round, &constraints, list, &barred)
                    })?,
                )
            })?;
            let detail = match &change {
                Some(c) => format!(
                    "#{id} upheld on {on}: {} removed, {}: {note}",
                    c.removed,
                    match &c.promoted {
                        Some(p) => format!(
                            "{p} promoted, supplementary publicity from the next working day"
                        ),
                        None => format!(
                            "nobody promoted ({})",
                            c.no_promotion.as_ref().map_or("", |t| t.en.as_str())
                        ),
                    }
                ),
                None => format!(
                    "#{id} {} on {on}: {note}",
                    if upheld { "upheld" } else { "rejected" }
                ),
            };
            s.audit(&actor.name, "publicity.resolve", detail);
            Ok(change)
        })
    }

    /// Put a unit of the ministry's choice on the list after an upheld objection left a place
    /// no single unit could fill within the limits (reason required); it is published in a
    /// supplementary period from the next working day.
    pub fn promote(
        &mut self,
        criteria: &Criteria,
        actor: &User,
        code: &str,
        reason: &str,
        on: Option<jiff::civil::Date>,
    ) -> Result<(), StoreError> {
        check(actor, &Action::Publicity)?;
        reason_given(PhaseStep::Promote, reason)?;
        let calendar = Calendar::new(&criteria.holidays);
        let days = criteria.round.publicity_working_days;
        self.step(on, |s| {
            s.permit(PhaseStep::Promote)?;
            let on = s.on;
            let current = repo::load(&s.tx)?;
            let round = sealed_ranking(s, criteria, &current)?;
            if round.ranking.row(code).is_none() {
                return Err(Refusal::UnknownDossier {
                    code: code.to_string(),
                }
                .into());
            }
            let entry = round.entry(code);
            publicity_step(s, |p, _| Ok(p.promote(entry, reason, on, &calendar, days)?))?;
            s.audit(
                &actor.name,
                "publicity.promote",
                format!("{code} put on the list by the ministry on {on}: {reason}"),
            );
            Ok(())
        })
    }

    /// Confirm the list on `on` (today by default): only after every publicity period ended
    /// and with every objection resolved.
    pub fn confirm(
        &mut self,
        actor: &User,
        on: Option<jiff::civil::Date>,
    ) -> Result<usize, StoreError> {
        check(actor, &Action::Publicity)?;
        self.step(on, |s| {
            s.permit(PhaseStep::Confirm)?;
            let on = s.on;
            let n = publicity_step(s, |p, _| {
                p.confirm(on)?;
                Ok(p.current_list().len())
            })?;
            s.audit(
                &actor.name,
                "publicity.confirm",
                format!("{n} units confirmed on {on}"),
            );
            Ok(n)
        })
    }

    /// Every ranked unit's outcome: 入选 / 异议成立撤销 / 递补 / 备选 / 未入选.
    pub fn outcomes(&self, actor: &User) -> Result<Vec<UnitOutcome>, StoreError> {
        check(actor, &Action::ViewPublicity)?;
        let p = repo::load(&self.conn)?;
        let codes: Vec<String> = self
            .current_dossiers()?
            .into_iter()
            .map(|d| d.code)
            .collect();
        Ok(codes
            .into_iter()
            .map(|code| {
                let outcome = p.outcome(&code);
                let text =
                    outcome.map_or_else(|| Text::new("未入选", "not selected"), |o| o.text());
                UnitOutcome {
                    code,
                    outcome,
                    text,
                }
            })
            .collect())
    }
}

/// An objection against one of the province's units, as its official sees it: when it came
/// and how it stands. The objector and the evidence stay with the ministry (confidential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionStatus {
    pub id: u32,
    pub received_on: String,
    /// 待处理 / 异议成立 / 异议不成立.
    pub status: Text,
    /// The ministry's reasons, once decided (empty while open).
    pub note: String,
}

/// One of the province's dossiers once the list is sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceResult {
    pub code: String,
    /// `None`: not selected (未入选).
    pub outcome: Option<Outcome>,
    pub text: Text,
    pub objections: Vec<ObjectionStatus>,
}

impl Store {
    /// The province's outcomes and the objections against its units, once the list is sealed
    /// (`None` before: nothing is decided yet). For the province's official and the ministry.
    pub fn province_results(
        &self,
        actor: &User,
        province_key: &str,
    ) -> Result<Option<(PublicityPhase, Vec<ProvinceResult>)>, StoreError> {
        check(actor, &Action::ViewProvince(province_key))?;
        let p = repo::load(&self.conn)?;
        let phase = p.phase();
        if phase == PublicityPhase::Draft {
            return Ok(None);
        }
        let rows = self
            .current_dossiers()?
            .into_iter()
            .filter(|d| d.province_key == province_key)
            .map(|d| {
                let outcome = p.outcome(&d.code);
                let text =
                    outcome.map_or_else(|| Text::new("未入选", "not selected"), |o| o.text());
                let objections = p
                    .objections()
                    .iter()
                    .filter(|o| o.code == d.code)
                    .map(|o| ObjectionStatus {
                        id: o.id,
                        received_on: o.received_on.to_string(),
                        status: match &o.resolution {
                            None => Text::new("待处理", "open"),
                            Some(Resolution::Upheld { .. }) => Text::new("异议成立", "upheld"),
                            Some(Resolution::Rejected { .. }) => {
                                Text::new("异议不成立", "rejected")
                            }
                        },
                        note: o
                            .resolution
                            .as_ref()
                            .map_or_else(String::new, |r| r.note().to_string()),
                    })
                    .collect();
                ProvinceResult {
                    code: d.code,
                    outcome,
                    text,
                    objections,
                }
            })
            .collect();
        Ok(Some((phase, rows)))
    }
}
