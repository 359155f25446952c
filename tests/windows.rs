//! A review window (`report --window`, `eval --period`) chooses what the tables show, never what is decided: the
//! status of a target and the change on the same period last year are those the whole programme's review gives, read
//! on the series up to the window's end, and no point outside the window is shown (round 74, cases found by an
//! adversarial tester in round 73). Fixtures: `tests/fixtures/window/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

#[path = "support/targets.rs"]
mod targets_support;
use targets_support::{result, review, row};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/window").join(name)
}

/// A copy of the fixture `name` in a temporary folder, where a review can be written.
fn copy(name: &str) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in ["catalogue.toml", "data.csv", "tiendo.toml"] {
        std::fs::copy(fixture(name).join(file), folder.path().join(file)).expect("fixture copied");
    }
    folder
}

/// The periods of a result's series, in order.
fn periods(result: &Value) -> Vec<&str> {
    result["series"].as_array().expect("series").iter().map(|p| p["period"].as_str().expect("period")).collect()
}

/// The status of the programme's 2025 target (`<= 50`, cases 90, 60 and 70 in 2021-2023) under each method.
fn statuses(result: &Value) -> Vec<(String, String)> {
    let assessments = result["assessments"].as_array().expect("assessments");
    assessments.iter().map(|a| (a["method"].to_string(), a["status"].to_string())).collect()
}

/// The trend of a programme's target is read from the programme's first year whatever year the window starts in:
/// 90 (2021) to 70 (2023) against `<= 50` in 2025 is 0.86 of the required yearly change, "at risk" under Eurostat,
/// for the windows 2021..2023, 2022..2023 and 2023 alike. A window from 2022 read 60 to 70, "off track", and the
/// window 2023 alone "insufficient data" beside three known years (round 73, case 04).
#[test]
fn the_status_does_not_depend_on_where_the_window_starts() {
    let project = fixture("trend-before-window");
    let whole = result(&project, "cases-count", "vn", &["--as-of", "2025-03-15"]);
    assert_eq!(whole["status"], "needs-acceleration", "{whole}");
    for window in ["2021..2023", "2022..2023", "2023"] {
        let windowed = result(&project, "cases-count", "vn", &["--as-of", "2025-03-15", "--period", window]);
        assert_eq!(statuses(&windowed), statuses(&whole), "{window}: {windowed}");
        assert_eq!(windowed["latest"], whole["latest"], "{window}");
    }
    // Only the window's points are shown.
    let one = result(&project, "cases-count", "vn", &["--as-of", "2025-03-15", "--period", "2023"]);
    assert_eq!(periods(&one), ["2023"], "{one}");
    let folder = copy("trend-before-window");
    for window in ["2021..2023", "2022..2023", "2023"] {
        let (en, _) = review(folder.path(), &["--window", window, "--as-of", "2025-03-15", "--force"]);
        assert!(row(&en, "C1").contains("⚠ At risk"), "{window}: {}", row(&en, "C1"));
    }
}

/// A review of one year keeps the change on the same period last year of its periods: Q1 2025's 25 against Q1
/// 2024's 30 is -5 (-16.7 %) in the headline table of `--window 2025` as in that of the whole programme, and in eval's
/// JSON with `--period 2025`, while no 2024 point is shown (round 73, case 05: the one-year review had no headline
/// table at all).
#[test]
fn a_one_year_window_keeps_the_change_on_the_year_before() {
    let project = fixture("one-year");
    let one = result(&project, "cases-count", "vn", &["--as-of", "2026-01-15", "--period", "2025"]);
    assert!(periods(&one).iter().all(|p| p.starts_with("2025")), "{one}");
    let q1 = one["series"].as_array().unwrap().iter().find(|p| p["period"] == "2025Q1").expect("2025Q1");
    assert_eq!((&q1["change"]["previous_period"], &q1["change"]["previous_value"]), (&"2024Q1".into(), &30.0.into()));
    assert_eq!(q1["change"]["absolute"], -5.0, "{q1}");
    let folder = copy("one-year");
    let (en, _) = review(folder.path(), &["--window", "2025", "--as-of", "2026-01-15"]);
    let headline = "| Cases detected | Q1 2025 | 25 | Q1 2024 | 30 | -5 (-16.7%) |";
    assert!(en.contains(headline), "{en}");
    let (whole, _) = review(folder.path(), &["--window", "2021..2025", "--as-of", "2026-01-15", "--force"]);
    assert!(whole.contains(headline), "{whole}");
}

/// A value before the window that the whole programme's review names beside "no data for 2025" is named in a later
/// window too, and the status stays "insufficient data": H1 2023's 72.9 % (43 of 59) beside a 2025 target of `>= 90`
/// read "No data" in the windows 2024..2025 and 2025 (round 74, found by a verifier).
#[test]
fn a_value_before_the_window_is_named_as_the_whole_review_names_it() {
    let folder = copy("half-year-before-window");
    let expected = "| T2 | Resolution rate |  | — | ≥ 90 (2025) [1] | no data for 2025; latest: 72.9 (H1 2023) [1] | — | — | \
                    ? Insufficient data |";
    for window in ["2021..2025", "2024..2025", "2025"] {
        let (en, _) = review(folder.path(), &["--window", window, "--as-of", "2026-01-15", "--force"]);
        assert!(row(&en, "T2").starts_with(expected), "{window}: {}", row(&en, "T2"));
    }
}
