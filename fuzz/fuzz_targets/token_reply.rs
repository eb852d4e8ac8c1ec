//! The body of a successful token reply.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::token_reply(data));
