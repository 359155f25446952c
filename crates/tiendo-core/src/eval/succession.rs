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
use crate::eval::combine::{Length, combine_over_time};
use crate::eval::group_index::GroupIndex;
use crate::eval::store::{FastMap, Observation, ObservationStore, TOTAL_COMBO};
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
    /// Per unit: whether it split into several units, or passed to a unit under another parent (its territory
    /// passes to none of them).
    pub split_into: Vec<bool>,
    /// Per unit: its direct successors (the catalogue's `successors`), in index order.
    pub successors: Vec<Vec<u32>>,
    /// Per unit: its lineage, the smallest index among the units linked to it by succession either way (the units
    /// before and after a merger or a split, whose reports cover one area over time).
    pub lineage: Vec<u32>,
    /// Per unit: its parent in the catalogue, if any.
    pub parents: Vec<Option<u32>>,
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
            successors: catalogue
                .org_units
                .values()
                .map(|u| {
                    let mut next: Vec<u32> = u.successors.iter().filter_map(|s| index.get(s).copied()).collect();
                    next.sort_unstable();
                    next.dedup();
                    next
                })
                .collect(),
            lineage: (0..count as u32).collect(),
            parents: catalogue
                .org_units
                .values()
                .map(|u| u.parent.as_ref().and_then(|p| index.get(p).copied()))
                .collect(),
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
            // A successor under another parent (a district that moved to another province, communes of an
            // abolished district merged into a commune placed under the province): the old unit's reports belong
            // to its own parent on the days it existed there, so it sums into that parent, as a split unit does,
            // and its successor's series starts after it (round 45: its parent lost it without a word, and the
            // successor's new parent was given days before the unit joined it).
            let inside_parent =
                |s: &u32| unit.parent.as_ref().is_none_or(|p| catalogue.ancestors(&units.ids[*s as usize]).contains(p));
            // Any unit along the chain counts, not only the last: a district that moved away and back (C, then A,
            // then C again) left C for a while (round 45: its days in C were lost).
            let moved = {
                let (mut pending, mut seen, mut out) = (units.successors[position as usize].clone(), Vec::new(), false);
                while let Some(next) = pending.pop() {
                    if next == position || seen.contains(&next) {
                        continue;
                    }
                    seen.push(next);
                    out |= !inside_parent(&next);
                    pending.extend_from_slice(&units.successors[next as usize]);
                }
                out || !successors.iter().all(inside_parent)
            };
            if successors.len() == 1 && !moved {
                units.merged_into[position as usize] = Some(successors[0]);
                units.territory[successors[0] as usize].push(position);
                units.contributors[successors[0] as usize].push(position);
                continue;
            }
            for &successor in &successors {
                units.split_from[successor as usize].push(position);
            }
            units.split_into[position as usize] = successors.len() > 1 || moved;
            // A unit without successors, or with one outside its parent, sums into its parent; a split unit into
            // the nearest ancestor that contains every one of its successors.
            let parent = if successors.is_empty() || moved {
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
        units.lineage = lineages(catalogue, &units.index);
        units
    }

    /// Whether `to` is `from`'s successor, or a successor of one of its successors: a later unit of its lineage.
    pub fn leads_to(&self, from: u32, to: u32) -> bool {
        let mut pending = self.successors[from as usize].clone();
        let mut seen: Vec<u32> = Vec::new();
        while let Some(next) = pending.pop() {
            if next == to {
                return true;
            }
            if !seen.contains(&next) {
                seen.push(next);
                pending.extend_from_slice(&self.successors[next as usize]);
            }
        }
        false
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

    /// Whether `unit`'s report of `period` is its figure for days it existed in, not a restatement: it existed on
    /// every day of the period, or, for a stock (`time_aggregation = "last"`: the value on the period's last day), on
    /// that day (round 52, found by a review helper: AB's own stock for 2025, the stock on 31 December 2025, was
    /// dropped as a restatement and one district's December stood for the whole country).
    pub fn existed_for(&self, unit: u32, period: Period, time: TimeAggregation) -> bool {
        let first = if time == TimeAggregation::Last { period.end() } else { period.start() };
        self.existed_throughout(unit, first, period.end())
    }

    /// Whether `unit`'s report of `period` restates days before it existed: the period begins before the unit's
    /// first day (for a stock, `time_aggregation = "last"`, the period's last day, the stock's, is before it).
    pub fn restates(&self, unit: u32, period: Period, time: TimeAggregation) -> bool {
        let day = if time == TimeAggregation::Last { period.end() } else { period.start() };
        self.valid[unit as usize].0.is_some_and(|first| day < first)
    }

    /// The part of `period` a unit's reports are judged against: the days it existed, widened to the days its
    /// `reports` cover (a report outside its life still counts where nobody else reported), within `period`.
    pub fn window(&self, unit: u32, period: Period, reports: &[(Period, impl Sized)]) -> Period {
        let (from, to) = self.valid[unit as usize];
        let mut start = from.map_or(period.start(), |from| from.max(period.start()));
        let mut end = to.map_or(period.end(), |to| to.min(period.end()));
        if start > end && !reports.is_empty() {
            // It did not exist in the period: its reports' days alone (A's districts' September after A ended is
            // whole over September, not a third of the quarter; round 52, found by a review helper: "PARTIAL:" with
            // nothing named beside a complete quarter).
            (start, end) = (NaiveDate::MAX, NaiveDate::MIN);
        }
        for (report, _) in reports {
            start = start.min(report.start());
            end = end.max(report.end());
        }
        let (start, end) = (start.max(period.start()), end.min(period.end()));
        if (start, end) == (period.start(), period.end()) || start > end { period } else { Period::Range(start, end) }
    }
}

/// Each member's value in `period` (`valued`: the member, and its value with the part of the period it covers) as
/// it enters its territory's sum, by the element's rule over time (methodology §2.6, "Over time"), and whether it
/// covers less than the period:
///
/// - `sum`: its value over the part of the period it existed in;
/// - `last` (a stock at the period's end): only the last value of each lineage counts, so an old unit counts only
///   when no unit it led to (its successor) has a value, unless both values are sums of the units below them
///   (different areas); an old unit's value that ends before the period does is marked `partial_time` (the stock at
///   an earlier day stands for the period's end);
/// - `average`: its average over its part, weighted by that part's length over the length of the days the members
///   with a value cover ([`Length`]): A and B at 100 for the first half and AB at 200 for the second average 200
///   over the year, not 400;
/// - `none` (reported only): only a member's value over the whole period counts.
pub(crate) fn count_members(
    units: &Units,
    time: TimeAggregation,
    period: Period,
    valued: &[(u32, Option<(Aggregate, Period)>)],
) -> Vec<Option<(Aggregate, bool)>> {
    match time {
        TimeAggregation::Sum => {
            valued.iter().map(|(_, v)| v.map(|(value, window)| (value, window != period))).collect()
        }
        // Only a value over the whole period is the period's.
        TimeAggregation::None => valued
            .iter()
            .map(|(_, v)| v.filter(|&(_, window)| window == period).map(|(value, _)| (value, false)))
            .collect(),
        TimeAggregation::Last => valued
            .iter()
            .map(|&(unit, v)| {
                let (mut value, window) = v?;
                // A later unit's own stock stands for an old unit's; the stocks of the units below each (an old
                // province's districts and its successor's new one) are different areas, all counted.
                let stands_for = |w: &Option<(Aggregate, Period)>| {
                    w.is_some_and(|(later, _)| !(later.from_children && value.from_children))
                };
                if valued.iter().any(|(other, w)| *other != unit && stands_for(w) && units.leads_to(unit, *other)) {
                    return None;
                }
                value.partial_time |= window.end() < period.end();
                Some((value, window != period))
            })
            .collect(),
        TimeAggregation::Average => {
            let windows: Vec<Period> = valued.iter().filter_map(|(_, v)| v.map(|(_, window)| window)).collect();
            let unit = Length::for_parts(windows.iter().copied().chain([period]));
            let covered = unit.of_union(&windows);
            valued
                .iter()
                .map(|(_, v)| {
                    v.map(|(mut value, window)| {
                        if window != period && covered > 0.0 {
                            value.value *= unit.of_period(window) / covered;
                        }
                        (value, window != period)
                    })
                })
                .collect()
        }
    }
}

/// Per unit (in id order, as `index`): the smallest index of the units linked to it by `successors`, either way
/// (union-find over every successor link, a chain of changes included).
fn lineages(catalogue: &Catalogue, index: &FastMap<String, u32>) -> Vec<u32> {
    let mut root: Vec<u32> = (0..index.len() as u32).collect();
    fn find(root: &mut [u32], mut unit: u32) -> u32 {
        while root[unit as usize] != unit {
            root[unit as usize] = root[root[unit as usize] as usize];
            unit = root[unit as usize];
        }
        unit
    }
    for (position, unit) in catalogue.org_units.values().enumerate() {
        for successor in unit.successors.iter().filter_map(|s| index.get(s)) {
            let (a, b) = (find(&mut root, position as u32), find(&mut root, *successor));
            root[a.max(b) as usize] = a.min(b);
        }
    }
    (0..root.len() as u32).map(|unit| find(&mut root, unit)).collect()
}

/// W332: a unit's report for a period before it existed (a new province restating the first half of 2025 for its
/// whole territory) that differs from the value used for the same element, period and disaggregation: what its
/// predecessors reported over the days each existed, plus its own reports over the days it existed. That value is
/// used; the warning names both figures and, unit by unit, the days each figure covers, so that like is compared
/// with like (a restated year with the old units' first half and the new unit's own second half).
pub(crate) fn restatement_conflicts(
    units: &Units,
    store: &ObservationStore,
    entries: &[Observation],
    groups: &GroupIndex,
    (elements, withheld, summed_over_units): (&[(u32, TimeAggregation)], &[u32], &[u32]),
) -> Vec<Diagnostic> {
    let rows = Rows { units, store, entries, groups, times: elements, withheld, summed_over_units };
    let elements: Vec<u32> = elements.iter().map(|&(element, _)| element).collect();
    let elements = elements.as_slice();
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
            let named = |found: Vec<(u32, Period)>| -> Vec<String> {
                found.into_iter().map(|(p, q)| format!("{} {q}", units.ids[p as usize])).collect()
            };
            // A total stands for the whole area where its unit's own reports leave its days out (by any shape: its
            // half by sex covers them; round 61, found by a review helper: "150 is used" beside a published 131).
            let mut own_shapes = rows.other_shapes(&[successor], &restated);
            own_shapes.retain(|&(_, q)| units.existed_throughout(successor, q.start(), q.end()));
            let own_shapes = named(own_shapes);
            let short = within.successor_short && own_shapes.is_empty();
            let whole = short && restated.entry.combo == TOTAL_COMBO;
            if !within.predecessors_reported && !covering.is_empty() {
                out.push(rows.left_out(&restated, &covering));
            } else if within.predecessors_reported && whole && covering.is_empty() {
                out.push(rows.whole_area(&restated, &within));
            } else if within.successor_short && covering.is_empty() && !within.predecessors_reported {
                // The old units' rows inside the period are of other shapes only (by sex, with no total): a total
                // stands for them all the same, and is named; a part of a breakdown (women only) never stands for the
                // whole area and is left out beside them (round 61, found by review helpers).
                let other_shapes = named(rows.other_shapes(&predecessors, &restated));
                if !other_shapes.is_empty() && whole {
                    out.push(rows.whole_area_beside_shapes(&restated, &other_shapes));
                } else if !other_shapes.is_empty() && own_shapes.is_empty() {
                    out.push(rows.part_beside_shapes(&restated, &other_shapes));
                }
            } else if within.predecessors_reported && within.successor_short && !own_shapes.is_empty() {
                out.push(rows.beside_own_shapes(&restated, &own_shapes));
            } else if within.predecessors_reported && within.sum != restated.entry.value {
                out.push(rows.differs(&restated, &within));
            }
        }
    }
    out
}

/// W332 for a split's successors: a report for a period before the successor existed, overlapping its predecessors'
/// reports, is not added to a sum in any period that holds those reports (crate::eval::split), since the
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
            if !overlapping.is_empty() && rows.successors_report_whole(predecessors, &restated) {
                out.push(rows.split_whole(&restated, &overlapping));
            } else if !overlapping.is_empty() {
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

/// The value used for a restated period, member by member: each unit that existed in it (the predecessors, and the
/// successor itself over the days it existed) with its reports combined over those days, as the successor's own value
/// is; `sum` is the figure used, `reporting` says for each member which days its figure covers, and `silent` names
/// the members that reported nothing for their days.
struct Within {
    sum: f64,
    /// Whether a predecessor reported (only then is the restatement left out).
    predecessors_reported: bool,
    /// Whether some member's figure leaves days of its part out, or a member reported nothing: the value is partial.
    partial: bool,
    reporting: Vec<String>,
    silent: Vec<String>,
    /// Whether the successor's own reports leave days of its life in the period out: the restatement is then its
    /// report of its whole area over the whole period, used in place of the old units' reports inside it
    /// ([`crate::eval::territory`]'s whole-area reports).
    successor_short: bool,
}

/// What an old unit reports through the units below it in a restated period ([`Rows::through_below`]): the sum, the
/// units and figures ("dist-b1 3 + dist-b2 4; dist-b3 reported nothing") and whether it is partial.
struct Below {
    value: f64,
    text: String,
    partial: bool,
}

/// One member's part of a restated period: the member, its reports within it and the days they are judged against.
type MemberPart = (u32, Vec<(Period, Aggregate)>, Period);

/// The grouped store, read by catalogue unit index.
struct Rows<'a> {
    units: &'a Units,
    store: &'a ObservationStore,
    entries: &'a [Observation],
    groups: &'a GroupIndex,
    /// How each element read combines over time.
    times: &'a [(u32, TimeAggregation)],
    /// Sensitive elements whose values W332 does not quote ([`crate::diagnostic::WITHHELD_VALUES`]).
    withheld: &'a [u32],
    /// The elements summed over org units: only their old units report through the units below them.
    summed_over_units: &'a [u32],
}

impl<'a> Rows<'a> {
    /// The positions of `unit`'s rows of `element`, if it has any.
    fn range(&self, element: u32, unit: u32) -> Option<(usize, usize)> {
        self.store.org_units.get(&self.units.ids[unit as usize]).and_then(|s| self.groups.get(element, s))
    }

    /// What the value used for the restated period is made of: each old unit's reports within it, and the
    /// successor's own reports of the days it existed there, each combined over the days that unit existed
    /// ([`combine_over_time`], as the successor's own value combines them).
    fn reported_within(&self, predecessors: &[u32], restated: &Restated<'_>) -> Within {
        let Restated { successor, period, .. } = *restated;
        let mut within = Within {
            sum: 0.0,
            predecessors_reported: false,
            partial: false,
            reporting: Vec::new(),
            silent: Vec::new(),
            successor_short: false,
        };
        let own_days = self.units.overlaps(successor, period).then_some(successor);
        let time = self.time_of(restated.element);
        // Each member's reports and value over its days, then counted as the territory's value counts them.
        let mut parts: Vec<MemberPart> = Vec::new();
        let mut valued: Vec<(u32, Option<(Aggregate, Period)>)> = Vec::new();
        let mut through: Vec<Option<Below>> = Vec::new();
        let territory: Vec<u32> = predecessors.iter().copied().chain([successor]).collect();
        for unit in predecessors.iter().copied().chain(own_days) {
            // The successor's own part is read from the rows of days it existed, never from its restatements.
            let keep = |q: &Period| unit != successor || self.units.existed_for(unit, *q, time);
            let own = self.reports_within(unit, restated, &keep);
            let days = self.units.window(unit, period, &own);
            let mut value = combine_over_time(&own, days, time).map(|value| (value, days));
            // An old unit that reported nothing itself reports through the units below it, as its value does.
            let below = (own.is_empty() && unit != successor && self.summed_over_units.contains(&restated.element))
                .then(|| self.through_below(unit, &territory, restated, days))
                .flatten();
            if let Some(below) = &below {
                value = Some((Aggregate { value: below.value, ..Aggregate::ZERO }, days));
            }
            valued.push((unit, value));
            parts.push((unit, own, days));
            through.push(below);
        }
        let counted = count_members(self.units, time, period, &valued);
        for ((((unit, own, days), (_, value)), count), below) in parts.into_iter().zip(valued).zip(counted).zip(through)
        {
            let id = &self.units.ids[unit as usize];
            if let (Some(below), Some((counted, _))) = (below, count) {
                within.predecessors_reported = true;
                within.sum += counted.value;
                within.partial |= below.partial;
                within.reporting.push(format!("{id} {} (through {})", below.value, below.text));
                continue;
            }
            let Some((value, _)) = value else {
                within.partial = true;
                within.successor_short |= unit == successor;
                within.silent.push(format!("{id} reported nothing{}", days_note(days, period, "for")));
                continue;
            };
            within.predecessors_reported |= unit != successor;
            let Some((counted, _)) = count else {
                // A stock of an old unit whose successor has one: the successor's stands for the lineage.
                within
                    .reporting
                    .push(format!("{id} {} (not counted: a later unit's stock stands for it)", value.value));
                continue;
            };
            within.sum += counted.value;
            // Each report's bit in `sources` (see `reports_within`) says which reports the combination used.
            let used: Vec<(NaiveDate, NaiveDate)> = own
                .iter()
                .enumerate()
                .filter(|&(bit, _)| value.sources & (1 << bit.min(63)) != 0)
                .map(|(_, (q, _))| (q.start(), q.end()))
                .collect();
            let gaps = uncovered(days, &used);
            within.successor_short |= unit == successor && !gaps.is_empty();
            within.partial |= !gaps.is_empty() || (counted.partial_time && time == TimeAggregation::Last);
            let note = if gaps.is_empty() {
                days_note(days, period, "")
            } else {
                format!(" ({} only; nothing for {})", periods_text(&merged(used)), periods_text(&gaps))
            };
            let weighted =
                if counted.value == value.value { String::new() } else { format!(", weighing {}", counted.value) };
            within.reporting.push(format!("{id} {}{note}{weighted}", value.value));
        }
        within
    }

    /// What `unit`, an old unit of `territory` that reported nothing itself in the restated period, reports there
    /// through the units below it (its contributors outside the territory: B's districts), over `days` (its part of
    /// the period): each one's reports combined over those days, one without reports of its own descending in turn.
    /// A unit below that reports the element in other periods and gives nothing here, or leaves days out, makes the
    /// figure partial and is named. `None` where no unit below reported.
    fn through_below(&self, unit: u32, territory: &[u32], restated: &Restated<'_>, days: Period) -> Option<Below> {
        let time = self.time_of(restated.element);
        let (mut sum, mut named, mut silent, mut partial, mut any) = (0.0, Vec::new(), Vec::new(), false, false);
        for &child in self.units.contributors[unit as usize].iter().filter(|c| !territory.contains(c)) {
            let id = &self.units.ids[child as usize];
            let own = self.reports_within(child, restated, &|q| days.contains(q));
            let window = self.units.window(child, days, &own);
            let below = || self.through_below(child, territory, restated, window);
            match combine_over_time(&own, window, time) {
                Some(value) => {
                    let used: Vec<(NaiveDate, NaiveDate)> = own.iter().map(|(q, _)| (q.start(), q.end())).collect();
                    partial |= !uncovered(window, &merged(used)).is_empty();
                    sum += value.value;
                    named.push(format!("{id} {}", value.value));
                    any = true;
                }
                None => match below().filter(|_| own.is_empty()) {
                    Some(below) => {
                        sum += below.value;
                        partial |= below.partial;
                        named.push(format!("{id} {} (through {})", below.value, below.text));
                        any = true;
                    }
                    None if self.range(restated.element, child).is_some() => {
                        partial = true;
                        silent.push(format!("{id} reported nothing"));
                    }
                    None => {}
                },
            }
        }
        let silent = if silent.is_empty() { String::new() } else { format!("; {}", silent.join("; ")) };
        any.then(|| Below { value: sum, text: format!("{}{silent}", named.join(" + ")), partial })
    }

    /// `unit`'s reports of the restated element and disaggregation within the restated period whose period `keep`
    /// accepts, each with its own bit in `sources` (bit 63 standing for the 64th and later) so that the bits of a
    /// combined value name the reports it used.
    fn reports_within(
        &self,
        unit: u32,
        restated: &Restated<'_>,
        keep: &dyn Fn(&Period) -> bool,
    ) -> Vec<(Period, Aggregate)> {
        let Restated { element, entry, period, .. } = *restated;
        let Some((start, end)) = self.range(element, unit) else { return Vec::new() };
        self.entries[start..end]
            .iter()
            .map(|o| (o, self.store.periods[o.period as usize]))
            .filter(|(o, q)| o.combo == entry.combo && period.contains(q) && keep(q))
            .enumerate()
            .map(|(bit, (o, q))| (q, Aggregate { value: o.value, sources: 1 << bit.min(63), ..Aggregate::ZERO }))
            .collect()
    }

    /// `element`'s rule over time (a sum where the catalogue gives none).
    fn time_of(&self, element: u32) -> TimeAggregation {
        self.times.iter().find(|(e, _)| *e == element).map_or(TimeAggregation::Sum, |t| t.1)
    }

    /// `successor`'s rows of `elements` for periods it did not exist in ([`Units::existed_for`]): its restatements.
    fn restated<'r>(&'r self, successor: u32, elements: &'r [u32]) -> impl Iterator<Item = Restated<'a>> + 'r {
        elements.iter().flat_map(move |&element| {
            let (start, end) = self.range(element, successor).unwrap_or((0, 0));
            let time = self.time_of(element);
            (start..end).filter_map(move |position| {
                let entry = &self.entries[position];
                let period = self.store.periods[entry.period as usize];
                (!self.units.existed_for(successor, period, time)).then_some(Restated {
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

    /// Whether every unit each of `predecessors` split into reports the restated period whole and nothing else of its
    /// own days in it, as [`crate::eval::aggregate::Cube::successors_report_whole`] decides for the values (a flow
    /// only): their reports stand for the predecessors' area over the period.
    fn successors_report_whole(&self, predecessors: &[u32], restated: &Restated<'_>) -> bool {
        let period = restated.period;
        let flow = matches!(self.time_of(restated.element), TimeAggregation::Sum | TimeAggregation::Average);
        flow && predecessors.iter().all(|&p| {
            let successors = &self.units.successors[p as usize];
            !successors.is_empty()
                && successors.iter().all(|&s| {
                    let Some(first) = self.units.valid[s as usize].0 else { return false };
                    let own = self.reports_within(s, restated, &|_| true);
                    period.start() < first
                        && first <= period.end()
                        && own.iter().any(|(q, _)| *q == period)
                        && !own.iter().any(|(q, _)| *q != period && q.end() >= first)
                })
        })
    }

    /// W332 for a split successor's report of the whole period beside its predecessors' reports inside it, where
    /// every successor reports it whole: the successors' reports are used, the predecessors' give way.
    fn split_whole(&self, restated: &Restated<'_>, overlapping: &[String]) -> Diagnostic {
        let value = restated.entry.value;
        self.restatement_warning(
            restated,
            format!(
                ", on days its predecessor reported ({}); every unit the predecessor split into reports {} whole and \
                 nothing else of its own days in it, so their reports stand for its area over the period and those \
                 reports give way; {value} is used",
                overlapping.join(", "),
                restated.period
            ),
            format!(
                "{value} is used, marked as a restatement; report the successors' own days on rows of their own to \
                 have the predecessor's reports used for the days before"
            ),
        )
    }

    /// W332 for a split successor's restatement of days its predecessors reported.
    fn split_overlap(&self, restated: &Restated<'_>, overlapping: &[String]) -> Diagnostic {
        self.restatement_warning(
            restated,
            format!(
                ", on days its predecessor reported ({}); it is not added to a total of any period that holds \
                 those reports",
                overlapping.join(", ")
            ),
            "the unit that existed in the period wins, so no day is counted twice; the restatement stays in the \
             successor's own series"
                .to_owned(),
        )
    }

    /// W332 where the old units' reports cover the restated period only from outside it: the restatement is left
    /// out, and the warning names those reports.
    fn left_out(&self, restated: &Restated<'_>, covering: &[String]) -> Diagnostic {
        self.restatement_warning(
            restated,
            format!(", inside the old units' reports ({}); it is left out", covering.join(", ")),
            "the units that existed in the period win; report the old units' figures for it".to_owned(),
        )
    }

    /// W332 where the units that existed in the restated period give another figure for it: theirs is used, and
    /// the warning names it, member by member over the same days as the restatement.
    fn differs(&self, restated: &Restated<'_>, within: &Within) -> Diagnostic {
        let (period, sum) = (restated.period, within.sum);
        let silent_text =
            if within.silent.is_empty() { String::new() } else { format!("; {}", within.silent.join("; ")) };
        let partial = if within.partial { ", partial" } else { "" };
        self.restatement_warning(
            restated,
            format!(
                "; for {period} the units that existed reported {} = {sum}{silent_text}; {sum} is used{partial}",
                within.reporting.join(" + ")
            ),
            format!(
                "the units that existed in {period} win: {sum} is used; correct the restatement or the old units' rows"
            ),
        )
    }

    /// The predecessors' rows of the restated element inside the restated period with another disaggregation than the
    /// restatement's (by sex beside a total), as (unit, period), once each, in order.
    fn other_shapes(&self, predecessors: &[u32], restated: &Restated<'_>) -> Vec<(u32, Period)> {
        let mut found: Vec<(u32, Period)> = predecessors
            .iter()
            .filter_map(|&p| self.range(restated.element, p).map(|r| (p, r)))
            .flat_map(|(p, (s, e))| {
                self.entries[s..e]
                    .iter()
                    .filter(|o| o.combo != restated.entry.combo)
                    .map(move |o| (p, self.store.periods[o.period as usize]))
            })
            .filter(|(_, q)| restated.period.contains(q))
            .collect();
        found.sort_unstable_by_key(|&(p, q)| (p, q.start(), q.end()));
        found.dedup();
        found
    }

    /// W332 for a restated part of a breakdown (women only) beside the old units' rows of other shapes (`shapes`):
    /// a part never stands for the whole area, so it is left out and theirs are used.
    fn part_beside_shapes(&self, restated: &Restated<'_>, shapes: &[String]) -> Diagnostic {
        let period = restated.period;
        self.restatement_warning(
            restated,
            format!(
                ", a part of a breakdown, which does not stand for the whole area beside the reports of the units that \
                 existed in {period} ({}); it is left out",
                shapes.join(", ")
            ),
            format!(
                "the units that existed in {period} win; report the whole area's figure, or correct the old units' rows"
            ),
        )
    }

    /// W332 for a restatement beside the successor's own reports of its days in other disaggregations (`shapes`, its
    /// second half by sex): those and the old units' reports are used, the restatement is left out.
    fn beside_own_shapes(&self, restated: &Restated<'_>, shapes: &[String]) -> Diagnostic {
        let period = restated.period;
        self.restatement_warning(
            restated,
            format!(
                "; its own days of {period} are reported in other disaggregations ({}), which with the old units' \
                 reports make the value used; the restatement is left out",
                shapes.join(", ")
            ),
            format!("the units that existed in {period} win; correct the restatement or the old units' rows"),
        )
    }

    /// W332 for a successor's report of its whole area beside old units' rows of other disaggregations only
    /// (`shapes`, "prov-a 2025S1"): the report is used, and the rows it stands for are named.
    fn whole_area_beside_shapes(&self, restated: &Restated<'_>, shapes: &[String]) -> Diagnostic {
        let (period, value) = (restated.period, restated.entry.value);
        let successor = &self.units.ids[restated.successor as usize];
        self.restatement_warning(
            restated,
            format!(
                "; the units that existed reported days of {period} by category only ({}); its own reports leave out \
                 days of {period} it existed in, so its report stands for its whole area over {period}, the days \
                 before it existed included; {value} is used",
                shapes.join(", ")
            ),
            format!(
                "{value} is used for {period}, marked as a restatement; report {successor}'s own days of {period} on \
                 rows of their own to have the old units' reports used for the days before"
            ),
        )
    }

    /// W332 for a successor's report of its whole area over a period its own reports leave days of its life out of:
    /// that report is used, in place of the old units' reports inside the period, which `within` names.
    fn whole_area(&self, restated: &Restated<'_>, within: &Within) -> Diagnostic {
        let (period, sum) = (restated.period, within.sum);
        let successor = &self.units.ids[restated.successor as usize];
        let silent = within.silent.iter().filter(|s| !s.starts_with(&format!("{successor} "))).cloned();
        let silent: Vec<String> = silent.collect();
        let silent_text = if silent.is_empty() { String::new() } else { format!("; {}", silent.join("; ")) };
        let value = restated.entry.value;
        self.restatement_warning(
            restated,
            format!(
                "; for {period} the units that existed reported {} = {sum}{silent_text}; its own reports leave out \
                 days of {period} it existed in, so its report stands for its whole area over {period}, the days \
                 before it existed included; {value} is used",
                within.reporting.join(" + ")
            ),
            format!(
                "{value} is used for {period}, marked as a restatement; report {successor}'s own days of {period} on \
                 rows of their own to have the old units' reports used for the days before"
            ),
        )
    }

    /// W332 at the restating row: "{successor} restates {element} for {period} as {value}, before it existed"
    /// followed by `rest`, with `hint`.
    fn restatement_warning(&self, restated: &Restated<'_>, rest: String, hint: String) -> Diagnostic {
        let Restated { successor, element, entry, period, position } = *restated;
        let (file, row) = self.store.origin(position);
        if self.withheld.contains(&element) {
            // The hint without figures, as the values' says it: the restatement or the old units' reports used.
            let hint = if hint.contains("marked as a restatement") {
                "the restatement is used for the unit's whole area over the period, marked as one; report the unit's \
                 own days of the period on rows of their own to have the old units' reports used for the days before"
            } else {
                "the units that existed in the period win; correct the restatement or the old units' rows"
            };
            return Diagnostic::warning(
                "W332",
                "restatement-differs",
                format!(
                    "{} restates {} for {period} before it existed, and the restatement differs from or overlaps the \
                     reports of the units that existed then; {}",
                    self.units.ids[successor as usize],
                    self.store.elements.name(element),
                    crate::diagnostic::WITHHELD_VALUES
                ),
            )
            .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
            .with_hint(hint.to_owned());
        }
        Diagnostic::warning(
            "W332",
            "restatement-differs",
            format!(
                "{} restates {} for {period} as {}, before it existed{rest}",
                self.units.ids[successor as usize],
                self.store.elements.name(element),
                entry.value,
            ),
        )
        .with_span(Some(Span { file, start: 0, end: 0, line: row as usize, column: 1 }))
        .with_hint(hint)
    }
}

/// How a member's days in a restated period are named after its figure: nothing when they are the whole period,
/// else " (2025S1, its part of 2025)" (with `preposition` before the days when given: " for 2025S2, its part of
/// 2025").
fn days_note(days: Period, period: Period, preposition: &str) -> String {
    if days == period {
        return String::new();
    }
    let days = days.standard_with_same_days().unwrap_or(days);
    if preposition.is_empty() {
        format!(" ({days}, its part of {period})")
    } else {
        format!(" {preposition} {days}, its part of {period}")
    }
}

/// Date intervals joined where they touch or overlap, in order.
fn merged(mut intervals: Vec<(NaiveDate, NaiveDate)>) -> Vec<(NaiveDate, NaiveDate)> {
    intervals.sort_unstable();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (start, end) in intervals {
        match out.last_mut() {
            Some(last) if last.1.succ_opt().is_some_and(|next| start <= next) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The days of `days` that no interval of `covered` holds, as intervals in order.
fn uncovered(days: Period, covered: &[(NaiveDate, NaiveDate)]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut gaps = Vec::new();
    let mut next = Some(days.start());
    for (start, end) in merged(covered.to_vec()) {
        if let Some(from) = next.filter(|&from| from < start && from <= days.end()) {
            gaps.push((from, start.pred_opt().unwrap_or(start).min(days.end())));
        }
        next = next.max(end.succ_opt());
    }
    if let Some(from) = next.filter(|&from| from <= days.end()) {
        gaps.push((from, days.end()));
    }
    gaps
}

/// Intervals of days as the periods they are ("2025S1", "2024Q1 + 2024Q3"), a date range where no period has them.
fn periods_text(intervals: &[(NaiveDate, NaiveDate)]) -> String {
    intervals
        .iter()
        .map(|&(start, end)| {
            let range = Period::Range(start, end);
            range.standard_with_same_days().unwrap_or(range).to_string()
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(text: &str) -> (NaiveDate, NaiveDate) {
        let period = Period::parse(text).expect("a period");
        (period.start(), period.end())
    }

    #[test]
    fn a_lineage_joins_the_units_linked_by_successors_either_way_and_along_chains() {
        use crate::eval::test_support::unit;
        use crate::model::OrgUnitLevel::{Country, Province};
        let mut catalogue = Catalogue::default();
        // a and b merge into ab, which later splits into x and y; c stays; d merges into e.
        let mut ab = unit("ab", Province, Some("vn"), Some("x"));
        ab.successors.push("y".to_owned());
        for u in [
            unit("vn", Country, None, None),
            unit("a", Province, Some("vn"), Some("ab")),
            unit("b", Province, Some("vn"), Some("ab")),
            ab,
            unit("x", Province, Some("vn"), None),
            unit("y", Province, Some("vn"), None),
            unit("c", Province, Some("vn"), None),
            unit("d", Province, Some("vn"), Some("e")),
            unit("e", Province, Some("vn"), None),
        ] {
            catalogue.org_units.insert(u.id.clone(), u);
        }
        let units = Units::build(&catalogue);
        let lineage = |id: &str| units.lineage[units.index[id] as usize];
        for id in ["b", "ab", "x", "y"] {
            assert_eq!(lineage(id), lineage("a"), "{id}");
        }
        assert_eq!(lineage("d"), lineage("e"));
        let roots: std::collections::BTreeSet<u32> = ["a", "c", "d", "vn"].iter().map(|id| lineage(id)).collect();
        assert_eq!(roots.len(), 4);
    }

    #[test]
    fn the_days_a_member_s_reports_leave_out_are_named_as_periods() {
        // (the member's days, the periods its used reports cover, the days they cover, the days left out)
        let cases: [(&str, &[&str], &str, &str); 7] = [
            ("2025S1", &["2025Q1", "2025Q2"], "2025S1", ""),
            ("2025", &["2025Q1", "2025Q3"], "2025Q1 + 2025Q3", "2025Q2 + 2025Q4"),
            ("2024", &["2024S1"], "2024S1", "2024S2"),
            ("2025S2", &[], "", "2025S2"),
            ("2025", &["2025-01", "2025-02", "2025-03", "2025Q2", "2025S2"], "2025", ""),
            ("2025S1", &["2025-01", "2025-02", "2025Q2"], "2025-01-01..2025-02-28 + 2025Q2", "2025-03"),
            ("2025", &["2025-02-01..2025-12-31"], "2025-02-01..2025-12-31", "2025-01"),
        ];
        for (period, used, covered, left_out) in cases {
            let used: Vec<_> = used.iter().map(|p| days(p)).collect();
            let period = Period::parse(period).expect("a period");
            assert_eq!(periods_text(&merged(used.clone())), covered, "{period} {used:?}");
            assert_eq!(periods_text(&uncovered(period, &used)), left_out, "{period} {used:?}");
        }
    }
}
