//! A break in a data element's series (SDMX `OBS_STATUS` B): from the period it names, the element is counted on
//! another definition, and no value is compared across it. Eval's JSON and table say so on the value, and the review
//! gives its note beside the value and "not comparable (a break in the series …)" for its change (round 67, found
//! by a reader of the review: the courts' defendants "resolved and tried" of H1 2025 beside those "brought to trial"
//! of earlier years, the change of definition in a data note only). Methodology §3, "Breaks in series".

#[path = "support/project.rs"]
mod support;

/// The completeness fixture's catalogue with a break in `cases` from `from`, and yearly national counts.
fn project(from: &str) -> tempfile::TempDir {
    let element = "id = \"cases\"\nname = { vi = \"Số vụ\", en = \"Cases\" }\n";
    let breaks = format!(
        "breaks = [{{ from = \"{from}\", note = {{ vi = \"đếm cả vụ kỳ trước chuyển sang\", en = \"carried-over cases \
         counted\" }} }}]\n"
    );
    let catalogue = support::fixture("completeness-trailing/catalogue.toml");
    assert!(catalogue.contains(element), "the fixture's element");
    let catalogue = catalogue.replace(element, &format!("{element}{breaks}"));
    let data = "data_element,org_unit,period,value,source\ncases,vn,2022,90,src\ncases,vn,2023,100,src\n\
        cases,vn,2024,150,src\n";
    support::project(&catalogue, data, "")
}

#[test]
fn no_change_is_given_across_a_break_and_every_output_says_why() {
    let folder = project("2024");
    let (json, stderr) = support::eval_json(folder.path(), &["--as-of", "2025-03-01"]);
    let series = support::result(&json, "cases-count", "vn")["series"].as_array().cloned().expect("a series");
    let point = |period: &str| series.iter().find(|p| p["period"] == period).cloned().expect("a point");
    assert_eq!(point("2024")["series_break"], "2024-01-01", "{stderr}");
    assert!(point("2024")["change"].is_null(), "{stderr}");
    // Before the break the series compares as ever.
    assert_eq!(point("2023")["change"]["absolute"], 10.0, "{stderr}");
    assert!(point("2023")["series_break"].is_null(), "{stderr}");

    let (code, table, _) = support::run_in(folder.path(), &["eval", "--as-of", "2025-03-01"]);
    assert_eq!(code, Some(0));
    let line = "not comparable with 2023: a break in the series on 2024-01-01 (definition changed)";
    assert!(table.contains(line), "{table}");

    let review = support::report(folder.path(), ("2025-03-01", "2022..2024", "en,vi"));
    let en = std::fs::read_to_string(review.join("en/review.md")).expect("the English review");
    assert!(
        en.contains("not comparable (a break in the series: the count's definition changed between the two periods)"),
        "{en}"
    );
    assert!(en.contains("| 2024 | 150 | Break in series from 2024: carried-over cases counted |"), "{en}");
    // The value itself is marked wherever it is written, as a provisional one is (round 68, found by a reader of
    // the review: the latest value and the headline said nothing).
    assert!(en.contains("150 (2024, a break in the series)"), "{en}");
    let vi = std::fs::read_to_string(review.join("vi/review.md")).expect("the Vietnamese review");
    assert!(vi.contains("Chuỗi số liệu gián đoạn từ năm 2024: đếm cả vụ kỳ trước chuyển sang"), "{vi}");
}

/// A break inside a year (from July) separates the year from the one before, and the next year from it: both years
/// hold or follow the day the definition changed; the year after that compares again.
#[test]
fn a_break_inside_a_period_separates_it_from_both_neighbours() {
    let folder = project("2023-07");
    let (json, stderr) = support::eval_json(folder.path(), &["--as-of", "2025-03-01"]);
    let series = support::result(&json, "cases-count", "vn")["series"].as_array().cloned().expect("a series");
    let break_of = |period: &str| series.iter().find(|p| p["period"] == period).map(|p| p["series_break"].clone());
    assert_eq!(break_of("2023"), Some("2023-07-01".into()), "{stderr}");
    assert_eq!(break_of("2024"), Some("2023-07-01".into()), "{stderr}");
    assert_eq!(break_of("2022"), Some(serde_json::Value::Null), "{stderr}");
}

/// The mark is in the province table and the breakdown table too, and in the breakdown's JSON rows (round 68, found
/// by a verifier: the province's chart said it, its table did not). Fixture: `tests/fixtures/series-breaks-marks`.
#[test]
fn the_break_is_marked_in_the_province_and_breakdown_tables() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series-breaks-marks");
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in ["catalogue.toml", "data.csv", "tiendo.toml"] {
        std::fs::copy(fixture.join(file), folder.path().join(file)).expect("fixture copied");
    }
    let review = support::report(folder.path(), ("2026-06-01", "2021..2025", "en"));
    let en = std::fs::read_to_string(review.join("review.md")).expect("the review");
    assert!(en.contains("| 1 | Province B | 92.0 (a break in the series) |"), "{en}");
    assert!(en.contains("| 2024 (a break in the series) | 130 | 80 | 210 | 210 | [1] |"), "{en}");
    let json = std::fs::read_to_string(review.join("review.json")).expect("the JSON");
    assert!(json.contains("\"series_break\": true"), "{json}");
}
