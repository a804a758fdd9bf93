//! The dashboard's effects: its reads (a tab's first visit, the live refresh, the roster, the
//! swap's candidates, a what-if) and the steps on the round its tabs ask for once confirmed.
//! Each step is one service call (one transaction, one audit entry); what it gave goes back
//! to the tab as `Done::Stepped`.

use jiff::civil::Date;

use crate::domain::Text;
use crate::domain::refusal::Refusal;
use crate::service::generation;
use crate::store::{Store, StoreError};
use crate::tui::app::State;
use crate::tui::core::{Done, Effect, Env, Stepped};
use crate::tui::popup::ConfirmPurpose;
use crate::tui::screens::Screen;
use crate::tui::screens::dashboard::DashboardState;
use crate::tui::screens::ministry::publicity::sealed_text;
use crate::tui::screens::ministry::user;

/// Carry out a dashboard effect; `Err(effect)` when it is not one of them. Without a
/// dashboard in front (it was left meanwhile) the effect is dropped.
pub fn carry_out(
    state: &mut State,
    effect: Effect,
    store: &mut Store,
) -> Result<Option<Done>, Effect> {
    let State { env, screen, .. } = state;
    let is_ours = matches!(
        effect,
        Effect::ShowTab
            | Effect::Refresh
            | Effect::RoundStep(_)
            | Effect::RoundChanged
            | Effect::ReadRoster
            | Effect::SwapCandidates { .. }
            | Effect::Select(_)
            | Effect::ListFolder { .. }
            | Effect::GenerateDocuments { .. }
    );
    if !is_ours {
        return Err(effect);
    }
    let Screen::Dashboard(d) = screen else {
        return Ok(None);
    };
    Ok(match effect {
        Effect::ShowTab => {
            d.load_front(env, store);
            None
        }
        Effect::Refresh => {
            d.tick(env, store, std::time::Instant::now());
            None
        }
        Effect::RoundChanged => {
            d.after_step(env, store);
            None
        }
        Effect::RoundStep(purpose) => {
            let result = step(d, env, store, &purpose).map(Box::new);
            Some(Done::Stepped { purpose, result })
        }
        Effect::ReadRoster => Some(Done::Roster(
            user(env)
                .and_then(|u| store.experts(&u))
                .map_err(|e| e.text()),
        )),
        Effect::SwapCandidates { dossier, out } => {
            let result = user(env)
                .and_then(|u| store.swap_candidates(&env.criteria, &u, &dossier))
                .map_err(|e| e.text());
            Some(Done::SwapCandidates {
                dossier,
                out,
                result,
            })
        }
        Effect::Select(constraints) => {
            let result = user(env)
                .and_then(|u| store.selection(&env.criteria, &u, &constraints, false))
                .map(Box::new)
                .map_err(|e| e.text());
            Some(Done::Selected {
                constraints,
                result,
            })
        }
        Effect::ListFolder { folder } => {
            let names = generation::names_in(&folder);
            Some(Done::FolderListed { folder, names })
        }
        Effect::GenerateDocuments {
            batches,
            folder,
            force,
        } => {
            let result = user(env).map_err(|e| e.text()).and_then(|actor| {
                let ids: Vec<&str> = batches.iter().map(|b| b.id()).collect();
                let today = store.today();
                let criteria = env.criteria.clone();
                store
                    .generate_documents(&actor, &ids.join(", "), &folder, force, |s| {
                        generation::render(&criteria, s, &actor, &batches, today)
                    })
                    .map(Box::new)
                    .map_err(|e| e.text())
            });
            Some(Done::DocumentsWritten { batches, result })
        }
        _ => None,
    })
}

/// One confirmed step on the round, as the tab asked for it.
fn step(
    d: &DashboardState,
    env: &Env,
    store: &mut Store,
    purpose: &ConfirmPurpose,
) -> Result<Stepped, Text> {
    let actor = user(env).map_err(|e| e.text())?;
    let criteria = &env.criteria;
    let said = |t: Text| -> Result<Stepped, StoreError> { Ok(Stepped::Said(t)) };
    let r: Result<Stepped, StoreError> =
        match purpose.clone() {
            ConfirmPurpose::Assign { seed } => {
                store.assign(criteria, &actor, seed).map(Stepped::Assigned)
            }
            ConfirmPurpose::Swap {
                dossier,
                out,
                into,
                reason,
            } => store
                .swap(criteria, &actor, &dossier, &out, &into, &reason)
                .and_then(|()| {
                    said(Text::new(
                        format!("已调换：{dossier} {out} → {into}"),
                        format!("swapped: {dossier} {out} → {into}"),
                    ))
                }),
            ConfirmPurpose::Reopen {
                dossier,
                expert,
                reason,
            } => store
                .reopen(&actor, &dossier, &expert, &reason)
                .and_then(|()| {
                    said(Text::new(
                        format!("已重开：{dossier} 专家 {expert} 的评分表"),
                        format!("reopened: the sheet of {expert} on {dossier}"),
                    ))
                }),
            ConfirmPurpose::PanelOpen => {
                let Some(panel) = d.panel.as_ref() else {
                    return Err(Text::new("会评栏尚未读取", "the panel tab is not read yet"));
                };
                let (replicates, seed) = (panel.room.band.replicates, panel.room.band.seed);
                store
                    .panel_open(criteria, &actor, replicates, seed)
                    .map(|band| Stepped::PanelOpened {
                        band,
                        on: store.today().to_string(),
                        by: actor.name.clone(),
                    })
            }
            ConfirmPurpose::PanelVote {
                code,
                votes_for,
                votes_against,
                note,
            } => store
                .panel_vote(&actor, &code, (votes_for, votes_against), &note)
                .map(|()| Stepped::Voted(store.panel_votes(&actor).map_err(|e| e.text()))),
            ConfirmPurpose::Propose {
                on,
                accept_incomplete,
            } => match store.propose(criteria, &actor, Some(on), accept_incomplete.as_deref()) {
                // Sheets are open: say which; the tab asks for the reason to seal anyway.
                Err(e @ StoreError::Refused(Refusal::OpenSheets { .. }))
                    if accept_incomplete.is_none() =>
                {
                    Ok(Stepped::SheetsOpen(e.text()))
                }
                r => r.and_then(|out| said(sealed_text(&out.list_hash, out.open_sheets))),
            },
            ConfirmPurpose::Withdraw { reason, on } => {
                store.withdraw(&actor, &reason, Some(on)).and_then(|()| {
                    said(Text::new(
                        format!("封存的名单已撤回（{on}），回到评审阶段"),
                        format!("the sealed list is withdrawn ({on}): back to review"),
                    ))
                })
            }
            ConfirmPurpose::Start { on } => store
                .start_publicity(criteria, &actor, Some(on))
                .and_then(|end: Date| {
                    said(Text::new(
                        format!("公示期 {on} 至 {end}"),
                        format!("publicity from {on} to {end}"),
                    ))
                }),
            ConfirmPurpose::Object {
                code,
                objector,
                summary,
                on,
            } => store
                .object(&actor, &code, Some(on), &objector, &summary)
                .and_then(|id| {
                    said(Text::new(
                        format!("异议 #{id} 已登记"),
                        format!("objection #{id} registered"),
                    ))
                }),
            ConfirmPurpose::Resolve { id, upheld, note } => store
                .resolve(criteria, &actor, id, upheld, &note, None)
                .and_then(|change| {
                    said(match change {
                        Some(c) => {
                            let p = c.promoted.unwrap_or_else(|| "—".into());
                            Text::new(
                                format!("异议 #{id} 成立：{} 除名，{p} 递补", c.removed),
                                format!(
                                    "objection #{id} upheld: {} removed, {p} promoted",
                                    c.removed
                                ),
                            )
                        }
                        None => Text::new(
                            format!("异议 #{id} 已处理"),
                            format!("objection #{id} decided"),
                        ),
                    })
                }),
            ConfirmPurpose::ConfirmList { on } => store.confirm(&actor, Some(on)).and_then(|n| {
                said(Text::new(
                    format!("名单已确认：{n} 个单位（{on}）"),
                    format!("list confirmed: {n} units ({on})"),
                ))
            }),
            _ => return Err(Text::new("不是对本轮的操作", "not a step on the round")),
        };
    r.map_err(|e| e.text())
}
