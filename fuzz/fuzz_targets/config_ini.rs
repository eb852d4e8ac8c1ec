//! A config file read as INI and applied to the default settings.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecore::fuzzing::config_ini(data));
