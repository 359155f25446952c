//! Warming a cube: every reference's value at every output unit and period computed once, on two threads, before
//! the passes that read them (indicators, validation, completeness, disclosure); the leaves' series of the
//! references those passes read again are kept ([`crate::eval::leaf_cache`]). The hottest part of an evaluation at
//! ten million observations (W2, docs/performance.md), beside the leaf's series (`leaf.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::eval::aggregate::{Aggregate, Bounds, Cube, PeriodSet, add_child};
use crate::eval::leaf_cache::LeafCache;
use crate::eval::store::FastMap;
use crate::eval::walk_leaves::WalkLeaves;
use crate::eval::yielding::may_yield;
use crate::model::OrgUnitAggregation;
use crate::period::Period;

impl<'s> Cube<'s> {
    /// Computes and memoises the value of every reference at each of `org_units` (ids; unknown ones are
    /// skipped) in each of `periods`, on two threads that take references in turn from a shared counter.
    /// Values are pure functions of the data, so the memo holds the same values whichever thread computed
    /// them and evaluation output does not depend on scheduling; later [`Cube::value`] calls find them.
    ///
    /// Each (reference, unit) is computed for all `periods` in one pass ([`Cube::series`]): a leaf's reports are
    /// read once for every period rather than searched once per period.
    pub fn warm(&mut self, org_units: &[String], periods: &[Period], threads: usize) {
        // Leaves are not memoised (see `value_of`): warming them would compute their values twice.
        let units: Vec<u32> = org_units
            .iter()
            .filter_map(|u| self.units.index.get(u).copied())
            .filter(|&u| !self.units.contributors[u as usize].is_empty())
            .collect();
        let set = PeriodSet::new(periods);
        self.cache_fill = self.leaf_cache_for(periods);
        let next_ref = AtomicUsize::new(0);
        let work = |cube: &mut Cube<'s>| {
            let mut warmed: Vec<WarmedSeries> = Vec::new();
            loop {
                let ref_index = next_ref.fetch_add(1, Ordering::Relaxed);
                if ref_index >= cube.refs.len() {
                    break;
                }
                let mut done: Vec<Option<Vec<Option<Aggregate>>>> = vec![None; cube.units.ids.len()];
                for &unit in &units {
                    cube.series(ref_index, unit, &set.periods, &set.bounds, &mut done);
                }
                let series = done.into_iter().enumerate().filter_map(|(unit, series)| Some((unit as u32, series?)));
                warmed.extend(series.map(|(unit, series)| (ref_index, unit, series)));
            }
            warmed
        };
        let mut helper = Cube::with_data(Arc::clone(&self.data));
        helper.cache_fill = self.cache_fill.clone();
        let (mine, theirs) = if threads > 1 {
            std::thread::scope(|scope| {
                let helper = &mut helper;
                let work = &work;
                let theirs = scope.spawn(move || work(helper));
                let mine = work(self);
                (mine, theirs.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            })
        } else {
            (work(self), Vec::new())
        };
        self.warmed = Some(Arc::new(Warmed::new(periods, (self.refs.len(), self.units.ids.len()), [mine, theirs])));
        self.memo.extend(helper.memo);
        self.walk_leaves = WalkLeaves::new(Some(&set), self.walk_leaves.series_from);
        if let Some(mut kept) = self.cache_fill.take() {
            if let Some(theirs) = helper.cache_fill.take() {
                kept.merge(theirs);
            }
            self.leaf_cache = Some(Arc::new(kept));
        }
    }

    /// An empty cache over `periods` for the references [`Cube::keep_leaf_series`] named that fit the budget, if any.
    fn leaf_cache_for(&self, periods: &[Period]) -> Option<LeafCache> {
        let is_leaf: Vec<bool> = self.units.contributors.iter().map(Vec::is_empty).collect();
        let leaves = is_leaf.iter().filter(|&&leaf| leaf).count();
        let budget = self.leaf_cache_budget;
        let mut keep: Vec<usize> = Vec::new();
        for &r in &self.keep_leaves {
            if r < self.refs.len()
                && !keep.contains(&r)
                && LeafCache::bytes_for(keep.len() + 1, leaves, periods.len()) <= budget
            {
                keep.push(r);
            }
        }
        (!keep.is_empty()).then(|| LeafCache::new(periods, &is_leaf, self.refs.len(), &keep))
    }

    /// The values of reference `ref_index` at `unit` in each of `periods` (`bounds[i]` is `Bounds::of(periods[i])`),
    /// equal to what [`Cube::value_of`] gives one period at a time. Series of units that are not leaves are kept in
    /// `done`, so that a predecessor summed into its successor is computed once.
    fn series(
        &mut self,
        ref_index: usize,
        unit: u32,
        periods: &[Period],
        bounds: &[Bounds],
        done: &mut [Option<Vec<Option<Aggregate>>>],
    ) -> Vec<Option<Aggregate>> {
        if self.units.contributors[unit as usize].is_empty() {
            return self.leaf_series(ref_index, unit, periods, bounds);
        }
        if let Some(series) = &done[unit as usize] {
            return series.clone();
        }
        let sums_children = self.rules[ref_index].org_units != OrgUnitAggregation::None;
        let mut series = Vec::with_capacity(periods.len());
        let mut from_children = vec![false; periods.len()];
        // The unit's own value where it may give way to the sum of the units below (`own_or_below`).
        let mut own_values: Vec<Option<Option<Aggregate>>> = vec![None; periods.len()];
        let mut own_path = vec![false; periods.len()];
        for (index, &period) in periods.iter().enumerate() {
            let own = self.own_value(ref_index, unit, period, &bounds[index]);
            own_path[index] = own.is_some();
            match own {
                Some(value) if sums_children && may_yield(value) => {
                    series.push(None);
                    from_children[index] = true;
                    own_values[index] = Some(value);
                }
                Some(value) => series.push(value),
                None => {
                    series.push(None);
                    from_children[index] = sums_children;
                }
            }
        }
        if from_children.contains(&true) {
            // Summed contributor after contributor, as `compute` does period by period, so that the sums are
            // the same to the last bit.
            let mut missing = vec![0u32; periods.len()];
            let contributors = self.units.contributors[unit as usize].clone();
            for (position, &contributor) in contributors.iter().enumerate() {
                // A leaf's series goes through one reused vector: a fresh one per leaf and reference cost an
                // allocation of the whole series each time.
                let leaf = self.units.contributors[contributor as usize].is_empty();
                if let Some(&next) = contributors.get(position + 1)
                    && self.units.contributors[next as usize].is_empty()
                {
                    self.prefetch_leaf(ref_index, next);
                }
                let values = if self.takes_part_in_split(contributor) {
                    // Rare: counted period by period, as `compute` counts it (crate::eval::split).
                    let counted: Vec<Option<Option<Aggregate>>> =
                        periods.iter().map(|&p| self.contribution(ref_index, contributor, p)).collect();
                    for (index, value) in counted.into_iter().enumerate() {
                        match value {
                            Some(Some(value)) if from_children[index] => add_child(&mut series[index], value),
                            Some(None) if from_children[index] => {
                                missing[index] += self.missing_below(ref_index, unit, contributor, periods[index]);
                            }
                            _ => {}
                        }
                    }
                    continue;
                } else if leaf {
                    let mut values = std::mem::take(&mut self.series_buffer);
                    self.leaf_series_into(ref_index, contributor, periods, bounds, &mut values);
                    if let Some(fill) = self.cache_fill.as_mut().filter(|fill| fill.keeps(ref_index)) {
                        fill.record(ref_index, contributor, &values);
                    }
                    values
                } else {
                    self.series(ref_index, contributor, periods, bounds, done)
                };
                for (index, value) in values.iter().enumerate() {
                    if !from_children[index] {
                        continue;
                    }
                    match *value {
                        Some(value) => add_child(&mut series[index], value),
                        None => missing[index] += self.missing_below(ref_index, unit, contributor, periods[index]),
                    }
                }
                if leaf {
                    self.series_buffer = values;
                }
            }
            for (index, (slot, missing)) in series.iter_mut().zip(missing).enumerate() {
                if let Some(value) = slot {
                    value.expected += missing;
                }
                if let Some(own) = own_values[index] {
                    *slot = self.own_or_below(ref_index, (unit, periods[index]), own, *slot);
                }
            }
        }
        // The unit's own values, as `compute` settles them.
        for (index, slot) in series.iter_mut().enumerate() {
            if own_path[index] {
                *slot = self.stock_of_the_day(ref_index, (unit, periods[index]), *slot);
            }
        }
        done[unit as usize] = Some(series.clone());
        series
    }
}

/// One series warming computed: (reference, unit, value per period of the warmed set).
type WarmedSeries = (usize, u32, Vec<Option<Aggregate>>);

/// The values [`Cube::warm`] computed, read by [`Cube::value_of`] before its memo: the series of each (reference,
/// unit that is not a leaf) over the warmed periods, as the warming threads computed them. A hash map keyed by
/// (reference, unit, period) held them before; growing it on both threads and merging the two took half of the page
/// faults of the example's review (W1, docs/performance.md round 56) and a hash per read.
#[derive(Debug)]
pub(crate) struct Warmed {
    /// The position of each warmed period in a series (the first one where a period is listed twice).
    positions: FastMap<Period, u32>,
    units: usize,
    /// Per `reference x units + unit`, 1 + the position of its series in `series`, or 0 where none was computed.
    slots: Vec<u32>,
    series: Vec<Vec<Option<Aggregate>>>,
}

impl Warmed {
    /// Gathers the series of the warming threads (`found`) for `refs x units` references and units.
    fn new(periods: &[Period], (refs, units): (usize, usize), found: [Vec<WarmedSeries>; 2]) -> Warmed {
        let mut positions = FastMap::default();
        for (position, &period) in periods.iter().enumerate() {
            positions.entry(period).or_insert(position as u32);
        }
        let count: usize = found.iter().map(Vec::len).sum();
        let mut warmed = Warmed { positions, units, slots: vec![0; refs * units], series: Vec::with_capacity(count) };
        for (ref_index, unit, series) in found.into_iter().flatten() {
            debug_assert_eq!(series.len(), periods.len());
            warmed.series.push(series);
            warmed.slots[ref_index * units + unit as usize] = u32::try_from(warmed.series.len()).unwrap_or(0);
        }
        warmed
    }

    /// The warmed value of `ref_index` at `unit` in `period`; `None` where warming did not compute it.
    pub(crate) fn get(&self, ref_index: usize, unit: u32, period: Period) -> Option<Option<Aggregate>> {
        let slot = *self.slots.get(ref_index * self.units + unit as usize)? as usize;
        let position = *self.positions.get(&period)? as usize;
        Some(*self.series.get(slot.checked_sub(1)?)?.get(position)?)
    }
}
