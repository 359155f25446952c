//! What the data warnings tell a reader about hidden counts (methodology §7). Round 71, found by an adversarial
//! tester: W350 ("Viet Nam's own report is less than what the units below it report") told every reader that A's
//! hidden victims were more than 85 - 40 - 36 = 9, and so, below the threshold of 11, exactly 10, while the audit,
//! which did not use a relation whose parts exceed the total, said "protected"
//! (`tests/fixtures/disclosure-warnings/beyond-total`); and W350 about `received`, a count that is not sensitive but
//! that the audit hid at A so that `victims <= received` would not narrow A's hidden victims to 1-3, quoted it
//! (`tests/fixtures/disclosure-warnings/bounding-count`).

use std::path::{Path, PathBuf};

use serde_json::Value;

#[path = "support/project.rs"]
mod support;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-warnings").join(name)
}

/// The states of V1's 2022 points by unit, from `eval --format json`.
fn states_2022(json: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for result in json["indicators"].as_array().expect("indicators") {
        for point in result["series"].as_array().expect("series").iter().filter(|p| p["period"] == "2022") {
            let state = point["state"].as_str().unwrap_or("value").to_owned();
            out.push((result["org_unit"].as_str().unwrap().to_owned(), state));
        }
    }
    out.sort();
    out
}

#[test]
fn parts_beyond_their_total_hide_a_cell_beside_the_small_count() {
    let (code, stdout, stderr) =
        support::run_in(&fixture("beyond-total"), &["eval", ".", "--as-of", "2024-06-01", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("W350"), "the warning is still given: {stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["disclosure"]["verdict"], "protected");
    assert_eq!(json["disclosure"]["secondary"], 1);
    let states = states_2022(&json);
    assert!(states.contains(&("prov-a".to_owned(), "suppressed".to_owned())), "{states:?}");
    let hidden_beside = states.iter().filter(|(unit, state)| unit != "prov-a" && state == "suppressed").count();
    assert_eq!(hidden_beside, 1, "one of B, C and Viet Nam is hidden too: {states:?}");
}

#[test]
fn a_warning_quotes_no_value_of_any_count_where_small_counts_are_suppressed() {
    let folder = fixture("bounding-count");
    let (code, stdout, stderr) = support::run_in(&folder, &["eval", ".", "--as-of", "2024-06-01"]);
    assert_eq!(code, Some(0), "{stderr}");
    let w350 = stderr.lines().find(|l| l.contains("W350") && l.contains("received")).expect("W350 on received");
    assert!(w350.contains("the values are withheld"), "{w350}");
    for quoted in ["130", "133", "prov-a 3", "60", "70"] {
        assert!(!w350.contains(quoted), "{quoted} in {w350}");
    }
    assert!(stdout.contains("suppressed"), "{stdout}");
    // For internal use the values are shown.
    let (_, _, shown) = support::run_in(&folder, &["eval", ".", "--as-of", "2024-06-01", "--show-suppressed"]);
    assert!(shown.contains("(prov-a 3, prov-b 60, prov-c 70)"), "{shown}");
}
