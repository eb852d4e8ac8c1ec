//! Response headers: rate-limit headers, Retry-After, correlation id.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::headers(data));
