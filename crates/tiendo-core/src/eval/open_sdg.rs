//! Open SDG's progress measure, as open-sdg/sdg-build implements it in `sdg/ProgressMeasure.py` (the version with
//! the natural limit and the −5…+5 score; checked against that file's own answers at commit
//! 139fede74ba534d2ed8b9eee4cd878b41f54cb67, tests/fixtures/open-sdg), so that
//! `--method open-sdg` gives what an Open SDG platform would give on the same series.
//!
//! Where Open SDG's rules differ from tiendo's own, this module follows Open SDG (docs/methodology.md 4.1 lists
//! each difference): a target is met when the latest value is at or beyond it (`> 90` is met by 90), the base year
//! is taken from the series (the configured year, else the next year with data), there is no "maintain" direction,
//! and the status of an indicator is read from its score.

use super::progress::{Assessment, Method, Status, Trajectory, figure};
use crate::model::{Comparator, Direction};

/// Open SDG's default base year when none is configured (`base_year` in the indicator's progress options).
pub const DEFAULT_BASE_YEAR: f64 = 2015.0;

/// The exponent of the natural-limit coefficient (`a = 4.44` in `get_progress_thresholds`).
const LIMIT_EXPONENT: f64 = 4.44;

/// What Open SDG calls a progress status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenSdgStatus {
    TargetAchieved,
    SubstantialProgress,
    ModerateProgress,
    LimitedProgress,
    Deterioration,
    NotAvailable,
}

impl OpenSdgStatus {
    /// Open SDG's own name for the status.
    pub fn as_str(self) -> &'static str {
        match self {
            OpenSdgStatus::TargetAchieved => "target_achieved",
            OpenSdgStatus::SubstantialProgress => "substantial_progress",
            OpenSdgStatus::ModerateProgress => "moderate_progress",
            OpenSdgStatus::LimitedProgress => "limited_progress",
            OpenSdgStatus::Deterioration => "deterioration",
            OpenSdgStatus::NotAvailable => "not_available",
        }
    }

    /// tiendo's status for it: substantial progress is on track, moderate and limited progress need acceleration,
    /// deterioration is off track.
    pub fn status(self) -> Status {
        match self {
            OpenSdgStatus::TargetAchieved => Status::Achieved,
            OpenSdgStatus::SubstantialProgress => Status::OnTrack,
            OpenSdgStatus::ModerateProgress | OpenSdgStatus::LimitedProgress => Status::NeedsAcceleration,
            OpenSdgStatus::Deterioration => Status::OffTrack,
            OpenSdgStatus::NotAvailable => Status::InsufficientData,
        }
    }
}

/// One series as Open SDG computes it (`SeriesProgress`): the years it chose, its progress value and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesProgress {
    pub base_year: f64,
    pub base_value: f64,
    pub current_year: f64,
    pub current_value: f64,
    /// +1 for "positive" (more is better), -1 otherwise.
    pub direction: f64,
    pub target_achieved: bool,
    /// The growth in the desired direction (no target) or the ratio of observed to required growth (target);
    /// ±infinity or NaN where sdg-build's numpy division gives it (a required growth of 0 or NaN).
    pub progress_value: Option<f64>,
    /// The natural-limit coefficient that reduced the thresholds (no target, with a limit).
    pub coefficient: Option<f64>,
    /// The series' status by the thresholds (`get_progress_status`).
    pub status: OpenSdgStatus,
    /// −5…+5 (`get_score`); 5 when the target is achieved.
    pub score: Option<f64>,
    /// Why there is no progress value, or no finite one, when so.
    pub why_not: Option<&'static str>,
}

/// The series as Open SDG sees it: the years with a value (no NaN), in year order.
fn usable(series: &[(f64, f64)]) -> Vec<(f64, f64)> {
    series.iter().copied().filter(|(_, v)| !v.is_nan()).collect()
}

/// Open SDG's direction: "positive" when the target is reached from below (`>`, `>=`, or `=` above the base
/// value), negative when from above; without a target, positive for an increasing indicator and negative otherwise
/// (Open SDG's default: it has no "maintain").
fn direction(trajectory: &Trajectory<'_>, base_value: f64) -> f64 {
    let from_indicator = if trajectory.direction == Direction::Increase { 1.0 } else { -1.0 };
    match trajectory.target {
        Some(t) => match t.comparator {
            Comparator::Greater | Comparator::GreaterOrEqual => 1.0,
            Comparator::Less | Comparator::LessOrEqual => -1.0,
            Comparator::Equal if t.value > base_value => 1.0,
            Comparator::Equal if t.value < base_value => -1.0,
            Comparator::Equal => from_indicator,
        },
        None => from_indicator,
    }
}

/// `growth_calculation` on numpy numbers: (val1 / val2)^(1 / (t1 − t2)) − 1 in IEEE arithmetic, where 1 / 0 is
/// infinite and a negative quotient raised to a fraction is NaN. sdg-build's years are numpy integers whenever they
/// come from the data (the current year always; the base year when it moved to the next year with data).
fn numpy_growth(val1: f64, val2: f64, t1: f64, t2: f64) -> f64 {
    (val1 / val2).powf(1.0 / (t1 - t2)) - 1.0
}

/// `growth_calculation` on Python numbers (the target year and a configured base year found in the data are
/// Python integers): a negative quotient raised to a fraction is complex in Python; only its modulus is ever used
/// (as |CAGR_r|), so this returns that modulus for a negative quotient. The caller never passes t1 = t2 (Python
/// raises ZeroDivisionError there).
fn python_growth(val1: f64, val2: f64, t1: f64, t2: f64) -> f64 {
    let quotient = val1 / val2;
    let exponent = 1.0 / (t1 - t2);
    if quotient >= 0.0 || exponent.fract() == 0.0 {
        return quotient.powf(exponent) - 1.0;
    }
    let modulus = (-quotient).powf(exponent);
    let angle = std::f64::consts::PI * exponent;
    let (re, im) = (modulus * angle.cos() - 1.0, modulus * angle.sin());
    re.hypot(im)
}

/// The natural-limit coefficient (`get_progress_thresholds`), on absolute values so that a negative base value
/// with a limit gives a number, not NaN: 1 at or beyond twice the limit, 1 − (b/L)^4.44 up to the limit,
/// 1 − ((2L − b)/L)^4.44 between.
pub fn limit_coefficient(base_value: f64, limit: f64) -> f64 {
    let (base, limit) = (base_value.abs(), limit.abs());
    if base >= 2.0 * limit {
        1.0
    } else if base <= limit {
        1.0 - (base / limit).powf(LIMIT_EXPONENT)
    } else {
        1.0 - ((2.0 * limit - base) / limit).powf(LIMIT_EXPONENT)
    }
}

/// The status by thresholds (`get_progress_status`).
fn status_by_thresholds(value: Option<f64>, high: f64, medium: f64, achieved: bool) -> OpenSdgStatus {
    if achieved {
        return OpenSdgStatus::TargetAchieved;
    }
    match value {
        Some(v) if v >= high => OpenSdgStatus::SubstantialProgress,
        Some(v) if v >= medium => OpenSdgStatus::ModerateProgress,
        Some(v) if v >= 0.0 => OpenSdgStatus::LimitedProgress,
        Some(v) if v < 0.0 => OpenSdgStatus::Deterioration,
        _ => OpenSdgStatus::NotAvailable,
    }
}

/// The −5…+5 score (`get_score`); its formulas are fixed to Open SDG's default thresholds.
fn score(value: f64, with_target: bool, coefficient: f64, high: f64, medium: f64) -> Option<f64> {
    if value.is_nan() {
        return None;
    }
    Some(if with_target {
        if value >= medium { (7.1429 * value - 4.2857).min(5.0) } else { (4.1667 * value - 2.5).max(-5.0) }
    } else if value < 0.0 {
        (125.0 * value - 2.5).max(-5.0)
    } else if coefficient == 0.0 {
        5.0
    } else if value >= high {
        (500.0 * value / coefficient - 5.0).min(5.0)
    } else if value >= medium {
        250.0 * value / coefficient - 1.25
    } else {
        500.0 * value / coefficient - 2.5
    })
}

/// The status of an indicator from its score (`get_progress_status_from_score`): achieved when every series'
/// target is; else 2.5…5 substantial, 0…2.5 moderate, −2.5…0 limited, below deterioration.
pub fn status_from_score(score: Option<f64>, all_achieved: bool) -> OpenSdgStatus {
    match score {
        _ if all_achieved => OpenSdgStatus::TargetAchieved,
        Some(s) if s >= 2.5 => OpenSdgStatus::SubstantialProgress,
        Some(s) if s >= 0.0 => OpenSdgStatus::ModerateProgress,
        Some(s) if s >= -2.5 => OpenSdgStatus::LimitedProgress,
        Some(s) if s >= -5.0 => OpenSdgStatus::Deterioration,
        _ => OpenSdgStatus::NotAvailable,
    }
}

/// An indicator's score and status from its series (`get_indicator_progress`): the mean of the scores of the series
/// that have one; achieved only when every such series achieved its target.
pub fn indicator_progress(series: &[SeriesProgress]) -> (Option<f64>, OpenSdgStatus) {
    let scored: Vec<&SeriesProgress> = series.iter().filter(|s| s.score.is_some()).collect();
    if scored.is_empty() {
        return (None, OpenSdgStatus::NotAvailable);
    }
    let mean = scored.iter().filter_map(|s| s.score).sum::<f64>() / scored.len() as f64;
    (Some(mean), status_from_score(Some(mean), scored.iter().all(|s| s.target_achieved)))
}

/// One series' progress (`SeriesProgress`). `None` when the series has no value, or no year from the base year on.
pub fn series_progress(trajectory: &Trajectory<'_>) -> Option<SeriesProgress> {
    let data = usable(trajectory.series);
    let &(current_year, current_value) = data.iter().max_by(|a, b| a.0.total_cmp(&b.0))?;
    let configured = trajectory.base.map_or(DEFAULT_BASE_YEAR, |b| b.0);
    // The configured base year if the series has it, else the next year that has data.
    let (base_year, mut base_value) = data
        .iter()
        .find(|(year, _)| *year == configured)
        .or_else(|| data.iter().filter(|(year, _)| *year > configured).min_by(|a, b| a.0.total_cmp(&b.0)))
        .copied()?;
    let sign = if base_value < 0.0 { -1.0 } else { 1.0 };
    let direction = direction(trajectory, base_value);
    let target = trajectory.target.map(|t| (if t.value == 0.0 { 0.001 } else { t.value }, t.year));
    let with_target = target.is_some();
    let coefficient = trajectory.limit.filter(|_| !with_target).map(|limit| limit_coefficient(base_value, limit));
    let reduce = coefficient.unwrap_or(1.0);
    let (high, medium) = if with_target { (0.95, 0.6) } else { (0.015 * reduce, 0.005 * reduce) };
    let target_achieved = target.is_some_and(|(value, _)| {
        (direction < 0.0 && current_value <= value) || (direction > 0.0 && current_value >= value)
    });
    if base_value == 0.0 {
        base_value = 0.001;
    }
    // sdg-build's base year is a numpy integer once it moved to the next year with data, a Python integer when the
    // configured year is in the data; the required growth follows that number's arithmetic.
    let moved = base_year != configured;
    let why_not = if base_value * current_value < 0.0 {
        Some("the base and the current value have different signs")
    } else if current_year - base_year < 1.0 {
        Some("fewer than two years of data from the base year on")
    } else if !moved && target.is_some_and(|(_, year)| year == base_year) {
        // Python raises ZeroDivisionError here; tiendo answers "not available" (achieved if the target is met).
        Some("the target year is the base year")
    } else {
        None
    };
    let observed = || numpy_growth(current_value, base_value, current_year, base_year);
    let required = |(value, year): (f64, f64)| {
        if moved {
            numpy_growth(value, base_value, year, base_year)
        } else {
            python_growth(value, base_value, year, base_year)
        }
    };
    // Divided as numpy divides: by a required growth of 0 (the base value is the target) to ±infinity, or NaN.
    let progress_value = match (why_not, target) {
        (Some(_), _) => None,
        (None, None) => Some(sign * direction * observed() + 0.0),
        (None, Some(target)) => Some(sign * direction * observed() / required(target).abs() + 0.0),
    };
    let why_not = why_not.or(match target.map(required).filter(|_| progress_value.is_some()) {
        Some(r) if r.is_nan() => {
            Some("the required growth is not a number (the target and the base value have different signs)")
        }
        Some(0.0) => Some("the target equals the base value"),
        _ => None,
    });
    let score = if target_achieved {
        Some(5.0)
    } else {
        progress_value.and_then(|v| score(v, with_target, reduce, high, medium))
    };
    Some(SeriesProgress {
        base_year,
        base_value,
        current_year,
        current_value,
        direction,
        target_achieved,
        progress_value,
        coefficient,
        status: status_by_thresholds(progress_value, high, medium, target_achieved),
        score,
        why_not,
    })
}

/// Open SDG's assessment of one indicator at one unit: one series, so the indicator's score is that series'
/// score and its status is read from the score, as Open SDG reads it.
pub fn open_sdg(trajectory: &Trajectory<'_>) -> Assessment {
    let method = Method::OpenSdg;
    let Some(series) = series_progress(trajectory) else {
        return Assessment {
            method,
            status: Status::InsufficientData,
            score: None,
            details: Vec::new(),
            explanation: "no value from the base year on".to_owned(),
        };
    };
    let (score, status) = match indicator_progress(std::slice::from_ref(&series)) {
        (None, OpenSdgStatus::NotAvailable) => (None, series.status),
        scored => scored,
    };
    let mut details = vec![
        ("base_value".to_owned(), series.base_value),
        ("base_year".to_owned(), series.base_year),
        ("current_value".to_owned(), series.current_value),
        ("current_year".to_owned(), series.current_year),
        ("direction".to_owned(), series.direction),
    ];
    details.extend(series.progress_value.filter(|v| v.is_finite()).map(|v| ("progress_value".to_owned(), v)));
    details.extend(series.coefficient.map(|c| ("limit_coefficient".to_owned(), c)));
    details.extend(score.map(|s| ("score".to_owned(), s)));
    details.sort_by(|a, b| a.0.cmp(&b.0));
    // Scores and progress values shown never round onto (or across) the thresholds that decide the status.
    let shown_score = |s: f64| figure(s, 2, &[2.5, -2.5, 5.0, -5.0]);
    let reduce = series.coefficient.unwrap_or(1.0);
    let thresholds = if trajectory.target.is_some() { [0.95, 0.6] } else { [0.015 * reduce, 0.005 * reduce] };
    let explanation = match (series.why_not, score) {
        (_, Some(s)) if series.target_achieved => {
            format!("{} (score {}): the current value is at or beyond the target", status.as_str(), shown_score(s))
        }
        (Some(why), _) => format!("{}: {why}", status.as_str()),
        (None, Some(s)) => format!(
            "{} (score {}, progress value {}, from {} in {})",
            status.as_str(),
            shown_score(s),
            figure(series.progress_value.unwrap_or(f64::NAN), 3, &thresholds),
            series.base_value,
            series.base_year
        ),
        (None, None) => status.as_str().to_owned(),
    };
    let explanation = explanation + &own_rule(trajectory, &series);
    if let Some(lost) = lost_since_baseline(trajectory, &series).filter(|_| status.status() != Status::OffTrack) {
        let own = format!("Open SDG's own measure: {explanation}");
        return Assessment { method, status: Status::OffTrack, score, details, explanation: format!("{lost}; {own}") };
    }
    Assessment { method, status: status.status(), score, details, explanation }
}

/// Met at the start and lost since (methodology 4.2), the one rule of tiendo's that the `open-sdg` method applies
/// over Open SDG's own measure: the plan's baseline met the target and the latest value no longer does (by Open
/// SDG's own test too). Open SDG measures from the first year with data from the baseline's year on, so where the
/// baseline year has no value it starts after the fall and can call a value below the target "on track" beside a
/// baseline above it (95 % in 2020, then 85, 87, 89 against `>= 90`: found by a review helper, round 46). The
/// sentence that says so; `None` where the rule does not apply.
fn lost_since_baseline(trajectory: &Trajectory<'_>, series: &SeriesProgress) -> Option<String> {
    let target = trajectory.target.as_ref()?;
    let (base_year, base_value) = trajectory.base?;
    let latest_met = trajectory.latest_met.unwrap_or_else(|| super::progress::target_met(series.current_value, target));
    let base_met = trajectory.base_met.unwrap_or_else(|| super::progress::target_met(base_value, target));
    if !base_met || latest_met || series.target_achieved || base_year >= series.current_year {
        return None;
    }
    Some(format!(
        "off track: the plan's baseline {base_value} ({base_year}) met the target {} {} and the latest value {} ({}) \
         no longer does (met at the start and lost since, tiendo's rule for every method)",
        target.comparator.symbol(),
        target.value,
        series.current_value,
        series.current_year
    ))
}

/// Where Open SDG's own test of the target decides otherwise than the target line (methodology 4.1, "Open SDG"):
/// the sentence that says which rule decided; empty where they agree.
fn own_rule(trajectory: &Trajectory<'_>, series: &SeriesProgress) -> String {
    let (Some(target), Some(met)) = (trajectory.target, trajectory.latest_met) else { return String::new() };
    if met == series.target_achieved {
        return String::new();
    }
    match (met, target.value == 0.0) {
        (true, true) => "; Open SDG reads a target of 0 as 0.001, which the current value does not reach, though the \
                         target line is met"
            .to_owned(),
        (true, false) => {
            "; Open SDG's test (at or beyond the target) is not passed, though the target line is met".to_owned()
        }
        (false, _) => format!(
            "; Open SDG counts a value at or beyond the target as achieved whatever the comparator ({} {}), though \
             the target line is not met",
            target.comparator.symbol(),
            target.value
        ),
    }
}

#[cfg(test)]
#[path = "open_sdg_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "open_sdg_fixture_tests.rs"]
mod fixture_tests;
