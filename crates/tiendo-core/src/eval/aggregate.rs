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
//!    calendar year(s) of period p, u's value is computed from those reports alone (children are not added on
//!    top, so a national figure is never double-counted with province figures, and a national series is not
//!    patched with province sums in the quarters the nation did not report). Within p, the coarsest period type whose
//!    reports cover every sub-period of p is used (2022 itself, else both halves, else all four quarters,
//!    else all twelve months); if no type covers p, the value is missing rather than a partial sum.
//! 4. **Children.** Otherwise, if the element sums over org units, u's value is the sum of the values of the
//!    current children (those without successors) of every member of u's territory. A child without data
//!    is skipped; if no child has data, the value is missing.

use chrono::{Datelike, NaiveDate};

use crate::eval::store::{FastMap, Observation, ObservationStatus, ObservationStore};
use crate::expr::ElementRef;
use crate::model::{Catalogue, OrgUnitAggregation, TimeAggregation};
use crate::period::{Period, PeriodType};

/// A source bit mask: bit i is the store's source i; bit 63 stands for any source index of 63 or more.
pub type SourceMask = u64;

pub fn source_bit(source: u32) -> SourceMask {
    1u64 << source.min(63)
}

/// An aggregated value with its provenance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    pub value: f64,
    pub sources: SourceMask,
    /// Whether any contributing observation was provisional.
    pub provisional: bool,
    /// Whether the value is a sum over child org units rather than reported for the unit's own territory.
    pub from_children: bool,
}

impl Aggregate {
    fn add(&mut self, other: &Aggregate) {
        self.value += other.value;
        self.sources |= other.sources;
        self.provisional |= other.provisional;
        self.from_children |= other.from_children;
    }
}

/// The rules an element reference aggregates by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregationRule {
    pub time: TimeAggregation,
    pub org_units: OrgUnitAggregation,
}

/// The observations of one store in key order (data element, org unit, period, disaggregation), without
/// duplicates, with the pairs (first, duplicate) that were dropped.
///
/// Sorting packed `u64` keys costs 8 bytes an observation and finds duplicates as neighbours, where a hash
/// set would cost about 20.
pub fn sorted_observations(store: &ObservationStore) -> (Vec<u32>, Vec<(usize, usize)>) {
    let mut ranks: Vec<u32> = vec![0; store.periods.len()];
    let mut by_time: Vec<usize> = (0..store.periods.len()).collect();
    by_time.sort_by(|a, b| store.periods[*a].cmp(&store.periods[*b]));
    for (rank, &index) in by_time.iter().enumerate() {
        ranks[index] = rank as u32;
    }
    let bits = |n: usize| usize::BITS - n.saturating_sub(1).leading_zeros();
    let (element_bits, unit_bits, period_bits, combo_bits) =
        (bits(store.elements.len()), bits(store.org_units.len()), bits(store.periods.len()), bits(store.combos.len()));
    let key = |o: &Observation| -> u64 {
        let mut key = u64::from(o.element);
        key = (key << unit_bits) | u64::from(o.org_unit);
        key = (key << period_bits) | u64::from(ranks[o.period as usize]);
        (key << combo_bits) | u64::from(o.combo)
    };
    let total_bits = element_bits + unit_bits + period_bits + combo_bits;
    let order: Vec<u32> = if total_bits <= 32 {
        // Key and index share one u64: a plain integer sort.
        let mut packed: Vec<u64> =
            store.observations.iter().enumerate().map(|(i, o)| (key(o) << 32) | i as u64).collect();
        packed.sort_unstable();
        packed.into_iter().map(|v| v as u32).collect()
    } else {
        let mut pairs: Vec<(u64, u32)> =
            store.observations.iter().enumerate().map(|(i, o)| (key(o), i as u32)).collect();
        pairs.sort_unstable();
        pairs.into_iter().map(|(_, i)| i).collect()
    };
    let same = |a: u32, b: u32| {
        let (a, b) = (&store.observations[a as usize], &store.observations[b as usize]);
        (a.element, a.org_unit, a.period, a.combo) == (b.element, b.org_unit, b.period, b.combo)
    };
    let mut duplicates = Vec::new();
    let mut kept: Vec<u32> = Vec::with_capacity(order.len());
    let mut first_of_run = 0usize;
    for index in order {
        match kept.last() {
            Some(&last) if same(last, index) => duplicates.push((first_of_run, index as usize)),
            _ => {
                first_of_run = index as usize;
                kept.push(index);
            }
        }
    }
    duplicates.sort_by_key(|&(_, d)| d);
    (kept, duplicates)
}

/// Pre-aggregated observations for a set of element references, answering "value of this reference at this
/// org unit in this period" under the rules of the module documentation.
#[derive(Debug)]
pub struct Cube<'s> {
    store: &'s ObservationStore,
    refs: Vec<ElementRef>,
    rules: Vec<AggregationRule>,
    /// Per reference: the store's element index.
    ref_elements: Vec<Option<u32>>,
    /// Per reference and combination: 2 = exact match, 1 = contains the filter, 0 = no match.
    matches: Vec<Vec<u8>>,
    /// Observation indices in key order, without duplicates.
    order: Vec<u32>,
    /// (element, org unit) -> range in `order`.
    groups: FastMap<(u32, u32), (usize, usize)>,
    period_starts: Vec<NaiveDate>,
    territory: FastMap<String, Vec<String>>,
    current_children: FastMap<String, Vec<String>>,
    memo: FastMap<(usize, String, Period), Option<Aggregate>>,
    duplicates: Vec<(usize, usize)>,
}

impl<'s> Cube<'s> {
    /// Builds the cube for `refs`; `rules[i]` is how `refs[i]` aggregates. Duplicated observations (same
    /// element, org unit, period and disaggregation) count once: the first in input order.
    pub fn build(
        catalogue: &Catalogue,
        store: &'s ObservationStore,
        refs: Vec<ElementRef>,
        rules: Vec<AggregationRule>,
    ) -> Cube<'s> {
        let ref_elements: Vec<Option<u32>> = refs.iter().map(|r| store.elements.get(&r.element)).collect();
        let matches: Vec<Vec<u8>> = refs
            .iter()
            .map(|element_ref| {
                store
                    .combos
                    .iter()
                    .map(|combo| {
                        let contains = element_ref
                            .filter
                            .iter()
                            .all(|(category, option)| combo.iter().any(|(c, o)| c == category && o == option));
                        if !contains {
                            0
                        } else if combo.len() == element_ref.filter.len() {
                            2
                        } else {
                            1
                        }
                    })
                    .collect()
            })
            .collect();
        let (order, duplicates) = sorted_observations(store);
        let mut groups: FastMap<(u32, u32), (usize, usize)> = FastMap::default();
        let mut run_start = 0;
        for position in 0..order.len() {
            let o = &store.observations[order[position] as usize];
            let next_differs = order.get(position + 1).is_none_or(|&n| {
                let next = &store.observations[n as usize];
                (next.element, next.org_unit) != (o.element, o.org_unit)
            });
            if next_differs {
                groups.insert((o.element, o.org_unit), (run_start, position + 1));
                run_start = position + 1;
            }
        }
        let period_starts = store.periods.iter().map(Period::start).collect();
        let mut territory: FastMap<String, Vec<String>> = FastMap::default();
        let mut current_children: FastMap<String, Vec<String>> = FastMap::default();
        for unit in catalogue.org_units.values() {
            for successor in catalogue.final_successors(&unit.id) {
                territory.entry(successor).or_default().push(unit.id.clone());
            }
            if unit.successors.is_empty()
                && let Some(parent) = &unit.parent
            {
                current_children.entry(parent.clone()).or_default().push(unit.id.clone());
            }
        }
        for list in territory.values_mut().chain(current_children.values_mut()) {
            list.sort();
        }
        Cube {
            store,
            refs,
            rules,
            ref_elements,
            matches,
            order,
            groups,
            period_starts,
            territory,
            current_children,
            memo: FastMap::default(),
            duplicates,
        }
    }

    pub fn refs(&self) -> &[ElementRef] {
        &self.refs
    }

    /// The pairs (first, duplicate) of observation indices that share a key; the duplicates were left out.
    pub fn duplicates(&self) -> &[(usize, usize)] {
        &self.duplicates
    }

    /// The index of `element_ref` among the cube's references.
    pub fn ref_index(&self, element_ref: &ElementRef) -> Option<usize> {
        self.refs.iter().position(|r| r.element == element_ref.element && r.filter == element_ref.filter)
    }

    fn ref_groups(&self) -> impl Iterator<Item = (&(u32, u32), &(usize, usize))> {
        self.groups.iter().filter(|((element, _), _)| self.ref_elements.contains(&Some(*element)))
    }

    /// Every period in which any reference has data reported, in order.
    pub fn reported_periods(&self) -> Vec<Period> {
        let mut seen = vec![false; self.store.periods.len()];
        for (_, &(start, end)) in self.ref_groups() {
            for &index in &self.order[start..end] {
                seen[self.store.observations[index as usize].period as usize] = true;
            }
        }
        let mut periods: Vec<Period> =
            seen.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| self.store.periods[i]).collect();
        periods.sort();
        periods
    }

    /// The org units that reported any reference, in id order.
    pub fn reporting_units(&self) -> Vec<String> {
        let mut units: Vec<String> =
            self.ref_groups().map(|((_, unit), _)| self.store.org_units.name(*unit).to_owned()).collect();
        units.sort();
        units.dedup();
        units
    }

    /// The territory of `org_unit`: itself and the units whose successor chains lead to it, in id order.
    pub fn territory_of(&self, org_unit: &str) -> Vec<String> {
        self.territory.get(org_unit).cloned().unwrap_or_else(|| vec![org_unit.to_owned()])
    }

    /// The value of reference `ref_index` at `org_unit` in `period`.
    pub fn value(&mut self, ref_index: usize, org_unit: &str, period: Period) -> Option<Aggregate> {
        // Leaves (units without current children) are asked once per parent: memoising them would only cost.
        let is_leaf = !self.current_children.contains_key(org_unit) && !self.territory.contains_key(org_unit);
        if is_leaf {
            return self.compute(ref_index, org_unit, period);
        }
        let key = (ref_index, org_unit.to_owned(), period);
        if let Some(value) = self.memo.get(&key) {
            return *value;
        }
        let value = self.compute(ref_index, org_unit, period);
        self.memo.insert(key, value);
        value
    }

    /// Reports of `member` for the reference within `window`, as (period, value) with the disaggregation rule
    /// applied; and whether any report falls in `years`.
    fn reports(
        &self,
        ref_index: usize,
        member: &str,
        window: Period,
        years: Period,
        own: &mut Vec<(Period, Aggregate)>,
    ) -> bool {
        let (Some(element), Some(unit)) = (self.ref_elements[ref_index], self.store.org_units.get(member)) else {
            return false;
        };
        let Some(&(start, end)) = self.groups.get(&(element, unit)) else {
            return false;
        };
        let slice = &self.order[start..end];
        let observation = |i: u32| &self.store.observations[i as usize];
        let first = slice.partition_point(|&i| self.period_starts[observation(i).period as usize] < years.start());
        let matches = &self.matches[ref_index];
        let mut any_in_years = false;
        let mut position = first;
        while position < slice.len() {
            let period_index = observation(slice[position]).period;
            let period = self.store.periods[period_index as usize];
            if period.start() > years.end() {
                break;
            }
            // One reported period: every combination reported for it.
            let mut cell = Cell::default();
            while position < slice.len() && observation(slice[position]).period == period_index {
                let o = observation(slice[position]);
                match matches[o.combo as usize] {
                    2 => {
                        cell.exact += o.value;
                        cell.exact_set = true;
                    }
                    1 => {
                        cell.parts += o.value;
                        cell.parts_set = true;
                    }
                    _ => {}
                }
                if matches[o.combo as usize] != 0 {
                    cell.sources |= source_bit(o.source);
                    cell.provisional |= o.status == ObservationStatus::Provisional;
                }
                position += 1;
            }
            if let Some(value) = cell.value() {
                any_in_years |= years.overlaps(&period);
                if window.contains(&period) {
                    own.push((period, value));
                }
            }
        }
        any_in_years
    }

    fn compute(&mut self, ref_index: usize, org_unit: &str, period: Period) -> Option<Aggregate> {
        let rule = self.rules[ref_index];
        let members = self.territory_of(org_unit);
        // The calendar years the period touches: a unit that reported anything in them is the authority for
        // them, so its children never fill the gaps between its own reports.
        let years = Period::Range(Period::Year(period.year()).start(), Period::Year(period.end().year()).end());
        let mut own: Vec<(Period, Aggregate)> = Vec::new();
        let mut reported_in_years = false;
        for member in &members {
            reported_in_years |= self.reports(ref_index, member, period, years, &mut own);
        }
        if reported_in_years {
            return if own.is_empty() { None } else { combine_over_time(&own, period, rule.time) };
        }
        if rule.org_units == OrgUnitAggregation::None {
            return None;
        }
        let mut children: Vec<String> = Vec::new();
        for member in &members {
            if let Some(list) = self.current_children.get(member) {
                children.extend(list.iter().cloned());
            }
        }
        children.sort();
        children.dedup();
        let mut total: Option<Aggregate> = None;
        for child in children {
            if child == org_unit {
                continue;
            }
            if let Some(mut value) = self.value(ref_index, &child, period) {
                value.from_children = true;
                match &mut total {
                    Some(sum) => sum.add(&value),
                    None => total = Some(value),
                }
            }
        }
        total
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    exact: f64,
    exact_set: bool,
    parts: f64,
    parts_set: bool,
    sources: SourceMask,
    provisional: bool,
}

impl Cell {
    fn value(&self) -> Option<Aggregate> {
        let value = if self.exact_set {
            self.exact
        } else if self.parts_set {
            self.parts
        } else {
            return None;
        };
        Some(Aggregate { value, sources: self.sources, provisional: self.provisional, from_children: false })
    }
}

/// The period types from coarse to fine that a period can be divided into.
const SUBDIVISIONS: [PeriodType; 4] = [PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month];

/// Combines the reports `own` (all within `period`) into one value for `period`, or `None` when no period
/// type covers the whole period.
pub fn combine_over_time(own: &[(Period, Aggregate)], period: Period, time: TimeAggregation) -> Option<Aggregate> {
    let exact: Vec<&Aggregate> = own.iter().filter(|(p, _)| *p == period).map(|(_, v)| v).collect();
    if !exact.is_empty() {
        return Some(sum_all(exact.into_iter()));
    }
    for period_type in SUBDIVISIONS {
        if period_type == period.period_type() {
            continue;
        }
        let needed = period.subdivide(period_type);
        if needed.is_empty() {
            continue;
        }
        // Values per needed sub-period, summed over the territory's reporting units.
        let per_sub: Vec<Option<Aggregate>> = needed
            .iter()
            .map(|sub| {
                let matching: Vec<&Aggregate> = own.iter().filter(|(p, _)| p == sub).map(|(_, v)| v).collect();
                (!matching.is_empty()).then(|| sum_all(matching.into_iter()))
            })
            .collect();
        if per_sub.iter().any(Option::is_none) {
            continue;
        }
        let values: Vec<Aggregate> = per_sub.into_iter().flatten().collect();
        return Some(match time {
            TimeAggregation::Sum => sum_all(values.iter()),
            TimeAggregation::Last => *values.last().expect("subdivide returned at least one period"),
            TimeAggregation::Average => {
                let mut sum = sum_all(values.iter());
                sum.value /= values.len() as f64;
                sum
            }
        });
    }
    if time == TimeAggregation::Last {
        // A stock: the latest report within the period stands for the period even without full coverage.
        let latest_end: NaiveDate = own.iter().map(|(p, _)| p.end()).max()?;
        let latest: Vec<&Aggregate> = own.iter().filter(|(p, _)| p.end() == latest_end).map(|(_, v)| v).collect();
        return Some(sum_all(latest.into_iter()));
    }
    None
}

fn sum_all<'a>(values: impl Iterator<Item = &'a Aggregate>) -> Aggregate {
    let mut total = Aggregate { value: 0.0, sources: 0, provisional: false, from_children: false };
    for value in values {
        total.add(value);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agg(value: f64) -> Aggregate {
        Aggregate { value, sources: 1, provisional: false, from_children: false }
    }

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    #[test]
    fn combines_over_time_by_coverage() {
        let year = p("2023");
        let cases: Vec<(Vec<(&str, f64)>, TimeAggregation, Option<f64>)> = vec![
            (vec![("2023", 90.0), ("2023Q1", 24.0)], TimeAggregation::Sum, Some(90.0)),
            (
                vec![("2023Q1", 1.0), ("2023Q2", 2.0), ("2023Q3", 3.0), ("2023Q4", 4.0)],
                TimeAggregation::Sum,
                Some(10.0),
            ),
            (vec![("2023Q1", 56.0), ("2023S1", 88.0)], TimeAggregation::Sum, None),
            (vec![("2023S1", 88.0), ("2023S2", 12.0), ("2023Q1", 56.0)], TimeAggregation::Sum, Some(100.0)),
            (
                vec![("2023Q1", 1.0), ("2023Q2", 2.0), ("2023Q3", 3.0), ("2023Q4", 4.0)],
                TimeAggregation::Last,
                Some(4.0),
            ),
            (
                vec![("2023Q1", 1.0), ("2023Q2", 2.0), ("2023Q3", 3.0), ("2023Q4", 6.0)],
                TimeAggregation::Average,
                Some(3.0),
            ),
            (vec![("2023Q1", 1.0), ("2023Q2", 7.0)], TimeAggregation::Last, Some(7.0)),
        ];
        for (reports, time, expected) in cases {
            let own: Vec<(Period, Aggregate)> = reports.iter().map(|(q, v)| (p(q), agg(*v))).collect();
            let got = combine_over_time(&own, year, time).map(|a| a.value);
            assert_eq!(got, expected, "{reports:?} {time:?}");
        }
    }
}
