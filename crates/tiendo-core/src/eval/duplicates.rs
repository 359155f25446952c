//! Duplicate keys (E301) found while observations stream past, without keeping them: what `tiendo check` does
//! where `eval` builds the whole store and finds them while grouping.
//!
//! Two passes. The [`DuplicateScan`] keeps 5 bytes an observation: the top 52 bits of a 64-bit hash of its key
//! (data element, org unit, period, disaggregation; [`key_hash`], taken from the names, so that a reader can hash a
//! row's cells without a store), in 4,096 partitions by the hash's top 12 bits, which are therefore not stored; at
//! the end each partition goes through a table and the fingerprints seen twice are the candidates. Almost always
//! there are none, and the data are read once. Otherwise the caller reads the data again through a
//! [`DuplicateResolve`], which keeps the exact key and the place of only the observations whose fingerprint is a
//! candidate and reports exactly what [`crate::eval::store::duplicate_diagnostics`]
//! reports on the whole store: one E301 per repeat, pointing at the first row with that key, in input order. A
//! collision between different keys only costs the second pass; it is never reported ([`FINGERPRINT_BITS`] gives
//! how rare it is).

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
///
/// The parts are already mixed hashes, so each is multiplied by its own odd constant (a bijection, so no part's bits
/// are lost, and the four products are independent of each other: the multiplications run side by side) and the
/// products are mixed once: one row's hash is one chain of two multiplications after the first, not three mixes in
/// a row (`tiendo check` hashes every row). Swapping two parts' values changes the hash (different constants).
pub fn key_hash(element: u64, org_unit: u64, period: u64, combo: u64) -> u64 {
    mix(element.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ org_unit.wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
        ^ period.wrapping_mul(0x1656_67b1_9e37_79f9)
        ^ combo.wrapping_mul(0xd6e8_feb8_6659_fd93))
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

/// How many partitions the hashes are kept in: 2^[`PARTITION_BITS`], by the hash's top bits, which are therefore
/// implied by the partition and not stored.
const PARTITION_BITS: u32 = 12;
const PARTITIONS: usize = 1 << PARTITION_BITS;

/// How many bits of a key hash the first pass compares: the top 52 (12 implied by the partition, 40 stored in 5
/// bytes). Two different keys among `n` share them with probability about n² / 2^53: 0.011 at 10 M rows (so about
/// one 10 M-row check in 90 reads the files a second time for nothing), 0.0001 at 1 M rows.
pub const FINGERPRINT_BITS: u32 = PARTITION_BITS + 8 * STORED as u32;

/// The bytes stored per hash: the 40 bits under the partition's.
const STORED: usize = 5;

/// The part of a key hash the first pass compares ([`FINGERPRINT_BITS`] top bits).
pub fn fingerprint(hash: u64) -> u64 {
    hash >> (64 - FINGERPRINT_BITS)
}

/// How many hashes a block holds (640 bytes). Blocks are small so that the last, partly filled block of each of
/// the 4,096 partitions wastes little (about 1.3 MB in all), and are cut from segments of 2^[`SEGMENT_SHIFT`]
/// blocks (1.3 MB), so that nothing grows by doubling or copying.
const BLOCK: usize = 128;
const SEGMENT_SHIFT: u32 = 11;

/// The first pass: 5 bytes per observation, the top [`FINGERPRINT_BITS`] bits of its key hash ([`key_hash`]),
/// the top 12 of them implied by the partition it is kept in (W2, 10 M rows: 51 MB, where 8-byte hashes took 84 MB).
#[derive(Debug)]
pub struct DuplicateScan {
    /// The blocks, `block` hashes of [`STORED`] bytes each, cut in order from segments.
    segments: Vec<Box<[u8]>>,
    /// Per block, the block before it in its partition ([`NONE`] for the first).
    previous: Vec<u32>,
    /// Per partition, its last block ([`NONE`] while empty) and how many hashes that block holds.
    last: Vec<(u32, u32)>,
    /// How many hashes were absorbed.
    count: usize,
    /// [`BLOCK`]; smaller in tests, so that partitions of a few rows span blocks and segments.
    block: usize,
    /// [`SEGMENT_SHIFT`]; smaller in tests.
    segment_shift: u32,
}

/// No block.
const NONE: u32 = u32::MAX;

/// How many hashes ahead [`DuplicateScan::absorb_keys`] asks for the slot it will write (a few hundred cycles of
/// work, about a miss's latency).
const PREFETCH_AHEAD: usize = 16;

impl Default for DuplicateScan {
    fn default() -> Self {
        DuplicateScan {
            segments: Vec::new(),
            previous: Vec::new(),
            last: vec![(NONE, 0); PARTITIONS],
            count: 0,
            block: BLOCK,
            segment_shift: SEGMENT_SHIFT,
        }
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

    /// The bytes of block `index`.
    fn block_bytes(&mut self, index: u32) -> &mut [u8] {
        let (segment, within) =
            (index as usize >> self.segment_shift, index as usize & ((1 << self.segment_shift) - 1));
        let size = self.block * STORED;
        &mut self.segments[segment][within * size..(within + 1) * size]
    }

    /// A new block after `previous` in its partition.
    fn new_block(&mut self, previous: u32) -> u32 {
        let index = self.previous.len();
        if index & ((1 << self.segment_shift) - 1) == 0 {
            self.segments.push(vec![0; (self.block * STORED) << self.segment_shift].into_boxed_slice());
        }
        self.previous.push(previous);
        u32::try_from(index).expect("fewer than 2^32 blocks (2^39 rows)")
    }

    /// Takes the key hashes ([`key_hash`]) of observations, in input order: what `tiendo check`'s reader hands on
    /// without a store.
    ///
    /// Each hash is written to the open block of one of 4,096 partitions, a cache line the reading thread's copies
    /// of the file have mostly pushed out by then (`perf annotate`: most of this loop's time on those stores), so the
    /// slot of the hash [`PREFETCH_AHEAD`] places on is asked for first. A hint only: what is stored is the same.
    pub fn absorb_keys(&mut self, keys: &[u64]) {
        for (index, &hash) in keys.iter().enumerate() {
            if let Some(&ahead) = keys.get(index + PREFETCH_AHEAD) {
                self.prefetch_slot(ahead);
            }
            let partition = (hash >> (64 - PARTITION_BITS)) as usize;
            let (mut block, mut filled) = self.last[partition];
            if block == NONE || filled as usize == self.block {
                block = self.new_block(block);
                filled = 0;
            }
            // The 40 bits under the partition's, little-endian.
            let stored = (fingerprint(hash) & ((1 << (8 * STORED)) - 1)).to_le_bytes();
            let at = filled as usize * STORED;
            self.block_bytes(block)[at..at + STORED].copy_from_slice(&stored[..STORED]);
            self.last[partition] = (block, filled + 1);
        }
        self.count += keys.len();
    }

    /// Asks the processor for the cache line where [`Self::absorb_keys`] will write `hash` (unless its partition's
    /// block is full or missing: a new block is written at once anyway), and so for the partition's entry in `last`.
    fn prefetch_slot(&self, hash: u64) {
        let (block, filled) = self.last[(hash >> (64 - PARTITION_BITS)) as usize];
        if block == NONE || filled as usize == self.block {
            return;
        }
        let (segment, within) =
            (block as usize >> self.segment_shift, block as usize & ((1 << self.segment_shift) - 1));
        let at = (within * self.block + filled as usize) * STORED;
        if let Some(byte) = self.segments.get(segment).and_then(|bytes| bytes.get(at)) {
            crate::eval::leaf::prefetch(byte);
        }
    }

    /// How many observations were absorbed.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The fingerprints ([`fingerprint`]) seen more than once; empty when no key repeats. Each partition in turn
    /// goes into an open-addressing table twice its size (reused), so the memory is that of the hashes: one probe a
    /// hash where sorting the partitions cost a seventh of `check`'s CPU.
    pub fn candidates(mut self) -> Candidates {
        let mut found = HashSet::default();
        let mut table: Vec<u64> = Vec::new();
        let mut blocks = Vec::new();
        for partition in 0..PARTITIONS {
            let (mut block, filled) = self.last[partition];
            blocks.clear();
            let mut length = filled as usize;
            while block != NONE {
                blocks.push((block, length));
                block = self.previous[block as usize];
                length = self.block;
            }
            let size = (2 * blocks.iter().map(|&(_, length)| length).sum::<usize>()).next_power_of_two().max(16);
            table.clear();
            table.resize(size, 0);
            // 0 marks an empty slot; the stored value 0 itself is counted apart.
            let mut zero_seen = false;
            let high = (partition as u64) << (8 * STORED);
            for &(block, length) in &blocks {
                let bytes = self.block_bytes(block);
                for entry in bytes[..length * STORED].chunks_exact(STORED) {
                    let mut word = [0u8; 8];
                    word[..STORED].copy_from_slice(entry);
                    let stored = u64::from_le_bytes(word);
                    if stored == 0 {
                        if zero_seen {
                            found.insert(high);
                        }
                        zero_seen = true;
                        continue;
                    }
                    let mut slot = stored as usize & (size - 1);
                    loop {
                        match table[slot] {
                            0 => {
                                table[slot] = stored;
                                break;
                            }
                            seen if seen == stored => {
                                found.insert(high | stored);
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

/// The fingerprints ([`fingerprint`]) of keys that may repeat, from [`DuplicateScan::candidates`].
#[derive(Debug, Default)]
pub struct Candidates(HashSet<u64, BuildHasherDefault<FastHasher>>);

impl Candidates {
    /// Whether no key repeats: there is nothing to report and no second pass to make.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether an observation with key hash `hash` ([`key_hash`]) may repeat a key.
    pub fn may_repeat(&self, hash: u64) -> bool {
        self.0.contains(&fingerprint(hash))
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
            if self.candidates.may_repeat(hashes[index]) {
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

    /// The one-mix key hash keeps keys of a W2-like grid apart: 300,000 keys (5 elements, 500 units named as W2
    /// names communes, 60 months, the total and one disaggregation) have 300,000 distinct fingerprints, and
    /// swapping two parts' values gives another hash.
    #[test]
    fn key_hashes_of_a_grid_of_keys_have_distinct_fingerprints() {
        let elements: Vec<u64> = (0..5).map(|e| name_hash(&format!("element_{e}"))).collect();
        let units: Vec<u64> = (0..500).map(|u| name_hash(&format!("cx{u:06}"))).collect();
        let periods: Vec<u64> =
            (0..60).map(|m| period_hash(Period::Month(2021 + m / 12, (m % 12 + 1) as u8))).collect();
        let combos = [combo_hash(&[]), combo_hash(&[("sex".to_owned(), "female".to_owned())])];
        let mut prints = Vec::new();
        for &e in &elements {
            for &u in &units {
                for &p in &periods {
                    for &c in &combos {
                        prints.push(fingerprint(key_hash(e, u, p, c)));
                    }
                }
            }
        }
        let all = prints.len();
        prints.sort_unstable();
        prints.dedup();
        assert_eq!(prints.len(), all);
        let (a, b) = (units[1], units[2]);
        assert_ne!(key_hash(a, b, periods[0], combos[0]), key_hash(b, a, periods[0], combos[0]));
        assert_ne!(key_hash(elements[0], a, b, combos[0]), key_hash(elements[0], b, a, combos[0]));
        assert_ne!(key_hash(elements[0], a, periods[0], b), key_hash(elements[0], b, periods[0], a));
    }

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
        let mut scan = DuplicateScan { block: 1 + piece % 2, segment_shift: 1, ..DuplicateScan::new() };
        pieces().for_each(|mut part| scan.absorb(&mut part));
        assert_eq!(scan.len(), whole.len());
        let resolved = |candidates: Candidates| {
            let mut resolve = DuplicateResolve::new(candidates);
            pieces().for_each(|mut part| resolve.absorb(&mut part));
            resolve.diagnostics()
        };
        // Every row a candidate, as if every key's hash collided with another's: still exactly the repeats.
        let forced = resolved(Candidates(key_hashes(whole).into_iter().map(fingerprint).collect()));
        let candidates = scan.candidates();
        let found = if candidates.is_empty() { Vec::new() } else { resolved(candidates) };
        assert_eq!(forced, found, "every row a candidate");
        found
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

    /// A hash whose fingerprint is `fingerprint`, with `noise` in the bits below it (ignored by the first pass).
    fn with_fingerprint(fingerprint: u64, noise: u64) -> u64 {
        (fingerprint << (64 - FINGERPRINT_BITS)) | (noise & ((1 << (64 - FINGERPRINT_BITS)) - 1))
    }

    /// The candidates are exactly the fingerprints absorbed more than once: a stored part of 0, fingerprints that
    /// share a slot, and hashes that differ only under the fingerprint (a forced collision) included.
    #[test]
    fn candidates_are_the_fingerprints_seen_twice() {
        // Partition 3, stored part `low`.
        let partition = |low: u64| (3 << 40) | low;
        let fingerprints = [
            0,
            5,
            0,
            7,
            5,
            partition(16),
            partition(32),
            partition(16),
            partition(48),
            partition(0),
            partition(0),
            (1 << FINGERPRINT_BITS) - 1,
            9,
            1 << 40,
        ];
        let hashes: Vec<u64> =
            fingerprints.iter().enumerate().map(|(i, &f)| with_fingerprint(f, i as u64 * 0x155)).collect();
        for (block, segment_shift) in [(1, 0), (2, 1), (3, 2), (BLOCK, SEGMENT_SHIFT)] {
            let mut scan = DuplicateScan { block, segment_shift, ..DuplicateScan::new() };
            scan.absorb_keys(&hashes);
            assert_eq!(scan.len(), hashes.len());
            let mut found: Vec<u64> = scan.candidates().0.into_iter().collect();
            found.sort_unstable();
            assert_eq!(found, [0, 5, partition(0), partition(16)], "blocks of {block}");
        }
        // Hashes that differ in the top bits' last one are not candidates; those that differ only below are.
        let candidates = |hashes: &[u64]| {
            let mut scan = DuplicateScan::new();
            scan.absorb_keys(hashes);
            scan.candidates()
        };
        let hash = with_fingerprint(partition(77), 0);
        assert!(candidates(&[hash, hash ^ (1 << (64 - FINGERPRINT_BITS))]).is_empty());
        let forced = candidates(&[hash, hash | 0xfff]);
        assert!(forced.may_repeat(hash) && forced.may_repeat(hash | 1));
        assert!(!forced.may_repeat(hash ^ (1 << 63)));
    }

    proptest! {
        #[test]
        fn random_hashes_give_as_candidates_those_seen_twice(
            values in proptest::collection::vec((0u64..40, 0u64..3, any::<u64>()), 0..200),
        ) {
            // Few distinct fingerprints in three partitions, sharing slots, with random bits under them: every
            // probe path is taken, and a block of 3 in segments of 2 blocks.
            let fingerprints: Vec<u64> = values.iter().map(|&(low, partition, _)| (partition << 40) | low).collect();
            let hashes: Vec<u64> = values.iter().zip(&fingerprints).map(|(v, &f)| with_fingerprint(f, v.2)).collect();
            let mut scan = DuplicateScan { block: 3, segment_shift: 1, ..DuplicateScan::new() };
            scan.absorb_keys(&hashes);
            let mut found: Vec<u64> = scan.candidates().0.into_iter().collect();
            found.sort_unstable();
            let mut expected: Vec<u64> = fingerprints.clone();
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
