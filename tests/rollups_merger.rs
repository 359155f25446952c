//! Roll-ups across the 2025 merger and splits, end to end through `tiendo eval --format json`: a successor's
//! restatement never added on top of its predecessors, values that do not add up never summed across a merger, a
//! member that reports only through its districts, completeness in the merger year, and a unit that ended before its
//! target's period. The fixture catalogues are those of `tests/rollups.rs` (`tests/fixtures/rollups/`).

#[path = "support/rollups.rs"]
mod rollups_support;

use rollups_support::*;
use serde_json::Value;

// --- Splits: a successor's restatement and the old unit's last year ---

/// Province D splits into D1 and D2 on 1 July 2025 (`split-catalogue.toml`); A and B merge into AB; C stays.
const SPLIT: &str = "cases,prov-a,2024,100,src\ncases,prov-b,2024,100,src\ncases,prov-c,2024,100,src\n\
                     cases,prov-d,2024,100,src\ncases,prov-a,2025S1,50,src\ncases,prov-b,2025S1,50,src\n\
                     cases,prov-c,2025,100,src\ncases,prov-d,2025S1,50,src\ncases,prov-ab-2025,2025S2,100,src\n\
                     cases,prov-d1-2025,2025S2,30,src\ncases,prov-d2-2025,2025S2,20,src\n";

#[test]
fn a_split_successor_s_restatement_is_not_added_on_top_of_its_predecessor() {
    let complete = |json: &Value, period: &str| {
        let point = point(json, "cases-count", "vn", period).cloned().expect("a point");
        (point["value"].as_f64(), point["coverage"]["complete"].as_bool())
    };
    // Without a restatement: both years are whole, the old unit's half of 2025 and its successors' half adding up.
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(SPLIT), "", &[]);
    assert_eq!(complete(&json, "2024"), (Some(400.0), Some(true)), "{stderr}");
    assert_eq!(complete(&json, "2025"), (Some(400.0), Some(true)), "{stderr}");
    // D1 restates its territory's second half of 2024, which D's year already holds: not counted twice, and said so.
    let restated = format!("{SPLIT}cases,prov-d1-2025,2024S2,70,src\n");
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(&restated), "", &[]);
    assert_eq!(complete(&json, "2024"), (Some(400.0), Some(true)), "{stderr}");
    assert!(stderr.contains("W332") && stderr.contains("prov-d1-2025 restates cases for 2024S2 as 70"), "{stderr}");
    assert!(stderr.contains("prov-d 2024 (100)"), "{stderr}");
    // D1's own series keeps its restatement.
    assert_eq!(value(&json, "cases-count", "prov-d1-2025", "2024S2"), Some(70.0));
    // The same for a ratio's parts: D1's restated parts are not added to D's year.
    let ratio = "received,prov-c,2024,100,src\nresolved,prov-c,2024,90,src\nreceived,prov-d,2024,100,src\n\
                 resolved,prov-d,2024,80,src\nreceived,prov-d1-2025,2024S2,50,src\nresolved,prov-d1-2025,2024S2,10,src\n";
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(ratio), "", &[]);
    let national = point(&json, "resolution-rate", "vn", "2024").cloned().expect("vn 2024");
    assert_eq!(
        (national["numerator"].as_f64(), national["denominator"].as_f64()),
        (Some(170.0), Some(200.0)),
        "{stderr}"
    );
    // Where D reported nothing of its own, the restatement is the only figure for those days: used, and partial.
    let alone = "cases,prov-a,2024S2,10,src\ncases,prov-d1-2025,2024S2,70,src\n";
    let (json, _) = eval_on("split-catalogue.toml", &rows(alone), "", &[]);
    assert_eq!(value(&json, "cases-count", "vn", "2024S2"), Some(80.0));
}

/// A split's successor that restates days its predecessor did not report counts them in every period that holds
/// them, so the quarters add up to the half and the halves to the year (fuzz9 seed 164, round 57: D2's restated
/// April counted in the nation's second quarter but not in its half or year, 11 + 9 beside a half year of 12). Days
/// the predecessor reported stay its own in every period.
#[test]
fn a_split_successor_s_restatement_of_unreported_days_counts_in_every_period() {
    let data = "cases,prov-d,2025-01,7,src\ncases,prov-d2-2025,2025-04,8,src\n\
                cases,prov-d1-2025,2025S2,30,src\ncases,prov-d2-2025,2025S2,20,src\n";
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(data), "", &[]);
    let national = |period: &str| value(&json, "cases-count", "vn", period);
    let values = ["2025Q1", "2025Q2", "2025S1", "2025S2", "2025"].map(national);
    assert_eq!(values, [Some(7.0), Some(8.0), Some(15.0), Some(50.0), Some(65.0)], "{stderr}");
    for period in ["2025S1", "2025"] {
        let coverage = &point(&json, "cases-count", "vn", period).expect("a point")["coverage"];
        assert_eq!(coverage["complete"], false, "D's other months are missing: {coverage}");
    }
    // A restated month the predecessor reported too is its, in the month and in every period around it; the
    // restated April beside it still counts wherever it is held (fuzz11 seed 49: D1's restated May beside D's own
    // left D1's restated August out of the nation's year).
    let twice = format!("{data}cases,prov-d2-2025,2025-01,5,src\n");
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(&twice), "", &[]);
    let national = |period: &str| value(&json, "cases-count", "vn", period);
    let values = ["2025-01", "2025Q1", "2025Q2", "2025S1", "2025"].map(national);
    assert_eq!(values, [Some(7.0), Some(7.0), Some(8.0), Some(15.0), Some(65.0)], "{stderr}");
    assert!(stderr.contains("W332"), "{stderr}");
    let coverage = &point(&json, "cases-count", "vn", "2025").expect("a point")["coverage"];
    assert_eq!(coverage["complete"], false, "{coverage}");
}

/// A ratio adds a split successor's parts only where none of its restated days is one its predecessor reported: its
/// parts are its own over the whole period, and beside D's own second quarter D2's restated May was counted twice in
/// the nation's year (round 57, found by the truth property of `eval::truth_tests`: 70 received where the count of
/// the same rows was 58).
#[test]
fn a_ratio_never_adds_a_successor_s_restatement_of_reported_days() {
    let data = "received,prov-d,2025Q2,47,src\nresolved,prov-d,2025Q2,10,src\n\
                received,prov-d2-2025,2025-05,22,src\nresolved,prov-d2-2025,2025-05,3,src\n\
                received,prov-d1-2025,2025-11,1,src\nresolved,prov-d1-2025,2025-11,0,src\n";
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(data), "", &[]);
    let national = point(&json, "resolution-rate", "vn", "2025").cloned().expect("vn 2025");
    let parts = (national["numerator"].as_f64(), national["denominator"].as_f64());
    assert_eq!(parts, (Some(10.0), Some(48.0)), "{stderr}");
    assert_eq!(national["coverage"]["complete"], false, "{national}");
}

/// A restatement of days no old unit reported counts in every period that holds them, beside the old units' own
/// reports and their districts' (fuzz11 seed 14, round 57: B's districts' March made B's part of AB's first half,
/// which left AB's restated May out of the half though AB's second quarter held it: 64 beside 64 + 33).
#[test]
fn a_restatement_of_days_nobody_else_reported_counts_in_the_half_and_the_year() {
    let data = "cases,prov-a,2024Q1,34,src\ncases,dist-b3,2024-03,30,src\ncases,prov-ab-2025,2024-05,33,src\n";
    let (json, stderr) = eval_on("districts-catalogue.toml", &rows(data), "", &[]);
    for unit in ["prov-ab-2025", "vn"] {
        let values = ["2024Q1", "2024Q2", "2024S1", "2024"].map(|period| value(&json, "cases-count", unit, period));
        assert_eq!(values, [Some(64.0), Some(33.0), Some(97.0), Some(97.0)], "{unit}: {stderr}");
    }
    // A district's report of the restated days wins over the restatement, in the quarter and the half alike.
    let reported = format!("{data}cases,dist-b1,2024Q2,5,src\n");
    let (json, stderr) = eval_on("districts-catalogue.toml", &rows(&reported), "", &[]);
    let values = ["2024Q2", "2024S1"].map(|period| value(&json, "cases-count", "prov-ab-2025", period));
    assert_eq!(values, [Some(5.0), Some(69.0)], "{stderr}");
}

#[test]
fn a_new_unit_s_report_of_a_year_its_own_reports_leave_days_of_stands_for_its_whole_area() {
    // AB (from 1 July 2025) reports the whole of 2025, beside the first half A and B reported by quarter, and nothing
    // else of its own: its report is the only one of its second half, so it stands for its whole area over the year
    // (round 61; until then it was left out, and AB's 2025 lacked AB's second half, which the note said: round 5, k3).
    let data = "cases,prov-a,2025Q1,25,src\ncases,prov-a,2025Q2,25,src\ncases,prov-b,2025Q1,25,src\n\
                cases,prov-b,2025Q2,25,src\ncases,prov-ab-2025,2025,210,src\ncases,prov-c,2025,100,src\n";
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(data), "", &[]);
    assert!(stderr.contains("W332") && stderr.contains("210 is used"), "{stderr}");
    for (unit, total) in [("prov-ab-2025", 210.0), ("vn", 310.0)] {
        let point = point(&json, "cases-count", unit, "2025").expect("a 2025 point");
        assert_eq!(point["value"].as_f64(), Some(total), "{unit}: {point}");
        let coverage = &point["coverage"];
        assert_eq!(coverage["complete"], true, "{unit}: {coverage}");
        assert_eq!(coverage["restated"], serde_json::json!(["prov-ab-2025 2025"]), "{unit}: {coverage}");
    }
}

/// Round 9, Q2: a share reported as such (`org_unit_aggregation = "none"`) and a yes/no value are never summed
/// over a merged province's members: AB had no 2024 value of its own, and 80 % + 90 % = 170 % was published as
/// it. AB's own report stands; the country, which none of these add up to, has none either.
#[test]
fn values_that_do_not_add_up_are_not_summed_across_a_merger() {
    let data = "data_element,org_unit,period,value,source\n\
                coverage_pct,prov-a,2024,80,src\ncoverage_pct,prov-b,2024,90,src\ncoverage_pct,prov-c,2024,70,src\n\
                coverage_pct,prov-ab-2025,2025S2,85,src\n\
                plan-adopted,prov-a,2024,1,src\nplan-adopted,prov-b,2024,1,src\nplan-adopted,prov-c,2024,0,src\n\
                plan-adopted,prov-ab-2025,2025S2,1,src\n";
    let (json, stderr) = eval_on("catalogue-not-additive.toml", data, "", &[]);
    for indicator in ["cov", "plan-adopted"] {
        assert_eq!(value(&json, indicator, "prov-a", "2024"), Some(if indicator == "cov" { 80.0 } else { 1.0 }));
        let merged = json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["indicator"] == indicator && r["org_unit"] == "prov-ab-2025");
        let of = |period: &str| {
            merged.and_then(|r| r["series"].as_array()?.iter().find(|p| p["period"] == period)?["value"].as_f64())
        };
        assert_eq!(of("2024"), None, "{indicator}: AB's 2024 is its members' sum\n{stderr}");
        assert_eq!(of("2025S2"), Some(if indicator == "cov" { 85.0 } else { 1.0 }), "{indicator}\n{stderr}");
        let national = json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["indicator"] == indicator && r["org_unit"] == "vn");
        let any =
            national.and_then(|r| r["series"].as_array()).is_some_and(|s| s.iter().any(|p| p["value"].is_number()));
        assert!(!any, "{indicator}: a national value\n{stderr}");
    }
}
// --- Round 10, Q1: a merged province's member that reports only through its districts ---

/// A (100) and B's districts (3 x 20) and C (50) for `period`, of `element`.
fn a_b_districts_c(element: &str, period: &str, c_period: &str) -> String {
    format!(
        "{element},prov-a,{period},100,src\n{element},dist-b1,{period},20,src\n{element},dist-b2,{period},20,src\n\
         {element},dist-b3,{period},20,src\n{element},prov-c,{c_period},50,src\n"
    )
}

#[test]
fn a_member_that_reports_only_through_its_districts_counts_in_its_successor_and_the_nation() {
    // A year before the merger, seen on the 34-unit map: AB is A + B's districts, the nation adds C; every unit
    // reported, so both are complete (A, three districts; and C).
    let (json, stderr) = districts(&a_b_districts_c("cases", "2024", "2024"));
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2024"), (Some(160.0), 4, 4, true), "{stderr}");
    assert_eq!(counted(&json, "cases-count", "vn", "2024"), (Some(210.0), 5, 5, true), "{stderr}");
    // The first half of the merger year, which A and B's districts reported: the same sums.
    let (json, stderr) = districts(&a_b_districts_c("cases", "2025S1", "2025S1"));
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025S1"), (Some(160.0), 4, 4, true), "{stderr}");
    assert_eq!(counted(&json, "cases-count", "vn", "2025S1"), (Some(210.0), 5, 5, true), "{stderr}");
    // The merger year: nobody reported AB's second half, so the year is 160 from part of the units, and says so.
    let (json, stderr) = districts(&a_b_districts_c("cases", "2025S1", "2025"));
    let ab = point(&json, "cases-count", "prov-ab-2025", "2025").expect("AB 2025");
    assert_eq!(ab["value"].as_f64(), Some(160.0), "{stderr}");
    assert_eq!(ab["coverage"]["complete"], false);
    assert_eq!(ab["coverage"]["missing"], serde_json::json!(["prov-ab-2025"]));
    let vn = point(&json, "cases-count", "vn", "2025").expect("vn 2025");
    assert_eq!((vn["value"].as_f64(), vn["coverage"]["complete"].as_bool()), (Some(210.0), Some(false)));
    // One district silent in 2024 (it reported 2023, so it is expected): B's value is built from two of its three
    // districts, and AB's names the missing one.
    let (json, _) = districts(&a_b_districts_c("cases", "2024", "2024").replace("dist-b3,2024", "dist-b3,2023"));
    let ab = point(&json, "cases-count", "prov-ab-2025", "2024").expect("AB 2024");
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2024"), (Some(140.0), 3, 4, false));
    assert_eq!(ab["coverage"]["missing"], serde_json::json!(["dist-b3"]));
}

#[test]
fn a_member_through_its_districts_counts_for_stocks_averages_and_ratios_too() {
    // A stock: the districts' shelters count where the lineage has no later figure; AB's own second half stands for
    // the lineage at the end of 2025.
    let stock = "shelters,prov-a,2024,4,src\nshelters,dist-b1,2024,1,src\nshelters,dist-b2,2024,1,src\n\
                 shelters,dist-b3,2024,2,src\nshelters,prov-c,2024,3,src\nshelters,prov-a,2025S1,4,src\n\
                 shelters,dist-b1,2025S1,1,src\nshelters,dist-b2,2025S1,1,src\nshelters,dist-b3,2025S1,2,src\n\
                 shelters,prov-ab-2025,2025S2,9,src\nshelters,prov-c,2025,3,src\n";
    let (json, stderr) = districts(stock);
    assert_eq!(counted(&json, "shelter-count", "prov-ab-2025", "2024"), (Some(8.0), 4, 4, true), "{stderr}");
    assert_eq!(counted(&json, "shelter-count", "vn", "2024"), (Some(11.0), 5, 5, true), "{stderr}");
    assert_eq!(counted(&json, "shelter-count", "prov-ab-2025", "2025S1").0, Some(8.0), "{stderr}");
    assert_eq!(counted(&json, "shelter-count", "vn", "2025"), (Some(12.0), 2, 2, true), "{stderr}");
    // An average over time, summed over units.
    let (json, stderr) = districts(&a_b_districts_c("waiting", "2024", "2024"));
    assert_eq!(counted(&json, "waiting-days", "prov-ab-2025", "2024"), (Some(160.0), 4, 4, true), "{stderr}");
    assert_eq!(counted(&json, "waiting-days", "vn", "2024").0, Some(210.0), "{stderr}");
    // A ratio: B's districts' matched parts join A's.
    let ratio = "received,prov-a,2024,100,src\nresolved,prov-a,2024,90,src\nreceived,dist-b1,2024,10,src\n\
                 resolved,dist-b1,2024,5,src\nreceived,dist-b2,2024,10,src\nresolved,dist-b2,2024,5,src\n\
                 received,dist-b3,2024,10,src\nresolved,dist-b3,2024,5,src\nreceived,prov-c,2024,50,src\n\
                 resolved,prov-c,2024,40,src\n";
    let (json, stderr) = districts(ratio);
    let parts = |unit: &str| {
        let p = point(&json, "resolution-rate", unit, "2024").expect("a 2024 rate");
        (p["numerator"].as_f64(), p["denominator"].as_f64(), p["coverage"]["complete"] != false)
    };
    assert_eq!(parts("prov-ab-2025"), (Some(105.0), Some(130.0), true), "{stderr}");
    assert_eq!(parts("vn"), (Some(145.0), Some(180.0), true), "{stderr}");
}

#[test]
fn districts_that_report_after_their_province_ended_are_counted_once() {
    let first_half = a_b_districts_c("cases", "2025S1", "2025");
    let late = "cases,dist-b1,2025S2,5,src\ncases,dist-b2,2025S2,5,src\ncases,dist-b3,2025S2,5,src\n";
    // AB reports nothing of its own: the districts' second half counts once for AB (their area is AB's), and AB's
    // value lacks A's area for that half: partial, AB missing.
    let (json, stderr) = districts(&format!("{first_half}{late}"));
    assert!(!stderr.contains("W345"), "counted, not left out: {stderr}");
    let ab = point(&json, "cases-count", "prov-ab-2025", "2025").expect("AB 2025");
    assert_eq!((ab["value"].as_f64(), ab["coverage"]["complete"].as_bool()), (Some(175.0), Some(false)), "{stderr}");
    assert_eq!(ab["coverage"]["missing"], serde_json::json!(["prov-ab-2025"]));
    assert_eq!(counted(&json, "cases-count", "vn", "2025").0, Some(225.0));
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025S2").0, Some(15.0));
    // AB reports its own second half: its figure stands for its whole area, the districts' rows are not added on top.
    let (json, stderr) = districts(&format!("{first_half}{late}cases,prov-ab-2025,2025S2,70,src\n"));
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025"), (Some(230.0), 5, 5, true), "{stderr}");
    assert_eq!(counted(&json, "cases-count", "vn", "2025"), (Some(280.0), 6, 6, true), "{stderr}");
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025S2").0, Some(70.0));
    // The districts' rows left out are named, each by its line.
    for (line, district) in [(7, "dist-b1"), (8, "dist-b2"), (9, "dist-b3")] {
        let named = format!(
            "data.csv:{line}:1: warning[W345 reported-after-parent-ended]: {district} reports cases for 2025S2, after \
             prov-b (which it sums into) ended on 2025-06-30; prov-ab-2025 reported 2025S2 for those days itself, so \
             this row is not added to prov-ab-2025's value or the totals above it"
        );
        assert!(stderr.contains(&named), "{named}\n{stderr}");
    }
    // B reported its own first half: its districts' second half still counts once, for AB.
    let own_half = "cases,prov-a,2025S1,100,src\ncases,prov-b,2025S1,60,src\ncases,prov-c,2025,50,src\n";
    let (json, stderr) = districts(&format!("{own_half}{late}"));
    let ab = point(&json, "cases-count", "prov-ab-2025", "2025").expect("AB 2025");
    assert_eq!((ab["value"].as_f64(), ab["coverage"]["complete"].as_bool()), (Some(175.0), Some(false)), "{stderr}");
    assert_eq!(ab["coverage"]["missing"], serde_json::json!(["prov-ab-2025"]), "{stderr}");
    assert_eq!(counted(&json, "cases-count", "vn", "2025").0, Some(225.0));
    let (json, stderr) = districts(&format!("{own_half}{late}cases,prov-ab-2025,2025S2,70,src\n"));
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025"), (Some(230.0), 3, 3, true), "{stderr}");
}

// --- Round 10, Q7: completeness in the merger year ---

#[test]
fn units_that_reported_every_day_they_existed_are_complete_in_the_merger_year() {
    // The yearly data set of `districts-catalogue.toml`: A and B reported their two quarters and ended on 30 June, AB
    // reported its two, C the year. Each reported all it was expected to: 4 of 4, 100 %, per unit and in total.
    let data = "cases,prov-a,2025Q1,10,src\ncases,prov-a,2025Q2,10,src\ncases,prov-b,2025Q1,10,src\n\
                cases,prov-b,2025Q2,10,src\ncases,prov-ab-2025,2025Q3,10,src\ncases,prov-ab-2025,2025Q4,10,src\n\
                cases,prov-c,2025,40,src\n";
    let (json, stderr) = districts(data);
    let completeness = &json["completeness"][0];
    assert_eq!(completeness["data_set"], "provincial-yearly", "{stderr}");
    let by_unit: Vec<(String, u64, u64, f64)> = completeness["org_units"]
        .as_array()
        .expect("org units")
        .iter()
        .map(|u| {
            let field = |name: &str| u[name].as_u64().expect("a count");
            (
                u["org_unit"].as_str().expect("an id").to_owned(),
                field("expected"),
                field("received"),
                u["rate"].as_f64().expect("a rate"),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64, f64)> =
        ["prov-a", "prov-ab-2025", "prov-b", "prov-c"].iter().map(|u| ((*u).to_owned(), 1, 1, 100.0)).collect();
    assert_eq!(by_unit, expected, "{completeness}");
    let year = &completeness["periods"][0];
    assert_eq!(
        (year["period"].as_str(), year["expected"].as_u64(), year["received"].as_u64()),
        (Some("2025"), Some(4), Some(4))
    );
    assert_eq!(completeness["rate"].as_f64(), Some(100.0));
    // The national value agrees: 4 of 4 units.
    assert_eq!(counted(&json, "cases-count", "vn", "2025"), (Some(100.0), 4, 4, true));
    // A without its second quarter did not report all its part of the year: once the year is due (its deadline is
    // 30 January 2026), 3 of 4, A missing; before it, A is not missing yet and the year counts the three reports.
    let without = rows(&data.replace("cases,prov-a,2025Q2,10,src\n", ""));
    let (json, _) = eval_on("districts-catalogue.toml", &without, "", &["--as-of", "2026-02-01"]);
    let year = &json["completeness"][0]["periods"][0];
    assert_eq!((year["received"].as_u64(), &year["missing"]), (Some(3), &serde_json::json!(["prov-a"])));
    let (json, _) = districts(&data.replace("cases,prov-a,2025Q2,10,src\n", ""));
    let year = &json["completeness"][0]["periods"][0];
    assert_eq!((year["expected"].as_u64(), &year["missing"]), (Some(3), &serde_json::json!([])));
}

// --- A unit that ended before its target's period did ---

/// A plan for `unit` (`prov-a` ended on 30 June 2025, `prov-c` lasts) with T2 `> 90` for 2025.
fn with_plan_for(unit: &str) -> String {
    with_target_for(unit, "resolution-rate", ">", 90.0)
}

/// A plan for `unit` with the one target `indicator comparator value` for 2025.
fn with_target_for(unit: &str, indicator: &str, comparator: &str, value: f64) -> String {
    let catalogue = fixture_catalogue("catalogue.toml");
    format!(
        "{catalogue}\n[[plan]]\nid = \"plan-unit\"\nkind = \"provincial\"\ntitle = {{ vi = \"Kế hoạch\", en = \"Plan\" }}\n\
         org_unit = \"{unit}\"\nperiod = \"2021..2025\"\nsource = \"src\"\nimplements = \"plan-test\"\n\
         indicators = [\"{indicator}\"]\n\n[[plan.target]]\nindicator = \"{indicator}\"\nperiod = \"2025\"\n\
         comparator = \"{comparator}\"\nvalue = {value}\nsource = \"src\"\n"
    )
}

/// Province A merged away on 1 July 2025: a trend projected to the end of 2025, a year it never finished, is no
/// reading of its 2025 target. Every method says "insufficient data" and why (A ended, AB reports its territory),
/// where the same data at a province that lasts is read as a trend while 2025 runs (as of 30 September); a target
/// A already met stays achieved so far.
#[test]
fn a_unit_that_ended_before_its_target_s_period_gets_no_projected_status() {
    let data = |unit: &str, last: u32| {
        rows(&format!(
            "received,{unit},2023,100,src\nresolved,{unit},2023,85,src\nreceived,{unit},2024,100,src\n\
             resolved,{unit},2024,{last},src\nreceived,{unit},2025S1,50,src\nresolved,{unit},2025S1,47,src\n"
        ))
    };
    let args = ["--plan", "plan-unit", "--as-of", "2025-09-30"];
    let (json, stderr) = eval_catalogue(&with_plan_for("prov-a"), &data("prov-a", 88), "", &args);
    let a = result(&json, "resolution-rate", "prov-a");
    assert_eq!(a["status"], "insufficient-data", "{stderr}\n{a}");
    for assessment in a["assessments"].as_array().expect("assessments") {
        assert_eq!(assessment["status"], "insufficient-data", "{assessment}");
        let explanation = assessment["explanation"].as_str().expect("an explanation");
        assert!(
            explanation.contains("prov-a ended on 2025-06-30") && explanation.contains("prov-ab-2025"),
            "{explanation}"
        );
    }
    // The same figures at a province that lasts are a trend toward the target.
    let (json, _) = eval_catalogue(&with_plan_for("prov-c"), &data("prov-c", 88), "", &args);
    assert_ne!(result(&json, "resolution-rate", "prov-c")["status"], "insufficient-data");
    // A target A had already met keeps its reading.
    let (json, _) = eval_catalogue(&with_plan_for("prov-a"), &data("prov-a", 95), "", &args);
    assert_eq!(result(&json, "resolution-rate", "prov-a")["status"], "achieved");
}

/// A count summed over time against a yearly target, with only the quarters of 2025 known: a part of the year proves
/// what it proves, at a unit that ended (A, merged away on 30 June 2025, whose first half is all it ever counts in
/// 2025) and at one that lasts (C). 50 + 70 = 120 in the first half is already over `<= 100` (not achieved, a
/// verdict) and past `>= 120` (achieved); it proves nothing of `>= 200` (A: no projection to a year it did not finish;
/// C: the trend), and a value of 2024 that meets `<= 150` no longer stands in for 2025, a year over by the as-of date
/// (review of 6 December).
#[test]
fn parts_of_the_target_s_year_decide_a_count_as_far_as_they_prove() {
    let cases = [
        ("<=", 100.0, "off-track", Some(false)),
        (">=", 120.0, "achieved", Some(true)),
        (">", 119.0, "achieved", Some(true)),
        ("=", 110.0, "off-track", Some(false)),
        (">=", 200.0, "", None),
        ("<=", 150.0, "insufficient-data", None),
    ];
    for unit in ["prov-a", "prov-c"] {
        let data = rows(&format!(
            "victims,{unit},2023,60,src\nvictims,{unit},2024,80,src\nvictims,{unit},2025Q1,50,src\n\
             victims,{unit},2025Q2,70,src\n"
        ));
        for (comparator, value, status, met) in cases {
            let catalogue = with_target_for(unit, "victims-count", comparator, value);
            let (json, stderr) = eval_catalogue(&catalogue, &data, "", &["--plan", "plan-unit"]);
            let c5 = result(&json, "victims-count", unit);
            let case = format!("{unit} {comparator} {value}: {}\n{stderr}", c5["assessments"]);
            let line = &c5["targets"][0];
            // A value of 2024 read against the 2025 target is no verdict ("met so far"); a proof is one.
            assert_eq!(line["verdict"].as_bool().unwrap_or(false), met.is_some(), "{case}: {line}");
            match met {
                Some(met) => {
                    assert_eq!(c5["status"], status, "{case}");
                    assert_eq!(line["met"], met, "{case}: {line}");
                    assert_eq!(line["compared_value"], 120.0, "{case}: {line}");
                    assert_eq!(c5["latest"]["value"], 120.0, "{case}");
                    // Every method reads the part alike: a proof is no projection.
                    for assessment in c5["assessments"].as_array().expect("assessments") {
                        assert_eq!(assessment["status"], status, "{case}");
                    }
                }
                None if status.is_empty() => {
                    assert_ne!(c5["status"], "achieved", "{case}");
                    if unit == "prov-a" {
                        assert_eq!(c5["status"], "insufficient-data", "{case}");
                    }
                }
                None => assert_eq!(c5["status"], status, "{case}"),
            }
        }
    }
    // A band `>= 100` and `<= upper` is settled by a part that proves one bound missed (120 over `<= 110`), not by
    // one that proves only the other bound met: A's `<= 200` is still open, and A gets no projection.
    let data = rows("victims,prov-a,2024,80,src\nvictims,prov-a,2025Q1,50,src\nvictims,prov-a,2025Q2,70,src\n");
    for (upper, status, compared) in [(110.0, "off-track", Some(120.0)), (200.0, "insufficient-data", None)] {
        let catalogue = format!(
            "{}\n[[plan.target]]\nindicator = \"victims-count\"\nperiod = \"2025\"\ncomparator = \"<=\"\n\
             value = {upper}\nsource = \"src\"\n",
            with_target_for("prov-a", "victims-count", ">=", 100.0)
        );
        let (json, stderr) = eval_catalogue(&catalogue, &data, "", &["--plan", "plan-unit"]);
        let c5 = result(&json, "victims-count", "prov-a");
        assert_eq!(c5["status"], status, "<= {upper}: {}\n{stderr}", c5["assessments"]);
        assert_eq!(c5["latest"]["value"].as_f64(), compared.or(Some(80.0)), "<= {upper}");
    }
}

/// A merged province's own row for the whole year of the merger, beside its successor's second half: the two
/// overlap, the successor existed throughout its half and wins, so the old row is not added to the successor or
/// the nation (which count the province as not reporting its days), and W345 names the row by its line; it stays in
/// the province's own series. It was dropped without a word (round 40). Without the successor's half it covers the
/// successor's days, as before, and nothing is said.
#[test]
fn a_merged_province_s_own_year_past_its_end_is_named_where_it_is_left_out() {
    let rows = "cases,prov-a,2025,100,src\ncases,prov-b,2025S1,20,src\ncases,prov-ab-2025,2025S2,50,src\n\
                cases,prov-c,2025,10,src\n";
    let (json, stderr) = districts(&rows.replace("dist", "prov"));
    let named = "data.csv:2:1: warning[W345 reported-after-parent-ended]: prov-a reports cases for 2025, past its \
                 own end on 2025-06-30; prov-ab-2025 reported 2025S2, which overlaps it, so this row is not added to \
                 prov-ab-2025's value or the totals above it";
    assert!(stderr.contains(named), "{stderr}");
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025").0, Some(70.0), "{stderr}");
    assert_eq!(point(&json, "cases-count", "prov-a", "2025").and_then(|p| p["value"].as_f64()), Some(100.0));
    let (_, stderr) = districts("cases,prov-a,2025,100,src\ncases,prov-b,2025,20,src\ncases,prov-c,2025,10,src\n");
    assert!(!stderr.contains("W345"), "{stderr}");
}

/// The catalogue with the resolution rate's target over 2024-2025 (`>= 90`).
fn with_target_over_two_years() -> String {
    let catalogue = fixture_catalogue("catalogue.toml");
    let moved =
        catalogue.replace("period = \"2025\"\ncomparator = \">\"", "period = \"2024..2025\"\ncomparator = \">=\"");
    assert_ne!(moved, catalogue, "the target moved");
    moved
}

/// A rate over a period across calendar years, at a merged province and the nation, holds each year's parts: A and B
/// report their 2024 as a year (or A its halves, B its year) beside their first half of 2025, AB its second half.
/// Matched over the halves of the range, the years belonged to no half and vanished: 100.0 (30/30, "3 of 3 units",
/// achieved) where 130/230 = 56.5 is right (round 47, found by a review helper).
#[test]
fn a_rate_across_years_and_the_merger_holds_every_year_of_every_member() {
    let halves_of_2025 = "received,prov-a,2025S1,10,src\nresolved,prov-a,2025S1,10,src\n\
                          received,prov-b,2025S1,10,src\nresolved,prov-b,2025S1,10,src\n\
                          received,prov-ab-2025,2025S2,10,src\nresolved,prov-ab-2025,2025S2,10,src\n";
    let years = "received,prov-a,2024,100,src\nresolved,prov-a,2024,50,src\n\
                 received,prov-b,2024,100,src\nresolved,prov-b,2024,50,src\n";
    let halves_and_year = "received,prov-a,2024S1,50,src\nresolved,prov-a,2024S1,25,src\n\
                           received,prov-a,2024S2,50,src\nresolved,prov-a,2024S2,25,src\n\
                           received,prov-b,2024,100,src\nresolved,prov-b,2024,50,src\n";
    for data_2024 in [years, halves_and_year] {
        let data = rows(&format!("{data_2024}{halves_of_2025}"));
        let (json, stderr) = eval_catalogue(&with_target_over_two_years(), &data, "", &[]);
        for unit in ["vn", "prov-ab-2025"] {
            let (value, reported, expected, complete) =
                counted(&json, "resolution-rate", unit, "2024-01-01..2025-12-31");
            let value = value.expect("a value");
            assert!((value - 100.0 * 130.0 / 230.0).abs() < 1e-9, "{unit}: {value}\n{stderr}");
            assert_eq!((reported, expected, complete), (3, 3, true), "{unit}");
        }
        let national = json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["indicator"] == "resolution-rate" && r["org_unit"] == "vn")
            .expect("the national rate");
        assert_eq!(national["targets"][0]["met"], false, "{national}");
    }
}

/// A unit's figures reported over a period that straddles the sub-periods a rate is matched on (C's courts' year,
/// October 2024 to September 2025, inside a 2024-2025 range matched year by year) belong to no sub-period. Where
/// both parts cover the same days the rate is matched on the range and flagged partial ((10 + 20) / (10 + 100));
/// where they do not (resolved by its first half of 2025 instead), C is left out and named (W330), never counted on
/// what the sub-periods hold without a word.
#[test]
fn figures_that_straddle_the_sub_periods_of_a_rate_are_matched_on_the_same_days_or_left_out_and_named() {
    let range = "2024-01-01..2025-12-31";
    let same = rows(
        "received,prov-c,2024Q1,10,src\nresolved,prov-c,2024Q1,10,src\n\
         received,prov-c,2024Oct,100,src\nresolved,prov-c,2024Oct,20,src\n",
    );
    let (json, stderr) = eval_catalogue(&with_target_over_two_years(), &same, "", &[]);
    let (value, _, _, complete) = counted(&json, "resolution-rate", "vn", range);
    assert_eq!((value, complete), (Some(100.0 * 30.0 / 110.0), false), "{stderr}");
    let different = rows(
        "received,prov-c,2024Q1,10,src\nresolved,prov-c,2024Q1,10,src\n\
         received,prov-c,2024Oct,100,src\nresolved,prov-c,2025S1,20,src\n",
    );
    let (json, stderr) = eval_catalogue(&with_target_over_two_years(), &different, "", &[]);
    // No value over the range (C, its only unit, is left out), or one that is not C's first quarter alone.
    let point = point(&json, "resolution-rate", "vn", range);
    assert!(point.is_none_or(|p| p["value"] != 100.0), "C's courts' year vanished: {point:?}\n{stderr}");
    assert!(stderr.contains("W330") && stderr.contains("prov-c"), "{stderr}");
}

/// A member's one report over its whole life (A: 2024-01-01..2025-06-30, both parts) straddles the years a 2024-2025
/// rate is matched on, yet both parts cover the same days: it is matched on the period, beside B's years and AB's
/// second half, (15 + 100 + 50 + 100) / (150 + 100 + 50 + 100) = 66.25, as the count over the same rows is complete
/// (round 47, found by a review helper: A was left out, 100.0 partial).
#[test]
fn a_member_s_report_over_its_whole_life_is_matched_when_both_parts_cover_the_same_days() {
    let data = rows(
        "received,prov-a,2024-01-01..2025-06-30,150,src\nresolved,prov-a,2024-01-01..2025-06-30,15,src\n\
         received,prov-b,2024,100,src\nresolved,prov-b,2024,100,src\n\
         received,prov-b,2025S1,50,src\nresolved,prov-b,2025S1,50,src\n\
         received,prov-ab-2025,2025S2,100,src\nresolved,prov-ab-2025,2025S2,100,src\n",
    );
    let (json, stderr) = eval_catalogue(&with_target_over_two_years(), &data, "", &[]);
    let (value, _, _, _) = counted(&json, "resolution-rate", "prov-ab-2025", "2024-01-01..2025-12-31");
    assert_eq!(value, Some(100.0 * 265.0 / 400.0), "{stderr}");
    assert!(!stderr.contains("W330"), "{stderr}");
}

/// A merged unit's member whose parts from the units below it hold days its value leaves out (B's district's year
/// 2025, past B's end on 30 June) is left out of the ratio, and W330 says why, not what its parts cover: both cover
/// the same days, and the old message ("resolved covers part of the period but received only part of it") sent the
/// reader looking for a report that was not missing (round 58).
#[test]
fn a_member_left_out_for_its_units_below_is_named_for_that_reason() {
    let catalogue = fixture_catalogue("districts-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned() + MORE_DISTRICTS;
    let data = "received,dist-b1,2025,32,src\nresolved,dist-b1,2025,20,src\nreceived,dist-b2,2025Q2,10,src\n\
                resolved,dist-b2,2025Q2,5,src\nreceived,prov-a,2025Q2,6,src\nresolved,prov-a,2025Q2,5,src\n";
    let (json, stderr) = eval_catalogue(&catalogue, &rows(data), "", &[]);
    let warning = stderr.lines().find(|l| l.contains("W330") && l.contains("prov-b is left out")).expect("W330");
    assert!(warning.contains("its parts from the units below it hold days its value here leaves out"), "{warning}");
    assert!(!warning.contains("covers part of the period"), "{warning}");
    assert!(stderr.contains("nothing to report unless those rows are wrong"), "{stderr}");
    let ab = point(&json, "resolution-rate", "prov-ab-2025", "2025").cloned().expect("AB 2025");
    assert_eq!((ab["numerator"].as_f64(), ab["denominator"].as_f64()), (Some(5.0), Some(6.0)), "{ab}");
    assert_eq!(ab["coverage"]["complete"], false, "{ab}");
}
