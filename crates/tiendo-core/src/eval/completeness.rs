//! Completeness: expected reports (org units x periods of a data set) against received ones.
//!
//! An org unit is expected to report for a period when it sits at the data set's org-unit level and is valid
//! for at least one day of the period (so the 63 old provinces are expected up to 2025Q2 and the 34 new
//! units from 2025Q3). A report is received when the unit reported at least one of the data set's elements
//! for exactly that period. Timeliness needs submission dates, which observations do not carry.

use serde::Serialize;

use crate::eval::store::ObservationStore;
use crate::model::{Catalogue, DataSet};
use crate::period::Period;

/// Reporting in one period of a data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodCompleteness {
    pub period: Period,
    pub expected: usize,
    pub received: usize,
    /// received / expected x 100; `None` when nothing is expected.
    pub rate: Option<f64>,
    /// Expected org units that sent nothing, in id order.
    pub missing: Vec<String>,
}

/// Reporting by one org unit over the evaluated periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgUnitCompleteness {
    pub org_unit: String,
    pub expected: usize,
    pub received: usize,
    pub rate: Option<f64>,
}

/// Completeness of one data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completeness {
    pub data_set: String,
    pub expected: usize,
    pub received: usize,
    pub rate: Option<f64>,
    pub periods: Vec<PeriodCompleteness>,
    pub org_units: Vec<OrgUnitCompleteness>,
}

fn rate(received: usize, expected: usize) -> Option<f64> {
    (expected > 0).then(|| received as f64 / expected as f64 * 100.0)
}

/// Completeness of `data_set` over `periods` (already restricted to the data set's period type).
pub fn completeness(
    catalogue: &Catalogue,
    store: &ObservationStore,
    data_set: &DataSet,
    periods: &[Period],
) -> Completeness {
    let mut in_data_set = vec![false; store.elements.len()];
    for element in &data_set.elements {
        if let Some(index) = store.elements.get(element) {
            in_data_set[index as usize] = true;
        }
    }
    // A dense bitmap of (org unit, period) pairs received: one pass over the observations, no hashing.
    let period_count = store.periods.len();
    let mut received_set = vec![false; store.org_units.len() * period_count];
    for observation in &store.observations {
        if in_data_set[observation.element as usize]
            && store.periods[observation.period as usize].period_type() == data_set.period_type
        {
            received_set[observation.org_unit as usize * period_count + observation.period as usize] = true;
        }
    }
    // Reports are expected from the first to the last period in which anyone reported the data set: a data set
    // that started in 2021 is not "missing" for 2018 just because another series goes back that far.
    let reported_periods: Vec<Period> = (0..period_count)
        .filter(|&p| (0..store.org_units.len()).any(|u| received_set[u * period_count + p]))
        .map(|p| store.periods[p])
        .collect();
    let first = reported_periods.iter().map(Period::start).min();
    let last = reported_periods.iter().map(Period::end).max();
    let periods: Vec<Period> = match (first, last) {
        (Some(first), Some(last)) => {
            periods.iter().filter(|p| first <= p.start() && p.end() <= last).copied().collect()
        }
        _ => Vec::new(),
    };
    let period_index: std::collections::BTreeMap<Period, usize> =
        store.periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut by_period = Vec::new();
    let mut by_unit: std::collections::BTreeMap<String, (usize, usize)> = std::collections::BTreeMap::new();
    let (mut expected_total, mut received_total) = (0, 0);
    for period in &periods {
        let mut expected = 0;
        let mut received = 0;
        let mut missing = Vec::new();
        for unit in catalogue.org_units.values() {
            let valid = unit.valid_from.is_none_or(|from| from <= period.end())
                && unit.valid_to.is_none_or(|to| period.start() <= to);
            if unit.level != data_set.org_unit_level || !valid {
                continue;
            }
            expected += 1;
            let entry = by_unit.entry(unit.id.clone()).or_default();
            entry.0 += 1;
            let got = match (store.org_units.get(&unit.id), period_index.get(period)) {
                (Some(u), Some(&p)) => received_set[u as usize * period_count + p],
                _ => false,
            };
            if got {
                received += 1;
                entry.1 += 1;
            } else {
                missing.push(unit.id.clone());
            }
        }
        expected_total += expected;
        received_total += received;
        by_period.push(PeriodCompleteness {
            period: *period,
            expected,
            received,
            rate: rate(received, expected),
            missing,
        });
    }
    Completeness {
        data_set: data_set.id.clone(),
        expected: expected_total,
        received: received_total,
        rate: rate(received_total, expected_total),
        periods: by_period,
        org_units: by_unit
            .into_iter()
            .map(|(org_unit, (expected, received))| OrgUnitCompleteness {
                org_unit,
                expected,
                received,
                rate: rate(received, expected),
            })
            .collect(),
    }
}
