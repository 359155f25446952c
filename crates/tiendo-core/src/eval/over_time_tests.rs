//! Worked cases of W339, W340 and W341 on small stores: which reports over time are said to disagree or overlap.

use super::*;
use crate::eval::store::{NewObservation, ObservationStatus, ObservationStore};

/// The warnings for `rows` of one element at one unit, as `(period, value)` (every row a total), the element summed
/// over time when `summed`.
fn warnings(rows: &[(&str, f64)], summed: bool) -> Vec<(String, String)> {
    warnings_as(rows, (summed, false), false)
}

/// [`warnings`] for an element summed over time, or a stock, or neither; sensitive (its values withheld) or not.
fn warnings_as(rows: &[(&str, f64)], (summed, stock): (bool, bool), sensitive: bool) -> Vec<(String, String)> {
    let mut store = ObservationStore::new();
    let file = store.add_file("data.csv");
    for (row, (period, value)) in rows.iter().enumerate() {
        store.push(&NewObservation {
            element: "cases",
            org_unit: "prov-a",
            period: Period::parse(period).expect("a period"),
            disaggregation: &[],
            value: *value,
            source: "src",
            status: ObservationStatus::Final,
            note: None,
            submitted: None,
            file,
            row: row as u32 + 2,
        });
    }
    let entries = store.observations.clone();
    let groups = [(0, 0, 0, entries.len())];
    let summed: &[u32] = if summed { &[0] } else { &[] };
    let stocks: &[u32] = if stock { &[0] } else { &[] };
    let withheld: &[u32] = if sensitive { &[0] } else { &[] };
    disagreements_over_time(&store, &entries, &groups, (summed, stocks, withheld), &mut Vec::new())
        .into_iter()
        .map(|d| (d.code.to_owned(), d.message))
        .collect()
}

#[test]
fn a_year_and_quarters_that_disagree_are_said_so_once_at_the_year() {
    let found =
        warnings(&[("2023", 100.0), ("2023Q1", 30.0), ("2023Q2", 30.0), ("2023Q3", 30.0), ("2023Q4", 30.0)], true);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "W339");
    assert_eq!(
        found[0].1,
        "cases at prov-a: 2023 is reported as 100, but its parts 2023Q1 + 2023Q2 + 2023Q3 + 2023Q4 add up to 120"
    );
}

#[test]
fn parts_are_compared_level_by_level_whatever_their_types() {
    // The courts' year = Q4 2024 + H1 2025 + Q3 2025 (a mix of types), and H1 = Q1 + Q2.
    let agree =
        [("2024Oct", 60.0), ("2024Q4", 20.0), ("2025S1", 35.0), ("2025Q1", 15.0), ("2025Q2", 20.0), ("2025Q3", 5.0)];
    assert_eq!(warnings(&agree, true), []);
    let mut h1_off = agree;
    h1_off[3].1 = 16.0;
    let found = warnings(&h1_off, true);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("2025S1 is reported as 35, but its parts 2025Q1 + 2025Q2 add up to 36"), "{found:?}");
    let mut year_off = agree;
    year_off[0].1 = 61.0;
    let found = warnings(&year_off, true);
    assert!(
        found[0].1.contains("2024Oct is reported as 61, but its parts 2024Q4 + 2025S1 + 2025Q3 add up to 60"),
        "{found:?}"
    );
}

#[test]
fn parts_that_leave_a_gap_or_are_not_summed_over_time_are_not_compared() {
    // Three quarters of a year: nothing tiles it.
    assert_eq!(warnings(&[("2023", 100.0), ("2023Q1", 30.0), ("2023Q2", 30.0), ("2023Q3", 30.0)], true), []);
    // A stock (the last value of the year) is not the sum of its quarters.
    assert_eq!(warnings(&[("2023", 100.0), ("2023S1", 30.0), ("2023S2", 30.0)], false), []);
    // Months alone: nothing nests.
    assert_eq!(warnings(&[("2023-01", 1.0), ("2023-02", 2.0)], true), []);
}

#[test]
fn ranges_that_overlap_without_nesting_are_said_so_but_conventions_are_not() {
    let found = warnings(&[("2023-01-01..2023-06-30", 5.0), ("2023-04-01..2023-12-31", 7.0)], true);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "W340");
    assert!(found[0].1.contains("2023-01-01..2023-06-30 (5) and 2023-04-01..2023-12-31 (7) share days"), "{found:?}");
    // The calendar year and the courts' year overlap by convention.
    assert_eq!(warnings(&[("2023", 5.0), ("2022Oct", 7.0)], true), []);
    // A range within a year is a part, not an overlap.
    assert_eq!(warnings(&[("2023", 5.0), ("2023-02-01..2023-02-14", 1.0)], true), []);
}

/// A stock is the value on a period's last day: reports ending on the same day must agree, and each longer one that
/// differs from the shortest is named (round 52: AB's own 2025 as 25 beside its 2025S2 as 20 was said nowhere once the year
/// stopped being a restatement). Stocks of different days, and a stock's quarters that do not add up, are not compared.
#[test]
fn stocks_of_the_same_day_that_differ_are_said_so_at_the_longer_period() {
    let rows = [("2025", 25.0), ("2025S2", 20.0), ("2025Q4", 20.0), ("2025Q3", 7.0)];
    let found = warnings_as(&rows, (false, true), false);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "W341");
    assert!(found[0].1.contains("2025 is reported as 25 and 2025Q4 as 20, both the stock on 2025-12-31"), "{found:?}");
    let agree = [("2025", 20.0), ("2025S2", 20.0), ("2025Q1", 3.0), ("2025Q2", 4.0)];
    assert_eq!(warnings_as(&agree, (false, true), false), []);
    assert_eq!(warnings_as(&[("2025", 25.0), ("2025S2", 20.0)], (false, false), false), []);
    // A sensitive element's values are not quoted.
    let found = warnings_as(&rows, (false, true), true);
    assert!(found.len() == 1 && !found[0].1.contains(" as ") && found[0].1.contains("2025Q4"), "{found:?}");
}
