//! Combining one unit's reports within a period into the period's value (sum, last or average over time), and
//! saying whether the reports cover the whole period.

use chrono::NaiveDate;

use crate::eval::aggregate::Aggregate;
use crate::eval::store::FastMap;
use crate::model::TimeAggregation;
use crate::period::{Period, PeriodType};

/// The period types from coarse to fine that a period can be divided into.
const SUBDIVISIONS: [PeriodType; 4] = [PeriodType::Year, PeriodType::Half, PeriodType::Quarter, PeriodType::Month];

/// Combines the reports `own` (all within `period`) into one value for `period`: its own report, else the reports
/// of the coarsest period type whose periods tile it exactly ([`Period::tiling`]) when all of them are there, else
/// a partial value ([`partial_over_time`]); `None` without reports. The same rule for every kind of period
/// (`docs/methodology.md`, sections 2 and 3.1): a year from its halves, `2022July` from its quarters, and the range
/// `2022-07-01..2023-06-30` from the same quarters; a range that no whole periods tile (`2024-03-17..2024-12-31`)
/// is never the sum of the periods inside it as if they covered it.
pub fn combine_over_time(own: &[(Period, Aggregate)], period: Period, time: TimeAggregation) -> Option<Aggregate> {
    combine_over_time_cached(own, period, time, &mut FastMap::default())
}

pub(crate) fn combine_over_time_cached(
    own: &[(Period, Aggregate)],
    period: Period,
    time: TimeAggregation,
    subdivisions: &mut FastMap<(Period, PeriodType), Vec<Period>>,
) -> Option<Aggregate> {
    if let Some(settled) = without_lower_bounds(own, time) {
        return combine_over_time_cached(&settled, period, time, subdivisions);
    }
    // No allocation on this path: it runs once per leaf unit, element and output period.
    let sum_matching = |wanted: &Period| -> Option<Aggregate> {
        let mut total: Option<Aggregate> = None;
        for (p, value) in own {
            if p == wanted {
                match &mut total {
                    Some(sum) => sum.add(value),
                    None => total = Some(*value),
                }
            }
        }
        total
    };
    if let Some(exact) = sum_matching(&period) {
        return Some(exact);
    }
    if time == TimeAggregation::None {
        return None;
    }
    'types: for period_type in SUBDIVISIONS {
        if period_type == period.period_type() || !own.iter().any(|(p, _)| p.period_type() == period_type) {
            continue;
        }
        let needed = subdivisions.entry((period, period_type)).or_insert_with(|| period.tiling(period_type));
        if needed.is_empty() {
            continue;
        }
        // Values per needed sub-period, summed over the territory's reporting units; all must be present.
        let mut total = Aggregate::ZERO;
        let mut last = total;
        for sub in needed.iter() {
            let Some(value) = sum_matching(sub) else { continue 'types };
            total.add(&value);
            last = value;
        }
        return Some(by_rule(total, last, needed.len(), time));
    }
    partial_over_time(own, period, time)
}

/// The reports of `own` less each that is only an incomplete breakdown (a lower bound of its total,
/// [`Aggregate::partial_breakdown`]) where the unit's other reports inside its period make up a whole value for it, no
/// smaller: those reports are that period's value, and the lower bound is not taken for it inside a longer period
/// either. Round 62, found by a review helper: a half's one row of girls (16) beside its quarters' totals (60 and 66)
/// gave the half 16 and the year 52, less than one of its quarters. `None` where nothing is left out (no allocation:
/// the common case on the leaf's path).
fn without_lower_bounds(own: &[(Period, Aggregate)], time: TimeAggregation) -> Option<Vec<(Period, Aggregate)>> {
    if !own.iter().any(|(_, value)| value.partial_breakdown) {
        return None;
    }
    let settled = |(period, value): &(Period, Aggregate)| {
        if !value.partial_breakdown {
            return false;
        }
        let inside: Vec<(Period, Aggregate)> =
            own.iter().filter(|(q, _)| q != period && period.contains(q)).copied().collect();
        !inside.is_empty()
            && combine_over_time(&inside, *period, time)
                .is_some_and(|whole| !whole.partial_time && !whole.partial_breakdown && whole.value >= value.value)
    };
    let left_out: Vec<bool> = own.iter().map(settled).collect();
    left_out.contains(&true).then(|| own.iter().zip(left_out).filter(|(_, out)| !out).map(|(r, _)| *r).collect())
}

/// The value of a period from the sum (`total`) and the last (`last`) of its `parts` covering parts.
#[inline]
fn by_rule(mut total: Aggregate, mut last: Aggregate, parts: usize, time: TimeAggregation) -> Aggregate {
    match time {
        // `none` never gets here: only a period's own report is its value (every caller returns before).
        TimeAggregation::Sum | TimeAggregation::None => total,
        TimeAggregation::Last => {
            last.sources = total.sources;
            last.provisional = total.provisional;
            last
        }
        TimeAggregation::Average => {
            total.value /= parts as f64;
            total
        }
    }
}

/// The value of `period` when no period type covers it: a unit that reported only part of the period contributes
/// what it reported (a parent's year is never less than a part of it), marked `partial_time` unless the reports
/// happen to cover every day.
///
/// - `last` (a stock): the latest reports stand for the period; partial when they end before it does.
/// - `sum` and `average`: the reports that do not overlap one another, coarsest first (a half before its
///   quarters), then in time order; an average weighs each by its length ([`weighted_mean`]): a quarter counts
///   three times as much as a month.
///
/// `None` only without reports.
fn partial_over_time(own: &[(Period, Aggregate)], period: Period, time: TimeAggregation) -> Option<Aggregate> {
    let latest_end: NaiveDate = own.iter().map(|(p, _)| p.end()).max()?;
    if time == TimeAggregation::Last {
        // Reports ending on the same day (the fourth quarter and December) give one stock, that day's: the one of
        // the shortest period, never their sum (round 51, found by a review helper: 6 and 6 made a year of 12).
        let (_, latest) = own.iter().filter(|(p, _)| p.end() == latest_end).max_by_key(|(p, _)| p.start())?;
        let mut stock = *latest;
        stock.partial_time |= latest_end < period.end();
        return Some(stock);
    }
    let mut taken: Vec<(Period, f64)> = Vec::with_capacity(own.len());
    let mut total = Aggregate::ZERO;
    let mut days = 0;
    for (p, value) in parts_taken(own) {
        taken.push((*p, value.value));
        days += (p.end() - p.start()).num_days() + 1;
        total.add(value);
    }
    let period_days = (period.end() - period.start()).num_days() + 1;
    total.partial_time |= days < period_days;
    if time == TimeAggregation::Average {
        total.value = weighted_mean(&taken);
    }
    Some(total)
}

/// The reports a sum or an average over time takes of `own` where no period type covers the period: reports that do
/// not overlap, covering the most days, then as few as can (the longest), then the earliest; in time order. Reports
/// that tile the period are always all taken: taken longest first, a range of 183 days overlapping a half-year of 182
/// shut out that half and the third quarter, so a year its half and quarters tiled read "missing 2024-01, 2024-02,
/// 2024-03", months the half held (round 58, found by a review helper). The days left are the sum's missing part;
/// what a partial value lacks is read from the same parts (`eval::coverage`). Weighted interval scheduling over the
/// reports ordered by their last day (Kleinberg and Tardos, *Algorithm Design*, 6.1).
pub(crate) fn parts_taken(own: &[(Period, Aggregate)]) -> Vec<&(Period, Aggregate)> {
    most_days(own, |(period, _)| *period)
}

/// Of `items`, each over the period `period_of` gives, those that do not overlap and cover the most days, then as few
/// as can, then the earliest, in time order ([`parts_taken`]; the audit reads a partial sum the same way).
pub(crate) fn most_days<T>(items: &[T], period_of: impl Fn(&T) -> Period) -> Vec<&T> {
    let mut order: Vec<&T> = items.iter().collect();
    order.sort_by_key(|item| {
        let period = period_of(item);
        (period.end(), period.start())
    });
    let end_of = |item: &&T| period_of(item).end();
    // best[i]: the best choice among the first i items, as (days covered, Reverse(items taken)), and whether item
    // i - 1 is in it.
    let mut best: Vec<((i64, std::cmp::Reverse<usize>), bool)> = Vec::with_capacity(order.len() + 1);
    best.push(((0, std::cmp::Reverse(0)), false));
    for (i, item) in order.iter().enumerate() {
        let period = period_of(item);
        // The items before this one that end before it starts: a prefix, `order` being sorted by last day.
        let before = order[..i].partition_point(|q| end_of(q) < period.start());
        let ((days, std::cmp::Reverse(count)), _) = best[before];
        let with = (days + (period.end() - period.start()).num_days() + 1, std::cmp::Reverse(count + 1));
        let without = best[i].0;
        best.push(if with > without { (with, true) } else { (without, false) });
    }
    let mut taken: Vec<&T> = Vec::new();
    let mut i = order.len();
    while i > 0 {
        if best[i].1 {
            let item = order[i - 1];
            taken.push(item);
            let start = period_of(item).start();
            i = order[..i - 1].partition_point(|q| end_of(q) < start);
        } else {
            i -= 1;
        }
    }
    taken.reverse();
    taken
}

/// How an average over time weighs its parts (methodology §2.6, "Over time"): by their length in whole months
/// when every part is made of whole months (a quarter three times a month, February as much as March, as a yearly
/// average of monthly figures is their mean), else in days (DHIS2's analytics weighs each value by its period's days,
/// `daysxvalue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length {
    Months,
    Days,
}

impl Length {
    /// The unit for `parts`: months when every one of them is made of whole months ([`Period::is_whole_months`]).
    pub(crate) fn for_parts(mut parts: impl Iterator<Item = Period>) -> Length {
        if parts.all(|p| p.is_whole_months()) { Length::Months } else { Length::Days }
    }

    /// The length of the days from `start` to `end` in this unit (whole months only when they are).
    pub(crate) fn of(self, start: NaiveDate, end: NaiveDate) -> f64 {
        use chrono::Datelike;
        match self {
            Length::Months => {
                f64::from((end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32 + 1)
            }
            Length::Days => ((end - start).num_days() + 1) as f64,
        }
    }

    /// The length of `period` in this unit.
    pub(crate) fn of_period(self, period: Period) -> f64 {
        self.of(period.start(), period.end())
    }

    /// The length of the days that any of `spans` covers (each counted once).
    pub(crate) fn of_union(self, spans: &[Period]) -> f64 {
        let mut sorted: Vec<(NaiveDate, NaiveDate)> = spans.iter().map(|p| (p.start(), p.end())).collect();
        sorted.sort_unstable();
        let mut length = 0.0;
        let mut current: Option<(NaiveDate, NaiveDate)> = None;
        for (start, end) in sorted {
            match &mut current {
                Some((_, last)) if start <= last.succ_opt().unwrap_or(*last) => *last = (*last).max(end),
                _ => {
                    if let Some((a, b)) = current {
                        length += self.of(a, b);
                    }
                    current = Some((start, end));
                }
            }
        }
        length + current.map_or(0.0, |(a, b)| self.of(a, b))
    }
}

/// The mean of `parts` (each a period and its value) weighted by their lengths ([`Length`]).
pub(crate) fn weighted_mean(parts: &[(Period, f64)]) -> f64 {
    let unit = Length::for_parts(parts.iter().map(|(p, _)| *p));
    let (mut sum, mut weights) = (0.0, 0.0);
    for (period, value) in parts {
        let weight = unit.of_period(*period);
        sum += value * weight;
        weights += weight;
    }
    sum / weights
}

/// How many periods of type `part` make up one of type `whole`, for the calendar types; 0 when `part` is not
/// finer than `whole`.
fn parts_in(whole: PeriodType, part: PeriodType) -> usize {
    let months = |t: PeriodType| match t {
        PeriodType::Year => 12,
        PeriodType::Half => 6,
        PeriodType::Quarter => 3,
        PeriodType::Month => 1,
        PeriodType::YearFrom(_) | PeriodType::Range => 0,
    };
    let (whole, part) = (months(whole), months(part));
    if part == 0 || whole <= part { 0 } else { whole / part }
}

/// [`combine_over_time`] for reports of distinct periods in time order (those of a single unit): a period type
/// covers `period` exactly when it has as many reports within it as `period` has parts of that type, so coverage
/// is a count instead of a search per part. Falls back to [`combine_over_time`] for a date-range `period`.
pub(crate) fn combine_distinct(
    own: &[(Period, Aggregate)],
    period: Period,
    time: TimeAggregation,
    subdivisions: &mut FastMap<(Period, PeriodType), Vec<Period>>,
) -> Option<Aggregate> {
    if matches!(period.period_type(), PeriodType::Range | PeriodType::YearFrom(_)) {
        return combine_over_time_cached(own, period, time, subdivisions);
    }
    if let Some(settled) = without_lower_bounds(own, time) {
        return combine_distinct(&settled, period, time, subdivisions);
    }
    if let Some((_, exact)) = own.iter().find(|(p, _)| *p == period) {
        return Some(*exact);
    }
    if time == TimeAggregation::None {
        return None;
    }
    for period_type in SUBDIVISIONS {
        let needed = parts_in(period.period_type(), period_type);
        if needed == 0 || own.iter().filter(|(p, _)| p.period_type() == period_type).count() != needed {
            continue;
        }
        let mut total = Aggregate::ZERO;
        let mut last = total;
        for (_, value) in own.iter().filter(|(p, _)| p.period_type() == period_type) {
            total.add(value);
            last = *value;
        }
        return Some(by_rule(total, last, needed, time));
    }
    partial_over_time(own, period, time)
}

/// [`combine_distinct`] for a calendar year, half or quarter of `period_type` whose reports are months, all of
/// them: `months` are the reports within the period, in time order, and `None` is returned unless there are as
/// many as the period has months (then the general rule decides: a partial value, or none). The same value to
/// the bit as [`combine_distinct`], which sums the same months in the same order; it only skips the search.
/// Inlined into the leaf's loop: returned through memory, its result was reloaded wider than it was stored (a stall
/// on every period of every leaf, docs/performance-log.md round 6).
#[inline(always)]
pub(crate) fn combine_whole_months<'a>(
    months: impl ExactSizeIterator<Item = &'a Aggregate>,
    period_type: PeriodType,
    time: TimeAggregation,
) -> Option<Aggregate> {
    let needed = parts_in(period_type, PeriodType::Month);
    if needed == 0 || months.len() != needed || time == TimeAggregation::None {
        return None;
    }
    let mut total = Aggregate::ZERO;
    let mut last = total;
    for value in months {
        total.add(value);
        last = *value;
    }
    Some(by_rule(total, last, needed, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agg(value: f64) -> Aggregate {
        Aggregate { value, sources: 1, ..Aggregate::ZERO }
    }

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    /// A report that is only an incomplete breakdown (a lower bound) gives way to the unit's whole reports inside its
    /// period, for that period and inside a longer one; it stands where they do not make up its period, or make up
    /// less than it (round 62: a half's 16 girls beside its quarters' 60 and 66 made the year 52).
    #[test]
    fn a_lower_bound_gives_way_to_whole_reports_inside_its_period() {
        let bound = Aggregate { partial_breakdown: true, ..agg(16.0) };
        let own = [(p("2025S1"), agg(36.0)), (p("2025S2"), bound), (p("2025Q3"), agg(60.0)), (p("2025Q4"), agg(66.0))];
        for (period, expected) in [("2025S2", 126.0), ("2025", 162.0)] {
            let within: Vec<(Period, Aggregate)> = own.iter().copied().filter(|(q, _)| p(period).contains(q)).collect();
            for combined in [
                combine_over_time(&within, p(period), TimeAggregation::Sum),
                combine_distinct(&within, p(period), TimeAggregation::Sum, &mut FastMap::default()),
            ] {
                let combined = combined.expect("a value");
                assert_eq!((combined.value, combined.is_partial()), (expected, false), "{period}");
            }
        }
        // The fourth quarter missing: the quarters do not make up the half, the lower bound stands, marked.
        let half = combine_over_time(&own[1..3], p("2025S2"), TimeAggregation::Sum).expect("a value");
        assert_eq!((half.value, half.partial_breakdown), (16.0, true));
        // Quarters that add up to less than the bound contradict it: the bound stands.
        let less = [(p("2025S2"), bound), (p("2025Q3"), agg(6.0)), (p("2025Q4"), agg(6.0))];
        let half = combine_over_time(&less, p("2025S2"), TimeAggregation::Sum).expect("a value");
        assert_eq!(half.value, 16.0);
    }

    #[test]
    fn distinct_reports_combine_as_the_general_rule() {
        // Every subset of a year's months, quarters and halves (with a date range), in time order, for each rule.
        let year = Period::Year(2023);
        let parts: Vec<Period> = year
            .subdivide(PeriodType::Half)
            .into_iter()
            .chain(year.subdivide(PeriodType::Quarter))
            .chain(year.subdivide(PeriodType::Month))
            .chain([year, p("2023-05-01..2023-05-31")])
            .collect();
        let mut state = 11u64;
        for _ in 0..3000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let mut own: Vec<(Period, Aggregate)> = parts
                .iter()
                .enumerate()
                .filter(|(i, _)| (state >> (i + 10)) & 1 == 1 || (state >> 40).is_multiple_of(5))
                .map(|(i, period)| (*period, agg(i as f64 + 0.25)))
                .collect();
            own.sort_by_key(|a| a.0);
            for whole in [year, p("2023S1"), p("2023Q3"), p("2023-11"), p("2023-04-01..2023-09-30")] {
                let within: Vec<(Period, Aggregate)> = own.iter().copied().filter(|(q, _)| whole.contains(q)).collect();
                for time in
                    [TimeAggregation::Sum, TimeAggregation::Last, TimeAggregation::Average, TimeAggregation::None]
                {
                    let expected = combine_over_time(&within, whole, time);
                    let got = combine_distinct(&within, whole, time, &mut FastMap::default());
                    assert_eq!(got, expected, "{whole} {time:?} {within:?}");
                }
            }
        }
    }

    #[test]
    fn whole_months_combine_as_the_general_rule() {
        // Every run of a year's months that `leaf_series` may pass, for each calendar period and rule: the fast path
        // answers only when the months cover the period, and then to the bit as `combine_distinct`.
        let year = Period::Year(2024);
        let months = year.subdivide(PeriodType::Month);
        let mut state = 5u64;
        for _ in 0..2000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let own: Vec<(Period, Aggregate)> = months
                .iter()
                .enumerate()
                .filter(|(i, _)| (state >> (i + 8)) & 1 == 1 || (state >> 50).is_multiple_of(3))
                .map(|(i, &month)| (month, Aggregate { provisional: i % 5 == 0, ..agg(0.1 * (i as f64) + 1.0 / 3.0) }))
                .collect();
            for whole in [year, p("2024S2"), p("2024Q1"), p("2024Q4"), p("2024-07")] {
                let within: Vec<(Period, Aggregate)> = own.iter().copied().filter(|(q, _)| whole.contains(q)).collect();
                for time in
                    [TimeAggregation::Sum, TimeAggregation::Last, TimeAggregation::Average, TimeAggregation::None]
                {
                    let general = combine_distinct(&within, whole, time, &mut FastMap::default());
                    let fast = combine_whole_months(within.iter().map(|(_, a)| a), whole.period_type(), time);
                    // `none` combines nothing: only a period's own report, which the fast path never is.
                    let covers = within.len() == whole.subdivide(PeriodType::Month).len()
                        && whole != p("2024-07")
                        && time != TimeAggregation::None;
                    assert_eq!(fast.is_some(), covers, "{whole} {within:?}");
                    if let Some(fast) = fast {
                        assert_eq!(Some(fast), general, "{whole} {time:?} {within:?}");
                        assert_eq!(fast.value.to_bits(), general.unwrap().value.to_bits());
                    }
                }
            }
        }
    }

    #[test]
    fn combines_over_time_by_coverage() {
        // (reports, rule, value, partial): a unit that reported part of the year contributes what it reported,
        // marked partial, rather than nothing (a parent's year is never less than a part of it).
        let year = p("2023");
        type Case = (Vec<(&'static str, f64)>, TimeAggregation, Option<f64>, bool);
        let quarters = |q4: f64| vec![("2023Q1", 1.0), ("2023Q2", 2.0), ("2023Q3", 3.0), ("2023Q4", q4)];
        let cases: Vec<Case> = vec![
            (vec![("2023", 90.0), ("2023Q1", 24.0)], TimeAggregation::Sum, Some(90.0), false),
            (quarters(4.0), TimeAggregation::Sum, Some(10.0), false),
            (vec![("2023Q1", 56.0), ("2023S1", 88.0)], TimeAggregation::Sum, Some(88.0), true),
            (vec![("2023S1", 88.0), ("2023S2", 12.0), ("2023Q1", 56.0)], TimeAggregation::Sum, Some(100.0), false),
            (vec![("2023S1", 88.0), ("2023Q3", 5.0), ("2023Q4", 7.0)], TimeAggregation::Sum, Some(100.0), false),
            (vec![("2023Q1", 1.0), ("2023Q2", 2.0), ("2023Q3", 3.0)], TimeAggregation::Sum, Some(6.0), true),
            (vec![("2023-01", 1.0), ("2023Q2", 2.0)], TimeAggregation::Sum, Some(3.0), true),
            (quarters(4.0), TimeAggregation::Last, Some(4.0), false),
            // Not combined: only the period's own report.
            (quarters(4.0), TimeAggregation::None, None, false),
            (vec![("2023", 90.0), ("2023Q1", 24.0)], TimeAggregation::None, Some(90.0), false),
            (quarters(6.0), TimeAggregation::Average, Some(3.0), false),
            (vec![("2023Q1", 1.0), ("2023Q2", 7.0)], TimeAggregation::Last, Some(7.0), true),
            (vec![("2023Q1", 2.0), ("2023Q3", 4.0)], TimeAggregation::Average, Some(3.0), true),
            // An average weighs each part by its length: a half six months, a quarter three, a month one.
            (vec![("2023S1", 2.0), ("2023Q3", 8.0)], TimeAggregation::Average, Some(4.0), true),
            (vec![("2023Q1", 2.0), ("2023-04", 6.0)], TimeAggregation::Average, Some(3.0), true),
            (
                vec![("2023S1", 1.0), ("2023Q3", 4.0), ("2023-10", 7.0), ("2023-11", 7.0), ("2023-12", 7.0)],
                TimeAggregation::Average,
                Some(3.25),
                false,
            ),
            // Date ranges of whole months weigh by months (January and the eleven after it), others by days (ten
            // days at 0 and 355 at 365).
            (
                vec![("2023-01-01..2023-01-31", 0.0), ("2023-02-01..2023-12-31", 12.0)],
                TimeAggregation::Average,
                Some(11.0),
                false,
            ),
            (
                vec![("2023-01-01..2023-01-10", 0.0), ("2023-01-11..2023-12-31", 365.0)],
                TimeAggregation::Average,
                Some(355.0),
                false,
            ),
            (vec![], TimeAggregation::Sum, None, false),
        ];
        for (reports, time, expected, partial) in cases {
            let own: Vec<(Period, Aggregate)> = reports.iter().map(|(q, v)| (p(q), agg(*v))).collect();
            let got = combine_over_time(&own, year, time);
            assert_eq!(got.map(|a| a.value), expected, "{reports:?} {time:?}");
            assert_eq!(got.is_some_and(|a| a.partial_time), partial, "{reports:?} {time:?}");
        }
    }
}
