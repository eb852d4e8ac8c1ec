//! An environment string, a gateway, and custom bases.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::environment(data));
