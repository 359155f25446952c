//! Worked cases of every method, each start (short of the target, at it, past it) and each direction.

use super::*;

pub(super) fn target(comparator: &str, value: f64, year: f64) -> Option<TargetSpec> {
    Some(TargetSpec { comparator: Comparator::parse(comparator).unwrap(), value, year })
}

pub(super) fn trajectory<'a>(series: &'a [(f64, f64)], target: Option<TargetSpec>) -> Trajectory<'a> {
    Trajectory {
        series,
        base: None,
        target,
        direction: Direction::Increase,
        limit: None,
        percentage: false,
        latest_met: None,
        base_met: None,
    }
}

pub(super) fn close(a: f64, b: f64) -> bool {
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

/// A lone value decides a verdict when its year is the target's (round 7, M2): met is achieved, missed is off track
/// for every method (no trend can reach it any more); before the target's year a lone value has no trend to assess.
#[test]
fn a_lone_value_of_the_target_year_is_decided_either_way_by_every_method() {
    // (series, target, status)
    let cases = [
        (vec![(2025.0, 80.0)], target(">=", 85.0, 2025.0), Status::OffTrack),
        (vec![(2025.0, 97.0)], target("<=", 95.0, 2025.0), Status::OffTrack),
        (vec![(2025.0, 90.0)], target(">=", 85.0, 2025.0), Status::Achieved),
        (vec![(2026.0, 80.0)], target(">=", 85.0, 2025.0), Status::OffTrack),
        (vec![(2024.0, 80.0)], target(">=", 85.0, 2025.0), Status::InsufficientData),
        (vec![(2025.0, f64::NAN)], target(">=", 85.0, 2025.0), Status::InsufficientData),
        (vec![(2025.0, 80.0)], None, Status::InsufficientData),
    ];
    for (series, target, status) in cases {
        for method in Method::ALL {
            let assessment = assess(method, &trajectory(&series, target));
            // Open SDG follows sdg-build, which needs two years from the base year for any answer but "achieved".
            let status = match (method, status) {
                (Method::OpenSdg, Status::OffTrack) => Status::InsufficientData,
                _ => status,
            };
            assert_eq!(assessment.status, status, "{method:?} {series:?} {target:?}: {}", assessment.explanation);
        }
    }
}

#[test]
fn target_comparison_and_gap() {
    // (latest, comparator, target, met, gap with the value read to one decimal): a gap is 0 exactly when the target
    // is met; a strict target's runs to the first value past it at that decimal (outside review Q8c: 90.0 beside
    // `> 90` is 0.1 short, never 0).
    let cases = [
        (90.0, ">", 90.0, false, 0.1),
        (90.0, ">=", 90.0, true, 0.0),
        (85.0, ">", 90.0, false, 5.1),
        (89.96, ">", 90.0, false, 0.14),
        (90.04, ">", 90.0, true, 0.0),
        (100.0, "=", 100.0, true, 0.0),
        (99.9999999999, "=", 100.0, false, 1e-10),
        (98.0, "=", 100.0, false, 2.0),
        (102.0, "=", 100.0, false, 2.0),
        (0.0, "=", 0.0, true, 0.0),
        (12.0, "<=", 10.0, false, 2.0),
        (10.0, "<", 10.0, false, 0.1),
        (12.0, "<", 10.0, false, 2.1),
        (10.0, "<", 9.95, false, 0.1),
        (8.0, "<", 10.0, true, 0.0),
        (0.0, "<", 10.0, true, 0.0),
        (5.0, ">", 0.0, true, 0.0),
        (f64::NAN, ">", 0.0, false, f64::NAN),
    ];
    for (latest, comparator, value, met, expected_gap) in cases {
        let spec = target(comparator, value, 2025.0).unwrap();
        assert_eq!(target_met(latest, &spec), met, "{latest} {comparator} {value}");
        let gap = gap(latest, &spec, 1);
        assert!(
            close(gap, expected_gap) || gap.is_nan() && expected_gap.is_nan(),
            "{latest} {comparator} {value}: {gap}"
        );
        assert_eq!(gap == 0.0, met, "{latest} {comparator} {value}: a gap is 0 exactly when met");
    }
    // A count's strict target is met from the next whole number.
    assert_eq!(gap(300.0, &target(">", 300.0, 2025.0).unwrap(), 0), 1.0);
}

/// The gap's decimals keep every gap that is not zero off zero where it is shown (0.04 short of `>= 95` is "0.04",
/// never "0.0"), and are never fewer than the value's.
#[test]
fn a_gap_is_shown_with_the_decimals_that_keep_it_off_zero() {
    use super::super::exact::{decimal, fixed, gap as exact_gap, gap_decimals, to_f64};
    use crate::model::Comparator;
    // (latest, comparator, target, the value's decimals, the gap as shown)
    let cases = [
        (94.96, Comparator::GreaterOrEqual, 95.0, 2, "0.04"),
        (94.999, Comparator::GreaterOrEqual, 95.0, 1, "0.001"),
        (90.0, Comparator::Greater, 90.0, 1, "0.1"),
        (95.0, Comparator::GreaterOrEqual, 95.0, 1, "0.0"),
        (12.0, Comparator::LessOrEqual, 10.0, 0, "2"),
    ];
    for (latest, comparator, value, decimals, shown) in cases {
        let gap = exact_gap(comparator, &decimal(latest).unwrap(), &decimal(value).unwrap(), decimals);
        let written = fixed(to_f64(&gap), gap_decimals(&gap, decimals));
        assert_eq!(written, shown, "{latest} {comparator:?} {value}");
    }
}

#[test]
fn a_flat_series_scores_plus_zero_in_either_direction() {
    // A decrease is wanted and nothing changed: the score is 0, not -0 (which prints as "-0.00 %"). Open SDG's
    // score of no growth is -2.5 (limited progress); its progress value is +0.
    let series = [(2021.0, 40.0), (2023.0, 40.0)];
    for direction in [Direction::Increase, Direction::Decrease] {
        let trajectory = Trajectory { direction, ..self::trajectory(&series, None) };
        for method in [Method::Eurostat, Method::OpenSdg, Method::Unsd] {
            let assessment = assess(method, &trajectory);
            let score = assessment.score.expect("a score without a target");
            let expected = if method == Method::OpenSdg { -2.5 } else { 0.0 };
            assert!(
                score == expected && score.is_sign_positive() == (expected >= 0.0),
                "{method:?} {direction:?}: {score}"
            );
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

/// Round 4's J2: baseline 72 (2020, a plan's, not a data point), then 20 (2022) and 56 (2023), target > 80 by
/// 2025. ESCAP's trend runs from the baseline, and the value is further from the target than it: off track.
#[test]
fn escap_runs_its_trend_from_a_baseline_that_is_not_a_data_point() {
    let series = [(2022.0, 20.0), (2023.0, 56.0)];
    let t = Trajectory { base: Some((2020.0, 72.0)), ..trajectory(&series, target(">", 80.0, 2025.0)) };
    let got = escap(&t);
    assert_eq!(got.status, Status::OffTrack, "{}", got.explanation);
    assert!(got.explanation.starts_with("moving away: 56 (2023) is further from the target than the base 72 (2020)"));
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
    // Values on both sides of the limit: the data cross it, so it bounds nothing.
    let crossing = [(2021.0, 96.0), (2022.0, 101.0), (2023.0, 104.0)];
    let mut t = trajectory(&crossing, target(">", 110.0, 2025.0));
    let unbounded = escap(&t);
    t.limit = Some(100.0);
    assert_eq!(predicted(&escap(&t)), predicted(&unbounded));
}

/// The side of a natural limit is decided from the trend's values: at or above all of them a ceiling, at or below
/// all of them a floor, between them no bound.
#[test]
fn a_natural_limit_bounds_the_side_it_is_on() {
    type Case = (&'static [(f64, f64)], f64, Option<Bound>);
    let cases: [Case; 8] = [
        (&[(2021.0, 80.0), (2023.0, 95.0)], 100.0, Some(Bound::Ceiling(100.0))),
        (&[(2021.0, 8.0), (2022.0, 9.0), (2023.0, 10.0)], 0.0, Some(Bound::Floor(0.0))),
        (&[(2021.0, -8.0), (2023.0, -7.0)], -10.0, Some(Bound::Floor(-10.0))),
        (&[(2021.0, -8.0), (2023.0, -7.0)], 0.0, Some(Bound::Ceiling(0.0))),
        // At the latest value (a percentage at 100): still a ceiling; at the base value of a falling series, a floor.
        (&[(2021.0, 90.0), (2023.0, 100.0)], 100.0, Some(Bound::Ceiling(100.0))),
        (&[(2021.0, 10.0), (2023.0, 20.0)], 10.0, Some(Bound::Floor(10.0))),
        // The values cross the limit: it bounds nothing.
        (&[(2021.0, 96.0), (2022.0, 101.0), (2023.0, 99.0)], 100.0, None),
        // Values before the base year are not the trend's.
        (&[(2019.0, 120.0), (2021.0, 90.0), (2023.0, 95.0)], 100.0, Some(Bound::Ceiling(100.0))),
    ];
    for (series, limit, expected) in cases {
        let t = Trajectory { limit: Some(limit), ..trajectory(series, None) };
        let base = if series[0].0 == 2019.0 { series[1] } else { series[0] };
        assert_eq!(natural_bound(&t, base), expected, "{series:?} limit {limit}");
    }
    assert_eq!(Bound::Ceiling(100.0).apply(120.0), 100.0);
    assert_eq!(Bound::Ceiling(100.0).apply(-5.0), -5.0);
    assert_eq!(Bound::Floor(0.0).apply(-5.0), 0.0);
    assert_eq!(Bound::Floor(0.0).apply(12.5), 12.5);
    assert!(Bound::Floor(0.0).apply(f64::NAN).is_nan());
}

/// F4: a lower natural limit (a floor) read as a ceiling pulled projections moving away from a "less is better"
/// target down to the limit, on track. (series, comparator, target, direction, limit, expected status for
/// Eurostat, ESCAP, Open SDG, UNSD); targets due in 2025.
#[test]
fn a_natural_limit_never_pulls_a_projection_across_the_values() {
    use Status::{OffTrack as X, OnTrack as O};
    type Case = (&'static [(f64, f64)], &'static str, f64, Direction, Option<f64>, [Status; 4]);
    let rising: &[(f64, f64)] = &[(2021.0, 8.0), (2022.0, 9.0), (2023.0, 10.0)];
    let falling: &[(f64, f64)] = &[(2021.0, 30.0), (2022.0, 20.0), (2023.0, 10.0)];
    let cases: [Case; 9] = [
        // The reviewer's case: 8 -> 9 -> 10 against <= 5, limit 0 (a floor): UNSD said "reaches 0.0", on track.
        (rising, "<=", 5.0, Direction::Decrease, Some(0.0), [X; 4]),
        (rising, "<=", 5.0, Direction::Decrease, None, [X; 4]),
        (rising, "<=", 5.0, Direction::Decrease, Some(100.0), [X; 4]),
        // A ceiling just above the values, on the side the series moves to: the projection stops there, still away.
        (rising, "<=", 5.0, Direction::Decrease, Some(11.0), [X; 4]),
        (&[(2021.0, -8.0), (2023.0, -7.0)], "<=", -10.0, Direction::Decrease, Some(-10.0), [X; 4]),
        (&[(2021.0, -8.0), (2023.0, -7.0)], "<=", -10.0, Direction::Decrease, Some(0.0), [X; 4]),
        // Moving toward a target above the values, with a floor below them: the floor changes nothing.
        (&[(2021.0, 10.0), (2022.0, 20.0), (2023.0, 30.0)], ">=", 40.0, Direction::Increase, Some(0.0), [O; 4]),
        // Falling toward <= 5 with a floor at 0: the projection stops at 0 instead of going below.
        (falling, "<=", 5.0, Direction::Decrease, Some(0.0), [O; 4]),
        (falling, "<=", 5.0, Direction::Decrease, None, [O; 4]),
    ];
    for (series, comparator, value, direction, limit, expected) in cases {
        let t = Trajectory { direction, limit, ..trajectory(series, target(comparator, value, 2025.0)) };
        for (method, status) in Method::ALL.into_iter().zip(expected) {
            let got = assess(method, &t);
            assert_eq!(
                got.status, status,
                "{method:?} {series:?} {comparator} {value} limit {limit:?}: {}",
                got.explanation
            );
        }
    }
    // The reviewer's numbers: UNSD's projection is 12.5 with the floor as without it, ESCAP's stays above 10.
    let t = Trajectory {
        direction: Direction::Decrease,
        limit: Some(0.0),
        ..trajectory(rising, target("<=", 5.0, 2025.0))
    };
    let detail = |a: &Assessment, name: &str| a.details.iter().find(|(n, _)| n == name).unwrap().1;
    assert!(close(detail(&unsd(&t), "expected_value"), 12.5), "{}", unsd(&t).explanation);
    assert!(detail(&escap(&t), "predicted_value") > 10.0, "{}", escap(&t).explanation);
    assert!(detail(&escap(&t), "anticipated_progress") < 0.0);
    // The floor does bound a projection that goes below it: ESCAP's line reaches -10 in 2025, kept at 0.
    let t = Trajectory {
        direction: Direction::Decrease,
        limit: Some(0.0),
        ..trajectory(falling, target("<=", 5.0, 2025.0))
    };
    assert!(close(detail(&escap(&t), "predicted_value"), 0.0), "{}", escap(&t).explanation);
}

#[test]
fn unsd_completion_ratio() {
    // Base 50 (2015), latest 55 (2020) towards 80 by 2030: CAGR 1.92 %, 2030 value 66.55, CR 0.55.
    let series = [(2015.0, 50.0), (2020.0, 55.0)];
    let result = unsd(&trajectory(&series, target(">=", 80.0, 2030.0)));
    assert_eq!(result.status, Status::NeedsAcceleration);
    assert!(close(result.score.unwrap(), (55.0 * 1.1f64.powf(2.0) - 50.0) / 30.0));
    // Within one point of a 100 % target is UNSD's "achieved"; the target is not met, so it is on track.
    let near = [(2021.0, 90.0), (2023.0, 99.2)];
    assert_eq!(unsd(&trajectory(&near, target(">=", 100.0, 2025.0))).status, Status::OnTrack);
    let flat = [(2021.0, 50.0), (2023.0, 50.0)];
    assert_eq!(unsd(&trajectory(&flat, target(">=", 80.0, 2025.0))).status, Status::OffTrack);
    assert_eq!(unsd(&trajectory(&[(2021.0, 100.0), (2022.0, 103.0)], None)).status, Status::OnTrack);
}

const LINEAR: &str = "values below zero: linear change used instead of growth rates";

/// F6: a growth rate cannot be taken from a value below zero (reading -8 and -9 as 0.001 made both growth rates 0
/// and the explanation claimed the base was the target's boundary). Eurostat and UNSD use the average yearly change
/// instead: (series, comparator, target due in 2025, Eurostat status and ratio, UNSD status and completion ratio).
#[test]
fn values_below_zero_use_linear_change() {
    use Status::{NeedsAcceleration as N, OffTrack as X, OnTrack as O};
    type Case = (&'static [(f64, f64)], &'static str, f64, (Status, f64), (Status, f64));
    let cases: [Case; 7] = [
        // Toward: -0.5 a year where -0.5 a year is required; UNSD projects -9 - 0.5 x 2 = -10.
        (&[(2021.0, -8.0), (2023.0, -9.0)], "<=", -10.0, (O, 1.0), (O, 1.0)),
        // Away, and flat (no progress: Eurostat's insufficient band, UNSD's completion 0).
        (&[(2021.0, -8.0), (2023.0, -7.0)], "<=", -10.0, (X, -1.0), (X, -1.0)),
        (&[(2021.0, -8.0), (2023.0, -8.0)], "<=", -10.0, (N, 0.0), (X, 0.0)),
        (&[(2021.0, -8.0), (2023.0, -8.5)], ">=", -5.0, (X, -0.25 / 0.75), (X, -1.0 / 3.0)),
        // Crossing zero, both ways: +3 a year where 3.5 is required; -2 a year where -2 is required.
        (&[(2021.0, -4.0), (2023.0, 2.0)], ">=", 10.0, (N, 3.0 / 3.5), (N, 12.0 / 14.0)),
        (&[(2021.0, 3.0), (2023.0, -1.0)], "<=", -5.0, (O, 1.0), (O, 1.0)),
        // Positive values toward a target below zero: a growth rate never crosses zero, the linear change does.
        (&[(2021.0, 6.0), (2023.0, 2.0)], "<=", -2.0, (O, 1.0), (O, 1.0)),
    ];
    for (series, comparator, value, (eurostat_status, ratio), (unsd_status, completion)) in cases {
        let direction = if comparator.starts_with('<') { Direction::Decrease } else { Direction::Increase };
        let t = Trajectory { direction, ..trajectory(series, target(comparator, value, 2025.0)) };
        for (got, status, score) in [(eurostat(&t), eurostat_status, ratio), (unsd(&t), unsd_status, completion)] {
            assert_eq!(got.status, status, "{:?} {series:?} {comparator} {value}: {}", got.method, got.explanation);
            assert!(close(got.score.unwrap(), score), "{:?} {series:?}: {:?}", got.method, got.score);
            assert!(got.explanation.starts_with(LINEAR), "{}", got.explanation);
            assert!(!got.explanation.contains("boundary"), "{}", got.explanation);
            assert!(got.details.iter().any(|(name, _)| name == "change_actual"), "{:?}", got.details);
        }
    }
}

/// F6 without a target: the yearly change relative to the base value's size, against the method's thresholds
/// (Eurostat 1 % / 0, UNSD 2 % / 0.5 %): (series, direction, Eurostat, UNSD, score).
#[test]
fn values_below_zero_without_a_target_use_linear_change() {
    use Status::{NeedsAcceleration as N, OffTrack as X, OnTrack as O};
    type Case = (&'static [(f64, f64)], Direction, Status, Status, f64);
    let cases: [Case; 5] = [
        // -8 to -9 in two years: 0.5 a year, 6.25 % of the base value, in the desired direction.
        (&[(2021.0, -8.0), (2023.0, -9.0)], Direction::Decrease, O, O, 0.0625),
        (&[(2021.0, -8.0), (2023.0, -7.0)], Direction::Decrease, X, X, -0.0625),
        (&[(2021.0, -8.0), (2023.0, -8.0)], Direction::Decrease, N, X, 0.0),
        (&[(2021.0, -8.0), (2023.0, -7.0)], Direction::Increase, O, O, 0.0625),
        // 1 % of the base value a year: Eurostat's threshold, not UNSD's.
        (&[(2021.0, -100.0), (2022.0, -101.0)], Direction::Decrease, O, N, 0.01),
    ];
    for (series, direction, eurostat_status, unsd_status, score) in cases {
        let t = Trajectory { direction, ..trajectory(series, None) };
        for (got, status) in [(eurostat(&t), eurostat_status), (unsd(&t), unsd_status)] {
            assert_eq!(got.status, status, "{:?} {series:?} {direction:?}: {}", got.method, got.explanation);
            assert!(close(got.score.unwrap(), score), "{:?} {series:?}: {:?}", got.method, got.score);
            assert!(got.explanation.starts_with(LINEAR), "{}", got.explanation);
        }
    }
}

/// Zero values keep the documented 0.001 in growth rates ("from 0 cases to 5"); the boundary rule is reached only
/// from a base exactly at the target, below zero as above it.
#[test]
fn zero_values_keep_growth_rates_and_the_boundary_needs_the_base_at_the_target() {
    let from_zero = [(2021.0, 0.0), (2023.0, 5.0)];
    for got in [eurostat(&trajectory(&from_zero, target(">=", 10.0, 2025.0))), unsd(&trajectory(&from_zero, None))] {
        assert_eq!(got.status, Status::OnTrack, "{:?}: {}", got.method, got.explanation);
        assert!(!got.explanation.contains(LINEAR), "{}", got.explanation);
        assert!(got.details.iter().any(|(name, _)| name == "cagr_actual"), "{:?}", got.details);
    }
    let cases = [(-5.0, Status::NeedsAcceleration), (-6.0, Status::OffTrack)];
    for (latest, status) in cases {
        let series = [(2021.0, -5.0), (2023.0, latest)];
        for method in [Method::Eurostat, Method::Escap, Method::Unsd] {
            let got = assess(method, &trajectory(&series, target(">", -5.0, 2025.0)));
            assert_eq!(got.status, status, "{method:?} {latest}: {}", got.explanation);
            assert!(got.explanation.contains("boundary"), "{method:?}: {}", got.explanation);
        }
    }
}

/// F7: a share, ratio or score in an explanation never rounds onto (or across) 100 %, 0 or a deciding threshold it
/// is not exactly at; it gets the decimals it needs, and no more when it needs none.
#[test]
fn figures_never_round_onto_a_mark_they_are_not_at() {
    let percents = [
        (0.99992, "99.99"),
        (1.0, "100"),
        (0.5, "50"),
        (0.999999, "99.9999"),
        (1.00004, "100.004"),
        // 0.008 %: one more decimal already stands off 0.
        (0.00008, "0.01"),
        (-0.00008, "-0.01"),
        (0.0000004, "0.00004"),
        (0.0, "0"),
        (0.123, "12"),
    ];
    for (share, text) in percents {
        assert_eq!(percent(share, &[]), text, "{share}");
    }
    // A value within 10^-12 of a mark is shown rounded: more digits would not tell it apart.
    assert_eq!(percent(1.0 - 1e-16, &[]), "100");
    // Thresholds: UNSD's 95 % and 10 %, Eurostat's 0.95 and 0.6, Open SDG's score 2.5.
    assert_eq!(percent(0.9496, &[95.0, 10.0]), "94.96");
    assert_eq!(percent(0.0996, &[95.0, 10.0]), "9.96");
    assert_eq!(figure(0.9499, 2, &[0.95, 0.6]), "0.9499");
    assert_eq!(figure(0.95, 2, &[0.95, 0.6]), "0.95");
    assert_eq!(figure(0.5996, 2, &[0.95, 0.6]), "0.5996");
    assert_eq!(figure(2.4999, 2, &[2.5]), "2.4999");
    assert_eq!(figure(-0.0001, 2, &[]), "-0.0001");
    assert_eq!(figure(0.842, 2, &[0.95, 0.6]), "0.84");
    assert_eq!(figure(f64::NAN, 2, &[1.0]), "NaN");
}

/// The reviewer's case: ESCAP's current status 0.99992, not met, read "100% of the required progress made".
#[test]
fn explanations_show_shares_that_are_not_met_below_100() {
    let series = [(2015.0, 0.0), (2018.0, 99.992)];
    let got = escap(&trajectory(&series, target(">=", 100.0, 2030.0)));
    assert!(
        got.explanation.starts_with("99.99% of the required progress made (20% expected by now)"),
        "{}",
        got.explanation
    );
    // UNSD: a completion ratio just under 95 % is not shown as 95 %.
    let series = [(2021.0, 50.0), (2023.0, 70.0)];
    let mut t = trajectory(&series, target(">=", 80.0, 2025.0));
    let got = unsd(&t);
    let ratio = got.score.unwrap();
    assert!(got.explanation.contains(&format!("{}% of the way", percent(ratio, &[95.0, 10.0]))), "{}", got.explanation);
    // Kept under a ceiling of 79.996: neither the value (beside the target 80) nor the share reads as reached.
    t.limit = Some(79.996);
    let got = unsd(&t);
    assert!(got.explanation.contains("reaches 79.996 by 2025, 99.99% of the way"), "{}", got.explanation);
}

/// Every start against every method: (series, target, direction, expected status for Eurostat, ESCAP, Open SDG,
/// UNSD). The base is the first point; targets are due in 2025 unless the series reaches 2025.
#[test]
fn every_method_from_every_start() {
    use Status::{Achieved as A, NeedsAcceleration as N, OffTrack as X, OnTrack as O};
    type Case = (&'static [(f64, f64)], &'static str, f64, Direction, [Status; 4]);
    let cases: [Case; 14] = [
        // b2-01: 95 % meets ">= 90" and falls to 88 %: met at the start and lost since.
        (&[(2020.0, 95.0), (2021.0, 94.0), (2022.0, 92.0), (2023.0, 88.0)], ">=", 90.0, Direction::Increase, [X; 4]),
        // Met at the start and kept (even while falling): achieved.
        (&[(2020.0, 95.0), (2023.0, 91.0)], ">=", 90.0, Direction::Increase, [A; 4]),
        (&[(2020.0, 95.0), (2023.0, 91.0)], ">", 90.0, Direction::Increase, [A; 4]),
        // Lower is better: 8 meets "<= 10", rises to 12.
        (&[(2020.0, 8.0), (2023.0, 12.0)], "<=", 10.0, Direction::Decrease, [X; 4]),
        (&[(2020.0, 8.0), (2023.0, 9.0)], "<=", 10.0, Direction::Decrease, [A; 4]),
        // "< 10" from 5 to 10: lost by tiendo's strict comparator; Open SDG counts 10 as meeting "< 10".
        (&[(2020.0, 5.0), (2023.0, 10.0)], "<", 10.0, Direction::Decrease, [X, X, A, X]),
        // An exact target held, then left.
        (&[(2020.0, 100.0), (2023.0, 100.0)], "=", 100.0, Direction::Maintain, [A; 4]),
        (&[(2020.0, 100.0), (2023.0, 97.0)], "=", 100.0, Direction::Increase, [X; 4]),
        // An exact target overshot and left behind (H3's e1), and crossed to as far on the other side (e2); Open SDG
        // counts passing an exact target in its direction as achieving it.
        (&[(2021.0, 40.0), (2022.0, 45.0), (2023.0, 60.0)], "=", 50.0, Direction::Increase, [X, X, A, X]),
        (&[(2022.0, 60.0), (2023.0, 40.0)], "=", 50.0, Direction::Increase, [N, X, A, X]),
        // At the boundary of a strict target: flat is no progress, a fall is off track.
        (&[(2020.0, 90.0), (2023.0, 90.0)], ">", 90.0, Direction::Increase, [N, N, A, N]),
        (&[(2020.0, 90.0), (2023.0, 89.0)], ">", 90.0, Direction::Increase, [X; 4]),
        // Short of the target and closing in fast, or falling away, as before.
        (&[(2020.0, 50.0), (2023.0, 75.0)], ">=", 80.0, Direction::Increase, [O; 4]),
        (&[(2020.0, 50.0), (2023.0, 45.0)], ">=", 80.0, Direction::Increase, [X; 4]),
    ];
    for (series, comparator, value, direction, expected) in cases {
        let t = Trajectory { direction, ..trajectory(series, target(comparator, value, 2025.0)) };
        let mut lower = t.clone();
        for (method, status) in Method::ALL.into_iter().zip(expected) {
            let got = assess(method, &t);
            assert_eq!(got.status, status, "{method:?} {series:?} {comparator} {value}: {}", got.explanation);
        }
        // The same case mirrored (every value and the target negated, the comparator reversed) is lower is better,
        // and gets the same status from tiendo's methods (Open SDG's growth rates need positive values).
        let mirrored: Vec<(f64, f64)> = series.iter().map(|(t, v)| (*t, 1000.0 - v)).collect();
        let flipped = match comparator {
            ">=" => "<=",
            ">" => "<",
            "<=" => ">=",
            "<" => ">",
            other => other,
        };
        lower.series = &mirrored;
        lower.target = target(flipped, 1000.0 - value, 2025.0);
        lower.direction = match direction {
            Direction::Increase => Direction::Decrease,
            Direction::Decrease => Direction::Increase,
            Direction::Maintain => Direction::Maintain,
        };
        for (method, status) in [Method::Eurostat, Method::Escap, Method::Unsd].into_iter().zip([0, 1, 3]) {
            let got = assess(method, &lower);
            let status = expected[status];
            // Growth from 1000 - 50 toward 1000 - 80 is slower in relative terms: only the side of the target
            // (achieved, lost) and the direction of the move (off track) must mirror.
            if matches!(status, A | X) {
                assert_eq!(got.status, status, "mirrored {method:?} {mirrored:?} {flipped}: {}", got.explanation);
            }
        }
    }
}

/// A target due by the latest year and not met is off track for tiendo's methods, however fast the trend.
#[test]
fn a_target_due_and_not_met_is_off_track() {
    let series = [(2020.0, 50.0), (2025.0, 79.0)];
    for method in [Method::Eurostat, Method::Escap, Method::Unsd] {
        let got = assess(method, &trajectory(&series, target(">=", 80.0, 2025.0)));
        assert_eq!(got.status, Status::OffTrack, "{method:?}: {}", got.explanation);
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn comparator() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(">"), Just(">="), Just("="), Just("<="), Just("<")]
    }

    /// Yearly series of 2 to 6 positive values (whole tenths, so that values can equal the target), from 2018.
    fn series() -> impl Strategy<Value = Vec<(f64, f64)>> {
        prop::collection::vec(1u32..2000, 2..7).prop_map(|values| {
            values.into_iter().enumerate().map(|(i, v)| (2018.0 + i as f64, f64::from(v) / 10.0)).collect()
        })
    }

    /// Open SDG's own test of "achieved": at or beyond the target in its direction.
    fn open_sdg_met(latest: f64, spec: &TargetSpec, base: f64) -> bool {
        match spec.comparator {
            Comparator::Greater | Comparator::GreaterOrEqual => latest >= spec.value,
            Comparator::Less | Comparator::LessOrEqual => latest <= spec.value,
            Comparator::Equal if spec.value > base => latest >= spec.value,
            Comparator::Equal if spec.value < base => latest <= spec.value,
            Comparator::Equal => latest >= spec.value,
        }
    }

    /// A generated case: the series, the target, the indicator's direction and the natural limit.
    type Away = (Vec<(f64, f64)>, Option<TargetSpec>, Direction, Option<f64>);

    /// A series moving away from its target: from `start` (tenths, either sign), each year one step further in the
    /// wrong direction (`up`), with a target `gap` tenths on the other side of the start (or no target, the
    /// indicator's direction then being the other way), due after the latest year, and a natural limit: none, above
    /// the values (a ceiling, possibly at the highest value), or below them (a floor, possibly at the lowest).
    fn moving_away() -> impl Strategy<Value = Away> {
        (
            -1000i32..1000,
            prop::collection::vec(1i32..60, 1..6),
            any::<bool>(),
            prop::option::weighted(0.8, (1i32..600, any::<bool>(), 2024u32..2031)),
            0usize..5,
            0i32..300,
        )
            .prop_map(|(start, steps, up, target, limit_kind, limit_gap)| {
                let sign = if up { 1 } else { -1 };
                let mut value = start;
                let mut series = vec![(2018.0, f64::from(start) / 10.0)];
                for (i, step) in steps.into_iter().enumerate() {
                    value += sign * step;
                    series.push((2019.0 + i as f64, f64::from(value) / 10.0));
                }
                // Rising away from a target below (less is better), or falling away from one above.
                let comparator = |strict: bool| match (up, strict) {
                    (true, true) => "<",
                    (true, false) => "<=",
                    (false, true) => ">",
                    (false, false) => ">=",
                };
                let target = target.map(|(gap, strict, year)| {
                    let spec = super::target(comparator(strict), f64::from(start - sign * gap) / 10.0, f64::from(year));
                    spec.unwrap()
                });
                let direction = if up { Direction::Decrease } else { Direction::Increase };
                let (low, high) = (f64::from(start.min(value)) / 10.0, f64::from(start.max(value)) / 10.0);
                let extra = f64::from(limit_gap) / 10.0;
                let limit = match limit_kind {
                    0 => None,
                    1 => Some(high + extra),
                    2 => Some(high),
                    3 => Some(low - extra),
                    _ => Some(low),
                };
                (series, target, direction, limit)
            })
    }

    proptest! {
        /// The status never contradicts the target line: achieved exactly when the latest value meets the target
        /// (by Open SDG's own rule for its method); and a series that started on the right side of its target and
        /// ends on the wrong side is never on track or achieved, for every method.
        #[test]
        fn the_status_agrees_with_the_target_line(
            series in series(),
            comparator in comparator(),
            target_value in 1u32..2000,
            year in 2020u32..2030,
        ) {
            let spec = target(comparator, f64::from(target_value) / 10.0, f64::from(year)).unwrap();
            let t = trajectory(&series, Some(spec));
            let (base, latest) = (series[0].1, series[series.len() - 1].1);
            for method in Method::ALL {
                let got = assess(method, &t);
                let met = if method == Method::OpenSdg { open_sdg_met(latest, &spec, base) } else { target_met(latest, &spec) };
                prop_assert_eq!(got.status == Status::Achieved, met, "{:?}: {}", method, got.explanation);
                if !met && target_met(base, &spec) {
                    prop_assert!(!matches!(got.status, Status::OnTrack | Status::Achieved), "{:?}: {}", method, got.explanation);
                }
                if !met && method != Method::OpenSdg && series[series.len() - 1].0 >= spec.year {
                    prop_assert_eq!(got.status, Status::OffTrack, "{:?}: {}", method, got.explanation);
                }
            }
        }

        /// Round 4's J2: with a plan's baseline that is not a data point, a latest value further from a `>`/`>=`
        /// target than the baseline is never on track under Eurostat, ESCAP or UNSD, whatever the values between
        /// (ESCAP used to fit its trend to the data after the baseline only: 72, then 20 and 56, was "on track").
        /// Open SDG takes its base from the series (sdg-build) and is left out.
        #[test]
        fn a_value_further_from_the_target_than_the_baseline_is_never_on_track(
            baseline in 500i32..800,
            between in prop::collection::vec(0i32..1000, 0..4),
            drop in 1i32..400,
            gap in 1i32..200,
        ) {
            let latest = baseline - drop;
            let mut series: Vec<(f64, f64)> =
                between.iter().enumerate().map(|(i, v)| (2021.0 + i as f64, f64::from(*v) / 10.0)).collect();
            series.push((2021.0 + between.len() as f64, f64::from(latest) / 10.0));
            let spec = target(">=", f64::from(baseline + gap) / 10.0, 2030.0);
            let t = Trajectory { base: Some((2020.0, f64::from(baseline) / 10.0)), ..trajectory(&series, spec) };
            for method in [Method::Eurostat, Method::Escap, Method::Unsd] {
                let got = assess(method, &t);
                prop_assert!(got.status != Status::OnTrack, "{:?}: {}", method, got.explanation);
            }
        }

        /// F4, F6: a series moving away from its target (or, without one, from its desired direction) is off track
        /// (or cannot be assessed: ESCAP without a target, Open SDG across zero), never on track, achieved or
        /// needing acceleration, for every method, values of either sign, with or without a natural limit on
        /// either side of the values.
        #[test]
        fn a_series_moving_away_is_never_on_track((series, target, direction, limit) in moving_away()) {
            let (latest, spec) = (series[series.len() - 1].1, target);
            // UNSD counts within one point of a 0 % or 100 % target as achieved (on track here): its own rule, for
            // percentages (taken here as the series with a natural limit of 100).
            let t = Trajectory { direction, limit, percentage: limit == Some(100.0), ..trajectory(&series, target) };
            let unsd_near = t.percentage
                && spec.is_some_and(|s| (s.value == 0.0 || s.value == 100.0) && (latest - s.value).abs() <= 1.0);
            for method in Method::ALL {
                if method == Method::Unsd && unsd_near {
                    continue;
                }
                let got = assess(method, &t);
                prop_assert!(matches!(got.status, Status::OffTrack | Status::InsufficientData), "{:?} {:?}: {}", method, got.status, got.explanation);
            }
        }

        /// F7: whatever the value and the marks, the figure shown stands on the same side of 0 and of every mark as
        /// the value, and has only the decimals asked for when those already do.
        #[test]
        fn a_figure_stands_where_its_value_stands(
            millionths in -3_000_000i64..3_000_000,
            decimals in 0u8..4,
            marks in prop::collection::vec(-300i32..300, 0..4),
        ) {
            let value = millionths as f64 / 1e6;
            let marks: Vec<f64> = marks.into_iter().map(|m| f64::from(m) / 100.0).collect();
            let text = figure(value, decimals, &marks);
            let shown: f64 = text.parse().unwrap();
            for mark in marks.iter().chain([&0.0]) {
                prop_assert_eq!(shown.partial_cmp(mark), value.partial_cmp(mark), "{} as {} against {}", value, text, mark);
            }
            let plain = crate::eval::exact::fixed(value, decimals);
            let plain_value: f64 = plain.parse().unwrap();
            if marks.iter().chain([&0.0]).all(|m| plain_value.partial_cmp(m) == value.partial_cmp(m)) {
                prop_assert_eq!(text, plain);
            }
        }
    }
}

/// A verdict's explanation names no year for a value the series holds at its last year: that value may be a total
/// over years (a 2021-2025 total of 686 was called "the value of 2025 (686)"; round 47, found by a review helper).
#[test]
fn an_explanation_names_the_latest_value_without_a_year_it_may_not_be_of() {
    let series = [(2025.0, 686.0)];
    let t = Trajectory { direction: Direction::Decrease, ..trajectory(&series, target("<=", 100.0, 2025.0)) };
    // Open SDG's own measure needs two years and says so.
    for method in Method::ALL.into_iter().filter(|&m| m != Method::OpenSdg) {
        let assessment = assess(method, &t);
        assert_eq!(assessment.status, Status::OffTrack, "{method:?}");
        assert!(assessment.explanation.contains("the latest value (686)"), "{method:?}: {}", assessment.explanation);
        assert!(!assessment.explanation.contains("value of 2025"), "{method:?}: {}", assessment.explanation);
    }
}

/// UNSD's "within one point of a 0 % or 100 % target" is for percentages: a count flat at 0 for three years against
/// `> 0` needs acceleration, as a flat series from a strict target's boundary does under every method (round 69,
/// found by an adversarial tester: "on track"); a percentage within a point of 100 keeps UNSD's reading.
#[test]
fn unsd_reads_one_point_off_0_or_100_as_on_track_for_percentages_only() {
    let series = [(2021.0, 0.0), (2022.0, 0.0), (2023.0, 0.0)];
    let count = Trajectory { base: Some((2020.0, 0.0)), ..trajectory(&series, target(">", 0.0, 2025.0)) };
    assert_eq!(
        assess(Method::Unsd, &count).status,
        Status::NeedsAcceleration,
        "{}",
        assess(Method::Unsd, &count).explanation
    );
    // A count of 99 flat against `>= 100`, with a natural limit of 100, is no percentage either.
    let flat = [(2021.0, 99.0), (2022.0, 99.0), (2023.0, 99.0)];
    let count = Trajectory { limit: Some(100.0), ..trajectory(&flat, target(">=", 100.0, 2025.0)) };
    assert_eq!(assess(Method::Unsd, &count).status, Status::OffTrack, "{}", assess(Method::Unsd, &count).explanation);
    let series = [(2021.0, 97.0), (2022.0, 98.5), (2023.0, 99.2)];
    let share = Trajectory { limit: Some(100.0), percentage: true, ..trajectory(&series, target(">=", 100.0, 2025.0)) };
    assert_eq!(assess(Method::Unsd, &share).status, Status::OnTrack);
}
