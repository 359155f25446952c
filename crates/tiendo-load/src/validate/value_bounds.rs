//! The values an indicator can take, read from what it is, so that a target no value can meet (`> 100` for a
//! percentage, `< 0` for a count of victims) is refused by `tiendo check` (E038) rather than assessed: such a target
//! would be "on track" or "off track" toward a number that cannot happen.

use std::collections::BTreeMap;

use tiendo_core::expr::BinaryOp;
use tiendo_core::{Comparator, DataElement, Expr, Formula, Indicator, Measure, ValueType};

/// The lowest and highest value an indicator can take (either may be unknown), and why, for the message.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ValueBounds {
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Why, as the end of a sentence: "a percentage lies within 0-100".
    pub why: String,
}

/// The bounds of `indicator`: a percentage 0-100, a yes/no value 0 or 1, an ordinal within its scale; a count,
/// ratio or rate is never negative when it is a plugin metric (the host holds a plugin to that,
/// `tiendo_core::eval::measure_range`) or an expression that only adds, multiplies and divides elements that are
/// never negative (counts and yes/no values) and numbers that are not negative. `None` when nothing is known (a
/// difference of two counts may be negative; a qualitative indicator has no values to compare).
pub(super) fn value_bounds(indicator: &Indicator, elements: &BTreeMap<String, DataElement>) -> Option<ValueBounds> {
    let bounds = |low: f64, high: Option<f64>, why: String| Some(ValueBounds { low: Some(low), high, why });
    match indicator.measure {
        Measure::Percent => bounds(0.0, Some(100.0), "a percentage lies within 0-100".to_owned()),
        Measure::YesNo => bounds(0.0, Some(1.0), "a yes/no value is 0 or 1".to_owned()),
        Measure::Ordinal => {
            let levels = indicator.scale.iter().map(|level| level.value);
            let (low, high) = (levels.clone().reduce(f64::min)?, levels.reduce(f64::max)?);
            bounds(low, Some(high), format!("its scale runs from {low} to {high}"))
        }
        Measure::Count | Measure::Ratio | Measure::RatePer100k => {
            let never_negative = match &indicator.formula {
                Formula::Plugin(_) => true,
                Formula::Expression { numerator, denominator } => {
                    never_negative(numerator, elements)
                        && denominator.as_ref().is_none_or(|d| never_negative(d, elements))
                }
                Formula::Reported => false,
            };
            never_negative.then(|| ValueBounds {
                low: Some(0.0),
                high: None,
                why: "its value is never negative".to_owned(),
            })
        }
        Measure::Qualitative => None,
    }
}

/// Whether `expr` is never negative: sums, products and quotients of counts, yes/no values and numbers of at least 0.
fn never_negative(expr: &Expr, elements: &BTreeMap<String, DataElement>) -> bool {
    match expr {
        Expr::Number { value } => *value >= 0.0,
        Expr::Element(reference) => elements
            .get(&reference.element)
            .is_some_and(|e| matches!(e.value_type, ValueType::Count | ValueType::Boolean)),
        Expr::Negate { .. } => false,
        Expr::Binary { op: BinaryOp::Subtract, .. } => false,
        Expr::Binary { left, right, .. } => never_negative(left, elements) && never_negative(right, elements),
    }
}

impl ValueBounds {
    /// Whether `value` lies within the bounds.
    pub fn contains(&self, value: f64) -> bool {
        self.low.is_none_or(|low| value >= low) && self.high.is_none_or(|high| value <= high)
    }
}

/// Whether some value within `bounds` meets `comparator value`.
pub(super) fn attainable(bounds: &ValueBounds, comparator: Comparator, value: f64) -> bool {
    let above_low = |strict: bool| bounds.low.is_none_or(|low| if strict { value > low } else { value >= low });
    let below_high = |strict: bool| bounds.high.is_none_or(|high| if strict { value < high } else { value <= high });
    match comparator {
        // Some value above `value` exists when `value` is below the highest.
        Comparator::Greater => below_high(true),
        Comparator::GreaterOrEqual => below_high(false),
        Comparator::Equal => above_low(false) && below_high(false),
        Comparator::LessOrEqual => above_low(false),
        Comparator::Less => above_low(true),
    }
}

/// What the planner probably meant by an unattainable target: `>= 100` for `> 100`, `= 0` for `< 0`.
pub(super) fn meant(bounds: &ValueBounds, comparator: Comparator, value: f64) -> String {
    match comparator {
        Comparator::Greater if bounds.high == Some(value) => format!("did you mean `>= {value}`?"),
        Comparator::Less if bounds.low == Some(value) => format!("did you mean `= {value}`?"),
        _ => "a target must be reachable by some value of the indicator: check its comparator and value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (low, high, comparator, value, attainable): strict comparisons at a bound and values beyond it cannot be met.
    #[test]
    fn which_targets_some_value_can_meet() {
        use Comparator::*;
        let cases = [
            (Some(0.0), Some(100.0), Greater, 100.0, false),
            (Some(0.0), Some(100.0), GreaterOrEqual, 100.0, true),
            (Some(0.0), Some(100.0), Greater, 99.9, true),
            (Some(0.0), Some(100.0), Less, 0.0, false),
            (Some(0.0), Some(100.0), LessOrEqual, 0.0, true),
            (Some(0.0), Some(100.0), Equal, 100.0, true),
            (Some(0.0), None, Less, 0.0, false),
            (Some(0.0), None, LessOrEqual, -5.0, false),
            (Some(0.0), None, Equal, -1.0, false),
            (Some(0.0), None, Greater, 1e12, true),
            (Some(1.0), Some(3.0), GreaterOrEqual, 4.0, false),
            (Some(1.0), Some(3.0), LessOrEqual, 1.0, true),
            (Some(1.0), Some(3.0), Less, 1.0, false),
            (None, None, Less, -1e9, true),
        ];
        for (low, high, comparator, value, expected) in cases {
            let bounds = ValueBounds { low, high, why: String::new() };
            assert_eq!(attainable(&bounds, comparator, value), expected, "{low:?}..{high:?} {comparator:?} {value}");
        }
    }
}
