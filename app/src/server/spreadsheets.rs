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
