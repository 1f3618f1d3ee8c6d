//! Where uploaded files live, behind a small trait: a local directory by default (`local`), or
//! an S3-compatible object store several app servers share (`s3`). Objects are named by the
//! SHA-256 of their content, so the same file is kept once and a name never reveals anything.
mod local;
mod s3;

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::io::{AsyncRead, AsyncWrite};

pub use local::LocalStore;
pub use s3::{S3Settings, S3Store};

pub type Writer = Pin<Box<dyn AsyncWrite + Send>>;
pub type Reader = Pin<Box<dyn AsyncRead + Send>>;
/// Removes a temporary file by name; the store decides how.
type Discard = Arc<dyn Fn(&str) + Send + Sync>;

/// A file being received. Until `FileStore::keep` it lives under a temporary name; dropping it
/// unkept (a failed check, a cut connection) removes it.
pub struct PendingFile {
    pub writer: Writer,
    temp_name: String,
    discard: Option<Discard>,
}

impl PendingFile {
    pub(crate) fn new(writer: Writer, temp_name: String, discard: Discard) -> PendingFile {
        PendingFile {
            writer,
            temp_name,
            discard: Some(discard),
        }
    }

    /// Kept: nothing left to discard when it is dropped.
    pub(crate) fn kept(&mut self) {
        self.discard = None;
    }

    pub fn temp_name(&self) -> &str {
        &self.temp_name
    }

    /// The whole file is written: flushes it and lets go of the handle, so a body of many parts
    /// holds no more than one file open at a time. The temporary file stays until kept or
    /// dropped.
    pub async fn finish(&mut self) -> io::Result<()> {
        use tokio::io::AsyncWriteExt as _;
        self.writer.flush().await?;
        self.writer.shutdown().await?;
        self.writer = Box::pin(tokio::io::sink());
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if let Some(discard) = self.discard.take() {
            discard(&self.temp_name);
        }
    }
}

#[async_trait::async_trait]
pub trait FileStore: Send + Sync {
    /// Starts receiving a file under a fresh temporary name.
    async fn create(&self) -> io::Result<PendingFile>;
    /// Keeps a completely received file as the object `sha256`. Returns `true` when the object
    /// is new (an identical one may already be stored).
    async fn keep(&self, file: PendingFile, sha256: &str) -> io::Result<bool>;
    /// Removes the object `sha256` (used when the database refused what it was kept for).
    async fn remove(&self, sha256: &str) -> io::Result<()>;
    /// Opens an object for reading, with its size.
    async fn open(&self, sha256: &str) -> io::Result<(Reader, u64)>;
    /// Removes temporary files last written before `before` (left by a process that stopped
    /// mid-upload); returns how many.
    async fn sweep_temporary(&self, before: DateTime<Utc>) -> io::Result<usize>;
    /// Every stored object, with when it was stored, for the sweep's check against the
    /// database.
    async fn objects(&self) -> io::Result<Vec<StoredObject>>;
    /// How long the sweep leaves young temporary files and unreferenced objects alone: another
    /// server sharing the store may be receiving them or about to commit their rows. Zero for
    /// a store that one server owns.
    fn sweep_grace(&self) -> TimeDelta;
    /// What it is, for the log at start (no secrets).
    fn describe(&self) -> String;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredObject {
    pub sha256: String,
    pub stored_at: DateTime<Utc>,
}

pub(crate) fn is_object_name(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

pub(crate) fn not_an_object_name() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not an object name")
}

/// The files folder under the data directory.
pub fn default_root(data_dir: &Path) -> PathBuf {
    data_dir.join("files")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    const SHA_A: &str = "aa00000000000000000000000000000000000000000000000000000000000001";

    fn temp_root() -> PathBuf {
        std::env::temp_dir().join(format!("kabinet-store-{}", uuid::Uuid::new_v4().simple()))
    }

    fn count_files(dir: &Path) -> usize {
        std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
    }

    #[tokio::test]
    async fn a_kept_file_is_readable_and_an_identical_one_is_stored_once() {
        let root = temp_root();
        let store = LocalStore::new(&root).unwrap();
        let mut file = store.create().await.unwrap();
        file.writer.write_all(b"%PDF-1.7 hello").await.unwrap();
        assert!(store.keep(file, SHA_A).await.unwrap());

        let mut again = store.create().await.unwrap();
        again.writer.write_all(b"%PDF-1.7 hello").await.unwrap();
        assert!(!store.keep(again, SHA_A).await.unwrap());
        assert_eq!(count_files(&root.join("tmp")), 0);

        let (mut reader, size) = store.open(SHA_A).await.unwrap();
        let mut content = String::new();
        reader.read_to_string(&mut content).await.unwrap();
        assert_eq!((content.as_str(), size), ("%PDF-1.7 hello", 14));
        let objects = store.objects().await.unwrap();
        assert_eq!(objects.len(), 1);
        assert_eq!(objects[0].sha256, SHA_A);
        store.remove(SHA_A).await.unwrap();
        assert!(store.open(SHA_A).await.is_err());
        std::fs::remove_dir_all(root).ok();
    }

    #[tokio::test]
    async fn an_unkept_file_leaves_nothing_and_the_sweep_clears_strays() {
        let root = temp_root();
        let store = LocalStore::new(&root).unwrap();
        let mut file = store.create().await.unwrap();
        file.writer.write_all(b"partial").await.unwrap();
        drop(file);
        assert_eq!(count_files(&root.join("tmp")), 0);

        std::fs::write(root.join("tmp").join("left-by-a-crash.part"), b"x").unwrap();
        let past = Utc::now() - TimeDelta::minutes(1);
        assert_eq!(store.sweep_temporary(past).await.unwrap(), 0);
        let later = Utc::now() + TimeDelta::seconds(1);
        assert_eq!(store.sweep_temporary(later).await.unwrap(), 1);
        assert_eq!(count_files(&root.join("tmp")), 0);
        std::fs::remove_dir_all(root).ok();
    }

    #[tokio::test]
    async fn names_that_are_not_hashes_are_refused() {
        let root = temp_root();
        let store = LocalStore::new(&root).unwrap();
        assert!(store.open("../../etc/passwd").await.is_err());
        assert!(store.remove("AA").await.is_err());
        std::fs::remove_dir_all(root).ok();
    }
}
