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
//!   communes in `DIR/catalogue/communes.toml` (and as `DIR/units.csv`, commune -> province, for the peers), and
//!   the repository's `indicators/` for the rest of the catalogue.
//!   The W2 workload of `benches/peers/` (docs/performance.md).

use std::io::Write;
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

/// The W2 project: `tiendo.toml`, the communes and the data file, written without holding the data.
fn w2_project(dir: &Path, n: usize) -> std::io::Result<()> {
    use tiendo_core::eval::synthetic;
    let catalogue = synthetic::benchmark_catalogue(tiendo_load::observations::benchmark_communes_for(n));
    std::fs::create_dir_all(dir.join("catalogue"))?;
    std::fs::create_dir_all(dir.join("data"))?;
    let indicators = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators");
    let project = format!(
        "# W2: synthetic benchmark data written by `generate_synthetic w2` (not real figures).\n\n\
         [project]\n\
         name = {{ vi = \"W2 (DỮ LIỆU GIẢ LẬP)\", en = \"W2 (SYNTHETIC DATA)\" }}\n\
         programme = \"qd-193-2021\"\n\
         catalogue = [{:?}, \"catalogue\"]\n\
         data = [\"data/w2.csv\"]\n\n\
         [[source]]\n\
         id = \"{}\"\n\
         kind = \"synthetic\"\n\
         title = {{ vi = \"Dữ liệu giả lập\", en = \"Synthetic data\" }}\n\
         date = 2026-11-30\n",
        indicators.to_string_lossy(),
        synthetic::SYNTHETIC_SOURCE,
    );
    std::fs::write(dir.join("tiendo.toml"), project)?;
    let mut communes = std::io::BufWriter::new(std::fs::File::create(dir.join("catalogue/communes.toml"))?);
    writeln!(communes, "# The benchmark's communes, spread over the 63 provinces valid until 30 June 2025.")?;
    for unit in synthetic::benchmark_communes(&catalogue) {
        let parent = unit.parent.as_deref().unwrap_or("vn");
        writeln!(
            communes,
            "\n[[org_unit]]\nid = \"{0}\"\nname = {{ vi = \"{0}\", en = \"{0}\" }}\nlevel = \"commune\"\nparent = \"{parent}\"",
            unit.id
        )?;
    }
    communes.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    // The commune -> province table the peers join on (outside `catalogue/`: tiendo does not read it).
    let mut units = std::io::BufWriter::new(std::fs::File::create(dir.join("units.csv"))?);
    writeln!(units, "commune,province")?;
    for unit in synthetic::benchmark_communes(&catalogue) {
        writeln!(units, "{},{}", unit.id, unit.parent.as_deref().unwrap_or("vn"))?;
    }
    units.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    let data = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("data/w2.csv"))?);
    tiendo_load::observations::write_benchmark_csv(&catalogue, n, data)
}
