//! Which days a unit's reports, or those of the units below it, cover: what a restatement's days are compared with,
//! so that a report of a unit that did not exist then counts exactly where no unit that existed reported the same
//! days (methodology §2, "The units that existed in a period win" and "Splits"; round 57).

use crate::eval::aggregate::Cube;
use crate::period::Period;

impl Cube<'_> {
    /// `successor`'s reports inside `inside` (a split's successor's, before it existed) that share no day with a
    /// report inside `held` (the period whose value is summed) of the units it split from or of the units below them,
    /// each not inside another (`free`), and those that share a day (`shared`, which the predecessors' values already
    /// hold; W332 names them). Free reports that overlap one another leave all but the earliest of them out, among the
    /// shared. A predecessor's report around `held` is not in its value there, so it holds no day of it.
    pub(crate) fn restated_days(
        &self,
        ref_index: usize,
        successor: u32,
        (inside, held): (Period, Period),
    ) -> (Vec<Period>, Vec<Period>) {
        let restated = self.report_days(ref_index, successor, |days| inside.contains(&days));
        let (mut free, mut shared) = (Vec::new(), Vec::new());
        for days in restated {
            let overlaps = |other: Period| held.contains(&other) && other.overlaps(&days);
            let reported = self.units.split_from[successor as usize]
                .iter()
                .any(|&predecessor| self.reported_at_or_below(ref_index, predecessor, overlaps));
            if reported { shared.push(days) } else { free.push(days) }
        }
        // The longest of nested reports (a quarter beside its month), the earliest of overlapping ones.
        free.sort_by_key(|days| (days.start(), std::cmp::Reverse(days.end())));
        let mut kept: Vec<Period> = Vec::new();
        for days in free {
            match kept.last() {
                Some(last) if last.contains(&days) => {}
                Some(last) if last.overlaps(&days) => shared.push(days),
                _ => kept.push(days),
            }
        }
        (kept, shared)
    }

    /// The periods of the reports inside `period` of the units below `unit` (its contributors, theirs and so on,
    /// leaving out `skip`), in no particular order: the days their sum over `period` holds (a count over time sums
    /// reports inside the period only).
    pub(crate) fn days_reported_below(&self, ref_index: usize, unit: u32, period: Period, skip: &[u32]) -> Vec<Period> {
        let mut out = Vec::new();
        self.walk_below(unit, skip, |below| {
            out.extend(self.report_days(ref_index, below, |days| period.contains(&days)));
            false
        });
        out
    }

    /// Whether `unit` or a unit below it has a report whose period `keep` accepts.
    fn reported_at_or_below(&self, ref_index: usize, unit: u32, keep: impl Fn(Period) -> bool) -> bool {
        !self.report_days(ref_index, unit, &keep).is_empty()
            || self.walk_below(unit, &[], |below| !self.report_days(ref_index, below, &keep).is_empty())
    }

    /// Visits the units below `unit` (its contributors, theirs and so on), each once, leaving out `skip`, until
    /// `visit` returns true; whether it did.
    fn walk_below(&self, unit: u32, skip: &[u32], mut visit: impl FnMut(u32) -> bool) -> bool {
        let mut pending: Vec<u32> = self.units.contributors[unit as usize].clone();
        let mut seen = vec![unit];
        while let Some(below) = pending.pop() {
            if seen.contains(&below) || skip.contains(&below) {
                continue;
            }
            seen.push(below);
            if visit(below) {
                return true;
            }
            pending.extend(self.units.contributors[below as usize].iter().copied());
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
}
