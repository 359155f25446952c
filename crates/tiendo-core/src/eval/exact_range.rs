//! W349: a data element whose values, in magnitude, add up beyond 2^53. Each value is at most 10^15 (E324), but the
//! roll-ups add them in `f64`, which holds every whole number only up to 2^53 = 9,007,199,254,740,992: beyond that a
//! total can be off by a few units (twelve cells of about 10^15 summed to 11999999999999988, not ...87). When the
//! magnitudes of all of an element's values stay below 2^53, every partial sum of them is exact; otherwise the run
//! says so, naming the element, rather than publishing a total that may not be the sum.

use crate::diagnostic::Diagnostic;
use crate::eval::store::{Observation, ObservationStore};

/// 2^53: the largest whole number below which every whole number is an `f64`.
const EXACT_UP_TO: f64 = 9_007_199_254_740_992.0;

/// W349 for each of `elements` whose values' magnitudes add up beyond [`EXACT_UP_TO`].
pub(crate) fn sums_beyond_exact(
    store: &ObservationStore,
    entries: &[Observation],
    elements: &[u32],
) -> Vec<Diagnostic> {
    let mut magnitude = vec![0.0f64; store.elements.len()];
    for entry in entries {
        if let Some(sum) = magnitude.get_mut(entry.element as usize) {
            *sum += entry.value.abs();
        }
    }
    elements
        .iter()
        .filter(|&&element| magnitude.get(element as usize).is_some_and(|&sum| sum > EXACT_UP_TO))
        .map(|&element| {
            Diagnostic::warning(
                "W349",
                "sum-beyond-exact",
                format!(
                    "the values of `{}` add up to more than 9,007,199,254,740,992 (2^53), beyond which a sum of \
                     whole numbers is not held exactly: its totals may be off by a few units",
                    store.elements.name(element)
                ),
            )
            .with_hint("check the values for a typing error, or report them in a larger unit (thousands)".to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twelve values of about 10^15 (each allowed) add up past 2^53; a hundred of 10^13 do not.
    #[test]
    fn an_element_whose_values_add_up_past_2_53_is_named() {
        let mut store = ObservationStore::new();
        let big = store.elements.intern("big");
        let small = store.elements.intern("small");
        let mut entries: Vec<Observation> = Vec::new();
        let entry = |element: u32, value: f64| Observation { element, org_unit: 0, period: 0, combo: 0, value };
        entries.extend((0..12).map(|_| entry(big, 999_999_999_999_999.0)));
        entries.extend((0..100).map(|_| entry(small, 1e13)));
        let found = sums_beyond_exact(&store, &entries, &[big, small]);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`big`"), "{}", found[0].message);
        assert_eq!(found[0].code, "W349");
    }
}
