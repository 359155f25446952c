//! Where a group (one data element at one org unit) lies in a grouped store: asked once per reference and unit by
//! every pass of an evaluation, so it is a table by (element, org unit) where that table is small, not a hash map
//! (the map's probe missed the cache on every leaf of W2: a fifth of `leaf_series`, docs/performance-log.md round 6).

use crate::eval::store::FastMap;

/// The range of positions of each (data element, org unit) group of a grouped store.
///
/// Dense (a table of `elements x units` ranges, 8 bytes each) when that table has at most
/// [`GroupIndex::DENSE_PER_GROUP`] slots per group or at most 2^16 slots, else a hash map of the groups that occur:
/// the same answers either way.
#[derive(Debug, Clone)]
pub(crate) enum GroupIndex {
    Dense {
        /// How many org units the store has: the row length of `ranges`.
        units: usize,
        /// Per `element * units + unit`: (start, end) of its positions; `start == end` for no group (groups are never
        /// empty).
        ranges: Vec<(u32, u32)>,
    },
    Sparse(FastMap<(u32, u32), (usize, usize)>),
}

impl GroupIndex {
    /// How many table slots per group a dense index may have: a store whose (element, unit) pairs are mostly
    /// present (W2: every commune reports every element) is dense; a store of scattered pairs uses the map.
    pub(crate) const DENSE_PER_GROUP: usize = 4;

    /// The index of `groups` ((element, org unit, start, end), as [`crate::eval::grouping::Grouping::groups`]) of a
    /// store with `elements` data elements and `units` org units.
    pub(crate) fn new(groups: &[(u32, u32, usize, usize)], elements: usize, units: usize) -> GroupIndex {
        let slots = elements.saturating_mul(units);
        // The groups are listed in (element, unit) order but laid out in (unit, element) order, so no one group holds
        // the largest end: every end is checked below (`all_in`), and a store past u32 positions takes the map.
        let fits_u32 = groups.iter().map(|&(.., end)| end).max().is_none_or(|end| u32::try_from(end).is_ok());
        if fits_u32 && slots <= (groups.len().saturating_mul(Self::DENSE_PER_GROUP)).max(1 << 16) {
            let mut ranges = vec![(0u32, 0u32); slots];
            let all_in = groups.iter().all(|&(element, unit, start, end)| {
                let slot = (element as usize).checked_mul(units).and_then(|row| row.checked_add(unit as usize));
                match (slot, u32::try_from(start), u32::try_from(end)) {
                    (Some(slot), Ok(start), Ok(end)) if slot < slots && (unit as usize) < units => {
                        ranges[slot] = (start, end);
                        true
                    }
                    _ => false,
                }
            });
            if all_in {
                return GroupIndex::Dense { units, ranges };
            }
        }
        GroupIndex::Sparse(groups.iter().map(|&(element, unit, start, end)| ((element, unit), (start, end))).collect())
    }

    /// The positions `start..end` of the group of `element` at store org unit `unit`, if it has any observation.
    #[inline]
    pub(crate) fn get(&self, element: u32, unit: u32) -> Option<(usize, usize)> {
        match self {
            GroupIndex::Dense { units, ranges } => {
                if unit as usize >= *units {
                    return None;
                }
                let &(start, end) = ranges.get(element as usize * units + unit as usize)?;
                (start < end).then_some((start as usize, end as usize))
            }
            GroupIndex::Sparse(map) => map.get(&(element, unit)).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::test_support::numbers;

    /// Random groups tiling positions, looked up through the dense index and through a map of the groups: the same
    /// range for every (element, unit) of the table and beyond it.
    #[test]
    fn dense_and_sparse_indexes_agree() {
        for (elements, units, seed) in [(1, 1, 1), (3, 5, 2), (7, 40, 3), (2, 300, 4), (50, 2_000, 5)] {
            let mut next = numbers(seed);
            let mut groups = Vec::new();
            let mut position = 0;
            for element in 0..elements as u32 {
                for unit in 0..units as u32 {
                    if next(3) == 0 {
                        let len = 1 + next(5);
                        groups.push((element, unit, position, position + len));
                        position += len;
                    }
                }
            }
            let map = GroupIndex::Sparse(groups.iter().map(|&(e, u, s, t)| ((e, u), (s, t))).collect());
            let dense = GroupIndex::new(&groups, elements, units);
            assert!(matches!(dense, GroupIndex::Dense { .. }), "{elements} x {units}");
            for element in 0..elements as u32 + 2 {
                for unit in 0..units as u32 + 2 {
                    let expected = map.get(element, unit);
                    assert_eq!(dense.get(element, unit), expected, "{element} {unit}");
                    assert_eq!(dense.get(element, unit).is_some(), expected.is_some());
                }
            }
        }
    }

    #[test]
    fn a_large_scattered_table_uses_the_map() {
        // 1,000 elements x 100,000 units with 3 groups: a table of 10^8 slots is not built.
        let groups = [(0, 5, 0, 2), (999, 99_999, 2, 3), (500, 7, 3, 10)];
        let index = GroupIndex::new(&groups, 1_000, 100_000);
        assert!(matches!(index, GroupIndex::Sparse(_)));
        assert_eq!(index.get(999, 99_999), Some((2, 3)));
        assert_eq!(index.get(999, 99_998), None);
    }
}
