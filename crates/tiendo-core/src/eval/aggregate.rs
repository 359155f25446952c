//! Aggregation of observations over disaggregations, time, org units and the 2025 succession of provinces.
//!
//! The rules (see `docs/methodology.md`, section "Aggregation"):
//!
//! 1. **Disaggregation.** For an element reference with filter F (empty for the total), the rows whose
//!    combination equals F exactly win; without them, the rows whose combination contains F are summed.
//! 2. **Territory.** The territory of an org unit u is u plus every unit whose successor chain leads to u
//!    (the new Đà Nẵng is Đà Nẵng, Quảng Nam and itself). Data entered for an old province therefore counts
//!    for its successor, and stays visible under the old province.
//! 3. **Reported values take precedence.** If any member of u's territory reported the element in the
//!    calendar year(s) of period p, u's value is computed from those reports (children are not added on top, so a
//!    national figure is never double-counted with province figures). Within p, the coarsest period type whose
//!    reports cover every sub-period of p is used (2022 itself, else both halves, else all four quarters, else all
//!    twelve months). Where the unit's reports leave days of p out, the units below hold those days
//!    ([`crate::eval::yielding`]): p's complete calendar parts, each from whoever reported it, else the complete sum
//!    of the units below; else the unit's own part.
//! 4. **Children.** Otherwise, if the element sums over org units, u's value is the sum of the values of its
//!    current children (those without successors) and of its predecessors (each the sum of its own
//!    children). A contributor without data is skipped; if none has data, the value is missing.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::eval::breakdown::{self, Shapes, period_cell};
use crate::eval::expected::ReportingLineages;
use crate::eval::group_index::GroupIndex;
use crate::eval::grouping::Tag;
use crate::eval::leaf_cache::LeafCache;
use crate::eval::store::{FastMap, Observation, ObservationStore};
use crate::eval::succession::Units;
use crate::eval::walk_leaves::{SERIES_FROM_VISITS, WalkLeaves};
use crate::eval::yielding::may_yield;
use crate::expr::ElementRef;
use crate::model::{Catalogue, OrgUnitAggregation, OrgUnitLevel, TimeAggregation, ValueType};
use crate::period::{Period, PeriodType};

pub use crate::eval::aggregate_value::{Aggregate, SourceMask, source_bit};

/// The rules an element reference aggregates by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregationRule {
    pub time: TimeAggregation,
    pub org_units: OrgUnitAggregation,
}

/// Pre-aggregated observations for a set of element references, answering "value of this reference at this
/// org unit in this period" under the rules of the module documentation.
///
/// The data is shared (behind an `Arc`) and read-only; each [`Cube`] adds its own memo and buffers, so that
/// [`Cube::warm`] can compute on both cores with one cube per thread.
#[derive(Debug)]
pub struct Cube<'s> {
    pub(crate) data: Arc<CubeData<'s>>,
    /// The values warming computed ([`Cube::warm`]), shared with the cubes forked after it.
    pub(crate) warmed: Option<Arc<crate::eval::warm::Warmed>>,
    /// Values computed outside warming.
    pub(crate) memo: FastMap<(usize, u32, Period), Option<Aggregate>>,
    pub(crate) own_buffer: Vec<(Period, Aggregate)>,
    /// A leaf's reported cells with their first and last days, reused from leaf to leaf (see `leaf_series`).
    pub(crate) cells_buffer: Vec<(Period, Aggregate, i32, i32)>,
    /// A monthly leaf's cell index per month, reused from leaf to leaf (see `leaf_series`).
    pub(crate) months_buffer: Vec<u32>,
    /// A leaf contributor's series while warming sums it into its parent, reused from leaf to leaf (see
    /// `Cube::series`).
    pub(crate) series_buffer: Vec<Option<Aggregate>>,
    /// The periods of each type that tile a period ([`Period::tiling`]), computed once: date arithmetic dominated
    /// the profile.
    pub(crate) subdivisions: FastMap<(Period, PeriodType), Vec<Period>>,
    /// The days that bound each queried period, computed once per period rather than once per query.
    pub(crate) bounds: FastMap<Period, Bounds>,
    /// The references whose leaves' series warming keeps for later passes, and the bytes they may take (see
    /// [`Cube::keep_leaf_series`]).
    pub(crate) keep_leaves: Vec<usize>,
    pub(crate) leaf_cache_budget: usize,
    /// What this cube's thread records while warming.
    pub(crate) cache_fill: Option<LeafCache>,
    /// The leaves' series warming kept, shared by the cubes forked after it.
    pub(crate) leaf_cache: Option<Arc<LeafCache>>,
    /// The last period list asked of `leaf_cache` and the positions of its periods there.
    cache_positions: (Vec<Period>, Option<Vec<usize>>),
    /// The states of leaves that coverage walks visit again and again (see [`crate::eval::walk_leaves`]).
    pub(crate) walk_leaves: WalkLeaves,
}

/// Periods to ask [`Cube::values_over`] for, with the days each one looks at computed once.
#[derive(Debug, Clone)]
pub struct PeriodSet {
    pub(crate) periods: Vec<Period>,
    pub(crate) bounds: Vec<Bounds>,
}

impl PeriodSet {
    pub fn new(periods: &[Period]) -> PeriodSet {
        PeriodSet { periods: periods.to_vec(), bounds: periods.iter().map(|&period| Bounds::of(period)).collect() }
    }

    pub fn periods(&self) -> &[Period] {
        &self.periods
    }
}

/// The days a query for a period looks at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    /// First day of the period (days from the common era).
    pub(crate) window_first_day: i32,
    /// Last day of the period.
    pub(crate) window_end: NaiveDate,
    /// The same, in days from the common era.
    pub(crate) window_last_day: i32,
    /// First day of the first calendar year the period touches, and last day of the last one.
    pub(crate) years_first_day: i32,
    pub(crate) years_last_day: i32,
    /// For a calendar year, half, quarter or month: its first month (`year * 12 + month - 1`) and how many months
    /// it has; `None` for a date range or a year from another day.
    pub(crate) months: Option<(i32, u32)>,
}

impl Bounds {
    pub(crate) fn of(period: Period) -> Bounds {
        // The calendar years the period touches: a unit that reported anything in them is the authority for
        // them, so its children never fill the gaps between its own reports.
        let years = Period::Range(Period::Year(period.year()).start(), Period::Year(period.end().year()).end());
        Bounds {
            window_first_day: period.start().num_days_from_ce(),
            window_end: period.end(),
            window_last_day: period.end().num_days_from_ce(),
            years_first_day: years.start().num_days_from_ce(),
            years_last_day: years.end().num_days_from_ce(),
            months: calendar_months(period),
        }
    }
}

/// The first month (`year * 12 + month - 1`) and the number of months of a calendar year, half, quarter or month.
pub(crate) fn calendar_months(period: Period) -> Option<(i32, u32)> {
    // From the period's fields, not its first day: this runs for every cell of every leaf.
    let (year, first, count) = match period {
        Period::Year(year) => (year, 0, 12),
        Period::Half(year, half) => (year, (i32::from(half) - 1) * 6, 6),
        Period::Quarter(year, quarter) => (year, (i32::from(quarter) - 1) * 3, 3),
        Period::Month(year, month) => (year, i32::from(month) - 1, 1),
        Period::YearFrom(..) | Period::Range(..) => return None,
    };
    Some((year * 12 + first, count))
}

impl<'s> std::ops::Deref for Cube<'s> {
    type Target = CubeData<'s>;

    fn deref(&self) -> &CubeData<'s> {
        &self.data
    }
}

/// The read-only part of a [`Cube`].
#[derive(Debug)]
pub struct CubeData<'s> {
    /// The store, grouped ([`ObservationStore::group`]): the caller's if it was, else a grouped copy.
    pub(crate) store: Cow<'s, ObservationStore>,
    pub(crate) refs: Vec<ElementRef>,
    pub(crate) rules: Vec<AggregationRule>,
    /// Per reference: the store's element index.
    pub(crate) ref_elements: Vec<Option<u32>>,
    /// Per reference: the decimals a sum of its values has at most ([`crate::eval::written`]).
    pub(crate) scales: Vec<Option<u8>>,
    /// Per reference: whether its element counts (`value_type = "count"`): never negative, so a period's value is
    /// never less than a part's ([`Cube::own_or_below`]).
    pub(crate) counts: Vec<bool>,
    /// Per reference: how each combination's rows are read (see [`crate::eval::breakdown`]).
    pub(crate) shapes: Vec<Shapes>,
    /// Per reference: the levels of the org units the data sets holding its element expect to report it (every data
    /// set's, not the first's by id: a country-level set before a provincial one left the provinces unexpected, and a
    /// national sum of 2 of 3 provinces read "2 of 2 units"; round 74, found by an adversarial tester).
    pub(crate) expected_level: Vec<Vec<OrgUnitLevel>>,
    /// How many of the store's observations are grouped (all but the duplicates): see [`CubeData::entries`].
    pub(crate) kept: usize,
    /// (element, org unit) -> range in `entries`.
    pub(crate) groups: GroupIndex,
    /// The same ranges in (element, org unit) order.
    pub(crate) group_list: Vec<(u32, u32, usize, usize)>,
    pub(crate) period_starts: Vec<NaiveDate>,
    /// Per store period: its first day (days from the common era). Entries are found by day with a binary search
    /// of a group's entries through this table (a few hundred periods, in cache), not a day per entry (which was
    /// 4 bytes an observation at the peak).
    pub(crate) period_first_days: Vec<i32>,
    /// See [`crate::eval::grouping::Grouping::element_periods`].
    pub(crate) element_periods: Vec<bool>,
    pub(crate) period_ends: Vec<NaiveDate>,
    /// The catalogue's org units: territories, contributors, validity.
    pub(crate) units: Units,
    /// Per unit: the store's org unit index, if it reported anything.
    pub(crate) unit_in_store: Vec<Option<u32>>,
    /// Per reference: the lineages in which a unit reports its element, whose units are expected to.
    pub(crate) reporting: ReportingLineages,
    pub(crate) duplicates: Vec<(usize, usize)>,
    /// The bits of the store's synthetic sources (see [`crate::eval::sources`]; bit 63 when any source of index 63
    /// or more is synthetic).
    pub(crate) synthetic_sources: SourceMask,
}

impl CubeData<'_> {
    /// The grouped observations (the store's first `kept`), group after group (in (org unit, element) order): each
    /// (element, org unit) in time order, then by combination.
    pub(crate) fn entries(&self) -> &[Observation] {
        &self.store.observations[..self.kept]
    }

    /// The source bit and status of each of [`CubeData::entries`].
    pub(crate) fn tags(&self) -> &[Tag] {
        self.store.grouping().map_or(&[], |grouping| &grouping.tags)
    }

    /// The one tag of every entry, if they all have the same ([`crate::eval::grouping::Grouping::uniform_tag`]).
    pub(crate) fn uniform_tag(&self) -> Option<Tag> {
        self.store.grouping().and_then(|grouping| grouping.uniform_tag)
    }
}

impl<'s> Cube<'s> {
    /// Builds the cube for `refs`; `rules[i]` is how `refs[i]` aggregates. Duplicated observations (same
    /// element, org unit, period and disaggregation) count once: the first in input order.
    pub fn build(
        catalogue: &Catalogue,
        store: &'s ObservationStore,
        refs: Vec<ElementRef>,
        rules: Vec<AggregationRule>,
        threads: usize,
    ) -> Cube<'s> {
        let ref_elements: Vec<Option<u32>> = refs.iter().map(|r| store.elements.get(&r.element)).collect();
        let scales = crate::eval::written::ref_scales(catalogue, store, &ref_elements, (&refs, &rules));
        let shapes: Vec<Shapes> = (refs.iter().zip(&rules))
            .map(|(r, rule)| breakdown::shapes(catalogue, store, r, rule.org_units != OrgUnitAggregation::None))
            .collect();
        let counts = (refs.iter())
            .map(|r| catalogue.data_elements.get(&r.element).is_some_and(|e| e.value_type == ValueType::Count))
            .collect();
        let expected_level = refs
            .iter()
            .map(|r| {
                let mut levels: Vec<OrgUnitLevel> = (catalogue.data_sets.values())
                    .filter(|ds| ds.elements.contains(&r.element))
                    .map(|ds| ds.org_unit_level)
                    .collect();
                levels.sort_unstable();
                levels.dedup();
                levels
            })
            .collect();
        let store: Cow<'s, ObservationStore> = if store.grouping().is_some() {
            Cow::Borrowed(store)
        } else {
            let mut copy = store.clone();
            copy.group(threads);
            Cow::Owned(copy)
        };
        let (kept, group_list, element_periods, duplicates) = match store.grouping() {
            Some(g) => (g.kept, g.groups.clone(), g.element_periods.clone(), g.duplicates.clone()),
            None => Default::default(),
        };
        let groups = GroupIndex::new(&group_list, store.elements.len(), store.org_units.len());
        let period_starts: Vec<NaiveDate> = store.periods.iter().map(Period::start).collect();
        let period_first_days = period_starts.iter().map(|day| day.num_days_from_ce()).collect();
        let period_ends = store.periods.iter().map(Period::end).collect();
        let units = Units::build(catalogue);
        let unit_in_store = units.ids.iter().map(|id| store.org_units.get(id)).collect();
        let reporting = ReportingLineages::build(&refs, (catalogue, &store), &group_list, &units);
        let synthetic_sources = store.sources.names().iter().enumerate().fold(0, |mask, (index, name)| {
            let synthetic = catalogue.sources.get(name).is_some_and(|s| s.kind == crate::model::SourceKind::Synthetic);
            if synthetic { mask | source_bit(index as u32) } else { mask }
        });
        let data = CubeData {
            store,
            refs,
            rules,
            ref_elements,
            scales,
            counts,
            shapes,
            expected_level,
            kept,
            groups,
            group_list,
            period_starts,
            period_first_days,
            element_periods,
            period_ends,
            units,
            unit_in_store,
            reporting,
            duplicates,
            synthetic_sources,
        };
        Cube::with_data(Arc::new(data))
    }

    /// A cube over the same data with a memo of its own, for another thread: values are pure functions of the data,
    /// so both give the same values.
    pub fn fork(&self) -> Cube<'s> {
        let mut cube = Cube::with_data(Arc::clone(&self.data));
        cube.leaf_cache = self.leaf_cache.clone();
        cube.warmed = self.warmed.clone();
        cube.walk_leaves = WalkLeaves::new(self.walk_leaves.periods(), self.walk_leaves.series_from);
        cube
    }

    /// Asks [`Cube::warm`] to keep the leaves' series of references `keep` (indices into the cube's references) for
    /// later reads ([`Cube::values_over`] at a leaf), as many as fit in `budget` bytes, the first ones first
    /// (evaluation gives [`crate::eval::leaf_cache::BYTES_PER_OBSERVATION`] per observation). The values read are
    /// the same either way; only their cost changes.
    pub(crate) fn keep_leaf_series(&mut self, keep: Vec<usize>, budget: usize) {
        self.keep_leaves = keep;
        self.leaf_cache_budget = budget;
    }

    pub(crate) fn with_data(data: Arc<CubeData<'s>>) -> Cube<'s> {
        Cube {
            data,
            warmed: None,
            memo: FastMap::default(),
            own_buffer: Vec::new(),
            cells_buffer: Vec::new(),
            months_buffer: Vec::new(),
            series_buffer: Vec::new(),
            subdivisions: FastMap::default(),
            bounds: FastMap::default(),
            keep_leaves: Vec::new(),
            leaf_cache_budget: 0,
            cache_fill: None,
            leaf_cache: None,
            cache_positions: (Vec::new(), None),
            walk_leaves: WalkLeaves::new(None, SERIES_FROM_VISITS),
        }
    }

    /// Warnings about the data the references read: breakdowns of one total that disagree (W331), restatements
    /// by a new unit that differ from its predecessors' reports (W332), and a unit's reports over time that disagree
    /// with their parts (W339) or overlap (W340), a unit's own total below what the units inside it report (W350). The values of the store elements in `withheld` (sensitive ones,
    /// unless suppressed values are shown) are not quoted; rows below a merged unit for days after it ended that its
    /// successor's territory reported itself (W345) are named.
    pub fn aggregation_diagnostics(&self, withheld: &[u32]) -> Vec<crate::diagnostic::Diagnostic> {
        self.aggregation_findings(withheld).0
    }

    /// [`Cube::aggregation_diagnostics`], and the reports that the reports of their parts contradict (W339), sorted
    /// and each once ([`crate::eval::over_time::Contested`]).
    pub(crate) fn aggregation_findings(
        &self,
        withheld: &[u32],
    ) -> (Vec<crate::diagnostic::Diagnostic>, Vec<crate::eval::over_time::Contested>) {
        let mut contested = Vec::new();
        let mut elements: Vec<u32> = self.ref_elements.iter().flatten().copied().collect();
        elements.sort_unstable();
        elements.dedup();
        let groups: Vec<(u32, u32, usize, usize)> =
            self.group_list.iter().copied().filter(|g| elements.binary_search(&g.0).is_ok()).collect();
        let refs: Vec<(&ElementRef, u32, &Shapes, bool)> = self
            .refs
            .iter()
            .zip(&self.ref_elements)
            .zip(&self.shapes)
            .zip(&self.counts)
            .filter_map(|(((r, element), shapes), &count)| Some((r, (*element)?, shapes, count)))
            .collect();
        let mut out = breakdown::disagreements(&self.store, self.entries(), self.tags(), &groups, (&refs, withheld));
        let mut times: Vec<(u32, TimeAggregation)> = (self.ref_elements.iter().zip(&self.rules))
            .filter_map(|(element, rule)| Some(((*element)?, rule.time)))
            .collect();
        times.sort_unstable();
        times.dedup_by_key(|(element, _)| *element);
        let summed_over_units: Vec<u32> = (self.ref_elements.iter().zip(&self.rules))
            .filter(|(_, rule)| rule.org_units != OrgUnitAggregation::None)
            .filter_map(|(element, _)| *element)
            .collect::<std::collections::BTreeSet<u32>>()
            .into_iter()
            .collect();
        out.extend(crate::eval::restatements::restatement_conflicts(
            &self.units,
            &self.store,
            self.entries(),
            &self.groups,
            (&times, withheld, &summed_over_units),
        ));
        let rows = crate::eval::after_end::Rows {
            units: &self.units,
            store: &self.store,
            entries: self.entries(),
            groups: &self.groups,
        };
        for rows_past_end in [crate::eval::after_end::rows_after_end, crate::eval::after_end::split_rows_past_end] {
            out.extend(rows_past_end(&rows, &summed_over_units));
        }
        // The elements read by one rule over time, sorted.
        let read_by = |time: TimeAggregation| {
            let mut elements: Vec<u32> = (self.ref_elements.iter().zip(&self.rules))
                .filter(|(_, rule)| rule.time == time)
                .filter_map(|(element, _)| *element)
                .collect();
            elements.sort_unstable();
            elements.dedup();
            elements
        };
        let (summed, stocks) = (read_by(TimeAggregation::Sum), read_by(TimeAggregation::Last));
        let by_breakdown = crate::eval::over_time::disagreements_over_time(
            &self.store,
            self.entries(),
            &groups,
            (&summed, &stocks, withheld),
            &mut contested,
        );
        let totals: Vec<(u32, &Shapes, bool)> = (refs.iter())
            .filter(|(r, element, ..)| r.filter.is_empty() && summed.binary_search(element).is_ok())
            .map(|&(_, element, shapes, count)| (element, shapes, count))
            .collect();
        // W350 reads counts added up over the units (a count is never negative, so the units below bound it).
        let counted: Vec<(u32, &Shapes)> = (totals.iter())
            .filter(|&&(element, _, count)| count && summed_over_units.binary_search(&element).is_ok())
            .map(|&(element, shapes, _)| (element, shapes))
            .collect();
        out.extend(crate::eval::over_time::totals_disagree(
            &self.store,
            (self.entries(), self.tags()),
            &groups,
            (&totals, withheld, &by_breakdown),
            &mut contested,
        ));
        out.extend(by_breakdown);
        out.extend(crate::eval::below_own::units_below_exceed(
            (&self.store, &self.units),
            (self.entries(), self.tags()),
            &groups,
            (&counted, withheld, self.synthetic_sources),
        ));
        out.extend(crate::eval::exact_range::sums_beyond_exact(&self.store, self.entries(), &elements));
        contested.sort_unstable_by_key(|&(element, unit, period)| (element, unit, period.start(), period.end()));
        contested.dedup();
        (out, contested)
    }

    /// Whether `value` is `org_unit`'s own report of part of the period (three quarters of a year, an old province's
    /// first half of 2025), `org_unit` being a unit whose territory is itself. Such a value counts for a parent, which
    /// is then partial, but it is not published as the unit's value for the whole period: a reader would take it
    /// for the period. A merged unit's value from part of its old units is published, marked partial.
    pub fn is_own_partial_period(&self, org_unit: &str, value: &Aggregate) -> bool {
        value.partial_time
            && !value.from_children
            && self.units.index.get(org_unit).is_some_and(|&u| self.units.territory[u as usize].len() == 1)
    }

    pub fn refs(&self) -> &[ElementRef] {
        &self.refs
    }

    /// The pairs (first, duplicate) of positions in [`Cube::store`] of observations that share a key; the
    /// duplicates were left out.
    pub fn duplicates(&self) -> &[(usize, usize)] {
        &self.duplicates
    }

    /// The grouped store the cube reads: positions in it are what [`Cube::duplicates`] gives.
    pub fn store(&self) -> &ObservationStore {
        &self.store
    }

    /// The index of `element_ref` among the cube's references.
    pub fn ref_index(&self, element_ref: &ElementRef) -> Option<usize> {
        self.refs.iter().position(|r| r.element == element_ref.element && r.filter == element_ref.filter)
    }

    fn ref_groups(&self) -> impl Iterator<Item = &(u32, u32, usize, usize)> {
        self.group_list.iter().filter(|(element, ..)| self.ref_elements.contains(&Some(*element)))
    }

    /// Every period in which any reference has data reported, in order.
    pub fn reported_periods(&self) -> Vec<Period> {
        let count = self.store.periods.len();
        let mut periods: Vec<Period> = (0..count)
            .filter(|&period| {
                self.ref_elements
                    .iter()
                    .flatten()
                    .any(|&element| self.element_periods[element as usize * count + period])
            })
            .map(|period| self.store.periods[period])
            .collect();
        periods.sort();
        periods
    }

    /// The org units that reported any reference, in id order.
    pub fn reporting_units(&self) -> Vec<String> {
        let mut units: Vec<String> =
            self.ref_groups().map(|(_, unit, ..)| self.store.org_units.name(*unit).to_owned()).collect();
        units.sort();
        units.dedup();
        units
    }

    /// The territory of `org_unit`: itself and the units whose successor chains lead to it, in id order.
    pub fn territory_of(&self, org_unit: &str) -> Vec<String> {
        match self.units.index.get(org_unit) {
            Some(&unit) => {
                self.units.territory[unit as usize].iter().map(|&u| self.units.ids[u as usize].clone()).collect()
            }
            None => vec![org_unit.to_owned()],
        }
    }

    /// The values of reference `ref_index` at `org_unit` in each period of `set`, equal to what [`Cube::value`]
    /// gives one period at a time; `None` for an unknown org unit. A leaf's reports are read once for all the
    /// periods; other units' values come from the memo.
    pub fn values_over(&mut self, ref_index: usize, org_unit: &str, set: &PeriodSet) -> Option<Vec<Option<Aggregate>>> {
        let unit = *self.units.index.get(org_unit)?;
        Some(self.values_over_unit(ref_index, unit, set))
    }

    /// [`Cube::values_over`] for the unit of index `unit`, without looking its id up.
    pub(crate) fn values_over_unit(&mut self, ref_index: usize, unit: u32, set: &PeriodSet) -> Vec<Option<Aggregate>> {
        if self.units.contributors[unit as usize].is_empty() {
            if let Some(series) = self.kept_leaf_series(ref_index, unit, &set.periods) {
                return series;
            }
            return self.leaf_series(ref_index, unit, &set.periods, &set.bounds);
        }
        set.periods.iter().map(|&period| self.value_of(ref_index, unit, period)).collect()
    }

    /// The series of reference `ref_index` at leaf `unit` over `periods` that warming kept, if it did.
    fn kept_leaf_series(&mut self, ref_index: usize, unit: u32, periods: &[Period]) -> Option<Vec<Option<Aggregate>>> {
        let cache = self.leaf_cache.as_ref()?;
        if !cache.keeps(ref_index) {
            return None;
        }
        if self.cache_positions.0 != periods {
            self.cache_positions = (periods.to_vec(), cache.positions(periods));
        }
        cache.series(ref_index, unit, self.cache_positions.1.as_deref()?)
    }

    /// The value of reference `ref_index` at `org_unit` in `period`; `None` for an unknown org unit.
    pub fn value(&mut self, ref_index: usize, org_unit: &str, period: Period) -> Option<Aggregate> {
        let unit = *self.units.index.get(org_unit)?;
        self.value_of(ref_index, unit, period)
    }

    pub(crate) fn value_of(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Aggregate> {
        // Leaves are asked once per parent: memoising them would only cost.
        if self.units.contributors[unit as usize].is_empty() {
            return self.compute(ref_index, unit, period);
        }
        if let Some(value) = self.warmed.as_ref().and_then(|warmed| warmed.get(ref_index, unit, period)) {
            return value;
        }
        let key = (ref_index, unit, period);
        if let Some(value) = self.memo.get(&key) {
            return *value;
        }
        let value = self.compute(ref_index, unit, period);
        self.memo.insert(key, value);
        value
    }

    /// Reports of `member` for the reference within `window`, as (period, value) with the disaggregation rule
    /// applied; and whether any report falls in `years`.
    pub(crate) fn reports(
        &self,
        ref_index: usize,
        member: u32,
        bounds: &Bounds,
        own: &mut Vec<(Period, Aggregate)>,
    ) -> bool {
        let (Some(element), Some(unit)) = (self.ref_elements[ref_index], self.unit_in_store[member as usize]) else {
            return false;
        };
        let Some((start, end)) = self.groups.get(element, unit) else {
            return false;
        };
        let slice = &self.entries()[start..end];
        let tags = &self.tags()[start..end];
        let window_end = bounds.window_end;
        let years_first = self.first_from_day(slice, bounds.years_first_day);
        let years_last = self.first_from_day(slice, bounds.years_last_day + 1);
        let shapes = &self.shapes[ref_index];
        // Whether the unit reported in these years: any row does for a total; a filtered reference needs a
        // row of a matching combination.
        let any_in_years = if self.refs[ref_index].filter.is_empty() {
            years_first < years_last
        } else {
            slice[years_first..years_last].iter().any(|entry| shapes.codes[entry.combo as usize] != 0)
        };
        if !any_in_years {
            return false;
        }
        let window_first = bounds.window_first_day;
        let mut position = years_first + self.first_from_day(&slice[years_first..years_last], window_first);
        while position < years_last {
            let period_index = slice[position].period;
            let (period_start, period_end) =
                (self.period_starts[period_index as usize], self.period_ends[period_index as usize]);
            if period_start > window_end {
                break;
            }
            // One reported period: every combination reported for it.
            let (value, next) = period_cell(slice, tags, position, shapes);
            if period_end <= window_end
                && let Some(value) = value
            {
                own.push((self.store.periods[period_index as usize], value));
            }
            position = next;
        }
        true
    }

    /// The number of `entries` (of one group, in time order) whose period starts before `day` (days from the
    /// common era): where the first entry starting on or after `day` is.
    pub(crate) fn first_from_day(&self, entries: &[Observation], day: i32) -> usize {
        entries.partition_point(|entry| self.period_first_days[entry.period as usize] < day)
    }

    /// For a stock (`time_aggregation = "last"`, the value on the period's last day), `value` unless it is other
    /// than the unit's own complete report of that day and the unit reported a longer period ending that day itself:
    /// then that report (the province's own 2025 is its stock for December; round 52, found by a review helper: one
    /// district's 7 stood for the province's and the nation's December beside the province's own 21 for the year).
    /// Gives no value where `value` has none, so no period gets a value it had not; a leaf's values are its own.
    pub(crate) fn stock_of_the_day(
        &self,
        ref_index: usize,
        (unit, period): (u32, Period),
        value: Option<Aggregate>,
    ) -> Option<Aggregate> {
        let own_of_the_day = |v: &Aggregate| !(v.from_children || v.members_below || v.partly_own || v.is_partial());
        // A leaf's own values are its reports as they are (`leaf_series`, the same values period by period).
        let leaf = self.units.contributors[unit as usize].is_empty();
        if leaf || self.rules[ref_index].time != TimeAggregation::Last || value.is_none_or(|v| own_of_the_day(&v)) {
            return value;
        }
        self.own_stock_ending_on(ref_index, unit, period).map(Aggregate::as_one_unit).or(value)
    }

    /// `unit`'s own report of the reference for the shortest period that starts before `period` and ends on its last
    /// day, if any.
    fn own_stock_ending_on(&self, ref_index: usize, unit: u32, period: Period) -> Option<Aggregate> {
        let (element, store_unit) = (self.ref_elements[ref_index]?, self.unit_in_store[unit as usize]?);
        let (start, end) = self.groups.get(element, store_unit)?;
        let slice = &self.entries()[start..end];
        let before = self.first_from_day(slice, period.start().num_days_from_ce());
        let mut at =
            (0..before).rev().find(|&at| self.store.periods[slice[at].period as usize].end() == period.end())?;
        // The first row of that period's cell.
        while at > 0 && slice[at - 1].period == slice[at].period {
            at -= 1;
        }
        period_cell(slice, &self.tags()[start..end], at, &self.shapes[ref_index]).0
    }

    fn compute(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Aggregate> {
        let rule = self.rules[ref_index];
        // The period's days and those of the calendar years it touches (see `Bounds::of`).
        let bounds = *self.bounds.entry(period).or_insert_with(|| Bounds::of(period));
        let sums_children = rule.org_units != OrgUnitAggregation::None;
        if let Some(own) = self.own_value(ref_index, unit, period, &bounds) {
            if !(sums_children && may_yield(own) && !self.units.contributors[unit as usize].is_empty()) {
                return self.stock_of_the_day(ref_index, (unit, period), own);
            }
            let below = self.children_sum(ref_index, unit, period, &[]);
            let value = self.own_or_below(ref_index, (unit, period), own, below);
            return self.stock_of_the_day(ref_index, (unit, period), value);
        }
        if !sums_children {
            return None;
        }
        // No member of the territory reported in these years: sum the children and the predecessors (whose
        // values are themselves sums of their children, computed once and memoised).
        self.children_sum(ref_index, unit, period, &[])
    }

    /// The sum of `unit`'s contributors (its children and predecessors) in `period`, leaving out those in `skip`
    /// (the members of a territory, counted on their own), each missing one counting for the units expected below it
    /// ([`CubeData::expected_count`]); `None` when none has a value.
    pub(crate) fn children_sum(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
        skip: &[u32],
    ) -> Option<Aggregate> {
        let contributors = self.units.contributors[unit as usize].clone();
        let mut total: Option<Aggregate> = None;
        let mut missing = 0;
        for contributor in contributors.into_iter().filter(|c| !skip.contains(c)) {
            match self.contribution(ref_index, contributor, period) {
                Some(Some(value)) => add_child(&mut total, value),
                Some(None) => missing += self.missing_below(ref_index, unit, contributor, period),
                None => {}
            }
        }
        if let Some(total) = &mut total {
            total.expected += missing;
        }
        total
    }
}

/// Adds a contributor's value to a sum over org units, marking the sum as built from children.
pub(crate) fn add_child(total: &mut Option<Aggregate>, mut value: Aggregate) {
    value.from_children = true;
    value.tiled_by = None;
    value.partly_own = false;
    value.members_below = false;
    match total {
        Some(sum) => sum.add(&value),
        None => *total = Some(value),
    }
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;
