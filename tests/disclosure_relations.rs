//! The disclosure audit reads a published total as the aggregator made it, end to end through `tiendo eval --format
//! json` (published output, without `--show-suppressed`): a province's own quarter beside its district's February to
//! May is what the province adds to the half year, and the audit must see that reading too. The fixture is
//! `tests/fixtures/rollups/districts-catalogue.toml` with `MORE_DISTRICTS`, `cases` sensitive, threshold 11. Found by a
//! review helper (round 54, hunt-af F8): the nation's half year (48) less C's own quarter (44) gave A's hidden 4.

#[path = "support/rollups.rs"]
mod rollups_support;

use rollups_support::*;
use serde_json::Value;

/// The published evaluation of `data` with cases sensitive.
fn published(data: &str) -> Value {
    let catalogue = fixture_catalogue("districts-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned() + MORE_DISTRICTS;
    let catalogue =
        catalogue.replacen("time_aggregation = \"sum\"\n", "time_aggregation = \"sum\"\nsensitive = true\n", 1);
    let folder = project(&catalogue, &rows(data), "[confidentiality]\nthreshold = 11\n");
    eval_json(folder.path(), &[]).0
}

/// The published value of cases at `unit` in `period`, if shown.
fn shown(json: &Value, unit: &str, period: &str) -> Option<f64> {
    point(json, "cases-count", unit, period).and_then(|p| p["value"].as_f64())
}

/// A reader's subtraction: the total, then the parts taken from it.
type Deduction = &'static [(&'static str, &'static str)];

/// Rows, the hidden small cell, then the subtractions a reader would make to find it (each: a total less parts).
type Case = (&'static [(&'static str, &'static str, u32)], (&'static str, &'static str), &'static [Deduction]);

/// Checks that each case's small cell is hidden and that no subtraction that gives it has every term shown.
fn check(cases: &[Case]) {
    for (data, (unit, period), deductions) in cases {
        let json = published(&reports("cases", data));
        assert_eq!(shown(&json, unit, period), None, "{unit} {period} is a small count");
        for deduction in deductions.iter() {
            let terms: Vec<Option<f64>> = deduction.iter().map(|(u, p)| shown(&json, u, p)).collect();
            assert!(
                terms.iter().any(Option::is_none),
                "{deduction:?} ({terms:?}): the first less the others gives {unit} {period}"
            );
        }
    }
}

#[test]
fn a_total_less_the_parts_it_adds_never_gives_a_hidden_count() {
    check(&[
        (
            &[("prov-a", "2024S1", 4), ("prov-c", "2024Q1", 44), ("dist-c2", "2024-02-01..2024-05-31", 34)],
            ("prov-a", "2024S1"),
            &[&[("vn", "2024S1"), ("prov-c", "2024Q1")], &[("vn", "2024"), ("prov-c", "2024Q1")]],
        ),
        (
            &[
                ("prov-a", "2025-02-01..2025-05-31", 4),
                ("prov-b", "2025Q1", 44),
                ("dist-b2", "2025-02-01..2025-05-31", 34),
                ("prov-c", "2025S1", 40),
            ],
            ("prov-a", "2025-02-01..2025-05-31"),
            &[
                &[("prov-ab-2025", "2025S1"), ("prov-b", "2025Q1")],
                &[("prov-ab-2025", "2025S1"), ("prov-ab-2025", "2025Q1")],
            ],
        ),
    ]);
}

/// A value that sums some of a unit's cells inside its period, not covering every day (marked partial), is their
/// sum to a reader who adds them up: B's 2024 of 92 is its first quarter (a district's March, 5) and its May to
/// September (87); the nation's 109 less C's May to September (17) gives B's year, and that less B's May to
/// September gives the hidden March (round 55, found by a review helper's fuzzer, seed 55).
#[test]
fn a_partial_value_less_the_cells_it_sums_never_gives_a_hidden_count() {
    check(&[(
        &[
            ("dist-b2", "2024-03", 5),
            ("dist-b3", "2024Q3", 57),
            ("prov-ab-2025", "2025Q3", 43),
            ("dist-c1", "2025-09", 1),
            ("dist-c2", "2024-05-01..2024-09-30", 4),
            ("dist-c1", "2024-06", 59),
            ("prov-c", "2024-05-01..2024-09-30", 17),
            ("prov-c", "2025Q2", 23),
            ("dist-b1", "2024-05-01..2024-09-30", 30),
            ("dist-b1", "2025-03", 4),
        ],
        ("prov-b", "2024-03"),
        &[
            &[("vn", "2024"), ("prov-c", "2024-05-01..2024-09-30"), ("prov-b", "2024-05-01..2024-09-30")],
            &[("vn", "2024"), ("prov-c", "2024-05-01..2024-09-30"), ("prov-ab-2025", "2024-05-01..2024-09-30")],
            &[("prov-b", "2024"), ("prov-b", "2024-05-01..2024-09-30")],
            &[("prov-ab-2025", "2024"), ("prov-ab-2025", "2024-05-01..2024-09-30")],
        ],
    )]);
}
