//! Table documents as PDF (the approval sheet, the reconciliation statement): A4 upright or
//! landscape, DejaVu Sans embedded (subset) so Cyrillic prints and its text can be copied and
//! searched; a title, labelled fields, one table whose header repeats on each page, and what
//! follows the table (paragraphs, two signature blocks side by side). Written with `krilla`
//! (the PDF layer typst itself uses: fonts, subsetting, text) rather than all of typst: these
//! layouts are one table, and typst as a library costs some twenty minutes of cold build.
use std::sync::LazyLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::error::{AppError, AppResult};

const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;
const MARGIN: f32 = 40.0;
const BODY_SIZE: f32 = 9.0;
const TITLE_SIZE: f32 = 13.0;
const LINE: f32 = 12.0;
const PAD: f32 = 4.0;

/// One column of the table: its header, its width in points (`None`: what the others leave)
/// and whether its figures align right.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: Option<f32>,
    pub numeric: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TableRow {
    /// A cell per column; a cell's lines break where it has `\n`, and wrap to the column.
    pub cells: Vec<String>,
    /// A totals row, in bold on a shade.
    pub strong: bool,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct TableDocument {
    pub title: String,
    pub landscape: bool,
    /// Label and value lines above the table.
    pub fields: Vec<(String, String)>,
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
    /// Paragraphs after the table; one starting with `**` is bold.
    pub after: Vec<String>,
    /// Two blocks side by side at the end (each party's signature), line by line.
    pub signatures: Option<[Vec<String>; 2]>,
    /// Printed at the foot of each page, followed by the page's number.
    pub footer: String,
}

/// The two faces, parsed once: the PDF's fonts and the advances that wrap the text.
struct Faces {
    regular: Font,
    bold: Font,
    regular_metrics: Metrics,
    bold_metrics: Metrics,
}

struct Metrics {
    data: &'static [u8],
}

impl Metrics {
    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(face) = ttf_parser::Face::parse(self.data, 0) else {
            return text.chars().count() as f32 * size * 0.6;
        };
        let per_unit = size / f32::from(face.units_per_em());
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map(|a| f32::from(a) * per_unit)
                    .unwrap_or(size * 0.6)
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width`; a word wider than a line is cut.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone: cut where it no longer fits.
                for c in word.chars() {
                    let mut longer = line.clone();
                    longer.push(c);
                    if self.width(&longer, size) > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    } else {
                        line = longer;
                    }
                }
            }
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    let regular_data = dejavu::sans::regular();
    let bold_data = dejavu::sans::bold();
    Some(Faces {
        regular: Font::new(regular_data.into(), 0)?,
        bold: Font::new(bold_data.into(), 0)?,
        regular_metrics: Metrics { data: regular_data },
        bold_metrics: Metrics { data: bold_data },
    })
});

fn line(surface: &mut Surface, from: (f32, f32), to: (f32, f32)) {
    let mut path = PathBuilder::new();
    path.move_to(from.0, from.1);
    path.line_to(to.0, to.1);
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width: 0.5,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn shade(surface: &mut Surface, x: f32, y: f32, w: f32, h: f32) {
    let Some(rect) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut path = PathBuilder::new();
    path.push_rect(rect);
    if let Some(path) = path.finish() {
        surface.set_stroke(None);
        surface.set_fill(Some(Fill {
            paint: krilla::color::luma::Color::new(235).into(),
            ..Fill::default()
        }));
        surface.draw_path(&path);
        surface.set_fill(Some(Fill::default()));
    }
}

fn text(surface: &mut Surface, font: &Font, size: f32, x: f32, baseline: f32, content: &str) {
    if content.is_empty() {
        return;
    }
    surface.draw_text(
        Point::from_xy(x, baseline),
        font.clone(),
        size,
        content,
        false,
        TextDirection::Auto,
    );
}

/// The laid-out page: its size and the table's column widths.
struct Layout {
    width: f32,
    height: f32,
    widths: Vec<f32>,
    numeric: Vec<bool>,
}

impl Layout {
    fn of(doc: &TableDocument) -> Layout {
        let (width, height) = if doc.landscape {
            (A4_LONG, A4_SHORT)
        } else {
            (A4_SHORT, A4_LONG)
        };
        let inner = width - 2.0 * MARGIN;
        let fixed: f32 = doc.columns.iter().filter_map(|c| c.width).sum();
        let flexible = doc
            .columns
            .iter()
            .filter(|c| c.width.is_none())
            .count()
            .max(1);
        let rest = ((inner - fixed) / flexible as f32).max(20.0);
        Layout {
            width,
            height,
            widths: doc
                .columns
                .iter()
                .map(|c| c.width.unwrap_or(rest))
                .collect(),
            numeric: doc.columns.iter().map(|c| c.numeric).collect(),
        }
    }

    fn table_width(&self) -> f32 {
        self.widths.iter().sum()
    }
}

/// A row's cells wrapped to their columns.
type Cells = Vec<Vec<String>>;

fn wrap_cells(metrics: &Metrics, layout: &Layout, cells: &[String]) -> Cells {
    layout
        .widths
        .iter()
        .enumerate()
        .map(|(i, width)| {
            let content = cells.get(i).map(String::as_str).unwrap_or("");
            metrics.wrap(content, BODY_SIZE, width - 2.0 * PAD)
        })
        .collect()
}

fn row_height(cells: &Cells) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * LINE + 2.0 * PAD
}

#[allow(clippy::too_many_arguments)]
fn draw_row(
    surface: &mut Surface,
    font: &Font,
    metrics: &Metrics,
    layout: &Layout,
    top: f32,
    cells: &Cells,
    shaded: bool,
    align_numbers: bool,
) -> f32 {
    let height = row_height(cells);
    if shaded {
        shade(surface, MARGIN, top, layout.table_width(), height);
    }
    let mut x = MARGIN;
    for (i, (cell, width)) in cells.iter().zip(&layout.widths).enumerate() {
        for (n, content) in cell.iter().enumerate() {
            let baseline = top + PAD + (n as f32 + 1.0) * LINE - 3.0;
            let left = if align_numbers && layout.numeric[i] {
                x + width - PAD - metrics.width(content, BODY_SIZE)
            } else {
                x + PAD
            };
            text(surface, font, BODY_SIZE, left, baseline, content);
        }
        line(surface, (x, top), (x, top + height));
        x += width;
    }
    line(surface, (x, top), (x, top + height));
    line(surface, (MARGIN, top), (x, top));
    line(surface, (MARGIN, top + height), (x, top + height));
    height
}

/// What follows the table, as lines: (bold, text, indent of the right-hand block or 0).
fn after_lines(
    doc: &TableDocument,
    faces: &Faces,
    layout: &Layout,
) -> Vec<Vec<(bool, String, f32)>> {
    let inner = layout.width - 2.0 * MARGIN;
    let mut blocks = Vec::new();
    for paragraph in &doc.after {
        let (bold, content) = match paragraph.strip_prefix("**") {
            Some(rest) => (true, rest),
            None => (false, paragraph.as_str()),
        };
        let metrics = if bold {
            &faces.bold_metrics
        } else {
            &faces.regular_metrics
        };
        blocks.push(
            metrics
                .wrap(content, BODY_SIZE, inner)
                .into_iter()
                .map(|l| (bold, l, 0.0))
                .collect(),
        );
    }
    if let Some([left, right]) = &doc.signatures {
        let half = inner / 2.0;
        let wrap = |lines: &[String]| -> Vec<String> {
            lines
                .iter()
                .flat_map(|l| faces.regular_metrics.wrap(l, BODY_SIZE, half - 10.0))
                .collect()
        };
        let (left, right) = (wrap(left), wrap(right));
        let mut block = Vec::new();
        for i in 0..left.len().max(right.len()) {
            if let Some(l) = left.get(i) {
                block.push((i == 0, l.clone(), 0.0));
            }
            if let Some(r) = right.get(i) {
                block.push((i == 0, r.clone(), half));
            }
            // The two halves of a line share its baseline: marked by the right half's indent.
        }
        blocks.push(block);
    }
    blocks
}

/// The document as PDF bytes.
pub fn render(doc: &TableDocument) -> AppResult<Vec<u8>> {
    let faces = FACES.as_ref().ok_or_else(|| {
        tracing::error!("the PDF font did not load");
        AppError::Internal
    })?;
    let layout = Layout::of(doc);
    let header: Vec<String> = doc.columns.iter().map(|c| c.header.clone()).collect();
    let header = wrap_cells(&faces.bold_metrics, &layout, &header);
    let rows: Vec<(Cells, bool)> = doc
        .rows
        .iter()
        .map(|row| {
            let metrics = if row.strong {
                &faces.bold_metrics
            } else {
                &faces.regular_metrics
            };
            (wrap_cells(metrics, &layout, &row.cells), row.strong)
        })
        .collect();
    let settings = PageSettings::from_wh(layout.width, layout.height).ok_or(AppError::Internal)?;
    let mut document = Document::new();
    let bottom = layout.height - MARGIN - LINE;
    let mut rows = rows.into_iter().peekable();
    let mut after = after_lines(doc, faces, &layout).into_iter().peekable();
    let mut first = true;
    let mut page_number = 0;
    while first || rows.peek().is_some() || after.peek().is_some() {
        page_number += 1;
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN;
        if first {
            let inner = layout.width - 2.0 * MARGIN;
            for title_line in faces.bold_metrics.wrap(&doc.title, TITLE_SIZE, inner) {
                y += TITLE_SIZE + 4.0;
                text(
                    &mut surface,
                    &faces.bold,
                    TITLE_SIZE,
                    MARGIN,
                    y,
                    &title_line,
                );
            }
            y += LINE / 2.0;
            let label_width = 150.0;
            for (label, value) in &doc.fields {
                let values = faces
                    .regular_metrics
                    .wrap(value, BODY_SIZE, inner - label_width);
                y += LINE;
                text(&mut surface, &faces.bold, BODY_SIZE, MARGIN, y, label);
                for (i, value_line) in values.iter().enumerate() {
                    if i > 0 {
                        y += LINE;
                    }
                    text(
                        &mut surface,
                        &faces.regular,
                        BODY_SIZE,
                        MARGIN + label_width,
                        y,
                        value_line,
                    );
                }
            }
            y += LINE;
            first = false;
        }
        if rows.peek().is_some() || page_number == 1 {
            y += draw_row(
                &mut surface,
                &faces.bold,
                &faces.bold_metrics,
                &layout,
                y,
                &header,
                true,
                false,
            );
        }
        while let Some((row, _)) = rows.peek() {
            // A row taller than a page still goes on its own page rather than never.
            if y + row_height(row) > bottom && y > MARGIN + row_height(&header) + 1.0 {
                break;
            }
            let Some((row, strong)) = rows.next() else {
                break;
            };
            let (font, metrics) = if strong {
                (&faces.bold, &faces.bold_metrics)
            } else {
                (&faces.regular, &faces.regular_metrics)
            };
            y += draw_row(&mut surface, font, metrics, &layout, y, &row, strong, true);
        }
        if rows.peek().is_none() {
            while let Some(block) = after.peek() {
                let lines = block
                    .iter()
                    .filter(|(_, _, indent)| *indent == 0.0)
                    .count()
                    .max(block.iter().filter(|(_, _, indent)| *indent > 0.0).count());
                let height = (lines as f32 + 1.0) * LINE;
                if y + height > bottom && y > MARGIN + 1.0 {
                    break;
                }
                let Some(block) = after.next() else { break };
                y += LINE;
                let (mut left_y, mut right_y) = (y, y);
                for (bold, content, indent) in block {
                    let font = if bold { &faces.bold } else { &faces.regular };
                    let at = if indent > 0.0 {
                        right_y += LINE;
                        right_y
                    } else {
                        left_y += LINE;
                        left_y
                    };
                    text(&mut surface, font, BODY_SIZE, MARGIN + indent, at, &content);
                }
                y = left_y.max(right_y);
            }
        }
        let footer = format!("{} {page_number}", doc.footer);
        text(
            &mut surface,
            &faces.regular,
            8.0,
            MARGIN,
            layout.height - MARGIN / 2.0,
            &footer,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|error| {
        tracing::error!(?error, "the PDF was not written");
        AppError::Internal
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn count(pdf: &[u8], needle: &[u8]) -> usize {
        pdf.windows(needle.len()).filter(|w| *w == needle).count()
    }

    pub fn pages(pdf: &[u8]) -> usize {
        count(pdf, b"/Type /Page") - count(pdf, b"/Type /Pages")
    }

    fn doc(rows: usize, landscape: bool) -> TableDocument {
        TableDocument {
            title: "Акт сверки взаимных расчётов".to_owned(),
            landscape,
            fields: vec![("Контрагент".to_owned(), "ООО «Ромашка»".to_owned())],
            columns: vec![
                Column {
                    header: "Дата".into(),
                    width: Some(60.0),
                    numeric: false,
                },
                Column {
                    header: "Документ".into(),
                    width: None,
                    numeric: false,
                },
                Column {
                    header: "Сумма".into(),
                    width: Some(90.0),
                    numeric: true,
                },
            ],
            rows: (0..rows)
                .map(|i| TableRow {
                    cells: vec![
                        "01.10.2026".into(),
                        format!("Счёт № {i}"),
                        "1 000,00".into(),
                    ],
                    strong: i == 0,
                })
                .collect(),
            after: vec!["**В пользу ООО «Ромашка»".into(), "Текст".into()],
            signatures: Some([vec!["От нас".into()], vec!["От них".into()]]),
            footer: "Сформирован".into(),
        }
    }

    #[test]
    fn a_document_is_a_pdf_and_long_tables_take_more_pages() {
        for landscape in [false, true] {
            let short = render(&doc(3, landscape)).expect("pdf");
            assert!(short.starts_with(b"%PDF-"));
            assert_eq!(pages(&short), 1);
            let long = render(&doc(200, landscape)).expect("pdf");
            assert!(pages(&long) > 2, "{}", pages(&long));
        }
    }

    #[test]
    fn text_wraps_within_its_column() {
        let faces = FACES.as_ref().expect("fonts");
        let lines =
            faces
                .regular_metrics
                .wrap("Сумма не совпадает со счётом поставщика", 9.0, 60.0);
        assert!(lines.len() > 1, "{lines:?}");
        for line in &lines {
            assert!(
                faces.regular_metrics.width(line, 9.0) <= 60.0 + 0.01,
                "{line}"
            );
        }
        assert_eq!(lines.join(" "), "Сумма не совпадает со счётом поставщика");
    }
}
