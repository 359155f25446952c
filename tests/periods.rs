//! A unit's reports for one element over periods that coincide, nest or overlap: one period written two ways is one
//! key (E301), and reports that disagree over time are said so (adversarial review round 5, K5 and K9).

use std::path::Path;
use std::process::Command;

const PROJECT: &str = "tests/fixtures/periods";

/// A copy of the periods project with `rows` (after the header) as its data file.
fn project(rows: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["catalogue.toml", "tiendo.toml"] {
        std::fs::copy(Path::new(PROJECT).join(file), dir.path().join(file)).expect("copy the project");
    }
    std::fs::write(dir.path().join("data.csv"), format!("data_element,org_unit,period,value,source\n{rows}"))
        .expect("write data");
    dir
}

/// `tiendo ARGS PROJECT`: exit code, stdout and stderr.
fn run(args: &[&str], project: &Path) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .arg(project)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_period_written_as_its_date_range_is_the_same_key() {
    for (period, range) in [
        ("2023", "2023-01-01..2023-12-31"),
        ("2023", "2023..2023"),
        ("2023S2", "2023-07-01..2023-12-31"),
        ("2023Q2", "2023-04-01..2023-06-30"),
        ("2023-03", "2023-03-01..2023-03-31"),
        ("2024-02", "2024-02-01..2024-02-29"),
        ("2022Oct", "2022-10-01..2023-09-30"),
    ] {
        let dir = project(&format!("cases,prov-a,{period},5,src\ncases,prov-a,{range},70,src\n"));
        let (code, stdout, _) = run(&["check"], dir.path());
        assert_eq!(code, Some(1), "{period} / {range}: {stdout}");
        assert!(stdout.contains("data.csv:3:1: error[E301 duplicate-observation]"), "{period} / {range}: {stdout}");
        assert!(stdout.contains("as data.csv:2"), "{period} / {range}: {stdout}");
        // eval finds the same repeat, and keeps the first row: the country's total is 5, never 70 or 75.
        let (_, json, stderr) =
            run(&["eval", "--as-of", "2025-01-15", "--format", "json", "--org-unit", "vn"], dir.path());
        assert!(stderr.contains("data.csv:3:1: error[E301 duplicate-observation]"), "{period} / {range}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let values: Vec<f64> = json["indicators"]
            .as_array()
            .expect("indicators")
            .iter()
            .filter(|r| r["indicator"] == "cases-count")
            .flat_map(|r| r["series"].as_array().expect("series").iter())
            .filter(|p| p["period"] == period)
            .map(|p| p["value"].as_f64().expect("a value"))
            .collect();
        assert_eq!(values, [5.0], "{period} / {range}: {json}");
    }
}

#[test]
fn a_range_that_is_no_standard_period_is_its_own_key() {
    // 2 January to 31 December is not the year: two different periods, no repeat.
    let dir = project("cases,prov-a,2023,5,src\ncases,prov-a,2023-01-02..2023-12-31,4,src\n");
    let (_, stdout, _) = run(&["check"], dir.path());
    assert!(!stdout.contains("E301"), "{stdout}");
}

#[test]
fn a_year_beside_quarters_that_add_up_to_another_number_is_a_warning_at_the_year() {
    let dir = project(
        "cases,prov-a,2023,100,src\ncases,prov-a,2023Q1,30,src\ncases,prov-a,2023Q2,30,src\n\
         cases,prov-a,2023Q3,30,src\ncases,prov-a,2023Q4,30,src\ncases,prov-c,2023,50,src\n",
    );
    let (code, _, stderr) = run(&["eval", "--as-of", "2024-01-15"], dir.path());
    assert_eq!(code, Some(0), "a warning: {stderr}");
    assert!(
        stderr.contains(
            "data.csv:2:1: warning[W339 periods-disagree]: cases at prov-a: 2023 is reported as 100, but its parts \
             2023Q1 + 2023Q2 + 2023Q3 + 2023Q4 add up to 120"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("W339").count(), 1, "{stderr}");
    // Quarters that agree with their year: nothing to say.
    let dir = project("cases,prov-a,2023,120,src\ncases,prov-a,2023S1,60,src\ncases,prov-a,2023S2,60,src\n");
    let (_, _, stderr) = run(&["eval", "--as-of", "2024-01-15"], dir.path());
    assert!(!stderr.contains("W339"), "{stderr}");
}

#[test]
fn reports_whose_ranges_overlap_are_a_warning() {
    let dir = project("cases,prov-a,2023-01-01..2023-06-30,5,src\ncases,prov-a,2023-04-01..2023-12-31,7,src\n");
    let (_, _, stderr) = run(&["eval", "--as-of", "2024-01-15"], dir.path());
    assert!(stderr.contains("data.csv:3:1: warning[W340 periods-overlap]: cases at prov-a: the reports for 2023S1 (5) and 2023-04-01..2023-12-31 (7) share days"), "{stderr}");
}

#[test]
fn rows_of_periods_not_ended_by_the_as_of_date_are_counted_not_dropped_without_a_word() {
    let dir = project(
        "cases,prov-a,2022,100,src\ncases,prov-b,2023,40,src\ncases,prov-a,2023Q1,30,src\n\
         cases,prov-a,2023Q2,30,src\ncases,prov-c,2023-04,10,src\ncases,prov-c,2023-05,10,src\n",
    );
    let (_, stdout, stderr) = run(&["eval", "--as-of", "2023-05-15"], dir.path());
    assert!(
        stderr.contains(
            "warning[W304 period-not-ended]: 3 observations are for periods that had not ended by the as-of date \
             2023-05-15 (2023, 2023Q2, 2023-05): not evaluated"
        ),
        "{stderr}"
    );
    // The periods that had ended are evaluated.
    assert!(stdout.contains("2023Q1") && stdout.contains("2023-04"), "{stdout}");
    // Once they have ended, nothing to say.
    let (_, _, stderr) = run(&["eval", "--as-of", "2024-01-15"], dir.path());
    assert!(!stderr.contains("W304"), "{stderr}");
}

#[test]
fn rows_of_periods_across_the_window_are_counted_not_dropped_without_a_word() {
    // A judicial year from October 2023 and a range from July 2023 run past a 2021-2023 window; 2024 lies outside
    // it (nothing to say) and 2023 inside it (evaluated).
    let dir = project(
        "cases,prov-a,2023,100,src\ncases,prov-a,2023Oct,90,src\ncases,prov-b,2023-07-01..2024-06-30,40,src\n\
         cases,prov-b,2024,70,src\n",
    );
    let (_, stdout, stderr) = run(&["eval", "--as-of", "2025-01-15", "--period", "2021..2023"], dir.path());
    assert!(
        stderr.contains(
            "warning[W344 period-across-window]: 2 observations are for periods that run past the start or end of the \
             window"
        ),
        "{stderr}"
    );
    // The range is the year from July, as any period written as its dates is read.
    assert!(stderr.contains("(2023July, 2023Oct)"), "{stderr}");
    assert!(!stderr.contains("(2024") && !stderr.contains(", 2024)"), "a period outside the window is named: {stderr}");
    assert!(stdout.contains("2023"), "{stdout}");
    // The same rows in a window that holds them, or with no window: nothing to say.
    for args in [&["eval", "--as-of", "2025-01-15", "--period", "2021..2024"][..], &["eval", "--as-of", "2025-01-15"]] {
        let (_, _, stderr) = run(args, dir.path());
        assert!(!stderr.contains("W344"), "{args:?}: {stderr}");
    }
}

/// `tiendo report` of `dir` for `window` as of `as_of` in both languages, as Markdown: (English, Vietnamese).
fn review_md(dir: &Path, window: &str, as_of: &str) -> (String, String) {
    let out = dir.join("out");
    let out = out.to_str().expect("a UTF-8 path");
    let args = ["report", "--window", window, "--as-of", as_of, "--lang", "vi,en", "--format", "md", "--out", out];
    let (code, stdout, stderr) = run(&args, dir);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let read = |lang: &str| std::fs::read_to_string(dir.join("out").join(lang).join("review.md")).expect("review");
    (read("en"), read("vi"))
}

#[test]
fn a_figure_for_a_date_range_is_a_row_of_its_own_in_the_review() {
    // Adversarial review round 6, L9: 90 cases reported for 17 March to 31 December 2024 (a plan's period) were
    // evaluated and then left out of the review without a word; so were 2023's two ranges a day apart.
    let dir = project("cases,vn,2023,40,src\ncases,vn,2024-03-17..2024-12-31,90,src\n");
    let (en, vi) = review_md(dir.path(), "2021..2024", "2025-02-01");
    assert!(en.contains("| 2023 | 40 |  | [1] |"), "{en}");
    assert!(
        en.contains(
            "| 17 Mar 2024 – 31 Dec 2024 | 90 | not a whole period (year, half-year, quarter or month): the figure for \
             these dates only | [1] |"
        ),
        "{en}"
    );
    assert!(vi.contains("| 17/03/2024 – 31/12/2024 | 90 | không phải cả một kỳ báo cáo"), "{vi}");
    let dir = project(
        "cases,vn,2022,40,src\ncases,vn,2023-01-01..2023-03-15,12,src\ncases,vn,2023-03-17..2023-12-31,50,src\n",
    );
    let (en, _) = review_md(dir.path(), "2021..2023", "2024-01-15");
    assert!(en.contains("| 1 Jan 2023 – 15 Mar 2023 | 12 | not a whole period"), "{en}");
    assert!(en.contains("| 17 Mar 2023 – 31 Dec 2023 | 50 | not a whole period"), "{en}");
}

#[test]
fn months_no_quarter_holds_are_rows_of_their_own_in_the_review() {
    // A year still running: January to March make the first quarter; April and May are in no period shown.
    let rows: String = (1..=5).map(|month| format!("cases,vn,2024-{month:02},10,src\n")).collect();
    let dir = project(&rows);
    let (en, _) = review_md(dir.path(), "2024", "2024-06-15");
    assert!(en.contains("| Q1 2024 | 30 |"), "{en}");
    assert!(en.contains("| Apr 2024 | 10 |  | [1] |"), "{en}");
    assert!(en.contains("| May 2024 | 10 |  | [1] |"), "{en}");
    assert!(!en.contains("| Jan 2024 |"), "{en}");
}
