//! A compact, columnar-friendly store of observations.
//!
//! Ten million observations must fit in well under 48 bytes each (issue 15), so a stored [`Observation`] holds
//! only `u32` indices into interners (data element, org unit, period, disaggregation combination) and the value:
//! 24 bytes. Strings live once in the interners. Where each row came from (file and row), its note, its source and
//! its status are kept out of line as runs ([`Place`]): consecutive rows of one file, or with one note, or one
//! source and status, cost one entry for the run, not one per observation.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Span};
use crate::eval::grouping::{Grouping, Limits, Tag, group_in_place};

#[path = "places.rs"]
mod places;
use crate::period::Period;
use places::{Places, expand_runs};

/// A fast, deterministic hasher for small integer and short string keys. The standard SipHash protects
/// against hash flooding, which does not matter for data the user loads from their own files, and costs a
/// third of the evaluation time at ten million observations.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    state: u64,
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // A final avalanche step so that hashbrown's top-bit grouping sees well-mixed bits.
        let mut x = self.state;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x
    }

    /// Whole 8-byte words, then the tail zero-padded into one: the words of the former `chunks(8)` loop, without
    /// a zeroed buffer per word (the data element of every row is hashed here).
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.write_u64(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.state = (self.state.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(u64::from(value));
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

/// A `HashMap` with [`FastHasher`]. Only used for lookups, never iterated for output.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Maps strings to dense `u32` indices and back.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    names: Vec<String>,
    index: FastMap<String, u32>,
    /// The id returned last: rows repeat the previous row's source, note and org unit far more often than
    /// not, and comparing with one string is cheaper than hashing it.
    last: Option<u32>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(last) = self.last
            && self.names[last as usize] == name
        {
            return last;
        }
        let id = match self.index.get(name) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.names.len()).expect("fewer than four billion distinct names");
                self.names.push(name.to_owned());
                self.index.insert(name.to_owned(), id);
                id
            }
        };
        self.last = Some(id);
        id
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Whether a figure is provisional or final, as the reporting agency marked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObservationStatus {
    Final,
    Provisional,
}

impl ObservationStatus {
    pub fn parse(text: &str) -> Option<ObservationStatus> {
        // Compared without lowering a copy: this runs once per row.
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("final") {
            Some(ObservationStatus::Final)
        } else if text.eq_ignore_ascii_case("provisional") {
            Some(ObservationStatus::Provisional)
        } else {
            None
        }
    }
}

/// The note index meaning "no note".
pub const NO_NOTE: u32 = u32::MAX;

/// The disaggregation combination index of the total (no category filled in).
pub const TOTAL_COMBO: u32 = 0;

/// One stored observation (24 bytes): indices into the store's interners plus the value. Its file, row, note,
/// source and status are the store's ([`ObservationStore::place`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Index into [`ObservationStore::elements`].
    pub element: u32,
    /// Index into [`ObservationStore::org_units`].
    pub org_unit: u32,
    /// Index into [`ObservationStore::periods`].
    pub period: u32,
    /// Index into [`ObservationStore::combos`]; [`TOTAL_COMBO`] for a total.
    pub combo: u32,
    pub value: f64,
}

/// Where an observation came from, its note, its source and its status: what diagnostics, notes and source
/// kinds read of a row, kept apart from the [`Observation`] that evaluation reads (as runs: rows of one file, source
/// and status repeat from row to row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Index into [`ObservationStore::files`].
    pub file: u16,
    /// 1-based row in its file (the header is row 1), for diagnostics.
    pub row: u32,
    /// Index into [`ObservationStore::notes`], or [`NO_NOTE`].
    pub note: u32,
    /// Index into [`ObservationStore::sources`].
    pub source: u32,
    pub status: ObservationStatus,
}

/// An observation to add, with plain strings. The store interns them.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObservation<'a> {
    pub element: &'a str,
    pub org_unit: &'a str,
    pub period: Period,
    /// (category id, option id) pairs; blank categories are left out. Order does not matter.
    pub disaggregation: &'a [(&'a str, &'a str)],
    pub value: f64,
    pub source: &'a str,
    pub status: ObservationStatus,
    pub note: Option<&'a str>,
    /// When the figure was submitted, if the data says.
    pub submitted: Option<NaiveDate>,
    pub file: u16,
    pub row: u32,
}

/// All observations of a project and the interners their indices point into.
#[derive(Debug, Clone)]
pub struct ObservationStore {
    pub elements: Interner,
    pub org_units: Interner,
    pub periods: Vec<Period>,
    period_index: FastMap<Period, u32>,
    /// Each combination as sorted (category, option) pairs; index 0 is the total.
    pub combos: Vec<Vec<(String, String)>>,
    combo_index: FastMap<Vec<(String, String)>, u32>,
    pub sources: Interner,
    pub notes: Interner,
    pub files: Vec<String>,
    pub observations: Vec<Observation>,
    /// Where each observation came from, and its note.
    places: Places,
    /// When each observation was submitted, where the data says (the optional `submitted` column): empty as long
    /// as no observation has a date, else one entry per observation in input order. Kept apart from
    /// [`Observation`] so that data without dates, the common case, costs nothing for them.
    submitted: Vec<Option<NaiveDate>>,
    /// Per position: the observation's index in input order (what places and dates are kept by), once the store
    /// has been grouped; empty while the observations are in input order.
    pub(crate) order: Vec<u32>,
    /// What [`ObservationStore::group`] found, while the observations are in group order.
    pub(crate) grouping: Option<Grouping>,
    /// The (data element, org unit) of rows left out before evaluation: refused by the reader (a row with an
    /// error whose element and unit are known) or not known on the as-of date. Such a unit tried to report the
    /// element, so coverage keeps it expected ([`crate::eval::coverage`]) and it counts as not reporting.
    left_out: BTreeMap<String, BTreeSet<String>>,
}

impl Default for ObservationStore {
    fn default() -> Self {
        let mut store = ObservationStore {
            elements: Interner::default(),
            org_units: Interner::default(),
            periods: Vec::new(),
            period_index: FastMap::default(),
            combos: Vec::new(),
            combo_index: FastMap::default(),
            sources: Interner::default(),
            notes: Interner::default(),
            files: Vec::new(),
            observations: Vec::new(),
            places: Places::default(),
            submitted: Vec::new(),
            order: Vec::new(),
            grouping: None,
            left_out: BTreeMap::new(),
        };
        store.combos.push(Vec::new());
        store.combo_index.insert(Vec::new(), TOTAL_COMBO);
        store
    }
}

impl ObservationStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers an input file name and returns its index for [`NewObservation::file`].
    pub fn add_file(&mut self, name: &str) -> u16 {
        if let Some(index) = self.files.iter().position(|f| f == name) {
            return u16::try_from(index).expect("file count checked on insertion");
        }
        let index = u16::try_from(self.files.len()).unwrap_or(u16::MAX);
        self.files.push(name.to_owned());
        index
    }

    /// The id of `period` if some observation has it.
    pub fn period_id(&self, period: Period) -> Option<u32> {
        self.period_index.get(&period).copied()
    }

    /// The store without the observations `drop` selects from each one, its place and its submission date (their
    /// names stay interned, unused), with the places and submission dates of the others kept beside them; the
    /// element and org unit of each observation dropped join [`ObservationStore::left_out`], so that its unit stays
    /// expected. The result is in input order, not grouped.
    pub fn without(&self, drop: impl Fn(&Observation, &Place, Option<NaiveDate>) -> bool) -> ObservationStore {
        self.rebuilt(|observation, place, submitted| (!drop(observation, place, submitted)).then_some(*place))
    }

    /// The store with each observation's place as `keep` gives it (its status changed, say), or without the
    /// observation where `keep` gives `None`, as [`ObservationStore::without`] drops it.
    pub fn rebuilt(&self, keep: impl Fn(&Observation, &Place, Option<NaiveDate>) -> Option<Place>) -> ObservationStore {
        let mut kept = ObservationStore {
            elements: self.elements.clone(),
            org_units: self.org_units.clone(),
            periods: self.periods.clone(),
            period_index: self.period_index.clone(),
            combos: self.combos.clone(),
            combo_index: self.combo_index.clone(),
            sources: self.sources.clone(),
            notes: self.notes.clone(),
            files: self.files.clone(),
            left_out: self.left_out.clone(),
            ..ObservationStore::default()
        };
        for (index, position) in self.positions_in_input_order().into_iter().enumerate() {
            let observation = &self.observations[position];
            let place = self.places.get(index as u32);
            let submitted = self.submitted.get(index).copied().flatten();
            if let Some(place) = keep(observation, &place, submitted) {
                kept.push_interned(*observation, place, submitted);
            } else {
                let key = (self.elements.name(observation.element), self.org_units.name(observation.org_unit));
                kept.note_left_out(key.0, key.1);
            }
        }
        kept
    }

    /// Records that a row of `element` at `org_unit` was left out before evaluation ([`ObservationStore::left_out`]).
    pub fn note_left_out(&mut self, element: &str, org_unit: &str) {
        match self.left_out.get_mut(element) {
            Some(units) if units.contains(org_unit) => {}
            Some(units) => {
                units.insert(org_unit.to_owned());
            }
            None => {
                self.left_out.insert(element.to_owned(), BTreeSet::from([org_unit.to_owned()]));
            }
        }
    }

    /// The (data element, org unit) of rows left out before evaluation, refused or not known on the as-of date, in
    /// order: those units are expected to report those elements.
    pub fn left_out(&self) -> impl Iterator<Item = (&str, &str)> {
        self.left_out.iter().flat_map(|(e, units)| units.iter().map(move |u| (e.as_str(), u.as_str())))
    }

    /// The position of each observation, in input order.
    fn positions_in_input_order(&self) -> Vec<usize> {
        if self.order.is_empty() {
            return (0..self.observations.len()).collect();
        }
        let mut positions = vec![0; self.order.len()];
        for (position, &index) in self.order.iter().enumerate() {
            positions[index as usize] = position;
        }
        positions
    }

    /// The index in input order of the observation at `position`.
    pub(crate) fn input_index(&self, position: usize) -> u32 {
        match self.order.get(position) {
            Some(&index) => index,
            None => u32::try_from(position).unwrap_or(u32::MAX),
        }
    }

    /// Puts the observations in group order, in place, unless they already are: each (data element, org unit) in
    /// time order and then by combination, the groups in (org unit, element) order, duplicates after them
    /// ([`Grouping`], what evaluation reads). Every
    /// accessor by position ([`ObservationStore::place`], [`ObservationStore::submitted`],
    /// [`ObservationStore::note_ids`], [`ObservationStore::sources_and_statuses`], [`ObservationStore::origin`])
    /// follows the observations; the extra memory is 5 bytes an observation (its input index and tag).
    /// `threads` above 1 shares the work with a second thread.
    pub fn group(&mut self, threads: usize) {
        if self.grouping.is_some() {
            return;
        }
        let tags = self.tags();
        let mut order = std::mem::take(&mut self.order);
        let grouping = group_in_place(self, &mut order, tags, threads, Limits::DEFAULT);
        self.order = order;
        self.grouping = Some(grouping);
    }

    /// What [`ObservationStore::group`] found, if the observations are in group order.
    pub fn grouping(&self) -> Option<&Grouping> {
        self.grouping.as_ref()
    }

    /// Puts the observations back in input order (after [`ObservationStore::group`]).
    fn restore_input_order(&mut self) {
        if self.order.is_empty() {
            return;
        }
        let positions = self.positions_in_input_order();
        self.observations = positions.iter().map(|&position| self.observations[position]).collect();
        self.order = Vec::new();
        self.grouping = None;
    }

    pub fn intern_period(&mut self, period: Period) -> u32 {
        if let Some(&id) = self.period_index.get(&period) {
            return id;
        }
        let id = u32::try_from(self.periods.len()).expect("fewer than four billion periods");
        self.periods.push(period);
        self.period_index.insert(period, id);
        id
    }

    /// Interns a disaggregation combination given as (category, option) pairs in any order.
    pub fn intern_combo(&mut self, pairs: &[(&str, &str)]) -> u32 {
        if pairs.is_empty() {
            return TOTAL_COMBO;
        }
        let mut key: Vec<(String, String)> = pairs.iter().map(|(c, o)| ((*c).to_owned(), (*o).to_owned())).collect();
        key.sort();
        if let Some(&id) = self.combo_index.get(&key) {
            return id;
        }
        let id = u32::try_from(self.combos.len()).expect("fewer than four billion combinations");
        self.combos.push(key.clone());
        self.combo_index.insert(key, id);
        id
    }

    pub fn push(&mut self, new: &NewObservation<'_>) {
        let observation = Observation {
            element: self.elements.intern(new.element),
            org_unit: self.org_units.intern(new.org_unit),
            period: self.intern_period(new.period),
            combo: self.intern_combo(new.disaggregation),
            value: new.value,
        };
        let note = new.note.filter(|n| !n.is_empty()).map_or(NO_NOTE, |n| self.notes.intern(n));
        let source = self.sources.intern(new.source);
        let place = Place { file: new.file, row: new.row, note, source, status: new.status };
        self.push_interned(observation, place, new.submitted);
    }

    /// Adds a fully interned observation (the loader's fast path) with its place and submission date, if known.
    /// A grouped store stays in its order, the new observation last, and is no longer grouped. Inlined into the
    /// loader's row reader (another crate), which calls it for every row.
    #[inline]
    pub fn push_interned(&mut self, observation: Observation, place: Place, submitted: Option<NaiveDate>) {
        let index = u32::try_from(self.observations.len()).expect("fewer than four billion observations");
        self.places.push(index, place);
        if !self.order.is_empty() {
            self.order.push(index);
        }
        self.grouping = None;
        self.observations.push(observation);
        if submitted.is_some() || !self.submitted.is_empty() {
            self.submitted.resize(self.observations.len() - 1, None);
            self.submitted.push(submitted);
        }
    }

    /// The file, row, note, source and status of observation `index`.
    pub fn place(&self, index: usize) -> Place {
        self.places.get(self.input_index(index))
    }

    /// The note id ([`NO_NOTE`] for none) of each observation, in order: [`ObservationStore::place`]'s note for all
    /// of them, one pass over the runs.
    pub fn note_ids(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        if self.order.is_empty() {
            Box::new(expand_runs(&self.places.notes, self.observations.len() as u32))
        } else {
            Box::new(self.order.iter().map(|&index| self.places.note(index)))
        }
    }

    /// The [`Tag`] of each observation, in order, filled run by run while the store is in input order.
    fn tags(&self) -> Vec<Tag> {
        if !self.order.is_empty() {
            return self.sources_and_statuses().map(|(source, status)| Tag::new(source, status)).collect();
        }
        let mut tags = Vec::with_capacity(self.observations.len());
        let runs = &self.places.sources;
        for (at, &(first, source, status)) in runs.iter().enumerate() {
            let end = runs.get(at + 1).map_or(self.observations.len() as u32, |run| run.0);
            tags.resize(tags.len() + end.saturating_sub(first) as usize, Tag::new(source, status));
        }
        tags
    }

    /// How many observations cite each source (by source id), counted run by run.
    pub fn source_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.sources.len()];
        let runs = &self.places.sources;
        for (at, &(first, source, _)) in runs.iter().enumerate() {
            let end = runs.get(at + 1).map_or(self.observations.len() as u32, |run| run.0);
            if let Some(count) = counts.get_mut(source as usize) {
                *count += end.saturating_sub(first) as usize;
            }
        }
        counts
    }

    /// The note id ([`NO_NOTE`] for none) of the observation at `position`.
    pub fn note(&self, position: usize) -> u32 {
        self.places.note(self.input_index(position))
    }

    /// The source and status of each observation, in order: [`ObservationStore::place`]'s for all of them, one pass
    /// over the runs.
    pub fn sources_and_statuses(&self) -> Box<dyn Iterator<Item = (u32, ObservationStatus)> + '_> {
        if !self.order.is_empty() {
            return Box::new(self.order.iter().map(|&index| self.places.source(index)));
        }
        let runs = &self.places.sources;
        let len = self.observations.len() as u32;
        Box::new(runs.iter().enumerate().flat_map(move |(at, &(first, source, status))| {
            let end = runs.get(at + 1).map_or(len, |run| run.0);
            (first..end).map(move |_| (source, status))
        }))
    }

    /// When observation `index` was submitted, if the data says.
    pub fn submitted(&self, index: usize) -> Option<NaiveDate> {
        self.submitted.get(self.input_index(index) as usize).copied().flatten()
    }

    /// Whether any observation has a submission date.
    pub fn has_submission_dates(&self) -> bool {
        !self.submitted.is_empty()
    }

    pub fn len(&self) -> usize {
        self.observations.len()
    }

    /// Moves the observations of `other` to the end of this store, re-interning their names. Names new to this
    /// store are added in `other`'s order, so loading a file in pieces and appending them in order gives the
    /// same ids as loading it in one pass. `other` is left without observations, its vector's memory kept for reuse.
    /// A grouped store stays in its order, `other`'s observations last, and is no longer grouped.
    pub fn append(&mut self, other: &mut ObservationStore) {
        other.restore_input_order();
        for (element, units) in std::mem::take(&mut other.left_out) {
            self.left_out.entry(element).or_default().extend(units);
        }
        let maps = self.id_maps(other);
        if !other.submitted.is_empty() || !self.submitted.is_empty() {
            self.submitted.resize(self.observations.len(), None);
            other.submitted.resize(other.observations.len(), None);
            self.submitted.append(&mut other.submitted);
        }
        let base = u32::try_from(self.observations.len()).expect("fewer than four billion observations");
        for (at, &(first, file, row)) in other.places.rows.iter().enumerate() {
            let end = other.places.rows.get(at + 1).map_or(other.observations.len() as u32, |run| run.0);
            if first < end {
                self.places.push_row(base + first, maps.file(file), row);
            }
        }
        for &(first, note) in &other.places.notes {
            if first < other.observations.len() as u32 {
                self.places.push_note(base + first, maps.note(note));
            }
        }
        for &(first, source, status) in &other.places.sources {
            if first < other.observations.len() as u32 {
                self.places.push_source(base + first, maps.sources[source as usize], status);
            }
        }
        if !self.order.is_empty() {
            self.order.extend(base..base + other.observations.len() as u32);
        }
        self.grouping = None;
        self.observations.reserve(other.observations.len());
        self.observations.extend(other.observations.iter().map(|o| maps.map(o)));
        other.clear_observations();
    }

    /// Interns every name, period, combination and file of `other` in this store (new ones in `other`'s order) and
    /// returns the tables that turn `other`'s ids into this store's: what [`ObservationStore::append`] and the
    /// streaming duplicate scan ([`crate::eval::duplicates`]) do to each observation of a piece.
    pub fn id_maps(&mut self, other: &ObservationStore) -> IdMaps {
        let map = |names: &[String], interner: &mut Interner| -> Vec<u32> {
            names.iter().map(|name| interner.intern(name)).collect()
        };
        IdMaps {
            elements: map(other.elements.names(), &mut self.elements),
            org_units: map(other.org_units.names(), &mut self.org_units),
            sources: map(other.sources.names(), &mut self.sources),
            notes: map(other.notes.names(), &mut self.notes),
            periods: other.periods.iter().map(|&period| self.intern_period(period)).collect(),
            combos: other
                .combos
                .iter()
                .map(|pairs| {
                    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(c, o)| (c.as_str(), o.as_str())).collect();
                    self.intern_combo(&pairs)
                })
                .collect(),
            files: other.files.iter().map(|file| self.add_file(file)).collect(),
        }
    }

    /// Drops every observation and submission date, keeping the names interned and the vectors' memory.
    pub fn clear_observations(&mut self) {
        self.observations.clear();
        self.places.clear();
        self.submitted.clear();
        self.order.clear();
        self.grouping = None;
    }

    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// The combination as a map, for display.
    pub fn combo_map(&self, combo: u32) -> BTreeMap<String, String> {
        self.combos[combo as usize].iter().cloned().collect()
    }

    /// "file:row" of observation `index`, for diagnostics.
    pub fn origin(&self, index: usize) -> (String, u32) {
        let place = self.place(index);
        let file = self.files.get(place.file as usize).cloned().unwrap_or_default();
        (file, place.row)
    }

    /// Pairs (first, duplicate) of observation indices that share data element, org unit, period and
    /// disaggregation, in the order the duplicates appear.
    /// Positions in this store; found on a grouped copy if the store is not grouped.
    pub fn duplicates(&self) -> Vec<(usize, usize)> {
        if let Some(grouping) = &self.grouping {
            return grouping.duplicates.clone();
        }
        let mut copy = self.clone();
        copy.group(1);
        let positions = self.positions_in_input_order();
        let position = |at: usize| positions[copy.input_index(at) as usize];
        copy.duplicates().iter().map(|&(first, duplicate)| (position(first), position(duplicate))).collect()
    }
}

/// Tables from one store's ids to another's, made by [`ObservationStore::id_maps`].
#[derive(Debug, Clone, Default)]
pub struct IdMaps {
    elements: Vec<u32>,
    org_units: Vec<u32>,
    sources: Vec<u32>,
    notes: Vec<u32>,
    periods: Vec<u32>,
    combos: Vec<u32>,
    files: Vec<u16>,
}

impl IdMaps {
    /// `o`, an observation of the store the maps were made from, with the ids of the store they were made for.
    pub fn map(&self, o: &Observation) -> Observation {
        Observation {
            element: self.elements[o.element as usize],
            org_unit: self.org_units[o.org_unit as usize],
            period: self.periods[o.period as usize],
            combo: self.combos[o.combo as usize],
            ..*o
        }
    }

    /// A file index of the store the maps were made from, in the store they were made for.
    pub fn file(&self, file: u16) -> u16 {
        self.files.get(file as usize).copied().unwrap_or(file)
    }

    /// A note id ([`NO_NOTE`] stays itself) of the store the maps were made from, in the store they were made for.
    pub fn note(&self, note: u32) -> u32 {
        if note == NO_NOTE { NO_NOTE } else { self.notes[note as usize] }
    }
}

/// Diagnostics (E301 duplicate-observation) for observations that repeat the key (data element, org unit,
/// period, disaggregation) of an earlier one, in any file; evaluation uses the first and skips the repeats.
pub fn duplicate_diagnostics(store: &ObservationStore) -> Vec<Diagnostic> {
    duplicate_diagnostics_for(store, &store.duplicates())
}

/// [`duplicate_diagnostics`] for duplicates already found.
pub fn duplicate_diagnostics_for(store: &ObservationStore, duplicates: &[(usize, usize)]) -> Vec<Diagnostic> {
    duplicates
        .iter()
        .map(|&(first, duplicate)| duplicate_diagnostic(store.origin(first), store.origin(duplicate)))
        .collect()
}

/// The E301 duplicate-observation error of the row at `duplicate` (file, row) repeating the key of `first`.
pub fn duplicate_diagnostic((first_file, first_row): (String, u32), (file, row): (String, u32)) -> Diagnostic {
    let span = Span { file, start: 0, end: 0, line: row as usize, column: 1 };
    Diagnostic::error(
        "E301",
        "duplicate-observation",
        format!("the same data element, org unit, period and disaggregation as {first_file}:{first_row}"),
    )
    .with_span(Some(span))
    .with_hint("keep one row per key; the first row is used")
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
