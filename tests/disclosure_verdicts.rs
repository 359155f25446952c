//! A disclosure audit that leaves hidden counts a reader can still narrow (W351) is said on the terminal, by `eval`
//! and by `report`, which never closes with "nothing needs attention" over such a publication (round 60: the review's
//! confidentiality note said so, the terminal did not). Project: `tests/fixtures/disclosure-unprotected`, generated
//! by the disclosure fuzzer (seed 5020).

use std::path::Path;
use std::process::Command;

/// Standard error of `tiendo args... PROJECT` for the fixture.
fn stderr(args: &[&str], out: Option<&Path>) -> String {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/disclosure-unprotected");
    let mut command = Command::new(env!("CARGO_BIN_EXE_tiendo"));
    command.args(args).arg(project).env("NO_COLOR", "1");
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    let output = command.output().expect("the tiendo binary runs");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn hidden_counts_the_audit_could_not_protect_are_warned_about_by_eval_and_report() {
    let expected = "warning[W351 counts-not-protected]: the disclosure audit found 14 suppressed count(s) that a reader \
                    can still narrow to fewer than 4 possible values";
    let eval = stderr(&["eval", "--as-of", "2026-01-15"], None);
    assert!(eval.contains(expected), "{eval}");
    let out = tempfile::tempdir().expect("a temporary folder");
    let args = ["report", "--as-of", "2026-01-15", "--window", "2024..2024", "--lang", "en", "--format", "md"];
    let report = stderr(&args, Some(out.path()));
    assert!(report.contains(expected), "{report}");
    assert!(
        report.contains("needs attention: 1 warning(s)") && !report.contains("nothing needs attention"),
        "{report}"
    );
    let review = std::fs::read_to_string(out.path().join("review.md")).expect("the review");
    assert!(review.contains("found 14 suppressed counts that a reader can still narrow"), "{review}");
}
