//! Values quoted outside their values table carry the table's marks, end to end with the real binary: the latest
//! value of the indicator table (under `coverage = "flag"` the partial value a status was decided on; never "no data"
//! beside a value of the target's period), the headline table (round 6, L6: the earlier value in its own state, both
//! sources cited), the narrative's quotes and changes (L1, L2), the cautions on the basis of counts and the funnel
//! (round 58: the late-report and other-basis marks, no share across bases). Fixtures: `tests/fixtures/marks/`.

#[path = "support/marks.rs"]
mod marks_support;

use marks_support::*;

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
