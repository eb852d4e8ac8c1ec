//! Runs tests/check_generated.sh (tsc --strict, node, py_compile, mypy, go vet/test) on the
//! committed output. Ignored by default because it needs node/npx, python3 and go:
//! `cargo test -p purecore-codegen --test check_generated -- --ignored`.
#![allow(clippy::unwrap_used)]

#[test]
#[ignore = "needs node/npx, python3 and go on PATH"]
fn generated_code_compiles_in_every_language() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_generated.sh");
    let status = std::process::Command::new("bash").arg(script).status().unwrap();
    assert!(status.success(), "tests/check_generated.sh failed");
}
