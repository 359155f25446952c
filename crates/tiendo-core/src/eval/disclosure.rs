//! The publication that disclosure control audits, built from the cube, and its decision mapped back to indicator
//! values: every sensitive element reference at every unit and period of the run is a cell; the relations are
//! "unit = its child units", "unit = its predecessors", "period = its sub-periods" and "count = its options".
//!
//! Everything derived from a sensitive value follows the state of the cells it reads: an indicator value (a rate,
//! a breakdown, a plugin metric over sensitive inputs) is hidden wherever one of those cells is, and `results`
//! withholds the change on the same period last year, the percentage of target and the trend beside a hidden value.

use std::collections::{HashMap, HashSet};

use super::period_relations::{Span, period_relations};
use super::*;
use crate::disclosure::{self, Audit, Cell, Fixed, Publication, Relation, Rules};

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

    /// Hides one value (keeps the state it has when it is hidden already).
    fn hide(&mut self, indicator: &str, variant: &str, unit: &str, period: Period, state: CellState) {
        let by_unit = self.by_indicator.entry(indicator.to_owned()).or_default().entry(variant.to_owned()).or_default();
        by_unit.entry(unit.to_owned()).or_default().entry(period).or_insert(state);
    }
}

/// Hidden indicator values, the state of every cell of the publication, and the audit.
pub(super) struct Disclosure {
    pub(super) hidden: HiddenValues,
    pub(super) cells: CellStates,
    pub(super) audit: Audit,
}

/// The state the audit gave each cell of the publication, by (cube reference, org unit, period), and the rules it
/// applied: what [`super::disclosed_findings`] reads to keep other outputs from showing a hidden count.
#[derive(Default)]
pub(super) struct CellStates {
    rules: Option<Rules>,
    units: HashMap<String, usize>,
    periods: HashMap<Period, usize>,
    refs: HashMap<usize, usize>,
    index: Option<CellIndex>,
    states: Vec<CellState>,
}

impl CellStates {
    /// The state of the cell of cube reference `reference` at `unit` and `period`; `None` when the publication has
    /// no such cell (an element that is not sensitive, a unit or period outside the run, or no value there).
    pub(super) fn state(&self, reference: usize, unit: &str, period: Period) -> Option<CellState> {
        let index = self.index.as_ref()?;
        let (r, u, p) = (self.refs.get(&reference)?, self.units.get(unit)?, self.periods.get(&period)?);
        index.get(*r, *u, *p).and_then(|cell| self.states.get(cell).copied())
    }

    /// Whether a sensitive count that is not a cell of the publication would be suppressed as a small count were
    /// it one (a commune's, or a period's the run does not show).
    pub(super) fn is_small(&self, value: f64) -> bool {
        self.rules.as_ref().is_some_and(|rules| rules.is_primary(&Cell { value, sensitive: true }))
    }
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
fn sub_period_groups(periods: &[Period], position: &HashMap<Period, usize>, months: bool) -> Vec<Vec<Vec<usize>>> {
    periods
        .iter()
        .map(|period| {
            let sub_types: &[PeriodType] = match (period.period_type(), months) {
                (PeriodType::Year, false) => &[PeriodType::Half, PeriodType::Quarter],
                (PeriodType::Year, true) => &[PeriodType::Half, PeriodType::Quarter, PeriodType::Month],
                (PeriodType::YearFrom(_), _) => &[PeriodType::Half, PeriodType::Quarter, PeriodType::Month],
                (PeriodType::Half, false) => &[PeriodType::Quarter],
                (PeriodType::Half, true) => &[PeriodType::Quarter, PeriodType::Month],
                (PeriodType::Quarter, true) => &[PeriodType::Month],
                (PeriodType::Range, _) => &[PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month],
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
    (units, periods): (&[String], &[Period]),
    (plugin_inputs, raw): (&BTreeMap<String, Vec<String>>, &RawValues),
) -> Disclosure {
    let rules = Rules {
        threshold: settings.threshold,
        protection: settings.protection,
        suppress_zeros: settings.suppress_zeros,
        work_budget: settings.audit_work_budget,
        work_per_primary: disclosure::DEFAULT_WORK_PER_PRIMARY,
    };
    let sensitive_refs: Vec<usize> =
        (0..cube.refs().len()).filter(|&i| is_sensitive(catalogue, &cube.refs()[i].element)).collect();
    if settings.threshold <= 1.0 || sensitive_refs.is_empty() {
        return Disclosure {
            hidden: HiddenValues::default(),
            cells: CellStates::default(),
            audit: disclosure::protect(&Publication::default(), &rules).audit,
        };
    }
    let unit_position: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let period_position: HashMap<Period, usize> = periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let ref_position: HashMap<usize, usize> = sensitive_refs.iter().enumerate().map(|(i, r)| (*r, i)).collect();

    let positions = (&ref_position, &unit_position, &period_position);
    let (publication, index) = publish(catalogue, cube, (units, periods), &sensitive_refs, positions);
    let fixed =
        province_level_states(catalogue, cube, (units, periods), &sensitive_refs, (&rules, &publication, &index));
    let protection = disclosure::protect_keeping(&publication, &rules, &fixed);

    let mut hidden =
        hidden_values(catalogue, cube, (units, periods), plugin_inputs, &ref_position, (&index, &protection.states));
    let published_units: HashSet<&str> = units.iter().map(String::as_str).collect();
    let scope = LeftOutScope { published_units: &published_units, periods };
    let mut audit = protection.audit;
    audit.matched_ratios = hide_left_out(catalogue, cube, &rules, plugin_inputs, (raw, &scope), &mut hidden);
    if audit.matched_ratios > 0 && audit.verdict == disclosure::Verdict::NothingSuppressed {
        // A reader sees the hidden ratios: the note must not say that nothing was hidden.
        audit.verdict = disclosure::Verdict::Protected;
    }
    let cells = CellStates {
        rules: Some(rules),
        units: unit_position.iter().map(|(unit, i)| ((*unit).to_owned(), *i)).collect(),
        periods: period_position,
        refs: ref_position,
        index: Some(index),
        states: protection.states,
    };
    Disclosure { hidden, cells, audit }
}

/// Where each sensitive reference, unit and period is in a publication's cell index.
type Positions<'p, 'u> = (&'p HashMap<usize, usize>, &'p HashMap<&'u str, usize>, &'p HashMap<Period, usize>);

/// The publication of the sensitive references at `units` and `periods` (its cells, relations and latent cells),
/// and where each cell of it is; `positions` are those of `sensitive_refs`, `units` and `periods`.
fn publish(
    catalogue: &Catalogue,
    cube: &mut Cube,
    (units, periods): (&[String], &[Period]),
    sensitive_refs: &[usize],
    (ref_position, unit_position, period_position): Positions<'_, '_>,
) -> (Publication, CellIndex) {
    let (mut publication, index) = publication_cells(cube, units, periods, sensitive_refs);
    let (mut relations_out, mut latent) = (Vec::new(), Vec::new());
    let cover = Cover::new(&index, periods, &publication.cells);
    relations(
        catalogue,
        cube,
        units,
        periods,
        sensitive_refs,
        ref_position,
        unit_position,
        period_position,
        &cover,
        (&mut relations_out, &mut latent),
    );
    publication.relations = relations_out;
    publication.latent = latent.len();
    publication.cells.extend(latent.into_iter().map(|value| Cell { value, sensitive: false }));
    (publication, index)
}

/// For a run that audits units below the provinces (communes asked for), the states the run at country and province
/// level gives its figures (its pattern worked out here as that run works it out), which this run follows
/// ([`disclosure::protect_keeping`]): every province-level figure has the same state in both, so that their outputs
/// together show no more than this one does. Decided apart, this run hid a province's second quarter while the
/// province-level review showed it, and showed its first half while that review hid it: the first quarter was their
/// difference (methodology section 7). One decision per cell of `publication` (this run's); empty when the run
/// audits only country and province units.
fn province_level_states(
    catalogue: &Catalogue,
    cube: &mut Cube,
    (units, periods): (&[String], &[Period]),
    sensitive_refs: &[usize],
    (rules, publication, index): (&Rules, &Publication, &CellIndex),
) -> Vec<Fixed> {
    let level = |unit: &str| catalogue.org_units.get(unit).map(|u| u.level);
    let upper = |unit: &&String| matches!(level(unit), Some(OrgUnitLevel::Country | OrgUnitLevel::Province));
    let province_level: Vec<String> = units.iter().filter(upper).cloned().collect();
    if province_level.len() == units.len() {
        return Vec::new();
    }
    let ref_position: HashMap<usize, usize> = sensitive_refs.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let upper_position: HashMap<&str, usize> =
        province_level.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let period_position: HashMap<Period, usize> = periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let positions = (&ref_position, &upper_position, &period_position);
    let (upper_publication, upper_index) =
        publish(catalogue, cube, (&province_level, periods), sensitive_refs, positions);
    let states = disclosure::protect(&upper_publication, rules).states;
    let mut fixed = vec![Fixed::Free; publication.cells.len()];
    let position: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    for ri in 0..sensitive_refs.len() {
        for (ui, unit) in province_level.iter().enumerate() {
            for pi in 0..periods.len() {
                let (Some(upper_cell), Some(cell)) =
                    (upper_index.get(ri, ui, pi), index.get(ri, position[unit.as_str()], pi))
                else {
                    continue;
                };
                fixed[cell] = if states[upper_cell] == CellState::Published { Fixed::Published } else { Fixed::Hidden };
            }
        }
    }
    fixed
}

/// The units the publication shows and the periods of the run: where [`hide_left_out`] looks for what a ratio left
/// out.
struct LeftOutScope<'a> {
    published_units: &'a HashSet<&'a str>,
    periods: &'a [Period],
}

/// Hides a matched ratio wherever a unit it left out would be given away. At a parent, a ratio's numerator and
/// denominator are summed over the units that report both parts (`eval::ratio`), period by period down to the
/// finest reported (a unit may be left out for one quarter only), so the published denominator is the parent's
/// total less what was left out: with the parent's total published, that amount is known by subtraction (victims
/// at AB 43, matched denominator 40: A's 3). The ratio is hidden (with its numerator, denominator, change and
/// percentage of target) when a left-out unit has, in the period or in a period inside it, a hidden value of the
/// indicator, or, for a unit the publication does not show (a commune), a small count of a sensitive element the
/// ratio reads. Conservative: the left-out part may be another sub-period than the hidden one. Returns how many
/// values it hid that were not hidden already ([`disclosure::Audit::matched_ratios`]).
fn hide_left_out(
    catalogue: &Catalogue,
    cube: &mut Cube,
    rules: &Rules,
    plugin_inputs: &BTreeMap<String, Vec<String>>,
    (raw, scope): (&RawValues, &LeftOutScope<'_>),
    hidden: &mut HiddenValues,
) -> usize {
    let inside: HashMap<Period, Vec<Period>> = scope
        .periods
        .iter()
        .map(|outer| (*outer, scope.periods.iter().copied().filter(|inner| outer.contains(inner)).collect()))
        .collect();
    let mut sensitive_reads: HashMap<&str, Vec<usize>> = HashMap::new();
    let variants = raw.points.iter().map(|(key, points)| (key, String::new(), points)).chain(
        raw.breakdowns.iter().flat_map(|(key, breakdowns)| {
            breakdowns.iter().map(move |(category, option, points)| (key, format!("{category}={option}"), points))
        }),
    );
    let mut found: Vec<(String, String, String, Period)> = Vec::new();
    for ((indicator_id, unit), variant, points) in variants {
        let Some(indicator) = catalogue.indicators.get(indicator_id) else { continue };
        let reads = sensitive_reads.entry(indicator_id.as_str()).or_insert_with(|| {
            indicator_refs(indicator, plugin_inputs)
                .iter()
                .filter(|r| is_sensitive(catalogue, &r.element))
                .filter_map(|r| cube.ref_index(r))
                .collect()
        });
        if reads.is_empty() {
            continue;
        }
        for point in points {
            let Some(left_out) = point.coverage.as_ref().map(|c| &c.unmatched).filter(|u| !u.is_empty()) else {
                continue;
            };
            let own = [point.period];
            let within = inside.get(&point.period).map_or(&own[..], Vec::as_slice);
            let given_away = left_out.iter().any(|other| {
                within.iter().any(|&period| {
                    if scope.published_units.contains(other.as_str()) {
                        hidden.get(indicator_id, &variant, other, period).is_some()
                    } else {
                        reads.iter().any(|&r| {
                            cube.value(r, other, period)
                                .is_some_and(|v| rules.is_primary(&Cell { value: v.value, sensitive: true }))
                        })
                    }
                })
            });
            if given_away && hidden.get(indicator_id, &variant, unit, point.period).is_none() {
                found.push((indicator_id.clone(), variant.clone(), unit.clone(), point.period));
            }
        }
    }
    let count = found.len();
    for (indicator, variant, unit, period) in found {
        hidden.hide(&indicator, &variant, &unit, period, CellState::Secondary);
    }
    count
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
        for (variant, refs) in &published_variants(catalogue, indicator, plugin_inputs) {
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

/// What `indicator` publishes and the element references each reads: its value ("") and each option of its
/// breakdowns ("category=option").
fn published_variants(
    catalogue: &Catalogue,
    indicator: &Indicator,
    plugin_inputs: &BTreeMap<String, Vec<String>>,
) -> Vec<(String, Vec<ElementRef>)> {
    let mut variants: Vec<(String, Vec<ElementRef>)> = vec![(String::new(), indicator_refs(indicator, plugin_inputs))];
    for (category, option, numerator, denominator) in breakdown_formulas(catalogue, indicator) {
        let refs = numerator.elements().into_iter().chain(denominator.iter().flat_map(|d| d.elements())).cloned();
        variants.push((format!("{category}={option}"), refs.collect()));
    }
    variants
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
    cover: &Cover<'_>,
    (out, latent): (&mut Vec<Relation>, &mut Vec<f64>),
) {
    let index = cover.index;
    let sub_periods = sub_period_groups(periods, period_position, false);
    // Months within quarters, halves and years: for sums the tilings of `period_relations` relate them; a stock or an
    // average has only these.
    let sub_periods_over_time = sub_period_groups(periods, period_position, true);
    // Children (current units only) and predecessors that are themselves units of the run.
    let mut unit_groups: Vec<Vec<Vec<usize>>> = vec![Vec::new(); units.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
    // Every child, ended or not, with its days: the map of a period the parent's children did not change in.
    let mut all_children: Vec<Vec<(usize, Validity)>> = vec![Vec::new(); units.len()];
    for org_unit in catalogue.org_units.values() {
        if let (Some(parent), Some(&child)) = (org_unit.parent.as_deref(), unit_position.get(org_unit.id.as_str()))
            && let Some(&parent) = unit_position.get(parent)
        {
            all_children[parent].push((child, (org_unit.valid_from, org_unit.valid_to)));
            if org_unit.successors.is_empty() {
                children[parent].push(child);
            }
        }
    }
    for (ui, unit) in units.iter().enumerate() {
        let mut own_children = std::mem::take(&mut children[ui]);
        own_children.sort_unstable();
        children[ui].clone_from(&own_children);
        let mut predecessors: Vec<usize> = cube
            .territory_of(unit)
            .iter()
            .filter(|p| *p != unit)
            .filter_map(|p| unit_position.get(p.as_str()).copied())
            .collect();
        predecessors.sort_unstable();
        unit_groups[ui] = [own_children, predecessors].into_iter().filter(|g| !g.is_empty()).collect();
    }
    let days: Vec<(i64, i64)> = periods
        .iter()
        .map(|p| (i64::from(p.start().num_days_from_ce()), i64::from(p.end().num_days_from_ce()) + 1))
        .collect();
    for (ri, &reference) in sensitive_refs.iter().enumerate() {
        let time = catalogue
            .data_elements
            .get(&cube.refs()[reference].element)
            .map_or(TimeAggregation::Sum, |element| element.time_aggregation);
        for (ui, groups) in unit_groups.iter().enumerate() {
            let first = out.len();
            let mut spans = Vec::new();
            let groups_over_time = if time == TimeAggregation::Sum { &sub_periods } else { &sub_periods_over_time };
            for (pi, period_groups) in groups_over_time.iter().enumerate() {
                let Some(total) = index.get(ri, ui, pi) else { continue };
                spans.push(Span { start: days[pi].0, end: days[pi].1, cell: total });
                for group in groups {
                    out.extend(cover.members(total, ri, (group, pi), time));
                }
                // The children of the period's own map (the provinces before a split, which the current children cannot
                // be read back to): the total is their sum too (round 11, F1). Only where a current child has no cell
                // in the period; otherwise the predecessors' relations already give that sum (a merger).
                let current_short = children[ui].iter().any(|&child| index.get(ri, child, pi).is_none());
                if current_short
                    && let Some(map) = stable_map(&all_children[ui], periods[pi]).filter(|map| !groups.contains(map))
                {
                    out.extend(cover.members(total, ri, (&map, pi), time));
                }
                for group in period_groups {
                    let parts: Vec<usize> = group.iter().filter_map(|&p| index.get(ri, ui, p)).collect();
                    if time != TimeAggregation::Sum {
                        out.extend(cover.over_time(total, &parts, time));
                        continue;
                    }
                    out.extend(with_units_outside(cover, &all_children[ui], (ri, total, pi), (group, &parts)));
                    push(out, total, parts.into_iter());
                }
            }
            if time != TimeAggregation::Sum {
                // The tilings by periods of several types and the order of dates are sums over days: a stock or an
                // average is not one, and its relations over time are the ones above.
                continue;
            }
            // Every tiling of a period by periods of any types (and the bounds of `F` not decreasing), besides the
            // tilings by one type above; the ones already there are not repeated.
            let known: HashSet<(usize, Vec<usize>)> =
                out[first..].iter().filter(|r| r.more_totals.is_empty()).map(|r| (r.total, sorted(&r.parts))).collect();
            let (found, latent_values) = period_relations(&spans, cover.cells, cover.cells.len() + latent.len());
            latent.extend(latent_values);
            for relation in found {
                if !(relation.more_totals.is_empty() && known.contains(&(relation.total, sorted(&relation.parts)))) {
                    out.push(relation);
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

/// The relation "a period = its sub-periods + the children that reported only the whole period", when the
/// sub-periods' values are sums without those children (partial): the country's 2025 is its two halves, summed over
/// the provinces that reported halves, plus the year of a province that reported only the year (round 11: C's 5 was
/// 155 - 90 - 60). Kept only when its values add up, as a reader would check; `None` otherwise.
fn with_units_outside(
    cover: &Cover<'_>,
    children: &[(usize, Validity)],
    (ri, total, pi): (usize, usize, usize),
    (group, parts): (&[usize], &[usize]),
) -> Option<Relation> {
    if parts.len() != group.len() || cover.adds_up(total, parts) {
        return None;
    }
    let index = cover.index;
    let outside = children
        .iter()
        .filter(|&&(child, _)| group.iter().all(|&sub| index.get(ri, child, sub).is_none()))
        .filter_map(|&(child, _)| index.get(ri, child, pi));
    let completed: Vec<usize> = parts.iter().copied().chain(outside).collect();
    (completed.len() > parts.len() && cover.adds_up(total, &completed)).then(|| Relation::new(total, completed))
}

/// A child's first and last days (`None`: open).
type Validity = (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>);

/// The children that existed on every day of `period`, sorted, when no child began or ended inside it (the map did
/// not change in the period, so the parent's value is their sum); `None` otherwise or when there is none.
fn stable_map(children: &[(usize, Validity)], period: Period) -> Option<Vec<usize>> {
    let touches =
        |(from, to): Validity| from.is_none_or(|from| from <= period.end()) && to.is_none_or(|to| period.start() <= to);
    let throughout =
        |(from, to): Validity| from.is_none_or(|from| from <= period.start()) && to.is_none_or(|to| period.end() <= to);
    if children.iter().any(|&(_, validity)| touches(validity) && !throughout(validity)) {
        return None;
    }
    let mut map: Vec<usize> = children.iter().filter(|&&(_, validity)| throughout(validity)).map(|&(c, _)| c).collect();
    map.sort_unstable();
    (!map.is_empty()).then_some(map)
}

/// How a unit's value in a period is made of its members' cells when a member has no cell of its own there: a
/// member that reported only some quarters of a year has no value for the year (methodology section 2.4), yet its
/// parent's year sums those quarters, marked partial. The relation a reader then has is "parent = the other members'
/// years + this member's quarters" (AB 2023 = A 2023Q1 + A 2023Q3 + B 2023): leaving the member out would give the
/// audit only "B 2023 at most AB 2023", and a hidden 2023Q1 would be recovered by subtraction.
struct Cover<'a> {
    index: &'a CellIndex,
    /// The position in `periods` of each cell's period.
    period_of: Vec<u32>,
    /// Per period of the run, the run's periods strictly inside it, longest first (then by start).
    within: Vec<Vec<usize>>,
    periods: &'a [Period],
    cells: &'a [Cell],
}

impl<'a> Cover<'a> {
    fn new(index: &'a CellIndex, periods: &'a [Period], cells: &'a [Cell]) -> Cover<'a> {
        let within = periods
            .iter()
            .map(|outer| {
                let mut inside: Vec<usize> =
                    (0..periods.len()).filter(|&q| periods[q] != *outer && outer.contains(&periods[q])).collect();
                inside.sort_by_key(|&q| (std::cmp::Reverse(periods[q].end() - periods[q].start()), periods[q].start()));
                inside
            })
            .collect();
        let mut period_of = vec![0; cells.len()];
        for (slot, &cell) in index.cells.iter().enumerate() {
            if let Some(of) = period_of.get_mut(cell as usize) {
                *of = (slot % index.periods) as u32;
            }
        }
        Cover { index, period_of, within, periods, cells }
    }

    /// The relation of a period's value to its sub-periods' `parts` (cells of one unit and reference) for an element
    /// that is not summed over time: a stock is its latest part (the latest reported, as `combine_over_time` takes
    /// it), an average its parts weighed by their days. Kept only when the values agree, as a reader would check.
    fn over_time(&self, total: usize, parts: &[usize], time: TimeAggregation) -> Option<Relation> {
        let period_of = |cell: usize| self.cell_period(cell);
        let relation = match time {
            TimeAggregation::Sum => return None,
            TimeAggregation::Last => {
                let latest = parts.iter().copied().max_by_key(|&c| period_of(c).map(|p| (p.end(), p.start())))?;
                Relation::new(total, vec![latest])
            }
            TimeAggregation::Average => Relation::weighted(total, self.by_length(parts)),
        };
        self.holds(&relation).then_some(relation)
    }

    /// The period of a cell.
    fn cell_period(&self, cell: usize) -> Option<Period> {
        self.period_of.get(cell).map(|&position| self.periods[position as usize])
    }

    /// Whether the relation's values agree: the total is the weighted sum of its parts ([`agrees`]).
    fn holds(&self, relation: &Relation) -> bool {
        let weight = |i: usize| relation.weights.get(i).copied().unwrap_or(1.0);
        let sum: f64 = relation.parts.iter().enumerate().map(|(i, &p)| weight(i) * self.cells[p].value).sum();
        agrees(sum, self.cells[relation.total].value)
    }

    /// The relation "`total` = the members of `group` in period `pi`" for reference `ri`. A member without a cell in
    /// `pi` stands for its cells inside `pi` that do not overlap (the longest first). That completed relation is kept
    /// only when its values add up to the total, which is how a reader would know it; otherwise the members' own
    /// cells are the parts, as before (a relation whose parts fall short is still "parts at most total").
    fn members(
        &self,
        total: usize,
        ri: usize,
        (group, pi): (&[usize], usize),
        time: TimeAggregation,
    ) -> Option<Relation> {
        let own: Vec<usize> = group.iter().filter_map(|&u| self.index.get(ri, u, pi)).collect();
        if own.len() < group.len() {
            let mut completed: Vec<(usize, f64)> = Vec::with_capacity(group.len());
            for &unit in group {
                match self.index.get(ri, unit, pi) {
                    Some(cell) => completed.push((cell, 1.0)),
                    None => completed.extend(self.standing_for((ri, unit, pi), time)),
                }
            }
            let relation = Relation::weighted(total, completed);
            if relation.parts.len() > own.len() && self.holds(&relation) {
                return Some(relation);
            }
        }
        (!own.is_empty()).then_some(Relation::new(total, own))
    }

    /// What stands for `unit`'s value in period `pi` where it has no cell there, with weights: its cells inside the
    /// period that do not overlap (summed), the latest of them (a stock), or all of them weighed by their length (an
    /// average).
    fn standing_for(&self, (ri, unit, pi): (usize, usize, usize), time: TimeAggregation) -> Vec<(usize, f64)> {
        let inside = self.inside(ri, unit, pi);
        match time {
            TimeAggregation::Sum => inside.into_iter().map(|c| (c, 1.0)).collect(),
            TimeAggregation::Last => {
                let latest = inside.into_iter().max_by_key(|&c| self.cell_period(c).map(|p| (p.end(), p.start())));
                latest.map(|c| (c, 1.0)).into_iter().collect()
            }
            TimeAggregation::Average => self.by_length(&inside),
        }
    }

    /// `cells` (of one unit and reference) with their shares of the days they cover, as an average over time weighs
    /// them ([`crate::eval::combine::weighted_mean`]: by whole months when every one is made of them, else by days).
    fn by_length(&self, cells: &[usize]) -> Vec<(usize, f64)> {
        let periods: Vec<Period> = cells.iter().filter_map(|&c| self.cell_period(c)).collect();
        let unit = crate::eval::combine::Length::for_parts(periods.iter().copied());
        let all: f64 = periods.iter().map(|&p| unit.of_period(p)).sum();
        if all <= 0.0 || periods.len() != cells.len() {
            return Vec::new();
        }
        cells.iter().zip(&periods).map(|(&c, &p)| (c, unit.of_period(p) / all)).collect()
    }

    /// The cells of `unit` inside period `pi` that do not overlap one another, the longest periods first.
    fn inside(&self, ri: usize, unit: usize, pi: usize) -> Vec<usize> {
        let mut chosen: Vec<usize> = Vec::new();
        let mut cells = Vec::new();
        for &q in &self.within[pi] {
            let Some(cell) = self.index.get(ri, unit, q) else { continue };
            if chosen.iter().all(|&c| !self.periods[c].overlaps(&self.periods[q])) {
                chosen.push(q);
                cells.push(cell);
            }
        }
        cells
    }

    /// Whether the parts' values sum to the total's ([`agrees`]).
    fn adds_up(&self, total: usize, parts: &[usize]) -> bool {
        agrees(parts.iter().map(|&p| self.cells[p].value).sum(), self.cells[total].value)
    }
}

/// Whether a relation's sum agrees with its total as a reader would check it: to a millionth, relative to the total
/// (the audit's own tolerance, `disclosure::audit::EPSILON`, with which it reads a relation as an equation).
fn agrees(sum: f64, total: f64) -> bool {
    (sum - total).abs() <= 1e-6 * total.abs().max(1.0)
}

/// A copy of `cells`, sorted.
fn sorted(cells: &[usize]) -> Vec<usize> {
    let mut cells = cells.to_vec();
    cells.sort_unstable();
    cells
}

fn push(out: &mut Vec<Relation>, total: usize, parts: impl Iterator<Item = usize>) {
    let parts: Vec<usize> = parts.collect();
    if !parts.is_empty() {
        out.push(Relation::new(total, parts));
    }
}
