//! The audit over whole numbers where real bounds say nothing of them: a program with a row whose coefficients differ
//! (an average over time weighted by days, a rule's coefficients), whose integral cells' whole values may lie far
//! apart (`10 x + 11 y = 117` holds for x = 4 alone among whole numbers in [1, 10]; round 73, found by an
//! adversarial tester). Solved as integer programs with microlp's branch and bound, within a bound on its branches.

use microlp::{OptimizationDirection, Problem};

use super::{Answer, EPSILON, Program, Range, no_presolve, program_work, snap, whole_width};

/// Whether the coefficients of `terms` differ in size: whole values satisfying the row may then lie far apart
/// (`10 x + 11 y = 117` holds for x = 4 alone among whole numbers in [1, 10]), where a row of equal coefficients
/// (`x + y = 11`) leaves every whole value between its real bounds.
pub(super) fn uneven(terms: &[(usize, f64)]) -> bool {
    let Some(&(_, first)) = terms.first() else { return false };
    terms.iter().any(|&(_, k)| (k.abs() - first.abs()).abs() > EPSILON * first.abs().max(1.0))
}

/// Whether `value` is a whole number small enough for the integer programs' bounds (within `i32`).
pub(super) fn whole(value: f64) -> bool {
    value.fract() == 0.0 && value.abs() < 1e9
}

/// The branches an integer program of a lattice may take ([`Program::solve_from`]): its tables are small (the cells of
/// a few averages over time), and one that needs more is counted narrow, which can only hide more.
const LATTICE_NODES: u64 = 2_000;

/// A whole bound of an integer variable, within `i32` (an infinite one at its end).
fn whole_bound(value: f64) -> i32 {
    value.clamp(i32::MIN as f64, i32::MAX as f64) as i32
}

impl Program {
    /// Whether this program is on a lattice: a row's coefficients differ and some cells take whole values only.
    pub(super) fn lattice(&self) -> bool {
        !self.integral.is_empty()
    }

    /// On a lattice ([`Program::integral`]), whether the cell at `position` can take values at least `required`
    /// apart (and more than one): a cell of whole values must take at least `required + 1` of them (what a range
    /// of that width holds of a count; "no reader can narrow one below 4 values"), found one at a time from the
    /// smallest, each the least whole value at or above the one before plus one; any other cell, its extremes over
    /// the whole points. An answer the integer programs cannot give counts as narrow.
    pub(crate) fn lattice_wide(&self, position: usize, required: f64, solved: &mut usize) -> bool {
        let mut count = || {
            *solved += 1;
            self.work.set(self.work.get() + LATTICE_NODES.min(64) * program_work(self.priors.len(), self.rows.len()));
        };
        let objective: Vec<f64> = (0..self.priors.len()).map(|i| if i == position { 1.0 } else { 0.0 }).collect();
        let optimum = |direction, from| match self.solve_from(&objective, direction, from) {
            Answer::Optimum { objective, .. } => Some(snap(objective)),
            Answer::Unbounded => Some(match direction {
                OptimizationDirection::Maximize => f64::INFINITY,
                OptimizationDirection::Minimize => f64::NEG_INFINITY,
            }),
            Answer::Failed => None,
        };
        if !self.integral[position] {
            count();
            let Some(low) = optimum(OptimizationDirection::Minimize, None) else { return false };
            count();
            let Some(high) = optimum(OptimizationDirection::Maximize, None) else { return false };
            return whole_width(Range { low, high }) >= required - EPSILON;
        }
        let needed = (required - EPSILON).ceil().max(1.0) as usize + 1;
        let mut from = None;
        for _ in 0..needed {
            count();
            match optimum(OptimizationDirection::Minimize, from) {
                Some(value) if value.is_finite() => from = Some((position, value.round() + 1.0)),
                Some(_) => return true,
                None => return false,
            }
        }
        true
    }

    /// [`Program::solve`] with the cell at `from.0` at least `from.1`; on a lattice, over whole numbers for its
    /// integral cells, with at most [`LATTICE_NODES`] branches (an answer found within them is a consistent point,
    /// optimal or not; none is a failure).
    pub(super) fn solve_from(
        &self,
        objective: &[f64],
        direction: OptimizationDirection,
        from: Option<(usize, f64)>,
    ) -> Answer {
        let mut problem = Problem::new(direction);
        let mut variables = Vec::with_capacity(self.priors.len());
        for (position, (prior, &w)) in self.priors.iter().zip(objective).enumerate() {
            let low = match from {
                Some((at, least)) if at == position => prior.low.max(least),
                _ => prior.low,
            };
            if low > prior.high {
                return Answer::Failed;
            }
            variables.push(match self.integral.get(position) {
                Some(true) => problem.add_integer_var(w, (whole_bound(low.ceil()), whole_bound(prior.high.floor()))),
                _ => problem.add_var(w, (low, prior.high)),
            });
        }
        self.add_rows(&mut problem, &variables);
        let mut options = no_presolve();
        if self.lattice() {
            options.node_limit = Some(LATTICE_NODES);
        }
        match problem.solve_with(options) {
            Ok(outcome) => match outcome.into_solution() {
                Ok(solution) => Answer::Optimum {
                    objective: solution.objective(),
                    point: variables.iter().map(|&v| snap(solution.var_value(v))).collect(),
                },
                Err(_) => Answer::Failed,
            },
            Err(microlp::Error::Unbounded) => Answer::Unbounded,
            Err(_) => Answer::Failed,
        }
    }
}
