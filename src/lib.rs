//! shifan (示范): the national selection of rural informatization demonstration units.
//!
//! The library holds the domain (`domain`: rules, checks; no files, no SQL, no terminal), reading
//! of input files (`input`), the SQLite store (`store`), synthetic data (`generate`), the demo
//! round (`demo`), PDF documents (`pdf` engine, `documents` from the store), exports (`export`)
//! and the terminal interface (`tui`, ratatui; the domain never imports it). The binary
//! (`main.rs` and `cli/`) is a thin layer over it.

pub mod demo;
pub mod documents;
pub use shifan_domain as domain;
pub mod export;
pub mod generate;
pub mod input;
pub mod out_folder;
pub mod package;
pub mod paper_template;
pub mod pdf;
pub mod service;
pub mod store;
pub mod terminal_text;
pub mod tui;
pub mod validation;
