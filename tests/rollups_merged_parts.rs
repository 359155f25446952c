//! A merged province's value built from its members' own reports and the units below them, end to end through
//! `tiendo eval --format json` and the review: the districts of an ended province after the merger, a member
//! reporting through its districts, restatements beside them, the basis each value is labelled with, and the pieces a
//! unit's own date range leaves to the units below. The fixture is `tests/fixtures/rollups/districts-catalogue.toml`
//! with `MORE_DISTRICTS` (A and B merge into AB on 1 July 2025; AB's district from then; C's two districts). Found by
//! review helpers (rounds 50 and 51).

#[path = "support/rollups.rs"]
mod rollups_support;

use rollups_support::*;

/// A district of an ended province keeps reporting beside a district of its successor: different areas, both counted
/// for the successor (16 + 32 = 48 in AB's second half, 57 in the year); only the successor's own report holds the
/// old districts' days (W345). Found by a review helper (round 50): dist-b1's 32 was lost without a word and AB's 25
/// published "complete".
#[test]
fn the_districts_of_an_ended_province_and_of_its_successor_are_both_counted() {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS;
    let rows_of = |extra: &[(&'static str, &'static str, u32)]| {
        let mut all =
            vec![("prov-a", "2025S1", 1), ("prov-b", "2025S1", 8), ("dist-ab1", "2025S2", 16), ("prov-c", "2025", 10)];
        all.extend(extra);
        all.push(("dist-b1", "2025S2", 32));
        rows(&reports("cases", &all))
    };
    let (json, stderr) = eval_catalogue(&catalogue, &rows_of(&[]), "", &[]);
    assert!(!stderr.contains("W345"), "{stderr}");
    for (unit, period, want) in [("prov-ab-2025", "2025S2", 48.0), ("prov-ab-2025", "2025", 57.0), ("vn", "2025", 67.0)]
    {
        let (got, .., complete) = counted(&json, "cases-count", unit, period);
        assert_eq!((got, complete), (Some(want), true), "{unit} {period}\n{stderr}");
    }
    // AB's own second half holds the whole territory's days: the old district's row is named and left out.
    let (json, stderr) = eval_catalogue(&catalogue, &rows_of(&[("prov-ab-2025", "2025S2", 40)]), "", &[]);
    assert!(stderr.contains("W345") && stderr.contains("dist-b1"), "{stderr}");
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025").0, Some(49.0), "{stderr}");
}

/// Inside a merged territory, a member's own quarter leaves its other quarters to its districts, as for a unit on its
/// own: a courts' year from October 2024 at AB is A 1 + 2, B 4 + its districts' first quarter 16 + its own second
/// 16, and AB's own third quarter 32 = 71, complete (round 50, found by a review helper: 55, "missing prov-b 2025Q1"
/// beside B's first half published complete).
#[test]
fn inside_a_merged_territory_a_members_own_quarter_leaves_the_rest_to_its_districts() {
    let data = reports(
        "cases",
        &[
            ("prov-a", "2024Q4", 1),
            ("prov-a", "2025S1", 2),
            ("prov-b", "2024Q4", 4),
            ("prov-b", "2025Q2", 16),
            ("dist-b1", "2025Q1", 8),
            ("dist-b2", "2025Q1", 8),
            ("dist-b3", "2025Q1", 0),
            ("prov-ab-2025", "2025Q3", 32),
            ("prov-c", "2024Oct", 64),
        ],
    );
    let (json, stderr) = districts(&data);
    for (unit, period, want) in
        [("prov-ab-2025", "2024Oct", 71.0), ("vn", "2024Oct", 135.0), ("prov-ab-2025", "2025S1", 34.0)]
    {
        let (got, .., complete) = counted(&json, "cases-count", unit, period);
        assert_eq!((got, complete), (Some(want), true), "{unit} {period}\n{stderr}");
    }
}

/// A rate whose parts are tiled differently (resolved: B's own first quarter and its districts' other three;
/// received: B's own first half and its districts' second, or B's own year) is matched as B's own wherever both
/// parts are complete: 60 of 80 for the year and 40 of 40 for the first half, or 60 of 100, complete (round 50,
/// found by a review helper: 20 of 40 "0 of 2 units", or no rate with W330 saying B reported received "only through
/// the units below").
#[test]
fn a_rate_whose_parts_are_tiled_differently_is_matched_as_the_units_own() {
    let mut resolved = vec![("prov-b", "2024Q1", 30)];
    for quarter in ["2024Q2", "2024Q3", "2024Q4"] {
        resolved.extend([("dist-b1", quarter, 5), ("dist-b2", quarter, 5), ("dist-b3", quarter, 0)]);
    }
    let by_halves =
        [("prov-b", "2024S1", 40), ("dist-b1", "2024S2", 20), ("dist-b2", "2024S2", 20), ("dist-b3", "2024S2", 0)];
    for (received, want) in [
        (&by_halves[..], [("2024", 60.0, 80.0), ("2024S1", 40.0, 40.0)]),
        (&[("prov-b", "2024", 100)][..], [("2024", 60.0, 100.0), ("2024", 60.0, 100.0)]),
    ] {
        let data = reports("resolved", &resolved) + &reports("received", received);
        let (json, stderr) = districts(&data);
        for (period, top, bottom) in want {
            let rate =
                point(&json, "resolution-rate", "prov-b", period).unwrap_or_else(|| panic!("{period}\n{stderr}"));
            let parts = (rate["numerator"].as_f64(), rate["denominator"].as_f64());
            assert_eq!(parts, (Some(top), Some(bottom)), "{period}\n{stderr}");
            assert!(counted(&json, "resolution-rate", "prov-b", period).3, "{period} complete\n{stderr}");
        }
    }
}

/// A count from the units below that is less than the unit's own count of part of the period contradicts it and
/// stands for nothing: B's districts' 6 for 2024 beside B's own 50 for March and April leaves B's year partial, 50 +
/// the districts' second half 2 = 52, never 6 "complete" (round 50, found by a review helper: 6 decided the nation's
/// status).
#[test]
fn a_sum_from_below_less_than_the_units_own_part_never_stands_for_the_period() {
    let mut rows = vec![("prov-b", "2024-03-01..2024-04-30", 50), ("prov-a", "2024", 10), ("prov-c", "2024", 10)];
    for period in ["2024Q1", "2024Q2", "2024S2"] {
        rows.extend([("dist-b1", period, 1), ("dist-b2", period, 1), ("dist-b3", period, 0)]);
    }
    let (json, stderr) = districts(&reports("cases", &rows));
    for (unit, want) in [("prov-b", 52.0), ("vn", 72.0)] {
        let (got, .., complete) = counted(&json, "cases-count", unit, "2024");
        assert_eq!((got, complete), (Some(want), false), "{unit}\n{stderr}");
    }
}

/// The successor's own report holds only the days it covers: AB's own third quarter leaves the fourth to B's
/// districts (which keep reporting after B ended) and AB's own district, 120 + 30 + 3 + 4 + 5 = 162, complete; and an
/// own report reaching back before AB existed (its courts' year from October 2024) holds B's districts' third quarter
/// of 2025, never counted twice (round 50, found by a review helper: 155 "complete", and 204 = 195 + 9).
#[test]
fn the_successors_own_report_holds_only_the_days_it_covers() {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS;
    let data = reports(
        "cases",
        &[
            ("prov-a", "2025S1", 100),
            ("prov-b", "2025S1", 20),
            ("prov-ab-2025", "2025Q3", 30),
            ("dist-b1", "2025Q4", 3),
            ("dist-b2", "2025Q4", 4),
            ("dist-b3", "2025Q4", 0),
            ("dist-ab1", "2025Q4", 5),
            ("prov-c", "2025", 10),
        ],
    );
    let (json, stderr) = eval_catalogue(&catalogue, &rows(&data), "", &[]);
    for (unit, period, want) in
        [("prov-ab-2025", "2025Q4", 12.0), ("prov-ab-2025", "2025", 162.0), ("vn", "2025", 172.0)]
    {
        let (got, .., complete) = counted(&json, "cases-count", unit, period);
        assert_eq!(
            (got, complete),
            (Some(want), true),
            "{unit} {period} {}\n{stderr}",
            point(&json, "cases-count", unit, period).unwrap()
        );
    }
    let data = reports("cases", &[("prov-ab-2025", "2024Oct", 195), ("dist-b1", "2025Q3", 9)]);
    let (json, stderr) = eval_catalogue(&catalogue, &rows(&data), "", &[]);
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2024Oct").0, Some(195.0), "{stderr}");
}

/// A restatement stands for the old units only over the days it covers: AB's restated 2025Q2 (before AB existed)
/// makes its second quarter complete, never its first half or year, which lack A's and B's first quarter (round
/// 50, found by a review helper: 63 and 113 "complete", the national change on 2024 and status drawn from them).
#[test]
fn a_restated_quarter_covers_the_old_units_only_over_its_days() {
    let data = reports(
        "cases",
        &[
            ("prov-a", "2024", 10),
            ("prov-b", "2024", 10),
            ("prov-c", "2024", 10),
            ("prov-c", "2025", 10),
            ("prov-ab-2025", "2025Q2", 63),
            ("prov-ab-2025", "2025S2", 50),
        ],
    );
    let (json, stderr) = districts(&data);
    for (unit, period, want, whole) in [
        ("prov-ab-2025", "2025Q2", 63.0, true),
        ("prov-ab-2025", "2025S1", 63.0, false),
        ("prov-ab-2025", "2025", 113.0, false),
        ("vn", "2025", 123.0, false),
    ] {
        let (got, .., complete) = counted(&json, "cases-count", unit, period);
        assert_eq!((got, complete), (Some(want), whole), "{unit} {period}\n{stderr}");
    }
}

/// A merged province's rate whose member B counts resolved through its own second quarter and its districts' first
/// and received itself for the half is complete where every part is: AB 2025S1 50/70, the nation 90/140, "complete"
/// (round 50, found by a review helper: the same numbers "2 of 3 units PARTIAL: " with nothing named, and the national
/// status "insufficient data" where 64.3 settles `>= 80`).
#[test]
fn a_merged_provinces_rate_of_complete_parts_counted_differently_is_complete() {
    let mut data = reports("resolved", &[("prov-a", "2025S1", 40), ("prov-b", "2025Q2", 5), ("prov-c", "2025", 10)]);
    data += &reports("resolved", &[("dist-b1", "2025Q1", 2), ("dist-b2", "2025Q1", 3), ("dist-b3", "2025Q1", 0)]);
    data += &reports("resolved", &[("prov-ab-2025", "2025S2", 30)]);
    data += &reports(
        "received",
        &[("prov-a", "2025S1", 50), ("prov-b", "2025S1", 20), ("prov-ab-2025", "2025S2", 60), ("prov-c", "2025", 10)],
    );
    let (json, stderr) = districts(&data);
    for (unit, period, parts) in [("prov-ab-2025", "2025S1", (50.0, 70.0)), ("vn", "2025", (90.0, 140.0))] {
        let rate = point(&json, "resolution-rate", unit, period).unwrap_or_else(|| panic!("{unit} {period}\n{stderr}"));
        assert_eq!((rate["numerator"].as_f64(), rate["denominator"].as_f64()), (Some(parts.0), Some(parts.1)));
        assert!(counted(&json, "resolution-rate", unit, period).3, "{unit} {period} complete\n{stderr}");
    }
}

/// The districts of an ended province that report after it ended are expected in its successor's later quarters,
/// whether the province reported its first half itself or through them: AB's fourth quarter from its own district
/// alone is 1 of 3 units, partial, naming B's silent districts (round 50, found by a review helper: "complete" at AB
/// and at the nation, with no coverage at all, while AB's second half named the same districts as missing).
#[test]
fn the_districts_of_an_ended_province_are_expected_in_its_successors_later_quarters() {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS;
    let later = [("dist-ab1", "2025Q4", 12), ("dist-b1", "2025Q3", 6), ("dist-b2", "2025Q3", 5)];
    let first_halves: [&[(&str, &str, u32)]; 2] = [
        &[("prov-a", "2025S1", 100), ("prov-b", "2025S1", 20)],
        &[("prov-a", "2025S1", 100), ("dist-b1", "2025S1", 10), ("dist-b2", "2025S1", 10)],
    ];
    for first_half in first_halves {
        let all: Vec<_> = first_half.iter().chain(&later).copied().collect();
        let (json, stderr) = eval_catalogue(&catalogue, &rows(&reports("cases", &all)), "", &[]);
        // Every province is expected at the nation: C's silence counts there too.
        for (unit, expected, missing) in
            [("prov-ab-2025", 3, vec!["dist-b1", "dist-b2"]), ("vn", 4, vec!["dist-b1", "dist-b2", "prov-c"])]
        {
            let shown = counted(&json, "cases-count", unit, "2025Q4");
            assert_eq!(shown, (Some(12.0), 1, expected, false), "{unit}\n{stderr}");
            let named = &point(&json, "cases-count", unit, "2025Q4").unwrap()["coverage"]["missing"];
            assert_eq!(named, &serde_json::json!(missing), "{unit}\n{stderr}");
        }
        let (.., complete) = counted(&json, "cases-count", "prov-ab-2025", "2025S2");
        assert!(!complete, "{stderr}");
    }
}

/// A member of a merged territory that reports a rate's parts through its districts is matched district by district,
/// as it is on its own: B's 2024Q2 is dist-b1's 13 of 16 (dist-b2's resolved, without received, left out and named),
/// and AB's is A's 10 of 20 and that, 23 of 36 (found by a review helper's rate fuzzer, round 51: AB 26 of 16, a
/// resolution rate of 162.5 %, and the nation 114.8 %).
#[test]
fn a_member_reporting_through_its_districts_is_matched_district_by_district() {
    let mut data =
        reports("resolved", &[("dist-b1", "2024Q2", 13), ("dist-b2", "2024Q2", 13), ("prov-a", "2024Q2", 10)]);
    data += &reports("received", &[("dist-b1", "2024Q2", 16), ("prov-a", "2024Q2", 20)]);
    let (json, stderr) = districts(&data);
    for (unit, parts) in [("prov-b", (13.0, 16.0)), ("prov-ab-2025", (23.0, 36.0)), ("vn", (23.0, 36.0))] {
        let rate = point(&json, "resolution-rate", unit, "2024Q2").unwrap_or_else(|| panic!("{unit}\n{stderr}"));
        assert_eq!(
            (rate["numerator"].as_f64(), rate["denominator"].as_f64()),
            (Some(parts.0), Some(parts.1)),
            "{unit}"
        );
        assert!(!counted(&json, "resolution-rate", unit, "2024Q2").3, "{unit}: dist-b2 is left out\n{stderr}");
    }
    assert!(stderr.contains("W330") && stderr.contains("dist-b2"), "{stderr}");
    // AB's rate is its members' own (A itself, B through its districts), as its counts are: never another basis.
    let ab = point(&json, "resolution-rate", "prov-ab-2025", "2024Q2").unwrap();
    assert_eq!((ab["basis"].as_str(), ab["other_basis"].as_bool()), (Some("reported"), None), "{ab}");
}

/// W332 names the figure used for a restated period, whoever reported it: B through its districts is "prov-b 7
/// (through dist-b1 3 + dist-b2 4)" and 107 is used, as published; where one of B's districts that reports the
/// element is silent, the figure is partial and the district named (round 50, found by a review helper: "prov-b
/// reported nothing; 100 is used, partial" beside a published complete 107).
#[test]
fn a_restatement_warning_names_what_the_units_below_reported() {
    let rows_with = |extra: &[(&'static str, &'static str, u32)]| {
        let mut all = vec![("prov-a", "2025S1", 100), ("prov-ab-2025", "2025S1", 110), ("prov-ab-2025", "2025S2", 50)];
        all.extend(extra);
        reports("cases", &all)
    };
    let (json, stderr) =
        districts(&rows_with(&[("dist-b1", "2025S1", 3), ("dist-b2", "2025S1", 4), ("dist-b3", "2025S1", 0)]));
    assert_eq!(counted(&json, "cases-count", "prov-ab-2025", "2025S1"), (Some(107.0), 4, 4, true), "{stderr}");
    let warning = stderr.lines().find(|line| line.contains("W332")).unwrap_or_default();
    assert!(
        warning.contains("prov-a 100 + prov-b 7 (through dist-b1 3 + dist-b2 4 + dist-b3 0) = 107; 107 is used\n")
            || warning
                .ends_with("prov-a 100 + prov-b 7 (through dist-b1 3 + dist-b2 4 + dist-b3 0) = 107; 107 is used"),
        "{stderr}"
    );
    let (json, stderr) =
        districts(&rows_with(&[("dist-b1", "2025S1", 3), ("dist-b2", "2025S1", 4), ("dist-b3", "2024", 9)]));
    let (value, .., complete) = counted(&json, "cases-count", "prov-ab-2025", "2025S1");
    assert_eq!((value, complete), (Some(107.0), false), "{stderr}");
    let warning = stderr.lines().find(|line| line.contains("W332")).unwrap_or_default();
    assert!(
        warning
            .contains("prov-b 7 (through dist-b1 3 + dist-b2 4; dist-b3 reported nothing) = 107; 107 is used, partial"),
        "{stderr}"
    );
}

/// A courts' year from the districts' quarters names every district that lacks a quarter: both lack 2025Q1-Q3,
/// whether or not communes lie below them (round 50, found by a review helper: dist-c1, which has communes that never
/// report, was not named, as if it were whole).
#[test]
fn every_district_lacking_a_quarter_of_a_courts_year_is_named() {
    let communes = r#"
[[org_unit]]
id = "com-c1x"
name = { vi = "Xã C1X", en = "Commune C1X" }
level = "commune"
parent = "dist-c1"
"#;
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS + communes;
    let data = reports("cases", &[("prov-c", "2023Oct", 100), ("dist-c1", "2024Q4", 10), ("dist-c2", "2024Q4", 10)]);
    let (json, stderr) = eval_catalogue(&catalogue, &rows(&data), "", &[]);
    let point = point(&json, "cases-count", "prov-c", "2024Oct").unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!(point["value"].as_f64(), Some(20.0));
    let named: Vec<&str> =
        point["coverage"]["missing_periods"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    // Named by its days in the year 2025 (2025S1 and 2025Q3) or by quarters, either is true.
    for district in ["dist-c1", "dist-c2"] {
        let days: Vec<&str> = named.iter().filter_map(|p| p.strip_prefix(&format!("{district} "))).collect();
        assert!(days == ["2025Q1", "2025Q2", "2025Q3"] || days == ["2025Q3", "2025S1"], "{district}: {point}");
    }
}

/// A target for 2025 beside a partial 2024 and nothing in 2025: the review's headline row and the indicator's section
/// say "insufficient data", never "no data", which the review's glossary defines as no value in the review window
/// (round 50, found by a review helper: "Status: No data" above a table showing 30, partial).
#[test]
fn a_status_beside_a_partial_earlier_value_is_insufficient_data_not_no_data() {
    let target = "\n[[plan.target]]\nindicator = \"cases-count\"\nperiod = \"2025\"\ncomparator = \"<=\"\nvalue = 100\n\
                  source = \"src\"\n";
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS + target;
    let data = reports("cases", &[("prov-c", "2024Q1", 10), ("dist-c1", "2024Q2", 5), ("dist-c2", "2024Q2", 5)]);
    let folder = project(&catalogue, &rows(&data), "[confidentiality]\nthreshold = 1\n");
    let out = folder.path().join("out");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["report", folder.path().to_str().unwrap(), "--window", "2021..2025", "--as-of", "2026-03-15"])
        .args(["--lang", "en", "--format", "md", "--out", out.to_str().unwrap(), "-q"])
        .output()
        .expect("tiendo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let review = std::fs::read_to_string(out.join("review.md")).unwrap_or_else(|e| panic!("{e}\n{stderr}"));
    let row = review.lines().find(|l| l.starts_with("| C1 |")).expect("the C1 row");
    assert!(row.contains("Insufficient data") && !row.contains("No data"), "{row}");
    let section = review.split("\n#### ").find(|s| s.starts_with("C1 "));
    let section = section.unwrap_or_else(|| panic!("the C1 section\n{review}"));
    assert!(section.contains("**Status:** Insufficient data"), "{section}");
}

/// A merged province's value is labelled by how its members' parts were built: the old units' own first halves and
/// the districts' second half make AB's 2025 "combined"; its second half, only districts, "aggregated" (a sum of the
/// units below); the members' own halves "reported" (round 50, found by a review helper: all three "reported", while
/// the same construction at a province alone was "combined").
#[test]
fn a_merged_provinces_basis_says_how_its_members_parts_were_built() {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS;
    let data = reports(
        "cases",
        &[
            ("prov-a", "2025S1", 100),
            ("prov-b", "2025S1", 20),
            ("dist-b1", "2025S2", 3),
            ("dist-b2", "2025S2", 4),
            ("dist-b3", "2025S2", 0),
            ("dist-ab1", "2025S2", 5),
        ],
    );
    let (json, stderr) = eval_catalogue(&catalogue, &rows(&data), "", &[]);
    for (period, value, basis) in
        [("2025", 132.0, "combined"), ("2025S2", 12.0, "aggregated"), ("2025S1", 120.0, "reported")]
    {
        let p = point(&json, "cases-count", "prov-ab-2025", period).unwrap_or_else(|| panic!("{period}\n{stderr}"));
        assert_eq!((p["value"].as_f64(), p["basis"].as_str()), (Some(value), Some(basis)), "{period}: {p}");
    }
}

/// A unit's own report of a date range beside its districts' months and quarters for the rest of the year: the
/// days tile, so the year is 100 + 2 + 2 + 20 + 20 = 144, complete, at the province, and so at the nation (round 50, found
/// by a review helper: 140, partial, "missing prov-c 2024-05, 2024-06", months the districts reported).
#[test]
fn a_units_own_date_range_and_the_districts_other_periods_tile_the_year() {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS;
    let mut all = vec![("prov-c", "2024-01-01..2024-04-30", 100)];
    for district in ["dist-c1", "dist-c2"] {
        all.extend([
            (district, "2024-05", 1),
            (district, "2024-06", 1),
            (district, "2024Q3", 10),
            (district, "2024Q4", 10),
        ]);
    }
    let (json, stderr) = eval_catalogue(&catalogue, &rows(&reports("cases", &all)), "", &[]);
    for (period, want) in [("2024", 144.0), ("2024S1", 104.0)] {
        let (got, .., complete) = counted(&json, "cases-count", "prov-c", period);
        assert_eq!((got, complete), (Some(want), true), "prov-c {period}\n{stderr}");
        // The nation expects every province: A and B are missing there, and named; C is not.
        let p = point(&json, "cases-count", "vn", period).unwrap_or_else(|| panic!("vn {period}\n{stderr}"));
        assert_eq!(p["value"].as_f64(), Some(want), "vn {period}: {p}");
        assert_eq!(p["coverage"]["missing"], serde_json::json!(["prov-a", "prov-b"]), "vn {period}: {p}");
        assert!(p["coverage"]["missing_periods"].is_null(), "vn {period}: {p}");
    }
}

/// The same tiling for a rate: the unit's own January to April 40 of 50 and its districts' May, June and second half
/// give 64 of 98 for the year and 44 of 58 for the first half, complete (round 51: the districts' 24 of 48, "partial"
/// with nothing named).
#[test]
fn a_rate_of_a_units_own_date_range_and_the_districts_other_periods_is_matched_over_them() {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS;
    let mut data = reports("resolved", &[("prov-c", "2024-01-01..2024-04-30", 40)]);
    data += &reports("received", &[("prov-c", "2024-01-01..2024-04-30", 50)]);
    for district in ["dist-c1", "dist-c2"] {
        data += &reports("resolved", &[(district, "2024-05", 1), (district, "2024-06", 1), (district, "2024S2", 10)]);
        data += &reports("received", &[(district, "2024-05", 2), (district, "2024-06", 2), (district, "2024S2", 20)]);
    }
    let (json, stderr) = eval_catalogue(&catalogue, &rows(&data), "", &[]);
    for (period, parts) in [("2024", (64.0, 98.0)), ("2024S1", (44.0, 58.0))] {
        let rate = point(&json, "resolution-rate", "prov-c", period).unwrap_or_else(|| panic!("{period}\n{stderr}"));
        assert_eq!(
            (rate["numerator"].as_f64(), rate["denominator"].as_f64()),
            (Some(parts.0), Some(parts.1)),
            "{rate}"
        );
        assert!(counted(&json, "resolution-rate", "prov-c", period).3, "{period} complete: {rate}");
    }
}

/// A stock reported for periods ending on the same day (the fourth quarter and December, or the second half and the
/// fourth quarter) is that day's stock once, never the sum: 6 for the year, and 6 + 4 = 10 for a province whose
/// districts report so (round 51, found by a review helper: 12 and 16, and a target `>= 10` "met").
#[test]
fn a_stock_reported_twice_for_one_day_is_counted_once() {
    let catalogue = fixture_catalogue("districts-catalogue.toml") + MORE_DISTRICTS;
    type Rows = &'static [(&'static str, &'static str, u32)];
    let cases: [(Rows, f64); 3] = [
        (&[("prov-c", "2025Q4", 6), ("prov-c", "2025-12", 6)], 6.0),
        (&[("prov-c", "2025S2", 6), ("prov-c", "2025Q4", 6)], 6.0),
        (&[("dist-c1", "2025Q4", 6), ("dist-c1", "2025-12", 6), ("dist-c2", "2025S2", 4)], 10.0),
    ];
    for (rows_of, want) in cases {
        let (json, stderr) = eval_catalogue(&catalogue, &rows(&reports("shelters", rows_of)), "", &[]);
        for period in ["2025", "2025S2"] {
            let got = counted(&json, "shelter-count", "prov-c", period).0;
            assert_eq!(got, Some(want), "{rows_of:?} {period}\n{stderr}");
        }
    }
}

/// A successor's restated stock of part of a period before it existed stands for its predecessors, partial; what it
/// lacks is named as its own days (round 54: AB's restated November 2024 made AB's and the nation's fourth quarter
/// "partial" with nothing named).
#[test]
fn a_restated_stock_of_part_of_a_period_names_what_it_lacks() {
    let (json, stderr) = districts(&reports("shelters", &[("prov-ab-2025", "2024-11", 208), ("prov-c", "2024Q4", 20)]));
    for (unit, value) in [("prov-ab-2025", 208.0), ("vn", 228.0)] {
        let p = point(&json, "shelter-count", unit, "2024Q4").unwrap_or_else(|| panic!("{unit}\n{stderr}"));
        assert_eq!((p["value"].as_f64(), p["coverage"]["complete"].as_bool()), (Some(value), Some(false)), "{unit}");
        assert_eq!(
            p["coverage"]["missing_periods"],
            serde_json::json!(["prov-ab-2025 2024-10", "prov-ab-2025 2024-12"]),
            "{unit}"
        );
    }
}
