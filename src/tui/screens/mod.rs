//! One screen a file: its state, its key handling and its drawing.

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
