//! What a review as of a date may know: a row whose own `submitted` date is after `--as-of` had not arrived, so it is
//! left out of the evaluation and of completeness, with a warning that counts and names it (adversarial review
//! round 6, L8; methodology section 1, "Known on the as-of date"). A figure that adds up over its period citing a
//! source dated before that period ended cannot be the period's total: it is provisional, with a warning (W307).

use std::path::Path;
use std::process::Command;

#[path = "support/project.rs"]
mod support;

const PROJECT: &str = "tests/fixtures/periods";

/// The periods project with a quarterly national data set of `cases` and a synthetic source `syn`, and `rows` (after
/// the header, which has a `submitted` column) as its data file.
fn project(rows: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalogue = std::fs::read_to_string(Path::new(PROJECT).join("catalogue.toml")).expect("catalogue");
    let extra = "\n[[data_set]]\nid = \"nat-q\"\nname = { vi = \"Báo cáo quý\", en = \"Quarterly report\" }\n\
                 elements = [\"cases\"]\nperiod_type = \"quarter\"\norg_unit_level = \"country\"\ntimely_days = 15\n\n\
                 [[source]]\nid = \"syn\"\nkind = \"synthetic\"\ntitle = { vi = \"Giả lập\", en = \"Synthetic\" }\n\n\
                 [[source]]\nid = \"mid-2023\"\ndate = 2023-06-30\ntitle = { vi = \"Báo cáo sơ kết\", en = \"Mid-year report\" }\n\n\
                 [[source]]\nid = \"syn-mid-2023\"\nkind = \"synthetic\"\ndate = 2023-06-30\n\
                 title = { vi = \"Giả lập\", en = \"Synthetic\" }\n\n\
                 [[indicator]]\nid = \"tier\"\ncode = \"T9\"\nname = { vi = \"Xếp hạng\", en = \"Tier\" }\n\
                 group = \"wa\"\nmeasure = \"ordinal\"\ndirection = \"increase\"\nsource = \"src\"\n";
    std::fs::write(dir.path().join("catalogue.toml"), catalogue + extra).expect("write catalogue");
    std::fs::copy(Path::new(PROJECT).join("tiendo.toml"), dir.path().join("tiendo.toml")).expect("copy tiendo.toml");
    std::fs::write(dir.path().join("data.csv"), format!("data_element,org_unit,period,value,source,submitted\n{rows}"))
        .expect("write data");
    dir
}

/// `tiendo eval PROJECT --as-of AS_OF --org-unit vn --format json`: the JSON and stderr.
fn eval(project: &Path, as_of: &str) -> (serde_json::Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["eval", "--as-of", as_of, "--org-unit", "vn", "--format", "json"])
        .arg(project)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let json = serde_json::from_slice(&output.stdout).expect("JSON");
    (json, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The national series of C1 as (period, value) pairs.
fn cases(json: &serde_json::Value) -> Vec<(String, f64)> {
    series(json, "cases-count").filter_map(|p| Some((p["period"].as_str()?.to_owned(), p["value"].as_f64()?))).collect()
}

/// The national series of `indicator`'s points.
fn series<'a>(json: &'a serde_json::Value, indicator: &'a str) -> impl Iterator<Item = &'a serde_json::Value> {
    json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .filter(move |r| r["indicator"] == indicator && r["org_unit"] == "vn")
        .flat_map(|r| r["series"].as_array().expect("series").iter())
}

/// Whether `indicator`'s national point of `period` is marked provisional (`None`: no such point).
fn provisional(json: &serde_json::Value, indicator: &str, period: &str) -> Option<bool> {
    series(json, indicator).find(|p| p["period"] == period)?["provisional"].as_bool()
}

/// A period's reports: (period, expected, received).
type PeriodReports = (String, u64, u64);

/// The data set's (expected, received) and each period's reports.
fn completeness(json: &serde_json::Value) -> ((u64, u64), Vec<PeriodReports>) {
    let set = &json["completeness"][0];
    let periods = set["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| {
            (
                p["period"].as_str().expect("period").to_owned(),
                p["expected"].as_u64().unwrap(),
                p["received"].as_u64().unwrap(),
            )
        })
        .collect();
    ((set["expected"].as_u64().unwrap(), set["received"].as_u64().unwrap()), periods)
}

const QUARTERS: &str = "cases,vn,2023Q1,10,src,2023-04-10\ncases,vn,2023Q2,10,src,2023-07-10\n\
                        cases,vn,2023Q3,10,src,2023-10-10\n";

#[test]
fn a_row_submitted_after_the_as_of_date_is_left_out_and_its_report_not_received() {
    let dir = project(&format!("{QUARTERS}cases,vn,2023Q4,470,src,2024-03-01\ncases,vn,2022,100,src,2023-01-10\n"));
    let (json, stderr) = eval(dir.path(), "2024-01-15");
    assert!(
        stderr.contains(
            "data.csv:5:1: warning[W305 submitted-after-as-of]: 1 observation was submitted after the as-of date \
             2024-01-15 (data.csv:5 on 2024-03-01): left out of the evaluation and of completeness"
        ),
        "{stderr}"
    );
    // The 470 is nowhere: no 2023Q4, no 2023S2, and no year of 500 (2023 has three quarters only: no value).
    let series = cases(&json);
    assert!(series.iter().all(|(period, _)| !["2023Q4", "2023S2", "2023"].contains(&period.as_str())), "{series:?}");
    assert!(series.iter().all(|&(_, value)| value < 470.0), "{series:?}");
    // Completeness: 2023Q4 was due and its report had not arrived: 3 of 4.
    let (total, periods) = completeness(&json);
    assert_eq!(total, (4, 3), "{periods:?}");
    assert_eq!(periods.last(), Some(&("2023Q4".to_owned(), 1, 0)));
    // A day later than its submission, the same row is known: 2023 is 500 and 4 of 4 reports arrived.
    let (json, stderr) = eval(dir.path(), "2024-03-01");
    assert!(!stderr.contains("W305"), "{stderr}");
    assert!(cases(&json).contains(&("2023".to_owned(), 500.0)), "{:?}", cases(&json));
    assert_eq!(completeness(&json).0, (4, 4));
}

#[test]
fn late_rows_are_counted_and_the_first_five_named_in_file_order() {
    let mut rows = String::from(QUARTERS);
    for (unit, value) in [("prov-a", 1), ("prov-b", 2), ("prov-c", 3)] {
        for quarter in 1..=3 {
            rows.push_str(&format!("cases,{unit},2023Q{quarter},{value},src,2024-02-0{quarter}\n"));
        }
    }
    let dir = project(&rows);
    let (json, stderr) = eval(dir.path(), "2024-01-15");
    assert!(
        stderr.contains(
            "data.csv:5:1: warning[W305 submitted-after-as-of]: 9 observations were submitted after the as-of date \
             2024-01-15 (data.csv:5 on 2024-02-01, data.csv:6 on 2024-02-02, data.csv:7 on 2024-02-03, data.csv:8 \
             on 2024-02-01, data.csv:9 on 2024-02-02, and 4 more)"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("W305").count(), 1, "{stderr}");
    // The national series is the nation's own reports only.
    assert!(cases(&json).contains(&("2023Q1".to_owned(), 10.0)), "{:?}", cases(&json));
}

#[test]
fn a_synthetic_row_keeps_its_generated_submission_date_out_of_what_was_known() {
    // As with W303, a synthetic source's dates are made with its figures, not days on which anything arrived.
    let dir = project("cases,vn,2023Q1,10,syn,2023-04-10\ncases,vn,2023Q2,10,syn,2024-02-01\n");
    let (json, stderr) = eval(dir.path(), "2024-01-15");
    assert!(!stderr.contains("W305"), "{stderr}");
    assert!(cases(&json).contains(&("2023Q2".to_owned(), 10.0)), "{:?}", cases(&json));
    // Both reports were received; the third and fourth quarters, ended by the as-of date and never sent, are due.
    assert_eq!(completeness(&json).0, (4, 2));
}

#[test]
fn a_row_submitted_on_the_as_of_date_is_known() {
    let dir = project(&format!("{QUARTERS}cases,vn,2023Q4,470,src,2024-01-15\n"));
    let (json, stderr) = eval(dir.path(), "2024-01-15");
    assert!(!stderr.contains("W305"), "{stderr}");
    assert!(cases(&json).contains(&("2023".to_owned(), 500.0)), "{:?}", cases(&json));
}

#[test]
fn a_count_citing_a_source_dated_before_its_period_ended_is_provisional_and_named() {
    // A report of 30 June 2023 cannot hold 2023's cases; its first quarter, ended by then, it can.
    let dir = project("cases,vn,2023,40,mid-2023,\ncases,vn,2023Q1,10,mid-2023,\ncases,vn,2022,35,src,\n");
    let (json, stderr) = eval(dir.path(), "2024-01-15");
    assert!(
        stderr.contains(
            "data.csv:2:1: warning[W307 source-before-period-end]: 1 observation cites a source dated before the end \
             of its period (data.csv:2, 2023 in `mid-2023`): treated as provisional, not as final"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("W307").count(), 1, "{stderr}");
    assert_eq!(provisional(&json, "cases-count", "2023"), Some(true), "{json}");
    assert_eq!(provisional(&json, "cases-count", "2023Q1"), Some(false), "{json}");
    assert_eq!(provisional(&json, "cases-count", "2022"), Some(false), "{json}");
    // The value itself is kept: 40, not dropped and not altered.
    assert!(cases(&json).contains(&("2023".to_owned(), 40.0)), "{:?}", cases(&json));
}

#[test]
fn a_rank_read_on_its_report_day_and_a_synthetic_source_are_not_early() {
    // A tier is the latest reading over its period, labelled by its report's year (a TIP tier), and a synthetic
    // source's date is the day its figures were generated: neither is a period's total published too soon.
    let dir = project("tier,vn,2023,2,mid-2023,\ncases,vn,2023,40,syn-mid-2023,\n");
    let (json, stderr) = eval(dir.path(), "2024-01-15");
    assert!(!stderr.contains("W307"), "{stderr}");
    assert_eq!(provisional(&json, "tier", "2023"), Some(false), "{json}");
    assert_eq!(provisional(&json, "cases-count", "2023"), Some(false), "{json}");
}

#[test]
fn a_row_both_submitted_and_cited_too_early_is_named_once_by_its_own_date() {
    let dir = project("cases,vn,2023,40,mid-2023,2023-07-01\n");
    let (json, stderr) = eval(dir.path(), "2024-01-15");
    assert!(stderr.contains("W306") && !stderr.contains("W307"), "{stderr}");
    assert_eq!(provisional(&json, "cases-count", "2023"), Some(true), "{json}");
}

/// A plan's baseline citing a source dated after `--as-of` could not be known that day: it is not used (W308 names
/// it), as a later target is not. Round 65 (found by a review helper): the 2020 baseline of 60 from a report of May
/// 2026 made 104 in 2024 "off track" on 1 June 2025 (the base met `<= 100`, the latest no longer does) where without
/// it the trend is on track, and `report` stopped because the review cited a source its bibliography left out.
#[test]
fn a_baseline_from_a_later_source_is_not_used() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/baseline-after-as-of");
    let run = |args: &[&str]| support::run_in(&project, args);
    let (code, stdout, stderr) = run(&["eval", "--as-of", "2025-06-01", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let expected = "warning[W308 baseline-after-as-of]: 1 baseline(s) cite a source dated after the as-of date \
                    2025-06-01: not used, as if the plan had none: plan c1 2020 (late)";
    assert!(stderr.contains(expected), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["indicators"][0]["status"], "on-track", "{json}");
    let (_, _, stderr) = run(&["eval", "--as-of", "2026-06-01", "--format", "json"]);
    assert!(!stderr.contains("W308"), "{stderr}");
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("review");
    let args = ["report", "--window", "2021..2025", "--as-of", "2025-06-01", "--lang", "en", "--format", "md", "--out"];
    let (code, _, stderr) = run(&[&args[..], &[out_dir.to_str().unwrap()]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("W308"), "{stderr}");
    let review = std::fs::read_to_string(out_dir.join("review.md")).expect("the review");
    assert!(!review.contains("Late report"), "{review}");
}

/// A plan's target citing a source dated after `--as-of` is not used either (W309), and `report` writes the review
/// rather than stopping on a citation its bibliography leaves out (round 65, found by a verifier).
#[test]
fn a_target_from_a_later_source_is_not_used_and_the_review_is_written() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/target-after-as-of");
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("review");
    let args = ["report", "--window", "2021..2025", "--as-of", "2025-06-01", "--lang", "en", "--format", "md", "--out"];
    let (code, _, stderr) = support::run_in(&project, &[&args[..], &[out_dir.to_str().unwrap()]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "warning[W309 target-after-as-of]: 1 target(s) cite a source dated after the as-of date 2025-06-01: not \
             used, as if the plan had none: plan c1 2025 (late)"
        ),
        "{stderr}"
    );
    assert!(out_dir.join("review.md").is_file());
}
