//! Plugin host costs: compiling a plugin, loading it from the on-disk cache, creating a fresh sandbox, and calls
//! with a small and a 10,000-observation input, through `compute-packed` (WIT 0.1.2, the current SDK), through
//! `compute-columns` (the committed 0.1.1 build of the same plugin) and through `compute` (the committed 0.1.0
//! build). Results are recorded in docs/performance.md.
//!
//! Each figure is the CPU time of the whole process (user + sys, `CLOCK_PROCESS_CPUTIME_ID`) per iteration, not the
//! wall time: on the shared 2-core machine the wall time of a call mostly measured the other engineers' builds, and
//! CPU time is what issue 15's targets count. It includes the host's epoch ticker thread (a wake-up every 10 ms) and,
//! for the cold compile, Cranelift's worker threads.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, criterion_group, criterion_main};
use tiendo_core::period::Period;
use tiendo_core::plugin::{MetricInput, MetricRequest};
use tiendo_plugin_host::{HostConfig, PluginHost};

/// The justice funnel built with the 0.1.0 SDK, which has only `compute`.
const OLD_FUNNEL: &[u8] = include_bytes!("../tests/fixtures/v0.1.0/qn-justice-funnel.wasm");

/// The justice funnel built with the 0.1.1 SDK, which has `compute-columns` but not `compute-packed`.
const COLUMNS_FUNNEL: &[u8] = include_bytes!("../tests/fixtures/v0.1.1/qn-justice-funnel.wasm");

const STAGES: [&str; 5] =
    ["denunciations_received", "denunciations_resolved", "cases_detected", "cases_indicted", "cases_tried"];

fn request(observations: usize) -> MetricRequest {
    let period: Period = "2023".parse().expect("a valid period");
    MetricRequest {
        plugin: "qn-justice-funnel".to_owned(),
        org_unit: "quang-nam".to_owned(),
        periods: vec![period],
        inputs: (0..observations)
            .map(|index| MetricInput {
                name: STAGES[index % STAGES.len()].to_owned(),
                org_unit: format!("commune-{}", index / STAGES.len()),
                period,
                value: Some((100 - index % STAGES.len() * 10) as f64),
            })
            .collect(),
        params: [("target_rate".to_owned(), "85".to_owned())].into(),
    }
}

/// The CPU time (user + sys) of this process so far.
#[allow(unsafe_code)]
fn process_cpu_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant that Linux and macOS support.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Criterion's measurement of the process's CPU time, shown as durations.
struct ProcessCpuTime;

impl Measurement for ProcessCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        process_cpu_time()
    }

    fn end(&self, start: Duration) -> Duration {
        process_cpu_time().saturating_sub(start)
    }

    fn add(&self, first: &Duration, second: &Duration) -> Duration {
        *first + *second
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        static WALL_TIME: WallTime = WallTime;
        WALL_TIME.formatter()
    }
}

fn benchmarks(criterion: &mut Criterion<ProcessCpuTime>) {
    let bytes = support::component("qn-justice-funnel");
    let cache = tempfile::tempdir().expect("a temporary folder");

    let mut uncached = PluginHost::new(HostConfig::default()).expect("the host starts");
    criterion.bench_function("load: cold compile (no cache)", |bench| {
        bench.iter(|| uncached.load_unreviewed(black_box(&bytes)).expect("loads"))
    });

    let mut cached = PluginHost::new(HostConfig::with_cache_dir(cache.path().to_path_buf())).expect("the host starts");
    cached.load_unreviewed(&bytes).expect("loads");
    criterion.bench_function("load: cached (sha256, tag check, deserialize, checks; info remembered)", |bench| {
        bench.iter(|| {
            let details = cached.load_unreviewed(black_box(&bytes)).expect("loads");
            assert!(details.from_cache);
        })
    });

    criterion.bench_function("fresh store + instantiate", |bench| {
        bench.iter(|| cached.instantiate_for_benchmark("qn-justice-funnel").expect("instantiates"))
    });

    let small = request(5);
    criterion.bench_function("call: fresh store + 5 observations", |bench| {
        bench.iter(|| cached.run(black_box(&small)).expect("computes"))
    });

    let large = request(10_000);
    criterion.bench_function("call: fresh store + 10,000 observations", |bench| {
        bench.iter(|| cached.run(black_box(&large)).expect("computes"))
    });

    let mut columns = PluginHost::new(HostConfig::default()).expect("the host starts");
    columns.load_unreviewed(COLUMNS_FUNNEL).expect("the 0.1.1 build loads");
    criterion.bench_function("call, 0.1.1 plugin (compute-columns): fresh store + 5 observations", |bench| {
        bench.iter(|| columns.run(black_box(&small)).expect("computes"))
    });
    criterion.bench_function("call, 0.1.1 plugin (compute-columns): fresh store + 10,000 observations", |bench| {
        bench.iter(|| columns.run(black_box(&large)).expect("computes"))
    });

    let mut old = PluginHost::new(HostConfig::default()).expect("the host starts");
    old.load_unreviewed(OLD_FUNNEL).expect("the 0.1.0 build loads");
    criterion.bench_function("call, 0.1.0 plugin (compute): fresh store + 5 observations", |bench| {
        bench.iter(|| old.run(black_box(&small)).expect("computes"))
    });
    criterion.bench_function("call, 0.1.0 plugin (compute): fresh store + 10,000 observations", |bench| {
        bench.iter(|| old.run(black_box(&large)).expect("computes"))
    });
}

criterion_group! {
    name = plugin_host;
    config = Criterion::default().with_measurement(ProcessCpuTime).sample_size(30).warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benchmarks
}
criterion_main!(plugin_host);
