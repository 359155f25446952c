//! Fuzz target `csv`: the property is `tests/fuzz_checks/mod.rs::csv`, shared with the regression test.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::csv(data));
