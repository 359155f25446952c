//! Which units a value was expected from, end to end through `tiendo eval --format json` (issue 10, the tracker's
//! roll-up rule "a value built from part of the provinces, or a row dropped without a word, is worse than no value"):
//! a unit that existed in a period is expected whether or not it reported (P1: a merger's or a split's successor
//! that sent nothing, an old unit before the merger, a unit that existed for part of the period); a unit whose rows
//! were all refused or left out stays expected and is named as missing (P5); a row submitted before its period ended
//! is provisional and warned about (P2, W306).
//!
//! The projects use `tests/fixtures/expected-units/catalogue.toml`: Viet Nam; A and B merge into AB and E and F into
//! EF on 1 July 2025; D splits into D1 and D2 then; C stays. No data set, so a unit is expected where it or a unit of
//! its lineage (predecessors and successors) reports the element.

use serde_json::Value;

#[path = "support/project.rs"]
mod support;

/// Runs `tiendo eval` (as of 15 January 2026, `extra` arguments after) on the fixture catalogue with `data` as
/// `data.csv`; returns the JSON and standard error.
fn eval(data: &str, extra: &[&str]) -> (Value, String) {
    let catalogue = support::fixture("expected-units/catalogue.toml");
    let folder = support::project(&catalogue, data, "[confidentiality]\nthreshold = 1\n");
    support::eval_json(folder.path(), extra)
}

fn point<'a>(json: &'a Value, unit: &str, period: &str) -> &'a Value {
    json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|r| r["indicator"] == "cases-count" && r["org_unit"] == unit)
        .and_then(|r| r["series"].as_array()?.iter().find(|p| p["period"] == period))
        .unwrap_or_else(|| panic!("no point of cases-count at {unit} in {period}: {json}"))
}

/// (value, reported, expected, complete, missing) of a point.
fn coverage(json: &Value, unit: &str, period: &str) -> (Option<f64>, u64, u64, bool, Vec<String>) {
    let p = point(json, unit, period);
    let c = &p["coverage"];
    let missing = c["missing"]
        .as_array()
        .map_or_else(Vec::new, |m| m.iter().map(|u| u.as_str().expect("a unit id").to_owned()).collect());
    (
        p["value"].as_f64(),
        c["reported"].as_u64().unwrap_or(0),
        c["expected"].as_u64().unwrap_or(0),
        c["complete"].as_bool().unwrap_or(true),
        missing,
    )
}

const HEADER: &str = "data_element,org_unit,period,value,source\n";

/// Every old province reports 2024 and the first half of 2025 (10 each), C both halves of 2025; `second_half` are
/// the rows of the new units for the second half of 2025.
fn merger_data(second_half: &str) -> String {
    let mut data = HEADER.to_owned();
    for unit in ["prov-a", "prov-b", "prov-d", "prov-e", "prov-f"] {
        data.push_str(&format!("cases,{unit},2024,10,src\ncases,{unit},2025S1,10,src\n"));
    }
    data.push_str("cases,prov-c,2024,10,src\ncases,prov-c,2025S1,10,src\ncases,prov-c,2025S2,10,src\n");
    data.push_str(second_half);
    data
}

// --- P1: a unit that existed is expected whether or not it reported ---

#[test]
fn a_merger_successor_that_sent_nothing_is_expected_after_the_merger() {
    // EF, made of E and F on 1 July 2025, sends nothing: the national second half is built without it.
    let second_half =
        "cases,prov-ab-2025,2025S2,20,src\ncases,prov-d1-2025,2025S2,5,src\ncases,prov-d2-2025,2025S2,5,src\n";
    let (json, stderr) = eval(&merger_data(second_half), &[]);
    let (value, reported, expected, complete, missing) = coverage(&json, "vn", "2025S2");
    assert_eq!((value, reported, expected, complete), (Some(40.0), 4, 5, false), "{stderr}");
    assert_eq!(missing, ["prov-ef-2025"]);
    // The year: E and F's first half is there, EF's second half is not, for EF itself and for the country.
    let (_, _, _, complete, missing) = coverage(&json, "vn", "2025");
    assert!(!complete && missing == ["prov-ef-2025"], "{missing:?}");
    let (value, _, _, complete, missing) = coverage(&json, "prov-ef-2025", "2025");
    assert_eq!((value, complete, missing), (Some(20.0), false, vec!["prov-ef-2025".to_owned()]));
    // With EF's report the same values are complete.
    let (json, _) = eval(&merger_data(&format!("{second_half}cases,prov-ef-2025,2025S2,20,src\n")), &[]);
    assert_eq!(coverage(&json, "vn", "2025S2"), (Some(60.0), 5, 5, true, Vec::new()));
    assert!(coverage(&json, "vn", "2025").3);
}

#[test]
fn a_split_successor_that_sent_nothing_is_expected_after_the_split() {
    let second_half =
        "cases,prov-ab-2025,2025S2,20,src\ncases,prov-d1-2025,2025S2,5,src\ncases,prov-ef-2025,2025S2,20,src\n";
    let (json, stderr) = eval(&merger_data(second_half), &[]);
    let (value, reported, expected, complete, missing) = coverage(&json, "vn", "2025S2");
    assert_eq!((value, reported, expected, complete), (Some(55.0), 4, 5, false), "{stderr}");
    assert_eq!(missing, ["prov-d2-2025"]);
    assert!(!coverage(&json, "vn", "2025").3);
}

#[test]
fn an_old_unit_is_expected_before_the_merger_when_its_lineage_reports() {
    // B never reports, nor does AB: A's figures alone are not the old provinces' whole.
    let data = format!("{HEADER}cases,prov-a,2024,10,src\ncases,prov-c,2024,10,src\n");
    let (json, stderr) = eval(&data, &[]);
    let (value, reported, expected, complete, missing) = coverage(&json, "vn", "2024");
    assert_eq!((value, reported, expected, complete), (Some(20.0), 2, 3, false), "{stderr}");
    assert_eq!(missing, ["prov-b"]);
    // The new province's 2024 (its territory's) is partial too.
    let (value, _, _, complete, missing) = coverage(&json, "prov-ab-2025", "2024");
    assert_eq!((value, complete, missing), (Some(10.0), false, vec!["prov-b".to_owned()]));
    // A split unit whose successors report is expected before the split.
    let data = format!(
        "{HEADER}cases,prov-c,2024,10,src\ncases,prov-c,2025S2,10,src\ncases,prov-d1-2025,2025S2,5,src\n\
         cases,prov-d2-2025,2025S2,5,src\n"
    );
    let (json, _) = eval(&data, &[]);
    let (_, _, _, complete, missing) = coverage(&json, "vn", "2024");
    assert!(!complete && missing == ["prov-d"], "{missing:?}");
    assert!(coverage(&json, "vn", "2025S2").3);
}

#[test]
fn a_unit_is_expected_only_for_the_part_of_the_period_it_existed() {
    // The second half of 2025: the old provinces did not exist, so their silence then is no gap.
    let second_half = "cases,prov-ab-2025,2025S2,20,src\ncases,prov-d1-2025,2025S2,5,src\n\
                       cases,prov-d2-2025,2025S2,5,src\ncases,prov-ef-2025,2025S2,20,src\n";
    let (json, _) = eval(&merger_data(second_half), &[]);
    assert_eq!(coverage(&json, "vn", "2025S2"), (Some(60.0), 5, 5, true, Vec::new()));
    // The first half: the new provinces did not exist yet.
    let (_, reported, expected, complete, _) = coverage(&json, "vn", "2025S1");
    assert_eq!((reported, expected, complete), (6, 6, true));
    // The year: each unit over its own part of it, all there.
    let (value, _, _, complete, missing) = coverage(&json, "vn", "2025");
    assert_eq!((value, complete, missing), (Some(120.0), true, Vec::new()));
    // Old provinces that report the whole year of the merger cover their successor's days: it sent nothing, and
    // nothing is missing. When one of them reports nothing, its own half and its successor's are missing.
    let whole_year = format!("{HEADER}cases,prov-a,2025,20,src\ncases,prov-b,2025,20,src\ncases,prov-c,2025,20,src\n");
    let (json, _) = eval(&whole_year, &[]);
    let (value, _, _, complete, missing) = coverage(&json, "vn", "2025");
    assert_eq!((value, complete, missing), (Some(60.0), true, Vec::new()));
    let (json, _) = eval(&whole_year.replace("cases,prov-b,2025,20,src\n", ""), &[]);
    let (value, _, _, complete, missing) = coverage(&json, "vn", "2025");
    assert_eq!((value, complete), (Some(40.0), false));
    assert_eq!(missing, ["prov-ab-2025", "prov-b"]);
}

// --- P5: a unit whose rows were all refused or left out stays expected ---

/// A and B report 2024; C's only row is `c_row` (after the header `header`).
fn refused(header: &str, rows: &str, c_row: &str) -> String {
    format!("{header}{rows}{c_row}")
}

#[test]
fn a_unit_whose_only_rows_were_refused_stays_expected_and_is_named() {
    let good = "cases,prov-a,2024,10,src\ncases,prov-b,2024,10,src\n";
    // Each way a row of C is refused by the reader (a value, a source, a period cell): C is missing, not forgotten.
    for c_row in [
        "cases,prov-c,2024,abc,src\n",
        "cases,prov-c,2024,-3,src\n",
        "cases,prov-c,2024,2.5,src\n",
        "cases,prov-c,2024,1.000,src\n",
        "cases,prov-c,2024,10,\n",
        "cases,prov-c,2024,10,nowhere\n",
        "cases,prov-c,2024,10,src,extra\n",
    ] {
        let (json, stderr) = eval(&refused(HEADER, good, c_row), &[]);
        assert!(stderr.contains("error[E3"), "{c_row}: {stderr}");
        let (value, reported, expected, complete, missing) = coverage(&json, "vn", "2024");
        assert_eq!((value, reported, expected, complete), (Some(20.0), 2, 3, false), "{c_row}");
        assert_eq!(missing, ["prov-c"], "{c_row}");
    }
    // A status or a submission date that cannot be read refuses the row too.
    let header = "data_element,org_unit,period,value,source,status,submitted\n";
    let good = "cases,prov-a,2024,10,src,,\ncases,prov-b,2024,10,src,,\n";
    for c_row in ["cases,prov-c,2024,10,src,maybe,\n", "cases,prov-c,2024,10,src,,someday\n"] {
        let (json, _) = eval(&refused(header, good, c_row), &[]);
        assert_eq!(coverage(&json, "vn", "2024").4, ["prov-c"], "{c_row}");
    }
}

#[test]
fn a_unit_whose_only_rows_were_left_out_as_not_known_stays_expected() {
    let header = "data_element,org_unit,period,value,source,submitted\n";
    let good = "cases,prov-a,2024,10,src,2025-01-10\ncases,prov-b,2024,10,src,2025-01-10\n";
    // Submitted after the as-of date (W305), or citing a source dated after it (W303).
    for (c_row, code) in
        [("cases,prov-c,2024,10,src,2026-02-01\n", "W305"), ("cases,prov-c,2024,10,late-src,2025-01-10\n", "W303")]
    {
        let (json, stderr) = eval(&refused(header, good, c_row), &[]);
        assert!(stderr.contains(code), "{code}: {stderr}");
        let (value, reported, expected, complete, missing) = coverage(&json, "vn", "2024");
        assert_eq!((value, reported, expected, complete), (Some(20.0), 2, 3, false), "{code}");
        assert_eq!(missing, ["prov-c"], "{code}");
    }
}

// --- P2: a row submitted before its period ended ---

#[test]
fn a_row_submitted_before_its_period_ended_is_provisional_and_warned_about() {
    let data = "data_element,org_unit,period,value,source,submitted\n\
                cases,prov-c,2023,10,src,2024-01-05\ncases,prov-c,2024,12,src,2024-03-15\n\
                cases,prov-c,2025Q1,3,src,2025-03-31\n";
    let (json, stderr) = eval(data, &["--org-unit", "prov-c"]);
    // The yearly figure of 2024 submitted in March 2024: warned about at its line, and provisional.
    assert!(stderr.contains("W306"), "{stderr}");
    assert!(stderr.contains("data.csv:3"), "{stderr}");
    assert!(stderr.contains("2024-03-15") && stderr.contains("2024"), "{stderr}");
    assert_eq!(point(&json, "prov-c", "2024")["provisional"], true);
    // Submitted after its period, or on its last day: final, and no warning about it.
    assert_eq!(point(&json, "prov-c", "2023")["provisional"], false);
    assert_eq!(point(&json, "prov-c", "2025Q1")["provisional"], false);
    assert!(!stderr.contains("data.csv:2") && !stderr.contains("data.csv:4"), "{stderr}");
}

/// Every data set holding an element expects units of its level, not only the first by id: with a national data set
/// (`annual-national-report`) before the provincial one, a national 2024 of 30 from A's 10 and B's 20 read "2 of 2
/// units" and decided "achieved" against `<= 50` while C, which existed all of 2024, sent nothing (round 74, found by
/// an adversarial tester). Fixture: `tests/fixtures/expected-by-every-data-set`.
#[test]
fn every_data_set_holding_an_element_expects_its_units() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/expected-by-every-data-set");
    let (json, stderr) = support::eval_json(&folder, &["--org-unit", "vn"]);
    let result = support::result(&json, "cases-count", "vn");
    let coverage = &support::point(&json, "cases-count", "vn", "2024").expect("2024")["coverage"];
    assert_eq!((coverage["reported"].as_u64(), coverage["expected"].as_u64()), (Some(2), Some(3)), "{stderr}");
    assert_eq!(coverage["missing"], serde_json::json!(["prov-c"]), "{coverage}");
    assert_eq!(result["status"], "insufficient-data", "{result}");
}
