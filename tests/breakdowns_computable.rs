//! An indicator's values by a disaggregation option are published only where they are true: a value whose options add
//! up to nothing (a percentage reported directly, an element not summed over org units) is never the sum of its
//! options (W355), and a ratio whose denominator has no breakdown by the category has no value by its options (W007).
//! Round 70, found by an adversarial tester: women's 45 % and men's 50 % supported were a total of 95 %, "achieved"
//! against `>= 90`; a "female resolution rate" was female resolved cases over all received ones.
//! Fixture: `tests/fixtures/breakdowns-computable`.

use serde_json::Value;

#[path = "support/project.rs"]
mod support;

/// The fixture's rows: P9's and P8's shares by sex only, resolved cases by sex beside received ones as a total,
/// victims by sex.
fn rows() -> String {
    support::fixture("breakdowns-computable/data.csv")
}

/// `tiendo eval --format json` on the fixture's catalogue with `data`, as of 15 January 2024.
fn eval(data: &str) -> (Value, String) {
    let catalogue = support::fixture("breakdowns-computable/catalogue.toml");
    let folder = support::project(&catalogue, data, "[assessment]\nmethod = \"eurostat\"\n");
    support::eval_json(folder.path(), &["--as-of", "2024-01-15"])
}

/// Each period's value of `series` (a result's or a breakdown's), in order.
fn values(series: &Value) -> Vec<(String, f64)> {
    let points = series.as_array().map(Vec::as_slice).unwrap_or_default();
    points.iter().map(|p| (p["period"].as_str().unwrap().to_owned(), p["value"].as_f64().unwrap_or(f64::NAN))).collect()
}

/// The series of `indicator`'s breakdown by `option` at the nation.
fn option<'a>(json: &'a Value, indicator: &str, option: &str) -> &'a Value {
    let breakdowns = support::result(json, indicator, "vn")["breakdowns"].as_array().expect("breakdowns");
    &breakdowns.iter().find(|b| b["option"] == option).unwrap_or_else(|| panic!("no {option}: {breakdowns:?}"))["series"]
}

#[test]
fn the_options_of_a_value_that_does_not_add_up_are_shown_and_never_summed_into_it() {
    let (json, stderr) = eval(&rows());
    for (indicator, element) in [("support-share", "support-share"), ("support-share-element", "share_supported")] {
        let result = support::result(&json, indicator, "vn");
        assert_eq!(values(&result["series"]), [], "{indicator}: no total from 45 % + 50 %: {result}");
        assert_eq!(result["status"], "insufficient-data", "{result}");
        let female = [("2022".to_owned(), 40.0), ("2023".to_owned(), 45.0)];
        assert_eq!(values(option(&json, indicator, "female")), female, "{indicator}");
        let male = [("2022".to_owned(), 45.0), ("2023".to_owned(), 50.0)];
        assert_eq!(values(option(&json, indicator, "male")), male, "{indicator}");
        let said = format!(
            "warning[W355 options-not-added]: {element} at vn is reported by its disaggregation options only in \
             2022, 2023"
        );
        assert!(stderr.contains(&said), "{stderr}");
    }
}

#[test]
fn a_reported_total_of_such_a_value_is_its_value_beside_its_options() {
    // The total reported for 2023 is the value; 2022, reported by sex only, still has none.
    let data = format!("{}support-share,vn,2023,47.5,src,\n", rows());
    let (json, stderr) = eval(&data);
    assert_eq!(values(&support::result(&json, "support-share", "vn")["series"]), [("2023".to_owned(), 47.5)]);
    assert!(stderr.contains("support-share at vn is reported by its disaggregation options only in 2022:"), "{stderr}");
}

#[test]
fn a_count_is_still_the_sum_of_its_options() {
    let (json, _) = eval(&rows());
    assert_eq!(values(&support::result(&json, "victims-count", "vn")["series"]), [("2023".to_owned(), 55.0)]);
    assert_eq!(values(option(&json, "victims-count", "female")), [("2023".to_owned(), 30.0)]);
}

#[test]
fn a_rate_over_a_denominator_not_broken_down_has_no_values_by_option() {
    let (json, stderr) = eval(&rows());
    let result = support::result(&json, "resolution-rate", "vn");
    assert_eq!(values(&result["series"]), [("2023".to_owned(), 96.0)], "the total rate stands");
    assert!(result["breakdowns"].as_array().is_none_or(Vec::is_empty), "no 50 % and 46 % by sex: {result}");
    assert!(!stderr.contains("resolved at vn"), "resolved cases are counts, which add up: {stderr}");
    // `tiendo check` says why, at the declaration.
    let catalogue = support::fixture("breakdowns-computable/catalogue.toml");
    let folder = support::project(&catalogue, &rows(), "");
    let (code, stdout, _) = support::run_in(folder.path(), &["check"]);
    assert_eq!(code, Some(0), "a warning: {stdout}");
    assert!(
        stdout.contains(
            "warning[W007 breakdown-not-computable]: indicator `resolution-rate` is broken down by `sex`, but \
             `received` is not broken down by it"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("catalogue.toml:"), "{stdout}");
    // ... and so do `eval` and `report`, which evaluate it (round 72: they said no warning of the catalogue at all).
    let said = "warning[W007 breakdown-not-computable]: indicator `resolution-rate` is broken down by `sex`";
    assert!(stderr.contains(said), "eval: {stderr}");
    let (code, _, stderr) = support::run_in(
        folder.path(),
        &["report", "--as-of", "2024-01-15", "--window", "2021..2023", "--lang", "en", "--format", "md", "--out", "r"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains(said) && stderr.contains("needs attention: 3 warning(s)"), "report: {stderr}");
}

#[test]
fn a_breakdown_of_an_element_already_restricted_to_an_option_is_not_computed() {
    // Female victims over all victims, broken down by sex, would be female over female and female over male.
    let catalogue = support::fixture("breakdowns-computable/catalogue.toml").replace(
        "numerator = \"victims\"\ndirection = \"decrease\"",
        "numerator = \"victims[sex=female]\"\ndirection = \"decrease\"",
    );
    let folder = support::project(&catalogue, &rows(), "");
    let (_, stdout, _) = support::run_in(folder.path(), &["check"]);
    assert!(stdout.contains("but `victims[sex=female]` is already restricted to one of its options"), "{stdout}");
    let (json, _) = support::eval_json(folder.path(), &["--as-of", "2024-01-15"]);
    let result = support::result(&json, "victims-count", "vn");
    assert_eq!(values(&result["series"]), [("2023".to_owned(), 30.0)]);
    assert!(result["breakdowns"].as_array().is_none_or(Vec::is_empty), "{result}");
}
