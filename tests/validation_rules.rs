//! Validation rules decide on whole values and show what they decided (round 69, found by an adversarial tester):
//! a rule is not checked on a value that lacks part of its period (W354), a difference of one part in 10^10 is a
//! difference, and the review shows the sides with the decimals that keep them breaking the rule. Project:
//! `tests/fixtures/validation-rules`.

use std::path::Path;

#[path = "support/project.rs"]
mod support;

const PROJECT: &str = "tests/fixtures/validation-rules";

fn project() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(PROJECT)
}

/// `tiendo eval`'s findings (one line each) and standard error.
fn eval() -> (Vec<String>, String) {
    let (code, stdout, stderr) = support::run_in(&project(), &["eval", "--as-of", "2026-01-15"]);
    assert!(code.is_some_and(|c| c <= 1), "{stderr}");
    let findings = stdout.lines().skip_while(|l| !l.starts_with("Validation:")).skip(1);
    (findings.take_while(|l| l.starts_with("  ")).map(|l| l.trim().to_owned()).collect(), stderr)
}

#[test]
fn a_rule_is_not_checked_on_part_of_a_period_and_says_so() {
    let (findings, stderr) = eval();
    // Province A received 20 in each of three quarters of 2024 and resolved 80 in the year: 60 is no year.
    assert!(!findings.iter().any(|f| f.contains("prov-a 2024")), "{findings:?}");
    assert!(
        stderr.contains(
            "warning[W354 validation-on-partial-value]: validation rule resolved-le-received not checked where a \
             value lacks part of its period, breakdown or units: prov-a 2024 (received partial)"
        ),
        "{stderr}"
    );
    // Province C's whole year is checked as before.
    assert!(
        findings.contains(
            &"error prov-c 2024 resolved-le-received: resolved <= received does not hold: 70 vs 60".to_owned()
        )
    );
}

#[test]
fn a_difference_of_one_part_in_ten_billion_breaks_a_rule_and_rounding_noise_does_not() {
    let (findings, _) = eval();
    let broken: Vec<&str> =
        findings.iter().filter(|f| f.contains("spent-le-allocated")).map(|f| &f[..f.find(" spent").unwrap()]).collect();
    // 5,000,000,000,000 against 4,999,999,999,000 and 123456789.4 against 123456789.3 were held equal (10^-9); 0.3
    // against 0.1 + 0.2 is one value.
    assert_eq!(broken, ["error prov-a 2023", "error prov-b 2023", "error prov-c 2023"], "{findings:?}");
}

#[test]
fn the_review_shows_the_sides_with_the_decimals_that_break_the_rule() {
    let out = tempfile::tempdir().expect("temp dir");
    let target = out.path().join("review");
    let args = ["report", "--window", "2022..2024", "--as-of", "2026-01-15", "--lang", "vi,en", "--format", "md"];
    let (_, _, stderr) = support::run_in(&project(), &[&args[..], &["--out", target.to_str().unwrap()]].concat());
    let read = |lang: &str| std::fs::read_to_string(target.join(lang).join("review.md")).expect(&stderr);
    let (en, vi) = (read("en"), read("vi"));
    for row in [
        "| Province B | 2023 | 12.3449 | ≤ | 12.3448 | error |",
        "| Province C | 2023 | 123,456,789.40 | ≤ | 123,456,789.30 | error |",
        "| Province A | 2023 | 5,000,000,000,000 | ≤ | 4,999,999,999,000 | error |",
    ] {
        assert!(en.contains(row), "{row}\n{en}");
    }
    assert!(vi.contains("| Tỉnh B | năm 2023 | 12,3449 | ≤ | 12,3448 | lỗi |"), "{vi}");
}
