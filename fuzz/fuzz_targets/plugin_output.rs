//! Fuzz target `plugin_output`: the property is `tests/fuzz_checks/mod.rs::plugin_output`, shared with the
//! regression test.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::plugin_output(data));
