//! Complementary cells for one hidden cell that is too narrow, found as the cheapest movement of it: which published
//! cells must be hidden so that the cell can move by the protection range while every relation still holds.
//!
//! This is the attacker's side of the cell suppression problem (Fischetti and Salazar-González, "Models and
//! algorithms for optimizing cell suppression in tabular data with linear constraints", JASA 95, 2000; the network
//! and optimal methods of τ-Argus rest on it), solved for one cell over a neighbourhood of the relation graph:
//!
//! - a change `d_j` per cell of the neighbourhood; every cell outside it keeps its true value (`d = 0`);
//! - every relation that touches the neighbourhood still holds: `sum(c_j d_j) = 0`, or `<=` its slack for "parts at
//!   most total";
//! - a hidden cell stays inside what a reader knows of it a priori (`prior - value`), a published one inside what
//!   a reader will know of it once hidden (never negative), and the cell asked about moves by exactly `delta`;
//! - minimise the movement of published cells, each weighted by "one more cell, then its value" (the search's
//!   order: fewest cells, then least total value). Hidden cells move for free.
//!
//! The published cells that move are the ones to hide. Once they are hidden, the true values moved by `d` are a
//! point consistent with the whole publication (outside the neighbourhood nothing moved), so the cell's range holds
//! both its true value and `value + delta`: the movement is a proof, kept as a witness point.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use super::audit::{EPSILON, Kind, Range, System};
use super::local::{Growth, Marks};
use super::{CellState, Fixed};

/// The most cells, published and hidden, a movement's neighbourhood holds.
const MOVEMENT_CAP: usize = 400;

/// What one cheapest movement found: the published cells to hide, and the point it moved to (cells and values).
#[derive(Debug)]
pub(crate) struct Movement {
    pub(crate) hide: Vec<usize>,
    pub(crate) cells: Vec<usize>,
    pub(crate) values: Vec<f64>,
}

/// Relations with at most this many members are taken whole into a movement's neighbourhood.
const WHOLE_RELATION: usize = 24;

/// From a larger relation (a province's month over hundreds of communes), its totals and this many of its hidden
/// parts are taken, in cell order.
const HIDDEN_PARTS: usize = 8;

/// The cells around `start`, published or hidden, breadth-first over the relations, at most [`MOVEMENT_CAP`]
/// (sorted), and the relation members read. A small relation (a unit's quarter and its months) is taken whole; of a
/// large one only the totals and the first [`HIDDEN_PARTS`] hidden parts in cell order, which move for free and, in
/// cell order, are the same units for neighbouring relations of the same shape, so that the cycles a count moves
/// along (two units and two periods) close inside the neighbourhood. Taking a large relation whole would fill the
/// neighbourhood with one relation's published parts and leave out the relations that let a count move at all.
fn around(system: &System<'_>, start: usize, states: &[CellState], marks: &mut Marks) -> (Vec<usize>, u64) {
    let mut work = 0u64;
    let mut growth = Growth::new(system, start, marks, MOVEMENT_CAP);
    growth.grow(system, &|c| states[c] != CellState::Published, |growth, link| {
        let whole = link.members.len() <= WHOLE_RELATION;
        let (parts, totals) = link.members.split_at(link.members.len() - link.totals);
        let mut hidden_parts = 0;
        for (position, &(member, _)) in parts.iter().chain(totals).enumerate() {
            let total = position >= parts.len();
            if !whole && !total {
                if hidden_parts == HIDDEN_PARTS {
                    continue;
                }
                work += 1;
                if states[member] == CellState::Published {
                    continue;
                }
                hidden_parts += 1;
            } else {
                work += 1;
            }
            // Withheld cells are not in the search's publication yet; none exist while it runs.
            if states[member] != CellState::Withheld && !growth.add(member) {
                return false;
            }
        }
        true
    });
    let mut cells = growth.cells;
    cells.sort_unstable();
    (cells, work)
}

/// The cheapest movement of `cell` by `delta` (positive or negative) over its neighbourhood, `prior` giving what a
/// reader knows of each hidden cell and `fixed` what another publication decided (its published cells may not move); `None` when the neighbourhood allows none or `value + delta` lies outside what a
/// reader knows of the cell. `solved` counts the linear program and `work` the search's steps (relation members
/// read, and the program's size).
pub(crate) fn cheapest(
    system: &System<'_>,
    (cell, delta): (usize, f64),
    (states, fixed): (&[CellState], &[Fixed]),
    prior: &dyn Fn(usize) -> Range,
    marks: &mut Marks,
    (solved, work): (&mut usize, &mut u64),
) -> Option<Movement> {
    let reach = prior(cell);
    let target = system.cells[cell].value + delta;
    if target < reach.low - EPSILON || target > reach.high + EPSILON {
        return None;
    }
    let (cells, read) = around(system, cell, states, marks);
    *work += read;
    let value = |c: usize| system.cells[c].value;
    let largest = cells.iter().map(|&c| value(c).abs()).fold(0.0f64, f64::max);
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    // Per cell: its change as (variable, coefficient) terms: one variable for a hidden cell, up and down for a
    // published one (each costing one cell, then its value).
    let mut terms_of: Vec<Vec<(microlp::Variable, f64)>> = Vec::with_capacity(cells.len());
    let mut published: Vec<Option<(microlp::Variable, microlp::Variable)>> = Vec::with_capacity(cells.len());
    for &c in &cells {
        let v = value(c);
        if c == cell {
            let d = problem.add_var(0.0, (delta, delta));
            terms_of.push(vec![(d, 1.0)]);
            published.push(None);
        } else if states[c] == CellState::Published && fixed.get(c) == Some(&Fixed::Published) {
            // A cell another publication shows (`super::protect_keeping`) stays at its value.
            let d = problem.add_var(0.0, (0.0, 0.0));
            terms_of.push(vec![(d, 1.0)]);
            published.push(None);
        } else if states[c] == CellState::Published {
            // Within what a reader will know of it once hidden (`prior` of a published cell): a sensitive count
            // hidden beside small ones stays out of their range ([`super::Rules::prior`]).
            let cost = 1.0 + v.abs() / (largest + 1.0);
            let range = prior(c);
            let up = problem.add_var(cost, (0.0, (range.high - v).max(0.0)));
            let down = problem.add_var(cost, (0.0, (v - range.low.max(0.0)).max(0.0).min(v.max(0.0))));
            terms_of.push(vec![(up, 1.0), (down, -1.0)]);
            published.push(Some((up, down)));
        } else {
            let range = prior(c);
            let d = problem.add_var(0.0, (range.low - v, range.high - v));
            terms_of.push(vec![(d, 1.0)]);
            published.push(None);
        }
    }
    let mut rows = 0usize;
    for link in system.links_of(&cells) {
        let relation = &system.links[link as usize];
        let mut row: Vec<(microlp::Variable, f64)> = Vec::new();
        let mut sum = 0.0;
        for &(member, coefficient) in &relation.members {
            sum += coefficient * value(member);
            if let Ok(position) = cells.binary_search(&member) {
                row.extend(terms_of[position].iter().map(|&(var, k)| (var, k * coefficient)));
            }
        }
        *work += relation.members.len() as u64;
        match relation.kind {
            Kind::Equal => problem.add_constraint(row, ComparisonOp::Eq, 0.0),
            // sum(c (x + d)) <= bound with sum(c x) = `sum`: the change may use the slack the true values leave.
            Kind::AtMost => problem.add_constraint(row, ComparisonOp::Le, relation.bound - sum),
        }
        rows += 1;
    }
    *solved += 1;
    *work += 64 + (2 * cells.len() as u64 + 1) * (rows as u64 + 1);
    let solution = problem.solve().ok()?.into_solution().ok()?;
    let mut hide = Vec::new();
    let mut values = Vec::with_capacity(cells.len());
    for (position, &c) in cells.iter().enumerate() {
        let change: f64 = terms_of[position].iter().map(|&(var, k)| k * solution.var_value(var)).sum();
        if let Some((up, down)) = published[position]
            && solution.var_value(up) + solution.var_value(down) > EPSILON
        {
            hide.push(c);
        }
        values.push(value(c) + if change.abs() > EPSILON { change } else { 0.0 });
    }
    Some(Movement { hide, cells, values })
}

/// Whether the point `movement` moved to is consistent with the publication once its cells are hidden: every
/// relation that touches its cells holds (within the solver's tolerance), every hidden cell lies within `prior`
/// and every cell is non-negative. Only such a point is kept as a witness.
pub(crate) fn holds(
    system: &System<'_>,
    movement: &Movement,
    prior: &dyn Fn(usize) -> Range,
    states: &[CellState],
) -> bool {
    let tolerance = |scale: f64| EPSILON * scale.abs().max(1.0);
    let value_of = |c: usize| match movement.cells.binary_search(&c) {
        Ok(position) => movement.values[position],
        Err(_) => system.cells[c].value,
    };
    let in_prior = movement.cells.iter().zip(&movement.values).all(|(&c, &x)| {
        let range = if states[c] == CellState::Published { Range::non_negative() } else { prior(c) };
        x >= range.low - tolerance(x) && x <= range.high + tolerance(x)
    });
    in_prior
        && system.links_of(&movement.cells).into_iter().all(|link| {
            let relation = &system.links[link as usize];
            let sum: f64 = relation.members.iter().map(|&(c, k)| k * value_of(c)).sum();
            let scale = relation.members.iter().map(|&(c, _)| value_of(c).abs()).sum::<f64>();
            match relation.kind {
                Kind::Equal => sum.abs() <= tolerance(scale),
                Kind::AtMost => sum <= relation.bound + tolerance(scale),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::{Cell, Publication, Relation};

    /// A 2 x 2 table with margins: rows 0 = 1 + 2, 3 = 4 + 5; columns 6 = 1 + 4, 7 = 2 + 5; grand 8 = 0 + 3 = 6 + 7.
    fn two_way() -> Publication {
        let values = [22.0, 4.0, 18.0, 40.0, 25.0, 15.0, 29.0, 33.0, 62.0];
        let relations: [(usize, &[usize]); 6] =
            [(0, &[1, 2]), (3, &[4, 5]), (6, &[1, 4]), (7, &[2, 5]), (8, &[0, 3]), (8, &[6, 7])];
        Publication {
            cells: values.iter().map(|&value| Cell { value, sensitive: true }).collect(),
            relations: relations.iter().map(|(total, parts)| Relation::new(*total, parts.to_vec())).collect(),
            latent: 0,
        }
    }

    fn primary_prior(c: usize) -> Range {
        if c == 1 { Range { low: 1.0, high: 10.0 } } else { Range::non_negative() }
    }

    /// The cheapest movement of the small interior cell goes round a rectangle (18, 25 and 15: three cells, the
    /// least value) rather than through the margins (22, 29 and 62), and the point it moves to is consistent.
    #[test]
    fn a_small_interior_cell_moves_round_the_cheapest_rectangle() {
        let publication = two_way();
        let system = System::new(&publication);
        let mut states = vec![CellState::Published; 9];
        states[1] = CellState::Primary;
        for delta in [3.0, -3.0] {
            let (mut solved, mut work) = (0, 0);
            let movement = cheapest(
                &system,
                (1, delta),
                (&states, &[]),
                &primary_prior,
                &mut Marks::default(),
                (&mut solved, &mut work),
            )
            .expect("a movement");
            assert_eq!(movement.hide, [2, 4, 5], "delta {delta}");
            let moved = |c: usize| movement.values[movement.cells.binary_search(&c).unwrap()];
            assert_eq!(
                [moved(1), moved(2), moved(4), moved(5)],
                [4.0 + delta, 18.0 - delta, 25.0 - delta, 15.0 + delta]
            );
            let mut hidden = states.clone();
            for &c in &movement.hide {
                hidden[c] = CellState::Secondary;
            }
            assert!(holds(&system, &movement, &primary_prior, &hidden));
            assert_eq!((solved, work > 0), (1, true));
        }
    }

    /// A commune's month in a province's monthly total over 500 communes, every other cell published: taking that
    /// relation whole would fill the neighbourhood with its published parts and leave out the commune's own
    /// quarter, through which the count can move; the neighbourhood takes the large relation's total and hidden
    /// parts only, and the movement is found, consistent, and moves the province's monthly total.
    #[test]
    fn a_count_in_a_relation_of_hundreds_moves_through_its_own_small_relations() {
        const COMMUNES: usize = 500;
        // Cells: months 1 and 2 of each commune (2c, 2c + 1), then each commune's quarter, then the province's two
        // months and its quarter.
        let month = |c: usize, m: usize| 2 * c + m;
        let quarter = |c: usize| 2 * COMMUNES + c;
        let (province_month, province_quarter) = (|m: usize| 3 * COMMUNES + m, 3 * COMMUNES + 2);
        let mut values = vec![0.0; 3 * COMMUNES + 3];
        for c in 0..COMMUNES {
            let (a, b) = (20.0 + (c % 7) as f64, 30.0 + (c % 5) as f64);
            values[month(c, 0)] = a;
            values[month(c, 1)] = b;
            values[quarter(c)] = a + b;
        }
        values[month(0, 0)] = 5.0;
        values[quarter(0)] = 5.0 + values[month(0, 1)];
        for m in 0..2 {
            values[province_month(m)] = (0..COMMUNES).map(|c| values[month(c, m)]).sum();
        }
        values[province_quarter] = values[province_month(0)] + values[province_month(1)];
        let mut relations: Vec<Relation> =
            (0..2).map(|m| Relation::new(province_month(m), (0..COMMUNES).map(|c| month(c, m)).collect())).collect();
        relations.extend((0..COMMUNES).map(|c| Relation::new(quarter(c), vec![month(c, 0), month(c, 1)])));
        relations.push(Relation::new(province_quarter, vec![province_month(0), province_month(1)]));
        let publication = Publication {
            cells: values.iter().map(|&value| Cell { value, sensitive: true }).collect(),
            relations,
            latent: 0,
        };
        let system = System::new(&publication);
        let mut states = vec![CellState::Published; values.len()];
        let small = month(0, 0);
        states[small] = CellState::Primary;
        let prior = |c: usize| if c == small { Range { low: 1.0, high: 10.0 } } else { Range::non_negative() };
        for delta in [3.0, -3.0] {
            let (mut solved, mut work) = (0, 0);
            let movement = cheapest(
                &system,
                (small, delta),
                (&states, &[]),
                &prior,
                &mut Marks::default(),
                (&mut solved, &mut work),
            )
            .expect("a movement through the commune's quarter");
            assert!(movement.hide.contains(&province_month(0)), "delta {delta}: {:?}", movement.hide);
            assert!(movement.hide.len() <= 3, "delta {delta}: {:?}", movement.hide);
            let mut hidden = states.clone();
            for &c in &movement.hide {
                hidden[c] = CellState::Secondary;
            }
            assert!(holds(&system, &movement, &prior, &hidden), "delta {delta}");
        }
    }

    /// A movement the prior does not allow (the small cell up by 7 from 4 is 11, above 10) is impossible, and a
    /// point that breaks a relation does not hold.
    #[test]
    fn a_movement_stays_inside_what_a_reader_knows() {
        let publication = two_way();
        let system = System::new(&publication);
        let mut states = vec![CellState::Published; 9];
        states[1] = CellState::Primary;
        let (mut solved, mut work) = (0, 0);
        let too_far = cheapest(
            &system,
            (1, 7.0),
            (&states, &[]),
            &primary_prior,
            &mut Marks::default(),
            (&mut solved, &mut work),
        );
        assert!(too_far.is_none());
        for c in [2, 4, 5] {
            states[c] = CellState::Secondary;
        }
        let rectangle = Movement { hide: vec![2, 4, 5], cells: vec![1, 2, 4, 5], values: vec![7.0, 15.0, 22.0, 18.0] };
        assert!(holds(&system, &rectangle, &primary_prior, &states), "every row and column still adds up");
        let broken = Movement { hide: vec![2, 4, 5], cells: vec![1, 2, 4, 5], values: vec![7.0, 15.0, 22.0, 19.0] };
        assert!(!holds(&system, &broken, &primary_prior, &states));
    }
}
