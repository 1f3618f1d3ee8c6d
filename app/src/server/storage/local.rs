//! Files under a directory: `objects/ab/abcdef…` and `tmp/<random>.part`. One server owns it.
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::{FileStore, PendingFile, Reader, StoredObject, is_object_name, not_an_object_name};

pub struct LocalStore {
    root: PathBuf,
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
            return Err(not_an_object_name());
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
        Ok(PendingFile::new(
            Box::pin(file),
            temp_name,
            Arc::new(move |name: &str| {
                // Drop cannot await; removing one file is quick.
                let _ = std::fs::remove_file(temp_dir.join(name));
            }),
        ))
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
            file.kept();
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

    async fn sweep_temporary(&self, before: DateTime<Utc>) -> io::Result<usize> {
        let mut removed = 0;
        let mut entries = tokio::fs::read_dir(self.temp_dir()).await?;
        while let Some(entry) = entries.next_entry().await? {
            let written = entry
                .metadata()
                .await?
                .modified()
                .map(DateTime::<Utc>::from);
            if written.is_ok_and(|at| at < before)
                && tokio::fs::remove_file(entry.path()).await.is_ok()
            {
                removed += 1;
            }
        }
        Ok(removed)
    }

    async fn objects(&self) -> io::Result<Vec<StoredObject>> {
        let mut names = Vec::new();
        let mut shards = tokio::fs::read_dir(self.root.join("objects")).await?;
        while let Some(shard) = shards.next_entry().await? {
            if !shard.file_type().await?.is_dir() {
                continue;
            }
            let mut objects = tokio::fs::read_dir(shard.path()).await?;
            while let Some(object) = objects.next_entry().await? {
                if let Some(name) = object.file_name().to_str().filter(|n| is_object_name(n)) {
                    let stored_at = object.metadata().await?.modified()?.into();
                    names.push(StoredObject {
                        sha256: name.to_owned(),
                        stored_at,
                    });
                }
            }
        }
        Ok(names)
    }

    fn sweep_grace(&self) -> TimeDelta {
        TimeDelta::zero()
    }

    fn describe(&self) -> String {
        format!("directory {}", self.root.display())
    }
}
