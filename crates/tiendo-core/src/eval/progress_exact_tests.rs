//! Worked cases and properties of exact (`=`) targets under Eurostat, ESCAP and UNSD (`progress_exact.rs`): judged
//! on the distance to the target, so that a series that overshoots and carries on is never on track.

use super::tests::{close, target, trajectory};
use super::*;

/// H3: an exact target is judged on the distance to it. (series, expected status for Eurostat, ESCAP, UNSD, and a
/// phrase of every explanation); `= 50` due in 2025, the base the first point.
#[test]
fn an_exact_target_is_judged_on_the_distance_to_it() {
    use Status::{NeedsAcceleration as N, OffTrack as X, OnTrack as O};
    type Case = (&'static [(f64, f64)], [Status; 3], &'static str);
    let cases: [Case; 9] = [
        // e1: 40, 45, then 60: past the target and 10 from it after 5: leaving it.
        (&[(2021.0, 40.0), (2022.0, 45.0), (2023.0, 60.0)], [X; 3], "moves away from it, from 45 (2022) to 60 (2023)"),
        // e2: from 10 above to 10 below, no baseline: no distance closed (Eurostat's flat band, the others' 0).
        (&[(2022.0, 60.0), (2023.0, 40.0)], [N, X, X], "the latest, 40 (2023), as 60"),
        // Reached exactly, then left.
        (&[(2021.0, 40.0), (2022.0, 50.0), (2023.0, 49.0)], [X; 3], "from 50 (2022) to 49 (2023), 0 to 1 from it"),
        // Oscillating across it, further each year, ending on either side.
        (&[(2020.0, 48.0), (2021.0, 53.0), (2022.0, 44.0), (2023.0, 57.0)], [X; 3], "moves away"),
        (&[(2020.0, 48.0), (2021.0, 53.0), (2022.0, 44.0)], [X; 3], "moves away"),
        // Approaching from below and, the mirror image, from above: on track.
        (&[(2021.0, 40.0), (2023.0, 46.0)], [O; 3], ""),
        (&[(2021.0, 60.0), (2023.0, 54.0)], [O; 3], ""),
        // Passed it and coming back: 4 from it after 10, read as 46 from a base of 40.
        (&[(2021.0, 40.0), (2022.0, 60.0), (2023.0, 54.0)], [O; 3], "the latest, 54 (2023), as 46"),
        // Moving away without reaching it: the methods' own negative ratios, as for ">=" and "<=".
        (&[(2021.0, 40.0), (2023.0, 35.0)], [X; 3], ""),
    ];
    for (series, expected, phrase) in cases {
        let t = trajectory(series, target("=", 50.0, 2025.0));
        for (method, status) in [Method::Eurostat, Method::Escap, Method::Unsd].into_iter().zip(expected) {
            let got = assess(method, &t);
            assert_eq!(got.status, status, "{method:?} {series:?}: {}", got.explanation);
            assert!(got.explanation.contains(phrase), "{method:?} {series:?}: {}", got.explanation);
        }
    }
}

/// H3's e1 as it was shown: the explanations claimed the trend reached 400 % and 500 % of the way to `= 50` while it
/// moved away from it; the numbers past the target are no longer read as progress toward it.
#[test]
fn an_overshot_exact_target_is_not_progress_in_any_explanation() {
    let series = [(2021.0, 40.0), (2022.0, 45.0), (2023.0, 60.0)];
    let t = trajectory(&series, target("=", 50.0, 2025.0));
    for method in [Method::Eurostat, Method::Escap, Method::Unsd] {
        let got = assess(method, &t);
        assert_eq!(got.score, None, "{method:?}: {:?}", got.score);
        assert!(!got.explanation.contains('%'), "{method:?}: {}", got.explanation);
        assert!(got.explanation.contains("overshooting is no better than falling short"), "{}", got.explanation);
    }
    // Crossed and coming back: the details give the distances, and UNSD projects the distance read on the base's side.
    let series = [(2021.0, 40.0), (2022.0, 60.0), (2023.0, 54.0)];
    let got = unsd(&trajectory(&series, target("=", 50.0, 2025.0)));
    let detail = |name: &str| got.details.iter().find(|(n, _)| n == name).unwrap().1;
    assert!(close(detail("distance_base"), 10.0) && close(detail("distance_latest"), 4.0), "{:?}", got.details);
    let growth = (46.0f64 / 40.0).sqrt();
    assert!(close(detail("expected_value"), 46.0 * growth * growth), "{:?}", got.details);
    assert!(got.explanation.starts_with("exact target = 50, judged on the distance to it"), "{}", got.explanation);
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// An exact target (whole tenths, 10 to 200), a yearly series from 2018 of 2 to 6 values at the given offsets
    /// from it (in tenths), due after the latest year.
    fn exact_case(value: i32, offsets: &[i32], year: u32) -> (Vec<(f64, f64)>, TargetSpec) {
        let series = offsets
            .iter()
            .enumerate()
            .map(|(i, offset)| (2018.0 + i as f64, f64::from(value + offset) / 10.0))
            .collect();
        (series, super::target("=", f64::from(value) / 10.0, f64::from(year)).unwrap())
    }

    /// A series around an exact target (within 30 either side, so that series cross it) and a direction.
    fn around_an_exact_target() -> impl Strategy<Value = (Vec<(f64, f64)>, TargetSpec, Direction)> {
        (100i32..2000, prop::collection::vec(-300i32..300, 2..7), 2024u32..2031, any::<bool>()).prop_map(
            |(value, offsets, year, up)| {
                let (series, spec) = exact_case(value, &offsets, year);
                (series, spec, if up { Direction::Increase } else { Direction::Decrease })
            },
        )
    }

    /// A series whose distance to an exact target grows at every step, each value on either side of it.
    fn ever_further_from_an_exact_target() -> impl Strategy<Value = (Vec<(f64, f64)>, TargetSpec)> {
        (100i32..2000, 1i32..300, prop::collection::vec((1i32..60, any::<bool>()), 1..6), any::<bool>(), 2024u32..2031)
            .prop_map(|(value, start, steps, above, year)| {
                let mut distance = start;
                let mut offsets = vec![if above { start } else { -start }];
                for (step, above) in steps {
                    distance += step;
                    offsets.push(if above { distance } else { -distance });
                }
                exact_case(value, &offsets, year)
            })
    }

    /// A yearly series of (year, value) pairs.
    type Series = Vec<(f64, f64)>;

    /// A series around an exact target and its mirror image about it (every offset negated), with no two values the
    /// same distance from it (a tie read from either side may differ by the last bit of a float).
    fn mirrored_about_an_exact_target() -> impl Strategy<Value = (Series, Series, TargetSpec)> {
        (100i32..2000, prop::collection::vec(-300i32..300, 2..7), 2024u32..2031)
            .prop_filter("distinct distances", |(_, offsets, _)| {
                let mut distances: Vec<i32> = offsets.iter().map(|offset| offset.abs()).collect();
                distances.sort_unstable();
                distances.dedup();
                distances.len() == offsets.len()
            })
            .prop_map(|(value, offsets, year)| {
                let (series, spec) = exact_case(value, &offsets, year);
                let negated: Vec<i32> = offsets.iter().map(|offset| -offset).collect();
                (series, exact_case(value, &negated, year).0, spec)
            })
    }

    /// The methods that judge an exact target on the distance to it (Open SDG follows sdg-build).
    const DISTANCE_METHODS: [Method; 3] = [Method::Eurostat, Method::Escap, Method::Unsd];

    proptest! {
        /// H3: an exact target the series has reached or passed since the base (a value at it or on its far side),
        /// with the latest step moving away from it (|latest - target| > |previous - target|), is off track for every
        /// method but Open SDG: overshooting and carrying on is no progress, whichever side the series ends on.
        #[test]
        fn an_exact_target_reached_and_left_is_off_track((series, spec, direction) in around_an_exact_target()) {
            let n = series.len();
            let (base, previous, latest) = (series[0].1, series[n - 2].1, series[n - 1].1);
            let side = (spec.value - base).signum();
            let reached = series[1..].iter().any(|(_, value)| side * (value - spec.value) >= 0.0);
            let leaving = (latest - spec.value).abs() > (previous - spec.value).abs();
            let t = Trajectory { direction, ..trajectory(&series, Some(spec)) };
            for method in DISTANCE_METHODS {
                let got = assess(method, &t);
                if reached && leaving {
                    prop_assert_eq!(got.status, Status::OffTrack, "{:?} {:?}: {}", method, series, got.explanation);
                }
                // Never a share of the way past 100 % for a value past the target and moving away.
                if leaving && side * (latest - spec.value) > 0.0 {
                    prop_assert!(!got.explanation.contains('%'), "{:?} {:?}: {}", method, series, got.explanation);
                }
            }
        }

        /// H3: a series whose distance to an exact target grows at every step (crossing it or not) is off track for
        /// every method but Open SDG; UNSD's "within one point of a 0 % or 100 % target" is its own rule (on track).
        #[test]
        fn a_series_ever_further_from_an_exact_target_is_off_track((series, spec) in ever_further_from_an_exact_target()) {
            let latest = series[series.len() - 1].1;
            let unsd_near = spec.value == 100.0 && (latest - spec.value).abs() <= 1.0;
            let t = trajectory(&series, Some(spec));
            for method in DISTANCE_METHODS {
                if method == Method::Unsd && unsd_near {
                    continue;
                }
                let got = assess(method, &t);
                prop_assert_eq!(got.status, Status::OffTrack, "{:?} {:?}: {}", method, series, got.explanation);
            }
        }

        /// H3: ESCAP is linear, so under the distance reading an exact target's status is the same from either side:
        /// a series and its mirror image about the target (approaching from above where it approached from below)
        /// get the same status.
        #[test]
        fn escap_reads_an_exact_target_alike_from_either_side((series, mirrored, spec) in mirrored_about_an_exact_target()) {
            let got = escap(&trajectory(&series, Some(spec)));
            let mirror = escap(&trajectory(&mirrored, Some(spec)));
            prop_assert_eq!(got.status, mirror.status, "{:?}: {} | {}", series, got.explanation, mirror.explanation);
        }
    }
}
