//! Sums of decimals read as the decimals they add up to: the values of a `number` element are written with a few
//! decimals (0.1, 0.2), but added as binary fractions their sum is 0.30000000000000004, which the exact decision
//! (`eval::exact`, read as "the decimal it was written as") took for a value above `<= 0.3` (round 43: "not met,
//! gap 0.000000000000"). A sum or difference of values written with at most `d` decimals has at most `d` decimals
//! itself, so the value an indicator is decided on is rounded to them ([`snap`]) before anything reads it.

use crate::eval::aggregate::{AggregationRule, Cube};
use crate::eval::store::ObservationStore;
use crate::expr::{BinaryOp, ElementRef, Expr};
use crate::model::{Catalogue, TimeAggregation, ValueType};

/// The most decimals a scale may have: beyond them a value is read as it stands (no `f64` holds more exactly).
const MAX_SCALE: u8 = 15;

/// The decimals of `value`'s shortest round-trip form (0 for a whole number), at most [`MAX_SCALE`] + 1.
fn decimals_of(value: f64) -> u8 {
    if value.fract() == 0.0 || !value.is_finite() {
        return 0;
    }
    let text = format!("{value}");
    text.split_once('.').map_or(0, |(_, fraction)| fraction.len().min(usize::from(MAX_SCALE) + 1) as u8)
}

/// Per reference: the most decimals any value of its element was written with, when a sum of its values keeps
/// them (summed, latest or not combined over time; an average divides, so `None`). Count and yes/no elements are
/// whole numbers (the loader refuses anything else), so they are 0 without reading their values.
pub(crate) fn ref_scales(
    catalogue: &Catalogue,
    store: &ObservationStore,
    ref_elements: &[Option<u32>],
    (refs, rules): (&[ElementRef], &[AggregationRule]),
) -> Vec<Option<u8>> {
    let whole = |element: &str| {
        catalogue
            .data_elements
            .get(element)
            .is_some_and(|de| matches!(de.value_type, ValueType::Count | ValueType::Boolean))
    };
    let mut scanned: Vec<Option<u8>> = vec![None; store.elements.len()];
    for (r, element) in refs.iter().zip(ref_elements) {
        if let Some(e) = element.filter(|_| !whole(&r.element)) {
            scanned[e as usize] = Some(0);
        }
    }
    if scanned.iter().any(Option::is_some) {
        for observation in &store.observations {
            if let Some(most) = &mut scanned[observation.element as usize] {
                *most = (*most).max(decimals_of(observation.value));
            }
        }
    }
    refs.iter()
        .zip(ref_elements)
        .zip(rules)
        .map(|((r, element), rule)| {
            if rule.time == TimeAggregation::Average {
                return None;
            }
            let scale = if whole(&r.element) { 0 } else { element.and_then(|e| scanned[e as usize]).unwrap_or(0) };
            (scale <= MAX_SCALE).then_some(scale)
        })
        .collect()
}

/// The decimals a value of `expr` has at most, from those of its references (`scale_of`): the most of its terms
/// for a sum or difference, their total for a product, `None` for a quotient or where a reference's is unknown.
pub(crate) fn expression_scale(expr: &Expr, scale_of: &impl Fn(&ElementRef) -> Option<u8>) -> Option<u8> {
    let scale = match expr {
        Expr::Number { value } => decimals_of(*value),
        Expr::Element(element) => scale_of(element)?,
        Expr::Negate { operand } => expression_scale(operand, scale_of)?,
        Expr::Binary { op, left, right } => {
            let (left, right) = (expression_scale(left, scale_of)?, expression_scale(right, scale_of)?);
            match op {
                BinaryOp::Add | BinaryOp::Subtract => left.max(right),
                BinaryOp::Multiply => left.saturating_add(right),
                BinaryOp::Divide => return None,
            }
        }
    };
    (scale <= MAX_SCALE).then_some(scale)
}

/// The decimals of a value of `expr` in `cube` ([`expression_scale`] of its references' scales).
pub(crate) fn scale_in(cube: &Cube, expr: &Expr) -> Option<u8> {
    expression_scale(expr, &|element: &ElementRef| cube.ref_index(element).and_then(|index| cube.scales[index]))
}

/// `later - earlier` as the decimal difference of the decimals the two values read as (0.3 - 0.4 is -0.1, not
/// -0.10000000000000003); the plain difference where either uses all the digits an `f64` keeps (a quotient such
/// as 94.52795610547128), whose last digits are no decimals anyone wrote.
pub(crate) fn difference(later: f64, earlier: f64) -> f64 {
    let scale = decimals_of(later).max(decimals_of(earlier));
    let digits = later.abs().max(earlier.abs()) * 10f64.powi(i32::from(scale));
    snap(later - earlier, (scale <= MAX_SCALE && digits < 1e15).then_some(scale))
}

/// The significant digits a decimal keeps through an `f64` (which holds 15.95 of them): a sum is read as the decimal
/// of at most this many it stands for.
const SIGNIFICANT: i32 = 15;

/// `value` as the nearest `f64` to the decimal of `scale` decimals it stands for (0.30000000000000004 at one
/// decimal is 0.3), when it is that close to one: within a billionth of its size, which the rounding of a sum of
/// binary fractions never exceeds. Otherwise, or without a scale, `value` itself. The decimals are at most those
/// that leave [`SIGNIFICANT`] digits: 1000.1 + 0.2 = 1000.3000000000001 of an element with a value written
/// 0.3333333333333 (13 decimals) is 1000.3 at 11 decimals, where 13 would need 17 digits, which no `f64` holds, and
/// left the sum as it stood (round 44).
pub(crate) fn snap(value: f64, scale: Option<u8>) -> f64 {
    let Some(scale) = scale else { return value };
    if !value.is_finite() {
        return value;
    }
    let whole_digits = if value.abs() >= 1.0 { value.abs().log10().floor() as i32 + 1 } else { 0 };
    let scale = i32::from(scale).min(SIGNIFICANT - whole_digits);
    if scale < 0 {
        return value;
    }
    let factor = 10f64.powi(scale);
    let scaled = value * factor;
    if scaled.abs() >= 2f64.powi(53) {
        return value;
    }
    let snapped = scaled.round() / factor;
    if (snapped - value).abs() <= 1e-9 * value.abs().max(1.0) { snapped } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_of_decimals_is_the_decimal_it_adds_up_to() {
        let cases = [
            (0.1 + 0.2, Some(1), 0.3),
            (0.1 + 0.2 + 0.3 - 0.6, Some(1), 0.0),
            (1.05 + 2.1, Some(2), 3.15),
            (10.0, Some(0), 10.0),
            // Not close to a decimal of the scale: a value the scale does not describe stays as it is.
            (0.123, Some(1), 0.123),
            (0.1 + 0.2, None, 0.1 + 0.2),
            // Beside a value written with 13 decimals, a sum of 1000.1 and 0.2 is 1000.3: at most 15 significant
            // digits, 11 decimals here.
            (1000.1 + 0.2, Some(13), 1000.3),
            (0.1 + 0.2, Some(13), 0.3),
            (1_000_000_000_000.1 + 0.2, Some(13), 1_000_000_000_000.3),
            // Past 15 whole digits nothing is rounded.
            (1e16 + 2.0, Some(1), 1e16 + 2.0),
        ];
        for (value, scale, expected) in cases {
            assert_eq!(snap(value, scale), expected, "{value} at {scale:?}");
        }
        assert_eq!(format!("{}", snap(0.1 + 0.2, Some(1))), "0.3");
        // A change between two decimals is their decimal difference; a ratio's digits are left as they are.
        assert_eq!(difference(0.3, 0.4), -0.1);
        assert_eq!(difference(10.0, 7.5), 2.5);
        assert_eq!(difference(2.0 / 3.0, 0.5), 2.0 / 3.0 - 0.5);
    }

    #[test]
    fn an_expression_keeps_the_decimals_of_its_terms_except_through_a_quotient() {
        let scale_of = |r: &ElementRef| match r.element.as_str() {
            "a" => Some(1),
            "b" => Some(2),
            _ => None,
        };
        let cases = [("a + b", Some(2)), ("a - 0.125", Some(3)), ("a * b", Some(3)), ("a / b", None), ("a + c", None)];
        for (text, expected) in cases {
            let expr = Expr::parse(text).unwrap();
            assert_eq!(expression_scale(&expr, &scale_of), expected, "{text}");
        }
    }
}
