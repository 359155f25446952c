//! What the marks tests (`tests/marks.rs`, `tests/marks_quoted.rs`) share: the projects of `tests/fixtures/marks/`,
//! `tiendo eval` and `tiendo report` run on them, and readers of their tables and JSON. Included by `#[path]`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A project of the marks fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/marks").join(name)
}

/// `tiendo eval FIXTURE --as-of 2024-01-15` with `extra` arguments: standard output, after checking that it ran.
pub fn eval(name: &str, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(fixture(name))
        .args(["--as-of", "2024-01-15"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The line of `text` that starts with `start` (after leading spaces).
pub fn line<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines().find(|l| l.trim_start().starts_with(start)).unwrap_or_else(|| panic!("no line {start:?} in:\n{text}"))
}

/// A review written by `tiendo report` in both languages as Markdown, HTML and JSON, in a temporary folder.
pub struct Review {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Review {
    /// `tiendo report PROJECT --window WINDOW --as-of AS_OF --lang vi,en --format md,html,json`.
    pub fn of(project: &Path, window: &str, as_of: &str) -> Review {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("review");
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .arg("report")
            .arg(project)
            .args(["--window", window, "--as-of", as_of, "--lang", "vi,en", "--format", "md,html,json", "--quiet"])
            .arg("--out")
            .arg(&out)
            .env("NO_COLOR", "1")
            .env("TIENDO_CACHE_DIR", dir.path().join("cache"))
            .output()
            .expect("the tiendo binary runs");
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        Review { _dir: dir, out }
    }

    pub fn file(&self, lang: &str, name: &str) -> String {
        std::fs::read_to_string(self.out.join(lang).join(name)).unwrap_or_else(|e| panic!("{lang}/{name}: {e}"))
    }

    pub fn json(&self, lang: &str) -> serde_json::Value {
        serde_json::from_str(&self.file(lang, "review.json")).expect("valid JSON")
    }
}

/// The review's indicator of code `code` in its JSON.
pub fn indicator<'a>(json: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    json["indicators"].as_array().expect("indicators").iter().find(|i| i["code"] == code).expect("the indicator")
}

/// The Markdown table row that starts with `| {start} |`.
pub fn row<'a>(markdown: &'a str, start: &str) -> &'a str {
    line(markdown, &format!("| {start} |"))
}
