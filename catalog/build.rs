//! Deflates the embedded data files into `OUT_DIR` (`data/operations.json`, and
//! `data/models.json` with the `models` feature): the binaries carry about a tenth of the
//! bytes, and the crate inflates each file once, on first use. Nothing binary is committed.

#![allow(clippy::expect_used, clippy::panic, reason = "a build script reports failure by panicking")]

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut files = vec!["operations.json"];
    if env::var_os("CARGO_FEATURE_MODELS").is_some() {
        files.push("models.json");
    }
    println!("cargo:rerun-if-changed=build.rs");
    for name in files {
        let src = dir.join("data").join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read(&src).unwrap_or_else(|e| {
            panic!("{}: {e} (restore it with `git checkout catalog/data`, then run scripts/codegen)", src.display())
        });
        let packed = miniz_oxide::deflate::compress_to_vec(&text, 9);
        let dst = out.join(format!("{name}.deflate"));
        fs::write(&dst, packed).unwrap_or_else(|e| panic!("{}: {e}", dst.display()));
    }
}
