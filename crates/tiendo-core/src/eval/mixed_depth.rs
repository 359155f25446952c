//! A unit's rows of one period broken down to different depths: women by age group, men as one row. No single shape
//! is complete, yet the rows are disjoint and cover every combination, so together they are the total (75 = 35 women
//! by age + 40 men), and without a whole cover they are a lower bound that holds more than any one shape. Before,
//! the largest single shape (the 40 men) was the unit's value, marked partial, and a smaller complete sum of the units
//! below (60) took its place as if complete: a status of "achieved" on a count the unit's own rows put above the
//! target (review of 6 December, helper 3, F1 and F2).
//!
//! The rows are read as a guillotine partition of the options' grid: a region (an option or "all" for each category
//! broken down) is its own row where one is reported (a region's reported total wins over its breakdown, as a
//! unit's total does), else split by one of its open categories into one region per option, the first split that
//! covers every combination, else the one that holds the most. Regions are few (at most [`MOST_REGIONS`]), so every
//! split is tried once.

use crate::eval::aggregate::{Aggregate, SourceMask};
use crate::eval::breakdown::{Shapes, TagAt};
use crate::eval::store::Observation;

/// The most regions of the options' grid (product of each category's options + 1) read this way; an element
/// broken down by more is read by its shapes alone ([`crate::eval::breakdown::Cell::value`]).
pub(crate) const MOST_REGIONS: usize = 4096;

/// What a region holds: the sum of its rows, whether they cover every combination, and their sources.
#[derive(Debug, Clone, Copy)]
struct Held {
    value: f64,
    complete: bool,
    sources: SourceMask,
    provisional: bool,
}

/// The value of one reported period's rows `entries` (their tags from `tags`, starting at `tag_offset`) read as a
/// partition across shapes: `None` when the grid is too large or no row is of a shape. The value is partial
/// (`partial_breakdown`) unless the rows it adds cover every combination.
pub(crate) fn value(
    entries: &[Observation],
    tags: impl TagAt,
    tag_offset: usize,
    shapes: &Shapes,
) -> Option<Aggregate> {
    let grid = Grid::new(&shapes.options)?;
    let mut rows: Vec<Option<Held>> = vec![None; grid.regions];
    let mut any = false;
    for (offset, entry) in entries.iter().enumerate() {
        let Some(region) = shapes.regions.get(entry.combo as usize).and_then(|r| r.as_deref()) else { continue };
        let tag = tags.at(tag_offset + offset);
        let (sources, provisional) = (1u64 << tag.source_bit(), tag.provisional());
        rows[grid.index(region)] = Some(Held { value: entry.value, complete: true, sources, provisional });
        any = true;
    }
    if !any {
        return None;
    }
    let mut reading = Reading { grid: &grid, rows, memo: vec![None; grid.regions] };
    let held = reading.held(0, &mut vec![0; grid.strides.len()])?;
    Some(Aggregate {
        value: held.value,
        sources: held.sources,
        provisional: held.provisional,
        partial_breakdown: !held.complete,
        ..Aggregate::ZERO
    })
}

/// The regions of the options' grid, numbered in mixed radix (option 0 is "all").
struct Grid<'a> {
    options: &'a [u8],
    strides: Vec<usize>,
    regions: usize,
}

impl<'a> Grid<'a> {
    fn new(options: &'a [u8]) -> Option<Grid<'a>> {
        let mut strides = Vec::with_capacity(options.len());
        let mut regions = 1usize;
        for &count in options {
            strides.push(regions);
            regions = regions.checked_mul(usize::from(count) + 1).filter(|&r| r <= MOST_REGIONS)?;
        }
        (!options.is_empty()).then_some(Grid { options, strides, regions })
    }

    fn index(&self, region: &[u8]) -> usize {
        region.iter().zip(&self.strides).map(|(&option, &stride)| usize::from(option) * stride).sum()
    }
}

/// One reading of a period's rows over the grid: each region's own row, and what each region holds once worked out.
struct Reading<'g> {
    grid: &'g Grid<'g>,
    rows: Vec<Option<Held>>,
    memo: Vec<Option<Option<Held>>>,
}

impl Reading<'_> {
    /// What the region `index` (`region`, by category) holds: its own row, else its best split; `None` when no row
    /// lies in it.
    fn held(&mut self, index: usize, region: &mut [u8]) -> Option<Held> {
        if let Some(known) = self.memo[index] {
            return known;
        }
        let held = match self.rows[index] {
            Some(row) => Some(row),
            None => self.best_split(index, region),
        };
        self.memo[index] = Some(held);
        held
    }

    /// The first split of the region by one of its open categories whose parts cover every combination, else the
    /// split holding the most (the first of equals); `None` when no row lies in the region.
    fn best_split(&mut self, index: usize, region: &mut [u8]) -> Option<Held> {
        let mut best: Option<Held> = None;
        for category in 0..region.len() {
            if region[category] != 0 {
                continue;
            }
            let mut split = Held { value: 0.0, complete: true, sources: 0, provisional: false };
            let mut any = false;
            for option in 1..=self.grid.options[category] {
                region[category] = option;
                let part = self.held(index + usize::from(option) * self.grid.strides[category], region);
                match part {
                    Some(part) => {
                        any = true;
                        split.value += part.value;
                        split.complete &= part.complete;
                        split.sources |= part.sources;
                        split.provisional |= part.provisional;
                    }
                    None => split.complete = false,
                }
            }
            region[category] = 0;
            if !any {
                continue;
            }
            if split.complete {
                return Some(split);
            }
            if best.is_none_or(|b| split.value > b.value) {
                best = Some(split);
            }
        }
        best
    }
}
