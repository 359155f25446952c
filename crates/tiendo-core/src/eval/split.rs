//! How a unit that split, or one that a split created, counts in its parent's sum (methodology §2.2, "Splits";
//! adversarial review round 5, K3). A split unit's territory passes to none of its successors, so both sum into the
//! nearest unit that contains them all, period by period. Two faults followed from summing their own values as they
//! are: a successor's restatement of a period before it existed was added on top of its predecessor's report of the
//! same days (a total counted twice), and the old unit's year of the split, which ends with it, made the parent's
//! year partial although its successors report the rest.

use crate::eval::aggregate::{Aggregate, Cube};
use crate::eval::combine::Length;
use crate::model::TimeAggregation;
use crate::period::Period;

/// How a contributor's value enters its parent's sum in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    /// Its value in the period, as any contributor's.
    Whole,
    /// Its value over the part of the period it existed in (a split unit's first half of its last year, a
    /// successor's second half of its first): complete there, its successors or predecessors covering the rest.
    Within(Period),
    /// Nothing: a successor's restatement of days its predecessor reported, which the predecessor's value has.
    Not,
}

impl Cube<'_> {
    /// How `contributor` counts in its parent's sum for reference `ref_index` in `period`. Only units that split or
    /// were created by a split are other than [`Counted::Whole`].
    pub(crate) fn counted(&mut self, ref_index: usize, contributor: u32, period: Period) -> Counted {
        let c = contributor as usize;
        if !self.units.split_from[c].is_empty() && !self.units.overlaps(contributor, period) {
            let predecessors = self.units.split_from[c].clone();
            let reported = predecessors.iter().any(|&p| self.value_of(ref_index, p, period).is_some());
            let beside = self.rules[ref_index].time == TimeAggregation::Sum
                && !self.restates_reported_days(ref_index, contributor, period);
            return if reported && !beside { Counted::Not } else { Counted::Whole };
        }
        if !self.units.split_from[c].is_empty() || self.units.split_into[c] {
            let (from, to) = self.units.valid[c];
            let start = from.map_or(period.start(), |from| from.max(period.start()));
            let end = to.map_or(period.end(), |to| to.min(period.end()));
            if start <= end && (start, end) != (period.start(), period.end()) {
                let part = Period::Range(start, end);
                return Counted::Within(part.standard_with_same_days().unwrap_or(part));
            }
        }
        Counted::Whole
    }

    /// `contributor`'s value as it enters its parent's sum in `period` (see [`Cube::counted`]): `None` when it does
    /// not count at all (not even as missing), `Some(None)` when it counts but has no value.
    pub(crate) fn contribution(
        &mut self,
        ref_index: usize,
        contributor: u32,
        period: Period,
    ) -> Option<Option<Aggregate>> {
        match self.counted(ref_index, contributor, period) {
            Counted::Whole => Some(self.value_of(ref_index, contributor, period)),
            Counted::Within(part) => {
                let within = self.within(ref_index, contributor, part, period)?;
                Some(self.with_restated_days(ref_index, contributor, (part, period), within))
            }
            Counted::Not => None,
        }
    }

    /// A split's successor's `value` over `part`, the days of `period` from its first day on, with its reports of
    /// the days before its first day added, for a count over time, where they restate days its predecessors did not
    /// report: the days are counted once, by whichever unit reported them, as in a period wholly before the
    /// successor's first day ([`Cube::counted`]; fuzz9 seed 164, round 57: D2's restated April counted in the
    /// nation's second quarter but not in its half year or year, so the quarters did not add up to the half).
    fn with_restated_days(
        &mut self,
        ref_index: usize,
        successor: u32,
        (part, period): (Period, Period),
        value: Option<Aggregate>,
    ) -> Option<Aggregate> {
        let first_day = self.units.valid[successor as usize].0;
        let Some(day_before) = first_day.filter(|&first| first > period.start()).and_then(|d| d.pred_opt()) else {
            return value;
        };
        if self.units.split_from[successor as usize].is_empty()
            || self.rules[ref_index].time != TimeAggregation::Sum
            || part.start() <= period.start()
        {
            return value;
        }
        let before = Period::Range(period.start(), day_before);
        let before = before.standard_with_same_days().unwrap_or(before);
        if self.restates_reported_days(ref_index, successor, before) {
            return value;
        }
        let Some(restated) = self.value_of(ref_index, successor, before) else { return value };
        let Some(mut sum) = value else { return Some(restated) };
        let (expected, reported) = (sum.expected, sum.reported);
        sum.add(&restated);
        (sum.expected, sum.reported) = (expected, reported);
        Some(sum)
    }

    /// Whether a report of `successor` inside `period` shares a day with a report of one of the units it split from,
    /// or of the units below them, for the reference's element: a successor's restatement of days its predecessor
    /// reported, which the predecessor's value already holds (W332 names it).
    fn restates_reported_days(&self, ref_index: usize, successor: u32, period: Period) -> bool {
        let restated = self.report_days(ref_index, successor, |days| period.contains(&days));
        if restated.is_empty() {
            return false;
        }
        let mut pending = self.units.split_from[successor as usize].clone();
        let mut seen = Vec::new();
        while let Some(unit) = pending.pop() {
            if seen.contains(&unit) {
                continue;
            }
            seen.push(unit);
            let overlaps = |days: Period| restated.iter().any(|r| r.overlaps(&days));
            if !self.report_days(ref_index, unit, overlaps).is_empty() {
                return true;
            }
            pending.extend(self.units.contributors[unit as usize].iter().copied());
        }
        false
    }

    /// The periods of `unit`'s reports of the reference's element that `keep` accepts, in time order, each once.
    fn report_days(&self, ref_index: usize, unit: u32, keep: impl Fn(Period) -> bool) -> Vec<Period> {
        let (Some(element), Some(store_unit)) = (self.ref_elements[ref_index], self.unit_in_store[unit as usize])
        else {
            return Vec::new();
        };
        let Some((start, end)) = self.groups.get(element, store_unit) else { return Vec::new() };
        let mut out: Vec<Period> = self.entries()[start..end]
            .iter()
            .map(|entry| self.store.periods[entry.period as usize])
            .filter(|&days| keep(days))
            .collect();
        out.dedup();
        out
    }

    /// A contributor's value over `part`, the days of `period` it existed in, as it enters the sum for `period`, by
    /// the element's rule over time (methodology §2.6, "Over time"): a flow as it is; an average weighted by the part's
    /// length over the period's ([`Length`]: D's 100 for the first half of the year counts 50); a stock (the value at
    /// the period's end) only from a unit that exists at the end, or, when none of an old unit's successors has a
    /// value, from the old unit, marked `partial_time` (an earlier day's stock stands for the end). `None` when it
    /// does not count at all.
    fn within(
        &mut self,
        ref_index: usize,
        contributor: u32,
        part: Period,
        period: Period,
    ) -> Option<Option<Aggregate>> {
        let value = self.value_of(ref_index, contributor, part);
        match self.rules[ref_index].time {
            TimeAggregation::Sum => Some(value),
            // A value over part of the period is not the period's: the contributor counts, without a value.
            TimeAggregation::None => Some(value.filter(|_| part == period)),
            TimeAggregation::Average => {
                let unit = Length::for_parts([part, period].into_iter());
                Some(value.map(|mut v| {
                    v.value *= unit.of_period(part) / unit.of_period(period);
                    v
                }))
            }
            TimeAggregation::Last if part.end() < period.end() => {
                let successors = self.units.successors[contributor as usize].clone();
                if successors.iter().any(|&s| self.value_of(ref_index, s, period).is_some()) {
                    return None;
                }
                Some(value.map(|mut v| {
                    v.partial_time = true;
                    v
                }))
            }
            TimeAggregation::Last => Some(value),
        }
    }

    /// Whether `contributor` split or was created by a split: its contributions are computed period by period
    /// through [`Cube::contribution`], never from its series.
    pub(crate) fn takes_part_in_split(&self, contributor: u32) -> bool {
        !self.units.split_from[contributor as usize].is_empty() || self.units.split_into[contributor as usize]
    }
}
