//! One screen a file: its state, its key handling and its drawing.

pub mod component;
pub mod dashboard;
pub mod dossier_view;
pub mod expert_list;
pub mod first_account;
pub mod help;
pub mod login;
pub mod ministry;
pub mod my_list;
pub mod official;
pub mod opinion;
pub mod scoring;

use crate::domain::access::Role;
use crate::store::{Store, StoreError};
use crate::tui::core::{self, Env};
use crate::tui::phase::phase;

use dashboard::DashboardState;
use expert_list::ExpertListState;
use login::LoginState;
use official::OfficialState;
use scoring::ScoringState;

/// What a screen asks for, with this crate's `Screen` as the destination type.
pub type Transition = core::Transition<Screen>;

/// The screen in front.
#[derive(Debug, Clone)]
pub enum Screen {
    Login(LoginState),
    ExpertList(ExpertListState),
    Scoring(Box<ScoringState>),
    Official(Box<OfficialState>),
    Dashboard(Box<DashboardState>),
}

/// The home screen of a logged-in user's role.
pub fn home(env: &mut Env, store: &Store) -> Result<Screen, StoreError> {
    let Some(user) = env.user.clone() else {
        return Ok(Screen::Login(LoginState::for_store(store)));
    };
    env.phase = phase(store);
    Ok(match &user.role {
        Role::Expert { .. } => Screen::ExpertList(ExpertListState::load(env, store)?),
        Role::Official { province_key } => {
            Screen::Official(Box::new(OfficialState::load(env, store, province_key)?))
        }
        Role::Ministry | Role::Clerk => {
            Screen::Dashboard(Box::new(DashboardState::load(env, store)?))
        }
    })
}
