//! A plugin's failures and notes where its value is hidden (methodology §7): free text a plugin wrote from inputs that
//! are suppressed there ("only 4 cases, too few for the index"), or the value the host refused ("returned -7, outside
//! at least 0"), would give the hidden count away, and so would the mere fact that the plugin failed there (a
//! predicate the plugin chose on the hidden value). Where the indicator's value at a unit and period is hidden, its
//! failure or note is withheld from every output and the period shows as suppressed, as a value would (round 54,
//! found by a review helper: review.md's plugin annex printed "prov-a 2023: … only 4 cases" beside the suppressed
//! count).

use std::collections::{BTreeSet, HashMap};

use super::disclosure::HiddenValues;
use super::{Basis, IndicatorResult, Point, ValueState};
use crate::model::{Catalogue, Formula, SourceKind};
use crate::period::Period;
use crate::plugin::PluginFailure;

/// Withholds, from `results` and from the run's `failures`, each plugin failure and note at a unit and period where
/// the indicator's value is hidden (`hidden`), showing the period in the series as suppressed instead; `periods` is
/// the order of every series. Nothing is withheld where suppressed values are shown (`show_suppressed`).
pub(super) fn withhold(
    catalogue: &Catalogue,
    (hidden, show_suppressed): (&HiddenValues, bool),
    periods: &[Period],
    results: &mut [IndicatorResult],
    failures: &mut Vec<PluginFailure>,
) {
    if show_suppressed {
        return;
    }
    let order: HashMap<Period, usize> = periods.iter().enumerate().map(|(at, &period)| (period, at)).collect();
    let mut withheld: BTreeSet<(String, String)> = BTreeSet::new();
    for result in results.iter_mut() {
        let Some(Formula::Plugin(reference)) = catalogue.indicators.get(&result.indicator).map(|i| &i.formula) else {
            continue;
        };
        let is_hidden = |period: Period| hidden.get(&result.indicator, "", &result.org_unit, period).is_some();
        let mut periods: BTreeSet<Period> = BTreeSet::new();
        let mut keep = |period: Period| {
            let hide = is_hidden(period);
            if hide {
                periods.insert(period);
            }
            !hide
        };
        result.failed_points.retain(|failed| keep(failed.period));
        result.noted_gaps.retain(|gap| keep(gap.period));
        for &period in &periods {
            withheld.insert((reference.plugin.clone(), format!("{} {period}: ", result.org_unit)));
            if !result.series.iter().any(|point| point.period == period) {
                result.series.push(suppressed(period));
            }
        }
        if !periods.is_empty() {
            result.series.sort_by_key(|point| order.get(&point.period).copied().unwrap_or(usize::MAX));
        }
    }
    // The run's list of failures names each failed point as "{unit} {period}: {message}" (`eval::plugins`).
    failures.retain(|failure| {
        !withheld.iter().any(|(plugin, at)| failure.plugin == *plugin && failure.message.starts_with(at.as_str()))
    });
}

/// A suppressed point with nothing else to say: what a hidden value shows.
pub(super) fn suppressed(period: Period) -> Point {
    Point {
        period,
        value: None,
        state: ValueState::Suppressed,
        numerator: None,
        denominator: None,
        sources: Vec::new(),
        provisional: false,
        synthetic: false,
        kind: SourceKind::Official,
        basis: Basis::Reported,
        other_basis: false,
        coverage: None,
        change: None,
        notes: Vec::new(),
        decimals: None,
        after_end: None,
        area_changed: None,
        beyond_limit: false,
    }
}
