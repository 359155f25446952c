//! Which of its plugin's inputs each plugin indicator's metric reads, found by asking the plugin: the disclosure audit
//! takes the difference of every two sensitive inputs a metric reads as given away by its value (a reintegration rate
//! of 92.5 beside 40 victims identified: 3 not reintegrated), and a plugin declares its inputs for all its metrics at
//! once (victims identified per 100,000 population reads neither the received nor the reintegrated).
//!
//! The plugin is run once on a probe (every input a distinct count, 1,000 less 37 per input in the order declared)
//! and once more per input with that input one less; an input whose change changes the metric, or makes the plugin
//! fail, is read. A plugin that fails on the probe itself, or gives the metric no value there, is taken to read every
//! input. This is the plugin's own
//! arithmetic at one point: a metric that reads an input only at other values (a branch) is not seen, so a plugin
//! whose formula branches on its inputs should publish each branch as its own metric (methodology section 7).

use std::collections::BTreeMap;

use crate::model::{Catalogue, Formula, PluginMetricRef};
use crate::period::Period;
use crate::plugin::{MetricInput, MetricProvider, MetricRequest};

/// Per plugin indicator id: the inputs of `inputs` (per plugin, as each declared them) its metric reads.
pub(super) fn metric_reads(
    catalogue: &Catalogue,
    inputs: &BTreeMap<String, Vec<String>>,
    provider: Option<&dyn MetricProvider>,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for indicator in catalogue.indicators.values() {
        let Formula::Plugin(plugin) = &indicator.formula else { continue };
        let Some(declared) = inputs.get(&plugin.plugin) else { continue };
        let reads = match provider {
            Some(provider) => probe(provider, plugin, declared),
            None => declared.clone(),
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
    let changes = |k: usize| {
        let mut moved = base.clone();
        moved[k] -= 1.0;
        value_at(&moved) != Ok(Some(at_base))
    };
    (0..declared.len()).filter(|&k| changes(k)).map(|k| declared[k].clone()).collect()
}
