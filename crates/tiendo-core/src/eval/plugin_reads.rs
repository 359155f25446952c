//! Which of its plugin's inputs each plugin indicator's metric reads, found by asking the plugin: the disclosure audit
//! takes the difference of every two sensitive inputs a metric reads as given away by its value (a reintegration rate
//! of 92.5 beside 40 victims identified: 3 not reintegrated), and a plugin declares its inputs for all its metrics at
//! once (victims identified per 100,000 population reads neither the received nor the reintegrated).
//!
//! The plugin is run on three probes (every input a distinct count: falling, rising, mixed) and, at each probe where
//! it gives the metric, once more per input with that input one less; an input whose change changes the metric's
//! value or its note (a note may quote a rate), or makes the plugin fail, is read. A plugin that gives the metric at
//! no probe, fails twice (a sandbox failure such as a timeout is not met again and again), whose note quotes
//! figures that differ from probe to probe (a branch may quote any input), or whose metric is a whole number at
//! every probe (a stage, a count of steps below a threshold, which moves only where a threshold is crossed), is
//! taken to read every input. Only the metrics of plugins with two sensitive inputs or more are probed, and only of plugins that have not
//! failed in the evaluation: the others are taken to read every input. This is the plugin's own arithmetic at three
//! points: a metric that reads an input only at other values (a branch none of the probes takes) is not seen, so a
//! plugin whose formula branches on its inputs should publish each branch as its own metric (methodology section 7).
//! Round 45: one falling probe missed a metric capped at 100 % (people reached above the population) and a stage
//! number whose note quoted the rate (found by a review helper).

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
    // Indicators of one metric with the same parameters share one probing.
    type Key<'k> = (&'k String, &'k String, &'k BTreeMap<String, String>);
    let mut probed: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for indicator in catalogue.indicators.values() {
        let Formula::Plugin(plugin) = &indicator.formula else { continue };
        let Some(declared) = inputs.get(&plugin.plugin) else { continue };
        let sensitive = declared.iter().filter(|i| catalogue.is_sensitive(i));
        let failed = failures.iter().any(|f| f.plugin == plugin.plugin);
        let reads = match provider {
            Some(provider) if sensitive.count() >= 2 && !failed => probed
                .entry((&plugin.plugin, &plugin.metric, &plugin.params))
                .or_insert_with(|| probe(provider, plugin, declared))
                .clone(),
            _ => declared.clone(),
        };
        out.insert(indicator.id.clone(), reads);
    }
    out
}

/// The probes: per input position, a distinct count, falling (a funnel's stages), rising (a population last) and
/// mixed, so that a metric that a cap or a branch holds still at one (people reached above the population: 100 %)
/// moves at another.
const PROBES: [fn(usize) -> f64; 3] =
    [|k| 1000.0 - 37.0 * k as f64, |k| 100.0 + 1000.0 * k as f64, |k| ((k * 7919) % 997 + 13) as f64];

/// A metric's value and note at one call.
type Answered = (Option<f64>, Option<String>);

/// How many failed calls end the probing (every input is then taken as read): a plugin that times out is not run
/// again and again.
const FAILURES_LIMIT: usize = 2;

/// The inputs of `declared` that `plugin`'s metric reads at the probes (see the module documentation): an input
/// whose change by one changes the metric's value or its note (a note may quote a rate: "investigated -> indicted
/// (92.5 %)") at any probe where the plugin gives the metric, or makes the plugin fail.
fn probe(provider: &dyn MetricProvider, plugin: &PluginMetricRef, declared: &[String]) -> Vec<String> {
    let answer = |values: &[f64]| -> Result<Option<Answered>, ()> {
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
        Ok(values.into_iter().find(|v| v.name == plugin.metric).map(|v| (v.value, v.note)))
    };
    let mut read = vec![false; declared.len()];
    let (mut failures, mut answered) = (0, false);
    let mut notes: Vec<Option<String>> = Vec::new();
    let mut whole = true;
    'probes: for probe in PROBES {
        let base: Vec<f64> = (0..declared.len()).map(probe).collect();
        let at_base = match answer(&base) {
            Ok(Some(at_base)) if at_base.0.is_some() => at_base,
            Ok(_) => continue,
            Err(()) => {
                failures += 1;
                if failures >= FAILURES_LIMIT {
                    break;
                }
                continue;
            }
        };
        answered = true;
        whole &= at_base.0.is_some_and(|v| v.fract() == 0.0);
        if !notes.contains(&at_base.1) {
            notes.push(at_base.1.clone());
        }
        for k in 0..declared.len() {
            if read[k] {
                continue;
            }
            let mut moved = base.clone();
            moved[k] -= 1.0;
            match answer(&moved) {
                Ok(Some(value)) if value == at_base => {}
                Ok(_) => read[k] = true,
                Err(()) => {
                    read[k] = true;
                    failures += 1;
                    if failures >= FAILURES_LIMIT {
                        break 'probes;
                    }
                }
            }
        }
    }
    // A note that quotes figures and differs from probe to probe may quote any input along a branch the probes do
    // not take apart ("tried -> indicted (95.8 %)" at one, "investigated -> indicted (92.5 %)" in the data).
    let figures_in_notes = notes.len() > 1 && notes.iter().flatten().any(|n| n.chars().any(|c| c.is_ascii_digit()));
    // A whole number at every probe (a stage, a count of steps below a target rate) moves only where a threshold is
    // crossed, which a change by one rarely does: 0 steps below 92 % and 1 below 93 % beside 40 cases detected
    // gave a step of 92 to 93 % (round 45, found by a review helper).
    if !answered || failures >= FAILURES_LIMIT || figures_in_notes || whole {
        // No probe gave the metric, the plugin failed too often to tell, a note quotes varying figures, or the
        // metric is a whole number: every input is taken as read.
        return declared.to_vec();
    }
    declared.iter().zip(read).filter(|(_, read)| *read).map(|(input, _)| input.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{MetricValue, PluginDescription};

    /// The metric's value and note from the inputs, in the order declared; `Err` fails the call.
    type Answer = fn(&[f64]) -> Result<(Option<f64>, Option<String>), ()>;

    /// A plugin of three inputs whose metric `m` is its [`Answer`].
    struct Formula3(Answer);

    impl MetricProvider for Formula3 {
        fn describe(&self, _: &str) -> Result<PluginDescription, PluginFailure> {
            unreachable!("the probe does not describe")
        }

        fn compute(&self, request: &MetricRequest) -> Result<Vec<MetricValue>, PluginFailure> {
            let values: Vec<f64> = request.inputs.iter().map(|i| i.value.unwrap_or(f64::NAN)).collect();
            let failure = PluginFailure { plugin: "p".into(), kind: "timeout".into(), message: String::new() };
            let (value, note) = (self.0)(&values).map_err(|()| failure)?;
            Ok(vec![MetricValue { name: "m".into(), value, unit: None, note }])
        }
    }

    #[test]
    fn a_metric_reads_the_inputs_whose_change_changes_it() {
        let declared: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let plugin = PluginMetricRef { plugin: "p".into(), metric: "m".into(), params: BTreeMap::new() };
        let reads = |formula: Answer| probe(&Formula3(formula), &plugin, &declared);
        assert_eq!(reads(|v| Ok((Some(100.0 * v[2] / v[0]), None))), ["a", "c"]);
        assert_eq!(reads(|v| Ok((Some(v[1] * 1e5 / 1e6), Some("per 100,000".into())))), ["b"]);
        // Capped at the falling probe (963 reached of 926: 100 %), read at the rising one (round 45).
        assert_eq!(reads(|v| Ok((Some((100.0 * v[1] / v[2]).min(100.0)), None))), ["b", "c"]);
        // A stage number whose note quotes the rate of whichever step is lowest: every input (round 45).
        let lowest = |v: &[f64]| -> Result<(Option<f64>, Option<String>), ()> {
            let rates = [v[1] / v[0], v[2] / v[1]];
            let step = if rates[0] <= rates[1] { 0 } else { 1 };
            Ok((Some(1.0), Some(format!("step {} ({:.1} %)", step + 1, 100.0 * rates[step]))))
        };
        assert_eq!(reads(lowest), ["a", "b", "c"]);
        // A count of steps below 92 %: a whole number that a change by one does not move at the probes (round 45).
        let below = |v: &[f64]| -> Result<(Option<f64>, Option<String>), ()> {
            Ok((Some([v[1] / v[0], v[2] / v[1]].iter().filter(|&&r| r < 0.92).count() as f64), None))
        };
        assert_eq!(reads(below), ["a", "b", "c"]);
        // No value at any probe, or failures: every input.
        assert_eq!(reads(|_| Ok((None, None))), ["a", "b", "c"]);
        assert_eq!(reads(|_| Err(())), ["a", "b", "c"]);
        assert_eq!(reads(|v| if v[1] == 963.0 { Ok((Some(v[2]), None)) } else { Err(()) }), ["a", "b", "c"]);
    }
}
