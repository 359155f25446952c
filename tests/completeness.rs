//! Completeness expects every period of a data set's type that had ended by the as-of date, from the first anyone
//! reported: a monthly form that both provinces sent for January to March 2024 only read "3 of 3, 100 %" on 1 March
//! 2025, where 12 months were due (methodology §6; round 60, found by a review helper). Fixture:
//! `tests/fixtures/completeness-trailing`.

#[path = "support/project.rs"]
mod support;

#[test]
fn the_months_nobody_reported_after_the_last_report_are_expected() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/completeness-trailing");
    let (json, stderr) = support::eval_json(&folder, &["--as-of", "2025-03-01", "--period", "2024"]);
    let completeness = &json["completeness"][0];
    assert_eq!((&completeness["expected"], &completeness["received"]), (&24.into(), &6.into()), "{stderr}");
    for unit in completeness["org_units"].as_array().expect("per unit") {
        assert_eq!((&unit["expected"], &unit["received"], &unit["rate"]), (&12.into(), &3.into(), &25.0.into()));
    }
    // Without a window, the months up to the as-of date are due too: January 2024 to February 2025.
    let (json, _) = support::eval_json(&folder, &["--as-of", "2025-03-01"]);
    assert_eq!(json["completeness"][0]["expected"], 28);
}
