//! The wasmtime engine every plugin runs on: its configuration (fuel, epochs, deterministic floats, the pooling
//! allocator and how it resets memory between calls) and the ticker thread that advances its epoch.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::HostConfig;
use crate::limits::{self, Limits};

/// The engine's configuration; `resident` keeps the pages a call wrote mapped and resets them by copying (asks for
/// PAGEMAP_SCAN, so an engine with it fails to start on a kernel without it).
pub(crate) fn engine_config(config: &HostConfig, resident: bool) -> Config {
    let mut engine_config = Config::new();
    engine_config.consume_fuel(true);
    engine_config.epoch_interruption(true);
    // Same inputs, same outputs: canonical NaNs and no relaxed SIMD, whose results differ between CPUs.
    engine_config.cranelift_nan_canonicalization(true);
    engine_config.wasm_relaxed_simd(false);
    let calls = config.max_concurrent_calls.max(1);
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(calls)
        .total_core_instances(calls * limits::MAX_INSTANCES as u32)
        .total_memories(calls * limits::MAX_MEMORIES as u32)
        .total_tables(calls * limits::MAX_TABLES as u32)
        .table_elements(limits::MAX_TABLE_ELEMENTS)
        .max_memory_size(usize::try_from(Limits::CAP.memory_bytes).expect("512 MiB fits in usize"))
        // Every call gets a fresh instance, whose memory is handed back to the kernel (`madvise`) when the call ends,
        // so that no call sees another's data. One `madvise` per call, each flushing the TLB of every thread, was
        // about a tenth of a full review's CPU (docs/performance.md): the slots are reset in batches instead. A
        // slot is never reused before it has been reset.
        .decommit_batch_size(calls as usize);
    if resident {
        // Most of a small call was the kernel: faulting in the pages the call touches, then unmapping them
        // (docs/performance.md). With PAGEMAP_SCAN the engine finds the pages a call wrote and copies the original
        // contents back into them (up to this many bytes), so the next call finds them mapped, and no call sees
        // another's data.
        pool.pagemap_scan(Enabled::Yes).linear_memory_keep_resident(RESIDENT_BYTES).table_keep_resident(RESIDENT_BYTES);
    }
    engine_config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    engine_config
}

/// How much of a call's written memory (and of its tables) is reset by copying rather than unmapped: the shipped
/// Rust plugins write well under this in a call.
const RESIDENT_BYTES: usize = 1 << 20;

/// Advances the engine's epoch at a fixed interval so that calls can be interrupted by wall-clock time. Stopped and
/// joined when the host is dropped.
pub(crate) struct EpochTicker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EpochTicker {
    pub(crate) fn start(engine: Engine, tick: Duration) -> EpochTicker {
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("tiendo-plugin-epoch".to_owned())
            .spawn(move || {
                // Parked rather than asleep, so that dropping the host wakes the thread at once instead of waiting out
                // the tick; a spurious wake-up parks again until the tick is over, so epochs never come early.
                while !thread_stop.load(Ordering::Relaxed) {
                    let due = Instant::now() + tick;
                    while let Some(left) = due.checked_duration_since(Instant::now()).filter(|left| !left.is_zero()) {
                        if thread_stop.load(Ordering::Relaxed) {
                            return;
                        }
                        std::thread::park_timeout(left);
                    }
                    engine.increment_epoch();
                }
            })
            .ok();
        EpochTicker { stop, thread }
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dropping the host stops its ticker at once: a ticker asleep for its whole tick made every run that loaded a
    /// plugin wait up to one tick at exit (with a long tick, a hang).
    #[test]
    fn dropping_the_ticker_does_not_wait_for_the_tick() {
        let engine = Engine::default();
        let ticker = EpochTicker::start(engine, Duration::from_secs(600));
        let started = Instant::now();
        drop(ticker);
        assert!(started.elapsed() < Duration::from_secs(60), "the drop waited {:?}", started.elapsed());
    }
}
