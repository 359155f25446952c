//! Counts that an indicator publishes as a difference of sensitive counts (`victims - supported`: the victims not
//! supported), or gives away beside one of its terms (a quotient's denominator less its numerator, a plugin metric
//! of two sensitive inputs), and the bounds a validation rule or a share's natural limit puts on a sensitive count
//! (`victims <= verified`, `victims = domestic + abroad`). A small difference is itself a small count of victims,
//! though no cell of the audit holds it. Each becomes a cell no output shows with the relation "victims =
//! supported + the difference", protected when small, so that the audit hides one of the counts it is made of, and with it the
//! indicator's value (round 44: 40 - 37 = 3 was published as it stood; round 45: with a known term, scaled, as a
//! ratio or rate, or by a plugin; round 48: a published count that is not sensitive bounding a hidden one).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::disclosure::{Cell, Relation};
use crate::eval::aggregate::Cube;
use crate::expr::{BinaryOp, ElementRef, Expr};
use crate::model::{Catalogue, Formula};

use super::relations::Cover;

/// The terms of a published difference, each with its sign (1 added, -1 subtracted).
pub(super) type Terms = Vec<(ElementRef, f64)>;

/// What a reader knows of a difference besides its published terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Known {
    /// Its sign, from the indicators that publish it (the audit takes the sign of its value, whichever way a reader
    /// learns it). Only its sensitive terms enter the audit: the others are known numbers.
    Sign,
    /// Never negative: a validation rule orders its terms (`supported <= victims`), or a share's natural limit does
    /// (`victims / verified` at most 100 %). A term that is not sensitive enters the audit too, as a figure that
    /// bounds the sensitive ones (a published 2 verified bounds the victims among them to 0-2; round 48).
    Ordered,
    /// Positive: a strict rule (`victims < received`); as [`Known::Ordered`], and where the terms are whole numbers
    /// the rest is at least 1 (4 received published leave 1-3 victims, not 1-4).
    Strict,
    /// Zero, where the data keep the validation rule that equates its terms (`victims = domestic + abroad`).
    Zero,
}

/// A difference of element references a reader can work out, and what they know of it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Difference {
    pub(super) terms: Terms,
    pub(super) known: Known,
    /// For [`Known::Ordered`], the sign the rule or the limit gives the sum of `terms` (1: never negative, -1: never
    /// positive), which decides the relation's sides where the sum is 0 (2 victims beside 2 received under `victims
    /// <= received` are "received = victims + the rest", not the other way round); 1 otherwise.
    pub(super) direction: i8,
    /// The number added to the sum of `terms` by a rule (`victims <= received - 5`: received - victims - 5, never
    /// negative); 0 for the differences of indicators, whose numbers are cleared.
    pub(super) constant: f64,
}

/// A relation a difference adds to the audit, and the cell of the difference itself that no output shows (none
/// for a difference known to be zero: the relation holds without it).
pub(super) struct KnownDifference {
    pub(super) relation: Relation,
    pub(super) rest: Option<Cell>,
    /// For a strict rule, the weight of the number 1 among the relation's parts (the rest then counts from 1): a
    /// published constant of the publication ([`Known::Strict`]).
    pub(super) one: Option<f64>,
}

/// The positions of an expression's references among the audited ones with their coefficients (1 added, -1
/// subtracted, or a rule's own: `2 * victims <= received`).
type SignedCells = Vec<(usize, f64)>;

/// The differences already taken, by terms ([`key`]), unit and period.
type Seen = BTreeSet<(Vec<(usize, u64)>, usize, usize)>;

/// A [`SignedCells`] as a key that orders: each coefficient by its bits.
fn key(terms: &SignedCells) -> Vec<(usize, u64)> {
    terms.iter().map(|&(position, coefficient)| (position, coefficient.to_bits())).collect()
}

/// `expr` as a linear form: the coefficient of each element reference (offsets cleared, like terms added up, zeros
/// dropped); a number, and a product or quotient by a number, is folded in (`(victims - supported) / 2`,
/// `2 * victims - supported`). `None` for a product or quotient of references, which is no linear form.
fn linear(expr: &Expr) -> Option<Vec<(ElementRef, f64)>> {
    linear_with_constant(expr).map(|(terms, _)| terms)
}

/// [`linear`], and the sum of the numbers added (`received - 5`: -5).
fn linear_with_constant(expr: &Expr) -> Option<(Vec<(ElementRef, f64)>, f64)> {
    fn walk(expr: &Expr, scale: f64, out: &mut (Vec<(ElementRef, f64)>, f64)) -> Option<()> {
        let constant = |e: &Expr| if e.elements().is_empty() { e.evaluate(&mut |_| None) } else { None };
        match expr {
            Expr::Number { .. } => out.1 += scale * constant(expr)?,
            Expr::Element(element) => {
                let element = ElementRef { offset: 0, ..element.clone() };
                match out.0.iter_mut().find(|(known, _)| *known == element) {
                    Some((_, coefficient)) => *coefficient += scale,
                    None => out.0.push((element, scale)),
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
    let mut out = (Vec::new(), 0.0);
    walk(expr, 1.0, &mut out)?;
    out.0.retain(|(_, coefficient)| coefficient.abs() > 1e-12);
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
/// written `supported * 100 / victims`), [`Known::Ordered`] where the indicator's natural limit is at most its
/// factor (a share of at most 100 %); and, for a plugin metric, which may compute anything from the inputs it reads
/// (`plugin_reads`, per indicator: [`crate::eval::plugin_reads`]), the difference of every two of them; and the
/// difference of the two sides of every validation rule that orders them (`<`, `<=`, `>`, `>=`: [`Known::Ordered`])
/// or equates them with unit coefficients (`==`: [`Known::Zero`]).
pub(super) fn differences(catalogue: &Catalogue, plugin_reads: &BTreeMap<String, Vec<String>>) -> Vec<Difference> {
    let mut out: Vec<Difference> = Vec::new();
    // `direction`: the sign of the sum of `terms` and `constant` a rule or a limit gives (1: never negative).
    let mut add = |(terms, constant): (Vec<(ElementRef, f64)>, f64), known: Known, direction: i8| {
        // One form per difference, whichever way it was written (`a - b` from a quotient, `b - a` from a pair): the
        // terms in order, the first added, so that one difference is one cell of the audit, not two; what a reader
        // knows of it is the most any of its sources tells. A rule keeps its coefficients (`2 * victims <=
        // received` bounds the victims by half the received), scaled so that the first is 1.
        let mut signs: Vec<(ElementRef, f64)> = match known {
            Known::Sign => terms.into_iter().map(|(r, c)| (r, c.signum())).collect(),
            Known::Ordered | Known::Strict | Known::Zero => terms,
        };
        signs.sort_by(|a, b| a.0.cmp(&b.0));
        let (mut direction, mut constant) = (direction, if known == Known::Sign { 0.0 } else { constant });
        if let Some(&(_, first)) = signs.first() {
            signs.iter_mut().for_each(|(_, c)| *c /= first.abs());
            constant /= first.abs();
            if first < 0.0 {
                signs.iter_mut().for_each(|(_, c)| *c = -*c);
                (direction, constant) = (-direction, -constant);
            }
        }
        if !(signs.iter().any(|(_, sign)| *sign < 0.0) && signs.iter().any(|(_, sign)| *sign > 0.0)) {
            return;
        }
        match out.iter_mut().find(|d| d.terms == signs && d.constant == constant) {
            Some(found) if known > found.known => (found.known, found.direction) = (known, direction),
            Some(_) => {}
            None => out.push(Difference { terms: signs, known, direction, constant }),
        }
    };
    for indicator in catalogue.indicators.values() {
        match &indicator.formula {
            Formula::Expression { numerator, denominator } => {
                let limited = indicator.limit.is_some_and(|limit| limit <= indicator.measure.factor());
                let quotient_known = if limited { Known::Ordered } else { Known::Sign };
                for expr in std::iter::once(numerator).chain(denominator) {
                    match quotient(expr) {
                        Some((top, bottom)) => {
                            quotient_terms(top, bottom).into_iter().for_each(|t| add((t, 0.0), quotient_known, 1));
                        }
                        None => linear(expr).into_iter().for_each(|t| add((t, 0.0), Known::Sign, 1)),
                    }
                }
                if let Some(denominator) = denominator {
                    quotient_terms(numerator, denominator).into_iter().for_each(|t| add((t, 0.0), quotient_known, 1));
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
                    pairs(&references).into_iter().for_each(|t| add((t, 0.0), Known::Sign, 1));
                }
            }
            Formula::Plugin(_) => {
                let inputs = plugin_reads.get(&indicator.id).map(Vec::as_slice).unwrap_or_default();
                let references: Vec<ElementRef> = inputs
                    .iter()
                    .map(|element| ElementRef { element: element.clone(), filter: BTreeMap::new(), offset: 0 })
                    .collect();
                pairs(&references).into_iter().for_each(|t| add((t, 0.0), Known::Sign, 1));
            }
            Formula::Reported => {}
        }
    }
    // A validation rule that orders two counts (`supported <= victims`) says one is among the other, so their
    // difference counts persons too (the victims not supported), which a reader gets from the two published counts
    // whether or not an indicator divides one by the other (round 46, found by a review helper: 40 victims and 37
    // supported, both published, gave 3 not supported, while a share supported / victims would have hidden them).
    // One that equates them gives either side from the other.
    for rule in catalogue.validation_rules.values() {
        use crate::model::RuleOperator as Op;
        let (Some((left, left_number)), Some((right, right_number))) =
            (linear_with_constant(&rule.left), linear_with_constant(&rule.right))
        else {
            continue;
        };
        let terms: Terms = left.into_iter().chain(right.into_iter().map(|(r, c)| (r, -c))).collect();
        let terms = (terms, left_number - right_number);
        match rule.operator {
            // Left less right: never positive under `<` and `<=`, never negative under `>` and `>=`.
            Op::LessThanOrEqualTo => add(terms, Known::Ordered, -1),
            Op::GreaterThanOrEqualTo => add(terms, Known::Ordered, 1),
            Op::LessThan => add(terms, Known::Strict, -1),
            Op::GreaterThan => add(terms, Known::Strict, 1),
            Op::EqualTo => add(terms, Known::Zero, 1),
            _ => {}
        }
    }
    out
}

/// The references the audit holds cells of, in the cube's order: the sensitive ones, and every other that a
/// validation rule or a share's limit relates to one of them ([`Known::Ordered`], [`Known::Zero`]), step by step
/// (`victims <= received <= denunciations`), whose published value bounds or gives a hidden count (a published 2
/// verified beside a rule `victims <= verified`: the victims are 0-2; round 48, found by a review helper). Those are
/// never small themselves ([`Cell::sensitive`] false), but the audit may hide them to protect a count they bound.
pub(super) fn audited_refs(catalogue: &Catalogue, cube: &Cube, differences: &[Difference]) -> Vec<usize> {
    let mut refs: BTreeSet<usize> =
        (0..cube.refs().len()).filter(|&r| super::is_sensitive(catalogue, &cube.refs()[r].element)).collect();
    let bounds: Vec<Vec<usize>> = differences
        .iter()
        .filter(|d| d.known != Known::Sign)
        .map(|d| d.terms.iter().filter_map(|(r, _)| cube.ref_index(r)).collect())
        .collect();
    super::related::close_over(&mut refs, &bounds);
    refs.into_iter().collect()
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
/// A difference a rule or a limit orders or equates is also taken whole, with its terms that are not sensitive
/// (cells of the audit too: [`audited_refs`]): "verified = victims + the rest", the rest a cell that is no count of
/// victims and never negative, bounds the victims by the verified; "victims = domestic + abroad", where the data
/// keep the rule, needs no rest.
///
/// [`Rules::prior`]: crate::disclosure::Rules::prior
pub(super) fn known_differences(
    catalogue: &Catalogue,
    differences: &[Difference],
    cube: &Cube,
    ref_position: &HashMap<usize, usize>,
    cover: &Cover<'_>,
) -> Vec<KnownDifference> {
    let mut seen = Seen::new();
    let mut found = Vec::new();
    for difference in differences {
        let mut sensitive: SignedCells = Vec::new();
        let mut whole: SignedCells = Vec::new();
        for (r, sign) in &difference.terms {
            let Some(&position) = cube.ref_index(r).and_then(|r| ref_position.get(&r)) else { continue };
            let term = (position, *sign);
            whole.push(term);
            if super::is_sensitive(catalogue, &r.element) {
                sensitive.push(term);
            }
        }
        // One sensitive term is that count's own cell, already in the audit.
        if sensitive.len() >= 2 && difference.known != Known::Zero {
            found.extend(at_each_cell((&sensitive, difference.direction, false, 0.0), true, cover, &mut seen));
        }
        // Taken whole where that tells more: with terms that are not sensitive, or as an equation.
        let tells_more = match difference.known {
            Known::Sign => false,
            Known::Ordered | Known::Strict => whole.len() > sensitive.len(),
            Known::Zero => true,
        };
        if tells_more && whole.len() == difference.terms.len() {
            let strict = difference.known == Known::Strict;
            let shape = (&whole, difference.direction, strict, difference.constant);
            found.extend(at_each_cell(shape, false, cover, &mut seen).filter_map(|mut known| {
                if difference.known == Known::Zero {
                    // Where the data break the rule a reader learns nothing from it.
                    (known.rest.take()?.value == 0.0).then_some(known)
                } else {
                    Some(known)
                }
            }));
        }
    }
    found
}

/// The relation of the difference `terms` (audit positions, with coefficients) at every unit and period where each
/// term has a cell: the terms of the larger side = those of the smaller + the rest, a cell of the rest's size
/// (`sensitive` as given); where the two sides are equal, the side `direction` says is larger
/// ([`Difference::direction`]). Coefficients other than 1 weigh the smaller side's terms by their ratio to the
/// larger side's first term (`received = 2 x victims + the rest`), the larger side's other terms weighed the same way
/// ([`Relation::more_weights`]: `received + referred = 10 x victims + the rest` of `victims <= 0.1 x received +
/// 0.1 x referred`; round 70, found by an adversarial tester: the signs alone gave the audit's reader 30 where the
/// rule gives 3). `strict`: the rest counts
/// from 1 where the rule holds and the terms' values are whole numbers; a rule's `constant` on the smaller side is a
/// part too (`received = victims + 5 + the rest`), both as the number 1 weighed ([`KnownDifference::one`]); on the
/// larger side it is left out, as before (a reader then knows less than the rule). Each (terms, unit, period) once,
/// by `seen`.
fn at_each_cell<'a>(
    (terms, direction, strict, constant): (&'a SignedCells, i8, bool, f64),
    sensitive: bool,
    cover: &'a Cover<'_>,
    seen: &'a mut Seen,
) -> impl Iterator<Item = KnownDifference> + 'a {
    let index = cover.index();
    (0..index.units).flat_map(move |unit| (0..index.periods).map(move |period| (unit, period))).filter_map(
        move |(unit, period)| {
            let cells = terms
                .iter()
                .map(|&(ri, sign)| Some((index.get(ri, unit, period)?, sign)))
                .collect::<Option<Vec<_>>>()?;
            if !seen.insert((key(terms), unit, period)) {
                return None;
            }
            let weighed = |cells: &[(usize, f64)]| cells.iter().map(|&(c, k)| k * cover.value(c)).sum::<f64>();
            // `supported - victims` of -3 is 3 victims not supported as much as `victims - supported` of 3.
            let side_of = |value: f64| {
                if value < 0.0 {
                    -1.0
                } else if value > 0.0 {
                    1.0
                } else {
                    f64::from(direction)
                }
            };
            // The rule's number, where it is on the smaller side (`received - victims - 5`).
            let smaller_number = -constant * side_of(weighed(&cells) + constant);
            let constant = if smaller_number > 0.0 { constant } else { 0.0 };
            let side = side_of(weighed(&cells) + constant);
            // A strict rule that holds, over whole numbers: its rest is at least 1 (in the larger term's units).
            let whole_numbers = cells.iter().all(|&(c, k)| cover.value(c).fract() == 0.0 && k.fract() == 0.0);
            // (Data that break the rule, at equality, give no such bound.)
            let holds = side == f64::from(direction) && (weighed(&cells) + constant).abs() >= 1.0;
            let from_one = strict && holds && whole_numbers && constant.fract() == 0.0;
            // The rest of `received - victims - 5` less the 1 of a strict rule; the number 1 weighs both.
            let floor = if from_one { 1.0 } else { 0.0 };
            let ones = constant.abs() + floor;
            let larger: Vec<(usize, f64)> = cells.iter().copied().filter(|(_, k)| k * side > 0.0).collect();
            let unit_coefficients = cells.iter().all(|(_, k)| (k.abs() - 1.0).abs() < 1e-12);
            if let (Some(&(total, total_k)), false) = (larger.first(), unit_coefficients) {
                let smaller: Vec<(usize, f64)> =
                    cells.iter().filter(|(_, k)| k * side < 0.0).map(|&(c, k)| (c, (k / total_k).abs())).collect();
                if smaller.is_empty() {
                    return None;
                }
                let value = ((weighed(&cells) + constant).abs() - floor) / total_k.abs();
                let one = (ones > 0.0).then(|| ones / total_k.abs());
                let mut relation = Relation::weighted(total, smaller);
                // The larger side's other terms with their coefficients, by the first's: `0.1 x received + 0.1 x
                // referred` bounds the victims at 3 where the signs alone gave 30 (round 70).
                relation.more_totals = larger[1..].iter().map(|&(c, _)| c).collect();
                relation.more_weights = larger[1..].iter().map(|&(_, k)| (k / total_k).abs()).collect();
                return Some(KnownDifference { relation, rest: Some(Cell { value, sensitive }), one });
            }
            let signs: Vec<(usize, f64)> = cells.iter().map(|&(c, k)| (c, k.signum())).collect();
            let constant = if unit_coefficients { constant } else { 0.0 };
            let value = weighed(&signs) + constant;
            let side = side_of(value);
            let (plus, minus): (Vec<_>, Vec<_>) = signs.iter().partition(|(_, k)| k * side > 0.0);
            // Terms all on one side are a sum, not a difference: each is its own cell.
            let (&(total, _), more) = plus.split_first()?;
            if minus.is_empty() {
                return None;
            }
            let mut relation = Relation::new(total, minus.iter().map(|&(c, _)| c).collect());
            relation.more_totals = more.iter().map(|&(c, _)| c).collect();
            let one = (unit_coefficients && ones > 0.0).then_some(ones);
            let value = value.abs() - if one.is_some() { floor } else { 0.0 };
            Some(KnownDifference { relation, rest: Some(Cell { value, sensitive }), one })
        },
    )
}
