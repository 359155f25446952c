//! Issue 11, part 6, through the real binary: every command reports a failed write of its output (exit 2 with the
//! OS message) and ends quietly on a closed pipe; CSV output cannot attack a spreadsheet; text for people cannot
//! drive the terminal; a user template cannot recurse without end.
//!
//! Cases from `../shared/cases/hardening/`: `stdout-write-errors-ignored`, `csv-formula-injection`,
//! `template-recursive-partial`; the rest are further inputs of the same kinds.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::{example, relocated_manifest};

fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hardening").join(relative)
}

fn tiendo(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tiendo"));
    command.args(args).env("NO_COLOR", "1").env("TIENDO_CACHE_DIR", std::env::temp_dir().join("tiendo-test-cache"));
    command
}

fn indicators() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("indicators").display().to_string()
}

/// The case `stdout-write-errors-ignored` and every other command that prints: `> /dev/full` is exit 2 with the OS
/// message, never a silent success.
#[test]
fn a_full_disk_is_reported_by_every_command() {
    let example = example().display().to_string();
    let commands: Vec<Vec<String>> = vec![
        // clap's help and version were written by clap, which ignored the error (round 40).
        vec!["--help".into()],
        vec!["--version".into()],
        vec!["eval".into(), "--help".into()],
        vec!["schema".into()],
        vec!["schema".into(), "project".into()],
        vec!["list".into(), "indicators".into(), indicators()],
        vec!["list".into(), "indicators".into(), indicators(), "--format".into(), "json".into()],
        vec!["check".into(), indicators()],
        vec!["check".into(), indicators(), "--format".into(), "json".into()],
        vec!["eval".into(), example.clone(), "--as-of".into(), "2024-01-15".into(), "--org-unit".into(), "vn".into()],
        vec![
            "eval".into(),
            example,
            "--as-of".into(),
            "2024-01-15".into(),
            "--org-unit".into(),
            "vn".into(),
            "--format".into(),
            "csv".into(),
        ],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = tiendo(&args).stdout(full).output().expect("tiendo runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("could not write to standard output"), "{args:?}: {stderr}");
        assert!(stderr.contains("No space left on device"), "{args:?}: {stderr}");
    }
}

/// A reader that stops reading (`tiendo schema | head -c0`) ends tiendo quietly with its own exit code.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [vec!["schema"], vec!["check", "indicators"]] {
        let mut child = tiendo(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tiendo runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("tiendo ends");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

/// A project copied from the example with an extra catalogue file.
fn project_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("extra")).unwrap();
    std::fs::write(dir.path().join("extra/extra.toml"), extra).unwrap();
    let manifest = relocated_manifest(&[]).replacen("catalogue = [", "catalogue = [\"extra\", ", 1);
    std::fs::write(dir.path().join("tiendo.toml"), manifest).unwrap();
    dir
}

fn indicator(id: &str, code: &str, name: &str) -> String {
    format!(
        "[[indicator]]\nid = \"{id}\"\ncode = {code}\nname = {{ vi = {name}, en = {name} }}\ngroup = \"detection\"\n\
         measure = \"count\"\nnumerator = \"cases_detected\"\ndirection = \"increase\"\nsource = \"qd-193-2021\"\n"
    )
}

/// The case `csv-formula-injection` and more codes a spreadsheet would run: every text cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is written with a leading `'`; other text and every number as it is.
#[test]
fn eval_csv_cannot_run_formulas_in_a_spreadsheet() {
    let mut catalogue = std::fs::read_to_string(fixture("csv-formula-injection/zz-formula.toml")).unwrap();
    let more = [
        ("formula-tab", "\"\\t=1+1\""),
        ("formula-cr", "\"\\r=1+1\""),
        ("formula-dde", "'=cmd|\" /C calc\"!A0'"),
        ("formula-plus-number", "\"+1\""),
        ("formula-quote", "\"=\\\"a\\\"\""),
        ("not-formula-inner-equals", "\"a=b\""),
        ("not-formula-plain", "\"T9\""),
    ];
    for (id, code) in more {
        catalogue.push('\n');
        catalogue.push_str(&indicator(id, code, "\"x\""));
    }
    let project = project_with(&catalogue);
    let output = tiendo(&["eval", "--as-of", "2024-01-15", "--org-unit", "vn", "--format", "csv"])
        .arg(project.path())
        .output()
        .unwrap();
    // The example's national plugin points have findings (exit 1); the CSV is written whole either way.
    assert_ne!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut rows: Vec<&str> = csv
        .lines()
        .filter(|line| line.starts_with("formula-") || line.starts_with("not-formula-"))
        .filter(|line| line.contains(",2021,"))
        .collect();
    rows.sort_unstable();
    insta::assert_snapshot!("csv_formula_cells", rows.join("\n"));
    // Genuine negative numbers stay numeric: a change column holds `-N`, never `'-N`.
    assert!(
        csv.lines().any(|line| line.split(',').any(|cell| cell.starts_with('-') && cell[1..].parse::<f64>().is_ok()))
    );
    assert!(
        !csv.contains(",'-1,")
            && !csv.lines().any(|line| line.split(',').any(|c| c.starts_with("'-") && c[2..].parse::<f64>().is_ok()))
    );
}

/// Control characters in names and ids reach people escaped: `eval`'s table, `list`, and `check`'s diagnostics
/// (which echo the source line).
#[test]
fn control_characters_are_shown_escaped() {
    let hostile = "\"\\u001b]0;pwned\\u0007\\u001b[2J\\u202eevil\\r\"";
    let project = project_with(&indicator("hostile-name", "\"H1\"", hostile));
    let table = tiendo(&["eval", "--as-of", "2024-01-15", "--org-unit", "vn"]).arg(project.path()).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    let line = table.lines().find(|line| line.starts_with("H1 ")).expect("the hostile indicator is listed");
    assert!(line.starts_with("H1 \\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{202e}evil\\u{d} - Việt Nam [vn]: "), "{line}");

    let list = tiendo(&["list", "indicators"]).arg(project.path()).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("\\u{1b}]0;pwned") && !list.contains('\u{1b}') && !list.contains('\u{7}'), "{list}");

    // An unknown source id holding an escape sequence, echoed by check's diagnostic.
    let bad = indicator("bad-source", "\"B1\"", "\"b\"").replace("qd-193-2021", "x\\u001b[31mred");
    let project = project_with(&bad);
    let check = tiendo(&["check"]).arg(project.path()).output().unwrap();
    let stdout = String::from_utf8(check.stdout).unwrap();
    assert_eq!(check.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("x\\u{1b}[31mred") && !stdout.contains('\u{1b}'), "{stdout}");
}

/// The case `template-recursive-partial` and other partial cycles: refused before rendering, naming the template
/// and the partials; nothing is written at `--out`.
#[test]
fn recursive_templates_are_refused_before_rendering() {
    let cases = [
        ("self", std::fs::read_to_string(fixture("template-recursive-partial/review.md.hbs")).unwrap()),
        ("mutual", "{{#*inline \"a\"}}{{> b}}{{/inline}}{{#*inline \"b\"}}{{> a}}{{/inline}}{{> a}}".to_owned()),
        ("three", "{{#*inline \"a\"}}{{> b}}{{/inline}}{{#*inline \"b\"}}{{> c}}{{/inline}}{{#*inline \"c\"}}{{#each x}}{{> a}}{{/each}}{{/inline}}{{> a}}".to_owned()),
        ("through-partial-block", "{{#*inline \"y\"}}{{> @partial-block}}{{/inline}}{{#> y}}{{> y}}{{/y}}".to_owned()),
        ("computed-name", "{{> (lookup this \"cover\")}}".to_owned()),
    ];
    for (name, template) in cases {
        let work = tempfile::tempdir().unwrap();
        std::fs::create_dir(work.path().join("tpl")).unwrap();
        std::fs::write(work.path().join("tpl/review.md.hbs"), template).unwrap();
        let out = work.path().join("review");
        let output = tiendo(&[
            "report",
            "--window",
            "2021..2023",
            "--as-of",
            "2024-01-15",
            "--lang",
            "en",
            "--format",
            "md",
            "--quiet",
        ])
        .arg(example())
        .arg("--out")
        .arg(&out)
        .arg("--templates")
        .arg(work.path().join("tpl"))
        .output()
        .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).replace(&work.path().display().to_string(), "[work]");
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        // The tool failure itself, without the data warnings before it.
        let failure: String =
            stderr.lines().skip_while(|line| !line.starts_with("error:")).map(|l| format!("{l}\n")).collect();
        insta::assert_snapshot!(format!("template_{name}"), failure);
        assert!(!out.exists(), "{name}");
        assert_eq!(siblings(work.path()), ["tpl"], "{name}");
    }
}

fn siblings(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}
