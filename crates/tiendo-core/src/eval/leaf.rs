//! The series of a leaf (a commune: a unit without children or predecessors) over every output period: the
//! hottest loop of an evaluation at ten million observations (W2, docs/performance.md), so it has a file of its own.

use chrono::Datelike;

use crate::eval::aggregate::{Aggregate, Bounds, Cube, calendar_months};
use crate::eval::breakdown::{SameTag, TagAt, period_cell};
use crate::eval::combine::{combine_distinct, combine_whole_months};
use crate::period::Period;

/// A month without a cell in a monthly leaf's table.
const NO_CELL: u32 = u32::MAX;

impl<'s> Cube<'s> {
    /// [`Cube::series`] for a leaf, whose territory is itself: its reports are gathered into one cell per reported
    /// period once, then each period combines the cells that fall within it, as [`Cube::reports`] and
    /// [`combine_distinct`] would for that period alone.
    ///
    /// Monthly data, the common case, takes a shorter way to the same values: the cells are put in a table by month,
    /// so a calendar period's months are found by index rather than by a search of the cells, and when all of them
    /// are there [`combine_whole_months`] adds them in the same order as [`combine_distinct`]. A period only partly
    /// covered, or data of other period types, goes the general way.
    pub(crate) fn leaf_series(
        &mut self,
        ref_index: usize,
        unit: u32,
        periods: &[Period],
        bounds: &[Bounds],
    ) -> Vec<Option<Aggregate>> {
        let mut series = Vec::new();
        self.leaf_series_into(ref_index, unit, periods, bounds, &mut series);
        series
    }

    /// [`Cube::leaf_series`] into `series` (cleared first, then one slot per period): warming reuses one vector
    /// for every leaf rather than allocating a series (95 periods, 3.8 KB on W2) per leaf and reference.
    pub(crate) fn leaf_series_into(
        &mut self,
        ref_index: usize,
        unit: u32,
        periods: &[Period],
        bounds: &[Bounds],
        series: &mut Vec<Option<Aggregate>>,
    ) {
        series.clear();
        series.resize(periods.len(), None);
        let (Some(element), Some(store_unit)) = (self.ref_elements[ref_index], self.unit_in_store[unit as usize])
        else {
            return;
        };
        let Some((start, end)) = self.groups.get(element, store_unit) else {
            return;
        };
        let mut cells = std::mem::take(&mut self.cells_buffer);
        self.gather_cells(ref_index, start, end, &mut cells);
        let mut months = std::mem::take(&mut self.months_buffer);
        let first_month = month_table(&cells, &mut months);
        let time = self.rules[ref_index].time;
        let mut own = std::mem::take(&mut self.own_buffer);
        for ((&period, bounds), slot) in periods.iter().zip(bounds).zip(series.iter_mut()) {
            if let (Some(base), Some((from, count))) = (first_month, bounds.months) {
                // The period's months that the table has (a month outside it has no cell).
                let table = months.len() as i32;
                let first = (from - base).clamp(0, table) as usize;
                let last = (from - base + count as i32).clamp(0, table) as usize;
                let wanted = &months[first..last];
                let present = wanted.iter().filter(|&&index| index != NO_CELL).count();
                if present == 0 {
                    continue;
                }
                if present == count as usize {
                    let value = if count == 1 {
                        Some(cells[wanted[0] as usize].1)
                    } else {
                        let values = wanted.iter().map(|&index| &cells[index as usize].1);
                        combine_whole_months(values, period.period_type(), time)
                    };
                    if let Some(value) = value {
                        *slot = Some(self.by_options(ref_index, unit, period, value.as_one_unit()));
                        continue;
                    }
                }
            }
            own.clear();
            let first = cells.partition_point(|cell| cell.2 < bounds.window_first_day);
            for &(cell_period, value, first_day, last_day) in &cells[first..] {
                if first_day > bounds.window_last_day {
                    break;
                }
                if last_day <= bounds.window_last_day {
                    own.push((cell_period, value));
                }
            }
            if !own.is_empty() {
                // A unit's own series is judged against the whole period: an old province's 2025 is its first half,
                // partial, not a year; a new district with no unit before it, against the days it existed.
                let days = self.lifetime_part(ref_index, unit, period, &own);
                let value = combine_distinct(&own, days, time, &mut self.subdivisions);
                *slot = value.map(|value| self.by_options(ref_index, unit, days, value.as_one_unit()));
            }
        }
        // A new unit's reports of days before it existed mark the values that use them ([`Aggregate::restated`]), as
        // [`Cube::own_value`]'s do: a leaf's too, or the nation's sum lost the mark of a new province's restated year
        // (round 61, found by a review helper).
        if let Some(first_day) = self.units.valid[unit as usize].0 {
            for (&period, slot) in periods.iter().zip(series.iter_mut()) {
                let Some(value) = slot.as_mut().filter(|_| period.start() < first_day) else { continue };
                own.clear();
                own.extend(cells.iter().filter(|cell| period.contains(&cell.0)).map(|cell| (cell.0, cell.1)));
                let reported: Vec<Period> = own.iter().map(|&(q, _)| q).collect();
                value.restated = !self.restatements_used((unit, time), (&own, &reported)).is_empty();
            }
        }
        self.own_buffer = own;
        self.cells_buffer = cells;
        self.months_buffer = months;
    }

    /// Asks the processor to bring the rows and tags that [`Cube::leaf_series_into`] will read for reference
    /// `ref_index` at leaf `unit` into its cache, while the current leaf is being computed: warming visits a
    /// province's communes in catalogue order, which is not the store's, so each leaf's group is a jump in 240 MB
    /// that the hardware prefetcher cannot foresee (W2: a miss at the start of every group). A hint only: it reads
    /// nothing and changes no value.
    pub(crate) fn prefetch_leaf(&self, ref_index: usize, unit: u32) {
        let (Some(element), Some(store_unit)) = (self.ref_elements[ref_index], self.unit_in_store[unit as usize])
        else {
            return;
        };
        let Some((start, end)) = self.groups.get(element, store_unit) else {
            return;
        };
        let (Some(entries), Some(tags)) = (self.entries().get(start..end), self.tags().get(start..end)) else {
            return;
        };
        // One hint per cache line of the group's rows (64 bytes), and its tags (one byte a row) unless no tag is read.
        let per_line = (64 / std::mem::size_of::<crate::eval::store::Observation>()).max(1);
        entries.iter().step_by(per_line).for_each(prefetch);
        if self.uniform_tag().is_none() {
            tags.iter().step_by(64).for_each(prefetch);
        }
    }

    /// The cells of entries `start..end` (one group, in time order) for reference `ref_index`: one per reported
    /// period, (period, value, first day, last day), in time order.
    fn gather_cells(&self, ref_index: usize, start: usize, end: usize, cells: &mut Vec<(Period, Aggregate, i32, i32)>) {
        match self.uniform_tag() {
            Some(tag) => self.gather_cells_with(ref_index, start, end, SameTag(tag), cells),
            None => self.gather_cells_with(ref_index, start, end, &self.tags()[start..end], cells),
        }
    }

    /// [`Cube::gather_cells`] with the tags of entries `start..end` from `tags` (indexed from `start`).
    #[inline(always)]
    fn gather_cells_with(
        &self,
        ref_index: usize,
        start: usize,
        end: usize,
        tags: impl TagAt,
        cells: &mut Vec<(Period, Aggregate, i32, i32)>,
    ) {
        cells.clear();
        let shapes = &self.shapes[ref_index];
        let slice = &self.entries()[start..end];
        let mut position = 0;
        while position < slice.len() {
            let period_index = slice[position].period as usize;
            let (value, next) = period_cell(slice, tags, position, shapes);
            if let Some(value) = value {
                let first_day = self.period_first_days[period_index];
                let last_day = self.period_ends[period_index].num_days_from_ce();
                cells.push((self.store.periods[period_index], value, first_day, last_day));
            }
            position = next;
        }
    }
}

/// A hint to bring `value`'s cache line in (x86-64: `prefetcht0`; elsewhere nothing).
#[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
pub(crate) fn prefetch<T>(value: &T) {
    safe_arch::prefetch_t0(value);
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
pub(crate) fn prefetch<T>(_: &T) {}

/// When every cell is a month, each a different one: fills `table` with the index of each month's cell from the
/// first month on ([`NO_CELL`] for a month without one) and returns the first month (`year * 12 + month - 1`).
/// `None` (the table unused) for cells of other period types.
fn month_table(cells: &[(Period, Aggregate, i32, i32)], table: &mut Vec<u32>) -> Option<i32> {
    table.clear();
    let month = |period: Period| match period {
        Period::Month(..) => calendar_months(period).map(|(month, _)| month),
        _ => None,
    };
    let mut first = i32::MAX;
    let mut last = i32::MIN;
    for cell in cells {
        let month = month(cell.0)?;
        first = first.min(month);
        last = last.max(month);
    }
    if cells.is_empty() || last - first > 12 * 1000 {
        return None;
    }
    table.resize((last - first + 1) as usize, NO_CELL);
    for (index, cell) in cells.iter().enumerate() {
        let slot = &mut table[(month(cell.0)? - first) as usize];
        if *slot != NO_CELL {
            return None;
        }
        *slot = index as u32;
    }
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(period: &str) -> (Period, Aggregate, i32, i32) {
        let period = Period::parse(period).expect("a period");
        (period, Aggregate::ZERO, period.start().num_days_from_ce(), period.end().num_days_from_ce())
    }

    #[test]
    fn calendar_months_are_those_of_the_first_day() {
        for text in
            ["2024", "2024S1", "2024S2", "2023Q1", "2023Q4", "2021-01", "2021-12", "2022Oct", "2022-01-01..2022-03-31"]
        {
            let period = Period::parse(text).expect("a period");
            let months = calendar_months(period);
            let start = period.start();
            let expected = match period {
                Period::YearFrom(..) | Period::Range(..) => None,
                _ => Some(start.year() * 12 + start.month0() as i32),
            };
            assert_eq!(months.map(|(first, _)| first), expected, "{text}");
            if let Some((first, count)) = months {
                let end = period.end();
                assert_eq!(first + count as i32 - 1, end.year() * 12 + end.month0() as i32, "{text}");
            }
        }
    }

    #[test]
    fn month_table_only_for_distinct_months() {
        let mut table = Vec::new();
        let cells: Vec<_> = ["2021-11", "2022-01", "2022-02"].into_iter().map(cell).collect();
        assert_eq!(month_table(&cells, &mut table), Some(2021 * 12 + 10));
        assert_eq!(table, vec![0, NO_CELL, 1, 2]);
        // A quarter among the months, the same month twice, no cells: the general way.
        for periods in [vec!["2022-01", "2022Q1"], vec!["2022-01", "2022-01"], vec![]] {
            let cells: Vec<_> = periods.into_iter().map(cell).collect();
            assert_eq!(month_table(&cells, &mut table), None);
        }
    }
}
