//! Roll-ups a reviewer can sign, end to end through `tiendo eval --format json`: matched ratios, one breakdown at a
//! time, succession without double counting, partial periods and coverage. Cases 01, 02 and 16 of
//! `shared/cases/numbers/` with their right values, and further inputs of each kind.
//!
//! Every project here uses `tests/fixtures/rollups/catalogue.toml`: Viet Nam, provinces A and B that merge into AB on
//! 1 July 2025, province C; received/resolved (T2, a percent with target `> 90` in 2025) and victims (C5, by sex and
//! by age group, sensitive).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs `tiendo eval` on a project made of the fixture catalogue, `data` as `data.csv` and `[assessment]` lines;
/// returns the JSON and standard error.
fn eval(data: &str, assessment: &str, extra: &[&str]) -> (Value, String) {
    eval_on("catalogue.toml", data, assessment, extra)
}

/// [`eval`] on another catalogue of `tests/fixtures/rollups/`.
fn eval_on(catalogue: &str, data: &str, assessment: &str, extra: &[&str]) -> (Value, String) {
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups").join(catalogue);
    let catalogue = std::fs::read_to_string(catalogue).expect("the fixture catalogue");
    eval_catalogue(&catalogue, data, assessment, extra)
}

/// [`eval`] on a catalogue given as text.
fn eval_catalogue(catalogue: &str, data: &str, assessment: &str, extra: &[&str]) -> (Value, String) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(folder.path().join("catalogue.toml"), catalogue).expect("catalogue written");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = format!(
        "[project]\nname = {{ vi = \"Thử\", en = \"Test\" }}\nprogramme = \"plan-test\"\ncatalogue = [\"catalogue.toml\"]\n\
         data = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n\n[assessment]\nmethod = \"eurostat\"\n{assessment}\n"
    );
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder.path())
        .args(["--as-of", "2026-01-15", "--format", "json", "--show-suppressed"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON output: {e}\n{stderr}"));
    (json, stderr)
}

fn result<'a>(json: &'a Value, indicator: &str, unit: &str) -> &'a Value {
    json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|r| r["indicator"] == indicator && r["org_unit"] == unit)
        .unwrap_or_else(|| panic!("no result for {indicator} at {unit}"))
}

fn point<'a>(json: &'a Value, indicator: &str, unit: &str, period: &str) -> Option<&'a Value> {
    result(json, indicator, unit)["series"].as_array()?.iter().find(|p| p["period"] == period)
}

fn value(json: &Value, indicator: &str, unit: &str, period: &str) -> Option<f64> {
    point(json, indicator, unit, period)?["value"].as_f64()
}

const HEADER: &str = "data_element,org_unit,period,value,source\n";

fn rows(lines: &str) -> String {
    format!("{HEADER}{lines}")
}

// --- Case 01 and its kind: ratios from matched parts ---

const CASE_01: &str = "received,prov-a,2023,10,src\nresolved,prov-a,2023,9,src\nresolved,prov-b,2023,5,src\n\
                       received,prov-c,2023,20,src\nresolved,prov-c,2023,18,src\n";

#[test]
fn case_01_a_numerator_without_its_denominator_is_left_out_and_named() {
    let (json, stderr) = eval(&rows(CASE_01), "", &["--org-unit", "vn"]);
    let p = point(&json, "resolution-rate", "vn", "2023").expect("the national 2023 rate");
    assert_eq!(
        (p["value"].as_f64(), p["numerator"].as_f64(), p["denominator"].as_f64()),
        (Some(90.0), Some(27.0), Some(30.0))
    );
    assert_eq!(p["coverage"]["unmatched"], serde_json::json!(["prov-b"]));
    assert_eq!((p["coverage"]["reported"].as_u64(), p["coverage"]["expected"].as_u64()), (Some(2), Some(3)));
    assert_eq!(p["coverage"]["complete"], false);
    assert!(
        stderr.contains("W330")
            && stderr
                .contains("prov-b is left out of the ratio (at vn): in 2023, it reports resolved without received"),
        "{stderr}"
    );
    // The default policy lets no partial value decide the target; `flag` decides it on 90 %: over 90 % is not met.
    let target = &result(&json, "resolution-rate", "vn")["targets"][0];
    assert!(target.get("met").is_none(), "{target}");
    let (flagged, _) = eval(&rows(CASE_01), "coverage = \"flag\"", &["--org-unit", "vn"]);
    assert_eq!(result(&flagged, "resolution-rate", "vn")["targets"][0]["met"], false);
    // `require-complete` withholds the number.
    let (strict, _) = eval(&rows(CASE_01), "coverage = \"require-complete\"", &["--org-unit", "vn"]);
    let withheld = point(&strict, "resolution-rate", "vn", "2023").expect("the point stays, without a number");
    assert_eq!((withheld["state"].as_str(), withheld["value"].as_f64()), (Some("incomplete"), None));
}

#[test]
fn matched_ratios_of_other_shapes() {
    // A blank received cell is an error row (E313); the resolved row is then unmatched, as in case 01.
    let (json, stderr) = eval(
        &rows(
            &CASE_01.replace("resolved,prov-b,2023,5,src\n", "resolved,prov-b,2023,5,src\nreceived,prov-b,2023,,src\n"),
        ),
        "",
        &["--org-unit", "vn"],
    );
    assert_eq!(value(&json, "resolution-rate", "vn", "2023"), Some(90.0));
    assert!(stderr.contains("E313"), "{stderr}");
    // A denominator without its numerator is left out too, from the merged province and the country.
    let (json, stderr) =
        eval(&rows("received,prov-a,2023,10,src\nresolved,prov-a,2023,9,src\nreceived,prov-b,2023,40,src\n"), "", &[]);
    assert_eq!(value(&json, "resolution-rate", "prov-ab-2025", "2023"), Some(90.0));
    assert_eq!(value(&json, "resolution-rate", "vn", "2023"), Some(90.0));
    assert!(
        stderr.contains(
            "prov-b is left out of the ratio (at prov-ab-2025, vn): in 2023, it reports received without resolved"
        ),
        "{stderr}"
    );
    // Everybody matched: complete, no warning.
    let (json, stderr) = eval(
        &rows(
            "received,prov-a,2023,10,src\nresolved,prov-a,2023,9,src\nreceived,prov-b,2023,10,src\n\
             resolved,prov-b,2023,10,src\nreceived,prov-c,2023,20,src\nresolved,prov-c,2023,17,src\n",
        ),
        "",
        &[],
    );
    assert_eq!(value(&json, "resolution-rate", "vn", "2023"), Some(36.0 / 40.0 * 100.0));
    assert_eq!(point(&json, "resolution-rate", "vn", "2023").unwrap()["coverage"]["complete"], true);
    assert!(!stderr.contains("W330"), "{stderr}");
}

// --- Case 02 and its kind: one breakdown at a time ---

const BREAKDOWN_HEADER: &str = "data_element,org_unit,period,sex,age_group,value,source\n";

#[test]
fn case_02_two_breakdowns_of_one_total_are_not_added() {
    let data = format!(
        "{BREAKDOWN_HEADER}victims,vn,2023,female,,40,src\nvictims,vn,2023,male,,20,src\nvictims,vn,2023,,child,15,src\n\
         victims,vn,2023,,adult,45,src\n"
    );
    let (json, stderr) = eval(&data, "", &["--org-unit", "vn"]);
    assert_eq!(value(&json, "victims-count", "vn", "2023"), Some(60.0));
    assert!(!stderr.contains("W331"), "the two breakdowns agree: {stderr}");
}

#[test]
fn breakdowns_that_disagree_are_warned_about_and_a_total_wins() {
    // By age adds up to 70, by sex to 60: a warning with both sums; the first complete breakdown (by sex) is used.
    let disagree = format!(
        "{BREAKDOWN_HEADER}victims,prov-c,2023,female,,40,src\nvictims,prov-c,2023,male,,20,src\n\
         victims,prov-c,2023,,child,25,src\nvictims,prov-c,2023,,adult,45,src\n"
    );
    let (json, stderr) = eval(&disagree, "", &[]);
    assert_eq!(value(&json, "victims-count", "prov-c", "2023"), Some(60.0));
    assert!(stderr.contains("W331") && stderr.contains("gives 60") && stderr.contains("gives 70"), "{stderr}");
    // An explicit total wins over both; a disagreeing breakdown is named.
    let with_total = format!("{disagree}victims,prov-c,2023,,,66,src\n");
    let (json, stderr) = eval(&with_total, "", &[]);
    assert_eq!(value(&json, "victims-count", "prov-c", "2023"), Some(66.0));
    assert!(stderr.contains("the total row gives 66"), "{stderr}");
    // A complete breakdown wins over an incomplete one; a lone incomplete breakdown is a partial value.
    let incomplete = format!(
        "{BREAKDOWN_HEADER}victims,prov-c,2023,female,,40,src\nvictims,prov-c,2023,male,,20,src\nvictims,prov-c,2023,,child,15,src\n\
         victims,prov-a,2023,female,,30,src\n"
    );
    let (json, _) = eval(&incomplete, "", &[]);
    assert_eq!(value(&json, "victims-count", "prov-c", "2023"), Some(60.0));
    let only_women = point(&json, "victims-count", "prov-a", "2023").expect("prov-a 2023");
    assert_eq!(only_women["value"].as_f64(), Some(30.0));
    assert_eq!(only_women["coverage"]["incomplete_breakdown"], true);
    // Two-way breakdowns (sex x age) are one view, complete with all four cells.
    let two_way = format!(
        "{BREAKDOWN_HEADER}victims,prov-c,2023,female,child,5,src\nvictims,prov-c,2023,female,adult,35,src\n\
         victims,prov-c,2023,male,child,10,src\nvictims,prov-c,2023,male,adult,10,src\nvictims,prov-c,2023,female,,40,src\n\
         victims,prov-c,2023,male,,20,src\n"
    );
    let (json, stderr) = eval(&two_way, "", &[]);
    assert_eq!(value(&json, "victims-count", "prov-c", "2023"), Some(60.0));
    assert!(!stderr.contains("W331"), "{stderr}");
}

// --- Case 16 and its kind: succession without double counting ---

const CASE_16: &str = "received,prov-a,2025S1,70,src\nreceived,prov-b,2025S1,30,src\nreceived,prov-ab-2025,2025S1,100,src\n\
                       received,prov-ab-2025,2025S2,120,src\nreceived,prov-c,2025,50,src\nresolved,prov-a,2025S1,63,src\n\
                       resolved,prov-b,2025S1,27,src\nresolved,prov-ab-2025,2025S1,90,src\nresolved,prov-ab-2025,2025S2,110,src\n\
                       resolved,prov-c,2025,45,src\n";

#[test]
fn case_16_a_restated_half_year_is_not_added_to_its_predecessors() {
    let (json, stderr) = eval(&rows(CASE_16), "", &[]);
    let rate = |unit: &str, period: &str| point(&json, "resolution-rate", unit, period).cloned().expect("a point");
    let ab_s1 = rate("prov-ab-2025", "2025S1");
    assert_eq!((ab_s1["numerator"].as_f64(), ab_s1["denominator"].as_f64()), (Some(90.0), Some(100.0)));
    let ab_year = rate("prov-ab-2025", "2025");
    assert_eq!((ab_year["numerator"].as_f64(), ab_year["denominator"].as_f64()), (Some(200.0), Some(220.0)));
    let national = rate("vn", "2025");
    assert_eq!((national["numerator"].as_f64(), national["denominator"].as_f64()), (Some(245.0), Some(270.0)));
    assert!(!stderr.contains("W332"), "the restatement equals the predecessors' sum: {stderr}");
}

#[test]
fn restatements_that_differ_or_stand_alone() {
    // The restatement says 90, the old provinces 70 + 30: they win, and the warning names both.
    let (json, stderr) =
        eval(&rows(&CASE_16.replace("received,prov-ab-2025,2025S1,100", "received,prov-ab-2025,2025S1,90")), "", &[]);
    let ab = point(&json, "resolution-rate", "prov-ab-2025", "2025").expect("AB 2025");
    assert_eq!(ab["denominator"].as_f64(), Some(220.0));
    assert!(stderr.contains("W332") && stderr.contains("prov-a 70 + prov-b 30 = 100; 100 is used"), "{stderr}");
    // Only the restatement exists: it is used, and it stands for the old provinces.
    let alone = "received,prov-ab-2025,2025S1,100,src\nresolved,prov-ab-2025,2025S1,90,src\n\
                 received,prov-ab-2025,2025S2,120,src\nresolved,prov-ab-2025,2025S2,110,src\n";
    let (json, _) = eval(&rows(alone), "", &[]);
    let ab = point(&json, "resolution-rate", "prov-ab-2025", "2025").expect("AB 2025");
    assert_eq!(ab["denominator"].as_f64(), Some(220.0));
}

// --- Partial periods and coverage ---

#[test]
fn a_province_that_misses_a_quarter_never_makes_the_year_smaller_than_its_half() {
    let mut data = String::new();
    for (unit, quarters) in [("prov-a", 4), ("prov-b", 4), ("prov-c", 3)] {
        for q in 1..=quarters {
            data.push_str(&format!("received,{unit},2023Q{q},10,src\nresolved,{unit},2023Q{q},9,src\n"));
        }
    }
    let (json, _) = eval(&rows(&data), "", &[]);
    let year = point(&json, "resolution-rate", "vn", "2023").expect("vn 2023");
    let half = point(&json, "resolution-rate", "vn", "2023S1").expect("vn 2023S1");
    assert!(year["denominator"].as_f64() >= half["denominator"].as_f64(), "{year} {half}");
    assert_eq!(year["denominator"].as_f64(), Some(110.0));
    assert_eq!(year["coverage"]["complete"], false);
    assert_eq!(year["coverage"]["missing_periods"], serde_json::json!(["prov-c 2023Q4"]));
    // Province C's own year is not published as a year.
    assert!(point(&json, "resolution-rate", "prov-c", "2023").is_none());
    // A province that reported nothing in 2023 but did in 2022 is expected, and missing.
    let data = rows(
        "received,prov-a,2023,10,src\nresolved,prov-a,2023,9,src\nreceived,prov-c,2022,10,src\nresolved,prov-c,2022,9,src\n",
    );
    let (json, _) = eval(&data, "", &[]);
    let year = point(&json, "resolution-rate", "vn", "2023").expect("vn 2023");
    // Province B, merged with A into AB in 2025, is expected too: A's reports cover their lineage (issue 10, P1).
    assert_eq!(year["coverage"]["missing"], serde_json::json!(["prov-b", "prov-c"]));
    assert_eq!((year["coverage"]["reported"].as_u64(), year["coverage"]["expected"].as_u64()), (Some(1), Some(3)));
}

#[test]
fn the_review_marks_a_partial_figure_and_says_why() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups/catalogue.toml");
    let catalogue = std::fs::read_to_string(fixture).expect("the fixture catalogue");
    let markdown = review_md(&catalogue, &rows(CASE_01), ("2021..2023", "2024-01-15"));
    assert!(
        markdown
            .contains("| 2023 | 90.0 | Partial: 2 of 3 units reported; Province B reported one part of the ratio only"),
        "{markdown}"
    );
    // The partial 90 % is no headline: the indicator table shows no latest value and no percentage of target for it.
    let row = markdown.lines().find(|l| l.starts_with("| T2 |")).expect("T2's row");
    assert!(row.contains("no data") && !row.contains("100.0%"), "{row}");
}

/// The English Markdown review of a project of `catalogue` and `data` over `window` as of `as_of` (default policy).
fn review_md(catalogue: &str, data: &str, (window, as_of): (&str, &str)) -> String {
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(folder.path().join("catalogue.toml"), catalogue).expect("catalogue written");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    let out = folder.path().join("review");
    let status = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("report")
        .arg(folder.path())
        .args(["--window", window, "--as-of", as_of, "--lang", "en", "--quiet", "--out"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    std::fs::read_to_string(out.join("review.md")).expect("the Markdown review")
}

#[test]
fn parts_of_different_periods_are_never_matched() {
    // The new province restates the first half's received but reports resolved for the second half only: the year
    // matches the second halves (15 of 20), never 15 of 50.
    let data = "received,prov-ab-2025,2025S1,30,src\nreceived,prov-ab-2025,2025S2,20,src\nresolved,prov-ab-2025,2025S2,15,src\n\
                received,prov-c,2025,20,src\nresolved,prov-c,2025,18,src\n";
    let (json, stderr) = eval(&rows(data), "", &[]);
    let ab = point(&json, "resolution-rate", "prov-ab-2025", "2025").expect("AB 2025");
    assert_eq!((ab["numerator"].as_f64(), ab["denominator"].as_f64()), (Some(15.0), Some(20.0)));
    assert_eq!(ab["coverage"]["complete"], false);
    let vn = point(&json, "resolution-rate", "vn", "2025").expect("vn 2025");
    assert_eq!((vn["numerator"].as_f64(), vn["denominator"].as_f64()), (Some(33.0), Some(40.0)));
    assert!(
        result(&json, "resolution-rate", "vn")["targets"][0].get("met").is_none(),
        "a partial value decides nothing"
    );
    // The year is not matched because resolved lacks the first half there, the first half because it has no resolved.
    assert!(
        stderr.contains(
            "prov-ab-2025 is left out of the ratio (at vn): in 2025, received covers the period but resolved only part \
             of it (nothing from prov-a, prov-b); in 2025S1, it reports received without resolved"
        ),
        "{stderr}"
    );
}

/// W330 says precisely what is unmatched, for every shape of mismatch (round 5 observation, r1: "prov-a reports
/// resolved without received in 2023" although prov-a reported received for 2023 and its resolved lacked Q4).
#[test]
fn w330_names_what_is_unmatched_in_each_period() {
    let others = "received,prov-b,2023,100,src\nresolved,prov-b,2023,90,src\n";
    // (prov-a's rows, what the warning must say after "prov-a is left out of the ratio (at prov-ab-2025, vn): ")
    let cases = [
        // One part not reported at all.
        ("resolved,prov-a,2023,5,src\n", "in 2023, it reports resolved without received"),
        // One part for the whole year, the other for three quarters: the year lacks Q4 of one part, and each quarter
        // and half has a part reported only for the year.
        (
            "received,prov-a,2023,100,src\nresolved,prov-a,2023Q1,20,src\nresolved,prov-a,2023Q2,20,src\n\
             resolved,prov-a,2023Q3,20,src\n",
            "in 2023, received covers the period but resolved only part of it (2023Q4 missing); in 2023S1, 2023Q1, \
             2023Q2, 2023Q3, resolved covers the period but received is reported only for 2023 as a whole; in 2023S2, \
             resolved covers part of the period (2023Q4 missing) but received is reported only for 2023 as a whole",
        ),
        // Both parts for part of the year, different parts.
        (
            "received,prov-a,2023S1,50,src\nresolved,prov-a,2023S2,20,src\n",
            "in 2023, resolved covers part of the period (2023S1 missing) but received only part of it (2023S2 \
             missing); in 2023S1, it reports received without resolved; in 2023S2, it reports resolved without received",
        ),
    ];
    for (rows_of_a, expected) in cases {
        let (_, stderr) = eval(&rows(&format!("{others}{rows_of_a}")), "", &[]);
        let expected = format!("resolution-rate: prov-a is left out of the ratio (at prov-ab-2025, vn): {expected}\n");
        assert!(stderr.contains(&expected), "{rows_of_a}\nexpected: {expected}\n{stderr}");
    }
}

#[test]
fn a_unit_s_own_part_beside_its_children_s_other_part_is_named() {
    let data = "received,vn,2024,100,src\nreceived,prov-a,2024,10,src\nresolved,prov-a,2024,9,src\n\
                received,prov-c,2024,20,src\nresolved,prov-c,2024,18,src\n";
    let (json, stderr) = eval(&rows(data), "", &["--org-unit", "vn"]);
    let vn = point(&json, "resolution-rate", "vn", "2024").expect("vn 2024");
    assert_eq!((vn["numerator"].as_f64(), vn["denominator"].as_f64()), (Some(27.0), Some(30.0)));
    assert_eq!(vn["coverage"]["unmatched"], serde_json::json!(["vn"]));
    assert!(
        stderr.contains(
            "vn is left out of the ratio: in 2024, it reports received itself and resolved only through the units \
             below it (their matched parts are used)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_restated_month_inside_a_half_the_old_units_reported_is_left_out() {
    let data = "received,prov-a,2025S1,70,src\nresolved,prov-a,2025S1,63,src\nreceived,prov-b,2025S1,30,src\n\
                resolved,prov-b,2025S1,27,src\nreceived,prov-ab-2025,2025-03,7,src\nresolved,prov-ab-2025,2025-03,7,src\n";
    let (json, _) = eval(&rows(data), "", &[]);
    assert_eq!(point(&json, "resolution-rate", "prov-ab-2025", "2025-03"), None);
    assert_eq!(point(&json, "resolution-rate", "vn", "2025Q1"), None);
    let half = point(&json, "resolution-rate", "prov-ab-2025", "2025S1").expect("AB 2025S1");
    assert_eq!(half["denominator"].as_f64(), Some(100.0));
}

#[test]
fn a_restatement_against_finer_or_missing_old_reports_is_named() {
    // The old provinces reported quarters and a half, not the year: the restated year is compared with their sums.
    let data = "received,prov-a,2024Q1,10,src\nreceived,prov-a,2024Q2,10,src\nreceived,prov-a,2024Q3,10,src\n\
                received,prov-a,2024Q4,10,src\nreceived,prov-b,2024S1,10,src\nreceived,prov-ab-2025,2024,90,src\n";
    let (_, stderr) = eval(&rows(data), "", &[]);
    assert!(
        stderr.contains(
            "as 90, before it existed; for 2024 the units that existed reported prov-a 40 + prov-b 10 (2024S1 only; \
             nothing for 2024S2) = 50; 50 is used, partial"
        ),
        "{stderr}"
    );
    // A silent old province is named in the message.
    let (_, stderr) = eval(&rows("received,prov-a,2024,20,src\nreceived,prov-ab-2025,2024,50,src\n"), "", &[]);
    assert!(stderr.contains("prov-a 20 = 20; prov-b reported nothing; 20 is used, partial"), "{stderr}");
    // A restated month inside an old province's half-year is left out, and said so.
    let data = "received,prov-a,2025S1,70,src\nreceived,prov-ab-2025,2025-03,7,src\n";
    let (_, stderr) = eval(&rows(data), "", &[]);
    assert!(stderr.contains("inside the old units' reports (prov-a 2025S1); it is left out"), "{stderr}");
}

/// A restated year of the merger's own year is compared with the value used for that year: the old units' first
/// half and the new unit's own second half, each named with the days it covers (round 5, k2 and k3).
#[test]
fn a_restated_year_is_compared_with_the_whole_value_used() {
    let old_halves = "victims,prov-a,2025Q1,25,src\nvictims,prov-a,2025Q2,25,src\nvictims,prov-b,2025Q1,25,src\n\
                      victims,prov-b,2025Q2,25,src\n";
    // (the new unit's rows, what the warning must say; None: no W332)
    let cases: [(&str, Option<&str>); 4] = [
        (
            "victims,prov-ab-2025,2025Q3,50,src\nvictims,prov-ab-2025,2025Q4,50,src\nvictims,prov-ab-2025,2025,210,src\n",
            Some(
                "restates victims for 2025 as 210, before it existed; for 2025 the units that existed reported \
                 prov-a 50 (2025S1, its part of 2025) + prov-b 50 (2025S1, its part of 2025) + prov-ab-2025 100 \
                 (2025S2, its part of 2025) = 200; 200 is used\n",
            ),
        ),
        (
            "victims,prov-ab-2025,2025,210,src\n",
            Some(
                "for 2025 the units that existed reported prov-a 50 (2025S1, its part of 2025) + prov-b 50 (2025S1, \
                 its part of 2025) = 100; prov-ab-2025 reported nothing for 2025S2, its part of 2025; 100 is used, \
                 partial\n",
            ),
        ),
        (
            "victims,prov-ab-2025,2025Q3,50,src\nvictims,prov-ab-2025,2025,210,src\n",
            Some("+ prov-ab-2025 50 (2025Q3 only; nothing for 2025Q4) = 150; 150 is used, partial\n"),
        ),
        // The restatement equals the value used: nothing to say.
        ("victims,prov-ab-2025,2025S2,100,src\nvictims,prov-ab-2025,2025,200,src\n", None),
    ];
    for (own, expected) in cases {
        let (json, stderr) = eval(&rows(&format!("{old_halves}{own}")), "", &[]);
        match expected {
            Some(expected) => assert!(stderr.contains(expected), "{own}: {stderr}"),
            None => assert!(!stderr.contains("W332"), "{own}: {stderr}"),
        }
        // The figure the warning names is the value published for the year.
        let warning = stderr.lines().find(|line| line.contains("W332")).unwrap_or_default();
        let named = warning.split("; ").find_map(|part| part.trim_end_matches(", partial").strip_suffix(" is used"));
        let named = named.and_then(|figure| figure.parse::<f64>().ok());
        let published = point(&json, "victims-count", "prov-ab-2025", "2025").and_then(|p| p["value"].as_f64());
        if expected.is_some() {
            assert_eq!(named, published, "{own}: {stderr}");
        }
    }
}

#[test]
fn old_units_a_restatement_stood_for_are_missed_when_nobody_reports_for_them() {
    let data = "received,prov-ab-2025,2024,40,src\nresolved,prov-ab-2025,2024,36,src\nreceived,prov-ab-2025,2025S2,20,src\n\
                resolved,prov-ab-2025,2025S2,20,src\nreceived,prov-c,2024,10,src\nresolved,prov-c,2024,9,src\n\
                received,prov-c,2025,5,src\nresolved,prov-c,2025,4,src\n";
    let (json, _) = eval(&rows(data), "", &["--org-unit", "vn"]);
    // 2024: the restatement stands for both old provinces.
    let year = point(&json, "resolution-rate", "vn", "2024").expect("vn 2024");
    assert_eq!(year["coverage"]["complete"], true, "{year}");
    // 2025: nobody reported the first half for the old provinces' area.
    let year = point(&json, "resolution-rate", "vn", "2025").expect("vn 2025");
    assert_eq!(year["coverage"]["missing"], serde_json::json!(["prov-a", "prov-b"]), "{year}");
    // The partial 2025 decides nothing: the final target is compared with the latest complete year.
    assert_eq!(result(&json, "resolution-rate", "vn")["targets"][0]["compared_period"], "2024");
}

#[test]
fn a_quarter_never_decides_a_yearly_target() {
    // Only the first quarter of 2025 is known, at 100 %: the yearly target "> 90 in 2025" stays undecided.
    let (json, _) = eval(&rows("received,vn,2025Q1,93,src\nresolved,vn,2025Q1,93,src\n"), "", &["--org-unit", "vn"]);
    assert_eq!(value(&json, "resolution-rate", "vn", "2025Q1"), Some(100.0));
    let t2 = result(&json, "resolution-rate", "vn");
    assert!(t2["targets"][0].get("met").is_none() && t2["targets"][0].get("compared_period").is_none(), "{t2}");
    assert_eq!(t2["status"], "insufficient-data");
    // The whole year decides it.
    let (json, _) = eval(&rows("received,vn,2025,100,src\nresolved,vn,2025,93,src\n"), "", &["--org-unit", "vn"]);
    assert_eq!(result(&json, "resolution-rate", "vn")["targets"][0]["met"], true);
}

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

#[test]
fn a_new_unit_whose_restatement_is_left_out_lacks_its_own_part_of_the_period_not_a_report() {
    // AB (from 1 July 2025) reports the whole of 2025, restating the first half A and B reported by quarter: the
    // restatement is left out (W332), so AB's 2025 lacks AB's second half, which is what the note must say (round 5,
    // k3: it said "no report from prov-ab-2025").
    let data = "cases,prov-a,2025Q1,25,src\ncases,prov-a,2025Q2,25,src\ncases,prov-b,2025Q1,25,src\n\
                cases,prov-b,2025Q2,25,src\ncases,prov-ab-2025,2025,210,src\ncases,prov-c,2025,100,src\n";
    let (json, stderr) = eval_on("split-catalogue.toml", &rows(data), "", &[]);
    assert!(stderr.contains("W332"), "{stderr}");
    for unit in ["prov-ab-2025", "vn"] {
        let coverage = &point(&json, "cases-count", unit, "2025").expect("a 2025 point")["coverage"];
        assert_eq!(coverage["complete"], false, "{unit}: {coverage}");
        assert_eq!(coverage["missing_periods"], serde_json::json!(["prov-ab-2025 2025S2"]), "{unit}: {coverage}");
        assert!(coverage["missing"].is_null(), "{unit}: AB reported, so it is not missing: {coverage}");
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

/// Under `coverage = "flag"` a value built from part of the provinces decides only what it proves. A count that adds
/// up over units and time is a lower bound of the whole (what is missing only adds): 70 from A and B (C silent)
/// proves `>= 60` met and `<= 60` or `= 60` missed, and nothing of `<= 100`, `>= 100`, `= 100` or `> 90`, where the
/// status was "achieved" or "off track, deterioration" on part of the country. Its target line shows no percent of
/// target, progress or gap: those of the whole are not known (round 10, F3).
#[test]
fn a_value_from_part_of_the_units_decides_only_what_it_proves() {
    let data = rows(
        "victims,prov-a,2023,40,src\nvictims,prov-b,2023,30,src\nvictims,prov-c,2023,30,src\n\
         victims,prov-a,2024,40,src\nvictims,prov-b,2024,30,src\n",
    );
    let fixture =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups/catalogue.toml"))
            .expect("the fixture catalogue");
    let cases = [
        (">=", 60.0, "achieved", Some(true)),
        ("<=", 60.0, "off-track", Some(false)),
        ("=", 60.0, "off-track", Some(false)),
        ("<=", 100.0, "insufficient-data", None),
        (">=", 100.0, "insufficient-data", None),
        ("=", 100.0, "insufficient-data", None),
        (">", 90.0, "insufficient-data", None),
    ];
    for (comparator, value, status, met) in cases {
        let catalogue = format!(
            "{fixture}\n[[plan.target]]\nindicator = \"victims-count\"\nperiod = \"2024\"\ncomparator = \"{comparator}\"\n\
             value = {value}\nsource = \"src\"\n"
        );
        let (json, stderr) = eval_catalogue(&catalogue, &data, "coverage = \"flag\"", &[]);
        let national = result(&json, "victims-count", "vn");
        let case = format!("{comparator} {value}: {}\n{stderr}", national["assessments"]);
        assert_eq!(point(&json, "victims-count", "vn", "2024").unwrap()["coverage"]["complete"], false, "{case}");
        assert_eq!(national["status"], status, "{case}");
        let line = national["targets"].as_array().unwrap().iter().find(|l| l["period"] == "2024").expect("2024 line");
        assert_eq!(line["met"].as_bool(), met, "{case}: {line}");
        assert_eq!(line["verdict"].as_bool().unwrap_or(false), met.is_some(), "{case}: {line}");
        for field in ["percent_of_target", "progress_from_baseline", "gap"] {
            assert!(line[field].is_null(), "{case}: {field} of a lower bound: {line}");
        }
    }
    // A ratio from part of the provinces is no bound: `flag` lets it decide as it stands, marked (case 01 too).
    let ratio = rows(
        "received,prov-a,2025,100,src\nresolved,prov-a,2025,95,src\nreceived,prov-b,2024,100,src\n\
         resolved,prov-b,2024,95,src\nreceived,prov-c,2024,100,src\nresolved,prov-c,2024,95,src\n",
    );
    let (json, stderr) = eval(&ratio, "coverage = \"flag\"", &[]);
    let t2 = result(&json, "resolution-rate", "vn");
    assert_eq!(point(&json, "resolution-rate", "vn", "2025").unwrap()["coverage"]["complete"], false, "{stderr}");
    assert_eq!((&t2["status"], &t2["targets"][0]["met"]), (&"achieved".into(), &true.into()), "{}", t2["assessments"]);
}

/// Under the default `exclude`, a partial value decides nothing, except a lower bound that already settles the
/// target: 60 + 70 = 130 from A and B (C silent) in 2025 is over `<= 100` whatever C reports, so the status is not
/// achieved (it was "achieved" on 2024's 80, beside the published 130); it reaches `>= 120`. One that settles nothing
/// (`<= 200`) leaves the status to the complete values. Under `require-complete` the figure is withheld and decides
/// nothing.
#[test]
fn a_partial_lower_bound_that_settles_the_target_decides_it_under_exclude() {
    let data = rows(
        "victims,prov-a,2024,30,src\nvictims,prov-b,2024,30,src\nvictims,prov-c,2024,20,src\n\
         victims,prov-a,2025S1,60,src\nvictims,prov-b,2025S1,70,src\n",
    );
    let fixture =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups/catalogue.toml"))
            .expect("the fixture catalogue");
    let cases = [
        ("<=", 100.0, "", "off-track", Some((false, 130.0))),
        (">=", 120.0, "", "achieved", Some((true, 130.0))),
        ("<=", 200.0, "", "achieved", None),
        ("<=", 100.0, "coverage = \"require-complete\"", "achieved", None),
    ];
    for (comparator, value, assessment, status, settled) in cases {
        let catalogue = format!(
            "{fixture}\n[[plan.target]]\nindicator = \"victims-count\"\nperiod = \"2025\"\ncomparator = \"{comparator}\"\n\
             value = {value}\nsource = \"src\"\n"
        );
        let (json, stderr) = eval_catalogue(&catalogue, &data, assessment, &["--org-unit", "vn"]);
        let c5 = result(&json, "victims-count", "vn");
        let case = format!("{comparator} {value} {assessment}: {}\n{stderr}", c5["assessments"]);
        assert_eq!(c5["status"], status, "{case}");
        let line = &c5["targets"][0];
        match settled {
            Some((met, compared)) => {
                assert_eq!((&line["met"], &line["verdict"]), (&met.into(), &true.into()), "{case}: {line}");
                assert_eq!((&line["compared_period"], &line["compared_value"]), (&"2025".into(), &compared.into()));
            }
            None => assert_eq!(line["compared_period"], "2024", "{case}: {line}"),
        }
        // The review shows the bound as the value decided, marked, and says what it was to the status.
        if settled.is_some() && comparator == "<=" {
            let markdown = review_md(&catalogue, &data, ("2021..2025", "2026-01-15"));
            let row = markdown.lines().find(|l| l.starts_with("| C5 |")).expect("C5's row");
            assert!(row.contains("| 130 (2025, partial) [1] |") && row.contains("Not achieved"), "{row}");
            assert!(markdown.contains("(used for the status: what is missing can only add to it)"), "{markdown}");
        }
    }
}

// --- Round 10, Q1: a merged province's member that reports only through its districts ---

/// `districts-catalogue.toml`: A and B merge into AB on 1 July 2025, C stays; B's three districts report for it.
fn districts(data: &str) -> (Value, String) {
    eval_on("districts-catalogue.toml", &rows(data), "", &[])
}

/// (value, reported, expected, complete) of a point.
fn counted(json: &Value, indicator: &str, unit: &str, period: &str) -> (Option<f64>, u64, u64, bool) {
    let p = point(json, indicator, unit, period).unwrap_or_else(|| panic!("no {indicator} at {unit} in {period}"));
    let c = &p["coverage"];
    (
        p["value"].as_f64(),
        c["reported"].as_u64().unwrap_or(1),
        c["expected"].as_u64().unwrap_or(1),
        c["complete"] != false,
    )
}

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
    // A without its second quarter did not report all its part of the year: 3 of 4, A missing.
    let (json, _) = districts(&data.replace("cases,prov-a,2025Q2,10,src\n", ""));
    let year = &json["completeness"][0]["periods"][0];
    assert_eq!((year["received"].as_u64(), &year["missing"]), (Some(3), &serde_json::json!(["prov-a"])));
}

// --- A unit that ended before its target's period did ---

/// A plan for `unit` (`prov-a` ended on 30 June 2025, `prov-c` lasts) with T2 `> 90` for 2025.
fn with_plan_for(unit: &str) -> String {
    with_target_for(unit, "resolution-rate", ">", 90.0)
}

/// A plan for `unit` with the one target `indicator comparator value` for 2025.
fn with_target_for(unit: &str, indicator: &str, comparator: &str, value: f64) -> String {
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups/catalogue.toml");
    let catalogue = std::fs::read_to_string(catalogue).expect("the fixture catalogue");
    format!(
        "{catalogue}\n[[plan]]\nid = \"plan-unit\"\nkind = \"provincial\"\ntitle = {{ vi = \"Kế hoạch\", en = \"Plan\" }}\n\
         org_unit = \"{unit}\"\nperiod = \"2021..2025\"\nsource = \"src\"\nimplements = \"plan-test\"\n\
         indicators = [\"{indicator}\"]\n\n[[plan.target]]\nindicator = \"{indicator}\"\nperiod = \"2025\"\n\
         comparator = \"{comparator}\"\nvalue = {value}\nsource = \"src\"\n"
    )
}

/// Province A merged away on 1 July 2025: a trend projected to the end of 2025, a year it never finished, is no
/// reading of its 2025 target. Every method says "insufficient data" and why (A ended, AB reports its territory),
/// where the same data at a province that lasts is read as a trend; a target A already met stays achieved.
#[test]
fn a_unit_that_ended_before_its_target_s_period_gets_no_projected_status() {
    let data = |unit: &str, last: u32| {
        rows(&format!(
            "received,{unit},2023,100,src\nresolved,{unit},2023,85,src\nreceived,{unit},2024,100,src\n\
             resolved,{unit},2024,{last},src\nreceived,{unit},2025S1,50,src\nresolved,{unit},2025S1,47,src\n"
        ))
    };
    let args = ["--plan", "plan-unit"];
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
/// C: the trend), and a value of 2024 that meets `<= 150` keeps its reading as for any unit.
#[test]
fn parts_of_the_target_s_year_decide_a_count_as_far_as_they_prove() {
    let cases = [
        ("<=", 100.0, "off-track", Some(false)),
        (">=", 120.0, "achieved", Some(true)),
        (">", 119.0, "achieved", Some(true)),
        ("=", 110.0, "off-track", Some(false)),
        (">=", 200.0, "", None),
        ("<=", 150.0, "achieved", None),
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
