//! The plugin table of the review: each plugin indicator's values by province and period, named as readers know
//! them, with the failures the evaluation kept.

use super::*;

/// Values of plugin indicators, and the plugins whose run failed with the metrics they left uncomputed.
pub(super) fn plugins(
    catalogue: &Catalogue,
    results: &Results<'_>,
    evaluation: &Evaluation,
    window: Period,
    names: &BTreeMap<String, String>,
) -> crate::model::PluginSection {
    let mut section = crate::model::PluginSection::default();
    for result in &evaluation.indicators {
        let Some(indicator) = catalogue.indicators.get(&result.indicator) else { continue };
        let Formula::Plugin(plugin) = &indicator.formula else { continue };
        let first = section.metrics.len();
        section.metrics.extend(metric_rows(catalogue, results, result, (indicator, plugin), window, names));
        section.metrics[first..].sort_by_key(|row| (row.period.end(), row.period.start()));
    }
    section.failures =
        evaluation.plugin_failures.iter().map(|failure| failure_row(catalogue, failure, names)).collect();
    // By plugin and metric, then place in Vietnamese alphabetical order, then period.
    section.metrics.sort_by(|a, b| {
        (&a.plugin, &a.metric)
            .cmp(&(&b.plugin, &b.metric))
            .then_with(|| crate::collation::compare(&a.org_unit.vi, &b.org_unit.vi))
            .then_with(|| a.period.cmp(&b.period))
    });
    section
}

/// The rows of one plugin indicator's result in the window: a row per value, and a row per period the plugin
/// answered with a note and no value (the note is the answer, shown beside "no data"). Rows show each org unit as
/// it existed in the period: a unit created by the 2025 merger would otherwise repeat, under a reused name, the sums
/// of the provinces it replaced.
fn metric_rows(
    catalogue: &Catalogue,
    results: &Results<'_>,
    result: &IndicatorResult,
    (indicator, plugin): (&tiendo_core::Indicator, &tiendo_core::PluginMetricRef),
    window: Period,
    names: &BTreeMap<String, String>,
) -> Vec<PluginMetricRow> {
    let unit = catalogue.org_units.get(&result.org_unit);
    let existed = |period: Period| {
        unit.is_none_or(|u| u.valid_from.is_none_or(|from| from <= period.end()))
            && unit.is_none_or(|u| u.valid_to.is_none_or(|to| period.start() <= to))
    };
    let row = |period: Period, value: Value, synthetic: bool, note: Option<Text>| PluginMetricRow {
        caveat: None,
        partial: false,
        plugin: plugin.plugin.clone(),
        plugin_name: plugin_name(names, &plugin.plugin),
        metric: plugin.metric.clone(),
        org_unit: org_unit_name(catalogue, &result.org_unit),
        period,
        value,
        name: indicator_label(indicator),
        unit: indicator.unit.clone(),
        decimals: indicator.decimals,
        synthetic,
        estimate: false,
        derived: false,
        note,
    };
    let values = result.series.iter().filter(|p| window.contains(&p.period) && existed(p.period)).map(|point| {
        let note = (!point.notes.is_empty()).then(|| {
            let join = |lang: Lang| point.notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>().join("; ");
            Text::new(join(Lang::Vi), join(Lang::En))
        });
        let shown = point_value(point);
        PluginMetricRow {
            caveat: super::provinces::province_note(point, catalogue),
            partial: shown.number().is_some() && crate::figures::is_partial(point),
            estimate: shown != Value::Missing && results.is_estimate(point),
            derived: shown != Value::Missing && results.is_derived(point),
            ..row(point.period, shown, results.is_synthetic(point), note)
        }
    });
    let gaps = result
        .noted_gaps
        .iter()
        .filter(|g| window.contains(&g.period) && existed(g.period))
        .map(|gap| row(gap.period, Value::Missing, false, Some(Text::new(&gap.note, &gap.note))));
    values.chain(gaps).collect()
}

/// A plugin whose run failed, with every metric of it that the catalogue's indicators use (sorted, once each).
fn failure_row(
    catalogue: &Catalogue,
    failure: &tiendo_core::plugin::PluginFailure,
    names: &BTreeMap<String, String>,
) -> PluginFailureRow {
    let mut metrics: Vec<String> = catalogue
        .indicators
        .values()
        .filter_map(|i| match &i.formula {
            Formula::Plugin(p) if p.plugin == failure.plugin => Some(p.metric.clone()),
            _ => None,
        })
        .collect();
    metrics.sort();
    metrics.dedup();
    PluginFailureRow {
        plugin: failure.plugin.clone(),
        plugin_name: plugin_name(names, &failure.plugin),
        error: failure.kind.clone(),
        message: failure.message.clone(),
        metrics,
    }
}

/// A plugin as tables name it: its own description up to the first colon ("Quảng Nam justice-chain funnel"), the
/// whole description when it has none, its id when the host gave no description.
pub(crate) fn plugin_name(names: &BTreeMap<String, String>, id: &str) -> String {
    names
        .get(id)
        .map(|d| d.split(':').next().unwrap_or(d).trim())
        .filter(|name| !name.is_empty())
        .map_or_else(|| id.to_owned(), str::to_owned)
}

/// An indicator as tables name it: "code – name".
fn indicator_label(indicator: &tiendo_core::Indicator) -> Text {
    Text::new(
        format!("{} – {}", indicator.code, indicator.name.vi),
        format!("{} – {}", indicator.code, indicator.name.en),
    )
}
