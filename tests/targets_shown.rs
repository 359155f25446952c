//! How a target is shown beside the values that decide it, end to end with the real binary (round 72, found by
//! adversarial testers): a band missed on one bound is never said to be met, an earlier target whose period ended
//! without a value of it is shown unsettled and is a data gap, and a target of the courts' year is tabled beside
//! courts' years. Each fixture is a folder of `tests/fixtures/` named in its test.

use std::path::Path;

use serde_json::Value;

#[path = "support/targets.rs"]
mod targets_support;
use targets_support::{result, review, row, run};

/// A copy of the fixture folder `name` in a temporary folder (the review is written inside it).
fn fixture(name: &str) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in ["catalogue.toml", "data.csv", "tiendo.toml"] {
        std::fs::copy(from.join(file), folder.path().join(file)).expect("fixture copied");
    }
    folder
}

/// A band missed on its upper bound (286/300 = 95.3 % against `>= 85` and `<= 95`) is not achieved, and nothing beside
/// the status says the target as set is met: the band is met only when both bounds are (round 72, found by an
/// adversarial tester: "Not achieved (by the method's own rule; the target as set is met)", read from `>= 85`
/// alone, in every output). Fixture: `tests/fixtures/band-upper-bound-missed`.
#[test]
fn a_band_missed_on_one_bound_is_never_said_to_be_met() {
    let folder = fixture("band-upper-bound-missed");
    let t2 = result(folder.path(), "resolution-rate", "vn", &["--as-of", "2026-01-15"]);
    let met: Vec<&Value> = t2["targets"].as_array().unwrap().iter().map(|t| &t["met"]).collect();
    assert_eq!(met, [&Value::Bool(true), &Value::Bool(false)], "{t2}");
    let output = run(&["eval", folder.path().to_str().unwrap(), "--as-of", "2026-01-15", "--org-unit", "vn"]);
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.contains("T2 Resolution rate - Việt Nam [vn]: off-track (not achieved: a verdict)\n"), "{table}");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15"]);
    let row = row(&en, "T2");
    assert!(row.contains("✘ Not achieved |") && !row.contains("as set is met"), "{row}");
    assert!(!en.contains("the target as set is met"), "{en}");
}

/// An earlier target whose period has ended without a value of it (a 2023 milestone of at least 80 % with only
/// 2023Q1 reported) is shown "no data", without a verdict, beside the one settled on its value (round 72, found by an
/// adversarial tester: it was nowhere in the review). Fixture: `tests/fixtures/milestone-without-value`.
#[test]
fn an_earlier_target_without_a_value_of_its_period_is_shown_unsettled() {
    let folder = fixture("milestone-without-value");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15"]);
    assert!(en.contains("- **Earlier target:** at least 75 (2022) [1]: 70.0, missed\n"), "{en}");
    // Its period's only value, Q1 2023's 60.0, is named without a verdict (round 74, found by a reader).
    assert!(en.contains("- **Earlier target:** at least 80 (2023) [1]: 60.0 (Q1 2023)\n"), "{en}");
    // ... and listed among the targets without data, for its own year.
    let gaps = &en[en.find("### Targets without data").expect("the data gaps")..];
    assert!(gaps.contains("| T2 | Resolution rate | Resolved; Received (for 2023) |"), "{gaps}");
}

/// A target of the courts' year (1 October 2024 - 30 September 2025, `<= 200`) is shown in the whole-period table
/// beside the courts' years ending in each column's year, named, never the calendar years' values: 190 (the calendar
/// 2025) under "at most 200" beside "not achieved" contradicted the status, and the deciding 240 was nowhere (round 72,
/// found by an adversarial tester). Fixture: `tests/fixtures/judicial-year-target`.
#[test]
fn a_target_of_the_courts_year_is_tabled_beside_courts_years() {
    let folder = fixture("judicial-year-target");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15"]);
    let rows: Vec<&str> = en.lines().filter(|l| l.starts_with("| K1 |")).collect();
    let whole = rows.iter().find(|r| r.contains("at most 200")).expect("the whole-period row");
    assert!(
        whole.ends_with("| 200 (1 Oct 2023–30 Sep 2024) [1] | 240 (1 Oct 2024–30 Sep 2025) [1] | ✘ Not achieved |"),
        "{whole}"
    );
    assert!(!whole.contains("190") && !whole.contains("210") && !whole.contains("Q4 2023"), "{whole}");
}

/// A value of the target's own period, published and whole, settles the target even where an earlier value is hidden:
/// 30 against `<= 20` in 2025 is not achieved, 30 against `<= 40` achieved, with no score, detail or words of the
/// trend, which could read the hidden 2023 (round 72, found by a verifier: "insufficient data" and "0 not achieved").
/// Fixture: `tests/fixtures/hidden-earlier-value` (victims 50, 8 hidden, 35, 30).
#[test]
fn a_target_settled_by_its_own_published_value_is_decided_beside_a_hidden_earlier_one() {
    for (value, status, shown) in [("20", "off-track", "✘ Not achieved"), ("40", "achieved", "✔ Achieved")] {
        let folder = fixture("hidden-earlier-value");
        let catalogue = folder.path().join("catalogue.toml");
        let text = std::fs::read_to_string(&catalogue).expect("catalogue");
        std::fs::write(&catalogue, text.replace("value = 20\n", &format!("value = {value}\n"))).expect("written");
        let c5 = result(folder.path(), "victims-count", "vn", &["--as-of", "2026-01-15"]);
        assert_eq!(c5["status"], status, "{c5}");
        for assessment in c5["assessments"].as_array().expect("assessments") {
            assert!(assessment["score"].is_null(), "{assessment}");
            assert!(!assessment["explanation"].as_str().unwrap_or_default().contains('8'), "{assessment}");
        }
        let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15"]);
        assert!(row(&en, "C5").contains(shown), "{}", row(&en, "C5"));
    }
}

/// A target of a date range over several years is tabled beside each year's own value (or its latest part, named),
/// its last year showing the value decided: a five-year total of 810 stood beside "no data" for 2021-2024 while the
/// detail published 150, 100, 200 and 200, and a plan from 1 July 2024 beside "no data" for 2024 while H2 2024's 45
/// was published (round 73, found by an adversarial tester). Fixtures: `tests/fixtures/multi-year-target`,
/// `tests/fixtures/plan-range-across-years`.
#[test]
fn a_target_over_several_years_is_tabled_beside_each_year() {
    let folder = fixture("multi-year-target");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15"]);
    let rows: Vec<&str> = en.lines().filter(|l| l.starts_with("| C1 |") && l.contains("at least 700")).collect();
    let whole = rows.iter().find(|r| r.contains("Achieved")).expect("the whole-period row");
    assert!(whole.ends_with("| 150 [1] | 100 [1] | 200 [1] | 200 [1] | 810 (2021–2025) [1] | ✔ Achieved |"), "{whole}");
    let folder = fixture("plan-range-across-years");
    let args = ["--plan", "plan-mid", "--window", "2024-07-01..2025-06-30", "--as-of", "2026-01-15"];
    let (en, _) = review(folder.path(), &args);
    let whole = en.lines().find(|l| l.starts_with("| C1 |") && l.contains("| 45 (H2 2024)")).expect("the row");
    assert!(whole.ends_with("| 45 (H2 2024) [1] | 95 (1 Jul 2024 – 30 Jun 2025) [1] | ✘ Not achieved |"), "{whole}");
}

/// A programme's target set for one province only, on a percentage the provinces report (which no sum gives the
/// country), is said beside the country's row: "Province C: 2025 ≥ 90, met" (92), never left out because the
/// country has no value of its own (round 74, found by an adversarial tester: the target and its verdict were in no
/// part of the review). Fixture: `tests/fixtures/target-for-province-only`.
#[test]
fn a_target_for_a_province_only_is_said_where_the_country_has_no_value() {
    let folder = fixture("target-for-province-only");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-03-01"]);
    assert!(row(&en, "C1").contains("– Not assessed"), "{}", row(&en, "C1"));
    assert!(en.contains("**Comment:** Targets of this plan for other units: Province C: 2025 ≥ 90, met"), "{en}");
}

/// An indicator without a target whose years are partial (two provinces reported only their second halves) has the
/// complete halves as its latest value and its rows: "83.3 (H2 2025)", with H2 2024 and H2 2025 in its table beside
/// the partial years, never "no data" beside them (round 74, found by an adversarial tester). Fixture:
/// `tests/fixtures/halves-beside-partial-years`.
#[test]
fn complete_halves_beside_partial_years_are_shown_and_latest() {
    let folder = fixture("halves-beside-partial-years");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-03-01"]);
    assert!(row(&en, "T2").contains("| 83.3 (H2 2025) [1] |"), "{}", row(&en, "T2"));
    for half in ["| H2 2024 | 66.7 |  | [1] |", "| H2 2025 | 83.3 |  | [1] |"] {
        assert!(en.contains(half), "{half}: {en}");
    }
    assert!(en.contains("| 2025 | 83.3 | Partial: 2 of 2 units reported; missing Province 1 H1 2025"), "{en}");
}

/// A target for another unit that nothing settles is said with the value compared and its period, never "met":
/// Province C's 2024 value of 29 meets its 2025 `<= 30`, but C has no 2025 value, so evaluation gives no verdict
/// (round 74, found by a verifier: "Province C: 2025 ≤ 30, met"). Fixture: `tests/fixtures/target-for-another-unit`,
/// C's 2025 row left out and its 2024 value 29.
#[test]
fn a_target_for_another_unit_without_a_verdict_names_its_value() {
    let folder = fixture("target-for-another-unit");
    let data = std::fs::read_to_string(folder.path().join("data.csv")).expect("data");
    assert!(data.contains("cases,prov-c,2024,33,src\ncases,prov-c,2025,28,src\n"), "the fixture changed");
    let data = data.replace("cases,prov-c,2024,33,src\ncases,prov-c,2025,28,src\n", "cases,prov-c,2024,29,src\n");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15"]);
    let comment = "Targets of this plan for other units: Province C: 2025 ≤ 30, 29 (2024) meets it, no verdict";
    assert!(en.contains(comment), "{en}");
    assert!(!en.contains("2025 ≤ 30, met"), "{en}");
}

/// An earlier target settled on a part of its period names the part: a count's first half of 2023 (90) already meets
/// `>= 80` for 2023, shown "90 (H1 2023), met", never "90, met" as if the year's figure (round 74, found by a reader
/// of the review). Fixture: `tests/fixtures/milestone-without-value`, its rate made a count of the resolved.
#[test]
fn an_earlier_target_settled_on_a_part_names_the_part() {
    let folder = fixture("milestone-without-value");
    let catalogue = std::fs::read_to_string(folder.path().join("catalogue.toml")).expect("catalogue");
    let marker = "measure = \"percent\"\nnumerator = \"resolved\"\ndenominator = \"received\"";
    assert!(catalogue.contains(marker), "the fixture changed");
    let count = catalogue.replace(marker, "measure = \"count\"\nnumerator = \"resolved\"").replace("limit = 100\n", "");
    std::fs::write(folder.path().join("catalogue.toml"), count).expect("catalogue written");
    let data = "data_element,org_unit,period,value,source\nresolved,vn,2022,70,src\nresolved,vn,2023S1,90,src\n\
                resolved,vn,2024,90,src\nresolved,vn,2025S1,150,src\n";
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let (en, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15"]);
    assert!(en.contains("- **Earlier target:** at least 80 (2023) [1]: 90 (H1 2023), met\n"), "{en}");
}
