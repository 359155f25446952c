//! Grouping against a sort of all keys: fixed stores, dense and sparse group numbering, rows unit after unit, and a
//! property test of rows pushed whole or appended in pieces, grouped with every limit on one or two threads.

use super::*;
use crate::eval::test_support::numbers;
use crate::period::Period;

fn p(text: &str) -> Period {
    Period::parse(text).unwrap()
}

/// A store of `n` observations drawn from `elements` x `units` x a mix of period types and two
/// combinations, in a scrambled order and with repeated keys.
fn scrambled_store(n: usize, elements: usize, units: usize, seed: u64) -> ObservationStore {
    use crate::eval::store::{NewObservation, ObservationStatus};
    let periods = ["2021", "2021S2", "2021Q3", "2021-02", "2022-01", "2022Q1", "2020", "2021-12"];
    let mut next = numbers(seed);
    let mut store = ObservationStore::new();
    let file = store.add_file("t.csv");
    for row in 0..n {
        let (element, unit) = (format!("e{}", next(elements)), format!("u{}", next(units)));
        let combo: &[(&str, &str)] = if next(3) == 0 { &[("sex", "female")] } else { &[] };
        store.push(&NewObservation {
            element: &element,
            org_unit: &unit,
            period: p(periods[next(periods.len())]),
            disaggregation: combo,
            value: row as f64,
            source: if next(2) == 0 { "a" } else { "b" },
            status: if next(5) == 0 { ObservationStatus::Provisional } else { ObservationStatus::Final },
            note: None,
            submitted: None,
            file,
            row: row as u32 + 2,
        });
    }
    store
}

/// `store` grouped in place by `threads` threads with `limits`.
fn grouped(store: &ObservationStore, threads: usize, limits: Limits) -> ObservationStore {
    let mut copy = store.clone();
    let tags = copy.sources_and_statuses().map(|(source, status)| Tag::new(source, status)).collect();
    let mut order = std::mem::take(&mut copy.order);
    let grouping = group_in_place(&mut copy, &mut order, tags, threads, limits);
    copy.order = order;
    copy.grouping = Some(grouping);
    copy
}

/// The limits the tests group with: the defaults in parallel from any size; parts split down to a few
/// observations, finished by the counting sort; and finished by flag passes by group (tables too large).
/// And the second again with the flag passes even for rows that come unit after unit.
const LIMITS: [Limits; 4] = [
    Limits { parallel_from: 0, ..Limits::DEFAULT },
    Limits { parallel_from: 0, small: 7, max_cells: 1 << 20, by_unit: true },
    Limits { parallel_from: 0, small: 40, max_cells: 3, by_unit: true },
    Limits { parallel_from: 0, small: 7, max_cells: 1 << 20, by_unit: false },
];

/// What a row of a store shows, whatever its position: its key, value, place and date.
fn row(store: &ObservationStore, position: usize) -> String {
    let o = &store.observations[position];
    format!(
        "{} {} {} {:?} {} {:?} {:?}",
        store.elements.name(o.element),
        store.org_units.name(o.org_unit),
        store.periods[o.period as usize],
        store.combos[o.combo as usize],
        o.value,
        store.place(position),
        store.submitted(position)
    )
}

/// Checks `grouped` against `plain`, the same observations in input order: the positions hold the rows of the
/// plain store sorted by (element, org unit, period, combination, input order), the first of each key, then
/// the later ones in input order; every row shows what it did (key, value, file, row, note, source, status,
/// date); the groups, tags, periods by element and duplicate pairs are those of that order.
fn check_against_plain(plain: &ObservationStore, grouped: &ObservationStore) {
    let grouping = grouped.grouping().expect("grouped");
    let key = |i: &usize| {
        let o = &plain.observations[*i];
        (o.org_unit, o.element, plain.periods[o.period as usize], o.combo)
    };
    let mut sorted: Vec<usize> = (0..plain.len()).collect();
    sorted.sort_by_key(|i| (key(i), *i));
    let mut kept: Vec<usize> = Vec::new();
    let mut duplicates = Vec::new();
    for i in sorted {
        match kept.last() {
            Some(&last) if key(&last) == key(&i) => duplicates.push((last, i)),
            _ => kept.push(i),
        }
    }
    duplicates.sort_by_key(|&(_, d)| d);
    let mut expected_order: Vec<usize> = kept.clone();
    expected_order.extend(duplicates.iter().map(|&(_, d)| d));
    let order: Vec<usize> = (0..grouped.len()).map(|p| grouped.input_index(p) as usize).collect();
    assert_eq!(order, expected_order);
    assert_eq!(grouping.kept, kept.len());
    for (position, &index) in order.iter().enumerate() {
        assert_eq!(row(grouped, position), row(plain, index));
    }
    let notes: Vec<u32> = grouped.note_ids().collect();
    let tags: Vec<(u32, ObservationStatus)> = grouped.sources_and_statuses().collect();
    for position in 0..grouped.len() {
        let place = grouped.place(position);
        assert_eq!((notes[position], tags[position]), (place.note, (place.source, place.status)));
    }
    let found: Vec<(usize, usize)> = grouping.duplicates.iter().map(|&(f, d)| (order[f], order[d])).collect();
    assert_eq!(found, duplicates);
    assert_eq!(plain.duplicates(), duplicates, "found on a grouped copy, as positions of the plain store");
    assert_eq!(grouping.tags.len(), grouping.kept);
    let distinct: std::collections::BTreeSet<u8> = grouping.tags.iter().map(|tag| tag.0).collect();
    let expected_uniform = (distinct.len() == 1).then(|| grouping.tags[0]);
    assert_eq!(grouping.uniform_tag, expected_uniform, "the uniform tag is the one tag of all, if any");
    for (position, tag) in grouping.tags.iter().enumerate() {
        let place = grouped.place(position);
        assert_eq!(*tag, Tag::new(place.source, place.status));
        assert_eq!(tag.provisional(), place.status == ObservationStatus::Provisional);
    }
    let periods = plain.periods.len();
    let mut seen = vec![false; plain.elements.len() * periods];
    for o in &plain.observations {
        seen[o.element as usize * periods + o.period as usize] = true;
    }
    assert_eq!(grouping.element_periods, seen);
    // Groups are listed in (element, org unit) order and tile the kept positions in (org unit, element) order.
    let mut position = 0;
    for window in grouping.groups.windows(2) {
        assert!((window[0].0, window[0].1) < (window[1].0, window[1].1));
    }
    let mut by_position = grouping.groups.clone();
    by_position.sort_by_key(|&(element, unit, ..)| (unit, element));
    for &(element, unit, start, end) in &by_position {
        assert_eq!(start, position);
        assert!(end > start);
        for o in &grouped.observations[start..end] {
            assert_eq!((o.element, o.org_unit), (element, unit));
        }
        position = end;
    }
    assert_eq!(position, grouping.kept);
    // Back to input order: the plain store.
    assert_eq!(grouped.without(|_, _, _| false).observations, plain.observations);
}

#[test]
fn grouping_matches_a_sort_of_all_keys() {
    // Dense group numbering (few pairs) and sparse (about 17,000 units x 5 elements for 20,000 observations);
    // many groups (the first pass's buckets hold several groups each) and many periods per group.
    for (n, elements, units, seed) in
        [(0, 1, 1, 1), (1, 1, 1, 2), (500, 3, 7, 3), (2000, 2, 40, 4), (20_000, 5, 1_000_000, 5), (30_000, 3, 2_000, 6)]
    {
        let store = scrambled_store(n, elements, units, seed);
        let one = grouped(&store, 1, Limits::DEFAULT);
        check_against_plain(&store, &one);
        for limits in LIMITS {
            let two = grouped(&store, 2, limits);
            assert_eq!(one.observations, two.observations, "{limits:?}");
            assert_eq!(one.order, two.order);
            let (g1, g2) = (one.grouping().unwrap(), two.grouping().unwrap());
            assert_eq!(
                (&g1.tags, &g1.element_periods, &g1.groups, &g1.duplicates, g1.kept),
                (&g2.tags, &g2.element_periods, &g2.groups, &g2.duplicates, g2.kept)
            );
        }
        // Observations added to a grouped store come after it; grouping again gives what grouping the whole does.
        let mut pushed = one.clone();
        pushed.append(&mut scrambled_store(n.min(50), elements, units, seed + 100));
        assert!(pushed.grouping().is_none());
        let mut whole = store.clone();
        whole.append(&mut scrambled_store(n.min(50), elements, units, seed + 100));
        let plain_pushed = pushed.without(|_, _, _| false);
        assert_eq!(plain_pushed.observations, whole.observations);
        pushed.group(2);
        whole.group(1);
        assert_eq!(pushed.observations, whole.observations);
        assert_eq!(pushed.order, whole.order);
        assert_eq!(pushed.duplicates(), whole.duplicates());
        check_against_plain(&plain_pushed, &pushed);
    }
}

#[test]
fn rows_unit_after_unit_group_as_with_flag_passes() {
    // W2's layout: each unit's rows together (here in scrambled order within the unit, with repeated keys), so
    // grouping finishes each run of units where it lies; the same store as the flag passes give, and the plain
    // layout's rows, on one thread or two, with parts of every size (one unit alone over `small`, as well).
    for (n, elements, units, seed) in [(1, 1, 1, 11), (400, 3, 9, 12), (3000, 4, 60, 13), (20_000, 7, 300, 14)] {
        let scrambled = scrambled_store(n, elements, units, seed);
        let by_unit: Vec<usize> = {
            let mut positions: Vec<usize> = (0..scrambled.len()).collect();
            positions.sort_by_key(|&i| scrambled.org_units.name(scrambled.observations[i].org_unit).to_owned());
            positions
        };
        let mut store = ObservationStore::new();
        let file = store.add_file("t.csv");
        for (row, &i) in by_unit.iter().enumerate() {
            let o = scrambled.observations[i];
            let combo: Vec<(&str, &str)> =
                scrambled.combos[o.combo as usize].iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
            let place = scrambled.place(i);
            store.push(&crate::eval::store::NewObservation {
                element: scrambled.elements.name(o.element),
                org_unit: scrambled.org_units.name(o.org_unit),
                period: scrambled.periods[o.period as usize],
                disaggregation: &combo,
                value: o.value,
                source: scrambled.sources.name(place.source),
                status: place.status,
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        assert!(store.observations.windows(2).all(|w| w[0].org_unit <= w[1].org_unit));
        for limits in LIMITS {
            for threads in [1, 2] {
                let fast = grouped(&store, threads, limits);
                let flagged = grouped(&store, threads, Limits { by_unit: false, ..limits });
                check_against_plain(&store, &fast);
                assert_eq!(fast.observations, flagged.observations, "{limits:?} {threads}");
                assert_eq!(fast.order, flagged.order);
                let (g1, g2) = (fast.grouping().unwrap(), flagged.grouping().unwrap());
                assert_eq!(
                    (&g1.tags, &g1.element_periods, &g1.groups, &g1.duplicates, g1.kept),
                    (&g2.tags, &g2.element_periods, &g2.groups, &g2.duplicates, g2.kept)
                );
            }
        }
    }
}

#[test]
fn parts_of_units_are_cut_between_units_within_the_limit() {
    // 3 units x 2 elements (dense numbering); rows per group: unit 0: 3 + 2, unit 1: 0 + 0, unit 2: 4 + 1.
    let ids = GroupIds::Dense { elements: 2 };
    let bounds = [0, 3, 5, 5, 5, 9, 10];
    assert_eq!(by_unit_parts(&ids, &bounds, 100), vec![(0, 0..6)]);
    assert_eq!(by_unit_parts(&ids, &bounds, 5), vec![(0, 0..4), (5, 4..6)]);
    // A unit over the limit is a part alone.
    assert_eq!(by_unit_parts(&ids, &bounds, 2), vec![(0, 0..2), (5, 2..4), (5, 4..6)]);
}

/// The drawn parts of a test row: element, unit, period, combination, source, provisional, note, date.
type Drawn = (u8, u8, u8, u8, u8, bool, u8, u8);

/// One row of the property test.
struct TestRow {
    element: String,
    unit: String,
    period: &'static str,
    combo: &'static [(&'static str, &'static str)],
    source: String,
    provisional: bool,
    note: &'static str,
    submitted: Option<chrono::NaiveDate>,
    row: usize,
}

proptest::proptest! {
    /// Rows of a few keys (so duplicates are common), sources, statuses, notes and dates: pushed whole, or
    /// appended in pieces of random sizes, then grouped with any limits and threads, they are the same store
    /// and the plain layout's rows.
    #[test]
    fn grouped_store_is_the_plain_store_reordered(
        rows in proptest::collection::vec(
            (0u8..3, 0u8..5, 0u8..6, 0u8..3, 0u8..4, proptest::bool::ANY, 0u8..3, 0u8..3),
            0..300,
        ),
        piece in 1usize..40,
        limits in 0usize..4,
        threads in 1usize..3,
        unit_after_unit in proptest::bool::ANY,
    ) {
        use crate::eval::store::NewObservation;
        use chrono::NaiveDate;
        let periods = ["2021", "2021Q2", "2021-01", "2021-02", "2022-01", "2020S2"];
        let combos: [&[(&str, &str)]; 3] = [&[], &[("sex", "female")], &[("sex", "male")]];
        let new = |(element, unit, period, combo, source, provisional, note, date): Drawn, row: usize| TestRow {
            element: format!("e{element}"),
            unit: format!("u{unit}"),
            period: periods[period as usize],
            combo: combos[combo as usize],
            source: format!("s{source}"),
            provisional,
            note: ["", "n1", "n2"][note as usize],
            submitted: (date > 0).then(|| NaiveDate::from_ymd_opt(2022, 1, u32::from(date)).unwrap()),
            row,
        };
        let push = |store: &mut ObservationStore, r: &TestRow| {
            let file = store.add_file(if r.row.is_multiple_of(7) { "b.csv" } else { "a.csv" });
            store.push(&NewObservation {
                element: &r.element,
                org_unit: &r.unit,
                period: p(r.period),
                disaggregation: r.combo,
                value: r.row as f64,
                source: &r.source,
                status: if r.provisional { ObservationStatus::Provisional } else { ObservationStatus::Final },
                note: Some(r.note),
                submitted: r.submitted,
                file,
                row: r.row as u32 + 2,
            });
        };
        let mut rows = rows;
        if unit_after_unit {
            // A file that lists each unit's rows together: grouped without flag passes.
            rows.sort_by_key(|r| r.1);
        }
        let rows: Vec<_> = rows.into_iter().enumerate().map(|(row, r)| new(r, row)).collect();
        let mut plain = ObservationStore::new();
        rows.iter().for_each(|r| push(&mut plain, r));
        let mut pieces = ObservationStore::new();
        for chunk in rows.chunks(piece) {
            let mut part = ObservationStore::new();
            chunk.iter().for_each(|r| push(&mut part, r));
            pieces.append(&mut part);
        }
        let whole = grouped(&plain, threads, LIMITS[limits]);
        let appended = grouped(&pieces, threads, LIMITS[limits]);
        check_against_plain(&plain, &whole);
        proptest::prop_assert_eq!(&whole.observations, &appended.observations);
        proptest::prop_assert_eq!(&whole.order, &appended.order);
        for position in 0..whole.len() {
            proptest::prop_assert_eq!(row(&whole, position), row(&appended, position));
        }
    }
}
