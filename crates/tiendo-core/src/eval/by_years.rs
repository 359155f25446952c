//! A count over a period that spans calendar years (the courts' year from 1 October, a date range), where a unit
//! reported itself in some of those years and through the units below it in the others: the precedence of its own
//! reports (methodology section 2, rule 3) is decided year by year, as it is for the calendar periods inside. Decided
//! over all the years at once, a province's own 2024 quarters shut out its district's 2023 fourth quarter from the
//! judicial year 2023Oct, which read 30 "partial: missing the fourth quarter of 2023" beside the country's own four
//! quarters of 10 (round 43, found by a review helper).

use chrono::{Datelike, NaiveDate};

use crate::eval::aggregate::{Aggregate, Bounds, Cube};
use crate::eval::yielding::may_yield;
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
    /// The value of `unit` over `period` from its parts in each calendar year, when the period spans years (a unit
    /// with units below it, for a count summed over time and over org units): each part is its territory's own
    /// reports where a member reported in that year, else its children's sum, as for the calendar periods inside,
    /// and the parts are added, partial when one has no value. `None` where that does not apply: nobody in the
    /// territory reported in any of the years (the children's sum decides), or a report of the territory spans two
    /// of the years (A's December to January), which no part holds (the usual rule then decides over all the years
    /// at once).
    pub(crate) fn across_years(&mut self, ref_index: usize, unit: u32, period: Period) -> Option<Option<Aggregate>> {
        let rule = self.rules[ref_index];
        if rule.time != TimeAggregation::Sum
            || rule.org_units != OrgUnitAggregation::Sum
            || self.units.contributors[unit as usize].is_empty()
        {
            return None;
        }
        let parts = parts_by_year(period)?;
        if self.reports_across_years(ref_index, unit, period) {
            return None;
        }
        let own: Vec<Option<Option<Aggregate>>> =
            parts.iter().map(|&part| self.own_value(ref_index, unit, part, &Bounds::of(part))).collect();
        // The walk below the unit only where its own reports would send the period year by year (a rare case: the
        // nation's own reports of part of a year); it visits every unit below.
        if own.iter().all(Option::is_none) || self.below_reports_across_years(ref_index, unit, period) {
            return None;
        }
        // The same territory over other days, counted at the level that reported each year (three districts, then
        // the province): the most units expected in a year, less the most missing in a year that has a value (2 of
        // 3 districts in 2023 and the province itself in 2024 is 2 of 3; A and B in 2023 and A alone in 2024 is 3
        // of 4, never "4 of 4" beside B's missing 2024). A year with no value at all leaves the value partial, and
        // coverage names what each unit lacks of it as missing sub-periods.
        let (mut total, mut missing): (Option<Aggregate>, bool) = (None, false);
        let (mut expected, mut short, mut own_part) = (0u32, 0u32, false);
        for (&part, own) in parts.iter().zip(own) {
            let value = match own {
                Some(own) if !may_yield(own) => own,
                Some(own) => {
                    let below = self.children_sum(ref_index, unit, part, &[]);
                    self.own_or_below(ref_index, (unit, part), own, below)
                }
                None => self.children_sum(ref_index, unit, part, &[]),
            };
            let Some(value) = value else {
                missing = true;
                expected = expected.max(self.expected_count(ref_index, unit, part));
                continue;
            };
            (expected, short) =
                (expected.max(value.expected), short.max(value.expected.saturating_sub(value.reported)));
            own_part |= !value.from_children || value.partly_own;
            match &mut total {
                Some(sum) => sum.add(&value),
                None => total = Some(value),
            }
        }
        Some(total.map(|mut value| {
            value.partial_time |= missing;
            (value.expected, value.reported) = (expected, expected.saturating_sub(short));
            value.tiled_by = None;
            value.partly_own = own_part && value.from_children;
            value
        }))
    }

    /// Whether a unit anywhere below `unit` reported a period inside `period` that spans two calendar years: no part
    /// of one year holds it, so taken year by year it would be lost (a province's judicial year 2023Oct beside the
    /// country's own first quarter of 2023 gave the country's judicial year without it, "no report from prov-c";
    /// round 58, found by a review helper).
    fn below_reports_across_years(&self, ref_index: usize, unit: u32, period: Period) -> bool {
        let mut below: Vec<u32> = self.units.contributors[unit as usize].clone();
        let mut seen: Vec<u32> = Vec::new();
        while let Some(next) = below.pop() {
            if seen.contains(&next) {
                continue;
            }
            seen.push(next);
            if self.reports_across_years(ref_index, next, period) {
                return true;
            }
            below.extend(self.units.contributors[next as usize].iter().copied());
        }
        false
    }

    /// Whether a member of `unit`'s territory reported a period inside `period` that spans two calendar years.
    fn reports_across_years(&self, ref_index: usize, unit: u32, period: Period) -> bool {
        let bounds = Bounds::of(period);
        let mut touching = Vec::new();
        for &member in &self.units.territory[unit as usize] {
            self.touching(ref_index, member, &bounds, &mut touching);
        }
        touching.iter().any(|(_, q)| period.contains(q) && q.start().year() != q.end().year())
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
