//! An implicit-grant or code-grant redirect, with the expected state.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::redirect(data));
