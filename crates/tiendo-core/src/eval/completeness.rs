//! Completeness: expected reports (org units x periods of a data set) against received ones.
//!
//! An org unit is expected to report for a period when it sits at the data set's org-unit level and is valid
//! for at least one day of the period (so the 63 old provinces are expected up to 2025Q2 and the 34 new
//! units from 2025Q3). A report is received when the unit reported at least one of the data set's elements
//! for exactly that period.
//!
//! Timeliness, where observations carry submission dates (the optional `submitted` column): a received report is on
//! time when every observation in it has a submission date and the latest is at most the data set's `timely_days`
//! after the period's end. A report with an undated observation is not counted as on time. Counts of reports on time
//! are `None` when no observation of the data set's reports has a date: the data says nothing about timeliness.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
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
    /// Reports received on time; `None` when the data carries no submission dates.
    pub on_time: Option<usize>,
    /// on time / expected x 100; `None` without submission dates or when nothing is expected.
    pub on_time_rate: Option<f64>,
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
    pub on_time: Option<usize>,
    pub on_time_rate: Option<f64>,
}

/// Completeness of one data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completeness {
    pub data_set: String,
    pub expected: usize,
    pub received: usize,
    pub rate: Option<f64>,
    pub on_time: Option<usize>,
    pub on_time_rate: Option<f64>,
    pub periods: Vec<PeriodCompleteness>,
    pub org_units: Vec<OrgUnitCompleteness>,
}

fn rate(received: usize, expected: usize) -> Option<f64> {
    (expected > 0).then(|| received as f64 / expected as f64 * 100.0)
}

/// Completeness of `data_set` over `periods` (already restricted to the data set's period type). `due` are periods
/// of the data set's type for which a report arrived only after the as-of date (its rows are not in `store`): they
/// are expected like any other, and that report is not received.
pub fn completeness(
    catalogue: &Catalogue,
    store: &ObservationStore,
    data_set: &DataSet,
    periods: &[Period],
    due: &[Period],
) -> Completeness {
    let received = Received::of(store, data_set);
    let periods: Vec<Period> =
        periods.iter().chain(due).copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let periods = received.reported_span(store, &periods, due);
    let period_index: BTreeMap<Period, usize> = store.periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut by_period = Vec::new();
    // Per org unit: (expected, received, on time).
    let mut by_unit: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let (mut expected_total, mut received_total, mut on_time_total) = (0, 0, 0);
    for period in &periods {
        let (mut expected, mut got, mut in_time) = (0, 0, 0);
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
            let slot = match (store.org_units.get(&unit.id), period_index.get(period)) {
                (Some(u), Some(&p)) => Some(u as usize * received.period_count + p),
                _ => None,
            };
            if let Some(slot) = slot.filter(|&slot| received.set[slot]) {
                got += 1;
                entry.1 += 1;
                if received.on_time(slot, period, data_set.timely_days) {
                    in_time += 1;
                    entry.2 += 1;
                }
            } else {
                missing.push(unit.id.clone());
            }
        }
        expected_total += expected;
        received_total += got;
        on_time_total += in_time;
        let (on_time, on_time_rate) = received.timeliness(in_time, expected);
        let rate = rate(got, expected);
        by_period.push(PeriodCompleteness {
            period: *period,
            expected,
            received: got,
            rate,
            on_time,
            on_time_rate,
            missing,
        });
    }
    let (on_time, on_time_rate) = received.timeliness(on_time_total, expected_total);
    let org_units = by_unit
        .into_iter()
        .map(|(org_unit, (expected, got, in_time))| {
            let (on_time, on_time_rate) = received.timeliness(in_time, expected);
            OrgUnitCompleteness { org_unit, expected, received: got, rate: rate(got, expected), on_time, on_time_rate }
        })
        .collect();
    Completeness {
        data_set: data_set.id.clone(),
        expected: expected_total,
        received: received_total,
        rate: rate(received_total, expected_total),
        on_time,
        on_time_rate,
        periods: by_period,
        org_units,
    }
}

/// The reports of one data set that the observations hold: a dense bitmap of (org unit, period) pairs, built in one
/// pass over the observations with no hashing, and when the data has submission dates, what is known of when each
/// report was sent.
struct Received {
    /// Periods in the store: the stride of `set` and `submitted`.
    period_count: usize,
    /// `org_unit * period_count + period` is true when the unit reported an element of the data set for exactly
    /// that period.
    set: Vec<bool>,
    /// Per slot of `set`, when submission dates exist (empty otherwise): the latest date, or `Undated`.
    submitted: Vec<Submission>,
    /// Whether any observation of the data set's reports has a submission date.
    any_date: bool,
}

impl Received {
    fn of(store: &ObservationStore, data_set: &DataSet) -> Received {
        let mut in_data_set = vec![false; store.elements.len()];
        for element in &data_set.elements {
            if let Some(index) = store.elements.get(element) {
                in_data_set[index as usize] = true;
            }
        }
        let period_count = store.periods.len();
        let mut set = vec![false; store.org_units.len() * period_count];
        let dated = store.has_submission_dates();
        let mut submitted = vec![Submission::Nothing; if dated { set.len() } else { 0 }];
        let mut any_date = false;
        for (index, observation) in store.observations.iter().enumerate() {
            if in_data_set[observation.element as usize]
                && store.periods[observation.period as usize].period_type() == data_set.period_type
            {
                let slot = observation.org_unit as usize * period_count + observation.period as usize;
                set[slot] = true;
                if dated {
                    let date = store.submitted(index);
                    any_date |= date.is_some();
                    submitted[slot] = submitted[slot].with(date);
                }
            }
        }
        Received { period_count, set, submitted, any_date }
    }

    /// Whether the report in `slot` was sent at most `timely_days` after the end of `period`, every observation of it
    /// dated.
    fn on_time(&self, slot: usize, period: &Period, timely_days: u32) -> bool {
        let deadline = period.end().checked_add_days(Days::new(u64::from(timely_days)));
        match (self.submitted.get(slot), deadline) {
            (Some(Submission::Latest(date)), Some(deadline)) => *date <= deadline,
            _ => false,
        }
    }

    /// The count of reports on time and its rate of `expected`; both `None` when the data says nothing about
    /// timeliness.
    fn timeliness(&self, count: usize, expected: usize) -> (Option<usize>, Option<f64>) {
        let count = self.any_date.then_some(count);
        (count, count.and_then(|count| rate(count, expected)))
    }

    /// The periods of `periods` from the first to the last in which anyone reported the data set (by the as-of
    /// date, or after it: `due`): a data set that started in 2021 is not "missing" for 2018 just because another
    /// series goes back that far.
    fn reported_span(&self, store: &ObservationStore, periods: &[Period], due: &[Period]) -> Vec<Period> {
        let units = store.org_units.len();
        let reported: Vec<Period> = (0..self.period_count)
            .filter(|&p| (0..units).any(|u| self.set[u * self.period_count + p]))
            .map(|p| store.periods[p])
            .chain(due.iter().copied())
            .collect();
        let first = reported.iter().map(Period::start).min();
        let last = reported.iter().map(Period::end).max();
        match (first, last) {
            (Some(first), Some(last)) => {
                periods.iter().filter(|p| first <= p.start() && p.end() <= last).copied().collect()
            }
            _ => Vec::new(),
        }
    }
}

/// What is known of when a report was submitted.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Submission {
    /// No observation of the report seen yet.
    Nothing,
    /// Every observation so far has a date; the latest.
    Latest(NaiveDate),
    /// Some observation has no date.
    Undated,
}

impl Submission {
    fn with(self, date: Option<NaiveDate>) -> Submission {
        match (self, date) {
            (Submission::Undated, _) | (_, None) => Submission::Undated,
            (Submission::Nothing, Some(date)) => Submission::Latest(date),
            (Submission::Latest(latest), Some(date)) => Submission::Latest(latest.max(date)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::store::{NewObservation, ObservationStatus};
    use crate::eval::test_support::unit;
    use crate::model::{OrgUnitLevel, Text};
    use crate::period::PeriodType;

    fn catalogue() -> (Catalogue, DataSet) {
        let mut catalogue = Catalogue::default();
        for (id, level, parent) in [
            ("vn", OrgUnitLevel::Country, None),
            ("p1", OrgUnitLevel::Province, Some("vn")),
            ("p2", OrgUnitLevel::Province, Some("vn")),
            ("p3", OrgUnitLevel::Province, Some("vn")),
        ] {
            catalogue.org_units.insert(id.to_owned(), unit(id, level, parent, None));
        }
        let data_set = DataSet {
            id: "quarterly".to_owned(),
            name: Text::new("q", "q"),
            elements: vec!["cases".to_owned(), "victims".to_owned()],
            period_type: PeriodType::Quarter,
            org_unit_level: OrgUnitLevel::Province,
            timely_days: 15,
        };
        (catalogue, data_set)
    }

    fn date(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    /// (element, org unit, period, submitted)
    fn store(rows: &[(&str, &str, &str, Option<&str>)]) -> ObservationStore {
        let mut store = ObservationStore::new();
        let file = store.add_file("t.csv");
        for (row, (element, org_unit, period, submitted)) in rows.iter().enumerate() {
            store.push(&NewObservation {
                element,
                org_unit,
                period: Period::parse(period).expect("test period"),
                disaggregation: &[],
                value: 1.0,
                source: "s",
                status: ObservationStatus::Final,
                note: None,
                submitted: submitted.and_then(date),
                file,
                row: row as u32 + 2,
            });
        }
        store
    }

    #[test]
    fn reports_are_on_time_when_every_figure_is_dated_by_the_deadline() {
        let (catalogue, data_set) = catalogue();
        let periods = [Period::parse("2024Q1").unwrap(), Period::parse("2024Q2").unwrap()];
        let store = store(&[
            // 2024Q1 ends on 31 March: the deadline is 15 April.
            ("cases", "p1", "2024Q1", Some("2024-04-15")),
            ("victims", "p1", "2024Q1", Some("2024-04-02")),
            ("cases", "p2", "2024Q1", Some("2024-04-16")),
            // Undated: received, but not known to be on time.
            ("cases", "p3", "2024Q1", None),
            // The latest figure of the report decides: 20 July is after the 15 July deadline.
            ("cases", "p1", "2024Q2", Some("2024-07-05")),
            ("victims", "p1", "2024Q2", Some("2024-07-20")),
            ("cases", "p2", "2024Q2", Some("2024-07-01")),
            // Another period type is another data set's report.
            ("cases", "p3", "2024", Some("2024-01-01")),
        ]);
        let result = completeness(&catalogue, &store, &data_set, &periods, &[]);
        let by_period: Vec<_> =
            result.periods.iter().map(|p| (p.period.to_string(), p.expected, p.received, p.on_time)).collect();
        assert_eq!(by_period, [("2024Q1".to_owned(), 3, 3, Some(1)), ("2024Q2".to_owned(), 3, 2, Some(1))]);
        assert_eq!((result.received, result.on_time), (5, Some(2)));
        assert_eq!(result.on_time_rate, Some(2.0 / 6.0 * 100.0));
        let by_unit: Vec<_> = result.org_units.iter().map(|u| (u.org_unit.as_str(), u.on_time)).collect();
        assert_eq!(by_unit, [("p1", Some(1)), ("p2", Some(1)), ("p3", Some(0))]);
    }

    #[test]
    fn without_submission_dates_timeliness_is_unknown_not_zero() {
        let (catalogue, data_set) = catalogue();
        let periods = [Period::parse("2024Q1").unwrap()];
        let store = store(&[("cases", "p1", "2024Q1", None), ("cases", "p2", "2024Q1", None)]);
        let result = completeness(&catalogue, &store, &data_set, &periods, &[]);
        assert_eq!((result.received, result.on_time, result.on_time_rate), (2, None, None));
        assert!(result.periods.iter().all(|p| p.on_time.is_none()));
        assert!(result.org_units.iter().all(|u| u.on_time.is_none()));
    }
}
