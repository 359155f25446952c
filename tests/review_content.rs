//! The review's content, correct to the date (issue 12 item 1, issue 13 item 4), end to end with the real binary:
//! nothing dated after `--as-of` appears (sources, their figures, plans, the 34-province map), activities outside the
//! window are not overdue, the indicator table cites the value's and the target's sources apart, the bibliography
//! shows public notes only, and notes travel with their values (a plugin's note, a data row's note).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example as it was before issue 12 (synthetic provinces on both maps), frozen for tests.
const FROZEN_EXAMPLE: &str = "tests/fixtures/frozen-example/examples/vietnam-2021-2025";
/// The as-of fixture: a source and a plan dated after 15 Jan 2024, activities of 2018, 2022 and 2025, noted rows.
const AS_OF: &str = "tests/fixtures/review/as-of";
/// Case b2-09: a plugin returns a Vietnamese note with its metric (`../shared/cases/review/b2-09-*`).
const PLUGIN_NOTE: &str = "tests/fixtures/review/b2-09-plugin-vietnamese-note";

/// Runs `tiendo report PROJECT --window WINDOW --as-of AS_OF --lang vi,en --format md,json` into `out`.
fn report(project: &str, window: &str, as_of: &str, out: &Path, cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", project, "--window", window, "--as-of", as_of, "--lang", "vi,en", "--format", "md,json"])
        .arg("--out")
        .arg(out)
        .env("NO_COLOR", "1")
        .env("TIENDO_CACHE_DIR", cache)
        .output()
        .expect("the tiendo binary runs")
}

struct Written {
    _dir: tempfile::TempDir,
    out: PathBuf,
    output: Output,
}

impl Written {
    fn new(project: &str, window: &str, as_of: &str) -> Written {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("review");
        let cache = dir.path().join("cache");
        let output = report(project, window, as_of, &out, &cache);
        Written { _dir: dir, out, output }
    }

    fn md(&self, lang: &str) -> String {
        std::fs::read_to_string(self.out.join(lang).join("review.md")).expect("review.md is written")
    }

    fn json(&self, lang: &str) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out.join(lang).join("review.json")).expect("review.json is written");
        serde_json::from_str(&text).expect("valid JSON")
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
}

/// The section of a Markdown review from the heading `## {title}` or `### {title}` (a part of the results) to the
/// next heading of level 2 or 3.
fn section<'a>(md: &'a str, title: &str) -> &'a str {
    let start = md
        .find(&format!("\n## {title}\n"))
        .or_else(|| md.find(&format!("\n### {title}\n")))
        .unwrap_or_else(|| panic!("section {title} in:\n{md}"));
    let rest = &md[start + 1..];
    let next = |marker: &str| rest[4..].find(marker).map(|e| e + 4);
    let end = [next("\n## "), next("\n### ")].into_iter().flatten().min().unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn figures_from_a_source_dated_after_the_as_of_date_are_left_out_with_one_counted_warning() {
    let run = Written::new(AS_OF, "2021..2023", "2024-01-15");
    assert_eq!(run.output.status.code(), Some(0), "{}", run.stderr());
    let stderr = run.stderr();
    assert_eq!(stderr.matches("W303").count(), 1, "{stderr}");
    assert!(stderr.contains("2 observations cite a source dated after the as-of date 2024-01-15 (`late`)"), "{stderr}");
    for lang in ["vi", "en"] {
        let json = run.json(lang);
        let series = json["indicators"][0]["series"].as_array().expect("series");
        let periods: Vec<&str> = series.iter().map(|p| p["period"].as_str().unwrap()).collect();
        assert_eq!(periods, ["2021", "2022"], "the 2023 figures come from the later source");
        assert!(json["sources"].get("late").is_none(), "the later source is not listed");
        assert!(json["sources"].get("late-plan").is_none(), "the later plan's source is not listed");
    }
    assert!(!run.md("en").contains("Report for 2023"), "the later source is not in the bibliography");
}

#[test]
fn the_same_project_on_a_later_date_includes_what_it_left_out() {
    let run = Written::new(AS_OF, "2021..2023", "2024-06-01");
    assert_eq!(run.output.status.code(), Some(0), "{}", run.stderr());
    assert!(!run.stderr().contains("W303"), "{}", run.stderr());
    let json = run.json("en");
    let periods: Vec<&str> =
        json["indicators"][0]["series"].as_array().unwrap().iter().map(|p| p["period"].as_str().unwrap()).collect();
    assert_eq!(periods, ["2021", "2022", "2023"]);
    assert!(json["sources"].get("late").is_some());
    let md = run.md("en");
    assert!(md.contains("Activity of the 2024 plan"), "a plan adopted by then is shown:\n{md}");
    assert!(md.contains("Targets of the implementing plans"), "its target is listed:\n{md}");
}

#[test]
fn a_plan_adopted_after_the_as_of_date_shows_neither_its_targets_nor_its_activities() {
    let run = Written::new(AS_OF, "2021..2023", "2024-01-15");
    let md = run.md("en");
    assert!(!md.contains("Activity of the 2024 plan"), "{md}");
    assert!(!md.contains("Plan for 2024"), "{md}");
    assert!(!md.contains("Targets of the implementing plans"), "{md}");
}

#[test]
fn only_activities_due_inside_the_window_are_shown_and_none_outside_is_overdue() {
    // The 2022 activity is recorded in progress; the 2023 one has no status.
    let run = Written::new(AS_OF, "2021..2023", "2024-01-15");
    let md = run.md("en");
    let activities = section(&md, "Activity-plan progress");
    assert!(activities.contains("Activity of 2022"), "{activities}");
    assert!(activities.contains("**overdue**"), "the 2022 activity is overdue on 15 Jan 2024:\n{activities}");
    assert!(!activities.contains("Activity of 2018"), "before the window:\n{activities}");
    assert!(!activities.contains("Activity of 2025"), "after the window:\n{activities}");
    assert_eq!(activities.matches("**overdue**").count(), 1, "{activities}");
    // An activity whose status no source records is not judged overdue (round 63, found by a review helper).
    let unknown = activities.lines().find(|l| l.contains("Activity of 2023 without a status")).unwrap_or_default();
    assert!(unknown.contains("| No status recorded |"), "{activities}");
}

#[test]
fn a_plan_adopted_after_the_as_of_date_cannot_be_reviewed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(AS_OF);
    for file in ["catalogue.toml", "data.csv"] {
        std::fs::copy(fixture.join(file), project.join(file)).unwrap();
    }
    let manifest = std::fs::read_to_string(fixture.join("tiendo.toml")).unwrap();
    std::fs::write(
        project.join("tiendo.toml"),
        manifest.replace("programme = \"plan-main\"", "programme = \"plan-late\""),
    )
    .unwrap();
    let output = report(project.to_str().unwrap(), "2023..2023", "2024-01-15", &dir.path().join("out"), dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did not exist on the as-of date 2024-01-15 (adopted 2024-05-01)"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn the_indicator_table_cites_the_values_source_and_the_targets_source_apart() {
    let run = Written::new(AS_OF, "2021..2023", "2024-01-15");
    let md = run.md("en");
    let table = section(&md, "Indicator table");
    // [1] is the 2022 report (the value), [2] the decision (the target and the definition).
    assert!(table.contains("| ≥ 100 (2025) [2] | 60 (2022) [1] |"), "{table}");
    assert!(table.contains("Indicator defined in"), "{table}");
}

#[test]
fn the_bibliography_shows_public_notes_in_each_language_and_never_the_working_notes() {
    let run = Written::new(AS_OF, "2021..2023", "2024-01-15");
    let (vi, en) = (run.md("vi"), run.md("en"));
    assert!(vi.contains("_Số liệu sơ bộ._"), "{vi}");
    assert!(en.contains("_Preliminary figures._"), "{en}");
    assert!(vi.contains("một số thông tin lấy từ nguồn này chưa được đối chiếu với toàn văn"), "{vi}");
    for (lang, text) in [("vi", &vi), ("en", &en)] {
        assert!(!text.contains("INTERNAL"), "{lang}: a working note is published:\n{text}");
        assert!(!serde_json::to_string(&run.json(lang)).unwrap().contains("INTERNAL"), "{lang} JSON");
    }
}

/// A row's note reaches its value in each review's language: `note_vi` in Vietnamese and `note_en` in English where
/// the row gives them, else `note` as written; a row with no note gets none.
#[test]
fn a_data_rows_note_travels_with_its_value_in_the_reviews_language() {
    let run = Written::new(AS_OF, "2021..2023", "2024-06-01");
    let expected = [
        ("vi", "2021", Some("suy ra: số năm 2022 trừ mức tăng")),
        ("en", "2021", Some("derived: 2022 figure minus the increase")),
        // Only `note_en`: shown in both reviews rather than dropped from one.
        ("vi", "2022", Some("checked against the ministry's table")),
        ("en", "2022", Some("checked against the ministry's table")),
        ("vi", "2023", None),
        ("en", "2023", None),
    ];
    for (lang, period, want) in expected {
        let json = run.json(lang);
        let series = json["indicators"][0]["series"].as_array().unwrap();
        let note = series.iter().find(|p| p["period"] == period).and_then(|p| p["note"][lang].as_str());
        assert_eq!(note, want, "{lang} {period}");
    }
    assert!(run.md("en").contains("| 2021 | 50 | derived: 2022 figure minus the increase |"), "{}", run.md("en"));
    assert!(run.md("vi").contains("| 50 | suy ra: số năm 2022 trừ mức tăng |"), "{}", run.md("vi"));
}

#[test]
fn case_b2_09_a_plugins_note_reaches_the_review_beside_its_value() {
    let run = Written::new(PLUGIN_NOTE, "2021..2023", "2024-01-15");
    assert_eq!(run.output.status.code(), Some(0), "{}", run.stderr());
    let note = "Tỉnh Quảng Nam: đã hỗ trợ tái hòa nhập cộng đồng";
    for (lang, name, unit) in [
        ("vi", "H1 – Nạn nhân tái hòa nhập (plugin)", "Tỉnh A"),
        ("en", "H1 – Victims reintegrated (plugin)", "Province A"),
    ] {
        let md = run.md(lang);
        let year = if lang == "vi" { "năm 2023" } else { "2023" };
        // The plugin's own description instead of its id, the indicator's name instead of the metric id, the count
        // without decimals, the note in its column.
        let plugin = "Văn bản tiếng Việt qua ranh giới thành phần";
        let row = format!("| {plugin} | {name} | {unit} | {year} | 12 | {note} |");
        assert!(md.contains(&row), "{lang}: no row {row} in:\n{md}");
        let json = run.json(lang);
        let metrics = json["plugins"]["metrics"].as_array().expect("plugin metrics");
        assert!(metrics.iter().all(|m| m["note"][lang] == note), "{lang}: {metrics:?}");
        let series = json["indicators"][0]["series"].as_array().expect("series");
        assert!(series.iter().all(|p| p["note"][lang].as_str() == Some(note)), "{lang}: {series:?}");
    }
}

#[test]
fn a_review_made_before_the_merger_shows_no_34_province_view_and_one_made_after_does() {
    let before = Written::new(FROZEN_EXAMPLE, "2021..2023", "2024-01-15");
    let json = before.json("en");
    let maps: Vec<&str> =
        json["provincial_comparisons"].as_array().unwrap().iter().map(|c| c["map"].as_str().unwrap()).collect();
    assert!(!maps.is_empty());
    assert!(maps.iter().all(|m| *m == "before2025"), "{maps:?}");
    let md = before.md("en");
    assert!(!md.contains("202/2025/QH15"), "the merger is not in a review made before it");
    assert!(!md.contains("34 provinces"), "{md}");

    let after = Written::new(FROZEN_EXAMPLE, "2021..2023", "2025-07-01");
    let json = after.json("en");
    let maps: Vec<&str> =
        json["provincial_comparisons"].as_array().unwrap().iter().map(|c| c["map"].as_str().unwrap()).collect();
    assert!(maps.contains(&"from2025"), "{maps:?}");
    let md = after.md("en");
    assert!(md.contains("202/2025/QH15"));
    assert!(md.contains("Da Nang, Quang Nam"), "Quảng Nam's data is shown under the new Đà Nẵng, in Vietnamese order");
}

#[test]
fn the_kind_follows_the_window_unless_given_and_the_title_follows_the_kind() {
    let title = |window: &str, extra: &[&str]| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("review");
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["report", AS_OF, "--window", window, "--as-of", "2026-01-15", "--lang", "vi,en", "--format", "md"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("the tiendo binary runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        ["vi", "en"].map(|lang| {
            let md = std::fs::read_to_string(out.join(lang).join("review.md")).expect("review.md");
            md.lines().next().unwrap_or_default().to_owned()
        })
    };
    // The plan runs 2021-2025: a window that reaches 2025 is the end-of-term review.
    assert_eq!(title("2021..2023", &[]), ["# Báo cáo sơ kết giữa kỳ: Kế hoạch chính", "# Mid-term review: Main plan"]);
    assert_eq!(title("2021..2025", &[]), ["# Báo cáo tổng kết: Kế hoạch chính", "# End-of-term review: Main plan"]);
    assert_eq!(title("2021..2025", &["--kind", "mid-term"])[1], "# Mid-term review: Main plan");
    assert_eq!(title("2021..2023", &["--kind", "end-of-term"])[1], "# End-of-term review: Main plan");
}

#[test]
fn the_cover_names_the_issuer_number_date_and_status_and_a_draft_says_so() {
    let final_review = Written::new(AS_OF, "2021..2023", "2024-01-15");
    let en = final_review.md("en");
    for line in ["- **Issued by:** Test Steering Committee", "- **Number:** 01/BC-TN", "- **Date:** 20 Jan 2024"] {
        assert!(en.contains(line), "{line} in:\n{en}");
    }
    assert!(en.contains("- **Document status:** Final") && !en.contains("DRAFT"), "{en}");
    assert!(final_review.md("vi").contains("- **Cơ quan ban hành:** Ban Chỉ đạo thử nghiệm"));
    // A project without `[review]` makes a draft, and says so on the cover.
    let draft = Written::new(PLUGIN_NOTE, "2021..2023", "2024-01-15");
    assert!(draft.md("vi").contains("**DỰ THẢO**"));
    assert!(draft.md("en").contains("- **Document status:** DRAFT"));
}

#[test]
fn a_target_without_data_is_a_gap_naming_what_is_missing_the_agency_of_the_period_and_the_form() {
    // V1 has a target and no data. Its agency, the labour ministry, ended on 28 Feb 2025 and its victim-support
    // function went to Health: a review to 2023 names the ministry, a review to 2025 names Health.
    let mid = Written::new(AS_OF, "2021..2023", "2024-01-15");
    let gaps = section(&mid.md("en"), "Targets without data: what is needed").to_owned();
    let row = "| V1 | Share of victims supported | Victims supported; Victims received | Labour ministry (test) | Victim support form |";
    assert!(gaps.contains(row), "{gaps}");
    assert!(!gaps.contains("| C1 |"), "C1 has data:\n{gaps}");
    let vi = mid.md("vi");
    assert!(vi.contains("| V1 | Tỷ lệ nạn nhân được hỗ trợ | Số nạn nhân được hỗ trợ; Số nạn nhân được tiếp nhận | Bộ Lao động (thử) | Biểu mẫu hỗ trợ nạn nhân |"), "{vi}");

    let end = Written::new(AS_OF, "2021..2025", "2026-01-15");
    let gaps = section(&end.md("en"), "Targets without data: what is needed").to_owned();
    assert!(
        gaps.contains("| V1 | Share of victims supported | Victims supported; Victims received | Health (test) |"),
        "{gaps}"
    );
    let json = end.json("en");
    let gaps = json["data_gaps"].as_array().expect("data gaps");
    let gap = gaps.iter().find(|g| g["indicator_code"] == "V1").expect("V1's gap");
    assert_eq!(gap["agency"]["en"], "Health (test)");
    assert!(gap.get("period").is_none(), "V1 has no value at all: {gap}");
    // C1 has values up to 2023 and none for 2025, its target's year, over by the as-of date: a gap of that year.
    let c1 = gaps.iter().find(|g| g["indicator_code"] == "C1").expect("C1's gap");
    assert_eq!(c1["period"], "2025", "{c1}");
    let md = end.md("en");
    let c1_row = section(&md, "Targets without data: what is needed").lines().find(|l| l.starts_with("| C1 |"));
    assert!(c1_row.is_some_and(|row| row.contains("(for 2025)")), "{c1_row:?}");
    assert!(end.md("vi").contains("(cho năm 2025)"));
}

#[test]
fn a_review_whose_every_target_has_data_says_so() {
    let run = Written::new(PLUGIN_NOTE, "2021..2023", "2024-01-15");
    let md = run.md("en");
    assert!(section(&md, "Targets without data: what is needed").contains("No target lacks reported data;"), "{md}");
}

#[test]
fn the_indicator_table_names_the_agency_responsible_in_the_period_shown() {
    let row = |window: &str, as_of: &str| {
        let run = Written::new(AS_OF, window, as_of);
        let md = run.md("en");
        section(&md, "Indicator table").lines().find(|l| l.starts_with("| V1 |")).expect("V1's row").to_owned()
    };
    assert!(row("2021..2023", "2024-01-15").ends_with("| Labour ministry (test) |"));
    assert!(row("2021..2025", "2026-01-15").ends_with("| Health (test) |"));
}

/// The confidentiality note says what the threshold suppresses: counts from 1 to threshold - 1, "of 1" at 2, and at
/// 1 (the least allowed) that no count is suppressed (round 49: "counts from 1 to 0 are suppressed", found by a review helper).
#[test]
fn the_confidentiality_note_names_the_counts_the_threshold_suppresses() {
    // (threshold, whether a count is marked sensitive, English, Vietnamese)
    let cases = [
        (
            1,
            true,
            "No count of victims is suppressed: the confidentiality threshold is 1",
            "Không số nạn nhân nào bị ẩn",
        ),
        (2, true, "Counts of victims of 1 in a cell are suppressed", "Số nạn nhân bằng 1 trong một ô được ẩn"),
        (
            11,
            true,
            "Counts of victims from 1 to 10 in a cell are suppressed",
            "Số nạn nhân từ 1 đến 10 trong một ô được ẩn",
        ),
        // A catalogue that marks no count sensitive protects nothing, and says so (round 66, a review helper).
        (11, false, "Nothing is suppressed: the project's catalogue marks no count sensitive", "Không số nào bị ẩn"),
    ];
    for (threshold, marked, en, vi) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("project");
        std::fs::create_dir(&project).expect("project folder");
        std::fs::copy(Path::new(AS_OF).join("data.csv"), project.join("data.csv")).expect("fixture copied");
        let catalogue = std::fs::read_to_string(Path::new(AS_OF).join("catalogue.toml")).expect("the catalogue");
        let sensitive =
            "id = \"victims_received\"\nname = { vi = \"Số nạn nhân được tiếp nhận\", en = \"Victims received\" }\n";
        let catalogue =
            if marked { catalogue.replace(sensitive, &format!("{sensitive}sensitive = true\n")) } else { catalogue };
        std::fs::write(project.join("catalogue.toml"), catalogue).expect("catalogue written");
        let settings = std::fs::read_to_string(Path::new(AS_OF).join("tiendo.toml")).expect("fixture settings");
        std::fs::write(
            project.join("tiendo.toml"),
            format!("{settings}\n[confidentiality]\nthreshold = {threshold}\n"),
        )
        .expect("settings written");
        let written = Written::new(project.to_str().expect("a UTF-8 path"), "2022..2023", "2024-01-15");
        let (md_en, md_vi) = (written.md("en"), written.md("vi"));
        assert!(
            md_en.contains(en),
            "threshold {threshold}:\n{}\n{}",
            section(&md_en, "Confidentiality"),
            written.stderr()
        );
        assert!(md_vi.contains(vi), "threshold {threshold}: {}", section(&md_vi, "Bảo mật thông tin nạn nhân"));
        assert!(!md_en.contains("from 1 to 0") && !md_en.contains("from 1 to 1 "), "threshold {threshold}");
    }
}

/// A target whose period has a hidden value that decides its status is no data gap: its data were supplied and are
/// suppressed, as every table says ("suppressed"), and the gaps table asked an agency for them, "no form collects it
/// yet" (round 72, found by an adversarial tester). A hidden value built from part of the reports decides nothing
/// and its missing reports stay listed, as they were before it was hidden (round 72, found by a verifier;
/// `tests/fixtures/suppressed-target-value`: Province B's 2024 and Province C's fourth quarter are missing). The
/// narrative's `{{coverage}}` of a hidden value says "suppressed" (`narrative_tests`).
#[test]
fn a_target_whose_value_is_hidden_is_a_data_gap_only_while_reports_are_missing() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suppressed-target-value");
    let complete = "data_element,org_unit,period,value,source\nvictims,prov-a,2023,30,src\nvictims,prov-b,2023,41,src\n\
                    victims,prov-c,2023,33,src\nvictims,prov-a,2024,3,src\nvictims,prov-b,2024,2,src\nvictims,prov-c,2024,4,src\n";
    for (data, listed) in [(None, true), (Some(complete), false)] {
        let dir = tempfile::tempdir().expect("temp dir");
        for file in ["catalogue.toml", "tiendo.toml", "data.csv"] {
            std::fs::copy(fixture.join(file), dir.path().join(file)).expect("fixture copied");
        }
        if let Some(data) = data {
            std::fs::write(dir.path().join("data.csv"), data).expect("data");
        }
        let out = dir.path().join("review");
        let output =
            report(dir.path().to_str().expect("UTF-8"), "2021..2025", "2025-03-01", &out, &dir.path().join("c"));
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        for lang in ["en", "vi"] {
            let md = std::fs::read_to_string(out.join(lang).join("review.md")).expect("review.md");
            let whole = md.lines().find(|l| l.starts_with("| C5 |") && (l.contains("suppressed") || l.contains("ẩn")));
            assert!(whole.is_some(), "the hidden 2024 in the whole-period table: {md}");
            let gaps =
                md.find("| Mã | Chỉ số | Số liệu còn thiếu").or_else(|| md.find("| Code | Indicator | Missing data"));
            let gaps = gaps.map_or("", |start| &md[start..md[start..].find("\n\n").map_or(md.len(), |e| start + e)]);
            assert_eq!(gaps.contains("| C5 |"), listed, "{lang}, listed {listed}: {md}");
        }
    }
}

/// A data gap of an indicator computed from no data element names what is missing rather than leave the cell empty
/// (round 72): the indicator's own values where they are reported directly (P9, a percentage given as it is), in each
/// language; a gap of an indicator with a formula names its elements as before (P8).
#[test]
fn a_data_gap_of_values_reported_directly_names_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/breakdowns-computable/catalogue.toml");
    std::fs::copy(catalogue, dir.path().join("catalogue.toml")).expect("catalogue copied");
    std::fs::write(dir.path().join("data.csv"), "data_element,org_unit,period,value,source,sex\n").expect("data");
    let manifest = "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\n\
                    catalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n";
    std::fs::write(dir.path().join("tiendo.toml"), manifest).expect("manifest");
    let out = dir.path().join("review");
    let output = report(dir.path().to_str().expect("UTF-8"), "2021..2023", "2024-01-15", &out, &dir.path().join("c"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let read = |lang: &str| std::fs::read_to_string(out.join(lang).join("review.md")).expect("review.md");
    let en = read("en");
    let gaps = section(&en, "Targets without data: what is needed");
    assert!(gaps.contains("| P9 | Share supported | Share supported (values reported directly) | — |"), "{gaps}");
    assert!(gaps.contains("| P8 | Share supported (element) | Share supported (data) | — |"), "{gaps}");
    assert!(read("vi").contains("| P9 | Tỷ lệ hỗ trợ | Tỷ lệ hỗ trợ (giá trị báo cáo trực tiếp) | — |"));
}

/// A percentage reported by sex only (80 and 60 %, no total row) has no value of its own, and the review says why
/// beside its status, in every language, rather than a bare "No data" above its own table of 85.0 and 65.0 (W355,
/// round 72, found by an adversarial tester); its data gap names what is missing. Fixture:
/// `tests/fixtures/options-only-percentage`.
#[test]
fn a_value_reported_by_its_options_only_says_so_beside_its_status() {
    let run = Written::new("tests/fixtures/options-only-percentage", "2021..2025", "2026-01-15");
    assert_eq!(run.output.status.code(), Some(0), "{}", run.stderr());
    let en = run.md("en");
    let row = en.lines().find(|l| l.starts_with("| P1 |")).expect("P1's row");
    assert!(
        row.contains("? No data (reported by its breakdown's options only, with no value of its own: see the disaggregations, W355)"),
        "{row}"
    );
    assert!(en.contains("| P1 | Share trained | Share trained (values reported directly) |"), "{en}");
    let vi = run.md("vi");
    assert!(
        vi.contains("(chỉ báo cáo theo từng nhóm phân tổ, không có giá trị chung: xem bảng phân tổ, W355)"),
        "{vi}"
    );
}
