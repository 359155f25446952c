//! Coverage of aggregated values: which reporting units a value was expected to be built from, which of them
//! reported the whole period, and what the policy does with a value built from part of them.
//!
//! Expected contributors (DHIS2's reporting rates, `docs/methodology.md` section 2): a unit is expected to report an
//! element in a period when it existed on at least one day of the period and either a data set that holds the
//! element expects units of its level, or a unit of its lineage (itself, and the units before and after it in a
//! merger or a split: one area over time) reports the element in some period of the data or had rows of it
//! refused or left out before evaluation. A new province that sent nothing is expected where its old provinces
//! reported; so is a unit whose every row was refused. A value is
//! **partial** when an expected unit did not report, a unit reported only part of the period (three quarters of a
//! year), or a cell holds only an incomplete breakdown.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::eval::aggregate::{Aggregate, Bounds, Cube, CubeData};
use crate::eval::store::ObservationStore;
use crate::eval::succession::Units;
use crate::eval::territory::{MemberReports, others_own};
use crate::eval::walk_leaves::{LeafState, Lookup};
use crate::expr::ElementRef;
use crate::model::{Catalogue, Formula, OrgUnitAggregation, TimeAggregation};
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

impl CubeData<'_> {
    /// Whether `unit` is expected to report reference `ref_index` in `period` (see the module documentation).
    pub(crate) fn is_expected(&self, ref_index: usize, unit: u32, period: Period) -> bool {
        if !self.units.overlaps(unit, period) {
            return false;
        }
        if self.expected_level[ref_index] == Some(self.units.levels[unit as usize]) {
            return true;
        }
        // A unit is expected where a unit of its lineage reports the element: a restatement of 2024 by the new
        // province makes the old provinces' silence in 2025 visible, and the old provinces' reports the silence of
        // the new province (or of a split's successor) after the change.
        self.reporting.contains(ref_index, self.units.lineage[unit as usize])
    }

    /// How many members of `unit`'s territory are expected to report reference `ref_index` in `period`: the units
    /// its own value counts.
    pub(crate) fn members_expected(&self, ref_index: usize, unit: u32, period: Period) -> u32 {
        let territory = &self.units.territory[unit as usize];
        territory.iter().filter(|&&member| self.is_expected(ref_index, member, period)).count() as u32
    }

    /// The units below `member`, a member of a territory, that stand for it over days of `period` it did not exist in
    /// and that the territory's value does not count otherwise (its contributors outside the territory): B's districts,
    /// which keep reporting after B ended, in AB's later quarters. Empty where `member` is itself expected in the
    /// period (it counts as one unit there), where the element does not add up over units, and where `held` (the
    /// other members' own reports, which are the whole territory's) covers every day of the period (AB's own third
    /// quarter holds B's districts' days).
    pub(crate) fn below_ended_member<'t>(
        &'t self,
        ref_index: usize,
        (member, territory): (u32, &'t [u32]),
        period: Period,
        held: &[(Period, Aggregate)],
    ) -> impl Iterator<Item = u32> + 't {
        let counts = self.rules[ref_index].org_units != OrgUnitAggregation::None
            && !self.units.existed_throughout(member, period.start(), period.end())
            && !self.is_expected(ref_index, member, period)
            && !days_left(period, held).is_empty();
        let below: &[u32] = if counts { &self.units.contributors[member as usize] } else { &[] };
        below.iter().copied().filter(move |c| !territory.contains(c))
    }

    /// The units below `member`, a member of a territory with a value in `period` that did not exist throughout it,
    /// that stand for it over the days of `period` outside its life which neither its reports (its districts' parts
    /// after its end) nor the other members' own reports (each the whole territory's) cover, each with the calendar
    /// piece of those days it is expected in: A's district in AB's second half beside A's own first half (round 52,
    /// found by a review helper: AB's 2025 from A's and B's own first halves and AB's district's second half was
    /// "3 of 3, complete" while that second half lacked A's district). Empty for a stock (its value is the last
    /// day's, [`crate::eval::territory`]) and for an element that does not add up over units.
    pub(crate) fn below_beyond_life(
        &self,
        ref_index: usize,
        (member, members): (&MemberReports, &[MemberReports]),
        territory: &[u32],
        period: Period,
    ) -> Vec<(u32, Period)> {
        let rule = &self.rules[ref_index];
        let unit = member.unit;
        if rule.org_units != OrgUnitAggregation::None && rule.time == TimeAggregation::Last && territory.len() > 1 {
            return self.below_on_last_day(ref_index, (member, members), territory, period);
        }
        if rule.org_units == OrgUnitAggregation::None
            || rule.time == TimeAggregation::Last
            || territory.len() < 2
            || self.units.existed_throughout(unit, period.start(), period.end())
            || self.units.contributors[unit as usize].is_empty()
        {
            return Vec::new();
        }
        let (from, to) = self.units.valid[unit as usize];
        let before = from.filter(|&from| from > period.start()).and_then(|from| from.pred_opt());
        let after = to.filter(|&to| to < period.end()).and_then(|to| to.succ_opt());
        let spans = [
            before.map(|last| (period.start(), last.min(period.end()))),
            after.map(|first| (first.max(period.start()), period.end())),
        ];
        let others = others_own(&self.units, members, unit);
        let mut out = Vec::new();
        for (first, last) in spans.into_iter().flatten().filter(|(first, last)| first <= last) {
            let days = Period::Range(first, last);
            let days = days.standard_with_same_days().unwrap_or(days);
            // Another member's own report around these days holds them too (AB's year 2025 holds B's districts'
            // second half; round 61, found by a review helper: "missing dist-b1 2025S2" beside AB's year).
            let mut taken = crate::eval::territory::clipped_to(days, &others);
            taken.extend_from_slice(&member.reports);
            for (gap_first, gap_last) in days_left(days, &taken) {
                for piece in Period::calendar_pieces(gap_first, gap_last) {
                    let below = self.below_ended_member(ref_index, (unit, territory), piece, &[]);
                    out.extend(below.filter(|&c| self.expected_count(ref_index, c, piece) > 0).map(|c| (c, piece)));
                }
            }
        }
        out
    }

    /// [`CubeData::below_beyond_life`] for a stock, whose value is the period's last day's: the units below `member`
    /// that stay after it ended before that day, expected on it unless a report ending on it holds them (another
    /// member's own, which is the whole territory's, or the member's own parts), each with the days after its end.
    /// AB's district's stock of 31 October stood for AB and the nation over April to October, "complete", while B's
    /// district, which stays after B ended, gave nothing for that day (round 53 F6, found by a review helper).
    fn below_on_last_day(
        &self,
        ref_index: usize,
        (member, members): (&MemberReports, &[MemberReports]),
        territory: &[u32],
        period: Period,
    ) -> Vec<(u32, Period)> {
        let unit = member.unit;
        let Some(last) = self.units.valid[unit as usize].1.filter(|&last| last < period.end()) else {
            return Vec::new();
        };
        let held = others_own(&self.units, members, unit);
        if held.iter().chain(&member.reports).any(|(report, _)| report.end() == period.end()) {
            return Vec::new();
        }
        let after = Period::Range(last.succ_opt().unwrap_or(last).max(period.start()), period.end());
        let piece = after.standard_with_same_days().unwrap_or(after);
        let below = self.below_ended_member(ref_index, (unit, territory), piece, &[]);
        below.filter(|&c| self.expected_count(ref_index, c, piece) > 0).map(|c| (c, piece)).collect()
    }

    /// How many units a member of `territory` with no value in `period` counts for in the territory's value: one where
    /// it is expected itself, else the units expected below it over the days it did not exist
    /// ([`CubeData::below_ended_member`]; `held`: the other members' own reports).
    pub(crate) fn silent_member_expected(
        &self,
        ref_index: usize,
        (member, territory): (u32, &[u32]),
        period: Period,
        held: &[(Period, Aggregate)],
    ) -> u32 {
        if self.is_expected(ref_index, member, period) {
            return 1;
        }
        self.below_ended_member(ref_index, (member, territory), period, held)
            .map(|c| self.expected_count(ref_index, c, period))
            .sum()
    }

    /// How many reporting units are expected below `unit` (its territory's members, or its contributors' units when
    /// they are more) in `period`: what a missing contributor counts for in its parent's coverage.
    pub(crate) fn expected_count(&self, ref_index: usize, unit: u32, period: Period) -> u32 {
        let own = self.members_expected(ref_index, unit, period);
        if self.rules[ref_index].org_units == OrgUnitAggregation::None {
            return own;
        }
        let children: u32 =
            self.units.contributors[unit as usize].iter().map(|&c| self.expected_count(ref_index, c, period)).sum();
        own.max(children)
    }

    /// The expected units below `unit` that [`CubeData::expected_count`] counts, by id.
    fn expected_units(&self, ref_index: usize, unit: u32, period: Period, out: &mut BTreeSet<String>) {
        let own: Vec<u32> = self.units.territory[unit as usize]
            .iter()
            .copied()
            .filter(|&member| self.is_expected(ref_index, member, period))
            .collect();
        let sums = self.rules[ref_index].org_units != OrgUnitAggregation::None;
        let children: u32 = if sums {
            self.units.contributors[unit as usize].iter().map(|&c| self.expected_count(ref_index, c, period)).sum()
        } else {
            0
        };
        if own.len() as u32 >= children {
            out.extend(own.iter().map(|&m| self.units.ids[m as usize].clone()));
        } else {
            for &c in &self.units.contributors[unit as usize] {
                self.expected_units(ref_index, c, period, out);
            }
        }
    }
}

/// Per reference: the lineages ([`Units::lineage`]) in which some unit reports the reference's element, or an
/// element reported together with it, or had rows of one refused or left out before evaluation
/// ([`ObservationStore::left_out`]): the lineages whose units are expected to report it ([`CubeData::is_expected`]).
///
/// Two elements are reported together when a data set holds both (DHIS2: completeness is a data set's, every element
/// of the form expected from a unit that sends it) or one is read by a ratio's numerator and the other by its
/// denominator (a district that receives denunciations resolves some). A district that reports the denominator of a
/// resolution rate and never its numerator is then expected to report the numerator: its province's numerator,
/// summed over the districts that did, is marked partial, where it was published complete and its rate 0 of 6 where
/// the truth was 1 of 6 (round 61; the rate's truth property of `eval::truth_tests`). The relation is not carried
/// further: the terms of a sum (the police's and the border guard's cases, which an inland province has none of)
/// are not reported together, nor are two numerators over one population.
#[derive(Debug, Default)]
pub(crate) struct ReportingLineages {
    /// Per reference: its element's index in `bits`.
    by_ref: Vec<usize>,
    /// Per distinct element of the references: one bit per unit index, set at the root of each lineage that reports
    /// it or an element reported together with it.
    bits: Vec<Vec<u64>>,
}

impl ReportingLineages {
    /// The lineages reporting each of `refs`' elements in `store` (grouped: `group_list` its (element, org unit)
    /// groups), with the rows `store` left out, and those reporting the elements `catalogue` says are reported
    /// together with them.
    pub(crate) fn build(
        refs: &[ElementRef],
        (catalogue, store): (&Catalogue, &ObservationStore),
        group_list: &[(u32, u32, usize, usize)],
        units: &Units,
    ) -> ReportingLineages {
        let words = units.ids.len().div_ceil(64);
        let (elements, partners) = reported_together(refs, catalogue);
        let by_ref: Vec<usize> = refs.iter().map(|r| elements[r.element.as_str()]).collect();
        let mut own = vec![vec![0u64; words]; elements.len()];
        let mut mark = |element: &str, unit: &str| {
            if let (Some(&at), Some(&unit)) = (elements.get(element), units.index.get(unit)) {
                let root = units.lineage[unit as usize] as usize;
                own[at][root / 64] |= 1 << (root % 64);
            }
        };
        for &(element, unit, ..) in group_list {
            mark(store.elements.name(element), store.org_units.name(unit));
        }
        for (element, unit) in store.left_out() {
            mark(element, unit);
        }
        let bits = (0..elements.len())
            .map(|at| {
                let mut word = own[at].clone();
                for &partner in &partners[at] {
                    word.iter_mut().zip(&own[partner]).for_each(|(mine, theirs)| *mine |= theirs);
                }
                word
            })
            .collect();
        ReportingLineages { by_ref, bits }
    }

    /// Whether lineage `root` reports reference `ref_index`'s element.
    pub(crate) fn contains(&self, ref_index: usize, root: u32) -> bool {
        let root = root as usize;
        self.by_ref
            .get(ref_index)
            .and_then(|&at| self.bits[at].get(root / 64))
            .is_some_and(|word| word & (1 << (root % 64)) != 0)
    }
}

/// The elements of `refs`, of the catalogue's ratios and of its data sets, each with its index, and per index the
/// indices of the elements reported together with it (see [`ReportingLineages`]).
fn reported_together<'r>(
    refs: &'r [ElementRef],
    catalogue: &'r Catalogue,
) -> (BTreeMap<&'r str, usize>, Vec<BTreeSet<usize>>) {
    let names = |expr: &'r crate::expr::Expr| expr.elements().into_iter().map(|r| r.element.as_str()).collect();
    let ratios: Vec<(Vec<&str>, Vec<&str>)> = (catalogue.indicators.values())
        .filter_map(|indicator| match &indicator.formula {
            Formula::Expression { numerator, denominator: Some(denominator) } => {
                Some((names(numerator), names(denominator)))
            }
            _ => None,
        })
        .collect();
    let forms: Vec<Vec<&str>> =
        catalogue.data_sets.values().map(|set| set.elements.iter().map(String::as_str).collect()).collect();
    let all = ratios.iter().flat_map(|(n, d)| n.iter().chain(d)).chain(forms.iter().flatten()).copied();
    let names: BTreeSet<&str> = refs.iter().map(|r| r.element.as_str()).chain(all).collect();
    let elements: BTreeMap<&str, usize> = names.into_iter().enumerate().map(|(at, name)| (name, at)).collect();
    let mut partners = vec![BTreeSet::new(); elements.len()];
    let mut pair = |a: &str, b: &str| {
        let (a, b) = (elements[a], elements[b]);
        if a != b {
            partners[a].insert(b);
            partners[b].insert(a);
        }
    };
    for (numerator, denominator) in &ratios {
        for a in numerator {
            denominator.iter().for_each(|b| pair(a, b));
        }
    }
    for form in &forms {
        for a in form {
            form.iter().for_each(|b| pair(a, b));
        }
    }
    (elements, partners)
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
    /// How many units `contributor`, with no value in `period`, counts for as missing in `unit`'s sum over its units
    /// below: the units expected below it ([`CubeData::expected_count`]), or one where it stands in for its parent
    /// ([`CubeData::stands_in_for`]).
    pub(crate) fn missing_below(&self, ref_index: usize, unit: u32, contributor: u32, period: Period) -> u32 {
        let count = self.expected_count(ref_index, contributor, period);
        if count == 0 && self.stands_in_for(ref_index, unit, contributor, period) { 1 } else { count }
    }

    /// Whether `contributor`, a child of `unit` that existed throughout `period` and that nothing else makes expected,
    /// is expected in `unit`'s sum over its units below all the same: `unit` existed throughout the period and its
    /// own lineage reports the element (a data set of its level, or its reports in other years), and it reported
    /// nothing in the calendar years of the period, so the units below stand for its whole area, which they give only
    /// where all of them report. Province C, which reported its own 2024, stood for by
    /// one of its two districts in 2025 was "1 of 1", and the nation's sum "complete" decided a status (round 61,
    /// found by a review helper).
    pub(crate) fn stands_in_for(&self, ref_index: usize, unit: u32, contributor: u32, period: Period) -> bool {
        let throughout = |u: u32| self.units.existed_throughout(u, period.start(), period.end());
        // No own report inside the period (its first quarter beside its district's second holds none of the
        // second); for a stock, none of the period's last day.
        let silent = || {
            let mut own = Vec::new();
            self.reports(ref_index, unit, &Bounds::of(period), &mut own);
            let last = self.rules[ref_index].time == TimeAggregation::Last;
            !own.iter().any(|(q, _)| !last || q.end() == period.end())
        };
        self.units.parents[contributor as usize] == Some(unit)
            && self.rules[ref_index].org_units != OrgUnitAggregation::None
            && throughout(unit)
            && self.units.overlaps(contributor, period)
            && !self.is_expected(ref_index, contributor, period)
            && (self.expected_level[ref_index] == Some(self.units.levels[unit as usize])
                || self.reporting.contains(ref_index, self.units.lineage[unit as usize]))
            && silent()
    }

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
            let listed = self.marked_reports(ref_index, (next, period), |v| v.restated, |m| m.restated.clone());
            found.extend(listed);
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
        let bounds = Bounds::of(period);
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
                    // A unit whose reports were all left out by the succession rule (a new province's whole-year
                    // restatement, W332) did report: what its value lacks is its own part of the period (its
                    // second half of 2025), not a report.
                    let mut reported = Vec::new();
                    self.touching(ref_index, member.unit, &bounds, &mut reported);
                    let life = data.units.window(member.unit, period, &member.reports);
                    if reported.is_empty() || life == period {
                        missing.insert(id.clone());
                    } else {
                        missing_periods.insert(format!("{id} {}", life.standard_with_same_days().unwrap_or(life)));
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
            let window = crate::eval::territory::unheld(data.units.window(member.unit, period, &member.reports), &held);
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
                LeafState::Missing => data.expected_units(ref_index, contributor, period, missing),
                LeafState::Partial => self.walk(ref_index, contributor, period, missing, missing_periods),
                LeafState::Complete => {}
            }
        }
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
