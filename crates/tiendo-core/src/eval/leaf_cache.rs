//! Leaves' series kept from warming for the passes that read them again: a ratio's parts and a validation rule's
//! sides are read at every leaf (W2: every commune) after warming computed the same series for the parents' sums.
//! Kept compactly (a value and a byte an entry, not a 40-byte `Option<Aggregate>`), for the references those passes
//! read, within a memory budget (docs/performance-log.md, W2 round 6).

use crate::eval::aggregate::Aggregate;
use crate::period::Period;

/// How many bytes per store observation the kept series may take: 5 (W2: the two references of its ratio and
/// rule, 41 MB for 10 million observations, within the 48 bytes an observation of issue 15).
pub(crate) const BYTES_PER_OBSERVATION: usize = 5;

/// What a kept entry's byte says: not kept (the leaf was not warmed for this reference), no value, or a value whose
/// other fields are `metas[byte - 2]`.
const NOT_KEPT: u8 = 0;
const NO_VALUE: u8 = 1;

/// The fields of an [`Aggregate`] other than its value; a leaf's series has few distinct ones (one source, complete
/// or not), so each entry names one by a byte.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Meta {
    sources: u64,
    provisional: bool,
    from_children: bool,
    partial_time: bool,
    partial_breakdown: bool,
    expected: u32,
    reported: u32,
}

impl Meta {
    fn of(value: &Aggregate) -> Meta {
        Meta {
            sources: value.sources,
            provisional: value.provisional,
            from_children: value.from_children,
            partial_time: value.partial_time,
            partial_breakdown: value.partial_breakdown,
            expected: value.expected,
            reported: value.reported,
        }
    }

    fn with(self, value: f64) -> Aggregate {
        Aggregate {
            value,
            sources: self.sources,
            provisional: self.provisional,
            from_children: self.from_children,
            partial_time: self.partial_time,
            partial_breakdown: self.partial_breakdown,
            expected: self.expected,
            reported: self.reported,
            // A leaf has no units below to tile with.
            tiled_by: None,
            partly_own: false,
            members_below: false,
            late_left_out: false,
            restated: false,
        }
    }
}

/// One reference's kept series: per leaf, one entry per period of [`LeafCache::periods`].
#[derive(Debug, Clone, Default)]
struct Kept {
    values: Vec<f64>,
    bytes: Vec<u8>,
    metas: Vec<Meta>,
}

/// The series of some references at the leaves warming computed, over the warmed periods.
#[derive(Debug, Clone, Default)]
pub(crate) struct LeafCache {
    /// The periods every kept series has an entry for, in order.
    periods: Vec<Period>,
    /// Per unit: its position among the leaves, or `u32::MAX` for a unit that is not a leaf.
    leaf_position: Vec<u32>,
    leaves: usize,
    /// Per reference index: its kept series, if the reference is kept.
    kept: Vec<Option<Kept>>,
}

impl LeafCache {
    /// An empty cache over `periods` keeping the references `keep` (indices into `refs` of the cube, `references`
    /// of them) at the leaves of `is_leaf` (per unit), with nothing recorded yet.
    pub(crate) fn new(periods: &[Period], is_leaf: &[bool], references: usize, keep: &[usize]) -> LeafCache {
        let mut leaves = 0;
        let leaf_position = is_leaf
            .iter()
            .map(|&leaf| {
                if leaf {
                    leaves += 1;
                    leaves as u32 - 1
                } else {
                    u32::MAX
                }
            })
            .collect();
        let mut kept = vec![None; references];
        for &r in keep {
            kept[r] = Some(Kept::default());
        }
        LeafCache { periods: periods.to_vec(), leaf_position, leaves, kept }
    }

    /// Whether reference `r` is kept.
    pub(crate) fn keeps(&self, r: usize) -> bool {
        self.kept.get(r).is_some_and(Option::is_some)
    }

    /// Records `series` (one entry per period of the cache) of reference `r` at leaf `unit`; a series whose fields
    /// take more than 254 distinct shapes for the reference is left unrecorded (then computed again when asked).
    pub(crate) fn record(&mut self, r: usize, unit: u32, series: &[Option<Aggregate>]) {
        let (leaves, width) = (self.leaves, self.periods.len());
        let Some(&position) = self.leaf_position.get(unit as usize) else { return };
        let Some(Some(kept)) = self.kept.get_mut(r) else { return };
        if position == u32::MAX || series.len() != width {
            return;
        }
        if kept.bytes.is_empty() {
            kept.values = vec![0.0; leaves * width];
            kept.bytes = vec![NOT_KEPT; leaves * width];
        }
        let start = position as usize * width;
        // The shape found last is tried first: a leaf's entries mostly share one (W2: one source, all complete).
        let mut last = 0;
        for (k, value) in series.iter().enumerate() {
            let byte = match value {
                None => NO_VALUE,
                Some(value) => {
                    let meta = Meta::of(value);
                    let found = if kept.metas.get(last) == Some(&meta) {
                        Some(last)
                    } else {
                        kept.metas.iter().position(|m| *m == meta)
                    };
                    let index = match found {
                        Some(index) => index,
                        None if kept.metas.len() < usize::from(u8::MAX - 1) => {
                            kept.metas.push(meta);
                            kept.metas.len() - 1
                        }
                        None => {
                            kept.bytes[start..start + width].fill(NOT_KEPT);
                            return;
                        }
                    };
                    kept.values[start + k] = value.value;
                    last = index;
                    index as u8 + 2
                }
            };
            kept.bytes[start + k] = byte;
        }
    }

    /// Takes in what `other` (a cache over the same periods and units, filled by another thread) recorded for the
    /// references this one has not.
    pub(crate) fn merge(&mut self, other: LeafCache) {
        for (mine, theirs) in self.kept.iter_mut().zip(other.kept) {
            if let (Some(mine), Some(theirs)) = (mine, theirs)
                && mine.bytes.is_empty()
            {
                *mine = theirs;
            }
        }
    }

    /// The kept series of reference `r` at `unit` over `periods`, if it was recorded and every one of `periods` is
    /// among the cache's (`positions` maps them: see [`LeafCache::positions`]).
    pub(crate) fn series(&self, r: usize, unit: u32, positions: &[usize]) -> Option<Vec<Option<Aggregate>>> {
        let kept = self.kept.get(r)?.as_ref()?;
        let position = *self.leaf_position.get(unit as usize)?;
        if position == u32::MAX || kept.bytes.is_empty() {
            return None;
        }
        let start = position as usize * self.periods.len();
        let bytes = &kept.bytes[start..start + self.periods.len()];
        if bytes.first().is_some_and(|&b| b == NOT_KEPT) {
            return None;
        }
        Some(
            positions
                .iter()
                .map(|&k| match bytes[k] {
                    NOT_KEPT | NO_VALUE => None,
                    byte => Some(kept.metas[usize::from(byte - 2)].with(kept.values[start + k])),
                })
                .collect(),
        )
    }

    /// The position among the cache's periods of each of `periods`, or `None` if one of them is not there.
    pub(crate) fn positions(&self, periods: &[Period]) -> Option<Vec<usize>> {
        if periods == self.periods.as_slice() {
            return Some((0..periods.len()).collect());
        }
        periods.iter().map(|p| self.periods.iter().position(|q| q == p)).collect()
    }

    /// Whether any reference's series were recorded (for tests: that the kept way is the one taken).
    #[cfg(test)]
    pub(crate) fn recorded(&self, r: usize) -> bool {
        self.kept.get(r).is_some_and(|kept| kept.as_ref().is_some_and(|kept| kept.bytes.iter().any(|&b| b != NOT_KEPT)))
    }

    /// The bytes the cache takes for `keep.len()` references at `leaves` leaves over `periods` periods.
    pub(crate) fn bytes_for(references: usize, leaves: usize, periods: usize) -> usize {
        references.saturating_mul(leaves).saturating_mul(periods).saturating_mul(9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(value: f64, sources: u64) -> Option<Aggregate> {
        Some(Aggregate { value, sources, expected: 1, reported: 1, ..Aggregate::ZERO })
    }

    #[test]
    fn a_recorded_series_reads_back_over_any_of_its_periods() {
        let periods: Vec<Period> =
            ["2021", "2021Q1", "2021-01", "2022"].iter().map(|t| Period::parse(t).unwrap()).collect();
        // Units 0 and 2 are leaves; reference 1 is kept, 0 is not.
        let mut cache = LeafCache::new(&periods, &[true, false, true], 2, &[1]);
        let series = vec![value(1.5, 1), None, value(-0.0, 2), value(7.0, 1)];
        cache.record(1, 2, &series);
        cache.record(0, 2, &series);
        cache.record(1, 1, &series);
        assert_eq!(cache.series(1, 2, &[0, 1, 2, 3]), Some(series.clone()));
        assert_eq!(
            cache.series(1, 2, &cache.positions(&[periods[3], periods[0]]).unwrap()),
            Some(vec![series[3], series[0]])
        );
        assert_eq!(cache.series(1, 2, &[2]).unwrap()[0].unwrap().value.to_bits(), (-0.0f64).to_bits());
        // Not recorded: another leaf, a unit that is not a leaf, a reference not kept, a period not warmed.
        assert_eq!(cache.series(1, 0, &[0]), None);
        assert_eq!(cache.series(1, 1, &[0]), None);
        assert_eq!(cache.series(0, 2, &[0]), None);
        assert_eq!(cache.positions(&[Period::parse("2023").unwrap()]), None);
    }

    #[test]
    fn a_series_of_too_many_shapes_is_not_kept() {
        let periods: Vec<Period> = (1..=12).map(|m| Period::Month(2021, m)).collect();
        let mut cache = LeafCache::new(&periods, &[true; 30], 1, &[0]);
        // 25 leaves of 12 distinct source masks each: 300 shapes, more than a byte names.
        for unit in 0..25u32 {
            let series: Vec<Option<Aggregate>> = (0..12).map(|m| value(1.0, u64::from(unit) * 12 + m + 1)).collect();
            cache.record(0, unit, &series);
            let kept = cache.series(0, unit, &(0..12).collect::<Vec<_>>());
            assert!(kept.is_none() || kept == Some(series), "unit {unit}");
        }
        assert!(cache.series(0, 0, &[0]).is_some());
        assert!(cache.series(0, 24, &[0]).is_none());
    }
}
