//! The readings of a total that a reader finds by adding cells up: a unit's own cells inside a period that make its
//! value, and the cells of a group's members (their own, or cells inside the period) that make a total (round 55,
//! found by a review helper's fuzzer: values that sum what was reported, marked partial, read by no fixed rule).

use super::super::super::*;
use super::{Cover, agrees};

/// Whether a search takes one cell per unit (a stock: its value on the period's last day) or cells that do not
/// overlap (a count over time); `None` for an element combined over time otherwise.
fn one_each(time: TimeAggregation) -> Option<bool> {
    match time {
        TimeAggregation::Sum => Some(false),
        TimeAggregation::Last => Some(true),
        _ => None,
    }
}

impl Cover<'_> {
    /// Adds to `out` `unit`'s cells of reference `ri` in the periods `periods` (positions), in that order, as the
    /// searches take them: (cell, period, unit).
    fn cells_at(&self, ri: usize, unit: usize, periods: &[usize], out: &mut Vec<(usize, Period, usize)>) {
        out.extend(
            periods.iter().filter_map(|&q| self.index.get(ri, unit, q).map(|cell| (cell, self.periods[q], unit))),
        );
    }

    /// Whether a cell of `cells` has a value below zero (a search that never passes its target needs none).
    fn any_negative(&self, cells: &[(usize, Period, usize)]) -> bool {
        cells.iter().any(|&(cell, ..)| self.cells[cell].value < 0.0)
    }

    /// The cell of `unit` inside period `pi` whose value is its stock there: of those whose value agrees with the
    /// period's, the one that ends latest (then starts latest). `None` where the unit has no cell in `pi` or none
    /// inside agrees.
    pub(super) fn stock_inside(&self, ri: usize, unit: usize, pi: usize) -> Option<usize> {
        let total = self.index.get(ri, unit, pi)?;
        let mut inside: Vec<(Period, usize)> = self.within[pi]
            .iter()
            .filter_map(|&q| self.index.get(ri, unit, q).map(|cell| (self.periods[q], cell)))
            .collect();
        inside.sort_by_key(|&(period, _)| std::cmp::Reverse((period.end(), period.start())));
        inside.into_iter().map(|(_, cell)| cell).find(|&cell| agrees(self.value(cell), self.value(total)))
    }

    /// For a count over time or a stock, the first set of cells inside period `pi` of the members of `group` without
    /// a cell there whose values make up `total` less the members' `own` cells: for a count, cells of one member that
    /// do not overlap; for a stock, at most one cell per member (its value on the period's last day). `None` where
    /// there is none within the search's bounds ([`SUMS_INSIDE_STEPS`]) or a value is negative.
    pub(super) fn members_making_up(
        &self,
        total: usize,
        ri: usize,
        (group, pi): (&[usize], usize),
        time: TimeAggregation,
        own: &[usize],
    ) -> Option<Vec<usize>> {
        let one_each = one_each(time)?;
        let target = self.cells[total].value - own.iter().map(|&c| self.cells[c].value).sum::<f64>();
        let order = self.earliest_first(pi);
        let mut cells = Vec::new();
        for &unit in group.iter().filter(|&&unit| self.index.get(ri, unit, pi).is_none()) {
            self.cells_at(ri, unit, &order, &mut cells);
        }
        if target < 0.0 || cells.is_empty() || self.any_negative(&cells) {
            return None;
        }
        let mut search = SumsInside::new(self, &cells, target, one_each, 1);
        search.from(0, 0.0);
        search.found.pop()
    }

    /// The first set of cells of `group`'s members in period `pi` whose values make up `total`, each member taking its
    /// own cell, or its cells inside the period (not overlapping for a count; one for a stock), or nothing; with
    /// the merged unit `merged`'s own cells inside the period besides. `None` where there is none within the
    /// search's bounds ([`SUMS_INSIDE_STEPS`]), a value is negative, or the element is neither a count over time nor
    /// a stock.
    pub(super) fn members_read_anew(
        &self,
        total: usize,
        ri: usize,
        (group, pi): (&[usize], usize),
        time: TimeAggregation,
        merged: Option<usize>,
    ) -> Option<Vec<usize>> {
        let one_each = one_each(time)?;
        let order = self.earliest_first(pi);
        let mut cells = Vec::new();
        for &unit in group.iter().chain(merged.as_ref()) {
            if Some(unit) != merged {
                self.cells_at(ri, unit, &[pi], &mut cells);
            }
            self.cells_at(ri, unit, &order, &mut cells);
        }
        if self.any_negative(&cells) {
            return None;
        }
        let mut search = SumsInside::new(self, &cells, self.cells[total].value, one_each, 1);
        // For a count, every member with a cell takes one: a member left out would make the set a coincidence of
        // values rather than a reading of the value's parts. A stock may leave out a member's stock of an earlier
        // day (A's November-April beside B's April and AB's own September, in AB's October-September year).
        if !one_each {
            search.required = group.iter().copied().filter(|unit| cells.iter().any(|c| c.2 == *unit)).collect();
        }
        search.from(0, 0.0);
        search.found.pop()
    }

    /// The sets of `unit`'s cells inside period `pi` that do not overlap one another and whose values add up to its
    /// value there, for a count over time whose value does not already add up over a tiling of the period (it sums
    /// what was reported, marked partial): at most [`MAX_SUMS_INSIDE`] of them, searched in at most
    /// [`SUMS_INSIDE_STEPS`] steps, the earliest cells first. Empty where the unit has no cell in `pi` or a cell
    /// inside is negative.
    pub(super) fn sums_inside(&self, ri: usize, unit: usize, pi: usize) -> Vec<Vec<usize>> {
        let Some(total) = self.index.get(ri, unit, pi) else { return Vec::new() };
        let longest = self.inside(ri, unit, &self.within[pi]);
        let days = |p: Period| (p.end() - p.start()).num_days() + 1;
        let covered: i64 = longest.iter().filter_map(|&c| self.cell_period(c)).map(days).sum();
        if covered == days(self.periods[pi]) && self.adds_up(total, &longest) {
            return Vec::new();
        }
        let mut cells = Vec::new();
        self.cells_at(ri, unit, &self.earliest_first(pi), &mut cells);
        if self.any_negative(&cells) {
            return Vec::new();
        }
        let mut search = SumsInside::new(self, &cells, self.cells[total].value, false, MAX_SUMS_INSIDE);
        search.from(0, 0.0);
        search.found
    }
}

/// How many sets of a unit's cells inside a period that add up to its value there are kept ([`Cover::sums_inside`]).
const MAX_SUMS_INSIDE: usize = 4;

/// How many cells [`Cover::sums_inside`] tries in all for one period of one unit.
const SUMS_INSIDE_STEPS: usize = 2_000;

/// The search of [`Cover::sums_inside`] and [`Cover::members_making_up`]: a depth-first walk over `cells` (cell,
/// period, unit; each unit's cells together, the earliest first), each taken or left, never passing the target. Of
/// one unit it takes only cells after the last taken one's end, or only one cell (`one_each`).
struct SumsInside<'c, 'a> {
    cover: &'c Cover<'a>,
    cells: &'c [(usize, Period, usize)],
    target: f64,
    one_each: bool,
    wanted: usize,
    /// The units of which a set found takes at least one cell.
    required: Vec<usize>,
    chosen: Vec<usize>,
    found: Vec<Vec<usize>>,
    steps: usize,
}

impl<'c, 'a> SumsInside<'c, 'a> {
    fn new(
        cover: &'c Cover<'a>,
        cells: &'c [(usize, Period, usize)],
        target: f64,
        one_each: bool,
        wanted: usize,
    ) -> Self {
        let (chosen, found, required) = (Vec::new(), Vec::new(), Vec::new());
        SumsInside { cover, cells, target, one_each, wanted, required, chosen, found, steps: 0 }
    }

    /// Extends `chosen` (summing to `sum`) by the cells from position `next` on.
    fn from(&mut self, next: usize, sum: f64) {
        if !self.chosen.is_empty() && agrees(sum, self.target) {
            let takes = |unit: &usize| self.chosen.iter().any(|&at| self.cells[at].2 == *unit);
            if self.required.iter().all(takes) {
                self.found.push(self.chosen.iter().map(|&at| self.cells[at].0).collect());
                return;
            }
        }
        let last = self.chosen.last().map(|&at| self.cells[at]);
        for at in next..self.cells.len() {
            if self.found.len() >= self.wanted || self.steps >= SUMS_INSIDE_STEPS {
                return;
            }
            self.steps += 1;
            let (cell, period, unit) = self.cells[at];
            let value = self.cover.cells[cell].value;
            let clashes = last.is_some_and(|(_, last, last_unit)| {
                last_unit == unit && (self.one_each || period.start() <= last.end())
            });
            if clashes || sum + value > self.target && !agrees(sum + value, self.target) {
                continue;
            }
            self.chosen.push(at);
            self.from(at + 1, sum + value);
            self.chosen.pop();
        }
    }
}
