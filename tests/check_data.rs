//! `tiendo check` on a project also checks its data files, row by row.

use std::process::Command;

mod support;

#[test]
fn check_reports_bad_data_rows_of_a_project() {
    let example = support::example();
    let project = tempfile::tempdir().expect("temp dir");
    let manifest = support::relocated_manifest(&["data/national.csv"]);
    assert!(manifest.contains("\"data/national.csv\""), "{manifest}");
    std::fs::write(project.path().join("tiendo.toml"), manifest).expect("write manifest");
    let data = std::fs::read_to_string(example.join("data/national.csv")).expect("national data");
    std::fs::create_dir(project.path().join("data")).expect("data folder");
    // A bad row, and a row that repeats the key of the file's first data row.
    let first_row = data.lines().nth(1).expect("a data row").to_owned();
    std::fs::write(
        project.path().join("data/national.csv"),
        format!("{data}cases_detected,vn,2030Q9,,,x,tip-2022,final,\n{first_row}\n"),
    )
    .expect("write data");

    let output =
        Command::new(env!("CARGO_BIN_EXE_tiendo")).arg("check").arg(project.path()).output().expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("data/national.csv:58:3: error[E312 bad-period]"), "{stdout}");
    assert!(stdout.contains("data/national.csv:58:6: error[E313 non-numeric-value]"), "{stdout}");
    assert!(stdout.contains("data/national.csv:59:1: error[E301 duplicate-observation]"), "{stdout}");
    assert!(stdout.contains("as data/national.csv:2"), "{stdout}");
    assert!(stdout.ends_with("3 errors, 0 warnings\n"), "{stdout}");
}
