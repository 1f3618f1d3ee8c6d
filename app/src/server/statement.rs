//! The reconciliation statement as files: the domain's layout (`domain::settlements::statement`)
//! printed by the table-document renderer as a PDF, and written as an XLSX workbook with the
//! same rows, so accounting can open either.
use rust_xlsxwriter::{Format, Workbook};

use super::pdf::{Column, TableDocument, TableRow, render as render_pdf};
use super::spreadsheets::{failed, number};
use crate::domain::format::format_date;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::settlements::{Account, Statement, StatementEntry, StatementInput, statement};
use crate::error::AppResult;
use crate::model::settlements::BalancePage;

/// The statement of a balance page's account and period.
pub fn of_page(
    page: &BalancePage,
    lang: Lang,
    company: &str,
    made_on: chrono::NaiveDate,
) -> Statement {
    let contract = match page.account {
        Account::Contract(id) => page
            .accounts
            .iter()
            .find(|a| a.account == Account::Contract(id))
            .and_then(|a| a.number.clone()),
        Account::All | Account::NoContract => None,
    };
    let entries: Vec<StatementEntry> = page
        .rows
        .iter()
        .map(|r| StatementEntry {
            date: r.date,
            kind: r.kind,
            reversal: r.reversal,
            number: r.number.clone(),
            document_date: r.document_date,
            debit: r.debit,
            credit: r.credit,
        })
        .collect();
    statement(&StatementInput {
        lang,
        company,
        counterparty: &page.counterparty,
        contract: contract.as_deref(),
        period: page.period,
        figures: page.figures,
        entries: &entries,
        made_on,
    })
}

fn cell(amount: Option<Money>, lang: Lang) -> String {
    amount.map(|m| m.format_plain(lang)).unwrap_or_default()
}

/// The statement as a landscape PDF: both parties' columns side by side, the counterparty's
/// mirroring ours (our debit is its credit), left for it to check.
pub fn pdf(st: &Statement, lang: Lang) -> AppResult<Vec<u8>> {
    let [date, document, debit, credit] = st.columns.clone();
    let column = |header: String, width: Option<f32>, numeric: bool| Column {
        header,
        width,
        numeric,
    };
    let side = |label: &str, what: &str| format!("{what}\n{label}");
    render_pdf(&TableDocument {
        title: st.title.clone(),
        landscape: true,
        fields: st
            .heading
            .lines()
            .map(|l| (String::new(), l.to_owned()))
            .collect(),
        columns: vec![
            column(date.clone(), Some(60.0), false),
            column(document.clone(), None, false),
            column(side(&st.ours, &debit), Some(95.0), true),
            column(side(&st.ours, &credit), Some(95.0), true),
            column(side(&st.theirs, &debit), Some(95.0), true),
            column(side(&st.theirs, &credit), Some(95.0), true),
        ],
        rows: st
            .rows
            .iter()
            .map(|r| TableRow {
                cells: vec![
                    r.date.map(|d| format_date(d, lang)).unwrap_or_default(),
                    r.document.clone(),
                    cell(r.debit, lang),
                    cell(r.credit, lang),
                    // The counterparty fills in its side; a blank to check against ours.
                    String::new(),
                    String::new(),
                ],
                strong: r.strong,
            })
            .collect(),
        after: vec![format!("**{}", st.conclusion)],
        signatures: Some(st.signatures.clone()),
        footer: st.footer.clone(),
    })
}

/// The statement as one sheet: the heading, the table with our figures as numbers, the
/// conclusion and the signature lines.
pub fn xlsx(st: &Statement, lang: Lang) -> AppResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let bold_money = Format::new().set_bold().set_num_format("#,##0.00");
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(match lang {
            Lang::Ru => "Акт сверки",
            Lang::En => "Reconciliation",
        })
        .map_err(failed)?;
    for (col, width) in [12.0, 48.0, 16.0, 16.0, 16.0, 16.0].iter().enumerate() {
        sheet.set_column_width(col as u16, *width).map_err(failed)?;
    }
    let mut row: u32 = 0;
    sheet
        .write_string_with_format(row, 0, &st.title, &bold)
        .map_err(failed)?;
    row += 1;
    for line in st.heading.lines() {
        sheet.write_string(row, 0, line).map_err(failed)?;
        row += 1;
    }
    row += 1;
    sheet
        .write_string_with_format(row, 2, &st.ours, &bold)
        .map_err(failed)?;
    sheet
        .write_string_with_format(row, 4, &st.theirs, &bold)
        .map_err(failed)?;
    row += 1;
    let [date, document, debit, credit] = &st.columns;
    for (col, heading) in [date, document, debit, credit, debit, credit]
        .iter()
        .enumerate()
    {
        sheet
            .write_string_with_format(row, col as u16, heading.as_str(), &bold)
            .map_err(failed)?;
    }
    row += 1;
    for r in &st.rows {
        if let Some(d) = r.date {
            sheet
                .write_string(row, 0, format_date(d, lang))
                .map_err(failed)?;
        }
        if r.strong {
            sheet
                .write_string_with_format(row, 1, &r.document, &bold)
                .map_err(failed)?;
        } else {
            sheet.write_string(row, 1, &r.document).map_err(failed)?;
        }
        for (col, amount) in [(2u16, r.debit), (3, r.credit)] {
            if let Some(m) = amount {
                sheet
                    .write_number_with_format(
                        row,
                        col,
                        number(m),
                        if r.strong { &bold_money } else { &money },
                    )
                    .map_err(failed)?;
            }
        }
        row += 1;
    }
    row += 1;
    sheet
        .write_string_with_format(row, 0, &st.conclusion, &bold)
        .map_err(failed)?;
    row += 2;
    let top = row;
    for (col, block) in [(0u16, &st.signatures[0]), (3, &st.signatures[1])] {
        for (i, line) in block.iter().enumerate() {
            sheet
                .write_string(top + i as u32, col, line)
                .map_err(failed)?;
        }
    }
    workbook.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settlements::{EntryKind, Figures, Period};
    use chrono::NaiveDate;

    fn statement_of(entries: usize) -> Statement {
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).expect("date");
        let entries: Vec<StatementEntry> = (0..entries)
            .map(|i| StatementEntry {
                date: d(1 + (i % 28) as u32),
                kind: EntryKind::Accrual,
                reversal: false,
                number: format!("СЧ-{i}"),
                document_date: d(1),
                debit: None,
                credit: Some(Money::from_kopecks(10_000)),
            })
            .collect();
        statement(&StatementInput {
            lang: Lang::Ru,
            company: "АО «Заказчик»",
            counterparty: "ООО «Ромашка»",
            contract: None,
            period: Period::new(d(1), d(31)).expect("period"),
            figures: Figures {
                opening: Money::ZERO,
                debit: Money::ZERO,
                credit: Money::from_kopecks(10_000 * entries.len() as i64),
                closing: Money::from_kopecks(10_000 * entries.len() as i64),
            },
            entries: &entries,
            made_on: d(31),
        })
    }

    #[test]
    fn a_statement_prints_as_a_pdf_that_grows_pages_and_as_a_workbook() {
        let short = pdf(&statement_of(3), Lang::Ru).expect("pdf");
        assert!(short.starts_with(b"%PDF"));
        let long = pdf(&statement_of(200), Lang::Ru).expect("pdf");
        assert!(super::super::pdf::tests::pages(&long) > super::super::pdf::tests::pages(&short));
        let book = xlsx(&statement_of(3), Lang::En).expect("xlsx");
        assert!(book.starts_with(b"PK"));
    }
}
