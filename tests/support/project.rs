//! A throwaway project for the end-to-end tests of values (roll-ups, expected units, values over time): a catalogue,
//! one data file and a manifest in a temporary folder, `tiendo eval --format json` run on it, and readers of its
//! JSON. Included by `#[path]`, so each test crate uses what it needs.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The text of `tests/fixtures/PATH`.
pub fn fixture(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A project folder: `catalogue` as `catalogue.toml`, `data` as `data.csv`, and a `tiendo.toml` that names them,
/// followed by `tables` (such as `[confidentiality]` and `[assessment]`).
pub fn project(catalogue: &str, data: &str, tables: &str) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(folder.path().join("catalogue.toml"), catalogue).expect("catalogue written");
    std::fs::write(folder.path().join("data.csv"), data).expect("data written");
    let manifest = format!(
        "[project]\nname = {{ vi = \"Thử\", en = \"Test\" }}\nprogramme = \"plan-test\"\ncatalogue = [\"catalogue.toml\"]\n\
         data = [\"data.csv\"]\n\n{tables}"
    );
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("manifest written");
    folder
}

/// Runs `tiendo eval FOLDER --as-of 2026-01-15 --format json` with `args` after (their own `--as-of` instead, if
/// they have one); returns the JSON and standard error (and panics with the standard error when the output is not
/// JSON).
pub fn eval_json(folder: &Path, args: &[&str]) -> (Value, String) {
    let as_of: &[&str] = if args.contains(&"--as-of") { &[] } else { &["--as-of", "2026-01-15"] };
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("eval")
        .arg(folder)
        .args(as_of)
        .args(["--format", "json"])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON output: {e}\n{stderr}"));
    (json, stderr)
}

/// Runs `tiendo ARGS` in `folder` (the project found from there): exit code, standard output and standard error.
pub fn run_in(folder: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

/// The result of `indicator` at `unit`.
pub fn result<'a>(json: &'a Value, indicator: &str, unit: &str) -> &'a Value {
    json["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|r| r["indicator"] == indicator && r["org_unit"] == unit)
        .unwrap_or_else(|| panic!("no result for {indicator} at {unit}"))
}

/// The point of `indicator` at `unit` in `period`, if the series has one.
pub fn point<'a>(json: &'a Value, indicator: &str, unit: &str, period: &str) -> Option<&'a Value> {
    result(json, indicator, unit)["series"].as_array()?.iter().find(|p| p["period"] == period)
}

/// Runs `tiendo report FOLDER --as-of AS_OF --window WINDOW --lang LANGS -q --out FOLDER/review` and returns the
/// review's folder, after checking that its first language's Markdown was written (else panics with standard error).
pub fn report(folder: &Path, (as_of, window, langs): (&str, &str, &str)) -> std::path::PathBuf {
    let out = folder.join("review");
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["report", "--as-of", as_of, "--window", window, "--lang", langs, "-q", "--out"])
        .arg(&out)
        .arg(folder)
        .output()
        .expect("the tiendo binary runs");
    let first = langs.split(',').next().unwrap_or("en");
    let written = out.join(first).join("review.md").exists() || out.join("review.md").exists();
    assert!(written, "no review: {}", String::from_utf8_lossy(&output.stderr));
    out
}
