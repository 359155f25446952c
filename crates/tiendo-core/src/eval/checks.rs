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

    let completeness: Vec<Completeness> = catalogue
        .data_sets
        .values()
        .map(|data_set| {
            let mut ds_periods: Vec<Period> =
                periods.iter().filter(|p| p.period_type() == data_set.period_type).copied().collect();
            ds_periods.extend(trailing(&ds_periods, data_set.period_type, settings));
            let due: Vec<Period> = late
                .iter()
                .filter(|(element, period)| {
                    data_set.elements.contains(element)
                        && period.period_type() == data_set.period_type
                        && settings.period.is_none_or(|filter| filter.contains(period))
                })
                .map(|(_, period)| *period)
                .collect();
            completeness::completeness(catalogue, store, data_set, &ds_periods, &due)
        })
        .collect();

    (validation, completeness, unchecked)
}

/// The periods of `period_type` after the last of `periods` that had ended by the as-of date (within `--period` or
/// the review's window, if any): every one of them is expected, reported or not. Only the periods somebody
/// reported were in the evaluation's periods, so a monthly form reported for January to March of 2024 read "3 of 3,
/// 100 %" on 1 March 2025, where 12 months were due (methodology §6; round 60, found by a review helper). None for
/// a date range's type, which has no successor.
fn trailing(periods: &[Period], period_type: PeriodType, settings: &EvaluationSettings) -> Vec<Period> {
    let Some(last) = periods.iter().max_by_key(|p| p.end()) else { return Vec::new() };
    if period_type == PeriodType::Range {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut next = last.end().succ_opt().map(|day| Period::containing(day, period_type));
    while let Some(period) = next.filter(|p| p.end() <= settings.as_of) {
        if settings.period.is_some_and(|window| !window.contains(&period)) {
            break;
        }
        out.push(period);
        next = period.end().succ_opt().map(|day| Period::containing(day, period_type));
    }
    out
}
