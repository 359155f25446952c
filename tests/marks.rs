//! Synthetic and partial values carry their marks into every output, end to end with the real binary (the outside
//! reviewer's round 5, K6-K8): `tiendo eval`'s table and CSV mark a synthetic value and say when the whole project is
//! synthetic; the review's province annex marks a synthetic and a partial province value in its tables, chart and
//! JSON; under `coverage = "flag"` the review shows the partial value a status was decided on as "latest"; the
//! charts' text alternatives name the partial values. Round 6: the narrative quotes a province with its row's own
//! marks (L1) and a change as evaluation decided it, or "not comparable (why)" (L2); the headline table shows the
//! earlier value in its own state and cites both values' sources (L6). Fixtures: `tests/fixtures/marks/` (each
//! `tiendo.toml` says what it exercises).

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
        // `synthetic`, then the value's `kind`, the change's `change_kind`, the value's `basis` and `other_basis`, and
        // the unit's last day where the period runs past it (`after_end`), come last; the columns before them keep
        // their places for existing readers.
        let last = ["synthetic", "kind", "change_kind", "basis", "other_basis", "after_end"];
        assert_eq!(header[header.len() - 6..], last, "{name}: {header:?}");
        assert_eq!(header[18], "failure", "{name}: {header:?}");
        for (key, synthetic) in expected {
            let row = csv.lines().find(|l| l.contains(key)).unwrap_or_else(|| panic!("{name}: no row {key}"));
            let cells: Vec<&str> = row.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{name}: {row}");
            let kind = if *synthetic == "true" { "synthetic" } else { "official" };
            assert_eq!(cells[cells.len() - 6..cells.len() - 4], [*synthetic, kind], "{name}: {row}");
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

/// A review written by `tiendo report` in both languages as Markdown, HTML and JSON, in a temporary folder.
struct Review {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Review {
    /// `tiendo report PROJECT --window WINDOW --as-of AS_OF --lang vi,en --format md,html,json`.
    fn of(project: &Path, window: &str, as_of: &str) -> Review {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("review");
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .arg("report")
            .arg(project)
            .args(["--window", window, "--as-of", as_of, "--lang", "vi,en", "--format", "md,html,json", "--quiet"])
            .arg("--out")
            .arg(&out)
            .env("NO_COLOR", "1")
            .env("TIENDO_CACHE_DIR", dir.path().join("cache"))
            .output()
            .expect("the tiendo binary runs");
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        Review { _dir: dir, out }
    }

    fn file(&self, lang: &str, name: &str) -> String {
        std::fs::read_to_string(self.out.join(lang).join(name)).unwrap_or_else(|e| panic!("{lang}/{name}: {e}"))
    }

    fn json(&self, lang: &str) -> serde_json::Value {
        serde_json::from_str(&self.file(lang, "review.json")).expect("valid JSON")
    }
}

/// The review's indicator of code `code` in its JSON.
fn indicator<'a>(json: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    json["indicators"].as_array().expect("indicators").iter().find(|i| i["code"] == code).expect("the indicator")
}

/// The Markdown table row that starts with `| {start} |`.
fn row<'a>(markdown: &'a str, start: &str) -> &'a str {
    line(markdown, &format!("| {start} |"))
}

/// The k7 fixture as a project in a temporary folder with `[assessment]` lines of its own (the default policy when
/// empty), the catalogue and data read from the fixture.
fn k7_with(assessment: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = |relative: &str| fixture(relative).display().to_string().replace('\\', "/");
    let manifest = format!(
        "[project]\nname = {{ vi = \"Thử\", en = \"Test\" }}\nprogramme = \"plan-test\"\ncatalogue = [{:?}]\n\
         data = [{:?}]\n\n[confidentiality]\nthreshold = 11\n\n[assessment]\nmethod = \"eurostat\"\n{assessment}\n",
        path("catalogue.toml"),
        path("k7/data.csv"),
    );
    std::fs::write(dir.path().join("tiendo.toml"), manifest).expect("manifest written");
    dir
}

#[test]
fn under_coverage_flag_the_review_shows_the_partial_value_the_status_was_decided_on_as_latest() {
    let review = Review::of(&fixture("k7"), "2021..2023", "2024-01-15");
    // (language, the indicator table's row, the values table's row)
    for (lang, latest, note) in [
        // A partial count is a lower bound: it proves `>= 320` met, and the whole's percent of target is not known.
        ("en", "| 330 (2023, partial) [1] | — | — | ✔ Achieved |", "(used for the status: coverage = flag)"),
        ("vi", "| 330 (năm 2023, chưa đầy đủ) [1] | — | — | ✔ Đạt |", "(đã dùng để đánh giá: coverage = flag)"),
    ] {
        let markdown = review.file(lang, "review.md");
        assert!(row(&markdown, "C1").contains(latest), "{lang}: {}", row(&markdown, "C1"));
        let values = markdown.lines().find(|l| l.contains("| 330 |")).expect("the 2023 row");
        assert!(values.contains(note), "{lang}: {values}");
        assert!(!values.contains("not used") && !values.contains("không dùng"), "{lang}: {values}");
        let html = review.file(lang, "review.html");
        assert!(html.contains(&latest[2..latest.find(" [1]").expect("a citation")]), "{lang}: the HTML row");
        insta::assert_snapshot!(format!("k7_flag_{lang}_md"), format!("{}\n{values}", row(&markdown, "C1")));
    }
    let json = review.json("en");
    let c1 = indicator(&json, "C1");
    assert_eq!(c1["latest"]["period"], "2023");
    assert_eq!(c1["latest"]["partial"], true);
    assert_eq!(c1["status"], "achieved");
    insta::assert_json_snapshot!("k7_flag_json", c1["latest"]);
}

#[test]
fn under_the_default_policy_a_partial_value_stays_out_of_latest_and_says_it_was_not_used() {
    let project = k7_with("");
    let review = Review::of(project.path(), "2021..2023", "2024-01-15");
    let markdown = review.file("en", "review.md");
    assert!(row(&markdown, "C1").contains("| 300 (2022) [1] |"), "{}", row(&markdown, "C1"));
    let values = markdown.lines().find(|l| l.contains("| 330 |")).expect("the 2023 row");
    assert!(values.ends_with("missing Province C Q4 2023 (not used for the status) | [1] |"), "{values}");
    assert_eq!(indicator(&review.json("en"), "C1")["latest"]["partial"], serde_json::Value::Null);
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

/// The executive summary's narrative line of a review's Markdown: the line that starts with `start`.
fn narrative_line<'a>(markdown: &'a str, start: &str) -> &'a str {
    markdown.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no narrative line {start:?}"))
}

#[test]
fn narrative_quotes_a_province_with_its_own_rows_marks() {
    // n1: AB's 150 is partial (B reported nothing), C's 100 complete; n2: A synthetic, B real.
    let n1 = Review::of(&fixture("n1"), "2021..2025", "2026-02-01");
    let n2 = Review::of(&fixture("n2"), "2021..2023", "2024-01-15");
    for (lang, ab, a_b) in [
        (
            "en",
            "AB: 150 (Partial: 2 of 3 units reported; no report from Province B). C: 100. National: 250 (",
            "A: 99.0 († synthetic data). B: 60.0.",
        ),
        (
            "vi",
            "AB: 150 (Chưa đầy đủ: 2/3 đơn vị báo cáo; không có báo cáo của Tỉnh B). C: 100. National: 250 (",
            "A: 99,0 († dữ liệu giả lập). B: 60,0.",
        ),
    ] {
        assert!(narrative_line(&n1.file(lang, "review.md"), "AB:").starts_with(ab), "{lang}");
        assert!(n1.file(lang, "review.html").contains(&ab[..ab.find(". C:").expect("AB's sentence")]), "{lang}");
        assert_eq!(narrative_line(&n2.file(lang, "review.md"), "A:"), a_b, "{lang}");
    }
    let json = n1.file("en", "review.json");
    assert!(json.contains("AB: 150 (Partial: 2 of 3 units reported; no report from Province B)."), "the JSON text");
}

#[test]
fn narrative_change_is_evaluations_own_or_says_why_it_is_not_comparable() {
    // C1 2023: a sum of provinces against the nation's own 2022; T2 2023: besides, synthetic against real; T2 2022:
    // a percentage, whose change is in points.
    let review = Review::of(&fixture("n3"), "2021..2023", "2024-01-15");
    for (lang, expected) in [
        (
            "en",
            "C1: not comparable (a unit's own report against a sum of the units below it). T2: not comparable (a \
             unit's own report against a sum of the units below it; synthetic against real data). T2 2022: +10.0 \
             percentage points.",
        ),
        (
            "vi",
            "C1: không so sánh được (số liệu tự báo cáo so với tổng của các đơn vị cấp dưới). T2: không so sánh được \
             (số liệu tự báo cáo so với tổng của các đơn vị cấp dưới; dữ liệu giả lập so với dữ liệu thật). T2 2022: \
             +10,0 điểm phần trăm.",
        ),
    ] {
        assert_eq!(narrative_line(&review.file(lang, "review.md"), "C1:"), expected, "{lang}");
    }
    // The JSON carries the evaluation's decision with each point.
    let json = review.json("en");
    let c1 = indicator(&json, "C1");
    let point = c1["series"].as_array().expect("a series").iter().find(|p| p["period"] == "2023").expect("2023");
    insta::assert_json_snapshot!("n3_c1_2023_change_json", point["change"]);
}

/// The Markdown rows of the headline table.
fn headline_rows(markdown: &str) -> Vec<&str> {
    let start = markdown.find("| Result |").or_else(|| markdown.find("| Chỉ số | Kỳ |")).expect("the headline table");
    markdown[start..].lines().skip(2).take_while(|l| l.starts_with('|')).collect()
}

#[test]
fn headline_table_shows_the_earlier_value_in_its_own_state_and_cites_both_sources() {
    let h1 = Review::of(&fixture("h1"), "2021..2023", "2024-01-15");
    let h2 = Review::of(&fixture("h2"), "2021..2023", "2024-01-15");
    for (lang, expected) in [
        (
            "en",
            [
                "| Cases detected | 2022 | 40 | 2021 | 30 | +10 (+33.3%) | [1], [2] |",
                "| Victims | 2022 | 50 | 2021 | suppressed | suppressed | [1] |",
                // The earlier value is the sum of the units below: marked so (round 58).
                "| Cases detected | 2022 | 40 | 2021 | 30 (sum of units below) | not comparable (a unit's own report \
                 against a sum of the units below it) | [1] |",
            ],
        ),
        (
            "vi",
            [
                "| Số vụ phát hiện | năm 2022 | 40 | năm 2021 | 30 | +10 (+33,3%) | [1], [2] |",
                "| Số nạn nhân | năm 2022 | 50 | năm 2021 | ẩn | ẩn | [1] |",
                "| Số vụ phát hiện | năm 2022 | 40 | năm 2021 | 30 (tổng đơn vị cấp dưới) | không so sánh được (số liệu \
                 tự báo cáo so với tổng của các đơn vị cấp dưới) | [1] |",
            ],
        ),
    ] {
        assert_eq!(headline_rows(&h1.file(lang, "review.md")), expected[..2], "{lang}");
        assert_eq!(headline_rows(&h2.file(lang, "review.md"))[0], expected[2], "{lang}");
    }
    let html = h1.file("en", "review.html");
    assert!(html.contains("<a href=\"#src-1\">[1]</a>, <a href=\"#src-2\">[2]</a></td></tr>"), "both cited in HTML");
    let json = h1.json("en");
    let victims = &json["summary"]["headlines"][1];
    assert_eq!(victims["previous_value"]["kind"], "suppressed");
    assert_eq!(victims["change"]["kind"], "suppressed");
    assert_eq!(json["summary"]["headlines"][0]["previous_source"], "src2");
}

/// Round 6 (observation s1): a latest value that exists and is suppressed gives no status, and the status says why,
/// "insufficient data (value suppressed)", never "no data", in the indicator table and the chart's text. The marks
/// catalogue with a target `victims <= 3` in 2025 appended to its plan; victims at vn 40, 20, then 2 (suppressed).
#[test]
fn a_suppressed_latest_value_is_insufficient_data_not_no_data() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let catalogue = std::fs::read_to_string(fixture("catalogue.toml")).expect("the marks catalogue");
    let target = "\n[[plan.target]]\nindicator = \"victims-count\"\nperiod = \"2025\"\ncomparator = \"<=\"\nvalue = 3\n\
                  source = \"src\"\n";
    std::fs::write(dir.path().join("catalogue.toml"), catalogue + target).expect("catalogue written");
    std::fs::write(
        dir.path().join("data.csv"),
        "data_element,org_unit,period,value,source\nvictims,vn,2021,40,src\nvictims,vn,2022,20,src\n\
         victims,vn,2023,2,src\n",
    )
    .expect("data written");
    std::fs::write(
        dir.path().join("tiendo.toml"),
        "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\ncatalogue = [\"catalogue.toml\"]\n\
         data = [\"data.csv\"]\n\n[confidentiality]\nthreshold = 11\n",
    )
    .expect("manifest written");
    let review = Review::of(dir.path(), "2021..2023", "2024-01-15");
    for (lang, latest, status) in [
        ("en", "| suppressed (2023) [1] |", "| ? Insufficient data (value suppressed) |"),
        ("vi", "| ẩn (năm 2023) [1] |", "| ? Chưa đủ số liệu để đánh giá (số liệu bị ẩn) |"),
    ] {
        let markdown = review.file(lang, "review.md");
        let c5 = row(&markdown, "C5");
        assert!(c5.contains(latest) && c5.contains(status), "{lang}: {c5}");
        let chart = review.file(lang, "charts/indicator-victims-count.svg");
        assert!(chart.contains(&status[4..status.len() - 2]), "{lang}: the chart's text names it");
    }
}

/// A value an estimate enters, alone (Viet Nam's cases of 2023) or combined with official figures (the national T2 of
/// 2023, one province's "resolved" being an estimate), is marked as an estimate wherever it is shown, not only in
/// the bibliography (round 5 observation, e1); official values are not.
#[test]
fn a_value_an_estimate_enters_is_marked_in_every_output() {
    let table = eval("e1", &[]);
    assert!(table.contains("\n(estimate) the figure is wholly or partly an estimate"), "{table}");
    let csv = eval("e1", &["--format", "csv"]);
    assert!(csv.lines().next().is_some_and(|h| h.ends_with(",kind,change_kind,basis,other_basis,after_end")), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&eval("e1", &["--format", "json"])).expect("JSON");
    let review = Review::of(&fixture("e1"), "2021..2023", "2024-01-15");
    // (code, unit, period, whether an estimate enters the value, the value as shown in English)
    let cases = [
        ("C1", "vn", "2022", false, "300"),
        ("C1", "vn", "2023", true, "500"),
        ("T2", "vn", "2023", true, "80.0"),
        ("T2", "prov-c", "2023", false, "70.0"),
    ];
    for (code, unit, period, estimate, shown) in cases {
        let heading =
            table.lines().position(|l| l.starts_with(&format!("{code} ")) && l.contains(&format!("[{unit}]")));
        let row = table.lines().skip(heading.expect("a result") + 1).find(|l| l.trim_start().starts_with(period));
        let row = row.unwrap_or_else(|| panic!("{code} {unit} {period}:\n{table}"));
        assert_eq!(row.contains(&format!("{shown} (estimate)")), estimate, "{row}");
        let key = format!(",{code},{unit},{period},");
        let csv_row = csv.lines().find(|l| l.contains(&key)).unwrap_or_else(|| panic!("no CSV row {key}"));
        // `kind` is the fifth column from the end (before `change_kind`, `basis`, `other_basis`, `after_end`).
        assert_eq!(csv_row.rsplit(',').nth(4), Some(if estimate { "estimate" } else { "official" }), "{csv_row}");
        let result = json["indicators"]
            .as_array()
            .and_then(|all| all.iter().find(|r| r["code"] == code && r["org_unit"] == unit))
            .expect("a result");
        let point =
            result["series"].as_array().and_then(|s| s.iter().find(|p| p["period"] == period)).expect("a point");
        assert_eq!(point.get("kind").and_then(|k| k.as_str()), estimate.then_some("estimate"), "{point}");
    }
    // The review, in both languages and every format: the headline, the indicator table's latest value and the values
    // table mark the estimate, with a footnote; the JSON flags the figures.
    for (lang, mark, footnote) in
        [("en", "(estimate)", "(estimate) the figure"), ("vi", "(ước tính)", "(ước tính) số liệu")]
    {
        let markdown = review.file(lang, "review.md");
        let value = if lang == "en" { "80.0" } else { "80,0" };
        for expected in [format!("| 500 {mark} |"), format!("| 500 {mark} ("), format!("| {value} {mark} (")] {
            assert!(markdown.contains(&expected), "{lang}: {expected}\n{markdown}");
        }
        assert!(markdown.contains(&format!("_{footnote}")), "{lang}");
        assert!(!markdown.contains(&format!("300 {mark}")), "{lang}: an official value is not marked");
        let html = review.file(lang, "review.html");
        assert!(html.contains(&format!("500 <span class=\"estimate-marker\" title=\"{footnote}")), "{lang}");
        assert!(html.contains(&format!("<p class=\"estimate-footnote\">{footnote}")), "{lang}");
        let c1 = indicator(&review.json(lang), "C1").clone();
        assert_eq!(c1["latest"]["estimate"], true, "{lang}: {c1}");
        let flags: Vec<bool> = c1["series"].as_array().expect("series").iter().map(|p| p["estimate"] == true).collect();
        assert_eq!(flags, [false, true], "{lang}");
    }
}

/// Round 7 (M1): the narrative quotes a value an estimate enters with that mark, and a change with an estimate term
/// too, as the tables mark them; an official value is quoted bare.
#[test]
fn narrative_quotes_an_estimate_with_its_mark() {
    let review = Review::of(&fixture("e1"), "2021..2023", "2024-01-15");
    for (lang, expected) in [
        ("en", "C1: 500 (estimate); +200 (+66.7%) (estimate). C1 2022: 300."),
        ("vi", "C1: 500 (ước tính); +200 (+66,7%) (ước tính). C1 2022: 300."),
    ] {
        assert_eq!(narrative_line(&review.file(lang, "review.md"), "C1:"), expected, "{lang}");
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

/// Outside review Q8a, the headline table: a hidden figure shown as a headline's same period last year is a cell
/// the confidentiality note counts, once however many tables repeat it (the victims' hidden first quarter of 2023
/// beside the 30 of 2024's, also hidden in the series).
#[test]
fn the_confidentiality_note_counts_a_hidden_headline_figure_once() {
    let review = Review::of(&fixture("q8h"), "2022..2024", "2024-05-15");
    for lang in ["en", "vi"] {
        let json = review.json(lang);
        let headlines = json["summary"]["headlines"].as_array().expect("headlines");
        let victims = headlines.iter().find(|h| h["period"] == "2024Q1" && h["value"]["value"] == 30.0).expect("Q1");
        assert_eq!(victims["previous_value"]["kind"], "suppressed", "{lang}: {victims}");
        assert_eq!(json["confidentiality"]["suppressed_cells"], 1, "{lang}");
    }
    assert!(review.file("en", "review.md").contains("Suppressed cells among the figures this review shows: 1."));
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

/// A value shown outside its values table carries every mark the table gives it (round 58, found by a review helper:
/// the headline table, the indicator table's latest value and the funnel showed Province A's 2025 plainly, a report
/// of days after A ended, where the values table said so).
#[test]
fn a_report_after_the_unit_ended_is_marked_wherever_it_is_shown() {
    let review = Review::of(&fixture("r58-late-plan"), "2021..2025", "2026-01-15");
    // The mark, and the values table's note, both say it (the note with the date).
    for (lang, mark) in [("en", "after the unit ended"), ("vi", "sau khi đơn vị")] {
        let markdown = review.file(lang, "review.md");
        let lines: Vec<&str> = markdown.lines().filter(|l| l.contains("| 120")).collect();
        // The headline table, the indicator table, the whole-period table and the funnel: each writes the mark.
        assert!(lines.len() >= 3, "{lang}: {lines:?}");
        for line in lines.iter().filter(|l| !l.contains("| Province A |") && !l.contains("| Tỉnh A |")) {
            assert!(line.contains(mark), "{lang}: {line}");
        }
        let html = review.file(lang, "review.html");
        assert!(
            html.matches(&format!("120 (reported {mark}")).count()
                + html.matches(&format!("120 (báo cáo {mark}")).count()
                >= 2,
            "{lang}: the HTML lacks the mark"
        );
    }
    let json = review.json("en");
    let headline = json["summary"]["headlines"].as_array().and_then(|h| h.iter().find(|h| h["period"] == "2025"));
    assert_eq!(headline.map(|h| h["after_end"].clone()), Some(serde_json::json!(true)), "{json}");
}

/// The latest value is the unit's own, as evaluation decides it, never a sum of the units below shown beside its own
/// reports; and the funnel gives no share of a count of one basis over a count of the other (round 58, found by a
/// review helper: "400 (2024)" as the nation's latest victims received, and 400 received of 300 identified as
/// 133.3 %).
#[test]
fn the_latest_value_is_the_units_own_and_a_funnel_share_never_crosses_bases() {
    let review = Review::of(&fixture("r58-other-basis"), "2021..2025", "2026-01-15");
    let json = review.json("en");
    let latest = &indicator(&json, "V2")["latest"];
    assert_eq!((latest["period"].as_str(), latest["value"]["value"].as_f64()), (Some("2023"), Some(250.0)), "{latest}");
    let markdown = review.file("en", "review.md");
    assert!(row(&markdown, "V2").contains("250 (2023)"), "{}", row(&markdown, "V2"));
    let funnel = line(&markdown, "| Victims received | V2 |");
    assert!(funnel.contains("400 (sum of units below) [1] (no data)"), "{funnel}");
    assert!(!funnel.contains("133"), "{funnel}");
    assert!(funnel.contains("250 [1] (83.3%)"), "the same basis keeps its share: {funnel}");
}

/// A caution quotes each figure with every mark of its values table (round 58, found by a review helper: only
/// "partial" was written, so a sum of the provinces and a provisional estimate read as final national counts).
#[test]
fn a_caution_quotes_each_figure_with_all_its_marks() {
    let review = Review::of(&fixture("r58-cautions"), "2021..2025", "2026-01-15");
    let en = review.file("en", "review.md");
    assert!(en.contains("In 2024: 400 (V9, sum of units below) against 320 (V1, estimate, provisional)."), "{en}");
    let vi = review.file("vi", "review.md");
    assert!(vi.contains("400 (V9, tổng đơn vị cấp dưới) so với 320 (V1, ước tính, số liệu sơ bộ)"), "{vi}");
}

/// The narrative's `{{change}}` says that a value it is computed from is provisional (round 58, found by a review
/// helper: "change +20 (+6.5%)" from a provisional 330).
#[test]
fn a_narrative_change_from_a_provisional_value_says_so() {
    let review = Review::of(&fixture("r58-narrative"), "2021..2025", "2026-01-15");
    assert!(review.file("en", "review.md").contains("Cases 330 (provisional), change +20 (+6.5%) (provisional)."));
    assert!(review.file("vi", "review.md").contains("thay đổi +20 (+6,5%) (số liệu sơ bộ)."));
}

/// The narrative's `{{change}}` between two sums of the units below (beside the nation's own 2023) says so, as the
/// value it is quoted with does (round 58).
#[test]
fn a_narrative_change_between_sums_of_the_units_below_says_so() {
    let review = Review::of(&fixture("r58-narrative-basis"), "2021..2025", "2026-01-15");
    let en = review.file("en", "review.md");
    assert!(en.contains("change +100 (+33.3%) (sum of units below)."), "{en}");
    assert!(review.file("vi", "review.md").contains("(+33,3%) (tổng đơn vị cấp dưới)."));
}

/// A partial value of the target's own period that decides nothing is the latest value the indicator table shows,
/// marked partial beside "insufficient data": "no data" there, and the target listed among those without data,
/// contradicted the values table's 90 for 2024 (round 58, found by a review helper).
#[test]
fn a_partial_value_of_the_targets_period_is_shown_never_no_data() {
    let review = Review::of(&fixture("r58-partial-target"), "2023..2024", "2026-01-15");
    let en = review.file("en", "review.md");
    let c1 = row(&en, "C1");
    assert!(c1.contains("| 90 (2024, partial) [1] |") && c1.contains("Insufficient data"), "{c1}");
    assert!(!en.contains("| C1 | Cases | Cases |"), "C1 is listed among the targets without data: {en}");
    let vi = review.file("vi", "review.md");
    assert!(row(&vi, "C1").contains("90 (năm 2024, chưa đầy đủ)"), "{}", row(&vi, "C1"));
}
