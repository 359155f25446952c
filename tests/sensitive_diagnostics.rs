//! Values of sensitive elements (victim counts) are never quoted in diagnostics on a terminal or a CI log unless
//! `--show-suppressed` is given (issue 10): W331, W332, W340 and a refused value cell. Project:
//! `tests/fixtures/sensitive-diagnostics` (threshold 1000, so that every count of it is suppressed).

use std::path::{Path, PathBuf};
use std::process::Command;

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sensitive-diagnostics")
}

/// Standard output and standard error of `tiendo args... project`.
fn run(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .arg(project())
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// The counts of the data, and the sums and differences a message would quote.
const COUNTS: [&str; 10] = ["417", "500", "583", "404", "137", "41.5", "777", "603", "301", "302"];

#[test]
fn check_and_eval_never_quote_a_sensitive_count() {
    let runs = [
        run(&["check"]),
        run(&["eval", "--as-of", "2026-01-15"]),
        run(&["eval", "--as-of", "2026-01-15", "--format", "json"]),
        run(&["eval", "--as-of", "2026-01-15", "--format", "csv"]),
    ];
    for output in &runs {
        for count in COUNTS {
            assert!(!output.contains(count), "{count} is quoted:\n{output}");
        }
    }
    let eval = &runs[1];
    for code in ["W331", "W332", "W340", "E321"] {
        assert!(eval.contains(code), "{code} is still given:\n{eval}");
    }
    assert!(eval.contains("they are, or bound, counts of a sensitive element"), "{eval}");
}

#[test]
fn show_suppressed_quotes_them() {
    let shown = run(&["eval", "--as-of", "2026-01-15", "--show-suppressed"]);
    assert!(shown.contains("the total row gives 417, the breakdown by sex gives 500"), "{shown}");
    assert!(shown.contains("as 777, before it existed"), "{shown}");
    assert!(shown.contains("(137)"), "{shown}");
}

/// A sensitive count typed one cell off (under `sex`, `source`, `status`, a period, beyond the header) is quoted by no
/// diagnostic of its row: "`3` is not an option of category `sex`" gave Province A's 3 victims (round 69, found by a
/// verifier); cells of other rows, and a sensitive row's cells without a digit, are quoted as before.
#[test]
fn a_sensitive_rows_misplaced_count_is_quoted_nowhere() {
    let folder = tempfile::tempdir().expect("temp dir");
    for file in ["tiendo.toml", "catalogue.toml"] {
        std::fs::copy(project().join(file), folder.path().join(file)).expect("copy the fixture");
    }
    let rows = "data_element,org_unit,period,sex,value,source,status\n\
                victims,vn,2023,3,,src,final\n\
                victims,vn,2022,,,4,final\n\
                victims,vn,2021,,5,src,6\n\
                victims,vn,7,,8,src,final\n\
                victims,vn,2020,,,src,final,9\n\
                received,vn,2019,12,100,src,final\n\
                victims,vn,2019,nobody,10,src,final\n";
    std::fs::write(folder.path().join("data.csv"), rows).expect("write the data");
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("check")
        .arg(folder.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("the tiendo binary runs");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    for code in ["E318", "E323", "E315", "E312", "E326"] {
        assert!(said.contains(code), "{code}: {said}");
    }
    for count in ["`3`", "`4`", "`5`", "`6`", "`7`", "`8`", "`9`"] {
        assert!(!said.contains(count), "{count} is quoted:\n{said}");
    }
    assert!(said.contains("`12` is not an option of category `sex`"), "another element's row is quoted: {said}");
    assert!(said.contains("`nobody` is not an option"), "a cell without a digit is quoted: {said}");
}
