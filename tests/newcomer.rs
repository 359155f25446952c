//! A newcomer's first steps with nothing but the `tiendo` binary: `HOME` and the working folder in a temporary
//! folder outside the repository, cargo offline (the crates the SDK needs come from the cargo registry already on
//! the machine, as they would from crates.io).

#[path = "../crates/tiendo-plugin-host/tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A temporary machine: an empty `HOME` and working folder, outside the repository.
struct Machine {
    home: tempfile::TempDir,
    work: tempfile::TempDir,
}

impl Machine {
    fn new() -> Self {
        let machine = Machine { home: tempfile::tempdir().unwrap(), work: tempfile::tempdir().unwrap() };
        let root = support::repository_root();
        assert!(!machine.work.path().starts_with(&root) && !root.starts_with(machine.work.path()));
        machine
    }

    /// Runs `tiendo ARGS` in `dir` (relative to the working folder). Cargo and rustup keep their real homes so that
    /// nothing is downloaded again; everything else sees the temporary `HOME`.
    fn tiendo(&self, dir: &str, args: &[&str]) -> Run {
        let cargo_home = support::cargo_home().expect("a cargo home");
        let rustup_home = std::env::var_os("RUSTUP_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".rustup")))
            .expect("a rustup home");
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(args)
            .current_dir(self.work.path().join(dir))
            .env("HOME", self.home.path())
            .env("CARGO_HOME", cargo_home)
            .env("RUSTUP_HOME", rustup_home)
            .env("CARGO_NET_OFFLINE", "true")
            .env_remove("TIENDO_CACHE_DIR")
            .env_remove("XDG_CACHE_HOME")
            .output()
            .expect("tiendo runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// The shared target directory of the repository's plugin builds, so that wit-bindgen is compiled once per run
/// (given on the command line: nothing in the crate names it).
fn wasm_target_dir() -> String {
    support::repository_root().join("target").join("plugin-wasm").to_string_lossy().into_owned()
}

/// Every file under `dir` except cargo's build output, by path.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name != "target") {
                    stack.push(path);
                }
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Asserts that no file of the crate in `dir` names a path outside it: no absolute path of this machine, and every
/// `path = "…"` of a manifest relative and inside the crate.
fn assert_self_contained(dir: &Path, machine: &Machine) {
    let forbidden = [
        support::repository_root().to_string_lossy().into_owned(),
        machine.work.path().to_string_lossy().into_owned(),
        machine.home.path().to_string_lossy().into_owned(),
        support::cargo_home().unwrap().to_string_lossy().into_owned(),
        "/work/".to_owned(),
        "/home/".to_owned(),
        "/root".to_owned(),
        "/tmp/".to_owned(),
        "C:\\".to_owned(),
    ];
    let files = files_under(dir);
    assert!(files.len() >= 8, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for path in &forbidden {
            assert!(!text.contains(path.as_str()), "{} mentions {path}", file.display());
        }
        if file.extension().is_some_and(|extension| extension == "toml") {
            for line in text.lines().filter(|line| line.contains("path =")) {
                let value = line.split("path = \"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
                assert!(
                    !value.starts_with('/') && !value.split('/').any(|part| part == ".."),
                    "{}: {line}",
                    file.display()
                );
                let folder = file.parent().unwrap().join(value);
                assert!(folder.join("Cargo.toml").is_file(), "{}: {line} names no crate", file.display());
            }
        }
    }
}

#[test]
fn a_plugin_written_anywhere_refers_to_nothing_outside_itself_and_builds() {
    let machine = Machine::new();
    let created = machine.tiendo(".", &["plugin", "new", "m"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let crate_dir = machine.work.path().join("m");
    assert_self_contained(&crate_dir, &machine);
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    let pin =
        format!("tiendo-plugin = {{ path = \"vendor/tiendo-plugin\", version = \"={}\" }}", env!("CARGO_PKG_VERSION"));
    assert!(manifest.contains(&pin), "{manifest}");
    // The WIT the SDK compiles against is the host's, byte for byte.
    assert_eq!(
        std::fs::read(crate_dir.join("vendor/tiendo-plugin/wit/v0.1/plugin.wit")).unwrap(),
        std::fs::read(support::repository_root().join("crates/tiendo-plugin/wit/v0.1/plugin.wit")).unwrap()
    );

    let target = wasm_target_dir();
    let built = machine.tiendo(".", &["plugin", "build", "m", "--target-dir", &target]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(built.stdout.starts_with("built m -> "), "{}", built.stdout);
    // The build adds only Cargo.lock, which names no path either.
    assert!(crate_dir.join("Cargo.lock").is_file());
    assert_self_contained(&crate_dir, &machine);

    let tested = machine.tiendo("m", &["plugin", "test", ".", "--input", "input.json", "--target-dir", &target]);
    assert_eq!(tested.code, 0, "{}", tested.stderr);
    assert!(tested.stdout.contains("resolution-rate     75  %"), "{}", tested.stdout);
    // `plugin inspect` takes the crate folder as `plugin test` does.
    let inspected = machine.tiendo(".", &["plugin", "inspect", "m", "--target-dir", &target]);
    assert_eq!(inspected.code, 0, "{}", inspected.stderr);
    assert!(inspected.stdout.starts_with("id:                m\n"), "{}", inspected.stdout);
}

#[test]
fn a_compiler_error_points_at_files_that_exist() {
    let machine = Machine::new();
    assert_eq!(machine.tiendo(".", &["plugin", "new", "broken"]).code, 0);
    let lib = machine.work.path().join("broken/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    // A text where a number is expected: rustc's note points into the SDK's `ratio_percent`.
    std::fs::write(&lib, text.replace("resolved, received)", "resolved, \"received\")")).unwrap();
    let built = machine.tiendo("broken", &["plugin", "build", ".", "--target-dir", &wasm_target_dir()]);
    assert_eq!(built.code, 2, "{}", built.stderr);
    let locations: Vec<&str> = built
        .stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("--> "))
        .map(|location| location.split(':').next().unwrap())
        .collect();
    assert!(locations.contains(&"src/lib.rs"), "{}", built.stderr);
    assert!(locations.iter().any(|location| location.starts_with("vendor/tiendo-plugin/")), "{}", built.stderr);
    for location in locations {
        assert!(machine.work.path().join("broken").join(location).is_file(), "{location} does not exist");
    }
}

#[test]
fn without_rustup_the_build_names_the_one_command_to_run() {
    let machine = Machine::new();
    assert_eq!(machine.tiendo(".", &["plugin", "new", "m"]).code, 0);
    let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["plugin", "build", "m"])
        .current_dir(machine.work.path())
        .env("HOME", machine.home.path())
        .env("PATH", machine.home.path().join("no-such-folder"))
        .env("RUSTC", machine.home.path().join("no-rustc"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("run `rustup target add wasm32-unknown-unknown`"), "{stderr}");
    assert!(!machine.work.path().join("m/target").exists());
}

/// Case b2-11: an id typed as a name in NFD (`a` + U+0300…) was suggested as `ha-no-i`; in NFC as `ha-noi`. Both
/// now get `ha-noi` through the one normalisation (tiendo_core::text) that every suggestion uses.
#[test]
fn case_b2_11_an_nfd_name_gets_the_same_id_suggestion_as_nfc() {
    let machine = Machine::new();
    let fixture = support::repository_root().join("tests/fixtures/newcomer/b2-11-nfd-id-suggestion.toml");
    let text = std::fs::read_to_string(&fixture).unwrap();
    assert!(text.contains("id = \"Ha\u{300} No\u{323}\u{302}i\""), "the fixture keeps its NFD bytes");
    let run = machine.tiendo(".", &["check", fixture.to_str().unwrap(), "--color", "never"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let hints: Vec<&str> = run.stdout.lines().filter(|line| line.contains("such as `")).collect();
    assert_eq!(hints.len(), 2, "{}", run.stdout);
    for hint in hints {
        assert!(hint.contains("such as `ha-noi`"), "{hint}");
    }
}

/// The issue's "done when": in an empty folder outside any checkout, with only the binary, a project is created,
/// checked, gets a plugin that is built and tested, and a report renders from it.
#[test]
fn init_check_plugin_and_report_in_an_empty_folder() {
    let machine = Machine::new();
    let created = machine.tiendo(".", &["init", "demo", "--province", "an-giang-2025"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let demo = machine.work.path().join("demo");
    for file in
        ["tiendo.toml", "catalogue/plan.toml", "data/observations.csv", ".gitignore", "tiendo-project.schema.json"]
    {
        assert!(demo.join(file).is_file(), "{file}");
    }
    let manifest = std::fs::read_to_string(demo.join("tiendo.toml")).unwrap();
    assert!(manifest.starts_with("#:schema ./tiendo-project.schema.json\n"), "{manifest}");
    assert!(manifest.contains("catalogue = [\"builtin:vn\", \"catalogue\"]"), "{manifest}");

    let checked = machine.tiendo("demo", &["check"]);
    assert_eq!(checked.code, 0, "{}{}", checked.stdout, checked.stderr);
    assert!(checked.stdout.contains("no problems found"), "{}", checked.stdout);
    // From a sub-folder, the project above is found.
    std::fs::create_dir(demo.join("notes")).unwrap();
    assert_eq!(machine.tiendo("demo/notes", &["check"]).code, 0);

    let target = wasm_target_dir();
    assert_eq!(machine.tiendo("demo", &["plugin", "new", "m"]).code, 0);
    let built = machine.tiendo("demo", &["plugin", "build", "m", "--target-dir", &target]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let tested = machine.tiendo("demo", &["plugin", "test", "m", "--input", "m/input.json", "--target-dir", &target]);
    assert_eq!(tested.code, 0, "{}", tested.stderr);
    // The plugin crate is not read as catalogue: the project still checks clean.
    assert_eq!(machine.tiendo("demo", &["check"]).code, 0);

    // Two figures for the province, then the review.
    let data = "data_element,org_unit,period,value,source,status,note\n\
                denunciations_received,an-giang-2025,2025,40,kh-an-giang-2025,final,\n\
                denunciations_resolved,an-giang-2025,2025,36,kh-an-giang-2025,final,\n";
    std::fs::write(demo.join("data/observations.csv"), data).unwrap();
    let args = ["report", "--window", "2025", "--as-of", "2026-01-15", "--lang", "vi,en", "--out", "review"];
    let report = machine.tiendo("demo", &args);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(report.stderr.contains("wrote:\n  review/vi/review.html\n"), "{}", report.stderr);
    let json = std::fs::read_to_string(demo.join("review/en/review.json")).unwrap();
    assert!(json.contains("\"path\": \"builtin:vn\""), "the digests name the built-in catalogue");
    let html = std::fs::read_to_string(demo.join("review/en/review.html")).unwrap();
    assert!(html.contains("90"), "T2 = 36 / 40 = 90 % is in the review");
    let evaluated =
        machine.tiendo("demo", &["eval", "--plan", "kh-an-giang-2025", "--as-of", "2026-01-15", "--format", "csv"]);
    assert_eq!(evaluated.code, 0, "{}", evaluated.stderr);
    assert!(evaluated.stdout.lines().skip(1).all(|line| line.contains("an-giang-2025")), "{}", evaluated.stdout);
    assert!(evaluated.stdout.contains("t2-denunciations-resolved"), "{}", evaluated.stdout);
}

#[test]
fn an_empty_folder_points_at_tiendo_init() {
    let machine = Machine::new();
    for args in [&["check"][..], &["eval"], &["report", "--window", "2021..2023", "--out", "review"]] {
        let run = machine.tiendo(".", args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains("no tiendo.toml in the working folder or any folder above it"), "{}", run.stderr);
        assert!(run.stderr.contains("`tiendo init`"), "{}", run.stderr);
        assert!(!run.stderr.contains("``"), "{}", run.stderr);
    }
    // `list` falls back on the built-in national catalogue.
    let listed = machine.tiendo(".", &["list", "data-elements"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(listed.stdout.contains("denunciations_received"), "{}", listed.stdout);
}

#[test]
fn a_window_written_with_a_hyphen_gets_the_range_form() {
    let machine = Machine::new();
    for (typed, hint) in
        [("2021-2023", "`2021..2023`"), ("2021 - 2025", "`2021..2025`"), ("2021\u{2013}2022", "`2021..2022`")]
    {
        let run = machine.tiendo(".", &["report", "--window", typed, "--out", "review"]);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains(&format!("hint: write a range of years as {hint}")), "{typed}: {}", run.stderr);
    }
}

#[test]
fn a_builtin_catalogue_this_binary_does_not_carry_is_named() {
    let machine = Machine::new();
    assert_eq!(machine.tiendo(".", &["init", "p"]).code, 0);
    let manifest = machine.work.path().join("p/tiendo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace("\"builtin:vn\"", "\"builtin:vm\"");
    std::fs::write(&manifest, text).unwrap();
    let run = machine.tiendo("p", &["check", "--color", "never"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("`builtin:vm` is not a catalogue built into this tiendo"), "{}", run.stdout);
    assert!(run.stdout.contains("tiendo.toml:11:14"), "{}", run.stdout);
    assert!(run.stdout.contains("did you mean `builtin:vn`?"), "{}", run.stdout);
}

#[test]
fn every_command_has_examples_completions_and_a_manual() {
    let machine = Machine::new();
    let commands: &[&[&str]] = &[
        &[],
        &["init"],
        &["check"],
        &["schema"],
        &["list"],
        &["eval"],
        &["report"],
        &["plugin"],
        &["plugin", "new"],
        &["plugin", "build"],
        &["plugin", "test"],
        &["plugin", "inspect"],
        &["completions"],
        &["man"],
    ];
    for command in commands {
        let run = machine.tiendo(".", &[*command, &["--help"]].concat());
        assert_eq!(run.code, 0, "{command:?}");
        assert!(run.stdout.contains("Examples:\n  tiendo "), "{command:?} has no example:\n{}", run.stdout);
    }
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = machine.tiendo(".", &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}");
        assert!(run.stdout.contains("tiendo") && run.stdout.contains("plugin"), "{shell}");
    }
    let man = machine.tiendo(".", &["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.contains(".TH tiendo 1"), "{}", man.stdout);
}

/// `tiendo init` in the empty folder one stands in (`.`, `./`, or nothing) writes the project there and keeps the
/// folder (round 68, found by a verifier: "cannot replace the empty folder ."); a folder with files is refused.
#[test]
fn init_writes_into_the_empty_working_folder() {
    let machine = Machine::new();
    for (folder, args) in [("a", &["init"][..]), ("b", &["init", "."]), ("c", &["init", "./"])] {
        std::fs::create_dir(machine.work.path().join(folder)).unwrap();
        let created = machine.tiendo(folder, args);
        assert_eq!(created.code, 0, "{args:?}: {}", created.stderr);
        assert!(machine.work.path().join(folder).join("tiendo.toml").is_file(), "{args:?}");
        let checked = machine.tiendo(folder, &["check"]);
        assert_eq!(checked.code, 0, "{args:?}: {}{}", checked.stdout, checked.stderr);
        let again = machine.tiendo(folder, args);
        assert_ne!(again.code, 0, "{args:?}");
        assert!(again.stderr.contains("already exists and is not empty"), "{}", again.stderr);
    }
    let left: Vec<String> = std::fs::read_dir(machine.work.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("tiendo-new"))
        .collect();
    assert!(left.is_empty(), "staging folders left: {left:?}");
}

/// `eval --plan` shows the warnings about the plan's own indicators only, and says how many others it left out
/// (round 68, found by a newcomer: six W330 about P1 and R1, which a provincial plan does not list, whose hint asked
/// to delete the victims' figures). Without `--plan` they are all there. Fixture: `tests/fixtures/newcomer/plan-warnings`.
#[test]
fn eval_of_a_plan_warns_about_its_own_indicators() {
    let fixture = support::repository_root().join("tests/fixtures/newcomer/plan-warnings");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(args)
            .current_dir(&fixture)
            .env("NO_COLOR", "1")
            .output()
            .expect("the binary runs");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let planned = run(&["eval", "--as-of", "2027-01-20", "--plan", "kh-ca-ht-2026"]);
    assert!(!planned.contains("W330"), "{planned}");
    assert!(
        planned.contains("warning(s) about indicators that plan `kh-ca-ht-2026` does not list are not shown"),
        "{planned}"
    );
    let all = run(&["eval", "--as-of", "2027-01-20"]);
    assert!(all.contains("W330") && all.contains("p1-victims-accessing-services"), "{all}");
    assert!(!all.contains("I301"), "{all}");
}

/// The example rows `init` writes in `data/README.md` pass `tiendo check` as they are, for a province of the
/// 34-unit map too, which exists from 1 July 2025: its example is of the second half of 2025 (round 68, found by a
/// newcomer: 2024 rows under it drew E320).
#[test]
fn init_s_example_rows_pass_check() {
    let machine = Machine::new();
    for province in ["ha-tinh-2025", "ha-tinh"] {
        let created = machine.tiendo(".", &["init", province, "--province", province]);
        assert_eq!(created.code, 0, "{}", created.stderr);
        let folder = machine.work.path().join(province);
        let readme = std::fs::read_to_string(folder.join("data/README.md")).unwrap();
        let block = readme.split("```csv\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a CSV block");
        std::fs::write(folder.join("data/observations.csv"), block).unwrap();
        let checked = machine.tiendo(province, &["check"]);
        assert_eq!(checked.code, 0, "{province}: {}{}", checked.stdout, checked.stderr);
        assert!(checked.stdout.contains("no problems found"), "{province}: {}", checked.stdout);
    }
}

/// E027 on a plan adopting a built-in indicator that the built-in programme it implements does not monitor names a
/// fix a project can make: copy the indicator under a new id (round 68, found by a newcomer: the hint said to edit
/// `qd-33-2026`, which is built in). Fixture: `tests/fixtures/newcomer/e027-builtin`.
#[test]
fn e027_on_built_in_plans_says_to_copy_the_indicator() {
    let fixture = support::repository_root().join("tests/fixtures/newcomer/e027-builtin");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .arg("check")
        .current_dir(&fixture)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("E027"), "{text}");
    assert!(
        text.contains("are in the built-in catalogue, which a project does not edit: copy the indicator"),
        "{text}"
    );
    assert!(!text.contains("add it to `qd-33-2026`'s indicators"), "{text}");
}
