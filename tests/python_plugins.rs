//! Issue 16: plugins written in Python and built with componentize-py (`--stub-wasi`, so the host stays WASI-free).
//!
//! * The committed Python twin of the prevention-coverage plugin gives the same metric values as the Rust one, on a
//!   table of inputs through the sandbox and on the example project through `tiendo eval`, where it is wired by its
//!   sha256 like any plugin.
//! * The committed hostile Python component (one component, the attack chosen by a parameter) gets a named error for
//!   each attack, never touches the machine, leaves the other plugins computing, and two runs give the same bytes.
//!
//! Building from source needs PyPI (componentize-py), so the components are committed with their sources; CI builds
//! the Python plugin from source once (`.ci/python-plugin`), and the sha256 pins below say which bytes are tested.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use support::{example, relocated_manifest};
use tiendo_core::plugin::{MetricInput, MetricRequest, PluginLimitOverrides, PluginManifest};
use tiendo_plugin_host::{HostConfig, PluginHost};

const PYTHON_PREVENTION: &str = "plugins/prevention-coverage-py/prevention-coverage.wasm";
const PYTHON_PREVENTION_SHA: &str = "480822330c1e9dcd965987d47e6c1192919d07c648aea23b46113c81cbc4e7e0";
const HOSTILE: &str = "tests/hostile-plugins-py/hostile-py.wasm";
const HOSTILE_SHA: &str = "0e3e57da63c52143b64e0b97580a799026a1c0e1a1ee4cce815542f2d938558a";
/// The Rust prevention-coverage plugin as the example project pins it.
const RUST_PREVENTION_SHA: &str = "fd4e25c2d5fa8d8c4de9e08cc7d2ba6de7a21a67e0e10d17d07b98e4c0f5a5fc";

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The compiled-plugin cache these tests and `.ci/python-plugin` share: compiling a 19 MB Python component takes
/// 35-50 s of CPU in a debug build, and the committed ones are the same bytes every time. Entries are keyed by the
/// component's sha256 and the engine and checked by their tag before use (`tiendo-plugin-host`'s `cache.rs`, whose own
/// tests cover the cache), so sharing them changes no outcome.
fn shared_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugin-cache")
}

/// One host for the whole file (compiling a 19 MB Python component takes seconds in a debug build), with the two
/// Python components and the Rust prevention-coverage plugin loaded under their reviewed pins.
fn host() -> &'static PluginHost {
    static HOST: OnceLock<PluginHost> = OnceLock::new();
    HOST.get_or_init(|| {
        let mut host = PluginHost::new(HostConfig::with_cache_dir(shared_cache())).expect("host");
        let load = |host: &mut PluginHost, key: &str, id: &str, sha: &str, path: PathBuf| {
            // The hostile plugin's endless attacks must end on fuel, which is the same on every machine, not on the
            // wall clock, which a loaded machine reaches first: its timeout is the host's cap (30 s).
            let limits =
                PluginLimitOverrides { timeout_ms: (id == "hostile-py").then_some(30_000), ..Default::default() };
            let manifest = PluginManifest { id: id.to_owned(), sha256: sha.to_owned(), limits, ..Default::default() };
            let wasm = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let details = host.load(&manifest, &wasm).unwrap_or_else(|error| panic!("{key}: {error}"));
            assert_eq!(details.description.id, id);
        };
        load(
            &mut host,
            "rust",
            "prevention-coverage",
            RUST_PREVENTION_SHA,
            example().join("plugins/prevention-coverage.wasm"),
        );
        load(&mut host, "hostile", "hostile-py", HOSTILE_SHA, repo(HOSTILE));
        host
    })
}

/// A second host holding the Python prevention-coverage plugin under the same id as the Rust one.
fn python_host() -> &'static PluginHost {
    static HOST: OnceLock<PluginHost> = OnceLock::new();
    HOST.get_or_init(|| {
        let mut host = PluginHost::new(HostConfig::with_cache_dir(shared_cache())).expect("host");
        let manifest = PluginManifest {
            id: "prevention-coverage".to_owned(),
            sha256: PYTHON_PREVENTION_SHA.to_owned(),
            ..Default::default()
        };
        let wasm = std::fs::read(repo(PYTHON_PREVENTION)).expect("the committed Python component");
        let details = host.load(&manifest, &wasm).expect("the Python plugin loads under its pin");
        assert_eq!(details.language, "python");
        assert_eq!(details.imports, ["tiendo:plugin/host@0.1.1"], "no WASI import");
        host
    })
}

const NAMES: [&str; 5] = [
    "high_risk_communes",
    "high_risk_communes_communicated",
    "high_risk_communes_with_model",
    "people_reached",
    "population",
];

fn request(plugin: &str, values: [Option<f64>; 5], params: &[(&str, &str)]) -> MetricRequest {
    let period = "2024".parse().expect("a period");
    MetricRequest {
        plugin: plugin.to_owned(),
        org_unit: "nghe-an".to_owned(),
        periods: vec![period],
        inputs: NAMES
            .iter()
            .zip(values)
            .map(|(name, value)| MetricInput {
                name: (*name).to_owned(),
                org_unit: "nghe-an".to_owned(),
                period,
                value,
            })
            .collect(),
        params: params.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect(),
    }
}

/// One differential input: the five component values (absent: not reported) and the plugin's parameters.
type DifferentialCase = ([Option<f64>; 5], Vec<(&'static str, &'static str)>);

/// Inputs of every kind the plugin distinguishes: full data, each component missing, zero and negative
/// denominators, over-counted communes, reach above 100 %, fractional values that round differently, weights
/// from parameters (including spellings the two languages might parse differently), and refused weights.
fn differential_cases() -> Vec<DifferentialCase> {
    let full = [Some(40.0), Some(30.0), Some(10.0), Some(500_000.0), Some(1_000_000.0)];
    let mut cases = vec![
        (full, vec![]),
        ([None, Some(30.0), Some(10.0), Some(5.0), Some(10.0)], vec![]),
        ([Some(40.0), None, Some(10.0), Some(5.0), Some(10.0)], vec![]),
        ([Some(40.0), Some(30.0), None, None, Some(10.0)], vec![]),
        ([Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0)], vec![]),
        ([Some(-4.0), Some(3.0), Some(1.0), Some(1.0), Some(-1.0)], vec![]),
        ([Some(10.0), Some(12.0), Some(10.0), Some(3e6), Some(1e6)], vec![]),
        ([Some(7.0), Some(3.0), Some(1.0), Some(1.0), Some(3.0)], vec![]),
        ([Some(1e-300), Some(1e300), Some(0.1), Some(0.2), Some(0.3)], vec![]),
        ([None, None, None, None, None], vec![]),
    ];
    let params: [&[(&str, &str)]; 10] = [
        &[("weight_coverage", "1"), ("weight_model", "0"), ("weight_reach", "1")],
        &[("weight_coverage", " 0.25 "), ("weight_model", "+.5"), ("weight_reach", "1e-1")],
        &[("weight_coverage", "2E0"), ("weight_model", "3."), ("weight_reach", "0")],
        &[("weight_model", "-1")],
        &[("weight_reach", "lots")],
        &[("weight_reach", "1_0")],
        &[("weight_reach", "inf")],
        &[("weight_reach", "nan")],
        &[("weight_reach", "0x10")],
        &[("weight_coverage", "0"), ("weight_model", "0"), ("weight_reach", "0")],
    ];
    for params in params {
        cases.push((full, params.to_vec()));
    }
    cases
}

/// The same values, units, notes and errors, bit for bit, from the Rust and the Python plugin.
#[test]
fn python_and_rust_prevention_coverage_agree_on_every_kind_of_input() {
    for (values, params) in differential_cases() {
        let rust = host().run(&request("prevention-coverage", values, &params));
        let python = python_host().run(&request("prevention-coverage", values, &params));
        match (rust, python) {
            (Ok(rust), Ok(python)) => {
                assert_eq!(rust.values.len(), python.values.len());
                for (r, p) in rust.values.iter().zip(&python.values) {
                    assert_eq!((&r.name, &r.unit, &r.note), (&p.name, &p.unit, &p.note), "{values:?} {params:?}");
                    assert_eq!(
                        r.value.map(f64::to_bits),
                        p.value.map(f64::to_bits),
                        "{} {values:?} {params:?}",
                        r.name
                    );
                }
                assert_eq!(rust.logs, python.logs, "{values:?} {params:?}");
            }
            (Err(rust), Err(python)) => assert_eq!(rust.kind, python.kind, "{values:?} {params:?}"),
            (rust, python) => panic!("{values:?} {params:?}: Rust {rust:?}, Python {python:?}"),
        }
    }
}

fn attack(name: &str) -> Result<Vec<Option<f64>>, (String, String)> {
    let mut request = request("hostile-py", [None; 5], &[("attack", name)]);
    request.inputs.clear();
    host()
        .run(&request)
        .map(|computation| computation.values.iter().map(|value| value.value).collect())
        .map_err(|error| (error.kind.name().to_owned(), error.kind.to_string()))
}

/// Each attack ends in its own named error (the clock and random numbers in deterministic output), and the Rust
/// plugin in the same host computes after each.
#[test]
fn each_python_attack_gets_its_named_error_and_the_others_still_compute() {
    let expected: &[(&str, &str, &str)] = &[
        ("open-file", "system-call", "`filesystem_preopens_get_directories (wasi:filesystem)`"),
        ("socket", "system-call", "(wasi:"),
        ("clock", "system-call", "`wall_clock_now (wasi:clocks)`"),
        ("sleep", "system-call", "(wasi:clocks)"),
        ("endless-loop", "fuel-exhausted", "ran out of fuel after 1000000000 units"),
        ("memory-bomb", "memory-limit", "more than 64 MiB"),
        ("print-100-mb", "fuel-exhausted", "ran out of fuel"),
        (
            "raise",
            "plugin-reported",
            "internal: uncaught ValueError: the plugin gave up (plugin.py:84 in raise_exception)",
        ),
        ("recursion", "plugin-reported", "uncaught RecursionError: maximum recursion depth exceeded"),
        ("unknown", "plugin-reported", "invalid-input: unknown attack `unknown`"),
    ];
    let full = [Some(40.0), Some(30.0), Some(10.0), Some(500_000.0), Some(1_000_000.0)];
    for (name, kind, message) in expected {
        let outcome = attack(name);
        match &outcome {
            Err((found_kind, found_message)) => {
                assert_eq!(found_kind, kind, "{name}: {found_message}");
                assert!(found_message.contains(message), "{name}: {found_message}");
            }
            Ok(values) => panic!("{name} computed {values:?}"),
        }
        let after = host().run(&request("prevention-coverage", full, &[])).expect("the Rust plugin still computes");
        assert_eq!(after.values[3].value, Some(55.0));
    }
    assert_eq!(attack("none"), Ok(vec![Some(42.0)]));
    // Nothing of the build machine's or this machine's environment is visible: `os.environ` is empty.
    assert_eq!(attack("env-var"), Ok(vec![Some(0.0)]));
    // Random numbers are seeded when the component is built: the same on every run.
    let random = attack("random");
    assert!(matches!(&random, Ok(values) if values.len() == 1 && values[0].is_some_and(|v| (0.0..1.0).contains(&v))));
    assert_eq!(random, attack("random"));
}

/// Two runs of every attack give the same outcome, byte for byte (values, errors, logs and fuel).
#[test]
fn two_runs_of_the_hostile_plugin_give_the_same_bytes() {
    let run = || {
        ATTACKS
            .iter()
            .map(|name| {
                let mut request = request("hostile-py", [None; 5], &[("attack", name)]);
                request.inputs.clear();
                format!("{name}: {:?}\n", host().run(&request))
            })
            .collect::<String>()
    };
    assert_eq!(run(), run());
}

const ATTACKS: [&str; 12] = [
    "none",
    "open-file",
    "socket",
    "env-var",
    "clock",
    "random",
    "sleep",
    "endless-loop",
    "memory-bomb",
    "print-100-mb",
    "raise",
    "recursion",
];

/// The example project with the Python prevention-coverage component wired in place of the Rust one (pinned by its
/// own sha256): `tiendo eval` gives the same values for every org unit and period.
#[test]
fn the_python_plugin_wired_into_the_example_gives_the_rust_values() {
    let eval = |python: bool| {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut manifest = relocated_manifest(&[]);
        if python {
            let python_path = repo(PYTHON_PREVENTION).display().to_string().replace('\\', "/");
            manifest = manifest
                .lines()
                .map(|line| {
                    if line.starts_with("path = ") && line.ends_with("plugins/prevention-coverage.wasm\"") {
                        format!("path = {python_path:?}")
                    } else {
                        line.replace(RUST_PREVENTION_SHA, PYTHON_PREVENTION_SHA)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            assert!(manifest.contains(PYTHON_PREVENTION_SHA) && manifest.contains(&python_path));
        }
        std::fs::write(dir.path().join("tiendo.toml"), manifest).expect("manifest");
        let output = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .args(["eval", "--format", "json", "--as-of", "2025-01-01"])
            .arg(dir.path())
            .env("TIENDO_CACHE_DIR", shared_cache())
            .output()
            .expect("tiendo runs");
        // The frozen example has findings of its own (exit 1); what matters is that both runs end alike.
        let code = output.status.code();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(json["plugin_failures"], serde_json::json!([]), "{}", String::from_utf8_lossy(&output.stderr));
        let series = json["indicators"]
            .as_array()
            .expect("indicators")
            .iter()
            .filter(|result| result["indicator"] == "prevention-coverage-index")
            .map(|result| (result["org_unit"].to_string(), result["series"].clone()))
            .collect::<BTreeMap<_, _>>();
        (code, series)
    };
    let (rust_code, rust) = eval(false);
    assert!(rust.len() > 1, "prevention-coverage-index is evaluated for several org units");
    let computed = rust
        .values()
        .flat_map(|series| series.as_array().cloned().unwrap_or_default())
        .filter(|point| point["value"].is_number())
        .count();
    assert!(computed > 0, "some points have values");
    let (python_code, python) = eval(true);
    assert_eq!(rust_code, python_code);
    assert_eq!(rust, python);
}
