//! What the counterparties server functions exchange with the browser.
use crate::domain::counterparty::Requisites;
use crate::model::home::DocumentRow;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyRow {
    pub id: i32,
    pub name: String,
    pub inn: String,
    pub block_mode: crate::domain::settlements::BlockMode,
    pub responsible_manager: Option<String>,
    pub documents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyPage {
    pub rows: Vec<CounterpartyRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i32,
    pub name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyUser {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub active: bool,
}

/// A staff member who can be made responsible for a counterparty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manager {
    pub id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyDetails {
    pub id: i32,
    pub requisites: Requisites,
    pub responsible_manager: Option<String>,
    pub contacts: Vec<Contact>,
    pub users: Vec<CounterpartyUser>,
    /// The latest documents, newest first.
    pub documents: Vec<DocumentRow>,
    pub document_count: u64,
}

/// The signed-in supplier's counterparty and its contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnContacts {
    pub counterparty_id: i32,
    pub contacts: Vec<Contact>,
}

/// A counterparty's files in folders, as its "Files" page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterpartyFiles {
    pub id: i32,
    pub name: String,
    pub folders: Vec<FileFolder>,
}

/// One folder: its papers, each with its files. Every folder is listed, empty or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFolder {
    pub folder: crate::domain::files::Folder,
    pub papers: Vec<FolderPaper>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderPaper {
    pub date: chrono::NaiveDate,
    pub number: String,
    /// The paper's page for staff.
    pub page: String,
    pub files: Vec<FolderFileView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderFileView {
    pub name: String,
    pub size_bytes: i64,
    /// Where it opens (add `?download=1` to save it).
    pub href: String,
}
