//! The review's province sections: every quantitative indicator ranked across the old 63 and the new 34 provinces,
//! and the disaggregation tables, each value flagged where it is synthetic or partial.

use super::*;
use crate::figures::{PartialUse, coverage_note, is_partial, partial_note};

/// Ranked province values for every quantitative indicator with provincial results, in the latest year of the
/// window, on the map of 63 provinces and, in a review made on or after 1 July 2025, on the map of 34 (old data
/// rolled up into the successors): a review made before the merger cannot know the 34 units (issue 13, item 4).
pub(super) fn provincial_comparisons(
    catalogue: &Catalogue,
    indicator_ids: &[String],
    results: &Results<'_>,
    window: Period,
    as_of: NaiveDate,
) -> Vec<ProvincialComparison> {
    let day_before = merger_day().pred_opt().expect("30 June 2025 is a valid date");
    let old_units: Vec<&tiendo_core::OrgUnit> = catalogue.org_units_on(day_before, OrgUnitLevel::Province).collect();
    let new_units: Vec<&tiendo_core::OrgUnit> = catalogue.org_units_on(merger_day(), OrgUnitLevel::Province).collect();
    let mut out = Vec::new();
    for id in indicator_ids {
        let Some(indicator) = catalogue.indicators.get(id) else { continue };
        if !indicator.measure.is_quantitative() || matches!(indicator.measure, Measure::Ordinal) {
            continue;
        }
        // The latest year of the window for which any old province has a value.
        let year = old_units
            .iter()
            .filter_map(|u| results.get(id, &u.id))
            .flat_map(|r| r.series.iter())
            .filter(|p| p.period.period_type() == PeriodType::Year && window.contains(&p.period))
            .map(|p| p.period)
            .max_by_key(|p| p.end());
        let Some(period) = year else { continue };
        let maps = [(ProvinceMap::Before2025, &old_units), (ProvinceMap::From2025, &new_units)];
        for (map, units) in maps.into_iter().filter(|(map, _)| *map == ProvinceMap::Before2025 || as_of >= merger_day())
        {
            let values = province_values(catalogue, results, id, units, period);
            if values.values.iter().all(|v| v.value == Value::Missing) {
                continue;
            }
            out.push(comparison(indicator, map, period, values));
        }
    }
    out
}

/// One indicator's values on one map, ranked, with the sources they cite and whether any is synthetic.
struct MapValues {
    values: Vec<ProvinceValue>,
    sources: BTreeSet<String>,
    synthetic: bool,
    /// The decimals that keep every value on its side of the indicator's targets (evaluation's `Point::decimals`).
    decimals: u8,
}

/// The value of indicator `id` for `period` in each of `units` (missing where it has none), each with the units
/// merged into it, in rank order ([`crate::charts::rank_order`]).
fn province_values(
    catalogue: &Catalogue,
    results: &Results<'_>,
    id: &str,
    units: &[&tiendo_core::OrgUnit],
    period: Period,
) -> MapValues {
    let mut sources: BTreeSet<String> = BTreeSet::new();
    let mut synthetic = false;
    let mut decimals = 0;
    let mut values: Vec<ProvinceValue> = units
        .iter()
        .map(|unit| {
            let point = results.get(id, &unit.id).and_then(|r| r.series.iter().find(|p| p.period == period));
            if let Some(point) = point {
                sources.extend(point.sources.iter().cloned());
                synthetic |= results.is_synthetic(point);
                decimals = decimals.max(point.decimals.unwrap_or(0));
            }
            // An old unit that reported nothing for the period contributed no data to the value.
            let reported_nothing =
                |old: &str| point.and_then(|p| p.coverage.as_ref()).is_some_and(|c| c.missing.iter().any(|m| m == old));
            let mut merged_from: Vec<Text> = catalogue
                .org_units
                .values()
                .filter(|old| old.id != unit.id && old.successors.contains(&unit.id) && !reported_nothing(&old.id))
                .map(|old| old.name.clone())
                .collect();
            crate::collation::sort_by_name(&mut merged_from, |t| &t.vi);
            ProvinceValue {
                org_unit: unit.id.clone(),
                name: unit.name.clone(),
                value: point.map_or(Value::Missing, point_value),
                merged_from,
                synthetic: point.is_some_and(|p| results.is_synthetic(p)),
                partial: point.is_some_and(is_partial),
                note: point.and_then(|p| province_note(p, catalogue)),
            }
        })
        .collect();
    values.sort_by(crate::charts::rank_order);
    MapValues { values, sources, synthetic, decimals }
}

/// What a province's partial value lacks; the annex shows no status, so only a withheld value says more.
fn province_note(point: &tiendo_core::eval::Point, catalogue: &Catalogue) -> Option<Text> {
    let coverage = point.coverage.as_ref().filter(|c| !c.complete)?;
    Some(if point.state == ValueState::Incomplete {
        partial_note(coverage, PartialUse::Withheld, catalogue)
    } else {
        coverage_note(coverage, catalogue)
    })
}

/// The comparison of one indicator on one map; its title says "synthetic data" when any value is, because a chart
/// may be copied without the text around it.
fn comparison(
    indicator: &tiendo_core::Indicator,
    map: ProvinceMap,
    period: Period,
    values: MapValues,
) -> ProvincialComparison {
    let MapValues { values, sources, synthetic, decimals } = values;
    let note = synthetic.then(synthetic_note);
    let suffix = match map {
        ProvinceMap::Before2025 => "63",
        ProvinceMap::From2025 => "34",
    };
    let title = if note.is_some() {
        Text::new(format!("{} (dữ liệu giả lập)", indicator.name.vi), format!("{} (synthetic data)", indicator.name.en))
    } else {
        indicator.name.clone()
    };
    ProvincialComparison {
        id: format!("{}-{suffix}", indicator.code.to_lowercase()),
        indicator_code: indicator.code.clone(),
        title,
        unit: indicator.unit.clone(),
        decimals: decimals.max(indicator.decimals),
        period,
        map,
        values,
        sources: sources.into_iter().collect(),
        synthetic,
        note,
    }
}

/// Breakdowns at the plan's org unit: per indicator and category, a row per period of the window with a value
/// for at least one option.
pub(super) fn disaggregations(
    catalogue: &Catalogue,
    indicator_ids: &[String],
    results: &Results<'_>,
    unit: &str,
    window: Period,
) -> Vec<Disaggregation> {
    let mut out = Vec::new();
    for id in indicator_ids {
        let (Some(indicator), Some(result)) = (catalogue.indicators.get(id), results.get(id, unit)) else { continue };
        for category_id in &indicator.disaggregations {
            let Some(category) = catalogue.categories.get(category_id) else { continue };
            let breakdowns: Vec<_> = result.breakdowns.iter().filter(|b| &b.category == category_id).collect();
            let mut periods: BTreeSet<(NaiveDate, NaiveDate, Period)> = BTreeSet::new();
            for breakdown in &breakdowns {
                for point in &breakdown.series {
                    if window.contains(&point.period) {
                        periods.insert((point.period.end(), point.period.start(), point.period));
                    }
                }
            }
            let mut rows = Vec::new();
            // The options' decimals: the indicator's, or more where evaluation kept a percentage off 0 or 100.
            let mut option_decimals = indicator.decimals;
            for (_, _, period) in periods {
                let mut sources: Vec<String> = Vec::new();
                let mut synthetic = false;
                let values: Vec<Value> = category
                    .options
                    .iter()
                    .map(|option| {
                        let point = breakdowns
                            .iter()
                            .find(|b| b.option == option.id)
                            .and_then(|b| b.series.iter().find(|p| p.period == period));
                        if let Some(point) = point {
                            option_decimals = option_decimals.max(point.decimals.unwrap_or(0));
                            sources.extend(point.sources.iter().cloned());
                            synthetic |= results.is_synthetic(point);
                        }
                        point.map_or(Value::Missing, point_value)
                    })
                    .collect();
                let total = result.series.iter().find(|p| p.period == period);
                if let Some(total) = total {
                    sources.extend(total.sources.iter().cloned());
                    synthetic |= results.is_synthetic(total);
                }
                sources.sort();
                sources.dedup();
                rows.push(DisaggregationRow {
                    period,
                    values,
                    total: total.map_or(Value::Missing, point_value),
                    source: results.shown_source(&sources, &indicator.source),
                    synthetic,
                    total_decimals: total.and_then(|t| t.decimals).unwrap_or(0).max(indicator.decimals),
                });
            }
            if rows.is_empty() {
                continue;
            }
            out.push(Disaggregation {
                id: format!("{}-{}", indicator.code.to_lowercase(), category_id.replace('_', "-")),
                title: indicator.name.clone(),
                category: category.name.clone(),
                unit: indicator.unit.clone(),
                options: category
                    .options
                    .iter()
                    .map(|o| DisaggregationOption { id: o.id.clone(), name: o.name.clone() })
                    .collect(),
                rows,
                note: None,
                decimals: option_decimals,
                additive: indicator.measure == tiendo_core::model::Measure::Count,
            });
        }
    }
    out
}
