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
            let ds_periods: Vec<Period> =
                periods.iter().filter(|p| p.period_type() == data_set.period_type).copied().collect();
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
