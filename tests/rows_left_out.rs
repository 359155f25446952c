//! A data row that cannot be read is in no figure, and the review says so where its reader sees it: a banner at the
//! top and a list by code, name and `file:line` under Data quality, never the row's values (round 65, found by a
//! review helper: Province C's 500 cases under the mistyped id `prov-cc` left the national 2024 total of 85
//! "complete" and "achieved", and only the terminal said a row was refused). Project: `tests/fixtures/rows-left-out`.

use std::path::{Path, PathBuf};

#[path = "support/project.rs"]
mod support;

/// `tiendo report` of the fixture with `data` as its data file, in both languages and all formats: the exit code
/// and the folder written.
fn report(data: &str) -> (Option<i32>, tempfile::TempDir, PathBuf) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rows-left-out");
    let project = tempfile::tempdir().expect("temp dir");
    for file in ["tiendo.toml", "catalogue.toml"] {
        std::fs::copy(fixture.join(file), project.path().join(file)).expect("copy the fixture");
    }
    std::fs::write(project.path().join("data.csv"), data).expect("write the data");
    let out = project.path().join("review");
    let args = ["report", "--window", "2021..2025", "--as-of", "2025-06-01", "--lang", "vi,en", "--out"];
    let (code, _, _) = support::run_in(project.path(), &[&args[..], &[out.to_str().expect("a UTF-8 path")]].concat());
    (code, project, out)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_row_left_out_is_said_at_the_top_and_listed_without_its_value() {
    let data =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rows-left-out/data.csv"))
            .expect("the fixture's data");
    let (code, _project, out) = report(&data);
    assert_eq!(code, Some(1), "an error in the inputs exits 1 after writing the review");
    let en = read(out.join("en/review.md"));
    let banner = "> **⚠ 1 data row(s) could not be read and are in no figure of this review (see Data quality): the \
                  totals, changes and statuses they belong to may lack them.**";
    assert!(en.starts_with("# ") && en.lines().nth(2) == Some(banner), "{en}");
    assert!(en.contains("#### Data rows left out\n"), "{en}");
    assert!(en.contains("- `E311 unknown-org-unit` (`data.csv:6`)\n"), "{en}");
    assert!(!en.contains("500"), "the row's value is not quoted: {en}");
    let vi = read(out.join("vi/review.md"));
    assert!(vi.contains("1 dòng số liệu không đọc được"), "{vi}");
    let html = read(out.join("en/review.html"));
    assert!(html.contains("<code>E311 unknown-org-unit</code> (<code>data.csv:6</code>)"), "{html}");
    let json: serde_json::Value = serde_json::from_str(&read(out.join("en/review.json"))).expect("JSON");
    assert_eq!(
        json["data_quality"]["rows_left_out"],
        serde_json::json!([{"code": "E311", "name": "unknown-org-unit", "location": "data.csv:6"}])
    );
}

#[test]
fn a_review_of_data_read_whole_has_no_such_banner() {
    let data =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rows-left-out/data.csv"))
            .expect("the fixture's data")
            .replace("prov-cc", "prov-c");
    let (code, _project, out) = report(&data);
    assert_eq!(code, Some(0));
    let en = read(out.join("en/review.md"));
    assert!(!en.contains("could not be read") && !en.contains("Data rows left out"), "{en}");
    let json: serde_json::Value = serde_json::from_str(&read(out.join("en/review.json"))).expect("JSON");
    assert_eq!(json["data_quality"]["rows_left_out"], serde_json::json!([]));
}
