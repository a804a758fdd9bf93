//! PDF documents of a round: the publicity notice (公示), one confirmation notice (认定通知) per
//! unit, one score sheet (专家评分表) per expert and the review-quality annex (评审质量统计),
//! laid out after GB/T 9704-2012.
//!
//! The module takes plain document data and returns PDF bytes plus warnings; it knows nothing of
//! the database or the terminal. Fonts are loaded once ([`Fonts::load_default`]) and shared by
//! every document; each PDF embeds only the glyphs it uses.
//!
//! Inside: `fonts` (the shipped faces and per-character fallback), `measure` (advance widths and
//! runs of one face), `linebreak` (Chinese line breaking with kinsoku), `layout` (pages, cursor,
//! paragraphs, tables), `writer` (pages to printpdf),
//! `content` (the pages' content streams), and one module per document.

mod content;
mod fonts;
mod layout;
mod linebreak;
mod measure;
mod notices;
mod package_letter;
pub mod samples;
mod score_sheet;
mod stats_annex;
mod writer;

use std::fmt;
use std::path::PathBuf;

pub use fonts::{FaceRole, Fonts};
pub use notices::{
    ConfirmationNotice, Contact, ListEntry, PublicityNotice, PublicityPeriod, ResultNotice,
    publicity_intro, render_confirmation, render_confirmations, render_publicity, render_result,
};
pub use package_letter::{PackageLetter, letter_text, render_package_letter};
pub use score_sheet::{
    CriterionHeader, ScoreRow, ScoreSheet, render_score_sheet, render_score_sheets,
};
pub use stats_annex::{ExpertLine, IntervalLine, PanelLine, StatsAnnex, render_stats_annex};

/// A rendered document.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Characters that no shipped font has: they print as an empty box.
    pub warnings: Vec<GlyphWarning>,
}

/// A character that no shipped font can draw, and where it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GlyphWarning {
    /// What the text belongs to: a unit's name (`单位「…」`), an expert, or a part of the
    /// document (`标题`, `正文`).
    pub context: String,
    /// The character.
    pub character: char,
}

impl fmt::Display for GlyphWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: character '{}' (U+{:04X}) is in no shipped font and prints as an empty box",
            self.context, self.character, self.character as u32
        )
    }
}

/// Errors of the PDF engine.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("cannot read font file {path}: {source}")]
    FontRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("font file {path} is not a usable OpenType font")]
    FontParse { path: PathBuf },
    #[error(
        "font directory not found (set SHIFAN_FONT_DIR or run from the repository); looked in: {tried}"
    )]
    FontDirNotFound { tried: String },
    #[error("table columns are {needed:.1} pt wide but the text block has {available:.1} pt")]
    TableTooWide { needed: f32, available: f32 },
    #[error("the PDF writer reported: {0}")]
    Writer(String),
}
