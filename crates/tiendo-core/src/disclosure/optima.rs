//! The optima the audit has found, by the whole linear program and the question asked of it, so that a program
//! posed again is not solved again.
//!
//! The search poses the same program many times: a table audited again after a trial that did not touch it, a
//! cell's neighbourhood grown again while the cells around it are as they were. On the frozen example 287 of the
//! 1,290 programs that ask for a cell's smallest or largest value were repeats, as were 18 of the 149 that look for
//! shared feasible points (docs/performance.md, round 53). A
//! program's answer depends only on its rows, its bounds and its objective, which the key holds exactly (every
//! number by its bits), so an answer given from here is the one the solver gave for the same program.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::audit::{Kind, Range, Row};

/// Programs of more variables than this are always solved afresh: the commune-level audit poses about 51,000
/// programs of up to 400 cells, whose keys (a few kilobytes each) would hold hundreds of megabytes.
pub(crate) const MOST_VARIABLES: usize = 96;

/// The most answers kept (tens of megabytes at [`MOST_VARIABLES`]); later programs are solved afresh.
const MOST_ANSWERS: usize = 16_384;

/// The solver's answer to one program: the optimum and the point it was found at (each value snapped to a whole
/// number within [`super::audit::EPSILON`]), unbounded, or no answer.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    Optimum { objective: f64, point: Vec<f64> },
    Unbounded,
    Failed,
}

/// The answers so far, shared by every program of one search ([`super::audit::System`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct Optima(Rc<RefCell<HashMap<Vec<u64>, Answer>>>);

impl Optima {
    /// The answer given before to the program `key` ([`key`]), if any.
    pub(crate) fn get(&self, key: &[u64]) -> Option<Answer> {
        self.0.borrow().get(key).cloned()
    }

    /// Keeps the answer to the program `key`, unless [`MOST_ANSWERS`] are kept already.
    pub(crate) fn insert(&self, key: Vec<u64>, answer: Answer) {
        let mut answers = self.0.borrow_mut();
        if answers.len() < MOST_ANSWERS {
            answers.insert(key, answer);
        }
    }

    /// How many programs were solved (for tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.borrow().len()
    }
}

/// The exact key of "the largest (`maximise`) or smallest `sum(objective_i x_i)`" over `rows` and `priors`: every
/// count, position and number (by its bits) in order, with the lengths that keep it unambiguous.
pub(crate) fn key(objective: &[f64], maximise: bool, rows: &[Row], priors: &[Range]) -> Vec<u64> {
    let terms: usize = rows.iter().map(|(terms, ..)| 2 * terms.len() + 3).sum();
    let mut key = Vec::with_capacity(3 + objective.len() + terms + 2 * priors.len());
    key.extend([u64::from(maximise), rows.len() as u64, priors.len() as u64]);
    key.extend(objective.iter().map(|w| w.to_bits()));
    for (terms, kind, rhs) in rows {
        key.extend([terms.len() as u64, u64::from(*kind == Kind::Equal), rhs.to_bits()]);
        for &(p, c) in terms {
            key.extend([p as u64, c.to_bits()]);
        }
    }
    for prior in priors {
        key.extend([prior.low.to_bits(), prior.high.to_bits()]);
    }
    key
}

#[cfg(test)]
mod tests {
    use microlp::OptimizationDirection;

    use super::super::audit::System;
    use super::super::{Cell, Publication, Relation};
    use super::*;

    type Rows = Vec<Row>;

    /// Two programs share a key only when every part of them is the same: a program that differs in its direction,
    /// objective, a coefficient, a kind, a right-hand side or a bound is solved on its own.
    #[test]
    fn a_key_tells_apart_every_part_of_a_program() {
        let rows: Rows =
            vec![(vec![(0, 1.0), (1, 1.0)], Kind::Equal, 10.0), (vec![(1, 1.0), (2, -1.0)], Kind::AtMost, 3.0)];
        let priors = vec![Range { low: 0.0, high: 10.0 }, Range::non_negative(), Range { low: 1.0, high: 4.0 }];
        let objective = [0.0, 1.0, 0.0];
        let base = key(&objective, true, &rows, &priors);
        assert_eq!(base, key(&objective, true, &rows.clone(), &priors.clone()));
        let mut variants = vec![key(&objective, false, &rows, &priors), key(&[1.0, 0.0, 0.0], true, &rows, &priors)];
        let edits: [fn(&mut Rows); 4] = [
            |rows| rows[0].0[1].1 = -1.0,
            |rows| rows[0].1 = Kind::AtMost,
            |rows| rows[1].2 = 4.0,
            |rows| rows[0].0.truncate(1),
        ];
        for edit in edits {
            let mut changed = rows.clone();
            edit(&mut changed);
            variants.push(key(&objective, true, &changed, &priors));
        }
        let mut bounds = priors.clone();
        bounds[2].high = 5.0;
        variants.push(key(&objective, true, &rows, &bounds));
        // The same terms in one row instead of two: the rows' lengths keep them apart.
        let merged: Rows = vec![(vec![(0, 1.0), (1, 1.0), (1, 1.0), (2, -1.0)], Kind::Equal, 10.0)];
        variants.push(key(&objective, true, &merged, &priors));
        for (i, variant) in variants.iter().enumerate() {
            assert_ne!(&base, variant, "variant {i}");
        }
    }

    /// The same program posed by two programs of one system is solved once and answered alike, and the point of
    /// the answer widens the second program's inner bounds as it did the first's.
    #[test]
    fn a_program_posed_again_is_answered_as_before() {
        let cells = [30.0, 10.0, 15.0, 5.0].map(|value| Cell { value, sensitive: true }).to_vec();
        let relations = vec![Relation::new(0, vec![1, 2, 3])];
        let publication = Publication { cells, relations, latent: 0 };
        let system = System::new(&publication);
        let hidden = |c: usize| c != 0;
        let priors = vec![Range::non_negative(); 3];
        let program = || system.program(&[1, 2, 3], priors.clone(), &hidden);
        let (one, two) = (program(), program());
        let mut solved = 0;
        let first = one.optimum(0, OptimizationDirection::Maximize, &mut solved);
        assert_eq!(first, Some(30.0));
        assert_eq!(two.optimum(0, OptimizationDirection::Maximize, &mut solved), first);
        assert_eq!((solved, system.optima.len()), (2, 1));
        assert_eq!(one.inner_known(0), two.inner_known(0));
        assert_eq!(two.inner_known(0).high, 30.0);
        assert_eq!(two.optimum(0, OptimizationDirection::Minimize, &mut solved), Some(0.0));
        assert_eq!((solved, system.optima.len()), (3, 2));
    }
}
