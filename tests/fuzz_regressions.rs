//! Replays every input a fuzz target once failed on (`fuzz/regressions/<target>/`), and every seed it starts from
//! (`fuzz/seeds/<target>/`), through the same property the fuzzer checks (`tests/fuzz_checks/mod.rs`), so a fixed
//! fault stays fixed and a property that cannot run is found on the ordinary test run.

mod fuzz_checks;

use std::path::Path;

/// Every input a fuzzer once failed on passes its property again.
#[test]
fn every_kept_fuzz_input_passes_its_property() {
    replay("fuzz/regressions");
}

/// Every seed of every target passes its property, and every target has seeds or kept inputs.
#[test]
fn every_fuzz_seed_passes_its_property() {
    replay("fuzz/seeds");
}

/// Replays `<folder>/<target>/*` through each target's property; a folder that names no target is refused.
fn replay(folder: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut replayed = 0;
    let mut failures = Vec::new();
    for folder in std::fs::read_dir(&root).expect("fuzz/regressions exists") {
        let folder = folder.expect("a readable folder entry").path();
        let target = folder.file_name().and_then(|n| n.to_str()).expect("a UTF-8 folder name").to_owned();
        let check = fuzz_checks::TARGETS
            .iter()
            .find(|(name, _)| *name == target)
            .unwrap_or_else(|| panic!("fuzz/regressions/{target} names no fuzz target"))
            .1;
        let mut inputs: Vec<_> =
            std::fs::read_dir(&folder).expect("a readable folder").map(|e| e.unwrap().path()).collect();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).expect("a readable input");
            if std::panic::catch_unwind(|| check(&bytes)).is_err() {
                failures.push(input.display().to_string());
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no kept fuzz input under {}", root.display());
    assert!(failures.is_empty(), "kept fuzz inputs fail their property again: {failures:#?}");
}
