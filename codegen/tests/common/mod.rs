//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root (the workspace).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A spec from `shared/genesys-platform-api/` beside the repository. Panics with a clear
/// message when it is missing: these tests must not pass silently without their input.
pub fn shared_spec(name: &str) -> (PathBuf, String) {
    let path = repo_root().join("../shared/genesys-platform-api").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => (path, text),
        Err(e) => panic!(
            "the shared spec {} is missing ({e}); these tests need shared/ beside the repository \
             (as on the CI machine), so they fail rather than pass without it",
            path.display()
        ),
    }
}

/// A fresh, empty directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "purecore-codegen-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
