//! Duplicate keys (E301) found while observations stream past, without keeping them: what `tiendo check` does
//! where `eval` builds the whole store and finds them while grouping.
//!
//! Two passes. The [`DuplicateScan`] keeps 8 bytes an observation, a 64-bit hash of its key (data element, org
//! unit, period, disaggregation; [`key_hash`], taken from the names, so that a reader can hash a row's cells without
//! a store), in 256 partitions by the hash's top bits; at the end each partition is sorted and the hashes seen twice
//! are the candidates. Almost always there are none, and the data are read once. Otherwise
//! the caller reads the data again through a [`DuplicateResolve`], which keeps the exact key and the place of only
//! the observations whose hash is a candidate and reports exactly what [`crate::eval::store::duplicate_diagnostics`]
//! reports on the whole store: one E301 per repeat, pointing at the first row with that key, in input order. A hash
//! collision between different keys only costs the second pass; it is never reported.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use crate::diagnostic::Diagnostic;
use crate::eval::store::{FastHasher, ObservationStore, duplicate_diagnostic};
use crate::period::Period;

/// SplitMix64's finalizer: every input bit moves about half of the output bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hash of a data element or org unit id, as a key part ([`key_hash`]).
pub fn name_hash(name: &str) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(name.as_bytes());
    // The length too, so that names that differ only in trailing zero bytes differ.
    hasher.write_u64(name.len() as u64);
    mix(hasher.finish())
}

/// The hash of a period, as a key part: of the period itself, so that two ways of writing one period are one key.
pub fn period_hash(period: Period) -> u64 {
    let mut hasher = FastHasher::default();
    period.hash(&mut hasher);
    mix(hasher.finish())
}

/// The hash of a disaggregation as the store keeps it (sorted (category, option) pairs; none for the total), as a
/// key part.
pub fn combo_hash(pairs: &[(String, String)]) -> u64 {
    pairs.iter().fold(mix(pairs.len() as u64), |hash, (category, option)| {
        mix(hash ^ name_hash(category)).wrapping_add(name_hash(option))
    })
}

/// The 64-bit hash of an observation's key from the hashes of its parts: data element and org unit
/// ([`name_hash`]), period ([`period_hash`]) and disaggregation ([`combo_hash`]). Taken from names, not a store's
/// ids, so that `tiendo check` can hash a row's key from its cells without interning them anywhere, and a store's
/// observations ([`key_hashes`]) hash the same.
pub fn key_hash(element: u64, org_unit: u64, period: u64, combo: u64) -> u64 {
    mix(mix(mix(element ^ 0x9e37_79b9_7f4a_7c15).wrapping_add(org_unit) ^ period).wrapping_add(combo))
}

/// The key hash ([`key_hash`]) of each observation of `store`, in order; each name is hashed once.
pub fn key_hashes(store: &ObservationStore) -> Vec<u64> {
    let names = |interner: &crate::eval::store::Interner| -> Vec<u64> {
        interner.names().iter().map(|name| name_hash(name)).collect()
    };
    let (elements, units) = (names(&store.elements), names(&store.org_units));
    let periods: Vec<u64> = store.periods.iter().map(|&period| period_hash(period)).collect();
    let combos: Vec<u64> = store.combos.iter().map(|pairs| combo_hash(pairs)).collect();
    store
        .observations
        .iter()
        .map(|o| {
            key_hash(
                elements[o.element as usize],
                units[o.org_unit as usize],
                periods[o.period as usize],
                combos[o.combo as usize],
            )
        })
        .collect()
}

/// How many hashes a block of a partition holds (32 KiB). Partitions grow by whole blocks, not by doubling: a
/// doubled vector per partition held up to twice the hashes (W2: 134 MB of vectors for 80 MB of hashes).
const BLOCK: usize = 4096;

/// The first pass: one 64-bit hash per observation.
#[derive(Debug)]
pub struct DuplicateScan {
    /// Per partition, blocks of `block` hashes, the last one filling.
    partitions: Vec<Vec<Vec<u64>>>,
    /// [`BLOCK`]; smaller in tests, so that partitions of a few rows span blocks.
    block: usize,
}

impl Default for DuplicateScan {
    fn default() -> Self {
        DuplicateScan { partitions: vec![Vec::new(); 256], block: BLOCK }
    }
}

impl DuplicateScan {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the observations of `piece` (a store of one piece of a file, in input order), leaving it empty.
    pub fn absorb(&mut self, piece: &mut ObservationStore) {
        self.absorb_keys(&key_hashes(piece));
        piece.clear_observations();
    }

    /// Takes the key hashes ([`key_hash`]) of observations, in input order: what `tiendo check`'s reader hands on
    /// without a store.
    pub fn absorb_keys(&mut self, keys: &[u64]) {
        for &hash in keys {
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
    }

    /// How many observations were absorbed.
    pub fn len(&self) -> usize {
        self.partitions.iter().flatten().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hashes seen more than once; empty when no key repeats. Each partition in turn goes into an open-addressing
    /// table twice its size (reused; its blocks are freed as they are read), so the memory is that of the hashes:
    /// one probe a hash where sorting the partition (W2: 39,000 hashes each) cost a seventh of `check`'s CPU.
    pub fn candidates(mut self) -> Candidates {
        let mut found = HashSet::default();
        let mut table: Vec<u64> = Vec::new();
        for blocks in &mut self.partitions {
            let size = (2 * blocks.iter().map(Vec::len).sum::<usize>()).next_power_of_two().max(16);
            table.clear();
            table.resize(size, 0);
            // 0 marks an empty slot; the hash 0 itself is counted apart.
            let mut zero_seen = false;
            for block in std::mem::take(blocks) {
                for hash in block {
                    if hash == 0 {
                        if zero_seen {
                            found.insert(0);
                        }
                        zero_seen = true;
                        continue;
                    }
                    // The low bits: the top ones are the partition's.
                    let mut slot = hash as usize & (size - 1);
                    loop {
                        match table[slot] {
                            0 => {
                                table[slot] = hash;
                                break;
                            }
                            seen if seen == hash => {
                                found.insert(hash);
                                break;
                            }
                            _ => slot = (slot + 1) & (size - 1),
                        }
                    }
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
        let hashes = key_hashes(piece);
        for (index, observation) in piece.observations.iter().enumerate() {
            if self.candidates.0.contains(&hashes[index]) {
                let o = maps.map(observation);
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
    use crate::eval::store::{NewObservation, Observation, ObservationStatus, Place, duplicate_diagnostics};
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

    /// The candidates are exactly the hashes absorbed more than once, 0 and hashes that share a slot included.
    #[test]
    fn candidates_are_the_hashes_seen_twice() {
        let partition = |top: u64| top << 56;
        let hashes = [
            0,
            5,
            0,
            7,
            5,
            partition(3) | 16,
            partition(3) | 32,
            partition(3) | 16,
            partition(3) | 48,
            partition(3),
            partition(3),
            u64::MAX,
            9,
        ];
        for block in [1, 2, 4096] {
            let mut scan = DuplicateScan { block, ..DuplicateScan::new() };
            scan.absorb_keys(&hashes);
            assert_eq!(scan.len(), hashes.len());
            let mut found: Vec<u64> = scan.candidates().0.into_iter().collect();
            found.sort_unstable();
            assert_eq!(found, [0, 5, partition(3), partition(3) | 16], "blocks of {block}");
        }
    }

    proptest! {
        #[test]
        fn random_hashes_give_as_candidates_those_seen_twice(hashes in proptest::collection::vec(0u64..40, 0..200)) {
            // Few distinct values, all in partition 0 and sharing slots: every probe path is taken.
            let mut scan = DuplicateScan { block: 3, ..DuplicateScan::new() };
            scan.absorb_keys(&hashes);
            let mut found: Vec<u64> = scan.candidates().0.into_iter().collect();
            found.sort_unstable();
            let mut expected: Vec<u64> = hashes.clone();
            expected.sort_unstable();
            let mut twice: Vec<u64> = expected.windows(2).filter(|pair| pair[0] == pair[1]).map(|pair| pair[0]).collect();
            twice.dedup();
            prop_assert_eq!(found, twice);
        }

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
