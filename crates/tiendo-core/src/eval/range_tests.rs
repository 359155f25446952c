//! A plan's date range of whole months has its own value, from the months, quarters or halves that tile it, exactly as
//! the year from another day with the same days (`docs/methodology.md`, section 4, "One period rule": a plan's range
//! is assessed "on its own value when the data gives one"). A range that no whole months tile keeps the fallback: the
//! period inside it that ends last (case b2-02).

use chrono::NaiveDate;

use super::test_support::{data_element, indicator, merger_catalogue, numbers, unit};
use super::*;
use crate::model::{Comparator, Plan, PlanKind, Target, Text};

fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Country `vn` with provinces `prov-a` and `prov-b`; `received` and `resolved` (sums); the resolution rate (a percent
/// up to 100); and a plan of `prov-a` (or of `vn`) with the one target `resolution-rate >= 60` for `target`.
fn catalogue(target: &str, target_unit: &str) -> Catalogue {
    let mut catalogue = Catalogue::default();
    for u in [
        unit("vn", OrgUnitLevel::Country, None, None),
        unit("prov-a", OrgUnitLevel::Province, Some("vn"), None),
        unit("prov-b", OrgUnitLevel::Province, Some("vn"), None),
    ] {
        catalogue.org_units.insert(u.id.clone(), u);
    }
    for id in ["received", "resolved"] {
        catalogue.data_elements.insert(id.to_owned(), data_element(id, false, &[]));
    }
    let mut rate = indicator("resolution-rate", Measure::Percent, "resolved", Some("received"));
    rate.decimals = 1;
    rate.limit = Some(100.0);
    rate.source = "src".to_owned();
    catalogue.indicators.insert(rate.id.clone(), rate);
    let period = p(target);
    let target = Target {
        indicator: "resolution-rate".to_owned(),
        period,
        comparator: Comparator::GreaterOrEqual,
        value: 60.0,
        source: "src".to_owned(),
        org_unit: None,
        note: None,
    };
    let plan = Plan {
        id: "plan-a".to_owned(),
        kind: PlanKind::Provincial,
        number: None,
        title: Text::new("plan", "plan"),
        issuer: None,
        org_unit: target_unit.to_owned(),
        period,
        adopted_on: None,
        source: "src".to_owned(),
        implements: None,
        indicators: vec!["resolution-rate".to_owned()],
        targets: vec![target],
        baselines: Vec::new(),
        objectives: Vec::new(),
        activities: Vec::new(),
        note: None,
    };
    catalogue.plans.insert(plan.id.clone(), plan);
    catalogue
}

/// (org unit, period, resolved, received)
type Row = (&'static str, &'static str, f64, f64);

fn store(rows: &[Row]) -> ObservationStore {
    let mut store = ObservationStore::new();
    let file = store.add_file("data.csv");
    let mut line = 2;
    for &(org_unit, period, resolved, received) in rows {
        for (element, value) in [("received", received), ("resolved", resolved)] {
            store.push(&NewObservation {
                element,
                org_unit,
                period: p(period),
                disaggregation: &[],
                value,
                source: "src",
                status: ObservationStatus::Final,
                note: None,
                submitted: None,
                file,
                row: line,
            });
            line += 1;
        }
    }
    store
}

/// The quarters of /tmp/adv10/p01-july-range (and p02-july-id): 4 of 10 resolved a quarter from 2021Q3 to 2022Q2, then
/// 2, 2, 7 and 8 of 10.
const JULY_QUARTERS: [Row; 8] = [
    ("prov-a", "2021Q3", 4.0, 10.0),
    ("prov-a", "2021Q4", 4.0, 10.0),
    ("prov-a", "2022Q1", 4.0, 10.0),
    ("prov-a", "2022Q2", 4.0, 10.0),
    ("prov-a", "2022Q3", 2.0, 10.0),
    ("prov-a", "2022Q4", 2.0, 10.0),
    ("prov-a", "2023Q1", 7.0, 10.0),
    ("prov-a", "2023Q2", 8.0, 10.0),
];

fn run(catalogue: &Catalogue, rows: &[Row], as_of: (i32, u32, u32), coverage: CoveragePolicy) -> Evaluation {
    let mut settings = EvaluationSettings::new(NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).expect("a date"));
    settings.coverage = coverage;
    evaluate(catalogue, &store(rows), &settings, None)
}

fn result<'e>(evaluation: &'e Evaluation, unit: &str) -> &'e IndicatorResult {
    evaluation.indicators.iter().find(|r| r.org_unit == unit).unwrap_or_else(|| panic!("a result at {unit}"))
}

/// What a target's result says, whatever the spelling of its period: the days compared, the value, whether it is
/// met, the percent of target, the status and every method's status, the latest value and its change, and the trend
/// (each point's last day and value).
type Verdict = (Option<(NaiveDate, NaiveDate)>, Option<f64>, Option<bool>, Option<f64>, Status, Vec<Status>);

fn verdict(result: &IndicatorResult) -> (Verdict, Option<(f64, Option<f64>)>) {
    let target = &result.targets[0];
    let days = target.compared_period.map(|period| (period.start(), period.end()));
    let methods = result.assessments.iter().map(|a| a.status).collect();
    let latest = result
        .latest
        .as_ref()
        .map(|point| (point.value.unwrap_or(f64::NAN), point.change.as_ref().map(|c| c.absolute)));
    ((days, target.compared_value, target.met, target.percent_of_target, result.status, methods), latest)
}

/// Finding (1): `2022-07-01..2023-06-30` and `2022July` are the same days and give the same value (19 of 40 =
/// 47.5), the same "not met", the same percent of target, the same status on the same trend (from the year before,
/// 16 of 40 = 40), and the same change on the same period last year. Before, the range fell back to 2023S1 (75,
/// "achieved").
#[test]
fn a_july_range_is_decided_as_the_year_from_1_july() {
    let as_of = (2024, 1, 20);
    let range = run(&catalogue("2022-07-01..2023-06-30", "prov-a"), &JULY_QUARTERS, as_of, CoveragePolicy::Exclude);
    let july = run(&catalogue("2022July", "prov-a"), &JULY_QUARTERS, as_of, CoveragePolicy::Exclude);
    let (range_verdict, range_latest) = verdict(result(&range, "prov-a"));
    let (july_verdict, july_latest) = verdict(result(&july, "prov-a"));
    assert_eq!(range_verdict, july_verdict);
    assert_eq!(range_latest, july_latest);
    let (days, value, met, _, status, _) = range_verdict;
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    assert_eq!(days, Some((date(2022, 7, 1), date(2023, 6, 30))));
    assert_eq!((value, met), (Some(47.5), Some(false)));
    assert_ne!(status, Status::Achieved);
    assert_eq!(range_latest, Some((47.5, Some(7.5))));
    let range_target = &result(&range, "prov-a").targets[0];
    assert_eq!(range_target.compared_period, Some(p("2022-07-01..2023-06-30")));
    // The same period last year is the range a year earlier, with its own value from its quarters.
    let before = result(&range, "prov-a").series.iter().find(|point| point.period == p("2021-07-01..2022-06-30"));
    assert_eq!(before.and_then(|point| point.value), Some(40.0));
}

/// Finding (2): ranges of whole months take their value from whatever tiles them (months only, quarters, halves),
/// across a calendar year or not, with the trend and the change of the range a year earlier; the value is that of the
/// same months added up by hand.
#[test]
fn ranges_of_whole_months_have_the_value_of_what_tiles_them() {
    // (data rows, target range, value decided, value a year earlier)
    let monthly: Vec<Row> = (0..24)
        .map(|i| {
            let month = Period::Month(2021 + i / 12, (i % 12) as u8 + 1);
            let id: &'static str = Box::leak(month.to_string().into_boxed_str());
            ("prov-a", id, f64::from(i % 7 + 1), 10.0)
        })
        .collect();
    // Resolved i % 7 + 1 of 10 in month i from January 2021 (i = 0). August to December 2022 (no quarter tiles it):
    // months 19..=23, 6 + 7 + 1 + 2 + 3 = 19 of 50; a year earlier 15 of 50. February to May 2022: 13 of 40, a year
    // earlier 14 of 40. November 2021 to February 2022: 4 + 5 + 6 + 7 = 22 of 40, and no whole year before.
    let halves: Vec<Row> = vec![
        ("prov-a", "2021S2", 3.0, 10.0),
        ("prov-a", "2022S1", 5.0, 10.0),
        ("prov-a", "2022S2", 6.0, 10.0),
        ("prov-a", "2023S1", 9.0, 10.0),
    ];
    let cases: Vec<(Vec<Row>, &str, f64, Option<f64>)> = vec![
        (monthly.clone(), "2022-08-01..2022-12-31", 19.0 / 50.0 * 100.0, Some(15.0 / 50.0 * 100.0)),
        (monthly.clone(), "2022-02-01..2022-05-31", 13.0 / 40.0 * 100.0, Some(14.0 / 40.0 * 100.0)),
        (monthly, "2021-11-01..2022-02-28", 22.0 / 40.0 * 100.0, None),
        (JULY_QUARTERS.to_vec(), "2022-10-01..2023-03-31", 9.0 / 20.0 * 100.0, Some(8.0 / 20.0 * 100.0)),
        (JULY_QUARTERS.to_vec(), "2022-04-01..2022-09-30", 6.0 / 20.0 * 100.0, None),
        (halves.clone(), "2022-07-01..2023-06-30", 15.0 / 20.0 * 100.0, Some(8.0 / 20.0 * 100.0)),
        (halves, "2022-01-01..2023-06-30", 20.0 / 30.0 * 100.0, None),
    ];
    for (rows, range, value, before) in cases {
        let evaluation = run(&catalogue(range, "prov-a"), &rows, (2024, 1, 20), CoveragePolicy::Exclude);
        let result = result(&evaluation, "prov-a");
        let target = &result.targets[0];
        assert_eq!(target.compared_period, Some(p(range)), "{range}");
        let decided = target.compared_value.expect("a value");
        assert!((decided - value).abs() < 1e-9, "{range}: {decided} against {value}");
        let point = result.series.iter().find(|point| point.period == p(range)).expect("the range's point");
        let change = point.change.as_ref().map(|c| c.previous_value);
        match (change, before) {
            (Some(got), Some(want)) => assert!((got - want).abs() < 1e-9, "{range}: {got} against {want}"),
            (got, want) => assert_eq!(got, want, "{range}"),
        }
        let previous = p(range).same_period_last_year();
        assert_eq!(result.series.iter().any(|point| point.period == previous), before.is_some(), "{range}");
    }
}

/// Finding (3), case b2-02: a plan from 17 March to 31 December 2024 has no value of its own (17-31 March is inside
/// 2024Q1 with the 1-16 March before the plan), so it is decided by the period inside it that ends last, 2024S2
/// (10 of 20, 50 %), with no trend: insufficient data, and its target line no verdict; never 2024 (75 %) or a sum of the quarters inside.
#[test]
fn a_range_that_no_whole_months_tile_keeps_the_fallback() {
    let rows: [Row; 4] = [
        ("prov-a", "2024Q1", 30.0, 30.0),
        ("prov-a", "2024Q2", 5.0, 10.0),
        ("prov-a", "2024Q3", 5.0, 10.0),
        ("prov-a", "2024Q4", 5.0, 10.0),
    ];
    let evaluation = run(&catalogue("2024-03-17..2024-12-31", "prov-a"), &rows, (2025, 1, 20), CoveragePolicy::Exclude);
    let result = result(&evaluation, "prov-a");
    let target = &result.targets[0];
    assert_eq!(
        (target.compared_period, target.compared_value, target.met),
        (Some(p("2024S2")), Some(50.0), None),
        "a part of a ratio's range is no verdict on the range"
    );
    assert!(!target.verdict && target.percent_of_target.is_none());
    assert_eq!(result.status, Status::InsufficientData);
    assert_eq!(result.latest.as_ref().map(|point| point.period), Some(p("2024S2")));
    assert!(result.series.iter().all(|point| point.period.period_type() != PeriodType::Range));
    // The value of such a range is never the sum of the quarters inside it as if they covered it: it is partial.
    let catalogue = catalogue("2024-03-17..2024-12-31", "prov-a");
    let store = store(&rows);
    let refs = vec![crate::expr::ElementRef { element: "received".to_owned(), filter: Default::default(), offset: 0 }];
    let rules = vec![AggregationRule { time: TimeAggregation::Sum, org_units: OrgUnitAggregation::Sum }];
    let mut cube = Cube::build(&catalogue, &store, refs, rules, 1);
    let value = cube.value(0, "prov-a", p("2024-03-17..2024-12-31")).expect("a partial value");
    assert_eq!((value.value, value.partial_time), (30.0, true));
}

/// Finding (4): a range with a month missing is partial exactly as the year from another day with its days: at the
/// province that reported, neither has a published value (its own report of part of the period); at the country,
/// both are the same partial sum with the same coverage, which decides nothing under the default policy and decides
/// under `flag`.
#[test]
fn a_range_with_a_missing_month_is_partial_as_the_year_from_1_july() {
    // Monthly, July 2021 to June 2023: prov-a resolves 4 of 10 a month and skips February 2023, prov-b 6 of 10.
    let months: Vec<&'static str> = (0..24)
        .map(|i| &*Box::leak(Period::Month(2021 + (6 + i) / 12, ((6 + i) % 12) as u8 + 1).to_string().into_boxed_str()))
        .collect();
    let mut rows: Vec<Row> = months.iter().filter(|&&m| m != "2023-02").map(|&m| ("prov-a", m, 4.0, 10.0)).collect();
    rows.extend(months.iter().map(|&m| ("prov-b", m, 6.0, 10.0)));
    for coverage in [CoveragePolicy::Exclude, CoveragePolicy::Flag] {
        for unit in ["prov-a", "vn"] {
            let range = run(&catalogue("2022-07-01..2023-06-30", unit), &rows, (2024, 1, 20), coverage);
            let july = run(&catalogue("2022July", unit), &rows, (2024, 1, 20), coverage);
            let point = |evaluation: &Evaluation, period: &str| {
                result(evaluation, unit).series.iter().find(|point| point.period == p(period)).cloned()
            };
            let (range_point, july_point) = (point(&range, "2022-07-01..2023-06-30"), point(&july, "2022July"));
            if unit == "prov-a" {
                assert!(range_point.is_none() && july_point.is_none(), "{coverage:?}");
                continue;
            }
            let (range_point, july_point) = (range_point.expect("a range value"), july_point.expect("a July value"));
            // 11 months of prov-a (44 of 110) and 12 of prov-b (72 of 120).
            assert_eq!((range_point.numerator, range_point.denominator), (Some(116.0), Some(230.0)));
            assert_eq!((range_point.value, &range_point.coverage), (july_point.value, &july_point.coverage));
            let coverage_of = range_point.coverage.as_ref().expect("coverage");
            assert!(!coverage_of.complete && coverage_of.missing_periods == ["prov-a 2023-02"], "{coverage_of:?}");
            let decided = result(&range, unit).targets[0].compared_period;
            let decided_july = result(&july, unit).targets[0].compared_period;
            if coverage == CoveragePolicy::Flag {
                assert_eq!((decided, decided_july), (Some(p("2022-07-01..2023-06-30")), Some(p("2022July"))));
                assert_eq!(verdict(result(&range, unit)), verdict(result(&july, unit)));
            } else {
                assert_ne!(decided, Some(p("2022-07-01..2023-06-30")));
            }
        }
    }
}

/// Finding (5): on random data (months, quarters, halves and years reported at random by a commune, a province,
/// old provinces merged into a new one and the country, for every time rule; `merger_catalogue`), the range with the days of a year, a
/// half, a quarter, a month or a year from another day has that period's value, coverage counts and flags.
#[test]
fn a_range_with_the_days_of_a_standard_period_has_its_value() {
    let catalogue = merger_catalogue();
    let units: Vec<String> = catalogue.org_units.keys().cloned().collect();
    let reported: Vec<Period> = (2023..=2025)
        .flat_map(|y| {
            let year = Period::Year(y);
            let subs = [PeriodType::Half, PeriodType::Quarter, PeriodType::Month].map(|t| year.subdivide(t));
            std::iter::once(year).chain(subs.into_iter().flatten())
        })
        .collect();
    let starts = [crate::period::YearStart::APRIL, crate::period::YearStart::JULY, crate::period::YearStart::OCTOBER];
    let years_from = (2023..=2024).flat_map(|y| {
        starts
            .into_iter()
            .chain(crate::period::YearStart::new(2, 1))
            .chain([crate::period::YearStart::DECEMBER_15])
            .map(move |s| Period::YearFrom(y, s))
    });
    let standard: Vec<Period> = reported.iter().copied().chain(years_from).collect();
    let ranges: Vec<Period> = standard.iter().map(|q| Period::Range(q.start(), q.end())).collect();
    let rules: Vec<AggregationRule> = [TimeAggregation::Sum, TimeAggregation::Last, TimeAggregation::Average]
        .into_iter()
        .flat_map(|time| {
            [OrgUnitAggregation::Sum, OrgUnitAggregation::None].map(|org_units| AggregationRule { time, org_units })
        })
        .collect();
    let refs: Vec<crate::expr::ElementRef> = rules
        .iter()
        .map(|_| crate::expr::ElementRef { element: "e".to_owned(), filter: Default::default(), offset: 0 })
        .collect();
    let mut compared = 0;
    for seed in 1..=40u64 {
        let mut next = numbers(seed);
        let mut store = ObservationStore::new();
        let file = store.add_file("t.csv");
        // Dense monthly data for some seeds (whole years and years from another day), sparse mixed data for others.
        let rows = if seed % 4 == 0 { 400 } else { 60 };
        let pool: Vec<Period> = if seed % 4 == 0 {
            reported.iter().copied().filter(|q| q.period_type() == PeriodType::Month).collect()
        } else {
            reported.clone()
        };
        for row in 0..rows {
            store.push(&NewObservation {
                element: "e",
                org_unit: &units[next(units.len())],
                period: pool[next(pool.len())],
                disaggregation: &[],
                value: (next(1000) as f64) / 8.0,
                source: "s",
                status: if next(5) == 0 { ObservationStatus::Provisional } else { ObservationStatus::Final },
                note: None,
                submitted: None,
                file,
                row: row as u32 + 2,
            });
        }
        let mut cube = Cube::build(&catalogue, &store, refs.clone(), rules.clone(), 1);
        let (standard_set, range_set) = (PeriodSet::new(&standard), PeriodSet::new(&ranges));
        for (ref_index, rule) in rules.iter().enumerate() {
            for unit in &units {
                let by_period = cube.values_over(ref_index, unit, &standard_set).expect("a known unit");
                let by_range = cube.values_over(ref_index, unit, &range_set).expect("a known unit");
                for ((period, expected), got) in standard.iter().zip(&by_period).zip(&by_range) {
                    assert_eq!(got, expected, "seed {seed}, {rule:?}, {unit}, {period}");
                    assert_eq!(got.map(|v| v.value.to_bits()), expected.map(|v| v.value.to_bits()));
                    compared += usize::from(expected.is_some());
                }
            }
        }
    }
    assert!(compared > 10_000, "{compared} values compared");
}
