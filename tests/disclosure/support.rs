//! The helpers of the disclosure tests: running `tiendo eval` on a project of the fixture catalogue, and reading
//! what its output publishes.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
/// Runs `tiendo eval` on a project of the fixture catalogue and `data`; returns standard output and error.
pub(crate) fn eval(data: &str, format: &str) -> (String, String) {
    eval_with("", data, format)
}

/// [`eval`] with `extra` TOML added to the fixture catalogue.
pub(crate) fn eval_with(extra: &str, data: &str, format: &str) -> (String, String) {
    eval_with_args(extra, data, format, &[])
}

/// A project of the catalogue `tests/fixtures/<fixture>/catalogue.toml` with `extra` TOML after it, `data` and a
/// threshold of 11; the folder is removed when the value is dropped.
pub(crate) fn project(fixture: &str, extra: &str, data: &str) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{fixture}/catalogue.toml"));
    let catalogue = std::fs::read_to_string(catalogue).expect("the fixture catalogue");
    std::fs::write(folder.path().join("catalogue.toml"), catalogue + extra).expect("catalogue written");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    folder
}

/// [`eval_with`] with more arguments to `tiendo eval` (`--org-unit c2`).
pub(crate) fn eval_with_args(extra: &str, data: &str, format: &str, args: &[&str]) -> (String, String) {
    let folder = project("disclosure", extra, data);
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder.path())
        .args(["--as-of", "2026-01-15", "--format", format])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

pub(crate) fn eval_json(data: &str) -> Value {
    eval_json_with("", data)
}

pub(crate) fn eval_json_with(extra: &str, data: &str) -> Value {
    let (stdout, stderr) = eval_with(extra, data, "json");
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON output: {e}\n{stderr}"));
    // Nothing published tells a primary cell from a secondary one: every hidden point says "suppressed" and
    // carries no value; only the audit's counts name the two kinds.
    let mut states = Vec::new();
    collect_states(&json, &mut states);
    assert!(states.iter().any(|s| s == "suppressed"), "something is hidden in every case here");
    for state in &states {
        assert!(!state.contains("secondary") && !state.contains("primary"), "a state names the kind: {state}");
    }
    assert!(!stdout.contains("suppressed-secondary"), "{stdout}");
    json
}

/// Every `state` field anywhere in the evaluation JSON.
pub(crate) fn collect_states(json: &Value, out: &mut Vec<String>) {
    match json {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("state", Value::String(state)) => out.push(state.clone()),
                    _ => collect_states(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_states(item, out)),
        _ => {}
    }
}

/// The published value of the total (`option` None) or of a breakdown option; `None` when hidden or absent.
pub(crate) fn published(json: &Value, unit: &str, period: &str, option: Option<&str>) -> Option<f64> {
    let result =
        json["indicators"].as_array()?.iter().find(|r| r["indicator"] == "victims-count" && r["org_unit"] == unit)?;
    let series = match option {
        None => &result["series"],
        Some(option) => &result["breakdowns"].as_array()?.iter().find(|b| b["option"] == option)?["series"],
    };
    let point = series.as_array()?.iter().find(|p| p["period"] == period)?;
    point["value"].as_f64()
}

/// The victims count's result at `unit` in the eval JSON.
pub(crate) fn victims_result<'j>(json: &'j Value, unit: &str) -> &'j Value {
    json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "victims-count" && r["org_unit"] == unit)
        .unwrap_or_else(|| panic!("no victims count at {unit}"))
}

pub(crate) fn state(json: &Value, unit: &str, period: &str, option: Option<&str>) -> String {
    let result = victims_result(json, unit);
    let series = match option {
        None => &result["series"],
        Some(option) => {
            &result["breakdowns"].as_array().unwrap().iter().find(|b| b["option"] == option).unwrap()["series"]
        }
    };
    let point = series.as_array().unwrap().iter().find(|p| p["period"] == period).unwrap();
    point["state"].as_str().unwrap().to_owned()
}

pub(crate) fn assert_protected(json: &Value, primary: u64) {
    let audit = &json["disclosure"];
    assert_eq!(audit["verdict"], "protected", "{audit}");
    assert_eq!(audit["primary"], primary, "{audit}");
    assert!(audit["secondary"].as_u64().unwrap() >= 1, "{audit}");
    assert_eq!(audit["unprotected"], 0, "{audit}");
}

pub(crate) const HEADER: &str = "data_element,org_unit,period,sex,age_group,value,source\n";

/// Whether a reader can pin a hidden cell with the true equation `total = sum of parts`: exactly one of its
/// members hidden (the others published) gives that one by subtraction.
pub(crate) fn pinned_by(json: &Value, members: &[(&str, &str)]) -> bool {
    members.iter().filter(|(unit, period)| published(json, unit, period, None).is_none()).count() == 1
}

/// The published value, numerator and denominator of the share supported (`supported / victims`, both sensitive)
/// at `unit` in 2023; all `None` when hidden.
pub(crate) fn share(json: &Value, unit: &str) -> [Option<f64>; 3] {
    share_in(json, unit, "2023")
}

/// The share of `unit` in `period`: value, numerator, denominator.
pub(crate) fn share_in(json: &Value, unit: &str, period: &str) -> [Option<f64>; 3] {
    let point = json["indicators"].as_array().and_then(|results| {
        let result = results.iter().find(|r| r["indicator"] == "supported-share" && r["org_unit"] == unit)?;
        result["series"].as_array()?.iter().find(|p| p["period"] == period).cloned()
    });
    let field = |name: &str| point.as_ref().and_then(|p| p[name].as_f64());
    [field("value"), field("numerator"), field("denominator")]
}

/// The hidden-or-published values of the victims count at the country for `periods`.
pub(crate) fn country(json: &Value, periods: &[&str]) -> Vec<Option<f64>> {
    periods.iter().map(|p| published(json, "vn", p, None)).collect()
}

/// C's `supported` in `period` is hidden, and so is one more of what would give it back: `others` (the other
/// units of the country's sum) or the country itself; a hidden numerator is a hidden share too.
pub(crate) fn assert_no_small_count_pinned(json: &Value, period: &str, others: &[&str]) {
    let numerator = |unit: &str| share_in(json, unit, period)[1];
    assert_eq!(numerator("prov-c"), None, "C's 5 is hidden");
    let hidden: Vec<&str> = others.iter().copied().filter(|unit| numerator(unit).is_none()).collect();
    assert!(!hidden.is_empty() || numerator("vn").is_none(), "all published: C = {:?} - the rest", numerator("vn"));
    for unit in hidden {
        assert_eq!(share_in(json, unit, period)[0], None, "{unit}'s share would give its numerator back");
    }
}

/// `tiendo eval FOLDER --as-of 2026-01-15 --format json`: the JSON and standard error.
pub(crate) fn support_eval(folder: &Path) -> (Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder)
        .args(["--as-of", "2026-01-15", "--format", "json"])
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{stderr}")), stderr)
}
