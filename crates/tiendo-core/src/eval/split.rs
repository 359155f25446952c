//! How a unit that split, or one that a split created, counts in its parent's sum (methodology §2.2, "Splits";
//! adversarial review round 5, K3). A split unit's territory passes to none of its successors, so both sum into the
//! nearest unit that contains them all, period by period. Two faults followed from summing their own values as they
//! are: a successor's restatement of a period before it existed was added on top of its predecessor's report of the
//! same days (a total counted twice), and the old unit's year of the split, which ends with it, made the parent's
//! year partial although its successors report the rest.

use crate::eval::aggregate::{Aggregate, Bounds, Cube};
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
    /// A successor's reports of days before it existed that its predecessors did not report, beside their value in
    /// a period before the successor's first day, for a count over time ([`Cube::restated_beside`]).
    Restated,
    /// Nothing: a successor's restatement of days its predecessor reported, which the predecessor's value has.
    Not,
}

impl Cube<'_> {
    /// How `contributor` counts in its parent's sum for reference `ref_index` in `period`. Only units that split or
    /// were created by a split are other than [`Counted::Whole`].
    pub(crate) fn counted(&mut self, ref_index: usize, contributor: u32, period: Period) -> Counted {
        let c = contributor as usize;
        if self.units.split_into[c] && self.successors_report_whole(ref_index, contributor, period) {
            return Counted::Not;
        }
        if !self.units.split_from[c].is_empty() && self.units.overlaps(contributor, period) {
            let predecessors = self.units.split_from[c].clone();
            if predecessors.iter().all(|&p| self.successors_report_whole(ref_index, p, period)) {
                return Counted::Whole;
            }
        }
        if !self.units.split_from[c].is_empty() && !self.units.overlaps(contributor, period) {
            let predecessors = self.units.split_from[c].clone();
            if !predecessors.iter().any(|&p| self.value_of(ref_index, p, period).is_some()) {
                return Counted::Whole;
            }
            let beside = self.rules[ref_index].time == TimeAggregation::Sum
                && !self.restated_days(ref_index, contributor, (period, period)).0.is_empty();
            return if beside { Counted::Restated } else { Counted::Not };
        }
        // A stock is its value on the period's last day: a successor that exists then reports it whole, as AB does
        // for the merger (round 61, found by a review helper: D1's and D2's 2025 stocks were "no report" at the
        // nation's 2025); an old unit that ended before it has no share of it.
        if self.rules[ref_index].time == TimeAggregation::Last && !self.units.split_from[c].is_empty() {
            let ends_in_life = self.units.existed_throughout(contributor, period.end(), period.end());
            if ends_in_life {
                return Counted::Whole;
            }
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
                Some(self.with_restated_days(ref_index, contributor, period, within))
            }
            Counted::Restated => Some(self.restated_beside(ref_index, contributor, (period, period))),
            Counted::Not => None,
        }
    }

    /// Whether every unit `predecessor` split into reports `period` whole, for a flow: a report of exactly the period,
    /// which begins before its first day and runs into its life, and no other report of its own days in it. Their
    /// reports then stand for the predecessor's area over the whole period, and the predecessor's reports inside it
    /// give way, as the old provinces' do to a merged province's year (`territory_rule::whole_area_reports`; round 61,
    /// found by a review helper: D1's and D2's years were left out beside D's first half, and the nation's 2025 said
    /// "no report from" them).
    pub(crate) fn successors_report_whole(&mut self, ref_index: usize, predecessor: u32, period: Period) -> bool {
        let successors = &self.units.successors[predecessor as usize];
        let straddles =
            |first: Option<chrono::NaiveDate>| first.is_some_and(|f| period.start() < f && f <= period.end());
        if !matches!(self.rules[ref_index].time, TimeAggregation::Sum | TimeAggregation::Average)
            || successors.is_empty()
            || !successors.iter().all(|&s| straddles(self.units.valid[s as usize].0))
        {
            return false;
        }
        let bounds = Bounds::of(period);
        let mut own = Vec::new();
        for s in successors.clone() {
            let first = self.units.valid[s as usize].0;
            own.clear();
            self.reports(ref_index, s, &bounds, &mut own);
            let whole = own.iter().any(|(q, _)| *q == period);
            let own_days = own.iter().any(|(q, _)| *q != period && first.is_some_and(|f| q.end() >= f));
            if !whole || own_days {
                return false;
            }
        }
        true
    }

    /// A split's successor's value over its reports inside `period` (before its first day) that share no day with
    /// its predecessors' reports inside `held`, the period summed ([`Cube::restated_days`]): its value over `period`
    /// where it has no other report there, else the sum of those reports (the longest where they nest, none
    /// overlapping another), marked partial; `None` where there is none. Days its predecessors reported stay theirs
    /// (fuzz11 seed 49, round 57: D1's restated May beside D's own left D1's restated August out of the nation's
    /// year, which its second half held).
    fn restated_beside(
        &mut self,
        ref_index: usize,
        successor: u32,
        (period, held): (Period, Period),
    ) -> Option<Aggregate> {
        let (free, shared) = self.restated_days(ref_index, successor, (period, held));
        if free.is_empty() {
            return None;
        }
        if shared.is_empty() {
            return self.value_of(ref_index, successor, period).map(|value| Aggregate { restated: true, ..value });
        }
        let mut sum: Option<Aggregate> = None;
        for days in free {
            let value = self.value_of(ref_index, successor, days)?;
            match sum.as_mut() {
                Some(total) => total.add_days_of_same_unit(&value),
                None => sum = Some(value),
            }
        }
        sum.map(|mut total| {
            (total.partial_time, total.restated) = (true, true);
            total
        })
    }

    /// A split's successor's `value` over the days of `period` from its first day on, with its reports of
    /// the days before its first day added, for a count over time, where they restate days its predecessors did not
    /// report: the days are counted once, by whichever unit reported them, as in a period wholly before the
    /// successor's first day ([`Cube::counted`]; fuzz9 seed 164, round 57: D2's restated April counted in the
    /// nation's second quarter but not in its half year or year, so the quarters did not add up to the half).
    fn with_restated_days(
        &mut self,
        ref_index: usize,
        successor: u32,
        period: Period,
        value: Option<Aggregate>,
    ) -> Option<Aggregate> {
        if self.units.split_from[successor as usize].is_empty() || self.rules[ref_index].time != TimeAggregation::Sum {
            return value;
        }
        let first_day = self.units.valid[successor as usize].0;
        let Some(day_before) = first_day.filter(|&first| first > period.start()).and_then(|d| d.pred_opt()) else {
            return value;
        };
        let before = Period::Range(period.start(), day_before);
        let before = before.standard_with_same_days().unwrap_or(before);
        let Some(restated) = self.restated_beside(ref_index, successor, (before, period)) else { return value };
        let Some(mut sum) = value else { return Some(restated) };
        sum.add_days_of_same_unit(&restated);
        Some(sum)
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

    /// Whether `successor` (created by a split) has reports inside `period`, before its first day, that share a day
    /// with its predecessors' reports there ([`Cube::restated_days`]): its own figures over the period then hold days
    /// its predecessors' do, and are not added beside them whole.
    pub(crate) fn restates_reported_days(&self, ref_index: usize, successor: u32, period: Period) -> bool {
        let Some(first_day) = self.units.valid[successor as usize].0.filter(|&first| first > period.start()) else {
            return false;
        };
        if self.units.split_from[successor as usize].is_empty() {
            return false;
        }
        let last = first_day.pred_opt().map_or(period.end(), |day| day.min(period.end()));
        let before = Period::Range(period.start(), last);
        let before = before.standard_with_same_days().unwrap_or(before);
        !self.restated_days(ref_index, successor, (before, period)).1.is_empty()
    }

    /// Whether `contributor` split or was created by a split: its contributions are computed period by period
    /// through [`Cube::contribution`], never from its series.
    pub(crate) fn takes_part_in_split(&self, contributor: u32) -> bool {
        !self.units.split_from[contributor as usize].is_empty() || self.units.split_into[contributor as usize]
    }
}
