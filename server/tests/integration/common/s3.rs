//! A real S3-compatible server on loopback (s3s-fs: a bucket is a folder), started by the test
//! that needs it and stopped with it.
use std::path::PathBuf;

use app::server::storage::{S3Settings, S3Store};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;

pub const ACCESS_KEY: &str = "kabinet-test-key";
pub const SECRET_KEY: &str = "kabinet-test-secret";

pub struct S3Server {
    pub endpoint: String,
    pub bucket: String,
    root: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl S3Server {
    pub async fn start() -> S3Server {
        let root =
            std::env::temp_dir().join(format!("kabinet-s3-{}", uuid::Uuid::new_v4().simple()));
        let bucket = "kabinet-files".to_owned();
        std::fs::create_dir_all(root.join(&bucket)).expect("bucket folder");
        let fs = s3s_fs::FileSystem::new(&root).expect("s3s-fs");
        let service = {
            let mut builder = s3s::service::S3ServiceBuilder::new(fs);
            builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
            builder.build()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("S3 port");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let connection = http
                    .serve_connection(TokioIo::new(socket), service.clone())
                    .into_owned();
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
        });
        S3Server {
            endpoint,
            bucket,
            root,
            task,
        }
    }

    pub fn settings(&self, prefix: &str) -> S3Settings {
        S3Settings {
            url: format!("s3://{}/{prefix}", self.bucket),
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".to_owned()),
            access_key_id: Some(ACCESS_KEY.to_owned()),
            secret_access_key: Some(SECRET_KEY.to_owned()),
        }
    }

    pub fn store(&self, prefix: &str) -> S3Store {
        S3Store::new(&self.settings(prefix)).expect("S3 store")
    }

    /// The environment a server process needs to use this store.
    pub fn env(&self, prefix: &str) -> Vec<(&'static str, String)> {
        vec![
            ("FILES_S3_URL", format!("s3://{}/{prefix}", self.bucket)),
            ("FILES_S3_ENDPOINT", self.endpoint.clone()),
            ("FILES_S3_REGION", "us-east-1".to_owned()),
            ("FILES_S3_ACCESS_KEY_ID", ACCESS_KEY.to_owned()),
            ("FILES_S3_SECRET_ACCESS_KEY", SECRET_KEY.to_owned()),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
