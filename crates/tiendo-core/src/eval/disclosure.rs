//! Disclosure control mapped to indicators: primary and secondary suppression over every sensitive element
//! reference at every unit and period, then each indicator value takes the worst state of the references it reads.

use super::*;

/// (indicator, variant (\"\" for the total, \"category=option\" for a breakdown), org unit, period)
pub(super) type StateKey = (String, String, String, Period);

/// Runs primary and secondary suppression over the sensitive element references at every output unit and
/// period, and maps the result to indicator cells: an indicator value is suppressed when any sensitive
/// reference it reads is suppressed there (no rate from a suppressed numerator).
pub(super) fn suppression_states(
    catalogue: &Catalogue,
    settings: &EvaluationSettings,
    cube: &mut Cube,
    units: &[String],
    periods: &[Period],
    plugin_inputs: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<StateKey, CellState> {
    let mut out = BTreeMap::new();
    if settings.threshold <= 0.0 {
        return out;
    }
    let sensitive_refs: Vec<usize> =
        (0..cube.refs().len()).filter(|&i| is_sensitive(catalogue, &cube.refs()[i].element)).collect();
    if sensitive_refs.is_empty() {
        return out;
    }
    let unit_set: BTreeSet<&String> = units.iter().collect();
    let mut index: BTreeMap<(usize, String, Period), usize> = BTreeMap::new();
    let mut values = Vec::new();
    for &r in &sensitive_refs {
        for unit in units {
            for period in periods {
                index.insert((r, unit.clone(), *period), values.len());
                values.push(cube.value(r, unit, *period).map(|a| a.value));
            }
        }
    }
    let mut relations = Vec::new();
    let cell = |r: usize, unit: &str, period: Period| index.get(&(r, unit.to_owned(), period)).copied();
    for &r in &sensitive_refs {
        for unit in units {
            // Children and predecessors that are themselves output units.
            let mut children: Vec<&String> = catalogue
                .org_units
                .values()
                .filter(|u| u.parent.as_deref() == Some(unit.as_str()) && u.successors.is_empty())
                .map(|u| &u.id)
                .filter(|id| unit_set.contains(id))
                .collect();
            children.sort();
            let predecessors: Vec<String> =
                cube.territory_of(unit).into_iter().filter(|p| p != unit && unit_set.contains(p)).collect();
            for period in periods {
                let Some(total) = cell(r, unit, *period) else { continue };
                for group in [
                    children.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                    predecessors.iter().map(String::as_str).collect(),
                ] {
                    let parts: Vec<usize> = group.iter().filter_map(|c| cell(r, c, *period)).collect();
                    if !parts.is_empty() {
                        relations.push(Relation { total, parts });
                    }
                }
                let sub_types: &[PeriodType] = match period.period_type() {
                    PeriodType::Year => &[PeriodType::Half, PeriodType::Quarter],
                    // A judicial year is its months (and its quarters and halves where they tile it), so that a
                    // suppressed month cannot be worked out from the year.
                    PeriodType::YearFrom(_) => &[PeriodType::Half, PeriodType::Quarter, PeriodType::Month],
                    PeriodType::Half => &[PeriodType::Quarter],
                    _ => &[],
                };
                for &sub_type in sub_types {
                    let subs = period.subdivide(sub_type);
                    if subs.len() < 2 {
                        continue;
                    }
                    let parts: Vec<usize> = subs.iter().filter_map(|s| cell(r, unit, *s)).collect();
                    if parts.len() == subs.len() {
                        relations.push(Relation { total, parts });
                    }
                }
            }
        }
    }
    // Disaggregation: a reference = the sum of the same reference restricted to each option of a category.
    for &r in &sensitive_refs {
        let total_ref = cube.refs()[r].clone();
        let categories =
            catalogue.data_elements.get(&total_ref.element).map(|de| de.categories.clone()).unwrap_or_default();
        for category_id in categories {
            let Some(category) = catalogue.categories.get(&category_id) else { continue };
            if total_ref.filter.contains_key(&category_id) {
                continue;
            }
            let part_refs: Option<Vec<usize>> = category
                .options
                .iter()
                .map(|option| {
                    let mut part = total_ref.clone();
                    part.filter.insert(category_id.clone(), option.id.clone());
                    cube.ref_index(&part)
                })
                .collect();
            let Some(part_refs) = part_refs else { continue };
            for unit in units {
                for period in periods {
                    let Some(total) = cell(r, unit, *period) else { continue };
                    let parts: Vec<usize> = part_refs.iter().filter_map(|&p| cell(p, unit, *period)).collect();
                    if !parts.is_empty() {
                        relations.push(Relation { total, parts });
                    }
                }
            }
        }
    }
    let sensitive = vec![true; values.len()];
    let states = suppression::suppress(&values, &sensitive, settings.threshold, &relations);
    // Map to indicators and their breakdowns.
    let worst_state = |cube: &Cube, refs: Vec<&ElementRef>, unit: &String, period: Period| {
        refs.into_iter()
            .filter_map(|r| cube.ref_index(r))
            .filter_map(|r| index.get(&(r, unit.clone(), period)))
            .map(|&i| states[i])
            .filter(|s| *s != CellState::Published)
            .min_by_key(|s| match s {
                CellState::Primary => 0,
                _ => 1,
            })
    };
    for indicator in catalogue.indicators.values() {
        let total_refs = indicator_refs(indicator, plugin_inputs);
        let mut variants: Vec<(String, Vec<ElementRef>)> = vec![(String::new(), total_refs)];
        for (category, option, numerator, denominator) in breakdown_formulas(catalogue, indicator) {
            let refs: Vec<ElementRef> = numerator
                .elements()
                .into_iter()
                .chain(denominator.iter().flat_map(|d| d.elements()))
                .cloned()
                .collect();
            variants.push((format!("{category}={option}"), refs));
        }
        for (variant, refs) in &variants {
            if !refs.iter().any(|r| is_sensitive(catalogue, &r.element)) {
                continue;
            }
            for unit in units {
                for period in periods {
                    if let Some(state) = worst_state(cube, refs.iter().collect(), unit, *period) {
                        out.insert((indicator.id.clone(), variant.clone(), unit.clone(), *period), state);
                    }
                }
            }
        }
    }
    out
}
