//! Roll-ups a reviewer can sign, end to end through `tiendo eval --format json`: matched ratios, one breakdown at a
//! time, succession without double counting, partial periods and coverage (mergers and splits are in
//! `rollups_merger.rs`). Cases 01, 02 and 16 of `shared/cases/numbers/` with their right values, and further inputs
//! of each kind.
//!
//! Every project here uses `tests/fixtures/rollups/catalogue.toml`: Viet Nam, provinces A and B that merge into AB on
//! 1 July 2025, province C; received/resolved (T2, a percent with target `> 90` in 2025) and victims (C5, by sex and
//! by age group, sensitive).

#[path = "support/rollups.rs"]
mod rollups_support;

use std::process::Command;

use rollups_support::*;

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
    let catalogue = fixture_catalogue("catalogue.toml");
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
    let folder = write_project(catalogue, data);
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

/// A project folder of `catalogue` and `data` with a manifest and no other table.
fn write_project(catalogue: &str, data: &str) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(folder.path().join("catalogue.toml"), catalogue).expect("catalogue written");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n";
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    folder
}

/// `tiendo eval --format table` of the project made of `catalogue` and `data`, at Viet Nam.
fn eval_table(catalogue: &str, data: &str) -> String {
    let folder = write_project(catalogue, data);
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder.path())
        .args(["--as-of", "2026-01-15", "--format", "table", "--org-unit", "vn"])
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
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

/// A breakdown's W330 names the option whose parts are unmatched: prov-c reports its supported victims by sex and its
/// victims as a total, so its total is matched and its male rate is not (round 49: the warning named the totals,
/// "it reports supported without victims", which prov-c reports both of).
#[test]
fn w330_of_a_breakdown_names_its_option() {
    let catalogue = fixture_catalogue("catalogue.toml")
        + "\n[[data_element]]\nid = \"supported\"\nname = { vi = \"Được hỗ trợ\", en = \"Supported\" }\n\
           categories = [\"sex\"]\n\n[[indicator]]\nid = \"support-rate\"\ncode = \"V2\"\n\
           name = { vi = \"Tỷ lệ hỗ trợ\", en = \"Support rate\" }\ngroup = \"wa\"\nmeasure = \"percent\"\n\
           numerator = \"supported\"\ndenominator = \"victims\"\ndirection = \"increase\"\nsource = \"src\"\n\
           disaggregations = [\"sex\"]\n";
    let data = "victims,prov-a,2024,female,,30,src\nvictims,prov-a,2024,male,,10,src\nsupported,prov-a,2024,female,,30,src\n\
                supported,prov-a,2024,male,,5,src\nvictims,prov-c,2024,,,50,src\nvictims,prov-c,2024,female,,20,src\n\
                supported,prov-c,2024,female,,10,src\nsupported,prov-c,2024,male,,10,src\n";
    let (_, stderr) = eval_catalogue(&catalogue, &format!("{BREAKDOWN_HEADER}{data}"), "", &[]);
    assert!(
        stderr.contains(
            "support-rate: prov-c is left out of the ratio (at vn): in 2024, it reports supported[sex=male] without \
             victims[sex=male]"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("prov-c is left out of the ratio (at vn): in 2024, it reports supported without"),
        "{stderr}"
    );
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
            // Its own reports do not cover its days: its report is its whole area's (round 61).
            Some(
                "for 2025 the units that existed reported prov-a 50 (2025S1, its part of 2025) + prov-b 50 (2025S1, \
                 its part of 2025) = 100; its own reports leave out days of 2025 it existed in, so its report \
                 stands for its whole area over 2025, the days before it existed included; 210 is used\n",
            ),
        ),
        (
            "victims,prov-ab-2025,2025Q3,50,src\nvictims,prov-ab-2025,2025,210,src\n",
            Some(
                "+ prov-ab-2025 50 (2025Q3 only; nothing for 2025Q4) = 150; its own reports leave out days of 2025 \
                 it existed in, so its report stands for its whole area over 2025, the days before it existed \
                 included; 210 is used\n",
            ),
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
    let fixture = fixture_catalogue("catalogue.toml");
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

/// A partial sum of an element that may be negative (`value_type = "number"`, a net change) is no lower bound: the
/// silent province may report less than nothing, so 130 from A and B settles neither `<= 100` nor `>= 120`
/// (round 45: "not met" beside a missing province that had reported -30).
#[test]
fn a_partial_sum_of_an_element_that_may_be_negative_decides_nothing() {
    let data = rows(
        "victims,prov-a,2024,30,src\nvictims,prov-b,2024,30,src\nvictims,prov-c,2024,-20,src\n\
         victims,prov-a,2025S1,60,src\nvictims,prov-b,2025S1,70,src\n",
    );
    // Not sensitive: a sensitive element must be a count (E040).
    let fixture = fixture_catalogue("catalogue.toml")
        .replacen("id = \"victims\"\n", "id = \"victims\"\nvalue_type = \"number\"\n", 1)
        .replacen("sensitive = true\n", "", 1);
    for (comparator, value) in [("<=", 100.0), (">=", 120.0)] {
        let catalogue = format!(
            "{fixture}\n[[plan.target]]\nindicator = \"victims-count\"\nperiod = \"2025\"\ncomparator = \"{comparator}\"\n\
             value = {value}\nsource = \"src\"\n"
        );
        let (json, stderr) = eval_catalogue(&catalogue, &data, "", &["--org-unit", "vn"]);
        let line = &result(&json, "victims-count", "vn")["targets"][0];
        assert_ne!(line["compared_period"], "2025", "{comparator} {value}: the partial 130 decided\n{line}\n{stderr}");
        let markdown = review_md(&catalogue, &data, ("2021..2025", "2026-01-15"));
        assert!(!markdown.contains("what is missing can only add to it"), "{markdown}");
    }
}

/// Under the default `exclude`, a partial value decides nothing, except a lower bound that already settles the
/// target: 60 + 70 = 130 from A and B (C silent) in 2025 is over `<= 100` whatever C reports, so the status is not
/// achieved (it was "achieved" on 2024's 80, beside the published 130); it reaches `>= 120`. One that settles nothing
/// (`<= 200`) leaves 2025 without a value that decides, and 2024's 80 no longer stands in for a year that had ended
/// by the as-of date: insufficient data (review of 6 December). Under `require-complete` the figure is withheld and
/// decides nothing.
#[test]
fn a_partial_lower_bound_that_settles_the_target_decides_it_under_exclude() {
    let data = rows(
        "victims,prov-a,2024,30,src\nvictims,prov-b,2024,30,src\nvictims,prov-c,2024,20,src\n\
         victims,prov-a,2025S1,60,src\nvictims,prov-b,2025S1,70,src\n",
    );
    let fixture = fixture_catalogue("catalogue.toml");
    let cases = [
        ("<=", 100.0, "", "off-track", Some((false, 130.0))),
        (">=", 120.0, "", "achieved", Some((true, 130.0))),
        ("<=", 200.0, "", "insufficient-data", None),
        ("<=", 100.0, "coverage = \"require-complete\"", "insufficient-data", None),
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
            // So does the target line of `tiendo eval` (round 45: it gave the verdict on "130" unmarked).
            let table = eval_table(&catalogue, &data);
            assert!(table.contains(": 130 (partial) in 2025 [src] - not met"), "{table}");
        }
    }
}

/// A country that reported 2021-2023 itself and whose provinces alone reported 2025: the status is decided on its own
/// reports (methodology 4.1, round 10 F5), and the complete 2025 sum of the provinces, 40 against `>= 100`, is shown
/// beside it with its verdict, in eval's JSON and table and in the review. The review said "on track" with nothing
/// beside it (round 46, found by a review helper).
#[test]
fn a_complete_sum_of_the_units_below_for_the_target_period_is_shown_beside_a_status_decided_without_it() {
    let catalogue = fixture_catalogue("own-then-units-below/catalogue.toml");
    let data = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups/own-then-units-below/data.csv"),
    )
    .expect("the fixture's data");
    let (json, stderr) = eval_catalogue(&catalogue, &data, "", &[]);
    let vn = json["indicators"].as_array().unwrap().iter().find(|r| r["org_unit"] == "vn").expect("vn");
    let target = &vn["targets"][0];
    assert_eq!(target["compared_period"], "2023", "{stderr}");
    assert_eq!(
        target["units_below"],
        serde_json::json!({"period": "2025", "value": 40.0, "decimals": 0, "met": false})
    );
    let markdown = review_md(&catalogue, &data, ("2021..2025", "2026-01-15"));
    assert!(
        markdown.contains("The complete sum of the units below for 2025 is 40, which does not meet the target"),
        "{markdown}"
    );
}
