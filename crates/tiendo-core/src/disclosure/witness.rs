//! The feasible points the search has found, kept across tables, candidates and sweeps, so that a hidden cell
//! shown wide enough once is not solved again while the points that showed it still hold.
//!
//! A point is an assignment of every cell consistent with the whole publication, stored as the cells where it
//! differs from the true values. It stays consistent as long as every one of those cells is hidden: a published
//! cell is a constant at its true value, which the point gives it; a hidden cell's prior (what a reader knows of it
//! a priori) depends only on whether it is primary, which never changes; and hiding more cells only adds freedom.
//! Publishing a cell again (a trial undone, or the final pruning) retires every point that moved it. Between the
//! smallest and the largest value of a cell over consistent points every value is consistent too (the feasible set
//! is convex), so those two bound the cell's range from inside: when they are far enough apart, the cell passes.

use std::collections::HashMap;

use super::Cell;
use super::audit::EPSILON;

/// No point: the cell's true value (always consistent).
const TRUTH: u32 = u32::MAX;

/// The smallest or largest value a cell takes over the points kept, and the point that gives it.
#[derive(Debug, Clone, Copy)]
struct Side {
    value: f64,
    point: u32,
}

/// The points kept and, per cell, the two extremes they give.
#[derive(Debug)]
pub(crate) struct Witnesses {
    truth: Vec<f64>,
    /// Cells in a relation whose coefficients differ ([`super::audit::System::on_lattice`]): points over real numbers
    /// show nothing of them, whose whole values may lie far apart.
    on_lattice: Vec<bool>,
    /// Whether each point still holds (no cell it moved has been published again).
    live: Vec<bool>,
    /// For each cell moved by some point, the points that moved it.
    uses: HashMap<usize, Vec<u32>>,
    low: Vec<Side>,
    high: Vec<Side>,
}

impl Witnesses {
    pub(crate) fn new(cells: &[Cell], on_lattice: &[bool]) -> Self {
        let truth: Vec<f64> = cells.iter().map(|c| c.value).collect();
        let sides: Vec<Side> = truth.iter().map(|&value| Side { value, point: TRUTH }).collect();
        let on_lattice = on_lattice.to_vec();
        Witnesses { live: Vec::new(), uses: HashMap::new(), low: sides.clone(), high: sides, truth, on_lattice }
    }

    fn holds(&self, point: u32) -> bool {
        point == TRUTH || self.live[point as usize]
    }

    /// Keeps a checked feasible point of the whole publication, given as values of `cells` (every other cell at its
    /// true value). Returns the work done (cells read).
    pub(crate) fn record(&mut self, cells: &[usize], point: &[f64]) -> u64 {
        let moved: Vec<(usize, f64)> = cells
            .iter()
            .zip(point)
            .filter(|&(&c, &v)| (v - self.truth[c]).abs() > EPSILON)
            .map(|(&c, &v)| (c, v))
            .collect();
        if moved.is_empty() {
            return cells.len() as u64;
        }
        let Ok(id) = u32::try_from(self.live.len()) else { return cells.len() as u64 };
        if id == TRUTH {
            return cells.len() as u64;
        }
        self.live.push(true);
        for &(cell, value) in &moved {
            self.uses.entry(cell).or_default().push(id);
            if !self.holds(self.low[cell].point) {
                self.low[cell] = Side { value: self.truth[cell], point: TRUTH };
            }
            if !self.holds(self.high[cell].point) {
                self.high[cell] = Side { value: self.truth[cell], point: TRUTH };
            }
            if value < self.low[cell].value {
                self.low[cell] = Side { value, point: id };
            }
            if value > self.high[cell].value {
                self.high[cell] = Side { value, point: id };
            }
        }
        (cells.len() + moved.len()) as u64
    }

    /// Whether the points that still hold show `cell` at least `required` wide (and more than a single value); never
    /// for a cell on a lattice, which only its own integer programs show wide ([`super::audit::Program::lattice_wide`]).
    pub(crate) fn wide(&mut self, cell: usize, required: f64) -> bool {
        if self.on_lattice.get(cell).copied().unwrap_or(false) {
            return false;
        }
        if !self.holds(self.low[cell].point) {
            self.low[cell] = Side { value: self.truth[cell], point: TRUTH };
        }
        if !self.holds(self.high[cell].point) {
            self.high[cell] = Side { value: self.truth[cell], point: TRUTH };
        }
        self.high[cell].value - self.low[cell].value >= required.max(EPSILON * 2.0) - EPSILON
    }

    /// `cell` is published again: every point that moved it no longer holds. Returns the work done.
    pub(crate) fn published_again(&mut self, cell: usize) -> u64 {
        let Some(points) = self.uses.remove(&cell) else { return 1 };
        for &point in &points {
            self.live[point as usize] = false;
        }
        points.len() as u64 + 1
    }
}
