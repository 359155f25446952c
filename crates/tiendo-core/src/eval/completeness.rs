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

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::eval::store::ObservationStore;
use crate::model::{Catalogue, DataSet, SourceKind};
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
    /// Those of `missing` that have figures of the period that are no report of the data set: derived by the
    /// editors, or published by an agency the data set is not reported by (`DataSet::reported_by`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<String>,
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
    /// The expected periods the unit sent no report of but has figures of that are no report of the data set
    /// ([`PeriodCompleteness::quoted`]), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<Period>,
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

/// The org units a run of `selected` units (`tiendo eval --org-unit`, `--plan`) counts the reports of: each, the
/// units it continues (those it succeeds, for the periods before it existed), and every unit inside those; `None`
/// when nothing is selected (every unit). A provincial plan's run counted the reports of all 34 provinces, "2 of 136
/// reports (1.5 %)" for a province that sent both of its own (round 68, found by a newcomer).
pub fn scope(catalogue: &Catalogue, selected: &[String]) -> Option<BTreeSet<String>> {
    if selected.is_empty() {
        return None;
    }
    let mut roots: BTreeSet<String> = selected.iter().cloned().collect();
    loop {
        let before: Vec<String> = catalogue
            .org_units
            .values()
            .filter(|u| !roots.contains(&u.id) && u.successors.iter().any(|s| roots.contains(s)))
            .map(|u| u.id.clone())
            .collect();
        if before.is_empty() {
            break;
        }
        roots.extend(before);
    }
    let inside = |id: &str| roots.contains(id) || catalogue.ancestors(id).iter().any(|a| roots.contains(a));
    Some(catalogue.org_units.keys().filter(|id| inside(id)).cloned().collect())
}

/// Completeness of `data_set` over `periods` (already restricted to the data set's period type) as of `as_of`, over
/// the units of `scope` ([`scope`]; every unit for `None`). `late` are periods of the data set's type for which a
/// report arrived only after the as-of date (its rows are not in `store`): they are expected like any other period
/// that is due, and that report is not received.
pub fn completeness(
    catalogue: &Catalogue,
    store: &ObservationStore,
    (data_set, scope): (&DataSet, Option<&BTreeSet<String>>),
    (periods, late): (&[Period], &[Period]),
    as_of: NaiveDate,
) -> Completeness {
    let mut received = Received::of(catalogue, store, data_set);
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
    let reports = Reports { catalogue, store, data_set, received: &received, period_index: &period_index, scope };
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
            let quoted = tally.quoted.remove(&org_unit).unwrap_or_default();
            let rate = rate(got, expected);
            OrgUnitCompleteness { org_unit, expected, received: got, rate, on_time, on_time_rate, quoted }
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
    /// Per org unit: the periods it has figures of but sent no report of ([`PeriodCompleteness::quoted`]).
    quoted: BTreeMap<String, Vec<Period>>,
}

/// What one period's row of [`completeness`] reads.
struct Reports<'a> {
    catalogue: &'a Catalogue,
    store: &'a ObservationStore,
    data_set: &'a DataSet,
    received: &'a Received,
    period_index: &'a BTreeMap<Period, usize>,
    /// The units counted ([`scope`]); `None` for every unit.
    scope: Option<&'a BTreeSet<String>>,
}

impl Reports<'_> {
    /// The row of `period`: every unit of the data set's level that existed in some day of it is expected, and
    /// received when it reported the period itself or its parts (`within`, the store's periods inside it). Before
    /// the period is `due`, only the units that reported it are expected, and no row when none did.
    fn period_row(&self, period: Period, within: &[u32], due: bool, tally: &mut Tally) -> Option<PeriodCompleteness> {
        let (mut expected, mut got, mut in_time) = (0, 0, 0);
        let (mut missing, mut quoted) = (Vec::new(), Vec::new());
        for unit in self.catalogue.org_units.values() {
            let valid = unit.valid_from.is_none_or(|from| from <= period.end())
                && unit.valid_to.is_none_or(|to| period.start() <= to);
            if unit.level != self.data_set.org_unit_level || !valid || self.scope.is_some_and(|s| !s.contains(&unit.id))
            {
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
                let at = self.store.org_units.get(&unit.id);
                if at.is_some_and(|u| self.received.quoted(u, self.period_index.get(&period).copied(), within)) {
                    quoted.push(unit.id.clone());
                    tally.quoted.entry(unit.id.clone()).or_default().push(period);
                }
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
            quoted,
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
    /// Per slot of `set`, where some source's figures are no report of the data set (empty when every source's
    /// are): the unit has figures of that period that are not a report received.
    quoted: Vec<bool>,
}

/// The agencies `reported_by` names, every agency that took over one of their functions and every agency whose
/// functions one of them took over, in turn (MOLISA's victim support went to the Ministry of Health on 1 March 2025:
/// the Ministry's report of 2025 is the data set's, and so are MOLISA's of the years before where the data set names
/// the Ministry; round 67, found by verifiers).
fn reporters_and_successors(catalogue: &Catalogue, reported_by: &[String]) -> std::collections::BTreeSet<String> {
    let took_over = |agency: &crate::model::Agency| -> Vec<String> {
        agency.successor.iter().cloned().chain(agency.functions.iter().filter_map(|f| f.successor.clone())).collect()
    };
    let mut out: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut next: Vec<String> = reported_by.to_vec();
    while let Some(id) = next.pop() {
        if !out.insert(id.clone()) {
            continue;
        }
        if let Some(agency) = catalogue.agencies.get(&id) {
            next.extend(took_over(agency));
        }
        let before = catalogue.agencies.values().filter(|a| took_over(a).contains(&id));
        next.extend(before.map(|a| a.id.clone()));
    }
    out
}

/// Per store source, whether its figures are reports of `data_set`; `None` when every source's are. A derived
/// figure is the editors' computation from published ones, never a report sent; where the data set names the
/// agencies that report it (`reported_by`), a figure from a source another agency issued is that agency's
/// publication (the US State Department's TIP report quoting the government's count of 2021), not a report
/// received. A source with no agency as issuer (a press article on the reporting body's figures) counts.
fn reporting_sources(catalogue: &Catalogue, store: &ObservationStore, data_set: &DataSet) -> Option<Vec<bool>> {
    let reporters = reporters_and_successors(catalogue, &data_set.reported_by);
    let reports: Vec<bool> = (0..store.sources.len() as u32)
        .map(|s| {
            let Some(source) = catalogue.sources.get(store.sources.name(s)) else { return true };
            let other_agency = (source.issuer.as_ref())
                .is_some_and(|issuer| catalogue.agencies.contains_key(issuer) && !reporters.contains(issuer));
            source.kind != SourceKind::Derived && (!other_agency || data_set.reported_by.is_empty())
        })
        .collect();
    reports.contains(&false).then_some(reports)
}

impl Received {
    fn of(catalogue: &Catalogue, store: &ObservationStore, data_set: &DataSet) -> Received {
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
        let reporting = reporting_sources(catalogue, store, data_set);
        let mut quoted = vec![false; if reporting.is_some() { set.len() } else { 0 }];
        let mut sources = reporting.as_ref().map(|_| store.sources_and_statuses());
        for (index, observation) in store.observations.iter().enumerate() {
            let report = match (&mut sources, &reporting) {
                (Some(sources), Some(reporting)) => sources.next().is_none_or(|(source, _)| reporting[source as usize]),
                _ => true,
            };
            // Reports of every period type: a period's own, and its parts.
            if in_data_set[observation.element as usize] {
                let slot = observation.org_unit as usize * period_count + observation.period as usize;
                if !report {
                    quoted[slot] = true;
                    continue;
                }
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
        Received { period_count, set, submitted, any_date, period_type: data_set.period_type, quoted }
    }

    /// Whether `slot` holds figures of the data set, reports or not: a report quoted in another agency's
    /// publication shows that the data set was in use.
    fn holds(&self, slot: usize) -> bool {
        self.set[slot] || self.quoted.get(slot).copied().unwrap_or(false)
    }

    /// Whether store unit `unit` has figures of the data set's elements for `period` or a period within it (store
    /// periods `within`) that are no report of it ([`reporting_sources`]).
    fn quoted(&self, unit: u32, period: Option<usize>, within: &[u32]) -> bool {
        let base = unit as usize * self.period_count;
        !self.quoted.is_empty()
            && period.into_iter().chain(within.iter().map(|&p| p as usize)).any(|p| self.quoted[base + p])
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
    /// after March is missing from April. Figures that are no report of it (a quote in another agency's publication)
    /// show it was in use as well as reports do.
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
                reporters.iter().enumerate().any(|(u, &at_level)| at_level && self.holds(u * self.period_count + p))
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
#[path = "completeness_tests.rs"]
mod tests;
