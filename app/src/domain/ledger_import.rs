//! Ledger entries from the accounting system (1C and the like): opening balances and entries
//! as a table an accountant uploads (CSV or XLSX) or as JSON an integration posts with an API
//! token. Every row carries the accounting system's own id, so a row imported before with the
//! same figures is skipped and importing a file twice changes nothing; one bad row refuses the
//! whole file, each problem named by line and column.
//!
//! The table: a header row naming the columns (in English or in Russian, in any order; other
//! columns are ignored), then one entry a row. `debit` lowers what we owe (our payment, an
//! advance, a return), `credit` raises it (a delivery, an act); exactly one of them a row.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::form::FieldError;
use super::money::Money;
use super::settlements::Side;

/// How an import came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOrigin {
    /// A CSV or XLSX file an accountant uploaded.
    Upload,
    /// The JSON API, with an API token.
    Api,
}

impl ImportOrigin {
    pub const ALL: [ImportOrigin; 2] = [ImportOrigin::Upload, ImportOrigin::Api];

    pub fn code(self) -> &'static str {
        match self {
            ImportOrigin::Upload => "upload",
            ImportOrigin::Api => "api",
        }
    }

    pub fn from_code(code: &str) -> Option<ImportOrigin> {
        ImportOrigin::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// A column of the import table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportColumn {
    /// The accounting system's id of the entry.
    Id,
    /// The counterparty's INN.
    Inn,
    /// The contract's number, blank for none.
    Contract,
    /// The entry's date.
    Date,
    /// The document's number.
    Document,
    /// The document's date (blank: the entry's).
    DocumentDate,
    Debit,
    Credit,
    /// The payment deadline of a credit (blank: the contract's or counterparty's deferral).
    Due,
}

impl ImportColumn {
    pub const ALL: [ImportColumn; 9] = [
        ImportColumn::Id,
        ImportColumn::Inn,
        ImportColumn::Contract,
        ImportColumn::Date,
        ImportColumn::Document,
        ImportColumn::DocumentDate,
        ImportColumn::Debit,
        ImportColumn::Credit,
        ImportColumn::Due,
    ];

    /// The header in English, as the OpenAPI file and the JSON fields name it.
    pub fn code(self) -> &'static str {
        match self {
            ImportColumn::Id => "id",
            ImportColumn::Inn => "inn",
            ImportColumn::Contract => "contract",
            ImportColumn::Date => "date",
            ImportColumn::Document => "document",
            ImportColumn::DocumentDate => "document_date",
            ImportColumn::Debit => "debit",
            ImportColumn::Credit => "credit",
            ImportColumn::Due => "due",
        }
    }

    /// The header in Russian, as a 1C export is labelled.
    pub fn russian(self) -> &'static str {
        match self {
            ImportColumn::Id => "Идентификатор",
            ImportColumn::Inn => "ИНН",
            ImportColumn::Contract => "Договор",
            ImportColumn::Date => "Дата",
            ImportColumn::Document => "Документ",
            ImportColumn::DocumentDate => "Дата документа",
            ImportColumn::Debit => "Дебет",
            ImportColumn::Credit => "Кредит",
            ImportColumn::Due => "Срок оплаты",
        }
    }

    /// The column a header cell names, in either language, whatever its case and spaces.
    pub fn from_header(text: &str) -> Option<ImportColumn> {
        let wanted = text
            .trim()
            .trim_start_matches('\u{feff}')
            .trim()
            .to_lowercase();
        ImportColumn::ALL
            .into_iter()
            .find(|c| c.code() == wanted || c.russian().to_lowercase() == wanted)
    }

    fn required(self) -> bool {
        matches!(
            self,
            ImportColumn::Id | ImportColumn::Inn | ImportColumn::Date | ImportColumn::Document
        )
    }
}

/// A row of the table as read from the file: its line there (1 is the header) and its cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub line: u32,
    pub cells: Vec<String>,
}

/// A problem with the file: the line (0 for the file as a whole), the column, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: u32,
    pub column: Option<ImportColumn>,
    pub error: FieldError,
}

/// An entry read from a row, checked on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u32,
    pub external_id: String,
    pub inn: String,
    pub contract: Option<String>,
    pub date: NaiveDate,
    pub document_number: String,
    pub document_date: NaiveDate,
    pub side: Side,
    pub amount: Money,
    pub due: Option<NaiveDate>,
}

/// The most rows one file may hold.
pub const MAX_IMPORT_ROWS: usize = 200_000;
/// A refused file reports this many problems at most.
pub const MAX_PROBLEMS: usize = 100;
pub const MAX_EXTERNAL_ID_CHARS: usize = 100;
pub const MAX_DOCUMENT_CHARS: usize = 200;
pub const MAX_CONTRACT_CHARS: usize = 100;
/// The earliest date an entry may carry (older books are closed).
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// A date as accounting systems write it: `2026-03-31` or `31.03.2026`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // A spreadsheet's date cell may come with a time of midnight.
    let text = text.split_once([' ', 'T']).map_or(text, |(date, _)| date);
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}

/// Reads the table (its first row the header) into entries, or every problem it has (at
/// most [`MAX_PROBLEMS`]). Blank rows are skipped; the same id twice is a problem.
pub fn read_table(
    table: &[TableRow],
    max_amount: Money,
    today: NaiveDate,
) -> Result<Vec<ImportRow>, Vec<RowProblem>> {
    let Some((header, rows)) = table.split_first() else {
        return Err(vec![RowProblem {
            line: 0,
            column: None,
            error: FieldError::NoRows,
        }]);
    };
    let mut at: HashMap<ImportColumn, usize> = HashMap::new();
    for (index, cell) in header.cells.iter().enumerate() {
        if let Some(column) = ImportColumn::from_header(cell) {
            at.entry(column).or_insert(index);
        }
    }
    let mut problems: Vec<RowProblem> = ImportColumn::ALL
        .into_iter()
        .filter(|c| c.required() && !at.contains_key(c))
        .map(|c| RowProblem {
            line: header.line,
            column: Some(c),
            error: FieldError::MissingColumn,
        })
        .collect();
    if !at.contains_key(&ImportColumn::Debit) && !at.contains_key(&ImportColumn::Credit) {
        problems.push(RowProblem {
            line: header.line,
            column: Some(ImportColumn::Credit),
            error: FieldError::MissingColumn,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let rows: Vec<&TableRow> = rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(vec![RowProblem {
            line: header.line,
            column: None,
            error: FieldError::NoRows,
        }]);
    }
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(vec![RowProblem {
            line: 0,
            column: None,
            error: FieldError::TooManyAtOnce(MAX_IMPORT_ROWS),
        }]);
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let cell = |column: ImportColumn| -> &str {
            at.get(&column)
                .and_then(|i| row.cells.get(*i))
                .map_or("", |c| c.trim())
        };
        match read_row(row.line, &cell, max_amount, today) {
            Ok(entry) => {
                if !seen.insert(cell(ImportColumn::Id)) {
                    problems.push(RowProblem {
                        line: row.line,
                        column: Some(ImportColumn::Id),
                        error: FieldError::DuplicateInFile,
                    });
                } else {
                    entries.push(entry);
                }
            }
            Err(mut found) => problems.append(&mut found),
        }
        if problems.len() >= MAX_PROBLEMS {
            problems.truncate(MAX_PROBLEMS);
            break;
        }
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

fn read_row<'a>(
    line: u32,
    cell: &dyn Fn(ImportColumn) -> &'a str,
    max_amount: Money,
    today: NaiveDate,
) -> Result<ImportRow, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut problem = |column: ImportColumn, error: FieldError| {
        problems.push(RowProblem {
            line,
            column: Some(column),
            error,
        })
    };
    let text =
        |column: ImportColumn, max: usize, problem: &mut dyn FnMut(ImportColumn, FieldError)| {
            let value = cell(column);
            if value.chars().count() > max {
                problem(column, FieldError::TooLong(max));
            }
            value.to_owned()
        };
    let external_id = text(ImportColumn::Id, MAX_EXTERNAL_ID_CHARS, &mut problem);
    if external_id.is_empty() {
        problem(ImportColumn::Id, FieldError::Required);
    }
    let inn = cell(ImportColumn::Inn).to_owned();
    if inn.is_empty() {
        problem(ImportColumn::Inn, FieldError::Required);
    } else if let Err(error) = super::requisites::check_inn(&inn) {
        problem(ImportColumn::Inn, FieldError::Requisite(error));
    }
    let contract = text(ImportColumn::Contract, MAX_CONTRACT_CHARS, &mut problem);
    let document_number = text(ImportColumn::Document, MAX_DOCUMENT_CHARS, &mut problem);
    if document_number.is_empty() {
        problem(ImportColumn::Document, FieldError::Required);
    }
    let mut date_of = |column: ImportColumn, required: bool| -> Option<NaiveDate> {
        let value = cell(column);
        if value.is_empty() {
            if required {
                problem(column, FieldError::Required);
            }
            return None;
        }
        match parse_date(value) {
            None => {
                problem(column, FieldError::BadDate);
                None
            }
            Some(date) if date < EARLIEST => {
                problem(column, FieldError::BadDate);
                None
            }
            Some(date) if date > today && column != ImportColumn::Due => {
                problem(column, FieldError::FutureDate);
                None
            }
            Some(date) => Some(date),
        }
    };
    let date = date_of(ImportColumn::Date, true);
    let document_date = date_of(ImportColumn::DocumentDate, false);
    let due = date_of(ImportColumn::Due, false);
    let mut amount_of = |column: ImportColumn| -> Option<Money> {
        let value = cell(column);
        if value.is_empty() {
            return None;
        }
        match Money::parse_at_most(value, max_amount) {
            Ok(amount) if amount == Money::ZERO => {
                problem(column, FieldError::ZeroAmount);
                Some(Money::ZERO)
            }
            Ok(amount) => Some(amount),
            Err(error) => {
                problem(column, FieldError::Amount(error));
                Some(Money::ZERO)
            }
        }
    };
    // A wrong amount still counts as given: the other side's absence is no second problem.
    let debit = amount_of(ImportColumn::Debit);
    let credit = amount_of(ImportColumn::Credit);
    let side = match (debit, credit) {
        (Some(amount), None) => Some((Side::Debit, amount)),
        (None, Some(amount)) => Some((Side::Credit, amount)),
        (Some(_), Some(_)) => {
            problem(ImportColumn::Credit, FieldError::OneSideOnly);
            None
        }
        (None, None) => {
            problem(ImportColumn::Credit, FieldError::OneSideOnly);
            None
        }
    };
    if let (Some(due), Some(date)) = (due, date)
        && due < date
    {
        problem(ImportColumn::Due, FieldError::PeriodReversed);
    }
    match (date, side) {
        (Some(date), Some((side, amount))) if problems.is_empty() => Ok(ImportRow {
            line,
            external_id,
            inn,
            contract: Some(contract).filter(|c| !c.is_empty()),
            date,
            document_number,
            document_date: document_date.unwrap_or(date),
            side,
            amount,
            due,
        }),
        _ => Err(problems),
    }
}

/// An entry imported before, as far as a re-import compares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub counterparty_id: i32,
    pub contract_id: Option<i32>,
    pub date: NaiveDate,
    pub side: Side,
    pub amount: Money,
}

/// What the database knows about the file's counterparties, contracts and ids.
pub struct Known<'a> {
    /// Counterparty id by INN.
    pub counterparties: &'a HashMap<String, i32>,
    /// Contract id by counterparty and number.
    pub contracts: &'a HashMap<(i32, String), i32>,
    /// Entries imported before, by the accounting system's id.
    pub imported: &'a HashMap<String, Imported>,
}

/// A row to store, with whom and which contract it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub row: ImportRow,
    pub counterparty_id: i32,
    pub contract_id: Option<i32>,
}

/// What an import stores: the new rows; the rows imported before with the same figures are
/// only counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    pub new: Vec<Resolved>,
    pub skipped: usize,
}

/// Matches the rows to counterparties and contracts and to what was imported before: an
/// unknown INN or contract, or an id imported before with other figures (entries are never
/// edited: a correction comes as a new entry with its own id), refuses the file.
pub fn plan(rows: Vec<ImportRow>, known: &Known) -> Result<ImportPlan, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut plan = ImportPlan {
        new: Vec::with_capacity(rows.len()),
        skipped: 0,
    };
    for row in rows {
        let Some(&counterparty_id) = known.counterparties.get(&row.inn) else {
            problems.push(RowProblem {
                line: row.line,
                column: Some(ImportColumn::Inn),
                error: FieldError::NoSuchRecord,
            });
            continue;
        };
        let contract_id = match &row.contract {
            None => None,
            Some(number) => match known.contracts.get(&(counterparty_id, number.clone())) {
                Some(&id) => Some(id),
                None => {
                    problems.push(RowProblem {
                        line: row.line,
                        column: Some(ImportColumn::Contract),
                        error: FieldError::NoSuchRecord,
                    });
                    continue;
                }
            },
        };
        if let Some(before) = known.imported.get(&row.external_id) {
            let same = Imported {
                counterparty_id,
                contract_id,
                date: row.date,
                side: row.side,
                amount: row.amount,
            };
            if *before == same {
                plan.skipped += 1;
            } else {
                problems.push(RowProblem {
                    line: row.line,
                    column: Some(ImportColumn::Id),
                    error: FieldError::ChangedSinceImport,
                });
            }
            continue;
        }
        plan.new.push(Resolved {
            row,
            counterparty_id,
            contract_id,
        });
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}

/// One entry as the JSON API takes it; the fields are the table's columns, amounts as
/// strings (`"1234.56"`) so no floating point touches money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    pub id: String,
    pub inn: String,
    #[serde(default)]
    pub contract: Option<String>,
    pub date: String,
    pub document: String,
    #[serde(default)]
    pub document_date: Option<String>,
    #[serde(default)]
    pub debit: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
    #[serde(default)]
    pub due: Option<String>,
}

/// The JSON API's body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiImport {
    pub entries: Vec<ApiEntry>,
}

/// The JSON entries as a table: entry `n` (from 1) is line `n`, so problems name the entry.
pub fn api_table(body: &ApiImport) -> Vec<TableRow> {
    let mut table = vec![TableRow {
        line: 0,
        cells: ImportColumn::ALL
            .iter()
            .map(|c| c.code().to_owned())
            .collect(),
    }];
    for (index, e) in body.entries.iter().enumerate() {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        table.push(TableRow {
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            cells: vec![
                e.id.clone(),
                e.inn.clone(),
                text(&e.contract),
                e.date.clone(),
                e.document.clone(),
                text(&e.document_date),
                text(&e.debit),
                text(&e.credit),
                text(&e.due),
            ],
        });
    }
    table
}

/// The field delimiter of a CSV file, from its header line: `;` as Russian Excel and 1C
/// write it, a tab, or a comma.
pub fn csv_delimiter(first_line: &str) -> u8 {
    let count = |c: char| first_line.matches(c).count();
    [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::MoneyError;

    const INN: &str = "7707083893";

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2026, 12, 7)
    }

    fn table(rows: &[&[&str]]) -> Vec<TableRow> {
        rows.iter()
            .enumerate()
            .map(|(i, cells)| TableRow {
                line: i as u32 + 1,
                cells: cells.iter().map(|c| (*c).to_owned()).collect(),
            })
            .collect()
    }

    const HEADER: &[&str] = &[
        "id", "inn", "contract", "date", "document", "debit", "credit", "due",
    ];

    fn max() -> Money {
        Money::maximum_of_rubles(1_000_000_000)
    }

    #[test]
    fn good_rows_read_in_either_language_and_date_style() {
        let rows = read_table(
            &table(&[
                &[
                    "Идентификатор",
                    "ИНН",
                    "Дата",
                    "Документ",
                    "Дебет",
                    "Кредит",
                    "Примечание",
                ],
                &[
                    "1c-1",
                    INN,
                    "31.01.2026",
                    "Сальдо",
                    "",
                    "1 500,00",
                    "ignored",
                ],
                &["", "", "", "", "", "", ""],
                &["1c-2", INN, "2026-02-10", "ПП 15", "500.5", "", ""],
            ]),
            max(),
            today(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].side, Side::Credit);
        assert_eq!(rows[0].amount, Money::from_kopecks(150_000));
        assert_eq!(rows[0].document_date, day(2026, 1, 31));
        assert_eq!(rows[1].side, Side::Debit);
        assert_eq!(rows[1].amount, Money::from_kopecks(50_050));
        assert_eq!(
            rows[1].line, 4,
            "a blank row keeps the lines after it right"
        );
        assert_eq!(rows[1].contract, None);
    }

    #[test]
    fn each_bad_cell_is_named_by_line_and_column() {
        let cases: &[(&[&str], ImportColumn, FieldError)] = &[
            (
                &["", INN, "", "2026-01-01", "A", "", "1", ""],
                ImportColumn::Id,
                FieldError::Required,
            ),
            (
                &["x", "123", "", "2026-01-01", "A", "", "1", ""],
                ImportColumn::Inn,
                FieldError::Requisite(super::super::requisites::RequisiteError::InnLength),
            ),
            (
                &["x", INN, "", "32.01.2026", "A", "", "1", ""],
                ImportColumn::Date,
                FieldError::BadDate,
            ),
            (
                &["x", INN, "", "1999-12-31", "A", "", "1", ""],
                ImportColumn::Date,
                FieldError::BadDate,
            ),
            (
                &["x", INN, "", "2026-12-08", "A", "", "1", ""],
                ImportColumn::Date,
                FieldError::FutureDate,
            ),
            (
                &["x", INN, "", "2026-01-01", "", "", "1", ""],
                ImportColumn::Document,
                FieldError::Required,
            ),
            (
                &["x", INN, "", "2026-01-01", "A", "1", "1", ""],
                ImportColumn::Credit,
                FieldError::OneSideOnly,
            ),
            (
                &["x", INN, "", "2026-01-01", "A", "", "", ""],
                ImportColumn::Credit,
                FieldError::OneSideOnly,
            ),
            (
                &["x", INN, "", "2026-01-01", "A", "-5", "", ""],
                ImportColumn::Debit,
                FieldError::Amount(MoneyError::Negative),
            ),
            (
                &["x", INN, "", "2026-01-01", "A", "", "0", ""],
                ImportColumn::Credit,
                FieldError::ZeroAmount,
            ),
            (
                &["x", INN, "", "2026-01-01", "A", "", "abc", ""],
                ImportColumn::Credit,
                FieldError::Amount(MoneyError::Malformed),
            ),
            (
                &["x", INN, "", "2026-01-01", "A", "", "2000000000", ""],
                ImportColumn::Credit,
                FieldError::Amount(MoneyError::AboveMaximum(Money::maximum_of_rubles(
                    1_000_000_000,
                ))),
            ),
            (
                &["x", INN, "", "2026-02-01", "A", "", "1", "2026-01-31"],
                ImportColumn::Due,
                FieldError::PeriodReversed,
            ),
        ];
        for (row, column, error) in cases {
            let problems = read_table(
                &table(&[
                    HEADER,
                    &["ok", INN, "", "2026-01-01", "A", "", "1", ""],
                    row,
                ]),
                max(),
                today(),
            )
            .expect_err("a bad row refuses the file");
            assert_eq!(
                problems,
                vec![RowProblem {
                    line: 3,
                    column: Some(*column),
                    error: error.clone()
                }],
                "row {row:?}"
            );
        }
    }

    #[test]
    fn missing_columns_duplicates_and_empty_files_are_refused() {
        let missing = read_table(
            &table(&[&["id", "date", "document"], &["1", "2026-01-01", "A"]]),
            max(),
            today(),
        )
        .unwrap_err();
        assert_eq!(
            missing
                .iter()
                .map(|p| (p.line, p.column))
                .collect::<Vec<_>>(),
            vec![
                (1, Some(ImportColumn::Inn)),
                (1, Some(ImportColumn::Credit))
            ]
        );
        assert!(missing.iter().all(|p| p.error == FieldError::MissingColumn));
        let twice = read_table(
            &table(&[
                HEADER,
                &["a", INN, "", "2026-01-01", "A", "", "1", ""],
                &["a", INN, "", "2026-01-02", "B", "", "2", ""],
            ]),
            max(),
            today(),
        )
        .unwrap_err();
        assert_eq!(
            twice,
            vec![RowProblem {
                line: 3,
                column: Some(ImportColumn::Id),
                error: FieldError::DuplicateInFile
            }]
        );
        assert_eq!(
            read_table(&table(&[HEADER]), max(), today()).unwrap_err()[0].error,
            FieldError::NoRows
        );
        assert_eq!(
            read_table(&[], max(), today()).unwrap_err()[0].error,
            FieldError::NoRows
        );
    }

    #[test]
    fn problems_stop_at_the_maximum() {
        let bad: Vec<Vec<String>> = (0..500)
            .map(|i| {
                vec![
                    format!("{i}"),
                    INN.into(),
                    String::new(),
                    "bad".into(),
                    "A".into(),
                    String::new(),
                    "1".into(),
                    String::new(),
                ]
            })
            .collect();
        let mut rows = vec![TableRow {
            line: 1,
            cells: HEADER.iter().map(|c| (*c).to_owned()).collect(),
        }];
        rows.extend(bad.into_iter().enumerate().map(|(i, cells)| TableRow {
            line: i as u32 + 2,
            cells,
        }));
        assert_eq!(
            read_table(&rows, max(), today()).unwrap_err().len(),
            MAX_PROBLEMS
        );
    }

    fn row(id: &str, contract: Option<&str>, amount: i64) -> ImportRow {
        ImportRow {
            line: 2,
            external_id: id.to_owned(),
            inn: INN.to_owned(),
            contract: contract.map(str::to_owned),
            date: day(2026, 1, 1),
            document_number: "A".to_owned(),
            document_date: day(2026, 1, 1),
            side: Side::Credit,
            amount: Money::from_kopecks(amount),
            due: None,
        }
    }

    #[test]
    fn plans_match_counterparties_contracts_and_what_came_before() {
        let counterparties = HashMap::from([(INN.to_owned(), 7)]);
        let contracts = HashMap::from([((7, "Д-1".to_owned()), 70)]);
        let imported = HashMap::from([(
            "old".to_owned(),
            Imported {
                counterparty_id: 7,
                contract_id: None,
                date: day(2026, 1, 1),
                side: Side::Credit,
                amount: Money::from_kopecks(100),
            },
        )]);
        let known = Known {
            counterparties: &counterparties,
            contracts: &contracts,
            imported: &imported,
        };
        let planned = plan(
            vec![row("new", Some("Д-1"), 5), row("old", None, 100)],
            &known,
        )
        .unwrap();
        assert_eq!(planned.skipped, 1, "the same row again is skipped");
        assert_eq!(planned.new.len(), 1);
        assert_eq!(
            (planned.new[0].counterparty_id, planned.new[0].contract_id),
            (7, Some(70))
        );

        for (rows, column, error) in [
            (
                vec![row("old", None, 101)],
                ImportColumn::Id,
                FieldError::ChangedSinceImport,
            ),
            (
                vec![row("x", Some("Д-2"), 1)],
                ImportColumn::Contract,
                FieldError::NoSuchRecord,
            ),
            (
                vec![ImportRow {
                    inn: "7728168971".into(),
                    ..row("y", None, 1)
                }],
                ImportColumn::Inn,
                FieldError::NoSuchRecord,
            ),
        ] {
            assert_eq!(
                plan(rows, &known).unwrap_err(),
                vec![RowProblem {
                    line: 2,
                    column: Some(column),
                    error
                }]
            );
        }
    }

    #[test]
    fn json_entries_become_a_table_whose_lines_count_the_entries() {
        let body: ApiImport = serde_json::from_str(&format!(
            r#"{{"entries":[{{"id":"a","inn":"{INN}","date":"2026-01-01","document":"A","credit":"10.00"}},{{"id":"b","inn":"{INN}","date":"bad","document":"B","debit":"1"}}]}}"#
        ))
        .unwrap();
        let problems = read_table(&api_table(&body), max(), today()).unwrap_err();
        assert_eq!(
            problems,
            vec![RowProblem {
                line: 2,
                column: Some(ImportColumn::Date),
                error: FieldError::BadDate
            }]
        );
        assert!(
            serde_json::from_str::<ApiImport>(r#"{"entries":[{"id":"a","amount":"1"}]}"#).is_err()
        );
    }

    #[test]
    fn csv_delimiters_and_headers_are_recognised() {
        for (line, delimiter) in [
            ("id;inn;date", b';'),
            ("id,inn,date", b','),
            ("id\tinn", b'\t'),
            ("id", b','),
        ] {
            assert_eq!(csv_delimiter(line), delimiter, "{line}");
        }
        assert_eq!(
            ImportColumn::from_header("\u{feff} Дата документа "),
            Some(ImportColumn::DocumentDate)
        );
        assert_eq!(
            ImportColumn::from_header("DEBIT"),
            Some(ImportColumn::Debit)
        );
        assert_eq!(ImportColumn::from_header("Сумма"), None);
        for column in ImportColumn::ALL {
            assert_eq!(ImportColumn::from_header(column.code()), Some(column));
            assert_eq!(ImportColumn::from_header(column.russian()), Some(column));
        }
        assert_eq!(parse_date("2026-03-31 00:00:00"), Some(day(2026, 3, 31)));
    }
}
