//! Whether a row's breakdown fits its data element (adversarial review round 6, c1): a category cell filled in on
//! an element that has no such category (`cases,vn,2023,40,src,female` where `cases` is not broken down by sex)
//! would make the figure a breakdown row of a breakdown that cannot exist, so the total reads as partial and a
//! ratio as matched on a part. The row is an error (E341), never a silent change of what the figure counts.

use tiendo_core::eval::store::FastMap;
use tiendo_core::model::{Catalogue, Formula};

/// The (element key, breakdown) pairs of a reader already found to fit, so that a file's rows cost one look-up
/// each after the first of their kind.
#[derive(Debug, Default)]
pub(crate) struct Fitting {
    last: Option<(u64, u32)>,
    seen: FastMap<(u64, u32), ()>,
}

impl Fitting {
    /// Whether `pair` was found to fit before.
    pub fn known(&mut self, pair: (u64, u32)) -> bool {
        if self.last == Some(pair) || self.seen.contains_key(&pair) {
            self.last = Some(pair);
            return true;
        }
        false
    }

    /// Remembers that `pair` fits.
    pub fn insert(&mut self, pair: (u64, u32)) {
        self.seen.insert(pair, ());
        self.last = Some(pair);
    }
}

/// The categories `element` may be broken down by: a data element's `categories`, or the `disaggregations` of an
/// indicator reported directly; none for an id that is neither.
fn categories_of<'c>(catalogue: &'c Catalogue, element: &str) -> &'c [String] {
    if let Some(data_element) = catalogue.data_elements.get(element) {
        return &data_element.categories;
    }
    catalogue
        .indicators
        .get(element)
        .filter(|indicator| matches!(indicator.formula, Formula::Reported))
        .map_or(&[], |indicator| &indicator.disaggregations)
}

/// The first (category, option) pair of `pairs` whose category `element` is not broken down by, with the
/// categories it is broken down by; `None` when every pair fits.
pub(crate) fn misfit<'p, 'c>(
    catalogue: &'c Catalogue,
    element: &str,
    pairs: &'p [(String, String)],
) -> Option<(&'p (String, String), &'c [String])> {
    let allowed = categories_of(catalogue, element);
    pairs.iter().find(|(category, _)| !allowed.contains(category)).map(|pair| (pair, allowed))
}

/// The hint of E341: what to do with the cell, and the categories the element does have.
pub(crate) fn hint(element: &str, category: &str, allowed: &[String]) -> String {
    let has = if allowed.is_empty() {
        format!("`{element}` has no categories")
    } else {
        format!(
            "`{element}` is broken down by {}",
            allowed.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        )
    };
    format!("leave the `{category}` cell blank for `{element}`, or add `{category}` to its categories; {has}")
}
