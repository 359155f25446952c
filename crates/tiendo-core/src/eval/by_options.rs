//! A unit's total read option by option, where its reports break the total down at different period types per
//! option (its girls by quarter, its boys for the year): each option is combined over time on its own, and their
//! sum is the period's total.
//!
//! Round 68, found by a verifier: Province A's female victims reported by quarter and its male victims for the
//! year gave the year's total as the male 40 alone, "partial: an incomplete breakdown" (the nation 135 where its
//! groups added up to 255); with a synthetic fourth quarter the blend went unsaid. Read option by option the year is
//! 160, or a blend of synthetic and real figures that is not computed (W333), as the female option alone is.

use crate::eval::aggregate::{Aggregate, Cube};
use crate::eval::breakdown::{SameTag, Shapes, TagAt, period_cell};
use crate::eval::combine::combine_over_time_cached;
use crate::model::OrgUnitAggregation;
use crate::period::Period;

impl<'s> Cube<'s> {
    /// `value`, `unit`'s own value of the reference in `days` that is an incomplete breakdown
    /// ([`Aggregate::partial_breakdown`]), or the sum of one complete breakdown's options where each option's own
    /// reports combine over `days` into a whole value (no missing sub-period, no missing part) and the sum is no less
    /// than `value` (a lower bound of the total); else, for a count, the largest such sum of one breakdown's whole
    /// options where it is above `value`, still an incomplete breakdown. A sum cites every source it reads, so a
    /// blend of synthetic and real figures is refused as everywhere else. Only for values that add up over org units:
    /// a share broken down by sex does not add up to the total's share.
    pub(crate) fn by_options(&mut self, ref_index: usize, unit: u32, days: Period, value: Aggregate) -> Aggregate {
        if !value.partial_breakdown || self.rules[ref_index].org_units != OrgUnitAggregation::Sum {
            return value;
        }
        let data = std::sync::Arc::clone(&self.data);
        let shapes = &data.shapes[ref_index];
        let no_less = |sum: &Aggregate| sum.value >= value.value - crate::eval::exact::rounding_tolerance(value.value);
        // For a count (never negative), the largest sum of one shape's whole options is a lower bound of the total
        // that may be larger than `value`: girls by quarter and women for the half-year, no men, are at least their
        // sum (round 68, found by a verifier: the women's half-year row alone, 10 beside the 13 women).
        let mut bound: Option<Aggregate> = None;
        for shape in 0..shapes.complete_at.len() {
            let code = shape as u8 + 2;
            let combos: Vec<usize> =
                (shapes.codes.iter().enumerate()).filter(|&(_, &c)| c == code).map(|(combo, _)| combo).collect();
            let mut whole = combos.len() as u32 == shapes.complete_at[shape];
            let mut total: Option<Aggregate> = None;
            for combo in combos {
                let Some(option) = self.option_value(ref_index, unit, days, combo) else {
                    whole = false;
                    continue;
                };
                match &mut total {
                    Some(sum) => sum.add(&option),
                    None => total = Some(option),
                }
            }
            let Some(total) = total.filter(no_less) else { continue };
            if whole {
                return Aggregate { restated: value.restated, ..total.as_one_unit() };
            }
            if self.counts[ref_index] && bound.is_none_or(|b| total.value > b.value) {
                bound = Some(total);
            }
        }
        match bound.filter(|b| b.value > value.value) {
            Some(bound) => Aggregate { restated: value.restated, partial_breakdown: true, ..bound.as_one_unit() },
            None => value,
        }
    }

    /// The own value of one store combination `combo` of the reference at `unit` over `days`: its rows of the
    /// periods inside `days`, combined over time; `None` unless whole (every sub-period there).
    fn option_value(&mut self, ref_index: usize, unit: u32, days: Period, combo: usize) -> Option<Aggregate> {
        let (element, store_unit) = (self.ref_elements[ref_index]?, self.unit_in_store[unit as usize]?);
        let (start, end) = self.groups.get(element, store_unit)?;
        let mut codes = vec![0u8; self.shapes[ref_index].codes.len()];
        codes[combo] = 1;
        let single = Shapes { codes, ..Shapes::default() };
        let reports = match self.uniform_tag() {
            Some(tag) => self.option_reports(start, end, days, &single, SameTag(tag)),
            None => self.option_reports(start, end, days, &single, &self.tags()[start..end]),
        };
        let time = self.rules[ref_index].time;
        combine_over_time_cached(&reports, days, time, &mut self.subdivisions)
            .filter(|option| !option.partial_time && !option.partial_breakdown)
    }

    /// The cells of entries `start..end` (one group) for the one-combination reading `single`, of the periods inside
    /// `days`.
    fn option_reports(
        &self,
        start: usize,
        end: usize,
        days: Period,
        single: &Shapes,
        tags: impl TagAt,
    ) -> Vec<(Period, Aggregate)> {
        let slice = &self.entries()[start..end];
        let mut reports = Vec::new();
        let mut position = 0;
        while position < slice.len() {
            let period = self.store.periods[slice[position].period as usize];
            let (value, next) = period_cell(slice, tags, position, single);
            if let Some(value) = value.filter(|_| days.contains(&period)) {
                reports.push((period, value));
            }
            position = next;
        }
        reports
    }
}
