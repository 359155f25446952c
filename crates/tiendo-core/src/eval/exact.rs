//! The number shown is the number decided: whether a value meets a target is decided exactly, on the numerator and
//! denominator as rationals (29 / 50 x 100 is 58 and meets `>= 58`), and every output is told how many decimals it
//! needs so that the value it shows stands on the same side of the target as the value decided (99.96, not 100.0,
//! beside `= 100` not met).
//!
//! Numbers arrive as `f64`. Each is read as the decimal it was written as (the shortest decimal that round-trips,
//! so a target typed `58.3` is 583/10, not the binary number nearest to it), then computed with big rationals, which
//! neither round nor overflow.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::model::Comparator;

/// How far apart two figures of magnitude `scale` may be and still be one figure: the floating-point rounding of a
/// sum of decimals (0.1 + 0.2 against 0.3; about 10^-16 of the sum per term), 10^-12 of the larger magnitude, at
/// least 10^-12 and at most 10^-3, so that whole numbers one apart always differ (sums of whole numbers below 2^53
/// are exact). Every comparison of a sum with a report of the same thing (a period's parts, a unit's units below, a
/// breakdown's options) and every validation rule uses it: it was 10^-9 of the larger, within which a budget of
/// 5,000,000,000,000 VND against 4,999,999,999,000 was one figure (round 69, an adversarial tester), and then 10^-12,
/// within which 4,999,999,999,996 was (a verifier of that round).
pub fn rounding_tolerance(scale: f64) -> f64 {
    (1e-12 * scale.abs().max(1.0)).min(1e-3)
}

/// The most decimals any output is asked to show; see [`decimals_to_show`].
pub const MAX_DECIMALS: u8 = 12;

/// An exact rational number.
pub type Exact = BigRational;

/// The decimal a finite `f64` was written as (its shortest round-trip form), exactly; `None` for NaN or infinity.
pub fn decimal(value: f64) -> Option<Exact> {
    if !value.is_finite() {
        return None;
    }
    // `Display` for f64 never uses an exponent and gives the shortest digits that read back as the same number.
    parse_decimal(&format!("{value}"))
}

/// A plain decimal such as `-12.50` as an exact rational.
fn parse_decimal(text: &str) -> Option<Exact> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mantissa: BigInt = format!("{integer}{fraction}").parse().ok()?;
    let scale = BigInt::from(10u8).pow(u32::try_from(fraction.len()).ok()?);
    let value = BigRational::new(mantissa, scale);
    Some(if negative { -value } else { value })
}

/// The exact value of `numerator / denominator x factor`, or of `value` when the point has no denominator; `None`
/// when any part is not a finite number or the denominator is zero.
pub fn value_of(value: f64, numerator: Option<f64>, denominator: Option<f64>, factor: f64) -> Option<Exact> {
    match (numerator, denominator) {
        (Some(top), Some(bottom)) => {
            let bottom = decimal(bottom)?;
            if bottom.is_zero() {
                return None;
            }
            Some(decimal(top)? * decimal(factor)? / bottom)
        }
        _ => decimal(value),
    }
}

/// The nearest `f64` to an exact value.
pub fn to_f64(value: &Exact) -> f64 {
    value.to_f64().unwrap_or(f64::NAN)
}

/// Whether `value comparator target` holds, exactly (`>` is strict, `=` is equality with no tolerance).
pub fn holds(comparator: Comparator, value: &Exact, target: &Exact) -> bool {
    holds_in_order(comparator, value.cmp(target))
}

/// Whether `comparator` holds for a value that compares with its target as `order` (value against target).
pub fn holds_in_order(comparator: Comparator, order: Ordering) -> bool {
    match comparator {
        Comparator::Greater => order == Ordering::Greater,
        Comparator::GreaterOrEqual => order != Ordering::Less,
        Comparator::Equal => order == Ordering::Equal,
        Comparator::LessOrEqual => order != Ordering::Greater,
        Comparator::Less => order == Ordering::Less,
    }
}

/// Whether a target's percentage (latest / target x 100) means something: a positive target reached from below
/// (`>`, `>=`) or hit exactly (`=`). For a zero or negative target, and for "less is better" targets (`<`, `<=`),
/// where a percentage of target reads backwards or divides by zero, [`progress_from_baseline`] is given instead.
pub fn percent_applies(comparator: Comparator, target: &Exact) -> bool {
    target > &Exact::zero() && !matches!(comparator, Comparator::Less | Comparator::LessOrEqual)
}

/// Percent of target, exactly: latest / target x 100 for `>` and `>=`; for `=`, where overshooting is no better
/// than falling short, 100 - |latest - target| / target x 100, at least 0. `None` where [`percent_applies`] is
/// false.
pub fn percent_of_target(comparator: Comparator, latest: &Exact, target: &Exact) -> Option<Exact> {
    if !percent_applies(comparator, target) {
        return None;
    }
    let hundred = Exact::from_integer(BigInt::from(100));
    Some(match comparator {
        Comparator::Equal => {
            let off = (latest - target).abs() / target * &hundred;
            (&hundred - off).max(Exact::zero())
        }
        _ => latest / target * hundred,
    })
}

/// Progress from the baseline toward the target, exactly: (latest - base) / (target - base) x 100, so that 0 is the
/// baseline and 100 the target, whichever way the target lies. `None` without a baseline, when the baseline
/// equals the target, or when the baseline already met the target (there is no way left to go: the status says
/// whether it was kept).
pub fn progress_from_baseline(comparator: Comparator, latest: &Exact, base: &Exact, target: &Exact) -> Option<Exact> {
    if base == target || holds(comparator, base, target) {
        return None;
    }
    Some((latest - base) / (target - base) * Exact::from_integer(BigInt::from(100)))
}

/// The gap to a target, exactly, in the indicator's unit: zero when the value meets it; else how far the value
/// must move to meet it, always more than zero. For `>=`, `<=` and `=` that is the distance to the target's value.
/// No value equal to a strict target (`>`, `<`) meets it, and none is the first to pass it, so its gap is the
/// distance to the first value past the target at `step_decimals` (the decimals the value is shown with): `> 90`
/// shown with one decimal is met from 90.1, so 90.0 is 0.1 short of it, never 0 beside "not met"; a count's `> 300`
/// is met from 301 (docs/methodology.md, section 4).
pub fn gap(comparator: Comparator, latest: &Exact, target: &Exact, step_decimals: u8) -> Exact {
    if holds(comparator, latest, target) {
        return Exact::zero();
    }
    let scale = Exact::from_integer(BigInt::from(10u8).pow(u32::from(step_decimals.min(MAX_DECIMALS))));
    let step = Exact::from_integer(BigInt::from(1)) / &scale;
    let goal = match comparator {
        // The smallest value on the step's grid above the target, and the largest below it.
        Comparator::Greater => (target * &scale).floor() / &scale + &step,
        Comparator::Less => (target * &scale).ceil() / &scale - &step,
        _ => target.clone(),
    };
    (&goal - latest).abs()
}

/// The decimals a gap ([`gap`]) is shown with: at least `at_least` (the value's, or the target's when it has more),
/// and as many more as keep a gap that is not zero off zero (0.04 short of `>= 95` is never "0.0").
pub fn gap_decimals(gap: &Exact, at_least: u8) -> u8 {
    decimals_to_show(to_f64(gap), gap, &Exact::zero(), at_least)
}

/// How a figure relates to 100 % when its target is met: a percent of target or a progress from the baseline
/// read against 100 with this comparator agrees with the target read with its own. (`<` and `<=` targets are met
/// when their progress is beyond or at 100.)
pub fn percent_comparator(comparator: Comparator) -> Comparator {
    match comparator {
        Comparator::Less => Comparator::Greater,
        Comparator::LessOrEqual => Comparator::GreaterOrEqual,
        other => other,
    }
}

/// The fewest decimals, at least `at_least`, with which `shown` (the `f64` an output formats, rounded half away
/// from zero as every output rounds) stands on the same side of `reference` as the exact value decided, equal to
/// it only when the exact value is: 99.96 against 100 needs two decimals, 58 against 58 none. At most
/// [`MAX_DECIMALS`] (reached only when a value differs from its target by less than 10^-12).
pub fn decimals_to_show(shown: f64, exact: &Exact, reference: &Exact, at_least: u8) -> u8 {
    if clearly_apart(shown, exact, reference, at_least) {
        return at_least.min(MAX_DECIMALS);
    }
    decimals_to_show_exactly(shown, exact, reference, at_least)
}

/// [`decimals_to_show`] against several references at once: the fewest decimals, at least `at_least`, with which
/// `shown` stands on the same side of each of `references` as `exact` does. Each reference's own fewest is not
/// enough: 89.951 beside `>= 90` needs two decimals (90.0 reads as 90), and two put it on `> 89.95`, which it
/// meets, shown "89.95 … achieved" (round 69, a verifier); the decimals are raised until every reference agrees.
pub fn decimals_to_show_all(shown: f64, exact: &Exact, references: &[Exact], at_least: u8) -> u8 {
    let mut decimals = at_least;
    loop {
        let needed = references.iter().map(|r| decimals_to_show(shown, exact, r, decimals)).max().unwrap_or(decimals);
        if needed == decimals || needed >= MAX_DECIMALS {
            return needed.min(MAX_DECIMALS);
        }
        decimals = needed;
    }
}

/// Whether `shown` rounded to `decimals` and `exact` both stand on the same side of `reference`, and off it, by
/// floating point alone: `shown` is farther from `reference` than half a step of the last decimal shown, and
/// `exact` lies on its side, each with a margin of 10^-9 of the magnitudes that covers any rounding of an `f64`
/// (about 10^-16 of them). Then [`decimals_to_show_exactly`] would answer `decimals` (the commonest case: a value
/// nowhere near its target), without its big rationals; when not, it decides.
fn clearly_apart(shown: f64, exact: &Exact, reference: &Exact, decimals: u8) -> bool {
    let (approximate, mark) = (to_f64(exact), to_f64(reference));
    if !(shown.is_finite() && approximate.is_finite() && mark.is_finite()) || decimals > MAX_DECIMALS {
        return false;
    }
    let margin = 1e-9 * shown.abs().max(approximate.abs()).max(mark.abs()).max(1.0);
    let half_step = 0.5 * 10f64.powi(-i32::from(decimals));
    let shown_side = shown - mark;
    let exact_side = approximate - mark;
    shown_side.abs() > half_step + margin
        && exact_side.abs() > margin
        && shown_side.is_sign_positive() == exact_side.is_sign_positive()
}

/// [`decimals_to_show`] by trying each number of decimals on the exact values.
fn decimals_to_show_exactly(shown: f64, exact: &Exact, reference: &Exact, at_least: u8) -> u8 {
    let wanted = exact.cmp(reference);
    (at_least..MAX_DECIMALS)
        .find(|&decimals| rounded(shown, decimals).is_some_and(|r| r.cmp(reference) == wanted))
        .unwrap_or(MAX_DECIMALS)
}

/// The decimals a number read from a plan (a target, or the baseline progress is measured from) is shown with in
/// every output: none for a whole number, as its document writes it ("over 90%", not "over 90.0%"); otherwise
/// `at_least` (the indicator's decimals), or as many more as the decimal it was written as has, so that the number
/// shown reads back as exactly the number decided against: `< 9.95` with one decimal, never `< 10.0` (nor `< 9.9`
/// by a rounding of its binary form) beside 9.95 not met. At most [`MAX_DECIMALS`], as for values. A target is
/// never rounded, so that it needs no check against anything: [`fixed`] with these decimals writes it exactly.
pub fn target_decimals(value: f64, at_least: u8) -> u8 {
    if !value.is_finite() {
        return at_least.min(MAX_DECIMALS);
    }
    // `Display` gives the shortest digits that read back as the same `f64`, never with an exponent: the decimal
    // `decimal` reads.
    let written = format!("{}", value.abs());
    match written.split_once('.') {
        None => 0,
        Some((_, fraction)) => {
            let needed = u8::try_from(fraction.len()).unwrap_or(u8::MAX);
            needed.max(at_least).min(MAX_DECIMALS)
        }
    }
}

/// `value` rounded half away from zero to `decimals` digits, exactly, as the decimal it was written as.
pub fn rounded(value: f64, decimals: u8) -> Option<Exact> {
    let exact = decimal(value)?;
    let scale = Exact::from_integer(BigInt::from(10u8).pow(u32::from(decimals)));
    Some((exact * &scale).round() / scale)
}

/// `value` written with exactly `decimals` digits after a `.`, rounded half away from zero on the decimal it was
/// written as (0.125 to two decimals is 0.13): the one rounding every output uses, so that what
/// [`decimals_to_show`] checked is what is printed. No thousands separators; `-` only when the rounded value is
/// not zero. NaN and infinities are written as Rust writes them.
pub fn fixed(value: f64, decimals: u8) -> String {
    let decimals = usize::from(decimals.min(MAX_DECIMALS));
    if !value.is_finite() {
        return format!("{value}");
    }
    // Rounded on the digits of the shortest round-trip form, which is the decimal `rounded` reads: no big
    // rationals for the commonest call of every output (a proptest below checks it against `rounded`).
    let written = format!("{}", value.abs());
    let (integer, fraction) = written.split_once('.').unwrap_or((&written, ""));
    let mut digits: Vec<u8> =
        integer.bytes().chain(fraction.bytes().chain(std::iter::repeat(b'0')).take(decimals)).collect();
    // Half away from zero: the first dropped digit decides, whatever follows it.
    if fraction.as_bytes().get(decimals).is_some_and(|&digit| digit >= b'5') {
        let mut carry = true;
        for digit in digits.iter_mut().rev() {
            if *digit == b'9' {
                *digit = b'0';
            } else {
                *digit += 1;
                carry = false;
                break;
            }
        }
        if carry {
            digits.insert(0, b'1');
        }
    }
    let negative = value.is_sign_negative() && digits.iter().any(|&digit| digit != b'0');
    let split = digits.len() - decimals;
    let mut text = String::with_capacity(digits.len() + 2);
    if negative {
        text.push('-');
    }
    text.push_str(std::str::from_utf8(&digits[..split]).unwrap_or_default());
    if decimals > 0 {
        text.push('.');
        text.push_str(std::str::from_utf8(&digits[split..]).unwrap_or_default());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> Exact {
        parse_decimal(text).expect("a decimal")
    }

    /// Decimals that keep a value on its side of every target at once: 89.951 beside `>= 90` and `> 89.95` is
    /// 89.951 (two decimals, enough for 90 alone, put it on 89.95); each shown value is checked against each target.
    #[test]
    fn decimals_keep_a_value_on_its_side_of_every_target_at_once() {
        let cases: [(&str, &[&str], u8, u8); 5] = [
            ("89.951", &["90", "89.95"], 1, 3),
            ("89.951", &["89.95"], 1, 1),
            ("89.951", &["90"], 1, 2),
            ("89.9501", &["90", "89.95", "89.9"], 1, 4),
            ("58", &["58", "57.5"], 0, 0),
        ];
        for (value, targets, at_least, want) in cases {
            let references: Vec<Exact> = targets.iter().map(|t| exact(t)).collect();
            let (v, shown) = (exact(value), value.parse::<f64>().unwrap());
            let got = decimals_to_show_all(shown, &v, &references, at_least);
            assert_eq!(got, want, "{value} beside {targets:?}");
            for reference in &references {
                let written = rounded(shown, got).expect("finite");
                assert_eq!(written.cmp(reference), v.cmp(reference), "{value} shown with {got} beside {reference}");
            }
        }
    }

    #[test]
    fn fixed_rounds_half_away_from_zero_on_the_decimal() {
        let cases = [
            (0.125, 2, "0.13"),
            (-0.125, 2, "-0.13"),
            (99.96, 1, "100.0"),
            (99.96, 2, "99.96"),
            (-0.04, 1, "0.0"),
            (1234567.5, 0, "1234568"),
            (2.5, 0, "3"),
            (0.0, 3, "0.000"),
        ];
        for (value, decimals, text) in cases {
            assert_eq!(fixed(value, decimals), text, "{value} to {decimals}");
        }
    }

    /// `fixed` as first written, on big rationals: the oracle for the digit rounding above.
    pub(super) fn fixed_on_rationals(value: f64, decimals: u8) -> String {
        let decimals = decimals.min(MAX_DECIMALS);
        let Some(rounded) = rounded(value, decimals) else {
            return format!("{value}");
        };
        let scale = BigInt::from(10u8).pow(u32::from(decimals));
        let units = (rounded.abs() * Exact::from_integer(scale.clone())).to_integer();
        let (integer, fraction) = (&units / &scale, &units % &scale);
        let sign = if rounded.is_negative() { "-" } else { "" };
        if decimals == 0 {
            format!("{sign}{integer}")
        } else {
            format!("{sign}{integer}.{fraction:0>width$}", width = usize::from(decimals))
        }
    }

    #[test]
    fn fixed_carries_and_keeps_the_sign_only_when_not_zero() {
        let cases = [
            (9.995, 2, "10.00"),
            (999.5, 0, "1000"),
            (-999.96, 1, "-1000.0"),
            (-0.0, 2, "0.00"),
            (-0.005, 2, "-0.01"),
            (-0.0049, 2, "0.00"),
            (0.05, 0, "0"),
            (0.5, 0, "1"),
            (1e21, 1, "1000000000000000000000.0"),
            (1e-7, 12, "0.000000100000"),
            (123.456, 20, "123.456000000000"),
            (f64::NAN, 2, "NaN"),
            (f64::NEG_INFINITY, 2, "-inf"),
        ];
        for (value, decimals, text) in cases {
            assert_eq!(fixed(value, decimals), text, "{value} to {decimals}");
            assert_eq!(fixed_on_rationals(value, decimals), text, "the oracle, {value} to {decimals}");
        }
    }

    #[test]
    fn a_target_is_written_as_configured() {
        // (target, the indicator's decimals, as written)
        let cases = [
            (9.95, 1, "9.95"),
            (9.995, 2, "9.995"),
            (1.005, 2, "1.005"),
            (58.3, 1, "58.3"),
            (58.3, 2, "58.30"),
            (90.0, 1, "90"),
            (-2.5, 0, "-2.5"),
            (0.1, 3, "0.100"),
            (1e-7, 1, "0.0000001"),
            (1234.5678, 1, "1234.5678"),
        ];
        for (target, at_least, text) in cases {
            assert_eq!(fixed(target, target_decimals(target, at_least)), text, "{target} with {at_least}");
        }
        // Beyond the cap the number cannot be written exactly; the cap holds as for values.
        assert_eq!(target_decimals(0.1 + 0.2, 1), MAX_DECIMALS);
    }

    #[test]
    fn decimals_are_read_as_written() {
        assert_eq!(decimal(58.3), Some(exact("58.3")));
        assert_eq!(decimal(-0.125), Some(BigRational::new((-1).into(), 8.into())));
        assert_eq!(decimal(1e21), Some(exact("1000000000000000000000")));
        assert_eq!(decimal(f64::NAN), None);
    }

    #[test]
    fn a_share_is_decided_on_its_numerator_and_denominator() {
        // 29 / 50 x 100 is 57.99999999999999 in floating point, and exactly 58.
        let (top, bottom) = (std::hint::black_box(29.0f64), std::hint::black_box(50.0f64));
        assert!(top / bottom * 100.0 < 58.0);
        let share = value_of(top / bottom * 100.0, Some(top), Some(bottom), 100.0).unwrap();
        assert!(holds(Comparator::GreaterOrEqual, &share, &exact("58")));
        assert!(!holds(Comparator::Greater, &share, &exact("58")));
        // 9,996 of 10,000 is not 100, however it is rounded.
        let share = value_of(99.96, Some(9996.0), Some(10000.0), 100.0).unwrap();
        assert!(!holds(Comparator::Equal, &share, &exact("100")));
        // A denominator of zero has no value.
        assert_eq!(value_of(f64::NAN, Some(1.0), Some(0.0), 100.0), None);
    }

    #[test]
    fn the_shown_value_never_crosses_the_target() {
        // (value, target, decimals asked for, decimals needed)
        let cases = [
            ("99.96", "100", 1, 2),
            ("58", "58", 1, 1),
            ("57.96", "58", 1, 2),
            ("90.0004", "90", 1, 4),
            ("89.96", "90", 1, 2),
            ("12.5", "10", 0, 0),
            ("10.04", "10", 0, 2),
            ("33.333", "33.333", 1, 3),
            ("-4.96", "-5", 1, 2),
        ];
        for (value, target, at_least, needed) in cases {
            let (value, target) = (exact(value), exact(target));
            assert_eq!(decimals_to_show(to_f64(&value), &value, &target, at_least), needed, "{value} vs {target}");
        }
        // 2/3 x 100 against 66.67: 66.67 would equal it, 66.667 is above.
        let third = value_of(0.0, Some(2.0), Some(3.0), 100.0).unwrap();
        assert_eq!(decimals_to_show(to_f64(&third), &third, &exact("66.67"), 1), 3);
    }

    #[test]
    fn percent_of_target_and_progress_from_the_baseline() {
        let p = |c: &str, l: &str, t: &str| percent_of_target(Comparator::parse(c).unwrap(), &exact(l), &exact(t));
        assert_eq!(p(">=", "29", "50"), Some(exact("58")));
        assert_eq!(p("=", "99.96", "100"), Some(exact("99.96")));
        assert_eq!(p("=", "102", "100"), Some(exact("98")));
        assert_eq!(p("=", "250", "100"), Some(exact("0")));
        // Zero, negative and "less is better" targets have no percentage.
        assert_eq!(p(">=", "5", "0"), None);
        assert_eq!(p("<=", "12", "10"), None);
        assert_eq!(p(">", "-3", "-2"), None);
        let g = |c: &str, l: &str, b: &str, t: &str| {
            progress_from_baseline(Comparator::parse(c).unwrap(), &exact(l), &exact(b), &exact(t))
        };
        // From 40 cases toward at most 20: 30 is half way, 20 all the way, 10 beyond.
        assert_eq!(g("<=", "30", "40", "20"), Some(exact("50")));
        assert_eq!(g("<=", "20", "40", "20"), Some(exact("100")));
        assert_eq!(g("<=", "10", "40", "20"), Some(exact("150")));
        assert_eq!(g("<", "45", "40", "20"), Some(exact("-25")));
        // Toward zero.
        assert_eq!(g("=", "3", "12", "0"), Some(exact("75")));
        // A baseline that already met the target, or equals it, leaves no way to measure.
        assert_eq!(g("<=", "15", "10", "20"), None);
        assert_eq!(g("<", "15", "20", "20"), None);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::model::Comparator;

    proptest! {
        /// Whatever the share and the target, the value shown with the decimals decided stands on the same side of
        /// the target as the exact value, so that reading the shown value against the target gives the decision.
        #[test]
        fn the_shown_value_reads_as_decided(
            top in 0u64..1_000_000,
            bottom in 1u64..1_000_000,
            target_hundredths in 0u32..20_000,
            at_least in 0u8..3,
        ) {
            let value = (top as f64) * 100.0 / (bottom as f64);
            let exact = value_of(value, Some(top as f64), Some(bottom as f64), 100.0).unwrap();
            let target = Exact::new(BigInt::from(target_hundredths), BigInt::from(100));
            let decimals = decimals_to_show(value, &exact, &target, at_least);
            let shown = parse_decimal(&fixed(value, decimals)).unwrap();
            for comparator in [Comparator::Greater, Comparator::GreaterOrEqual, Comparator::Equal, Comparator::LessOrEqual, Comparator::Less] {
                prop_assert_eq!(holds(comparator, &shown, &target), holds(comparator, &exact, &target));
            }
        }

        /// The floating-point shortcut of `decimals_to_show` answers as the search on exact values does, for
        /// values near and far from their reference, on either side, at every scale.
        #[test]
        fn the_shortcut_agrees_with_the_exact_search(
            top in -1_000_000_000i64..1_000_000_000,
            bottom in 1i64..1_000_000,
            reference_units in -100_000_000i64..100_000_000,
            places in 0i32..6,
            at_least in 0u8..4,
            near in any::<bool>(),
        ) {
            let exact = Exact::new(BigInt::from(top), BigInt::from(bottom));
            let shown = to_f64(&exact);
            let reference = if near {
                decimal(shown + (reference_units % 100) as f64 * 10f64.powi(-places - 2)).unwrap()
            } else {
                Exact::new(BigInt::from(reference_units), BigInt::from(10i64.pow(places as u32)))
            };
            prop_assert_eq!(
                decimals_to_show(shown, &exact, &reference, at_least),
                decimals_to_show_exactly(shown, &exact, &reference, at_least),
                "{} against {}", exact, reference
            );
        }

        /// A target with up to four decimals is written as exactly the decimal configured, whatever the
        /// indicator's decimals: reading the text back gives the target, so it cannot read as on the other side of
        /// a value.
        #[test]
        fn a_target_reads_back_as_configured(
            units in -100_000_000i64..100_000_000,
            places in 0i32..5,
            at_least in 0u8..4,
        ) {
            let text = format!("{}", units as f64 / 10f64.powi(places));
            let target: f64 = text.parse().unwrap();
            let shown = fixed(target, target_decimals(target, at_least));
            prop_assert_eq!(parse_decimal(&shown), decimal(target), "{} shown as {}", target, shown);
            prop_assert_eq!(shown.parse::<f64>().unwrap(), target);
            let fraction = shown.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert!(fraction == 0 || fraction >= usize::from(at_least), "{} has fewer decimals than {}", shown, at_least);
        }

        /// The digit rounding of `fixed` writes what the rationals round to, for any finite value and decimals.
        #[test]
        fn fixed_agrees_with_the_rationals(
            value in prop_oneof![
                proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
                (-1_000_000i64..1_000_000, 0i32..8).prop_map(|(units, places)| units as f64 / 10f64.powi(places)),
            ],
            decimals in 0u8..14,
        ) {
            prop_assert_eq!(fixed(value, decimals), super::tests::fixed_on_rationals(value, decimals));
        }
    }
}
