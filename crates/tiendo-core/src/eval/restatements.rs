//! W332: a new unit's reports of periods before it existed (its restatements), compared with the value used for the
//! same element, period and disaggregation, and named where they differ, are left out or stand for the whole area
//! (methodology section 2). Split from `eval::succession`, which holds the org-unit structure, in round 61.

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Span};
use crate::eval::aggregate::Aggregate;
use crate::eval::combine::combine_over_time;
use crate::eval::group_index::GroupIndex;
use crate::eval::store::{Observation, ObservationStore, TOTAL_COMBO};
use crate::eval::succession::{Units, count_members};
use crate::model::TimeAggregation;
use crate::period::Period;

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
