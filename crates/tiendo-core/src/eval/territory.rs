//! A territory's value: a new province and the old units merged into it, each member's reports after the succession
//! rule (see [`crate::eval::succession`]), combined over the part of the period the member existed in, then added.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::eval::aggregate::{Aggregate, Bounds, Cube, add_child};
use crate::eval::by_years::parts_by_year;
use crate::eval::combine::combine_over_time_cached;
use crate::eval::succession::{Units, count_members};
use crate::eval::territory_rule::{Succession, succession, unheld};
use crate::model::{OrgUnitAggregation, TimeAggregation};
use crate::period::Period;

impl Cube<'_> {
    /// The periods of `member`'s reports of the reference that overlap the period of `bounds` (within its calendar
    /// years), whether or not they lie within it.
    pub(crate) fn touching(&self, ref_index: usize, member: u32, bounds: &Bounds, out: &mut Vec<(u32, Period)>) {
        let (Some(element), Some(unit)) = (self.ref_elements[ref_index], self.unit_in_store[member as usize]) else {
            return;
        };
        let Some((start, end)) = self.groups.get(element, unit) else { return };
        let slice = &self.entries()[start..end];
        let first = self.first_from_day(slice, bounds.years_first_day);
        let last = self.first_from_day(slice, bounds.years_last_day + 1);
        let codes = &self.shapes[ref_index].codes;
        let window_start = NaiveDate::from_num_days_from_ce_opt(bounds.window_first_day);
        for entry in &slice[first..last] {
            let index = entry.period as usize;
            let period = self.store.periods[index];
            let overlaps = window_start.is_some_and(|s| self.period_ends[index] >= s)
                && self.period_starts[index] <= bounds.window_end;
            if codes[entry.combo as usize] != 0 && overlaps && out.last() != Some(&(member, period)) {
                out.push((member, period));
            }
        }
    }

    /// The value of `unit` from the reports of its own territory, if any member reported the reference in the
    /// calendar years of `period` (then children never fill in, even when the value is missing); `None` if none did.
    ///
    /// Each member's reports are combined over the part of `period` it existed in, then the members are added.
    /// For one period, reports by members that did not exist throughout it (a successor restating its predecessors'
    /// half year) are left out where a member that did exist reported an overlapping period (see
    /// [`crate::eval::succession`]). A period across calendar years whose days this leaves out is taken year by
    /// year where the territory's reports of some year make that part (see [`Cube::across_years`]).
    pub(crate) fn own_value(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
        bounds: &Bounds,
    ) -> Option<Option<Aggregate>> {
        self.own_value_by(ref_index, unit, period, bounds).0
    }

    /// The calendar-year parts of `period` that [`Cube::own_value`] takes `unit`'s value from, one by one, where it
    /// does so (see [`Cube::across_years`]); `None` where the value is decided over the whole period at once.
    pub(crate) fn years_taken(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Vec<Period>> {
        let parts = parts_by_year(period)?;
        if self.units.contributors[unit as usize].is_empty() {
            return None;
        }
        let (_, by_years) = self.own_value_by(ref_index, unit, period, &Bounds::of(period));
        by_years.then_some(parts)
    }

    /// [`Cube::own_value`], and whether it was taken year by year.
    fn own_value_by(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
        bounds: &Bounds,
    ) -> (Option<Option<Aggregate>>, bool) {
        let at_once = self.own_value_at_once(ref_index, unit, period, bounds);
        if matches!(at_once, Some(Some(value)) if !value.partial_time) {
            return (at_once, false);
        }
        // Missing days over all the period's years at once: year by year, which leaves out no report that the
        // calendar periods inside count (crate::eval::by_years).
        match self.across_years(ref_index, unit, period) {
            Some(Some(value)) => (Some(Some(value)), true),
            _ => (at_once, false),
        }
    }

    /// [`Cube::own_value`] with the precedence of the unit's own reports decided over all the calendar years of
    /// `period` at once.
    fn own_value_at_once(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
        bounds: &Bounds,
    ) -> Option<Option<Aggregate>> {
        let data = Arc::clone(&self.data);
        let territory = &data.units.territory[unit as usize];
        // A value that does not add up over units (`org_unit_aggregation = "none"`: a percentage, a yes/no value
        // reported as such) is never the sum of a territory's members either: the unit's own reports only (AB's
        // share is not A's 80 % + B's 90 %).
        let alone = territory.len() == 1 || self.rules[ref_index].org_units == OrgUnitAggregation::None;
        if alone {
            let member = if territory.len() == 1 { territory[0] } else { unit };
            let mut own = std::mem::take(&mut self.own_buffer);
            own.clear();
            let reported_in_years = self.reports(ref_index, member, bounds, &mut own);
            let result = if reported_in_years && !own.is_empty() {
                let days = self.lifetime_part(ref_index, member, period, &own);
                let time = self.rules[ref_index].time;
                let periods: Vec<Period> = own.iter().map(|&(q, _)| q).collect();
                let restated = !self.restatements_used((member, time), (&own, &periods)).is_empty();
                combine_over_time_cached(&own, days, time, &mut self.subdivisions).map(|value| {
                    self.by_options(ref_index, member, days, Aggregate { restated, ..value.as_one_unit() })
                })
            } else {
                None
            };
            self.own_buffer = own;
            return reported_in_years.then_some(result);
        }
        let members = self.members_reports(ref_index, unit, bounds)?;
        let counted = self.counted_members(ref_index, &members, period);
        let mut total: Option<Aggregate> = None;
        let (mut expected, mut reported) = (0u32, 0u32);
        // How the counted members' parts were built: their own reports, the units below them, or both.
        let (mut own_parts, mut parts_below) = (false, false);
        let left_out = members.iter().any(|member| !member.left_out.is_empty());
        let late_dropped = members.iter().any(|member| member.late_dropped);
        for (member, count) in members.iter().zip(&counted) {
            if let Some((value, _)) = count {
                add_child(&mut total, Aggregate { restated: value.restated || !member.restated.is_empty(), ..*value });
                own_parts |= member.reports.iter().any(|(_, part)| !part.from_children);
                parts_below |= member.reports.iter().any(|(_, part)| part.from_children);
                if member.from_children {
                    // Units counted at the finest level that reports: B's three districts, not B.
                    expected += value.expected;
                    reported += value.reported;
                } else {
                    expected += 1 + member.covers.len() as u32;
                    reported += 1 + member.covers.len() as u32;
                }
                // The units below a member that ended in the period, expected over its later days and silent there.
                for (below, piece) in self.below_beyond_life(ref_index, (member, &members), territory, period) {
                    expected += self.expected_count(ref_index, below, piece);
                }
            } else if member.covered {
                // A restatement stands for the member over its life; the units below it that stay after it ended are
                // expected over those days where nothing covers them (AB's restated first half covers B, not B's
                // district's silent third quarter beside AB's own fourth: AB's and the nation's 2025 were "complete"
                // at 1400; round 53 F6, found by a review helper).
                for (below, piece) in self.below_beyond_life(ref_index, (member, &members), territory, period) {
                    expected += self.expected_count(ref_index, below, piece);
                }
            } else if !self.superseded(ref_index, member.unit, &members, &counted) {
                let held = others_own(&self.units, &members, member.unit);
                expected += self.silent_member_expected(ref_index, (member.unit, territory), period, &held);
            }
        }
        Some(total.map(|mut value| {
            value.from_children = false;
            value.expected = expected;
            value.reported = reported;
            // Labelled by how the members' parts were built (rule 3's basis, as for a unit alone): the old units' own
            // first halves and the districts' second half are "combined", the districts alone "aggregated".
            value.partly_own = own_parts && parts_below;
            value.members_below = parts_below && !own_parts;
            // A member's late report left out (beside another member's own report of the whole area, or beside
            // parts that may hold its area, where what it adds is unknown and the value partial): the sum of the
            // units below, which adds it, never stands for this value.
            value.late_left_out = late_dropped;
            value.partial_time |= left_out;
            value
        }))
    }

    /// The days of `period` a unit alone in its territory is judged over: the days it existed (widened to its
    /// `reports`) where it began or ended inside the period with no unit before or after it (a district created on 1
    /// July, whose area the other districts held before), for an element summed or averaged over time; the whole
    /// period for any other unit or element. AB's new district's second half was "partial" over a range from July 2024,
    /// and AB's and the nation's range said "PARTIAL:" with nothing named beside a complete value (round 52, found by
    /// a review helper). A unit of a merger or a split keeps the whole period: its predecessors or successors hold
    /// the other days, as their own values say ([`crate::eval::split`]); a stock's value is the period's last day's.
    pub(crate) fn lifetime_part(
        &self,
        ref_index: usize,
        member: u32,
        period: Period,
        reports: &[(Period, Aggregate)],
    ) -> Period {
        let (m, units) = (member as usize, &self.units);
        if units.existed_throughout(member, period.start(), period.end()) {
            return period;
        }
        // Alone in its territory: no merger led to it.
        let unrelated = units.territory[m].len() == 1
            && units.successors[m].is_empty()
            && units.split_from[m].is_empty()
            && !units.split_into[m]
            && units.merged_into[m].is_none();
        let over_days = matches!(self.rules[ref_index].time, TimeAggregation::Sum | TimeAggregation::Average);
        if unrelated && over_days { units.window(member, period, reports) } else { period }
    }

    /// The value of each member of `unit`'s territory in `period` as it counts in the territory's value (see
    /// [`Cube::counted_members`]), and whether it covers less than the period (the part the member existed in);
    /// `None` when no member reported in the calendar years of the period.
    pub(crate) fn member_values(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
    ) -> Option<Vec<(u32, Option<Aggregate>, bool)>> {
        let bounds = *self.bounds.entry(period).or_insert_with(|| Bounds::of(period));
        let members = self.members_reports(ref_index, unit, &bounds)?;
        let counted = self.counted_members(ref_index, &members, period);
        Some(
            members
                .iter()
                .zip(counted)
                .map(|(member, count)| match count {
                    Some((value, narrower)) => (member.unit, Some(value), narrower),
                    None => (member.unit, None, false),
                })
                .collect(),
        )
    }

    /// Each member's value in `period` as it enters the territory's sum, by the element's rule over time
    /// (methodology §2.6, "Over time"), and whether it covers less than the period:
    ///
    /// - `sum`: its value over the part of the period it existed in;
    /// - `last` (a stock at the period's end): only the last value of each lineage counts, so an old unit counts only
    ///   when no unit it led to (its successor) has a value; an old unit's value that ends before the period does
    ///   is marked `partial_time` (the stock at an earlier day stands for the period's end);
    /// - `average`: its average over its part, weighted by that part's length over the length of the days the
    ///   members with a value cover ([`Length`]): A and B at 100 for the first half and AB at 200 for the second
    ///   average 200 over the year, not 400.
    pub(crate) fn counted_members(
        &mut self,
        ref_index: usize,
        members: &[MemberReports],
        period: Period,
    ) -> Vec<Option<(Aggregate, bool)>> {
        let valued: Vec<(u32, Option<(Aggregate, Period)>)> = members
            .iter()
            .map(|member| (member.unit, self.member_value(ref_index, (member, members), period)))
            .collect();
        count_members(&self.units, self.rules[ref_index].time, period, &valued)
    }

    /// Whether `unit`, a member of a territory without a value of its own in a period, is stood for by a later unit
    /// of its lineage that has one, for a stock: its silence is then not missing (see [`Cube::counted_members`]).
    /// Only the later unit's own report stands for it: its latest part from the units below it is their areas' stock,
    /// not the whole territory's (round 52, found by a review helper: AB's own district's November stood for A's
    /// district, "1 of 1, complete", where the count of the same rows said "missing dist-a1").
    pub(crate) fn superseded(
        &self,
        ref_index: usize,
        unit: u32,
        members: &[MemberReports],
        counted: &[Option<(Aggregate, bool)>],
    ) -> bool {
        let own_last = |m: &MemberReports| {
            m.reports.iter().max_by_key(|(q, v)| (q.end(), !v.from_children)).is_some_and(|(_, v)| !v.from_children)
        };
        self.rules[ref_index].time == TimeAggregation::Last
            && members.iter().zip(counted).any(|(m, c)| c.is_some() && self.units.leads_to(unit, m.unit) && own_last(m))
    }

    /// One member's value in `period`: its reports combined over the part of the period it existed in (widened to
    /// the reports it is credited with), and that part.
    pub(crate) fn member_value(
        &mut self,
        ref_index: usize,
        (member, members): (&MemberReports, &[MemberReports]),
        period: Period,
    ) -> Option<(Aggregate, Period)> {
        if member.reports.is_empty() {
            return None;
        }
        let window = self.units.window(member.unit, period, &member.reports);
        let window = unheld(window, &others_own(&self.units, members, member.unit));
        let time = self.rules[ref_index].time;
        if !member.from_children {
            let value = combine_over_time_cached(&member.reports, window, time, &mut self.subdivisions)?;
            return Some((self.by_options(ref_index, member.unit, window, value.as_one_unit()), window));
        }
        // A part of the units below with the days of the window is the window's value, whichever way the period was
        // asked for (a range or the year from April with the same days give one value).
        let same_days = |q: Period| (q.start(), q.end()) == (window.start(), window.end());
        let reports: Vec<(Period, Aggregate)> =
            member.reports.iter().map(|&(q, v)| (if same_days(q) { window } else { q }, v)).collect();
        let value = combine_over_time_cached(&reports, window, time, &mut self.subdivisions)?;
        // A member that reports through its children counts their units (its own report counts it alone): as many as
        // any part of the period expects, less as many as its least complete part lacks.
        let counts = member.reports.iter().map(|(_, part)| {
            if part.from_children { (part.expected, part.expected.saturating_sub(part.reported)) } else { (1, 0) }
        });
        let expected = counts.clone().map(|(expected, _)| expected).max().unwrap_or(1);
        let lacking = counts.map(|(_, lacking)| lacking).max().unwrap_or(0);
        Some((Aggregate { expected, reported: expected.saturating_sub(lacking), ..value }, window))
    }

    /// What `member`, a member of a territory that reported nothing itself in the calendar years of `period`, reports
    /// through the units below it (B through its districts): the sum of its contributors other than the territory's
    /// members (`skip`) over the days of `period` it existed in, and over the days before and after (districts that
    /// keep reporting after their province ended), each with whether `member` existed throughout it. The succession
    /// rule then treats these as the member's reports: a part outside its life counts only where no unit that existed
    /// then reported those days (the successor's own figure wins), so no day is counted twice.
    fn children_reports(
        &mut self,
        ref_index: usize,
        member: u32,
        skip: &[u32],
        (period, by_year): (Period, bool),
    ) -> Vec<(Period, Aggregate, bool)> {
        let (start, end) = (period.start(), period.end());
        let (from, to) = self.units.valid[member as usize];
        let (life_start, life_end) = (from.map_or(start, |f| f.max(start)), to.map_or(end, |t| t.min(end)));
        let mut pieces: Vec<(NaiveDate, NaiveDate, bool)> = Vec::new();
        if life_start <= life_end {
            if let Some(before) = life_start.pred_opt().filter(|_| life_start > start) {
                pieces.push((start, before, false));
            }
            pieces.push((life_start, life_end, true));
            if let Some(after) = life_end.succ_opt().filter(|_| life_end < end) {
                pieces.push((after, end, false));
            }
        } else {
            pieces.push((start, end, false));
        }
        if by_year {
            // Each piece cut at the new year, so that the member's own reports of one year leave the units below it
            // the other years.
            pieces = pieces
                .into_iter()
                .flat_map(|(first, last, existed)| {
                    (first.year()..=last.year()).filter_map(move |year| {
                        let from = NaiveDate::from_ymd_opt(year, 1, 1)?.max(first);
                        let to = NaiveDate::from_ymd_opt(year, 12, 31)?.min(last);
                        Some((from, to, existed))
                    })
                })
                .collect();
        }
        let mut out = Vec::new();
        for (first, last, existed) in pieces {
            let range = Period::Range(first, last);
            let piece = range.standard_with_same_days().unwrap_or(range);
            if let Some(value) = self.children_sum(ref_index, member, piece, skip) {
                out.push((piece, value, existed));
            }
        }
        out
    }

    /// The reports of each member of `unit`'s territory within the period of `bounds`, with the succession rule
    /// applied; `None` when no member reported in the calendar years of the period.
    pub(crate) fn members_reports(
        &mut self,
        ref_index: usize,
        unit: u32,
        bounds: &Bounds,
    ) -> Option<Vec<MemberReports>> {
        let data = Arc::clone(&self.data);
        let territory = &data.units.territory[unit as usize];
        let mut all: Vec<(u32, Period, Aggregate, bool)> = Vec::new();
        let mut own = Vec::new();
        let mut reported_in_years = false;
        let mut silent: Vec<u32> = Vec::new();
        for &member in territory {
            own.clear();
            let reported = self.reports(ref_index, member, bounds, &mut own);
            reported_in_years |= reported;
            if !reported {
                silent.push(member);
            }
            for &(report, value) in &own {
                let existed = self.units.existed_for(member, report, self.rules[ref_index].time);
                all.push((member, report, value, existed));
            }
        }
        if !reported_in_years {
            return None;
        }
        // Reports of members that existed throughout them, overlapping the period (a half-year also overlaps the
        // month asked for): a report by a member that did not exist then is left out where one of these overlaps it.
        let mut existing: Vec<(u32, Period)> = Vec::new();
        for &member in territory {
            self.touching(ref_index, member, bounds, &mut existing);
        }
        let time = self.rules[ref_index].time;
        existing.retain(|&(member, q)| self.units.existed_for(member, q, time));
        let period = Period::Range(NaiveDate::from_num_days_from_ce_opt(bounds.window_first_day)?, bounds.window_end);
        let asked = period.standard_with_same_days().unwrap_or(period);
        // The members' own reports come first in `all` and `existing`, then the parts of the units below them.
        let (own_count, own_existing) = (all.len(), existing.len());
        let mut through_children =
            self.children_parts(ref_index, territory, (&silent, asked), (&mut all, &mut existing));
        let Succession { mut kept, left_out, late_dropped } =
            succession(&data.units, (&all, own_count), (&existing, own_existing));
        // A late report left out leaves its days to the units below its member, which are its area's (B's districts'
        // third quarter, which B's own late quarter had held).
        for &(member, report) in &left_out {
            if let Some(value) = self.children_sum(ref_index, member, report, territory) {
                all.push((member, report, value, false));
                kept.push(true);
                through_children.push(member);
            }
        }
        let mut members: Vec<MemberReports> = territory
            .iter()
            .map(|&member| {
                let reports: Vec<(Period, Aggregate)> = all
                    .iter()
                    .zip(&kept)
                    .filter(|(r, keep)| **keep && r.0 == member)
                    .map(|(r, _)| (r.1, r.2))
                    .collect();
                let restated: Vec<Period> = all
                    .iter()
                    .zip(&kept)
                    .filter(|(r, keep)| **keep && r.0 == member && !r.3)
                    .map(|(r, _)| r.1)
                    .collect();
                let time = self.rules[ref_index].time;
                let before_first_day = self.restatements_used((member, time), (&reports, &restated));
                // A restatement used for want of the old units' own reports covers them, over the days it covers: a
                // restated second quarter leaves the old units' first quarter missing (round 50, found by a review
                // helper: AB's 2025Q2 made its and the nation's first half and year "complete").
                let none: &[(Period, ())] = &[];
                let covers = if restated.is_empty() {
                    Vec::new()
                } else {
                    self.units.territory[member as usize]
                        .iter()
                        .copied()
                        .filter(|&m| m != member && self.is_expected(ref_index, m, period))
                        .filter(|&m| !all.iter().zip(&kept).any(|(r, keep)| *keep && r.0 == m))
                        .filter(|&m| days_covered(self.units.window(m, period, none), &restated))
                        .collect()
                };
                let from_children = through_children.contains(&member) && !reports.is_empty();
                let left_out = left_out.iter().filter(|r| r.0 == member).map(|r| r.1).collect();
                let late_dropped = late_dropped.contains(&member);
                MemberReports {
                    unit: member,
                    reports,
                    covers,
                    covered: false,
                    from_children,
                    left_out,
                    late_dropped,
                    restated: before_first_day,
                }
            })
            .collect();
        let mut covered: Vec<u32> = members.iter().flat_map(|m| m.covers.clone()).collect();
        covered.extend(self.covered_by_predecessors(ref_index, unit, &members, period));
        for member in &mut members {
            member.covered = covered.contains(&member.unit);
        }
        Some(members)
    }

    /// Adds to `all` (and to `existing`, for the days each existed) what members of `territory` report through the
    /// units below them in `asked` ([`Cube::children_reports`]), and returns those members: a member that reported
    /// nothing itself in these years (`silent`) reports through them (rule 3 never leaves out a province whose value
    /// exists only through its districts); one that did, through them on the days its own reports leave out, in its
    /// life (B's districts' first quarter beside B's own second) and outside it (districts that keep reporting after
    /// their province ended), except the days another member's own report covers.
    #[allow(clippy::type_complexity)]
    fn children_parts(
        &mut self,
        ref_index: usize,
        territory: &[u32],
        (silent, asked): (&[u32], Period),
        (all, existing): (&mut Vec<(u32, Period, Aggregate, bool)>, &mut Vec<(u32, Period)>),
    ) -> Vec<u32> {
        let mut through_children: Vec<u32> = Vec::new();
        if self.rules[ref_index].org_units == OrgUnitAggregation::None {
            return through_children;
        }
        let own_count = all.len();
        for &member in territory {
            let own: Vec<(Period, Aggregate)> = all.iter().filter(|r| r.0 == member).map(|r| (r.1, r.2)).collect();
            let own_reports: Vec<Period> = own.iter().map(|r| r.0).collect();
            // The calendar years of `asked` in which the member reported itself: there its own reports take
            // precedence (rule 3); in the others its children report for it, year by year as for the calendar
            // periods inside (B through its districts in 2023, itself in 2024).
            let own_years =
                if silent.contains(&member) { Vec::new() } else { self.own_years(ref_index, member, asked) };
            let by_year = !own_years.is_empty() && asked.start().year() != asked.end().year();
            for (piece, value, existed) in self.children_reports(ref_index, member, territory, (asked, by_year)) {
                let own_year = own_years.contains(&piece.start().year()) || own_years.contains(&piece.end().year());
                if !silent.contains(&member)
                    && ((existed && own_year) || own_reports.iter().any(|q| q.overlaps(&piece)))
                {
                    if existed {
                        // The member's own reports hold the days they cover; the units below it hold its other days
                        // (rule 3, as for a unit on its own: B's districts' first quarter beside B's own second;
                        // round 50, found by a review helper: "missing prov-b 2025Q1" in AB's courts' year).
                        for gap in own_gaps(piece, &clipped_to(piece, &own)) {
                            if let Some(value) = self.children_sum(ref_index, member, gap, territory) {
                                self.push_days_below(ref_index, (member, gap, &value), territory, existing);
                                through_children.push(member);
                                all.push((member, gap, value, true));
                            }
                        }
                    }
                    continue;
                }
                if !existed {
                    // Days outside the member's life: another member's own reports inside them hold the days they
                    // cover (AB's own third quarter), the units below the member the rest (B's districts' fourth;
                    // round 50, found by a review helper: dropped with the whole second half). Only a report of an
                    // area that holds the member's: A's own late quarter is A's, not B's districts' (round 54 F2).
                    let holds = |holder: u32| self.units.territory[holder as usize].contains(&member);
                    let others: Vec<(Period, Aggregate)> = (all[..own_count].iter())
                        .filter(|r| r.0 != member && piece.contains(&r.1) && holds(r.0))
                        .map(|r| (r.1, r.2))
                        .collect();
                    if !others.is_empty() {
                        for gap in own_gaps(piece, &others) {
                            if let Some(value) = self.children_sum(ref_index, member, gap, territory) {
                                through_children.push(member);
                                all.push((member, gap, value, false));
                            }
                        }
                        continue;
                    }
                }
                if existed {
                    self.push_days_below(ref_index, (member, piece, &value), territory, existing);
                }
                through_children.push(member);
                all.push((member, piece, value, existed));
            }
        }
        through_children
    }

    /// Adds to `existing` the days of `piece` that the units below `member` reported, whose sum is `value`: the whole
    /// piece where their reports cover it, else their reports' own days, so that a restatement of days none of them
    /// reported still counts (round 57, found by a helper's fuzzer: B's districts' March made B's part of AB's first
    /// half, and AB's restated May, which AB's second quarter held, was left out of AB's and the nation's half).
    fn push_days_below(
        &self,
        ref_index: usize,
        (member, piece, value): (u32, Period, &Aggregate),
        territory: &[u32],
        existing: &mut Vec<(u32, Period)>,
    ) {
        if !value.partial_time {
            existing.push((member, piece));
            return;
        }
        let days = self.days_reported_below(ref_index, member, piece, territory);
        existing.extend(days.into_iter().map(|days| (member, days)));
    }

    /// The calendar years of `period` in which `member` reported the reference itself.
    fn own_years(&self, ref_index: usize, member: u32, period: Period) -> Vec<i32> {
        let mut scratch = Vec::new();
        (period.start().year()..=period.end().year())
            .filter(|&year| {
                scratch.clear();
                self.reports(ref_index, member, &Bounds::of(Period::Year(year)), &mut scratch)
            })
            .collect()
    }

    /// `unit` itself when it reported nothing in `period` but its predecessors' reports, each one's past its own
    /// life (the old provinces' whole year of the merger), cover every day `unit` existed in the period: those
    /// reports stand for it, as a restatement stands for old units that reported nothing. `None` otherwise: a new
    /// unit that sent nothing for its days is expected and missing.
    ///
    /// The predecessors' districts (their sums of the units below them) cover only their own areas: they stand for
    /// `unit` only where none of the units below `unit` itself is expected in the period (round 52, found by a review
    /// helper: A's and B's districts' October made AB's October "2 of 2, complete" without AB's own district, which
    /// reported September).
    fn covered_by_predecessors(
        &self,
        ref_index: usize,
        unit: u32,
        members: &[MemberReports],
        period: Period,
    ) -> Option<u32> {
        let own = members.iter().find(|m| m.unit == unit)?;
        if !own.reports.is_empty() || !self.units.overlaps(unit, period) {
            return None;
        }
        let below_expected =
            self.units.contributors[unit as usize].iter().any(|&c| self.expected_count(ref_index, c, period) > 0);
        let (from, to) = self.units.valid[unit as usize];
        let start = from.map_or(period.start(), |from| from.max(period.start()));
        let end = to.map_or(period.end(), |to| to.min(period.end()));
        let predecessors: Vec<&MemberReports> = members.iter().filter(|m| m.unit != unit).collect();
        let covers_days = |member: &&MemberReports| {
            let mut next = start;
            let mut reports: Vec<(NaiveDate, NaiveDate)> = (member.reports.iter())
                .filter(|(_, value)| !(below_expected && value.from_children))
                .map(|(q, _)| (q.start(), q.end()))
                .collect();
            reports.sort_unstable();
            for (first, last) in reports {
                if first <= next && last >= next {
                    match last.succ_opt() {
                        Some(day) => next = day,
                        None => return true,
                    }
                }
            }
            next > end
        };
        (!predecessors.is_empty() && predecessors.iter().all(covers_days)).then_some(unit)
    }
}

/// One member of a territory: the reports it contributes to a period after the succession rule.
#[derive(Debug, Clone)]
pub(crate) struct MemberReports {
    pub unit: u32,
    pub reports: Vec<(Period, Aggregate)>,
    /// Old units whose part of the period this member's restatement stands for (they reported nothing for it).
    pub covers: Vec<u32>,
    /// Whether another member's restatement stands for this one.
    pub covered: bool,
    /// Whether some of `reports` are the sums of the units below the member (it reported nothing itself in the
    /// calendar years of the period, or nothing for days outside its life that they reported), each carrying how many
    /// of them were expected and reported (`Aggregate::from_children`).
    pub from_children: bool,
    /// The member's own reports of days it did not exist that the succession rule left out beside the parts of
    /// another member's units below, which may hold the same area (see [`Aggregate::late_left_out`]).
    pub left_out: Vec<Period>,
    /// Whether the succession rule left out any of the member's own reports of days after it ended (those of
    /// `left_out`, and those beside another member's own report of the whole area).
    pub late_dropped: bool,
    /// The member's own reports of days before it existed that the value keeps (its restatements,
    /// [`Aggregate::restated`]).
    pub restated: Vec<Period>,
}

/// The own reports (not sums of the units below) of the members of a territory other than `member` whose territory
/// holds it: each is then `member`'s whole area too, and holds the days it covers for it (AB's own report holds A's
/// and B's days; A's own late report is A's area only, never B's districts'; round 54).
pub(crate) fn others_own(units: &Units, members: &[MemberReports], member: u32) -> Vec<(Period, Aggregate)> {
    let others = members.iter().filter(|m| m.unit != member && units.territory[m.unit as usize].contains(&member));
    others.flat_map(|m| m.reports.iter().filter(|(_, value)| !value.from_children)).copied().collect()
}

/// The days of `window` that none of `reports` inside it covers, as the coarsest calendar periods that tile each gap
/// ([`Period::calendar_pieces`]): what the units below a member can hold beside its own reports.
fn own_gaps(window: Period, reports: &[(Period, Aggregate)]) -> Vec<Period> {
    let gaps = crate::eval::coverage::days_left(window, reports);
    gaps.into_iter().flat_map(|(first, last)| Period::calendar_pieces(first, last)).collect()
}

/// `reports` that share days with `window`, each cut to those days: a member's own report that runs past a piece of
/// the period holds the piece's days it covers (AB's own stock of April to December holds its second half, whose
/// district's 21 had stood for AB's and the nation's 31 December beside AB's own 157; round 53 F3, found by a review
/// helper).
pub(crate) fn clipped_to(window: Period, reports: &[(Period, Aggregate)]) -> Vec<(Period, Aggregate)> {
    reports
        .iter()
        .filter(|(report, _)| report.overlaps(&window))
        .map(|&(report, value)| {
            (Period::Range(report.start().max(window.start()), report.end().min(window.end())), value)
        })
        .collect()
}

/// Whether `periods` together cover every day of `window`.
pub(crate) fn days_covered(window: Period, periods: &[Period]) -> bool {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = periods.iter().map(|p| (p.start(), p.end())).collect();
    spans.sort_unstable();
    let mut next = window.start();
    for (start, end) in spans {
        if start > next {
            break;
        }
        if end >= next {
            match end.succ_opt() {
                Some(day) => next = day,
                None => return true,
            }
        }
    }
    next > window.end()
}
