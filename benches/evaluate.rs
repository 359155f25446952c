//! Load + evaluate on synthetic observations, end to end: stream the CSV file into the store (as `tiendo eval`
//! reads a data file), then evaluate every indicator, validation rule and data set. The file is written once per
//! size to the temporary folder, outside the measurement, and read from there (the page cache, after the first
//! iteration) in every iteration. Sizes: 10 thousand, 1 million and 10 million by default; set
//! `TIENDO_BENCH_SIZES=10000,1000000` to leave out 10 million (about a minute on 2 cores).
//! Results and the machine are in docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tiendo_core::eval::{EvaluationSettings, ObservationStore, evaluate};
use tiendo_load::observations::{ReadOptions, read_observations_from};

fn sizes() -> Vec<usize> {
    std::env::var("TIENDO_BENCH_SIZES")
        .ok()
        .map(|text| text.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 1_000_000, 10_000_000])
}

fn load_and_evaluate(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_and_evaluate");
    group.sample_size(10);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
    for n in sizes() {
        let (catalogue, bytes) = tiendo_load::observations::benchmark_csv(n);
        let path = std::env::temp_dir().join(format!("tiendo-bench-{n}-{}.csv", std::process::id()));
        std::fs::write(&path, &bytes).expect("write the synthetic CSV to the temporary folder");
        drop(bytes);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &path, |b, path| {
            b.iter(|| {
                let mut store = ObservationStore::new();
                let file = std::fs::File::open(path).expect("open the synthetic CSV");
                let options = ReadOptions { threads: 2, ..ReadOptions::default() };
                let diagnostics = read_observations_from("bench.csv", file, &catalogue, &mut store, options)
                    .expect("read the synthetic CSV");
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
        let _ = std::fs::remove_file(&path);
    }
    group.finish();
}

criterion_group!(benches, load_and_evaluate);
criterion_main!(benches);
