//! Tests of completeness: expected and received reports, timeliness, parts, and figures that are no report.

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
        reported_by: Vec::new(),
    };
    (catalogue, data_set)
}

/// An as-of date after every test period's deadline.
const LATER: NaiveDate = NaiveDate::from_ymd_opt(2100, 1, 1).expect("a date");

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// (element, org unit, period, submitted), each citing source `s`.
fn store(rows: &[(&str, &str, &str, Option<&str>)]) -> ObservationStore {
    store_of(rows.iter().map(|&(element, unit, period, submitted)| (element, unit, period, "s", submitted)))
}

/// (element, org unit, period, source, submitted): a store of values of 1.
fn store_of<'a>(rows: impl Iterator<Item = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>)>) -> ObservationStore {
    let mut store = ObservationStore::new();
    let file = store.add_file("t.csv");
    for (row, (element, org_unit, period, source, submitted)) in rows.enumerate() {
        store.push(&NewObservation {
            element,
            org_unit,
            period: Period::parse(period).expect("test period"),
            disaggregation: &[],
            value: 1.0,
            source,
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
    let result = completeness(&catalogue, &store, (&data_set, None), (&periods, &[]), LATER);
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
    let result = completeness(&catalogue, &store, (&data_set, None), (&periods, &[]), LATER);
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
    let result = completeness(&catalogue, &store, (&data_set, None), (&periods, &late), LATER);
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
    let early = completeness(&catalogue, &store, (&data_set, None), (&periods, &[]), date("2025-01-10").unwrap());
    assert_eq!(
        rows(&early),
        [("2024Q3".to_owned(), 3, 1, vec!["p2".to_owned(), "p3".to_owned()]), ("2024Q4".to_owned(), 1, 1, vec![])]
    );
    assert_eq!((early.expected, early.received), (4, 2));
    let due = completeness(&catalogue, &store, (&data_set, None), (&periods, &[]), date("2025-01-15").unwrap());
    assert_eq!((due.expected, due.received), (6, 2));
    let store = super::tests::store(&[("cases", "p1", "2024Q3", None)]);
    let early = completeness(&catalogue, &store, (&data_set, None), (&periods, &[]), date("2025-01-10").unwrap());
    assert_eq!(rows(&early).len(), 1, "{:?}", rows(&early));
}

#[test]
fn without_submission_dates_timeliness_is_unknown_not_zero() {
    let (catalogue, data_set) = catalogue();
    let periods = [Period::parse("2024Q1").unwrap()];
    let store = store(&[("cases", "p1", "2024Q1", None), ("cases", "p2", "2024Q1", None)]);
    let result = completeness(&catalogue, &store, (&data_set, None), (&periods, &[]), LATER);
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
        reported_by: Vec::new(),
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
    let result = completeness(&catalogue, &store(&rows), (&data_set, None), (&periods, &[]), LATER);
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
    let all: Vec<(&str, usize, usize)> = ["a", "ab", "b", "c", "d", "d1", "d2"].iter().map(|u| (*u, 1, 1)).collect();
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

/// (element, org unit, period, source): a store whose rows cite the named sources.
fn store_citing(rows: &[(&str, &str, &str, &str)]) -> ObservationStore {
    store_of(rows.iter().map(|&(element, unit, period, source)| (element, unit, period, source, None)))
}

/// The catalogue with sources `official` (no issuer), `derived`, `tip` (issued by the agency `usdos`) and `own`
/// (issued by the agency `committee`), and the data set reported by `reported_by`.
fn catalogue_with_sources(reported_by: &[&str]) -> (Catalogue, DataSet) {
    use crate::model::{Agency, Source, SourceKind};
    let (mut catalogue, mut data_set) = catalogue();
    data_set.reported_by = reported_by.iter().map(|a| (*a).to_owned()).collect();
    for agency in ["usdos", "committee"] {
        let name = Text::new(agency, agency);
        let (valid_from, valid_to, successor, functions, note) = (None, None, None, Vec::new(), None);
        let (id, abbreviation) = (agency.to_owned(), None);
        let agency = Agency { id, name, abbreviation, valid_from, valid_to, successor, functions, note };
        catalogue.agencies.insert(agency.id.clone(), agency);
    }
    for (id, kind, issuer) in [
        ("official", SourceKind::Official, None),
        ("derived", SourceKind::Derived, None),
        ("tip", SourceKind::Official, Some("usdos")),
        ("own", SourceKind::Official, Some("committee")),
    ] {
        let title = Text::new(id, id);
        let issuer = issuer.map(str::to_owned);
        let (number, date, url, note, uncertain, public_note) = (None, None, None, None, None, None);
        let source = Source { id: id.to_owned(), kind, number, title, issuer, date, url, note, public_note, uncertain };
        catalogue.sources.insert(id.to_owned(), source);
    }
    (catalogue, data_set)
}

/// Received and quoted units of each period, for the quarters of 2021.
fn received_and_quoted(reported_by: &[&str], rows: &[(&str, &str, &str, &str)]) -> Vec<(usize, Vec<String>)> {
    let (catalogue, data_set) = catalogue_with_sources(reported_by);
    let periods: Vec<Period> = ["2021Q1", "2021Q2"].iter().map(|p| Period::parse(p).expect("period")).collect();
    let result = completeness(&catalogue, &store_citing(rows), (&data_set, None), (&periods, &[]), LATER);
    result.periods.iter().map(|p| (p.received, p.quoted.clone())).collect()
}

#[test]
fn a_derived_figure_is_no_report_received() {
    let rows = [("cases", "p1", "2021Q1", "official"), ("cases", "p1", "2021Q2", "derived")];
    let got = received_and_quoted(&[], &rows);
    assert_eq!(got, [(1, vec![]), (0, vec!["p1".to_owned()])]);
}

#[test]
fn a_figure_another_agency_published_is_no_report_of_a_data_set_with_its_reporters() {
    let rows = [
        ("cases", "p1", "2021Q1", "tip"),
        ("cases", "p2", "2021Q1", "own"),
        ("cases", "p3", "2021Q1", "official"),
        ("victims", "p1", "2021Q2", "tip"),
        ("cases", "p1", "2021Q2", "own"),
    ];
    // Reported by the committee: the TIP report's quote of p1's first quarter is no report; a source with no
    // agency as issuer (a press article) counts; a report with one figure of the committee's is received.
    let got = received_and_quoted(&["committee"], &rows);
    assert_eq!(got, [(2, vec!["p1".to_owned()]), (1, vec![])]);
    // Without `reported_by`, every source's figures are reports.
    assert_eq!(received_and_quoted(&[], &rows), [(3, vec![]), (1, vec![])]);
}

#[test]
fn figures_that_are_no_report_still_show_when_the_data_set_was_in_use() {
    // Only p1's derived figure of the first quarter: the data set was in use from then, so all three units are
    // expected in both quarters, and none received.
    let rows = [("cases", "p1", "2021Q1", "derived"), ("cases", "p2", "2021Q2", "official")];
    let (catalogue, data_set) = catalogue_with_sources(&[]);
    let periods: Vec<Period> = ["2021Q1", "2021Q2"].iter().map(|p| Period::parse(p).expect("period")).collect();
    let result = completeness(&catalogue, &store_citing(&rows), (&data_set, None), (&periods, &[]), LATER);
    assert_eq!(result.expected, 6);
    assert_eq!(result.received, 1);
    let p1 = result.org_units.iter().find(|u| u.org_unit == "p1").expect("p1 expected");
    assert_eq!(p1.quoted, [periods[0]]);
}

/// The committee ended and `usdos` took its functions: a data set reported by either counts the other's figures too
/// (the successor's after the handover, the predecessor's before it).
#[test]
fn a_successor_or_predecessor_of_a_reporting_agency_reports_the_data_set() {
    for reporter in ["committee", "usdos"] {
        let (mut catalogue, data_set) = catalogue_with_sources(&[reporter]);
        if let Some(committee) = catalogue.agencies.get_mut("committee") {
            committee.successor = Some("usdos".to_owned());
        }
        let rows = [("cases", "p1", "2021Q1", "tip"), ("cases", "p2", "2021Q1", "own")];
        let periods: Vec<Period> = ["2021Q1"].iter().map(|p| Period::parse(p).expect("period")).collect();
        let result = completeness(&catalogue, &store_citing(&rows), (&data_set, None), (&periods, &[]), LATER);
        assert_eq!((result.received, result.periods[0].quoted.len()), (2, 0), "reported by {reporter}");
    }
}
