//! Where uploaded files live, behind a small trait: a local directory by default; an
//! S3-compatible store can implement the same four steps. Objects are named by the SHA-256 of
//! their content, so the same file is kept once and a name never reveals anything.
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};

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
    /// Removes temporary files left by a process that stopped mid-upload; run at start.
    async fn sweep_temporary(&self) -> io::Result<usize>;
    /// Every stored object's name, for the start-up check against the database.
    async fn object_names(&self) -> io::Result<Vec<String>>;
}

/// Files under a directory: `objects/ab/abcdef…` and `tmp/<random>.part`.
pub struct LocalStore {
    root: PathBuf,
}

fn is_object_name(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

impl LocalStore {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<LocalStore> {
        let root = root.into();
        std::fs::create_dir_all(root.join("objects"))?;
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(LocalStore { root })
    }

    fn temp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    fn object_path(&self, sha256: &str) -> io::Result<PathBuf> {
        if !is_object_name(sha256) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not an object name",
            ));
        }
        Ok(self.root.join("objects").join(&sha256[..2]).join(sha256))
    }
}

#[async_trait::async_trait]
impl FileStore for LocalStore {
    async fn create(&self) -> io::Result<PendingFile> {
        let temp_name = format!("{}.part", uuid::Uuid::new_v4().simple());
        let path = self.temp_dir().join(&temp_name);
        let file = tokio::fs::File::create(&path).await?;
        let temp_dir = self.temp_dir();
        Ok(PendingFile {
            writer: Box::pin(file),
            temp_name,
            discard: Some(Arc::new(move |name: &str| {
                // Drop cannot await; removing one file is quick.
                let _ = std::fs::remove_file(temp_dir.join(name));
            })),
        })
    }

    async fn keep(&self, mut file: PendingFile, sha256: &str) -> io::Result<bool> {
        file.finish().await?;
        let temp = self.temp_dir().join(file.temp_name());
        let target = self.object_path(sha256)?;
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let fresh = !tokio::fs::try_exists(&target).await?;
        if fresh {
            // The data must be on disk before the name points at it.
            tokio::fs::File::open(&temp).await?.sync_all().await?;
            tokio::fs::rename(&temp, &target).await?;
            // Kept: nothing left to discard.
            file.discard = None;
        }
        // Not fresh: dropping `file` removes the identical temporary copy.
        Ok(fresh)
    }

    async fn remove(&self, sha256: &str) -> io::Result<()> {
        match tokio::fs::remove_file(self.object_path(sha256)?).await {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }

    async fn open(&self, sha256: &str) -> io::Result<(Reader, u64)> {
        let file = tokio::fs::File::open(self.object_path(sha256)?).await?;
        let size = file.metadata().await?.len();
        Ok((Box::pin(file), size))
    }

    async fn sweep_temporary(&self) -> io::Result<usize> {
        let mut removed = 0;
        let mut entries = tokio::fs::read_dir(self.temp_dir()).await?;
        while let Some(entry) = entries.next_entry().await? {
            if tokio::fs::remove_file(entry.path()).await.is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    async fn object_names(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        let mut shards = tokio::fs::read_dir(self.root.join("objects")).await?;
        while let Some(shard) = shards.next_entry().await? {
            if !shard.file_type().await?.is_dir() {
                continue;
            }
            let mut objects = tokio::fs::read_dir(shard.path()).await?;
            while let Some(object) = objects.next_entry().await? {
                if let Some(name) = object.file_name().to_str().filter(|n| is_object_name(n)) {
                    names.push(name.to_owned());
                }
            }
        }
        Ok(names)
    }
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
        assert_eq!(store.object_names().await.unwrap(), vec![SHA_A.to_owned()]);
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
        assert_eq!(store.sweep_temporary().await.unwrap(), 1);
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
