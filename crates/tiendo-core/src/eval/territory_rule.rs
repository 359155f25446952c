//! The succession rule over a territory's reports (`docs/methodology.md` section 2): the units that existed in a
//! period win over a restatement, except a new unit's report of its whole area where its own reports leave its days
//! out; which restatements a value uses; the days another member's whole-area report holds. Split from
//! `eval::territory`, which combines the kept reports into a territory's value, in round 61.

use chrono::NaiveDate;

use crate::eval::aggregate::{Aggregate, Bounds, Cube};
use crate::eval::succession::Units;
use crate::eval::territory::{clipped_to, days_covered};
use crate::model::TimeAggregation;
use crate::period::Period;

impl Cube<'_> {
    /// The reports of `restated` (`member`'s kept reports of days it did not exist) that restate days before it existed
    /// and that its value uses: for a stock (`time`), the latest of `reports`; for any other
    /// element, those the combination over time takes of `reports` ([`crate::eval::combine::parts_taken`]), not a
    /// first half beside the year that holds it (round 61, found by a review helper: AB's own stock of 31 December
    /// was marked as holding its restated first half's).
    pub(crate) fn restatements_used(
        &self,
        (member, time): (u32, TimeAggregation),
        (reports, restated): (&[(Period, Aggregate)], &[Period]),
    ) -> Vec<Period> {
        let latest = reports.iter().map(|(q, _)| q.end()).max();
        let taken: Vec<Period> = match time {
            TimeAggregation::Last => reports.iter().map(|(q, _)| *q).filter(|q| Some(q.end()) == latest).collect(),
            _ => crate::eval::combine::parts_taken(reports).into_iter().map(|(q, _)| *q).collect(),
        };
        restated.iter().copied().filter(|q| taken.contains(q) && self.units.restates(member, *q, time)).collect()
    }

    /// Whether `unit`'s value of reference `ref_index` in `period` holds a member's report of the territory's whole area
    /// from before the member existed into its life ([`whole_area_reports`]: AB's year 2025, in place of A's and B's
    /// first halves).
    pub(crate) fn holds_whole_area_report(&mut self, ref_index: usize, unit: u32, period: Period) -> bool {
        if self.units.territory[unit as usize].len() < 2 {
            return false;
        }
        let bounds = Bounds::of(period);
        let members = self.members_reports(ref_index, unit, &bounds).unwrap_or_default();
        members.iter().any(|member| {
            let first = self.units.valid[member.unit as usize].0;
            member.restated.iter().any(|q| first.is_some_and(|first| q.start() < first && first <= q.end()))
        })
    }
}

/// What the succession rule keeps of a territory's reports ([`succession`]).
pub(crate) struct Succession {
    /// Per report: whether it counts.
    pub(crate) kept: Vec<bool>,
    /// The own reports of days after their member ended left out beside the parts of another member's units below,
    /// which may hold the same area ([`MemberReports::left_out`]).
    pub(crate) left_out: Vec<(u32, Period)>,
    /// The members any of whose own reports of days after they ended were left out.
    pub(crate) late_dropped: Vec<u32>,
}

/// The succession rule over `all`, a territory's reports (member, period, value, whether the member existed
/// throughout it), of which the first `own_count` are the members' own and the rest the parts of the units below
/// them; `existing` are the reports of members that existed throughout them, the first `own_existing` their own.
///
/// A report of days a member did not exist is left out where another member's report that existed then overlaps it.
/// The units below one member never hold the days of those below another (AB's district and B's districts after B
/// ended are different areas; round 50, found by a review helper: dist-b1's 32 was lost without a word beside
/// dist-ab1's 16): such a part is left out only for the own report of a member whose territory holds the member
/// (AB's own second half, W345), even one reaching back before that member existed (AB's own courts' year from
/// October 2024 holds B's districts' third quarter of 2025, which was counted twice); A's own report is A's area only.
/// A member's own report of days after it ended that only reports of other areas overlap (A's own third quarter
/// beside AB's new district's) is left out too, as they may hold the same area, but not silently: it is `left_out`,
/// which makes the territory's value partial (round 54 F2, found by a review helper: AB's and the nation's third
/// quarter was "complete" at the district's 50 beside A's 70, and 140 once a district of B reported too).
pub(crate) fn succession(
    units: &Units,
    (all, own_count): (&[(u32, Period, Aggregate, bool)], usize),
    (existing, own_existing): (&[(u32, Period)], usize),
) -> Succession {
    let holds = |holder: u32, member: u32| units.territory[holder as usize].contains(&member);
    let (mut left_out, mut late_dropped) = (Vec::new(), Vec::new());
    let whole = whole_area_reports(units, (all, own_count), (existing, own_existing));
    let mut kept: Vec<bool> = all
        .iter()
        .enumerate()
        .map(|(index, &(member, report, _, existed))| {
            let overlaps = |&(other, q): &(u32, Period)| other != member && q.overlaps(&report);
            if whole.contains(&index) {
                return true;
            }
            if existed {
                return true;
            }
            if index >= own_count {
                return !all[..own_count].iter().map(|r| (r.0, r.1)).any(|r| overlaps(&r) && holds(r.0, member));
            }
            let mut holders = existing.iter().enumerate().filter(|(_, held)| overlaps(held)).peekable();
            if holders.peek().is_none() {
                return true;
            }
            // Only a late report: a restatement of days before the member began gives way to its predecessors'
            // reports of their own areas (W332).
            if units.valid[member as usize].1.is_some_and(|last| report.end() > last) {
                late_dropped.push(member);
                if !holders.any(|(at, &(other, _))| at < own_existing && holds(other, member)) {
                    left_out.push((member, report));
                }
            }
            false
        })
        .collect();
    // The reports a whole-area report holds give way to it.
    for &index in &whole {
        let (member, report) = (all[index].0, all[index].1);
        for (at, (other, keep)) in all.iter().zip(kept.iter_mut()).enumerate() {
            if at != index && holds(member, other.0) && report.contains(&other.1) {
                *keep = false;
            }
        }
    }
    Succession { kept, left_out, late_dropped }
}

/// The own reports (indices into `all`) of a member for a period that began before it existed and runs into its life,
/// where nothing else reports the days of its life in the period: a new province's report of the whole year 2025
/// for its whole territory, its first half standing for the old provinces it succeeded. Such a report is kept and
/// the reports inside it of the units its territory holds give way to it, where each report that overlaps it lies
/// inside it (`existing`, the reports of units that existed throughout them, tell which). Left out beside the old
/// provinces' first halves, as a restatement is, it left the new province's second half "missing" and its yearly
/// figure nowhere in the review (round 61, found by a review helper of round 60).
fn whole_area_reports(
    units: &Units,
    (all, own_count): (&[(u32, Period, Aggregate, bool)], usize),
    (existing, own_existing): (&[(u32, Period)], usize),
) -> Vec<usize> {
    let mut out = Vec::new();
    for (index, &(member, report, value, existed)) in all[..own_count].iter().enumerate() {
        let Some(first) = units.valid[member as usize].0 else { continue };
        let last = units.valid[member as usize].1.map_or(report.end(), |last| last.min(report.end()));
        // An incomplete breakdown (women only) is a lower bound, never the whole area's figure (round 61, found by a
        // review helper: AB's 30 women for 2025 replaced A's and B's 66 for the first half).
        if existed || report.start() >= first || first > last || value.partial_breakdown {
            continue;
        }
        // The days of its life in the report: reported by no own report of its own, inside or around the report.
        let life = Period::Range(first, last);
        let own_life: Vec<Period> = existing[..own_existing]
            .iter()
            .filter(|&&(other, q)| other == member && q.overlaps(&life))
            .map(|&(_, q)| q)
            .collect();
        if days_covered(life, &own_life) {
            continue;
        }
        let holds = |other: u32| units.territory[member as usize].contains(&other);
        let around = existing.iter().any(|&(other, q)| other != member && q.overlaps(&report) && !report.contains(&q));
        let outside = all.iter().any(|r| r.0 != member && r.1.overlaps(&report) && !holds(r.0));
        if !around && !outside {
            out.push(index);
        }
    }
    out
}

/// `window` less its first or last days that `held` (other members' own reports of the whole area, each cut to the
/// window) covers: those days are theirs, not the member's to lack. AB's report from 1 April to 31 December holds A's
/// and B's second quarters, which were "missing" beside their first quarters (round 61, found by a review helper).
/// Days held in the middle of the window are left as they are.
pub(crate) fn unheld(window: Period, held: &[(Period, Aggregate)]) -> Period {
    let (mut first, mut last) = (window.start(), window.end());
    let mut spans: Vec<(NaiveDate, NaiveDate)> =
        clipped_to(window, held).iter().map(|(q, _)| (q.start(), q.end())).collect();
    spans.sort_unstable();
    for &(start, end) in spans.iter().rev() {
        if end >= last && start <= last && start > first {
            last = start.pred_opt().unwrap_or(start);
        }
    }
    for &(start, end) in &spans {
        if start <= first && end >= first && end < last {
            first = end.succ_opt().unwrap_or(end);
        }
    }
    if (first, last) == (window.start(), window.end()) {
        return window;
    }
    let range = Period::Range(first, last);
    range.standard_with_same_days().unwrap_or(range)
}
