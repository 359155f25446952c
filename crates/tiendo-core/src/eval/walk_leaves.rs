//! The states of leaves met by coverage walks, from their whole series: on W2 a province partial in some period is
//! walked once per such period (a year, its halves, quarters and months: about 30), and each walk asks every one of
//! its communes (about 380) for its value in that period, one search of the store each. After a few visits of the
//! same (reference, leaf) its series over the warmed periods is computed once (the leaf's series of warming, equal
//! to its values one period at a time) and kept as one byte per period: all a walk needs to know of a leaf.

use crate::eval::aggregate::{Aggregate, PeriodSet};
use crate::eval::store::FastMap;
use crate::period::Period;

/// What a coverage walk needs of a contributor's value in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeafState {
    /// No value: the unit did not report (it may still have been expected).
    Missing,
    /// A value built from part of what was expected: the walk goes into it.
    Partial,
    /// A complete value: nothing missing below it.
    Complete,
}

impl LeafState {
    /// The state of a value as [`crate::eval::aggregate::Cube::value_of`] gives it.
    pub(crate) fn of(value: Option<Aggregate>) -> LeafState {
        match value {
            None => LeafState::Missing,
            Some(value) if value.is_partial() => LeafState::Partial,
            Some(_) => LeafState::Complete,
        }
    }
}

/// At most this many (reference, leaf) entries are kept (about 4 MB on W2's 95 periods); past it the entries are
/// dropped and counting starts again, so memory stays bounded whatever the walks.
const MAX_ENTRIES: usize = 1 << 15;

/// Per (reference, leaf): how often walks asked for it so far, or its states over the warmed periods.
#[derive(Debug)]
pub(crate) struct WalkLeaves {
    /// The periods warming computed, and each one's position in them.
    set: Option<(PeriodSet, FastMap<Period, usize>)>,
    entries: FastMap<(usize, u32), Entry>,
    /// A leaf's states are computed from its series at this many visits (`u32::MAX`: never, the general path;
    /// tests set 1 to take the series way at every visit).
    pub(crate) series_from: u32,
    /// How many series were computed (for tests: the fast path was taken).
    pub(crate) series_computed: usize,
}

#[derive(Debug)]
enum Entry {
    Visits(u32),
    States(Box<[LeafState]>),
}

/// Visits of a (reference, leaf) answered one period at a time before its series is computed: a series costs about
/// as much as six single values on W2, so a leaf asked for once or twice stays on the single-value way.
pub(crate) const SERIES_FROM_VISITS: u32 = 3;

/// What [`WalkLeaves::lookup`] found.
pub(crate) enum Lookup {
    /// The state, from the leaf's kept series.
    Known(LeafState),
    /// Compute the series over this set now (then [`WalkLeaves::store`]).
    ComputeSeries(PeriodSet),
    /// Ask for the single value.
    Single,
}

impl WalkLeaves {
    /// A cache over the periods warming computed (none: every lookup is [`Lookup::Single`]).
    pub(crate) fn new(periods: Option<&PeriodSet>, series_from: u32) -> WalkLeaves {
        let set = periods.map(|set| {
            let positions = set.periods.iter().enumerate().map(|(position, &period)| (period, position)).collect();
            (set.clone(), positions)
        });
        WalkLeaves { set, entries: FastMap::default(), series_from, series_computed: 0 }
    }

    /// The periods the states are over, if any.
    pub(crate) fn periods(&self) -> Option<&PeriodSet> {
        self.set.as_ref().map(|(set, _)| set)
    }

    /// Counts a visit of `leaf` for reference `ref_index` in `period` and says how to answer it.
    pub(crate) fn lookup(&mut self, ref_index: usize, leaf: u32, period: Period) -> Lookup {
        let Some((set, positions)) = &self.set else {
            return Lookup::Single;
        };
        let Some(&position) = positions.get(&period) else {
            return Lookup::Single;
        };
        if self.entries.len() >= MAX_ENTRIES && !self.entries.contains_key(&(ref_index, leaf)) {
            self.entries.clear();
        }
        let entry = self.entries.entry((ref_index, leaf)).or_insert(Entry::Visits(0));
        match entry {
            Entry::States(states) => Lookup::Known(states[position]),
            Entry::Visits(visits) => {
                *visits += 1;
                if *visits >= self.series_from { Lookup::ComputeSeries(set.clone()) } else { Lookup::Single }
            }
        }
    }

    /// Keeps the states of `series` (over [`WalkLeaves::periods`]) for `leaf` and returns the one of `period`.
    pub(crate) fn store(
        &mut self,
        ref_index: usize,
        leaf: u32,
        series: &[Option<Aggregate>],
        period: Period,
    ) -> Option<LeafState> {
        let (_, positions) = self.set.as_ref()?;
        let position = *positions.get(&period)?;
        let states: Box<[LeafState]> = series.iter().map(|&value| LeafState::of(value)).collect();
        let state = states.get(position).copied();
        self.series_computed += 1;
        self.entries.insert((ref_index, leaf), Entry::States(states));
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> PeriodSet {
        PeriodSet::new(&[Period::Year(2021), Period::Month(2021, 1), Period::Year(2022)])
    }

    fn value(partial_time: bool) -> Option<Aggregate> {
        Some(Aggregate { value: 1.0, expected: 1, reported: 1, partial_time, ..Aggregate::ZERO })
    }

    #[test]
    fn states_come_from_the_series_from_the_set_visit_on() {
        let mut walks = WalkLeaves::new(Some(&set()), 3);
        let series = [value(true), None, value(false)];
        for _ in 0..2 {
            assert!(matches!(walks.lookup(0, 7, Period::Year(2022)), Lookup::Single));
        }
        let Lookup::ComputeSeries(periods) = walks.lookup(0, 7, Period::Year(2022)) else { panic!("third visit") };
        assert_eq!(periods.periods(), set().periods());
        assert_eq!(walks.store(0, 7, &series, Period::Year(2022)), Some(LeafState::Complete));
        let expected = [LeafState::Partial, LeafState::Missing, LeafState::Complete];
        for (period, expected) in set().periods().iter().zip(expected) {
            assert!(matches!(walks.lookup(0, 7, *period), Lookup::Known(state) if state == expected), "{period}");
        }
        // Another reference or leaf counts its own visits; a period not warmed, or no warmed set, asks for the value.
        assert!(matches!(walks.lookup(1, 7, Period::Year(2021)), Lookup::Single));
        assert!(matches!(walks.lookup(0, 8, Period::Year(2021)), Lookup::Single));
        assert!(matches!(walks.lookup(0, 7, Period::Year(2023)), Lookup::Single));
        assert!(matches!(WalkLeaves::new(None, 1).lookup(0, 7, Period::Year(2021)), Lookup::Single));
        assert_eq!(walks.series_computed, 1);
    }

    #[test]
    fn the_entries_stay_bounded() {
        let mut walks = WalkLeaves::new(Some(&set()), 1);
        for leaf in 0..(MAX_ENTRIES as u32 + 10) {
            assert!(matches!(walks.lookup(0, leaf, Period::Year(2021)), Lookup::ComputeSeries(_)));
            walks.store(0, leaf, &[None, None, None], Period::Year(2021));
            assert!(walks.entries.len() <= MAX_ENTRIES);
        }
        // The last leaf is still known; the first was dropped and is counted again.
        assert!(matches!(walks.lookup(0, MAX_ENTRIES as u32 + 9, Period::Year(2021)), Lookup::Known(_)));
        assert!(matches!(walks.lookup(0, 0, Period::Year(2021)), Lookup::ComputeSeries(_)));
    }
}
