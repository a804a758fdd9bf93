//! Turns laid-out pages into a PDF with printpdf, embedding font subsets.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{DateTime, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions};

use super::content::{ContentFace, content_stream, glyph_inventory, put_contents};
use super::fonts::{FaceRole, Fonts, SubsetFace};
use super::layout::{Item, LaidOut, MM, Page};
use super::{PdfError, Rendered};
use crate::validation::par_map_each;

/// The faces cut for one or more documents.
pub(crate) struct Subsets {
    faces: BTreeMap<FaceRole, SubsetFace>,
}

impl Subsets {
    /// Each face `docs` use, cut to the glyphs they use (the faces cut side by side).
    fn cut(fonts: &Fonts, docs: &[LaidOut]) -> Result<Self, PdfError> {
        let used: Vec<(FaceRole, BTreeSet<u16>)> =
            used_glyphs(fonts, docs.iter().flat_map(|d| &d.pages))
                .into_iter()
                .collect();
        let shared = docs.len() > 1;
        let cut = par_map_each(&used, |(role, gids)| fonts.face(*role).subset(gids, shared));
        let mut faces = BTreeMap::new();
        for ((role, _), subset) in used.iter().zip(cut) {
            faces.insert(*role, subset?);
        }
        Ok(Self { faces })
    }
}

/// The glyph ids of each face the pages use.
fn used_glyphs<'p>(
    fonts: &Fonts,
    pages: impl Iterator<Item = &'p Page>,
) -> BTreeMap<FaceRole, BTreeSet<u16>> {
    let mut used: BTreeMap<FaceRole, BTreeSet<u16>> = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { face, text, .. } = item {
                let gids = used.entry(*face).or_default();
                gids.extend(text.chars().filter_map(|ch| fonts.glyph_id(*face, ch)));
            }
        }
    }
    used
}

impl LaidOut {
    /// Writes the document, each face cut to the glyphs it uses.
    pub(crate) fn write_alone(self, fonts: &Fonts) -> Result<Rendered, PdfError> {
        let subsets = Subsets::cut(fonts, std::slice::from_ref(&self))?;
        let bytes = self.write(fonts, &subsets)?;
        Ok(Rendered {
            bytes,
            pages: self.pages.len(),
            warnings: self.warnings,
        })
    }

    /// Writes documents of one kind side by side, sharing one cut of each face (to the
    /// glyphs of them all), parsed once for its metrics: cutting and parsing a face once per
    /// document was most of the time of a hundred confirmation notices. Each file still
    /// embeds only its own glyphs: a CID-keyed face's program is cut again for it
    /// ([`SubsetFace::recut`]), which costs a fraction of a cut from the whole face.
    pub(crate) fn write_all(docs: Vec<LaidOut>, fonts: &Fonts) -> Result<Vec<Rendered>, PdfError> {
        let subsets = Subsets::cut(fonts, &docs)?;
        let written = par_map_each(&docs, |doc| doc.write(fonts, &subsets));
        docs.into_iter()
            .zip(written)
            .map(|(doc, bytes)| {
                Ok(Rendered {
                    bytes: bytes?,
                    pages: doc.pages.len(),
                    warnings: doc.warnings,
                })
            })
            .collect()
    }

    /// The PDF of the pages, with the faces of `subsets` (which hold at least the glyphs the
    /// pages use).
    fn write(&self, fonts: &Fonts, subsets: &Subsets) -> Result<Vec<u8>, PdfError> {
        let (geometry, pages) = (self.geometry, &self.pages);
        let mut doc = PdfDocument::new(&self.title);
        // The moment the file is made, in Beijing time (the notice's date is printed on it).
        let date = pdf_now();
        doc.metadata.info.creation_date = date;
        doc.metadata.info.modification_date = date;
        doc.metadata.info.metadata_date = date;
        doc.metadata.info.author = self.author.clone();
        doc.metadata.info.creator = "shifan".to_string();
        doc.metadata.info.producer = format!("shifan {} (printpdf)", env!("CARGO_PKG_VERSION"));

        // Only the faces some page uses. printpdf embeds each cut face as it is
        // (`subset_fonts: false`: subsetting it again cost a second CFF walk and parse per
        // face), writing widths and /ToUnicode for the glyphs the pages use; `tag_subsets`
        // then names it as the subset it is.
        let mut ids = BTreeMap::new();
        for page in pages {
            for item in &page.items {
                if let Item::Text { face, .. } = item
                    && !ids.contains_key(face)
                    && let Some(subset) = subsets.faces.get(face)
                {
                    ids.insert(*face, (doc.add_font(&subset.parsed), &subset.remap));
                }
            }
        }

        // The content streams are written here (`content_stream`, one string per run), and
        // printpdf is shown each glyph once, on the first page, for the fonts' widths and
        // /ToUnicode: turning every glyph of every page into its operators was a quarter of a
        // score sheet's time.
        let mut pdf_pages = Vec::with_capacity(pages.len());
        for index in 0..pages.len() {
            let ops = if index == 0 {
                glyph_inventory(fonts, pages, &ids)
            } else {
                Vec::new()
            };
            pdf_pages.push(PdfPage::new(
                printpdf::Mm(geometry.width / MM),
                printpdf::Mm(geometry.height / MM),
                ops,
            ));
        }

        // printpdf's own `optimize` deflates at level 9, which cost a third of the render time;
        // `compress_streams` deflates with libdeflate at level 1 instead (see there).
        let options = PdfSaveOptions {
            subset_fonts: false,
            optimize: false,
            ..PdfSaveOptions::default()
        };
        let mut warnings = Vec::new();
        let mut lo = doc
            .with_pages(pdf_pages)
            .to_lopdf_document(&options, &mut warnings);
        let problems: Vec<String> = warnings
            .iter()
            .filter(|w| w.severity != PdfParseErrorSeverity::Info)
            .map(|w| format!("page {}: {}", w.page + 1, w.msg))
            .collect();
        if !problems.is_empty() {
            return Err(PdfError::Writer(problems.join("; ")));
        }
        if subsets
            .faces
            .values()
            .any(|face| face.cid_keyed_cff.is_some())
        {
            recut_programs(&mut lo, subsets, &used_glyphs(fonts, pages.iter()));
        }
        let faces: BTreeMap<FaceRole, ContentFace<'_>> = ids
            .iter()
            .filter_map(|(face, (id, remap))| {
                let cids = subsets.faces.get(face)?.cids.as_deref();
                Some((
                    *face,
                    ContentFace {
                        resource: &id.0,
                        remap,
                        cids,
                    },
                ))
            })
            .collect();
        let streams: Vec<Vec<u8>> = pages
            .iter()
            .map(|page| content_stream(fonts, page, geometry.height, &faces))
            .collect();
        put_contents(&mut lo, streams)?;
        tidy_metadata(&mut lo);
        tag_subsets(&mut lo);
        compress_streams(&mut lo, subsets);
        let mut bytes = Vec::new();
        // Object streams (PDF 1.5): the dictionaries, above all the fonts' width arrays, are
        // deflated too.
        let save = lopdf::SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .compression_level(OBJECT_STREAM_LEVEL)
            .build();
        lo.save_with_options(&mut bytes, save)
            .map_err(|e| PdfError::Writer(e.to_string()))?;
        Ok(bytes)
    }
}

/// The document information without printpdf's PDF/X marker (an empty `/GTS_PDFXVersion`
/// makes readers call the file PDF/X) and empty entries; the catalog says the text is
/// Chinese (`/Lang (zh-CN)`, for screen readers and text extraction).
fn tidy_metadata(doc: &mut lopdf::Document) {
    if let Ok(id) = doc
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        && let Ok(info) = doc.get_object_mut(id).and_then(lopdf::Object::as_dict_mut)
    {
        info.remove(b"GTS_PDFXVersion");
        // printpdf writes every time as UTC (`+00'00'`) whatever its offset: say Beijing time.
        let now = jiff::tz::offset(8).to_datetime(jiff::Timestamp::now());
        let stamp = format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}+08'00'",
            now.year(),
            now.month(),
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        );
        for key in ["CreationDate", "ModDate"] {
            info.set(
                key,
                lopdf::Object::String(stamp.clone().into_bytes(), lopdf::StringFormat::Literal),
            );
        }
        let empty: Vec<Vec<u8>> = info
            .iter()
            .filter(|(_, value)| match value {
                lopdf::Object::String(bytes, _) => {
                    bytes.is_empty() || bytes.as_slice() == [0xFE, 0xFF]
                }
                _ => false,
            })
            .map(|(key, _)| key.clone())
            .collect();
        for key in empty {
            info.remove(&key);
        }
    }
    if let Ok(id) = doc
        .trailer
        .get(b"Root")
        .and_then(lopdf::Object::as_reference)
        && let Ok(catalog) = doc.get_object_mut(id).and_then(lopdf::Object::as_dict_mut)
    {
        catalog.set(
            "Lang",
            lopdf::Object::String(b"zh-CN".to_vec(), lopdf::StringFormat::Literal),
        );
    }
}

/// Names each embedded font as the subset it is (ISO 32000-1, 9.6.4): `/BaseFont` of the
/// Type 0 font and of its descendant, and the descriptor's `/FontName`, all begin with the
/// same six capital letters and a `+`. The tag is drawn from the font program itself, so two
/// different cuts of a face (two notices of one batch, merged into one file by a clerk) never
/// share a name, and the same cut always gets the same one.
fn tag_subsets(doc: &mut lopdf::Document) {
    use lopdf::{Object, ObjectId};

    // (Type 0 font, its descriptor, the tagged name).
    let mut fonts: Vec<(ObjectId, Option<ObjectId>, Vec<u8>)> = Vec::new();
    for (id, object) in &doc.objects {
        let Object::Dictionary(font) = object else {
            continue;
        };
        let is_type0 = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        let Ok(name) = font.get(b"BaseFont").and_then(Object::as_name) else {
            continue;
        };
        if !is_type0 || name.get(6) == Some(&b'+') {
            continue;
        }
        let descriptor = font
            .get(b"DescendantFonts")
            .and_then(Object::as_array)
            .ok()
            .and_then(|descendants| descendants.first())
            .and_then(|cid_font| cid_font.as_dict().ok())
            .and_then(|cid_font| cid_font.get(b"FontDescriptor").ok())
            .and_then(|descriptor| descriptor.as_reference().ok());
        let program = descriptor
            .and_then(|id| doc.get_dictionary(id).ok())
            .and_then(|descriptor| {
                ["FontFile3", "FontFile2", "FontFile"]
                    .iter()
                    .find_map(|key| descriptor.get(key.as_bytes()).ok())
            })
            .and_then(|file| file.as_reference().ok())
            .and_then(|id| doc.get_object(id).ok())
            .and_then(|file| file.as_stream().ok())
            .map_or(&[][..], |stream| stream.content.as_slice());
        fonts.push((*id, descriptor, subset_tag(program, name)));
    }
    for (font_id, descriptor, tagged) in fonts {
        if let Ok(font) = doc.get_dictionary_mut(font_id) {
            font.set("BaseFont", Object::Name(tagged.clone()));
            if let Ok(Object::Array(descendants)) = font.get_mut(b"DescendantFonts") {
                for descendant in descendants {
                    if let Object::Dictionary(cid_font) = descendant {
                        cid_font.set("BaseFont", Object::Name(tagged.clone()));
                    }
                }
            }
        }
        if let Some(id) = descriptor
            && let Ok(descriptor) = doc.get_dictionary_mut(id)
        {
            descriptor.set("FontName", Object::Name(tagged));
        }
    }
}

/// `ABCDEF+Name`: six capital letters from a hash of the font program and the face's name.
fn subset_tag(program: &[u8], name: &[u8]) -> Vec<u8> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    program.hash(&mut hasher);
    name.hash(&mut hasher);
    let mut bits = hasher.finish();
    let mut tagged = Vec::with_capacity(name.len() + 7);
    for _ in 0..6 {
        tagged.push(b'A' + (bits % 26) as u8);
        bits /= 26;
    }
    tagged.push(b'+');
    tagged.extend_from_slice(name);
    tagged
}

/// Deflate level of the streams, in libdeflate's scale. Its level 1 finds what zlib-rs found
/// at level 3 (a font program of hundreds of CJK outlines: charstring bytes, few repeats,
/// shrinks by about 35 %) in less than half the time; zlib-rs's level 1 (`deflate_quick`,
/// fixed Huffman codes only) shrank it by 14 %.
const DEFLATE_LEVEL: i32 = 1;

/// Deflate level of the object streams lopdf writes (zlib-rs: small dictionaries).
const OBJECT_STREAM_LEVEL: u32 = 3;

/// Deflates every stream that has no filter yet, where that makes it smaller.
fn compress_streams(doc: &mut lopdf::Document, subsets: &Subsets) {
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        // A shared program left in place is deflated once for the batch.
        let shared = subsets
            .faces
            .values()
            .find(|face| face.cid_keyed_cff.as_deref() == Some(stream.content.as_slice()));
        let compressed = match shared {
            Some(face) => face
                .cid_keyed_cff_deflated
                .get_or_init(|| deflate(&stream.content))
                .clone(),
            None => deflate(&stream.content),
        };
        if let Some(compressed) = compressed
            && compressed.len() + 19 < stream.content.len()
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// Puts in place of each shared CID-keyed program the program cut to the glyphs this
/// document uses (`used`: ids in the shipped faces).
fn recut_programs(
    doc: &mut lopdf::Document,
    subsets: &Subsets,
    used: &BTreeMap<FaceRole, BTreeSet<u16>>,
) {
    let programs: Vec<(&[u8], Vec<u8>)> = used
        .iter()
        .filter_map(|(role, gids)| {
            let face = subsets.faces.get(role)?;
            let shared = face.cid_keyed_cff.as_deref()?;
            // A document that uses every glyph keeps the shared program (deflated once).
            (!face.uses_every_glyph(gids)).then_some(())?;
            Some((shared, face.recut(gids)?))
        })
        .collect();
    for object in doc.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object
            && let Some((_, own)) = programs
                .iter()
                .find(|(shared, _)| *shared == stream.content.as_slice())
        {
            stream.set_content(own.clone());
        }
    }
}

/// `bytes` deflated at [`DEFLATE_LEVEL`] (zlib format), with one compressor per thread.
fn deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSOR: RefCell<Option<libdeflater::Compressor>> = const { RefCell::new(None) };
    }
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let compressor = match cell.as_mut() {
            Some(compressor) => compressor,
            None => cell.insert(libdeflater::Compressor::new(
                libdeflater::CompressionLvl::new(DEFLATE_LEVEL).ok()?,
            )),
        };
        let mut out = vec![0; compressor.zlib_compress_bound(bytes.len())];
        let written = compressor.zlib_compress(bytes, &mut out).ok()?;
        out.truncate(written);
        Some(out)
    })
}

/// Now, in Beijing time (UTC+8).
fn pdf_now() -> DateTime {
    let now = jiff::tz::offset(8).to_datetime(jiff::Timestamp::now());
    let small = |n: i8| n.unsigned_abs();
    DateTime {
        date: printpdf::Date {
            year: i32::from(now.year()),
            month: small(now.month()),
            day: small(now.day()),
        },
        time: printpdf::Time {
            hour: small(now.hour()),
            minute: small(now.minute()),
            second: small(now.second()),
            millisecond: now.millisecond().unsigned_abs(),
        },
        offset: printpdf::Offset {
            hours: 8,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}
