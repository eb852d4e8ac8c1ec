//! A config file read as JSON and applied to the default settings.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::config_json(data));
