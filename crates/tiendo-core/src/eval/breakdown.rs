//! Disaggregations: which rows of a reported period make the value of an element reference. An explicit total wins;
//! else one complete breakdown (by sex, by age group...); two breakdowns of the same total are never added.

use crate::eval::aggregate::{Aggregate, SourceMask};
use crate::eval::grouping::Entry;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cell {
    exact: f64,
    exact_set: bool,
    parts: f64,
    parts_set: bool,
    sources: SourceMask,
    provisional: bool,
}

impl Cell {
    /// Adds one entry of the cell's period under the disaggregation rule: `matches[combo]` is 2 for an exact
    /// match of the reference's filter, 1 for a combination that contains it, 0 for no match.
    pub(crate) fn add(&mut self, entry: &Entry, matches: &[u8]) {
        match matches[entry.combo as usize] {
            2 => {
                self.exact += entry.value;
                self.exact_set = true;
            }
            1 => {
                self.parts += entry.value;
                self.parts_set = true;
            }
            _ => return,
        }
        self.sources |= 1u64 << entry.source_bit;
        self.provisional |= entry.provisional;
    }

    pub(crate) fn value(&self) -> Option<Aggregate> {
        let value = if self.exact_set {
            self.exact
        } else if self.parts_set {
            self.parts
        } else {
            return None;
        };
        Some(Aggregate { value, sources: self.sources, provisional: self.provisional, from_children: false })
    }
}
