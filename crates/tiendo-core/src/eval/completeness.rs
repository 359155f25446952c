//! Completeness: expected reports (org units x periods of a data set) against received ones.
//!
//! An org unit is expected to report for a period when it sits at the data set's org-unit level and is valid
//! for at least one day of the period (so the 63 old provinces are expected up to 2025Q2 and the 34 new
//! units from 2025Q3). A report is received when the unit reported at least one of the data set's elements
//! for exactly that period, or when its reports of the data set's elements for periods within it cover every day of
//! the period it existed in: a unit that existed for only part of the period (an old province's 2025 of a yearly
//! data set, ended on 30 June) is expected to report only that part (2025S1, or 2025Q1 and 2025Q2), and a unit
//! whose report of the period came in parts (its four quarters of a yearly data set) reported all of it.
//!
//! Only the periods the data set was in use over are expected ([`DataSet::in_use_over`]: a form introduced in
//! January 2023 is not missing for 2022, and figures of 2022 are not its reports). A period whose deadline (its last
//! day plus `timely_days`) falls after the as-of date is not yet due: a unit that reported it is counted, one that
//! did not is not missing yet (a half-year ended on 31 December, due by 30 January, on a review as of 15 January).
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
use crate::period::{Period, PeriodType};

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

/// Completeness of `data_set` over `periods` (already restricted to the data set's period type) as of `as_of`.
/// `late` are periods of the data set's type for which a report arrived only after the as-of date (its rows are not
/// in `store`): they are expected like any other period that is due, and that report is not received.
pub fn completeness(
    catalogue: &Catalogue,
    store: &ObservationStore,
    data_set: &DataSet,
    (periods, late): (&[Period], &[Period]),
    as_of: NaiveDate,
) -> Completeness {
    let mut received = Received::of(store, data_set);
    let periods: Vec<Period> = periods
        .iter()
        .chain(late)
        .filter(|period| data_set.in_use_over(period))
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let late: Vec<Period> = late.iter().filter(|period| data_set.in_use_over(period)).copied().collect();
    // The store's units at the data set's level: only their reports say when it began.
    let reporters: Vec<bool> = (0..store.org_units.len() as u32)
        .map(|u| {
            catalogue.org_units.get(store.org_units.name(u)).is_some_and(|unit| unit.level == data_set.org_unit_level)
        })
        .collect();
    let periods = received.reported_span((store, &reporters), data_set, &periods, &late);
    let period_index: BTreeMap<Period, usize> = store.periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut tally = Tally::default();
    let mut by_period = Vec::new();
    let reports = Reports { catalogue, store, data_set, received: &received, period_index: &period_index };
    for period in &periods {
        // The store's periods within it, other than itself, that a report may come in parts of.
        let within: Vec<u32> = (0..store.periods.len() as u32)
            .filter(|&p| store.periods[p as usize] != *period && period.contains(&store.periods[p as usize]))
            .collect();
        let due = deadline(period, data_set.timely_days).is_none_or(|deadline| deadline <= as_of);
        if let Some(row) = reports.period_row(*period, &within, due, &mut tally) {
            by_period.push(row);
        }
    }
    // The dates of the reports counted: a period's own, and the parts of those received in parts.
    received.any_date |= tally.parts_dated;
    for (row, in_time) in by_period.iter_mut().zip(&tally.in_times) {
        (row.on_time, row.on_time_rate) = received.timeliness(*in_time, row.expected);
    }
    let (on_time, on_time_rate) = received.timeliness(tally.on_time, tally.expected);
    let org_units = tally
        .by_unit
        .into_iter()
        .map(|(org_unit, (expected, got, in_time))| {
            let (on_time, on_time_rate) = received.timeliness(in_time, expected);
            OrgUnitCompleteness { org_unit, expected, received: got, rate: rate(got, expected), on_time, on_time_rate }
        })
        .collect();
    Completeness {
        data_set: data_set.id.clone(),
        expected: tally.expected,
        received: tally.received,
        rate: rate(tally.received, tally.expected),
        on_time,
        on_time_rate,
        periods: by_period,
        org_units,
    }
}

/// The counts [`completeness`] adds up over its periods.
#[derive(Default)]
struct Tally {
    /// Per org unit: (expected, received, on time).
    by_unit: BTreeMap<String, (usize, usize, usize)>,
    expected: usize,
    received: usize,
    on_time: usize,
    /// Each period's reports on time, in period order.
    in_times: Vec<usize>,
    /// Whether a report received in parts has a dated part.
    parts_dated: bool,
}

/// What one period's row of [`completeness`] reads.
struct Reports<'a> {
    catalogue: &'a Catalogue,
    store: &'a ObservationStore,
    data_set: &'a DataSet,
    received: &'a Received,
    period_index: &'a BTreeMap<Period, usize>,
}

impl Reports<'_> {
    /// The row of `period`: every unit of the data set's level that existed in some day of it is expected, and
    /// received when it reported the period itself or its parts (`within`, the store's periods inside it). Before
    /// the period is `due`, only the units that reported it are expected, and no row when none did.
    fn period_row(&self, period: Period, within: &[u32], due: bool, tally: &mut Tally) -> Option<PeriodCompleteness> {
        let (mut expected, mut got, mut in_time) = (0, 0, 0);
        let mut missing = Vec::new();
        for unit in self.catalogue.org_units.values() {
            let valid = unit.valid_from.is_none_or(|from| from <= period.end())
                && unit.valid_to.is_none_or(|to| period.start() <= to);
            if unit.level != self.data_set.org_unit_level || !valid {
                continue;
            }
            let report = self.report(unit, period, within, &mut tally.parts_dated);
            if report.is_none() && !due {
                continue;
            }
            expected += 1;
            let entry = tally.by_unit.entry(unit.id.clone()).or_default();
            entry.0 += 1;
            if let Some(timely) = report {
                got += 1;
                entry.1 += 1;
                if timely {
                    in_time += 1;
                    entry.2 += 1;
                }
            } else {
                missing.push(unit.id.clone());
            }
        }
        if expected == 0 && !due {
            return None;
        }
        tally.expected += expected;
        tally.received += got;
        tally.on_time += in_time;
        tally.in_times.push(in_time);
        Some(PeriodCompleteness {
            period,
            expected,
            received: got,
            rate: rate(got, expected),
            on_time: None,
            on_time_rate: None,
            missing,
        })
    }

    /// `unit`'s report of `period`: `Some(on time)` when it reported the period itself, or its parts over the days
    /// it existed; `None` when it is missing. Sets `parts_dated` when a report in parts has a dated part.
    fn report(&self, unit: &crate::OrgUnit, period: Period, within: &[u32], parts_dated: &mut bool) -> Option<bool> {
        let (store, received, timely_days) = (self.store, self.received, self.data_set.timely_days);
        let slot = match (store.org_units.get(&unit.id), self.period_index.get(&period)) {
            (Some(u), Some(&p)) => Some(u as usize * received.period_count + p),
            _ => None,
        };
        if let Some(slot) = slot.filter(|&slot| received.set[slot]) {
            return Some(received.on_time(slot, &period, timely_days));
        }
        let life = (unit.valid_from, unit.valid_to);
        let u = store.org_units.get(&unit.id)?;
        let (timely, dated) = received.in_parts(store, (u, life), (period, within), timely_days)?;
        *parts_dated |= dated;
        Some(timely)
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
    /// Whether any observation of the data set's reports for periods of its type has a submission date (the parts of
    /// a report received in parts are added by [`completeness`]).
    any_date: bool,
    /// The data set's period type: reports of other types count only as parts of a period of this type.
    period_type: PeriodType,
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
            // Reports of every period type: a period's own, and its parts.
            if in_data_set[observation.element as usize] {
                let slot = observation.org_unit as usize * period_count + observation.period as usize;
                set[slot] = true;
                if dated {
                    let date = store.submitted(index);
                    if store.periods[observation.period as usize].period_type() == data_set.period_type {
                        any_date |= date.is_some();
                    }
                    submitted[slot] = submitted[slot].with(date);
                }
            }
        }
        Received { period_count, set, submitted, any_date, period_type: data_set.period_type }
    }

    /// Whether store unit `unit`, which existed from `life.0` to `life.1` (open when `None`), reported `period` in
    /// parts: its reports of the store periods `within` it cover every day of `period` it existed in; `Some((on time,
    /// dated))` if they do, on time when every one of them is dated by the period's deadline (`timely_days` after its
    /// end), dated when one of them has a date.
    fn in_parts(
        &self,
        store: &ObservationStore,
        (unit, life): (u32, (Option<NaiveDate>, Option<NaiveDate>)),
        (period, within): (Period, &[u32]),
        timely_days: u32,
    ) -> Option<(bool, bool)> {
        let start = life.0.map_or(period.start(), |from| from.max(period.start()));
        let end = life.1.map_or(period.end(), |to| to.min(period.end()));
        let base = unit as usize * self.period_count;
        let mut reports: Vec<(Period, usize)> = within
            .iter()
            .map(|&p| (store.periods[p as usize], base + p as usize))
            .filter(|&(p, slot)| self.set[slot] && p.end() >= start && p.start() <= end)
            .collect();
        reports.sort_by_key(|(p, _)| (p.start(), p.end()));
        let mut next = start;
        for (p, _) in &reports {
            if p.start() <= next && p.end() >= next {
                next = p.end().succ_opt()?;
            }
        }
        if start > end || next <= end {
            return None;
        }
        let dated = reports.iter().any(|&(_, slot)| matches!(self.submitted.get(slot), Some(Submission::Latest(_))));
        Some((reports.iter().all(|&(_, slot)| self.on_time(slot, &period, timely_days)), dated))
    }

    /// Whether the report in `slot` was sent at most `timely_days` after the end of `period`, every observation of it
    /// dated.
    fn on_time(&self, slot: usize, period: &Period, timely_days: u32) -> bool {
        let deadline = deadline(period, timely_days);
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

    /// The periods of `periods` from the data set's first: its `valid_from` where given; else the first period in
    /// which a unit at its level reported it, in use (by the as-of date, or after it: `late`); else, where no such
    /// unit ever reported it, all of them (a data set nobody has sent is missing over the whole window). A data set
    /// that started in 2021 is not "missing" for 2018 just because another series goes back that far, nor because a
    /// national figure of 2018 holds its elements (round 64, found by a review helper: the country's derived 2022Q1
    /// made 63 provinces "missing" their quarterly reports from then). Every later one is expected: a form nobody sent
    /// after March is missing from April.
    fn reported_span(
        &self,
        (store, reporters): (&ObservationStore, &[bool]),
        data_set: &DataSet,
        periods: &[Period],
        late: &[Period],
    ) -> Vec<Period> {
        if data_set.valid_from.is_some() {
            return periods.to_vec();
        }
        let store_periods = &store.periods;
        let reported: Vec<Period> = (0..self.period_count)
            .filter(|&p| {
                reporters.iter().enumerate().any(|(u, &at_level)| at_level && self.set[u * self.period_count + p])
            })
            .map(|p| store_periods[p])
            // Reports of another type count where they are parts of a period of the data set's type (an old
            // province's 2025S1 of a yearly data set).
            .filter(|p| p.period_type() == self.period_type || periods.iter().any(|period| period.contains(p)))
            .chain(late.iter().copied())
            .filter(|p| data_set.valid_to.is_none_or(|to| p.end() <= to))
            .collect();
        match reported.iter().map(Period::start).min() {
            Some(first) => periods.iter().filter(|p| first <= p.start()).copied().collect(),
            None => periods.to_vec(),
        }
    }
}

/// The last day on which a report of `period` is on time: `timely_days` after its last day (`None` past chrono's
/// range).
fn deadline(period: &Period, timely_days: u32) -> Option<NaiveDate> {
    period.end().checked_add_days(Days::new(u64::from(timely_days)))
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
            valid_from: None,
            valid_to: None,
        };
        (catalogue, data_set)
    }

    /// An as-of date after every test period's deadline.
    const LATER: NaiveDate = NaiveDate::from_ymd_opt(2100, 1, 1).expect("a date");

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
        let result = completeness(&catalogue, &store, &data_set, (&periods, &[]), LATER);
        let by_period: Vec<_> =
            result.periods.iter().map(|p| (p.period.to_string(), p.expected, p.received, p.on_time)).collect();
        assert_eq!(by_period, [("2024Q1".to_owned(), 3, 3, Some(1)), ("2024Q2".to_owned(), 3, 2, Some(1))]);
        assert_eq!((result.received, result.on_time), (5, Some(2)));
        assert_eq!(result.on_time_rate, Some(2.0 / 6.0 * 100.0));
        let by_unit: Vec<_> = result.org_units.iter().map(|u| (u.org_unit.as_str(), u.on_time)).collect();
        assert_eq!(by_unit, [("p1", Some(1)), ("p2", Some(1)), ("p3", Some(0))]);
    }

    /// (period, expected, received, missing) of each row.
    fn rows(result: &Completeness) -> Vec<(String, usize, usize, Vec<String>)> {
        result.periods.iter().map(|p| (p.period.to_string(), p.expected, p.received, p.missing.clone())).collect()
    }

    /// A form introduced on 1 April 2024 is not missing for 2024Q1, and figures of 2024Q1 are not its reports; one
    /// withdrawn on 30 September 2024 is not expected for 2024Q4. Reports before the form existed do not make it
    /// expected earlier (the example's 2022 half-years of the 138/CP form of January 2023, round 64).
    #[test]
    fn a_data_set_is_expected_only_over_the_periods_it_was_in_use() {
        let (catalogue, mut data_set) = catalogue();
        data_set.valid_from = date("2024-04-01");
        data_set.valid_to = date("2024-09-30");
        let periods = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"].map(|p| Period::parse(p).unwrap());
        let store = store(&[
            ("cases", "p1", "2024Q1", None),
            ("cases", "p2", "2024Q1", None),
            ("cases", "p1", "2024Q2", None),
            ("cases", "p1", "2024Q4", None),
        ]);
        let result = completeness(&catalogue, &store, &data_set, (&periods, &[]), LATER);
        let missing = |units: &[&str]| units.iter().map(|u| (*u).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            rows(&result),
            [
                ("2024Q2".to_owned(), 3, 1, missing(&["p2", "p3"])),
                ("2024Q3".to_owned(), 3, 0, missing(&["p1", "p2", "p3"]))
            ]
        );
        assert_eq!((result.expected, result.received), (6, 1));
        // A period that began before the form is not expected even when a report of it arrived late.
        let late = [Period::parse("2024Q1").unwrap()];
        let result = completeness(&catalogue, &store, &data_set, (&periods, &late), LATER);
        assert_eq!((result.expected, result.received), (6, 1));
    }

    /// 2024Q4 ends on 31 December and is due by 15 January (`timely_days = 15`): on 10 January only the unit that
    /// has already reported it is counted (expected and received), and the others are not missing yet; on 15
    /// January every unit is expected. A period nobody reported before its deadline has no row.
    #[test]
    fn a_period_not_yet_due_counts_only_the_reports_received() {
        let (catalogue, data_set) = catalogue();
        let periods = ["2024Q3", "2024Q4"].map(|p| Period::parse(p).unwrap());
        let store = store(&[("cases", "p1", "2024Q3", None), ("cases", "p1", "2024Q4", None)]);
        let early = completeness(&catalogue, &store, &data_set, (&periods, &[]), date("2025-01-10").unwrap());
        assert_eq!(
            rows(&early),
            [("2024Q3".to_owned(), 3, 1, vec!["p2".to_owned(), "p3".to_owned()]), ("2024Q4".to_owned(), 1, 1, vec![])]
        );
        assert_eq!((early.expected, early.received), (4, 2));
        let due = completeness(&catalogue, &store, &data_set, (&periods, &[]), date("2025-01-15").unwrap());
        assert_eq!((due.expected, due.received), (6, 2));
        let store = super::tests::store(&[("cases", "p1", "2024Q3", None)]);
        let early = completeness(&catalogue, &store, &data_set, (&periods, &[]), date("2025-01-10").unwrap());
        assert_eq!(rows(&early).len(), 1, "{:?}", rows(&early));
    }

    #[test]
    fn without_submission_dates_timeliness_is_unknown_not_zero() {
        let (catalogue, data_set) = catalogue();
        let periods = [Period::parse("2024Q1").unwrap()];
        let store = store(&[("cases", "p1", "2024Q1", None), ("cases", "p2", "2024Q1", None)]);
        let result = completeness(&catalogue, &store, &data_set, (&periods, &[]), LATER);
        assert_eq!((result.received, result.on_time, result.on_time_rate), (2, None, None));
        assert!(result.periods.iter().all(|p| p.on_time.is_none()));
        assert!(result.org_units.iter().all(|u| u.on_time.is_none()));
    }

    /// A data set of `period_type` at province level over provinces that change (round 10, Q7): A and B merge into AB
    /// on 1 July 2025, D splits into D1 and D2 on 16 June 2025 (mid-month), C stays.
    fn changing(period_type: PeriodType) -> (Catalogue, DataSet) {
        let mut catalogue = Catalogue::default();
        let day = |text: &str| date(text).expect("a date");
        let mut units = vec![unit("vn", OrgUnitLevel::Country, None, None)];
        for (id, successor) in [("a", Some("ab")), ("b", Some("ab")), ("c", None), ("ab", None), ("d", Some("d1"))] {
            units.push(unit(id, OrgUnitLevel::Province, Some("vn"), successor));
        }
        units.push(unit("d1", OrgUnitLevel::Province, Some("vn"), None));
        units.push(unit("d2", OrgUnitLevel::Province, Some("vn"), None));
        for u in &mut units {
            match u.id.as_str() {
                "ab" => u.valid_from = Some(day("2025-07-01")),
                "d" => {
                    u.valid_to = Some(day("2025-06-15"));
                    u.successors.push("d2".to_owned());
                }
                "d1" | "d2" => u.valid_from = Some(day("2025-06-16")),
                _ => {}
            }
        }
        for u in units {
            catalogue.org_units.insert(u.id.clone(), u);
        }
        let data_set = DataSet {
            id: "reports".to_owned(),
            name: Text::new("r", "r"),
            elements: vec!["cases".to_owned()],
            period_type,
            org_unit_level: OrgUnitLevel::Province,
            timely_days: 15,
            valid_from: None,
            valid_to: None,
        };
        (catalogue, data_set)
    }

    /// (org unit, expected, received) per unit, and (period, expected, received, missing) per period.
    type Rates = (Vec<(String, usize, usize)>, Vec<(String, usize, usize, Vec<String>)>);

    fn rates(period_type: PeriodType, periods: &[&str], rows: &[(&str, &str, Option<&str>)]) -> (Rates, Completeness) {
        let (catalogue, data_set) = changing(period_type);
        let rows: Vec<(&str, &str, &str, Option<&str>)> =
            rows.iter().map(|&(unit, period, submitted)| ("cases", unit, period, submitted)).collect();
        let periods: Vec<Period> = periods.iter().map(|p| Period::parse(p).expect("a period")).collect();
        let result = completeness(&catalogue, &store(&rows), &data_set, (&periods, &[]), LATER);
        let by_unit = result.org_units.iter().map(|u| (u.org_unit.clone(), u.expected, u.received)).collect();
        let by_period =
            result.periods.iter().map(|p| (p.period.to_string(), p.expected, p.received, p.missing.clone())).collect();
        ((by_unit, by_period), result)
    }

    fn owned(rows: &[(&str, usize, usize)]) -> Vec<(String, usize, usize)> {
        rows.iter().map(|&(unit, expected, received)| (unit.to_owned(), expected, received)).collect()
    }

    #[test]
    fn a_unit_that_existed_for_part_of_a_year_is_complete_with_its_part() {
        // A reported its two quarters, B its half, AB its two quarters, C the year, D its part of June and 2025Q1,
        // D1 and D2 their halves: every one reported all the days it existed. The rates are 100 %, not 50 % or 0 %.
        let rows = [
            ("a", "2025Q1", None),
            ("a", "2025Q2", None),
            ("b", "2025S1", None),
            ("ab", "2025Q3", None),
            ("ab", "2025Q4", None),
            ("c", "2025", None),
            ("d", "2025Q1", None),
            ("d", "2025-04-01..2025-06-15", None),
            ("d1", "2025-06-16..2025-06-30", None),
            ("d1", "2025S2", None),
            ("d2", "2025-06-16..2025-12-31", None),
        ];
        let ((by_unit, by_period), result) = rates(PeriodType::Year, &["2025"], &rows);
        let all: Vec<(&str, usize, usize)> =
            ["a", "ab", "b", "c", "d", "d1", "d2"].iter().map(|u| (*u, 1, 1)).collect();
        assert_eq!(by_unit, owned(&all));
        assert_eq!(by_period, [("2025".to_owned(), 7, 7, Vec::new())]);
        assert_eq!(result.rate, Some(100.0));
        // A part missing: A without its second quarter, D1 without its days of June. They did not report all of it.
        let fewer: Vec<_> =
            rows.iter().copied().filter(|r| *r != ("a", "2025Q2", None) && r.1 != "2025-06-16..2025-06-30").collect();
        let ((_, by_period), _) = rates(PeriodType::Year, &["2025"], &fewer);
        assert_eq!(by_period, [("2025".to_owned(), 7, 5, vec!["a".to_owned(), "d1".to_owned()])]);
    }

    #[test]
    fn a_unit_that_existed_for_part_of_a_month_or_quarter_is_complete_with_its_part() {
        // Monthly: D until 15 June, D1 and D2 from 16 June.
        let rows = [
            ("c", "2025-06", None),
            ("d", "2025-06-01..2025-06-15", None),
            ("d1", "2025-06", None),
            ("d2", "2025-06-16..2025-06-30", None),
            ("a", "2025-06", None),
            ("b", "2025-06", None),
        ];
        let ((_, by_period), _) = rates(PeriodType::Month, &["2025-06"], &rows);
        assert_eq!(by_period, [("2025-06".to_owned(), 6, 6, Vec::new())]);
        // Quarterly: the merger's quarters and the split's second quarter, months for D and D2.
        let rows = [
            ("a", "2025Q2", None),
            ("b", "2025Q2", None),
            ("ab", "2025Q3", None),
            ("c", "2025Q2", None),
            ("c", "2025Q3", None),
            ("d", "2025-04", None),
            ("d", "2025-05", None),
            ("d", "2025-06-01..2025-06-15", None),
            ("d1", "2025Q2", None),
            ("d1", "2025Q3", None),
            ("d2", "2025-06-16..2025-06-30", None),
            ("d2", "2025-07", None),
            ("d2", "2025-08", None),
        ];
        let ((by_unit, by_period), _) = rates(PeriodType::Quarter, &["2025Q2", "2025Q3"], &rows);
        assert_eq!(
            by_period,
            [("2025Q2".to_owned(), 6, 6, Vec::new()), ("2025Q3".to_owned(), 4, 3, vec!["d2".to_owned()])]
        );
        assert_eq!(
            by_unit,
            owned(&[("a", 1, 1), ("ab", 1, 1), ("b", 1, 1), ("c", 2, 2), ("d", 1, 1), ("d1", 2, 2), ("d2", 2, 1)])
        );
    }

    #[test]
    fn a_report_in_parts_is_on_time_when_every_part_is() {
        let rows = [
            ("a", "2025Q1", Some("2025-04-10")),
            ("a", "2025Q2", Some("2026-01-10")),
            ("b", "2025S1", Some("2025-07-10")),
            ("ab", "2025S2", Some("2026-01-10")),
            ("c", "2025", Some("2026-01-10")),
        ];
        let (_, result) = rates(PeriodType::Year, &["2025"], &rows);
        // The deadline of 2025 is 15 January 2026: every part of every report is by then.
        assert_eq!((result.received, result.on_time), (4, Some(4)));
        let late: Vec<_> =
            rows.iter().map(|&(u, p, d)| if u == "a" { (u, p, Some("2026-02-01")) } else { (u, p, d) }).collect();
        let (_, result) = rates(PeriodType::Year, &["2025"], &late);
        assert_eq!((result.received, result.on_time), (4, Some(3)));
        // Dated quarters of a unit whose undated year is its report say nothing of the reports' timeliness.
        let rows = [("c", "2025", None), ("c", "2025Q1", Some("2025-04-01")), ("ab", "2025", None)];
        let (_, result) = rates(PeriodType::Year, &["2025"], &rows);
        assert_eq!((result.received, result.on_time, result.periods[0].on_time), (2, None, None));
    }
}
