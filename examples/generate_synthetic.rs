//! Writes synthetic data with the project's own generator (`tiendo_core::eval::synthetic`, documented there and in
//! docs/methodology.md):
//!
//! - `cargo run --example generate_synthetic` -> the example project's synthetic province data,
//!   `examples/synthetic-provinces/data/provinces-synthetic.csv` (quarterly counts) and
//!   `examples/synthetic-provinces/data/plugin-inputs-synthetic.csv` (the yearly inputs of the province plugins).
//!   Same seed, same bytes: tests check the committed files against it.
//! - `cargo run --release --example generate_synthetic -- w2 DIR N` -> a project in `DIR` that `tiendo eval` and
//!   `tiendo check` read: the benchmark's first `N` observations (communes x months 2021-2025 x 7 elements, ~101
//!   bytes a row, the rows of `eval_throughput` and `cargo bench --bench evaluate`) in `DIR/data/w2.csv`, its
//!   communes in `DIR/catalogue/communes.toml` (and as `DIR/units.csv`, commune -> province, for the peers).
//!   Like a real province project, it names what it monitors: `DIR/catalogue/w2.toml` holds a programme plan with
//!   the benchmark's 8 indicators (the ones its 7 data elements feed), its validation rule and data set; the
//!   repository's org units, sources, agencies, categories, data elements and work areas are the rest of the
//!   catalogue (not its other indicators and plans, which read elements the file has no rows of).
//!   The W2 workload of `benches/peers/` (docs/performance.md).

use std::path::Path;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => example_data(),
        [mode, dir, n] if mode == "w2" => match n.parse() {
            Ok(n) => w2_project(Path::new(dir), n),
            Err(_) => usage(),
        },
        _ => usage(),
    }
}

fn usage() -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "usage: generate_synthetic [w2 DIR OBSERVATIONS]"))
}

fn example_data() -> std::io::Result<()> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-provinces/data");
    std::fs::write(data.join("provinces-synthetic.csv"), tiendo_load::observations::example_synthetic_csv())?;
    std::fs::write(data.join("plugin-inputs-synthetic.csv"), tiendo_load::observations::example_plugin_inputs_csv())
}

/// The W2 project: its small files ([`tiendo_load::benchmark_project::w2_project_files`]), then the data file,
/// streamed without holding it.
fn w2_project(dir: &Path, n: usize) -> std::io::Result<()> {
    let indicators = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators");
    std::fs::create_dir_all(dir.join("catalogue"))?;
    std::fs::create_dir_all(dir.join("data"))?;
    for (path, text) in tiendo_load::benchmark_project::w2_project_files(n, &indicators.to_string_lossy()) {
        std::fs::write(dir.join(path), text)?;
    }
    let catalogue = tiendo_load::benchmark_project::w2_catalogue(n);
    let mut data = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("data/w2.csv"))?);
    tiendo_load::observations::write_benchmark_csv(&catalogue, n, &mut data)?;
    data.into_inner().map_err(|e| e.into_error())?.sync_all()
}
