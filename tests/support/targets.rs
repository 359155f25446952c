//! What the target tests (`tests/targets.rs`, `tests/targets_shown.rs`, `tests/targets_parts.rs`) share: the targets
//! fixture with targets added, the binary run, the JSON result of one indicator at one unit, the English Markdown
//! review and a row of its indicator table. Included by `#[path]`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// `tiendo ARGS`, without colour.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo")).args(args).env("NO_COLOR", "1").output().expect("the tiendo binary runs")
}

/// `tiendo eval --format json` of the result of `indicator` at `unit`.
pub fn result(project: &Path, indicator: &str, unit: &str, args: &[&str]) -> Value {
    let mut all = vec!["eval", project.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let output = run(&all);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == indicator && r["org_unit"] == unit)
        .unwrap_or_else(|| panic!("no result for {indicator} at {unit}"))
        .clone()
}

/// The English Markdown review of `project` with `args`, and its folder.
pub fn review(project: &Path, args: &[&str]) -> (String, PathBuf) {
    let out = project.join("out");
    let mut all = vec!["report", project.to_str().unwrap(), "--lang", "en", "--format", "md", "--out"];
    all.push(out.to_str().unwrap());
    all.extend_from_slice(args);
    let output = run(&all);
    assert!(output.status.code() != Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    (std::fs::read_to_string(out.join("review.md")).expect("review.md"), out)
}

/// The indicator table's row of `code`.
pub fn row<'a>(review: &'a str, code: &str) -> &'a str {
    review.lines().find(|l| l.starts_with(&format!("| {code} |"))).unwrap_or_else(|| panic!("no row {code}"))
}

/// A copy of the targets fixture with `province_targets` added to province C's plan and `programme_targets` to the
/// programme under review (`[[plan.target]]` blocks).
pub fn project(province_targets: &str, programme_targets: &str) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/targets");
    for file in ["tiendo.toml", "data.csv"] {
        std::fs::copy(source.join(file), folder.path().join(file)).expect("fixture copied");
    }
    let catalogue = std::fs::read_to_string(source.join("catalogue.toml")).expect("the fixture's catalogue");
    let marker = "[[plan]]\nid = \"plan-test\"";
    assert!(catalogue.contains(marker), "the fixture changed");
    let catalogue = catalogue.replace(marker, &format!("{province_targets}\n{marker}"));
    std::fs::write(folder.path().join("catalogue.toml"), format!("{catalogue}\n{programme_targets}")).unwrap();
    folder
}

/// A `[[plan.target]]` block.
pub fn target(indicator: &str, period: &str, comparator: &str, value: f64) -> String {
    format!(
        "\n[[plan.target]]\nindicator = \"{indicator}\"\nperiod = \"{period}\"\ncomparator = \"{comparator}\"\nvalue = \
         {value}\nsource = \"src\"\n"
    )
}
