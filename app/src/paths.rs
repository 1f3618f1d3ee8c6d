//! Addresses of the plain HTTP routes beside the server functions, shared by the router and
//! the pages that link to them.

/// A new submission (fields and files, multipart).
pub const UPLOAD_PATH: &str = "/api/cabinet/upload";
/// Corrected files of a returned document; `{id}` is the card.
pub const CORRECTED_FILES_PATH: &str = "/api/cabinet/documents/{id}/files";
/// Server-sent events of changes to the cards the signed-in user may see.
pub const LIVE_PATH: &str = "/api/live";
/// Files staff attach to a card (the payment order of a paid document); `{id}` is the card.
pub const STAFF_FILES_PATH: &str = "/api/staff/documents/{id}/files";

pub fn staff_files_path(card_id: i32) -> String {
    STAFF_FILES_PATH.replace("{id}", &card_id.to_string())
}

/// An accountant's CSV/XLSX file for the ledger (multipart, field `file`).
pub const LEDGER_UPLOAD_PATH: &str = "/api/staff/ledger_import";
/// The page of the ledger's imports and the API tokens.
pub const LEDGER_IMPORT_PAGE: &str = "/staff/ledger-import";

/// A stored file; `{id}` is the file row.
pub const DOWNLOAD_PATH: &str = "/files/{id}";

/// Every file of a counterparty's documents in a period, as one ZIP; `{id}` is the counterparty.
pub const EXPORT_PATH: &str = "/api/staff/counterparties/{id}/export";

pub fn export_path(counterparty_id: i32) -> String {
    EXPORT_PATH.replace("{id}", &counterparty_id.to_string())
}

pub fn corrected_files_path(card_id: i32) -> String {
    CORRECTED_FILES_PATH.replace("{id}", &card_id.to_string())
}

/// Where a file opens in the browser, or with `save` is downloaded.
pub fn download_path(file_id: i32, save: bool) -> String {
    let path = DOWNLOAD_PATH.replace("{id}", &file_id.to_string());
    if save { path + "?download=1" } else { path }
}

/// A task's page on the signed-in side.
pub fn task_path(role: crate::domain::access::Role, task_id: i32) -> String {
    if role.is_staff() {
        format!("/staff/tasks/{task_id}")
    } else {
        format!("/cabinet/tasks/{task_id}")
    }
}

/// Files of a contract, specification, order or a task's answer; `{kind}` and `{id}` name it.
pub const ITEM_FILES_PATH: &str = "/api/items/{kind}/{id}/files";

/// `kind` is a `FileOwner`'s code.
pub fn item_files_path(kind: &str, id: i32) -> String {
    ITEM_FILES_PATH
        .replace("{kind}", kind)
        .replace("{id}", &id.to_string())
}

/// A stored file of such an item.
pub const ITEM_DOWNLOAD_PATH: &str = "/item-files/{id}";

pub fn item_download_path(file_id: i32, save: bool) -> String {
    let path = ITEM_DOWNLOAD_PATH.replace("{id}", &file_id.to_string());
    if save { path + "?download=1" } else { path }
}

/// Every file of a deal's papers as one ZIP; `{id}` is the deal.
pub const DEAL_EXPORT_PATH: &str = "/api/staff/deals/{id}/export";

pub fn deal_export_path(deal_id: i32) -> String {
    DEAL_EXPORT_PATH.replace("{id}", &deal_id.to_string())
}

/// Accounting's payment register page.
pub const PAYMENT_REGISTER_PATH: &str = "/staff/payments/register";

/// The payment register as an XLSX workbook, under the page's filter.
pub const PAYMENT_REGISTER_XLSX_PATH: &str = "/api/staff/payments/register.xlsx";

/// The register's workbook under filter `?counterparty=&item=`, headed in `lang`.
pub fn payment_register_xlsx_path(
    counterparty: Option<i32>,
    item: Option<i32>,
    lang: crate::domain::lang::Lang,
) -> String {
    let mut query = vec![format!("lang={}", lang.code())];
    if let Some(id) = counterparty {
        query.push(format!("counterparty={id}"));
    }
    if let Some(id) = item {
        query.push(format!("item={id}"));
    }
    format!("{PAYMENT_REGISTER_XLSX_PATH}?{}", query.join("&"))
}

/// The reconciliation statement as a file (`format=pdf` or `xlsx`); a supplier's is its own.
pub const STATEMENT_PATH: &str = "/api/settlements/statement";

/// The file format a statement is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementFormat {
    Pdf,
    Xlsx,
}

impl StatementFormat {
    pub fn code(self) -> &'static str {
        match self {
            StatementFormat::Pdf => "pdf",
            StatementFormat::Xlsx => "xlsx",
        }
    }

    pub fn from_code(code: &str) -> Option<StatementFormat> {
        [StatementFormat::Pdf, StatementFormat::Xlsx]
            .into_iter()
            .find(|f| f.code() == code)
    }
}

/// The statement of a balance page's account and period, as `format`, in `lang`.
pub fn statement_path(
    counterparty: Option<i32>,
    account: crate::domain::settlements::Account,
    period: crate::domain::settlements::Period,
    format: StatementFormat,
    lang: crate::domain::lang::Lang,
) -> String {
    let mut query = vec![
        format!("format={}", format.code()),
        format!("lang={}", lang.code()),
        format!("from={}", period.from),
        format!("to={}", period.to),
        format!("account={}", account.to_query()),
    ];
    if let Some(id) = counterparty {
        query.push(format!("counterparty={id}"));
    }
    format!("{STATEMENT_PATH}?{}", query.join("&"))
}
