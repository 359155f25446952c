//! `tiendo template`: data-entry workbooks that `eval` reads back unchanged, refusals that write nothing, and the
//! hints that name the unit a figure belongs to across the 2025 merger.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the binary with `args` in `dir`: the exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&dir.display().to_string(), "[DIR]");
    (output.status.code().expect("an exit code"), text(&output.stdout), text(&output.stderr))
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/template")
}

#[test]
fn a_template_filled_by_a_script_and_saved_by_libreoffice_reads_back_with_no_diagnostics() {
    let (code, out, err) = run(&fixture(), &["check", "."]);
    assert_eq!((code, out.trim()), (0, "checked 3 files: no problems found"), "{err}");
    let (code, out, err) = run(&fixture(), &["eval", ".", "--as-of", "2026-01-31", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "", "no diagnostics");
    // Q1 of province A: received 41 and resolved 38, typed by the script; Q4 provisional with its note.
    assert!(out.contains("resolution-rate,T2,prov-a,2025Q1,92.7,value,38,41,"), "{out}");
    assert!(out.contains("resolution-rate,T2,vn,2025Q4,93.2,value,41,44,,,,insufficient-data,src,true,1,2"), "{out}");
    insta::assert_snapshot!("template_round_trip_eval", out);
}

#[test]
fn a_written_template_reads_back_empty_with_no_diagnostics() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture().join("catalogue.toml"), dir.path().join("catalogue.toml")).expect("copy");
    let (code, _, err) = run(dir.path(), &["template", "catalogue.toml", "--period", "2025", "--out", "forms"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.trim(), "wrote forms/quarterly-2025.xlsx");
    let manifest = std::fs::read_to_string(fixture().join("tiendo.toml")).expect("manifest");
    std::fs::write(dir.path().join("tiendo.toml"), manifest.replace("filled.xlsx", "forms/quarterly-2025.xlsx"))
        .expect("manifest written");
    let (code, out, err) = run(dir.path(), &["check", "."]);
    assert_eq!((code, out.trim()), (0, "checked 3 files: no problems found"), "{err}");
}

#[test]
fn a_template_that_cannot_be_written_whole_writes_nothing() {
    // (what, arguments after `template catalogue.toml`, a file present before, the message)
    let cases: &[(&str, &[&str], Option<&str>, &str)] = &[
        ("unknown data set", &["--period", "2025", "--data-set", "yearly"], None, "unknown data set `yearly`"),
        ("a month of a quarterly set", &["--period", "2025-03"], None, "holds no quarter period"),
        ("not a period", &["--period", "2025-2026"], None, "--period `2025-2026`"),
        ("a filled form in the way", &["--period", "2025"], Some("quarterly-2025.xlsx"), "give --force"),
    ];
    for (what, args, present, message) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(fixture().join("catalogue.toml"), dir.path().join("catalogue.toml")).expect("copy");
        let forms = dir.path().join("forms");
        std::fs::create_dir(&forms).expect("forms");
        if let Some(name) = present {
            std::fs::write(forms.join(name), "filled in by hand").expect("a filled form");
        }
        let mut all = vec!["template", "catalogue.toml", "--out", "forms"];
        all.extend_from_slice(args);
        let (code, _, err) = run(dir.path(), &all);
        assert_eq!(code, 1, "{what}: {err}");
        assert!(err.contains(message) && err.contains("nothing was written"), "{what}: {err}");
        let left: Vec<_> = std::fs::read_dir(&forms).expect("forms").map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), usize::from(present.is_some()), "{what}: {left:?}");
        if let Some(name) = present {
            assert_eq!(std::fs::read_to_string(forms.join(name)).unwrap(), "filled in by hand", "{what}");
        }
    }
}

#[test]
fn a_figure_typed_for_a_unit_that_did_not_exist_yet_names_the_unit_it_belongs_to() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture().join("catalogue.toml"), dir.path().join("catalogue.toml")).expect("copy");
    let manifest = std::fs::read_to_string(fixture().join("tiendo.toml")).expect("manifest");
    std::fs::write(dir.path().join("tiendo.toml"), manifest.replace("filled.xlsx", "data.csv")).expect("manifest");
    let rows = "data_element,org_unit,period,value,source\n\
                received,prov-ab-2025,2025Q1,5,src\n\
                received,prov-a,2025Q3,5,src\n";
    std::fs::write(dir.path().join("data.csv"), rows).expect("data");
    let (_, out, _) = run(dir.path(), &["check", "."]);
    assert!(out.contains("data.csv:2:2: warning[E320"), "{out}");
    assert!(out.contains("`prov-ab-2025` exists from 2025-07-01; report 2025Q1 under prov-a, prov-b"), "{out}");
    assert!(out.contains("data.csv:3:2: warning[E320"), "{out}");
    assert!(out.contains("report it under prov-ab-2025"), "{out}");
}

/// A project made by `tiendo init` reads the built-in national catalogue (`builtin:vn`): `template` reads it as
/// `check`, `eval` and `report` do, and writes a workbook per data set (review of 6 December, helper 2, F3: it said
/// "this program carries no built-in catalogue" and wrote nothing). `template builtin:vn` reads it directly.
#[test]
fn a_project_made_by_init_gets_its_templates_from_the_built_in_catalogue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(dir.path(), &["init", "p"]);
    assert_eq!(code, 0, "{err}");
    let project = dir.path().join("p");
    let (code, _, err) = run(&project, &["template", ".", "--period", "2025", "--out", "forms"]);
    assert_eq!(code, 0, "{err}");
    let written: Vec<_> = std::fs::read_dir(project.join("forms")).expect("forms written").collect();
    assert!(!written.is_empty(), "{err}");
    let (code, _, err) = run(dir.path(), &["template", "builtin:vn", "--period", "2025", "--out", "national"]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("national").read_dir().expect("written").next().is_some(), "{err}");
}

/// `--org-unit` writes a province's own workbook: its rows, and its predecessors' for the periods before it existed
/// (AB's 2025: A's and B's first half, its own second half), never another province's; an unknown id is refused with
/// the closest one (round 68, found by a newcomer: every province's rows, the own scattered among them).
#[test]
fn a_province_gets_its_own_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture().join("catalogue.toml"), dir.path().join("catalogue.toml")).expect("copy");
    let args = ["template", "catalogue.toml", "--period", "2025", "--org-unit", "prov-ab-2025", "--out", "forms"];
    let (code, _, err) = run(dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.trim(), "wrote forms/quarterly-prov-ab-2025-2025.xlsx");
    let bytes = std::fs::read(dir.path().join("forms/quarterly-prov-ab-2025-2025.xlsx")).expect("the workbook");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/sharedStrings.xml").expect("strings"), &mut strings)
        .expect("read");
    for unit in ["prov-a", "prov-b", "prov-ab-2025"] {
        assert!(strings.contains(&format!(">{unit}<")), "{unit}: {strings}");
    }
    assert!(!strings.contains(">prov-c<"), "{strings}");
    let (code, _, err) = run(dir.path(), &["template", "catalogue.toml", "--period", "2025", "--org-unit", "prov-x"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--org-unit `prov-x`: unknown org unit; did you mean `prov-a`?"), "{err}");
}
