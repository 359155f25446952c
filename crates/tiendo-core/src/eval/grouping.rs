//! Grouping observations by (data element, org unit) in time order, once per evaluation: the first stage a value
//! passes through (ARCHITECTURE.md, code map of `eval`, lists the stages in order). The store itself is put in
//! group order, in place ([`ObservationStore::group`]): evaluation reads the observations where they are, not a
//! copy of them (24 bytes an observation at the peak, issue 15).

use crate::eval::store::{FastMap, Observation, ObservationStatus, ObservationStore};

/// What grouping leaves in a store: its observations `0..kept` are grouped by (data element, org unit), the groups
/// laid out in (org unit, data element) order (see [`GroupIds`]), each group in time order and then by
/// disaggregation combination, without duplicates; the duplicates follow, in input order.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    /// How many observations, from the first, are grouped (all but the duplicates).
    pub kept: usize,
    /// Per grouped observation: its source's bit and its status.
    pub tags: Vec<Tag>,
    /// The tag every grouped observation has, when they all have the same one (one source, one status: W2 and most
    /// single-file projects). A leaf's sum then reads no tag ([`crate::eval::breakdown::period_cell`]); `tags` is
    /// kept whole for every other reader.
    pub uniform_tag: Option<Tag>,
    /// Per data element, per period (`element * periods + period`): whether the element has any observation in
    /// that period.
    pub element_periods: Vec<bool>,
    /// (data element, org unit, start, end) of each group's positions, listed in (element, org unit) order (their
    /// positions are in (org unit, element) order).
    pub groups: Vec<(u32, u32, usize, usize)>,
    /// The pairs (first, duplicate) of positions of observations that share data element, org unit, period and
    /// disaggregation, in the input order of the duplicates; the first is the one first in input order.
    pub duplicates: Vec<(usize, usize)>,
}

/// What evaluation reads of an observation's source and status, in one byte: the source's bit in a
/// [`crate::eval::aggregate::SourceMask`] (the source index, capped at 63) and whether it is provisional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tag(u8);

impl Tag {
    pub fn new(source: u32, status: ObservationStatus) -> Tag {
        Tag(source.min(63) as u8 | if status == ObservationStatus::Provisional { 0x80 } else { 0 })
    }

    /// The source index, capped at 63.
    pub fn source_bit(self) -> u32 {
        u32::from(self.0 & 63)
    }

    pub fn provisional(self) -> bool {
        self.0 & 0x80 != 0
    }
}

/// How observations are numbered into groups: densely by `unit * elements + element` when that table is small
/// against the number of observations, else through a map of the pairs that occur, in (org unit, element) order.
///
/// Org unit first: a data file lists a unit's rows together (W2: a commune's months and elements), so with this
/// numbering its observations are already in their part of the store, and the first pass of [`group_in_place`]
/// reads them in order without moving one (numbered by element first, every row moved, waiting for memory each
/// time: a third of the grouping's CPU, docs/performance-log.md round 6).
enum GroupIds {
    Dense { elements: usize },
    Sparse { ids: FastMap<(u32, u32), u32>, pairs: Vec<(u32, u32)> },
}

impl GroupIds {
    fn new(store: &ObservationStore) -> GroupIds {
        let elements = store.elements.len().max(1);
        let table = store.org_units.len().saturating_mul(elements);
        if table <= (2 * store.observations.len()).max(1 << 16) {
            return GroupIds::Dense { elements };
        }
        let mut pairs: Vec<(u32, u32)> = store.observations.iter().map(|o| (o.org_unit, o.element)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let ids = pairs.iter().enumerate().map(|(id, &pair)| (pair, id as u32)).collect();
        GroupIds::Sparse { ids, pairs }
    }

    fn len(&self, store: &ObservationStore) -> usize {
        match self {
            GroupIds::Dense { elements } => store.org_units.len() * elements,
            GroupIds::Sparse { pairs, .. } => pairs.len(),
        }
    }

    fn id(&self, observation: &Observation) -> usize {
        match self {
            GroupIds::Dense { elements } => observation.org_unit as usize * elements + observation.element as usize,
            GroupIds::Sparse { ids, .. } => ids[&(observation.org_unit, observation.element)] as usize,
        }
    }

    /// The (element, org unit) of group `id`.
    fn pair(&self, id: usize) -> (u32, u32) {
        match self {
            GroupIds::Dense { elements } => ((id % elements) as u32, (id / elements) as u32),
            GroupIds::Sparse { pairs, .. } => (pairs[id].1, pairs[id].0),
        }
    }
}

/// Into how many buckets of consecutive groups each flag pass moves observations: few enough that the hardware
/// follows every bucket's stream of reads and writes (with 256, waiting for memory was two thirds of the pass).
const FANOUT: usize = 16;

/// Sizes at which [`group_in_place`] changes its way; tests make them tiny so that every way is taken.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// From how many observations two threads share the work.
    pub(crate) parallel_from: usize,
    /// Up to how many observations a part is finished by a counting sort through a copy ([`Shared::finish`])
    /// rather than split further: the copy is at most this many observations (1.9 MB, within the core's cache) per
    /// thread. With groups numbered by unit first, a file's rows are already in their buckets, so a further split is
    /// a pass of reads; 2^20 (29 MB a copy, its table of counts 2.5 MB) took an eighth more CPU on W2 (round 6).
    pub(crate) small: usize,
    /// The largest (group, period) table of that counting sort.
    pub(crate) max_cells: usize,
    /// Whether a store whose rows come unit after unit skips the flag passes ([`by_unit_parts`]); off only in tests,
    /// to compare with the general way.
    pub(crate) by_unit: bool,
}

impl Limits {
    pub(crate) const DEFAULT: Limits =
        Limits { parallel_from: 1 << 16, small: 1 << 16, max_cells: 1 << 20, by_unit: true };
}

/// The observations, input indices and tags of a store, permuted together.
struct Columns<'a> {
    observations: &'a mut [Observation],
    order: &'a mut [u32],
    tags: &'a mut [Tag],
}

impl<'a> Columns<'a> {
    fn len(&self) -> usize {
        self.observations.len()
    }

    /// The columns of positions `range`.
    fn part(&mut self, range: std::ops::Range<usize>) -> Columns<'_> {
        Columns {
            observations: &mut self.observations[range.clone()],
            order: &mut self.order[range.clone()],
            tags: &mut self.tags[range],
        }
    }

    /// The columns cut in two at `at`.
    fn split_at(self, at: usize) -> (Columns<'a>, Columns<'a>) {
        let (first_observations, second_observations) = self.observations.split_at_mut(at);
        let (first_order, second_order) = self.order.split_at_mut(at);
        let (first_tags, second_tags) = self.tags.split_at_mut(at);
        (
            Columns { observations: first_observations, order: first_order, tags: first_tags },
            Columns { observations: second_observations, order: second_order, tags: second_tags },
        )
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.observations.swap(i, j);
        self.order.swap(i, j);
        self.tags.swap(i, j);
    }

    /// Moves every observation into its bucket in place (an American flag sort pass): `starts` (one more than the
    /// buckets) are where each bucket begins; `bucket` says where an observation belongs. Each swap puts one
    /// observation in its bucket for good, and the buckets fill front to back, one stream of reads and writes each.
    fn flag_pass(&mut self, starts: &[u32], bucket: impl Fn(&Observation) -> usize) {
        let mut next: Vec<u32> = starts[..starts.len() - 1].to_vec();
        for b in 0..next.len() {
            let end = starts[b + 1];
            while next[b] < end {
                let i = next[b] as usize;
                let t = bucket(&self.observations[i]);
                if t == b {
                    next[b] += 1;
                } else {
                    let j = next[t] as usize;
                    next[t] += 1;
                    self.swap(i, j);
                }
            }
        }
    }
}

/// What both threads of [`group_in_place`] read.
struct Shared<'a> {
    ids: &'a GroupIds,
    /// Per period: its rank in time order.
    ranks: &'a [u32],
    /// Per group id: where its observations start (and one more for the end).
    bounds: &'a [u32],
    limits: Limits,
}

impl Shared<'_> {
    /// Cuts the groups `ids` (whose observations `columns` holds, from the first) into [`FANOUT`] buckets of
    /// consecutive groups with a flag pass, and returns where each bucket starts in `columns` and its groups.
    fn split(&self, ids: std::ops::Range<usize>, columns: &mut Columns<'_>) -> Vec<(usize, std::ops::Range<usize>)> {
        let base = self.bounds[ids.start];
        let span = ids.len().div_ceil(FANOUT).max(1);
        let buckets = ids.len().div_ceil(span);
        let bound = |k: usize| (ids.start + k * span).min(ids.end);
        let starts: Vec<u32> = (0..=buckets).map(|k| self.bounds[bound(k)] - base).collect();
        columns.flag_pass(&starts, |o| (self.ids.id(o) - ids.start) / span);
        (0..buckets).map(|k| (starts[k] as usize, bound(k)..bound(k + 1))).collect()
    }

    /// Orders the groups `ids`, whose observations `columns` holds: split until a part is small enough for the
    /// cache, then finished there.
    fn sort(&self, ids: std::ops::Range<usize>, columns: &mut Columns<'_>, scratch: &mut Scratch) {
        if columns.len() <= self.limits.small || ids.len() <= 1 {
            self.finish(ids, columns, scratch);
            return;
        }
        let buckets = self.split(ids, columns);
        for (k, (start, groups)) in buckets.iter().enumerate() {
            let end = buckets.get(k + 1).map_or(columns.len(), |next| next.0);
            self.sort(groups.clone(), &mut columns.part(*start..end), scratch);
        }
    }

    /// Orders every group of a store whose rows come unit after unit (org unit indices never decreasing): each row
    /// already lies within its unit's positions, since groups are numbered unit by unit, so the parts of
    /// [`by_unit_parts`] are finished where they lie, without the flag passes (on W2 two passes of reads over
    /// 240 MB). With `threads` above 1 and at least `limits.parallel_from` rows, two threads take half each.
    fn finish_unit_parts(&self, columns: &mut Columns<'_>, threads: usize) {
        let n = columns.len();
        let parts = by_unit_parts(self.ids, self.bounds, self.limits.small);
        let finish_all = |parts: &[(usize, std::ops::Range<usize>)], columns: &mut Columns<'_>, offset: usize| {
            let mut scratch = Scratch::default();
            for (k, (start, ids)) in parts.iter().enumerate() {
                let end = parts.get(k + 1).map_or(columns.len() + offset, |next| next.0);
                self.finish(ids.clone(), &mut columns.part(start - offset..end - offset), &mut scratch);
            }
        };
        let half = parts.partition_point(|&(start, _)| start < n / 2).max(1);
        if threads > 1 && n >= self.limits.parallel_from.max(1) && half < parts.len() {
            let at = parts[half].0;
            let (mut first, mut second) = columns.part(0..n).split_at(at);
            let (early, late) = parts.split_at(half);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| finish_all(late, &mut second, at));
                finish_all(early, &mut first, 0);
                other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            });
        } else {
            finish_all(&parts, columns, 0);
        }
    }

    /// Orders the groups `ids` of a small part: a stable counting sort by (group, period rank) through a copy in
    /// `scratch` (its writes wait on nothing), then each group by (period rank, combination, input index), which
    /// it already is unless a group has several rows of one period.
    fn finish(&self, ids: std::ops::Range<usize>, columns: &mut Columns<'_>, scratch: &mut Scratch) {
        let base = self.bounds[ids.start] as usize;
        let periods = self.ranks.len();
        let cells = ids.len() * periods;
        if cells <= self.limits.max_cells && columns.len() <= self.limits.small {
            let cell =
                |o: &Observation| (self.ids.id(o) - ids.start) * periods + self.ranks[o.period as usize] as usize;
            let next = &mut scratch.starts;
            next.clear();
            next.resize(cells + 1, 0);
            for o in columns.observations.iter() {
                next[cell(o) + 1] += 1;
            }
            // A group whose every period has one row is in order once counted; only the others are checked.
            scratch.crowded.clear();
            scratch.crowded.resize(ids.len(), false);
            for (k, &count) in next[1..].iter().enumerate() {
                if count > 1 {
                    scratch.crowded[k / periods] = true;
                }
            }
            for k in 1..next.len() {
                next[k] += next[k - 1];
            }
            scratch.copy.clear();
            scratch.copy.extend(
                columns
                    .observations
                    .iter()
                    .zip(columns.order.iter())
                    .zip(columns.tags.iter())
                    .map(|((o, i), t)| (*o, *i, *t)),
            );
            for &(observation, index, tag) in &scratch.copy {
                let slot = &mut next[cell(&observation)];
                let at = *slot as usize;
                *slot += 1;
                columns.observations[at] = observation;
                columns.order[at] = index;
                columns.tags[at] = tag;
            }
        } else {
            scratch.crowded.clear();
            scratch.crowded.resize(ids.len(), true);
            if ids.len() > 1 {
                let starts: Vec<u32> =
                    self.bounds[ids.clone()].iter().chain([&self.bounds[ids.end]]).map(|&b| b - base as u32).collect();
                columns.flag_pass(&starts, |o| self.ids.id(o) - ids.start);
            }
        }
        for id in ids.clone() {
            if scratch.crowded[id - ids.start] {
                let range = self.bounds[id] as usize - base..self.bounds[id + 1] as usize - base;
                scratch.order_group(columns, range, self.ranks);
            }
        }
    }
}

/// Buffers reused from part to part and group to group.
#[derive(Default)]
struct Scratch {
    starts: Vec<u32>,
    /// Per group of a part: whether some period of it has several rows.
    crowded: Vec<bool>,
    keys: Vec<(u32, u32, u32, u32)>,
    copy: Vec<(Observation, u32, Tag)>,
}

impl Scratch {
    /// Puts the observations `range` of `columns` (one group) in order of (period rank, combination, input index),
    /// unless they already are.
    fn order_group(&mut self, columns: &mut Columns<'_>, range: std::ops::Range<usize>, ranks: &[u32]) {
        let key = |columns: &Columns<'_>, i: usize| {
            let o = &columns.observations[i];
            (ranks[o.period as usize], o.combo, columns.order[i])
        };
        if range.clone().skip(1).all(|i| key(columns, i - 1) <= key(columns, i)) {
            return;
        }
        self.keys.clear();
        self.keys.extend(range.clone().map(|i| {
            let (rank, combo, index) = key(columns, i);
            (rank, combo, index, i as u32)
        }));
        self.keys.sort_unstable();
        self.copy.clear();
        self.copy.extend(range.clone().map(|i| (columns.observations[i], columns.order[i], columns.tags[i])));
        let first = range.start;
        for (k, &(_, _, _, from)) in self.keys.iter().enumerate() {
            let (observation, index, tag) = self.copy[from as usize - first];
            columns.observations[first + k] = observation;
            columns.order[first + k] = index;
            columns.tags[first + k] = tag;
        }
    }
}

/// Groups the observations of `store` in place (see [`Grouping`]) and returns what the groups are; the store's
/// observations, their input indices (`order`) and their tags are permuted together.
///
/// American flag sort passes (in place, swaps) cut the observations into [`FANOUT`] buckets of consecutive groups
/// until a bucket has at most `limits.small` observations (at ten million, two passes: 256 buckets of about 39,000);
/// each bucket is then put in (group, period rank) order by a stable counting sort through a copy of the bucket (its
/// writes, unlike a swap's reads, wait on nothing), and each group in order of (period rank, combination, input
/// index), which it already is unless a group has several rows of one period; duplicates (the later rows of one
/// key) are then moved after the grouped observations. The extra memory is the input indices and tags (5 bytes an
/// observation), tables by group and the copy of one bucket per thread (at most `limits.small` observations).
/// With `threads` above 1 and at least `limits.parallel_from` observations, the buckets of the first pass are
/// shared between two threads. Rows that come unit after unit (W2) need no flag pass: see
/// [`Shared::finish_unit_parts`].
pub(crate) fn group_in_place(
    store: &mut ObservationStore,
    order: &mut Vec<u32>,
    mut tags: Vec<Tag>,
    threads: usize,
    limits: Limits,
) -> Grouping {
    let n = store.observations.len();
    if order.is_empty() {
        *order = (0..n as u32).collect();
    }
    let mut ranks: Vec<u32> = vec![0; store.periods.len()];
    let mut by_time: Vec<usize> = (0..store.periods.len()).collect();
    by_time.sort_by(|a, b| store.periods[*a].cmp(&store.periods[*b]));
    for (rank, &index) in by_time.iter().enumerate() {
        ranks[index] = rank as u32;
    }
    let ids = GroupIds::new(store);
    let groups = ids.len(store);
    let mut bounds: Vec<u32> = vec![0; groups + 1];
    let mut unit_after_unit = true;
    let mut previous_unit = 0;
    for observation in &store.observations {
        bounds[ids.id(observation) + 1] += 1;
        unit_after_unit &= observation.org_unit >= previous_unit;
        previous_unit = observation.org_unit;
    }
    for id in 1..bounds.len() {
        bounds[id] += bounds[id - 1];
    }
    let (elements, periods) = (store.elements.len(), store.periods.len());
    let mut columns = Columns { observations: &mut store.observations, order: &mut order[..], tags: &mut tags };
    let shared = Shared { ids: &ids, ranks: &ranks, bounds: &bounds, limits };
    if limits.by_unit && unit_after_unit && groups > 0 {
        shared.finish_unit_parts(&mut columns, threads);
    } else if threads > 1 && n >= limits.parallel_from.max(1) && groups > 1 {
        // One split, then each thread orders about half of the buckets.
        let buckets = shared.split(0..groups, &mut columns);
        let half = buckets.partition_point(|&(start, _)| start < n / 2).max(1);
        let at = buckets.get(half).map_or(n, |bucket| bucket.0);
        let (mut first, mut second) = columns.split_at(at);
        let sort_all = |buckets: &[(usize, std::ops::Range<usize>)], columns: &mut Columns<'_>, offset: usize| {
            let mut scratch = Scratch::default();
            for (k, (start, ids)) in buckets.iter().enumerate() {
                let end = buckets.get(k + 1).map_or(columns.len() + offset, |next| next.0);
                shared.sort(ids.clone(), &mut columns.part(start - offset..end - offset), &mut scratch);
            }
        };
        std::thread::scope(|scope| {
            let (early, late) = buckets.split_at(half);
            let other = scope.spawn(|| sort_all(late, &mut second, at));
            sort_all(early, &mut first, 0);
            other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        });
    } else if groups > 0 {
        shared.sort(0..groups, &mut columns, &mut Scratch::default());
    }
    let mut columns = Columns { observations: &mut store.observations, order: &mut order[..], tags: &mut tags };
    let mut grouping = compact(&mut columns, &ids, &bounds, elements, periods);
    tags.truncate(grouping.kept);
    tags.shrink_to_fit();
    grouping.uniform_tag = uniform(&tags);
    grouping.tags = tags;
    grouping
}

/// The tag all of `tags` have, if there is one (`None` for no tags).
fn uniform(tags: &[Tag]) -> Option<Tag> {
    let first = *tags.first()?;
    tags.iter().all(|&tag| tag == first).then_some(first)
}

/// The parts a store whose rows come unit after unit (org unit indices never decreasing, as a file that lists a
/// unit's rows together gives them: W2) is finished in, without flag passes: groups are numbered unit by unit, so
/// every row already lies within its unit's positions. Consecutive units are taken together up to `small` rows (a
/// unit with more is a part alone); each part is (its first position, its group ids), cut only between units.
fn by_unit_parts(ids: &GroupIds, bounds: &[u32], small: usize) -> Vec<(usize, std::ops::Range<usize>)> {
    let groups = bounds.len() - 1;
    let mut parts: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut first = 0;
    for id in 1..=groups {
        if id < groups && ids.pair(id).1 == ids.pair(id - 1).1 {
            continue;
        }
        // The unit of groups `first..id` joins the last part if the part stays within `small` rows.
        match parts.last_mut() {
            Some((start, joined)) if bounds[id] as usize - *start <= small => joined.end = id,
            _ => parts.push((bounds[first] as usize, first..id)),
        }
        first = id;
    }
    parts
}

/// Walks the ordered groups once: keeps the first observation of each key at the front, moves the duplicates after
/// them in input order, and notes the groups, the periods each element has and the duplicate pairs.
fn compact(columns: &mut Columns<'_>, ids: &GroupIds, bounds: &[u32], elements: usize, periods: usize) -> Grouping {
    let mut grouping = Grouping { element_periods: vec![false; elements * periods], ..Grouping::default() };
    let mut repeated: Vec<(u32, usize, Observation, Tag)> = Vec::new();
    let mut kept = 0;
    for id in 0..bounds.len() - 1 {
        let (start, end) = (bounds[id] as usize, bounds[id + 1] as usize);
        if start == end {
            continue;
        }
        let group_start = kept;
        let (element, unit) = ids.pair(id);
        for position in start..end {
            let observation = columns.observations[position];
            let same_key = |kept: &Observation| (kept.period, kept.combo) == (observation.period, observation.combo);
            if kept > group_start && same_key(&columns.observations[kept - 1]) {
                repeated.push((columns.order[position], kept - 1, observation, columns.tags[position]));
            } else {
                // Until a first duplicate every row is where it stays: written again, its line would only be dirtied
                // again (W2 has no duplicate: a pass of reads, not of writes, over the store).
                if kept != position {
                    columns.observations[kept] = observation;
                    columns.order[kept] = columns.order[position];
                    columns.tags[kept] = columns.tags[position];
                }
                grouping.element_periods[element as usize * periods + observation.period as usize] = true;
                kept += 1;
            }
        }
        grouping.groups.push((element, unit, group_start, kept));
    }
    repeated.sort_unstable_by_key(|&(index, ..)| index);
    for (k, (index, first, observation, tag)) in repeated.into_iter().enumerate() {
        columns.observations[kept + k] = observation;
        columns.order[kept + k] = index;
        columns.tags[kept + k] = tag;
        grouping.duplicates.push((first, kept + k));
    }
    grouping.kept = kept;
    // Listed by element first, whatever the layout: the order in which W331 and W332 walk them.
    grouping.groups.sort_unstable_by_key(|&(element, unit, ..)| (element, unit));
    grouping
}

#[cfg(test)]
#[path = "grouping_tests.rs"]
mod tests;
