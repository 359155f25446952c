//! The publication that disclosure control audits, built from the cube, and its decision mapped back to indicator
//! values: every sensitive element reference (and every count a rule bounds one by) at every unit and period is a
//! cell; the relations are "unit = its child units", "unit = its predecessors", "period = its sub-periods" and
//! "count = its options".
//!
//! Everything derived from a sensitive value follows the state of the cells it reads: an indicator value (a rate,
//! a breakdown, a plugin metric over sensitive inputs) is hidden wherever one of those cells is, and `results`
//! withholds the change on the same period last year, the percentage of target and the trend beside a hidden value.

use std::collections::{HashMap, HashSet};

mod differences;
mod matched;
mod related;
mod relations;
mod scope;
mod tilings;

pub(super) use related::possibly_audited;

use super::*;
use crate::disclosure::{self, Audit, Cell, Fixed, Publication, Relation, Rules};
use relations::{
    Cover, breakdown_remainders, partial_totals, period_remainders, relations, split_remainders, unit_remainders,
};
use scope::Scope;

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
    /// no such cell (an element the audit does not hold, a unit or period outside the run, or no value there).
    pub(super) fn state(&self, reference: usize, unit: &str, period: Period) -> Option<CellState> {
        let index = self.index.as_ref()?;
        let (r, u, p) = (self.refs.get(&reference)?, self.units.get(unit)?, self.periods.get(&period)?);
        index.get(*r, *u, *p).and_then(|cell| self.states.get(cell).copied())
    }

    /// Whether disclosure control ran (a threshold and sensitive elements).
    pub(super) fn active(&self) -> bool {
        self.rules.is_some()
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

/// Runs disclosure control over the sensitive element references at every unit and period of the run, and maps
/// the result to indicator values.
pub(super) fn suppression_states(
    catalogue: &Catalogue,
    settings: &EvaluationSettings,
    cube: &mut Cube,
    (units, periods): (&[String], &[Period]),
    (plugin_inputs, plugin_reads, raw): (&PluginInputs, &PluginInputs, &RawValues),
) -> Disclosure {
    let rules = Rules {
        threshold: settings.threshold,
        protection: settings.protection,
        suppress_zeros: settings.suppress_zeros,
        work_budget: settings.audit_work_budget,
        work_per_primary: disclosure::DEFAULT_WORK_PER_PRIMARY,
    };
    let differences = differences::differences(catalogue, plugin_reads);
    let audited_refs = differences::audited_refs(catalogue, cube, &differences);
    if settings.threshold <= 1.0 || audited_refs.is_empty() {
        return Disclosure {
            hidden: HiddenValues::default(),
            cells: CellStates::default(),
            audit: disclosure::protect(&Publication::default(), &rules).audit,
        };
    }
    let period_position: HashMap<Period, usize> = periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let ref_position: HashMap<usize, usize> = audited_refs.iter().enumerate().map(|(i, r)| (*r, i)).collect();

    let positions = (&audited_refs[..], &ref_position, &period_position);
    let scope = Scope::new(catalogue, cube, units, periods, &audited_refs);
    let published = (positions, &differences[..]);
    let (publication, index, unshown, matched) = publish(catalogue, cube, (&scope, raw, &rules), periods, published);
    let (mut fixed, above) =
        levels_above(catalogue, cube, (units, periods, raw), published, (&rules, &publication, &index));
    fixed.resize(unshown.len(), Fixed::Free);
    for (fixed, unshown) in fixed.iter_mut().zip(unshown) {
        if matches!(unshown, Fixed::Unshown | Fixed::Published) {
            *fixed = unshown;
        }
    }
    // The levels above take their work from this run's budget, so that the whole run is bounded by one budget.
    let spent = usize::try_from(above).unwrap_or(usize::MAX);
    let own_rules = Rules { work_budget: rules.work_budget.saturating_sub(spent), ..rules };
    let mut protection = disclosure::protect_keeping(&publication, &own_rules, &fixed);
    protection.audit.work += above;

    let mut hidden =
        hidden_values(catalogue, cube, (units, periods), plugin_inputs, &ref_position, (&index, &protection.states));
    let published_units: HashSet<&str> = units.iter().map(String::as_str).collect();
    let left_out_scope = LeftOutScope { published_units: &published_units, periods, audited_refs: &ref_position };
    let mut audit = protection.audit;
    audit.matched_ratios = hide_left_out(catalogue, cube, &rules, plugin_inputs, (raw, &left_out_scope), &mut hidden);
    // A matched ratio whose numerator or denominator the audit hid (a cell of its own, `matched`).
    for term in matched.iter().filter(|term| protection.states[term.cell] != CellState::Published) {
        if hidden.get(&term.indicator, "", &term.unit, term.period).is_none() {
            hidden.hide(&term.indicator, "", &term.unit, term.period, CellState::Secondary);
            audit.matched_ratios += 1;
        }
    }
    if audit.matched_ratios > 0 && audit.verdict == disclosure::Verdict::NothingSuppressed {
        // A reader sees the hidden ratios: the note must not say that nothing was hidden.
        audit.verdict = disclosure::Verdict::Protected;
    }
    let cells = CellStates {
        rules: Some(rules),
        units: units.iter().enumerate().map(|(i, unit)| (unit.clone(), i)).collect(),
        periods: period_position,
        refs: ref_position,
        index: Some(index),
        states: protection.states,
    };
    Disclosure { hidden, cells, audit }
}

/// Input ids per plugin id (as each declares them), or per plugin indicator id (those its metric reads).
type PluginInputs = BTreeMap<String, Vec<String>>;

/// The references of the cube the audit holds ([`differences::audited_refs`]), and where each of them and each
/// period is in a publication's cell index.
type Positions<'p> = (&'p [usize], &'p HashMap<usize, usize>, &'p HashMap<Period, usize>);

/// What a publication is made from: the [`Positions`] and the differences the indicators publish
/// ([`differences::differences`]).
type Published<'p> = (Positions<'p>, &'p [differences::Difference]);

/// The publication of the audited references at the units of `scope` and at `periods` (its cells, relations and
/// latent cells), where each cell of it is, [`Fixed::Unshown`] for the cells of the units the run does not show
/// (the rest [`Fixed::Free`]), and the cells of the matched ratios' terms of `raw` ([`matched::matched_terms`]).
fn publish(
    catalogue: &Catalogue,
    cube: &Cube,
    (scope, raw, rules): (&Scope, &RawValues, &Rules),
    periods: &[Period],
    ((audited_refs, ref_position, period_position), differences): Published<'_>,
) -> (Publication, CellIndex, Vec<Fixed>, Vec<matched::MatchedTerm>) {
    let (mut publication, index, mut fixed) = publication_cells(scope, periods, audited_refs.len());
    // Counts no output shows but a reader finds by subtraction, each a cell with its relation: a unit's sum over a
    // period it reported in parts (the cell = its parts), the rest of a breakdown short of its total (total = its
    // options + the rest), the rest of a period beside some of its sub-periods (total = those + the rest), and a small difference of sensitive counts an indicator publishes (minuends =
    // subtrahends + the difference). They go before the latent cells, whose positions `period_relations` numbers
    // from the end of the cells.
    let (partial, rests, period_rests, differences) = {
        let cover = Cover::new(&index, periods, &publication.cells);
        let mut period_rests = period_remainders(catalogue, cube, audited_refs, &cover);
        period_rests.extend(split_remainders(catalogue, cube, audited_refs, (&scope.tree, &cover)));
        period_rests.extend(unit_remainders(catalogue, cube, audited_refs, (&scope.tree, &cover)));
        (
            partial_totals(catalogue, cube, audited_refs, &cover),
            breakdown_remainders(catalogue, cube, (audited_refs, ref_position), &cover),
            period_rests,
            differences::known_differences(catalogue, differences, cube, ref_position, &cover),
        )
    };
    // The number 1, which a strict rule's relations hold (the rest of `victims < received` counts from 1): a figure
    // every reader knows.
    let one = differences.iter().any(|d| d.one.is_some()).then(|| {
        publication.cells.push(Cell { value: 1.0, sensitive: false });
        fixed.push(Fixed::Published);
        publication.cells.len() - 1
    });
    // An unshown cell is a count of the kind (sensitive or not) of the cells it is made from.
    let sensitive: Vec<bool> = publication.cells.iter().map(|c| c.sensitive).collect();
    let mut unshown = |value: f64, sensitive: bool| {
        publication.cells.push(Cell { value, sensitive });
        fixed.push(Fixed::Unshown);
        publication.cells.len() - 1
    };
    let mut partial_relations = Vec::with_capacity(partial.len() + rests.len() + differences.len());
    for (value, inside) in partial {
        let cell = unshown(value, inside.first().is_none_or(|&c| sensitive[c]));
        partial_relations.push(Relation::new(cell, inside));
    }
    for (value, total, mut options) in rests {
        options.push(unshown(value, sensitive[total]));
        partial_relations.push(Relation::new(total, options));
    }
    for (value, total, mut parts, weight) in period_rests {
        parts.push((unshown(value, sensitive[total]), weight));
        let relation = if parts.iter().all(|&(_, w)| w == 1.0) {
            Relation::new(total, parts.into_iter().map(|(c, _)| c).collect())
        } else {
            Relation::weighted(total, parts)
        };
        partial_relations.push(relation);
    }
    for differences::KnownDifference { mut relation, rest, one: weight } in differences {
        if let Some(rest) = rest {
            add_part(&mut relation, unshown(rest.value, rest.sensitive), 1.0);
        }
        if let (Some(one), Some(weight)) = (one, weight) {
            add_part(&mut relation, one, weight);
        }
        partial_relations.push(relation);
    }
    let matched = matched::matched_terms(
        catalogue,
        cube,
        raw,
        (scope, &index, ref_position, period_position),
        matched::Added { rules, cells: &mut publication.cells, fixed: &mut fixed, relations: &mut partial_relations },
    );
    let (mut relations_out, mut latent) = (Vec::new(), Vec::new());
    let cover = Cover::new(&index, periods, &publication.cells);
    let positions = (audited_refs, ref_position, period_position);
    relations(catalogue, cube, &scope.tree, periods, positions, &cover, (&mut relations_out, &mut latent));
    relations_out.extend(partial_relations);
    publication.relations = relations_out;
    publication.latent = latent.len();
    publication.cells.extend(latent.into_iter().map(|value| Cell { value, sensitive: false }));
    (publication, index, fixed, matched)
}

/// Adds `part` with `weight` to `relation`, weighing its other parts 1 where it had no weights and `weight` is not 1.
fn add_part(relation: &mut Relation, part: usize, weight: f64) {
    if !relation.weights.is_empty() || weight != 1.0 {
        relation.weights.resize(relation.parts.len(), 1.0);
        relation.weights.push(weight);
    }
    relation.parts.push(part);
}

/// For a run that shows units below the provinces (communes asked for), the decisions it follows
/// ([`disclosure::protect_keeping`]): those of the run at country and province level, worked out here as that run
/// works them out; then, level by level, those of the run that shows the units of this one down to each level above
/// its lowest (its provinces' districts), each following the one above. Every figure of a level then has the same
/// state in every run that shows that level's units, whichever units below it they show, so that their outputs
/// together show no more than each does. Decided apart, a commune run hid a province's second quarter while the
/// province-level review showed it, and showed its first half while that review hid it: the first quarter was their
/// difference (round 41); two runs of communes of two districts did the same with their districts' figures
/// (83 - 17 - 58 = 8). A figure hidden at a level above keeps here the width of its range. One decision per cell of
/// `publication` (this run's), empty when the run shows only country and province units; and the steps of work the
/// levels above took, which this run's own search does not get again.
fn levels_above(
    catalogue: &Catalogue,
    cube: &mut Cube,
    (units, periods, raw): (&[String], &[Period], &RawValues),
    published: Published<'_>,
    (rules, publication, index): (&Rules, &Publication, &CellIndex),
) -> (Vec<Fixed>, u64) {
    let depth = |unit: &String| catalogue.org_units.get(unit).map_or(u8::MAX, |u| u.level.depth()).max(2);
    let mut depths: Vec<u8> = units.iter().map(depth).collect();
    depths.sort_unstable();
    depths.dedup();
    let Some((_, above)) = depths.split_last().filter(|(_, above)| !above.is_empty()) else {
        return (Vec::new(), 0);
    };
    let mut decided: Option<Decided> = None;
    let mut work = 0;
    for &level in above {
        let shown: Vec<String> = units.iter().filter(|u| depth(u) <= level).cloned().collect();
        let scope = Scope::new(catalogue, cube, &shown, periods, published.0.0);
        let (level_publication, level_index, mut fixed, _) =
            publish(catalogue, cube, (&scope, raw, rules), periods, published);
        if let Some(decided) = &decided {
            decided.follow(&shown, &level_index, &mut fixed);
        }
        let protection = disclosure::protect_keeping(&level_publication, rules, &fixed);
        work += protection.audit.work;
        let states = protection.states;
        decided = Some(Decided {
            units: shown,
            index: level_index,
            states,
            refs: published.0.0.len(),
            periods: periods.len(),
        });
    }
    let mut fixed = vec![Fixed::Free; publication.cells.len()];
    if let Some(decided) = decided {
        decided.follow(units, index, &mut fixed);
    }
    (fixed, work)
}

/// What a run at a level above decided: its units, where its cells are, and their states.
struct Decided {
    units: Vec<String>,
    index: CellIndex,
    states: Vec<CellState>,
    refs: usize,
    periods: usize,
}

impl Decided {
    /// Sets `fixed` (indexed as the cells of a publication of `units`, `index`) to these decisions: published or
    /// hidden, for each cell of a unit both show.
    fn follow(&self, units: &[String], index: &CellIndex, fixed: &mut [Fixed]) {
        let position: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
        for (ui, unit) in self.units.iter().enumerate() {
            let Some(&at) = position.get(unit.as_str()) else { continue };
            for ri in 0..self.refs {
                for pi in 0..self.periods {
                    let (Some(decided), Some(cell)) = (self.index.get(ri, ui, pi), index.get(ri, at, pi)) else {
                        continue;
                    };
                    fixed[cell] =
                        if self.states[decided] == CellState::Published { Fixed::Published } else { Fixed::Hidden };
                }
            }
        }
    }
}

/// The units the publication shows and the periods of the run: where [`hide_left_out`] looks for what a ratio left
/// out.
struct LeftOutScope<'a> {
    published_units: &'a HashSet<&'a str>,
    periods: &'a [Period],
    /// The cube references the audit holds cells of ([`differences::audited_refs`]).
    audited_refs: &'a HashMap<usize, usize>,
}

/// Hides a matched ratio wherever a unit it left out would be given away. At a parent, a ratio's numerator and
/// denominator are summed over the units that report both parts (`eval::ratio`), period by period down to the
/// finest reported (a unit may be left out for one quarter only), so the published denominator is the parent's
/// total less what was left out: with the parent's total published, that amount is known by subtraction (victims
/// at AB 43, matched denominator 40: A's 3). The ratio is hidden (with its numerator, denominator, change and
/// percentage of target) when a left-out unit has, in the period or in a period inside it, a hidden value of the
/// indicator, or, for a unit the publication does not show (a commune), a small count of a sensitive element the
/// ratio reads. A ratio whose parts are not sensitive is held the same way where a part is a count the audit holds
/// (one that bounds a sensitive count: [`differences::audited_refs`]; round 48). Conservative: the left-out part may be another sub-period than the hidden one. Returns how many
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
    let mut audited_reads: HashMap<&str, Vec<usize>> = HashMap::new();
    let variants = raw.points.iter().map(|(key, points)| (key, String::new(), points)).chain(
        raw.breakdowns.iter().flat_map(|(key, breakdowns)| {
            breakdowns.iter().map(move |(category, option, points)| (key, format!("{category}={option}"), points))
        }),
    );
    let mut found: Vec<(String, String, String, Period)> = Vec::new();
    for ((indicator_id, unit), variant, points) in variants {
        let Some(indicator) = catalogue.indicators.get(indicator_id) else { continue };
        let reads = audited_reads.entry(indicator_id.as_str()).or_insert_with(|| {
            indicator_refs(indicator, plugin_inputs)
                .iter()
                .filter_map(|r| cube.ref_index(r))
                .filter(|r| scope.audited_refs.contains_key(r))
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
                        gives_small_away(catalogue, cube, rules, (reads, scope.audited_refs), (other, period))
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

/// Whether a ratio reading the cube references `reads` (audited ones), leaving out `unit` (one no output shows) in
/// `period`, gives a small count away: a small count of a sensitive part, or, where a part is a count that bounds
/// sensitive ones (not sensitive itself: [`differences::audited_refs`]), any small sensitive count of the unit then
/// (conservative: the bound may be of another count).
fn gives_small_away(
    catalogue: &Catalogue,
    cube: &mut Cube,
    rules: &Rules,
    (reads, audited): (&[usize], &HashMap<usize, usize>),
    (unit, period): (&str, Period),
) -> bool {
    let sensitive = |cube: &Cube, r: usize| is_sensitive(catalogue, &cube.refs()[r].element);
    let small = |cube: &mut Cube, r: usize| {
        cube.value(r, unit, period).is_some_and(|v| rules.is_primary(&Cell { value: v.value, sensitive: true }))
    };
    let (parts, bounds): (Vec<usize>, Vec<usize>) = reads.iter().partition(|&&r| sensitive(cube, r));
    if parts.iter().any(|&r| small(cube, r)) {
        return true;
    }
    if !bounds.iter().any(|&r| cube.value(r, unit, period).is_some()) {
        return false;
    }
    let counts: Vec<usize> = audited.keys().copied().filter(|&r| sensitive(cube, r)).collect();
    counts.into_iter().any(|r| small(cube, r))
}

/// The cells of the publication: every audited reference's value at every unit of `scope` and period, where each
/// is (`CellIndex`), and [`Fixed::Unshown`] for those of the units the run does not show.
fn publication_cells(scope: &Scope, periods: &[Period], refs: usize) -> (Publication, CellIndex, Vec<Fixed>) {
    let mut publication = Publication::default();
    let units = scope.ids.len();
    let mut index =
        CellIndex { units, periods: periods.len(), cells: vec![CellIndex::NONE; refs * units * periods.len()] };
    let mut fixed = Vec::new();
    for ri in 0..refs {
        for (ui, values) in scope.values.iter().enumerate() {
            for (pi, value) in values[ri].iter().enumerate() {
                let Some(value) = *value else { continue };
                index.cells[(ri * units + ui) * periods.len() + pi] =
                    u32::try_from(publication.cells.len()).unwrap_or(CellIndex::NONE);
                publication.cells.push(Cell { value, sensitive: scope.sensitive[ri] });
                fixed.push(if scope.is_shown(ui) { Fixed::Free } else { Fixed::Unshown });
            }
        }
    }
    (publication, index, fixed)
}

/// The states mapped to indicators and their breakdowns: a value is hidden wherever an audited reference it reads
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
