//! Turns laid-out pages into a PDF with printpdf, embedding font subsets.

use std::collections::BTreeMap;

use printpdf::{
    Color, DateTime, Greyscale, Line, LinePoint, Op, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, TextItem,
};

use super::PdfError;
use super::fonts::{FaceRole, Fonts};
use super::layout::{Item, MM, Page, PageGeometry};

/// Document information written into the PDF.
pub(crate) struct Meta<'a> {
    pub(crate) title: &'a str,
    pub(crate) author: &'a str,
    /// Creation date: the document's date (midnight, Beijing time), so that a PDF does not
    /// claim 1970 and two renderings of the same notice agree.
    pub(crate) date: jiff::civil::Date,
}

/// Writes `pages` as a PDF.
pub(crate) fn write(
    fonts: &Fonts,
    geometry: PageGeometry,
    pages: &[Page],
    meta: &Meta<'_>,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(meta.title);
    let date = pdf_date(meta.date);
    doc.metadata.info.creation_date = date;
    doc.metadata.info.modification_date = date;
    doc.metadata.info.metadata_date = date;
    doc.metadata.info.author = meta.author.to_string();
    doc.metadata.info.creator = "shifan".to_string();
    doc.metadata.info.producer = format!("shifan {} (printpdf)", env!("CARGO_PKG_VERSION"));

    // Embed only the faces some page uses: an unused face would add nothing but an entry.
    let mut ids = BTreeMap::new();
    for role in FaceRole::ALL {
        let used = pages.iter().any(|page| {
            page.items
                .iter()
                .any(|item| matches!(item, Item::Text { face, .. } if *face == role))
        });
        if used {
            ids.insert(role, doc.add_font(&fonts.face(role).parsed));
        }
    }

    let mut pdf_pages = Vec::with_capacity(pages.len());
    for page in pages {
        let mut ops = Vec::with_capacity(page.items.len() * 5);
        for item in &page.items {
            match item {
                Item::Text {
                    x,
                    baseline,
                    face,
                    size,
                    spacing,
                    text,
                } => {
                    let Some(id) = ids.get(face) else { continue };
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id.clone()),
                        size: Pt(*size),
                    });
                    if *spacing != 0.0 {
                        ops.push(Op::SetCharacterSpacing {
                            multiplier: *spacing,
                        });
                    }
                    // `Td` is relative to the start of the text section: one section per item.
                    ops.push(Op::SetTextCursor {
                        pos: Point {
                            x: Pt(*x),
                            y: Pt(geometry.height - baseline),
                        },
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    });
                    ops.push(Op::EndTextSection);
                }
                Item::Rule {
                    from,
                    to,
                    thickness,
                } => {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
                    ops.push(Op::SetOutlineColor {
                        col: Color::Greyscale(Greyscale {
                            percent: 0.0,
                            icc_profile: None,
                        }),
                    });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Pt(from.0),
                                        y: Pt(geometry.height - from.1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Pt(to.0),
                                        y: Pt(geometry.height - to.1),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
            }
        }
        pdf_pages.push(PdfPage::new(
            printpdf::Mm(geometry.width / MM),
            printpdf::Mm(geometry.height / MM),
            ops,
        ));
    }

    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pdf_pages).save(&options, &mut warnings);
    let problems: Vec<String> = warnings
        .iter()
        .filter(|w| w.severity != PdfParseErrorSeverity::Info)
        .map(|w| format!("page {}: {}", w.page + 1, w.msg))
        .collect();
    if !problems.is_empty() {
        return Err(PdfError::Writer(problems.join("; ")));
    }
    Ok(bytes)
}

fn pdf_date(date: jiff::civil::Date) -> DateTime {
    DateTime {
        date: printpdf::Date {
            year: i32::from(date.year()),
            month: date.month().unsigned_abs(),
            day: date.day().unsigned_abs(),
        },
        time: printpdf::Time {
            hour: 0,
            minute: 0,
            second: 0,
            millisecond: 0,
        },
        offset: printpdf::Offset {
            hours: 8,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}
