//! Divides by zero: a panic whose message must reach the review through the SDK's panic hook.
use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

struct Panics;

impl Metric for Panics {
    fn info() -> PluginInfo {
        PluginInfo::new("hostile-panic", "0.1.0", "panics").inputs(["cases_tried"]).metrics(["per-case"])
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        tiendo_plugin::info!("about to divide by zero");
        let zero: u64 = std::hint::black_box(0);
        let per_case = 100 / zero;
        Ok(vec![MetricValue::new("per-case", Some(per_case as f64))])
    }
}

export_metric!(Panics);
