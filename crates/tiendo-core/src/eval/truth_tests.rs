//! Property tests of issue 10's "every number tiendo publishes is true, or visibly flagged": rows drawn from the
//! monthly truths of the smallest areas (provinces that merge, one that splits, districts that report for their
//! province), reported by any unit that can report them (a unit in its life, a new one restating its predecessors'
//! days) for any calendar period; a published count never exceeds the truth of its unit and period, and equals it
//! where it is complete (round 57: the same check, run as a fuzzer, found restated days left out of a half year that
//! its quarter held, so that the quarters did not add up to the half).

use chrono::NaiveDate;
use proptest::prelude::*;

use super::test_support::{data_element, indicator, unit};
use super::*;
use crate::model::{DataElement, OrgUnit};

/// The smallest areas, each with its truth month by month: A, B's three districts, C's two, D's two parts (D1 and D2
/// after the split) and AB's district after the merger.
const ATOMS: [&str; 9] = ["a", "b1", "b2", "b3", "c1", "c2", "d1", "d2", "ab1"];

/// The 24 months of 2024 and 2025, numbered from 0; A, B and D end with month 17 (June 2025).
const MONTHS: usize = 24;
const LAST_OLD_MONTH: usize = 17;

/// Whether the area `atom` exists in `month`: A's and B's end with B's districts in June 2025, AB's begins in July.
fn alive(atom: &str, month: usize) -> bool {
    match atom {
        "a" | "b1" | "b2" | "b3" => month <= LAST_OLD_MONTH,
        "ab1" => month > LAST_OLD_MONTH,
        _ => true,
    }
}

/// A unit that reports: its id, the areas its figures cover, the months it exists in, and the areas it stands for
/// when it restates the days before it existed (none for a unit without predecessors).
struct Reporter {
    id: &'static str,
    atoms: &'static [&'static str],
    months: (usize, usize),
    restates: &'static [&'static str],
}

const OLD: (usize, usize) = (0, LAST_OLD_MONTH);
const ALL: (usize, usize) = (0, MONTHS - 1);
const NEW: (usize, usize) = (LAST_OLD_MONTH + 1, MONTHS - 1);

const REPORTERS: [Reporter; 13] = [
    Reporter { id: "a", atoms: &["a"], months: OLD, restates: &[] },
    Reporter { id: "b", atoms: &["b1", "b2", "b3"], months: OLD, restates: &[] },
    Reporter { id: "b1", atoms: &["b1"], months: ALL, restates: &[] },
    Reporter { id: "b2", atoms: &["b2"], months: ALL, restates: &[] },
    Reporter { id: "b3", atoms: &["b3"], months: ALL, restates: &[] },
    Reporter { id: "c", atoms: &["c1", "c2"], months: ALL, restates: &[] },
    Reporter { id: "c1", atoms: &["c1"], months: ALL, restates: &[] },
    Reporter { id: "c2", atoms: &["c2"], months: ALL, restates: &[] },
    Reporter { id: "d", atoms: &["d1", "d2"], months: OLD, restates: &[] },
    Reporter { id: "d1", atoms: &["d1"], months: NEW, restates: &["d1"] },
    Reporter { id: "d2", atoms: &["d2"], months: NEW, restates: &["d2"] },
    Reporter { id: "ab", atoms: &["ab1"], months: NEW, restates: &["a", "b1", "b2", "b3"] },
    Reporter { id: "ab1", atoms: &["ab1"], months: NEW, restates: &[] },
];

/// The units whose published counts are checked, with the areas of their territory.
const CHECKED: [(&str, &[&str]); 4] =
    [("vn", &ATOMS), ("c", &["c1", "c2"]), ("b", &["b1", "b2", "b3"]), ("ab", &["a", "b1", "b2", "b3", "ab1"])];

/// Viet Nam; A and B merge into AB on 1 July 2025 (B's districts stay), D splits into D1 and D2 the same day, C keeps
/// its two districts; "cases", "received" and "resolved" sum over time and org units, "resolution" is resolved over
/// received; "shelters" is a stock (the number on the period's last day).
fn catalogue() -> Catalogue {
    let start = NaiveDate::from_ymd_opt(2025, 7, 1);
    let new = |id: &str, parent: &str| OrgUnit {
        valid_from: start,
        ..unit(id, if parent == "vn" { OrgUnitLevel::Province } else { OrgUnitLevel::District }, Some(parent), None)
    };
    let mut d = unit("d", OrgUnitLevel::Province, Some("vn"), Some("d1"));
    d.successors.push("d2".to_owned());
    let mut catalogue = Catalogue::default();
    for u in [
        unit("vn", OrgUnitLevel::Country, None, None),
        unit("a", OrgUnitLevel::Province, Some("vn"), Some("ab")),
        unit("b", OrgUnitLevel::Province, Some("vn"), Some("ab")),
        unit("b1", OrgUnitLevel::District, Some("b"), None),
        unit("b2", OrgUnitLevel::District, Some("b"), None),
        unit("b3", OrgUnitLevel::District, Some("b"), None),
        unit("c", OrgUnitLevel::Province, Some("vn"), None),
        unit("c1", OrgUnitLevel::District, Some("c"), None),
        unit("c2", OrgUnitLevel::District, Some("c"), None),
        d,
        new("d1", "vn"),
        new("d2", "vn"),
        new("ab", "vn"),
        new("ab1", "ab"),
    ] {
        catalogue.org_units.insert(u.id.clone(), u);
    }
    for id in ["cases", "received", "resolved"] {
        catalogue.data_elements.insert(id.to_owned(), data_element(id, false, &[]));
    }
    let shelters = DataElement { time_aggregation: TimeAggregation::Last, ..data_element("shelters", false, &[]) };
    catalogue.data_elements.insert(shelters.id.clone(), shelters);
    catalogue.indicators.insert("cases".to_owned(), indicator("cases", Measure::Count, "cases", None));
    catalogue.indicators.insert("shelters".to_owned(), indicator("shelters", Measure::Count, "shelters", None));
    let rate = indicator("resolution", Measure::Percent, "resolved", Some("received"));
    catalogue.indicators.insert(rate.id.clone(), rate);
    catalogue
}

/// The calendar periods of 2024 and 2025 with their first and last months.
fn periods() -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (year, first) in [(2024, 0), (2025, 12)] {
        out.push((year.to_string(), first, first + 11));
        out.extend((0..2).map(|h| (format!("{year}S{}", h + 1), first + 6 * h, first + 6 * h + 5)));
        out.extend((0..4).map(|q| (format!("{year}Q{}", q + 1), first + 3 * q, first + 3 * q + 2)));
        out.extend((0..12).map(|m| (format!("{year}-{:02}", m + 1), first + m, first + m)));
    }
    out
}

/// The truth of `atoms` from month `first` to `last`: the sum of the months each area existed in.
fn truth(truths: &[u8], atoms: &[&str], (first, last): (usize, usize)) -> f64 {
    let at = |atom: &str| ATOMS.iter().position(|a| *a == atom).expect("a known area");
    let mut sum = 0.0;
    for &atom in atoms {
        sum +=
            (first..=last).filter(|&m| alive(atom, m)).map(|m| f64::from(truths[at(atom) * MONTHS + m])).sum::<f64>();
    }
    sum
}

/// One row's areas and first and last months.
type Covered = (&'static [&'static str], usize, usize);

/// The `picks` (reporter, period) that a unit can report, each once: in its life, or before it for a unit that
/// restates its predecessors' days; then a month of every unit that picked nothing, so that every unit is expected
/// to report.
fn reportable(picks: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let periods = periods();
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for &(reporter, period) in picks {
        let (r, (_, first, last)) = (&REPORTERS[reporter], &periods[period]);
        let in_life = r.months.0 <= *first && *last <= r.months.1;
        let restated = !r.restates.is_empty() && *last < r.months.0;
        if (in_life || restated) && !chosen.contains(&(reporter, period)) {
            chosen.push((reporter, period));
        }
    }
    for (reporter, r) in REPORTERS.iter().enumerate() {
        if !chosen.iter().any(|c| c.0 == reporter) {
            let month = r.months.0 + (reporter * 7) % (r.months.1 - r.months.0 + 1);
            chosen.push((reporter, periods.iter().position(|p| p.1 == month && p.2 == month).expect("a month")));
        }
    }
    chosen
}

/// Adds to `store` a row of `element` for each of `chosen` (reporter, period): its areas' truth in its life, before
/// it the truth of the areas it restates; a stock's (`shelters`) is the truth of the period's last month. Returns the
/// areas and months each row covers.
fn add_rows(store: &mut ObservationStore, element: &str, truths: &[u8], chosen: &[(usize, usize)]) -> Vec<Covered> {
    let stock = element == "shelters";
    let periods = periods();
    let file = store.add_file(&format!("{element}.csv"));
    let mut covered = Vec::new();
    for (row, &(reporter, period)) in chosen.iter().enumerate() {
        let (r, (name, first, last)) = (&REPORTERS[reporter], &periods[period]);
        let atoms = if *last < r.months.0 { r.restates } else { r.atoms };
        covered.push((atoms, *first, *last));
        store.push(&NewObservation {
            element,
            org_unit: r.id,
            period: Period::parse(name).expect("a test period"),
            disaggregation: &[],
            value: truth(truths, atoms, (if stock { *last } else { *first }, *last)),
            source: "s",
            status: ObservationStatus::Final,
            note: None,
            submitted: None,
            file,
            row: row as u32 + 2,
        });
    }
    covered
}

/// The evaluation as of 15 January 2026.
fn evaluated(store: &ObservationStore) -> Evaluation {
    let settings = EvaluationSettings::new(NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date"));
    evaluate(&catalogue(), store, &settings, None)
}

/// A checked unit's point: the unit, its areas, the point and its period's first and last months.
type Checked<'e> = (&'static str, &'static [&'static str], &'e Point, (usize, usize));

/// The checked units' points of `indicator` whose period is a calendar period of the test.
fn checked_points<'e>(evaluation: &'e Evaluation, indicator: &str) -> Vec<Checked<'e>> {
    let periods = periods();
    let mut out = Vec::new();
    for (unit, atoms) in CHECKED {
        let result = evaluation.indicators.iter().find(|r| r.org_unit == unit && r.indicator == indicator);
        for point in result.into_iter().flat_map(|r| &r.series) {
            let name = point.period.to_string();
            if let Some((_, first, last)) = periods.iter().find(|p| p.0 == name) {
                out.push((unit, atoms, point, (*first, *last)));
            }
        }
    }
    out
}

/// The truth of the months of `atoms` from `first` to `last` that a row inside those months covers: the most a sum
/// of the rows that counts no area's month twice can be.
fn reported_truth(truths: &[u8], covered: &[Covered], atoms: &[&str], (first, last): (usize, usize)) -> f64 {
    let inside: Vec<&Covered> = covered.iter().filter(|c| first <= c.1 && c.2 <= last).collect();
    let at = |atom: &str| ATOMS.iter().position(|a| *a == atom).expect("a known area");
    let mut sum = 0.0;
    for &atom in atoms {
        for month in (first..=last).filter(|&m| alive(atom, m)) {
            if inside.iter().any(|c| c.0.contains(&atom) && c.1 <= month && month <= c.2) {
                sum += f64::from(truths[at(atom) * MONTHS + month]);
            }
        }
    }
    sum
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    /// A published count is never more than the truth of the areas' months reported inside its period (no month of an
    /// area counted twice), and is the whole truth where it is complete, whoever reported which periods across the
    /// merger, the split and the districts.
    #[test]
    fn a_published_count_is_the_truth_or_marked_partial(
        truths in proptest::collection::vec(0u8..40, ATOMS.len() * MONTHS),
        picks in proptest::collection::vec((0..REPORTERS.len(), 0..periods().len()), 1..16),
    ) {
        let mut store = ObservationStore::new();
        let covered = add_rows(&mut store, "cases", &truths, &reportable(&picks));
        let evaluation = evaluated(&store);
        let points = checked_points(&evaluation, "cases");
        prop_assert!(!points.is_empty(), "every unit reports, so the nation has values");
        for (unit, atoms, point, months) in points {
            let Some(value) = point.value else { continue };
            let (expected, reported) = (truth(&truths, atoms, months), reported_truth(&truths, &covered, atoms, months));
            let complete = point.coverage.as_ref().is_none_or(|c| c.complete);
            let period = point.period;
            prop_assert!(value <= reported + 1e-9, "{unit} {period}: {value} over the {reported} reported");
            prop_assert!(!complete || value == expected, "{unit} {period}: {value} complete, the truth {expected}");
        }
    }

    /// A published stock (the number on the period's last day) is the truth of that day where it is complete.
    #[test]
    fn a_published_stock_is_the_truth_of_its_last_day_where_complete(
        truths in proptest::collection::vec(0u8..40, ATOMS.len() * MONTHS),
        picks in proptest::collection::vec((0..REPORTERS.len(), 0..periods().len()), 1..16),
    ) {
        let mut store = ObservationStore::new();
        add_rows(&mut store, "shelters", &truths, &reportable(&picks));
        let evaluation = evaluated(&store);
        for (unit, atoms, point, (_, last)) in checked_points(&evaluation, "shelters") {
            let Some(value) = point.value else { continue };
            let expected = truth(&truths, atoms, (last, last));
            let complete = point.coverage.as_ref().is_none_or(|c| c.complete);
            let period = point.period;
            prop_assert!(!complete || value == expected, "{unit} {period}: {value} complete, the truth {expected}");
        }
    }

    /// The same for a rate's numerator and denominator, each unit reporting what it received and, most of the time,
    /// what it resolved of it for the same period (a unit that reports one part is left out of the ratio).
    #[test]
    fn a_published_rate_s_parts_are_the_truth_or_marked_partial(
        received in proptest::collection::vec(0u8..40, ATOMS.len() * MONTHS),
        shares in proptest::collection::vec(0u8..=100, ATOMS.len() * MONTHS),
        picks in proptest::collection::vec((0..REPORTERS.len(), 0..periods().len()), 1..16),
        without_resolved in proptest::collection::vec(proptest::bool::weighted(0.1), 32),
    ) {
        let resolved: Vec<u8> = received.iter().zip(&shares).map(|(&r, &s)| (u16::from(r) * u16::from(s) / 100) as u8).collect();
        let chosen = reportable(&picks);
        let resolving: Vec<(usize, usize)> =
            chosen.iter().enumerate().filter(|(i, _)| !without_resolved[i % 32]).map(|(_, &c)| c).collect();
        rate_parts_are_the_truth_or_marked_partial((&received, &chosen), (&resolved, &resolving))?;
    }
}

/// The property of `a_published_rate_s_parts_are_the_truth_or_marked_partial` for the rows of `received` and
/// `resolved` (truths, and the (reporter, period) rows chosen of each).
fn rate_parts_are_the_truth_or_marked_partial(
    (received, received_rows): (&[u8], &[(usize, usize)]),
    (resolved, resolved_rows): (&[u8], &[(usize, usize)]),
) -> Result<(), TestCaseError> {
    let mut store = ObservationStore::new();
    let covered_received = add_rows(&mut store, "received", received, received_rows);
    let covered_resolved = add_rows(&mut store, "resolved", resolved, resolved_rows);
    let evaluation = evaluated(&store);
    for (unit, atoms, point, months) in checked_points(&evaluation, "resolution") {
        let (Some(numerator), Some(denominator)) = (point.numerator, point.denominator) else { continue };
        let period = point.period;
        let parts = [
            (numerator, resolved, &covered_resolved, "resolved"),
            (denominator, received, &covered_received, "received"),
        ];
        let complete = point.coverage.as_ref().is_none_or(|c| c.complete);
        for (value, truths, covered, part) in parts {
            let (expected, reported) = (truth(truths, atoms, months), reported_truth(truths, covered, atoms, months));
            prop_assert!(value <= reported + 1e-9, "{unit} {period} {part}: {value} over the {reported} reported");
            prop_assert!(
                !complete || value == expected,
                "{unit} {period} {part}: {value} complete, the truth {expected}"
            );
        }
    }
    Ok(())
}

/// A unit that reports a rate's denominator and never its numerator is expected to report the numerator: C's
/// resolved of 2025, its own second half and C2's first, lacks C1's first half (1 resolved of its 6 received), so
/// C's 2025 rate of 0 of 6 is partial, not complete (round 61: the property above failed on this case one run in
/// several hundred).
#[test]
fn a_rate_part_a_unit_never_reports_leaves_its_parent_s_part_partial() {
    let at = |atom: &str, month: usize| ATOMS.iter().position(|a| *a == atom).expect("an area") * MONTHS + month;
    let (mut received, mut resolved) = (vec![0u8; ATOMS.len() * MONTHS], vec![0u8; ATOMS.len() * MONTHS]);
    (received[at("c1", 12)], resolved[at("c1", 12)]) = (6, 1);
    let reporter = |id: &str| REPORTERS.iter().position(|r| r.id == id).expect("a reporter");
    let period = |name: &str| periods().iter().position(|p| p.0 == name).expect("a period");
    let (c, c1, c2) = (reporter("c"), reporter("c1"), reporter("c2"));
    let received_rows = [(c, period("2025")), (c, period("2025S2")), (c2, period("2025S1")), (c1, period("2025-07"))];
    let resolved_rows = [(c, period("2025S2")), (c2, period("2025S1"))];
    rate_parts_are_the_truth_or_marked_partial((&received, &received_rows), (&resolved, &resolved_rows))
        .expect("the parts are the truth or marked partial");
}
