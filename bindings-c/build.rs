//! Generates the C header with cbindgen into OUT_DIR. The committed copy is
//! include/purecore.h; a unit test fails when the two differ. With
//! PURECORE_UPDATE_HEADER=1 the build also writes the committed copy.

#![allow(clippy::expect_used, clippy::panic, reason = "a build script reports failure by panicking")]

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=PURECORE_UPDATE_HEADER");
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let config = match cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")) {
        Ok(c) => c,
        Err(e) => panic!("cbindgen.toml: {e}"),
    };
    let bindings = match cbindgen::Builder::new().with_crate(&crate_dir).with_config(config).generate() {
        Ok(b) => b,
        Err(e) => panic!("cbindgen could not generate the header: {e}"),
    };
    bindings.write_to_file(out_dir.join("purecore.h"));
    if std::env::var("PURECORE_UPDATE_HEADER").is_ok_and(|v| v == "1") {
        bindings.write_to_file(crate_dir.join("include/purecore.h"));
    }
}
