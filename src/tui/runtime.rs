//! The runtime: feeds a message to the pure `app::step`, carries out the effects it asked
//! for against the store, and feeds each result back as `Msg::Done` until none is left.

use crate::store::{Store, StoreError};

use super::app::{State, step};
use super::core::{Command, Cx, Done, Effect, ListRows, Msg};
use super::phase::phase;
use super::screens::Screen;
use super::screens::login::LoginState;
use super::screens::scoring::ScoringState;

mod round;
mod session;

/// The most effects one message may lead to (a guard against a screen asking in a loop).
const MAX_EFFECTS: usize = 64;

/// Apply one message and everything it leads to; database writes happen in the effects and in
/// the screens not yet pure, each in its own transaction.
pub fn update(state: &mut State, msg: Msg, store: &mut Store) -> Command {
    let mut queue = std::collections::VecDeque::new();
    let mut cx = Cx::pure();
    let mut command = step(state, msg, &mut cx);
    queue.extend(cx.effects);
    let mut done = 0;
    while let Some(effect) = queue.pop_front() {
        if command == Command::Quit || done == MAX_EFFECTS {
            break;
        }
        done += 1;
        let Some(result) = carry_out(state, effect, store) else {
            continue;
        };
        let mut cx = Cx::pure();
        command = step(state, Msg::Done(result), &mut cx);
        queue.extend(cx.effects);
    }
    command
}

/// Carry out one effect; the result to feed back, if it has one.
pub fn carry_out(state: &mut State, effect: Effect, store: &mut Store) -> Option<Done> {
    let effect = match session::carry_out(state, effect, store) {
        Ok(done) => return done,
        Err(other) => other,
    };
    let effect = match round::carry_out(state, effect, store) {
        Ok(done) => return done,
        Err(other) => other,
    };
    let env = &mut state.env;
    match effect {
        Effect::Recuse { code, reason } => {
            let result = match env.user.clone() {
                Some(u) => store
                    .recuse(&env.criteria, &u, &code, &reason)
                    .map(|o| o.replacement)
                    .map_err(|e| e.text()),
                None => Err(StoreError::LoginRequired.text()),
            };
            Some(Done::Recused { code, result })
        }
        Effect::ReloadList => {
            let result = match env.user.as_ref() {
                Some(u) => store
                    .my_dossiers(u)
                    .map(|rows| ListRows {
                        rows,
                        today: store.today(),
                    })
                    .map_err(|e| e.text()),
                None => Err(StoreError::LoginRequired.text()),
            };
            Some(Done::ListLoaded(result))
        }
        Effect::OpenSheet { code } => {
            let list = match &state.screen {
                Screen::ExpertList(l) => Some(Box::new(l.clone())),
                _ => None,
            };
            match ScoringState::open(env, store, &code) {
                Ok(mut s) => {
                    s.list = list;
                    state.screen = Screen::Scoring(Box::new(s));
                }
                Err(e) => env.store_error(&e),
            }
            None
        }
        Effect::LogOut => {
            env.phase = phase(store);
            state.screen = Screen::Login(LoginState::for_store(store));
            None
        }
        Effect::SaveScore {
            code,
            criterion,
            points,
        } => {
            let result = user(env)
                .and_then(|u| store.set_score(&env.criteria, &u, &code, &criterion, points))
                .and_then(|()| ScoringState::read_sheet(env, store, &code))
                .map_err(|e| e.text());
            Some(Done::ScoreSaved {
                code,
                criterion,
                points,
                result,
            })
        }
        Effect::SetOpinion {
            code,
            opinion,
            recommend,
        } => {
            let result = user(env)
                .and_then(|u| store.set_opinion(&u, &code, opinion.as_deref(), recommend))
                .and_then(|()| ScoringState::read_sheet(env, store, &code))
                .map_err(|e| e.text());
            Some(Done::OpinionSet {
                code,
                opinion,
                recommend,
                result,
            })
        }
        Effect::Submit { code } => {
            let result = user(env)
                .and_then(|u| store.submit(&env.criteria, &u, &code))
                .map_err(|e| e.text());
            Some(Done::Submitted { code, result })
        }
        // Carried out above.
        _ => None,
    }
}

/// The logged-in user, or the refusal that says a login is needed.
fn user(env: &crate::tui::core::Env) -> Result<crate::domain::access::User, StoreError> {
    env.user.clone().ok_or(StoreError::LoginRequired)
}
