//! Returns 20,000 metrics, twice the host's limit.
use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

struct OversizedOutput;

impl Metric for OversizedOutput {
    fn info() -> PluginInfo {
        PluginInfo::new("hostile-oversized-output", "0.1.0", "returns too much").metrics(["m"])
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        Ok((0..20_000).map(|index| MetricValue::new("m", Some(f64::from(index)))).collect())
    }
}

export_metric!(OversizedOutput);
