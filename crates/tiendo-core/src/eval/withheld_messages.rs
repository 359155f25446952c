//! A plugin's failures and notes where its value is hidden (methodology §7): free text a plugin wrote from inputs that
//! are suppressed there ("only 4 cases, too few for the index"), or the value the host refused ("returned -7, outside
//! at least 0"), would give the hidden count away, and so would the mere fact that the plugin failed there (a
//! predicate the plugin chose on the hidden value). Where the indicator's value at a unit and period is hidden, its
//! failure or note is withheld from every output and the period shows as suppressed, as a value would (round 54,
//! found by a review helper: review.md's plugin annex printed "prov-a 2023: … only 4 cases" beside the suppressed
//! count). The operator still learns of them: W353 on the run's diagnostics (never in an output) counts each plugin's
//! failures withheld, and the run exits as it does for a failure shown (round 65: a province's missing input at a
//! suppressed value left `eval` silent with exit status 0).

use std::collections::{BTreeSet, HashMap};

use super::IndicatorResult;
use super::disclosure::HiddenValues;
use crate::diagnostic::Diagnostic;
use crate::model::{Catalogue, Formula};
use crate::period::Period;
use crate::plugin::PluginFailure;

/// Withholds, from `results` and from the run's `failures`, each plugin failure and note at a unit and period where
/// the indicator's value is hidden (`hidden`), showing the period in the series as suppressed instead; `periods` is
/// the order of every series. Nothing is withheld where suppressed values are shown (`show_suppressed`). Returns
/// one W353 warning per plugin whose failures were withheld, with their count (the operator's; no output shows it).
pub(super) fn withhold(
    catalogue: &Catalogue,
    (hidden, show_suppressed): (&HiddenValues, bool),
    periods: &[Period],
    results: &mut [IndicatorResult],
    failures: &mut Vec<PluginFailure>,
) -> Vec<Diagnostic> {
    if show_suppressed {
        return Vec::new();
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
                result.series.push(super::hidden_alike::suppressed(period));
            }
        }
        if !periods.is_empty() {
            result.series.sort_by_key(|point| order.get(&point.period).copied().unwrap_or(usize::MAX));
        }
    }
    // The run's list of failures names each failed point as "{unit} {period}: {message}" (`eval::plugins`).
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    failures.retain(|failure| {
        let hidden_there =
            withheld.iter().any(|(plugin, at)| failure.plugin == *plugin && failure.message.starts_with(at.as_str()));
        if hidden_there {
            *counts.entry(failure.plugin.clone()).or_default() += 1;
        }
        !hidden_there
    });
    counts.into_iter().map(|(plugin, count)| withheld_failures(&plugin, count)).collect()
}

/// W353: `count` failures of `plugin` at values no output shows were left out of every output.
fn withheld_failures(plugin: &str, count: usize) -> Diagnostic {
    Diagnostic::warning(
        "W353",
        "plugin-failures-withheld",
        format!(
            "plugin `{plugin}` failed {count} time(s) at units and periods where its indicator's value is \
             suppressed: those failures are left out of every output, since the fact that it failed there can tell \
             of the hidden count"
        ),
    )
    .with_hint(
        "`tiendo eval --show-suppressed` (internal use only) lists them with the plugin's messages; the run exits \
         with status 1 as for any failed point",
    )
}
