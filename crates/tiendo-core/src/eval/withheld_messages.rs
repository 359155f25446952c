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

use super::disclosure::HiddenValues;
use super::{Basis, IndicatorResult, Point, ValueState};
use crate::diagnostic::Diagnostic;
use crate::model::{Catalogue, Formula, SourceKind};
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
                result.series.push(suppressed(period));
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

/// Makes every suppressed point of `results` (totals and breakdowns, and a result's latest value) the bare
/// [`suppressed`] point of its period, unless suppressed values are shown: a hidden value looks the same whatever hid
/// it. A point hidden for a plugin's failure or a zero denominator has no sources, flags or coverage of its own, so a
/// hidden count's beside it (`[rep]` against `[]` in `eval`'s table) told which it was (round 65, found by review
/// helpers). Kept: what belongs to the unit and period rather than to the value (the unit's last day, a change of its
/// area) and whether the series is synthetic (a suppressed synthetic province stays marked); a bare point is
/// synthetic where every other point of its unit's series is, or, where the series has no other, every point of the
/// indicator's. A series with a bare point is treated as one with any hidden value: not assessed in published
/// output, and the bare point is its latest where it is the last of the series.
pub(super) fn uniform_hidden(results: &mut [IndicatorResult], show_suppressed: bool) {
    if show_suppressed {
        return;
    }
    let synthetic_of = |points: &mut dyn Iterator<Item = &Point>| {
        let mut sourced = points.filter(|p| !p.sources.is_empty()).peekable();
        sourced.peek().is_some().then(|| sourced.all(|p| p.synthetic))
    };
    let mut by_indicator: std::collections::BTreeMap<String, bool> = std::collections::BTreeMap::new();
    for result in results.iter() {
        if let Some(synthetic) = synthetic_of(&mut result.series.iter()) {
            let all = by_indicator.entry(result.indicator.clone()).or_insert(true);
            *all &= synthetic;
        }
    }
    for result in results.iter_mut() {
        let synthetic_series = synthetic_of(&mut result.series.iter())
            .unwrap_or_else(|| by_indicator.get(&result.indicator).copied().unwrap_or(false));
        let bare = result.series.iter().filter(|p| p.state == ValueState::Suppressed && p.sources.is_empty());
        let last_bare = bare.max_by_key(|p| (p.period.end(), std::cmp::Reverse(p.period.start()))).map(|p| p.period);
        let mut series: Vec<&mut Vec<Point>> = vec![&mut result.series];
        series.extend(result.breakdowns.iter_mut().map(|b| &mut b.series));
        let latest = result.latest.iter_mut();
        for point in series.into_iter().flatten().chain(latest).filter(|p| p.state == ValueState::Suppressed) {
            let synthetic = if point.sources.is_empty() { synthetic_series } else { point.synthetic };
            *point = Point {
                synthetic,
                kind: if synthetic { SourceKind::Synthetic } else { SourceKind::Official },
                after_end: point.after_end,
                area_changed: point.area_changed,
                ..suppressed(point.period)
            };
        }
        let Some(period) = last_bare else { continue };
        if result.latest.as_ref().is_none_or(|latest| latest.period.end() < period.end()) {
            result.latest = result.series.iter().find(|p| p.period == period).cloned();
        }
        for assessment in &mut result.assessments {
            assessment.status = crate::eval::Status::InsufficientData;
            assessment.score = None;
            assessment.details = Vec::new();
            assessment.explanation = "not assessed in published output: the series has suppressed values".to_owned();
        }
        if result.status != crate::eval::Status::NotAssessed {
            result.status = crate::eval::Status::InsufficientData;
        }
    }
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
