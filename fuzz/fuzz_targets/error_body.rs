//! A failed reply's body (Error::from_response and Error::from_token_response).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::error_body(data));
