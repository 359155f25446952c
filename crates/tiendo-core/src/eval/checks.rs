//! Validation findings and completeness, which read the data and the cube but no indicator (run on a second core).

use super::*;

/// Validation findings and completeness, which read the data and the cube but no indicator. `periods` are the
/// evaluated periods and the (data element, period) of the rows submitted after the as-of date
/// ([`known::KnownOn::late`]), whose reports completeness counts as due and not received.
pub(super) fn checks(
    catalogue: &Catalogue,
    store: &ObservationStore,
    settings: &EvaluationSettings,
    cube: &mut Cube,
    (periods, late): (&[Period], &BTreeSet<(String, Period)>),
    kinds: &sources::SourceKinds,
) -> (Vec<Violation>, Vec<Completeness>, Vec<Unchecked>) {
    let mut validation = Vec::new();
    let mut unchecked = Vec::new();
    let mut reporting_units = cube.reporting_units();
    if !settings.org_units.is_empty() {
        reporting_units.retain(|u| settings.org_units.contains(u));
    }
    for rule in catalogue.validation_rules.values() {
        let rule_periods: Vec<Period> =
            periods.iter().filter(|p| p.period_type() == rule.period_type).copied().collect();
        validation.extend(validation::validate_rule(
            rule,
            catalogue,
            cube,
            &reporting_units,
            &rule_periods,
            kinds,
            &mut unchecked,
        ));
    }
    validation.sort_by(|a, b| (&a.org_unit, a.period, &a.rule).cmp(&(&b.org_unit, b.period, &b.rule)));

    let scope = completeness::scope(catalogue, &settings.org_units);
    let completeness: Vec<Completeness> = catalogue
        .data_sets
        .values()
        .map(|data_set| {
            let ds_periods: Vec<Period> = match (data_set.period_type, span(periods, settings, data_set)) {
                (PeriodType::Range, _) | (_, None) => {
                    periods.iter().filter(|p| p.period_type() == data_set.period_type).copied().collect()
                }
                (period_type, Some(span)) => every_period(span, period_type),
            };
            let due: Vec<Period> = late
                .iter()
                .filter(|(element, period)| {
                    data_set.elements.contains(element)
                        && period.period_type() == data_set.period_type
                        && settings.period.is_none_or(|filter| filter.contains(period))
                })
                .map(|(_, period)| *period)
                .collect();
            completeness::completeness(
                catalogue,
                store,
                (data_set, scope.as_ref()),
                (&ds_periods, &due),
                settings.as_of,
            )
        })
        .collect();

    (validation, completeness, unchecked)
}

/// The days completeness of `data_set` looks at: from the first day of the run's window (`--period` or the review's
/// window) or, without one, of the data set's `valid_from` or the earliest evaluated period, to the last day of the
/// window or the as-of date, whichever is earlier; `None` when nothing was evaluated and there is no window.
fn span(
    periods: &[Period],
    settings: &EvaluationSettings,
    data_set: &crate::DataSet,
) -> Option<(NaiveDate, NaiveDate)> {
    let first = match (settings.period, data_set.valid_from) {
        (Some(window), _) => window.start(),
        (None, Some(from)) => from,
        (None, None) => periods.iter().map(Period::start).min()?,
    };
    let last = settings.period.map_or(settings.as_of, |window| window.end().min(settings.as_of));
    Some((first, last))
}

/// Every period of `period_type` (not a date range) that lies within `span`, in order, reported or not: a monthly
/// form reported for January and March is expected for February too (methodology §6; round 60 and round 64, found
/// by review helpers: months nobody reported between two reported ones were not expected).
fn every_period((first, last): (NaiveDate, NaiveDate), period_type: PeriodType) -> Vec<Period> {
    let mut out = Vec::new();
    let mut next = Some(Period::containing(first, period_type));
    while let Some(period) = next.filter(|p| p.end() <= last) {
        if period.start() >= first {
            out.push(period);
        }
        next = period.end().succ_opt().map(|day| Period::containing(day, period_type));
    }
    out
}
