//! shifan (示范): the national selection of rural informatization demonstration units.
//!
//! The library holds the domain (`domain`: rules, checks; no files, no SQL, no terminal), reading
//! of input files (`input`), the SQLite store (`store`) and synthetic data (`generate`). The binary
//! (`main.rs` and `cli/`) is a thin layer over it.

pub mod domain;
pub mod generate;
pub mod input;
pub mod pdf;
pub mod store;
pub mod validation;
