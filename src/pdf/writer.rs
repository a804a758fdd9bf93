//! Turns laid-out pages into a PDF with printpdf, embedding font subsets.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use printpdf::{
    Codepoint, Color, DateTime, Greyscale, Line, LinePoint, Op, PdfDocument, PdfFontHandle,
    PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, TextItem,
};

use super::PdfError;
use super::fonts::{FaceRole, Fonts};
use super::layout::{Item, MM, Page, PageGeometry};

/// Document information written into the PDF.
pub(crate) struct Meta<'a> {
    pub(crate) title: &'a str,
    pub(crate) author: &'a str,
}

/// Writes `pages` as a PDF.
pub(crate) fn write(
    fonts: &Fonts,
    geometry: PageGeometry,
    pages: &[Page],
    meta: &Meta<'_>,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(meta.title);
    // The moment the file is made, in Beijing time (the notice's date is printed on it).
    let date = pdf_now();
    doc.metadata.info.creation_date = date;
    doc.metadata.info.modification_date = date;
    doc.metadata.info.metadata_date = date;
    doc.metadata.info.author = meta.author.to_string();
    doc.metadata.info.creator = "shifan".to_string();
    doc.metadata.info.producer = format!("shifan {} (printpdf)", env!("CARGO_PKG_VERSION"));

    // Embed only the faces some page uses, each cut to the glyphs the pages use (printpdf
    // then subsets the small font again, cheaply, and names it as a subset).
    let mut used: BTreeMap<FaceRole, BTreeSet<u16>> = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { face, text, .. } = item {
                let gids = used.entry(*face).or_default();
                gids.extend(text.chars().filter_map(|ch| fonts.glyph_id(*face, ch)));
            }
        }
    }
    let mut ids = BTreeMap::new();
    for (role, gids) in &used {
        let subset = fonts.face(*role).subset(gids)?;
        ids.insert(*role, (doc.add_font(&subset.parsed), subset.remap));
    }

    let mut pdf_pages = Vec::with_capacity(pages.len());
    for page in pages {
        let ops = page_ops(fonts, page, geometry.height, &ids);
        pdf_pages.push(PdfPage::new(
            printpdf::Mm(geometry.width / MM),
            printpdf::Mm(geometry.height / MM),
            ops,
        ));
    }

    // printpdf's own `optimize` deflates at level 9, which cost a third of the render time;
    // `compress_streams` deflates at level 3 instead (see there).
    let options = PdfSaveOptions {
        subset_fonts: true,
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
    tidy_metadata(&mut lo);
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    // Object streams (PDF 1.5): the dictionaries, above all the fonts' width arrays, are
    // deflated too.
    let save = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(DEFLATE_LEVEL)
        .build();
    lo.save_with_options(&mut bytes, save)
        .map_err(|e| PdfError::Writer(e.to_string()))?;
    Ok(bytes)
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

/// Deflate level of the streams. Not level 1: with the zlib-rs backend (flate2's, which
/// rust_xlsxwriter's zip turns on) level 1 is `deflate_quick`, fixed Huffman codes only, and
/// a font program of hundreds of CJK outlines (charstring bytes, few repeats) shrank by 5 %
/// instead of 20 %: 36 KiB more in the publicity notice. Level 3 finds the same 20 % as
/// level 9 within half a per cent, in half its time.
const DEFLATE_LEVEL: u32 = 3;

/// Deflates every stream that has no filter yet, where that makes it smaller.
fn compress_streams(doc: &mut lopdf::Document) {
    use std::io::Write;

    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(DEFLATE_LEVEL));
        let compressed = encoder
            .write_all(&stream.content)
            .and_then(|()| encoder.finish());
        if let Ok(compressed) = compressed
            && compressed.len() + 19 < stream.content.len()
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// The page's operators: the rules first, then all text in one text section, with the font
/// and character spacing set only when they change. (`Td` moves relative to the start of the
/// previous line, so each item's move is the difference from the one before.) This keeps the
/// content streams about half as long as one section per item.
fn page_ops(
    fonts: &Fonts,
    page: &Page,
    height: f32,
    ids: &BTreeMap<FaceRole, (printpdf::FontId, HashMap<u16, u16>)>,
) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.items.len() * 3 + 8);
    let mut thickness = None;
    for item in &page.items {
        let Item::Rule {
            from,
            to,
            thickness: width,
        } = item
        else {
            continue;
        };
        if thickness.is_none() {
            ops.push(Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale {
                    percent: 0.0,
                    icc_profile: None,
                }),
            });
        }
        if thickness != Some(*width) {
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            thickness = Some(*width);
        }
        let point = |(x, y): (f32, f32)| LinePoint {
            p: Point {
                x: Pt(x),
                y: Pt(height - y),
            },
            bezier: false,
        };
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(*from), point(*to)],
                is_closed: false,
            },
        });
    }

    let mut started = false;
    let mut font: Option<(FaceRole, f32)> = None;
    let mut char_spacing = 0.0;
    let mut origin = (0.0, 0.0);
    for item in &page.items {
        let Item::Text {
            x,
            baseline,
            face,
            size,
            spacing,
            text,
        } = item
        else {
            continue;
        };
        let Some((id, remap)) = ids.get(face) else {
            continue;
        };
        if !started {
            ops.push(Op::StartTextSection);
            started = true;
        }
        if font != Some((*face, *size)) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id.clone()),
                size: Pt(*size),
            });
            font = Some((*face, *size));
        }
        if *spacing != char_spacing {
            ops.push(Op::SetCharacterSpacing {
                multiplier: *spacing,
            });
            char_spacing = *spacing;
        }
        let position = (*x, height - baseline);
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(position.0 - origin.0),
                y: Pt(position.1 - origin.1),
            },
        });
        origin = position;
        // Glyph ids, not text: printpdf would look every character up in the font's cmap again
        // (a third of the render time). Each glyph carries its character for /ToUnicode, so
        // copied text is right even for a character no font has (drawn as glyph 0, a box).
        let glyphs = text
            .chars()
            .map(|ch| Codepoint {
                gid: fonts
                    .glyph_id(*face, ch)
                    .and_then(|gid| remap.get(&gid).copied())
                    .unwrap_or(0),
                offset: 0.0,
                cid: Some(ch.to_string()),
            })
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        });
    }
    if started {
        ops.push(Op::EndTextSection);
    }
    ops
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
