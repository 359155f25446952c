//! An average over time weighs its parts by their days, and when those are not whole months (dekads, date ranges)
//! the weights differ: whole counts then lie far apart on the relation, and a published average beside one published
//! part pinned both hidden parts while the audit said "protected" (round 73, found by an adversarial tester: January's
//! 16.677 = (10 x 40 + 10 x + 11 y) / 31 gave x = 4 and y = 7; a year of 21.448 in parts of 172, 102 and 92 days gave
//! 5 and 5 from the review's JSON). End to end through `tiendo eval --format json` and the review's JSON, with the
//! reader's arithmetic done by enumeration. Fixture: `tests/fixtures/disclosure-average-days/`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A copy of the fixture with `rows` as Province A's and B's reports.
fn project(rows: &[(&str, &str, u32)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-average-days");
    for file in ["tiendo.toml", "catalogue.toml"] {
        std::fs::copy(source.join(file), folder.path().join(file)).expect("fixture copied");
    }
    let mut data = String::from("data_element,org_unit,period,value,source\n");
    for (unit, period, value) in rows {
        data.push_str(&format!("in_care,{unit},{period},{value},rep\n"));
    }
    std::fs::write(folder.path().join("data.csv"), data).unwrap();
    folder
}

fn tiendo(args: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo")).args(args).output().expect("tiendo runs");
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Province A's published values by period (`None` for a hidden one) from `eval --format json`, and the verdict.
fn published(folder: &Path) -> (Vec<(String, Option<f64>)>, Value) {
    let path = folder.to_str().unwrap();
    let output = tiendo(&["eval", path, "--as-of", "2026-01-15", "--format", "json"]);
    let json: Value = serde_json::from_slice(&output.stdout).expect("eval's JSON");
    let result = json["indicators"].as_array().unwrap().iter().find(|r| r["org_unit"] == "prov-a").expect("prov-a");
    let series = result["series"].as_array().unwrap();
    let values = series.iter().map(|p| (p["period"].as_str().unwrap().to_owned(), p["value"].as_f64())).collect();
    (values, json["disclosure"]["verdict"].clone())
}

/// The values of the hidden parts `x` and `y` (primary: 1 to 10) that a reader who knows `total` (the average over
/// `length` days) and the published first part (`known` over `days[0]` days) can find, by enumeration.
fn candidates(total: f64, length: f64, known: f64, days: [f64; 3]) -> (Vec<u32>, Vec<u32>) {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for x in 1..=10u32 {
        for y in 1..=10u32 {
            let average = (known * days[0] + f64::from(x) * days[1] + f64::from(y) * days[2]) / length;
            if (average - total).abs() < 1e-9 {
                xs.push(x);
                ys.push(y);
            }
        }
    }
    xs.sort_unstable();
    xs.dedup();
    ys.sort_unstable();
    ys.dedup();
    (xs, ys)
}

/// Each case: A's rows (the first part published, two small ones), B's row, the period of the average and its days.
#[test]
fn an_average_over_unequal_days_never_pins_its_hidden_parts() {
    type Case = ([(&'static str, u32); 3], &'static str, &'static str, [f64; 3]);
    let cases: [Case; 5] = [
        (
            [("2024-01-01..2024-01-10", 40), ("2024-01-11..2024-01-20", 4), ("2024-01-21..2024-01-31", 7)],
            "2024-01",
            "2024-01",
            [10.0, 10.0, 11.0],
        ),
        (
            [("2024-01-01..2024-01-10", 40), ("2024-01-11..2024-01-20", 6), ("2024-01-21..2024-01-31", 2)],
            "2024-01",
            "2024-01",
            [10.0, 10.0, 11.0],
        ),
        (
            [("2024-01-01..2024-06-20", 40), ("2024-06-21..2024-09-30", 5), ("2024Q4", 5)],
            "2024",
            "2024",
            [172.0, 102.0, 92.0],
        ),
        // Whole months with the quarter's own report, their average by days (DHIS2's reading, not tiendo's): 29 x +
        // 31 y = 362 gave 5 and 7 (round 73, found by a verifier).
        ([("2024-01", 94), ("2024-02", 5), ("2024-03", 7)], "2024Q1", "2024Q1", [31.0, 29.0, 31.0]),
        ([("2024-01", 104), ("2024-02", 8), ("2024-03", 3)], "2024Q1", "2024Q1", [31.0, 29.0, 31.0]),
    ];
    for (parts, b_period, total_period, days) in cases {
        let mut rows: Vec<(&str, &str, u32)> = parts.iter().map(|&(p, v)| ("prov-a", p, v)).collect();
        let length: f64 = days.iter().sum();
        let own_total = parts.iter().zip(days).map(|((_, v), d)| f64::from(*v) * d).sum::<f64>() / length;
        let own_total_row = format!("{own_total}");
        if total_period == "2024Q1" {
            // The quarter is reported by the province itself.
            rows.push(("prov-a", total_period, own_total as u32));
        }
        rows.push(("prov-b", b_period, 52));
        let folder = project(&rows);
        let (values, verdict) = published(folder.path());
        // Protected, or said not to be where no hiding can protect (never "protected" over a pinned count).
        assert!(verdict == "protected" || verdict == "unprotected", "{verdict}: {values:?}");
        let value = |period: &str| values.iter().find(|(p, _)| p == period).unwrap_or_else(|| panic!("{period}")).1;
        let known = value(parts[0].0);
        assert!(known.is_none_or(|v| v == f64::from(parts[0].1)), "{values:?}");
        for (period, _) in &parts[1..] {
            assert_eq!(value(period), None, "{period} is small: {values:?}");
        }
        // Where the average is shown, the reader's arithmetic leaves each hidden part at least 4 values.
        if let (Some(total), Some(known)) = (value(total_period), known) {
            let (xs, ys) = candidates(total, length, known, days);
            assert!(xs.len() >= 4 && ys.len() >= 4, "{total_period} {total}: x in {xs:?}, y in {ys:?}");
        }
        // The review's JSON publishes the same: the province annex never carries the average at full precision
        // beside what pins it.
        let out = folder.path().join("out");
        let path = folder.path().to_str().unwrap();
        let args = ["report", path, "--window", "2021..2025", "--as-of", "2026-01-15", "--lang", "en"];
        tiendo(&[&args[..], &["--format", "json", "--out", out.to_str().unwrap()]].concat());
        let review = std::fs::read_to_string(out.join("review.json")).expect("the review's JSON");
        let (hidden_x, hidden_y) = (parts[1].1, parts[2].1);
        if own_total.fract() != 0.0 {
            let shown = &own_total_row;
            assert!(!review.contains(shown), "the review shows {shown}, which pins {hidden_x} and {hidden_y}");
        }
    }
}
