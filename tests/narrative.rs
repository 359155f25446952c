//! Issue 13, item 1: the review's narrative at the command line. A helper naming a missing value fails `check` and
//! `report` with `file:line:col`; a text without its other language is located; `narrative init` writes a skeleton
//! that passes `check`, and keeps existing files unless `--force`.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn tiendo(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A new project `p` (the built-in national catalogue) in a temporary folder.
fn project() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temp dir");
    let init = tiendo(root.path(), &["init", "p"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    root
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join("p").join(relative);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("writable");
    std::fs::write(path, text).expect("writable");
}

#[test]
fn the_skeleton_passes_check_and_is_not_overwritten_without_force() {
    let root = project();
    let init = tiendo(root.path(), &["narrative", "init", "p", "--as-of", "2026-01-15"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    for lang in ["vi", "en"] {
        for section in ["summary", "limitations", "causes", "lessons", "tasks", "recommendations"] {
            let path = root.path().join("p/narrative").join(lang).join(format!("{section}.md"));
            assert!(path.is_file(), "{} is written", path.display());
        }
    }
    let check = tiendo(root.path(), &["check", "p"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);

    write(root.path(), "narrative/vi/causes.md", "Nguyên nhân của chúng tôi.\n");
    let again = tiendo(root.path(), &["narrative", "init", "p"]);
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let kept = std::fs::read_to_string(root.path().join("p/narrative/vi/causes.md")).expect("readable");
    assert_eq!(kept, "Nguyên nhân của chúng tôi.\n", "nothing is replaced without --force");
    let forced = tiendo(root.path(), &["narrative", "init", "p", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let replaced = std::fs::read_to_string(root.path().join("p/narrative/vi/causes.md")).expect("readable");
    assert_ne!(replaced, kept);
}

#[test]
fn a_helper_naming_a_missing_value_fails_check_and_report_with_its_place() {
    let root = project();
    write(root.path(), "narrative/vi/summary.md", "Tóm tắt.\n\nNăm {{value T1 1999}} vụ.\n");
    write(root.path(), "narrative/en/summary.md", "Summary: {{status T1}}.\n");
    let check = tiendo(root.path(), &["check", "p"]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("E505"), "{}", check.stdout);
    assert!(check.stdout.contains("p/narrative/vi/summary.md:3:5"), "{}", check.stdout);

    let out = root.path().join("review");
    let report = tiendo(
        root.path(),
        &["report", "p", "--window", "2021..2025", "--as-of", "2026-01-15", "--quiet", "--out", "review"],
    );
    assert_ne!(report.code, 0, "{}", report.stderr);
    assert!(report.stderr.contains("p/narrative/vi/summary.md:3:5"), "{}", report.stderr);
    assert!(report.stderr.contains("E505"), "{}", report.stderr);
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_text_without_its_other_language_and_an_unknown_file_are_located() {
    let root = project();
    write(root.path(), "narrative/vi/causes.md", "Nguyên nhân.\n");
    let check = tiendo(root.path(), &["check", "p", "--format", "json"]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON");
    let found: Vec<(String, String, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["span"]["file"].as_str().unwrap_or_default().to_owned(),
                d["span"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(found.contains(&("E501".to_owned(), "p/narrative/vi/causes.md".to_owned(), 1)), "{found:?}");
    // A file whose name is not a section is the loader's error, found before evaluation.
    write(root.path(), "narrative/en/cause.md", "Causes.\n");
    let check = tiendo(root.path(), &["check", "p"]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("E506") && check.stdout.contains("cause.md"), "{}", check.stdout);
}

#[test]
fn raw_html_in_the_narrative_comes_out_escaped() {
    let root = project();
    for lang in ["vi", "en"] {
        write(
            root.path(),
            &format!("narrative/{lang}/lessons.md"),
            "Lesson <script>alert(1)</script> [x](javascript:y)\n",
        );
    }
    let report = tiendo(
        root.path(),
        &[
            "report",
            "p",
            "--window",
            "2021..2025",
            "--as-of",
            "2026-01-15",
            "--quiet",
            "--lang",
            "vi,en",
            "--out",
            "review",
        ],
    );
    assert!(report.code == 0 || report.code == 1, "{}", report.stderr);
    for lang in ["vi", "en"] {
        for file in ["review.html", "review.md"] {
            let text = std::fs::read_to_string(root.path().join("review").join(lang).join(file)).expect("written");
            assert!(text.contains("Lesson &lt;script&gt;alert(1)&lt;/script&gt;"), "{lang}/{file}");
            assert!(!text.contains("<script>alert") && !text.contains("javascript:"), "{lang}/{file}");
        }
    }
}

/// The skeleton of a project whose indicators are coded (a scale and a yes/no, `tests/fixtures/coded-target`) passes
/// `check`: it writes no `{{change}}` for a coded value, whose change in levels the helper refuses (E504; round 66,
/// found by a verifier: it wrote one for the yes/no, and `report` then stopped).
#[test]
fn the_skeleton_of_coded_indicators_passes_check() {
    let root = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coded-target");
    std::fs::create_dir(root.path().join("p")).expect("a folder");
    for file in ["catalogue.toml", "data.csv", "tiendo.toml"] {
        std::fs::copy(fixture.join(file), root.path().join("p").join(file)).expect("fixture copied");
    }
    let init = tiendo(root.path(), &["narrative", "init", "p", "--as-of", "2024-06-01"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let summary = std::fs::read_to_string(root.path().join("p/narrative/en/summary.md")).expect("the summary");
    assert!(summary.contains("{{value Y1 2023}}") && !summary.contains("{{change"), "{summary}");
    let check = tiendo(root.path(), &["check", "p"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}
