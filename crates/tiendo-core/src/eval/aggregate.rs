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

use crate::eval::store::{FastMap, ObservationStatus, ObservationStore};
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

/// The rules an element reference aggregates by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregationRule {
    pub time: TimeAggregation,
    pub org_units: OrgUnitAggregation,
}

/// Pre-aggregated observations for a set of element references, answering "value of this reference at this
/// org unit in this period" under the rules of the module documentation.
#[derive(Debug)]
pub struct Cube {
    refs: Vec<ElementRef>,
    rules: Vec<AggregationRule>,
    /// Per reference: per reporting org unit (catalogue id): that unit's reported periods and values.
    reported: Vec<FastMap<String, Vec<(Period, Aggregate)>>>,
    territory: FastMap<String, Vec<String>>,
    current_children: FastMap<String, Vec<String>>,
    memo: FastMap<(usize, String, Period), Option<Aggregate>>,
    /// Observations skipped because they duplicate an earlier one.
    skipped: Vec<bool>,
}

impl Cube {
    /// Builds the cube for `refs`, reading every observation once. `skip` lists observation indices to
    /// ignore (duplicates). `rules[i]` is how `refs[i]` aggregates.
    pub fn build(
        catalogue: &Catalogue,
        store: &ObservationStore,
        refs: Vec<ElementRef>,
        rules: Vec<AggregationRule>,
        skip: &[usize],
    ) -> Cube {
        let mut skipped = vec![false; store.len()];
        for &index in skip {
            if let Some(flag) = skipped.get_mut(index) {
                *flag = true;
            }
        }
        // For each stored element, the references that read it.
        let mut refs_by_element: Vec<Vec<usize>> = vec![Vec::new(); store.elements.len()];
        for (ref_index, element_ref) in refs.iter().enumerate() {
            if let Some(element) = store.elements.get(&element_ref.element) {
                refs_by_element[element as usize].push(ref_index);
            }
        }
        // For each reference and combination: 2 = exact match, 1 = contains the filter, 0 = no match.
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
        let mut cells: Vec<FastMap<(u32, u32), Cell>> = vec![FastMap::default(); refs.len()];
        for (index, observation) in store.observations.iter().enumerate() {
            if skipped[index] {
                continue;
            }
            for &ref_index in &refs_by_element[observation.element as usize] {
                let kind = matches[ref_index][observation.combo as usize];
                if kind == 0 {
                    continue;
                }
                let cell = cells[ref_index].entry((observation.org_unit, observation.period)).or_default();
                if kind == 2 {
                    cell.exact += observation.value;
                    cell.exact_set = true;
                } else {
                    cell.parts += observation.value;
                    cell.parts_set = true;
                }
                cell.sources |= source_bit(observation.source);
                cell.provisional |= observation.status == ObservationStatus::Provisional;
            }
        }
        let reported = cells
            .into_iter()
            .map(|cells| {
                let mut by_unit: FastMap<String, Vec<(Period, Aggregate)>> = FastMap::default();
                for ((unit, period), cell) in cells {
                    if let Some(value) = cell.value() {
                        by_unit
                            .entry(store.org_units.name(unit).to_owned())
                            .or_default()
                            .push((store.periods[period as usize], value));
                    }
                }
                for list in by_unit.values_mut() {
                    list.sort_by(|a, b| a.0.cmp(&b.0));
                }
                by_unit
            })
            .collect();
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
        Cube { refs, rules, reported, territory, current_children, memo: FastMap::default(), skipped }
    }

    pub fn refs(&self) -> &[ElementRef] {
        &self.refs
    }

    /// The index of `element_ref` among the cube's references.
    pub fn ref_index(&self, element_ref: &ElementRef) -> Option<usize> {
        self.refs.iter().position(|r| r.element == element_ref.element && r.filter == element_ref.filter)
    }

    /// Whether observation `index` was skipped as a duplicate.
    pub fn is_skipped(&self, index: usize) -> bool {
        self.skipped.get(index).copied().unwrap_or(false)
    }

    /// Every period in which any reference has data reported, in order.
    pub fn reported_periods(&self) -> Vec<Period> {
        let mut periods: Vec<Period> =
            self.reported.iter().flat_map(|by_unit| by_unit.values().flatten().map(|(p, _)| *p)).collect();
        periods.sort();
        periods.dedup();
        periods
    }

    /// The org units that reported any reference, in id order.
    pub fn reporting_units(&self) -> Vec<String> {
        let mut units: Vec<String> = self.reported.iter().flat_map(|by_unit| by_unit.keys().cloned()).collect();
        units.sort();
        units.dedup();
        units
    }

    /// The value reported exactly at `org_unit` for `period`, without any aggregation.
    pub fn reported_exact(&self, ref_index: usize, org_unit: &str, period: Period) -> Option<Aggregate> {
        self.reported[ref_index]
            .get(org_unit)?
            .iter()
            .find(|(p, _)| *p == period && p.period_type() == period.period_type())
            .map(|(_, value)| *value)
    }

    /// The value of reference `ref_index` at `org_unit` in `period`.
    pub fn value(&mut self, ref_index: usize, org_unit: &str, period: Period) -> Option<Aggregate> {
        let key = (ref_index, org_unit.to_owned(), period);
        if let Some(value) = self.memo.get(&key) {
            return *value;
        }
        let value = self.compute(ref_index, org_unit, period);
        self.memo.insert(key, value);
        value
    }

    fn territory_of(&self, org_unit: &str) -> Vec<String> {
        self.territory.get(org_unit).cloned().unwrap_or_else(|| vec![org_unit.to_owned()])
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
            if let Some(list) = self.reported[ref_index].get(member) {
                reported_in_years |= list.iter().any(|(p, _)| years.overlaps(p));
                own.extend(list.iter().filter(|(p, _)| period.contains(p)).copied());
            }
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
