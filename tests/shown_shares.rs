//! A percentage that is not exactly 0 or 100 never reads as 0 or 100 in any output (99.96 %, never "100.0 %"; 0.04 %,
//! never "0.0 %"), and the change of a percentage on the same period last year is in percentage points, never a
//! percent of a percent (issue 10, P6 and P3). Project: `tests/fixtures/shown-shares` (a resolution rate of 90 % then
//! 99.96 %, with its breakdown by sex, and a pending rate of 4 % then 0.04 %).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shown-shares")
}

fn tiendo(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo")).args(args).env("NO_COLOR", "1").output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tiendo {args:?} failed: {stderr}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn eval(format: &str) -> String {
    let project = project();
    tiendo(&["eval", project.to_str().unwrap(), "--org-unit", "vn", "--as-of", "2024-01-15", "--format", format])
}

/// No figure reads as 100 or 0 with decimals (`100.0`, `100,00`, `0.0`, `0,000`...) when none of the values is
/// exactly there.
fn assert_no_bound(what: &str, text: &str) {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices(['.', ',']) {
        let before = &text[..at];
        let digits: String = before.chars().rev().take_while(char::is_ascii_digit).collect();
        let whole: String = digits.chars().rev().collect();
        let after: String = text[at + 1..].chars().take_while(char::is_ascii_digit).collect();
        let lead = before.len().checked_sub(whole.len() + 1).map(|i| bytes[i]);
        let starts_number = !matches!(lead, Some(b'.' | b',')) && !lead.is_some_and(|b| b.is_ascii_digit());
        if starts_number && !after.is_empty() && after.chars().all(|c| c == '0') && (whole == "100" || whole == "0") {
            let context = &text[at.saturating_sub(60)..(at + 20).min(text.len())];
            panic!("{what} shows {whole}.{after} near: {context}");
        }
    }
}

#[test]
fn eval_outputs_show_99_96_and_0_04_and_changes_in_points() {
    let table = eval("table");
    assert!(table.contains("2023            99.96  [src]  +9.96 pp on 2022"), "{table}");
    assert!(table.contains("2023             0.04  [src]  -3.96 pp on 2022"), "{table}");
    assert!(!table.contains("% on 2022") && !table.contains(", +"), "a relative change of a percentage:\n{table}");
    assert_no_bound("eval table", &table);

    let csv = eval("csv");
    let row = |start: &str| csv.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("{start}:\n{csv}"));
    let t2 = row("resolution-rate,T2,vn,2023,");
    assert!(t2.starts_with("resolution-rate,T2,vn,2023,99.96,value,9996,10000,2022,+9.96,,"), "{t2}");
    assert!(t2.ends_with(",percentage-points,reported,false,,,true"), "{t2}");
    assert!(row("pending-rate,T3,vn,2023,").starts_with("pending-rate,T3,vn,2023,0.04,value,4,10000,2022,-3.96,,"));
    assert_no_bound("eval CSV", &csv);

    let json: Value = serde_json::from_str(&eval("json")).expect("JSON");
    for result in json["indicators"].as_array().expect("indicators") {
        let last = &result["series"][1];
        assert_eq!(last["decimals"], 2, "{result}");
        assert_eq!(last["change"]["kind"], "percentage-points", "{result}");
        assert_eq!(last["change"]["percent"], Value::Null, "{result}");
        for breakdown in result["breakdowns"].as_array().into_iter().flatten() {
            assert_eq!(breakdown["series"][1]["decimals"], 2, "{breakdown}");
        }
    }
}

#[test]
fn review_outputs_show_99_96_and_0_04_in_both_languages() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let folder = out.path().join("review");
    let project = project();
    tiendo(&[
        "report",
        project.to_str().unwrap(),
        "--window",
        "2021..2023",
        "--as-of",
        "2024-01-15",
        "--lang",
        "en,vi",
        "--format",
        "html,md,json",
        "--quiet",
        "--out",
        folder.to_str().unwrap(),
    ]);
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let en = read("en/review.md");
    let vi = read("vi/review.md");
    assert!(en.contains("| 99.96% (2023) [1] |") && en.contains("| 0.04 (2023) [1] |"), "{en}");
    assert!(vi.contains("| 99,96% (năm 2023) [1] |") && vi.contains("| 0,04 (năm 2023) [1] |"), "{vi}");
    // The breakdown by sex: each option 99.96 as well.
    assert!(en.contains("| 2023 | 99.96 | 99.96 | 99.96 | [1] |"), "{en}");
    for lang in ["en", "vi"] {
        for name in ["review.md", "review.html"] {
            assert_no_bound(&format!("{lang}/{name}"), &read(&format!("{lang}/{name}")));
        }
        let json: Value = serde_json::from_str(&read(&format!("{lang}/review.json"))).expect("review JSON");
        let text = json.to_string();
        assert!(text.contains(r#""unit":"percentage-points""#), "{lang}: a change without its unit");
        assert!(!text.contains(r#""unit":"relative""#), "{lang}: a relative change of a percentage");
        for chart in std::fs::read_dir(folder.join(lang).join("charts")).expect("charts") {
            let path = chart.expect("an entry").path();
            let svg = std::fs::read_to_string(&path).expect("an SVG");
            // Axis ticks are the chart's scale, not values; the values and the text description are checked.
            let labels: String = svg.split("<text").filter(|t| !t.contains("tick")).collect();
            assert!(!svg.contains(">100.0<") && !svg.contains(">100,0<"), "{}", path.display());
            assert!(
                labels.contains("99.96")
                    || labels.contains("99,96")
                    || labels.contains("0.04")
                    || labels.contains("0,04")
            );
        }
    }
}

/// Percentages a hair from 100 and from 0 (99.99999 and 0.00001, `tests/fixtures/shown-shares-bound`) are written
/// as bounds wherever a value is: eval's series and target lines, the review's tables, the charts' point labels and
/// their text descriptions, in both languages; never "100.0000" or "0.0000" (the target line and the charts wrote
/// them, round 40).
#[test]
fn values_a_hair_from_100_and_0_are_bounds_in_every_output() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shown-shares-bound");
    let project = project.to_str().unwrap();
    let table = tiendo(&["eval", project, "--org-unit", "vn", "--as-of", "2025-01-20"]);
    assert!(table.contains("(plan-test): > 99.9999 in 2023 [src] - met"), "{table}");
    assert!(table.contains("(plan-test): < 0.0001 in 2023 [src] - met"), "{table}");
    assert_no_bound("eval table", &table);
    let out = tempfile::tempdir().expect("a temporary folder");
    let folder = out.path().join("review");
    tiendo(&[
        "report",
        project,
        "--window",
        "2021..2024",
        "--as-of",
        "2025-01-20",
        "--lang",
        "en,vi",
        "--quiet",
        "--out",
        folder.to_str().unwrap(),
    ]);
    for (lang, above, below) in [("en", "&gt; 99.9999", "&lt; 0.0001"), ("vi", "&gt; 99,9999", "&lt; 0,0001")] {
        for name in ["review.md", "review.html"] {
            let text = std::fs::read_to_string(folder.join(lang).join(name)).expect("a review");
            assert_no_bound(&format!("{lang}/{name}"), &text);
        }
        for (chart, bound) in [("indicator-resolution-rate.svg", above), ("indicator-pending-rate.svg", below)] {
            let svg = std::fs::read_to_string(folder.join(lang).join("charts").join(chart)).expect("a chart");
            assert_no_bound(&format!("{lang}/{chart}"), &svg);
            // The point label and the text description both give the bound.
            assert!(svg.matches(bound).count() >= 2, "{lang}/{chart}: {svg}");
        }
    }
}
