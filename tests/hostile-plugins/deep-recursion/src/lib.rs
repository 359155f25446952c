//! Recurses without end.
use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

struct DeepRecursion;

#[inline(never)]
#[allow(unconditional_recursion)]
fn descend(depth: u64, buffer: &mut [u64; 16]) -> u64 {
    buffer[(depth % 16) as usize] = depth;
    let mut next = [0u64; 16];
    next[0] = std::hint::black_box(depth);
    descend(depth + 1, &mut next) + buffer[0]
}

impl Metric for DeepRecursion {
    fn info() -> PluginInfo {
        PluginInfo::new("hostile-deep-recursion", "0.1.0", "recurses without end").metrics(["never"])
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let mut buffer = [0u64; 16];
        let depth = descend(0, &mut buffer);
        Ok(vec![MetricValue::new("never", Some(depth as f64))])
    }
}

export_metric!(DeepRecursion);
