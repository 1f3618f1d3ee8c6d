//! Workbooks for people who keep working in a spreadsheet: accounting's payment register.
//! Written with `rust_xlsxwriter` (pure Rust, no C, light to build), in memory: a register of
//! ten thousand rows is a few hundred kilobytes.
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::payments::{RegisterDay, request_number};
use crate::error::{AppError, AppResult};
use crate::model::payments::PaymentRegister;

pub(crate) fn failed(error: XlsxError) -> AppError {
    tracing::error!(%error, "workbook not written");
    AppError::Internal
}

pub(crate) fn number(amount: Money) -> f64 {
    amount.amount().to_f64().unwrap_or(0.0)
}

/// The day's heading as the register page shows it.
pub fn day_label(day: RegisterDay, lang: Lang) -> String {
    match (day, lang) {
        (RegisterDay::Urgent, Lang::Ru) => "Срочно".to_owned(),
        (RegisterDay::Urgent, Lang::En) => "Urgent".to_owned(),
        (RegisterDay::On(date), _) => date.format("%d.%m.%Y").to_string(),
        (RegisterDay::Undated, Lang::Ru) => "Без даты".to_owned(),
        (RegisterDay::Undated, Lang::En) => "No date".to_owned(),
    }
}

/// The register as one sheet: per day a heading row with its count and total, then its
/// requests; the grand total last.
pub fn payment_register(register: &PaymentRegister, lang: Lang) -> AppResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let bold_money = Format::new().set_bold().set_num_format("#,##0.00");
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(match lang {
            Lang::Ru => "Реестр платежей",
            Lang::En => "Payment register",
        })
        .map_err(failed)?;
    let headings: [&str; 7] = match lang {
        Lang::Ru => [
            "Оплатить",
            "Заявка",
            "Контрагент",
            "Назначение",
            "Статья ДДС",
            "В бюджете",
            "Сумма, ₽",
        ],
        Lang::En => [
            "Pay by",
            "Request",
            "Counterparty",
            "Purpose",
            "Cash-flow item",
            "In budget",
            "Amount, ₽",
        ],
    };
    for (col, heading) in headings.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *heading, &bold)
            .map_err(failed)?;
    }
    for (col, width) in [12.0, 10.0, 30.0, 40.0, 24.0, 10.0, 16.0]
        .iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, *width).map_err(failed)?;
    }
    let (yes, no) = match lang {
        Lang::Ru => ("да", "нет"),
        Lang::En => ("yes", "no"),
    };
    let mut row: u32 = 1;
    for day in &register.days {
        let label = day_label(day.day, lang);
        let count = match lang {
            Lang::Ru => format!("{label}: заявок {}", day.count),
            Lang::En => format!("{label}: {} request(s)", day.count),
        };
        sheet
            .write_string_with_format(row, 0, &count, &bold)
            .map_err(failed)?;
        sheet
            .write_number_with_format(row, 6, number(day.total), &bold_money)
            .map_err(failed)?;
        row += 1;
        for request in &day.rows {
            sheet.write_string(row, 0, &label).map_err(failed)?;
            sheet
                .write_string(row, 1, request_number(lang, request.id))
                .map_err(failed)?;
            sheet
                .write_string(row, 2, &request.counterparty_name)
                .map_err(failed)?;
            sheet
                .write_string(row, 3, &request.purpose)
                .map_err(failed)?;
            sheet
                .write_string(row, 4, &request.cash_flow_item)
                .map_err(failed)?;
            sheet
                .write_string(row, 5, if request.in_budget { yes } else { no })
                .map_err(failed)?;
            sheet
                .write_number_with_format(row, 6, number(request.amount), &money)
                .map_err(failed)?;
            row += 1;
        }
    }
    let total = match lang {
        Lang::Ru => format!("Итого: заявок {}", register.count),
        Lang::En => format!("Total: {} request(s)", register.count),
    };
    sheet
        .write_string_with_format(row, 0, &total, &bold)
        .map_err(failed)?;
    sheet
        .write_number_with_format(row, 6, number(register.total), &bold_money)
        .map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}

/// Reads an uploaded table for the ledger import: an XLSX workbook's first sheet, or a CSV
/// file (UTF-8, or Windows-1251 as 1C writes it; `;`, tab or `,` between fields). Each row
/// keeps its line in the file, so problems can name it.
pub fn read_upload(
    bytes: &[u8],
) -> Result<Vec<crate::domain::ledger_import::TableRow>, crate::domain::form::FieldError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

fn read_csv(
    bytes: &[u8],
) -> Result<Vec<crate::domain::ledger_import::TableRow>, crate::domain::form::FieldError> {
    use crate::domain::form::FieldError;
    use crate::domain::ledger_import::{TableRow, csv_delimiter};
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text: std::borrow::Cow<str> = match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => {
            let (text, _, malformed) = encoding_rs::WINDOWS_1251.decode(bytes);
            if malformed {
                return Err(FieldError::UnreadableFile);
            }
            text
        }
    };
    // A binary file decodes as Windows-1251 too; a table has no control characters.
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::UnreadableFile);
    }
    let first_line = text.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(csv_delimiter(first_line))
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => table.push(TableRow {
                line: record
                    .position()
                    .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX)),
                cells: record.iter().map(str::to_owned).collect(),
            }),
            Err(_) => return Err(FieldError::UnreadableFile),
        }
    }
    Ok(table)
}

fn read_xlsx(
    bytes: &[u8],
) -> Result<Vec<crate::domain::ledger_import::TableRow>, crate::domain::form::FieldError> {
    use crate::domain::form::FieldError;
    use crate::domain::ledger_import::TableRow;
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| FieldError::UnreadableFile)?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(FieldError::NoRows)?
        .map_err(|_| FieldError::UnreadableFile)?;
    let first = range.start().map_or(0, |(row, _)| row);
    let leading = range.start().map_or(0, |(_, column)| column as usize);
    let text = |cell: &Data| -> String {
        match cell {
            Data::Empty | Data::Error(_) => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => d
                .as_datetime()
                .map(|d| d.date().format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        }
    };
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| TableRow {
            line: first + u32::try_from(i).unwrap_or(u32::MAX - first) + 1,
            // Columns before the sheet's first used one keep the header's positions right.
            cells: std::iter::repeat_n(String::new(), leading)
                .chain(row.iter().map(text))
                .collect(),
        })
        .collect())
}

#[cfg(test)]
mod upload_tests {
    use super::read_upload;
    use crate::domain::form::FieldError;

    fn cells(table: &[crate::domain::ledger_import::TableRow]) -> Vec<(u32, Vec<String>)> {
        table.iter().map(|r| (r.line, r.cells.clone())).collect()
    }

    #[test]
    fn csv_in_either_encoding_and_with_quoted_lines_keeps_each_rows_line() {
        let text = "Идентификатор;Документ\n1;\"Акт\nна две строки\"\n2;Сальдо\n";
        let expected = vec![
            (1, vec!["Идентификатор".to_owned(), "Документ".to_owned()]),
            (2, vec!["1".to_owned(), "Акт\nна две строки".to_owned()]),
            (4, vec!["2".to_owned(), "Сальдо".to_owned()]),
        ];
        assert_eq!(cells(&read_upload(text.as_bytes()).unwrap()), expected);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        assert_eq!(cells(&read_upload(&cp1251).unwrap()), expected);
        assert_eq!(
            read_upload(b"%PDF-1.7\n\x00\x01binary").unwrap_err(),
            FieldError::UnreadableFile
        );
    }

    #[test]
    fn an_xlsx_sheet_reads_as_text_cells_with_dates_and_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 1, "id").unwrap();
        sheet.write_string(0, 2, "credit").unwrap();
        sheet.write_string(0, 3, "date").unwrap();
        sheet.write_number(1, 1, 7707083893.0).unwrap();
        sheet.write_number(1, 2, 1234.56).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 31).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
        sheet
            .write_datetime_with_format(1, 3, &date, &format)
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let table = read_upload(&bytes).unwrap();
        assert_eq!(
            cells(&table),
            vec![
                (
                    1,
                    vec![String::new(), "id".into(), "credit".into(), "date".into()]
                ),
                (
                    2,
                    vec![
                        String::new(),
                        "7707083893".into(),
                        "1234.56".into(),
                        "2026-03-31".into()
                    ]
                ),
            ]
        );
        assert_eq!(
            read_upload(b"PK\x03\x04broken").unwrap_err(),
            FieldError::UnreadableFile
        );
    }
}
