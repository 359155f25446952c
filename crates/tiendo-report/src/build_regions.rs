//! Provincial comparisons as rates, region by region (issue 13, item 3): for every rate indicator of the review
//! (a percentage, a ratio, a rate per 100,000), each province's evaluated rate in the latest year of the window,
//! grouped by the catalogue's socio-economic regions (`[[org_unit_group]]` of kind `region`). Counts are never
//! compared across provinces: a large province reports more cases because it is large. Every rate is the
//! evaluation's own (numerator and denominator of the same province and period, suppression applied); nothing is
//! computed here but the coverage "k of n provinces reported".

use super::*;
use crate::model_evidence::{RegionalComparison, RegionalPanel, RegionalValue};

/// The kind of org-unit group the comparison is drawn by (`indicators/org-units/groups-2021.toml`).
const REGION: &str = "region";

/// Whether an indicator's value is a rate that provinces of different size can be compared on: a percentage, a
/// ratio or a rate per 100,000, and, for a rate per 100,000 population computed here, one whose denominator is
/// filtered like its numerator (a rate of female victims divides by the female population, or is not shown).
pub(crate) fn comparable_rate(indicator: &tiendo_core::Indicator) -> bool {
    if !matches!(indicator.measure, Measure::Percent | Measure::Ratio | Measure::RatePer100k) {
        return false;
    }
    match &indicator.formula {
        Formula::Expression { numerator, denominator } if indicator.measure == Measure::RatePer100k => {
            let Some(denominator) = denominator else { return false };
            let below = denominator.elements();
            numerator.elements().iter().all(|top| {
                top.filter
                    .iter()
                    .all(|(category, option)| below.iter().all(|bottom| bottom.filter.get(category) == Some(option)))
            })
        }
        _ => true,
    }
}

/// The regional comparisons of the review's rate indicators on the map of 63 provinces (the regions' members;
/// the 34-unit map has no groups yet), in the review's indicator order. An indicator without any provincial value
/// in the window has none. Each in the latest year of the window with values, one the 63 lived through whole where
/// there is one. The target drawn is `plan`'s own target for the year compared, else the review's headline target
/// (its legend names its year).
pub(super) fn regional(
    catalogue: &Catalogue,
    review: &Review,
    results: &Results<'_>,
    plan: Option<&Plan>,
) -> Vec<RegionalComparison> {
    let units = provinces_before_merger(catalogue);
    let regions = regions(catalogue, &units);
    if regions.is_empty() {
        return Vec::new();
    }
    let window = review.cover.window;
    let map_end = super::provinces::old_map_end(catalogue);
    review
        .indicators
        .iter()
        .filter_map(|shown| {
            let indicator = catalogue.indicators.get(&shown.id).filter(|i| comparable_rate(i))?;
            // A year a province with a value lived through whole where there is one, as the province annex reads it:
            // one old province's late report of 2025 made every region "0 of 13" (round 60, found by a review helper);
            // and one the map of 63 lived through, whatever a province the merger left as it was did (round 72).
            let years: Vec<(Period, bool)> = units
                .keys()
                .filter_map(|u| Some((results.get(&indicator.id, u)?, catalogue.org_units.get(*u)?.valid_to)))
                .flat_map(|(r, end)| r.series.iter().map(move |p| (p, end)))
                .filter(|(p, _)| p.period.period_type() == PeriodType::Year && window.contains(&p.period))
                .map(|(p, end)| (p.period, super::provinces::lived_through(p.period, end, map_end)))
                .collect();
            let period = super::provinces::latest_year(&years)?;
            let target = plan
                .and_then(|plan| {
                    plan.targets
                        .iter()
                        .find(|t| t.indicator == indicator.id && t.period == period && t.org_unit.is_none())
                })
                .map(|t| TargetView::of_plan(catalogue, t, indicator.decimals))
                .or_else(|| shown.target.clone());
            Some(comparison(indicator, target, &regions, &units, results, period))
        })
        .collect()
}

/// Whether the catalogue groups the provinces of the 63-province map into regions: without such groups there is no
/// regional comparison, and the review says so rather than that no province has a rate.
pub(super) fn regions_defined(catalogue: &Catalogue) -> bool {
    !regions(catalogue, &provinces_before_merger(catalogue)).is_empty()
}

/// The provinces on the day before the 2025 merger (the map of 63), by id.
fn provinces_before_merger(catalogue: &Catalogue) -> BTreeMap<&str, &tiendo_core::OrgUnit> {
    let day_before = merger_day().pred_opt().expect("30 June 2025 is a valid date");
    catalogue.org_units_on(day_before, OrgUnitLevel::Province).map(|u| (u.id.as_str(), u)).collect()
}

/// The groups of kind `region` whose members are all among `units`, in Vietnamese name order.
fn regions<'c>(
    catalogue: &'c Catalogue,
    units: &BTreeMap<&str, &tiendo_core::OrgUnit>,
) -> Vec<&'c tiendo_core::OrgUnitGroup> {
    let mut regions: Vec<&tiendo_core::OrgUnitGroup> = catalogue
        .org_unit_groups
        .values()
        .filter(|g| g.kind.as_deref() == Some(REGION) && g.members.iter().all(|m| units.contains_key(m.as_str())))
        .collect();
    crate::collation::sort_by_name(&mut regions, |g| &g.name.vi);
    regions
}

/// One indicator's panels: a panel per region, then one for provinces in no region (if any has a value).
fn comparison(
    indicator: &tiendo_core::Indicator,
    target: Option<crate::model::TargetView>,
    regions: &[&tiendo_core::OrgUnitGroup],
    units: &BTreeMap<&str, &tiendo_core::OrgUnit>,
    results: &Results<'_>,
    period: Period,
) -> RegionalComparison {
    let mut sources: BTreeSet<String> = BTreeSet::new();
    // Enough decimals that no province reads as on the other side of the target drawn across the panels.
    let mut decimals = indicator.decimals;
    let mut value_of = |unit: &tiendo_core::OrgUnit| -> RegionalValue {
        let point = results.get(&indicator.id, &unit.id).and_then(|r| r.series.iter().find(|p| p.period == period));
        if let Some(point) = point.filter(|p| point_value(p) != Value::Missing) {
            sources.extend(point.sources.iter().cloned());
            decimals = decimals.max(point.decimals.unwrap_or(0));
        }
        // A ratio over a denominator of 0 was reported: "—", not "no data" (round 64, found by a review helper); so was
        // a value that would blend synthetic and real figures (round 66).
        let undefined = || {
            results
                .get(&indicator.id, &unit.id)
                .is_some_and(|r| r.zero_denominators.contains(&period) || r.not_computed_blends.contains(&period))
        };
        RegionalValue {
            org_unit: unit.id.clone(),
            name: unit.name.clone(),
            value: match point {
                Some(point) => point_value(point),
                None if undefined() => Value::Undefined,
                None => Value::Missing,
            },
            synthetic: point.is_some_and(|p| results.is_synthetic(p)),
            partial: point.is_some_and(crate::figures::is_partial),
            estimate: point.is_some_and(|p| results.is_estimate(p)),
            derived: point.is_some_and(|p| results.is_derived(p)),
            provisional: point.is_some_and(|p| p.provisional && point_value(p) != Value::Missing),
            basis_marks: crate::model::BasisMarks::of(point),
            beyond_limit: point.and_then(|p| crate::figures::beyond_limit(results.catalogue, &indicator.id, p)),
        }
    };
    let mut panels: Vec<RegionalPanel> = regions
        .iter()
        .map(|group| {
            let values = group.members.iter().filter_map(|m| units.get(m.as_str())).map(|u| value_of(u)).collect();
            panel(group.id.clone(), group.name.clone(), Some(group.source.clone()), values)
        })
        .collect();
    let grouped: BTreeSet<&str> = regions.iter().flat_map(|g| g.members.iter().map(String::as_str)).collect();
    let rest: Vec<RegionalValue> =
        units.values().filter(|u| !grouped.contains(u.id.as_str())).map(|u| value_of(u)).collect();
    if rest.iter().any(|v| v.value != Value::Missing) {
        panels.push(panel(String::new(), Text::new("Chưa xếp vùng", "In no region"), None, rest));
    }
    let synthetic = panels.iter().flat_map(|p| p.values.iter()).any(|v| v.synthetic);
    RegionalComparison {
        id: format!("{}-regions", indicator.code.to_lowercase()),
        indicator_code: indicator.code.clone(),
        name: indicator.name.clone(),
        unit: indicator.unit.clone(),
        decimals,
        period,
        target,
        panels,
        sources: sources.into_iter().collect(),
        synthetic,
    }
}

/// A panel with its values ranked and its coverage counted.
fn panel(group: String, name: Text, source: Option<String>, mut values: Vec<RegionalValue>) -> RegionalPanel {
    values.sort_by(|a, b| {
        let rank = |v: &Value| match v {
            Value::Number(n) => (0, -n),
            Value::Suppressed => (1, 0.0),
            Value::Missing | Value::Undefined => (2, 0.0),
        };
        let (ra, rb) = (rank(&a.value), rank(&b.value));
        ra.0.cmp(&rb.0)
            .then(ra.1.total_cmp(&rb.1))
            .then_with(|| crate::collation::compare(&a.name.vi, &b.name.vi))
            .then_with(|| a.org_unit.cmp(&b.org_unit))
    });
    RegionalPanel {
        group,
        name,
        source,
        reported: values.iter().filter(|v| v.value != Value::Missing).count(),
        expected: values.len(),
        values,
    }
}
