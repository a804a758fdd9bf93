//! The shipped font faces and the choice of a face for each character.
//!
//! Fonts are read at run time from `assets/fonts/` (not `include_bytes!`: 28 MB in the binary
//! would slow every build). [`Fonts::load_default`] looks in `$SHIFAN_FONT_DIR`, beside the
//! executable and its parents, then in the source tree the crate was built from.
//!
//! A face is mapped and parsed only when a document needs it, and then once per process: its
//! character map when a character is first looked up in it (the fallback face only when the
//! wanted face lacks a character). For embedding, a face is first cut down to the glyphs a
//! document uses ([`Face::subset`], allsorts' CFF subsetter, the one printpdf itself uses) and
//! only that small font is handed to printpdf: parsing a whole 7 MB face took most of a
//! notice's time. A notice printed by a fresh process thus pays for the glyphs it uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::PdfError;

/// File names inside the font directory.
const BODY_FILE: &str = "FandolFang-Regular.otf";
const TITLE_FILE: &str = "FandolSong-Bold.otf";
const FALLBACK_FILE: &str = "NotoSerifCJKsc-Regular-Subset.otf";
const HEADING_FILE: &str = "FandolHei-Regular.otf";

/// The role a face plays in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceRole {
    /// Body text: 仿宋 (FandolFang).
    Body,
    /// Titles: bold 宋 (FandolSong Bold), standing in for 小标宋.
    Title,
    /// Plain 宋 (Noto Serif CJK SC, cut): the fallback for characters the others lack.
    Plain,
    /// Headings, 「附件1」, table headers: 黑体 (FandolHei Regular).
    Heading,
}

impl FaceRole {
    fn index(self) -> usize {
        match self {
            FaceRole::Body => 0,
            FaceRole::Title => 1,
            FaceRole::Plain => 2,
            FaceRole::Heading => 3,
        }
    }

    /// Faces to try, in order, for a character wanted in `self`: the wanted face, then the
    /// Song fallback, then the remaining one.
    fn fallback_order(self) -> [FaceRole; 4] {
        use FaceRole::{Body, Heading, Plain, Title};
        match self {
            Body => [Body, Plain, Title, Heading],
            Title => [Title, Plain, Body, Heading],
            Plain => [Plain, Body, Title, Heading],
            Heading => [Heading, Plain, Title, Body],
        }
    }
}

/// One face, read on first use: the advance widths for layout, the parsed font for embedding.
pub(crate) struct Face {
    pub(crate) file_name: &'static str,
    path: PathBuf,
    /// The file, mapped on first use (`None`: it could not be opened or mapped).
    bytes: OnceLock<Option<memmap2::Mmap>>,
    /// Glyph id and advance width (em) of each character looked up so far (`None`: the face
    /// lacks it). Looked up one by one in the cmap: building the whole map of a face (tens of
    /// thousands of characters) cost a fifth of a notice's instructions.
    glyphs: Mutex<HashMap<char, Option<(u16, f32)>>>,
}

/// A face cut down to the glyphs of one document.
pub(crate) struct SubsetFace {
    /// The small font, parsed for printpdf.
    pub(crate) parsed: printpdf::ParsedFont,
    /// Glyph id in the shipped face -> glyph id in the small font.
    pub(crate) remap: HashMap<u16, u16>,
}

/// The four shipped faces, loaded once and shared by every document.
pub struct Fonts {
    faces: [Face; 4],
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.faces.iter().map(|face| face.file_name).collect();
        f.debug_struct("Fonts").field("faces", &names).finish()
    }
}

impl Fonts {
    /// Loads the fonts from the first directory that has them: `$SHIFAN_FONT_DIR`,
    /// `assets/fonts` beside the executable or up to three parents above it (covers
    /// `target/release/`), then `assets/fonts` in the source tree this crate was built from.
    pub fn load_default() -> Result<Self, PdfError> {
        let candidates = default_dirs();
        for dir in &candidates {
            if dir.join(BODY_FILE).is_file() {
                return Self::load_dir(dir);
            }
        }
        let tried = candidates
            .iter()
            .map(|dir| dir.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        Err(PdfError::FontDirNotFound { tried })
    }

    /// The four faces of `dir`: each file must be there and readable; the body face is read
    /// and checked at once, the others on first use.
    pub fn load_dir(dir: &Path) -> Result<Self, PdfError> {
        let load = |file_name: &'static str| -> Result<Face, PdfError> {
            let path = dir.join(file_name);
            std::fs::File::open(&path).map_err(|source| PdfError::FontRead {
                path: path.clone(),
                source,
            })?;
            Ok(Face {
                file_name,
                path,
                bytes: OnceLock::new(),
                glyphs: Mutex::new(HashMap::new()),
            })
        };
        let fonts = Self {
            faces: [
                load(BODY_FILE)?,
                load(TITLE_FILE)?,
                load(FALLBACK_FILE)?,
                load(HEADING_FILE)?,
            ],
        };
        let body = fonts.face(FaceRole::Body);
        if body.lookup('中').is_none() {
            return Err(PdfError::FontParse {
                path: body.path.clone(),
            });
        }
        Ok(fonts)
    }

    pub(crate) fn face(&self, role: FaceRole) -> &Face {
        &self.faces[role.index()]
    }

    /// The face that draws `ch` when `wanted` is asked for, or `None` when no face has it.
    pub fn resolve(&self, wanted: FaceRole, ch: char) -> Option<FaceRole> {
        wanted
            .fallback_order()
            .into_iter()
            .find(|role| self.face(*role).lookup(ch).is_some())
    }

    /// Whether some shipped face has `ch`.
    pub fn covers(&self, ch: char) -> bool {
        self.resolve(FaceRole::Body, ch).is_some()
    }

    /// Advance width of `ch` in `role`, in em.
    pub(crate) fn advance(&self, role: FaceRole, ch: char) -> Option<f32> {
        self.face(role).lookup(ch).map(|(_, advance)| advance)
    }

    /// Glyph id of `ch` in `role`.
    pub(crate) fn glyph_id(&self, role: FaceRole, ch: char) -> Option<u16> {
        self.face(role).lookup(ch).map(|(gid, _)| gid)
    }
}

impl Face {
    /// The face's file, memory-mapped: reading all four faces (29 MB) into memory was a
    /// third of a notice's time; mapped, a process touches only the pages it looks at.
    fn bytes(&self) -> Option<&[u8]> {
        self.bytes
            .get_or_init(|| {
                let file = std::fs::File::open(&self.path).ok()?;
                // SAFETY: the mapping is read-only and the faces are shipped files nobody
                // writes while a document is printed; a file cut short under a running
                // process would end it (SIGBUS), as it would any program mapping fonts.
                unsafe { memmap2::Mmap::map(&file) }.ok()
            })
            .as_deref()
    }

    /// Glyph id and advance (em) of `ch`, or `None` when the face lacks it (or the file is
    /// unusable).
    fn lookup(&self, ch: char) -> Option<(u16, f32)> {
        let mut cache = self
            .glyphs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *cache
            .entry(ch)
            .or_insert_with(|| self.bytes().and_then(|bytes| glyph(bytes, ch)))
    }

    /// The face cut down to `used` glyph ids (glyph 0, .notdef, is always kept), parsed for
    /// printpdf. allsorts numbers the kept glyphs by their position in the list it is given.
    pub(crate) fn subset(
        &self,
        used: &std::collections::BTreeSet<u16>,
    ) -> Result<SubsetFace, PdfError> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        let parse_error = || PdfError::FontParse {
            path: self.path.clone(),
        };
        let bytes = self.bytes().ok_or_else(parse_error)?;
        let ids: Vec<u16> = std::iter::once(0)
            .chain(used.iter().copied().filter(|gid| *gid != 0))
            .collect();
        let font_file = ReadScope::new(bytes)
            .read::<FontData<'_>>()
            .map_err(|_| parse_error())?;
        let provider = font_file.table_provider(0).map_err(|_| parse_error())?;
        let small = allsorts::subset::subset(
            &provider,
            &ids,
            &allsorts::subset::SubsetProfile::Pdf,
            allsorts::subset::CmapTarget::Unicode,
        )
        .map_err(|_| parse_error())?;
        let mut parse_warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(&small, 0, &mut parse_warnings)
            .ok_or_else(parse_error)?;
        let remap = ids
            .iter()
            .enumerate()
            .filter_map(|(new, old)| u16::try_from(new).ok().map(|new| (*old, new)))
            .collect();
        Ok(SubsetFace { parsed, remap })
    }
}

/// Glyph id and advance (em) of `ch` in the font `bytes` (parsing the table directory only).
fn glyph(bytes: &[u8], ch: char) -> Option<(u16, f32)> {
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let gid = face.glyph_index(ch).filter(|gid| gid.0 != 0)?;
    let advance = face.glyph_hor_advance(gid)?;
    Some((gid.0, f32::from(advance) / f32::from(face.units_per_em())))
}

fn default_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("SHIFAN_FONT_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    if let Ok(exe) = std::env::current_exe() {
        for ancestor in exe.ancestors().skip(1).take(4) {
            dirs.push(ancestor.join("assets").join("fonts"));
        }
    }
    dirs.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join("fonts"),
    );
    dirs
}
