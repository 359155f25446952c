//! Synthetic data in rendered reviews: a wholly synthetic review says so first in every format and language, and a
//! synthetic value is marked in tables and drawn apart from real values in charts.

use tiendo_report::{Lang, RenderOptions, RenderedReport, Review, SeriesPoint, Value, render, sample};

fn rendered(review: &Review, lang: Lang) -> RenderedReport {
    render(review, &RenderOptions::new(lang)).expect("the review renders")
}

fn text_file<'a>(report: &'a RenderedReport, path: &str) -> &'a str {
    let bytes = report.files.get(path).unwrap_or_else(|| panic!("{path} is rendered"));
    std::str::from_utf8(bytes).expect("rendered text is UTF-8")
}

/// The sample review as if every figure in it were synthetic.
fn wholly_synthetic() -> Review {
    let mut review = sample::mid_term_review();
    review.synthetic.wholly = true;
    review.synthetic.figures.clear();
    review
}

/// The lines of `text` up to (not including) the first that starts with `end`.
fn head(text: &str, end: &str) -> String {
    text.lines().take_while(|line| !line.starts_with(end)).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_wholly_synthetic_review_says_so_before_anything_else_in_markdown() {
    for (lang, banner, name) in [
        (Lang::Vi, "DỮ LIỆU GIẢ LẬP – KHÔNG PHẢI SỐ LIỆU THẬT", "synthetic_head_vi_md"),
        (Lang::En, "SYNTHETIC DATA – NOT REAL FIGURES", "synthetic_head_en_md"),
    ] {
        let report = rendered(&wholly_synthetic(), lang);
        let markdown = text_file(&report, "review.md");
        // Before the programme line, the cover's list and the summary.
        let first_section = head(markdown, "- **");
        assert!(first_section.contains(banner), "{lang:?}: {first_section}");
        insta::assert_snapshot!(name, first_section);
    }
}

#[test]
fn a_wholly_synthetic_review_says_so_before_anything_else_in_html() {
    for (lang, banner, name) in [
        (Lang::Vi, "DỮ LIỆU GIẢ LẬP – KHÔNG PHẢI SỐ LIỆU THẬT", "synthetic_cover_vi_html"),
        (Lang::En, "SYNTHETIC DATA – NOT REAL FIGURES", "synthetic_cover_en_html"),
    ] {
        let report = rendered(&wholly_synthetic(), lang);
        let html = text_file(&report, "review.html");
        let body = html.split_once("<body>").map(|(_, body)| body).expect("a body");
        let cover = body.split_once("<dl>").map(|(cover, _)| cover).expect("the cover's list");
        let (before_title, _) = cover.split_once("<h1>").expect("a title");
        assert!(before_title.contains(banner), "{lang:?}: the banner comes before the title");
        assert!(before_title.contains("role=\"alert\""));
        insta::assert_snapshot!(name, cover);
    }
}

#[test]
fn a_wholly_synthetic_review_says_so_at_the_top_of_the_json() {
    let report = rendered(&wholly_synthetic(), Lang::En);
    let json = text_file(&report, "review.json");
    insta::assert_snapshot!("synthetic_top_json", json.lines().take(6).collect::<Vec<_>>().join("\n"));
    let document: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(document["synthetic"]["wholly"], serde_json::json!(true));
    let keys: Vec<&String> = document.as_object().expect("an object").keys().collect();
    assert!(keys.iter().any(|k| *k == "synthetic"));
    assert!(json.find("\"synthetic\"") < json.find("\"cover\""), "the flag comes before the cover");
}

#[test]
fn a_partly_synthetic_review_lists_its_synthetic_figures_on_the_first_page() {
    for (lang, intro) in [(Lang::Vi, "Báo cáo có dữ liệu giả lập"), (Lang::En, "This review contains synthetic data")]
    {
        let report = rendered(&sample::mid_term_review(), lang);
        let markdown = text_file(&report, "review.md");
        let first_section = head(markdown, "- **");
        assert!(first_section.contains(intro), "{lang:?}");
        assert!(first_section.contains("Victims identified by province") || first_section.contains("Nạn nhân"));
        let html = text_file(&report, "review.html");
        let cover = html.split_once("</header>").map(|(cover, _)| cover).expect("a cover");
        assert!(cover.contains(intro), "{lang:?}");
        assert!(!cover.contains("role=\"alert\""), "only a wholly synthetic review gets the alert");
    }
}

/// C1 of the sample with a synthetic 2021 value before the real ones, as the reviewer saw for C4.
fn review_with_a_synthetic_point() -> Review {
    let mut review = sample::mid_term_review();
    let c1 = review.indicators.iter_mut().find(|i| i.id == "c1-cases").expect("the sample has C1");
    c1.series.insert(
        0,
        SeriesPoint {
            synthetic: true,
            ..SeriesPoint::plain("2020".parse().expect("valid"), Value::Number(345.0), "synthetic-example")
        },
    );
    review
}

#[test]
fn a_synthetic_value_is_a_separate_labelled_series_in_the_chart() {
    for (lang, legend) in
        [(Lang::Vi, "Dữ liệu giả lập (không phải số liệu thật)"), (Lang::En, "Synthetic (not real data)")]
    {
        let report = rendered(&review_with_a_synthetic_point(), lang);
        let svg = text_file(&report, "charts/indicator-c1-cases.svg");
        assert!(svg.contains(legend), "{lang:?}: the legend names synthetic data");
        assert!(svg.contains("345†"), "{lang:?}: the synthetic value is labelled with its marker");
        assert!(svg.contains("#555555"), "{lang:?}: synthetic values have their own colour");
        if lang == Lang::En {
            insta::assert_snapshot!("chart_line_c1_synthetic_en", svg);
        }
    }
}

#[test]
fn a_synthetic_value_is_marked_in_every_table_format() {
    let review = review_with_a_synthetic_point();
    for (lang, footnote) in
        [(Lang::Vi, "† dữ liệu giả lập, không phải số liệu thật"), (Lang::En, "† synthetic data, not a real figure")]
    {
        let report = rendered(&review, lang);
        let markdown = text_file(&report, "review.md");
        assert!(markdown.contains("| 345 † |"), "{lang:?}: the value is marked");
        assert!(markdown.contains(&format!("_{footnote}_")), "{lang:?}: the marker is explained");
        let html = text_file(&report, "review.html");
        let row: String =
            html.find("<tr class=\"synthetic\">").map(|at| html[at..].chars().take(160).collect()).unwrap_or_default();
        assert!(row.contains("345 <span class=\"synthetic-marker\""), "{lang:?}: {row}");
        assert!(html.contains(&format!("<p class=\"synthetic-footnote\">{footnote}</p>")));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&rendered(&review, Lang::En).files["review.json"]).expect("valid JSON");
    let c1 = json["indicators"].as_array().expect("indicators").iter().find(|i| i["id"] == "c1-cases").expect("C1");
    assert_eq!(c1["series"][0]["synthetic"], serde_json::json!(true));
    assert_eq!(c1["series"][1]["synthetic"], serde_json::json!(false));
}
