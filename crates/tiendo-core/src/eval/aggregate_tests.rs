//! The cube against itself: all periods at once, one period at a time, and on two threads give the same values
//! (and the same coverage, whether walks read leaves' states from their series or one value at a time).

use super::*;
use crate::eval::test_support::{merger_catalogue, numbers};

fn p(text: &str) -> Period {
    Period::parse(text).unwrap()
}

/// The first (set, reference, unit) at which one of `cubes` gives other values over the set than `lazy`, compared as
/// values and bit for bit (so that -0.0 against 0.0 counts), with both series; `None` when all agree.
fn first_difference(
    lazy: &mut Cube,
    cubes: [&mut Cube; 2],
    refs: usize,
    units: &[String],
    sets: &[PeriodSet],
) -> Option<String> {
    let bits = |s: &Option<Vec<Option<Aggregate>>>| -> Vec<Option<u64>> {
        s.iter().flatten().map(|v| v.map(|v| v.value.to_bits())).collect()
    };
    for cube in cubes {
        for (set_index, set) in sets.iter().enumerate() {
            for ref_index in 0..refs {
                for unit in units {
                    let expected = lazy.values_over(ref_index, unit, set);
                    let got = cube.values_over(ref_index, unit, set);
                    if got != expected || bits(&got) != bits(&expected) {
                        return Some(format!("set {set_index}, ref {ref_index}, {unit}: {got:?} against {expected:?}"));
                    }
                }
            }
        }
    }
    None
}

#[test]
fn series_of_all_periods_equal_values_one_period_at_a_time() {
    use crate::eval::store::{NewObservation, ObservationStatus};
    let catalogue = merger_catalogue();
    let units: Vec<String> = catalogue.org_units.keys().cloned().collect();
    let periods: Vec<Period> = ["2021", "2021S1", "2021S2", "2022", "2022S1", "2022S2"]
        .into_iter()
        .map(p)
        .chain(Period::Year(2021).subdivide(PeriodType::Quarter))
        .chain(Period::Year(2022).subdivide(PeriodType::Quarter))
        .chain(Period::Year(2021).subdivide(PeriodType::Month))
        .chain(Period::Year(2022).subdivide(PeriodType::Month))
        .chain([p("2021-03-01..2021-08-31")])
        .collect();
    let mixed: Vec<Period> = periods.iter().copied().chain([p("2021-02-10..2021-02-20")]).collect();
    // Months alone, dense enough that leaves have whole quarters and years (the monthly way of `leaf_series`).
    let months: Vec<Period> = periods.iter().copied().filter(|q| q.period_type() == PeriodType::Month).collect();
    let combos: [&[(&str, &str)]; 3] = [&[], &[("sex", "female")], &[("sex", "male")]];
    let mut compared = 0;
    let mut kept_stores = 0;
    let (mut series_for_walks, mut walked_leaves) = (0, 0);
    for seed in 1..=60u64 {
        let mut next = numbers(seed);
        let (reported, rows) = if seed % 3 == 0 { (&months, 1200) } else { (&mixed, 150) };
        let mut store = ObservationStore::new();
        let file = store.add_file("t.csv");
        // Sparse data, so that gaps, partial coverage and mixed period types all occur.
        for row in 0..next(rows) {
            store.push(&NewObservation {
                element: ["e", "f"][next(2)],
                org_unit: &units[next(units.len())],
                period: reported[next(reported.len())],
                disaggregation: combos[next(3)],
                value: (next(1000) as f64) / 8.0,
                source: ["s", "t"][next(2)],
                status: if next(4) == 0 { ObservationStatus::Provisional } else { ObservationStatus::Final },
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        let mut refs = Vec::new();
        let mut rules = Vec::new();
        for element in ["e", "f"] {
            for filter in [vec![], vec![("sex", "female")]] {
                for time in [TimeAggregation::Sum, TimeAggregation::Last, TimeAggregation::Average] {
                    for org_units in [OrgUnitAggregation::Sum, OrgUnitAggregation::None] {
                        refs.push(ElementRef {
                            element: element.to_owned(),
                            filter: filter.iter().map(|(c, o)| ((*c).to_owned(), (*o).to_owned())).collect(),
                            offset: 0,
                        });
                        rules.push(AggregationRule { time, org_units });
                    }
                }
            }
        }
        let mut lazy = Cube::build(&catalogue, &store, refs.clone(), rules.clone(), 1);
        let mut warmed = Cube::build(&catalogue, &store, refs.clone(), rules.clone(), 2);
        // The coverage walks' states of leaves from their series at every visit, against the single values.
        warmed.walk_leaves.series_from = 1;
        warmed.warm(&units, &periods, 2);
        let mut single = Cube::build(&catalogue, &store, refs.clone(), rules.clone(), 2);
        single.walk_leaves.series_from = u32::MAX;
        single.warm(&units, &periods, 2);
        // Every reference's leaves kept by warming (on one thread or two), read back over all periods, over the
        // years alone, and through a fork.
        let mut kept = Cube::build(&catalogue, &store, refs.clone(), rules, 2);
        kept.keep_leaf_series((0..refs.len()).rev().collect(), usize::MAX);
        kept.warm(&units, &periods, 1 + (seed as usize % 2));
        let mut forked = kept.fork();
        let years: Vec<Period> = periods.iter().copied().filter(|q| q.period_type() == PeriodType::Year).collect();
        let sets = [PeriodSet::new(&periods), PeriodSet::new(&years)];
        let difference = first_difference(&mut lazy, [&mut kept, &mut forked], refs.len(), &units, &sets);
        assert_eq!(difference, None, "seed {seed}");
        // Leaves are warmed only where a parent sums its children (no member of its territory reported those years).
        let cache = kept.leaf_cache.as_ref().expect("kept");
        kept_stores += usize::from((0..refs.len()).any(|r| cache.recorded(r)));
        let set = PeriodSet::new(&periods);
        for ref_index in 0..refs.len() {
            for unit in &units {
                // All periods at once (a leaf's series, or memoised values), against one period at a time.
                let series = lazy.values_over(ref_index, unit, &set).expect("a known unit");
                for (position, period) in periods.iter().enumerate() {
                    let one = lazy.value(ref_index, unit, *period);
                    let context = format!("seed {seed}, ref {ref_index}, {unit}, {period}");
                    assert_eq!(one, warmed.value(ref_index, unit, *period), "{context}");
                    assert_eq!(one.map(|v| v.value.to_bits()), series[position].map(|v| v.value.to_bits()));
                    assert_eq!(one, series[position], "{context}");
                    compared += usize::from(one.is_some());
                    let coverage = single.coverage(ref_index, unit, *period);
                    assert_eq!(warmed.coverage(ref_index, unit, *period), coverage, "{context}");
                    assert_eq!(lazy.coverage(ref_index, unit, *period), coverage, "{context}");
                    walked_leaves +=
                        usize::from(coverage.is_some_and(|c| {
                            c.missing_periods.iter().any(|m| m.starts_with(['a', 'c'])) && !c.complete
                        }));
                }
            }
        }
        series_for_walks += warmed.walk_leaves.series_computed;
        assert_eq!(single.walk_leaves.series_computed, 0);
    }
    assert!(compared > 5000, "{compared}");
    assert!(kept_stores > 20, "{kept_stores}");
    assert!(series_for_walks > 100 && walked_leaves > 100, "{series_for_walks} {walked_leaves}");
}

proptest::proptest! {
    /// Random monthly rows (totals and breakdowns, two sources, provisional or not) at any unit of the merger
    /// catalogue, warmed with some references kept within a random budget, on one thread or two: every unit's values
    /// over all periods, over the quarters and over one year are those of a cube that keeps nothing.
    #[test]
    fn kept_leaf_series_are_the_computed_ones(
        rows in proptest::collection::vec((0usize..2, 0usize..9, 0usize..24, 0usize..3, 0u32..400, proptest::bool::ANY), 0..250),
        keep in proptest::collection::vec(0usize..4, 0..5),
        budget in 0usize..20_000,
        threads in 1usize..3,
    ) {
        use crate::eval::store::{NewObservation, ObservationStatus};
        let catalogue = merger_catalogue();
        let units: Vec<String> = catalogue.org_units.keys().cloned().collect();
        let months: Vec<Period> =
            [2021, 2022].into_iter().flat_map(|y| Period::Year(y).subdivide(PeriodType::Month)).collect();
        let combos: [&[(&str, &str)]; 3] = [&[], &[("sex", "female")], &[("sex", "male")]];
        let mut store = ObservationStore::new();
        let file = store.add_file("t.csv");
        for (row, &(element, unit, month, combo, value, provisional)) in rows.iter().enumerate() {
            store.push(&NewObservation {
                element: ["e", "f"][element],
                org_unit: &units[unit],
                period: months[month],
                disaggregation: combos[combo],
                value: f64::from(value) / 4.0,
                source: if provisional { "s" } else { "t" },
                status: if provisional { ObservationStatus::Provisional } else { ObservationStatus::Final },
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        let refs = element_refs(&[("e", false), ("e", true), ("f", false), ("f", true)]);
        let rules = summed_over_units(&[TimeAggregation::Sum, TimeAggregation::Last, TimeAggregation::Average, TimeAggregation::Sum]);
        let periods = years_quarters_months(&[2021, 2022]);
        let quarters: Vec<Period> = periods.iter().copied().filter(|q| q.period_type() == PeriodType::Quarter).collect();
        let mut lazy = Cube::build(&catalogue, &store, refs.clone(), rules.clone(), 1);
        let mut kept = Cube::build(&catalogue, &store, refs.clone(), rules, threads);
        kept.keep_leaf_series(keep, budget);
        kept.warm(&units, &periods, threads);
        let mut forked = kept.fork();
        let sets = [PeriodSet::new(&periods), PeriodSet::new(&quarters), PeriodSet::new(&[Period::Year(2022)])];
        let difference = first_difference(&mut lazy, [&mut kept, &mut forked], refs.len(), &units, &sets);
        proptest::prop_assert_eq!(difference, None);
    }
}

proptest::proptest! {
    /// A store whose rows all have one source and one status (the uniform tag: its leaves' sums read no tag), as
    /// random monthly rows of totals and breakdowns at any unit: every unit's values over all periods and over the
    /// years, computed lazily and warmed, are those of the same store read tag by tag. Fails if the uniform tag's
    /// source bit or status is not the one the rows have (tried: the source bit left out).
    #[test]
    fn a_uniform_tag_gives_what_the_tags_give(
        rows in proptest::collection::vec((0usize..2, 0usize..9, 0usize..24, 0usize..3, 0u32..400), 1..200),
        source in 0usize..3,
        provisional in proptest::bool::ANY,
        threads in 1usize..3,
    ) {
        use crate::eval::store::{NewObservation, ObservationStatus};
        let catalogue = merger_catalogue();
        let units: Vec<String> = catalogue.org_units.keys().cloned().collect();
        let months: Vec<Period> =
            [2021, 2022].into_iter().flat_map(|y| Period::Year(y).subdivide(PeriodType::Month)).collect();
        let combos: [&[(&str, &str)]; 3] = [&[], &[("sex", "female")], &[("sex", "male")]];
        let mut store = ObservationStore::new();
        // Sources interned before the rows', so that the rows' source has index `source`, not always 0.
        for name in ["x", "y", "z"] {
            store.sources.intern(name);
        }
        let file = store.add_file("t.csv");
        for (row, &(element, unit, month, combo, value)) in rows.iter().enumerate() {
            store.push(&NewObservation {
                element: ["e", "f"][element],
                org_unit: &units[unit],
                period: months[month],
                disaggregation: combos[combo],
                value: f64::from(value) / 4.0,
                source: ["x", "y", "z"][source],
                status: if provisional { ObservationStatus::Provisional } else { ObservationStatus::Final },
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        store.group(threads);
        let uniform = store.grouping().and_then(|grouping| grouping.uniform_tag);
        proptest::prop_assert_eq!(
            uniform.map(|tag| (tag.source_bit(), tag.provisional())),
            Some((source as u32, provisional))
        );
        let mut tag_by_tag = store.clone();
        tag_by_tag.grouping.as_mut().expect("grouped").uniform_tag = None;
        let refs = element_refs(&[("e", false), ("e", true), ("f", false)]);
        let rules = summed_over_units(&[TimeAggregation::Sum, TimeAggregation::Last, TimeAggregation::Average]);
        let periods = years_quarters_months(&[2021, 2022]);
        let years = [Period::Year(2021), Period::Year(2022)];
        let mut expected = Cube::build(&catalogue, &tag_by_tag, refs.clone(), rules.clone(), 1);
        let mut lazy = Cube::build(&catalogue, &store, refs.clone(), rules.clone(), 1);
        let mut warmed = Cube::build(&catalogue, &store, refs.clone(), rules, threads);
        proptest::prop_assert!(lazy.uniform_tag().is_some() && expected.uniform_tag().is_none());
        warmed.warm(&units, &periods, threads);
        let sets = [PeriodSet::new(&periods), PeriodSet::new(&years)];
        let difference = first_difference(&mut expected, [&mut lazy, &mut warmed], refs.len(), &units, &sets);
        proptest::prop_assert_eq!(difference, None);
    }
}

/// Element references, each of all values or of the female option of `sex` only.
fn element_refs(refs: &[(&str, bool)]) -> Vec<ElementRef> {
    refs.iter()
        .map(|&(element, female)| ElementRef {
            element: element.to_owned(),
            filter: if female {
                [("sex".to_owned(), "female".to_owned())].into_iter().collect()
            } else {
                Default::default()
            },
            offset: 0,
        })
        .collect()
}

/// Aggregation rules with these time aggregations, each summed over org units.
fn summed_over_units(times: &[TimeAggregation]) -> Vec<AggregationRule> {
    times.iter().map(|&time| AggregationRule { time, org_units: OrgUnitAggregation::Sum }).collect()
}

/// Each year, then its quarters, then its months.
fn years_quarters_months(years: &[i32]) -> Vec<Period> {
    years
        .iter()
        .flat_map(|&y| {
            let year = Period::Year(y);
            std::iter::once(year).chain(year.subdivide(PeriodType::Quarter)).chain(year.subdivide(PeriodType::Month))
        })
        .collect()
}
