//! A matched ratio's published numerator and denominator as cells of the audit. At a parent, a ratio matched unit by
//! unit (`eval::ratio`) sums its parts over the units that reported both, so its numerator and denominator are sums
//! over part of the parent's units, figures no other output publishes: the country's quarter matched over one
//! province is that province's hidden quarter (round 54, found by a review helper, hunt-af F11: B's half year of 27
//! resolved of 48 less the country's matched quarter of 22 of 34 gave B's hidden third quarter of 5 of 14), and a
//! province's denominator matched over one district is that district's total, which with the district's published
//! women gave the hidden men (F12).

use std::collections::{HashMap, HashSet};

use super::super::points::{RawPoint, RawValues};
use super::relations::{agrees, stable_map};
use super::scope::Scope;
use super::*;

/// The most cells a matched term is related to: a term summed over more units is left to
/// [`super::hide_left_out`] (the country's rate matched over all provinces but one is the country's count less that
/// province's, which that rule covers), so that the audit's tables stay apart (a relation over every province joined
/// them all: a full review of the example took half as long again).
const MAX_MATCHED_PARTS: usize = 8;

/// A matched ratio's term (its numerator or denominator) that is a cell of the audit: the indicator, unit and period
/// of the ratio's value, and the cell.
pub(super) struct MatchedTerm {
    pub(super) indicator: String,
    pub(super) unit: String,
    pub(super) period: Period,
    pub(super) cell: usize,
}

/// The cells and relations [`matched_terms`] adds to a publication, and the rules that say which cells are primary.
pub(super) struct Added<'p> {
    pub(super) rules: &'p Rules,
    pub(super) cells: &'p mut Vec<Cell>,
    pub(super) fixed: &'p mut Vec<Fixed>,
    pub(super) relations: &'p mut Vec<Relation>,
}

/// For each ratio value of `raw` at a unit of the publication that left a unit out (a matched ratio: its coverage
/// names what it left out) and whose numerator and denominator are each one audited reference: each term as a cell,
/// published, with the relation "term = the cells of the unit's children (or predecessors) in the period that hold
/// no unit left out", kept only where the values add up, as a reader would check (a term whose parts cannot be
/// told is left to [`super::hide_left_out`]). A ratio that leaves out a unit with a small count of a part in the
/// period (or inside it) adds no cell: `hide_left_out` hides it, so a reader never has its terms, and the audit must
/// not hide other figures to protect what they would give away. Returns where each term's cell is, so that the
/// ratio is hidden where the audit hides its term.
pub(super) fn matched_terms(
    catalogue: &Catalogue,
    cube: &Cube,
    raw: &RawValues,
    (scope, index, ref_position, period_position): (
        &Scope,
        &CellIndex,
        &HashMap<usize, usize>,
        &HashMap<Period, usize>,
    ),
    mut added: Added<'_>,
) -> Vec<MatchedTerm> {
    let unit_position: HashMap<&str, usize> = scope.ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    // Where each unit and each leaf of a class is, for the units a ratio leaves out.
    let mut unit_or_class = unit_position.clone();
    for (position, leaves) in scope.class_members.iter().enumerate() {
        unit_or_class.extend(leaves.iter().map(|leaf| (leaf.as_str(), position)));
    }
    let audited = |expr: &Expr| match expr {
        Expr::Element(element) => cube.ref_index(element).and_then(|r| ref_position.get(&r).copied()),
        _ => None,
    };
    let mut kept = Kept::default();
    // The terms no reading of the units gave.
    let mut unread: Vec<(&str, &str, &[RawPoint], Term, usize)> = Vec::new();
    for ((indicator_id, unit), points) in &raw.points {
        let Some(indicator) = catalogue.indicators.get(indicator_id) else { continue };
        let Formula::Expression { numerator, denominator: Some(denominator) } = &indicator.formula else { continue };
        let Some(&ui) = unit_position.get(unit.as_str()) else { continue };
        let refs = [audited(numerator), audited(denominator)];
        for point in points {
            let Some(coverage) = point.coverage.as_ref().filter(|c| !c.unmatched.is_empty()) else { continue };
            let Some(&pi) = period_position.get(&point.period) else { continue };
            let left_out: Vec<usize> =
                coverage.unmatched.iter().filter_map(|id| unit_or_class.get(id.as_str()).copied()).collect();
            if leaves_out_small(index, (added.cells, added.rules), (&refs, period_position, point.period), &left_out) {
                continue;
            }
            let holding = holding_units(catalogue, &coverage.unmatched);
            for (side, value) in [point.numerator, point.denominator].into_iter().enumerate() {
                let (Some(ri), Some(value)) = (refs[side], value) else { continue };
                let term = Term { refs: (ri, refs[1 - side]), unit: ui, period: (pi, point.period), value };
                match matched_parts(scope, (index, period_position), added.cells, term, &holding)
                    .filter(|parts| parts.len() <= MAX_MATCHED_PARTS)
                {
                    Some(parts) => kept.keep(&mut added, (indicator_id, unit, side), term, (scope, parts)),
                    None => unread.push((indicator_id.as_str(), unit.as_str(), points.as_slice(), term, side)),
                }
            }
        }
    }
    // Shortest periods first, so that a half year can take the terms of its quarters made here.
    unread.sort_by_key(|(.., term, _)| (term.period.1.end() - term.period.1.start()).num_days());
    for (indicator_id, unit, points, term, side) in unread {
        let found = (index, period_position);
        if let Some(parts) = tiled_parts(points, &kept.made, found, added.cells, (indicator_id, term, side)) {
            kept.keep(&mut added, (indicator_id, unit, side), term, (scope, parts));
        }
    }
    kept.terms
}

/// The terms made so far: each one's cell by (indicator, unit, period, side), and the terms themselves.
#[derive(Default)]
struct Kept<'r> {
    made: HashMap<(&'r str, usize, Period, usize), usize>,
    terms: Vec<MatchedTerm>,
}

impl<'r> Kept<'r> {
    /// Adds `term` (of `indicator` at `unit`, numerator or denominator by `side`) as a published cell equal to the sum
    /// of `parts`, sensitive where its reference is in `scope`.
    fn keep(
        &mut self,
        added: &mut Added<'_>,
        (indicator, unit, side): (&'r str, &str, usize),
        term: Term,
        (scope, parts): (&Scope, Vec<usize>),
    ) {
        added.cells.push(Cell { value: term.value, sensitive: scope.sensitive[term.refs.0] });
        added.fixed.push(Fixed::Free);
        let cell = added.cells.len() - 1;
        added.relations.push(Relation::new(cell, parts));
        self.made.insert((indicator, term.unit, term.period.1, side), cell);
        let period = term.period.1;
        self.terms.push(MatchedTerm { indicator: indicator.to_owned(), unit: unit.to_owned(), period, cell });
    }
}

/// A term that no reading of the units gives, read over time: the unit's terms of the halves, quarters or months of
/// the period (one type), each the term made for that sub-period or, where the ratio left nobody out there, the
/// unit's count of the sub-period; kept where they add up. A province's first quarter that took its own February and
/// its district's March (the other district left out) is its February's count and its March's term (fuzz8s seed 63:
/// the quarter's 21 resolved less the province's own February of 16 gave the district's hidden March of 5).
fn tiled_parts(
    points: &[RawPoint],
    made: &HashMap<(&str, usize, Period, usize), usize>,
    (index, period_position): (&CellIndex, &HashMap<Period, usize>),
    cells: &[Cell],
    (indicator, term, side): (&str, Term, usize),
) -> Option<Vec<usize>> {
    let (ri, period) = (term.refs.0, term.period.1);
    [PeriodType::Half, PeriodType::Quarter, PeriodType::Month].into_iter().find_map(|tiling| {
        let tiles = period.tiling(tiling);
        if tiles.len() < 2 {
            return None;
        }
        let mut parts = Vec::new();
        for tile in tiles {
            let Some(point) = points.iter().find(|p| p.period == tile) else { continue };
            if [point.numerator, point.denominator][side].is_none() {
                continue;
            }
            if let Some(&cell) = made.get(&(indicator, term.unit, tile, side)) {
                parts.push(cell);
            } else if point.coverage.as_ref().is_some_and(|c| !c.unmatched.is_empty()) {
                return None;
            } else {
                parts.push(index.get(ri, term.unit, *period_position.get(&tile)?)?);
            }
        }
        let sum: f64 = parts.iter().map(|&c| cells[c].value).sum();
        (!parts.is_empty() && parts.len() <= MAX_MATCHED_PARTS && agrees(sum, term.value)).then_some(parts)
    })
}

/// One term of a matched ratio as [`matched_parts`] reads it: the positions of its reference and of the ratio's other
/// part's (`None` where that one is not audited), of the unit, and of the period with the period itself; its value.
#[derive(Clone, Copy)]
struct Term {
    refs: (usize, Option<usize>),
    unit: usize,
    period: (usize, Period),
    value: f64,
}

/// The cells that make a matched term: the units of the matched part, read from the unit's children that existed
/// throughout the period (or else its current children, or its predecessors), each child that holds a unit the ratio
/// left out (`holding`) read through its own children in turn. A left-out leaf is dropped, or enters with the
/// sub-periods in which it reported both parts: a district that reported the resolved cases of May and June but the
/// received ones of May only adds its May to its province's second quarter (fuzz8 seed 23: the province's matched
/// quarter was its hidden May). `None` where no reading's values add up to the term's value, as a reader would check.
fn matched_parts(
    scope: &Scope,
    (index, period_position): (&CellIndex, &HashMap<Period, usize>),
    cells: &[Cell],
    term: Term,
    holding: &HashSet<&str>,
) -> Option<Vec<usize>> {
    let tree = &scope.tree;
    let (ri, other) = term.refs;
    let (pi, period) = term.period;
    let mut groups = vec![members_in(scope, term.unit, period).to_vec(), tree.predecessors[term.unit].clone()];
    groups.retain(|group| !group.is_empty());
    groups.into_iter().find_map(|group| {
        let (mut frontier, mut left) = (Vec::new(), Vec::new());
        for member in group {
            matched_units(scope, (member, period), holding, (&mut frontier, &mut left));
        }
        let parts: Vec<usize> = frontier.iter().filter_map(|&unit| index.get(ri, unit, pi)).collect();
        // The left-out leaves dropped, else each with its matched tiles of one type.
        let tilings = [None, Some(PeriodType::Half), Some(PeriodType::Quarter), Some(PeriodType::Month)];
        tilings.into_iter().find_map(|tiling| {
            let mut parts = parts.clone();
            if let Some(tiling) = tiling {
                let tiles = period.tiling(tiling);
                if left.is_empty() || tiles.len() < 2 {
                    return None;
                }
                let matched = |unit: usize, tile: &Period| {
                    let at = *period_position.get(tile)?;
                    if other.is_some_and(|other| index.get(other, unit, at).is_none()) {
                        return None;
                    }
                    index.get(ri, unit, at)
                };
                parts.extend(left.iter().flat_map(|&unit| tiles.iter().filter_map(move |tile| matched(unit, tile))));
            }
            let sum: f64 = parts.iter().map(|&c| cells[c].value).sum();
            (!parts.is_empty() && agrees(sum, term.value)).then_some(parts)
        })
    })
}

/// The children of `unit` that existed throughout `period` (a merged province beside its predecessors would count
/// them twice), or else its current children.
fn members_in(scope: &Scope, unit: usize, period: Period) -> Vec<usize> {
    stable_map(&scope.tree.all_children[unit], period).unwrap_or_else(|| scope.tree.children[unit].clone())
}

/// Adds to `out` the units of `unit`'s matched part: the unit itself where it holds no unit of `holding` (a class of
/// sibling leaves holds one where a leaf of it is one), else its children's, in turn. A left-out leaf, or a class of
/// one leaf, goes to `left` (its matched sub-periods may be part of the term); a larger class holding one is dropped.
fn matched_units(
    scope: &Scope,
    (unit, period): (usize, Period),
    holding: &HashSet<&str>,
    (out, left): (&mut Vec<usize>, &mut Vec<usize>),
) {
    let leaves = &scope.class_members[unit];
    let holds = holding.contains(scope.ids[unit].as_str()) || leaves.iter().any(|leaf| holding.contains(leaf.as_str()));
    if !holds {
        out.push(unit);
        return;
    }
    let children = members_in(scope, unit, period);
    if children.is_empty() && leaves.len() <= 1 {
        left.push(unit);
    }
    for child in children {
        matched_units(scope, (child, period), holding, (&mut *out, &mut *left));
    }
}

/// Whether a unit of `left_out` (positions of units, or of classes of sibling leaves holding one) has a small count
/// (`rules`' primary) of one of the references `refs` in `period` or in a period of the run inside it.
fn leaves_out_small(
    index: &CellIndex,
    (cells, rules): (&[Cell], &Rules),
    (refs, period_position, period): (&[Option<usize>], &HashMap<Period, usize>, Period),
    left_out: &[usize],
) -> bool {
    let inside: Vec<usize> =
        period_position.iter().filter(|(p, _)| period.contains(p)).map(|(_, &position)| position).collect();
    left_out.iter().any(|&unit| {
        refs.iter().flatten().any(|&ri| {
            inside.iter().filter_map(|&pi| index.get(ri, unit, pi)).any(|cell| rules.is_primary(&cells[cell]))
        })
    })
}

/// The units that hold a unit of `left_out` (by id): each of them, the units above it and the units it merged or
/// split into, all the way up.
fn holding_units<'c>(catalogue: &'c Catalogue, left_out: &[String]) -> HashSet<&'c str> {
    let mut holding = HashSet::new();
    let mut stack: Vec<&str> =
        left_out.iter().filter_map(|id| catalogue.org_units.get(id).map(|unit| unit.id.as_str())).collect();
    while let Some(id) = stack.pop() {
        if !holding.insert(id) {
            continue;
        }
        if let Some(unit) = catalogue.org_units.get(id) {
            stack.extend(unit.parent.as_deref());
            stack.extend(unit.successors.iter().map(String::as_str));
        }
    }
    holding
}
