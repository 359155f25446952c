//! Grouping observations by (data element, org unit) in time order, once per evaluation: the first stage a value
//! passes through (ARCHITECTURE.md, code map of `eval`, lists the stages in order).

use crate::eval::store::{FastMap, Observation, ObservationStatus, ObservationStore};

/// The observations of one store grouped by (data element, org unit), each group in time order and then by
/// disaggregation combination, without duplicates; see [`group_observations`].
#[derive(Debug)]
pub struct Grouped {
    /// What evaluation reads of each kept observation, group after group.
    pub entries: Vec<Entry>,
    /// Per data element, per period (`element * periods + period`): whether the element has any observation in
    /// that period.
    pub element_periods: Vec<bool>,
    /// (data element, org unit, start, end) of each group's range in `entries`, in (element, org unit) order.
    pub groups: Vec<(u32, u32, usize, usize)>,
    /// The pairs (first, duplicate) of observation indices that share data element, org unit, period and
    /// disaggregation, in the order the duplicates appear; the duplicates are not in `entries`.
    pub duplicates: Vec<(usize, usize)>,
}

/// How observations are numbered into groups: densely by `element * units + unit` when that table is small
/// against the number of observations, else through a map of the pairs that occur.
enum GroupIds {
    Dense { units: usize },
    Sparse { ids: FastMap<(u32, u32), u32>, pairs: Vec<(u32, u32)> },
}

impl GroupIds {
    fn new(store: &ObservationStore) -> GroupIds {
        let units = store.org_units.len().max(1);
        let table = store.elements.len().saturating_mul(units);
        if table <= (2 * store.observations.len()).max(1 << 16) {
            return GroupIds::Dense { units };
        }
        let mut pairs: Vec<(u32, u32)> = store.observations.iter().map(|o| (o.element, o.org_unit)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let ids = pairs.iter().enumerate().map(|(id, &pair)| (pair, id as u32)).collect();
        GroupIds::Sparse { ids, pairs }
    }

    fn len(&self, store: &ObservationStore) -> usize {
        match self {
            GroupIds::Dense { units } => store.elements.len() * units,
            GroupIds::Sparse { pairs, .. } => pairs.len(),
        }
    }

    fn id(&self, observation: &Observation) -> usize {
        match self {
            GroupIds::Dense { units } => observation.element as usize * units + observation.org_unit as usize,
            GroupIds::Sparse { ids, .. } => ids[&(observation.element, observation.org_unit)] as usize,
        }
    }

    fn pair(&self, id: usize) -> (u32, u32) {
        match self {
            GroupIds::Dense { units } => ((id / units) as u32, (id % units) as u32),
            GroupIds::Sparse { pairs, .. } => pairs[id],
        }
    }
}

/// Groups the observations of `store` by (data element, org unit) with a counting sort: one pass counts each
/// group, one pass moves every observation's [`Entry`] to its group's next free place (in input order, so the
/// first of equal keys stays first), then each group, tens of entries, is put in time order, which data entered
/// period after period already is. Where a sort of all the keys followed by reading the store in key order missed
/// the cache on almost every observation, both passes here read the store from start to end.
/// With `threads` above 1 and enough observations, the groups are cut into two ranges of about equal size, each
/// moved and ordered by its own thread into its own part of the entries.
pub fn group_observations(store: &ObservationStore, threads: usize) -> Grouped {
    group_observations_from(store, threads, 1 << 16)
}

/// [`group_observations`], in parallel from `parallel_from` observations on.
fn group_observations_from(store: &ObservationStore, threads: usize, parallel_from: usize) -> Grouped {
    let mut ranks: Vec<u32> = vec![0; store.periods.len()];
    let mut by_time: Vec<usize> = (0..store.periods.len()).collect();
    by_time.sort_by(|a, b| store.periods[*a].cmp(&store.periods[*b]));
    for (rank, &index) in by_time.iter().enumerate() {
        ranks[index] = rank as u32;
    }
    let ids = GroupIds::new(store);
    let mut bounds: Vec<u32> = vec![0; ids.len(store) + 1];
    for observation in &store.observations {
        bounds[ids.id(observation) + 1] += 1;
    }
    for id in 1..bounds.len() {
        bounds[id] += bounds[id - 1];
    }
    let shared = GroupingInput { store, ids: &ids, ranks: &ranks, bounds: &bounds };
    let mut entries = vec![Entry::default(); store.observations.len()];
    let groups = bounds.len() - 1;
    // Two parts of about equal size, each a range of whole groups, so that each thread owns its part of `entries`.
    let split = if threads > 1 && entries.len() >= parallel_from.max(1) {
        bounds.partition_point(|&b| (b as usize) < entries.len() / 2).min(groups)
    } else {
        groups
    };
    let (first_entries, second_entries) = entries.split_at_mut(bounds[split] as usize);
    let (first, second) = if split < groups {
        std::thread::scope(|scope| {
            let shared = &shared;
            let second = scope.spawn(move || shared.part(split..groups, second_entries));
            let first = shared.part(0..split, first_entries);
            (first, Some(second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
        })
    } else {
        (shared.part(0..groups, first_entries), None)
    };
    let Part { kept, mut groups, mut duplicates, mut element_periods } = first;
    let mut total = kept;
    if let Some(second) = second {
        // Close the gap the first part's duplicates left, then append the second part's groups after the first's.
        let from = bounds[split] as usize;
        entries.copy_within(from..from + second.kept, kept);
        total += second.kept;
        groups.extend(second.groups.into_iter().map(|(e, u, start, end)| (e, u, start + kept, end + kept)));
        duplicates.extend(second.duplicates);
        for (seen, other) in element_periods.iter_mut().zip(second.element_periods) {
            *seen |= other;
        }
    }
    if total < entries.len() {
        entries.truncate(total);
        entries.shrink_to_fit();
    }
    duplicates.sort_by_key(|&(_, d)| d);
    Grouped { entries, element_periods, groups, duplicates }
}

/// What both threads of [`group_observations`] read.
struct GroupingInput<'a> {
    store: &'a ObservationStore,
    ids: &'a GroupIds,
    /// Per period: its rank in time order.
    ranks: &'a [u32],
    /// Per group id: where its entries start, as if none were dropped (and one more for the end).
    bounds: &'a [u32],
}

/// One thread's share of [`Grouped`], with positions relative to the start of its part.
struct Part {
    /// How many entries were kept, at the start of the part.
    kept: usize,
    groups: Vec<(u32, u32, usize, usize)>,
    duplicates: Vec<(usize, usize)>,
    element_periods: Vec<bool>,
}

impl GroupingInput<'_> {
    /// Moves the entries of the groups `range` into `entries` (exactly their room), orders each group in time and
    /// drops duplicates, keeping what is left at the start of `entries`.
    fn part(&self, range: std::ops::Range<usize>, entries: &mut [Entry]) -> Part {
        let base = self.bounds[range.start];
        let mut next: Vec<u32> = self.bounds[range.start..range.end].iter().map(|b| b - base).collect();
        let tags = self.store.sources_and_statuses();
        for (index, (observation, (source, status))) in self.store.observations.iter().zip(tags).enumerate() {
            let id = self.ids.id(observation);
            if !range.contains(&id) {
                continue;
            }
            let slot = &mut next[id - range.start];
            entries[*slot as usize] = Entry {
                value: observation.value,
                period: observation.period,
                combo: observation.combo,
                index: index as u32,
                source_bit: source.min(63) as u8,
                provisional: status == ObservationStatus::Provisional,
            };
            *slot += 1;
        }
        drop(next);
        let ranks = self.ranks;
        let key = |entry: &Entry| (ranks[entry.period as usize], entry.combo);
        let periods = self.store.periods.len();
        let mut part = Part {
            kept: 0,
            groups: Vec::new(),
            duplicates: Vec::new(),
            element_periods: vec![false; self.store.elements.len() * periods],
        };
        let mut kept = 0;
        for id in range {
            let (start, end) = ((self.bounds[id] - base) as usize, (self.bounds[id + 1] - base) as usize);
            if start == end {
                continue;
            }
            let slice = &mut entries[start..end];
            if !slice.is_sorted_by_key(key) {
                // Stable: equal keys keep input order.
                slice.sort_by_key(key);
            }
            let group_start = kept;
            let (element, unit) = self.ids.pair(id);
            let seen = &mut part.element_periods[element as usize * periods..(element as usize + 1) * periods];
            for position in start..end {
                let entry = entries[position];
                if kept > group_start && key(&entries[kept - 1]) == key(&entry) {
                    part.duplicates.push((entries[kept - 1].index as usize, entry.index as usize));
                } else {
                    entries[kept] = entry;
                    seen[entry.period as usize] = true;
                    kept += 1;
                }
            }
            part.groups.push((element, unit, group_start, kept));
        }
        part.kept = kept;
        part
    }
}

/// What evaluation reads of one observation (24 bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Entry {
    pub value: f64,
    /// Index into the store's periods.
    pub period: u32,
    /// Index into the store's disaggregation combinations.
    pub combo: u32,
    /// Index of the observation in the store.
    pub index: u32,
    /// The source's bit in a [`SourceMask`]: the source index, capped at 63.
    pub source_bit: u8,
    pub provisional: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::test_support::numbers;
    use crate::period::Period;

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    /// A store of `n` observations drawn from `elements` x `units` x a mix of period types and two
    /// combinations, in a scrambled order and with repeated keys.
    fn scrambled_store(n: usize, elements: usize, units: usize, seed: u64) -> ObservationStore {
        use crate::eval::store::{NewObservation, ObservationStatus};
        let periods = ["2021", "2021S2", "2021Q3", "2021-02", "2022-01", "2022Q1", "2020", "2021-12"];
        let mut next = numbers(seed);
        let mut store = ObservationStore::new();
        let file = store.add_file("t.csv");
        for row in 0..n {
            let (element, unit) = (format!("e{}", next(elements)), format!("u{}", next(units)));
            let combo: &[(&str, &str)] = if next(3) == 0 { &[("sex", "female")] } else { &[] };
            store.push(&NewObservation {
                element: &element,
                org_unit: &unit,
                period: p(periods[next(periods.len())]),
                disaggregation: combo,
                value: row as f64,
                source: if next(2) == 0 { "a" } else { "b" },
                status: if next(5) == 0 { ObservationStatus::Provisional } else { ObservationStatus::Final },
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        store
    }

    #[test]
    fn grouping_matches_a_sort_of_all_keys() {
        // Dense group numbering (few pairs) and sparse (about 17,000 units x 5 elements for 20,000 observations).
        for (n, elements, units, seed) in
            [(0, 1, 1, 1), (1, 1, 1, 2), (500, 3, 7, 3), (2000, 2, 40, 4), (20_000, 5, 1_000_000, 5)]
        {
            let store = scrambled_store(n, elements, units, seed);
            let grouped = group_observations_from(&store, 1, 0);
            let parallel = group_observations_from(&store, 2, 0);
            assert_eq!(parallel.entries, grouped.entries);
            assert_eq!(parallel.element_periods, grouped.element_periods);
            assert_eq!(parallel.groups, grouped.groups);
            assert_eq!(parallel.duplicates, grouped.duplicates);
            // The reference: every index sorted by (element, org unit, period, combination, input order).
            let mut order: Vec<usize> = (0..store.len()).collect();
            let key = |i: &usize| {
                let o = &store.observations[*i];
                (o.element, o.org_unit, store.periods[o.period as usize], o.combo)
            };
            order.sort_by_key(|i| (key(i), *i));
            let mut kept: Vec<usize> = Vec::new();
            let mut duplicates = Vec::new();
            for i in order {
                match kept.last() {
                    Some(&last) if key(&last) == key(&i) => {
                        let first = *kept.iter().rev().find(|&&k| key(&k) == key(&i)).unwrap();
                        duplicates.push((first, i));
                    }
                    _ => kept.push(i),
                }
            }
            duplicates.sort_by_key(|&(_, d)| d);
            let indices: Vec<usize> = grouped.entries.iter().map(|e| e.index as usize).collect();
            assert_eq!(indices, kept, "n = {n}, units = {units}");
            assert_eq!(grouped.duplicates, duplicates, "n = {n}, units = {units}");
            for entry in &grouped.entries {
                let o = &store.observations[entry.index as usize];
                assert_eq!((entry.value, entry.period, entry.combo), (o.value, o.period, o.combo));
                let place = store.place(entry.index as usize);
                assert_eq!(entry.provisional, place.status == ObservationStatus::Provisional);
                assert_eq!(entry.source_bit as u32, place.source);
            }
            let periods = store.periods.len();
            let mut seen = vec![false; store.elements.len() * periods];
            for o in &store.observations {
                seen[o.element as usize * periods + o.period as usize] = true;
            }
            assert_eq!(grouped.element_periods, seen);
            // Groups tile the entries in (element, org unit) order.
            let mut position = 0;
            for window in grouped.groups.windows(2) {
                assert!((window[0].0, window[0].1) < (window[1].0, window[1].1));
            }
            for &(element, unit, start, end) in &grouped.groups {
                assert_eq!(start, position);
                assert!(end > start);
                for entry in &grouped.entries[start..end] {
                    let o = &store.observations[entry.index as usize];
                    assert_eq!((o.element, o.org_unit), (element, unit));
                }
                position = end;
            }
            assert_eq!(position, grouped.entries.len());
        }
    }
}
