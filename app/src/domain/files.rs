//! Uploaded files: the type is decided by the content's first bytes, never by the name; sizes
//! are limited per file; downloads carry the original name encoded per RFC 6266.

/// The types DESIGN.md accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Webp,
    Heic,
    Xlsx,
    Docx,
    Ods,
    Odt,
    Xml,
}

impl FileType {
    pub const ALL: [FileType; 10] = [
        FileType::Pdf,
        FileType::Jpeg,
        FileType::Png,
        FileType::Webp,
        FileType::Heic,
        FileType::Xlsx,
        FileType::Docx,
        FileType::Ods,
        FileType::Odt,
        FileType::Xml,
    ];

    pub fn from_mime(mime: &str) -> Option<FileType> {
        FileType::ALL.into_iter().find(|t| t.mime() == mime)
    }

    /// The extensions a file of this type is known by, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            FileType::Png => &["png"],
            FileType::Webp => &["webp"],
            FileType::Heic => &["heic", "heif"],
            FileType::Xlsx => &["xlsx"],
            FileType::Docx => &["docx"],
            FileType::Ods => &["ods"],
            FileType::Odt => &["odt"],
            FileType::Xml => &["xml"],
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Heic => "image/heic",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Xml => "application/xml",
        }
    }
}

/// How many leading bytes `detect` needs to see (office files list their parts early on).
pub const SNIFF_BYTES: usize = 8 * 1024;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The type of a file from its first bytes (up to `SNIFF_BYTES`), or `None` when it is not one
/// of the accepted types.
pub fn detect(head: &[u8]) -> Option<FileType> {
    if head.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some(FileType::Png);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some(FileType::Webp);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        const HEIF_BRANDS: [&[u8; 4]; 8] = [
            b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
        ];
        return HEIF_BRANDS
            .iter()
            .any(|brand| &head[8..12] == *brand)
            .then_some(FileType::Heic);
    }
    if head.starts_with(b"PK\x03\x04") {
        return detect_zip_document(head);
    }
    let text = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    if text[start..].starts_with(b"<?xml") {
        return Some(FileType::Xml);
    }
    None
}

/// Office documents are ZIP archives: OpenDocument names its type in a first `mimetype`
/// entry; Office Open XML is told by its part names.
fn detect_zip_document(head: &[u8]) -> Option<FileType> {
    if head.len() > 38 && &head[30..38] == b"mimetype" {
        let rest = &head[38..head.len().min(38 + 64)];
        if rest.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            return Some(FileType::Ods);
        }
        if rest.starts_with(b"application/vnd.oasis.opendocument.text") {
            return Some(FileType::Odt);
        }
        return None;
    }
    if contains(head, b"word/") {
        Some(FileType::Docx)
    } else if contains(head, b"xl/") {
        Some(FileType::Xlsx)
    } else {
        None
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileLimits {
    pub max_file_bytes: u64,
    pub max_request_bytes: u64,
}

impl Default for FileLimits {
    /// 25 MiB a file (DESIGN.md); a submission of several phone photos stays under 100 MiB.
    fn default() -> Self {
        FileLimits {
            max_file_bytes: 25 * 1024 * 1024,
            max_request_bytes: 100 * 1024 * 1024,
        }
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
pub enum FileRejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than allowed")]
    TooBig,
    #[error("this type of file is not accepted")]
    TypeNotAllowed,
}

/// Decides on a whole received file: its size and its first bytes.
pub fn accept_file(size: u64, head: &[u8], limits: FileLimits) -> Result<FileType, FileRejection> {
    if size == 0 {
        return Err(FileRejection::Empty);
    }
    if size > limits.max_file_bytes {
        return Err(FileRejection::TooBig);
    }
    detect(head).ok_or(FileRejection::TypeNotAllowed)
}

/// Characters that change how a name reads without being seen: bidirectional overrides and
/// isolates (U+202E turns `invoice<U+202E>fdp.exe` into "invoiceexe.pdf" on screen), zero-width
/// and other format characters, and controls.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}')
}

/// The name a stored file is saved under on download or in an archive: its original name
/// without invisible characters, ending in an extension of the type its content was detected
/// as (`invoice.hta` holding a PDF is saved as `invoice.hta.pdf`), so that what opens it is
/// what it is.
pub fn saved_name(original_name: &str, mime: &str) -> String {
    let visible: String = original_name
        .chars()
        .filter(|c| !is_invisible(*c))
        .collect();
    let visible = visible.trim();
    let visible = if visible.trim_matches('.').is_empty() {
        "file"
    } else {
        visible
    };
    let Some(file_type) = FileType::from_mime(mime) else {
        return visible.to_owned();
    };
    let extension = visible
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_lowercase())
        .unwrap_or_default();
    if file_type.extensions().contains(&extension.as_str()) {
        visible.to_owned()
    } else {
        format!("{visible}.{}", file_type.extensions()[0])
    }
}

/// `Content-Disposition` for a download under its original name: an ASCII fallback for old
/// clients and the exact name as UTF-8 (RFC 6266, RFC 5987).
pub fn content_disposition(original_name: &str, inline: bool) -> String {
    let disposition = if inline { "inline" } else { "attachment" };
    let fallback: String = original_name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' && c != '%' => c,
            _ => '_',
        })
        .collect();
    let encoded: String = original_name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The folders of a counterparty's files: its uploads, the payment requests made to it (invoice,
/// payment order, approval sheet), and the papers of its deals.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    Documents,
    PaymentRequests,
    Contracts,
    Specifications,
    Orders,
}

impl Folder {
    pub const ALL: [Folder; 5] = [
        Folder::Documents,
        Folder::PaymentRequests,
        Folder::Contracts,
        Folder::Specifications,
        Folder::Orders,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Folder::Documents => "documents",
            Folder::PaymentRequests => "payment_requests",
            Folder::Contracts => "contracts",
            Folder::Specifications => "specifications",
            Folder::Orders => "orders",
        }
    }

    /// The folder's name inside the archive (Russian, as the company files it).
    pub fn archive_name(self) -> &'static str {
        match self {
            Folder::Documents => "Документы",
            Folder::PaymentRequests => "Заявки на оплату",
            Folder::Contracts => "Договоры",
            Folder::Specifications => "Спецификации",
            Folder::Orders => "Заказы",
        }
    }

    /// The folder an item file of `owner` goes to; a task's answer files go to none.
    pub fn of(owner: FileOwner) -> Option<Folder> {
        match owner {
            FileOwner::Contract => Some(Folder::Contracts),
            FileOwner::Specification => Some(Folder::Specifications),
            FileOwner::Order => Some(Folder::Orders),
            FileOwner::Task => None,
            FileOwner::PaymentInvoice
            | FileOwner::PaymentRequest
            | FileOwner::PaymentOrder
            | FileOwner::ApprovalSheet => Some(Folder::PaymentRequests),
        }
    }
}

/// One file of an archive export: the document it belongs to and its own name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportItem {
    /// The counterparty's folder it goes under; none in a deal's archive.
    pub folder: Option<Folder>,
    pub invoice_date: chrono::NaiveDate,
    pub invoice_number: String,
    pub original_name: String,
    /// The type its content was detected as: the entry's extension follows it.
    pub mime: String,
}

/// A path part safe in any archive tool: no separators, no control or reserved characters.
fn path_part(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').to_owned();
    if cleaned.is_empty() {
        "_".to_owned()
    } else {
        cleaned
    }
}

/// Names inside the export archive: a folder per document (`2026-11-20 СЧ-101`), under its
/// counterparty folder when it has one (`Документы/2026-11-20 СЧ-101`), holding its files under
/// their original names; a name met twice in one folder gets ` (2)`, ` (3)`, ….
pub fn export_entry_names(items: &[ExportItem]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    items
        .iter()
        .map(|item| {
            let paper = path_part(&format!("{} {}", item.invoice_date, item.invoice_number));
            let folder = match item.folder {
                Some(folder) => format!("{}/{paper}", folder.archive_name()),
                None => paper,
            };
            let name = path_part(&saved_name(&item.original_name, &item.mime));
            let (stem, extension) = match name.rsplit_once('.') {
                Some((stem, ext)) if !stem.is_empty() => (stem.to_owned(), format!(".{ext}")),
                _ => (name.clone(), String::new()),
            };
            let mut candidate = format!("{folder}/{name}");
            let mut n = 2;
            while !taken.insert(candidate.to_lowercase()) {
                candidate = format!("{folder}/{stem} ({n}){extension}");
                n += 1;
            }
            candidate
        })
        .collect()
}

/// What an item file belongs to: a paper of a deal, or a task (a supplier's answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileOwner {
    Contract,
    Specification,
    Order,
    Task,
    /// A payment request's invoice.
    PaymentInvoice,
    /// A payment request's other files.
    PaymentRequest,
    /// The payment order (платёжное поручение) of a paid request: kept with the counterparty,
    /// whose cabinet shows it once paid.
    PaymentOrder,
    /// The approval sheet (лист согласования) made when the last approver approves; staff's.
    ApprovalSheet,
}

impl FileOwner {
    pub const ALL: [FileOwner; 8] = [
        FileOwner::Contract,
        FileOwner::Specification,
        FileOwner::Order,
        FileOwner::Task,
        FileOwner::PaymentInvoice,
        FileOwner::PaymentRequest,
        FileOwner::PaymentOrder,
        FileOwner::ApprovalSheet,
    ];

    /// As in the address (`/api/items/{kind}/{id}/files`) and the stored row.
    pub fn code(self) -> &'static str {
        match self {
            FileOwner::Contract => "contract",
            FileOwner::Specification => "specification",
            FileOwner::Order => "order",
            FileOwner::Task => "task",
            FileOwner::PaymentInvoice => "payment_invoice",
            FileOwner::PaymentRequest => "payment_request",
            FileOwner::PaymentOrder => "payment_order",
            FileOwner::ApprovalSheet => "approval_sheet",
        }
    }

    pub fn from_code(code: &str) -> Option<FileOwner> {
        FileOwner::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Made by the app, never uploaded (the approval sheet).
    pub fn generated(self) -> bool {
        self == FileOwner::ApprovalSheet
    }

    /// Staff attach files to anything; a supplier only to a task that is for it.
    pub fn supplier_may_attach(self) -> bool {
        self == FileOwner::Task
    }

    /// Whether the owner is a payment request (its files follow the request's rules).
    pub fn of_payment(self) -> bool {
        matches!(
            self,
            FileOwner::PaymentInvoice
                | FileOwner::PaymentRequest
                | FileOwner::PaymentOrder
                | FileOwner::ApprovalSheet
        )
    }

    /// The owner's page, for staff or for the supplier (`/staff/contracts/7`,
    /// `/cabinet/orders/7`, `/cabinet/tasks/7`, `/staff/payments/7`, `/cabinet/payments`).
    pub fn page(self, staff: bool, id: i32) -> String {
        let side = if staff { "/staff" } else { "/cabinet" };
        match self {
            _ if self.of_payment() && staff => format!("/staff/payments/{id}"),
            _ if self.of_payment() => "/cabinet/payments".to_owned(),
            _ => format!("{side}/{}s/{id}", self.code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_owners_round_trip_and_know_their_pages() {
        for owner in FileOwner::ALL {
            assert_eq!(FileOwner::from_code(owner.code()), Some(owner));
        }
        assert_eq!(FileOwner::from_code("deal"), None);
        let table = [
            (FileOwner::Contract, true, "/staff/contracts/7"),
            (FileOwner::Specification, false, "/cabinet/specifications/7"),
            (FileOwner::Order, true, "/staff/orders/7"),
            (FileOwner::Order, false, "/cabinet/orders/7"),
            (FileOwner::Task, true, "/staff/tasks/7"),
            (FileOwner::Task, false, "/cabinet/tasks/7"),
            (FileOwner::PaymentInvoice, true, "/staff/payments/7"),
            (FileOwner::PaymentOrder, true, "/staff/payments/7"),
            (FileOwner::PaymentOrder, false, "/cabinet/payments"),
        ];
        for (owner, staff, page) in table {
            assert_eq!(owner.page(staff, 7), page);
        }
        assert!(FileOwner::Task.supplier_may_attach());
        assert!(!FileOwner::Order.supplier_may_attach());
    }

    fn zip_with_first_entry(name: &[u8], data: &[u8]) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 22]);
        bytes.extend_from_slice(&(name.len() as u16).to_le_bytes());
        bytes.extend_from_slice(&[0, 0]);
        bytes.extend_from_slice(name);
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn detects_accepted_types_by_content() {
        let heic = [&[0, 0, 0, 24][..], b"ftypheic", &[0; 8]].concat();
        let webp = [&b"RIFF"[..], &[0, 0, 0, 0], b"WEBPVP8 "].concat();
        let docx = zip_with_first_entry(b"[Content_Types].xml", b"...word/document.xml...");
        let xlsx = zip_with_first_entry(b"[Content_Types].xml", b"...xl/workbook.xml...");
        let ods = zip_with_first_entry(
            b"mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        );
        let odt = zip_with_first_entry(b"mimetype", b"application/vnd.oasis.opendocument.text");
        let odp = zip_with_first_entry(
            b"mimetype",
            b"application/vnd.oasis.opendocument.presentation",
        );
        let plain_zip = zip_with_first_entry(b"invoice.exe", b"MZ");
        let table: Vec<(&str, Vec<u8>, Option<FileType>)> = vec![
            ("pdf", b"%PDF-1.7\n...".to_vec(), Some(FileType::Pdf)),
            (
                "jpeg",
                vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10],
                Some(FileType::Jpeg),
            ),
            (
                "png",
                vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0],
                Some(FileType::Png),
            ),
            ("webp", webp, Some(FileType::Webp)),
            ("heic", heic, Some(FileType::Heic)),
            ("docx", docx, Some(FileType::Docx)),
            ("xlsx", xlsx, Some(FileType::Xlsx)),
            ("ods", ods, Some(FileType::Ods)),
            ("odt", odt, Some(FileType::Odt)),
            (
                "xml",
                b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>".to_vec(),
                Some(FileType::Xml),
            ),
            (
                "xml with BOM",
                b"\xEF\xBB\xBF\n <?xml version=\"1.0\"?>".to_vec(),
                Some(FileType::Xml),
            ),
            ("windows executable", b"MZ\x90\x00\x03".to_vec(), None),
            ("linux executable", b"\x7FELF\x02\x01".to_vec(), None),
            ("shell script", b"#!/bin/sh\nrm -rf /".to_vec(), None),
            ("html", b"<html><script>".to_vec(), None),
            ("odp", odp, None),
            ("plain zip", plain_zip, None),
            (
                "mp4",
                [&[0, 0, 0, 24][..], b"ftypisom", &[0; 8]].concat(),
                None,
            ),
            ("empty", Vec::new(), None),
        ];
        for (name, head, expected) in table {
            assert_eq!(detect(&head), expected, "{name}");
        }
    }

    #[test]
    fn accepts_or_rejects_whole_files() {
        let limits = FileLimits {
            max_file_bytes: 1000,
            max_request_bytes: 5000,
        };
        let pdf = b"%PDF-1.4";
        let table = [
            (0, &pdf[..], Err(FileRejection::Empty)),
            (1001, &pdf[..], Err(FileRejection::TooBig)),
            (1000, &pdf[..], Ok(FileType::Pdf)),
            (500, &b"MZ\x90\x00"[..], Err(FileRejection::TypeNotAllowed)),
        ];
        for (size, head, expected) in table {
            assert_eq!(accept_file(size, head, limits), expected, "{size}");
        }
    }

    #[test]
    fn mime_types() {
        assert_eq!(FileType::Pdf.mime(), "application/pdf");
        assert_eq!(FileType::Heic.mime(), "image/heic");
    }

    #[test]
    fn download_names_per_rfc_6266() {
        let table = [
            (
                "invoice.pdf",
                false,
                "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf",
            ),
            (
                "Счёт 42.pdf",
                true,
                "inline; filename=\"____ 42.pdf\"; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%2042.pdf",
            ),
            (
                "a\"b\\c%.pdf",
                false,
                "attachment; filename=\"a_b_c_.pdf\"; filename*=UTF-8''a%22b%5Cc%25.pdf",
            ),
        ];
        for (name, inline, expected) in table {
            assert_eq!(content_disposition(name, inline), expected, "{name}");
        }
    }

    #[test]
    fn saved_names_end_in_the_detected_type_without_invisible_characters() {
        let pdf = "application/pdf";
        let table = [
            ("invoice.hta", pdf, "invoice.hta.pdf"),
            ("invoice.PDF", pdf, "invoice.PDF"),
            ("Счёт от 20.11", pdf, "Счёт от 20.11.pdf"),
            ("photo.JPEG", "image/jpeg", "photo.JPEG"),
            ("photo.png", "image/jpeg", "photo.png.jpg"),
            ("invoice\u{202E}fdp.exe", pdf, "invoicefdp.exe.pdf"),
            ("act\u{2067}.pdf\u{2069}", pdf, "act.pdf"),
            ("zero\u{200B}width\u{FEFF}.pdf", pdf, "zerowidth.pdf"),
            ("\u{202E}", pdf, "file.pdf"),
            ("table.xlsx", FileType::Xlsx.mime(), "table.xlsx"),
            ("unknown.bin", "application/octet-stream", "unknown.bin"),
        ];
        for (name, mime, expected) in table {
            assert_eq!(saved_name(name, mime), expected, "{name:?}");
        }
    }

    #[test]
    fn export_names_are_foldered_safe_and_unique() {
        let item = |date: &str, number: &str, name: &str| ExportItem {
            folder: None,
            invoice_date: chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            invoice_number: number.to_owned(),
            original_name: name.to_owned(),
            mime: if name.ends_with(".jpg") {
                "image/jpeg"
            } else {
                "application/pdf"
            }
            .to_owned(),
        };
        let items = [
            item("2026-11-20", "СЧ-101", "Счёт.pdf"),
            item("2026-11-20", "СЧ-101", "счёт.pdf"),
            item("2026-11-20", "СЧ-101", "Счёт.pdf"),
            item("2026-11-21", "12/34:5", "act?.jpg"),
            item("2026-11-22", "7", ".."),
            item("2026-11-22", "7", "invoice\u{202E}fdp.hta"),
        ];
        assert_eq!(
            export_entry_names(&items),
            [
                "2026-11-20 СЧ-101/Счёт.pdf",
                "2026-11-20 СЧ-101/счёт (2).pdf",
                "2026-11-20 СЧ-101/Счёт (3).pdf",
                "2026-11-21 12_34_5/act_.jpg",
                "2026-11-22 7/file.pdf",
                "2026-11-22 7/invoicefdp.hta.pdf",
            ]
        );
        // A counterparty's archive puts each paper under its folder.
        let mut foldered = item("2026-12-03", "ЗО-12", "счёт.pdf");
        foldered.folder = Some(Folder::PaymentRequests);
        let mut document = item("2026-12-03", "ЗО-12", "счёт.pdf");
        document.folder = Some(Folder::Documents);
        assert_eq!(
            export_entry_names(&[foldered, document]),
            [
                "Заявки на оплату/2026-12-03 ЗО-12/счёт.pdf",
                "Документы/2026-12-03 ЗО-12/счёт.pdf",
            ]
        );
    }

    #[test]
    fn every_paper_of_a_payment_request_goes_to_its_folder() {
        let table = [
            (FileOwner::Contract, Some(Folder::Contracts)),
            (FileOwner::Specification, Some(Folder::Specifications)),
            (FileOwner::Order, Some(Folder::Orders)),
            (FileOwner::Task, None),
            (FileOwner::PaymentInvoice, Some(Folder::PaymentRequests)),
            (FileOwner::PaymentRequest, Some(Folder::PaymentRequests)),
            (FileOwner::PaymentOrder, Some(Folder::PaymentRequests)),
            (FileOwner::ApprovalSheet, Some(Folder::PaymentRequests)),
        ];
        for (owner, folder) in table {
            assert_eq!(Folder::of(owner), folder, "{owner:?}");
        }
    }
}
