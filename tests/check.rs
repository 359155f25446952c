//! `tiendo check` on bad inputs: every fixture under `tests/fixtures/check/<name>/` is checked and its exact
//! rendered diagnostics are compared with a snapshot. A fixture's name starts with the code it must produce
//! (`e010-…` must report E010), so a fixture that stops triggering its diagnostic fails even if someone accepts
//! the snapshot.

use std::path::{Path, PathBuf};
use std::process::Command;

use tiendo_load::render::{render_human, render_json};
use tiendo_load::{RealFileSystem, load_path};

fn fixtures() -> Vec<(String, PathBuf)> {
    let root = Path::new("tests/fixtures/check");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root)
        .expect("the fixtures folder exists")
        .map(|entry| entry.expect("readable fixture entry").path())
        .filter(|path| path.is_dir())
        .map(|path| (path.file_name().expect("named").to_string_lossy().into_owned(), path))
        .collect();
    out.sort();
    out
}

#[test]
fn every_bad_fixture_matches_its_snapshot() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 30, "only {} fixtures", fixtures.len());
    for (name, path) in fixtures {
        let loaded = load_path(&RealFileSystem, &path);
        assert!(!loaded.diagnostics.is_empty(), "{name}: no diagnostics");
        if let Some(code) = name.split('-').next().filter(|c| c.starts_with('e') || c.starts_with('w')) {
            let code = code.to_uppercase();
            assert!(
                loaded.diagnostics.iter().any(|d| d.code == code),
                "{name}: expected {code}, got {:?}",
                loaded.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
            );
        }
        if name.starts_with('e') || name.starts_with("mixed") || name.starts_with("project") {
            assert!(loaded.has_errors() && loaded.catalogue.is_none(), "{name}: errors must withhold the catalogue");
        } else {
            assert!(!loaded.has_errors() && loaded.catalogue.is_some(), "{name}: warnings alone keep the catalogue");
        }
        for diagnostic in &loaded.diagnostics {
            assert!(!diagnostic.hints.is_empty(), "{name}: {} has no hint", diagnostic.code);
        }
        insta::assert_snapshot!(format!("human_{name}"), render_human(&loaded.diagnostics, &loaded.files, false));
    }
}

#[test]
fn some_fixtures_as_json() {
    for name in ["e008-duplicate-id", "e024-expression-syntax", "mixed-unknown-key-source-period"] {
        let loaded = load_path(&RealFileSystem, &Path::new("tests/fixtures/check").join(name));
        insta::assert_snapshot!(format!("json_{name}"), render_json(&loaded.diagnostics));
    }
}

#[test]
fn good_project_and_catalogue_have_no_diagnostics() {
    let project = load_path(&RealFileSystem, Path::new("tests/fixtures/good"));
    assert!(project.diagnostics.is_empty(), "{}", render_human(&project.diagnostics, &project.files, false));
    let loaded_project = project.project.expect("a clean project loads");
    assert_eq!(loaded_project.settings.programme, "qd-193-2021");
    assert_eq!(loaded_project.data_files, [PathBuf::from("tests/fixtures/good/data/national.csv")]);
    assert_eq!(loaded_project.plugins[0].path, "tests/fixtures/good/plugins/qn_justice_funnel.wasm");

    let catalogue = load_path(&RealFileSystem, Path::new("tests/fixtures/good/catalogue"));
    assert!(catalogue.diagnostics.is_empty(), "{}", render_human(&catalogue.diagnostics, &catalogue.files, false));
    let catalogue = catalogue.catalogue.expect("a clean catalogue loads");
    assert_eq!(catalogue.indicators.len(), 4);
    assert_eq!(catalogue.plans["kh-1522-2024"].targets.len(), 2);
    assert_eq!(catalogue.final_successors("quang-nam"), ["da-nang-2025"]);
}

fn tiendo(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo")).args(args).output().expect("the binary runs");
    (
        output.status.code().expect("exited normally"),
        String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    )
}

/// The acceptance case: an unknown key, a dangling source id and a bad period id give exit 1 and three
/// diagnostics, each with file:line:col, the offending line and a hint.
#[test]
fn cli_reports_three_problems_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("tiendo-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fixture = Path::new("tests/fixtures/check/mixed-unknown-key-source-period");
    for file in ["base.toml", "bad.toml"] {
        std::fs::copy(fixture.join(file), dir.join(file)).expect("copy fixture");
    }
    let dir_text = dir.to_string_lossy().into_owned();
    let (code, stdout, stderr) = tiendo(&["check", &dir_text]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout.matches("error[").count(), 3, "{stdout}");
    for line in ["bad.toml:4:1", "bad.toml:9:10", "bad.toml:22:10"] {
        assert!(stdout.contains(line), "missing {line} in {stdout}");
    }
    assert_eq!(stdout.matches("= hint:").count(), 3);
    let redacted = stdout.replace(&dir_text, "[TEMP]");
    insta::assert_snapshot!("cli_three_problems", redacted);

    let (code, json, _) = tiendo(&["check", &dir_text, "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["errors"], 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_exit_codes() {
    let (code, stdout, _) = tiendo(&["check", "tests/fixtures/good/catalogue"]);
    assert_eq!((code, stdout.as_str()), (0, "checked 5 files: no problems found\n"));
    // The project declares a plugin whose .wasm is not there: `check` finds it, located, as `report` would fail it.
    let (code, stdout, _) = tiendo(&["check", "tests/fixtures/good"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[E404 plugin-unusable]") && stdout.contains("tests/fixtures/good/tiendo.toml:15:1"));
    assert!(stdout.ends_with("checked 7 files: 1 error, 0 warnings\n"), "{stdout}");
    let (code, _, _) = tiendo(&["check", "tests/fixtures/check/w001-target-for-unlisted-indicator"]);
    assert_eq!(code, 0, "warnings alone do not fail a check");
    let (code, _, _) = tiendo(&["check", "tests/fixtures/does-not-exist"]);
    assert_eq!(code, 1, "a missing path is a finding about the inputs");
    let (code, _, stderr) = tiendo(&["check", "--format", "yaml"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn cli_schema_and_list() {
    let (code, schema, _) = tiendo(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("schema is JSON");
    assert_eq!(schema["title"], "tiendo catalogue file");

    let (code, table, _) = tiendo(&["list", "indicators", "tests/fixtures/good", "--lang", "en"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("list_indicators_table", table);
    let (code, table, _) = tiendo(&["list", "org-units", "tests/fixtures/good/catalogue"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("list_org_units_table", table);
    let (code, table, _) = tiendo(&["list", "plans", "tests/fixtures/good/catalogue"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("list_plans_table", table);
    let (code, table, _) = tiendo(&["list", "sources", "tests/fixtures/good/catalogue"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("list_sources_table", table);
    let (code, json, _) = tiendo(&["list", "sources", "tests/fixtures/good/catalogue", "--format", "json"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("list_sources_json", json);

    let (code, _, stderr) = tiendo(&["list", "plans", "tests/fixtures/check/e010-unknown-source"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("E010"), "{stderr}");
}

/// An unknown id given to `--org-unit` or `--plan` is answered with the id meant: the nearest id, or the unit whose
/// name was typed (round 69, found by an adversarial tester: "unknown org unit" alone, and `report --plan` with no
/// hint at all). Project: `tests/fixtures/validation-rules`.
#[test]
fn an_unknown_org_unit_or_plan_is_answered_with_the_id_meant() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validation-rules");
    let out = tempfile::tempdir().expect("temp dir");
    let review = out.path().join("review").to_string_lossy().into_owned();
    let cases: [(&[&str], &str); 5] = [
        (&["eval", "--as-of", "2026-01-15", "--org-unit", "prov-aa"], "did you mean `prov-a`?"),
        (
            &["eval", "--as-of", "2026-01-15", "--org-unit", "Tỉnh A"],
            "did you mean `prov-a`? (`--org-unit` takes the id",
        ),
        (&["eval", "--as-of", "2026-01-15", "--plan", "plan-tes"], "did you mean `plan-test`?"),
        (&["eval", "--as-of", "2026-01-15", "--plan", "test PLAN"], "did you mean `plan-test`? (`--plan` takes the id"),
        (
            &["report", "--window", "2022..2024", "--as-of", "2026-01-15", "--plan", "plan-tes", "--out", &review],
            "--plan plan-tes: unknown plan\n  = hint: did you mean `plan-test`?",
        ),
    ];
    for (args, hint) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(args)
            .current_dir(&project)
            .env("NO_COLOR", "1")
            .output()
            .expect("the tiendo binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(hint), "{args:?}: {stderr}");
    }
    assert!(!out.path().join("review").exists(), "nothing is written for an unknown plan");
}

/// `tiendo check` on a data file says it is one and how to check it (round 70, found by an adversarial tester: the
/// CSV was read as TOML, one "invalid TOML" per line with a TOML hint; a workbook "is not UTF-8 text").
#[test]
fn check_on_a_data_file_says_how_to_check_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    for name in ["national.csv", "form.XLSX"] {
        std::fs::write(folder.path().join(name), "data_element,org_unit,period,value,source\n").expect("write");
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["check", name])
            .current_dir(folder.path())
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("`{name}` is a data file")), "{stderr}");
        assert!(stderr.contains("hint: run `tiendo check` in the project's folder"), "{stderr}");
        assert!(!stderr.contains("TOML"), "{stderr}");
    }
}

/// A project in a temporary folder with the good fixture's catalogue (by its absolute path) and its national rows at
/// `data` (a path under the folder), whose `tiendo.toml` lists `listed` as its data files; its plugin is left out
/// (other tests build it).
fn good_project_at(data: &str, listed: &[&str]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("temp dir");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let to = folder.path().join(data);
    std::fs::create_dir_all(to.parent().expect("a folder")).expect("folder");
    std::fs::copy(good.join("data/national.csv"), to).expect("copy");
    let catalogue = good.join("catalogue").display().to_string().replace('\\', "/");
    let manifest = std::fs::read_to_string(good.join("tiendo.toml")).expect("manifest");
    let manifest = manifest
        .split("[[plugin]]")
        .next()
        .unwrap_or_default()
        .replace("catalogue = [\"catalogue\"]", &format!("catalogue = [{catalogue:?}]"))
        .replace("data = [\"data/national.csv\"]", &format!("data = [\"{}\"]", listed.join("\", \"")));
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("write");
    folder
}

/// A data file named twice in `data` (`data/./national.csv`) is read once, with W002 at the second name: read twice,
/// every row was an E301 duplicate of itself (round 70, found by an adversarial tester).
#[test]
fn a_data_file_listed_twice_is_read_once() {
    let folder = good_project_at("data/national.csv", &["data/national.csv", "data/./national.csv"]);
    let (code, stdout, _) = tiendo(&["check", folder.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[W002 duplicate-reference]: `data/./national.csv` is `data/national.csv` again"));
    assert!(!stdout.contains("E301"), "{stdout}");
    assert!(stdout.ends_with("0 errors, 1 warning\n"), "{stdout}");
}

/// A path in `tiendo.toml` typed in another Unicode form than the name on disk (decomposed, as copied from a Mac) is
/// said to be that, with the name on disk (round 70, found by an adversarial tester: "does not exist" beside a name
/// that `ls` shows the same).
#[test]
fn a_path_typed_in_another_unicode_form_is_named_as_such() {
    // "dữ liệu/số liệu.csv" on disk composed (NFC); written decomposed (NFD) in the manifest.
    let (composed, decomposed) = (
        "d\u{1eef} li\u{1ec7}u/s\u{1ed1} li\u{1ec7}u.csv",
        "du\u{31b}\u{303} lie\u{323}\u{302}u/so\u{302}\u{301} lie\u{323}\u{302}u.csv",
    );
    let folder = good_project_at(composed, &[decomposed]);
    let (code, stdout, _) = tiendo(&["check", folder.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    let said = format!("/{decomposed}` does not exist as written, but `");
    assert!(stdout.contains(&said) && stdout.contains(&format!("/{composed}` does: the two names")), "{stdout}");
    assert!(stdout.contains("hint: retype the name in `tiendo.toml`"), "{stdout}");
}

/// A project named with a leading `./` (as shell completion writes it), or through `..`, is read as the same folder:
/// `check ./proj` failed with "cannot read data file ./proj/proj/data.csv", a path nobody wrote (round 71, found by
/// an adversarial tester). Diagnostics name the data file relative to the project either way.
#[test]
fn a_project_named_with_dot_slash_reads_its_data_files() {
    let folder = good_project_at("data/national.csv", &["data/national.csv"]);
    std::fs::write(folder.path().join("data/broken.csv"), "data_element,org_unit,period,value,source\nX,vn,2023,1,s\n")
        .expect("write");
    let manifest = std::fs::read_to_string(folder.path().join("tiendo.toml")).expect("manifest");
    let manifest =
        manifest.replace("data = [\"data/national.csv\"]", "data = [\"data/national.csv\", \"data/broken.csv\"]");
    std::fs::write(folder.path().join("tiendo.toml"), manifest).expect("write");
    let name = folder.path().file_name().unwrap().to_str().unwrap().to_owned();
    let parent = folder.path().parent().expect("a parent");
    for project in [format!("./{name}"), format!("./{name}/"), format!("{name}/../{name}"), name.clone()] {
        for args in [vec!["check", &project], vec!["eval", &project, "--as-of", "2026-01-15"]] {
            let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
                .args(&args)
                .current_dir(parent)
                .env("NO_COLOR", "1")
                .output()
                .expect("the binary runs");
            let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
            assert_eq!(output.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
            assert!(!stderr.contains("cannot read data file"), "{args:?}: {stderr}");
            assert!(format!("{stdout}{stderr}").contains("data/broken.csv:2:1"), "{args:?}: {stdout}{stderr}");
        }
    }
}

/// On a sensitive element's rows, a diagnostic quotes none of the row's cells but keeps tiendo's own examples, so
/// that it still says how to fix the row: E312 on a victims row read "expected a cell (not quoted: ...), a cell (not
/// quoted: ...), ..." where the same row of another element read "expected `2023`, `2023S1`, `2023Q1`" (round 71,
/// found by an adversarial tester). Project: `tests/fixtures/sensitive-row-hints`.
#[test]
fn a_sensitive_row_s_diagnostics_keep_tiendo_s_examples() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sensitive-row-hints");
    let (code, stdout, _) = tiendo(&["check", project.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("is not a period id; expected `2023`, `2023S1`, `2023Q1`, `2023-03`"), "{stdout}");
    assert!(stdout.contains("hint: write `2023`, `2023S1`, `2023Q1`, `2023-03`, `2021..2025`"), "{stdout}");
    for cell in ["2022-Q1", "15/01/2023", "1 000", "`1000`"] {
        assert!(!stdout.contains(cell), "{cell} quoted: {stdout}");
    }
}

/// Which of tiendo's examples a sensitive row's diagnostic shows never depends on the row's cells: "one thousand is
/// `1000`" was hidden for a count written `1 000` (or `0 001`, a count of 1) and shown for `2 000`, which told the
/// count (round 71, found by a verifier). The same rows with other counts give the same diagnostics.
#[test]
fn a_sensitive_row_s_diagnostics_do_not_depend_on_its_counts() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sensitive-row-hints");
    let data = std::fs::read_to_string(fixture.join("data.csv")).expect("data");
    let outputs: Vec<String> = ["1 000", "2 000", "0 001", "1e2", "3e0"]
        .iter()
        .map(|count| {
            let folder = tempfile::tempdir().expect("temp dir");
            for file in ["tiendo.toml", "catalogue.toml"] {
                std::fs::copy(fixture.join(file), folder.path().join(file)).expect("copy");
            }
            let written = if count.contains(' ') { count.to_string() } else { format!("\"{count}\"") };
            std::fs::write(folder.path().join("data.csv"), data.replace("1 000", &written)).expect("write");
            let (_, stdout, _) = tiendo(&["check", folder.path().to_str().unwrap()]);
            stdout.replace("E343 exponent-in-count", "E334 thousands-separator")
        })
        .collect();
    for output in &outputs[1..3] {
        assert_eq!(output, &outputs[0]);
    }
    assert_eq!(outputs[3], outputs[4], "E343 for 1e2 and 3e0");
    for output in &outputs {
        for cell in ["1 000", "2 000", "0 001", "1e2", "3e0"] {
            assert!(!output.contains(&format!("`{cell}`")), "{cell} quoted: {output}");
        }
    }
}

/// A project path through a symbolic link with `..` after it is read as the file system reads it: `link/../proj`
/// read `tiendo.toml` from the link target's sibling but the catalogue and data from `./proj`, another project,
/// and published its numbers (round 71, found by a verifier).
#[cfg(unix)]
#[test]
fn a_project_path_through_a_link_is_read_as_the_file_system_reads_it() {
    let work = tempfile::tempdir().expect("temp dir");
    let good = good_project_at("data/national.csv", &["data/national.csv"]);
    // The project at a/proj, and `link` to it: for the file system `link/..` is `a`.
    let (real, decoy) = (work.path().join("a/proj"), work.path().join("proj"));
    for folder in [&real, &decoy] {
        std::fs::create_dir_all(folder.join("data")).expect("folder");
        for file in ["tiendo.toml", "data/national.csv"] {
            std::fs::copy(good.path().join(file), folder.join(file)).expect("copy");
        }
    }
    std::os::unix::fs::symlink("a/proj", work.path().join("link")).expect("link");
    // The decoy `proj` beside the link, whose data fail the check: read by letters, `link/../proj` is this folder.
    std::fs::write(decoy.join("data/national.csv"), "data_element,org_unit,period,value,source\nDECOY,vn,2023,1,s\n")
        .expect("decoy data");
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["check", "link/../proj"])
        .current_dir(work.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stdout.contains("DECOY"), "{stdout}");
}

/// A hard link to a data file listed beside the file is the same file: read once, with W002 (round 71; round 70 read
/// a symbolic link and `./` forms once, and a hard link twice, every row a duplicate of itself).
#[cfg(unix)]
#[test]
fn a_hard_link_to_a_data_file_is_read_once() {
    let folder = good_project_at("data/national.csv", &["data/national.csv", "data/same.csv"]);
    std::fs::hard_link(folder.path().join("data/national.csv"), folder.path().join("data/same.csv")).expect("link");
    let (code, stdout, _) = tiendo(&["check", folder.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[W002 duplicate-reference]: `data/same.csv` is `data/national.csv` again"));
    assert!(!stdout.contains("E301"), "{stdout}");
}
