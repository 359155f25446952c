//! What the roll-up tests (`tests/rollups.rs`, `tests/rollups_merger.rs`, `tests/rollups_years.rs`) share: a project made of a fixture
//! catalogue of `tests/fixtures/rollups/` and a data file, evaluated by `tiendo eval --format json`, and readers of
//! its JSON. Included by `#[path]`, so each test crate uses what it needs.
#![allow(dead_code)]

use serde_json::Value;

#[path = "project.rs"]
mod project;
#[allow(unused_imports)]
pub use project::{eval_json, point, project, report, result};

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
    project::fixture(&format!("rollups/{name}"))
}

/// [`eval`] on a catalogue given as text, with suppressed values shown.
pub fn eval_catalogue(catalogue: &str, data: &str, assessment: &str, extra: &[&str]) -> (Value, String) {
    let tables = format!("[confidentiality]\nthreshold = 11\n\n[assessment]\nmethod = \"eurostat\"\n{assessment}\n");
    let folder = project::project(catalogue, data, &tables);
    let args: Vec<&str> = ["--show-suppressed"].into_iter().chain(extra.iter().copied()).collect();
    project::eval_json(folder.path(), &args)
}

/// `districts-catalogue.toml`: A and B merge into AB on 1 July 2025, C stays; B's three districts report for it.
pub fn districts(data: &str) -> (Value, String) {
    eval_on("districts-catalogue.toml", &rows(data), "", &[])
}

/// (value, reported, expected, complete) of a point.
pub fn counted(json: &Value, indicator: &str, unit: &str, period: &str) -> (Option<f64>, u64, u64, bool) {
    let p = point(json, indicator, unit, period).unwrap_or_else(|| panic!("no {indicator} at {unit} in {period}"));
    let c = &p["coverage"];
    (
        p["value"].as_f64(),
        c["reported"].as_u64().unwrap_or(1),
        c["expected"].as_u64().unwrap_or(1),
        c["complete"] != false,
    )
}

pub fn value(json: &Value, indicator: &str, unit: &str, period: &str) -> Option<f64> {
    point(json, indicator, unit, period)?["value"].as_f64()
}

pub const HEADER: &str = "data_element,org_unit,period,value,source\n";

pub fn rows(lines: &str) -> String {
    format!("{HEADER}{lines}")
}

/// `element,unit,period,value` rows: each `(unit, period, value)`.
pub fn reports(element: &str, rows: &[(&str, &str, u32)]) -> String {
    rows.iter().map(|(unit, period, value)| format!("{element},{unit},{period},{value},src\n")).collect()
}

/// Districts for AB (from its creation) and for C, appended to the fixture.
pub const MORE_DISTRICTS: &str = r#"
[[org_unit]]
id = "dist-ab1"
name = { vi = "Huyện AB1", en = "District AB1" }
level = "district"
parent = "prov-ab-2025"
valid_from = 2025-07-01

[[org_unit]]
id = "dist-c1"
name = { vi = "Huyện C1", en = "District C1" }
level = "district"
parent = "prov-c"

[[org_unit]]
id = "dist-c2"
name = { vi = "Huyện C2", en = "District C2" }
level = "district"
parent = "prov-c"
"#;
