//! The multipart receiver of every upload route, fed arbitrary bodies: no panic; never more
//! than the file limit accepted, nor more bytes than the limits allow; and no temporary file
//! is left behind, whatever the body held or where it was cut.
#![no_main]
use std::sync::OnceLock;

use app::domain::files::FileLimits;
use app::domain::upload::MAX_FILES_PER_SUBMISSION;
use app::server::file_routes::fuzzing::receive_body;
use app::server::storage::{FileStore, LocalStore};
use libfuzzer_sys::fuzz_target;

struct World {
    runtime: tokio::runtime::Runtime,
    store: LocalStore,
    root: std::path::PathBuf,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("kabinet-fuzz-{}", std::process::id()));
        let store = LocalStore::new(&root).expect("a store in the temporary directory");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        World { runtime, store, root }
    })
}

/// Small limits, so that the fuzzer reaches them.
const LIMITS: FileLimits = FileLimits {
    max_file_bytes: 4096,
    max_request_bytes: 64 * 1024,
};

fuzz_target!(|body: &[u8]| {
    let world = world();
    let outcome = world.runtime.block_on(receive_body(
        &world.store as &dyn FileStore,
        "XyZ",
        body.to_vec(),
        LIMITS,
    ));
    if let Ok(outcome) = outcome {
        assert!(outcome.files + outcome.problems <= MAX_FILES_PER_SUBMISSION + 1);
        assert!(outcome.bytes_accepted <= LIMITS.max_request_bytes);
    }
    // Nothing was kept, so nothing may stay: every temporary file went with its part.
    let left = std::fs::read_dir(world.root.join("tmp"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "a temporary file outlived its body");
});
