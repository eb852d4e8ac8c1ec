//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root (the workspace).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A spec from the repository's `spec/` folder. Panics with a clear message when it is
/// missing: these tests must not pass silently without their input.
pub fn shared_spec(name: &str) -> (PathBuf, String) {
    let path = repo_root().join("spec").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => (path, text),
        Err(e) => panic!("the spec {} is missing ({e}); it is part of the repository", path.display()),
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
