//! A ratio's parts where they come from the units below a unit or a member of a merged unit: matched unit by unit
//! below it, or, where its own part of one side stands beside their part of the other, its own part left out and
//! named (W330). A numerator and a denominator from different units are never divided (round 52, found by a review
//! helper's rate fuzzer: 337.5 %, 225 %, 150 % at merged provinces and the nation).

use super::{LeftOut, MatchedRatio, Parts, Side, Whose, add_parts};
use crate::eval::aggregate::{Aggregate, Bounds, Cube};
use crate::period::Period;

impl MatchedRatio<'_> {
    /// The parts at `unit` (a parent or a merged territory) of a ratio with a part that does not add up over org units
    /// (`org_unit_aggregation = "none"`): the unit's values as they are (`at`), never pooled from the units below or
    /// the members, and only over the same days: a merged province's year of cases (its members' and its own) is
    /// never divided by its own staff of the second half (round 68, found by a verifier: 100 / 25 = 4.0). `None`
    /// where a part is missing or covers part of the period.
    pub(super) fn unpooled(&self, at: &[Option<Aggregate>], unit: u32) -> Option<Parts> {
        let whole = at.iter().all(|v| v.is_some_and(|v| !v.partial_time));
        let mut parts = whole.then(|| self.own_parts(at, unit)).flatten()?;
        // As many units as any part expects, less as many as its least complete part lacks.
        let lacking = at.iter().flatten().map(|v| v.expected.saturating_sub(v.reported)).max();
        parts.meta.reported = parts.meta.expected.saturating_sub(lacking.unwrap_or(0));
        Some(parts)
    }

    /// The parts of a member of `territory` whose values there (`at`) come, for some part of the ratio, only from the
    /// units below it: matched unit by unit below it, as at a unit on its own ([`MatchedRatio::of_unit`]), and its own
    /// part of the other side, if any, left out and named. Matched as the member's own figures, AB's 27 resolved was
    /// divided by one district's 8 received (337.5 %, "1 of 1" at the nation) and B's district's 3 resolved by
    /// another's 2 received (150 %; round 52, found by a review helper's rate fuzzer). Where another member's own
    /// report holds the units' days after the member ended, only the member's own part is left out and named. `None`
    /// for a member whose parts are all its own, or that reports some of the period itself on the side its districts
    /// give (its own first quarter beside their other three): then as its own figures.
    pub(super) fn below_member(
        &mut self,
        cube: &mut Cube,
        (territory, member): (u32, u32),
        at: &[Option<Aggregate>],
        position: usize,
    ) -> Option<Option<Parts>> {
        let period = self.set.periods()[position];
        let present = || at.iter().flatten();
        if !present().any(|v| v.from_children) {
            return None;
        }
        let own_side = present().any(|v| !v.from_children);
        if self.combined_side(cube, member, at, period) {
            return None;
        }
        // Over days the member did not exist, another member's own report holds the units below it (AB's own second
        // half holds B's districts' days): their parts over the whole period are then not the member's.
        if self.held_beyond_life(cube, (territory, member), period) {
            return own_side.then(|| Some(Parts::only_left_out(member, LeftOut::BelowExceeds)));
        }
        let mut total = own_side.then(|| Parts::only_left_out(member, LeftOut::Lacks(self.lacks(at))));
        let skip = cube.units.territory[territory as usize].clone();
        for below in cube.units.contributors[member as usize].clone().into_iter().filter(|c| !skip.contains(c)) {
            if let Some(mut parts) = self.of_unit(cube, below)[position].clone() {
                (parts.meta.from_children, parts.meta.partly_own) = (false, false);
                add_parts(&mut total, parts);
            }
        }
        if self.exceeds(total.as_ref(), at, member) {
            // The units below hold more than the member's value in the territory: the succession rule left some of
            // their reports out there (another member's restatement holds those days), and their parts would count
            // those days twice (AB's restated first quarter beside B's district's year: 56 received at AB where the
            // count is 55; round 57, found by the truth property of `eval::truth_tests`). The member is left out
            // and named (W330).
            return Some(Some(Parts::only_left_out(member, LeftOut::BelowExceeds)));
        }
        Some(total)
    }

    /// Whether `parts` hold more on either side than `at`, the member's values, give.
    fn exceeds(&self, parts: Option<&Parts>, at: &[Option<Aggregate>], member: u32) -> bool {
        let Some((top, bottom)) = parts.and_then(|p| p.sums) else { return false };
        let (value_top, value_bottom) = self.own_parts(at, member).and_then(|p| p.sums).unwrap_or((0.0, 0.0));
        let over = |part: f64, value: f64| part > value + crate::eval::exact::rounding_tolerance(value);
        over(top, value_top) || over(bottom, value_bottom)
    }

    /// The parts of one unit's figures in `period` where they are not divided further (`at`: the values of the
    /// references): its own figures matched on the period ([`MatchedRatio::own_parts`]); where some come from the
    /// units below it, only where those stand for the whole unit (every expected unit below reported, and the unit is
    /// not a merged territory's new unit, whose own districts are not its whole area) or are matched unit by unit
    /// below it; else the unit is left out and named (W330). Matched as its own figures, B's own October resolved was
    /// divided by one district's October received (9 of 4 = 225 % at AB and the nation; round 52, found by a review
    /// helper's rate fuzzer).
    pub(super) fn parts_here(
        &self,
        cube: &mut Cube,
        whose: Whose,
        at: &[Option<Aggregate>],
        period: Period,
    ) -> Option<Parts> {
        let unit = whose.unit();
        let present = || at.iter().flatten();
        if !present().any(|v| v.from_children) {
            return self.own_parts(at, unit);
        }
        let territory = match whose {
            Whose::Unit(unit) => unit,
            Whose::Member { territory, .. } => territory,
        };
        let merged_new_unit = unit == territory && cube.units.territory[territory as usize].len() > 1;
        let whole = present().all(|v| !v.from_children || !v.is_partial()) && !merged_new_unit;
        // Its own figures beside the units below's, on one side or across the two.
        let mixed = present().any(|v| !v.from_children) || self.combined_side(cube, unit, at, period);
        if mixed && whole {
            return self.own_parts(at, unit);
        }
        let within_life = cube.units.existed_throughout(unit, period.start(), period.end());
        if !mixed && within_life && !merged_new_unit {
            // Every part from the units below it: matched unit by unit there.
            let skip = cube.units.territory[territory as usize].clone();
            let mut total: Option<Parts> = None;
            for below in cube.units.contributors[unit as usize].clone().into_iter().filter(|c| !skip.contains(c)) {
                let (at_below, _) = self.fetch(cube, Whose::Unit(below), period);
                if at_below.iter().all(Option::is_none) {
                    continue;
                }
                if let Some(parts) = self.matched_own(cube, Whose::Unit(below), (&at_below, false), period) {
                    add_parts(&mut total, parts);
                }
            }
            return total;
        }
        Some(self.own_parts(at, unit)?.left_out(unit, self.lacks(at)))
    }

    /// Whether a side of the ratio at `unit` in `period` combines its own reports inside the period with the units
    /// below's (its own first quarter beside their other three): its value is then not theirs alone.
    fn combined_side(&self, cube: &Cube, unit: u32, at: &[Option<Aggregate>], period: Period) -> bool {
        let bounds = Bounds::of(period);
        let mut inside = Vec::new();
        self.refs.iter().zip(at).any(|(&(_, index), v)| {
            inside.clear();
            v.is_some_and(|v| v.from_children) && {
                cube.reports(index, unit, &bounds, &mut inside);
                !inside.is_empty()
            }
        })
    }

    /// The part a unit whose values `at` mix its own figures and the units below its lacks of its own: the
    /// denominator where its numerator is all its own, else the numerator.
    fn lacks(&self, at: &[Option<Aggregate>]) -> Side {
        let numerator_own = at[..self.numerator_refs].iter().all(|v| v.is_some_and(|v| !v.from_children));
        if numerator_own { Side::Denominator } else { Side::Numerator }
    }

    /// Whether `member` of `territory` ended before the end of `period` and another member's own report of a
    /// reference holds days after its end (the units below it keep reporting after it ended; a new member's units
    /// below are as new as it is).
    fn held_beyond_life(&self, cube: &Cube, (territory, member): (u32, u32), period: Period) -> bool {
        let Some(end) = cube.units.valid[member as usize].1.filter(|&end| end < period.end()) else { return false };
        let outside = |q: &Period| q.end() > end;
        let bounds = Bounds::of(period);
        let mut reports = Vec::new();
        cube.units.territory[territory as usize].iter().filter(|&&other| other != member).any(|&other| {
            self.refs.iter().any(|&(_, index)| {
                reports.clear();
                cube.reports(index, other, &bounds, &mut reports);
                reports.iter().any(|(q, _)| outside(q))
            })
        })
    }
}
