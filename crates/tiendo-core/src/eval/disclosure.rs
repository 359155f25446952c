//! The publication that disclosure control audits, built from the cube, and its decision mapped back to indicator
//! values: every sensitive element reference at every unit and period of the run is a cell; the relations are
//! "unit = its child units", "unit = its predecessors", "period = its sub-periods" and "count = its options".
//!
//! Everything derived from a sensitive value follows the state of the cells it reads: an indicator value (a rate,
//! a breakdown, a plugin metric over sensitive inputs) is hidden wherever one of those cells is, and `results`
//! withholds the change on the same period last year, the percentage of target and the trend beside a hidden value.

use std::collections::HashMap;

use super::*;
use crate::disclosure::{self, Audit, Cell, Publication, Relation, Rules};

/// The hidden indicator values (absent: published), by indicator, variant ("" for the total, "category=option" for
/// a breakdown), org unit and period: nested hash maps, so that a lookup borrows its keys and compares no date.
#[derive(Debug, Default)]
pub(super) struct HiddenValues {
    by_indicator: HashMap<String, HashMap<String, ByUnit>>,
}

/// One variant's hidden values: org unit, then period.
type ByUnit = HashMap<String, HashMap<Period, CellState>>;

impl HiddenValues {
    /// The state of one value; `None` when it is published.
    pub(super) fn get(&self, indicator: &str, variant: &str, unit: &str, period: Period) -> Option<CellState> {
        self.by_indicator.get(indicator)?.get(variant)?.get(unit)?.get(&period).copied()
    }
}

/// Hidden indicator values and the audit of the publication.
pub(super) struct Disclosure {
    pub(super) hidden: HiddenValues,
    pub(super) audit: Audit,
}

/// Dense index of the cells: (sensitive reference, unit, period) positions to a cell number.
struct CellIndex {
    units: usize,
    periods: usize,
    cells: Vec<u32>,
}

impl CellIndex {
    const NONE: u32 = u32::MAX;

    fn get(&self, reference: usize, unit: usize, period: usize) -> Option<usize> {
        let cell = self.cells[(reference * self.units + unit) * self.periods + period];
        (cell != Self::NONE).then_some(cell as usize)
    }
}

/// The sub-period groups of each period that tile it (year: halves, quarters; judicial year: halves, quarters,
/// months; half: quarters; a date range of whole months: the years, halves, quarters or months that tile it,
/// [`Period::tiling`]), as positions in `periods`, keeping the sub-periods that are in the run. A range's value is
/// the sum of such a group, as a judicial year's is, so the group is a relation like the year's.
fn sub_period_groups(periods: &[Period], position: &HashMap<Period, usize>) -> Vec<Vec<Vec<usize>>> {
    periods
        .iter()
        .map(|period| {
            let sub_types: &[PeriodType] = match period.period_type() {
                PeriodType::Year => &[PeriodType::Half, PeriodType::Quarter],
                PeriodType::YearFrom(_) => &[PeriodType::Half, PeriodType::Quarter, PeriodType::Month],
                PeriodType::Half => &[PeriodType::Quarter],
                PeriodType::Range => &[PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month],
                _ => &[],
            };
            sub_types
                .iter()
                .map(|&t| period.tiling(t))
                .filter(|subs| subs.len() >= 2)
                .map(|subs| subs.iter().filter_map(|s| position.get(s).copied()).collect::<Vec<usize>>())
                .filter(|group| !group.is_empty())
                .collect()
        })
        .collect()
}

/// Runs disclosure control over the sensitive element references at every unit and period of the run, and maps
/// the result to indicator values.
pub(super) fn suppression_states(
    catalogue: &Catalogue,
    settings: &EvaluationSettings,
    cube: &mut Cube,
    units: &[String],
    periods: &[Period],
    plugin_inputs: &BTreeMap<String, Vec<String>>,
) -> Disclosure {
    let rules = Rules {
        threshold: settings.threshold,
        protection: settings.protection,
        suppress_zeros: settings.suppress_zeros,
        work_budget: settings.audit_work_budget,
    };
    let sensitive_refs: Vec<usize> =
        (0..cube.refs().len()).filter(|&i| is_sensitive(catalogue, &cube.refs()[i].element)).collect();
    if settings.threshold <= 1.0 || sensitive_refs.is_empty() {
        return Disclosure {
            hidden: HiddenValues::default(),
            audit: disclosure::protect(&Publication::default(), &rules).audit,
        };
    }
    let unit_position: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let period_position: HashMap<Period, usize> = periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let ref_position: HashMap<usize, usize> = sensitive_refs.iter().enumerate().map(|(i, r)| (*r, i)).collect();

    let (mut publication, index) = publication_cells(cube, units, periods, &sensitive_refs);
    relations(
        catalogue,
        cube,
        units,
        periods,
        &sensitive_refs,
        &ref_position,
        &unit_position,
        &period_position,
        &index,
        &mut publication.relations,
    );
    let protection = disclosure::protect(&publication, &rules);

    let hidden =
        hidden_values(catalogue, cube, (units, periods), plugin_inputs, &ref_position, (&index, &protection.states));
    Disclosure { hidden, audit: protection.audit }
}

/// The cells of the publication: every sensitive reference's value at every unit and period of the run, and where
/// each is (`CellIndex`).
fn publication_cells(
    cube: &mut Cube,
    units: &[String],
    periods: &[Period],
    sensitive_refs: &[usize],
) -> (Publication, CellIndex) {
    let mut publication = Publication::default();
    let mut index = CellIndex {
        units: units.len(),
        periods: periods.len(),
        cells: vec![CellIndex::NONE; sensitive_refs.len() * units.len() * periods.len()],
    };
    let set = PeriodSet::new(periods);
    for (ri, &r) in sensitive_refs.iter().enumerate() {
        for (ui, unit) in units.iter().enumerate() {
            let Some(values) = cube.values_over(r, unit, &set) else { continue };
            for (pi, value) in values.into_iter().enumerate() {
                // A unit's own value for part of a period it did not exist throughout is never published (see
                // `Cube::is_own_partial_period`): it is not a cell, only a part of its parent's sum.
                if let Some(value) = value.filter(|v| !cube.is_own_partial_period(unit, v)) {
                    index.cells[(ri * units.len() + ui) * periods.len() + pi] =
                        u32::try_from(publication.cells.len()).unwrap_or(CellIndex::NONE);
                    publication.cells.push(Cell { value: value.value, sensitive: true });
                }
            }
        }
    }
    (publication, index)
}

/// The states mapped to indicators and their breakdowns: a value is hidden wherever a sensitive reference it reads
/// is (by unit and period, the first state that is not `Published`).
fn hidden_values(
    catalogue: &Catalogue,
    cube: &mut Cube,
    (units, periods): (&[String], &[Period]),
    plugin_inputs: &BTreeMap<String, Vec<String>>,
    ref_position: &HashMap<usize, usize>,
    (index, states): (&CellIndex, &[CellState]),
) -> HiddenValues {
    let mut hidden = HiddenValues::default();
    for indicator in catalogue.indicators.values() {
        let mut variants: Vec<(String, Vec<ElementRef>)> =
            vec![(String::new(), indicator_refs(indicator, plugin_inputs))];
        for (category, option, numerator, denominator) in breakdown_formulas(catalogue, indicator) {
            let refs = numerator.elements().into_iter().chain(denominator.iter().flat_map(|d| d.elements())).cloned();
            variants.push((format!("{category}={option}"), refs.collect()));
        }
        for (variant, refs) in &variants {
            let read: Vec<usize> =
                refs.iter().filter_map(|r| cube.ref_index(r)).filter_map(|r| ref_position.get(&r).copied()).collect();
            if read.is_empty() {
                continue;
            }
            for (ui, unit) in units.iter().enumerate() {
                let unit_states: HashMap<Period, CellState> = periods
                    .iter()
                    .enumerate()
                    .filter_map(|(pi, period)| {
                        read.iter()
                            .filter_map(|&ri| index.get(ri, ui, pi))
                            .map(|cell| states[cell])
                            .find(|s| *s != CellState::Published)
                            .map(|state| (*period, state))
                    })
                    .collect();
                if !unit_states.is_empty() {
                    hidden
                        .by_indicator
                        .entry(indicator.id.clone())
                        .or_default()
                        .entry(variant.clone())
                        .or_default()
                        .insert(unit.clone(), unit_states);
                }
            }
        }
    }
    hidden
}

/// The relations among the cells: each unit with its child units and with its predecessors, each period with its
/// sub-periods, and each count with the options of each category of its element.
#[allow(clippy::too_many_arguments)]
fn relations(
    catalogue: &Catalogue,
    cube: &Cube,
    units: &[String],
    periods: &[Period],
    sensitive_refs: &[usize],
    ref_position: &HashMap<usize, usize>,
    unit_position: &HashMap<&str, usize>,
    period_position: &HashMap<Period, usize>,
    index: &CellIndex,
    out: &mut Vec<Relation>,
) {
    let sub_periods = sub_period_groups(periods, period_position);
    // Children (current units only) and predecessors that are themselves units of the run.
    let mut unit_groups: Vec<Vec<Vec<usize>>> = vec![Vec::new(); units.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
    for org_unit in catalogue.org_units.values() {
        if let (Some(parent), Some(&child)) = (org_unit.parent.as_deref(), unit_position.get(org_unit.id.as_str()))
            && org_unit.successors.is_empty()
            && let Some(&parent) = unit_position.get(parent)
        {
            children[parent].push(child);
        }
    }
    for (ui, unit) in units.iter().enumerate() {
        let mut own_children = std::mem::take(&mut children[ui]);
        own_children.sort_unstable();
        let mut predecessors: Vec<usize> = cube
            .territory_of(unit)
            .iter()
            .filter(|p| *p != unit)
            .filter_map(|p| unit_position.get(p.as_str()).copied())
            .collect();
        predecessors.sort_unstable();
        unit_groups[ui] = [own_children, predecessors].into_iter().filter(|g| !g.is_empty()).collect();
    }
    for ri in 0..sensitive_refs.len() {
        for (ui, groups) in unit_groups.iter().enumerate() {
            for (pi, period_groups) in sub_periods.iter().enumerate() {
                let Some(total) = index.get(ri, ui, pi) else { continue };
                for group in groups {
                    push(out, total, group.iter().filter_map(|&u| index.get(ri, u, pi)));
                }
                for group in period_groups {
                    push(out, total, group.iter().filter_map(|&p| index.get(ri, ui, p)));
                }
            }
        }
    }
    // Disaggregation: a reference = the same reference restricted to each option of a category of its element.
    for (ri, &r) in sensitive_refs.iter().enumerate() {
        let total_ref = &cube.refs()[r];
        let Some(element) = catalogue.data_elements.get(&total_ref.element) else { continue };
        for category_id in &element.categories {
            let Some(category) = catalogue.categories.get(category_id) else { continue };
            if total_ref.filter.contains_key(category_id) {
                continue;
            }
            let parts: Vec<usize> = category
                .options
                .iter()
                .filter_map(|option| {
                    let mut part = total_ref.clone();
                    part.filter.insert(category_id.clone(), option.id.clone());
                    cube.ref_index(&part).and_then(|p| ref_position.get(&p).copied())
                })
                .collect();
            if parts.len() != category.options.len() {
                continue;
            }
            for ui in 0..units.len() {
                for pi in 0..periods.len() {
                    let Some(total) = index.get(ri, ui, pi) else { continue };
                    push(out, total, parts.iter().filter_map(|&p| index.get(p, ui, pi)));
                }
            }
        }
    }
}

fn push(out: &mut Vec<Relation>, total: usize, parts: impl Iterator<Item = usize>) {
    let parts: Vec<usize> = parts.collect();
    if !parts.is_empty() {
        out.push(Relation { total, parts });
    }
}
