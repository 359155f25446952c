//! Which periods an evaluation computes values for, years from another day (a judicial year) included, and how many
//! observations of the periods it leaves out there are.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;

use crate::model::Catalogue;
use crate::period::{Period, PeriodType};

use super::EvaluationSettings;
use super::aggregate::Cube;

/// The periods values are computed for, ending on or before `settings.as_of` and within its period filter:
///
/// - every year, half and quarter from the first to the last calendar year with data;
/// - every period reported exactly (months, custom ranges, a year from another day);
/// - for every type of year from another day (`2022Oct`, `2022Dec15`) that a plan's target or baseline or a report
///   uses, that year in every year that overlaps the data, so that a judicial-year target has its value (rolled up
///   from the months or quarters that tile it) and its change on the same period of the year before;
/// - for every date range of whole months that a plan's target uses (`2022-07-01..2023-06-30`), that range shifted
///   by every whole number of years that overlaps the data, for the same reasons: the range has its own value from
///   the months, quarters or halves that tile it, exactly as `2022July` has (`docs/methodology.md`, section 4, "One
///   period rule"). A range that no whole months tile (`2024-03-17..2024-12-31`) is not added: the data cannot
///   give its value, and `results` decides it on a period inside it.
///
/// Ordered as tables read: calendar years first, then years from another day (by start day), halves, quarters,
/// months and ranges, each in time order.
pub(super) fn output_periods(catalogue: &Catalogue, reported: &[Period], settings: &EvaluationSettings) -> Vec<Period> {
    let shown = |p: &Period| settings.period.is_none_or(|filter| filter.contains(p));
    periods_where(catalogue, reported, settings.as_of, shown)
}

/// The periods values are computed for: those of [`output_periods`] and, with a `--period` filter, every earlier
/// one, so that the first period of a window has its change on the same period last year, and a trend its base in
/// the plan's years before the window (a review of 2025 alone kept no "so với cùng kỳ" of Q1 2025, and a window
/// from 2022 read a programme's trend from 2022: round 74, cases found by an adversarial tester). They are never
/// shown: [`super::windowed::keep_window`] leaves every result's points outside the filter out after evaluation.
pub(super) fn evaluated_periods(
    catalogue: &Catalogue,
    reported: &[Period],
    settings: &EvaluationSettings,
) -> Vec<Period> {
    let through = |p: &Period| settings.period.is_none_or(|filter| p.end() <= filter.end());
    periods_where(catalogue, reported, settings.as_of, through)
}

/// The periods of [`output_periods`]' list that end on or before `as_of` and that `keep` keeps, in table order.
fn periods_where(
    catalogue: &Catalogue,
    reported: &[Period],
    as_of: chrono::NaiveDate,
    keep: impl Fn(&Period) -> bool,
) -> Vec<Period> {
    let mut periods: BTreeSet<Period> = BTreeSet::new();
    let years: Vec<i32> = reported.iter().map(Period::year).collect();
    if let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) {
        for year in first..=last {
            let whole = Period::Year(year);
            periods.insert(whole);
            periods.extend(whole.subdivide(PeriodType::Half));
            periods.extend(whole.subdivide(PeriodType::Quarter));
        }
    }
    periods.extend(reported.iter().copied());
    let first_day = reported.iter().map(Period::start).min();
    let last_day = reported.iter().map(Period::end).max();
    if let (Some(first_day), Some(last_day)) = (first_day, last_day) {
        let data = Period::Range(first_day, last_day);
        for period_type in years_from_another_day(catalogue, reported) {
            let mut period = Period::containing(first_day, period_type);
            while period.start() <= last_day {
                if period.overlaps(&data) {
                    periods.insert(period);
                }
                period = period.shift_years(1);
            }
        }
        for range in target_ranges(catalogue) {
            periods.extend(shifts_over(range, data));
        }
    }
    let mut periods: Vec<Period> = periods.into_iter().filter(|p| p.end() <= as_of).filter(|p| keep(p)).collect();
    periods.sort_by_key(|p| (p.period_type(), p.start(), p.end()));
    periods
}

/// The types of year from another day used by any plan's targets or baselines or by a report, in order.
fn years_from_another_day(catalogue: &Catalogue, reported: &[Period]) -> BTreeSet<PeriodType> {
    let planned = catalogue
        .plans
        .values()
        .flat_map(|plan| plan.targets.iter().map(|t| t.period).chain(plan.baselines.iter().map(|b| b.period)));
    planned
        .chain(reported.iter().copied())
        .map(|p| p.period_type())
        .filter(|t| matches!(t, PeriodType::YearFrom(_)))
        .collect()
}

/// The date ranges of whole months ([`Period::is_whole_months`]) that plans' targets are set for, in order.
fn target_ranges(catalogue: &Catalogue) -> BTreeSet<Period> {
    catalogue
        .plans
        .values()
        .flat_map(|plan| plan.targets.iter().map(|t| t.period))
        .filter(|p| p.period_type() == PeriodType::Range && p.is_whole_months())
        .collect()
}

/// `period` shifted by each whole number of years ([`Period::shift_years`]) for which it overlaps `data`.
fn shifts_over(period: Period, data: Period) -> impl Iterator<Item = Period> {
    let earliest = data.start().year() - period.end().year();
    let latest = data.end().year() - period.start().year();
    (earliest..=latest).map(move |years| period.shift_years(years)).filter(move |p| p.overlaps(&data))
}

/// The number of observations (duplicates left out) of each reported period that is not evaluated although it
/// overlaps the `--period` filter (all time without one): those of periods that end after the as-of date, and
/// those of ended periods that run past the filter's start or end (a judicial year from October of the window's
/// last year). One pass over the store, and none when no period is either.
pub(super) fn left_out_counts(
    cube: &Cube,
    settings: &EvaluationSettings,
) -> (BTreeMap<Period, usize>, BTreeMap<Period, usize>) {
    let store = cube.store();
    let running = |p: &Period| p.end() > settings.as_of && settings.period.is_none_or(|f| f.overlaps(p));
    let across =
        |p: &Period| p.end() <= settings.as_of && settings.period.is_some_and(|f| f.overlaps(p) && !f.contains(p));
    let (mut not_ended, mut outside) = (BTreeMap::new(), BTreeMap::new());
    if !store.periods.iter().any(|p| running(p) || across(p)) {
        return (not_ended, outside);
    }
    for observation in cube.entries() {
        let period = store.periods[observation.period as usize];
        if running(&period) {
            *not_ended.entry(period).or_insert(0) += 1;
        } else if across(&period) {
            *outside.entry(period).or_insert(0) += 1;
        }
    }
    (not_ended, outside)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::eval::test_support::{data_element, indicator, unit};
    use crate::eval::{Evaluation, NewObservation, ObservationStatus, ObservationStore, evaluate};
    use crate::model::{Comparator, Measure, OrgUnitLevel, Plan, PlanKind, Target, Text};

    /// The country, monthly court data elements (cases received and resolved), the resolution rate as a percent,
    /// and a plan whose target is a judicial year: `2022Oct >= 90`.
    fn court_catalogue() -> Catalogue {
        let mut catalogue = Catalogue::default();
        let country = unit("vn", OrgUnitLevel::Country, None, None);
        catalogue.org_units.insert(country.id.clone(), country);
        for id in ["received", "resolved"] {
            catalogue.data_elements.insert(id.to_owned(), data_element(id, false, &[]));
        }
        let mut resolution = indicator("resolution", Measure::Percent, "resolved", Some("received"));
        resolution.name = Text::new("tỷ lệ giải quyết", "resolution rate");
        resolution.decimals = 1;
        resolution.source = "court".to_owned();
        catalogue.indicators.insert(resolution.id.clone(), resolution);
        let target = Target {
            indicator: "resolution".to_owned(),
            period: Period::parse("2022Oct").expect("test period"),
            comparator: Comparator::GreaterOrEqual,
            value: 90.0,
            source: "plan".to_owned(),
            org_unit: None,
            note: None,
        };
        let plan = Plan {
            id: "plan".to_owned(),
            kind: PlanKind::Programme,
            number: None,
            title: Text::new("plan", "plan"),
            issuer: None,
            org_unit: "vn".to_owned(),
            period: Period::parse("2021..2025").expect("test period"),
            adopted_on: None,
            source: "plan".to_owned(),
            implements: None,
            indicators: vec!["resolution".to_owned()],
            targets: vec![target],
            baselines: Vec::new(),
            objectives: Vec::new(),
            activities: Vec::new(),
            note: None,
        };
        catalogue.plans.insert(plan.id.clone(), plan);
        catalogue
    }

    /// A court's monthly reports from October 2021 to September 2023: 100 cases received a month, and 80 resolved a
    /// month in the judicial year 2021Oct, 95 in 2022Oct; `skip` leaves one month out.
    fn court_store(skip: Option<&str>) -> ObservationStore {
        let mut store = ObservationStore::new();
        let file = store.add_file("court.csv");
        let mut month = Period::parse("2021-10").expect("test period");
        let mut row = 2;
        while month.start() <= NaiveDate::from_ymd_opt(2023, 9, 1).expect("valid date") {
            let first_of_2022oct = NaiveDate::from_ymd_opt(2022, 10, 1).expect("valid date");
            let resolved = if month.start() < first_of_2022oct { 80.0 } else { 95.0 };
            if skip != Some(month.to_string().as_str()) {
                for (element, value) in [("received", 100.0), ("resolved", resolved)] {
                    store.push(&NewObservation {
                        element,
                        org_unit: "vn",
                        period: month,
                        disaggregation: &[],
                        value,
                        source: "court",
                        status: ObservationStatus::Final,
                        note: None,
                        submitted: None,
                        file,
                        row,
                    });
                    row += 1;
                }
            }
            month = Period::containing(month.end().succ_opt().expect("valid date"), PeriodType::Month);
        }
        store
    }

    fn run(skip: Option<&str>) -> Evaluation {
        let settings = EvaluationSettings::new(NaiveDate::from_ymd_opt(2024, 6, 30).expect("valid date"));
        evaluate(&court_catalogue(), &court_store(skip), &settings, None)
    }

    #[test]
    fn a_judicial_year_target_is_evaluated_from_monthly_court_data() {
        let evaluation = run(None);
        let result = &evaluation.indicators[0];
        let point = |id: &str| result.series.iter().find(|p| p.period.to_string() == id);
        // The judicial year 2022Oct is the sum of its 12 months: 1140 resolved of 1200 received.
        let year = point("2022Oct").expect("2022Oct is evaluated");
        assert_eq!((year.numerator, year.denominator, year.value), (Some(1140.0), Some(1200.0), Some(95.0)));
        // Its change is on the judicial year before, 2021Oct (960 of 1200), not on a calendar year.
        let change = year.change.as_ref().expect("a change on 2021Oct");
        assert_eq!(change.previous_period.to_string(), "2021Oct");
        assert_eq!((change.previous_value, change.absolute), (80.0, 15.0));
        assert_eq!(point("2021Oct").and_then(|p| p.value), Some(80.0));
        // The judicial year 2023Oct has not ended by the as-of date; 2020Oct has no data.
        assert!(point("2023Oct").is_none() && point("2020Oct").is_none());
        let target = &result.targets[0];
        assert_eq!(target.period.to_string(), "2022Oct");
        assert_eq!(target.compared_period, Some(target.period));
        assert_eq!((target.compared_value, target.met), (Some(95.0), Some(true)));
        // The trend behind the status runs over judicial years (80 then 95), not calendar years.
        let eurostat = result.assessments.iter().find(|a| a.method == crate::eval::Method::Eurostat).expect("eurostat");
        assert_eq!(result.status, crate::eval::Status::Achieved, "{eurostat:?}");
    }

    #[test]
    fn a_judicial_year_with_a_missing_month_has_no_value() {
        let evaluation = run(Some("2023-03"));
        let result = &evaluation.indicators[0];
        let period = |id: &str| Period::parse(id).expect("test period");
        assert!(result.series.iter().all(|p| p.period != period("2022Oct")), "2022Oct needs all 12 months");
        assert_ne!(result.targets[0].compared_period, Some(period("2022Oct")));
        // The year before is complete, and has a value but nothing to compare with.
        let before = result.series.iter().find(|p| p.period == period("2021Oct")).expect("2021Oct");
        assert_eq!((before.value, &before.change), (Some(80.0), &None));
    }

    #[test]
    fn years_from_another_day_are_listed_for_every_year_with_data() {
        let catalogue = court_catalogue();
        let reported: Vec<Period> = ["2021-10", "2023-09"].iter().map(|id| Period::parse(id).unwrap()).collect();
        let settings = EvaluationSettings::new(NaiveDate::from_ymd_opt(2030, 1, 1).expect("valid date"));
        let shown: Vec<String> = output_periods(&catalogue, &reported, &settings)
            .iter()
            .filter(|p| matches!(p.period_type(), PeriodType::Year | PeriodType::YearFrom(_)))
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["2021", "2022", "2023", "2021Oct", "2022Oct"]);
        // Without a target of that type in the plans, and none reported, no judicial year is evaluated.
        let plain = Catalogue::default();
        assert!(
            output_periods(&plain, &reported, &settings)
                .iter()
                .all(|p| p.period_type() != PeriodType::YearFrom(crate::period::YearStart::OCTOBER))
        );
    }
}
