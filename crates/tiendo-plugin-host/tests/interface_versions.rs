//! WIT 0.1.1 beside 0.1.0 (issue 15, item 5): a plugin built with the 0.1.0 SDK still loads and is called through
//! `metric.compute`; the same plugin rebuilt with the 0.1.1 SDK is called through `columns.compute-columns`; both
//! give the same metrics (bit for bit), notes, units, logs and errors on a table of requests.
//!
//! The 0.1.0 plugin is `fixtures/v0.1.0/qn-justice-funnel.wasm`, built from the sources of commit 69f481b (see the
//! README beside it), so that the old path keeps being tested whatever the SDK becomes.

mod support;

use tiendo_core::period::Period;
use tiendo_core::plugin::{MetricInput, MetricRequest};
use tiendo_plugin_host::{Computation, HostConfig, PluginError, PluginHost};

const OLD_FUNNEL: &[u8] = include_bytes!("fixtures/v0.1.0/qn-justice-funnel.wasm");
const ID: &str = "qn-justice-funnel";
const STAGES: [&str; 5] =
    ["denunciations_received", "denunciations_resolved", "cases_detected", "cases_indicted", "cases_tried"];

/// A host with the 0.1.0 build and one with the current (0.1.1) build of the justice funnel.
fn hosts() -> (PluginHost, PluginHost) {
    let mut old = PluginHost::new(HostConfig::default()).expect("the host starts");
    old.load(&support::manifest_for(ID, OLD_FUNNEL), OLD_FUNNEL).expect("the 0.1.0 plugin loads");
    let current = support::component(ID);
    let mut new = PluginHost::new(HostConfig::default()).expect("the host starts");
    new.load(&support::manifest_for(ID, &current), &current).expect("the 0.1.1 plugin loads");
    (old, new)
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
fn a_0_1_0_plugin_loads_and_is_called_through_compute() {
    let (old, new) = hosts();
    let old_details = old.details(ID).unwrap();
    assert_eq!(old_details.interface_version, "0.1.0");
    assert_eq!(old_details.imports, ["tiendo:plugin/host@0.1.0"]);
    assert!(!old_details.columnar);
    let new_details = new.details(ID).unwrap();
    assert_eq!(new_details.interface_version, "0.1.1");
    assert_eq!(new_details.imports, ["tiendo:plugin/host@0.1.1"]);
    assert!(new_details.columnar);
    assert_eq!(old_details.description, new_details.description);
}

#[test]
fn both_interfaces_give_the_same_results() {
    let (old, new) = hosts();
    for (what, request) in cases() {
        let (before, after) = (old.run(&request), new.run(&request));
        assert_eq!(fingerprint(&before), fingerprint(&after), "{what}");
    }
    // The table holds successes and each kind of refusal, so that it tests both.
    let outcomes: Vec<String> = cases().iter().map(|(_, request)| fingerprint(&new.run(request))).collect();
    assert!(outcomes.iter().any(|outcome| outcome.starts_with("ok") && outcome.contains("warn: ")));
    assert!(outcomes.iter().any(|outcome| outcome.contains("missing-input")));
    assert!(outcomes.iter().any(|outcome| outcome.contains("invalid-input")));
}

#[test]
fn the_columns_are_cheaper_to_pass() {
    // Fuel counts the plugin's own instructions, deterministically: receiving 2,000 values as columns (and
    // rebuilding the records inside the plugin) must cost the plugin less than receiving them as records, whose
    // every string the host allocates through a call into the plugin.
    let (old, new) = hosts();
    let request = request(communes(400), &[]);
    let (before, after) = (old.run(&request).unwrap(), new.run(&request).unwrap());
    assert!(after.fuel_consumed < before.fuel_consumed, "{} >= {}", after.fuel_consumed, before.fuel_consumed);
}

#[test]
fn a_cached_load_remembers_the_interface_and_the_info() {
    let cache = tempfile::tempdir().unwrap();
    let current = support::component(ID);
    for bytes in [OLD_FUNNEL, &current[..]] {
        let manifest = support::manifest_for(ID, bytes);
        let mut first = PluginHost::new(HostConfig::with_cache_dir(cache.path().to_path_buf())).unwrap();
        let compiled = first.load(&manifest, bytes).unwrap();
        let mut second = PluginHost::new(HostConfig::with_cache_dir(cache.path().to_path_buf())).unwrap();
        let cached = second.load(&manifest, bytes).unwrap();
        assert!(!compiled.from_cache && cached.from_cache);
        assert_eq!((&cached.description, cached.columnar), (&compiled.description, compiled.columnar));
        let request = &cases()[1].1;
        assert_eq!(fingerprint(&first.run(request)), fingerprint(&second.run(request)));
    }
}
