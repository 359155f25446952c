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
    // The frozen catalogue's R1 by sex over a population without sex (W007, round 70).
    assert!(stdout.ends_with("3 errors, 1 warning\n"), "{stdout}");
}

/// The diagnostics of the data rows in `text` (blocks `data/...: severity[E3.. ...]: ...` with their hints), in order.
fn data_row_findings(text: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if line.starts_with("data/") {
            open = line.contains("[E3") || line.contains("[W3");
            if open {
                blocks.push(line.to_owned());
            }
        } else if open && line.starts_with("  = hint") {
            let last = blocks.last_mut().expect("a block is open");
            last.push('\n');
            last.push_str(line);
        } else {
            open = false;
        }
    }
    blocks
}

/// `check` streams the data rows without the evaluation store; `eval` reads them into it. On files with every kind
/// of bad row and repeated keys (three times the same key, a repeat with another note, a repeat of a disaggregated
/// row) both give the same findings, codes, places, messages and hints, in the same order.
#[test]
fn check_finds_on_data_rows_what_eval_finds() {
    let example = support::example();
    let data = std::fs::read_to_string(example.join("data/national.csv")).expect("national data");
    let rows: Vec<&str> = data.lines().collect();
    let (first, disaggregated) = (rows[1], rows[2]);
    let bad = [
        "cases_detected,vn,2030Q9,,,,x,tip-2022,final,",
        "no_such_element,vn,2021,,,,1,tip-2022,final,",
        "cases_detected,nowhere,2021,,,,1,tip-2022,final,",
        "cases_detected,vn,2021,,,,-4,tip-2022,final,",
        "cases_detected,vn,2021,,,,4,tip-2022,draft,",
        "cases_detected,vn,2021,,,,4,no-such-source,final,",
        "cases_detected,vn,2021,,,,4",
        "cases_detected,vn,2022,,,,\"1,234\",tip-2022,final,",
        "cases_detected,vn,2022,,,,1.5,tip-2022,final,",
        "cases_detected,vn,2021,female,,4,tip-2022,final,",
        "cases_detected,vn,2023,,,,7,tip-2022,final,\"a note\non two lines\"",
        first,
        &format!("{},another note", first.rsplit_once(',').expect("a note column").0),
        disaggregated,
        first,
        "cases_detected,vn,2024,,,,3,tip-2022,final,\"never closed",
    ];
    let cases = [
        ("every kind of bad row", format!("{data}{}\n", bad.join("\n"))),
        ("only repeats", format!("{data}{first}\n{disaggregated}\n")),
        ("clean", data.clone()),
    ];
    for (case, text) in cases {
        let project = tempfile::tempdir().expect("temp dir");
        std::fs::write(project.path().join("tiendo.toml"), support::relocated_manifest(&["data/national.csv"]))
            .expect("write manifest");
        std::fs::create_dir(project.path().join("data")).expect("data folder");
        std::fs::write(project.path().join("data/national.csv"), text).expect("write data");
        let tiendo = || Command::new(env!("CARGO_BIN_EXE_tiendo"));
        let check = tiendo().arg("check").arg(project.path()).output().expect("the binary runs");
        let eval = tiendo()
            .args(["eval", "--as-of", "2026-01-15", "--format", "json"])
            .arg(project.path())
            .output()
            .expect("the binary runs");
        let checked = data_row_findings(&String::from_utf8_lossy(&check.stdout));
        let evaluated = data_row_findings(&String::from_utf8_lossy(&eval.stderr));
        assert_eq!(checked, evaluated, "{case}");
        match case {
            "clean" => assert!(checked.is_empty(), "{checked:#?}"),
            "only repeats" => assert_eq!(checked.len(), 2, "{checked:#?}"),
            _ => {
                for code in ["E312", "E301", "E341"] {
                    assert!(checked.iter().any(|f| f.contains(&format!("[{code} "))), "{case}: {code} {checked:#?}");
                }
            }
        }
    }
}

/// A data row's slips get the fix the catalogue knows (round 68, found by a newcomer): a half written with H, a
/// quarter in lower case, a category option written by its name, a negative count.
#[test]
fn data_row_hints_name_the_fix() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/marks");
    std::fs::copy(fixture.join("catalogue.toml"), folder.path().join("catalogue.toml")).expect("catalogue");
    std::fs::write(
        folder.path().join("tiendo.toml"),
        "[project]\nname = { vi = \"Thử\", en = \"Test\" }\nprogramme = \"plan-test\"\ncatalogue = [\"catalogue.toml\"]\ndata = [\"data.csv\"]\n",
    )
    .expect("manifest");
    let rows = "data_element,org_unit,period,value,source,sex\nreceived,prov-c,2024H1,5,src,\nreceived,prov-c,2024q3,5,src,\n\
                victims,prov-c,2024,20,src,Nữ\nreceived,prov-c,2024,-3,src,\n";
    std::fs::write(folder.path().join("data.csv"), rows).expect("data");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("check")
        .current_dir(folder.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    for hint in [
        "write halves with S for semester, not H: `2024S1`",
        "period ids are written in capitals: `2024Q3`",
        "write the option's id: `female`",
        "a count is the number of cases or persons, never below 0",
    ] {
        assert!(text.contains(hint), "{hint}: {text}");
    }
}
