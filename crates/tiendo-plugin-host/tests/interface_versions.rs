//! WIT 0.1.2 beside 0.1.1 and 0.1.0 (issue 15, item 5): a plugin built with the 0.1.0 SDK still loads and is called
//! through `metric.compute`, one built with the 0.1.1 SDK through `columns.compute-columns`, and the same plugin
//! built with the current (0.1.2) SDK through `packed.compute-packed`; all three give the same metrics (bit for bit),
//! notes, units, logs and errors on a table of requests.
//!
//! The older plugins are `fixtures/v0.1.0/qn-justice-funnel.wasm` (built from the sources of commit 69f481b) and
//! `fixtures/v0.1.1/qn-justice-funnel.wasm` (the 0.1.1 build committed in 18e36e2; see the READMEs beside them), so
//! that the old paths keep being tested whatever the SDK becomes.

mod support;

use tiendo_core::period::Period;
use tiendo_core::plugin::{MetricInput, MetricRequest};
use tiendo_plugin_host::{Computation, ComputeExport, HostConfig, PluginError, PluginHost};

const OLD_FUNNEL: &[u8] = include_bytes!("fixtures/v0.1.0/qn-justice-funnel.wasm");
const COLUMNS_FUNNEL: &[u8] = include_bytes!("fixtures/v0.1.1/qn-justice-funnel.wasm");
const ID: &str = "qn-justice-funnel";
const STAGES: [&str; 5] =
    ["denunciations_received", "denunciations_resolved", "cases_detected", "cases_indicted", "cases_tried"];

/// A host with the 0.1.0 build, one with the 0.1.1 build and one with the current (0.1.2) build of the justice
/// funnel.
fn hosts() -> (PluginHost, PluginHost, PluginHost) {
    let host = |bytes: &[u8]| {
        let mut host = PluginHost::new(HostConfig::default()).expect("the host starts");
        host.load(&support::manifest_for(ID, bytes), bytes).expect("the plugin loads");
        host
    };
    (host(OLD_FUNNEL), host(COLUMNS_FUNNEL), host(&support::component(ID)))
}

fn period(id: &str) -> Period {
    id.parse().expect("a valid period")
}

fn input(name: &str, org_unit: &str, period_id: &str, value: Option<f64>) -> MetricInput {
    MetricInput { name: name.to_owned(), org_unit: org_unit.to_owned(), period: period(period_id), value }
}

fn request(inputs: Vec<MetricInput>, params: &[(&str, &str)]) -> MetricRequest {
    MetricRequest {
        plugin: ID.to_owned(),
        org_unit: "quang-nam".to_owned(),
        periods: vec![period("2023"), period("2022")],
        inputs,
        params: params.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect(),
    }
}

/// One value per stage, for quang-nam in 2023.
fn counts(values: [Option<f64>; 5]) -> Vec<MetricInput> {
    STAGES.iter().zip(values).map(|(stage, value)| input(stage, "quang-nam", "2023", value)).collect()
}

/// Many communes over two periods, with gaps, in an order where names, units and periods interleave.
fn communes(count: usize) -> Vec<MetricInput> {
    (0..count)
        .flat_map(|commune| {
            STAGES.iter().enumerate().map(move |(stage, name)| {
                let period_id = if commune % 3 == 0 { "2022" } else { "2023" };
                let value = (commune % 7 != 4).then_some((500 - stage * 60 + commune % 11) as f64);
                input(name, &format!("commune-{commune}"), period_id, value)
            })
        })
        .collect()
}

/// The cases: (what, request).
fn cases() -> Vec<(&'static str, MetricRequest)> {
    let some = |values: [f64; 5]| counts(values.map(Some));
    vec![
        ("a plain funnel", request(some([200.0, 180.0, 90.0, 72.0, 60.0]), &[("target_rate", "85")])),
        ("carry-over above 100 % (a note and a log)", request(some([10.0, 8.0, 12.0, 6.0, 6.0]), &[])),
        ("zero denominators", request(some([0.0; 5]), &[])),
        ("fractions and -0.0", request(some([3.0, 1.0, 1.0, -0.0, 0.0]), &[("target_rate", "33.3")])),
        (
            "a missing value is a missing input",
            request(counts([Some(1.0), None, Some(1.0), Some(1.0), Some(1.0)]), &[]),
        ),
        ("a negative count", request(some([5.0, -1.0, 1.0, 1.0, 1.0]), &[])),
        ("a parameter that is not a number", request(some([5.0; 5]), &[("target_rate", "abc")])),
        ("no inputs at all", request(Vec::new(), &[])),
        ("a not-a-number value", request(some([f64::NAN, 1.0, 1.0, 1.0, 1.0]), &[])),
        ("2,000 values over 400 communes and two periods", request(communes(400), &[("target_rate", "60")])),
    ]
}

/// Everything a result says, with numbers as bits (so that NaN and -0.0 compare), and without the fuel, which
/// depends on how the request was passed.
fn fingerprint(result: &Result<Computation, PluginError>) -> String {
    match result {
        Ok(computation) => {
            let values: Vec<String> = computation
                .values
                .iter()
                .map(|value| {
                    format!("{} {:?} {:?} {:?}", value.name, value.value.map(f64::to_bits), value.unit, value.note)
                })
                .collect();
            let logs: Vec<String> = computation.logs.iter().map(ToString::to_string).collect();
            format!("ok\n{}\nlogs:\n{}", values.join("\n"), logs.join("\n"))
        }
        Err(error) => format!("error {}: {error}", error.kind.name()),
    }
}

#[test]
fn each_plugin_is_called_through_the_newest_export_it_has() {
    let (old, columns, new) = hosts();
    let expected = [
        (&old, "0.1.0", ComputeExport::Compute),
        (&columns, "0.1.1", ComputeExport::Columns),
        (&new, "0.1.2", ComputeExport::Packed),
    ];
    for (host, version, export) in expected {
        let details = host.details(ID).unwrap();
        assert_eq!(details.interface_version, version);
        assert_eq!(details.imports, [format!("tiendo:plugin/host@{version}")]);
        assert_eq!(details.export, export, "{version}");
        assert_eq!(details.description, old.details(ID).unwrap().description);
    }
}

#[test]
fn all_interfaces_give_the_same_results() {
    let (old, columns, new) = hosts();
    for (what, request) in cases() {
        let before = fingerprint(&old.run(&request));
        assert_eq!(before, fingerprint(&columns.run(&request)), "{what}: 0.1.1");
        assert_eq!(before, fingerprint(&new.run(&request)), "{what}: 0.1.2");
    }
    // The table holds successes and each kind of refusal, so that it tests both.
    let outcomes: Vec<String> = cases().iter().map(|(_, request)| fingerprint(&new.run(request))).collect();
    assert!(outcomes.iter().any(|outcome| outcome.starts_with("ok") && outcome.contains("warn: ")));
    assert!(outcomes.iter().any(|outcome| outcome.contains("missing-input")));
    assert!(outcomes.iter().any(|outcome| outcome.contains("invalid-input")));
}

#[test]
fn each_newer_interface_is_cheaper_to_pass() {
    // Fuel counts the plugin's own instructions, deterministically: receiving 2,000 values as columns must cost the
    // plugin less than receiving them as records, whose every string the host allocates through a call into the
    // plugin, and receiving the 400 org units as one string less than as 400 strings.
    let (old, columns, new) = hosts();
    let request = request(communes(400), &[]);
    let fuel = |host: &PluginHost| host.run(&request).unwrap().fuel_consumed;
    let (records, by_columns, packed) = (fuel(&old), fuel(&columns), fuel(&new));
    assert!(by_columns < records, "{by_columns} >= {records}");
    assert!(packed < by_columns, "{packed} >= {by_columns}");
}

#[test]
fn a_small_call_of_the_current_sdk_does_not_grow_memory() {
    // The SDK's arena (crates/tiendo-plugin/src/arena.rs) lies in the initial memory; the 0.1.1 build, made before
    // it, grows memory on its first allocation, which costs the host page-protection changes on every call.
    let (_old, columns, new) = hosts();
    for (what, request) in cases().into_iter().take(9) {
        assert!(!new.run(&request).is_ok_and(|call| call.memory_grew), "{what}");
    }
    let small = &cases()[0].1;
    assert!(columns.run(small).unwrap().memory_grew);
    // Past the arena the standard allocator grows memory as before.
    assert!(new.run(&request(communes(20_000), &[])).unwrap().memory_grew);
}

#[test]
fn a_cached_load_remembers_the_interface_and_the_info() {
    let cache = tempfile::tempdir().unwrap();
    let current = support::component(ID);
    for bytes in [OLD_FUNNEL, COLUMNS_FUNNEL, &current[..]] {
        let manifest = support::manifest_for(ID, bytes);
        let mut first = PluginHost::new(HostConfig::with_cache_dir(cache.path().to_path_buf())).unwrap();
        let compiled = first.load(&manifest, bytes).unwrap();
        let mut second = PluginHost::new(HostConfig::with_cache_dir(cache.path().to_path_buf())).unwrap();
        let cached = second.load(&manifest, bytes).unwrap();
        assert!(!compiled.from_cache && cached.from_cache);
        assert_eq!((&cached.description, cached.export), (&compiled.description, compiled.export));
        let request = &cases()[1].1;
        assert_eq!(fingerprint(&first.run(request)), fingerprint(&second.run(request)));
    }
}
