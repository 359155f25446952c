//! The review's province annex across the merger, end to end with the real binary: each map ranked on its own latest
//! year, "Includes data of" naming only the old provinces whose data a value holds, and the chart naming its map.
//! Found by a review helper (round 58) on `tests/fixtures/rollups/split-catalogue.toml`: A and B merge into AB on
//! 1 July 2025, C stays, D splits into D1 and D2.

#[path = "support/rollups.rs"]
mod rollups_support;

use rollups_support::*;

/// The review of `data` (rows after the header) over `window`, as of 15 January 2026: the English Markdown and the
/// SVG of the chart `chart` (e.g. `provinces-c1-34`), empty when the review has no such chart.
fn review(data: &str, window: &str, chart: &str) -> (String, String) {
    let catalogue = fixture_catalogue("split-catalogue.toml");
    let catalogue = catalogue.split("[[data_set]]").next().expect("the catalogue").to_owned();
    let tables = "[confidentiality]\nthreshold = 11\n\n[assessment]\nmethod = \"eurostat\"\n";
    let folder = project(&catalogue, &rows(data), tables);
    let out = report(folder.path(), ("2026-01-15", window, "en"));
    let markdown = std::fs::read_to_string(out.join("review.md")).expect("the review");
    let svg = std::fs::read_to_string(out.join("charts").join(format!("{chart}.svg"))).unwrap_or_default();
    (markdown, svg)
}

/// The annex's rows of the map whose heading contains `heading`, as written (`| 1 | Province AB | 105 | … |`).
fn map_rows<'a>(markdown: &'a str, heading: &str) -> Vec<&'a str> {
    let Some(start) = markdown.lines().position(|l| l.starts_with("### ") && l.contains(heading)) else {
        return Vec::new();
    };
    let rest = markdown.lines().skip(start + 1);
    rest.take_while(|l| !l.starts_with("### ") && !l.starts_with("## "))
        .filter(|l| l.starts_with("| ") && l.split('|').nth(1).is_some_and(|c| c.trim().parse::<u32>().is_ok()))
        .collect()
}

/// Each map is ranked on the latest year one of its provinces has a value: the 34 provinces on 2025 in a review of
/// 2025 alone, where no old province has a 2025 value (the annex was empty), and beside the 63's 2024 in a review of
/// both years (the 34 were ranked on 2024 and their 2025 never shown).
#[test]
fn each_map_is_ranked_on_its_own_latest_year() {
    let data = "cases,prov-a,2025S1,30,src\ncases,prov-b,2025S1,40,src\ncases,prov-ab-2025,2025S2,35,src\n\
                cases,prov-c,2024,50,src\ncases,prov-a,2024,20,src\n";
    let (alone, _) = review(data, "2025..2025", "provinces-c1-34");
    assert!(!alone.contains("· 4 provinces (before"), "no old province has a 2025 value: {alone}");
    let rows = map_rows(&alone, "– 2025 · 4 provinces (from");
    assert_eq!(rows, ["| 1 | Province AB | 105 | Province A, Province B |  |"], "{alone}");
    let (both, _) = review(data, "2024..2025", "provinces-c1-34");
    assert!(both.contains("### Cases detected – 2024 · 4 provinces (before"), "{both}");
    assert!(both.contains("### Cases detected – 2025 · 4 provinces (from"), "{both}");
}

/// "Includes data of" names the old provinces whose data the value holds, never one the value's own note says it
/// left out or lacks, nor a province that split (its data rolls up to the nation only), nor anyone beside "no data".
#[test]
fn includes_data_of_names_only_the_old_provinces_in_the_value() {
    // A's own year 2025, past its end, is left out of AB beside AB's own second half: AB's 55 holds B's half only.
    let late = "cases,prov-a,2024,30,src\ncases,prov-b,2024,40,src\ncases,prov-a,2025,70,src\n\
                cases,prov-b,2025S1,20,src\ncases,prov-ab-2025,2025S2,35,src\ncases,prov-c,2025,55,src\n";
    let (markdown, _) = review(late, "2024..2025", "provinces-c1-34");
    let rows = map_rows(&markdown, "– 2025 · 4 provinces (from");
    let ab = rows.iter().find(|r| r.contains("| Province AB |")).expect("AB's row");
    assert!(ab.starts_with("| 1 | Province AB | 55 (partial) | Province B | Partial:"), "{ab}");
    // B reports one part of the rate only: AB's 90.0 is A's rate alone.
    let rate = "received,prov-a,2024,100,src\nresolved,prov-a,2024,90,src\nreceived,prov-b,2024,200,src\n\
                received,prov-c,2024,100,src\nresolved,prov-c,2024,80,src\n";
    let (markdown, _) = review(rate, "2024..2024", "provinces-t2-34");
    let rows = map_rows(&markdown, "– 2024 · 4 provinces (from");
    let ab = rows.iter().find(|r| r.contains("| Province AB |")).expect("AB's row");
    assert!(ab.starts_with("| 1 | Province AB | 90.0 (partial) | Province A | Partial:"), "{ab}");
    // D1 and D2's own restatements of 2024 hold none of D's data.
    let split = "cases,prov-a,2024,30,src\ncases,prov-b,2024,40,src\ncases,prov-d,2024,60,src\n\
                 cases,prov-d1-2025,2024,33,src\ncases,prov-d2-2025,2024,30,src\n";
    let (markdown, _) = review(split, "2024..2024", "provinces-c1-34");
    let rows = map_rows(&markdown, "– 2024 · 4 provinces (from");
    assert!(rows.contains(&"| 1 | Province AB | 70 | Province A, Province B |  |"), "{rows:?}");
    let successors: Vec<&&str> = rows.iter().filter(|r| r.contains("Province D")).collect();
    assert_eq!(successors.len(), 2, "{rows:?}");
    // Each is marked as the restatement it is (round 61).
    for unit in ["D1", "D2"] {
        let row = successors.iter().find(|r| r.contains(&format!("| Province {unit} |"))).expect("a successor's row");
        assert!(
            row.ends_with(&format!(
                "|  | Includes figures restated for days before their unit existed, standing for the units it \
                 succeeded: Province {unit} (from 1 Jul 2025) for 2024 |"
            )),
            "{row}"
        );
    }
}

/// A ranking chart's title names its map, so that a chart copied without its heading says which provinces it ranks.
#[test]
fn a_ranking_chart_names_its_map() {
    let data = "cases,prov-a,2024,30,src\ncases,prov-b,2024,40,src\ncases,prov-c,2024,50,src\n";
    let (_, old) = review(data, "2024..2024", "provinces-c1-63");
    assert!(old.contains("Cases detected – 2024, 4 provinces (before 1 Jul 2025)</title>"), "{old}");
    let (_, new) = review(data, "2024..2024", "provinces-c1-34");
    assert!(new.contains("Cases detected – 2024, 4 provinces (from 1 Jul 2025)</title>"), "{new}");
}

/// The 63's table stays on a year its provinces lived through whole: one old province's late report of its second
/// half of 2025 made the table its 2025, where the others showed "no data" beside all of them reporting 2024 (round
/// 60, found by a review helper on the built-in catalogue; the regional panels read the year the same way).
#[test]
fn a_late_report_of_an_ended_province_does_not_pick_the_old_maps_year() {
    let data = "cases,prov-a,2024,30,src\ncases,prov-b,2024,40,src\ncases,prov-c,2024,50,src\n\
                cases,prov-a,2025S1,20,src\ncases,prov-b,2025S1,20,src\ncases,prov-ab-2025,2025S2,35,src\n\
                cases,prov-a,2025S2,9,src\n";
    let (markdown, _) = review(data, "2024..2025", "provinces-c1-63");
    assert!(map_rows(&markdown, "– 2025 · 4 provinces (before").is_empty(), "{markdown}");
    let rows = map_rows(&markdown, "– 2024 · 4 provinces (before");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[0].starts_with("| 1 | Province C | 50 |"), "{rows:?}");
    // A province the merger left as it was, with a value of all 2025, does not make it the year of a map that ended on
    // 30 June 2025 (round 72, found by an adversarial tester): its 2025 is ranked on the map from 1 July.
    let (markdown, _) = review(&format!("{data}cases,prov-c,2025,55,src\n"), "2024..2025", "provinces-c1-63");
    assert!(map_rows(&markdown, "– 2025 · 4 provinces (before").is_empty(), "{markdown}");
    assert_eq!(map_rows(&markdown, "– 2024 · 4 provinces (before").len(), 3, "{markdown}");
    let rows = map_rows(&markdown, "– 2025 · 4 provinces (from");
    assert!(rows.iter().any(|r| r.starts_with("| 2 | Province C | 55 |")), "{rows:?}");
}

/// The same for the regional panels, on a catalogue where a province continues unchanged through the merger
/// (`tests/fixtures/province-map-unchanged-province`: A and B merge into AB, C stays; region X groups A, B and C): the
/// complete 2024 is compared (A 95.0 highest, C 70.0 lowest, 3 of 3), not 2025 with C alone (round 72).
#[test]
fn a_province_unchanged_by_the_merger_does_not_pick_the_year_of_the_regions() {
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/province-map-unchanged-province");
    let out = tempfile::tempdir().expect("a temporary folder");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["report", "--window", "2021..2025", "--as-of", "2026-03-01", "--lang", "en", "--format", "md", "-q"])
        .arg("--out")
        .arg(out.path().join("review"))
        .current_dir(&folder)
        .output()
        .expect("the tiendo binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let markdown = std::fs::read_to_string(out.path().join("review/review.md")).expect("the review");
    assert!(markdown.contains("| Region X | 3/3 | Province A 95.0 | Province C 70.0 | 0 | [1] |"), "{markdown}");
    assert!(markdown.contains("### Resolution rate – 2024 · 3 provinces (before 1 Jul 2025)"), "{markdown}");
    let rows = map_rows(&markdown, "– 2025 · 2 provinces (from");
    assert_eq!(rows.first().copied(), Some("| 1 | Province AB | 87.5 | Province A, Province B |"), "{markdown}");
}

/// The review (both languages, as of `as_of`, over `window`) of `data` on the catalogue of boundary changes
/// (`tests/fixtures/changes/areas-catalogue.toml`: six provinces on either side of 1 July 2025, E begun on 1 July 2024
/// from no unit, F and G merged into FG and D split into D1 and D2 that day): the English and Vietnamese Markdown.
fn areas_review(data: &str, window: &str, as_of: &str) -> (String, String) {
    let catalogue = fixture_catalogue("../changes/areas-catalogue.toml");
    let folder = project(&catalogue, &rows(data), "");
    let out = report(folder.path(), (as_of, window, "en,vi"));
    let read = |lang: &str| std::fs::read_to_string(out.join(lang).join("review.md")).expect("the review");
    (read("en"), read("vi"))
}

/// A map is labelled with the catalogue's own count of provinces, and a catalogue whose provinces are the same on
/// both sides of 1 July 2025 has one map: six provinces were "63 provinces (before 1 Jul 2025)" and again "34
/// provinces (from 1 Jul 2025)", the same six rows twice (round 63).
#[test]
fn a_map_says_how_many_provinces_it_has_and_is_not_repeated() {
    let data = "cases,dist-a1,2025,20,src\ncases,dist-c1,2025,30,src\ncases,prov-e,2025,10,src\n";
    let (en, vi) = areas_review(data, "2025..2025", "2026-01-15");
    assert!(en.contains("### Cases detected – 2025 · 6 provinces\n"), "{en}");
    assert!(vi.contains("### Số vụ phát hiện – năm 2025 · 6 tỉnh, thành phố\n"), "{vi}");
    assert_eq!(en.matches("### Cases detected – 2025 ·").count(), 1, "{en}");
    assert!(!en.contains("· 63 provinces") && !en.contains("· 34 provinces"), "{en}");
    // Before 1 July 2025 a review knows the old map only, with its own count.
    let (en, _) = areas_review("cases,dist-a1,2024,20,src\n", "2024..2024", "2025-01-15");
    assert!(en.contains("### Cases detected – 2024 · 6 provinces (before 1 Jul 2025)\n"), "{en}");
}

/// A value of a unit that lived through part of its period says so beside it: province E, begun on 1 July 2024 from
/// no unit, had "3 | Province E | 5" ranked beside whole years with no word; the split's successors D1 and D2 had
/// "no data" for 2024 though they reported their half; F, ended on 30 June 2024, its half as its year. A merger's
/// successor FG, which holds F's and G's first half, has no such note (round 63).
#[test]
fn a_value_of_part_of_a_units_period_is_marked_in_the_annex() {
    let data = "cases,dist-a1,2024,20,src\ncases,prov-e,2024S2,5,src\ncases,prov-f,2024S1,3,src\n\
                cases,prov-g,2024S1,4,src\ncases,prov-fg,2024S2,9,src\ncases,prov-d,2024S1,6,src\n\
                cases,prov-d1,2024S2,3,src\ncases,prov-d2,2024S2,4,src\n";
    let (en, vi) = areas_review(data, "2024..2024", "2025-01-15");
    let rows = map_rows(&en, "– 2024 · 6 provinces");
    let row = |name: &str| rows.iter().find(|r| r.contains(&format!("| {name} |"))).copied().unwrap_or_default();
    assert!(
        row("Province E")
            .ends_with("| 5 |  | The unit began on 1 Jul 2024: the figure covers its days from then only |"),
        "{rows:?}"
    );
    assert!(row("Province FG").ends_with("| 16 | Province F, Province G |  |"), "{rows:?}");
    assert!(en.contains("| — | Province D1 | no data |  | The unit began on 1 Jul 2024 |"), "{en}");
    assert!(vi.contains("| 5 |  | Đơn vị bắt đầu từ 01/07/2024, số liệu chỉ gồm những ngày từ đó |"), "{vi}");
}

/// A map whose every value is hidden cites no source: its line says no "Sources:" with nothing after it (round 65,
/// F6, found by a verifier), while a map with a shown value still cites it.
#[test]
fn a_map_with_every_value_hidden_names_no_sources() {
    let data = "victims,prov-a,2024,3,src\nvictims,prov-b,2024,4,src\nvictims,prov-c,2024,5,src\n\
                victims,prov-d,2024,6,src\ncases,prov-a,2024,30,src\ncases,prov-b,2024,40,src\n";
    let (markdown, _) = review(data, "2024..2024", "provinces-c5-63");
    let line_after = |heading: &str| {
        let start = markdown.lines().position(|l| l.starts_with("### ") && l.contains(heading)).expect(heading);
        markdown.lines().skip(start + 1).find(|l| !l.is_empty()).expect("the map's line").to_owned()
    };
    let victims = line_after("Victims – 2024");
    assert!(!victims.contains("Sources"), "{victims}\n{markdown}");
    let cases = line_after("Cases detected – 2024");
    assert!(cases.contains("Sources: ["), "{cases}");
}

/// The regional comparison too: a comparison whose every rate is hidden cites no source, one with shown rates cites
/// them (round 66, found by a verifier; fixture `tests/fixtures/regions-all-hidden`).
#[test]
fn a_regional_comparison_with_every_rate_hidden_names_no_sources() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regions-all-hidden");
    for file in ["catalogue.toml", "data.csv", "tiendo.toml"] {
        std::fs::copy(fixture.join(file), folder.path().join(file)).expect("fixture copied");
    }
    let out = report(folder.path(), ("2025-06-01", "2024..2024", "en"));
    let markdown = std::fs::read_to_string(out.join("review.md")).expect("the review");
    let line_after = |heading: &str| {
        let start = markdown.lines().position(|l| l == heading).unwrap_or_else(|| panic!("{heading}\n{markdown}"));
        markdown.lines().skip(start + 1).find(|l| !l.is_empty()).expect("a line").to_owned()
    };
    assert!(!line_after("#### S1 – Share supported – 2024").starts_with("Sources"), "{markdown}");
    assert!(line_after("#### R1 – Share solved – 2024").starts_with("Sources: ["), "{markdown}");
    let html = std::fs::read_to_string(out.join("review.html")).expect("the HTML review");
    assert!(!html.contains("<p>Sources: </p>"), "an empty list of sources");
}
