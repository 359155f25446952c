//! `tiendo check` on a project also checks its data files, row by row.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn check_reports_bad_data_rows_of_a_project() {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/vietnam-2021-2025");
    let project = tempfile::tempdir().expect("temp dir");
    let manifest = std::fs::read_to_string(example.join("tiendo.toml")).expect("manifest");
    let absolute = |relative: &str| format!("{:?}", example.join(relative).display().to_string());
    let manifest = manifest
        .replace("\"../../indicators\"", &absolute("../../indicators"))
        .replace("\"catalogue\"", &absolute("catalogue"))
        .replace("\"data/provinces", &format!("\"{}/data/provinces", example.display()))
        .replace("\"data/plugin", &format!("\"{}/data/plugin", example.display()))
        .replace("\"plugins/", &format!("\"{}/plugins/", example.display()));
    std::fs::write(project.path().join("tiendo.toml"), manifest).expect("write manifest");
    let data = std::fs::read_to_string(example.join("data/national.csv")).expect("national data");
    std::fs::create_dir(project.path().join("data")).expect("data folder");
    std::fs::write(project.path().join("data/national.csv"), data + "cases_detected,vn,2030Q9,,,x,tip-2022,final,\n")
        .expect("write data");

    let output =
        Command::new(env!("CARGO_BIN_EXE_tiendo")).arg("check").arg(project.path()).output().expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("data/national.csv:58:3: error[E312 bad-period]"), "{stdout}");
    assert!(stdout.contains("data/national.csv:58:6: error[E313 non-numeric-value]"), "{stdout}");
    assert!(stdout.ends_with("2 errors, 0 warnings\n"), "{stdout}");
}
