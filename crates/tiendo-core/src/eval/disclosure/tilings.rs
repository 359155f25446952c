//! The relations of a stock's or an average's period to the unit's own cells that tile its days by periods of any
//! types (dekads, a plan's date range), which the standard sub-periods of `relations` do not reach.

use std::collections::HashSet;

use super::super::period_relations::Span;
use crate::disclosure::Relation;

/// The tilings of one period found at most: a reader may use any of them, and a few show what the rest would.
const MOST_TILINGS: usize = 4;

/// The steps of the search for tilings of one period (spans tried): a unit's cells inside one period are few.
const MOST_STEPS: usize = 512;

/// For a stock or an average at one unit, each of its periods (`spans`: one per cell of the unit) with the unit's
/// cells that tile its days exactly, of any period types, as `relation` reads them (`Cover::over_time`: weighed by days for an average,
/// the latest for a stock; kept only where the values agree): January's average of 16.677 beside its dekads' 40, 4
/// and 7, which a reader weighs 10, 10 and 11 days of 31 (round 73, found by an adversarial tester: the dekads were
/// related to nothing, and January less the published 40 gave 10 x + 11 y = 117, both hidden dekads). A tiling
/// already among `known` (total, sorted parts) is not repeated.
pub(super) fn tilings_over_days(
    spans: &[Span],
    known: &mut HashSet<(usize, Vec<usize>)>,
    relation: &dyn Fn(usize, &[usize]) -> Option<Relation>,
) -> Vec<Relation> {
    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_unstable_by_key(|s| (s.start, s.end, s.cell));
    let mut out = Vec::new();
    for total in spans {
        // The spans starting inside the total (sorted by start), of those the ones ending inside it too.
        let first = sorted.partition_point(|s| s.start < total.start);
        let inside: Vec<&Span> = sorted[first..]
            .iter()
            .copied()
            .take_while(|s| s.start < total.end)
            .filter(|s| s.end <= total.end && (s.start, s.end) != (total.start, total.end))
            .collect();
        let mut found: Vec<Vec<usize>> = Vec::new();
        let mut steps = 0;
        tile(&inside, (total.start, total.end), &mut Vec::new(), &mut found, &mut steps);
        for mut parts in found {
            let relation = relation(total.cell, &parts);
            parts.sort_unstable();
            if let Some(relation) = relation
                && known.insert((total.cell, parts))
            {
                out.push(relation);
            }
        }
    }
    out
}

/// Depth-first: the chains of `inside` (sorted by start) from day `from` to day `to` (exclusive), each span starting
/// where the one before ends, appended to `found` while fewer than [`MOST_TILINGS`] and within [`MOST_STEPS`].
fn tile(
    inside: &[&Span],
    (from, to): (i64, i64),
    chain: &mut Vec<usize>,
    found: &mut Vec<Vec<usize>>,
    steps: &mut usize,
) {
    if from == to {
        if chain.len() >= 2 {
            found.push(chain.clone());
        }
        return;
    }
    let first = inside.partition_point(|s| s.start < from);
    for span in inside[first..].iter().take_while(|s| s.start == from) {
        *steps += 1;
        if found.len() >= MOST_TILINGS || *steps > MOST_STEPS {
            return;
        }
        chain.push(span.cell);
        tile(inside, (span.end, to), chain, found, steps);
        chain.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: i64, end: i64, cell: usize) -> Span {
        Span { start, end, cell }
    }

    /// January (31 days) with three dekads (10, 10, 11 days) and the first half of the month as a range: two tilings
    /// of January; a period tiled by nothing, and one single part, give none.
    #[test]
    fn a_period_is_tiled_by_the_unit_s_cells_of_any_types() {
        let spans = [span(0, 31, 0), span(0, 10, 1), span(10, 20, 2), span(20, 31, 3), span(0, 20, 4)];
        let mut known = HashSet::new();
        let relation = |total: usize, parts: &[usize]| Some(Relation::new(total, parts.to_vec()));
        let found = tilings_over_days(&spans, &mut known, &relation);
        let mut tilings: Vec<(usize, Vec<usize>)> = found.iter().map(|r| (r.total, r.parts.clone())).collect();
        tilings.sort();
        assert_eq!(tilings, [(0, vec![1, 2, 3]), (0, vec![4, 3]), (4, vec![1, 2])]);
        // Found again: known already.
        assert!(tilings_over_days(&spans, &mut known, &relation).is_empty());
        let gap = [span(0, 31, 0), span(0, 10, 1), span(20, 31, 3)];
        assert!(tilings_over_days(&gap, &mut HashSet::new(), &relation).is_empty());
    }
}
