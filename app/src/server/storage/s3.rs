//! Objects in an S3-compatible bucket (AWS S3, Yandex Object Storage, MinIO, Ceph…) through
//! `object_store`, which several app servers share: `<prefix>/objects/ab/abcdef…` and
//! `<prefix>/tmp/<server>/<random>.part`.
//!
//! A file is streamed to its temporary object as it arrives (a multipart upload once it passes
//! `PART_BYTES`, one request below that), hashed and counted on the way as with the local
//! directory; keeping it copies it to its hash name inside the store and deletes the temporary
//! one. A server that dies mid-upload leaves an unfinished multipart upload, which no listing
//! shows and no server can open (a bucket lifecycle rule aborts those after a day), or a
//! finished temporary object, which the sweep removes once it is older than the grace.
use std::io;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use futures::{StreamExt as _, TryStreamExt as _};
use object_store::aws::AmazonS3Builder;
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

use super::{FileStore, PendingFile, Reader, StoredObject, is_object_name, not_an_object_name};

/// What a file is buffered up to before the upload turns multipart (S3's least part is 5 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Parts of one upload in flight at once: memory per upload stays within a few parts.
const PARTS_IN_FLIGHT: usize = 2;
/// Uploads in flight on other servers are younger than this (the upload timeout is 15 min).
const GRACE: TimeDelta = TimeDelta::hours(1);

/// Where the bucket is and how to reach it; unset fields come from the usual `AWS_*`
/// environment variables.
#[derive(Clone, Debug, Default)]
pub struct S3Settings {
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub url: String,
    /// For stores other than AWS: `https://storage.yandexcloud.net`, `http://127.0.0.1:9000`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

pub struct S3Store {
    store: Arc<dyn ObjectStore>,
    bucket: String,
    prefix: String,
    /// This server's folder for temporary objects.
    server: String,
}

fn to_io(err: object_store::Error) -> io::Error {
    match err {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, err),
        other => io::Error::other(other),
    }
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> io::Result<S3Store> {
        let rest = settings.url.strip_prefix("s3://").ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "FILES_S3_URL must look like s3://bucket or s3://bucket/prefix",
            )
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "FILES_S3_URL names no bucket",
            ));
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(region) = &settings.region {
            builder = builder.with_region(region);
        }
        if let Some(key) = &settings.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &settings.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        let store = builder.build().map_err(to_io)?;
        Ok(S3Store {
            store: Arc::new(store),
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
            server: uuid::Uuid::new_v4().simple().to_string(),
        })
    }

    fn path(&self, rest: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(rest)
        } else {
            Path::from(format!("{}/{rest}", self.prefix))
        }
    }

    fn object_path(&self, sha256: &str) -> io::Result<Path> {
        if !is_object_name(sha256) {
            return Err(not_an_object_name());
        }
        Ok(self.path(&format!("objects/{}/{sha256}", &sha256[..2])))
    }

    fn temp_path(&self, temp_name: &str) -> Path {
        self.path(&format!("tmp/{}/{temp_name}", self.server))
    }
}

#[async_trait::async_trait]
impl FileStore for S3Store {
    async fn create(&self) -> io::Result<PendingFile> {
        let temp_name = format!("{}.part", uuid::Uuid::new_v4().simple());
        let path = self.temp_path(&temp_name);
        let writer = BufWriter::with_capacity(self.store.clone(), path.clone(), PART_BYTES)
            .with_max_concurrency(PARTS_IN_FLIGHT);
        let store = self.store.clone();
        Ok(PendingFile::new(
            Box::pin(writer),
            temp_name,
            Arc::new(move |_: &str| {
                // Drop cannot await: the delete runs on its own (a file never finished left no
                // object; the sweep catches what this misses).
                let (store, path) = (store.clone(), path.clone());
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(async move {
                        let _ = store.delete(&path).await;
                    });
                }
            }),
        ))
    }

    async fn keep(&self, mut file: PendingFile, sha256: &str) -> io::Result<bool> {
        file.finish().await?;
        let target = self.object_path(sha256)?;
        let temp = self.temp_path(file.temp_name());
        let fresh = match self.store.head(&target).await {
            Ok(_) => false,
            Err(object_store::Error::NotFound { .. }) => true,
            Err(err) => return Err(to_io(err)),
        };
        if fresh {
            // Inside the store: the bytes do not travel through this server again.
            self.store.copy(&temp, &target).await.map_err(to_io)?;
        }
        // Either way the temporary object goes (dropping `file` deletes it).
        drop(file);
        Ok(fresh)
    }

    async fn remove(&self, sha256: &str) -> io::Result<()> {
        match self.store.delete(&self.object_path(sha256)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(to_io(err)),
        }
    }

    async fn open(&self, sha256: &str) -> io::Result<(Reader, u64)> {
        let found = self
            .store
            .get(&self.object_path(sha256)?)
            .await
            .map_err(to_io)?;
        let size = found.meta.size;
        let stream = found.into_stream().map_err(to_io);
        Ok((Box::pin(tokio_util::io::StreamReader::new(stream)), size))
    }

    async fn sweep_temporary(&self, before: DateTime<Utc>) -> io::Result<usize> {
        let prefix = self.path("tmp");
        let stale: Vec<Path> = self
            .store
            .list(Some(&prefix))
            .try_filter(|meta| futures::future::ready(meta.last_modified < before))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(to_io)?;
        let mut removed = 0;
        for path in stale {
            match self.store.delete(&path).await {
                Ok(()) => removed += 1,
                Err(object_store::Error::NotFound { .. }) => {}
                Err(err) => return Err(to_io(err)),
            }
        }
        Ok(removed)
    }

    async fn objects(&self) -> io::Result<Vec<StoredObject>> {
        let prefix = self.path("objects");
        self.store
            .list(Some(&prefix))
            .filter_map(|meta| async move {
                match meta {
                    Ok(meta) => meta
                        .location
                        .filename()
                        .filter(|name| is_object_name(name))
                        .map(|name| {
                            Ok(StoredObject {
                                sha256: name.to_owned(),
                                stored_at: meta.last_modified,
                            })
                        }),
                    Err(err) => Some(Err(to_io(err))),
                }
            })
            .try_collect()
            .await
    }

    fn sweep_grace(&self) -> TimeDelta {
        GRACE
    }

    fn describe(&self) -> String {
        format!("S3 bucket {} prefix {:?}", self.bucket, self.prefix)
    }
}

impl S3Store {
    /// A check at start that the bucket answers and the keys are right: a small object
    /// written, read and removed.
    pub async fn check_reachable(&self) -> io::Result<()> {
        let path = self.temp_path("reachable.check");
        self.store
            .put(&path, PutPayload::from_static(b"ok"))
            .await
            .map_err(to_io)?;
        self.store.get(&path).await.map_err(to_io)?;
        self.store.delete(&path).await.map_err(to_io)?;
        Ok(())
    }
}
