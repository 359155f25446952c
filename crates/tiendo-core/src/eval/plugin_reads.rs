//! Which of its plugin's inputs each plugin indicator's metric reads, found by asking the plugin: the disclosure audit
//! takes the difference of every two sensitive inputs a metric reads as given away by its value (a reintegration rate
//! of 92.5 beside 40 victims identified: 3 not reintegrated), and a plugin declares its inputs for all its metrics at
//! once (victims identified per 100,000 population reads neither the received nor the reintegrated).
//!
//! The plugin is run once on a probe (every input a distinct count, 1,000 less 37 per input in the order declared)
//! and once more per input with that input one less; an input whose change changes the metric is read. A plugin
//! that fails on the probe, or gives the metric no value there, is taken to read every input, and one that fails on
//! a changed input to read it and every input after it (a sandbox failure such as a timeout is not met again). Only
//! the metrics of plugins with two sensitive inputs or more are probed, and only of plugins that have not failed in
//! the evaluation: the others are taken to read every input. This is the plugin's own
//! arithmetic at one point: a metric that reads an input only at other values (a branch) is not seen, so a plugin
//! whose formula branches on its inputs should publish each branch as its own metric (methodology section 7).

use std::collections::BTreeMap;

use crate::model::{Catalogue, Formula, PluginMetricRef};
use crate::period::Period;
use crate::plugin::PluginFailure;
use crate::plugin::{MetricInput, MetricProvider, MetricRequest};

/// Per plugin indicator id: the inputs of `inputs` (per plugin, as each declared them) its metric reads.
pub(super) fn metric_reads(
    catalogue: &Catalogue,
    (inputs, failures): (&BTreeMap<String, Vec<String>>, &[PluginFailure]),
    provider: Option<&dyn MetricProvider>,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for indicator in catalogue.indicators.values() {
        let Formula::Plugin(plugin) = &indicator.formula else { continue };
        let Some(declared) = inputs.get(&plugin.plugin) else { continue };
        let sensitive = declared.iter().filter(|i| catalogue.data_elements.get(*i).is_some_and(|e| e.sensitive));
        let failed = failures.iter().any(|f| f.plugin == plugin.plugin);
        let reads = match provider {
            Some(provider) if sensitive.count() >= 2 && !failed => probe(provider, plugin, declared),
            _ => declared.clone(),
        };
        out.insert(indicator.id.clone(), reads);
    }
    out
}

/// The inputs of `declared` that `plugin`'s metric reads at the probe (see the module documentation).
fn probe(provider: &dyn MetricProvider, plugin: &PluginMetricRef, declared: &[String]) -> Vec<String> {
    let base: Vec<f64> = (0..declared.len()).map(|k| 1000.0 - 37.0 * k as f64).collect();
    let value_at = |values: &[f64]| -> Result<Option<f64>, ()> {
        let request = MetricRequest {
            plugin: plugin.plugin.clone(),
            org_unit: "probe".to_owned(),
            periods: vec![Period::Year(2000)],
            inputs: declared
                .iter()
                .zip(values)
                .map(|(name, &value)| MetricInput {
                    name: name.clone(),
                    org_unit: "probe".to_owned(),
                    period: Period::Year(2000),
                    value: Some(value),
                })
                .collect(),
            params: plugin.params.clone(),
        };
        let values = provider.compute(&request).map_err(|_| ())?;
        Ok(values.into_iter().find(|v| v.name == plugin.metric).and_then(|v| v.value))
    };
    let Ok(Some(at_base)) = value_at(&base) else { return declared.to_vec() };
    let mut reads = Vec::new();
    for (k, input) in declared.iter().enumerate() {
        let mut moved = base.clone();
        moved[k] -= 1.0;
        match value_at(&moved) {
            Ok(value) if value == Some(at_base) => {}
            Ok(_) => reads.push(input.clone()),
            Err(()) => {
                reads.extend(declared[k..].iter().cloned());
                break;
            }
        }
    }
    reads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{MetricValue, PluginDescription};

    /// A plugin whose metric is `formula` of its three inputs, in the order declared; `Err` fails the call.
    struct Formula3(fn(&[f64]) -> Result<Option<f64>, ()>);

    impl MetricProvider for Formula3 {
        fn describe(&self, _: &str) -> Result<PluginDescription, PluginFailure> {
            unreachable!("the probe does not describe")
        }

        fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure> {
            let values: Vec<f64> = request.inputs.iter().map(|i| i.value.unwrap_or(f64::NAN)).collect();
            let failure = PluginFailure { plugin: "p".into(), kind: "timeout".into(), message: String::new() };
            let value = (self.0)(&values).map_err(|()| failure)?;
            Ok(vec![MetricValue { name: "m".into(), value, unit: None, note: None }])
        }
    }

    #[test]
    fn a_metric_reads_the_inputs_whose_change_changes_it() {
        let declared: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let plugin = PluginMetricRef { plugin: "p".into(), metric: "m".into(), params: BTreeMap::new() };
        let reads = |formula: fn(&[f64]) -> Result<Option<f64>, ()>| probe(&Formula3(formula), &plugin, &declared);
        assert_eq!(reads(|v| Ok(Some(100.0 * v[2] / v[0]))), ["a", "c"]);
        assert_eq!(reads(|v| Ok(Some(v[1] * 1e5 / 1e6))), ["b"]);
        // No value at the probe, or a failure there: every input.
        assert_eq!(reads(|_| Ok(None)), ["a", "b", "c"]);
        assert_eq!(reads(|_| Err(())), ["a", "b", "c"]);
        // A failure on a changed input: that input and those after it, without calling again.
        assert_eq!(reads(|v| if v[1] == 963.0 { Ok(Some(v[2])) } else { Err(()) }), ["b", "c"]);
    }
}
