//! The storage contract, the same steps against the local directory and against a real
//! S3-compatible server on loopback: store, dedupe, read, remove, the sweep (and its grace on a
//! shared store), a file large enough for a multipart upload. Then the app itself on S3:
//! upload, download and the ZIP export.

use std::sync::Arc;

use app::server::storage::{FileStore, LocalStore};
use chrono::{TimeDelta, Utc};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::common::s3::S3Server;
use crate::common::*;

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

async fn put(store: &dyn FileStore, bytes: &[u8]) -> bool {
    let mut file = store.create().await.expect("create");
    // In pieces, as an upload arrives.
    for piece in bytes.chunks(64 * 1024) {
        file.writer.write_all(piece).await.expect("write");
    }
    store.keep(file, &sha(bytes)).await.expect("keep")
}

async fn read(store: &dyn FileStore, sha256: &str) -> (Vec<u8>, u64) {
    let (mut reader, size) = store.open(sha256).await.expect("open");
    let mut content = Vec::new();
    reader.read_to_end(&mut content).await.expect("read");
    (content, size)
}

/// The contract every store keeps.
async fn contract(store: &dyn FileStore, shared: bool) {
    let small = b"%PDF-1.7 a small invoice".to_vec();
    // Over the multipart threshold of the S3 store (8 MiB).
    let large: Vec<u8> = (0..9 * 1024 * 1024 + 17).map(|i| (i % 251) as u8).collect();

    // Store, and the same content again is stored once.
    assert!(put(store, &small).await, "a new object is fresh");
    assert!(
        !put(store, &small).await,
        "the same content is not stored twice"
    );
    assert!(put(store, &large).await);
    assert_eq!(
        read(store, &sha(&small)).await,
        (small.clone(), small.len() as u64)
    );
    let (content, size) = read(store, &sha(&large)).await;
    assert_eq!(size, large.len() as u64);
    assert!(content == large, "the large object reads back whole");

    let mut names: Vec<String> = store
        .objects()
        .await
        .expect("objects")
        .into_iter()
        .map(|o| o.sha256)
        .collect();
    names.sort();
    let mut expected = vec![sha(&small), sha(&large)];
    expected.sort();
    assert_eq!(names, expected, "no temporary copy is listed as an object");

    // Not names: refused, never a path outside the store.
    assert!(store.open("../../etc/passwd").await.is_err());
    assert!(store.remove("AA").await.is_err());

    // An unfinished upload dropped leaves nothing to open.
    let mut dropped = store.create().await.expect("create");
    dropped.writer.write_all(b"partial").await.expect("write");
    drop(dropped);

    // The sweep: with a grace (a shared store) a young temporary file stays, since another
    // server may be receiving it; past the grace it goes.
    let mut in_flight = store.create().await.expect("create");
    in_flight
        .writer
        .write_all(b"in flight")
        .await
        .expect("write");
    in_flight.finish().await.expect("finish");
    let now = Utc::now();
    let swept_now = store
        .sweep_temporary(now - store.sweep_grace())
        .await
        .expect("sweep");
    if shared {
        assert_eq!(store.sweep_grace(), TimeDelta::hours(1));
        assert_eq!(swept_now, 0, "a shared store's young temporary file stays");
    } else {
        assert!(
            swept_now >= 1,
            "one server's own store sweeps every temporary file"
        );
    }
    let later = now + TimeDelta::hours(2);
    let swept_later = store.sweep_temporary(later).await.expect("sweep");
    if shared {
        assert_eq!(swept_later, 1, "past the grace the temporary file goes");
    }
    drop(in_flight);

    // Remove.
    store.remove(&sha(&small)).await.expect("remove");
    assert!(store.open(&sha(&small)).await.is_err());
    store
        .remove(&sha(&small))
        .await
        .expect("removing twice is fine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_store_keeps_the_contract() {
    let root =
        std::env::temp_dir().join(format!("kabinet-store-{}", uuid::Uuid::new_v4().simple()));
    let store = LocalStore::new(&root).expect("store");
    contract(&store, false).await;
    std::fs::remove_dir_all(root).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_s3_store_keeps_the_contract() {
    let server = S3Server::start().await;
    let store = server.store("contract");
    store.check_reachable().await.expect("bucket reachable");
    contract(&store, true).await;
    // Two stores on one bucket (two app servers) see each other's objects.
    let other = server.store("contract");
    let bytes = b"%PDF-1.7 from server A".to_vec();
    assert!(put(&store, &bytes).await);
    assert_eq!(read(&other, &sha(&bytes)).await.0, bytes);
    assert!(
        !put(&other, &bytes).await,
        "B finds A's object and stores none"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_s3_keys_are_refused_at_start() {
    let server = S3Server::start().await;
    let mut settings = server.settings("keys");
    settings.secret_access_key = Some("not-the-secret".to_owned());
    let store = app::server::storage::S3Store::new(&settings).expect("settings parse");
    assert!(store.check_reachable().await.is_err());
    let mut settings = server.settings("x");
    settings.url = "bucket-without-scheme".to_owned();
    assert!(app::server::storage::S3Store::new(&settings).is_err());
}

on_both_databases!(the_app_uploads_downloads_and_exports_through_s3);

async fn the_app_uploads_downloads_and_exports_through_s3(app: TestApp) {
    let server = S3Server::start().await;
    let app = app.with_store(Arc::new(server.store("app")));
    let a = app.session(SUPPLIER_A).await;
    let mut parts = invoice_fields("СЧ-S3");
    let content = pdf("on s3");
    parts.push(Part::File {
        field: "files",
        file_name: "счёт.pdf",
        content: content.clone(),
    });
    let response = app.upload(&parts, &a).await;
    assert_eq!(
        response.status,
        http::StatusCode::CREATED,
        "{}",
        response.body
    );
    // Nothing in the local folder: the bytes went to the bucket.
    assert!(app.stored_files().is_empty());
    let id = app.scalar("SELECT MAX(id) AS n FROM document_files").await;
    let download = app
        .get(&format!("/files/{id}?download=1"), Some(&a), "ru")
        .await;
    assert_eq!(download.status, http::StatusCode::OK);
    assert_eq!(download.bytes, content);

    let manager = app.session(MANAGER).await;
    let counterparty = app
        .scalar("SELECT counterparty_id AS n FROM users WHERE email = 'supplier@romashka.demo'")
        .await;
    let export = app
        .get(
            &format!("/api/staff/counterparties/{counterparty}/export"),
            Some(&manager),
            "ru",
        )
        .await;
    assert_eq!(export.status, http::StatusCode::OK, "{}", export.body);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(export.bytes)).expect("a ZIP");
    let mut found = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        if entry.name().ends_with("счёт.pdf") {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read entry");
            assert_eq!(bytes, content);
            found = true;
        }
    }
    assert!(found, "the S3 file is in the export");
}
