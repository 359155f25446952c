//! Loops forever in `compute`: stopped by fuel (or, failing that, the wall-clock deadline).
use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

struct InfiniteLoop;

impl Metric for InfiniteLoop {
    fn info() -> PluginInfo {
        PluginInfo::new("hostile-infinite-loop", "0.1.0", "loops forever").metrics(["never"])
    }

    fn compute(input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let mut counter: u64 = input.inputs.len() as u64;
        loop {
            counter = std::hint::black_box(counter.wrapping_mul(6364136223846793005).wrapping_add(1));
            if counter == 42 && input.params.len() > 1_000_000 {
                return Ok(Vec::new());
            }
        }
    }
}

export_metric!(InfiniteLoop);
