//! A `--period` window cut out of the results evaluated up to its end: every point outside it is left out, while
//! what was decided on the earlier periods (a change on the same period last year, a trend's base, the latest value
//! and the target lines) stands as the whole run would have decided it.

use crate::period::Period;

use super::IndicatorResult;

/// Leaves out of every result the points, failed points, noted gaps and periods of no value whose period is not
/// inside `window` (the series' points are kept aside in [`IndicatorResult::earlier`] for what refers to them), then the breakdown options and results left with nothing to show (as `results::assemble` leaves
/// out those it has nothing for). The statuses, assessments, `latest`, target lines and changes are kept as they
/// were decided on the series up to the window's end: a window that starts later reads the same status, and the
/// window's first year keeps its change on the year before (round 74, cases found by an adversarial tester).
pub(super) fn keep_window(indicators: &mut Vec<IndicatorResult>, window: Period) {
    let inside = |period: &Period| window.contains(period);
    for result in indicators.iter_mut() {
        let (inside_points, earlier) = std::mem::take(&mut result.series).into_iter().partition(|p| inside(&p.period));
        (result.series, result.earlier) = (inside_points, earlier);
        result.failed_points.retain(|point| inside(&point.period));
        result.noted_gaps.retain(|gap| inside(&gap.period));
        result.zero_denominators.retain(inside);
        result.not_computed_blends.retain(inside);
        for breakdown in &mut result.breakdowns {
            breakdown.series.retain(|point| inside(&point.period));
            breakdown.not_computed_blends.retain(inside);
            breakdown.zero_denominators.retain(inside);
        }
        result.breakdowns.retain(|b| !b.shows_nothing());
    }
    indicators.retain(|result| {
        !result.series.is_empty()
            || !result.breakdowns.is_empty()
            || !result.targets.is_empty()
            || result.failure.is_some()
            || !result.failed_points.is_empty()
            || !result.noted_gaps.is_empty()
            || !result.zero_denominators.is_empty()
            || !result.not_computed_blends.is_empty()
    });
}
