//! Exact (`=`) targets under Eurostat, ESCAP and UNSD: progress judged on the distance to the target, so that
//! overshooting is no better than falling short (docs/methodology.md 4.1, "Exact targets").

use super::{Assessment, Method, Status, TargetSpec, Trajectory, YearValue, prepare, round};
use crate::model::Comparator;

/// Runs `on_values` (the method's own formulas) for an exact target on the distance to it: every value on the far
/// side of the target from the base is read as short of it by as much (60 against `= 50` from a base of 40 reads as
/// 40), and the target is approached from the base's side (`>=` from below, `<=` from above). A series that has
/// reached or passed the target since the base and whose latest step moves away from it is off track ([`leaving`]).
/// Other targets, and exact targets no value has passed, go to `on_values` unchanged.
pub(super) fn judged(
    method: Method,
    trajectory: &Trajectory<'_>,
    on_values: fn(&Trajectory<'_>) -> Assessment,
) -> Assessment {
    let Some(target) = trajectory.target.filter(|target| target.comparator == Comparator::Equal) else {
        return on_values(trajectory);
    };
    // The starts every method shares (achieved, met at the start and lost since, due and not met) first.
    let (base, last) = match prepare(method, trajectory) {
        Ok(points) => points,
        Err(done) => return done,
    };
    // A base at the target's value that does not meet it exactly: the boundary rule of the method itself.
    if base.1 == target.value {
        return on_values(trajectory);
    }
    let side = (target.value - base.1).signum();
    let since: Vec<YearValue> = trajectory.series.iter().copied().filter(|(year, _)| *year > base.0).collect();
    if !since.iter().any(|(_, value)| side * (value - target.value) >= 0.0) {
        return on_values(trajectory);
    }
    let previous = if since.len() >= 2 { since[since.len() - 2] } else { base };
    if distance(last.1, &target) > distance(previous.1, &target) {
        return leaving(method, previous, last, &target);
    }
    let read = |(year, value): YearValue| (year, target.value - side * distance(value, &target));
    let series: Vec<YearValue> = trajectory.series.iter().copied().map(read).collect();
    let comparator = if side > 0.0 { Comparator::GreaterOrEqual } else { Comparator::LessOrEqual };
    let on_distance = Trajectory {
        series: &series,
        base: trajectory.base.map(read),
        target: Some(TargetSpec { comparator, ..target }),
        latest_met: Some(false),
        base_met: Some(false),
        ..trajectory.clone()
    };
    let mut assessment = on_values(&on_distance);
    assessment.explanation = format!("{}{}", note(last, read(last), &target), assessment.explanation);
    assessment.details.push(("distance_base".to_owned(), distance(base.1, &target)));
    assessment.details.push(("distance_latest".to_owned(), distance(last.1, &target)));
    assessment.details.sort_by(|a, b| a.0.cmp(&b.0));
    assessment
}

/// How far `value` is from the target, in the indicator's unit.
fn distance(value: f64, target: &TargetSpec) -> f64 {
    (value - target.value).abs()
}

/// What the explanation says first when a value has been read on the base's side of the target.
fn note((year, value): YearValue, (_, read): YearValue, target: &TargetSpec) -> String {
    let latest = if read == value {
        String::new()
    } else {
        format!(" (the latest, {} ({year}), as {})", round(value), round(read))
    };
    format!(
        "exact target = {}, judged on the distance to it: a value past it reads as the value as far from it on the \
         base's side{latest}; ",
        round(target.value)
    )
}

/// Reached or passed since the base and moving away from the target at the latest step (`previous` to `last`): off
/// track for every method but Open SDG, whatever a ratio from the base would say. The value has been at or beyond
/// the target's level, so the trend from the base no longer measures the approach; what counts is that it leaves.
fn leaving(method: Method, (t0, y0): YearValue, (t, yt): YearValue, target: &TargetSpec) -> Assessment {
    Assessment {
        method,
        status: Status::OffTrack,
        score: None,
        details: vec![
            ("distance_latest".to_owned(), distance(yt, target)),
            ("distance_previous".to_owned(), distance(y0, target)),
            ("latest".to_owned(), yt),
            ("previous".to_owned(), y0),
            ("target".to_owned(), target.value),
        ],
        explanation: format!(
            "exact target = {}: the value has reached or passed it and moves away from it, from {} ({t0}) to {} ({t}), \
             {} to {} from it: overshooting is no better than falling short",
            round(target.value),
            round(y0),
            round(yt),
            round(distance(y0, target)),
            round(distance(yt, target))
        ),
    }
}
