//! Issue 11, parts 3-5, through the real binary: a plugin is what was reviewed (the pin in tiendo.toml wins over a
//! sidecar, a planted cache entry is never run), `check` finds every plugin wiring fault at `file:line:col`, and a
//! plugin failure stays in its own cells while `eval` finishes and exits 1.
//!
//! Cases from `../shared/cases/hardening/`: `plugin-manifest-syntax-error`, `plugin-sidecar-overrides-pin`,
//! `plugin-one-province-missing-input`; the rest are further inputs of the same kinds.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{example, relocated_manifest};

const PLUGINS: [&str; 3] = ["qn-justice-funnel", "victim-reintegration", "prevention-coverage"];
const QN_SHA: &str = "2527fca9621587b4b339a4083f952d684ac2aede643e52523d6e76ef035ebcfa";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A copy of the example project in a temporary folder, with its own plugins folder (so that sidecars and swapped
/// components can be put beside them) and data files, and a private plugin cache.
struct Project {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = tempfile::tempdir().expect("temp dir");
        let local: Vec<String> = PLUGINS
            .iter()
            .map(|id| format!("plugins/{id}.wasm"))
            .chain(
                ["data/national.csv", "data/provinces-synthetic.csv", "data/plugin-inputs-synthetic.csv"]
                    .map(String::from),
            )
            .collect();
        let local: Vec<&str> = local.iter().map(String::as_str).collect();
        std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        for path in &local {
            std::fs::copy(example().join(path), dir.path().join(path)).unwrap();
        }
        std::fs::write(dir.path().join("tiendo.toml"), relocated_manifest(&local)).unwrap();
        Project { dir, cache }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path(relative), text).unwrap();
    }

    /// Adds a catalogue folder `extra/` with `file` holding `text`.
    fn add_catalogue(&self, file: &str, text: &str) {
        std::fs::create_dir_all(self.path("extra")).unwrap();
        self.write(&format!("extra/{file}"), text);
        let manifest = std::fs::read_to_string(self.path("tiendo.toml")).unwrap();
        let manifest = manifest.replacen("catalogue = [", "catalogue = [\"extra\", ", 1);
        self.write("tiendo.toml", &manifest);
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(args)
            .arg(self.dir.path())
            .env("TIENDO_CACHE_DIR", self.cache.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("tiendo runs");
        let redact = |text: &[u8]| {
            String::from_utf8_lossy(text)
                .replace(&self.dir.path().display().to_string(), "[project]")
                .replace(&self.cache.path().display().to_string(), "[cache]")
                .replace(&example().display().to_string(), "[example]")
                .replace(env!("CARGO_MANIFEST_DIR"), "[repo]")
        };
        Run { code: output.status.code().unwrap_or(-1), stdout: redact(&output.stdout), stderr: redact(&output.stderr) }
    }

    fn check(&self) -> Run {
        self.run(&["check"])
    }

    fn eval_json(&self, unit: &str) -> (i32, serde_json::Value, String) {
        let run = self.run(&["eval", "--format", "json", "--as-of", "2024-01-15", "--org-unit", unit]);
        let json = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("eval prints JSON: {}", run.stderr));
        (run.code, json, run.stderr)
    }
}

/// The series values and failed points of `indicator` at `unit`, for comparing runs.
fn results_of(evaluation: &serde_json::Value, indicator: &str, unit: &str) -> serde_json::Value {
    evaluation["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|r| r["indicator"] == indicator && r["org_unit"] == unit)
        .map(|r| {
            let values: Vec<_> =
                r["series"].as_array().unwrap().iter().map(|p| (p["period"].clone(), p["value"].clone())).collect();
            serde_json::json!({ "values": values, "failure": r["failure"], "failed_points": r["failed_points"] })
        })
        .unwrap_or(serde_json::Value::Null)
}

/// The plugin-wiring part of `check`'s output: the diagnostics (without the data file findings) and the summary.
fn wiring_lines(run: &Run) -> String {
    format!("exit {}\n{}", run.code, run.stdout)
}

/// Sidecar faults: each is a located `check` error, and `eval` fails only that plugin's metrics (exit 1).
#[test]
fn sidecar_faults_are_located_check_errors_and_fail_only_their_plugin() {
    let cases: [(&str, String); 12] = [
        // The case `plugin-manifest-syntax-error`, verbatim.
        (
            "fuel-negative",
            std::fs::read_to_string(case("plugin-manifest-syntax-error/qn-justice-funnel.plugin.toml")).unwrap(),
        ),
        ("unknown-key", format!("id = \"qn-justice-funnel\"\nsha256 = \"{QN_SHA}\"\n\n[limits]\ncpu = 1\n")),
        (
            "fuel-20-digits",
            format!("id = \"qn-justice-funnel\"\nsha256 = \"{QN_SHA}\"\n[limits]\nfuel = 99999999999999999999\n"),
        ),
        ("memory-zero", format!("id = \"qn-justice-funnel\"\nsha256 = \"{QN_SHA}\"\n[limits]\nmemory_mib = 0\n")),
        (
            "fuel-above-cap",
            format!("id = \"qn-justice-funnel\"\nsha256 = \"{QN_SHA}\"\n[limits]\nfuel = 10_000_000_001\n"),
        ),
        ("sha-not-hex", "id = \"qn-justice-funnel\"\nsha256 = \"not-a-checksum\"\n".to_owned()),
        ("id-differs", format!("id = \"someone-else\"\nsha256 = \"{QN_SHA}\"\n")),
        ("sha-differs-from-pin", format!("id = \"qn-justice-funnel\"\nsha256 = \"{}\"\n", "ab".repeat(32))),
        ("unclosed-string", format!("id = \"qn-justice-funnel\nsha256 = \"{QN_SHA}\"\n")),
        (
            "empty-range",
            format!(
                "id = \"qn-justice-funnel\"\nsha256 = \"{QN_SHA}\"\n[metrics.end-to-end-rate]\nmin = 10\nmax = 1\n"
            ),
        ),
        (
            "range-of-undeclared-metric",
            format!("id = \"qn-justice-funnel\"\nsha256 = \"{QN_SHA}\"\n[metrics.nope]\nmax = 1\n"),
        ),
        ("string-limit", format!("id = \"qn-justice-funnel\"\nsha256 = \"{QN_SHA}\"\n[limits]\ntimeout_ms = \"5s\"\n")),
    ];
    for (name, sidecar) in cases {
        let project = Project::new();
        project.write("plugins/qn-justice-funnel.plugin.toml", &sidecar);
        let check = project.check();
        assert_eq!(check.code, 1, "{name}: {}", check.stdout);
        insta::assert_snapshot!(format!("sidecar_check_{name}"), wiring_lines(&check));

        let (code, evaluation, stderr) = project.eval_json("quang-nam");
        assert_eq!(code, 1, "{name}: {stderr}");
        let failure = results_of(&evaluation, "qn-justice-end-to-end", "quang-nam");
        assert!(failure["failure"].as_str().is_some_and(|f| f.contains("qn-justice-funnel")), "{name}: {failure}");
        // The other plugins still compute.
        for indicator in ["victim-reintegration-rate", "prevention-coverage-index"] {
            let other = results_of(&evaluation, indicator, "quang-nam");
            assert!(other["failure"].is_null() && !other["values"].as_array().unwrap().is_empty(), "{name}: {other}");
        }
    }
}

fn case(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hardening").join(relative)
}

/// A change made to a copied project.
type Edit = dyn Fn(&Project);

/// Wiring faults outside the sidecar: each a located `check` error.
#[test]
fn plugin_paths_pins_and_metrics_are_checked() {
    let edits: [(&str, &Edit); 6] = [
        ("missing-wasm", &|p: &Project| std::fs::remove_file(p.path("plugins/qn-justice-funnel.wasm")).unwrap()),
        ("wasm-is-garbage", &|p: &Project| p.write("plugins/qn-justice-funnel.wasm", "MZ not wasm")),
        ("wasm-is-a-folder", &|p: &Project| {
            std::fs::remove_file(p.path("plugins/qn-justice-funnel.wasm")).unwrap();
            std::fs::create_dir(p.path("plugins/qn-justice-funnel.wasm")).unwrap();
        }),
        ("no-pin", &|p: &Project| {
            let manifest = std::fs::read_to_string(p.path("tiendo.toml")).unwrap();
            p.write("tiendo.toml", &manifest.replace(&format!("sha256 = \"{QN_SHA}\"\n"), ""));
        }),
        ("sidecar-is-a-folder", &|p: &Project| {
            std::fs::create_dir(p.path("plugins/qn-justice-funnel.plugin.toml")).unwrap()
        }),
        ("undeclared-metric", &|p: &Project| {
            p.add_catalogue(
                "extra.toml",
                "[[indicator]]\nid = \"qn-made-up\"\ncode = \"QN9\"\nname = { vi = \"a\", en = \"a\" }\ngroup = \"detection\"\n\
                 measure = \"percent\"\nplugin = { id = \"qn-justice-funnel\", metric = \"made-up-rate\" }\n\
                 direction = \"increase\"\nsource = \"qd-193-2021\"\n",
            );
        }),
    ];
    for (name, edit) in edits {
        let project = Project::new();
        edit(&project);
        let check = project.check();
        assert_eq!(check.code, 1, "{name}: {}", check.stdout);
        insta::assert_snapshot!(format!("wiring_check_{name}"), wiring_lines(&check));
        let (code, _, stderr) = project.eval_json("quang-nam");
        assert_eq!(code, 1, "{name}: {stderr}");
    }
}

/// The case `plugin-sidecar-overrides-pin`: a swapped component with a sidecar that pins the swap. The pin in
/// tiendo.toml wins: `check` names the mismatch, `eval` fails that plugin alone, and removing the swap restores the
/// reviewed plugin's results exactly.
#[test]
fn a_swapped_sidecar_and_component_never_run() {
    let project = Project::new();
    let (code, clean, stderr) = project.eval_json("quang-nam");
    assert_eq!(code, 0, "{stderr}");
    let reviewed = results_of(&clean, "qn-justice-end-to-end", "quang-nam");

    // swap.py: append a custom section to the component and pin it in a sidecar.
    let wasm = project.path("plugins/qn-justice-funnel.wasm");
    let original = std::fs::read(&wasm).unwrap();
    let mut swapped = original.clone();
    let body: Vec<u8> = [&[7u8][..], b"swapped", &[0u8; 16]].concat();
    swapped.extend([0u8, body.len() as u8]);
    swapped.extend(&body);
    std::fs::write(&wasm, &swapped).unwrap();
    let swapped_sha = tiendo_plugin_host_sha(&swapped);
    project.write(
        "plugins/qn-justice-funnel.plugin.toml",
        &format!("id = \"qn-justice-funnel\"\nsha256 = \"{swapped_sha}\"\n"),
    );

    let check = project.check();
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("E403") && check.stdout.contains("plugin-pin-mismatch"), "{}", check.stdout);
    let (code, evaluation, _) = project.eval_json("quang-nam");
    assert_eq!(code, 1);
    let failed = results_of(&evaluation, "qn-justice-end-to-end", "quang-nam");
    assert!(failed["failure"].as_str().unwrap().contains("differs from"), "{failed}");

    // Without the sidecar, the swapped component is a checksum mismatch.
    std::fs::remove_file(project.path("plugins/qn-justice-funnel.plugin.toml")).unwrap();
    let check = project.check();
    assert!(check.stdout.contains("checksum-mismatch"), "{}", check.stdout);

    // The reviewed component back: the same results as before.
    std::fs::write(&wasm, &original).unwrap();
    let (code, restored, _) = project.eval_json("quang-nam");
    assert_eq!(code, 0);
    assert_eq!(results_of(&restored, "qn-justice-end-to-end", "quang-nam"), reviewed);
}

fn tiendo_plugin_host_sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A change made to the cache folder.
type Plant<'a> = dyn Fn() + 'a;

/// A planted compiled-cache entry (another plugin's code, garbage, an entry without its tag, a tag copied from
/// another entry) is refused and reported, and the reviewed plugin's results are unchanged.
#[test]
fn a_planted_cache_entry_is_refused_and_the_results_are_the_reviewed_ones() {
    let project = Project::new();
    let (_, clean, _) = project.eval_json("quang-nam");
    let entries = |suffix: &str| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(project.cache.path())
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.to_string_lossy().ends_with(suffix))
            .collect();
        found.sort();
        found
    };
    let code_of = |id_sha: &str| {
        entries(".cwasm").into_iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with(id_sha)).unwrap()
    };
    let qn = code_of(QN_SHA);
    let other = entries(".cwasm").into_iter().find(|p| *p != qn).unwrap();
    let tag = |path: &Path| PathBuf::from(format!("{}.mac", path.display()));
    let plants: [(&str, &Plant<'_>); 4] = [
        ("another plugin's code under this plugin's name", &|| {
            std::fs::copy(&other, &qn).unwrap();
        }),
        ("garbage", &|| std::fs::write(&qn, b"\x7fELF planted machine code").unwrap()),
        ("no tag", &|| {
            std::fs::copy(&other, &qn).unwrap();
            std::fs::remove_file(tag(&qn)).unwrap();
        }),
        ("another entry's code and tag", &|| {
            std::fs::copy(&other, &qn).unwrap();
            std::fs::copy(tag(&other), tag(&qn)).unwrap();
        }),
    ];
    for (name, plant) in plants {
        plant();
        let (code, evaluation, stderr) = project.eval_json("quang-nam");
        assert_eq!(code, 0, "{name}: {stderr}");
        assert!(stderr.contains("W401") && stderr.contains("was refused"), "{name}: {stderr}");
        for indicator in ["qn-justice-end-to-end", "victim-reintegration-rate", "prevention-coverage-index"] {
            assert_eq!(
                results_of(&evaluation, indicator, "quang-nam"),
                results_of(&clean, indicator, "quang-nam"),
                "{name}"
            );
        }
        // The entry was rewritten by this tiendo: the next run uses it without a word.
        let (_, _, stderr) = project.eval_json("quang-nam");
        assert!(!stderr.contains("W401"), "{name}: {stderr}");
    }
}

/// The case `plugin-one-province-missing-input`: one province's missing input fails the points of that province and
/// of its successor (whose sum lacks its part and gives a share over 100, refused) only,
/// with the plugin's own message; every other unit keeps its values; eval finishes and exits 1. Where the province's
/// value is suppressed, its failure is withheld from the output (methodology §7) but still counted on the terminal
/// (W353) and in the exit status; `--show-suppressed` lists it with the plugin's message.
#[test]
fn one_provinces_missing_input_fails_that_province_only() {
    let project = Project::new();
    let (_, before, _) = project.eval_json("an-giang");
    for file in ["data/plugin-inputs-synthetic.csv", "data/provinces-synthetic.csv"] {
        let text = std::fs::read_to_string(project.path(file)).unwrap();
        let kept: String =
            text.split_inclusive('\n').filter(|line| !line.starts_with("victims_identified,an-giang,")).collect();
        project.write(file, &kept);
    }
    let run = project.run(&["eval", "--format", "json", "--as-of", "2024-01-15"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Failed points per unit and how many, in the order of the results.
    let failed = |evaluation: &serde_json::Value| -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for result in evaluation["indicators"].as_array().unwrap() {
            let points = result.get("failed_points").and_then(|p| p.as_array()).map_or(0, Vec::len);
            *out.entry(result["org_unit"].as_str().unwrap().to_owned()).or_default() += points;
        }
        out.retain(|_, points| *points > 0);
        out
    };
    let listed = failed(&serde_json::from_str(&run.stdout).unwrap());
    let withheld = run.stderr.contains("W353") && run.stderr.contains("plugin `victim-reintegration` failed");
    let default_stderr = run.stderr;
    let run = project.run(&["eval", "--format", "json", "--as-of", "2024-01-15", "--show-suppressed"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("W353"), "{}", run.stderr);
    let evaluation: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let all = failed(&evaluation);
    assert!(all.keys().all(|unit| ["an-giang", "an-giang-2025"].contains(&unit.as_str())), "{all:?}");
    // What the default run lists is a part of what there is, and the rest is counted on the terminal.
    assert!(listed.iter().all(|(unit, &points)| all.get(unit).is_some_and(|&n| n >= points)), "{listed:?} {all:?}");
    assert_eq!(listed != all, withheld, "{listed:?} {all:?}: {default_stderr}");
    let failing: Vec<String> = evaluation["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("failed_points").is_some() || r.get("failure").is_some())
        .map(|r| format!("{} {}: {}", r["indicator"], r["org_unit"], r["failed_points"]))
        .collect();
    insta::assert_snapshot!("missing_input_one_province", failing.join("\n"));
    // Before the rows were removed, An Giang had values.
    assert!(!results_of(&before, "victim-reintegration-rate", "an-giang")["values"].as_array().unwrap().is_empty());
    // Other provinces keep theirs.
    let others = evaluation["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["indicator"] == "victim-reintegration-rate" && r["org_unit"] != "an-giang")
        .filter(|r| !r["series"].as_array().unwrap().is_empty())
        .count();
    assert!(others > 60, "{others}");
}
