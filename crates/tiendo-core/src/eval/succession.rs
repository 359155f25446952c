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

use crate::eval::aggregate::Aggregate;
use crate::eval::combine::Length;
use crate::eval::store::FastMap;
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

    /// Per unit, the days its area changed, in order (methodology §3, "Boundaries"): its first day where it
    /// succeeds no unit (its area came from none of the catalogue's units) or succeeds a unit split or moved (its
    /// area was part of another unit's before), the day after its last, and, where a unit's successor lies under other units than it did
    /// (a district that moved between provinces, a unit split across parents), the successor's first day for each
    /// unit above one of them and not the other. The units above are read through the mergers: districts of A
    /// passing to AB, into which A merged, change no area. A change on the same period a year earlier is given
    /// only between periods of one area.
    pub fn area_changes(&self) -> Vec<Vec<NaiveDate>> {
        let count = self.ids.len();
        let mut changes: Vec<Vec<NaiveDate>> = vec![Vec::new(); count];
        let mut predecessors: Vec<Vec<u32>> = vec![Vec::new(); count];
        for (old, next) in self.successors.iter().enumerate() {
            for &unit in next {
                predecessors[unit as usize].push(old as u32);
            }
        }
        let merged = |mut unit: u32| {
            for _ in 0..count {
                match self.merged_into[unit as usize] {
                    Some(next) if next != unit => unit = next,
                    _ => break,
                }
            }
            unit
        };
        let above = |unit: u32| -> Vec<u32> {
            let mut out = Vec::new();
            let mut at = self.parents[unit as usize];
            while let Some(parent) = at.filter(|p| !out.contains(&merged(*p))) {
                out.push(merged(parent));
                at = self.parents[parent as usize];
            }
            out
        };
        for unit in 0..count {
            let first_day = self.valid[unit].0;
            let new_area = predecessors[unit].is_empty() || !self.split_from[unit].is_empty();
            if let Some(day) = first_day.filter(|_| new_area) {
                changes[unit].push(day);
            }
            // Its end: a value of a period it ended in holds only its days (a province that ended on 30 June, read
            // from its districts, made "2024: 8, -50 %" of six months against twelve).
            if let Some(day) = self.valid[unit].1.and_then(|last| last.succ_opt()) {
                changes[unit].push(day);
            }
            for &old in &predecessors[unit] {
                let Some(day) = first_day.or_else(|| self.valid[old as usize].1.and_then(|d| d.succ_opt())) else {
                    continue;
                };
                let (before, after) = (above(old), above(unit as u32));
                let gained = after.iter().filter(|u| !before.contains(u));
                for &changed in before.iter().filter(|u| !after.contains(u)).chain(gained) {
                    changes[changed as usize].push(day);
                }
            }
        }
        for list in &mut changes {
            list.sort_unstable();
            list.dedup();
        }
        changes
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
