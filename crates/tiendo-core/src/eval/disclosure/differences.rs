//! Counts that an indicator publishes as a difference of sensitive counts (`victims - supported`: the victims not
//! supported), or gives away beside one of its terms (a quotient's denominator less its numerator, a plugin metric
//! of two sensitive inputs): a small one is itself a small count of victims, though no cell of the audit holds it.
//! Each becomes a cell no output shows with the relation "victims = supported + the difference", protected when
//! small, so that the audit hides one of the counts it is made of, and with it the indicator's value (round 44:
//! 40 - 37 = 3 was published as it stood; round 45: with a known term, scaled, as a ratio or rate, or by a plugin).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::disclosure::Relation;
use crate::eval::aggregate::Cube;
use crate::expr::{BinaryOp, ElementRef, Expr};
use crate::model::{Catalogue, Formula};

use super::relations::Cover;

/// The terms of a published difference, each with its sign (1 added, -1 subtracted).
pub(super) type Terms = Vec<(ElementRef, f64)>;

/// The positions of an expression's sensitive references with their signs (1 added, -1 subtracted).
type SignedCells = Vec<(usize, i8)>;

/// `expr` as a linear form: the coefficient of each element reference (offsets cleared, like terms added up, zeros
/// dropped); a number, and a product or quotient by a number, is folded in (`(victims - supported) / 2`,
/// `2 * victims - supported`). `None` for a product or quotient of references, which is no linear form.
fn linear(expr: &Expr) -> Option<Vec<(ElementRef, f64)>> {
    fn walk(expr: &Expr, scale: f64, out: &mut Vec<(ElementRef, f64)>) -> Option<()> {
        let constant = |e: &Expr| if e.elements().is_empty() { e.evaluate(&mut |_| None) } else { None };
        match expr {
            Expr::Number { .. } => {}
            Expr::Element(element) => {
                let element = ElementRef { offset: 0, ..element.clone() };
                match out.iter_mut().find(|(known, _)| *known == element) {
                    Some((_, coefficient)) => *coefficient += scale,
                    None => out.push((element, scale)),
                }
            }
            Expr::Negate { operand } => walk(operand, -scale, out)?,
            Expr::Binary { op: BinaryOp::Add, left, right } => {
                walk(left, scale, out)?;
                walk(right, scale, out)?;
            }
            Expr::Binary { op: BinaryOp::Subtract, left, right } => {
                walk(left, scale, out)?;
                walk(right, -scale, out)?;
            }
            Expr::Binary { op: BinaryOp::Multiply, left, right } => match (constant(left), constant(right)) {
                (Some(k), _) => walk(right, scale * k, out)?,
                (_, Some(k)) => walk(left, scale * k, out)?,
                _ => return None,
            },
            Expr::Binary { op: BinaryOp::Divide, left, right } => match constant(right) {
                Some(k) if k != 0.0 => walk(left, scale / k, out)?,
                _ => return None,
            },
        }
        Some(())
    }
    let mut out = Vec::new();
    walk(expr, 1.0, &mut out)?;
    out.retain(|(_, coefficient)| coefficient.abs() > 1e-12);
    Some(out)
}

/// The numerator and denominator of `expr` when it is a quotient of references, scaled or not
/// (`supported * 100 / victims`).
fn quotient(expr: &Expr) -> Option<(&Expr, &Expr)> {
    match expr {
        Expr::Binary { op: BinaryOp::Divide, left, right } if !right.elements().is_empty() => Some((left, right)),
        Expr::Binary { op: BinaryOp::Multiply, left, right } if left.elements().is_empty() => quotient(right),
        Expr::Binary { op: BinaryOp::Multiply, left, right } if right.elements().is_empty() => quotient(left),
        Expr::Negate { operand } => quotient(operand),
        _ => None,
    }
}

/// The terms of "the larger less the smaller" that a quotient and one of its parts give away: the denominator's
/// terms added, the numerator's subtracted (92.5 % of 40 victims supported: 3 not), whatever the measure (a
/// percentage, a ratio, a rate) and whichever way round (the reader takes the absolute value).
fn quotient_terms(numerator: &Expr, denominator: &Expr) -> Option<Vec<(ElementRef, f64)>> {
    let mut terms = linear(denominator)?;
    terms.extend(linear(numerator)?.into_iter().map(|(r, c)| (r, -c)));
    Some(terms)
}

/// "The first less the second" for every two of `references`.
fn pairs(references: &[ElementRef]) -> Vec<Terms> {
    let mut out = Vec::new();
    for (i, first) in references.iter().enumerate() {
        for second in &references[i + 1..] {
            out.push(vec![(first.clone(), 1.0), (second.clone(), -1.0)]);
        }
    }
    out
}

/// The differences the indicators publish, as the sign of each term (1 or -1): a numerator or a denominator with a
/// term subtracted; the denominator less the numerator of any quotient (a percentage, a ratio, a rate, or a count
/// written `supported * 100 / victims`); and, for a plugin metric, which may compute anything from the inputs it
/// reads (`plugin_reads`, per indicator: [`crate::eval::plugin_reads`]), the difference of every two of them; and
/// the difference of the two sides of every validation rule that orders them (`<`, `<=`, `>`, `>=`).
pub(super) fn differences(catalogue: &Catalogue, plugin_reads: &BTreeMap<String, Vec<String>>) -> Vec<Terms> {
    let mut out: Vec<Terms> = Vec::new();
    let mut add = |terms: Vec<(ElementRef, f64)>| {
        // One form per difference, whichever way it was written (`a - b` from a quotient, `b - a` from a pair): the
        // terms in order, the first added, so that one difference is one cell of the audit, not two.
        let mut signs: Vec<(ElementRef, f64)> = terms.into_iter().map(|(r, c)| (r, c.signum())).collect();
        signs.sort_by(|a, b| a.0.cmp(&b.0));
        if signs.first().is_some_and(|(_, sign)| *sign < 0.0) {
            signs.iter_mut().for_each(|(_, sign)| *sign = -*sign);
        }
        if signs.iter().any(|(_, sign)| *sign < 0.0)
            && signs.iter().any(|(_, sign)| *sign > 0.0)
            && !out.contains(&signs)
        {
            out.push(signs);
        }
    };
    for indicator in catalogue.indicators.values() {
        match &indicator.formula {
            Formula::Expression { numerator, denominator } => {
                for expr in std::iter::once(numerator).chain(denominator) {
                    match quotient(expr) {
                        Some((top, bottom)) => quotient_terms(top, bottom).into_iter().for_each(&mut add),
                        None => linear(expr).into_iter().for_each(&mut add),
                    }
                }
                if let Some(denominator) = denominator {
                    quotient_terms(numerator, denominator).into_iter().for_each(&mut add);
                }
                // Anything but a plain sum (a quotient, a subtraction, a product of references) may give the
                // difference of any two of its references away, as a plugin metric may: `victims * (1 - supported /
                // victims)` is the 3 not supported, `(victims - supported) * 100 / victims` their 7.5 % of 40 (round
                // 45, found by a review helper).
                let plain_sum =
                    denominator.is_none() && linear(numerator).is_some_and(|t| t.iter().all(|(_, c)| *c > 0.0));
                if !plain_sum {
                    let mut references: Vec<ElementRef> = Vec::new();
                    for expr in std::iter::once(numerator).chain(denominator) {
                        for r in expr.elements() {
                            let r = ElementRef { offset: 0, ..r.clone() };
                            if !references.contains(&r) {
                                references.push(r);
                            }
                        }
                    }
                    pairs(&references).into_iter().for_each(&mut add);
                }
            }
            Formula::Plugin(_) => {
                let inputs = plugin_reads.get(&indicator.id).map(Vec::as_slice).unwrap_or_default();
                let references: Vec<ElementRef> = inputs
                    .iter()
                    .map(|element| ElementRef { element: element.clone(), filter: BTreeMap::new(), offset: 0 })
                    .collect();
                pairs(&references).into_iter().for_each(&mut add);
            }
            Formula::Reported => {}
        }
    }
    // A validation rule that orders two counts (`supported <= victims`) says one is among the other, so their
    // difference counts persons too (the victims not supported), which a reader gets from the two published counts
    // whether or not an indicator divides one by the other (round 46, found by a review helper: 40 victims and 37
    // supported, both published, gave 3 not supported, while a share supported / victims would have hidden them).
    for rule in catalogue.validation_rules.values() {
        use crate::model::RuleOperator as Op;
        let ordered =
            matches!(rule.operator, Op::LessThan | Op::LessThanOrEqualTo | Op::GreaterThan | Op::GreaterThanOrEqualTo);
        if let (true, Some(left), Some(right)) = (ordered, linear(&rule.left), linear(&rule.right)) {
            add(left.into_iter().chain(right.into_iter().map(|(r, c)| (r, -c))).collect());
        }
    }
    out
}

/// Each difference of sensitive counts that the indicators publish ([`differences`]; every sensitive term with a
/// cell at the unit and period): its size (whatever its sign), and the cells on each side of "the larger terms = the
/// smaller terms + the difference". A small one is itself a small count of victims the audit protects; any other is
/// one a reader who knows which counts are small knows is 0 or at least the threshold ([`Rules::prior`]): 12 victims
/// at A and a hidden supported of 1, with only the supported of A and B hidden, gave A's 11 not supported and so its
/// 1 (round 47, found by a review helper). The terms that are not sensitive, and numbers, are left out: a reader may
/// know them (`victims - supported - received` of -47 beside a published 50 received gives the 3 victims not
/// supported; round 45).
///
/// [`Rules::prior`]: crate::disclosure::Rules::prior
pub(super) fn known_differences(
    differences: &[Terms],
    cube: &Cube,
    ref_position: &HashMap<usize, usize>,
    cover: &Cover<'_>,
) -> Vec<(f64, Relation)> {
    let index = cover.index();
    let mut seen: BTreeSet<(SignedCells, usize, usize)> = BTreeSet::new();
    let mut found = Vec::new();
    for terms in differences {
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
                if !seen.insert((positions.clone(), unit, period)) {
                    continue;
                }
                let (plus, minus): (Vec<_>, Vec<_>) = cells.iter().partition(|(_, sign)| *sign == side);
                let value = value.abs();
                // Terms all on one side are a sum, not a difference: each is its own cell.
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
