//! Pages, the cursor running down the text block, paragraphs, titles and tables, after
//! GB/T 9704-2012. Everything here is in pt, with y measured downwards from the top of the page;
//! the writer turns it into PDF coordinates.

use super::fonts::{FaceRole, Fonts};
use super::linebreak::{balanced_lines, balanced_words, break_lines, title_words};
use super::measure::{Style, char_width, missing_chars, runs, text_width};
use super::{GlyphWarning, PdfError};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
/// Body text: 3号 (16 pt).
pub(crate) const BODY: Style = Style::new(FaceRole::Body, 16.0);
/// Document title: 2号 (22 pt).
pub(crate) const TITLE: Style = Style::new(FaceRole::Title, 22.0);
/// Page numbers: 4号 (14 pt), half-width digits. GB/T 9704 asks for a 宋 face; the body face
/// is used so that a document needing no fallback character embeds two fonts, not three
/// (each embedded font costs its whole cmap in subsetting time).
const PAGE_NUMBER: Style = Style::new(FaceRole::Body, 14.0);
/// Footer notes and the draft note: small body text.
const NOTE: Style = Style::new(FaceRole::Body, 9.0);
/// Slack for floating-point comparisons, in pt.
const EPSILON: f32 = 0.01;

/// Page size and text block, in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PageGeometry {
    pub(crate) width: f32,
    pub(crate) height: f32,
    /// Left margin.
    pub(crate) left: f32,
    /// Top margin.
    pub(crate) top: f32,
    pub(crate) text_width: f32,
    pub(crate) text_height: f32,
}

impl PageGeometry {
    /// A4 upright: top margin 37 mm, left (binding) 28 mm, text block 156 × 225 mm.
    pub(crate) fn a4_portrait() -> Self {
        Self {
            width: 210.0 * MM,
            height: 297.0 * MM,
            left: 28.0 * MM,
            top: 37.0 * MM,
            text_width: 156.0 * MM,
            text_height: 225.0 * MM,
        }
    }

    /// A4 landscape for wide tables: the upright text block turned, 225 × 156 mm, binding
    /// side at the top.
    pub(crate) fn a4_landscape() -> Self {
        Self {
            width: 297.0 * MM,
            height: 210.0 * MM,
            left: 37.0 * MM,
            top: 28.0 * MM,
            text_width: 225.0 * MM,
            text_height: 156.0 * MM,
        }
    }

    /// Body line pitch: 22 lines fill the upright text block (about 29 pt).
    pub(crate) fn body_pitch(&self) -> f32 {
        225.0 * MM / 22.0
    }

    fn right(&self) -> f32 {
        self.left + self.text_width
    }

    fn bottom(&self) -> f32 {
        self.top + self.text_height
    }
}

/// A document's finished pages, not yet written as a PDF.
pub(crate) struct LaidOut {
    pub(crate) geometry: PageGeometry,
    pub(crate) pages: Vec<Page>,
    pub(crate) warnings: Vec<GlyphWarning>,
    /// Metadata: the document's title and author.
    pub(crate) title: String,
    pub(crate) author: String,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// Text in one face, starting at `x` on the baseline `baseline`.
    Text {
        x: f32,
        baseline: f32,
        face: FaceRole,
        size: f32,
        /// Extra space after each character (PDF `Tc`), for justified lines.
        spacing: f32,
        text: String,
    },
    /// A straight stroke.
    Rule {
        from: (f32, f32),
        to: (f32, f32),
        thickness: f32,
    },
}

/// One page's items.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    pub(crate) items: Vec<Item>,
}

/// Horizontal placement of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    /// Both edges flush (but the last line of a paragraph).
    Justify,
}

/// Vertical distance from the top of a line box to the baseline: the Chinese em box
/// (about 0.88 em above the baseline, 0.12 below) is centred in the box.
fn baseline_offset(pitch: f32, size: f32) -> f32 {
    (pitch - size) / 2.0 + 0.88 * size
}

/// A table column.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) title: String,
    /// Width including padding, in pt.
    pub(crate) width: f32,
    pub(crate) align: Align,
}

/// A table row; `context` names what the row is about in glyph warnings.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) cells: Vec<String>,
    pub(crate) context: String,
}

/// A table whose header row repeats on every page it runs onto.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<Row>,
    pub(crate) body: Style,
    pub(crate) header: Style,
    /// Height of what follows the table and must stay on the page of its last row (the
    /// signature line under a score sheet), in pt; 0 for nothing.
    pub(crate) keep_with_last: f32,
}

/// Cell padding, in pt.
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;
const RULE: f32 = 0.6;

/// What every page carries besides its content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Decorations {
    /// A note centred at the foot of every page (the sealed list's hash, the expert).
    pub(crate) footer_note: Option<String>,
    /// Marks every page 「草稿」.
    pub(crate) draft: bool,
}

/// Lays content out page by page.
pub(crate) struct Composer<'f> {
    fonts: &'f Fonts,
    geometry: PageGeometry,
    pages: Vec<Page>,
    /// Offset of the next line box below the top of the text block.
    y: f32,
    warnings: Vec<GlyphWarning>,
    /// Factor on the body line pitch: below 1 to close up lines so that the 落款 stays on the
    /// last page of text (GB/T 9704 §7.3.5 allows it).
    pitch_scale: f32,
}

impl<'f> Composer<'f> {
    pub(crate) fn new(fonts: &'f Fonts, geometry: PageGeometry) -> Self {
        Self {
            fonts,
            geometry,
            pages: vec![Page::default()],
            y: 0.0,
            warnings: Vec::new(),
            pitch_scale: 1.0,
        }
    }

    /// Closes up (below 1) the body line pitch for everything composed after this call.
    pub(crate) fn set_pitch_scale(&mut self, scale: f32) {
        self.pitch_scale = scale;
    }

    /// The body line pitch in use.
    pub(crate) fn pitch(&self) -> f32 {
        self.geometry.body_pitch() * self.pitch_scale
    }

    /// Index of the page being filled (0 for the first).
    pub(crate) fn page_index(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    /// The fonts in use.
    pub(crate) fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// Moves to a new page unless `height` still fits on this one (to keep lines together).
    pub(crate) fn keep_room(&mut self, height: f32) {
        self.ensure(height);
    }

    pub(crate) fn geometry(&self) -> PageGeometry {
        self.geometry
    }

    /// Starts a new page (unless the current one is still empty).
    pub(crate) fn new_page(&mut self) {
        if self.y > 0.0 || !self.page().items.is_empty() {
            self.pages.push(Page::default());
        }
        self.y = 0.0;
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Moves to a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.y > 0.0 && self.y + height > self.geometry.text_height + EPSILON {
            self.new_page();
        }
    }

    /// Vertical space, in pt; none at the top of a page.
    pub(crate) fn space(&mut self, height: f32) {
        if self.y > 0.0 {
            self.y = (self.y + height).min(self.geometry.text_height);
        }
    }

    /// Records every character of `text` that no face has.
    fn check_glyphs(&mut self, text: &str, context: &str) {
        for character in missing_chars(self.fonts, &plain(text)) {
            let warning = GlyphWarning {
                context: context.to_string(),
                character,
            };
            if !self.warnings.contains(&warning) {
                self.warnings.push(warning);
            }
        }
    }

    /// Draws `text` from `x` on `baseline` (page coordinates), one item per face run.
    fn draw_text(&mut self, x: f32, baseline: f32, style: Style, spacing: f32, text: &str) {
        let mut x = x;
        for run in runs(self.fonts, style, text) {
            let count = run.text.chars().count() as f32;
            let advance = run.width + spacing * count;
            self.page().items.push(Item::Text {
                x,
                baseline,
                face: run.face,
                size: style.size,
                spacing,
                text: run.text,
            });
            x += advance;
        }
    }

    fn rule(&mut self, from: (f32, f32), to: (f32, f32)) {
        self.rule_of(from, to, RULE);
    }

    fn rule_of(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32) {
        self.page().items.push(Item::Rule {
            from,
            to,
            thickness,
        });
    }

    /// A paragraph: lines `pitch` apart, the first indented `indent` characters.
    pub(crate) fn paragraph(
        &mut self,
        text: &str,
        style: Style,
        indent: u8,
        align: Align,
        pitch: f32,
        context: &str,
    ) {
        let text = &plain(text);
        self.check_glyphs(text, context);
        let fonts = self.fonts;
        let width_of = |ch: char| char_width(fonts, style, ch);
        let indent_width = f32::from(indent) * style.size;
        let full = self.geometry.text_width;
        let lines = break_lines(text, full - indent_width, full, width_of);
        let count = lines.len();
        for (index, line) in lines.into_iter().enumerate() {
            self.ensure(pitch);
            let first = index == 0;
            let lead = if first { indent_width } else { 0.0 };
            let (x, spacing) = match align {
                Align::Left => (self.geometry.left + lead, 0.0),
                Align::Center => (
                    self.geometry.left + (self.geometry.text_width - line.width) / 2.0,
                    0.0,
                ),
                Align::Justify => {
                    let gaps = line.text.chars().count().saturating_sub(1) as f32;
                    let slack = full - lead - line.width;
                    // Justify all but the last line, and only where the gaps stay small.
                    let spacing = if index + 1 < count && gaps > 0.0 && slack > 0.0 {
                        slack / gaps
                    } else {
                        0.0
                    };
                    let spacing = if spacing <= 0.25 * style.size {
                        spacing
                    } else {
                        0.0
                    };
                    (self.geometry.left + lead, spacing)
                }
            };
            let baseline = self.geometry.top + self.y + baseline_offset(pitch, style.size);
            self.draw_text(x, baseline, style, spacing, &line.text);
            self.y += pitch;
        }
    }

    /// A flush-left paragraph in body style whose first line starts `first` pt in and whose
    /// other lines hang `rest` pt in (an attachment's name aligned under the first).
    pub(crate) fn hanging(&mut self, text: &str, first: f32, rest: f32, context: &str) {
        let text = &plain(text);
        self.check_glyphs(text, context);
        let fonts = self.fonts;
        let pitch = self.pitch();
        let full = self.geometry.text_width;
        let lines = break_lines(text, full - first, full - rest, |ch| {
            char_width(fonts, BODY, ch)
        });
        for (index, line) in lines.into_iter().enumerate() {
            self.ensure(pitch);
            let lead = if index == 0 { first } else { rest };
            let baseline = self.geometry.top + self.y + baseline_offset(pitch, BODY.size);
            self.draw_text(self.geometry.left + lead, baseline, BODY, 0.0, &line.text);
            self.y += pitch;
        }
    }

    /// Width of `text` in `style`, in pt.
    pub(crate) fn width_of(&self, text: &str, style: Style) -> f32 {
        text_width(self.fonts, style, text)
    }

    /// A body paragraph: 3号, indented two characters, justified.
    pub(crate) fn body(&mut self, text: &str, context: &str) {
        let pitch = self.pitch();
        self.paragraph(text, BODY, 2, Align::Justify, pitch, context);
    }

    /// A line flush left without indent, in body style (addressee, 「附件：」).
    pub(crate) fn flush_left(&mut self, text: &str, style: Style, context: &str) {
        let pitch = self.pitch();
        self.paragraph(text, style, 0, Align::Left, pitch, context);
    }

    /// One line flush with the right edge of the text block, one character in (GB/T 9704
    /// §10.1: the 发文字号 of a letter, 「居版心右边缘」 under the 发文机关标志 area).
    pub(crate) fn flush_right(&mut self, text: &str, style: Style, context: &str) {
        let text = &plain(text);
        self.check_glyphs(text, context);
        let pitch = self.pitch();
        self.ensure(pitch);
        let width = text_width(self.fonts, style, text);
        let x = (self.geometry.right() - style.size - width).max(self.geometry.left);
        let baseline = self.geometry.top + self.y + baseline_offset(pitch, style.size);
        self.draw_text(x, baseline, style, 0.0, text);
        self.y += pitch;
    }

    /// A centred title in balanced lines, broken only between words.
    pub(crate) fn title(&mut self, text: &str, style: Style, context: &str) {
        self.title_keeping(text, &[], style, context);
    }

    /// A centred title in balanced lines, broken only between words, never inside one of
    /// `keep` (a unit's name).
    pub(crate) fn title_keeping(&mut self, text: &str, keep: &[&str], style: Style, context: &str) {
        let text = &plain(text);
        self.check_glyphs(text, context);
        let fonts = self.fonts;
        let pitch = (style.size * 1.45).max(self.geometry.body_pitch());
        let keep: Vec<String> = keep.iter().map(|k| plain(k)).collect();
        let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
        let words = title_words(text, &keep);
        let lines = balanced_words(&words, self.geometry.text_width, |ch| {
            char_width(fonts, style, ch)
        });
        for line in lines {
            self.ensure(pitch);
            let x = self.geometry.left + (self.geometry.text_width - line.width) / 2.0;
            let baseline = self.geometry.top + self.y + baseline_offset(pitch, style.size);
            self.draw_text(x, baseline, style, 0.0, &line.text);
            self.y += pitch;
        }
    }

    /// The issuing office and date (落款) without a seal: the office right-indented two
    /// characters, the date on the next line starting two characters further right; a date
    /// longer than that is right-indented two characters and pushes the office left.
    pub(crate) fn signature(&mut self, office: &str, date: &str) {
        let (office, date) = (&plain(office), &plain(date));
        self.check_glyphs(office, "落款");
        let pitch = self.pitch();
        let em = BODY.size;
        let office_width = text_width(self.fonts, BODY, office);
        let date_width = text_width(self.fonts, BODY, date);
        let right = self.geometry.right() - 2.0 * em;
        let (office_x, date_x) = if office_width >= date_width + 2.0 * em {
            let office_x = right - office_width;
            (office_x, office_x + 2.0 * em)
        } else {
            let date_x = right - date_width;
            (date_x - 2.0 * em, date_x)
        };
        self.ensure(2.0 * pitch);
        for (x, text) in [(office_x, office), (date_x, date)] {
            let baseline = self.geometry.top + self.y + baseline_offset(pitch, BODY.size);
            self.draw_text(x.max(self.geometry.left), baseline, BODY, 0.0, text);
            self.y += pitch;
        }
    }

    /// A line to sign by hand: each label followed by a rule `chars` characters long, the
    /// whole right-aligned two characters in (「专家签名：______　日期：______」).
    pub(crate) fn signature_line(&mut self, fields: &[(&str, f32)], style: Style) {
        let pitch = style.size * 2.0;
        let gap = 2.0 * style.size;
        let widths: Vec<f32> = fields
            .iter()
            .map(|(label, chars)| text_width(self.fonts, style, label) + chars * style.size)
            .collect();
        let total = widths.iter().sum::<f32>() + gap * fields.len().saturating_sub(1) as f32;
        self.ensure(pitch);
        let mut x = (self.geometry.right() - 2.0 * style.size - total).max(self.geometry.left);
        let baseline = self.geometry.top + self.y + baseline_offset(pitch, style.size);
        for ((label, chars), width) in fields.iter().zip(&widths) {
            self.check_glyphs(label, "签名");
            self.draw_text(x, baseline, style, 0.0, label);
            let rule_start = x + width - chars * style.size;
            self.rule((rule_start, baseline + 2.0), (x + width, baseline + 2.0));
            x += width + gap;
        }
        self.y += pitch;
    }

    /// A table; rows never split across pages, and the header repeats on each new page.
    pub(crate) fn table(&mut self, table: &Table) -> Result<(), PdfError> {
        let needed: f32 = table.columns.iter().map(|column| column.width).sum();
        if needed > self.geometry.text_width + 0.5 {
            return Err(PdfError::TableTooWide {
                needed,
                available: self.geometry.text_width,
            });
        }
        let header = Row {
            cells: table.columns.iter().map(|c| c.title.clone()).collect(),
            context: "表头".to_string(),
        };
        let header_cells = self.layout_row(table, &header, table.header);
        let header_height = row_height(&header_cells, table.header);
        self.ensure(header_height + CELL_PAD_Y * 4.0 + table.body.size * 1.4);
        self.draw_row(table, &header_cells, table.header, header_height, true);
        let last = table.rows.len().saturating_sub(1);
        for (index, row) in table.rows.iter().enumerate() {
            let cells = self.layout_row(table, row, table.body);
            let height = row_height(&cells, table.body);
            let keep = if index == last {
                table.keep_with_last
            } else {
                0.0
            };
            if self.y + height + keep > self.geometry.text_height + EPSILON {
                self.new_page();
                self.draw_row(table, &header_cells, table.header, header_height, true);
            }
            self.draw_row(table, &cells, table.body, height, false);
        }
        Ok(())
    }

    /// Breaks each cell of `row` into lines for its column.
    fn layout_row(&mut self, table: &Table, row: &Row, style: Style) -> Vec<Vec<(String, f32)>> {
        let fonts = self.fonts;
        let width_of = |ch: char| char_width(fonts, style, ch);
        let mut cells = Vec::with_capacity(table.columns.len());
        for (column, text) in table.columns.iter().zip(&row.cells) {
            self.check_glyphs(text, &row.context);
            let inner = column.width - 2.0 * CELL_PAD_X;
            let mut lines = Vec::new();
            for part in text.split('\n').map(plain) {
                let part = part.as_str();
                // Centred cells wrap into even lines: 「宁夏回族 / 自治区」, not 「宁夏回族自治 / 区」.
                let broken = if column.align == Align::Center {
                    balanced_lines(part, inner, width_of)
                } else {
                    let lines = break_lines(part, inner, inner, width_of);
                    // No line of one character (局, 司) under a full one: even the lines out.
                    if lines.len() > 1
                        && lines
                            .last()
                            .is_some_and(|line| line.text.chars().count() < 2)
                    {
                        balanced_lines(part, inner, width_of)
                    } else {
                        lines
                    }
                };
                for line in broken {
                    lines.push((line.text, line.width));
                }
            }
            cells.push(lines);
        }
        cells
    }

    fn draw_row(
        &mut self,
        table: &Table,
        cells: &[Vec<(String, f32)>],
        style: Style,
        height: f32,
        first_on_page: bool,
    ) {
        let pitch = line_pitch(style);
        let top = self.geometry.top + self.y;
        let bottom = top + height;
        let left = self.geometry.left;
        let right = left + table.columns.iter().map(|c| c.width).sum::<f32>();
        if first_on_page {
            self.rule((left, top), (right, top));
        }
        self.rule((left, bottom), (right, bottom));
        let mut x = left;
        self.rule((x, top), (x, bottom));
        for (column, lines) in table.columns.iter().zip(cells) {
            let block = lines.len() as f32 * pitch;
            let mut line_top = top + (height - block) / 2.0;
            for (text, width) in lines {
                let inner = column.width - 2.0 * CELL_PAD_X;
                let line_x = match column.align {
                    Align::Center => x + CELL_PAD_X + (inner - width) / 2.0,
                    Align::Left | Align::Justify => x + CELL_PAD_X,
                };
                let baseline = line_top + baseline_offset(pitch, style.size);
                self.draw_text(line_x, baseline, style, 0.0, text);
                line_top += pitch;
            }
            x += column.width;
            self.rule((x, top), (x, bottom));
        }
        self.y += height;
    }

    /// The 版记 at the foot of the text block (GB/T 9704 §7.4): a thick rule, 「抄送：…」, a
    /// thin rule, the printing office left and 「…印发」 right, a thick rule on the bottom
    /// edge of the text block; in 4号 (14 pt), one character in from either side. On a new
    /// page when the current one has no room left.
    pub(crate) fn imprint(&mut self, copies_to: &str, office: &str, date: &str) {
        let style = Style::new(FaceRole::Body, 14.0);
        let pitch = style.size * 2.0;
        let height = 2.0 * pitch;
        if self.y + height > self.geometry.text_height + EPSILON {
            self.new_page();
        }
        let (left, right) = (self.geometry.left, self.geometry.right());
        let bottom = self.geometry.bottom();
        let top = bottom - height;
        let (thick, thin) = (0.35 * MM, 0.25 * MM);
        self.rule_of((left, top), (right, top), thick);
        self.rule_of((left, top + pitch), (right, top + pitch), thin);
        self.rule_of((left, bottom), (right, bottom), thick);
        let copies_to = plain(copies_to);
        self.check_glyphs(&copies_to, "抄送");
        let mut cc_style = style;
        let available = self.geometry.text_width - 2.0 * style.size;
        let width = text_width(self.fonts, style, &copies_to);
        if width > available {
            cc_style.size *= available / width;
        }
        let baseline = top + baseline_offset(pitch, cc_style.size);
        self.draw_text(left + style.size, baseline, cc_style, 0.0, &copies_to);
        let (office, date) = (plain(office), plain(date));
        self.check_glyphs(&office, "印发机关");
        let baseline = top + pitch + baseline_offset(pitch, style.size);
        self.draw_text(left + style.size, baseline, style, 0.0, &office);
        let date_width = text_width(self.fonts, style, &date);
        self.draw_text(right - style.size - date_width, baseline, style, 0.0, &date);
        self.y = self.geometry.text_height;
    }

    /// Adds page numbers and the decorations, and hands back the pages and glyph warnings.
    /// Finish the pages with `decorations` and write the document (its metadata `title` and
    /// `author`).
    pub(crate) fn render(
        self,
        decorations: &Decorations,
        title: &str,
        author: &str,
    ) -> Result<super::Rendered, super::PdfError> {
        let fonts = self.fonts;
        self.laid_out(decorations, title, author).write_alone(fonts)
    }

    /// Finishes the pages with `decorations`, for writing later, alone or with others
    /// ([`LaidOut::write_all`]).
    pub(crate) fn laid_out(self, decorations: &Decorations, title: &str, author: &str) -> LaidOut {
        let geometry = self.geometry;
        let (pages, warnings) = self.finish(decorations);
        LaidOut {
            geometry,
            pages,
            warnings,
            title: title.to_string(),
            author: author.to_string(),
        }
    }

    pub(crate) fn finish(mut self, decorations: &Decorations) -> (Vec<Page>, Vec<GlyphWarning>) {
        if let Some(note) = &decorations.footer_note {
            self.check_glyphs(note, "页脚");
        }
        let geometry = self.geometry;
        let fonts = self.fonts;
        for (index, page) in self.pages.iter_mut().enumerate() {
            let number = index + 1;
            let label = format!("— {number} —");
            let width = text_width(fonts, PAGE_NUMBER, &label);
            // 7 mm below the text block; odd pages right, even pages left, one character in.
            let baseline = geometry.bottom() + 7.0 * MM + 0.88 * PAGE_NUMBER.size;
            let x = if number % 2 == 1 {
                geometry.right() - PAGE_NUMBER.size - width
            } else {
                geometry.left + PAGE_NUMBER.size
            };
            push_text(fonts, page, x, baseline, PAGE_NUMBER, &label);
            if let Some(note) = &decorations.footer_note {
                let mut style = NOTE;
                let mut width = text_width(fonts, style, note);
                if width > geometry.text_width {
                    style.size *= geometry.text_width / width;
                    width = geometry.text_width;
                }
                let x = geometry.left + (geometry.text_width - width) / 2.0;
                let baseline = geometry.height - 10.0 * MM;
                push_text(fonts, page, x, baseline, style, note);
            }
            if decorations.draft {
                draft_mark(fonts, geometry, page);
            }
        }
        (self.pages, self.warnings)
    }
}

/// Text with control characters (tabs, line breaks, ESC) turned into spaces: they have no
/// glyph, and a line break inside a paragraph is the layout's business.
fn plain(text: &str) -> String {
    text.chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect()
}

fn line_pitch(style: Style) -> f32 {
    style.size * 1.4
}

fn row_height(cells: &[Vec<(String, f32)>], style: Style) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * line_pitch(style) + 2.0 * CELL_PAD_Y
}

fn push_text(fonts: &Fonts, page: &mut Page, x: f32, baseline: f32, style: Style, text: &str) {
    let mut x = x;
    for run in runs(fonts, style, text) {
        let width = run.width;
        page.items.push(Item::Text {
            x,
            baseline,
            face: run.face,
            size: style.size,
            spacing: 0.0,
            text: run.text,
        });
        x += width;
    }
}

/// 「草稿」 in a box in the top margin, right-aligned with the text block.
fn draft_mark(fonts: &Fonts, geometry: PageGeometry, page: &mut Page) {
    let style = Style::new(FaceRole::Title, 18.0);
    let label = "草稿";
    let width = text_width(fonts, style, label);
    let pad = 6.0;
    let right = geometry.right();
    let left = right - width - 2.0 * pad;
    let top = geometry.top - 24.0 * MM;
    let bottom = top + style.size + 2.0 * pad;
    push_text(
        fonts,
        page,
        left + pad,
        top + pad + 0.88 * style.size,
        style,
        label,
    );
    for (from, to) in [
        ((left, top), (right, top)),
        ((right, top), (right, bottom)),
        ((right, bottom), (left, bottom)),
        ((left, bottom), (left, top)),
    ] {
        page.items.push(Item::Rule {
            from,
            to,
            thickness: 1.2,
        });
    }
    let note = NOTE;
    let text = "未定稿，不得印发";
    let note_width = text_width(fonts, note, text);
    push_text(
        fonts,
        page,
        left - 6.0 - note_width,
        bottom - pad - 2.0,
        note,
        text,
    );
}
