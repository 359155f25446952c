//! How values combine over time and over org units where the catalogue does not spell it out, end to end through
//! `tiendo eval --format json` (`docs/methodology.md`, section 2.6): an indicator reported directly combines by its
//! measure (a count adds up, a rank or yes/no answer is the latest, a percentage is not combined), and a yes/no
//! element stays 0 or 1. Round 43: a directly reported count took its last quarter as the year (Q1-Q4 of 10, 20, 30
//! and 40 gave 40, "not met" against `>= 80`), and four quarters of "yes" made a year of 4.

use serde_json::Value;

#[path = "support/project.rs"]
mod support;

/// `tiendo eval` on a project of the fixture catalogue with `lines` (after the header) as `data.csv`.
fn eval(lines: &str) -> Value {
    let catalogue = support::fixture("combining/catalogue.toml");
    let data = format!("data_element,org_unit,period,value,source\n{lines}");
    let folder = support::project(&catalogue, &data, "");
    let (json, stderr) = support::eval_json(folder.path(), &[]);
    assert!(json["indicators"].is_array(), "{stderr}");
    json
}

/// `tiendo check` on a project of `catalogue` with `lines` (after the header) as `data.csv`: whether it passed, and
/// its report.
fn check(catalogue: &str, lines: &str) -> (bool, String) {
    let folder = support::project(catalogue, &format!("data_element,org_unit,period,value,source\n{lines}"), "");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("check")
        .arg(folder.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The value of `indicator` at `unit` in `period`, `None` when there is no such result, point or value.
fn value(json: &Value, indicator: &str, unit: &str, period: &str) -> Option<f64> {
    let result =
        json["indicators"].as_array()?.iter().find(|r| r["indicator"] == indicator && r["org_unit"] == unit)?;
    let point = result["series"].as_array()?.iter().find(|p| p["period"] == period)?;
    point["value"].as_f64()
}

/// (case, data, indicator, unit, period, the value a reader must get)
type Case = (&'static str, String, &'static str, &'static str, &'static str, Option<f64>);

#[test]
fn values_reported_directly_and_yes_no_answers_combine_by_their_measure() {
    let quarters = |id: &str, unit: &str, values: [u32; 4]| -> String {
        values.iter().enumerate().map(|(q, v)| format!("{id},{unit},2024Q{},{v},src\n", q + 1)).collect()
    };
    let cases: [Case; 11] = [
        (
            "a count's year is its quarters' sum",
            quarters("cases", "vn", [10, 20, 30, 40]),
            "cases",
            "vn",
            "2024",
            Some(100.0),
        ),
        (
            "a count's half is its quarters' sum",
            quarters("cases", "vn", [10, 20, 30, 40]),
            "cases",
            "vn",
            "2024S2",
            Some(70.0),
        ),
        (
            "a country's count is its provinces'",
            "cases,pa,2024,10,src\ncases,pb,2024,20,src\n".into(),
            "cases",
            "vn",
            "2024",
            Some(30.0),
        ),
        (
            "a percentage's year is not its quarters'",
            quarters("share", "vn", [60, 80, 100, 100]),
            "share",
            "vn",
            "2024",
            None,
        ),
        (
            "a percentage reported for the year is the year's",
            "share,vn,2024,75,src\n".into(),
            "share",
            "vn",
            "2024",
            Some(75.0),
        ),
        (
            "a country's percentage is not its provinces'",
            "share,pa,2024,60,src\nshare,pb,2024,80,src\n".into(),
            "share",
            "vn",
            "2024",
            None,
        ),
        (
            "yes in every quarter is a year of yes",
            quarters("has_plan", "pa", [1, 1, 1, 1]),
            "plan_in_place",
            "pa",
            "2024",
            Some(1.0),
        ),
        (
            "a yes/no year is its latest answer",
            quarters("has_plan", "pa", [1, 1, 1, 0]),
            "plan_in_place",
            "pa",
            "2024",
            Some(0.0),
        ),
        (
            "an element of `none` has no year from quarters",
            quarters("rate", "pa", [60, 80, 100, 100]),
            "rate_ind",
            "pa",
            "2024",
            None,
        ),
        (
            "an element of `none` has the year it reported",
            "rate,pa,2024,75,src\nrate,pa,2024Q1,60,src\n".into(),
            "rate_ind",
            "pa",
            "2024",
            Some(75.0),
        ),
        (
            "a country's yes/no is not its provinces' sum",
            "has_plan,pa,2024,1,src\nhas_plan,pb,2024,1,src\n".into(),
            "plan_in_place",
            "vn",
            "2024",
            None,
        ),
    ];
    for (case, data, indicator, unit, period, expected) in cases {
        let json = eval(&data);
        assert_eq!(value(&json, indicator, unit, period), expected, "{case}");
    }
}

/// The count of case 1 decides its target on the year's sum: 100 meets `>= 80`.
#[test]
fn a_count_reported_by_quarter_meets_its_yearly_target_on_their_sum() {
    let json = eval("cases,vn,2024Q1,10,src\ncases,vn,2024Q2,20,src\ncases,vn,2024Q3,30,src\ncases,vn,2024Q4,40,src\n");
    let result = support::result(&json, "cases", "vn");
    assert_eq!(result["status"], "achieved", "{result}");
}

/// A yes-no indicator over a yes/no element that is summed (a count of yes answers) is refused with E039, naming the
/// element and how to fix it, whether it sums over time or over org units.
#[test]
fn a_yes_no_indicator_over_an_element_that_adds_up_is_refused() {
    for (aggregation, how) in [
        ("time_aggregation = \"sum\"", "summed over time"),
        ("time_aggregation = \"average\"", "averaged over time"),
        ("org_unit_aggregation = \"sum\"", "summed over org units"),
    ] {
        let catalogue = support::fixture("combining/catalogue.toml")
            .replace("value_type = \"boolean\"", &format!("value_type = \"boolean\"\n{aggregation}"));
        let (passed, report) = check(&catalogue, "");
        assert!(!passed, "{aggregation}: {report}");
        assert!(report.contains("E039") && report.contains(how), "{aggregation}: {report}");
        let line = catalogue.lines().position(|l| l == "numerator = \"has_plan\"").unwrap() + 1;
        let place = format!("catalogue.toml:{line}:13");
        assert!(report.contains(&place), "{aggregation}: the numerator's place {place}: {report}");
    }
}

/// Numbers written with one decimal add up to the decimal they make (round 43, found by a review helper): the
/// provinces' 0.1 and 0.2 are the country's 0.3, which meets `<= 0.3` (it was 0.30000000000000004, "not met, gap
/// 0.000000000000"), and so is a unit's `score + bonus`; a change is the decimal difference (-0.1, not
/// -0.09999999999999998).
#[test]
fn sums_of_numbers_written_with_decimals_are_the_decimals_they_add_up_to() {
    let json = eval(
        "score,pa,2023,0.2,src\nscore,pb,2023,0.2,src\nscore,pa,2024,0.1,src\nscore,pb,2024,0.2,src\n\
         bonus,pa,2024,0.2,src\n",
    );
    assert_eq!(value(&json, "score_ind", "vn", "2024"), Some(0.3));
    assert_eq!(value(&json, "total_score", "pa", "2024"), Some(0.3));
    let result = support::result(&json, "score_ind", "vn");
    assert_eq!(result["status"], "achieved", "{result}");
    let target = &result["targets"][0];
    assert_eq!(target["met"], true, "{target}");
    let point = support::point(&json, "score_ind", "vn", "2024").unwrap();
    assert!(point["decimals"].is_null(), "shown with the indicator's one decimal: {point}");
    assert_eq!(point["change"]["absolute"].as_f64(), Some(-0.1), "{point}");
}

/// `score + bonus` at the country where pb reported only `score` and no unit of pb's is expected to report `bonus`:
/// each element is summed over the units that report it, pb shows no value of its own, and the country's coverage
/// counts both provinces as having reported what was expected of them (it read "1 of 2" beside a complete value).
#[test]
fn an_expression_above_units_that_report_part_of_it_counts_what_was_expected_of_them() {
    let json = eval("score,pa,2024,0.1,src\nbonus,pa,2024,0.2,src\nscore,pb,2024,0.2,src\n");
    assert_eq!(value(&json, "total_score", "vn", "2024"), Some(0.5));
    assert_eq!(value(&json, "total_score", "pb", "2024"), None);
    let coverage = &support::point(&json, "total_score", "vn", "2024").unwrap()["coverage"];
    assert_eq!((coverage["reported"].as_u64(), coverage["expected"].as_u64()), (Some(2), Some(2)), "{coverage}");
    assert_eq!(coverage["complete"], true, "{coverage}");
}

/// A count reported directly is checked as a count (round 43: -5 and 2.5 were taken, and 2.5 shown as "3"), a yes/no
/// answer as 0 or 1; a percentage may have decimals.
#[test]
fn values_reported_directly_are_checked_as_their_measure() {
    let cases = [
        ("cases,vn,2024,-5,src\n", "E314"),
        ("cases,vn,2024,2.5,src\n", "E321"),
        ("law_in_force,vn,2024,2,src\n", "E321"),
        ("share,vn,2024,2.5,src\n", ""),
    ];
    for (rows, code) in cases {
        let (passed, report) = check(&support::fixture("combining/catalogue.toml"), rows);
        if code.is_empty() {
            assert!(passed, "{rows}: {report}");
        } else {
            assert!(!passed && report.contains(code), "{rows}: {report}");
            assert!(report.contains("data.csv:2:4"), "{rows}: the value's place: {report}");
        }
    }
}

/// A count reported directly that lacks part of a province's year is a lower bound of the country's year, as a
/// count element's is: pa's 50 and pb's first quarter of 30 already meet `>= 80` (it said "no complete value").
#[test]
fn a_partial_count_reported_directly_is_a_lower_bound() {
    let json = eval("cases,pa,2024,50,src\ncases,pb,2024Q1,30,src\n");
    let result = support::result(&json, "cases", "vn");
    assert_eq!(result["status"], "achieved", "{result}");
}

/// A yes/no answer reads "Yes"/"No" ("Có"/"Không") in the review, in its tables, chart and narrative, never "1.0"
/// with a change of "+1.0"; and provinces are not ranked by it ("rank 1: Yes" orders nothing). Round 44.
#[test]
fn a_yes_no_answer_reads_yes_or_no_in_the_review() {
    let catalogue = support::fixture("combining/catalogue.toml");
    let data = "data_element,org_unit,period,value,source\nhas_plan,pa,2023,0,src\nhas_plan,pa,2024,1,src\n\
                has_plan,vn,2023,0,src\nhas_plan,vn,2024,1,src\n";
    let folder = support::project(&catalogue, data, "");
    let out = folder.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["report", folder.path().to_str().unwrap(), "--window", "2023..2024", "--as-of", "2025-01-15"])
        .args(["--lang", "vi,en", "--format", "md", "-q", "--out", out.to_str().unwrap()])
        .status()
        .expect("the tiendo binary runs");
    assert!(status.success());
    let languages =
        [("en", "", "Yes", "No", "### Plan in place –"), ("vi", "năm ", "Có", "Không", "### Có kế hoạch –")];
    for (lang, year, yes, no, ranked) in languages {
        let review = std::fs::read_to_string(out.join(lang).join("review.md")).unwrap();
        assert!(review.contains(&format!("| {year}2024 | {yes} |")), "{lang}: 2024 reads {yes}\n{review}");
        assert!(review.contains(&format!("| {year}2023 | {no} |")), "{lang}: 2023 reads {no}\n{review}");
        assert!(review.contains(&format!("| {yes} ({year}2024)")), "{lang}: the latest value reads {yes}\n{review}");
        assert!(!review.contains("| 1.0") && !review.contains("| 0.0"), "{lang}: a yes/no as a number\n{review}");
        assert!(!review.contains(ranked), "{lang}: provinces ranked by a yes/no answer\n{review}");
        let chart = std::fs::read_to_string(out.join(lang).join("charts/indicator-plan-in-place.svg")).unwrap();
        assert!(chart.contains(yes) && chart.contains(no), "{lang}: the chart's axis names the levels");
    }
}
