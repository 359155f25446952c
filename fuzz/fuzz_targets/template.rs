//! Fuzz target `template`: the property is `tests/fuzz_checks/mod.rs::template`, shared with the regression test.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::template(data));
