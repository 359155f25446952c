//! Open SDG's progress measure on series whose expected values were computed by a line-by-line numeric
//! transcription of sdg-build's `SeriesProgress` (commit 139fede74ba534d2ed8b9eee4cd878b41f54cb67), run with
//! Python 3 outside the repository; the values are frozen here.

use super::*;
use crate::eval::progress::{Method, TargetSpec, assess};

/// One case: the series, the configured base year (`None`: Open SDG's default 2015), the target (comparator,
/// value, year), the indicator's direction, the limit; then the expected base year, progress value, score and
/// Open SDG status.
struct Case {
    series: &'static [(f64, f64)],
    base_year: Option<f64>,
    target: Option<(&'static str, f64, f64)>,
    direction: Direction,
    limit: Option<f64>,
    base: f64,
    progress: Option<f64>,
    score: Option<f64>,
    status: OpenSdgStatus,
}

const CASES: &[Case] = &[
    // b2-01: base year 2020 has no data, so Open SDG starts at 2021 (94), not at the plan's 95; falls to 88.
    Case {
        series: &[(2021.0, 94.0), (2022.0, 92.0), (2023.0, 88.0)],
        base_year: Some(2020.0),
        target: Some((">=", 90.0, 2025.0)),
        direction: Direction::Increase,
        limit: Some(100.0),
        base: 2021.0,
        progress: Some(-3.0003615027294566),
        score: Some(-5.0),
        status: OpenSdgStatus::Deterioration,
    },
    // Flat at the natural limit without a target: substantial progress, score 5, not "achieved".
    Case {
        series: &[(2015.0, 100.0), (2020.0, 100.0)],
        base_year: None,
        target: None,
        direction: Direction::Increase,
        limit: Some(100.0),
        base: 2015.0,
        progress: Some(0.0),
        score: Some(5.0),
        status: OpenSdgStatus::SubstantialProgress,
    },
    // A negative base value with a limit: the coefficient is taken on absolute values, no NaN.
    Case {
        series: &[(2016.0, -20.0), (2020.0, -10.0)],
        base_year: None,
        target: None,
        direction: Direction::Increase,
        limit: Some(100.0),
        base: 2016.0,
        progress: Some(0.1591035847462855),
        score: Some(5.0),
        status: OpenSdgStatus::SubstantialProgress,
    },
    // No configured base year: 2015, although the series starts in 2010.
    Case {
        series: &[(2010.0, 30.0), (2015.0, 40.0), (2020.0, 50.0)],
        base_year: None,
        target: None,
        direction: Direction::Increase,
        limit: None,
        base: 2015.0,
        progress: Some(0.04563955259127317),
        score: Some(5.0),
        status: OpenSdgStatus::SubstantialProgress,
    },
    // `> 90` is met by 90 in Open SDG (it compares with >=).
    Case {
        series: &[(2015.0, 80.0), (2020.0, 90.0)],
        base_year: None,
        target: Some((">", 90.0, 2030.0)),
        direction: Direction::Increase,
        limit: None,
        base: 2015.0,
        progress: Some(3.0237114787535395),
        score: Some(5.0),
        status: OpenSdgStatus::TargetAchieved,
    },
    // The configured base year 2017 has no data: the next year with data, 2018.
    Case {
        series: &[(2016.0, 10.0), (2018.0, 12.0), (2020.0, 15.0)],
        base_year: Some(2017.0),
        target: Some((">=", 20.0, 2030.0)),
        direction: Direction::Increase,
        limit: None,
        base: 2018.0,
        progress: Some(2.714183257070723),
        score: Some(5.0),
        status: OpenSdgStatus::SubstantialProgress,
    },
    // Just above the moderate threshold 0.6: score 0.033.
    Case {
        series: &[(2015.0, 50.0), (2020.0, 55.0)],
        base_year: None,
        target: Some((">=", 80.0, 2030.0)),
        direction: Direction::Increase,
        limit: None,
        base: 2015.0,
        progress: Some(0.604621255049853),
        score: Some(0.03304916269559488),
        status: OpenSdgStatus::ModerateProgress,
    },
    // A zero target becomes 0.001; lower is better.
    Case {
        series: &[(2015.0, 10.0), (2020.0, 5.0)],
        base_year: None,
        target: Some(("<=", 0.0, 2030.0)),
        direction: Direction::Decrease,
        limit: None,
        base: 2015.0,
        progress: Some(0.28212911781890315),
        score: Some(-1.3244526047839764),
        status: OpenSdgStatus::LimitedProgress,
    },
    // Near the limit the thresholds shrink: the same growth is moderate with the limit, limited without.
    Case {
        series: &[(2015.0, 98.0), (2020.0, 98.5)],
        base_year: None,
        target: None,
        direction: Direction::Increase,
        limit: Some(100.0),
        base: 2015.0,
        progress: Some(0.001018332049841142),
        score: Some(1.7173542852544355),
        status: OpenSdgStatus::ModerateProgress,
    },
    Case {
        series: &[(2015.0, 98.0), (2020.0, 98.5)],
        base_year: None,
        target: None,
        direction: Direction::Increase,
        limit: None,
        base: 2015.0,
        progress: Some(0.001018332049841142),
        score: Some(-1.990833975079429),
        status: OpenSdgStatus::LimitedProgress,
    },
];

fn trajectory(case: &Case) -> Trajectory<'_> {
    Trajectory {
        series: case.series,
        base: case.base_year.map(|year| (year, f64::NAN)),
        target: case.target.map(|(comparator, value, year)| TargetSpec {
            comparator: Comparator::parse(comparator).unwrap(),
            value,
            year,
        }),
        direction: case.direction,
        limit: case.limit,
        percentage: case.limit == Some(100.0),
        latest_met: None,
        base_met: None,
    }
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn series_progress_matches_sdg_build() {
    for (index, case) in CASES.iter().enumerate() {
        let got = series_progress(&trajectory(case)).expect("a series");
        assert_eq!(got.base_year, case.base, "case {index}");
        assert!(close(got.progress_value, case.progress), "case {index}: {:?}", got.progress_value);
        assert!(close(got.score, case.score), "case {index}: {:?}", got.score);
        let (score, status) = indicator_progress(std::slice::from_ref(&got));
        assert_eq!(status, case.status, "case {index}");
        assert!(close(score, case.score));
        let assessment = assess(Method::OpenSdg, &trajectory(case));
        assert_eq!(assessment.status, case.status.status(), "case {index}: {}", assessment.explanation);
        assert!(close(assessment.score, case.score), "case {index}");
        assert!(assessment.details.iter().all(|(_, v)| v.is_finite()), "case {index}: {:?}", assessment.details);
    }
}

#[test]
fn the_indicator_score_is_the_mean_of_its_series() {
    let series: Vec<SeriesProgress> = CASES.iter().map(|c| series_progress(&trajectory(c)).unwrap()).collect();
    // Deterioration (-5) and substantial progress (5): mean 0, moderate progress.
    let (score, status) = indicator_progress(&series[..2]);
    assert_eq!((score, status), (Some(0.0), OpenSdgStatus::ModerateProgress));
    // Achieved only when every series is.
    let (score, status) = indicator_progress(&series[4..6]);
    assert_eq!((score, status), (Some(5.0), OpenSdgStatus::SubstantialProgress));
    assert_eq!(indicator_progress(&series[4..5]).1, OpenSdgStatus::TargetAchieved);
    assert_eq!(indicator_progress(&[]), (None, OpenSdgStatus::NotAvailable));
}

#[test]
fn limit_coefficient_and_unassessable_series() {
    assert!((limit_coefficient(50.0, 100.0) - (1.0 - 0.5f64.powf(4.44))).abs() < 1e-12);
    assert_eq!(limit_coefficient(100.0, 100.0), 0.0);
    assert_eq!(limit_coefficient(250.0, 100.0), 1.0);
    assert_eq!(limit_coefficient(-150.0, 100.0), 1.0 - 0.5f64.powf(4.44));
    assert_eq!(limit_coefficient(0.0, 0.0), 1.0);
    let mut case = trajectory(&CASES[3]);
    // Different signs, one year only, no year from the base year on.
    for series in [&[(2015.0, -5.0), (2020.0, 5.0)][..], &[(2020.0, 5.0)], &[(2010.0, 5.0), (2012.0, 6.0)]] {
        case.series = series;
        let assessment = assess(Method::OpenSdg, &case);
        assert_eq!(assessment.status, Status::InsufficientData, "{series:?}: {}", assessment.explanation);
        assert_eq!(assessment.score, None);
    }
    // A negative quotient in the required growth is complex in Python; its modulus is used, no NaN.
    case.series = &[(2015.0, -10.0), (2020.0, -5.0)];
    case.target = Some(TargetSpec { comparator: Comparator::GreaterOrEqual, value: 5.0, year: 2030.0 });
    let assessment = assess(Method::OpenSdg, &case);
    assert!(assessment.score.is_some_and(f64::is_finite), "{assessment:?}");
}

/// Where Open SDG's own test of the target decides otherwise than the target line, the explanation says which rule
/// decided: a target of 0 read as 0.001 (0 against `>= 0`: met, not achieved), a value at the target achieved
/// whatever the comparator (10 against `< 10`: not met, achieved); round 45, found by a review helper.
#[test]
fn the_explanation_says_when_open_sdg_s_own_target_rule_decided() {
    // (series, comparator, target, the target line met, achieved by Open SDG, what the explanation says)
    type Case<'a> = (&'a [(f64, f64)], &'a str, f64, bool, bool, &'a str);
    let cases: [Case; 3] = [
        (&[(2021.0, 0.0), (2025.0, 0.0)], ">=", 0.0, true, false, "reads a target of 0 as 0.001"),
        (&[(2021.0, 40.0), (2025.0, 10.0)], "<", 10.0, false, true, "whatever the comparator (< 10)"),
        (&[(2021.0, 40.0), (2025.0, 10.0)], "<=", 10.0, true, true, ""),
    ];
    for (series, comparator, value, met, achieved, said) in cases {
        let trajectory = Trajectory {
            series,
            base: None,
            target: Some(TargetSpec { comparator: Comparator::parse(comparator).unwrap(), value, year: 2025.0 }),
            direction: Direction::Decrease,
            limit: None,
            percentage: false,
            latest_met: Some(met),
            base_met: None,
        };
        let assessment = open_sdg(&trajectory);
        assert_eq!(assessment.status == Status::Achieved, achieved, "{comparator} {value}: {assessment:?}");
        if said.is_empty() {
            assert!(!assessment.explanation.contains("Open SDG"), "{}", assessment.explanation);
        } else {
            assert!(assessment.explanation.contains(said), "{}", assessment.explanation);
        }
    }
}

/// Met at the start and lost since is off track under `open-sdg` too, whatever Open SDG's own measure says from its
/// later base year (round 46, found by a review helper: the plan's baseline year had no value, Open SDG started after
/// the fall and called 85, 87, 89 against `>= 90` "on track" beside a baseline of 95). Each direction of target;
/// Open SDG's own reading stays in the explanation, and a baseline whose year is in the series is unchanged.
#[test]
fn a_baseline_that_met_the_target_and_was_lost_is_off_track_under_open_sdg() {
    // (series, baseline, comparator, target)
    type Case<'a> = (&'a [(f64, f64)], f64, &'a str, f64);
    let cases: [Case; 4] = [
        (&[(2021.0, 85.0), (2022.0, 87.0), (2023.0, 89.0)], 95.0, ">=", 90.0),
        (&[(2021.0, 12.0), (2022.0, 11.0), (2023.0, 10.5)], 5.0, "<=", 10.0),
        (&[(2021.0, 55.0), (2022.0, 53.0), (2023.0, 51.0)], 50.0, "=", 50.0),
        (&[(2021.0, 270.0), (2022.0, 265.0), (2023.0, 260.0)], 240.0, "<", 250.0),
    ];
    for (series, baseline, comparator, value) in cases {
        let mut trajectory = Trajectory {
            series,
            base: Some((2020.0, baseline)),
            target: Some(TargetSpec { comparator: Comparator::parse(comparator).unwrap(), value, year: 2025.0 }),
            direction: if comparator.starts_with('<') { Direction::Decrease } else { Direction::Increase },
            limit: None,
            percentage: false,
            latest_met: None,
            base_met: None,
        };
        let own = series_progress(&trajectory).expect("a series");
        assert_ne!(status_from_score(own.score, own.target_achieved).status(), Status::OffTrack, "{comparator}");
        let assessment = open_sdg(&trajectory);
        assert_eq!(assessment.status, Status::OffTrack, "{comparator}: {assessment:?}");
        assert!(assessment.explanation.contains("met at the start and lost since"), "{}", assessment.explanation);
        assert!(assessment.explanation.contains("Open SDG's own measure"), "{}", assessment.explanation);
        // Kept: the latest value meets the target again, so nothing was lost.
        trajectory.latest_met = Some(true);
        trajectory.base_met = Some(true);
        assert!(!open_sdg(&trajectory).explanation.contains("lost since"), "{comparator}");
    }
}
