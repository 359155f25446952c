//! What several CLI tests share: the frozen example project, and its `tiendo.toml` as seen from another folder.

use std::path::PathBuf;

/// The frozen example, relative to the repository root.
pub const FROZEN_EXAMPLE: &str = "tests/fixtures/frozen-example/examples/vietnam-2021-2025";

/// The example project as it was before issue 12 (real national figures, synthetic provinces, three plugins), frozen
/// with its catalogue under `tests/fixtures/frozen-example/` so that tests keep a defined input while `examples/`
/// and `indicators/` change.
pub fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FROZEN_EXAMPLE)
}

/// The example's `tiendo.toml` for a project in another folder: the catalogue, data files and plugins it names are
/// given as absolute paths into the example, except the data files in `local` (such as `data/national.csv`), which
/// stay relative so that the test can write its own.
pub fn relocated_manifest(local: &[&str]) -> String {
    let example = example();
    let absolute = |relative: &str| example.join(relative).display().to_string().replace('\\', "/");
    let mut manifest = std::fs::read_to_string(example.join("tiendo.toml"))
        .expect("the example's tiendo.toml")
        .replace("\"../../indicators\"", &format!("{:?}", absolute("../../indicators")))
        .replace("\"catalogue\"", &format!("{:?}", absolute("catalogue")));
    for folder in ["data/", "plugins/"] {
        manifest = manifest.replace(&format!("\"{folder}"), &format!("\"{}/{folder}", absolute("")));
    }
    for path in local {
        manifest = manifest.replace(&format!("\"{}/{path}\"", absolute("")), &format!("\"{path}\""));
    }
    manifest
}
