//! Allocates 16 MiB blocks until the host's memory limit stops it.
use tiendo_plugin::{ComputeInput, Metric, MetricError, MetricValue, PluginInfo, export_metric};

struct MemoryBomb;

impl Metric for MemoryBomb {
    fn info() -> PluginInfo {
        PluginInfo::new("hostile-memory-bomb", "0.1.0", "allocates without end").metrics(["never"])
    }

    fn compute(_input: ComputeInput) -> Result<Vec<MetricValue>, MetricError> {
        let mut blocks: Vec<Vec<u8>> = Vec::new();
        loop {
            // Touch the memory so the allocation cannot be optimised away.
            let mut block = vec![1u8; 16 * 1024 * 1024];
            block[0] = blocks.len() as u8;
            blocks.push(std::hint::black_box(block));
        }
    }
}

export_metric!(MemoryBomb);
