//! The approval sheet as a PDF: the table-document renderer (`pdf`) with the sheet's fields
//! and a row per step.
use super::pdf::{Column, TableDocument, TableRow, render as render_pdf};
use crate::domain::payments::ApprovalSheet;
use crate::error::AppResult;

/// The sheet as PDF bytes.
pub fn render(sheet: &ApprovalSheet) -> AppResult<Vec<u8>> {
    let column = |header: &str, width: Option<f32>| Column {
        header: header.to_owned(),
        width,
        numeric: false,
    };
    render_pdf(&TableDocument {
        title: sheet.title.clone(),
        landscape: false,
        fields: sheet.fields.clone(),
        columns: vec![
            column("№", Some(22.0)),
            column("Согласующий", Some(150.0)),
            column("Решение", Some(100.0)),
            column("Дата и время", Some(78.0)),
            column("Комментарий", None),
        ],
        rows: sheet
            .steps
            .iter()
            .map(|step| TableRow {
                cells: vec![
                    step.position.to_string(),
                    step.approver.join("\n"),
                    step.decision.clone(),
                    step.at.clone(),
                    step.comment.clone(),
                ],
                strong: false,
            })
            .collect(),
        after: Vec::new(),
        signatures: None,
        footer: format!("{} · стр.", sheet.footer),
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
}
