//! Counts that an indicator publishes as a difference of sensitive counts (`victims - supported`: the victims not
//! supported): a small one is itself a small count of victims, though no cell of the audit holds it. Each becomes a
//! cell no output shows with the relation "victims = supported + the difference", protected when small, so that the
//! audit hides one of the counts it is made of, and with it the indicator's value (round 44, found by a review
//! helper: 40 - 37 = 3 was published as it stood, verdict "protected").

use std::collections::{BTreeSet, HashMap};

use crate::disclosure::Relation;
use crate::eval::aggregate::Cube;
use crate::expr::{BinaryOp, ElementRef, Expr};
use crate::model::{Catalogue, Formula};

use super::relations::Cover;

/// The positions of an expression's sensitive references with their signs (1 added, -1 subtracted).
type SignedCells = Vec<(usize, i8)>;

/// The terms of `expr` when it is a sum and difference of element references (`a + b - c`), each with its sign;
/// `None` for anything else (a number, a product, a quotient), which this audit does not read.
fn signed_terms(expr: &Expr, sign: f64, out: &mut Vec<(ElementRef, f64)>) -> Option<()> {
    match expr {
        Expr::Element(element) => out.push((element.clone(), sign)),
        Expr::Negate { operand } => signed_terms(operand, -sign, out)?,
        Expr::Binary { op: BinaryOp::Add, left, right } => {
            signed_terms(left, sign, out)?;
            signed_terms(right, sign, out)?;
        }
        Expr::Binary { op: BinaryOp::Subtract, left, right } => {
            signed_terms(left, sign, out)?;
            signed_terms(right, -sign, out)?;
        }
        _ => return None,
    }
    Some(())
}

/// Each small difference of sensitive counts that an indicator's numerator or denominator publishes (some term
/// subtracted, every term a sensitive reference with a cell at the unit and period): its value (between 0 and
/// `threshold`, exclusive), and the cells on each side of "positive terms = negative terms + the difference".
pub(super) fn small_differences(
    catalogue: &Catalogue,
    cube: &Cube,
    ref_position: &HashMap<usize, usize>,
    cover: &Cover<'_>,
    threshold: f64,
) -> Vec<(f64, Relation)> {
    let index = cover.index();
    let mut seen: BTreeSet<(SignedCells, usize, usize)> = BTreeSet::new();
    let mut found = Vec::new();
    let expressions = catalogue.indicators.values().flat_map(|indicator| match &indicator.formula {
        Formula::Expression { numerator, denominator } => vec![Some(numerator), denominator.as_ref()],
        _ => Vec::new(),
    });
    for expr in expressions.flatten() {
        let mut terms = Vec::new();
        if signed_terms(expr, 1.0, &mut terms).is_none() || !terms.iter().any(|(_, sign)| *sign < 0.0) {
            continue;
        }
        let Some(positions) = terms
            .iter()
            .map(|(r, sign)| Some((*ref_position.get(&cube.ref_index(r)?)?, if *sign > 0.0 { 1i8 } else { -1 })))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        for unit in 0..index.units {
            for period in 0..index.periods {
                let Some(cells) = positions
                    .iter()
                    .map(|&(ri, sign)| Some((index.get(ri, unit, period)?, sign)))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                let value: f64 = cells.iter().map(|&(c, sign)| f64::from(sign) * cover.value(c)).sum();
                let small = value > 0.0 && value < threshold;
                if !small || !seen.insert((positions.clone(), unit, period)) {
                    continue;
                }
                let (plus, minus): (Vec<_>, Vec<_>) = cells.iter().partition(|(_, sign)| *sign > 0);
                let Some((&(total, _), more)) = plus.split_first() else { continue };
                let mut relation = Relation::new(total, minus.iter().map(|&(c, _)| c).collect());
                relation.more_totals = more.iter().map(|&(c, _)| c).collect();
                found.push((value, relation));
            }
        }
    }
    found
}
