//! Duplicate keys (E301) found while observations stream past, without keeping them: what `tiendo check` does
//! where `eval` builds the whole store and finds them while grouping.
//!
//! Two passes. The [`DuplicateScan`] keeps 8 bytes an observation, a 64-bit hash of its key (data element, org
//! unit, period, disaggregation), in 256 partitions by the hash's top bits; at the end each partition is sorted and
//! the hashes seen twice are the candidates. Almost always there are none, and the data are read once. Otherwise
//! the caller reads the data again through a [`DuplicateResolve`], which keeps the exact key and the place of only
//! the observations whose hash is a candidate and reports exactly what [`crate::eval::store::duplicate_diagnostics`]
//! reports on the whole store: one E301 per repeat, pointing at the first row with that key, in input order. A hash
//! collision between different keys only costs the second pass; it is never reported.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use crate::diagnostic::Diagnostic;
use crate::eval::store::{FastHasher, Observation, ObservationStore, duplicate_diagnostic};

/// The key of an observation with the ids of one store, hashed to 64 well-mixed bits (two SplitMix64 rounds).
fn key_hash(o: &Observation) -> u64 {
    let mix = |mut x: u64| {
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    };
    let high = (u64::from(o.element) << 32) | u64::from(o.org_unit);
    let low = (u64::from(o.period) << 32) | u64::from(o.combo);
    mix(mix(high.wrapping_add(0x9e37_79b9_7f4a_7c15)) ^ low)
}

/// How many hashes a block of a partition holds (32 KiB). Partitions grow by whole blocks, not by doubling: a
/// doubled vector per partition held up to twice the hashes (W2: 134 MB of vectors for 80 MB of hashes).
const BLOCK: usize = 4096;

/// The first pass: one 64-bit hash per observation.
#[derive(Debug)]
pub struct DuplicateScan {
    /// Interners only: the ids every piece's names are mapped to.
    names: ObservationStore,
    /// Per partition, blocks of `block` hashes, the last one filling.
    partitions: Vec<Vec<Vec<u64>>>,
    /// [`BLOCK`]; smaller in tests, so that partitions of a few rows span blocks.
    block: usize,
}

impl Default for DuplicateScan {
    fn default() -> Self {
        DuplicateScan { names: ObservationStore::new(), partitions: vec![Vec::new(); 256], block: BLOCK }
    }
}

impl DuplicateScan {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the observations of `piece` (a store of one piece of a file, in input order), leaving it empty.
    pub fn absorb(&mut self, piece: &mut ObservationStore) {
        let maps = self.names.id_maps(piece);
        for observation in &piece.observations {
            let hash = key_hash(&maps.map(observation));
            let blocks = &mut self.partitions[(hash >> 56) as usize];
            match blocks.last_mut() {
                Some(block) if block.len() < self.block => block.push(hash),
                _ => {
                    let mut block = Vec::with_capacity(self.block);
                    block.push(hash);
                    blocks.push(block);
                }
            }
        }
        piece.clear_observations();
    }

    /// How many observations were absorbed.
    pub fn len(&self) -> usize {
        self.partitions.iter().flatten().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hashes seen more than once; empty when no key repeats. Each partition is sorted in turn, so the
    /// memory is that of the hashes.
    pub fn candidates(mut self) -> Candidates {
        let mut found = HashSet::default();
        for blocks in &mut self.partitions {
            let mut partition: Vec<u64> = Vec::with_capacity(blocks.iter().map(Vec::len).sum());
            for block in std::mem::take(blocks) {
                partition.extend_from_slice(&block);
            }
            partition.sort_unstable();
            for pair in partition.windows(2) {
                if pair[0] == pair[1] {
                    found.insert(pair[0]);
                }
            }
        }
        Candidates(found)
    }
}

/// The hashes of keys that may repeat, from [`DuplicateScan::candidates`].
#[derive(Debug, Default)]
pub struct Candidates(HashSet<u64, BuildHasherDefault<FastHasher>>);

impl Candidates {
    /// Whether no key repeats: there is nothing to report and no second pass to make.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The second pass: the exact key and place of the observations whose hash is a candidate.
#[derive(Debug)]
pub struct DuplicateResolve {
    names: ObservationStore,
    candidates: Candidates,
    /// (element, org unit, period, combo) with this pass's ids, file index and row, in input order.
    seen: Vec<([u32; 4], u16, u32)>,
}

impl DuplicateResolve {
    pub fn new(candidates: Candidates) -> Self {
        DuplicateResolve { names: ObservationStore::new(), candidates, seen: Vec::new() }
    }

    /// Takes the observations of `piece`, as [`DuplicateScan::absorb`] does; the pieces must come in the same
    /// order as in the first pass.
    pub fn absorb(&mut self, piece: &mut ObservationStore) {
        let maps = self.names.id_maps(piece);
        for (index, observation) in piece.observations.iter().enumerate() {
            let o = maps.map(observation);
            if self.candidates.0.contains(&key_hash(&o)) {
                let place = piece.place(index);
                self.seen.push(([o.element, o.org_unit, o.period, o.combo], maps.file(place.file), place.row));
            }
        }
        piece.clear_observations();
    }

    /// One E301 per observation that repeats the key of an earlier one, pointing at the first, in input order.
    pub fn diagnostics(self) -> Vec<Diagnostic> {
        let mut order: Vec<usize> = (0..self.seen.len()).collect();
        // Stable: equal keys keep input order, so the first of each run is the first row with that key.
        order.sort_by_key(|&i| self.seen[i].0);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut first = None;
        for (position, &i) in order.iter().enumerate() {
            match first {
                Some(f) if position > 0 && self.seen[order[position - 1]].0 == self.seen[i].0 => pairs.push((f, i)),
                _ => first = Some(i),
            }
        }
        pairs.sort_by_key(|&(_, duplicate)| duplicate);
        let place = |i: usize| {
            let (_, file, row) = self.seen[i];
            (self.names.files.get(file as usize).cloned().unwrap_or_default(), row)
        };
        pairs.into_iter().map(|(first, duplicate)| duplicate_diagnostic(place(first), place(duplicate))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::store::{NewObservation, ObservationStatus, Place, duplicate_diagnostics};
    use crate::period::Period;
    use proptest::prelude::*;

    /// A store of rows (element, unit, year, combo flag) in one or two files.
    fn store(rows: &[(u8, u8, u8, bool, bool)]) -> ObservationStore {
        let mut store = ObservationStore::new();
        for (row, &(element, unit, year, female, second_file)) in rows.iter().enumerate() {
            let file = store.add_file(if second_file { "b.csv" } else { "a.csv" });
            let (element, unit) = (format!("e{element}"), format!("u{unit}"));
            let pairs = [("sex", "female")];
            store.push(&NewObservation {
                element: &element,
                org_unit: &unit,
                period: Period::Year(2020 + i32::from(year)),
                disaggregation: if female { &pairs } else { &[] },
                value: 1.0,
                source: "s",
                status: ObservationStatus::Final,
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        store
    }

    /// Both passes over `store` cut into pieces of `piece` observations, each piece with ids of its own.
    fn streamed(whole: &ObservationStore, piece: usize) -> Vec<Diagnostic> {
        let places: Vec<(Observation, Place)> =
            whole.observations.iter().enumerate().map(|(index, o)| (*o, whole.place(index))).collect();
        let pieces = || {
            places.chunks(piece.max(1)).map(|chunk| {
                let mut part = ObservationStore::new();
                for (o, place) in chunk {
                    let combo = whole.combos[o.combo as usize].clone();
                    let pairs: Vec<(&str, &str)> = combo.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
                    let file = part.add_file(&whole.files[place.file as usize]);
                    part.push(&NewObservation {
                        element: whole.elements.name(o.element),
                        org_unit: whole.org_units.name(o.org_unit),
                        period: whole.periods[o.period as usize],
                        disaggregation: &pairs,
                        value: o.value,
                        source: whole.sources.name(place.source),
                        status: place.status,
                        note: None,
                        submitted: None,
                        file,
                        row: place.row,
                    });
                }
                part
            })
        };
        // Blocks of one or two hashes: duplicates in different blocks of a partition are found as in one.
        let mut scan = DuplicateScan { block: 1 + piece % 2, ..DuplicateScan::new() };
        pieces().for_each(|mut part| scan.absorb(&mut part));
        assert_eq!(scan.len(), whole.len());
        let candidates = scan.candidates();
        if candidates.is_empty() {
            return Vec::new();
        }
        let mut resolve = DuplicateResolve::new(candidates);
        pieces().for_each(|mut part| resolve.absorb(&mut part));
        resolve.diagnostics()
    }

    #[test]
    fn the_same_findings_as_the_whole_store() {
        let rows = [
            (1, 1, 1, false, false),
            (1, 1, 1, true, false),
            (1, 1, 1, false, false),
            (2, 1, 1, false, false),
            (1, 1, 1, false, true),
            (1, 2, 1, false, true),
            (2, 1, 1, false, true),
        ];
        let whole = store(&rows);
        let expected = duplicate_diagnostics(&whole);
        assert_eq!(expected.len(), 3);
        assert!(expected[0].message.ends_with("a.csv:2"), "{}", expected[0].message);
        for piece in 1..=rows.len() {
            assert_eq!(streamed(&whole, piece), expected, "pieces of {piece}");
        }
        assert!(streamed(&store(&rows[..2]), 1).is_empty());
    }

    proptest! {
        #[test]
        fn streaming_finds_what_grouping_finds(
            rows in proptest::collection::vec((0u8..3, 0u8..4, 0u8..3, any::<bool>(), any::<bool>()), 0..60),
            piece in 1usize..8,
        ) {
            let whole = store(&rows);
            prop_assert_eq!(streamed(&whole, piece), duplicate_diagnostics(&whole));
        }
    }
}
