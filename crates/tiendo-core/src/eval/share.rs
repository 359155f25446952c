//! A percentage is never shown as 0 or 100 (nor as -100) when it is not exactly there: 99.96 % is "99.96 %", never
//! "100.0 %", and 0.04 % is "0.04 %", never "0.0 %" (docs/methodology.md 4, "The number shown is the number
//! decided"). Every output that writes a percentage, a share or a coverage rate asks here how many decimals it needs;
//! beyond [`SHARE_MAX_DECIMALS`] a reader is given a bound ("> 99.99", "< 0.01") instead of a long tail of nines.

use super::exact::{self, Exact};

/// The most decimals a percentage is given to keep it off 0 and 100; closer than that, it is shown as a bound.
pub const SHARE_MAX_DECIMALS: u8 = 4;

/// The percentages a value is kept off when it is not exactly on them.
const MARKS: [i32; 3] = [-100, 0, 100];

/// How a percentage is written: with a number of decimals, or as a bound it lies beyond.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShownShare {
    /// The value itself with this many decimals.
    Fixed(u8),
    /// "> bound": the value lies just below a mark (99.99999 is "> 99.99").
    Above { bound: f64, decimals: u8 },
    /// "< bound": the value lies just above a mark (0.00001 is "< 0.01").
    Below { bound: f64, decimals: u8 },
}

/// The fewest decimals, at least `at_least`, with which the percentage `value` stands on the same side of -100, 0
/// and 100 as `exact` (its exact value, when known; else the decimal `value` was written as), on one of them only
/// when it is exactly there. At most [`exact::MAX_DECIMALS`].
pub fn share_decimals(value: f64, exact: Option<&Exact>, at_least: u8) -> u8 {
    let own;
    let exact = match exact {
        Some(exact) => exact,
        None => match exact::decimal(value) {
            Some(decimal) => {
                own = decimal;
                &own
            }
            None => return at_least,
        },
    };
    MARKS
        .iter()
        .map(|&mark| exact::decimals_to_show(value, exact, &Exact::from_integer(mark.into()), at_least))
        .max()
        .unwrap_or(at_least)
}

/// How the percentage `value` is written when `decimals` were decided for it: with the decimals that keep it off
/// -100, 0 and 100 when they are at most `decimals` or [`SHARE_MAX_DECIMALS`], else as a bound with
/// `max(decimals, 2)` digits: a value 0.00001 above 0 is "< 0.01", 0.00001 below 100 is "> 99.99".
pub fn shown_share(value: f64, decimals: u8) -> ShownShare {
    let needed = share_decimals(value, None, decimals);
    let cap = decimals.max(SHARE_MAX_DECIMALS);
    if needed <= cap || !value.is_finite() {
        return ShownShare::Fixed(needed.min(cap));
    }
    let mark = exact::fixed(value, cap).parse::<f64>().unwrap_or(0.0);
    let digits = decimals.max(2);
    let step = 10f64.powi(-i32::from(digits));
    if value < mark {
        ShownShare::Above { bound: mark - step, decimals: digits }
    } else {
        ShownShare::Below { bound: mark + step, decimals: digits }
    }
}

/// The percentage `value` as plain text (`.` for the decimal mark, no grouping), by [`shown_share`]: "99.96",
/// "> 99.99", "< 0.01". For outputs without a language (eval's table).
pub fn share_text(value: f64, decimals: u8) -> String {
    match shown_share(value, decimals) {
        ShownShare::Fixed(digits) => exact::fixed(value, digits),
        ShownShare::Above { bound, decimals } => format!("> {}", exact::fixed(bound, decimals)),
        ShownShare::Below { bound, decimals } => format!("< {}", exact::fixed(bound, decimals)),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn shares_near_the_marks_keep_off_them() {
        let cases = [
            (99.96, 1, "99.96"),
            (0.04, 1, "0.04"),
            (100.0, 1, "100.0"),
            (0.0, 1, "0.0"),
            (50.0, 1, "50.0"),
            (64.25, 1, "64.3"),
            (99.949, 1, "99.9"),
            (99.9996, 1, "99.9996"),
            (99.99996, 1, "> 99.99"),
            (0.00004, 1, "< 0.01"),
            (100.00004, 1, "< 100.01"),
            (-99.99996, 1, "< -99.99"),
            (-0.04, 1, "-0.04"),
            (99.96, 0, "99.96"),
            (99.4, 0, "99"),
            (99.999_999_6, 7, "99.9999996"),
        ];
        for (value, decimals, text) in cases {
            assert_eq!(share_text(value, decimals), text, "{value} with {decimals}");
        }
    }

    #[test]
    fn an_exact_value_decides_where_the_float_cannot() {
        // 2/3 of 1.5 % is exactly 1 %, and the float may not be: the exact value decides.
        let one = Exact::from_integer(1.into());
        assert_eq!(share_decimals(1.0, Some(&one), 1), 1);
        let just_below = Exact::new(99_999_999.into(), 1_000_000.into());
        assert_eq!(share_decimals(99.999999, Some(&just_below), 1), 6);
    }

    proptest! {
        /// Whatever the numerator and denominator, a share strictly between 0 % and 100 % is never written as the
        /// text of 0 % or of 100 % with any decimals.
        #[test]
        fn a_share_inside_is_never_written_as_a_bound(denominator in 2u64..10_000_000, seed in 1u64..u64::MAX, decimals in 0u8..3) {
            let numerator = 1 + seed % (denominator - 1);
            let value = numerator as f64 / denominator as f64 * 100.0;
            let text = share_text(value, decimals);
            for digits in 0..=exact::MAX_DECIMALS {
                prop_assert_ne!(&text, &exact::fixed(0.0, digits), "{}/{}", numerator, denominator);
                prop_assert_ne!(&text, &exact::fixed(100.0, digits), "{}/{}", numerator, denominator);
            }
            let number = text.strip_prefix("> ").or_else(|| text.strip_prefix("< ")).unwrap_or(&text);
            let shown: f64 = number.parse().expect("a number");
            prop_assert!(shown > 0.0 && shown < 100.0, "{}", text);
        }
    }
}
