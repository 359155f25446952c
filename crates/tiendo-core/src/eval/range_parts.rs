//! What the parts of a plan's date range prove about a target set for the whole range, when the data gives the range
//! no value of its own (`2024-03-17..2024-12-31`, or a five-year total before its end): it depends on how the
//! indicator adds up over time, and on the comparator.

use super::*;
use crate::expr::BinaryOp;

/// How an indicator's value over a period relates to its values over parts of that period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OverTime {
    /// A count of elements that are never negative (not `value_type = "number"`) summed over time with nothing
    /// subtracted (`cases`, `victims_male + victims_female`): the
    /// value of a period is at least the sum of any of its parts that do not overlap, because a count is never
    /// negative. Parts prove `>=` and `>` met, and `<=`, `<` and `=` missed; never the other way round.
    Summed,
    /// Every element takes the latest sub-period (a stock such as a number of shelters): the part that ends on the
    /// period's last day has the period's value; no other part says anything.
    Last,
    /// Anything else (a ratio, an average, a difference, a plugin metric): a part proves nothing about the whole.
    Other,
}

/// How `indicator` adds up over time ([`OverTime`]); an indicator reported directly by its measure's rule
/// ([`super::refs::reported_rule`]).
pub(super) fn over_time(catalogue: &Catalogue, indicator: &Indicator) -> OverTime {
    if indicator.formula == Formula::Reported {
        return match super::refs::reported_rule(indicator.measure).time {
            TimeAggregation::Sum => OverTime::Summed,
            TimeAggregation::Last => OverTime::Last,
            TimeAggregation::Average | TimeAggregation::None => OverTime::Other,
        };
    }
    let Formula::Expression { numerator, denominator } = &indicator.formula else { return OverTime::Other };
    let rule = |element: &str| catalogue.data_elements.get(element).map(|e| e.time_aggregation);
    let elements = numerator.elements();
    let all = |time: TimeAggregation| !elements.is_empty() && elements.iter().all(|r| rule(&r.element) == Some(time));
    // An element of `value_type = "number"` may be negative (a net change), so a part of its sum bounds nothing
    // (round 45: a partial 145 was "not met" against `<= 100` though the missing province had reported -30).
    let never_negative = elements.iter().all(|r| {
        catalogue.data_elements.get(&r.element).is_some_and(|e| e.value_type != crate::model::ValueType::Number)
    });
    if denominator.is_none()
        && indicator.measure == Measure::Count
        && only_additions(numerator)
        && never_negative
        && all(TimeAggregation::Sum)
    {
        OverTime::Summed
    } else if all(TimeAggregation::Last)
        && denominator
            .as_ref()
            .is_none_or(|d| d.elements().iter().all(|r| rule(&r.element) == Some(TimeAggregation::Last)))
    {
        OverTime::Last
    } else {
        OverTime::Other
    }
}

/// Whether a value of `indicator` built from part of the expected units or periods is a lower bound of the whole
/// value: a count summed over time ([`OverTime::Summed`]) whose every element also adds up over org units, so that
/// what is missing can only add to it. Such a partial value proves what a part of a range proves ([`proof`]); any
/// other partial value proves nothing about the whole. A count reported directly is one too: it adds up over time
/// and over org units ([`super::refs::reported_rule`]) and the loader refuses a negative count.
pub(super) fn partial_is_lower_bound(catalogue: &Catalogue, indicator: &Indicator) -> bool {
    if indicator.formula == Formula::Reported {
        return indicator.measure == Measure::Count;
    }
    let Formula::Expression { numerator, .. } = &indicator.formula else { return false };
    over_time(catalogue, indicator) == OverTime::Summed
        && numerator.elements().iter().all(|r| {
            catalogue.data_elements.get(&r.element).is_some_and(|e| e.org_unit_aggregation == OrgUnitAggregation::Sum)
        })
}

/// Whether an expression only adds data elements: a sum of parts that are each never negative.
fn only_additions(expr: &Expr) -> bool {
    match expr {
        Expr::Element(_) => true,
        Expr::Binary { op: BinaryOp::Add, left, right } => only_additions(left) && only_additions(right),
        _ => false,
    }
}

/// What the parts of a range prove about its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Proof {
    /// The whole range meets the target, whatever its other parts hold.
    Met,
    /// The whole range misses the target, whatever its other parts hold.
    Missed,
    /// Nothing follows for the whole range; the reason, for the explanation.
    Unknown(&'static str),
}

/// What `part` (inside `range`) proves about a target set for the whole of `range`, decided exactly by `order` (how
/// the part's own value compares with the target's: `Greater` when above it). A count summed over time is at least
/// any of its parts: a part above `=` misses it, a part at or below it proves nothing (the rest may add up to it or
/// beyond).
pub(super) fn proof(
    shape: OverTime,
    comparator: Comparator,
    (part, range): (Period, Period),
    order: std::cmp::Ordering,
) -> Proof {
    let met = exact::holds_in_order(comparator, order);
    match shape {
        OverTime::Summed => match (comparator, met) {
            (Comparator::Greater | Comparator::GreaterOrEqual, true) => Proof::Met,
            (Comparator::Less | Comparator::LessOrEqual, false) => Proof::Missed,
            (Comparator::Equal, false) if order == std::cmp::Ordering::Greater => Proof::Missed,
            (Comparator::Greater | Comparator::GreaterOrEqual, false) => {
                Proof::Unknown("the parts of the plan's period reported so far do not reach the target yet")
            }
            _ => Proof::Unknown(
                "a part of the plan's period within the limit proves nothing about the whole period, which adds the \
                 days the data cannot give",
            ),
        },
        OverTime::Last if part.end() == range.end() => {
            if met {
                Proof::Met
            } else {
                Proof::Missed
            }
        }
        OverTime::Last => Proof::Unknown("the value on the last day of the plan's period is not known"),
        OverTime::Other => Proof::Unknown(
            "the plan's period cannot be split from the data, and a part of it proves nothing about the whole",
        ),
    }
}

/// The parts of `range` a reader can add up: complete, not negative, `usable` (deciding and shown), of one basis (the
/// unit's own reports where it has any, else its children's sums), and whether that basis is the unit's own.
fn summable_parts<'p>(
    points: &'p [RawPoint],
    range: Period,
    usable: &dyn Fn(&RawPoint) -> bool,
) -> (Vec<&'p RawPoint>, bool) {
    let mut parts: Vec<&RawPoint> = points
        .iter()
        .filter(|p| p.period != range && range.contains(&p.period) && !p.partial && p.value >= 0.0 && usable(p))
        .collect();
    let reported = parts.iter().any(|p| !p.from_children);
    parts.retain(|p| p.from_children != reported);
    (parts, reported)
}

/// For a count summed over time, the longest run of consecutive parts of `range` that the data gives and a reader
/// can add up (complete, shown, of one basis, not overlapping, each day after the last), as a value of the range
/// they cover together: `530` for 2021-2023 inside `2021..2025`, `170` for April to December inside
/// `2024-03-17..2024-12-31`. Of runs over the same days, the one of fewest parts: a period's own report, never its
/// sub-periods' sum where the two disagree (W339 uses the period's own report for it; the largest sum took the
/// quarters' 120 over the year's own 100 and decided a `>= 230` target "met" on 240; round 58, found by a review
/// helper). `None` when no two parts join, or when their span is already a period of the series.
pub(super) fn summed_chain(points: &[RawPoint], range: Period, usable: &dyn Fn(&RawPoint) -> bool) -> Option<RawPoint> {
    let (mut parts, reported) = summable_parts(points, range, usable);
    parts.sort_by_key(|p| (p.period.start(), p.period.end(), p.period));
    // best[i]: the longest chain of consecutive parts ending with part i, as (days, Reverse(parts)), and the part
    // before it.
    type Length = (i64, std::cmp::Reverse<usize>);
    let mut best: Vec<(Length, Option<usize>)> = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let before = (0..i)
            .filter(|&j| parts[j].period.end().succ_opt() == Some(part.period.start()))
            .max_by(|&a, &b| best[a].0.cmp(&best[b].0).then(b.cmp(&a)));
        let ((days, std::cmp::Reverse(count)), _) = before.map_or(((0, std::cmp::Reverse(0)), None), |j| best[j]);
        let own = (part.period.end() - part.period.start()).num_days() + 1;
        best.push(((days + own, std::cmp::Reverse(count + 1)), before));
    }
    let last = (0..parts.len()).max_by(|&a, &b| best[a].0.cmp(&best[b].0).then(b.cmp(&a)))?;
    let mut chain = vec![parts[last]];
    while let Some(previous) = best[points_index(&chain, &parts)].1 {
        chain.push(parts[previous]);
    }
    chain.reverse();
    let span = Period::Range(chain[0].period.start(), parts[last].period.end());
    if chain.len() < 2 || points.iter().any(|p| p.period == span) {
        return None;
    }
    Some(sum_of(&chain, span, !reported))
}

/// The sum of `parts` as a value of `period`, with their marks and merged coverage (none when none has one).
fn sum_of(parts: &[&RawPoint], period: Period, from_children: bool) -> RawPoint {
    let mut coverage: Option<Coverage> = None;
    for found in parts.iter().filter_map(|p| p.coverage.as_ref()) {
        match &mut coverage {
            Some(coverage) => coverage.merge(found),
            None => coverage = Some(found.clone()),
        }
    }
    RawPoint {
        period,
        value: parts.iter().map(|p| p.value).sum(),
        numerator: None,
        denominator: None,
        sources: parts.iter().fold(0, |mask, p| mask | p.sources),
        provisional: parts.iter().any(|p| p.provisional),
        from_children,
        partly_own: parts.iter().any(|p| p.partly_own),
        members_below: parts.iter().all(|p| p.members_below),
        partial: false,
        coverage,
        note: None,
    }
}

/// For a count summed over time, the largest sum of parts of `range` that do not overlap, when they leave days of it
/// uncovered: a lower bound of the range's value (a count is never negative, so the days no part covers can only add
/// to it), as a partial value of the whole range whose coverage names those days (`"{unit} 2023"`). 2021, 2022, 2024
/// and 2025 add up to at least 1,200 of 2021-2025 with 2023 missing, which misses `<= 1000` whatever 2023 holds,
/// where the longest run of consecutive parts ([`summed_chain`], 2024-2025) settled nothing (round 73). The parts
/// are read as [`summed_chain`] reads them (one basis, complete, shown), and a period's own report stands for its
/// sub-periods (W339: never their larger sum). `None` with fewer than two such parts.
pub(super) fn disjoint_lower_bound(
    points: &[RawPoint],
    range: Period,
    usable: &dyn Fn(&RawPoint) -> bool,
    unit: &str,
) -> Option<RawPoint> {
    let (mut parts, reported) = summable_parts(points, range, usable);
    let own_reports: Vec<Period> = parts.iter().map(|p| p.period).collect();
    parts.retain(|p| !own_reports.iter().any(|&other| other != p.period && other.contains(&p.period)));
    parts.sort_by_key(|p| (p.period.end(), p.period.start(), p.period));
    // Weighted interval scheduling: best[i] is the largest sum of parts among the first i, and whether part i-1 is
    // in it.
    let mut best: Vec<(f64, bool)> = vec![(0.0, false)];
    let before = |i: usize| parts[..i].partition_point(|q| q.period.end() < parts[i].period.start());
    for i in 0..parts.len() {
        let with = parts[i].value + best[before(i)].0;
        best.push(if with > best[i].0 { (with, true) } else { (best[i].0, false) });
    }
    let mut chosen = Vec::new();
    let mut i = parts.len();
    while i > 0 {
        if best[i].1 {
            chosen.push(parts[i - 1]);
            i = before(i - 1);
        } else {
            i -= 1;
        }
    }
    chosen.reverse();
    if chosen.len() < 2 {
        return None;
    }
    // The days no chosen part covers, as the coarsest calendar periods.
    let mut missing_periods = Vec::new();
    let mut gap = |from: Option<NaiveDate>, to: Option<NaiveDate>| {
        if let (Some(from), Some(to)) = (from, to)
            && from <= to
        {
            missing_periods
                .extend(Period::calendar_pieces(from, to).into_iter().map(|piece| format!("{unit} {piece}")));
        }
    };
    let mut day = Some(range.start());
    for found in &chosen {
        gap(day, found.period.start().pred_opt());
        day = found.period.end().succ_opt();
    }
    gap(day, Some(range.end()));
    if missing_periods.is_empty() {
        return None;
    }
    let mut bound = sum_of(&chosen, range, !reported);
    let mut coverage = bound.coverage.take().unwrap_or(Coverage { reported: 1, expected: 1, ..Coverage::default() });
    coverage.complete = false;
    coverage.missing_periods.extend(missing_periods);
    bound.partial = true;
    bound.coverage = Some(coverage);
    Some(bound)
}

/// `points` with `point` in its place in their order (period type, then start, then end).
pub(super) fn with_point(points: &[RawPoint], point: RawPoint) -> Vec<RawPoint> {
    let mut all = points.to_vec();
    let key = |p: &RawPoint| (p.period.period_type(), p.period.start(), p.period.end());
    let at = all.partition_point(|p| key(p) < key(&point));
    all.insert(at, point);
    all
}

/// The index in `parts` of the first part of `chain` (built backwards, so its last element).
fn points_index(chain: &[&RawPoint], parts: &[&RawPoint]) -> usize {
    let first = chain[chain.len() - 1];
    parts.iter().position(|p| std::ptr::eq(*p, first)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn point(period: &str, value: f64) -> RawPoint {
        RawPoint {
            period: p(period),
            value,
            numerator: None,
            denominator: None,
            sources: 1,
            provisional: false,
            from_children: false,
            partly_own: false,
            members_below: false,
            partial: false,
            coverage: None,
            note: None,
        }
    }

    /// (shape, comparator, part, how the part compares with the target, proof): a summed count proves `>=` met and
    /// `<=` missed, never the other way, and `=` missed only from above; a stock only by the part ending on the
    /// range's last day; a ratio never.
    #[test]
    fn what_a_part_proves_about_its_range() {
        use Comparator::*;
        use OverTime::*;
        use std::cmp::Ordering::{Equal as At, Greater as Above, Less as Below};
        let range = p("2024-03-17..2024-12-31");
        let cases = [
            (Summed, GreaterOrEqual, "2024S2", At, Some(Proof::Met)),
            (Summed, GreaterOrEqual, "2024S2", Below, None),
            (Summed, Greater, "2024S2", At, None),
            (Summed, LessOrEqual, "2024S2", Above, Some(Proof::Missed)),
            (Summed, LessOrEqual, "2024S2", At, None),
            (Summed, Less, "2024Q4", At, Some(Proof::Missed)),
            (Summed, Equal, "2024Q4", Above, Some(Proof::Missed)),
            // Below an `=` target the rest of the range may still make it up: nothing is proved (it said missed).
            (Summed, Equal, "2024Q4", Below, None),
            (Summed, Equal, "2024Q4", At, None),
            (Last, GreaterOrEqual, "2024Q4", Above, Some(Proof::Met)),
            (Last, LessOrEqual, "2024Q4", Above, Some(Proof::Missed)),
            (Last, Equal, "2024Q4", Below, Some(Proof::Missed)),
            (Last, GreaterOrEqual, "2024Q3", Above, None),
            (Other, GreaterOrEqual, "2024S2", Above, None),
            (Other, LessOrEqual, "2024S2", Above, None),
        ];
        for (shape, comparator, part, order, expected) in cases {
            let proof = proof(shape, comparator, (p(part), range), order);
            let decided = match proof {
                Proof::Unknown(_) => None,
                proof => Some(proof),
            };
            assert_eq!(decided, expected, "{shape:?} {comparator:?} {part} {order:?}");
        }
    }

    /// The longest run of consecutive parts inside the range, never two that overlap, never one that starts before
    /// the range: Q2 + H2 (170) inside 17 March - 31 December, not Q1; the years 2021-2023 inside 2021..2025.
    #[test]
    fn the_run_of_parts_a_count_is_decided_on() {
        let all = |_: &RawPoint| true;
        let points = [point("2024S2", 90.0), point("2024Q1", 10.0), point("2024Q2", 80.0), point("2024Q3", 45.0)];
        let chain = summed_chain(&points, p("2024-03-17..2024-12-31"), &all).expect("a run");
        assert_eq!((chain.period, chain.value), (p("2024-04-01..2024-12-31"), 170.0));
        let points = [point("2021", 150.0), point("2022", 200.0), point("2023", 180.0)];
        let chain = summed_chain(&points, p("2021..2025"), &all).expect("a run");
        assert_eq!((chain.period, chain.value), (p("2021-01-01..2023-12-31"), 530.0));
        // One part alone is a period of the series already; a gap breaks the run.
        assert!(summed_chain(&points[..1], p("2021..2025"), &all).is_none());
        let gap = [point("2021", 150.0), point("2023", 180.0)];
        assert!(summed_chain(&gap, p("2021..2025"), &all).is_none());
    }

    /// The largest sum of parts that do not overlap, with the days none covers named: 2021 + 2022 + 2024 + 2025 with
    /// 2023 missing; a year's own report stands for its quarters (never their larger sum); of two overlapping parts
    /// the pair of larger sum; nothing when the parts are fewer than two or cover the whole range.
    #[test]
    fn the_largest_sum_of_parts_that_do_not_overlap_bounds_a_count() {
        let all = |_: &RawPoint| true;
        let range = p("2021..2025");
        let points = [point("2021", 150.0), point("2022", 200.0), point("2024", 190.0), point("2025", 210.0)];
        let bound = disjoint_lower_bound(&points, range, &all, "vn").expect("a bound");
        assert_eq!((bound.period, bound.value, bound.partial), (range, 750.0, true));
        assert_eq!(bound.coverage.expect("coverage").missing_periods, ["vn 2023"]);
        // A year's own 100 beside its quarters' 120: the year's; 2022Oct (1 Oct 2022 - 30 Sep 2023) overlaps both
        // 2022 and 2023Q4 is left: 2021 + 2022 + 2023 (own) + 2025.
        let points = [
            point("2021", 10.0),
            point("2022", 20.0),
            point("2023", 100.0),
            point("2023Q1", 30.0),
            point("2023Q2", 30.0),
            point("2023Q3", 30.0),
            point("2023Q4", 30.0),
            point("2022Oct", 90.0),
            point("2025", 5.0),
        ];
        let bound = disjoint_lower_bound(&points, range, &all, "vn").expect("a bound");
        assert_eq!(bound.value, 135.0);
        assert_eq!(bound.coverage.expect("coverage").missing_periods, ["vn 2024"]);
        // One part, or parts covering every day, bound nothing new.
        assert!(disjoint_lower_bound(&points[..1], range, &all, "vn").is_none());
        let whole = [point("2021..2022", 1.0), point("2023..2025", 2.0)];
        assert!(disjoint_lower_bound(&whole, range, &all, "vn").is_none());
    }
}
