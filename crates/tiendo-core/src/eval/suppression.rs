//! Confidentiality: primary suppression of small counts of victims and secondary (complementary)
//! suppression so that no published total reveals them.
//!
//! A cell is primarily suppressed when it is sensitive and 0 < n < threshold (zero is published: "no victim"
//! reveals nobody, and methods.md section 5 lets the threshold rule apply to positive counts). Then, for every
//! linear relation "total = sum of parts" in which exactly one member is suppressed, one more member is
//! suppressed: the smallest non-zero part that is still published, else the smallest part, else the total.
//! This repeats until no relation has a single suppressed member, so no suppressed cell can be recovered by
//! subtraction along one relation. Missing cells give no protection: a sum that skips them lets a reader
//! subtract the published parts from the total just the same.

use serde::Serialize;

/// Whether a cell may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellState {
    Published,
    /// A sensitive count with 0 < n < threshold.
    Primary,
    /// Suppressed so that a total does not reveal a primary cell.
    Secondary,
}

/// A relation "total = sum of parts" between cell indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// Decides the state of every cell. `values[i]` is `None` when cell i has no data; `sensitive[i]` says
/// whether cell i counts individual victims.
pub fn suppress(values: &[Option<f64>], sensitive: &[bool], threshold: f64, relations: &[Relation]) -> Vec<CellState> {
    let mut states: Vec<CellState> = values
        .iter()
        .zip(sensitive)
        .map(|(value, sensitive)| match value {
            Some(v) if *sensitive && *v > 0.0 && *v < threshold => CellState::Primary,
            _ => CellState::Published,
        })
        .collect();
    if !states.contains(&CellState::Primary) {
        return states;
    }
    // Every pass suppresses at least one more cell or stops, so the loop ends after at most `values.len()`
    // passes.
    loop {
        let mut changed = false;
        for relation in relations {
            let members = std::iter::once(relation.total).chain(relation.parts.iter().copied());
            let suppressed = members.clone().filter(|&i| states[i] != CellState::Published).count();
            if suppressed != 1 {
                continue;
            }
            let candidate = relation
                .parts
                .iter()
                .copied()
                .filter(|&i| states[i] == CellState::Published)
                .filter_map(|i| values[i].map(|v| (v, i)))
                .min_by(|a, b| {
                    let key = |(v, i): (f64, usize)| (v == 0.0, v, i);
                    key(*a).partial_cmp(&key(*b)).unwrap_or(std::cmp::Ordering::Equal)
                })
                .map(|(_, i)| i)
                .or_else(|| (states[relation.total] == CellState::Published).then_some(relation.total));
            if let Some(index) = candidate {
                states[index] = CellState::Secondary;
                changed = true;
            }
        }
        if !changed {
            return states;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that along every relation no suppressed member is the only one: otherwise subtraction reveals it.
    fn nothing_revealed(states: &[CellState], relations: &[Relation]) -> bool {
        relations.iter().all(|r| {
            let count = std::iter::once(r.total)
                .chain(r.parts.iter().copied())
                .filter(|&i| states[i] != CellState::Published)
                .count();
            count != 1
        })
    }

    #[test]
    fn primary_and_secondary_suppression() {
        use CellState::*;
        // Cells: 0 total, 1..=3 provinces. Province 1 has 3 victims: below 11.
        let relations = [Relation { total: 0, parts: vec![1, 2, 3] }];
        let cases: Vec<(Vec<Option<f64>>, Vec<CellState>)> = vec![
            // The smallest published non-zero part is suppressed as well.
            (vec![Some(53.0), Some(3.0), Some(30.0), Some(20.0)], vec![Published, Primary, Published, Secondary]),
            // Zero is published and is not the preferred complement.
            (vec![Some(33.0), Some(3.0), Some(0.0), Some(30.0)], vec![Published, Primary, Published, Secondary]),
            // Two primaries protect each other.
            (vec![Some(35.0), Some(3.0), Some(2.0), Some(30.0)], vec![Published, Primary, Primary, Published]),
            // Missing parts do not protect; with no other part published the total goes.
            (vec![Some(12.0), Some(3.0), None, None], vec![Secondary, Primary, Published, Published]),
            // Nothing small: nothing suppressed.
            (vec![Some(60.0), Some(30.0), Some(0.0), Some(30.0)], vec![Published, Published, Published, Published]),
        ];
        let sensitive = [true; 4];
        for (values, expected) in cases {
            let states = suppress(&values, &sensitive, 11.0, &relations);
            assert_eq!(states, expected, "{values:?}");
            assert!(nothing_revealed(&states, &relations), "{values:?}");
        }
    }

    #[test]
    fn secondary_suppression_cascades_through_linked_tables() {
        // A 2 x 2 table with margins: rows (0 = 1 + 2, 3 = 4 + 5), columns (6 = 1 + 4, 7 = 2 + 5), grand 8.
        let relations = [
            Relation { total: 0, parts: vec![1, 2] },
            Relation { total: 3, parts: vec![4, 5] },
            Relation { total: 6, parts: vec![1, 4] },
            Relation { total: 7, parts: vec![2, 5] },
            Relation { total: 8, parts: vec![0, 3] },
            Relation { total: 8, parts: vec![6, 7] },
        ];
        let values: Vec<Option<f64>> =
            [22.0, 4.0, 18.0, 40.0, 25.0, 15.0, 29.0, 33.0, 62.0].into_iter().map(Some).collect();
        let states = suppress(&values, &[true; 9], 11.0, &relations);
        assert_eq!(states[1], CellState::Primary);
        assert!(nothing_revealed(&states, &relations), "{states:?}");
        // Non-sensitive cells are never primarily suppressed.
        let states = suppress(&values, &[false; 9], 11.0, &relations);
        assert!(states.iter().all(|s| *s == CellState::Published));
    }
}
