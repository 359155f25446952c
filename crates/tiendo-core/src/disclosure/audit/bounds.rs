//! Interval propagation over a program's rows: the outer bounds every consistent value lies inside, and the closed
//! form of one relation's terms.

use super::{EPSILON, Kind, Range, snap};

/// The interval of `c x` for `x` in `range` (`c` not 0), as (low, high).
pub(super) fn scaled(range: Range, c: f64) -> (f64, f64) {
    if c > 0.0 { (range.low * c, range.high * c) } else { (range.high * c, range.low * c) }
}

/// One pass of interval propagation over the row `sum(c_i x_i) (= | <=) rhs`: each member's bounds are narrowed to
/// what the others' bounds allow. Infinite bounds are counted apart so that no `inf - inf` arises. Returns whether
/// anything narrowed.
pub(super) fn tighten(bounds: &mut [Range], terms: &[(usize, f64)], kind: Kind, rhs: f64) -> bool {
    let (mut low_sum, mut low_infinite, mut high_sum, mut high_infinite) = (0.0, 0, 0.0, 0);
    for &(p, c) in terms {
        let (low, high) = scaled(bounds[p], c);
        if low.is_finite() {
            low_sum += low
        } else {
            low_infinite += 1
        }
        if high.is_finite() { high_sum += high } else { high_infinite += 1 }
    }
    let mut changed = false;
    for &(p, c) in terms {
        let (low, high) = scaled(bounds[p], c);
        // The others' sum: its least and greatest value.
        let others_low = if low_infinite - usize::from(!low.is_finite()) > 0 {
            f64::NEG_INFINITY
        } else {
            low_sum - if low.is_finite() { low } else { 0.0 }
        };
        let others_high = if high_infinite - usize::from(!high.is_finite()) > 0 {
            f64::INFINITY
        } else {
            high_sum - if high.is_finite() { high } else { 0.0 }
        };
        let new_high = rhs - others_low;
        let new_low = if kind == Kind::Equal { rhs - others_high } else { f64::NEG_INFINITY };
        let (cell_low, cell_high) = if c > 0.0 { (new_low / c, new_high / c) } else { (new_high / c, new_low / c) };
        let range = &mut bounds[p];
        if cell_low > range.low + EPSILON {
            range.low = snap(cell_low);
            changed = true;
        }
        if cell_high < range.high - EPSILON {
            range.high = snap(cell_high);
            changed = true;
        }
    }
    changed
}
