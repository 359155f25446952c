//! The row reader alone, without evaluation: a generated file of benchmark observations (issue 15, W2's rows: ~101
//! bytes, the quoted synthetic note on every row) read from memory with every check on, either into the store as
//! `tiendo eval` reads it (`read`), or streamed through with a hash of each key taken from the cells and nothing
//! interned or kept, as `tiendo check` reads it (`scan`, `scan_csv_keys`), on one thread and on two. 200,000 rows by default, small enough for criterion; set
//! `TIENDO_BENCH_ROWS`. The ten-million-row file is measured by benches/peers/run.py. Results in docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tiendo_core::eval::ObservationStore;
use tiendo_core::eval::duplicates::DuplicateScan;
use tiendo_load::observations::{ReadOptions, read_csv, scan_csv_keys};

fn rows() -> usize {
    std::env::var("TIENDO_BENCH_ROWS").ok().and_then(|text| text.trim().parse().ok()).unwrap_or(200_000)
}

fn load(c: &mut Criterion) {
    let n = rows();
    let (catalogue, bytes) = tiendo_load::observations::benchmark_csv(n);
    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    group.throughput(Throughput::Elements(n as u64));
    for threads in [1, 2] {
        let options = ReadOptions { threads, ..ReadOptions::default() };
        group.bench_with_input(BenchmarkId::new("read", threads), &options, |b, options| {
            b.iter(|| {
                let mut store = ObservationStore::new();
                let diagnostics = read_csv("bench.csv", bytes.as_slice(), &catalogue, &mut store, options.clone())
                    .expect("reading memory cannot fail");
                assert!(diagnostics.is_empty() && store.len() == n, "{diagnostics:?}");
                std::hint::black_box(store.len())
            })
        });
        group.bench_with_input(BenchmarkId::new("scan", threads), &options, |b, options| {
            b.iter(|| {
                let mut scan = DuplicateScan::new();
                let diagnostics =
                    scan_csv_keys("bench.csv", bytes.as_slice(), &catalogue, options.clone(), &mut |keys| {
                        scan.absorb_keys(keys);
                    })
                    .expect("reading memory cannot fail");
                assert!(diagnostics.is_empty() && scan.len() == n, "{diagnostics:?}");
                std::hint::black_box(scan.candidates().is_empty())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
