//! Synthetic and partial values carry their marks into every table, end to end with the real binary (the outside
//! reviewer's round 5, K6-K8): `tiendo eval`'s table and CSV mark a synthetic value and say when the whole project is
//! synthetic; the review's province annex marks a synthetic and a partial province value in its tables, chart and
//! JSON; the charts' text alternatives name the partial values; breakdowns, the whole-period table and the
//! confidentiality note keep every mark. Values quoted outside their tables (the latest value, headlines, the
//! narrative, cautions, the funnel) are in `tests/marks_quoted.rs`. Fixtures: `tests/fixtures/marks/` (each
//! `tiendo.toml` says what it exercises).

#[path = "support/marks.rs"]
mod marks_support;

use std::path::Path;
use std::process::Command;

use marks_support::*;

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
        // `synthetic`, then the value's `kind`, the change's `change_kind`, the value's `basis` and `other_basis`,
        // the unit's last day where the period runs past it (`after_end`) and the day its area changed on
        // (`area_changed`), then whether the target deciding the status is met (`target_met`), come last; the
        // columns before them keep their places for existing readers.
        let last =
            ["synthetic", "kind", "change_kind", "basis", "other_basis", "after_end", "area_changed", "target_met"];
        assert_eq!(header[header.len() - 8..], last, "{name}: {header:?}");
        assert_eq!(header[18], "failure", "{name}: {header:?}");
        for (key, synthetic) in expected {
            let row = csv.lines().find(|l| l.contains(key)).unwrap_or_else(|| panic!("{name}: no row {key}"));
            let cells: Vec<&str> = row.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{name}: {row}");
            let kind = if *synthetic == "true" { "synthetic" } else { "official" };
            assert_eq!(cells[cells.len() - 8..cells.len() - 6], [*synthetic, kind], "{name}: {row}");
        }
        insta::assert_snapshot!(format!("eval_csv_{name}"), csv);
    }
}

/// The eval table and CSV show each value of a series with the decimals the review shows it with (the indicator's,
/// more where evaluation asks): `80.0` beside `85.0`, never `80` (round 5 observation on `y1` and `r1`).
#[test]
fn eval_table_and_csv_show_a_series_with_the_review_s_decimals() {
    let table = eval("y1", &[]);
    let csv = eval("y1", &["--format", "csv"]);
    let review = Review::of(&fixture("y1"), "2021..2023", "2024-01-15");
    let markdown = review.file("en", "review.md");
    // (period, the value as every output shows it)
    for (period, shown) in [("2021", "80.0"), ("2022", "85.0"), ("2023", "99.0")] {
        let row = line(national_t2(&table), period);
        assert_eq!(row.split_whitespace().nth(1), Some(shown), "{row}");
        let key = format!("T2,vn,{period},");
        let csv_row = csv.lines().find(|l| l.contains(&key)).unwrap_or_else(|| panic!("no CSV row {key}"));
        assert_eq!(csv_row.split(',').nth(4), Some(shown), "{csv_row}");
        assert!(markdown.contains(&format!("| {period} | {shown}")), "{period} {shown}");
    }
    // A change is shown with the indicator's decimals too, as the review's headlines write it, and a percentage's in
    // percentage points, never as a percent of a percent (issue 10, P3).
    let row = line(national_t2(&table), "2022");
    assert!(row.contains("+5.0 pp on 2021") && !row.contains('%'), "{table}");
}

/// The review's province annex in Markdown: from its heading to the plugins' annex.
fn province_annex(markdown: &str) -> &str {
    let start = markdown.find("\n## Annex: Figures by province").or_else(|| markdown.find("\n## Phụ lục"));
    let rest = &markdown[start.expect("the province annex") + 1..];
    &rest[..rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3)]
}

#[test]
fn province_annex_marks_a_synthetic_province_in_its_table_chart_and_json() {
    let review = Review::of(&fixture("y3"), "2021..2023", "2024-01-15");
    for (lang, marked, plain) in [
        ("en", "| 1 | Province A | 99.0 † |", ["| 2 | Province C | 70.0 |", "| 3 | Province B | 60.0 |"]),
        ("vi", "| 1 | Tỉnh A | 99,0 † |", ["| 2 | Tỉnh C | 70,0 |", "| 3 | Tỉnh B | 60,0 |"]),
    ] {
        let markdown = review.file(lang, "review.md");
        let annex = province_annex(&markdown);
        assert!(annex.contains(marked), "{lang}: {annex}");
        assert!(plain.iter().all(|row| annex.contains(row)), "{lang}: {annex}");
        let chart = review.file(lang, "charts/provinces-t2-63.svg");
        // Province A's bar is the dark-grey synthetic bar; the real provinces' bars stay blue.
        assert_eq!(chart.matches("fill=\"#555555\"").count(), 1, "{lang}: {chart}");
        assert_eq!(chart.matches("fill=\"#0072B2\"").count(), 2, "{lang}: {chart}");
        insta::assert_snapshot!(format!("y3_province_annex_{lang}_md"), annex);
    }
    let html = review.file("en", "review.html");
    assert!(html.contains("<td class=\"num\">99.0 <span class=\"synthetic-marker\""), "the HTML row is marked");
    let json = review.json("en");
    let values = &json["provincial_comparisons"][0]["values"];
    insta::assert_json_snapshot!("y3_province_values_json", values);
    let synthetic: Vec<(&str, bool)> = values
        .as_array()
        .expect("values")
        .iter()
        .map(|v| (v["org_unit"].as_str().expect("an id"), v["synthetic"].as_bool().expect("a flag")))
        .collect();
    assert_eq!(synthetic, [("prov-a", true), ("prov-c", false), ("prov-b", false)]);
}

#[test]
fn province_annex_marks_a_partial_merged_province_and_claims_no_data_of_a_predecessor_that_reported_none() {
    let review = Review::of(&fixture("k6"), "2021..2025", "2026-02-01");
    for (lang, marked) in [
        (
            "en",
            "| 1 | Province AB | 150 (partial) | Province A | Partial: 2 of 3 units reported; no report from Province B |",
        ),
        (
            "vi",
            "| 1 | Tỉnh AB | 150 (chưa đầy đủ) | Tỉnh A | Chưa đầy đủ: 2/3 đơn vị báo cáo; không có báo cáo của Tỉnh B |",
        ),
    ] {
        let markdown = review.file(lang, "review.md");
        let annex = province_annex(&markdown);
        assert!(annex.contains(marked), "{lang}: {annex}");
        let chart = review.file(lang, "charts/provinces-c1-34.svg");
        // AB's bar is outlined, C's filled.
        assert_eq!(chart.matches("fill=\"none\" stroke=\"#0072B2\"").count(), 1, "{lang}: {chart}");
        let description = chart.split("<desc").nth(1).expect("a description");
        assert!(
            description.contains(if lang == "en" { "150 (partial)" } else { "150 (chưa đầy đủ)" }),
            "{description}"
        );
        insta::assert_snapshot!(format!("k6_province_annex_{lang}_md"), annex);
    }
    let html = review.file("en", "review.html");
    assert!(html.contains("<td class=\"num\">150 (partial)</td><td>Province A</td>"), "the HTML row is marked");
    let json = review.json("en");
    let map_34 = json["provincial_comparisons"]
        .as_array()
        .expect("comparisons")
        .iter()
        .find(|c| c["map"] == "from2025")
        .expect("the 34-province map");
    let ab = &map_34["values"][0];
    assert_eq!((ab["org_unit"].as_str(), ab["partial"].as_bool()), (Some("prov-ab-2025"), Some(true)));
    insta::assert_json_snapshot!("k6_province_values_json", map_34["values"]);
}

/// A value an estimate enters, alone (Viet Nam's cases of 2023) or combined with official figures (the national T2 of
/// 2023, one province's "resolved" being an estimate), is marked as an estimate wherever it is shown, not only in
/// the bibliography (round 5 observation, e1); official values are not.
#[test]
fn a_value_an_estimate_enters_is_marked_in_every_output() {
    let marks = [("en", "(estimate)", "(estimate) the figure"), ("vi", "(ước tính)", "(ước tính) số liệu")];
    marked_in_every_output("e1", "estimate", marks);
}

/// The same for a figure that no document prints, computed by the editors from published ones (a source of kind
/// `derived`: the end-of-term review's 150 victims of 2021, 222 in 2022 less the published increase of 72, read as a
/// published count; round 66): "(derived)" wherever it is shown, official values unmarked.
#[test]
fn a_value_a_derived_figure_enters_is_marked_in_every_output() {
    let marks = [("en", "(derived)", "(derived) no document prints"), ("vi", "(suy ra)", "(suy ra) số liệu không")];
    marked_in_every_output("d1", "derived", marks);
}

/// The marks of `kind` (`estimate`, `derived`) on the fixture `name` (e1's values: Viet Nam's cases 500 of 2023 and
/// the national T2 of 2023 of that kind, 300 of 2022 and province C's T2 official) in the eval table, CSV and JSON
/// and in the review, `marks` giving each language's mark and the start of its footnote.
fn marked_in_every_output(name: &str, kind: &str, marks: [(&str, &str, &str); 2]) {
    let table = eval(name, &[]);
    let (_, en_mark, en_footnote) = marks[0];
    assert!(table.contains(&format!("\n{en_footnote}")), "{table}");
    let csv = eval(name, &["--format", "csv"]);
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| { h.ends_with(",kind,change_kind,basis,other_basis,after_end,area_changed,target_met") }),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&eval(name, &["--format", "json"])).expect("JSON");
    let review = Review::of(&fixture(name), "2021..2023", "2024-01-15");
    // (code, unit, period, whether a figure of `kind` enters the value, the value as shown in English)
    let cases = [
        ("C1", "vn", "2022", false, "300"),
        ("C1", "vn", "2023", true, "500"),
        ("T2", "vn", "2023", true, "80.0"),
        ("T2", "prov-c", "2023", false, "70.0"),
    ];
    for (code, unit, period, marked, shown) in cases {
        let heading =
            table.lines().position(|l| l.starts_with(&format!("{code} ")) && l.contains(&format!("[{unit}]")));
        let row = table.lines().skip(heading.expect("a result") + 1).find(|l| l.trim_start().starts_with(period));
        let row = row.unwrap_or_else(|| panic!("{code} {unit} {period}:\n{table}"));
        assert_eq!(row.contains(&format!("{shown} {en_mark}")), marked, "{row}");
        let key = format!(",{code},{unit},{period},");
        let csv_row = csv.lines().find(|l| l.contains(&key)).unwrap_or_else(|| panic!("no CSV row {key}"));
        // `kind` is the seventh column from the end (before `change_kind`, `basis`, `other_basis`, `after_end`,
        // `area_changed`, `target_met`).
        assert_eq!(csv_row.rsplit(',').nth(6), Some(if marked { kind } else { "official" }), "{csv_row}");
        let result = json["indicators"]
            .as_array()
            .and_then(|all| all.iter().find(|r| r["code"] == code && r["org_unit"] == unit))
            .expect("a result");
        let point =
            result["series"].as_array().and_then(|s| s.iter().find(|p| p["period"] == period)).expect("a point");
        assert_eq!(point.get("kind").and_then(|k| k.as_str()), marked.then_some(kind), "{point}");
    }
    // The review, in both languages and every format: the headline, the indicator table's latest value and the values
    // table mark the figure, with a footnote; the JSON flags the figures.
    for (lang, mark, footnote) in marks {
        let markdown = review.file(lang, "review.md");
        let value = if lang == "en" { "80.0" } else { "80,0" };
        for expected in [format!("| 500 {mark} |"), format!("| 500 {mark} ("), format!("| {value} {mark} (")] {
            assert!(markdown.contains(&expected), "{lang}: {expected}\n{markdown}");
        }
        assert!(markdown.contains(&format!("_{footnote}")), "{lang}");
        assert!(!markdown.contains(&format!("300 {mark}")), "{lang}: an official value is not marked");
        let html = review.file(lang, "review.html");
        assert!(html.contains(&format!("500 <span class=\"{kind}-marker\" title=\"{footnote}")), "{lang}");
        assert!(html.contains(&format!("<p class=\"{kind}-footnote\">{footnote}")), "{lang}");
        // Each footnote once where it is due (round 66: the derived one was written twice under each table).
        let paragraph =
            html.split(&format!("<p class=\"{kind}-footnote\">")).nth(1).and_then(|p| p.split("</p>").next());
        let paragraph = format!("<p class=\"{kind}-footnote\">{}</p>", paragraph.expect("a footnote"));
        assert!(!html.contains(&paragraph.repeat(2)), "{lang}: a footnote twice");
        let c1 = indicator(&review.json(lang), "C1").clone();
        assert_eq!(c1["latest"][kind], true, "{lang}: {c1}");
        let flags: Vec<bool> = c1["series"].as_array().expect("series").iter().map(|p| p[kind] == true).collect();
        assert_eq!(flags, [false, true], "{lang}");
    }
}

/// Outside review Q5: victims by sex reported by province A only, while A, B and C report totals. The national
/// breakdown (40 women, 20 men of 155) is a sum over 1 of 3 provinces: its table row, its chart (the row's label and
/// text alternative) and the review JSON mark it partial, and a note says what is missing, in both languages.
#[test]
fn a_national_breakdown_reported_by_some_provinces_is_marked_partial_and_says_what_is_missing() {
    let review = Review::of(&fixture("q5"), "2021..2023", "2024-01-15");
    for (lang, partial, note) in [
        (
            "en",
            "2023 (partial)",
            "2023: Female, Male: Partial: 1 of 3 units reported; no report from Province B, Province C",
        ),
        (
            "vi",
            "năm 2023 (chưa đầy đủ)",
            "năm 2023: Nữ, Nam: Chưa đầy đủ: 1/3 đơn vị báo cáo; không có báo cáo của Tỉnh B, Tỉnh C",
        ),
    ] {
        let markdown = review.file(lang, "review.md");
        assert!(row(&markdown, partial).contains("| 40 | 20 | 60 | 155 |"), "{lang}:\n{markdown}");
        assert!(markdown.contains(&format!("_{note}_")), "{lang}:\n{markdown}");
        let html = review.file(lang, "review.html");
        assert!(html.contains(&format!("{partial}</th><td class=\"num\">40</td>")), "{lang}: the HTML row");
        assert!(html.contains(&format!("<p class=\"note\">{note}</p>")), "{lang}: the HTML note");
        let chart = review.file(lang, "charts/disaggregation-c5-sex.svg");
        let short = partial.trim_start_matches("năm ");
        assert!(chart.contains(&format!(">\n{short}\n</text>")), "{lang}: the chart's row label:\n{chart}");
        assert!(chart.contains(&format!("{partial}: ")), "{lang}: the chart's text alternative:\n{chart}");
        let json = review.json(lang);
        let rows = &json["disaggregations"][0]["rows"];
        assert_eq!(rows[0]["partial"], true, "{lang}: {rows}");
        assert!(rows[0]["note"]["en"].as_str().is_some_and(|n| n.contains("1 of 3 units")), "{lang}: {rows}");
    }
}

/// Outside review Q6: the end-of-term whole-period table keeps every mark evaluation gives a value, as the review
/// JSON does: k7's partial 2023 cases (province C's fourth quarter missing) and e1's estimated 2023 cases, in both
/// languages, in Markdown and HTML.
#[test]
fn the_whole_period_table_keeps_the_partial_and_estimate_marks() {
    // (fixture, the mark in the review JSON, (language, the Markdown cell, the start of the HTML cell))
    let partial = [
        ("en", "| 330 (partial) [1] |", "330 (partial) <a"),
        ("vi", "| 330 (chưa đầy đủ) [1] |", "330 (chưa đầy đủ) <a"),
    ];
    let estimate = [
        ("en", "| 500 (estimate) [1] |", "500 <span class=\"estimate-marker\""),
        ("vi", "| 500 (ước tính) [1] |", "500 <span class=\"estimate-marker\""),
    ];
    for (name, mark, cells) in [("k7", "partial", partial), ("e1", "estimate", estimate)] {
        let review = Review::of(&fixture(name), "2021..2025", "2026-01-15");
        for (lang, md_cell, html_cell) in cells {
            let markdown = review.file(lang, "review.md");
            // The whole-period row: C1 with its 2022 value in a column of its own (the indicator table has none).
            let row = markdown.lines().find(|l| l.starts_with("| C1 |") && l.contains("| 300 [")).expect("the row");
            assert!(row.contains(md_cell), "{name} {lang}: {row}");
            let html = review.file(lang, "review.html");
            let table = &html[html.find("<table class=\"whole-period\">").expect("the HTML table")..];
            assert!(table.contains(&format!("<td class=\"num\">{html_cell}")), "{name} {lang}: {html_cell}");
            // The indicator chart's text alternative keeps the mark too.
            let chart = review.file(lang, "charts/indicator-cases-count.svg");
            let described = md_cell.trim_matches(|c| c == '|' || c == ' ').trim_end_matches(" [1]");
            assert!(chart.contains(&format!("2023: {described}")), "{name} {lang}: {described}");
        }
        let json = review.json("en");
        let rows = json["evidence"]["whole_period"]["rows"].as_array().expect("rows");
        let c1 = rows.iter().find(|r| r["indicator_code"] == "C1").expect("C1");
        let value = c1["values"].as_array().unwrap().iter().find(|v| v["period"] == "2023").expect("2023");
        assert_eq!(value[mark], true, "{name}: {value}");
    }
}

/// Outside review Q8a: the confidentiality note counts every cell the review hides, wherever it is shown. Viet Nam's
/// 60 victims of 2023 are published; its breakdown by sex (5 women, hidden as a small count, and 55 men, hidden
/// beside them) shows two suppressed cells, which the note counted as 0 when it read only the indicators' series.
#[test]
fn the_confidentiality_note_counts_the_suppressed_cells_of_a_breakdown() {
    let review = Review::of(&fixture("q8a"), "2021..2023", "2024-01-15");
    // (language, the breakdown row: women, men, their sum, the total; the note's count)
    for (lang, row, count) in [
        (
            "en",
            "| 2023 | suppressed | suppressed | suppressed | 60 |",
            "Suppressed cells among the figures this review shows: 2.",
        ),
        ("vi", "| năm 2023 | ẩn | ẩn | ẩn | 60 |", "Số ô bị ẩn trong các số liệu mà báo cáo này trình bày: 2."),
    ] {
        let markdown = review.file(lang, "review.md");
        assert!(markdown.contains(row), "{lang}: {markdown}");
        assert!(markdown.contains(count), "{lang}: {markdown}");
        assert!(review.file(lang, "review.html").contains(count), "{lang}: the HTML note");
        assert_eq!(review.json(lang)["confidentiality"]["suppressed_cells"], 2, "{lang}");
    }
}

/// Outside review Q8c: a value equal to a strict target misses it, and its gap never reads 0 beside "not met": 90.0
/// against `> 90` (one decimal) is 0.1 short, 300 cases against `> 300` are 1 short; a gap is shown with decimals that
/// keep it off zero (`gap_decimals`), and is 0 only beside a target met.
#[test]
fn a_value_equal_to_a_strict_target_is_not_met_and_its_gap_is_not_zero() {
    let json: serde_json::Value = serde_json::from_str(&eval("q8c", &["--format", "json"])).expect("JSON");
    let national = |code: &str| {
        json["indicators"]
            .as_array()
            .expect("indicators")
            .iter()
            .find(|r| r["code"] == code && r["org_unit"] == "vn")
            .cloned()
            .expect("the result")
    };
    // (code, the strict target's gap and its decimals)
    for (code, gap, decimals) in [("T2", 0.1, 1), ("C1", 1.0, 0)] {
        let result = national(code);
        let strict = result["targets"].as_array().unwrap().iter().find(|t| t["comparator"] == ">").cloned().expect(">");
        assert_eq!(strict["met"], false, "{code}: {strict}");
        assert_eq!(strict["gap"], gap, "{code}: {strict}");
        assert_eq!(strict["gap_decimals"], decimals, "{code}: {strict}");
        for target in result["targets"].as_array().unwrap() {
            assert_eq!(target["gap"] == 0.0, target["met"] == true, "{code}: {target}");
        }
    }
}

/// Round 10, F5, in a breakdown: the country reported 2022 itself, by sex; 2023 exists only as sums of the
/// provinces. The 2023 row's values are another basis than the status's, and its note says so for each of them,
/// beside what the partial ones lack.
#[test]
fn a_breakdown_row_of_sums_beside_the_country_s_own_reports_says_so() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let q5 = fixture("q5");
    let manifest = std::fs::read_to_string(q5.join("tiendo.toml")).expect("q5's manifest");
    let catalogue = fixture("catalogue.toml").display().to_string().replace('\\', "/");
    std::fs::write(dir.path().join("tiendo.toml"), manifest.replace("../catalogue.toml", &catalogue)).expect("written");
    let data = std::fs::read_to_string(q5.join("data.csv")).expect("q5's data");
    let own = "victims,vn,2022,,120,src\nvictims,vn,2022,female,70,src\nvictims,vn,2022,male,50,src\n";
    std::fs::write(dir.path().join("data.csv"), format!("{data}{own}")).expect("data written");
    let review = Review::of(dir.path(), "2021..2023", "2024-01-15");
    for (lang, note) in [
        ("en", "Female, Male, Total: Sum of the units below, not the unit's own report: not used for the status"),
        ("vi", "Nữ, Nam, Tổng số: Tổng số liệu của các đơn vị cấp dưới, không phải số liệu đơn vị tự báo cáo"),
    ] {
        let markdown = review.file(lang, "review.md");
        assert!(markdown.contains(note), "{lang}:\n{markdown}");
    }
    let json = review.json("en");
    let rows = json["disaggregations"][0]["rows"].as_array().expect("rows");
    let y2022 = rows.iter().find(|r| r["period"] == "2022").expect("the 2022 row");
    assert!(y2022.get("note").is_none_or(|n| n.is_null()), "the country's own row has no note: {y2022}");
}

/// Round 10, F5, in the province annex: province B reported 2022 itself and 2023 only through its three districts.
/// Its 2023 value is another basis than its own reports, and the annex's note says so.
#[test]
fn the_province_annex_notes_a_sum_of_districts_beside_the_province_s_own_reports() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rollups/districts-catalogue.toml");
    std::fs::copy(catalogue, dir.path().join("catalogue.toml")).expect("catalogue copied");
    std::fs::write(
        dir.path().join("tiendo.toml"),
        "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\ncatalogue = [\"catalogue.toml\"]\n\
         data = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n\n[assessment]\nmethod = \"eurostat\"\n",
    )
    .expect("manifest written");
    let data = "data_element,org_unit,period,value,source\ncases,prov-a,2022,100,src\ncases,prov-b,2022,60,src\n\
                cases,prov-c,2022,50,src\ncases,prov-a,2023,90,src\ncases,dist-b1,2023,20,src\n\
                cases,dist-b2,2023,20,src\ncases,dist-b3,2023,20,src\ncases,prov-c,2023,40,src\n";
    std::fs::write(dir.path().join("data.csv"), data).expect("data written");
    let review = Review::of(dir.path(), "2021..2023", "2024-01-15");
    for (lang, name, note) in [
        ("en", "Province B", "Sum of the units below, not the unit's own report: not used for the status"),
        ("vi", "Tỉnh B", "Tổng số liệu của các đơn vị cấp dưới, không phải số liệu đơn vị tự báo cáo"),
    ] {
        let markdown = review.file(lang, "review.md");
        let annex = province_annex(&markdown);
        let b = annex.lines().find(|l| l.contains(&format!("| {name} | 60 |"))).unwrap_or_else(|| panic!("{annex}"));
        assert!(b.contains(note), "{lang}: {b}");
        let a = annex.lines().find(|l| l.contains("| 90 |")).expect("province A's own 2023");
        assert!(!a.contains(note), "{lang}: {a}");
    }
}

/// A year that is the nation's own first quarter and the provinces' other three (60 + 45 = 105) is marked as such in
/// every output, never "sum of units below", which a reader would check against the provinces' 45 (round 50, found
/// by a review helper).
#[test]
fn a_year_of_own_reports_and_units_below_is_never_called_their_sum() {
    let review = Review::of(&fixture("c6"), "2021..2025", "2025-01-15");
    let (en, vi) = (review.file("en", "review.md"), review.file("vi", "review.md"));
    assert!(
        en.contains("| 2024 | 105 | The unit's own reports for part of the period and the units below for the rest")
    );
    assert!(en.contains("105 (own reports and units below)") && !en.contains("105 (sum of units below)"), "{en}");
    assert!(vi.contains("105 (tự báo cáo và đơn vị cấp dưới)") && !vi.contains("105 (tổng đơn vị cấp dưới)"), "{vi}");
    let point = indicator(&review.json("en"), "C1")["series"]
        .as_array()
        .and_then(|series| series.iter().find(|p| p["period"] == "2024").cloned())
        .expect("a 2024 point");
    assert_eq!((point["other_basis"].as_bool(), point["combined"].as_bool()), (Some(true), Some(true)));
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(fixture("c6"))
        .args(["--as-of", "2025-01-15", "--format", "json", "--org-unit", "vn"])
        .output()
        .expect("the tiendo binary runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let basis = json["indicators"].as_array().and_then(|all| {
        let c1 = all.iter().find(|r| r["indicator"] == "cases-count")?;
        c1["series"].as_array()?.iter().find(|p| p["period"] == "2024").map(|p| p["basis"].clone())
    });
    assert_eq!(basis, Some(serde_json::json!("combined")));
}
