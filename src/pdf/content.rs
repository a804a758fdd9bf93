//! The pages' content streams, written here rather than by printpdf: each run of text placed
//! with `Tm` and shown as one hex string of codes, the rules as strokes. printpdf is shown each
//! glyph once ([`glyph_inventory`]) so that it writes the fonts' widths and /ToUnicode; the
//! pages' contents are then replaced ([`put_contents`]).

use std::collections::{BTreeMap, HashMap};

use printpdf::{Codepoint, Op, PdfFontHandle, Pt, TextItem};

use super::PdfError;
use super::fonts::{FaceRole, Fonts};
use super::layout::{Item, Page};

/// Operators that show each glyph the pages use once, in its face, with its character (for
/// /ToUnicode): what printpdf needs to write the fonts when the content streams are ours.
pub(super) fn glyph_inventory(
    fonts: &Fonts,
    pages: &[Page],
    ids: &BTreeMap<FaceRole, (printpdf::FontId, &HashMap<u16, u16>)>,
) -> Vec<Op> {
    let mut glyphs: BTreeMap<FaceRole, BTreeMap<u16, char>> = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { face, text, .. } = item
                && let Some((_, remap)) = ids.get(face)
            {
                let shown = glyphs.entry(*face).or_default();
                for ch in text.chars() {
                    let gid = fonts
                        .glyph_id(*face, ch)
                        .and_then(|gid| remap.get(&gid).copied())
                        .unwrap_or(0);
                    shown.entry(gid).or_insert(ch);
                }
            }
        }
    }
    let mut ops = vec![Op::StartTextSection];
    for (face, shown) in glyphs {
        let Some((id, _)) = ids.get(&face) else {
            continue;
        };
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(id.clone()),
            size: Pt(1.0),
        });
        let glyphs = shown
            .into_iter()
            .map(|(gid, ch)| Codepoint {
                gid,
                offset: 0.0,
                cid: Some(ch.to_string()),
            })
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        });
    }
    ops.push(Op::EndTextSection);
    ops
}

/// A face as a content stream shows it: its resource name, shipped glyph id -> glyph id in
/// the embedded font, and, for a CID-keyed font, that glyph's CID (the code shown; printpdf's
/// codes are the glyph ids for any other font).
pub(super) struct ContentFace<'a> {
    pub(super) resource: &'a str,
    pub(super) remap: &'a HashMap<u16, u16>,
    pub(super) cids: Option<&'a [u16]>,
}

/// The page's content stream: the rules first, then all text in one text section, each run
/// placed with `Tm` and shown as one hex string of CIDs, the font and character spacing set
/// only when they change.
pub(super) fn content_stream(
    fonts: &Fonts,
    page: &Page,
    height: f32,
    faces: &BTreeMap<FaceRole, ContentFace<'_>>,
) -> Vec<u8> {
    let mut out = String::with_capacity(page.items.len() * 48);
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
            out.push_str("0 G\n");
        }
        if thickness != Some(*width) {
            push_number(&mut out, *width);
            out.push_str(" w\n");
            thickness = Some(*width);
        }
        for ((x, y), op) in [(from, " m\n"), (to, " l\nS\n")] {
            push_number(&mut out, *x);
            out.push(' ');
            push_number(&mut out, height - y);
            out.push_str(op);
        }
    }
    let mut started = false;
    let mut font: Option<(FaceRole, f32)> = None;
    let mut char_spacing = 0.0;
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
        let Some(content_face) = faces.get(face) else {
            continue;
        };
        if !started {
            out.push_str("BT\n");
            started = true;
        }
        if font != Some((*face, *size)) {
            out.push('/');
            out.push_str(content_face.resource);
            out.push(' ');
            push_number(&mut out, *size);
            out.push_str(" Tf\n");
            font = Some((*face, *size));
        }
        if *spacing != char_spacing {
            push_number(&mut out, *spacing);
            out.push_str(" Tc\n");
            char_spacing = *spacing;
        }
        out.push_str("1 0 0 1 ");
        push_number(&mut out, *x);
        out.push(' ');
        push_number(&mut out, height - baseline);
        out.push_str(" Tm\n<");
        for ch in text.chars() {
            let code = fonts
                .glyph_id(*face, ch)
                .and_then(|gid| content_face.remap.get(&gid).copied())
                .and_then(|gid| match content_face.cids {
                    Some(cids) => cids.get(usize::from(gid)).copied(),
                    None => Some(gid),
                })
                .unwrap_or(0);
            push_hex(&mut out, code);
        }
        out.push_str("> Tj\n");
    }
    if started {
        out.push_str("ET\n");
    }
    out.into_bytes()
}

/// `value` with at most four decimals, without trailing zeros (`12.5`, `0.7087`, `-3`). Written
/// from the value in ten-thousandths: the formatter's `{:.4}` took an eighth of a score
/// sheet's time.
fn push_number(out: &mut String, value: f32) {
    let scaled = (f64::from(value) * 10_000.0).round();
    // Page coordinates and sizes: far inside i64.
    let scaled = if scaled.is_finite() { scaled as i64 } else { 0 };
    if scaled < 0 {
        out.push('-');
    }
    let magnitude = scaled.unsigned_abs();
    let (whole, mut fraction) = (magnitude / 10_000, magnitude % 10_000);
    push_digits(out, whole);
    if fraction != 0 {
        out.push('.');
        let mut digits = 4;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        let text = fraction.to_string();
        for _ in text.len()..digits {
            out.push('0');
        }
        out.push_str(&text);
    }
}

fn push_digits(out: &mut String, value: u64) {
    let mut buffer = [0u8; 20];
    let mut at = buffer.len();
    let mut rest = value;
    loop {
        at -= 1;
        buffer[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(buffer[at..].iter().map(|digit| char::from(*digit)));
}

/// `code` as four lower-case hex digits.
fn push_hex(out: &mut String, code: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((code >> shift) & 0xF)]));
    }
}

/// Puts `streams`, one per page in order, as the pages' contents.
pub(super) fn put_contents(
    doc: &mut lopdf::Document,
    streams: Vec<Vec<u8>>,
) -> Result<(), PdfError> {
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    if pages.len() != streams.len() {
        return Err(PdfError::Writer(format!(
            "{} pages written for {} laid out",
            pages.len(),
            streams.len()
        )));
    }
    for (page, content) in pages.into_iter().zip(streams) {
        let contents = doc
            .get_dictionary(page)
            .and_then(|page| page.get(b"Contents"))
            .and_then(lopdf::Object::as_reference)
            .map_err(|e| PdfError::Writer(format!("a page's contents: {e}")))?;
        let stream = doc
            .get_object_mut(contents)
            .and_then(lopdf::Object::as_stream_mut)
            .map_err(|e| PdfError::Writer(format!("a page's contents: {e}")))?;
        stream.set_content(content);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{push_hex, push_number};
    use proptest::prelude::*;

    #[test]
    fn numbers_are_written_short() {
        for (value, text) in [
            (12.5, "12.5"),
            (0.70866144, "0.7087"),
            (-3.0, "-3"),
            (0.0, "0"),
            (-0.00001, "0"),
            (-0.5, "-0.5"),
            (841.8898, "841.8898"),
            (0.0005, "0.0005"),
            (1.00004, "1"),
        ] {
            let mut out = String::new();
            push_number(&mut out, value);
            assert_eq!(out, text, "{value}");
        }
    }

    #[test]
    fn codes_are_four_hex_digits() {
        let mut out = String::new();
        for code in [0, 0x0b6a, 0xffff, 0x10] {
            push_hex(&mut out, code);
        }
        assert_eq!(out, "00000b6affff0010");
    }

    proptest! {
        #[test]
        fn a_number_reads_back_within_its_last_decimal(value in -1000.0f32..1000.0) {
            let mut out = String::from("x ");
            push_number(&mut out, value);
            let back: f64 = out[2..].parse().expect("a number");
            prop_assert!((back - f64::from(value)).abs() <= 0.00005 + 1e-9, "{value} -> {out}");
        }
    }
}
