//! `tiendo eval` on a project whose target is a judicial year (`2022Oct`, 1 Oct 2022 - 30 Sep 2023) and whose data
//! are monthly: the year is rolled up from its 12 months and compared with the judicial year before.

use std::path::PathBuf;
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/judicial-year")
}

fn eval_json(project: &std::path::Path) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(project)
        .args(["--org-unit", "vn", "--as-of", "2024-06-30", "--format", "json"])
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

fn result(json: &serde_json::Value) -> &serde_json::Value {
    json["indicators"]
        .as_array()
        .and_then(|all| all.iter().find(|r| r["indicator"] == "resolution-rate" && r["org_unit"] == "vn"))
        .expect("the resolution rate is evaluated for vn")
}

fn point<'a>(json: &'a serde_json::Value, period: &str) -> Option<&'a serde_json::Value> {
    result(json)["series"].as_array()?.iter().find(|p| p["period"] == period)
}

#[test]
fn a_judicial_year_target_is_evaluated_from_monthly_court_data() {
    let json = eval_json(&fixture());
    let year = point(&json, "2022Oct").expect("the judicial year 2022Oct has a value");
    assert_eq!(year["value"].as_f64(), Some(95.0));
    assert_eq!((year["numerator"].as_f64(), year["denominator"].as_f64()), (Some(1140.0), Some(1200.0)));
    assert_eq!(year["change"]["previous_period"], "2021Oct");
    assert_eq!(year["change"]["previous_value"].as_f64(), Some(80.0));
    assert_eq!(year["change"]["absolute"].as_f64(), Some(15.0));
    let target = &result(&json)["targets"][0];
    assert_eq!(target["period"], "2022Oct");
    assert_eq!(target["compared_period"], "2022Oct");
    assert_eq!((target["compared_value"].as_f64(), target["met"].as_bool()), (Some(95.0), Some(true)));
    // The judicial year 2023Oct has not ended by the as-of date.
    assert!(point(&json, "2023Oct").is_none());
}

#[test]
fn a_judicial_year_with_a_missing_month_has_no_value() {
    let project = tempfile::tempdir().expect("temp dir");
    for file in ["tiendo.toml", "catalogue.toml"] {
        std::fs::copy(fixture().join(file), project.path().join(file)).expect("copy the fixture");
    }
    let data = std::fs::read_to_string(fixture().join("data.csv")).expect("the fixture's data");
    let without_march: String = data.lines().filter(|l| !l.contains(",2023-03,")).map(|l| format!("{l}\n")).collect();
    assert_eq!(data.lines().count() - 2, without_march.lines().count());
    std::fs::write(project.path().join("data.csv"), without_march).expect("write data");
    let json = eval_json(project.path());
    assert!(point(&json, "2022Oct").is_none(), "11 months are not a judicial year");
    assert_eq!(point(&json, "2021Oct").and_then(|p| p["value"].as_f64()), Some(80.0));
    assert_ne!(result(&json)["targets"][0]["compared_period"], "2022Oct");
}
