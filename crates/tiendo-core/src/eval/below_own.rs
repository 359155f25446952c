//! W350: a unit's own total of a count that the units below it already exceed. A unit's own report is its total
//! (evaluation uses it, not the sum of the units below), and a count is never negative, so the reports of units
//! inside it are a lower bound of it: Viet Nam's own 20 victims beside province 1's 30 cannot both be right, and a
//! reader adding up the provinces finds more than the nation (review of 6 December, helper 5: a district's 22 women
//! beside its province's own total of 20 was published without a word).

use crate::diagnostic::{Diagnostic, Span, WITHHELD_VALUES};
use crate::eval::aggregate::SourceMask;
use crate::eval::breakdown::{Shapes, period_cell};
use crate::eval::grouping::Tag;
use crate::eval::store::{Observation, ObservationStore};
use crate::eval::succession::Units;
use crate::period::Period;
use std::collections::{BTreeMap, BTreeSet};

/// A unit's own reading of one period: its value, whether it is only a lower bound (an incomplete breakdown), whether
/// a synthetic source is behind it, and the position of its first row in the store.
#[derive(Debug, Clone, Copy)]
struct Own {
    value: f64,
    at_least: bool,
    synthetic: bool,
    position: usize,
}

/// The own readings of one element, by (catalogue unit, period).
type Readings = BTreeMap<(u32, Period), Own>;

/// What the readings are taken from: the store, the units, the grouped entries and their tags, and the groups.
type Read<'a> = (&'a ObservationStore, &'a Units, &'a [Observation], &'a [Tag], &'a [(u32, u32, usize, usize)]);

/// W350 for every element summed over time whose unfiltered reference has `totals`' shapes: each unit's own complete
/// total of a period below the sum of what the units inside it report of that very period (each unit below by its
/// own reading, else by those of the units below it), counting only units that existed, under their parent, through
/// the whole period (a merger's restatements and moved units are other warnings' concern). Synthetic figures are
/// compared with nothing: a synthetic total is no claim about the unit, and synthetic reports below it never stand
/// for real ones (the bundled example's generated provinces beside the nation's published totals), so a unit below
/// whose own reading is synthetic is read through the units below it. The values of elements in `withheld` are not
/// quoted; `synthetic` holds the bits of the synthetic sources.
pub(crate) fn units_below_exceed(
    (store, units): (&ObservationStore, &Units),
    (entries, tags): (&[Observation], &[Tag]),
    groups: &[(u32, u32, usize, usize)],
    (totals, withheld, synthetic): (&[(u32, &Shapes)], &[u32], SourceMask),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); units.ids.len()];
    for (child, parent) in units.parents.iter().enumerate() {
        if let Some(parent) = parent {
            children[*parent as usize].push(child as u32);
        }
    }
    let read = (store, units, entries, tags, groups);
    for &(element, shapes) in totals {
        // The units with units below them first: only the periods they report are read of the others, and none when
        // no such unit reports (a store of communes' months, read once more for nothing otherwise).
        let is_parent = |unit: u32| !children[unit as usize].is_empty();
        let mut readings = own_readings(read, (element, shapes, synthetic), &|unit, _| is_parent(unit));
        if readings.is_empty() {
            continue;
        }
        let periods: BTreeSet<Period> = readings.keys().map(|&(_, period)| period).collect();
        let below = own_readings(read, (element, shapes, synthetic), &|unit, period| {
            !is_parent(unit) && periods.contains(&period)
        });
        readings.extend(below);
        for (&(unit, period), own) in &readings {
            if own.at_least || own.synthetic || children[unit as usize].is_empty() || !throughout(units, unit, &period)
            {
                continue;
            }
            let mut below = Vec::new();
            let sum = lower_bound(units, &children, &readings, (unit, &period), &mut below);
            if sum > own.value + crate::eval::exact::rounding_tolerance(own.value) {
                let what = Exceeded { element, unit, period, own: *own, sum, below: &below };
                out.push(what.diagnostic(store, units, withheld.contains(&element)));
            }
        }
    }
    out
}

/// Every unit's own reading of each period of `element` that `wanted` asks for (its total row, else its breakdowns
/// as evaluation reads them), keyed by catalogue unit.
fn own_readings(
    (store, units, entries, tags, groups): Read<'_>,
    (element, shapes, synthetic): (u32, &Shapes, SourceMask),
    wanted: &dyn Fn(u32, Period) -> bool,
) -> Readings {
    let mut readings = Readings::new();
    for &(_, store_unit, start, end) in groups.iter().filter(|g| g.0 == element) {
        let Some(&unit) = units.index.get(store.org_units.name(store_unit)) else { continue };
        let slice = &entries[start..end];
        let mut position = 0;
        while position < slice.len() {
            let here = slice[position].period;
            if !wanted(unit, store.periods[here as usize]) {
                position += slice[position..].iter().take_while(|e| e.period == here).count();
                continue;
            }
            let (value, next) = period_cell(slice, &tags[start..end], position, shapes);
            if let Some(value) = value {
                let period = store.periods[slice[position].period as usize];
                let own = Own {
                    value: value.value,
                    at_least: value.partial_breakdown,
                    synthetic: value.sources & synthetic != 0,
                    position: start + position,
                };
                readings.insert((unit, period), own);
            }
            position = next.max(position + 1);
        }
    }
    readings
}

/// Whether `unit` existed through the whole of `period`.
fn throughout(units: &Units, unit: u32, period: &Period) -> bool {
    let (from, to) = units.valid[unit as usize];
    from.is_none_or(|from| from <= period.start()) && to.is_none_or(|to| to >= period.end())
}

/// The least that the units below `unit` report of `period`: each child that existed through it by its own reading,
/// else by the units below it (also where its own reading is synthetic); the units read are added to `below` (catalogue unit, value, lower bound or not).
fn lower_bound(
    units: &Units,
    children: &[Vec<u32>],
    readings: &Readings,
    (unit, period): (u32, &Period),
    below: &mut Vec<(u32, f64, bool)>,
) -> f64 {
    let mut sum = 0.0;
    for &child in children[unit as usize].iter().filter(|&&c| throughout(units, c, period)) {
        match readings.get(&(child, *period)).filter(|own| !own.synthetic) {
            Some(own) => {
                below.push((child, own.value, own.at_least));
                sum += own.value;
            }
            None => sum += lower_bound(units, children, readings, (child, period), below),
        }
    }
    sum
}

/// One unit's own total that the units below it exceed.
struct Exceeded<'a> {
    element: u32,
    unit: u32,
    period: Period,
    own: Own,
    sum: f64,
    below: &'a [(u32, f64, bool)],
}

/// How many units below a message names.
const NAMED: usize = 5;

impl Exceeded<'_> {
    fn diagnostic(&self, store: &ObservationStore, units: &Units, withheld: bool) -> Diagnostic {
        let name = |unit: u32| units.ids[unit as usize].as_str();
        let element = store.elements.name(self.element);
        let mut listed: Vec<String> = self
            .below
            .iter()
            .take(NAMED)
            .map(|&(unit, value, at_least)| match (withheld, at_least) {
                (true, _) => name(unit).to_string(),
                (false, false) => format!("{} {value}", name(unit)),
                (false, true) => format!("{} at least {value}", name(unit)),
            })
            .collect();
        if self.below.len() > NAMED {
            listed.push(format!("and {} more", self.below.len() - NAMED));
        }
        let (unit, period, listed) = (name(self.unit), self.period, listed.join(", "));
        let message = if withheld {
            format!(
                "{element} at {unit}: {period}'s own report is less than what the units below it report of the same \
                 period ({listed}); {WITHHELD_VALUES}"
            )
        } else {
            let at_least = if self.below.iter().any(|b| b.2) { "at least " } else { "" };
            format!(
                "{element} at {unit}: {period} is reported as {}, but the units below it report {at_least}{} of the \
                 same period ({listed})",
                self.own.value, self.sum
            )
        };
        let (file, row) = store.origin(self.own.position);
        let span = Span { file, start: 0, end: 0, line: row as usize, column: 1 };
        Diagnostic::warning("W350", "units-below-exceed", message).with_span(Some(span)).with_hint(format!(
            "a unit's own report is its total, which evaluation uses for {unit}, and a count of the units inside it \
             cannot be more than that total: correct {unit}'s report or those of the units below it"
        ))
    }
}
