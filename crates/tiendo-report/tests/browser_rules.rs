//! The HTML rules a browser relies on (issue 13, items 5-7) that can be checked without one: the running header's
//! text cannot escape its CSS string, every table is captioned, scoped and in a labelled scroll box, every chart
//! has a text alternative, a title in the other language is marked with its `lang`, and the skip link has a target.
//! `tests/browser/` checks the rest in Chromium.

use tiendo_core::Text;
use tiendo_report::{Lang, RenderOptions, RenderedReport, Review, render, sample};

fn html(review: &Review, lang: Lang) -> String {
    let report: RenderedReport = render(review, &RenderOptions::new(lang)).expect("renders");
    String::from_utf8(report.files["review.html"].clone()).expect("UTF-8")
}

fn html_tag(page: &str) -> &str {
    let start = page.find("<html").expect("an html element");
    &page[start..start + page[start..].find('>').expect("closed") + 1]
}

#[test]
fn the_running_header_carries_the_title_and_the_page_label() {
    let page = html(&sample::mid_term_review(), Lang::Vi);
    assert_eq!(
        html_tag(&page),
        "<html lang=\"vi\" style=\"--running-title: &quot;Báo cáo đánh giá giữa kỳ Chương trình phòng, chống mua bán \
         người giai đoạn 2021-2025&quot;; --running-mark: &quot;Có dữ liệu giả lập (†)&quot;; --page-label: \
         &quot;Trang&quot;; --scroll-cue: &quot;← Vuốt ngang để xem toàn bộ biểu đồ →&quot;; --scroll-cue-table: \
         &quot;← Vuốt ngang để xem toàn bộ bảng →&quot;\">"
    );
    assert!(page.contains("figure.chart::after { content: var(--scroll-cue"), "a chart wider than a phone says so");
    // So does a table kept wider than a phone, above it, on screens only (round 68).
    assert!(page.contains(".table-scroll:has(> table.indicators)::before,"), "{page}");
    assert!(page.contains("content: var(--scroll-cue-table"), "{page}");
    assert!(page.contains("@media screen and (max-width: 53rem)"), "never on paper");
    assert!(page.contains("@top-left { content: var(--running-title"), "the stylesheet reads it");
    assert!(page.contains("counter(page) \" / \" counter(pages)"), "pages are numbered");
}

#[test]
fn a_hostile_title_stays_inside_its_css_string() {
    let mut review = sample::mid_term_review();
    for title in ["x\"; } body { display: none } \"", "a\\\"b</style><script>alert(1)</script>", "line\nbreak"] {
        review.cover.title = Text::new(title, title);
        let page = html(&review, Lang::En);
        let tag = html_tag(&page);
        assert!(!tag.contains("<script"), "{tag}");
        // The attribute holds the escaped CSS string: no raw quote ends the attribute, and inside the value every
        // double quote of the title is preceded by a backslash.
        let value = tag.split("style=\"").nth(1).expect("a style attribute");
        let value = &value[..value.find('"').expect("the attribute ends")];
        let css = value.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        let title_string = css.split(';').next().expect("a declaration");
        let inner = &title_string["--running-title: \"".len()..title_string.len() - 1];
        let mut escaped = false;
        for c in inner.chars() {
            assert!(escaped || c != '"', "an unescaped quote ends the CSS string early: {css}");
            assert!(c != '\n' && c != '<', "{css}");
            escaped = !escaped && c == '\\';
        }
    }
}

#[test]
fn tables_are_captioned_scoped_and_scroll_in_a_labelled_box() {
    for lang in [Lang::Vi, Lang::En] {
        let page = html(&sample::mid_term_review(), lang);
        let tables = page.matches("<table").count();
        assert!(tables >= 8, "the sample has its tables");
        assert_eq!(page.matches("<caption").count(), tables, "every table has a caption");
        assert_eq!(
            page.matches("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"").count(),
            tables,
            "every table scrolls in its own focusable, named box"
        );
        assert!(!page.contains("aria-label=\"\""), "no box is named by an empty text");
        for head in page.split("<thead>").skip(1) {
            let head = &head[..head.find("</thead>").expect("closed")];
            assert_eq!(head.matches("<th").count(), head.matches("<th scope=\"col\"").count(), "{head}");
        }
        assert!(page.contains("<th scope=\"row\">"), "rows are named by a header cell");
    }
}

#[test]
fn every_chart_has_a_title_and_a_description() {
    let page = html(&sample::mid_term_review(), Lang::En);
    let charts = page.matches("<svg ").count();
    assert!(charts > 0);
    assert_eq!(page.matches("<svg width").count(), charts);
    assert_eq!(page.matches(" role=\"img\" aria-labelledby=\"chart-").count(), charts);
    assert_eq!(page.matches("<title id=\"chart-").count(), charts);
    assert_eq!(page.matches("<desc id=\"chart-").count(), charts);
    // Ids are unique on the page.
    let mut ids: Vec<&str> = page.split("<title id=\"").skip(1).map(|s| &s[..s.find('"').expect("closed")]).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "chart ids repeat");
}

#[test]
fn a_title_in_the_other_language_is_marked() {
    let mut review = sample::mid_term_review();
    let cited = review.cited_sources();
    let source = review.sources.get_mut(&cited[0]).expect("the first cited source");
    source.title = Text::new("Quyết định số 193/QĐ-TTg", "");
    let english = html(&review, Lang::En);
    assert!(english.contains("<span lang=\"vi\">Quyết định số 193/QĐ-TTg</span>"));
    let vietnamese = html(&review, Lang::Vi);
    assert!(!vietnamese.contains("<span lang=\"vi\">"), "a title in the page's own language is not marked");
}

#[test]
fn the_skip_link_leads_to_the_main_content() {
    for lang in [Lang::Vi, Lang::En] {
        let page = html(&sample::mid_term_review(), lang);
        let body = &page[page.find("<body>").expect("a body") + "<body>".len()..];
        assert!(body.trim_start().starts_with("<a class=\"skip-link\" href=\"#main\">"), "the first thing in the body");
        assert!(page.contains("<main id=\"main\">"));
    }
}
