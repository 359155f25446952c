//! Counts that an indicator publishes as a difference of sensitive counts (`victims - supported`: the victims not
//! supported; or a percentage's denominator less its numerator): a small one is itself a small count of victims, though no cell of the audit holds it. Each becomes a
//! cell no output shows with the relation "victims = supported + the difference", protected when small, so that the
//! audit hides one of the counts it is made of, and with it the indicator's value (round 44, found by a review
//! helper: 40 - 37 = 3 was published as it stood, verdict "protected").

use std::collections::{BTreeSet, HashMap};

use crate::disclosure::Relation;
use crate::eval::aggregate::Cube;
use crate::expr::{BinaryOp, ElementRef, Expr};
use crate::model::{Catalogue, Formula, Measure};

use super::relations::Cover;

/// The positions of an expression's sensitive references with their signs (1 added, -1 subtracted).
type SignedCells = Vec<(usize, i8)>;

/// The terms of `expr` when it is a sum and difference of element references and numbers (`a + b - c - 5`), each
/// reference with its sign; a number is left out, as a reader knows it. `None` for anything else (a product, a
/// quotient), which this audit does not read.
fn signed_terms(expr: &Expr, sign: f64, out: &mut Vec<(ElementRef, f64)>) -> Option<()> {
    match expr {
        Expr::Element(element) => out.push((element.clone(), sign)),
        Expr::Number { .. } => {}
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

/// The differences the indicators publish, as signed terms: a numerator or a denominator that subtracts a term, and
/// the denominator less the numerator of a percentage (the share of victims supported and the victims give the
/// victims not supported: 92.5 % of 40 is 37, so 3 are not).
fn differences(catalogue: &Catalogue) -> Vec<Vec<(ElementRef, f64)>> {
    let mut out = Vec::new();
    for indicator in catalogue.indicators.values() {
        let Formula::Expression { numerator, denominator } = &indicator.formula else { continue };
        for expr in std::iter::once(numerator).chain(denominator) {
            let mut terms = Vec::new();
            if signed_terms(expr, 1.0, &mut terms).is_some() && terms.iter().any(|(_, sign)| *sign < 0.0) {
                out.push(terms);
            }
        }
        if let (Measure::Percent, Some(denominator)) = (indicator.measure, denominator) {
            let mut terms = Vec::new();
            if signed_terms(denominator, 1.0, &mut terms).is_some()
                && signed_terms(numerator, -1.0, &mut terms).is_some()
            {
                out.push(terms);
            }
        }
    }
    out
}

/// Each small difference of sensitive counts that the indicators publish ([`differences`]; every sensitive term
/// with a cell at the unit and period): its size (above 0 and below `threshold`, whatever its sign), and the cells
/// on each side of "the larger terms = the smaller terms + the difference". The terms that are not sensitive, and
/// numbers, are left out: a reader may know them (`victims - supported - received` of -47 beside a published 50
/// received gives the 3 victims not supported; round 45).
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
    for terms in differences(catalogue) {
        let positions: SignedCells = terms
            .iter()
            .filter_map(|(r, sign)| Some((*ref_position.get(&cube.ref_index(r)?)?, if *sign > 0.0 { 1i8 } else { -1 })))
            .collect();
        // One sensitive term is that count's own cell, already in the audit.
        if positions.len() < 2 {
            continue;
        }
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
                // `supported - victims` of -3 is 3 victims not supported as much as `victims - supported` of 3.
                let side = if value < 0.0 { -1 } else { 1 };
                let small = value != 0.0 && value.abs() < threshold;
                if !small || !seen.insert((positions.clone(), unit, period)) {
                    continue;
                }
                let (plus, minus): (Vec<_>, Vec<_>) = cells.iter().partition(|(_, sign)| *sign == side);
                let value = value.abs();
                // Terms all on one side are each at most the small sum, so each is already a small count.
                let Some((&(total, _), more)) = plus.split_first() else { continue };
                if minus.is_empty() {
                    continue;
                }
                let mut relation = Relation::new(total, minus.iter().map(|&(c, _)| c).collect());
                relation.more_totals = more.iter().map(|&(c, _)| c).collect();
                found.push((value, relation));
            }
        }
    }
    found
}
