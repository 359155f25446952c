//! Names to ids: the caches in front of the catalogue that ten million rows go through, and the store ids they hand
//! out in the order rows are stored (as the store's interners do), so that pieces read on other threads give the ids
//! of one pass.

use chrono::NaiveDate;
use tiendo_core::Period;
use tiendo_core::eval::duplicates::{name_hash, period_hash};
use tiendo_core::eval::store::{FastMap, ObservationStatus, ObservationStore};
use tiendo_core::model::{Catalogue, Formula, Measure, OrgUnit};

use super::cells::{Levels, ValueKind};

/// What a lookup cache holds for a name the catalogue knows: what the row needs of it, and the store's id for it
/// once a row with it was stored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known<T> {
    pub info: T,
    pub id: Option<u32>,
    /// Its part of a row's key hash ([`tiendo_core::eval::duplicates::key_hash`]), for `tiendo check`, which keeps
    /// no store: of the name for an element or unit, of the period for a period; 0 for a source (not in the key).
    pub key: u64,
}

/// A period with its first and last day, so that rows do not compute dates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeriodDays {
    pub period: Period,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
}

/// Whether two short texts (a cell and the one it is compared with) are equal: a word at a time, inlined. Rows
/// compare five cells with the previous row's; a call to `memcmp` for each of these 7 to 36 byte texts was 5 % of
/// `eval` on W2.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().unwrap_or_default());
    if !(&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) {
        return false;
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// The last text looked up in one column and what it gave: rows repeat the previous row's far more often than not,
/// and comparing one string is cheaper than hashing it.
pub(crate) struct Recent<T> {
    text: String,
    value: Option<T>,
}

impl<T: Copy> Recent<T> {
    pub fn new() -> Self {
        Recent { text: String::new(), value: None }
    }

    pub fn get(&self, text: &str) -> Option<T> {
        self.value.filter(|_| same(&self.text, text))
    }

    pub fn set(&mut self, text: &str, value: T) {
        self.text.clear();
        self.text.push_str(text);
        self.value = Some(value);
    }
}

/// The source, status, note and submitted cells of the last row whose own cells all passed their checks, as one
/// text (see [`super::rows::RowLoader::row_in_place`]), and what they gave.
pub(crate) struct OwnCells {
    text: String,
    /// Whether `text` and the results are those of such a row.
    pub valid: bool,
    pub source: Known<()>,
    status: ObservationStatus,
    submitted: Option<NaiveDate>,
    /// The note's store id ([`tiendo_core::eval::store::NO_NOTE`] for none), once a row with these cells was stored.
    pub note: Option<u32>,
}

impl Default for OwnCells {
    fn default() -> Self {
        OwnCells {
            text: String::new(),
            valid: false,
            source: Known { info: (), id: None, key: 0 },
            status: ObservationStatus::Final,
            submitted: None,
            note: None,
        }
    }
}

impl OwnCells {
    /// Whether `own` is the kept text.
    pub fn is(&self, own: &str) -> bool {
        self.valid && same(&self.text, own)
    }

    /// What the kept cells gave: the source, status and submission date.
    pub fn results(&self) -> (Known<()>, ObservationStatus, Option<NaiveDate>) {
        (self.source, self.status, self.submitted)
    }

    /// Keeps `own` and what its cells gave when they all passed; forgets the kept ones when they did not. A row
    /// without `own` changes nothing.
    pub fn keep(&mut self, own: Option<&str>, checked: Option<(Known<()>, ObservationStatus, Option<NaiveDate>)>) {
        let Some(own) = own else { return };
        self.valid = false;
        if let Some((source, status, submitted)) = checked {
            self.text.clear();
            self.text.push_str(own);
            (self.valid, self.source, self.status, self.submitted, self.note) = (true, source, status, submitted, None);
        }
    }
}

/// The caches of one reader (one file, or one piece of it).
pub(crate) struct Interner<'a> {
    catalogue: &'a Catalogue,
    /// Known element ids (data elements and directly reported indicators): how values are read, and store id.
    elements: ElementTable,
    /// Period cells seen: the period (`None` if the cell is not a period) and its store id once stored.
    periods: FastMap<String, Option<Known<PeriodDays>>>,
    pub combos: FastMap<String, u32>,
    pub combo_key: String,
    sources: FastMap<String, Known<()>>,
    /// A hash cache in front of the catalogue's ordered map of org units: ten million string-compare descents add up.
    units: FastMap<String, Known<&'a OrgUnit>>,
    last_unit: Recent<Known<&'a OrgUnit>>,
    last_period: Recent<Option<Known<PeriodDays>>>,
    last_source: Recent<Known<()>>,
}

/// The levels of an ordinal indicator's scale, when they are whole numbers within 64 of each other (1, 2, 3, 4; 10,
/// 20, 50, 70); `None` for any other indicator or scale.
fn scale_levels(indicator: &tiendo_core::model::Indicator) -> Option<Levels> {
    (indicator.measure == Measure::Ordinal).then(|| Levels::of(indicator.scale.iter().map(|level| level.value)))?
}

/// The element an ordinal indicator reads as its value (its numerator, one element: E039 refuses any other), whose
/// values must be levels of the indicator's scale (round 66, found by a review helper: a tier of 15 on a scale of
/// 10, 20, 50, 70 was published).
fn scale_element(indicator: &tiendo_core::model::Indicator) -> Option<&str> {
    match &indicator.formula {
        Formula::Expression { numerator: tiendo_core::expr::Expr::Element(element), denominator: None } => {
            Some(element.element.as_str())
        }
        _ => None,
    }
}

impl<'a> Interner<'a> {
    pub fn new(catalogue: &'a Catalogue) -> Self {
        let mut elements = ElementTable::default();
        for element in catalogue.data_elements.values() {
            let info = ValueKind {
                value_type: element.value_type,
                percent: false,
                levels: None,
                sensitive: element.sensitive,
            };
            elements.insert(element.id.clone(), Known { info, id: None, key: name_hash(&element.id) });
        }
        for indicator in catalogue.indicators.values() {
            let (Some(levels), Some(element)) = (scale_levels(indicator), scale_element(indicator)) else { continue };
            if let Some(known) = elements.entry_mut(element) {
                // Read by two scales: a value must be a level of both.
                let both = known.info.levels.map_or(Some(levels), |other| Levels::both(other, levels));
                known.info.levels = both;
            }
        }
        for indicator in catalogue.indicators.values() {
            if matches!(indicator.formula, Formula::Reported) {
                // Checked as its measure's values are: a count is a whole number of at least 0 and a yes/no answer
                // 0 or 1 (E321), as for a data element of that type (a count of 2.5 was shown as 3, round 43).
                let value_type = match indicator.measure {
                    Measure::Count => tiendo_core::model::ValueType::Count,
                    Measure::YesNo => tiendo_core::model::ValueType::Boolean,
                    _ => tiendo_core::model::ValueType::Number,
                };
                let percent = indicator.measure == Measure::Percent;
                let sensitive = indicator.sensitive;
                let info = ValueKind { value_type, percent, levels: scale_levels(indicator), sensitive };
                elements.insert(indicator.id.clone(), Known { info, id: None, key: name_hash(&indicator.id) });
            }
        }
        Interner {
            catalogue,
            elements,
            periods: FastMap::default(),
            combos: FastMap::default(),
            combo_key: String::new(),
            sources: FastMap::default(),
            units: FastMap::default(),
            last_unit: Recent::new(),
            last_period: Recent::new(),
            last_source: Recent::new(),
        }
    }

    /// Forgets the org units looked up so far (not the last one): kept from piece to piece, every unit of a file
    /// would stay in each thread's cache (W2: 24,000 communes, 2 MB more at `check`'s peak), where a piece's rows
    /// name a handful (files are sorted by unit); periods and elements, few, are kept.
    pub fn forget_units(&mut self) {
        self.units.clear();
    }

    pub fn element(&mut self, name: &str) -> Option<Known<ValueKind>> {
        self.elements.get(name)
    }

    pub fn unit(&mut self, name: &str) -> Option<Known<&'a OrgUnit>> {
        if let Some(unit) = self.last_unit.get(name) {
            return Some(unit);
        }
        let unit = match self.units.get(name) {
            Some(unit) => Some(*unit),
            None => {
                let found =
                    self.catalogue.org_units.get(name).map(|info| Known { info, id: None, key: name_hash(name) });
                if let Some(found) = found {
                    self.units.insert(name.to_owned(), found);
                }
                found
            }
        };
        if let Some(unit) = unit {
            self.last_unit.set(name, unit);
        }
        unit
    }

    pub fn period(&mut self, text: &str) -> Option<Known<PeriodDays>> {
        if let Some(cached) = self.last_period.get(text) {
            return cached;
        }
        let cached = match self.periods.get(text) {
            Some(cached) => *cached,
            None => {
                // A date range with the days of a year, half, quarter, month or year from the 1st of a month is
                // that period (`2023-01-01..2023-12-31` is `2023`): one key, so that writing it twice is E301.
                let parsed =
                    Period::parse(text).ok().map(|p| p.standard_with_same_days().unwrap_or(p)).map(|period| Known {
                        info: PeriodDays { period, start: period.start(), end: period.end() },
                        id: None,
                        key: period_hash(period),
                    });
                self.periods.insert(text.to_owned(), parsed);
                parsed
            }
        };
        self.last_period.set(text, cached);
        cached
    }

    pub fn source(&mut self, name: &str) -> Option<Known<()>> {
        if let Some(known) = self.last_source.get(name) {
            return Some(known);
        }
        let known = match self.sources.get(name) {
            Some(known) => Some(*known),
            None => self.catalogue.sources.contains_key(name).then(|| {
                let known = Known { info: (), id: None, key: 0 };
                self.sources.insert(name.to_owned(), known);
                known
            }),
        };
        if let Some(known) = known {
            self.last_source.set(name, known);
        }
        known
    }

    /// The store ids of a row's element, unit, period and source, interning the names the first time one is stored.
    pub fn store_ids(
        &mut self,
        store: &mut ObservationStore,
        names: [&str; 4],
        known: (Option<u32>, Known<&'a OrgUnit>, Known<PeriodDays>, Option<u32>),
    ) -> [u32; 4] {
        let [element_name, unit_name, period_text, source] = names;
        let (element, unit, period, source_id) = known;
        let element_id = element.unwrap_or_else(|| {
            let id = store.elements.intern(element_name);
            self.elements.set_id(element_name, id);
            id
        });
        let unit_id = unit.id.unwrap_or_else(|| {
            let id = store.org_units.intern(unit_name);
            let known = Known { id: Some(id), ..unit };
            self.units.insert(unit_name.to_owned(), known);
            self.last_unit.set(unit_name, known);
            id
        });
        let period_id = period.id.unwrap_or_else(|| {
            let id = store.intern_period(period.info.period);
            let known = Some(Known { id: Some(id), ..period });
            self.periods.insert(period_text.to_owned(), known);
            self.last_period.set(period_text, known);
            id
        });
        let source_id = source_id.unwrap_or_else(|| {
            let id = store.sources.intern(source);
            let known = Known { info: (), id: Some(id), key: 0 };
            self.sources.insert(source.to_owned(), known);
            self.last_source.set(source, known);
            id
        });
        [element_id, unit_id, period_id, source_id]
    }
}

/// The known element ids with what the rows need of each, and a guess of the next row's element: data files list
/// a unit's elements in the same order period after period (W2: seven elements in turn), so the element that
/// followed this one last time is compared first, and the name is hashed only when the guess is wrong.
#[derive(Default)]
struct ElementTable {
    names: Vec<(String, Known<ValueKind>)>,
    index: FastMap<String, usize>,
    /// The entry found last, and per entry the one found after it last time.
    last: Option<usize>,
    next: Vec<Option<usize>>,
}

impl ElementTable {
    /// The entry of `name`, to change it while the table is built.
    fn entry_mut(&mut self, name: &str) -> Option<&mut Known<ValueKind>> {
        let at = *self.index.get(name)?;
        Some(&mut self.names[at].1)
    }

    fn insert(&mut self, name: String, known: Known<ValueKind>) {
        match self.index.get(&name) {
            Some(&at) => self.names[at].1 = known,
            None => {
                self.index.insert(name.clone(), self.names.len());
                self.names.push((name, known));
                self.next.push(None);
            }
        }
    }

    fn get(&mut self, name: &str) -> Option<Known<ValueKind>> {
        let guess = self.last.and_then(|last| self.next[last]);
        let found = match guess {
            Some(at) if same(&self.names[at].0, name) => Some(at),
            _ => self.index.get(name).copied(),
        };
        if let Some(at) = found {
            if let Some(last) = self.last {
                self.next[last] = Some(at);
            }
            self.last = Some(at);
        }
        found.map(|at| self.names[at].1)
    }

    fn set_id(&mut self, name: &str, id: u32) {
        if let Some(&at) = self.index.get(name) {
            self.names[at].1.id = Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_core::model::ValueType;

    fn kind(percent: bool) -> Known<ValueKind> {
        Known {
            info: ValueKind { value_type: ValueType::Number, percent, levels: None, sensitive: false },
            id: None,
            key: 0,
        }
    }

    #[test]
    fn same_is_string_equality() {
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefghj",
            "synthetic: generated, not real data",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
                let longer = format!("{a}{b}x");
                assert!(!same(&longer, &format!("{a}{b}y")));
                assert!(same(&longer, &longer.clone()));
            }
        }
    }

    #[test]
    fn element_guesses_never_change_the_answer() {
        // Rows in a cycle (the guess right), then out of order, unknown names, prefixes and a name set twice:
        // every lookup gives what the map alone gives.
        let mut table = ElementTable::default();
        let names = ["a", "bb", "ccc", "cases_detected", "cases_detected_x"];
        for (index, name) in names.iter().enumerate() {
            table.insert((*name).to_owned(), kind(index == 2));
        }
        table.insert("bb".to_owned(), kind(true));
        let rows = ["a", "bb", "ccc", "a", "bb", "ccc", "ccc", "a", "zz", "bb", "cases_detected", "cases_detected_x"];
        let mut state = 3u64;
        for round in 0..200 {
            for position in 0..rows.len() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let name = if round % 2 == 0 { rows[position] } else { rows[(state >> 33) as usize % rows.len()] };
                let expected = table.index.get(name).map(|&at| table.names[at].1.info.percent);
                assert_eq!(table.get(name).map(|known| known.info.percent), expected, "{name}");
            }
        }
        assert_eq!(table.get("bb").map(|known| known.info.percent), Some(true));
        table.set_id("ccc", 7);
        assert_eq!(table.get("ccc").and_then(|known| known.id), Some(7));
        assert!(table.get("cases").is_none());
    }
}
