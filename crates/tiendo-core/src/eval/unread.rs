//! Figures the data hold that no value of a review rests on: rows of a data element that no indicator (its
//! expression, or its plugin's inputs) and no indicator reported directly reads, and rows of an element that
//! indicators read but that none of them turned into a value of the row's unit (or a unit above it) for a period
//! that holds the row's. A review that leaves such figures out without a word reads as if they did not exist (round
//! 65, found by a review helper: the bundled end-of-term review showed no 2024 figure at all, while the data held the
//! 163 cases "investigated and handled" and 91 "newly initiated" that the sources publish for 2024 under other
//! definitions than C1's; round 67, found by a reader of the review: the 93 and 117 denunciations received, a
//! ratio's denominator without its numerator, and the 114 persons verified, which only a validation rule read, were
//! in no table and not listed). A validation rule reads figures but shows none of them unless it fails, so it does
//! not count as a reader.
//!
//! A pure function of the catalogue, the store and the evaluation's results: no values are read, only which
//! elements have rows in which periods, so that a listing of them gives no count away.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::IndicatorResult;
use super::store::ObservationStore;
use crate::model::{Catalogue, Formula};
use crate::period::Period;
use crate::plugin::MetricProvider;

/// A data element with rows that no value of the review rests on, the periods (inside the window, ended by the
/// as-of date) of those rows, in order, the org units of those rows (ids, in order), and the codes of the
/// indicators that read the element but have no value of those units for those periods (in order; empty when none
/// reads it).
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadElement {
    pub element: String,
    pub periods: Vec<Period>,
    pub org_units: Vec<String>,
    pub read_by: Vec<String>,
}

/// The data elements of `store` with rows in `window` (periods ended by `as_of`) that no value of `results` rests
/// on ([module docs](self)), in element id order. Empty when a plugin metric's inputs cannot be known (no provider,
/// or its description failed): any element might be one, and a listing would then say what is not so.
pub fn unread_elements(
    catalogue: &Catalogue,
    store: &ObservationStore,
    provider: Option<&dyn MetricProvider>,
    results: &[IndicatorResult],
    (window, as_of): (Period, NaiveDate),
) -> Vec<UnreadElement> {
    let Some(readers) = readers(catalogue, provider) else { return Vec::new() };
    // The periods each (indicator, unit) has a value for, published or withheld, total or breakdown.
    let mut valued: BTreeMap<(&str, &str), BTreeSet<Period>> = BTreeMap::new();
    for result in results {
        let points = result.series.iter().chain(result.breakdowns.iter().flat_map(|b| &b.series));
        valued.entry((&result.indicator, &result.org_unit)).or_default().extend(points.map(|p| p.period));
    }
    let rows: BTreeSet<(u32, u32, u32)> =
        store.observations.iter().map(|o| (o.element, o.org_unit, o.period)).collect();
    let mut unread: BTreeMap<&str, (BTreeSet<Period>, BTreeSet<&str>)> = BTreeMap::new();
    // Each unit with the units above it, once per unit.
    let mut chains: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (element, unit_index, period) in rows {
        let (element, unit) = (store.elements.name(element), store.org_units.name(unit_index));
        let Some(&period) = store.periods.get(period as usize) else { continue };
        if !catalogue.data_elements.contains_key(element) || !window.contains(&period) || period.end() > as_of {
            continue;
        }
        let units = chains
            .entry(unit_index)
            .or_insert_with(|| std::iter::once(unit.to_owned()).chain(catalogue.ancestors(unit)).collect());
        let shown = readers.get(element).into_iter().flatten().any(|indicator| {
            units.iter().any(|u| {
                valued.get(&(indicator.as_str(), u.as_str())).is_some_and(|ps| ps.iter().any(|p| p.contains(&period)))
            })
        });
        if !shown {
            let (periods, units) = unread.entry(element).or_default();
            periods.insert(period);
            units.insert(unit);
        }
    }
    unread
        .into_iter()
        .map(|(element, (periods, units))| {
            let mut periods: Vec<Period> = periods.into_iter().collect();
            periods.sort_by_key(|p| (p.end(), std::cmp::Reverse(p.start())));
            let read_by = readers.get(element).into_iter().flatten();
            let read_by: BTreeSet<String> =
                read_by.filter_map(|id| catalogue.indicators.get(id).map(|i| i.code.clone())).collect();
            let (element, org_units) = (element.to_owned(), units.into_iter().map(str::to_owned).collect());
            UnreadElement { element, periods, org_units, read_by: read_by.into_iter().collect() }
        })
        .collect()
}

/// Per data element, the indicators that read it (ids, in order); `None` when a plugin metric's inputs cannot be
/// known.
fn readers(catalogue: &Catalogue, provider: Option<&dyn MetricProvider>) -> Option<BTreeMap<String, BTreeSet<String>>> {
    let mut plugin_inputs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for indicator in catalogue.indicators.values() {
        if let Formula::Plugin(plugin) = &indicator.formula {
            let Some(Ok(description)) = provider.map(|p| p.describe(&plugin.plugin)) else { return None };
            plugin_inputs.insert(plugin.plugin.clone(), description.inputs);
        }
    }
    let mut readers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for indicator in catalogue.indicators.values() {
        for reference in super::indicator_refs(indicator, &plugin_inputs) {
            readers.entry(reference.element).or_default().insert(indicator.id.clone());
        }
    }
    Some(readers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::store::{NewObservation, ObservationStatus};
    use crate::eval::test_support::{data_element, indicator, unit};
    use crate::eval::{EvaluationSettings, evaluate};
    use crate::model::{Measure, OrgUnitLevel};

    /// Rows (element, unit, period) of 1 each.
    fn store(rows: &[(&str, &str, &str)]) -> ObservationStore {
        let mut store = ObservationStore::new();
        for &(element, org_unit, period) in rows {
            store.push(&NewObservation {
                element,
                org_unit,
                period: period.parse().expect("a period"),
                disaggregation: &[],
                value: 1.0,
                source: "src",
                status: ObservationStatus::Final,
                note: None,
                submitted: None,
                file: 0,
                row: 2,
            });
        }
        store
    }

    /// Elements `read` (count C), `part` over `whole` (ratio R), `checked` (a validation rule's only) and `spare`
    /// (nobody's), read in the window 2021..2023 as of 2024-06-30. Listed: `spare` and `checked` (no indicator
    /// reads them), `whole` in 2023 (R has no value there: no `part`), not `read`, nor `whole` in 2022, nor the
    /// province's quarter of `read` (in the nation's 2023).
    #[test]
    fn rows_no_value_rests_on_are_listed_with_their_periods_in_the_window() {
        let mut catalogue = Catalogue::default();
        for id in ["read", "part", "whole", "checked", "spare"] {
            catalogue.data_elements.insert(id.to_owned(), data_element(id, false, &[]));
        }
        catalogue.org_units.insert("vn".to_owned(), unit("vn", OrgUnitLevel::Country, None, None));
        catalogue.org_units.insert("p".to_owned(), unit("p", OrgUnitLevel::Province, Some("vn"), None));
        let mut count = indicator("i", Measure::Count, "read", None);
        count.code = "C".to_owned();
        let mut ratio = indicator("r", Measure::Percent, "part", Some("whole"));
        ratio.code = "R".to_owned();
        for i in [count, ratio] {
            catalogue.indicators.insert(i.id.clone(), i);
        }
        let rows = [
            ("read", "vn", "2023"),
            ("read", "p", "2023Q1"),
            ("part", "vn", "2022"),
            ("whole", "vn", "2022"),
            ("whole", "vn", "2023"),
            ("checked", "vn", "2023"),
            ("spare", "vn", "2023"),
            ("spare", "vn", "2024"),
        ];
        let store = store(&rows);
        let as_of = NaiveDate::from_ymd_opt(2024, 6, 30).expect("a date");
        let results = evaluate(&catalogue, &store, &EvaluationSettings::new(as_of), None).indicators;
        let window: Period = "2021..2023".parse().expect("a period");
        let year = |y: &str| y.parse::<Period>().expect("a period");
        let listed = |element: &str, read_by: &[&str]| UnreadElement {
            element: element.to_owned(),
            periods: vec![year("2023")],
            org_units: vec!["vn".to_owned()],
            read_by: read_by.iter().map(|c| (*c).to_owned()).collect(),
        };
        let unread = unread_elements(&catalogue, &store, None, &results, (window, as_of));
        assert_eq!(unread, [listed("checked", &[]), listed("spare", &[]), listed("whole", &["R"])]);
        // A plugin metric whose inputs cannot be known (no provider): nothing is listed rather than a guess.
        let mut plugged = indicator("p", Measure::Count, "read", None);
        plugged.formula = Formula::Plugin(crate::model::PluginMetricRef {
            plugin: "x".to_owned(),
            metric: "m".to_owned(),
            params: Default::default(),
        });
        catalogue.indicators.insert("p".to_owned(), plugged);
        assert_eq!(unread_elements(&catalogue, &store, None, &results, (window, as_of)), []);
    }
}
