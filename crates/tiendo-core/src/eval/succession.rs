//! The org-unit structure values roll up through: each unit's territory (itself and the old units it succeeded),
//! the units a parent sums, when each unit existed, splits, and restatements of the 2025 merger.
//!
//! Rules (`docs/methodology.md`, section 2):
//! - a unit with one final successor (a merger: Quảng Nam into the new Đà Nẵng) belongs to that successor's
//!   territory;
//! - a unit with several final successors (a split) belongs to no successor's territory: its data rolls up only to
//!   the nearest unit that contains all of them, and each successor's series is not comparable before the split;
//! - for one period, reports by units that existed throughout it win over reports by units that did not (DHIS2's
//!   org-unit merge asks that the target unit hold no data for the merged units' periods, dhis2/dhis2-core#20438):
//!   a new province's restatement of the first half of 2025 is not added to its predecessors' reports.

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Span};
use crate::eval::aggregate::Aggregate;
use crate::eval::combine::combine_over_time;
use crate::eval::group_index::GroupIndex;
use crate::eval::store::{FastMap, Observation, ObservationStore};
use crate::model::{Catalogue, OrgUnitLevel, TimeAggregation};
use crate::period::Period;

/// The catalogue's org units, indexed densely, with what roll-ups need of them.
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// Catalogue org unit ids, in id order; the vectors below are indexed alike.
    pub ids: Vec<String>,
    pub index: FastMap<String, u32>,
    pub levels: Vec<OrgUnitLevel>,
    /// First and last day each unit existed (`None`: open).
    pub valid: Vec<(Option<NaiveDate>, Option<NaiveDate>)>,
    /// The units whose data counts for each unit: itself and the units merged into it, in index order.
    pub territory: Vec<Vec<u32>>,
    /// What each unit's value sums when its territory reported nothing: its current children (units without
    /// successors, and split units) and its predecessors.
    pub contributors: Vec<Vec<u32>>,
    /// Per unit: the units that split into it (with others), so that its series is not comparable before.
    pub split_from: Vec<Vec<u32>>,
    /// Per unit: the one unit it merged into, if any (whose territory it belongs to).
    pub merged_into: Vec<Option<u32>>,
    /// Per unit: whether it split into several units (its territory passes to none of them).
    pub split_into: Vec<bool>,
}

impl Units {
    /// Builds the structure from the catalogue's org units and their `successors`.
    pub fn build(catalogue: &Catalogue) -> Units {
        let ids: Vec<String> = catalogue.org_units.keys().cloned().collect();
        let index: FastMap<String, u32> = ids.iter().enumerate().map(|(i, id)| (id.clone(), i as u32)).collect();
        let count = ids.len();
        let mut units = Units {
            levels: catalogue.org_units.values().map(|u| u.level).collect(),
            valid: catalogue.org_units.values().map(|u| (u.valid_from, u.valid_to)).collect(),
            territory: (0..count as u32).map(|i| vec![i]).collect(),
            contributors: vec![Vec::new(); count],
            split_from: vec![Vec::new(); count],
            merged_into: vec![None; count],
            split_into: vec![false; count],
            ids,
            index,
        };
        for (position, unit) in catalogue.org_units.values().enumerate() {
            let position = position as u32;
            let successors: Vec<u32> = catalogue
                .final_successors(&unit.id)
                .iter()
                .filter_map(|s| units.index.get(s).copied())
                .filter(|&s| s != position)
                .collect();
            if successors.len() == 1 {
                units.merged_into[position as usize] = Some(successors[0]);
                units.territory[successors[0] as usize].push(position);
                units.contributors[successors[0] as usize].push(position);
                continue;
            }
            for &successor in &successors {
                units.split_from[successor as usize].push(position);
            }
            units.split_into[position as usize] = successors.len() > 1;
            // A unit without successors sums into its parent; a split unit into the nearest ancestor that contains
            // every one of its successors.
            let parent = if successors.is_empty() {
                unit.parent.clone()
            } else {
                catalogue.ancestors(&unit.id).into_iter().find(|ancestor| {
                    successors.iter().all(|&s| catalogue.ancestors(&units.ids[s as usize]).contains(ancestor))
                })
            };
            if let Some(&parent) = parent.as_ref().and_then(|p| units.index.get(p)) {
                units.contributors[parent as usize].push(position);
            }
        }
        for list in units.territory.iter_mut().chain(units.contributors.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        units
    }

    /// Whether `unit` existed on at least one day of `period`.
    pub fn overlaps(&self, unit: u32, period: Period) -> bool {
        let (from, to) = self.valid[unit as usize];
        from.is_none_or(|from| from <= period.end()) && to.is_none_or(|to| to >= period.start())
    }

    /// Whether `unit` existed on every day from `start` to `end`.
    pub fn existed_throughout(&self, unit: u32, start: NaiveDate, end: NaiveDate) -> bool {
        let (from, to) = self.valid[unit as usize];
        from.is_none_or(|from| from <= start) && to.is_none_or(|to| to >= end)
    }

    /// The part of `period` a unit's reports are judged against: the days it existed, widened to the days its
    /// `reports` cover (a report outside its life still counts where nobody else reported), within `period`.
    pub fn window(&self, unit: u32, period: Period, reports: &[(Period, impl Sized)]) -> Period {
        let (from, to) = self.valid[unit as usize];
        let mut start = from.map_or(period.start(), |from| from.max(period.start()));
        let mut end = to.map_or(period.end(), |to| to.min(period.end()));
        for (report, _) in reports {
            start = start.min(report.start());
            end = end.max(report.end());
        }
        let (start, end) = (start.max(period.start()), end.min(period.end()));
        if (start, end) == (period.start(), period.end()) || start > end { period } else { Period::Range(start, end) }
    }
}

/// W332: a unit's report for a period before it existed (a new province restating the first half of 2025 for its
/// whole territory) that differs from what its predecessors reported for the same element, period and
/// disaggregation. The predecessors' reports are used; the warning names both figures.
pub(crate) fn restatement_conflicts(
    units: &Units,
    store: &ObservationStore,
    entries: &[Observation],
    groups: &GroupIndex,
    elements: &[u32],
) -> Vec<Diagnostic> {
    let rows = Rows { units, store, entries, groups };
    let mut out = split_restatements(&rows, elements);
    for (successor, members) in units.territory.iter().enumerate() {
        let successor = successor as u32;
        if members.len() < 2 {
            continue;
        }
        let predecessors: Vec<u32> = members.iter().copied().filter(|&m| m != successor).collect();
        for restated in rows.restated(successor, elements) {
            let within = rows.reported_within(&predecessors, &restated);
            // Old units' reports that cover the restated period without lying within it (a half around a
            // restated month): the restatement is left out for them too, and said so.
            let period = restated.period;
            let covering: Vec<String> = rows
                .predecessor_reports(&predecessors, &restated, &|q| q.overlaps(&period) && !period.contains(q))
                .map(|(p, q, _)| format!("{} {q}", units.ids[p as usize]))
                .collect();
            if within.reporting.is_empty() && !covering.is_empty() {
                out.push(rows.left_out(&restated, &covering));
            } else if !within.reporting.is_empty() && within.sum != restated.entry.value {
                out.push(rows.differs(&restated, &within));
            }
        }
    }
    out
}

/// W332 for a split's successors: a report for a period before the successor existed, overlapping its predecessors'
/// reports, is not added to a sum in any period those reports give a value for (crate::eval::split), since the
/// predecessor's value already holds those days; the warning names the reports.
fn split_restatements(rows: &Rows<'_>, elements: &[u32]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (successor, predecessors) in rows.units.split_from.iter().enumerate() {
        if predecessors.is_empty() {
            continue;
        }
        for restated in rows.restated(successor as u32, elements) {
            let period = restated.period;
            let overlapping: Vec<String> = rows
                .predecessor_reports(predecessors, &restated, &|q| q.overlaps(&period))
                .map(|(p, q, value)| format!("{} {q} ({value})", rows.units.ids[p as usize]))
                .collect();
            if !overlapping.is_empty() {
                out.push(rows.split_overlap(&restated, &overlapping));
            }
        }
    }
    out
}

/// One restated row: a successor's `entry` (at `position` in the store) for a `period` before it existed.
struct Restated<'a> {
    successor: u32,
    element: u32,
    entry: &'a Observation,
    period: Period,
    position: usize,
}

/// What the predecessors reported within a restated period: their sum, `unit value` for each that reported
/// (marked when only part of the period), and the ids of those that reported nothing.
struct Within<'a> {
    sum: f64,
    reporting: Vec<String>,
    silent: Vec<&'a str>,
}

/// The grouped store, read by catalogue unit index.
struct Rows<'a> {
    units: &'a Units,
    store: &'a ObservationStore,
    entries: &'a [Observation],
    groups: &'a GroupIndex,
}

impl<'a> Rows<'a> {
    /// The positions of `unit`'s rows of `element`, if it has any.
    fn range(&self, element: u32, unit: u32) -> Option<(usize, usize)> {
        self.store.org_units.get(&self.units.ids[unit as usize]).and_then(|s| self.groups.get(element, s))
    }

    /// Each old unit's reports within the restated period (all four quarters, a half, the period itself), combined
    /// over time as its own value would be.
    fn reported_within(&self, predecessors: &[u32], restated: &Restated<'_>) -> Within<'a> {
        let Restated { element, entry, period, .. } = *restated;
        let mut within = Within { sum: 0.0, reporting: Vec::new(), silent: Vec::new() };
        for &p in predecessors {
            let own: Vec<(Period, Aggregate)> = self
                .range(element, p)
                .map(|(s, e)| {
                    self.entries[s..e]
                        .iter()
                        .filter(|o| o.combo == entry.combo && period.contains(&self.store.periods[o.period as usize]))
                        .map(|o| {
                            (self.store.periods[o.period as usize], Aggregate { value: o.value, ..Aggregate::ZERO })
                        })
                        .collect()
                })
                .unwrap_or_default();
            match combine_over_time(&own, period, TimeAggregation::Sum) {
                Some(value) => {
                    within.sum += value.value;
                    let part = if value.partial_time { " (part of the period)" } else { "" };
                    within.reporting.push(format!("{} {}{part}", self.units.ids[p as usize], value.value));
                }
                None => within.silent.push(self.units.ids[p as usize].as_str()),
            }
        }
        within
    }

    /// `successor`'s rows of `elements` for periods it did not exist throughout: its restatements.
    fn restated<'r>(&'r self, successor: u32, elements: &'r [u32]) -> impl Iterator<Item = Restated<'a>> + 'r {
        elements.iter().flat_map(move |&element| {
            let (start, end) = self.range(element, successor).unwrap_or((0, 0));
            (start..end).filter_map(move |position| {
                let entry = &self.entries[position];
                let period = self.store.periods[entry.period as usize];
                (!self.units.existed_throughout(successor, period.start(), period.end())).then_some(Restated {
                    successor,
                    element,
                    entry,
                    period,
                    position,
                })
            })
        })
    }

    /// The predecessors' reports of the restated element and disaggregation whose period `keep` accepts, as
    /// (unit, period, value).
    fn predecessor_reports<'r>(
        &'r self,
        predecessors: &'r [u32],
        restated: &'r Restated<'_>,
        keep: &'r dyn Fn(&Period) -> bool,
    ) -> impl Iterator<Item = (u32, Period, f64)> + 'r {
        predecessors.iter().filter_map(|&p| self.range(restated.element, p).map(|r| (p, r))).flat_map(
            move |(p, (s, e))| {
                self.entries[s..e]
                    .iter()
                    .filter(|o| o.combo == restated.entry.combo)
                    .map(move |o| (p, self.store.periods[o.period as usize], o.value))
                    .filter(|(_, q, _)| keep(q))
            },
        )
    }

    /// W332 for a split successor's restatement of days its predecessors reported.
    fn split_overlap(&self, restated: &Restated<'_>, overlapping: &[String]) -> Diagnostic {
        let Restated { successor, element, entry, period, position } = *restated;
        let (file, row) = self.store.origin(position);
        Diagnostic::warning(
            "W332",
            "restatement-differs",
            format!(
                "{} restates {} for {period} as {}, before it existed, on days its predecessor reported ({}); it is \
                 not added to a total of any period the predecessor gives a value for",
                self.units.ids[successor as usize],
                self.store.elements.name(element),
                entry.value,
                overlapping.join(", ")
            ),
        )
        .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
        .with_hint("the unit that existed in the period wins, so no day is counted twice; the restatement stays in the successor's own series")
    }

    /// W332 where the old units' reports cover the restated period only from outside it: the restatement is left
    /// out, and the warning names those reports.
    fn left_out(&self, restated: &Restated<'_>, covering: &[String]) -> Diagnostic {
        let Restated { successor, element, entry, period, position } = *restated;
        let (file, row) = self.store.origin(position);
        Diagnostic::warning(
            "W332",
            "restatement-differs",
            format!(
                "{} restates {} for {period} as {}, before it existed, inside the old units' reports ({}); \
                 it is left out",
                self.units.ids[successor as usize],
                self.store.elements.name(element),
                entry.value,
                covering.join(", ")
            ),
        )
        .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
        .with_hint("the units that existed in the period win; report the old units' figures for it")
    }

    /// W332 where the old units' reports within the restated period sum to another figure: theirs is used.
    fn differs(&self, restated: &Restated<'_>, within: &Within<'_>) -> Diagnostic {
        let Restated { successor, element, entry, period, position } = *restated;
        let (file, row) = self.store.origin(position);
        let sum = within.sum;
        let silent_text = if within.silent.is_empty() {
            String::new()
        } else {
            format!("; {} reported nothing", within.silent.join(", "))
        };
        let hint = format!(
            "the units that existed in {period} win: {sum} is used; correct the restatement or the old units' rows"
        );
        Diagnostic::warning(
            "W332",
            "restatement-differs",
            format!(
                "{} restates {} for {period} as {}, before it existed; its predecessors reported {} = {sum}{silent_text}",
                self.units.ids[successor as usize],
                self.store.elements.name(element),
                entry.value,
                within.reporting.join(" + "),
            ),
        )
        .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
        .with_hint(hint)
    }
}
