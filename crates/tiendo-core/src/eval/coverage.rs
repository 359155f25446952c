//! Coverage of aggregated values: which reporting units a value was expected to be built from, which of them
//! reported the whole period, and what the policy does with a value built from part of them.
//!
//! Which units are expected (DHIS2's reporting rates) is `eval::expected`'s. A value is
//! **partial** when an expected unit did not report, a unit reported only part of the period (three quarters of a
//! year), or a cell holds only an incomplete breakdown.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::eval::aggregate::{Aggregate, Bounds, Cube};
use crate::eval::territory::{MemberReports, others_own};
use crate::eval::walk_leaves::{LeafState, Lookup};
use crate::model::OrgUnitAggregation;
use crate::period::{Period, PeriodType};

/// What evaluation does with a partial value (`[assessment] coverage` in `tiendo.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoveragePolicy {
    /// Publish it, marked, and let it decide statuses, targets and changes like a complete value.
    Flag,
    /// Publish it, marked, but never let it decide a status, a target, a trend or a change (the default: a number a
    /// reviewer can read with its caveat, and no conclusion drawn from part of the provinces).
    #[default]
    Exclude,
    /// Withhold it: the point shows as incomplete, without a number.
    RequireComplete,
}

impl CoveragePolicy {
    pub const ALL: [CoveragePolicy; 3] =
        [CoveragePolicy::Flag, CoveragePolicy::Exclude, CoveragePolicy::RequireComplete];

    /// The name used in TOML and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CoveragePolicy::Flag => "flag",
            CoveragePolicy::Exclude => "exclude",
            CoveragePolicy::RequireComplete => "require-complete",
        }
    }

    pub fn parse(text: &str) -> Option<CoveragePolicy> {
        CoveragePolicy::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// The coverage of one published value. Units are counted at the finest level that reports (provinces for a
/// national sum of provinces).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Coverage {
    /// `k` of "k of n units": the expected units that reported (for a ratio: that reported both parts).
    pub reported: u32,
    /// `n`: the units expected to contribute.
    pub expected: u32,
    /// Whether the value is built from everything expected.
    pub complete: bool,
    /// Expected units that reported nothing for the period, in id order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Units that reported part of the period, with the sub-periods they did not report (`"prov-x 2023Q4"`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_periods: Vec<String>,
    /// Units left out of a ratio because they reported one part without the other.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmatched: Vec<String>,
    /// Units below that report some of a plugin's inputs but not all: they are not left out (the plugin is run on
    /// the sums it is given), so its inputs are sums over different units (round 73, found by an adversarial tester:
    /// they were named as a ratio's units "left out", which they were not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs_unmatched: Vec<String>,
    /// A plugin's inputs, by data element id, that the unit did not report for the period while other units did:
    /// the plugin ran without them (and may have read them as 0), so its value lacks them (round 74).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs_missing: Vec<String>,
    /// Whether some cell holds only an incomplete breakdown (no total, no complete breakdown).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub incomplete_breakdown: bool,
    /// Reports left out because other units' figures in the value may hold the same area (`"prov-a 2025Q3"`: an old
    /// province's report of days after it ended, beside its successor's new district's; methodology §2, rule 3).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
    /// Reports of days before their unit existed that the value holds (`"prov-ab 2024"`: a new province's
    /// restatement of a year before the merger, standing for the old provinces; [`Aggregate::restated`]), in order.
    /// Every output marks such a value, complete or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restated: Vec<String>,
}

impl Coverage {
    /// Adds what another reference of the same value found (a ratio's numerator and denominator, the terms of
    /// `a + b`). Where both are complete, every unit expected for either reported what was expected of it, so all
    /// of them reported: `a` from pa and pb with `b` from pa alone (pb is not expected for `b`) is 2 of 2 units, not
    /// "1 of 2" beside a complete value (round 43).
    pub fn merge(&mut self, other: &Coverage) {
        let complete = self.complete && other.complete;
        self.expected = self.expected.max(other.expected);
        self.reported = if complete { self.expected } else { self.reported.min(other.reported) };
        for (mine, theirs) in [
            (&mut self.missing, &other.missing),
            (&mut self.missing_periods, &other.missing_periods),
            (&mut self.unmatched, &other.unmatched),
            (&mut self.inputs_unmatched, &other.inputs_unmatched),
            (&mut self.inputs_missing, &other.inputs_missing),
            (&mut self.left_out, &other.left_out),
            (&mut self.restated, &other.restated),
        ] {
            let set: BTreeSet<String> = mine.iter().chain(theirs).cloned().collect();
            *mine = set.into_iter().collect();
        }
        self.incomplete_breakdown |= other.incomplete_breakdown;
        self.complete &= other.complete;
    }
}

/// The days of `window` that none of `reports` lying inside it covers, as (first, last) spans in order.
pub(crate) fn days_left(window: Period, reports: &[(Period, Aggregate)]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut inside: Vec<(NaiveDate, NaiveDate)> =
        reports.iter().filter(|(p, _)| window.contains(p)).map(|(p, _)| (p.start(), p.end())).collect();
    inside.sort_unstable();
    let mut gaps = Vec::new();
    let mut next = Some(window.start());
    for (start, end) in inside {
        let Some(day) = next else { break };
        if start > day {
            gaps.push((day, start.pred_opt().unwrap_or(start)));
        }
        next = next.max(end.succ_opt()).filter(|_| end < window.end());
        if end >= window.end() {
            next = None;
        }
    }
    if let Some(day) = next.filter(|&day| day <= window.end()) {
        gaps.push((day, window.end()));
    }
    gaps
}

/// The days of `window` that none of `reports` inside it covers, as the sub-periods of the finest calendar type
/// reported (months for a date range) that tile each gap, or as the gap's own days where none do. A report that only
/// overlaps the window (a first quarter beside a range from 1 February) does not count in its value, so its days in
/// the window are missing too: "prov-b 2024-02-01..2024-03-31", never a partial mark without a reason (round 44).
fn uncovered(window: Period, reports: &[(Period, Aggregate)]) -> Vec<Period> {
    let finest = reports
        .iter()
        .map(|(p, _)| match p.period_type() {
            PeriodType::Range => PeriodType::Month,
            other => other,
        })
        .max()
        .unwrap_or(PeriodType::Month);
    let finest = if finest == PeriodType::Year { PeriodType::Half } else { finest };
    // The parts a sum over time takes (`combine::parts_taken`: the longest first, none overlapping one taken),
    // so that the days of a report left out beside an overlapping one are named (AB's September inside a September
    // to November report beside its own fourth quarter: "PARTIAL:" with nothing named; round 54).
    let inside: Vec<(Period, Aggregate)> = reports.iter().filter(|(p, _)| window.contains(p)).copied().collect();
    let taken: Vec<(Period, Aggregate)> = crate::eval::combine::parts_taken(&inside).into_iter().copied().collect();
    let mut out = Vec::new();
    for (start, end) in days_left(window, &taken) {
        let gap = Period::Range(start, end);
        let gap = gap.standard_with_same_days().unwrap_or(gap);
        let tiles = [finest, PeriodType::Month].into_iter().map(|t| gap.tiling(t)).find(|t| !t.is_empty());
        match tiles {
            Some(tiles) => out.extend(tiles),
            None => out.push(gap),
        }
    }
    out
}

impl Cube<'_> {
    /// The coverage of reference `ref_index` at `org_unit` in `period`, for a value built from more than one unit or
    /// from part of what was expected; `None` for a unit's own complete report or a missing value.
    pub fn coverage(&mut self, ref_index: usize, org_unit: &str, period: Period) -> Option<Coverage> {
        let value = self.value(ref_index, org_unit, period)?;
        if !(value.from_children || value.expected > 1 || value.is_partial() || value.restated) {
            return None;
        }
        let unit = *self.units.index.get(org_unit)?;
        let mut missing = BTreeSet::new();
        let mut missing_periods = BTreeSet::new();
        // A complete value lacks nothing: only a partial one is walked for what it lacks.
        if value.is_partial() {
            self.walk(ref_index, unit, period, &mut missing, &mut missing_periods);
        }
        Some(Coverage {
            reported: value.reported,
            expected: value.expected,
            complete: !value.is_partial(),
            missing: missing.into_iter().collect(),
            missing_periods: missing_periods.into_iter().collect(),
            unmatched: Vec::new(),
            inputs_unmatched: Vec::new(),
            inputs_missing: Vec::new(),
            incomplete_breakdown: value.partial_breakdown,
            left_out: if value.late_left_out { self.overlaps_left_out(ref_index, unit, period) } else { Vec::new() },
            restated: if value.restated { self.restatements(ref_index, unit, period) } else { Vec::new() },
        })
    }

    /// The reports left out of `unit`'s value in `period` beside parts that may hold the same area
    /// ([`Aggregate::late_left_out`]), as "{unit} {period}", in order: those of the merged territories below it
    /// whose values carry the mark.
    fn overlaps_left_out(&mut self, ref_index: usize, unit: u32, period: Period) -> Vec<String> {
        let marked = |value: &Aggregate| value.late_left_out;
        self.marked_reports(ref_index, (unit, period), marked, |member| member.left_out.clone())
    }

    /// The restatements `unit`'s value in `period` holds ([`Aggregate::restated`]), as "{unit} {period}", in order:
    /// the kept reports of days before their unit existed, of the merged territories below it and of the units alone
    /// in theirs whose values carry the mark.
    fn restatements(&mut self, ref_index: usize, unit: u32, period: Period) -> Vec<String> {
        let data = Arc::clone(&self.data);
        let time = data.rules[ref_index].time;
        let mut found: BTreeSet<String> = BTreeSet::new();
        let (mut pending, mut seen) = (vec![unit], BTreeSet::new());
        while let Some(next) = pending.pop() {
            if !seen.insert(next) || !self.value_of(ref_index, next, period).is_some_and(|v| v.restated) {
                continue;
            }
            let id = &data.units.ids[next as usize];
            if data.units.territory[next as usize].len() == 1 {
                let mut own = Vec::new();
                self.reports(ref_index, next, &Bounds::of(period), &mut own);
                let periods: Vec<Period> = own.iter().map(|&(q, _)| q).collect();
                let used = self.restatements_used((next, time), (&own, &periods));
                found.extend(used.iter().map(|q| format!("{id} {q}")));
            }
            // A merged unit's members' restatements, one level: the walk itself goes on below.
            let members = if data.units.territory[next as usize].len() > 1 {
                self.members_reports(ref_index, next, &Bounds::of(period)).unwrap_or_default()
            } else {
                Vec::new()
            };
            for member in members {
                let member_id = &data.units.ids[member.unit as usize];
                found.extend(member.restated.iter().map(|q| format!("{member_id} {q}")));
            }
            pending.extend(data.units.contributors[next as usize].iter().copied());
        }
        found.into_iter().collect()
    }

    /// The reports `list` gives of each member of the merged territories at and below `unit` in `period`, as "{unit}
    /// {period}", in order, following the contributors whose values `marked` accepts.
    fn marked_reports(
        &mut self,
        ref_index: usize,
        (unit, period): (u32, Period),
        marked: impl Fn(&Aggregate) -> bool,
        list: impl Fn(&MemberReports) -> Vec<Period>,
    ) -> Vec<String> {
        let data = Arc::clone(&self.data);
        let bounds = Bounds::of(period);
        let mut found = BTreeSet::new();
        let (mut pending, mut seen) = (vec![unit], BTreeSet::new());
        while let Some(next) = pending.pop() {
            if !seen.insert(next) {
                continue;
            }
            if data.units.territory[next as usize].len() > 1 {
                for member in self.members_reports(ref_index, next, &bounds).unwrap_or_default() {
                    let id = &data.units.ids[member.unit as usize];
                    found.extend(list(&member).iter().map(|report| format!("{id} {report}")));
                }
            }
            for &c in &data.units.contributors[next as usize] {
                if self.value_of(ref_index, c, period).is_some_and(|v| marked(&v)) {
                    pending.push(c);
                }
            }
        }
        found.into_iter().collect()
    }

    /// Collects the expected units that did not report under `unit`, and the sub-periods missing from those that
    /// reported part of the period, following the path [`Cube::value`] took.
    fn walk(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
        missing: &mut BTreeSet<String>,
        missing_periods: &mut BTreeSet<String>,
    ) {
        let tiled_by = self.value_of(ref_index, unit, period).and_then(|value| value.tiled_by);
        if let Some(parts) = self.years_taken(ref_index, unit, period).or_else(|| Some(period.tiling(tiled_by?))) {
            // Taken part by part (years, or the tiles of the unit's own reports and the units below's): what each
            // part lacks.
            self.walk_years(ref_index, unit, &parts, (missing, missing_periods));
            return;
        }
        let data = Arc::clone(&self.data);
        let bounds = Bounds::of(period);
        if self.value_of(ref_index, unit, period).is_some_and(|value| value.from_children)
            && self.own_value(ref_index, unit, period, &bounds).is_some()
        {
            // The units below stood for the unit's own reports of part of the period (`own_or_below`): what they lack.
            self.walk_contributors(ref_index, unit, period, &[], (missing, missing_periods));
            return;
        }
        if data.rules[ref_index].org_units == OrgUnitAggregation::None && data.units.territory[unit as usize].len() > 1
        {
            // A value that does not add up over units is the unit's own reports only: what they leave of the period
            // is what it lacks (a merged province's 2025 from its second half, its predecessors' first halves not
            // combined with it; round 46: "PARTIAL: " with nothing named).
            let mut own = Vec::new();
            if self.reports(ref_index, unit, &bounds, &mut own) {
                for sub in uncovered(period, &own) {
                    missing_periods.insert(format!("{} {sub}", data.units.ids[unit as usize]));
                }
            }
            return;
        }
        if let Some(members) = self.members_reports(ref_index, unit, &bounds) {
            self.walk_members(ref_index, (unit, period), members, (missing, missing_periods));
            return;
        }
        self.walk_contributors(ref_index, unit, period, &[], (missing, missing_periods));
    }

    /// [`Cube::walk`] of a territory's value built from its members' reports (`members`, after the succession rule):
    /// what each member lacks, as the value counts it.
    fn walk_members(
        &mut self,
        ref_index: usize,
        (unit, period): (u32, Period),
        members: Vec<MemberReports>,
        (missing, missing_periods): (&mut BTreeSet<String>, &mut BTreeSet<String>),
    ) {
        let data = Arc::clone(&self.data);
        let territory = &data.units.territory[unit as usize];
        // A stock's old unit stood for by a later unit of its lineage is not missing, as in the value's count
        // (round 46: "1 of 1 units PARTIAL: no report from prov-a, prov-b" beside the new province's stock).
        let counted = self.counted_members(ref_index, &members, period);
        let superseded: Vec<bool> =
            members.iter().map(|m| self.superseded(ref_index, m.unit, &members, &counted)).collect();
        let held: Vec<Vec<(Period, Aggregate)>> =
            members.iter().map(|m| others_own(&data.units, &members, m.unit)).collect();
        let members_all = members.clone();
        let named_before = missing.len() + missing_periods.len();
        let mut outside_life: Vec<MemberReports> = Vec::new();
        let beyond: Vec<Vec<(u32, Period)>> =
            members.iter().map(|m| data.below_beyond_life(ref_index, (m, &members), territory, period)).collect();
        for (((member, superseded), held), beyond) in members.into_iter().zip(superseded).zip(held).zip(beyond) {
            let id = &data.units.ids[member.unit as usize];
            // What the units below a member that ended in the period lack over its later days, as the value counts
            // them: for a member with reports, or one a restatement covers over its life.
            for (below, piece) in beyond.into_iter().filter(|_| !member.reports.is_empty() || member.covered) {
                let mut lacking = BTreeSet::new();
                data.expected_units(ref_index, below, piece, &mut lacking);
                missing_periods.extend(lacking.into_iter().map(|id| format!("{id} {piece}")));
            }
            if member.from_children {
                // A member that reports through the units below it lacks what they lack, part by part.
                let through = |value: &Aggregate| value.from_children;
                for (part, _) in member.reports.iter().filter(|(_, v)| through(v) && v.is_partial()) {
                    self.walk_contributors(ref_index, member.unit, *part, territory, (missing, missing_periods));
                }
                if member.reports.iter().all(|(_, value)| through(value)) {
                    // Days of its life no part covers, nor another member's own report: what the units expected
                    // there lack (round 52, found by a review helper: A's and B's silent first half was never
                    // named beside their districts' fourth quarter, "5 of 5 units, PARTIAL:").
                    let taken: Vec<(Period, Aggregate)> = member.reports.iter().chain(&held).copied().collect();
                    let window = data.units.window(member.unit, period, &member.reports);
                    let in_life = |sub: &Period| data.units.overlaps(member.unit, *sub);
                    for sub in uncovered(window, &taken).into_iter().filter(in_life).filter(|_| !member.covered) {
                        let mut lacking = BTreeSet::new();
                        data.expected_units(ref_index, member.unit, sub, &mut lacking);
                        missing_periods.extend(lacking.into_iter().map(|id| format!("{id} {sub}")));
                    }
                    continue;
                }
            }
            if member.reports.is_empty() {
                if data.is_expected(ref_index, member.unit, period) && !member.covered && !superseded {
                    if !self.lacks_own_part(ref_index, member.unit, period, missing_periods) {
                        missing.insert(id.clone());
                    }
                } else if !member.covered && !superseded {
                    // A member that did not exist in the period lacks what the units below it lack there.
                    for below in data.below_ended_member(ref_index, (member.unit, territory), period, &held) {
                        data.expected_units(ref_index, below, period, missing);
                    }
                }
                continue;
            }
            if self.member_value(ref_index, (&member, &members_all), period).is_none() {
                // Reports the element's rule over time does not combine into the period (the quarters of a count
                // with `time_aggregation = "none"`): the member counts as not reporting, and is named (round 45:
                // "PARTIAL: " with no name, and the review said the value "includes data of" it).
                missing.insert(id.clone());
                continue;
            }
            let window =
                crate::eval::territory_rule::unheld(data.units.window(member.unit, period, &member.reports), &held);
            // Days wholly outside the member's life are not its to lack: another member's own report holds them,
            // or the units below it are named for them above (round 52, found by a review helper: "prov-a
            // 2025-07" beside AB's own July and August).
            let outside = |sub: &Period| !data.units.overlaps(member.unit, *sub) && territory.len() > 1;
            for sub in uncovered(window, &member.reports).into_iter().filter(|sub| !outside(sub)) {
                missing_periods.insert(format!("{id} {sub}"));
            }
            if !data.units.overlaps(member.unit, period) {
                outside_life.push(member);
            }
        }
        // Where nothing else is named, a member's reports of a period it did not exist in (a restatement standing for
        // the old units, their own reports superseded or covered; a late report) lack the days of the period they
        // leave: AB's restated November stock made the fourth quarter of 2024 partial with nothing named (round 54).
        if missing.len() + missing_periods.len() == named_before {
            for member in outside_life {
                let id = &data.units.ids[member.unit as usize];
                missing_periods.extend(uncovered(period, &member.reports).into_iter().map(|sub| format!("{id} {sub}")));
            }
        }
    }

    /// [`Cube::walk`] of a value taken year by year (crate::eval::by_years): what each year's part lacks. A unit
    /// with no report in some of the parts only lacks those parts (`"prov-a 2024S1"`, `"prov-a 2024Q3"`), not the
    /// whole period: it is named among the missing units only where it lacks every part.
    fn walk_years(
        &mut self,
        ref_index: usize,
        unit: u32,
        parts: &[Period],
        (missing, missing_periods): (&mut BTreeSet<String>, &mut BTreeSet<String>),
    ) {
        let mut by_part: Vec<(Period, BTreeSet<String>)> = Vec::new();
        for &part in parts {
            let mut lacking = BTreeSet::new();
            let value = self.value_of(ref_index, unit, part);
            if value.is_none_or(|value| value.is_partial()) {
                let named = missing_periods.len();
                self.walk(ref_index, unit, part, &mut lacking, missing_periods);
                if value.is_none() && lacking.is_empty() && missing_periods.len() == named {
                    // Nothing for the part and nothing below named: the units expected there lack it, as for a
                    // contributor without a value (a district whose communes never report is itself expected; round
                    // 51, found by a review helper: dist-c1 was not named beside dist-c2 in a courts' year).
                    self.data.expected_units(ref_index, unit, part, &mut lacking);
                }
                if lacking.is_empty() && missing_periods.len() == named {
                    // Nothing below lacks anything: the unit's own value lacks the days of the part it did not
                    // exist in (an old province's courts' year past 30 June 2025).
                    missing_periods.extend(self.days_outside_life(unit, part));
                }
            }
            by_part.push((part, lacking));
        }
        let data = Arc::clone(&self.data);
        for (part, lacking) in &by_part {
            for id in lacking {
                if by_part.iter().all(|(_, other)| other.contains(id)) {
                    missing.insert(id.clone());
                    continue;
                }
                // The days of the part the unit existed in (AB, from 1 July 2025, lacks July and August of 2025), as
                // the calendar periods that tile them (a courts' year's part of 2025: 2025S1 and 2025Q3).
                let none: &[(Period, ())] = &[];
                let days = data.units.index.get(id).map_or(*part, |&u| data.units.window(u, *part, none));
                for piece in Period::calendar_pieces(days.start(), days.end()) {
                    missing_periods.insert(format!("{id} {}", piece.standard_with_same_days().unwrap_or(piece)));
                }
            }
        }
    }

    /// The days of `part` before and after `unit`'s territory existed, as `"prov-b 2025Q3"`.
    fn days_outside_life(&self, unit: u32, part: Period) -> Vec<String> {
        let lives = self.units.territory[unit as usize].iter().map(|&member| self.units.valid[member as usize]);
        let from = lives.clone().map(|(from, _)| from).try_fold(NaiveDate::MAX, |a, b| b.map(|b| a.min(b)));
        let to = lives.map(|(_, to)| to).try_fold(NaiveDate::MIN, |a, b| b.map(|b| a.max(b)));
        let before = from.filter(|&day| day > part.start()).and_then(|day| Some((part.start(), day.pred_opt()?)));
        let after = to.filter(|&day| day < part.end()).and_then(|day| Some((day.succ_opt()?, part.end())));
        let id = &self.units.ids[unit as usize];
        [before, after]
            .into_iter()
            .flatten()
            .map(|(start, end)| {
                let days = Period::Range(start, end);
                format!("{id} {}", days.standard_with_same_days().unwrap_or(days))
            })
            .collect()
    }

    /// [`Cube::walk`] through `unit`'s contributors other than those in `skip` (a territory's members, walked on
    /// their own).
    fn walk_contributors(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
        skip: &[u32],
        (missing, missing_periods): (&mut BTreeSet<String>, &mut BTreeSet<String>),
    ) {
        let data = Arc::clone(&self.data);
        // The units below stand in for a silent unit only where some of them reported ([`Cube::stands_in_for`]).
        let below = &data.units.contributors[unit as usize];
        let stood_in = below.iter().any(|&c| self.value_of(ref_index, c, period).is_some());
        for &contributor in data.units.contributors[unit as usize].iter().filter(|c| !skip.contains(c)) {
            let state = if self.takes_part_in_split(contributor) {
                match self.contribution(ref_index, contributor, period) {
                    Some(value) => LeafState::of(value),
                    None => continue,
                }
            } else {
                self.state_of(ref_index, contributor, period)
            };
            match state {
                LeafState::Missing if stood_in && self.stands_in_for(ref_index, unit, contributor, period) => {
                    missing.insert(data.units.ids[contributor as usize].clone());
                }
                LeafState::Missing => {
                    let leaf = data.units.contributors[contributor as usize].is_empty();
                    let expected = leaf && data.is_expected(ref_index, contributor, period);
                    if !(expected && self.lacks_own_part(ref_index, contributor, period, missing_periods)) {
                        data.expected_units(ref_index, contributor, period, missing);
                    }
                }
                LeafState::Partial => self.walk(ref_index, contributor, period, missing, missing_periods),
                LeafState::Complete => {}
            }
        }
    }

    /// Names what a unit with no value in `period` lacks where its reports touching the period were all left out by
    /// the succession rule (a new unit's restatement of days its predecessor reported, W332): it did report, so it
    /// lacks its own part of the period ("prov-d1-2025 2025S2"), not a report. False, naming nothing, where it
    /// reported nothing touching the period or existed throughout it: then it is "no report from" it (round 61: a
    /// split successor's year left out beside its sibling's own half was named "no report from" it).
    fn lacks_own_part(
        &mut self,
        ref_index: usize,
        unit: u32,
        period: Period,
        missing_periods: &mut BTreeSet<String>,
    ) -> bool {
        let mut reported = Vec::new();
        self.touching(ref_index, unit, &Bounds::of(period), &mut reported);
        let life = self.data.units.window(unit, period, &[] as &[(Period, ())]);
        if reported.is_empty() || life == period {
            return false;
        }
        let id = &self.data.units.ids[unit as usize];
        missing_periods.insert(format!("{id} {}", life.standard_with_same_days().unwrap_or(life)));
        true
    }

    /// Whether the value of reference `ref_index` at contributor `unit` in `period` is missing, partial or complete:
    /// [`Cube::value_of`]'s, from a leaf's kept states when walks have asked for it often enough
    /// ([`crate::eval::walk_leaves`]).
    fn state_of(&mut self, ref_index: usize, unit: u32, period: Period) -> LeafState {
        if self.units.contributors[unit as usize].is_empty() {
            match self.walk_leaves.lookup(ref_index, unit, period) {
                Lookup::Known(state) => return state,
                Lookup::ComputeSeries(set) => {
                    let series = self.values_over_unit(ref_index, unit, &set);
                    if let Some(state) = self.walk_leaves.store(ref_index, unit, &series, period) {
                        return state;
                    }
                }
                Lookup::Single => {}
            }
        }
        LeafState::of(self.value_of(ref_index, unit, period))
    }
}
