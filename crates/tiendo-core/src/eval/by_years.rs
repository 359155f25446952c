//! A count over a period that spans calendar years (the courts' year from 1 October, a date range), where a unit
//! reported itself in some of those years and through the units below it in the others: the precedence of its own
//! reports (methodology section 2, rule 3) is decided year by year, as it is for the calendar periods inside. Decided
//! over all the years at once, a province's own 2024 quarters shut out its district's 2023 fourth quarter from the
//! judicial year 2023Oct, which read 30 "partial: missing the fourth quarter of 2023" beside the country's own four
//! quarters of 10 (round 43, found by a review helper).

use chrono::{Datelike, NaiveDate};

use crate::eval::aggregate::{Aggregate, Bounds, Cube};
use crate::model::{OrgUnitAggregation, TimeAggregation};
use crate::period::Period;

/// The parts of `period` in each calendar year it touches, each the standard period with the same days where there
/// is one (the fourth quarter of 2023 of the courts' year 2023Oct), else a date range; `None` for a period within
/// one calendar year.
pub(crate) fn parts_by_year(period: Period) -> Option<Vec<Period>> {
    let (start, end) = (period.start(), period.end());
    if start.year() == end.year() {
        return None;
    }
    let parts = (start.year()..=end.year())
        .filter_map(|year| {
            let from = NaiveDate::from_ymd_opt(year, 1, 1)?.max(start);
            let to = NaiveDate::from_ymd_opt(year, 12, 31)?.min(end);
            let part = Period::Range(from, to);
            Some(part.standard_with_same_days().unwrap_or(part))
        })
        .collect();
    Some(parts)
}

impl Cube<'_> {
    /// The value of `unit` over `period` from its parts in each calendar year, when the period spans years, its own
    /// reports do not make it whole, and the unit (a unit with units below it, for a count summed over time and over
    /// org units) reported itself in some of those years and not in others: each part is its own reports where it reported in that year, else its children's sum,
    /// and the parts are added, partial when one has no value. `None` where that does not apply (the usual rule then
    /// decides over all the years at once).
    pub(crate) fn across_years(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Option<Aggregate>> {
        let rule = self.rules[ref_index];
        if rule.time != TimeAggregation::Sum
            || rule.org_units != OrgUnitAggregation::Sum
            || self.units.contributors[unit as usize].is_empty()
        {
            return None;
        }
        let parts = parts_by_year(period)?;
        let own: Vec<Option<Option<Aggregate>>> =
            parts.iter().map(|&part| self.own_part(ref_index, unit, part)).collect();
        // Nobody in the territory reported in any of the years: the children's sum decides, as for any period. Where
        // every year has reports of the territory, its members may still differ year by year (B through its districts
        // in 2023, itself in 2024, inside the merged AB), so the parts are still added.
        if own.iter().all(Option::is_none) {
            return None;
        }
        // The same territory over other days, counted at the level that reported each year (three districts, then
        // the province): the most units expected in a year, less the most that were missing in one (2 of 3 districts
        // in 2023 and the province itself in 2024 is 2 of 3, not 1 of 3; a year nobody reported lacks all of them).
        let (mut total, mut missing): (Option<Aggregate>, bool) = (None, false);
        let (mut expected, mut short) = (0u32, 0u32);
        for (&part, own) in parts.iter().zip(own) {
            let value = match own {
                Some(value) => value,
                None => self.children_sum(ref_index, unit, part, &[]),
            };
            let Some(value) = value else {
                missing = true;
                let lacking = self.expected_count(ref_index, unit, part);
                (expected, short) = (expected.max(lacking), short.max(lacking));
                continue;
            };
            (expected, short) =
                (expected.max(value.expected), short.max(value.expected.saturating_sub(value.reported)));
            match &mut total {
                Some(sum) => sum.add(&value),
                None => total = Some(value),
            }
        }
        Some(total.map(|mut value| {
            value.partial_time |= missing;
            value.expected = expected;
            value.reported = expected.saturating_sub(short);
            value
        }))
    }

    /// `unit`'s own value in `part`, one calendar year's part of a longer period: over the days its territory existed
    /// where its own reports are judged against them (province B, ended on 30 June 2025, reported its first half
    /// itself: complete for the courts' year's part January to September, as each member's part of a merged
    /// territory is), else over the whole part.
    fn own_part(&mut self, ref_index: usize, unit: u32, part: Period) -> Option<Option<Aggregate>> {
        let lived = self.territory_days(unit, part);
        if lived != part
            && let Some(value) = self.own_value(ref_index, unit, lived, &Bounds::of(lived))
        {
            return Some(value);
        }
        self.own_value(ref_index, unit, part, &Bounds::of(part))
    }

    /// The days of `part` on which some unit of `unit`'s territory existed, as the standard period with those days
    /// where there is one; `part` itself when that is all of it or none of it.
    fn territory_days(&self, unit: u32, part: Period) -> Period {
        let lives = self.units.territory[unit as usize].iter().map(|&member| self.units.valid[member as usize]);
        let (mut first, mut last) = (Some(NaiveDate::MAX), Some(NaiveDate::MIN));
        for (from, to) in lives {
            first = first.zip(from).map(|(a, b)| a.min(b));
            last = last.zip(to).map(|(a, b)| a.max(b));
        }
        let start = first.map_or(part.start(), |day| day.max(part.start()));
        let end = last.map_or(part.end(), |day| day.min(part.end()));
        if start > end || (start, end) == (part.start(), part.end()) {
            return part;
        }
        let lived = Period::Range(start, end);
        lived.standard_with_same_days().unwrap_or(lived)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_across_years_is_split_into_its_parts_in_each_year() {
        let p = |id: &str| Period::parse(id).unwrap();
        let range = |from: &str, to: &str| {
            Period::Range(
                NaiveDate::parse_from_str(from, "%Y-%m-%d").unwrap(),
                NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap(),
            )
        };
        assert_eq!(parts_by_year(p("2023Oct")), Some(vec![p("2023Q4"), range("2024-01-01", "2024-09-30")]));
        assert_eq!(parts_by_year(p("2024July")), Some(vec![p("2024S2"), p("2025S1")]));
        assert_eq!(
            parts_by_year(range("2023-12-15", "2024-01-14")),
            Some(vec![range("2023-12-15", "2023-12-31"), range("2024-01-01", "2024-01-14")])
        );
        assert_eq!(parts_by_year(p("2024")), None);
        assert_eq!(parts_by_year(p("2024Q3")), None);
    }
}
