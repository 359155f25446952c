//! Hidden values that look alike in every output, whatever hid them (methodology §7): a small count, a cell hidden so
//! that totals do not reveal one, a share over a suppressed zero, a plugin's failure where its inputs are hidden.
//! Anything one kind of hidden point carries that another lacks (sources, flags, coverage, a latest value, the
//! explanation of a status) tells a reader which kind it is, and so something of the hidden count (round 65).

use std::collections::BTreeMap;

use super::points::RawPoint;
use super::{Basis, IndicatorResult, Point, ValueState};
use crate::model::SourceKind;
use crate::period::Period;

/// Makes every suppressed point of `results` (totals and breakdowns, and a result's latest value) the bare
/// [`suppressed`] point of its period, unless suppressed values are shown: a hidden value looks the same whatever hid
/// it. A point hidden for a plugin's failure or a zero denominator has no sources, flags or coverage of its own, so a
/// hidden count's beside it (`[rep]` against `[]` in `eval`'s table) told which it was (round 65, found by review
/// helpers). Kept: what belongs to the unit and period rather than to the value (the unit's last day, a change of its
/// area) and whether the series is synthetic (a suppressed synthetic province stays marked); a bare point is
/// synthetic where every other point of its unit's series is, or, where the series has no other, every point of the
/// indicator's. A series with a bare point is treated as one with any hidden value: not assessed in published
/// output, and the bare point is its latest where it is the last of the series. A target compared with a hidden
/// value cites no source of it.
pub(super) fn uniform_hidden(results: &mut [IndicatorResult], show_suppressed: bool) {
    if show_suppressed {
        return;
    }
    let synthetic_of = |points: &mut dyn Iterator<Item = &Point>| {
        let mut sourced = points.filter(|p| !p.sources.is_empty()).peekable();
        sourced.peek().is_some().then(|| sourced.all(|p| p.synthetic))
    };
    let mut by_indicator: BTreeMap<String, bool> = BTreeMap::new();
    for result in results.iter() {
        if let Some(synthetic) = synthetic_of(&mut result.series.iter()) {
            let all = by_indicator.entry(result.indicator.clone()).or_insert(true);
            *all &= synthetic;
        }
    }
    for result in results.iter_mut() {
        let synthetic_series = synthetic_of(&mut result.series.iter())
            .unwrap_or_else(|| by_indicator.get(&result.indicator).copied().unwrap_or(false));
        let bare = result.series.iter().filter(|p| p.state == ValueState::Suppressed && p.sources.is_empty());
        let last_bare = bare.max_by_key(|p| (p.period.end(), std::cmp::Reverse(p.period.start()))).map(|p| p.period);
        let mut series: Vec<&mut Vec<Point>> = vec![&mut result.series];
        series.extend(result.breakdowns.iter_mut().map(|b| &mut b.series));
        let latest = result.latest.iter_mut();
        for point in series.into_iter().flatten().chain(latest).filter(|p| p.state == ValueState::Suppressed) {
            let synthetic = if point.sources.is_empty() { synthetic_series } else { point.synthetic };
            *point = Point {
                synthetic,
                kind: if synthetic { SourceKind::Synthetic } else { SourceKind::Official },
                after_end: point.after_end,
                area_changed: point.area_changed,
                series_break: point.series_break,
                ..suppressed(point.period)
            };
        }
        // A target compared with a hidden value cites nothing of it either: a hidden zero's placeholder has no
        // sources of its own (round 70).
        for target in &mut result.targets {
            let hidden = |p: &Point| Some(p.period) == target.compared_period && p.state == ValueState::Suppressed;
            if result.series.iter().any(hidden) {
                target.compared_sources.clear();
            }
        }
        let Some(period) = last_bare else { continue };
        if result.latest.as_ref().is_none_or(|latest| latest.period.end() < period.end()) {
            result.latest = result.series.iter().find(|p| p.period == period).cloned();
        }
        for assessment in &mut result.assessments {
            assessment.status = crate::eval::Status::InsufficientData;
            assessment.score = None;
            assessment.details = Vec::new();
            assessment.explanation = "not assessed in published output: the series has suppressed values".to_owned();
        }
        if result.status != crate::eval::Status::NotAssessed {
            result.status = crate::eval::Status::InsufficientData;
        }
    }
}

/// `points` with a placeholder at each of `periods` that has none (in period order), for the period rule only: a
/// value hidden for a denominator of 0 is a candidate of the rule as any hidden value is, so that which value is
/// decided says nothing of it (round 70). A placeholder is 0 over 1 on the basis of the unit's other values (its
/// own reports or the sums of the units below, as its last point); it is never shown, its state being suppressed.
pub(super) fn with_placeholders(points: &[RawPoint], periods: &[Period]) -> Vec<RawPoint> {
    let from_children = points.last().is_some_and(|p| p.from_children);
    let mut out = points.to_vec();
    for &period in periods.iter().filter(|z| points.iter().all(|p| p.period != **z)) {
        out.push(RawPoint {
            period,
            value: 0.0,
            numerator: Some(0.0),
            denominator: Some(1.0),
            sources: 0,
            provisional: false,
            from_children,
            partly_own: false,
            members_below: false,
            partial: false,
            coverage: None,
            note: None,
        });
    }
    out.sort_by_key(|p| (p.period.end(), std::cmp::Reverse(p.period.start()), p.period));
    out
}

/// A suppressed point with nothing else to say: what a hidden value shows.
pub(super) fn suppressed(period: Period) -> Point {
    Point {
        period,
        value: None,
        state: ValueState::Suppressed,
        numerator: None,
        denominator: None,
        sources: Vec::new(),
        provisional: false,
        synthetic: false,
        kind: SourceKind::Official,
        basis: Basis::Reported,
        other_basis: false,
        coverage: None,
        change: None,
        notes: Vec::new(),
        decimals: None,
        after_end: None,
        area_changed: None,
        series_break: None,
        beyond_limit: false,
        contested: false,
    }
}
