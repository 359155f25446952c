//! An old province's own report of days after it ended (a late report), beside what the units below its successor
//! report for those days, end to end through `tiendo eval --format json`. The new province's district may lie in the
//! old province's area, so the two are never added, nor is the late report dropped without a word: it is left out,
//! the values that leave it out are partial and name it (`coverage.left_out`), and W345 names its row. The fixture is
//! `tests/fixtures/rollups/districts-catalogue.toml` with `MORE_DISTRICTS`, without its data set (A and B merge into
//! AB on 1 July 2025; AB's district begins then). Found by a review helper (round 53, F2): A's 70 for 2025Q3 beside
//! AB's district's 50 made AB's and the nation's quarter "complete" at 50, and at 140 once B's district reported 20.

#[path = "support/rollups.rs"]
mod rollups_support;

use rollups_support::*;

fn eval_late(data: &str) -> (serde_json::Value, String) {
    let catalogue = fixture_catalogue("districts-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned() + MORE_DISTRICTS;
    eval_catalogue(&catalogue, &rows(data), "", &[])
}

/// A shown point's reports left out beside figures that may cover the same area.
fn left_out(json: &serde_json::Value, indicator: &str, unit: &str, period: &str) -> Vec<String> {
    let p = point(json, indicator, unit, period).unwrap_or_else(|| panic!("no {indicator} at {unit} in {period}"));
    p["coverage"]["left_out"]
        .as_array()
        .map_or(Vec::new(), |a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
}

/// One late-report case: its rows, the indicator, the period, AB's and the nation's value there, and the row left out.
struct Case {
    rows: &'static [(&'static str, &'static str, u32)],
    indicator: &'static str,
    element: &'static str,
    period: &'static str,
    value: f64,
    left_out: &'static str,
}

const CASES: &[Case] = &[
    // A's late quarter beside AB's district: the district's 50, partial (was "complete").
    Case {
        rows: &[("prov-a", "2025Q3", 70), ("dist-ab1", "2025Q3", 50)],
        indicator: "cases-count",
        element: "cases",
        period: "2025Q3",
        value: 50.0,
        left_out: "prov-a 2025Q3",
    },
    // The same with B's district: 50 + 20, partial (was 140, "3 of 3, complete", A's 70 added to AB's district).
    Case {
        rows: &[("prov-a", "2025Q3", 70), ("dist-ab1", "2025Q3", 50), ("dist-b1", "2025Q3", 20)],
        indicator: "cases-count",
        element: "cases",
        period: "2025Q3",
        value: 70.0,
        left_out: "prov-a 2025Q3",
    },
    // B's own late quarter, beside AB's district.
    Case {
        rows: &[("prov-b", "2025Q3", 60), ("dist-ab1", "2025Q3", 50)],
        indicator: "cases-count",
        element: "cases",
        period: "2025Q3",
        value: 50.0,
        left_out: "prov-b 2025Q3",
    },
    // B's own late quarter beside its own districts' and AB's district's: the districts hold B's days (they were
    // named missing when B's quarter was left out).
    Case {
        rows: &[
            ("prov-b", "2025Q3", 60),
            ("dist-ab1", "2025Q3", 50),
            ("dist-b1", "2025Q3", 20),
            ("dist-b2", "2025Q3", 20),
            ("dist-b3", "2025Q3", 20),
        ],
        indicator: "cases-count",
        element: "cases",
        period: "2025Q3",
        value: 110.0,
        left_out: "prov-b 2025Q3",
    },
    // A late year of A's, across its end, beside AB's district's third quarter.
    Case {
        rows: &[("prov-a", "2025", 90), ("dist-ab1", "2025Q3", 50), ("prov-b", "2025S1", 10)],
        indicator: "cases-count",
        element: "cases",
        period: "2025",
        value: 60.0,
        left_out: "prov-a 2025",
    },
    // A stock: A's late fourth quarter beside AB's district's (was 30, "complete").
    Case {
        rows: &[("prov-a", "2025Q4", 30), ("dist-ab1", "2025Q4", 30)],
        indicator: "shelter-count",
        element: "shelters",
        period: "2025Q4",
        value: 30.0,
        left_out: "prov-a 2025Q4",
    },
    // The same with B's district: 30 + 20, partial (was 80, "3 of 3, complete").
    Case {
        rows: &[("prov-a", "2025Q4", 30), ("dist-ab1", "2025Q4", 30), ("dist-b1", "2025Q4", 20)],
        indicator: "shelter-count",
        element: "shelters",
        period: "2025Q4",
        value: 50.0,
        left_out: "prov-a 2025Q4",
    },
];

#[test]
fn an_old_provinces_late_report_beside_the_new_provinces_district_is_left_out_and_named() {
    for case in CASES {
        let (json, stderr) = eval_late(&reports(case.element, case.rows));
        let (unit, reported) = case.left_out.split_once(' ').expect("a unit and a period");
        let period = case.period;
        for at in ["prov-ab-2025", "vn"] {
            let (value, _, _, complete) = counted(&json, case.indicator, at, period);
            assert_eq!(value, Some(case.value), "{at} {period} {:?}\n{stderr}", case.rows);
            assert!(!complete, "{at} {period} is complete beside a left-out report: {:?}", case.rows);
            assert_eq!(left_out(&json, case.indicator, at, period), [case.left_out], "{at} {:?}", case.rows);
        }
        let row = format!("{unit} reports {} for {reported}, past its own end on 2025-06-30", case.element);
        let warning = stderr.lines().find(|line| line.contains("W345") && line.contains(&row));
        let warning = warning.unwrap_or_else(|| panic!("no W345 for {}:\n{stderr}", case.left_out));
        assert!(warning.contains("data.csv:2:1"), "{warning}");
        if !case.rows.iter().any(|(unit, ..)| unit.starts_with("prov-") && !case.left_out.starts_with(unit)) {
            // Only the units below the other members report those days: they may cover part of its area.
            assert!(
                warning.contains("dist-ab1 reported") && warning.contains("may cover part of the same"),
                "{warning}"
            );
        }
    }
}

/// A district's report never lowers the total beside a late report, whatever else reports: adding B's district's 20
/// adds 20 to AB and the nation (it added 90, the late report coming in with it).
#[test]
fn a_districts_report_beside_a_late_report_adds_its_own_value() {
    let base = [("prov-a", "2025Q3", 70), ("dist-ab1", "2025Q3", 50)];
    for extra in [20, 1, 300] {
        let (before, _) = eval_late(&reports("cases", &base));
        let mut more = base.to_vec();
        more.push(("dist-b2", "2025Q3", extra));
        let (after, stderr) = eval_late(&reports("cases", &more));
        for at in ["prov-ab-2025", "vn"] {
            let (was, now) = (value(&before, "cases-count", at, "2025Q3"), value(&after, "cases-count", at, "2025Q3"));
            assert_eq!(now, was.map(|v| v + f64::from(extra)), "{at} with dist-b2's {extra}\n{stderr}");
        }
    }
}

/// Where nothing else reports the days, the late report stands for its unit's area in its successor, partial
/// (the successor's own area is missing), and nothing is left out; where the successor's own report covers them, the
/// successor's report is the whole area's and the late one is left out without making it partial (W345 names it).
#[test]
fn a_late_report_alone_counts_and_one_beside_the_successors_own_report_gives_way() {
    let (json, stderr) = eval_late(&reports("cases", &[("prov-a", "2025Q3", 70)]));
    let (value, _, _, complete) = counted(&json, "cases-count", "prov-ab-2025", "2025Q3");
    assert_eq!((value, complete), (Some(70.0), false), "{stderr}");
    assert!(left_out(&json, "cases-count", "prov-ab-2025", "2025Q3").is_empty());

    let (json, stderr) = eval_late(&reports("cases", &[("prov-a", "2025Q3", 70), ("prov-ab-2025", "2025Q3", 100)]));
    for at in ["prov-ab-2025", "vn"] {
        let (value, _, _, complete) = counted(&json, "cases-count", at, "2025Q3");
        assert_eq!((value, complete), (Some(100.0), true), "{at}\n{stderr}");
    }
    assert!(stderr.contains("W345") && stderr.contains("prov-ab-2025 reported 2025Q3, which overlaps it"), "{stderr}");
}

/// A late report is its own unit's area only: beside it, the districts B leaves behind, which report in the year, are
/// still expected and named where silent (A's late quarter had held their days, "1 of 2, missing prov-ab-2025").
#[test]
fn a_late_report_never_holds_another_old_units_districts() {
    let data = [("prov-a", "2025Q3", 70), ("dist-b1", "2025Q2", 20), ("dist-b2", "2025Q2", 20)];
    let (json, stderr) = eval_late(&reports("cases", &data));
    for at in ["prov-ab-2025", "vn"] {
        let (value, _, _, complete) = counted(&json, "cases-count", at, "2025Q3");
        assert_eq!((value, complete), (Some(70.0), false), "{at}\n{stderr}");
        let p = point(&json, "cases-count", at, "2025Q3").expect("a point");
        let missing = p["coverage"]["missing"].to_string();
        assert!(missing.contains("dist-b1") && missing.contains("dist-b2"), "{at}: {missing}");
    }
}

/// The late report stays in the old unit's own series, marked in every output with the unit's last day (`after_end`),
/// so that a reader neither takes it for the figure of a unit that still existed nor adds it to the successor's; a
/// period inside the unit's life carries no mark (round 56: the table and the CSV showed A's third quarter plainly).
#[test]
fn an_old_units_late_report_is_marked_in_its_own_series() {
    let data = reports("cases", &[("prov-a", "2025Q2", 60), ("prov-a", "2025Q3", 70), ("prov-ab-2025", "2025Q3", 100)]);
    let (json, stderr) = eval_late(&data);
    let mark = |unit: &str, period: &str| {
        let p = point(&json, "cases-count", unit, period).unwrap_or_else(|| panic!("no {unit} {period}\n{stderr}"));
        (p["value"].as_f64(), p["after_end"].as_str().map(String::from))
    };
    assert_eq!(mark("prov-a", "2025Q3"), (Some(70.0), Some("2025-06-30".to_owned())));
    assert_eq!(mark("prov-a", "2025Q2"), (Some(60.0), None));
    assert_eq!(mark("prov-ab-2025", "2025Q3"), (Some(100.0), None));

    let catalogue = fixture_catalogue("districts-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned() + MORE_DISTRICTS;
    let folder = project(&catalogue, &rows(&data), "");
    let text = |format: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["eval", "--as-of", "2026-01-15", "--format", format])
            .arg(folder.path())
            .output()
            .expect("the tiendo binary runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let table = text("table");
    let late = table.lines().find(|l| l.trim_start().starts_with("2025Q3") && l.contains("70")).expect("A's quarter");
    assert!(late.contains("after the unit ended on 2025-06-30"), "{table}");
    let csv = text("csv");
    let row = csv.lines().find(|l| l.starts_with("cases-count,") && l.contains(",prov-a,2025Q3,")).expect("A's row");
    let header = csv.lines().next().unwrap_or_default();
    assert!(csv.starts_with("indicator,") && header.ends_with(",after_end,area_changed,target_met"), "{csv}");
    assert!(row.ends_with(",2025-06-30,,"), "{row}");
    assert!(csv.lines().filter(|l| l.contains(",prov-a,2025Q2,")).all(|l| l.ends_with(",,")), "{csv}");
}

/// The review marks an old province's report that runs past its last day where it shows it (the table of the
/// provinces before the merger), in both languages and every format (round 56: Province A's own year 2025 stood in
/// that table as a plain 45).
#[test]
fn the_review_marks_an_old_provinces_report_past_its_end() {
    let catalogue = fixture_catalogue("districts-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned() + MORE_DISTRICTS;
    let data = reports("cases", &[("prov-a", "2025", 45), ("prov-c", "2025", 100), ("prov-ab-2025", "2025Q3", 60)]);
    let folder = project(&catalogue, &rows(&data), "");
    let out = report(folder.path(), ("2026-02-01", "2025..2025", "vi,en"));
    for (lang, note) in [("en", "Reported for days after the unit ended (30 Jun 2025)"), ("vi", "(30/06/2025)")] {
        for file in ["review.md", "review.html", "review.json"] {
            let text = std::fs::read_to_string(out.join(lang).join(file)).expect("the review");
            assert!(text.contains(note), "{lang}/{file} lacks the mark");
        }
        let markdown = std::fs::read_to_string(out.join(lang).join("review.md")).expect("the review");
        // Marked beside the value as every table marks it (round 68), the note giving the day.
        let row = markdown.lines().find(|l| l.contains("| 45 (")).expect("Province A's 2025");
        assert!(row.contains(note), "{row}");
        assert!(markdown.lines().filter(|l| l.contains("| 100 |")).all(|l| !l.contains(note)), "C's row is marked");
    }
    // The chart of the provinces says it beside the bar too, so that a chart copied without its table still does
    // (round 58: the bar and its label were plain).
    for (lang, mark) in
        [("en", ">\n45 (reported after the unit ended)\n<"), ("vi", ">\n45 (báo cáo sau khi đơn vị kết thúc)\n<")]
    {
        let html = std::fs::read_to_string(out.join(lang).join("review.html")).expect("the review");
        let labels: Vec<&str> = html.split("<text").filter(|t| t.contains("45")).collect();
        assert!(labels.iter().any(|t| t.contains(mark)), "{lang}: no marked label among {labels:?}");
        assert!(!html.split("<text").any(|t| t.contains(">\n100 (")), "{lang}: C's bar is marked");
    }
}

/// A province's value of another basis (its own first quarter and its districts' other three, beside its own year
/// 2024) carries its mark in the chart of the provinces as in the annex's table: the bar's label says "own reports
/// and units below", never a plain number that a reader would check against the districts alone (round 58: the
/// chart's label was plain).
#[test]
fn the_chart_of_the_provinces_marks_a_value_of_another_basis() {
    let catalogue = fixture_catalogue("districts-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned() + MORE_DISTRICTS;
    let mut lines = vec![("prov-c", "2024", 40), ("prov-c", "2025Q1", 10), ("prov-a", "2025Q1", 7)];
    for quarter in ["2025Q2", "2025Q3", "2025Q4"] {
        lines.extend([("dist-c1", quarter, 3), ("dist-c2", quarter, 4)]);
    }
    let data = reports("cases", &lines);
    let folder = project(&catalogue, &rows(&data), "");
    let out = report(folder.path(), ("2026-02-01", "2024..2025", "vi,en"));
    for (lang, mark) in
        [("en", ">\n31 (own reports and units below)\n<"), ("vi", ">\n31 (tự báo cáo và đơn vị cấp dưới)\n<")]
    {
        let html = std::fs::read_to_string(out.join(lang).join("review.html")).expect("the review");
        let labels: Vec<&str> = html.split("<text").filter(|t| t.contains(">\n31")).collect();
        assert!(!labels.is_empty() && labels.iter().all(|t| t.contains(mark)), "{lang}: {labels:?}");
    }
}
