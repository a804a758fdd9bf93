//! Reading the provinces' files and the criteria folder into domain types.
//!
//! Text is decoded (UTF-8 with or without BOM, else GB18030), parsed with spans, and walked by
//! hand so that every problem names its file, line, column and field.

pub mod criteria;
pub mod discover;
pub mod dossier;
pub mod encoding;
pub mod experts;
pub mod paper;
pub mod paper_xlsx;
pub mod read;
pub mod source;
pub mod submission;
pub mod walker;
