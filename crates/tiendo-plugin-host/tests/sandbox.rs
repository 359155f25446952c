//! The real sandbox against the real plugins of `plugins/` and the hostile ones of `tests/hostile-plugins/`.

mod support;

use std::collections::BTreeMap;

use tiendo_core::period::Period;
use tiendo_core::plugin::{MetricInput, MetricProvider, MetricRequest, MetricValue, PluginLimitOverrides};
use tiendo_plugin_host::{ComputeExport, HostConfig, PluginErrorKind, PluginHost};

use support::{component, manifest_for};

fn period(id: &str) -> Period {
    id.parse().expect("a valid period")
}

fn request(plugin: &str, values: &[(&str, f64)], params: &[(&str, &str)]) -> MetricRequest {
    MetricRequest {
        plugin: plugin.to_owned(),
        org_unit: "quang-nam".to_owned(),
        periods: vec![period("2023")],
        inputs: values
            .iter()
            .map(|(name, value)| MetricInput {
                name: (*name).to_owned(),
                org_unit: "quang-nam".to_owned(),
                period: period("2023"),
                value: Some(*value),
            })
            .collect(),
        params: params.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect(),
    }
}

fn host() -> PluginHost {
    PluginHost::new(HostConfig::default()).expect("the host starts")
}

/// Loads package `package` under the id it reports, with a matching manifest.
fn load(host: &mut PluginHost, package: &str, id: &str) {
    let bytes = component(package);
    host.load(&manifest_for(id, &bytes), &bytes).unwrap_or_else(|error| panic!("{package}: {error}"));
}

fn value(values: &[MetricValue], name: &str) -> Option<f64> {
    values.iter().find(|value| value.name == name).unwrap_or_else(|| panic!("no metric {name}")).value
}

fn funnel_request() -> MetricRequest {
    request(
        "qn-justice-funnel",
        &[
            ("denunciations_received", 200.0),
            ("denunciations_resolved", 180.0),
            ("cases_detected", 90.0),
            ("cases_indicted", 72.0),
            ("cases_tried", 60.0),
        ],
        &[("target_rate", "85")],
    )
}

fn reintegration_request() -> MetricRequest {
    request(
        "victim-reintegration",
        &[
            ("victims_identified", 80.0),
            ("victims_received", 72.0),
            ("victims_supported", 54.0),
            ("victims_reintegrated", 36.0),
            ("population", 2_000_000.0),
        ],
        &[],
    )
}

fn coverage_request() -> MetricRequest {
    request(
        "prevention-coverage",
        &[
            ("high_risk_communes", 40.0),
            ("high_risk_communes_communicated", 30.0),
            ("high_risk_communes_with_model", 10.0),
            ("people_reached", 500_000.0),
            ("population", 1_000_000.0),
        ],
        &[("weight_coverage", "1"), ("weight_model", "0"), ("weight_reach", "1")],
    )
}

#[test]
fn justice_funnel_in_the_sandbox() {
    let mut host = host();
    load(&mut host, "qn-justice-funnel", "qn-justice-funnel");
    let description = host.describe("qn-justice-funnel").unwrap();
    assert_eq!(description.inputs.len(), 5);
    let values = host.compute(&funnel_request()).unwrap();
    assert_eq!(value(&values, "resolution-rate"), Some(90.0));
    assert_eq!(value(&values, "investigation-rate"), Some(50.0));
    assert_eq!(value(&values, "end-to-end-rate"), Some(30.0));
    assert_eq!(value(&values, "bottleneck-stage"), Some(2.0));
    assert_eq!(value(&values, "steps-below-target"), Some(3.0));
    let bottleneck = values.iter().find(|value| value.name == "bottleneck-stage").unwrap();
    assert_eq!(bottleneck.note.as_deref(), Some("resolved -> investigated (50.0 %)"));
}

#[test]
fn victim_reintegration_in_the_sandbox() {
    let mut host = host();
    load(&mut host, "victim-reintegration", "victim-reintegration");
    let values = host.compute(&reintegration_request()).unwrap();
    assert_eq!(value(&values, "reception-rate"), Some(90.0));
    assert_eq!(value(&values, "overall-reintegration-rate"), Some(45.0));
    assert_eq!(value(&values, "identified-per-100k"), Some(4.0));
    assert_eq!(value(&values, "reintegrated-per-100k"), Some(1.8));
}

#[test]
fn prevention_coverage_in_the_sandbox() {
    let mut host = host();
    load(&mut host, "prevention-coverage", "prevention-coverage");
    let values = host.compute(&coverage_request()).unwrap();
    assert_eq!(value(&values, "commune-coverage"), Some(75.0));
    assert_eq!(value(&values, "prevention-coverage-index"), Some(62.5));
}

#[test]
fn logs_and_fuel_are_reported_and_calls_are_deterministic() {
    let mut host = host();
    load(&mut host, "qn-justice-funnel", "qn-justice-funnel");
    let mut carry_over = funnel_request();
    carry_over.inputs[2].value = Some(250.0);
    let first = host.run(&carry_over).unwrap();
    let second = host.run(&carry_over).unwrap();
    assert_eq!(first, second);
    assert!(first.fuel_consumed > 0);
    assert_eq!(first.logs.len(), 1);
    assert_eq!(first.logs[0].level, "warn");
    assert!(first.logs[0].message.starts_with("investigation-rate is 138.9 %"), "{}", first.logs[0].message);
}

#[test]
fn plugin_errors_are_reported_with_their_message() {
    let mut host = host();
    load(&mut host, "qn-justice-funnel", "qn-justice-funnel");
    let mut missing = funnel_request();
    missing.inputs.retain(|input| input.name != "cases_tried");
    let failure = host.compute(&missing).unwrap_err();
    assert_eq!(failure.kind, "plugin-reported");
    assert_eq!(failure.plugin, "qn-justice-funnel");
    assert_eq!(failure.message, "reported an error: missing-input: no value of `cases_tried` for 2023");
}

/// Loads a hostile plugin and returns the error of loading it or, if it loads, of running it.
fn hostile_error(host: &mut PluginHost, package: &str, id: &str) -> tiendo_plugin_host::PluginError {
    let bytes = component(package);
    match host.load(&manifest_for(id, &bytes), &bytes) {
        Err(error) => error,
        Ok(_) => host.run(&request(id, &[("cases_tried", 3.0)], &[])).expect_err("a hostile plugin must fail"),
    }
}

#[test]
fn infinite_loop_runs_out_of_fuel() {
    let error = hostile_error(&mut host(), "hostile-infinite-loop", "hostile-infinite-loop");
    assert_eq!(error.kind, PluginErrorKind::FuelExhausted { fuel: 1_000_000_000 });
    assert_eq!(error.plugin, "hostile-infinite-loop");
}

#[test]
fn infinite_loop_with_plenty_of_fuel_hits_the_deadline() {
    let mut host = host();
    let bytes = component("hostile-infinite-loop");
    let mut manifest = manifest_for("hostile-infinite-loop", &bytes);
    manifest.limits = PluginLimitOverrides { fuel: Some(10_000_000_000), timeout_ms: Some(50), ..Default::default() };
    host.load(&manifest, &bytes).unwrap();
    let started = std::time::Instant::now();
    let error = host.run(&request("hostile-infinite-loop", &[], &[])).unwrap_err();
    assert_eq!(error.kind, PluginErrorKind::Timeout { timeout_ms: 50 });
    // The error kind proves the deadline fired first: 10 billion fuel would last about a second. The bound on the
    // elapsed time is loose because the machine may be busy.
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
}

#[test]
fn memory_bomb_hits_the_memory_limit() {
    let error = hostile_error(&mut host(), "hostile-memory-bomb", "hostile-memory-bomb");
    assert_eq!(error.kind, PluginErrorKind::MemoryLimit { limit_mib: 64 });
}

#[test]
fn deep_recursion_is_stopped() {
    let error = hostile_error(&mut host(), "hostile-deep-recursion", "hostile-deep-recursion");
    // wasmtime's own stack limit stops it (frames whose locals do not escape live on the wasm stack, not in
    // linear memory).
    assert_eq!(error.kind, PluginErrorKind::StackOverflow);
    assert_eq!(
        error.to_string(),
        "plugin `hostile-deep-recursion`: exhausted its call stack (deep or unbounded recursion?)"
    );
}

#[test]
fn panic_message_reaches_the_host() {
    let error = hostile_error(&mut host(), "hostile-panic", "hostile-panic");
    let PluginErrorKind::Crashed { trap, last_logs } = &error.kind else { panic!("expected a crash, got {error}") };
    assert_eq!(trap, "wasm `unreachable` instruction executed");
    assert_eq!(last_logs[0], "info: about to divide by zero");
    assert!(last_logs[1].starts_with("error: plugin panicked: "), "{last_logs:?}");
    assert!(last_logs[1].contains("attempt to divide by zero"), "{last_logs:?}");
}

#[test]
fn wasi_import_is_forbidden() {
    let error = hostile_error(&mut host(), "hostile-wasi-import", "hostile-wasi-import");
    assert_eq!(error.kind, PluginErrorKind::ForbiddenImport { import: "wasi:random/random@0.2.0".to_owned() });
}

#[test]
fn wrong_major_version_names_the_supported_range() {
    let error = hostile_error(&mut host(), "hostile-wrong-major", "hostile-wrong-major");
    assert_eq!(
        error.to_string(),
        "plugin `hostile-wrong-major`: incompatible interface: the plugin was built for \
         tiendo:plugin/metric@1.0.0; this host supports tiendo:plugin/metric@0.1.x"
    );
}

#[test]
fn a_columns_export_of_another_signature_is_refused_at_load() {
    let mut host = host();
    let bytes = component("hostile-wrong-columns");
    let error = host.load(&manifest_for("hostile-wrong-columns", &bytes), &bytes).unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin `hostile-wrong-columns`: incompatible interface: its tiendo:plugin/columns export does not have the \
         types of WIT 0.1.1; this host supports tiendo:plugin/metric@0.1.x"
    );
}

#[test]
fn a_packed_export_of_another_signature_is_refused_at_load() {
    let mut host = host();
    let bytes = component("hostile-wrong-packed");
    let error = host.load(&manifest_for("hostile-wrong-packed", &bytes), &bytes).unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin `hostile-wrong-packed`: incompatible interface: its tiendo:plugin/packed export does not have the \
         types of WIT 0.1.2; this host supports tiendo:plugin/metric@0.1.x"
    );
}

#[test]
fn oversized_output_is_refused() {
    let error = hostile_error(&mut host(), "hostile-oversized-output", "hostile-oversized-output");
    assert_eq!(
        error.kind,
        PluginErrorKind::OutputTooLarge { reason: "20000 metrics, more than the limit of 10000".to_owned() }
    );
}

#[test]
fn corrupted_file_is_an_invalid_component() {
    let mut bytes = component("qn-justice-funnel");
    let middle = bytes.len() / 2;
    bytes.truncate(middle);
    // The manifest matches the corrupted bytes, so that the corruption itself is what is detected.
    let error = host().load(&manifest_for("qn-justice-funnel", &bytes), &bytes).unwrap_err();
    assert_eq!(error.kind.name(), "invalid-component", "{error}");
}

#[test]
fn checksum_mismatch_is_refused_before_compiling() {
    let bytes = component("qn-justice-funnel");
    let mut manifest = manifest_for("qn-justice-funnel", b"the reviewed build");
    let error = host().load(&manifest, &bytes).unwrap_err();
    let PluginErrorKind::ChecksumMismatch { expected, actual } = &error.kind else { panic!("{error}") };
    assert_eq!(expected, &manifest.sha256);
    assert_eq!(actual, &tiendo_plugin_host::hex_sha256(&bytes));
    manifest.sha256 = "not hex".to_owned();
    assert_eq!(host().load(&manifest, &bytes).unwrap_err().kind.name(), "invalid-manifest");
}

#[test]
fn manifest_must_agree_with_the_plugin() {
    let bytes = component("qn-justice-funnel");
    let mut manifest = manifest_for("quang-nam-funnel", &bytes);
    let error = host().load(&manifest, &bytes).unwrap_err();
    assert_eq!(
        error.kind,
        PluginErrorKind::ManifestMismatch {
            reason: "the declaration says id `quang-nam-funnel`, the plugin's info() says `qn-justice-funnel`"
                .to_owned()
        }
    );
    manifest.id = "qn-justice-funnel".to_owned();
    manifest.version = Some("9.9.9".to_owned());
    assert_eq!(host().load(&manifest, &bytes).unwrap_err().kind.name(), "manifest-mismatch");
    manifest.version = None;
    manifest.min_host_version = Some("99.0.0".to_owned());
    assert_eq!(host().load(&manifest, &bytes).unwrap_err().kind.name(), "host-too-old");
    manifest.min_host_version = None;
    manifest.limits.memory_mib = Some(4096);
    assert_eq!(host().load(&manifest, &bytes).unwrap_err().kind.name(), "invalid-manifest");
}

#[test]
fn a_trapped_plugin_fails_the_same_way_on_the_next_call() {
    let mut host = host();
    load(&mut host, "hostile-panic", "hostile-panic");
    let first = host.run(&request("hostile-panic", &[("cases_tried", 1.0)], &[])).unwrap_err();
    let second = host.run(&request("hostile-panic", &[("cases_tried", 1.0)], &[])).unwrap_err();
    assert_eq!(first, second, "each call gets a fresh store, so the trap does not poison the next call");
}

/// The whole point: a review run with every hostile plugin still computes the real ones, and each hostile one
/// fails with its own named error.
#[test]
fn a_run_with_hostile_plugins_completes_the_others() {
    let mut host = host();
    let mut expected_failures = BTreeMap::new();
    let hostile = [
        ("hostile-infinite-loop", "fuel-exhausted"),
        ("hostile-memory-bomb", "memory-limit"),
        ("hostile-panic", "crashed"),
        ("hostile-deep-recursion", "stack-overflow"),
        ("hostile-wasi-import", "forbidden-import"),
        ("hostile-wrong-major", "incompatible-interface"),
        ("hostile-oversized-output", "output-too-large"),
    ];
    for (package, kind) in hostile {
        let bytes = component(package);
        let _ = host.load(&manifest_for(package, &bytes), &bytes);
        expected_failures.insert(package.to_owned(), kind);
    }
    // A corrupted copy and a tampered copy of a real plugin, under ids of their own.
    let mut corrupted = component("victim-reintegration");
    corrupted.truncate(corrupted.len() / 3);
    let _ = host.load(&manifest_for("corrupted-plugin", &corrupted), &corrupted);
    expected_failures.insert("corrupted-plugin".to_owned(), "invalid-component");
    let tampered = component("prevention-coverage");
    let _ = host.load(&manifest_for("tampered-plugin", b"reviewed bytes"), &tampered);
    expected_failures.insert("tampered-plugin".to_owned(), "checksum-mismatch");
    for (package, id) in [
        ("qn-justice-funnel", "qn-justice-funnel"),
        ("victim-reintegration", "victim-reintegration"),
        ("prevention-coverage", "prevention-coverage"),
    ] {
        load(&mut host, package, id);
    }

    let provider: &dyn MetricProvider = &host;
    let mut requests = vec![funnel_request(), reintegration_request(), coverage_request()];
    requests.extend(expected_failures.keys().map(|id| request(id, &[("cases_tried", 2.0)], &[])));
    requests.rotate_left(1);
    let mut failures = BTreeMap::new();
    let mut successes = Vec::new();
    for request in &requests {
        match provider.compute(request) {
            Ok(values) => successes.push((request.plugin.clone(), values.len())),
            Err(failure) => {
                assert_eq!(failure.plugin, request.plugin);
                failures.insert(failure.plugin.clone(), failure.kind.clone());
            }
        }
    }
    successes.sort();
    assert_eq!(
        successes,
        [
            ("prevention-coverage".to_owned(), 4),
            ("qn-justice-funnel".to_owned(), 7),
            ("victim-reintegration".to_owned(), 6)
        ]
    );
    let expected: BTreeMap<String, String> =
        expected_failures.iter().map(|(id, kind)| (id.clone(), (*kind).to_owned())).collect();
    assert_eq!(failures, expected);
}

#[test]
fn compiled_plugins_are_cached_on_disk() {
    let cache = tempfile::tempdir().unwrap();
    let bytes = component("victim-reintegration");
    let manifest = manifest_for("victim-reintegration", &bytes);
    let config = HostConfig::with_cache_dir(cache.path().to_path_buf());

    let mut first = PluginHost::new(config.clone()).unwrap();
    assert!(!first.load(&manifest, &bytes).unwrap().from_cache);
    let mut second = PluginHost::new(config.clone()).unwrap();
    assert!(second.load(&manifest, &bytes).unwrap().from_cache);
    assert_eq!(second.compute(&reintegration_request()), first.compute(&reintegration_request()));

    // A damaged cache entry is ignored and replaced, never handed to wasmtime.
    for entry in std::fs::read_dir(cache.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|extension| extension == "cwasm") {
            let mut compiled = std::fs::read(&path).unwrap();
            let middle = compiled.len() / 2;
            compiled[middle] ^= 0xff;
            std::fs::write(&path, compiled).unwrap();
        }
    }
    let mut third = PluginHost::new(config.clone()).unwrap();
    assert!(!third.load(&manifest, &bytes).unwrap().from_cache);
    assert!(third.compute(&reintegration_request()).is_ok());
    let mut fourth = PluginHost::new(config).unwrap();
    assert!(fourth.load(&manifest, &bytes).unwrap().from_cache);
}

#[test]
fn unreviewed_plugins_take_their_id_from_info() {
    let mut host = host();
    let details = host.load_unreviewed(&component("prevention-coverage")).unwrap();
    assert_eq!(details.description.id, "prevention-coverage");
    assert_eq!(details.interface_version, "0.1.2");
    assert_eq!(details.imports, ["tiendo:plugin/host@0.1.2"]);
    assert_eq!(details.export, ComputeExport::Packed, "built with the 0.1.2 SDK: called through compute-packed");
    assert!(host.compute(&coverage_request()).is_ok());
}

#[test]
fn components_hold_no_paths_of_the_build_machine() {
    // Panic locations embed source paths; the builder remaps them so that a rebuild elsewhere gives the same sha256.
    let root = support::repository_root();
    let root = root.to_string_lossy();
    let cargo_home = std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{}/.cargo", env!("HOME")));
    for package in ["qn-justice-funnel", "victim-reintegration", "prevention-coverage"] {
        let bytes = component(package);
        for path in [root.as_bytes(), cargo_home.as_bytes()] {
            assert!(
                !bytes.windows(path.len()).any(|window| window == path),
                "{package} contains {}",
                String::from_utf8_lossy(path)
            );
        }
    }
}
