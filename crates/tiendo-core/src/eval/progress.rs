//! Progress against targets and trajectory methods: Eurostat, UN ESCAP, Open SDG and UNSD.
//!
//! Formulas and citations are in `docs/methodology.md`; `shared/methods.md` section 3 is the research they come
//! from. Every function here is pure: series and targets in, numbers and a category out.

use serde::{Deserialize, Serialize};

use crate::model::{Comparator, Direction};

/// The progress-assessment method that gives an indicator its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Ratio of actual to required compound annual growth, cut at 0.95 / 0.6 / 0 (the default).
    #[default]
    Eurostat,
    /// Current-status index and anticipated progress from a time-weighted regression.
    Escap,
    /// Open SDG / Statistics Canada: Eurostat-style ratio with natural limits.
    OpenSdg,
    /// UNSD Progress Chart 2023: extrapolated completion ratio, cut at 0.95 / 0.10.
    Unsd,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Eurostat, Method::Escap, Method::OpenSdg, Method::Unsd];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Eurostat => "eurostat",
            Method::Escap => "escap",
            Method::OpenSdg => "open-sdg",
            Method::Unsd => "unsd",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// The status every method maps onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Achieved,
    OnTrack,
    NeedsAcceleration,
    OffTrack,
    InsufficientData,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on-track",
            Status::NeedsAcceleration => "needs-acceleration",
            Status::OffTrack => "off-track",
            Status::InsufficientData => "insufficient-data",
        }
    }
}

/// A target in the form the methods need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetSpec {
    pub comparator: Comparator,
    pub value: f64,
    /// The year the target is due (the target period's last year).
    pub year: f64,
}

/// Everything a method needs about one indicator at one org unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory<'a> {
    /// (year, value) pairs, years ascending, no duplicates.
    pub series: &'a [(f64, f64)],
    /// The base year and value; the first point of the series when the plan gives no baseline.
    pub base: Option<(f64, f64)>,
    pub target: Option<TargetSpec>,
    pub direction: Direction,
    /// Natural limit such as 100 for percentages.
    pub limit: Option<f64>,
}

/// What a method computed, for the report's "method details".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub method: Method,
    pub status: Status,
    /// The method's headline number: the ratio (Eurostat, Open SDG), anticipated progress (ESCAP) or
    /// completion ratio (UNSD).
    pub score: Option<f64>,
    /// Named intermediate numbers (e.g. `cagr_actual`, `cagr_required`, `current_status`), in name order.
    #[serde(serialize_with = "serialize_details")]
    pub details: Vec<(String, f64)>,
    /// Why the status is what it is, in one plain sentence.
    pub explanation: String,
}

/// Writes the details as a JSON object rather than a list of pairs.
fn serialize_details<S: serde::Serializer>(details: &[(String, f64)], serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(details.len()))?;
    for (name, value) in details {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// Whether the latest value meets the target, honouring the comparator (`>` is strict).
pub fn target_met(latest: f64, target: &TargetSpec) -> bool {
    target.comparator.holds(latest, target.value)
}

/// Percent of target: latest / target x 100 for "more is better" targets, target / latest x 100 for "less is
/// better" targets (so that 100 means reached either way); `None` when dividing by zero. Not capped. For an exact
/// (`=`) target, where overshooting is no better than falling short: 100 - |latest - target| / |target| x 100, at
/// least 0.
pub fn percent_of_target(latest: f64, target: &TargetSpec) -> Option<f64> {
    match target.comparator {
        Comparator::Less | Comparator::LessOrEqual => (latest != 0.0).then(|| target.value / latest * 100.0),
        Comparator::Equal => {
            (target.value != 0.0).then(|| (100.0 - (latest - target.value).abs() / target.value.abs() * 100.0).max(0.0))
        }
        Comparator::Greater | Comparator::GreaterOrEqual => {
            (target.value != 0.0).then(|| latest / target.value * 100.0)
        }
    }
}

/// Gap to the target in the indicator's unit: positive when short of it, zero when it is met.
pub fn gap(latest: f64, target: &TargetSpec) -> f64 {
    if target_met(latest, target) {
        return 0.0;
    }
    match target.comparator {
        Comparator::Less | Comparator::LessOrEqual => latest - target.value,
        Comparator::Equal => (target.value - latest).abs(),
        Comparator::Greater | Comparator::GreaterOrEqual => target.value - latest,
    }
}

/// Compound annual growth rate from `from` to `to` over `years`; `None` for non-positive inputs or spans.
pub fn cagr(from: f64, to: f64, years: f64) -> Option<f64> {
    (from > 0.0 && to > 0.0 && years > 0.0).then(|| (to / from).powf(1.0 / years) - 1.0)
}

/// A change `value` counted in the desired direction (`sign` is +1 or -1), with no change as +0 rather than -0,
/// so that a flat series never reads as "-0.00 %".
fn toward(sign: f64, value: f64) -> f64 {
    sign * value + 0.0
}

/// The sign of the desired change: +1 for more is better, -1 for less is better, taken from the target's
/// comparator when there is one, else from the indicator's direction.
fn desired_sign(trajectory: &Trajectory<'_>) -> f64 {
    match trajectory.target.map(|t| t.comparator) {
        Some(Comparator::Less | Comparator::LessOrEqual) => -1.0,
        Some(Comparator::Greater | Comparator::GreaterOrEqual) => 1.0,
        _ => match trajectory.direction {
            Direction::Decrease => -1.0,
            Direction::Increase | Direction::Maintain => 1.0,
        },
    }
}

fn latest(trajectory: &Trajectory<'_>) -> Option<(f64, f64)> {
    trajectory.series.last().copied()
}

fn insufficient(method: Method, why: &str) -> Assessment {
    Assessment {
        method,
        status: Status::InsufficientData,
        score: None,
        details: Vec::new(),
        explanation: why.to_owned(),
    }
}

fn achieved(method: Method, latest_value: f64, target: &TargetSpec) -> Assessment {
    Assessment {
        method,
        status: Status::Achieved,
        score: None,
        details: vec![("latest".to_owned(), latest_value), ("target".to_owned(), target.value)],
        explanation: format!(
            "the latest value {} meets the target {} {}",
            round(latest_value),
            target.comparator.symbol(),
            round(target.value)
        ),
    }
}

fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// Shared preconditions: two points at least, a base before the latest year; a met target is achieved.
/// A (year, value) point.
type YearValue = (f64, f64);

fn prepare(method: Method, trajectory: &Trajectory<'_>) -> Result<(YearValue, YearValue), Assessment> {
    let Some(last) = latest(trajectory) else {
        return Err(insufficient(method, "no value has been reported"));
    };
    if let Some(target) = &trajectory.target
        && target_met(last.1, target)
    {
        return Err(achieved(method, last.1, target));
    }
    let base = trajectory.base.or_else(|| trajectory.series.first().copied());
    let Some(base) = base.filter(|b| b.0 < last.0) else {
        return Err(insufficient(method, "fewer than two years of data: a trend needs a base year and a later year"));
    };
    // Reported values are finite, but an expression over them can overflow (`a * 1e300 - a * 1e300` is NaN): no
    // growth rate or ratio can be taken from such a value.
    if !base.1.is_finite() || !last.1.is_finite() {
        return Err(insufficient(method, "the base or the latest value is not a finite number"));
    }
    Ok((base, last))
}

/// Assesses progress with `method`.
pub fn assess(method: Method, trajectory: &Trajectory<'_>) -> Assessment {
    match method {
        Method::Eurostat => eurostat(trajectory),
        Method::Escap => escap(trajectory),
        Method::OpenSdg => open_sdg(trajectory),
        Method::Unsd => unsd(trajectory),
    }
}

/// The three-way verdict most methods share: at least `on_track_from` is on track, at least
/// `needs_acceleration_from` needs acceleration, anything lower (or NaN) is off track.
fn status_by_thresholds(value: f64, on_track_from: f64, needs_acceleration_from: f64) -> Status {
    if value >= on_track_from {
        Status::OnTrack
    } else if value >= needs_acceleration_from {
        Status::NeedsAcceleration
    } else {
        Status::OffTrack
    }
}

/// The verdict of the CAGR-based methods when there is no target: `value` is the actual growth `actual` turned
/// into the desired direction, judged against the method's own two thresholds.
fn growth_without_target(
    method: Method,
    actual: f64,
    value: f64,
    on_track_from: f64,
    needs_acceleration_from: f64,
) -> Assessment {
    Assessment {
        method,
        status: status_by_thresholds(value, on_track_from, needs_acceleration_from),
        score: Some(value),
        details: vec![("cagr_actual".to_owned(), actual)],
        explanation: format!("no target: growth of {:.2}% a year in the desired direction", value * 100.0),
    }
}

/// Values at or below zero cannot enter a growth rate: Open SDG replaces them with 0.001, and so do we for
/// every CAGR-based method, which keeps "from 0 cases to 5" assessable.
fn positive(value: f64) -> f64 {
    if value <= 0.0 { 0.001 } else { value }
}

/// Eurostat: RR = CAGR_actual / CAGR_required; >= 0.95 on track, >= 0.6 needs acceleration (moderate),
/// at least 0 needs acceleration (insufficient), below 0 off track (moving away). Without a target: CAGR in the
/// desired direction, at least 1 % on track, at least 0 needs acceleration, else off track.
pub fn eurostat(trajectory: &Trajectory<'_>) -> Assessment {
    let method = Method::Eurostat;
    let ((t0, y0), (t, yt)) = match prepare(method, trajectory) {
        Ok(points) => points,
        Err(done) => return done,
    };
    let sign = desired_sign(trajectory);
    let actual = cagr(positive(y0), positive(yt), t - t0).expect("positive inputs and span");
    let Some(target) = trajectory.target else {
        return growth_without_target(method, actual, toward(sign, actual), 0.01, 0.0);
    };
    if target.year <= t0 {
        return insufficient(method, "the target year is not after the base year");
    }
    let required = cagr(positive(y0), positive(target.value), target.year - t0).expect("positive inputs and span");
    if required == 0.0 {
        // A maintain target equal to the base: not worse than the base is on track.
        let worse = sign * (yt - y0) < 0.0;
        return Assessment {
            method,
            status: if worse { Status::OffTrack } else { Status::OnTrack },
            score: None,
            details: vec![("cagr_actual".to_owned(), actual), ("cagr_required".to_owned(), 0.0)],
            explanation: "the target equals the base value: progress means not falling back".to_owned(),
        };
    }
    let ratio = actual / required;
    let status = status_by_thresholds(ratio, 0.95, 0.0);
    let band = if ratio >= 0.95 {
        "significant progress"
    } else if ratio >= 0.6 {
        "moderate progress"
    } else if ratio >= 0.0 {
        "insufficient progress"
    } else {
        "movement away from the target"
    };
    Assessment {
        method,
        status,
        score: Some(ratio),
        details: vec![
            ("cagr_actual".to_owned(), actual),
            ("cagr_required".to_owned(), required),
            ("ratio".to_owned(), ratio),
        ],
        explanation: format!("actual growth is {:.2} of the growth required: {band}", ratio),
    }
}

/// Weighted least squares fit of value on year with ESCAP's weights w_i = (T - t_min) / (T - t_i), where T is
/// the target year; returns (intercept, slope).
pub fn weighted_fit(series: &[(f64, f64)], target_year: f64) -> Option<(f64, f64)> {
    if series.len() < 2 {
        return None;
    }
    let t_min = series.iter().map(|(t, _)| *t).fold(f64::INFINITY, f64::min);
    let weights: Vec<f64> = series
        .iter()
        .map(|(t, _)| if target_year > *t { (target_year - t_min) / (target_year - t) } else { 1.0 })
        .collect();
    let w_sum: f64 = weights.iter().sum();
    let t_mean = series.iter().zip(&weights).map(|((t, _), w)| t * w).sum::<f64>() / w_sum;
    let y_mean = series.iter().zip(&weights).map(|((_, y), w)| y * w).sum::<f64>() / w_sum;
    let sxx: f64 = series.iter().zip(&weights).map(|((t, _), w)| w * (t - t_mean).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = series.iter().zip(&weights).map(|((t, y), w)| w * (t - t_mean) * (y - y_mean)).sum();
    let slope = sxy / sxx;
    Some((y_mean - slope * t_mean, slope))
}

/// ESCAP: current status CS = (I_t - I_0) / (TV - I_0), capped at 1; anticipated progress
/// AP = (Î_T - I_0) / (TV - I_0) with Î_T from a time-weighted linear regression. AP >= 1 on track,
/// 0 < AP < 1 needs acceleration, AP <= 0 off track. Without a target ESCAP assesses nothing.
pub fn escap(trajectory: &Trajectory<'_>) -> Assessment {
    let method = Method::Escap;
    let ((t0, y0), (t, yt)) = match prepare(method, trajectory) {
        Ok(points) => points,
        Err(done) => return done,
    };
    let Some(target) = trajectory.target else {
        return insufficient(method, "ESCAP's indices need a quantitative target");
    };
    let required = target.value - y0;
    if required == 0.0 {
        let worse = desired_sign(trajectory) * (yt - y0) < 0.0;
        return Assessment {
            method,
            status: if worse { Status::OffTrack } else { Status::OnTrack },
            score: None,
            details: Vec::new(),
            explanation: "the target equals the base value: progress means not falling back".to_owned(),
        };
    }
    let current_status = ((yt - y0) / required).min(1.0);
    let points: Vec<(f64, f64)> = trajectory.series.iter().copied().filter(|(year, _)| *year >= t0).collect();
    let Some((intercept, slope)) = weighted_fit(&points, target.year) else {
        return insufficient(method, "fewer than two years of data for the regression");
    };
    let mut predicted = intercept + slope * target.year;
    if let Some(limit) = trajectory.limit {
        predicted = predicted.min(limit);
    }
    let anticipated = (predicted - y0) / required;
    let expected_by_now = if target.year > t0 { ((t - t0) / (target.year - t0)).min(1.0) } else { 1.0 };
    // A tolerance keeps a trend that reaches the target exactly from falling short by rounding noise.
    let status = if anticipated >= 1.0 - 1e-9 {
        Status::OnTrack
    } else if anticipated > 0.0 {
        Status::NeedsAcceleration
    } else {
        Status::OffTrack
    };
    Assessment {
        method,
        status,
        score: Some(anticipated),
        details: vec![
            ("anticipated_progress".to_owned(), anticipated),
            ("current_status".to_owned(), current_status),
            ("expected_by_now".to_owned(), expected_by_now),
            ("predicted_value".to_owned(), predicted),
        ],
        explanation: format!(
            "{:.0}% of the required progress made ({:.0}% expected by now); the weighted trend reaches {:.0}% of it \
             by {}",
            current_status * 100.0,
            expected_by_now * 100.0,
            anticipated * 100.0,
            target.year
        ),
    }
}

/// Open SDG's natural-limit coefficient C for a value y0 and limit L (methods.md 3c).
pub fn limit_coefficient(y0: f64, limit: f64) -> f64 {
    if limit <= 0.0 {
        return 1.0;
    }
    if y0 <= limit {
        1.0 - (y0 / limit).powf(4.44)
    } else if y0 < 2.0 * limit {
        1.0 - ((2.0 * limit - y0) / limit).powf(4.44)
    } else {
        1.0
    }
}

/// Open SDG (sdg-build ProgressMeasure): with a target R = sign·d·CAGR_o / |CAGR_r|, thresholds 0.95 / 0.6 / 0;
/// without a target the CAGR in the desired direction with thresholds 0.015 / 0.005 / 0, where the positive
/// thresholds are multiplied by the natural-limit coefficient C. Base and target values of zero become 0.001.
pub fn open_sdg(trajectory: &Trajectory<'_>) -> Assessment {
    let method = Method::OpenSdg;
    let ((t0, y0), (t, yt)) = match prepare(method, trajectory) {
        Ok(points) => points,
        Err(done) => return done,
    };
    if y0 * yt < 0.0 {
        return insufficient(method, "base and latest values have different signs");
    }
    let d = desired_sign(trajectory);
    let sign = if y0 < 0.0 { -1.0 } else { 1.0 };
    let base = if y0 == 0.0 { 0.001 } else { y0.abs() };
    let latest_value = if yt == 0.0 { 0.001 } else { yt.abs() };
    let observed = (latest_value / base).powf(1.0 / (t - t0)) - 1.0;
    let (value, high, medium, with_target, mut details) = match trajectory.target {
        Some(target) if target.year > t0 => {
            let target_value = if target.value == 0.0 { 0.001 } else { target.value.abs() };
            let required = (target_value / base).powf(1.0 / (target.year - t0)) - 1.0;
            if required == 0.0 {
                return insufficient(method, "the target equals the base value");
            }
            let ratio = toward(sign * d, observed) / required.abs();
            let details = vec![("cagr_observed".to_owned(), observed), ("cagr_required".to_owned(), required)];
            (ratio, 0.95, 0.6, true, details)
        }
        _ => {
            let coefficient = trajectory.limit.map_or(1.0, |limit| limit_coefficient(y0, limit));
            if coefficient == 0.0 && sign * d * observed >= 0.0 {
                return Assessment {
                    method,
                    status: Status::Achieved,
                    score: Some(5.0),
                    details: vec![("limit_coefficient".to_owned(), 0.0)],
                    explanation: "the value is at its natural limit".to_owned(),
                };
            }
            let details = vec![("cagr_observed".to_owned(), observed), ("limit_coefficient".to_owned(), coefficient)];
            (toward(sign * d, observed), 0.015 * coefficient, 0.005 * coefficient, false, details)
        }
    };
    let status = status_by_thresholds(value, high, 0.0);
    let band = if value >= high {
        "substantial progress"
    } else if value >= medium {
        "moderate progress"
    } else if value >= 0.0 {
        "limited progress"
    } else {
        "deterioration"
    };
    details.push(("value".to_owned(), value));
    details.sort_by(|a, b| a.0.cmp(&b.0));
    Assessment {
        method,
        status,
        score: Some(value),
        details,
        explanation: format!("{band} ({} {:.3})", if with_target { "ratio" } else { "growth" }, value),
    }
}

/// UNSD Progress Chart 2023: extrapolate the latest value with the actual CAGR to the target year,
/// CR = (v_T - v_b) / (target - v_b); CR >= 0.95 on track, >= 0.10 needs acceleration, else off track.
/// Without a target: CAGR in the desired direction >= 2 % on track, >= 0.5 % needs acceleration.
pub fn unsd(trajectory: &Trajectory<'_>) -> Assessment {
    let method = Method::Unsd;
    let ((t0, y0), (t, yt)) = match prepare(method, trajectory) {
        Ok(points) => points,
        Err(done) => return done,
    };
    let actual = cagr(positive(y0), positive(yt), t - t0).expect("positive inputs and span");
    let Some(target) = trajectory.target else {
        return growth_without_target(method, actual, toward(desired_sign(trajectory), actual), 0.02, 0.005);
    };
    // Within one point of a 0 % or 100 % target counts as achieved.
    if (target.value == 100.0 || target.value == 0.0) && (yt - target.value).abs() <= 1.0 {
        return achieved(method, yt, &target);
    }
    let required = target.value - y0;
    if required == 0.0 {
        return insufficient(method, "the target equals the base value");
    }
    let mut expected = yt * (1.0 + actual).powf((target.year - t).max(0.0));
    if let Some(limit) = trajectory.limit {
        expected = expected.min(limit);
    }
    let ratio = (expected - y0) / required;
    let status = status_by_thresholds(ratio, 0.95, 0.10);
    Assessment {
        method,
        status,
        score: Some(ratio),
        details: vec![
            ("cagr_actual".to_owned(), actual),
            ("completion_ratio".to_owned(), ratio),
            ("expected_value".to_owned(), expected),
        ],
        explanation: format!(
            "at the current growth the value reaches {:.1} by {}, {:.0}% of the way to the target",
            expected,
            target.year,
            ratio * 100.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(comparator: &str, value: f64, year: f64) -> Option<TargetSpec> {
        Some(TargetSpec { comparator: Comparator::parse(comparator).unwrap(), value, year })
    }

    fn trajectory<'a>(series: &'a [(f64, f64)], target: Option<TargetSpec>) -> Trajectory<'a> {
        Trajectory { series, base: None, target, direction: Direction::Increase, limit: None }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-3
    }

    /// Finite inputs can still overflow into NaN inside an expression (`a * 1e300 - a * 1e300`); no method may
    /// panic on such a series, and none can assess it.
    #[test]
    fn a_series_that_is_not_a_number_is_insufficient_data_for_every_method() {
        let targets = [None, target(">", 90.0, 2025.0)];
        let series_cases: [&[(f64, f64)]; 3] = [
            &[(2021.0, f64::NAN), (2023.0, 50.0)],
            &[(2021.0, 40.0), (2023.0, f64::NAN)],
            &[(2021.0, f64::NAN), (2023.0, f64::NAN)],
        ];
        for series in series_cases {
            for target in targets {
                for method in Method::ALL {
                    let assessment = assess(method, &trajectory(series, target));
                    assert_eq!(assessment.status, Status::InsufficientData, "{method:?} {series:?} {target:?}");
                }
            }
        }
    }

    #[test]
    fn target_comparison_percent_and_gap() {
        // (latest, comparator, target, met, percent of target, gap)
        let cases = [
            (90.0, ">", 90.0, false, Some(100.0), 0.0),
            (90.0, ">=", 90.0, true, Some(100.0), 0.0),
            (85.0, ">", 90.0, false, Some(94.444), 5.0),
            (100.0, "=", 100.0, true, Some(100.0), 0.0),
            (98.0, "=", 100.0, false, Some(98.0), 2.0),
            (102.0, "=", 100.0, false, Some(98.0), 2.0),
            (250.0, "=", 100.0, false, Some(0.0), 150.0),
            (0.0, "=", 0.0, true, None, 0.0),
            (12.0, "<=", 10.0, false, Some(83.333), 2.0),
            (8.0, "<", 10.0, true, Some(125.0), 0.0),
            (0.0, "<", 10.0, true, None, 0.0),
            (5.0, ">", 0.0, true, None, 0.0),
        ];
        for (latest, comparator, value, met, percent, expected_gap) in cases {
            let spec = target(comparator, value, 2025.0).unwrap();
            assert_eq!(target_met(latest, &spec), met, "{latest} {comparator} {value}");
            let got = percent_of_target(latest, &spec);
            assert!(
                match (got, percent) {
                    (Some(g), Some(e)) => close(g, e),
                    (None, None) => true,
                    _ => false,
                },
                "{latest} {comparator} {value}: {got:?}"
            );
            assert!(close(gap(latest, &spec), expected_gap), "{latest} {comparator} {value}");
        }
    }

    #[test]
    fn a_flat_series_scores_plus_zero_in_either_direction() {
        // A decrease is wanted and nothing changed: the score is 0, not -0 (which prints as "-0.00 %").
        let series = [(2021.0, 40.0), (2023.0, 40.0)];
        for direction in [Direction::Increase, Direction::Decrease] {
            let trajectory = Trajectory { series: &series, base: None, target: None, direction, limit: None };
            for method in [Method::Eurostat, Method::OpenSdg, Method::Unsd] {
                let assessment = assess(method, &trajectory);
                let score = assessment.score.expect("a score without a target");
                assert!(score == 0.0 && score.is_sign_positive(), "{method:?} {direction:?}: {score}");
                assert!(!assessment.explanation.contains("-0"), "{}", assessment.explanation);
                assert!(assessment.details.iter().all(|(_, v)| !(*v == 0.0 && v.is_sign_negative())));
            }
        }
    }

    #[test]
    fn eurostat_ratio_bands() {
        // Base 50 in 2021, target 80 in 2025: required CAGR = (80/50)^(1/4) - 1 = 12.47 %.
        type Case = (&'static [(f64, f64)], Status, Option<f64>);
        let cases: [Case; 5] = [
            // 2023: 62.5 -> actual CAGR (62.5/50)^(1/2) - 1 = 11.80 %, ratio 0.946: just below 0.95.
            (&[(2021.0, 50.0), (2023.0, 62.5)], Status::NeedsAcceleration, Some(0.9465)),
            (&[(2021.0, 50.0), (2023.0, 64.0)], Status::OnTrack, Some(1.0536)),
            (&[(2021.0, 50.0), (2023.0, 51.0)], Status::NeedsAcceleration, Some(0.0798)),
            (&[(2021.0, 50.0), (2023.0, 45.0)], Status::OffTrack, Some(-0.4116)),
            (&[(2021.0, 50.0), (2024.0, 85.0)], Status::Achieved, None),
        ];
        for (series, status, score) in cases {
            let result = eurostat(&trajectory(series, target(">=", 80.0, 2025.0)));
            assert_eq!(result.status, status, "{series:?}: {}", result.explanation);
            match (result.score, score) {
                (Some(got), Some(expected)) => assert!(close(got, expected), "{series:?}: {got}"),
                (None, None) => {}
                other => panic!("{series:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn eurostat_lower_is_better_zero_values_and_no_target() {
        // Lower is better: 40 -> 30 in two years towards < 20 by 2025.
        let series = [(2021.0, 40.0), (2023.0, 30.0)];
        let result = eurostat(&trajectory(&series, target("<", 20.0, 2025.0)));
        // actual -13.40 %, required -15.91 %: ratio 0.842.
        assert_eq!(result.status, Status::NeedsAcceleration);
        assert!(close(result.score.unwrap(), 0.8421), "{:?}", result.score);
        // A zero base is replaced by 0.001 instead of failing.
        let series = [(2021.0, 0.0), (2023.0, 5.0)];
        let result = eurostat(&trajectory(&series, target(">=", 10.0, 2025.0)));
        assert_eq!(result.status, Status::OnTrack, "{}", result.explanation);
        // No target: a 5 % yearly decline of a "decrease" indicator is significant progress.
        let series = [(2021.0, 100.0), (2022.0, 95.0)];
        let mut t = trajectory(&series, None);
        t.direction = Direction::Decrease;
        assert_eq!(eurostat(&t).status, Status::OnTrack);
        t.direction = Direction::Increase;
        assert_eq!(eurostat(&t).status, Status::OffTrack);
    }

    #[test]
    fn too_few_points_and_maintain_targets() {
        let one = [(2023.0, 50.0)];
        for method in Method::ALL {
            let result = assess(method, &trajectory(&one, target(">", 90.0, 2025.0)));
            assert_eq!(result.status, Status::InsufficientData, "{method:?}");
            assert_eq!(assess(method, &trajectory(&[], None)).status, Status::InsufficientData, "{method:?}");
        }
        // Maintain 100 % with base 100: falling back is off track, holding is achieved.
        let held = [(2021.0, 100.0), (2023.0, 100.0)];
        let fell = [(2021.0, 100.0), (2023.0, 97.0)];
        assert_eq!(eurostat(&trajectory(&held, target("=", 100.0, 2025.0))).status, Status::Achieved);
        assert_eq!(eurostat(&trajectory(&fell, target(">=", 100.0, 2025.0))).status, Status::OffTrack);
        assert_eq!(escap(&trajectory(&fell, target(">=", 100.0, 2025.0))).status, Status::OffTrack);
    }

    #[test]
    fn escap_current_status_and_anticipated_progress() {
        // Base 2015 = 40, target 100 by 2030; linear 4 points a year reaches exactly 100 in 2030.
        let series = [(2015.0, 40.0), (2016.0, 44.0), (2017.0, 48.0), (2018.0, 52.0)];
        let result = escap(&trajectory(&series, target(">=", 100.0, 2030.0)));
        assert_eq!(result.status, Status::OnTrack, "{}", result.explanation);
        assert!(close(result.score.unwrap(), 1.0));
        let details: std::collections::BTreeMap<_, _> = result.details.iter().cloned().collect();
        assert!(close(details["current_status"], 0.2));
        assert!(close(details["expected_by_now"], 0.2));
        // Half the pace: anticipated progress 0.5.
        let slow = [(2015.0, 40.0), (2016.0, 42.0), (2017.0, 44.0), (2018.0, 46.0)];
        let result = escap(&trajectory(&slow, target(">=", 100.0, 2030.0)));
        assert_eq!(result.status, Status::NeedsAcceleration);
        assert!(close(result.score.unwrap(), 0.5));
        // Falling away.
        let falling = [(2015.0, 40.0), (2018.0, 30.0)];
        assert_eq!(escap(&trajectory(&falling, target(">=", 100.0, 2030.0))).status, Status::OffTrack);
        // The weights favour recent points: w = (T - t_min) / (T - t).
        let (_, slope) = weighted_fit(&[(2015.0, 0.0), (2016.0, 0.0), (2029.0, 14.0)], 2030.0).unwrap();
        let (_, plain_slope) = weighted_fit(&[(2015.0, 0.0), (2016.0, 0.0), (2029.0, 14.0)], 1e9).unwrap();
        assert!(slope > plain_slope, "{slope} {plain_slope}");
    }

    #[test]
    fn escap_caps_predictions_at_the_natural_limit() {
        let series = [(2021.0, 80.0), (2022.0, 90.0), (2023.0, 95.0)];
        let mut t = trajectory(&series, target(">", 99.0, 2025.0));
        let uncapped = escap(&t);
        t.limit = Some(100.0);
        let capped = escap(&t);
        let predicted = |a: &Assessment| a.details.iter().find(|(n, _)| n == "predicted_value").unwrap().1;
        assert!(predicted(&uncapped) > 100.0);
        assert!(close(predicted(&capped), 100.0));
    }

    #[test]
    fn open_sdg_matches_the_published_case() {
        // methods.md case 1 style check: R = CAGR_o / |CAGR_r|.
        let series = [(2015.0, 50.0), (2020.0, 60.0)];
        let result = open_sdg(&trajectory(&series, target(">=", 80.0, 2030.0)));
        let observed = (60.0f64 / 50.0).powf(1.0 / 5.0) - 1.0;
        let required = (80.0f64 / 50.0).powf(1.0 / 15.0) - 1.0;
        assert!(close(result.score.unwrap(), observed / required));
        assert_eq!(result.status, Status::OnTrack);
        // Natural limit: near 100 % the thresholds shrink, so slow growth still counts.
        assert!(close(limit_coefficient(50.0, 100.0), 1.0 - 0.5f64.powf(4.44)));
        assert!(close(limit_coefficient(100.0, 100.0), 0.0));
        assert!(close(limit_coefficient(250.0, 100.0), 1.0));
        let near_limit = [(2021.0, 98.0), (2023.0, 98.5)];
        let mut t = trajectory(&near_limit, None);
        assert_eq!(open_sdg(&t).status, Status::NeedsAcceleration);
        t.limit = Some(100.0);
        assert_eq!(open_sdg(&t).status, Status::OnTrack);
        let at_limit = [(2021.0, 100.0), (2023.0, 100.0)];
        let mut t = trajectory(&at_limit, None);
        t.limit = Some(100.0);
        assert_eq!(open_sdg(&t).status, Status::Achieved);
        // Different signs cannot be assessed.
        let crossing = [(2021.0, -5.0), (2023.0, 5.0)];
        assert_eq!(open_sdg(&trajectory(&crossing, None)).status, Status::InsufficientData);
    }

    #[test]
    fn unsd_completion_ratio() {
        // Base 50 (2015), latest 55 (2020) towards 80 by 2030: CAGR 1.92 %, 2030 value 66.55, CR 0.55.
        let series = [(2015.0, 50.0), (2020.0, 55.0)];
        let result = unsd(&trajectory(&series, target(">=", 80.0, 2030.0)));
        assert_eq!(result.status, Status::NeedsAcceleration);
        assert!(close(result.score.unwrap(), (55.0 * 1.1f64.powf(2.0) - 50.0) / 30.0));
        // Within one point of a 100 % target is achieved.
        let near = [(2021.0, 90.0), (2023.0, 99.2)];
        assert_eq!(unsd(&trajectory(&near, target(">=", 100.0, 2025.0))).status, Status::Achieved);
        let flat = [(2021.0, 50.0), (2023.0, 50.0)];
        assert_eq!(unsd(&trajectory(&flat, target(">=", 80.0, 2025.0))).status, Status::OffTrack);
        assert_eq!(unsd(&trajectory(&[(2021.0, 100.0), (2022.0, 103.0)], None)).status, Status::OnTrack);
    }
}
