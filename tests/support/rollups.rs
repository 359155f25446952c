//! What the roll-up tests (`tests/rollups.rs`, `tests/rollups_merger.rs`) share: a project made of a fixture
//! catalogue of `tests/fixtures/rollups/` and a data file, evaluated by `tiendo eval --format json`, and readers of
//! its JSON. Included by `#[path]`, so each test crate uses what it needs.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs `tiendo eval` on a project made of the fixture catalogue, `data` as `data.csv` and `[assessment]` lines;
/// returns the JSON and standard error.
pub fn eval(data: &str, assessment: &str, extra: &[&str]) -> (Value, String) {
    eval_on("catalogue.toml", data, assessment, extra)
}

/// [`eval`] on another catalogue of `tests/fixtures/rollups/`.
pub fn eval_on(catalogue: &str, data: &str, assessment: &str, extra: &[&str]) -> (Value, String) {
    eval_catalogue(&fixture_catalogue(catalogue), data, assessment, extra)
}

/// The text of the catalogue `name` of `tests/fixtures/rollups/`.
pub fn fixture_catalogue(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups").join(name);
    std::fs::read_to_string(path).expect("the fixture catalogue")
}

/// [`eval`] on a catalogue given as text.
pub fn eval_catalogue(catalogue: &str, data: &str, assessment: &str, extra: &[&str]) -> (Value, String) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(folder.path().join("catalogue.toml"), catalogue).expect("catalogue written");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = format!(
        "[project]\nname = {{ vi = \"Thử\", en = \"Test\" }}\nprogramme = \"plan-test\"\ncatalogue = [\"catalogue.toml\"]\n\
         data = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n\n[assessment]\nmethod = \"eurostat\"\n{assessment}\n"
    );
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder.path())
        .args(["--as-of", "2026-01-15", "--format", "json", "--show-suppressed"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON output: {e}\n{stderr}"));
    (json, stderr)
}

pub fn result<'a>(json: &'a Value, indicator: &str, unit: &str) -> &'a Value {
    json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|r| r["indicator"] == indicator && r["org_unit"] == unit)
        .unwrap_or_else(|| panic!("no result for {indicator} at {unit}"))
}

pub fn point<'a>(json: &'a Value, indicator: &str, unit: &str, period: &str) -> Option<&'a Value> {
    result(json, indicator, unit)["series"].as_array()?.iter().find(|p| p["period"] == period)
}

pub fn value(json: &Value, indicator: &str, unit: &str, period: &str) -> Option<f64> {
    point(json, indicator, unit, period)?["value"].as_f64()
}

pub const HEADER: &str = "data_element,org_unit,period,value,source\n";

pub fn rows(lines: &str) -> String {
    format!("{HEADER}{lines}")
}
