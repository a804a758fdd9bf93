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
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// Glyph id and advance width (em) of each character of the Basic Multilingual Plane
    /// looked up so far, packed by [`pack`] (0: not looked up yet). Looked up one by one in the
    /// cmap: building the whole map of a face (tens of thousands of characters) cost a fifth
    /// of a notice's instructions. Atomics, not a map behind a lock: documents are laid out
    /// on two threads at once, and the lock they shared was a tenth of the score sheets' time.
    plane: OnceLock<Box<[AtomicU64]>>,
    /// The same for characters beyond it (`None`: the face lacks it).
    astral: Mutex<HashMap<char, Option<(u16, f32)>>>,
}

/// A face cut down to the glyphs of one document.
pub(crate) struct SubsetFace {
    /// The small font, parsed for printpdf.
    pub(crate) parsed: printpdf::ParsedFont,
    /// Glyph id in the shipped face -> glyph id in the small font.
    pub(crate) remap: HashMap<u16, u16>,
    /// The small font's `CFF ` table when it is CID-keyed, as printpdf embeds it: the program
    /// that [`SubsetFace::recut`] cuts further for one document.
    pub(crate) cid_keyed_cff: Option<Vec<u8>>,
    /// That program deflated, once, for the documents that use every glyph of it (the
    /// score sheets' title and headings: the same program in every sheet).
    pub(crate) cid_keyed_cff_deflated: OnceLock<Option<Vec<u8>>>,
    /// The CID of each glyph of the small font (indexed by its glyph id), when it is
    /// CID-keyed: the codes a content stream shows it by (printpdf's codes for such a font;
    /// for any other font the code is the glyph id).
    pub(crate) cids: Option<Vec<u16>>,
}

impl SubsetFace {
    /// The CID-keyed program cut down to `gids` (glyph ids of the shipped face; those not in
    /// the small font are left out), or `None` when the program is not CID-keyed or cannot
    /// be cut. A glyph keeps its CID in every cut, and the codes, widths and /ToUnicode of a
    /// CID-keyed font are keyed by CID: a document written with the small font's metrics can
    /// embed this program instead of the small font's own.
    /// Whether `gids` (glyph ids of the shipped face) hold every glyph of the small font.
    pub(crate) fn uses_every_glyph(&self, gids: &std::collections::BTreeSet<u16>) -> bool {
        let used = gids
            .iter()
            .filter(|gid| **gid != 0 && self.remap.contains_key(gid))
            .count();
        used + 1 >= self.remap.len()
    }

    pub(crate) fn recut(&self, gids: &std::collections::BTreeSet<u16>) -> Option<Vec<u8>> {
        use allsorts::binary::read::ReadScope;
        use allsorts::binary::write::{WriteBinary, WriteBuffer};
        use allsorts::cff::CFF;
        let program = self.cid_keyed_cff.as_deref()?;
        let ids: Vec<u16> = std::iter::once(0)
            .chain(
                gids.iter()
                    .filter_map(|gid| self.remap.get(gid).copied())
                    .filter(|gid| *gid != 0),
            )
            .collect();
        let cff = ReadScope::new(program).read::<CFF<'_>>().ok()?;
        let cut: CFF<'_> = cff.subset(&ids, false).ok()?.into();
        let mut buffer = WriteBuffer::new();
        CFF::write(&mut buffer, &cut).ok()?;
        Some(buffer.into_inner())
    }
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
                plane: OnceLock::new(),
                astral: Mutex::new(HashMap::new()),
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
        let find = || self.bytes().and_then(|bytes| glyph(bytes, ch));
        let Some(slot) = usize::try_from(u32::from(ch))
            .ok()
            .filter(|code| *code < PLANE)
            .map(|code| &self.plane.get_or_init(empty_plane)[code])
        else {
            let mut astral = self
                .astral
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            return *astral.entry(ch).or_insert_with(find);
        };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let found = find();
                // Two threads may both look a character up; they store the same value.
                slot.store(pack(found), Ordering::Relaxed);
                found
            }
            packed => unpack(packed),
        }
    }

    /// The face cut down to `used` glyph ids (glyph 0, .notdef, is always kept), parsed for
    /// printpdf. allsorts numbers the kept glyphs by their position in the list it is given.
    /// With `shared`, the small font's CID-keyed program is kept for [`SubsetFace::recut`].
    pub(crate) fn subset(
        &self,
        used: &std::collections::BTreeSet<u16>,
        shared: bool,
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
        let (cids, cid_keyed_cff) = match cid_keyed(&small, shared) {
            Some((cids, table)) => (Some(cids), table),
            None => (None, None),
        };
        Ok(SubsetFace {
            parsed,
            remap,
            cid_keyed_cff,
            cid_keyed_cff_deflated: OnceLock::new(),
            cids,
        })
    }
}

/// The CID of each glyph of the font `bytes`, in glyph order, and (with `keep_table`) its
/// `CFF ` table, when it holds one CID-keyed CFF font.
fn cid_keyed(bytes: &[u8], keep_table: bool) -> Option<(Vec<u16>, Option<Vec<u8>>)> {
    use allsorts::binary::read::ReadScope;
    use allsorts::cff::CFF;
    use allsorts::font_data::FontData;
    use allsorts::tables::FontTableProvider;
    let font_file = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = font_file.table_provider(0).ok()?;
    let table = provider.read_table_data(allsorts::tag::CFF).ok()?;
    let cff = ReadScope::new(&table).read::<CFF<'_>>().ok()?;
    let [font] = cff.fonts.as_slice() else {
        return None;
    };
    if !font.is_cid_keyed() {
        return None;
    }
    let cids = (0..font.char_strings_index.len())
        .map(|gid| {
            let gid = u16::try_from(gid).ok()?;
            if gid == 0 {
                Some(0)
            } else {
                font.charset.id_for_glyph(gid)
            }
        })
        .collect::<Option<Vec<u16>>>()?;
    Some((cids, keep_table.then(|| table.to_vec())))
}

/// Characters of the Basic Multilingual Plane, each with a slot in [`Face::plane`].
const PLANE: usize = 0x1_0000;
/// Set in every packed slot that has been looked up.
const LOOKED_UP: u64 = 1 << 63;
/// Set when the face has the character.
const PRESENT: u64 = 1 << 62;

fn empty_plane() -> Box<[AtomicU64]> {
    (0..PLANE).map(|_| AtomicU64::new(0)).collect()
}

/// A lookup's result in one word: the flags (bits 62, 63), the advance's `f32` bits (16..48)
/// and the glyph id (0..16).
fn pack(found: Option<(u16, f32)>) -> u64 {
    match found {
        None => LOOKED_UP,
        Some((gid, advance)) => {
            LOOKED_UP | PRESENT | u64::from(advance.to_bits()) << 16 | u64::from(gid)
        }
    }
}

fn unpack(packed: u64) -> Option<(u16, f32)> {
    (packed & PRESENT != 0).then(|| {
        let gid = (packed & 0xFFFF) as u16;
        let advance = f32::from_bits(((packed >> 16) & 0xFFFF_FFFF) as u32);
        (gid, advance)
    })
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

#[cfg(test)]
mod tests {
    use super::{pack, unpack};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_packed_lookup_unpacks_to_itself(gid: u16, advance in 0.0f32..4.0, present: bool) {
            let found = present.then_some((gid, advance));
            let packed = pack(found);
            prop_assert_ne!(packed, 0, "a looked-up slot is never empty");
            let back = unpack(packed);
            prop_assert_eq!(back.map(|(g, a)| (g, a.to_bits())), found.map(|(g, a)| (g, a.to_bits())));
        }
    }
}
