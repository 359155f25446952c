//! The relations a reader of the publication can use among its cells: each unit with its child units and with its
//! predecessors, each period with its sub-periods (and every tiling of it, `period_relations`), each count with the
//! options of each category of its element; a member without a cell of its own entering through its cells inside
//! the period ([`Cover`]).

use std::collections::{HashMap, HashSet};

use super::super::period_relations::{Span, period_relations};
use super::super::*;
use super::CellIndex;
use super::scope::{Tree, Validity};
use crate::disclosure::{Cell, Relation};

mod readings;
mod remainders;

pub(super) use remainders::{
    breakdown_remainders, partial_totals, period_remainders, split_remainders, unit_remainders,
};

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

/// The relations among the cells: each unit with its child units and with its predecessors (`tree`), each period
/// with its sub-periods, and each count with the options of each category of its element.
pub(super) fn relations(
    catalogue: &Catalogue,
    cube: &Cube,
    tree: &Tree,
    periods: &[Period],
    (audited_refs, ref_position, period_position): (&[usize], &HashMap<usize, usize>, &HashMap<Period, usize>),
    cover: &Cover<'_>,
    (out, latent): (&mut Vec<Relation>, &mut Vec<f64>),
) {
    let index = cover.index;
    let sub_periods = sub_period_groups(periods, period_position, false);
    // Months within quarters, halves and years: for sums the tilings of `period_relations` relate them; a stock or an
    // average has only these.
    let sub_periods_over_time = sub_period_groups(periods, period_position, true);
    let (children, all_children) = (&tree.children, &tree.all_children);
    let unit_groups: Vec<Vec<&[usize]>> = (0..children.len())
        .map(|ui| [&children[ui][..], &tree.predecessors[ui][..]].into_iter().filter(|g| !g.is_empty()).collect())
        .collect();
    let with_split: Vec<Option<Vec<usize>>> = (0..children.len()).map(|ui| with_split_children(tree, ui)).collect();
    let days: Vec<(i64, i64)> = periods
        .iter()
        .map(|p| (i64::from(p.start().num_days_from_ce()), i64::from(p.end().num_days_from_ce()) + 1))
        .collect();
    for (ri, &reference) in audited_refs.iter().enumerate() {
        let rule = catalogue
            .data_elements
            .get(&cube.refs()[reference].element)
            .map_or(TimeAggregation::Sum, |element| element.time_aggregation);
        for (ui, groups) in unit_groups.iter().enumerate() {
            // Values not combined over time whose periods add up at this unit are read as sums by a reader, with
            // every tiling of several types (a year less its first half and fourth quarter gives the third).
            let time = if rule == TimeAggregation::None && cover.adds_up_over_time(ri, ui) {
                TimeAggregation::Sum
            } else {
                rule
            };
            let first = out.len();
            let mut spans = Vec::new();
            let groups_over_time = if time == TimeAggregation::Sum { &sub_periods } else { &sub_periods_over_time };
            for (pi, period_groups) in groups_over_time.iter().enumerate() {
                let Some(total) = index.get(ri, ui, pi) else { continue };
                spans.push(Span { start: days[pi].0, end: days[pi].1, cell: total });
                unit_relations(cover, tree, (ri, ui, pi, total), (groups, &with_split[ui]), (periods, time), out);
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
            if time == TimeAggregation::Last {
                stocks_inside(cover, (ri, ui), first, out);
            }
            if time != TimeAggregation::Sum {
                let mut known: HashSet<(usize, Vec<usize>)> =
                    out[first..].iter().map(|r| (r.total, sorted(&r.parts))).collect();
                let relation = |total: usize, parts: &[usize]| cover.over_time(total, parts, time);
                out.extend(super::tilings::tilings_over_days(&spans, &mut known, &relation));
                // The tilings by periods of several types and the order of dates are sums over days: a stock or an
                // average is not one, and its relations over time are the ones above.
                continue;
            }
            relations_over_days(cover, (ri, ui, &spans), first, (out, latent));
        }
    }
    // Disaggregation: a reference = the same reference restricted to each option of a category of its element.
    for (ri, parts) in breakdowns(catalogue, cube, audited_refs, ref_position) {
        for ui in 0..children.len() {
            for pi in 0..periods.len() {
                let Some(total) = index.get(ri, ui, pi) else { continue };
                let options: Vec<usize> = parts.iter().filter_map(|&p| index.get(p, ui, pi)).collect();
                out.extend(breakdown_relations(cover, total, options));
            }
        }
    }
    // An option of one category = the options of another, where the unit's rows broken down by the second all lie in
    // that option (women by age group beside men as one row: the age groups are the women's), which a reader sees in
    // any period whose values are all shown and then applies to the others (review of 6 December, helper 4, F1: the
    // women's 29 less girls 12 and adult women 13 gave the hidden 4 of unknown age). Only where it holds.
    for (ri, parts) in within_option(catalogue, cube, audited_refs, ref_position) {
        for ui in 0..children.len() {
            for pi in 0..periods.len() {
                let Some(option) = index.get(ri, ui, pi) else { continue };
                let others: Vec<usize> = parts.iter().filter_map(|&p| index.get(p, ui, pi)).collect();
                out.extend(within_option_relations(cover, option, others));
            }
        }
    }
}

/// The relations "`option` = some of `others`" (the options of another category at the same unit and period) that
/// hold: all of them, else the fewest that add up. The rows of one option may lie in some options of the other
/// category only: a province's only children in a quarter are its girls, reported as one row beside its men without
/// an age, so its children are its women (fuzzer seed 9009, round 62: the nation's men of a half less the
/// province's men of its second quarter, read through its children = its women, gave another province's hidden
/// men of the first quarter, verdict "protected").
fn within_option_relations(cover: &Cover<'_>, option: usize, others: Vec<usize>) -> Vec<Relation> {
    if others.is_empty() {
        return Vec::new();
    }
    let all = Relation::new(option, others.clone());
    if cover.holds(&all) {
        return vec![all];
    }
    if others.len() > MAX_OPTIONS_READ {
        return Vec::new();
    }
    fewest_holding(cover, option, &others)
}

/// Each audited reference restricted to one option (`victims[sex=female]`, its position among `audited_refs`) with,
/// for each other category of its element whose marginal options are audited but not their combinations with it,
/// the positions of those marginal references (`victims[age_group=child]`, …): candidates for "the option = the
/// other category's options", kept by the caller only where they hold.
fn within_option(
    catalogue: &Catalogue,
    cube: &Cube,
    audited_refs: &[usize],
    ref_position: &HashMap<usize, usize>,
) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for (ri, &r) in audited_refs.iter().enumerate() {
        let option_ref = &cube.refs()[r];
        let Some(element) = catalogue.data_elements.get(&option_ref.element) else { continue };
        if option_ref.filter.len() != 1 {
            continue;
        }
        for category_id in element.categories.iter().filter(|c| !option_ref.filter.contains_key(*c)) {
            let Some(category) = catalogue.categories.get(category_id) else { continue };
            let crossed = category.options.iter().any(|option| {
                let mut part = option_ref.clone();
                part.filter.insert(category_id.clone(), option.id.clone());
                cube.ref_index(&part).is_some_and(|p| ref_position.contains_key(&p))
            });
            let marginal: Vec<usize> = (category.options.iter())
                .filter_map(|option| {
                    let part = ElementRef {
                        element: option_ref.element.clone(),
                        filter: [(category_id.clone(), option.id.clone())].into_iter().collect(),
                        offset: option_ref.offset,
                    };
                    cube.ref_index(&part).and_then(|p| ref_position.get(&p).copied())
                })
                .collect();
            if !crossed && marginal.len() == category.options.len() {
                out.push((ri, marginal));
            }
        }
    }
    out
}

/// The relations over units of the total `total` of reference `ri` at unit `ui` in period `pi`: its members (each
/// group of `groups`: current children, predecessors), with its split children besides where it has any (`with_split`,
/// only readings that add up), the children of the period's own map, and the successors a split unit's periods are
/// restated by.
fn unit_relations(
    cover: &Cover<'_>,
    tree: &Tree,
    (ri, ui, pi, total): (usize, usize, usize, usize),
    (groups, with_split): (&[&[usize]], &Option<Vec<usize>>),
    (periods, time): (&[Period], TimeAggregation),
    out: &mut Vec<Relation>,
) {
    let (index, children, all_children) = (cover.index, &tree.children, &tree.all_children);
    for group in groups {
        // A merged unit's own cells after its members ended may make up the rest of its value.
        let merged = (*group == &tree.predecessors[ui][..]).then_some(ui);
        out.extend(cover.members(total, ri, (group, pi), time, merged));
    }
    if let Some(group) = with_split {
        out.extend(split_children_readings(cover, tree, (ri, pi, total), group, time));
    }
    // The children of the period's own map (the provinces before a split, which the current children cannot
    // be read back to): the total is their sum too (round 11, F1). Only where a current child has no cell
    // in the period; otherwise the predecessors' relations already give that sum (a merger).
    let current_short = children[ui].iter().any(|&child| index.get(ri, child, pi).is_none());
    if current_short
        && let Some(map) = stable_map(&all_children[ui], periods[pi]).filter(|map| !groups.contains(&&map[..]))
    {
        out.extend(cover.members(total, ri, (&map, pi), time, None));
    }
    // A unit split into successors that restate its periods (D 2024 = D1 2024 + D2 2024): a reader adds
    // them up where the values agree (round 46, found by a review helper: D's 70 less D2's restated 66
    // gave D1's 4, verdict "protected"). Mergers have it through the successor's predecessors.
    let split = &tree.split_into[ui];
    let successors: Vec<usize> = split.iter().filter_map(|&s| index.get(ri, s, pi)).collect();
    if time == TimeAggregation::Sum && !split.is_empty() && successors.len() == split.len() {
        out.extend(cover.adds_up(total, &successors).then(|| Relation::new(total, successors)));
    }
}

/// The most successors of split units in one group whose cells [`split_children_readings`] tries leaving out.
const MAX_SUCCESSORS_LEFT_OUT: usize = 4;

/// The readings of `total` as `group` (current children and children split into several successors) that add up:
/// with every member, else without the fewest successors of the split children whose cells the total leaves out (a
/// successor's restatement of days its predecessor reported is not in its parent's value, its restatement of other
/// days is: fuzz9 seed 89, round 57: the nation's 2024 of 89 held D2's restated July but not D1's restated year, and
/// less C's 20, AB's 11 and D2's 55 gave D's hidden October of 3).
fn split_children_readings(
    cover: &Cover<'_>,
    tree: &Tree,
    (ri, pi, total): (usize, usize, usize),
    group: &[usize],
    time: TimeAggregation,
) -> Vec<Relation> {
    let holding = |group: &[usize]| -> Vec<Relation> {
        let found = cover.members(total, ri, (group, pi), time, None);
        found.into_iter().filter(|relation| cover.holds(relation)).collect()
    };
    let found = holding(group);
    let successors: Vec<usize> = group
        .iter()
        .flat_map(|&unit| tree.split_into[unit].iter().copied())
        .filter(|&unit| group.contains(&unit) && cover.index.get(ri, unit, pi).is_some())
        .collect();
    if !found.is_empty() || successors.is_empty() || successors.len() > MAX_SUCCESSORS_LEFT_OUT {
        return found;
    }
    fewest_subsets(&successors, successors.len(), |left_out| {
        let kept: Vec<usize> = group.iter().copied().filter(|unit| !left_out.contains(unit)).collect();
        holding(&kept)
    })
}

/// The relations `read` gives for the smallest subsets of `items` (of 1 to `largest` items) for which it gives any:
/// the fewest options of a total that add up to it, the fewest successors a parent's value leaves out. Empty where
/// no subset gives one. `items` has at most 31 entries (each subset is a bit mask).
fn fewest_subsets(items: &[usize], largest: usize, mut read: impl FnMut(&[usize]) -> Vec<Relation>) -> Vec<Relation> {
    let masks = 1u32..1 << items.len();
    let pick = |mask: u32| -> Vec<usize> {
        items.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1).map(|(_, &item)| item).collect()
    };
    (1..=largest as u32)
        .find_map(|size| {
            let found: Vec<Relation> =
                masks.clone().filter(|mask| mask.count_ones() == size).flat_map(|mask| read(&pick(mask))).collect();
            (!found.is_empty()).then_some(found)
        })
        .unwrap_or_default()
}

/// The current children of `ui` and its children split into several successors, where it has any: a split unit belongs
/// to none of its successors' territories, so its parent's value adds its cells beside theirs (section 2), and a
/// reader who adds them sees it (fuzz9 seed 38, round 56: the nation's 2025 of 79 less C's 59 and less D's own second
/// quarter of 13, D having split into D1 and D2 in July, gave AB's hidden 7). Only relations that add up are kept
/// from this reading.
fn with_split_children(tree: &Tree, ui: usize) -> Option<Vec<usize>> {
    let split: Vec<usize> =
        tree.all_children[ui].iter().map(|&(child, _)| child).filter(|&c| !tree.split_into[c].is_empty()).collect();
    if split.is_empty() {
        return None;
    }
    let mut group: Vec<usize> = tree.children[ui].iter().copied().chain(split).collect();
    group.sort_unstable();
    group.dedup();
    Some(group)
}

/// The relations of a count over time at one unit (`ri`, `ui`) that sum days, besides the tilings by one type among
/// `out[first..]`: every tiling of a period by periods of any types (and the bounds of `F` not decreasing,
/// `period_relations`, with the latent values it needs), and each period's value that is the sum of some of the
/// unit's own cells inside it, whether or not they cover every day (the value sums what was reported, marked
/// partial): a reader who adds them up sees it (round 55, found by a review helper: AB's 2024 of 92, the nation's 109
/// less C's published 17, less AB's published May-September 87 gave AB's hidden March of 5). None is repeated.
fn relations_over_days(
    cover: &Cover<'_>,
    (ri, ui, spans): (usize, usize, &[Span]),
    first: usize,
    (out, latent): (&mut Vec<Relation>, &mut Vec<f64>),
) {
    let mut known: HashSet<(usize, Vec<usize>)> =
        out[first..].iter().filter(|r| r.more_totals.is_empty()).map(|r| (r.total, sorted(&r.parts))).collect();
    for pi in 0..cover.periods.len() {
        let Some(total) = cover.index.get(ri, ui, pi) else { continue };
        for parts in cover.sums_inside(ri, ui, pi) {
            if known.insert((total, sorted(&parts))) {
                out.push(Relation::new(total, parts));
            }
        }
    }
    let (found, latent_values) = period_relations(spans, cover.cells, cover.cells.len() + latent.len());
    latent.extend(latent_values);
    for relation in found {
        if !(relation.more_totals.is_empty() && known.contains(&(relation.total, sorted(&relation.parts)))) {
            out.push(relation);
        }
    }
}

/// For a stock at one unit (`ri`, `ui`), each period's value that is the value of one of the unit's cells inside it
/// (the latest ending first) where no relation among `out[first..]` says so yet: the stock on the period's last day
/// is a report inside it, whichever tiling holds that report (round 55, found by a review helper's fuzzer: A's
/// October-September year of 42 is its May-September range, and AB's April-March year of 47 less that range gave
/// B's hidden 5).
fn stocks_inside(cover: &Cover<'_>, (ri, ui): (usize, usize), first: usize, out: &mut Vec<Relation>) {
    for pi in 0..cover.periods.len() {
        let Some(total) = cover.index.get(ri, ui, pi) else { continue };
        let Some(cell) = cover.stock_inside(ri, ui, pi) else { continue };
        if !out[first..].iter().any(|r| r.total == total && r.parts == [cell] && r.more_totals.is_empty()) {
            out.push(Relation::new(total, vec![cell]));
        }
    }
}

/// The most options of one category whose subsets [`breakdown_relations`] reads.
const MAX_OPTIONS_READ: usize = 8;

/// "`total` = its `options`" (the cells of the options of one category), and, where they do not add up, "`total` =
/// the fewest of them that do": a total made of a partial breakdown is the sum of the options the unit's own rows
/// reported (C's own 29 women in 2025, its district's 36 men beside them), which a reader sees by adding them (fuzz10
/// seed 120, round 56: the country's 33 women less C's total of 29 gave B's hidden 4 women).
fn breakdown_relations(cover: &Cover<'_>, total: usize, options: Vec<usize>) -> Vec<Relation> {
    if options.is_empty() {
        return Vec::new();
    }
    let all = Relation::new(total, options.clone());
    if options.len() > MAX_OPTIONS_READ || cover.holds(&all) {
        return vec![all];
    }
    fewest_holding(cover, total, &options).into_iter().chain([all]).collect()
}

/// The relations "`total` = some of `parts`" for the fewest of `parts` (not all of them) whose values add up to it.
fn fewest_holding(cover: &Cover<'_>, total: usize, parts: &[usize]) -> Vec<Relation> {
    fewest_subsets(parts, parts.len() - 1, |picked| {
        let relation = Relation::new(total, picked.to_vec());
        if cover.holds(&relation) { vec![relation] } else { Vec::new() }
    })
}

/// Each audited reference (its position among `audited_refs`) with, for each category of its element that it
/// is not restricted to, the positions of the references restricted to each option of it (all of them, or the
/// category is left out).
fn breakdowns(
    catalogue: &Catalogue,
    cube: &Cube,
    audited_refs: &[usize],
    ref_position: &HashMap<usize, usize>,
) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for (ri, &r) in audited_refs.iter().enumerate() {
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
            if parts.len() == category.options.len() {
                out.push((ri, parts));
            }
        }
    }
    out
}

/// How many members without a cell of their own a relation reads both ways ([`Cover::members`]): 2^n readings.
const MAX_READ_APART: usize = 4;

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

/// The children that existed on every day of `period`, sorted, when no child began or ended inside it (the map did
/// not change in the period, so the parent's value is their sum); `None` otherwise or when there is none.
pub(super) fn stable_map(children: &[(usize, Validity)], period: Period) -> Option<Vec<usize>> {
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
pub(super) struct Cover<'a> {
    index: &'a CellIndex,
    /// The position in `periods` of each cell's period.
    period_of: Vec<u32>,
    /// Per period of the run, the run's periods strictly inside it, longest first (then by start).
    within: Vec<Vec<usize>>,
    periods: &'a [Period],
    cells: &'a [Cell],
}

impl<'a> Cover<'a> {
    /// Where each cell of the publication is.
    pub(super) fn index(&self) -> &'a CellIndex {
        self.index
    }

    /// The value of a cell.
    pub(super) fn value(&self, cell: usize) -> f64 {
        self.cells[cell].value
    }

    pub(super) fn new(index: &'a CellIndex, periods: &'a [Period], cells: &'a [Cell]) -> Cover<'a> {
        let within = periods.iter().map(|outer| strictly_inside(periods, outer)).collect();
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
    ///
    /// An element whose values are not combined over time (`none`) has no rule, but a reader still checks whether a
    /// period's value is its parts' sum, their latest or their average, and uses whichever holds: a year of 97 beside
    /// published quarters of 30, 31 and 32 gave the hidden first quarter's 4, verdict "protected" (round 44, found by
    /// a review helper).
    pub(super) fn over_time(&self, total: usize, parts: &[usize], time: TimeAggregation) -> Option<Relation> {
        let period_of = |cell: usize| self.cell_period(cell);
        let latest = || {
            let latest = parts.iter().copied().max_by_key(|&c| period_of(c).map(|p| (p.end(), p.start())))?;
            Some(Relation::new(total, vec![latest]))
        };
        let relation = match time {
            TimeAggregation::Sum => return None,
            TimeAggregation::None => {
                let candidates = [Some(Relation::new(total, parts.to_vec())), latest()];
                return candidates
                    .into_iter()
                    .flatten()
                    .chain([Relation::weighted(total, self.by_length(parts))])
                    .chain([Relation::weighted(total, self.by_days(parts))])
                    .find(|relation| !relation.parts.is_empty() && self.holds(relation));
            }
            TimeAggregation::Last => latest()?,
            // As tiendo weighs them (whole months alike), or by their days, as another system would (DHIS2, a daily
            // census): a quarter of 36 over months of 94, 5 and 7 is their average by days, 29 x + 31 y = 362 for
            // the hidden February and March (round 73, found by a verifier). A reader tries both.
            TimeAggregation::Average => {
                let by_days = Relation::weighted(total, self.by_days(parts));
                let relation = Relation::weighted(total, self.by_length(parts));
                return [relation, by_days].into_iter().find(|r| !r.parts.is_empty() && self.holds(r));
            }
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

    /// The relations "`total` = the members of `group` in period `pi`" for reference `ri`. A member without a cell in
    /// `pi` stands for its cells inside `pi` that do not overlap (those covering the most days, or the earliest
    /// first), or for
    /// the cells inside that make up the rest ([`Cover::members_making_up`]); where the members' own cells do not add
    /// up, each member may stand for its cells inside `pi` instead, and the merged unit `merged` (the total's unit,
    /// when `group` is its predecessors) adds its own cells inside `pi` ([`Cover::members_read_anew`]). A completed
    /// relation is kept only when its values add up to the total, which is how a reader would know it; the members'
    /// own cells are also kept as parts (a relation whose parts fall short is still "parts at most total").
    fn members(
        &self,
        total: usize,
        ri: usize,
        (group, pi): (&[usize], usize),
        time: TimeAggregation,
        merged: Option<usize>,
    ) -> Vec<Relation> {
        let own: Vec<usize> = group.iter().filter_map(|&u| self.index.get(ri, u, pi)).collect();
        let direct = Relation::new(total, own.clone());
        if own.len() == group.len() && self.holds(&direct) {
            return vec![direct];
        }
        if own.len() < group.len() {
            // Each way of reading the members without a cell: their cells covering the most days, then, for a
            // count over time, the earliest first (a province's own first quarter before its district's February
            // to May, which the value adds where the most-days reading does not; round 54, found by a review
            // helper: the nation's half year less C's quarter gave A's hidden 4). A reader tries both.
            let missing = group.iter().filter(|&&u| self.index.get(ri, u, pi).is_none()).count();
            let readings: u32 =
                if time == TimeAggregation::Sum && missing <= MAX_READ_APART { 1 << missing } else { 1 };
            for reading in 0..readings {
                let mut completed: Vec<(usize, f64)> = Vec::with_capacity(group.len());
                let mut nth = 0;
                for &unit in group {
                    match self.index.get(ri, unit, pi) {
                        Some(cell) => completed.push((cell, 1.0)),
                        None => {
                            // Only read apart (then `nth` < MAX_READ_APART); one reading otherwise.
                            let earliest = readings > 1 && (reading >> nth) & 1 == 1;
                            nth += 1;
                            completed.extend(self.standing_for((ri, unit, pi), time, earliest));
                        }
                    }
                }
                let relation = Relation::weighted(total, completed);
                if relation.parts.len() > own.len() && self.holds(&relation) {
                    return vec![relation];
                }
            }
            // Neither reading adds up: the cells of the members without one that make up the rest, as the value
            // took them (a province's October and its November-April range, not its May, in the nation's July-June
            // year; a province's own first-quarter stock, not its district's later one; round 55, found by a review
            // helper: the nation's July-June less AB's and less C's October gave C's hidden 10).
            if let Some(rest) = self.members_making_up(total, ri, (group, pi), time, &own) {
                let parts = own.iter().copied().chain(rest).collect();
                return vec![Relation::new(total, parts)];
            }
        }
        // Nor do the members' own cells: the value took some members' cells inside the period instead of their own
        // (a province's own September stock, not its district's year; round 55, found by a review helper: AB's 2024
        // of 63 less B's September 60 gave A's hidden January 3), or a merged unit's own cells after its members
        // ended (B's March stock and AB's own August).
        let anew = self.members_read_anew(total, ri, (group, pi), time, merged);
        let fall_short = (!own.is_empty()).then_some(direct);
        anew.map(|parts| Relation::new(total, parts)).into_iter().chain(fall_short).collect()
    }

    /// What stands for `unit`'s value in period `pi` where it has no cell there, with weights: its cells inside the
    /// period that do not overlap (summed), the latest of them (a stock), or all of them weighed by their length (an
    /// average).
    fn standing_for(
        &self,
        (ri, unit, pi): (usize, usize, usize),
        time: TimeAggregation,
        earliest: bool,
    ) -> Vec<(usize, f64)> {
        let inside = if earliest {
            self.inside(ri, unit, &self.earliest_first(pi))
        } else {
            self.most_days_inside(ri, unit, pi)
        };
        match time {
            // Values not combined over time: their sum, kept by `members` only where it adds up.
            TimeAggregation::Sum | TimeAggregation::None => inside.into_iter().map(|c| (c, 1.0)).collect(),
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

    /// `cells` with their shares of the days they cover, whole months or not: the average by days.
    fn by_days(&self, cells: &[usize]) -> Vec<(usize, f64)> {
        let periods: Vec<Period> = cells.iter().filter_map(|&c| self.cell_period(c)).collect();
        let days = |p: Period| crate::eval::combine::Length::Days.of_period(p);
        let all: f64 = periods.iter().map(|&p| days(p)).sum();
        if all <= 0.0 || periods.len() != cells.len() {
            return Vec::new();
        }
        cells.iter().zip(&periods).map(|(&c, &p)| (c, days(p) / all)).collect()
    }

    /// The two ways a reader takes `unit`'s cells inside period `pi` that do not overlap: those covering the most days
    /// (then the fewest), as evaluation takes a unit's reports for a partial sum ([`crate::eval::combine::most_days`]),
    /// and the earliest first (a first quarter and the May-September range after it, where the first half would hide
    /// them).
    fn readings_inside(&self, ri: usize, unit: usize, pi: usize) -> [Vec<usize>; 2] {
        [self.most_days_inside(ri, unit, pi), self.inside(ri, unit, &self.earliest_first(pi))]
    }

    /// `unit`'s cells inside period `pi` that do not overlap and cover the most days, then the fewest
    /// ([`crate::eval::combine::most_days`]): the reports evaluation's partial sum takes, and any tiling of `pi`
    /// (until round 58 the longest first, which a longer cell overlapping a tiling shut out).
    fn most_days_inside(&self, ri: usize, unit: usize, pi: usize) -> Vec<usize> {
        let cells: Vec<(usize, Period)> =
            (self.within[pi].iter()).filter_map(|&q| Some((self.index.get(ri, unit, q)?, self.periods[q]))).collect();
        crate::eval::combine::most_days(&cells, |&(_, period)| period).into_iter().map(|&(cell, _)| cell).collect()
    }

    /// The run's periods strictly inside period `pi`, the earliest first (then the longest).
    fn earliest_first(&self, pi: usize) -> Vec<usize> {
        let mut by_start = self.within[pi].clone();
        by_start.sort_by_key(|&q| (self.periods[q].start(), std::cmp::Reverse(self.periods[q].end())));
        by_start
    }

    /// The cells of `unit` in the periods `within` (positions in `periods`) that do not overlap one another, taken in
    /// the order of `within`.
    fn inside(&self, ri: usize, unit: usize, within: &[usize]) -> Vec<usize> {
        let mut chosen: Vec<usize> = Vec::new();
        let mut cells = Vec::new();
        for &q in within {
            let Some(cell) = self.index.get(ri, unit, q) else { continue };
            if chosen.iter().all(|&c| !self.periods[c].overlaps(&self.periods[q])) {
                chosen.push(q);
                cells.push(cell);
            }
        }
        cells
    }

    /// For each calendar month, quarter, half and year that strictly holds a period of the run and is none of the
    /// run's periods (the month of two half-month ranges), the run's periods inside it, longest first; only those
    /// with two or more, in the order of the calendar periods.
    fn calendar_periods_outside(&self) -> Vec<Vec<usize>> {
        let run: HashSet<Period> = self.periods.iter().copied().collect();
        let types = [PeriodType::Month, PeriodType::Quarter, PeriodType::Half, PeriodType::Year];
        let mut outside: Vec<Period> = self
            .periods
            .iter()
            .flat_map(|period| types.map(|period_type| (period, Period::containing(period.start(), period_type))))
            .filter(|(period, calendar)| calendar != *period && calendar.contains(period) && !run.contains(calendar))
            .map(|(_, calendar)| calendar)
            .collect();
        outside.sort_unstable_by_key(|p| (p.start(), p.end()));
        outside.dedup();
        outside
            .into_iter()
            .map(|outer| strictly_inside(self.periods, &outer))
            .filter(|inside| inside.len() >= 2)
            .collect()
    }

    /// Whether the parts' values sum to the total's ([`agrees`]).
    /// Whether reference `ri`'s values at unit `ui` add up over time: some period is covered, every day of it, by
    /// the unit's cells inside it that do not overlap (its first half, third and fourth quarters), and every such
    /// period is their sum.
    fn adds_up_over_time(&self, ri: usize, ui: usize) -> bool {
        let mut tiled = false;
        for pi in 0..self.index.periods {
            let Some(total) = self.index.get(ri, ui, pi) else { continue };
            let parts = self.most_days_inside(ri, ui, pi);
            let days = |p: &Period| (p.end() - p.start()).num_days() + 1;
            let covered: i64 = parts.iter().filter_map(|&c| self.cell_period(c)).map(|p| days(&p)).sum();
            if parts.len() >= 2 && covered == days(&self.periods[pi]) {
                if !self.adds_up(total, &parts) {
                    return false;
                }
                tiled = true;
            }
        }
        tiled
    }

    fn adds_up(&self, total: usize, parts: &[usize]) -> bool {
        agrees(parts.iter().map(|&p| self.cells[p].value).sum(), self.cells[total].value)
    }
}

/// Whether a relation's sum agrees with its total as a reader would check it: to a millionth, relative to the total
/// (the audit's own tolerance, `disclosure::audit::EPSILON`, with which it reads a relation as an equation).
pub(super) fn agrees(sum: f64, total: f64) -> bool {
    (sum - total).abs() <= 1e-6 * total.abs().max(1.0)
}

/// The positions of the `periods` strictly inside `outer`, the longest first (then by start).
fn strictly_inside(periods: &[Period], outer: &Period) -> Vec<usize> {
    let mut inside: Vec<usize> =
        (0..periods.len()).filter(|&q| periods[q] != *outer && outer.contains(&periods[q])).collect();
    inside.sort_by_key(|&q| (std::cmp::Reverse(periods[q].end() - periods[q].start()), periods[q].start()));
    inside
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
