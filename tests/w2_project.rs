//! The W2 benchmark project (issue 15, `generate_synthetic w2`, `benches/peers/`) is a realistic project: it checks
//! clean and evaluates what it names without a flood of warnings; and a flood of one warning, where the data does
//! cause one, is printed as one diagnostic with its count and examples.

use std::path::Path;
use std::process::{Command, Output};

/// Writes the W2 project of `rows` observations into `dir`, as `generate_synthetic w2 DIR ROWS` does, with
/// `extra_rows` appended to its data file.
fn write_w2(dir: &Path, rows: usize, extra_rows: &str) {
    let indicators = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators");
    std::fs::create_dir_all(dir.join("catalogue")).expect("catalogue folder");
    std::fs::create_dir_all(dir.join("data")).expect("data folder");
    for (path, text) in tiendo_load::benchmark_project::w2_project_files(rows, &indicators.to_string_lossy()) {
        std::fs::write(dir.join(path), text).expect("write a project file");
    }
    let catalogue = tiendo_load::benchmark_project::w2_catalogue(rows);
    let mut data = Vec::new();
    tiendo_load::observations::write_benchmark_csv(&catalogue, rows, &mut data).expect("write to memory");
    data.extend_from_slice(extra_rows.as_bytes());
    std::fs::write(dir.join("data/w2.csv"), data).expect("write the data file");
}

fn tiendo(args: &[&str], project: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo")).args(args).arg(project).output().expect("the binary runs")
}

fn lines_with<'a>(text: &'a str, code: &str) -> Vec<&'a str> {
    text.lines().filter(|line| line.contains(&format!("[{code} "))).collect()
}

#[test]
fn the_w2_project_checks_clean_and_evaluates_its_own_indicators() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 12 communes x 60 months x 7 elements, the last commune in part.
    write_w2(dir.path(), 5_000, "");
    let check = tiendo(&["check"], dir.path());
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("error["), "{stdout}");

    let eval = tiendo(&["eval", "--as-of", "2026-01-01", "--format", "json"], dir.path());
    let stderr = String::from_utf8_lossy(&eval.stderr);
    assert_eq!(eval.status.code(), Some(0), "{stderr}");
    assert!(lines_with(&stderr, "W330").is_empty(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&eval.stdout).expect("eval JSON");
    let mut indicators: Vec<&str> = json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|result| result["indicator"].as_str().expect("an indicator id"))
        .collect();
    indicators.sort_unstable();
    indicators.dedup();
    let mut expected: Vec<String> =
        tiendo_load::benchmark_project::w2_catalogue(5_000).indicators.into_keys().collect();
    expected.sort_unstable();
    assert_eq!(indicators, expected);
}

#[test]
fn a_flood_of_one_data_row_warning_is_one_diagnostic_with_its_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Quảng Nam, one of the 63 provinces, ended on 30 June 2025: 6 months x 7 elements = 42 warnings (E320).
    let mut extra = String::new();
    for month in 7..=12 {
        for element in tiendo_core::eval::synthetic::ELEMENTS {
            extra.push_str(&format!("{element},quang-nam,2025-{month:02},5,synthetic-generator,final,\n"));
        }
    }
    write_w2(dir.path(), 840, &extra);
    let check = tiendo(&["check"], dir.path());
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "warnings only: {stdout}");
    let folded = lines_with(&stdout, "E320");
    assert_eq!(folded.len(), 1, "{stdout}");
    // The first of them in place (row 842: the header, 840 rows, then the first extra row), with the count.
    assert!(
        folded[0].starts_with(
            "data/w2.csv:842:2: warning[E320 org-unit-not-valid]: 42 warnings of this kind, the first: `quang-nam` \
             did not exist during 2025-07"
        ),
        "{stdout}"
    );
    // The examples each say something new: the next months, not the same month's other elements.
    assert!(
        stdout.contains(
            "  = hint: 41 more of them, for example: `quang-nam` did not exist during 2025-08; `quang-nam` did not \
             exist during 2025-09\n"
        ),
        "{stdout}"
    );
    // The closing line and the JSON count every one.
    assert!(stdout.ends_with("0 errors, 42 warnings\n"), "{stdout}");
    let json = tiendo(&["check", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("check JSON");
    let count = json["diagnostics"].as_array().expect("diagnostics").iter().filter(|d| d["code"] == "E320").count();
    assert_eq!(count, 42);
}

#[test]
fn a_flood_of_one_evaluation_warning_is_one_diagnostic_with_its_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_w2(dir.path(), 5_000, "");
    // A ratio whose denominator no commune reports: each of the 12 communes reports the numerator alone (W330).
    let mut monitoring = std::fs::read_to_string(dir.path().join("catalogue/w2.toml")).expect("w2.toml");
    monitoring.push_str(
        "\n[[indicator]]\nid = \"x-tried-per-handled\"\ncode = \"X\"\nname = { vi = \"x\", en = \"x\" }\n\
         group = \"detection\"\nmeasure = \"percent\"\nnumerator = \"cases_tried\"\n\
         denominator = \"victims_in_cases_handled\"\ndirection = \"increase\"\nsource = \"synthetic-generator\"\n",
    );
    std::fs::write(dir.path().join("catalogue/w2.toml"), monitoring).expect("write w2.toml");
    let eval = tiendo(&["eval", "--as-of", "2026-01-01", "--format", "json"], dir.path());
    let stderr = String::from_utf8_lossy(&eval.stderr);
    let folded = lines_with(&stderr, "W330");
    assert_eq!(folded.len(), 1, "{stderr}");
    assert!(folded[0].starts_with("warning[W330 unmatched-ratio-part]: 12 warnings of this kind, the first: x-tried-per-handled: cx000000 is left out of the ratio"), "{stderr}");
}
