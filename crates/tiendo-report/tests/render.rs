//! Rendering the sample review: snapshots of every format, escaping, determinism, self-containment.

use std::collections::BTreeSet;

use tiendo_core::Text;
use tiendo_report::{Lang, OutputFormat, RenderOptions, RenderedReport, ReportError, Review, Value, render, sample};

fn rendered(review: &Review, lang: Lang) -> RenderedReport {
    render(review, &RenderOptions::new(lang)).expect("the sample review renders")
}

fn text_file<'a>(report: &'a RenderedReport, path: &str) -> &'a str {
    let bytes = report.files.get(path).unwrap_or_else(|| panic!("{path} is rendered"));
    std::str::from_utf8(bytes).expect("rendered text is UTF-8")
}

#[test]
fn markdown_snapshot_vi() {
    let report = rendered(&sample::mid_term_review(), Lang::Vi);
    insta::assert_snapshot!("review_vi_md", text_file(&report, "review.md"));
}

#[test]
fn markdown_snapshot_en() {
    let report = rendered(&sample::mid_term_review(), Lang::En);
    insta::assert_snapshot!("review_en_md", text_file(&report, "review.md"));
}

#[test]
fn json_snapshot() {
    let report = rendered(&sample::mid_term_review(), Lang::En);
    insta::assert_snapshot!("review_json", text_file(&report, "review.json"));
}

#[test]
fn json_is_the_same_in_both_languages_and_carries_the_format_version() {
    let review = sample::mid_term_review();
    let vi = rendered(&review, Lang::Vi);
    let en = rendered(&review, Lang::En);
    assert_eq!(vi.files["review.json"], en.files["review.json"]);
    let document: serde_json::Value = serde_json::from_slice(&en.files["review.json"]).expect("valid JSON");
    assert_eq!(document["format_version"], tiendo_report::FORMAT_VERSION);
    assert_eq!(document["indicators"][1]["latest"]["value"], serde_json::json!({ "kind": "number", "value": 100.0 }));
    assert_eq!(document["indicators"][5]["series"][2]["value"], serde_json::json!({ "kind": "missing" }));
    let bibliography = document["bibliography"].as_array().expect("bibliography is a list");
    assert!(bibliography.iter().all(|id| document["sources"][id.as_str().expect("ids are strings")].is_object()));
}

#[test]
fn svg_snapshot_line_chart() {
    let report = rendered(&sample::mid_term_review(), Lang::Vi);
    insta::assert_snapshot!("chart_line_c1_vi", text_file(&report, "charts/indicator-c1-cases.svg"));
}

#[test]
fn svg_snapshot_ranked_bars() {
    let report = rendered(&sample::mid_term_review(), Lang::Vi);
    insta::assert_snapshot!(
        "chart_ranked_provinces_vi",
        text_file(&report, "charts/provinces-victims-identified-by-province.svg")
    );
}

#[test]
fn svg_snapshot_stacked_bars() {
    let report = rendered(&sample::mid_term_review(), Lang::En);
    insta::assert_snapshot!("chart_stacked_sex_en", text_file(&report, "charts/disaggregation-victims-by-sex.svg"));
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for lang in [Lang::Vi, Lang::En] {
        let first = rendered(&sample::mid_term_review(), lang);
        let second = rendered(&sample::mid_term_review(), lang);
        assert_eq!(first.files.keys().collect::<Vec<_>>(), second.files.keys().collect::<Vec<_>>());
        for (path, bytes) in &first.files {
            assert!(bytes == &second.files[path], "{path} differs between two renders in {lang:?}");
        }
    }
}

#[test]
fn the_expected_files_are_rendered() {
    let report = rendered(&sample::mid_term_review(), Lang::En);
    let paths: Vec<&str> = report.files.keys().map(String::as_str).collect();
    assert!(paths.contains(&"review.html"));
    assert!(paths.contains(&"review.md"));
    assert!(paths.contains(&"review.json"));
    // Every indicator with a value has a chart (the sample's other four have a target but no value, or are
    // qualitative); every comparison and breakdown has one.
    let charts = paths.iter().filter(|p| p.starts_with("charts/") && p.ends_with(".svg")).count();
    // And each funnel of the evidence (cases, suspects) has its chart.
    assert_eq!(charts, 5 + 1 + 3 + 2);
    let markdown = text_file(&report, "review.md");
    for path in paths.iter().filter(|p| p.starts_with("charts/")) {
        assert!(markdown.contains(&format!("]({path})")), "review.md links {path}");
    }

    let only_json = render(
        &sample::mid_term_review(),
        &RenderOptions { formats: BTreeSet::from([OutputFormat::Json]), ..RenderOptions::new(Lang::En) },
    )
    .expect("renders");
    assert_eq!(only_json.files.keys().collect::<Vec<_>>(), ["review.json"]);
}

#[test]
fn html_is_self_contained_and_inlines_every_chart() {
    for lang in [Lang::Vi, Lang::En] {
        let report = rendered(&sample::mid_term_review(), lang);
        let html = text_file(&report, "review.html");
        for forbidden in ["<script", "<link", "src=", "@import", "url(", "href=\"http", "<iframe", "<img"] {
            assert!(!html.contains(forbidden), "review.html contains {forbidden}");
        }
        assert!(html.contains("@media print"), "a print stylesheet is embedded");
        let inline_charts = html.matches("<svg ").count();
        assert_eq!(inline_charts, 11, "every chart is inline in {lang:?}");
    }
}

#[test]
fn labels_numbers_and_dates_follow_the_language() {
    let review = sample::mid_term_review();
    let vi = rendered(&review, Lang::Vi);
    let en = rendered(&review, Lang::En);
    let (vi_md, en_md) = (text_file(&vi, "review.md"), text_file(&en, "review.md"));
    assert!(vi_md.contains("## Bảng chỉ số và chỉ tiêu"));
    assert!(en_md.contains("## Indicator table"));
    // 744 + 275 = 1019 in the validation violation.
    assert!(vi_md.contains("| 1.019 |"));
    assert!(en_md.contains("| 1,019 |"));
    assert!(vi_md.contains("30/06/2025"));
    assert!(en_md.contains("30 Jun 2025"));
    assert!(vi_md.contains("quý I/2023"));
    assert!(en_md.contains("Q1 2023"));
    // Vietnamese diacritics go into the SVG text unchanged.
    assert!(
        text_file(&vi, "charts/provinces-victims-identified-by-province.svg").contains(">\nĐiện Biên\n<")
            || text_file(&vi, "charts/provinces-victims-identified-by-province.svg").contains("Điện Biên")
    );
}

#[test]
fn suppressed_missing_and_zero_are_shown_differently() {
    let report = rendered(&sample::mid_term_review(), Lang::En);
    let markdown = text_file(&report, "review.md");
    assert!(markdown.contains("| Thai Nguyen | 0 † |"), "the synthetic zero is a number, marked");
    assert!(markdown.contains("| Lai Chau | no data |"));
    assert!(markdown.contains("| Hue | suppressed † |"));
}

fn hostile_review() -> Review {
    let mut review = sample::mid_term_review();
    let hostile = Text::new("<script>alert(1)</script> | a\nb", "<script>alert(1)</script> | a\nb");
    review.indicators[1].name = hostile.clone();
    review.indicators[1].agency = Some(Text::new("A & B \"quoted\" 'single'", "A & B \"quoted\" 'single'"));
    review.provincial_comparisons[0].values[0].name = hostile.clone();
    review.disaggregations[0].options[0].name = hostile.clone();
    review.summary.findings.push(hostile);
    review.cover.inputs[0].path = "data/<img onerror=x>.csv".to_owned();
    review
}

#[test]
fn user_strings_are_escaped_in_html_and_svg() {
    let review = hostile_review();
    for lang in [Lang::Vi, Lang::En] {
        let report = rendered(&review, lang);
        let html = text_file(&report, "review.html");
        assert!(!html.contains("<script"), "an indicator name became a script element");
        assert!(!html.contains("<img"), "a file name became an element");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        assert!(html.contains("A &amp; B &quot;quoted&quot;"));
        for (path, bytes) in report.files.iter().filter(|(p, _)| p.ends_with(".svg")) {
            let svg = std::str::from_utf8(bytes).expect("UTF-8");
            assert!(!svg.contains("<script"), "{path} contains a script element");
        }
    }
}

#[test]
fn user_strings_are_escaped_in_markdown_tables() {
    let report = rendered(&hostile_review(), Lang::En);
    let markdown = text_file(&report, "review.md");
    // No tag opens: every `<` before a letter or `/` is backslash-escaped (CommonMark reads `\<` as text).
    assert!(!markdown.replace("\\<", "").contains("<script"), "{markdown}");
    let row = markdown
        .lines()
        .find(|line| line.starts_with("| T2 |"))
        .expect("the T2 row is on one line even though its name has a line break");
    assert!(row.contains("\\<script>alert(1)\\</script> \\| a b"), "{row}");
    // The row still has the table's 11 columns: 12 unescaped pipes.
    let unescaped_pipes = row.match_indices('|').filter(|(i, _)| *i == 0 || row.as_bytes()[i - 1] != b'\\').count();
    assert_eq!(unescaped_pipes, 12, "{row}");
}

#[test]
fn a_figure_citing_an_unlisted_source_is_refused() {
    let mut review = sample::mid_term_review();
    review.indicators[0].source = "no-such-source".to_owned();
    review.data_quality.cautions[0].sources.push("another-missing".to_owned());
    match render(&review, &RenderOptions::new(Lang::En)) {
        Err(ReportError::UnknownSources(ids)) => assert_eq!(ids, ["no-such-source", "another-missing"]),
        other => panic!("expected unknown sources, got {other:?}"),
    }
}

#[test]
fn templates_can_be_overridden() {
    let review = sample::mid_term_review();
    let mut options = RenderOptions::new(Lang::En);
    options.template_overrides.insert(
        "review.md".to_owned(),
        "{{cover.title}}\n{{#each indicators}}{{code}}: {{status.label}}\n{{/each}}".to_owned(),
    );
    let report = render(&review, &options).expect("the override renders");
    let markdown = text_file(&report, "review.md");
    assert!(markdown.starts_with("Mid-term review of the Programme"));
    assert!(markdown.contains("T2: Achieved\n"));

    options.template_overrides.insert("review.md".to_owned(), "{{#each indicators}}".to_owned());
    assert!(matches!(render(&review, &options), Err(ReportError::Template { .. })));

    options.template_overrides.clear();
    options.template_overrides.insert("review.md".to_owned(), "{{no_such_field}}".to_owned());
    assert!(matches!(render(&review, &options), Err(ReportError::TemplateRender { .. })));

    options.template_overrides.clear();
    options.template_overrides.insert("report.tex".to_owned(), String::new());
    let error = render(&review, &options).expect_err("an unknown template");
    assert!(matches!(error, ReportError::UnknownTemplate(_)));
    // Every template that can be overridden is named, the evidence partials too (review of 6 December, helper 2, F8).
    assert!(error.to_string().ends_with(
        "review.html, review.md, evidence.html, evidence.md, evidence_annex.html, evidence_annex.md, style.css"
    ));
}

#[test]
fn an_empty_review_renders() {
    let mut review = sample::mid_term_review();
    review.indicators.clear();
    review.provincial_comparisons.clear();
    review.disaggregations.clear();
    review.activities.clear();
    review.plugins = Default::default();
    review.data_quality = Default::default();
    review.summary = Default::default();
    let report = rendered(&review, Lang::Vi);
    let markdown = text_file(&report, "review.md");
    assert!(markdown.contains("Dự án không dùng phần mở rộng nào."));
    assert!(markdown.contains("Không có vi phạm."));
}

#[test]
fn values_that_are_not_finite_show_as_missing() {
    let mut review = sample::mid_term_review();
    review.indicators[5].series[0].value = Value::Number(f64::NAN);
    let report = rendered(&review, Lang::En);
    assert!(text_file(&report, "review.md").contains("| 2021 | no data |"));
}

/// Unusual but possible inputs render without panicking: negative values, one point, everything suppressed,
/// empty names, a comparison without provinces, a breakdown with fewer values than options.
#[test]
fn unusual_inputs_render() {
    let mut review = sample::mid_term_review();
    let negative = tiendo_report::SeriesPoint::plain("2022".parse().expect("valid"), Value::Number(-12.5), "tip-2023");
    review.indicators[5].series = vec![tiendo_report::SeriesPoint { provisional: true, ..negative }];
    review.indicators[6].series.iter_mut().for_each(|p| p.value = Value::Suppressed);
    review.indicators[6].baseline = None;
    review.indicators[7].name = Text::new("", "");
    review.indicators[1].series[0].value = Value::Number(1.0e12);
    review.provincial_comparisons[0].values.clear();
    review.disaggregations[0].rows[0].values.truncate(1);
    review.disaggregations[1].rows.clear();
    review.cover.as_of = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid");
    for lang in [Lang::Vi, Lang::En] {
        let report = rendered(&review, lang);
        assert!(report.files.contains_key("review.html"));
        let markdown = text_file(&report, "review.md");
        assert!(markdown.contains("1,000,000,000,000.0%") || markdown.contains("1.000.000.000.000,0%"));
    }
}

/// A half-year and a judicial year are never drawn on the yearly line: each period type is its own line, in its
/// own colour, named in the legend; the half is joined only to the same half of the year before.
#[test]
fn a_chart_line_holds_one_period_type() {
    let mut review = sample::mid_term_review();
    let c1 = review.indicators.iter_mut().find(|i| i.id == "c1-cases").expect("the sample has c1");
    let point = |id: &str, value: f64| {
        tiendo_report::SeriesPoint::plain(id.parse().expect("valid id"), Value::Number(value), &c1.series[0].source)
    };
    let extra = [point("2022S1", 33.0), point("2023S1", 88.0), point("2021Oct", 80.0), point("2022Oct", 95.0)];
    c1.series.extend(extra);
    let lines = tiendo_report::charts::series_lines(&c1.series);
    let shown: Vec<(String, Vec<String>)> = lines
        .iter()
        .map(|(t, points)| (t.to_string(), points.iter().map(|p| p.period.to_string()).collect()))
        .collect();
    let ids = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        shown,
        [
            ("year".to_owned(), ids(&["2021", "2022", "2023", "2024"])),
            ("year-from-oct".to_owned(), ids(&["2021Oct", "2022Oct"])),
            ("half".to_owned(), ids(&["2022S1", "2023S1"])),
        ]
    );
    for (lang, half, judicial) in [
        (Lang::Vi, "Kết quả (6 tháng)", "Kết quả (năm từ 01/10)"),
        (Lang::En, "Result (half-year)", "Result (year from 1 Oct)"),
    ] {
        let report = rendered(&review, lang);
        let svg = text_file(&report, "charts/indicator-c1-cases.svg");
        assert!(svg.contains(half) && svg.contains(judicial), "{lang:?}: the legend names each line");
        assert!(svg.contains("#0072B2") && svg.contains("#CC79A7"), "{lang:?}: the other lines have their own colours");
    }
}

/// A partial headline's note (what it lacks) is written under the headline table in both formats and languages.
#[test]
fn a_partial_headline_s_note_is_written_under_the_headline_table() {
    let mut review = sample::mid_term_review();
    let headline = review.summary.headlines.first_mut().expect("the sample has headlines");
    headline.partial = true;
    headline.partial_notes = vec![Text::new("Số vụ (năm 2023): Chưa đầy đủ: 3/4", "Cases (2023): Partial: 3 of 4")];
    for (lang, note) in [(Lang::En, "Cases (2023): Partial: 3 of 4"), (Lang::Vi, "Số vụ (năm 2023): Chưa đầy đủ: 3/4")]
    {
        let report = rendered(&review, lang);
        let markdown = text_file(&report, "review.md");
        assert!(markdown.contains(&format!("\n- {note}\n")), "{lang:?}");
        let table_end = markdown.find(&format!("- {note}")).expect("the note");
        assert!(markdown[..table_end].contains("| --") || markdown[..table_end].contains("|---"), "after the table");
        assert!(text_file(&report, "review.html").contains(&format!("<li>{note}</li>")), "{lang:?}");
    }
    let plain = rendered(&sample::mid_term_review(), Lang::En);
    assert!(!text_file(&plain, "review.html").contains("partial-notes"), "no list without a partial headline");
}

/// The annex of plugin metrics marks a partial value and says what it lacks, before the plugin's own note, as every
/// other table does (round 61, found by a review helper: a partial rate was written there without a word).
#[test]
fn the_plugin_annex_marks_a_partial_value_and_says_what_it_lacks() {
    let mut review = sample::mid_term_review();
    let row = &mut review.plugins.metrics[0];
    row.partial = true;
    row.caveat = Some(Text::new(
        "Chưa đầy đủ: 1/2 đơn vị báo cáo; không có báo cáo của Tỉnh B",
        "Partial: 1 of 2 units reported; no report from Province B",
    ));
    let english = rendered(&review, Lang::En);
    let markdown = text_file(&english, "review.md");
    let line =
        markdown.lines().find(|l| l.contains("| H1 2023 |") && l.contains("P1 – Share")).expect("the metric's row");
    assert!(
        line.ends_with(
            "79.3% (partial) | Partial: 1 of 2 units reported; no report from Province B; 65 supported / 82 identified |"
        ),
        "{line}"
    );
    let vietnamese = rendered(&review, Lang::Vi);
    assert!(text_file(&vietnamese, "review.md").contains("(chưa đầy đủ) | Chưa đầy đủ: 1/2 đơn vị báo cáo"));
    assert!(text_file(&vietnamese, "review.html").contains("(chưa đầy đủ)"));
}
