//! Load + evaluate on synthetic observations: parse the CSV bytes into the store, then evaluate every
//! indicator, validation rule and data set. Sizes: 10 thousand and 1 million by default; set
//! `TIENDO_BENCH_SIZES=10000,1000000,10000000` to add 10 million (slow: minutes on 2 cores).
//! Results and the machine are in docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tiendo_core::eval::{EvaluationSettings, ObservationStore, evaluate};

fn sizes() -> Vec<usize> {
    std::env::var("TIENDO_BENCH_SIZES")
        .ok()
        .map(|text| text.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 1_000_000])
}

fn load_and_evaluate(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_and_evaluate");
    group.sample_size(10);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
    for n in sizes() {
        let (catalogue, bytes) = tiendo_load::observations::benchmark_csv(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &bytes, |b, bytes| {
            b.iter(|| {
                let mut store = ObservationStore::new();
                let diagnostics =
                    tiendo_load::observations::read_observations("bench.csv", bytes, &catalogue, &mut store);
                assert!(diagnostics.is_empty(), "{diagnostics:?}");
                let evaluation = evaluate(
                    &catalogue,
                    &store,
                    &EvaluationSettings { threads: 2, ..EvaluationSettings::new(as_of) },
                    None,
                );
                std::hint::black_box(evaluation.indicators.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load_and_evaluate);
criterion_main!(benches);
