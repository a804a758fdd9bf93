//! The effects of the login screen and the official's screen: logging in, the first account,
//! the home screen, and the official's reads (a stored dossier, a folder re-checked, a file).

use std::path::PathBuf;

use crate::domain::access::Role;
use crate::input::encoding::decode;
use crate::input::read::{MAX_FILE_BYTES, describe, read_capped};
use crate::store::{Store, StoreError};
use crate::tui::app::State;
use crate::tui::core::{Done, Effect};
use crate::tui::screens::home;
use crate::tui::text::clean;

/// Carry out a session or official effect; `Err(effect)` when it is not one of them.
pub fn carry_out(
    state: &mut State,
    effect: Effect,
    store: &mut Store,
) -> Result<Option<Done>, Effect> {
    let env = &mut state.env;
    Ok(match effect {
        Effect::LogIn { name, password } => Some(Done::LoggedIn(
            store.login(&name, &password).map_err(|e| e.text()),
        )),
        Effect::CreateFirstAccount { name, password } => {
            let result = store
                .add_account(None, &name, &Role::Ministry, &password, false)
                .and_then(|()| store.login(&name, &password))
                .map_err(|e| e.text());
            Some(Done::FirstAccount { name, result })
        }
        Effect::GoHome => {
            match home(env, store) {
                Ok(screen) => state.screen = screen,
                Err(e) => env.store_error(&e),
            }
            None
        }
        Effect::ReadDossier { code } => {
            let result = match env.user.as_ref() {
                Some(u) => store
                    .dossier_raw(Some(u), &code)
                    .map(|found| found.map(|(bytes, _)| bytes))
                    .map_err(|e| e.text()),
                None => Err(StoreError::LoginRequired.text()),
            };
            Some(Done::DossierRead { code, result })
        }
        Effect::Recheck { folder } => {
            let result =
                crate::validation::validate_paths(&env.criteria, &[PathBuf::from(&folder)])
                    .map(Box::new)
                    .map_err(|e| e.text());
            Some(Done::Rechecked { folder, result })
        }
        Effect::ReadFile { path } => {
            // Read as validation does (regular files only, capped, never blocking).
            let result = match read_capped(std::path::Path::new(&path), MAX_FILE_BYTES) {
                Ok(bytes) => Ok(decode(&bytes)
                    .map_or_else(|_| String::from_utf8_lossy(&bytes).into_owned(), |(t, _)| t)),
                Err(e) => Err(describe(&e, &clean(&path)).0),
            };
            Some(Done::FileRead { path, result })
        }
        other => return Err(other),
    })
}
