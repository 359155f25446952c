//! A count reported directly (an indicator with no formula) can be marked sensitive, and is then suppressed and
//! audited like a sensitive data element's; a project that marks no count sensitive says in its review that nothing
//! is suppressed, never that victims' counts are (round 66, found by a review helper: a directly reported victim count
//! of 3 was published beside "counts of victims from 1 to 10 are suppressed"). Fixture:
//! `tests/fixtures/disclosure-reported-count`.

use std::path::{Path, PathBuf};

#[path = "support/project.rs"]
mod support;

/// A copy of the fixture, its catalogue changed by `edit`.
fn project(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-reported-count");
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in ["catalogue.toml", "data.csv", "tiendo.toml"] {
        std::fs::copy(fixture.join(file), folder.path().join(file)).expect("fixture copied");
    }
    let path = folder.path().join("catalogue.toml");
    std::fs::write(&path, edit(std::fs::read_to_string(&path).expect("catalogue"))).expect("catalogue written");
    folder
}

fn review(folder: &Path) -> (String, PathBuf) {
    let out = support::report(folder, ("2026-01-15", "2021..2025", "en"));
    (std::fs::read_to_string(out.join("review.md")).expect("the review"), out)
}

#[test]
fn a_sensitive_count_reported_directly_is_suppressed_and_audited() {
    let folder = project(|c| c);
    let (json, stderr) = support::eval_json(folder.path(), &[]);
    let shown =
        |unit: &str| support::point(&json, "victims-identified", unit, "2024").expect("a point")["state"].clone();
    assert_eq!(
        (shown("prov-a"), shown("prov-b"), shown("vn")),
        ("suppressed".into(), "suppressed".into(), "value".into()),
        "{stderr}"
    );
    assert_eq!(json["disclosure"]["verdict"], "protected", "{}", json["disclosure"]);
    let (markdown, _) = review(folder.path());
    assert!(markdown.contains("| — | Province A | suppressed |"), "{markdown}");
    assert!(!markdown.contains("| Province A | 3 |"), "{markdown}");
}

#[test]
fn a_project_that_marks_no_count_sensitive_says_nothing_is_suppressed() {
    let folder = project(|c| c.replace("sensitive = true\n", ""));
    let (markdown, _) = review(folder.path());
    assert!(markdown.contains("| Province A | 3 |"), "published as reported: {markdown}");
    assert!(markdown.contains("Nothing is suppressed: the project's catalogue marks no count sensitive"), "{markdown}");
    assert!(!markdown.contains("Counts of victims from 1 to 10 in a cell are suppressed"), "{markdown}");
}

#[test]
fn only_a_count_reported_directly_is_marked_sensitive_on_the_indicator() {
    for (measure, why) in [
        ("measure = \"ratio\"", "its measure is not `count`"),
        ("measure = \"count\"\nnumerator = \"cases\"", "it has a formula"),
    ] {
        let folder = project(|c| {
            c.replacen("measure = \"count\"", measure, 1)
                + "\n[[data_element]]\nid = \"cases\"\nname = { vi = \"Vụ\", en = \"Cases\" }\n"
        });
        let (code, stdout, stderr) = support::run_in(folder.path(), &["check"]);
        assert_eq!(code, Some(1), "{why}: {stdout}{stderr}");
        assert!(stdout.contains("E040") && stdout.contains(why), "{why}: {stdout}{stderr}");
    }
}

/// A yes-no or ordinal indicator's element holds codes, not counts of people: marked sensitive, suppression would
/// hide each "yes" (1) and show each "no" (0), and "suppressed" would be the answer; `check` refuses it with E040
/// at the indicator's numerator (round 74, found by an adversarial tester: verdict "protected"). Fixture:
/// `tests/fixtures/disclosure-coded-sensitive`.
#[test]
fn a_coded_indicator_reading_a_sensitive_element_is_refused() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-coded-sensitive");
    let (code, stdout, stderr) = support::run_in(&folder, &["check"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    for (indicator, element) in [("y1", "forced"), ("o1", "tier")] {
        let message = format!("indicator `{indicator}` is ");
        let line = stdout.lines().find(|l| l.contains(&message)).unwrap_or_else(|| panic!("{indicator}: {stdout}"));
        assert!(line.contains("E040") && line.contains(&format!("its element `{element}` is sensitive")), "{line}");
    }
    assert!(stdout.contains("catalogue.toml:109:13"), "{stdout}");
}
