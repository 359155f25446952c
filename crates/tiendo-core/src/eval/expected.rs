//! Which units are expected to report an element in a period (DHIS2's reporting rates, `docs/methodology.md`
//! section 2, "Coverage of every aggregated value"): a data set's level, a reporting lineage and the elements reported
//! together with it, the units below an ended member, and the units below standing in for a silent unit. What a value
//! then lacks is `eval::coverage`'s. Split from `eval::coverage` in round 61.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::aggregate::{Aggregate, Bounds, Cube, CubeData};
use crate::eval::coverage::days_left;
use crate::eval::store::ObservationStore;
use crate::eval::succession::Units;
use crate::eval::territory::{MemberReports, others_own};
use crate::expr::ElementRef;
use crate::model::{Catalogue, Formula, OrgUnitAggregation, TimeAggregation};
use crate::period::Period;

impl CubeData<'_> {
    /// Whether `unit` is expected to report reference `ref_index` in `period` (see the module documentation).
    pub(crate) fn is_expected(&self, ref_index: usize, unit: u32, period: Period) -> bool {
        if !self.units.overlaps(unit, period) {
            return false;
        }
        if self.expected_level[ref_index].contains(&self.units.levels[unit as usize]) {
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
    pub(crate) fn expected_units(&self, ref_index: usize, unit: u32, period: Period, out: &mut BTreeSet<String>) {
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
            && (self.expected_level[ref_index].contains(&self.units.levels[unit as usize])
                || self.reporting.contains(ref_index, self.units.lineage[unit as usize]))
            && silent()
    }
}
