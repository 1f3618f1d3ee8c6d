//! The approval sheet as a PDF: A4, DejaVu Sans embedded (subset) so Cyrillic prints and its
//! text can be copied and searched, a table of the steps whose header repeats on each page.
//! Written with `krilla` (the PDF layer typst itself uses: fonts, subsetting, text) rather
//! than all of typst: the sheet's layout is one table, and typst as a library costs some
//! twenty minutes of cold build.
use std::sync::LazyLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::domain::payments::ApprovalSheet;
use crate::error::{AppError, AppResult};

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 48.0;
const BODY_SIZE: f32 = 9.0;
const TITLE_SIZE: f32 = 14.0;
const LINE: f32 = 12.0;
const PAD: f32 = 4.0;
/// The table's columns: №, approver, decision, date and time, comment (the rest).
const COLUMNS: [f32; 4] = [22.0, 150.0, 100.0, 78.0];

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

/// One table row's cells, wrapped to their columns.
type Cells = [Vec<String>; 5];

fn widths() -> [f32; 5] {
    let fixed: f32 = COLUMNS.iter().sum();
    [
        COLUMNS[0],
        COLUMNS[1],
        COLUMNS[2],
        COLUMNS[3],
        PAGE_WIDTH - 2.0 * MARGIN - fixed,
    ]
}

fn row_height(cells: &Cells) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * LINE + 2.0 * PAD
}

fn draw_row(surface: &mut Surface, font: &Font, top: f32, cells: &Cells, header: bool) -> f32 {
    let height = row_height(cells);
    let widths = widths();
    if header {
        shade(surface, MARGIN, top, PAGE_WIDTH - 2.0 * MARGIN, height);
    }
    let mut x = MARGIN;
    for (cell, width) in cells.iter().zip(widths) {
        for (i, content) in cell.iter().enumerate() {
            let baseline = top + PAD + (i as f32 + 1.0) * LINE - 3.0;
            text(surface, font, BODY_SIZE, x + PAD, baseline, content);
        }
        line(surface, (x, top), (x, top + height));
        x += width;
    }
    line(surface, (x, top), (x, top + height));
    line(surface, (MARGIN, top), (x, top));
    line(surface, (MARGIN, top + height), (x, top + height));
    height
}

/// The sheet as PDF bytes.
pub fn render(sheet: &ApprovalSheet) -> AppResult<Vec<u8>> {
    let faces = FACES.as_ref().ok_or_else(|| {
        tracing::error!("the sheet's font did not load");
        AppError::Internal
    })?;
    let widths = widths();
    let cell = |metrics: &Metrics, content: &str, width: f32| {
        metrics.wrap(content, BODY_SIZE, width - 2.0 * PAD)
    };
    let header: Cells = [
        vec!["№".to_owned()],
        cell(&faces.bold_metrics, "Согласующий", widths[1]),
        cell(&faces.bold_metrics, "Решение", widths[2]),
        cell(&faces.bold_metrics, "Дата и время", widths[3]),
        cell(&faces.bold_metrics, "Комментарий", widths[4]),
    ];
    let rows: Vec<Cells> = sheet
        .steps
        .iter()
        .map(|step| {
            [
                vec![step.position.to_string()],
                step.approver
                    .iter()
                    .flat_map(|l| cell(&faces.regular_metrics, l, widths[1]))
                    .collect(),
                cell(&faces.regular_metrics, &step.decision, widths[2]),
                cell(&faces.regular_metrics, &step.at, widths[3]),
                cell(&faces.regular_metrics, &step.comment, widths[4]),
            ]
        })
        .collect();
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(AppError::Internal)?;
    let mut document = Document::new();
    let bottom = PAGE_HEIGHT - MARGIN - LINE;
    let mut rows = rows.into_iter().peekable();
    let mut first = true;
    let mut page_number = 0;
    while first || rows.peek().is_some() {
        page_number += 1;
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN;
        if first {
            for title_line in
                faces
                    .bold_metrics
                    .wrap(&sheet.title, TITLE_SIZE, PAGE_WIDTH - 2.0 * MARGIN)
            {
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
            y += LINE;
            let label_width = 130.0;
            for (label, value) in &sheet.fields {
                let values = faces.regular_metrics.wrap(
                    value,
                    BODY_SIZE,
                    PAGE_WIDTH - 2.0 * MARGIN - label_width,
                );
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
        y += draw_row(&mut surface, &faces.bold, y, &header, true);
        while let Some(row) = rows.peek() {
            // A row taller than a page still goes on its own page rather than never.
            if y + row_height(row) > bottom && y > MARGIN + row_height(&header) + 1.0 {
                break;
            }
            let Some(row) = rows.next() else { break };
            y += draw_row(&mut surface, &faces.regular, y, &row, false);
        }
        let footer = format!("{} · стр. {page_number}", sheet.footer);
        text(
            &mut surface,
            &faces.regular,
            8.0,
            MARGIN,
            PAGE_HEIGHT - MARGIN / 2.0,
            &footer,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|error| {
        tracing::error!(?error, "the approval sheet was not written");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::payments::SheetStep;

    fn sheet(steps: usize) -> ApprovalSheet {
        ApprovalSheet {
            title: "Лист согласования заявки на оплату ЗО-7".to_owned(),
            fields: vec![("Контрагент".to_owned(), "ООО «Ромашка»".to_owned())],
            steps: (1..=steps)
                .map(|i| SheetStep {
                    position: i,
                    approver: vec![format!("Согласующий {i}"), "Директор".to_owned()],
                    decision: "Согласовано".to_owned(),
                    at: "03.12.2026 10:00".to_owned(),
                    comment: "Длинный комментарий, который переносится на несколько строк \
                              таблицы, чтобы проверить перенос слов"
                        .to_owned(),
                })
                .collect(),
            footer: "Сформирован 03.12.2026".to_owned(),
        }
    }

    #[test]
    fn a_sheet_is_a_pdf_and_long_chains_take_more_pages() {
        let short = render(&sheet(3)).expect("pdf");
        assert!(short.starts_with(b"%PDF-"));
        let count =
            |pdf: &[u8], needle: &[u8]| pdf.windows(needle.len()).filter(|w| *w == needle).count();
        let pages = |pdf: &[u8]| count(pdf, b"/Type /Page") - count(pdf, b"/Type /Pages");
        let long = render(&sheet(60)).expect("pdf");
        assert!(
            pages(&long) > pages(&short),
            "{} vs {}",
            pages(&long),
            pages(&short)
        );
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
