//! A Retry-After header value.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::retry_after(data));
