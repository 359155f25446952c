//! Synthetic and partial values carry their marks into every output, end to end with the real binary (the outside
//! reviewer's round 5, K6-K8): `tiendo eval`'s table and CSV mark a synthetic value and say when the whole project is
//! synthetic; the review's province annex marks a synthetic and a partial province value in its tables, chart and
//! JSON; under `coverage = "flag"` the review shows the partial value a status was decided on as "latest"; the
//! charts' text alternatives name the partial values. Fixtures: `tests/fixtures/marks/` (each `tiendo.toml` says what
//! it exercises).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A project of the marks fixtures.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/marks").join(name)
}

/// `tiendo eval FIXTURE --as-of 2024-01-15` with `extra` arguments: standard output, after checking that it ran.
fn eval(name: &str, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(fixture(name))
        .args(["--as-of", "2024-01-15"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The line of `text` that starts with `start` (after leading spaces).
fn line<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines().find(|l| l.trim_start().starts_with(start)).unwrap_or_else(|| panic!("no line {start:?} in:\n{text}"))
}

/// The table rows of Viet Nam's T2 series, from its heading to the next blank line.
fn national_t2(table: &str) -> &str {
    let start = table.find("T2 Resolution rate - Việt Nam [vn]").expect("the national T2 result");
    let rest = &table[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn eval_table_marks_a_synthetic_value_in_a_real_series_and_explains_the_mark() {
    let table = eval("y1", &[]);
    let national = national_t2(&table);
    // (period, whether its row carries the synthetic mark)
    for (period, marked) in [("2021", false), ("2022", false), ("2023", true)] {
        let row = line(national, period);
        assert_eq!(row.contains('†'), marked, "{row}");
    }
    assert!(table.contains("\n† synthetic data, not a real figure\n"), "{table}");
    assert!(!table.contains("SYNTHETIC DATA"), "only part of the project is synthetic:\n{table}");
    insta::assert_snapshot!("eval_table_partly_synthetic", national);
}

#[test]
fn eval_table_of_a_wholly_synthetic_project_says_so_on_its_first_line() {
    let table = eval("y2", &[]);
    let first = table.lines().next().expect("a first line");
    assert!(first.starts_with("SYNTHETIC DATA – NOT REAL FIGURES."), "{first}");
    // The status rests on a synthetic value (allowed only because everything is synthetic): its line is marked.
    let target = line(national_t2(&table), "target 2025");
    assert!(target.contains("99.0 † in 2023"), "{target}");
    insta::assert_snapshot!("eval_table_wholly_synthetic", table);
}

#[test]
fn eval_csv_has_a_synthetic_column_true_exactly_for_synthetic_values() {
    for (name, expected) in [
        ("y1", &[("T2,vn,2021,", "false"), ("T2,vn,2022,", "false"), ("T2,vn,2023,", "true")][..]),
        ("y2", &[("T2,vn,2023,", "true"), ("T2,prov-a,2023,", "true")][..]),
    ] {
        let csv = eval(name, &["--format", "csv"]);
        let header: Vec<&str> = csv.lines().next().expect("a header").split(',').collect();
        assert_eq!(header.last(), Some(&"synthetic"), "{name}: {header:?}");
        // The columns before it keep their places for existing readers.
        assert_eq!(header[18], "failure", "{name}: {header:?}");
        for (key, synthetic) in expected {
            let row = csv.lines().find(|l| l.contains(key)).unwrap_or_else(|| panic!("{name}: no row {key}"));
            assert_eq!(row.split(',').count(), header.len(), "{name}: {row}");
            assert_eq!(row.rsplit(',').next(), Some(*synthetic), "{name}: {row}");
        }
        insta::assert_snapshot!(format!("eval_csv_{name}"), csv);
    }
}
