//! A compact, columnar-friendly store of observations.
//!
//! Ten million observations must fit in well under 150 bytes each, so a stored [`Observation`] holds only
//! `u32` indices into interners (data element, org unit, period, disaggregation combination, source, note),
//! the value and the status: 40 bytes. Strings live once in the interners.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Span};
use crate::period::Period;

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

/// One stored observation: indices into the store's interners plus the value.
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
    /// Index into [`ObservationStore::sources`].
    pub source: u32,
    /// Index into [`ObservationStore::notes`], or [`NO_NOTE`].
    pub note: u32,
    /// 1-based row in its file (the header is row 1), for diagnostics.
    pub row: u32,
    /// Index into [`ObservationStore::files`].
    pub file: u16,
    pub status: ObservationStatus,
    pub value: f64,
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
    /// When each observation was submitted, where the data says (the optional `submitted` column): empty as long
    /// as no observation has a date, else one entry per observation. Kept apart from [`Observation`] so that data
    /// without dates, the common case, costs nothing for them.
    submitted: Vec<Option<NaiveDate>>,
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
            submitted: Vec::new(),
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

    /// The store without the observations `drop` selects (their names stay interned, unused), with the
    /// submission dates of the others kept beside them.
    pub fn without(&self, drop: impl Fn(&Observation) -> bool) -> ObservationStore {
        let mut kept = ObservationStore { observations: Vec::new(), submitted: Vec::new(), ..self.clone() };
        for (index, observation) in self.observations.iter().enumerate() {
            if !drop(observation) {
                kept.push_interned(*observation, self.submitted(index));
            }
        }
        kept
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
            source: self.sources.intern(new.source),
            note: new.note.filter(|n| !n.is_empty()).map_or(NO_NOTE, |n| self.notes.intern(n)),
            row: new.row,
            file: new.file,
            status: new.status,
            value: new.value,
        };
        self.push_interned(observation, new.submitted);
    }

    /// Adds a fully interned observation (the loader's fast path) with its submission date, if known.
    pub fn push_interned(&mut self, observation: Observation, submitted: Option<NaiveDate>) {
        self.observations.push(observation);
        if submitted.is_some() || !self.submitted.is_empty() {
            self.submitted.resize(self.observations.len() - 1, None);
            self.submitted.push(submitted);
        }
    }

    /// When observation `index` was submitted, if the data says.
    pub fn submitted(&self, index: usize) -> Option<NaiveDate> {
        self.submitted.get(index).copied().flatten()
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
    pub fn append(&mut self, other: &mut ObservationStore) {
        let maps = self.id_maps(other);
        if !other.submitted.is_empty() || !self.submitted.is_empty() {
            self.submitted.resize(self.observations.len(), None);
            other.submitted.resize(other.observations.len(), None);
            self.submitted.append(&mut other.submitted);
        }
        self.observations.reserve(other.observations.len());
        self.observations.extend(other.observations.iter().map(|o| maps.map(o)));
        other.observations.clear();
        other.submitted.clear();
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
        self.submitted.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// The combination as a map, for display.
    pub fn combo_map(&self, combo: u32) -> BTreeMap<String, String> {
        self.combos[combo as usize].iter().cloned().collect()
    }

    /// "file:row" of an observation, for diagnostics.
    pub fn origin(&self, observation: &Observation) -> (String, u32) {
        let file = self.files.get(observation.file as usize).cloned().unwrap_or_default();
        (file, observation.row)
    }

    /// Pairs (first, duplicate) of observation indices that share data element, org unit, period and
    /// disaggregation, in the order the duplicates appear.
    pub fn duplicates(&self) -> Vec<(usize, usize)> {
        crate::eval::grouping::group_observations(self, 1).duplicates
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
            source: self.sources[o.source as usize],
            note: if o.note == NO_NOTE { NO_NOTE } else { self.notes[o.note as usize] },
            file: self.files.get(o.file as usize).copied().unwrap_or(o.file),
            ..*o
        }
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
        .map(|&(first, duplicate)| {
            duplicate_diagnostic(store.origin(&store.observations[first]), store.origin(&store.observations[duplicate]))
        })
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
mod tests {
    use super::*;

    #[test]
    fn observation_is_compact() {
        assert!(std::mem::size_of::<Observation>() <= 40, "{}", std::mem::size_of::<Observation>());
        assert_eq!(std::mem::size_of::<crate::eval::grouping::Entry>(), 24);
    }

    #[test]
    fn interns_and_finds_duplicates() {
        let mut store = ObservationStore::new();
        let file = store.add_file("a.csv");
        let p = Period::parse("2022").unwrap();
        let base = NewObservation {
            element: "cases",
            org_unit: "vn",
            period: p,
            disaggregation: &[],
            value: 1.0,
            source: "s",
            status: ObservationStatus::Final,
            note: None,
            submitted: None,
            file,
            row: 2,
        };
        store.push(&base);
        store.push(&NewObservation { disaggregation: &[("sex", "female")], row: 3, ..base.clone() });
        store.push(&NewObservation { row: 4, ..base.clone() });
        store.push(&NewObservation { period: Period::parse("2023").unwrap(), row: 5, ..base.clone() });
        assert_eq!(store.len(), 4);
        assert_eq!(store.duplicates(), vec![(0, 2)]);
        assert_eq!(store.combos.len(), 2);
        assert_eq!(store.intern_combo(&[("sex", "female")]), 1);
        assert_eq!(store.origin(&store.observations[2]), ("a.csv".to_owned(), 4));
        assert_eq!(ObservationStatus::parse("Provisional"), Some(ObservationStatus::Provisional));
        assert_eq!(ObservationStatus::parse("draft"), None);
    }
}
