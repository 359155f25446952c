//! The audit: the smallest and largest value of each hidden cell that is consistent with everything published,
//! solved as linear programs with `microlp` (a pure-Rust simplex).
//!
//! Published cells are constants, so a relation only constrains the hidden cells in it: the linear program of a
//! set of hidden cells has one variable per hidden cell, bounds from what a reader knows a priori, and one row per
//! relation that holds one of them. Hidden cells that share no relation are independent tables and are audited
//! apart. The linear relaxation of the integer problem is what τ-Argus audits too; on sums over one hierarchy or
//! two-way tables (totally unimodular) its bounds are the integer bounds, which the brute-force tests check.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::Serialize;

use super::{Cell, Publication};

/// Values below this apart are one value.
pub(crate) const EPSILON: f64 = 1e-6;

/// A solver's optimum within [`EPSILON`] of a whole number is that number (the simplex works in floating point).
fn snap(value: f64) -> f64 {
    if (value - value.round()).abs() < EPSILON { value.round() } else { value }
}

/// A closed range of values; `high` is infinite when nothing bounds the cell from above.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    pub low: f64,
    pub high: f64,
}

impl Range {
    /// Largest minus smallest value (infinite when unbounded above).
    pub fn width(&self) -> f64 {
        self.high - self.low
    }

    /// The range of a cell that a reader cannot bound from above: a count is never negative.
    pub fn non_negative() -> Self {
        Range { low: 0.0, high: f64::INFINITY }
    }
}

/// One row of a linear program: the hidden members as (position in the table, coefficient), the kind and the
/// right-hand side made of the published members.
type Row = (Vec<(usize, f64)>, Kind, f64);

/// How the published members of a relation bind the hidden ones: `sum(parts) - total` is 0, or at most 0 when the
/// published parts fall short of the published total (the reader learns only that the parts do not exceed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Equal,
    AtMost,
}

/// One usable relation as `sum(coefficient x cell) (= | <=) 0`.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) members: Vec<(usize, f64)>,
    pub(crate) kind: Kind,
}

/// The publication as the audit reads it: the usable relations and, for each cell, the relations it is in.
#[derive(Debug)]
pub(crate) struct System<'a> {
    pub(crate) cells: &'a [Cell],
    pub(crate) links: Vec<Link>,
    pub(crate) cell_links: Vec<Vec<u32>>,
}

impl<'a> System<'a> {
    /// Keeps the relations a reader can use: those whose values add up (as equalities) and those whose parts fall
    /// short of the total (as "parts at most total"); a relation whose parts exceed its total tells nothing sound.
    pub(crate) fn new(publication: &'a Publication) -> Self {
        let cells = &publication.cells[..];
        let mut links = Vec::new();
        let mut cell_links = vec![Vec::new(); cells.len()];
        for relation in &publication.relations {
            let mut parts: Vec<usize> =
                relation.parts.iter().copied().filter(|&p| p != relation.total && p < cells.len()).collect();
            parts.sort_unstable();
            parts.dedup();
            if parts.is_empty() || relation.total >= cells.len() {
                continue;
            }
            let total = cells[relation.total].value;
            let sum: f64 = parts.iter().map(|&p| cells[p].value).sum();
            let kind = if (sum - total).abs() <= EPSILON * total.abs().max(1.0) {
                Kind::Equal
            } else if sum < total {
                Kind::AtMost
            } else {
                continue;
            };
            let index = u32::try_from(links.len()).unwrap_or(u32::MAX);
            let mut members: Vec<(usize, f64)> = parts.into_iter().map(|p| (p, 1.0)).collect();
            members.push((relation.total, -1.0));
            for (cell, _) in &members {
                cell_links[*cell].push(index);
            }
            links.push(Link { members, kind });
        }
        System { cells, links, cell_links }
    }

    /// The relations that hold at least one cell of `set`, in index order.
    pub(crate) fn links_of(&self, set: &[usize]) -> Vec<u32> {
        let mut found: Vec<u32> = set.iter().flat_map(|&c| self.cell_links[c].iter().copied()).collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The rows of the linear program of `set` (sorted): per relation, the hidden members as (position in `set`,
    /// coefficient), the relation's kind and the right-hand side made of the published members.
    fn rows(&self, set: &[usize], hidden: &dyn Fn(usize) -> bool) -> Vec<Row> {
        self.links_of(set)
            .into_iter()
            .map(|l| {
                let link = &self.links[l as usize];
                let mut terms = Vec::new();
                let mut rhs = 0.0;
                for &(cell, coefficient) in &link.members {
                    match set.binary_search(&cell) {
                        Ok(position) => terms.push((position, coefficient)),
                        // A hidden member outside `set` would make `set` not a whole table; treat it as free, which
                        // can only widen ranges, and never happens for the connected sets the search audits.
                        Err(_) if hidden(cell) => {}
                        Err(_) => rhs -= coefficient * self.cells[cell].value,
                    }
                }
                (terms, link.kind, rhs)
            })
            .collect()
    }

    /// Settles `set` without a solver where a simple rule can: a hidden cell alone in an equality is pinned to its
    /// value. Returns the position of such a cell.
    pub(crate) fn pinned_by_subtraction(&self, set: &[usize], hidden: &dyn Fn(usize) -> bool) -> Option<usize> {
        self.rows(set, hidden).into_iter().find_map(|(terms, kind, _)| match (kind, terms.as_slice()) {
            (Kind::Equal, [(position, _)]) => Some(*position),
            _ => None,
        })
    }

    /// The linear program of `set` (sorted, and a whole table: every hidden member of its relations is in it), with
    /// what a reader knows of each cell a priori as its bounds.
    pub(crate) fn program(&self, set: &[usize], priors: Vec<Range>, hidden: &dyn Fn(usize) -> bool) -> Program {
        Program { rows: self.rows(set, hidden), priors, fallback: set.iter().map(|&c| self.cells[c].value).collect() }
    }
}

/// The linear program of one table of hidden cells.
#[derive(Debug)]
pub(crate) struct Program {
    rows: Vec<Row>,
    priors: Vec<Range>,
    /// The true values: the range given when the solver finds nothing (the true values always satisfy the
    /// publication, so a solver failure is not trusted to protect anything).
    fallback: Vec<f64>,
}

impl Program {
    /// Whether the cell at `position` (true value `value`) can range over at least `required` (and more than a
    /// single value): the largest value is solved first, and the smallest only when the largest alone does not
    /// settle it (the range always holds the true value).
    pub(crate) fn wide_enough(&self, position: usize, value: f64, required: f64, solved: &mut usize) -> bool {
        let required = required.max(EPSILON * 2.0);
        if self.rows.is_empty() {
            return self.priors[position].width() >= required - EPSILON;
        }
        let Some(high) = self.optimum(position, OptimizationDirection::Maximize, solved) else { return false };
        if snap(high) - value >= required - EPSILON {
            return true;
        }
        let Some(low) = self.optimum(position, OptimizationDirection::Minimize, solved) else { return false };
        snap(high) - snap(low) >= required - EPSILON
    }

    /// The feasible range of the cell at `position`; `solved` counts the linear programs.
    pub(crate) fn range(&self, position: usize, solved: &mut usize) -> Range {
        if self.rows.is_empty() {
            return self.priors[position];
        }
        let low = self.optimum(position, OptimizationDirection::Minimize, solved);
        let high = self.optimum(position, OptimizationDirection::Maximize, solved);
        match (low, high) {
            (Some(low), Some(high)) => Range { low: snap(low), high: snap(high) },
            _ => Range { low: self.fallback[position], high: self.fallback[position] },
        }
    }

    /// The smallest or largest value of cell `position`; infinite when unbounded; `None` when the solver fails.
    fn optimum(&self, position: usize, direction: OptimizationDirection, solved: &mut usize) -> Option<f64> {
        *solved += 1;
        let mut problem = Problem::new(direction);
        let variables: Vec<_> = self
            .priors
            .iter()
            .enumerate()
            .map(|(i, prior)| problem.add_var(if i == position { 1.0 } else { 0.0 }, (prior.low, prior.high)))
            .collect();
        for (terms, kind, rhs) in &self.rows {
            let op = match kind {
                Kind::Equal => ComparisonOp::Eq,
                Kind::AtMost => ComparisonOp::Le,
            };
            problem.add_constraint(terms.iter().map(|&(p, c)| (variables[p], c)).collect::<Vec<_>>(), op, *rhs);
        }
        match problem.solve() {
            Ok(outcome) => outcome.into_solution().ok().map(|solution| solution.objective()),
            Err(microlp::Error::Unbounded) => Some(match direction {
                OptimizationDirection::Maximize => f64::INFINITY,
                OptimizationDirection::Minimize => f64::NEG_INFINITY,
            }),
            Err(_) => None,
        }
    }
}
