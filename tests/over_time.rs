//! Values over time that a reviewer can sign, end to end through `tiendo eval --format json`: an average weighted by
//! the length of its parts (a quarter is three months, a month one), a stock counted once across the 2025 merger and
//! split (the units that exist at the period's end), and a flow across them still the predecessors' part plus the
//! successors'.
//!
//! Every project here uses `tests/fixtures/over-time/catalogue.toml`: Viet Nam; provinces A and B that merge into AB
//! on 1 July 2025; D that splits into D1 and D2 the same day; C that stays. `sheltered` is a stock (`last`),
//! `population` an average (`average`), `cases` a flow (`sum`).

use serde_json::Value;

#[path = "support/project.rs"]
mod support;

/// Runs `tiendo eval` on a project of the fixture catalogue with `lines` (after the header) as `data.csv`; returns the
/// JSON and standard error.
fn eval(lines: &str) -> (Value, String) {
    eval_with("", lines)
}

/// [`eval`] with `extra` TOML after the fixture catalogue.
fn eval_with(extra: &str, lines: &str) -> (Value, String) {
    let catalogue = support::fixture("over-time/catalogue.toml") + extra;
    let data = format!("data_element,org_unit,period,value,source\n{lines}");
    let folder = support::project(&catalogue, &data, "[assessment]\nmethod = \"eurostat\"\n");
    support::eval_json(folder.path(), &["--show-suppressed"])
}

fn point<'a>(json: &'a Value, indicator: &str, unit: &str, period: &str) -> Option<&'a Value> {
    json["indicators"].as_array()?.iter().find(|r| r["indicator"] == indicator && r["org_unit"] == unit)?["series"]
        .as_array()?
        .iter()
        .find(|p| p["period"] == period)
}

/// The value and whether it is complete (a value of one unit's whole period carries no coverage).
fn value(json: &Value, indicator: &str, unit: &str, period: &str) -> (Option<f64>, Option<bool>) {
    match point(json, indicator, unit, period) {
        Some(p) => (
            p["value"].as_f64().map(|v| (v * 1e6).round() / 1e6),
            Some(p["coverage"].is_null() || p["coverage"]["complete"] == true),
        ),
        None => (None, None),
    }
}

// --- An average over time weighs each part by its length ---

#[test]
fn an_average_weighs_a_quarter_three_times_a_month() {
    // C's 2023S1 from Q1 (100) and April, May, June (200 each): no one period type tiles the half, so the parts are
    // taken as they are: (3 × 100 + 3 × 200) / 6 = 150, not the mean of four reports (175).
    let (json, stderr) = eval(
        "population,prov-c,2023Q1,100,src\npopulation,prov-c,2023-04,200,src\npopulation,prov-c,2023-05,200,src\n\
         population,prov-c,2023-06,200,src\n",
    );
    assert_eq!(value(&json, "population-count", "prov-c", "2023S1").0, Some(150.0), "{stderr}");
    // Three quarters of a year and its last month missing: the months covered weigh, (3 × 100 × 3 + 2 × 400) / 11.
    let (json, stderr) = eval(
        "population,prov-c,2024Q1,100,src\npopulation,prov-c,2024Q2,100,src\npopulation,prov-c,2024Q3,100,src\n\
         population,prov-c,2024-10,400,src\npopulation,prov-c,2024-11,400,src\n",
    );
    let expected = ((900.0 + 800.0) / 11.0 * 1e6_f64).round() / 1e6;
    assert_eq!(value(&json, "population-count", "vn", "2024"), (Some(expected), Some(false)), "{stderr}");
}

#[test]
fn an_average_of_parts_that_are_not_whole_months_weighs_them_by_days() {
    // 1–10 January at 10 and 11 January – 31 March at 100: (10 × 10 + 80 × 100) / 90 = 90, not 55.
    let (json, stderr) =
        eval("population,prov-c,2023-01-01..2023-01-10,10,src\npopulation,prov-c,2023-01-11..2023-03-31,100,src\n");
    assert_eq!(value(&json, "population-count", "prov-c", "2023Q1").0, Some(90.0), "{stderr}");
}

#[test]
fn an_average_across_the_merger_and_the_split_weighs_each_unit_by_the_part_it_existed_in() {
    // A and B (100 each) for the first half of 2025, AB (200) for the second: the territory held 200 people all
    // year, not 400. D (100) splits into D1 (60) and D2 (40): 100 all year, not 200. C holds 50.
    let data = "population,prov-a,2025S1,100,src\npopulation,prov-b,2025S1,100,src\n\
                population,prov-ab-2025,2025S2,200,src\npopulation,prov-d,2025S1,100,src\n\
                population,prov-d1-2025,2025S2,60,src\npopulation,prov-d2-2025,2025S2,40,src\n\
                population,prov-c,2025S1,50,src\npopulation,prov-c,2025S2,50,src\n";
    let (json, stderr) = eval(data);
    assert_eq!(value(&json, "population-count", "prov-ab-2025", "2025"), (Some(200.0), Some(true)), "{stderr}");
    assert_eq!(value(&json, "population-count", "vn", "2025"), (Some(350.0), Some(true)), "{stderr}");
    // Each half alone is the units of that half.
    assert_eq!(value(&json, "population-count", "vn", "2025S1").0, Some(350.0), "{stderr}");
    assert_eq!(value(&json, "population-count", "vn", "2025S2").0, Some(350.0), "{stderr}");
    // A rate per 100,000 over the year divides the year's cases by the year's average population.
    let cases = "cases,prov-a,2025S1,1,src\ncases,prov-b,2025S1,1,src\ncases,prov-ab-2025,2025S2,2,src\n";
    let (json, stderr) = eval(&format!("{data}{cases}"));
    assert_eq!(value(&json, "case-rate", "prov-ab-2025", "2025").0, Some(2000.0), "{stderr}");
}

// --- A stock at the period's end counts the units that exist then ---

#[test]
fn a_stock_across_the_merger_counts_the_successor_not_its_predecessors_too() {
    // 10 victims in support in A and 10 in B at the end of June 2025; 20 in AB at the end of the year: AB's 2025 is
    // 20, not 40, and the nation's 2025 is AB's 20 and C's 5.
    let data = "sheltered,prov-a,2025S1,10,src\nsheltered,prov-b,2025S1,10,src\n\
                sheltered,prov-ab-2025,2025S2,20,src\nsheltered,prov-c,2025S1,4,src\nsheltered,prov-c,2025S2,5,src\n\
                sheltered,prov-a,2024,8,src\nsheltered,prov-b,2024,9,src\nsheltered,prov-c,2024,3,src\n";
    let (json, stderr) = eval(data);
    assert_eq!(value(&json, "sheltered-count", "prov-ab-2025", "2025"), (Some(20.0), Some(true)), "{stderr}");
    assert_eq!(value(&json, "sheltered-count", "vn", "2025"), (Some(25.0), Some(true)), "{stderr}");
    // The first half is A's and B's, and 2024 too (both existed at its end).
    assert_eq!(value(&json, "sheltered-count", "vn", "2025S1").0, Some(24.0), "{stderr}");
    assert_eq!(value(&json, "sheltered-count", "prov-ab-2025", "2024"), (Some(17.0), Some(true)), "{stderr}");
    assert_eq!(value(&json, "sheltered-count", "vn", "2024").0, Some(20.0), "{stderr}");
}

#[test]
fn a_stock_whose_successor_has_not_reported_is_its_lineage_s_last_value_marked_partial() {
    // AB reported nothing for the second half: the last value of each lineage (A's 10, B's 10) stands, marked as
    // not the period's end.
    let data = "sheltered,prov-a,2025S1,10,src\nsheltered,prov-b,2025S1,10,src\nsheltered,prov-c,2025,5,src\n";
    let (json, stderr) = eval(data);
    assert_eq!(value(&json, "sheltered-count", "prov-ab-2025", "2025"), (Some(20.0), Some(false)), "{stderr}");
    assert_eq!(value(&json, "sheltered-count", "vn", "2025"), (Some(25.0), Some(false)), "{stderr}");
}

#[test]
fn a_stock_across_the_split_counts_the_successors_not_the_old_unit_too() {
    // D had 30 at the end of June; D1 has 10 and D2 15 at the end of the year: the nation's 2025 is those 25 and
    // C's 5, not 60.
    let data = "sheltered,prov-d,2025S1,30,src\nsheltered,prov-d1-2025,2025S2,10,src\n\
                sheltered,prov-d2-2025,2025S2,15,src\nsheltered,prov-c,2025S1,5,src\nsheltered,prov-c,2025S2,5,src\n";
    let (json, stderr) = eval(data);
    assert_eq!(value(&json, "sheltered-count", "vn", "2025"), (Some(30.0), Some(true)), "{stderr}");
    assert_eq!(value(&json, "sheltered-count", "vn", "2025S1").0, Some(35.0), "{stderr}");
    // Neither successor reported: D's last value stands for them, marked partial.
    let (json, stderr) = eval("sheltered,prov-d,2025S1,30,src\nsheltered,prov-c,2025,5,src\n");
    assert_eq!(value(&json, "sheltered-count", "vn", "2025"), (Some(35.0), Some(false)), "{stderr}");
}

#[test]
fn a_flow_across_the_merger_and_the_split_is_still_the_old_units_part_and_the_new_units_part() {
    let data = "cases,prov-a,2025S1,5,src\ncases,prov-b,2025S1,6,src\ncases,prov-ab-2025,2025S2,10,src\n\
                cases,prov-d,2025S1,7,src\ncases,prov-d1-2025,2025S2,3,src\ncases,prov-d2-2025,2025S2,4,src\n\
                cases,prov-c,2025,1,src\n";
    let (json, stderr) = eval(data);
    assert_eq!(value(&json, "cases-count", "prov-ab-2025", "2025"), (Some(21.0), Some(true)), "{stderr}");
    assert_eq!(value(&json, "cases-count", "vn", "2025"), (Some(36.0), Some(true)), "{stderr}");
}

#[test]
fn a_restated_stock_is_compared_with_the_stock_used_not_a_sum_of_the_old_and_new_units() {
    // AB reports its 2025 stock as 20: the stock on 31 December 2025, a day AB existed, as its second half's is (A's
    // and B's June stocks are stood for by it), so nothing differs; reported as 25, its own year's figure is used for
    // the year and W341 names the two reports of that day, never 40 (it was a restatement, W332, until round 52).
    let data = "sheltered,prov-a,2025S1,10,src\nsheltered,prov-b,2025S1,10,src\nsheltered,prov-ab-2025,2025S2,20,src\n";
    let (json, stderr) = eval(&format!("{data}sheltered,prov-ab-2025,2025,20,src\n"));
    assert!(!stderr.contains("W332"), "{stderr}");
    assert_eq!(value(&json, "sheltered-count", "prov-ab-2025", "2025").0, Some(20.0), "{stderr}");
    let (json, stderr) = eval(&format!("{data}sheltered,prov-ab-2025,2025,25,src\n"));
    assert!(stderr.contains("W341") && stderr.contains("2025 is reported as 25 and 2025S2 as 20"), "{stderr}");
    assert!(!stderr.contains("W332") && !stderr.contains("40"), "{stderr}");
    assert_eq!(value(&json, "sheltered-count", "prov-ab-2025", "2025").0, Some(25.0), "{stderr}");
    // An average restated: A and B at 100 for the first half, AB at 200 for the second is 200 over the year.
    let data = "population,prov-a,2025S1,100,src\npopulation,prov-b,2025S1,100,src\n\
                population,prov-ab-2025,2025S2,200,src\npopulation,prov-ab-2025,2025,200,src\n";
    let (_, stderr) = eval(data);
    assert!(!stderr.contains("W332"), "{stderr}");
}

// --- A count not combined over time ---

/// A member whose reports the element's rule does not combine into the period (the four quarters of a count with
/// `time_aggregation = "none"`, which has no year of its own) is left out of the year, and named: the coverage said
/// "1 of 2 units, partial" with no name, and the review that the value "includes data of" it (round 45).
#[test]
fn a_member_whose_parts_do_not_combine_is_named_among_the_missing() {
    let extra = "\n[[data_element]]\nid = \"waiting\"\nname = { vi = \"Chờ\", en = \"Waiting\" }\n\
                 value_type = \"number\"\ntime_aggregation = \"none\"\n\n[[indicator]]\nid = \"waiting-n\"\n\
                 code = \"W1\"\nname = { vi = \"Chờ\", en = \"Waiting\" }\ngroup = \"wa\"\nmeasure = \"count\"\n\
                 numerator = \"waiting\"\ndirection = \"decrease\"\nsource = \"src\"\n";
    let lines = "waiting,prov-c,2024,10,src\nwaiting,prov-a,2024Q1,5,src\nwaiting,prov-a,2024Q2,5,src\n\
                 waiting,prov-a,2024Q3,5,src\nwaiting,prov-a,2024Q4,5,src\nwaiting,prov-b,2024,7,src\n\
                 waiting,prov-d,2024,1,src\n";
    let (json, stderr) = eval_with(extra, lines);
    for (unit, expected) in [("prov-ab-2025", 7.0), ("vn", 18.0)] {
        let p = point(&json, "waiting-n", unit, "2024").unwrap_or_else(|| panic!("{unit} 2024\n{stderr}"));
        assert_eq!(p["value"], expected, "{unit}");
        assert_eq!(p["coverage"]["complete"], false, "{unit}: {p}");
        assert_eq!(p["coverage"]["missing"], serde_json::json!(["prov-a"]), "{unit}: {p}");
    }
}

/// A value that does not add up over units (`org_unit_aggregation = "none"`, an average age) is the merged
/// province's own reports only: its 2025 from its second half is partial and names the half it lacks (A's and B's
/// first halves are not combined with it). It said "PARTIAL: " with nothing named (round 46, found by a review
/// helper).
#[test]
fn a_value_that_does_not_add_up_over_units_names_the_part_its_own_reports_lack() {
    let extra = "\n[[data_element]]\nid = \"age\"\nname = { vi = \"Tuổi\", en = \"Age\" }\n\
                 value_type = \"number\"\ntime_aggregation = \"average\"\norg_unit_aggregation = \"none\"\n\n\
                 [[indicator]]\nid = \"age-k\"\ncode = \"K9\"\nname = { vi = \"Tuổi\", en = \"Age\" }\n\
                 group = \"wa\"\nmeasure = \"count\"\nnumerator = \"age\"\ndirection = \"increase\"\n\
                 source = \"src\"\n";
    let lines = "age,prov-a,2025S1,21,src\nage,prov-b,2025S1,26,src\nage,prov-ab-2025,2025S2,24,src\n";
    let (json, stderr) = eval_with(extra, lines);
    let p = point(&json, "age-k", "prov-ab-2025", "2025").unwrap_or_else(|| panic!("AB 2025\n{stderr}"));
    assert_eq!(p["value"], 24.0);
    assert_eq!(p["coverage"]["complete"], false, "{p}");
    assert_eq!(p["coverage"]["missing_periods"], serde_json::json!(["prov-ab-2025 2025S1"]), "{p}");
}

/// A stock's old provinces, stood for by the merged province's later stock, are not missing from its year: the
/// value is partial only for the quarter the merged province did not report. The coverage said "no report from
/// prov-a, prov-b" beside "1 of 1 units" (round 46, found by a review helper; methodology section 2, rule 6).
#[test]
fn a_stock_names_no_old_unit_its_successor_stands_for() {
    let extra = "\n[[data_element]]\nid = \"held\"\nname = { vi = \"Đang giữ\", en = \"Held\" }\n\
                 time_aggregation = \"last\"\n\n[[indicator]]\nid = \"held-k\"\ncode = \"K8\"\n\
                 name = { vi = \"Đang giữ\", en = \"Held\" }\ngroup = \"wa\"\nmeasure = \"count\"\n\
                 numerator = \"held\"\ndirection = \"decrease\"\nsource = \"src\"\n";
    let lines = "held,prov-c,2024,10,src\nheld,prov-c,2025,50,src\nheld,prov-a,2024,100,src\n\
                 held,prov-b,2024,100,src\nheld,prov-ab-2025,2025Q3,200,src\n";
    let (json, stderr) = eval_with(extra, lines);
    for (unit, expected) in [("prov-ab-2025", 200.0), ("vn", 250.0)] {
        let p = point(&json, "held-k", unit, "2025").unwrap_or_else(|| panic!("{unit} 2025\n{stderr}"));
        assert_eq!(p["value"], expected, "{unit}");
        assert_eq!(p["coverage"]["complete"], false, "{unit}: {p}");
        assert!(p["coverage"]["missing"].is_null(), "{unit}: {p}");
        assert_eq!(p["coverage"]["missing_periods"], serde_json::json!(["prov-ab-2025 2025Q4"]), "{unit}: {p}");
    }
}

/// A report that the reports of its parts contradict (W339: a half-year's 30 denunciations received beside quarters
/// typed 14 and 26) makes every value over those days, at the unit and above it, "reports disagree": marked in eval
/// and the review, and no status rests on it (round 68, found by a newcomer: the year's 85.7 % and 78.6 % were
/// published "not achieved" beside half-years of 100 % and 90 %). The half-year itself is its own report, which
/// evaluation uses for it; the other half-year is untouched. Fixture:
/// `tests/fixtures/over-time/quarter-typo`.
#[test]
fn a_value_over_reports_that_disagree_is_marked_and_decides_nothing() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/over-time/quarter-typo");
    let (json, stderr) = support::eval_json(&fixture, &["--as-of", "2027-01-20", "--plan", "kh-ca-ht-2026"]);
    let unit = "ha-tinh-2025";
    for indicator in ["ht-t1-denunciations-processed", "ht-t2-denunciations-resolved"] {
        let result = support::result(&json, indicator, unit);
        assert_eq!(result["status"], "insufficient-data", "{indicator}: {stderr}");
        let point = |period: &str| support::point(&json, indicator, unit, period).cloned().expect("a point");
        assert_eq!(point("2026")["contested"], true, "{indicator}");
        // The half-year is its own report, which evaluation uses for it; the other half is untouched.
        assert!(point("2026S1")["contested"].is_null(), "{indicator}");
        assert!(point("2026S2")["contested"].is_null(), "{indicator}");
    }
    for quarter in ["2026Q1", "2026Q2"] {
        let point = support::point(&json, "ht-t2-denunciations-resolved", unit, quarter).cloned().expect("a point");
        assert_eq!(point["contested"], true, "{quarter}: the parts themselves");
    }
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in ["tiendo.toml", "catalogue/plan.toml", "data/observations.csv"] {
        let to = folder.path().join(file);
        std::fs::create_dir_all(to.parent().expect("a folder")).expect("a folder");
        std::fs::copy(fixture.join(file), to).expect("fixture copied");
    }
    let review = support::report(folder.path(), ("2027-01-20", "2025..2026", "en,vi"));
    let en = std::fs::read_to_string(review.join("en/review.md")).expect("the review");
    assert!(
        en.contains("85.7% (2026, reports disagree: a period and its parts were reported as different numbers"),
        "{en}"
    );
    let vi = std::fs::read_to_string(review.join("vi/review.md")).expect("the review");
    assert!(vi.contains("các báo cáo mâu thuẫn nhau"), "{vi}");
}

/// Reports of a period and its parts disagree by any difference a figure can have: a year of 4,000,000,000,000
/// beside halves adding to 1,000 less (a budget in VND) was one figure within 10^-9 (round 69, the kind of an
/// adversarial tester's validation finding).
#[test]
fn reports_of_a_period_and_its_parts_disagree_by_one_part_in_a_billion() {
    let (json, stderr) = eval(
        "cases,prov-c,2023,4000000000000,src\ncases,prov-c,2023S1,2000000000000,src\n\
         cases,prov-c,2023S2,1999999999000,src\ncases,prov-b,2023,3000000000001,src\n\
         cases,prov-b,2023S1,1000000000000,src\ncases,prov-b,2023S2,2000000000001,src\n",
    );
    assert!(stderr.contains("W339"), "{stderr}");
    let point = |unit: &str| support::point(&json, "cases-count", unit, "2023S1").cloned().expect("a point");
    assert_eq!(point("prov-c")["contested"], true, "{stderr}");
    assert!(point("prov-b")["contested"].is_null(), "parts that add up: {stderr}");
}

/// A value over reports that disagree is marked in the indicator's own table of values too, and no change on the
/// same period a year earlier is computed from it or to it (round 72, found by an adversarial tester: a year of 70
/// from a half-year of 30, whose quarters gave 40, was a plain "70" in that table, and 2025's 80 "+10 (+14.3%)" on
/// it). Fixture: `tests/fixtures/over-time/contested-change`.
#[test]
fn a_value_over_reports_that_disagree_is_marked_in_its_table_and_compared_with_nothing() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/over-time/contested-change");
    let (json, stderr) = support::eval_json(&fixture, &["--as-of", "2026-01-15"]);
    let point = |period: &str| support::point(&json, "cases-count", "vn", period).cloned().expect("a point");
    assert_eq!(point("2024")["contested"], true, "{stderr}");
    assert!(point("2025")["change"].is_null(), "no change on a disputed year: {}", point("2025"));
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in ["tiendo.toml", "catalogue.toml", "data.csv"] {
        std::fs::copy(fixture.join(file), folder.path().join(file)).expect("fixture copied");
    }
    let review = support::report(folder.path(), ("2026-01-15", "2021..2025", "en,vi"));
    let en = std::fs::read_to_string(review.join("en/review.md")).expect("the review");
    assert!(
        en.contains("| 2024 | 70 | reports disagree: a period and its parts were reported as different numbers"),
        "{en}"
    );
    assert!(en.contains("| not comparable (reports disagree) |"), "{en}");
    assert!(!en.contains("+14.3%"), "{en}");
    let vi = std::fs::read_to_string(review.join("vi/review.md")).expect("the review");
    assert!(vi.contains("| năm 2024 | 70 | các báo cáo mâu thuẫn nhau"), "{vi}");
    assert!(vi.contains("không so sánh được (các báo cáo mâu thuẫn nhau)"), "{vi}");
}
